import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ChangePasswordRequest, LoginRequest, Me } from '../../../contracts/auth.ts';
import { Ok } from '../../../contracts/common.ts';
import type { Deps } from '../../deps.ts';
import { clearSessionCookies, requireCtx, setSessionCookies } from '../../http/auth.ts';
import * as service from './auth.service.ts';

export const authRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/api/auth/login',
      {
        schema: {
          tags: ['认证'],
          summary: '用户名或手机号 + 密码登录，返回会话 Cookie',
          body: LoginRequest,
          response: { 200: Me },
        },
        config: { public: true, rateLimit: { max: deps.config.loginRateLimitPerMinute, timeWindow: '1 minute' } },
      },
      async (req, reply) => {
        const r = await service.login(deps, req.body, { ip: req.ip, userAgent: req.headers['user-agent'] });
        setSessionCookies(reply, req, r.token, r.csrfToken);
        const state = await service.resolveSession(deps, r.token, true);
        if (state.kind !== 'ok' || !state.profile) throw new Error('session vanished after login');
        return service.presentMe(deps, state.actor, r.csrfToken, state.profile);
      },
    );

    // `profile`: the auth hook reads the profile with the session, in one statement
    app.get('/api/auth/me', { config: { profile: true }, schema: { tags: ['认证'], summary: '当前用户、单位、角色与权限', response: { 200: Me } } }, async (req) => {
      const ctx = requireCtx(req);
      if (!req.profile) throw new Error('the auth hook did not read the profile');
      return service.presentMe(deps, ctx.actor, req.csrfToken as string, req.profile);
    });

    app.post('/api/auth/logout', { config: { public: true }, schema: { tags: ['认证'], summary: '退出登录', response: { 200: Ok } } }, async (req, reply) => {
      if (req.actor && req.sessionToken) await service.logout(deps, req.sessionToken, requireCtx(req));
      clearSessionCookies(reply);
      return { ok: true as const };
    });

    app.post(
      '/api/auth/password',
      { schema: { tags: ['认证'], summary: '修改本人密码', body: ChangePasswordRequest, response: { 200: Ok } } },
      async (req) => {
        await service.changePassword(deps, requireCtx(req), req.sessionToken as string, req.body.oldPassword, req.body.newPassword);
        return { ok: true as const };
      },
    );
  };
