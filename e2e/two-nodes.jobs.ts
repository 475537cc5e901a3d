import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { registerJobHandler, registerSchedule } from '../server/modules/jobs/index.ts';

/**
 * Each run appends one line `<kind> <job id> <pid> <due time>` to this node's own file in
 * TWO_NODES_RUN_DIR; the test reads both files and counts.
 */
const dir = process.env.TWO_NODES_RUN_DIR as string;
const record = (line: string) => appendFileSync(path.join(dir, `${process.pid}.log`), `${line}\n`);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

registerJobHandler<{ n: number }>(
  'test.count',
  async ({ id }) => {
    await pause(10 + Math.floor(Math.random() * 20));
    record(`job ${id} ${process.pid} -`);
    return { pid: process.pid };
  },
  { maxAttempts: 1 },
);

registerSchedule({
  name: 'test.every-second',
  label: '双节点测试：每秒',
  every: 'every 1s',
  handler: async ({ id, payload }) => {
    await pause(50);
    record(`schedule ${id} ${process.pid} ${payload.scheduledAt}`);
    return { pid: process.pid };
  },
});
