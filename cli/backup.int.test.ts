import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../server/db/client.ts';
import { snapshotDatabase } from '../server/lib/backup.testing.ts';
import { TEST_PASSWORD, TEST_SECRET } from '../server/test/constants.ts';

const run = promisify(execFile);
const bin = path.resolve(import.meta.dirname, '../bin/chuangwen.mjs');

/** Runs `node bin/chuangwen.mjs …` on an embedded data directory; never throws, returns the exit code. */
async function chuangwen(dataDir: string, args: string[], env: Record<string, string> = { CHUANGWEN_SECRET_KEY: TEST_SECRET }) {
  const base = { ...process.env };
  delete base.DATABASE_URL;
  delete base.CHUANGWEN_SECRET_KEY;
  try {
    const r = await run(process.execPath, [bin, ...args], {
      env: { ...base, CHUANGWEN_DATA_DIR: dataDir, STORAGE: 'local', CHUANGWEN_DEMO_PASSWORD: TEST_PASSWORD, ...env },
      timeout: 200_000,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

async function snapshotDataDir(dataDir: string) {
  const database = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'db') });
  try {
    return await snapshotDatabase(database);
  } finally {
    await database.close();
  }
}

describe('npx chuangwen backup / restore', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'cw-cli-backup-'));
  const source = path.join(tmp, 'source');
  const target = path.join(tmp, 'target');
  const out = path.join(tmp, 'backup');
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('backs up an embedded installation with its files and restores it elsewhere identically', async () => {
    const seeded = await chuangwen(source, ['seed', 'demo']);
    expect(seeded.code, seeded.stderr).toBe(0);
    mkdirSync(path.join(source, 'files', '2026', '11'), { recursive: true });
    const photo = Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 251));
    writeFileSync(path.join(source, 'files', '2026', '11', 'photo.jpg'), photo);

    const backup = await chuangwen(source, ['backup', out]);
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toContain('备份完成');
    expect(backup.stdout).toContain('CHUANGWEN_SECRET_KEY');

    const restore = await chuangwen(target, ['restore', out]);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toContain('恢复完成');

    expect(await snapshotDataDir(target)).toEqual(await snapshotDataDir(source));
    expect(readFileSync(path.join(target, 'files', '2026', '11', 'photo.jpg')).equals(photo)).toBe(true);
  }, 400_000);

  it('refuses a non-empty database without --force, and a different key', async () => {
    const again = await chuangwen(target, ['restore', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('数据库不是空的');
    const forced = await chuangwen(target, ['restore', out, '--force']);
    expect(forced.code, forced.stderr).toBe(0);

    // no CHUANGWEN_SECRET_KEY: a new key is generated into the data directory, which cannot decrypt the backup
    const otherKey = await chuangwen(path.join(tmp, 'other'), ['restore', out], {});
    expect(otherKey.code).toBe(2);
    expect(otherKey.stderr).toContain('密钥与备份时的不一致');
    expect(otherKey.stderr).toContain('secret.key');
  }, 400_000);

  it('refuses to back up into a directory that is not empty', async () => {
    const r = await chuangwen(source, ['backup', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('不是空的');
  }, 60_000);
});
