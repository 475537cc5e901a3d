import { z } from 'zod';
import { EVIDENCE_STATES, EvidenceActionLabels, EvidenceStateLabels } from '../domain/evidence-flow.ts';
import { CellStatusLabels } from '../domain/evidence-matrix.ts';
import { isIsoDate, RECURRENCES, RecurrenceLabels } from '../domain/evidence-periods.ts';
import { Id, PageQuery, Version } from './common.ts';
import { FileInfo } from './files.ts';

/**
 * 材料审核 (PRODUCT.md §3.2): evidence requirements per standard and unit, the due evidence items
 * per period, the review flow (待提交 → 已提交 → 通过 / 退回 → 已提交), the completeness matrix and
 * the archive for the national online review. Shared by server/modules/indicators/evidence and the web.
 */

export { EvidenceActionLabels, EvidenceStateLabels, RecurrenceLabels, CellStatusLabels };

export const Recurrence = z.enum(RECURRENCES, { message: '报送频次须为一次性、每月、每季度或每次活动' });
export type Recurrence = z.infer<typeof Recurrence>;
export const EvidenceState = z.enum(EVIDENCE_STATES, { message: '状态须为待提交、已提交、通过或退回' });
export type EvidenceState = z.infer<typeof EvidenceState>;

/** A calendar date 'YYYY-MM-DD' (Asia/Shanghai); `field` names it in the message. */
const day = (field: string) => z.string().refine(isIsoDate, { message: `${field}须为有效日期（如 2026-10-01）` });

// ─── systems (what the pages offer to pick) ───────────────────────────────────

export const EvidenceSystem = z.object({
  id: z.string(),
  name: z.string(),
  year: z.number().int(),
  status: z.string(),
  requirementCount: z.number().int(),
});
export type EvidenceSystem = z.infer<typeof EvidenceSystem>;

// ─── requirements ─────────────────────────────────────────────────────────────

export const EvidenceRequirement = z.object({
  id: z.string(),
  systemId: z.string(),
  standardId: z.string(),
  standardCode: z.string(),
  standardText: z.string(),
  /** null: every lead and responsible unit of the standard's tasks */
  unitId: z.string().nullable(),
  unitName: z.string().nullable(),
  recurrence: Recurrence,
  title: z.string(),
  description: z.string(),
  startsOn: z.string(),
  endsOn: z.string(),
  isActive: z.boolean(),
  /** evidence items generated so far */
  itemCount: z.number().int(),
  version: z.number().int(),
});
export type EvidenceRequirement = z.infer<typeof EvidenceRequirement>;

export const ListRequirementsQuery = PageQuery.extend({
  systemId: Id.optional(),
  standardId: Id.optional(),
  q: z.string().trim().max(100).optional().describe('按标准编号、标准内容或材料名称搜索'),
});
export type ListRequirementsQuery = z.infer<typeof ListRequirementsQuery>;

const requirementFields = {
  title: z.string().trim().min(1, '材料名称不能为空').max(200, '材料名称不能超过 200 个字'),
  description: z.string().trim().max(2000, '说明不能超过 2000 个字').default(''),
  startsOn: day('起始日期'),
  endsOn: day('截止日期'),
};

export const CreateRequirementRequest = z
  .object({
    standardId: Id,
    unitId: Id.nullable().default(null).describe('不填：该标准任务的全部牵头、责任单位'),
    recurrence: Recurrence,
    ...requirementFields,
    generate: z.boolean().default(true).describe('保存后立即生成已到期各期的待报材料'),
  })
  .refine((v) => v.endsOn >= v.startsOn, { message: '截止日期不能早于起始日期', path: ['endsOn'] });
export type CreateRequirementRequest = z.input<typeof CreateRequirementRequest>;

export const UpdateRequirementRequest = z
  .object({
    title: requirementFields.title.optional(),
    description: z.string().trim().max(2000, '说明不能超过 2000 个字').optional(),
    endsOn: day('截止日期').optional(),
    isActive: z.boolean().optional(),
    version: Version,
  })
  .refine((v) => Object.keys(v).length > 1, { message: '请至少修改一项', path: ['version'] });
export type UpdateRequirementRequest = z.infer<typeof UpdateRequirementRequest>;

export const GenerateRequest = z
  .object({
    systemId: Id.optional(),
    requirementId: Id.optional(),
    asOf: day('生成截至日期').optional().describe('默认今天（北京时间）：生成该日前已开始各期的待报材料'),
  })
  .refine((v) => v.systemId || v.requirementId, { message: '请指定测评体系或材料要求', path: ['systemId'] });
export type GenerateRequest = z.infer<typeof GenerateRequest>;
export const GenerateResult = z.object({ requirements: z.number().int(), created: z.number().int(), asOf: z.string() });
export type GenerateResult = z.infer<typeof GenerateResult>;

// ─── items ────────────────────────────────────────────────────────────────────

export const EvidenceItem = z.object({
  id: z.string(),
  requirementId: z.string(),
  requirementTitle: z.string(),
  requirementDescription: z.string(),
  recurrence: Recurrence,
  systemId: z.string(),
  standardId: z.string(),
  standardCode: z.string(),
  standardText: z.string(),
  itemNodeId: z.string(),
  itemCode: z.string(),
  itemText: z.string(),
  unitId: z.string(),
  unitName: z.string(),
  periodKey: z.string(),
  periodLabel: z.string(),
  periodStart: z.string(),
  periodEnd: z.string(),
  slot: z.number().int(),
  /** Ⅱ-1-1)-①, given at the first submission */
  number: z.string().nullable(),
  title: z.string(),
  evidenceDate: z.string().nullable(),
  description: z.string(),
  state: EvidenceState,
  returnReason: z.string().nullable(),
  fileCount: z.number().int(),
  /** the period has ended and the unit still owes it (待提交 or 退回) */
  isOverdue: z.boolean(),
  submittedAt: z.string().nullable(),
  submittedByName: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  reviewedByName: z.string().nullable(),
  version: z.number().int(),
  updatedAt: z.string(),
});
export type EvidenceItem = z.infer<typeof EvidenceItem>;

export const EvidenceEvent = z.object({
  id: z.number().int(),
  action: z.string(),
  actionLabel: z.string(),
  fromState: EvidenceState.nullable(),
  toState: EvidenceState,
  actorName: z.string().nullable(),
  actorUnitName: z.string().nullable(),
  note: z.string().nullable(),
  fileIds: z.array(z.string()),
  at: z.string(),
});
export type EvidenceEvent = z.infer<typeof EvidenceEvent>;

export const EvidenceDetail = EvidenceItem.extend({
  files: z.array(FileInfo),
  events: z.array(EvidenceEvent),
  /** what the actor may do now: save, submit, resubmit, approve, return */
  allowed: z.array(z.enum(['save', 'submit', 'resubmit', 'approve', 'return'])),
});
export type EvidenceDetail = z.infer<typeof EvidenceDetail>;

export const ListItemsQuery = PageQuery.extend({
  systemId: Id.optional(),
  standardId: Id.optional(),
  itemNodeId: Id.optional().describe('测评项目'),
  unitId: Id.optional(),
  rootUnitId: Id.optional().describe('只看该单位及其下级（矩阵下钻）'),
  state: EvidenceState.optional(),
  periodKey: z.string().trim().max(20).optional(),
  periodFrom: day('期间起').optional(),
  periodTo: day('期间止').optional(),
  mine: z.enum(['true', 'false']).optional().describe('true：只看本单位的材料'),
  q: z.string().trim().max(100).optional(),
});
export type ListItemsQuery = z.infer<typeof ListItemsQuery>;

export const ReviewQueueQuery = PageQuery.extend({
  systemId: Id.optional(),
  standardId: Id.optional(),
  itemNodeId: Id.optional(),
  unitId: Id.optional(),
});
export type ReviewQueueQuery = z.infer<typeof ReviewQueueQuery>;

/** POST /api/evidence/items: one more item of a per-activity requirement (one item per activity). */
export const AddActivityRequest = z.object({ requirementId: Id });
export type AddActivityRequest = z.infer<typeof AddActivityRequest>;

const fileIds = z.array(Id).max(30, '一份材料最多 30 个文件');

/** PATCH /api/evidence/items/:id: the unit saves what it has (draft or returned), without submitting. */
export const SaveItemRequest = z.object({
  title: z.string().trim().max(200, '材料标题不能超过 200 个字').optional(),
  evidenceDate: day('材料日期').nullable().optional(),
  description: z.string().trim().max(2000, '材料说明不能超过 2000 个字').optional(),
  fileIds: fileIds.optional(),
  version: Version,
});
export type SaveItemRequest = z.infer<typeof SaveItemRequest>;

/** POST /api/evidence/items/:id/submit: submit (待提交) or resubmit (退回) with title, date and files. */
export const SubmitItemRequest = z.object({
  title: z.string().trim().min(1, '材料标题不能为空').max(200, '材料标题不能超过 200 个字'),
  evidenceDate: day('材料日期'),
  description: z.string().trim().max(2000, '材料说明不能超过 2000 个字').default(''),
  fileIds: fileIds.min(1, '请至少上传一个文件'),
  version: Version,
});
export type SubmitItemRequest = z.input<typeof SubmitItemRequest>;

/** POST /api/evidence/items/:id/review: approve, or return with a reason. */
export const ReviewRequest = z
  .object({
    action: z.enum(['approve', 'return'], { message: '审核操作须为通过或退回' }),
    reason: z.string().trim().max(1000, '退回原因不能超过 1000 个字').optional(),
    version: Version.optional().describe('可选：带上则检查版本'),
  })
  .refine((v) => v.action !== 'return' || !!v.reason, { message: '退回须填写退回原因', path: ['reason'] });
export type ReviewRequest = z.infer<typeof ReviewRequest>;

// ─── completeness matrix ──────────────────────────────────────────────────────

export const MatrixQuery = z
  .object({
    systemId: Id,
    rootUnitId: Id.optional().describe('区县或单位：只看其下级（默认本人的辖区）'),
    periodFrom: day('期间起').optional(),
    periodTo: day('期间止').optional(),
    itemNodeId: Id.optional().describe('只看一个测评项目'),
    rollup: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional()
      .describe('true：按下级单位汇总（全市看各区县和市直部门，区县看各街道和区直部门）'),
  })
  .refine((v) => !v.periodFrom || !v.periodTo || v.periodFrom <= v.periodTo, { message: '期间止不能早于期间起', path: ['periodTo'] });
export type MatrixQuery = z.infer<typeof MatrixQuery>;

export const Counts = z.object({
  due: z.number().int(),
  missing: z.number().int(),
  submitted: z.number().int(),
  approved: z.number().int(),
  returned: z.number().int(),
});
export type Counts = z.infer<typeof Counts>;

export const MatrixCell = Counts.extend({ standardId: z.string(), unitId: z.string(), periodKey: z.string() });
export type MatrixCell = z.infer<typeof MatrixCell>;

export const Matrix = z.object({
  systemId: z.string(),
  systemName: z.string(),
  rootUnitId: z.string().nullable(),
  rootUnitName: z.string().nullable(),
  /** columns are the root's direct children, each counting its whole subtree */
  rollup: z.boolean(),
  periodFrom: z.string().nullable(),
  periodTo: z.string().nullable(),
  standards: z.array(z.object({ id: z.string(), code: z.string(), text: z.string(), itemCode: z.string(), itemText: z.string(), totals: Counts })),
  units: z.array(z.object({ id: z.string(), name: z.string(), totals: Counts })),
  periods: z.array(z.object({ key: z.string(), label: z.string() })),
  /** one cell per standard × unit × period with anything due */
  cells: z.array(MatrixCell),
  totals: Counts,
});
export type Matrix = z.infer<typeof Matrix>;

export const ArchiveQuery = z.object({
  systemId: Id,
  rootUnitId: Id.optional(),
  itemNodeId: Id.optional(),
});
export type ArchiveQuery = z.infer<typeof ArchiveQuery>;
