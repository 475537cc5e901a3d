import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { MetricsQuery, MetricsReport, MetricsTrend, MetricsTrendQuery } from '../../../contracts/issue-metrics.ts';
import type { Deps } from '../../deps.ts';
import { requireCtx } from '../../http/auth.ts';
import { attachmentHeader, XLSX_MIME } from '../../lib/excel.ts';
import * as service from './metrics.service.ts';

const tags = ['问题整改'];

export const issueMetricsRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/issue-metrics',
      {
        schema: {
          tags,
          summary: '统计分析：应结案数、结案率、按期结案率、返工率、超期未结、回潮、处置时长，按单位、区县、分类或来源',
          querystring: MetricsQuery,
          response: { 200: MetricsReport },
        },
      },
      async (req) => service.getMetrics(deps, requireCtx(req), req.query),
    );
    app.get(
      '/api/issue-metrics/trend',
      { schema: { tags, summary: '统计分析趋势：按周或按月的合计', querystring: MetricsTrendQuery, response: { 200: MetricsTrend } } },
      async (req) => service.getTrend(deps, requireCtx(req), req.query),
    );
    app.get('/api/issue-metrics/export', { schema: { tags, summary: '统计分析导出 Excel', querystring: MetricsQuery } }, async (req, reply) => {
      const file = await service.exportMetrics(deps, requireCtx(req), req.query);
      return reply.header('content-type', XLSX_MIME).header('content-disposition', attachmentHeader(file.fileName)).header('cache-control', 'no-store').send(file.buffer);
    });
  };
