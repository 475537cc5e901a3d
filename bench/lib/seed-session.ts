import type { Database } from '../../server/db/client.ts';

export type Query = <T>(text: string, params?: unknown[]) => Promise<{ rows: T[] }>;

/**
 * Runs a generator on ONE connection (its temp tables live there) with triggers and foreign-key
 * checks off (`session_replication_role = replica`: trusted, generated data; several times faster
 * at millions of rows). Temp tables named by `temps` are dropped afterwards.
 */
export async function withSeedSession<R>(database: Database, temps: string[], run: (q: Query) => Promise<R>): Promise<R> {
  const client = database.pool ? await database.pool.connect() : undefined;
  const q: Query = <T>(text: string, params?: unknown[]) =>
    client ? (client.query(text, params) as unknown as Promise<{ rows: T[] }>) : database.query<T>(text, params);
  try {
    await q(`SET session_replication_role = replica`).catch(() => console.warn('  (not a superuser: triggers and foreign keys stay on)'));
    return await run(q);
  } finally {
    await q(`RESET session_replication_role`).catch(() => undefined);
    if (temps.length) await q(`DROP TABLE IF EXISTS ${temps.join(', ')}`).catch(() => undefined);
    client?.release();
  }
}
