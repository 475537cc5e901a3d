import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { Badge, Button, Card, Empty, Spin, Tag } from 'antd';
import { useNavigate } from 'react-router';
import { type Notification, NotificationKindLabels, type NotificationPage } from '../../../../contracts/notifications.ts';
import { get, post, qs } from '../../../shared/api.ts';
import { formatDateTime } from '../../../shared/format.ts';
import { H5Page } from '../../components/H5Page.tsx';
import { ErrorBox } from './issueKit.tsx';

const ALARM = new Set<Notification['kind']>(['issue_overdue', 'issue_rework', 'issue_reopened', 'issue_returned', 'issue_extension_denied']);

/** 消息: the in-app notifications (派遣, 回退, 待核查, 返工, 延期, 回潮, 即将到期, 超期); a tap opens the issue on the phone. */
export function H5MessagesPage() {
  const navigate = useNavigate();
  const qc = useQueryClient();
  const q = useInfiniteQuery({
    queryKey: ['notifications', 'h5'],
    queryFn: ({ pageParam }) => get<NotificationPage>(`/api/notifications${qs({ page: pageParam, pageSize: 20 })}`),
    initialPageParam: 1,
    getNextPageParam: (last) => (last.page * last.pageSize < last.total ? last.page + 1 : undefined),
  });
  const refresh = () => qc.invalidateQueries({ queryKey: ['notifications'] });
  const readAll = useMutation({ mutationFn: () => post<{ updated: number; unreadCount: number }>('/api/notifications/read-all'), onSuccess: refresh });
  const open = async (n: Notification) => {
    if (!n.readAt) await post<Notification>(`/api/notifications/${n.id}/read`).catch(() => undefined);
    void refresh();
    if (n.issueId) navigate(`/issues/${n.issueId}`);
  };
  const unread = q.data?.pages[0]?.unreadCount ?? 0;
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <H5Page title="消息" back>
      <Card
        size="small"
        title={`未读 ${unread} 条`}
        extra={
          <Button size="small" disabled={!unread} loading={readAll.isPending} onClick={() => readAll.mutate()} data-testid="messages-read-all">
            全部已读
          </Button>
        }
      >
        <ErrorBox error={q.error ?? readAll.error} />
        {!q.data && !q.error && <Spin />}
        {q.data && items.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无消息" />}
        {items.map((n) => (
          <button type="button" key={n.id} className="h5-issue-row h5-message" onClick={() => void open(n)} data-testid="message-row" data-read={n.readAt ? 'true' : 'false'}>
            <div className="h5-issue-row-top">
              <div className="h5-row-title" style={{ flex: 1, fontWeight: n.readAt ? 400 : 600 }}>
                {!n.readAt && <Badge status="error" style={{ marginInlineEnd: 6 }} />}
                {n.title}
              </div>
              <Tag color={ALARM.has(n.kind) ? 'red' : 'blue'} style={{ marginInlineEnd: 0 }}>
                {NotificationKindLabels[n.kind]}
              </Tag>
            </div>
            <div style={{ fontSize: 13, color: '#595959', marginTop: 4, whiteSpace: 'normal' }}>{n.body}</div>
            <div className="h5-row-sub">{formatDateTime(n.createdAt)}</div>
          </button>
        ))}
        {q.hasNextPage && (
          <Button block onClick={() => void q.fetchNextPage()} loading={q.isFetchingNextPage} style={{ marginTop: 8 }}>
            加载更多
          </Button>
        )}
      </Card>
    </H5Page>
  );
}
