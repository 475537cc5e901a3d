import { describeSchedule, parseSchedule, type ScheduleSpec } from '../../../domain/schedule.ts';
import type { Config } from '../../config.ts';
import type { Deps } from '../../deps.ts';

/**
 * What a handler gets. `signal` aborts when the job is cancelled (or its lease is lost): long
 * handlers check it (`throwIfCancelled()` between batches) and stop without half-writing — do
 * each batch in its own transaction, or all in one.
 */
export type JobContext<P = unknown> = {
  id: string;
  type: string;
  payload: P;
  /** 1 on the first run, 2 on the first retry … */
  attempt: number;
  /** the user who started the job; null for schedules */
  actorId: string | null;
  deps: Deps;
  signal: AbortSignal;
  /** 0–100 and a short Chinese message (第 300/2000 行); written at most every 250 ms */
  progress(percent: number, message?: string): Promise<void>;
  /** throws JobCancelledError when the job was cancelled */
  throwIfCancelled(): void;
  /** stores the job's result file (kept 7 days, downloaded from /api/jobs/:id/result) */
  saveResultFile(name: string, mime: string, body: Buffer): Promise<void>;
};

/** The returned value (JSON) is the job's result. */
export type JobHandler<P = unknown> = (ctx: JobContext<P>) => Promise<unknown>;

export type JobTypeOptions = {
  /** attempts before the job is failed (default 3; 1 = no retry) */
  maxAttempts?: number;
  /** first retry delay; doubles each attempt, at most an hour (default 10 s) */
  backoffMs?: number;
};

type JobType = { handler: JobHandler<never>; maxAttempts: number; backoffMs: number };

export class JobCancelledError extends Error {
  constructor() {
    super('任务已取消');
  }
}

const types = new Map<string, JobType>();

const TYPE_RE = /^[a-z][a-z0-9_.:-]{0,79}$/;

/**
 * Registers the handler of a job type (once per process, at module load, like registerFileOwner).
 * A node claims only jobs whose type it has a handler for.
 */
export function registerJobHandler<P>(type: string, handler: JobHandler<P>, opts: JobTypeOptions = {}): void {
  if (!TYPE_RE.test(type)) throw new Error(`invalid job type: ${type}`);
  const existing = types.get(type);
  if (existing && existing.handler !== handler) throw new Error(`job type registered twice: ${type}`);
  types.set(type, { handler: handler as JobHandler<never>, maxAttempts: opts.maxAttempts ?? 3, backoffMs: opts.backoffMs ?? 10_000 });
}

export const jobType = (type: string): JobType | undefined => types.get(type);
export const jobTypes = (): string[] => [...types.keys()];

export type ScheduleDefinition = {
  /** stable key, e.g. `evidence.generate-due` */
  name: string;
  /** what the admin sees: 生成各期待报材料 */
  label: string;
  /**
   * `every 30m` | `daily 00:10` | `monthly 1 00:30` (Asia/Shanghai, see domain/schedule.ts), or a
   * function of the configuration returning one — or null to switch the schedule off.
   */
  every: string | ((config: Config) => string | null);
  /** runs as a job of type `schedule:<name>`; payload `{ scheduledAt }` (the due time, ISO) */
  handler: JobHandler<{ scheduledAt: string }>;
  maxAttempts?: number;
  backoffMs?: number;
};

export type ResolvedSchedule = { name: string; label: string; spec: string; parsed: ScheduleSpec; description: string; jobType: string };

const schedules = new Map<string, ScheduleDefinition>();

export const scheduleJobType = (name: string) => `schedule:${name}`;

/**
 * Registers a recurring schedule (once per process, at module load). Each due time runs once
 * across all nodes (the node that moves the schedule's `next_run_at` enqueues the run as a job);
 * a run is skipped while the previous one is still queued or running.
 */
export function registerSchedule(def: ScheduleDefinition): void {
  if (!TYPE_RE.test(def.name)) throw new Error(`invalid schedule name: ${def.name}`);
  if (typeof def.every === 'string') parseSchedule(def.every);
  registerJobHandler(scheduleJobType(def.name), def.handler, { maxAttempts: def.maxAttempts ?? 1, backoffMs: def.backoffMs });
  schedules.set(def.name, def);
}

/** The schedules this process runs under its configuration (switched-off ones left out). */
export function resolvedSchedules(config: Config): ResolvedSchedule[] {
  const out: ResolvedSchedule[] = [];
  for (const def of schedules.values()) {
    const spec = typeof def.every === 'string' ? def.every : def.every(config);
    if (!spec) continue;
    const parsed = parseSchedule(spec);
    out.push({ name: def.name, label: def.label, spec, parsed, description: describeSchedule(parsed), jobType: scheduleJobType(def.name) });
  }
  return out;
}

/** Tests only: forget a schedule or job type registered by a test. */
export function unregisterForTest(name: string): void {
  const isSchedule = schedules.delete(name);
  types.delete(isSchedule ? scheduleJobType(name) : name);
}
