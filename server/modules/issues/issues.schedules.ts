import { registerSchedule } from '../jobs/index.ts';
import { sendDueReminders } from './issues.notify.ts';

/** Due/overdue reminders to the responsible units, every REMINDER_INTERVAL_MINUTES (0 = off). */
registerSchedule({
  name: 'issues.due-reminders',
  label: '问题到期、超期提醒',
  every: (config) => (config.issues.reminderIntervalMinutes > 0 ? `every ${config.issues.reminderIntervalMinutes}m` : null),
  handler: async ({ deps }) => sendDueReminders(deps),
});
