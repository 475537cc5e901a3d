/**
 * The progress of a task (PRODUCT.md §3.2): each unit of a task reports its own status and
 * percent; the task's status is the roll-up of the units that answer for it (牵头 and 责任; only
 * when a task names neither, its 配合 units). Overdue: the deadline (an Asia/Shanghai date) has
 * passed and the task is not done. Stalled: not done and no report for `days` days. Pure.
 */

import type { TaskStatus, TaskUnitRole } from '../contracts/indicators.ts';

export type UnitProgress = { role: TaskUnitRole; status: TaskStatus; percent: number };

/**
 * rollupTaskProgress([{ role: 'lead', status: 'done', percent: 100 }, { role: 'responsible', status: 'in_progress', percent: 40 }])
 * → { status: 'in_progress', percent: 70 }
 */
export function rollupTaskProgress(units: readonly UnitProgress[]): { status: TaskStatus; percent: number } {
  const answering = units.filter((u) => u.role !== 'cooperating');
  const counted = answering.length ? answering : units;
  if (counted.length === 0) return { status: 'not_started', percent: 0 };
  const percent = Math.round(counted.reduce((s, u) => s + u.percent, 0) / counted.length);
  if (counted.every((u) => u.status === 'done')) return { status: 'done', percent: 100 };
  if (counted.some((u) => u.status !== 'not_started')) return { status: 'in_progress', percent: Math.min(percent, 99) };
  return { status: 'not_started', percent: 0 };
}

/** isTaskOverdue('2026-06-30', 'in_progress', '2026-07-01') → true; no date (长期坚持) is never overdue. */
export const isTaskOverdue = (deadline: string | null, status: TaskStatus, today: string): boolean => deadline !== null && deadline < today && status !== 'done';

/** Not done and the last report (or, without one, the task's creation) is more than `days` days before `now`. */
export function isTaskStalled(status: TaskStatus, lastReportAt: Date | null, createdAt: Date, now: Date, days: number): boolean {
  if (status === 'done') return false;
  const since = (lastReportAt ?? createdAt).getTime();
  return now.getTime() - since > days * 86_400_000;
}
