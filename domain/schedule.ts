/**
 * Recurring schedules, pure: the spec grammar and the next due time. Times of day are Asia/Shanghai
 * (UTC+8, no daylight saving), stored and compared as UTC instants.
 *
 *   every 30s | every 15m | every 2h      — on multiples of the period since the epoch, so every
 *                                            node computes the same due times
 *   daily 02:00                           — every day at 02:00 Beijing time
 *   monthly 1 00:30                       — on day 1 of each month at 00:30 (day 29–31 falls on
 *                                            the month's last day in shorter months)
 */
export type ScheduleSpec =
  | { kind: 'every'; seconds: number }
  | { kind: 'daily'; hour: number; minute: number }
  | { kind: 'monthly'; day: number; hour: number; minute: number };

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const UNIT_SECONDS = { s: 1, m: 60, h: 3600 } as const;

/** Parses a spec; throws an Error naming the problem (specs are written by developers, not users). */
export function parseSchedule(text: string): ScheduleSpec {
  const t = text.trim();
  let m = /^every (\d+)(s|m|h)$/.exec(t);
  if (m) {
    const seconds = Number(m[1]) * UNIT_SECONDS[m[2] as keyof typeof UNIT_SECONDS];
    if (seconds < 1 || seconds > 31 * 86_400) throw new Error(`schedule period out of range: ${text}`);
    return { kind: 'every', seconds };
  }
  m = /^daily (\d{2}):(\d{2})$/.exec(t);
  if (m) return { kind: 'daily', ...clock(m[1], m[2], text) };
  m = /^monthly (\d{1,2}) (\d{2}):(\d{2})$/.exec(t);
  if (m) {
    const day = Number(m[1]);
    if (day < 1 || day > 31) throw new Error(`schedule day out of range: ${text}`);
    return { kind: 'monthly', day, ...clock(m[2], m[3], text) };
  }
  throw new Error(`bad schedule "${text}": use "every 30m", "daily 02:00" or "monthly 1 00:30"`);
}

function clock(h: string, m: string, text: string) {
  const hour = Number(h);
  const minute = Number(m);
  if (hour > 23 || minute > 59) throw new Error(`bad time of day: ${text}`);
  return { hour, minute };
}

/** The first due time strictly after `after`. */
export function nextRun(spec: ScheduleSpec, after: Date): Date {
  const t = after.getTime();
  if (spec.kind === 'every') {
    const p = spec.seconds * 1000;
    return new Date((Math.floor(t / p) + 1) * p);
  }
  // wall-clock fields of the Shanghai time, through a shifted UTC date
  const local = new Date(t + SHANGHAI_OFFSET_MS);
  const y = local.getUTCFullYear();
  const mo = local.getUTCMonth();
  if (spec.kind === 'daily') {
    let due = shanghai(y, mo, local.getUTCDate(), spec.hour, spec.minute);
    if (due <= t) due = shanghai(y, mo, local.getUTCDate() + 1, spec.hour, spec.minute);
    return new Date(due);
  }
  let due = shanghai(y, mo, Math.min(spec.day, daysIn(y, mo)), spec.hour, spec.minute);
  if (due <= t) due = shanghai(y, mo + 1, Math.min(spec.day, daysIn(y, mo + 1)), spec.hour, spec.minute);
  return new Date(due);
}

const shanghai = (y: number, mo: number, d: number, h: number, mi: number) => Date.UTC(y, mo, d, h, mi) - SHANGHAI_OFFSET_MS;
const daysIn = (y: number, mo: number) => new Date(Date.UTC(y, mo + 1, 0)).getUTCDate();

/** A Chinese description for the admin page: 每 30 分钟 / 每天 02:00 / 每月 1 日 00:30. */
export function describeSchedule(spec: ScheduleSpec): string {
  const hm = (h: number, m: number) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
  if (spec.kind === 'every') {
    const s = spec.seconds;
    if (s % 3600 === 0) return `每 ${s / 3600} 小时`;
    if (s % 60 === 0) return `每 ${s / 60} 分钟`;
    return `每 ${s} 秒`;
  }
  if (spec.kind === 'daily') return `每天 ${hm(spec.hour, spec.minute)}`;
  return `每月 ${spec.day} 日 ${hm(spec.hour, spec.minute)}`;
}

/** Retry delay after the n-th failed attempt (1-based): base·2^(n−1), at most one hour. */
export function backoffMs(attempt: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempt - 1), 3_600_000);
}
