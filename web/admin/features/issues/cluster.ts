export type Cluster<T> = { items: T[]; x: number; y: number };

/**
 * Grid clustering in screen space: every item falls in a square cell of `cell` pixels; a cell
 * with several items becomes one cluster at their mean position. clusterByGrid([{x:1,y:1},{x:2,y:3}], 56)
 * → one cluster of two.
 */
export function clusterByGrid<T extends { x: number; y: number }>(points: T[], cell: number): Cluster<T>[] {
  const cells = new Map<string, T[]>();
  for (const p of points) {
    const key = `${Math.floor(p.x / cell)}:${Math.floor(p.y / cell)}`;
    const list = cells.get(key);
    if (list) list.push(p);
    else cells.set(key, [p]);
  }
  return [...cells.values()].map((items) => ({
    items,
    x: items.reduce((s, p) => s + p.x, 0) / items.length,
    y: items.reduce((s, p) => s + p.y, 0) / items.length,
  }));
}
