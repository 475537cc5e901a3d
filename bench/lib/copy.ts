import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from '../../server/db/client.ts';

export type Cell = string | number | boolean | null | undefined | object;
export type RowObject = Record<string, Cell>;

/** One value in PostgreSQL's COPY text format. */
export function copyCell(v: Cell): string {
  if (v === null || v === undefined) return '\\N';
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

type ColumnInfo = { column_name: string; is_nullable: 'YES' | 'NO'; column_default: string | null };

/**
 * Which of the row's keys the table has. Fails clearly when the table has a required column the
 * generator does not fill (a migration added one: teach bench/seed.ts about it).
 * `optional` keys are dropped when the table lacks them (columns other modules may add later).
 */
export async function columnsFor(database: Database, table: string, keys: string[], optional: string[] = []): Promise<string[]> {
  const { rows } = await database.query<ColumnInfo>(
    `SELECT column_name, is_nullable, column_default FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`,
    [table],
  );
  if (rows.length === 0) throw new Error(`table ${table} does not exist: did the migrations run?`);
  const have = new Set(rows.map((r) => r.column_name));
  const missing = keys.filter((k) => !have.has(k) && !optional.includes(k));
  if (missing.length) throw new Error(`table ${table} has no column(s) ${missing.join(', ')}`);
  const cols = keys.filter((k) => have.has(k));
  const required = rows.filter((r) => r.is_nullable === 'NO' && r.column_default === null && !cols.includes(r.column_name)).map((r) => r.column_name);
  if (required.length) throw new Error(`table ${table} requires column(s) ${required.join(', ')} that bench/seed.ts does not generate`);
  return cols;
}

function* lines(rows: readonly RowObject[], cols: string[], batch = 2_000): Generator<string> {
  let buf: string[] = [];
  for (const r of rows) {
    buf.push(cols.map((c) => copyCell(r[c])).join('\t'));
    if (buf.length >= batch) {
      yield buf.join('\n') + '\n';
      buf = [];
    }
  }
  if (buf.length) yield buf.join('\n') + '\n';
}

/** Loads rows into a table with COPY (pg-copy-streams on PostgreSQL, a blob on PGlite). */
export async function copyRows(database: Database, table: string, rows: readonly RowObject[], optional: string[] = []): Promise<number> {
  if (rows.length === 0) return 0;
  const cols = await columnsFor(database, table, Object.keys(rows[0]), optional);
  const sql = `COPY ${table} (${cols.map((c) => `"${c}"`).join(', ')}) FROM STDIN`;
  if (database.pool) {
    const client = await database.pool.connect();
    try {
      await pipeline(Readable.from(lines(rows, cols)), client.query(copyFrom(sql)));
    } finally {
      client.release();
    }
  } else if (database.pglite) {
    const blob = new Blob([...lines(rows, cols)]);
    await database.pglite.query(sql.replace('FROM STDIN', "FROM '/dev/blob'"), [], { blob });
  } else {
    throw new Error('copyRows: unknown database kind');
  }
  return rows.length;
}
