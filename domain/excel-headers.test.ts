import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { columnIndex, columnLetter, findHeaderRow, IMPORT_FIELDS, IMPORT_KINDS, mapColumns, missingFields, normalizeHeader, recordOf } from './excel-headers.ts';

describe('normalizeHeader', () => {
  it('drops spaces, markers and bracketed notes', () => {
    expect(normalizeHeader(' 经度（WGS-84）* ')).toBe('经度');
    expect(normalizeHeader('*点位\n名称')).toBe('点位名称');
    expect(normalizeHeader('LNG')).toBe('lng');
    expect(normalizeHeader('所属社区(村)：')).toBe('所属社区');
  });
  it('is idempotent', () => {
    fc.assert(fc.property(fc.string(), (s) => normalizeHeader(normalizeHeader(s)) === normalizeHeader(s)));
  });
});

describe('columnLetter', () => {
  it('spells Excel columns', () => {
    expect(columnLetter(0)).toBe('A');
    expect(columnLetter(25)).toBe('Z');
    expect(columnLetter(26)).toBe('AA');
    expect(columnLetter(27)).toBe('AB');
    expect(columnLetter(701)).toBe('ZZ');
    expect(columnLetter(702)).toBe('AAA');
  });
});

describe('columnIndex', () => {
  it('reads letters back to indexes', () => {
    expect(columnIndex('A')).toBe(0);
    expect(columnIndex('ab')).toBe(27);
    expect(columnIndex('1')).toBe(-1);
    expect(columnIndex('')).toBe(-1);
  });
  it('is the inverse of columnLetter (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 18_000 }), (i) => {
        expect(columnIndex(columnLetter(i))).toBe(i);
      }),
    );
  });
});

describe('IMPORT_FIELDS', () => {
  it('no spelling names two fields of a kind', () => {
    for (const kind of IMPORT_KINDS) {
      const seen = new Map<string, string>();
      for (const spec of IMPORT_FIELDS[kind]) {
        for (const s of spec.synonyms) {
          const n = normalizeHeader(s);
          expect(seen.get(n) ?? spec.key, `${kind}: ${s}`).toBe(spec.key);
          seen.set(n, spec.key);
        }
      }
    }
  });
});

describe('mapColumns', () => {
  it('maps synonyms of the city offices', () => {
    const cols = mapColumns('points', ['序号', 'X', 'Y', '包保单位', '所在社区', '点位编号', '名称', '类型', '详细地址', '是否重点']);
    const byField = Object.fromEntries(cols.map((c) => [c.field, c.column]));
    expect(byField).toEqual({ lng: 'B', lat: 'C', units: 'D', area: 'E', code: 'F', name: 'G', type: 'H', address: 'I', isKey: 'J' });
  });
  it('takes the first column of a field and ignores a repeat (merged header)', () => {
    const cols = mapColumns('grids', ['网格编码', '网格编码', '网格名称']);
    expect(cols.map((c) => [c.field, c.index])).toEqual([
      ['code', 0],
      ['name', 2],
    ]);
  });
  it('reads 网格编码 as the grid of a point but as the code of a grid', () => {
    expect(mapColumns('points', ['网格编码'])[0].field).toBe('grid');
    expect(mapColumns('grids', ['网格编码'])[0].field).toBe('code');
  });
});

describe('missingFields', () => {
  it('names missing required columns in Chinese', () => {
    const cols = mapColumns('points', ['点位编码', '点位名称', '经度']);
    expect(missingFields('points', cols)).toEqual(['点位类型', '地址', '纬度', '所在区域', '责任单位']);
  });
  it('accepts 上级区划代码 instead of 上级单位', () => {
    expect(missingFields('units', mapColumns('units', ['名称', '类型', '上级区划代码']))).toEqual([]);
    expect(missingFields('units', mapColumns('units', ['名称', '类型']))).toEqual(['上级单位（或上级区划代码）']);
  });
});

describe('findHeaderRow', () => {
  it('finds the header under a merged title row', () => {
    const title = '2026年示范市点位清单';
    const rows = [[title, title, title], ['填报单位：文明区', '', ''], ['点位编码', '点位名称', '经度'], ['DW1', '人民广场', '113.6']];
    const m = findHeaderRow('points', rows)!;
    expect(m.headerIndex).toBe(2);
    expect(recordOf(m.columns, rows[3])).toEqual({ code: 'DW1', name: '人民广场', lng: '113.6' });
  });
  it('takes the lower row of a two-level header (merged group cells filled in)', () => {
    const rows = [
      ['点位编码', '点位名称', '坐标', '坐标'],
      ['点位编码', '点位名称', '经度', '纬度'],
      ['DW1', '甲', '113.6', '34.7'],
    ];
    const m = findHeaderRow('points', rows)!;
    expect(m.headerIndex).toBe(1);
    expect(m.columns.map((c) => c.field)).toEqual(['code', 'name', 'lng', 'lat']);
  });
  it('returns null when nothing looks like a header', () => {
    expect(findHeaderRow('units', [['a', 'b'], ['c']])).toBeNull();
  });
  it('does not look beyond the scan limit', () => {
    const rows = Array.from({ length: 25 }, () => ['x']);
    rows[22] = ['名称', '类型', '上级单位'];
    expect(findHeaderRow('units', rows)).toBeNull();
    expect(findHeaderRow('units', rows, 30)?.headerIndex).toBe(22);
  });

  // Any shuffle of any synonyms of the fields, under any number of noise rows, is found and mapped.
  it('finds shuffled synonym headers under noise rows (property)', () => {
    const noiseCell = fc.constantFrom('', '示范市创文办', '填报日期：2026年11月', '备注', '序号说明', '合计');
    for (const kind of IMPORT_KINDS) {
      const specs = IMPORT_FIELDS[kind];
      fc.assert(
        fc.property(
          fc.shuffledSubarray(specs, { minLength: 2 }),
          fc.array(fc.nat(), { minLength: specs.length, maxLength: specs.length }),
          fc.array(fc.array(noiseCell, { maxLength: 6 }), { maxLength: 15 }),
          fc.boolean(),
          (chosen, picks, noise, decorate) => {
            const header = chosen.map((s, i) => {
              const name = s.synonyms[picks[i] % s.synonyms.length];
              return decorate ? ` ${name}* ` : name;
            });
            const m = findHeaderRow(kind, [...noise, header, ['1', '2']]);
            expect(m).not.toBeNull();
            expect(m!.headerIndex).toBe(noise.length);
            expect(new Set(m!.columns.map((c) => c.field))).toEqual(new Set(chosen.map((s) => s.key)));
            for (const c of m!.columns) expect(chosen[c.index].key).toBe(c.field);
          },
        ),
        { numRuns: 200 },
      );
    }
  });
});
