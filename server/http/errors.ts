import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { type ErrorCode, type ErrorDetail, ErrorStatus } from '../../contracts/errors.ts';

/** The one error type of the application: a code from contracts/errors.ts, a Chinese message, field details. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
    this.status = ErrorStatus[code];
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what}不存在或无权查看`);
export const forbidden = (message = '无权进行此操作') => new AppError('FORBIDDEN', message);
export const staleVersion = () => new AppError('STALE_VERSION', '数据已被他人修改，请刷新后重试');

const pgUniqueViolation = '23505';
const pgForeignKeyViolation = '23503';
/** invalid byte sequence for encoding "UTF8": 0x00 (a NUL in text) */
const pgNulInText = '22021';
/** unsupported Unicode escape sequence (\u0000 in jsonb) */
const pgNulInJson = '22P05';

/** busboy's and @fastify/multipart's complaints about a broken form: the client's fault, not ours */
function isMalformedMultipart(err: { code?: string; message?: string }): boolean {
  if (typeof err.code === 'string' && /^FST_(INVALID_MULTIPART|MULTIPART|PROTO_VIOLATION|PARTS_LIMIT|FIELDS_LIMIT|FILES_LIMIT)/.test(err.code)) return true;
  return /^(Unexpected end of (form|file|multipart data)|Malformed (part header|urlencoded form)|Multipart: Boundary not found|Unsupported content type|Missing Content-Type|Part terminated early|Malformed content type)/i.test(err.message ?? '');
}

/** Writes every error as { error: { code, message, details } } with the status of its code. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError & { cause?: unknown }, req, reply) => {
    if (err instanceof AppError) {
      return reply.status(err.status).send({ error: { code: err.code, message: err.message, details: err.details } });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const details = err.validation.map((v) => ({
        path: [err.validationContext, ...String(v.instancePath).split('/').filter(Boolean)].join('.'),
        message: v.message ?? '格式不正确',
      }));
      const first = details[0];
      return reply.status(400).send({
        error: { code: 'VALIDATION_FAILED', message: first ? `${first.path}：${first.message}` : '请求格式不正确', details },
      });
    }
    const pgCode = pgErrorCode(err);
    if (pgCode === pgUniqueViolation) {
      return reply.status(409).send({ error: { code: 'DUPLICATE', message: '数据重复：已存在相同编码或名称的记录' } });
    }
    if (pgCode === pgForeignKeyViolation) {
      return reply.status(422).send({ error: { code: 'BUSINESS_RULE', message: '引用的记录不存在或仍被其他数据使用' } });
    }
    if (pgCode === pgNulInText || pgCode === pgNulInJson) {
      return reply.status(400).send({ error: { code: 'VALIDATION_FAILED', message: '提交的文本中含有空字符（\\0），请删除后重试' } });
    }
    if (isMalformedMultipart(err)) {
      return reply.status(400).send({ error: { code: 'BAD_REQUEST', message: '请求格式不正确：multipart/form-data 表单不完整或格式错误' } });
    }
    if (err.statusCode === 413 || err.code === 'FST_REQ_FILE_TOO_LARGE') {
      return reply.status(413).send({ error: { code: 'PAYLOAD_TOO_LARGE', message: '文件或请求体过大' } });
    }
    if (err.statusCode === 415 || err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.status(415).send({ error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: '不支持的内容类型' } });
    }
    if (err.statusCode === 429) {
      return reply.status(429).send({ error: { code: 'RATE_LIMITED', message: '请求过于频繁，请稍后再试' } });
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.status(400).send({ error: { code: 'BAD_REQUEST', message: `请求格式不正确：${err.message}` } });
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'INTERNAL', message: '服务器内部错误，请稍后重试' } });
  });
}

export const routeNotFound = (method: string, url: string) => ({
  error: { code: 'NOT_FOUND', message: `接口不存在：${method} ${url.split('?')[0]}` },
});

function pgErrorCode(err: unknown): string | undefined {
  for (let e: unknown = err, i = 0; e && i < 4; e = (e as { cause?: unknown }).cause, i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}
