import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams } from '../../../contracts/common.ts';
import { FileContentQuery, FileInfo, UPLOAD_MAX_FILES, UPLOAD_TYPES_LABEL, UploadFilesResponse, UploadOwnerFields } from '../../../contracts/files.ts';
import type { Deps } from '../../deps.ts';
import { requireCtx } from '../../http/auth.ts';
import { AppError } from '../../http/errors.ts';
import { rejectNul } from '../../http/input.ts';
import { filesPolicy } from './files.policy.ts';
import * as service from './files.service.ts';

const tags = ['文件'];

/**
 * The multipart form, for OpenAPI only: @fastify/multipart leaves the body undefined and the
 * handler reads the parts itself, so validation accepts anything here.
 */
const UploadFormDoc = z.unknown().meta({
  type: 'object',
  properties: {
    file: { type: 'array', items: { type: 'string', format: 'binary' }, description: '文件，可多个' },
    ownerType: { type: 'string', description: '所属记录类型，如 org_unit' },
    ownerId: { type: 'string', description: '所属记录 ID' },
  },
  required: ['file'],
});

/**
 * Reads every part of a multipart request into memory. A file over the size limit makes
 * @fastify/multipart throw while it is being read, so a truncated file never reaches the
 * service, let alone the store.
 */
async function readUpload(req: FastifyRequest, maxBytes: number): Promise<{ files: service.IncomingFile[]; fields: Record<string, string> }> {
  if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 方式上传文件');
  const files: service.IncomingFile[] = [];
  const fields: Record<string, string> = {};
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        const data = await part.toBuffer();
        if (part.file.truncated) throw service.tooLarge(service.cleanFileName(part.filename), maxBytes);
        files.push({ filename: part.filename, data });
      } else if (typeof part.value === 'string') {
        rejectNul(`body.${part.fieldname.replace(/\0/g, '')}`, part.value);
        rejectNul('body', part.fieldname);
        fields[part.fieldname] = part.value;
      }
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    const e = err as { code?: string; part?: { filename?: string } };
    if (e.code === 'FST_REQ_FILE_TOO_LARGE') throw service.tooLarge(service.cleanFileName(e.part?.filename), maxBytes);
    if (e.code === 'FST_FILES_LIMIT') throw new AppError('PAYLOAD_TOO_LARGE', `一次最多上传 ${UPLOAD_MAX_FILES} 个文件`);
    if (e.code === 'FST_PARTS_LIMIT' || e.code === 'FST_FIELDS_LIMIT') throw new AppError('PAYLOAD_TOO_LARGE', '表单字段过多');
    throw err;
  }
  return { files, fields };
}

function ownerFrom(fields: Record<string, string>): service.FileOwnerRef | null {
  const parsed = UploadOwnerFields.safeParse({ ownerType: fields.ownerType || undefined, ownerId: fields.ownerId || undefined });
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ path: ['body', ...i.path.map(String)].join('.'), message: i.message }));
    throw new AppError('VALIDATION_FAILED', details[0]?.message ?? '关联记录参数不正确', details);
  }
  const { ownerType, ownerId } = parsed.data;
  return ownerType && ownerId ? { ownerType, ownerId } : null;
}

function sendContent(reply: FastifyReply, content: service.FileContent, download: boolean) {
  // Images and PDF open in the browser; Office files always download.
  const inline = !download && (content.kind === 'image' || content.kind === 'pdf');
  reply
    .type(content.mime)
    .header('content-disposition', service.contentDisposition(inline ? 'inline' : 'attachment', content.filename))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, max-age=300');
  if (content.size !== null) reply.header('content-length', content.size);
  return reply.send(content.stream);
}

export const fileRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/api/files',
      {
        schema: {
          tags,
          summary: '上传文件（可多个）',
          description:
            `multipart/form-data：一个或多个文件字段（任意字段名，最多 ${UPLOAD_MAX_FILES} 个），可选字段 ownerType、ownerId 把文件关联到某条记录。` +
            `按内容识别类型，仅支持 ${UPLOAD_TYPES_LABEL}；超过大小上限返回 413，类型不符返回 415。图片生成缩略图并读取 EXIF 拍摄时间与 GPS。`,
          consumes: ['multipart/form-data'],
          body: UploadFormDoc,
          response: { 200: UploadFilesResponse },
        },
      },
      async (req) => {
        const ctx = requireCtx(req);
        // policy before reading the body: refused users do not get to push megabytes first
        filesPolicy.upload(ctx.actor);
        const { files, fields } = await readUpload(req, deps.config.uploadMaxBytes);
        return { items: await service.uploadFiles(deps, ctx, files, ownerFrom(fields)) };
      },
    );
    app.get(
      '/api/files/:id',
      { schema: { tags, summary: '文件信息（类型、大小、拍摄时间、GPS 等）', params: IdParams, response: { 200: FileInfo } } },
      async (req) => service.getFile(deps, requireCtx(req), req.params.id),
    );
    app.get(
      '/api/files/:id/content',
      {
        schema: {
          tags,
          summary: '下载或预览文件（按所属记录的权限判断）',
          description: '图片与 PDF 默认在浏览器内打开，download=true 时作为附件下载；Word、Excel 总是作为附件下载。',
          params: IdParams,
          querystring: FileContentQuery,
        },
      },
      async (req, reply) => sendContent(reply, await service.openFile(deps, requireCtx(req), req.params.id, 'original'), req.query.download ?? false),
    );
    app.get(
      '/api/files/:id/thumbnail',
      { schema: { tags, summary: '图片缩略图（WebP，最长边 320 像素）', params: IdParams } },
      async (req, reply) => sendContent(reply, await service.openFile(deps, requireCtx(req), req.params.id, 'thumbnail'), false),
    );
  };
