import type { z } from 'zod';
import type { PublicTeam, Station, StationRequest, Team, TeamMember, TeamRequest } from '../../../contracts/volunteers.ts';
import { maskPhone } from '../../../domain/masking.ts';
import { searchTextOf } from '../../../domain/pinyin.ts';
import type { Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import type { RequestContext } from '../../http/actor.ts';
import { AppError, notFound, staleVersion } from '../../http/errors.ts';
import { newId } from '../../lib/ids.ts';
import { audit } from '../audit/index.ts';
import { getPointRow, getUnitRow } from '../org/index.ts';
import { volunteersPolicy } from './volunteers.policy.ts';
import * as repo from './volunteers.repo.ts';
import { volunteerCtx } from './volunteers.service.ts';

type D = Pick<Deps, 'db' | 'crypto'>;

async function requireTag(db: Executor, category: string, name: string, field: string, label: string) {
  if (!(await repo.tagExists(db, category, name))) throw new AppError('VALIDATION_FAILED', `${label}：“${name}”不在可选范围内`, [{ path: `body.${field}`, message: `请选择${label}` }]);
}

async function requireUnit(db: Executor, id: string) {
  const u = await getUnitRow(db, id);
  if (!u?.isActive) throw new AppError('VALIDATION_FAILED', '所属单位：请选择所属单位', [{ path: 'body.unitId', message: '请选择所属单位' }]);
  return u;
}

export async function listTeams(deps: Pick<Deps, 'db'>, ctx: RequestContext): Promise<Team[]> {
  const { root, teamIds } = await volunteersPolicy.teamReadRoot(deps.db, ctx.actor);
  const rows = await repo.listTeams(deps.db, root, ctx.actor.userId);
  const admins = await repo.teamAdmins(
    deps.db,
    rows.map((r) => r.id),
  );
  const mine = new Set(teamIds);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind,
    unitId: r.unitId,
    unitName: r.unit_name,
    description: r.description,
    admins: admins.filter((a) => a.team_id === r.id).map((a) => ({ id: a.user_id, name: a.name })),
    memberCount: r.members,
    pendingCount: r.pending,
    isMine: mine.has(r.id),
    version: r.version,
  }));
}

export async function listPublicTeams(deps: Pick<Deps, 'db'>): Promise<PublicTeam[]> {
  const rows = await repo.listTeams(deps.db, null, null);
  return rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind, unitName: r.unit_name, description: r.description, memberCount: r.members }));
}

export async function createTeam(deps: D, ctx: RequestContext, input: z.output<typeof TeamRequest>): Promise<{ id: string }> {
  return deps.db.transaction(async (tx) => {
    const unit = await requireUnit(tx, input.unitId);
    volunteersPolicy.requireManageUnit(ctx.actor, unit.path);
    await requireTag(tx, 'team_kind', input.kind, 'kind', '队伍类型');
    const row = await repo.insertTeam(tx, {
      id: newId(),
      name: input.name,
      kind: input.kind,
      unitId: unit.id,
      unitPath: unit.path,
      description: input.description,
      searchText: searchTextOf(input.name),
    });
    await repo.setTeamAdmins(tx, row.id, [...new Set(input.adminUserIds)]);
    await audit(tx, ctx, { action: 'create', entity: 'volunteer_team', entityId: row.id, after: { ...input } });
    return { id: row.id };
  });
}

export async function updateTeam(deps: D, ctx: RequestContext, id: string, input: z.output<typeof TeamRequest> & { version: number }): Promise<{ id: string }> {
  return deps.db.transaction(async (tx) => {
    const before = await repo.getTeam(tx, id);
    if (!before) throw notFound('志愿队');
    volunteersPolicy.requireManageUnit(ctx.actor, before.unitPath);
    const unit = await requireUnit(tx, input.unitId);
    volunteersPolicy.requireManageUnit(ctx.actor, unit.path);
    await requireTag(tx, 'team_kind', input.kind, 'kind', '队伍类型');
    const row = await repo.updateTeam(tx, id, input.version, {
      name: input.name,
      kind: input.kind,
      unitId: unit.id,
      unitPath: unit.path,
      description: input.description,
      searchText: searchTextOf(input.name),
    });
    if (!row) throw staleVersion();
    await repo.setTeamAdmins(tx, id, [...new Set(input.adminUserIds)]);
    await audit(tx, ctx, { action: 'update', entity: 'volunteer_team', entityId: id, before: { name: before.name, kind: before.kind, unitId: before.unitId }, after: { ...input } });
    return { id };
  });
}

export async function listMembers(deps: D, ctx: RequestContext, teamId: string): Promise<TeamMember[]> {
  const team = await repo.getTeam(deps.db, teamId);
  if (!team) throw notFound('志愿队');
  const canRead = ctx.actor.permissions.has('volunteers.read') && volunteersPolicy.canSeeVolunteer(ctx.actor, team.unitPath);
  if (!canRead) await volunteersPolicy.requireRunTeam(deps.db, ctx.actor, team);
  const rows = await repo.listMembers(deps.db, teamId);
  return rows.map(({ m, v }) => ({
    volunteerId: v.id,
    name: v.name,
    number: v.number,
    phoneMasked: maskPhone(deps.crypto.decrypt(v.phoneEnc)),
    state: m.state as TeamMember['state'],
    requestedAt: m.requestedAt.toISOString(),
    decidedAt: m.decidedAt?.toISOString() ?? null,
  }));
}

/** A volunteer asks to join; a refused volunteer may ask again. */
export async function requestJoin(deps: D, v: repo.VolunteerRow, teamId: string, ip: string): Promise<{ state: string }> {
  return deps.db.transaction(async (tx) => {
    const team = await repo.getTeam(tx, teamId);
    if (!team) throw notFound('志愿队');
    const existing = await repo.getMember(tx, teamId, v.id);
    if (existing?.state === 'approved') throw new AppError('INVALID_STATE', '您已是该志愿队成员');
    if (existing?.state === 'pending') throw new AppError('INVALID_STATE', '已申请加入，请等待志愿队管理员审批');
    await repo.upsertMember(tx, { teamId, volunteerId: v.id, state: 'pending', requestedAt: new Date() });
    await audit(tx, volunteerCtx(v, ip), { action: 'join_request', entity: 'volunteer_team', entityId: teamId, after: { volunteer: v.number } });
    return { state: 'pending' };
  });
}

export async function decideMember(deps: D, ctx: RequestContext, teamId: string, volunteerId: string, approve: boolean): Promise<{ state: string }> {
  return deps.db.transaction(async (tx) => {
    const team = await repo.getTeam(tx, teamId);
    if (!team) throw notFound('志愿队');
    await volunteersPolicy.requireRunTeam(tx, ctx.actor, team);
    const m = await repo.getMember(tx, teamId, volunteerId);
    if (!m) throw notFound('入队申请');
    if (m.state !== 'pending') throw new AppError('INVALID_STATE', '该申请已处理');
    const state = approve ? 'approved' : 'rejected';
    await repo.upsertMember(tx, { teamId, volunteerId, state, requestedAt: m.requestedAt, decidedAt: new Date(), decidedBy: ctx.actor.userId });
    await audit(tx, ctx, { action: approve ? 'join_approve' : 'join_reject', entity: 'volunteer_team', entityId: teamId, after: { volunteerId } });
    return { state };
  });
}

// ---------------------------------------------------------------- stations

export async function listStations(deps: Pick<Deps, 'db'>, ctx: RequestContext): Promise<Station[]> {
  const root = volunteersPolicy.readRoot(ctx.actor);
  return (await repo.listStations(deps.db, root)).map((s) => ({
    id: s.id,
    name: s.name,
    kind: s.kind,
    unitId: s.unit_id,
    unitName: s.unit_name,
    pointId: s.point_id,
    pointName: s.point_name,
    lng: s.lng,
    lat: s.lat,
    address: s.address,
    teams: s.teams ?? [],
  }));
}

export async function createStation(deps: D, ctx: RequestContext, input: z.output<typeof StationRequest>): Promise<{ id: string }> {
  return deps.db.transaction(async (tx) => {
    const unit = await requireUnit(tx, input.unitId);
    volunteersPolicy.requireManageUnit(ctx.actor, unit.path);
    await requireTag(tx, 'station_kind', input.kind, 'kind', '服务站类型');
    let lng = input.lng;
    let lat = input.lat;
    let address = input.address;
    if (input.pointId) {
      const p = await getPointRow(tx, input.pointId);
      if (!p) throw new AppError('VALIDATION_FAILED', '关联点位：点位不存在', [{ path: 'body.pointId', message: '点位不存在' }]);
      lng = p.lng;
      lat = p.lat;
      address ||= p.address ?? '';
    }
    if (lng === undefined || lat === undefined) throw new AppError('VALIDATION_FAILED', '位置：请在地图上选择位置或关联点位', [{ path: 'body.lng', message: '请选择位置' }]);
    const teams = await repo.getTeamsByIds(tx, input.teamIds);
    if (teams.length !== new Set(input.teamIds).size) throw new AppError('VALIDATION_FAILED', '服务队伍：志愿队不存在', [{ path: 'body.teamIds', message: '志愿队不存在' }]);
    const row = await repo.insertStation(
      tx,
      { id: newId(), name: input.name, kind: input.kind, unitId: unit.id, unitPath: unit.path, pointId: input.pointId, lng, lat, address },
      [...new Set(input.teamIds)],
    );
    await audit(tx, ctx, { action: 'create', entity: 'volunteer_station', entityId: row.id, after: { ...input, lng, lat } });
    return { id: row.id };
  });
}
