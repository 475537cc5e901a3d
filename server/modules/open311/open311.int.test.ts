import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { XMLParser } from 'fast-xml-parser';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssueDetail } from '../../../contracts/issues.ts';
import type { Open311Request, Open311Service } from '../../../contracts/open311.ts';
import { type Client, type TestApp, startTestApp } from '../../test/harness.ts';
import { jpegWithExif, minimalPdf } from '../files/files.fixtures.ts';

/*
 * Every JSON answer is validated against the official GeoReport v2 JSON schemas (copied from
 * shared/reference/open311-georeport-v2 into ./reference; the POST and token answers against the
 * definitions of the published swagger.json), and every XML answer is parsed and compared with
 * the JSON one.
 */
const REF = path.join(path.dirname(fileURLToPath(import.meta.url)), 'reference');
const load = (f: string) => JSON.parse(readFileSync(path.join(REF, f), 'utf8'));

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addFormat('uid', true);
ajv.addSchema(load('request.json'), 'request.json');
ajv.addSchema(load('service.json'), 'service.json');
const swagger = load('swagger.json');
const schemas = {
  services: ajv.compile(load('services.json')),
  serviceDefinition: ajv.compile(load('service-definition.json')),
  requests: ajv.compile(load('requests.json')),
  created: ajv.compile({ type: 'array', minItems: 1, items: { ...swagger.definitions.RequestResponse, required: ['service_request_id', 'token'] } }),
  token: ajv.compile({ type: 'array', minItems: 1, items: { ...swagger.definitions.TokenResponse, required: ['service_request_id', 'token'] } }),
  errors: ajv.compile({
    type: 'array',
    minItems: 1,
    items: { type: 'object', required: ['code', 'description'], properties: { code: { type: 'integer' }, description: { type: 'string', minLength: 1 } }, additionalProperties: false },
  }),
};

const xml = new XMLParser({ parseTagValue: false, isArray: (name) => ['request', 'service', 'error', 'endpoint', 'format'].includes(name) });

function valid(v: ValidateFunction, body: unknown) {
  const ok = v(body);
  expect(v.errors ?? [], JSON.stringify(body).slice(0, 300)).toEqual([]);
  expect(ok).toBe(true);
}

/** The JSON answer, checked with its schema and the status. */
function json<T>(res: LightMyRequestResponse, v: ValidateFunction, status = 200): T {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const body = res.json();
  valid(v, body);
  return body as T;
}

/** The XML answer as plain objects with strings (empty elements → ''). */
function parsedXml(res: LightMyRequestResponse, status = 200): Record<string, unknown> {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^text\/xml/);
  expect(res.body.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
  return xml.parse(res.body);
}

/** A JSON record as its XML text: numbers and booleans as strings, null as ''. */
const asXmlText = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? '' : String(v)]));

describe('Open311 GeoReport v2', () => {
  let t: TestApp;
  let admin: Client;
  let danwei: Client;
  let ducha: Client;
  let apiKey: string;
  const inject = (method: 'GET' | 'POST', url: string, form?: Record<string, string | number>) =>
    t.app.inject({
      method,
      url,
      ...(form && { payload: new URLSearchParams(Object.entries(form).map(([k, v]) => [k, String(v)])).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
    });
  let point: { lng: number; lat: number };

  beforeAll(async () => {
    t = await startTestApp();
    [admin, danwei, ducha] = await Promise.all(['admin', 'danwei', 'ducha'].map((u) => t.login(u)));
    const points = (await admin.get('/api/org/points?pageSize=200')).json().items as { lng: number; lat: number; gridId: string | null }[];
    point = points.find((p) => p.gridId)!;
  });
  afterAll(() => t.close());

  it('keys: an admin creates one (shown once), lists and revokes; others may not', async () => {
    const res = await admin.post('/api/system/api-keys', { name: '12345 市民热线' });
    expect(res.statusCode, res.body).toBe(200);
    const created = res.json();
    expect(created.key).toMatch(/^cw311_[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({ name: '12345 市民热线', keyPrefix: created.key.slice(0, 12), revokedAt: null, reportCount: 0 });
    apiKey = created.key;
    const list = (await admin.get('/api/system/api-keys')).json();
    expect(list.find((k: { id: string }) => k.id === created.id)).toBeTruthy();
    expect(JSON.stringify(list)).not.toContain(apiKey);
    expect((await danwei.get('/api/system/api-keys')).statusCode).toBe(403);
    expect((await danwei.post('/api/system/api-keys', { name: 'x' })).statusCode).toBe(403);
    const empty = await admin.post('/api/system/api-keys', { name: ' ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.details[0]).toEqual({ path: 'body.name', message: '请填写名称' });
    const audit = (await admin.get(`/api/audit?entity=api_key&entityId=${created.id}`)).json();
    expect(audit.items[0]).toMatchObject({ action: 'create' });
    expect(JSON.stringify(audit.items)).not.toContain(apiKey.slice(12));
  });

  it('the OpenAPI document lists the public and Open311 routes', async () => {
    const res = await t.anonymous().get('/api/openapi.json');
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/public/reports', '/api/public/reports/{code}', '/open311/v2/{file}', '/open311/v2/requests/{file}', '/open311/v2/tokens/{file}', '/api/system/api-keys']));
  });

  it('discovery, in JSON and XML', async () => {
    const res = await inject('GET', '/open311/v2/discovery.json');
    expect(res.statusCode).toBe(200);
    const d = res.json();
    expect(d.endpoints[0]).toMatchObject({ specification: 'http://wiki.open311.org/GeoReport_v2', url: 'http://localhost:80/open311/v2', type: 'production', formats: ['application/json', 'text/xml'] });
    const x = parsedXml(await inject('GET', '/open311/v2/discovery.xml')).discovery as { endpoints: { endpoint: { url: string; formats: { format: string[] } }[] }; contact: string };
    expect(x.contact).toBe(d.contact);
    expect(x.endpoints.endpoint[0].url).toBe(d.endpoints[0].url);
    expect(x.endpoints.endpoint[0].formats.format).toEqual(d.endpoints[0].formats);
  });

  it('services are the second-level categories, grouped by the top level; definitions per code', async () => {
    const services = json<Open311Service[]>(await inject('GET', '/open311/v2/services.json'), schemas.services);
    const categories = (await admin.get('/api/issue-categories')).json() as { id: string; code: string; name: string; parentId: string | null }[];
    const leaves = categories.filter((c) => c.parentId);
    expect(services.map((s) => s.service_code).sort()).toEqual(leaves.map((c) => c.code).sort());
    const garbage = services.find((s) => s.service_name === '暴露垃圾')!;
    expect(garbage).toMatchObject({ group: '市容环境', metadata: false, type: 'realtime' });
    const x = parsedXml(await inject('GET', '/open311/v2/services.xml')).services as { service: Record<string, string>[] };
    expect(x.service.map((s) => asXmlText(s))).toEqual(services.map((s) => asXmlText(s)));

    const def = json<{ service_code: string; attributes: unknown[] }>(await inject('GET', `/open311/v2/services/${garbage.service_code}.json`), schemas.serviceDefinition);
    expect(def).toEqual({ service_code: garbage.service_code, attributes: [] });
    const defX = parsedXml(await inject('GET', `/open311/v2/services/${garbage.service_code}.xml`)).service_definition as Record<string, string>;
    expect(defX.service_code).toBe(garbage.service_code);
    const missing = json<{ code: number }[]>(await inject('GET', '/open311/v2/services/NOPE.json'), schemas.errors, 404);
    expect(missing[0]).toEqual({ code: 404, description: 'service_code「NOPE」不存在' });
    const missingX = parsedXml(await inject('GET', '/open311/v2/services/NOPE.xml'), 404).errors as { error: Record<string, string>[] };
    expect(missingX.error[0]).toEqual({ code: '404', description: 'service_code「NOPE」不存在' });
    const noFormat = json<{ code: number; description: string }[]>(await inject('GET', '/open311/v2/services.html'), schemas.errors, 400);
    expect(noFormat[0].description).toBe('请在路径末尾注明格式：.json 或 .xml');
    json(await inject('GET', '/open311/v2/nothing/here.json'), schemas.errors, 404);
  });

  it('POST requests: refuses without a valid key, service, place inside the city; errors as Open311 arrays', async () => {
    const code = (await inject('GET', '/open311/v2/services.json')).json()[0].service_code;
    const base = { service_code: code, lat: point.lat, long: point.lng, description: '路口井盖缺失' };
    const e = async (form: Record<string, string | number>, status: number, fmt = 'json') => {
      const res = await inject('POST', `/open311/v2/requests.${fmt}`, form);
      if (fmt === 'xml') return ((parsedXml(res, status).errors as { error: { description: string }[] }).error[0]).description;
      return json<{ code: number; description: string }[]>(res, schemas.errors, status)[0].description;
    };
    expect(await e(base, 401)).toBe('缺少 api_key：提交问题须使用市创文办发放的接口密钥');
    expect(await e({ ...base, api_key: 'cw311_wrong' }, 403)).toBe('api_key 无效或已停用');
    expect(await e({ ...base, api_key: apiKey, service_code: 'NOPE' }, 404)).toBe('service_code「NOPE」不存在');
    expect(await e({ ...base, api_key: apiKey, lat: 39.909, long: 116.397 }, 400)).toMatch(/^long：经度 116\.397 不在本市范围内/);
    expect(await e({ api_key: apiKey, service_code: code, address_string: '人民路 1 号' }, 400)).toBe('须提供问题位置 lat 与 long（WGS-84）；仅有 address_string 或 address_id 时无法受理');
    expect(await e({ ...base, api_key: apiKey, lat: 'abc' }, 400, 'xml')).toBe('lat：lat须为数字');
    expect(await e({ ...base, api_key: apiKey, phone: '123' }, 400)).toBe('phone：phone 须为中国大陆手机号');
  });

  it('files a request that flows through the same loop and shows closed at the end', async () => {
    const services = (await inject('GET', '/open311/v2/services.json')).json() as Open311Service[];
    const svc = services.find((s) => s.service_name === '暴露垃圾')!;
    const res = await inject('POST', '/open311/v2/requests.json', {
      api_key: apiKey,
      service_code: svc.service_code,
      lat: point.lat + 0.0003,
      long: point.lng + 0.0003,
      address_string: '朝阳路与人民路交叉口',
      description: '垃圾桶满溢，联系人手机 13712345678',
      phone: '+8613612345678',
      first_name: '张',
      email: 'a@example.com',
      media_url: 'https://example.com/p.jpg',
    });
    const [created] = json<{ service_request_id: string; token: string; service_notice: string }[]>(res, schemas.created);
    expect(created.service_request_id).toMatch(/^WT\d{8}-\d{6}$/);
    expect(created.token).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/);
    const number = created.service_request_id;

    // the token resolves; the tracking page knows it too
    const [tok] = json<{ service_request_id: string; token: string }[]>(await inject('GET', `/open311/v2/tokens/${created.token}.json`), schemas.token);
    expect(tok).toEqual({ service_request_id: number, token: created.token });
    const tokX = parsedXml(await inject('GET', `/open311/v2/tokens/${created.token}.xml`)).service_requests as { request: Record<string, string>[] };
    expect(tokX.request[0]).toEqual(tok);
    json(await inject('GET', '/open311/v2/tokens/ZZZZZZZZ.json'), schemas.errors, 404);
    expect((await t.anonymous().get(`/api/public/reports/${created.token}`)).json().number).toBe(number);

    const getOne = async () => {
      const [r] = json<Open311Request[]>(await inject('GET', `/open311/v2/requests/${number}.json`), schemas.requests);
      const x = parsedXml(await inject('GET', `/open311/v2/requests/${number}.xml`)).service_requests as { request: Record<string, string>[] };
      expect(x.request[0]).toEqual(asXmlText(r));
      return r;
    };
    let r = await getOne();
    expect(r).toMatchObject({ service_request_id: number, status: 'open', status_notes: '已收到，等待受理', service_code: svc.service_code, service_name: '暴露垃圾', address: '朝阳路与人民路交叉口', media_url: null });
    expect(r.description).toBe('垃圾桶满溢，联系人手机 137****5678');
    expect(JSON.stringify(r)).not.toContain('13612345678');
    expect(r.lat).toBeCloseTo(point.lat + 0.0003, 6);
    expect((await inject('GET', `/open311/v2/request/${number}.json`)).json()).toEqual([r]);
    json(await inject('GET', '/open311/v2/requests/WT19990101-000001.json'), schemas.errors, 404);

    // inside: an ordinary citizen issue, channel and key in the event note, phone masked for staff
    const id = (await admin.get('/api/issues?source=citizen&pageSize=50')).json().items.find((i: { number: string }) => i.number === number).id;
    let i = (await admin.get(`/api/issues/${id}`)).json() as IssueDetail;
    expect(i).toMatchObject({ source: 'citizen', reporterId: null, reporterPhoneMasked: '136****5678', state: 'reported' });
    expect(i.events[0].note).toBe('经 Open311 接口提交（客户端：12345 市民热线）；附带媒体链接 https://example.com/p.jpg');
    expect((await admin.get('/api/system/api-keys')).json().find((k: { name: string }) => k.name === '12345 市民热线')).toMatchObject({ reportCount: 1 });

    const act = async (c: Client, action: string, body: Record<string, unknown> = {}) => {
      const res = await c.post(`/api/issues/${i.id}/actions/${action}`, { version: i.version, ...body });
      expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
      i = res.json();
    };
    const cgj = (await admin.get(`/api/org/units?q=${encodeURIComponent('市城市管理局')}`)).json().items[0].id;
    await act(admin, 'accept');
    await act(admin, 'dispatch', { unitId: cgj });
    r = await getOne();
    expect(r).toMatchObject({ status: 'open', status_notes: '已交由责任单位处理', agency_responsible: '市城市管理局' });
    await act(danwei, 'sign');
    const f = new FormData();
    f.append('file', new Blob([new Uint8Array(await jpegWithExif({}, 320, 240))], { type: 'image/jpeg' }), '整改后.jpg');
    const body = new Response(f);
    const up = await danwei.request('POST', '/api/files', Buffer.from(await body.arrayBuffer()), { 'content-type': body.headers.get('content-type')! });
    await act(danwei, 'feedback', { note: '已清运', photos: [up.json().items[0].id] });
    await act(ducha, 'verifyFail', { note: '地面仍有污渍' });
    expect(i.reworkCount).toBe(1);
    await act(danwei, 'feedback', { note: '已冲洗', photos: [up.json().items[0].id] });
    await act(ducha, 'verifyPass');
    r = await getOne();
    expect(r).toMatchObject({ status: 'open', status_notes: '现场核查通过，即将办结' });
    await act(admin, 'close');
    r = await getOne();
    expect(r).toMatchObject({ status: 'closed', status_notes: '已办结', agency_responsible: '市城市管理局', expected_datetime: null, updated_datetime: i.closedAt });

    const closed = json<Open311Request[]>(await inject('GET', '/open311/v2/requests.json?status=closed'), schemas.requests);
    expect(closed.map((x) => x.service_request_id)).toContain(number);
    expect(closed.every((x) => x.status === 'closed')).toBe(true);
    const open = json<Open311Request[]>(await inject('GET', '/open311/v2/requests.json?status=open'), schemas.requests);
    expect(open.map((x) => x.service_request_id)).not.toContain(number);
    expect(open.every((x) => x.status === 'open')).toBe(true);
  });

  it('GET requests with every filter; the XML carries the same data', async () => {
    // two more requests, one of them with a photo through the 随手拍 page
    const services = (await inject('GET', '/open311/v2/services.json')).json() as Open311Service[];
    const other = services.find((s) => s.service_name !== '暴露垃圾')!;
    const [second] = (await inject('POST', '/open311/v2/requests.xml', { api_key: apiKey, service_code: other.service_code, lat: point.lat, long: point.lng }).then((res) => {
      const x = parsedXml(res).service_requests as { request: { service_request_id: string; token: string }[] };
      return x.request;
    }));
    expect(second.service_request_id).toMatch(/^WT/);
    const f = new FormData();
    for (const [k, v] of Object.entries({ categoryId: (await t.anonymous().get('/api/public/categories')).json()[0].children[0].id, description: '随手拍：广告牌破损', lng: point.lng, lat: point.lat })) f.append(k, String(v));
    f.append('photo', new Blob([new Uint8Array(await jpegWithExif({}, 320, 240))], { type: 'image/jpeg' }), 'a.jpg');
    const body = new Response(f);
    const pub = await t.app.inject({ method: 'POST', url: '/api/public/reports', payload: Buffer.from(await body.arrayBuffer()), headers: { 'content-type': body.headers.get('content-type')! }, remoteAddress: '203.0.113.9' });
    expect(pub.statusCode, pub.body).toBe(200);
    const withPhoto = pub.json().number as string;

    const all = json<Open311Request[]>(await inject('GET', '/open311/v2/requests.json'), schemas.requests);
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(all.length).toBeLessThanOrEqual(1000);
    const times = all.map((r) => r.requested_datetime);
    expect([...times].sort().reverse()).toEqual(times);
    const allX = parsedXml(await inject('GET', '/open311/v2/requests.xml')).service_requests as { request: Record<string, string>[] };
    expect(allX.request).toEqual(all.map(asXmlText));

    // media_url: absolute, public, the photo itself
    const photo = all.find((r) => r.service_request_id === withPhoto)!;
    expect(photo.media_url).toMatch(/^http:\/\/localhost:80\/api\/public\/photos\/[0-9a-f-]{36}$/);
    const img = await t.app.inject({ method: 'GET', url: new URL(photo.media_url!).pathname });
    expect(img.statusCode).toBe(200);
    expect(img.headers['content-type']).toBe('image/jpeg');

    // service_request_id list (other filters ignored)
    const ids = [withPhoto, second.service_request_id];
    const byIds = json<Open311Request[]>(await inject('GET', `/open311/v2/requests.json?service_request_id=${ids.join(',')}&status=closed`), schemas.requests);
    expect(byIds.map((r) => r.service_request_id).sort()).toEqual([...ids].sort());
    // service_code
    const byCode = json<Open311Request[]>(await inject('GET', `/open311/v2/requests.json?service_code=${other.service_code}`), schemas.requests);
    expect(byCode.length).toBeGreaterThan(0);
    expect(byCode.every((r) => r.service_code === other.service_code)).toBe(true);
    expect(byCode.map((r) => r.service_request_id)).toContain(second.service_request_id);
    // dates: a window around now holds the new ones, a window in the past none of them
    const now = Date.now();
    const win = json<Open311Request[]>(
      await inject('GET', `/open311/v2/requests.json?start_date=${new Date(now - 3_600_000).toISOString()}&end_date=${new Date(now + 60_000).toISOString()}`),
      schemas.requests,
    );
    expect(win.map((r) => r.service_request_id)).toEqual(expect.arrayContaining(ids));
    for (const r of win) expect(Date.parse(r.requested_datetime)).toBeGreaterThanOrEqual(now - 3_600_000);
    const past = json<Open311Request[]>(await inject('GET', '/open311/v2/requests.json?start_date=2020-01-01T00:00:00Z&end_date=2020-02-01T00:00:00Z'), schemas.requests);
    expect(past).toEqual([]);
    const pastX = parsedXml(await inject('GET', '/open311/v2/requests.xml?start_date=2020-01-01T00:00:00Z&end_date=2020-02-01T00:00:00Z'));
    expect(pastX.service_requests).toBe('');
    // bad filters
    const badDate = json<{ description: string }[]>(await inject('GET', '/open311/v2/requests.json?start_date=yesterday'), schemas.errors, 400);
    expect(badDate[0].description).toBe('start_date：start_date须为 ISO 8601 时间，如 2026-11-01T00:00:00+08:00');
    json(await inject('GET', '/open311/v2/requests.json?status=pending'), schemas.errors, 400);
    json(await inject('GET', '/open311/v2/requests.json?start_date=2026-02-01T00:00:00Z&end_date=2026-01-01T00:00:00Z'), schemas.errors, 400);
  });

  it('POST requests with a photo (multipart field media): media_url serves it; a non-image is refused', async () => {
    const code = (await inject('GET', '/open311/v2/services.json')).json()[0].service_code;
    const multipart = async (file: { name: string; data: Buffer; type: string }) => {
      const f = new FormData();
      for (const [k, v] of Object.entries({ api_key: apiKey, service_code: code, lat: point.lat, long: point.lng, description: '带照片的热线工单' })) f.append(k, String(v));
      f.append('media', new Blob([new Uint8Array(file.data)], { type: file.type }), file.name);
      const body = new Response(f);
      return t.app.inject({ method: 'POST', url: '/open311/v2/requests.json', payload: Buffer.from(await body.arrayBuffer()), headers: { 'content-type': body.headers.get('content-type')! } });
    };
    const [created] = json<{ service_request_id: string; token: string }[]>(await multipart({ name: 'p.jpg', data: await jpegWithExif({}, 320, 240), type: 'image/jpeg' }), schemas.created);
    const [r] = json<Open311Request[]>(await inject('GET', `/open311/v2/requests/${created.service_request_id}.json`), schemas.requests);
    expect(r.media_url).toMatch(/^http:\/\/localhost:80\/api\/public\/photos\//);
    const img = await t.app.inject({ method: 'GET', url: new URL(r.media_url!).pathname });
    expect(img.statusCode).toBe(200);
    expect(img.headers['content-type']).toBe('image/jpeg');
    const refused = json<{ code: number; description: string }[]>(await multipart({ name: 'x.pdf', data: minimalPdf(), type: 'application/pdf' }), schemas.errors, 415);
    expect(refused[0].description).toBe('“x.pdf”不是照片：只能上传 JPG、PNG、WebP、HEIC 格式的照片');
  });

  it('a revoked key can no longer file', async () => {
    const created = (await admin.post('/api/system/api-keys', { name: '临时测试' })).json();
    const revoked = await admin.post(`/api/system/api-keys/${created.id}/revoke`);
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json().revokedAt).toBeTruthy();
    expect((await admin.post(`/api/system/api-keys/${created.id}/revoke`)).statusCode).toBe(409);
    const code = (await inject('GET', '/open311/v2/services.json')).json()[0].service_code;
    const res = await inject('POST', '/open311/v2/requests.json', { api_key: created.key, service_code: code, lat: point.lat, long: point.lng });
    expect(json<{ code: number }[]>(res, schemas.errors, 403)[0].code).toBe(403);
  });
});
