import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeHeader } from './excel-headers.ts';
import {
  adjustMapping,
  cellProblemText,
  findTaskHeader,
  parseMethod,
  parsePhase,
  parseTaskRows,
  TASK_TABLE_FIELDS,
  type TaskField,
  type TaskHeader,
  type TaskRow,
  type TaskTable,
} from './task-table.ts';
import { buildUnitIndex } from './unit-match.ts';

/** One task as the office means it, before any layout. */
type Task = { item: string; content: string; standard: string; methods: string; materials: string; lead: string; responsible: string; cooperating: string; deadline: string; phase: string };

const TASKS: Task[] = [
  { item: '公正的法治环境', content: '严格规范公正文明执法', standard: '公安机关执法规范化建设达标', methods: '材料审核', materials: '制度文件、台账', lead: '市公安局', responsible: '市公安局、各区', cooperating: '', deadline: '2026-06-30', phase: '扎实落实' },
  { item: '公正的法治环境', content: '严格规范公正文明执法', standard: '行政执法公示制度全面落实', methods: '材料审核、实地考察', materials: '公示截图', lead: '市司法局', responsible: '各区', cooperating: '市公安局', deadline: '6月底', phase: '扎实落实' },
  { item: '公正的法治环境', content: '法治宣传教育', standard: '开展“八五”普法', methods: '材料审核', materials: '活动图片', lead: '', responsible: '市司法局', cooperating: '市教育局、各街道', deadline: '长期坚持', phase: '全面提升' },
  { item: '良好的人居环境', content: '市容环境', standard: '主次干道整洁', methods: '实地考察', materials: '', lead: '市城管局', responsible: '各区、各街道', cooperating: '', deadline: '2026年9月30日', phase: '全面提升' },
  { item: '良好的人居环境', content: '市容环境', standard: '背街小巷无乱堆乱放', methods: '实地考察', materials: '', lead: '', responsible: '各街道', cooperating: '市城管局', deadline: '每月', phase: '迎接检查' },
  { item: '良好的人居环境', content: '公共交通', standard: '公交站亭完好', methods: '实地考察、问卷调查', materials: '', lead: '市交通运输局', responsible: '市交通运输局', cooperating: '', deadline: '三季度末', phase: '全面动员' },
];

const CANON: TaskField[] = ['seq', 'item', 'content', 'standard', 'methods', 'materials', 'lead', 'responsible', 'cooperating', 'deadline', 'phase'];
const LABELS: Record<string, string> = Object.fromEntries(TASK_TABLE_FIELDS.map((s) => [s.key, s.label]));
const cellOf = (t: Task, i: number, f: TaskField): string => (f === 'seq' ? String(i + 1) : (t[f as keyof Task] ?? ''));

/** Layout A: title rows, one header row, 测评项目 / 测评内容 merged (filled by the reader in every row). */
function layoutMerged(tasks: Task[]): string[][] {
  const title = '示范市2026年创建全国文明城市任务分解表';
  return [CANON.map(() => title), ['填报单位：市创文办', '', '', '', '', '', '', '', '', '', ''], CANON.map((f) => LABELS[f]), ...tasks.map((t, i) => CANON.map((f) => cellOf(t, i, f)))];
}

/** Layout B: a two-row header (责任分工 over 牵头 / 责任 / 配合), 测评项目 / 测评内容 written only in the first row of a run. */
function layoutBlanks(tasks: Task[]): string[][] {
  const upper = ['序号', '测评项目', '测评内容', '测评标准', '测评方法', '材料要求', '责任分工', '责任分工', '责任分工', '时间要求', '阶段'];
  const lower = ['', '', '', '', '', '', '牵头单位', '责任单位', '配合单位', '', ''];
  const body = tasks.map((t, i) => {
    const prev = tasks[i - 1];
    const row = CANON.map((f) => cellOf(t, i, f));
    if (prev && prev.item === t.item) row[1] = '';
    if (prev && prev.item === t.item && prev.content === t.content) row[2] = '';
    return row;
  });
  return [['2026年任务分解表'], upper, lower, ...body];
}

/** Layout C: columns shuffled and named otherwise, 测评项目 as heading rows of their own. */
const C_ORDER: TaskField[] = ['phase', 'deadline', 'standard', 'content', 'responsible', 'lead', 'cooperating', 'materials', 'methods', 'item', 'seq'];
const C_NAMES: Record<string, string> = { phase: '推进阶段', deadline: '完成时间', standard: '具体标准', content: '内容', responsible: '责任部门', lead: '牵头部门', cooperating: '协办单位', materials: '佐证材料', methods: '考核方式', item: '项目', seq: '序' };
function layoutHeadings(tasks: Task[]): string[][] {
  const rows: string[][] = [[], ['说明：本表由市创文办编制'], C_ORDER.map((f) => C_NAMES[f])];
  tasks.forEach((t, i) => {
    if (tasks[i - 1]?.item !== t.item) rows.push(C_ORDER.map((f) => (f === 'item' ? t.item : '')));
    rows.push(C_ORDER.map((f) => (f === 'item' ? '' : cellOf(t, i, f))));
  });
  return rows;
}

const units = buildUnitIndex([
  { id: 'city', name: '示范市', kind: 'city' },
  { id: 'gaj', name: '示范市公安局', kind: 'department' },
  { id: 'sfj', name: '示范市司法局', kind: 'department' },
  { id: 'jyj', name: '示范市教育局', kind: 'department' },
  { id: 'cgj', name: '示范市城市管理局', kind: 'department' },
  { id: 'jtj', name: '示范市交通运输局', kind: 'department' },
  { id: 'd1', name: '文明区', kind: 'district' },
  { id: 'd2', name: '和谐区', kind: 'district' },
  { id: 's1', name: '新华街道', kind: 'street' },
]);

const parse = (rows: string[][], extra: { units?: typeof units } = {}): { header: TaskHeader; table: TaskTable } => {
  const header = findTaskHeader(rows);
  if (!header) throw new Error('no header');
  return { header, table: parseTaskRows(rows, header.columns, { dataStart: header.dataStart, year: 2026, ...extra }) };
};

/** What a row means, independent of layout. */
const meaning = (r: TaskRow) => ({
  item: r.item,
  content: r.content,
  standard: r.standard,
  methods: r.methods,
  materials: r.materials,
  lead: r.lead.names,
  responsible: r.responsible.names,
  cooperating: r.cooperating.names,
  deadline: r.deadline,
  phase: r.phase,
});

describe('TASK_TABLE_FIELDS', () => {
  it('no spelling names two fields', () => {
    const seen = new Map<string, string>();
    for (const s of TASK_TABLE_FIELDS) {
      for (const name of s.synonyms) {
        const n = normalizeHeader(name);
        expect(seen.get(n) ?? s.key, name).toBe(s.key);
        seen.set(n, s.key);
      }
    }
  });
  it('names 完成时限 in its usual ways', () => {
    const deadline = TASK_TABLE_FIELDS.find((s) => s.key === 'deadline')!;
    for (const n of ['完成时限', '时间要求', '完成时间', '时限']) expect(deadline.synonyms).toContain(n);
  });
});

describe('phases and methods', () => {
  it('reads the four phases', () => {
    expect(parsePhase('全面动员')).toBe('mobilize');
    expect(parsePhase('扎实落实阶段')).toBe('implement');
    expect(parsePhase('全面提升')).toBe('improve');
    expect(parsePhase('迎检')).toBe('inspect');
    expect(parsePhase('收尾')).toBeNull();
  });
  it('reads the six methods', () => {
    expect(parseMethod('材料审核')).toBe('material');
    expect(parseMethod('实地检查')).toBe('field');
    expect(parseMethod('问卷调查')).toBe('questionnaire');
    expect(parseMethod('网络调查')).toBe('online');
    expect(parseMethod('听取汇报')).toBe('report');
    expect(parseMethod('整体观察')).toBe('observation');
    expect(parseMethod('抽查')).toBeNull();
  });
});

describe('three layouts of one table', () => {
  const expected = TASKS.map((t) => ({
    item: t.item,
    content: t.content,
    standard: t.standard,
    methods: t.methods.split('、').map((m) => parseMethod(m)),
    materials: t.materials,
    lead: t.lead ? t.lead.split('、') : [],
    responsible: t.responsible.split('、'),
    cooperating: t.cooperating ? t.cooperating.split('、') : [],
  }));

  it('A: title rows and merged cells', () => {
    const { header, table } = parse(layoutMerged(TASKS));
    expect(header).toMatchObject({ headerIndex: 2, headerRows: 1, dataStart: 3, missing: [] });
    expect(table.rows.map(meaning)).toMatchObject(expected);
    expect(table.problems).toEqual([]);
    expect(table.skipped).toEqual([]);
    expect(table.rows.every((r) => !r.carried.item && !r.carried.content)).toBe(true);
  });
  it('B: two-row header, blanks under the first row', () => {
    const { header, table } = parse(layoutBlanks(TASKS));
    expect(header).toMatchObject({ headerIndex: 2, headerRows: 2, dataStart: 3, missing: [] });
    expect(header.columns.map((c) => [c.column, c.field])).toEqual(CANON.map((f, i) => [String.fromCharCode(65 + i), f]));
    expect(header.headers[6]).toBe('责任分工/牵头单位');
    expect(table.rows.map(meaning)).toMatchObject(expected);
    expect(table.problems).toEqual([]);
    expect(table.rows.map((r) => r.carried)).toEqual([
      { item: false, content: false },
      { item: true, content: true },
      { item: true, content: false },
      { item: false, content: false },
      { item: true, content: true },
      { item: true, content: false },
    ]);
  });
  it('C: shuffled, differently named columns and heading rows', () => {
    const { header, table } = parse(layoutHeadings(TASKS));
    expect(header).toMatchObject({ headerIndex: 2, headerRows: 1, dataStart: 3, missing: [] });
    expect(table.rows.map(meaning)).toMatchObject(expected);
    expect(table.rows.map((r) => r.row)).toEqual([5, 6, 7, 9, 10, 11]);
    expect(table.skipped).toEqual([
      { row: 4, reason: 'heading' },
      { row: 8, reason: 'heading' },
    ]);
  });
  it('mixed date styles become deadlines, and phases their keys', () => {
    const { table } = parse(layoutMerged(TASKS));
    expect(table.rows.map((r) => r.deadline)).toEqual([
      { kind: 'date', date: '2026-06-30', precision: 'day' },
      { kind: 'date', date: '2026-06-30', precision: 'month' },
      { kind: 'ongoing' },
      { kind: 'date', date: '2026-09-30', precision: 'day' },
      { kind: 'recurring', every: 'month' },
      { kind: 'date', date: '2026-09-30', precision: 'quarter' },
    ]);
    expect(table.rows.map((r) => r.phase)).toEqual(['implement', 'implement', 'improve', 'improve', 'inspect', 'mobilize']);
  });
  it('matches units when an index is given', () => {
    const { table } = parse(layoutBlanks(TASKS), { units });
    expect(table.problems).toEqual([]);
    expect(table.rows[0].responsible.ids).toEqual(['gaj', 'd1', 'd2']);
    expect(table.rows[3].lead.ids).toEqual(['cgj']);
    expect(table.rows[2].cooperating.ids).toEqual(['jyj', 's1']);
  });
});

describe('problems by row and column', () => {
  const rows = (): string[][] => layoutBlanks(TASKS);
  it('a standard without 测评项目 after carrying', () => {
    const r = rows();
    r[3][1] = ''; // the first data row loses its item: nothing above to carry, so its whole run lacks one
    const { table } = parse(r);
    const message = '有测评标准但没有测评项目（上方也没有可沿用的测评项目）';
    expect(table.problems).toEqual([4, 5, 6].map((row) => ({ row, column: 'B', field: 'item', label: '测评项目', message })));
    expect(table.rows[3]).toMatchObject({ item: '良好的人居环境', carried: { item: false } });
  });
  it('carrying down can be switched off', () => {
    const r = rows();
    const header = findTaskHeader(r)!;
    const table = parseTaskRows(r, header.columns, { dataStart: header.dataStart, year: 2026, carryDown: { item: false, content: false } });
    expect(table.problems.map((p) => [p.row, p.column])).toEqual([
      [5, 'B'],
      [6, 'B'],
      [8, 'B'],
      [9, 'B'],
    ]);
    expect(table.rows[1].content).toBe('');
  });
  it('content is not carried into another 测评项目', () => {
    const r = rows();
    r[6][2] = ''; // first row of 良好的人居环境 without content
    const { table } = parse(r);
    expect(table.rows[3]).toMatchObject({ item: '良好的人居环境', content: '', carried: { item: false, content: false } });
  });
  it('bad deadlines, phases, methods, scores and units', () => {
    const r = rows();
    r[3][9] = '尽快';
    r[4][10] = '收尾阶段';
    r[5][4] = '抽查';
    r[6][7] = '市城管委、各区';
    r[7][6] = '';
    r[7][7] = '';
    const { table } = parse(r, { units });
    expect(table.problems.map(cellProblemText)).toEqual([
      '第 4 行 J 列（完成时限）：完成时限「尽快」无法识别，请写成 2026-06-30、2026年6月30日、6月底、上半年、长期坚持或每月',
      '第 5 行 K 列（阶段）：阶段「收尾阶段」应为 全面动员、扎实落实、全面提升、迎接检查 之一',
      '第 6 行 E 列（测评方法）：测评方法「抽查」应为 材料审核、实地考察、问卷调查、网络调查、听取汇报、整体观察 之一',
      expect.stringMatching(/^第 7 行 H 列（责任单位）：未找到单位「市城管委」，是否为：示范市城市管理局/),
      '第 8 行 H 列（责任单位）：缺少责任单位（牵头单位和责任单位至少填一个）',
    ]);
    expect(table.rows[3].problems).toHaveLength(1);
  });
  it('an indicator code that does not parse', () => {
    const r = [['指标编号', '测评项目', '测评标准', '责任单位'], ['Ⅱ-1-1', '甲', '标准一', '市公安局'], ['二-1', '甲', '标准二', '市公安局']];
    const { table } = parse(r);
    expect(table.rows.map((x) => x.code)).toEqual(['Ⅱ-1-1', '二-1']);
    expect(table.problems).toEqual([{ row: 3, column: 'A', field: 'code', label: '指标编号', message: '指标编号「二-1」格式不正确，应为 Ⅱ-1-1 或 2-1-1' }]);
  });
  it('a row with units but no standard', () => {
    const r = rows();
    r[4][3] = '';
    const { table } = parse(r);
    expect(table.problems).toEqual([{ row: 5, column: 'D', field: 'standard', label: '测评标准', message: '缺少测评标准' }]);
  });
  it('blank and title rows are skipped', () => {
    const r = rows();
    r.splice(5, 0, ['', ' ', ''], Array(11).fill('二、人居环境'));
    const { table } = parse(r);
    expect(table.skipped).toEqual([
      { row: 6, reason: 'blank' },
      { row: 7, reason: 'title' },
    ]);
    expect(table.rows).toHaveLength(6);
  });
});

describe('findTaskHeader', () => {
  it('returns null without a header and names missing columns', () => {
    expect(findTaskHeader([['任务分解表'], ['a', 'b']])).toBeNull();
    expect(findTaskHeader([['序号', '测评项目', '完成时限']])?.missing).toEqual(['测评标准', '责任单位（或牵头单位）']);
  });
  it('does not take a data row for a second header row', () => {
    const r = layoutMerged(TASKS);
    const h = findTaskHeader(r)!;
    expect(h.headerRows).toBe(1);
    expect(h.dataStart).toBe(3);
  });
});

describe('adjustMapping', () => {
  const r = layoutMerged(TASKS);
  const header = findTaskHeader(r)!;
  it('keeps the detected mapping without overrides', () => {
    expect(adjustMapping(header.columns, header.headers, {})).toEqual({ ok: true, columns: header.columns });
  });
  it('ignores a column and moves a field', () => {
    const res = adjustMapping(header.columns, header.headers, { K: 'ignore', F: 'note', E: 'materials' });
    expect(res.ok).toBe(true);
    const byColumn = Object.fromEntries(res.columns.map((c) => [c.column, c.field]));
    expect(byColumn.K).toBeUndefined();
    expect(byColumn.F).toBe('note');
    expect(byColumn.E).toBe('materials');
    expect(res.columns.filter((c) => c.field === 'methods')).toEqual([]);
  });
  it('refuses a field twice, a missing required field, unknown columns and fields', () => {
    const res = adjustMapping(header.columns, header.headers, { B: 'standard', C: 'standard', Z: 'item', E: 'nonsense' as TaskField });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.problems).toEqual(['列「Z」不存在', '列 E 的字段「nonsense」不存在', '「测评标准」对应了多列（B、C），每个字段只能选一列', '缺少必填列：测评项目']);
  });
  it('any overrides give each field at most one column (property)', () => {
    const choice = fc.constantFrom<TaskField | 'ignore'>('ignore', ...TASK_TABLE_FIELDS.map((s) => s.key as TaskField));
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...'ABCDEFGHIJK'), choice), (overrides) => {
        const res = adjustMapping(header.columns, header.headers, overrides);
        const fields = res.columns.map((c) => c.field);
        const indexes = res.columns.map((c) => c.index);
        const twice = Object.values(overrides).filter((v) => v !== 'ignore').length !== new Set(Object.values(overrides).filter((v) => v !== 'ignore')).size;
        if (!twice) expect(new Set(fields).size).toBe(fields.length);
        expect(new Set(indexes).size).toBe(indexes.length);
        for (const [letter, v] of Object.entries(overrides)) {
          const at = res.columns.find((c) => c.column === letter);
          if (v === 'ignore') expect(at).toBeUndefined();
        }
        if (res.ok) expect(fields).toEqual(expect.arrayContaining(['item', 'standard']));
      }),
      { numRuns: 300 },
    );
  });
});

describe('any layout of any table reads the same (property)', () => {
  const text = (min: number) => fc.stringMatching(new RegExp(`^[一-龥]{${min},6}$`));
  const unitName = fc.constantFrom('市公安局', '市司法局', '市教育局', '市城管局', '各区', '各街道', '新华街道');
  const unitCell = (min: number) => fc.uniqueArray(unitName, { minLength: min, maxLength: 3 }).map((a) => a.join('、'));
  const task: fc.Arbitrary<Task> = fc.record({
    item: fc.constantFrom('公正的法治环境', '良好的人居环境', '诚信守法的经济环境'),
    content: fc.constantFrom('市容环境', '公共交通', '法治宣传'),
    standard: text(2),
    methods: fc.constantFrom('材料审核', '实地考察', '材料审核、实地考察', '问卷调查'),
    materials: fc.oneof(fc.constant(''), text(2)),
    lead: unitCell(0),
    responsible: unitCell(1),
    cooperating: unitCell(0),
    deadline: fc.constantFrom('2026-06-30', '2026/6/30', '2026年6月30日', '6月底', '长期坚持', '每季度', '上半年', ''),
    phase: fc.constantFrom('全面动员', '扎实落实', '全面提升', '迎接检查', ''),
  });
  it('the three layouts agree', () => {
    fc.assert(
      fc.property(
        fc.array(task, { minLength: 1, maxLength: 12 }).map((ts) => [...ts].sort((a, b) => (a.item < b.item ? -1 : a.item > b.item ? 1 : 0))),
        (tasks) => {
          const a = parse(layoutMerged(tasks)).table;
          const b = parse(layoutBlanks(tasks)).table;
          const c = parse(layoutHeadings(tasks)).table;
          expect(a.problems).toEqual([]);
          expect(b.rows.map(meaning)).toEqual(a.rows.map(meaning));
          expect(c.rows.map(meaning)).toEqual(a.rows.map(meaning));
          expect(a.rows).toHaveLength(tasks.length);
          expect(a.rows.map((r) => r.standard)).toEqual(tasks.map((t) => t.standard));
        },
      ),
      { numRuns: 150 },
    );
  });
  it('columns in any order under any noise rows are found', () => {
    const noise = fc.array(fc.array(fc.constantFrom('', '示范市创文办', '填报日期：2026年11月', '合计'), { maxLength: 5 }), { maxLength: 10 });
    fc.assert(
      fc.property(fc.array(task, { minLength: 1, maxLength: 5 }), fc.shuffledSubarray(CANON, { minLength: CANON.length }), noise, (tasks, order, top) => {
        const sheet = [...top, order.map((f) => LABELS[f]), ...tasks.map((t, i) => order.map((f) => cellOf(t, i, f)))];
        const { header, table } = parse(sheet);
        expect(header.headerIndex).toBe(top.length);
        for (const c of header.columns) expect(order[c.index]).toBe(c.field);
        expect(table.rows.map((r) => r.standard)).toEqual(tasks.map((t) => t.standard));
      }),
      { numRuns: 150 },
    );
  });
  it('never throws on any grid', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom(...TASK_TABLE_FIELDS.flatMap((s) => s.synonyms))), { maxLength: 8 }), { maxLength: 12 }), (grid) => {
        const header = findTaskHeader(grid);
        if (header) parseTaskRows(grid, header.columns, { dataStart: header.dataStart, year: 2026, units });
      }),
      { numRuns: 300 },
    );
  });
});
