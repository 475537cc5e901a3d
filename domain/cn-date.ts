/**
 * The one way dates are written for people, on every page, chart, export and document:
 *   2026年11月21日          (formatDate)
 *   2026年11月21日 15:30    (formatDateTime)
 *   2026年1月               (formatMonth)
 * Instants are read in Asia/Shanghai whatever the machine's zone (China has no daylight saving,
 * so a fixed +08:00 offset is exact). A string `YYYY-MM-DD` is a calendar date and is written as
 * is, with no zone shift. Pure: used by the web (web/shared/format.ts) and the server
 * (documents, Excel exports, notification texts).
 */

const CST_MS = 8 * 3_600_000;
const CALENDAR = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const MONTH = /^(\d{4})-(\d{1,2})$/;

export type DateInput = string | Date | number;

/** Year, month, day, hour, minute of an instant in Beijing, or of a calendar date (00:00). */
function parts(value: DateInput): { y: number; m: number; d: number; hh: string; mm: string } {
  if (typeof value === 'string') {
    const c = CALENDAR.exec(value.trim());
    if (c) return { y: Number(c[1]), m: Number(c[2]), d: Number(c[3]), hh: '00', mm: '00' };
  }
  const t = value instanceof Date ? value.getTime() : new Date(value).getTime();
  if (Number.isNaN(t)) throw new RangeError(`无效日期：${String(value)}`);
  const s = new Date(t + CST_MS).toISOString();
  return { y: Number(s.slice(0, 4)), m: Number(s.slice(5, 7)), d: Number(s.slice(8, 10)), hh: s.slice(11, 13), mm: s.slice(14, 16) };
}

/** 2026年11月21日 */
export function formatDate(value: DateInput): string {
  const p = parts(value);
  return `${p.y}年${p.m}月${p.d}日`;
}

/** 2026年11月21日 15:30 */
export function formatDateTime(value: DateInput): string {
  const p = parts(value);
  return `${p.y}年${p.m}月${p.d}日 ${p.hh}:${p.mm}`;
}

/** 2026年1月 (from an instant, a calendar date or `YYYY-MM`). */
export function formatMonth(value: DateInput): string {
  if (typeof value === 'string') {
    const m = MONTH.exec(value.trim());
    if (m) return `${Number(m[1])}年${Number(m[2])}月`;
  }
  const p = parts(value);
  return `${p.y}年${p.m}月`;
}

/** Today's calendar date in Beijing, `YYYY-MM-DD` (for requests, not for people). */
export const chinaToday = (now: Date = new Date()): string => new Date(now.getTime() + CST_MS).toISOString().slice(0, 10);

/** The same styles as dayjs format strings, for date pickers (antd `format`). */
export const PICKER_FORMAT = { date: 'YYYY年M月D日', dateTime: 'YYYY年M月D日 HH:mm', month: 'YYYY年M月', quarter: 'YYYY年第Q季度', year: 'YYYY年' } as const;

/**
 * Patterns of the styles we do NOT write: ISO days, slashes, two-digit years. Browser tests run
 * them over page text; a match is a date written some other way.
 */
export const FOREIGN_DATE_PATTERNS: RegExp[] = [/\b\d{4}-\d{2}-\d{2}\b/, /\b\d{4}\/\d{1,2}\/\d{1,2}/, /(?<!\d)\d{2}年\d{1,2}月/, /\b\d{1,2}\/\d{1,2}\/\d{4}\b/];
