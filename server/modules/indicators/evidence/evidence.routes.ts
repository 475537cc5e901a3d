import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, paged, QueryBool } from '../../../../contracts/common.ts';
import {
  AddActivityRequest,
  ArchiveQuery,
  CreateRequirementRequest,
  EvidenceDetail,
  EvidenceItem,
  EvidenceRequirement,
  EvidenceSystem,
  GenerateRequest,
  GenerateResult,
  ListItemsQuery,
  ListRequirementsQuery,
  Matrix,
  MatrixQuery,
  ReviewQueueQuery,
  ReviewRequest,
  SaveItemRequest,
  SubmitItemRequest,
  UpdateRequirementRequest,
} from '../../../../contracts/evidence.ts';
import type { Deps } from '../../../deps.ts';
import { requireCtx } from '../../../http/auth.ts';
import { attachmentHeader, XLSX_MIME } from '../../../lib/excel.ts';
import * as service from './evidence.service.ts';

const tags = ['材料审核'];

export const evidenceRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/api/evidence/systems', { schema: { tags, summary: '可选的测评体系（含材料要求数）', response: { 200: z.array(EvidenceSystem) } } }, async (req) =>
      service.listSystems(deps, requireCtx(req)),
    );

    // requirements
    app.get(
      '/api/evidence/requirements',
      { schema: { tags, summary: '材料要求列表（按体系、标准、关键词）', querystring: ListRequirementsQuery, response: { 200: paged(EvidenceRequirement) } } },
      async (req) => service.listRequirements(deps, requireCtx(req), req.query),
    );
    app.post(
      '/api/evidence/requirements',
      { schema: { tags, summary: '新增材料要求（标准、单位或全部责任单位、频次、起止日期），默认立即生成已到期各期', body: CreateRequirementRequest, response: { 200: EvidenceRequirement } } },
      async (req) => service.createRequirement(deps, requireCtx(req), req.body),
    );
    app.patch(
      '/api/evidence/requirements/:id',
      { schema: { tags, summary: '修改材料要求（名称、说明、截止日期、停用；带 version）', params: IdParams, body: UpdateRequirementRequest, response: { 200: EvidenceRequirement } } },
      async (req) => service.updateRequirement(deps, requireCtx(req), req.params.id, req.body),
    );
    app.post(
      '/api/evidence/requirements/generate',
      { schema: { tags, summary: '生成待报材料：每个单位每个已开始的期间一份（已有的不变）', body: GenerateRequest, response: { 200: GenerateResult } } },
      async (req) => service.generate(deps, requireCtx(req), req.body),
    );

    // items
    app.get(
      '/api/evidence/items',
      { schema: { tags, summary: '材料列表（mine=true：本单位待报与已报；也用于矩阵下钻）', querystring: ListItemsQuery, response: { 200: paged(EvidenceItem) } } },
      async (req) => service.listItems(deps, requireCtx(req), req.query),
    );
    app.get('/api/evidence/items/:id', { schema: { tags, summary: '材料详情（文件、流转记录、可执行操作）', params: IdParams, response: { 200: EvidenceDetail } } }, async (req) =>
      service.getItem(deps, requireCtx(req), req.params.id),
    );
    app.post(
      '/api/evidence/items',
      { schema: { tags, summary: '按活动报送的要求：为本单位新增一份材料', body: AddActivityRequest, response: { 200: EvidenceDetail } } },
      async (req) => service.addActivity(deps, requireCtx(req), req.body),
    );
    app.patch(
      '/api/evidence/items/:id',
      { schema: { tags, summary: '保存材料（标题、日期、说明、文件），不提交', params: IdParams, body: SaveItemRequest, response: { 200: EvidenceDetail } } },
      async (req) => service.saveItem(deps, requireCtx(req), req.params.id, req.body),
    );
    app.post(
      '/api/evidence/items/:id/submit',
      { schema: { tags, summary: '提交（待提交）或重新提交（退回）材料', params: IdParams, body: SubmitItemRequest, response: { 200: EvidenceDetail } } },
      async (req) => service.submitItem(deps, requireCtx(req), req.params.id, req.body),
    );
    app.post(
      '/api/evidence/items/:id/review',
      { schema: { tags, summary: '审核：通过，或退回（须填原因）；已审核的再审核返回 409', params: IdParams, body: ReviewRequest, response: { 200: EvidenceDetail } } },
      async (req) => service.reviewItem(deps, requireCtx(req), req.params.id, req.body),
    );
    app.get(
      '/api/evidence/review-queue',
      { schema: { tags, summary: '审核队列：本辖区已提交待审核的材料，最早提交的在前', querystring: ReviewQueueQuery, response: { 200: paged(EvidenceItem) } } },
      async (req) => service.reviewQueue(deps, requireCtx(req), req.query),
    );

    // matrix, export, archive
    const MatrixWithPeriod = MatrixQuery.and(z.object({ byPeriod: QueryBool.optional().describe('true：按期间分列') }));
    app.get('/api/evidence/matrix', { schema: { tags, summary: '完备性矩阵（标准 × 单位 × 期间）', querystring: MatrixWithPeriod, response: { 200: Matrix } } }, async (req) =>
      service.matrix(deps, requireCtx(req), req.query),
    );
    app.get('/api/evidence/matrix/export', { schema: { tags, summary: '导出完备性矩阵（Excel）', querystring: MatrixQuery } }, async (req, reply) => {
      const file = await service.matrixExport(deps, requireCtx(req), req.query);
      return reply.header('content-type', XLSX_MIME).header('content-disposition', attachmentHeader(file.fileName)).header('cache-control', 'no-store').send(file.buffer);
    });
    app.get('/api/evidence/archive', { schema: { tags, summary: '材料归档包（ZIP：按测评项目/单位分文件夹，含材料索引.xlsx），流式下载', querystring: ArchiveQuery } }, async (req, reply) => {
      const file = await service.archive(deps, requireCtx(req), req.query);
      return reply.header('content-type', 'application/zip').header('content-disposition', attachmentHeader(file.fileName)).header('cache-control', 'no-store').send(file.stream);
    });
  };
