import { type SQL, sql } from 'drizzle-orm';
import type { IssueState } from '../../../contracts/issues.ts';
import type { FlowRole } from '../../../domain/issue-flow.ts';
import type { Actor } from '../../http/actor.ts';
import { forbidden } from '../../http/errors.ts';
import { inScope, requireCityLevel, requirePermission, type Scope, scopeFor } from '../../http/policy.ts';

/** States in which an issue is not (yet, or any more) the responsible unit's business. */
export const PRE_DISPATCH_STATES: readonly IssueState[] = ['reported', 'accepted', 'rejected', 'merged'];

/** The facts of one issue that decide who may see it and act on it. */
export type IssueFacts = {
  areaPath: string;
  responsiblePath: string | null;
  state: IssueState;
  reporterId: string | null;
  gridId: string | null;
};

/** The facts of a stored issue row. */
export const factsOf = (i: { areaPath: string; responsiblePath: string | null; state: string; reporterId: string | null; gridId: string | null }): IssueFacts => ({
  areaPath: i.areaPath,
  responsiblePath: i.responsiblePath,
  state: i.state as IssueState,
  reporterId: i.reporterId,
  gridId: i.gridId,
});

/**
 * Who may see and do what with issues. READ: the issue's area lies in the actor's read scope,
 * OR it has been dispatched to a unit in the actor's subtree (a unit sees the issues dispatched
 * to it, not its neighbour's, and not those merely proposed for it), OR the actor reported it,
 * OR the actor is 网格员 of its grid.
 */
export const issuesPolicy = {
  read(actor: Actor): Scope {
    requirePermission(actor, 'issues.read', '无权查看问题');
    return scopeFor(actor, 'read');
  },
  report(actor: Actor): void {
    requirePermission(actor, 'issues.report', '无权上报问题');
  },
  manageCategories(actor: Actor): void {
    requireCityLevel(actor, 'issues.manage', '问题分类为全市统一设置，仅市级管理员可维护');
  },
  canSee(actor: Actor, scope: Scope, i: IssueFacts): boolean {
    if (!actor.permissions.has('issues.read')) return false;
    if (inScope(scope, i.areaPath) || i.reporterId === actor.userId) return true;
    if (i.gridId && actor.gridIds.has(i.gridId)) return true;
    return !!i.responsiblePath && !PRE_DISPATCH_STATES.includes(i.state) && i.responsiblePath.startsWith(scope.rootPath);
  },
  /**
   * The flow roles the actor holds on one issue: dispatcher (issues.dispatch over the issue's
   * area), unit (a member of the responsible unit or of a unit under it), verifier (issues.verify
   * and city-wide reading, the issue's area in scope, or 网格员 of its grid), reporter.
   */
  rolesOn(actor: Actor, i: IssueFacts): Set<FlowRole> {
    const roles = new Set<FlowRole>();
    const p = actor.permissions;
    if (p.has('issues.dispatch') && inScope(scopeFor(actor, 'write'), i.areaPath)) roles.add('dispatcher');
    if (p.has('issues.read') && i.responsiblePath && actor.unitPath.startsWith(i.responsiblePath)) roles.add('unit');
    if (p.has('issues.verify') && (inScope(scopeFor(actor, 'read'), i.areaPath) || (!!i.gridId && actor.gridIds.has(i.gridId)))) roles.add('verifier');
    if (i.reporterId === actor.userId) roles.add('reporter');
    return roles;
  },
  requireAny(roles: ReadonlySet<FlowRole>, needed: readonly FlowRole[], message: string): void {
    if (!needed.some((r) => roles.has(r))) throw forbidden(message);
  },
};

/**
 * READ scope of issues as a condition on `issues i`; undefined = everything. Every branch stays on
 * an index, so that PostgreSQL can OR their bitmaps: the 网格员's grids come as a list (from the
 * session, Actor.gridIds) rather than as a sub-select, which no index can answer.
 */
export function issueReadCond(scope: Scope, myGridIds: readonly string[]): SQL | undefined {
  if (scope.isAll) return undefined;
  const pre = `${scope.rootPath}%`;
  const pending = sql.join(
    PRE_DISPATCH_STATES.map((s) => sql`${s}`),
    sql`, `,
  );
  const grids = myGridIds.length ? sql` OR i.grid_id = ANY(${`{${myGridIds.join(',')}}`}::uuid[])` : sql``;
  return sql`(i.area_path LIKE ${pre}
    OR (i.responsible_path LIKE ${pre} AND i.state NOT IN (${pending}))
    OR i.reporter_id = ${scope.userId}${grids})`;
}
