import { describe, expect, it } from 'vitest';
import { clusterByGrid } from './cluster.ts';

describe('clusterByGrid (the issue map’s clustering)', () => {
  it('puts points of one screen cell in one cluster at their mean position', () => {
    const c = clusterByGrid(
      [
        { x: 10, y: 10, id: 'a' },
        { x: 30, y: 50, id: 'b' },
        { x: 200, y: 10, id: 'c' },
      ],
      56,
    );
    expect(c).toHaveLength(2);
    const pair = c.find((x) => x.items.length === 2)!;
    expect(pair.items.map((i) => i.id)).toEqual(['a', 'b']);
    expect(pair).toMatchObject({ x: 20, y: 30 });
    expect(c.find((x) => x.items.length === 1)!.items[0].id).toBe('c');
  });

  it('keeps every point exactly once, and separates neighbours across a cell border', () => {
    const pts = Array.from({ length: 500 }, (_, i) => ({ x: (i * 37) % 997, y: (i * 91) % 613, i }));
    const c = clusterByGrid(pts, 56);
    expect(c.reduce((n, x) => n + x.items.length, 0)).toBe(500);
    expect(new Set(c.flatMap((x) => x.items.map((p) => p.i))).size).toBe(500);
    expect(clusterByGrid([{ x: 55, y: 0 }, { x: 57, y: 0 }], 56)).toHaveLength(2);
    expect(clusterByGrid([], 56)).toEqual([]);
  });
});
