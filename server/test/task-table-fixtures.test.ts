import { describe, expect, it } from 'vitest';
import { adjustMapping, findTaskHeader, parseTaskRows, type TaskRow } from '../../domain/task-table.ts';
import { buildUnitIndex, type UnitRef } from '../../domain/unit-match.ts';
import { readFirstSheet } from '../lib/excel.ts';
import { CITY, DISTRICTS, UNITS } from '../seed/demo-data.ts';
import { DEMO_UNIT_NAMES, type ExpectedTask, FIXTURE_STANDARDS, type FixtureExpected, GOOD_LAYOUTS, layoutBad, layoutLarge, type TaskTableFixture } from './task-table-fixtures.ts';

/** The demo city's units as the importer would load them (ids are the names, so results read plainly). */
const demoUnits: UnitRef[] = [
  { id: CITY.name, name: CITY.name, kind: 'city' },
  ...DISTRICTS.flatMap((d): UnitRef[] => [
    { id: d.name, name: d.name, kind: 'district' },
    ...d.streets.flatMap((s): UnitRef[] => [{ id: s.name, name: s.name, kind: 'street' }, ...s.communities.map(([, c]): UnitRef => ({ id: c, name: c, kind: 'community' }))]),
  ]),
  ...UNITS.map((u): UnitRef => ({ id: u.name, name: u.name, kind: u.kind })),
];

/** What the importer does with the file: read the first visible sheet, find the header, apply the fix, parse the rows. */
async function importLike(f: TaskTableFixture) {
  const grid = await readFirstSheet(f.buffer, { maxRows: 10_000 });
  const header = findTaskHeader(grid.rows);
  if (!header) throw new Error('header not found');
  const mapping = adjustMapping(header.columns, header.headers, f.expected.fix);
  const table = parseTaskRows(grid.rows, mapping.columns, { dataStart: header.dataStart, year: 2026, units: buildUnitIndex(demoUnits) });
  return { grid, header, mapping, table };
}

const asExpected = (r: TaskRow): Omit<ExpectedTask, 'standardCode'> => ({
  row: r.row,
  code: r.code,
  item: r.item,
  content: r.content,
  standard: r.standard,
  score: r.score,
  methods: r.methods,
  materials: r.materials,
  lead: r.lead.ids ?? [],
  responsible: r.responsible.ids ?? [],
  cooperating: r.cooperating.ids ?? [],
  deadlineText: r.deadlineText,
  deadline: r.deadline,
  phase: r.phase,
  note: r.note,
});

/** A standard as the server looks it up: by code when the row has one, else by its text. */
const standardCodeOf = (r: TaskRow): string | null => FIXTURE_STANDARDS.find((s) => (r.code ? s.code === r.code : s.standard === r.standard))?.code ?? null;

async function checkLayout(f: TaskTableFixture, e: FixtureExpected) {
  const { grid, header, mapping, table } = await importLike(f);
  expect(grid.sheetName).toBe(e.sheetName);
  expect(header.headerIndex + 1).toBe(e.headerRow);
  expect(header.dataStart + 1).toBe(e.dataStart);
  expect(Object.fromEntries(header.columns.map((c) => [c.column, c.field]))).toEqual(e.mapping);
  expect(header.missing).toEqual(e.missing);
  expect(mapping.ok).toBe(true);
  expect(table.rows.length).toBe(e.rowCount);
  const { standardCode: _, ...first } = e.tasks[0];
  expect(asExpected(table.rows[0])).toEqual(first);
  expect(table.rows.map(asExpected)).toEqual(e.tasks.map(({ standardCode: _s, ...t }) => t));
  expect(table.rows.map(standardCodeOf)).toEqual(e.tasks.map((t) => t.standardCode));
  return table;
}

describe('task table fixtures', () => {
  it('name only units the demo city has', async () => {
    for (const make of [...GOOD_LAYOUTS, layoutBad]) {
      const f = await make();
      for (const t of f.expected.tasks) for (const n of [...t.lead, ...t.responsible, ...t.cooperating]) expect(DEMO_UNIT_NAMES, `${f.name} 第 ${t.row} 行`).toContain(n);
      expect(Object.keys(f.expected.tasksPerUnit).length).toBeGreaterThan(5);
    }
  });

  for (const make of GOOD_LAYOUTS) {
    it(`${make.name}: imports with the expected rows, units, dates and no problems`, async () => {
      const f = await make();
      expect(f.buffer.subarray(0, 2).toString()).toBe('PK');
      const table = await checkLayout(f, f.expected);
      expect(table.problems).toEqual([]);
      expect(f.expected.problems).toEqual([]);
      // tasks per unit, from the parser's rows
      const perUnit: Record<string, number> = {};
      for (const r of table.rows) for (const id of new Set([...(r.lead.ids ?? []), ...(r.responsible.ids ?? []), ...(r.cooperating.ids ?? [])])) perUnit[id] = (perUnit[id] ?? 0) + 1;
      expect(perUnit).toEqual(Object.fromEntries(Object.entries(f.expected.tasksPerUnit).map(([n, c]) => [n, c.any])));
    });
  }

  it('layoutMerged: 测评项目 and 测评内容 are merged cells over many rows', async () => {
    const f = await GOOD_LAYOUTS[0]();
    const grid = await readFirstSheet(f.buffer, { maxRows: 100 });
    // the reader fills merged cells; in the file only the first row of a run holds the text
    expect(grid.rows[3][1]).toBe(grid.rows[6][1]);
    expect(f.expected.rowCount).toBe(16);
    expect(f.expected.tasksPerUnit['市城市管理局']).toEqual({ lead: 3, responsible: 2, cooperating: 3, any: 6 });
    expect(f.expected.tasksPerUnit['文明区']).toEqual({ lead: 0, responsible: 4, cooperating: 1, any: 5 });
  });

  it('layoutShuffled: units split by 、，; ； and new lines, abbreviated; dates as serials and date cells', async () => {
    const f = await GOOD_LAYOUTS[1]();
    const grid = await readFirstSheet(f.buffer, { maxRows: 100 });
    const cells = grid.rows.slice(1).map((r) => r[5]);
    expect(cells.some((c) => c.includes('\n'))).toBe(true);
    expect(cells.some((c) => c.includes('；'))).toBe(true);
    expect(cells.some((c) => c.includes('市城管局'))).toBe(true);
    expect(grid.rows.slice(1).map((r) => r[6])).toContain('46295');
    expect(f.expected.tasks.find((t) => t.deadlineText === '46295')?.deadline).toEqual({ kind: 'date', date: '2026-09-30', precision: 'day' });
  });

  it('layoutTitled: header on row 4, spacer rows skipped, the 填表说明 sheet ignored', async () => {
    const f = await GOOD_LAYOUTS[2]();
    const { table } = await importLike(f);
    expect(table.skipped.filter((s) => s.reason === 'blank').length).toBeGreaterThanOrEqual(3);
    expect(f.expected.headerRow).toBe(4);
  });

  it('layoutBad: the missing 测评标准 column is reported, and after the fix every problem by row and column', async () => {
    const f = await layoutBad();
    const e = f.expected;
    const grid = await readFirstSheet(f.buffer, { maxRows: 100 });
    const header = findTaskHeader(grid.rows);
    expect(header?.missing).toEqual(['测评标准']);
    // without the fix the mapping is refused
    const unfixed = adjustMapping(header?.columns ?? [], header?.headers ?? [], {});
    expect(unfixed.ok).toBe(false);

    const table = await checkLayout(f, e);
    const parserKinds = e.problems.filter((p) => p.kind !== 'standard_not_found');
    expect(table.problems.map((p) => ({ row: p.row, column: p.column, field: p.field }))).toEqual(parserKinds.map((p) => ({ row: p.row, column: p.column, field: p.field })));
    for (const p of parserKinds) {
      const got = table.problems.find((q) => q.row === p.row && q.column === p.column);
      expect(got?.message, `${p.row}${p.column}`).toContain(p.text);
    }
    // unknown units come with the real unit among the closest three
    for (const p of e.problems.filter((q) => q.kind === 'unknown_unit')) {
      const row = table.rows.find((r) => r.row === p.row);
      const units = row?.[p.field as 'lead' | 'responsible' | 'cooperating'];
      const m = units?.matches?.find((x) => x.text === p.text);
      expect(m?.status).toBe('unknown');
      const candidates = m && m.status === 'unknown' ? m.candidates.map((c) => c.name) : [];
      expect(candidates.length).toBeLessThanOrEqual(3);
      expect(candidates, p.text).toContain(p.closest);
    }
    // standards the system lacks
    const notFound = table.rows.filter((r) => standardCodeOf(r) === null).map((r) => r.row);
    expect(notFound).toEqual(e.problems.filter((p) => p.kind === 'standard_not_found').map((p) => p.row));
    expect(e.problemRows.length).toBe(9);
    expect(e.rowCount).toBe(11);
  });

  it('layoutLarge: 500 rows with merged runs', async () => {
    const f = await layoutLarge(500);
    await checkLayout(f, f.expected);
    expect(f.expected.rowCount).toBe(500);
    expect(f.expected.tasks.at(-1)?.row).toBe(503);
  });
});
