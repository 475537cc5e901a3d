import { describe, expect, it } from 'vitest';
import { isTaskOverdue, isTaskStalled, rollupTaskProgress } from './task-progress.ts';

describe('rollupTaskProgress', () => {
  it('counts the lead and responsible units, not the cooperating ones', () => {
    expect(
      rollupTaskProgress([
        { role: 'lead', status: 'done', percent: 100 },
        { role: 'responsible', status: 'in_progress', percent: 40 },
        { role: 'cooperating', status: 'not_started', percent: 0 },
      ]),
    ).toEqual({ status: 'in_progress', percent: 70 });
  });
  it('is done only when every answering unit is done', () => {
    expect(rollupTaskProgress([{ role: 'lead', status: 'done', percent: 100 }, { role: 'cooperating', status: 'not_started', percent: 0 }])).toEqual({ status: 'done', percent: 100 });
    expect(rollupTaskProgress([{ role: 'lead', status: 'done', percent: 100 }, { role: 'responsible', status: 'in_progress', percent: 99 }]).status).toBe('in_progress');
  });
  it('uses the cooperating units when a task names no other', () => {
    expect(rollupTaskProgress([{ role: 'cooperating', status: 'in_progress', percent: 30 }])).toEqual({ status: 'in_progress', percent: 30 });
    expect(rollupTaskProgress([])).toEqual({ status: 'not_started', percent: 0 });
  });
  it('never shows 100 for a task that is not done', () => {
    expect(rollupTaskProgress([{ role: 'lead', status: 'done', percent: 100 }, { role: 'responsible', status: 'in_progress', percent: 99 }]).percent).toBe(99);
  });
});

describe('overdue and stalled', () => {
  it('overdue: a date passed and not done', () => {
    expect(isTaskOverdue('2026-06-30', 'in_progress', '2026-07-01')).toBe(true);
    expect(isTaskOverdue('2026-06-30', 'in_progress', '2026-06-30')).toBe(false);
    expect(isTaskOverdue('2026-06-30', 'done', '2026-07-01')).toBe(false);
    expect(isTaskOverdue(null, 'not_started', '2030-01-01')).toBe(false);
  });
  it('stalled: no report for more than N days, counted from creation without reports', () => {
    const now = new Date('2026-07-31T00:00:00Z');
    expect(isTaskStalled('in_progress', new Date('2026-06-30T00:00:00Z'), new Date('2026-01-01T00:00:00Z'), now, 30)).toBe(true);
    expect(isTaskStalled('in_progress', new Date('2026-07-02T00:00:00Z'), new Date('2026-01-01T00:00:00Z'), now, 30)).toBe(false);
    expect(isTaskStalled('not_started', null, new Date('2026-07-20T00:00:00Z'), now, 30)).toBe(false);
    expect(isTaskStalled('not_started', null, new Date('2026-05-20T00:00:00Z'), now, 30)).toBe(true);
    expect(isTaskStalled('done', null, new Date('2026-01-01T00:00:00Z'), now, 30)).toBe(false);
  });
});
