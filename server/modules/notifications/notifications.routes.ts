import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams } from '../../../contracts/common.ts';
import { ListNotificationsQuery, Notification, NotificationPage, ReadAllResponse } from '../../../contracts/notifications.ts';
import type { Deps } from '../../deps.ts';
import { requireCtx } from '../../http/auth.ts';
import * as service from './notifications.service.ts';

const tags = ['通知'];

export const notificationRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/api/notifications', { schema: { tags, summary: '我的通知（分页，含未读数）', querystring: ListNotificationsQuery, response: { 200: NotificationPage } } }, async (req) =>
      service.listMine(deps, requireCtx(req), req.query),
    );
    app.post('/api/notifications/read-all', { schema: { tags, summary: '全部标为已读', response: { 200: ReadAllResponse } } }, async (req) =>
      service.markAllRead(deps, requireCtx(req)),
    );
    app.post('/api/notifications/:id/read', { schema: { tags, summary: '标为已读', params: IdParams, response: { 200: Notification } } }, async (req) =>
      service.markRead(deps, requireCtx(req), req.params.id),
    );
  };
