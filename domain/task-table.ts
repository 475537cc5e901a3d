/**
 * Reading a city's 任务分解表 (PRODUCT.md §3.2) from the string grid server/lib/excel.ts gives
 * (merged cells already filled): the columns and their usual names, the header row (anywhere in
 * the first 20 rows, one or two rows high), a column mapping people can adjust, and a typed row
 * model with every problem by Excel row and column. Pure: unit names are matched only when the
 * caller passes a UnitIndex (domain/unit-match.ts); nothing here touches the database.
 */

import { type EvaluationMethod, EvaluationMethodLabels, type TaskPhase, TaskPhaseLabels } from '../contracts/indicators.ts';
import { type Deadline, parseDeadline } from './deadline-parse.ts';
import { columnIndex, columnLetter, type FieldSpec, findHeaderRow, type MappedColumn, mapColumns, missingFields, normalizeHeader } from './excel-headers.ts';
import { parseIndicatorCode } from './evidence-number.ts';
import { parseNumber, splitMulti, splitMultiOutsideBrackets } from './excel-values.ts';
import { matchUnitCell, type UnitIndex, type UnitMatch } from './unit-match.ts';

export type TaskField = 'seq' | 'code' | 'item' | 'content' | 'standard' | 'score' | 'methods' | 'materials' | 'lead' | 'responsible' | 'cooperating' | 'deadline' | 'phase' | 'note';

const spec = (key: TaskField, label: string, required: boolean, synonyms: string[], example: string, note: string, orField?: TaskField): FieldSpec => ({
  key,
  label,
  required,
  synonyms: [label, ...synonyms],
  example,
  note,
  ...(orField ? { orField } : {}),
});

/** The columns of a 任务分解表 and the names offices give them. */
export const TASK_TABLE_FIELDS: FieldSpec[] = [
  spec('seq', '序号', false, ['序', 'no', 'no.', '序列号', '排序'], '1', '行号，可不填'),
  spec('code', '指标编号', false, ['编号', '指标编码', '指标代码', '标准编号', '条目编号', '测评编号', '代码'], 'Ⅱ-1-1', '测评体系中的编号，如 Ⅱ-1-1 或 2-1-1'),
  spec('item', '测评项目', true, ['项目', '一级指标', 'a级指标', '测评项目名称', '测评大项'], '公正的法治环境', '合并单元格或只在第一行填写均可，空白时沿用上一行'),
  spec('content', '测评内容', false, ['内容', '二级指标', 'b级指标', '测评内容名称', '测评指标'], '严格规范公正文明执法', '空白时沿用上一行（同一测评项目内）'),
  spec('standard', '测评标准', true, ['标准', '三级指标', 'c级指标', '具体标准', '测评细则', '指标要求', '测评标准内容', '考核标准', '工作标准', '任务内容', '工作任务', '具体任务'], '公安机关执法规范化建设达标', ''),
  spec('score', '分值', false, ['分数', '标准分', '权重', '分值（分）'], '2', '数字'),
  spec('methods', '测评方法', false, ['方法', '测评方式', '考核方式', '检查方式', '测评形式'], '材料审核、实地考察', '材料审核 / 实地考察 / 问卷调查 / 网络调查 / 听取汇报 / 整体观察，多个用“、”分隔'),
  spec('materials', '材料要求', false, ['材料', '佐证材料', '需提供材料', '申报材料', '材料清单', '网上申报材料', '台账要求', '材料审核要求', '报送材料'], '制度文件、工作台账、图片资料', ''),
  spec('lead', '牵头单位', false, ['牵头部门', '牵头', '主责单位', '牵头责任单位', '总牵头单位'], '市公安局', '单位名称'),
  spec('responsible', '责任单位', true, ['责任部门', '承办单位', '落实单位', '责任主体', '主体责任单位', '具体责任单位', '责任'], '市公安局、各区', '单位名称，多个用“、”分隔；各区、各街道表示该类全部单位', 'lead'),
  spec('cooperating', '配合单位', false, ['配合部门', '协办单位', '协助单位', '参与单位', '配合'], '市司法局', '单位名称，多个用“、”分隔'),
  spec('deadline', '完成时限', false, ['时间要求', '完成时间', '时限', '时限要求', '完成期限', '截止时间', '办结时限', '完成时间节点', '时间节点'], '2026年6月底', '2026-06-30、2026年6月30日、6月底、上半年、长期坚持、每月'),
  spec('phase', '阶段', false, ['推进阶段', '工作阶段', '所属阶段', '完成阶段', '实施阶段'], '扎实落实', '全面动员 / 扎实落实 / 全面提升 / 迎接检查'),
  spec('note', '备注', false, ['说明', '其他'], '', ''),
];

// The phases and methods are shared with the web, so they live in contracts/indicators.ts.
export { type EvaluationMethod, EvaluationMethodLabels, type TaskPhase, TaskPhaseLabels };

export const TASK_FIELD_KEYS = TASK_TABLE_FIELDS.map((s) => s.key as TaskField);
const LABEL = Object.fromEntries(TASK_TABLE_FIELDS.map((s) => [s.key, s.label])) as Record<TaskField, string>;

const PHASE_SPELLINGS: Record<TaskPhase, string[]> = {
  mobilize: ['全面动员', '动员部署', '宣传发动', '动员', '第一阶段'],
  implement: ['扎实落实', '组织实施', '全面落实', '落实', '第二阶段'],
  improve: ['全面提升', '巩固提升', '提升', '第三阶段'],
  inspect: ['迎接检查', '迎检', '迎检冲刺', '冲刺迎检', '第四阶段'],
};

const METHOD_SPELLINGS: Record<EvaluationMethod, string[]> = {
  material: ['材料审核', '材料', '资料审核', '网上申报', '网上材料审核', '材料审查', '台账审核'],
  field: ['实地考察', '实地检查', '实地察看', '实地查看', '实地', '现场检查', '实地测评'],
  questionnaire: ['问卷调查', '问卷', '入户调查', '问卷调查（入户）'],
  online: ['网络调查', '网上调查', '网络', '网络测评'],
  report: ['听取汇报', '汇报'],
  observation: ['整体观察', '观察'],
};

const lookup = <K extends string>(spellings: Record<K, string[]>, text: string): K | null => {
  const t = normalizeHeader(text).replace(/阶段$/, '');
  for (const [key, list] of Object.entries(spellings) as [K, string[]][]) if (list.some((s) => normalizeHeader(s).replace(/阶段$/, '') === t)) return key;
  return null;
};

/** A 阶段 cell to a phase: parsePhase('扎实落实阶段') → 'implement'; unknown text gives null. */
export const parsePhase = (text: string): TaskPhase | null => lookup(PHASE_SPELLINGS, text);

/** One 测评方法 to its key: parseMethod('实地检查') → 'field'; unknown text gives null. */
export const parseMethod = (text: string): EvaluationMethod | null => lookup(METHOD_SPELLINGS, text);

// ─── header ───────────────────────────────────────────────────────────────────

export type TaskHeader = {
  /** zero-based index of the (lower) header row */
  headerIndex: number;
  /** 1, or 2 when a group row (责任分工 over 牵头单位 / 责任单位 / 配合单位) belongs to it */
  headerRows: 1 | 2;
  /** zero-based index of the first data row */
  dataStart: number;
  columns: MappedColumn[];
  /** labels of required fields without a column */
  missing: string[];
  /** the header text of every column, both rows joined by / when they differ (for the mapping UI) */
  headers: string[];
};

const fieldOfCell = (cell: string): MappedColumn | undefined => mapColumns(TASK_TABLE_FIELDS, [cell])[0];

/** Per-column mapping of two stacked header rows: the lower cell decides, the upper fills in. */
function combine(upper: string[], lower: string[]): MappedColumn[] {
  const width = Math.max(upper.length, lower.length);
  const out: MappedColumn[] = [];
  const taken = new Set<string>();
  for (let i = 0; i < width; i++) {
    const lo = fieldOfCell(lower[i] ?? '');
    const up = fieldOfCell(upper[i] ?? '');
    const hit = lo ?? up;
    if (!hit || taken.has(hit.field)) continue;
    taken.add(hit.field);
    out.push({ ...hit, index: i, column: columnLetter(i), header: ((lo ? lower[i] : upper[i]) ?? '').trim() });
  }
  return out;
}

/** Whether a row can be the second row of a header: every filled cell names a field or repeats the header above it (a merged cell). */
const headerLike = (row: string[], header: string[]): boolean =>
  row.every((cell, i) => {
    const t = (cell ?? '').trim();
    return t === '' || fieldOfCell(t) !== undefined || normalizeHeader(t) === normalizeHeader(header[i] ?? '');
  });

/**
 * Finds the header of a task table in the first `maxScan` rows, one or two rows high.
 * findTaskHeader([['2026年任务分解表'], ['序号', '测评项目', '测评标准', '责任单位']]) → { headerIndex: 1, dataStart: 2, … }
 */
export function findTaskHeader(rows: string[][], maxScan = 20): TaskHeader | null {
  const single = findHeaderRow(TASK_TABLE_FIELDS, rows, maxScan);
  if (!single) return null;
  const h = single.headerIndex;
  let best: { columns: MappedColumn[]; headerIndex: number; headerRows: 1 | 2; upper: string[]; lower: string[] } = {
    columns: single.columns,
    headerIndex: h,
    headerRows: 1,
    upper: [],
    lower: rows[h] ?? [],
  };
  // the group row above (its cells may be group titles: 责任分工)
  if (h > 0) {
    const columns = combine(rows[h - 1] ?? [], rows[h] ?? []);
    if (columns.length > best.columns.length) best = { columns, headerIndex: h, headerRows: 2, upper: rows[h - 1] ?? [], lower: rows[h] ?? [] };
  }
  // the detail row below (the row found is the group row)
  const below = rows[h + 1];
  if (below && h + 1 < maxScan && headerLike(below, rows[h] ?? [])) {
    const columns = combine(rows[h] ?? [], below);
    if (columns.length > best.columns.length) best = { columns, headerIndex: h + 1, headerRows: 2, upper: rows[h] ?? [], lower: below };
  }
  const width = Math.max(best.upper.length, best.lower.length);
  const headers = Array.from({ length: width }, (_, i) => {
    const up = (best.upper[i] ?? '').trim();
    const lo = (best.lower[i] ?? '').trim();
    return best.headerRows === 2 && up && lo && normalizeHeader(up) !== normalizeHeader(lo) ? `${up}/${lo}` : lo || up;
  });
  return { headerIndex: best.headerIndex, headerRows: best.headerRows, dataStart: best.headerIndex + 1, columns: best.columns, missing: missingFields(TASK_TABLE_FIELDS, best.columns), headers };
}

/** What a person chose for one column in the mapping step: a field, or to ignore the column. */
export type ColumnOverride = TaskField | 'ignore';

export type MappingResult = { ok: true; columns: MappedColumn[] } | { ok: false; columns: MappedColumn[]; problems: string[] };

/**
 * The detected mapping with a person's overrides {column letter → field | 'ignore'}: an override
 * wins over what was detected (a field moved to another column leaves its old column), two
 * overrides naming one field are an error, and required fields must end up mapped.
 * adjustMapping(header.columns, header.headers, { E: 'responsible', F: 'ignore' }) → { ok: true, columns: […] }
 */
export function adjustMapping(detected: readonly MappedColumn[], headers: readonly string[], overrides: Readonly<Record<string, ColumnOverride>>): MappingResult {
  const problems: string[] = [];
  const chosen = new Map<number, ColumnOverride>();
  for (const [letters, choice] of Object.entries(overrides)) {
    const index = columnIndex(letters);
    if (index < 0 || index >= Math.max(headers.length, 1)) {
      problems.push(`列「${letters}」不存在`);
      continue;
    }
    if (choice !== 'ignore' && !TASK_FIELD_KEYS.includes(choice)) {
      problems.push(`列 ${columnLetter(index)} 的字段「${String(choice)}」不存在`);
      continue;
    }
    chosen.set(index, choice);
  }
  const byField = new Map<string, number[]>();
  for (const [index, choice] of chosen) if (choice !== 'ignore') byField.set(choice, [...(byField.get(choice) ?? []), index]);
  for (const [field, indexes] of byField) {
    if (indexes.length > 1)
      problems.push(
        `「${LABEL[field as TaskField]}」对应了多列（${indexes
          .sort((a, b) => a - b)
          .map(columnLetter)
          .join('、')}），每个字段只能选一列`,
      );
  }
  const columns: MappedColumn[] = [];
  for (const c of detected) {
    if (chosen.has(c.index) || byField.has(c.field)) continue;
    columns.push(c);
  }
  for (const [field, indexes] of byField) {
    const index = Math.min(...indexes);
    columns.push({ index, column: columnLetter(index), header: (headers[index] ?? '').trim(), field, label: LABEL[field as TaskField] });
  }
  columns.sort((a, b) => a.index - b.index);
  const missing = missingFields(TASK_TABLE_FIELDS, columns);
  if (missing.length) problems.push(`缺少必填列：${missing.join('、')}`);
  return problems.length ? { ok: false, columns, problems } : { ok: true, columns };
}

// ─── rows ─────────────────────────────────────────────────────────────────────

export type CellProblem = {
  /** the row number as Excel shows it */
  row: number;
  /** Excel column letters, '' when the field has no column */
  column: string;
  field: TaskField | '';
  /** the Chinese column name */
  label: string;
  message: string;
};

export type TaskUnits = {
  /** the names as written */
  names: string[];
  /** matched unit ids (groups expanded); null when no unit index was given */
  ids: string[] | null;
  matches: UnitMatch[] | null;
};

export type TaskRow = {
  /** the row number as Excel shows it */
  row: number;
  seq: string;
  code: string;
  item: string;
  content: string;
  standard: string;
  score: number | null;
  methods: EvaluationMethod[];
  materials: string;
  lead: TaskUnits;
  responsible: TaskUnits;
  cooperating: TaskUnits;
  deadline: Deadline | null;
  deadlineText: string;
  phase: TaskPhase | null;
  note: string;
  /** whether 测评项目 / 测评内容 were taken from a row above */
  carried: { item: boolean; content: boolean };
  problems: CellProblem[];
};

export type SkippedRow = { row: number; reason: 'blank' | 'title' | 'heading' };

export type TaskTableOptions = {
  /** zero-based index of the first data row (TaskHeader.dataStart) */
  dataStart: number;
  /** the year of deadlines written without one (6月底) */
  year: number;
  /** carry the last non-empty 测评项目 / 测评内容 down into blank cells; both default to true */
  carryDown?: { item?: boolean; content?: boolean };
  /** when given, unit cells are matched and unknown names become problems */
  units?: UnitIndex;
};

export type TaskTable = {
  rows: TaskRow[];
  /** every problem of every row, in row order */
  problems: CellProblem[];
  skipped: SkippedRow[];
};

const UNIT_FIELDS = ['lead', 'responsible', 'cooperating'] as const;

/**
 * The data rows of a task table as typed rows with their problems; blank rows, title rows (one
 * text across the row) and heading rows (only 测评项目 / 测评内容, which carry down) are skipped.
 * parseTaskRows(rows, header.columns, { dataStart: header.dataStart, year: 2026 }) → { rows: [{ row: 4, item: '…', … }], problems: [], skipped: [] }
 */
export function parseTaskRows(rows: readonly string[][], columns: readonly MappedColumn[], options: TaskTableOptions): TaskTable {
  const col = new Map<string, MappedColumn>(columns.map((c) => [c.field, c]));
  const carryItem = options.carryDown?.item ?? true;
  const carryContent = options.carryDown?.content ?? true;
  const out: TaskRow[] = [];
  const skipped: SkippedRow[] = [];
  let lastItem = '';
  let lastContent = '';

  for (let r = options.dataStart; r < rows.length; r++) {
    const raw = rows[r] ?? [];
    const rowNo = r + 1;
    const cell = (f: TaskField): string => {
      const c = col.get(f);
      return c ? (raw[c.index] ?? '').trim() : '';
    };
    const filled = columns.map((c) => (raw[c.index] ?? '').trim()).filter((t) => t !== '');
    if (filled.length === 0) {
      skipped.push({ row: rowNo, reason: 'blank' });
      continue;
    }
    // a title merged across the row (一、基本指标): the same text in every filled cell
    if (filled.length >= 2 && filled.every((t) => t === filled[0]) && columns.length > 2) {
      skipped.push({ row: rowNo, reason: 'title' });
      continue;
    }
    const problems: CellProblem[] = [];
    const problem = (f: TaskField, message: string) => problems.push({ row: rowNo, column: col.get(f)?.column ?? '', field: f, label: LABEL[f], message });

    const writtenItem = cell('item');
    const writtenContent = cell('content');
    const standard = cell('standard');
    const hasTaskCells = standard !== '' || UNIT_FIELDS.some((f) => cell(f) !== '') || cell('deadline') !== '' || cell('materials') !== '';
    // a heading row: only 测评项目 / 测评内容 (and numbering); it sets what carries down
    if (!hasTaskCells && (writtenItem !== '' || writtenContent !== '')) {
      if (writtenItem !== '' && writtenItem !== lastItem) {
        lastItem = writtenItem;
        lastContent = '';
      }
      if (writtenContent !== '') lastContent = writtenContent;
      skipped.push({ row: rowNo, reason: 'heading' });
      continue;
    }

    let item = writtenItem;
    const carried = { item: false, content: false };
    if (item === '' && carryItem && lastItem !== '') {
      item = lastItem;
      carried.item = true;
    }
    if (item !== lastItem) lastContent = '';
    if (item !== '') lastItem = item;
    let content = writtenContent;
    if (content === '' && carryContent && lastContent !== '' && item !== '') {
      content = lastContent;
      carried.content = true;
    }
    if (content !== '') lastContent = content;

    if (standard === '') problem('standard', '缺少测评标准');
    else if (item === '') problem('item', carryItem ? '有测评标准但没有测评项目（上方也没有可沿用的测评项目）' : '有测评标准但没有测评项目');

    const code = cell('code');
    if (code !== '') {
      const parsed = parseIndicatorCode(code);
      if (!parsed.ok) problem('code', parsed.error);
    }

    const score = parseNumber(cell('score'));
    if (!score.ok) problem('score', `分值「${cell('score')}」必须是数字`);
    else if (score.value !== null && score.value < 0) problem('score', '分值不能为负数');

    const methods: EvaluationMethod[] = [];
    for (const m of splitMulti(cell('methods'))) {
      const key = parseMethod(m);
      if (key === null) problem('methods', `测评方法「${m}」应为 ${Object.values(EvaluationMethodLabels).join('、')} 之一`);
      else if (!methods.includes(key)) methods.push(key);
    }

    const units = {} as Record<(typeof UNIT_FIELDS)[number], TaskUnits>;
    for (const f of UNIT_FIELDS) {
      const text = cell(f);
      if (options.units) {
        const m = matchUnitCell(options.units, text);
        units[f] = { names: m.names, ids: m.ids, matches: m.matches };
        for (const p of m.problems) problem(f, p);
      } else {
        units[f] = { names: splitMultiOutsideBrackets(text), ids: null, matches: null };
      }
    }
    if (units.lead.names.length === 0 && units.responsible.names.length === 0) problem('responsible', col.has('lead') ? '缺少责任单位（牵头单位和责任单位至少填一个）' : '缺少责任单位');

    const deadlineText = cell('deadline');
    const deadline = parseDeadline(deadlineText, { year: options.year });
    if (!deadline.ok) problem('deadline', deadline.error);

    const phaseText = cell('phase');
    const phase = phaseText === '' ? null : parsePhase(phaseText);
    if (phaseText !== '' && phase === null) problem('phase', `阶段「${phaseText}」应为 ${Object.values(TaskPhaseLabels).join('、')} 之一`);

    out.push({
      row: rowNo,
      seq: cell('seq'),
      code,
      item,
      content,
      standard,
      score: score.ok ? score.value : null,
      methods,
      materials: cell('materials'),
      lead: units.lead,
      responsible: units.responsible,
      cooperating: units.cooperating,
      deadline: deadline.ok ? deadline.value : null,
      deadlineText,
      phase,
      note: cell('note'),
      carried,
      problems,
    });
  }
  return { rows: out, problems: out.flatMap((r) => r.problems), skipped };
}

/** A problem as one line for people: "第 5 行 E 列（责任单位）：未找到单位「市教委」". */
export const cellProblemText = (p: CellProblem): string => `第 ${p.row} 行${p.column ? ` ${p.column} 列` : ''}（${p.label}）：${p.message}`;
