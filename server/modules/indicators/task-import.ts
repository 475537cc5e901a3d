import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { OrgUnitKind } from '../../../contracts/org.ts';
import type { TaskImportPreview, TaskImportProblem, TaskImportResult, TaskImportRow } from '../../../contracts/indicators.ts';
import { formatIndicatorCode, intToRoman, parseIndicatorCode, toArabicCode } from '../../../domain/evidence-number.ts';
import { columnLetter, type MappedColumn } from '../../../domain/excel-headers.ts';
import { childPath } from '../../../domain/org.ts';
import { adjustMapping, type ColumnOverride, findTaskHeader, parseTaskRows, TASK_TABLE_FIELDS, type TaskRow } from '../../../domain/task-table.ts';
import { buildUnitIndex, type UnitMatch } from '../../../domain/unit-match.ts';
import { type Executor, rowsOf } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import type { RequestContext } from '../../http/actor.ts';
import { AppError, notFound } from '../../http/errors.ts';
import { inScope, type Scope } from '../../http/policy.ts';
import { ExcelReadError, readFirstSheet, type SheetGrid } from '../../lib/excel.ts';
import { newId } from '../../lib/ids.ts';
import { audit } from '../audit/index.ts';
import { indicatorsPolicy } from './indicators.policy.ts';
import * as repo from './indicators.repo.ts';
import * as tasksRepo from './tasks.repo.ts';

/** Rows one task table may hold. */
export const TASK_IMPORT_MAX_ROWS = 20_000;
/** Bytes one task table may have (a 20,000-row table is about 2 MB). */
export const TASK_IMPORT_MAX_BYTES = 20 * 1024 * 1024;

export type ImportFile = { buffer: Buffer; fileName: string };
export type TaskImportOptions = {
  /** column letter → field key | 'ignore', over the detected mapping */
  mapping?: Record<string, string>;
  /** create the 测评项目/内容/标准 a row names when the system lacks them */
  createNodes?: boolean;
  /** the year of deadlines written without one; default the system's year */
  year?: number;
  /** the preview's token: commit refuses (409) when anything changed since */
  token?: string;
};

type ImportDeps = Pick<Deps, 'db'>;

const norm = (s: string) => s.normalize('NFKC').replace(/[\s，。,.;；、:：“”"'‘’（）()【】[\]]/g, '');
const arabic = (code: string): string | null => {
  const r = toArabicCode(code);
  return r.ok ? r.value : null;
};
const short = (s: string, n = 30) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** Reads an uploaded file as a grid, answering bad files with Chinese messages (415 not Excel, 413 too large, 400 unreadable). */
export async function readTaskSheet(file: ImportFile): Promise<SheetGrid> {
  if (file.buffer.length > TASK_IMPORT_MAX_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', `文件过大：任务分解表最大 ${TASK_IMPORT_MAX_BYTES / 1024 / 1024} MB，请删去无关的工作表或图片后再导入`);
  try {
    return await readFirstSheet(file.buffer, { maxRows: TASK_IMPORT_MAX_ROWS, maxColumns: 60 });
  } catch (e) {
    if (!(e instanceof ExcelReadError)) throw e;
    const code = e.reason === 'not_xlsx' ? 'UNSUPPORTED_MEDIA_TYPE' : e.reason === 'too_large' ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST';
    throw new AppError(code, e.message);
  }
}

// ─── the plan: what committing would write ────────────────────────────────────

type PlannedNode = repo.NodeInsert & { id: string; path: string; level: string; code: string };
type PlannedTask = { row: number; seqGiven: boolean; task: tasksRepo.TaskInsert & { id: string }; units: tasksRepo.TaskUnitInsert[] };

type NodeIndex = {
  byCode: Map<string, repo.NodeRow>;
  byId: Map<string, repo.NodeRow | PlannedNode>;
  /** norm(text) → standards and contents */
  targetsByText: Map<string, repo.NodeRow[]>;
  itemsByText: Map<string, repo.NodeRow | PlannedNode>;
  /** itemId + norm(text) → content */
  contentsByText: Map<string, repo.NodeRow | PlannedNode>;
  /** contentId + norm(text) → standard (planned ones only; existing ones are in targetsByText) */
  plannedStandards: Map<string, PlannedNode>;
  codes: Set<string>;
  childCount: Map<string, number>;
  roman: boolean;
};

function indexNodes(nodes: repo.NodeRow[]): NodeIndex {
  const idx: NodeIndex = {
    byCode: new Map(),
    byId: new Map(),
    targetsByText: new Map(),
    itemsByText: new Map(),
    contentsByText: new Map(),
    plannedStandards: new Map(),
    codes: new Set(),
    childCount: new Map(),
    roman: true,
  };
  let roman = 0;
  let arabicItems = 0;
  for (const n of nodes) {
    idx.byId.set(n.id, n);
    const a = arabic(n.code);
    if (a) idx.byCode.set(a, n);
    idx.codes.add(a ?? n.code);
    idx.childCount.set(n.parentId ?? '', (idx.childCount.get(n.parentId ?? '') ?? 0) + 1);
    if (n.level === 'item') {
      idx.itemsByText.set(norm(n.text), n);
      const p = parseIndicatorCode(n.code);
      if (p.ok && p.value.roman) roman++;
      else arabicItems++;
    } else {
      const t = norm(n.text);
      idx.targetsByText.set(t, [...(idx.targetsByText.get(t) ?? []), n]);
      if (n.level === 'content' && n.parentId) idx.contentsByText.set(`${n.parentId}|${t}`, n);
    }
  }
  idx.roman = roman >= arabicItems;
  return idx;
}

/** The first free code among `preferred` (when it parses and is free) and `prefix-n` counting from the children already there. */
function freeCode(idx: NodeIndex, parentId: string | null, parentCode: string | null, preferred: string | null): string {
  if (preferred) {
    const a = arabic(preferred);
    if (a && !idx.codes.has(a)) return preferred;
  }
  let n = idx.childCount.get(parentId ?? '') ?? 0;
  for (;;) {
    n++;
    const code = parentCode ? `${parentCode}-${n}` : idx.roman ? intToRoman(n) : String(n);
    const a = arabic(code) ?? code;
    if (!idx.codes.has(a)) return code;
  }
}

function addPlanned(idx: NodeIndex, planned: PlannedNode[], n: PlannedNode) {
  planned.push(n);
  idx.byId.set(n.id, n);
  idx.codes.add(arabic(n.code) ?? n.code);
  idx.childCount.set(n.parentId ?? '', (idx.childCount.get(n.parentId ?? '') ?? 0) + 1);
}

/** The prefix of a code with `parts` numbers in the style it was written: prefixCode('Ⅱ-1-3', 2) → 'Ⅱ-1' */
function prefixCode(code: string, parts: number): string | null {
  const p = parseIndicatorCode(code);
  if (!p.ok || p.value.parts.length < parts) return null;
  return formatIndicatorCode({ parts: p.value.parts.slice(0, parts), roman: p.value.roman });
}

type NodeMatch = TaskImportRow['node'] & { node: repo.NodeRow | PlannedNode | null; itemId: string | null };

function ancestorsText(idx: NodeIndex, n: repo.NodeRow | PlannedNode): { item: string; content: string } {
  const ids = n.path.split('/').filter(Boolean);
  const item = idx.byId.get(ids[0]);
  const content = n.level === 'standard' ? idx.byId.get(ids[1]) : n;
  return { item: item ? norm(item.text) : '', content: content ? norm(content.text) : '' };
}

/** Finds (or with createNodes plans) the node a row is about; problems go to `problem`. */
function matchNode(idx: NodeIndex, planned: PlannedNode[], systemId: string, r: TaskRow, createNodes: boolean, problem: (field: 'code' | 'standard' | 'content', message: string) => void): NodeMatch {
  const none: NodeMatch = { match: 'none', nodeId: null, code: null, node: null, itemId: null };
  const itemIdOf = (n: repo.NodeRow | PlannedNode) => n.path.split('/').filter(Boolean)[0];
  const hit = (n: repo.NodeRow | PlannedNode, how: 'code' | 'text' | 'new'): NodeMatch => ({ match: how, nodeId: n.id, code: n.code, node: n, itemId: itemIdOf(n) });
  if (r.standard === '' || r.item === '') return none;
  const codeA = r.code ? arabic(r.code) : null;
  if (codeA) {
    const n = idx.byCode.get(codeA);
    if (n && n.level === 'item') {
      problem('code', `指标编号「${r.code}」是测评项目，任务须对应测评标准或测评内容`);
      return none;
    }
    if (n) return hit(n, 'code');
  }
  const text = norm(r.standard);
  const candidates = idx.targetsByText.get(text) ?? [];
  let found = candidates;
  if (found.length > 1) {
    const item = norm(r.item);
    const content = norm(r.content);
    found = candidates.filter((c) => {
      const a = ancestorsText(idx, c);
      return a.item === item && (content === '' || a.content === content);
    });
  }
  if (found.length === 1) return hit(found[0], 'text');
  if (found.length > 1) {
    problem('standard', `测评标准「${short(r.standard)}」在测评体系中出现多次（${found.map((f) => f.code).join('、')}），请填写指标编号区分`);
    return none;
  }
  if (!createNodes) {
    problem(
      r.code ? 'code' : 'standard',
      `测评体系中未找到测评标准「${short(r.standard)}」${r.code ? `（编号 ${r.code}）` : ''}；请先在测评体系中添加，或选择“自动创建缺少的测评标准”`,
    );
    return none;
  }
  // plan the missing item / content / standard
  if (r.content === '') {
    problem('content', `新建测评标准「${short(r.standard)}」需要测评内容，请填写测评内容列`);
    return none;
  }
  const itemKey = norm(r.item);
  let item = idx.itemsByText.get(itemKey);
  if (!item) {
    const id = newId();
    item = { id, systemId, parentId: null, level: 'item', code: freeCode(idx, null, null, r.code ? prefixCode(r.code, 1) : null), text: r.item, path: childPath('/', id), sort: (idx.childCount.get('') ?? 0) + 1 };
    addPlanned(idx, planned, item as PlannedNode);
    idx.itemsByText.set(itemKey, item);
  }
  const contentKey = `${item.id}|${norm(r.content)}`;
  let content = idx.contentsByText.get(contentKey);
  if (!content) {
    const id = newId();
    content = { id, systemId, parentId: item.id, level: 'content', code: freeCode(idx, item.id, item.code, r.code ? prefixCode(r.code, 2) : null), text: r.content, path: childPath(item.path, id), sort: (idx.childCount.get(item.id) ?? 0) + 1 };
    addPlanned(idx, planned, content as PlannedNode);
    idx.contentsByText.set(contentKey, content);
  }
  const standardKey = `${content.id}|${text}`;
  let standard = idx.plannedStandards.get(standardKey);
  if (!standard) {
    const id = newId();
    standard = {
      id,
      systemId,
      parentId: content.id,
      level: 'standard',
      code: freeCode(idx, content.id, content.code, r.code || null),
      text: r.standard,
      score: r.score,
      methods: r.methods,
      materials: r.materials,
      path: childPath(content.path, id),
      sort: (idx.childCount.get(content.id) ?? 0) + 1,
    };
    addPlanned(idx, planned, standard);
    idx.plannedStandards.set(standardKey, standard);
  }
  return hit(standard, 'new');
}

/** A task's identity for duplicate checks: its node and its set of units. */
const taskKey = (nodeId: string, unitIds: Iterable<string>) => `${nodeId}|${[...unitIds].sort().join(',')}`;

type Analysis = { preview: TaskImportPreview; nodes: PlannedNode[]; tasks: PlannedTask[] };

type UnitRow = { id: string; name: string; short_name: string | null; kind: string; path: string; updated_at: string | Date };

async function loadUnits(db: Executor): Promise<UnitRow[]> {
  return rowsOf<UnitRow>(await db.execute(sql`SELECT id, name, short_name, kind, path, updated_at FROM org_units WHERE is_active ORDER BY path`));
}

/**
 * Reads a task table against a system: header, mapping (detected, then the person's overrides),
 * typed rows, units matched by name (closest three offered for unknown names), standards found by
 * code or text (or planned with createNodes), and every problem by row and column.
 */
export async function analyseTaskTable(db: Executor, scope: Scope, system: repo.SystemRow, grid: SheetGrid, file: ImportFile, opts: TaskImportOptions): Promise<Analysis> {
  const fields = TASK_TABLE_FIELDS.map((f) => ({ key: f.key, label: f.label, required: f.required, example: f.example, note: f.note }));
  const header = findTaskHeader(grid.rows);
  const units = await loadUnits(db);
  const nodes = await repo.listNodes(db, system.id, false);
  const existing = new Set((await tasksRepo.taskUnitKeys(db, system.id)).map((k) => taskKey(k.node_id, k.unit_ids)));
  const fingerprint = {
    file: createHash('sha256').update(file.buffer).digest('hex'),
    mapping: opts.mapping ?? {},
    createNodes: !!opts.createNodes,
    year: opts.year ?? system.year,
    system: `${system.id}:${system.version}`,
    units: `${units.length}:${units.reduce((m, u) => Math.max(m, new Date(u.updated_at).getTime()), 0)}`,
  };
  const token = createHash('sha256').update(JSON.stringify(fingerprint)).digest('hex').slice(0, 40);
  const empty = (mappingProblems: string[], columns: MappedColumn[] = []): Analysis => ({
    preview: {
      fileName: file.fileName,
      sheetName: grid.sheetName,
      headerRow: header ? header.headerIndex + 1 : null,
      headerRows: header?.headerRows ?? 1,
      columns: (header?.headers ?? []).map((h, i) => {
        const c = columns.find((x) => x.index === i);
        return { column: columnLetterOf(i), header: h, field: c?.field ?? null, label: c?.label ?? null };
      }),
      fields,
      mapping: Object.fromEntries(columns.map((c) => [c.column, c.field])),
      mappingProblems,
      rows: [],
      problems: [],
      skipped: [],
      summary: { rows: 0, valid: 0, invalid: 0, tasks: 0, newNodes: 0, unknownUnitNames: [] },
      token,
    },
    nodes: [],
    tasks: [],
  });
  if (!header) return empty([`未找到表头：前 20 行中没有同时包含「测评项目」「测评标准」「责任单位」等列名的行`]);
  const overrides: Record<string, ColumnOverride> = {};
  for (const [k, v] of Object.entries(opts.mapping ?? {})) overrides[k.toUpperCase()] = v as ColumnOverride;
  const mapped = adjustMapping(header.columns, header.headers, overrides);
  if (!mapped.ok) return empty(mapped.problems, mapped.columns);
  const columns = mapped.columns;

  const index = buildUnitIndex(units.map((u) => ({ id: u.id, name: u.name, shortName: u.short_name, kind: u.kind as OrgUnitKind })));
  const unitById = new Map(units.map((u) => [u.id, u]));
  const table = parseTaskRows(grid.rows, columns, { dataStart: header.dataStart, year: opts.year ?? system.year, units: index });
  if (table.rows.length > TASK_IMPORT_MAX_ROWS) throw new AppError('PAYLOAD_TOO_LARGE', `数据行过多：最多 ${TASK_IMPORT_MAX_ROWS} 行，请分批导入`);

  const idx = indexNodes(nodes);
  const plannedNodes: PlannedNode[] = [];
  const plannedTasks: PlannedTask[] = [];
  const col = new Map(columns.map((c) => [c.field, c]));
  const unknownNames = new Set<string>();
  const previewRows: TaskImportRow[] = [];
  const allProblems: TaskImportProblem[] = [];
  let seq = 0;
  const label = (f: string) => TASK_TABLE_FIELDS.find((s) => s.key === f)?.label ?? f;

  for (const r of table.rows) {
    const problems: TaskImportProblem[] = r.problems.map((p) => {
      const out: TaskImportProblem = { row: p.row, column: p.column, field: p.field, label: p.label, message: p.message };
      if (p.field === 'lead' || p.field === 'responsible' || p.field === 'cooperating') {
        const m = (r[p.field].matches ?? []).find((x): x is Extract<UnitMatch, { status: 'unknown' | 'ambiguous' }> => (x.status === 'unknown' || x.status === 'ambiguous') && x.message === p.message);
        if (m) {
          out.unitName = m.text;
          out.candidates = m.candidates.slice(0, 3);
          unknownNames.add(m.text);
        }
      }
      return out;
    });
    const problem = (field: string, message: string) => problems.push({ row: r.row, column: col.get(field)?.column ?? '', field, label: label(field), message });

    const node = matchNode(idx, plannedNodes, system.id, r, !!opts.createNodes, problem);

    // units: the highest role wins when a unit is named twice; all must lie in the actor's write scope
    const roles = new Map<string, 'lead' | 'responsible' | 'cooperating'>();
    for (const f of ['lead', 'responsible', 'cooperating'] as const) for (const id of r[f].ids ?? []) if (!roles.has(id)) roles.set(id, f);
    const outside = [...roles.keys()].map((id) => unitById.get(id)!).filter((u) => !inScope(scope, u.path));
    if (outside.length) problem('responsible', `单位不在您的管辖范围内：${outside.map((u) => u.name).join('、')}`);
    // the same standard with the same units is already in the task table (a file imported twice)
    if (node.node && roles.size && existing.has(taskKey(node.node.id, roles.keys()))) {
      problem(col.has('standard') ? 'standard' : 'code', `任务分解表中已有这项任务（测评标准 ${node.node.code}，单位相同），请勿重复导入`);
    }

    const unitsOut = (f: 'lead' | 'responsible' | 'cooperating') => ({
      names: r[f].names,
      units: (r[f].ids ?? []).map((id) => ({ id, name: unitById.get(id)?.name ?? '' })),
    });
    const deadline = r.deadline;
    previewRows.push({
      row: r.row,
      seq: r.seq,
      code: r.code,
      item: r.item,
      content: r.content,
      standard: r.standard,
      score: r.score,
      methods: r.methods,
      materials: r.materials,
      lead: unitsOut('lead'),
      responsible: unitsOut('responsible'),
      cooperating: unitsOut('cooperating'),
      deadlineText: r.deadlineText,
      deadline: deadline?.kind === 'date' ? deadline.date : null,
      deadlineKind: deadline ? deadline.kind : 'none',
      phase: r.phase,
      note: r.note,
      carried: r.carried,
      node: { match: node.match, nodeId: node.nodeId, code: node.code },
      problems,
    });
    allProblems.push(...problems);
    if (problems.length || !node.node || !node.itemId) continue;

    seq++;
    const taskId = newId();
    const leadId = (r.lead.ids ?? [])[0] ?? null;
    const seqNo = /^\d{1,6}$/.test(r.seq) ? Number(r.seq) : seq;
    plannedTasks.push({
      row: r.row,
      seqGiven: /^\d{1,6}$/.test(r.seq),
      task: {
        id: taskId,
        systemId: system.id,
        nodeId: node.node.id,
        itemNodeId: node.itemId,
        seq: seqNo,
        title: r.standard,
        leadUnitId: leadId && roles.get(leadId) === 'lead' ? leadId : null,
        deadline: deadline?.kind === 'date' ? deadline.date : null,
        deadlineText: r.deadlineText,
        phase: r.phase,
        materials: r.materials || ('materials' in node.node ? (node.node.materials ?? '') : ''),
        note: r.note,
      },
      units: [...roles].map(([unitId, role]) => ({ id: newId(), taskId, unitId, unitPath: unitById.get(unitId)!.path, role })),
    });
  }
  const invalidRows = previewRows.filter((r) => r.problems.length).length;
  return {
    preview: {
      fileName: file.fileName,
      sheetName: grid.sheetName,
      headerRow: header.headerIndex + 1,
      headerRows: header.headerRows,
      columns: header.headers.map((h, i) => {
        const c = columns.find((x) => x.index === i);
        return { column: columnLetterOf(i), header: h, field: c?.field ?? null, label: c?.label ?? null };
      }),
      fields,
      mapping: Object.fromEntries(columns.map((c) => [c.column, c.field])),
      mappingProblems: [],
      rows: previewRows,
      problems: allProblems,
      skipped: table.skipped,
      summary: {
        rows: previewRows.length,
        valid: previewRows.length - invalidRows,
        invalid: invalidRows,
        tasks: plannedTasks.length,
        newNodes: plannedNodes.length,
        unknownUnitNames: [...unknownNames],
      },
      token,
    },
    nodes: plannedNodes,
    tasks: plannedTasks,
  };
}

const columnLetterOf = columnLetter;

async function loadSystem(db: Executor, id: string, forUpdate: boolean) {
  const system = await repo.getSystem(db, id, forUpdate);
  if (!system) throw notFound('测评体系');
  if (system.status === 'archived') throw new AppError('INVALID_STATE', '测评体系已归档，不能导入任务');
  return system;
}

/** The preview of a task table: nothing is written. */
export async function previewTaskTable(deps: ImportDeps, ctx: RequestContext, systemId: string, file: ImportFile, opts: TaskImportOptions): Promise<TaskImportPreview> {
  const scope = indicatorsPolicy.manage(ctx.actor);
  const grid = await readTaskSheet(file);
  const system = await loadSystem(deps.db, systemId, false);
  return (await analyseTaskTable(deps.db, scope, system, grid, file, opts)).preview;
}

/**
 * Imports a 任务分解表 into a system, all or nothing: the file is read and checked again inside
 * the transaction (the system row locked); any problem answers 422 with the problems, a token from
 * a preview that no longer matches (file, mapping, system or units changed) answers 409. New
 * nodes, tasks and their units are written in bulk, with history and audit rows.
 * The lead benchmarks this function (5,000 rows in under 10 s).
 */
export async function importTaskTable(deps: ImportDeps, ctx: RequestContext, systemId: string, file: ImportFile, opts: TaskImportOptions): Promise<TaskImportResult> {
  const started = Date.now();
  const scope = indicatorsPolicy.manage(ctx.actor);
  const grid = await readTaskSheet(file);
  return deps.db.transaction(async (tx) => {
    const system = await loadSystem(tx, systemId, true);
    const a = await analyseTaskTable(tx, scope, system, grid, file, opts);
    if (opts.token && opts.token !== a.preview.token) throw new AppError('CONFLICT', '预览之后文件、列对应、测评体系或单位已有变化，请重新预览后再导入');
    if (a.preview.mappingProblems.length) {
      throw new AppError(
        'IMPORT_INVALID',
        `列对应有问题：${a.preview.mappingProblems.join('；')}`,
        a.preview.mappingProblems.map((m) => ({ path: 'mapping', message: m })),
      );
    }
    if (a.preview.problems.length) {
      const first = a.preview.problems[0];
      throw new AppError(
        'IMPORT_INVALID',
        `有 ${a.preview.summary.invalid} 行存在问题，未导入任何数据。第一处：第 ${first.row} 行${first.column ? ` ${first.column} 列` : ''}（${first.label}）${first.message}`,
        a.preview.problems.slice(0, 200).map((p) => ({ path: `rows.${p.row}.${p.field || 'row'}`, message: `第 ${p.row} 行${p.column ? ` ${p.column} 列` : ''}（${p.label}）：${p.message}` })),
      );
    }
    if (a.tasks.length === 0) throw new AppError('IMPORT_INVALID', '表中没有可导入的任务行');
    const base = await tasksRepo.maxSeq(tx, system.id);
    // the file's 序号 when every row has one and the system has no tasks yet; otherwise numbered on
    const fromFileSeq = base === 0 && a.tasks.every((t) => t.seqGiven);
    await repo.insertNodes(tx, a.nodes);
    await repo.insertHistory(
      tx,
      a.nodes.map((n) => ({
        nodeId: n.id,
        systemId: system.id,
        action: 'import',
        before: null,
        after: { code: n.code, text: n.text, score: n.score ?? null, methods: n.methods ?? [], materials: n.materials ?? '', sort: n.sort ?? 0, isActive: true, file: file.fileName },
        actorId: ctx.actor.userId,
      })),
    );
    await tasksRepo.bulkInsertTasks(
      tx,
      a.tasks.map((t, i) => ({ ...t.task, seq: fromFileSeq ? t.task.seq : base + i + 1, createdBy: ctx.actor.userId })),
    );
    await tasksRepo.bulkInsertTaskUnits(
      tx,
      a.tasks.flatMap((t) => t.units),
    );
    await repo.touchSystem(tx, system.id);
    const changes = a.tasks.map((t) => ({
      action: 'import',
      entity: 'task',
      entityId: t.task.id,
      after: { systemId: system.id, row: t.row, nodeId: t.task.nodeId, title: t.task.title, deadlineText: t.task.deadlineText, phase: t.task.phase, units: t.units.map((u) => ({ unitId: u.unitId, role: u.role })) },
    }));
    changes.push({
      action: 'import',
      entity: 'indicator_system',
      entityId: system.id,
      after: { file: file.fileName, tasks: a.tasks.length, nodesCreated: a.nodes.length } as never,
    });
    for (let i = 0; i < changes.length; i += 2000) await audit(tx, ctx, ...changes.slice(i, i + 2000));
    return { tasks: a.tasks.length, taskUnits: a.tasks.reduce((s, t) => s + t.units.length, 0), nodesCreated: a.nodes.length, ms: Date.now() - started };
  });
}
