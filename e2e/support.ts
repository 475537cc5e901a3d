import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ARTIFACTS = path.join(ROOT, 'e2e', 'artifacts');
export const DEMO_PASSWORD = 'E2e-Demo-2026';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export type Running = { url: string; dataDir: string; pid: number; stop(): Promise<void>; log: () => string };

/**
 * Starts the real server process exactly as `npm start` does after its build step: a fresh
 * embedded database in a temporary data directory, seeded with the demo city on first start.
 */
export async function startServer(env: Record<string, string> = {}, opts: { entry?: string } = {}): Promise<Running> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cw-e2e-'));
  const port = await freePort();
  let output = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', opts.entry ?? path.join(ROOT, 'server', 'main.ts')], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', CHUANGWEN_DATA_DIR: dataDir, CHUANGWEN_DEMO_PASSWORD: DEMO_PASSWORD, LOG_LEVEL: 'warn', LOGIN_RATE_LIMIT_PER_MINUTE: '1000', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`server did not become ready:\n${output}`);
    await new Promise((r) => setTimeout(r, 300));
  }
  return {
    url,
    dataDir,
    pid: child.pid as number,
    log: () => output,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export const DESKTOP = { viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' };
export const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
};

export async function newPage(browser: Browser, opts: Parameters<Browser['newContext']>[0] = DESKTOP): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(opts);
  const page = await context.newPage();
  return { context, page };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

export async function loginDesktop(page: Page, base: string, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByPlaceholder('用户名或手机号').fill(username);
  await page.getByPlaceholder('密码').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.getByTestId('user-menu').waitFor();
}

export type Cluster = Running & { nodes: Running[]; databaseUrl: string; servedBy: number[] };

/**
 * A city's deployment in miniature (docs/deploy.md): an empty PostgreSQL database (created from
 * TEST_DATABASE_URL) seeded with the demo city by `chuangwen seed demo`, one S3-compatible store
 * (s3rver), `nodes` server processes sharing both, and in front of them a round-robin proxy (the
 * load balancer) whose address is `url`: consecutive requests go to different nodes.
 */
export async function startCluster(opts: { nodes?: number; env?: Record<string, string>; entry?: string } = {}): Promise<Cluster> {
  const S3rver = (await import('s3rver')).default;
  const pg = (await import('pg')).default;
  const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const s3Dir = mkdtempSync(path.join(os.tmpdir(), 'cw-cluster-s3-'));
  const seedDir = mkdtempSync(path.join(os.tmpdir(), 'cw-cluster-seed-'));
  const bucket = 'chuangwen-cluster';
  const s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: s3Dir, configureBuckets: [{ name: bucket, configs: [] }] });
  const { port: s3Port } = await s3.run();
  const dbName = `cw_cluster_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  const databaseUrl = u.toString();
  const env = {
    DATABASE_URL: databaseUrl,
    CHUANGWEN_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
    CHUANGWEN_DEMO_PASSWORD: DEMO_PASSWORD,
    STORAGE: 's3',
    S3_ENDPOINT: `http://127.0.0.1:${s3Port}`,
    S3_BUCKET: bucket,
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
    ...opts.env,
  };
  await new Promise<void>((resolve, reject) => {
    const seed = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'cli', 'main.ts'), 'seed', 'demo'], { cwd: ROOT, env: { ...process.env, ...env, CHUANGWEN_DATA_DIR: seedDir }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    seed.stdout?.on('data', (d) => (out += d));
    seed.stderr?.on('data', (d) => (out += d));
    seed.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`seed demo failed:\n${out}`))));
  });
  const nodes = await Promise.all(Array.from({ length: opts.nodes ?? 2 }, () => startServer(env, { entry: opts.entry })));
  const servedBy = nodes.map(() => 0);
  let next = 0;
  const proxy = http.createServer((req, res) => {
    const i = next++ % nodes.length;
    servedBy[i]++;
    const target = new URL(nodes[i].url);
    const up = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
  return {
    url,
    dataDir: seedDir,
    pid: nodes[0].pid,
    nodes,
    databaseUrl,
    servedBy,
    log: () => nodes.map((n, i) => `── node ${i + 1}\n${n.log()}`).join('\n'),
    stop: async () => {
      await new Promise((r) => proxy.close(r));
      await Promise.all(nodes.map((n) => n.stop()));
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
      await c.end();
      await s3.close();
      rmSync(s3Dir, { recursive: true, force: true });
      rmSync(seedDir, { recursive: true, force: true });
    },
  };
}

/**
 * The server and browser of one describe block: started before its tests, stopped after them.
 * With E2E_NODES=2 the "server" is a two-node cluster on PostgreSQL and S3 behind a round-robin
 * proxy (startCluster), so any browser test runs with its requests spread across both nodes.
 */
export function serverAndBrowser(): { server: Running; browser: Browser } {
  const env = {} as { server: Running; browser: Browser };
  const nodes = Number(process.env.E2E_NODES ?? 1);
  beforeAll(async () => {
    [env.server, env.browser] = await Promise.all([nodes > 1 ? startCluster({ nodes }) : startServer(), launchBrowser()]);
  }, 240_000);
  afterAll(async () => {
    await env.browser?.close();
    const served = (env.server as Partial<Cluster> | undefined)?.servedBy;
    if (served) console.log(`requests served per node: ${served.join(' + ')}`);
    await env.server?.stop();
  });
  return env;
}
