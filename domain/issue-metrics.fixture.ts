import type { MetricIssue } from './issue-metrics.ts';

/**
 * A hand-counted fixture for the issue metrics, shared by the pure unit test
 * (domain/issue-metrics.test.ts) and the SQL test (server/modules/issues/metrics.int.test.ts).
 * Times are Beijing time. "Now" is 2026-11-21 12:00.
 */

export const FIXTURE_NOW = new Date('2026-11-21T12:00:00+08:00');

export type FixtureIssue = MetricIssue & {
  key: string;
  /** the responsible unit (letter), the source and the top category (letter) for grouping */
  unit: 'u1' | 'u2' | 'u3';
  source: 'inspection' | 'grid' | 'citizen';
  category: 'c1' | 'c2';
  /** for the district grouping: the area's district */
  district: 'd1' | 'd2';
};

const t = (s: string | null) => (s === null ? null : new Date(`${s}+08:00`));

function issue(
  key: string,
  state: string,
  deadline: string | null,
  closedAt: string | null,
  dispatchedAt: string | null,
  reworkCount: number,
  relapseCount: number,
  unit: FixtureIssue['unit'],
  source: FixtureIssue['source'],
  category: FixtureIssue['category'],
  district: FixtureIssue['district'],
): FixtureIssue {
  return { key, state, deadline: t(deadline), closedAt: t(closedAt), dispatchedAt: t(dispatchedAt), reworkCount, relapseCount, unit, source, category, district };
}

export const FIXTURE: FixtureIssue[] = [
  // November: 应结案 A B C D E M N O
  issue('A', 'closed', '2026-11-10T18:00:00', '2026-11-08T08:00:00', '2026-11-05T08:00:00', 0, 0, 'u1', 'inspection', 'c1', 'd1'), // closed on time, 72 h
  issue('B', 'closed', '2026-11-05T18:00:00', '2026-11-12T08:00:00', '2026-11-01T08:00:00', 1, 0, 'u1', 'grid', 'c1', 'd1'), // closed late, 264 h, reworked
  issue('C', 'rectifying', '2026-11-15T18:00:00', null, '2026-11-10T09:00:00', 2, 0, 'u1', 'grid', 'c2', 'd2'), // overdue, reworked twice
  issue('D', 'rectifying', '2026-11-25T18:00:00', null, '2026-11-18T09:00:00', 0, 0, 'u2', 'citizen', 'c2', 'd2'), // due later this month, not overdue yet
  issue('E', 'closed', '2026-12-10T18:00:00', '2026-11-20T08:00:00', '2026-11-19T20:00:00', 0, 1, 'u2', 'citizen', 'c1', 'd1'), // closed early (deadline in December), 12 h, 回潮 before
  issue('M', 'dispatched', '2026-11-20T23:00:00', null, null, 0, 0, 'u2', 'inspection', 'c1', 'd2'), // overdue, never signed, no dispatch time
  issue('N', 'verified', '2026-11-16T18:00:00', null, '2026-11-02T10:00:00', 0, 1, 'u3', 'grid', 'c2', 'd1'), // overdue (verified but not closed), 回潮
  issue('O', 'closed', '2026-11-20T08:00:00', '2026-11-20T08:00:00', '2026-11-18T08:00:00', 0, 0, 'u3', 'inspection', 'c1', 'd2'), // closed at the deadline minute: on time, 48 h
  // October: 应结案 F G J
  issue('F', 'closed', '2026-11-03T18:00:00', '2026-10-30T08:00:00', '2026-10-28T08:00:00', 0, 0, 'u1', 'grid', 'c1', 'd1'), // closed in October ahead of a November deadline, 48 h
  issue('G', 'closed', '2026-10-20T18:00:00', '2026-10-25T08:00:00', null, 0, 0, 'u2', 'citizen', 'c2', 'd2'), // closed late, no dispatch time
  issue('J', 'feedback', '2026-10-28T18:00:00', null, '2026-10-21T08:00:00', 1, 0, 'u3', 'citizen', 'c2', 'd1'), // still open from October
  // never 应结案
  issue('H', 'rejected', '2026-11-10T18:00:00', null, null, 0, 0, 'u1', 'citizen', 'c1', 'd1'), // 不予立案
  issue('I', 'returned', '2026-11-12T18:00:00', null, '2026-11-08T08:00:00', 0, 0, 'u2', 'grid', 'c1', 'd2'), // 回退 to the dispatcher
  issue('K', 'accepted', '2026-11-14T18:00:00', null, null, 0, 0, 'u3', 'grid', 'c2', 'd2'), // 已立案, not dispatched
];

/** Hand-counted expectations. */
export const EXPECTED = {
  november: {
    total: { due: 8, closed: 4, onTime: 3, rework: 2, overdueOpen: 3, relapse: 2, meanHours: 99, p90Hours: 206.4, closedRate: 0.5, onTimeRate: 0.375, reworkRate: 0.25 },
    byUnit: {
      u1: { due: 3, closed: 2, onTime: 1, rework: 2, overdueOpen: 1, relapse: 0, meanHours: 168, p90Hours: 244.8 }, // A B C
      u2: { due: 3, closed: 1, onTime: 1, rework: 0, overdueOpen: 1, relapse: 1, meanHours: 12, p90Hours: 12 }, // D E M
      u3: { due: 2, closed: 1, onTime: 1, rework: 0, overdueOpen: 1, relapse: 1, meanHours: 48, p90Hours: 48 }, // N O
    },
    bySource: {
      inspection: { due: 3, closed: 2, onTime: 2, overdueOpen: 1 }, // A M O
      grid: { due: 3, closed: 1, onTime: 0, overdueOpen: 2 }, // B C N
      citizen: { due: 2, closed: 1, onTime: 1, overdueOpen: 0 }, // D E
    },
    byCategory: {
      c1: { due: 5, closed: 4 }, // A B E M O
      c2: { due: 3, closed: 0 }, // C D N
    },
    byDistrict: {
      d1: { due: 4, closed: 3 }, // A B E N
      d2: { due: 4, closed: 1 }, // C D M O
    },
  },
  october: {
    total: { due: 3, closed: 2, onTime: 1, rework: 1, overdueOpen: 1, relapse: 0, meanHours: 48, p90Hours: 48 },
  },
} as const;
