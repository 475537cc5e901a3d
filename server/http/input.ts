import type { FastifyInstance } from 'fastify';
import { AppError } from './errors.ts';

/** The NUL character: PostgreSQL cannot store it in text or jsonb, and no form has a use for it. */
const NUL = '\u0000';

const nulError = (path: string) => {
  const message = `${path}：不能包含空字符（\\0），请删除后重试`;
  return new AppError('VALIDATION_FAILED', message, [{ path, message }]);
};

/** Throws 400 naming the first field (as `body.a.b`, `query.x`) whose name or text contains a NUL. */
export function rejectNul(path: string, value: unknown, depth = 0): void {
  if (typeof value === 'string') {
    if (value.includes(NUL)) throw nulError(path);
    return;
  }
  if (value === null || typeof value !== 'object' || depth > 32 || Buffer.isBuffer(value)) return;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) rejectNul(`${path}.${i}`, v, depth + 1);
    return;
  }
  for (const [k, v] of Object.entries(value)) {
    if (k.includes(NUL)) throw nulError(path);
    rejectNul(`${path}.${k}`, v, depth + 1);
  }
}

/**
 * Checks every request's text before validation, once for all routes: NUL bytes in path
 * parameters, the query and a JSON or form body answer 400 naming the field (multipart fields are
 * checked where they are read, with the same `rejectNul`).
 */
export function installInputGuards(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    if (req.url.includes('%00') || req.url.includes(NUL)) {
      rejectNul('params', req.params);
      rejectNul('query', req.query);
    }
    if (req.body !== undefined && req.body !== null) rejectNul('body', req.body);
  });
}
