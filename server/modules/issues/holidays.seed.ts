import { sql } from 'drizzle-orm';
import { CN_HOLIDAYS_2026 } from '../../../domain/cn-holidays.ts';
import { rowsOf, type Executor } from '../../db/client.ts';
import { newId } from '../../lib/ids.ts';
import { holidays } from './holidays.tables.ts';

/** Seeds the official 2026 arrangement once (when the calendar has no 2026 date at all); later edits stay. */
export async function seedHolidays(db: Executor): Promise<void> {
  const res = await db.execute(sql`SELECT 1 FROM holidays WHERE date BETWEEN '2026-01-01' AND '2026-12-31' LIMIT 1`);
  if (rowsOf(res).length > 0) return;
  await db
    .insert(holidays)
    .values(CN_HOLIDAYS_2026.map((h) => ({ id: newId(), date: h.date, kind: h.kind, name: h.name })))
    .onConflictDoNothing();
}
