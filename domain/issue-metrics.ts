/**
 * Issue metrics in the 数字城管 sense (PRODUCT.md §3.4), as pure functions. The SQL aggregate in
 * server/modules/issues/metrics.repo.ts computes exactly the same numbers in one pass over the
 * issues table; tests hold both to the same hand-counted fixture.
 *
 * Definitions, for a period P = [from, to) (half-open, Asia/Shanghai day bounds in practice) and
 * the moment of evaluation `asOf` = min(to, now):
 *
 * - 已派遣问题: an issue that is, or has been, in a unit's hands — its state is one of 已派遣,
 *   整改中, 已反馈, 核查通过, 已结案. Issues still waiting for acceptance, 不予立案, 已合并 or
 *   回退 to the dispatcher are nobody's to close and are left out.
 * - 应结案数: 已派遣问题 whose 处置期限 (deadline) falls in P and that were not already closed
 *   before P, plus those closed in P (an issue closed ahead of a deadline after P counts in the
 *   period it was closed). Each issue counts once per period.
 * - 结案数: of those, closed in P (closed_at ∈ P). 结案率 = 结案数 / 应结案数.
 * - 按期结案数: closed in P no later than its deadline (an approved 延期 moves the deadline, as
 *   the standard allows). 按期结案率 = 按期结案数 / 应结案数.
 * - 返工数: 应结案 issues that failed verification at least once (rework_count ≥ 1).
 *   返工率 = 返工数 / 应结案数.
 * - 超期未结数: 应结案 issues not closed by the end of P (or not yet, for the current period)
 *   whose deadline lies before `asOf`.
 * - 回潮数: 应结案 issues reopened at least once after closure (relapse_count ≥ 1).
 * - 处置时长: for issues closed in P, hours from the last dispatch (dispatched_at: 派遣, re-派遣
 *   after 回退, or 回潮) to closure; mean and 90th percentile (linear interpolation between
 *   closest ranks, as PostgreSQL's percentile_cont). Issues without a dispatch time are left out.
 *
 * Rates are fractions in [0, 1] (null when 应结案数 is 0); hours are rounded to one decimal.
 */

export type MetricIssue = {
  state: string;
  deadline: Date | null;
  closedAt: Date | null;
  dispatchedAt: Date | null;
  reworkCount: number;
  relapseCount: number;
};

export type Period = { from: Date; to: Date };

/** The states of an issue that is or has been in a unit's hands. */
export const DISPATCHED_STATES = ['dispatched', 'rectifying', 'feedback', 'verified', 'closed'] as const;

export type MetricCounts = {
  /** 应结案数 */
  due: number;
  /** 结案数 */
  closed: number;
  /** 按期结案数 */
  onTime: number;
  /** 返工数 */
  rework: number;
  /** 超期未结数 */
  overdueOpen: number;
  /** 回潮数 */
  relapse: number;
  /** 处置时长 (hours), over the closed issues that have a dispatch time */
  meanHours: number | null;
  p90Hours: number | null;
};

export type Metrics = MetricCounts & {
  closedRate: number | null;
  onTimeRate: number | null;
  reworkRate: number | null;
};

const inP = (d: Date | null, p: Period): boolean => d !== null && d.getTime() >= p.from.getTime() && d.getTime() < p.to.getTime();

/** isDue({ state: 'closed', deadline: …, closedAt: <in P>, … }, P) → true. */
export function isDue(i: MetricIssue, p: Period): boolean {
  if (!(DISPATCHED_STATES as readonly string[]).includes(i.state)) return false;
  if (inP(i.closedAt, p)) return true;
  return inP(i.deadline, p) && (i.closedAt === null || i.closedAt.getTime() >= p.from.getTime());
}

export const isClosedIn = (i: MetricIssue, p: Period): boolean => inP(i.closedAt, p);

export const isOnTime = (i: MetricIssue, p: Period): boolean => isClosedIn(i, p) && i.deadline !== null && i.closedAt!.getTime() <= i.deadline.getTime();

/** Not closed by the end of P, and past its deadline at `asOf` = min(to, now). */
export function isOverdueOpen(i: MetricIssue, p: Period, now: Date): boolean {
  const closedByEnd = i.closedAt !== null && i.closedAt.getTime() < p.to.getTime();
  const asOf = Math.min(p.to.getTime(), now.getTime());
  return !closedByEnd && i.deadline !== null && i.deadline.getTime() < asOf;
}

/** Hours from the last dispatch to closure: handlingHours({ dispatchedAt: 08:00, closedAt: 20:00 }) → 12. */
export function handlingHours(i: Pick<MetricIssue, 'dispatchedAt' | 'closedAt'>): number | null {
  if (!i.dispatchedAt || !i.closedAt) return null;
  return (i.closedAt.getTime() - i.dispatchedAt.getTime()) / 3_600_000;
}

/** percentile_cont: the value at rank f·(n−1) of the sorted values, interpolated; percentile([1,2,3,4], 0.9) → 3.7. */
export function percentile(values: readonly number[], f: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const r = f * (s.length - 1);
  const lo = Math.floor(r);
  const hi = Math.ceil(r);
  return s[lo] + (s[hi] - s[lo]) * (r - lo);
}

const round1 = (v: number | null): number | null => (v === null ? null : Math.round(v * 10) / 10);
const rate = (n: number, d: number): number | null => (d === 0 ? null : n / d);

/** Rates from counts: the one place both the SQL path and the pure path turn counts into rates. */
export function withRates(c: MetricCounts): Metrics {
  return {
    ...c,
    meanHours: round1(c.meanHours),
    p90Hours: round1(c.p90Hours),
    closedRate: rate(c.closed, c.due),
    onTimeRate: rate(c.onTime, c.due),
    reworkRate: rate(c.rework, c.due),
  };
}

/** The metrics of a set of issues over P, evaluated at `now`. */
export function computeMetrics(issues: readonly MetricIssue[], p: Period, now: Date): Metrics {
  const c: MetricCounts = { due: 0, closed: 0, onTime: 0, rework: 0, overdueOpen: 0, relapse: 0, meanHours: null, p90Hours: null };
  const hours: number[] = [];
  for (const i of issues) {
    if (!isDue(i, p)) continue;
    c.due++;
    if (isClosedIn(i, p)) {
      c.closed++;
      const h = handlingHours(i);
      if (h !== null) hours.push(h);
    }
    if (isOnTime(i, p)) c.onTime++;
    if (i.reworkCount > 0) c.rework++;
    if (i.relapseCount > 0) c.relapse++;
    if (isOverdueOpen(i, p, now)) c.overdueOpen++;
  }
  if (hours.length) {
    c.meanHours = hours.reduce((a, b) => a + b, 0) / hours.length;
    c.p90Hours = percentile(hours, 0.9);
  }
  return withRates(c);
}

/** Metrics per group key (only groups with 应结案 issues), in key order of first appearance. */
export function computeGrouped<T extends MetricIssue>(issues: readonly T[], keyOf: (i: T) => string, p: Period, now: Date): Map<string, Metrics> {
  const groups = new Map<string, T[]>();
  for (const i of issues) {
    if (!isDue(i, p)) continue;
    const k = keyOf(i);
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  }
  return new Map([...groups].map(([k, g]) => [k, computeMetrics(g, p, now)]));
}

// ---- periods (Asia/Shanghai, UTC+8 all year) ----

const CST_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** The UTC instant of 00:00 Beijing time on a calendar date: chinaMidnight('2026-11-01') → 2026-10-31T16:00:00Z. */
export function chinaMidnight(date: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`日期格式应为 YYYY-MM-DD：${date}`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) - CST_MS);
}

/** The Beijing calendar date of an instant: chinaDate(2026-10-31T16:00:00Z) → '2026-11-01'. */
export const chinaDate = (d: Date): string => new Date(d.getTime() + CST_MS).toISOString().slice(0, 10);

/** A period of whole Beijing days, both dates included: dayPeriod('2026-11-01', '2026-11-30'). */
export function dayPeriod(fromDate: string, toDate: string): Period {
  return { from: chinaMidnight(fromDate), to: new Date(chinaMidnight(toDate).getTime() + DAY_MS) };
}

export type Bucket = { key: string; label: string; period: Period };

/**
 * Trend buckets covering [from, to] by calendar month or ISO week (Monday first), in Beijing
 * time; the first and last buckets are whole weeks or months even if the range cuts them.
 * trendBuckets('2026-10-15', '2026-11-20', 'month') → 2026-10, 2026-11.
 */
export function trendBuckets(fromDate: string, toDate: string, by: 'week' | 'month'): Bucket[] {
  const out: Bucket[] = [];
  const end = chinaMidnight(toDate).getTime();
  if (by === 'month') {
    let [y, m] = fromDate.split('-').map(Number);
    for (;;) {
      const start = Date.UTC(y, m - 1, 1) - CST_MS;
      if (start > end) break;
      const next = m === 12 ? [y + 1, 1] : [y, m + 1];
      const stop = Date.UTC(next[0], next[1] - 1, 1) - CST_MS;
      out.push({ key: `${y}-${String(m).padStart(2, '0')}`, label: `${y}年${m}月`, period: { from: new Date(start), to: new Date(stop) } });
      [y, m] = next;
    }
    return out;
  }
  const first = chinaMidnight(fromDate);
  const dow = (new Date(first.getTime() + CST_MS).getUTCDay() + 6) % 7; // Monday 0
  for (let start = first.getTime() - dow * DAY_MS; start <= end; start += 7 * DAY_MS) {
    const d = chinaDate(new Date(start));
    const [, mm, dd] = d.split('-').map(Number);
    out.push({ key: d, label: `${mm}月${dd}日周`, period: { from: new Date(start), to: new Date(start + 7 * DAY_MS) } });
  }
  return out;
}
