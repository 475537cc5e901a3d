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
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { files } from '../files/files.tables.ts';
import { orgUnits } from '../org/org.tables.ts';
import { users } from '../users/users.tables.ts';

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
};

/**
 * A 测评体系 (PRODUCT.md §3.2): the main system or the 未成年人思想道德建设 system of one year, in
 * editions (`edition` 1, 2, … — a copy starts the next edition; `copied_from_id` says of which).
 * `version` is the row's optimistic lock, as everywhere.
 */
export const indicatorSystems = pgTable(
  'indicator_systems',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    /** main 测评体系 | minors 未成年人思想道德建设测评体系 */
    kind: text('kind').notNull(),
    year: integer('year').notNull(),
    edition: integer('edition').notNull().default(1),
    /** draft 草稿 | active 启用 | archived 归档 */
    status: text('status').notNull().default('draft'),
    /** the declared total (满分); the sum of the standards' scores is computed, not stored */
    totalScore: doublePrecision('total_score'),
    description: text('description').notNull().default(''),
    copiedFromId: uuid('copied_from_id').references((): AnyPgColumn => indicatorSystems.id),
    createdBy: uuid('created_by').references(() => users.id),
    version: integer('version').notNull().default(1),
    ...timestamps,
  },
  (t) => [index('indicator_systems_year_idx').on(t.year, t.kind)],
);

/**
 * One node of a system's tree: 测评项目 (item) → 测评内容 (content) → 测评标准 (standard). `code` is
 * written as the city writes it (Ⅱ-1-1 or 2-1-1) and unique among the active nodes of a system.
 * `path` is the materialised path of node ids like org_units.path (subtree = prefix match).
 */
export const indicatorNodes = pgTable(
  'indicator_nodes',
  {
    id: uuid('id').primaryKey(),
    systemId: uuid('system_id')
      .notNull()
      .references(() => indicatorSystems.id),
    parentId: uuid('parent_id').references((): AnyPgColumn => indicatorNodes.id),
    /** item 测评项目 | content 测评内容 | standard 测评标准 */
    level: text('level').notNull(),
    code: text('code').notNull(),
    text: text('text').notNull(),
    score: doublePrecision('score'),
    /** EvaluationMethod keys: material, field, questionnaire, online, report, observation */
    methods: jsonb('methods').$type<string[]>().notNull().default([]),
    /** 材料要求 (for 材料审核 standards) */
    materials: text('materials').notNull().default(''),
    sort: integer('sort').notNull().default(0),
    path: text('path').notNull(),
    isActive: boolean('is_active').notNull().default(true),
    version: integer('version').notNull().default(1),
    ...timestamps,
  },
  (t) => [
    index('indicator_nodes_system_idx').on(t.systemId, t.level, t.sort),
    index('indicator_nodes_parent_idx').on(t.parentId, t.sort),
    index('indicator_nodes_path_idx').on(sql`${t.path} text_pattern_ops`),
    uniqueIndex('indicator_nodes_code_uq').on(t.systemId, t.code).where(sql`${t.isActive}`),
  ],
);

/** Every change of a node, before and after, written in the transaction that makes it; append-only. */
export const indicatorNodeHistory = pgTable(
  'indicator_node_history',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    nodeId: uuid('node_id')
      .notNull()
      .references(() => indicatorNodes.id),
    systemId: uuid('system_id')
      .notNull()
      .references(() => indicatorSystems.id),
    /** create | update | deactivate | import | copy */
    action: text('action').notNull(),
    before: jsonb('before').$type<Record<string, unknown>>(),
    after: jsonb('after').$type<Record<string, unknown>>(),
    actorId: uuid('actor_id').references(() => users.id),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('indicator_node_history_node_idx').on(t.nodeId, t.id)],
);

/**
 * A row of the 任务分解表: a standard (or a content) of a system given to units with a deadline
 * and a phase. `deadline` is the Asia/Shanghai calendar date a deadline text names (null for
 * 长期坚持 and recurring texts); `deadline_text` keeps what the city wrote. `status`/`percent`
 * are the task's roll-up of its lead and responsible units' latest reports.
 */
export const tasks = pgTable(
  'tasks',
  {
    id: uuid('id').primaryKey(),
    systemId: uuid('system_id')
      .notNull()
      .references(() => indicatorSystems.id),
    nodeId: uuid('node_id')
      .notNull()
      .references(() => indicatorNodes.id),
    /** the 测评项目 node above nodeId, for filters and roll-ups by item without a tree walk */
    itemNodeId: uuid('item_node_id')
      .notNull()
      .references(() => indicatorNodes.id),
    seq: integer('seq').notNull().default(0),
    /** 任务要求: what the units must do (defaults to the standard's text) */
    title: text('title').notNull(),
    leadUnitId: uuid('lead_unit_id').references(() => orgUnits.id),
    deadline: date('deadline', { mode: 'string' }),
    deadlineText: text('deadline_text').notNull().default(''),
    /** mobilize 全面动员 | implement 扎实落实 | improve 全面提升 | inspect 迎接检查 */
    phase: text('phase'),
    materials: text('materials').notNull().default(''),
    note: text('note').notNull().default(''),
    /** not_started 未开始 | in_progress 推进中 | done 已完成 */
    status: text('status').notNull().default('not_started'),
    percent: integer('percent').notNull().default(0),
    lastReportAt: timestamp('last_report_at', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => users.id),
    version: integer('version').notNull().default(1),
    ...timestamps,
  },
  (t) => [
    index('tasks_system_idx').on(t.systemId, t.seq),
    index('tasks_node_idx').on(t.nodeId),
    index('tasks_item_idx').on(t.itemNodeId),
    index('tasks_deadline_idx').on(t.status, t.deadline),
  ],
);

/**
 * The units of a task: one row per unit, role lead 牵头 | responsible 责任 | cooperating 配合, with
 * the unit's path (for "tasks of my subtree" on one index), its 联络员 and its own latest progress.
 */
export const taskUnits = pgTable(
  'task_units',
  {
    id: uuid('id').primaryKey(),
    taskId: uuid('task_id')
      .notNull()
      .references(() => tasks.id, { onDelete: 'cascade' }),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => orgUnits.id),
    unitPath: text('unit_path').notNull(),
    role: text('role').notNull(),
    liaisonUserId: uuid('liaison_user_id').references(() => users.id),
    status: text('status').notNull().default('not_started'),
    percent: integer('percent').notNull().default(0),
    lastReportAt: timestamp('last_report_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('task_units_task_unit_uq').on(t.taskId, t.unitId),
    index('task_units_unit_idx').on(t.unitId, t.taskId),
    index('task_units_path_idx').on(sql`${t.unitPath} text_pattern_ops`),
  ],
);

/** Every progress report a unit files on a task; kept as filed (append-only). */
export const taskProgressReports = pgTable(
  'task_progress_reports',
  {
    id: uuid('id').primaryKey(),
    taskId: uuid('task_id')
      .notNull()
      .references(() => tasks.id),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => orgUnits.id),
    status: text('status').notNull(),
    percent: integer('percent').notNull(),
    note: text('note').notNull().default(''),
    /** ids of files (owner type task_progress) */
    fileIds: jsonb('file_ids').$type<string[]>().notNull().default([]),
    reporterId: uuid('reporter_id').references(() => users.id),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('task_progress_reports_task_idx').on(t.taskId, t.at), index('task_progress_reports_unit_idx').on(t.unitId, t.at)],
);

/**
 * 目标责任书 of one unit for one system: the generated .docx is produced on request (never stale);
 * what is recorded is the signing: the scanned signed copy and the date it was signed.
 */
export const responsibilityLetters = pgTable(
  'responsibility_letters',
  {
    id: uuid('id').primaryKey(),
    systemId: uuid('system_id')
      .notNull()
      .references(() => indicatorSystems.id),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => orgUnits.id),
    year: integer('year').notNull(),
    /** the last generated document, when it was kept (files module) */
    generatedFileId: uuid('generated_file_id').references(() => files.id),
    generatedAt: timestamp('generated_at', { withTimezone: true }),
    signedFileId: uuid('signed_file_id').references(() => files.id),
    /** the calendar date written on the signed letter (Asia/Shanghai) */
    signedOn: date('signed_on', { mode: 'string' }),
    signedRecordedBy: uuid('signed_recorded_by').references(() => users.id),
    signedRecordedAt: timestamp('signed_recorded_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
    ...timestamps,
  },
  (t) => [uniqueIndex('responsibility_letters_uq').on(t.systemId, t.unitId)],
);
