import { PlusOutlined } from '@ant-design/icons';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Spin, Tabs } from 'antd';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { Me } from '../../../../contracts/auth.ts';
import type { Paged } from '../../../../contracts/common.ts';
import type { Issue } from '../../../../contracts/issues.ts';
import { get, qs } from '../../../shared/api.ts';
import { formatDateTime } from '../../../shared/format.ts';
import { can } from '../../../shared/session.ts';
import { H5Page } from '../../components/H5Page.tsx';
import { Countdown, ErrorBox, StateTag } from './issueKit.tsx';

/** Query parameters of GET /api/issues (ListIssuesQuery). */
type Filter = Record<string, string | number | boolean>;
type IssueTab = { key: string; label: string; filter: Filter };

/** The lists a user works from on the phone, by what they do (PRODUCT.md §2). */
export function issueTabs(me: Me): IssueTab[] {
  const roles = new Set(me.roles.map((r) => r.code));
  const tabs: IssueTab[] = [];
  if (roles.has('unit_contact')) {
    tabs.push(
      { key: 'sign', label: '待签收', filter: { mine: true, state: 'dispatched', sort: 'deadline' } },
      { key: 'fixing', label: '整改中', filter: { mine: true, state: 'rectifying', sort: 'deadline' } },
      { key: 'overdue', label: '超期', filter: { mine: true, overdue: true, sort: 'deadline' } },
    );
  }
  if (can(me, 'issues.verify')) tabs.push({ key: 'verify', label: '待核查', filter: { state: 'feedback', sort: 'deadline' } });
  if (can(me, 'issues.dispatch')) {
    tabs.push(
      { key: 'accept', label: '待受理', filter: { state: 'reported' } },
      { key: 'dispatch', label: '待派遣', filter: { state: 'accepted' } },
      { key: 'returned', label: '被回退', filter: { state: 'returned' } },
      { key: 'extension', label: '延期待批', filter: { extensionPending: true, sort: 'deadline' } },
      { key: 'close', label: '待结案', filter: { state: 'verified' } },
    );
  }
  if (can(me, 'issues.report')) tabs.push({ key: 'mine', label: '我上报的', filter: { reportedByMe: true } });
  return tabs;
}

function IssueRows({ filter }: { filter: Filter }) {
  const q = useInfiniteQuery({
    queryKey: ['issues', 'h5', filter],
    queryFn: ({ pageParam }) => get<Paged<Issue>>(`/api/issues${qs({ ...filter, page: pageParam, pageSize: 20 })}`),
    initialPageParam: 1,
    getNextPageParam: (last) => (last.page * last.pageSize < last.total ? last.page + 1 : undefined),
  });
  if (q.error) return <ErrorBox error={q.error} />;
  if (!q.data) return <Spin />;
  const items = q.data.pages.flatMap((p) => p.items);
  if (items.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无问题" />;
  return (
    <div>
      <div style={{ fontSize: 12, color: '#8c8c8c' }}>共 {q.data.pages[0].total} 件</div>
      {items.map((i) => (
        <Link key={i.id} to={`/issues/${i.id}`} className="h5-issue-row" data-testid="issue-row">
          <div className="h5-issue-row-top">
            <div className="h5-row-title" style={{ flex: 1 }}>
              {i.title}
            </div>
            <StateTag state={i.state} />
          </div>
          <div className="h5-row-sub">
            {i.number} · {i.categoryName} · {i.areaUnitName}
          </div>
          <div className="h5-issue-row-top" style={{ marginTop: 4 }}>
            <span className="h5-row-sub">
              {i.responsibleUnitName ?? '待派遣'} · {formatDateTime(i.createdAt)}
            </span>
            <Countdown deadline={i.deadline} state={i.state} />
          </div>
        </Link>
      ))}
      {q.hasNextPage && (
        <Button block onClick={() => void q.fetchNextPage()} loading={q.isFetchingNextPage} style={{ marginTop: 8 }}>
          加载更多
        </Button>
      )}
    </div>
  );
}

/** 我的问题: tabs by role (unit: 待签收/整改中/超期; grid worker and inspector: 待核查; reporter: 我上报的); to-do lists nearest deadline first. */
export function H5IssueListPage({ me }: { me: Me }) {
  const tabs = issueTabs(me);
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const active = tabs.find((t) => t.key === params.get('tab'))?.key ?? tabs[0]?.key;
  return (
    <H5Page
      title="我的问题"
      back
      extra={
        can(me, 'issues.report') ? (
          <button type="button" className="h5-back" aria-label="上报问题" onClick={() => navigate('/issues/new')}>
            <PlusOutlined />
          </button>
        ) : undefined
      }
    >
      <Card size="small" styles={{ body: { paddingTop: 0 } }}>
        {tabs.length === 0 ? (
          <Empty description="您的账号没有问题整改的权限" />
        ) : (
          <Tabs
            activeKey={active}
            onChange={(k) => setParams({ tab: k }, { replace: true })}
            items={tabs.map((t) => ({ key: t.key, label: <span data-testid={`issue-tab-${t.key}`}>{t.label}</span>, children: <IssueRows filter={t.filter} /> }))}
          />
        )}
      </Card>
    </H5Page>
  );
}
