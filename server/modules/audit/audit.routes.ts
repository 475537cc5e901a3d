import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AuditEntry, AuditQuery } from '../../../contracts/audit.ts';
import { paged } from '../../../contracts/common.ts';
import type { Deps } from '../../deps.ts';
import { requireCtx } from '../../http/auth.ts';
import { listAudit } from './audit.service.ts';

export const auditRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/audit',
      { schema: { tags: ['审计'], summary: '按操作人、对象、时间检索审计日志', querystring: AuditQuery, response: { 200: paged(AuditEntry) } } },
      async (req) => listAudit(deps.db, requireCtx(req), req.query),
    );
  };
