import type { IssueAction, IssueState } from '../contracts/issues.ts';

/**
 * The issue case flow (PRODUCT.md §3.4), declared once as data: which action may be taken from
 * which state, by which role, with which inputs, and where it leads. The service enforces it in
 * one place (issues.service.ts → apply); the event log replays through the same table.
 */

/** Who performs an action, relative to one issue. The service maps an actor to these roles. */
export type FlowRole = 'reporter' | 'dispatcher' | 'unit' | 'verifier';
/** Inputs an action may require. */
export type FlowInput = 'reason' | 'unitId' | 'photos' | 'deadline' | 'targetId';

export type FlowState = {
  state: IssueState;
  responsibleUnitId: string | null;
  /** ISO timestamp */
  deadline: string | null;
  /** a 延期 request waits for the dispatcher */
  extensionPending: boolean;
  requestedDeadline: string | null;
  /** 返工: feedback rejected on verification, back to the unit */
  reworkCount: number;
  /** 回潮: a closed issue seen again */
  relapseCount: number;
  mergedIntoId: string | null;
};

export type FlowAction = {
  type: IssueAction;
  reason?: string | null;
  unitId?: string | null;
  photos?: readonly string[] | null;
  deadline?: string | null;
  targetId?: string | null;
};

type Transition = {
  from: readonly IssueState[];
  /** the next state; `same` keeps the state (extension sub-flow) */
  to: IssueState | 'same';
  roles: readonly FlowRole[];
  requires: readonly FlowInput[];
  /** extra guard on the sub-flag */
  guard?: (s: FlowState) => boolean;
  /** what the action changes besides the state */
  effect?: (s: FlowState, a: FlowAction) => Partial<FlowState>;
};

const open: readonly IssueState[] = ['reported', 'accepted'];

export const FLOW: Readonly<Record<Exclude<IssueAction, 'report'>, Transition>> = {
  accept: { from: ['reported'], to: 'accepted', roles: ['dispatcher'], requires: [] },
  reject: { from: ['reported'], to: 'rejected', roles: ['dispatcher'], requires: ['reason'] },
  merge: { from: open, to: 'merged', roles: ['dispatcher'], requires: ['targetId'], effect: (_, a) => ({ mergedIntoId: a.targetId ?? null }) },
  dispatch: {
    from: ['accepted', 'returned'],
    to: 'dispatched',
    roles: ['dispatcher'],
    requires: ['unitId'],
    effect: (s, a) => ({ responsibleUnitId: a.unitId ?? null, deadline: a.deadline ?? s.deadline }),
  },
  sign: { from: ['dispatched'], to: 'rectifying', roles: ['unit'], requires: [] },
  return: { from: ['dispatched'], to: 'returned', roles: ['unit'], requires: ['reason'] },
  feedback: {
    from: ['rectifying'],
    to: 'feedback',
    roles: ['unit'],
    requires: ['photos'],
    effect: () => ({ extensionPending: false, requestedDeadline: null }),
  },
  requestExtension: {
    from: ['rectifying'],
    to: 'same',
    roles: ['unit'],
    requires: ['reason', 'deadline'],
    guard: (s) => !s.extensionPending,
    effect: (_, a) => ({ extensionPending: true, requestedDeadline: a.deadline ?? null }),
  },
  approveExtension: {
    from: ['rectifying'],
    to: 'same',
    roles: ['dispatcher'],
    requires: [],
    guard: (s) => s.extensionPending,
    effect: (s, a) => ({ extensionPending: false, requestedDeadline: null, deadline: a.deadline ?? s.requestedDeadline }),
  },
  denyExtension: {
    from: ['rectifying'],
    to: 'same',
    roles: ['dispatcher'],
    requires: ['reason'],
    guard: (s) => s.extensionPending,
    effect: () => ({ extensionPending: false, requestedDeadline: null }),
  },
  verifyPass: { from: ['feedback'], to: 'verified', roles: ['verifier'], requires: [] },
  verifyFail: { from: ['feedback'], to: 'rectifying', roles: ['verifier'], requires: ['reason'], effect: (s) => ({ reworkCount: s.reworkCount + 1 }) },
  close: { from: ['verified'], to: 'closed', roles: ['dispatcher'], requires: [] },
  reopen: {
    from: ['closed'],
    to: 'dispatched',
    roles: ['dispatcher', 'verifier'],
    requires: ['reason'],
    effect: (s, a) => ({ relapseCount: s.relapseCount + 1, deadline: a.deadline ?? s.deadline }),
  },
};

export const TERMINAL_STATES: readonly IssueState[] = ['rejected', 'merged'];

/** The state of a freshly reported issue: initialState('u1', '2026-11-28T…') → { state: 'reported', … }. */
export function initialState(responsibleUnitId: string | null = null, deadline: string | null = null): FlowState {
  return { state: 'reported', responsibleUnitId, deadline, extensionPending: false, requestedDeadline: null, reworkCount: 0, relapseCount: 0, mergedIntoId: null };
}

const performable = Object.keys(FLOW) as (keyof typeof FLOW)[];

/**
 * Actions possible from a state, optionally only those some of `roles` may perform:
 * allowedActions(initialState()) → ['accept', 'reject', 'merge'].
 */
export function allowedActions(s: FlowState, roles?: ReadonlySet<FlowRole>): IssueAction[] {
  return performable.filter((a) => {
    const t = FLOW[a];
    if (!t.from.includes(s.state) || (t.guard && !t.guard(s))) return false;
    return !roles || t.roles.some((r) => roles.has(r));
  });
}

export type FlowError =
  | { code: 'INVALID_STATE'; message: string; state: IssueState; allowed: IssueAction[] }
  | { code: 'MISSING_INPUT'; message: string; input: FlowInput };

export type ApplyResult = { ok: true; state: FlowState } | { ok: false; error: FlowError };

const inputLabels: Record<FlowInput, string> = { reason: '原因说明', unitId: '责任单位', photos: '整改后照片', deadline: '期限', targetId: '合并到的问题' };

function present(a: FlowAction, input: FlowInput): boolean {
  switch (input) {
    case 'reason':
      return !!a.reason?.trim();
    case 'photos':
      return !!a.photos && a.photos.length > 0;
    default:
      return !!a[input];
  }
}

/** The state after an action, or why it is not possible: apply(initialState(), { type: 'accept' }) → { ok: true, state: { state: 'accepted', … } }. */
export function apply(s: FlowState, a: FlowAction): ApplyResult {
  if (a.type === 'report') {
    return { ok: false, error: { code: 'INVALID_STATE', message: '问题已上报', state: s.state, allowed: allowedActions(s) } };
  }
  const t = FLOW[a.type];
  if (!t.from.includes(s.state) || (t.guard && !t.guard(s))) {
    const allowed = allowedActions(s);
    return { ok: false, error: { code: 'INVALID_STATE', message: `当前状态下不能进行此操作`, state: s.state, allowed } };
  }
  for (const input of t.requires) {
    if (!present(a, input)) return { ok: false, error: { code: 'MISSING_INPUT', message: `请填写${inputLabels[input]}`, input } };
  }
  const next: FlowState = { ...s, ...t.effect?.(s, a) };
  next.state = t.to === 'same' ? s.state : t.to;
  return { ok: true, state: next };
}

/** The roles that may perform an action: rolesFor('sign') → ['unit']. */
export const rolesFor = (a: Exclude<IssueAction, 'report'>): readonly FlowRole[] => FLOW[a].roles;

/** The event-log form of an action: what replay needs to redo it. */
export type FlowEvent = FlowAction & { toState: IssueState };

/**
 * Rebuilds the state from the event log, whose first event is `report` (its unitId and deadline
 * are the initial proposal). Throws when the log holds a transition the flow forbids or one
 * that does not lead where the log says: replay([{ type: 'report', toState: 'reported' }]).state → 'reported'.
 */
export function replay(events: readonly FlowEvent[]): FlowState {
  const [first, ...rest] = events;
  if (first?.type !== 'report') throw new Error('event log must start with report');
  let s = initialState(first.unitId ?? null, first.deadline ?? null);
  for (const e of rest) {
    const r = apply(s, e);
    if (!r.ok) throw new Error(`event ${e.type} from ${s.state}: ${r.error.message}`);
    if (r.state.state !== e.toState) throw new Error(`event ${e.type} leads to ${r.state.state}, log says ${e.toState}`);
    s = r.state;
  }
  return s;
}
