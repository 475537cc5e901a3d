import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Select, Space } from 'antd';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { Paged } from '../../../../../contracts/common.ts';
import { type Letter, type LetterState, LetterStateLabels } from '../../../../../contracts/supervision.ts';
import { ApiError, download, get, qs } from '../../../../shared/api.ts';
import { UnitSelect } from '../../../../shared/components/UnitSelect.tsx';
import { formatDateTime } from '../../../../shared/format.ts';
import { can, useMe } from '../../../../shared/session.ts';
import { cnDate, LetterStateTag } from './kit.tsx';
import { DataTable } from '../../../../shared/components/DataTable.tsx';

/** 督办函 list: filters in the URL (state, unit, year); offices issue new letters from here. */
export function LettersPage() {
  const { data: me } = useMe();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [sp, setSp] = useSearchParams();
  const state = (sp.get('state') as LetterState | null) ?? undefined;
  const unitId = sp.get('unitId') ?? undefined;
  const year = sp.get('year') ? Number(sp.get('year')) : undefined;
  const page = Number(sp.get('page') ?? 1) || 1;
  const set = (k: string, v: string | number | undefined) => {
    const next = new URLSearchParams(sp);
    if (v === undefined || v === '') next.delete(k);
    else next.set(k, String(v));
    next.delete('page');
    setSp(next);
  };
  const list = useQuery({
    queryKey: ['supervision-letters', state, unitId, year, page],
    queryFn: () => get<Paged<Letter>>(`/api/supervision-letters${qs({ state, unitId, year, page, pageSize: 20 })}`),
  });
  const thisYear = new Date().getFullYear();

  const downloadDoc = async (l: Letter) => {
    try {
      await download(`/api/supervision-letters/${l.id}/document`, `${l.number}.docx`);
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '下载失败');
    }
  };

  return (
    <div data-testid="letters-page">
      <div style={{ display: 'flex', justifyContent: 'space-between', flexWrap: 'wrap', gap: 8 }}>
        <h1 className="cw-page-title">督办函</h1>
        {can(me, 'issues.supervise') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/issues/supervision/new')} data-testid="letter-create">
            签发督办函
          </Button>
        )}
      </div>
      <Card size="small">
        <Space wrap style={{ marginBottom: 12 }}>
          <Select
            allowClear
            placeholder="状态"
            style={{ width: 140 }}
            value={state}
            onChange={(v) => set('state', v)}
            options={Object.entries(LetterStateLabels).map(([value, label]) => ({ value, label }))}
            data-testid="letters-filter-state"
          />
          <UnitSelect scope="city" placeholder="受函单位" value={unitId} onChange={(v) => set('unitId', v as string | undefined)} style={{ width: 240 }} />
          <Select
            allowClear
            placeholder="年份"
            style={{ width: 120 }}
            value={year}
            onChange={(v) => set('year', v)}
            options={[thisYear, thisYear - 1, thisYear - 2].map((y) => ({ value: y, label: `${y}年` }))}
          />
        </Space>
        <DataTable<Letter> tableKey="letters"
          rowKey="id"
          size="middle"
          loading={list.isLoading}
          dataSource={list.data?.items ?? []}
          scroll={{ x: 900 }}
          locale={{ emptyText: '暂无督办函' }}
          pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, showSizeChanger: false, onChange: (p) => set('page', p), showTotal: (t) => `共 ${t} 件` }}
          columns={[
            { title: '文号', dataIndex: 'number', width: 170, render: (v: string, l) => <Link to={`/issues/supervision/${l.id}`}>{v}</Link> },
            { title: '受函单位', dataIndex: 'unitName', width: 180 },
            { title: '标题', dataIndex: 'title', ellipsis: true },
            { title: '问题数', dataIndex: 'itemCount', width: 80, align: 'right' },
            { title: '回复期限', dataIndex: 'replyDeadline', width: 140, render: (v: string, l) => <span style={{ color: l.replyOverdue ? '#c8102e' : undefined }}>{cnDate(v)}</span> },
            { title: '状态', dataIndex: 'state', width: 170, render: (v: LetterState, l) => <LetterStateTag state={v} replyOverdue={l.replyOverdue} /> },
            { title: '发函时间', dataIndex: 'createdAt', width: 170, render: (v: string) => formatDateTime(v) },
            {
              title: '操作',
              key: 'ops',
              width: 150,
              fixed: 'right',
              render: (_: unknown, l) => (
                <Space size={4}>
                  <Link to={`/issues/supervision/${l.id}`}>查看</Link>
                  <Button type="link" size="small" icon={<DownloadOutlined />} onClick={() => downloadDoc(l)}>
                    Word
                  </Button>
                </Space>
              ),
            },
          ]}
        />
      </Card>
    </div>
  );
}
