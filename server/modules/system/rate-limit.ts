import { createHash } from 'node:crypto';
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Database } from '../../db/client.ts';

/** One fixed window of one key: count it, answer the count. */
const INCR_SQL = `INSERT INTO rate_limit_hits (key, window_start, hits) VALUES ($1, $2, 1)
  ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limit_hits.hits + 1 RETURNING hits`;
/** Windows that ended long ago (the longest limit is minutes). */
const SWEEP_SQL = `DELETE FROM rate_limit_hits WHERE window_start < now() - interval '1 day'`;
const SWEEP_EVERY_MS = 60_000;

/**
 * The counters of the rate limits (login, public 随手拍, Open311) in the database instead of each
 * process's memory, so that the nodes behind a load balancer count together. Fixed windows (a
 * burst may straddle two), one upsert per limited request; keys (route and client IP) are stored
 * hashed; windows older than a day are swept at most once a minute per process.
 */
export function databaseRateLimitStore(database: Pick<Database, 'query'>): FastifyRateLimitStoreCtor {
  let lastSweep = 0;
  class DatabaseStore implements FastifyRateLimitStore {
    constructor(
      _options?: unknown,
      private readonly route = '',
    ) {}

    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number): void {
      const now = Date.now();
      const windowStart = now - (now % timeWindow);
      const hashed = createHash('sha256').update(`${this.route} ${key}`).digest('hex');
      database.query<{ hits: number }>(INCR_SQL, [hashed, new Date(windowStart)], 'rateLimit.incr').then(
        ({ rows }) => callback(null, { current: rows[0].hits, ttl: windowStart + timeWindow - now }),
        (err: Error) => callback(err),
      );
      if (now - lastSweep > SWEEP_EVERY_MS) {
        lastSweep = now;
        database.query(SWEEP_SQL).catch(() => undefined);
      }
    }

    /** One store per limited route (the plugin passes the route as `routeInfo`, as its Redis store reads it). */
    child(options: object): FastifyRateLimitStore {
      const route = (options as { routeInfo?: { method?: string | string[]; url?: string } }).routeInfo;
      return new DatabaseStore(undefined, `${[route?.method].flat().join(',')} ${route?.url}`);
    }
  }
  return DatabaseStore;
}
