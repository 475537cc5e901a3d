import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import { type ProfileRow, resolveSession } from '../modules/auth/index.ts';
import type { Actor, RequestContext } from './actor.ts';
import { AppError } from './errors.ts';

export const SESSION_COOKIE = 'cw_sid';
export const CSRF_COOKIE = 'cw_csrf';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** read the user's profile (/api/auth/me) with the session lookup: one statement instead of two */
    profile?: boolean;
    /** answers without a staff session (routes under /api/public/ are public by their URL) */
    public?: boolean;
  }
  interface FastifyRequest {
    /** the profile, on routes with `config: { profile: true }` */
    profile: ProfileRow | null;
    actor: Actor | null;
    sessionToken: string | null;
    csrfToken: string | null;
    sessionExpired: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Writes that need no session (and so no CSRF token): logging in, public citizen endpoints. */
const PUBLIC_WRITES = [/^\/api\/auth\/login$/, /^\/api\/public\//, /^\/open311\//];
/** Route URLs public by convention: the citizen endpoints and the API documentation. */
const PUBLIC_ROUTE_URLS = /^\/api\/(public\/|docs(\/|$)|openapi\.json$)/;
/** Reachable while a forced password change is pending. */
const PASSWORD_CHANGE_ALLOWED = /^\/api\/auth\//;

/**
 * Resolves the session cookie on every /api request (before validation), enforces CSRF on
 * writes and the forced password change. Routes then call `requireCtx(req)`.
 */
export function installAuth(app: FastifyInstance, deps: Deps): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('profile', null);
  app.decorateRequest('sessionToken', null);
  app.decorateRequest('csrfToken', null);
  app.decorateRequest('sessionExpired', false);

  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/')) return;
    const token = req.cookies[SESSION_COOKIE];
    if (token) {
      const state = await resolveSession(deps, token, req.routeOptions.config?.profile === true);
      if (state.kind === 'ok') {
        req.actor = state.actor;
        req.profile = state.profile ?? null;
        req.sessionToken = token;
        req.csrfToken = state.csrfToken;
        const path = req.url.split('?')[0];
        if (state.mustChangePassword && !PASSWORD_CHANGE_ALLOWED.test(path)) {
          throw new AppError('PASSWORD_CHANGE_REQUIRED', '首次登录或密码已被重置，请先修改密码');
        }
      } else if (state.kind === 'expired') {
        req.sessionExpired = true;
      }
    }
    // 401 before validation: an anonymous caller learns nothing about a non-public route's input
    // rules (nor its 404s). Unknown URLs (no route) fall through to the 404 handler.
    const routeUrl = req.routeOptions.url;
    if (!req.actor && routeUrl && req.routeOptions.config?.public !== true && !PUBLIC_ROUTE_URLS.test(routeUrl)) {
      throw req.sessionExpired
        ? new AppError('SESSION_EXPIRED', '长时间未操作，登录已过期，请重新登录')
        : new AppError('UNAUTHENTICATED', '请先登录');
    }
    if (!SAFE_METHODS.has(req.method) && req.actor) {
      const path = req.url.split('?')[0];
      if (!PUBLIC_WRITES.some((re) => re.test(path)) && req.headers[CSRF_HEADER] !== req.csrfToken) {
        throw new AppError('CSRF_INVALID', '页面已过期，请刷新后重试（CSRF 校验失败）');
      }
    }
  });
}

/** The authenticated context of a request, or 401. */
export function requireCtx(req: FastifyRequest): RequestContext {
  if (!req.actor) {
    throw req.sessionExpired
      ? new AppError('SESSION_EXPIRED', '长时间未操作，登录已过期，请重新登录')
      : new AppError('UNAUTHENTICATED', '请先登录');
  }
  return { actor: req.actor, ip: req.ip };
}

export function setSessionCookies(reply: FastifyReply, req: FastifyRequest, token: string, csrfToken: string): void {
  const secure = req.protocol === 'https';
  reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure });
  // Readable by the SPA, which echoes it in the X-CSRF-Token header (double submit).
  reply.setCookie(CSRF_COOKIE, csrfToken, { path: '/', httpOnly: false, sameSite: 'strict', secure });
}

export function clearSessionCookies(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
  reply.clearCookie(CSRF_COOKIE, { path: '/' });
}
