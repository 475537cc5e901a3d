import { formatDateTime } from '../../../domain/cn-date.ts';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Issue, IssueDetail, IssueMarkers } from '../../../contracts/issues.ts';
import { ALL_PERMISSIONS } from '../../../contracts/permissions.ts';
import { rowsOf } from '../../db/client.ts';
import { readFirstSheet } from '../../lib/excel.ts';
import { exportIssues } from './issues.export.ts';
import { type Client, type TestApp, startTestApp } from '../../test/harness.ts';

type Category = { id: string; name: string; parentId: string | null };
type Point = { id: string; name: string; gridId: string | null; lng: number; lat: number };
type Page = { items: Issue[]; total: number };

/** The list filters the admin pages use (free text, day range, 延期待批, the unit's own) and the map of the same filter. */
describe('issues: list filters and the map', () => {
  let t: TestApp;
  let admin: Client;
  let qu: Client;
  let danwei: Client;
  let wangge: Client;
  let cgj: string;
  let a: IssueDetail;
  let b: IssueDetail;

  beforeAll(async () => {
    t = await startTestApp();
    [admin, qu, danwei, wangge] = await Promise.all(['admin', 'qu_admin', 'danwei', 'wangge'].map((u) => t.login(u)));
    cgj = (await admin.get(`/api/org/units?q=${encodeURIComponent('市城市管理局')}`)).json().items[0].id;
    const categories = (await admin.get('/api/issue-categories')).json() as Category[];
    const cat = categories.find((c) => c.name === '暴露垃圾')!;
    const point = ((await wangge.get('/api/org/points?pageSize=200')).json().items as Point[]).find((p) => p.gridId)!;
    const file = async (title: string, extra: Record<string, unknown> = {}) => {
      const res = await wangge.post('/api/issues', { source: 'grid', categoryId: cat.id, title, pointId: point.id, ...extra });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as IssueDetail;
    };
    a = await file('菜市场门口暴露垃圾筛选甲');
    b = await file('背街小巷乱堆放筛选乙', { address: '幸福路十八号筛选地址', reporterPhone: '13900000000' });
    const act = async (c: Client, i: IssueDetail, action: string, body: Record<string, unknown> = {}) => {
      const res = await c.post(`/api/issues/${i.id}/actions/${action}`, { version: i.version, ...body });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as IssueDetail;
    };
    // b: dispatched to 市城管局, signed, a 延期 requested
    b = await act(qu, b, 'accept');
    b = await act(qu, b, 'dispatch', { unitId: cgj });
    b = await act(danwei, b, 'sign');
    b = await act(danwei, b, 'requestExtension', { note: '需协调产权单位', deadline: new Date(Date.now() + 10 * 86_400_000).toISOString() });
  });
  afterAll(() => t.close());

  const ids = (p: Page) => p.items.map((i) => i.id);

  it('finds by number, title or address (free text), not by other words', async () => {
    expect(ids((await admin.get(`/api/issues?q=${encodeURIComponent('筛选甲')}`)).json())).toEqual([a.id]);
    expect(ids((await admin.get(`/api/issues?q=${encodeURIComponent('幸福路十八号筛选')}`)).json())).toEqual([b.id]);
    expect(ids((await admin.get(`/api/issues?q=${a.number}`)).json())).toEqual([a.id]);
    expect((await admin.get(`/api/issues?q=${encodeURIComponent('100%_不存在')}`)).json().total).toBe(0);
  });

  it('filters by the day of reporting in Asia/Shanghai, both ends inclusive', async () => {
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 32 * 3_600_000).toISOString().slice(0, 10);
    const q = encodeURIComponent('筛选');
    expect(ids((await admin.get(`/api/issues?q=${q}&createdFrom=${today}&createdTo=${today}`)).json()).sort()).toEqual([a.id, b.id].sort());
    expect((await admin.get(`/api/issues?q=${q}&createdFrom=${tomorrow}`)).json().total).toBe(0);
    const bad = await admin.get('/api/issues?createdFrom=2026-13-40');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toContain('createdFrom');
  });

  it('filters the 延期待批 queue and the unit’s own to-do', async () => {
    expect(ids((await qu.get('/api/issues?extensionPending=true')).json())).toContain(b.id);
    expect(ids((await qu.get('/api/issues?extensionPending=true')).json())).not.toContain(a.id);
    const mine = (await danwei.get('/api/issues?mine=true&pageSize=200')).json() as Page;
    expect(ids(mine)).toContain(b.id);
    expect(ids(mine)).not.toContain(a.id);
    expect(mine.items.every((i) => i.responsibleUnitId === cgj)).toBe(true);
    // the dispatcher's own unit has nothing dispatched to it
    expect(ids((await qu.get('/api/issues?mine=true&pageSize=200')).json())).not.toContain(b.id);
  });

  it('maps the filtered, located issues with their state', async () => {
    const m = (await admin.get(`/api/issues/markers?q=${encodeURIComponent('筛选')}`)).json() as IssueMarkers;
    expect(m.truncated).toBe(false);
    expect(m.items.map((i) => i.id).sort()).toEqual([a.id, b.id].sort());
    const mb = m.items.find((i) => i.id === b.id)!;
    expect(mb).toMatchObject({ state: 'rectifying', number: b.number, isOverdue: false, lng: b.lng, lat: b.lat });
    expect((await admin.get('/api/issues/markers?state=closed&q=' + encodeURIComponent('筛选'))).json().items).toEqual([]);
  });

  it('exports the filtered list as .xlsx: same rows, labels in Chinese, Shanghai times, no phone numbers', async () => {
    const res = await admin.get(`/api/issues/export?q=${encodeURIComponent('筛选')}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(decodeURIComponent(String(res.headers['content-disposition']))).toMatch(/问题列表_\d{8}\.xlsx/);
    const sheet = await readFirstSheet(res.rawPayload, { maxRows: 100 });
    const [head, ...rows] = sheet.rows;
    expect(sheet.sheetName).toBe('问题列表');
    expect(head.slice(0, 6)).toEqual(['编号', '标题', '分类', '来源', '紧急程度', '状态']);
    expect(rows.map((r) => r[0]).sort()).toEqual([a.number, b.number].sort());
    const rb = rows.find((r) => r[0] === b.number)!;
    const col = (name: string) => rb[head.indexOf(name)];
    expect([col('来源'), col('状态'), col('延期待批'), col('责任单位')]).toEqual(['网格巡查', '整改中', '是', '市城市管理局']);
    // no phone number leaves the system in the file, not even masked
    expect(head.some((h) => String(h).includes('电话'))).toBe(false);
    expect(sheet.rows.flat().some((c) => /139\D*0000/.test(String(c ?? '')))).toBe(false);
    const created = formatDateTime(b.createdAt);
    expect(col('上报时间')).toBe(created);
    // the unit's export holds only what the unit may see
    const mine = await readFirstSheet((await danwei.get('/api/issues/export?mine=true')).rawPayload, { maxRows: 1000 });
    expect(mine.rows.slice(1).map((r) => r[0])).toContain(b.number);
    expect(mine.rows.slice(1).map((r) => r[0])).not.toContain(a.number);
    expect((await admin.get('/api/issues/export?state=nonsense')).statusCode).toBe(400);
  });

  it('over the row cap the export holds the newest rows and its 说明 sheet says how many matched and to narrow the filter', async () => {
    const [root] = rowsOf<{ id: string; path: string }>(await t.deps.db.execute(sql`SELECT id, path FROM org_units WHERE parent_id IS NULL`));
    const [user] = rowsOf<{ id: string }>(await t.deps.db.execute(sql`SELECT id FROM users WHERE username = 'admin'`));
    const ctx = { ip: '127.0.0.1', actor: { userId: user.id, username: 'admin', name: '管理员', unitId: root.id, unitPath: root.path, roles: ['city_admin'], permissions: new Set<string>(ALL_PERMISSIONS), gridIds: new Set<string>() } };
    const file = await exportIssues(t.deps, ctx, { q: '筛选' }, 1);
    expect(file.total).toBe(2);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.buffer as unknown as ArrayBuffer);
    const list = wb.getWorksheet('问题列表')!;
    expect(list.rowCount).toBe(2); // the header and the newest issue
    expect(list.getRow(2).getCell(1).value).toBe(b.number);
    const notes = new Map<string, string>();
    wb.getWorksheet('说明')!.eachRow((r) => notes.set(String(r.getCell(1).value), String(r.getCell(2).value)));
    expect(notes.get('符合条件')).toBe('2 个问题');
    expect(notes.get('本表包含')).toBe('最新的 1 个（超过上限 1，请缩小筛选范围后分批导出）');
    expect(notes.get('搜索')).toBe('筛选');
  });

  it('names the units in the event log, also for a unit that may not read the dispatcher’s unit', async () => {
    const d = (await danwei.get(`/api/issues/${b.id}`)).json() as IssueDetail;
    const dispatch = d.events.find((e) => e.action === 'dispatch')!;
    expect(dispatch).toMatchObject({ unitName: '市城市管理局', actorUnitName: '文明区' });
    expect(d.events.find((e) => e.action === 'sign')).toMatchObject({ actorUnitName: '市城市管理局', unitName: null });
  });
});
