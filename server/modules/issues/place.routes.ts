import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  type IssuePlace,
  IssuePlaceQuery,
  IssuePlace as IssuePlaceSchema,
  NEARBY_POINTS_LIMIT,
  NEARBY_POINTS_RADIUS_M,
  NearbyPoints,
} from '../../../contracts/issue-place.ts';
import type { Deps } from '../../deps.ts';
import { requireCtx } from '../../http/auth.ts';
import { getGridRow, getPointRow, getUnitRow, orgPolicy } from '../org/index.ts';
import { issuesPolicy } from './issues.policy.ts';
import { nearbyPoints } from './place.repo.ts';
import { assertInCity, placeOf } from './public.service.ts';

/**
 * Where a staff report at given coordinates belongs, and the reporter's points nearby
 * (contracts/issue-place.ts). Read-only; the reporter then files with POST /api/issues.
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
    app.get(
      '/api/issues/nearby-points',
      {
        schema: {
          tags: ['问题整改'],
          summary: `上报用：可见范围内 ${NEARBY_POINTS_RADIUS_M} 米内最近的 ${NEARBY_POINTS_LIMIT} 个点位`,
          querystring: IssuePlaceQuery,
          response: { 200: NearbyPoints },
        },
      },
      async (req) => {
        const scope = orgPolicy.read(requireCtx(req).actor);
        const rows = await nearbyPoints(deps.db, scope, req.query.lng, req.query.lat, NEARBY_POINTS_RADIUS_M, NEARBY_POINTS_LIMIT);
        return {
          radiusM: NEARBY_POINTS_RADIUS_M,
          items: rows.map((r) => ({ id: r.id, name: r.name, typeName: r.type_name, isKey: r.is_key, lng: r.lng, lat: r.lat, distanceM: Math.round(r.distance_m) })),
        };
      },
    );
  };
