/**
 * Evidence periods (PRODUCT.md §3.2): a requirement recurs once, monthly, quarterly or per
 * activity; each recurrence is a period in which every responsible unit owes evidence.
 *
 * Period keys sort as text within one recurrence and are stable identifiers in the database:
 *   once          → 'once'       一次性
 *   monthly       → '2026-10'    2026年10月
 *   quarterly     → '2026-Q3'    2026年第三季度
 *   per_activity  → 'activity'   按活动报送 (one open period over the requirement's span; each activity is one more item in it)
 *
 * Dates are calendar dates in Asia/Shanghai written as ISO 'YYYY-MM-DD'; no time zones here. Pure.
 */

export const RECURRENCES = ['once', 'monthly', 'quarterly', 'per_activity'] as const;
export type Recurrence = (typeof RECURRENCES)[number];
export const RecurrenceLabels: Record<Recurrence, string> = { once: '一次性', monthly: '每月', quarterly: '每季度', per_activity: '每次活动' };

export type Period = {
  key: string;
  label: string;
  /** first day of the period (inclusive) */
  start: string;
  /** last day of the period (inclusive) */
  end: string;
};

/** At most this many periods from one call (ten years of months); longer spans are refused by callers. */
export const MAX_PERIODS = 120;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const QUARTER_NAMES = ['一', '二', '三', '四'];

/** Whether text is a real calendar date 'YYYY-MM-DD'. isIsoDate('2026-02-30') → false */
export function isIsoDate(text: string): boolean {
  const m = ISO_DATE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const ymd = (y: number, m: number, d: number) => `${y}-${pad2(m)}-${pad2(d)}`;
const parts = (date: string): [number, number, number] => {
  if (!isIsoDate(date)) throw new RangeError(`not a date: ${date}`);
  const [y, m, d] = date.split('-').map(Number);
  return [y, m, d];
};

/** The month period holding a date. monthPeriod(2026, 10) → { key: '2026-10', label: '2026年10月', start: '2026-10-01', end: '2026-10-31' } */
export function monthPeriod(year: number, month: number): Period {
  return { key: `${year}-${pad2(month)}`, label: `${year}年${month}月`, start: ymd(year, month, 1), end: ymd(year, month, daysInMonth(year, month)) };
}

/** The quarter period. quarterPeriod(2026, 3) → { key: '2026-Q3', label: '2026年第三季度', start: '2026-07-01', end: '2026-09-30' } */
export function quarterPeriod(year: number, quarter: number): Period {
  const first = (quarter - 1) * 3 + 1;
  return {
    key: `${year}-Q${quarter}`,
    label: `${year}年第${QUARTER_NAMES[quarter - 1]}季度`,
    start: ymd(year, first, 1),
    end: ymd(year, first + 2, daysInMonth(year, first + 2)),
  };
}

/** Chinese date as people read it. formatChineseDate('2026-01-05') → '2026年1月5日' */
export function formatChineseDate(date: string): string {
  const [y, m, d] = parts(date);
  return `${y}年${m}月${d}日`;
}

/** The single period of a one-off or per-activity requirement: its whole span. */
function spanPeriod(recurrence: 'once' | 'per_activity', from: string, to: string): Period {
  const span = `${formatChineseDate(from)}至${formatChineseDate(to)}`;
  return recurrence === 'once'
    ? { key: 'once', label: `一次性（${span}）`, start: from, end: to }
    : { key: 'activity', label: `按活动报送（${span}）`, start: from, end: to };
}

/**
 * The periods of a requirement (span from–to) that overlap the window [windowFrom, windowTo].
 * Monthly and quarterly periods are whole calendar months and quarters, also where the
 * requirement starts or ends inside one (the unit owes that month's evidence).
 * periodsBetween('quarterly', '2026-01-01', '2026-12-31', '2026-05-01', '2026-08-15') → [2026-Q2, 2026-Q3]
 */
export function periodsBetween(recurrence: Recurrence, from: string, to: string, windowFrom: string, windowTo: string): Period[] {
  parts(from);
  parts(to);
  parts(windowFrom);
  parts(windowTo);
  if (to < from) throw new RangeError(`requirement ends (${to}) before it starts (${from})`);
  const lo = from > windowFrom ? from : windowFrom;
  const hi = to < windowTo ? to : windowTo;
  if (hi < lo) return [];
  if (recurrence === 'once' || recurrence === 'per_activity') return [spanPeriod(recurrence, from, to)];
  const [y0, m0] = parts(lo);
  const [y1, m1] = parts(hi);
  const out: Period[] = [];
  // months counted from year 0, so a loop over them crosses year ends without special cases
  const first = y0 * 12 + (m0 - 1);
  const last = y1 * 12 + (m1 - 1);
  const step = recurrence === 'monthly' ? 1 : 3;
  const start = recurrence === 'monthly' ? first : first - (first % 3);
  for (let i = start; i <= last; i += step) {
    const y = Math.floor(i / 12);
    const m = (i % 12) + 1;
    out.push(recurrence === 'monthly' ? monthPeriod(y, m) : quarterPeriod(y, Math.ceil(m / 3)));
    if (out.length > MAX_PERIODS) throw new RangeError(`more than ${MAX_PERIODS} periods`);
  }
  return out;
}

/**
 * The periods that are due by a date: those of the requirement that have begun on or before
 * asOf (a unit owes this month's evidence from the first of the month on).
 * duePeriods('monthly', '2026-01-01', '2026-12-31', '2026-03-10') → 2026-01, 2026-02, 2026-03
 */
export function duePeriods(recurrence: Recurrence, from: string, to: string, asOf: string): Period[] {
  if (asOf < from) return [];
  return periodsBetween(recurrence, from, to, from, asOf);
}

/** The period of a recurrence that holds a date (for once/per_activity: the requirement's span). */
export function periodOf(recurrence: Recurrence, date: string, from: string, to: string): Period {
  const [y, m] = parts(date);
  if (recurrence === 'monthly') return monthPeriod(y, m);
  if (recurrence === 'quarterly') return quarterPeriod(y, Math.ceil(m / 3));
  return spanPeriod(recurrence, from, to);
}

/**
 * The label of a stored period key; the span of once/per_activity periods is not in the key,
 * so those get their short names. periodLabel('2026-Q3') → '2026年第三季度'; periodLabel('2026-10') → '2026年10月'
 */
export function periodLabel(key: string): string {
  if (key === 'once') return '一次性';
  if (key === 'activity') return '按活动报送';
  const q = /^(\d{4})-Q([1-4])$/.exec(key);
  if (q) return quarterPeriod(Number(q[1]), Number(q[2])).label;
  const mo = /^(\d{4})-(\d{2})$/.exec(key);
  if (mo && Number(mo[2]) >= 1 && Number(mo[2]) <= 12) return monthPeriod(Number(mo[1]), Number(mo[2])).label;
  return key;
}

/** Orders period keys by their last month, a quarter after the months it holds; once/activity first. */
export function comparePeriodKeys(a: string, b: string): number {
  const rank = (k: string): string => {
    if (k === 'once') return '0';
    if (k === 'activity') return '1';
    const q = /^(\d{4})-Q([1-4])$/.exec(k);
    if (q) return `2${q[1]}-${pad2(Number(q[2]) * 3)}-q`;
    return `2${k}`;
  };
  const ra = rank(a);
  const rb = rank(b);
  return ra < rb ? -1 : ra > rb ? 1 : 0;
}
