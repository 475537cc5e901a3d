import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../db/client.ts';
import { Crypto } from '../lib/crypto.ts';
import { seedBase, seedDemo } from '../seed/demo.ts';
import { TEST_PASSWORD, TEST_SECRET } from './constants.ts';

/**
 * Builds the seeded demo database once per run: a PGlite data-dir dump, or a PostgreSQL template
 * database. Each test file then starts from a copy (a fresh PGlite takes seconds to initialise).
 */
export default async function setup(project: TestProject) {
  const kind = process.env.TEST_DB === 'postgres' ? 'postgres' : 'pglite';
  if (kind === 'pglite') {
    const database = await openDatabase({ kind: 'pglite' });
    await prepare(database);
    const dump = await database.pglite!.dumpDataDir('gzip');
    await database.close();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cw-test-'));
    const file = path.join(dir, 'template.tar.gz');
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    project.provide('pgliteTemplate', file);
    return () => rmSync(dir, { recursive: true, force: true });
  }
  const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const template = `cw_tpl_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.query(`CREATE DATABASE ${template}`);
  const database = await openDatabase({ kind: 'postgres', url: withDb(url, template), poolSize: 2 });
  await prepare(database);
  await database.close();
  project.provide('pgTemplate', template);
  project.provide('pgUrl', url);
  return async () => {
    const dbs = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`cw_t_${process.pid}_%`]);
    for (const r of dbs.rows) await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
    await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await admin.end();
  };
}

async function prepare(database: Awaited<ReturnType<typeof openDatabase>>) {
  await database.migrate();
  await seedBase(database.db);
  await seedDemo(database.db, new Crypto(Buffer.from(TEST_SECRET, 'base64')), TEST_PASSWORD);
}

export function withDb(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    pgTemplate: string;
    pgUrl: string;
  }
}
