/**
 * Soak (issue #15): the real server process (server/main.ts, exactly as `npm start` runs it) on a fresh
 * PGlite data directory seeded with the demo city, under mixed load for SOAK_MINUTES (default 30):
 * list and page reads, filings, photo uploads (filed with the photo, thumbnail read back), Excel exports
 * and metrics. The server process records its RSS, heap and event-loop delay every minute
 * (bench/lib/soak-probe.mjs, preloaded with --import); this process records what the load did in each
 * minute and the machine's load average. Everything goes to bench/results/soak.json;
 * `npm run soak:plot` draws it into bench/soak.svg.
 *
 *   npm run soak                                  30 minutes, 4 virtual users, 100 ms think time
 *   SOAK_MINUTES=2 SOAK_USERS=2 npm run soak      a short run
 *   SOAK_THINK_MS=0 SOAK_SAMPLE_SECONDS=10 SOAK_OUT=/tmp/soak.json npm run soak
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { jpegWithExif } from '../server/modules/files/files.fixtures.ts';
import { summarize } from './lib/stats.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PASSWORD = 'Soak-Pass-2026';

const envNum = (name: string, dflt: number, min = 0): number => {
  const v = process.env[name];
  const n = v === undefined || v === '' ? dflt : Number(v);
  if (!Number.isFinite(n) || n < min) throw new Error(`${name} must be a number ≥ ${min}, got "${v}"`);
  return n;
};

const MINUTES = envNum('SOAK_MINUTES', 30, 0.1);
const USERS = Math.round(envNum('SOAK_USERS', 4, 1));
const THINK_MS = envNum('SOAK_THINK_MS', 100);
const SAMPLE_SECONDS = envNum('SOAK_SAMPLE_SECONDS', 60, 1);
const OUT = process.env.SOAK_OUT ?? path.join(ROOT, 'bench', 'results', 'soak.json');

/** The operations and their weights (out of 100). */
const MIX = {
  'list.issues': 16,
  'list.issues.mine': 8,
  'list.points': 10,
  'list.notifications': 4,
  'page.issue': 22,
  'page.point': 6,
  'file.issue': 14,
  'upload.photo': 8,
  'read.thumbnail': 4,
  'export.issues': 2,
  'export.tasks': 1,
  metrics: 5,
} as const;
type Op = keyof typeof MIX;
const OPS = Object.keys(MIX) as Op[];
const TOTAL_WEIGHT = OPS.reduce((a, k) => a + MIX[k], 0);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function dirSize(dir: string): number {
  if (!existsSync(dir)) return 0;
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? dirSize(p) : statSync(p).size;
  }
  return total;
}

/** The soak runs on PGlite: a DATABASE_URL in the environment must not send it elsewhere. */
function withoutDatabaseUrl(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { DATABASE_URL: _ignored, ...rest } = env;
  return rest;
}

type Session = { cookie: string; csrf: string };

class Client {
  constructor(
    readonly base: string,
    readonly session: Session,
  ) {}
  async request(method: string, p: string, body?: unknown, contentType?: string): Promise<Response> {
    const headers: Record<string, string> = { cookie: this.session.cookie };
    if (method !== 'GET') headers['x-csrf-token'] = this.session.csrf;
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = contentType ?? 'application/json';
      payload = JSON.stringify(body);
    }
    return fetch(this.base + p, { method, headers, body: payload });
  }
}

async function login(base: string, username: string): Promise<Client> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  const sid = res.headers.getSetCookie().find((c) => c.startsWith('cw_sid='));
  if (!sid) throw new Error('login returned no session cookie');
  const body = (await res.json()) as { csrfToken: string };
  return new Client(base, { cookie: sid.split(';')[0], csrf: body.csrfToken });
}

async function json<T>(res: Response, what: string): Promise<T> {
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${what}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

type MinuteLoad = { ok: number; failed: number; byOp: Record<string, { n: number; failed: number; latencies: number[] }>; statuses: Record<string, number> };
const newMinute = (): MinuteLoad => ({ ok: 0, failed: 0, byOp: {}, statuses: {} });

async function main() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cw-soak-'));
  const probeFile = path.join(dataDir, 'probe.jsonl');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', '--import', path.join(ROOT, 'bench', 'lib', 'soak-probe.mjs'), path.join(ROOT, 'server', 'main.ts')],
    {
      cwd: ROOT,
      env: {
        ...withoutDatabaseUrl(process.env),
        NODE_ENV: 'production',
        PORT: String(port),
        HOST: '127.0.0.1',
        CHUANGWEN_DATA_DIR: dataDir,
        CHUANGWEN_DEMO_PASSWORD: PASSWORD,
        LOG_LEVEL: 'warn',
        LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
        SOAK_PROBE_FILE: probeFile,
        SOAK_SAMPLE_MS: String(SAMPLE_SECONDS * 1000),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (d) => (output = (output + d).slice(-20_000)));
  child.stderr?.on('data', (d) => (output = (output + d).slice(-20_000)));
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  };
  try {
    const readyBy = Date.now() + 300_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
      try {
        if ((await fetch(`${base}/readyz`)).ok) break;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > readyBy) throw new Error(`server did not become ready:\n${output}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    // the probe counts from the process start; the load's minutes count from here
    const probeOffset = existsSync(probeFile) ? readFileSync(probeFile, 'utf8').trim().split('\n').filter(Boolean).length : 0;
    console.log(`soak: server ready on ${base} (data ${dataDir}); ${MINUTES} min, ${USERS} virtual users, ${THINK_MS} ms think time, a sample every ${SAMPLE_SECONDS} s`);

    const [qu, danwei, wangge, admin] = await Promise.all(['qu_admin', 'danwei', 'wangge', 'admin'].map((u) => login(base, u)));
    const categories = (await json<{ id: string; parentId: string | null; isActive?: boolean }[]>(await admin.request('GET', '/api/issue-categories'), 'categories')).filter((c) => c.parentId);
    const points = (await json<{ items: { id: string; gridId: string | null }[] }>(await wangge.request('GET', '/api/org/points?pageSize=200'), 'points')).items;
    if (!categories.length || !points.length) throw new Error('the demo city has no categories or no points for wangge');
    const systems = (await json<{ items?: { id: string }[] } | { id: string }[]>(await admin.request('GET', '/api/indicator-systems'), 'systems'));
    const systemId = (Array.isArray(systems) ? systems : (systems.items ?? []))[0]?.id;
    const photo = await jpegWithExif({ dateTimeOriginal: '2026:12:01 10:00:00', lat: [22, 32, 30], lng: [114, 3, 20] }, 800, 600);
    const issueIds: string[] = [];
    const photoIds: string[] = [];
    for (const page of [1, 2, 3]) {
      const got = await json<{ items: { id: string }[] }>(await qu.request('GET', `/api/issues?page=${page}&pageSize=20`), 'issues');
      issueIds.push(...got.items.map((i) => i.id));
    }

    const day = (d: Date) => d.toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
    const today = day(new Date());
    const monthAgo = day(new Date(Date.now() - 30 * 86_400_000));
    let seq = 0;
    const pick = <T>(xs: T[]): T => xs[Math.floor(Math.random() * xs.length)];
    const remember = (xs: string[], id: string) => {
      xs.push(id);
      if (xs.length > 2000) xs.splice(0, xs.length - 2000);
    };
    const drain = async (res: Response, what: string) => {
      if (res.status !== 200) throw Object.assign(new Error(`${what}: ${res.status} ${(await res.text()).slice(0, 200)}`), { status: res.status });
      await res.arrayBuffer();
      return res.status;
    };
    const fileIssue = async (photos: string[]) => {
      const p = pick(points);
      const res = await wangge.request('POST', '/api/issues', {
        source: 'grid',
        categoryId: pick(categories).id,
        title: `浸泡测试上报 ${++seq}`,
        description: '路边暴露垃圾，现场拍照上报（浸泡测试）',
        pointId: p.id,
        photos,
      });
      const body = await json<{ id: string }>(res, 'file');
      remember(issueIds, body.id);
    };
    const run: Record<Op, () => Promise<unknown>> = {
      'list.issues': async () => drain(await qu.request('GET', `/api/issues?page=${1 + Math.floor(Math.random() * 5)}&pageSize=20`), 'list.issues'),
      'list.issues.mine': async () => drain(await danwei.request('GET', `/api/issues?mine=true&page=1&pageSize=20`), 'list.issues.mine'),
      'list.points': async () => drain(await qu.request('GET', `/api/org/points?page=${1 + Math.floor(Math.random() * 5)}&pageSize=20`), 'list.points'),
      'list.notifications': async () => drain(await danwei.request('GET', '/api/notifications?page=1&pageSize=20'), 'list.notifications'),
      'page.issue': async () => drain(await qu.request('GET', `/api/issues/${pick(issueIds)}`), 'page.issue'),
      'page.point': async () => drain(await wangge.request('GET', `/api/org/points/${pick(points).id}`), 'page.point'),
      'file.issue': async () => fileIssue([]),
      'upload.photo': async () => {
        const form = new FormData();
        form.append('file', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), `现场${seq}.jpg`);
        const up = await json<{ items: { id: string }[] }>(await wangge.request('POST', '/api/files', form), 'upload');
        await fileIssue([up.items[0].id]);
        remember(photoIds, up.items[0].id);
      },
      'read.thumbnail': async () => (photoIds.length ? drain(await wangge.request('GET', `/api/files/${pick(photoIds)}/thumbnail`), 'thumbnail') : run['page.issue']()),
      'export.issues': async () => drain(await qu.request('GET', '/api/issues/export'), 'export.issues'),
      'export.tasks': async () => (systemId ? drain(await admin.request('GET', `/api/indicator-systems/${systemId}/tasks/export.xlsx`), 'export.tasks') : run['export.issues']()),
      metrics: async () => drain(await admin.request('GET', `/api/issue-metrics?groupBy=unit&from=${monthAgo}&to=${today}`), 'metrics'),
    };
    const choose = (): Op => {
      let r = Math.random() * TOTAL_WEIGHT;
      for (const op of OPS) {
        r -= MIX[op];
        if (r < 0) return op;
      }
      return OPS[0];
    };

    const startedAt = Date.now();
    const endAt = startedAt + MINUTES * 60_000;
    const minutes: MinuteLoad[] = [newMinute()];
    const errors: string[] = [];
    const slot = () => {
      const k = Math.floor((Date.now() - startedAt) / (SAMPLE_SECONDS * 1000));
      while (minutes.length <= k) minutes.push(newMinute());
      return minutes[k];
    };
    const loads: number[] = [];
    const dbSizes: number[] = [];
    const sampler = setInterval(() => {
      loads.push(Math.round(os.loadavg()[0] * 100) / 100);
      dbSizes.push(Math.round((dirSize(path.join(dataDir, 'db')) / 2 ** 20) * 10) / 10);
      const k = loads.length;
      const m = minutes[k - 1] ?? newMinute();
      console.log(`  ${new Date().toISOString().slice(11, 19)} interval ${k}: ${m.ok} ok, ${m.failed} failed; load ${loads.at(-1)}; db ${dbSizes.at(-1)} MB`);
    }, SAMPLE_SECONDS * 1000);
    const user = async () => {
      while (Date.now() < endAt) {
        const op = choose();
        const t = performance.now();
        let ok = true;
        try {
          await run[op]();
        } catch (e) {
          ok = false;
          if (errors.length < 50) errors.push(`${op}: ${e instanceof Error ? e.message : String(e)}`);
          if (child.exitCode !== null) throw new Error(`the server died:\n${output}`);
        }
        const m = slot();
        m.byOp[op] ??= { n: 0, failed: 0, latencies: [] };
        const o = m.byOp[op];
        if (ok) {
          m.ok++;
          o.n++;
          o.latencies.push(performance.now() - t);
        } else {
          m.failed++;
          o.failed++;
        }
        if (THINK_MS > 0) await new Promise((r) => setTimeout(r, THINK_MS * (0.5 + Math.random())));
      }
    };
    await Promise.all(Array.from({ length: USERS }, user));
    // the last sample of the server falls at most one interval after the load ended
    await new Promise((r) => setTimeout(r, Math.min(SAMPLE_SECONDS * 1000 - ((Date.now() - startedAt) % (SAMPLE_SECONDS * 1000)) + 2000, SAMPLE_SECONDS * 1000 + 2000)));
    clearInterval(sampler);

    const probe = readFileSync(probeFile, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .slice(probeOffset);
    const samples = minutes.map((m, k) => {
      const server = probe[k] ?? null;
      const byOp = Object.fromEntries(
        Object.entries(m.byOp).map(([op, o]) => {
          const s = summarize(Float64Array.from(o.latencies));
          return [op, { n: o.n, failed: o.failed, p50: Math.round(s.p50 * 10) / 10, p95: Math.round(s.p95 * 10) / 10 }];
        }),
      );
      return { minute: k + 1, requests: m.ok, failed: m.failed, loadAverage1m: loads[k] ?? null, dbMB: dbSizes[k] ?? null, server, byOp };
    });
    const out = {
      date: new Date(startedAt).toISOString(),
      config: { minutes: MINUTES, users: USERS, thinkMs: THINK_MS, sampleSeconds: SAMPLE_SECONDS, mix: MIX, database: 'PGlite (fresh data directory, demo city)' },
      machine: {
        nproc: os.availableParallelism(),
        cpu: os.cpus()[0]?.model ?? 'unknown',
        memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
        node: process.version,
        loadAverageAtEnd: os.loadavg().map((x) => Math.round(x * 100) / 100),
      },
      totals: {
        requests: minutes.reduce((a, m) => a + m.ok, 0),
        failed: minutes.reduce((a, m) => a + m.failed, 0),
        filed: seq,
      },
      errors,
      samples,
    };
    mkdirSync(path.dirname(OUT), { recursive: true });
    writeFileSync(OUT, JSON.stringify(out, null, 2) + '\n');
    const first = samples.find((s) => s.server)?.server as { rssMB: number } | undefined;
    const last = [...samples].reverse().find((s) => s.server)?.server as { rssMB: number } | undefined;
    console.log(
      `soak: ${out.totals.requests} requests (${out.totals.failed} failed), ${seq} issues filed; RSS ${first?.rssMB} MB → ${last?.rssMB} MB; wrote ${path.relative(ROOT, OUT)}`,
    );
    if (errors.length) console.log(`first errors:\n  ${errors.slice(0, 10).join('\n  ')}`);
  } finally {
    await stop();
    if (!process.env.SOAK_KEEP_DATA) rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exitCode = 1;
});
