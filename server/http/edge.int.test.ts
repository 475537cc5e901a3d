import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { type TestApp, startTestApp } from '../test/harness.ts';

/** Routes anonymous callers may reach: citizen endpoints, login/logout, the client configuration, the API docs. */
const isPublicRoute = (url: string) => /^\/api\/(public\/|docs|openapi\.json$|auth\/(login|logout)$|config$)/.test(url) || !url.startsWith('/api/');

describe('the edge of the API: anonymous callers, proxies, the access log', () => {
  let t: TestApp;
  beforeAll(async () => {
    // 10.0.0.5 is the reverse proxy; the login limit is low so the test can reach it
    t = await startTestApp({ trustProxy: ['10.0.0.5'], loginRateLimitPerMinute: 3 });
  });
  afterAll(() => t.close());

  it('answers 401 to anonymous requests on every non-public route, before validating their input', async () => {
    const spec = t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const wrong: string[] = [];
    let checked = 0;
    for (const [p, ops] of Object.entries(spec.paths)) {
      if (isPublicRoute(p)) continue;
      for (const method of Object.keys(ops)) {
        // malformed everything: a non-uuid path parameter, a junk query, a body of the wrong shape
        const url = `${p.replace(/\{[^}]+\}/g, 'not-an-id')}?page=-1&pageSize=x`;
        const res = await t.app.inject({ method: method.toUpperCase() as 'POST', url, payload: method === 'get' || method === 'delete' ? undefined : { junk: 1 } });
        checked++;
        if (res.statusCode !== 401 || res.json().error.code !== 'UNAUTHENTICATED') wrong.push(`${res.statusCode} ${method.toUpperCase()} ${p}`);
      }
    }
    expect(checked).toBeGreaterThan(150);
    expect(wrong).toEqual([]);
    // an expired session is told so, also before validation
    const expired = await t.login('ducha');
    await t.deps.database.query(`UPDATE sessions SET last_seen_at = now() - interval '31 minutes'`);
    const res = await expired.post('/api/org/units', { junk: 1 });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('SESSION_EXPIRED');
    // public routes still validate
    expect((await t.anonymous().post('/api/auth/login', {})).statusCode).toBe(400);
    expect((await t.anonymous().get('/api/config')).statusCode).toBe(200);
  });

  it('keeps /metrics closed by default', async () => {
    const res = await t.anonymous().get('/metrics');
    expect(res.statusCode).toBe(401);
    expect(res.body).not.toContain('chuangwen_http_request_duration_seconds');
  });

  it('a forged X-Forwarded-For neither defeats the login rate limit nor reaches the audit log', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: '10.0.0.5',
        headers: { 'x-forwarded-for': `6.6.6.${i}, 203.0.113.9` },
        payload: { username: 'danwei', password: 'wrong-Password1' },
      });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    const direct = await t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '198.51.100.7', headers: { 'x-forwarded-for': '6.6.6.9' }, payload: { username: 'danwei', password: 'wrong-Password1' } });
    expect(direct.statusCode).toBe(401);
    const rows = await t.deps.database.query<{ ip: string }>(`SELECT DISTINCT ip FROM audit_log WHERE action = 'login_failed' ORDER BY ip`);
    expect(rows.rows.map((r) => r.ip)).toEqual(['198.51.100.7', '203.0.113.9']);
  });

  it('never writes an Open311 api_key from the URL into the access log', async () => {
    const lines: string[] = [];
    const stream = new Writable({ write: (chunk, _enc, done) => { lines.push(String(chunk)); done(); } });
    const app = await buildApp(t.deps, { logger: { level: 'info', stream } });
    await app.ready();
    await app.inject({ method: 'GET', url: '/open311/v2/requests.json?api_key=cw311_SECRET_KEY_VALUE&status=open' });
    await app.inject({ method: 'POST', url: '/open311/v2/requests.json?api_key=cw311_SECRET_KEY_VALUE', payload: 'service_code=x' , headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    await app.close();
    const log = lines.join('');
    expect(log).toContain('/open311/v2/requests.json');
    expect(log).not.toContain('SECRET_KEY_VALUE');
  });

  it('answers NUL bytes in any text with 400 naming the field, before the database sees them', async () => {
    const admin = await t.login('admin');
    const me = (await admin.get('/api/auth/me')).json();
    const body = await admin.post('/api/saved-views', { name: 'a\u0000b', page: 'issues', query: {} });
    expect(body.statusCode).toBe(400);
    expect(body.json().error.message).toMatch(/^body\.name：不能包含空字符/);
    const query = await admin.get('/api/org/units?q=%00x');
    expect(query.statusCode).toBe(400);
    expect(query.json().error.details[0].path).toBe('query.q');
    const param = await admin.get(`/api/org/units/${me.unit.id}%00`);
    expect(param.statusCode).toBe(400);
    // a multipart field (the anonymous 随手拍)
    const b = 'nulBoundary';
    const form = `--${b}\r\nContent-Disposition: form-data; name="description"\r\n\r\nbad\u0000text\r\n--${b}--\r\n`;
    const mp = await t.app.inject({ method: 'POST', url: '/api/public/reports', payload: form, headers: { 'content-type': `multipart/form-data; boundary=${b}` } });
    expect(mp.statusCode).toBe(400);
    expect(mp.json().error.message).toMatch(/^body\.description：不能包含空字符/);
    // a truncated multipart body
    const cut = await t.app.inject({ method: 'POST', url: '/api/public/reports', payload: `--${b}\r\nContent-Disposition: form-data; name="description"\r\n\r\nabc`, headers: { 'content-type': `multipart/form-data; boundary=${b}` } });
    expect(cut.statusCode).toBe(400);
  });
});
