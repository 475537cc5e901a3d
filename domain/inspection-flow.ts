/**
 * The life of a 督查 occurrence as data (PRODUCT.md §3.3), enforced in one place
 * (inspections.service.ts `transition`): each step writes an inspection_events row in its
 * transaction.
 *
 *   待检查 ─start→ 检查中 ─submit→ 已提交 ─approve→ 已审核
 *     │  └──────────submit──────────┘   └─return→ 已退回
 *     └─miss (window passed)→ 已错过 ─start/submit (only if the plan allows late)→ …
 *
 * An offline phone submits straight from 待检查 (its start is written with the submission).
 * Submitted inspections are never edited: `amend` records a correction as an event.
 */
export const OccurrenceStateLabels = {
  pending: '待检查',
  in_progress: '检查中',
  submitted: '已提交',
  approved: '已审核',
  returned: '已退回',
  missed: '已错过',
} as const;
export type OccurrenceState = keyof typeof OccurrenceStateLabels;
export const OCCURRENCE_STATES = Object.keys(OccurrenceStateLabels) as OccurrenceState[];

export const OccurrenceActionLabels = {
  start: '开始检查',
  submit: '提交检查结果',
  approve: '审核通过',
  return: '退回',
  miss: '逾期未检',
  amend: '更正检查结果',
  publish: '公布暗访结果',
} as const;
export type OccurrenceAction = keyof typeof OccurrenceActionLabels;

type Step = { from: readonly OccurrenceState[]; to: OccurrenceState | 'same'; lateFrom?: readonly OccurrenceState[] };

export const OCCURRENCE_FLOW: Record<Exclude<OccurrenceAction, 'publish'>, Step> = {
  start: { from: ['pending'], to: 'in_progress', lateFrom: ['missed'] },
  submit: { from: ['pending', 'in_progress'], to: 'submitted', lateFrom: ['missed'] },
  approve: { from: ['submitted'], to: 'approved' },
  return: { from: ['submitted'], to: 'returned' },
  miss: { from: ['pending', 'in_progress'], to: 'missed' },
  amend: { from: ['submitted', 'approved'], to: 'same' },
};

/** The state after an action, or null when the action is not possible from `state`. */
export function nextState(state: OccurrenceState, action: Exclude<OccurrenceAction, 'publish'>, allowLate: boolean): OccurrenceState | null {
  const step = OCCURRENCE_FLOW[action];
  const ok = step.from.includes(state) || (allowLate && (step.lateFrom ?? []).includes(state));
  if (!ok) return null;
  return step.to === 'same' ? state : step.to;
}

/** Inspection modes. 暗访 results stay hidden from the inspected units until the plan is published. */
export const InspectionModeLabels = {
  open: '明查',
  covert: '暗访',
  self: '自查',
  peer: '互查',
  third_party: '第三方模拟测评',
} as const;
export type InspectionMode = keyof typeof InspectionModeLabels;
export const INSPECTION_MODES = Object.keys(InspectionModeLabels) as InspectionMode[];

/** The issues module's source of an issue raised by a failed item, by plan mode (暗访 apart, so public channels can leave it out). */
export const ISSUE_SOURCE_BY_MODE: Record<InspectionMode, 'inspection' | 'covert_inspection' | 'self_check' | 'peer_check' | 'third_party'> = {
  open: 'inspection',
  covert: 'covert_inspection',
  self: 'self_check',
  peer: 'peer_check',
  third_party: 'third_party',
};

/** Outcomes of a visit: done, or 无法检查 / 拒绝检查 (reason and photo required; no observations). */
export const VisitOutcomeLabels = { done: '已检查', unable: '无法检查', refused: '拒绝检查' } as const;
export type VisitOutcome = keyof typeof VisitOutcomeLabels;
