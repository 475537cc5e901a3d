import { type SQL, sql } from 'drizzle-orm';
import { type AuditQuery, AuditEntityLabels, auditActionLabel } from '../../../contracts/audit.ts';
import type { Db, Executor } from '../../db/client.ts';
import type { RequestContext } from '../../http/actor.ts';
import { requirePermission, scopeFor } from '../../http/policy.ts';
import { type AuditInsert, entityNames, insertAudit, insertAuditSql, referencedNames, searchAudit } from './audit.repo.ts';

export type AuditChange = {
  action: string;
  entity: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
};

/**
 * Records writes in the same transaction as the write itself, so an audited change and its log
 * entry land or fail together. `ctx` may be null for system actions (seed, CLI).
 */
export async function audit(tx: Executor, ctx: RequestContext | null, ...changes: AuditChange[]): Promise<void> {
  await insertAudit(
    tx,
    changes.map((c) => entryOf(ctx, c)),
  );
}

/**
 * The audit entry of a change as an INSERT statement, for a write done in ONE statement (data-
 * modifying CTEs), where it lands or fails with the write as `audit()` does in a transaction.
 * `afterSql` (a jsonb expression) adds to `after` what only that statement knows, such as a number
 * it generates.
 */
export function auditStatement(db: Executor, ctx: RequestContext | null, change: AuditChange, afterSql?: SQL): SQL {
  const entry = entryOf(ctx, change);
  const after = afterSql ? sql`${JSON.stringify(entry.after ?? {})}::jsonb || ${afterSql}` : entry.after;
  return insertAuditSql(db, { ...entry, after });
}

function entryOf(ctx: RequestContext | null, c: AuditChange): AuditInsert {
  return {
    actorId: ctx?.actor.userId || null,
    actorName: ctx ? `${ctx.actor.name}（${ctx.actor.username}）` : '系统',
    actorUnitId: ctx?.actor.unitId || null,
    ip: ctx?.ip ?? null,
    action: c.action,
    entity: c.entity,
    entityId: c.entityId ?? null,
    before: redact(c.before),
    after: redact(c.after),
  };
}

const SECRET_KEYS = new Set(['passwordHash', 'password', 'tokenHash', 'csrfToken', 'phoneEnc', 'contactPhoneEnc', 'phoneHash']);
/** Keeps secrets and ciphertexts out of the log; names the field so the change is still visible. */
function redact(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = SECRET_KEYS.has(k) ? (v == null ? null : '***') : v;
  return out;
}

const UUID_G = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** The name an entry wrote for its object: a number and a name or title, when it carries them. */
function nameIn(value: unknown): string | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  const str = (k: string) => (typeof v[k] === 'string' && v[k] ? (v[k] as string) : null);
  const name = str('name') ?? str('title') ?? str('label') ?? str('username');
  const parts = [str('number'), name].filter((x): x is string => !!x);
  return parts.length ? parts.join(' ') : null;
}

export async function listAudit(db: Db, ctx: RequestContext, q: AuditQuery) {
  requirePermission(ctx.actor, 'audit.read');
  const scope = scopeFor(ctx.actor, 'write');
  const { items, total } = await searchAudit(db, q, scope.isAll ? null : scope.rootPath);
  // names from the objects as they are now, one query per entity of the page
  const byEntity = new Map<string, Set<string>>();
  for (const r of items) if (r.entityId) byEntity.set(r.entity, (byEntity.get(r.entity) ?? new Set()).add(r.entityId));
  const names = new Map<string, Map<string, string>>();
  for (const [entity, ids] of byEntity) names.set(entity, await entityNames(db, entity, [...ids]));
  // ids inside before/after (a unit, a person) are shown by name
  const idsOf = (r: (typeof items)[number]) => [...new Set((JSON.stringify([r.before, r.after]).match(UUID_G) ?? []).map((x) => x.toLowerCase()))];
  const refs = await referencedNames(db, [...new Set(items.flatMap(idsOf))].slice(0, 2000));
  return {
    items: items.map((r) => ({
      ...r,
      at: r.at.toISOString(),
      actionLabel: auditActionLabel(r.entity, r.action) ?? r.action,
      entityLabel: AuditEntityLabels[r.entity] ?? r.entity,
      refs: Object.fromEntries(idsOf(r).flatMap((id) => (refs.has(id) ? [[id, refs.get(id)!]] : []))),
      entityName: (r.entityId ? names.get(r.entity)?.get(r.entityId) : undefined) ?? nameIn(r.after) ?? nameIn(r.before) ?? null,
    })),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}
