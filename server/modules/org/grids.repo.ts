import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { ListGridsQuery } from '../../../contracts/places.ts';
import { type Executor, rowsOf } from '../../db/client.ts';
import type { Scope } from '../../http/policy.ts';
import { users } from '../users/users.tables.ts';
import { gridReadCond } from './org.policy.ts';
import { type GeoPolygon, gridWorkers, grids } from './org.tables.ts';

export type GridRow = typeof grids.$inferSelect;
export type GridViewRow = {
  id: string;
  code: string;
  name: string;
  community_id: string;
  community_name: string;
  households: number | null;
  polygon: GeoPolygon | null;
  point_count: number;
  is_active: boolean;
  version: number;
  total?: number;
};
export type WorkerRow = { gridId: string; id: string; name: string; phoneEnc: string | null };

const like = (s: string) => `%${s.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

const viewColumns = sql`g.id, g.code, g.name, g.community_id, c.name AS community_name, g.households, g.polygon,
  (SELECT count(*)::int FROM points gp WHERE gp.grid_id = g.id AND gp.is_active) AS point_count, g.is_active, g.version`;

export async function listGrids(db: Executor, scope: Scope, q: ListGridsQuery, areaPath: string | null) {
  const where: SQL[] = [];
  const scopeCond = gridReadCond(scope);
  if (scopeCond) where.push(scopeCond);
  if (areaPath) where.push(sql`c.path LIKE ${`${areaPath}%`}`);
  if (q.q) where.push(sql`(g.name ILIKE ${like(q.q)} OR g.code ILIKE ${like(q.q)})`);
  if (q.workerId) where.push(sql`EXISTS (SELECT 1 FROM grid_workers fw WHERE fw.grid_id = g.id AND fw.user_id = ${q.workerId})`);
  if (!q.includeInactive) where.push(sql`g.is_active`);
  const cond = where.length ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``;
  const res = await db.execute(sql`
    SELECT ${viewColumns}, count(*) OVER ()::int AS total
    FROM grids g JOIN org_units c ON c.id = g.community_id
    ${cond}
    ORDER BY g.code, g.id
    LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`);
  const items = rowsOf<GridViewRow>(res);
  let total = items[0]?.total ?? 0;
  if (items.length === 0 && q.page > 1) {
    const [r] = rowsOf<{ n: number }>(await db.execute(sql`SELECT count(*)::int AS n FROM grids g JOIN org_units c ON c.id = g.community_id ${cond}`));
    total = r.n;
  }
  return { items, total };
}

/** One grid as the API shows it, or undefined; `scope` limits to what the actor may read. */
export async function getGridView(db: Executor, id: string, scope?: Scope): Promise<GridViewRow | undefined> {
  const scopeCond = scope ? gridReadCond(scope) : undefined;
  const res = await db.execute(sql`
    SELECT ${viewColumns} FROM grids g JOIN org_units c ON c.id = g.community_id
    WHERE g.id = ${id} ${scopeCond ? sql`AND ${scopeCond}` : sql``}`);
  return rowsOf<GridViewRow>(res)[0];
}

export async function getGrid(db: Executor, id: string, forUpdate = false): Promise<GridRow | undefined> {
  const q = db.select().from(grids).where(eq(grids.id, id));
  const [row] = forUpdate ? await q.for('update') : await q;
  return row;
}

export async function workersOf(db: Executor, gridIds: string[]): Promise<WorkerRow[]> {
  if (gridIds.length === 0) return [];
  return db
    .select({ gridId: gridWorkers.gridId, id: users.id, name: users.name, phoneEnc: users.phoneEnc })
    .from(gridWorkers)
    .innerJoin(users, eq(users.id, gridWorkers.userId))
    .where(inArray(gridWorkers.gridId, gridIds))
    .orderBy(users.name);
}

/** Active users holding role grid_worker whose unit is the community or lies under it. */
export async function eligibleWorkers(db: Executor, communityPath: string, ids?: string[]) {
  const res = await db.execute(sql`
    SELECT u.id, u.name, u.phone_enc FROM users u JOIN org_units o ON o.id = u.unit_id
    WHERE u.is_active AND o.path LIKE ${`${communityPath}%`}
      AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role_code = 'grid_worker')
      ${ids ? sql`AND u.id IN (${sql.join(ids.length ? ids.map((i) => sql`${i}`) : [sql`NULL`], sql`, `)})` : sql``}
    ORDER BY u.name LIMIT 500`);
  return rowsOf<{ id: string; name: string; phone_enc: string | null }>(res);
}

export async function insertGrid(db: Executor, row: typeof grids.$inferInsert): Promise<GridRow> {
  const [created] = await db.insert(grids).values(row).returning();
  return created;
}

export async function updateGrid(db: Executor, id: string, version: number, data: Partial<typeof grids.$inferInsert>) {
  const [row] = await db
    .update(grids)
    .set({ ...data, version: version + 1, updatedAt: new Date() })
    .where(and(eq(grids.id, id), eq(grids.version, version)))
    .returning();
  return row;
}

export async function workerIdsOf(db: Executor, gridId: string): Promise<string[]> {
  const rows = await db.select({ id: gridWorkers.userId }).from(gridWorkers).where(eq(gridWorkers.gridId, gridId));
  return rows.map((r) => r.id).sort();
}

export async function replaceWorkers(db: Executor, gridId: string, userIds: string[]) {
  await db.delete(gridWorkers).where(eq(gridWorkers.gridId, gridId));
  if (userIds.length) await db.insert(gridWorkers).values(userIds.map((userId) => ({ gridId, userId })));
}

/** Points (active or not) that name the grid. */
export async function countPoints(db: Executor, gridId: string): Promise<number> {
  const [r] = rowsOf<{ n: number }>(await db.execute(sql`SELECT count(*)::int AS n FROM points WHERE grid_id = ${gridId}`));
  return r.n;
}
