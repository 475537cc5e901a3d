import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, Ok } from '../../../contracts/common.ts';
import { Holiday, ListHolidaysQuery, SetHolidayRequest } from '../../../contracts/holidays.ts';
import type { Deps } from '../../deps.ts';
import { requireCtx } from '../../http/auth.ts';
import * as service from './holidays.service.ts';

const tags = ['问题整改'];

export const holidayRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/api/holidays', { schema: { tags, summary: '节假日安排（放假、调休上班），按年份', querystring: ListHolidaysQuery, response: { 200: z.array(Holiday) } } }, async (req) =>
      service.listHolidays(deps, requireCtx(req), req.query.year),
    );
    app.post('/api/holidays', { schema: { tags, summary: '设置某日为放假或调休上班（同一日期覆盖）', body: SetHolidayRequest, response: { 200: Holiday } } }, async (req) =>
      service.setHoliday(deps, requireCtx(req), req.body),
    );
    app.delete('/api/holidays/:id', { schema: { tags, summary: '删除一条节假日安排', params: IdParams, response: { 200: Ok } } }, async (req) => {
      await service.deleteHoliday(deps, requireCtx(req), req.params.id);
      return { ok: true as const };
    });
  };
