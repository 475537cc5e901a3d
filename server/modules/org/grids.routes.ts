import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, paged } from '../../../contracts/common.ts';
import { VersionRequest } from '../../../contracts/org.ts';
import { CreateGridRequest, Grid, GridWorkerOption, GridWorkerOptionsQuery, ListGridsQuery, UpdateGridRequest } from '../../../contracts/places.ts';
import type { Deps } from '../../deps.ts';
import { requireCtx } from '../../http/auth.ts';
import * as service from './grids.service.ts';

const tags = ['组织体系'];

export const gridRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/org/grids',
      { schema: { tags, summary: '网格列表（分页，按区域、关键字、网格员）', querystring: ListGridsQuery, response: { 200: paged(Grid) } } },
      async (req) => service.listGrids(deps, requireCtx(req), req.query),
    );
    app.get(
      '/api/org/grid-worker-options',
      { schema: { tags, summary: '可选为该社区网格员的用户', querystring: GridWorkerOptionsQuery, response: { 200: z.array(GridWorkerOption) } } },
      async (req) => service.gridWorkerOptions(deps, requireCtx(req), req.query.communityId),
    );
    app.get('/api/org/grids/:id', { schema: { tags, summary: '网格详情', params: IdParams, response: { 200: Grid } } }, async (req) =>
      service.getGrid(deps, requireCtx(req), req.params.id),
    );
    app.post('/api/org/grids', { schema: { tags, summary: '新增网格', body: CreateGridRequest, response: { 200: Grid } } }, async (req) =>
      service.createGrid(deps, requireCtx(req), req.body),
    );
    app.patch(
      '/api/org/grids/:id',
      { schema: { tags, summary: '修改网格（含边界与网格员，带 version 乐观锁）', params: IdParams, body: UpdateGridRequest, response: { 200: Grid } } },
      async (req) => service.updateGrid(deps, requireCtx(req), req.params.id, req.body),
    );
    app.post(
      '/api/org/grids/:id/deactivate',
      { schema: { tags, summary: '停用网格', params: IdParams, body: VersionRequest, response: { 200: Grid } } },
      async (req) => service.setGridActive(deps, requireCtx(req), req.params.id, req.body.version, false),
    );
    app.post(
      '/api/org/grids/:id/activate',
      { schema: { tags, summary: '启用网格', params: IdParams, body: VersionRequest, response: { 200: Grid } } },
      async (req) => service.setGridActive(deps, requireCtx(req), req.params.id, req.body.version, true),
    );
  };
