import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, QueryBool, paged } from '../../../contracts/common.ts';
import {
  CreateOrgUnitRequest,
  ListOrgUnitsQuery,
  MoveOrgUnitRequest,
  OrgUnit,
  OrgUnitKind,
  OrgUnitOption,
  OrgUnitOptionsQuery,
  OrgSummary,
  UpdateOrgUnitRequest,
  VersionRequest,
} from '../../../contracts/org.ts';
import type { Deps } from '../../deps.ts';
import { requireCtx } from '../../http/auth.ts';
import * as service from './units.service.ts';

const tags = ['组织体系'];
const TreeNode = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  name: z.string(),
  kind: OrgUnitKind,
  subKind: z.string().nullable(),
  isActive: z.boolean(),
  depth: z.number(),
});

export const unitRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/org/units',
      { schema: { tags, summary: '单位列表（分页、按上级、类型、关键字）', querystring: ListOrgUnitsQuery, response: { 200: paged(OrgUnit) } } },
      async (req) => service.listUnits(deps, requireCtx(req), req.query),
    );
    app.get(
      '/api/org/units/tree',
      {
        schema: {
          tags,
          summary: '可见范围内的单位树（扁平列表）',
          querystring: z.object({ includeInactive: QueryBool.optional() }),
          response: { 200: z.array(TreeNode) },
        },
      },
      async (req) => (await service.getUnitTree(deps, requireCtx(req), req.query.includeInactive ?? false)) as z.infer<typeof TreeNode>[],
    );
    app.get(
      '/api/org/units/options',
      { schema: { tags, summary: '单位选择器：按中文、全拼、首字母搜索', querystring: OrgUnitOptionsQuery, response: { 200: z.array(OrgUnitOption) } } },
      async (req) =>
        service.unitOptions(deps, requireCtx(req), req.query.q, req.query.kinds?.split(',').filter(Boolean) ?? [], req.query.limit, req.query.scope),
    );
    app.get('/api/org/summary', { schema: { tags, summary: '工作台：管辖范围内的组织与点位数量', response: { 200: OrgSummary } } }, async (req) =>
      service.getSummary(deps, requireCtx(req)),
    );
    app.get('/api/org/units/:id', { schema: { tags, summary: '单位详情', params: IdParams, response: { 200: OrgUnit } } }, async (req) =>
      service.getUnit(deps, requireCtx(req), req.params.id),
    );
    app.post('/api/org/units', { schema: { tags, summary: '新增单位', body: CreateOrgUnitRequest, response: { 200: OrgUnit } } }, async (req) =>
      service.createUnit(deps, requireCtx(req), req.body),
    );
    app.patch(
      '/api/org/units/:id',
      { schema: { tags, summary: '修改单位（带 version 乐观锁）', params: IdParams, body: UpdateOrgUnitRequest, response: { 200: OrgUnit } } },
      async (req) => service.updateUnit(deps, requireCtx(req), req.params.id, req.body),
    );
    app.post(
      '/api/org/units/:id/move',
      { schema: { tags, summary: '移动单位到新的上级', params: IdParams, body: MoveOrgUnitRequest, response: { 200: OrgUnit } } },
      async (req) => service.moveUnit(deps, requireCtx(req), req.params.id, req.body.parentId, req.body.version),
    );
    app.post(
      '/api/org/units/:id/deactivate',
      { schema: { tags, summary: '停用单位（保留历史）', params: IdParams, body: VersionRequest, response: { 200: OrgUnit } } },
      async (req) => service.setUnitActive(deps, requireCtx(req), req.params.id, req.body.version, false),
    );
    app.post(
      '/api/org/units/:id/activate',
      { schema: { tags, summary: '重新启用单位', params: IdParams, body: VersionRequest, response: { 200: OrgUnit } } },
      async (req) => service.setUnitActive(deps, requireCtx(req), req.params.id, req.body.version, true),
    );
  };
