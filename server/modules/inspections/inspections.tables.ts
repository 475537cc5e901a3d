import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { ChecklistItem } from '../../../domain/inspection-scoring.ts';
import { issues } from '../issues/issues.tables.ts';
import { orgUnits, pointTypes, points } from '../org/org.tables.ts';
import { users } from '../users/users.tables.ts';

const created = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updated = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

/** Item groups (公益宣传, 环境卫生, 公共秩序 …): data, seeded, editable. */
export const inspectionItemGroups = pgTable('inspection_item_groups', {
  code: text('code').primaryKey(),
  name: text('name').notNull().unique(),
  sort: integer('sort').notNull().default(0),
});

/** Reusable item blocks (the 文明行为 7-pack) that templates include by reference; resolved and frozen when a version is published. */
export const inspectionFragments = pgTable('inspection_fragments', {
  id: uuid('id').primaryKey(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  items: jsonb('items').$type<ChecklistItem[]>().notNull(),
  version: integer('version').notNull().default(1),
  createdAt: created(),
  updatedAt: updated(),
});

/** 测评细则: a checklist for one or more point types, with versions. */
export const inspectionTemplates = pgTable('inspection_templates', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  /** the indicator system (测评体系) whose standards the items serve */
  systemId: uuid('system_id'),
  isActive: boolean('is_active').notNull().default(true),
  version: integer('version').notNull().default(1),
  createdAt: created(),
  updatedAt: updated(),
});

export const inspectionTemplatePointTypes = pgTable(
  'inspection_template_point_types',
  {
    templateId: uuid('template_id')
      .notNull()
      .references(() => inspectionTemplates.id, { onDelete: 'cascade' }),
    pointTypeId: uuid('point_type_id')
      .notNull()
      .references(() => pointTypes.id),
  },
  (t) => [primaryKey({ columns: [t.templateId, t.pointTypeId] }), index('inspection_template_point_types_type_idx').on(t.pointTypeId)],
);

/** One version of a template: a draft is edited (version = optimistic lock); a published one is frozen (trigger). */
export const inspectionTemplateVersions = pgTable(
  'inspection_template_versions',
  {
    id: uuid('id').primaryKey(),
    templateId: uuid('template_id')
      .notNull()
      .references(() => inspectionTemplates.id),
    number: integer('number').notNull(),
    /** draft | published */
    status: text('status').notNull().default('draft'),
    /** the editable model: items and fragment includes, in order */
    model: jsonb('model').$type<TemplateModelJson>().notNull(),
    /** published versions: the items with fragments resolved, frozen */
    items: jsonb('items').$type<ChecklistItem[]>(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
    createdAt: created(),
    updatedAt: updated(),
  },
  (t) => [uniqueIndex('inspection_template_versions_uq').on(t.templateId, t.number)],
);

export type TemplateModelJson = { entries: ({ kind: 'item'; item: ChecklistItem } | { kind: 'fragment'; fragmentId: string })[] };

/** 督查组: a leader and members (督查员, 义务监督员). */
export const inspectionTeams = pgTable('inspection_teams', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull().unique(),
  /** the unit the team belongs to (city 创文办 督查科, a district office…) */
  unitId: uuid('unit_id')
    .notNull()
    .references(() => orgUnits.id),
  leaderId: uuid('leader_id')
    .notNull()
    .references(() => users.id),
  /** districts or 责任区 whose points the team covers by default (unit ids) */
  areaUnitIds: jsonb('area_unit_ids').$type<string[]>().notNull().default([]),
  isActive: boolean('is_active').notNull().default(true),
  version: integer('version').notNull().default(1),
  createdAt: created(),
  updatedAt: updated(),
});

export const inspectionTeamMembers = pgTable(
  'inspection_team_members',
  {
    teamId: uuid('team_id')
      .notNull()
      .references(() => inspectionTeams.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] }), index('inspection_team_members_user_idx').on(t.userId)],
);

/** A 督查计划: mode, team, period, schedule, points (explicit or a recorded stratified draw). */
export const inspectionPlans = pgTable('inspection_plans', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  /** open 明查 | covert 暗访 | self 自查 | peer 互查 | third_party 第三方模拟测评 */
  mode: text('mode').notNull(),
  teamId: uuid('team_id')
    .notNull()
    .references(() => inspectionTeams.id),
  /** the unit that made the plan (scope of who manages it) */
  unitId: uuid('unit_id')
    .notNull()
    .references(() => orgUnits.id),
  unitPath: text('unit_path').notNull(),
  /** a fixed template (null: the latest published template of each point's type) */
  templateId: uuid('template_id').references(() => inspectionTemplates.id),
  periodStart: text('period_start').notNull(),
  periodEnd: text('period_end').notNull(),
  /** once | daily | weekly | monthly */
  scheduleKind: text('schedule_kind').notNull(),
  windowDays: integer('window_days').notNull().default(7),
  allowLate: boolean('allow_late').notNull().default(false),
  /** submit | review: when failed items become issues (暗访: not before publishing) */
  issuesOn: text('issues_on').notNull().default('submit'),
  /** explicit | draw */
  selection: text('selection').notNull(),
  /** the draw's input and seed: { strata, excludeDays, seed } */
  draw: jsonb('draw').$type<{ strata: { typeId: string; districtId: string; count: number }[]; excludeDays: number | null; seed: string } | null>(),
  /** 暗访: visible to inspected units only from here */
  publishedAt: timestamp('published_at', { withTimezone: true }),
  createdBy: uuid('created_by').references(() => users.id),
  version: integer('version').notNull().default(1),
  createdAt: created(),
  updatedAt: updated(),
});

export const inspectionPlanPoints = pgTable(
  'inspection_plan_points',
  {
    planId: uuid('plan_id')
      .notNull()
      .references(() => inspectionPlans.id, { onDelete: 'cascade' }),
    pointId: uuid('point_id')
      .notNull()
      .references(() => points.id),
  },
  (t) => [primaryKey({ columns: [t.planId, t.pointId] })],
);

/** One point to inspect in one due window. */
export const inspectionOccurrences = pgTable(
  'inspection_occurrences',
  {
    id: uuid('id').primaryKey(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => inspectionPlans.id),
    pointId: uuid('point_id')
      .notNull()
      .references(() => points.id),
    templateVersionId: uuid('template_version_id')
      .notNull()
      .references(() => inspectionTemplateVersions.id),
    teamId: uuid('team_id')
      .notNull()
      .references(() => inspectionTeams.id),
    dueFrom: timestamp('due_from', { withTimezone: true }).notNull(),
    dueTo: timestamp('due_to', { withTimezone: true }).notNull(),
    state: text('state').notNull().default('pending'),
    /** who started it (检查中) */
    inspectorId: uuid('inspector_id').references(() => users.id),
    version: integer('version').notNull().default(1),
    createdAt: created(),
    updatedAt: updated(),
  },
  (t) => [
    uniqueIndex('inspection_occurrences_uq').on(t.planId, t.pointId, t.dueFrom),
    index('inspection_occurrences_team_due_idx').on(t.teamId, t.dueFrom),
    index('inspection_occurrences_open_due_idx')
      .on(t.dueTo)
      .where(sql`${t.state} IN ('pending', 'in_progress')`),
  ],
);

/** The visit of an occurrence: one per occurrence, never edited after submission (amendments are events). */
export const inspections = pgTable(
  'inspections',
  {
    id: uuid('id').primaryKey(),
    occurrenceId: uuid('occurrence_id')
      .notNull()
      .references(() => inspectionOccurrences.id),
    /** idempotency key chosen by the phone: the same key twice answers the first result */
    clientKey: text('client_key').notNull(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => inspectionPlans.id),
    mode: text('mode').notNull(),
    pointId: uuid('point_id')
      .notNull()
      .references(() => points.id),
    pointTypeId: uuid('point_type_id')
      .notNull()
      .references(() => pointTypes.id),
    /** the point's area path at submission (district = 2nd segment, street = 3rd); rewritten by unit moves */
    areaPath: text('area_path').notNull(),
    templateVersionId: uuid('template_version_id')
      .notNull()
      .references(() => inspectionTemplateVersions.id),
    inspectorId: uuid('inspector_id')
      .notNull()
      .references(() => users.id),
    /** done | unable 无法检查 | refused 拒绝检查 */
    outcome: text('outcome').notNull(),
    reason: text('reason'),
    startedAt: timestamp('started_at', { withTimezone: true }),
    /** when the inspector finished (the phone's clock, possibly offline) */
    inspectedAt: timestamp('inspected_at', { withTimezone: true }).notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
    lng: doublePrecision('lng'),
    lat: doublePrecision('lat'),
    accuracyM: doublePrecision('accuracy_m'),
    distanceM: integer('distance_m'),
    /** submitted far from the point (flagged, not refused) */
    farFromPoint: boolean('far_from_point').notNull().default(false),
    earnedUnits: bigint('earned_units', { mode: 'number' }).notNull().default(0),
    possibleUnits: bigint('possible_units', { mode: 'number' }).notNull().default(0),
    observedCount: integer('observed_count').notNull().default(0),
    failedCount: integer('failed_count').notNull().default(0),
    naCount: integer('na_count').notNull().default(0),
    /** issues were raised for the failed items (on submit, review or publish, per plan) */
    issuesRaisedAt: timestamp('issues_raised_at', { withTimezone: true }),
    amendmentCount: integer('amendment_count').notNull().default(0),
  },
  (t) => [
    uniqueIndex('inspections_occurrence_uq').on(t.occurrenceId),
    uniqueIndex('inspections_client_key_uq').on(t.clientKey),
    index('inspections_point_idx').on(t.pointId, t.inspectedAt),
    index('inspections_area_path_idx').on(sql`${t.areaPath} text_pattern_ops`),
    index('inspections_inspected_idx').on(t.inspectedAt),
    index('inspections_plan_idx').on(t.planId),
  ],
);

/** One item's observation; an amendment adds a row with `supersedes` and marks nothing in place except `current`. */
export const inspectionObservations = pgTable(
  'inspection_observations',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    inspectionId: uuid('inspection_id')
      .notNull()
      .references(() => inspections.id),
    itemKey: text('item_key').notNull(),
    groupCode: text('group_code').notNull(),
    /** pass | fail | na */
    outcome: text('outcome').notNull(),
    value: jsonb('value').$type<Record<string, unknown>>().notNull(),
    grade: text('grade'),
    earnedUnits: integer('earned_units').notNull(),
    possibleUnits: integer('possible_units').notNull(),
    note: text('note'),
    photoIds: jsonb('photo_ids').$type<string[]>().notNull().default([]),
    issueId: uuid('issue_id').references(() => issues.id),
    /** false once an amendment replaced it (the replacement carries `amendment` = its event id) */
    current: boolean('current').notNull().default(true),
    amendment: integer('amendment').notNull().default(0),
  },
  (t) => [
    index('inspection_observations_inspection_idx').on(t.inspectionId, t.itemKey),
    index('inspection_observations_issue_idx')
      .on(t.issueId)
      .where(sql`${t.issueId} IS NOT NULL`),
  ],
);

/** Photos of an inspection, each with its own idempotency key, time and place. */
export const inspectionPhotos = pgTable(
  'inspection_photos',
  {
    id: uuid('id').primaryKey(),
    inspectionId: uuid('inspection_id')
      .notNull()
      .references(() => inspections.id),
    clientKey: text('client_key').notNull(),
    fileId: uuid('file_id').notNull(),
    /** null: a photo of the visit itself (无法检查 / 拒绝检查) */
    itemKey: text('item_key'),
    takenAt: timestamp('taken_at', { withTimezone: true }),
    lng: doublePrecision('lng'),
    lat: doublePrecision('lat'),
  },
  (t) => [uniqueIndex('inspection_photos_client_key_uq').on(t.clientKey), index('inspection_photos_inspection_idx').on(t.inspectionId)],
);

/** Every step of an occurrence, written in the transaction that makes it; append-only. */
export const inspectionEvents = pgTable(
  'inspection_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    occurrenceId: uuid('occurrence_id')
      .notNull()
      .references(() => inspectionOccurrences.id),
    inspectionId: uuid('inspection_id').references(() => inspections.id),
    action: text('action').notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    actorId: uuid('actor_id').references(() => users.id),
    note: text('note'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('inspection_events_occurrence_idx').on(t.occurrenceId, t.id)],
);
