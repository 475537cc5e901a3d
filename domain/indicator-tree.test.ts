import { describe, expect, it } from 'vitest';
import { codeMatchesQuery, treeOrder } from './indicator-tree.ts';

describe('treeOrder', () => {
  it('walks depth first with siblings by sort, then by code in natural order', () => {
    const nodes = [
      { id: 's10', parentId: 'c1', sort: 0, code: 'Ⅱ-1-10' },
      { id: 'c1', parentId: 'i2', sort: 1, code: 'Ⅱ-1' },
      { id: 'i2', parentId: null, sort: 2, code: 'Ⅱ' },
      { id: 's9', parentId: 'c1', sort: 0, code: 'Ⅱ-1-9' },
      { id: 'i1', parentId: null, sort: 1, code: 'Ⅰ' },
      { id: 'c0', parentId: 'i1', sort: 1, code: 'Ⅰ-1' },
    ];
    expect(treeOrder(nodes).map((n) => n.id)).toEqual(['i1', 'c0', 'i2', 'c1', 's9', 's10']);
  });
  it('keeps nodes whose parent is missing (a filtered list) as roots', () => {
    expect(treeOrder([{ id: 'x', parentId: 'gone', sort: 1, code: 'Ⅲ-1' }]).map((n) => n.id)).toEqual(['x']);
  });
});

describe('codeMatchesQuery', () => {
  it('reads a code query as a prefix by levels in either numeral style', () => {
    expect(codeMatchesQuery('Ⅲ-2', '3-2')).toBe(true);
    expect(codeMatchesQuery('Ⅲ-2-1', '3-2')).toBe(true);
    expect(codeMatchesQuery('Ⅲ-3-2', '3-2')).toBe(false);
    expect(codeMatchesQuery('3-2-1', 'Ⅲ-2')).toBe(true);
    expect(codeMatchesQuery('Ⅲ', '3-2')).toBe(false);
  });
  it('matches other text as a substring', () => {
    expect(codeMatchesQuery('Ⅲ-2-1', '-2-')).toBe(true);
    expect(codeMatchesQuery('A-1', 'a-1')).toBe(true);
  });
});
