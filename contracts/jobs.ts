import { z } from 'zod';
import { PageQuery, paged } from './common.ts';

/** Background jobs (docs/jobs.md): what the 后台任务 page and `useJob` show. */
export const JobStateLabels = {
  queued: '排队中',
  running: '执行中',
  succeeded: '已完成',
  failed: '失败',
  cancelled: '已取消',
} as const;
export type JobState = keyof typeof JobStateLabels;
export const JOB_STATES = Object.keys(JobStateLabels) as [JobState, ...JobState[]];
/** States a job does not leave by itself. */
export const FINISHED_JOB_STATES: readonly JobState[] = ['succeeded', 'failed', 'cancelled'];

export const JobActionLabels = { enqueue: '提交后台任务', cancel: '取消后台任务', retry: '重试后台任务' } as const;

/** Results and their files are kept this long after a job finishes, then purged. */
export const JOB_RESULT_DAYS = 7;

export const Job = z.object({
  id: z.string(),
  type: z.string(),
  label: z.string(),
  state: z.enum(JOB_STATES),
  progress: z.number().int().min(0).max(100),
  progressMessage: z.string().nullable(),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  cancelRequested: z.boolean(),
  error: z.string().nullable(),
  result: z.unknown().nullable(),
  resultFile: z.object({ name: z.string(), mime: z.string(), size: z.number().int() }).nullable(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  scheduleName: z.string().nullable(),
  runAt: z.string(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  /** when the result (and its file) is purged; null while the job has not finished */
  expiresAt: z.string().nullable(),
  version: z.number().int(),
});
export type Job = z.infer<typeof Job>;

export const ListJobsQuery = PageQuery.extend({
  state: z.enum(JOB_STATES, { message: '状态须为 queued、running、succeeded、failed 或 cancelled' }).optional(),
  type: z.string().trim().max(80).optional(),
  /** for those who see every job: only mine */
  mine: z.enum(['true', 'false']).optional(),
});
export type ListJobsQuery = z.infer<typeof ListJobsQuery>;

export const JobCounts = z.object({ queued: z.number().int(), running: z.number().int(), succeeded: z.number().int(), failed: z.number().int(), cancelled: z.number().int() });
export const JobList = paged(Job).extend({ counts: JobCounts });
export type JobList = z.infer<typeof JobList>;

export const Schedule = z.object({
  name: z.string(),
  label: z.string(),
  spec: z.string(),
  description: z.string(),
  nextRunAt: z.string(),
  lastRunAt: z.string().nullable(),
  lastJobId: z.string().nullable(),
  isEnabled: z.boolean(),
});
export type Schedule = z.infer<typeof Schedule>;
