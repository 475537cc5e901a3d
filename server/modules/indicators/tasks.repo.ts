import { type SQL, sql } from 'drizzle-orm';
import type { RollupBy, TaskPhase, TaskStatus, TaskUnitRole } from '../../../contracts/indicators.ts';
import { type Executor, rowsOf } from '../../db/client.ts';
import type { Scope } from '../../http/policy.ts';
import { newId } from '../../lib/ids.ts';
import { taskReadCond } from './indicators.policy.ts';
import { insertChunked } from './indicators.repo.ts';
import { taskProgressReports, tasks, taskUnits } from './indicators.tables.ts';

export type TaskInsert = typeof tasks.$inferInsert;
export type TaskUnitInsert = typeof taskUnits.$inferInsert;
export type ReportInsert = typeof taskProgressReports.$inferInsert;

export const insertTasks = (db: Executor, rows: TaskInsert[]) => insertChunked(db, tasks, rows, 1000);
export const insertTaskUnits = (db: Executor, rows: TaskUnitInsert[]) => insertChunked(db, taskUnits, rows, 2000);
export const insertReports = (db: Executor, rows: ReportInsert[]) => insertChunked(db, taskProgressReports, rows, 2000);

/**
 * Bulk inserts for the task-table import: one statement per 5,000 rows with the rows as one JSON
 * parameter (jsonb_to_recordset), several times cheaper than thousands of bound parameters,
 * on PGlite above all.
 */
export async function bulkInsertTasks(db: Executor, rows: (TaskInsert & { id: string })[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 5000) {
    const json = JSON.stringify(
      rows.slice(i, i + 5000).map((r) => ({
        id: r.id,
        system_id: r.systemId,
        node_id: r.nodeId,
        item_node_id: r.itemNodeId,
        seq: r.seq ?? 0,
        title: r.title,
        lead_unit_id: r.leadUnitId ?? null,
        deadline: r.deadline ?? null,
        deadline_text: r.deadlineText ?? '',
        phase: r.phase ?? null,
        materials: r.materials ?? '',
        note: r.note ?? '',
        created_by: r.createdBy ?? null,
      })),
    );
    await db.execute(sql`
      INSERT INTO tasks (id, system_id, node_id, item_node_id, seq, title, lead_unit_id, deadline, deadline_text, phase, materials, note, created_by)
      SELECT id, system_id, node_id, item_node_id, seq, title, lead_unit_id, deadline, deadline_text, phase, materials, note, created_by
      FROM jsonb_to_recordset(${json}::jsonb) AS x(id uuid, system_id uuid, node_id uuid, item_node_id uuid, seq int, title text, lead_unit_id uuid,
        deadline date, deadline_text text, phase text, materials text, note text, created_by uuid)`);
  }
}

export async function bulkInsertTaskUnits(db: Executor, rows: TaskUnitInsert[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 10000) {
    const json = JSON.stringify(
      rows.slice(i, i + 10000).map((r) => ({ id: r.id, task_id: r.taskId, unit_id: r.unitId, unit_path: r.unitPath, role: r.role, liaison_user_id: r.liaisonUserId ?? null })),
    );
    await db.execute(sql`
      INSERT INTO task_units (id, task_id, unit_id, unit_path, role, liaison_user_id)
      SELECT id, task_id, unit_id, unit_path, role, liaison_user_id
      FROM jsonb_to_recordset(${json}::jsonb) AS x(id uuid, task_id uuid, unit_id uuid, unit_path text, role text, liaison_user_id uuid)`);
  }
}

export type TaskViewRow = {
  id: string;
  system_id: string;
  seq: number;
  node_id: string;
  node_level: string;
  node_code: string;
  node_text: string;
  methods: string[];
  score: number | null;
  item_node_id: string;
  item_code: string;
  item_text: string;
  content_code: string | null;
  content_text: string | null;
  title: string;
  lead_unit_id: string | null;
  lead_unit_name: string | null;
  deadline: string | null;
  deadline_text: string;
  phase: TaskPhase | null;
  materials: string;
  note: string;
  status: TaskStatus;
  percent: number;
  last_report_at: string | Date | null;
  overdue: boolean;
  stalled: boolean;
  version: number;
  created_at: string | Date;
  updated_at: string | Date;
  total?: number;
};

export type TaskFilter = {
  systemId?: string;
  /** tasks naming a unit at or under this path (optionally in `role`) */
  unitPath?: string;
  /** tasks naming exactly this unit (optionally in `role`) */
  unitId?: string;
  role?: TaskUnitRole;
  phase?: TaskPhase;
  status?: TaskStatus;
  overdue?: boolean;
  stalled?: boolean;
  itemNodeId?: string;
  nodeId?: string;
  q?: string;
  ids?: string[];
};

export type Clock = { today: string; stalledDays: number };

const overdueExpr = (c: Clock) => sql`(t.deadline IS NOT NULL AND t.deadline < ${c.today}::date AND t.status <> 'done')`;
const stalledExpr = (c: Clock) => sql`(t.status <> 'done' AND coalesce(t.last_report_at, t.created_at) < now() - make_interval(days => ${c.stalledDays}))`;

function conditions(scope: Scope, f: TaskFilter, c: Clock): SQL {
  const where: SQL[] = [];
  const scoped = taskReadCond(scope);
  if (scoped) where.push(scoped);
  if (f.systemId) where.push(sql`t.system_id = ${f.systemId}`);
  const role = f.role ? sql` AND fu.role = ${f.role}` : sql``;
  if (f.unitId) where.push(sql`EXISTS (SELECT 1 FROM task_units fu WHERE fu.task_id = t.id AND fu.unit_id = ${f.unitId}${role})`);
  else if (f.unitPath) where.push(sql`EXISTS (SELECT 1 FROM task_units fu WHERE fu.task_id = t.id AND fu.unit_path LIKE ${`${f.unitPath}%`}${role})`);
  else if (f.role) where.push(sql`EXISTS (SELECT 1 FROM task_units fu WHERE fu.task_id = t.id AND fu.role = ${f.role}${scope.isAll ? sql`` : sql` AND fu.unit_path LIKE ${`${scope.rootPath}%`}`})`);
  if (f.phase) where.push(sql`t.phase = ${f.phase}`);
  if (f.status) where.push(sql`t.status = ${f.status}`);
  if (f.overdue === true) where.push(overdueExpr(c));
  if (f.overdue === false) where.push(sql`NOT ${overdueExpr(c)}`);
  if (f.stalled === true) where.push(stalledExpr(c));
  if (f.stalled === false) where.push(sql`NOT ${stalledExpr(c)}`);
  if (f.itemNodeId) where.push(sql`t.item_node_id = ${f.itemNodeId}`);
  if (f.nodeId) where.push(sql`(t.node_id = ${f.nodeId} OR n.parent_id = ${f.nodeId} OR t.item_node_id = ${f.nodeId})`);
  if (f.ids) where.push(f.ids.length ? sql`t.id IN (${sql.join(f.ids.map((id) => sql`${id}`), sql`, `)})` : sql`false`);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    where.push(sql`(t.title ILIKE ${like} OR n.code ILIKE ${like} OR n.text ILIKE ${like} OR it.text ILIKE ${like})`);
  }
  return where.length ? sql.join(where, sql` AND `) : sql`true`;
}

const taskSelect = (c: Clock) => sql`
  SELECT t.id, t.system_id, t.seq, t.node_id, n.level AS node_level, n.code AS node_code, n.text AS node_text, n.methods, n.score,
    t.item_node_id, it.code AS item_code, it.text AS item_text,
    CASE WHEN n.level = 'content' THEN n.code ELSE pc.code END AS content_code,
    CASE WHEN n.level = 'content' THEN n.text ELSE pc.text END AS content_text,
    t.title, t.lead_unit_id, lu.name AS lead_unit_name, t.deadline::text AS deadline, t.deadline_text, t.phase, t.materials, t.note,
    t.status, t.percent, t.last_report_at, ${overdueExpr(c)} AS overdue, ${stalledExpr(c)} AS stalled, t.version, t.created_at, t.updated_at`;

const taskFrom = sql`
  FROM tasks t
  JOIN indicator_nodes n ON n.id = t.node_id
  JOIN indicator_nodes it ON it.id = t.item_node_id
  LEFT JOIN indicator_nodes pc ON pc.id = n.parent_id AND n.level = 'standard'
  LEFT JOIN org_units lu ON lu.id = t.lead_unit_id`;

export async function listTasks(db: Executor, scope: Scope, f: TaskFilter, c: Clock, page: { limit: number; offset: number } | null): Promise<TaskViewRow[]> {
  const r = await db.execute(sql`${taskSelect(c)}, count(*) OVER()::int AS total ${taskFrom}
    WHERE ${conditions(scope, f, c)}
    ORDER BY t.system_id, t.seq, t.id
    ${page ? sql`LIMIT ${page.limit} OFFSET ${page.offset}` : sql``}`);
  return rowsOf<TaskViewRow>(r);
}

export async function getTaskView(db: Executor, id: string, c: Clock): Promise<TaskViewRow | undefined> {
  return rowsOf<TaskViewRow>(await db.execute(sql`${taskSelect(c)} ${taskFrom} WHERE t.id = ${id}`))[0];
}

export type TaskRow = typeof tasks.$inferSelect;

export async function getTaskForUpdate(db: Executor, id: string): Promise<TaskRow | undefined> {
  const [row] = await db.select().from(tasks).where(sql`${tasks.id} = ${id}`).for('update');
  return row;
}

export type TaskUnitViewRow = {
  task_id: string;
  unit_id: string;
  unit_name: string;
  unit_path: string;
  role: TaskUnitRole;
  liaison_user_id: string | null;
  liaison_name: string | null;
  status: TaskStatus;
  percent: number;
  last_report_at: string | Date | null;
};

export async function listTaskUnits(db: Executor, taskIds: readonly string[]): Promise<TaskUnitViewRow[]> {
  if (taskIds.length === 0) return [];
  const r = await db.execute(sql`
    SELECT tu.task_id, tu.unit_id, u.name AS unit_name, u.path AS unit_path, tu.role, tu.liaison_user_id, lu.name AS liaison_name, tu.status, tu.percent, tu.last_report_at
    FROM task_units tu JOIN org_units u ON u.id = tu.unit_id LEFT JOIN users lu ON lu.id = tu.liaison_user_id
    WHERE tu.task_id IN (${sql.join(
      taskIds.map((id) => sql`${id}`),
      sql`, `,
    )})
    ORDER BY tu.task_id, CASE tu.role WHEN 'lead' THEN 0 WHEN 'responsible' THEN 1 ELSE 2 END, u.sort, u.name`);
  return rowsOf<TaskUnitViewRow>(r);
}

export async function listTaskUnitsOfSystem(db: Executor, systemId: string): Promise<TaskUnitViewRow[]> {
  const r = await db.execute(sql`
    SELECT tu.task_id, tu.unit_id, u.name AS unit_name, u.path AS unit_path, tu.role, tu.liaison_user_id, NULL AS liaison_name, tu.status, tu.percent, tu.last_report_at
    FROM task_units tu JOIN tasks t ON t.id = tu.task_id JOIN org_units u ON u.id = tu.unit_id
    WHERE t.system_id = ${systemId}
    ORDER BY tu.task_id, CASE tu.role WHEN 'lead' THEN 0 WHEN 'responsible' THEN 1 ELSE 2 END, u.sort, u.name`);
  return rowsOf<TaskUnitViewRow>(r);
}

export async function deleteTaskUnits(db: Executor, taskId: string): Promise<void> {
  await db.execute(sql`DELETE FROM task_units WHERE task_id = ${taskId}`);
}

export async function updateTask(db: Executor, id: string, version: number, set: Partial<TaskInsert>): Promise<boolean> {
  const r = await db
    .update(tasks)
    .set({ ...set, version: version + 1, updatedAt: new Date() })
    .where(sql`${tasks.id} = ${id} AND ${tasks.version} = ${version}`)
    .returning({ id: tasks.id });
  return r.length === 1;
}

export async function countReports(db: Executor, taskId: string): Promise<number> {
  return rowsOf<{ n: number }>(await db.execute(sql`SELECT count(*)::int AS n FROM task_progress_reports WHERE task_id = ${taskId}`))[0].n;
}

export async function deleteTask(db: Executor, id: string, version: number): Promise<boolean> {
  await db.execute(sql`DELETE FROM task_units WHERE task_id = ${id}`);
  return rowsOf(await db.execute(sql`DELETE FROM tasks WHERE id = ${id} AND version = ${version} RETURNING id`)).length === 1;
}

/** Node and unit ids of every task of a system (the import's duplicate check). */
export async function taskUnitKeys(db: Executor, systemId: string): Promise<{ node_id: string; unit_ids: string[] }[]> {
  return rowsOf<{ node_id: string; unit_ids: string[] }>(
    await db.execute(sql`SELECT t.node_id, array_agg(tu.unit_id::text) AS unit_ids FROM tasks t JOIN task_units tu ON tu.task_id = t.id WHERE t.system_id = ${systemId} GROUP BY t.id, t.node_id`),
  );
}

export async function maxSeq(db: Executor, systemId: string): Promise<number> {
  return rowsOf<{ m: number }>(await db.execute(sql`SELECT coalesce(max(seq), 0)::int AS m FROM tasks WHERE system_id = ${systemId}`))[0].m;
}

// ─── progress ─────────────────────────────────────────────────────────────────

export async function setUnitProgress(db: Executor, taskId: string, unitId: string, status: TaskStatus, percent: number, at: Date): Promise<void> {
  await db.execute(sql`UPDATE task_units SET status = ${status}, percent = ${percent}, last_report_at = ${at.toISOString()} WHERE task_id = ${taskId} AND unit_id = ${unitId}`);
}

export async function setTaskProgress(db: Executor, taskId: string, status: TaskStatus, percent: number, at: Date): Promise<void> {
  await db.execute(sql`UPDATE tasks SET status = ${status}, percent = ${percent}, last_report_at = ${at.toISOString()}, updated_at = now() WHERE id = ${taskId}`);
}

export type ReportViewRow = {
  id: string;
  task_id: string;
  unit_id: string;
  unit_name: string;
  unit_path: string;
  status: TaskStatus;
  percent: number;
  note: string;
  file_ids: string[];
  reporter_id: string | null;
  reporter_name: string | null;
  at: string | Date;
};

export async function listReports(db: Executor, taskId: string, unitPath: string | null): Promise<ReportViewRow[]> {
  const r = await db.execute(sql`
    SELECT p.id, p.task_id, p.unit_id, u.name AS unit_name, u.path AS unit_path, p.status, p.percent, p.note, p.file_ids, p.reporter_id, ru.name AS reporter_name, p.at
    FROM task_progress_reports p JOIN org_units u ON u.id = p.unit_id LEFT JOIN users ru ON ru.id = p.reporter_id
    WHERE p.task_id = ${taskId} ${unitPath ? sql`AND u.path LIKE ${`${unitPath}%`}` : sql``}
    ORDER BY p.at DESC, p.id DESC LIMIT 500`);
  return rowsOf<ReportViewRow>(r);
}

export async function getReport(db: Executor, id: string): Promise<{ task_id: string; unit_id: string; unit_path: string } | undefined> {
  return rowsOf<{ task_id: string; unit_id: string; unit_path: string }>(
    await db.execute(sql`SELECT p.task_id, p.unit_id, u.path AS unit_path FROM task_progress_reports p JOIN org_units u ON u.id = p.unit_id WHERE p.id = ${id}`),
  )[0];
}

// ─── roll-ups ─────────────────────────────────────────────────────────────────

export type RollupRowRaw = {
  key: string;
  label: string;
  code: string | null;
  total: number;
  done: number;
  in_progress: number;
  not_started: number;
  overdue: number;
  stalled: number;
  mean_percent: number | null;
};

const counts = (status: SQL, percent: SQL, lastReport: SQL, c: Clock) => sql`
  count(*)::int AS total,
  count(*) FILTER (WHERE ${status} = 'done')::int AS done,
  count(*) FILTER (WHERE ${status} = 'in_progress')::int AS in_progress,
  count(*) FILTER (WHERE ${status} = 'not_started')::int AS not_started,
  count(*) FILTER (WHERE t.deadline IS NOT NULL AND t.deadline < ${c.today}::date AND ${status} <> 'done')::int AS overdue,
  count(*) FILTER (WHERE ${status} <> 'done' AND coalesce(${lastReport}, t.created_at) < now() - make_interval(days => ${c.stalledDays}))::int AS stalled,
  round(avg(${percent})::numeric, 1)::float8 AS mean_percent`;

/**
 * Progress counts over the tasks of a system within a unit subtree (`rootPath`; null = all). By
 * unit: one row per named unit in the subtree, with that unit's own status on each task; by item
 * and phase: each task (naming a unit in the subtree) once, with its overall status.
 */
export async function rollup(db: Executor, systemId: string, rootPath: string | null, by: RollupBy, c: Clock): Promise<{ rows: RollupRowRaw[]; totals: RollupRowRaw }> {
  const inTree = rootPath ? sql`EXISTS (SELECT 1 FROM task_units su WHERE su.task_id = t.id AND su.unit_path LIKE ${`${rootPath}%`})` : sql`true`;
  const taskCounts = counts(sql`t.status`, sql`t.percent`, sql`t.last_report_at`, c);
  let rows: RollupRowRaw[];
  if (by === 'unit') {
    rows = rowsOf<RollupRowRaw>(
      await db.execute(sql`
        SELECT tu.unit_id AS key, u.name AS label, NULL AS code, ${counts(sql`tu.status`, sql`tu.percent`, sql`tu.last_report_at`, c)}
        FROM task_units tu JOIN tasks t ON t.id = tu.task_id JOIN org_units u ON u.id = tu.unit_id
        WHERE t.system_id = ${systemId} ${rootPath ? sql`AND tu.unit_path LIKE ${`${rootPath}%`}` : sql``}
        GROUP BY tu.unit_id, u.name, u.path, u.sort
        ORDER BY u.path`),
    );
  } else if (by === 'item') {
    rows = rowsOf<RollupRowRaw>(
      await db.execute(sql`
        SELECT t.item_node_id AS key, it.text AS label, it.code AS code, ${taskCounts}
        FROM tasks t JOIN indicator_nodes it ON it.id = t.item_node_id
        WHERE t.system_id = ${systemId} AND ${inTree}
        GROUP BY t.item_node_id, it.text, it.code, it.sort
        ORDER BY it.sort, it.code`),
    );
  } else {
    rows = rowsOf<RollupRowRaw>(
      await db.execute(sql`
        SELECT coalesce(t.phase, '') AS key, '' AS label, NULL AS code, ${taskCounts}
        FROM tasks t
        WHERE t.system_id = ${systemId} AND ${inTree}
        GROUP BY coalesce(t.phase, '')`),
    );
  }
  const [totals] = rowsOf<RollupRowRaw>(
    await db.execute(sql`SELECT '' AS key, '合计' AS label, NULL AS code, ${taskCounts} FROM tasks t WHERE t.system_id = ${systemId} AND ${inTree}`),
  );
  return { rows, totals };
}

// ─── copy ─────────────────────────────────────────────────────────────────────

/** Copies the tasks of a system onto the copied nodes (nodeMap: old node id → new), with their units and 联络员, as not started. */
export async function copyTasks(db: Executor, fromSystemId: string, toSystemId: string, nodeMap: Map<string, string>, userId: string): Promise<number> {
  const src = await db.select().from(tasks).where(sql`${tasks.systemId} = ${fromSystemId}`);
  const units = await db.execute(sql`SELECT tu.* FROM task_units tu JOIN tasks t ON t.id = tu.task_id WHERE t.system_id = ${fromSystemId}`);
  const unitsByTask = new Map<string, Record<string, unknown>[]>();
  for (const u of rowsOf<Record<string, unknown>>(units)) unitsByTask.set(u.task_id as string, [...(unitsByTask.get(u.task_id as string) ?? []), u]);
  const taskRows: TaskInsert[] = [];
  const unitRows: TaskUnitInsert[] = [];
  for (const t of src) {
    const nodeId = nodeMap.get(t.nodeId);
    const itemNodeId = nodeMap.get(t.itemNodeId);
    if (!nodeId || !itemNodeId) continue;
    const id = newId();
    taskRows.push({
      id,
      systemId: toSystemId,
      nodeId,
      itemNodeId,
      seq: t.seq,
      title: t.title,
      leadUnitId: t.leadUnitId,
      deadline: t.deadline,
      deadlineText: t.deadlineText,
      phase: t.phase,
      materials: t.materials,
      note: t.note,
      createdBy: userId,
    });
    for (const u of unitsByTask.get(t.id) ?? []) {
      unitRows.push({ id: newId(), taskId: id, unitId: u.unit_id as string, unitPath: u.unit_path as string, role: u.role as string, liaisonUserId: (u.liaison_user_id as string | null) ?? null });
    }
  }
  await insertTasks(db, taskRows);
  await insertTaskUnits(db, unitRows);
  return taskRows.length;
}
