import { and, asc, eq, ilike, inArray, like, type SQL, sql } from 'drizzle-orm';
import type { ListOrgUnitsQuery } from '../../../contracts/org.ts';
import { type Executor, rowsOf } from '../../db/client.ts';
import type { Scope } from '../../http/policy.ts';
import { orgUnits } from './org.tables.ts';
import { registeredScopePaths } from './scope-paths.ts';

export type OrgUnitRow = typeof orgUnits.$inferSelect;

export async function getUnit(db: Executor, id: string): Promise<OrgUnitRow | undefined> {
  const [row] = await db.select().from(orgUnits).where(eq(orgUnits.id, id));
  return row;
}

export async function getUnitForUpdate(db: Executor, id: string): Promise<OrgUnitRow | undefined> {
  const [row] = await db.select().from(orgUnits).where(eq(orgUnits.id, id)).for('update');
  return row;
}

export async function getUnitsByIds(db: Executor, ids: string[]): Promise<OrgUnitRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(orgUnits).where(inArray(orgUnits.id, ids));
}

const scopeCond = (scope: Scope): SQL | undefined => (scope.isAll ? undefined : like(orgUnits.path, `${scope.rootPath}%`));

export async function listUnits(db: Executor, scope: Scope, q: ListOrgUnitsQuery) {
  const where: (SQL | undefined)[] = [scopeCond(scope)];
  if (q.parentId) where.push(eq(orgUnits.parentId, q.parentId));
  if (q.kind) where.push(eq(orgUnits.kind, q.kind));
  if (q.q) where.push(ilike(orgUnits.searchText, `%${q.q.toLowerCase().replace(/\s+/g, '')}%`));
  if (!q.includeInactive) where.push(eq(orgUnits.isActive, true));
  const cond = and(...where);
  const childCount = sql<number>`(SELECT count(*)::int FROM org_units c WHERE c.parent_id = org_units.id AND c.is_active)`;
  const [items, [{ total }]] = await Promise.all([
    db
      .select({ unit: orgUnits, childCount })
      .from(orgUnits)
      .where(cond)
      .orderBy(asc(orgUnits.depth), asc(orgUnits.sort), asc(orgUnits.name))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ total: sql<number>`count(*)::int` }).from(orgUnits).where(cond),
  ]);
  return { items, total };
}

/** The whole visible tree as a flat list, for the tree view (a city has hundreds of units). */
export async function listTree(db: Executor, scope: Scope, includeInactive: boolean) {
  const where = and(scopeCond(scope), includeInactive ? undefined : eq(orgUnits.isActive, true));
  return db
    .select({
      id: orgUnits.id,
      parentId: orgUnits.parentId,
      name: orgUnits.name,
      kind: orgUnits.kind,
      subKind: orgUnits.subKind,
      isActive: orgUnits.isActive,
      depth: orgUnits.depth,
    })
    .from(orgUnits)
    .where(where)
    .orderBy(asc(orgUnits.depth), asc(orgUnits.sort), asc(orgUnits.name));
}

export async function searchOptions(db: Executor, scope: Scope, q: string | undefined, kinds: string[], limit: number) {
  const where: (SQL | undefined)[] = [scopeCond(scope), eq(orgUnits.isActive, true)];
  if (q) where.push(ilike(orgUnits.searchText, `%${q.toLowerCase().replace(/\s+/g, '')}%`));
  if (kinds.length) where.push(inArray(orgUnits.kind, kinds));
  const pathNames = sql<string>`(SELECT string_agg(a.name, ' / ' ORDER BY a.depth) FROM org_units a WHERE a.id = ANY (string_to_array(trim(BOTH '/' FROM org_units.path), '/')::uuid[]) AND a.depth > 0)`;
  return db
    .select({ id: orgUnits.id, name: orgUnits.name, kind: orgUnits.kind, pathNames })
    .from(orgUnits)
    .where(and(...where))
    .orderBy(asc(orgUnits.depth), asc(orgUnits.name))
    .limit(limit);
}

export async function insertUnit(db: Executor, row: typeof orgUnits.$inferInsert): Promise<OrgUnitRow> {
  const [created] = await db.insert(orgUnits).values(row).returning();
  return created;
}

/** Optimistic update: returns undefined when the version no longer matches. */
export async function updateUnit(
  db: Executor,
  id: string,
  version: number,
  data: Partial<typeof orgUnits.$inferInsert>,
): Promise<OrgUnitRow | undefined> {
  const [row] = await db
    .update(orgUnits)
    .set({ ...data, version: version + 1, updatedAt: new Date() })
    .where(and(eq(orgUnits.id, id), eq(orgUnits.version, version)))
    .returning();
  return row;
}

/**
 * Rewrites the paths of a moved subtree and every registered scope-carrying column
 * (scope-paths.ts) whose value lies in it, in the caller's transaction.
 */
export async function rewriteSubtreePaths(db: Executor, oldPath: string, newPath: string, depthDelta: number) {
  await db.execute(sql`
    UPDATE org_units SET path = ${newPath} || substr(path, ${oldPath.length + 1}), depth = depth + ${depthDelta}
    WHERE path LIKE ${`${oldPath}%`}`);
  for (const c of registeredScopePaths()) {
    const col = sql.identifier(c.column);
    await db.execute(sql`
      UPDATE ${sql.identifier(c.table)} SET ${col} = ${newPath} || substr(${col}, ${oldPath.length + 1})
      WHERE ${col} LIKE ${`${oldPath}%`}`);
  }
}

export async function countActiveChildren(db: Executor, id: string): Promise<number> {
  const [{ n }] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(orgUnits)
    .where(and(eq(orgUnits.parentId, id), eq(orgUnits.isActive, true)));
  return n;
}

/** Counts for the 工作台, all within the scope. */
export async function summary(db: Executor, scope: Scope) {
  const prefix = scope.isAll ? '/' : scope.rootPath;
  const res = await db.execute(sql`
    SELECT
      (SELECT coalesce(json_object_agg(kind, n), '{}') FROM (SELECT kind, count(*)::int n FROM org_units WHERE is_active AND path LIKE ${prefix + '%'} GROUP BY kind) k) AS units_by_kind,
      (SELECT count(*)::int FROM points WHERE is_active AND area_path LIKE ${prefix + '%'}) AS points,
      (SELECT count(*)::int FROM points WHERE is_active AND is_key AND area_path LIKE ${prefix + '%'}) AS key_points,
      (SELECT count(*)::int FROM grids g JOIN org_units o ON o.id = g.community_id WHERE g.is_active AND o.path LIKE ${prefix + '%'}) AS grids,
      (SELECT count(*)::int FROM zones z JOIN org_units o ON o.id = z.owner_unit_id WHERE z.is_active AND o.path LIKE ${prefix + '%'}) AS zones,
      (SELECT count(*)::int FROM users u JOIN org_units o ON o.id = u.unit_id WHERE u.is_active AND o.path LIKE ${prefix + '%'}) AS users`);
  const r = rowsOf<{ units_by_kind: Record<string, number>; points: number; key_points: number; grids: number; zones: number; users: number }>(res)[0];
  return { unitsByKind: r.units_by_kind, points: r.points, keyPoints: r.key_points, grids: r.grids, zones: r.zones, users: r.users };
}

/**
 * The active children of a unit with their resident population: the unit's own figure, or else
 * the sum of the figures of the communities beneath it (other modules' ratios, e.g. volunteers).
 */
export async function childUnitsWithPopulation(db: Executor, parentId: string) {
  return rowsOf<{ id: string; name: string; kind: string; path: string; population: number | null; has_children: boolean }>(
    await db.execute(sql`SELECT c.id, c.name, c.kind, c.path,
        coalesce(c.population, (SELECT sum(d.population)::int FROM org_units d WHERE d.path LIKE c.path || '%' AND d.kind = 'community' AND d.is_active AND d.id <> c.id)) AS population,
        EXISTS (SELECT 1 FROM org_units g WHERE g.parent_id = c.id AND g.is_active AND g.kind IN ('district', 'street', 'community')) AS has_children
      FROM org_units c WHERE c.parent_id = ${parentId} AND c.is_active AND c.kind IN ('district', 'street', 'community')
      ORDER BY c.sort, c.name`),
  );
}

/** The population of one unit as childUnitsWithPopulation computes it. */
export async function unitPopulation(db: Executor, id: string): Promise<number | null> {
  const [r] = rowsOf<{ population: number | null }>(
    await db.execute(sql`SELECT coalesce(c.population, (SELECT sum(d.population)::int FROM org_units d WHERE d.path LIKE c.path || '%' AND d.kind = 'community' AND d.is_active AND d.id <> c.id)) AS population
      FROM org_units c WHERE c.id = ${id}`),
  );
  return r?.population ?? null;
}

/** Active communities with the names of their street and district, for pickers open to the public. */
export async function listCommunities(db: Executor) {
  return rowsOf<{ id: string; name: string; path_names: string }>(
    await db.execute(sql`SELECT c.id, c.name, (SELECT string_agg(a.name, ' / ' ORDER BY a.depth) FROM org_units a WHERE c.path LIKE a.path || '%' AND a.depth > 0 AND a.id <> c.id) AS path_names
      FROM org_units c WHERE c.kind = 'community' AND c.is_active ORDER BY c.path`),
  );
}
