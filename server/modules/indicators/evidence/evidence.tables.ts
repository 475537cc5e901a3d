import { sql } from 'drizzle-orm';
import { bigserial, boolean, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { orgUnits } from '../../org/org.tables.ts';
import { users } from '../../users/users.tables.ts';
import { indicatorNodes, indicatorSystems } from '../indicators.tables.ts';

/**
 * 材料要求: what evidence a 测评标准 asks of a unit (or, with unit_id null, of every 牵头/责任 unit
 * of the standard's tasks), and how often: once | monthly | quarterly | per_activity, between
 * two Asia/Shanghai calendar dates.
 */
export const evidenceRequirements = pgTable(
  'evidence_requirements',
  {
    id: uuid('id').primaryKey(),
    systemId: uuid('system_id')
      .notNull()
      .references(() => indicatorSystems.id),
    standardId: uuid('standard_id')
      .notNull()
      .references(() => indicatorNodes.id),
    /** null: every lead and responsible unit of the standard's tasks */
    unitId: uuid('unit_id').references(() => orgUnits.id),
    recurrence: text('recurrence').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }).notNull(),
    isActive: boolean('is_active').notNull().default(true),
    createdBy: uuid('created_by').references(() => users.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('evidence_requirements_standard_idx').on(t.systemId, t.standardId), index('evidence_requirements_unit_idx').on(t.unitId)],
);

/**
 * One piece of evidence a unit owes or filed: a due slot (requirement × unit × period; per-activity
 * requirements take more slots) that starts 待提交 and goes through the review flow of
 * domain/evidence-flow.ts. system/standard/item and the unit's path are copied in so that the
 * completeness matrix and the review queue are single-table scans on an index.
 * `file_ids` is the current set of files (owner type evidence_item); files left out by a resubmission
 * stay attached, so the event log still shows what was filed before.
 */
export const evidenceItems = pgTable(
  'evidence_items',
  {
    id: uuid('id').primaryKey(),
    requirementId: uuid('requirement_id')
      .notNull()
      .references(() => evidenceRequirements.id),
    systemId: uuid('system_id')
      .notNull()
      .references(() => indicatorSystems.id),
    standardId: uuid('standard_id')
      .notNull()
      .references(() => indicatorNodes.id),
    /** the 测评项目 above the standard: archive folders and filters by item */
    itemNodeId: uuid('item_node_id')
      .notNull()
      .references(() => indicatorNodes.id),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => orgUnits.id),
    unitPath: text('unit_path').notNull(),
    periodKey: text('period_key').notNull(),
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    periodEnd: date('period_end', { mode: 'string' }).notNull(),
    slot: integer('slot').notNull().default(1),
    /** the city's number (Ⅱ-1-1)-①), given at the first submission; seq is its circled number */
    number: text('number'),
    seq: integer('seq'),
    title: text('title').notNull().default(''),
    evidenceDate: date('evidence_date', { mode: 'string' }),
    description: text('description').notNull().default(''),
    /** draft 待提交 | submitted 已提交 | approved 通过 | returned 退回 */
    state: text('state').notNull().default('draft'),
    fileIds: jsonb('file_ids').$type<string[]>().notNull().default([]),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    submittedBy: uuid('submitted_by').references(() => users.id),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    reviewedBy: uuid('reviewed_by').references(() => users.id),
    returnReason: text('return_reason'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('evidence_items_slot_uq').on(t.requirementId, t.unitId, t.periodKey, t.slot),
    uniqueIndex('evidence_items_number_uq').on(t.standardId, t.seq).where(sql`${t.seq} IS NOT NULL`),
    index('evidence_items_matrix_idx').on(t.systemId, sql`${t.unitPath} text_pattern_ops`),
    index('evidence_items_queue_idx').on(t.state, t.submittedAt),
    index('evidence_items_unit_idx').on(t.unitId, t.state),
    index('evidence_items_standard_idx').on(t.standardId, t.unitId),
  ],
);

/** The last circled number used under a standard: one upsert per first submission, race-free. */
export const evidenceNumberCounters = pgTable('evidence_number_counters', {
  standardId: uuid('standard_id')
    .primaryKey()
    .references(() => indicatorNodes.id),
  last: integer('last').notNull(),
});

/** Every step of an evidence item (generate, submit, return with reason, resubmit, approve); append-only. */
export const evidenceEvents = pgTable(
  'evidence_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    itemId: uuid('item_id')
      .notNull()
      .references(() => evidenceItems.id),
    action: text('action').notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    actorId: uuid('actor_id').references(() => users.id),
    actorUnitId: uuid('actor_unit_id').references(() => orgUnits.id),
    note: text('note'),
    /** the files of a submission, the title at that time */
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('evidence_events_item_idx').on(t.itemId, t.id)],
);
