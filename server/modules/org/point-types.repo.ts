import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { pointTypes } from './org.tables.ts';

export type PointTypeRow = typeof pointTypes.$inferSelect;

const pointCount = sql<number>`(SELECT count(*)::int FROM points p WHERE p.type_id = point_types.id AND p.is_active)`;

export async function listPointTypes(db: Executor, includeInactive: boolean) {
  return db
    .select({ type: pointTypes, pointCount })
    .from(pointTypes)
    .where(includeInactive ? undefined : eq(pointTypes.isActive, true))
    .orderBy(pointTypes.sort, pointTypes.code);
}

export async function getPointType(db: Executor, id: string, forUpdate = false): Promise<PointTypeRow | undefined> {
  const q = db.select().from(pointTypes).where(eq(pointTypes.id, id));
  const [row] = forUpdate ? await q.for('update') : await q;
  return row;
}

export async function countPointsOfType(db: Executor, id: string): Promise<number> {
  const [r] = await db.select({ n: pointCount }).from(pointTypes).where(eq(pointTypes.id, id));
  return r?.n ?? 0;
}

export async function insertPointType(db: Executor, row: typeof pointTypes.$inferInsert): Promise<PointTypeRow> {
  const [created] = await db.insert(pointTypes).values(row).returning();
  return created;
}

/** Optimistic update: undefined when the version no longer matches. */
export async function updatePointType(db: Executor, id: string, version: number, data: Partial<typeof pointTypes.$inferInsert>) {
  const [row] = await db
    .update(pointTypes)
    .set({ ...data, version: version + 1, updatedAt: new Date() })
    .where(and(eq(pointTypes.id, id), eq(pointTypes.version, version)))
    .returning();
  return row;
}
