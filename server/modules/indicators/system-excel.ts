import ExcelJS from 'exceljs';
import {
  type EvaluationMethod,
  EvaluationMethodLabels,
  type SystemImportPreview,
  type SystemImportResult,
  type TaskImportProblem,
} from '../../../contracts/indicators.ts';
import { formatIndicatorCode, parseIndicatorCode, toArabicCode } from '../../../domain/evidence-number.ts';
import { childPath } from '../../../domain/org.ts';
import { findTaskHeader, parseTaskRows } from '../../../domain/task-table.ts';
import type { Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import type { RequestContext } from '../../http/actor.ts';
import { AppError, notFound } from '../../http/errors.ts';
import { newId } from '../../lib/ids.ts';
import { audit } from '../audit/index.ts';
import { indicatorsPolicy } from './indicators.policy.ts';
import * as repo from './indicators.repo.ts';
import { treeOrder } from './indicators.service.ts';
import { type ImportFile, readTaskSheet } from './task-import.ts';

type ExcelDeps = Pick<Deps, 'db'>;

export const SYSTEM_COLUMNS = ['指标编号', '测评项目', '测评内容', '测评标准', '分值', '测评方法', '材料要求'] as const;

const methodsText = (m: readonly string[]) => m.map((k) => EvaluationMethodLabels[k as EvaluationMethod] ?? k).join('、');

/** Header style shared by the exports: bold, grey, wrapped, thin borders. */
export function styleHeader(row: ExcelJS.Row, width: number) {
  row.font = { bold: true };
  row.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  for (let c = 1; c <= width; c++) {
    const cell = row.getCell(c);
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
    cell.border = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };
  }
}

/** Merges runs of equal, non-empty values in one column (rows first..last, 1-based), as offices merge 测评项目 cells. */
export function mergeRuns(ws: ExcelJS.Worksheet, col: number, first: number, last: number, keyOf: (row: number) => string) {
  let start = first;
  for (let r = first + 1; r <= last + 1; r++) {
    if (r <= last && keyOf(r) === keyOf(start) && keyOf(start) !== '') continue;
    if (r - 1 > start) ws.mergeCells(start, col, r - 1, col);
    start = r;
  }
}

/** The system as a sheet: one row per 测评标准, 测评项目 and 测评内容 in merged cells; the title row above the header. */
export async function exportSystem(deps: ExcelDeps, ctx: RequestContext, id: string): Promise<{ fileName: string; buffer: Buffer }> {
  indicatorsPolicy.read(ctx.actor);
  const system = await repo.getSystem(deps.db, id);
  if (!system) throw notFound('测评体系');
  const nodes = treeOrder(await repo.listNodes(deps.db, id, false));
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const wb = new ExcelJS.Workbook();
  wb.creator = '创文通';
  const ws = wb.addWorksheet('测评体系', { views: [{ state: 'frozen', ySplit: 2 }] });
  ws.columns = [10, 22, 28, 50, 8, 18, 40].map((width) => ({ width }));
  ws.addRow([`${system.name}${system.totalScore !== null ? `（总分 ${system.totalScore} 分）` : ''}`]);
  ws.mergeCells(1, 1, 1, SYSTEM_COLUMNS.length);
  ws.getRow(1).font = { bold: true, size: 14 };
  ws.getRow(1).alignment = { horizontal: 'center' };
  ws.addRow([...SYSTEM_COLUMNS]);
  styleHeader(ws.getRow(2), SYSTEM_COLUMNS.length);
  const keys: { item: string; content: string }[] = [];
  for (const n of nodes) {
    if (n.level !== 'standard') continue;
    const content = n.parentId ? byId.get(n.parentId) : undefined;
    const item = content?.parentId ? byId.get(content.parentId) : undefined;
    ws.addRow([n.code, item?.text ?? '', content?.text ?? '', n.text, n.score ?? '', methodsText(n.methods), n.materials]).alignment = { vertical: 'top', wrapText: true };
    keys.push({ item: item?.id ?? '', content: content?.id ?? '' });
  }
  const last = 2 + keys.length;
  mergeRuns(ws, 2, 3, last, (r) => keys[r - 3]?.item ?? '');
  mergeRuns(ws, 3, 3, last, (r) => keys[r - 3]?.content ?? '');
  return { fileName: `${system.name}.xlsx`, buffer: Buffer.from(await wb.xlsx.writeBuffer()) };
}

type Planned = repo.NodeInsert & { id: string; path: string; code: string; level: string };

/** Reads a system sheet into planned nodes: 测评项目/测评内容 carried down, codes of items and contents from the standards' codes (Ⅱ-1-1 → Ⅱ, Ⅱ-1). */
async function analyse(db: Executor, systemId: string, file: ImportFile): Promise<{ preview: SystemImportPreview; nodes: Planned[] }> {
  const grid = await readTaskSheet(file);
  const header = findTaskHeader(grid.rows);
  const problems: TaskImportProblem[] = [];
  const base: SystemImportPreview = {
    fileName: file.fileName,
    sheetName: grid.sheetName,
    headerRow: header ? header.headerIndex + 1 : null,
    columns: [],
    missing: [],
    rows: [],
    problems,
    summary: { items: 0, contents: 0, standards: 0, scoreSum: 0, invalid: 0 },
  };
  if (!header) return { preview: { ...base, missing: ['指标编号', '测评项目', '测评标准'] }, nodes: [] };
  const columns = header.columns.filter((c) => ['code', 'item', 'content', 'standard', 'score', 'methods', 'materials'].includes(c.field));
  base.columns = columns.map((c) => ({ column: c.column, header: c.header, field: c.field, label: c.label }));
  base.missing = ['code', 'item', 'content', 'standard'].filter((f) => !columns.some((c) => c.field === f)).map((f) => ({ code: '指标编号', item: '测评项目', content: '测评内容', standard: '测评标准' })[f]!);
  if (base.missing.length) return { preview: base, nodes: [] };
  const existing = await repo.listNodes(db, systemId, false);
  const table = parseTaskRows(grid.rows, columns, { dataStart: header.dataStart, year: 2000 });
  const nodes: Planned[] = [];
  const items = new Map<string, Planned>();
  const contents = new Map<string, Planned>();
  const codes = new Map<string, number>();
  const col = (f: string) => columns.find((c) => c.field === f)?.column ?? '';
  for (const r of table.rows) {
    const rowProblems: TaskImportProblem[] = r.problems
      .filter((p) => p.field !== 'responsible' && p.field !== 'lead' && p.field !== 'cooperating' && p.field !== 'deadline' && p.field !== 'phase')
      .map((p) => ({ row: p.row, column: p.column, field: p.field, label: p.label, message: p.message }));
    const problem = (field: string, label: string, message: string) => rowProblems.push({ row: r.row, column: col(field), field, label, message });
    const parsed = r.code ? parseIndicatorCode(r.code) : null;
    if (!r.code) problem('code', '指标编号', '缺少指标编号');
    else if (parsed?.ok && parsed.value.parts.length !== 3) problem('code', '指标编号', `测评标准的指标编号应有三级，如 Ⅱ-1-1（「${r.code}」）`);
    if (r.content === '') problem('content', '测评内容', '缺少测评内容');
    const a = r.code ? toArabicCode(r.code) : null;
    if (a?.ok) {
      if (codes.has(a.value)) problem('code', '指标编号', `指标编号「${r.code}」与第 ${codes.get(a.value)} 行重复`);
      else codes.set(a.value, r.row);
    }
    base.rows.push({ row: r.row, code: r.code, level: 'standard', text: r.standard, score: r.score, methods: r.methods, materials: r.materials, problems: rowProblems });
    problems.push(...rowProblems);
    if (rowProblems.length || !parsed?.ok) continue;
    const roman = parsed.value.roman;
    const itemCode = formatIndicatorCode({ parts: parsed.value.parts.slice(0, 1), roman });
    const contentCode = formatIndicatorCode({ parts: parsed.value.parts.slice(0, 2), roman });
    let item = items.get(r.item);
    if (!item) {
      const id = newId();
      item = { id, systemId, parentId: null, level: 'item', code: itemCode, text: r.item, path: childPath('/', id), sort: items.size + 1 };
      items.set(r.item, item);
      nodes.push(item);
    }
    const ck = `${item.id}|${r.content}`;
    let content = contents.get(ck);
    if (!content) {
      const id = newId();
      const siblings = [...contents.values()].filter((c) => c.parentId === item.id).length;
      content = { id, systemId, parentId: item.id, level: 'content', code: contentCode, text: r.content, path: childPath(item.path, id), sort: siblings + 1 };
      contents.set(ck, content);
      nodes.push(content);
    }
    const id = newId();
    const siblings = nodes.filter((n) => n.parentId === content.id).length;
    nodes.push({ id, systemId, parentId: content.id, level: 'standard', code: r.code, text: r.standard, score: r.score, methods: r.methods, materials: r.materials, path: childPath(content.path, id), sort: siblings + 1 });
  }
  // an item or content written with two different codes is a problem of the rows that disagree
  const seen = new Map<string, string>();
  for (const n of nodes) {
    if (n.level === 'standard') continue;
    const a = toArabicCode(n.code);
    const key = a.ok ? a.value : n.code;
    const other = seen.get(key);
    if (other !== undefined && other !== n.text) problems.push({ row: 0, column: col('code'), field: 'code', label: '指标编号', message: `编号「${n.code}」对应了两个不同的${n.level === 'item' ? '测评项目' : '测评内容'}：「${other}」和「${n.text}」` });
    seen.set(key, n.text);
  }
  if (existing.length) problems.push({ row: 0, column: '', field: '', label: '测评体系', message: '该测评体系已有节点：Excel 只能导入到空的测评体系（可新建体系后导入，或在页面上逐条修改）' });
  const standards = nodes.filter((n) => n.level === 'standard');
  base.summary = {
    items: nodes.filter((n) => n.level === 'item').length,
    contents: nodes.filter((n) => n.level === 'content').length,
    standards: standards.length,
    scoreSum: Math.round(standards.reduce((s, n) => s + (n.score ?? 0), 0) * 100) / 100,
    invalid: base.rows.filter((r) => r.problems.length).length,
  };
  return { preview: base, nodes };
}

export async function previewSystemImport(deps: ExcelDeps, ctx: RequestContext, id: string, file: ImportFile): Promise<SystemImportPreview> {
  indicatorsPolicy.manageSystems(ctx.actor);
  if (!(await repo.getSystem(deps.db, id))) throw notFound('测评体系');
  return (await analyse(deps.db, id, file)).preview;
}

/** Writes the whole tree or nothing (422 with every problem). */
export async function commitSystemImport(deps: ExcelDeps, ctx: RequestContext, id: string, file: ImportFile): Promise<SystemImportResult> {
  indicatorsPolicy.manageSystems(ctx.actor);
  return deps.db.transaction(async (tx) => {
    const system = await repo.getSystem(tx, id, true);
    if (!system) throw notFound('测评体系');
    if (system.status === 'archived') throw new AppError('INVALID_STATE', '测评体系已归档，不能导入');
    const { preview, nodes } = await analyse(tx, id, file);
    if (preview.missing.length) throw new AppError('IMPORT_INVALID', `缺少必需的列：${preview.missing.join('、')}`);
    if (preview.problems.length || nodes.length === 0) {
      const list = preview.problems.length ? preview.problems : [{ row: 0, column: '', field: '', label: '', message: '表中没有测评标准' }];
      throw new AppError(
        'IMPORT_INVALID',
        `导入未进行：${list[0].row ? `第 ${list[0].row} 行 ` : ''}${list[0].message}${list.length > 1 ? ` 等 ${list.length} 处问题` : ''}`,
        list.slice(0, 200).map((p) => ({ path: `rows.${p.row}.${p.field || 'row'}`, message: p.message })),
      );
    }
    await repo.insertNodes(tx, nodes);
    await repo.insertHistory(
      tx,
      nodes.map((n) => ({
        nodeId: n.id,
        systemId: id,
        action: 'import',
        before: null,
        after: { code: n.code, text: n.text, score: n.score ?? null, methods: n.methods ?? [], materials: n.materials ?? '', sort: n.sort ?? 0, isActive: true, file: file.fileName },
        actorId: ctx.actor.userId,
      })),
    );
    await repo.touchSystem(tx, id);
    const out = { items: preview.summary.items, contents: preview.summary.contents, standards: preview.summary.standards };
    await audit(tx, ctx, { action: 'import', entity: 'indicator_system', entityId: id, after: { file: file.fileName, ...out } });
    return out;
  });
}
