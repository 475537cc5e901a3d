/**
 * A 测评体系, its task table and a year of monthly evidence for the benchmarks, generated inside
 * PostgreSQL (INSERT … SELECT over generate_series). Megacity (issue #3): 3,000 standards,
 * 50,000 tasks, 2,000,000 evidence items.
 */
import type { Database } from '../../server/db/client.ts';
import { type Query, withSeedSession } from './seed-session.ts';

export const INDICATORS_PER_SCALE = {
  small: { items: 4, contentsPerItem: 5, standardsPerContent: 5, tasks: 300 },
  city: { items: 8, contentsPerItem: 20, standardsPerContent: 6, tasks: 5_000 },
  megacity: { items: 10, contentsPerItem: 30, standardsPerContent: 10, tasks: 50_000 },
} as const;

/** A UUID v7 like server/lib/ids.ts makes, from a fixed instant and a key (deterministic, valid for z.uuid()). */
const uuidAt = (ms: number) => (key: string) =>
  `(lpad(to_hex(${ms}::bigint), 12, '0') || '7' || substr(md5(${key}), 1, 3) || '8' || substr(md5(${key}), 4, 15))::uuid`;

/** The twelve months of the evidence year: 2025-11 … 2026-10. */
const MONTHS = `SELECT m, to_char(d, 'YYYY-MM') AS key, d::date AS start, (d + interval '1 month' - interval '1 day')::date AS "end"
  FROM generate_series(1, 12) m CROSS JOIN LATERAL (SELECT date '2025-11-01' + (m - 1) * interval '1 month' AS d) x`;

export async function seedIndicators(
  database: Database,
  scale: keyof typeof INDICATORS_PER_SCALE,
  lap: (label: string) => void,
): Promise<{ standards: number; tasks: number; task_units: number; evidence_items: number }> {
  return withSeedSession(database, ['b_items', 'b_contents', 'b_standards', 'b_units', 'b_pairs'], (q) => generate(q, scale, lap));
}

async function generate(q: Query, scale: keyof typeof INDICATORS_PER_SCALE, lap: (label: string) => void) {
  // one instant for every id, so that later statements recompute the same ids from the same keys
  const uuid = uuidAt(Date.now());
  const s = INDICATORS_PER_SCALE[scale];
  const nContents = s.items * s.contentsPerItem;
  const nStandards = nContents * s.standardsPerContent;
  const sys = (await q<{ id: string }>(`SELECT ${uuid(`'bench-system'`)} AS id`)).rows[0].id;
  await q(`INSERT INTO indicator_systems (id, name, kind, year, edition, status, total_score, description)
    VALUES ($1, '基准市创建全国文明城市测评体系', 'main', 2026, 1, 'active', 1000, '基准数据')`, [sys]);
  // the tree: items Ⅰ…, contents i-j, standards i-j-k; paths /item/content/standard/
  await q(`CREATE TEMP TABLE b_items AS SELECT i, ${uuid(`'item' || i`)} AS id FROM generate_series(1, ${s.items}) i`);
  await q(`CREATE TEMP TABLE b_contents AS SELECT c, (c - 1) / ${s.contentsPerItem} + 1 AS i, (c - 1) % ${s.contentsPerItem} + 1 AS j, ${uuid(`'content' || c`)} AS id
    FROM generate_series(1, ${nContents}) c`);
  await q(`CREATE TEMP TABLE b_standards AS SELECT st, (st - 1) / ${s.standardsPerContent} + 1 AS c, (st - 1) % ${s.standardsPerContent} + 1 AS k, ${uuid(`'standard' || st`)} AS id
    FROM generate_series(1, ${nStandards}) st`);
  await q(`INSERT INTO indicator_nodes (id, system_id, parent_id, level, code, text, score, methods, materials, sort, path)
    SELECT id, $1, NULL, 'item', i::text, '测评项目' || i, 100, '[]'::jsonb, '', i, '/' || id || '/' FROM b_items`, [sys]);
  await q(`INSERT INTO indicator_nodes (id, system_id, parent_id, level, code, text, score, methods, materials, sort, path)
    SELECT c.id, $1, i.id, 'content', c.i || '-' || c.j, '测评内容' || c.i || '-' || c.j, 10, '[]'::jsonb, '', c.j, '/' || i.id || '/' || c.id || '/'
    FROM b_contents c JOIN b_items i ON i.i = c.i`, [sys]);
  await q(`INSERT INTO indicator_nodes (id, system_id, parent_id, level, code, text, score, methods, materials, sort, path)
    SELECT st.id, $1, c.id, 'standard', c.i || '-' || c.j || '-' || st.k, '测评标准' || c.i || '-' || c.j || '-' || st.k || '：建立工作台账，按月报送开展情况', 1,
      '["material","field"]'::jsonb, '工作方案、台账、图片资料', st.k, '/' || i.id || '/' || c.id || '/' || st.id || '/'
    FROM b_standards st JOIN b_contents c ON c.c = st.c JOIN b_items i ON i.i = c.i`, [sys]);
  lap(`indicator nodes ${s.items + nContents + nStandards}`);

  // tasks: round-robin over the standards; 3 units each, a 4th on every third task
  await q(`CREATE TEMP TABLE b_units AS SELECT (row_number() OVER (ORDER BY path))::int AS n, id, path FROM org_units
    WHERE kind IN ('department', 'street', 'community') AND is_active`);
  const nUnits = (await q<{ n: number }>(`SELECT count(*)::int AS n FROM b_units`)).rows[0].n;
  if (!nUnits) throw new Error('cannot seed tasks: no departments, streets or communities');
  await q(`INSERT INTO tasks (id, system_id, node_id, item_node_id, seq, title, lead_unit_id, deadline, deadline_text, phase, materials, status, percent)
    SELECT ${uuid(`'task' || g`)}, $1, st.id, i.id, g, '落实' || c.i || '-' || c.j || '-' || st.k || '：' || '按标准建立长效机制',
      u.id, date '2026-03-31' + (g % 270)::int, '', (ARRAY['mobilize', 'implement', 'improve', 'inspect'])[(g % 4 + 1)::int], '工作方案、台账',
      (ARRAY['not_started', 'in_progress', 'in_progress', 'done'])[(g * 7 % 4 + 1)::int], (g * 7 % 4) * 33
    FROM generate_series(1, ${s.tasks}) g
    JOIN b_standards st ON st.st = (g - 1) % ${nStandards} + 1 JOIN b_contents c ON c.c = st.c JOIN b_items i ON i.i = c.i
    JOIN b_units u ON u.n = (g * 7919) % ${nUnits} + 1`, [sys]);
  await q(`INSERT INTO task_units (id, task_id, unit_id, unit_path, role, status, percent)
    SELECT ${uuid(`'tu' || g || '-' || k`)}, ${uuid(`'task' || g`)}, u.id, u.path,
      CASE k WHEN 0 THEN 'lead' WHEN 3 THEN 'cooperating' ELSE 'responsible' END, 'in_progress', 50
    FROM generate_series(1, ${s.tasks}) g CROSS JOIN generate_series(0, 3) k
    JOIN b_units u ON u.n = (g * 7919 + k * 104729) % ${nUnits} + 1
    WHERE k < 3 OR g % 3 = 0
    ON CONFLICT (task_id, unit_id) DO NOTHING`);
  lap(`tasks ${s.tasks}`);

  // evidence: one monthly requirement per standard; an item per (standard, unit of its tasks, month)
  await q(`INSERT INTO evidence_requirements (id, system_id, standard_id, unit_id, recurrence, title, description, starts_on, ends_on)
    SELECT ${uuid(`'req' || st.st`)}, $1, st.id, NULL, 'monthly', '每月工作台账', '', date '2025-11-01', date '2026-10-31' FROM b_standards st`, [sys]);
  await q(`CREATE TEMP TABLE b_pairs AS
    SELECT DISTINCT t.node_id AS standard_id, t.item_node_id, tu.unit_id, tu.unit_path FROM tasks t JOIN task_units tu ON tu.task_id = t.id WHERE t.system_id = $1`, [sys]);
  const pairs = (await q<{ n: number }>(`SELECT count(*)::int AS n FROM b_pairs`)).rows[0].n;
  // older months mostly approved; the last months still open
  await q(`INSERT INTO evidence_items (id, requirement_id, system_id, standard_id, item_node_id, unit_id, unit_path, period_key, period_start, period_end, slot,
      title, state, submitted_at, reviewed_at, return_reason, created_at, updated_at)
    SELECT ${uuid(`p.standard_id::text || p.unit_id::text || m.key`)}, ${uuid(`'req' || st.st`)}, $1, p.standard_id, p.item_node_id, p.unit_id, p.unit_path, m.key, m.start, m."end", 1,
      CASE WHEN x.state = 'draft' THEN '' ELSE m.key || ' 工作台账' END, x.state,
      CASE WHEN x.state <> 'draft' THEN m."end" + interval '1 day' END,
      CASE WHEN x.state IN ('approved', 'returned') THEN m."end" + interval '4 days' END,
      CASE WHEN x.state = 'returned' THEN '材料不完整，请补充现场照片' END,
      m.start, m.start
    FROM b_pairs p JOIN b_standards st ON st.id = p.standard_id CROSS JOIN (${MONTHS}) m
    CROSS JOIN LATERAL (SELECT abs(hashtext(p.unit_id::text || m.key || p.standard_id::text)) % 100 AS h) hh
    CROSS JOIN LATERAL (SELECT CASE
      WHEN m.m <= 9 THEN CASE WHEN hh.h < 75 THEN 'approved' WHEN hh.h < 83 THEN 'returned' WHEN hh.h < 90 THEN 'submitted' ELSE 'draft' END
      ELSE CASE WHEN hh.h < 30 THEN 'approved' WHEN hh.h < 40 THEN 'returned' WHEN hh.h < 65 THEN 'submitted' ELSE 'draft' END END AS state) x`, [sys]);
  // numbers (Ⅱ-1-1)-① style in the app; plain codes here) for what was filed, per standard
  await q(`UPDATE evidence_items e SET seq = n.seq, number = n.code || ')-' || n.seq
    FROM (SELECT e2.id, row_number() OVER (PARTITION BY e2.standard_id ORDER BY e2.period_key, e2.unit_path) AS seq, nd.code
      FROM evidence_items e2 JOIN indicator_nodes nd ON nd.id = e2.standard_id WHERE e2.system_id = $1 AND e2.state <> 'draft') n
    WHERE e.id = n.id`, [sys]);
  await q(`INSERT INTO evidence_number_counters (standard_id, last)
    SELECT standard_id, max(seq) FROM evidence_items WHERE system_id = $1 AND seq IS NOT NULL GROUP BY 1
    ON CONFLICT (standard_id) DO UPDATE SET last = excluded.last`, [sys]);
  const counts = await q<{ t: number; tu: number; e: number }>(
    `SELECT (SELECT count(*) FROM tasks WHERE system_id = $1)::int AS t,
      (SELECT count(*) FROM task_units tu JOIN tasks t ON t.id = tu.task_id WHERE t.system_id = $1)::int AS tu,
      (SELECT count(*) FROM evidence_items WHERE system_id = $1)::int AS e`,
    [sys],
  );
  lap(`evidence items ${counts.rows[0].e} (${pairs} standard × unit pairs × 12 months)`);
  return { standards: nStandards, tasks: counts.rows[0].t, task_units: counts.rows[0].tu, evidence_items: counts.rows[0].e };
}
