import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SavedView } from '../../../contracts/saved-views.ts';
import { type Client, type TestApp, startTestApp } from '../../test/harness.ts';

describe('saved views: a user names the filters of a page, sees only their own', () => {
  let t: TestApp;
  let qu: Client;
  let danwei: Client;

  beforeAll(async () => {
    t = await startTestApp();
    [qu, danwei] = await Promise.all([t.login('qu_admin'), t.login('danwei')]);
  });
  afterAll(() => t.close());

  it('saves, replaces by name, lists by page, deletes own views only, audited', async () => {
    const overdue = await qu.post('/api/saved-views', { page: 'issues', name: '超期未结', query: { overdue: 'true', state: 'rectifying' } });
    expect(overdue.statusCode, overdue.body).toBe(200);
    const v = overdue.json() as SavedView;
    expect(v).toMatchObject({ page: 'issues', name: '超期未结', query: { overdue: 'true', state: 'rectifying' } });
    await qu.post('/api/saved-views', { page: 'issues', name: '本周上报', query: { createdFrom: '2026-11-16', source: ['grid', 'citizen'] } });
    await qu.post('/api/saved-views', { page: 'issues-map', name: '地图', query: { overdue: true } });
    // same name replaces the query, keeps the id
    const replaced = (await qu.post('/api/saved-views', { page: 'issues', name: '超期未结', query: { overdue: 'true' } })).json() as SavedView;
    expect(replaced.id).toBe(v.id);
    expect(replaced.query).toEqual({ overdue: 'true' });

    const list = (await qu.get('/api/saved-views?page=issues')).json() as SavedView[];
    expect(list.map((x) => x.name)).toEqual(['本周上报', '超期未结']);
    expect((await danwei.get('/api/saved-views?page=issues')).json()).toEqual([]);
    expect((await danwei.delete(`/api/saved-views/${v.id}`)).statusCode).toBe(404);
    expect((await qu.delete(`/api/saved-views/${v.id}`)).statusCode).toBe(200);
    expect(((await qu.get('/api/saved-views?page=issues')).json() as SavedView[]).map((x) => x.name)).toEqual(['本周上报']);

    const audit = await t.deps.database.query<{ action: string }>(`SELECT action FROM audit_log WHERE entity = 'saved_view' ORDER BY at`);
    expect(audit.rows.map((r) => r.action)).toEqual(['create', 'create', 'create', 'update', 'delete']);
  });

  it('validates the page key, the name and the query, in Chinese naming the field', async () => {
    const noPage = await qu.get('/api/saved-views');
    expect(noPage.statusCode).toBe(400);
    expect(noPage.json().error.details[0].path).toBe('querystring.page');
    const badPage = await qu.post('/api/saved-views', { page: 'Issues List', name: 'x', query: {} });
    expect(badPage.json().error.details[0]).toMatchObject({ path: 'body.page', message: '页面标识须为小写字母、数字或连字符，最多 40 个字符' });
    const noName = await qu.post('/api/saved-views', { page: 'issues', name: '  ', query: {} });
    expect(noName.json().error.details[0]).toMatchObject({ path: 'body.name', message: '请填写视图名称' });
    const badQuery = await qu.post('/api/saved-views', { page: 'issues', name: 'x', query: { a: { nested: 1 } } });
    expect(badQuery.statusCode).toBe(400);
    expect(badQuery.json().error.details[0].path).toMatch(/^body\.query/);
  });
});
