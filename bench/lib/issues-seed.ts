/**
 * Issues and their event logs for the benchmarks, generated inside PostgreSQL (INSERT … SELECT
 * over generate_series): 2,000,000 issues and ~10,000,000 events at megacity scale would take
 * minutes to stream from Node, and seconds to build where the data lives.
 *
 * Every issue follows a path of domain/issue-flow.ts to its state (ISSUE_PATHS below; a test
 * replays each path through the flow), so the event log of every generated issue replays to the
 * stored state, like real data.
 */
import type { IssueAction, IssueState } from '../../contracts/issues.ts';
import type { Database } from '../../server/db/client.ts';
import { type Query, withSeedSession } from './seed-session.ts';

/** Issues per scale: PRODUCT.md §5 / issue #4 ask for 2,000,000 at megacity. */
export const ISSUES_PER_SCALE = { small: 2_000, city: 100_000, megacity: 2_000_000 } as const;

type Path = { state: IssueState; rework: boolean; share: number; actions: IssueAction[] };

const TO_CLOSE: IssueAction[] = ['report', 'accept', 'dispatch', 'sign', 'feedback', 'verifyPass', 'close'];

/** The mix of final states (shares in percent, summing to 100) and the actions that lead to each. */
export const ISSUE_PATHS: Path[] = [
  { state: 'closed', rework: false, share: 46, actions: TO_CLOSE },
  { state: 'closed', rework: true, share: 4, actions: ['report', 'accept', 'dispatch', 'sign', 'feedback', 'verifyFail', 'feedback', 'verifyPass', 'close'] },
  { state: 'rejected', rework: false, share: 5, actions: ['report', 'reject'] },
  { state: 'reported', rework: false, share: 5, actions: ['report'] },
  { state: 'accepted', rework: false, share: 3, actions: ['report', 'accept'] },
  { state: 'dispatched', rework: false, share: 10, actions: ['report', 'accept', 'dispatch'] },
  { state: 'rectifying', rework: false, share: 15, actions: ['report', 'accept', 'dispatch', 'sign'] },
  { state: 'feedback', rework: false, share: 7, actions: ['report', 'accept', 'dispatch', 'sign', 'feedback'] },
  { state: 'returned', rework: false, share: 2, actions: ['report', 'accept', 'dispatch', 'return'] },
  { state: 'verified', rework: false, share: 1, actions: ['report', 'accept', 'dispatch', 'sign', 'feedback', 'verifyPass'] },
  { state: 'merged', rework: false, share: 2, actions: ['report', 'merge'] },
];

const SOURCES = ['inspection', 'grid', 'citizen', 'supervisor', 'media', 'assessment', 'self_check'];
const TITLES = ['乱堆乱放', '占道经营', '公益广告破损', '共享单车乱停放', '垃圾桶满溢', '路面破损', '乱张贴小广告', '绿化带缺株', '井盖缺失', '道路积水', '不文明养犬', '餐饮油烟扰民'];

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The per-step rows of ISSUE_PATHS as a VALUES list: (bucket_from, bucket_to, rework, k, action, from_state, to_state). */
function pathValues(): { buckets: string; steps: string } {
  let lo = 0;
  const buckets: string[] = [];
  const steps: string[] = [];
  ISSUE_PATHS.forEach((p, idx) => {
    buckets.push(`(${idx}, ${lo}, ${lo + p.share}, ${lit(p.state)}, ${p.rework})`);
    lo += p.share;
    let state: IssueState | null = null;
    p.actions.forEach((a, k) => {
      const to = nextState(a, state);
      steps.push(`(${idx}, ${k + 1}, ${lit(a)}, ${state ? lit(state) : 'NULL'}, ${lit(to)})`);
      state = to;
    });
  });
  if (lo !== 100) throw new Error(`ISSUE_PATHS shares sum to ${lo}, not 100`);
  return { buckets: buckets.join(',\n'), steps: steps.join(',\n') };
}

/** The state after an action along the generated paths (checked against the flow by bench/issues-seed.test.ts). */
export function nextState(a: IssueAction, from: IssueState | null): IssueState {
  const to: Partial<Record<IssueAction, IssueState>> = {
    report: 'reported',
    accept: 'accepted',
    reject: 'rejected',
    merge: 'merged',
    dispatch: 'dispatched',
    sign: 'rectifying',
    return: 'returned',
    feedback: 'feedback',
    verifyPass: 'verified',
    verifyFail: 'rectifying',
    close: 'closed',
  };
  const s = to[a];
  if (!s) throw new Error(`no generated path uses ${a} (from ${from})`);
  return s;
}

/**
 * Inserts `total` issues spread over the past 365 days across the city's points, the second-level
 * categories, the sources and the responsible units of each point (a department where it has
 * one), with their events, in batches (progress through `lap`).
 */
export async function seedIssues(database: Database, total: number, lap: (label: string) => void): Promise<{ issues: number; events: number }> {
  return withSeedSession(database, ['bench_paths', 'bench_steps', 'bench_points', 'bench_categories', 'bench_reporters'], (q) => generate(q, total, lap));
}

async function generate(q: Query, total: number, lap: (label: string) => void): Promise<{ issues: number; events: number }> {
  const { buckets, steps } = pathValues();
  await q(`CREATE TEMP TABLE bench_paths (idx int PRIMARY KEY, lo int, hi int, state text, rework boolean)`);
  await q(`INSERT INTO bench_paths VALUES ${buckets}`);
  await q(`CREATE TEMP TABLE bench_steps (idx int, k int, action text, from_state text, to_state text, PRIMARY KEY (idx, k))`);
  await q(`INSERT INTO bench_steps VALUES ${steps}`);
  await q(`CREATE TEMP TABLE bench_points AS
    SELECT (row_number() OVER (ORDER BY p.id))::int AS n, p.id, p.area_unit_id, p.area_path, p.grid_id, p.lng, p.lat, p.address,
      coalesce(ru.id, p.area_unit_id) AS ru_id, coalesce(ru.path, p.area_path) AS ru_path
    FROM points p
    LEFT JOIN LATERAL (SELECT u.id, u.path FROM point_units pu JOIN org_units u ON u.id = pu.unit_id
      WHERE pu.point_id = p.id ORDER BY (u.kind = 'department') DESC, u.path LIMIT 1) ru ON true`);
  await q(`CREATE TEMP TABLE bench_categories AS
    SELECT (row_number() OVER (ORDER BY code))::int AS n, id, time_limit_days FROM issue_categories WHERE parent_id IS NOT NULL`);
  await q(`CREATE TEMP TABLE bench_reporters AS
    SELECT (row_number() OVER (ORDER BY username))::int AS n, id FROM users WHERE username LIKE 'wangge%' OR username LIKE 'ducha%'`);
  const counts = await q<{ p: number; c: number; r: number }>(
    `SELECT (SELECT count(*) FROM bench_points)::int AS p, (SELECT count(*) FROM bench_categories)::int AS c, (SELECT count(*) FROM bench_reporters)::int AS r`,
  );
  const { p, c, r } = counts.rows[0];
  if (!p || !c || !r) throw new Error(`cannot seed issues: ${p} points, ${c} categories, ${r} reporters`);

  // one fixed "now", so that the events' statement recomputes each issue's id and time exactly
  const base = new Date().toISOString();
  const createdAt = `($3::timestamptz - make_interval(days => (g % 365)::int, mins => ((g * 17) % 1440)::int))`;
  // a UUID v7 like server/lib/ids.ts makes: 48-bit milliseconds, version 7, variant 10, then hash bits
  const idOf = (ts: string) =>
    `(lpad(to_hex((extract(epoch FROM ${ts}) * 1000)::bigint), 12, '0') || '7' || substr(md5(g::text), 1, 3) || '8' || substr(md5(g::text), 4, 15))::uuid`;
  const pathOf = `JOIN bench_paths pth ON (g * 37) % 100 >= pth.lo AND (g * 37) % 100 < pth.hi`;
  const batch = 100_000;
  for (let from = 1; from <= total; from += batch) {
    const to = Math.min(total, from + batch - 1);
    // g → deterministic pseudo-random picks by multiplicative hashing (no random(): reproducible)
    await q(
      `INSERT INTO issues (id, number, source, category_id, severity, title, description, point_id, grid_id, area_unit_id, area_path,
         address, lng, lat, reporter_id, responsible_unit_id, responsible_path, dispatched_at, deadline, state, rework_count, relapse_count,
         version, created_at, updated_at, closed_at)
       SELECT
         ${idOf('x.created_at')},
         'WT' || to_char(($3::timestamptz - make_interval(days => (g % 365)::int)) AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || '-' || lpad((g / 365 + 1)::text, 6, '0'),
         (ARRAY[${SOURCES.map(lit).join(',')}])[(1 + (g * 7) % ${SOURCES.length})::int],
         bc.id,
         CASE WHEN g % 20 = 0 THEN 'urgent' WHEN g % 7 = 0 THEN 'serious' ELSE 'normal' END,
         (ARRAY[${TITLES.map(lit).join(',')}])[(1 + (g * 13) % ${TITLES.length})::int],
         '基准数据：' || bp.address,
         bp.id, bp.grid_id, bp.area_unit_id, bp.area_path, bp.address, bp.lng, bp.lat,
         br.id,
         CASE WHEN x.dispatched THEN bp.ru_id END,
         CASE WHEN x.dispatched THEN bp.ru_path END,
         CASE WHEN x.dispatched THEN x.created_at + interval '18 hours' END,
         CASE WHEN x.dispatched THEN x.created_at + interval '18 hours' + make_interval(days => bc.time_limit_days) END,
         pth.state,
         CASE WHEN pth.rework THEN 1 ELSE 0 END,
         0,
         (SELECT count(*) FROM bench_steps s WHERE s.idx = pth.idx)::int,
         x.created_at,
         x.created_at + (SELECT count(*) - 1 FROM bench_steps s WHERE s.idx = pth.idx) * interval '9 hours',
         CASE WHEN pth.state = 'closed' THEN x.created_at + (SELECT count(*) - 1 FROM bench_steps s WHERE s.idx = pth.idx) * interval '9 hours' END
       FROM generate_series($1::bigint, $2::bigint) g
       ${pathOf}
       JOIN bench_points bp ON bp.n = 1 + (g * 7919) % ${p}
       JOIN bench_categories bc ON bc.n = 1 + (g * 31) % ${c}
       JOIN bench_reporters br ON br.n = 1 + (g * 104729) % ${r}
       CROSS JOIN LATERAL (SELECT ${createdAt} AS created_at,
         pth.state NOT IN ('reported', 'accepted', 'rejected', 'merged') AS dispatched) x`,
      [from, to, base],
    );
    await q(
      `INSERT INTO issue_events (issue_id, action, from_state, to_state, actor_id, note, data, at)
       SELECT ${idOf(createdAt)}, s.action, s.from_state, s.to_state, br.id,
         CASE s.action WHEN 'reject' THEN '不属于受理范围' WHEN 'return' THEN '不属于本单位职责' WHEN 'verifyFail' THEN '现场仍有垃圾，整改不到位' END,
         CASE WHEN s.action = 'dispatch' THEN jsonb_build_object('unitId', bp.ru_id) ELSE '{}'::jsonb END,
         ${createdAt} + (s.k - 1) * interval '9 hours'
       FROM generate_series($1::bigint, $2::bigint) g
       ${pathOf}
       JOIN bench_points bp ON bp.n = 1 + (g * 7919) % ${p}
       JOIN bench_reporters br ON br.n = 1 + (g * 104729) % ${r}
       JOIN bench_steps s ON s.idx = pth.idx
       ORDER BY g, s.k`,
      [from, to, base],
    );
    lap(`issues ${to.toLocaleString('en-US')}`);
  }
  await q(`INSERT INTO issue_day_counters (day, last) ${DAY_COUNTERS_SQL}`);
  const n = await q<{ i: number; e: number }>(`SELECT (SELECT count(*) FROM issues)::int AS i, (SELECT count(*) FROM issue_events)::int AS e`);
  return { issues: n.rows[0].i, events: n.rows[0].e };
}

/** The per-day number counters after the generated numbers, so that issues filed later get fresh numbers. */
const DAY_COUNTERS_SQL = `SELECT to_date(substr(number, 3, 8), 'YYYYMMDD'), max(substr(number, 12)::int) FROM issues WHERE number ~ '^WT[0-9]{8}-[0-9]+$' GROUP BY 1
    ON CONFLICT (day) DO UPDATE SET last = greatest(issue_day_counters.last, excluded.last)`;
export async function syncDayCounters(database: Database): Promise<void> {
  await database.query(`INSERT INTO issue_day_counters (day, last) ${DAY_COUNTERS_SQL}`);
}

/**
 * Removes the issues a benchmark filed since `since` under `title`, with their events and audit
 * entries, so that repeated runs measure the same data (a filing run adds some ten thousand
 * 已上报 issues to one district's queue). The event and audit tables refuse DELETE by trigger:
 * like the seed, this runs with `session_replication_role = replica` (bench data only).
 */
export async function removeBenchFilings(database: Database, title: string, since: Date): Promise<number> {
  return withSeedSession(database, [], async (q) => {
    await q(`BEGIN`);
    const { rows } = await q<{ id: string }>(`SELECT id FROM issues WHERE title = $1 AND created_at >= $2`, [title, since]);
    const ids = rows.map((r) => r.id);
    await q(`DELETE FROM issue_events WHERE issue_id = ANY($1::uuid[])`, [ids]);
    await q(`DELETE FROM audit_log WHERE entity = 'issue' AND entity_id = ANY($1::text[])`, [ids]);
    await q(`DELETE FROM issues WHERE id = ANY($1::uuid[])`, [ids]);
    await q(`COMMIT`);
    return ids.length;
  });
}
