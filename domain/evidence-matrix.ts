/**
 * The completeness matrix (standard × unit × period) and its counting rules. Pure; the SQL in
 * server/modules/indicators/evidence/evidence.repo.ts computes the same counts in the database,
 * and its tests compare both on a fixture.
 *
 * Rules:
 *  - every due slot is one evidence item (requirements generate a 待提交 item per unit and
 *    period when the period begins; per-activity requirements add one item per activity);
 *  - due = all items of the cell; missing = those still 待提交 (nothing filed yet);
 *    submitted = 已提交 waiting for review; approved = 通过; returned = 退回 waiting for the unit;
 *    so due = missing + submitted + approved + returned;
 *  - a cell is complete when every due item is approved.
 */

import type { EvidenceState } from './evidence-flow.ts';

export type Counts = { due: number; missing: number; submitted: number; approved: number; returned: number };
export const ZERO: Counts = Object.freeze({ due: 0, missing: 0, submitted: 0, approved: 0, returned: 0 });

/** The colour of a cell: nothing due, everything approved, some 退回, some missing, or waiting for review. */
export type CellStatus = 'none' | 'complete' | 'returned' | 'missing' | 'pending';
export const CellStatusLabels: Record<CellStatus, string> = { none: '无要求', complete: '已完备', returned: '有退回', missing: '有缺失', pending: '待审核' };

export function cellStatus(c: Counts): CellStatus {
  if (c.due === 0) return 'none';
  if (c.approved === c.due) return 'complete';
  if (c.returned > 0) return 'returned';
  if (c.missing > 0) return 'missing';
  return 'pending';
}

/** Approved share of what is due, 0–1 (1 when nothing is due). */
export const completeness = (c: Counts): number => (c.due === 0 ? 1 : c.approved / c.due);

export function addCounts(a: Counts, b: Counts): Counts {
  return { due: a.due + b.due, missing: a.missing + b.missing, submitted: a.submitted + b.submitted, approved: a.approved + b.approved, returned: a.returned + b.returned };
}

/** The counts of one item in a given state. */
export function countsOfState(state: EvidenceState): Counts {
  return {
    due: 1,
    missing: state === 'draft' ? 1 : 0,
    submitted: state === 'submitted' ? 1 : 0,
    approved: state === 'approved' ? 1 : 0,
    returned: state === 'returned' ? 1 : 0,
  };
}

export type MatrixItem = { standardId: string; unitId: string; periodKey: string; state: EvidenceState };
export type CellKey = `${string}|${string}|${string}`;
export const cellKey = (standardId: string, unitId: string, periodKey: string): CellKey => `${standardId}|${unitId}|${periodKey}`;

/** The matrix of a list of items, cell by cell (the reference the SQL is checked against). */
export function tally(items: Iterable<MatrixItem>): Map<CellKey, Counts> {
  const out = new Map<CellKey, Counts>();
  for (const i of items) {
    const k = cellKey(i.standardId, i.unitId, i.periodKey);
    out.set(k, addCounts(out.get(k) ?? ZERO, countsOfState(i.state)));
  }
  return out;
}

/** Sums cells along one axis: by standard, by unit, or everything (key ''). */
export function rollUp<T extends Counts & { standardId: string; unitId: string }>(cells: Iterable<T>, by: 'standard' | 'unit' | 'all'): Map<string, Counts> {
  const out = new Map<string, Counts>();
  for (const c of cells) {
    const k = by === 'standard' ? c.standardId : by === 'unit' ? c.unitId : '';
    out.set(k, addCounts(out.get(k) ?? ZERO, c));
  }
  return out;
}
