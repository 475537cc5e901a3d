import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../http/actor.ts';
import { forbidden } from '../../http/errors.ts';
import { inScope, requirePermission, type Scope, scopeFor } from '../../http/policy.ts';

/**
 * Who may do what with inspections:
 * - 测评细则 (templates, fragments) are city-wide: `inspections.manage` at the city office.
 * - 督查组 and plans: `inspections.manage`, within the actor's write scope (the plan's unit).
 * - an occurrence is done by a member or the leader of its 督查组 (`inspections.perform`);
 *   someone else's → 403.
 * - review, return and amend: the team's leader with `inspections.review` (or the plan's managers).
 * - results are read by holders of `inspections.read`/`perform`/`manage`: city-wide readers see all;
 *   others the inspections of points in their subtree or answered for by their units — but a 暗访
 *   plan's results only once it is published (or when they made the plan or are in its team).
 */
export const inspectionsPolicy = {
  manageTemplates(actor: Actor): void {
    requirePermission(actor, 'inspections.manage', '无权维护测评细则');
    if (!scopeFor(actor, 'write').isAll) throw forbidden('测评细则由市创文办统一维护');
  },
  readTemplates(actor: Actor): void {
    const p = actor.permissions;
    if (!p.has('inspections.read') && !p.has('inspections.perform') && !p.has('inspections.manage')) throw forbidden('无权查看测评细则');
  },
  manage(actor: Actor): Scope {
    requirePermission(actor, 'inspections.manage', '无权维护督查组与督查计划');
    return scopeFor(actor, 'write');
  },
  requireManageIn(actor: Actor, path: string): void {
    if (!inScope(this.manage(actor), path)) throw forbidden('该督查计划不在您的管辖范围内');
  },
  canManage(actor: Actor, path: string): boolean {
    return actor.permissions.has('inspections.manage') && inScope(scopeFor(actor, 'write'), path);
  },
  perform(actor: Actor, team: { leaderId: string; memberIds: string[] }): void {
    requirePermission(actor, 'inspections.perform', '无权执行督查');
    if (team.leaderId !== actor.userId && !team.memberIds.includes(actor.userId)) throw forbidden('这不是您所在督查组的检查任务');
  },
  canReview(actor: Actor, team: { leaderId: string }, planPath: string): boolean {
    if (actor.permissions.has('inspections.review') && team.leaderId === actor.userId) return true;
    return this.canManage(actor, planPath);
  },
  read(actor: Actor): Scope {
    const p = actor.permissions;
    if (!p.has('inspections.read') && !p.has('inspections.perform') && !p.has('inspections.manage')) throw forbidden('无权查看督查结果');
    return scopeFor(actor, 'read');
  },
};

/**
 * The read condition on inspections `i` joined to their plan `p`: see the policy above. The
 * team check uses the membership table; the unit check the point's 责任单位.
 */
export function inspectionReadCond(scope: Scope): SQL {
  if (scope.isAll) return sql`TRUE`;
  const root = `${scope.rootPath}%`;
  const mine = sql`(p.team_id IN (SELECT team_id FROM inspection_team_members WHERE user_id = ${scope.userId}) OR p.team_id IN (SELECT id FROM inspection_teams WHERE leader_id = ${scope.userId}))`;
  const place = sql`(i.area_path LIKE ${root} OR EXISTS (SELECT 1 FROM point_units pu JOIN org_units u ON u.id = pu.unit_id WHERE pu.point_id = i.point_id AND u.path LIKE ${root}))`;
  const visible = sql`(p.mode <> 'covert' OR p.published_at IS NOT NULL OR p.unit_path LIKE ${root})`;
  return sql`(${mine} OR (${place} AND ${visible}))`;
}
