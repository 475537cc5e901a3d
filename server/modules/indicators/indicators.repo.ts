import { type SQL, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { IndicatorSystemKind, IndicatorSystemStatus } from '../../../contracts/indicators.ts';
import { type Executor, rowsOf } from '../../db/client.ts';
import { indicatorNodeHistory, indicatorNodes, indicatorSystems } from './indicators.tables.ts';

export type SystemRow = typeof indicatorSystems.$inferSelect;
export type NodeRow = typeof indicatorNodes.$inferSelect;
export type NodeInsert = typeof indicatorNodes.$inferInsert;
export type HistoryInsert = typeof indicatorNodeHistory.$inferInsert;

/** Inserts in chunks: PostgreSQL takes at most 65,535 parameters per statement. */
export async function insertChunked<T extends PgTable>(db: Executor, table: T, rows: T['$inferInsert'][], chunk = 1000): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) await db.insert(table).values(rows.slice(i, i + chunk));
}

export type SystemViewRow = {
  id: string;
  name: string;
  kind: IndicatorSystemKind;
  year: number;
  edition: number;
  status: IndicatorSystemStatus;
  total_score: number | null;
  description: string;
  copied_from_id: string | null;
  copied_from_name: string | null;
  items: number;
  contents: number;
  standards: number;
  tasks: number;
  score_sum: number;
  version: number;
  created_at: string | Date;
  updated_at: string | Date;
};

const systemView = (where: SQL) => sql`
  SELECT s.id, s.name, s.kind, s.year, s.edition, s.status, s.total_score, s.description, s.copied_from_id, c.name AS copied_from_name,
    (SELECT count(*)::int FROM indicator_nodes n WHERE n.system_id = s.id AND n.is_active AND n.level = 'item') AS items,
    (SELECT count(*)::int FROM indicator_nodes n WHERE n.system_id = s.id AND n.is_active AND n.level = 'content') AS contents,
    (SELECT count(*)::int FROM indicator_nodes n WHERE n.system_id = s.id AND n.is_active AND n.level = 'standard') AS standards,
    (SELECT count(*)::int FROM tasks t WHERE t.system_id = s.id) AS tasks,
    (SELECT coalesce(sum(n.score), 0)::float8 FROM indicator_nodes n WHERE n.system_id = s.id AND n.is_active AND n.level = 'standard') AS score_sum,
    s.version, s.created_at, s.updated_at
  FROM indicator_systems s LEFT JOIN indicator_systems c ON c.id = s.copied_from_id
  WHERE ${where}`;

export async function listSystems(db: Executor, f: { year?: number; kind?: string; status?: string }): Promise<SystemViewRow[]> {
  const where: SQL[] = [sql`true`];
  if (f.year) where.push(sql`s.year = ${f.year}`);
  if (f.kind) where.push(sql`s.kind = ${f.kind}`);
  if (f.status) where.push(sql`s.status = ${f.status}`);
  return rowsOf<SystemViewRow>(await db.execute(sql`${systemView(sql.join(where, sql` AND `))} ORDER BY s.year DESC, s.kind, s.edition DESC, s.created_at DESC`));
}

export async function getSystemView(db: Executor, id: string): Promise<SystemViewRow | undefined> {
  return rowsOf<SystemViewRow>(await db.execute(systemView(sql`s.id = ${id}`)))[0];
}

export async function getSystem(db: Executor, id: string, forUpdate = false): Promise<SystemRow | undefined> {
  const r = await db.execute(sql`SELECT * FROM indicator_systems WHERE id = ${id} ${forUpdate ? sql`FOR UPDATE` : sql``}`);
  const row = rowsOf<Record<string, unknown>>(r)[0];
  return row ? systemFromRaw(row) : undefined;
}

const systemFromRaw = (r: Record<string, unknown>): SystemRow => ({
  id: r.id as string,
  name: r.name as string,
  kind: r.kind as string,
  year: r.year as number,
  edition: r.edition as number,
  status: r.status as string,
  totalScore: r.total_score as number | null,
  description: r.description as string,
  copiedFromId: r.copied_from_id as string | null,
  createdBy: r.created_by as string | null,
  version: r.version as number,
  createdAt: new Date(r.created_at as string),
  updatedAt: new Date(r.updated_at as string),
});

/** The next edition of a system's lineage (the first system and all copies of copies) in a year: 1 when the lineage has none that year. */
export async function nextEditionInLineage(db: Executor, systemId: string, year: number): Promise<number> {
  const r = rowsOf<{ n: number }>(
    await db.execute(sql`
      WITH RECURSIVE up AS (
        SELECT id, copied_from_id FROM indicator_systems WHERE id = ${systemId}
        UNION ALL SELECT s.id, s.copied_from_id FROM indicator_systems s JOIN up ON s.id = up.copied_from_id
      ), down AS (
        SELECT id, edition, year FROM indicator_systems WHERE id IN (SELECT id FROM up WHERE copied_from_id IS NULL)
        UNION ALL SELECT s.id, s.edition, s.year FROM indicator_systems s JOIN down ON s.copied_from_id = down.id
      )
      SELECT coalesce(max(edition), 0)::int + 1 AS n FROM down WHERE year = ${year}`),
  );
  return r[0].n;
}

export async function insertSystem(db: Executor, row: typeof indicatorSystems.$inferInsert): Promise<void> {
  await db.insert(indicatorSystems).values(row);
}

/** Applies `set` when the version matches; returns false when it did not (stale). */
export async function updateSystem(db: Executor, id: string, version: number, set: Partial<Pick<SystemRow, 'name' | 'status' | 'totalScore' | 'description'>>): Promise<boolean> {
  const parts: SQL[] = [sql`version = version + 1`, sql`updated_at = now()`];
  if (set.name !== undefined) parts.push(sql`name = ${set.name}`);
  if (set.status !== undefined) parts.push(sql`status = ${set.status}`);
  if (set.totalScore !== undefined) parts.push(sql`total_score = ${set.totalScore}`);
  if (set.description !== undefined) parts.push(sql`description = ${set.description}`);
  const r = await db.execute(sql`UPDATE indicator_systems SET ${sql.join(parts, sql`, `)} WHERE id = ${id} AND version = ${version} RETURNING id`);
  return rowsOf(r).length === 1;
}

/** Marks the system changed (its version moves on) when its tree or tasks were written, so a stale import token is noticed. */
export async function touchSystem(db: Executor, id: string): Promise<void> {
  await db.execute(sql`UPDATE indicator_systems SET version = version + 1, updated_at = now() WHERE id = ${id}`);
}

// ─── nodes ────────────────────────────────────────────────────────────────────

export type NodeViewRow = NodeRow & { taskCount: number };

const nodeFromRaw = (r: Record<string, unknown>): NodeViewRow => ({
  id: r.id as string,
  systemId: r.system_id as string,
  parentId: r.parent_id as string | null,
  level: r.level as string,
  code: r.code as string,
  text: r.text as string,
  score: r.score as number | null,
  methods: r.methods as string[],
  materials: r.materials as string,
  sort: r.sort as number,
  path: r.path as string,
  isActive: r.is_active as boolean,
  version: r.version as number,
  createdAt: new Date(r.created_at as string),
  updatedAt: new Date(r.updated_at as string),
  taskCount: (r.task_count as number | undefined) ?? 0,
});

/** The nodes of a system with their task counts, unordered (the service orders the tree). */
export async function listNodes(db: Executor, systemId: string, includeInactive: boolean): Promise<NodeViewRow[]> {
  const r = await db.execute(sql`
    SELECT n.*, coalesce(tc.n, 0)::int AS task_count
    FROM indicator_nodes n
    LEFT JOIN (SELECT node_id, count(*) AS n FROM tasks WHERE system_id = ${systemId} GROUP BY node_id) tc ON tc.node_id = n.id
    WHERE n.system_id = ${systemId} ${includeInactive ? sql`` : sql`AND n.is_active`}`);
  return rowsOf<Record<string, unknown>>(r).map(nodeFromRaw);
}

export async function getNode(db: Executor, id: string, forUpdate = false): Promise<NodeViewRow | undefined> {
  const r = await db.execute(sql`SELECT n.*, (SELECT count(*)::int FROM tasks t WHERE t.node_id = n.id) AS task_count FROM indicator_nodes n WHERE n.id = ${id} ${forUpdate ? sql`FOR UPDATE OF n` : sql``}`);
  const row = rowsOf<Record<string, unknown>>(r)[0];
  return row ? nodeFromRaw(row) : undefined;
}

export async function getNodesByIds(db: Executor, ids: readonly string[]): Promise<NodeRow[]> {
  if (ids.length === 0) return [];
  const r = await db.execute(sql`SELECT n.* FROM indicator_nodes n WHERE n.id IN (${sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  )})`);
  return rowsOf<Record<string, unknown>>(r).map(nodeFromRaw);
}

export async function activeCodeTaken(db: Executor, systemId: string, code: string, exceptId: string | null): Promise<boolean> {
  const r = await db.execute(
    sql`SELECT 1 FROM indicator_nodes WHERE system_id = ${systemId} AND is_active AND code = ${code} ${exceptId ? sql`AND id <> ${exceptId}` : sql``} LIMIT 1`,
  );
  return rowsOf(r).length > 0;
}

export async function maxSort(db: Executor, systemId: string, parentId: string | null): Promise<number> {
  const r = await db.execute(
    sql`SELECT coalesce(max(sort), 0)::int AS m FROM indicator_nodes WHERE system_id = ${systemId} AND ${parentId ? sql`parent_id = ${parentId}` : sql`parent_id IS NULL`}`,
  );
  return rowsOf<{ m: number }>(r)[0].m;
}

export const insertNodes = (db: Executor, rows: NodeInsert[]) => insertChunked(db, indicatorNodes, rows);
export const insertHistory = (db: Executor, rows: HistoryInsert[]) => insertChunked(db, indicatorNodeHistory, rows);

export async function updateNode(
  db: Executor,
  id: string,
  version: number,
  set: Partial<Pick<NodeRow, 'code' | 'text' | 'score' | 'methods' | 'materials' | 'sort' | 'isActive'>>,
): Promise<boolean> {
  const parts: SQL[] = [sql`version = version + 1`, sql`updated_at = now()`];
  if (set.code !== undefined) parts.push(sql`code = ${set.code}`);
  if (set.text !== undefined) parts.push(sql`text = ${set.text}`);
  if (set.score !== undefined) parts.push(sql`score = ${set.score}`);
  if (set.methods !== undefined) parts.push(sql`methods = ${JSON.stringify(set.methods)}::jsonb`);
  if (set.materials !== undefined) parts.push(sql`materials = ${set.materials}`);
  if (set.sort !== undefined) parts.push(sql`sort = ${set.sort}`);
  if (set.isActive !== undefined) parts.push(sql`is_active = ${set.isActive}`);
  const r = await db.execute(sql`UPDATE indicator_nodes SET ${sql.join(parts, sql`, `)} WHERE id = ${id} AND version = ${version} RETURNING id`);
  return rowsOf(r).length === 1;
}

/** Sets is_active on the active/inactive descendants of a node (not the node itself); returns the changed rows as they were. */
export async function setDescendantsActive(db: Executor, systemId: string, path: string, active: boolean): Promise<NodeRow[]> {
  const r = await db.execute(sql`
    UPDATE indicator_nodes SET is_active = ${active}, version = version + 1, updated_at = now()
    WHERE system_id = ${systemId} AND path LIKE ${`${path}%`} AND path <> ${path} AND is_active = ${!active}
    RETURNING *`);
  return rowsOf<Record<string, unknown>>(r).map(nodeFromRaw);
}

export type HistoryViewRow = {
  id: number;
  node_id: string;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  actor_name: string | null;
  at: string | Date;
};

export async function listHistory(db: Executor, nodeId: string): Promise<HistoryViewRow[]> {
  const r = await db.execute(sql`
    SELECT h.id::int AS id, h.node_id, h.action, h.before, h.after, u.name AS actor_name, h.at
    FROM indicator_node_history h LEFT JOIN users u ON u.id = h.actor_id
    WHERE h.node_id = ${nodeId} ORDER BY h.id DESC LIMIT 500`);
  return rowsOf<HistoryViewRow>(r);
}
