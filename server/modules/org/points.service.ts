import type { CreatePointRequest, ListPointsQuery, Point, PointMarkers, UpdatePointRequest } from '../../../contracts/places.ts';
import type { Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import type { RequestContext } from '../../http/actor.ts';
import { AppError, forbidden, notFound, staleVersion } from '../../http/errors.ts';
import { newId } from '../../lib/ids.ts';
import { audit } from '../audit/index.ts';
import * as grids from './grids.repo.ts';
import { orgPolicy } from './org.policy.ts';
import { getPointType } from './point-types.repo.ts';
import * as repo from './points.repo.ts';
import { getUnit, getUnitsByIds, type OrgUnitRow } from './units.repo.ts';

type PointDeps = Pick<Deps, 'db'>;

/** The map gets at most this many markers; beyond it the client is told to narrow the filters. */
export const MARKER_CAP = 5000;

const invalid = (path: string, message: string) => new AppError('VALIDATION_FAILED', message, [{ path, message }]);

function presentPoint(r: repo.PointViewRow): Point {
  const units = typeof r.units === 'string' ? (JSON.parse(r.units) as { id: string; name: string }[]) : r.units;
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    typeId: r.type_id,
    typeName: r.type_name,
    address: r.address,
    lng: Number(r.lng),
    lat: Number(r.lat),
    areaUnitId: r.area_unit_id,
    areaUnitName: r.area_unit_name,
    areaPathNames: r.area_path_names ?? r.area_unit_name,
    gridId: r.grid_id,
    gridName: r.grid_name,
    units: units.map((u) => ({ id: u.id, name: u.name })),
    isKey: r.is_key,
    isActive: r.is_active,
    version: r.version,
  };
}

const auditForm = (p: repo.PointRow, unitIds: string[]) => ({
  code: p.code,
  name: p.name,
  typeId: p.typeId,
  address: p.address,
  lng: p.lng,
  lat: p.lat,
  areaUnitId: p.areaUnitId,
  gridId: p.gridId,
  isKey: p.isKey,
  isActive: p.isActive,
  unitIds,
  version: p.version,
});

/** A point with its 责任单位, without any scope check: for other modules that already decided access. */
export async function loadPointWithUnits(db: Executor, id: string): Promise<Point | undefined> {
  const row = await repo.getPointView(db, id);
  return row && presentPoint(row);
}

async function filterOf(db: Executor, q: Omit<ListPointsQuery, 'page' | 'pageSize'>): Promise<repo.PointFilter> {
  const { areaUnitId, ...rest } = q;
  if (!areaUnitId) return rest;
  const unit = await getUnit(db, areaUnitId);
  if (!unit) throw invalid('querystring.areaUnitId', '所选区域不存在');
  return { ...rest, areaPath: unit.path };
}

export async function listPoints(deps: PointDeps, ctx: RequestContext, q: ListPointsQuery) {
  const scope = orgPolicy.read(ctx.actor);
  const { page, pageSize, ...filters } = q;
  const { items, total } = await repo.listPoints(deps.db, scope, await filterOf(deps.db, filters), page, pageSize);
  return { items: items.map(presentPoint), total, page, pageSize };
}

export async function pointMarkers(deps: PointDeps, ctx: RequestContext, q: Omit<ListPointsQuery, 'page' | 'pageSize'>): Promise<PointMarkers> {
  const scope = orgPolicy.read(ctx.actor);
  const { rows, truncated } = await repo.listMarkers(deps.db, scope, await filterOf(deps.db, q), MARKER_CAP);
  return {
    items: rows.map((r) => ({ id: r.id, name: r.name, typeName: r.type_name, lng: Number(r.lng), lat: Number(r.lat), isKey: r.is_key, address: r.address })),
    truncated,
  };
}

export async function getPoint(deps: PointDeps, ctx: RequestContext, id: string): Promise<Point> {
  const scope = orgPolicy.read(ctx.actor);
  const row = await repo.getPointView(deps.db, id);
  if (!row) throw notFound('点位');
  if (!(await repo.isPointVisible(deps.db, scope, id))) throw forbidden('该点位不在您的管辖范围内');
  return presentPoint(row);
}

/** The area of a point: an active street or community inside the actor's write scope. */
async function checkArea(db: Executor, ctx: RequestContext, areaUnitId: string): Promise<OrgUnitRow> {
  const area = await getUnit(db, areaUnitId);
  if (!area) throw invalid('body.areaUnitId', '所在区域不存在');
  if (area.kind !== 'street' && area.kind !== 'community') throw invalid('body.areaUnitId', '点位所在区域须为街道（乡镇）或社区（村）');
  orgPolicy.write(ctx.actor, area.path, '所在区域不在您的管辖范围内');
  if (!area.isActive) throw invalid('body.areaUnitId', '所在区域已停用');
  return area;
}

async function checkType(db: Executor, typeId: string) {
  const type = await getPointType(db, typeId);
  if (!type?.isActive) throw invalid('body.typeId', '点位类型不存在或已停用');
}

/** The grid must be active and lie in the point's area (its community, or a community of its street). */
async function checkGrid(db: Executor, gridId: string, area: OrgUnitRow) {
  const grid = await grids.getGrid(db, gridId);
  if (!grid?.isActive) throw invalid('body.gridId', '所选网格不存在或已停用');
  const community = await getUnit(db, grid.communityId);
  if (!community?.path.startsWith(area.path)) throw invalid('body.gridId', `所选网格不属于「${area.name}」`);
}

async function checkUnits(db: Executor, unitIds: string[]): Promise<string[]> {
  const ids = [...new Set(unitIds)];
  const rows = await getUnitsByIds(db, ids);
  if (rows.length !== ids.length || rows.some((r) => !r.isActive)) throw invalid('body.unitIds', '责任单位不存在或已停用');
  return ids.sort();
}

export async function createPoint(deps: PointDeps, ctx: RequestContext, input: CreatePointRequest): Promise<Point> {
  return deps.db.transaction(async (tx) => {
    const area = await checkArea(tx, ctx, input.areaUnitId);
    await checkType(tx, input.typeId);
    if (input.gridId) await checkGrid(tx, input.gridId, area);
    const unitIds = await checkUnits(tx, input.unitIds);
    const id = newId();
    const row = await repo.insertPoint(tx, {
      id,
      code: input.code,
      name: input.name,
      typeId: input.typeId,
      address: input.address,
      lng: input.lng,
      lat: input.lat,
      areaUnitId: area.id,
      areaPath: area.path,
      gridId: input.gridId ?? null,
      isKey: input.isKey,
    });
    await repo.replacePointUnits(tx, id, unitIds);
    await audit(tx, ctx, { action: 'create', entity: 'point', entityId: id, after: auditForm(row, unitIds) });
    return (await loadPointWithUnits(tx, id))!;
  });
}

export async function updatePoint(deps: PointDeps, ctx: RequestContext, id: string, input: UpdatePointRequest): Promise<Point> {
  return deps.db.transaction(async (tx) => {
    const before = await repo.getPoint(tx, id, true);
    if (!before) throw notFound('点位');
    orgPolicy.write(ctx.actor, before.areaPath, '该点位不在您的管辖范围内');
    if (before.version !== input.version) throw staleVersion();
    const areaChanged = input.areaUnitId !== undefined && input.areaUnitId !== before.areaUnitId;
    const area = areaChanged ? await checkArea(tx, ctx, input.areaUnitId!) : await getUnit(tx, before.areaUnitId);
    if (!area) throw notFound('所在区域');
    if (input.typeId !== undefined && input.typeId !== before.typeId) await checkType(tx, input.typeId);
    const gridId = input.gridId === undefined ? before.gridId : (input.gridId ?? null);
    if (gridId && (areaChanged || gridId !== before.gridId)) await checkGrid(tx, gridId, area);
    const beforeUnits = await repo.unitIdsOf(tx, id);
    const unitIds = input.unitIds !== undefined ? await checkUnits(tx, input.unitIds) : beforeUnits;
    const after = await repo.updatePoint(tx, id, input.version, {
      ...(input.code !== undefined && { code: input.code }),
      ...(input.name !== undefined && { name: input.name }),
      ...(input.typeId !== undefined && { typeId: input.typeId }),
      ...(input.address !== undefined && { address: input.address }),
      ...(input.lng !== undefined && { lng: input.lng }),
      ...(input.lat !== undefined && { lat: input.lat }),
      ...(input.isKey !== undefined && { isKey: input.isKey }),
      ...(areaChanged && { areaUnitId: area.id, areaPath: area.path }),
      gridId,
    });
    if (!after) throw staleVersion();
    if (input.unitIds !== undefined) await repo.replacePointUnits(tx, id, unitIds);
    await audit(tx, ctx, { action: 'update', entity: 'point', entityId: id, before: auditForm(before, beforeUnits), after: auditForm(after, unitIds) });
    return (await loadPointWithUnits(tx, id))!;
  });
}

export async function setPointActive(deps: PointDeps, ctx: RequestContext, id: string, version: number, isActive: boolean): Promise<Point> {
  return deps.db.transaction(async (tx) => {
    const before = await repo.getPoint(tx, id, true);
    if (!before) throw notFound('点位');
    orgPolicy.write(ctx.actor, before.areaPath, '该点位不在您的管辖范围内');
    if (before.version !== version) throw staleVersion();
    const after = await repo.updatePoint(tx, id, version, { isActive });
    if (!after) throw staleVersion();
    await audit(tx, ctx, { action: isActive ? 'activate' : 'deactivate', entity: 'point', entityId: id, before: { isActive: before.isActive }, after: { isActive } });
    return (await loadPointWithUnits(tx, id))!;
  });
}
