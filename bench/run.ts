/**
 * The benchmarks (ENGINEERING.md §6): each runs beside its baseline in the same process, one line each:
 *   name  value unit  baseline value  ratio  target  PASS|FAIL
 * and bench/results/latest.json. Seed first: npm run bench:seed -- --scale city.
 *   npm run bench [-- --database-url postgres://…] [--pglite DIR] [--seconds 12] [--rounds 3] [--warmup 3] [--connections 10] [--only auth.me]
 * Loopback only; the exit code is 0 even when a target fails: this is a report.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { verify } from '@node-rs/argon2';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../server/app.ts';
import { type Database, openDatabase } from '../server/db/client.ts';
import type { Deps } from '../server/deps.ts';
import { Crypto } from '../server/lib/crypto.ts';
import { sha256 } from '../server/lib/crypto.ts';
import { createStorage } from '../server/lib/storage.ts';
import { SESSION_PROFILE_SQL, SESSION_SQL } from '../server/modules/auth/auth.repo.ts';
import { alternate, alternateArms, httpLoad, type HttpRequest, type LoadOptions, loopLoad, type Measurement } from './lib/load.ts';
import { BARE_FILE_SQL, DISPATCHER_LIST_SQL, ISSUE_PAGE_SQL, UNIT_LIST_SQL } from './lib/issues-sql.ts';
import { removeBenchFilings, syncDayCounters } from './lib/issues-seed.ts';
import { newId } from '../server/lib/ids.ts';
import { captureStatements, capturingDb, replay, type Statement } from './lib/capture.ts';
import { POINTS_LIST_SQL, pointsListParams, UNIT_BY_ID_SQL } from './lib/points-sql.ts';
import { formatRow, type Row, type Target, verdict } from './lib/stats.ts';
import ExcelJS from 'exceljs';
import { seedBase, seedDemo } from '../server/seed/demo.ts';
import { layoutLarge } from '../server/test/task-table-fixtures.ts';
import { BENCH_PASSWORD, benchConfig, maintenanceUrl, resolveTarget, safeUrl, stringArg, type Target as DbTarget } from './lib/target.ts';

/** The one table of targets. Ratios are ours ÷ baseline. */
const TARGETS: Record<string, { unit: string; target: Target; what: string }> = {
  'points.list': {
    unit: 'req/s',
    target: { kind: 'ratio-min', limit: 0.5 },
    what: 'GET /api/org/points (district admin, typeId + areaUnitId = the district, 20 a page, pages 1–5) vs its SQL (session, area unit, page + window count) through bare pg, same concurrency',
  },
  'points.list.p95': {
    unit: 'ms',
    target: { kind: 'abs-max', limit: 50 },
    what: 'p95 latency of the same run; PRODUCT.md §5 asks for list queries in tens of milliseconds; baseline = p95 of the bare-pg run',
  },
  'auth.me': {
    unit: 'req/s',
    target: { kind: 'ratio-min', limit: 0.5 },
    what: 'GET /api/auth/me (whole pipeline) vs a bare Fastify route running SESSION_SQL through pg; throughput ratio ≥ 0.5 (i.e. at most 2× the cost)',
  },
  'auth.login': {
    unit: 'req/s',
    target: { kind: 'ratio-min', limit: 0.5 },
    what: 'POST /api/auth/login (argon2id verify + session + audit + me) vs bare argon2 verify at the same concurrency',
  },
  'issues.dispatcher.p95': {
    unit: 'ms',
    target: { kind: 'ratio-max', limit: 2 },
    what: "GET /api/issues?state=reported|accepted|returned|feedback&page=1..3 as the district admin (the dispatcher's queue) vs SESSION_SQL + the same page SQL through bare pg; p95 at most 2×",
  },
  'issues.unit.p95': {
    unit: 'ms',
    target: { kind: 'ratio-max', limit: 2 },
    what: "GET /api/issues?mine=true[&state=dispatched|rectifying]&page=1..3 as the 联络员 of the unit with the most issues (the unit's to-do) vs SESSION_SQL + the same SQL through bare pg; p95 at most 2×",
  },
  'issues.page.p95': {
    unit: 'ms',
    target: { kind: 'ratio-max', limit: 2 },
    what: 'GET /api/issues/:id (closed issues of the district, 7–9 events) as the district admin vs SESSION_SQL + view, events, files through bare pg behind a bare Fastify route, same load generator; p95 at most 2× (the same SQL in a loop without HTTP is reported too)',
  },
  'issues.metrics.month': {
    unit: 'ms',
    target: { kind: 'abs-max', limit: 500 },
    what: 'GET /api/issue-metrics?groupBy=unit for last month, city-wide (city admin), one request at a time: p95; baseline = a bare count by unit of the same month (information)',
  },
  'tasks.unit.p95': {
    unit: 'ms',
    target: { kind: 'ratio-max', limit: 2 },
    what: "GET /api/tasks?systemId&mine=true[&status|overdue]&page=1..3 as the 联络员 of the unit named in the most tasks vs SESSION_SQL + the statements the request ran, replayed through bare pg; p95 at most 2×",
  },
  'evidence.matrix.city.p95': {
    unit: 'ms',
    target: { kind: 'ratio-max', limit: 2 },
    what: 'GET /api/evidence/matrix?systemId (city admin, whole city, standards × units) vs SESSION_SQL + the statements the request ran, replayed through bare pg; p95 at most 2×',
  },
  'evidence.matrix.district.p95': {
    unit: 'ms',
    target: { kind: 'ratio-max', limit: 2 },
    what: 'GET /api/evidence/matrix?systemId (district admin, the district) vs the statements replayed through bare pg; p95 at most 2×',
  },
  'tasks.import': {
    unit: 's',
    target: { kind: 'abs-max', limit: 10 },
    what: 'a 5,000-row 任务分解表 (merged 测评项目 cells, units by name; server/test/task-table-fixtures.ts layoutLarge) through the import wizard over HTTP into an empty system of a fresh demo-city database: preview + commit, the slowest of three; baseline = reading the workbook with ExcelJS (information)',
  },
  'issues.file': {
    unit: 'req/s',
    target: { kind: 'abs-min', limit: 500 },
    what: "POST /api/issues by 网格员 (validation, place, category, deadline rule, number, issue, event, audit, detail) — at least 500/s; baseline = the day's number + issue row + event row in one transaction through bare pg (its ratio is printed)",
  },
};

type Context = {
  dbTarget: DbTarget;
  deps: Deps;
  app: FastifyInstance;
  baseUrl: string;
  /** runs SQL for the baselines: a separate pg pool of the app's size on PostgreSQL, the same PGlite otherwise */
  query: Database['query'];
  load: LoadOptions;
  rounds: number;
  sessionCookie: string;
  details: Record<string, unknown>;
};

function row(name: string, value: number, baseline: number, note?: string): Row {
  const t = TARGETS[name];
  return { name, value, unit: t.unit, baseline, target: t.target, verdict: verdict(value, baseline, t.target), note };
}
const skip = (name: string, note: string): Row => ({ ...TARGETS[name], name, value: Number.NaN, baseline: Number.NaN, verdict: 'SKIP', note });

function checkHealthy(name: string, m: Measurement) {
  if (m.ok === 0) throw new Error(`${name}: no successful request (statuses ${JSON.stringify(m.statuses ?? {})}, failed ${m.failed})`);
  if (m.failed > 0) console.warn(`  ! ${name}: ${m.failed} failed requests (statuses ${JSON.stringify(m.statuses ?? {})})`);
}

async function login(baseUrl: string, username: string): Promise<string> {
  return (await loginWithCsrf(baseUrl, username)).cookie;
}

async function loginWithCsrf(baseUrl: string, username: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: BENCH_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${await res.text()}`);
  const sid = res.headers.getSetCookie().find((c) => c.startsWith('cw_sid='));
  if (!sid) throw new Error('login returned no session cookie');
  const body = (await res.json()) as { csrfToken: string };
  return { cookie: sid.split(';')[0], csrf: body.csrfToken };
}

// ---- a. points.list ---------------------------------------------------------------------------
async function benchPointsList(ctx: Context): Promise<Row[]> {
  if (!ctx.app.hasRoute({ method: 'GET', url: '/api/org/points' })) {
    return [skip('points.list', 'endpoint not present'), skip('points.list.p95', 'endpoint not present')];
  }
  const { rows: me } = await ctx.query<{ user_id: string; unit_id: string; path: string }>(
    `SELECT u.id AS user_id, u.unit_id, o.path FROM users u JOIN org_units o ON o.id = u.unit_id WHERE u.username = 'bench_qu01'`,
  );
  const district = me[0];
  const { rows: types } = await ctx.query<{ type_id: string; n: number }>(
    `SELECT type_id, count(*)::int AS n FROM points WHERE area_path LIKE $1 AND is_active GROUP BY type_id ORDER BY type_id`,
    [`${district.path}%`],
  );
  // 64 requests cycling over the types and the first pages of each (most reads are of early pages)
  const cases = Array.from({ length: 64 }, (_, k) => {
    const t = types[k % types.length];
    const pages = Math.max(1, Math.min(5, Math.ceil(t.n / 20)));
    return { typeId: t.type_id, page: 1 + (k % pages) };
  });
  const tokenHash = sha256(decodeURIComponent(ctx.sessionCookie.slice('cw_sid='.length)));
  const requests: HttpRequest[] = cases.map((c) => ({
    method: 'GET',
    path: `/api/org/points?typeId=${c.typeId}&areaUnitId=${district.unit_id}&page=${c.page}&pageSize=20`,
    headers: { cookie: ctx.sessionCookie },
  }));
  /** What the endpoint asks the database, through bare pg. */
  const baselineOnce = async (i: number) => {
    const c = cases[i % cases.length];
    await ctx.query(SESSION_SQL, [tokenHash], 'auth.session');
    const { rows: unit } = await ctx.query<{ path: string }>(UNIT_BY_ID_SQL, [district.unit_id]);
    const params = pointsListParams({ scopePath: district.path, userId: district.user_id, areaPath: unit[0].path, typeId: c.typeId, page: c.page, pageSize: 20 });
    return (await ctx.query<{ id: string; total: number }>(POINTS_LIST_SQL, params)).rows;
  };
  // parity: the API and the baseline return the same page and total
  const first = await fetch(ctx.baseUrl + requests[0].path, { headers: { cookie: ctx.sessionCookie } });
  const body = (await first.json()) as { total?: number; items?: { id: string }[] };
  if (first.status !== 200) throw new Error(`points.list: ${first.status} ${JSON.stringify(body)}`);
  const base = await baselineOnce(0);
  const same = body.total === (base[0]?.total ?? 0) && JSON.stringify(body.items?.map((x) => x.id)) === JSON.stringify(base.map((r) => r.id));
  ctx.details['points.list.parity'] = { apiTotal: body.total, baselineTotal: base[0]?.total ?? 0, items: body.items?.length, sameIds: same };
  if (!same) console.warn('  ! points.list: the baseline SQL no longer returns what the API returns: update bench/lib/points-sql.ts');

  const { baseline, ours } = await alternate(
    ctx.rounds,
    ctx.load,
    (o) => loopLoad(baselineOnce, o),
    (o) => httpLoad(ctx.baseUrl, requests, o),
  );
  checkHealthy('points.list', ours);
  ctx.details['points.list'] = { ours, baseline };
  return [row('points.list', ours.rps, baseline.rps), row('points.list.p95', ours.latency.p95, baseline.latency.p95)];
}

// ---- b. auth.me -------------------------------------------------------------------------------
async function benchAuthMe(ctx: Context): Promise<Row[]> {
  const sessionRow = async (cookie: string | undefined, sql: string, name: string) => {
    const m = /(?:^|;\s*)cw_sid=([^;]+)/.exec(cookie ?? '');
    if (!m) return undefined;
    const { rows } = await ctx.query<{ user_id: string; unit_path: string }>(sql, [sha256(decodeURIComponent(m[1]))], name);
    return rows[0];
  };
  const bare = Fastify({ logger: false });
  // the baseline: the session query and nothing else
  bare.get('/me', async (req, reply) => {
    const row = await sessionRow(req.headers.cookie, SESSION_SQL, 'auth.session');
    return row ?? reply.status(401).send({ error: 'UNAUTHENTICATED' });
  });
  // diagnostic only (not the target): the statement /api/auth/me runs (session and profile), to split the gap into SQL and pipeline
  bare.get('/me-sql', async (req, reply) => {
    const row = await sessionRow(req.headers.cookie, SESSION_PROFILE_SQL, 'auth.sessionProfile');
    return row ?? reply.status(401).send({ error: 'UNAUTHENTICATED' });
  });
  const bareUrl = await bare.listen({ host: '127.0.0.1', port: 0 });
  try {
    const headers = { cookie: ctx.sessionCookie };
    for (const p of ['/me', '/me-sql']) {
      const check = await fetch(`${bareUrl}${p}`, { headers });
      if (check.status !== 200) throw new Error(`bare ${p}: ${check.status}`);
    }
    const { baseline, ours, sameSql } = await alternateArms(ctx.rounds, ctx.load, {
      baseline: (o) => httpLoad(bareUrl, [{ method: 'GET', path: '/me', headers }], o),
      ours: (o) => httpLoad(ctx.baseUrl, [{ method: 'GET', path: '/api/auth/me', headers }], o),
      sameSql: (o) => httpLoad(bareUrl, [{ method: 'GET', path: '/me-sql', headers }], o),
    });
    checkHealthy('auth.me', ours);
    checkHealthy('auth.me baseline', baseline);
    ctx.details['auth.me'] = { ours, baseline };
    ctx.details['auth.me (diagnostic: bare route + the session and profile statement)'] = { ours: sameSql, baseline };
    return [row('auth.me', ours.rps, baseline.rps)];
  } finally {
    await bare.close();
  }
}

// ---- c. auth.login ----------------------------------------------------------------------------
async function benchAuthLogin(ctx: Context): Promise<Row[]> {
  // many users, so that concurrent logins do not queue on one user row's lock
  const { rows: users } = await ctx.query<{ username: string; password_hash: string }>(
    `SELECT username, password_hash FROM users WHERE username LIKE 'wangge%' ORDER BY username LIMIT 64`,
  );
  if (!users.length) throw new Error('auth.login: no wangge* users: seed with npm run bench:seed');
  const requests: HttpRequest[] = users.map((u) => ({
    method: 'POST',
    path: '/api/auth/login',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: u.username, password: BENCH_PASSWORD }),
  }));
  const hash = users[0].password_hash;
  const { baseline, ours } = await alternate(
    ctx.rounds,
    ctx.load,
    (o) =>
      loopLoad(async () => {
        if (!(await verify(hash, BENCH_PASSWORD))) throw new Error('argon2 verify failed');
      }, o),
    (o) => httpLoad(ctx.baseUrl, requests, o),
  );
  checkHealthy('auth.login', ours);
  ctx.details['auth.login'] = { ours, baseline };
  return [row('auth.login', ours.rps, baseline.rps)];
}

// ---- d. issues ---------------------------------------------------------------------------------
const tokenHashOf = (cookie: string) => sha256(decodeURIComponent(cookie.slice('cw_sid='.length)));

/**
 * A read endpoint against its bare-pg baseline: first a parity check (same ids, same total), then
 * alternating rounds; the verdict is on the p95 ratio.
 */
async function p95Pair(
  ctx: Context,
  name: string,
  requests: HttpRequest[],
  baselineOnce: (i: number) => Promise<{ ids: string[]; total: number }>,
  parityOf: (body: unknown) => { ids: string[]; total: number },
): Promise<Row[]> {
  const first = await fetch(ctx.baseUrl + requests[0].path, { headers: requests[0].headers });
  const body: unknown = await first.json();
  if (first.status !== 200) throw new Error(`${name}: ${first.status} ${JSON.stringify(body)}`);
  const api = parityOf(body);
  const base = await baselineOnce(0);
  const same = api.total === base.total && JSON.stringify(api.ids) === JSON.stringify(base.ids);
  ctx.details[`${name}.parity`] = { apiTotal: api.total, baselineTotal: base.total, items: api.ids.length, sameIds: same };
  if (!same) console.warn(`  ! ${name}: the baseline SQL no longer returns what the API returns: update bench/lib/issues-sql.ts`);
  const { baseline, ours } = await alternate(
    ctx.rounds,
    ctx.load,
    (o) => loopLoad(baselineOnce, o),
    (o) => httpLoad(ctx.baseUrl, requests, o),
  );
  checkHealthy(name, ours);
  ctx.details[name] = { ours, baseline };
  return [row(name, ours.latency.p95, baseline.latency.p95, `${ours.rps.toFixed(0)} vs ${baseline.rps.toFixed(0)} req/s`)];
}

type Paged = { items: { id: string }[]; total: number };
const pagedIds = (body: unknown) => ({ ids: (body as Paged).items.map((x) => x.id), total: (body as Paged).total });
const sqlIds = (rows: { id: string; total: number }[]) => ({ ids: rows.map((r) => r.id), total: rows[0]?.total ?? 0 });

async function actorOf(ctx: Context, username: string) {
  const { rows } = await ctx.query<{ user_id: string; unit_id: string; path: string }>(
    `SELECT u.id AS user_id, u.unit_id, o.path FROM users u JOIN org_units o ON o.id = u.unit_id WHERE u.username = $1`,
    [username],
  );
  if (!rows.length) throw new Error(`no user ${username}: seed with npm run bench:seed`);
  return rows[0];
}

async function hasIssues(ctx: Context): Promise<boolean> {
  const { rows } = await ctx.query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT 1 FROM issues LIMIT 1) x`);
  return rows[0].n > 0;
}

async function benchDispatcherList(ctx: Context): Promise<Row[]> {
  if (!(await hasIssues(ctx))) return [skip('issues.dispatcher.p95', 'no issues: run npm run bench:seed')];
  const me = await actorOf(ctx, 'bench_qu01');
  const cases = ['reported', 'accepted', 'returned', 'feedback'].flatMap((state) => [1, 2, 3].map((page) => ({ state, page })));
  const headers = { cookie: ctx.sessionCookie };
  const requests: HttpRequest[] = cases.map((c) => ({ method: 'GET', path: `/api/issues?state=${c.state}&page=${c.page}&pageSize=20`, headers }));
  const tokenHash = tokenHashOf(ctx.sessionCookie);
  return p95Pair(
    ctx,
    'issues.dispatcher.p95',
    requests,
    async (i) => {
      const c = cases[i % cases.length];
      await ctx.query(SESSION_SQL, [tokenHash], 'auth.session');
      return sqlIds((await ctx.query<{ id: string; total: number }>(DISPATCHER_LIST_SQL, [`${me.path}%`, me.user_id, c.state, 20, (c.page - 1) * 20])).rows);
    },
    pagedIds,
  );
}

async function benchUnitList(ctx: Context): Promise<Row[]> {
  if (!(await hasIssues(ctx))) return [skip('issues.unit.p95', 'no issues: run npm run bench:seed')];
  // the 联络员 of the unit with the most issues in its hands
  const { rows: busiest } = await ctx.query<{ username: string }>(
    `SELECT u.username FROM (SELECT responsible_unit_id AS id, count(*) AS n FROM issues WHERE state IN ('dispatched', 'rectifying', 'feedback')
       GROUP BY 1 ORDER BY 2 DESC LIMIT 20) t
     JOIN users u ON u.unit_id = t.id JOIN user_roles r ON r.user_id = u.id AND r.role_code = 'unit_contact' ORDER BY t.n DESC, u.username LIMIT 1`,
  );
  if (!busiest.length) return [skip('issues.unit.p95', 'no unit contact of a unit with issues')];
  const me = await actorOf(ctx, busiest[0].username);
  const cookie = await login(ctx.baseUrl, busiest[0].username);
  const cases = [null, 'dispatched', 'rectifying'].flatMap((state) => [1, 2, 3].map((page) => ({ state, page })));
  const requests: HttpRequest[] = cases.map((c) => ({
    method: 'GET',
    path: `/api/issues?mine=true${c.state ? `&state=${c.state}` : ''}&page=${c.page}&pageSize=20`,
    headers: { cookie },
  }));
  const tokenHash = tokenHashOf(cookie);
  ctx.details['issues.unit.actor'] = { username: busiest[0].username };
  return p95Pair(
    ctx,
    'issues.unit.p95',
    requests,
    async (i) => {
      const c = cases[i % cases.length];
      await ctx.query(SESSION_SQL, [tokenHash], 'auth.session');
      const params = [`${me.path}%`, me.user_id, `${me.path}%`, c.state, 20, (c.page - 1) * 20];
      return sqlIds((await ctx.query<{ id: string; total: number }>(UNIT_LIST_SQL, params)).rows);
    },
    pagedIds,
  );
}

async function benchIssuePage(ctx: Context): Promise<Row[]> {
  if (!(await hasIssues(ctx))) return [skip('issues.page.p95', 'no issues: run npm run bench:seed')];
  const me = await actorOf(ctx, 'bench_qu01');
  const { rows: sample } = await ctx.query<{ id: string }>(
    `SELECT id FROM issues WHERE area_path LIKE $1 AND state = 'closed' ORDER BY created_at DESC LIMIT 64`,
    [`${me.path}%`],
  );
  if (!sample.length) return [skip('issues.page.p95', 'no closed issue in the district')];
  const headers = { cookie: ctx.sessionCookie };
  const tokenHash = tokenHashOf(ctx.sessionCookie);
  /** The page's SQL through bare pg, as prepared statements like the app's: session, view, events, files. */
  const pageSql = async (id: string) => {
    await ctx.query(SESSION_SQL, [tokenHash], 'auth.session');
    const view = (await ctx.query(ISSUE_PAGE_SQL.view, [id], 'issues.view')).rows[0];
    const events = (await ctx.query<{ id: number }>(ISSUE_PAGE_SQL.events, [id], 'issues.events')).rows;
    const files = (await ctx.query(ISSUE_PAGE_SQL.files, [id], 'files.byOwner')).rows;
    return { ...view, events, files };
  };
  // parity: the API and the bare SQL give the same timeline
  const api = (await (await fetch(`${ctx.baseUrl}/api/issues/${sample[0].id}`, { headers })).json()) as { events?: { id: number }[] };
  const bareEvents = (await pageSql(sample[0].id)).events.map((e) => String(e.id));
  const same = JSON.stringify(api.events?.map((e) => String(e.id))) === JSON.stringify(bareEvents);
  ctx.details['issues.page.p95.parity'] = { apiEvents: api.events?.length, baselineEvents: bareEvents.length, sameIds: same };
  if (!same) console.warn('  ! issues.page.p95: the baseline SQL no longer returns what the API returns: update bench/lib/issues-sql.ts');
  // the baseline: that SQL behind a bare Fastify route (no plugins, default JSON), driven by the
  // same load generator as ours, so that both pay for HTTP and for the client on these 2 cores
  const bare = Fastify({ logger: false });
  bare.get<{ Params: { id: string } }>('/issues/:id', (req) => pageSql(req.params.id));
  const bareUrl = await bare.listen({ host: '127.0.0.1', port: 0 });
  try {
    const { baseline, ours, sqlLoop } = await alternateArms(ctx.rounds, ctx.load, {
      baseline: (o) => httpLoad(bareUrl, sample.map((r) => ({ method: 'GET', path: `/issues/${r.id}`, headers })), o),
      ours: (o) => httpLoad(ctx.baseUrl, sample.map((r) => ({ method: 'GET', path: `/api/issues/${r.id}`, headers })), o),
      sqlLoop: (o) => loopLoad((i) => pageSql(sample[i % sample.length].id), o),
    });
    checkHealthy('issues.page.p95', ours);
    checkHealthy('issues.page.p95 baseline', baseline);
    ctx.details['issues.page.p95'] = { ours, baseline };
    ctx.details['issues.page.p95 (diagnostic: the same SQL in a loop, no HTTP)'] = { ours, baseline: sqlLoop };
    const loopNote = `the SQL in a loop without HTTP: p95 ${sqlLoop.latency.p95.toFixed(1)} ms, ratio ${(ours.latency.p95 / sqlLoop.latency.p95).toFixed(2)}`;
    return [row('issues.page.p95', ours.latency.p95, baseline.latency.p95, loopNote)];
  } finally {
    await bare.close();
  }
}

async function benchMetrics(ctx: Context): Promise<Row[]> {
  if (!ctx.app.hasRoute({ method: 'GET', url: '/api/issue-metrics' })) return [skip('issues.metrics.month', 'endpoint not present')];
  if (!(await hasIssues(ctx))) return [skip('issues.metrics.month', 'no issues: run npm run bench:seed')];
  const cookie = await login(ctx.baseUrl, 'bench_admin');
  // last calendar month in Asia/Shanghai
  const now = new Date(Date.now() + 8 * 3600_000);
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0));
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const path = `/api/issue-metrics?from=${day(first)}&to=${day(last)}&groupBy=unit`;
  const check = await fetch(ctx.baseUrl + path, { headers: { cookie } });
  const body = (await check.json()) as { rows?: unknown[]; total?: { due: number } };
  if (check.status !== 200) throw new Error(`issues.metrics.month: ${check.status} ${JSON.stringify(body)}`);
  const fromTs = new Date(first.getTime() - 8 * 3600_000).toISOString();
  const toTs = new Date(last.getTime() + 16 * 3600_000).toISOString();
  // serial: the time one office user waits for the page
  const serial = { ...ctx.load, connections: 1 };
  const { baseline, ours } = await alternate(
    ctx.rounds,
    serial,
    (o) =>
      loopLoad(
        () =>
          ctx.query(
            `SELECT responsible_unit_id, count(*) FROM issues WHERE (deadline >= $1 AND deadline < $2) OR (closed_at >= $1 AND closed_at < $2) GROUP BY 1`,
            [fromTs, toTs],
          ),
        o,
      ),
    // a request may take longer than a round: loopLoad always finishes the request it started
    (o) =>
      loopLoad(async () => {
        const res = await fetch(ctx.baseUrl + path, { headers: { cookie } });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`status ${res.status}`);
      }, o),
  );
  checkHealthy('issues.metrics.month', ours);
  ctx.details['issues.metrics.month'] = { ours, baseline, groups: body.rows?.length, due: body.total?.due };
  return [row('issues.metrics.month', ours.latency.p95, baseline.latency.p95, `${body.rows?.length} units, 应结案 ${body.total?.due}`)];
}

/** The title of every issue the filing benchmark files (ours and the bare insert), by which it removes them afterwards. */
const FILED_TITLE = '基准上报：乱堆乱放';

async function benchFileIssue(ctx: Context): Promise<Row[]> {
  const { rows: workers } = await ctx.query<{ username: string; user_id: string; grid_id: string }>(
    `SELECT u.username, u.id AS user_id, gw.grid_id FROM users u JOIN grid_workers gw ON gw.user_id = u.id
     WHERE EXISTS (SELECT 1 FROM points p WHERE p.grid_id = gw.grid_id) ORDER BY u.username LIMIT 10`,
  );
  if (!workers.length) return [skip('issues.file', 'no grid worker with points')];
  const { rows: cats } = await ctx.query<{ id: string }>(`SELECT id FROM issue_categories WHERE parent_id IS NOT NULL AND is_active ORDER BY code LIMIT 8`);
  await syncDayCounters(ctx.deps.database);
  const since = new Date();
  const requests: HttpRequest[] = [];
  const places: { userId: string; point: { id: string; area_unit_id: string; area_path: string; grid_id: string; lng: number; lat: number } }[] = [];
  for (const [k, w] of workers.entries()) {
    const { cookie, csrf } = await loginWithCsrf(ctx.baseUrl, w.username);
    const { rows: pts } = await ctx.query<{ id: string; area_unit_id: string; area_path: string; grid_id: string; lng: number; lat: number }>(
      `SELECT id, area_unit_id, area_path, grid_id, lng, lat FROM points WHERE grid_id = $1 ORDER BY id LIMIT 2`,
      [w.grid_id],
    );
    for (const p of pts) {
      places.push({ userId: w.user_id, point: p });
      requests.push({
        method: 'POST',
        path: '/api/issues',
        headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
        body: JSON.stringify({
          source: 'grid',
          categoryId: cats[(k + requests.length) % cats.length].id,
          title: FILED_TITLE,
          description: '性能基准测试上报的问题',
          pointId: p.id,
          lng: Number(p.lng),
          lat: Number(p.lat),
        }),
      });
    }
  }
  const probe = await fetch(ctx.baseUrl + requests[0].path, { method: 'POST', headers: requests[0].headers, body: requests[0].body });
  if (probe.status !== 200) throw new Error(`issues.file: ${probe.status} ${await probe.text()}`);
  const pool = ctx.dbTarget.kind === 'postgres' ? new pg.Pool({ connectionString: ctx.dbTarget.url, max: ctx.deps.config.databasePoolSize }) : undefined;
  const bareOnce = async (i: number) => {
    if (!pool) throw new Error('issues.file needs PostgreSQL');
    const place = places[i % places.length];
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const dayText = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
      const { rows } = await client.query<{ last: number }>({ name: 'bare.counter', text: BARE_FILE_SQL.counter, values: [dayText] });
      const id = newId();
      const p = place.point;
      await client.query({ name: 'bare.issue', text: BARE_FILE_SQL.issue, values: [
        id,
        `WT${dayText.replaceAll('-', '')}-${String(rows[0].last).padStart(6, '0')}`,
        cats[i % cats.length].id,
        FILED_TITLE,
        '性能基准测试上报的问题',
        p.id,
        p.grid_id,
        p.area_unit_id,
        p.area_path,
        p.lng,
        p.lat,
        place.userId,
      ] });
      await client.query({ name: 'bare.event', text: BARE_FILE_SQL.event, values: [id, place.userId] });
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK');
      throw e;
    } finally {
      client.release();
    }
  };
  if (!pool) return [skip('issues.file', 'PostgreSQL only (the target asks for PostgreSQL)')];
  try {
    const { baseline, ours } = await alternate(
      ctx.rounds,
      ctx.load,
      (o) => loopLoad(bareOnce, o),
      (o) => httpLoad(ctx.baseUrl, requests, o),
    );
    checkHealthy('issues.file', ours);
    ctx.details['issues.file'] = { ours, baseline };
    return [row('issues.file', ours.rps, baseline.rps, `ratio to the bare insert ${(ours.rps / baseline.rps).toFixed(2)}`)];
  } finally {
    await pool.end();
    const removed = await removeBenchFilings(ctx.deps.database, FILED_TITLE, since);
    ctx.details['issues.file.removed'] = removed;
  }
}

// ---- e. indicators and evidence ------------------------------------------------------------------
/**
 * A read endpoint against the very statements it ran, replayed through bare pg (captured from the
 * app's Drizzle client during one request per case; the session lookup, run below Drizzle, added).
 */
async function replayPair(ctx: Context, name: string, requests: HttpRequest[], cookie: string, serial = false): Promise<Row[]> {
  if (!ctx.deps.database.pool) return [skip(name, 'PostgreSQL only (statements are replayed through pg)')];
  const statements: Statement[][] = [];
  for (const r of requests) {
    const got = await captureStatements(async () => {
      const res = await fetch(ctx.baseUrl + r.path, { headers: r.headers });
      if (res.status !== 200) throw new Error(`${name}: ${res.status} ${(await res.text()).slice(0, 300)}`);
      await res.arrayBuffer();
    });
    statements.push([{ sql: SESSION_SQL, params: [tokenHashOf(cookie)] }, ...got]);
  }
  ctx.details[`${name}.statements`] = { perRequest: statements[0].length };
  const load = serial ? { ...ctx.load, connections: 1 } : ctx.load;
  const { baseline, ours } = await alternate(
    ctx.rounds,
    load,
    (o) => loopLoad((i) => replay(ctx.query, statements[i % statements.length]), o),
    (o) => httpLoad(ctx.baseUrl, requests, o),
  );
  checkHealthy(name, ours);
  ctx.details[name] = { ours, baseline };
  return [row(name, ours.latency.p95, baseline.latency.p95, `${ours.rps.toFixed(1)} vs ${baseline.rps.toFixed(1)} req/s`)];
}

async function benchSystem(ctx: Context): Promise<string | undefined> {
  const { rows } = await ctx.query<{ id: string }>(`SELECT system_id AS id FROM tasks GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`);
  return rows[0]?.id;
}

async function benchUnitTasks(ctx: Context): Promise<Row[]> {
  const systemId = await benchSystem(ctx);
  if (!systemId) return [skip('tasks.unit.p95', 'no tasks: run npm run bench:seed')];
  const { rows: busiest } = await ctx.query<{ username: string }>(
    `SELECT u.username FROM (SELECT unit_id AS id, count(*) AS n FROM task_units GROUP BY 1 ORDER BY 2 DESC LIMIT 20) t
     JOIN users u ON u.unit_id = t.id JOIN user_roles r ON r.user_id = u.id AND r.role_code = 'unit_contact' ORDER BY t.n DESC, u.username LIMIT 1`,
  );
  if (!busiest.length) return [skip('tasks.unit.p95', 'no unit contact of a unit with tasks')];
  const cookie = await login(ctx.baseUrl, busiest[0].username);
  const filters = ['', '&status=in_progress', '&overdue=true'];
  const requests: HttpRequest[] = filters.flatMap((f) =>
    [1, 2, 3].map((page) => ({ method: 'GET' as const, path: `/api/tasks?systemId=${systemId}&mine=true${f}&page=${page}&pageSize=20`, headers: { cookie } })),
  );
  ctx.details['tasks.unit.actor'] = { username: busiest[0].username };
  return replayPair(ctx, 'tasks.unit.p95', requests, cookie);
}

async function benchMatrix(ctx: Context, name: string, username: string): Promise<Row[]> {
  if (!ctx.app.hasRoute({ method: 'GET', url: '/api/evidence/matrix' })) return [skip(name, 'endpoint not present')];
  const systemId = await benchSystem(ctx);
  if (!systemId) return [skip(name, 'no tasks: run npm run bench:seed')];
  const cookie = await login(ctx.baseUrl, username);
  const requests: HttpRequest[] = [{ method: 'GET', path: `/api/evidence/matrix?systemId=${systemId}`, headers: { cookie } }];
  // one office user waiting for the page: serial requests
  return replayPair(ctx, name, requests, cookie, true);
}

async function benchTaskImport(ctx: Context): Promise<Row[]> {
  if (ctx.dbTarget.kind !== 'postgres') return [skip('tasks.import', 'PostgreSQL only (a fresh demo database is created beside the bench one)')];
  const { adminUrl } = maintenanceUrl(ctx.dbTarget.url);
  const dbName = `cw_bench_import_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName}`);
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(ctx.dbTarget.url);
  url.pathname = `/${dbName}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: ctx.deps.config.databasePoolSize });
  let app: FastifyInstance | undefined;
  try {
    await database.migrate();
    await seedBase(database.db);
    await seedDemo(database.db, ctx.deps.crypto, BENCH_PASSWORD);
    app = await buildApp({ ...ctx.deps, database, db: database.db }, { logger: false });
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const { cookie, csrf } = await loginWithCsrf(base, 'admin');
    const headers = { cookie, 'x-csrf-token': csrf };
    const fixture = await layoutLarge(5000);
    const readOnce = async () => {
      const t = performance.now();
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(fixture.buffer as unknown as ArrayBuffer);
      return (performance.now() - t) / 1000;
    };
    const runs: { preview: number; commit: number; tasks: number; taskUnits: number; read: number }[] = [];
    for (let k = 0; k < 3; k++) {
      const sys = await fetch(`${base}/api/indicator-systems`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `基准导入体系${k + 1}`, year: 2026 }),
      });
      const system = (await sys.json()) as { id: string };
      if (sys.status !== 200) throw new Error(`tasks.import: create system ${sys.status} ${JSON.stringify(system)}`);
      const post = async (step: 'preview' | 'commit', token?: string) => {
        const form = new FormData();
        form.append('file', new Blob([new Uint8Array(fixture.buffer)], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }), fixture.fileName);
        const t = performance.now();
        const res = await fetch(`${base}/api/indicator-systems/${system.id}/task-import/${step}?createNodes=true${token ? `&token=${encodeURIComponent(token)}` : ''}`, {
          method: 'POST',
          headers,
          body: form,
        });
        const body = (await res.json()) as Record<string, unknown>;
        if (res.status !== 200) throw new Error(`tasks.import ${step}: ${res.status} ${JSON.stringify(body).slice(0, 500)}`);
        return { seconds: (performance.now() - t) / 1000, body };
      };
      const preview = await post('preview');
      const commit = await post('commit', preview.body.token as string | undefined);
      runs.push({ preview: preview.seconds, commit: commit.seconds, tasks: commit.body.tasks as number, taskUnits: commit.body.taskUnits as number, read: await readOnce() });
    }
    ctx.details['tasks.import'] = { runs };
    const worst = Math.max(...runs.map((r) => r.preview + r.commit));
    const read = Math.max(...runs.map((r) => r.read));
    return [row('tasks.import', worst, read, `${runs[0].tasks} tasks, ${runs[0].taskUnits} task units; preview ${runs.map((r) => r.preview.toFixed(1)).join('/')} s, commit ${runs.map((r) => r.commit.toFixed(1)).join('/')} s`)];
  } finally {
    await app?.close();
    await database.close();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
}

const BENCHMARKS: Record<string, (ctx: Context) => Promise<Row[]>> = {
  'points.list': benchPointsList,
  'auth.me': benchAuthMe,
  'auth.login': benchAuthLogin,
  'issues.dispatcher': benchDispatcherList,
  'issues.unit': benchUnitList,
  'issues.page': benchIssuePage,
  'issues.metrics': benchMetrics,
  'issues.file': benchFileIssue,
  'tasks.unit': benchUnitTasks,
  'tasks.import': benchTaskImport,
  'evidence.matrix.city': (ctx) => benchMatrix(ctx, 'evidence.matrix.city.p95', 'bench_admin'),
  'evidence.matrix.district': (ctx) => benchMatrix(ctx, 'evidence.matrix.district.p95', 'bench_qu01'),
};

async function main() {
  const argv = process.argv.slice(2);
  const num = (name: string, dflt: number) => {
    const v = stringArg(argv, name);
    const n = v === undefined ? dflt : Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
    return n;
  };
  const load: LoadOptions = { seconds: num('seconds', 12), warmupSeconds: num('warmup', 3), connections: num('connections', 10) };
  const rounds = Math.round(num('rounds', 3));
  const only = stringArg(argv, 'only')?.split(',');
  const dbTarget = resolveTarget(argv);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cw-bench-'));
  const config = benchConfig(dbTarget, dataDir);

  const database =
    dbTarget.kind === 'postgres'
      ? await openDatabase({ kind: 'postgres', url: dbTarget.url, poolSize: config.databasePoolSize })
      : await openDatabase({ kind: 'pglite', dataDir: dbTarget.dataDir });
  const basePool = dbTarget.kind === 'postgres' ? new pg.Pool({ connectionString: dbTarget.url, max: config.databasePoolSize }) : undefined;
  const query: Database['query'] = basePool ? async (text, params, name) => basePool.query({ text, values: params as unknown[], name }) as never : database.query;
  let app: FastifyInstance | undefined;
  try {
    // the code under test may carry migrations newer than the seed (forward-only, idempotent)
    await database.migrate();
    const { rows: seeded } = await database
      .query<{ value: { scale: string; counts: Record<string, number> } }>(`SELECT value FROM settings WHERE key = 'bench'`)
      .catch(() => ({ rows: [] as { value: { scale: string; counts: Record<string, number> } }[] }));
    if (!seeded.length) throw new Error('the bench database is not seeded: run npm run bench:seed -- --scale city (same --database-url/--pglite)');
    const { scale, counts } = seeded[0].value;
    const { rows: ver } = await database.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
    const machine = {
      nproc: os.availableParallelism(),
      cpu: os.cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
      node: process.version,
      postgres: `${dbTarget.kind === 'pglite' ? 'PGlite ' : 'PostgreSQL '}${ver[0].v}`,
      /** the machine may be shared: the 1-minute load average when the run started */
      loadAverage1m: Math.round(os.loadavg()[0] * 10) / 10,
    };
    // the app's Drizzle client records its statements while `capture.on` (bench/lib/capture.ts)
    const deps: Deps = {
      config,
      database,
      db: database.pool ? capturingDb(database.pool) : database.db,
      crypto: new Crypto(config.secretKey),
      storage: createStorage(config.storage),
      isDemo: false,
    };
    app = await buildApp(deps, { logger: false });
    const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    const sessionCookie = await login(baseUrl, 'bench_qu01');
    const ctx: Context = { dbTarget, deps, app, baseUrl, query, load, rounds, sessionCookie, details: {} };

    console.log(
      `bench: scale=${scale} (${counts.org_units} units, ${counts.points} points, ${counts.users} users) db=${dbTarget.kind === 'postgres' ? safeUrl(dbTarget.url) : dbTarget.dataDir}`,
    );
    console.log(
      `machine: ${machine.nproc} cpu (${machine.cpu}), ${machine.memoryGiB} GiB, node ${machine.node}, ${machine.postgres}; load average ${machine.loadAverage1m} at start`,
    );
    console.log(
      `load: ${load.connections} connections, ${load.warmupSeconds} s warm-up, then ${rounds} alternating rounds (baseline, ours) totalling ${load.seconds} s a side; loopback; autocannon in a worker thread\n`,
    );

    const rows: Row[] = [];
    for (const [name, bench] of Object.entries(BENCHMARKS)) {
      if (only && !only.includes(name)) continue;
      const got = await bench(ctx);
      for (const r of got) console.log(formatRow(r));
      rows.push(...got);
    }
    console.log('\ndetails (ours vs baseline): p50 / p95 / p99 ms, req/s');
    for (const [name, d] of Object.entries(ctx.details)) {
      const m = d as { ours?: Measurement; baseline?: Measurement };
      if (!m.ours || !m.baseline) continue;
      const f = (x: Measurement) => `${x.latency.p50.toFixed(2)} / ${x.latency.p95.toFixed(2)} / ${x.latency.p99.toFixed(2)} ms, ${x.rps.toFixed(0)} req/s`;
      console.log(`  ${name}\n    ours     ${f(m.ours)}\n    baseline ${f(m.baseline)}`);
    }
    const out = {
      date: new Date().toISOString(),
      machine,
      scale,
      counts,
      load,
      targets: TARGETS,
      results: rows.map((r) => ({ ...r, ratio: r.baseline > 0 ? r.value / r.baseline : null })),
      details: ctx.details,
    };
    const resultsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(path.join(resultsDir, 'latest.json'), JSON.stringify(out, (_k, v) => (v instanceof Float64Array ? undefined : v), 2) + '\n');
    console.log(`\nwrote bench/results/latest.json`);
  } finally {
    await app?.close();
    await basePool?.end();
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exitCode = 1;
});
