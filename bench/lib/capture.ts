import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import type { Database, Db } from '../../server/db/client.ts';
import * as schema from '../../server/db/schema.ts';

export type Statement = { sql: string; params: unknown[] };

const capture: { on: boolean; log: Statement[] } = { on: false, log: [] };

/**
 * The app's Drizzle client on the bench pool, recording every statement while a capture runs
 * (when none runs, the logger returns at once): the baselines replay exactly what a request ran.
 */
export function capturingDb(pool: pg.Pool): Db {
  return drizzle({
    client: pool,
    schema,
    logger: {
      logQuery(query: string, params: unknown[]) {
        if (capture.on) capture.log.push({ sql: query, params });
      },
    },
  }) as unknown as Db;
}

/** The statements run through capturingDb while `run` runs (requests must not overlap). */
export async function captureStatements(run: () => Promise<void>): Promise<Statement[]> {
  capture.log = [];
  capture.on = true;
  try {
    await run();
  } finally {
    capture.on = false;
  }
  return capture.log;
}

/** Runs captured statements one after another, as the request did. */
export async function replay(query: Database['query'], statements: Statement[]): Promise<void> {
  for (const s of statements) await query(s.sql, s.params);
}
