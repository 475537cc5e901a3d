import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssueAction, IssueDetail } from '../../../contracts/issues.ts';
import type { MetricsReport, MetricsTrend } from '../../../contracts/issue-metrics.ts';
import { EXPECTED, FIXTURE, FIXTURE_NOW, type FixtureIssue } from '../../../domain/issue-metrics.fixture.ts';
import { chinaDate, computeGrouped, computeMetrics, dayPeriod, type MetricIssue, type Period, withRates } from '../../../domain/issue-metrics.ts';
import { rowsOf } from '../../db/client.ts';
import { newId } from '../../lib/ids.ts';
import { type Client, type TestApp, startTestApp } from '../../test/harness.ts';
import { jpegWithExif } from '../files/files.fixtures.ts';
import { unitMetrics } from './metrics.repo.ts';

/**
 * The SQL aggregate (metrics.repo.ts unitMetrics) against the hand-counted fixture of
 * domain/issue-metrics.fixture.ts, written as issues with their events into the database. The
 * fixture is moved 104 weeks into the past so the demo city's own recent issues do not mix in.
 */
const SHIFT_MS = 104 * 7 * 86_400_000;
const back = (d: Date | null) => (d === null ? null : new Date(d.getTime() - SHIFT_MS));
const day = (d: string) => chinaDate(new Date(new Date(`${d}T12:00:00+08:00`).getTime() - SHIFT_MS));
/** November 2026 and October 2026 of the fixture, shifted: the same instants as dayPeriod gives. */
const NOV = { from: day('2026-11-01'), to: day('2026-11-30') };
const OCT = { from: day('2026-10-01'), to: day('2026-10-31') };
const period = (p: { from: string; to: string }): Period => dayPeriod(p.from, p.to);
const NOW = back(FIXTURE_NOW)!;

const UNIT_NAMES = { u1: '市城市管理局', u2: '市住房和城乡建设局', u3: '市园林绿化局' } as const;
const AREA_NAMES = { d1: '新华街道', d2: '幸福街道' } as const;
const DISTRICT_NAMES = { d1: '文明区', d2: '和谐区' } as const;

type Unit = { id: string; path: string };

describe('issue metrics: the SQL aggregate equals the hand count', () => {
  let t: TestApp;
  let admin: Client;
  let qu: Client;
  let danwei: Client;
  let wangge: Client;
  const units = {} as Record<keyof typeof UNIT_NAMES | keyof typeof AREA_NAMES | keyof typeof DISTRICT_NAMES, Unit>;
  const cats = {} as Record<'c1' | 'c2', { sub: string; top: string; topName: string }>;

  async function unitByName(name: string): Promise<Unit> {
    const r = rowsOf<Unit>(await t.deps.db.execute(sql`SELECT id, path FROM org_units WHERE name = ${name}`));
    expect(r, name).toHaveLength(1);
    return r[0];
  }

  async function insertFixture(i: FixtureIssue) {
    const id = newId();
    const unit = units[i.unit];
    const area = units[i.district];
    const deadline = back(i.deadline);
    const closedAt = back(i.closedAt);
    const dispatchedAt = back(i.dispatchedAt);
    const created = new Date((dispatchedAt ?? deadline)!.getTime() - 3_600_000);
    await t.deps.db.execute(sql`INSERT INTO issues (id, number, source, category_id, title, area_unit_id, area_path, responsible_unit_id, responsible_path,
        deadline, state, rework_count, relapse_count, created_at, updated_at, closed_at, dispatched_at)
      VALUES (${id}, ${`MT-${i.key}`}, ${i.source}, ${cats[i.category].sub}, ${`指标样例 ${i.key}`}, ${area.id}, ${area.path}, ${unit.id}, ${unit.path},
        ${deadline?.toISOString() ?? null}, ${i.state}, ${i.reworkCount}, ${i.relapseCount}, ${created.toISOString()}, ${created.toISOString()},
        ${closedAt?.toISOString() ?? null}, ${dispatchedAt?.toISOString() ?? null})`);
    // the event log that leads there (the metrics read the issue's columns; the log is what they summarise)
    const ev: [string, string | null, string, Date][] = [['report', null, 'reported', created]];
    if (i.state !== 'rejected') ev.push(['accept', 'reported', 'accepted', created]);
    else ev.push(['reject', 'reported', 'rejected', created]);
    if (dispatchedAt || ['dispatched', 'returned'].includes(i.state)) ev.push(['dispatch', 'accepted', 'dispatched', dispatchedAt ?? created]);
    if (i.state === 'returned') ev.push(['return', 'dispatched', 'returned', dispatchedAt ?? created]);
    if (['rectifying', 'feedback', 'verified', 'closed'].includes(i.state)) ev.push(['sign', 'dispatched', 'rectifying', dispatchedAt ?? created]);
    for (let n = 0; n < i.reworkCount; n++) ev.push(['feedback', 'rectifying', 'feedback', dispatchedAt ?? created], ['verifyFail', 'feedback', 'rectifying', dispatchedAt ?? created]);
    if (['feedback', 'verified', 'closed'].includes(i.state)) ev.push(['feedback', 'rectifying', 'feedback', closedAt ?? created]);
    if (['verified', 'closed'].includes(i.state)) ev.push(['verifyPass', 'feedback', 'verified', closedAt ?? created]);
    if (i.state === 'closed') ev.push(['close', 'verified', 'closed', closedAt!]);
    for (const [action, from, to, at] of ev) {
      await t.deps.db.execute(sql`INSERT INTO issue_events (issue_id, action, from_state, to_state, at) VALUES (${id}, ${action}, ${from}, ${to}, ${at.toISOString()})`);
    }
    return id;
  }

  beforeAll(async () => {
    t = await startTestApp();
    [admin, qu, danwei, wangge] = await Promise.all(['admin', 'qu_admin', 'danwei', 'wangge'].map((u) => t.login(u)));
    for (const [k, name] of Object.entries({ ...UNIT_NAMES, ...AREA_NAMES, ...DISTRICT_NAMES })) units[k as keyof typeof units] = await unitByName(name);
    const categories = (await admin.get('/api/issue-categories')).json() as { id: string; name: string; parentId: string | null }[];
    const pick = (topName: string) => {
      const top = categories.find((c) => c.name === topName && c.parentId === null)!;
      return { sub: categories.find((c) => c.parentId === top.id)!.id, top: top.id, topName };
    };
    cats.c1 = pick('市容环境');
    cats.c2 = pick('公共设施');
    for (const i of FIXTURE) await insertFixture(i);
  });
  afterAll(() => t.close());

  const pickCounts = (m: Record<string, unknown>, keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, m[k]]));

  it('November total: the hand-counted numbers, in one aggregate', async () => {
    const r = await unitMetrics(t.deps.db, { ...period(NOV), now: NOW, groupBy: 'none', scope: { isAll: true } });
    expect(r.rows).toEqual([]);
    expect(withRates(r.total)).toEqual(EXPECTED.november.total);
  });

  it('October: a past period is judged at its end', async () => {
    const r = await unitMetrics(t.deps.db, { ...period(OCT), now: NOW, groupBy: 'none', scope: { isAll: true } });
    expect(withRates(r.total)).toMatchObject(EXPECTED.october.total);
  });

  it('by unit, source, category and district, each with the total in the same pass', async () => {
    const grouped = async (groupBy: 'unit' | 'source' | 'category' | 'district', keyOf: (key: string) => string) => {
      const r = await unitMetrics(t.deps.db, { ...period(NOV), now: NOW, groupBy, scope: { isAll: true } });
      expect(withRates(r.total)).toEqual(EXPECTED.november.total);
      return Object.fromEntries(r.rows.map((row) => [keyOf(row.key!), withRates(row.counts)]));
    };
    const unitKey = new Map(Object.keys(UNIT_NAMES).map((k) => [units[k as keyof typeof UNIT_NAMES].id, k]));
    expect(await grouped('unit', (k) => unitKey.get(k)!)).toMatchObject(EXPECTED.november.byUnit);
    expect(await grouped('source', (k) => k)).toMatchObject(EXPECTED.november.bySource);
    const catKey = new Map([
      [cats.c1.top, 'c1'],
      [cats.c2.top, 'c2'],
    ]);
    expect(await grouped('category', (k) => catKey.get(k)!)).toMatchObject(EXPECTED.november.byCategory);
    const districtKey = new Map([
      [units.d1.id, 'd1'],
      [units.d2.id, 'd2'],
    ]);
    // the district grouping resolves the area (a street) to its district
    expect(await grouped('district', (k) => districtKey.get(k)!)).toMatchObject(EXPECTED.november.byDistrict);
  });

  it('scopes: a district counts what lies in it or is dispatched under it; a unit its own issues', async () => {
    const wm = await unitMetrics(t.deps.db, { ...period(NOV), now: NOW, groupBy: 'none', scope: { isAll: false, rootPath: units.d1.path } });
    const d1Issues = FIXTURE.filter((i) => i.district === 'd1').map((i) => ({ ...i, deadline: back(i.deadline), closedAt: back(i.closedAt), dispatchedAt: back(i.dispatchedAt) }));
    expect(withRates(wm.total)).toEqual(computeMetrics(d1Issues, period(NOV), NOW));
    expect(wm.total.due).toBe(EXPECTED.november.byDistrict.d1.due);
    const cgj = await unitMetrics(t.deps.db, { ...period(NOV), now: NOW, groupBy: 'none', scope: { isAll: false, rootPath: units.u1.path } });
    expect(cgj.total).toMatchObject(EXPECTED.november.byUnit.u1);
  });

  it('the HTTP API: names, sorting, scope by role, validation in Chinese', async () => {
    const res = await admin.get(`/api/issue-metrics?from=${NOV.from}&to=${NOV.to}&groupBy=unit`);
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json() as MetricsReport;
    expect(report.scopeName).toBe('全市');
    // judged now (after the period): the pure functions with the same clock give the same numbers
    const p = period(NOV);
    const expected = computeGrouped(FIXTURE.map((i) => ({ ...i, deadline: back(i.deadline), closedAt: back(i.closedAt), dispatchedAt: back(i.dispatchedAt) })), (i) => UNIT_NAMES[i.unit], p, new Date());
    expect(Object.fromEntries(report.rows.map((r) => [r.name, pickCounts(r, ['due', 'closed', 'onTime', 'rework', 'overdueOpen', 'relapse', 'meanHours', 'p90Hours'])]))).toEqual(
      Object.fromEntries([...expected].map(([k, m]) => [k, pickCounts(m, ['due', 'closed', 'onTime', 'rework', 'overdueOpen', 'relapse', 'meanHours', 'p90Hours'])])),
    );
    expect(report.rows.map((r) => r.due)).toEqual([...report.rows.map((r) => r.due)].sort((a, b) => b - a));
    expect(report.total.overdueOpen).toBe(4); // D is overdue too once November is over

    const byDistrict = (await admin.get(`/api/issue-metrics?from=${NOV.from}&to=${NOV.to}&groupBy=district`)).json() as MetricsReport;
    expect(byDistrict.rows.map((r) => r.name).sort()).toEqual(['和谐区', '文明区']);
    const byCategory = (await admin.get(`/api/issue-metrics?from=${NOV.from}&to=${NOV.to}&groupBy=category`)).json() as MetricsReport;
    expect(byCategory.rows.map((r) => [r.name, r.due])).toEqual([
      ['市容环境', 5],
      ['公共设施', 3],
    ]);
    const bySource = (await admin.get(`/api/issue-metrics?from=${NOV.from}&to=${NOV.to}&groupBy=source`)).json() as MetricsReport;
    expect(Object.fromEntries(bySource.rows.map((r) => [r.name, r.due]))).toEqual({ 督查: 3, 网格巡查: 3, 市民随手拍: 2 });

    const forDistrict = (await qu.get(`/api/issue-metrics?from=${NOV.from}&to=${NOV.to}&groupBy=district`)).json() as MetricsReport;
    expect(forDistrict.scopeName).toBe('文明区');
    expect(forDistrict.rows.map((r) => r.name)).toEqual(['文明区']);
    const forUnit = (await danwei.get(`/api/issue-metrics?from=${NOV.from}&to=${NOV.to}&groupBy=unit`)).json() as MetricsReport;
    expect(forUnit.rows.map((r) => r.name)).toEqual(['市城市管理局']);
    expect(forUnit.total.due).toBe(3);
    expect((await wangge.get(`/api/issue-metrics?from=${NOV.from}&to=${NOV.to}`)).statusCode).toBe(403);

    const bad = await admin.get('/api/issue-metrics?from=2026-11-30&to=2026-11-01&groupBy=street');
    expect(bad.statusCode).toBe(400);
    const paths = bad.json().error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['querystring.groupBy']));
    const reversed = await admin.get('/api/issue-metrics?from=2026-11-30&to=2026-11-01');
    expect(reversed.json().error.details).toEqual([{ path: 'querystring.to', message: '结束日期不能早于开始日期' }]);
    expect((await admin.get('/api/issue-metrics?from=2026-02-30&to=2026-03-01')).json().error.details[0]).toEqual({ path: 'querystring.from', message: '开始日期不是有效日期' });
  });

  it('trend by month and by week: each bucket is the period’s own total', async () => {
    const res = await admin.get(`/api/issue-metrics/trend?from=${OCT.from}&to=${NOV.to}&by=month`);
    expect(res.statusCode, res.body).toBe(200);
    const trend = res.json() as MetricsTrend;
    const shifted: MetricIssue[] = FIXTURE.map((i) => ({ ...i, deadline: back(i.deadline), closedAt: back(i.closedAt), dispatchedAt: back(i.dispatchedAt) }));
    for (const pt of trend.points) {
      const m = computeMetrics(shifted, { from: new Date(pt.from), to: new Date(pt.to) }, new Date());
      expect(pickCounts(pt, ['due', 'closed', 'onTime', 'overdueOpen', 'meanHours'])).toEqual(pickCounts(m, ['due', 'closed', 'onTime', 'overdueOpen', 'meanHours']));
    }
    expect(trend.points.reduce((a, p) => a + p.due, 0)).toBeGreaterThanOrEqual(11);
    const weeks = (await admin.get(`/api/issue-metrics/trend?from=${NOV.from}&to=${NOV.to}&by=week`)).json() as MetricsTrend;
    expect(weeks.points.length).toBeGreaterThanOrEqual(5);
    for (const pt of weeks.points) {
      const m = computeMetrics(shifted, { from: new Date(pt.from), to: new Date(pt.to) }, new Date());
      expect(pt.due).toBe(m.due);
      expect(pt.closed).toBe(m.closed);
    }
  });

  it('exports any grouping to Excel, read back', async () => {
    const res = await admin.get(`/api/issue-metrics/export?from=${NOV.from}&to=${NOV.to}&groupBy=source`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(decodeURIComponent(String(res.headers['content-disposition']))).toContain(`问题整改统计_按问题来源_${NOV.from}_${NOV.to}.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('按问题来源')!;
    const values = (n: number) => (ws.getRow(n).values as unknown[]).slice(1);
    expect(values(1)).toEqual(['序号', '问题来源', '应结案数', '结案数', '结案率（%）', '按期结案数', '按期结案率（%）', '返工数', '返工率（%）', '超期未结数', '回潮数', '平均处置时长（小时）', '90%处置时长（小时）']);
    const rows = [2, 3, 4].map(values);
    expect(rows.map((r) => r[1]).sort()).toEqual(['市民随手拍', '督查', '网格巡查'].sort());
    const inspection = rows.find((r) => r[1] === '督查')!;
    // A M O: 3 due, 2 closed (66.7 %), 2 on time, no rework, M overdue, hours 72 and 48
    expect(inspection.slice(2)).toEqual([3, 2, 66.7, 2, 66.7, 0, 0, 1, 0, 60, 69.6]);
    const total = values(5);
    expect(total.slice(1, 4)).toEqual(['合计', 8, 4]);
    expect(wb.getWorksheet('口径说明')!.getRow(3).getCell(1).value).toBe('应结案数');
  });
});

describe('issue metrics over issues driven through the real flow', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('dispatched_at is kept by the database, 返工 counted, and the SQL equals the pure functions over every issue of the month', async () => {
    const [admin, danwei, ducha, wangge] = await Promise.all(['admin', 'danwei', 'ducha', 'wangge'].map((u) => t.login(u)));
    const cgj = (await admin.get(`/api/org/units?q=${encodeURIComponent('市城市管理局')}`)).json().items[0].id;
    const category = ((await admin.get('/api/issue-categories')).json() as { id: string; name: string }[]).find((c) => c.name === '暴露垃圾')!;
    const point = ((await wangge.get('/api/org/points?pageSize=200')).json().items as { id: string; gridId: string | null }[]).find((p) => p.gridId)!;
    let n = 0;
    const upload = async (c: Client) => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(await jpegWithExif({}, 320 + ++n * 8, 240))], { type: 'image/jpeg' }), 'p.jpg');
      const r = new Response(form);
      const out = await c.request('POST', '/api/files', Buffer.from(await r.arrayBuffer()), { 'content-type': r.headers.get('content-type')! });
      expect(out.statusCode, out.body).toBe(200);
      const body = out.json();
      return (Array.isArray(body) ? body[0] : (body.files?.[0] ?? body.items?.[0] ?? body)).id as string;
    };
    const act = async (c: Client, i: IssueDetail, action: IssueAction, body: Record<string, unknown> = {}) => {
      const res = await c.post(`/api/issues/${i.id}/actions/${action}`, { version: i.version, ...body });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as IssueDetail;
    };
    let i = (await wangge.post('/api/issues', { source: 'grid', categoryId: category.id, title: '流程指标样例', pointId: point.id })).json() as IssueDetail;
    i = await act(admin, i, 'accept');
    i = await act(admin, i, 'dispatch', { unitId: cgj });
    const dispatchedAt = rowsOf<{ dispatched_at: Date | string | null }>(await t.deps.db.execute(sql`SELECT dispatched_at FROM issues WHERE id = ${i.id}`))[0].dispatched_at;
    expect(dispatchedAt).not.toBeNull();
    i = await act(danwei, i, 'sign');
    i = await act(danwei, i, 'feedback', { photos: [await upload(danwei)] });
    i = await act(ducha, i, 'verifyFail', { note: '未清理干净' });
    i = await act(danwei, i, 'feedback', { photos: [await upload(danwei)] });
    i = await act(ducha, i, 'verifyPass');
    i = await act(admin, i, 'close');
    expect(i).toMatchObject({ state: 'closed', reworkCount: 1 });
    // signing and closing did not move the dispatch time
    const after = rowsOf<{ dispatched_at: Date | string }>(await t.deps.db.execute(sql`SELECT dispatched_at FROM issues WHERE id = ${i.id}`))[0].dispatched_at;
    expect(new Date(after).getTime()).toBe(new Date(dispatchedAt!).getTime());

    const today = chinaDate(new Date());
    const monthStart = `${today.slice(0, 8)}01`;
    const p = dayPeriod(monthStart, today);
    const now = new Date();
    const all = rowsOf<{ state: string; deadline: string | null; closed_at: string | null; dispatched_at: string | null; rework_count: number; relapse_count: number; responsible_unit_id: string | null }>(
      await t.deps.db.execute(sql`SELECT state, deadline, closed_at, dispatched_at, rework_count, relapse_count, responsible_unit_id FROM issues`),
    ).map((r) => ({
      state: r.state,
      deadline: r.deadline ? new Date(r.deadline) : null,
      closedAt: r.closed_at ? new Date(r.closed_at) : null,
      dispatchedAt: r.dispatched_at ? new Date(r.dispatched_at) : null,
      reworkCount: r.rework_count,
      relapseCount: r.relapse_count,
      unit: r.responsible_unit_id ?? '',
    }));
    const sqlResult = await unitMetrics(t.deps.db, { ...p, now, groupBy: 'unit', scope: { isAll: true } });
    const pure = computeGrouped(all, (x) => x.unit, p, now);
    expect(withRates(sqlResult.total)).toEqual(computeMetrics(all, p, now));
    expect(new Map(sqlResult.rows.map((r) => [r.key ?? '', withRates(r.counts)]))).toEqual(pure);
    const mine = sqlResult.rows.find((r) => r.key === cgj)!.counts;
    expect(mine.closed).toBeGreaterThanOrEqual(1);
    expect(mine.rework).toBeGreaterThanOrEqual(1);
  });
});
