import { date, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * The holiday calendar (Asia/Shanghai dates): `holiday` 放假 (off even on a weekday),
 * `workday` 调休上班 (a working Saturday or Sunday). Weekdays not listed work, weekends not listed
 * rest. Seeded with the official arrangement, editable by the admin.
 */
export const holidays = pgTable('holidays', {
  id: uuid('id').primaryKey(),
  date: date('date').notNull().unique(),
  kind: text('kind').notNull(),
  name: text('name').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
