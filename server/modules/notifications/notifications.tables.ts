import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { issues } from '../issues/issues.tables.ts';
import { users } from '../users/users.tables.ts';

/** In-app notifications, one row per recipient; `dedupe_key` makes a reminder idempotent. */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    link: text('link'),
    issueId: uuid('issue_id').references(() => issues.id),
    readAt: timestamp('read_at', { withTimezone: true }),
    /** e.g. `due:<issue>:<user>:2026-11-21`; null = never deduplicated */
    dedupeKey: text('dedupe_key').unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('notifications_user_idx').on(t.userId, t.createdAt), index('notifications_issue_idx').on(t.issueId)],
);
