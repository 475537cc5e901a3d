import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams, Ok, paged } from '../../../contracts/common.ts';
import { VersionRequest } from '../../../contracts/org.ts';
import {
  CreateSponsorshipRequest,
  CreateZoneRequest,
  ListSponsorshipsQuery,
  ListZonesQuery,
  Sponsorship,
  UpdateZoneRequest,
  Zone,
} from '../../../contracts/places.ts';
import type { Deps } from '../../deps.ts';
import { requireCtx } from '../../http/auth.ts';
import * as service from './zones.service.ts';

const tags = ['组织体系'];

export const zoneRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/api/org/zones', { schema: { tags, summary: '责任区列表（含包保单位）', querystring: ListZonesQuery, response: { 200: paged(Zone) } } }, async (req) =>
      service.listZones(deps, requireCtx(req), req.query),
    );
    app.get('/api/org/zones/:id', { schema: { tags, summary: '责任区详情', params: IdParams, response: { 200: Zone } } }, async (req) =>
      service.getZone(deps, requireCtx(req), req.params.id),
    );
    app.post('/api/org/zones', { schema: { tags, summary: '新增责任区', body: CreateZoneRequest, response: { 200: Zone } } }, async (req) =>
      service.createZone(deps, requireCtx(req), req.body),
    );
    app.patch(
      '/api/org/zones/:id',
      { schema: { tags, summary: '修改责任区及包保单位（带 version 乐观锁）', params: IdParams, body: UpdateZoneRequest, response: { 200: Zone } } },
      async (req) => service.updateZone(deps, requireCtx(req), req.params.id, req.body),
    );
    app.post(
      '/api/org/zones/:id/deactivate',
      { schema: { tags, summary: '停用责任区', params: IdParams, body: VersionRequest, response: { 200: Zone } } },
      async (req) => service.setZoneActive(deps, requireCtx(req), req.params.id, req.body.version, false),
    );
    app.post(
      '/api/org/zones/:id/activate',
      { schema: { tags, summary: '启用责任区', params: IdParams, body: VersionRequest, response: { 200: Zone } } },
      async (req) => service.setZoneActive(deps, requireCtx(req), req.params.id, req.body.version, true),
    );
    app.get(
      '/api/org/sponsorships',
      { schema: { tags, summary: '包保关系列表（社区、责任区、点位）', querystring: ListSponsorshipsQuery, response: { 200: paged(Sponsorship) } } },
      async (req) => service.listSponsorships(deps, requireCtx(req), req.query),
    );
    app.post(
      '/api/org/sponsorships',
      { schema: { tags, summary: '新增包保关系', body: CreateSponsorshipRequest, response: { 200: Sponsorship } } },
      async (req) => service.createSponsorship(deps, requireCtx(req), req.body),
    );
    app.delete(
      '/api/org/sponsorships/:id',
      { schema: { tags, summary: '删除包保关系', params: IdParams, response: { 200: Ok } } },
      async (req) => service.deleteSponsorship(deps, requireCtx(req), req.params.id),
    );
  };
