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

  it('locks the account for 15 minutes after 5 failures, telling only someone who knows the password', async () => {
    const anon = t.anonymous();
    for (let i = 1; i <= 5; i++) {
      const r = await anon.post('/api/auth/login', { username: 'jiandu', password: 'wrong-Password1' });
      expect(r.statusCode).toBe(401);
      expect(r.json().error.message).not.toMatch(/再失败/);
    }
    // locked now: a wrong password still answers like an unknown account
    const wrong = await anon.post('/api/auth/login', { username: 'jiandu', password: 'wrong-Password1' });
    expect(wrong.statusCode).toBe(401);
    const right = await anon.post('/api/auth/login', { username: 'jiandu', password: 'Demo-Pass-2026' });
    expect(right.statusCode).toBe(423);
    expect(right.json().error.message).toMatch(/1[45] 分钟/);
    const audit = await (await t.login('admin')).get('/api/audit?entity=session&pageSize=50');
    expect(audit.json().items.filter((e: { action: string }) => e.action === 'login_failed').length).toBeGreaterThanOrEqual(5);
  });

  it('answers an unknown account and a wrong password alike: status, body, and about the same time', async () => {
    const anon = t.anonymous();
    const unknown = await anon.post('/api/auth/login', { username: 'no-such-user', password: 'wrong-Password1' });
    const wrong = await anon.post('/api/auth/login', { username: 'wangge', password: 'wrong-Password1' });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(unknown.statusCode);
    expect(wrong.json()).toEqual(unknown.json());
    const unknownPhone = await anon.post('/api/auth/login', { username: '13999999999', password: 'wrong-Password1' });
    expect(unknownPhone.json()).toEqual(unknown.json());
    // timing: both verify an argon2 hash (a dummy one for the unknown account); medians within 3×
    const time = async (username: string) => {
      const ms: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        await anon.post('/api/auth/login', { username, password: 'wrong-Password1' });
        ms.push(performance.now() - t0);
      }
      return ms.sort((a, b) => a - b)[1];
    };
    const [u, w] = [await time('no-such-user-2'), await time('wangge02')];
    expect(u).toBeGreaterThan(w / 3);
    expect(w).toBeGreaterThan(u / 3);
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

  it('activity in the first minute of a session extends it', async () => {
    const c = await t.login('wangge05');
    // the session was created 40 s ago and used now: it must count as used now, not 40 s ago
    await t.deps.database.query(`UPDATE sessions SET last_seen_at = now() - interval '40 seconds', created_at = now() - interval '40 seconds' WHERE token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')`, [c.cookie]);
    expect((await c.get('/api/auth/me')).statusCode).toBe(200);
    const res = await t.deps.database.query<{ idle: number }>(`SELECT extract(epoch FROM now() - last_seen_at)::float AS idle FROM sessions WHERE token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')`, [c.cookie]);
    expect(res.rows[0].idle).toBeLessThan(5);
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

  it('a password change ends every other session of the user, and keeps the current one', async () => {
    const current = await t.login('wangge03');
    const other1 = await t.login('wangge03');
    const other2 = await t.login('wangge03');
    const bystander = await t.login('wangge');
    expect((await other1.get('/api/auth/me')).statusCode).toBe(200);
    const ok = await current.post('/api/auth/password', { oldPassword: 'Demo-Pass-2026', newPassword: 'New-Pass-2028' });
    expect(ok.statusCode).toBe(200);
    expect((await current.get('/api/auth/me')).statusCode).toBe(200);
    expect((await other1.get('/api/auth/me')).statusCode).toBe(401);
    expect((await other2.get('/api/auth/me')).statusCode).toBe(401);
    expect((await bystander.get('/api/auth/me')).statusCode).toBe(200);
  });

  it("an admin's password reset ends all of that user's sessions", async () => {
    const victim = await t.login('wangge04');
    const victimId = (await victim.get('/api/auth/me')).json().user.id;
    const admin = await t.login('admin');
    const res = await admin.post(`/api/users/${victimId}/reset-password`);
    expect(res.statusCode).toBe(200);
    expect((await victim.get('/api/auth/me')).statusCode).toBe(401);
    expect((await admin.get('/api/auth/me')).statusCode).toBe(200);
  });
});
