import type { Readable } from 'node:stream';
import type { Job, JobList, ListJobsQuery, Schedule } from '../../../contracts/jobs.ts';
import { JOB_RESULT_DAYS } from '../../../contracts/jobs.ts';
import { describeSchedule, parseSchedule } from '../../../domain/schedule.ts';
import type { Deps } from '../../deps.ts';
import type { RequestContext } from '../../http/actor.ts';
import { AppError, notFound } from '../../http/errors.ts';
import { requirePermission } from '../../http/policy.ts';
import { audit } from '../audit/index.ts';
import { jobsPolicy } from './jobs.policy.ts';
import { resolvedSchedules } from './jobs.registry.ts';
import * as repo from './jobs.repo.ts';
import { enqueueJob } from './jobs.worker.ts';

const DAY_MS = 86_400_000;

export function presentJob(r: repo.JobView): Job {
  return {
    id: r.id,
    type: r.type,
    label: r.label,
    state: r.state as Job['state'],
    progress: r.progress,
    progressMessage: r.progressMessage,
    attempts: r.attempts,
    maxAttempts: r.maxAttempts,
    cancelRequested: r.cancelRequested,
    error: r.error,
    result: r.result ?? null,
    resultFile: r.resultFileKey ? { name: r.resultFileName ?? '结果', mime: r.resultFileMime ?? 'application/octet-stream', size: r.resultFileSize ?? 0 } : null,
    actorId: r.actorId,
    actorName: r.actorName,
    scheduleName: r.scheduleName,
    runAt: r.runAt.toISOString(),
    createdAt: r.createdAt.toISOString(),
    startedAt: r.startedAt?.toISOString() ?? null,
    finishedAt: r.finishedAt?.toISOString() ?? null,
    expiresAt: r.finishedAt ? new Date(r.finishedAt.getTime() + JOB_RESULT_DAYS * DAY_MS).toISOString() : null,
    version: r.version,
  };
}

/** My jobs; every job for those who hold system.jobs (the city office), or only theirs with mine=true. */
export async function listJobs(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: ListJobsQuery): Promise<JobList> {
  const all = jobsPolicy.seesAll(ctx.actor) && q.mine !== 'true';
  const { items, total, counts } = await repo.searchJobs(deps.db, {
    actorId: all ? null : ctx.actor.userId,
    state: q.state,
    type: q.type,
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
  });
  return { items: items.map(presentJob), total, counts, page: q.page, pageSize: q.pageSize };
}

async function visibleJob(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string): Promise<repo.JobView> {
  const row = await repo.getJob(deps.db, id);
  if (!row || !jobsPolicy.canSee(ctx.actor, row)) throw notFound('后台任务');
  return row;
}

export async function getJob(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string): Promise<Job> {
  return presentJob(await visibleJob(deps, ctx, id));
}

/**
 * 取消: a queued job is cancelled at once; a running one is asked to stop (its handler sees the
 * signal within a couple of seconds and ends as 已取消, leaving nothing half-written).
 */
export async function cancelJob(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string): Promise<Job> {
  await visibleJob(deps, ctx, id);
  await deps.db.transaction(async (tx) => {
    const before = await repo.getJob(tx, id, true);
    if (!before) throw notFound('后台任务');
    if (before.state !== 'queued' && before.state !== 'running') throw new AppError('INVALID_STATE', '任务已结束，无法取消');
    const after =
      before.state === 'queued'
        ? await repo.updateJob(tx, id, { state: 'cancelled', error: '任务已取消', finishedAt: new Date(), cancelRequested: true })
        : await repo.updateJob(tx, id, { cancelRequested: true });
    await audit(tx, ctx, { action: 'cancel', entity: 'job', entityId: id, before: { state: before.state, label: before.label }, after: { state: after.state, cancelRequested: true } });
  });
  return getJob(deps, ctx, id);
}

/** 重试: a failed or cancelled job runs again from the start, with its attempts counted afresh. */
export async function retryJob(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string): Promise<Job> {
  await visibleJob(deps, ctx, id);
  await deps.db.transaction(async (tx) => {
    const before = await repo.getJob(tx, id, true);
    if (!before) throw notFound('后台任务');
    if (before.state !== 'failed' && before.state !== 'cancelled') throw new AppError('INVALID_STATE', '只有失败或已取消的任务可以重试');
    await repo.updateJob(tx, id, { state: 'queued', attempts: 0, runAt: new Date(), cancelRequested: false, error: null, finishedAt: null, progress: 0, progressMessage: null });
    await audit(tx, ctx, { action: 'retry', entity: 'job', entityId: id, before: { state: before.state, error: before.error, label: before.label }, after: { state: 'queued' } });
  });
  return getJob(deps, ctx, id);
}

/** The job's result file as a stream, for its owner (or the city office) while it is kept. */
export async function resultFile(deps: Pick<Deps, 'db' | 'storage'>, ctx: RequestContext, id: string): Promise<{ name: string; mime: string; size: number; stream: Readable }> {
  const row = await visibleJob(deps, ctx, id);
  if (!row.resultFileKey) throw new AppError('NOT_FOUND', '该任务没有结果文件（或已超过保存期限被清理）');
  return { name: row.resultFileName ?? '结果', mime: row.resultFileMime ?? 'application/octet-stream', size: row.resultFileSize ?? 0, stream: await deps.storage.get(row.resultFileKey) };
}

/** The schedules and their next due time (system.jobs). */
export async function listSchedules(deps: Pick<Deps, 'db'>, ctx: RequestContext): Promise<Schedule[]> {
  requirePermission(ctx.actor, 'system.jobs', '无权查看定时任务');
  const rows = await repo.listSchedules(deps.db);
  return rows.map((r) => {
    let description = r.spec;
    try {
      description = describeSchedule(parseSchedule(r.spec));
    } catch {
      // a spec written by an older release: shown as stored
    }
    return {
      name: r.name,
      label: r.label,
      spec: r.spec,
      description,
      nextRunAt: r.nextRunAt.toISOString(),
      lastRunAt: r.lastRunAt?.toISOString() ?? null,
      lastJobId: r.lastJobId,
      isEnabled: r.isEnabled,
    };
  });
}

/** 立即执行: a run of a schedule now, outside its calendar (system.jobs); refused while a run is pending. */
export async function runScheduleNow(deps: Pick<Deps, 'db' | 'config'>, ctx: RequestContext, name: string): Promise<Job> {
  requirePermission(ctx.actor, 'system.jobs', '无权执行定时任务');
  const s = resolvedSchedules(deps.config).find((x) => x.name === name);
  if (!s) throw notFound('定时任务');
  const id = await deps.db.transaction(async (tx) => {
    await repo.lockSchedule(tx, name);
    if (await repo.hasPendingRun(tx, name)) throw new AppError('INVALID_STATE', `「${s.label}」正在排队或执行中，请等它结束后再执行`);
    const job = await enqueueJob(tx, ctx, { type: s.jobType, label: `${s.label}（手动执行）`, payload: { scheduledAt: new Date().toISOString() }, maxAttempts: 1, scheduleName: name });
    return job.id;
  });
  return getJob(deps, ctx, id);
}

/** Deletes jobs (and their result files) finished more than JOB_RESULT_DAYS ago. */
export async function purgeExpiredJobs(deps: Pick<Deps, 'db' | 'storage'>, now = new Date()): Promise<{ deleted: number; files: number }> {
  const { deleted, fileKeys } = await deps.db.transaction(async (tx) => {
    const r = await repo.purgeFinished(tx, new Date(now.getTime() - JOB_RESULT_DAYS * DAY_MS));
    if (r.deleted > 0) await audit(tx, null, { action: 'purge', entity: 'job', after: { deleted: r.deleted, files: r.fileKeys.length } });
    return r;
  });
  for (const key of fileKeys) await deps.storage.delete(key).catch(() => undefined);
  return { deleted, files: fileKeys.length };
}
