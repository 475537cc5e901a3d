import { describe, expect, it } from 'vitest';
import { CN_HOLIDAYS_2026 } from './cn-holidays.ts';
import {
  addDays,
  addWorkingDays,
  calendarOf,
  computeDeadline,
  EMPTY_CALENDAR,
  endOfShanghaiDay,
  isWorkingDay,
  limitForSeverity,
  shanghaiDate,
} from './working-days.ts';

const cal = calendarOf(CN_HOLIDAYS_2026);

describe('working days in Asia/Shanghai', () => {
  it('reads the Shanghai date of an instant across UTC midnight', () => {
    expect(shanghaiDate(new Date('2026-11-21T15:59:59Z'))).toBe('2026-11-21');
    expect(shanghaiDate(new Date('2026-11-21T16:00:00Z'))).toBe('2026-11-22');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  });

  it('ends a day at 23:59:59 Shanghai, stored as UTC', () => {
    expect(endOfShanghaiDay('2026-11-24').toISOString()).toBe('2026-11-24T15:59:59.000Z');
  });

  it('knows weekends, 放假 and 调休上班', () => {
    expect(isWorkingDay('2026-11-20', cal)).toBe(true); // Friday
    expect(isWorkingDay('2026-11-21', cal)).toBe(false); // Saturday
    expect(isWorkingDay('2026-10-01', cal)).toBe(false); // 国庆, Thursday
    expect(isWorkingDay('2026-10-10', cal)).toBe(true); // 调休, Saturday
    expect(isWorkingDay('2026-09-20', cal)).toBe(true); // 调休, Sunday
    expect(isWorkingDay('2026-02-23', cal)).toBe(false); // 春节, Monday
    expect(isWorkingDay('2026-10-10', EMPTY_CALENDAR)).toBe(false);
  });

  it('the 2026 calendar has the official counts', () => {
    const byName = (name: string) => CN_HOLIDAYS_2026.filter((h) => h.kind === 'holiday' && h.name === name).length;
    expect([byName('元旦'), byName('春节'), byName('清明节'), byName('劳动节'), byName('端午节'), byName('中秋节'), byName('国庆节')]).toEqual([3, 9, 3, 5, 3, 3, 7]);
    expect(CN_HOLIDAYS_2026.filter((h) => h.kind === 'workday').map((h) => h.date)).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    // every 调休上班 day is a weekend day, and dates are unique
    for (const h of CN_HOLIDAYS_2026.filter((x) => x.kind === 'workday')) expect([0, 6]).toContain(new Date(`${h.date}T00:00:00Z`).getUTCDay());
    expect(new Set(CN_HOLIDAYS_2026.map((h) => h.date)).size).toBe(CN_HOLIDAYS_2026.length);
  });

  it('adds working days, not counting the start day', () => {
    expect(addWorkingDays('2026-11-20', 1, cal)).toBe('2026-11-23'); // Fri → Mon
    expect(addWorkingDays('2026-11-23', 5, cal)).toBe('2026-11-30');
    expect(addWorkingDays('2026-11-21', 0, cal)).toBe('2026-11-21');
    // 国庆: 9-30 + 3 → 10-08, 10-09, 10-10 (Saturday, 调休上班)
    expect(addWorkingDays('2026-09-30', 3, cal)).toBe('2026-10-10');
    // 春节: Friday 2-13 + 1 → Saturday 2-14 works
    expect(addWorkingDays('2026-02-13', 1, cal)).toBe('2026-02-14');
    expect(addWorkingDays('2026-02-14', 1, cal)).toBe('2026-02-24');
    expect(() => addWorkingDays('2026-02-14', -1, cal)).toThrow(RangeError);
  });

  it('counts the working days it skipped over correctly (property)', () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let k = 0; k < 300; k++) {
      const start = addDays('2026-01-01', Math.floor(rand() * 330));
      const n = 1 + Math.floor(rand() * 20);
      const end = addWorkingDays(start, n, cal);
      let count = 0;
      for (let d = addDays(start, 1); d <= end; d = addDays(d, 1)) if (isWorkingDay(d, cal)) count++;
      expect(count).toBe(n);
      expect(isWorkingDay(end, cal)).toBe(true);
    }
  });

  it('adjusts the limit by severity: 紧急 halves it, rounded up, at least 1', () => {
    expect([1, 2, 3, 5, 7].map((d) => limitForSeverity(d, 'urgent'))).toEqual([1, 1, 2, 3, 4]);
    expect([1, 2, 3, 5, 7].map((d) => limitForSeverity(d, 'serious'))).toEqual([1, 2, 3, 4, 6]);
    expect(limitForSeverity(5, 'normal')).toBe(5);
  });

  it('computes deadlines in calendar and working days', () => {
    // Friday 2026-11-20 10:00 Shanghai
    const fri = new Date('2026-11-20T02:00:00Z');
    expect(computeDeadline(fri, 3, 'calendar', 'normal', cal).toISOString()).toBe('2026-11-23T15:59:59.000Z');
    expect(computeDeadline(fri, 3, 'working', 'normal', cal).toISOString()).toBe('2026-11-25T15:59:59.000Z');
    expect(computeDeadline(fri, 3, 'working', 'urgent', cal).toISOString()).toBe('2026-11-24T15:59:59.000Z');
    // 23:30 Shanghai on Friday is still Friday: the day does not count
    expect(computeDeadline(new Date('2026-11-20T15:30:00Z'), 1, 'working', 'normal', cal).toISOString()).toBe('2026-11-23T15:59:59.000Z');
    // 00:30 Shanghai on Saturday is Saturday
    expect(computeDeadline(new Date('2026-11-20T16:30:00Z'), 1, 'calendar', 'normal', cal).toISOString()).toBe('2026-11-22T15:59:59.000Z');
    expect(computeDeadline(new Date('2026-09-30T02:00:00Z'), 3, 'working', 'normal', cal).toISOString()).toBe('2026-10-10T15:59:59.000Z');
  });
});
