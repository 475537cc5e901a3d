import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, type TestApp, startTestApp } from '../../test/harness.ts';

type Point = {
  id: string;
  name: string;
  version: number;
  areaPathNames: string;
  areaUnitId: string;
  gridId: string | null;
  typeId: string;
  units: { id: string; name: string }[];
  isKey: boolean;
  isActive: boolean;
};
type Grid = { id: string; name: string; communityId: string; version: number; workers: { id: string; name: string; phoneMasked: string | null }[]; pointCount: number };
type Zone = { id: string; name: string; version: number; units: { id: string; name: string; isLead: boolean }[] };

describe('org places: point types, grids, zones, sponsorships, points', () => {
  let t: TestApp;
  let admin: Client;
  let unitId: (name: string) => Promise<string>;
  let allPoints: Point[];
  const pointNamed = (name: string) => allPoints.find((p) => p.name === name)!;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login('admin');
    unitId = async (name) => (await admin.get(`/api/org/units?q=${encodeURIComponent(name)}`)).json().items[0].id;
    allPoints = (await admin.get('/api/org/points?pageSize=200')).json().items;
  });
  afterAll(() => t.close());

  it('lists the 86 demo points with names, units and a total, ordered by name', async () => {
    const res = await admin.get('/api/org/points?pageSize=10&page=2');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total).toBe(86);
    expect(body.items).toHaveLength(10);
    expect(allPoints).toHaveLength(86);
    const names = allPoints.map((p) => p.name);
    expect(body.items.map((p: Point) => p.name)).toEqual(names.slice(10, 20));
    const toilet = pointNamed('建设路公厕');
    expect(toilet.units.map((u) => u.name)).toContain('市城市管理局');
    expect(toilet.areaPathNames).toMatch(/区 \/ .*街道 \/ .*社区$/);
    const beyond = (await admin.get('/api/org/points?page=50&pageSize=10')).json();
    expect(beyond).toMatchObject({ items: [], total: 86 });
  });

  it('filters points by type, area subtree, grid, unit, key and keyword', async () => {
    const types = (await admin.get('/api/org/point-types')).json();
    const toiletType = types.find((x: { name: string }) => x.name === '室外公共厕所');
    expect(toiletType.pointCount).toBe(4);
    const byType = (await admin.get(`/api/org/points?typeId=${toiletType.id}`)).json();
    expect(byType.total).toBe(4);
    const wm = await unitId('文明区');
    const inWm = (await admin.get(`/api/org/points?areaUnitId=${wm}&pageSize=200`)).json();
    expect(inWm.total).toBeGreaterThan(0);
    expect(inWm.items.every((p: Point) => p.areaPathNames.startsWith('文明区'))).toBe(true);
    const key = (await admin.get('/api/org/points?isKey=true&pageSize=200')).json();
    expect(key.items.every((p: Point) => p.isKey)).toBe(true);
    const q = (await admin.get(`/api/org/points?q=${encodeURIComponent('公厕')}`)).json();
    expect(q.total).toBe(4);
    const byCode = (await admin.get('/api/org/points?q=DW0001')).json();
    expect(byCode.total).toBe(1);
    const cgj = await unitId('市城市管理局');
    const byUnit = (await admin.get(`/api/org/points?unitId=${cgj}&pageSize=200`)).json();
    expect(byUnit.items.every((p: Point) => p.units.some((u) => u.id === cgj))).toBe(true);
    const gridId = allPoints[0].gridId!;
    const byGrid = (await admin.get(`/api/org/points?gridId=${gridId}&pageSize=200`)).json();
    expect(byGrid.total).toBeGreaterThan(0);
    expect(byGrid.items.every((p: Point) => p.gridId === gridId)).toBe(true);
    const markers = (await admin.get(`/api/org/points/markers?areaUnitId=${wm}`)).json();
    expect(markers.truncated).toBe(false);
    expect(markers.items).toHaveLength(inWm.total);
    expect((await admin.get('/api/org/points/markers')).json().items).toHaveLength(86);
  });

  it('scopes points: district admin, unit contact, grid worker, inspector', async () => {
    const qu = await t.login('qu_admin');
    const quList = (await qu.get('/api/org/points?pageSize=200')).json();
    expect(quList.total).toBeGreaterThan(0);
    expect(quList.total).toBeLessThan(86);
    expect(quList.items.every((p: Point) => p.areaPathNames.startsWith('文明区'))).toBe(true);
    const hexie = allPoints.find((p) => p.areaPathNames.startsWith('和谐区'))!;
    expect((await qu.get(`/api/org/points/${hexie.id}`)).statusCode).toBe(403);
    expect((await qu.patch(`/api/org/points/${hexie.id}`, { version: hexie.version, name: '越权修改' })).statusCode).toBe(403);
    expect((await qu.post(`/api/org/points/${hexie.id}/deactivate`, { version: hexie.version })).statusCode).toBe(403);
    expect((await qu.get('/api/org/points/markers')).json().items).toHaveLength(quList.total);

    const danwei = await t.login('danwei');
    const dwList = (await danwei.get('/api/org/points?pageSize=200')).json();
    const cgj = await unitId('市城市管理局');
    const expected = allPoints.filter((p) => p.units.some((u) => u.id === cgj)).map((p) => p.name);
    const seen = dwList.items.map((p: Point) => p.name);
    expect(seen).toEqual(expect.arrayContaining([...expected, '人民广场', '建设路公厕']));
    expect(seen).not.toContain('示范市人民医院');
    const square = pointNamed('人民广场');
    expect((await danwei.get(`/api/org/points/${square.id}`)).statusCode).toBe(200);
    expect((await danwei.patch(`/api/org/points/${square.id}`, { version: square.version, name: '改名' })).statusCode).toBe(403);

    const wangge = await t.login('wangge');
    const wgList = (await wangge.get('/api/org/points?pageSize=200')).json();
    expect(wgList.total).toBeGreaterThan(0);
    const myGrids = (await wangge.get('/api/org/grids')).json().items as Grid[];
    expect(myGrids.length).toBeGreaterThanOrEqual(1);
    expect(myGrids.every((g) => g.name.startsWith('朝阳社区'))).toBe(true);
    const gridPoints = allPoints.filter((p) => p.gridId && myGrids.some((g) => g.id === p.gridId)).map((p) => p.name);
    expect(wgList.items.map((p: Point) => p.name)).toEqual(expect.arrayContaining(gridPoints));
    expect(wgList.items.every((p: Point) => p.areaPathNames.endsWith('朝阳社区'))).toBe(true);

    const ducha = await t.login('ducha');
    expect((await ducha.get('/api/org/points')).json().total).toBe(86);
    expect((await ducha.get('/api/org/grids')).json().total).toBe(16);
    expect((await ducha.get('/api/org/zones')).json().total).toBe(4);
    expect((await ducha.patch(`/api/org/points/${square.id}`, { version: square.version, name: '改名' })).statusCode).toBe(403);
  });

  it('creates and updates a point with validation, audit and optimistic version', async () => {
    const community = await unitId('光明社区');
    const street = await unitId('新华街道');
    const district = await unitId('文明区');
    const type = (await admin.get('/api/org/point-types')).json()[0];
    const cgj = await unitId('市城市管理局');
    const grids = (await admin.get(`/api/org/grids?areaUnitId=${community}`)).json().items as Grid[];
    const otherGrid = (await admin.get(`/api/org/grids?areaUnitId=${await unitId('和平社区')}`)).json().items[0] as Grid;
    const base = { code: 'DW9001', name: '光明路口测试点', typeId: type.id, address: '示范市光明路 1 号', lng: 113.66, lat: 34.75, areaUnitId: community, unitIds: [cgj] };

    const outside = await admin.post('/api/org/points', { ...base, lng: 150 });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error.details[0]).toMatchObject({ path: 'body.lng', message: expect.stringContaining('中国范围') });
    const noUnits = await admin.post('/api/org/points', { ...base, unitIds: [] });
    expect(noUnits.json().error.details[0].message).toBe('至少指定一个责任单位');
    const badArea = await admin.post('/api/org/points', { ...base, areaUnitId: district });
    expect(badArea.statusCode).toBe(400);
    expect(badArea.json().error.details[0].path).toBe('body.areaUnitId');
    const badGrid = await admin.post('/api/org/points', { ...base, gridId: otherGrid.id });
    expect(badGrid.statusCode).toBe(400);
    expect(badGrid.json().error.details[0].path).toBe('body.gridId');

    const created = await admin.post('/api/org/points', { ...base, gridId: grids[0].id, isKey: true });
    expect(created.statusCode).toBe(200);
    const p = created.json() as Point;
    expect(p).toMatchObject({ name: '光明路口测试点', gridId: grids[0].id, isKey: true, units: [{ id: cgj, name: '市城市管理局' }] });
    const { rows } = await t.deps.database.query<{ area_path: string; path: string }>(
      `SELECT p.area_path, o.path FROM points p JOIN org_units o ON o.id = p.area_unit_id WHERE p.id = $1`,
      [p.id],
    );
    expect(rows[0].area_path).toBe(rows[0].path);
    expect((await admin.post('/api/org/points', base)).statusCode).toBe(409);

    // a street as area: the grid may be in any of its communities
    const moved = await admin.patch(`/api/org/points/${p.id}`, { version: p.version, areaUnitId: street, unitIds: [cgj, street] });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().units).toHaveLength(2);
    const stale = await admin.patch(`/api/org/points/${p.id}`, { version: p.version, name: '旧版本' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('STALE_VERSION');
    const off = await admin.post(`/api/org/points/${p.id}/deactivate`, { version: moved.json().version });
    expect(off.json().isActive).toBe(false);
    expect((await admin.get(`/api/org/points?q=DW9001`)).json().total).toBe(0);
    expect((await admin.get(`/api/org/points?q=DW9001&includeInactive=true`)).json().total).toBe(1);
    const audit = (await admin.get(`/api/audit?entity=point&entityId=${p.id}`)).json();
    const update = audit.items.find((a: { action: string }) => a.action === 'update');
    expect(update.before).toMatchObject({ areaUnitId: community, unitIds: [cgj] });
    expect(update.after).toMatchObject({ areaUnitId: street });

    // qu_admin may create in its district, not in 和谐区
    const qu = await t.login('qu_admin');
    const hp = await unitId('和平社区');
    expect((await qu.post('/api/org/points', { ...base, code: 'DW9002', areaUnitId: hp })).statusCode).toBe(403);
    expect((await qu.post('/api/org/points', { ...base, code: 'DW9003' })).statusCode).toBe(200);
  });

  it('manages point types at city level only', async () => {
    const qu = await t.login('qu_admin');
    expect((await qu.post('/api/org/point-types', { code: 'PT99', name: '测试类型' })).statusCode).toBe(403);
    const created = await admin.post('/api/org/point-types', { code: 'PT99', name: '测试类型', sort: 99 });
    expect(created.statusCode).toBe(200);
    const pt = created.json();
    const off = await admin.patch(`/api/org/point-types/${pt.id}`, { version: pt.version, isActive: false, name: '测试类型（停用）' });
    expect(off.json()).toMatchObject({ isActive: false, name: '测试类型（停用）' });
    expect((await admin.get('/api/org/point-types')).json().map((x: { id: string }) => x.id)).not.toContain(pt.id);
    const community = await unitId('光明社区');
    const cgj = await unitId('市城市管理局');
    const res = await admin.post('/api/org/points', {
      code: 'DW9101', name: '停用类型点', typeId: pt.id, address: '地址', lng: 113.6, lat: 34.7, areaUnitId: community, unitIds: [cgj],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('body.typeId');
  });

  it('manages grids: community kind, eligible workers, masked phones, scope', async () => {
    const cy = await unitId('朝阳社区');
    const street = await unitId('新华街道');
    const list = (await admin.get(`/api/org/grids?areaUnitId=${street}`)).json();
    expect(list.total).toBe(4);
    const g = list.items.find((x: Grid) => x.workers.some((w) => w.name === '刘网格')) as Grid;
    expect(g.workers[0].phoneMasked).toBe('138****0005');
    expect(g.pointCount).toBeGreaterThan(0);
    expect(JSON.stringify(list)).not.toContain('13800000005');

    const options = (await admin.get(`/api/org/grid-worker-options?communityId=${cy}`)).json();
    expect(options.map((o: { name: string }) => o.name)).toContain('刘网格');
    const wangge = options.find((o: { name: string }) => o.name === '刘网格');
    const other = (await admin.get(`/api/org/grid-worker-options?communityId=${await unitId('和平社区')}`)).json()[0];

    const badKind = await admin.post('/api/org/grids', { code: 'WG-T1', name: '测试网格', communityId: street });
    expect(badKind.statusCode).toBe(400);
    expect(badKind.json().error.details[0].path).toBe('body.communityId');
    const badWorker = await admin.post('/api/org/grids', { code: 'WG-T1', name: '测试网格', communityId: cy, workerIds: [other.id] });
    expect(badWorker.statusCode).toBe(400);
    expect(badWorker.json().error.message).toContain('网格员');
    const polygon = { type: 'Polygon', coordinates: [[[113.6, 34.7], [113.61, 34.7], [113.61, 34.71], [113.6, 34.7]]] };
    const open = await admin.post('/api/org/grids', { code: 'WG-T1', name: '测试网格', communityId: cy, polygon: { ...polygon, coordinates: [[[113.6, 34.7], [113.61, 34.7], [113.61, 34.71], [113.6, 34.71]]] } });
    expect(open.statusCode).toBe(400);
    const created = await admin.post('/api/org/grids', { code: 'WG-T1', name: '测试网格', communityId: cy, polygon, workerIds: [wangge.id], households: 100 });
    expect(created.statusCode).toBe(200);
    const grid = created.json() as Grid;
    expect(grid.workers.map((w) => w.name)).toEqual(['刘网格']);
    const updated = await admin.patch(`/api/org/grids/${grid.id}`, { version: grid.version, workerIds: [], name: '测试网格（改）' });
    expect(updated.json()).toMatchObject({ name: '测试网格（改）', workers: [] });
    expect((await admin.patch(`/api/org/grids/${grid.id}`, { version: grid.version, name: 'x' })).statusCode).toBe(409);
    const withPoints = list.items[0] as Grid;
    const gm = await unitId('光明社区');
    const moveBusy = await admin.patch(`/api/org/grids/${withPoints.id}`, { version: withPoints.version, communityId: gm, workerIds: [] });
    expect(moveBusy.statusCode).toBe(422);
    expect(moveBusy.json().error.message).toContain('仍有点位');
    const off = await admin.post(`/api/org/grids/${grid.id}/deactivate`, { version: updated.json().version });
    expect(off.json().isActive).toBe(false);

    const qu = await t.login('qu_admin');
    const hxGrid = (await admin.get(`/api/org/grids?areaUnitId=${await unitId('和谐区')}`)).json().items[0] as Grid;
    expect((await qu.get(`/api/org/grids/${hxGrid.id}`)).statusCode).toBe(403);
    expect((await qu.patch(`/api/org/grids/${hxGrid.id}`, { version: hxGrid.version, name: 'x' })).statusCode).toBe(403);
    expect((await qu.get('/api/org/grids')).json().total).toBe(8);
  });

  it('manages zones with one lead unit, and sponsorships with audit', async () => {
    const zones = (await admin.get('/api/org/zones')).json();
    expect(zones.total).toBe(4);
    const z1 = zones.items.find((z: Zone) => z.name.includes('人民路沿线')) as Zone;
    expect(z1.units[0]).toMatchObject({ name: '市城市管理局', isLead: true });
    expect(z1.units.filter((u) => u.isLead)).toHaveLength(1);

    const wm = await unitId('文明区');
    const [a, b] = [await unitId('市教育局'), await unitId('市民政局')];
    const twoLeads = await admin.post('/api/org/zones', { code: 'ZRQ-T', name: '测试责任区', ownerUnitId: wm, units: [{ id: a, isLead: true }, { id: b, isLead: true }] });
    expect(twoLeads.statusCode).toBe(400);
    expect(twoLeads.json().error.message).toBe('只能指定一个牵头单位');
    const created = await admin.post('/api/org/zones', { code: 'ZRQ-T', name: '测试责任区', ownerUnitId: wm, units: [{ id: a, isLead: true }, { id: b }] });
    expect(created.statusCode).toBe(200);
    const z = created.json() as Zone;
    expect(z.units).toEqual([{ id: a, name: '市教育局', isLead: true }, { id: b, name: '市民政局', isLead: false }]);
    const upd = await admin.patch(`/api/org/zones/${z.id}`, { version: z.version, units: [{ id: b, isLead: true }] });
    expect(upd.json().units).toEqual([{ id: b, name: '市民政局', isLead: true }]);

    // danwei (市城市管理局) sees the zones its unit sponsors, not the others
    const danwei = await t.login('danwei');
    const dz = (await danwei.get('/api/org/zones')).json();
    expect(dz.items.map((x: Zone) => x.name)).toEqual([z1.name]);
    const qu = await t.login('qu_admin');
    const hx = zones.items.find((x: Zone) => x.name.startsWith('和谐区')) as Zone;
    expect((await qu.get(`/api/org/zones/${hx.id}`)).statusCode).toBe(403);
    expect((await qu.post(`/api/org/zones/${hx.id}/deactivate`, { version: hx.version })).statusCode).toBe(403);

    const square = pointNamed('人民广场');
    const sp = (await admin.get(`/api/org/sponsorships?targetType=point&targetId=${square.id}`)).json();
    expect(sp.items).toEqual([expect.objectContaining({ unitName: '市城市管理局', targetName: '人民广场', isLead: true })]);
    const dupLead = await admin.post('/api/org/sponsorships', { unitId: a, targetType: 'point', targetId: square.id, isLead: true });
    expect(dupLead.statusCode).toBe(422);
    const added = await admin.post('/api/org/sponsorships', { unitId: a, targetType: 'point', targetId: square.id, note: '周末值守' });
    expect(added.statusCode).toBe(200);
    const del = await admin.delete(`/api/org/sponsorships/${added.json().id}`);
    expect(del.statusCode).toBe(200);
    const audit = (await admin.get(`/api/audit?entity=sponsorship&entityId=${added.json().id}`)).json();
    expect(audit.items.find((x: { action: string }) => x.action === 'delete').before).toMatchObject({ unitId: a, targetType: 'point', note: '周末值守' });
    expect((await danwei.delete(`/api/org/sponsorships/${sp.items[0].id}`)).statusCode).toBe(403);
  });
});
