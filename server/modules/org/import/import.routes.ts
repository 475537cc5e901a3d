import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ImportKindParams, ImportPreview, ImportQuery, ImportResult } from '../../../../contracts/org-import.ts';
import type { Deps } from '../../../deps.ts';
import { requireCtx } from '../../../http/auth.ts';
import { AppError } from '../../../http/errors.ts';
import { attachmentHeader, isXlsx, XLSX_MIME } from '../../../lib/excel.ts';
import * as service from './import.service.ts';

const tags = ['组织体系：Excel 导入导出'];

/** The uploaded file of a multipart request: only real .xlsx (sniffed, not by name) passes. */
async function uploadedXlsx(req: FastifyRequest): Promise<service.ImportFile> {
  if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 上传 Excel 文件');
  const part = await req.file();
  if (!part) throw new AppError('BAD_REQUEST', '请选择要导入的 Excel 文件');
  const buffer = await part.toBuffer();
  if (!isXlsx(buffer)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', '只支持 .xlsx 格式的 Excel 文件（.xls、.csv 请先在 Excel 中“另存为 .xlsx”）');
  return { buffer, fileName: part.filename || '未命名.xlsx' };
}

const sendXlsx = (reply: FastifyReply, file: { fileName: string; buffer: Buffer }) =>
  reply.header('content-type', XLSX_MIME).header('content-disposition', attachmentHeader(file.fileName)).header('cache-control', 'no-store').send(file.buffer);

export const importRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/org/import/:kind/template',
      { schema: { tags, summary: '下载导入模板（表头、示例行、说明）', params: ImportKindParams } },
      async (req, reply) => sendXlsx(reply, await service.importTemplate(deps, requireCtx(req), req.params.kind)),
    );
    app.post(
      '/api/org/import/:kind/preview',
      {
        schema: {
          tags,
          summary: '预览导入：逐行校验，不写入（multipart 文件字段 file）',
          params: ImportKindParams,
          querystring: ImportQuery,
          response: { 200: ImportPreview },
        },
      },
      async (req) => {
        const ctx = requireCtx(req);
        return service.previewImport(deps, ctx, req.params.kind, req.query.mode, await uploadedXlsx(req));
      },
    );
    app.post(
      '/api/org/import/:kind/commit',
      {
        schema: {
          tags,
          summary: '确认导入：重新校验后在一个事务中全部写入，有错误则全部不写（422 IMPORT_INVALID）',
          params: ImportKindParams,
          querystring: ImportQuery,
          response: { 200: ImportResult },
        },
      },
      async (req) => {
        const ctx = requireCtx(req);
        return service.commitImport(deps, ctx, req.params.kind, req.query.mode, await uploadedXlsx(req));
      },
    );
    app.get(
      '/api/org/export/:kind',
      { schema: { tags, summary: '导出可见范围内的记录（与导入模板同列，电话脱敏）', params: ImportKindParams } },
      async (req, reply) => sendXlsx(reply, await service.exportKind(deps, requireCtx(req), req.params.kind)),
    );
  };
