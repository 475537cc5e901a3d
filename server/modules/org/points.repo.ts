import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { ListPointsQuery } from '../../../contracts/places.ts';
import { type Executor, rowsOf } from '../../db/client.ts';
import type { Scope } from '../../http/policy.ts';
import { pointReadCond } from './org.policy.ts';
import { pointUnits, points } from './org.tables.ts';

export type PointRow = typeof points.$inferSelect;
export type PointViewRow = {
  id: string;
  code: string;
  name: string;
  type_id: string;
  type_name: string;
  address: string;
  lng: number;
  lat: number;
  area_unit_id: string;
  area_unit_name: string;
  area_path_names: string | null;
  grid_id: string | null;
  grid_name: string | null;
  units: { id: string; name: string }[] | string;
  is_key: boolean;
  is_active: boolean;
  version: number;
  total?: number;
};
export type MarkerRow = { id: string; name: string; address: string; type_name: string; lng: number; lat: number; is_key: boolean };

/** Filters of the list and the map; `areaPath` is the path of q.areaUnitId, resolved by the service. */
export type PointFilter = Omit<ListPointsQuery, 'page' | 'pageSize' | 'areaUnitId'> & { areaPath?: string | null };

const like = (s: string) => `%${s.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

function conditions(scope: Scope, f: PointFilter): SQL {
  const where: SQL[] = [];
  const scopeCond = pointReadCond(scope);
  if (scopeCond) where.push(scopeCond);
  if (f.areaPath) where.push(sql`p.area_path LIKE ${`${f.areaPath}%`}`);
  if (f.typeId) where.push(sql`p.type_id = ${f.typeId}`);
  if (f.gridId) where.push(sql`p.grid_id = ${f.gridId}`);
  if (f.unitId) where.push(sql`p.id IN (SELECT fu.point_id FROM point_units fu WHERE fu.unit_id = ${f.unitId})`);
  if (f.isKey !== undefined) where.push(sql`p.is_key = ${f.isKey}`);
  if (f.q) where.push(sql`(p.name ILIKE ${like(f.q)} OR p.address ILIKE ${like(f.q)} OR p.code ILIKE ${like(f.q)})`);
  if (!f.includeInactive) where.push(sql`p.is_active`);
  return where.length ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``;
}

/** Columns of a point as the API shows it, over `points p` joined with t (type), a (area), g (grid). */
const viewColumns = sql`p.id, p.code, p.name, p.type_id, t.name AS type_name, p.address, p.lng, p.lat,
  p.area_unit_id, a.name AS area_unit_name,
  (SELECT string_agg(an.name, ' / ' ORDER BY an.depth) FROM org_units an
    WHERE an.id = ANY (string_to_array(trim(BOTH '/' FROM p.area_path), '/')::uuid[]) AND an.depth > 0) AS area_path_names,
  p.grid_id, g.name AS grid_name,
  coalesce((SELECT json_agg(json_build_object('id', u.id, 'name', u.name) ORDER BY u.sort, u.name)
    FROM point_units pu JOIN org_units u ON u.id = pu.unit_id WHERE pu.point_id = p.id), '[]'::json) AS units,
  p.is_key, p.is_active, p.version`;
const viewJoins = sql`JOIN point_types t ON t.id = p.type_id JOIN org_units a ON a.id = p.area_unit_id LEFT JOIN grids g ON g.id = p.grid_id`;

/**
 * One page of points and the total in a single statement: the inner query filters, counts
 * (window) and cuts the page on bare `points`; only the page's rows are then decorated.
 */
export async function listPoints(db: Executor, scope: Scope, f: PointFilter, page: number, pageSize: number) {
  const cond = conditions(scope, f);
  const res = await db.execute(sql`
    WITH page AS (
      SELECT p.id, count(*) OVER ()::int AS total FROM points p ${cond}
      ORDER BY p.name, p.id LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize})
    SELECT ${viewColumns}, page.total
    FROM page JOIN points p ON p.id = page.id ${viewJoins}
    ORDER BY p.name, p.id`);
  const items = rowsOf<PointViewRow>(res);
  let total = items[0]?.total ?? 0;
  if (items.length === 0 && page > 1) {
    total = rowsOf<{ n: number }>(await db.execute(sql`SELECT count(*)::int AS n FROM points p ${cond}`))[0].n;
  }
  return { items, total };
}

/** Every visible matching point for the map, up to `cap` (+1 to tell truncation). */
export async function listMarkers(db: Executor, scope: Scope, f: PointFilter, cap: number) {
  const res = await db.execute(sql`
    SELECT p.id, p.name, p.address, t.name AS type_name, p.lng, p.lat, p.is_key
    FROM points p JOIN point_types t ON t.id = p.type_id ${conditions(scope, f)}
    ORDER BY p.is_key DESC, p.id LIMIT ${cap + 1}`);
  const rows = rowsOf<MarkerRow>(res);
  return { rows: rows.slice(0, cap), truncated: rows.length > cap };
}

export async function getPointView(db: Executor, id: string): Promise<PointViewRow | undefined> {
  const res = await db.execute(sql`SELECT ${viewColumns} FROM points p ${viewJoins} WHERE p.id = ${id}`);
  return rowsOf<PointViewRow>(res)[0];
}

/** Whether the actor's read scope covers the point (the same rule as the list). */
export async function isPointVisible(db: Executor, scope: Scope, id: string): Promise<boolean> {
  const cond = pointReadCond(scope);
  const res = await db.execute(sql`SELECT 1 AS ok FROM points p WHERE p.id = ${id} ${cond ? sql`AND ${cond}` : sql``}`);
  return rowsOf(res).length > 0;
}

export async function getPoint(db: Executor, id: string, forUpdate = false): Promise<PointRow | undefined> {
  const q = db.select().from(points).where(eq(points.id, id));
  const [row] = forUpdate ? await q.for('update') : await q;
  return row;
}

export async function unitIdsOf(db: Executor, pointId: string): Promise<string[]> {
  const rows = await db.select({ id: pointUnits.unitId }).from(pointUnits).where(eq(pointUnits.pointId, pointId));
  return rows.map((r) => r.id).sort();
}

export async function insertPoint(db: Executor, row: typeof points.$inferInsert): Promise<PointRow> {
  const [created] = await db.insert(points).values(row).returning();
  return created;
}

export async function updatePoint(db: Executor, id: string, version: number, data: Partial<typeof points.$inferInsert>) {
  const [row] = await db
    .update(points)
    .set({ ...data, version: version + 1, updatedAt: new Date() })
    .where(and(eq(points.id, id), eq(points.version, version)))
    .returning();
  return row;
}

export async function replacePointUnits(db: Executor, pointId: string, unitIds: string[]) {
  await db.delete(pointUnits).where(eq(pointUnits.pointId, pointId));
  if (unitIds.length) await db.insert(pointUnits).values(unitIds.map((unitId) => ({ pointId, unitId })));
}

/**
 * The first 责任单位 of a point, in the order the point's page lists them (sort, name): the
 * default unit of an issue filed there. A sub-select (id, path, name) on a point id or a column,
 * for a LATERAL join in a larger statement.
 */
export const firstUnitOfPointSql = (pointId: SQL | string): SQL => sql`(SELECT u.id, u.path, u.name FROM point_units pu JOIN org_units u ON u.id = pu.unit_id
    WHERE pu.point_id = ${pointId} ORDER BY u.sort, u.name LIMIT 1)`;

/** The active point of an exact name, if exactly one (seeds and links from other modules, e.g. volunteer stations). */
export async function getPointByName(db: Executor, name: string): Promise<PointRow | undefined> {
  const rows = await db
    .select()
    .from(points)
    .where(and(eq(points.name, name), eq(points.isActive, true)))
    .limit(2);
  return rows.length === 1 ? rows[0] : undefined;
}
