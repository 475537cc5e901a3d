/**
 * The tree of a 测评体系 (PRODUCT.md §3.2) as flat lists: tree order for display and export, and
 * how a search query matches a node's code. Pure.
 */

import { compareIndicatorCodes, parseIndicatorCode } from './evidence-number.ts';

export type TreeNode = { id: string; parentId: string | null; sort: number; code: string };

/**
 * Nodes in tree order: depth first, siblings by sort then by code (Ⅱ-10 after Ⅱ-9); a node whose
 * parent is not in the list is treated as a root.
 * treeOrder([{ id: 'c', parentId: 'a', sort: 1, code: 'Ⅰ-1' }, { id: 'a', parentId: null, sort: 1, code: 'Ⅰ' }]) → [a, c]
 */
export function treeOrder<T extends TreeNode>(nodes: readonly T[]): T[] {
  const children = new Map<string | null, T[]>();
  const ids = new Set(nodes.map((n) => n.id));
  for (const n of nodes) {
    const key = n.parentId && ids.has(n.parentId) ? n.parentId : null;
    const list = children.get(key);
    if (list) list.push(n);
    else children.set(key, [n]);
  }
  for (const list of children.values()) list.sort((a, b) => a.sort - b.sort || compareIndicatorCodes(a.code, b.code));
  const out: T[] = [];
  const walk = (parent: string | null) => {
    for (const n of children.get(parent) ?? []) {
      out.push(n);
      walk(n.id);
    }
  };
  walk(null);
  return out;
}

/** Lower case, full-width folded, without spaces: the form search compares. */
export const normalizeSearch = (s: string): string => s.normalize('NFKC').replace(/\s+/g, '').toLowerCase();

/**
 * Whether a node's code matches a search query. A query that reads as an indicator code is a
 * prefix by levels in either numeral style (3-2 finds Ⅲ-2 and Ⅲ-2-1, not Ⅲ-3-2); any other query
 * matches as a substring. codeMatchesQuery('Ⅲ-2-1', '3-2') → true
 */
export function codeMatchesQuery(code: string, query: string): boolean {
  const q = normalizeSearch(query);
  const b = parseIndicatorCode(q);
  if (!b.ok) return normalizeSearch(code).includes(q);
  const a = parseIndicatorCode(code);
  return a.ok && b.value.parts.length <= a.value.parts.length && b.value.parts.every((p, i) => a.value.parts[i] === p);
}
