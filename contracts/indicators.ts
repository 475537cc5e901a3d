import { z } from 'zod';
import { Id, PageQuery, QueryBool, Version } from './common.ts';
import { FileInfo } from './files.ts';

/**
 * 测评体系与任务分解 (PRODUCT.md §3.2): indicator systems (versioned trees 测评项目 → 测评内容 →
 * 测评标准), the 任务分解表 (tasks over units), progress reports and 目标责任书. Shared by the
 * server (server/modules/indicators) and the web pages.
 */

const keysOf = <T extends Record<string, string>>(o: T) => Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];

// ─── enums ────────────────────────────────────────────────────────────────────

export const IndicatorSystemKindLabels = { main: '测评体系', minors: '未成年人思想道德建设测评体系' } as const;
export type IndicatorSystemKind = keyof typeof IndicatorSystemKindLabels;
export const IndicatorSystemKind = z.enum(keysOf(IndicatorSystemKindLabels));

export const IndicatorSystemStatusLabels = { draft: '草稿', active: '启用', archived: '归档' } as const;
export type IndicatorSystemStatus = keyof typeof IndicatorSystemStatusLabels;
export const IndicatorSystemStatus = z.enum(keysOf(IndicatorSystemStatusLabels));

export const IndicatorLevelLabels = { item: '测评项目', content: '测评内容', standard: '测评标准' } as const;
export type IndicatorLevel = keyof typeof IndicatorLevelLabels;
export const IndicatorLevel = z.enum(keysOf(IndicatorLevelLabels));
/** The level below each level; a standard has no children. */
export const CHILD_LEVEL: Record<IndicatorLevel, IndicatorLevel | null> = { item: 'content', content: 'standard', standard: null };

/** 测评方法 of a standard. */
export const EvaluationMethodLabels = { material: '材料审核', field: '实地考察', questionnaire: '问卷调查', online: '网络调查', report: '听取汇报', observation: '整体观察' } as const;
export type EvaluationMethod = keyof typeof EvaluationMethodLabels;
export const EvaluationMethod = z.enum(keysOf(EvaluationMethodLabels));

/** 阶段 of a task in the year's campaign. */
export const TaskPhaseLabels = { mobilize: '全面动员', implement: '扎实落实', improve: '全面提升', inspect: '迎接检查' } as const;
export type TaskPhase = keyof typeof TaskPhaseLabels;
export const TaskPhase = z.enum(keysOf(TaskPhaseLabels));

export const TaskStatusLabels = { not_started: '未开始', in_progress: '推进中', done: '已完成' } as const;
export type TaskStatus = keyof typeof TaskStatusLabels;
export const TaskStatus = z.enum(keysOf(TaskStatusLabels));

export const TaskUnitRoleLabels = { lead: '牵头单位', responsible: '责任单位', cooperating: '配合单位' } as const;
export type TaskUnitRole = keyof typeof TaskUnitRoleLabels;
export const TaskUnitRole = z.enum(keysOf(TaskUnitRoleLabels));

/** Days without a progress report after which an unfinished task counts as stalled (停滞), unless the request says otherwise. */
export const DEFAULT_STALLED_DAYS = 30;

const Score = z.number().min(0, '分值不能为负数').max(1000, '分值最多 1000');
const Code = z.string().trim().min(1, '请填写编号').max(40, '编号最多 40 个字符');
const Year = z.coerce.number().int().min(2000, '年度须在 2000–2100 之间').max(2100, '年度须在 2000–2100 之间');
const IsoDate = z.iso.date({ message: '日期格式须为 YYYY-MM-DD' });
const Timestamp = z.string().describe('ISO 8601, UTC');

// ─── indicator systems ────────────────────────────────────────────────────────

export const IndicatorSystem = z.object({
  id: z.string(),
  name: z.string(),
  kind: IndicatorSystemKind,
  year: z.number().int(),
  /** 版本: 1 for a new system, +1 for each copy */
  edition: z.number().int(),
  status: IndicatorSystemStatus,
  /** the declared total (满分) */
  totalScore: z.number().nullable(),
  /** the sum of the active standards' scores, to compare with totalScore */
  scoreSum: z.number(),
  description: z.string(),
  copiedFromId: z.string().nullable(),
  copiedFromName: z.string().nullable(),
  counts: z.object({ items: z.number().int(), contents: z.number().int(), standards: z.number().int(), tasks: z.number().int() }),
  version: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type IndicatorSystem = z.infer<typeof IndicatorSystem>;

export const ListIndicatorSystemsQuery = z.object({
  year: Year.optional(),
  kind: IndicatorSystemKind.optional(),
  status: IndicatorSystemStatus.optional(),
});
export type ListIndicatorSystemsQuery = z.infer<typeof ListIndicatorSystemsQuery>;

export const CreateIndicatorSystemRequest = z.object({
  name: z.string().trim().min(1, '请填写体系名称').max(100, '体系名称最多 100 个字符'),
  kind: IndicatorSystemKind.default('main'),
  year: Year,
  totalScore: Score.nullish(),
  description: z.string().trim().max(2000, '说明最多 2000 个字符').default(''),
});
export type CreateIndicatorSystemRequest = z.infer<typeof CreateIndicatorSystemRequest>;

export const UpdateIndicatorSystemRequest = z
  .object({
    name: CreateIndicatorSystemRequest.shape.name,
    status: IndicatorSystemStatus,
    totalScore: Score.nullable(),
    description: z.string().trim().max(2000, '说明最多 2000 个字符'),
  })
  .partial()
  .extend({ version: Version });
export type UpdateIndicatorSystemRequest = z.infer<typeof UpdateIndicatorSystemRequest>;

/** Copy a system into its next edition (deep copy of the active nodes; tasks and their units optional, progress never). */
export const CopyIndicatorSystemRequest = z.object({
  name: CreateIndicatorSystemRequest.shape.name.optional(),
  year: Year.optional(),
  includeTasks: z.boolean().default(false),
});
export type CopyIndicatorSystemRequest = z.infer<typeof CopyIndicatorSystemRequest>;

// ─── nodes and the tree ───────────────────────────────────────────────────────

export const IndicatorNode = z.object({
  id: z.string(),
  systemId: z.string(),
  parentId: z.string().nullable(),
  level: IndicatorLevel,
  /** as the city writes it: Ⅱ-1-1 or 2-1-1 */
  code: z.string(),
  text: z.string(),
  score: z.number().nullable(),
  methods: z.array(EvaluationMethod),
  /** 材料要求 */
  materials: z.string(),
  sort: z.number().int(),
  isActive: z.boolean(),
  /** tasks on this node (standard or content) */
  taskCount: z.number().int(),
  version: z.number().int(),
  updatedAt: Timestamp,
});
export type IndicatorNode = z.infer<typeof IndicatorNode>;

/**
 * GET /api/indicator-systems/:id/tree. `nodes` is flat in tree order (depth first, by sort then
 * code); build the tree on `parentId`. With `q`, only matching nodes and their ancestors are
 * returned and `matchIds` names the matches (highlight them, expand their ancestors).
 */
export const IndicatorTreeQuery = z.object({
  q: z.string().trim().max(100, '搜索词最多 100 个字符').optional(),
  includeInactive: QueryBool.optional(),
});
export type IndicatorTreeQuery = z.infer<typeof IndicatorTreeQuery>;
export const IndicatorTree = z.object({
  system: IndicatorSystem,
  nodes: z.array(IndicatorNode),
  matchIds: z.array(z.string()),
});
export type IndicatorTree = z.infer<typeof IndicatorTree>;

export const CreateIndicatorNodeRequest = z.object({
  /** null for a 测评项目; the level is the parent's child level */
  parentId: Id.nullable(),
  code: Code,
  text: z.string().trim().min(1, '请填写内容').max(2000, '内容最多 2000 个字符'),
  score: Score.nullish(),
  methods: z.array(EvaluationMethod).max(6).default([]),
  materials: z.string().trim().max(4000, '材料要求最多 4000 个字符').default(''),
  sort: z.number().int().optional(),
});
export type CreateIndicatorNodeRequest = z.infer<typeof CreateIndicatorNodeRequest>;

export const UpdateIndicatorNodeRequest = z
  .object({
    code: Code,
    text: CreateIndicatorNodeRequest.shape.text,
    score: Score.nullable(),
    methods: z.array(EvaluationMethod).max(6),
    materials: z.string().trim().max(4000, '材料要求最多 4000 个字符'),
    sort: z.number().int(),
    /** false deactivates the node and its subtree (kept for history; tasks on them remain) */
    isActive: z.boolean(),
  })
  .partial()
  .extend({ version: Version });
export type UpdateIndicatorNodeRequest = z.infer<typeof UpdateIndicatorNodeRequest>;

export const NodeHistoryActionLabels = { create: '新增', update: '修改', deactivate: '停用', reactivate: '恢复', import: '导入', copy: '复制' } as const;
export type NodeHistoryAction = keyof typeof NodeHistoryActionLabels;
export const NodeHistoryEntry = z.object({
  id: z.number().int(),
  nodeId: z.string(),
  action: z.enum(keysOf(NodeHistoryActionLabels)),
  /** the node's fields before and after (code, text, score, methods, materials, sort, isActive) */
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
  actorName: z.string().nullable(),
  at: Timestamp,
});
export type NodeHistoryEntry = z.infer<typeof NodeHistoryEntry>;

// ─── tasks ────────────────────────────────────────────────────────────────────

export const TaskUnit = z.object({
  unitId: z.string(),
  unitName: z.string(),
  role: TaskUnitRole,
  liaisonUserId: z.string().nullable(),
  liaisonName: z.string().nullable(),
  /** the unit's own latest report; null for units outside the actor's scope (a unit sees who else works on a task, not their progress) */
  status: TaskStatus.nullable(),
  percent: z.number().int().nullable(),
  lastReportAt: Timestamp.nullable(),
});
export type TaskUnit = z.infer<typeof TaskUnit>;

export const Task = z.object({
  id: z.string(),
  systemId: z.string(),
  seq: z.number().int(),
  /** the standard (or content) the task serves */
  nodeId: z.string(),
  nodeLevel: IndicatorLevel,
  nodeCode: z.string(),
  nodeText: z.string(),
  itemNodeId: z.string(),
  itemCode: z.string(),
  itemText: z.string(),
  /** the 测评内容 above a standard; the node itself when the task is on a content */
  contentCode: z.string().nullable(),
  contentText: z.string().nullable(),
  methods: z.array(EvaluationMethod),
  score: z.number().nullable(),
  /** 任务要求 */
  title: z.string(),
  leadUnitId: z.string().nullable(),
  leadUnitName: z.string().nullable(),
  units: z.array(TaskUnit),
  /** the calendar date (Asia/Shanghai) or null for 长期坚持 and recurring deadlines */
  deadline: z.string().nullable(),
  /** as written: 2026年6月底, 长期坚持, 每月 */
  deadlineText: z.string(),
  phase: TaskPhase.nullable(),
  materials: z.string(),
  note: z.string(),
  /** the roll-up of the lead and responsible units' latest reports */
  status: TaskStatus,
  percent: z.number().int(),
  lastReportAt: Timestamp.nullable(),
  /** deadline passed and not done */
  overdue: z.boolean(),
  /** not done and no report for `stalledDays` days (since the task was created when it has none) */
  stalled: z.boolean(),
  /** the actor's unit's role on the task, null when the actor sees it as a superior */
  myRole: TaskUnitRole.nullable(),
  version: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Task = z.infer<typeof Task>;

export const ProgressReport = z.object({
  id: z.string(),
  taskId: z.string(),
  unitId: z.string(),
  unitName: z.string(),
  status: TaskStatus,
  percent: z.number().int(),
  note: z.string(),
  files: z.array(FileInfo),
  reporterId: z.string().nullable(),
  reporterName: z.string().nullable(),
  at: Timestamp,
});
export type ProgressReport = z.infer<typeof ProgressReport>;

export const TaskDetail = Task.extend({
  reports: z.array(ProgressReport),
  /** units (of the task) the actor may report for */
  canReportFor: z.array(z.object({ unitId: z.string(), unitName: z.string() })),
  canManage: z.boolean(),
});
export type TaskDetail = z.infer<typeof TaskDetail>;

export const ListTasksQuery = PageQuery.extend({
  systemId: Id.optional(),
  /** tasks of this unit's subtree (any role); a unit contact always sees only their own subtree */
  unitId: Id.optional(),
  /** only tasks where the actor's own unit is named */
  mine: QueryBool.optional(),
  role: TaskUnitRole.optional(),
  phase: TaskPhase.optional(),
  status: TaskStatus.optional(),
  overdue: QueryBool.optional(),
  stalled: QueryBool.optional(),
  /** the 测评项目 */
  itemNodeId: Id.optional(),
  /** a standard or content: its tasks and those of the standards below it */
  nodeId: Id.optional(),
  /** search in the 任务要求, the node's code and text */
  q: z.string().trim().max(100, '搜索词最多 100 个字符').optional(),
  /** overrides the city's setting (GET /api/indicator-settings) for this request */
  stalledDays: z.coerce.number().int().min(1, '停滞天数至少 1 天').max(365, '停滞天数最多 365 天').optional(),
});
export type ListTasksQuery = z.infer<typeof ListTasksQuery>;

export const TaskDetailQuery = z.object({
  stalledDays: ListTasksQuery.shape.stalledDays,
});

const UnitIds = z.array(Id).max(500, '单位最多 500 个');
const taskFields = {
  systemId: Id,
  /** a 测评标准 or a 测评内容 of the system */
  nodeId: Id,
  seq: z.number().int().min(0).optional(),
  /** defaults to the node's text */
  title: z.string().trim().max(2000, '任务要求最多 2000 个字符').optional(),
  leadUnitId: Id.nullish(),
  responsibleUnitIds: UnitIds.default([]),
  cooperatingUnitIds: UnitIds.default([]),
  /** 联络员 per unit: unit id → user id of that unit */
  liaisons: z.record(z.string(), Id).default({}),
  /** 完成时限 as people write it: 2026-06-30, 2026年6月30日, 6月底, 长期坚持, 每月 */
  deadlineText: z.string().trim().max(100, '完成时限最多 100 个字符').default(''),
  phase: TaskPhase.nullish(),
  materials: z.string().trim().max(4000, '材料要求最多 4000 个字符').default(''),
  note: z.string().trim().max(2000, '备注最多 2000 个字符').default(''),
};
export const CreateTaskRequest = z.object(taskFields);
export type CreateTaskRequest = z.infer<typeof CreateTaskRequest>;

export const UpdateTaskRequest = z
  .object({
    nodeId: Id,
    seq: z.number().int().min(0),
    title: z.string().trim().min(1, '请填写任务要求').max(2000, '任务要求最多 2000 个字符'),
    leadUnitId: Id.nullable(),
    responsibleUnitIds: UnitIds,
    cooperatingUnitIds: UnitIds,
    liaisons: z.record(z.string(), Id),
    deadlineText: taskFields.deadlineText,
    phase: TaskPhase.nullable(),
    materials: z.string().trim().max(4000, '材料要求最多 4000 个字符'),
    note: z.string().trim().max(2000, '备注最多 2000 个字符'),
  })
  .partial()
  .extend({ version: Version });
export type UpdateTaskRequest = z.infer<typeof UpdateTaskRequest>;

export const DeleteTaskQuery = z.object({ version: z.coerce.number().int().min(1) });

/** POST /api/tasks/:id/progress: a unit of the task reports (status, percent, note, attachments). */
export const CreateProgressRequest = z
  .object({
    /** the unit reported for; defaults to the actor's unit (or the one unit of the task in the actor's subtree) */
    unitId: Id.optional(),
    status: TaskStatus,
    percent: z.number().int().min(0, '完成进度须在 0–100 之间').max(100, '完成进度须在 0–100 之间'),
    note: z.string().trim().max(2000, '进展说明最多 2000 个字符').default(''),
    /** file ids from POST /api/files */
    fileIds: z.array(Id).max(20, '附件最多 20 个').default([]),
  })
  .refine((v) => v.status !== 'done' || v.percent === 100, { message: '状态为已完成时完成进度须为 100', path: ['percent'] })
  .refine((v) => v.status !== 'not_started' || v.percent === 0, { message: '状态为未开始时完成进度须为 0', path: ['percent'] })
  .refine((v) => v.status === 'done' || v.percent < 100, { message: '完成进度为 100 时请选择“已完成”', path: ['status'] });
export type CreateProgressRequest = z.infer<typeof CreateProgressRequest>;

// ─── settings ─────────────────────────────────────────────────────────────────

/** City-wide settings of the module: after how many days without a report an unfinished task counts as stalled. */
export const IndicatorSettings = z.object({
  stalledDays: z.number().int().min(1, '停滞天数至少 1 天').max(365, '停滞天数最多 365 天'),
});
export type IndicatorSettings = z.infer<typeof IndicatorSettings>;

// ─── progress roll-ups ────────────────────────────────────────────────────────

export const RollupBy = z.enum(['unit', 'item', 'phase']);
export type RollupBy = z.infer<typeof RollupBy>;
export const RollupByLabels: Record<RollupBy, string> = { unit: '按单位', item: '按测评项目', phase: '按阶段' };

/**
 * GET /api/tasks/rollup?systemId&by=unit|item|phase[&unitId][&stalledDays]: the actor's subtree (or
 * unitId's, inside it). By unit: one row per unit named on tasks (the unit's own status per task);
 * by item and by phase: each task once, its overall status.
 */
export const RollupQuery = z.object({
  systemId: Id,
  by: RollupBy.default('unit'),
  unitId: Id.optional(),
  stalledDays: ListTasksQuery.shape.stalledDays,
});
export type RollupQuery = z.infer<typeof RollupQuery>;

export const RollupCounts = z.object({
  total: z.number().int(),
  done: z.number().int(),
  inProgress: z.number().int(),
  notStarted: z.number().int(),
  overdue: z.number().int(),
  stalled: z.number().int(),
  /** mean percent, one decimal */
  meanPercent: z.number(),
});
export type RollupCounts = z.infer<typeof RollupCounts>;

export const RollupRow = RollupCounts.extend({
  /** unit id, item node id, or phase key ('' for tasks without a phase) */
  key: z.string(),
  label: z.string(),
  /** the item's code (by item) */
  code: z.string().nullable(),
});
export type RollupRow = z.infer<typeof RollupRow>;

export const Rollup = z.object({
  by: RollupBy,
  rows: z.array(RollupRow),
  /** every task in scope once */
  totals: RollupCounts,
});
export type Rollup = z.infer<typeof Rollup>;

// ─── task table import (wizard) ───────────────────────────────────────────────

/**
 * POST /api/indicator-systems/:id/task-import/preview and …/commit, multipart with field `file`
 * (.xlsx). Query: `mapping` — JSON of { column letter: field key | 'ignore' } overriding the
 * detected mapping; `createNodes=true` — rows whose standard is not in the system create the
 * 测评项目/内容/标准 (otherwise that is a row problem); commit also takes `token` from the preview:
 * if the file, mapping, system or units changed since, the commit answers 409.
 */
export const TaskImportQuery = z.object({
  mapping: z
    .string()
    .max(4000, '列对应关系过长')
    .optional()
    .transform((s, ctx) => {
      if (!s) return {} as Record<string, string>;
      try {
        const v: unknown = JSON.parse(s);
        if (v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string')) return v as Record<string, string>;
      } catch {
        // reported below
      }
      ctx.addIssue({ code: 'custom', message: '列对应关系须为 JSON 对象，如 {"E":"responsible","F":"ignore"}' });
      return z.NEVER;
    }),
  createNodes: QueryBool.optional(),
  /** the year of deadlines without one (6月底); defaults to the system's year */
  year: Year.optional(),
  token: z.string().max(200).optional(),
});
export type TaskImportQuery = z.infer<typeof TaskImportQuery>;

/** The mapping as the `mapping` query parameter: encodeTaskMapping({ E: 'responsible' }) → '{"E":"responsible"}' */
export const encodeTaskMapping = (m: Record<string, string>): string => JSON.stringify(m);

export const TaskImportField = z.object({ key: z.string(), label: z.string(), required: z.boolean(), example: z.string(), note: z.string() });

export const TaskImportColumn = z.object({
  /** Excel column letters */
  column: z.string(),
  /** the header text in the file (two header rows joined by /) */
  header: z.string(),
  /** the field it is read as, null when ignored */
  field: z.string().nullable(),
  label: z.string().nullable(),
});

export const UnitCandidate = z.object({ id: z.string(), name: z.string(), score: z.number() });

export const TaskImportProblem = z.object({
  row: z.number().int(),
  /** Excel column letters, '' when the field has no column */
  column: z.string(),
  field: z.string(),
  label: z.string(),
  message: z.string(),
  /** for an unknown or ambiguous unit name: the name and the closest units (at most 3) */
  unitName: z.string().optional(),
  candidates: z.array(UnitCandidate).optional(),
});
export type TaskImportProblem = z.infer<typeof TaskImportProblem>;

export const TaskImportUnitCell = z.object({
  names: z.array(z.string()),
  /** matched units (collective names like 各区 expanded) */
  units: z.array(z.object({ id: z.string(), name: z.string() })),
});

export const TaskImportRow = z.object({
  row: z.number().int(),
  seq: z.string(),
  code: z.string(),
  item: z.string(),
  content: z.string(),
  standard: z.string(),
  score: z.number().nullable(),
  methods: z.array(EvaluationMethod),
  materials: z.string(),
  lead: TaskImportUnitCell,
  responsible: TaskImportUnitCell,
  cooperating: TaskImportUnitCell,
  deadlineText: z.string(),
  /** the date read from deadlineText, null for 长期坚持 / recurring / unreadable */
  deadline: z.string().nullable(),
  deadlineKind: z.enum(['date', 'ongoing', 'recurring', 'none']),
  phase: TaskPhase.nullable(),
  note: z.string(),
  carried: z.object({ item: z.boolean(), content: z.boolean() }),
  /** how the row's standard was found in the system: by code, by text, to be created (createNodes), or not found */
  node: z.object({ match: z.enum(['code', 'text', 'new', 'none']), nodeId: z.string().nullable(), code: z.string().nullable() }),
  problems: z.array(TaskImportProblem),
});
export type TaskImportRow = z.infer<typeof TaskImportRow>;

export const TaskImportPreview = z.object({
  fileName: z.string(),
  sheetName: z.string(),
  /** Excel row number of the (lower) header row; null when none was found */
  headerRow: z.number().int().nullable(),
  headerRows: z.number().int(),
  /** every column of the header with what it is read as */
  columns: z.array(TaskImportColumn),
  /** the fields a column can be mapped to */
  fields: z.array(TaskImportField),
  /** the mapping in effect (column letter → field), to send back adjusted as `mapping` */
  mapping: z.record(z.string(), z.string()),
  /** problems of the mapping itself (a field on two columns, required fields without a column) */
  mappingProblems: z.array(z.string()),
  rows: z.array(TaskImportRow),
  /** every row problem, in row order */
  problems: z.array(TaskImportProblem),
  skipped: z.array(z.object({ row: z.number().int(), reason: z.enum(['blank', 'title', 'heading']) })),
  summary: z.object({
    rows: z.number().int(),
    valid: z.number().int(),
    invalid: z.number().int(),
    tasks: z.number().int(),
    newNodes: z.number().int(),
    unknownUnitNames: z.array(z.string()),
  }),
  /** pass back to commit: binds the commit to this file, mapping, system and unit list */
  token: z.string(),
});
export type TaskImportPreview = z.infer<typeof TaskImportPreview>;

export const TaskImportResult = z.object({
  tasks: z.number().int(),
  taskUnits: z.number().int(),
  nodesCreated: z.number().int(),
  ms: z.number().int(),
});
export type TaskImportResult = z.infer<typeof TaskImportResult>;

// ─── system Excel import (the tree) ───────────────────────────────────────────

/**
 * POST /api/indicator-systems/:id/import/preview | commit (multipart `file`): a sheet of
 * 指标编号, 测评项目, 测评内容, 测评标准, 分值, 测评方法, 材料要求 (the same columns as the export)
 * into an empty system; all-or-nothing.
 */
export const SystemImportRow = z.object({
  row: z.number().int(),
  code: z.string(),
  level: IndicatorLevel,
  text: z.string(),
  score: z.number().nullable(),
  methods: z.array(EvaluationMethod),
  materials: z.string(),
  problems: z.array(TaskImportProblem),
});
export const SystemImportPreview = z.object({
  fileName: z.string(),
  sheetName: z.string(),
  headerRow: z.number().int().nullable(),
  columns: z.array(TaskImportColumn),
  missing: z.array(z.string()),
  rows: z.array(SystemImportRow),
  problems: z.array(TaskImportProblem),
  summary: z.object({ items: z.number().int(), contents: z.number().int(), standards: z.number().int(), scoreSum: z.number(), invalid: z.number().int() }),
});
export type SystemImportPreview = z.infer<typeof SystemImportPreview>;
export const SystemImportResult = z.object({ items: z.number().int(), contents: z.number().int(), standards: z.number().int() });
export type SystemImportResult = z.infer<typeof SystemImportResult>;

// ─── 目标责任书 ───────────────────────────────────────────────────────────────

export const ResponsibilityLetter = z.object({
  systemId: z.string(),
  unitId: z.string(),
  unitName: z.string(),
  year: z.number().int(),
  taskCount: z.number().int(),
  signedOn: z.string().nullable(),
  signedFile: FileInfo.nullable(),
  signedRecordedAt: Timestamp.nullable(),
  signedRecordedByName: z.string().nullable(),
  /** 0 when nothing was recorded yet */
  version: z.number().int(),
});
export type ResponsibilityLetter = z.infer<typeof ResponsibilityLetter>;

export const ResponsibilityLetterParams = z.object({ id: Id, unitId: Id });
export const ListResponsibilityLettersQuery = z.object({ signed: QueryBool.optional() });

/** Record the signed scan (a file id from POST /api/files: PDF or image) and the date written on it. */
export const SignResponsibilityLetterRequest = z.object({
  fileId: Id,
  signedOn: IsoDate,
  /** the version from ResponsibilityLetter (0 for the first record) */
  version: z.number().int().min(0),
});
export type SignResponsibilityLetterRequest = z.infer<typeof SignResponsibilityLetterRequest>;
