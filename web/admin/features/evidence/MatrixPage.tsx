import { DownloadOutlined, FileZipOutlined } from '@ant-design/icons';
import { App, Button, Card, DatePicker, Drawer, Select, Space, Switch, Table, Tag, Tooltip } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import type { Counts, EvidenceItem, EvidenceState, Matrix } from '../../../../contracts/evidence.ts';
import { cellStatus, CellStatusLabels, completeness } from '../../../../domain/evidence-matrix.ts';
import { download } from '../../../shared/api.ts';
import { UnitSelect } from '../../../shared/components/UnitSelect.tsx';
import { can, useMe } from '../../../shared/session.ts';
import { defaultEvidenceSystem, EV, useEvidenceSystems, useItems, useMatrix } from './api.ts';
import { EvidenceDrawer } from './MyEvidencePage.tsx';
import { EvidenceSystemSelect, StateTag } from './kit.tsx';
import { useItemNodes } from './ReviewPage.tsx';

const tip = (c: Counts) => `应报 ${c.due}：通过 ${c.approved}、待审核 ${c.submitted}、退回 ${c.returned}、缺失 ${c.missing}`;

/** One coloured count: approved / due; the colour says what is still open. */
export function CountCell({ c, onClick, testId }: { c: Counts | undefined; onClick?: () => void; testId?: string }) {
  if (!c || c.due === 0) return <span className="ev-cell ev-cell-none">—</span>;
  const status = cellStatus(c);
  return (
    <Tooltip title={`${CellStatusLabels[status]} · ${tip(c)}`}>
      <span className={`ev-cell ev-cell-${status}`} onClick={onClick} data-testid={testId} data-status={status}>
        {c.approved}/{c.due}
        {c.returned > 0 && <span> 退{c.returned}</span>}
      </span>
    </Tooltip>
  );
}

/** A drill-down: a standard and/or a unit (a rolled-up column is a whole subtree). */
type Drill = { standardId?: string; unitId?: string; subtreeId?: string; title: string };

/** The items behind one cell of the matrix (or a row or column), each opening its drawer. */
function DrillDrawer({ drill, matrix, onClose }: { drill: Drill | null; matrix: Matrix | undefined; onClose(): void }) {
  const [state, setState] = useState<EvidenceState | undefined>();
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<string | null>(null);
  const list = useItems(
    {
      systemId: matrix?.systemId,
      standardId: drill?.standardId,
      unitId: drill?.unitId,
      rootUnitId: drill?.subtreeId ?? matrix?.rootUnitId,
      periodFrom: matrix?.periodFrom,
      periodTo: matrix?.periodTo,
      state,
      page,
      pageSize: 20,
    },
    !!drill && !!matrix,
  );
  return (
    <Drawer open={!!drill} onClose={onClose} size={Math.min(760, window.innerWidth)} title={drill?.title} destroyOnHidden data-testid="matrix-drill">
      <Space style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder="全部状态"
          style={{ width: 140 }}
          value={state}
          onChange={(v) => {
            setState(v);
            setPage(1);
          }}
          options={[
            { value: 'draft', label: '待提交（缺失）' },
            { value: 'submitted', label: '已提交（待审核）' },
            { value: 'returned', label: '退回' },
            { value: 'approved', label: '通过' },
          ]}
        />
      </Space>
      <Table<EvidenceItem>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items}
        pagination={{ current: page, pageSize: 20, total: list.data?.total, onChange: setPage, showSizeChanger: false }}
        onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: '标准', dataIndex: 'standardCode', width: 80 },
          { title: '单位', dataIndex: 'unitName', width: 150 },
          { title: '期间', dataIndex: 'periodLabel', width: 120 },
          { title: '编号 / 标题', key: 't', render: (_: unknown, r) => (r.title ? `${r.number ?? ''} ${r.title}` : <span style={{ color: '#bbb' }}>{r.requirementTitle}（未报送）</span>) },
          { title: '状态', dataIndex: 'state', width: 110, render: (s: EvidenceState, r) => (r.isOverdue ? [<StateTag key="s" state={s} />, <Tag key="o" color="red">逾期</Tag>] : <StateTag state={s} />) },
        ]}
      />
      <EvidenceDrawer id={open} onClose={() => setOpen(null)} />
    </Drawer>
  );
}

/**
 * 完备性矩阵: standards down, units across, approved/due per cell coloured by what is open
 * (missing, returned, waiting for review); filters system, area (a district or unit) and period;
 * a click drills down to the items. Export to Excel; the archive of approved evidence for the
 * national online review.
 */
export function MatrixPage() {
  const { data: me } = useMe();
  const { message } = App.useApp();
  const [sp, setSp] = useSearchParams();
  const systems = useEvidenceSystems();
  const systemId = sp.get('systemId') ?? defaultEvidenceSystem(systems.data)?.id;
  const rootUnitId = sp.get('rootUnitId') ?? undefined;
  const itemNodeId = sp.get('itemNodeId') ?? undefined;
  const periodFrom = sp.get('periodFrom') ?? undefined;
  const periodTo = sp.get('periodTo') ?? undefined;
  // columns: the direct subordinates (districts, city departments), each counting its subtree; or every unit
  const rollup = sp.get('rollup') !== 'false';
  const items = useItemNodes(systemId);
  const params = { systemId, rootUnitId, itemNodeId, periodFrom, periodTo, rollup };
  const m = useMatrix(params, !!systemId);
  const [drill, setDrill] = useState<Drill | null>(null);
  const set = (patch: Record<string, string | null | undefined>) => {
    const next = new URLSearchParams(sp);
    for (const [k, v] of Object.entries(patch)) (v ? next.set(k, v) : next.delete(k));
    setSp(next, { replace: true });
  };
  const cell = new Map((m.data?.cells ?? []).map((c) => [`${c.standardId}|${c.unitId}`, c]));
  const t = m.data?.totals;
  const unitName = new Map((m.data?.units ?? []).map((u) => [u.id, u.name]));
  const stdName = new Map((m.data?.standards ?? []).map((s) => [s.id, `${s.code} ${s.text}`]));
  const unitDrill = (id: string): Pick<Drill, 'unitId' | 'subtreeId'> => (m.data?.rollup ? { subtreeId: id } : { unitId: id });

  return (
    <div data-testid="matrix-page">
      <h1 className="cw-page-title">完备性矩阵</h1>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Space wrap>
          <EvidenceSystemSelect systems={systems.data} value={systemId} onChange={(v) => set({ systemId: v, itemNodeId: null })} />
          <UnitSelect value={rootUnitId} onChange={(v) => set({ rootUnitId: (v as string | undefined) ?? null })} placeholder="全市（可选区县或单位）" style={{ width: 240 }} data-testid="matrix-root" />
          <Select
            allowClear
            placeholder="全部测评项目"
            style={{ width: 220 }}
            value={itemNodeId}
            onChange={(v) => set({ itemNodeId: v })}
            options={(items.data ?? []).map((n) => ({ value: n.id, label: `${n.code} ${n.text}` }))}
          />
          <DatePicker.RangePicker
            picker="month"
            placeholder={['起始月份', '截止月份']}
            value={periodFrom && periodTo ? [dayjs(periodFrom), dayjs(periodTo)] : null}
            onChange={(v) => set({ periodFrom: v?.[0]?.startOf('month').format('YYYY-MM-DD'), periodTo: v?.[1]?.endOf('month').format('YYYY-MM-DD') })}
            data-testid="matrix-period"
          />
          <span>
            <Switch size="small" checked={rollup} onChange={(v) => set({ rollup: v ? null : 'false' })} data-testid="matrix-rollup" /> 按下级汇总
          </span>
          <Button
            icon={<DownloadOutlined />}
            disabled={!systemId}
            onClick={() => void download(EV.matrixExport(params), '材料完备性矩阵.xlsx').catch((e: Error) => message.error(e.message))}
            data-testid="matrix-export"
          >
            导出 Excel
          </Button>
          {(can(me, 'evidence.review') || can(me, 'evidence.manage')) && systemId && (
            <Button icon={<FileZipOutlined />} href={EV.archive({ systemId, rootUnitId, itemNodeId })} data-testid="matrix-archive">
              下载归档包（已通过材料）
            </Button>
          )}
        </Space>
      </Card>
      <Card
        size="small"
        title={
          t ? (
            <span data-testid="matrix-totals">
              应报 {t.due} · 通过 {t.approved} · 待审核 {t.submitted} · 退回 {t.returned} · 缺失 {t.missing} · 完备率 {(completeness(t) * 100).toFixed(1)}%
            </span>
          ) : (
            '完备性'
          )
        }
        extra={
          <span className="ev-legend">
            {(['complete', 'pending', 'missing', 'returned'] as const).map((s) => (
              <span key={s}>
                <span className={`ev-cell ev-cell-${s}`} style={{ minWidth: 18 }}>
                  &nbsp;
                </span>{' '}
                {CellStatusLabels[s]}
              </span>
            ))}
            <span>格内为 通过/应报</span>
          </span>
        }
      >
        <Table
          rowKey="id"
          size="small"
          bordered
          loading={m.isLoading}
          dataSource={m.data?.standards}
          pagination={false}
          scroll={{ x: 420 + (m.data?.units.length ?? 0) * 110, y: 'calc(100vh - 330px)' }}
          locale={{ emptyText: systemId ? '该范围内没有材料要求' : '请选择测评体系' }}
          data-testid="matrix-table"
          columns={[
            { title: '标准', dataIndex: 'code', width: 80, fixed: 'left' },
            {
              title: '测评标准',
              dataIndex: 'text',
              width: 240,
              fixed: 'left',
              ellipsis: { showTitle: true },
            },
            ...(m.data?.units ?? []).map((u) => ({
              title: (
                <span title={u.name} style={{ cursor: 'pointer' }} onClick={() => setDrill({ ...unitDrill(u.id), title: `${u.name}${m.data?.rollup ? '（含下级）' : ''} 的全部材料` })}>
                  {u.name}
                </span>
              ),
              key: u.id,
              width: 110,
              align: 'center' as const,
              render: (_: unknown, s: Matrix['standards'][number]) => (
                <CountCell
                  c={cell.get(`${s.id}|${u.id}`)}
                  testId="matrix-cell"
                  onClick={() => setDrill({ standardId: s.id, ...unitDrill(u.id), title: `${stdName.get(s.id)} · ${unitName.get(u.id)}` })}
                />
              ),
            })),
            {
              title: '合计',
              key: 'total',
              width: 100,
              fixed: 'right' as const,
              align: 'center' as const,
              render: (_: unknown, s: Matrix['standards'][number]) => <CountCell c={s.totals} onClick={() => setDrill({ standardId: s.id, title: `${stdName.get(s.id)} · 全部单位` })} />,
            },
          ]}
        />
      </Card>
      <DrillDrawer drill={drill} matrix={m.data} onClose={() => setDrill(null)} />
    </div>
  );
}
