import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { type FileHandle, mkdir, open, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import type { Database } from '../db/client.ts';
import type { Crypto } from './crypto.ts';
import type { Storage } from './storage.ts';

/**
 * Backup and restore that are portable between PGlite and PostgreSQL (issue #2 §8).
 *
 * A backup is a directory:
 *   manifest.json                 written last, so a directory without it is an unfinished backup
 *   tables/<schema>.<table>.ndjson one `to_jsonb(row)::text` per line, ordered by primary key
 *   files.ndjson                  {key, size, sha256} per stored file
 *   files/<key>                   the stored files themselves
 *
 * Rows travel as jsonb text and are never parsed in Node: bigint, numeric, arrays, jsonb and
 * timestamptz (microseconds) keep their exact values, and jsonb_populate_recordset turns them back
 * into typed rows on either driver. jsonb text is canonical (sorted keys, fixed spacing), so the
 * sha256 over a table's lines is the same on PGlite and on PostgreSQL for the same data; restore
 * recomputes it from the database after loading and rolls back on any difference.
 *
 * The secret key is deliberately not in the backup (phone numbers are encrypted with it); the
 * manifest carries a keyed probe so that restore can tell whether the configured key is the same.
 */

export const BACKUP_FORMAT = 'chuangwen-backup';
export const BACKUP_FORMAT_VERSION = 1;
/** rows per INSERT / FETCH; a batch is also cut at BATCH_BYTES so big audit rows keep memory bounded */
const BATCH_ROWS = 5000;
const BATCH_BYTES = 8 * 1024 * 1024;
const KEY_PROBE = 'chuangwen:backup-key-check';
/**
 * Tables that every start fills (roles and point types, server/seed/demo.ts seedBase; inspection item
 * groups, seeded by migration 0020). A database that holds only these counts as empty: restore
 * replaces them with the backup's rows.
 */
const BASE_TABLES = new Set(['public.roles', 'public.point_types', 'public.inspection_item_groups']);
/** schemas that are not application data: drizzle's own bookkeeping is recreated by migrate() */
const SKIP_SCHEMAS = ['pg_catalog', 'information_schema', 'pg_toast', 'drizzle'];

/** A refusal or a failed check, with a message for people (Chinese). */
export class BackupError extends Error {
  constructor(
    message: string,
    readonly code: 'KEY_MISMATCH' | 'NOT_EMPTY' | 'MIGRATIONS_DIFFER' | 'CORRUPT' | 'INVALID' = 'INVALID',
  ) {
    super(message);
  }
}

const TableEntry = z.object({ name: z.string(), file: z.string(), rows: z.number().int().min(0), sha256: z.string() });
const Manifest = z.object({
  format: z.literal(BACKUP_FORMAT),
  formatVersion: z.number().int(),
  createdAt: z.string(),
  appVersion: z.string(),
  database: z.object({ kind: z.enum(['pglite', 'postgres']), serverVersion: z.string() }),
  migrations: z.array(z.object({ hash: z.string(), createdAt: z.string() })),
  tables: z.array(TableEntry),
  sequences: z.array(z.object({ name: z.string(), lastValue: z.string(), isCalled: z.boolean() })),
  files: z.object({ count: z.number().int().min(0), bytes: z.number().int().min(0), list: z.string(), sha256: z.string() }),
  keyCheck: z.object({ hash: z.string(), sample: z.string() }),
});
export type BackupManifest = z.infer<typeof Manifest>;
const FileEntry = z.object({ key: z.string(), size: z.number().int().min(0), sha256: z.string() });

export type BackupSummary = {
  dir: string;
  tables: { name: string; rows: number }[];
  rows: number;
  files: number;
  bytes: number;
};
export type RestoreSummary = BackupSummary & { replacedExisting: boolean };

type Log = (line: string) => void;

// ---------------------------------------------------------------------------------------------
// One connection, one transaction

type Session = { query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: T[] }> };

/** Runs fn inside one transaction on one connection: a pooled client on PostgreSQL, PGlite's own lock when embedded. */
async function inTransaction<T>(database: Database, readOnly: boolean, fn: (s: Session) => Promise<T>): Promise<T> {
  // A repeatable-read snapshot makes a backup of a running PostgreSQL consistent across tables.
  const mode = readOnly ? 'SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY' : null;
  // Fixed output settings, so the canonical text (and its checksum) does not depend on the server's defaults.
  const settings = [
    "SET LOCAL TimeZone = 'UTC'",
    "SET LOCAL DateStyle = 'ISO, YMD'",
    "SET LOCAL IntervalStyle = 'postgres'",
    'SET LOCAL extra_float_digits = 1',
    "SET LOCAL bytea_output = 'hex'",
  ];
  if (database.pool) {
    const client = await database.pool.connect();
    try {
      await client.query('BEGIN');
      if (mode) await client.query(mode);
      for (const s of settings) await client.query(s);
      const session: Session = { query: async (text, params) => (await client.query(text, params)) as never };
      const result = await fn(session);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }
  if (!database.pglite) throw new Error('database has neither a pool nor a PGlite instance');
  return database.pglite.transaction(async (tx) => {
    if (mode) await tx.query(mode);
    for (const s of settings) await tx.query(s);
    return fn({ query: async (text, params) => (await tx.query(text, params)) as never });
  });
}

// ---------------------------------------------------------------------------------------------
// The catalogue, read at run time so that every module's tables are included without a list

type TableInfo = {
  /** "schema.table" */
  name: string;
  /** quoted, schema-qualified */
  sql: string;
  /** columns to insert: all but generated ones */
  insertColumns: string[];
  orderBy: string;
  /** has a foreign key to itself (org_units.parent_id): rows are staged and inserted in one statement */
  isSelfReferencing: boolean;
  dependsOn: string[];
};

const ident = (name: string): string => `"${name.replaceAll('"', '""')}"`;
const qualified = (schema: string, name: string): string => `${ident(schema)}.${ident(name)}`;

async function listTables(s: Session): Promise<TableInfo[]> {
  const tables = await s.query<{ oid: number; schema: string; name: string }>(
    `SELECT c.oid::int AS oid, n.nspname AS schema, c.relname AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND n.nspname <> ALL($1::text[]) AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast%'
      ORDER BY n.nspname, c.relname`,
    [SKIP_SCHEMAS],
  );
  const columns = await s.query<{ oid: number; name: string; generated: string }>(
    `SELECT a.attrelid::int AS oid, a.attname AS name, a.attgenerated::text AS generated
       FROM pg_attribute a WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attrelid, a.attnum`,
    [tables.rows.map((t) => t.oid)],
  );
  const keys = await s.query<{ oid: number; name: string; collatable: boolean }>(
    `SELECT i.indrelid::int AS oid, a.attname AS name, a.attcollation <> 0 AS collatable
       FROM pg_index i
       CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
      WHERE i.indisprimary AND i.indrelid = ANY($1::oid[])
      ORDER BY i.indrelid, k.ord`,
    [tables.rows.map((t) => t.oid)],
  );
  const fks = await s.query<{ child: number; parent: number }>(
    `SELECT conrelid::int AS child, confrelid::int AS parent FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY($1::oid[])`,
    [tables.rows.map((t) => t.oid)],
  );
  const nameOf = new Map(tables.rows.map((t) => [t.oid, `${t.schema}.${t.name}`]));
  return tables.rows.map((t) => {
    const cols = columns.rows.filter((c) => c.oid === t.oid);
    const pk = keys.rows.filter((k) => k.oid === t.oid);
    // Text keys sort by their bytes (COLLATE "C"): the same order on every server whatever its locale.
    const orderBy = pk.length
      ? pk.map((k) => (k.collatable ? `t.${ident(k.name)} COLLATE "C"` : `t.${ident(k.name)}`)).join(', ')
      : `to_jsonb(t)::text COLLATE "C"`;
    const mine = fks.rows.filter((f) => f.child === t.oid);
    return {
      name: `${t.schema}.${t.name}`,
      sql: qualified(t.schema, t.name),
      insertColumns: cols.filter((c) => c.generated === '').map((c) => ident(c.name)),
      orderBy,
      isSelfReferencing: mine.some((f) => f.parent === t.oid),
      dependsOn: [...new Set(mine.filter((f) => f.parent !== t.oid).map((f) => nameOf.get(f.parent) ?? ''))].filter(Boolean),
    };
  });
}

/** Parents before children, from the foreign keys; a cycle between tables cannot be loaded row by row. */
export function loadOrder<T extends { name: string; dependsOn: string[] }>(tables: T[]): T[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: T[] = [];
  const visit = (t: T) => {
    if (done.has(t.name)) return;
    if (visiting.has(t.name)) throw new BackupError(`表之间存在循环外键（涉及 ${t.name}），无法确定恢复顺序`);
    visiting.add(t.name);
    for (const d of t.dependsOn) {
      const parent = byName.get(d);
      if (parent) visit(parent);
    }
    visiting.delete(t.name);
    done.add(t.name);
    out.push(t);
  };
  for (const t of tables) visit(t);
  return out;
}

/** Streams a table's canonical lines (ordered, jsonb text) through a cursor, BATCH_ROWS at a time. */
async function* tableLines(s: Session, table: TableInfo): AsyncGenerator<string[]> {
  const cursor = `cw_backup_cursor`;
  await s.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR SELECT to_jsonb(t)::text AS j FROM ${table.sql} t ORDER BY ${table.orderBy}`);
  try {
    for (;;) {
      const r = await s.query<{ j: string }>(`FETCH FORWARD ${BATCH_ROWS} FROM ${cursor}`);
      if (r.rows.length === 0) break;
      yield r.rows.map((row) => row.j);
    }
  } finally {
    await s.query(`CLOSE ${cursor}`);
  }
}

/** sha256 and row count of a table's canonical content, as written to (and read back from) its file. */
async function digestTable(s: Session, table: TableInfo): Promise<{ rows: number; sha256: string }> {
  const hash = createHash('sha256');
  let rows = 0;
  for await (const batch of tableLines(s, table)) {
    for (const line of batch) hash.update(line + '\n');
    rows += batch.length;
  }
  return { rows, sha256: hash.digest('hex') };
}

async function readMigrations(s: Session): Promise<{ hash: string; createdAt: string }[]> {
  const exists = await s.query<{ t: string | null }>(`SELECT to_regclass('drizzle.__drizzle_migrations')::text AS t`);
  if (!exists.rows[0]?.t) return [];
  const r = await s.query<{ hash: string; created_at: string }>(`SELECT hash, created_at::text AS created_at FROM drizzle.__drizzle_migrations ORDER BY id`);
  return r.rows.map((m) => ({ hash: m.hash, createdAt: m.created_at }));
}

async function listSequences(s: Session): Promise<string[]> {
  const r = await s.query<{ schema: string; name: string }>(
    `SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'S' AND n.nspname <> ALL($1::text[]) AND n.nspname NOT LIKE 'pg_temp%' ORDER BY 1, 2`,
    [SKIP_SCHEMAS],
  );
  return r.rows.map((q) => qualified(q.schema, q.name));
}

// ---------------------------------------------------------------------------------------------
// Files

/** Storage keys are generated by the files module; still, never let one escape the backup directory. */
function fileKeyPath(dir: string, key: string): string {
  const parts = key.split('/');
  if (!key || key.startsWith('/') || key.includes('\\') || parts.some((p) => p === '' || p === '.' || p === '..')) {
    throw new BackupError(`文件键不合法：${key}`);
  }
  return path.join(dir, 'files', ...parts);
}

async function isEmptyDir(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw err;
  }
}

function appVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

async function writeAll(fh: FileHandle, text: string): Promise<void> {
  if (text) await fh.write(text);
}

// ---------------------------------------------------------------------------------------------
// Backup

export type BackupOptions = { database: Database; storage: Storage; crypto: Crypto; dir: string; log?: Log };

/** Writes a full backup of the database and the stored files into dir (which must not exist or be empty). */
export async function createBackup(opts: BackupOptions): Promise<BackupSummary> {
  const { database, storage, crypto } = opts;
  const dir = path.resolve(opts.dir);
  const log = opts.log ?? (() => undefined);
  if (!(await isEmptyDir(dir))) throw new BackupError(`备份目录 ${dir} 已存在且不是空的，请指定一个新目录`);
  await mkdir(path.join(dir, 'tables'), { recursive: true });

  const createdAt = new Date().toISOString();
  const db = await inTransaction(database, true, async (s) => {
    const migrations = await readMigrations(s);
    if (migrations.length === 0) throw new BackupError('数据库尚未迁移，没有可备份的内容（请先运行 npx chuangwen migrate）');
    const version = await s.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
    const tables: BackupManifest['tables'] = [];
    for (const table of await listTables(s)) {
      const file = `tables/${table.name}.ndjson`;
      const fh = await open(path.join(dir, file), 'wx');
      const hash = createHash('sha256');
      let rows = 0;
      try {
        for await (const batch of tableLines(s, table)) {
          const text = batch.map((line) => line + '\n').join('');
          hash.update(text);
          await writeAll(fh, text);
          rows += batch.length;
        }
      } finally {
        await fh.close();
      }
      tables.push({ name: table.name, file, rows, sha256: hash.digest('hex') });
      log(`  表 ${table.name}：${rows} 行`);
    }
    // Sequences are not transactional: a value read here is at least what the snapshot's rows used.
    const sequences: BackupManifest['sequences'] = [];
    for (const seq of await listSequences(s)) {
      const r = await s.query<{ last_value: string; is_called: boolean }>(`SELECT last_value::text AS last_value, is_called FROM ${seq}`);
      sequences.push({ name: seq, lastValue: r.rows[0].last_value, isCalled: r.rows[0].is_called });
    }
    return { migrations, tables, sequences, serverVersion: version.rows[0].v };
  });

  // Files after the database snapshot: a file uploaded meanwhile is an extra, never a missing one.
  const listHash = createHash('sha256');
  const list = await open(path.join(dir, 'files.ndjson'), 'wx');
  let count = 0;
  let bytes = 0;
  try {
    for await (const key of storage.list()) {
      const target = fileKeyPath(dir, key);
      await mkdir(path.dirname(target), { recursive: true });
      const out = await open(target, 'wx');
      const hash = createHash('sha256');
      let size = 0;
      try {
        for await (const chunk of await storage.get(key)) {
          const buf = chunk as Buffer;
          hash.update(buf);
          size += buf.length;
          await out.write(buf);
        }
      } finally {
        await out.close();
      }
      const line = JSON.stringify({ key, size, sha256: hash.digest('hex') }) + '\n';
      listHash.update(line);
      await list.write(line);
      count += 1;
      bytes += size;
    }
  } finally {
    await list.close();
  }
  log(`  文件：${count} 个，${formatBytes(bytes)}`);

  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    formatVersion: BACKUP_FORMAT_VERSION,
    createdAt,
    appVersion: appVersion(),
    database: { kind: database.kind, serverVersion: db.serverVersion },
    migrations: db.migrations,
    tables: db.tables,
    sequences: db.sequences,
    files: { count, bytes, list: 'files.ndjson', sha256: listHash.digest('hex') },
    // A keyed hash and a ciphertext of a fixed text: restore proves it holds the same key without the key being stored.
    keyCheck: { hash: crypto.lookupHash(KEY_PROBE), sample: crypto.encrypt(KEY_PROBE) },
  };
  await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n', { flag: 'wx' });
  return summaryOf(dir, manifest);
}

function summaryOf(dir: string, m: BackupManifest): BackupSummary {
  const tables = m.tables.map((t) => ({ name: t.name, rows: t.rows }));
  return { dir, tables, rows: tables.reduce((n, t) => n + t.rows, 0), files: m.files.count, bytes: m.files.bytes };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

// ---------------------------------------------------------------------------------------------
// Restore

export type RestoreOptions = BackupOptions & {
  /** wipe a database that already holds data */
  force?: boolean;
};

export async function readManifest(dir: string): Promise<BackupManifest> {
  let text: string;
  try {
    text = await readFile(path.join(dir, 'manifest.json'), 'utf8');
  } catch {
    throw new BackupError(`${dir} 中没有 manifest.json：不是备份目录，或备份没有完成`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BackupError('manifest.json 已损坏（不是合法的 JSON）');
  }
  const parsed = Manifest.safeParse(json);
  if (!parsed.success) throw new BackupError(`manifest.json 格式不正确：${parsed.error.issues.map((i) => i.path.join('.')).join('，')}`);
  if (parsed.data.formatVersion > BACKUP_FORMAT_VERSION) {
    throw new BackupError(`备份格式版本 ${parsed.data.formatVersion} 比本程序支持的 ${BACKUP_FORMAT_VERSION} 新，请升级后再恢复`);
  }
  return parsed.data;
}

function checkKey(crypto: Crypto, m: BackupManifest): void {
  let decrypted: string | null = null;
  try {
    decrypted = crypto.decrypt(m.keyCheck.sample);
  } catch {
    decrypted = null;
  }
  if (crypto.lookupHash(KEY_PROBE) !== m.keyCheck.hash || decrypted !== KEY_PROBE) {
    throw new BackupError(
      '密钥与备份时的不一致：手机号等个人信息是用备份时的密钥加密的，用现在的密钥恢复后将无法解密。' +
        '请把备份时的 CHUANGWEN_SECRET_KEY 环境变量（或数据目录下的 secret.key 文件）配置好后再恢复。',
      'KEY_MISMATCH',
    );
  }
}

/** Reads a table file line by line in batches, hashing as it goes. */
async function* fileBatches(file: string, hash: ReturnType<typeof createHash>): AsyncGenerator<string[]> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Number.POSITIVE_INFINITY });
  let batch: string[] = [];
  let size = 0;
  for await (const line of lines) {
    hash.update(line + '\n');
    if (line === '') continue;
    batch.push(line);
    size += line.length;
    if (batch.length >= BATCH_ROWS || size >= BATCH_BYTES) {
      yield batch;
      batch = [];
      size = 0;
    }
  }
  if (batch.length) yield batch;
}

/**
 * Restores a backup into the configured database and storage. Refuses (BackupError) when the key,
 * the migrations or the tables differ from the backup's, or when the database already holds data
 * and force is not set. The database part is one transaction, verified before it commits.
 */
export async function restoreBackup(opts: RestoreOptions): Promise<RestoreSummary> {
  const { database, storage, crypto } = opts;
  const dir = path.resolve(opts.dir);
  const log = opts.log ?? (() => undefined);
  const manifest = await readManifest(dir);
  checkKey(crypto, manifest);

  await database.migrate();
  const preflight = await inTransaction(database, true, async (s) => {
    const migrations = await readMigrations(s);
    const same =
      migrations.length === manifest.migrations.length &&
      migrations.every((m, i) => m.hash === manifest.migrations[i].hash && m.createdAt === manifest.migrations[i].createdAt);
    if (!same) {
      throw new BackupError(
        `数据库结构版本不一致：备份有 ${manifest.migrations.length} 个迁移（程序版本 ${manifest.appVersion}），本程序有 ${migrations.length} 个。` +
          `请用备份时的程序版本恢复，恢复后再升级。`,
        'MIGRATIONS_DIFFER',
      );
    }
    const tables = await listTables(s);
    const here = tables.map((t) => t.name).sort();
    const there = manifest.tables.map((t) => t.name).sort();
    if (here.join('\n') !== there.join('\n')) {
      const missing = there.filter((n) => !here.includes(n));
      const extra = here.filter((n) => !there.includes(n));
      throw new BackupError(`数据表与备份不一致（缺少：${missing.join('、') || '无'}；多出：${extra.join('、') || '无'}）`, 'MIGRATIONS_DIFFER');
    }
    const nonEmpty: string[] = [];
    for (const t of tables) {
      const r = await s.query<{ has: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${t.sql}) AS has`);
      if (r.rows[0].has) nonEmpty.push(t.name);
    }
    return { tables, nonEmpty };
  });
  const holdsData = preflight.nonEmpty.filter((n) => !BASE_TABLES.has(n));
  if (holdsData.length > 0 && !opts.force) {
    throw new BackupError(
      `数据库不是空的：表 ${holdsData.slice(0, 5).join('、')}${holdsData.length > 5 ? ' 等' : ''}已有数据。` +
        '恢复会清除现有的全部数据；确认要覆盖请加 --force。',
      'NOT_EMPTY',
    );
  }

  // Files first: if the database part fails afterwards, the copied files are harmless extras.
  await restoreFiles(dir, manifest, storage, log);

  const order = loadOrder(preflight.tables);
  const expected = new Map(manifest.tables.map((t) => [t.name, t]));
  await inTransaction(database, false, async (s) => {
    // Restore replaces the whole database with an earlier, checksummed state: an operator action
    // at the level of the database owner, outside the application, for which audit_log's
    // append-only triggers (migration 0001) and other user triggers must not fire. DISABLE TRIGGER
    // USER needs only table ownership (unlike session_replication_role, which needs a superuser on
    // managed PostgreSQL), keeps foreign-key checks on, and is transactional: the triggers are back
    // on before COMMIT, and a failed restore rolls the change back with everything else.
    for (const t of order) await s.query(`ALTER TABLE ${t.sql} DISABLE TRIGGER USER`);
    await s.query(`TRUNCATE ${order.map((t) => t.sql).join(', ')}`);
    for (const t of order) {
      const entry = expected.get(t.name)!;
      const hash = createHash('sha256');
      let rows = 0;
      const cols = t.insertColumns.join(', ');
      // A self-referencing table is staged and inserted by one statement: its foreign key is checked at
      // the end of that statement, so parents need not come before children in the file.
      const stage = t.isSelfReferencing ? 'cw_restore_stage' : null;
      if (stage) await s.query(`CREATE TEMP TABLE ${stage} (LIKE ${t.sql}) ON COMMIT DROP`);
      for await (const batch of fileBatches(path.join(dir, entry.file), hash)) {
        await s.query(
          stage
            ? `INSERT INTO ${stage} SELECT * FROM jsonb_populate_recordset(NULL::${t.sql}, $1::jsonb)`
            : `INSERT INTO ${t.sql} (${cols}) OVERRIDING SYSTEM VALUE SELECT ${cols} FROM jsonb_populate_recordset(NULL::${t.sql}, $1::jsonb)`,
          [`[${batch.join(',')}]`],
        );
        rows += batch.length;
      }
      if (stage) {
        await s.query(`INSERT INTO ${t.sql} (${cols}) OVERRIDING SYSTEM VALUE SELECT ${cols} FROM ${stage}`);
        await s.query(`DROP TABLE ${stage}`);
      }
      if (hash.digest('hex') !== entry.sha256 || rows !== entry.rows) {
        throw new BackupError(`备份文件 ${entry.file} 与 manifest 记录的校验值不符：备份已损坏或被修改`, 'CORRUPT');
      }
    }
    for (const t of order) await s.query(`ALTER TABLE ${t.sql} ENABLE TRIGGER USER`);
    for (const q of manifest.sequences) {
      await s.query(`SELECT setval($1::regclass, $2::bigint, $3::boolean)`, [q.name, q.lastValue, q.isCalled]);
    }
    // Read everything back in canonical form: what the database now holds must be what was backed up.
    for (const t of order) {
      const entry = expected.get(t.name)!;
      const got = await digestTable(s, t);
      if (got.sha256 !== entry.sha256 || got.rows !== entry.rows) {
        throw new BackupError(`恢复后校验失败：表 ${t.name} 的内容与备份不一致（${got.rows}/${entry.rows} 行），已回滚`, 'CORRUPT');
      }
      log(`  表 ${t.name}：${entry.rows} 行，校验一致`);
    }
  });
  return { ...summaryOf(dir, manifest), replacedExisting: holdsData.length > 0 };
}

async function restoreFiles(dir: string, manifest: BackupManifest, storage: Storage, log: Log): Promise<void> {
  const listFile = path.join(dir, manifest.files.list);
  const listHash = createHash('sha256');
  const entries: z.infer<typeof FileEntry>[] = [];
  // The list itself is verified before any file is written.
  for await (const batch of fileBatches(listFile, listHash)) {
    for (const line of batch) {
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        json = null;
      }
      const parsed = FileEntry.safeParse(json);
      if (!parsed.success) throw new BackupError(`${manifest.files.list} 格式不正确`, 'CORRUPT');
      entries.push(parsed.data);
    }
  }
  if (listHash.digest('hex') !== manifest.files.sha256 || entries.length !== manifest.files.count) {
    throw new BackupError(`${manifest.files.list} 与 manifest 记录的校验值不符：备份已损坏或被修改`, 'CORRUPT');
  }
  let bytes = 0;
  for (const f of entries) {
    const file = fileKeyPath(dir, f.key);
    const st = await stat(file).catch(() => null);
    if (!st || st.size !== f.size) throw new BackupError(`备份中的文件 ${f.key} 缺失或大小不符`, 'CORRUPT');
    const body = await readFile(file);
    if (createHash('sha256').update(body).digest('hex') !== f.sha256) throw new BackupError(`备份中的文件 ${f.key} 校验值不符：已损坏`, 'CORRUPT');
    await storage.put(f.key, body, 'application/octet-stream');
    // Read back from the configured storage: a quiet S3 or disk failure must not pass as a restore.
    const stored = await storage.getBuffer(f.key);
    if (createHash('sha256').update(stored).digest('hex') !== f.sha256) throw new BackupError(`文件 ${f.key} 写入存储后校验失败`, 'CORRUPT');
    bytes += f.size;
  }
  log(`  文件：${entries.length} 个，${formatBytes(bytes)}，校验一致`);
}
