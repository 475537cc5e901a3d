import { and, desc, eq, gte, ilike, lte, or, type SQL, sql } from 'drizzle-orm';
import type { AuditQuery } from '../../../contracts/audit.ts';
import type { Executor } from '../../db/client.ts';
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
