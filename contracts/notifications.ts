import { z } from 'zod';
import { PageQuery, QueryBool } from './common.ts';

/** What a notification is about; the text is composed by the server in Chinese. */
export const NotificationKindLabels = {
  issue_dispatched: '新派遣问题',
  issue_returned: '问题被回退',
  issue_feedback: '待核查',
  issue_rework: '核查不通过（返工）',
  issue_extension_requested: '延期申请',
  issue_extension_approved: '延期已批准',
  issue_extension_denied: '延期被驳回',
  issue_reopened: '问题回潮',
  issue_due_soon: '即将到期',
  issue_overdue: '已超期',
} as const;
export type NotificationKind = keyof typeof NotificationKindLabels;
export const NotificationKindEnum = z.enum(Object.keys(NotificationKindLabels) as [NotificationKind, ...NotificationKind[]]);

export const Notification = z.object({
  id: z.string(),
  kind: NotificationKindEnum,
  title: z.string(),
  body: z.string(),
  /** an in-app path, e.g. /issues/<id> (admin) — the phone app maps it to its own page */
  link: z.string().nullable(),
  issueId: z.string().nullable(),
  readAt: z.string().nullable(),
  createdAt: z.string(),
});
export type Notification = z.infer<typeof Notification>;

export const ListNotificationsQuery = PageQuery.extend({ unread: QueryBool.optional() });
export type ListNotificationsQuery = z.infer<typeof ListNotificationsQuery>;

export const NotificationPage = z.object({
  items: z.array(Notification),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  unreadCount: z.number().int(),
});
export type NotificationPage = z.infer<typeof NotificationPage>;

export const ReadAllResponse = z.object({ updated: z.number().int(), unreadCount: z.number().int() });
