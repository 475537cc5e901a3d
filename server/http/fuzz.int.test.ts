import fc from 'fast-check';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, type TestApp, startTestApp } from '../test/harness.ts';
import { sampleOfJsonSchema } from '../test/zod-sample.ts';

/**
 * OpenAPI-driven fuzz: for every operation of the spec (app.swagger()), malformed path parameters,
 * queries, JSON bodies and multipart bodies, as the city admin (with its CSRF token) and anonymously.
 * Any 5xx fails. Quick profile in `npm test`; the long one: `FUZZ_RUNS=200 npm run fuzz`
 * (FUZZ_SEED replays a run).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 3);
const SEED = Number(process.env.FUZZ_SEED ?? 20261203);

type Op = { method: string; path: string; query: string[]; body: Record<string, unknown> | null; valid: unknown };

const nasty = fc.oneof(
  fc.constantFrom('\u0000', 'a\u0000b', '%00', '%25', '%2525', '%', '%zz', '..%2f..%2fetc', '\uD800', '\uFFFF', '😀', '', ' ', '-1', '0', '1e309', 'NaN', 'null', 'true', '[]', '{}', "'; DROP TABLE users;--", '<script>', '00000000-0000-0000-0000-000000000000', '9'.repeat(40), 'x'.repeat(5000)),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
);
const value: fc.Arbitrary<unknown> = fc.oneof(
  nasty,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(nasty, { maxLength: 3 }),
  fc.dictionary(nasty, nasty, { maxKeys: 3 }),
);

function operations(app: FastifyInstance, uuid: string): Op[] {
  const spec = app.swagger() as { paths: Record<string, Record<string, { parameters?: { in: string; name: string }[]; requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> } }>> };
  const ops: Op[] = [];
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const query = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      const schema = op.requestBody?.content?.['application/json']?.schema;
      ops.push({ method: method.toUpperCase(), path, query, body: schema?.properties ?? null, valid: schema ? sampleOfJsonSchema(schema, uuid) : undefined });
    }
  }
  return ops;
}

/** encodeURIComponent, with lone surrogates (which it refuses) replaced */
const enc = (v: string) => encodeURIComponent(Array.from(v, (ch) => (ch.length === 1 && ch >= '\uD800' && ch <= '\uDFFF' ? '\uFFFD' : ch)).join(''));
const encodePathValue = (v: string, raw: boolean) => (raw ? v.replace(/[/?#\s]/g, '_') : enc(v));

function multipart(fields: [string, string][], file: { name: string; bytes: Uint8Array } | null, mode: 'ok' | 'truncated' | 'no-boundary' | 'wrong-boundary') {
  const b = 'fuzzBoundary7MA4YWxk';
  const parts: Buffer[] = [];
  for (const [k, v] of fields) parts.push(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="${file.name}"; filename="x.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`));
    parts.push(Buffer.from(file.bytes), Buffer.from('\r\n'));
  }
  if (mode !== 'truncated') parts.push(Buffer.from(`--${b}--\r\n`));
  const contentType = mode === 'no-boundary' ? 'multipart/form-data' : mode === 'wrong-boundary' ? 'multipart/form-data; boundary=other' : `multipart/form-data; boundary=${b}`;
  return { payload: Buffer.concat(parts), contentType };
}

/** A copy of `value` with its n-th leaf (mod the number of leaves) replaced by `bad`. */
function mutateOneLeaf(value: unknown, n: number, bad: unknown): unknown {
  const copy = structuredClone(value);
  const leaves: [Record<string, unknown>, string][] = [];
  const walk = (v: unknown) => {
    if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) (x && typeof x === 'object' ? walk(x) : leaves.push([v as Record<string, unknown>, k]));
  };
  walk(copy);
  if (leaves.length === 0) return copy;
  const [obj, key] = leaves[n % leaves.length];
  obj[key] = typeof obj[key] === 'string' ? `${obj[key]}${bad}` : bad;
  return copy;
}

function requestArb(op: Op): fc.Arbitrary<InjectOptions> {
  const params = (op.path.match(/\{[^}]+\}/g) ?? []).length;
  const bodyKeys = op.body ? Object.keys(op.body) : [];
  const jsonBody = fc.oneof(
    // a valid body with one text or number replaced by a nasty value (NUL, huge, …): gets past validation to the database
    ...(op.valid !== undefined ? [fc.tuple(fc.nat(), nasty).map(([n, bad]) => mutateOneLeaf(op.valid, n, bad))] : []),
    // the declared fields with wrong values, and a stray one
    fc.record(Object.fromEntries([...bodyKeys, 'zz'].map((k) => [k, value])), { requiredKeys: [] }),
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom('{"a":', '[', 'null', '"\\u0000"', '{"__proto__":{"x":1}}'),
  );
  const mp = fc.record({
    fields: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...[...bodyKeys, 'description', 'lat', 'lng', 'long', 'service_code', 'api_key', 'categoryId', 'ownerType', 'ownerId', 'kind', 'contact', 'phone']), nasty), nasty), { maxLength: 6 }),
    file: fc.option(fc.record({ name: fc.constantFrom('file', 'photo', 'media', 'photos'), bytes: fc.uint8Array({ maxLength: 64 }) })),
    mode: fc.constantFrom('ok', 'truncated', 'no-boundary', 'wrong-boundary'),
  });
  return fc
    .record({
      params: fc.array(nasty, { minLength: params, maxLength: params }),
      raw: fc.boolean(),
      query: fc.dictionary(fc.oneof(fc.constantFrom(...op.query, 'page', 'pageSize'), nasty), nasty, { maxKeys: 4 }),
      kind: fc.constantFrom('json', 'json', 'multipart', 'text'),
      json: jsonBody,
      mp,
    })
    .map(({ params: ps, raw, query, kind, json, mp: m }) => {
      let i = 0;
      const path = op.path.replace(/\{[^}]+\}/g, () => encodePathValue(ps[i++] ?? '', raw) || 'x');
      const qs = Object.entries(query)
        .map(([k, v]) => (raw ? `${k.replace(/[&=#\s]/g, '_')}=${v.replace(/[&#\s]/g, '_')}` : `${enc(k)}=${enc(v)}`))
        .join('&');
      const url = qs ? `${path}?${qs}` : path;
      const req: InjectOptions = { method: op.method as 'GET', url };
      if (op.method === 'GET' || op.method === 'DELETE') return req;
      if (kind === 'json') return { ...req, payload: typeof json === 'string' ? json : JSON.stringify(json), headers: { 'content-type': 'application/json' } };
      if (kind === 'text') return { ...req, payload: 'a=%00&b=%25', headers: { 'content-type': 'application/x-www-form-urlencoded' } };
      const body = multipart(m.fields, m.file, m.mode as 'ok');
      return { ...req, payload: body.payload, headers: { 'content-type': body.contentType } };
    });
}

describe('fuzz: no 5xx from any operation', () => {
  let t: TestApp;
  let admin: Client;
  let rootUnitId: string;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login('admin');
    rootUnitId = (await admin.get('/api/auth/me')).json().unit.id;
  });
  afterAll(() => t.close());

  it(`every operation, malformed input, admin and anonymous (${RUNS} runs each, seed ${SEED})`, async () => {
    const ops = operations(t.app, rootUnitId).filter((op) => !/^\/api\/auth\/(logout|password)$/.test(op.path));
    expect(ops.length).toBeGreaterThan(150);
    const failures: string[] = [];
    let sent = 0;
    for (const [n, op] of ops.entries()) {
      const samples = fc.sample(requestArb(op), { numRuns: RUNS, seed: SEED + n });
      for (const req of samples) {
        for (const who of ['admin', 'anonymous'] as const) {
          const headers: Record<string, string> = { ...(req.headers as Record<string, string>), ...(who === 'admin' ? { cookie: `cw_sid=${admin.cookie}`, 'x-csrf-token': admin.csrfToken as string } : {}) };
          const res = await t.app.inject({ ...req, headers });
          sent++;
          if (res.statusCode >= 500) {
            failures.push(`${res.statusCode} ${who} ${req.method} ${String(req.url).slice(0, 200)} ${String(headers['content-type'] ?? '')} ${JSON.stringify(String(req.payload ?? '').slice(0, 200))} → ${res.body.slice(0, 200)}`);
          }
        }
      }
    }
    console.log(`fuzz: ${ops.length} operations, ${sent} requests, ${failures.length} 5xx`);
    expect(failures).toEqual([]);
  }, 60_000 + RUNS * 12_000);
});
