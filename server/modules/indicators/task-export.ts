import ExcelJS from 'exceljs';
import { type EvaluationMethod, EvaluationMethodLabels, TaskPhaseLabels } from '../../../contracts/indicators.ts';
import type { Deps } from '../../deps.ts';
import type { RequestContext } from '../../http/actor.ts';
import { notFound } from '../../http/errors.ts';
import { indicatorsPolicy } from './indicators.policy.ts';
import * as repo from './indicators.repo.ts';
import { mergeRuns, styleHeader } from './system-excel.ts';
import * as tasksRepo from './tasks.repo.ts';
import { clockOf, stalledDaysOf } from './tasks.service.ts';

/** The columns of the exported 任务分解表: the names the import reads first, in the city's usual order. */
export const TASK_EXPORT_COLUMNS = ['序号', '指标编号', '测评项目', '测评内容', '测评标准', '分值', '测评方法', '材料要求', '牵头单位', '责任单位', '配合单位', '完成时限', '阶段', '备注'] as const;

/**
 * The task table of a system as the city lays it out: a title row, the header, one row per task
 * (the actor's scope), 测评项目 and 测评内容 merged over their rows. Importing it again reads the
 * same tasks.
 */
export async function exportTaskTable(deps: Pick<Deps, 'db'>, ctx: RequestContext, systemId: string): Promise<{ fileName: string; buffer: Buffer }> {
  const scope = indicatorsPolicy.read(ctx.actor);
  const system = await repo.getSystem(deps.db, systemId);
  if (!system) throw notFound('测评体系');
  const rows = await tasksRepo.listTasks(deps.db, scope, { systemId }, clockOf(await stalledDaysOf(deps.db, undefined)), null);
  const units = await tasksRepo.listTaskUnitsOfSystem(deps.db, systemId);
  const byTask = new Map<string, tasksRepo.TaskUnitViewRow[]>();
  for (const u of units) byTask.set(u.task_id, [...(byTask.get(u.task_id) ?? []), u]);
  // grouped by 测评项目 and 测评内容 so merged cells span whole groups
  const sortKey = (t: tasksRepo.TaskViewRow) => [t.item_code, t.content_code ?? '', t.seq] as const;
  const nodes = await repo.listNodes(deps.db, systemId, true);
  const order = new Map(nodes.map((n) => [n.id, n.sort]));
  rows.sort((a, b) => {
    const ia = order.get(a.item_node_id) ?? 0;
    const ib = order.get(b.item_node_id) ?? 0;
    if (ia !== ib) return ia - ib;
    const [, ca] = sortKey(a);
    const [, cb] = sortKey(b);
    return ca.localeCompare(cb, 'zh') || a.seq - b.seq;
  });
  const wb = new ExcelJS.Workbook();
  wb.creator = '创文通';
  const ws = wb.addWorksheet('任务分解表', { views: [{ state: 'frozen', ySplit: 2 }] });
  ws.columns = [6, 10, 18, 24, 44, 6, 16, 30, 18, 26, 22, 14, 10, 14].map((width) => ({ width }));
  ws.addRow([`${system.name}任务分解表`]);
  ws.mergeCells(1, 1, 1, TASK_EXPORT_COLUMNS.length);
  ws.getRow(1).font = { bold: true, size: 14 };
  ws.getRow(1).alignment = { horizontal: 'center' };
  ws.addRow([...TASK_EXPORT_COLUMNS]);
  styleHeader(ws.getRow(2), TASK_EXPORT_COLUMNS.length);
  const names = (t: string, role: string) =>
    (byTask.get(t) ?? [])
      .filter((u) => u.role === role)
      .map((u) => u.unit_name)
      .join('、');
  rows.forEach((t, i) => {
    const row = ws.addRow([
      i + 1,
      t.node_code,
      t.item_text,
      t.content_text ?? '',
      t.title,
      t.score ?? '',
      (t.methods as EvaluationMethod[]).map((m) => EvaluationMethodLabels[m]).join('、'),
      t.materials,
      names(t.id, 'lead'),
      names(t.id, 'responsible'),
      names(t.id, 'cooperating'),
      t.deadline_text,
      t.phase ? TaskPhaseLabels[t.phase] : '',
      t.note,
    ]);
    row.alignment = { vertical: 'top', wrapText: true };
  });
  const last = 2 + rows.length;
  mergeRuns(ws, 3, 3, last, (r) => rows[r - 3]?.item_node_id ?? '');
  mergeRuns(ws, 4, 3, last, (r) => (rows[r - 3] ? `${rows[r - 3].item_node_id}|${rows[r - 3].content_code ?? ''}` : ''));
  return { fileName: `${system.name}任务分解表.xlsx`, buffer: Buffer.from(await wb.xlsx.writeBuffer()) };
}
