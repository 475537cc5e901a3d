import { BellOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Badge, Button, Dropdown, Empty } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { Notification, NotificationPage } from '../../../../contracts/notifications.ts';
import { get, post } from '../../../shared/api.ts';
import { formatDateTime } from '../../../shared/format.ts';
import './issues.css';

/**
 * The bell in the header: unread count (polled every minute), the latest notifications in a
 * dropdown; a click marks one read and follows its link.
 */
export function NotificationBell() {
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const q = useQuery({
    queryKey: ['notifications', 'latest'],
    queryFn: () => get<NotificationPage>('/api/notifications?pageSize=10'),
    refetchInterval: 60_000,
    retry: false,
  });
  const unread = q.data?.unreadCount ?? 0;
  const refresh = () => qc.invalidateQueries({ queryKey: ['notifications'] });

  const openOne = async (n: Notification) => {
    setOpen(false);
    if (!n.readAt) await post(`/api/notifications/${n.id}/read`).catch(() => undefined);
    await refresh();
    if (n.link) navigate(n.link);
  };

  const panel = (
    <div className="cw-bell-list" data-testid="notification-list">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', padding: '8px 14px', borderBottom: '1px solid #f0f0f0' }}>
        <strong>通知{unread ? `（${unread} 条未读）` : ''}</strong>
        <Button
          type="link"
          size="small"
          disabled={!unread}
          onClick={async () => {
            await post('/api/notifications/read-all').catch(() => undefined);
            await refresh();
          }}
        >
          全部已读
        </Button>
      </div>
      {(q.data?.items ?? []).length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无通知" style={{ padding: 16 }} />}
      {(q.data?.items ?? []).map((n) => (
        <div key={n.id} className={`cw-bell-item${n.readAt ? '' : ' cw-bell-item-unread'}`} onClick={() => void openOne(n)} data-testid="notification-item">
          <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
            <span style={{ fontWeight: n.readAt ? 400 : 600 }}>
              {!n.readAt && <Badge status="error" style={{ marginInlineEnd: 4 }} />}
              {n.title}
            </span>
          </div>
          {n.body && <div style={{ color: '#666', fontSize: 12, marginTop: 2 }}>{n.body}</div>}
          <div style={{ color: '#aaa', fontSize: 12, marginTop: 2 }}>{formatDateTime(n.createdAt)}</div>
        </div>
      ))}
    </div>
  );

  if (q.isError) return null;
  return (
    <Dropdown open={open} onOpenChange={setOpen} trigger={['click']} popupRender={() => panel} placement="bottomRight">
      <Badge count={unread} size="small" overflowCount={99}>
        <Button type="text" icon={<BellOutlined style={{ fontSize: 18 }} />} aria-label={`通知${unread ? `，${unread} 条未读` : ''}`} data-testid="notification-bell" />
      </Badge>
    </Dropdown>
  );
}
