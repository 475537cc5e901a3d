/**
 * The review flow of one evidence item (PRODUCT.md §3.2):
 *
 *   待提交 draft ──submit──▶ 已提交 submitted ──approve──▶ 通过 approved
 *                                  │   ▲
 *                            return│   │resubmit
 *                                  ▼   │
 *                              退回 returned
 *
 * 退回 needs a reason. A review (approve/return) of an item that is not 已提交 is a conflict:
 * somebody else reviewed it first, or the unit has not submitted yet. Pure.
 */

export const EVIDENCE_STATES = ['draft', 'submitted', 'approved', 'returned'] as const;
export type EvidenceState = (typeof EVIDENCE_STATES)[number];
export const EvidenceStateLabels: Record<EvidenceState, string> = { draft: '待提交', submitted: '已提交', approved: '通过', returned: '退回' };

export const EVIDENCE_ACTIONS = ['submit', 'resubmit', 'approve', 'return'] as const;
export type EvidenceAction = (typeof EVIDENCE_ACTIONS)[number];
export const EvidenceActionLabels: Record<EvidenceAction | 'generate' | 'create', string> = {
  generate: '生成待报材料',
  create: '新增材料',
  submit: '提交',
  resubmit: '重新提交',
  approve: '审核通过',
  return: '退回',
};

/** Who does an action: the unit that files the evidence, or a reviewer. */
export const actionRole: Record<EvidenceAction, 'unit' | 'reviewer'> = { submit: 'unit', resubmit: 'unit', approve: 'reviewer', return: 'reviewer' };

const TRANSITIONS: Record<EvidenceAction, { from: EvidenceState; to: EvidenceState }> = {
  submit: { from: 'draft', to: 'submitted' },
  resubmit: { from: 'returned', to: 'submitted' },
  approve: { from: 'submitted', to: 'approved' },
  return: { from: 'submitted', to: 'returned' },
};

export type FlowResult = { ok: true; to: EvidenceState } | { ok: false; code: 'INVALID_STATE' | 'REASON_REQUIRED'; message: string };

/** The unit's filing action from a state: submit from 待提交, resubmit from 退回, none otherwise. */
export function fileActionFrom(state: EvidenceState): 'submit' | 'resubmit' | null {
  return state === 'draft' ? 'submit' : state === 'returned' ? 'resubmit' : null;
}

/** The actions possible from a state (before asking who may do them). */
export function possibleActions(state: EvidenceState): EvidenceAction[] {
  return EVIDENCE_ACTIONS.filter((a) => TRANSITIONS[a].from === state);
}

/**
 * Applies an action. apply('submitted', 'return', '') → REASON_REQUIRED;
 * apply('approved', 'approve') → INVALID_STATE (already reviewed).
 */
export function applyEvidenceAction(state: EvidenceState, action: EvidenceAction, reason?: string | null): FlowResult {
  const t = TRANSITIONS[action];
  if (t.from !== state) {
    const message =
      actionRole[action] === 'reviewer'
        ? state === 'approved' || state === 'returned'
          ? `该材料已审核（${EvidenceStateLabels[state]}），不能重复审核`
          : `该材料当前为「${EvidenceStateLabels[state]}」，尚未提交，不能审核`
        : `该材料当前为「${EvidenceStateLabels[state]}」，不能${EvidenceActionLabels[action]}`;
    return { ok: false, code: 'INVALID_STATE', message };
  }
  if (action === 'return' && !(reason ?? '').trim()) return { ok: false, code: 'REASON_REQUIRED', message: '退回须填写退回原因' };
  return { ok: true, to: t.to };
}
