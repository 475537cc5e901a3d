/**
 * A plan's schedule → due windows (Asia/Shanghai days, as UTC instants). Pure.
 * once: the whole period; daily: each day; weekly: each week from the period's first day, the
 * window `windowDays` long (≤ 7); monthly: each calendar month within the period.
 */
export const ScheduleKindLabels = { once: '一次', daily: '每天', weekly: '每周', monthly: '每月' } as const;
export type ScheduleKind = keyof typeof ScheduleKindLabels;

export type Window = { dueFrom: Date; dueTo: Date };

const DAY = 86_400_000;
/** 2026-11-21 (a Shanghai day) → its start as a UTC instant. */
export const shanghaiDayStart = (day: string): Date => new Date(`${day}T00:00:00+08:00`);
const dayOf = (d: Date): string => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/** The windows of a schedule over [startDay, endDay] (inclusive Shanghai days); at most `max`. */
export function windowsOf(kind: ScheduleKind, startDay: string, endDay: string, windowDays = 7, max = 400): Window[] {
  const start = shanghaiDayStart(startDay);
  const end = new Date(shanghaiDayStart(endDay).getTime() + DAY);
  if (end <= start) return [];
  const out: Window[] = [];
  const clip = (from: Date, to: Date) => out.push({ dueFrom: from, dueTo: to > end ? end : to });
  if (kind === 'once') clip(start, end);
  else if (kind === 'daily') for (let t = start.getTime(); t < end.getTime() && out.length < max; t += DAY) clip(new Date(t), new Date(t + DAY));
  else if (kind === 'weekly') {
    const len = Math.min(Math.max(1, windowDays), 7) * DAY;
    for (let t = start.getTime(); t < end.getTime() && out.length < max; t += 7 * DAY) clip(new Date(t), new Date(t + len));
  } else {
    let [y, m] = startDay.split('-').map(Number);
    let from = start;
    while (from < end && out.length < max) {
      m += 1;
      if (m > 12) {
        m = 1;
        y += 1;
      }
      const next = shanghaiDayStart(`${y}-${String(m).padStart(2, '0')}-01`);
      clip(from, next);
      from = next;
    }
  }
  return out;
}

export { dayOf as shanghaiDayOf };
