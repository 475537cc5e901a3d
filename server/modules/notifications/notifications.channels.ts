import type { NotificationKind } from '../../../contracts/notifications.ts';
import type { Config } from '../../config.ts';
import type { Executor } from '../../db/client.ts';
import { insertNotifications } from './notifications.repo.ts';

/** A notification to one user, as composed by the module that raises it. */
export type NotificationMessage = {
  userId: string;
  kind: NotificationKind;
  title: string;
  body: string;
  link: string | null;
  issueId: string | null;
  /** same key → delivered once (reminders: one per issue, user and day) */
  dedupeKey?: string | null;
};
export type StoredNotification = NotificationMessage & { id: string; createdAt: string };

/**
 * A way of reaching a user. Every channel gets the same stored notifications:
 * - InAppChannel writes them into `notifications`, inside the transaction of the event that raised
 *   them (so a rolled-back action notifies no one) and reports which were new (dedupe keys);
 * - WebhookChannel POSTs the new ones as JSON to NOTIFY_WEBHOOK_URL once the transaction committed;
 * - an SMS channel is the same interface: look up each user's phone (users.phone_enc, decrypted with
 *   deps.crypto), send through the operator's gateway, return the ids sent; register it in
 *   externalChannels() behind its own configuration.
 */
export interface NotificationChannel {
  readonly name: string;
  /** Delivers the items; resolves to the ids actually delivered. Must not throw for a single failed item. */
  deliver(items: readonly StoredNotification[]): Promise<string[]>;
}

/** In-app delivery: rows in `notifications`, written with the caller's executor (a transaction). */
export class InAppChannel implements NotificationChannel {
  readonly name = 'in-app';
  constructor(private readonly db: Executor) {}
  async deliver(items: readonly StoredNotification[]): Promise<string[]> {
    if (items.length === 0) return [];
    return insertNotifications(this.db, items);
  }
}

/** Posts `{ notifications: [...] }` (application/json) to a URL; a non-2xx answer or a timeout delivers nothing. */
export class WebhookChannel implements NotificationChannel {
  readonly name = 'webhook';
  constructor(
    private readonly url: string,
    private readonly timeoutMs = 5000,
  ) {}
  async deliver(items: readonly StoredNotification[]): Promise<string[]> {
    if (items.length === 0) return [];
    try {
      const res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'chuangwen-notify/1' },
        body: JSON.stringify({
          notifications: items.map((n) => ({
            id: n.id,
            userId: n.userId,
            kind: n.kind,
            title: n.title,
            body: n.body,
            link: n.link,
            issueId: n.issueId,
            createdAt: n.createdAt,
          })),
        }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await res.arrayBuffer();
      return res.ok ? items.map((n) => n.id) : [];
    } catch {
      return [];
    }
  }
}

/** The channels beyond in-app that the configuration turns on. */
export function externalChannels(config: Pick<Config, 'notifyWebhookUrl'>): NotificationChannel[] {
  return config.notifyWebhookUrl ? [new WebhookChannel(config.notifyWebhookUrl)] : [];
}
