import { describe, expect, it } from 'vitest';
import { apply, initialState } from '../domain/issue-flow.ts';
import { ISSUE_PATHS, nextState } from './lib/issues-seed.ts';

describe('the generated issue paths', () => {
  it('shares sum to 100 and every final state of the flow but none is covered', () => {
    expect(ISSUE_PATHS.reduce((n, p) => n + p.share, 0)).toBe(100);
    expect(new Set(ISSUE_PATHS.map((p) => p.state))).toEqual(
      new Set(['closed', 'rejected', 'reported', 'accepted', 'dispatched', 'rectifying', 'feedback', 'returned', 'verified', 'merged']),
    );
  });

  it.each(ISSUE_PATHS.map((p) => [`${p.state}${p.rework ? ' (返工)' : ''}`, p] as const))('%s replays through domain/issue-flow.ts', (_, p) => {
    expect(p.actions[0]).toBe('report');
    let s = initialState();
    let state = nextState('report', null);
    for (const a of p.actions.slice(1)) {
      if (a === 'report') throw new Error('report only opens a path');
      const r = apply(s, { type: a, reason: '原因', unitId: 'u1', photos: ['f1'], targetId: 't1', deadline: '2026-12-01T00:00:00Z' });
      if (!r.ok) throw new Error(`${a} from ${s.state}: ${JSON.stringify(r.error)}`);
      s = r.state;
      state = nextState(a, state);
      expect(s.state).toBe(state);
    }
    expect(s.state).toBe(p.state);
    expect(s.reworkCount).toBe(p.rework ? 1 : 0);
  });
});
