import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase } from '../server/db/client.ts';
import { TEST_SECRET } from '../server/test/constants.ts';
import { openTestDatabase } from '../server/test/harness.ts';

const run = promisify(execFile);
const bin = path.resolve(import.meta.dirname, '../bin/chuangwen.mjs');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'cw-cli-remind-'));
const dataDir = path.join(tmp, 'data');
let env: Record<string, string> = {};
let pgTest: Awaited<ReturnType<typeof openTestDatabase>> | undefined;

/** The seeded demo city (with its overdue issues), copied from the test template. */
beforeAll(async () => {
  if (process.env.TEST_DB === 'postgres') {
    pgTest = await openTestDatabase();
    env = { DATABASE_URL: pgTest.url! };
  } else {
    mkdirSync(dataDir, { recursive: true });
    const pg = await PGlite.create(path.join(dataDir, 'db'), { loadDataDir: new Blob([readFileSync(inject('pgliteTemplate'))]) });
    await pg.close();
  }
});
afterAll(async () => {
  await pgTest?.drop();
  rmSync(tmp, { recursive: true, force: true });
});

async function chuangwen(args: string[]) {
  const base = { ...process.env };
  delete base.DATABASE_URL;
  const r = await run(process.execPath, [bin, ...args], {
    env: { ...base, CHUANGWEN_DATA_DIR: dataDir, CHUANGWEN_SECRET_KEY: TEST_SECRET, STORAGE: 'local', ...env },
    timeout: 120_000,
  });
  return r.stdout;
}

describe('npx chuangwen remind', () => {
  it('sends the due and overdue reminders of the demo city once per day', async () => {
    const first = await chuangwen(['remind']);
    const m = /已发送提醒 (\d+) 条（即将到期 (\d+)，已超期 (\d+)）/.exec(first);
    expect(m, first).not.toBeNull();
    const [sent, soon, overdue] = m!.slice(1).map(Number);
    expect(sent).toBeGreaterThan(0);
    expect(soon + overdue).toBe(sent);
    expect(overdue).toBeGreaterThan(0);
    expect(await chuangwen(['remind'])).toContain('已发送提醒 0 条');

    const db = env.DATABASE_URL ? await openDatabase({ kind: 'postgres', url: env.DATABASE_URL, poolSize: 1 }) : await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'db') });
    try {
      const { rows } = await db.query<{ n: number; wrong: number }>(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE i.state NOT IN ('dispatched', 'rectifying') OR u.unit_id <> i.responsible_unit_id)::int AS wrong
         FROM notifications n JOIN issues i ON i.id = n.issue_id JOIN users u ON u.id = n.user_id WHERE n.kind IN ('issue_due_soon', 'issue_overdue')`,
      );
      expect(rows[0]).toEqual({ n: sent, wrong: 0 });
    } finally {
      await db.close();
    }
  });
});
