/**
 * Test fixtures: the demo city's own 任务分解表 as real .xlsx files (ExcelJS), in the layouts city
 * offices actually send (issue 3, "Done when"), each with the result a correct import must give.
 *
 *  - layoutMerged: title + blank row before the header, the full 11 columns, 测评项目 and 测评内容
 *    as merged cells spanning many rows;
 *  - layoutShuffled: other column order and names (编号/项目/内容/标准/主要任务/责任单位/时间要求,
 *    no 阶段), several units in one cell split by 、，; ； or new lines, abbreviated unit names, dates
 *    written 2026-06-30, 2026年6月30日, 6月底, 长期坚持, as an Excel date serial and as a real date cell;
 *  - layoutTitled: header on row 4 under merged title cells, unrelated columns (联系人, 备注),
 *    blank spacer rows between items, a second sheet (填表说明) that is not the table;
 *  - layoutBad: unknown unit names close to real ones, unparseable dates, standards not in the
 *    system, an unknown 阶段, and the 测评标准 column under a name the importer does not know (a
 *    required column missing until the mapping is fixed: `expected.fix`).
 *  - layoutLarge(n): n rows of the merged layout, for the import benchmark.
 *
 * The expected results are written from the data put into the sheets (the canonical tasks below,
 * the demo city's units in server/seed/demo-data.ts), never by running the parser: the tests in
 * task-table-fixtures.test.ts compare the two.
 */

import ExcelJS from 'exceljs';
import type { Deadline } from '../../domain/deadline-parse.ts';
import type { EvaluationMethod, TaskField, TaskPhase } from '../../domain/task-table.ts';
import { CITY, DISTRICTS, UNITS } from '../seed/demo-data.ts';

// ─── the indicator system the fixtures refer to ──────────────────────────────

export type FixtureStandard = {
  code: string;
  itemCode: string;
  item: string;
  contentCode: string;
  content: string;
  standard: string;
  score: number;
  methods: EvaluationMethod[];
  materials: string;
};

const I1 = '思想道德建设';
const I2 = '公正的法治环境';
const I3 = '良好的人居环境';
const I4 = '诚信守法的经营环境';
const C11 = '社会主义核心价值观宣传普及';
const C12 = '志愿服务';
const C21 = '严格规范公正文明执法';
const C22 = '法治宣传教育';
const C31 = '市容环境卫生';
const C32 = '公共交通';
const C33 = '园林绿化与生态';
const C41 = '窗口行业文明服务';

const std = (code: string, item: string, content: string, standard: string, score: number, methods: EvaluationMethod[], materials: string): FixtureStandard => {
  const [a, b] = code.split('-');
  return { code, itemCode: a, item, contentCode: `${a}-${b}`, content, standard, score, methods, materials };
};

/**
 * A small 测评体系 (4 测评项目, 8 测评内容, 16 测评标准) in the style of the national one; the task
 * tables below refer to it. An import test creates it (or the demo system holding the same texts)
 * before importing, so "standard not found" has something to be measured against.
 */
export const FIXTURE_STANDARDS: FixtureStandard[] = [
  std('Ⅰ-1-1', I1, C11, '主要街道、公共场所、交通站点设置社会主义核心价值观公益广告，占比达到规定要求', 2, ['material', 'field'], '公益广告点位清单、图片资料'),
  std('Ⅰ-1-2', I1, C11, '市级主要媒体开设“讲文明树新风”专栏，常态化刊播公益广告', 1, ['material', 'online'], '专栏截图、刊播记录'),
  std('Ⅰ-2-1', I1, C12, '注册志愿者人数占城市常住人口比例达到13%以上', 2, ['material'], '志愿者注册统计表'),
  std('Ⅰ-2-2', I1, C12, '社区志愿服务站点全覆盖，有场地、有人员、有项目', 2, ['field'], ''),
  std('Ⅱ-1-1', I2, C21, '城市管理执法规范化建设达标，执法全过程记录', 2, ['material'], '制度文件、执法记录台账'),
  std('Ⅱ-1-2', I2, C21, '道路交通秩序良好，机动车礼让斑马线', 3, ['field'], ''),
  std('Ⅱ-2-1', I2, C22, '深入开展“八五”普法，公共场所设置法治宣传栏', 1, ['material', 'field'], '普法活动图片、宣传栏点位'),
  std('Ⅲ-1-1', I3, C31, '主次干道整洁，无乱扔乱吐、乱贴乱画', 3, ['field'], ''),
  std('Ⅲ-1-2', I3, C31, '背街小巷路面平整，无乱堆乱放、私搭乱建', 3, ['field'], ''),
  std('Ⅲ-1-3', I3, C31, '农贸市场划行归市，环境整洁，无占道经营', 2, ['field'], ''),
  std('Ⅲ-2-1', I3, C32, '公交站亭设施完好，站牌信息准确清晰', 2, ['field'], ''),
  std('Ⅲ-2-2', I3, C32, '出租汽车文明服务，无拒载、绕行', 1, ['field', 'questionnaire'], ''),
  std('Ⅲ-3-1', I3, C33, '城市公园、游园设施完好，绿地无黄土裸露', 2, ['field'], ''),
  std('Ⅲ-3-2', I3, C33, '空气质量优良天数比例达到省定目标', 2, ['material'], '环境质量月报'),
  std('Ⅳ-1-1', I4, C41, '政务服务大厅实行“一窗受理”，设置文明引导员', 2, ['field', 'questionnaire'], ''),
  std('Ⅳ-1-2', I4, C41, '商场超市明码标价，诚信经营，无假冒伪劣商品', 1, ['field'], ''),
];

const STANDARD = new Map(FIXTURE_STANDARDS.map((s) => [s.code, s]));
const standardOf = (code: string): FixtureStandard => {
  const s = STANDARD.get(code);
  if (!s) throw new Error(`fixture standard ${code} missing`);
  return s;
};

// ─── the canonical tasks ──────────────────────────────────────────────────────

/** 各区 / 各街道 as the demo city has them. */
export const FIXTURE_GROUPS: Record<string, string[]> = {
  各区: DISTRICTS.map((d) => d.name),
  各街道: DISTRICTS.flatMap((d) => d.streets.map((s) => s.name)),
};

/** One task as the office means it: units by their full demo names (or 各区 / 各街道). */
type CanonTask = { code: string; lead: string[]; responsible: string[]; cooperating: string[]; phase: TaskPhase };

const PHASE_TEXT: Record<TaskPhase, string> = { mobilize: '全面动员', implement: '扎实落实', improve: '全面提升', inspect: '迎接检查' };

const TASKS: CanonTask[] = [
  { code: 'Ⅰ-1-1', lead: ['市委宣传部'], responsible: ['市委宣传部', '各区'], cooperating: ['市城市管理局', '市交通运输局'], phase: 'mobilize' },
  { code: 'Ⅰ-1-2', lead: ['市委宣传部'], responsible: ['市委宣传部'], cooperating: [], phase: 'implement' },
  { code: 'Ⅰ-2-1', lead: ['市民政局'], responsible: ['市民政局', '各区'], cooperating: ['市妇女联合会'], phase: 'implement' },
  { code: 'Ⅰ-2-2', lead: ['市民政局'], responsible: ['各街道'], cooperating: [], phase: 'improve' },
  { code: 'Ⅱ-1-1', lead: ['市城市管理局'], responsible: ['市城市管理局', '文明区城市管理局', '和谐区城市管理局'], cooperating: [], phase: 'implement' },
  { code: 'Ⅱ-1-2', lead: ['市公安局交通警察支队'], responsible: ['市公安局交通警察支队'], cooperating: ['市交通运输局'], phase: 'improve' },
  { code: 'Ⅱ-2-1', lead: ['市委宣传部'], responsible: ['各区'], cooperating: ['市教育局'], phase: 'implement' },
  { code: 'Ⅲ-1-1', lead: ['市城市管理局'], responsible: ['市城市管理局', '各区'], cooperating: ['市住房和城乡建设局'], phase: 'improve' },
  { code: 'Ⅲ-1-2', lead: ['市城市管理局'], responsible: ['各街道'], cooperating: ['市住房和城乡建设局'], phase: 'inspect' },
  { code: 'Ⅲ-1-3', lead: ['市市场监督管理局'], responsible: ['市市场监督管理局', '市商务局'], cooperating: ['市城市管理局'], phase: 'improve' },
  { code: 'Ⅲ-2-1', lead: ['市交通运输局'], responsible: ['市交通运输局', '示范市公交集团有限公司'], cooperating: [], phase: 'implement' },
  { code: 'Ⅲ-2-2', lead: ['市交通运输局'], responsible: ['示范市出租汽车有限公司'], cooperating: ['市公安局交通警察支队'], phase: 'improve' },
  { code: 'Ⅲ-3-1', lead: ['市园林绿化局'], responsible: ['市园林绿化局'], cooperating: ['各区'], phase: 'implement' },
  { code: 'Ⅲ-3-2', lead: ['市生态环境局'], responsible: ['市生态环境局'], cooperating: ['市住房和城乡建设局', '市城市管理局', '市交通运输局'], phase: 'inspect' },
  { code: 'Ⅳ-1-1', lead: ['市政务服务中心'], responsible: ['市政务服务中心'], cooperating: [], phase: 'mobilize' },
  { code: 'Ⅳ-1-2', lead: ['市市场监督管理局'], responsible: ['市商务局', '示范万达广场'], cooperating: [], phase: 'improve' },
];
const TASK = new Map(TASKS.map((t) => [t.code, t]));
const taskOf = (code: string): CanonTask => {
  const t = TASK.get(code);
  if (!t) throw new Error(`fixture task ${code} missing`);
  return t;
};

/** Every demo unit name (so the fixtures cannot name a unit the demo city lacks without noticing). */
export const DEMO_UNIT_NAMES: string[] = [CITY.name, ...DISTRICTS.flatMap((d) => [d.name, ...d.streets.flatMap((s) => [s.name, ...s.communities.map((c) => c[1])])]), ...UNITS.map((u) => u.name)];

// ─── expected results ─────────────────────────────────────────────────────────

export type ExpectedTask = {
  /** the row number as Excel shows it */
  row: number;
  /** code of the standard in FIXTURE_STANDARDS, null when the row names a standard the system lacks */
  standardCode: string | null;
  code: string;
  item: string;
  content: string;
  standard: string;
  score: number | null;
  methods: EvaluationMethod[];
  materials: string;
  /** full demo unit names, groups expanded, in the order written, without repeats */
  lead: string[];
  responsible: string[];
  cooperating: string[];
  deadlineText: string;
  deadline: Deadline | null;
  phase: TaskPhase | null;
  note: string;
};

export type ProblemKind = 'unknown_unit' | 'deadline' | 'standard_not_found' | 'phase';

export type ExpectedProblem = {
  row: number;
  /** Excel column letters */
  column: string;
  field: TaskField;
  kind: ProblemKind;
  /** the offending text as written in the cell (one unit name for unknown units) */
  text: string;
  /** for unknown units: the real unit meant, which must be among the closest three offered */
  closest?: string;
};

export type UnitCount = { lead: number; responsible: number; cooperating: number; any: number };

export type FixtureExpected = {
  /** the sheet holding the table */
  sheetName: string;
  /** Excel row number of the (lower) header row */
  headerRow: number;
  /** Excel row number of the first data row */
  dataStart: number;
  /** what the importer should detect: column letter → field (columns not listed stay unmapped) */
  mapping: Record<string, TaskField>;
  /** labels of required fields without a detected column */
  missing: string[];
  /** the mapping overrides that make the file importable (layoutBad), {} when none are needed */
  fix: Record<string, TaskField | 'ignore'>;
  /** the task rows (with the fix applied) */
  rowCount: number;
  tasks: ExpectedTask[];
  /** tasks per unit (full demo name), by role and in any role */
  tasksPerUnit: Record<string, UnitCount>;
  /** every problem after the fix, row by row (unit, date, phase and standard problems) */
  problems: ExpectedProblem[];
  /** rows with at least one problem */
  problemRows: number[];
};

export type TaskTableFixture = { name: string; fileName: string; buffer: Buffer; expected: FixtureExpected };

const expand = (names: readonly string[]): string[] => {
  const out: string[] = [];
  for (const n of names) for (const u of FIXTURE_GROUPS[n] ?? [n]) if (!out.includes(u)) out.push(u);
  return out;
};

function countPerUnit(tasks: readonly ExpectedTask[]): Record<string, UnitCount> {
  const out: Record<string, UnitCount> = {};
  const get = (n: string) => {
    out[n] ??= { lead: 0, responsible: 0, cooperating: 0, any: 0 };
    return out[n];
  };
  for (const t of tasks) {
    for (const n of t.lead) get(n).lead++;
    for (const n of t.responsible) get(n).responsible++;
    for (const n of t.cooperating) get(n).cooperating++;
    for (const n of new Set([...t.lead, ...t.responsible, ...t.cooperating])) get(n).any++;
  }
  return out;
}

function expectedOf(sheetName: string, headerRow: number, mapping: Record<string, TaskField>, tasks: ExpectedTask[], extra: Partial<Pick<FixtureExpected, 'missing' | 'fix' | 'problems'>> = {}): FixtureExpected {
  const problems = extra.problems ?? [];
  return {
    sheetName,
    headerRow,
    dataStart: headerRow + 1,
    mapping,
    missing: extra.missing ?? [],
    fix: extra.fix ?? {},
    rowCount: tasks.length,
    tasks,
    tasksPerUnit: countPerUnit(tasks),
    problems,
    problemRows: [...new Set(problems.map((p) => p.row))].sort((a, b) => a - b),
  };
}

const letter = (i: number): string => String.fromCharCode(65 + i);
const mappingOf = (fields: (TaskField | null)[]): Record<string, TaskField> => Object.fromEntries(fields.flatMap((f, i) => (f ? [[letter(i), f]] : [])));

const date = (iso: string, precision: 'day' | 'month' | 'quarter' | 'half' | 'year' = 'day'): Deadline => ({ kind: 'date', date: iso, precision });
const ONGOING: Deadline = { kind: 'ongoing' };

async function toBuffer(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const thin = { style: 'thin' as const };
const border = { top: thin, left: thin, bottom: thin, right: thin };

function styleHeader(row: ExcelJS.Row, width: number) {
  for (let c = 1; c <= width; c++) {
    const cell = row.getCell(c);
    cell.font = { bold: true, name: '黑体' };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = border;
  }
}

// ─── layout 1: title, blank row, header, merged 测评项目 / 测评内容 ──────────────

const MERGED_FIELDS: TaskField[] = ['seq', 'item', 'content', 'standard', 'methods', 'materials', 'lead', 'responsible', 'cooperating', 'deadline', 'phase'];
const MERGED_HEADERS = ['序号', '测评项目', '测评内容', '测评标准', '测评方法', '材料要求', '牵头单位', '责任单位', '配合单位', '完成时限', '阶段'];
const METHOD_TEXT: Record<EvaluationMethod, string> = { material: '材料审核', field: '实地考察', questionnaire: '问卷调查', online: '网络调查', report: '听取汇报', observation: '整体观察' };

/** Deadlines of layout 1, one per task in order: text as written → what it means. */
const MERGED_DEADLINES: [string, Deadline][] = [
  ['2026-04-30', date('2026-04-30')],
  ['长期坚持', ONGOING],
  ['2026年6月30日', date('2026-06-30')],
  ['6月底', date('2026-06-30', 'month')],
  ['2026年5月31日', date('2026-05-31')],
  ['长期坚持', ONGOING],
  ['2026-06-30', date('2026-06-30')],
  ['9月底', date('2026-09-30', 'month')],
  ['2026年10月31日', date('2026-10-31')],
  ['三季度末', date('2026-09-30', 'quarter')],
  ['2026-07-31', date('2026-07-31')],
  ['长期坚持', ONGOING],
  ['2026年8月31日', date('2026-08-31')],
  ['每月', { kind: 'recurring', every: 'month' }],
  ['2026-04-30', date('2026-04-30')],
  ['10月底', date('2026-10-31', 'month')],
];

type SheetTask = { codes: string[]; rows: (string | number | Date | null)[][]; expected: ExpectedTask[] };

/** Writes tasks in the merged layout starting at Excel row `first`; returns the rows' merges too. */
function mergedRows(codes: readonly string[], first: number, deadlines: readonly [string, Deadline][], seqStart = 1): SheetTask & { merges: string[] } {
  const rows: (string | number | null)[][] = [];
  const expected: ExpectedTask[] = [];
  const merges: string[] = [];
  let itemStart = first;
  let contentStart = first;
  codes.forEach((code, i) => {
    const s = standardOf(code);
    const t = taskOf(code);
    const [dText, d] = deadlines[i % deadlines.length];
    const rowNo = first + i;
    const prev = i > 0 ? standardOf(codes[i - 1]) : null;
    const newItem = !prev || prev.item !== s.item;
    const newContent = newItem || !prev || prev.content !== s.content;
    if (newItem && i > 0 && rowNo - 1 > itemStart) merges.push(`B${itemStart}:B${rowNo - 1}`);
    if (newContent && i > 0 && rowNo - 1 > contentStart) merges.push(`C${contentStart}:C${rowNo - 1}`);
    if (newItem) itemStart = rowNo;
    if (newContent) contentStart = rowNo;
    rows.push([
      seqStart + i,
      newItem ? s.item : null,
      newContent ? s.content : null,
      s.standard,
      s.methods.map((m) => METHOD_TEXT[m]).join('、'),
      s.materials,
      t.lead.join('、'),
      t.responsible.join('、'),
      t.cooperating.join('、'),
      dText,
      PHASE_TEXT[t.phase],
    ]);
    expected.push({
      row: rowNo,
      standardCode: code,
      code: '',
      item: s.item,
      content: s.content,
      standard: s.standard,
      score: null,
      methods: s.methods,
      materials: s.materials,
      lead: expand(t.lead),
      responsible: expand(t.responsible),
      cooperating: expand(t.cooperating),
      deadlineText: dText,
      deadline: d,
      phase: t.phase,
      note: '',
    });
  });
  const last = first + codes.length - 1;
  if (last > itemStart) merges.push(`B${itemStart}:B${last}`);
  if (last > contentStart) merges.push(`C${contentStart}:C${last}`);
  return { codes: [...codes], rows, expected, merges };
}

/**
 * Layout 1: 「示范市2026年创建全国文明城市测评体系任务分解表」 merged over the columns, a blank
 * row, the header on row 3, then all 16 tasks with 测评项目 and 测评内容 merged down their runs.
 */
export async function layoutMerged(): Promise<TaskTableFixture> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('任务分解表');
  const width = MERGED_HEADERS.length;
  ws.getCell('A1').value = '示范市2026年创建全国文明城市测评体系任务分解表';
  ws.mergeCells(1, 1, 1, width);
  ws.getCell('A1').font = { bold: true, size: 18, name: '方正小标宋简体' };
  ws.getCell('A1').alignment = { horizontal: 'center' };
  ws.addRow([]);
  styleHeader(ws.addRow(MERGED_HEADERS), width);
  const body = mergedRows(
    TASKS.map((t) => t.code),
    4,
    MERGED_DEADLINES,
  );
  for (const r of body.rows) ws.addRow(r);
  for (const m of body.merges) ws.mergeCells(m);
  ws.columns.forEach((c, i) => {
    c.width = [6, 14, 16, 40, 12, 18, 14, 24, 24, 12, 10][i] ?? 12;
  });
  return { name: '合并单元格版式', fileName: '2026年任务分解表（合并单元格）.xlsx', buffer: await toBuffer(wb), expected: expectedOf('任务分解表', 3, mappingOf(MERGED_FIELDS), body.expected) };
}

// ─── layout 2: other columns, several units per cell, mixed dates ─────────────

const SHUFFLED_HEADERS = ['编号', '项目', '内容', '标准', '主要任务', '责任单位', '时间要求'];
const SHUFFLED_FIELDS: (TaskField | null)[] = ['code', 'item', 'content', 'standard', null, 'responsible', 'deadline'];

/** Abbreviations offices write (the importer must still find the unit). */
const SHORT: Record<string, string> = {
  市城市管理局: '市城管局',
  市住房和城乡建设局: '市住建局',
  市市场监督管理局: '市市场监管局',
  市妇女联合会: '市妇联',
  市文化广电和旅游局: '市文旅局',
};

type ShuffledRow = { code: string; separator: string; short: boolean; deadline: string | number | Date; meaning: Deadline; shownAs: string; task: string };

const SHUFFLED: ShuffledRow[] = [
  { code: 'Ⅰ-1-1', separator: '、', short: false, deadline: '2026-06-30', meaning: date('2026-06-30'), shownAs: '2026-06-30', task: '制定公益广告设置方案，主次干道每公里不少于5处' },
  { code: 'Ⅰ-1-2', separator: '、', short: false, deadline: '长期坚持', meaning: ONGOING, shownAs: '长期坚持', task: '市属媒体常设专栏，每周刊播' },
  { code: 'Ⅰ-2-1', separator: '，', short: true, deadline: '2026年6月30日', meaning: date('2026-06-30'), shownAs: '2026年6月30日', task: '开展志愿者注册动员，按月通报注册率' },
  { code: 'Ⅱ-1-1', separator: '\n', short: true, deadline: 46295, meaning: date('2026-09-30'), shownAs: '46295', task: '执法记录仪全覆盖，案卷评查每季度一次' },
  { code: 'Ⅱ-1-2', separator: ';', short: false, deadline: '6月底', meaning: date('2026-06-30', 'month'), shownAs: '6月底', task: '开展文明交通劝导，斑马线礼让抓拍' },
  { code: 'Ⅲ-1-1', separator: '；', short: true, deadline: new Date(Date.UTC(2026, 11, 31)), meaning: date('2026-12-31'), shownAs: '2026-12-31', task: '落实“门前三包”，主次干道每日两扫' },
  { code: 'Ⅲ-1-3', separator: '，', short: true, deadline: '2026年9月30日', meaning: date('2026-09-30'), shownAs: '2026年9月30日', task: '农贸市场提档升级改造' },
  { code: 'Ⅲ-2-1', separator: '\n', short: false, deadline: 46203, meaning: date('2026-06-30'), shownAs: '46203', task: '公交站亭排查维修，站牌信息更新' },
  { code: 'Ⅲ-2-2', separator: '、', short: false, deadline: '长期坚持', meaning: ONGOING, shownAs: '长期坚持', task: '出租汽车文明服务明察暗访' },
  { code: 'Ⅲ-3-2', separator: ';', short: true, deadline: '2026-10-31', meaning: date('2026-10-31'), shownAs: '2026-10-31', task: '扬尘治理、机动车尾气检测' },
];

/**
 * Layout 2: no title; 编号/项目/内容/标准/主要任务/责任单位/时间要求 (主要任务 maps to nothing, there
 * is no 阶段 and no 牵头/配合 column: 责任单位 lists the lead unit first, then the others); 项目 and 内容
 * are written only in the first row of their run; units abbreviated and split by 、，; ； or new lines;
 * deadlines as text, as Excel serial numbers (46295) and as real date cells.
 */
export async function layoutShuffled(): Promise<TaskTableFixture> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  styleHeader(ws.addRow(SHUFFLED_HEADERS), SHUFFLED_HEADERS.length);
  const expected: ExpectedTask[] = [];
  SHUFFLED.forEach((r, i) => {
    const s = standardOf(r.code);
    const t = taskOf(r.code);
    const prev = i > 0 ? standardOf(SHUFFLED[i - 1].code) : null;
    const units = [...t.lead, ...t.responsible.filter((u) => !t.lead.includes(u))];
    const written = units.map((u) => (r.short ? (SHORT[u] ?? u) : u)).join(r.separator);
    const row = ws.addRow([s.code, prev?.item === s.item ? '' : s.item, prev?.item === s.item && prev.content === s.content ? '' : s.content, s.standard, r.task, written, r.deadline]);
    if (r.deadline instanceof Date) row.getCell(7).numFmt = 'yyyy-mm-dd';
    row.getCell(6).alignment = { wrapText: true };
    expected.push({
      row: row.number,
      standardCode: r.code,
      code: s.code,
      item: s.item,
      content: s.content,
      standard: s.standard,
      score: null,
      methods: [],
      materials: '',
      lead: [],
      responsible: expand(units),
      cooperating: [],
      deadlineText: r.shownAs,
      deadline: r.meaning,
      phase: null,
      note: '',
    });
  });
  ws.columns.forEach((c, i) => {
    c.width = [10, 14, 16, 40, 30, 24, 14][i] ?? 12;
  });
  return { name: '列顺序不同、多单位同格', fileName: '创文任务清单（各单位）.xlsx', buffer: await toBuffer(wb), expected: expectedOf('Sheet1', 1, mappingOf(SHUFFLED_FIELDS), expected) };
}

// ─── layout 3: header on row 4, extra columns, spacer rows, second sheet ──────

const TITLED_HEADERS = ['序号', '测评项目', '测评内容', '测评标准', '分值', '测评方法', '牵头部门', '责任单位', '配合部门', '完成时间', '推进阶段', '联系人', '备注'];
const TITLED_FIELDS: (TaskField | null)[] = ['seq', 'item', 'content', 'standard', 'score', 'methods', 'lead', 'responsible', 'cooperating', 'deadline', 'phase', null, 'note'];

const TITLED: { code: string; deadline: string; meaning: Deadline; contact: string; note: string }[] = [
  { code: 'Ⅰ-1-1', deadline: '2026年5月底前', meaning: date('2026-05-31', 'month'), contact: '刘宣', note: '' },
  { code: 'Ⅰ-2-1', deadline: '上半年', meaning: date('2026-06-30', 'half'), contact: '孙民', note: '按月报送注册率' },
  { code: 'Ⅰ-2-2', deadline: '长期坚持', meaning: ONGOING, contact: '孙民', note: '' },
  { code: 'Ⅱ-2-1', deadline: '2026.10.31', meaning: date('2026-10-31'), contact: '刘宣', note: '与“八五”普法验收结合' },
  { code: 'Ⅲ-3-1', deadline: '下半年', meaning: date('2026-12-31', 'half'), contact: '周园', note: '' },
  { code: 'Ⅲ-3-2', deadline: '每月', meaning: { kind: 'recurring', every: 'month' }, contact: '吴环', note: '每月5日前报上月数据' },
  { code: 'Ⅳ-1-1', deadline: '2026年6月30日前', meaning: date('2026-06-30'), contact: '郑政', note: '' },
  { code: 'Ⅳ-1-2', deadline: '年底前', meaning: date('2026-12-31', 'year'), contact: '钱商', note: '' },
];

/**
 * Layout 3: two merged title rows and a merged 编制单位/印发日期 row, the header on row 4 with
 * 分值, 联系人 (unrelated) and 备注, 测评项目 / 测评内容 repeated in every row, a blank spacer row
 * after each 测评项目, and a second sheet 填表说明 whose small table is not the task table.
 */
export async function layoutTitled(): Promise<TaskTableFixture> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('重点任务');
  const width = TITLED_HEADERS.length;
  ws.getCell('A1').value = '示范市创建全国文明城市2026年度重点任务分解表';
  ws.mergeCells(1, 1, 1, width);
  ws.getCell('A2').value = '（第二批）';
  ws.mergeCells(2, 1, 2, width);
  ws.getCell('A3').value = '编制单位：示范市创文办';
  ws.mergeCells(3, 1, 3, 6);
  ws.getCell('G3').value = '印发日期：2026年3月1日';
  ws.mergeCells(3, 7, 3, width);
  styleHeader(ws.getRow(4), width);
  TITLED_HEADERS.forEach((h, i) => {
    ws.getRow(4).getCell(i + 1).value = h;
  });
  const expected: ExpectedTask[] = [];
  let rowNo = 5;
  TITLED.forEach((r, i) => {
    const s = standardOf(r.code);
    const t = taskOf(r.code);
    const prev = i > 0 ? standardOf(TITLED[i - 1].code) : null;
    if (prev && prev.item !== s.item) rowNo++; // a blank spacer row between 测评项目
    ws.getRow(rowNo).values = [
      i + 1,
      s.item,
      s.content,
      s.standard,
      s.score,
      s.methods.map((m) => METHOD_TEXT[m]).join('，'),
      t.lead.join('、'),
      t.responsible.join('、'),
      t.cooperating.join('、'),
      r.deadline,
      `${PHASE_TEXT[t.phase]}阶段`,
      r.contact,
      r.note,
    ];
    expected.push({
      row: rowNo,
      standardCode: r.code,
      code: '',
      item: s.item,
      content: s.content,
      standard: s.standard,
      score: s.score,
      methods: s.methods,
      materials: '',
      lead: expand(t.lead),
      responsible: expand(t.responsible),
      cooperating: expand(t.cooperating),
      deadlineText: r.deadline,
      deadline: r.meaning,
      phase: t.phase,
      note: r.note,
    });
    rowNo++;
  });
  const help = wb.addWorksheet('填表说明');
  help.addRow(['填表说明']);
  help.addRow(['1. 责任单位请填写全称，多个单位用顿号分隔。']);
  help.addRow(['2. 完成时间可写具体日期，长期工作写“长期坚持”。']);
  help.addRow([]);
  help.addRow(['测评项目', '测评标准', '责任单位']);
  help.addRow(['（示例）良好的人居环境', '（示例）主次干道整洁', '（示例）市城市管理局']);
  return { name: '标题在第4行、带备注和说明页', fileName: '重点任务分解表（第二批）.xlsx', buffer: await toBuffer(wb), expected: expectedOf('重点任务', 4, mappingOf(TITLED_FIELDS), expected) };
}

// ─── the bad one ──────────────────────────────────────────────────────────────

const BAD_HEADERS = ['序号', '测评项目', '测评内容', '考评要点', '牵头单位', '责任单位', '配合单位', '完成时限', '阶段'];
/** 考评要点 (D) is the 测评标准, under a name the importer does not know */
const BAD_DETECTED: (TaskField | null)[] = ['seq', 'item', 'content', null, 'lead', 'responsible', 'cooperating', 'deadline', 'phase'];
const BAD_FIX: Record<string, TaskField> = { D: 'standard' };

type BadRow = {
  code: string | null;
  standard?: string;
  lead?: string[];
  responsible?: string[];
  cooperating?: string[];
  deadline: string;
  meaning: Deadline | null;
  phase?: string;
  problems: Omit<ExpectedProblem, 'row'>[];
};

const UNKNOWN_STANDARD_1 = '城市公共厕所全部达到二类以上标准，免费开放';
const UNKNOWN_STANDARD_2 = '建成区内无违规燃放烟花爆竹现象';

const BAD: BadRow[] = [
  { code: 'Ⅰ-1-1', deadline: '2026-06-30', meaning: date('2026-06-30'), problems: [] },
  { code: 'Ⅱ-1-1', responsible: ['市城市管里局', '文明区城市管理局', '和谐区城市管理局'], deadline: '2026年6月30日', meaning: date('2026-06-30'), problems: [{ column: 'F', field: 'responsible', kind: 'unknown_unit', text: '市城市管里局', closest: '市城市管理局' }] },
  { code: 'Ⅱ-1-2', deadline: '尽快', meaning: null, problems: [{ column: 'H', field: 'deadline', kind: 'deadline', text: '尽快' }] },
  { code: 'Ⅲ-1-1', deadline: '6月32日', meaning: null, problems: [{ column: 'H', field: 'deadline', kind: 'deadline', text: '6月32日' }] },
  { code: null, standard: UNKNOWN_STANDARD_1, lead: ['市城市管理局'], responsible: ['市城市管理局', '各区'], cooperating: [], deadline: '9月底', meaning: date('2026-09-30', 'month'), problems: [{ column: 'D', field: 'standard', kind: 'standard_not_found', text: UNKNOWN_STANDARD_1 }] },
  { code: 'Ⅲ-2-1', lead: ['市交通运属局'], deadline: '长期坚持', meaning: ONGOING, problems: [{ column: 'E', field: 'lead', kind: 'unknown_unit', text: '市交通运属局', closest: '市交通运输局' }] },
  {
    code: 'Ⅲ-3-1',
    cooperating: ['市园林局'],
    deadline: '2026-13-01',
    meaning: null,
    problems: [
      { column: 'G', field: 'cooperating', kind: 'unknown_unit', text: '市园林局', closest: '市园林绿化局' },
      { column: 'H', field: 'deadline', kind: 'deadline', text: '2026-13-01' },
    ],
  },
  { code: 'Ⅲ-3-2', deadline: '2026-08-31', meaning: date('2026-08-31'), phase: '第五阶段', problems: [{ column: 'I', field: 'phase', kind: 'phase', text: '第五阶段' }] },
  { code: null, standard: UNKNOWN_STANDARD_2, lead: ['市公安局交通警察支队'], responsible: ['各区'], cooperating: ['市城市管理局'], deadline: '长期坚持', meaning: ONGOING, problems: [{ column: 'D', field: 'standard', kind: 'standard_not_found', text: UNKNOWN_STANDARD_2 }] },
  { code: 'Ⅳ-1-1', responsible: ['市政务服务中心', '市教育厅'], deadline: '2026-05-31', meaning: date('2026-05-31'), problems: [{ column: 'F', field: 'responsible', kind: 'unknown_unit', text: '市教育厅', closest: '市教育局' }] },
  { code: 'Ⅳ-1-2', deadline: '10月底', meaning: date('2026-10-31', 'month'), problems: [] },
];

/**
 * Layout bad: a title row, the header on row 2 with 测评标准 written 考评要点 (not detected: the
 * required 测评标准 is missing until column D is mapped, `expected.fix`), then 11 rows of which 9
 * have problems: unknown units close to real ones (市城市管里局, 市交通运属局, 市园林局, 市教育厅),
 * dates that do not exist or say nothing (尽快, 6月32日, 2026-13-01), a 阶段 that is none of the
 * four, and two standards the system does not have. Rows are written in full (no merges), so the
 * problems' rows are plain to see.
 */
export async function layoutBad(): Promise<TaskTableFixture> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('任务表');
  ws.getCell('A1').value = '2026年创文任务分解表（征求意见稿）';
  ws.mergeCells(1, 1, 1, BAD_HEADERS.length);
  styleHeader(ws.addRow(BAD_HEADERS), BAD_HEADERS.length);
  const tasks: ExpectedTask[] = [];
  const problems: ExpectedProblem[] = [];
  BAD.forEach((r, i) => {
    const s = r.code ? standardOf(r.code) : null;
    const t = r.code ? taskOf(r.code) : null;
    const item = s?.item ?? I3;
    const content = s?.content ?? C31;
    const standard = r.standard ?? s?.standard ?? '';
    const lead = r.lead ?? t?.lead ?? [];
    const responsible = r.responsible ?? t?.responsible ?? [];
    const cooperating = r.cooperating ?? t?.cooperating ?? [];
    const phaseText = r.phase ?? (t ? PHASE_TEXT[t.phase] : '扎实落实');
    const row = ws.addRow([i + 1, item, content, standard, lead.join('、'), responsible.join('、'), cooperating.join('、'), r.deadline, phaseText]);
    const known = (names: string[]) => expand(names.filter((n) => !r.problems.some((p) => p.kind === 'unknown_unit' && p.text === n)));
    tasks.push({
      row: row.number,
      standardCode: r.code,
      code: '',
      item,
      content,
      standard,
      score: null,
      methods: [],
      materials: '',
      lead: known(lead),
      responsible: known(responsible),
      cooperating: known(cooperating),
      deadlineText: r.deadline,
      deadline: r.meaning,
      phase: r.phase ? null : t ? t.phase : 'implement',
      note: '',
    });
    for (const p of r.problems) problems.push({ row: row.number, ...p });
  });
  const mapping = { ...mappingOf(BAD_DETECTED) };
  return {
    name: '有问题的表',
    fileName: '任务分解表（有问题）.xlsx',
    buffer: await toBuffer(wb),
    expected: expectedOf('任务表', 2, mapping, tasks, { missing: ['测评标准'], fix: BAD_FIX, problems }),
  };
}

// ─── large ────────────────────────────────────────────────────────────────────

/**
 * n rows of layout 1 (the 16 tasks repeated, 测评项目/测评内容 merged per run) for the import
 * benchmark (issue 3: a 5,000-row table under 10 s). Every row is valid.
 */
export async function layoutLarge(n: number): Promise<TaskTableFixture> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('任务分解表');
  ws.getCell('A1').value = `示范市任务分解表（${n}行）`;
  ws.mergeCells(1, 1, 1, MERGED_HEADERS.length);
  ws.addRow([]);
  ws.addRow(MERGED_HEADERS);
  const expected: ExpectedTask[] = [];
  const all = TASKS.map((t) => t.code);
  for (let done = 0; done < n; done += all.length) {
    const codes = all.slice(0, Math.min(all.length, n - done));
    const body = mergedRows(codes, 4 + done, MERGED_DEADLINES, done + 1);
    for (const r of body.rows) ws.addRow(r);
    for (const m of body.merges) ws.mergeCells(m);
    expected.push(...body.expected);
  }
  return { name: `${n} 行`, fileName: `任务分解表（${n}行）.xlsx`, buffer: await toBuffer(wb), expected: expectedOf('任务分解表', 3, mappingOf(MERGED_FIELDS), expected) };
}

/** The three valid layouts, for tests that loop over them. */
export const GOOD_LAYOUTS = [layoutMerged, layoutShuffled, layoutTitled] as const;

/**
 * FIXTURE_STANDARDS as a 测评体系 sheet in the columns of the system import and export
 * (指标编号, 测评项目, 测评内容, 测评标准, 分值, 测评方法, 材料要求), one row per 测评标准.
 */
export async function fixtureSystemWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('测评体系');
  ws.addRow(['指标编号', '测评项目', '测评内容', '测评标准', '分值', '测评方法', '材料要求']);
  for (const s of FIXTURE_STANDARDS) ws.addRow([s.code, s.item, s.content, s.standard, s.score, s.methods.map((m) => METHOD_TEXT[m]).join('、'), s.materials]);
  return toBuffer(wb);
}
