import { and, desc, eq, gte, ilike, lte, or, type SQL, sql } from 'drizzle-orm';
import type { AuditQuery } from '../../../contracts/audit.ts';
import { type Executor, rowsOf } from '../../db/client.ts';
import { auditLog } from './audit.tables.ts';

export type AuditInsert = typeof auditLog.$inferInsert;

export async function insertAudit(db: Executor, entries: AuditInsert[]): Promise<void> {
  if (entries.length > 0) await db.insert(auditLog).values(entries);
}

/** The INSERT of one entry as SQL, to run inside a larger statement. */
export const insertAuditSql = (db: Executor, entry: AuditInsert): SQL => db.insert(auditLog).values(entry).getSQL();

export async function searchAudit(db: Executor, q: AuditQuery, unitPath: string | null) {
  const where: SQL[] = [];
  if (q.actor) {
    const like = `%${q.actor}%`;
    where.push(or(ilike(auditLog.actorName, like), sql`${auditLog.actorId} IN (SELECT id FROM users WHERE username ILIKE ${like})`)!);
  }
  if (q.entity) where.push(eq(auditLog.entity, q.entity));
  if (q.entityId) where.push(eq(auditLog.entityId, q.entityId));
  if (q.from) where.push(gte(auditLog.at, new Date(q.from)));
  if (q.to) where.push(lte(auditLog.at, new Date(q.to)));
  // A district admin sees what was done by people of their subtree.
  if (unitPath) where.push(sql`${auditLog.actorUnitId} IN (SELECT id FROM org_units WHERE path LIKE ${unitPath + '%'})`);
  const cond = where.length ? and(...where) : undefined;
  const [items, [{ count }]] = await Promise.all([
    db.select().from(auditLog).where(cond).orderBy(desc(auditLog.id)).limit(q.pageSize).offset((q.page - 1) * q.pageSize),
    db.select({ count: sql<number>`count(*)::int` }).from(auditLog).where(cond),
  ]);
  return { items, total: count };
}

/**
 * What people call the object of an entry, by entity: `SELECT id, name FROM … WHERE id IN (…)`.
 * A read-only presentation lookup over other modules' tables, kept here so the audit log page is
 * one request; an entity missing here falls back to the name written in the entry itself.
 */
const NAME_SOURCES: Record<string, string> = {
  org_unit: 'SELECT id::text AS id, name FROM org_units',
  grid: 'SELECT id::text AS id, name FROM grids',
  zone: "SELECT id::text AS id, code || ' ' || name AS name FROM zones",
  point: 'SELECT id::text AS id, name FROM points',
  point_type: 'SELECT id::text AS id, name FROM point_types',
  user: "SELECT id::text AS id, name || '（' || username || '）' AS name FROM users",
  session: "SELECT id::text AS id, name || '（' || username || '）' AS name FROM users",
  role: 'SELECT code AS id, name FROM roles',
  issue: "SELECT id::text AS id, number || ' ' || title AS name FROM issues",
  issue_category: 'SELECT id::text AS id, name FROM issue_categories',
  supervision_letter: 'SELECT id::text AS id, number AS name FROM supervision_letters',
  indicator_system: 'SELECT id::text AS id, name FROM indicator_systems',
  indicator_node: "SELECT id::text AS id, code || ' ' || left(text, 40) AS name FROM indicator_nodes",
  task: 'SELECT id::text AS id, left(title, 40) AS name FROM tasks',
  responsibility_letter: "SELECT l.id::text AS id, u.name || '目标责任书' AS name FROM responsibility_letters l JOIN org_units u ON u.id = l.unit_id",
  evidence_item: "SELECT id::text AS id, coalesce(number || ' ', '') || title AS name FROM evidence_items",
  evidence_requirement: 'SELECT id::text AS id, title AS name FROM evidence_requirements',
  holiday: "SELECT id::text AS id, name FROM holidays",
  api_key: 'SELECT id::text AS id, name FROM api_keys',
  saved_view: 'SELECT id::text AS id, name FROM saved_views',
};

/** Names of the given objects of one entity, by id; ids not found (deleted, or not a table row) are left out. */
export async function entityNames(db: Executor, entity: string, ids: string[]): Promise<Map<string, string>> {
  const source = NAME_SOURCES[entity];
  const out = new Map<string, string>();
  if (!source || ids.length === 0) return out;
  const list = sql.join(
    ids.map((i) => sql`${i}`),
    sql`, `,
  );
  const found = rowsOf<{ id: string; name: string | null }>(await db.execute(sql`SELECT id, name FROM (${sql.raw(source)}) s WHERE id IN (${list})`));
  for (const r of found) if (r.name) out.set(r.id, r.name);
  return out;
}

/** Names of the ids an entry's before/after mention (units, people, points, grids, categories), in one query. */
export async function referencedNames(db: Executor, ids: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (ids.length === 0) return out;
  const list = sql.join(
    ids.map((i) => sql`${i}`),
    sql`, `,
  );
  const found = rowsOf<{ id: string; name: string }>(
    await db.execute(sql`
      SELECT id::text AS id, name FROM org_units WHERE id::text IN (${list})
      UNION ALL SELECT id::text, name || '（' || username || '）' FROM users WHERE id::text IN (${list})
      UNION ALL SELECT id::text, name FROM points WHERE id::text IN (${list})
      UNION ALL SELECT id::text, name FROM grids WHERE id::text IN (${list})
      UNION ALL SELECT id::text, name FROM issue_categories WHERE id::text IN (${list})
      UNION ALL SELECT id::text, number FROM issues WHERE id::text IN (${list})`),
  );
  for (const r of found) out.set(r.id, r.name);
  return out;
}
