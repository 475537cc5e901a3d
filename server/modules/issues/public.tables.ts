import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { apiKeys } from '../open311/open311.tables.ts';
import { issues } from './issues.tables.ts';

/**
 * Issues filed from outside (the public 随手拍 page, Open311 clients): the tracking code the
 * citizen gets (also the Open311 token) and the channel. One row per such issue.
 */
export const publicReports = pgTable(
  'public_reports',
  {
    issueId: uuid('issue_id')
      .primaryKey()
      .references(() => issues.id),
    /** 8 characters from an alphabet without look-alikes (domain/tracking-code.ts) */
    trackingCode: text('tracking_code').notNull().unique(),
    /** web (随手拍) | open311 */
    channel: text('channel').notNull(),
    apiKeyId: uuid('api_key_id').references(() => apiKeys.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('public_reports_api_key_idx').on(t.apiKeyId)],
);
