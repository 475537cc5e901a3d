import { and, eq, inArray, sql } from 'drizzle-orm';
import { type Executor, rowsOf } from '../../../db/client.ts';
import type { Scope } from '../../../http/policy.ts';
import { userRoles, users } from '../../users/users.tables.ts';
import { gridReadCond, pointReadCond } from '../org.policy.ts';
import { gridWorkers, grids, orgUnits, pointTypes, pointUnits, points } from '../org.tables.ts';

/**
 * All SQL of the Excel import and export. Batch writes keep the invariants the CRUD services keep:
 * points.area_path = the area unit's path, point_units and grid_workers rows, search_text of units.
 */

export type UnitRow = typeof orgUnits.$inferSelect;
export type GridRow = typeof grids.$inferSelect;
export type PointRow = typeof points.$inferSelect;
export type PointTypeRow = typeof pointTypes.$inferSelect;

const CHUNK = 500;
function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Every unit of the city: a city has hundreds, a megacity about ten thousand — small enough to index in memory. */
export async function allUnits(db: Executor): Promise<UnitRow[]> {
  return db.select().from(orgUnits);
}

export async function allPointTypes(db: Executor): Promise<PointTypeRow[]> {
  return db.select().from(pointTypes);
}

export async function gridsByCodes(db: Executor, codes: string[]): Promise<GridRow[]> {
  const out: GridRow[] = [];
  for (const part of chunks([...new Set(codes)])) if (part.length) out.push(...(await db.select().from(grids).where(inArray(grids.code, part))));
  return out;
}

export async function gridsByIds(db: Executor, ids: string[]): Promise<GridRow[]> {
  const out: GridRow[] = [];
  for (const part of chunks([...new Set(ids)])) if (part.length) out.push(...(await db.select().from(grids).where(inArray(grids.id, part))));
  return out;
}

export async function pointsByCodes(db: Executor, codes: string[]): Promise<PointRow[]> {
  const out: PointRow[] = [];
  for (const part of chunks([...new Set(codes)])) if (part.length) out.push(...(await db.select().from(points).where(inArray(points.code, part))));
  return out;
}

export async function workerIdsOfGrids(db: Executor, gridIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const part of chunks(gridIds)) {
    if (!part.length) continue;
    for (const r of await db.select().from(gridWorkers).where(inArray(gridWorkers.gridId, part))) out.set(r.gridId, [...(out.get(r.gridId) ?? []), r.userId]);
  }
  return out;
}

export async function unitIdsOfPoints(db: Executor, pointIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const part of chunks(pointIds)) {
    if (!part.length) continue;
    for (const r of await db.select().from(pointUnits).where(inArray(pointUnits.pointId, part))) out.set(r.pointId, [...(out.get(r.pointId) ?? []), r.unitId]);
  }
  return out;
}

/** Points (active or not) naming each grid: a grid holding points keeps its community. */
export async function pointCountsOfGrids(db: Executor, gridIds: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const part of chunks(gridIds)) {
    if (!part.length) continue;
    const rows = await db
      .select({ gridId: points.gridId, n: sql<number>`count(*)::int` })
      .from(points)
      .where(inArray(points.gridId, part))
      .groupBy(points.gridId);
    for (const r of rows) if (r.gridId) out.set(r.gridId, r.n);
  }
  return out;
}

/** The current 网格员 of grids with their unit paths, to re-check them when a grid changes community. */
export async function workersOfGrids(db: Executor, gridIds: string[]): Promise<Map<string, { username: string; unitPath: string }[]>> {
  const out = new Map<string, { username: string; unitPath: string }[]>();
  for (const part of chunks(gridIds)) {
    if (!part.length) continue;
    const rows = await db
      .select({ gridId: gridWorkers.gridId, username: users.username, unitPath: orgUnits.path })
      .from(gridWorkers)
      .innerJoin(users, eq(users.id, gridWorkers.userId))
      .innerJoin(orgUnits, eq(orgUnits.id, users.unitId))
      .where(inArray(gridWorkers.gridId, part));
    for (const r of rows) out.set(r.gridId, [...(out.get(r.gridId) ?? []), { username: r.username, unitPath: r.unitPath }]);
  }
  return out;
}

export type WorkerCandidate = { id: string; username: string; name: string; phoneHash: string | null; isActive: boolean; unitPath: string; isGridWorker: boolean };

/** Users named in a 网格员 cell, by username or by the keyed hash of a mobile number. */
export async function usersByUsernameOrPhoneHash(db: Executor, usernames: string[], phoneHashes: string[]): Promise<WorkerCandidate[]> {
  if (!usernames.length && !phoneHashes.length) return [];
  const isGridWorker = sql<boolean>`EXISTS (SELECT 1 FROM ${userRoles} r WHERE r.user_id = ${users.id} AND r.role_code = 'grid_worker')`;
  const out: WorkerCandidate[] = [];
  const select = (cond: ReturnType<typeof inArray>) =>
    db
      .select({ id: users.id, username: users.username, name: users.name, phoneHash: users.phoneHash, isActive: users.isActive, unitPath: orgUnits.path, isGridWorker })
      .from(users)
      .innerJoin(orgUnits, eq(orgUnits.id, users.unitId))
      .where(cond);
  for (const part of chunks([...new Set(usernames)])) if (part.length) out.push(...(await select(inArray(users.username, part))));
  for (const part of chunks([...new Set(phoneHashes)])) if (part.length) out.push(...(await select(inArray(users.phoneHash, part))));
  return out;
}

export async function insertUnits(db: Executor, rows: (typeof orgUnits.$inferInsert)[]): Promise<void> {
  // parents come before their children in `rows`, so chunk boundaries never break the foreign key
  for (const part of chunks(rows)) await db.insert(orgUnits).values(part);
}

export async function updateUnitRow(db: Executor, id: string, version: number, data: Partial<typeof orgUnits.$inferInsert>): Promise<UnitRow | undefined> {
  const [row] = await db
    .update(orgUnits)
    .set({ ...data, version: version + 1, updatedAt: new Date() })
    .where(and(eq(orgUnits.id, id), eq(orgUnits.version, version)))
    .returning();
  return row;
}

export async function insertGrids(db: Executor, rows: (typeof grids.$inferInsert)[], workers: (typeof gridWorkers.$inferInsert)[]): Promise<void> {
  for (const part of chunks(rows)) await db.insert(grids).values(part);
  for (const part of chunks(workers)) await db.insert(gridWorkers).values(part);
}

export async function updateGridRow(db: Executor, id: string, version: number, data: Partial<typeof grids.$inferInsert>): Promise<GridRow | undefined> {
  const [row] = await db
    .update(grids)
    .set({ ...data, version: version + 1, updatedAt: new Date() })
    .where(and(eq(grids.id, id), eq(grids.version, version)))
    .returning();
  return row;
}

export async function replaceGridWorkers(db: Executor, gridId: string, userIds: string[]): Promise<void> {
  await db.delete(gridWorkers).where(eq(gridWorkers.gridId, gridId));
  if (userIds.length) await db.insert(gridWorkers).values(userIds.map((userId) => ({ gridId, userId })));
}

export async function insertPoints(db: Executor, rows: (typeof points.$inferInsert)[], units: (typeof pointUnits.$inferInsert)[]): Promise<void> {
  for (const part of chunks(rows)) await db.insert(points).values(part);
  for (const part of chunks(units)) await db.insert(pointUnits).values(part);
}

export async function updatePointRow(db: Executor, id: string, version: number, data: Partial<typeof points.$inferInsert>): Promise<PointRow | undefined> {
  const [row] = await db
    .update(points)
    .set({ ...data, version: version + 1, updatedAt: new Date() })
    .where(and(eq(points.id, id), eq(points.version, version)))
    .returning();
  return row;
}

export async function replacePointUnitRows(db: Executor, pointId: string, unitIds: string[]): Promise<void> {
  await db.delete(pointUnits).where(eq(pointUnits.pointId, pointId));
  if (unitIds.length) await db.insert(pointUnits).values(unitIds.map((unitId) => ({ pointId, unitId })));
}

// ---- export ----

const prefixOf = (scope: Scope) => (scope.isAll ? '/' : scope.rootPath) + '%';

/** Active units of the scope except the root (the city itself is no import row: it has no parent). */
export async function exportUnits(db: Executor, scope: Scope) {
  const res = await db.execute(sql`
    SELECT u.name, u.kind, u.sub_kind, p.name AS parent_name, p.division_code AS parent_code, u.division_code, u.credit_code,
           u.address, u.population, u.contact_name, u.contact_phone_enc
    FROM org_units u LEFT JOIN org_units p ON p.id = u.parent_id
    WHERE u.is_active AND u.parent_id IS NOT NULL AND u.path LIKE ${prefixOf(scope)}
    ORDER BY u.depth, u.sort, u.name`);
  return rowsOf<{
    name: string;
    kind: string;
    sub_kind: string | null;
    parent_name: string | null;
    parent_code: string | null;
    division_code: string | null;
    credit_code: string | null;
    address: string | null;
    population: number | null;
    contact_name: string | null;
    contact_phone_enc: string | null;
  }>(res);
}

/** Grids visible to the scope, by the same rule as the grids API (org.policy gridReadCond). */
export async function exportGrids(db: Executor, scope: Scope) {
  const res = await db.execute(sql`
    SELECT g.code, g.name, c.name AS community_name, g.households,
           (SELECT string_agg(u.username, '、' ORDER BY u.username) FROM grid_workers w JOIN users u ON u.id = w.user_id WHERE w.grid_id = g.id) AS workers
    FROM grids g JOIN org_units c ON c.id = g.community_id
    WHERE g.is_active AND ${gridReadCond(scope) ?? sql`true`}
    ORDER BY g.code`);
  return rowsOf<{ code: string; name: string; community_name: string; households: number | null; workers: string | null }>(res);
}

/** Points visible to the scope, by the same rule as the points API (org.policy pointReadCond). */
export async function exportPoints(db: Executor, scope: Scope) {
  const res = await db.execute(sql`
    SELECT p.code, p.name, t.name AS type_name, p.address, p.lng, p.lat, a.name AS area_name, g.code AS grid_code, p.is_key,
           (SELECT string_agg(u.name, '、' ORDER BY u.name) FROM point_units pu JOIN org_units u ON u.id = pu.unit_id WHERE pu.point_id = p.id) AS units
    FROM points p
    JOIN point_types t ON t.id = p.type_id
    JOIN org_units a ON a.id = p.area_unit_id
    LEFT JOIN grids g ON g.id = p.grid_id
    WHERE p.is_active AND ${pointReadCond(scope) ?? sql`true`}
    ORDER BY p.code`);
  return rowsOf<{
    code: string;
    name: string;
    type_name: string;
    address: string;
    lng: number;
    lat: number;
    area_name: string;
    grid_code: string | null;
    is_key: boolean;
    units: string | null;
  }>(res);
}

export async function rootUnitPath(db: Executor): Promise<string | undefined> {
  const [row] = await db.select({ path: orgUnits.path }).from(orgUnits).where(sql`${orgUnits.parentId} IS NULL`).limit(1);
  return row?.path;
}
