import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { backoffMs, nextRun } from '../../../domain/schedule.ts';
import type { Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import type { RequestContext } from '../../http/actor.ts';
import { AppError } from '../../http/errors.ts';
import { newId } from '../../lib/ids.ts';
import { audit } from '../audit/index.ts';
import * as repo from './jobs.repo.ts';
import { JobCancelledError, type JobContext, jobType, jobTypes, resolvedSchedules } from './jobs.registry.ts';

/**
 * The worker: every server process runs one (JOBS_WORKER=false turns it off on a node). A poll
 * (1) queues again the jobs of nodes that died, (2) enqueues the runs of due schedules — one node
 * wins each due time — and (3) claims due jobs with SKIP LOCKED up to the concurrency. Tests call
 * `runDueOnce()` instead of starting the loop.
 */

/** A job's lease: renewed every LEASE_MS/4 while it runs; another node takes it over after it expires. */
export const LEASE_MS = 60_000;
const RENEW_MS = 2_000;
const PROGRESS_MIN_INTERVAL_MS = 250;

const wake = new EventEmitter();
wake.setMaxListeners(0);

export type EnqueueInput = {
  type: string;
  /** what the user sees: 导入点位（点位.xlsx） */
  label: string;
  payload?: unknown;
  /** default: the type's registration (3) */
  maxAttempts?: number;
  /** not before (default now) */
  runAt?: Date;
  /** a second enqueue with the same key returns the first job */
  dedupeKey?: string;
  /** a schedule's run started by hand (POST /api/jobs/schedules/:name/run) */
  scheduleName?: string;
};

/**
 * Queues a job in the caller's transaction (so a request that fails queues nothing), audited as
 * the actor's 提交后台任务. The local worker is woken when the caller's work is done.
 */
export async function enqueueJob(db: Executor, ctx: RequestContext | null, input: EnqueueInput): Promise<repo.JobRow> {
  const t = jobType(input.type);
  if (!t) throw new Error(`no handler registered for job type ${input.type}`);
  const row = await repo.insertJob(db, {
    id: newId(),
    type: input.type,
    label: input.label,
    payload: input.payload ?? {},
    maxAttempts: input.maxAttempts ?? t.maxAttempts,
    runAt: input.runAt ?? new Date(),
    actorId: ctx?.actor.userId ?? null,
    dedupeKey: input.dedupeKey ?? null,
    scheduleName: input.scheduleName ?? null,
  });
  await audit(db, ctx, { action: 'enqueue', entity: 'job', entityId: row.id, after: { type: row.type, label: row.label } });
  setImmediate(() => wake.emit('job'));
  return row;
}

export const newNodeId = () => `${hostname()}:${process.pid}:${newId().slice(0, 8)}`;

type RunOptions = { nodeId: string; now?: () => Date; leaseMs?: number };

/** Enqueues the due runs of this process's schedules; returns the ids of the jobs this node enqueued. */
export async function enqueueDueSchedules(deps: Deps, now: Date, types?: string[]): Promise<string[]> {
  const all = resolvedSchedules(deps.config);
  if (all.length === 0) return [];
  await repo.syncSchedules(
    deps.db,
    all.map((s) => ({ name: s.name, label: s.label, spec: s.spec, nextRunAt: nextRun(s.parsed, now) })),
  );
  const list = all.filter((s) => !types || types.includes(s.jobType));
  const byName = new Map(list.map((s) => [s.name, s]));
  const due = await repo.dueSchedules(deps.db, [...byName.keys()], now);
  const enqueued: string[] = [];
  for (const row of due) {
    const s = byName.get(row.name);
    if (!s) continue;
    const t = jobType(s.jobType);
    // missed due times (the installation was down) collapse into one run; the next is after now
    const r = await repo.advanceSchedule(deps.db, {
      name: row.name,
      seen: row.nextRunAt,
      next: nextRun(s.parsed, now),
      now,
      job: { id: newId(), type: s.jobType, label: s.label, maxAttempts: t?.maxAttempts ?? 1 },
    });
    if (r.jobId) enqueued.push(r.jobId);
  }
  return enqueued;
}

/** Runs one claimed job to its end: handler, lease renewal, cancel, retry with backoff. */
export async function runJob(deps: Deps, job: repo.JobRow, opts: RunOptions): Promise<repo.JobRow['state']> {
  const now = opts.now ?? (() => new Date());
  const leaseMs = opts.leaseMs ?? LEASE_MS;
  const t = jobType(job.type);
  const controller = new AbortController();
  let lost = false;
  let lastWrite = 0;
  let pending: { progress: number; message: string | null } | null = null;

  const renew = async (progress?: { progress: number; message: string | null }) => {
    const r = await repo.renewLease(deps.db, { id: job.id, nodeId: opts.nodeId, until: new Date(now().getTime() + leaseMs), progress: progress?.progress, message: progress?.message });
    if (!r) {
      lost = true;
      controller.abort();
    } else if (r.cancelRequested) controller.abort();
  };
  const timer = setInterval(() => {
    const p = pending;
    pending = null;
    renew(p ?? undefined).catch(() => undefined);
  }, Math.min(RENEW_MS, leaseMs / 4));
  timer.unref();

  const ctx: JobContext<unknown> = {
    id: job.id,
    type: job.type,
    payload: job.payload,
    attempt: job.attempts,
    actorId: job.actorId,
    deps,
    signal: controller.signal,
    throwIfCancelled() {
      if (controller.signal.aborted) throw new JobCancelledError();
    },
    async progress(percent, message) {
      const p = { progress: Math.max(0, Math.min(100, Math.round(percent))), message: message ?? null };
      if (Date.now() - lastWrite < PROGRESS_MIN_INTERVAL_MS) {
        pending = p;
        return;
      }
      lastWrite = Date.now();
      pending = null;
      await renew(p);
    },
    async saveResultFile(name, mime, body) {
      const key = `jobs/${job.id}/${newId()}`;
      await deps.storage.put(key, body, mime);
      const old = await repo.setResultFile(deps.db, { id: job.id, nodeId: opts.nodeId, key, name, mime, size: body.length });
      if (old) await deps.storage.delete(old).catch(() => undefined);
    },
  };

  let finish: repo.Finish;
  try {
    if (!t) throw new AppError('INTERNAL', `没有处理该类任务的程序：${job.type}`);
    if (job.cancelRequested) throw new JobCancelledError();
    const result = await t.handler(ctx as JobContext<never>);
    if (controller.signal.aborted && !lost) throw new JobCancelledError();
    finish = { state: 'succeeded', result: result ?? null, progressMessage: pending ? (pending as { message: string | null }).message : null };
  } catch (err) {
    if (err instanceof JobCancelledError || (controller.signal.aborted && !lost)) finish = { state: 'cancelled', error: '任务已取消' };
    else {
      const message = errorText(err);
      // an AppError is the handler refusing the input: retrying would refuse again
      const permanent = err instanceof AppError || !t;
      if (!permanent && job.attempts < job.maxAttempts) finish = { state: 'queued', error: message, runAt: new Date(now().getTime() + backoffMs(job.attempts, t?.backoffMs ?? 10_000)) };
      else finish = { state: 'failed', error: message };
    }
  } finally {
    clearInterval(timer);
  }
  if (lost) return 'running';
  const ok = await repo.finishJob(deps.db, { id: job.id, nodeId: opts.nodeId, now: now(), finish });
  return ok ? finish.state : 'running';
}

function errorText(err: unknown): string {
  if (err instanceof AppError) return err.message;
  const m = err instanceof Error ? err.message : String(err);
  return m.length > 2000 ? `${m.slice(0, 2000)}…` : m;
}

export type RunDueResult = { recovered: number; scheduled: string[]; ran: { id: string; type: string; state: repo.JobRow['state'] }[] };

/**
 * One deterministic pass for tests and `chuangwen jobs run`: recovers expired leases, enqueues due
 * schedules, then claims and runs due jobs one at a time until none is left (at most `max`).
 * `types` limits the pass to those job types (schedules: `schedule:<name>`).
 */
export async function runDueOnce(deps: Deps, opts: { now?: Date; nodeId?: string; max?: number; types?: string[] } = {}): Promise<RunDueResult> {
  const nodeId = opts.nodeId ?? newNodeId();
  const now = opts.now ?? new Date();
  const clock = () => (opts.now ? opts.now : new Date());
  const recovered = await repo.recoverExpiredLeases(deps.db, now);
  const scheduled = await enqueueDueSchedules(deps, now, opts.types);
  const ran: RunDueResult['ran'] = [];
  const max = opts.max ?? 1000;
  while (ran.length < max) {
    const [job] = await repo.claimJobs(deps.db, { nodeId, types: opts.types ?? jobTypes(), now: clock(), limit: 1, leaseMs: LEASE_MS });
    if (!job) break;
    ran.push({ id: job.id, type: job.type, state: await runJob(deps, job, { nodeId, now: clock }) });
  }
  return { recovered, scheduled, ran };
}

export type WorkerOptions = { concurrency: number; pollMs: number; nodeId?: string; log?: { error(obj: unknown, msg?: string): void; info(obj: unknown, msg?: string): void } };

export type Worker = { nodeId: string; stop(graceMs?: number): Promise<void> };

/** Starts the worker loop of this process; `stop()` stops claiming and waits for running jobs. */
export function startWorker(deps: Deps, opts: WorkerOptions): Worker {
  const nodeId = opts.nodeId ?? newNodeId();
  const running = new Set<Promise<unknown>>();
  let stopped = false;
  let polling = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;

  const poll = async () => {
    if (stopped) return;
    if (polling) {
      again = true;
      return;
    }
    polling = true;
    try {
      const now = new Date();
      await repo.recoverExpiredLeases(deps.db, now);
      await enqueueDueSchedules(deps, now);
      const free = opts.concurrency - running.size;
      if (free > 0 && !stopped) {
        const claimed = await repo.claimJobs(deps.db, { nodeId, types: jobTypes(), now, limit: free, leaseMs: LEASE_MS });
        for (const job of claimed) {
          const p = runJob(deps, job, { nodeId })
            .catch((err) => opts.log?.error({ err, jobId: job.id }, '后台任务执行出错'))
            .finally(() => {
              running.delete(p);
              if (!stopped) setImmediate(() => void poll());
            });
          running.add(p);
        }
      }
    } catch (err) {
      opts.log?.error({ err }, '后台任务轮询出错');
    } finally {
      polling = false;
    }
    if (again && !stopped) {
      again = false;
      setImmediate(() => void poll());
    }
  };
  const onWake = () => void poll();
  wake.on('job', onWake);
  timer = setInterval(() => void poll(), opts.pollMs);
  timer.unref();
  setImmediate(() => void poll());

  return {
    nodeId,
    async stop(graceMs = 10_000) {
      stopped = true;
      wake.off('job', onWake);
      if (timer) clearInterval(timer);
      timer = undefined;
      // the jobs still running after the grace time are taken over by another node when their lease ends
      await Promise.race([Promise.allSettled([...running]), new Promise((r) => setTimeout(r, graceMs).unref())]);
    },
  };
}
