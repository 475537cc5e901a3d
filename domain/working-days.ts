import type { IssueSeverity, TimeLimitUnit } from '../contracts/issues.ts';

/**
 * Deadlines in calendar or working days, in Asia/Shanghai (UTC+8, no daylight saving).
 *
 * Rules (documented for users in docs/issues.md):
 * - The day of dispatch does not count; the limit runs from the next day.
 * - Calendar days: the deadline is the end (23:59:59 Shanghai) of the N-th day after dispatch.
 * - Working days: the end of the N-th working day after dispatch. Monday–Friday work, Saturday
 *   and Sunday rest, except dates in the holiday calendar: `holiday` (放假) rests even on a
 *   weekday, `workday` (调休上班) works even on a weekend.
 * - Severity adjusts the category's limit: 一般 the full limit, 较重 3/4, 紧急 1/2, rounded up,
 *   never below 1 day.
 */

/** Dates (YYYY-MM-DD, Shanghai) that differ from the plain weekday/weekend rule. */
export type HolidayCalendar = { holidays: ReadonlySet<string>; workdays: ReadonlySet<string> };

export const EMPTY_CALENDAR: HolidayCalendar = { holidays: new Set(), workdays: new Set() };

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** The calendar from holiday rows: calendarOf([{ date: '2026-10-01', kind: 'holiday' }]). */
export function calendarOf(rows: readonly { date: string; kind: string }[]): HolidayCalendar {
  const holidays = new Set<string>();
  const workdays = new Set<string>();
  for (const r of rows) (r.kind === 'workday' ? workdays : holidays).add(r.date);
  return { holidays, workdays };
}

/** The Shanghai calendar date of an instant: shanghaiDate(new Date('2026-11-21T17:00:00Z')) → '2026-11-22'. */
export function shanghaiDate(instant: Date): string {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** Calendar arithmetic on dates: addDays('2026-12-31', 1) → '2027-01-01'. */
export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
const weekday = (date: string): number => new Date(`${date}T00:00:00Z`).getUTCDay();

/** isWorkingDay('2026-10-01', cal) → false (国庆); isWorkingDay('2026-10-10', cal) → true (调休上班, a Saturday). */
export function isWorkingDay(date: string, cal: HolidayCalendar): boolean {
  if (cal.workdays.has(date)) return true;
  if (cal.holidays.has(date)) return false;
  const d = weekday(date);
  return d !== 0 && d !== 6;
}

/** The N-th working day after `date` (not counting it): addWorkingDays('2026-11-20', 1, cal) → '2026-11-23' (Fri → Mon). */
export function addWorkingDays(date: string, n: number, cal: HolidayCalendar): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a non-negative integer: ${n}`);
  let d = date;
  let left = n;
  // at most a few hundred iterations: even a year holds over 240 working days
  while (left > 0) {
    d = addDays(d, 1);
    if (isWorkingDay(d, cal)) left--;
  }
  return d;
}

/** 23:59:59 Shanghai of a date, as an instant: endOfShanghaiDay('2026-11-24') → 2026-11-24T15:59:59.000Z. */
export function endOfShanghaiDay(date: string): Date {
  return new Date(`${date}T23:59:59+08:00`);
}

const SEVERITY_FACTOR: Record<IssueSeverity, number> = { normal: 1, serious: 0.75, urgent: 0.5 };

/** The limit after severity: limitForSeverity(3, 'urgent') → 2; limitForSeverity(1, 'urgent') → 1. */
export function limitForSeverity(days: number, severity: IssueSeverity): number {
  return Math.max(1, Math.ceil(days * SEVERITY_FACTOR[severity]));
}

/**
 * The deadline of a limit started at `from`:
 * computeDeadline(new Date('2026-09-30T02:00:00Z'), 3, 'working', 'normal', cal2026) → end of 2026-10-10
 * (国庆 10-01…10-07 rest; 10-08 Thu, 10-09 Fri, then 10-10, a Saturday of 调休上班).
 */
export function computeDeadline(from: Date, days: number, unit: TimeLimitUnit, severity: IssueSeverity, cal: HolidayCalendar): Date {
  const n = limitForSeverity(days, severity);
  const start = shanghaiDate(from);
  return endOfShanghaiDay(unit === 'working' ? addWorkingDays(start, n, cal) : addDays(start, n));
}
