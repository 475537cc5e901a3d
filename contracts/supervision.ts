import { z } from 'zod';
import { Id, PageQuery, Version } from './common.ts';

/** 督办函 (supervision letters): 已发 → 已回复 → 已办结; the office may send a reply back (退回重新回复). */

export const LetterStateLabels = { sent: '已发', replied: '已回复', done: '已办结' } as const;
export type LetterState = keyof typeof LetterStateLabels;
export const LetterStateEnum = z.enum(Object.keys(LetterStateLabels) as [LetterState, ...LetterState[]], { message: '状态须为 已发、已回复 或 已办结' });

export const LetterActionLabels = { send: '发函', reply: '单位回复', return: '退回重新回复', close: '办结' } as const;
export type LetterAction = keyof typeof LetterActionLabels;

/** Why an issue is a candidate: past its deadline, reworked (核查不通过), or 回潮. */
export const CandidateReasonLabels = { overdue: '超期未整改', rework: '返工', relapse: '回潮' } as const;
export type CandidateReason = keyof typeof CandidateReasonLabels;

/** A unit with overdue or repeat issues: the first step of the create wizard. */
export const CandidateUnit = z.object({
  unitId: z.string(),
  unitName: z.string(),
  overdue: z.number().int(),
  rework: z.number().int(),
  relapse: z.number().int(),
  total: z.number().int(),
  /** letters of this unit not yet 已办结 */
  openLetters: z.number().int(),
});
export type CandidateUnit = z.infer<typeof CandidateUnit>;

export const CandidateIssue = z.object({
  id: z.string(),
  number: z.string(),
  title: z.string(),
  description: z.string(),
  categoryName: z.string(),
  address: z.string().nullable(),
  areaUnitName: z.string(),
  state: z.string(),
  createdAt: z.string(),
  deadline: z.string().nullable(),
  daysOverdue: z.number().int(),
  reworkCount: z.number().int(),
  relapseCount: z.number().int(),
  reasons: z.array(z.enum(['overdue', 'rework', 'relapse'])),
  thumbnailUrl: z.string().nullable(),
  /** numbers of open letters that already name this issue */
  inLetters: z.array(z.string()),
});
export type CandidateIssue = z.infer<typeof CandidateIssue>;

const DateStr = z
  .string({ message: '请填写回复期限' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, '回复期限格式应为 YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), '回复期限不是有效日期');

export const CreateLetterRequest = z.object({
  unitId: Id,
  issueIds: z.array(Id).min(1, '请至少选择一个问题').max(50, '一封督办函最多列 50 个问题'),
  replyDeadline: DateStr,
  title: z.string().trim().min(1, '请填写标题').max(60, '标题最多 60 个字符').optional(),
  /** the letter's 正文; empty → the default text */
  body: z.string().trim().max(3000, '正文最多 3000 个字符').optional(),
});
export type CreateLetterRequest = z.infer<typeof CreateLetterRequest>;

/** The default text and title the wizard shows for editing, and the number the letter would get. */
export const LetterDraftQuery = z.object({ unitId: Id, replyDeadline: DateStr, count: z.coerce.number().int().min(1).max(50).default(1) });
export const LetterDraft = z.object({ title: z.string(), body: z.string(), issuer: z.string(), recipient: z.string() });
export type LetterDraft = z.infer<typeof LetterDraft>;

export const ReplyLetterRequest = z.object({
  version: Version,
  text: z.string().trim().min(1, '请填写回复内容').max(3000, '回复内容最多 3000 个字符'),
  fileIds: z.array(Id).max(9, '附件最多 9 个').default([]),
});
export type ReplyLetterRequest = z.infer<typeof ReplyLetterRequest>;

export const ReviewLetterRequest = z.object({
  version: Version,
  note: z.string().trim().max(1000, '意见最多 1000 个字符').optional(),
});
export type ReviewLetterRequest = z.infer<typeof ReviewLetterRequest>;

export const ListLettersQuery = PageQuery.extend({
  state: LetterStateEnum.optional(),
  unitId: Id.optional(),
  year: z.coerce.number({ message: '年份须为数字' }).int('年份须为整数').min(2000, '年份不正确').max(2100, '年份不正确').optional(),
});
export type ListLettersQuery = z.infer<typeof ListLettersQuery>;

export const Letter = z.object({
  id: z.string(),
  number: z.string(),
  year: z.number().int(),
  unitId: z.string(),
  unitName: z.string(),
  issuer: z.string(),
  title: z.string(),
  replyDeadline: z.string(),
  state: LetterStateEnum,
  itemCount: z.number().int(),
  /** the reply deadline has passed without a reply */
  replyOverdue: z.boolean(),
  createdAt: z.string(),
  createdByName: z.string().nullable(),
  repliedAt: z.string().nullable(),
  doneAt: z.string().nullable(),
  version: z.number().int(),
});
export type Letter = z.infer<typeof Letter>;

export const LetterFile = z.object({ id: z.string(), originalName: z.string(), contentUrl: z.string(), thumbnailUrl: z.string().nullable() });

export const LetterItem = z.object({
  issueId: z.string(),
  number: z.string(),
  title: z.string(),
  address: z.string().nullable(),
  state: z.string(),
  deadline: z.string().nullable(),
  daysOverdue: z.number().int(),
  reworkCount: z.number().int(),
  relapseCount: z.number().int(),
  /** the issue's state now (it moves on after the letter) */
  currentState: z.string(),
});

export const LetterEvent = z.object({
  id: z.number().int(),
  action: z.enum(['send', 'reply', 'return', 'close']),
  fromState: LetterStateEnum.nullable(),
  toState: LetterStateEnum,
  actorName: z.string().nullable(),
  note: z.string().nullable(),
  files: z.array(LetterFile),
  at: z.string(),
});
export type LetterEvent = z.infer<typeof LetterEvent>;

export const LetterDetail = Letter.extend({
  body: z.string(),
  replyText: z.string().nullable(),
  document: LetterFile.nullable(),
  items: z.array(LetterItem),
  events: z.array(LetterEvent),
  /** what the actor may do now */
  canReply: z.boolean(),
  canReview: z.boolean(),
});
export type LetterDetail = z.infer<typeof LetterDetail>;
