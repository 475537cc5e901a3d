import { registerSchedule } from '../jobs/index.ts';
import { markMissedOccurrences } from './inspections.service.ts';

/** 已错过: occurrences whose due window passed while 待检查/检查中 (every 15 minutes). */
registerSchedule({
  name: 'inspections.mark-missed',
  label: '标记逾期未检的督查任务',
  every: 'every 15m',
  handler: async ({ deps }) => ({ missed: await markMissedOccurrences(deps, new Date()) }),
});
