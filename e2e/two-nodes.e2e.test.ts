import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, DEMO_PASSWORD, ROOT, type Running, startCluster } from './support.ts';

/**
 * Two app processes on one PostgreSQL database and one S3-compatible store (s3rver), as a city
 * deploys them behind a load balancer (docs/deploy.md): no job and no schedule runs twice, and
 * sessions, rate limits and files are shared.
 */
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function postgresReachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

// needs PostgreSQL (several processes cannot share an embedded PGlite)
const canRun = await postgresReachable();

describe.skipIf(!canRun)('two nodes on one PostgreSQL and one S3 store', () => {
  let runDir: string;
  let cluster: Cluster;
  let db: pg.Pool;
  let a: Running;
  let b: Running;

  beforeAll(async () => {
    runDir = mkdtempSync(path.join(os.tmpdir(), 'cw-2n-runs-'));
    cluster = await startCluster({
      nodes: 2,
      entry: path.join(ROOT, 'e2e', 'two-nodes.node.ts'),
      env: { LOGIN_RATE_LIMIT_PER_MINUTE: '6', JOBS_CONCURRENCY: '4', JOBS_POLL_MS: '200', REMINDER_INTERVAL_MINUTES: '0', TWO_NODES_RUN_DIR: runDir },
    });
    [a, b] = cluster.nodes;
    db = new pg.Pool({ connectionString: cluster.databaseUrl, max: 2 });
  }, 240_000);

  afterAll(async () => {
    await db?.end();
    await cluster?.stop();
    rmSync(runDir, { recursive: true, force: true });
  });

  const runs = () => {
    const lines: { kind: string; id: string; pid: number; due: string }[] = [];
    for (const f of readdirSync(runDir).filter((x) => x.endsWith('.log'))) {
      for (const l of readFileSync(path.join(runDir, f), 'utf8').split('\n').filter(Boolean)) {
        const [kind, id, pid, due] = l.split(' ');
        lines.push({ kind, id, pid: Number(pid), due });
      }
    }
    return lines;
  };

  it('200 jobs and a schedule due every second for 10 s: every job and every due time runs exactly once', async () => {
    await db.query(
      `INSERT INTO jobs (id, type, label, payload, max_attempts) SELECT gen_random_uuid(), 'test.count', '双节点测试 ' || n, jsonb_build_object('n', n), 1 FROM generate_series(1, 200) n`,
    );
    const started = Date.now();
    await new Promise((r) => setTimeout(r, 10_000));
    // let the last runs finish, then stop both schedules' clocks by reading
    for (let i = 0; i < 50; i++) {
      const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM jobs WHERE type = 'test.count' AND state <> 'succeeded'`);
      if (Number(rows[0].n) === 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const elapsed = (Date.now() - started) / 1000;
    const all = runs();
    const jobRuns = all.filter((r) => r.kind === 'job');
    const scheduleRuns = all.filter((r) => r.kind === 'schedule');

    // jobs: 200 runs, 200 distinct ids, spread over both processes
    expect(jobRuns).toHaveLength(200);
    expect(new Set(jobRuns.map((r) => r.id)).size).toBe(200);
    const byPid = new Map<number, number>();
    for (const r of jobRuns) byPid.set(r.pid, (byPid.get(r.pid) ?? 0) + 1);
    expect(byPid.size).toBe(2);
    const { rows: states } = await db.query<{ state: string; attempts: number; n: string }>(`SELECT state, attempts, count(*) AS n FROM jobs WHERE type = 'test.count' GROUP BY 1, 2`);
    expect(states).toEqual([{ state: 'succeeded', attempts: 1, n: '200' }]);

    // the schedule: one run per due second, never two for the same due time, both nodes taking part over time
    const dues = scheduleRuns.map((r) => r.due);
    expect(new Set(dues).size).toBe(dues.length);
    expect(new Set(scheduleRuns.map((r) => r.id)).size).toBe(scheduleRuns.length);
    expect(scheduleRuns.length).toBeGreaterThanOrEqual(Math.floor(elapsed * 0.6));
    expect(scheduleRuns.length).toBeLessThanOrEqual(Math.ceil(elapsed) + 1);
    const { rows: sched } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM jobs WHERE schedule_name = 'test.every-second'`);
    expect(Number(sched[0].n)).toBeGreaterThanOrEqual(scheduleRuns.length);
    console.log(
      `two nodes: ${jobRuns.length} jobs (${[...byPid.values()].join(' + ')} per node), ${scheduleRuns.length} schedule runs in ${elapsed.toFixed(1)} s ` +
        `(${new Set(scheduleRuns.map((r) => r.pid)).size} node(s) ran them), 0 duplicates`,
    );
  }, 60_000);

  it('a session opened on one node works on the other; the login rate limit counts both; a file uploaded on one is read on the other', async () => {
    const login = await fetch(`${a.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: DEMO_PASSWORD }) });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').match(/cw_sid=[^;]+/)![0];
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const me = await fetch(`${b.url}/api/auth/me`, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { user: { username: string } }).user.username).toBe('admin');

    // a file written through node A is read through node B (one S3 bucket)
    const form = new FormData();
    const bytes = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 30, b: 30 } } }).png().toBuffer();
    form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), '现场.png');
    const up = await fetch(`${a.url}/api/files`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken }, body: form });
    expect(up.status, await up.clone().text()).toBe(200);
    const fileId = ((await up.json()) as { items: { id: string }[] }).items[0].id;
    const down = await fetch(`${b.url}/api/files/${fileId}/content`, { headers: { cookie } });
    expect(down.status).toBe(200);
    expect(Buffer.from(await down.arrayBuffer()).equals(bytes)).toBe(true);

    // the login limit (6 a minute per client address) counts attempts on both nodes together
    const attempt = (n: Running) => fetch(`${n.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'nobody', password: 'wrong-password' }) });
    const statuses: number[] = [];
    for (const n of [a, b, a, b, a, b, a]) statuses.push((await attempt(n)).status);
    // the admin login above was attempt 1 on A: attempts 2–6 pass the limit, the 7th and 8th are refused
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(2);
    expect(statuses.slice(0, 5).every((s) => s !== 429)).toBe(true);
  }, 60_000);
});
