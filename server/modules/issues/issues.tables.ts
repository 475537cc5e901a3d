import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigserial,
  boolean,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { grids, orgUnits, points } from '../org/org.tables.ts';
import { users } from '../users/users.tables.ts';

/** The two-level 事件/部件 taxonomy (数字城管 style); editable data, seeded on an empty table. */
export const issueCategories = pgTable(
  'issue_categories',
  {
    id: uuid('id').primaryKey(),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    /** event 事件 | component 部件 */
    kind: text('kind').notNull().default('event'),
    parentId: uuid('parent_id').references((): AnyPgColumn => issueCategories.id),
    /** the unit an issue of this category goes to when its place names none */
    defaultUnitId: uuid('default_unit_id').references(() => orgUnits.id),
    /** 处置时限, in timeLimitUnit from dispatch (severity adjusts it: domain/working-days.ts) */
    timeLimitDays: integer('time_limit_days').notNull(),
    /** calendar 自然日 | working 工作日 (holiday calendar: holidays table) */
    timeLimitUnit: text('time_limit_unit').notNull().default('calendar'),
    sort: integer('sort').notNull().default(0),
    isActive: boolean('is_active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('issue_categories_parent_idx').on(t.parentId, t.sort)],
);

/** Per-day counter behind the human number WT<yyyymmdd>-<nnnnnn>; one upsert per issue, race-free. */
export const issueDayCounters = pgTable('issue_day_counters', {
  day: date('day').primaryKey(),
  last: integer('last').notNull(),
});

export const issues = pgTable(
  'issues',
  {
    id: uuid('id').primaryKey(),
    number: text('number').notNull().unique(),
    source: text('source').notNull(),
    categoryId: uuid('category_id')
      .notNull()
      .references(() => issueCategories.id),
    severity: text('severity').notNull().default('normal'),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    pointId: uuid('point_id').references(() => points.id),
    gridId: uuid('grid_id').references(() => grids.id),
    /** the street, community (or district) the issue lies in: drives data scope like points */
    areaUnitId: uuid('area_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    areaPath: text('area_path').notNull(),
    address: text('address'),
    /** WGS-84 */
    lng: doublePrecision('lng'),
    lat: doublePrecision('lat'),
    /** null for citizens' reports */
    reporterId: uuid('reporter_id').references(() => users.id),
    /** AES-256-GCM ciphertext (deps.crypto) */
    reporterPhoneEnc: text('reporter_phone_enc'),
    responsibleUnitId: uuid('responsible_unit_id').references(() => orgUnits.id),
    /** denormalised path of responsibleUnitId: "dispatched to my subtree" in one index */
    responsiblePath: text('responsible_path'),
    deadline: timestamp('deadline', { withTimezone: true }),
    state: text('state').notNull(),
    extensionPending: boolean('extension_pending').notNull().default(false),
    requestedDeadline: timestamp('requested_deadline', { withTimezone: true }),
    reworkCount: integer('rework_count').notNull().default(0),
    relapseCount: integer('relapse_count').notNull().default(0),
    mergedIntoId: uuid('merged_into_id').references((): AnyPgColumn => issues.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /** when the issue last went to a unit (派遣, re-派遣, 回潮): start of 处置时长 in the metrics (domain/issue-metrics.ts); set by trigger (migration issues_dispatched_at) */
    dispatchedAt: timestamp('dispatched_at', { withTimezone: true }),
  },
  (t) => [
    index('issues_area_path_idx').on(sql`${t.areaPath} text_pattern_ops`),
    index('issues_responsible_path_idx').on(sql`${t.responsiblePath} text_pattern_ops`),
    index('issues_state_idx').on(t.state, t.deadline),
    // the queues: one state within a subtree, by area or by responsible unit (bitmap-ORed with the scope's other branches)
    index('issues_state_area_idx').on(t.state, sql`${t.areaPath} text_pattern_ops`),
    index('issues_state_responsible_idx').on(t.state, sql`${t.responsiblePath} text_pattern_ops`),
    index('issues_category_idx').on(t.categoryId),
    index('issues_reporter_idx').on(t.reporterId),
    index('issues_grid_idx').on(t.gridId),
    index('issues_created_idx').on(t.createdAt),
    // metrics (metrics.repo.ts): two covering partial indexes on deadline and closed_at, created in
    // migration 0013 (drizzle cannot declare INCLUDE columns), serve the one-pass aggregate index-only
    /** the reports merged into an issue (its page lists them) */
    index('issues_merged_into_idx')
      .on(t.mergedIntoId)
      .where(sql`${t.mergedIntoId} IS NOT NULL`),
    /** duplicate hints: open issues of a category in a latitude band (bounding-box prefilter) */
    index('issues_open_category_lat_idx')
      .on(t.categoryId, t.lat, t.lng)
      .where(sql`${t.state} NOT IN ('closed', 'rejected', 'merged') AND ${t.lat} IS NOT NULL`),
  ],
);

/** Every transition of an issue, written in the transaction that makes it; append-only. */
export const issueEvents = pgTable(
  'issue_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    issueId: uuid('issue_id')
      .notNull()
      .references(() => issues.id),
    action: text('action').notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    actorId: uuid('actor_id').references(() => users.id),
    actorUnitId: uuid('actor_unit_id').references(() => orgUnits.id),
    note: text('note'),
    /** the action's inputs (unitId, deadline, photos, targetId) and the counters after it */
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('issue_events_issue_idx').on(t.issueId, t.id)],
);
