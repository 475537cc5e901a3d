import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type IssuePlace, IssuePlaceQuery, IssuePlace as IssuePlaceSchema } from '../../../contracts/issue-place.ts';
import type { Deps } from '../../deps.ts';
import { requireCtx } from '../../http/auth.ts';
import { getGridRow, getPointRow, getUnitRow } from '../org/index.ts';
import { issuesPolicy } from './issues.policy.ts';
import { assertInCity, placeOf } from './public.service.ts';

/**
 * Where a staff report at given coordinates belongs (contracts/issue-place.ts). Read-only; it
 * names one point, grid or area unit, which the reporter then files with POST /api/issues.
 */
export const issuePlaceRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/issues/place',
      { schema: { tags: ['问题整改'], summary: '按坐标识别问题所属点位、网格或区域（上报用）', querystring: IssuePlaceQuery, response: { 200: IssuePlaceSchema } } },
      async (req): Promise<IssuePlace> => {
        issuesPolicy.report(requireCtx(req).actor);
        const { lng, lat } = req.query;
        const fields = { lng: 'querystring.lng', lat: 'querystring.lat' };
        await assertInCity(deps, lng, lat, fields);
        const place = await placeOf(deps, lng, lat, 'querystring.lng');
        if (place.pointId) {
          const p = await getPointRow(deps.db, place.pointId);
          return { kind: 'point', pointId: place.pointId, gridId: null, areaUnitId: null, label: `点位 ${p?.name ?? ''}` };
        }
        if (place.gridId) {
          const g = await getGridRow(deps.db, place.gridId);
          return { kind: 'grid', pointId: null, gridId: place.gridId, areaUnitId: null, label: `网格 ${g?.name ?? ''}` };
        }
        const a = await getUnitRow(deps.db, place.areaUnitId!);
        return { kind: 'area', pointId: null, gridId: null, areaUnitId: place.areaUnitId!, label: `区域 ${a?.name ?? ''}` };
      },
    );
  };
