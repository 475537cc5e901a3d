import type { CreateGridRequest, Grid, GridWorkerOption, ListGridsQuery, UpdateGridRequest } from '../../../contracts/places.ts';
import { maskPhone } from '../../../domain/masking.ts';
import type { Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import type { RequestContext } from '../../http/actor.ts';
import { AppError, forbidden, notFound, staleVersion } from '../../http/errors.ts';
import { inScope } from '../../http/policy.ts';
import { newId } from '../../lib/ids.ts';
import { audit } from '../audit/index.ts';
import * as repo from './grids.repo.ts';
import { orgPolicy } from './org.policy.ts';
import { getUnit } from './units.repo.ts';

type GridDeps = Pick<Deps, 'db' | 'crypto'>;

const invalid = (path: string, message: string) => new AppError('VALIDATION_FAILED', message, [{ path, message }]);

function presentGrid(deps: Pick<Deps, 'crypto'>, row: repo.GridViewRow, workers: repo.WorkerRow[]): Grid {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    communityId: row.community_id,
    communityName: row.community_name,
    households: row.households,
    polygon: row.polygon as Grid['polygon'],
    workers: workers
      .filter((w) => w.gridId === row.id)
      .map((w) => ({ id: w.id, name: w.name, phoneMasked: w.phoneEnc ? maskPhone(deps.crypto.decrypt(w.phoneEnc)) : null })),
    pointCount: row.point_count,
    isActive: row.is_active,
    version: row.version,
  };
}

const auditForm = (g: repo.GridRow, workerIds: string[]) => ({
  code: g.code,
  name: g.name,
  communityId: g.communityId,
  households: g.households,
  polygon: g.polygon,
  isActive: g.isActive,
  workerIds,
  version: g.version,
});

async function loadGrid(deps: GridDeps, db: Executor, id: string): Promise<Grid> {
  const row = await repo.getGridView(db, id);
  if (!row) throw notFound('网格');
  return presentGrid(deps, row, await repo.workersOf(db, [id]));
}

export async function listGrids(deps: GridDeps, ctx: RequestContext, q: ListGridsQuery) {
  const scope = orgPolicy.read(ctx.actor);
  let areaPath: string | null = null;
  if (q.areaUnitId) {
    const unit = await getUnit(deps.db, q.areaUnitId);
    if (!unit) throw invalid('querystring.areaUnitId', '所选区域不存在');
    areaPath = unit.path;
  }
  const { items, total } = await repo.listGrids(deps.db, scope, q, areaPath);
  const workers = await repo.workersOf(
    deps.db,
    items.map((i) => i.id),
  );
  return { items: items.map((r) => presentGrid(deps, r, workers)), total, page: q.page, pageSize: q.pageSize };
}

export async function getGrid(deps: GridDeps, ctx: RequestContext, id: string): Promise<Grid> {
  const scope = orgPolicy.read(ctx.actor);
  const row = await repo.getGridView(deps.db, id, scope);
  if (!row) {
    if (await repo.getGrid(deps.db, id)) throw forbidden('该网格不在您的管辖范围内');
    throw notFound('网格');
  }
  return presentGrid(deps, row, await repo.workersOf(deps.db, [id]));
}

/** The community of a grid: must exist, be a 社区村 and lie in the actor's write scope. */
async function checkCommunity(db: Executor, ctx: RequestContext, communityId: string) {
  const c = await getUnit(db, communityId);
  if (!c) throw invalid('body.communityId', '所属社区不存在');
  if (c.kind !== 'community') throw invalid('body.communityId', '网格只能建在社区（村）下');
  orgPolicy.write(ctx.actor, c.path, '该社区不在您的管辖范围内');
  if (!c.isActive) throw new AppError('BUSINESS_RULE', '所属社区已停用');
  return c;
}

async function checkWorkers(db: Executor, communityPath: string, ids: string[]) {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return unique;
  const found = new Set((await repo.eligibleWorkers(db, communityPath, unique)).map((u) => u.id));
  const bad = unique.filter((i) => !found.has(i));
  if (bad.length) throw invalid('body.workerIds', '网格员须为本社区（或下级单位）在用、且具有“网格员”角色的用户');
  return unique;
}

export async function createGrid(deps: GridDeps, ctx: RequestContext, input: CreateGridRequest): Promise<Grid> {
  return deps.db.transaction(async (tx) => {
    const community = await checkCommunity(tx, ctx, input.communityId);
    const workerIds = await checkWorkers(tx, community.path, input.workerIds);
    const id = newId();
    const row = await repo.insertGrid(tx, {
      id,
      communityId: community.id,
      code: input.code,
      name: input.name,
      households: input.households ?? null,
      polygon: input.polygon ?? null,
    });
    await repo.replaceWorkers(tx, id, workerIds);
    await audit(tx, ctx, { action: 'create', entity: 'grid', entityId: id, after: auditForm(row, workerIds.sort()) });
    return loadGrid(deps, tx, id);
  });
}

export async function updateGrid(deps: GridDeps, ctx: RequestContext, id: string, input: UpdateGridRequest): Promise<Grid> {
  return deps.db.transaction(async (tx) => {
    const before = await repo.getGrid(tx, id, true);
    if (!before) throw notFound('网格');
    const oldCommunity = await getUnit(tx, before.communityId);
    orgPolicy.write(ctx.actor, oldCommunity?.path ?? '', '该网格不在您的管辖范围内');
    if (before.version !== input.version) throw staleVersion();
    const moving = !!input.communityId && input.communityId !== before.communityId;
    const community = moving ? await checkCommunity(tx, ctx, input.communityId!) : oldCommunity!;
    // a point's grid must lie in the point's area: a grid holding points keeps its community
    if (moving && (await repo.countPoints(tx, id)) > 0) throw new AppError('BUSINESS_RULE', '该网格下仍有点位，不能更换所属社区');
    const beforeWorkers = await repo.workerIdsOf(tx, id);
    const { version, workerIds: newWorkers, ...data } = input;
    // moving the grid to another community re-checks the workers it keeps
    const workerIds = newWorkers !== undefined || community.id !== before.communityId ? await checkWorkers(tx, community.path, newWorkers ?? beforeWorkers) : beforeWorkers;
    const after = await repo.updateGrid(tx, id, version, {
      ...(data.code !== undefined && { code: data.code }),
      ...(data.name !== undefined && { name: data.name }),
      ...(data.communityId !== undefined && { communityId: data.communityId }),
      ...(data.households !== undefined && { households: data.households ?? null }),
      ...(data.polygon !== undefined && { polygon: data.polygon ?? null }),
    });
    if (!after) throw staleVersion();
    if (newWorkers !== undefined) await repo.replaceWorkers(tx, id, workerIds);
    await audit(tx, ctx, { action: 'update', entity: 'grid', entityId: id, before: auditForm(before, beforeWorkers), after: auditForm(after, [...workerIds].sort()) });
    return loadGrid(deps, tx, id);
  });
}

export async function setGridActive(deps: GridDeps, ctx: RequestContext, id: string, version: number, isActive: boolean): Promise<Grid> {
  return deps.db.transaction(async (tx) => {
    const before = await repo.getGrid(tx, id, true);
    if (!before) throw notFound('网格');
    const community = await getUnit(tx, before.communityId);
    orgPolicy.write(ctx.actor, community?.path ?? '', '该网格不在您的管辖范围内');
    if (before.version !== version) throw staleVersion();
    if (isActive && community && !community.isActive) throw new AppError('BUSINESS_RULE', '所属社区已停用，请先启用社区');
    const after = await repo.updateGrid(tx, id, version, { isActive });
    if (!after) throw staleVersion();
    await audit(tx, ctx, { action: isActive ? 'activate' : 'deactivate', entity: 'grid', entityId: id, before: { isActive: before.isActive }, after: { isActive } });
    return loadGrid(deps, tx, id);
  });
}

/** Users who may be chosen as 网格员 for a community's grids. */
export async function gridWorkerOptions(deps: GridDeps, ctx: RequestContext, communityId: string): Promise<GridWorkerOption[]> {
  const scope = orgPolicy.read(ctx.actor);
  const c = await getUnit(deps.db, communityId);
  if (!c) throw notFound('社区');
  if (!inScope(scope, c.path)) throw forbidden('该社区不在您的管辖范围内');
  const rows = await repo.eligibleWorkers(deps.db, c.path);
  return rows.map((r) => ({ id: r.id, name: r.name, phoneMasked: r.phone_enc ? maskPhone(deps.crypto.decrypt(r.phone_enc)) : null }));
}
