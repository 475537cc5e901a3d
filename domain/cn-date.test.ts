import { describe, expect, it } from 'vitest';
import { FOREIGN_DATE_PATTERNS, formatDate, formatDateTime, formatMonth } from './cn-date.ts';

describe('one date style', () => {
  it('writes instants in Beijing time', () => {
    expect(formatDate('2026-11-20T16:30:00Z')).toBe('2026年11月21日');
    expect(formatDateTime('2026-11-21T07:30:00Z')).toBe('2026年11月21日 15:30');
    expect(formatDateTime(new Date('2026-01-05T00:05:00+08:00'))).toBe('2026年1月5日 00:05');
    expect(formatMonth('2026-01-31T17:00:00Z')).toBe('2026年2月');
  });
  it('takes a calendar date or month as it is', () => {
    expect(formatDate('2026-03-09')).toBe('2026年3月9日');
    expect(formatMonth('2026-01')).toBe('2026年1月');
    expect(formatMonth('2026-12-31')).toBe('2026年12月');
  });
  it('refuses what is not a date', () => {
    expect(() => formatDate('soon')).toThrow(RangeError);
  });
  it('its foreign patterns catch the other styles and pass its own', () => {
    const foreign = (s: string) => FOREIGN_DATE_PATTERNS.some((p) => p.test(s));
    for (const s of ['2026-11-21', '2026/11/21 12:30:00', '26年1月', '11/21/2026']) expect(foreign(s)).toBe(true);
    for (const s of ['2026年11月21日', '2026年11月21日 15:30', '2026年1月', 'WT20261121-0001', '创文督〔2026〕5号']) expect(foreign(s)).toBe(false);
  });
});
