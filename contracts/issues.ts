import { z } from 'zod';
import { Id, PageQuery, QueryBool, Version } from './common.ts';
import { Lat, Lng } from './places.ts';

/** States of an issue (PRODUCT.md §3.4, the 数字城管 closed loop); the flow itself is in domain/issue-flow.ts. */
export const IssueStateLabels = {
  reported: '已上报',
  accepted: '已立案',
  rejected: '不予立案',
  merged: '已合并',
  dispatched: '已派遣',
  returned: '已回退',
  rectifying: '整改中',
  feedback: '已反馈',
  verified: '核查通过',
  closed: '已结案',
} as const;
export type IssueState = keyof typeof IssueStateLabels;
export const ISSUE_STATES = Object.keys(IssueStateLabels) as [IssueState, ...IssueState[]];
export const IssueStateEnum = z.enum(ISSUE_STATES);

/** Actions on an issue; `report` only opens the event log. */
export const IssueActionLabels = {
  report: '上报',
  accept: '立案',
  reject: '不予立案',
  merge: '合并',
  dispatch: '派遣',
  sign: '签收',
  return: '回退',
  feedback: '整改反馈',
  requestExtension: '延期申请',
  approveExtension: '批准延期',
  denyExtension: '驳回延期',
  verifyPass: '核查通过',
  verifyFail: '核查不通过',
  close: '结案',
  reopen: '回潮',
} as const;
export type IssueAction = keyof typeof IssueActionLabels;
export const ISSUE_ACTIONS = Object.keys(IssueActionLabels) as [IssueAction, ...IssueAction[]];
/** Actions a client may request (not `report`, which is POST /api/issues). */
export const PerformableAction = z.enum(ISSUE_ACTIONS.filter((a) => a !== 'report') as [IssueAction, ...IssueAction[]]);

export const IssueSourceLabels = {
  inspection: '督查',
  grid: '网格巡查',
  citizen: '市民随手拍',
  supervisor: '义务监督员',
  media: '媒体曝光',
  assessment: '上级测评反馈',
  self_check: '单位自查',
  /** raised by failed items of 督查检查 (inspections module); 暗访 and 第三方 apart, so that public channels can leave them out */
  covert_inspection: '暗访督查',
  peer_check: '互查',
  third_party: '第三方测评',
} as const;
/** Sources raised internally by inspections: never shown on public channels (Open311, 随手拍). */
export const INTERNAL_INSPECTION_SOURCES: readonly IssueSource[] = ['covert_inspection', 'peer_check', 'third_party'];
export type IssueSource = keyof typeof IssueSourceLabels;
export const IssueSourceEnum = z.enum(Object.keys(IssueSourceLabels) as [IssueSource, ...IssueSource[]]);

export const IssueSeverityLabels = { normal: '一般', serious: '较重', urgent: '紧急' } as const;
export type IssueSeverity = keyof typeof IssueSeverityLabels;
export const IssueSeverityEnum = z.enum(Object.keys(IssueSeverityLabels) as [IssueSeverity, ...IssueSeverity[]]);

/** How a category's 处置时限 is counted: calendar days, or working days (weekends and 法定节假日 off, 调休 days on). */
export const TimeLimitUnitLabels = { calendar: '自然日', working: '工作日' } as const;
export type TimeLimitUnit = keyof typeof TimeLimitUnitLabels;
export const TimeLimitUnitEnum = z.enum(['calendar', 'working']);

/**
 * How severity adjusts the category's limit (domain/working-days.ts limitForSeverity):
 * 一般 the full limit, 较重 three quarters, 紧急 half — rounded up, at least 1 day.
 */
export const SeverityLimitRule = { normal: '按分类时限', serious: '分类时限的 3/4（向上取整，至少 1 天）', urgent: '分类时限的一半（向上取整，至少 1 天）' } as const;

// ---- categories: two-level 事件/部件 taxonomy ----
export const IssueCategoryKindLabels = { event: '事件', component: '部件' } as const;
export const IssueCategoryKind = z.enum(['event', 'component']);

export const IssueCategory = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  kind: IssueCategoryKind,
  parentId: z.string().nullable(),
  defaultUnitId: z.string().nullable(),
  defaultUnitName: z.string().nullable(),
  timeLimitDays: z.number().int(),
  timeLimitUnit: TimeLimitUnitEnum,
  sort: z.number().int(),
  isActive: z.boolean(),
  version: z.number().int(),
});
export type IssueCategory = z.infer<typeof IssueCategory>;
const categoryFields = {
  code: z.string().trim().min(1, '请填写编码').max(20, '编码最多 20 个字符'),
  name: z.string().trim().min(1, '请填写名称').max(40, '名称最多 40 个字符'),
  kind: IssueCategoryKind.default('event'),
  parentId: Id.nullish(),
  defaultUnitId: Id.nullish(),
  timeLimitDays: z.number().int().min(1, '处置时限至少 1 天').max(365, '处置时限最多 365 天'),
  timeLimitUnit: TimeLimitUnitEnum.default('calendar'),
  sort: z.number().int().default(0),
};
export const CreateIssueCategoryRequest = z.object(categoryFields);
export type CreateIssueCategoryRequest = z.infer<typeof CreateIssueCategoryRequest>;
export const UpdateIssueCategoryRequest = z
  .object({
    code: categoryFields.code,
    name: categoryFields.name,
    kind: IssueCategoryKind,
    defaultUnitId: Id.nullable(),
    timeLimitDays: categoryFields.timeLimitDays,
    timeLimitUnit: TimeLimitUnitEnum,
    sort: z.number().int(),
    isActive: z.boolean(),
  })
  .partial()
  .extend({ version: Version });
export type UpdateIssueCategoryRequest = z.infer<typeof UpdateIssueCategoryRequest>;
export const ListIssueCategoriesQuery = z.object({ includeInactive: QueryBool.optional() });

// ---- issues ----
export const CreateIssueRequest = z
  .object({
    source: IssueSourceEnum,
    categoryId: Id,
    severity: IssueSeverityEnum.default('normal'),
    title: z.string().trim().min(1, '请填写标题').max(100, '标题最多 100 个字符'),
    description: z.string().trim().max(2000, '描述最多 2000 个字符').default(''),
    pointId: Id.nullish(),
    gridId: Id.nullish(),
    areaUnitId: Id.nullish(),
    address: z.string().trim().max(200, '地址最多 200 个字符').nullish(),
    lng: Lng.nullish(),
    lat: Lat.nullish(),
    reporterPhone: z
      .string()
      .trim()
      .regex(/^1\d{10}$/, '手机号格式不正确')
      .nullish(),
    photos: z.array(Id).max(9, '照片最多 9 张').default([]),
  })
  .refine((v) => (v.lng == null) === (v.lat == null), { message: '经度和纬度须同时填写', path: ['lat'] })
  .refine((v) => v.pointId || v.gridId || v.areaUnitId, { message: '请选择点位、网格或所在区域', path: ['pointId'] });
export type CreateIssueRequest = z.infer<typeof CreateIssueRequest>;

export const IssueActionRequest = z.object({
  version: Version,
  note: z.string().trim().max(1000, '说明最多 1000 个字符').optional(),
  unitId: Id.optional(),
  targetId: Id.optional(),
  photos: z.array(Id).max(9, '照片最多 9 张').optional(),
  deadline: z.iso.datetime({ offset: true, message: '期限须为 ISO 时间' }).optional(),
});
export type IssueActionRequest = z.infer<typeof IssueActionRequest>;
export const IssueActionParams = z.object({ id: Id, action: PerformableAction });

export const ListIssuesQuery = PageQuery.extend({
  state: IssueStateEnum.optional(),
  unitId: Id.optional(),
  categoryId: Id.optional(),
  source: IssueSourceEnum.optional(),
  overdue: QueryBool.optional(),
  /** not finished, deadline not passed but within the due-soon window (ISSUE_DUE_SOON_HOURS, default 24) */
  dueSoon: QueryBool.optional(),
  areaUnitId: Id.optional(),
  /** free text: number, title, address */
  q: z.string().trim().max(50, '搜索词最多 50 个字符').optional(),
  /** reported on or after this day (Asia/Shanghai), YYYY-MM-DD */
  createdFrom: z.iso.date({ message: '开始日期须为 YYYY-MM-DD' }).optional(),
  /** reported on or before this day (Asia/Shanghai), YYYY-MM-DD */
  createdTo: z.iso.date({ message: '结束日期须为 YYYY-MM-DD' }).optional(),
  /** a 延期 request waits for the dispatcher */
  extensionPending: QueryBool.optional(),
  /** only issues dispatched to the actor's unit or a unit under it (the unit's to-do) */
  mine: QueryBool.optional(),
  /** only issues the actor reported (the phone's 我上报的) */
  reportedByMe: QueryBool.optional(),
  /** newest first (default), or the nearest deadline first (a to-do list; no deadline last) */
  sort: z.enum(['newest', 'deadline'], { message: '排序方式须为 newest 或 deadline' }).optional(),
});
export type ListIssuesQuery = z.infer<typeof ListIssuesQuery>;

/** The map of the list: the same filters, no paging, capped (`truncated` tells the client to narrow them). */
export const IssueMarkersQuery = ListIssuesQuery.omit({ page: true, pageSize: true });
export type IssueMarkersQuery = z.infer<typeof IssueMarkersQuery>;
export const IssueMarker = z.object({
  id: z.string(),
  number: z.string(),
  title: z.string(),
  state: IssueStateEnum,
  isOverdue: z.boolean(),
  lng: z.number(),
  lat: z.number(),
});
export type IssueMarker = z.infer<typeof IssueMarker>;
export const IssueMarkers = z.object({ items: z.array(IssueMarker), truncated: z.boolean() });
export type IssueMarkers = z.infer<typeof IssueMarkers>;

export const Issue = z.object({
  id: z.string(),
  number: z.string(),
  source: IssueSourceEnum,
  categoryId: z.string(),
  categoryName: z.string(),
  severity: IssueSeverityEnum,
  title: z.string(),
  description: z.string(),
  pointId: z.string().nullable(),
  /** the 点位 the issue was filed against */
  pointName: z.string().nullable(),
  gridId: z.string().nullable(),
  areaUnitId: z.string(),
  areaUnitName: z.string(),
  address: z.string().nullable(),
  lng: z.number().nullable(),
  lat: z.number().nullable(),
  reporterId: z.string().nullable(),
  reporterName: z.string().nullable(),
  reporterPhoneMasked: z.string().nullable(),
  responsibleUnitId: z.string().nullable(),
  responsibleUnitName: z.string().nullable(),
  deadline: z.string().nullable(),
  isOverdue: z.boolean(),
  /** not finished and the deadline falls within the due-soon window from now */
  isDueSoon: z.boolean(),
  state: IssueStateEnum,
  extensionPending: z.boolean(),
  reworkCount: z.number().int(),
  relapseCount: z.number().int(),
  mergedIntoId: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  closedAt: z.string().nullable(),
});
export type Issue = z.infer<typeof Issue>;

export const IssueEvent = z.object({
  id: z.number().int(),
  action: z.enum(ISSUE_ACTIONS),
  fromState: IssueStateEnum.nullable(),
  toState: IssueStateEnum,
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  actorUnitId: z.string().nullable(),
  /** the actor's unit at the time */
  actorUnitName: z.string().nullable(),
  /** the unit the event names in data.unitId (派遣 to, the report's proposal), if any */
  unitName: z.string().nullable(),
  note: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  at: z.string(),
});
export type IssueEvent = z.infer<typeof IssueEvent>;

export const IssueDetail = Issue.extend({
  events: z.array(IssueEvent),
  /** the duplicate reports merged into this issue, oldest first */
  mergedReports: z.array(z.object({ id: z.string(), number: z.string(), title: z.string(), source: IssueSourceEnum, createdAt: z.string() })),
  files: z.array(z.object({ id: z.string(), originalName: z.string(), contentUrl: z.string(), thumbnailUrl: z.string().nullable() })),
  allowedActions: z.array(z.enum(ISSUE_ACTIONS)),
});
export type IssueDetail = z.infer<typeof IssueDetail>;

// ---- duplicate hints ----

/**
 * GET /api/issues/duplicates: open issues (not closed, rejected or merged) of the same category
 * within ISSUE_DUPLICATE_RADIUS_M metres, nearest first, at most 10, within the caller's read
 * scope. Give lng+lat, or a pointId (its coordinates are used, and issues filed at a point carry
 * its coordinates). `excludeId` leaves out the issue being looked at (merge candidates).
 */
export const IssueDuplicatesQuery = z
  .object({
    categoryId: Id,
    lng: z.coerce.number({ message: '经度必须是数字' }).min(73, '经度超出中国范围（73–136）').max(136, '经度超出中国范围（73–136）').optional(),
    lat: z.coerce.number({ message: '纬度必须是数字' }).min(3, '纬度超出中国范围（3–54）').max(54, '纬度超出中国范围（3–54）').optional(),
    pointId: Id.optional(),
    excludeId: Id.optional(),
  })
  .refine((v) => (v.lng == null) === (v.lat == null), { message: '经度和纬度须同时填写', path: ['lat'] })
  .refine((v) => v.lng != null || v.pointId, { message: '请提供经纬度或点位', path: ['lng'] });
export type IssueDuplicatesQuery = z.infer<typeof IssueDuplicatesQuery>;

export const IssueDuplicate = z.object({
  id: z.string(),
  number: z.string(),
  title: z.string(),
  state: IssueStateEnum,
  categoryId: z.string(),
  categoryName: z.string(),
  pointId: z.string().nullable(),
  address: z.string().nullable(),
  lng: z.number().nullable(),
  lat: z.number().nullable(),
  /** metres from the given place, rounded */
  distanceM: z.number(),
  createdAt: z.string(),
});
export type IssueDuplicate = z.infer<typeof IssueDuplicate>;
export const IssueDuplicatesResponse = z.object({ radiusM: z.number(), items: z.array(IssueDuplicate) });
export type IssueDuplicatesResponse = z.infer<typeof IssueDuplicatesResponse>;
