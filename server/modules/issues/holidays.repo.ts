import { asc, eq, gte, sql } from 'drizzle-orm';
import { calendarOf, type HolidayCalendar } from '../../../domain/working-days.ts';
import type { Executor } from '../../db/client.ts';
import { holidays } from './holidays.tables.ts';

export type HolidayRow = typeof holidays.$inferSelect;

export async function listHolidays(db: Executor, year?: number): Promise<HolidayRow[]> {
  const q = db.select().from(holidays);
  const filtered = year ? q.where(sql`${holidays.date} >= ${`${year}-01-01`} AND ${holidays.date} <= ${`${year}-12-31`}`) : q;
  return filtered.orderBy(asc(holidays.date));
}

export async function getHoliday(db: Executor, id: string): Promise<HolidayRow | undefined> {
  const [row] = await db.select().from(holidays).where(eq(holidays.id, id));
  return row;
}

export async function getHolidayByDate(db: Executor, date: string, forUpdate = false): Promise<HolidayRow | undefined> {
  const q = db.select().from(holidays).where(eq(holidays.date, date));
  const [row] = forUpdate ? await q.for('update') : await q;
  return row;
}

/** Inserts or replaces the entry of a date. */
export async function upsertHoliday(db: Executor, row: { id: string; date: string; kind: string; name: string }): Promise<HolidayRow> {
  const [r] = await db
    .insert(holidays)
    .values(row)
    .onConflictDoUpdate({ target: holidays.date, set: { kind: row.kind, name: row.name, updatedAt: new Date() } })
    .returning();
  return r;
}

export async function deleteHoliday(db: Executor, id: string): Promise<void> {
  await db.delete(holidays).where(eq(holidays.id, id));
}

/** The calendar from a date on (deadlines only look forward; a year back covers backdated work). */
export async function loadCalendar(db: Executor, from = '1970-01-01'): Promise<HolidayCalendar> {
  const rows = await db.select({ date: holidays.date, kind: holidays.kind }).from(holidays).where(gte(holidays.date, from));
  return calendarOf(rows);
}
