import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { EvidenceState, Recurrence } from '../../../../contracts/evidence.ts';
import { type Executor, rowsOf } from '../../../db/client.ts';
import { evidenceEvents, evidenceItems, evidenceRequirements } from './evidence.tables.ts';

export type RequirementRow = typeof evidenceRequirements.$inferSelect;
export type ItemRow = typeof evidenceItems.$inferSelect;
export type NewItemRow = typeof evidenceItems.$inferInsert;
export type NewEventRow = typeof evidenceEvents.$inferInsert;

const where = (conds: (SQL | undefined)[]): SQL => {
  const c = conds.filter((x): x is SQL => !!x);
  return c.length ? sql`WHERE ${sql.join(c, sql` AND `)}` : sql``;
};

// ─── systems and nodes ────────────────────────────────────────────────────────

export type SystemRow = { id: string; name: string; year: number; status: string; requirement_count: number };

export async function listSystems(db: Executor): Promise<SystemRow[]> {
  return rowsOf<SystemRow>(
    await db.execute(sql`SELECT s.id, s.name, s.year, s.status,
      (SELECT count(*)::int FROM evidence_requirements r WHERE r.system_id = s.id AND r.is_active) AS requirement_count
      FROM indicator_systems s WHERE s.status <> 'archived' ORDER BY s.year DESC, s.kind, s.edition DESC, s.name`),
  );
}

export async function getSystem(db: Executor, id: string): Promise<{ id: string; name: string } | undefined> {
  return rowsOf<{ id: string; name: string }>(await db.execute(sql`SELECT id, name FROM indicator_systems WHERE id = ${id}`))[0];
}

export type NodeRow = { id: string; system_id: string; level: string; code: string; text: string; path: string; is_active: boolean; item_id: string; item_code: string; item_text: string };

/** Nodes with their 测评项目 (the first id of the path). */
export async function getNodes(db: Executor, ids: string[]): Promise<NodeRow[]> {
  if (ids.length === 0) return [];
  return rowsOf<NodeRow>(
    await db.execute(sql`SELECT n.id, n.system_id, n.level, n.code, n.text, n.path, n.is_active,
        it.id AS item_id, it.code AS item_code, it.text AS item_text
      FROM indicator_nodes n
      JOIN indicator_nodes it ON it.id = split_part(n.path, '/', 2)::uuid
      WHERE n.id IN (${sql.join(
        ids.map((i) => sql`${i}::uuid`),
        sql`, `,
      )})`),
  );
}

/** The root of the org tree (the city). */
export async function rootUnit(db: Executor): Promise<{ id: string; name: string; path: string }> {
  return rowsOf<{ id: string; name: string; path: string }>(await db.execute(sql`SELECT id, name, path FROM org_units WHERE parent_id IS NULL ORDER BY path LIMIT 1`))[0];
}

export async function getUnits(db: Executor, ids: string[]): Promise<{ id: string; name: string; path: string; is_active: boolean }[]> {
  if (ids.length === 0) return [];
  return rowsOf(
    await db.execute(sql`SELECT id, name, path, is_active FROM org_units WHERE id IN (${sql.join(
      ids.map((i) => sql`${i}::uuid`),
      sql`, `,
    )}) ORDER BY path`),
  );
}

// ─── requirements ─────────────────────────────────────────────────────────────

export type RequirementViewRow = {
  id: string;
  system_id: string;
  standard_id: string;
  standard_code: string;
  standard_text: string;
  unit_id: string | null;
  unit_name: string | null;
  recurrence: Recurrence;
  title: string;
  description: string;
  starts_on: string;
  ends_on: string;
  is_active: boolean;
  item_count: number;
  version: number;
  total?: number;
};

const requirementView = sql`SELECT r.id, r.system_id, r.standard_id, s.code AS standard_code, s.text AS standard_text,
    r.unit_id, u.name AS unit_name, r.recurrence, r.title, r.description, r.starts_on::text AS starts_on, r.ends_on::text AS ends_on,
    r.is_active, r.version, (SELECT count(*)::int FROM evidence_items e WHERE e.requirement_id = r.id) AS item_count
  FROM evidence_requirements r JOIN indicator_nodes s ON s.id = r.standard_id LEFT JOIN org_units u ON u.id = r.unit_id`;

export async function listRequirements(
  db: Executor,
  f: { systemId?: string; standardId?: string; q?: string },
  page: number,
  pageSize: number,
): Promise<{ items: RequirementViewRow[]; total: number }> {
  const like = f.q ? `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const cond = where([
    f.systemId ? sql`r.system_id = ${f.systemId}` : undefined,
    f.standardId ? sql`r.standard_id = ${f.standardId}` : undefined,
    like ? sql`(s.code ILIKE ${like} OR s.text ILIKE ${like} OR r.title ILIKE ${like})` : undefined,
  ]);
  const items = rowsOf<RequirementViewRow>(
    await db.execute(sql`SELECT v.*, count(*) OVER ()::int AS total FROM (${requirementView} ${cond}) v
      ORDER BY v.standard_code, v.title, v.id LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`),
  );
  return { items, total: items[0]?.total ?? 0 };
}

export async function getRequirementView(db: Executor, id: string): Promise<RequirementViewRow | undefined> {
  return rowsOf<RequirementViewRow>(await db.execute(sql`${requirementView} WHERE r.id = ${id}`))[0];
}

export async function getRequirement(db: Executor, id: string, forUpdate = false): Promise<RequirementRow | undefined> {
  const q = db.select().from(evidenceRequirements).where(eq(evidenceRequirements.id, id));
  const [row] = forUpdate ? await q.for('update') : await q;
  return row;
}

export async function activeRequirements(db: Executor, f: { systemId?: string; requirementId?: string }): Promise<RequirementRow[]> {
  const conds = [eq(evidenceRequirements.isActive, true)];
  if (f.systemId) conds.push(eq(evidenceRequirements.systemId, f.systemId));
  if (f.requirementId) conds.push(eq(evidenceRequirements.id, f.requirementId));
  return db
    .select()
    .from(evidenceRequirements)
    .where(and(...conds));
}

export async function insertRequirement(db: Executor, row: typeof evidenceRequirements.$inferInsert): Promise<RequirementRow> {
  const [r] = await db.insert(evidenceRequirements).values(row).returning();
  return r;
}

export async function updateRequirement(db: Executor, id: string, version: number, patch: Partial<RequirementRow>): Promise<RequirementRow | undefined> {
  const [r] = await db
    .update(evidenceRequirements)
    .set({ ...patch, version: version + 1, updatedAt: new Date() })
    .where(and(eq(evidenceRequirements.id, id), eq(evidenceRequirements.version, version)))
    .returning();
  return r;
}

/**
 * The units a requirement applies to: its own unit, or every lead and responsible unit of the
 * active tasks on its standard (cooperating units help; they do not file).
 */
export async function unitsOfRequirement(db: Executor, r: Pick<RequirementRow, 'unitId' | 'standardId'>): Promise<{ id: string; path: string }[]> {
  if (r.unitId) return rowsOf(await db.execute(sql`SELECT id, path FROM org_units WHERE id = ${r.unitId} AND is_active`));
  return rowsOf(
    await db.execute(sql`SELECT DISTINCT u.id, u.path FROM tasks t JOIN task_units tu ON tu.task_id = t.id JOIN org_units u ON u.id = tu.unit_id
      WHERE t.node_id = ${r.standardId} AND tu.role IN ('lead', 'responsible') AND u.is_active ORDER BY u.path`),
  );
}

/** Inserts due slots that do not exist yet (same requirement, unit, period and slot); returns the new ones. */
export async function insertItems(db: Executor, rows: NewItemRow[]): Promise<{ id: string; state: string }[]> {
  const out: { id: string; state: string }[] = [];
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    out.push(
      ...(await db
        .insert(evidenceItems)
        .values(chunk)
        .onConflictDoNothing({ target: [evidenceItems.requirementId, evidenceItems.unitId, evidenceItems.periodKey, evidenceItems.slot] })
        .returning({ id: evidenceItems.id, state: evidenceItems.state })),
    );
  }
  return out;
}

export async function insertEvents(db: Executor, rows: NewEventRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) await db.insert(evidenceEvents).values(rows.slice(i, i + 1000));
}

export async function maxSlot(db: Executor, requirementId: string, unitId: string, periodKey: string): Promise<number> {
  return rowsOf<{ n: number }>(
    await db.execute(
      sql`SELECT coalesce(max(slot), 0)::int AS n FROM evidence_items WHERE requirement_id = ${requirementId} AND unit_id = ${unitId} AND period_key = ${periodKey}`,
    ),
  )[0].n;
}

// ─── items ────────────────────────────────────────────────────────────────────

export type ItemViewRow = {
  id: string;
  requirement_id: string;
  requirement_title: string;
  requirement_description: string;
  recurrence: Recurrence;
  system_id: string;
  standard_id: string;
  standard_code: string;
  standard_text: string;
  item_node_id: string;
  item_code: string;
  item_text: string;
  unit_id: string;
  unit_name: string;
  unit_path: string;
  period_key: string;
  period_start: string;
  period_end: string;
  slot: number;
  number: string | null;
  title: string;
  evidence_date: string | null;
  description: string;
  state: EvidenceState;
  return_reason: string | null;
  file_ids: string[] | string;
  is_overdue: boolean;
  submitted_at: string | Date | null;
  submitted_by_name: string | null;
  reviewed_at: string | Date | null;
  reviewed_by_name: string | null;
  version: number;
  updated_at: string | Date;
  total?: number;
};

/** Today in China Standard Time as a date, for "the period has ended". */
const todayCst = sql`(now() AT TIME ZONE 'Asia/Shanghai')::date`;

const itemColumns = sql`e.id, e.requirement_id, r.title AS requirement_title, r.description AS requirement_description, r.recurrence,
  e.system_id, e.standard_id, s.code AS standard_code, s.text AS standard_text, e.item_node_id, it.code AS item_code, it.text AS item_text,
  e.unit_id, u.name AS unit_name, e.unit_path, e.period_key, e.period_start::text AS period_start, e.period_end::text AS period_end, e.slot,
  e.number, e.title, e.evidence_date::text AS evidence_date, e.description, e.state, e.return_reason, e.file_ids,
  (e.state IN ('draft', 'returned') AND e.period_end < ${todayCst}) AS is_overdue,
  e.submitted_at, sb.name AS submitted_by_name, e.reviewed_at, rb.name AS reviewed_by_name, e.version, e.updated_at`;
const itemJoins = sql`JOIN evidence_requirements r ON r.id = e.requirement_id
  JOIN indicator_nodes s ON s.id = e.standard_id
  JOIN indicator_nodes it ON it.id = e.item_node_id
  JOIN org_units u ON u.id = e.unit_id
  LEFT JOIN users sb ON sb.id = e.submitted_by
  LEFT JOIN users rb ON rb.id = e.reviewed_by`;

export type ItemFilter = {
  systemId?: string;
  standardId?: string;
  itemNodeId?: string;
  unitId?: string;
  /** a subtree: e.unit_path LIKE rootPath% */
  rootPath?: string | null;
  state?: EvidenceState;
  periodKey?: string;
  periodFrom?: string;
  periodTo?: string;
  q?: string;
  /** review queue: not the reviewer's own unit */
  notUnitId?: string;
};

function itemConds(scopeCond: SQL | undefined, f: ItemFilter): SQL {
  const like = f.q ? `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  return where([
    scopeCond,
    f.systemId ? sql`e.system_id = ${f.systemId}` : undefined,
    f.standardId ? sql`e.standard_id = ${f.standardId}` : undefined,
    f.itemNodeId ? sql`e.item_node_id = ${f.itemNodeId}` : undefined,
    f.unitId ? sql`e.unit_id = ${f.unitId}` : undefined,
    f.notUnitId ? sql`e.unit_id <> ${f.notUnitId}` : undefined,
    f.rootPath ? sql`e.unit_path LIKE ${`${f.rootPath}%`}` : undefined,
    f.state ? sql`e.state = ${f.state}` : undefined,
    f.periodKey ? sql`e.period_key = ${f.periodKey}` : undefined,
    f.periodFrom ? sql`e.period_end >= ${f.periodFrom}::date` : undefined,
    f.periodTo ? sql`e.period_start <= ${f.periodTo}::date` : undefined,
    like ? sql`(e.title ILIKE ${like} OR e.number ILIKE ${like} OR r.title ILIKE ${like} OR s.code ILIKE ${like})` : undefined,
  ]);
}

/**
 * Items of a filter, a page at a time. order 'due': what the unit owes first (退回, 待提交, by period
 * end), then the rest; 'queue': oldest submission first (the review queue); 'number': by standard and number.
 */
export async function listItems(
  db: Executor,
  scopeCond: SQL | undefined,
  f: ItemFilter,
  order: 'due' | 'queue' | 'number',
  page: number,
  pageSize: number,
): Promise<{ items: ItemViewRow[]; total: number }> {
  const cond = itemConds(scopeCond, f);
  const orderBy =
    order === 'queue'
      ? sql`e.submitted_at ASC, e.id ASC`
      : order === 'due'
        ? sql`CASE e.state WHEN 'returned' THEN 0 WHEN 'draft' THEN 1 WHEN 'submitted' THEN 2 ELSE 3 END, e.period_end ASC, s.code, e.slot, e.id`
        : sql`s.code, e.seq NULLS LAST, u.name, e.period_start, e.id`;
  const items = rowsOf<ItemViewRow>(
    await db.execute(sql`SELECT ${itemColumns}, count(*) OVER ()::int AS total FROM evidence_items e ${itemJoins} ${cond}
      ORDER BY ${orderBy} LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`),
  );
  let total = items[0]?.total ?? 0;
  if (items.length === 0 && page > 1) {
    total = rowsOf<{ n: number }>(await db.execute(sql`SELECT count(*)::int AS n FROM evidence_items e ${itemJoins} ${cond}`))[0].n;
  }
  return { items, total };
}

export async function getItemView(db: Executor, id: string): Promise<ItemViewRow | undefined> {
  return rowsOf<ItemViewRow>(await db.execute(sql`SELECT ${itemColumns} FROM evidence_items e ${itemJoins} WHERE e.id = ${id}`))[0];
}

export async function getItem(db: Executor, id: string, forUpdate = false): Promise<ItemRow | undefined> {
  const q = db.select().from(evidenceItems).where(eq(evidenceItems.id, id));
  const [row] = forUpdate ? await q.for('update') : await q;
  return row;
}

export async function updateItem(db: Executor, id: string, version: number, patch: Partial<ItemRow>): Promise<ItemRow | undefined> {
  const [r] = await db
    .update(evidenceItems)
    .set({ ...patch, version: version + 1, updatedAt: new Date() })
    .where(and(eq(evidenceItems.id, id), eq(evidenceItems.version, version)))
    .returning();
  return r;
}

/** The next circled number under a standard (one upsert, safe under concurrency). */
export async function nextSeq(db: Executor, standardId: string): Promise<number> {
  return rowsOf<{ last: number }>(
    await db.execute(sql`INSERT INTO evidence_number_counters (standard_id, last) VALUES (${standardId}, 1)
      ON CONFLICT (standard_id) DO UPDATE SET last = evidence_number_counters.last + 1 RETURNING last`),
  )[0].last;
}

export type EventViewRow = {
  id: number | string;
  action: string;
  from_state: EvidenceState | null;
  to_state: EvidenceState;
  actor_name: string | null;
  actor_unit_name: string | null;
  note: string | null;
  data: Record<string, unknown> | string;
  at: string | Date;
};

export async function listEvents(db: Executor, itemId: string): Promise<EventViewRow[]> {
  return rowsOf<EventViewRow>(
    await db.execute(sql`SELECT ev.id, ev.action, ev.from_state, ev.to_state, us.name AS actor_name, ou.name AS actor_unit_name, ev.note, ev.data, ev.at
      FROM evidence_events ev LEFT JOIN users us ON us.id = ev.actor_id LEFT JOIN org_units ou ON ou.id = ev.actor_unit_id
      WHERE ev.item_id = ${itemId} ORDER BY ev.id`),
  );
}

// ─── completeness matrix ──────────────────────────────────────────────────────

export type MatrixParams = {
  systemId: string;
  /** a subtree (a district's path); null or undefined: the whole city */
  rootPath?: string | null;
  /** periods that end on or after this date */
  periodFrom?: string | null;
  /** periods that start on or before this date */
  periodTo?: string | null;
  itemNodeId?: string | null;
  /** false: sum the periods of a standard × unit into one cell (period_key '') */
  byPeriod?: boolean;
  /**
   * a unit path: count each item under the direct child of that unit which holds its unit (the
   * whole city → districts and city departments), so a column is a subtree; items of the unit
   * itself count under its own id
   */
  rollUpTo?: string | null;
};

export type MatrixCellRow = { standard_id: string; unit_id: string; period_key: string; due: number; missing: number; submitted: number; approved: number; returned: number };

/**
 * The completeness matrix: counts of evidence items per standard × unit × period (the rules of
 * domain/evidence-matrix.ts: due = all items, missing = 待提交, …). One pass over evidence_items
 * (system, standard, unit, path, period and state are on the row), filtered by the system and
 * subtree on evidence_items_matrix_idx, aggregated with FILTER clauses; no joins, so its cost is the
 * scan plus a hash aggregate, the same as a hand-written GROUP BY over the table.
 */
export async function completenessMatrix(db: Executor, p: MatrixParams): Promise<MatrixCellRow[]> {
  const byPeriod = p.byPeriod ?? true;
  const cond = where([
    sql`e.system_id = ${p.systemId}`,
    p.rootPath ? sql`e.unit_path LIKE ${`${p.rootPath}%`}` : undefined,
    p.periodFrom ? sql`e.period_end >= ${p.periodFrom}::date` : undefined,
    p.periodTo ? sql`e.period_start <= ${p.periodTo}::date` : undefined,
    p.itemNodeId ? sql`e.item_node_id = ${p.itemNodeId}` : undefined,
  ]);
  const period = byPeriod ? sql`e.period_key` : sql`''`;
  const ownId = p.rollUpTo ? (p.rollUpTo.split('/').filter(Boolean).at(-1) ?? '') : '';
  const unit = p.rollUpTo
    ? sql`coalesce(nullif(split_part(substr(e.unit_path, ${p.rollUpTo.length + 1}), '/', 1), ''), ${ownId})`
    : sql`e.unit_id::text`;
  return rowsOf<MatrixCellRow>(
    await db.execute(sql`SELECT e.standard_id, ${unit} AS unit_id, ${period} AS period_key,
        count(*)::int AS due,
        count(*) FILTER (WHERE e.state = 'draft')::int AS missing,
        count(*) FILTER (WHERE e.state = 'submitted')::int AS submitted,
        count(*) FILTER (WHERE e.state = 'approved')::int AS approved,
        count(*) FILTER (WHERE e.state = 'returned')::int AS returned
      FROM evidence_items e ${cond}
      GROUP BY 1, 2${byPeriod ? sql`, 3` : sql``}`),
  );
}

// ─── archive ──────────────────────────────────────────────────────────────────

export type ArchiveRow = {
  id: string;
  number: string | null;
  title: string;
  evidence_date: string | null;
  standard_code: string;
  standard_text: string;
  item_code: string;
  item_text: string;
  unit_name: string;
  period_key: string;
  state: string;
  reviewed_at: string | Date | null;
  file_ids: string[] | string;
};

/** Approved items of a system (and subtree / item), a keyset page at a time (by id). */
export async function archivePage(db: Executor, p: { systemId: string; rootPath: string | null; itemNodeId: string | null; afterId: string | null; limit: number }): Promise<ArchiveRow[]> {
  const cond = where([
    sql`e.system_id = ${p.systemId}`,
    sql`e.state = 'approved'`,
    p.rootPath ? sql`e.unit_path LIKE ${`${p.rootPath}%`}` : undefined,
    p.itemNodeId ? sql`e.item_node_id = ${p.itemNodeId}` : undefined,
    p.afterId ? sql`e.id > ${p.afterId}` : undefined,
  ]);
  return rowsOf<ArchiveRow>(
    await db.execute(sql`SELECT e.id, e.number, e.title, e.evidence_date::text AS evidence_date, s.code AS standard_code, s.text AS standard_text,
        it.code AS item_code, it.text AS item_text, u.name AS unit_name, e.period_key, e.state, e.reviewed_at, e.file_ids
      FROM evidence_items e JOIN indicator_nodes s ON s.id = e.standard_id JOIN indicator_nodes it ON it.id = e.item_node_id JOIN org_units u ON u.id = e.unit_id
      ${cond} ORDER BY e.id LIMIT ${p.limit}`),
  );
}

export async function filesByIds(db: Executor, ids: string[]): Promise<{ id: string; storage_key: string; original_name: string; created_at: string | Date }[]> {
  if (ids.length === 0) return [];
  return rowsOf(
    await db.execute(sql`SELECT id, storage_key, original_name, created_at FROM files WHERE id IN (${sql.join(
      ids.map((i) => sql`${i}::uuid`),
      sql`, `,
    )})`),
  );
}

/** Files owned by an item (for checking a submission's file set). */
export async function ownedFileIds(db: Executor, itemId: string): Promise<Set<string>> {
  const rows = rowsOf<{ id: string }>(await db.execute(sql`SELECT id FROM files WHERE owner_type = 'evidence_item' AND owner_id = ${itemId}`));
  return new Set(rows.map((r) => r.id));
}
