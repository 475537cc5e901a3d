import { sql } from 'drizzle-orm';
import type { ListNotificationsQuery, Notification, NotificationPage } from '../../../contracts/notifications.ts';
import { rowsOf, type Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import type { RequestContext } from '../../http/actor.ts';
import { notFound } from '../../http/errors.ts';
import { newId } from '../../lib/ids.ts';
import { audit } from '../audit/index.ts';
import { externalChannels, InAppChannel, type NotificationMessage, type StoredNotification } from './notifications.channels.ts';

/**
 * Collects what a transaction notified, for the channels that deliver after the commit.
 * Usage: const outbox = new Outbox(); await db.transaction(tx => … notify(tx, outbox, msgs) …); outbox.flush(deps).
 */
export class Outbox {
  readonly items: StoredNotification[] = [];
  /** Hands the committed notifications to the external channels; never rejects (failures are reported to `onError`). */
  flush(deps: Pick<Deps, 'config'>, onError: (err: unknown) => void = () => {}): Promise<void> {
    const items = this.items.splice(0);
    if (items.length === 0) return Promise.resolve();
    return Promise.all(externalChannels(deps.config).map((c) => c.deliver(items).catch(onError))).then(() => undefined);
  }
}

/** Stores notifications in-app within `tx` (skipping duplicates of a dedupe key) and queues the new ones in `outbox`. */
export async function notify(tx: Executor, outbox: Outbox | null, messages: readonly NotificationMessage[]): Promise<StoredNotification[]> {
  if (messages.length === 0) return [];
  const now = new Date().toISOString();
  const items = messages.map((m) => ({ ...m, id: newId(), createdAt: now }));
  const delivered = new Set(await new InAppChannel(tx).deliver(items));
  const stored = items.filter((n) => delivered.has(n.id));
  outbox?.items.push(...stored);
  return stored;
}

type Row = { id: string; kind: string; title: string; body: string; link: string | null; issue_id: string | null; read_at: string | Date | null; created_at: string | Date };
const present = (r: Row): Notification => ({
  id: r.id,
  kind: r.kind as Notification['kind'],
  title: r.title,
  body: r.body,
  link: r.link,
  issueId: r.issue_id,
  readAt: r.read_at ? new Date(r.read_at).toISOString() : null,
  createdAt: new Date(r.created_at).toISOString(),
});

async function unreadCount(db: Executor, userId: string): Promise<number> {
  const res = await db.execute(sql`SELECT count(*)::int AS n FROM notifications WHERE user_id = ${userId} AND read_at IS NULL`);
  return rowsOf<{ n: number }>(res)[0].n;
}

/** The actor's own notifications, newest first; every signed-in user has them. */
export async function listMine(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: ListNotificationsQuery): Promise<NotificationPage> {
  const userId = ctx.actor.userId;
  const cond = q.unread ? sql`user_id = ${userId} AND read_at IS NULL` : sql`user_id = ${userId}`;
  const [page, total, unread] = await Promise.all([
    deps.db.execute(sql`SELECT id, kind, title, body, link, issue_id, read_at, created_at FROM notifications WHERE ${cond}
      ORDER BY created_at DESC, id DESC LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`),
    deps.db.execute(sql`SELECT count(*)::int AS n FROM notifications WHERE ${cond}`),
    unreadCount(deps.db, userId),
  ]);
  return { items: rowsOf<Row>(page).map(present), total: rowsOf<{ n: number }>(total)[0].n, page: q.page, pageSize: q.pageSize, unreadCount: unread };
}

export async function markRead(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string): Promise<Notification> {
  return deps.db.transaction(async (tx) => {
    const res = await tx.execute(sql`SELECT id, kind, title, body, link, issue_id, read_at, created_at FROM notifications WHERE id = ${id} AND user_id = ${ctx.actor.userId} FOR UPDATE`);
    const row = rowsOf<Row>(res)[0];
    if (!row) throw notFound('通知');
    if (row.read_at) return present(row);
    const upd = await tx.execute(sql`UPDATE notifications SET read_at = now() WHERE id = ${id} RETURNING id, kind, title, body, link, issue_id, read_at, created_at`);
    await audit(tx, ctx, { action: 'read', entity: 'notification', entityId: id });
    return present(rowsOf<Row>(upd)[0]);
  });
}

export async function markAllRead(deps: Pick<Deps, 'db'>, ctx: RequestContext): Promise<{ updated: number; unreadCount: number }> {
  return deps.db.transaction(async (tx) => {
    const res = await tx.execute(sql`UPDATE notifications SET read_at = now() WHERE user_id = ${ctx.actor.userId} AND read_at IS NULL RETURNING id`);
    const updated = rowsOf(res).length;
    if (updated > 0) await audit(tx, ctx, { action: 'read_all', entity: 'notification', entityId: null, after: { updated } });
    return { updated, unreadCount: 0 };
  });
}
