import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, type TestApp, startTestApp } from '../../test/harness.ts';

type Unit = { id: string; name: string; version: number; parentId: string; pathIds: string[]; isActive: boolean };

describe('org units', () => {
  let t: TestApp;
  let admin: Client;
  let unitId: (name: string) => Promise<string>;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login('admin');
    unitId = async (name) => (await admin.get(`/api/org/units?q=${encodeURIComponent(name)}`)).json().items[0].id;
  });
  afterAll(() => t.close());

  it('creates a unit with audit, and validates kinds and codes', async () => {
    const street = await unitId('新华街道');
    const bad = await admin.post('/api/org/units', { parentId: street, name: '错误区', kind: 'district' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('body.kind');
    const badCode = await admin.post('/api/org/units', { parentId: street, name: '新社区', kind: 'community', divisionCode: '12' });
    expect(badCode.statusCode).toBe(400);
    expect(badCode.json().error.details[0]).toMatchObject({ path: 'body.divisionCode', message: expect.stringContaining('GB/T 2260') });
    const ok = await admin.post('/api/org/units', { parentId: street, name: '新建社区', kind: 'community', contactPhone: '13912345678' });
    expect(ok.statusCode).toBe(200);
    const u = ok.json();
    expect(u.contactPhoneMasked).toBe('139****5678');
    const audit = (await admin.get(`/api/audit?entity=org_unit&entityId=${u.id}`)).json();
    expect(audit.items[0]).toMatchObject({ action: 'create', after: { name: '新建社区', contactPhone: '***' } });
  });

  it('searches options by Chinese, pinyin and initials', async () => {
    for (const q of ['教育', 'jiaoyu', 'sjyj']) {
      const res = (await admin.get(`/api/org/units/options?q=${encodeURIComponent(q)}`)).json();
      expect(res.map((o: { name: string }) => o.name)).toContain('市教育局');
    }
  });

  it('offers city departments to a district admin only when asked for city scope', async () => {
    const qu = await t.login('qu_admin');
    const mine = (await qu.get(`/api/org/units/options?q=${encodeURIComponent('城市管理局')}`)).json();
    expect(mine.map((o: { name: string }) => o.name)).toEqual(['文明区城市管理局']);
    const city = (await qu.get(`/api/org/units/options?scope=city&q=${encodeURIComponent('城市管理局')}`)).json();
    expect(city.map((o: { name: string }) => o.name)).toEqual(expect.arrayContaining(['市城市管理局', '文明区城市管理局', '和谐区城市管理局']));
  });

  it('scopes a district admin to their subtree', async () => {
    const qu = await t.login('qu_admin');
    const list = (await qu.get('/api/org/units?pageSize=200')).json();
    const names = list.items.map((u: Unit) => u.name);
    expect(names).toContain('朝阳社区');
    expect(names).not.toContain('和平社区');
    expect(names).not.toContain('市教育局');
    const other = await unitId('和平社区');
    expect((await qu.get(`/api/org/units/${other}`)).statusCode).toBe(403);
    const hexie = await unitId('幸福街道');
    expect((await qu.post('/api/org/units', { parentId: hexie, name: '越权社区', kind: 'community' })).statusCode).toBe(403);
  });

  it('rejects a stale version with 409', async () => {
    const id = await unitId('光明社区');
    const u: Unit = (await admin.get(`/api/org/units/${id}`)).json();
    expect((await admin.patch(`/api/org/units/${id}`, { version: u.version, address: '光明路 1 号' })).statusCode).toBe(200);
    const stale = await admin.patch(`/api/org/units/${id}`, { version: u.version, address: '光明路 2 号' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('STALE_VERSION');
  });

  it('moves a subtree and keeps points in scope of the new parent', async () => {
    const id = await unitId('解放社区');
    const target = await unitId('新华街道');
    const u: Unit = (await admin.get(`/api/org/units/${id}`)).json();
    const cycle = await admin.post(`/api/org/units/${target}/move`, { version: 1, parentId: target });
    expect(cycle.statusCode).toBe(422);
    const moved = await admin.post(`/api/org/units/${id}/move`, { version: u.version, parentId: target });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().pathIds).toContain(target);
    const { rows } = await t.deps.database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM points p JOIN org_units o ON o.id = p.area_unit_id WHERE p.area_path <> o.path`,
    );
    expect(rows[0].n).toBe(0);
  });

  it('deactivates without deleting, and refuses while children are active', async () => {
    const street = await unitId('人民街道');
    const s: Unit = (await admin.get(`/api/org/units/${street}`)).json();
    expect((await admin.post(`/api/org/units/${street}/deactivate`, { version: s.version })).statusCode).toBe(422);
    const c = await unitId('建设社区');
    const cu: Unit = (await admin.get(`/api/org/units/${c}`)).json();
    const res = await admin.post(`/api/org/units/${c}/deactivate`, { version: cu.version });
    expect(res.statusCode).toBe(200);
    expect(res.json().isActive).toBe(false);
    expect((await admin.get(`/api/org/units/${c}`)).json().isActive).toBe(false);
    const list = (await admin.get('/api/org/units?q=jianshe')).json();
    expect(list.items.map((u: Unit) => u.name)).not.toContain('建设社区');
  });
});
