import { describe, expect, it } from 'vitest';
import { EXPECTED, FIXTURE, FIXTURE_NOW } from './issue-metrics.fixture.ts';
import { chinaDate, chinaMidnight, computeGrouped, computeMetrics, dayPeriod, isDue, percentile, trendBuckets } from './issue-metrics.ts';

const november = dayPeriod('2026-11-01', '2026-11-30');
const october = dayPeriod('2026-10-01', '2026-10-31');

describe('issue metrics: the 数字城管 definitions on a hand-counted fixture', () => {
  it('counts 应结案, 结案, 按期结案, 返工, 超期未结, 回潮 and 处置时长 for November', () => {
    expect(computeMetrics(FIXTURE, november, FIXTURE_NOW)).toEqual(EXPECTED.november.total);
  });

  it('an issue closed before the period is not due in it; one closed in it ahead of a later deadline is', () => {
    const byKey = new Map(FIXTURE.map((i) => [i.key, i]));
    expect(isDue(byKey.get('F')!, november)).toBe(false);
    expect(isDue(byKey.get('F')!, october)).toBe(true);
    expect(isDue(byKey.get('E')!, november)).toBe(true);
    for (const k of ['H', 'I', 'K']) expect(isDue(byKey.get(k)!, november)).toBe(false);
  });

  it('evaluates a past period at its end: October', () => {
    expect(computeMetrics(FIXTURE, october, FIXTURE_NOW)).toMatchObject(EXPECTED.october.total);
  });

  it('groups by unit, source, category and district', () => {
    const by = (k: 'unit' | 'source' | 'category' | 'district') => Object.fromEntries(computeGrouped(FIXTURE, (i) => i[k], november, FIXTURE_NOW));
    expect(by('unit')).toMatchObject(EXPECTED.november.byUnit);
    expect(by('source')).toMatchObject(EXPECTED.november.bySource);
    expect(by('category')).toMatchObject(EXPECTED.november.byCategory);
    expect(by('district')).toMatchObject(EXPECTED.november.byDistrict);
  });

  it('has null rates and times when nothing is due', () => {
    const m = computeMetrics([], november, FIXTURE_NOW);
    expect(m).toMatchObject({ due: 0, closedRate: null, onTimeRate: null, reworkRate: null, meanHours: null, p90Hours: null });
  });

  it('an issue due later in the current period is not overdue yet, and is once the clock passes its deadline', () => {
    const d = FIXTURE.find((i) => i.key === 'D')!;
    expect(computeMetrics([d], november, FIXTURE_NOW).overdueOpen).toBe(0);
    expect(computeMetrics([d], november, new Date('2026-11-26T00:00:00+08:00')).overdueOpen).toBe(1);
  });
});

describe('percentile (percentile_cont)', () => {
  it('interpolates between closest ranks', () => {
    expect(percentile([1, 2, 3, 4], 0.9)).toBeCloseTo(3.7);
    expect(percentile([5], 0.9)).toBe(5);
    expect(percentile([], 0.9)).toBeNull();
    expect(percentile([10, 0], 0.5)).toBe(5);
  });
});

describe('periods in Beijing time', () => {
  it('day bounds are 00:00 Beijing', () => {
    expect(chinaMidnight('2026-11-01').toISOString()).toBe('2026-10-31T16:00:00.000Z');
    expect(chinaDate(new Date('2026-10-31T16:00:00Z'))).toBe('2026-11-01');
    expect(dayPeriod('2026-11-01', '2026-11-30').to.toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(() => chinaMidnight('2026/11/01')).toThrow();
  });

  it('month buckets cover the range, across a year end', () => {
    const b = trendBuckets('2026-11-15', '2027-01-03', 'month');
    expect(b.map((x) => x.key)).toEqual(['2026-11', '2026-12', '2027-01']);
    expect(b[1].label).toBe('2026年12月');
    expect(b[2].period.from.toISOString()).toBe('2026-12-31T16:00:00.000Z');
  });

  it('week buckets start on Monday', () => {
    // 2026-11-21 is a Saturday; its week starts Monday 2026-11-16
    const b = trendBuckets('2026-11-21', '2026-11-30', 'week');
    expect(b.map((x) => x.key)).toEqual(['2026-11-16', '2026-11-23', '2026-11-30']);
    expect(b[0].label).toBe('11月16日周');
    expect(b[0].period.to.getTime() - b[0].period.from.getTime()).toBe(7 * 86_400_000);
  });
});
