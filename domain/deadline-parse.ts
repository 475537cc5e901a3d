/**
 * Reading the 完成时限 cells of a 任务分解表 (PRODUCT.md §3.2): exact dates in every spelling
 * offices use, month and period ends (6月底, 上半年, 三季度末), standing tasks (长期坚持) and
 * recurring ones (每月). Deadlines are calendar dates in Asia/Shanghai and are returned as ISO
 * strings 'YYYY-MM-DD', never Date objects: a date has no time zone until someone compares it with
 * "now", and that comparison belongs to the caller (in Asia/Shanghai). Pure; never throws.
 */

import { type Parsed, toHalfWidth } from './excel-values.ts';

/** How precisely the text named the day: 2026-06-30 is 'day', 6月底 'month', 三季度末 'quarter'. */
export type DeadlinePrecision = 'day' | 'month' | 'quarter' | 'half' | 'year';
export type RecurringEvery = 'week' | 'month' | 'quarter' | 'half-year' | 'year';

export type Deadline =
  /** a last day: for a month, quarter, half or year it is the last day of that period */
  | { kind: 'date'; date: string; precision: DeadlinePrecision }
  /** 长期坚持, 常态化, 持续推进: no date, never overdue */
  | { kind: 'ongoing' }
  /** 每月, 每季度 …; `day` when the text names one (每月5日前 → 5) */
  | { kind: 'recurring'; every: RecurringEvery; day?: number };

export type DeadlineOptions = {
  /** the year of texts without one (6月底); the task table's year */
  year: number;
};

export const RecurringEveryLabels: Record<RecurringEvery, string> = { week: '每周', month: '每月', quarter: '每季度', 'half-year': '每半年', year: '每年' };

/** Years a deadline may name; anything else is a typo (226-06-30, 20266-06-30). */
export const MIN_YEAR = 1990;
export const MAX_YEAR = 2100;

/** Excel serial numbers read as dates: 1995-01-01 … 2100-12-31 (smaller numbers are more likely not dates). */
const MIN_SERIAL = 34700;
const MAX_SERIAL = 73415;

const pad = (n: number) => String(n).padStart(2, '0');

/** 'YYYY-MM-DD' of a calendar date. isoDate(2026, 6, 30) → '2026-06-30' */
export const isoDate = (y: number, m: number, d: number): string => `${String(y).padStart(4, '0')}-${pad(m)}-${pad(d)}`;

/** Days in a month of the Gregorian calendar. daysInMonth(2028, 2) → 29 */
export const daysInMonth = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();

/**
 * The calendar date of an Excel serial number (1900 date system, its phantom 1900-02-29 included).
 * excelSerialToIso(46203) → '2026-06-30'
 */
export function excelSerialToIso(serial: number): string {
  const d = new Date(Date.UTC(1899, 11, 30) + Math.floor(serial) * 86_400_000);
  return isoDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** The Excel serial number of an ISO date. isoToExcelSerial('2026-06-30') → 46203 */
export function isoToExcelSerial(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number);
  return Math.round((Date.UTC(y, m - 1, d) - Date.UTC(1899, 11, 30)) / 86_400_000);
}

const CN_DIGITS: Record<string, number> = { 〇: 0, 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** A small number in digits or Chinese numerals (六, 十二, 三十一); null if it is neither. */
function smallNumber(s: string): number | null {
  if (/^\d{1,4}$/.test(s)) return Number(s);
  if (!/^[〇零一二两三四五六七八九十]{1,3}$/.test(s)) return null;
  const i = s.indexOf('十');
  if (i < 0) return s.length === 1 ? CN_DIGITS[s] : null;
  if (s.indexOf('十', i + 1) >= 0) return null;
  const tens = i === 0 ? 1 : CN_DIGITS[s.slice(0, i)];
  const ones = i === s.length - 1 ? 0 : CN_DIGITS[s.slice(i + 1)];
  if (tens === undefined || ones === undefined || i > 1 || s.length - i > 2) return null;
  return tens * 10 + ones;
}

const ONGOING = /^(长期坚持|长期推进|长期开展|长期|常态化|常态化开展|常态化推进|常态长效|长效|长效化|持续推进|持续开展|持续|常年|常年坚持|常年开展|全年|全年开展|全年推进|贯穿全年|一直坚持|坚持)$/;

/** Trailing words that say "by then": 6月底前, 2026年6月30日之前完成. */
const BY_SUFFIX = /(?:之前|以前|前)?(?:完成|办结|落实到位|到位|结束)?$/;

const fail = (text: string, why?: string): Parsed<Deadline | null> => ({ ok: false, error: `完成时限「${text}」${why ?? '无法识别，请写成 2026-06-30、2026年6月30日、6月底、上半年、长期坚持或每月'}` });
const date = (y: number, m: number, d: number, precision: DeadlinePrecision): Parsed<Deadline | null> => ({ ok: true, value: { kind: 'date', date: isoDate(y, m, d), precision } });
const yearProblem = (text: string, y: number): Parsed<Deadline | null> | null =>
  Number.isInteger(y) && y >= MIN_YEAR && y <= MAX_YEAR ? null : fail(text, `的年份 ${y} 不在 ${MIN_YEAR}—${MAX_YEAR} 之间`);

function checkedDay(text: string, y: number, m: number, d: number): Parsed<Deadline | null> {
  const bad = yearProblem(text, y);
  if (bad) return bad;
  if (m < 1 || m > 12) return fail(text, `的月份 ${m} 不存在`);
  if (d < 1 || d > daysInMonth(y, m)) return fail(text, `的日期 ${y}年${m}月${d}日 不存在`);
  return date(y, m, d, 'day');
}

function checkedMonthEnd(text: string, y: number, m: number): Parsed<Deadline | null> {
  const bad = yearProblem(text, y);
  if (bad) return bad;
  if (m < 1 || m > 12) return fail(text, `的月份 ${m} 不存在`);
  return date(y, m, daysInMonth(y, m), 'month');
}

/** 年 prefix: 2026年, 明年, 今年; returns the year and the rest of the text. */
function yearPrefix(s: string, ref: number): { year: number; rest: string; explicit: boolean } {
  const m = /^(\d{4})年(?:度)?/.exec(s);
  if (m) return { year: Number(m[1]), rest: s.slice(m[0].length), explicit: true };
  if (s.startsWith('今年') || s.startsWith('本年')) return { year: ref, rest: s.slice(2), explicit: true };
  if (s.startsWith('明年') || s.startsWith('次年')) return { year: ref + 1, rest: s.slice(2), explicit: true };
  return { year: ref, rest: s, explicit: false };
}

/** One deadline, no ranges. */
function parseOne(text: string, s: string, ref: number): Parsed<Deadline | null> {
  // numeric dates: 2026-06-30, 2026/6/30, 2026.6.30, optionally with a time (Excel date-times)
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/i.exec(s);
  if (m) return checkedDay(text, Number(m[1]), Number(m[2]), Number(m[3]));
  // 20260630
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) return checkedDay(text, Number(m[1]), Number(m[2]), Number(m[3]));
  // Excel serial numbers (a date cell without a date format)
  if (/^\d{5}(?:\.\d+)?$/.test(s)) {
    const n = Number(s);
    if (n >= MIN_SERIAL && n <= MAX_SERIAL) {
      const [y, mo, d] = excelSerialToIso(n).split('-').map(Number);
      return date(y, mo, d, 'day');
    }
    return fail(text);
  }
  // 2026-06, 2026/6, 2026.6 → end of that month
  m = /^(\d{4})[-/.](\d{1,2})$/.exec(s);
  if (m) return checkedMonthEnd(text, Number(m[1]), Number(m[2]));

  const { year, rest, explicit } = yearPrefix(s, ref);
  const r = rest.replace(BY_SUFFIX, '');
  if ((r === '' && explicit) || r === '底' || r === '年底' || r === '末' || r === '年末' || r === '内' || r === '年内') {
    return yearProblem(text, year) ?? date(year, 12, 31, 'year');
  }
  if (r === '上半年' || r === '年中') return yearProblem(text, year) ?? date(year, 6, 30, 'half');
  if (r === '下半年') return yearProblem(text, year) ?? date(year, 12, 31, 'half');
  // 第三季度, 三季度末, 3季度, Q3, 第3季度前
  m = /^(?:第)?([一二三四1-4])季度?(?:末|底)?$|^q([1-4])$/i.exec(r);
  if (m) {
    const q = smallNumber(m[1] ?? m[2]) ?? 0;
    const month = q * 3;
    return checkedQuarter(text, year, month);
  }
  // 6月30日, 六月三十日, 6月30号
  m = /^([0-9一二三四五六七八九十]{1,3})月([0-9〇零一二三四五六七八九十]{1,4})[日号]?$/.exec(r);
  if (m) {
    const mo = smallNumber(m[1]);
    const d = smallNumber(m[2]);
    if (mo !== null && d !== null) return checkedDay(text, year, mo, d);
  }
  // 6月底, 6月, 六月末, 6月份, 6月上旬/中旬/下旬
  m = /^([0-9一二三四五六七八九十]{1,3})月(份)?(底|末|上旬|中旬|下旬|中)?$/.exec(r);
  if (m) {
    const mo = smallNumber(m[1]);
    if (mo !== null) {
      if (m[3] === '上旬') return checkedDay(text, year, mo, 10);
      if (m[3] === '中旬' || m[3] === '中') return checkedDay(text, year, mo, 20);
      return checkedMonthEnd(text, year, mo);
    }
  }
  return fail(text);
}

function checkedQuarter(text: string, year: number, month: number): Parsed<Deadline | null> {
  return yearProblem(text, year) ?? date(year, month, daysInMonth(year, month), 'quarter');
}

function parseRecurring(s: string): Deadline | null {
  const m = /^(?:每|按)(周|星期|月|季度|季|半年|年|年度)(?:度)?(?:(\d{1,2})[日号])?(?:底|末)?(?:之前|以前|前)?(?:完成|报送|上报|开展|一次|1次)?$/.exec(s);
  if (!m) return null;
  const every: RecurringEvery = m[1] === '周' || m[1] === '星期' ? 'week' : m[1] === '月' ? 'month' : m[1] === '半年' ? 'half-year' : m[1].startsWith('年') ? 'year' : 'quarter';
  if (m[2] !== undefined) {
    const day = Number(m[2]);
    if (every !== 'month' || day < 1 || day > 31) return null;
    return { kind: 'recurring', every, day };
  }
  return { kind: 'recurring', every };
}

/**
 * A 完成时限 cell to a Deadline; empty gives null. A range (2026年3月至6月) gives its end.
 * parseDeadline('6月底', { year: 2026 }) → { ok: true, value: { kind: 'date', date: '2026-06-30', precision: 'month' } }
 */
export function parseDeadline(text: string, options: DeadlineOptions): Parsed<Deadline | null> {
  const shown = text.trim();
  if (shown === '') return { ok: true, value: null };
  const s = toHalfWidth(shown)
    .replace(/[\s\u00a0]+/g, ' ')
    .trim()
    .replace(/(?<=[^\d ]) | (?=[^\d ])/g, '')
    .replace(/[。.；;，,]+$/, '')
    .toLowerCase();
  if (s === '') return fail(shown);
  if (ONGOING.test(s)) return { ok: true, value: { kind: 'ongoing' } };
  const recurring = parseRecurring(s);
  if (recurring) return { ok: true, value: recurring };
  // a range: the deadline is its end; the end borrows the start's year when it has none
  const range = /^(.+?)(?:至|到|~|—|–|--|(?<=[月日号底末旬])-)(.+)$/.exec(s);
  if (range) {
    const start = yearPrefix(range[1], options.year);
    const end = parseOne(shown, range[2], start.year);
    if (!end.ok) return end;
    const first = parseOne(shown, range[1], options.year);
    if (!first.ok) return fail(shown);
    if (first.value?.kind === 'date' && end.value?.kind === 'date' && end.value.date < first.value.date) return fail(shown, '的结束日期早于开始日期');
    return end;
  }
  return parseOne(shown, s, options.year);
}

/**
 * The text of a deadline that parseDeadline reads back to it, for export and previews.
 * formatDeadline({ kind: 'date', date: '2026-06-30', precision: 'month' }) → '2026年6月底'
 */
export function formatDeadline(d: Deadline): string {
  if (d.kind === 'ongoing') return '长期坚持';
  if (d.kind === 'recurring') return d.day ? `${RecurringEveryLabels[d.every]}${d.day}日前` : RecurringEveryLabels[d.every];
  const [y, m] = d.date.split('-').map(Number);
  switch (d.precision) {
    case 'day':
      return d.date;
    case 'month':
      return `${y}年${m}月底`;
    case 'quarter':
      return `${y}年第${'一二三四'[m / 3 - 1]}季度`;
    case 'half':
      return m === 6 ? `${y}年上半年` : `${y}年下半年`;
    case 'year':
      return `${y}年底`;
  }
}

/**
 * Whether a deadline has passed on `today` ('YYYY-MM-DD' in Asia/Shanghai); ongoing and recurring
 * tasks are never overdue as a whole. isOverdue({ kind: 'date', date: '2026-06-30', precision: 'day' }, '2026-07-01') → true
 */
export const isOverdue = (d: Deadline | null, today: string): boolean => d?.kind === 'date' && d.date < today;

/** Today's date in Asia/Shanghai as 'YYYY-MM-DD' (UTC+8, no daylight saving). todayInShanghai(new Date('2026-06-30T16:30:00Z')) → '2026-07-01' */
export function todayInShanghai(now: Date): string {
  const t = new Date(now.getTime() + 8 * 3_600_000);
  return isoDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}
