import { sql } from 'drizzle-orm';
import type { Paged } from '../../../contracts/common.ts';
import {
  type CreateProgressRequest,
  type CreateTaskRequest,
  DEFAULT_STALLED_DAYS,
  type IndicatorSettings,
  type EvaluationMethod,
  type IndicatorLevel,
  type ListTasksQuery,
  type ProgressReport,
  type Rollup,
  type RollupQuery,
  type Task,
  type TaskDetail,
  TaskPhaseLabels,
  type TaskUnit,
  type TaskUnitRole,
  type UpdateTaskRequest,
} from '../../../contracts/indicators.ts';
import { parseDeadline, todayInShanghai } from '../../../domain/deadline-parse.ts';
import { pathIds } from '../../../domain/org.ts';
import { rollupTaskProgress } from '../../../domain/task-progress.ts';
import { type Executor, rowsOf } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import type { Actor, RequestContext } from '../../http/actor.ts';
import { AppError, forbidden, notFound, staleVersion } from '../../http/errors.ts';
import type { Scope } from '../../http/policy.ts';
import { newId } from '../../lib/ids.ts';
import { audit } from '../audit/index.ts';
import { attachFiles, listOwnerFiles } from '../files/index.ts';
import { getUnitRow, getUnitsByIds } from '../org/index.ts';
import { indicatorsPolicy } from './indicators.policy.ts';
import * as repo from './indicators.repo.ts';
import { invalid } from './indicators.service.ts';
import * as tasksRepo from './tasks.repo.ts';

type TaskDeps = Pick<Deps, 'db'>;

const iso = (v: string | Date | null): string | null => (v === null ? null : new Date(v).toISOString());
export const clockOf = (stalledDays: number, now = new Date()): tasksRepo.Clock => ({ today: todayInShanghai(now), stalledDays });

const SETTINGS_KEY = 'indicators';

/** The city's settings of the module (DEFAULT_STALLED_DAYS until someone changes them). */
export async function readSettings(db: Executor): Promise<IndicatorSettings> {
  const [row] = rowsOf<{ value: Partial<IndicatorSettings> }>(await db.execute(sql`SELECT value FROM settings WHERE key = ${SETTINGS_KEY}`));
  return { stalledDays: row?.value.stalledDays ?? DEFAULT_STALLED_DAYS };
}

/** Days without a report after which a task is stalled: the request's choice, else the city's setting. */
export const stalledDaysOf = async (db: Executor, requested: number | undefined): Promise<number> => requested ?? (await readSettings(db)).stalledDays;

export async function getSettings(deps: TaskDeps, ctx: RequestContext): Promise<IndicatorSettings> {
  indicatorsPolicy.read(ctx.actor);
  return readSettings(deps.db);
}

export async function updateSettings(deps: TaskDeps, ctx: RequestContext, input: IndicatorSettings): Promise<IndicatorSettings> {
  indicatorsPolicy.manageSystems(ctx.actor);
  await deps.db.transaction(async (tx) => {
    const before = await readSettings(tx);
    await tx.execute(sql`INSERT INTO settings (key, value, updated_at) VALUES (${SETTINGS_KEY}, ${JSON.stringify(input)}::jsonb, now())
      ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`);
    await audit(tx, ctx, { action: 'update', entity: 'indicator_settings', entityId: SETTINGS_KEY, before, after: input });
  });
  return readSettings(deps.db);
}

function presentUnits(units: tasksRepo.TaskUnitViewRow[], scope: Scope): TaskUnit[] {
  return units.map((u) => {
    const visible = indicatorsPolicy.canSeeUnit(scope, u.unit_path);
    return {
      unitId: u.unit_id,
      unitName: u.unit_name,
      role: u.role,
      liaisonUserId: u.liaison_user_id,
      liaisonName: u.liaison_name,
      status: visible ? u.status : null,
      percent: visible ? u.percent : null,
      lastReportAt: visible ? iso(u.last_report_at) : null,
    };
  });
}

export function presentTask(t: tasksRepo.TaskViewRow, units: tasksRepo.TaskUnitViewRow[], actor: Actor, scope: Scope): Task {
  const mine = units.find((u) => u.unit_id === actor.unitId);
  return {
    id: t.id,
    systemId: t.system_id,
    seq: t.seq,
    nodeId: t.node_id,
    nodeLevel: t.node_level as IndicatorLevel,
    nodeCode: t.node_code,
    nodeText: t.node_text,
    itemNodeId: t.item_node_id,
    itemCode: t.item_code,
    itemText: t.item_text,
    contentCode: t.content_code,
    contentText: t.content_text,
    methods: t.methods as EvaluationMethod[],
    score: t.score,
    title: t.title,
    leadUnitId: t.lead_unit_id,
    leadUnitName: t.lead_unit_name,
    units: presentUnits(units, scope),
    deadline: t.deadline,
    deadlineText: t.deadline_text,
    phase: t.phase,
    materials: t.materials,
    note: t.note,
    status: t.status,
    percent: t.percent,
    lastReportAt: iso(t.last_report_at),
    overdue: t.overdue,
    stalled: t.stalled,
    myRole: mine ? mine.role : null,
    version: t.version,
    createdAt: iso(t.created_at)!,
    updatedAt: iso(t.updated_at)!,
  };
}

/** The task list: the actor's scope, filters, one page; units of the page in one more query. */
export async function listTasks(deps: TaskDeps, ctx: RequestContext, q: ListTasksQuery): Promise<Paged<Task>> {
  const scope = indicatorsPolicy.read(ctx.actor);
  const filter: tasksRepo.TaskFilter = {
    systemId: q.systemId,
    role: q.role,
    phase: q.phase,
    status: q.status,
    overdue: q.overdue,
    stalled: q.stalled,
    itemNodeId: q.itemNodeId,
    nodeId: q.nodeId,
    q: q.q,
  };
  if (q.mine) filter.unitId = ctx.actor.unitId;
  else if (q.unitId) {
    const unit = await getUnitRow(deps.db, q.unitId);
    if (!unit || !indicatorsPolicy.canSeeUnit(scope, unit.path)) throw invalid('query.unitId', '单位不存在或不在您的管辖范围内');
    filter.unitPath = unit.path;
  }
  const rows = await tasksRepo.listTasks(deps.db, scope, filter, clockOf(await stalledDaysOf(deps.db, q.stalledDays)), { limit: q.pageSize, offset: (q.page - 1) * q.pageSize });
  const units = await tasksRepo.listTaskUnits(
    deps.db,
    rows.map((r) => r.id),
  );
  const byTask = groupBy(units, (u) => u.task_id);
  return { items: rows.map((r) => presentTask(r, byTask.get(r.id) ?? [], ctx.actor, scope)), total: rows[0]?.total ?? 0, page: q.page, pageSize: q.pageSize };
}

function groupBy<T>(list: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of list) {
    const k = key(x);
    const l = m.get(k);
    if (l) l.push(x);
    else m.set(k, [x]);
  }
  return m;
}

async function loadVisibleTask(db: Executor, scope: Scope, id: string, stalledDays: number) {
  const t = await tasksRepo.getTaskView(db, id, clockOf(stalledDays));
  if (!t) throw notFound('任务');
  const units = await tasksRepo.listTaskUnits(db, [id]);
  if (!indicatorsPolicy.canSeeTask(
    scope,
    units.map((u) => u.unit_path),
  ))
    throw notFound('任务');
  return { t, units };
}

async function presentReports(db: Executor, rows: tasksRepo.ReportViewRow[]): Promise<ProgressReport[]> {
  const out: ProgressReport[] = [];
  for (const r of rows) {
    out.push({
      id: r.id,
      taskId: r.task_id,
      unitId: r.unit_id,
      unitName: r.unit_name,
      status: r.status,
      percent: r.percent,
      note: r.note,
      files: r.file_ids.length ? await listOwnerFiles(db, 'task_progress', r.id) : [],
      reporterId: r.reporter_id,
      reporterName: r.reporter_name,
      at: iso(r.at)!,
    });
  }
  return out;
}

export async function getTask(deps: TaskDeps, ctx: RequestContext, id: string, stalledDays?: number): Promise<TaskDetail> {
  const scope = indicatorsPolicy.read(ctx.actor);
  const { t, units } = await loadVisibleTask(deps.db, scope, id, await stalledDaysOf(deps.db, stalledDays));
  const reports = await tasksRepo.listReports(deps.db, id, scope.isAll ? null : scope.rootPath);
  return {
    ...presentTask(t, units, ctx.actor, scope),
    reports: await presentReports(deps.db, reports),
    canReportFor: units
      .filter((u) => indicatorsPolicy.canReportFor(ctx.actor, { unitId: u.unit_id, liaisonUserId: u.liaison_user_id }))
      .map((u) => ({ unitId: u.unit_id, unitName: u.unit_name })),
    canManage: indicatorsPolicy.canManage(ctx.actor),
  };
}

// ─── writing tasks ────────────────────────────────────────────────────────────

type UnitPlan = { unitId: string; role: TaskUnitRole; liaisonUserId: string | null; unitPath: string; name: string };

/** The units of a task from its three lists (a unit named twice keeps its highest role: 牵头 > 责任 > 配合), checked: active, in write scope, 联络员 of that unit. */
async function planUnits(
  db: Executor,
  scope: Scope,
  input: { leadUnitId: string | null; responsibleUnitIds: string[]; cooperatingUnitIds: string[]; liaisons: Record<string, string> },
): Promise<UnitPlan[]> {
  const roles = new Map<string, TaskUnitRole>();
  if (input.leadUnitId) roles.set(input.leadUnitId, 'lead');
  for (const id of input.responsibleUnitIds) if (!roles.has(id)) roles.set(id, 'responsible');
  for (const id of input.cooperatingUnitIds) if (!roles.has(id)) roles.set(id, 'cooperating');
  if (![...roles.values()].some((r) => r !== 'cooperating')) throw invalid('body.responsibleUnitIds', '请至少选择一个牵头单位或责任单位');
  const rows = await getUnitsByIds(db, [...roles.keys()]);
  const byId = new Map(rows.map((u) => [u.id, u]));
  for (const id of roles.keys()) {
    const u = byId.get(id);
    if (!u) throw invalid('body.responsibleUnitIds', `单位 ${id} 不存在`);
    if (!u.isActive) throw invalid('body.responsibleUnitIds', `单位「${u.name}」已停用`);
  }
  indicatorsPolicy.requireUnitsInWriteScope(scope, rows);
  for (const unitId of Object.keys(input.liaisons)) if (!roles.has(unitId)) throw invalid('body.liaisons', '联络员只能为任务的单位指定');
  const liaisonIds = [...new Set(Object.values(input.liaisons))];
  if (liaisonIds.length) {
    const users = rowsOf<{ id: string; unit_id: string; name: string; is_active: boolean }>(
      await db.execute(sql`SELECT id, unit_id, name, is_active FROM users WHERE id IN (${sql.join(
        liaisonIds.map((id) => sql`${id}`),
        sql`, `,
      )})`),
    );
    const byUser = new Map(users.map((u) => [u.id, u]));
    for (const [unitId, userId] of Object.entries(input.liaisons)) {
      const u = byUser.get(userId);
      if (!u?.is_active) throw invalid('body.liaisons', '联络员不存在或已停用');
      if (u.unit_id !== unitId) throw invalid('body.liaisons', `联络员「${u.name}」不是「${byId.get(unitId)!.name}」的人员`);
    }
  }
  return [...roles].map(([unitId, role]) => ({ unitId, role, liaisonUserId: input.liaisons[unitId] ?? null, unitPath: byId.get(unitId)!.path, name: byId.get(unitId)!.name }));
}

async function requireTaskNode(db: Executor, systemId: string, nodeId: string) {
  const node = await repo.getNode(db, nodeId);
  if (!node || node.systemId !== systemId) throw invalid('body.nodeId', '测评标准不存在或不属于该测评体系');
  if (!node.isActive) throw invalid('body.nodeId', `测评标准「${node.code}」已停用`);
  if (node.level === 'item') throw invalid('body.nodeId', '任务须对应测评标准或测评内容，不能直接对应测评项目');
  return { node, itemNodeId: pathIds(node.path)[0] };
}

function readDeadline(text: string, year: number): { deadline: string | null; deadlineText: string } {
  const d = parseDeadline(text, { year });
  if (!d.ok) throw invalid('body.deadlineText', d.error);
  return { deadline: d.value?.kind === 'date' ? d.value.date : null, deadlineText: text };
}

const unitSnapshot = (plan: UnitPlan[]) => plan.map((u) => ({ unitId: u.unitId, name: u.name, role: u.role, liaisonUserId: u.liaisonUserId }));

export async function createTask(deps: TaskDeps, ctx: RequestContext, input: CreateTaskRequest): Promise<TaskDetail> {
  const scope = indicatorsPolicy.manage(ctx.actor);
  const id = newId();
  await deps.db.transaction(async (tx) => {
    const system = await repo.getSystem(tx, input.systemId, true);
    if (!system) throw invalid('body.systemId', '测评体系不存在');
    if (system.status === 'archived') throw new AppError('INVALID_STATE', '测评体系已归档，不能修改');
    const { node, itemNodeId } = await requireTaskNode(tx, system.id, input.nodeId);
    const plan = await planUnits(tx, scope, { leadUnitId: input.leadUnitId ?? null, responsibleUnitIds: input.responsibleUnitIds, cooperatingUnitIds: input.cooperatingUnitIds, liaisons: input.liaisons });
    const row: tasksRepo.TaskInsert = {
      id,
      systemId: system.id,
      nodeId: node.id,
      itemNodeId,
      seq: input.seq ?? (await tasksRepo.maxSeq(tx, system.id)) + 1,
      title: input.title || node.text,
      leadUnitId: input.leadUnitId ?? null,
      ...readDeadline(input.deadlineText, system.year),
      phase: input.phase ?? null,
      materials: input.materials || node.materials,
      note: input.note,
      createdBy: ctx.actor.userId,
    };
    await tasksRepo.insertTasks(tx, [row]);
    await tasksRepo.insertTaskUnits(
      tx,
      plan.map((u) => ({ id: newId(), taskId: id, unitId: u.unitId, unitPath: u.unitPath, role: u.role, liaisonUserId: u.liaisonUserId })),
    );
    await repo.touchSystem(tx, system.id);
    await audit(tx, ctx, { action: 'create', entity: 'task', entityId: id, after: { ...row, units: unitSnapshot(plan) } });
  });
  return getTask(deps, ctx, id);
}

export async function updateTask(deps: TaskDeps, ctx: RequestContext, id: string, input: UpdateTaskRequest): Promise<TaskDetail> {
  const scope = indicatorsPolicy.manage(ctx.actor);
  await deps.db.transaction(async (tx) => {
    const before = await tasksRepo.getTaskForUpdate(tx, id);
    if (!before) throw notFound('任务');
    const beforeUnits = await tasksRepo.listTaskUnits(tx, [id]);
    if (!indicatorsPolicy.canSeeTask(
      scope,
      beforeUnits.map((u) => u.unit_path),
    ))
      throw notFound('任务');
    if (before.version !== input.version) throw staleVersion();
    const system = (await repo.getSystem(tx, before.systemId, true))!;
    if (system.status === 'archived') throw new AppError('INVALID_STATE', '测评体系已归档，不能修改');
    const set: Partial<tasksRepo.TaskInsert> = {};
    if (input.nodeId !== undefined && input.nodeId !== before.nodeId) {
      const { node, itemNodeId } = await requireTaskNode(tx, system.id, input.nodeId);
      set.nodeId = node.id;
      set.itemNodeId = itemNodeId;
    }
    if (input.seq !== undefined) set.seq = input.seq;
    if (input.title !== undefined) set.title = input.title;
    if (input.deadlineText !== undefined) Object.assign(set, readDeadline(input.deadlineText, system.year));
    if (input.phase !== undefined) set.phase = input.phase;
    if (input.materials !== undefined) set.materials = input.materials;
    if (input.note !== undefined) set.note = input.note;
    const unitsChange = input.leadUnitId !== undefined || input.responsibleUnitIds !== undefined || input.cooperatingUnitIds !== undefined || input.liaisons !== undefined;
    let plan: UnitPlan[] | null = null;
    if (unitsChange) {
      const old = (role: TaskUnitRole) => beforeUnits.filter((u) => u.role === role).map((u) => u.unit_id);
      const leadUnitId = input.leadUnitId !== undefined ? input.leadUnitId : (old('lead')[0] ?? null);
      const liaisons = input.liaisons ?? Object.fromEntries(beforeUnits.filter((u) => u.liaison_user_id).map((u) => [u.unit_id, u.liaison_user_id!]));
      const responsibleUnitIds = input.responsibleUnitIds ?? old('responsible');
      const cooperatingUnitIds = input.cooperatingUnitIds ?? old('cooperating');
      const keep = new Set([leadUnitId, ...responsibleUnitIds, ...cooperatingUnitIds]);
      plan = await planUnits(tx, scope, {
        leadUnitId,
        responsibleUnitIds,
        cooperatingUnitIds,
        // 联络员 of units that stay keep their assignment unless the request names them anew
        liaisons: Object.fromEntries(Object.entries(liaisons).filter(([u]) => keep.has(u))),
      });
      set.leadUnitId = leadUnitId;
    }
    if (!(await tasksRepo.updateTask(tx, id, input.version, set))) throw staleVersion();
    if (plan) {
      // units that stay keep their progress; removed units' reports stay in the log
      const prev = new Map(beforeUnits.map((u) => [u.unit_id, u]));
      await tasksRepo.deleteTaskUnits(tx, id);
      await tasksRepo.insertTaskUnits(
        tx,
        plan.map((u) => {
          const p = prev.get(u.unitId);
          return {
            id: newId(),
            taskId: id,
            unitId: u.unitId,
            unitPath: u.unitPath,
            role: u.role,
            liaisonUserId: u.liaisonUserId,
            status: p?.status ?? 'not_started',
            percent: p?.percent ?? 0,
            lastReportAt: p?.last_report_at ? new Date(p.last_report_at) : null,
          };
        }),
      );
      const roll = rollupTaskProgress(plan.map((u) => ({ role: u.role, status: prev.get(u.unitId)?.status ?? 'not_started', percent: prev.get(u.unitId)?.percent ?? 0 })));
      await tx.execute(sql`UPDATE tasks SET status = ${roll.status}, percent = ${roll.percent} WHERE id = ${id}`);
    }
    await repo.touchSystem(tx, system.id);
    await audit(tx, ctx, {
      action: 'update',
      entity: 'task',
      entityId: id,
      before: { ...before, units: beforeUnits.map((u) => ({ unitId: u.unit_id, name: u.unit_name, role: u.role, liaisonUserId: u.liaison_user_id })) },
      after: { ...set, ...(plan ? { units: unitSnapshot(plan) } : {}) },
    });
  });
  return getTask(deps, ctx, id);
}

/** Deletes a task that nobody has reported on; a task with reports is history and stays. */
export async function deleteTask(deps: TaskDeps, ctx: RequestContext, id: string, version: number): Promise<void> {
  const scope = indicatorsPolicy.manage(ctx.actor);
  await deps.db.transaction(async (tx) => {
    const before = await tasksRepo.getTaskForUpdate(tx, id);
    if (!before) throw notFound('任务');
    const units = await tasksRepo.listTaskUnits(tx, [id]);
    if (!indicatorsPolicy.canSeeTask(
      scope,
      units.map((u) => u.unit_path),
    ))
      throw notFound('任务');
    if (before.version !== version) throw staleVersion();
    if ((await tasksRepo.countReports(tx, id)) > 0) throw new AppError('INVALID_STATE', '该任务已有进度报告，不能删除（报告是工作记录，需保留）');
    if (!(await tasksRepo.deleteTask(tx, id, version))) throw staleVersion();
    await repo.touchSystem(tx, before.systemId);
    await audit(tx, ctx, { action: 'delete', entity: 'task', entityId: id, before: { ...before, units: units.map((u) => ({ unitId: u.unit_id, role: u.role })) } });
  });
}

// ─── progress ─────────────────────────────────────────────────────────────────

/**
 * A unit's progress report: kept as filed (append-only), the unit's status on the task and the
 * task's roll-up updated, attachments claimed for the report, audited — in one transaction; the
 * task row is locked so two reports at once roll up in order.
 */
export async function reportProgress(deps: TaskDeps, ctx: RequestContext, taskId: string, input: CreateProgressRequest): Promise<TaskDetail> {
  const scope = indicatorsPolicy.read(ctx.actor);
  if (!ctx.actor.permissions.has('tasks.report')) throw forbidden('无权报送任务进度');
  await deps.db.transaction(async (tx) => {
    const task = await tasksRepo.getTaskForUpdate(tx, taskId);
    if (!task) throw notFound('任务');
    const units = await tasksRepo.listTaskUnits(tx, [taskId]);
    if (!indicatorsPolicy.canSeeTask(
      scope,
      units.map((u) => u.unit_path),
    ))
      throw notFound('任务');
    const mayReport = units.filter((u) => indicatorsPolicy.canReportFor(ctx.actor, { unitId: u.unit_id, liaisonUserId: u.liaison_user_id }));
    let unit: tasksRepo.TaskUnitViewRow | undefined;
    if (input.unitId) {
      unit = units.find((u) => u.unit_id === input.unitId);
      if (!unit) throw invalid('body.unitId', '该单位不是此任务的责任单位');
      if (!mayReport.includes(unit)) throw forbidden(`只有「${unit.unit_name}」的人员或其联络员可以报送该单位的进度`);
    } else {
      if (mayReport.length === 0) throw forbidden('您的单位不是此任务的责任单位，不能报送进度');
      if (mayReport.length > 1) throw invalid('body.unitId', '您可为多个单位报送，请选择单位');
      unit = mayReport[0];
    }
    const system = await repo.getSystem(tx, task.systemId);
    if (system?.status === 'archived') throw new AppError('INVALID_STATE', '测评体系已归档，不能再报送进度');
    const at = new Date();
    const id = newId();
    await tasksRepo.insertReports(tx, [
      { id, taskId, unitId: unit.unit_id, status: input.status, percent: input.percent, note: input.note, fileIds: [...new Set(input.fileIds)], reporterId: ctx.actor.userId, at },
    ]);
    if (input.fileIds.length) await attachFiles(tx, input.fileIds, 'task_progress', id, ctx);
    await tasksRepo.setUnitProgress(tx, taskId, unit.unit_id, input.status, input.percent, at);
    const roll = rollupTaskProgress(units.map((u) => (u.unit_id === unit.unit_id ? { role: u.role, status: input.status, percent: input.percent } : { role: u.role, status: u.status, percent: u.percent })));
    await tasksRepo.setTaskProgress(tx, taskId, roll.status, roll.percent, at);
    await audit(tx, ctx, {
      action: 'report_progress',
      entity: 'task',
      entityId: taskId,
      before: { unitStatus: unit.status, unitPercent: unit.percent, status: task.status, percent: task.percent },
      after: { reportId: id, unitId: unit.unit_id, unitStatus: input.status, unitPercent: input.percent, status: roll.status, percent: roll.percent, note: input.note, fileIds: input.fileIds },
    });
  });
  return getTask(deps, ctx, taskId);
}

// ─── roll-ups ─────────────────────────────────────────────────────────────────

const countsOf = (r: tasksRepo.RollupRowRaw) => ({
  total: r.total,
  done: r.done,
  inProgress: r.in_progress,
  notStarted: r.not_started,
  overdue: r.overdue,
  stalled: r.stalled,
  meanPercent: r.mean_percent === null ? 0 : Number(r.mean_percent),
});

/** Progress of the actor's subtree (or of a unit inside it) by unit, by 测评项目 or by phase. */
export async function rollup(deps: TaskDeps, ctx: RequestContext, q: RollupQuery): Promise<Rollup> {
  const scope = indicatorsPolicy.read(ctx.actor);
  let rootPath: string | null = scope.isAll ? null : scope.rootPath;
  if (q.unitId) {
    const unit = await getUnitRow(deps.db, q.unitId);
    if (!unit || !indicatorsPolicy.canSeeUnit(scope, unit.path)) throw invalid('query.unitId', '单位不存在或不在您的管辖范围内');
    rootPath = unit.path;
  }
  if (!(await repo.getSystem(deps.db, q.systemId))) throw notFound('测评体系');
  const { rows, totals } = await tasksRepo.rollup(deps.db, q.systemId, rootPath, q.by, clockOf(await stalledDaysOf(deps.db, q.stalledDays)));
  const phaseOrder = Object.keys(TaskPhaseLabels);
  const out = rows.map((r) => ({
    key: r.key,
    label: q.by === 'phase' ? (TaskPhaseLabels[r.key as keyof typeof TaskPhaseLabels] ?? '未定阶段') : r.label,
    code: r.code,
    ...countsOf(r),
  }));
  if (q.by === 'phase') out.sort((a, b) => (phaseOrder.indexOf(a.key) + 5) % 5 - ((phaseOrder.indexOf(b.key) + 5) % 5));
  return { by: q.by, rows: out, totals: countsOf(totals) };
}
