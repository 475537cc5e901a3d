import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IndicatorSystem, Rollup, Task, TaskDetail } from '../../../contracts/indicators.ts';
import { type Client, type TestApp, startTestApp } from '../../test/harness.ts';

/** The seeded demo city (issue #3 「Demo」): what a newcomer sees first. */
describe('indicators demo', () => {
  let t: TestApp;
  let admin: Client;
  let danwei: Client;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login('admin');
    danwei = await t.login('danwei');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('ships the main system (≥ 8 items, 40 contents, 120 standards) and the 未成年人 system, each with its own total', async () => {
    const systems = (await admin.get('/api/indicator-systems')).json() as IndicatorSystem[];
    const main = systems.find((s) => s.kind === 'main' && s.status === 'active')!;
    const minors = systems.find((s) => s.kind === 'minors')!;
    expect(main.counts.items).toBeGreaterThanOrEqual(8);
    expect(main.counts.contents).toBeGreaterThanOrEqual(40);
    expect(main.counts.standards).toBeGreaterThanOrEqual(120);
    expect(main.totalScore).toBe(main.scoreSum);
    expect(minors.counts.standards).toBeGreaterThan(10);
    expect(minors.totalScore).toBe(minors.scoreSum);
    // every standard has a task
    expect(main.counts.tasks).toBe(main.counts.standards);
    expect(minors.counts.tasks).toBe(minors.counts.standards);
  });

  it('looks mid-year: done, in progress, not started, overdue and stalled tasks; 市城市管理局 has its own mix with reports', async () => {
    const main = ((await admin.get('/api/indicator-systems?kind=main')).json() as IndicatorSystem[])[0];
    const r = (await admin.get(`/api/tasks/rollup?systemId=${main.id}&by=item`)).json() as Rollup;
    expect(r.totals.done).toBeGreaterThan(0);
    expect(r.totals.inProgress).toBeGreaterThan(0);
    expect(r.totals.overdue).toBeGreaterThan(0);
    expect(r.totals.stalled).toBeGreaterThan(0);
    expect(r.rows).toHaveLength(main.counts.items);
    const mine = (await danwei.get(`/api/tasks?systemId=${main.id}&mine=true&pageSize=200`)).json();
    expect(mine.total).toBeGreaterThan(5);
    const items = mine.items as Task[];
    const statuses = new Set(items.map((x) => x.units.find((u) => u.unitName === '市城市管理局')!.status));
    expect(statuses.has('in_progress')).toBe(true);
    const reported = items.find((x) => x.units.find((u) => u.unitName === '市城市管理局')!.lastReportAt !== null)!;
    const detail = (await danwei.get(`/api/tasks/${reported.id}`)).json() as TaskDetail;
    expect(detail.reports.length).toBeGreaterThan(0);
    expect(detail.canReportFor.map((u) => u.unitName)).toEqual(['市城市管理局']);
    expect(detail.units.find((u) => u.unitName === '市城市管理局')!.liaisonName).toBe('张卫东');
  });
});
