import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams, paged } from '../../../contracts/common.ts';
import { VersionRequest } from '../../../contracts/org.ts';
import { CreatePointRequest, ListPointsQuery, Point, PointMarkers, UpdatePointRequest } from '../../../contracts/places.ts';
import type { Deps } from '../../deps.ts';
import { requireCtx } from '../../http/auth.ts';
import * as service from './points.service.ts';

const tags = ['组织体系'];
const MarkersQuery = ListPointsQuery.omit({ page: true, pageSize: true });

export const pointRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/org/points',
      { schema: { tags, summary: '点位列表（分页；按类型、区域、网格、责任单位、重点、关键字）', querystring: ListPointsQuery, response: { 200: paged(Point) } } },
      async (req) => service.listPoints(deps, requireCtx(req), req.query),
    );
    app.get(
      '/api/org/points/markers',
      { schema: { tags, summary: '地图点位（同列表筛选，不分页，最多 5000 个）', querystring: MarkersQuery, response: { 200: PointMarkers } } },
      async (req) => service.pointMarkers(deps, requireCtx(req), req.query),
    );
    app.get('/api/org/points/:id', { schema: { tags, summary: '点位详情', params: IdParams, response: { 200: Point } } }, async (req) =>
      service.getPoint(deps, requireCtx(req), req.params.id),
    );
    app.post('/api/org/points', { schema: { tags, summary: '新增点位', body: CreatePointRequest, response: { 200: Point } } }, async (req) =>
      service.createPoint(deps, requireCtx(req), req.body),
    );
    app.patch(
      '/api/org/points/:id',
      { schema: { tags, summary: '修改点位（带 version 乐观锁）', params: IdParams, body: UpdatePointRequest, response: { 200: Point } } },
      async (req) => service.updatePoint(deps, requireCtx(req), req.params.id, req.body),
    );
    app.post(
      '/api/org/points/:id/deactivate',
      { schema: { tags, summary: '停用点位', params: IdParams, body: VersionRequest, response: { 200: Point } } },
      async (req) => service.setPointActive(deps, requireCtx(req), req.params.id, req.body.version, false),
    );
    app.post(
      '/api/org/points/:id/activate',
      { schema: { tags, summary: '启用点位', params: IdParams, body: VersionRequest, response: { 200: Point } } },
      async (req) => service.setPointActive(deps, requireCtx(req), req.params.id, req.body.version, true),
    );
  };
