import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, unitByName } from '../test/factories.ts';
import { type Client, type TestApp, startTestApp } from '../test/harness.ts';

/**
 * City-wide settings go through one check, requireCityLevel (server/http/policy.ts): a district
 * office is refused even when its role holds the permission. `fullDistrict` holds every permission
 * (the city admin's role) but sits in 文明区; qu_admin is the demo district admin.
 */
const someId = '00000000-0000-4000-8000-000000000001';

type Case = { what: string; method: 'POST' | 'PATCH' | 'PUT' | 'DELETE'; url: string; body?: unknown };
const CASES: Case[] = [
  { what: '问题分类 新增', method: 'POST', url: '/api/issue-categories', body: { code: '0999', name: '区里加的分类', timeLimitDays: 3 } },
  { what: '问题分类 修改（时限、停用）', method: 'PATCH', url: '/api/issue-categories/:category', body: { version: 1, timeLimitDays: 30, isActive: false } },
  { what: '节假日 设置', method: 'POST', url: '/api/holidays', body: { date: '2026-12-24', kind: 'holiday', name: '区放假' } },
  { what: '节假日 删除', method: 'DELETE', url: `/api/holidays/${someId}` },
  { what: '点位类型 新增', method: 'POST', url: '/api/org/point-types', body: { code: 'PT98', name: '区里的类型' } },
  { what: '点位类型 修改', method: 'PATCH', url: `/api/org/point-types/${someId}`, body: { version: 1, name: '改名' } },
  { what: '测评体系 新建', method: 'POST', url: '/api/indicator-systems', body: { name: '区测评体系', kind: 'main', year: 2026 } },
  { what: '测评体系 修改', method: 'PATCH', url: `/api/indicator-systems/${someId}`, body: { version: 1, name: '改名' } },
  { what: '测评体系 复制', method: 'POST', url: `/api/indicator-systems/${someId}/copy`, body: { name: '复制', year: 2027 } },
  { what: '测评体系 新增节点', method: 'POST', url: `/api/indicator-systems/${someId}/nodes`, body: { parentId: null, code: 'Ⅸ', text: '区里加的项目' } },
  { what: '测评体系 修改节点', method: 'PATCH', url: `/api/indicator-nodes/${someId}`, body: { version: 1, text: '改' } },
  { what: '任务设置', method: 'PUT', url: '/api/indicator-settings', body: { stalledDays: 60 } },
  { what: '材料要求 新增', method: 'POST', url: '/api/evidence/requirements', body: { standardId: someId, recurrence: 'once', title: '区材料', startsOn: '2026-01-01', endsOn: '2026-02-01', generate: false } },
  { what: '材料要求 修改', method: 'PATCH', url: `/api/evidence/requirements/${someId}`, body: { version: 1, title: '改' } },
  { what: '材料要求 生成待报', method: 'POST', url: '/api/evidence/requirements/generate', body: { requirementId: someId } },
  { what: 'Open311 接口密钥 发放', method: 'POST', url: '/api/system/api-keys', body: { name: '区里的密钥' } },
  { what: 'Open311 接口密钥 停用', method: 'POST', url: `/api/system/api-keys/${someId}/revoke` },
  { what: '角色 新增', method: 'POST', url: '/api/roles', body: { code: 'qu_role', name: '区角色', permissions: ['org.read'] } },
  { what: '志愿服务 全市设置', method: 'PUT', url: '/api/volunteers/settings', body: { ratioTargetPermille: 130, starThresholds: [1, 2, 3, 4, 5], version: 0 } },
];

describe('city-wide settings: one city-level check', () => {
  let t: TestApp;
  let admin: Client;
  let fullDistrict: Client;
  let qu: Client;
  let categoryId: string;
  const url = (c: Case) => c.url.replace(':category', categoryId);

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login('admin');
    qu = await t.login('qu_admin');
    await addUser(t, 'wm_full', (await unitByName(t, '文明区')).id, ['city_admin']);
    fullDistrict = await t.login('wm_full');
    categoryId = (await admin.get('/api/issue-categories')).json()[0].id;
  });
  afterAll(() => t.close());

  it.each(CASES)('$what: a district office gets 403, even holding every permission', async (c) => {
    for (const [who, client] of [
      ['district with every permission', fullDistrict],
      ['district admin', qu],
    ] as const) {
      const res = await client.request(c.method, url(c), c.body);
      expect(res.statusCode, `${who}: ${res.body}`).toBe(403);
    }
  });

  it.each(CASES)('$what: the city office passes the check', async (c) => {
    const res = await admin.request(c.method, url(c), c.body);
    expect([401, 403], res.body).not.toContain(res.statusCode);
  });

  it('nothing the district tried was written', async () => {
    const { rows } = await t.deps.database.query<{ n: number }>(`SELECT count(*)::int n FROM audit_log a JOIN users u ON u.id = a.actor_id WHERE u.username IN ('wm_full', 'qu_admin') AND a.entity <> 'session'`);
    expect(rows[0].n).toBe(0);
  });
});
