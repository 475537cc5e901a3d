import { describe, expect, it } from 'vitest';
import { backoffMs, describeSchedule, nextRun, parseSchedule } from './schedule.ts';

const at = (iso: string) => new Date(iso);

describe('schedules: spec grammar and next due time (Asia/Shanghai)', () => {
  it('every N: on multiples of the period, strictly after', () => {
    const s = parseSchedule('every 30m');
    expect(nextRun(s, at('2026-12-03T10:00:00Z')).toISOString()).toBe('2026-12-03T10:30:00.000Z');
    expect(nextRun(s, at('2026-12-03T10:12:07Z')).toISOString()).toBe('2026-12-03T10:30:00.000Z');
    expect(nextRun(parseSchedule('every 1s'), at('2026-12-03T10:00:00.400Z')).toISOString()).toBe('2026-12-03T10:00:01.000Z');
    expect(describeSchedule(s)).toBe('每 30 分钟');
  });

  it('daily HH:MM is Beijing time', () => {
    const s = parseSchedule('daily 00:10');
    // 2026-12-03 08:00 Beijing → today 00:10 has passed → tomorrow 00:10 Beijing = 12-03 16:10Z
    expect(nextRun(s, at('2026-12-03T00:00:00Z')).toISOString()).toBe('2026-12-03T16:10:00.000Z');
    // 2026-12-03 23:00 Beijing (15:00Z): next is 12-04 00:10 Beijing
    expect(nextRun(s, at('2026-12-03T15:00:00Z')).toISOString()).toBe('2026-12-03T16:10:00.000Z');
    // exactly at the due time: the next day
    expect(nextRun(s, at('2026-12-03T16:10:00Z')).toISOString()).toBe('2026-12-04T16:10:00.000Z');
    expect(describeSchedule(s)).toBe('每天 00:10');
  });

  it('monthly on day D, clamped to short months, across the year end', () => {
    const s = parseSchedule('monthly 31 01:00');
    expect(nextRun(s, at('2027-02-01T00:00:00Z')).toISOString()).toBe('2027-02-27T17:00:00.000Z'); // 28 Feb 01:00 Beijing
    const first = parseSchedule('monthly 1 00:30');
    expect(nextRun(first, at('2026-12-15T00:00:00Z')).toISOString()).toBe('2026-12-31T16:30:00.000Z'); // 1 Jan 2027 00:30 Beijing
    expect(describeSchedule(first)).toBe('每月 1 日 00:30');
  });

  it('refuses bad specs', () => {
    for (const bad of ['every 0m', 'daily 24:00', 'monthly 32 00:00', 'hourly', 'every 5 minutes']) expect(() => parseSchedule(bad)).toThrow();
  });

  it('backoff doubles from the base, capped at one hour', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 10_000))).toEqual([10_000, 20_000, 40_000, 80_000]);
    expect(backoffMs(30, 10_000)).toBe(3_600_000);
  });
});
