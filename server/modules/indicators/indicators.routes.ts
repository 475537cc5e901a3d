import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, Ok, paged } from '../../../contracts/common.ts';
import {
  CopyIndicatorSystemRequest,
  CreateIndicatorNodeRequest,
  CreateIndicatorSystemRequest,
  CreateProgressRequest,
  CreateTaskRequest,
  DeleteTaskQuery,
  IndicatorNode,
  IndicatorSettings,
  IndicatorSystem,
  IndicatorTree,
  IndicatorTreeQuery,
  ListIndicatorSystemsQuery,
  ListResponsibilityLettersQuery,
  ListTasksQuery,
  NodeHistoryEntry,
  ResponsibilityLetter,
  ResponsibilityLetterParams,
  Rollup,
  RollupQuery,
  SignResponsibilityLetterRequest,
  SystemImportPreview,
  SystemImportResult,
  Task,
  TaskDetail,
  TaskDetailQuery,
  TaskImportPreview,
  TaskImportQuery,
  TaskImportResult,
  UpdateIndicatorNodeRequest,
  UpdateIndicatorSystemRequest,
  UpdateTaskRequest,
} from '../../../contracts/indicators.ts';
import type { Deps } from '../../deps.ts';
import { requireCtx } from '../../http/auth.ts';
import { AppError } from '../../http/errors.ts';
import { attachmentHeader, isXlsx, XLSX_MIME } from '../../lib/excel.ts';
import { DOCX_MIME } from '../../lib/gbt9704.ts';
import * as service from './indicators.service.ts';
import * as letters from './letters.service.ts';
import * as systemExcel from './system-excel.ts';
import { exportTaskTable } from './task-export.ts';
import { type ImportFile, importTaskTable, previewTaskTable, TASK_IMPORT_MAX_BYTES } from './task-import.ts';
import * as tasks from './tasks.service.ts';

const tags = ['测评体系与任务'];

/** The uploaded Excel of a multipart request: only a real .xlsx (sniffed, not by name) within the size limit passes. */
async function uploadedXlsx(req: FastifyRequest): Promise<ImportFile> {
  if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 上传 Excel 文件（字段名 file）');
  const part = await req.file({ limits: { fileSize: TASK_IMPORT_MAX_BYTES } });
  if (!part) throw new AppError('BAD_REQUEST', '请选择要导入的 Excel 文件');
  let buffer: Buffer;
  try {
    buffer = await part.toBuffer();
  } catch (e) {
    if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE' || part.file.truncated) {
      throw new AppError('PAYLOAD_TOO_LARGE', `文件过大：Excel 文件最大 ${Math.floor(TASK_IMPORT_MAX_BYTES / 1024 / 1024)} MB`);
    }
    throw e;
  }
  if (part.file.truncated) throw new AppError('PAYLOAD_TOO_LARGE', `文件过大：Excel 文件最大 ${Math.floor(TASK_IMPORT_MAX_BYTES / 1024 / 1024)} MB`);
  if (!isXlsx(buffer)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', `「${part.filename || '该文件'}」不是 .xlsx 格式的 Excel 文件（.xls、.csv、.wps 请先在 Excel 中“另存为 .xlsx”）`);
  return { buffer, fileName: part.filename || '未命名.xlsx' };
}

const sendFile = (reply: FastifyReply, mime: string, file: { fileName: string; buffer: Buffer }) =>
  reply.header('content-type', mime).header('content-disposition', attachmentHeader(file.fileName)).header('cache-control', 'no-store').send(file.buffer);

const importOptions = (q: z.infer<typeof TaskImportQuery>) => ({ mapping: q.mapping, createNodes: q.createNodes ?? false, year: q.year, token: q.token });

export const indicatorRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    // ─── systems ───
    app.get(
      '/api/indicator-systems',
      { schema: { tags, summary: '测评体系列表（按年度、类型、状态）', querystring: ListIndicatorSystemsQuery, response: { 200: z.array(IndicatorSystem) } } },
      async (req) => service.listSystems(deps, requireCtx(req), req.query),
    );
    app.post('/api/indicator-systems', { schema: { tags, summary: '新建测评体系（草稿）', body: CreateIndicatorSystemRequest, response: { 200: IndicatorSystem } } }, async (req) =>
      service.createSystem(deps, requireCtx(req), req.body),
    );
    app.get('/api/indicator-systems/:id', { schema: { tags, summary: '测评体系详情（节点数、分值合计、任务数）', params: IdParams, response: { 200: IndicatorSystem } } }, async (req) =>
      service.getSystem(deps, requireCtx(req), req.params.id),
    );
    app.patch(
      '/api/indicator-systems/:id',
      { schema: { tags, summary: '修改测评体系：名称、状态（草稿/启用/归档）、总分、说明（带 version）', params: IdParams, body: UpdateIndicatorSystemRequest, response: { 200: IndicatorSystem } } },
      async (req) => service.updateSystem(deps, requireCtx(req), req.params.id, req.body),
    );
    app.post(
      '/api/indicator-systems/:id/copy',
      { schema: { tags, summary: '复制为新版本（深拷贝全部节点，可选复制任务）', params: IdParams, body: CopyIndicatorSystemRequest, response: { 200: IndicatorSystem } } },
      async (req) => service.copySystem(deps, requireCtx(req), req.params.id, req.body),
    );
    app.get(
      '/api/indicator-systems/:id/tree',
      { schema: { tags, summary: '测评体系树（扁平、按树序；q 按编号或文字搜索，返回命中节点及其上级）', params: IdParams, querystring: IndicatorTreeQuery, response: { 200: IndicatorTree } } },
      async (req) => service.getTree(deps, requireCtx(req), req.params.id, req.query),
    );
    app.post(
      '/api/indicator-systems/:id/nodes',
      { schema: { tags, summary: '新增节点（测评项目 / 测评内容 / 测评标准，层级由上级决定）', params: IdParams, body: CreateIndicatorNodeRequest, response: { 200: IndicatorNode } } },
      async (req) => service.createNode(deps, requireCtx(req), req.params.id, req.body),
    );
    app.patch(
      '/api/indicator-nodes/:id',
      { schema: { tags, summary: '修改节点（带 version，记入修改历史；停用时下级一并停用）', params: IdParams, body: UpdateIndicatorNodeRequest, response: { 200: IndicatorNode } } },
      async (req) => service.updateNode(deps, requireCtx(req), req.params.id, req.body),
    );
    app.get('/api/indicator-nodes/:id/history', { schema: { tags, summary: '节点修改历史（修改前后）', params: IdParams, response: { 200: z.array(NodeHistoryEntry) } } }, async (req) =>
      service.nodeHistory(deps, requireCtx(req), req.params.id),
    );
    app.get('/api/indicator-systems/:id/export.xlsx', { schema: { tags, summary: '导出测评体系为 Excel（与导入同列）', params: IdParams } }, async (req, reply) =>
      sendFile(reply, XLSX_MIME, await systemExcel.exportSystem(deps, requireCtx(req), req.params.id)),
    );
    app.post(
      '/api/indicator-systems/:id/import/preview',
      { schema: { tags, summary: '预览导入测评体系（multipart 文件字段 file；不写入）', params: IdParams, response: { 200: SystemImportPreview } } },
      async (req) => {
        const ctx = requireCtx(req);
        return systemExcel.previewSystemImport(deps, ctx, req.params.id, await uploadedXlsx(req));
      },
    );
    app.post(
      '/api/indicator-systems/:id/import/commit',
      { schema: { tags, summary: '导入测评体系到空体系：重新校验，有任何问题则全部不写（422）', params: IdParams, response: { 200: SystemImportResult } } },
      async (req) => {
        const ctx = requireCtx(req);
        return systemExcel.commitSystemImport(deps, ctx, req.params.id, await uploadedXlsx(req));
      },
    );

    // ─── the task table ───
    app.post(
      '/api/indicator-systems/:id/task-import/preview',
      {
        schema: {
          tags,
          summary: '任务分解表导入预览：识别表头与列对应（可用 mapping 调整），逐行列出问题（未知单位给出最接近的 3 个），不写入',
          params: IdParams,
          querystring: TaskImportQuery,
          response: { 200: TaskImportPreview },
        },
      },
      async (req) => {
        const ctx = requireCtx(req);
        return previewTaskTable(deps, ctx, req.params.id, await uploadedXlsx(req), importOptions(req.query));
      },
    );
    app.post(
      '/api/indicator-systems/:id/task-import/commit',
      {
        schema: {
          tags,
          summary: '确认导入任务分解表：重新校验，全部写入或全部不写（有问题 422；预览后有变化 409）',
          params: IdParams,
          querystring: TaskImportQuery,
          response: { 200: TaskImportResult },
        },
      },
      async (req) => {
        const ctx = requireCtx(req);
        return importTaskTable(deps, ctx, req.params.id, await uploadedXlsx(req), importOptions(req.query));
      },
    );
    app.get('/api/indicator-systems/:id/tasks/export.xlsx', { schema: { tags, summary: '导出任务分解表（与导入同样的版式，测评项目合并单元格）', params: IdParams } }, async (req, reply) =>
      sendFile(reply, XLSX_MIME, await exportTaskTable(deps, requireCtx(req), req.params.id)),
    );

    app.get(
      '/api/tasks',
      {
        schema: {
          tags,
          summary: '任务列表（本单位及下级；按体系、单位、角色、阶段、状态、超期、停滞、测评项目筛选）',
          querystring: ListTasksQuery,
          response: { 200: paged(Task) },
        },
      },
      async (req) => tasks.listTasks(deps, requireCtx(req), req.query),
    );
    app.get(
      '/api/tasks/rollup',
      { schema: { tags, summary: '任务进度汇总（本辖区；按单位、测评项目或阶段）', querystring: RollupQuery, response: { 200: Rollup } } },
      async (req) => tasks.rollup(deps, requireCtx(req), req.query),
    );
    app.get('/api/tasks/:id', { schema: { tags, summary: '任务详情（含本辖区单位的进度报告）', params: IdParams, querystring: TaskDetailQuery, response: { 200: TaskDetail } } }, async (req) =>
      tasks.getTask(deps, requireCtx(req), req.params.id, req.query.stalledDays),
    );
    app.post('/api/tasks', { schema: { tags, summary: '新增任务', body: CreateTaskRequest, response: { 200: TaskDetail } } }, async (req) =>
      tasks.createTask(deps, requireCtx(req), req.body),
    );
    app.patch('/api/tasks/:id', { schema: { tags, summary: '修改任务（带 version）', params: IdParams, body: UpdateTaskRequest, response: { 200: TaskDetail } } }, async (req) =>
      tasks.updateTask(deps, requireCtx(req), req.params.id, req.body),
    );
    app.delete('/api/tasks/:id', { schema: { tags, summary: '删除尚无进度报告的任务（?version=）', params: IdParams, querystring: DeleteTaskQuery, response: { 200: Ok } } }, async (req) => {
      await tasks.deleteTask(deps, requireCtx(req), req.params.id, req.query.version);
      return { ok: true as const };
    });
    app.post(
      '/api/tasks/:id/progress',
      { schema: { tags, summary: '报送进度（本单位人员或联络员；状态、完成进度、说明、附件；每次报送都保留）', params: IdParams, body: CreateProgressRequest, response: { 200: TaskDetail } } },
      async (req) => tasks.reportProgress(deps, requireCtx(req), req.params.id, req.body),
    );

    app.get('/api/indicator-settings', { schema: { tags, summary: '任务设置：停滞天数（未完成且多少天无报送算停滞）', response: { 200: IndicatorSettings } } }, async (req) =>
      tasks.getSettings(deps, requireCtx(req)),
    );
    app.put('/api/indicator-settings', { schema: { tags, summary: '修改任务设置（市创文办）', body: IndicatorSettings, response: { 200: IndicatorSettings } } }, async (req) =>
      tasks.updateSettings(deps, requireCtx(req), req.body),
    );

    // ─── 目标责任书 ───
    app.get(
      '/api/indicator-systems/:id/responsibility-letters',
      { schema: { tags, summary: '目标责任书签订情况（本辖区有任务的单位）', params: IdParams, querystring: ListResponsibilityLettersQuery, response: { 200: z.array(ResponsibilityLetter) } } },
      async (req) => letters.listLetters(deps, requireCtx(req), req.params.id, req.query.signed),
    );
    app.get(
      '/api/indicator-systems/:id/units/:unitId/responsibility-letter.docx',
      { schema: { tags, summary: '生成某单位的目标责任书（Word，GB/T 9704 文件格式）', params: ResponsibilityLetterParams } },
      async (req, reply) => sendFile(reply, DOCX_MIME, await letters.renderLetter(deps, requireCtx(req), req.params.id, req.params.unitId)),
    );
    app.post(
      '/api/indicator-systems/:id/units/:unitId/responsibility-letter/signed',
      {
        schema: {
          tags,
          summary: '登记目标责任书签订：上传的签字盖章扫描件（文件 id）与签订日期（带 version，首次为 0）',
          params: ResponsibilityLetterParams,
          body: SignResponsibilityLetterRequest,
          response: { 200: ResponsibilityLetter },
        },
      },
      async (req) => letters.recordSigned(deps, requireCtx(req), req.params.id, req.params.unitId, req.body),
    );
  };
