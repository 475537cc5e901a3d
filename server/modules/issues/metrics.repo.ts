import { type SQL, sql } from 'drizzle-orm';
import type { MetricsGroupBy } from '../../../contracts/issue-metrics.ts';
import { DISPATCHED_STATES, type MetricCounts } from '../../../domain/issue-metrics.ts';
import { type Executor, rowsOf } from '../../db/client.ts';

/**
 * The metrics of domain/issue-metrics.ts as ONE aggregate pass over `issues`: the 应结案 set of a
 * period is two index ranges (issues_deadline_idx ∪ issues_closed_at_idx, a BitmapOr), every
 * metric is a FILTERed aggregate of that set, and GROUPING SETS give the groups and the total
 * (with its own exact p90) in the same pass. No event is read: rework_count, relapse_count,
 * closed_at and dispatched_at on the issue carry what the metrics need.
 */

/** Restricts the issues counted: an org path prefix matched against the issue's area or its responsible unit. */
export type MetricsScope = { isAll: true } | { isAll: false; rootPath: string };

export type UnitMetricsOptions = {
  /** [from, to) */
  from: Date;
  to: Date;
  /** the evaluation time for 超期未结 (default now) */
  now?: Date;
  /** 'none': only the total */
  groupBy: MetricsGroupBy | 'none';
  scope: MetricsScope;
};

export type GroupCounts = { key: string | null; counts: MetricCounts };
export type UnitMetricsResult = { rows: GroupCounts[]; total: MetricCounts; asOf: Date };

function groupExpr(by: MetricsGroupBy | 'none'): SQL {
  switch (by) {
    case 'unit':
      return sql`i.responsible_unit_id::text`;
    case 'district':
      // area_path is /<city>/<district>/…/: the district is the second id
      return sql`split_part(i.area_path, '/', 3)`;
    case 'category':
      return sql`coalesce(c.parent_id, c.id)::text`;
    case 'source':
      return sql`i.source`;
    case 'none':
      return sql`''`;
  }
}

type AggRow = {
  g: string | null;
  is_total: number;
  due: number | string;
  closed: number | string;
  on_time: number | string;
  rework: number | string;
  relapse: number | string;
  overdue_open: number | string;
  mean_hours: number | string | null;
  p90_hours: number | string | null;
};

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

/**
 * City-wide (or scoped) metrics of a period grouped by responsible unit, district, top category
 * or source: unitMetrics(db, { from, to, groupBy: 'unit', scope: { isAll: true } }). The keys are
 * ids (unit, district, category) or the source code; names are the service's business.
 */
export async function unitMetrics(db: Executor, o: UnitMetricsOptions): Promise<UnitMetricsResult> {
  const now = o.now ?? new Date();
  const asOf = new Date(Math.min(o.to.getTime(), now.getTime()));
  const from = o.from.toISOString();
  const to = o.to.toISOString();
  const at = asOf.toISOString();
  const states = sql.join(
    DISPATCHED_STATES.map((s) => sql`${s}`),
    sql`, `,
  );
  const scope = o.scope.isAll ? sql`` : sql`AND (i.area_path LIKE ${`${o.scope.rootPath}%`} OR i.responsible_path LIKE ${`${o.scope.rootPath}%`})`;
  const join = o.groupBy === 'category' ? sql`JOIN issue_categories c ON c.id = i.category_id` : sql``;
  const closedIn = sql`closed_at >= ${from}::timestamptz AND closed_at < ${to}::timestamptz`;
  const hours = sql`extract(epoch FROM closed_at - dispatched_at) / 3600.0`;
  const sets = o.groupBy === 'none' ? sql`GROUPING SETS (())` : sql`GROUPING SETS ((g), ())`;
  const res = await db.execute(sql`
    WITH due AS (
      SELECT ${groupExpr(o.groupBy)} AS g, i.deadline, i.closed_at, i.dispatched_at, i.rework_count, i.relapse_count
      FROM issues i ${join}
      WHERE i.state IN (${states})
        AND ((i.deadline >= ${from}::timestamptz AND i.deadline < ${to}::timestamptz AND (i.closed_at IS NULL OR i.closed_at >= ${from}::timestamptz))
          OR (i.closed_at >= ${from}::timestamptz AND i.closed_at < ${to}::timestamptz))
        ${scope}
    )
    SELECT ${o.groupBy === 'none' ? sql`NULL::text AS g, 1` : sql`g, GROUPING(g)`} AS is_total,
      count(*) AS due,
      count(*) FILTER (WHERE ${closedIn}) AS closed,
      count(*) FILTER (WHERE ${closedIn} AND closed_at <= deadline) AS on_time,
      count(*) FILTER (WHERE rework_count > 0) AS rework,
      count(*) FILTER (WHERE relapse_count > 0) AS relapse,
      count(*) FILTER (WHERE (closed_at IS NULL OR closed_at >= ${to}::timestamptz) AND deadline < ${at}::timestamptz) AS overdue_open,
      avg(${hours}) FILTER (WHERE ${closedIn} AND dispatched_at IS NOT NULL) AS mean_hours,
      percentile_cont(0.9) WITHIN GROUP (ORDER BY ${hours}) FILTER (WHERE ${closedIn} AND dispatched_at IS NOT NULL) AS p90_hours
    FROM due
    GROUP BY ${sets}`);
  const empty: MetricCounts = { due: 0, closed: 0, onTime: 0, rework: 0, overdueOpen: 0, relapse: 0, meanHours: null, p90Hours: null };
  let total = empty;
  const rows: GroupCounts[] = [];
  for (const r of rowsOf<AggRow>(res)) {
    const counts: MetricCounts = {
      due: Number(r.due),
      closed: Number(r.closed),
      onTime: Number(r.on_time),
      rework: Number(r.rework),
      overdueOpen: Number(r.overdue_open),
      relapse: Number(r.relapse),
      meanHours: num(r.mean_hours),
      p90Hours: num(r.p90_hours),
    };
    if (Number(r.is_total) === 1) total = counts;
    else rows.push({ key: r.g, counts });
  }
  return { rows, total, asOf };
}

/** Names of units (also districts) by id. */
export async function unitNames(db: Executor, ids: string[]): Promise<Map<string, string>> {
  const valid = ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
  if (!valid.length) return new Map();
  const res = await db.execute(sql`SELECT id::text AS id, name FROM org_units WHERE id IN (${sql.join(
    valid.map((id) => sql`${id}::uuid`),
    sql`, `,
  )})`);
  return new Map(rowsOf<{ id: string; name: string }>(res).map((r) => [r.id, r.name]));
}

export async function categoryNames(db: Executor): Promise<Map<string, string>> {
  const res = await db.execute(sql`SELECT id::text AS id, name FROM issue_categories`);
  return new Map(rowsOf<{ id: string; name: string }>(res).map((r) => [r.id, r.name]));
}
