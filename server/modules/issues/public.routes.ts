import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  PUBLIC_MAX_PHOTOS,
  PublicCategoryGroup,
  PublicMapArea,
  PublicReportCreated,
  PublicReportFields,
  PublicReportStatus,
  TrackingCodeParams,
} from '../../../contracts/public-report.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../http/errors.ts';
import { rejectNul } from '../../http/input.ts';
import type { IncomingFile } from '../files/index.ts';
import * as service from './public.service.ts';

const tags = ['市民随手拍'];

const ReportFormDoc = z.unknown().meta({
  type: 'object',
  properties: {
    photo: { type: 'array', items: { type: 'string', format: 'binary' }, description: `照片，1–${PUBLIC_MAX_PHOTOS} 张（JPG、PNG、WebP、HEIC）` },
    categoryId: { type: 'string', description: '问题类型（第二级分类 ID）' },
    description: { type: 'string', description: '问题描述，5–500 字' },
    lng: { type: 'number', description: '经度（WGS-84）' },
    lat: { type: 'number', description: '纬度（WGS-84）' },
    address: { type: 'string', description: '位置说明（可选）' },
    phone: { type: 'string', description: '联系手机（可选，加密保存，不公开）' },
  },
  required: ['photo', 'categoryId', 'description', 'lng', 'lat'],
});

/** The form: photos into memory (each limited while it streams), text fields as strings. Also used by Open311's multipart POST. */
export async function readForm(req: FastifyRequest, settings: service.PublicSettings): Promise<{ files: IncomingFile[]; fields: Record<string, string> }> {
  if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 方式提交表单和照片');
  const files: IncomingFile[] = [];
  const fields: Record<string, string> = {};
  const maxMb = Math.round(settings.photoMaxBytes / 1024 / 1024);
  try {
    for await (const part of req.parts({ limits: { fileSize: settings.photoMaxBytes, files: PUBLIC_MAX_PHOTOS, fields: 20, fieldSize: 8192 } })) {
      if (part.type === 'file') {
        const data = await part.toBuffer();
        if (part.file.truncated) throw new AppError('PAYLOAD_TOO_LARGE', `照片“${part.filename}”太大：每张照片不超过 ${maxMb} MB`);
        if (data.length > 0) files.push({ filename: part.filename || '照片', data });
      } else if (typeof part.value === 'string') {
        rejectNul(`body.${part.fieldname.replace(/\0/g, '')}`, part.value);
        rejectNul('body', part.fieldname);
        fields[part.fieldname] = part.value;
      }
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    const e = err as { code?: string; part?: { filename?: string } };
    if (e.code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('PAYLOAD_TOO_LARGE', `照片“${e.part?.filename ?? ''}”太大：每张照片不超过 ${maxMb} MB`);
    if (e.code === 'FST_FILES_LIMIT') throw new AppError('PAYLOAD_TOO_LARGE', `最多上传 ${PUBLIC_MAX_PHOTOS} 张照片`);
    if (e.code === 'FST_PARTS_LIMIT' || e.code === 'FST_FIELDS_LIMIT') throw new AppError('PAYLOAD_TOO_LARGE', '表单字段过多');
    throw err;
  }
  return { files, fields };
}

/** What to say when a field is missing altogether. */
const missing: Record<string, string> = { categoryId: '请选择问题类型', description: '请描述问题', lng: '请选择问题位置', lat: '请选择问题位置' };

function parseFields(fields: Record<string, string>) {
  const parsed = PublicReportFields.safeParse(fields);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((i) => {
    const key = String(i.path[0] ?? '');
    const message = fields[key] === undefined && missing[key] ? missing[key] : i.message;
    return { path: `body.${i.path.map(String).join('.')}`, message };
  });
  throw new AppError('VALIDATION_FAILED', details[0].message, details);
}

export const publicReportRoutes =
  (deps: Deps, settings: service.PublicSettings = service.publicSettings()): FastifyPluginAsyncZod =>
  async (app) => {
    const windowMin = Math.round(settings.rateWindowMs / 60_000);
    app.get(
      '/api/public/categories',
      { schema: { tags, summary: '可选的问题类型（两级，公开）', response: { 200: z.array(PublicCategoryGroup) } } },
      async () => service.publicCategories(deps),
    );
    app.get(
      '/api/public/map',
      { schema: { tags, summary: '公开地图：各网格的名称与边界（WGS-84），供选点参考', response: { 200: z.array(PublicMapArea) } } },
      async () => service.publicMap(deps),
    );
    app.post(
      '/api/public/reports',
      {
        config: {
          rateLimit: {
            max: settings.rateMax,
            timeWindow: settings.rateWindowMs,
            errorResponseBuilder: () => new AppError('RATE_LIMITED', `提交过于频繁：每 ${windowMin} 分钟最多提交 ${settings.rateMax} 次，请稍后再试`),
          },
        },
        schema: {
          tags,
          summary: '市民随手拍：提交问题（无需登录，按 IP 限流）',
          description: `multipart/form-data：照片字段 photo（1–${PUBLIC_MAX_PHOTOS} 张，仅图片，按内容识别），其余为文本字段。位置须在本市范围内。返回查询码。`,
          consumes: ['multipart/form-data'],
          body: ReportFormDoc,
          response: { 200: PublicReportCreated },
        },
      },
      async (req) => {
        const { files, fields } = await readForm(req, settings);
        return service.fileCitizenReport(deps, req.ip, parseFields(fields), files, settings);
      },
    );
    app.get(
      '/api/public/reports/:code',
      {
        config: { rateLimit: { max: 60, timeWindow: 60_000, errorResponseBuilder: () => new AppError('RATE_LIMITED', '查询过于频繁，请稍后再试') } },
        schema: { tags, summary: '按查询码查看办理进度（不含个人信息）', params: TrackingCodeParams, response: { 200: PublicReportStatus } },
      },
      async (req) => service.publicStatus(deps, req.params.code),
    );
    app.get(
      '/api/public/photos/:id',
      {
        schema: {
          tags,
          summary: '问题的公开照片（上报时与整改反馈时的照片）',
          params: z.object({ id: z.uuid({ message: '照片 ID 不正确' }) }),
          querystring: z.object({ size: z.enum(['thumb', 'full']).default('full') }),
        },
      },
      async (req, reply) => {
        const c = await service.openPublicPhoto(deps, req.params.id, req.query.size === 'thumb');
        reply.type(c.mime).header('x-content-type-options', 'nosniff').header('cache-control', 'public, max-age=300').header('content-disposition', 'inline');
        if (c.size !== null) reply.header('content-length', c.size);
        return reply.send(c.stream);
      },
    );
  };
