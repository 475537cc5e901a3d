import { BellOutlined, CameraOutlined, FileSearchOutlined } from '@ant-design/icons';
import { useQueries, useQuery } from '@tanstack/react-query';
import { Badge, Card } from 'antd';
import { Link } from 'react-router';
import type { Me } from '../../../../contracts/auth.ts';
import type { Paged } from '../../../../contracts/common.ts';
import type { Issue } from '../../../../contracts/issues.ts';
import type { NotificationPage } from '../../../../contracts/notifications.ts';
import { get, qs } from '../../../shared/api.ts';
import { can } from '../../../shared/session.ts';
import { issueTabs } from './H5IssueListPage.tsx';

/** The 问题整改 card on the role landing: 上报问题, and each to-do list with its count. */
export function IssueEntries({ me }: { me: Me }) {
  const tabs = issueTabs(me).filter((t) => t.key !== 'mine');
  const counts = useQueries({
    queries: tabs.map((t) => ({
      queryKey: ['issues', 'h5-count', t.filter],
      queryFn: () => get<Paged<Issue>>(`/api/issues${qs({ ...t.filter, pageSize: 1 })}`),
      staleTime: 30_000,
    })),
  });
  const messages = useQuery({
    queryKey: ['notifications', 'h5-unread'],
    queryFn: () => get<NotificationPage>('/api/notifications?unread=true&pageSize=1'),
    staleTime: 30_000,
    enabled: can(me, 'issues.read'),
  });
  if (!can(me, 'issues.read') && !can(me, 'issues.report')) return null;
  return (
    <Card size="small" title="问题整改" data-testid="h5-issue-entries">
      <div className="h5-grid">
        {can(me, 'issues.report') && (
          <Link to="/issues/new" className="h5-tile" data-testid="h5-issue-report">
            <span className="icon" style={{ background: '#c8102e' }}>
              <CameraOutlined />
            </span>
            上报问题
          </Link>
        )}
        {tabs.map((t, i) => (
          <Link key={t.key} to={`/issues?tab=${t.key}`} className="h5-tile" data-testid={`h5-issue-${t.key}`}>
            <Badge count={counts[i]?.data?.total ?? 0} overflowCount={99} size="small">
              <span className="icon" style={{ background: t.key === 'overdue' ? '#cf1322' : '#1677ff' }}>
                <FileSearchOutlined />
              </span>
            </Badge>
            {t.label}
          </Link>
        ))}
        <Link to="/messages" className="h5-tile" data-testid="h5-messages">
          <Badge count={messages.data?.unreadCount ?? 0} overflowCount={99} size="small">
            <span className="icon" style={{ background: '#13a8a8' }}>
              <BellOutlined />
            </span>
          </Badge>
          消息
        </Link>
        {can(me, 'issues.report') && (
          <Link to="/issues?tab=mine" className="h5-tile" data-testid="h5-issue-mine">
            <span className="icon" style={{ background: '#fa8c16' }}>
              <FileSearchOutlined />
            </span>
            我上报的
          </Link>
        )}
      </div>
    </Card>
  );
}
