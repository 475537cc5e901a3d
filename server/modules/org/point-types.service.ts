import type { CreatePointTypeRequest, PointType, UpdatePointTypeRequest } from '../../../contracts/places.ts';
import type { Deps } from '../../deps.ts';
import type { RequestContext } from '../../http/actor.ts';
import { notFound, staleVersion } from '../../http/errors.ts';
import { newId } from '../../lib/ids.ts';
import { audit } from '../audit/index.ts';
import { orgPolicy } from './org.policy.ts';
import * as repo from './point-types.repo.ts';

type PlaceDeps = Pick<Deps, 'db'>;

export function presentPointType(row: repo.PointTypeRow, pointCount: number): PointType {
  return { id: row.id, code: row.code, name: row.name, sort: row.sort, isActive: row.isActive, pointCount, version: row.version };
}

const auditForm = (r: repo.PointTypeRow) => ({ code: r.code, name: r.name, sort: r.sort, isActive: r.isActive, version: r.version });

export async function listPointTypes(deps: PlaceDeps, ctx: RequestContext, includeInactive: boolean): Promise<PointType[]> {
  orgPolicy.read(ctx.actor);
  const rows = await repo.listPointTypes(deps.db, includeInactive);
  return rows.map((r) => presentPointType(r.type, r.pointCount));
}

export async function createPointType(deps: PlaceDeps, ctx: RequestContext, input: CreatePointTypeRequest): Promise<PointType> {
  orgPolicy.writeCityWide(ctx.actor);
  return deps.db.transaction(async (tx) => {
    const row = await repo.insertPointType(tx, { id: newId(), code: input.code, name: input.name, sort: input.sort });
    await audit(tx, ctx, { action: 'create', entity: 'point_type', entityId: row.id, after: auditForm(row) });
    return presentPointType(row, 0);
  });
}

export async function updatePointType(deps: PlaceDeps, ctx: RequestContext, id: string, input: UpdatePointTypeRequest): Promise<PointType> {
  orgPolicy.writeCityWide(ctx.actor);
  return deps.db.transaction(async (tx) => {
    const before = await repo.getPointType(tx, id, true);
    if (!before) throw notFound('点位类型');
    if (before.version !== input.version) throw staleVersion();
    const { version, ...data } = input;
    const after = await repo.updatePointType(tx, id, version, data);
    if (!after) throw staleVersion();
    await audit(tx, ctx, { action: 'update', entity: 'point_type', entityId: id, before: auditForm(before), after: auditForm(after) });
    return presentPointType(after, await repo.countPointsOfType(tx, id));
  });
}
