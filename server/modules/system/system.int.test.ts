import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../../test/harness.ts';

const METRICS_TOKEN = 'test-metrics-token-0123456789';

describe('system endpoints and API conventions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ metrics: { public: false, token: METRICS_TOKEN } });
  });
  afterAll(() => t.close());

  it('answers health, readiness and Prometheus metrics', async () => {
    const anon = t.anonymous();
    expect((await anon.get('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await anon.get('/readyz')).json()).toMatchObject({ status: 'ready', storage: 'local' });
    await anon.get('/api/auth/me');
    // closed by default; this app is started with METRICS_TOKEN (below)
    expect((await anon.get('/metrics')).statusCode).toBe(401);
    expect((await anon.request('GET', '/metrics', undefined, { authorization: 'Bearer wrong-token-wrong-token' })).statusCode).toBe(401);
    const metrics = await anon.request('GET', '/metrics', undefined, { authorization: `Bearer ${METRICS_TOKEN}` });
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.body).toContain('chuangwen_http_request_duration_seconds_bucket');
    expect(metrics.body).toMatch(/route="\/api\/auth\/me",status="401"/);
  });

  it('publishes OpenAPI 3 with every API route and the session scheme', async () => {
    const doc = (await t.anonymous().get('/api/openapi.json')).json();
    expect(doc.openapi).toMatch(/^3\./);
    const routes = t.app.printRoutes({ commonPrefix: false });
    for (const path of ['/api/auth/login', '/api/org/units', '/api/org/points', '/api/users', '/api/files', '/api/audit']) {
      expect(routes).toContain(path.split('/').pop());
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(doc.components.securitySchemes.session).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'cw_sid' });
  });

  it('answers unknown routes and bad JSON with the one error shape in Chinese', async () => {
    const missing = await t.anonymous().get('/api/nope');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: { code: 'NOT_FOUND', message: '接口不存在：GET /api/nope' } });
    const bad = await t.anonymous().request('POST', '/api/auth/login', '{"username":', { 'content-type': 'application/json' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('BAD_REQUEST');
    expect(bad.json().error.message).toMatch(/请求格式不正确/);
  });

  it('pages lists with total, page and pageSize, and rejects a page size over 200', async () => {
    const admin = await t.login('admin');
    const page2 = (await admin.get('/api/org/points?page=2&pageSize=10')).json();
    expect(page2).toMatchObject({ page: 2, pageSize: 10, total: 86 });
    expect(page2.items).toHaveLength(10);
    const tooBig = await admin.get('/api/org/points?pageSize=500');
    expect(tooBig.statusCode).toBe(400);
    expect(tooBig.json().error.details[0].path).toBe('querystring.pageSize');
  });
});
