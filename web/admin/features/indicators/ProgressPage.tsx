import { Card, Progress, Segmented, Space, Statistic, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { type RollupBy, RollupByLabels, type RollupCounts, type RollupRow, type Task, type TaskPhase } from '../../../../contracts/indicators.ts';
import { can, useMe } from '../../../shared/session.ts';
import { defaultSystem, type TaskFilters, useRollup, useSystems, useTasks } from './api.ts';
import { SystemSelect, TaskDrawer } from './kit.tsx';
import { taskColumns } from './TasksPage.tsx';

/** done / in progress / not started as one stacked bar. */
function StackBar({ c }: { c: RollupCounts }) {
  const pct = (n: number) => (c.total ? (n / c.total) * 100 : 0);
  return (
    <Tooltip title={`已完成 ${c.done}，推进中 ${c.inProgress}，未开始 ${c.notStarted}`}>
      <Progress percent={pct(c.done) + pct(c.inProgress)} success={{ percent: pct(c.done) }} showInfo={false} size="small" style={{ margin: 0, width: 160 }} />
    </Tooltip>
  );
}

function Totals({ c }: { c: RollupCounts }) {
  return (
    <Space size="large" wrap data-testid="rollup-totals">
      <Statistic title="任务" value={c.total} />
      <Statistic title="已完成" value={c.done} styles={{ content: { color: '#389e0d' } }} />
      <Statistic title="推进中" value={c.inProgress} styles={{ content: { color: '#1677ff' } }} />
      <Statistic title="未开始" value={c.notStarted} />
      <Statistic title="超期" value={c.overdue} styles={{ content: { color: c.overdue ? '#cf1322' : undefined } }} />
      <Statistic title="停滞" value={c.stalled} styles={{ content: { color: c.stalled ? '#d46b08' : undefined } }} />
      <Statistic title="平均进度" value={c.meanPercent} suffix="%" precision={1} />
    </Space>
  );
}

/** Superiors: their subtree's progress by unit, 测评项目 or phase, each row drilling down to its tasks. */
function Overview({ systemId }: { systemId: string }) {
  const [by, setBy] = useState<RollupBy>('unit');
  const [pick, setPick] = useState<RollupRow | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const rollup = useRollup(systemId, by);
  const drill: TaskFilters = pick
    ? { systemId, page, pageSize: 10, ...(by === 'unit' ? { unitId: pick.key } : by === 'item' ? { itemNodeId: pick.key } : pick.key ? { phase: pick.key as TaskPhase } : {}) }
    : { systemId };
  const tasks = useTasks(drill, !!pick);
  const columns = useMemo(() => taskColumns((t: Task) => setOpen(t.id)), []);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      {rollup.data && <Totals c={rollup.data.totals} />}
      <Segmented
        value={by}
        onChange={(v) => {
          setBy(v as RollupBy);
          setPick(null);
        }}
        options={Object.entries(RollupByLabels).map(([value, label]) => ({ value, label }))}
        data-testid="rollup-by"
      />
      <Table<RollupRow>
        rowKey="key"
        size="small"
        loading={rollup.isLoading}
        dataSource={rollup.data?.rows}
        pagination={{ pageSize: 15 }}
        data-testid="rollup-table"
        rowClassName={(r) => (r.key === pick?.key ? 'ant-table-row-selected' : '')}
        onRow={(r) => ({
          onClick: () => {
            setPick(r);
            setPage(1);
          },
          style: { cursor: 'pointer' },
        })}
        columns={[
          { title: by === 'unit' ? '单位' : by === 'item' ? '测评项目' : '阶段', key: 'label', render: (_, r) => <a>{r.code ? `${r.code} ${r.label}` : r.label || '未定阶段'}</a> },
          { title: '任务', dataIndex: 'total', width: 70, sorter: (a, b) => a.total - b.total },
          { title: '完成情况', key: 'bar', width: 180, render: (_, r) => <StackBar c={r} /> },
          { title: '已完成', dataIndex: 'done', width: 70 },
          { title: '推进中', dataIndex: 'inProgress', width: 70 },
          { title: '未开始', dataIndex: 'notStarted', width: 70 },
          { title: '平均进度', dataIndex: 'meanPercent', width: 90, sorter: (a, b) => a.meanPercent - b.meanPercent, render: (v: number) => `${v.toFixed(1)}%` },
          { title: '超期', dataIndex: 'overdue', width: 70, sorter: (a, b) => a.overdue - b.overdue, render: (v: number) => (v ? <Tag color="red">{v}</Tag> : 0) },
          { title: '停滞', dataIndex: 'stalled', width: 70, sorter: (a, b) => a.stalled - b.stalled, render: (v: number) => (v ? <Tag color="orange">{v}</Tag> : 0) },
        ]}
      />
      {pick && (
        <Card size="small" title={`${pick.code ? `${pick.code} ` : ''}${pick.label || '未定阶段'} 的任务`} data-testid="rollup-drill">
          <Table<Task>
            rowKey="id"
            size="small"
            loading={tasks.isLoading}
            dataSource={tasks.data?.items}
            columns={columns}
            scroll={{ x: 1300 }}
            pagination={{ current: page, pageSize: 10, total: tasks.data?.total, onChange: setPage, showTotal: (t) => `共 ${t} 项` }}
          />
        </Card>
      )}
      {open && <TaskDrawer taskId={open} onClose={() => setOpen(null)} />}
    </Space>
  );
}

/** A unit contact: the unit's own tasks; a task opens with the report form. */
function MyTasks({ systemId }: { systemId: string }) {
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<string | null>(null);
  const tasks = useTasks({ systemId, mine: true, page, pageSize: 20 });
  const columns = useMemo(() => taskColumns((t: Task) => setOpen(t.id)), []);
  return (
    <>
      <Typography.Paragraph type="secondary">点击任务编号或内容，查看详情并报送本单位的进度（状态、完成进度、说明和附件），每次报送都会保留。</Typography.Paragraph>
      <Table<Task>
        rowKey="id"
        size="small"
        loading={tasks.isLoading}
        dataSource={tasks.data?.items}
        columns={columns}
        scroll={{ x: 1300 }}
        data-testid="my-tasks"
        pagination={{ current: page, pageSize: 20, total: tasks.data?.total, onChange: setPage, showTotal: (t) => `本单位共 ${t} 项任务` }}
      />
      {open && <TaskDrawer taskId={open} onClose={() => setOpen(null)} />}
    </>
  );
}

/**
 * 任务进度: superiors see their subtree's progress (by unit, 测评项目, phase) with drill-down;
 * a unit's contact sees 本单位任务 and reports progress.
 */
export function ProgressPage() {
  const { data: me } = useMe();
  const systems = useSystems();
  const [systemId, setSystemId] = useState<string>();
  useEffect(() => {
    if (!systemId) setSystemId(defaultSystem(systems.data)?.id);
  }, [systems.data, systemId]);
  const reporter = can(me, 'tasks.report');
  const contactFirst = reporter && !can(me, 'indicators.manage');
  const tabs = [
    { key: 'overview', label: '进度总览', children: systemId ? <Overview systemId={systemId} /> : null },
    ...(reporter ? [{ key: 'mine', label: '本单位任务', children: systemId ? <MyTasks systemId={systemId} /> : null }] : []),
  ];
  return (
    <div>
      <h1 className="cw-page-title">任务进度</h1>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Space>
          <span>测评体系：</span>
          <SystemSelect systems={systems.data} value={systemId} onChange={setSystemId} />
          <Typography.Text type="secondary">{me ? `范围：${me.unit.name}及下级单位` : ''}</Typography.Text>
        </Space>
      </Card>
      <Card size="small">
        <Tabs defaultActiveKey={contactFirst ? 'mine' : 'overview'} items={contactFirst ? [...tabs].reverse() : tabs} />
      </Card>
    </div>
  );
}
