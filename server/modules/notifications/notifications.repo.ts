import { sql } from 'drizzle-orm';
import { type Executor, rowsOf } from '../../db/client.ts';
import type { StoredNotification } from './notifications.channels.ts';
import { notifications } from './notifications.tables.ts';

export type NotificationRow = { id: string; kind: string; title: string; body: string; link: string | null; issue_id: string | null; read_at: string | Date | null; created_at: string | Date };

/** Writes the notifications, skipping those whose dedupe key is taken; returns the ids written. */
export async function insertNotifications(db: Executor, items: readonly StoredNotification[]): Promise<string[]> {
  const rows = await db
    .insert(notifications)
    .values(
      items.map((n) => ({
        id: n.id,
        userId: n.userId,
        kind: n.kind,
        title: n.title,
        body: n.body,
        link: n.link,
        issueId: n.issueId,
        dedupeKey: n.dedupeKey ?? null,
        createdAt: new Date(n.createdAt),
      })),
    )
    .onConflictDoNothing({ target: notifications.dedupeKey })
    .returning({ id: notifications.id });
  return rows.map((r) => r.id);
}

export async function unreadCount(db: Executor, userId: string): Promise<number> {
  const res = await db.execute(sql`SELECT count(*)::int AS n FROM notifications WHERE user_id = ${userId} AND read_at IS NULL`);
  return rowsOf<{ n: number }>(res)[0].n;
}

/** One page of a user's notifications, newest first, and the total. */
export async function listForUser(db: Executor, userId: string, q: { unread?: boolean; page: number; pageSize: number }): Promise<{ rows: NotificationRow[]; total: number }> {
  const cond = q.unread ? sql`user_id = ${userId} AND read_at IS NULL` : sql`user_id = ${userId}`;
  const [page, total] = await Promise.all([
    db.execute(sql`SELECT id, kind, title, body, link, issue_id, read_at, created_at FROM notifications WHERE ${cond}
      ORDER BY created_at DESC, id DESC LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`),
    db.execute(sql`SELECT count(*)::int AS n FROM notifications WHERE ${cond}`),
  ]);
  return { rows: rowsOf<NotificationRow>(page), total: rowsOf<{ n: number }>(total)[0].n };
}

export async function lockOwn(db: Executor, id: string, userId: string): Promise<NotificationRow | undefined> {
  const res = await db.execute(sql`SELECT id, kind, title, body, link, issue_id, read_at, created_at FROM notifications WHERE id = ${id} AND user_id = ${userId} FOR UPDATE`);
  return rowsOf<NotificationRow>(res)[0];
}

export async function markRead(db: Executor, id: string): Promise<NotificationRow> {
  const upd = await db.execute(sql`UPDATE notifications SET read_at = now() WHERE id = ${id} RETURNING id, kind, title, body, link, issue_id, read_at, created_at`);
  return rowsOf<NotificationRow>(upd)[0];
}

/** Marks every unread notification of the user read; returns how many. */
export async function markAllRead(db: Executor, userId: string): Promise<number> {
  const res = await db.execute(sql`UPDATE notifications SET read_at = now() WHERE user_id = ${userId} AND read_at IS NULL RETURNING id`);
  return rowsOf(res).length;
}
