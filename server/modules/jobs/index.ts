// The platform's one job queue and scheduler (docs/jobs.md).
import './jobs.schedules.ts';

export { type JobContext, type JobHandler, JobCancelledError, registerJobHandler, registerSchedule, type ScheduleDefinition } from './jobs.registry.ts';
export { jobRoutes } from './jobs.routes.ts';
export { presentJob, purgeExpiredJobs } from './jobs.service.ts';
export { type EnqueueInput, enqueueJob, runDueOnce, startWorker, type Worker } from './jobs.worker.ts';
