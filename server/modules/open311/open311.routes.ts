import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams } from '../../../contracts/common.ts';
import { ApiKey, CreateApiKeyRequest, CreatedApiKey, Open311CreateParams, type Open311Error, type Open311Format, Open311RequestsQuery } from '../../../contracts/open311.ts';
import type { Deps } from '../../deps.ts';
import { requireCtx } from '../../http/auth.ts';
import { AppError } from '../../http/errors.ts';
import type { IncomingFile } from '../files/index.ts';
import { readForm } from '../issues/index.ts';
import { type PublicSettings, publicSettings } from '../issues/index.ts';
import { listToXml, objectToXml, type XmlValue } from './open311.xml.ts';
import * as service from './open311.service.ts';
import { Open311Failure } from './open311.service.ts';

const tags = ['Open311 GeoReport v2'];
const PREFIX = '/open311/v2';

/** 'services.json' → ['services', 'json']; the format extension is part of the path in GeoReport v2. */
function splitFormat(file: string): { name: string; format: Open311Format } {
  const m = /^(.+)\.(json|xml)$/i.exec(file);
  if (!m) throw new Open311Failure(400, '请在路径末尾注明格式：.json 或 .xml');
  return { name: decodeURIComponent(m[1]), format: m[2].toLowerCase() as Open311Format };
}

const formatOf = (req: FastifyRequest): Open311Format => (/\.xml(\?|$)/i.test(req.url) ? 'xml' : 'json');

/** Where the records of an XML answer go: root element and item element. */
type XmlShape = { root: string; item: string } | { single: string };

function send(reply: FastifyReply, format: Open311Format, body: unknown, xml: XmlShape, status = 200) {
  reply.status(status).header('access-control-allow-origin', '*');
  if (format === 'json') return reply.type('application/json; charset=utf-8').send(JSON.stringify(body));
  const doc = 'single' in xml ? objectToXml(xml.single, body as Record<string, XmlValue>) : listToXml(xml.root, xml.item, body as Record<string, XmlValue>[]);
  return reply.type('text/xml; charset=utf-8').send(doc);
}

function sendErrors(reply: FastifyReply, format: Open311Format, status: number, description: string) {
  const errors: Open311Error[] = [{ code: status, description }];
  return send(reply, format, errors, { root: 'errors', item: 'error' }, status);
}

const baseUrl = (req: FastifyRequest) => `${req.protocol}://${req.host}`;

/** zod issues as one Open311 description: 'lat：lat须为数字；service_code：缺少 service_code'. */
function parse<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw new Open311Failure(400, r.error.issues.map((i) => `${i.path.join('.') || '参数'}：${i.message}`).join('；'));
}

/** Form fields of an x-www-form-urlencoded body (the encoding GeoReport v2 clients send). */
function parseForm(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(body)) out[k] = v;
  return out;
}

export const open311Routes =
  (deps: Deps, settings: PublicSettings = publicSettings()): FastifyPluginAsyncZod =>
  async (root) => {
    // its own prefix, so that its error and not-found handlers answer in the Open311 form
    await root.register(open311Api(deps, settings), { prefix: PREFIX });
  };

const open311Api =
  (deps: Deps, settings: PublicSettings): FastifyPluginAsyncZod =>
  async (app) => {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => {
      done(null, parseForm(body as string));
    });

    // Errors in the Open311 form ([{code, description}] or <errors>), with the HTTP status as code.
    app.setErrorHandler((err, req, reply) => {
      const format = formatOf(req);
      if (err instanceof Open311Failure) return sendErrors(reply, format, err.status, err.description);
      if (err instanceof AppError) {
        const field = err.details?.[0]?.path;
        return sendErrors(reply, format, err.status, field && !err.message.includes(field) ? `${field}：${err.message}` : err.message);
      }
      const e = err as { statusCode?: number; message?: string };
      if (e.statusCode === 429) return sendErrors(reply, format, 429, '请求过于频繁，请稍后再试');
      if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) return sendErrors(reply, format, e.statusCode, `请求格式不正确：${e.message ?? ''}`);
      req.log.error(err);
      return sendErrors(reply, format, 500, '服务器内部错误，请稍后重试');
    });
    app.setNotFoundHandler((req, reply) => sendErrors(reply, formatOf(req), 404, `接口不存在：${req.method} ${req.url.split('?')[0]}`));

    const readLimit = { rateLimit: { max: 120, timeWindow: 60_000, errorResponseBuilder: () => new Open311Failure(429, '请求过于频繁，请稍后再试') } };
    const FileParams = z.object({ file: z.string() });
    const docs = (summary: string) => ({ tags, summary, params: FileParams });

    app.get('/:file', { config: readLimit, schema: docs('discovery.{json|xml}、services.{json|xml}、requests.{json|xml}（按编号、服务、时间、状态筛选）') }, async (req, reply) => {
      const { name, format } = splitFormat(req.params.file);
      if (name === 'discovery') return send(reply, format, service.discovery(baseUrl(req), '市创文办'), { single: 'discovery' });
      if (name === 'services') return send(reply, format, await service.services(deps), { root: 'services', item: 'service' });
      if (name === 'requests') {
        const q = parse(Open311RequestsQuery, req.query);
        return send(reply, format, await service.listRequests(deps, q, baseUrl(req)), { root: 'service_requests', item: 'request' });
      }
      throw new Open311Failure(404, `接口不存在：${name}`);
    });

    app.post(
      '/:file',
      {
        config: { rateLimit: { max: 30, timeWindow: 60_000, errorResponseBuilder: () => new Open311Failure(429, '提交过于频繁，请稍后再试') } },
        schema: { ...docs('requests.{json|xml}：提交问题（需 api_key；application/x-www-form-urlencoded，带照片时 multipart/form-data 的 media 字段）'), security: [] },
      },
      async (req, reply) => {
        const { name, format } = splitFormat(req.params.file);
        if (name !== 'requests') throw new Open311Failure(404, `接口不存在：POST ${name}`);
        let body = (req.body as Record<string, unknown> | undefined) ?? {};
        let media: IncomingFile[] = [];
        if (req.isMultipart()) {
          const form = await readForm(req, settings);
          body = form.fields;
          media = form.files;
        }
        const input = { ...(req.query as Record<string, unknown>), ...body };
        if (!input.api_key) throw new Open311Failure(401, '缺少 api_key：提交问题须使用市创文办发放的接口密钥');
        if (input.lat === undefined || input.long === undefined) throw new Open311Failure(400, '须提供问题位置 lat 与 long（WGS-84）；仅有 address_string 或 address_id 时无法受理');
        const p = parse(Open311CreateParams, input);
        return send(reply, format, await service.createRequest(deps, req.ip, p, media, settings), { root: 'service_requests', item: 'request' });
      },
    );

    app.get('/services/:file', { config: readLimit, schema: docs('services/{service_code}.{json|xml}：服务定义') }, async (req, reply) => {
      const { name, format } = splitFormat(req.params.file);
      return send(reply, format, await service.serviceDefinition(deps, name), { single: 'service_definition' });
    });

    const one = async (req: FastifyRequest<{ Params: { file: string } }>, reply: FastifyReply) => {
      const { name, format } = splitFormat(req.params.file);
      return send(reply, format, await service.getRequest(deps, name, baseUrl(req)), { root: 'service_requests', item: 'request' });
    };
    app.get('/requests/:file', { config: readLimit, schema: docs('requests/{service_request_id}.{json|xml}：单个问题') }, one);
    // the path of the published swagger description (singular), same answer
    app.get('/request/:file', { config: readLimit, schema: { ...docs('request/{service_request_id}.{json|xml}（同上）'), hide: true } }, one);

    app.get('/tokens/:file', { config: readLimit, schema: docs('tokens/{token}.{json|xml}：按 token 查问题编号') }, async (req, reply) => {
      const { name, format } = splitFormat(req.params.file);
      return send(reply, format, await service.token(deps, name), { root: 'service_requests', item: 'request' });
    });
  };

/** The admin API of the keys (系统管理 → 接口密钥). */
export const apiKeyRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    const t = ['接口密钥'];
    app.get('/api/system/api-keys', { schema: { tags: t, summary: 'Open311 接口密钥列表', response: { 200: z.array(ApiKey) } } }, async (req) =>
      service.listApiKeys(deps, requireCtx(req)),
    );
    app.post(
      '/api/system/api-keys',
      { schema: { tags: t, summary: '发放接口密钥（完整密钥只在此返回一次）', body: CreateApiKeyRequest, response: { 200: CreatedApiKey } } },
      async (req) => service.createApiKey(deps, requireCtx(req), req.body),
    );
    app.post('/api/system/api-keys/:id/revoke', { schema: { tags: t, summary: '停用接口密钥', params: IdParams, response: { 200: ApiKey } } }, async (req) =>
      service.revokeApiKey(deps, requireCtx(req), req.params.id),
    );
  };
