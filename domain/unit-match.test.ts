import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildUnitIndex, closestUnits, coreUnitNames, editDistance, matchUnitCell, matchUnitName, nameSimilarity, normalizeUnitName, type UnitRef, unitGroupOf } from './unit-match.ts';

const units: UnitRef[] = [
  { id: 'city', name: '示范市', kind: 'city' },
  { id: 'jyj', name: '示范市教育局', kind: 'department' },
  { id: 'wmb', name: '示范市精神文明建设指导委员会办公室', shortName: '市文明办', kind: 'department' },
  { id: 'cgj', name: '示范市城市管理局', kind: 'department' },
  { id: 'jtj', name: '示范市交通运输局', kind: 'department' },
  { id: 'xcb', name: '中共示范市委宣传部', kind: 'department' },
  { id: 'gaj', name: '示范市公安局', kind: 'department' },
  { id: 'scj', name: '示范市市场监督管理局', kind: 'department' },
  { id: 'mzj', name: '示范市民政局', kind: 'department' },
  { id: 'smzx', name: '示范市市民服务中心', kind: 'department' },
  { id: 'd1', name: '文明区', kind: 'district' },
  { id: 'd2', name: '和谐区', kind: 'district' },
  { id: 'd1jyj', name: '文明区教育局', kind: 'department' },
  { id: 's1', name: '新华街道', kind: 'street' },
  { id: 's2', name: '东风街道', kind: 'street' },
  { id: 'c1', name: '东风社区', kind: 'community' },
];
const index = buildUnitIndex(units);

const matchedId = (text: string, idx = index) => {
  const m = matchUnitName(idx, text);
  return m.status === 'matched' ? m.id : m.status;
};

describe('normalizeUnitName / coreUnitName', () => {
  it('normalises spelling', () => {
    expect(normalizeUnitName(' 市教育局（牵头） ')).toBe('市教育局');
    expect(normalizeUnitName('ＸＸ市　公安局')).toBe('xx市公安局');
    expect(normalizeUnitName('各县【市、区】')).toBe('各县(市、区)');
    expect(normalizeUnitName('市教育局等单位')).toBe('市教育局');
  });
  it('drops the city and 中共 in front, keeping the name as written too', () => {
    expect(coreUnitNames('示范市教育局', ['示范市'])).toEqual(['示范市教育局', '教育局']);
    expect(coreUnitNames('市教育局', ['示范市'])).toEqual(['市教育局', '教育局']);
    expect(coreUnitNames('教育局', ['示范市'])).toEqual(['教育局']);
    expect(coreUnitNames('中共示范市委宣传部', ['示范市'])).toEqual(['示范市委宣传部', '委宣传部']);
    expect(coreUnitNames('文明区教育局', ['示范市'])).toEqual(['文明区教育局']);
    expect(coreUnitNames('市委', [])).toEqual(['市委']);
    expect(coreUnitNames('示范市', ['示范市'])).toEqual(['示范市']);
    expect(coreUnitNames('市场监督管理局', ['示范市'])).toEqual(['市场监督管理局', '场监督管理局']);
  });
  it('is idempotent (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (s) => {
        expect(normalizeUnitName(normalizeUnitName(s))).toBe(normalizeUnitName(s));
      }),
    );
  });
});

describe('matchUnitName', () => {
  it('matches exact names and short names', () => {
    expect(matchUnitName(index, '示范市教育局')).toEqual({ status: 'matched', text: '示范市教育局', id: 'jyj', name: '示范市教育局', how: 'exact' });
    expect(matchedId('市文明办')).toBe('wmb');
  });
  it('matches after normalising and without the city', () => {
    expect(matchUnitName(index, '示范市 教育局（牵头）')).toMatchObject({ status: 'matched', id: 'jyj', how: 'normalized' });
    expect(matchUnitName(index, '市教育局')).toMatchObject({ status: 'matched', id: 'jyj', how: 'core' });
    expect(matchedId('教育局')).toBe('jyj');
    expect(matchedId('文明区教育局')).toBe('d1jyj');
    expect(matchedId('市委宣传部')).toBe('xcb');
    expect(matchedId('宣传部')).toBe('xcb');
    expect(matchedId('ＸＸ')).toBe('unknown');
  });
  it('does not mistake the 市 of 市场 or 市民 for the city', () => {
    expect(matchedId('市场监督管理局')).toBe('scj');
    expect(matchedId('市市场监督管理局')).toBe('scj');
    expect(matchedId('市市场监管局')).toBe('scj');
    expect(matchedId('市民政局')).toBe('mzj');
    expect(matchedId('民政局')).toBe('mzj');
    expect(matchedId('市民服务中心')).toBe('smzx');
    expect(matchedId('市市民服务中心')).toBe('smzx');
  });
  it('folds known abbreviations', () => {
    expect(matchUnitName(index, '市城管局')).toMatchObject({ status: 'matched', id: 'cgj', how: 'alias' });
    expect(matchedId('文明办')).toBe('wmb');
    expect(matchedId('交通局')).toBe('jtj');
    const own = buildUnitIndex(units, { aliases: { 公安分局: ['公安局'] } });
    expect(matchedId('公安分局', own)).toBe('gaj');
  });
  it('expands collective names to the units of their kind', () => {
    expect(matchUnitName(index, '各区')).toEqual({ status: 'group', text: '各区', group: 'districts', kinds: ['district'], ids: ['d1', 'd2'] });
    expect(matchUnitName(index, '各县（市、区）')).toMatchObject({ group: 'districts' });
    expect(matchUnitName(index, '各街道（乡镇）')).toMatchObject({ status: 'group', ids: ['s1', 's2'] });
    expect(unitGroupOf('各社区(村)')).toBe('communities');
    expect(unitGroupOf('市直各部门')).toBe('departments');
    expect(unitGroupOf('市教育局')).toBeNull();
  });
  it('refuses vague collective words', () => {
    expect(matchUnitName(index, '各有关部门')).toEqual({ status: 'unknown', text: '各有关部门', candidates: [], message: '「各有关部门」不是具体单位，请写出单位名称' });
  });
  it('offers the three closest units for an unknown name, by characters and pinyin', () => {
    const m = matchUnitName(index, '市交通运属局');
    expect(m.status).toBe('unknown');
    if (m.status !== 'unknown') return;
    expect(m.candidates).toHaveLength(3);
    expect(m.candidates[0]).toMatchObject({ id: 'jtj', name: '示范市交通运输局' });
    expect(m.candidates[0].score).toBeGreaterThan(m.candidates[1].score);
    expect(m.message).toBe(`未找到单位「市交通运属局」，是否为：${m.candidates.map((c) => c.name).join('、')}`);
  });
  it('reports names two units share instead of guessing', () => {
    const twice = buildUnitIndex([...units, { id: 'dup', name: '教育局', kind: 'department' }]);
    expect(twice.collisions).toContainEqual({ level: 'core', key: '教育局', units: [{ id: 'jyj', name: '示范市教育局' }, { id: 'dup', name: '教育局' }] });
    const m = matchUnitName(twice, '市教育局');
    expect(m.status).toBe('ambiguous');
    if (m.status === 'ambiguous') {
      expect(m.candidates.map((c) => c.id).sort()).toEqual(['dup', 'jyj']);
      expect(m.message).toContain('对应多个单位');
    }
    // the exact name still wins
    expect(matchedId('示范市教育局', twice)).toBe('jyj');
    expect(index.collisions).toEqual([]);
  });
  it('uses given city names when the city unit is not passed', () => {
    const idx = buildUnitIndex([{ id: 'a', name: '样板市民政局' }], { cityNames: ['样板市'] });
    expect(matchedId('市民政局', idx)).toBe('a');
    expect(matchedId('民政局', idx)).toBe('a');
  });
  it('finds every unit by its own name, normalised name and core (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...units.filter((u) => u.kind !== 'district' && u.kind !== 'city')), fc.constantFrom('', ' ', '（牵头）', '　'), (u, deco) => {
        expect(matchedId(u.name + deco)).toBe(u.id);
        expect(matchedId(u.name.replace('示范市', '市') + deco)).toBe(u.id);
      }),
    );
  });
  it('is deterministic and never throws on any text (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (s) => {
        const a = matchUnitName(index, s);
        expect(matchUnitName(index, s)).toEqual(a);
        if (a.status === 'unknown') expect(a.candidates.length).toBeLessThanOrEqual(3);
      }),
      { numRuns: 300 },
    );
  });
});

describe('closestUnits', () => {
  it('the pruned top three are the top three of all (property)', () => {
    const chars = '示范市区街道教育公安交通运输城管局文明办社区';
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...chars), { minLength: 1, maxLength: 8 }), (cs) => {
        const t = cs.join('');
        expect(closestUnits(index, t, 3)).toEqual(closestUnits(index, t).slice(0, 3));
      }),
      { numRuns: 300 },
    );
  });
});

describe('matchUnitCell', () => {
  it('splits, matches, expands groups and collects problems', () => {
    const r = matchUnitCell(index, '市教育局、各区；市城管局\n市教育局，不存在局');
    expect(r.names).toEqual(['市教育局', '各区', '市城管局', '不存在局']);
    expect(r.ids).toEqual(['jyj', 'd1', 'd2', 'cgj']);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatch(/^未找到单位「不存在局」/);
  });
  it('keeps bracketed lists together', () => {
    expect(matchUnitCell(index, '各县（市、区）、新华街道').ids).toEqual(['d1', 'd2', 's1']);
  });
  it('reports an empty group', () => {
    expect(matchUnitCell(buildUnitIndex([]), '各社区').problems).toEqual(['「各社区」下没有可用的单位']);
  });
});

describe('similarity', () => {
  it('edit distance', () => {
    expect(editDistance('教育局', '教委局')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', 'abc')).toBe(0);
  });
  it('pinyin brings homophones close', () => {
    expect(nameSimilarity('交通运输局', '交通运属局')).toBeGreaterThan(nameSimilarity('交通运输局', '交通运管局'));
    expect(nameSimilarity('a', 'a')).toBe(1);
  });
  it('edit distance is a metric (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), (a, b, c) => {
        expect(editDistance(a, b)).toBe(editDistance(b, a));
        expect(editDistance(a, c)).toBeLessThanOrEqual(editDistance(a, b) + editDistance(b, c));
        expect(editDistance(a, a)).toBe(0);
      }),
    );
  });
});
