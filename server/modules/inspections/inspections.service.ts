import { randomBytes } from 'node:crypto';
import {
  type DrawInput,
  type DrawPreview,
  type InspectionDetail,
  type InspectionQuery,
  type InspectionRow,
  InspectionModeLabels,
  type Occurrence,
  type OccurrenceForm,
  type OccurrenceQuery,
  type Plan,
  type PlanInput,
  type ScoreQuery,
  type ScoreRow,
  type ScoreTable,
  type SubmitInspection,
  type Team,
} from '../../../contracts/inspections.ts';
import { distanceMeters } from '../../../domain/geo.ts';
import { type InspectionMode, ISSUE_SOURCE_BY_MODE, nextState, type OccurrenceState, OccurrenceStateLabels } from '../../../domain/inspection-flow.ts';
import { stratifiedDraw } from '../../../domain/inspection-draw.ts';
import { shanghaiDayStart, windowsOf } from '../../../domain/inspection-schedule.ts';
import { addJudgement, type ChecklistItem, checkValue, emptySum, formatPoints, judge, type ObservationValue, photoRequired, ratePermille } from '../../../domain/inspection-scoring.ts';
import type { Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import type { RequestContext } from '../../http/actor.ts';
import { AppError, forbidden, notFound, staleVersion } from '../../http/errors.ts';
import { newId } from '../../lib/ids.ts';
import { audit } from '../audit/index.ts';
import { attachFiles, listOwnerFiles, shareFile } from '../files/index.ts';
import { fileIssueInTx, issueStates, relapseIssueInTx } from '../issues/index.ts';
import { getUnitRow } from '../org/index.ts';
import { inspectionsPolicy } from './inspections.policy.ts';
import * as repo from './inspections.repo.ts';

type D = Pick<Deps, 'db' | 'crypto' | 'config'>;
const invalid = (path: string, message: string) => new AppError('VALIDATION_FAILED', message, [{ path, message }]);
const iso = (v: Date | string | null | undefined) => (v == null ? null : new Date(v).toISOString());
const DAY = 86_400_000;
/** A submission farther than this from its point is flagged 偏离点位 (not refused). */
export const FAR_FROM_POINT_M = 300;
/** A plan makes at most this many occurrences. */
export const MAX_OCCURRENCES = 20_000;

// ---- 督查组 ----

export async function listTeams(deps: D, ctx: RequestContext): Promise<Team[]> {
  inspectionsPolicy.read(ctx.actor);
  return (await repo.listTeams(deps.db)).map((t) => ({
    id: t.id,
    name: t.name,
    unitId: t.unitId,
    unitName: t.unit_name,
    leader: { id: t.leaderId, name: t.leader_name },
    members: t.members,
    areaUnitIds: t.areaUnitIds,
    version: t.version,
  }));
}

async function checkTeamInput(tx: Executor, ctx: RequestContext, input: { unitId: string; leaderId: string; memberIds: string[] }) {
  const unit = await getUnitRow(tx, input.unitId);
  if (!unit?.isActive) throw invalid('body.unitId', '所属单位不存在或已停用');
  inspectionsPolicy.requireManageIn(ctx.actor, unit.path);
  const people = await repo.activeUsers(tx, [input.leaderId, ...input.memberIds]);
  if (!people.some((p) => p.id === input.leaderId)) throw invalid('body.leaderId', '组长不存在或已停用');
  const missing = input.memberIds.find((id) => !people.some((p) => p.id === id));
  if (missing) throw invalid('body.memberIds', '有成员不存在或已停用');
  return unit;
}

export async function createTeam(deps: D, ctx: RequestContext, input: { name: string; unitId: string; leaderId: string; memberIds: string[]; areaUnitIds: string[] }): Promise<Team> {
  inspectionsPolicy.manage(ctx.actor);
  const id = await deps.db.transaction(async (tx) => {
    await checkTeamInput(tx, ctx, input);
    const id = newId();
    await repo.insertTeam(tx, { id, name: input.name, unitId: input.unitId, leaderId: input.leaderId, areaUnitIds: input.areaUnitIds });
    await repo.setMembers(
      tx,
      id,
      [...new Set(input.memberIds)].filter((m) => m !== input.leaderId),
    );
    await audit(tx, ctx, { action: 'create', entity: 'inspection_team', entityId: id, after: input });
    return id;
  });
  return (await listTeams(deps, ctx)).find((t) => t.id === id)!;
}

export async function updateTeam(deps: D, ctx: RequestContext, id: string, input: { name: string; unitId: string; leaderId: string; memberIds: string[]; areaUnitIds: string[]; version: number }): Promise<Team> {
  inspectionsPolicy.manage(ctx.actor);
  await deps.db.transaction(async (tx) => {
    const before = await repo.getTeam(tx, id, true);
    if (!before) throw notFound('督查组');
    if (before.version !== input.version) throw staleVersion();
    const oldUnit = await getUnitRow(tx, before.unitId);
    if (oldUnit) inspectionsPolicy.requireManageIn(ctx.actor, oldUnit.path);
    await checkTeamInput(tx, ctx, input);
    const after = await repo.updateTeam(tx, id, input.version, { name: input.name, unitId: input.unitId, leaderId: input.leaderId, areaUnitIds: input.areaUnitIds });
    if (!after) throw staleVersion();
    await repo.setMembers(
      tx,
      id,
      [...new Set(input.memberIds)].filter((m) => m !== input.leaderId),
    );
    await audit(tx, ctx, { action: 'update', entity: 'inspection_team', entityId: id, before: { name: before.name, leaderId: before.leaderId, memberIds: before.memberIds }, after: input });
  });
  return (await listTeams(deps, ctx)).find((t) => t.id === id)!;
}

// ---- the draw ----

async function runDraw(db: Executor, draw: DrawInput, now: Date) {
  const seed = draw.seed ?? randomBytes(6).toString('hex');
  const candidates = await repo.drawCandidates(db, draw.strata, draw.excludeDays, now);
  const result = stratifiedDraw(
    candidates.map((c) => ({ id: c.id, typeId: c.type_id, districtId: c.district_id })),
    draw.strata,
    seed,
  );
  if (!result.ok) {
    const names = await stratumNames(db, draw.strata);
    const details = result.shortages.map((s) => ({
      path: `body.draw.strata.${s.index}.count`,
      message: `${names.get(s.typeId) ?? '该类型'} × ${names.get(s.districtId) ?? '该区县'} 只有 ${s.available} 个可抽点位，要求 ${s.wanted} 个`,
    }));
    throw new AppError('VALIDATION_FAILED', `抽样数量超过可抽点位：${details.map((d) => d.message).join('；')}`, details);
  }
  return { seed, ids: result.ids, candidates: candidates.length };
}

async function stratumNames(db: Executor, strata: { typeId: string; districtId: string }[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const s of strata) {
    const d = await getUnitRow(db, s.districtId);
    if (d) out.set(s.districtId, d.name);
  }
  const pts = await repo.pointTypeNames(
    db,
    strata.map((s) => s.typeId),
  );
  for (const [k, v] of pts) out.set(k, v);
  return out;
}

export async function previewDraw(deps: D, ctx: RequestContext, draw: DrawInput): Promise<DrawPreview> {
  inspectionsPolicy.manage(ctx.actor);
  const { seed, ids, candidates } = await runDraw(deps.db, draw, new Date());
  const refs = new Map((await repo.pointsByIds(deps.db, ids)).map((p) => [p.id, p]));
  return {
    seed,
    candidates,
    points: ids.map((id) => refs.get(id)!).map((p) => ({ id: p.id, code: p.code, name: p.name, typeName: p.type_name, districtName: p.district_name })),
  };
}

// ---- plans ----

function presentPlan(p: repo.PlanListRow): Plan {
  const counts = p.counts ?? {};
  return {
    id: p.id,
    name: p.name,
    mode: p.mode as InspectionMode,
    teamId: p.teamId,
    teamName: p.team_name,
    templateId: p.templateId,
    periodStart: p.periodStart,
    periodEnd: p.periodEnd,
    scheduleKind: p.scheduleKind as Plan['scheduleKind'],
    windowDays: p.windowDays,
    allowLate: p.allowLate,
    issuesOn: p.issuesOn as Plan['issuesOn'],
    selection: p.selection as Plan['selection'],
    draw: p.draw,
    publishedAt: iso(p.publishedAt),
    pointCount: p.point_count,
    occurrenceCount: Object.values(counts).reduce((a, b) => a + b, 0),
    counts,
    version: p.version,
    createdAt: iso(p.createdAt)!,
  };
}

export async function listPlans(deps: D, ctx: RequestContext): Promise<Plan[]> {
  const scope = inspectionsPolicy.read(ctx.actor);
  return (await repo.listPlans(deps.db, scope)).map(presentPlan);
}

export async function getPlan(deps: D, ctx: RequestContext, id: string): Promise<Plan> {
  const scope = inspectionsPolicy.read(ctx.actor);
  const [p] = await repo.listPlans(deps.db, scope, id);
  if (!p) throw notFound('督查计划');
  return presentPlan(p);
}

/**
 * Creates a plan with its points (explicit, or the stratified draw with its seed recorded) and
 * all its occurrences for the period. Everything is checked before anything is written: a draw
 * asking more than a stratum holds is a 400 naming the stratum.
 */
export async function createPlan(deps: D, ctx: RequestContext, input: PlanInput): Promise<Plan> {
  const scope = inspectionsPolicy.manage(ctx.actor);
  const now = new Date();
  const id = await deps.db.transaction(async (tx) => {
    const team = await repo.getTeam(tx, input.teamId);
    if (!team?.isActive) throw invalid('body.teamId', '督查组不存在或已停用');
    let pointIds: string[];
    let draw: Plan['draw'] = null;
    if (input.draw) {
      const r = await runDraw(tx, input.draw, now);
      pointIds = r.ids;
      draw = { strata: input.draw.strata, excludeDays: input.draw.excludeDays, seed: r.seed };
    } else pointIds = [...new Set(input.pointIds ?? [])];
    const points = await repo.pointsByIds(tx, pointIds);
    if (points.length !== pointIds.length) throw invalid('body.pointIds', '有点位不存在或已停用');
    // the template version of each point
    const versionOf = new Map<string, string>();
    if (input.templateId) {
      const v = await repo.latestPublishedOf(tx, input.templateId);
      if (!v) throw invalid('body.templateId', '该测评细则还没有发布的版本');
      for (const p of points) versionOf.set(p.id, v);
    } else {
      const byType = await repo.latestPublishedByType(tx, [...new Set(points.map((p) => p.type_id))]);
      const lacking = [...new Set(points.filter((p) => !byType.has(p.type_id)).map((p) => p.type_name))];
      if (lacking.length) throw invalid('body.templateId', `以下点位类型没有已发布的测评细则：${lacking.join('、')}`);
      for (const p of points) versionOf.set(p.id, byType.get(p.type_id)!);
    }
    const windows = windowsOf(input.scheduleKind, input.periodStart, input.periodEnd, input.windowDays);
    if (windows.length * points.length > MAX_OCCURRENCES) throw invalid('body.scheduleKind', `检查任务过多（${windows.length * points.length} 个，最多 ${MAX_OCCURRENCES} 个），请缩短周期或减少点位`);
    const id = newId();
    await repo.insertPlan(tx, {
      id,
      name: input.name,
      mode: input.mode,
      teamId: input.teamId,
      unitId: ctx.actor.unitId,
      unitPath: ctx.actor.unitPath,
      templateId: input.templateId,
      periodStart: input.periodStart,
      periodEnd: input.periodEnd,
      scheduleKind: input.scheduleKind,
      windowDays: input.windowDays,
      allowLate: input.allowLate,
      issuesOn: input.issuesOn,
      selection: input.draw ? 'draw' : 'explicit',
      draw,
      createdBy: ctx.actor.userId,
    });
    await repo.insertPlanPoints(
      tx,
      points.map((p) => ({ planId: id, pointId: p.id })),
    );
    const occurrences = windows.flatMap((w) =>
      points.map((p) => ({ id: newId(), planId: id, pointId: p.id, templateVersionId: versionOf.get(p.id)!, teamId: input.teamId, dueFrom: w.dueFrom, dueTo: w.dueTo, state: 'pending' })),
    );
    await repo.insertOccurrences(tx, occurrences);
    await audit(tx, ctx, { action: 'create', entity: 'inspection_plan', entityId: id, after: { ...input, draw, points: points.length, occurrences: occurrences.length, scope: scope.rootPath } });
    return id;
  });
  return getPlan(deps, ctx, id);
}

/** 公布 a 暗访 plan: from now its results are visible to the inspected units, and its findings become issues. */
export async function publishPlan(deps: D, ctx: RequestContext, id: string, version: number): Promise<Plan> {
  await deps.db.transaction(async (tx) => {
    const plan = await repo.getPlan(tx, id, true);
    if (!plan) throw notFound('督查计划');
    inspectionsPolicy.requireManageIn(ctx.actor, plan.unitPath);
    if (plan.version !== version) throw staleVersion();
    if (plan.mode !== 'covert') throw new AppError('INVALID_STATE', '只有暗访计划需要公布结果');
    if (plan.publishedAt) throw new AppError('INVALID_STATE', '该暗访计划已公布');
    const after = await repo.updatePlan(tx, id, version, { publishedAt: new Date() });
    if (!after) throw staleVersion();
    const pending = await repo.inspectionsAwaitingIssues(tx, id, plan.issuesOn === 'review' ? ['approved'] : ['submitted', 'approved']);
    for (const insp of pending) {
      await repo.insertEvent(tx, { occurrenceId: insp.occurrenceId, inspectionId: insp.id, action: 'publish', fromState: insp.state, toState: insp.state, actorId: ctx.actor.userId });
      await raiseIssues(deps, tx, ctx, insp.id, after);
    }
    await audit(tx, ctx, { action: 'publish', entity: 'inspection_plan', entityId: id, after: { publishedAt: after.publishedAt, inspections: pending.length } });
  });
  return getPlan(deps, ctx, id);
}

// ---- occurrences ----

function presentOccurrence(o: repo.OccurrenceView): Occurrence {
  return {
    id: o.id,
    planId: o.plan_id,
    planName: o.plan_name,
    mode: o.mode as InspectionMode,
    point: { id: o.point_id, code: o.point_code, name: o.point_name, address: o.point_address, typeName: o.point_type_name, lng: Number(o.lng), lat: Number(o.lat) },
    templateVersionId: o.template_version_id,
    teamId: o.team_id,
    teamName: o.team_name,
    dueFrom: iso(o.due_from)!,
    dueTo: iso(o.due_to)!,
    state: o.state as OccurrenceState,
    inspectionId: o.inspection_id,
    distanceM: o.distance_m,
    version: o.version,
  };
}

export async function listOccurrences(deps: D, ctx: RequestContext, q: OccurrenceQuery) {
  const scope = inspectionsPolicy.read(ctx.actor);
  const rows = await repo.listOccurrences(
    deps.db,
    scope,
    {
      planId: q.planId,
      state: q.state,
      from: q.from ? shanghaiDayStart(q.from) : undefined,
      before: q.to ? new Date(shanghaiDayStart(q.to).getTime() + DAY) : undefined,
      userId: q.mine === 'true' ? ctx.actor.userId : undefined,
      near: q.lng != null && q.lat != null ? { lng: q.lng, lat: q.lat } : undefined,
    },
    q.pageSize,
    (q.page - 1) * q.pageSize,
  );
  return { items: rows.map(presentOccurrence), total: rows[0]?.total ?? 0, page: q.page, pageSize: q.pageSize };
}

async function loadOccurrenceView(db: Executor, ctx: RequestContext, id: string): Promise<repo.OccurrenceView> {
  const scope = inspectionsPolicy.read(ctx.actor);
  const [o] = await repo.listOccurrences(db, scope, { ids: [id] }, 1, 0);
  if (!o) throw notFound('检查任务');
  return o;
}

/** The phone's form: the occurrence, its frozen items and groups, and the point's earlier failures (复查). */
export async function getOccurrenceForm(deps: D, ctx: RequestContext, id: string): Promise<OccurrenceForm> {
  const o = await loadOccurrenceView(deps.db, ctx, id);
  const v = await repo.getVersion(deps.db, o.template_version_id);
  const groups = await repo.listGroups(deps.db);
  const earlier = await repo.earlierFailures(deps.db, o.point_id);
  return {
    ...presentOccurrence(o),
    items: v?.items ?? [],
    groups,
    earlierFailures: earlier.map((e) => ({ itemKey: e.item_key, inspectedAt: iso(e.inspected_at)!, issueId: e.issue_id, issueState: e.issue_state })),
  };
}

/** 开始检查: 待检查 → 检查中, by a member of the occurrence's team. */
export async function startOccurrence(deps: D, ctx: RequestContext, id: string, version: number): Promise<Occurrence> {
  await deps.db.transaction(async (tx) => {
    const occ = await repo.getOccurrence(tx, id, true);
    if (!occ) throw notFound('检查任务');
    const team = (await repo.getTeam(tx, occ.teamId))!;
    inspectionsPolicy.perform(ctx.actor, team);
    if (occ.version !== version) throw staleVersion();
    const plan = (await repo.getPlan(tx, occ.planId))!;
    const to = nextState(occ.state as OccurrenceState, 'start', plan.allowLate);
    if (!to) throw new AppError('INVALID_STATE', `检查任务当前为「${OccurrenceStateLabels[occ.state as OccurrenceState]}」，不能开始`);
    await repo.setOccurrenceState(tx, id, to, ctx.actor.userId);
    await repo.insertEvent(tx, { occurrenceId: id, action: 'start', fromState: occ.state, toState: to, actorId: ctx.actor.userId });
    await audit(tx, ctx, { action: 'start', entity: 'inspection_occurrence', entityId: id, before: { state: occ.state }, after: { state: to } });
  });
  return presentOccurrence(await loadOccurrenceView(deps.db, ctx, id));
}

type PhotoIn = { key: string; fileId: string; takenAt?: string; lng?: number; lat?: number };

/** Checks observations against the frozen items; errors name the item. Returns the judged rows. */
export function checkObservations(items: ChecklistItem[], observations: SubmitInspection['observations'], requireAll: boolean) {
  const byKey = new Map(items.map((i) => [i.key, i]));
  const seen = new Set<string>();
  const judged = observations.map((ob, idx) => {
    const path = `body.observations.${idx}`;
    const item = byKey.get(ob.itemKey);
    if (!item) throw invalid(`${path}.itemKey`, `条目 ${ob.itemKey} 不在该细则版本中`);
    if (seen.has(ob.itemKey)) throw invalid(`${path}.itemKey`, `条目 ${ob.itemKey} 重复填写`);
    seen.add(ob.itemKey);
    const err = checkValue(item, ob.value);
    if (err) throw invalid(`${path}.value`, `条目 ${item.key}（${item.text.slice(0, 20)}）：${err.message}`);
    const j = judge(item, ob.value as ObservationValue);
    if (photoRequired(item, j.outcome) && ob.photos.length === 0) throw invalid(`${path}.photos`, `条目 ${item.key}（${item.text.slice(0, 20)}）：${item.photo === 'always' ? '必须拍照' : '不达标须拍照'}`);
    return { ob, item, j };
  });
  if (requireAll) {
    const missing = items.find((i) => !seen.has(i.key));
    if (missing) throw invalid('body.observations', `条目 ${missing.key}（${missing.text.slice(0, 20)}）未填写`);
  }
  return judged;
}

/**
 * 提交检查结果, exactly once: the same client key answers the first result; the occurrence is
 * locked, so a double tap waits and then finds its own first submission. Validates against the
 * occurrence's template version, records observations, photos (each with its own key), GPS and
 * distance, the start and submit events, the audit entry and — as the plan says — the issues of
 * the failed items, all in one transaction.
 */
export async function submitInspection(deps: D, ctx: RequestContext, occurrenceId: string, input: SubmitInspection): Promise<InspectionDetail> {
  const first = await repo.inspectionByClientKey(deps.db, input.clientKey);
  if (first) {
    if (first.occurrenceId !== occurrenceId) throw new AppError('CONFLICT', '该幂等键已用于另一次检查');
    return getInspection(deps, ctx, first.id);
  }
  const inspectionId = await deps.db.transaction(async (tx) => {
    const occ = await repo.getOccurrence(tx, occurrenceId, true);
    if (!occ) throw notFound('检查任务');
    const team = (await repo.getTeam(tx, occ.teamId))!;
    inspectionsPolicy.perform(ctx.actor, team);
    const again = await repo.inspectionByClientKey(tx, input.clientKey);
    if (again) return again.id;
    const plan = (await repo.getPlan(tx, occ.planId))!;
    const to = nextState(occ.state as OccurrenceState, 'submit', plan.allowLate);
    if (!to) {
      const msg = ['submitted', 'approved', 'returned'].includes(occ.state) ? '该检查任务已提交，不能重复提交' : `检查任务当前为「${OccurrenceStateLabels[occ.state as OccurrenceState]}」，不能提交`;
      throw new AppError('INVALID_STATE', msg);
    }
    const version = (await repo.getVersion(tx, occ.templateVersionId))!;
    const items = version.items ?? [];
    const [point] = await repo.pointsByIds(tx, [occ.pointId]);
    if (!point) throw new AppError('BUSINESS_RULE', '该点位已停用，不能提交');

    let judged: ReturnType<typeof checkObservations> = [];
    if (input.outcome === 'done') {
      judged = checkObservations(items, input.observations, true);
    } else {
      if (!input.reason) throw invalid('body.reason', '无法检查或拒绝检查须填写原因');
      if (input.visitPhotos.length === 0) throw invalid('body.visitPhotos', '无法检查或拒绝检查须拍照');
      if (input.observations.length) throw invalid('body.observations', '无法检查或拒绝检查时不能填写条目');
    }
    // photos: each key once, files attached to the inspection
    const photos: (PhotoIn & { itemKey: string | null })[] = [...input.visitPhotos.map((p) => ({ ...p, itemKey: null })), ...judged.flatMap(({ ob }) => ob.photos.map((p) => ({ ...p, itemKey: ob.itemKey })))];
    const keys = photos.map((p) => p.key);
    if (new Set(keys).size !== keys.length) throw invalid('body.observations', '照片的幂等键重复');
    const used = await repo.photosByKeys(tx, keys);
    if (used.length) throw new AppError('CONFLICT', `照片 ${used[0].clientKey} 已随另一次检查提交`);
    const id = newId();
    await attachFiles(
      tx,
      photos.map((p) => p.fileId),
      'inspection',
      id,
      ctx,
    );
    const sum = judged.reduce((s, { j }) => addJudgement(s, j), emptySum());
    const distance = input.lng != null && input.lat != null ? Math.round(distanceMeters([input.lng, input.lat], [Number(point.lng), Number(point.lat)])) : null;
    const now = new Date();
    await repo.insertInspection(tx, {
      id,
      occurrenceId,
      clientKey: input.clientKey,
      planId: plan.id,
      mode: plan.mode,
      pointId: point.id,
      pointTypeId: point.type_id,
      areaPath: point.area_path,
      templateVersionId: occ.templateVersionId,
      inspectorId: ctx.actor.userId,
      outcome: input.outcome,
      reason: input.reason ?? null,
      startedAt: input.startedAt ? new Date(input.startedAt) : null,
      inspectedAt: input.inspectedAt ? new Date(input.inspectedAt) : now,
      submittedAt: now,
      lng: input.lng ?? null,
      lat: input.lat ?? null,
      accuracyM: input.accuracyM ?? null,
      distanceM: distance,
      farFromPoint: distance !== null && distance > FAR_FROM_POINT_M,
      earnedUnits: sum.earnedUnits,
      possibleUnits: sum.possibleUnits,
      observedCount: sum.observed,
      failedCount: sum.failed,
      naCount: sum.na,
    });
    await repo.insertObservations(
      tx,
      judged.map(({ ob, item, j }) => ({
        inspectionId: id,
        itemKey: item.key,
        groupCode: item.group,
        outcome: j.outcome,
        value: ob.value,
        grade: j.grade,
        earnedUnits: j.earnedUnits,
        possibleUnits: j.possibleUnits,
        note: ob.note ?? null,
        photoIds: ob.photos.map((p) => p.fileId),
      })),
    );
    await repo.insertPhotos(
      tx,
      photos.map((p) => ({ id: newId(), inspectionId: id, clientKey: p.key, fileId: p.fileId, itemKey: p.itemKey, takenAt: p.takenAt ? new Date(p.takenAt) : null, lng: p.lng ?? null, lat: p.lat ?? null })),
    );
    if (occ.state !== 'in_progress') await repo.insertEvent(tx, { occurrenceId, inspectionId: id, action: 'start', fromState: occ.state, toState: 'in_progress', actorId: ctx.actor.userId, data: { offline: true } });
    await repo.insertEvent(tx, { occurrenceId, inspectionId: id, action: 'submit', fromState: 'in_progress', toState: to, actorId: ctx.actor.userId, data: { clientKey: input.clientKey, distanceM: distance, outcome: input.outcome } });
    await repo.setOccurrenceState(tx, occurrenceId, to, ctx.actor.userId);
    await audit(tx, ctx, {
      action: 'submit',
      entity: 'inspection',
      entityId: id,
      after: { occurrenceId, outcome: input.outcome, earnedUnits: sum.earnedUnits, possibleUnits: sum.possibleUnits, failed: sum.failed, distanceM: distance, photos: photos.length },
    });
    if (plan.issuesOn === 'submit' && (plan.mode !== 'covert' || plan.publishedAt)) await raiseIssues(deps, tx, ctx, id, plan);
    return id;
  });
  return getInspection(deps, ctx, inspectionId);
}

const OPEN_ISSUE = (s: string) => !['closed', 'rejected', 'merged'].includes(s);

/**
 * Each failed item of an inspection becomes an issue at the point's responsible unit (the
 * category, the standard's text, the item's photos), linked back to the observation. A failure
 * whose last issue at this point is still open links to it; one whose issue was closed is 回潮
 * (the issues module reopens it). Runs once per inspection (issues_raised_at).
 */
export async function raiseIssues(deps: D, tx: Executor, ctx: RequestContext, inspectionId: string, plan: repo.PlanRow): Promise<number> {
  const insp = (await repo.getInspection(tx, inspectionId, true))!;
  if (insp.issuesRaisedAt && insp.amendmentCount === 0) return 0;
  const obs = (await repo.currentObservations(tx, inspectionId)).filter((o) => o.outcome === 'fail' && !o.issueId);
  const items = new Map(((await repo.getVersion(tx, insp.templateVersionId))!.items ?? []).map((i) => [i.key, i]));
  const [point] = await repo.pointsByIds(tx, [insp.pointId]);
  const inspector = (await repo.activeUsers(tx, [insp.inspectorId]))[0]?.name ?? '';
  const byInspector = ctx.actor.userId === insp.inspectorId && ctx.actor.permissions.has('issues.report');
  let n = 0;
  for (const o of obs) {
    const item = items.get(o.itemKey)!;
    const last = await repo.lastIssueForItem(tx, insp.pointId, o.itemKey);
    if (last && last.state === 'closed') {
      await relapseIssueInTx(tx, ctx, last.issue_id, `督查复查发现问题回潮：${item.text.slice(0, 60)}（${plan.name}）`);
      await repo.linkIssue(tx, o.id, last.issue_id);
      n++;
      continue;
    }
    if (last && OPEN_ISSUE(last.state)) {
      await repo.linkIssue(tx, o.id, last.issue_id);
      continue;
    }
    const photos: string[] = [];
    for (const f of o.photoIds.slice(0, 9)) photos.push(await shareFile(tx, f, ctx.actor));
    const value = JSON.stringify(o.value);
    const issue = await fileIssueInTx(
      deps,
      tx,
      ctx,
      {
        source: ISSUE_SOURCE_BY_MODE[plan.mode as InspectionMode],
        categoryId: item.categoryId,
        severity: 'normal',
        title: `${point?.name ?? ''}：${item.text}`.slice(0, 100),
        description: [`检查标准：${item.text}`, item.exceptions ? `例外：${item.exceptions}` : '', `检查记录：${o.note ?? ''} ${value}`, `来源：${InspectionModeLabels[plan.mode as InspectionMode]}「${plan.name}」，检查人 ${inspector}`].filter(Boolean).join('\n').slice(0, 2000),
        pointId: insp.pointId,
        photos,
      },
      byInspector ? undefined : { note: `督查检查（${inspector}）` },
    );
    await repo.linkIssue(tx, o.id, issue.id);
    n++;
  }
  await repo.updateInspectionTotals(tx, inspectionId, { issuesRaisedAt: new Date() });
  return n;
}

async function lockForReview(tx: Executor, ctx: RequestContext, inspectionId: string) {
  const insp = await repo.getInspection(tx, inspectionId, true);
  if (!insp) throw notFound('检查结果');
  const occ = (await repo.getOccurrence(tx, insp.occurrenceId, true))!;
  const plan = (await repo.getPlan(tx, insp.planId))!;
  const team = (await repo.getTeam(tx, occ.teamId))!;
  if (!inspectionsPolicy.canReview(ctx.actor, team, plan.unitPath)) throw forbidden('只有督查组组长可以审核或更正检查结果');
  return { insp, occ, plan };
}

/** 审核通过 or 退回, by the team leader (each an event; issues on review when the plan says so). */
export async function reviewInspection(deps: D, ctx: RequestContext, inspectionId: string, action: 'approve' | 'return', note?: string): Promise<InspectionDetail> {
  await deps.db.transaction(async (tx) => {
    const { insp, occ, plan } = await lockForReview(tx, ctx, inspectionId);
    const to = nextState(occ.state as OccurrenceState, action, plan.allowLate);
    if (!to) throw new AppError('INVALID_STATE', `检查结果当前为「${OccurrenceStateLabels[occ.state as OccurrenceState]}」，不能${action === 'approve' ? '审核' : '退回'}`);
    await repo.setOccurrenceState(tx, occ.id, to);
    await repo.insertEvent(tx, { occurrenceId: occ.id, inspectionId, action, fromState: occ.state, toState: to, actorId: ctx.actor.userId, note: note ?? null });
    await audit(tx, ctx, { action, entity: 'inspection', entityId: inspectionId, before: { state: occ.state }, after: { state: to, note: note ?? null } });
    if (action === 'approve' && plan.issuesOn === 'review' && (plan.mode !== 'covert' || plan.publishedAt) && !insp.issuesRaisedAt) await raiseIssues(deps, tx, ctx, inspectionId, plan);
  });
  return getInspection(deps, ctx, inspectionId);
}

/** 更正: the leader replaces some observations with a reason; the old rows stay (current = false), the totals follow, an event records before and after. */
export async function amendInspection(deps: D, ctx: RequestContext, inspectionId: string, input: { reason: string; observations: SubmitInspection['observations'] }): Promise<InspectionDetail> {
  await deps.db.transaction(async (tx) => {
    const { insp, occ, plan } = await lockForReview(tx, ctx, inspectionId);
    if (!nextState(occ.state as OccurrenceState, 'amend', plan.allowLate)) throw new AppError('INVALID_STATE', `检查结果当前为「${OccurrenceStateLabels[occ.state as OccurrenceState]}」，不能更正`);
    if (insp.outcome !== 'done') throw new AppError('INVALID_STATE', '无法检查或拒绝检查的记录没有条目可更正');
    const items = (await repo.getVersion(tx, insp.templateVersionId))!.items ?? [];
    const judged = checkObservations(items, input.observations, false);
    const fileIds = judged.flatMap(({ ob }) => ob.photos.map((p) => p.fileId));
    const used = await repo.photosByKeys(
      tx,
      judged.flatMap(({ ob }) => ob.photos.map((p) => p.key)),
    );
    if (used.length) throw new AppError('CONFLICT', `照片 ${used[0].clientKey} 已提交过`);
    await attachFiles(tx, fileIds, 'inspection', inspectionId, ctx);
    const before = await repo.currentObservations(tx, inspectionId);
    const amendment = insp.amendmentCount + 1;
    await repo.retireObservations(
      tx,
      inspectionId,
      judged.map(({ item }) => item.key),
    );
    await repo.insertObservations(
      tx,
      judged.map(({ ob, item, j }) => ({
        inspectionId,
        itemKey: item.key,
        groupCode: item.group,
        outcome: j.outcome,
        value: ob.value,
        grade: j.grade,
        earnedUnits: j.earnedUnits,
        possibleUnits: j.possibleUnits,
        note: ob.note ?? null,
        photoIds: ob.photos.map((p) => p.fileId),
        amendment,
      })),
    );
    await repo.insertPhotos(
      tx,
      judged.flatMap(({ ob }) => ob.photos.map((p) => ({ id: newId(), inspectionId, clientKey: p.key, fileId: p.fileId, itemKey: ob.itemKey, takenAt: p.takenAt ? new Date(p.takenAt) : null, lng: p.lng ?? null, lat: p.lat ?? null }))),
    );
    const current = await repo.currentObservations(tx, inspectionId);
    const sum = current.reduce((s, o) => addJudgement(s, { outcome: o.outcome as 'pass', earnedUnits: o.earnedUnits, possibleUnits: o.possibleUnits, grade: null }), emptySum());
    await repo.updateInspectionTotals(tx, inspectionId, { earnedUnits: sum.earnedUnits, possibleUnits: sum.possibleUnits, observedCount: sum.observed, failedCount: sum.failed, naCount: sum.na, amendmentCount: amendment });
    const changes = judged.map(({ item, j, ob }) => {
      const old = before.find((b) => b.itemKey === item.key);
      return { itemKey: item.key, before: old ? { outcome: old.outcome, value: old.value } : null, after: { outcome: j.outcome, value: ob.value } };
    });
    await repo.insertEvent(tx, { occurrenceId: occ.id, inspectionId, action: 'amend', fromState: occ.state, toState: occ.state, actorId: ctx.actor.userId, note: input.reason, data: { amendment, changes } });
    await audit(tx, ctx, { action: 'amend', entity: 'inspection', entityId: inspectionId, before: { earnedUnits: insp.earnedUnits, possibleUnits: insp.possibleUnits }, after: { earnedUnits: sum.earnedUnits, possibleUnits: sum.possibleUnits, reason: input.reason, changes } });
    if (insp.issuesRaisedAt) await raiseIssues(deps, tx, ctx, inspectionId, plan);
  });
  return getInspection(deps, ctx, inspectionId);
}

// ---- reading results ----

const scoreOf = (earned: number, possible: number) => ({ earnedUnits: earned, possibleUnits: possible, score: formatPoints(earned), possible: formatPoints(possible), ratePermille: ratePermille(earned, possible) });

export async function getInspection(deps: D, ctx: RequestContext, id: string): Promise<InspectionDetail> {
  const scope = inspectionsPolicy.read(ctx.actor);
  const db = deps.db;
  if (!(await repo.inspectionVisible(db, scope, id))) throw notFound('检查结果');
  const insp = (await repo.getInspection(db, id))!;
  const occ = (await repo.getOccurrence(db, insp.occurrenceId))!;
  const plan = (await repo.getPlan(db, insp.planId))!;
  const team = (await repo.getTeam(db, occ.teamId))!;
  const version = (await repo.getVersion(db, insp.templateVersionId))!;
  const template = (await repo.getTemplate(db, version.templateId))!;
  const [point] = await repo.pointsByIds(db, [insp.pointId]);
  const inspector = (await repo.activeUsers(db, [insp.inspectorId]))[0] ?? { id: insp.inspectorId, name: '' };
  const obs = await repo.currentObservations(db, id);
  const files = new Map((await listOwnerFiles(db, 'inspection', id)).map((f) => [f.id, f]));
  const photos = await repo.photosOf(db, id);
  const states = await issueStates(
    db,
    obs.flatMap((o) => (o.issueId ? [o.issueId] : [])),
  );
  const items = new Map((version.items ?? []).map((i) => [i.key, i]));
  const events = await repo.listEvents(db, occ.id);
  const pic = (fid: string) => {
    const f = files.get(fid);
    return f ? [{ id: f.id, contentUrl: f.contentUrl, thumbnailUrl: f.thumbnailUrl }] : [];
  };
  const canReview = inspectionsPolicy.canReview(ctx.actor, team, plan.unitPath);
  return {
    id,
    occurrenceId: occ.id,
    occurrenceState: occ.state as OccurrenceState,
    planId: plan.id,
    planName: plan.name,
    mode: plan.mode as InspectionMode,
    point: point
      ? { id: point.id, code: point.code, name: point.name, address: '', typeName: point.type_name, lng: Number(point.lng), lat: Number(point.lat) }
      : { id: insp.pointId, code: '', name: '', address: '', typeName: '', lng: 0, lat: 0 },
    templateVersionId: version.id,
    templateName: template.name,
    templateNumber: version.number,
    inspector: { id: inspector.id, name: inspector.name },
    outcome: insp.outcome as InspectionDetail['outcome'],
    reason: insp.reason,
    inspectedAt: iso(insp.inspectedAt)!,
    submittedAt: iso(insp.submittedAt)!,
    lng: insp.lng,
    lat: insp.lat,
    distanceM: insp.distanceM,
    farFromPoint: insp.farFromPoint,
    score: scoreOf(Number(insp.earnedUnits), Number(insp.possibleUnits)),
    observedCount: insp.observedCount,
    failedCount: insp.failedCount,
    naCount: insp.naCount,
    observations: obs.map((o) => {
      const s = o.issueId ? states.get(o.issueId) : undefined;
      return {
        itemKey: o.itemKey,
        group: o.groupCode,
        text: items.get(o.itemKey)?.text ?? '',
        outcome: o.outcome as 'pass',
        value: o.value,
        grade: o.grade,
        earnedUnits: o.earnedUnits,
        possibleUnits: o.possibleUnits,
        note: o.note,
        photos: o.photoIds.flatMap(pic),
        issue: o.issueId && s ? { id: o.issueId, number: s.number, state: s.state } : null,
        amendment: o.amendment,
      };
    }),
    visitPhotos: photos.filter((p) => p.itemKey === null).flatMap((p) => pic(p.fileId)),
    events: events.map((e) => ({ id: Number(e.id), action: e.action, fromState: e.from_state, toState: e.to_state, actorName: e.actor_name, note: e.note, data: e.data ?? {}, at: iso(e.at)! })),
    amendmentCount: insp.amendmentCount,
    canReview: canReview && occ.state === 'submitted',
    canAmend: canReview && ['submitted', 'approved'].includes(occ.state) && insp.outcome === 'done',
  };
}

async function filterOf(db: Executor, q: { planId?: string; pointId?: string; pointTypeId?: string; areaUnitId?: string; unitId?: string; mode?: string; from?: string; to?: string; failedOnly?: string }): Promise<repo.InspectionFilter> {
  const pathOf = async (id: string | undefined, field: string) => {
    if (!id) return undefined;
    const u = await getUnitRow(db, id);
    if (!u) throw invalid(`querystring.${field}`, '单位不存在');
    return u.path;
  };
  return {
    planId: q.planId,
    pointId: q.pointId,
    pointTypeId: q.pointTypeId,
    areaPath: await pathOf(q.areaUnitId, 'areaUnitId'),
    unitPath: await pathOf(q.unitId, 'unitId'),
    mode: q.mode,
    from: q.from ? shanghaiDayStart(q.from) : undefined,
    before: q.to ? new Date(shanghaiDayStart(q.to).getTime() + DAY) : undefined,
    failedOnly: q.failedOnly === 'true',
  };
}

export async function listInspections(deps: D, ctx: RequestContext, q: InspectionQuery) {
  const scope = inspectionsPolicy.read(ctx.actor);
  const rows = await repo.listInspections(deps.db, scope, await filterOf(deps.db, q), q.pageSize, (q.page - 1) * q.pageSize);
  const items: InspectionRow[] = rows.map((r) => ({
    id: r.id,
    occurrenceState: r.occurrence_state as OccurrenceState,
    planName: r.plan_name,
    mode: r.mode as InspectionMode,
    pointId: r.point_id,
    pointName: r.point_name,
    pointTypeName: r.point_type_name,
    districtName: r.district_name,
    inspectorName: r.inspector_name,
    outcome: r.outcome as InspectionRow['outcome'],
    inspectedAt: iso(r.inspected_at)!,
    farFromPoint: r.far_from_point,
    score: scoreOf(Number(r.earned_units), Number(r.possible_units)),
    failedCount: r.failed_count,
    observedCount: r.observed_count,
  }));
  return { items, total: rows[0]?.total ?? 0, page: q.page, pageSize: q.pageSize };
}

/** Score tables: every figure with its numerator (earned) and denominator (possible), from the stored inspections. */
export async function scoreTable(deps: D, ctx: RequestContext, q: ScoreQuery): Promise<ScoreTable> {
  const scope = inspectionsPolicy.read(ctx.actor);
  const f = await filterOf(deps.db, { mode: q.mode, from: q.from, to: q.to, areaUnitId: q.areaUnitId });
  const present = (r: repo.ScoreAggRow): ScoreRow => {
    const earned = Number(r.earned ?? 0);
    const possible = Number(r.possible ?? 0);
    return {
      key: r.key,
      name: q.groupBy === 'mode' ? (InspectionModeLabels[r.name as InspectionMode] ?? r.name) : r.name,
      period: r.period,
      inspections: Number(r.inspections),
      observed: Number(r.observed ?? 0),
      failed: Number(r.failed ?? 0),
      ...scoreOf(earned, possible),
    };
  };
  const rows = (await repo.scoreRollup(deps.db, scope, q.groupBy, q.period, f)).map(present);
  const [total] = await repo.scoreRollup(deps.db, scope, 'city', 'all', f);
  return { rows, total: total ? present(total) : present({ key: 'city', name: '全市', period: '全期', inspections: 0, observed: 0, failed: 0, earned: 0, possible: 0 }) };
}

// ---- the schedule: missed windows ----

/**
 * 已错过: occurrences whose window has passed while 待检查/检查中, in batches, each with its
 * event and audit in the batch's transaction. Called by the `inspections.mark-missed` schedule
 * (inspections.schedules.ts) and by tests; returns how many were marked.
 */
export async function markMissedOccurrences(deps: Pick<Deps, 'db'>, now = new Date(), batch = 1000): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await deps.db.transaction(async (tx) => {
      const rows = await repo.markMissed(tx, now, batch);
      await repo.insertEvents(
        tx,
        rows.map((r) => ({ occurrenceId: r.id, action: 'miss', fromState: r.from_state, toState: 'missed', note: '检查时限已过' })),
      );
      if (rows.length) await audit(tx, null, { action: 'miss', entity: 'inspection_occurrence', entityId: null, after: { count: rows.length, ids: rows.slice(0, 50).map((r) => r.id) } });
      return rows.length;
    });
    total += n;
    if (n < batch) return total;
  }
}
