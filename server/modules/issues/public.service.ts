import { Readable } from 'node:stream';
import sharp from 'sharp';
import {
  PUBLIC_MAX_PHOTOS,
  PUBLIC_PHOTO_TYPES_LABEL,
  type PublicCategoryGroup,
  type PublicMapArea,
  type PublicPhoto,
  type PublicReportCreated,
  type PublicReportFields,
  type PublicReportStatus,
  PublicStateText,
  PublicStepText,
} from '../../../contracts/public-report.ts';
import type { CreateIssueRequest, IssueAction, IssueDetail, IssueState } from '../../../contracts/issues.ts';
import { distanceMeters, insidePolygon } from '../../../domain/geo.ts';
import { newTrackingCode, normalizeTrackingCode } from '../../../domain/tracking-code.ts';
import type { Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import type { Actor, RequestContext } from '../../http/actor.ts';
import { AppError } from '../../http/errors.ts';
import { newId } from '../../lib/ids.ts';
import { audit } from '../audit/index.ts';
import { type IncomingFile, sniff, uploadFiles } from '../files/index.ts';
import { assertInCityBounds } from './city-bounds.ts';
import { fileIssueOnBehalf } from './issues.service.ts';
import * as repo from './issues.repo.ts';
import * as pub from './public.repo.ts';

type PublicDeps = Pick<Deps, 'db' | 'crypto' | 'storage' | 'config'>;

/** Settings of the public side, from the environment (documented in docs/public-report.md). */
export type PublicSettings = {
  /** reports per IP and window */
  rateMax: number;
  rateWindowMs: number;
  /** bytes per photo */
  photoMaxBytes: number;
};

export function publicSettings(env: NodeJS.ProcessEnv = process.env): PublicSettings {
  const int = (name: string, fallback: number, min: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min) throw new Error(`环境变量 ${name} 须为不小于 ${min} 的数字，当前为「${raw}」`);
    return n;
  };
  return {
    rateMax: int('PUBLIC_REPORT_RATE_MAX', 5, 1),
    rateWindowMs: int('PUBLIC_REPORT_RATE_WINDOW_MINUTES', 10, 1) * 60_000,
    photoMaxBytes: int('PUBLIC_PHOTO_MAX_MB', 10, 1) * 1024 * 1024,
  };
}

const invalid = (path: string, message: string) => new AppError('VALIDATION_FAILED', message, [{ path, message }]);

/**
 * The stand-in actor of a request that nobody is logged in for (a citizen, an Open311 client):
 * a fresh id per request, so only this request can attach the photos it uploaded; the city's
 * root unit as its unit; only the right to upload. It never reaches a session.
 */
export async function standInContext(db: Executor, ip: string, name: string, username: string): Promise<RequestContext> {
  const root = await pub.rootUnit(db);
  if (!root) throw new AppError('INTERNAL', '系统尚未初始化组织机构');
  const actor: Actor = { userId: newId(), username, name, unitId: root.id, unitPath: root.path, roles: [], permissions: new Set(['files.upload']), gridIds: new Set() };
  return { actor, ip };
}

// ---- the city's extent and the place of a report ----

type Geography = { grids: pub.GridShape[]; at: number };
const geoCache = new WeakMap<object, Geography>();
const GEO_TTL_MS = 60_000;

async function geography(deps: PublicDeps): Promise<Geography> {
  const hit = geoCache.get(deps.db);
  if (hit && Date.now() - hit.at < GEO_TTL_MS) return hit;
  const geo = { grids: await pub.gridShapes(deps.db), at: Date.now() };
  geoCache.set(deps.db, geo);
  return geo;
}

/**
 * Refuses coordinates outside the city (the issues module's check: CITY_BOUNDS, or the extent of
 * the points and grids with a margin) before any photo is stored; createIssue checks it again.
 */
export async function assertInCity(deps: PublicDeps, lng: number, lat: number, fields = { lng: 'body.lng', lat: 'body.lat' }): Promise<void> {
  await assertInCityBounds(deps, lng, lat, fields);
}

/** A point within this distance is taken as the place of the report (its 责任单位 gets the issue). */
const POINT_SNAP_METERS = 50;

/** Where a report lies: the nearby point, else the grid around it, else the area of the nearest point. */
export async function placeOf(deps: PublicDeps, lng: number, lat: number, path = 'body.lng'): Promise<Pick<CreateIssueRequest, 'pointId' | 'gridId' | 'areaUnitId'>> {
  const { grids } = await geography(deps);
  const near = await pub.nearestPoint(deps.db, lng, lat);
  if (near && distanceMeters([lng, lat], [Number(near.lng), Number(near.lat)]) <= POINT_SNAP_METERS) return { pointId: near.id };
  const grid = grids.find((g) => insidePolygon([lng, lat], g.polygon.coordinates));
  if (grid) return { gridId: grid.id };
  if (near) return { areaUnitId: near.area_unit_id };
  throw invalid(path, '无法确定该位置所属的区域，请重新选择位置');
}

/** The grids (community · grid name and outline) for the public map. */
export async function publicMap(deps: PublicDeps): Promise<PublicMapArea[]> {
  const { grids } = await geography(deps);
  return grids.map((g) => ({ id: g.id, name: g.name, rings: g.polygon.coordinates }));
}

// ---- categories ----

export async function publicCategories(deps: PublicDeps): Promise<PublicCategoryGroup[]> {
  const all = await repo.listCategories(deps.db, false);
  const groups = all.filter((c) => !c.parentId);
  return groups
    .map((g) => ({ id: g.id, code: g.code, name: g.name, children: all.filter((c) => c.parentId === g.id).map((c) => ({ id: c.id, code: c.code, name: c.name })) }))
    .filter((g) => g.children.length > 0);
}

/** An active second-level category, or a validation error on `path`. */
export async function leafCategory(db: Executor, id: string, path: string) {
  const category = await repo.getCategory(db, id);
  if (!category?.isActive) throw invalid(path, '问题类型不存在或已停用');
  if (!category.parentId) throw invalid(path, '请选择具体的问题类型（第二级）');
  return category;
}

// ---- filing ----

export const onlyImages = (name: string) =>
  new AppError('UNSUPPORTED_MEDIA_TYPE', `“${name}”不是照片：只能上传 ${PUBLIC_PHOTO_TYPES_LABEL} 格式的照片`);

/** Refuses anything but images before a byte is stored. */
export async function checkPhotos(files: IncomingFile[], settings: PublicSettings): Promise<void> {
  if (files.length > PUBLIC_MAX_PHOTOS) throw invalid('body.photo', `最多上传 ${PUBLIC_MAX_PHOTOS} 张照片`);
  for (const f of files) {
    if (f.data.length > settings.photoMaxBytes) throw new AppError('PAYLOAD_TOO_LARGE', `照片“${f.filename}”太大：每张照片不超过 ${Math.round(settings.photoMaxBytes / 1024 / 1024)} MB`);
    const type = await sniff(f.data);
    if (type?.kind !== 'image') throw onlyImages(f.filename);
  }
}

/** A title for the issue list from the citizen's description: its first line, at most 40 characters. */
export const titleOf = (description: string): string => {
  const line = description.split(/\r?\n/)[0].trim();
  return line.length > 40 ? `${line.slice(0, 39)}…` : line;
};

/**
 * Files one issue for someone without an account through the issues service (same numbering,
 * event log and audit as every issue) and gives it a tracking code in the same transaction.
 * Everything that can be refused is checked before the photos are stored.
 */
export async function fileOnBehalf(
  deps: PublicDeps,
  ctx: RequestContext,
  input: CreateIssueRequest,
  photos: IncomingFile[],
  channel: { kind: 'web' | 'open311'; note: string; apiKeyId: string | null },
): Promise<{ issue: IssueDetail; trackingCode: string }> {
  let stored: string[] = [];
  if (photos.length) stored = (await uploadFiles(deps, ctx, photos)).map((f) => f.id);
  let trackingCode = '';
  try {
    const issue = await fileIssueOnBehalf(
      deps,
      ctx,
      { ...input, photos: stored },
      {
        note: channel.note,
        inTx: async (tx, row) => {
          for (let attempt = 0; attempt < 5 && !trackingCode; attempt++) {
            const code = newTrackingCode();
            if (await pub.insertPublicReport(tx, { issueId: row.id, trackingCode: code, channel: channel.kind, apiKeyId: channel.apiKeyId })) trackingCode = code;
          }
          if (!trackingCode) throw new AppError('INTERNAL', '生成查询码失败，请重试');
        },
      },
    );
    return { issue, trackingCode };
  } catch (err) {
    if (stored.length) await discardUploads(deps, ctx, stored);
    throw err;
  }
}

/**
 * Takes back the photos of a filing that failed after they were stored: only this request's
 * stand-in uploaded them and nothing owns them, so the rows and bytes go (audited as 'discard').
 */
async function discardUploads(deps: PublicDeps, ctx: RequestContext, ids: string[]): Promise<void> {
  const keys = await deps.db.transaction(async (tx) => {
    const rows = await pub.deleteUnownedUploads(tx, ids, ctx.actor.userId);
    if (rows.length) await audit(tx, ctx, ...rows.map((r) => ({ action: 'discard', entity: 'file', entityId: r.id, before: { storageKey: r.storage_key } })));
    return rows.flatMap((r) => (r.thumb_key ? [r.storage_key, r.thumb_key] : [r.storage_key]));
  });
  await Promise.allSettled(keys.map((k) => deps.storage.delete(k)));
}

export async function fileCitizenReport(deps: PublicDeps, ip: string, fields: PublicReportFields, photos: IncomingFile[], settings: PublicSettings): Promise<PublicReportCreated> {
  if (photos.length === 0) throw invalid('body.photo', '请至少拍摄或选择 1 张照片');
  await checkPhotos(photos, settings);
  const category = await leafCategory(deps.db, fields.categoryId, 'body.categoryId');
  await assertInCity(deps, fields.lng, fields.lat);
  const place = await placeOf(deps, fields.lng, fields.lat);
  const ctx = await standInContext(deps.db, ip, '市民随手拍', 'public');
  const { issue, trackingCode } = await fileOnBehalf(
    deps,
    ctx,
    {
      source: 'citizen',
      categoryId: category.id,
      severity: 'normal',
      title: titleOf(fields.description),
      description: fields.description,
      address: fields.address || null,
      lng: fields.lng,
      lat: fields.lat,
      reporterPhone: fields.phone ?? null,
      photos: [],
      ...place,
    },
    photos,
    { kind: 'web', note: '市民通过随手拍页面提交', apiKeyId: null },
  );
  return { trackingCode, number: issue.number };
}

// ---- status page ----

const photoOf = (id: string): PublicPhoto => ({ url: `/api/public/photos/${id}`, thumbnailUrl: `/api/public/photos/${id}?size=thumb` });

export async function publicStatus(deps: PublicDeps, rawCode: string): Promise<PublicReportStatus> {
  const code = normalizeTrackingCode(rawCode);
  if (!code) throw new AppError('NOT_FOUND', '查询码不正确：查询码为 8 位字母或数字');
  const row = await pub.issueByTrackingCode(deps.db, code);
  if (!row) throw new AppError('NOT_FOUND', '没有找到该查询码对应的问题，请核对后再试');
  const events = await pub.publicEvents(deps.db, row.id);
  const steps = events.flatMap((e) => {
    const text = PublicStepText[e.action as IssueAction];
    return text ? [{ at: new Date(e.at).toISOString(), text }] : [];
  });
  const before = events.filter((e) => e.action === 'report').flatMap((e) => e.photos);
  // the after photos of the latest 整改反馈: earlier ones were rejected on verification
  const after = events.filter((e) => e.action === 'feedback').at(-1)?.photos ?? [];
  const state = row.state as IssueState;
  return {
    trackingCode: code,
    number: row.number,
    categoryName: row.category_name,
    groupName: row.group_name,
    state,
    stateText: PublicStateText[state],
    isClosed: state === 'closed' || state === 'rejected' || state === 'merged',
    responsibleUnitName: ['reported', 'accepted', 'rejected', 'merged'].includes(state) ? null : row.responsible_unit_name,
    address: row.address,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    steps,
    beforePhotos: before.map(photoOf),
    afterPhotos: after.map(photoOf),
  };
}

export type PublicPhotoContent = { stream: Readable; mime: string; size: number | null };

/**
 * The bytes of a public photo (before/after of an issue) or its thumbnail; anything else is 404.
 * The public never gets the original: a copy re-encoded without any metadata (EXIF with GPS, time
 * and device, XMP, IPTC, ICC), the EXIF orientation applied to the pixels, made on first request
 * and kept beside the original (`public/<key>`). Staff read the original through /api/files.
 */
export async function openPublicPhoto(deps: PublicDeps, fileId: string, thumb: boolean): Promise<PublicPhotoContent> {
  const row = await pub.publicPhoto(deps.db, fileId);
  if (!row) throw new AppError('NOT_FOUND', '照片不存在或不公开');
  try {
    if (thumb && row.thumb_key) return { stream: Readable.from(await publicCopy(deps, row.thumb_key, 'image/webp')), mime: 'image/webp', size: null };
    const mime = row.mime === 'image/png' ? 'image/png' : 'image/jpeg';
    const data = await publicCopy(deps, row.storage_key, mime);
    return { stream: Readable.from(data), mime, size: data.length };
  } catch {
    throw new AppError('NOT_FOUND', '照片内容已丢失');
  }
}

async function publicCopy(deps: PublicDeps, key: string, mime: 'image/jpeg' | 'image/png' | 'image/webp'): Promise<Buffer> {
  const copyKey = `public/${key}`;
  const cached = await deps.storage.getBuffer(copyKey).catch(() => null);
  if (cached) return cached;
  // sharp writes no metadata unless asked (withMetadata/keepExif); rotate() bakes the orientation in
  const img = sharp(await deps.storage.getBuffer(key), { failOn: 'none' }).rotate();
  const data = await (mime === 'image/png' ? img.png() : mime === 'image/webp' ? img.webp({ quality: 80 }) : img.jpeg({ quality: 85, mozjpeg: true })).toBuffer();
  await deps.storage.put(copyKey, data, mime);
  return data;
}
