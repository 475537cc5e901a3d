import { registerSchedule } from '../../jobs/index.ts';
import { generateAllDue, todayCst } from './evidence.service.ts';

/** Each day just after midnight (Beijing), the due items of the periods that have opened. */
registerSchedule({
  name: 'evidence.generate-due',
  label: '生成各期待报材料',
  every: 'daily 00:05',
  maxAttempts: 3,
  handler: async ({ deps, progress, throwIfCancelled }) =>
    generateAllDue(deps, {
      asOf: todayCst(),
      progress: (done, total) => progress(Math.round((done / total) * 100), `材料要求 ${done}/${total}`),
      throwIfCancelled,
    }),
});
