import { useQueries, useQuery } from '@tanstack/react-query';
import { Badge, Card, Tabs } from 'antd';
import { useNavigate, useSearchParams } from 'react-router';
import type { Paged } from '../../../../contracts/common.ts';
import { type Issue, IssueSourceLabels } from '../../../../contracts/issues.ts';
import type { FlowRole } from '../../../../domain/issue-flow.ts';
import { get, qs } from '../../../shared/api.ts';
import { formatDateTime } from '../../../shared/format.ts';
import { ActionButtons, rowActions } from './IssueActions.tsx';
import { DeadlineCell, StateTag } from './kit.tsx';
import { DataTable } from '../../../shared/components/DataTable.tsx';

type Row = Issue;
export type QueueTab = { key: string; label: string; filter: Record<string, string>; empty: string };

/**
 * A work queue: tabs with their counts, each a filtered list with the row's next actions inline
 * (from the flow table for the given roles; the server still decides). The tab is in the URL.
 */
export function IssueQueue({ title, tabs, roles, testId }: { title: string; tabs: QueueTab[]; roles: FlowRole[]; testId: string }) {
  const navigate = useNavigate();
  const [sp, setSp] = useSearchParams();
  const active = tabs.find((t) => t.key === sp.get('tab')) ?? tabs[0];
  const page = Number(sp.get('page') ?? 1) || 1;
  const counts = useQueries({
    queries: tabs.map((t) => ({
      queryKey: ['issues', 'queue-count', t.filter],
      queryFn: () => get<Paged<Row>>(`/api/issues${qs({ ...t.filter, pageSize: 1 })}`),
      refetchInterval: 60_000,
    })),
  });
  const list = useQuery({
    queryKey: ['issues', 'queue', active.filter, page],
    queryFn: () => get<Paged<Row>>(`/api/issues${qs({ ...active.filter, page, pageSize: 20 })}`),
  });

  return (
    <div data-testid={testId}>
      <h1 className="cw-page-title">{title}</h1>
      <Card size="small">
        <Tabs
          activeKey={active.key}
          onChange={(k) => setSp(new URLSearchParams({ tab: k }))}
          items={tabs.map((t, i) => ({
            key: t.key,
            label: (
              <span data-testid={`queue-tab-${t.key}`}>
                {t.label} <Badge count={counts[i].data?.total ?? 0} showZero overflowCount={9999} color={counts[i].data?.total ? '#c8102e' : '#bfbfbf'} />
              </span>
            ),
          }))}
        />
        <DataTable<Row> tableKey="issuequeue"
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={list.data?.items}
          scroll={{ x: 1180 }}
          locale={{ emptyText: active.empty }}
          data-testid={`${testId}-table`}
          pagination={{
            current: page,
            pageSize: 20,
            total: list.data?.total,
            showSizeChanger: false,
            showTotal: (t) => `共 ${t} 个`,
            onChange: (p) => setSp(new URLSearchParams({ tab: active.key, page: String(p) })),
          }}
          columns={[
            {
              title: '编号 / 标题',
              dataIndex: 'title',
              width: 250,
              fixed: 'left',
              render: (v: string, r) => (
                <div>
                  <a onClick={() => navigate(`/issues/${r.id}`)} data-testid="issue-link">
                    {v}
                  </a>
                  <div style={{ color: '#999', fontSize: 12 }}>{r.number}</div>
                </div>
              ),
            },
            { title: '分类', dataIndex: 'categoryName', width: 100 },
            { title: '来源', dataIndex: 'source', width: 90, render: (s: Issue['source']) => IssueSourceLabels[s] },
            { title: '地点', dataIndex: 'address', width: 180, render: (a: string | null, r) => a ?? r.areaUnitName },
            { title: '责任单位', dataIndex: 'responsibleUnitName', width: 140, render: (v: string | null) => v ?? '未定' },
            {
              title: '状态',
              dataIndex: 'state',
              width: 120,
              render: (s: Issue['state'], r) => (
                <div>
                  <StateTag state={s} extensionPending={r.extensionPending} />
                  {r.reworkCount > 0 && <div style={{ color: '#c8102e', fontSize: 12 }}>返工 {r.reworkCount} 次</div>}
                </div>
              ),
            },
            { title: '处置期限', key: 'deadline', width: 160, render: (_: unknown, r) => <DeadlineCell issue={r} /> },
            { title: '上报时间', dataIndex: 'createdAt', width: 150, render: (v: string) => formatDateTime(v) },
            {
              title: '操作',
              key: 'ops',
              width: 230,
              render: (_: unknown, r) => <ActionButtons size="small" issue={r} actions={rowActions(r, roles).filter((a) => a !== 'merge')} />,
            },
          ]}
        />
      </Card>
    </div>
  );
}
