/**
 * The baseline of GET /api/org/points: the same SQL the request runs, written out for bare `pg`.
 * Mirrors server/modules/org/points.service.ts listPoints for a district admin (not city-wide):
 *   1. SESSION_SQL (every authenticated request; run by the caller),
 *   2. getUnit(areaUnitId) → the area's path,
 *   3. points.repo.ts listPoints: one statement, scope condition (org.policy.ts pointReadCond)
 *      + filters, page and window count on bare `points`, then the view columns for the page.
 * Parameters are numbered as Drizzle numbers them (one per interpolation). Keep in step with the
 * repository when it changes; run.ts checks that both return the same ids and total.
 */
export const UNIT_BY_ID_SQL = `SELECT * FROM org_units WHERE id = $1`;

export const POINTS_LIST_SQL = `
WITH page AS (
  SELECT p.id, count(*) OVER ()::int AS total FROM points p
  WHERE (p.area_path LIKE $1 OR p.id IN (
      SELECT pu.point_id FROM point_units pu JOIN org_units su ON su.id = pu.unit_id WHERE su.path LIKE $2
      UNION SELECT s.target_id FROM sponsorships s JOIN org_units su ON su.id = s.unit_id WHERE s.target_type = 'point' AND su.path LIKE $3
      UNION SELECT wp.id FROM grid_workers gw JOIN points wp ON wp.grid_id = gw.grid_id WHERE gw.user_id = $4))
    AND p.area_path LIKE $5 AND p.type_id = $6 AND p.is_active
  ORDER BY p.name, p.id LIMIT $7 OFFSET $8)
SELECT p.id, p.code, p.name, p.type_id, t.name AS type_name, p.address, p.lng, p.lat,
  p.area_unit_id, a.name AS area_unit_name,
  (SELECT string_agg(an.name, ' / ' ORDER BY an.depth) FROM org_units an
    WHERE an.id = ANY (string_to_array(trim(BOTH '/' FROM p.area_path), '/')::uuid[]) AND an.depth > 0) AS area_path_names,
  p.grid_id, g.name AS grid_name,
  coalesce((SELECT json_agg(json_build_object('id', u.id, 'name', u.name) ORDER BY u.sort, u.name)
    FROM point_units pu JOIN org_units u ON u.id = pu.unit_id WHERE pu.point_id = p.id), '[]'::json) AS units,
  p.is_key, p.is_active, p.version, page.total
FROM page JOIN points p ON p.id = page.id
JOIN point_types t ON t.id = p.type_id JOIN org_units a ON a.id = p.area_unit_id LEFT JOIN grids g ON g.id = p.grid_id
ORDER BY p.name, p.id`;

/** Parameters of POINTS_LIST_SQL: the actor's scope (root path, user) and the filters. */
export function pointsListParams(f: { scopePath: string; userId: string; areaPath: string; typeId: string; page: number; pageSize: number }): unknown[] {
  const scope = `${f.scopePath}%`;
  return [scope, scope, scope, f.userId, `${f.areaPath}%`, f.typeId, f.pageSize, (f.page - 1) * f.pageSize];
}
