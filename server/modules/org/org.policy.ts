import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../http/actor.ts';
import { forbidden } from '../../http/errors.ts';
import { inScope, requireCityLevel, requirePermission, type Scope, scopeFor } from '../../http/policy.ts';

/** Who may do what with org data (units, grids, zones, points): permission + subtree. */
export const orgPolicy = {
  read(actor: Actor) {
    requirePermission(actor, 'org.read', '无权查看组织体系');
    return scopeFor(actor, 'read');
  },
  /** Writes need org.write and the record inside the actor's own subtree. */
  write(actor: Actor, path: string, message = '该单位不在您的管辖范围内') {
    requirePermission(actor, 'org.write', '无权维护组织体系');
    if (!inScope(scopeFor(actor, 'write'), path)) throw forbidden(message);
  },
  /** A unit's own record and its ancestors are edited by the level above, not by itself. */
  editUnit(actor: Actor, unitPath: string) {
    orgPolicy.write(actor, unitPath);
    if (unitPath === actor.unitPath && actor.unitPath.split('/').filter(Boolean).length > 1) {
      throw forbidden('本单位信息由上级维护');
    }
  },
  /** City-wide data (point types) is kept by the city level only: the actor's unit is the root. */
  writeCityWide(actor: Actor) {
    requireCityLevel(actor, 'org.write', '点位类型为全市统一数据，仅市级管理员可维护');
  },
};

const prefix = (scope: Scope) => `${scope.rootPath}%`;

/**
 * READ scope of points, as a condition on `points p`. A point is visible when its area lies in
 * the actor's subtree, when one of its 责任单位 or a unit sponsoring it (包保) lies in the
 * subtree, or when the actor is 网格员 of its grid. The union keeps each branch on an index
 * (area_path text_pattern_ops, point_units_unit_idx, sponsorships_target_idx, grid_workers_user_idx).
 * undefined = everything (city readers and the root unit).
 */
export function pointReadCond(scope: Scope): SQL | undefined {
  if (scope.isAll) return undefined;
  const pre = prefix(scope);
  return sql`(p.area_path LIKE ${pre} OR p.id IN (
    SELECT pu.point_id FROM point_units pu JOIN org_units su ON su.id = pu.unit_id WHERE su.path LIKE ${pre}
    UNION SELECT s.target_id FROM sponsorships s JOIN org_units su ON su.id = s.unit_id WHERE s.target_type = 'point' AND su.path LIKE ${pre}
    UNION SELECT wp.id FROM grid_workers gw JOIN points wp ON wp.grid_id = gw.grid_id WHERE gw.user_id = ${scope.userId}))`;
}

/** READ scope of grids, as a condition on `grids g` joined with its community `c`. */
export function gridReadCond(scope: Scope): SQL | undefined {
  if (scope.isAll) return undefined;
  return sql`(c.path LIKE ${prefix(scope)} OR EXISTS (SELECT 1 FROM grid_workers gw WHERE gw.grid_id = g.id AND gw.user_id = ${scope.userId}))`;
}

/** READ scope of zones, as a condition on `zones z` joined with its owner unit `o`. */
export function zoneReadCond(scope: Scope): SQL | undefined {
  if (scope.isAll) return undefined;
  const pre = prefix(scope);
  return sql`(o.path LIKE ${pre} OR EXISTS (
    SELECT 1 FROM sponsorships s JOIN org_units su ON su.id = s.unit_id
    WHERE s.target_type = 'zone' AND s.target_id = z.id AND su.path LIKE ${pre}))`;
}

/**
 * READ scope of sponsorships (`sponsorships s` with sponsor unit `su`): the sponsor lies in the
 * subtree, or the target does (community path, zone owner path, point area path).
 */
export function sponsorshipReadCond(scope: Scope): SQL | undefined {
  if (scope.isAll) return undefined;
  const pre = prefix(scope);
  return sql`(su.path LIKE ${pre}
    OR (s.target_type = 'community' AND EXISTS (SELECT 1 FROM org_units tc WHERE tc.id = s.target_id AND tc.path LIKE ${pre}))
    OR (s.target_type = 'zone' AND EXISTS (SELECT 1 FROM zones tz JOIN org_units tzo ON tzo.id = tz.owner_unit_id WHERE tz.id = s.target_id AND tzo.path LIKE ${pre}))
    OR (s.target_type = 'point' AND EXISTS (SELECT 1 FROM points tp WHERE tp.id = s.target_id AND tp.area_path LIKE ${pre})))`;
}
