import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stratifiedDraw } from './inspection-draw.ts';
import { nextState, OCCURRENCE_STATES } from './inspection-flow.ts';
import { windowsOf } from './inspection-schedule.ts';
import { addJudgement, type ChecklistItem, checkJudge, checkValue, emptySum, formatPermille, formatPoints, GRADE_PERCENT, gradeOf, judge, type Judge, ratePermille, toCenti } from './inspection-scoring.ts';

const item = (j: Judge, scoreCenti = 400, extra: Partial<ChecklistItem> = {}): ChecklistItem => ({
  key: 'A01',
  group: 'gy',
  text: '公益广告',
  standardIds: [],
  categoryId: 'c',
  judge: j,
  scoreCenti,
  protocol: '',
  photo: 'on_failure',
  exceptions: '',
  naAllowed: false,
  ...extra,
});

describe('judging', () => {
  it('each judge type, worked examples', () => {
    expect(judge(item({ type: 'count', threshold: 5 }), { count: 5 })).toMatchObject({ outcome: 'pass', earnedUnits: 40_000 });
    expect(judge(item({ type: 'count', threshold: 5 }), { count: 4 })).toMatchObject({ outcome: 'fail', earnedUnits: 0, possibleUnits: 40_000 });
    expect(judge(item({ type: 'ratio', thresholdPercent: 30 }), { numerator: 3, denominator: 10 }).outcome).toBe('pass');
    expect(judge(item({ type: 'ratio', thresholdPercent: 30 }), { numerator: 29, denominator: 100 }).outcome).toBe('fail');
    expect(judge(item({ type: 'k_of_n', k: 3, n: 5 }), { passes: 3 }).outcome).toBe('pass');
    expect(judge(item({ type: 'deduction', perCaseCenti: 200, capCenti: 600 }, 800), { cases: 2 })).toMatchObject({ outcome: 'fail', earnedUnits: 40_000 });
    expect(judge(item({ type: 'deduction', perCaseCenti: 200, capCenti: 600 }, 800), { cases: 9 })).toMatchObject({ earnedUnits: 20_000 });
    expect(judge(item({ type: 'grade' }, 450), { cases: 1 })).toMatchObject({ outcome: 'fail', grade: 'B', earnedUnits: 29_700 });
    expect(judge(item({ type: 'grade' }, 450), { cases: 3 })).toMatchObject({ grade: 'C#', earnedUnits: 0 });
    expect(judge(item({ type: 'pass_fail' }), { na: true })).toMatchObject({ outcome: 'na', earnedUnits: 0, possibleUnits: 0 });
  });

  it('values of the wrong type and 不适用 where not allowed are refused', () => {
    expect(checkValue(item({ type: 'count', threshold: 5 }), { result: 'pass' })).not.toBeNull();
    expect(checkValue(item({ type: 'k_of_n', k: 3, n: 5 }), { passes: 6 })).not.toBeNull();
    expect(checkValue(item({ type: 'ratio', thresholdPercent: 30 }), { numerator: 5, denominator: 4 })).not.toBeNull();
    expect(checkValue(item({ type: 'pass_fail' }), { na: true })).not.toBeNull();
    expect(checkValue(item({ type: 'pass_fail' }, 100, { naAllowed: true }), { na: true })).toBeNull();
    expect(checkJudge({ type: 'deduction', perCaseCenti: 200, capCenti: 900 }, 800)).not.toBeNull();
  });

  it('property: earned is within [0, possible]; fail earns less than the full score except a zero-case deduction', () => {
    const judges = fc.oneof(
      fc.constant<Judge>({ type: 'pass_fail' }),
      fc.integer({ min: 1, max: 20 }).map<Judge>((threshold) => ({ type: 'count', threshold })),
      fc.integer({ min: 1, max: 100 }).map<Judge>((thresholdPercent) => ({ type: 'ratio', thresholdPercent })),
      fc.integer({ min: 1, max: 10 }).chain((n) => fc.integer({ min: 1, max: n }).map<Judge>((k) => ({ type: 'k_of_n', k, n }))),
      fc.integer({ min: 1, max: 500 }).map<Judge>((perCaseCenti) => ({ type: 'deduction', perCaseCenti, capCenti: 1 })),
      fc.constant<Judge>({ type: 'grade' }),
    );
    fc.assert(
      fc.property(judges, fc.integer({ min: 1, max: 10_000 }), fc.nat(50), fc.nat(50), (j, score, a, b) => {
        const it_ = item(j.type === 'deduction' ? { ...j, capCenti: Math.max(1, Math.min(score, j.perCaseCenti * 3)) } : j, score);
        const value =
          j.type === 'pass_fail' ? { result: a % 2 ? 'pass' : 'fail' } as const
          : j.type === 'count' ? { count: a }
          : j.type === 'ratio' ? { numerator: Math.min(a, a + b), denominator: a + b + 1 }
          : j.type === 'k_of_n' ? { passes: a % (j.n + 1) }
          : { cases: a % 6 };
        expect(checkValue(it_, value)).toBeNull();
        const r = judge(it_, value);
        expect(Number.isInteger(r.earnedUnits)).toBe(true);
        expect(r.earnedUnits).toBeGreaterThanOrEqual(0);
        expect(r.earnedUnits).toBeLessThanOrEqual(r.possibleUnits);
        expect(r.possibleUnits).toBe(score * 100);
        if (r.outcome === 'pass') expect(r.earnedUnits).toBe(r.possibleUnits);
        if (j.type === 'grade') expect(r.earnedUnits).toBe(score * GRADE_PERCENT[gradeOf((value as { cases: number }).cases)]);
      }),
    );
  });

  it('property: sums and 得分率 are exact and independent of order; 不适用 leaves the denominator', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ s: fc.integer({ min: 1, max: 5000 }), c: fc.integer({ min: -1, max: 4 }) }), { maxLength: 40 }), (obs) => {
        const js = obs.map(({ s, c }) => judge(item({ type: 'grade' }, s, { naAllowed: true }), c < 0 ? { na: true } : { cases: c }));
        const a = js.reduce(addJudgement, emptySum());
        const b = [...js].reverse().reduce(addJudgement, emptySum());
        expect(a).toEqual(b);
        expect(a.na).toBe(obs.filter((o) => o.c < 0).length);
        expect(a.possibleUnits).toBe(obs.filter((o) => o.c >= 0).reduce((s, o) => s + o.s * 100, 0));
        const r = ratePermille(a.earnedUnits, a.possibleUnits);
        if (a.possibleUnits === 0) expect(r).toBeNull();
        else expect(Math.abs(r! - (a.earnedUnits * 1000) / a.possibleUnits)).toBeLessThanOrEqual(0.5);
      }),
    );
  });

  it('formatting and centi-points', () => {
    expect(formatPoints(29_700)).toBe('2.97');
    expect(formatPoints(104_700)).toBe('10.47');
    expect(formatPermille(701)).toBe('70.1%');
    expect(ratePermille(701, 1000)).toBe(701);
    expect(ratePermille(2, 3)).toBe(667);
    expect(toCenti(4.5)).toBe(450);
    expect(toCenti(0.123)).toBeNull();
    expect(ratePermille(9e15, 1e16)).toBe(900);
  });
});

describe('the occurrence flow', () => {
  it('late submission only when the plan allows it; submitted cannot be submitted again', () => {
    expect(nextState('missed', 'submit', false)).toBeNull();
    expect(nextState('missed', 'submit', true)).toBe('submitted');
    expect(nextState('submitted', 'submit', true)).toBeNull();
    expect(nextState('pending', 'submit', false)).toBe('submitted');
    expect(nextState('approved', 'amend', false)).toBe('approved');
    for (const s of OCCURRENCE_STATES) if (s !== 'submitted') expect(nextState(s, 'approve', true)).toBeNull();
  });
});

describe('the stratified draw', () => {
  const cands = Array.from({ length: 60 }, (_, i) => ({ id: `p${String(i).padStart(3, '0')}`, typeId: `t${i % 3}`, districtId: `d${i % 2}` }));
  it('property: the same seed replays; counts per stratum; no point twice; a shortage draws nothing', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 10 }), (seed, a, b) => {
        const strata = [
          { typeId: 't0', districtId: 'd0', count: a },
          { typeId: 't1', districtId: 'd1', count: b },
        ];
        const r1 = stratifiedDraw(cands, strata, seed);
        const r2 = stratifiedDraw([...cands].reverse(), strata, seed);
        expect(r1).toEqual(r2);
        if (!r1.ok) throw new Error('unexpected shortage');
        expect(r1.byStratum.map((x) => x.length)).toEqual([a, b]);
        expect(new Set(r1.ids).size).toBe(r1.ids.length);
        for (const id of r1.byStratum[0]) expect(cands.find((c) => c.id === id)).toMatchObject({ typeId: 't0', districtId: 'd0' });
      }),
    );
    const short = stratifiedDraw(cands, [{ typeId: 't0', districtId: 'd0', count: 11 }], 's');
    expect(short).toEqual({ ok: false, shortages: [{ index: 0, typeId: 't0', districtId: 'd0', wanted: 11, available: 10 }] });
  });
});

describe('schedules', () => {
  it('windows per kind', () => {
    expect(windowsOf('once', '2026-11-01', '2026-11-30')).toHaveLength(1);
    expect(windowsOf('daily', '2026-11-01', '2026-11-30')).toHaveLength(30);
    expect(windowsOf('weekly', '2026-11-01', '2026-11-30', 3)).toHaveLength(5);
    const m = windowsOf('monthly', '2026-10-15', '2026-12-31');
    expect(m.map((w) => w.dueFrom.toISOString())).toEqual(['2026-10-14T16:00:00.000Z', '2026-10-31T16:00:00.000Z', '2026-11-30T16:00:00.000Z']);
    expect(m.at(-1)!.dueTo.toISOString()).toBe('2026-12-31T16:00:00.000Z');
  });
});
