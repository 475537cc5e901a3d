import type {
  CreateOrgUnitRequest,
  ListOrgUnitsQuery,
  OrgUnit,
  OrgUnitKind,
  OrgUnitSubKind,
  UpdateOrgUnitRequest,
} from '../../../contracts/org.ts';
import { maskPhone } from '../../../domain/masking.ts';
import { childKindProblem, childPath, moveProblem, pathIds } from '../../../domain/org.ts';
import { searchTextOf } from '../../../domain/pinyin.ts';
import type { Deps } from '../../deps.ts';
import type { RequestContext } from '../../http/actor.ts';
import { AppError, notFound, staleVersion } from '../../http/errors.ts';
import { requireInScope } from '../../http/policy.ts';
import { newId } from '../../lib/ids.ts';
import { audit } from '../audit/index.ts';
import { orgPolicy } from './org.policy.ts';
import * as repo from './units.repo.ts';

type UnitDeps = Pick<Deps, 'db' | 'crypto'>;

export function presentUnit(deps: Pick<Deps, 'crypto'>, row: repo.OrgUnitRow, childCount = 0): OrgUnit {
  return {
    id: row.id,
    parentId: row.parentId,
    pathIds: pathIds(row.path),
    depth: row.depth,
    name: row.name,
    shortName: row.shortName,
    kind: row.kind as OrgUnitKind,
    subKind: row.subKind as OrgUnitSubKind | null,
    divisionCode: row.divisionCode,
    creditCode: row.creditCode,
    address: row.address,
    population: row.population,
    contactName: row.contactName,
    contactPhoneMasked: row.contactPhoneEnc ? maskPhone(deps.crypto.decrypt(row.contactPhoneEnc)) : null,
    sort: row.sort,
    isActive: row.isActive,
    childCount,
    version: row.version,
  };
}

/** The audit form of a unit: readable fields, no ciphertext. */
const auditForm = (row: repo.OrgUnitRow) => {
  const { contactPhoneEnc, searchText, ...rest } = row;
  return { ...rest, contactPhone: contactPhoneEnc ? '***' : null };
};

export async function listUnits(deps: UnitDeps, ctx: RequestContext, q: ListOrgUnitsQuery) {
  const scope = orgPolicy.read(ctx.actor);
  const { items, total } = await repo.listUnits(deps.db, scope, q);
  return { items: items.map((r) => presentUnit(deps, r.unit, r.childCount)), total, page: q.page, pageSize: q.pageSize };
}

export async function getUnitTree(deps: UnitDeps, ctx: RequestContext, includeInactive: boolean) {
  return repo.listTree(deps.db, orgPolicy.read(ctx.actor), includeInactive);
}

export async function unitOptions(
  deps: UnitDeps,
  ctx: RequestContext,
  q: string | undefined,
  kinds: string[],
  limit: number,
  scopeMode: 'mine' | 'city' = 'mine',
) {
  const scope = orgPolicy.read(ctx.actor);
  // Names of active units are not confidential: a district names city departments as 责任/包保 units.
  const rows = await repo.searchOptions(deps.db, scopeMode === 'city' ? { ...scope, isAll: true } : scope, q, kinds, limit);
  return rows.map((r) => ({ ...r, kind: r.kind as OrgUnitKind, pathNames: r.pathNames ?? r.name }));
}

export async function getUnit(deps: UnitDeps, ctx: RequestContext, id: string): Promise<OrgUnit> {
  const scope = orgPolicy.read(ctx.actor);
  const row = await repo.getUnit(deps.db, id);
  if (!row) throw notFound('单位');
  requireInScope(scope, row.path);
  return presentUnit(deps, row, await repo.countActiveChildren(deps.db, id));
}

function fieldsFrom(deps: UnitDeps, input: Partial<CreateOrgUnitRequest>) {
  const out: Partial<repo.OrgUnitRow> = {};
  if (input.name !== undefined) {
    out.name = input.name;
    out.searchText = searchTextOf(input.name);
  }
  if (input.shortName !== undefined) out.shortName = input.shortName ?? null;
  if (input.kind !== undefined) out.kind = input.kind;
  if (input.subKind !== undefined) out.subKind = input.subKind ?? null;
  if (input.divisionCode !== undefined) out.divisionCode = input.divisionCode ?? null;
  if (input.creditCode !== undefined) out.creditCode = input.creditCode ?? null;
  if (input.address !== undefined) out.address = input.address ?? null;
  if (input.population !== undefined) out.population = input.population ?? null;
  if (input.contactName !== undefined) out.contactName = input.contactName ?? null;
  if (input.contactPhone !== undefined) out.contactPhoneEnc = input.contactPhone ? deps.crypto.encrypt(input.contactPhone) : null;
  if (input.sort !== undefined) out.sort = input.sort;
  return out;
}

function checkSubKind(kind: OrgUnitKind, subKind: string | null | undefined) {
  if (subKind && kind !== 'unit' && kind !== 'department') {
    throw new AppError('VALIDATION_FAILED', '只有部门和单位可以设置单位类别', [{ path: 'body.subKind', message: '只有部门和单位可以设置单位类别' }]);
  }
}

export async function createUnit(deps: UnitDeps, ctx: RequestContext, input: CreateOrgUnitRequest): Promise<OrgUnit> {
  return deps.db.transaction(async (tx) => {
    const parent = await repo.getUnit(tx, input.parentId);
    if (!parent) throw new AppError('VALIDATION_FAILED', '上级单位不存在', [{ path: 'body.parentId', message: '上级单位不存在' }]);
    orgPolicy.write(ctx.actor, parent.path);
    if (!parent.isActive) throw new AppError('BUSINESS_RULE', '上级单位已停用，不能新增下级');
    const problem = childKindProblem(parent.kind as OrgUnitKind, input.kind);
    if (problem) throw new AppError('VALIDATION_FAILED', problem, [{ path: 'body.kind', message: problem }]);
    checkSubKind(input.kind, input.subKind);
    const id = newId();
    const row = await repo.insertUnit(tx, {
      ...fieldsFrom(deps, input),
      id,
      parentId: parent.id,
      path: childPath(parent.path, id),
      depth: parent.depth + 1,
      name: input.name,
      kind: input.kind,
      searchText: searchTextOf(input.name),
    });
    await audit(tx, ctx, { action: 'create', entity: 'org_unit', entityId: id, after: auditForm(row) });
    return presentUnit(deps, row);
  });
}

export async function updateUnit(deps: UnitDeps, ctx: RequestContext, id: string, input: UpdateOrgUnitRequest): Promise<OrgUnit> {
  return deps.db.transaction(async (tx) => {
    const before = await repo.getUnitForUpdate(tx, id);
    if (!before) throw notFound('单位');
    orgPolicy.editUnit(ctx.actor, before.path);
    if (before.version !== input.version) throw staleVersion();
    const kind = input.kind ?? (before.kind as OrgUnitKind);
    if (input.kind && input.kind !== before.kind && before.parentId) {
      const parent = await repo.getUnit(tx, before.parentId);
      const problem = parent && childKindProblem(parent.kind as OrgUnitKind, input.kind);
      if (problem) throw new AppError('VALIDATION_FAILED', problem, [{ path: 'body.kind', message: problem }]);
    }
    checkSubKind(kind, input.subKind === undefined ? before.subKind : input.subKind);
    const { version, ...data } = input;
    const after = await repo.updateUnit(tx, id, version, fieldsFrom(deps, data));
    if (!after) throw staleVersion();
    await audit(tx, ctx, { action: 'update', entity: 'org_unit', entityId: id, before: auditForm(before), after: auditForm(after) });
    return presentUnit(deps, after, await repo.countActiveChildren(tx, id));
  });
}

/** Moves a unit and its subtree under a new parent; history (audit, records) keeps the old ids. */
export async function moveUnit(deps: UnitDeps, ctx: RequestContext, id: string, parentId: string, version: number): Promise<OrgUnit> {
  return deps.db.transaction(async (tx) => {
    const unit = await repo.getUnitForUpdate(tx, id);
    if (!unit) throw notFound('单位');
    orgPolicy.editUnit(ctx.actor, unit.path);
    if (unit.version !== version) throw staleVersion();
    const parent = await repo.getUnit(tx, parentId);
    if (!parent) throw new AppError('VALIDATION_FAILED', '目标上级单位不存在', [{ path: 'body.parentId', message: '目标上级单位不存在' }]);
    orgPolicy.write(ctx.actor, parent.path);
    const problem = moveProblem(unit.path, parent.path) ?? childKindProblem(parent.kind as OrgUnitKind, unit.kind as OrgUnitKind);
    if (problem) throw new AppError('BUSINESS_RULE', problem, [{ path: 'body.parentId', message: problem }]);
    const newPath = childPath(parent.path, unit.id);
    await repo.rewriteSubtreePaths(tx, unit.path, newPath, parent.depth + 1 - unit.depth);
    const after = await repo.updateUnit(tx, id, version, { parentId: parent.id });
    if (!after) throw staleVersion();
    await audit(tx, ctx, {
      action: 'move',
      entity: 'org_unit',
      entityId: id,
      before: { parentId: unit.parentId, path: unit.path },
      after: { parentId: parent.id, path: newPath },
    });
    return presentUnit(deps, after, await repo.countActiveChildren(tx, id));
  });
}

/** Deactivation keeps the row and every record that points at it; active children block it. */
export async function setUnitActive(deps: UnitDeps, ctx: RequestContext, id: string, version: number, isActive: boolean) {
  return deps.db.transaction(async (tx) => {
    const unit = await repo.getUnitForUpdate(tx, id);
    if (!unit) throw notFound('单位');
    orgPolicy.editUnit(ctx.actor, unit.path);
    if (unit.version !== version) throw staleVersion();
    if (!unit.parentId) throw new AppError('BUSINESS_RULE', '不能停用根单位');
    if (!isActive && (await repo.countActiveChildren(tx, id)) > 0) {
      throw new AppError('BUSINESS_RULE', '请先停用或移走其下级单位');
    }
    if (isActive && unit.parentId) {
      const parent = await repo.getUnit(tx, unit.parentId);
      if (parent && !parent.isActive) throw new AppError('BUSINESS_RULE', '上级单位已停用，请先启用上级单位');
    }
    const after = await repo.updateUnit(tx, id, version, { isActive, deactivatedAt: isActive ? null : new Date() });
    if (!after) throw staleVersion();
    await audit(tx, ctx, {
      action: isActive ? 'activate' : 'deactivate',
      entity: 'org_unit',
      entityId: id,
      before: { isActive: unit.isActive },
      after: { isActive },
    });
    return presentUnit(deps, after);
  });
}

export async function getSummary(deps: UnitDeps, ctx: RequestContext) {
  return repo.summary(deps.db, orgPolicy.read(ctx.actor));
}
