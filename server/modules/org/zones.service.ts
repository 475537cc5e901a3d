import type {
  CreateSponsorshipRequest,
  CreateZoneRequest,
  ListSponsorshipsQuery,
  ListZonesQuery,
  Sponsorship,
  UpdateZoneRequest,
  Zone,
} from '../../../contracts/places.ts';
import type { Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import type { RequestContext } from '../../http/actor.ts';
import { AppError, forbidden, notFound, staleVersion } from '../../http/errors.ts';
import { newId } from '../../lib/ids.ts';
import { audit } from '../audit/index.ts';
import { orgPolicy } from './org.policy.ts';
import { getUnit, getUnitsByIds } from './units.repo.ts';
import * as repo from './zones.repo.ts';

type ZoneDeps = Pick<Deps, 'db'>;
type ZoneUnit = Awaited<ReturnType<typeof repo.zoneUnits>>[number];

const invalid = (path: string, message: string) => new AppError('VALIDATION_FAILED', message, [{ path, message }]);

function presentZone(row: repo.ZoneViewRow, units: ZoneUnit[]): Zone {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    ownerUnitId: row.owner_unit_id,
    ownerUnitName: row.owner_unit_name,
    description: row.description,
    polygon: row.polygon as Zone['polygon'],
    units: units.filter((u) => u.zoneId === row.id).map((u) => ({ id: u.id, name: u.name, isLead: u.isLead })),
    isActive: row.is_active,
    version: row.version,
  };
}

function presentSponsorship(r: repo.SponsorshipViewRow): Sponsorship {
  return {
    id: r.id,
    unitId: r.unit_id,
    unitName: r.unit_name,
    targetType: r.target_type,
    targetId: r.target_id,
    targetName: r.target_name ?? '（已删除）',
    isLead: r.is_lead,
    note: r.note,
  };
}

const auditForm = (z: repo.ZoneRow, units: { id: string; isLead: boolean }[]) => ({
  code: z.code,
  name: z.name,
  ownerUnitId: z.ownerUnitId,
  description: z.description,
  polygon: z.polygon,
  isActive: z.isActive,
  units,
  version: z.version,
});

async function loadZone(db: Executor, id: string): Promise<Zone> {
  const row = await repo.getZoneView(db, id);
  if (!row) throw notFound('责任区');
  return presentZone(row, await repo.zoneUnits(db, [id]));
}

export async function listZones(deps: ZoneDeps, ctx: RequestContext, q: ListZonesQuery) {
  const scope = orgPolicy.read(ctx.actor);
  const { items, total } = await repo.listZones(deps.db, scope, q);
  const units = await repo.zoneUnits(
    deps.db,
    items.map((i) => i.id),
  );
  return { items: items.map((r) => presentZone(r, units)), total, page: q.page, pageSize: q.pageSize };
}

export async function getZone(deps: ZoneDeps, ctx: RequestContext, id: string): Promise<Zone> {
  const scope = orgPolicy.read(ctx.actor);
  const row = await repo.getZoneView(deps.db, id, scope);
  if (!row) {
    if (await repo.getZone(deps.db, id)) throw forbidden('该责任区不在您的管辖范围内');
    throw notFound('责任区');
  }
  return presentZone(row, await repo.zoneUnits(deps.db, [id]));
}

async function checkOwner(db: Executor, ctx: RequestContext, ownerUnitId: string) {
  const owner = await getUnit(db, ownerUnitId);
  if (!owner) throw invalid('body.ownerUnitId', '责任区所属单位不存在');
  orgPolicy.write(ctx.actor, owner.path, '所属单位不在您的管辖范围内');
  if (!owner.isActive) throw invalid('body.ownerUnitId', '责任区所属单位已停用');
  return owner;
}

/** 包保 units: existing, active, each once, at most one 牵头. */
async function checkUnits(db: Executor, units: { id: string; isLead: boolean }[], field = 'body.units') {
  const ids = new Set(units.map((u) => u.id));
  if (ids.size !== units.length) throw invalid(field, '包保单位不能重复');
  if (units.filter((u) => u.isLead).length > 1) throw invalid(field, '只能指定一个牵头单位');
  const rows = await getUnitsByIds(db, [...ids]);
  if (rows.length !== ids.size || rows.some((r) => !r.isActive)) throw invalid(field, '包保单位不存在或已停用');
  return units.map((u) => ({ id: u.id, isLead: u.isLead }));
}

export async function createZone(deps: ZoneDeps, ctx: RequestContext, input: CreateZoneRequest): Promise<Zone> {
  return deps.db.transaction(async (tx) => {
    const owner = await checkOwner(tx, ctx, input.ownerUnitId);
    const units = await checkUnits(tx, input.units);
    const id = newId();
    const row = await repo.insertZone(tx, {
      id,
      ownerUnitId: owner.id,
      code: input.code,
      name: input.name,
      description: input.description ?? null,
      polygon: input.polygon ?? null,
    });
    await repo.replaceZoneUnits(tx, id, units);
    await audit(tx, ctx, { action: 'create', entity: 'zone', entityId: id, after: auditForm(row, units) });
    return loadZone(tx, id);
  });
}

export async function updateZone(deps: ZoneDeps, ctx: RequestContext, id: string, input: UpdateZoneRequest): Promise<Zone> {
  return deps.db.transaction(async (tx) => {
    const before = await repo.getZone(tx, id, true);
    if (!before) throw notFound('责任区');
    const oldOwner = await getUnit(tx, before.ownerUnitId);
    orgPolicy.write(ctx.actor, oldOwner?.path ?? '', '该责任区不在您的管辖范围内');
    if (before.version !== input.version) throw staleVersion();
    if (input.ownerUnitId && input.ownerUnitId !== before.ownerUnitId) await checkOwner(tx, ctx, input.ownerUnitId);
    const beforeUnits = (await repo.zoneUnits(tx, [id])).map((u) => ({ id: u.id, isLead: u.isLead }));
    const units = input.units !== undefined ? await checkUnits(tx, input.units) : beforeUnits;
    const { version, units: _units, ...data } = input;
    const after = await repo.updateZone(tx, id, version, {
      ...(data.code !== undefined && { code: data.code }),
      ...(data.name !== undefined && { name: data.name }),
      ...(data.ownerUnitId !== undefined && { ownerUnitId: data.ownerUnitId }),
      ...(data.description !== undefined && { description: data.description ?? null }),
      ...(data.polygon !== undefined && { polygon: data.polygon ?? null }),
    });
    if (!after) throw staleVersion();
    if (input.units !== undefined) await repo.replaceZoneUnits(tx, id, units);
    await audit(tx, ctx, { action: 'update', entity: 'zone', entityId: id, before: auditForm(before, beforeUnits), after: auditForm(after, units) });
    return loadZone(tx, id);
  });
}

export async function setZoneActive(deps: ZoneDeps, ctx: RequestContext, id: string, version: number, isActive: boolean): Promise<Zone> {
  return deps.db.transaction(async (tx) => {
    const before = await repo.getZone(tx, id, true);
    if (!before) throw notFound('责任区');
    const owner = await getUnit(tx, before.ownerUnitId);
    orgPolicy.write(ctx.actor, owner?.path ?? '', '该责任区不在您的管辖范围内');
    if (before.version !== version) throw staleVersion();
    const after = await repo.updateZone(tx, id, version, { isActive });
    if (!after) throw staleVersion();
    await audit(tx, ctx, { action: isActive ? 'activate' : 'deactivate', entity: 'zone', entityId: id, before: { isActive: before.isActive }, after: { isActive } });
    return loadZone(tx, id);
  });
}

// ---- sponsorships (包保) ----

export async function listSponsorships(deps: ZoneDeps, ctx: RequestContext, q: ListSponsorshipsQuery) {
  const scope = orgPolicy.read(ctx.actor);
  const { items, total } = await repo.listSponsorships(deps.db, scope, q);
  return { items: items.map(presentSponsorship), total, page: q.page, pageSize: q.pageSize };
}

export async function createSponsorship(deps: ZoneDeps, ctx: RequestContext, input: CreateSponsorshipRequest): Promise<Sponsorship> {
  return deps.db.transaction(async (tx) => {
    const target = await repo.targetOf(tx, input.targetType, input.targetId);
    if (!target || (input.targetType === 'community' && target.kind !== 'community')) throw invalid('body.targetId', '包保对象不存在');
    orgPolicy.write(ctx.actor, target.path, '包保对象不在您的管辖范围内');
    const unit = await getUnit(tx, input.unitId);
    if (!unit?.isActive) throw invalid('body.unitId', '包保单位不存在或已停用');
    if (input.isLead && (await repo.leadOf(tx, input.targetType, input.targetId))) {
      throw new AppError('BUSINESS_RULE', '该对象已有牵头单位，请先取消原牵头单位');
    }
    const row = await repo.insertSponsorship(tx, {
      id: newId(),
      unitId: unit.id,
      targetType: input.targetType,
      targetId: input.targetId,
      isLead: input.isLead,
      note: input.note ?? null,
    });
    await audit(tx, ctx, { action: 'create', entity: 'sponsorship', entityId: row.id, after: row });
    return presentSponsorship((await repo.getSponsorshipView(tx, row.id))!);
  });
}

export async function deleteSponsorship(deps: ZoneDeps, ctx: RequestContext, id: string): Promise<{ ok: true }> {
  return deps.db.transaction(async (tx) => {
    const before = await repo.getSponsorship(tx, id);
    if (!before) throw notFound('包保关系');
    const target = await repo.targetOf(tx, before.targetType as Sponsorship['targetType'], before.targetId);
    orgPolicy.write(ctx.actor, target?.path ?? '', '包保对象不在您的管辖范围内');
    await repo.deleteSponsorship(tx, id);
    await audit(tx, ctx, { action: 'delete', entity: 'sponsorship', entityId: id, before });
    return { ok: true as const };
  });
}
