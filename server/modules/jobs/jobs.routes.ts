import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams } from '../../../contracts/common.ts';
import { Job, JobList, ListJobsQuery, Schedule } from '../../../contracts/jobs.ts';
import type { Deps } from '../../deps.ts';
import { requireCtx } from '../../http/auth.ts';
import { attachmentHeader } from '../../lib/excel.ts';
import * as service from './jobs.service.ts';

const tags = ['后台任务'];

export const jobRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/api/jobs', { schema: { tags, summary: '后台任务列表（本人提交的；市创文办可看全部）', querystring: ListJobsQuery, response: { 200: JobList } } }, async (req) =>
      service.listJobs(deps, requireCtx(req), req.query),
    );
    app.get('/api/jobs/schedules', { schema: { tags, summary: '定时任务及下次执行时间', response: { 200: z.array(Schedule) } } }, async (req) =>
      service.listSchedules(deps, requireCtx(req)),
    );
    app.post(
      '/api/jobs/schedules/:name/run',
      { schema: { tags, summary: '立即执行一次定时任务（市创文办）', params: z.object({ name: z.string().regex(/^[a-z][a-z0-9_.:-]{0,79}$/, '定时任务名称不正确') }), response: { 200: Job } } },
      async (req) => service.runScheduleNow(deps, requireCtx(req), req.params.name),
    );
    app.get('/api/jobs/:id', { schema: { tags, summary: '后台任务详情与进度', params: IdParams, response: { 200: Job } } }, async (req) =>
      service.getJob(deps, requireCtx(req), req.params.id),
    );
    app.post('/api/jobs/:id/cancel', { schema: { tags, summary: '取消后台任务（排队中的立即取消，执行中的在当前步骤后停止）', params: IdParams, response: { 200: Job } } }, async (req) =>
      service.cancelJob(deps, requireCtx(req), req.params.id),
    );
    app.post('/api/jobs/:id/retry', { schema: { tags, summary: '重试失败或已取消的后台任务', params: IdParams, response: { 200: Job } } }, async (req) =>
      service.retryJob(deps, requireCtx(req), req.params.id),
    );
    app.get('/api/jobs/:id/result', { schema: { tags, summary: '下载后台任务的结果文件（保存 7 天）', params: IdParams } }, async (req, reply) => {
      const file = await service.resultFile(deps, requireCtx(req), req.params.id);
      return reply
        .type(file.mime)
        .header('content-disposition', attachmentHeader(file.name))
        .header('content-length', file.size)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'no-store')
        .send(file.stream);
    });
  };
