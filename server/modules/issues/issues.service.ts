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
import { audit, auditStatement } from '../audit/index.ts';
import type { FileInfo } from '../../../contracts/files.ts';
import { attachFiles, listOwnerFiles } from '../files/index.ts';
import { getPointRow, getUnitRow } from '../org/index.ts';
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
    pointName: r.point_name ?? null,
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

const flowStateOfView = (v: repo.IssueDetailRow): FlowState => ({
  state: v.state,
  responsibleUnitId: v.responsible_unit_id,
  deadline: iso(v.deadline),
  extensionPending: v.extension_pending,
  requestedDeadline: iso(v.requested_deadline),
  reworkCount: v.rework_count,
  relapseCount: v.relapse_count,
  mergedIntoId: v.merged_into_id,
});

const factsOfView = (v: repo.IssueDetailRow) =>
  factsOf({ areaPath: v.area_path, responsiblePath: v.responsible_path, state: v.state, reporterId: v.reporter_id, gridId: v.grid_id });

/** Locks an issue the actor may see for a step, or 404 (another unit's issue is not even acknowledged). */
async function lockVisibleIssue(db: Executor, actor: Actor, id: string): Promise<repo.IssueRow> {
  const row = await repo.getIssue(db, id, true);
  if (!row || !issuesPolicy.canSee(actor, issuesPolicy.read(actor), factsOf(row))) throw notFound('问题');
  return row;
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
    myGridIds: [...actor.gridIds],
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

/** The issue page: the issue, its timeline, its files and what the actor may do next. */
function presentDetail(deps: IssueDeps, actor: Actor, view: repo.IssueDetailRow, events: repo.EventViewRow[], files: FileInfo[]): IssueDetail {
  return {
    ...presentIssue(view, deps),
    events: events.map(presentEvent),
    files: files.map((f) => ({ id: f.id, originalName: f.originalName, contentUrl: f.contentUrl, thumbnailUrl: f.thumbnailUrl })),
    mergedReports: view.merged_reports.map((m) => ({ id: m.id, number: m.number, title: m.title, source: m.source, createdAt: iso(m.created_at)! })),
    allowedActions: allowedActions(flowStateOfView(view), issuesPolicy.rolesOn(actor, factsOfView(view))),
  };
}

async function loadDetail(deps: IssueDeps, db: Executor, actor: Actor, view: repo.IssueDetailRow): Promise<IssueDetail> {
  const events = await repo.listEvents(db, view.id);
  const files = await listOwnerFiles(db, 'issue', view.id);
  return presentDetail(deps, actor, view, events, files);
}

export async function getIssue(deps: IssueDeps, ctx: RequestContext, id: string): Promise<IssueDetail> {
  const scope = issuesPolicy.read(ctx.actor);
  const view = await repo.getIssueView(deps.db, id, deps.config.issues.dueSoonHours);
  if (!view || !issuesPolicy.canSee(ctx.actor, scope, factsOfView(view))) throw notFound('问题');
  return loadDetail(deps, deps.db, ctx.actor, view);
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
  const rows = await repo.openIssuesInBox(deps.db, scope, category.id, { minLng: lng - dLng, maxLng: lng + dLng, minLat: lat - dLat, maxLat: lat + dLat }, q.excludeId, 2000, [...ctx.actor.gridIds]);
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

/**
 * The place and default unit of a new issue, checked: a point (its area, grid, first 责任单位), a
 * grid (its community) or an area unit. The responsible unit: the point's first 责任单位, else the
 * category's (or its parent's) rule, else, for a place in a grid, its area unit.
 */
function placeOf(input: CreateIssueRequest, r: repo.FilingRefsRow) {
  if (input.pointId) {
    if (!r.place_active) throw invalid('body.pointId', '点位不存在或已停用');
  } else if (input.gridId) {
    if (!r.place_active) throw invalid('body.gridId', '网格不存在或已停用');
  } else {
    if (!r.place_active) throw invalid('body.areaUnitId', '所在区域不存在或已停用');
    if (!['district', 'street', 'community'].includes(r.area_kind ?? '')) throw invalid('body.areaUnitId', '所在区域须为区县、街道（乡镇）或社区（村）');
  }
  const gridId = input.pointId ? (input.gridId ?? r.grid_id) : r.grid_id;
  const pick = (id: string | null, path: string | null, name: string | null) => (id && path && name ? { id, path, name } : null);
  const unit =
    pick(r.place_unit_id, r.place_unit_path, r.place_unit_name) ??
    pick(r.category_unit_id, r.category_unit_path, r.category_unit_name) ??
    (gridId ? pick(r.area_unit_id, r.area_path, r.area_name) : null);
  return {
    areaUnitId: r.area_unit_id!,
    areaPath: r.area_path!,
    areaName: r.area_name!,
    gridId,
    pointId: input.pointId ?? null,
    pointName: input.pointId ? (r.point_name ?? null) : null,
    address: input.address ?? r.address,
    lng: input.lng ?? r.lng,
    lat: input.lat ?? r.lat,
    unit,
  };
}

/**
 * Filing by someone who is not a user (a citizen on the public 随手拍 page, an Open311 client):
 * no reporter, no actor on the report event, the channel in its note. `ctx.actor` is the
 * request's stand-in (it owns that request's uploads and names the channel in the audit log);
 * `inTx` writes the caller's own rows (the tracking code) in the same transaction.
 */
export type OnBehalf = { note: string; inTx?: (tx: Executor, issue: { id: string; number: string }) => Promise<void> };

/**
 * Files an issue: one read (category, place, names), then one statement that writes the number,
 * the issue, its first event and the audit entry — inside a transaction only when photos are
 * attached or the caller writes rows of its own. The answer is built from what was written.
 */
export async function createIssue(deps: IssueDeps, ctx: RequestContext, input: CreateIssueRequest, onBehalf?: OnBehalf): Promise<IssueDetail> {
  if (!onBehalf) issuesPolicy.report(ctx.actor);
  if (input.lng != null && input.lat != null) await assertInCityBounds(deps, input.lng, input.lat);
  const placeKey: repo.FilingPlace = input.pointId ? { pointId: input.pointId } : input.gridId ? { gridId: input.gridId } : { areaUnitId: input.areaUnitId! };
  const actorUnitId = onBehalf ? null : ctx.actor.unitId || null;
  const refs = await repo.filingRefs(deps.db, input.categoryId, placeKey, actorUnitId);
  if (!refs.category_active) throw invalid('body.categoryId', '问题分类不存在或已停用');
  const place = placeOf(input, refs);
  const now = new Date();
  // the proposed deadline; dispatch sets the binding one from its own time
  const deadline = await deadlineFor(deps.db, { timeLimitDays: refs.time_limit_days!, timeLimitUnit: refs.time_limit_unit! }, input.severity, now);
  const id = newId();
  const reporterId = onBehalf ? null : ctx.actor.userId;
  const issue: repo.NewIssue = {
    id,
    source: input.source,
    categoryId: input.categoryId,
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
    reporterId,
    reporterPhoneEnc: input.reporterPhone ? deps.crypto.encrypt(input.reporterPhone) : null,
    responsibleUnitId: place.unit?.id ?? null,
    responsiblePath: place.unit?.path ?? null,
    deadline,
    state: 'reported',
    createdAt: now,
    updatedAt: now,
  };
  const day = chinaDay(now);
  const write = async (db: Executor) => {
    const files = input.photos.length ? await attachFiles(db, input.photos, 'issue', id, ctx) : [];
    const photos = files.map((f) => f.id);
    const event: repo.NewIssueEvent = {
      action: 'report',
      fromState: null,
      toState: 'reported',
      actorId: reporterId,
      actorUnitId,
      note: onBehalf?.note ?? null,
      data: { unitId: issue.responsibleUnitId, deadline: deadline.toISOString(), photos },
      at: now,
    };
    const after = { source: issue.source, categoryId: issue.categoryId, title: issue.title, areaUnitId: issue.areaUnitId, responsibleUnitId: issue.responsibleUnitId, state: issue.state, photos };
    const written = await repo.fileIssue(db, day.date, `WT${day.key}-`, issue, event, (withNumber) =>
      auditStatement(db, ctx, { action: 'create', entity: 'issue', entityId: id, after }, withNumber),
    );
    if (onBehalf?.inTx) await onBehalf.inTx(db, { id, number: written.number });
    return { ...written, event, files };
  };
  const { number, eventId, event, files } = input.photos.length || onBehalf?.inTx ? await deps.db.transaction(write) : await write(deps.db);

  const view: repo.IssueDetailRow = {
    id,
    number,
    source: input.source,
    category_id: input.categoryId,
    category_name: refs.category_name!,
    severity: input.severity,
    title: input.title,
    description: input.description,
    point_id: place.pointId,
    point_name: place.pointName,
    grid_id: place.gridId,
    area_unit_id: place.areaUnitId,
    area_unit_name: place.areaName,
    area_path: place.areaPath,
    address: place.address,
    lng: place.lng,
    lat: place.lat,
    reporter_id: reporterId,
    reporter_name: onBehalf ? null : ctx.actor.name,
    reporter_phone_enc: issue.reporterPhoneEnc ?? null,
    responsible_unit_id: place.unit?.id ?? null,
    responsible_unit_name: place.unit?.name ?? null,
    responsible_path: place.unit?.path ?? null,
    deadline,
    is_overdue: false,
    is_due_soon: deadline.getTime() < now.getTime() + deps.config.issues.dueSoonHours * 3_600_000,
    state: 'reported',
    extension_pending: false,
    requested_deadline: null,
    merged_reports: [],
    rework_count: 0,
    relapse_count: 0,
    merged_into_id: null,
    version: 1,
    created_at: now,
    updated_at: now,
    closed_at: null,
  };
  const eventView: repo.EventViewRow = {
    ...event,
    id: eventId,
    issueId: id,
    fromState: null,
    actorId: event.actorId ?? null,
    actorUnitId: event.actorUnitId ?? null,
    note: event.note ?? null,
    data: event.data ?? {},
    at: now,
    actorName: onBehalf ? null : ctx.actor.name,
    actorUnitName: refs.actor_unit_name,
    unitName: place.unit?.name ?? null,
  };
  return presentDetail(deps, ctx.actor, view, [eventView], files);
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
    const row = await lockVisibleIssue(tx, ctx.actor, id);
    if (row.version !== input.version) throw staleVersion();
    const before = flowStateOf(row);
    const possible = allowedActions(before);
    if (!possible.includes(action)) {
      throw new AppError('INVALID_STATE', `问题当前为「${IssueStateLabels[before.state]}」，不能进行此操作`, [
        { path: 'state', message: before.state },
        ...possible.map((a, i) => ({ path: `allowedActions.${i}`, message: a })),
      ]);
    }
    const roles = issuesPolicy.rolesOn(ctx.actor, factsOf(row));
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
      if (!target || !issuesPolicy.canSee(ctx.actor, issuesPolicy.read(ctx.actor), factsOf(target))) throw invalid('body.targetId', '要合并到的问题不存在');
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
    return loadDetail(deps, tx, ctx.actor, (await repo.getIssueView(tx, id, deps.config.issues.dueSoonHours))!);
  });
  // webhook (and later SMS) only once the step is committed
  void outbox.flush(deps);
  return detail;
}

/** The deadline of a limit started at `from`: the category's days (severity-adjusted) in its unit, by the holiday calendar. */
async function deadlineFor(db: Executor, category: Pick<repo.CategoryRow, 'timeLimitDays' | 'timeLimitUnit'>, severity: IssueSeverity, from: Date): Promise<Date> {
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

// ---- for other modules (inspections): filing and 回潮 inside the caller's transaction ----

/**
 * Files an issue inside the caller's open transaction (an inspection's submission), so the
 * issue, its event and audit land or fail with the caller's own rows. Same checks, numbering and
 * event log as every issue; the actor needs `issues.report`, unless `system` is set (the finding
 * is filed by the inspection itself, the inspector named in the note).
 */
export async function fileIssueInTx(deps: IssueDeps, tx: Executor, ctx: RequestContext, input: CreateIssueRequest, system?: { note: string }): Promise<IssueDetail> {
  const txDeps = { ...deps, db: tx as unknown as Deps['db'] };
  return createIssue(txDeps, ctx, input, system ? { note: system.note } : undefined);
}

/**
 * 回潮: a closed issue's problem found again (by an inspection), inside the caller's transaction:
 * the flow's `reopen` (relapse count + 1, back to 已派遣 with the category's limit from now), its
 * event and audit. Not a user's action, so no role is asked; the caller has decided it.
 */
export async function relapseIssueInTx(tx: Executor, ctx: RequestContext, id: string, reason: string): Promise<{ ok: boolean; state: string }> {
  const row = await repo.getIssue(tx, id, true);
  if (!row) return { ok: false, state: 'missing' };
  const before = flowStateOf(row);
  if (before.state !== 'closed') return { ok: false, state: before.state };
  const category = await repo.getCategory(tx, row.categoryId);
  const deadline = category ? (await deadlineFor(tx, category, row.severity as IssueSeverity, new Date())).toISOString() : null;
  const result = apply(before, { type: 'reopen', reason, ...(deadline && { deadline }) });
  if (!result.ok) return { ok: false, state: before.state };
  const next = result.state;
  const after = await repo.updateIssue(tx, id, row.version, {
    state: next.state,
    deadline: next.deadline ? new Date(next.deadline) : null,
    relapseCount: next.relapseCount,
    closedAt: null,
  });
  if (!after) throw staleVersion();
  await repo.insertEvent(tx, { issueId: id, action: 'reopen', fromState: before.state, toState: next.state, actorId: ctx.actor.userId, actorUnitId: ctx.actor.unitId, note: reason, data: { deadline, relapseCount: next.relapseCount } });
  await audit(tx, ctx, { action: 'reopen', entity: 'issue', entityId: id, before: { ...before, version: row.version }, after: { ...next, version: after.version, note: reason } });
  return { ok: true, state: next.state };
}

/** The states and numbers of some issues (for pages of other modules that link to them). */
export async function issueStates(db: Executor, ids: string[]): Promise<Map<string, { number: string; state: string }>> {
  return repo.issueStates(db, ids);
}
