import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type IssueAction, ISSUE_ACTIONS, ISSUE_STATES } from '../contracts/issues.ts';
import { allowedActions, apply, FLOW, type FlowAction, type FlowEvent, type FlowState, initialState, replay, TERMINAL_STATES } from './issue-flow.ts';

const full = (type: IssueAction, extra: Partial<FlowAction> = {}): FlowAction => ({
  type,
  reason: '原因',
  unitId: 'u2',
  photos: ['f1'],
  deadline: '2026-12-01T00:00:00.000Z',
  targetId: 'i9',
  ...extra,
});

function run(s: FlowState, ...actions: FlowAction[]): FlowState {
  let cur = s;
  for (const a of actions) {
    const r = apply(cur, a);
    if (!r.ok) throw new Error(`${a.type}: ${r.error.message}`);
    cur = r.state;
  }
  return cur;
}

describe('issue flow', () => {
  it('runs the whole loop with 返工 and 回潮 counted', () => {
    const s = run(
      initialState('u1'),
      full('accept'),
      full('dispatch', { unitId: 'u1' }),
      full('sign'),
      full('feedback'),
      full('verifyFail'),
      full('feedback'),
      full('verifyPass'),
      full('close'),
      full('reopen'),
    );
    expect(s).toMatchObject({ state: 'dispatched', reworkCount: 1, relapseCount: 1, responsibleUnitId: 'u1' });
  });

  it('requires a reason for 不予立案, 回退, 核查不通过 and 延期; photos for 反馈; a unit for 派遣', () => {
    const miss = (s: FlowState, a: FlowAction) => {
      const r = apply(s, a);
      return r.ok ? null : r.error.code === 'MISSING_INPUT' ? r.error.input : r.error.code;
    };
    expect(miss(initialState(), { type: 'reject', reason: '  ' })).toBe('reason');
    const accepted = run(initialState(), full('accept'));
    expect(miss(accepted, { type: 'dispatch' })).toBe('unitId');
    const dispatched = run(accepted, full('dispatch'));
    expect(miss(dispatched, { type: 'return' })).toBe('reason');
    const rect = run(dispatched, full('sign'));
    expect(miss(rect, { type: 'feedback', photos: [] })).toBe('photos');
    expect(miss(rect, { type: 'requestExtension', reason: 'x' })).toBe('deadline');
    const fb = run(rect, full('feedback'));
    expect(miss(fb, { type: 'verifyFail' })).toBe('reason');
  });

  it('runs the 延期 sub-flow on 整改中 only once at a time', () => {
    const rect = run(initialState(), full('accept'), full('dispatch', { deadline: '2026-11-28T00:00:00.000Z' }), full('sign'));
    expect(allowedActions(rect)).toEqual(['feedback', 'requestExtension']);
    const req = run(rect, full('requestExtension', { deadline: '2026-12-05T00:00:00.000Z' }));
    expect(req).toMatchObject({ state: 'rectifying', extensionPending: true, deadline: '2026-11-28T00:00:00.000Z' });
    expect(allowedActions(req)).toEqual(['feedback', 'approveExtension', 'denyExtension']);
    const ok = run(req, { type: 'approveExtension' });
    expect(ok).toMatchObject({ extensionPending: false, deadline: '2026-12-05T00:00:00.000Z' });
    const denied = run(req, full('denyExtension'));
    expect(denied).toMatchObject({ extensionPending: false, deadline: '2026-11-28T00:00:00.000Z' });
  });

  it('answers an invalid action with the current state and the allowed actions', () => {
    const r = apply(initialState(), full('sign'));
    expect(r).toEqual({ ok: false, error: expect.objectContaining({ code: 'INVALID_STATE', state: 'reported', allowed: ['accept', 'reject', 'merge'] }) });
    expect(allowedActions(run(initialState(), full('reject')))).toEqual([]);
    expect(allowedActions(initialState(), new Set(['unit']))).toEqual([]);
  });

  const actionArb = fc.record({
    type: fc.constantFrom(...ISSUE_ACTIONS),
    reason: fc.option(fc.constantFrom('', ' ', '原因'), { nil: undefined }),
    unitId: fc.option(fc.constantFrom('u1', 'u2', 'u3'), { nil: undefined }),
    photos: fc.option(fc.constantFrom([], ['f1']), { nil: undefined }),
    deadline: fc.option(fc.constantFrom('2026-12-01T00:00:00.000Z', '2026-12-10T00:00:00.000Z'), { nil: undefined }),
    targetId: fc.option(fc.constant('i9'), { nil: undefined }),
  });

  it('never produces a transition the table forbids, and the log replays to the state', () => {
    fc.assert(
      fc.property(fc.array(actionArb, { maxLength: 60 }), (actions) => {
        let s = initialState('u1', '2026-11-28T00:00:00.000Z');
        const log: FlowEvent[] = [{ type: 'report', unitId: 'u1', deadline: '2026-11-28T00:00:00.000Z', toState: 'reported' }];
        for (const a of actions) {
          const allowed = allowedActions(s);
          const r = apply(s, a);
          if (!r.ok) {
            if (r.error.code === 'INVALID_STATE') expect(allowed).not.toContain(a.type);
            continue;
          }
          expect(a.type).not.toBe('report');
          expect(allowed).toContain(a.type);
          const t = FLOW[a.type as Exclude<IssueAction, 'report'>];
          expect(t.from).toContain(s.state);
          expect(r.state.state).toBe(t.to === 'same' ? s.state : t.to);
          expect(ISSUE_STATES).toContain(r.state.state);
          expect(r.state.reworkCount).toBe(s.reworkCount + (a.type === 'verifyFail' ? 1 : 0));
          expect(r.state.relapseCount).toBe(s.relapseCount + (a.type === 'reopen' ? 1 : 0));
          s = r.state;
          log.push({ ...a, toState: s.state });
        }
        expect(replay(log)).toEqual(s);
      }),
      { numRuns: 2000 },
    );
  });

  it('walks deep into the flow (mostly allowed actions) and keeps counters equal to their events', () => {
    const step = fc.record({ pick: fc.nat(), wild: fc.boolean(), action: actionArb });
    fc.assert(
      fc.property(fc.array(step, { minLength: 10, maxLength: 80 }), (steps) => {
        let s = initialState('u1');
        const log: FlowEvent[] = [{ type: 'report', unitId: 'u1', toState: 'reported' }];
        for (const { pick, wild, action } of steps) {
          const allowed = allowedActions(s);
          if (allowed.length === 0) break;
          const a = wild ? action : full(allowed[pick % allowed.length], { unitId: action.unitId ?? 'u2', deadline: action.deadline });
          const r = apply(s, a);
          if (!r.ok) continue;
          // whoever may perform it, the role-filtered list agrees
          const t = FLOW[a.type as Exclude<IssueAction, 'report'>];
          expect(allowedActions(s, new Set(t.roles))).toContain(a.type);
          s = r.state;
          log.push({ ...a, toState: s.state });
        }
        const replayed = replay(log);
        expect(replayed).toEqual(s);
        expect(s.reworkCount).toBe(log.filter((e) => e.type === 'verifyFail').length);
        expect(s.relapseCount).toBe(log.filter((e) => e.type === 'reopen').length);
        if (TERMINAL_STATES.includes(s.state)) expect(allowedActions(s)).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses a log with a forbidden or misdirected transition', () => {
    expect(() => replay([])).toThrow();
    expect(() => replay([{ type: 'report', toState: 'reported' }, { type: 'sign', toState: 'rectifying' }])).toThrow(/sign/);
    expect(() => replay([{ type: 'report', toState: 'reported' }, { type: 'accept', toState: 'closed' }])).toThrow(/closed/);
  });
});
