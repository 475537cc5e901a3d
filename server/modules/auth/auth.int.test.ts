import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../../test/harness.ts';

describe('auth', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('logs in by username, returns me and sets an httpOnly session cookie', async () => {
    const res = await t.anonymous().post('/api/auth/login', { username: 'admin', password: 'Demo-Pass-2026' });
    expect(res.statusCode).toBe(200);
    const sid = res.cookies.find((c) => c.name === 'cw_sid')!;
    expect(sid.httpOnly).toBe(true);
    expect(sid.sameSite).toBe('Lax');
    const me = res.json();
    expect(me.user.username).toBe('admin');
    expect(me.unit.name).toBe('示范市');
    expect(me.roles.map((r: { code: string }) => r.code)).toEqual(['city_admin']);
    expect(me.user.phoneMasked).toBe('138****0001');
  });

  it('logs in by phone number', async () => {
    const res = await t.anonymous().post('/api/auth/login', { username: '13800000005', password: 'Demo-Pass-2026' });
    expect(res.statusCode).toBe(200);
    expect(res.json().user.username).toBe('wangge');
  });

  it('GET /api/auth/me needs a session', async () => {
    const res = await t.anonymous().get('/api/auth/me');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
    const c = await t.login('qu_admin');
    const me = (await c.get('/api/auth/me')).json();
    expect(me.unit.path).toEqual(['示范市', '文明区']);
    expect(me.permissions).toContain('org.write');
  });

  it('validates the body with Chinese messages and field paths', async () => {
    const res = await t.anonymous().post('/api/auth/login', { username: '' });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['body.username', 'body.password']));
    expect(body.error.message).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('locks the account for 15 minutes after 5 failures', async () => {
    const anon = t.anonymous();
    for (let i = 1; i <= 4; i++) {
      const r = await anon.post('/api/auth/login', { username: 'jiandu', password: 'wrong-Password1' });
      expect(r.statusCode).toBe(401);
      expect(r.json().error.message).toContain(`再失败 ${5 - i} 次`);
    }
    const fifth = await anon.post('/api/auth/login', { username: 'jiandu', password: 'wrong-Password1' });
    expect(fifth.statusCode).toBe(423);
    const right = await anon.post('/api/auth/login', { username: 'jiandu', password: 'Demo-Pass-2026' });
    expect(right.statusCode).toBe(423);
    expect(right.json().error.message).toMatch(/1[45] 分钟/);
    const audit = await (await t.login('admin')).get('/api/audit?entity=session&pageSize=50');
    expect(audit.json().items.filter((e: { action: string }) => e.action === 'login_failed').length).toBeGreaterThanOrEqual(5);
  });

  it('rejects writes without the CSRF token', async () => {
    const c = await t.login('admin');
    const res = await c.request('POST', '/api/auth/logout', {}, { 'x-csrf-token': 'forged' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('CSRF_INVALID');
  });

  it('expires idle sessions after the configured minutes', async () => {
    const c = await t.login('ducha');
    await t.deps.database.query(`UPDATE sessions SET last_seen_at = now() - interval '31 minutes'`);
    const res = await c.get('/api/auth/me');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('SESSION_EXPIRED');
  });

  it('logs out', async () => {
    const c = await t.login('danwei');
    expect((await c.post('/api/auth/logout')).statusCode).toBe(200);
    expect((await c.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('changes the password with the rules enforced', async () => {
    const c = await t.login('wangge02');
    const weak = await c.post('/api/auth/password', { oldPassword: 'Demo-Pass-2026', newPassword: 'abc' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.details[0].path).toBe('body.newPassword');
    const ok = await c.post('/api/auth/password', { oldPassword: 'Demo-Pass-2026', newPassword: 'New-Pass-2027' });
    expect(ok.statusCode).toBe(200);
    await t.login('wangge02', 'New-Pass-2027');
  });
});
