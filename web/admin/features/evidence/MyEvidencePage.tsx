import { PlusOutlined } from '@ant-design/icons';
import { useQueries, useQueryClient } from '@tanstack/react-query';
import { App, Badge, Button, Card, Divider, Drawer, Input, Spin, Tabs, Tag } from 'antd';
import { useSearchParams } from 'react-router';
import type { Paged } from '../../../../contracts/common.ts';
import type { EvidenceDetail, EvidenceItem, EvidenceState } from '../../../../contracts/evidence.ts';
import { get, post } from '../../../shared/api.ts';
import { formatDateTime } from '../../../shared/format.ts';
import { useMe } from '../../../shared/session.ts';
import { EV, useItem, useItems } from './api.ts';
import { dayText, EvidenceFiles, EvidenceForm, EvidenceTimeline, ItemHeader, StateTag } from './kit.tsx';
import { DataTable } from '../../../shared/components/DataTable.tsx';

type TabKey = 'todo' | EvidenceState | 'all';
const TABS: { key: TabKey; label: string; state?: EvidenceState; empty: string }[] = [
  { key: 'returned', label: '被退回', state: 'returned', empty: '没有被退回的材料' },
  { key: 'draft', label: '待提交', state: 'draft', empty: '没有待提交的材料' },
  { key: 'submitted', label: '审核中', state: 'submitted', empty: '没有等待审核的材料' },
  { key: 'approved', label: '已通过', state: 'approved', empty: '还没有通过审核的材料' },
  { key: 'all', label: '全部', empty: '本单位暂无材料要求' },
];

/** One item in a drawer: what is asked, the filing form when the unit may file, the files and the history. */
export function EvidenceDrawer({ id, onClose }: { id: string | null; onClose(): void }) {
  const { data: item, isLoading } = useItem(id);
  return (
    <Drawer open={!!id} onClose={onClose} size={Math.min(640, window.innerWidth)} title={item ? `${item.standardCode} ${item.requirementTitle}` : '材料'} destroyOnHidden data-testid="evidence-drawer">
      {isLoading || !item ? (
        <Spin />
      ) : (
        <>
          <ItemHeader item={item} />
          <Divider />
          {item.allowed.includes('save') ? (
            <EvidenceForm key={`${item.id}-${item.version}`} item={item} onDone={(d) => d.state === 'submitted' && onClose()} />
          ) : (
            <>
              <div style={{ marginBottom: 8 }}>
                <b>{item.title || '（未填写标题）'}</b>
                <span style={{ color: '#888', marginLeft: 8 }}>材料日期：{dayText(item.evidenceDate)}</span>
              </div>
              {item.description && <p style={{ whiteSpace: 'pre-wrap' }}>{item.description}</p>}
              <EvidenceFiles files={item.files.slice(0, item.fileCount)} />
            </>
          )}
          <Divider>流转记录</Divider>
          <EvidenceTimeline item={item} />
        </>
      )}
    </Drawer>
  );
}

/** 我的材料: what the unit owes per period and what it has filed, returned items first. */
export function MyEvidencePage() {
  const { data: me } = useMe();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [sp, setSp] = useSearchParams();
  const active = TABS.find((t) => t.key === sp.get('tab')) ?? TABS[1];
  const openId = sp.get('item');
  const page = Number(sp.get('page') ?? 1) || 1;
  const q = sp.get('q') ?? undefined;
  const counts = useQueries({
    queries: TABS.map((t) => ({ queryKey: ['evidence', 'items', 'mine-count', t.key, q], queryFn: () => get<Paged<EvidenceItem>>(EV.items({ mine: 'true', state: t.state, q, pageSize: 1 })) })),
  });
  const list = useItems({ mine: 'true', state: active.state, q, page, pageSize: 20 });
  const set = (patch: Record<string, string | null>) => {
    const next = new URLSearchParams(sp);
    for (const [k, v] of Object.entries(patch)) (v === null ? next.delete(k) : next.set(k, v));
    setSp(next);
  };
  const addActivity = async (requirementId: string) => {
    try {
      const d = await post<EvidenceDetail>('/api/evidence/items', { requirementId });
      await qc.invalidateQueries({ queryKey: ['evidence'] });
      set({ item: d.id });
    } catch (e) {
      message.error(e instanceof Error ? e.message : '新增失败');
    }
  };

  return (
    <div data-testid="my-evidence">
      <h1 className="cw-page-title">我的材料{me ? ` · ${me.unit.name}` : ''}</h1>
      <Card size="small">
        <Tabs
          tabBarExtraContent={
            <Input.Search
              allowClear
              defaultValue={q}
              placeholder="标准编号、材料名称或编号"
              style={{ width: 260 }}
              onSearch={(v) => set({ q: v.trim() || null, page: null })}
              data-testid="my-evidence-search"
            />
          }
          activeKey={active.key}
          onChange={(k) => set({ tab: k, page: null })}
          items={TABS.map((t, i) => ({
            key: t.key,
            label: (
              <span data-testid={`evidence-tab-${t.key}`}>
                {t.label}{' '}
                <Badge count={counts[i].data?.total ?? 0} showZero overflowCount={9999} color={t.key === 'returned' && counts[i].data?.total ? '#c8102e' : '#bfbfbf'} />
              </span>
            ),
          }))}
        />
        <DataTable<EvidenceItem> tableKey="myevidence"
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={list.data?.items}
          locale={{ emptyText: active.empty }}
          data-testid="my-evidence-table"
          onRow={(r) => ({ onDoubleClick: () => set({ item: r.id }) })}
          pagination={{ current: page, pageSize: 20, total: list.data?.total, showSizeChanger: false, showTotal: (t) => `共 ${t} 份`, onChange: (p) => set({ page: String(p) }) }}
          columns={[
            {
              title: '期间',
              dataIndex: 'periodLabel',
              width: 150,
              render: (v: string, r) => (
                <div>
                  <div className="ev-period">{v}</div>
                  <div style={{ color: r.isOverdue ? '#c8102e' : '#999', fontSize: 12 }}>截止 {dayText(r.periodEnd)}</div>
                </div>
              ),
            },
            {
              title: '测评标准 / 材料要求',
              key: 'req',
              render: (_: unknown, r) => (
                <div>
                  <b>{r.standardCode}</b> {r.requirementTitle}
                  <div style={{ color: '#888', fontSize: 12 }}>{r.standardText}</div>
                </div>
              ),
            },
            {
              title: '已报材料',
              key: 'title',
              width: 240,
              render: (_: unknown, r) =>
                r.state === 'draft' && !r.title ? (
                  <span style={{ color: '#bbb' }}>未报送</span>
                ) : (
                  <div>
                    {r.number && <Tag>{r.number}</Tag>}
                    {r.title}
                    <div style={{ color: '#999', fontSize: 12 }}>
                      {r.fileCount} 个文件{r.submittedAt ? ` · ${formatDateTime(r.submittedAt)} 提交` : ''}
                    </div>
                  </div>
                ),
            },
            {
              title: '状态',
              dataIndex: 'state',
              width: 200,
              render: (s: EvidenceState, r) => (
                <div>
                  <StateTag state={s} />
                  {r.isOverdue && <Tag color="red">逾期</Tag>}
                  {s === 'returned' && r.returnReason && <div style={{ color: '#c8102e', fontSize: 12 }}>退回原因：{r.returnReason}</div>}
                </div>
              ),
            },
            {
              title: '操作',
              key: 'ops',
              width: 190,
              render: (_: unknown, r) => (
                <span>
                  <Button size="small" type={r.state === 'draft' || r.state === 'returned' ? 'primary' : 'default'} onClick={() => set({ item: r.id })} data-testid="evidence-open">
                    {r.state === 'draft' ? '上传报送' : r.state === 'returned' ? '修改重报' : '查看'}
                  </Button>
                  {r.recurrence === 'per_activity' && (
                    <Button size="small" type="link" icon={<PlusOutlined />} onClick={() => void addActivity(r.requirementId)}>
                      再报一次活动
                    </Button>
                  )}
                </span>
              ),
            },
          ]}
        />
      </Card>
      <EvidenceDrawer id={openId} onClose={() => set({ item: null })} />
    </div>
  );
}
