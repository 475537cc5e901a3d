import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Database, openDatabase } from '../db/client.ts';
import { TEST_SECRET } from '../test/constants.ts';
import { withDb } from '../test/global-setup.ts';
import { openTestDatabase } from '../test/harness.ts';
import { BackupError, createBackup, loadOrder, readManifest, restoreBackup } from './backup.ts';
import { snapshotDatabase, snapshotStorage } from './backup.testing.ts';
import { Crypto } from './crypto.ts';
import { LocalStorage } from './storage.ts';

const isPostgres = process.env.TEST_DB === 'postgres';
const crypto = new Crypto(Buffer.from(TEST_SECRET, 'base64'));

/** A new, empty PostgreSQL database (named so that global-setup's teardown also drops it). */
async function createPostgresDatabase(suffix: string): Promise<{ database: Database; drop(): Promise<void> }> {
  const base = inject('pgUrl');
  const name = `cw_t_${process.ppid}_${process.pid}_${suffix}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  const database = await openDatabase({ kind: 'postgres', url: withDb(base, name), poolSize: 3 });
  return {
    database,
    drop: async () => {
      await database.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

async function maxAuditId(database: Database): Promise<number> {
  const r = await database.query<{ id: string | null }>('SELECT max(id)::text AS id FROM audit_log');
  return Number(r.rows[0].id ?? 0);
}

describe('backup and restore', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'cw-backup-'));
  const backupDir = path.join(tmp, 'backup');
  let source: Awaited<ReturnType<typeof openTestDatabase>>;
  let sourceStorage: LocalStorage;
  let expected: Record<string, string[]>;
  let expectedFiles: Map<string, Buffer>;
  let target: Database;
  let targetStorage: LocalStorage;

  beforeAll(async () => {
    source = await openTestDatabase();
    const q = source.database.query;
    // Values that a lossy dump would change: microseconds, a bigint beyond 2^53 inside jsonb,
    // unicode and escapes, doubles that need 17 digits, NULLs and arrays.
    await q(
      `INSERT INTO audit_log (at, actor_name, action, entity, entity_id, before, after)
       VALUES ('2026-11-21 13:14:15.123456+08', '测试「引号」"\\n', 'backup.test', 'system', NULL,
               '{"big": 123456789012345678901234567890, "f": 0.1, "nested": {"a": [1, null, "二"]}}', NULL)`,
    );
    await q(`INSERT INTO settings (key, value) VALUES ('backup-test', $1::jsonb)`, [JSON.stringify({ s: 'tab\there\nnewline ✓', n: 1.0000000000000002 })]);
    await q(`UPDATE points SET lng = 116.39742812345679, lat = -0.000000000000001 WHERE id = (SELECT id FROM points ORDER BY id LIMIT 1)`);
    sourceStorage = new LocalStorage(path.join(tmp, 'source-files'));
    await sourceStorage.put('2026/11/photo.jpg', randomBytes(200_000));
    await sourceStorage.put('2026/11/photo.thumb.webp', randomBytes(3_000));
    await sourceStorage.put('readme.txt', Buffer.from('创文通 文件\n'));
    expected = await snapshotDatabase(source.database);
    expectedFiles = await snapshotStorage(sourceStorage);

    target = await openDatabase({ kind: 'pglite' });
    targetStorage = new LocalStorage(path.join(tmp, 'target-files'));
  });

  afterAll(async () => {
    await target?.close();
    await source?.drop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('writes a manifest with migrations, per-table counts and checksums, files and a key probe', async () => {
    const s = await createBackup({ database: source.database, storage: sourceStorage, crypto, dir: backupDir });
    expect(s.files).toBe(3);
    const m = await readManifest(backupDir);
    expect(m.database.kind).toBe(source.database.kind);
    expect(m.migrations.length).toBeGreaterThanOrEqual(2);
    expect(m.tables.map((t) => t.name)).toContain('public.audit_log');
    expect(m.tables.map((t) => t.name)).not.toContain('drizzle.__drizzle_migrations');
    for (const t of m.tables) expect(t.rows).toBe(expected[t.name].length);
    expect(m.sequences.map((q) => q.name)).toContain('"public"."audit_log_id_seq"');
    // the key itself is not in the backup
    expect(readFileSync(path.join(backupDir, 'manifest.json'), 'utf8')).not.toContain(TEST_SECRET);
    await expect(createBackup({ database: source.database, storage: sourceStorage, crypto, dir: backupDir })).rejects.toThrow(/不是空的/);
  });

  it('restores into a fresh PGlite identically: rows, sequences, files, triggers', async () => {
    const s = await restoreBackup({ database: target, storage: targetStorage, crypto, dir: backupDir });
    expect(s.replacedExisting).toBe(false);
    expect(await snapshotDatabase(target)).toEqual(expected);
    expect(await snapshotStorage(targetStorage)).toEqual(expectedFiles);

    const before = await maxAuditId(target);
    expect(before).toBe(await maxAuditId(source.database));
    const r = await target.query<{ id: string }>(`INSERT INTO audit_log (action, entity) VALUES ('after.restore', 'system') RETURNING id::text AS id`);
    expect(Number(r.rows[0].id)).toBeGreaterThan(before);
    // append-only is back on after the restore transaction
    await expect(target.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
  });

  it('refuses a database that holds data unless forced, and then replaces it exactly', async () => {
    await expect(restoreBackup({ database: target, storage: targetStorage, crypto, dir: backupDir })).rejects.toThrow(/不是空的.*--force/);
    await target.query(`INSERT INTO settings (key, value) VALUES ('extra', '1')`);
    const s = await restoreBackup({ database: target, storage: targetStorage, crypto, dir: backupDir, force: true });
    expect(s.replacedExisting).toBe(true);
    expect(await snapshotDatabase(target)).toEqual(expected);
  });

  it('refuses a different secret key before touching anything', async () => {
    const other = new Crypto(randomBytes(32));
    const err = await restoreBackup({ database: target, storage: targetStorage, crypto: other, dir: backupDir, force: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackupError);
    expect((err as Error).message).toMatch(/密钥与备份时的不一致/);
  });

  it('refuses a backup whose migrations differ from this version', async () => {
    const copy = path.join(tmp, 'other-migrations');
    cpSync(backupDir, copy, { recursive: true });
    const file = path.join(copy, 'manifest.json');
    const m = JSON.parse(readFileSync(file, 'utf8'));
    m.migrations.push({ hash: 'f'.repeat(64), createdAt: '1900000000000' });
    writeFileSync(file, JSON.stringify(m));
    await expect(restoreBackup({ database: target, storage: targetStorage, crypto, dir: copy, force: true })).rejects.toThrow(/结构版本不一致/);
  });

  it('rolls back on a corrupted table file and leaves the database as it was', async () => {
    const copy = path.join(tmp, 'corrupt');
    cpSync(backupDir, copy, { recursive: true });
    const file = path.join(copy, 'tables', 'public.settings.ndjson');
    writeFileSync(file, readFileSync(file, 'utf8').replace('tab\\there', 'tab\\tHERE'));
    await target.query(`INSERT INTO settings (key, value) VALUES ('marker', '2')`);
    const before = await snapshotDatabase(target);
    await expect(restoreBackup({ database: target, storage: targetStorage, crypto, dir: copy, force: true })).rejects.toThrow(/校验/);
    expect(await snapshotDatabase(target)).toEqual(before);
  });

  it.runIf(isPostgres)(
    'round-trips PostgreSQL → PGlite → a new PostgreSQL database',
    async () => {
      // the PGlite target holds the restored backup plus the rows the tests above added: restore it cleanly first
      await restoreBackup({ database: target, storage: targetStorage, crypto, dir: backupDir, force: true });
      const fromPglite = path.join(tmp, 'from-pglite');
      await createBackup({ database: target, storage: targetStorage, crypto, dir: fromPglite });
      expect((await readManifest(fromPglite)).database.kind).toBe('pglite');
      const pgTarget = await createPostgresDatabase('bk');
      try {
        const pgStorage = new LocalStorage(path.join(tmp, 'pg-files'));
        await restoreBackup({ database: pgTarget.database, storage: pgStorage, crypto, dir: fromPglite });
        expect(await snapshotDatabase(pgTarget.database)).toEqual(expected);
        expect(await snapshotStorage(pgStorage)).toEqual(expectedFiles);
        const before = await maxAuditId(pgTarget.database);
        const r = await pgTarget.database.query<{ id: string }>(`INSERT INTO audit_log (action, entity) VALUES ('x', 'y') RETURNING id::text AS id`);
        expect(Number(r.rows[0].id)).toBeGreaterThan(before);
        // the manifests of both hops agree table by table
        const a = await readManifest(backupDir);
        const b = await readManifest(fromPglite);
        expect(b.tables).toEqual(a.tables);
      } finally {
        await pgTarget.drop();
      }
    },
    120_000,
  );
});

describe('loadOrder', () => {
  it('puts parents before children and rejects cycles', () => {
    const order = loadOrder([
      { name: 'c', dependsOn: ['b'] },
      { name: 'b', dependsOn: ['a'] },
      { name: 'a', dependsOn: [] },
    ]).map((t) => t.name);
    expect(order).toEqual(['a', 'b', 'c']);
    expect(() =>
      loadOrder([
        { name: 'a', dependsOn: ['b'] },
        { name: 'b', dependsOn: ['a'] },
      ]),
    ).toThrow(BackupError);
  });
});
