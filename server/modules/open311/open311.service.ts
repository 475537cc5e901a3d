import { maskPersonalText } from '../../../domain/masking.ts';
import type { ApiKey, CreatedApiKey, CreateApiKeyRequest, Open311CreateParams, Open311Created, Open311Discovery, Open311Request, Open311RequestsQuery, Open311Service, Open311ServiceDefinition, Open311Token } from '../../../contracts/open311.ts';
import type { IssueState } from '../../../contracts/issues.ts';
import { PublicStateText } from '../../../contracts/public-report.ts';
import { normalizeTrackingCode } from '../../../domain/tracking-code.ts';
import type { Deps } from '../../deps.ts';
import type { RequestContext } from '../../http/actor.ts';
import { AppError, notFound } from '../../http/errors.ts';
import { requireCityLevel } from '../../http/policy.ts';
import { randomToken, sha256 } from '../../lib/crypto.ts';
import { newId } from '../../lib/ids.ts';
import { audit } from '../audit/index.ts';
import type { IncomingFile } from '../files/index.ts';
import { assertInCity, checkPhotos, fileOnBehalf, leafCategory, type PublicSettings, placeOf, standInContext, titleOf } from '../issues/index.ts';
import * as repo from './open311.repo.ts';

type Open311Deps = Pick<Deps, 'db' | 'crypto' | 'storage' | 'config'>;

/** An Open311 error: the HTTP status is also the `code` of the error array. */
export class Open311Failure extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
  ) {
    super(description);
  }
}

/** The most requests one GET answers, and the default span without dates (the specification's defaults). */
export const MAX_REQUESTS = 1000;
const DEFAULT_SPAN_MS = 90 * 86_400_000;
const FINISHED: readonly IssueState[] = ['closed', 'rejected', 'merged'];

// ---- discovery and services ----

export function discovery(baseUrl: string, contact: string): Open311Discovery {
  const changeset = '2026-11-21T00:00:00Z';
  return {
    changeset,
    contact,
    key_service: '接口密钥由市创文办在「系统管理 → 接口密钥」中发放',
    endpoints: [
      { specification: 'http://wiki.open311.org/GeoReport_v2', url: `${baseUrl}/open311/v2`, changeset, type: 'production', formats: ['application/json', 'text/xml'] },
    ],
  };
}

const presentService = (r: repo.ServiceRow): Open311Service => ({
  service_code: r.code,
  service_name: r.name,
  description: `${r.group_name} · ${r.name}（处置时限 ${r.time_limit_days} 天）`,
  metadata: false,
  type: 'realtime',
  keywords: [r.group_name, r.name].join(','),
  group: r.group_name,
});

export async function services(deps: Open311Deps): Promise<Open311Service[]> {
  return (await repo.listServices(deps.db)).map(presentService);
}

export async function serviceDefinition(deps: Open311Deps, code: string): Promise<Open311ServiceDefinition> {
  const [row] = await repo.listServices(deps.db, code);
  if (!row) throw new Open311Failure(404, `service_code「${code}」不存在`);
  return { service_code: row.code, attributes: [] };
}

// ---- requests ----

const iso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString());

function statusNotes(r: repo.RequestRow): string {
  const state = r.state as IssueState;
  if (state === 'merged' && r.merged_into_number) return `${PublicStateText.merged}（并入 ${r.merged_into_number}）`;
  return PublicStateText[state];
}

export function presentRequest(r: repo.RequestRow, baseUrl: string): Open311Request {
  const state = r.state as IssueState;
  const closed = FINISHED.includes(state);
  const description = r.description ? maskPersonalText(r.description).slice(0, 4000) : null;
  return {
    service_request_id: r.number,
    status: closed ? 'closed' : 'open',
    status_notes: statusNotes(r),
    service_name: r.category_name,
    service_code: r.category_code,
    description,
    agency_responsible: r.unit_name,
    service_notice: null,
    requested_datetime: iso(r.created_at)!,
    updated_datetime: closed && r.closed_at ? iso(r.closed_at) : iso(r.updated_at),
    expected_datetime: closed ? null : iso(r.deadline),
    address: r.address,
    address_id: null,
    zipcode: null,
    lat: r.lat === null ? null : Number(r.lat),
    long: r.lng === null ? null : Number(r.lng),
    media_url: r.first_photo ? `${baseUrl}/api/public/photos/${r.first_photo}` : null,
  };
}

export async function listRequests(deps: Open311Deps, q: Open311RequestsQuery, baseUrl: string): Promise<Open311Request[]> {
  // service_request_id makes every other filter ignored (the specification)
  if (q.service_request_id?.length) {
    const rows = await repo.listRequests(deps.db, { numbers: q.service_request_id.slice(0, MAX_REQUESTS), limit: MAX_REQUESTS });
    return rows.map((r) => presentRequest(r, baseUrl));
  }
  if (q.start_date && q.end_date && q.start_date > q.end_date) throw new Open311Failure(400, 'start_date 不能晚于 end_date');
  let from = q.start_date;
  const to = q.end_date;
  if (!from && !to) from = new Date(Date.now() - DEFAULT_SPAN_MS);
  let states: string[] | undefined;
  if (q.status?.length && !(q.status.includes('open') && q.status.includes('closed'))) {
    const all = Object.keys(PublicStateText) as IssueState[];
    states = q.status[0] === 'closed' ? [...FINISHED] : all.filter((s) => !FINISHED.includes(s));
  }
  const rows = await repo.listRequests(deps.db, { codes: q.service_code?.length ? q.service_code : undefined, from, to, states, limit: MAX_REQUESTS });
  return rows.map((r) => presentRequest(r, baseUrl));
}

export async function getRequest(deps: Open311Deps, number: string, baseUrl: string): Promise<Open311Request[]> {
  const rows = await repo.listRequests(deps.db, { numbers: [number], limit: 1 });
  if (!rows.length) throw new Open311Failure(404, `service_request_id「${number}」不存在`);
  return rows.map((r) => presentRequest(r, baseUrl));
}

export async function token(deps: Open311Deps, raw: string): Promise<Open311Token[]> {
  const code = normalizeTrackingCode(raw);
  const number = code ? await repo.numberByToken(deps.db, code) : undefined;
  if (!code || !number) throw new Open311Failure(404, `token「${raw}」不存在`);
  return [{ service_request_id: number, token: code }];
}

/** POST requests: the key, the service, the place (lat/long inside the city), then the same filing path as the 随手拍 page. */
export async function createRequest(deps: Open311Deps, ip: string, p: Open311CreateParams, media: IncomingFile[], settings: PublicSettings): Promise<Open311Created[]> {
  const key = await repo.activeKeyByHash(deps.db, sha256(p.api_key));
  if (!key) throw new Open311Failure(403, 'api_key 无效或已停用');
  await checkPhotos(media, settings);
  const service = await repo.serviceCategory(deps.db, p.service_code);
  if (!service) throw new Open311Failure(404, `service_code「${p.service_code}」不存在`);
  const category = await leafCategory(deps.db, service.id, 'service_code');
  await assertInCity(deps, p.long, p.lat, { lng: 'long', lat: 'lat' });
  const place = await placeOf(deps, p.long, p.lat, 'long');
  const ctx = await standInContext(deps.db, ip, `Open311：${key.name}`, 'open311');
  const description = p.description ?? '';
  const note = `经 Open311 接口提交（客户端：${key.name}）${p.media_url ? `；附带媒体链接 ${p.media_url}` : ''}`;
  const { issue, trackingCode } = await fileOnBehalf(
    deps,
    ctx,
    {
      source: 'citizen',
      categoryId: category.id,
      severity: 'normal',
      title: description.trim() ? titleOf(description) : category.name,
      description,
      address: p.address_string || null,
      lng: p.long,
      lat: p.lat,
      reporterPhone: p.phone ?? null,
      photos: [],
      ...place,
    },
    media,
    { kind: 'open311', note, apiKeyId: key.id },
  );
  await repo.touchApiKey(deps.db, key.id);
  return [{ service_request_id: issue.number, token: trackingCode, service_notice: `已受理登记，处置时限 ${service.time_limit_days} 天；可凭 token 或编号查询进度` }];
}

// ---- API keys (admin) ----

const presentKey = (r: repo.ApiKeyRow): ApiKey => ({
  id: r.id,
  name: r.name,
  keyPrefix: r.key_prefix,
  createdAt: iso(r.created_at)!,
  createdByName: r.created_by_name,
  lastUsedAt: iso(r.last_used_at),
  revokedAt: iso(r.revoked_at),
  reportCount: r.report_count,
});

export async function listApiKeys(deps: Open311Deps, ctx: RequestContext): Promise<ApiKey[]> {
  requireCityLevel(ctx.actor, 'system.apikeys', '接口密钥由市级管理员统一管理');
  return (await repo.listApiKeys(deps.db)).map(presentKey);
}

/** A new key: 'cw311_' and 32 random bytes (base64url); only its SHA-256 is kept, the key is returned this once. */
export async function createApiKey(deps: Open311Deps, ctx: RequestContext, input: CreateApiKeyRequest): Promise<CreatedApiKey> {
  requireCityLevel(ctx.actor, 'system.apikeys', '接口密钥由市级管理员统一管理');
  const key = `cw311_${randomToken(32)}`;
  const id = newId();
  return deps.db.transaction(async (tx) => {
    await repo.insertApiKey(tx, { id, name: input.name, keyPrefix: key.slice(0, 12), keyHash: sha256(key), createdBy: ctx.actor.userId });
    await audit(tx, ctx, { action: 'create', entity: 'api_key', entityId: id, after: { name: input.name, keyPrefix: key.slice(0, 12) } });
    return { ...presentKey((await repo.getApiKey(tx, id))!), key };
  });
}

export async function revokeApiKey(deps: Open311Deps, ctx: RequestContext, id: string): Promise<ApiKey> {
  requireCityLevel(ctx.actor, 'system.apikeys', '接口密钥由市级管理员统一管理');
  return deps.db.transaction(async (tx) => {
    const before = await repo.getApiKey(tx, id, true);
    if (!before) throw notFound('接口密钥');
    if (before.revoked_at) throw new AppError('INVALID_STATE', '该密钥已停用');
    await repo.revokeApiKey(tx, id, ctx.actor.userId);
    const after = (await repo.getApiKey(tx, id))!;
    await audit(tx, ctx, { action: 'revoke', entity: 'api_key', entityId: id, before: { name: before.name, revokedAt: null }, after: { name: after.name, revokedAt: iso(after.revoked_at) } });
    return presentKey(after);
  });
}
