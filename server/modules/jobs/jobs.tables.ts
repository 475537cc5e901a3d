import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../users/users.tables.ts';

/**
 * The one job queue (docs/jobs.md). A worker claims a queued job with `FOR UPDATE SKIP LOCKED`,
 * holds it with a lease (`locked_until`, extended while it runs) and finishes it with its result;
 * a job whose node died is taken again when the lease runs out.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: uuid('id').primaryKey(),
    type: text('type').notNull(),
    /** what the user sees (Chinese), e.g. 导入点位（points.xlsx） */
    label: text('label').notNull(),
    payload: jsonb('payload').$type<unknown>().notNull(),
    /** queued → running → succeeded | failed | cancelled (running → queued again on retry) */
    state: text('state').notNull().default('queued'),
    progress: integer('progress').notNull().default(0),
    progressMessage: text('progress_message'),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(3),
    /** not before this time (first run, or the next retry after a backoff) */
    runAt: timestamp('run_at', { withTimezone: true }).notNull().defaultNow(),
    lockedBy: text('locked_by'),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    cancelRequested: boolean('cancel_requested').notNull().default(false),
    error: text('error'),
    result: jsonb('result').$type<unknown>(),
    /** a file the job produced, in the storage under this key; downloaded through /api/jobs/:id/result */
    resultFileKey: text('result_file_key'),
    resultFileName: text('result_file_name'),
    resultFileMime: text('result_file_mime'),
    resultFileSize: integer('result_file_size'),
    /** who started it; null for schedules and the system */
    actorId: uuid('actor_id').references(() => users.id),
    /** the schedule that enqueued it */
    scheduleName: text('schedule_name'),
    /** enqueueing the same key twice gives the first job (schedule runs: `schedule:<name>:<due time>`) */
    dedupeKey: text('dedupe_key').unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    index('jobs_due_idx').on(t.runAt).where(sql`state = 'queued'`),
    index('jobs_lease_idx').on(t.lockedUntil).where(sql`state = 'running'`),
    index('jobs_actor_idx').on(t.actorId, t.createdAt),
    index('jobs_created_idx').on(t.createdAt),
    index('jobs_finished_idx').on(t.finishedAt),
    index('jobs_schedule_pending_idx').on(t.scheduleName).where(sql`state IN ('queued', 'running')`),
    check('jobs_state_check', sql`state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')`),
    check('jobs_progress_check', sql`progress BETWEEN 0 AND 100`),
  ],
);

/**
 * Recurring schedules: one row per registered schedule. The node that moves `next_run_at` forward
 * (a compare-and-set UPDATE) enqueues the run as a job, in the same transaction: one run per due
 * time across all nodes, and the next due time survives a restart.
 */
export const schedules = pgTable('schedules', {
  name: text('name').primaryKey(),
  label: text('label').notNull(),
  /** e.g. `every 30m`, `daily 02:00`, `monthly 1 00:30` (times in Asia/Shanghai) */
  spec: text('spec').notNull(),
  nextRunAt: timestamp('next_run_at', { withTimezone: true }).notNull(),
  lastRunAt: timestamp('last_run_at', { withTimezone: true }),
  lastJobId: uuid('last_job_id'),
  isEnabled: boolean('is_enabled').notNull().default(true),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
