import { and, count, desc, eq, inArray, isNotNull, lt, lte, type SQL, sql } from 'drizzle-orm';
import type { JobState } from '../../../contracts/jobs.ts';
import { type Executor, rowsOf } from '../../db/client.ts';
import { users } from '../../db/schema.ts';
import { jobs, schedules } from './jobs.tables.ts';

export type JobRow = typeof jobs.$inferSelect;
export type JobInsert = typeof jobs.$inferInsert;
export type ScheduleRow = typeof schedules.$inferSelect;

/** Inserts a job; with a dedupe key already taken, returns the existing job instead. */
export async function insertJob(db: Executor, row: JobInsert): Promise<JobRow> {
  const [inserted] = await db.insert(jobs).values(row).onConflictDoNothing({ target: jobs.dedupeKey }).returning();
  if (inserted) return inserted;
  const [existing] = await db
    .select()
    .from(jobs)
    .where(eq(jobs.dedupeKey, row.dedupeKey as string));
  return existing;
}

/**
 * Jobs whose node stopped renewing the lease (crash, kill -9): queued again for their next
 * attempt, or failed when they had none left.
 */
export async function recoverExpiredLeases(db: Executor, now: Date): Promise<number> {
  const res = await db
    .update(jobs)
    .set({
      state: sql`CASE WHEN ${jobs.attempts} >= ${jobs.maxAttempts} THEN 'failed' ELSE 'queued' END`,
      error: '执行节点中断，任务未完成',
      lockedBy: null,
      lockedUntil: null,
      runAt: now,
      finishedAt: sql`CASE WHEN ${jobs.attempts} >= ${jobs.maxAttempts} THEN ${now.toISOString()}::timestamptz ELSE NULL END`,
      version: sql`${jobs.version} + 1`,
    })
    .where(and(eq(jobs.state, 'running'), lt(jobs.lockedUntil, now)))
    .returning({ id: jobs.id });
  return res.length;
}

/** Claims up to `limit` due jobs of the given types for this node: one statement, SKIP LOCKED. */
export async function claimJobs(db: Executor, p: { nodeId: string; types: string[]; now: Date; limit: number; leaseMs: number }): Promise<JobRow[]> {
  if (p.types.length === 0 || p.limit <= 0) return [];
  const due = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.state, 'queued'), lte(jobs.runAt, p.now), inArray(jobs.type, p.types)))
    .orderBy(jobs.runAt, jobs.createdAt)
    .limit(p.limit)
    .for('update', { skipLocked: true });
  return db
    .update(jobs)
    .set({
      state: 'running',
      attempts: sql`${jobs.attempts} + 1`,
      lockedBy: p.nodeId,
      lockedUntil: new Date(p.now.getTime() + p.leaseMs),
      startedAt: sql`coalesce(${jobs.startedAt}, ${p.now.toISOString()}::timestamptz)`,
      progress: 0,
      progressMessage: null,
      version: sql`${jobs.version} + 1`,
    })
    .where(inArray(jobs.id, due))
    .returning();
}

/** Renews the lease (and writes progress when given); null when this node no longer holds the job. */
export async function renewLease(
  db: Executor,
  p: { id: string; nodeId: string; until: Date; progress?: number; message?: string | null },
): Promise<{ cancelRequested: boolean } | null> {
  const set: Partial<JobInsert> = { lockedUntil: p.until };
  if (p.progress !== undefined) {
    set.progress = p.progress;
    set.progressMessage = p.message ?? null;
  }
  const [row] = await db
    .update(jobs)
    .set(set)
    .where(and(eq(jobs.id, p.id), eq(jobs.lockedBy, p.nodeId), eq(jobs.state, 'running')))
    .returning({ cancelRequested: jobs.cancelRequested });
  return row ?? null;
}

export type Finish =
  | { state: 'succeeded'; result: unknown; progressMessage: string | null }
  | { state: 'failed' | 'cancelled'; error: string }
  | { state: 'queued'; error: string; runAt: Date };

/** Ends this node's run of a job; false when the node had lost it (its lease ran out meanwhile). */
export async function finishJob(db: Executor, p: { id: string; nodeId: string; now: Date; finish: Finish }): Promise<boolean> {
  const f = p.finish;
  const set: { [K in keyof JobInsert]?: JobInsert[K] | SQL } = {
    state: f.state,
    lockedBy: null,
    lockedUntil: null,
    version: sql`${jobs.version} + 1`,
  };
  if (f.state === 'succeeded') Object.assign(set, { result: f.result ?? null, progress: 100, progressMessage: f.progressMessage, error: null, finishedAt: p.now });
  else if (f.state === 'queued') Object.assign(set, { error: f.error, runAt: f.runAt });
  else Object.assign(set, { error: f.error, finishedAt: p.now });
  const res = await db
    .update(jobs)
    .set(set)
    .where(and(eq(jobs.id, p.id), eq(jobs.lockedBy, p.nodeId), eq(jobs.state, 'running')))
    .returning({ id: jobs.id });
  return res.length === 1;
}

export async function setResultFile(db: Executor, p: { id: string; nodeId: string; key: string; name: string; mime: string; size: number }): Promise<string | null> {
  const [before] = await db.select({ key: jobs.resultFileKey }).from(jobs).where(eq(jobs.id, p.id));
  await db
    .update(jobs)
    .set({ resultFileKey: p.key, resultFileName: p.name, resultFileMime: p.mime, resultFileSize: p.size })
    .where(and(eq(jobs.id, p.id), eq(jobs.lockedBy, p.nodeId)));
  return before?.key && before.key !== p.key ? before.key : null;
}

// ─── schedules ────────────────────────────────────────────────────────────────

/** Creates the rows of new schedules and moves the due time of those whose spec changed; writes nothing otherwise. */
export async function syncSchedules(db: Executor, list: { name: string; label: string; spec: string; nextRunAt: Date }[]): Promise<void> {
  if (list.length === 0) return;
  await db
    .insert(schedules)
    .values(list.map((s) => ({ name: s.name, label: s.label, spec: s.spec, nextRunAt: s.nextRunAt })))
    .onConflictDoUpdate({
      target: schedules.name,
      set: {
        label: sql`excluded.label`,
        spec: sql`excluded.spec`,
        nextRunAt: sql`CASE WHEN ${schedules.spec} = excluded.spec THEN ${schedules.nextRunAt} ELSE excluded.next_run_at END`,
        updatedAt: sql`now()`,
      },
      setWhere: sql`${schedules.spec} IS DISTINCT FROM excluded.spec OR ${schedules.label} IS DISTINCT FROM excluded.label`,
    });
}

export async function dueSchedules(db: Executor, names: string[], now: Date): Promise<ScheduleRow[]> {
  if (names.length === 0) return [];
  return db
    .select()
    .from(schedules)
    .where(and(inArray(schedules.name, names), eq(schedules.isEnabled, true), lte(schedules.nextRunAt, now)));
}

/**
 * One statement: moves the schedule's due time from `seen` to `next` (compare-and-set: only one
 * node can) and, when that succeeded and the previous run has finished, enqueues this run.
 * Returns { advanced, jobId }.
 */
export async function advanceSchedule(
  db: Executor,
  p: { name: string; seen: Date; next: Date; now: Date; job: { id: string; type: string; label: string; maxAttempts: number } },
): Promise<{ advanced: boolean; jobId: string | null }> {
  const seen = p.seen.toISOString();
  const res = await db.execute(sql`
    WITH s AS (
      UPDATE schedules SET next_run_at = ${p.next.toISOString()}::timestamptz, last_run_at = ${p.now.toISOString()}::timestamptz, updated_at = now()
      WHERE name = ${p.name} AND date_trunc('milliseconds', next_run_at) = ${seen}::timestamptz AND is_enabled
      RETURNING name),
    j AS (
      INSERT INTO jobs (id, type, label, payload, state, max_attempts, run_at, schedule_name, dedupe_key, created_at)
      SELECT ${p.job.id}::uuid, ${p.job.type}, ${p.job.label}, ${JSON.stringify({ scheduledAt: seen })}::jsonb, 'queued', ${p.job.maxAttempts}::int,
        ${p.now.toISOString()}::timestamptz, s.name, ${`schedule:${p.name}:${seen}`}, ${p.now.toISOString()}::timestamptz
      FROM s
      WHERE NOT EXISTS (SELECT 1 FROM jobs WHERE schedule_name = ${p.name} AND state IN ('queued', 'running'))
      ON CONFLICT (dedupe_key) DO NOTHING
      RETURNING id),
    l AS (UPDATE schedules SET last_job_id = (SELECT id FROM j) WHERE name = ${p.name} AND EXISTS (SELECT 1 FROM j))
    SELECT (SELECT count(*) FROM s)::int AS advanced, (SELECT id FROM j) AS job_id`);
  const [row] = rowsOf<{ advanced: number; job_id: string | null }>(res);
  return { advanced: row.advanced === 1, jobId: row.job_id };
}

export async function hasPendingRun(db: Executor, scheduleName: string): Promise<boolean> {
  const rows = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.scheduleName, scheduleName), inArray(jobs.state, ['queued', 'running'])))
    .limit(1);
  return rows.length > 0;
}

export async function lockSchedule(db: Executor, name: string): Promise<void> {
  await db.select({ name: schedules.name }).from(schedules).where(eq(schedules.name, name)).for('update');
}

export async function listSchedules(db: Executor): Promise<ScheduleRow[]> {
  return db.select().from(schedules).orderBy(schedules.name);
}

// ─── reading, cancel, retry, purge ────────────────────────────────────────────

export type JobView = JobRow & { actorName: string | null };

const viewColumns = { job: jobs, actorName: users.name };

export async function getJob(db: Executor, id: string, forUpdate = false): Promise<JobView | undefined> {
  if (forUpdate) {
    const [row] = await db.select().from(jobs).where(eq(jobs.id, id)).for('update');
    return row ? { ...row, actorName: null } : undefined;
  }
  const [row] = await db.select(viewColumns).from(jobs).leftJoin(users, eq(users.id, jobs.actorId)).where(eq(jobs.id, id));
  return row ? { ...row.job, actorName: row.actorName } : undefined;
}

export async function searchJobs(
  db: Executor,
  f: { actorId: string | null; state?: JobState; type?: string; limit: number; offset: number },
): Promise<{ items: JobView[]; total: number; counts: Record<JobState, number> }> {
  const scope = f.actorId ? [eq(jobs.actorId, f.actorId)] : [];
  const conds = [...scope];
  if (f.state) conds.push(eq(jobs.state, f.state));
  if (f.type) conds.push(eq(jobs.type, f.type));
  const rows = await db
    .select({ ...viewColumns, total: sql<number>`count(*) OVER ()`.mapWith(Number) })
    .from(jobs)
    .leftJoin(users, eq(users.id, jobs.actorId))
    .where(and(...conds))
    // running and queued first, then the newest
    .orderBy(sql`CASE ${jobs.state} WHEN 'running' THEN 0 WHEN 'queued' THEN 1 ELSE 2 END`, desc(jobs.createdAt), desc(jobs.id))
    .limit(f.limit)
    .offset(f.offset);
  const byState = await db
    .select({ state: jobs.state, n: count() })
    .from(jobs)
    .where(and(...scope))
    .groupBy(jobs.state);
  const counts = { queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 } as Record<JobState, number>;
  for (const r of byState) counts[r.state as JobState] = r.n;
  return { items: rows.map((r) => ({ ...r.job, actorName: r.actorName })), total: rows[0]?.total ?? 0, counts };
}

export async function updateJob(db: Executor, id: string, set: Partial<JobInsert>): Promise<JobRow> {
  const [row] = await db
    .update(jobs)
    .set({ ...set, version: sql`${jobs.version} + 1` })
    .where(eq(jobs.id, id))
    .returning();
  return row;
}

/** Deletes jobs finished before `before`; returns the storage keys of their result files. */
export async function purgeFinished(db: Executor, before: Date): Promise<{ deleted: number; fileKeys: string[] }> {
  const rows = await db
    .delete(jobs)
    .where(and(isNotNull(jobs.finishedAt), lt(jobs.finishedAt, before), inArray(jobs.state, ['succeeded', 'failed', 'cancelled'])))
    .returning({ key: jobs.resultFileKey });
  return { deleted: rows.length, fileKeys: rows.map((r) => r.key).filter((k): k is string => !!k) };
}
