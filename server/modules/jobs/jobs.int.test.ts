import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, JobList } from '../../../contracts/jobs.ts';
import type { RequestContext } from '../../http/actor.ts';
import { AppError } from '../../http/errors.ts';
import { type Client, type TestApp, startTestApp } from '../../test/harness.ts';
import { createEvidenceFixture } from '../indicators/evidence/evidence.fixtures.ts';
import { enqueueJob, registerJobHandler, registerSchedule, runDueOnce } from './index.ts';
import { unregisterForTest } from './jobs.registry.ts';
import * as repo from './jobs.repo.ts';

/** A RequestContext for a demo user, as a route would pass it to a service that enqueues. */
async function ctxOf(t: TestApp, username: string): Promise<RequestContext> {
  const { rows } = await t.deps.database.query<{ id: string; name: string; unit_id: string; path: string }>(
    `SELECT u.id, u.name, u.unit_id, ou.path FROM users u JOIN org_units ou ON ou.id = u.unit_id WHERE u.username = $1`,
    [username],
  );
  const u = rows[0];
  return { actor: { userId: u.id, username, name: u.name, unitId: u.unit_id, unitPath: u.path, roles: [], permissions: new Set(), gridIds: new Set() }, ip: '127.0.0.1' };
}

const calls = new Map<string, number>();
const bump = (k: string) => calls.set(k, (calls.get(k) ?? 0) + 1);

registerJobHandler<{ rows: number }>('test.export', async ({ payload, progress, saveResultFile }) => {
  for (let i = 1; i <= payload.rows; i++) await progress((i / payload.rows) * 100, `第 ${i}/${payload.rows} 行`);
  await saveResultFile('导出结果.csv', 'text/csv', Buffer.from('编号,名称\n1,甲\n', 'utf8'));
  return { rows: payload.rows };
});
registerJobHandler<{ key: string; failures: number }>(
  'test.flaky',
  async ({ payload, attempt }) => {
    bump(payload.key);
    if (attempt <= payload.failures) throw new Error(`临时故障 ${attempt}`);
    return { attempt };
  },
  { maxAttempts: 3, backoffMs: 10_000 },
);
registerJobHandler('test.refuse', async () => {
  throw new AppError('BUSINESS_RULE', '第 3 行：单位「不存在局」无法识别');
});
registerJobHandler<{ key: string }>('test.slow', async ({ payload, signal, throwIfCancelled, progress }) => {
  bump(payload.key);
  for (let i = 0; i < 200; i++) {
    throwIfCancelled();
    await progress(i / 2, '处理中');
    await new Promise((r) => setTimeout(r, 25));
    if (signal.aborted) break;
  }
  throwIfCancelled();
  return { done: true };
});

describe('job queue: progress, result file, retry with backoff, cancel, scope, schedules once', () => {
  let t: TestApp;
  let admin: Client;
  let qu: Client;
  let danwei: Client;
  let quCtx: RequestContext;

  beforeAll(async () => {
    t = await startTestApp();
    [admin, qu, danwei] = await Promise.all([t.login('admin'), t.login('qu_admin'), t.login('danwei')]);
    quCtx = await ctxOf(t, 'qu_admin');
  });
  afterAll(async () => {
    unregisterForTest('test.every-minute');
    await t?.close();
  });

  it('runs a job with progress and a result file; its owner and the city office see it, others do not', async () => {
    const job = await t.deps.db.transaction((tx) => enqueueJob(tx, quCtx, { type: 'test.export', label: '导出测试（5 行）', payload: { rows: 5 } }));
    const queued = (await qu.get(`/api/jobs/${job.id}`)).json() as Job;
    expect(queued).toMatchObject({ state: 'queued', progress: 0, actorName: expect.any(String) });

    const r = await runDueOnce(t.deps, { types: ['test.export'] });
    expect(r.ran).toEqual([{ id: job.id, type: 'test.export', state: 'succeeded' }]);
    const done = (await qu.get(`/api/jobs/${job.id}`)).json() as Job;
    expect(done).toMatchObject({ state: 'succeeded', progress: 100, attempts: 1, result: { rows: 5 }, resultFile: { name: '导出结果.csv', mime: 'text/csv' } });
    expect(new Date(done.expiresAt!).getTime() - new Date(done.finishedAt!).getTime()).toBe(7 * 86_400_000);

    const file = await qu.get(`/api/jobs/${job.id}/result`);
    expect(file.statusCode).toBe(200);
    expect(file.body).toBe('编号,名称\n1,甲\n');
    expect(file.headers['content-disposition']).toContain("filename*=UTF-8''%E5%AF%BC%E5%87%BA");

    // scope: danwei neither lists nor opens it; the city admin sees it in the list of all jobs
    expect((await danwei.get(`/api/jobs/${job.id}`)).statusCode).toBe(404);
    expect((await danwei.get(`/api/jobs/${job.id}/result`)).statusCode).toBe(404);
    expect(((await danwei.get('/api/jobs')).json() as JobList).items.map((j) => j.id)).not.toContain(job.id);
    expect(((await qu.get('/api/jobs')).json() as JobList).items.map((j) => j.id)).toContain(job.id);
    const all = (await admin.get('/api/jobs')).json() as JobList;
    expect(all.items.map((j) => j.id)).toContain(job.id);
    expect(all.counts.succeeded).toBeGreaterThanOrEqual(1);
    expect(((await admin.get('/api/jobs?mine=true')).json() as JobList).items.map((j) => j.id)).not.toContain(job.id);
  });

  it('retries with exponential backoff until it succeeds; gives up after maxAttempts', async () => {
    const t0 = new Date('2030-01-01T00:00:00Z');
    const ok = await enqueueJob(t.deps.db, quCtx, { type: 'test.flaky', label: '会失败两次', payload: { key: 'a', failures: 2 }, runAt: t0 });
    const at = (s: number) => new Date(t0.getTime() + s * 1000);
    expect((await runDueOnce(t.deps, { now: at(0), types: ['test.flaky'] })).ran[0].state).toBe('queued');
    let row = (await qu.get(`/api/jobs/${ok.id}`)).json() as Job;
    expect(row).toMatchObject({ state: 'queued', attempts: 1, error: '临时故障 1', runAt: at(10).toISOString() });
    // not before the backoff
    expect((await runDueOnce(t.deps, { now: at(9), types: ['test.flaky'] })).ran).toEqual([]);
    expect((await runDueOnce(t.deps, { now: at(10), types: ['test.flaky'] })).ran[0].state).toBe('queued');
    row = (await qu.get(`/api/jobs/${ok.id}`)).json() as Job;
    expect(row.runAt).toBe(at(30).toISOString()); // 10 s, then 20 s
    expect((await runDueOnce(t.deps, { now: at(30), types: ['test.flaky'] })).ran[0].state).toBe('succeeded');
    expect(calls.get('a')).toBe(3);
    expect(((await qu.get(`/api/jobs/${ok.id}`)).json() as Job)).toMatchObject({ state: 'succeeded', attempts: 3, result: { attempt: 3 }, error: null });

    const never = await enqueueJob(t.deps.db, quCtx, { type: 'test.flaky', label: '一直失败', payload: { key: 'b', failures: 99 }, runAt: t0 });
    for (const s of [0, 10, 30]) await runDueOnce(t.deps, { now: at(s), types: ['test.flaky'] });
    expect(((await qu.get(`/api/jobs/${never.id}`)).json() as Job)).toMatchObject({ state: 'failed', attempts: 3, error: '临时故障 3' });
    expect((await runDueOnce(t.deps, { now: at(3600), types: ['test.flaky'] })).ran).toEqual([]);
    expect(calls.get('b')).toBe(3);
  });

  it('a refusal (AppError) fails at once with its Chinese message; retry and cancel are audited', async () => {
    const job = await enqueueJob(t.deps.db, quCtx, { type: 'test.refuse', label: '导入任务分解表' });
    await runDueOnce(t.deps, { types: ['test.refuse'] });
    expect(((await qu.get(`/api/jobs/${job.id}`)).json() as Job)).toMatchObject({ state: 'failed', attempts: 1, error: '第 3 行：单位「不存在局」无法识别' });

    expect((await danwei.post(`/api/jobs/${job.id}/retry`)).statusCode).toBe(404);
    const retried = await qu.post(`/api/jobs/${job.id}/retry`);
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json()).toMatchObject({ state: 'queued', attempts: 0, error: null });
    expect((await qu.post(`/api/jobs/${job.id}/retry`)).json().error.message).toBe('只有失败或已取消的任务可以重试');
    const cancelled = await qu.post(`/api/jobs/${job.id}/cancel`);
    expect(cancelled.json()).toMatchObject({ state: 'cancelled', error: '任务已取消' });
    expect((await qu.post(`/api/jobs/${job.id}/cancel`)).statusCode).toBe(409);
    expect((await runDueOnce(t.deps, { types: ['test.refuse'] })).ran).toEqual([]);

    const audit = await t.deps.database.query<{ action: string; actor_name: string }>(`SELECT action, actor_name FROM audit_log WHERE entity = 'job' AND entity_id = $1 ORDER BY id`, [job.id]);
    expect(audit.rows.map((r) => r.action)).toEqual(['enqueue', 'retry', 'cancel']);
  });

  it('cancels a running job cooperatively: the handler sees the signal and the job ends 已取消', async () => {
    const job = await enqueueJob(t.deps.db, quCtx, { type: 'test.slow', label: '慢任务', payload: { key: 'slow' } });
    const run = runDueOnce(t.deps, { types: ['test.slow'] });
    for (let i = 0; i < 100; i++) {
      const j = (await qu.get(`/api/jobs/${job.id}`)).json() as Job;
      if (j.state === 'running' && j.progress > 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const res = await qu.post(`/api/jobs/${job.id}/cancel`);
    expect(res.json()).toMatchObject({ state: 'running', cancelRequested: true });
    const started = Date.now();
    expect((await run).ran[0]).toMatchObject({ id: job.id, state: 'cancelled' });
    expect(Date.now() - started).toBeLessThan(4000);
    expect(((await qu.get(`/api/jobs/${job.id}`)).json() as Job)).toMatchObject({ state: 'cancelled', cancelRequested: true });
    expect(calls.get('slow')).toBe(1);
  });

  it('a job whose node died is taken over when its lease ends, not before', async () => {
    const job = await enqueueJob(t.deps.db, quCtx, { type: 'test.export', label: '中断的导出', payload: { rows: 1 } });
    const now = new Date();
    const [claimed] = await repo.claimJobs(t.deps.db, { nodeId: 'dead-node', types: ['test.export'], now, limit: 1, leaseMs: 60_000 });
    expect(claimed.id).toBe(job.id);
    expect((await runDueOnce(t.deps, { now: new Date(now.getTime() + 30_000), types: ['test.export'] })).ran).toEqual([]);
    const later = await runDueOnce(t.deps, { now: new Date(now.getTime() + 61_000), types: ['test.export'] });
    expect(later.recovered).toBe(1);
    expect(later.ran).toEqual([{ id: job.id, type: 'test.export', state: 'succeeded' }]);
    expect(((await qu.get(`/api/jobs/${job.id}`)).json() as Job)).toMatchObject({ state: 'succeeded', attempts: 2 });
  });

  it('a schedule runs once per due time whatever the number of nodes, and its next due time is kept in the database', async () => {
    let runs = 0;
    registerSchedule({ name: 'test.every-minute', label: '测试：每分钟', every: 'every 1m', handler: async ({ payload }) => ({ n: ++runs, scheduledAt: payload.scheduledAt }) });
    const t0 = new Date('2031-03-01T08:00:30Z');
    const first = await runDueOnce(t.deps, { now: t0, types: ['schedule:test.every-minute'] });
    expect(first.scheduled).toEqual([]); // registered now: first due at the next minute
    const { rows } = await t.deps.database.query<{ next_run_at: Date }>(`SELECT next_run_at FROM schedules WHERE name = 'test.every-minute'`);
    expect(new Date(rows[0].next_run_at).toISOString()).toBe('2031-03-01T08:01:00.000Z');

    const due = new Date('2031-03-01T08:01:05Z');
    // three nodes look at the same moment: exactly one enqueues the run
    const results = await Promise.all(['n1', 'n2', 'n3'].map((nodeId) => runDueOnce(t.deps, { now: due, nodeId, types: ['schedule:test.every-minute'] })));
    expect(results.flatMap((r) => r.scheduled)).toHaveLength(1);
    expect(results.flatMap((r) => r.ran).map((r) => r.state)).toEqual(['succeeded']);
    expect(runs).toBe(1);
    // an hour of downtime: the missed minutes collapse into one run
    const late = await runDueOnce(t.deps, { now: new Date('2031-03-01T09:01:10Z'), types: ['schedule:test.every-minute'] });
    expect(late.scheduled).toHaveLength(1);
    expect(runs).toBe(2);
    const sch = (await admin.get('/api/jobs/schedules')).json() as { name: string; description: string; nextRunAt: string }[];
    expect(sch.find((s) => s.name === 'test.every-minute')).toMatchObject({ description: '每 1 分钟', nextRunAt: '2031-03-01T09:02:00.000Z' });
    expect(sch.map((s) => s.name)).toEqual(expect.arrayContaining(['evidence.generate-due', 'issues.due-reminders', 'jobs.purge']));
    expect((await qu.get('/api/jobs/schedules')).statusCode).toBe(403);
    const list = (await admin.get('/api/jobs?type=schedule:test.every-minute')).json() as JobList;
    expect(list.items.map((j) => j.label)).toEqual(['测试：每分钟', '测试：每分钟']);
    expect(list.items[0]).toMatchObject({ actorId: null, scheduleName: 'test.every-minute' });
  });

  it('evidence due items are generated by the daily schedule when a period opens', async () => {
    const fx = await createEvidenceFixture(t.deps.db, '2026年度测评体系（定时生成测试）');
    const res = await admin.post('/api/evidence/requirements', {
      standardId: fx.standards['Ⅲ-1-1'],
      recurrence: 'monthly',
      title: '学雷锋活动月报（定时）',
      startsOn: '2026-01-01',
      endsOn: '2026-12-31',
      generate: false,
    });
    expect(res.statusCode, res.body).toBe(200);
    const reqId = res.json().id as string;
    const count = async () => Number((await t.deps.database.query<{ n: string }>(`SELECT count(*) AS n FROM evidence_items WHERE requirement_id = $1`, [reqId])).rows[0].n);
    expect(await count()).toBe(0);
    // the schedule comes due (set as if midnight had passed)
    await runDueOnce(t.deps, { types: [] });
    await t.deps.database.query(`UPDATE schedules SET next_run_at = now() - interval '1 minute' WHERE name = 'evidence.generate-due'`);
    const r = await runDueOnce(t.deps, { types: ['schedule:evidence.generate-due'] });
    expect(r.ran.map((x) => x.state)).toEqual(['succeeded']);
    const created = await count();
    expect(created).toBeGreaterThan(0); // two units × the months begun so far
    const job = (await admin.get(`/api/jobs/${r.ran[0].id}`)).json() as Job;
    expect(job).toMatchObject({ label: '生成各期待报材料', progress: 100 });
    expect((job.result as { created: number }).created).toBeGreaterThanOrEqual(created);
    const audit = await t.deps.database.query<{ actor_name: string }>(`SELECT actor_name FROM audit_log WHERE entity = 'evidence_requirement' AND entity_id = $1 AND action = 'generate'`, [reqId]);
    expect(audit.rows).toEqual([{ actor_name: '系统' }]);
  });

  it('results are purged with their files after 7 days', async () => {
    const job = await enqueueJob(t.deps.db, quCtx, { type: 'test.export', label: '过期的导出', payload: { rows: 1 } });
    await runDueOnce(t.deps, { types: ['test.export'] });
    const { rows } = await t.deps.database.query<{ result_file_key: string }>(`SELECT result_file_key FROM jobs WHERE id = $1`, [job.id]);
    await t.deps.database.query(`UPDATE jobs SET finished_at = now() - interval '8 days' WHERE id = $1`, [job.id]);
    await t.deps.database.query(`UPDATE schedules SET next_run_at = now() - interval '1 minute' WHERE name = 'jobs.purge'`);
    const r = await runDueOnce(t.deps, { types: ['schedule:jobs.purge'] });
    expect(r.ran.map((x) => x.state)).toEqual(['succeeded']);
    expect((await qu.get(`/api/jobs/${job.id}`)).statusCode).toBe(404);
    await expect(t.deps.storage.getBuffer(rows[0].result_file_key)).rejects.toThrow();
  });

  it('the city office runs a schedule now (once at a time); others may not', async () => {
    const res = await admin.post('/api/jobs/schedules/jobs.purge/run');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ label: '清理过期的后台任务结果（手动执行）', state: 'queued', scheduleName: 'jobs.purge' });
    const again = await admin.post('/api/jobs/schedules/jobs.purge/run');
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain('正在排队或执行中');
    expect((await qu.post('/api/jobs/schedules/jobs.purge/run')).statusCode).toBe(403);
    expect((await admin.post('/api/jobs/schedules/no.such/run')).statusCode).toBe(404);
    expect((await admin.post('/api/jobs/schedules/Bad Name/run')).statusCode).toBe(400);
    const r = await runDueOnce(t.deps, { types: ['schedule:jobs.purge'] });
    expect(r.ran).toEqual([{ id: res.json().id, type: 'schedule:jobs.purge', state: 'succeeded' }]);
    const audit = await t.deps.database.query<{ action: string }>(`SELECT action FROM audit_log WHERE entity = 'job' AND entity_id = $1`, [res.json().id]);
    expect(audit.rows.map((a) => a.action)).toEqual(['enqueue']);
  });

  it('validates the list query and ids in Chinese', async () => {
    const bad = await qu.get('/api/jobs?state=done');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('querystring.state');
    expect((await qu.get('/api/jobs/not-an-id')).statusCode).toBe(400);
    expect((await t.anonymous().get('/api/jobs')).statusCode).toBe(401);
  });
});
