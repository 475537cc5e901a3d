import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../http/actor.ts';
import { forbidden } from '../../http/errors.ts';
import { inScope, requireCityLevel, requirePermission, type Scope, scopeFor } from '../../http/policy.ts';

/**
 * Who may see and do what with indicator systems, tasks, progress and 目标责任书.
 *
 * - Systems and their trees are the city's reference text: anyone with `indicators.read` reads them;
 *   only `indicators.manage` (the city office) edits, imports, copies.
 * - A task is visible when one of its units lies in the actor's read scope (their unit's subtree;
 *   the whole city for the root unit and `scope.city.read`): a unit sees the tasks it is named on,
 *   a district sees those of its streets and communities, never a neighbour's.
 * - Progress of a unit (its status, its reports) is visible only when that unit lies in scope.
 * - Progress is reported by the unit's own people (`tasks.report`, member of the unit) or the
 *   unit's 联络员 on that task.
 * - Tasks are written by `indicators.manage` holders, and only with units inside their write scope.
 */
export const indicatorsPolicy = {
  read(actor: Actor): Scope {
    requirePermission(actor, 'indicators.read', '无权查看测评体系与任务');
    return scopeFor(actor, 'read');
  },
  manage(actor: Actor): Scope {
    requirePermission(actor, 'indicators.manage', '无权维护测评体系与任务');
    return scopeFor(actor, 'write');
  },
  /** Evaluation systems, their nodes and the task settings are city-wide: the city office only. */
  manageSystems(actor: Actor): void {
    requireCityLevel(actor, 'indicators.manage', '测评体系为全市统一设置，仅市级管理员可维护');
  },
  canManage(actor: Actor): boolean {
    return actor.permissions.has('indicators.manage');
  },
  /** Whether a task with units at these paths is visible. */
  canSeeTask(scope: Scope, unitPaths: readonly string[]): boolean {
    return scope.isAll || unitPaths.some((p) => p.startsWith(scope.rootPath));
  },
  canSeeUnit(scope: Scope, unitPath: string): boolean {
    return inScope(scope, unitPath);
  },
  /** Whether the actor may report progress for this unit of a task. */
  canReportFor(actor: Actor, unit: { unitId: string; liaisonUserId: string | null }): boolean {
    if (!actor.permissions.has('tasks.report')) return false;
    return unit.unitId === actor.unitId || unit.liaisonUserId === actor.userId;
  },
  requireUnitsInWriteScope(scope: Scope, units: readonly { name: string; path: string }[]): void {
    const outside = units.filter((u) => !inScope(scope, u.path));
    if (outside.length) throw forbidden(`单位不在您的管辖范围内：${outside.map((u) => u.name).join('、')}`);
  },
};

/** READ scope of tasks as a condition on `tasks t`; undefined = everything. */
export function taskReadCond(scope: Scope): SQL | undefined {
  if (scope.isAll) return undefined;
  return sql`EXISTS (SELECT 1 FROM task_units su WHERE su.task_id = t.id AND su.unit_path LIKE ${`${scope.rootPath}%`})`;
}
