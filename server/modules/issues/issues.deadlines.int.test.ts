import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Holiday } from '../../../contracts/holidays.ts';
import type { Issue, IssueAction, IssueCategory, IssueDetail, IssueDuplicatesResponse } from '../../../contracts/issues.ts';
import { calendarOf, computeDeadline } from '../../../domain/working-days.ts';
import { type Client, type TestApp, startTestApp } from '../../test/harness.ts';
import { forgetCityBounds } from './city-bounds.ts';

type Point = { id: string; name: string; areaUnitId: string; gridId: string | null; lng: number; lat: number };

describe('issues: holiday calendar, deadlines, due flags, duplicate hints, city bounds', () => {
  let t: TestApp;
  let admin: Client;
  let qu: Client;
  let danwei: Client;
  let wangge: Client;
  let jiandu: Client;
  let cgj: string;
  let point: Point;
  let farPoint: Point;
  let category: IssueCategory;

  beforeAll(async () => {
    t = await startTestApp();
    [admin, qu, danwei, wangge, jiandu] = await Promise.all(['admin', 'qu_admin', 'danwei', 'wangge', 'jiandu'].map((u) => t.login(u)));
    cgj = (await admin.get(`/api/org/units?q=${encodeURIComponent('市城市管理局')}`)).json().items[0].id;
    const points = (await wangge.get('/api/org/points?pageSize=200')).json().items as Point[];
    point = points.find((p) => p.gridId)!;
    const all = (await admin.get('/api/org/points?pageSize=200')).json().items as Point[];
    farPoint = all.reduce((a, b) => (Math.abs(b.lng - point.lng) + Math.abs(b.lat - point.lat) > Math.abs(a.lng - point.lng) + Math.abs(a.lat - point.lat) ? b : a));
    // a category of our own, so the demo city's issues do not show up among the duplicates
    const parent = ((await admin.get('/api/issue-categories')).json() as IssueCategory[]).find((c) => c.name === '市容环境')!;
    const res = await admin.post('/api/issue-categories', { code: '0199', name: '测试用工作日分类', parentId: parent.id, timeLimitDays: 3, timeLimitUnit: 'working' });
    expect(res.statusCode, res.body).toBe(200);
    category = res.json();
  });
  afterAll(() => t.close());

  const act = (c: Client, issue: { id: string; version: number }, action: IssueAction, body: Record<string, unknown> = {}) =>
    c.post(`/api/issues/${issue.id}/actions/${action}`, { version: issue.version, ...body });
  async function ok(c: Client, issue: { id: string; version: number }, action: IssueAction, body: Record<string, unknown> = {}): Promise<IssueDetail> {
    const res = await act(c, issue, action, body);
    expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
    return res.json();
  }
  async function report(extra: Record<string, unknown> = {}): Promise<IssueDetail> {
    const res = await wangge.post('/api/issues', { source: 'grid', categoryId: category.id, title: '路边暴露垃圾', pointId: point.id, ...extra });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }
  async function dispatched(extra: Record<string, unknown> = {}, dispatch: Record<string, unknown> = {}): Promise<IssueDetail> {
    let i = await report(extra);
    i = await ok(qu, i, 'accept');
    return ok(qu, i, 'dispatch', { unitId: cgj, ...dispatch });
  }

  it('serves the official 2026 holiday calendar, editable by the city admin only, audited', async () => {
    const list = (await danwei.get('/api/holidays?year=2026')).json() as Holiday[];
    expect(list.filter((h) => h.kind === 'holiday')).toHaveLength(33);
    expect(list.filter((h) => h.kind === 'workday').map((h) => h.date)).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    expect(list.find((h) => h.date === '2026-10-01')).toMatchObject({ kind: 'holiday', name: '国庆节' });
    expect((await admin.get('/api/holidays?year=1999')).statusCode).toBe(400);

    const bad = await admin.post('/api/holidays', { date: '2026-13-01', kind: 'holiday', name: '错' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('body.date');
    expect((await qu.post('/api/holidays', { date: '2026-12-31', kind: 'holiday', name: '测试' })).statusCode).toBe(403);
    expect((await danwei.post('/api/holidays', { date: '2026-12-31', kind: 'holiday', name: '测试' })).statusCode).toBe(403);

    const set = await admin.post('/api/holidays', { date: '2026-12-31', kind: 'holiday', name: '测试放假' });
    expect(set.statusCode, set.body).toBe(200);
    // same date again replaces it
    const again = (await admin.post('/api/holidays', { date: '2026-12-31', kind: 'holiday', name: '跨年' })).json() as Holiday;
    expect(again.id).toBe(set.json().id);
    expect((await admin.get('/api/holidays?year=2026')).json().filter((h: Holiday) => h.date === '2026-12-31')).toEqual([again]);
    expect((await qu.delete(`/api/holidays/${again.id}`)).statusCode).toBe(403);
    expect((await admin.delete(`/api/holidays/${again.id}`)).statusCode).toBe(200);
    expect((await admin.delete(`/api/holidays/${again.id}`)).statusCode).toBe(404);
    const audit = await t.deps.database.query<{ action: string }>(`SELECT action FROM audit_log WHERE entity = 'holiday' ORDER BY at, action`);
    expect(audit.rows.map((r) => r.action).sort()).toEqual(['create', 'delete', 'update']);
  });

  it('sets the deadline at dispatch from the category (working days) and severity, by the calendar; a manual deadline wins', async () => {
    const cal = calendarOf((await admin.get('/api/holidays')).json() as Holiday[]);
    const before = new Date();
    const normal = await dispatched();
    const urgent = await dispatched({ severity: 'urgent' });
    const after = new Date();
    const expected = (sev: 'normal' | 'urgent') => [before, after].map((d) => computeDeadline(d, 3, 'working', sev, cal).toISOString());
    expect(expected('normal')).toContain(normal.deadline);
    expect(expected('urgent')).toContain(urgent.deadline);
    expect(normal.events.at(-1)!.data.deadline).toBe(normal.deadline);
    expect(normal.deadline!.endsWith('T15:59:59.000Z')).toBe(true);

    const manual = new Date(Date.now() + 10 * 86_400_000).toISOString();
    const overridden = await dispatched({}, { deadline: manual });
    expect(overridden.deadline).toBe(manual);

    // a category switched to calendar days counts weekends and holidays
    const cat = (await admin.patch(`/api/issue-categories/${category.id}`, { version: category.version, timeLimitUnit: 'calendar' })).json() as IssueCategory;
    expect(cat.timeLimitUnit).toBe('calendar');
    const calDay = await dispatched();
    expect([before, new Date()].map((d) => computeDeadline(d, 3, 'calendar', 'normal', cal).toISOString())).toContain(calDay.deadline);
    category = (await admin.patch(`/api/issue-categories/${category.id}`, { version: cat.version, timeLimitUnit: 'working' })).json();
    expect((await admin.patch(`/api/issue-categories/${category.id}`, { version: category.version, timeLimitUnit: 'lunar' })).statusCode).toBe(400);
  });

  it('flags and filters overdue and soon-due issues', async () => {
    const soon = await dispatched({}, { deadline: new Date(Date.now() + 2 * 3_600_000).toISOString() });
    const later = await dispatched({}, { deadline: new Date(Date.now() + 5 * 86_400_000).toISOString() });
    const late = await dispatched();
    await t.deps.database.query(`UPDATE issues SET deadline = now() - interval '1 hour' WHERE id = $1`, [late.id]);

    const get = async (id: string) => (await danwei.get(`/api/issues/${id}`)).json() as Issue;
    expect(await get(soon.id)).toMatchObject({ isDueSoon: true, isOverdue: false });
    expect(await get(later.id)).toMatchObject({ isDueSoon: false, isOverdue: false });
    expect(await get(late.id)).toMatchObject({ isDueSoon: false, isOverdue: true });

    const ids = async (q: string) => ((await qu.get(`/api/issues?categoryId=${category.id}&pageSize=200&${q}`)).json().items as Issue[]).map((i) => i.id);
    const dueSoon = await ids('dueSoon=true');
    expect(dueSoon).toContain(soon.id);
    expect(dueSoon).not.toContain(later.id);
    expect(dueSoon).not.toContain(late.id);
    const overdue = await ids('overdue=true');
    expect(overdue).toContain(late.id);
    expect(overdue).not.toContain(soon.id);
    const notSoon = await ids('dueSoon=false');
    expect(notSoon).toContain(later.id);
    expect(notSoon).not.toContain(soon.id);
    // every listed soon-due issue really is
    for (const i of (await qu.get(`/api/issues?dueSoon=true&pageSize=200`)).json().items as Issue[]) expect(i.isDueSoon).toBe(true);

    // a window of 1 hour: the issue due in 2 hours is no longer soon
    const narrow = await startTestApp({ ...t.deps.config, issues: { ...t.deps.config.issues, dueSoonHours: 1 } });
    try {
      const c = await narrow.login('qu_admin');
      const soonThere = await c.get(`/api/issues?dueSoon=true&pageSize=200`);
      expect(soonThere.statusCode).toBe(200);
      for (const i of soonThere.json().items as Issue[]) expect(new Date(i.deadline!).getTime() - Date.now()).toBeLessThan(3_600_000 + 5000);
    } finally {
      await narrow.close();
    }
  });

  it('offers open issues of the same category nearby as duplicates, nearest first, in scope', async () => {
    const near = await report({ lng: point.lng + 0.0003, lat: point.lat, pointId: undefined, gridId: point.gridId });
    const atPoint = await report();
    const closedOne = await report({ lng: point.lng + 0.0001, lat: point.lat, pointId: undefined, gridId: point.gridId });
    await ok(qu, closedOne, 'reject', { note: '不属于城市管理问题' });
    const far = await report({ lng: point.lng + 0.01, lat: point.lat, pointId: undefined, gridId: point.gridId });

    const res = await wangge.get(`/api/issues/duplicates?categoryId=${category.id}&lng=${point.lng}&lat=${point.lat}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as IssueDuplicatesResponse;
    expect(body.radiusM).toBe(100);
    const found = body.items.map((d) => d.id);
    expect(found).toContain(near.id);
    expect(found).toContain(atPoint.id);
    expect(found).not.toContain(closedOne.id);
    expect(found).not.toContain(far.id);
    expect(found.indexOf(atPoint.id)).toBeLessThan(found.indexOf(near.id));
    const nearHint = body.items.find((d) => d.id === near.id)!;
    expect(nearHint.distanceM).toBeGreaterThan(20);
    expect(nearHint.distanceM).toBeLessThan(35);
    for (let k = 1; k < body.items.length; k++) expect(body.items[k].distanceM).toBeGreaterThanOrEqual(body.items[k - 1].distanceM);
    expect(body.items.length).toBeLessThanOrEqual(10);

    // by point, leaving out the issue being looked at
    const byPoint = (await wangge.get(`/api/issues/duplicates?categoryId=${category.id}&pointId=${point.id}&excludeId=${atPoint.id}`)).json() as IssueDuplicatesResponse;
    expect(byPoint.items.map((d) => d.id)).not.toContain(atPoint.id);
    expect(byPoint.items.map((d) => d.id)).toContain(near.id);

    // a supervisor sees only what is in their read scope: not the grid worker's reports
    const forJiandu = (await jiandu.get(`/api/issues/duplicates?categoryId=${category.id}&lng=${point.lng}&lat=${point.lat}`)).json() as IssueDuplicatesResponse;
    expect(forJiandu.items).toEqual([]);

    // a wider radius from configuration finds the far one too
    const wide = await startTestApp({ ...t.deps.config, issues: { ...t.deps.config.issues, duplicateRadiusM: 2000 } });
    try {
      const c = await wide.login('admin');
      const cats = (await c.get('/api/issue-categories')).json() as IssueCategory[];
      const r = (await c.get(`/api/issues/duplicates?categoryId=${cats.find((x) => x.name === '暴露垃圾')!.id}&lng=${point.lng}&lat=${point.lat}`)).json() as IssueDuplicatesResponse;
      expect(r.radiusM).toBe(2000);
      for (const d of r.items) expect(d.distanceM).toBeLessThanOrEqual(2000);
    } finally {
      await wide.close();
    }

    const missing = await wangge.get(`/api/issues/duplicates?categoryId=${category.id}`);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details[0]).toMatchObject({ path: 'querystring.lng', message: '请提供经纬度或点位' });
  });

  it('refuses coordinates outside the city with a message naming the field', async () => {
    forgetCityBounds(t.deps);
    const base = { source: 'grid', categoryId: category.id, title: '越界测试', gridId: point.gridId };
    const out = await wangge.post('/api/issues', { ...base, lng: 116.4, lat: point.lat });
    expect(out.statusCode).toBe(400);
    expect(out.json().error.details[0].path).toBe('body.lng');
    expect(out.json().error.message).toMatch(/^经度 116\.4 不在本市范围内/);
    const outLat = await wangge.post('/api/issues', { ...base, lng: point.lng, lat: 30.1 });
    expect(outLat.json().error.details.map((d: { path: string }) => d.path)).toEqual(['body.lat']);
    // inside the derived extent (points and grids plus 0.1°): accepted, also at the far edge of the city
    expect((await wangge.post('/api/issues', { ...base, lng: farPoint.lng + 0.05, lat: farPoint.lat })).statusCode).toBe(200);
    const count = await t.deps.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM issues WHERE title = '越界测试'`);
    expect(count.rows[0].n).toBe(1);

    // configured bounds win over the derived ones
    const strict = await startTestApp({ ...t.deps.config, issues: { ...t.deps.config.issues, cityBounds: [point.lng - 0.001, point.lat - 0.001, point.lng + 0.001, point.lat + 0.001] } });
    try {
      const c = await strict.login('wangge');
      const cats = (await c.get('/api/issue-categories')).json() as IssueCategory[];
      const r = await c.post('/api/issues', { source: 'grid', categoryId: cats.find((x) => x.name === '暴露垃圾')!.id, title: '越界', gridId: point.gridId, lng: point.lng + 0.01, lat: point.lat });
      expect(r.statusCode).toBe(400);
      expect(r.json().error.details[0].path).toBe('body.lng');
    } finally {
      await strict.close();
    }
  });
});
