import type { Executor } from '../../db/client.ts';
import type { Actor } from '../../http/actor.ts';
import { forbidden } from '../../http/errors.ts';
import { inScope, requireCityLevel, requirePermission, scopeFor } from '../../http/policy.ts';
import * as repo from './volunteers.repo.ts';

/**
 * Who may do what with volunteers (PRODUCT.md §3.5):
 * - volunteers.read: volunteers whose home community, teams/activities/records whose unit lies in the actor's subtree;
 * - volunteers.manage: register and import volunteers, create teams, stations and activities, 补录 — in the write subtree;
 * - a team's admins (volunteer_team_admins) run their team: join requests, activities, attendance, 补录;
 * - volunteers.review: decide records in the write subtree — never a 补录 or correction one entered oneself;
 * - city-wide settings: the city office only (the root unit).
 */
/** A subtree root no unit path starts with (paths start with '/<uuid>/'). */
const NO_PATH = '/-/';

export const volunteersPolicy = {
  /** the subtree root for lists, or null for all */
  readRoot(actor: Actor): string | null {
    requirePermission(actor, 'volunteers.read');
    const s = scopeFor(actor, 'read');
    return s.isAll ? null : s.rootPath;
  },
  /** like readRoot, but team admins without volunteers.read see only their teams (a root no path starts with) */
  async teamReadRoot(db: Executor, actor: Actor): Promise<{ root: string | null; teamIds: string[] }> {
    const teamIds = await repo.teamsAdministeredBy(db, actor.userId);
    // without volunteers.read: only the teams one administers (none → empty lists, not an error)
    if (!actor.permissions.has('volunteers.read')) return { root: NO_PATH, teamIds };
    const s = scopeFor(actor, 'read');
    return { root: s.isAll ? null : s.rootPath, teamIds };
  },
  requireManageUnit(actor: Actor, unitPath: string): void {
    requirePermission(actor, 'volunteers.manage');
    if (!inScope(scopeFor(actor, 'write'), unitPath)) throw forbidden('该单位不在您的管辖范围内');
  },
  async canRunTeam(db: Executor, actor: Actor, team: { id: string; unitPath: string }): Promise<boolean> {
    if (actor.permissions.has('volunteers.manage') && inScope(scopeFor(actor, 'write'), team.unitPath)) return true;
    return repo.isTeamAdmin(db, team.id, actor.userId);
  },
  async requireRunTeam(db: Executor, actor: Actor, team: { id: string; unitPath: string }): Promise<void> {
    if (!(await volunteersPolicy.canRunTeam(db, actor, team))) throw forbidden('您不是该志愿队的管理员');
  },
  async requireDecide(db: Executor, actor: Actor, record: { teamId: string; unitPath: string; kind: string; createdBy: string | null }): Promise<void> {
    const reviewer = actor.permissions.has('volunteers.review') && inScope(scopeFor(actor, 'write'), record.unitPath);
    // check-in hours may also be confirmed by the team's own admins; 补录 and corrections need a reviewer
    const teamAdmin = record.kind === 'checkin' && (await repo.isTeamAdmin(db, record.teamId, actor.userId));
    if (!reviewer && !teamAdmin) throw forbidden('无权审核该服务记录');
    if (record.kind !== 'checkin' && record.createdBy === actor.userId) throw forbidden('补录或更正的时长须由另一位管理员审核，不能审核本人录入的记录');
  },
  requireCityLevel(actor: Actor): void {
    requireCityLevel(actor, 'volunteers.manage', '全市设置只能由市级管理员修改');
  },
  canSeeVolunteer(actor: Actor, communityPath: string): boolean {
    return actor.permissions.has('volunteers.read') && inScope(scopeFor(actor, 'read'), communityPath);
  },
};
