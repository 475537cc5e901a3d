import { type SQL, sql } from 'drizzle-orm';
import type { MetricsGroupBy } from '../../../contracts/issue-metrics.ts';
import { DISPATCHED_STATES, type MetricCounts } from '../../../domain/issue-metrics.ts';
import { type Executor, rowsOf } from '../../db/client.ts';

/**
 * The metrics of domain/issue-metrics.ts as ONE aggregate pass over `issues`. The 应结案 set of a
 * period is two disjoint index ranges, each an index-only scan of a covering partial index
 * (migration 0013): issues closed in the period (issues_metrics_closed_idx; closed_at is set only
 * in state 已结案 and cleared by 回潮), and dispatched issues due in it that were not closed by its
 * end (issues_metrics_deadline_idx). Every metric is a FILTERed aggregate of that set, and
 * GROUPING SETS give the groups and the total (with its own exact p90) in the same pass. No event
 * is read: rework_count, relapse_count, closed_at and dispatched_at carry what the metrics need.
 * Units (for scope and district) and categories are joined by id from their small tables.
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
      return sql`d.responsible_unit_id`;
    case 'district':
      // the area's path is /<city>/<district>/…/: the district is the second id
      return sql`split_part(a.path, '/', 3)`;
    case 'category':
      return sql`coalesce(c.parent_id, c.id)`;
    case 'source':
      return sql`d.source`;
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
  const cols = sql`i.responsible_unit_id, i.area_unit_id, i.category_id, i.source, i.deadline, i.closed_at, i.dispatched_at, i.rework_count, i.relapse_count`;
  const needArea = !o.scope.isAll || o.groupBy === 'district';
  const joins = sql.join(
    [
      needArea ? sql`JOIN org_units a ON a.id = d.area_unit_id` : sql``,
      o.scope.isAll ? sql`` : sql`LEFT JOIN org_units r ON r.id = d.responsible_unit_id`,
      o.groupBy === 'category' ? sql`JOIN issue_categories c ON c.id = d.category_id` : sql``,
    ],
    sql` `,
  );
  const scope = o.scope.isAll ? sql`` : sql`WHERE (a.path LIKE ${`${o.scope.rootPath}%`} OR r.path LIKE ${`${o.scope.rootPath}%`})`;
  const sets = o.groupBy === 'none' ? sql`GROUPING SETS (())` : sql`GROUPING SETS ((g), ())`;
  // Every row of `due` was closed in the period or not by its end (the two branches), so
  // "closed in the period" is closed_at < to. The per-row facts are computed once (booleans and a
  // double, not numeric) and the aggregates only count them.
  const query = sql`
    WITH due AS (
      SELECT ${cols} FROM issues i
      WHERE i.closed_at >= ${from}::timestamptz AND i.closed_at < ${to}::timestamptz AND i.closed_at IS NOT NULL
      UNION ALL
      SELECT ${cols} FROM issues i
      WHERE i.deadline >= ${from}::timestamptz AND i.deadline < ${to}::timestamptz AND i.state IN (${states})
        AND (i.closed_at IS NULL OR i.closed_at >= ${to}::timestamptz)
    ), facts AS (
      SELECT ${groupExpr(o.groupBy)} AS g,
        d.closed_at < ${to}::timestamptz AS closed_in,
        d.closed_at < ${to}::timestamptz AND d.closed_at <= d.deadline AS on_time,
        d.rework_count > 0 AS rework,
        d.relapse_count > 0 AS relapse,
        (d.closed_at IS NULL OR d.closed_at >= ${to}::timestamptz) AND d.deadline < ${at}::timestamptz AS overdue_open,
        CASE WHEN d.closed_at < ${to}::timestamptz THEN date_part('epoch', d.closed_at - d.dispatched_at) / 3600 END AS h
      FROM due d ${joins} ${scope}
    )
    SELECT ${o.groupBy === 'none' ? sql`NULL::text AS g, 1` : sql`g, GROUPING(g)`} AS is_total,
      count(*) AS due,
      count(*) FILTER (WHERE closed_in) AS closed,
      count(*) FILTER (WHERE on_time) AS on_time,
      count(*) FILTER (WHERE rework) AS rework,
      count(*) FILTER (WHERE relapse) AS relapse,
      count(*) FILTER (WHERE overdue_open) AS overdue_open,
      avg(h) AS mean_hours,
      percentile_cont(0.9) WITHIN GROUP (ORDER BY h) AS p90_hours
    FROM facts
    GROUP BY ${sets}`;
  // JIT compilation costs more than it saves on a 100,000-row aggregate; the sort of the closed
  // issues' hours (p90) fits in memory. Both only for this statement's transaction.
  const res = await db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL jit = off`);
    await tx.execute(sql`SET LOCAL work_mem = '64MB'`);
    return tx.execute(query);
  });
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
