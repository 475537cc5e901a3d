import { z } from 'zod';
import { InspectionModeLabels, OccurrenceActionLabels, OccurrenceStateLabels, VisitOutcomeLabels } from '../domain/inspection-flow.ts';
import { JudgeTypeLabels, OutcomeLabels, PhotoRuleLabels } from '../domain/inspection-scoring.ts';
import { ScheduleKindLabels } from '../domain/inspection-schedule.ts';
import { Id, PageQuery, Version } from './common.ts';
import { Lat, Lng } from './places.ts';

export { InspectionModeLabels, JudgeTypeLabels, OccurrenceActionLabels, OccurrenceStateLabels, OutcomeLabels, PhotoRuleLabels, ScheduleKindLabels, VisitOutcomeLabels };

const keysOf = <T extends Record<string, unknown>>(o: T) => Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const Points = z.number().min(0, '分值不能为负').max(1000, '分值过大');

// ---- templates ----

export const JudgeInput = z.discriminatedUnion('type', [
  z.object({ type: z.literal('pass_fail') }),
  z.object({ type: z.literal('count'), threshold: z.number().int().min(1, '数量阈值须为正整数') }),
  z.object({ type: z.literal('ratio'), thresholdPercent: z.number().int().min(1).max(100, '比例阈值为 1–100') }),
  z.object({ type: z.literal('k_of_n'), k: z.number().int().min(1), n: z.number().int().min(1).max(100) }),
  z.object({ type: z.literal('deduction'), perCase: Points, cap: Points }),
  z.object({ type: z.literal('grade') }),
]);
export type JudgeInput = z.infer<typeof JudgeInput>;

export const ItemInput = z.object({
  key: z.string().trim().regex(/^[A-Za-z0-9_-]{1,20}$/, '条目编号为 1–20 位字母、数字、- 或 _'),
  group: z.string().trim().min(1, '请选择分组'),
  text: z.string().trim().min(1, '请填写检查标准').max(1000),
  standardIds: z.array(Id).max(20).default([]),
  categoryId: Id,
  judge: JudgeInput,
  score: Points,
  protocol: z.string().trim().max(1000).default(''),
  photo: z.enum(keysOf(PhotoRuleLabels)).default('on_failure'),
  exceptions: z.string().trim().max(500).default(''),
  naAllowed: z.boolean().default(false),
});
export type ItemInput = z.infer<typeof ItemInput>;

export const ModelEntryInput = z.discriminatedUnion('kind', [z.object({ kind: z.literal('item'), item: ItemInput }), z.object({ kind: z.literal('fragment'), fragmentId: Id })]);
export const TemplateModelInput = z.object({ entries: z.array(ModelEntryInput).min(1, '细则至少要有一个条目').max(300) });
export type TemplateModelInput = z.infer<typeof TemplateModelInput>;

export const CreateTemplate = z.object({
  name: z.string().trim().min(1, '请填写名称').max(100),
  description: z.string().trim().max(1000).default(''),
  systemId: Id.nullable().default(null),
  pointTypeIds: z.array(Id).min(1, '请选择适用的点位类型'),
  model: TemplateModelInput,
});
export type CreateTemplate = z.infer<typeof CreateTemplate>;
export const SaveTemplateDraft = z.object({ model: TemplateModelInput, version: Version });
export const PublishTemplateVersion = z.object({ version: Version });

export const Item = z.object({
  key: z.string(),
  group: z.string(),
  text: z.string(),
  standardIds: z.array(z.string()),
  categoryId: z.string(),
  judge: z.record(z.string(), z.unknown()).and(z.object({ type: z.enum(keysOf(JudgeTypeLabels)) })),
  scoreCenti: z.number().int(),
  protocol: z.string(),
  photo: z.enum(keysOf(PhotoRuleLabels)),
  exceptions: z.string(),
  naAllowed: z.boolean(),
});
export type Item = z.infer<typeof Item>;

export const TemplateVersion = z.object({
  id: z.string(),
  templateId: z.string(),
  number: z.number().int(),
  status: z.enum(['draft', 'published']),
  model: z.object({ entries: z.array(z.unknown()) }),
  /** the resolved items (fragments included), frozen once published */
  items: z.array(Item),
  publishedAt: z.string().nullable(),
  version: z.number().int(),
});
export type TemplateVersion = z.infer<typeof TemplateVersion>;

export const TemplateSummary = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  systemId: z.string().nullable(),
  pointTypes: z.array(z.object({ id: z.string(), name: z.string() })),
  latestPublished: z.number().int().nullable(),
  hasDraft: z.boolean(),
  itemCount: z.number().int(),
  version: z.number().int(),
});
export type TemplateSummary = z.infer<typeof TemplateSummary>;
export const TemplateDetail = TemplateSummary.extend({ versions: z.array(TemplateVersion) });
export type TemplateDetail = z.infer<typeof TemplateDetail>;

export const ItemGroup = z.object({ code: z.string(), name: z.string(), sort: z.number().int() });
export const Fragment = z.object({ id: z.string(), code: z.string(), name: z.string(), items: z.array(Item), version: z.number().int() });
export type Fragment = z.infer<typeof Fragment>;
export const CreateFragment = z.object({ code: z.string().trim().regex(/^[A-Za-z0-9_-]{1,30}$/, '编号为字母、数字'), name: z.string().trim().min(1).max(100), items: z.array(ItemInput).min(1) });

// ---- teams ----

export const TeamInput = z.object({
  name: z.string().trim().min(1, '请填写督查组名称').max(100),
  unitId: Id,
  leaderId: Id,
  memberIds: z.array(Id).max(100).default([]),
  areaUnitIds: z.array(Id).max(50).default([]),
});
export const UpdateTeam = TeamInput.extend({ version: Version });
export const Team = z.object({
  id: z.string(),
  name: z.string(),
  unitId: z.string(),
  unitName: z.string(),
  leader: z.object({ id: z.string(), name: z.string() }),
  members: z.array(z.object({ id: z.string(), name: z.string() })),
  areaUnitIds: z.array(z.string()),
  version: z.number().int(),
});
export type Team = z.infer<typeof Team>;

// ---- plans ----

export const StratumInput = z.object({ typeId: Id, districtId: Id, count: z.number().int().min(1, '每层至少抽 1 个').max(10_000) });
export const DrawInput = z.object({
  strata: z.array(StratumInput).min(1, '请至少设置一层抽样').max(500),
  excludeDays: z.number().int().min(1).max(365).nullable().default(null),
  /** omitted: a new random seed is chosen and recorded */
  seed: z.string().trim().min(1).max(64).optional(),
});
export type DrawInput = z.infer<typeof DrawInput>;

export const PlanInput = z
  .object({
    name: z.string().trim().min(1, '请填写计划名称').max(100),
    mode: z.enum(keysOf(InspectionModeLabels)),
    teamId: Id,
    templateId: Id.nullable().default(null),
    periodStart: Day,
    periodEnd: Day,
    scheduleKind: z.enum(keysOf(ScheduleKindLabels)),
    windowDays: z.number().int().min(1).max(7).default(7),
    allowLate: z.boolean().default(false),
    issuesOn: z.enum(['submit', 'review']).default('submit'),
    pointIds: z.array(Id).max(5000).optional(),
    draw: DrawInput.optional(),
  })
  .refine((p) => p.periodEnd >= p.periodStart, { path: ['periodEnd'], message: '结束日期不能早于开始日期' })
  .refine((p) => (p.pointIds?.length ?? 0) > 0 || p.draw, { path: ['pointIds'], message: '请选择点位或设置随机抽取' });
export type PlanInput = z.infer<typeof PlanInput>;

export const DrawPreviewItem = z.object({ id: z.string(), code: z.string(), name: z.string(), typeName: z.string(), districtName: z.string() });
export const DrawPreview = z.object({ seed: z.string(), points: z.array(DrawPreviewItem), candidates: z.number().int() });
export type DrawPreview = z.infer<typeof DrawPreview>;

export const Plan = z.object({
  id: z.string(),
  name: z.string(),
  mode: z.enum(keysOf(InspectionModeLabels)),
  teamId: z.string(),
  teamName: z.string(),
  templateId: z.string().nullable(),
  periodStart: z.string(),
  periodEnd: z.string(),
  scheduleKind: z.enum(keysOf(ScheduleKindLabels)),
  windowDays: z.number().int(),
  allowLate: z.boolean(),
  issuesOn: z.enum(['submit', 'review']),
  selection: z.enum(['explicit', 'draw']),
  draw: z.object({ strata: z.array(z.object({ typeId: z.string(), districtId: z.string(), count: z.number().int() })), excludeDays: z.number().int().nullable(), seed: z.string() }).nullable(),
  publishedAt: z.string().nullable(),
  pointCount: z.number().int(),
  occurrenceCount: z.number().int(),
  counts: z.record(z.string(), z.number().int()),
  version: z.number().int(),
  createdAt: z.string(),
});
export type Plan = z.infer<typeof Plan>;

// ---- occurrences ----

export const OccurrenceStateEnum = z.enum(keysOf(OccurrenceStateLabels));
export const Occurrence = z.object({
  id: z.string(),
  planId: z.string(),
  planName: z.string(),
  mode: z.enum(keysOf(InspectionModeLabels)),
  point: z.object({ id: z.string(), code: z.string(), name: z.string(), address: z.string(), typeName: z.string(), lng: z.number(), lat: z.number() }),
  templateVersionId: z.string(),
  teamId: z.string(),
  teamName: z.string(),
  dueFrom: z.string(),
  dueTo: z.string(),
  state: OccurrenceStateEnum,
  inspectionId: z.string().nullable(),
  distanceM: z.number().int().nullable(),
  version: z.number().int(),
});
export type Occurrence = z.infer<typeof Occurrence>;

export const OccurrenceQuery = PageQuery.extend({
  planId: Id.optional(),
  state: OccurrenceStateEnum.optional(),
  from: Day.optional(),
  to: Day.optional(),
  mine: z.enum(['true', 'false']).optional(),
  lng: z.coerce.number().min(-180).max(180).optional(),
  lat: z.coerce.number().min(-90).max(90).optional(),
});
export type OccurrenceQuery = z.infer<typeof OccurrenceQuery>;

/** 今日督查 on the phone: the occurrence with its frozen items and the point's earlier failures (复查). */
export const OccurrenceForm = Occurrence.extend({
  items: z.array(Item),
  groups: z.array(ItemGroup),
  earlierFailures: z.array(z.object({ itemKey: z.string(), inspectedAt: z.string(), issueId: z.string().nullable(), issueState: z.string().nullable() })),
});
export type OccurrenceForm = z.infer<typeof OccurrenceForm>;

const ClientKey = z.string().trim().regex(/^[A-Za-z0-9_-]{8,80}$/, '幂等键为 8–80 位字母、数字、- 或 _');
export const PhotoInput = z.object({ key: ClientKey, fileId: Id, takenAt: z.iso.datetime({ offset: true }).optional(), lng: Lng.optional(), lat: Lat.optional() });
export const ObservationInput = z.object({
  itemKey: z.string().min(1).max(20),
  value: z.record(z.string(), z.unknown()),
  note: z.string().trim().max(1000).optional(),
  photos: z.array(PhotoInput).max(10).default([]),
});
export const SubmitInspection = z.object({
  clientKey: ClientKey,
  outcome: z.enum(keysOf(VisitOutcomeLabels)).default('done'),
  reason: z.string().trim().max(1000).optional(),
  visitPhotos: z.array(PhotoInput).max(10).default([]),
  startedAt: z.iso.datetime({ offset: true }).optional(),
  inspectedAt: z.iso.datetime({ offset: true }).optional(),
  lng: Lng.optional(),
  lat: Lat.optional(),
  accuracyM: z.number().min(0).max(100_000).optional(),
  observations: z.array(ObservationInput).max(300).default([]),
});
export type SubmitInspection = z.infer<typeof SubmitInspection>;
export const StartOccurrence = z.object({ version: Version });
export const ReviewInspection = z.object({ note: z.string().trim().max(1000).optional() });
export const ReturnInspection = z.object({ note: z.string().trim().min(1, '请填写退回原因').max(1000) });
export const AmendInspection = z.object({
  reason: z.string().trim().min(1, '请填写更正原因').max(1000),
  observations: z.array(ObservationInput).min(1, '请至少更正一个条目').max(300),
});

export const Observation = z.object({
  itemKey: z.string(),
  group: z.string(),
  text: z.string(),
  outcome: z.enum(keysOf(OutcomeLabels)),
  value: z.record(z.string(), z.unknown()),
  grade: z.string().nullable(),
  earnedUnits: z.number().int(),
  possibleUnits: z.number().int(),
  note: z.string().nullable(),
  photos: z.array(z.object({ id: z.string(), contentUrl: z.string(), thumbnailUrl: z.string().nullable() })),
  issue: z.object({ id: z.string(), number: z.string(), state: z.string() }).nullable(),
  amendment: z.number().int(),
});
export type Observation = z.infer<typeof Observation>;

export const InspectionEvent = z.object({ id: z.number(), action: z.string(), fromState: z.string().nullable(), toState: z.string(), actorName: z.string().nullable(), note: z.string().nullable(), data: z.record(z.string(), z.unknown()), at: z.string() });

export const Score = z.object({ earnedUnits: z.number().int(), possibleUnits: z.number().int(), score: z.string(), possible: z.string(), ratePermille: z.number().int().nullable() });
export type Score = z.infer<typeof Score>;

export const InspectionDetail = z.object({
  id: z.string(),
  occurrenceId: z.string(),
  occurrenceState: OccurrenceStateEnum,
  planId: z.string(),
  planName: z.string(),
  mode: z.enum(keysOf(InspectionModeLabels)),
  point: z.object({ id: z.string(), code: z.string(), name: z.string(), address: z.string(), typeName: z.string(), lng: z.number(), lat: z.number() }),
  templateVersionId: z.string(),
  templateName: z.string(),
  templateNumber: z.number().int(),
  inspector: z.object({ id: z.string(), name: z.string() }),
  outcome: z.enum(keysOf(VisitOutcomeLabels)),
  reason: z.string().nullable(),
  inspectedAt: z.string(),
  submittedAt: z.string(),
  lng: z.number().nullable(),
  lat: z.number().nullable(),
  distanceM: z.number().int().nullable(),
  farFromPoint: z.boolean(),
  score: Score,
  observedCount: z.number().int(),
  failedCount: z.number().int(),
  naCount: z.number().int(),
  observations: z.array(Observation),
  visitPhotos: z.array(z.object({ id: z.string(), contentUrl: z.string(), thumbnailUrl: z.string().nullable() })),
  events: z.array(InspectionEvent),
  amendmentCount: z.number().int(),
  canReview: z.boolean(),
  canAmend: z.boolean(),
});
export type InspectionDetail = z.infer<typeof InspectionDetail>;

export const InspectionRow = z.object({
  id: z.string(),
  occurrenceState: OccurrenceStateEnum,
  planName: z.string(),
  mode: z.enum(keysOf(InspectionModeLabels)),
  pointId: z.string(),
  pointName: z.string(),
  pointTypeName: z.string(),
  districtName: z.string().nullable(),
  inspectorName: z.string(),
  outcome: z.enum(keysOf(VisitOutcomeLabels)),
  inspectedAt: z.string(),
  farFromPoint: z.boolean(),
  score: Score,
  failedCount: z.number().int(),
  observedCount: z.number().int(),
});
export type InspectionRow = z.infer<typeof InspectionRow>;

export const InspectionQuery = PageQuery.extend({
  planId: Id.optional(),
  pointId: Id.optional(),
  pointTypeId: Id.optional(),
  areaUnitId: Id.optional(),
  unitId: Id.optional(),
  mode: z.enum(keysOf(InspectionModeLabels)).optional(),
  from: Day.optional(),
  to: Day.optional(),
  failedOnly: z.enum(['true', 'false']).optional(),
});
export type InspectionQuery = z.infer<typeof InspectionQuery>;

// ---- scores ----

export const ScoreGroupByLabels = { city: '全市', district: '区县', street: '街道', point_type: '点位类型', unit: '责任单位', point: '点位', mode: '督查方式' } as const;
export const ScorePeriodLabels = { week: '周', month: '月', quarter: '季度', all: '全期' } as const;
export const ScoreQuery = z.object({
  groupBy: z.enum(keysOf(ScoreGroupByLabels)).default('district'),
  period: z.enum(keysOf(ScorePeriodLabels)).default('month'),
  from: Day,
  to: Day,
  mode: z.enum(keysOf(InspectionModeLabels)).optional(),
  areaUnitId: Id.optional(),
});
export type ScoreQuery = z.infer<typeof ScoreQuery>;
export const ScoreRow = z.object({
  key: z.string(),
  name: z.string(),
  period: z.string(),
  inspections: z.number().int(),
  observed: z.number().int(),
  failed: z.number().int(),
  earnedUnits: z.number().int(),
  possibleUnits: z.number().int(),
  score: z.string(),
  possible: z.string(),
  ratePermille: z.number().int().nullable(),
});
export type ScoreRow = z.infer<typeof ScoreRow>;
export const ScoreTable = z.object({ rows: z.array(ScoreRow), total: ScoreRow });
export type ScoreTable = z.infer<typeof ScoreTable>;
