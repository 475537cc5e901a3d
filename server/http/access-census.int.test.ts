import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ROLES } from '../../contracts/permissions.ts';
import { DEMO_USERS } from '../seed/demo-data.ts';
import { type Client, type TestApp, startTestApp } from '../test/harness.ts';
import { sampleOf } from '../test/zod-sample.ts';
import { ACCESS, type AccessRule, ANONYMOUS_400_KNOWN, REFUSED_BEFORE_PERMISSION, type RecordKind, SCOPED } from './access-census.ts';

/**
 * The access census (issue #15): every route the app registers has a declared rule
 * (access-census.ts), and every rule holds — anonymous, each demo role, in and out of scope.
 */
type Route = { key: string; method: string; url: string; schema?: { params?: unknown; querystring?: unknown; body?: unknown } };
const FAKE_ID = '00000000-0000-4000-8000-000000000001';
/** requests that would end the demo user's session */
const SESSION_ENDING = new Set(['POST /api/auth/logout', 'POST /api/auth/password']);

const rolePermissions = new Map(SYSTEM_ROLES.map((r) => [r.code, new Set<string>(r.permissions)]));
const holds = (role: string, rule: AccessRule & { kind: 'permission' }) => rule.anyOf.some((p) => rolePermissions.get(role)?.has(p));

/** a valid request for the route: sample params, query and body from its schemas */
function requestFor(r: Route, params: Record<string, string> = {}) {
  const sampled = (sampleOf(r.schema?.params) ?? {}) as Record<string, string>;
  let url = r.url.replace(/:([a-zA-Z]+)/g, (_, k: string) => encodeURIComponent(params[k] ?? sampled[k] ?? FAKE_ID));
  const q = sampleOf(r.schema?.querystring) as Record<string, unknown> | undefined;
  if (q && Object.keys(q).length) url += `?${new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)]))}`;
  const hasBody = r.method !== 'GET' && r.method !== 'DELETE';
  const body = hasBody ? sampleOf(r.schema?.body) : undefined;
  return { url, body: hasBody ? (body ?? {}) : undefined, bodySampled: !hasBody || !r.schema?.body || body !== undefined };
}

/** a record of the kind inside 文明区 (qu_admin's district) and one inside 和谐区 */
const RECORDS: Record<RecordKind, string> = {
  unit: `SELECT o.id FROM org_units o WHERE o.path LIKE $1 AND o.depth > 1 ORDER BY o.id LIMIT 1`,
  point: `SELECT p.id FROM points p WHERE p.area_path LIKE $1 AND NOT EXISTS (SELECT 1 FROM point_units pu JOIN org_units u ON u.id = pu.unit_id WHERE pu.point_id = p.id AND u.path NOT LIKE $1) AND NOT EXISTS (SELECT 1 FROM sponsorships s WHERE s.target_id = p.id) ORDER BY p.id LIMIT 1`,
  grid: `SELECT g.id FROM grids g JOIN org_units o ON o.id = g.community_id WHERE o.path LIKE $1 ORDER BY g.id LIMIT 1`,
  zone: `SELECT z.id FROM zones z JOIN org_units o ON o.id = z.owner_unit_id WHERE o.path LIKE $1 ORDER BY z.id LIMIT 1`,
  user: `SELECT u.id FROM users u JOIN org_units o ON o.id = u.unit_id WHERE o.path LIKE $1 AND o.depth > 1 ORDER BY u.id LIMIT 1`,
  issue: `SELECT i.id FROM issues i WHERE i.area_path LIKE $1 AND (i.responsible_path IS NULL OR i.responsible_path LIKE $1) AND i.reporter_id IS DISTINCT FROM (SELECT id FROM users WHERE username = 'qu_admin') ORDER BY i.id LIMIT 1`,
  evidence: `SELECT e.id FROM evidence_items e WHERE e.unit_path LIKE $1 ORDER BY e.id LIMIT 1`,
  // in scope: a task naming a unit of the district; out of scope: one naming none of 文明区's units
  task: `SELECT task_id AS id FROM task_units GROUP BY task_id HAVING bool_or(unit_path LIKE $1) AND ($2::text IS NULL OR NOT bool_or(unit_path LIKE $2)) ORDER BY task_id LIMIT 1`,
};

describe('access census', () => {
  let t: TestApp;
  const routes: Route[] = [];
  const clients = new Map<string, Client>();
  let anonymous: Client;

  beforeAll(async () => {
    t = await startTestApp(
      {},
      {
        onRoute: (r) => {
          for (const method of [r.method].flat()) {
            if (method === 'HEAD' || method === 'OPTIONS') continue;
            routes.push({ key: `${method} ${r.url}`, method, url: r.url, schema: r.schema });
          }
        },
      },
    );
    anonymous = t.anonymous();
    for (const u of DEMO_USERS) clients.set(u.username, await t.login(u.username));
  });
  afterAll(() => t.close());

  it('every route the app registers has a declared rule, and every rule a route', () => {
    expect(routes.length).toBeGreaterThan(200);
    const keys = new Set(routes.map((r) => r.key));
    const undeclared = [...keys].filter((k) => !(k in ACCESS));
    expect(undeclared, 'add these routes to server/http/access-census.ts').toEqual([]);
    expect(Object.keys(ACCESS).filter((k) => !keys.has(k)), 'declared routes that no longer exist').toEqual([]);
    expect([...ANONYMOUS_400_KNOWN].filter((k) => !keys.has(k))).toEqual([]);
    expect(Object.keys(SCOPED).filter((k) => !keys.has(k))).toEqual([]);
  });

  it('anonymous: 401 on every route that is not public, never a 5xx', async () => {
    const wrong: string[] = [];
    for (const r of routes) {
      const rule = ACCESS[r.key];
      if (!rule) continue;
      const url = r.url.replace(/:([a-zA-Z]+)/g, FAKE_ID).replace('*', 'x');
      const res = await anonymous.request(r.method as never, url, r.method === 'GET' || r.method === 'DELETE' ? undefined : {});
      if (res.statusCode >= 500) wrong.push(`${r.key}: ${res.statusCode}`);
      else if (rule.kind === 'public') continue;
      else if (ANONYMOUS_400_KNOWN.has(r.key)) {
        if (res.statusCode !== 400) wrong.push(`${r.key}: ${res.statusCode} — answers ${res.statusCode} now, remove it from ANONYMOUS_400_KNOWN`);
      } else if (res.statusCode !== 401) wrong.push(`${r.key}: ${res.statusCode}, expected 401`);
    }
    expect(wrong).toEqual([]);
  });

  it('each demo role: refused (403) where it holds none of the permissions; city-wide settings only for the city office', async () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const r of routes) {
      const rule = ACCESS[r.key];
      if (rule?.kind !== 'permission' || SESSION_ENDING.has(r.key)) continue;
      const req = requestFor(r);
      for (const u of DEMO_USERS) {
        const allowed = holds(u.role, rule) && (!rule.cityLevel || u.unit === 'city');
        const res = await clients.get(u.username)!.request(r.method as never, req.url, req.body);
        if (res.statusCode >= 500 || res.statusCode === 401) {
          wrong.push(`${r.key} as ${u.username}: ${res.statusCode}`);
          continue;
        }
        if (allowed) {
          // a list or a form a holder opens: answered (not refused)
          if (r.method === 'GET' && !r.url.includes(':') && res.statusCode === 403) wrong.push(`${r.key} as ${u.username} (holds it): 403`);
          continue;
        }
        // assigned users (a team's admins) are answered with their own records
        if (rule.orAssigned && res.statusCode === 200) continue;
        checked++;
        const refused = r.url.includes(':') ? [403, 404] : [403];
        // a body the sampler could not build is refused by validation first (400)
        if (!req.bodySampled) refused.push(400);
        if (REFUSED_BEFORE_PERMISSION.has(r.key)) refused.push(400, 415);
        if (!refused.includes(res.statusCode)) wrong.push(`${r.key} as ${u.username} (lacks ${rule.anyOf.join('|')}${rule.cityLevel ? ', city level' : ''}): ${res.statusCode}`);
      }
    }
    expect(checked).toBeGreaterThan(300);
    expect(wrong).toEqual([]);
  });

  it('signed-in routes answer every demo role', async () => {
    const wrong: string[] = [];
    for (const r of routes) {
      if (ACCESS[r.key]?.kind !== 'signedIn' || SESSION_ENDING.has(r.key) || r.url.includes(':')) continue;
      const req = requestFor(r);
      for (const u of DEMO_USERS) {
        const res = await clients.get(u.username)!.request(r.method as never, req.url, req.body);
        if (res.statusCode === 401 || res.statusCode === 403 || res.statusCode >= 500) wrong.push(`${r.key} as ${u.username}: ${res.statusCode}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('records: the district admin reads its own district’s record and is refused the other district’s', async () => {
    const qu = clients.get('qu_admin')!;
    const district = async (name: string) => (await t.deps.database.query<{ path: string }>('SELECT path FROM org_units WHERE name = $1', [name])).rows[0].path;
    const mine = await district('文明区');
    const other = await district('和谐区');
    const wrong: string[] = [];
    for (const [key, kind] of Object.entries(SCOPED)) {
      const r = routes.find((x) => x.key === key)!;
      const params = (p: string) => (kind === 'task' ? [`${p}%`, p === other ? `${mine}%` : null] : [`${p}%`]);
      const [inside] = (await t.deps.database.query<{ id: string }>(RECORDS[kind], params(mine))).rows;
      const [outside] = (await t.deps.database.query<{ id: string }>(RECORDS[kind], params(other))).rows;
      if (!inside || !outside) {
        wrong.push(`${key}: no ${kind} record in ${inside ? '和谐区' : '文明区'}`);
        continue;
      }
      const ok = await qu.request(r.method as never, requestFor(r, { id: inside.id }).url);
      const refused = await qu.request(r.method as never, requestFor(r, { id: outside.id }).url);
      if (ok.statusCode !== 200) wrong.push(`${key} in scope (${kind} ${inside.id}): ${ok.statusCode}`);
      if (![403, 404].includes(refused.statusCode)) wrong.push(`${key} out of scope (${kind} ${outside.id}): ${refused.statusCode}`);
    }
    expect(wrong).toEqual([]);
  });
});
