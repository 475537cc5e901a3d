import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { inject } from 'vitest';
import { type BuildOptions, buildApp } from '../app.ts';
import { type Config, loadConfig } from '../config.ts';
import { type Database, openDatabase } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import { Crypto } from '../lib/crypto.ts';
import { LocalStorage } from '../lib/storage.ts';
import { TEST_PASSWORD, TEST_SECRET } from './constants.ts';
import { withDb } from './global-setup.ts';

export { TEST_PASSWORD };
let counter = 0;

/** A database copied from the seeded template: PGlite from its dump, PostgreSQL from its template database. */
export async function openTestDatabase(): Promise<{ database: Database; url?: string; drop(): Promise<void> }> {
  if (process.env.TEST_DB === 'postgres') {
    const base = inject('pgUrl');
    const name = `cw_t_${process.ppid}_${process.pid}_${++counter}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('pgTemplate')}`);
    const url = withDb(base, name);
    const database = await openDatabase({ kind: 'postgres', url, poolSize: 5 });
    return {
      database,
      url,
      drop: async () => {
        await database.close();
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      },
    };
  }
  const blob = new Blob([readFileSync(inject('pgliteTemplate'))]);
  const database = await openDatabase({ kind: 'pglite', loadDataDir: blob });
  return { database, drop: () => database.close() };
}

export type TestApp = {
  app: FastifyInstance;
  deps: Deps;
  dataDir: string;
  /** logs in as a demo user (or any user) and returns a client carrying the cookie and CSRF token */
  login(username: string, password?: string): Promise<Client>;
  anonymous(): Client;
  close(): Promise<void>;
};

export async function startTestApp(overrides: Partial<Config> = {}, buildOptions: BuildOptions = {}): Promise<TestApp> {
  const { database, drop } = await openTestDatabase();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cw-app-'));
  const config: Config = {
    ...loadConfig({ CHUANGWEN_DATA_DIR: dataDir, CHUANGWEN_SECRET_KEY: TEST_SECRET, NODE_ENV: 'test' }),
    loginRateLimitPerMinute: 10_000,
    ...overrides,
  };
  const deps: Deps = {
    config,
    database,
    db: database.db,
    crypto: new Crypto(Buffer.from(TEST_SECRET, 'base64')),
    storage: new LocalStorage(path.join(dataDir, 'files')),
    isDemo: true,
  };
  const app = await buildApp(deps, buildOptions);
  await app.ready();
  return {
    app,
    deps,
    dataDir,
    anonymous: () => new Client(app, null, null),
    async login(username, password = TEST_PASSWORD) {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
      if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
      const cookie = res.cookies.find((c) => c.name === 'cw_sid')!.value;
      return new Client(app, cookie, res.json().csrfToken);
    },
    async close() {
      await app.close();
      await drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export class Client {
  constructor(
    readonly app: FastifyInstance,
    readonly cookie: string | null,
    readonly csrfToken: string | null,
  ) {}
  request(method: Method, url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.app.inject({
      method,
      url,
      payload: payload as never,
      headers: {
        ...(this.cookie ? { cookie: `cw_sid=${this.cookie}` } : {}),
        ...(this.csrfToken && method !== 'GET' ? { 'x-csrf-token': this.csrfToken } : {}),
        ...headers,
      },
    });
  }
  get = (url: string) => this.request('GET', url);
  post = (url: string, body?: unknown) => this.request('POST', url, body ?? {});
  patch = (url: string, body: unknown) => this.request('PATCH', url, body);
  delete = (url: string) => this.request('DELETE', url);
}
