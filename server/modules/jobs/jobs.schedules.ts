import { purgeExpiredJobs } from './jobs.service.ts';
import { registerSchedule } from './jobs.registry.ts';

/** The queue's own housekeeping: results and their files are kept 7 days. */
registerSchedule({
  name: 'jobs.purge',
  label: '清理过期的后台任务结果',
  every: 'daily 03:30',
  handler: async ({ deps }) => purgeExpiredJobs(deps),
});
