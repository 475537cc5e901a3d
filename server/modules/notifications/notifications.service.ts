import type { ListNotificationsQuery, Notification, NotificationPage } from '../../../contracts/notifications.ts';
import type { Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import type { RequestContext } from '../../http/actor.ts';
import { notFound } from '../../http/errors.ts';
import { newId } from '../../lib/ids.ts';
import { audit } from '../audit/index.ts';
import { externalChannels, InAppChannel, type NotificationMessage, type StoredNotification } from './notifications.channels.ts';
import * as repo from './notifications.repo.ts';

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

const present = (r: repo.NotificationRow): Notification => ({
  id: r.id,
  kind: r.kind as Notification['kind'],
  title: r.title,
  body: r.body,
  link: r.link,
  issueId: r.issue_id,
  readAt: r.read_at ? new Date(r.read_at).toISOString() : null,
  createdAt: new Date(r.created_at).toISOString(),
});

/** The actor's own notifications, newest first; every signed-in user has them. */
export async function listMine(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: ListNotificationsQuery): Promise<NotificationPage> {
  const userId = ctx.actor.userId;
  const [page, unread] = await Promise.all([repo.listForUser(deps.db, userId, q), repo.unreadCount(deps.db, userId)]);
  return { items: page.rows.map(present), total: page.total, page: q.page, pageSize: q.pageSize, unreadCount: unread };
}

export async function markRead(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string): Promise<Notification> {
  return deps.db.transaction(async (tx) => {
    const row = await repo.lockOwn(tx, id, ctx.actor.userId);
    if (!row) throw notFound('通知');
    if (row.read_at) return present(row);
    const updated = await repo.markRead(tx, id);
    await audit(tx, ctx, { action: 'read', entity: 'notification', entityId: id });
    return present(updated);
  });
}

export async function markAllRead(deps: Pick<Deps, 'db'>, ctx: RequestContext): Promise<{ updated: number; unreadCount: number }> {
  return deps.db.transaction(async (tx) => {
    const updated = await repo.markAllRead(tx, ctx.actor.userId);
    if (updated > 0) await audit(tx, ctx, { action: 'read_all', entity: 'notification', entityId: null, after: { updated } });
    return { updated, unreadCount: 0 };
  });
}
