import type { Database } from '../db/client.ts';
import type { Storage } from './storage.ts';

/**
 * Everything a restore must reproduce, for tests: every application table's rows as sorted
 * canonical jsonb text, found through information_schema rather than a list.
 */
export async function snapshotDatabase(database: Database): Promise<Record<string, string[]>> {
  const tables = await database.query<{ schema: string; name: string }>(
    `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema', 'drizzle')
      ORDER BY 1, 2`,
  );
  const out: Record<string, string[]> = {};
  for (const t of tables.rows) {
    const r = await database.query<{ j: string }>(`SELECT to_jsonb(t)::text AS j FROM "${t.schema}"."${t.name}" t`);
    out[`${t.schema}.${t.name}`] = r.rows.map((row) => row.j).sort();
  }
  return out;
}

/** key → bytes of every stored file */
export async function snapshotStorage(storage: Storage): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for await (const key of storage.list()) out.set(key, await storage.getBuffer(key));
  return out;
}
