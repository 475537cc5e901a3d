import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, Ok } from '../../../contracts/common.ts';
import { ListSavedViewsQuery, SavedView, SaveViewRequest } from '../../../contracts/saved-views.ts';
import type { Deps } from '../../deps.ts';
import { requireCtx } from '../../http/auth.ts';
import * as service from './saved-views.service.ts';

const tags = ['常用视图'];

export const savedViewRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/api/saved-views', { schema: { tags, summary: '我在某页面保存的筛选视图', querystring: ListSavedViewsQuery, response: { 200: z.array(SavedView) } } }, async (req) =>
      service.listViews(deps, requireCtx(req), req.query.page),
    );
    app.post('/api/saved-views', { schema: { tags, summary: '保存筛选视图（同页面同名覆盖）', body: SaveViewRequest, response: { 200: SavedView } } }, async (req) =>
      service.saveView(deps, requireCtx(req), req.body),
    );
    app.delete('/api/saved-views/:id', { schema: { tags, summary: '删除我的视图', params: IdParams, response: { 200: Ok } } }, async (req) => {
      await service.deleteView(deps, requireCtx(req), req.params.id);
      return { ok: true as const };
    });
  };
