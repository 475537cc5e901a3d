import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams } from '../../../contracts/common.ts';
import { CreatePointTypeRequest, ListPointTypesQuery, PointType, UpdatePointTypeRequest } from '../../../contracts/places.ts';
import type { Deps } from '../../deps.ts';
import { requireCtx } from '../../http/auth.ts';
import * as service from './point-types.service.ts';

const tags = ['组织体系'];

export const pointTypeRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/org/point-types',
      { schema: { tags, summary: '点位类型（含点位数量）', querystring: ListPointTypesQuery, response: { 200: z.array(PointType) } } },
      async (req) => service.listPointTypes(deps, requireCtx(req), req.query.includeInactive ?? false),
    );
    app.post(
      '/api/org/point-types',
      { schema: { tags, summary: '新增点位类型（市级）', body: CreatePointTypeRequest, response: { 200: PointType } } },
      async (req) => service.createPointType(deps, requireCtx(req), req.body),
    );
    app.patch(
      '/api/org/point-types/:id',
      { schema: { tags, summary: '修改点位类型：改名、排序、停用（市级）', params: IdParams, body: UpdatePointTypeRequest, response: { 200: PointType } } },
      async (req) => service.updatePointType(deps, requireCtx(req), req.params.id, req.body),
    );
  };
