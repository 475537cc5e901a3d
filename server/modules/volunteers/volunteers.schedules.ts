import { registerSchedule } from '../jobs/index.ts';
import { closeEndedActivities } from './activities.service.ts';

/** The end-of-activity pass: forgotten check-outs closed at the end and flagged, no-shows marked. */
registerSchedule({
  name: 'volunteers.close-activities',
  label: '志愿活动结束处理（自动签退、未到场）',
  every: 'every 5m',
  handler: async ({ deps }) => closeEndedActivities(deps),
});
