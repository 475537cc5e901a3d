import {
  type CreateIssueCategoryRequest,
  type CreateIssueRequest,
  type Issue,
  type IssueAction,
  type IssueActionRequest,
  type IssueCategory,
  type IssueDetail,
  type IssueDuplicatesQuery,
  type IssueDuplicatesResponse,
  type IssueEvent,
  type IssueSeverity,
  type IssueMarkers,
  type IssueMarkersQuery,
  IssueStateLabels,
  type ListIssuesQuery,
  type UpdateIssueCategoryRequest,
} from '../../../contracts/issues.ts';
import { computeDeadline, EMPTY_CALENDAR, shanghaiDate } from '../../../domain/working-days.ts';
import { Outbox } from '../notifications/index.ts';
import { assertInCityBounds } from './city-bounds.ts';
import { loadCalendar } from './holidays.repo.ts';
import { NOTIFYING_ACTIONS, notifyIssueEvent } from './issues.notify.ts';
import { apply, allowedActions, type FlowAction, type FlowInput, type FlowState, rolesFor } from '../../../domain/issue-flow.ts';
import { maskPhone } from '../../../domain/masking.ts';
import type { Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import type { Actor, RequestContext } from '../../http/actor.ts';
import { AppError, forbidden, notFound, staleVersion } from '../../http/errors.ts';
import { newId } from '../../lib/ids.ts';
import { audit } from '../audit/index.ts';
import { attachFiles, listOwnerFiles } from '../files/index.ts';
import { firstUnitOfPoint, getGridRow, getPointRow, getUnitRow } from '../org/index.ts';
import { factsOf, issuesPolicy } from './issues.policy.ts';
import * as repo from './issues.repo.ts';

type IssueDeps = Pick<Deps, 'db' | 'crypto' | 'config'>;

const DAY_MS = 86_400_000;
const invalid = (path: string, message: string) => new AppError('VALIDATION_FAILED', message, [{ path, message }]);
const iso = (v: string | Date | null): string | null => (v === null ? null : new Date(v).toISOString());

/** The day part of the human number, in China Standard Time: 2026-11-21 → '20261121'. */
function chinaDay(now: Date): { key: string; date: string } {
  const d = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  return { key: d.replaceAll('-', ''), date: d };
}

function presentIssue(r: repo.IssueViewRow, deps: IssueDeps): Issue {
  let phoneMasked: string | null = null;
  if (r.reporter_phone_enc) {
    try {
      phoneMasked = maskPhone(deps.crypto.decrypt(r.reporter_phone_enc));
    } catch {
      phoneMasked = '***';
    }
  }
  return {
    id: r.id,
    number: r.number,
    source: r.source,
    categoryId: r.category_id,
    categoryName: r.category_name,
    severity: r.severity as Issue['severity'],
    title: r.title,
    description: r.description,
    pointId: r.point_id,
    gridId: r.grid_id,
    areaUnitId: r.area_unit_id,
    areaUnitName: r.area_unit_name,
    address: r.address,
    lng: r.lng === null ? null : Number(r.lng),
    lat: r.lat === null ? null : Number(r.lat),
    reporterId: r.reporter_id,
    reporterName: r.reporter_name,
    reporterPhoneMasked: phoneMasked,
    responsibleUnitId: r.responsible_unit_id,
    responsibleUnitName: r.responsible_unit_name,
    deadline: iso(r.deadline),
    isOverdue: r.is_overdue,
    isDueSoon: r.is_due_soon,
    state: r.state,
    extensionPending: r.extension_pending,
    reworkCount: r.rework_count,
    relapseCount: r.relapse_count,
    mergedIntoId: r.merged_into_id,
    version: r.version,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
    closedAt: iso(r.closed_at),
  };
}

function presentEvent(e: repo.EventViewRow): IssueEvent {
  return {
    id: Number(e.id),
    action: e.action as IssueAction,
    fromState: (e.fromState as IssueEvent['fromState']) ?? null,
    toState: e.toState as IssueEvent['toState'],
    actorId: e.actorId,
    actorName: e.actorName,
    actorUnitId: e.actorUnitId,
    actorUnitName: e.actorUnitName ?? null,
    unitName: e.unitName ?? null,
    note: e.note,
    data: typeof e.data === 'string' ? (JSON.parse(e.data) as Record<string, unknown>) : (e.data ?? {}),
    at: new Date(e.at).toISOString(),
  };
}

const flowStateOf = (i: repo.IssueRow): FlowState => ({
  state: i.state as FlowState['state'],
  responsibleUnitId: i.responsibleUnitId,
  deadline: i.deadline ? i.deadline.toISOString() : null,
  extensionPending: i.extensionPending,
  requestedDeadline: i.requestedDeadline ? i.requestedDeadline.toISOString() : null,
  reworkCount: i.reworkCount,
  relapseCount: i.relapseCount,
  mergedIntoId: i.mergedIntoId,
});

/** Loads an issue the actor may see, or 404 (another unit's issue is not even acknowledged). */
async function visibleIssue(db: Executor, actor: Actor, id: string, forUpdate = false) {
  const scope = issuesPolicy.read(actor);
  const row = await repo.getIssue(db, id, forUpdate);
  const grids = await repo.gridIdsOfWorker(db, actor.userId);
  if (!row || !issuesPolicy.canSee(actor, scope, factsOf(row), grids)) throw notFound('问题');
  return { row, grids };
}

// ---- list and detail ----

/** The list filter of a query: area path resolved, Shanghai days turned into instants, `mine` into the actor's unit path. */
async function filterOf(deps: IssueDeps, actor: Actor, q: IssueMarkersQuery): Promise<repo.IssueFilter> {
  const { areaUnitId, createdFrom, createdTo, mine, reportedByMe, ...rest } = q;
  let areaPath: string | null = null;
  if (areaUnitId) {
    const unit = await getUnitRow(deps.db, areaUnitId);
    if (!unit) throw invalid('querystring.areaUnitId', '所选区域不存在');
    areaPath = unit.path;
  }
  const dayStart = (d: string) => new Date(`${d}T00:00:00+08:00`);
  return {
    ...rest,
    myGridIds: [...(await repo.gridIdsOfWorker(deps.db, actor.userId))],
    areaPath,
    createdFrom: createdFrom ? dayStart(createdFrom) : undefined,
    createdBefore: createdTo ? new Date(dayStart(createdTo).getTime() + DAY_MS) : undefined,
    responsiblePath: mine ? actor.unitPath : null,
    reporterId: reportedByMe ? actor.userId : undefined,
    dueSoonHours: deps.config.issues.dueSoonHours,
  };
}

export async function listIssues(deps: IssueDeps, ctx: RequestContext, q: ListIssuesQuery) {
  const scope = issuesPolicy.read(ctx.actor);
  const { page, pageSize, ...rest } = q;
  const { items, total } = await repo.listIssues(deps.db, scope, await filterOf(deps, ctx.actor, rest), page, pageSize);
  return { items: items.map((r) => presentIssue(r, deps)), total, page, pageSize };
}

/** The map gets at most this many issues; beyond it the client is told to narrow the filters. */
export const ISSUE_MARKER_CAP = 5000;

export async function listIssueMarkers(deps: IssueDeps, ctx: RequestContext, q: IssueMarkersQuery): Promise<IssueMarkers> {
  const scope = issuesPolicy.read(ctx.actor);
  const rows = await repo.listIssueMarkers(deps.db, scope, await filterOf(deps, ctx.actor, q), ISSUE_MARKER_CAP + 1);
  return {
    items: rows.slice(0, ISSUE_MARKER_CAP).map((r) => ({ id: r.id, number: r.number, title: r.title, state: r.state, isOverdue: r.is_overdue, lng: Number(r.lng), lat: Number(r.lat) })),
    truncated: rows.length > ISSUE_MARKER_CAP,
  };
}

async function loadDetail(deps: IssueDeps, db: Executor, actor: Actor, row: repo.IssueRow, grids: ReadonlySet<string>): Promise<IssueDetail> {
  const view = (await repo.getIssueView(db, row.id, deps.config.issues.dueSoonHours))!;
  const events = await repo.listEvents(db, row.id);
  const files = await listOwnerFiles(db, 'issue', row.id);
  const roles = issuesPolicy.rolesOn(actor, factsOf(row), grids);
  return {
    ...presentIssue(view, deps),
    events: events.map(presentEvent),
    files: files.map((f) => ({ id: f.id, originalName: f.originalName, contentUrl: f.contentUrl, thumbnailUrl: f.thumbnailUrl })),
    allowedActions: allowedActions(flowStateOf(row), roles),
  };
}

export async function getIssue(deps: IssueDeps, ctx: RequestContext, id: string): Promise<IssueDetail> {
  const { row, grids } = await visibleIssue(deps.db, ctx.actor, id);
  return loadDetail(deps, deps.db, ctx.actor, row, grids);
}

// ---- duplicate hints ----

/** How many duplicate hints at most. */
export const DUPLICATE_HINTS_MAX = 10;
const EARTH_M = 6_371_000;

/** Great-circle distance in metres (haversine): distanceM(113.66, 34.75, 113.67, 34.75) ≈ 914. */
export function distanceM(lng1: number, lat1: number, lng2: number, lat2: number): number {
  const rad = Math.PI / 180;
  const h = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lng2 - lng1) * rad) / 2) ** 2;
  return 2 * EARTH_M * Math.asin(Math.sqrt(h));
}

/**
 * Open issues (not closed, rejected or merged) of the same category within
 * ISSUE_DUPLICATE_RADIUS_M of a place, nearest first, at most 10, in the caller's read scope:
 * a bounding box on the index, then the exact distance.
 */
export async function findDuplicates(deps: IssueDeps, ctx: RequestContext, q: IssueDuplicatesQuery): Promise<IssueDuplicatesResponse> {
  const scope = issuesPolicy.read(ctx.actor);
  const radiusM = deps.config.issues.duplicateRadiusM;
  let lng = q.lng;
  let lat = q.lat;
  if (lng == null || lat == null) {
    const point = await getPointRow(deps.db, q.pointId!);
    if (!point) throw invalid('querystring.pointId', '点位不存在');
    lng = point.lng;
    lat = point.lat;
  }
  const category = await repo.getCategory(deps.db, q.categoryId);
  if (!category) throw invalid('querystring.categoryId', '问题分类不存在');
  const dLat = radiusM / 111_320;
  const dLng = radiusM / (111_320 * Math.max(0.01, Math.cos((lat * Math.PI) / 180)));
  // dense places may hold many open issues of one category; the box is small, the cap generous
  const rows = await repo.openIssuesInBox(deps.db, scope, category.id, { minLng: lng - dLng, maxLng: lng + dLng, minLat: lat - dLat, maxLat: lat + dLat }, q.excludeId, 2000);
  const items = rows
    .map((r) => ({ r, d: distanceM(lng, lat, Number(r.lng), Number(r.lat)) }))
    .filter((x) => x.d <= radiusM)
    .sort((a, b) => a.d - b.d || String(b.r.created_at).localeCompare(String(a.r.created_at)))
    .slice(0, DUPLICATE_HINTS_MAX)
    .map(({ r, d }) => ({
      id: r.id,
      number: r.number,
      title: r.title,
      state: r.state,
      categoryId: r.category_id,
      categoryName: r.category_name,
      pointId: r.point_id,
      address: r.address,
      lng: Number(r.lng),
      lat: Number(r.lat),
      distanceM: Math.round(d),
      createdAt: iso(r.created_at)!,
    }));
  return { radiusM, items };
}

// ---- report ----

/** The place of a new issue: a point (area, grid, first 责任单位), a grid (its community) or an area unit. */
async function resolvePlace(db: Executor, input: CreateIssueRequest) {
  if (input.pointId) {
    const point = await getPointRow(db, input.pointId);
    if (!point?.isActive) throw invalid('body.pointId', '点位不存在或已停用');
    const unit = await firstUnitOfPoint(db, point.id);
    return {
      areaUnitId: point.areaUnitId,
      areaPath: point.areaPath,
      gridId: input.gridId ?? point.gridId,
      pointId: point.id,
      address: input.address ?? point.address,
      lng: input.lng ?? point.lng,
      lat: input.lat ?? point.lat,
      unit: unit ?? null,
    };
  }
  if (input.gridId) {
    const grid = await getGridRow(db, input.gridId);
    if (!grid?.isActive) throw invalid('body.gridId', '网格不存在或已停用');
    const community = await getUnitRow(db, grid.communityId);
    if (!community) throw invalid('body.gridId', '网格所属社区不存在');
    return { areaUnitId: community.id, areaPath: community.path, gridId: grid.id, pointId: null, address: input.address ?? null, lng: input.lng ?? null, lat: input.lat ?? null, unit: null };
  }
  const area = await getUnitRow(db, input.areaUnitId!);
  if (!area?.isActive) throw invalid('body.areaUnitId', '所在区域不存在或已停用');
  if (!['district', 'street', 'community'].includes(area.kind)) throw invalid('body.areaUnitId', '所在区域须为区县、街道（乡镇）或社区（村）');
  return { areaUnitId: area.id, areaPath: area.path, gridId: null, pointId: null, address: input.address ?? null, lng: input.lng ?? null, lat: input.lat ?? null, unit: null };
}

/**
 * Filing by someone who is not a user (a citizen on the public 随手拍 page, an Open311 client):
 * no reporter, no actor on the report event, the channel in its note. `ctx.actor` is the
 * request's stand-in (it owns that request's uploads and names the channel in the audit log);
 * `inTx` writes the caller's own rows (the tracking code) in the same transaction.
 */
export type OnBehalf = { note: string; inTx?: (tx: Executor, issue: repo.IssueRow) => Promise<void> };

export async function createIssue(deps: IssueDeps, ctx: RequestContext, input: CreateIssueRequest, onBehalf?: OnBehalf): Promise<IssueDetail> {
  if (!onBehalf) issuesPolicy.report(ctx.actor);
  if (input.lng != null && input.lat != null) await assertInCityBounds(deps, input.lng, input.lat);
  const row = await deps.db.transaction(async (tx) => {
    const category = await repo.getCategory(tx, input.categoryId);
    if (!category?.isActive) throw invalid('body.categoryId', '问题分类不存在或已停用');
    const parent = category.parentId ? await repo.getCategory(tx, category.parentId) : undefined;
    const place = await resolvePlace(tx, input);
    // default responsible unit: the point's first 责任单位, else the category's rule, else the grid's community
    const categoryUnitId = category.defaultUnitId ?? parent?.defaultUnitId ?? null;
    const fallbackUnitId = categoryUnitId ?? (place.gridId ? place.areaUnitId : null);
    const unit = place.unit ?? (fallbackUnitId ? await getUnitRow(tx, fallbackUnitId) : undefined);
    const now = new Date();
    // the proposed deadline; dispatch sets the binding one from its own time
    const deadline = await deadlineFor(tx, category, input.severity, now);
    const id = newId();
    const photos = input.photos.length ? (await attachFiles(tx, input.photos, 'issue', id, ctx)).map((f) => f.id) : [];
    // the day's number last: its counter row stays locked until commit, so every filing of the
    // day queues on it — only the three writes below run while it is held
    const day = chinaDay(now);
    const seq = await repo.nextDayNumber(tx, day.date);
    const row = await repo.insertIssue(tx, {
      id,
      number: `WT${day.key}-${String(seq).padStart(6, '0')}`,
      source: input.source,
      categoryId: category.id,
      severity: input.severity,
      title: input.title,
      description: input.description,
      pointId: place.pointId,
      gridId: place.gridId,
      areaUnitId: place.areaUnitId,
      areaPath: place.areaPath,
      address: place.address,
      lng: place.lng,
      lat: place.lat,
      reporterId: onBehalf ? null : ctx.actor.userId,
      reporterPhoneEnc: input.reporterPhone ? deps.crypto.encrypt(input.reporterPhone) : null,
      responsibleUnitId: unit?.id ?? null,
      responsiblePath: unit?.path ?? null,
      deadline,
      state: 'reported',
    });
    await repo.insertEvent(tx, {
      issueId: id,
      action: 'report',
      fromState: null,
      toState: 'reported',
      actorId: onBehalf ? null : ctx.actor.userId,
      actorUnitId: onBehalf ? null : ctx.actor.unitId,
      note: onBehalf?.note ?? null,
      data: { unitId: row.responsibleUnitId, deadline: deadline.toISOString(), photos },
    });
    await audit(tx, ctx, {
      action: 'create',
      entity: 'issue',
      entityId: id,
      after: { number: row.number, source: row.source, categoryId: row.categoryId, title: row.title, areaUnitId: row.areaUnitId, responsibleUnitId: row.responsibleUnitId, state: row.state, photos },
    });
    if (onBehalf?.inTx) await onBehalf.inTx(tx, row);
    return row;
  });
  return loadDetail(deps, deps.db, ctx.actor, row, await repo.gridIdsOfWorker(deps.db, ctx.actor.userId));
}

/** Filing without a logged-in user (public 随手拍, Open311 clients): the same path, numbering, event log and audit as every issue. */
export const fileIssueOnBehalf = (deps: IssueDeps, ctx: RequestContext, input: CreateIssueRequest, onBehalf: OnBehalf): Promise<IssueDetail> =>
  createIssue(deps, ctx, input, onBehalf);

// ---- actions ----

const inputPath: Record<FlowInput, string> = { reason: 'body.note', unitId: 'body.unitId', photos: 'body.photos', deadline: 'body.deadline', targetId: 'body.targetId' };

const roleNames = { dispatcher: '调度（受理派遣）人员', unit: '责任单位', verifier: '核查人员', reporter: '上报人' } as const;

/**
 * Applies one action of the flow in ONE transaction: lock the row, check the version, ask the
 * domain whether the action is possible from the current state, ask the policy whether the actor
 * holds a role that may do it, then update the issue, write the event and the audit entry.
 */
export async function performAction(deps: IssueDeps, ctx: RequestContext, id: string, action: Exclude<IssueAction, 'report'>, input: IssueActionRequest): Promise<IssueDetail> {
  const outbox = new Outbox();
  const detail = await deps.db.transaction(async (tx) => {
    const { row, grids } = await visibleIssue(tx, ctx.actor, id, true);
    if (row.version !== input.version) throw staleVersion();
    const before = flowStateOf(row);
    const possible = allowedActions(before);
    if (!possible.includes(action)) {
      throw new AppError('INVALID_STATE', `问题当前为「${IssueStateLabels[before.state]}」，不能进行此操作`, [
        { path: 'state', message: before.state },
        ...possible.map((a, i) => ({ path: `allowedActions.${i}`, message: a })),
      ]);
    }
    const roles = issuesPolicy.rolesOn(ctx.actor, factsOf(row), grids);
    issuesPolicy.requireAny(roles, rolesFor(action), `此操作须由${rolesFor(action).map((r) => roleNames[r]).join('或')}进行`);

    const flowAction: FlowAction = { type: action, reason: input.note ?? null };
    if (input.deadline) {
      if (new Date(input.deadline).getTime() <= Date.now()) throw invalid('body.deadline', '期限须晚于当前时间');
      flowAction.deadline = new Date(input.deadline).toISOString();
    }
    if ((action === 'dispatch' || action === 'reopen') && !flowAction.deadline) {
      // 派遣 and 回潮 start the clock: the category's limit (adjusted by severity) from now, in its unit
      const category = await repo.getCategory(tx, row.categoryId);
      if (category) flowAction.deadline = (await deadlineFor(tx, category, row.severity as IssueSeverity, new Date())).toISOString();
    }
    let unitPath: string | null = null;
    if (action === 'dispatch') {
      if (input.unitId) {
        const unit = await getUnitRow(tx, input.unitId);
        if (!unit?.isActive) throw invalid('body.unitId', '责任单位不存在或已停用');
        if (unit.kind === 'city') throw invalid('body.unitId', '请派遣给具体的责任单位');
        unitPath = unit.path;
      }
      flowAction.unitId = input.unitId ?? null;
    }
    if (action === 'merge' && input.targetId) {
      if (input.targetId === id) throw invalid('body.targetId', '不能合并到自身');
      const target = await repo.getIssue(tx, input.targetId);
      if (!target || !issuesPolicy.canSee(ctx.actor, issuesPolicy.read(ctx.actor), factsOf(target), grids)) throw invalid('body.targetId', '要合并到的问题不存在');
      if (['merged', 'rejected'].includes(target.state)) throw invalid('body.targetId', '不能合并到已合并或不予立案的问题');
      flowAction.targetId = target.id;
    }
    if (input.photos?.length) flowAction.photos = input.photos;

    const result = apply(before, flowAction);
    if (!result.ok) {
      const e = result.error;
      if (e.code === 'MISSING_INPUT') throw invalid(inputPath[e.input], e.message);
      throw new AppError('INVALID_STATE', e.message, [{ path: 'state', message: e.state }]);
    }
    const next = result.state;
    const photos = input.photos?.length ? (await attachFiles(tx, input.photos, 'issue', id, ctx)).map((f) => f.id) : [];
    const after = await repo.updateIssue(tx, id, row.version, {
      state: next.state,
      responsibleUnitId: next.responsibleUnitId,
      ...(unitPath !== null && { responsiblePath: unitPath }),
      deadline: next.deadline ? new Date(next.deadline) : null,
      extensionPending: next.extensionPending,
      requestedDeadline: next.requestedDeadline ? new Date(next.requestedDeadline) : null,
      reworkCount: next.reworkCount,
      relapseCount: next.relapseCount,
      mergedIntoId: next.mergedIntoId,
      ...(next.state === 'closed' && before.state !== 'closed' && { closedAt: new Date() }),
      ...(action === 'reopen' && { closedAt: null }),
    });
    if (!after) throw staleVersion();
    const data: Record<string, unknown> = {};
    for (const k of ['unitId', 'deadline', 'targetId'] as const) if (flowAction[k]) data[k] = flowAction[k];
    if (photos.length) data.photos = photos;
    await repo.insertEvent(tx, {
      issueId: id,
      action,
      fromState: before.state,
      toState: next.state,
      actorId: ctx.actor.userId,
      actorUnitId: ctx.actor.unitId,
      note: input.note ?? null,
      data,
    });
    await audit(tx, ctx, {
      action,
      entity: 'issue',
      entityId: id,
      before: { ...before, version: row.version },
      after: { ...next, version: after.version, note: input.note ?? null, photos },
    });
    if (NOTIFYING_ACTIONS.has(action)) {
      const unitName = after.responsibleUnitId ? ((await getUnitRow(tx, after.responsibleUnitId))?.name ?? null) : null;
      await notifyIssueEvent(tx, outbox, { action, issue: after, actorId: ctx.actor.userId, note: input.note ?? null, unitName });
    }
    return loadDetail(deps, tx, ctx.actor, after, grids);
  });
  // webhook (and later SMS) only once the step is committed
  void outbox.flush(deps);
  return detail;
}

/** The deadline of a limit started at `from`: the category's days (severity-adjusted) in its unit, by the holiday calendar. */
async function deadlineFor(db: Executor, category: repo.CategoryRow, severity: IssueSeverity, from: Date): Promise<Date> {
  const unit = category.timeLimitUnit === 'working' ? 'working' : 'calendar';
  const calendar = unit === 'working' ? await loadCalendar(db, shanghaiDate(from)) : EMPTY_CALENDAR;
  return computeDeadline(from, category.timeLimitDays, unit, severity, calendar);
}

// ---- categories ----

function presentCategory(r: repo.CategoryViewRow): IssueCategory {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    kind: r.kind as IssueCategory['kind'],
    parentId: r.parentId,
    defaultUnitId: r.defaultUnitId,
    defaultUnitName: r.defaultUnitName,
    timeLimitDays: r.timeLimitDays,
    timeLimitUnit: r.timeLimitUnit === 'working' ? 'working' : 'calendar',
    sort: r.sort,
    isActive: r.isActive,
    version: r.version,
  };
}

function requireCategoryReader(actor: Actor) {
  const p = actor.permissions;
  if (!p.has('issues.read') && !p.has('issues.report') && !p.has('issues.manage')) throw forbidden('无权查看问题分类');
}

export async function listCategories(deps: IssueDeps, ctx: RequestContext, includeInactive: boolean): Promise<IssueCategory[]> {
  requireCategoryReader(ctx.actor);
  return (await repo.listCategories(deps.db, includeInactive)).map(presentCategory);
}

async function categoryView(db: Executor, id: string): Promise<IssueCategory> {
  const all = await repo.listCategories(db, true);
  return presentCategory(all.find((c) => c.id === id)!);
}

async function checkDefaultUnit(db: Executor, unitId: string | null | undefined) {
  if (!unitId) return;
  const unit = await getUnitRow(db, unitId);
  if (!unit?.isActive) throw invalid('body.defaultUnitId', '默认责任单位不存在或已停用');
}

const categoryAudit = (c: repo.CategoryRow) => ({
  code: c.code,
  name: c.name,
  kind: c.kind,
  parentId: c.parentId,
  defaultUnitId: c.defaultUnitId,
  timeLimitDays: c.timeLimitDays,
  timeLimitUnit: c.timeLimitUnit,
  sort: c.sort,
  isActive: c.isActive,
  version: c.version,
});

export async function createCategory(deps: IssueDeps, ctx: RequestContext, input: CreateIssueCategoryRequest): Promise<IssueCategory> {
  issuesPolicy.manageCategories(ctx.actor);
  return deps.db.transaction(async (tx) => {
    if (input.parentId) {
      const parent = await repo.getCategory(tx, input.parentId);
      if (!parent) throw invalid('body.parentId', '上级分类不存在');
      if (parent.parentId) throw invalid('body.parentId', '问题分类只有两级：上级须为大类');
    }
    await checkDefaultUnit(tx, input.defaultUnitId);
    const row = await repo.insertCategory(tx, {
      id: newId(),
      code: input.code,
      name: input.name,
      kind: input.kind,
      parentId: input.parentId ?? null,
      defaultUnitId: input.defaultUnitId ?? null,
      timeLimitDays: input.timeLimitDays,
      timeLimitUnit: input.timeLimitUnit,
      sort: input.sort,
    });
    await audit(tx, ctx, { action: 'create', entity: 'issue_category', entityId: row.id, after: categoryAudit(row) });
    return categoryView(tx, row.id);
  });
}

export async function updateCategory(deps: IssueDeps, ctx: RequestContext, id: string, input: UpdateIssueCategoryRequest): Promise<IssueCategory> {
  issuesPolicy.manageCategories(ctx.actor);
  return deps.db.transaction(async (tx) => {
    const before = await repo.getCategory(tx, id, true);
    if (!before) throw notFound('问题分类');
    if (before.version !== input.version) throw staleVersion();
    await checkDefaultUnit(tx, input.defaultUnitId);
    const { version, ...data } = input;
    const after = await repo.updateCategory(tx, id, version, data);
    if (!after) throw staleVersion();
    await audit(tx, ctx, { action: 'update', entity: 'issue_category', entityId: id, before: categoryAudit(before), after: categoryAudit(after) });
    return categoryView(tx, id);
  });
}
