import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from './deps.ts';
import { installAuth } from './http/auth.ts';
import { installInputGuards } from './http/input.ts';
import { registerErrorHandler, routeNotFound } from './http/errors.ts';
import { auditRoutes } from './modules/audit/index.ts';
import { authRoutes } from './modules/auth/index.ts';
import { fileRoutes } from './modules/files/index.ts';
import { issueRoutes } from './modules/issues/index.ts';
import { jobRoutes } from './modules/jobs/index.ts';
import { indicatorRoutes } from './modules/indicators/index.ts';
import { inspectionRoutes } from './modules/inspections/index.ts';
import { publicReportRoutes } from './modules/issues/public.routes.ts';
import { apiKeyRoutes, open311Routes } from './modules/open311/index.ts';
import { issueMetricsRoutes, supervisionRoutes } from './modules/issues/index.ts';
import { evidenceRoutes } from './modules/indicators/evidence/index.ts';
import { holidayRoutes } from './modules/issues/holidays.routes.ts';
import { issueExportRoutes } from './modules/issues/issues.export.ts';
import { issuePlaceRoutes } from './modules/issues/place.routes.ts';
import { notificationRoutes } from './modules/notifications/index.ts';
import { savedViewRoutes } from './modules/saved-views/index.ts';
import { publicPageData, quizRoutes, surveyRoutes } from './modules/surveys/index.ts';
import { placesRoutes, unitRoutes } from './modules/org/index.ts';
import { importRoutes } from './modules/org/import/index.ts';
import { installMetrics, systemRoutes } from './modules/system/system.routes.ts';
import { databaseRateLimitStore } from './modules/system/rate-limit.ts';
import { userRoutes } from './modules/users/index.ts';
import { volunteerPublicRoutes, volunteerRoutes } from './modules/volunteers/index.ts';

// Validation messages in Chinese for every schema (PRODUCT.md §4).
z.config(z.locales.zhCN());

export type BuildOptions = {
  logger?: boolean | object;
  /** directory of the built web app (dist/web); served when it exists */
  webDir?: string;
  /** called for every route as it is registered (the access census lists them with it) */
  onRoute?: (route: { method: string | string[]; url: string; schema?: { params?: unknown; querystring?: unknown; body?: unknown; hide?: boolean } }) => void;
};

/** Builds the whole application: used by main.ts, the tests and the benchmarks. */
export async function buildApp(deps: Deps, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const tp = deps.config.trustProxy;
  const app = Fastify({
    logger: withRedactingSerializers(opts.logger ?? false),
    // only the configured proxies may name the client (docs/deploy.md); a hop count trusts the N nearest
    trustProxy: typeof tp === 'number' ? (_addr: string, hop: number) => hop < tp : tp,
    bodyLimit: 2 * 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  if (opts.onRoute) {
    const onRoute = opts.onRoute;
    app.addHook('onRoute', (r) => onRoute({ method: r.method, url: r.url, schema: r.schema as never }));
  }
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);

  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:', 'https:', 'http:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(rateLimit, { global: false, store: databaseRateLimitStore(deps.database) });
  await app.register(multipart, { limits: { fileSize: deps.config.uploadMaxBytes, files: 10 } });
  await app.register(swagger, {
    openapi: {
      info: { title: '创文通 API', version: '0.1.0', description: '全国文明城市创建工作管理平台接口。写操作需携带 X-CSRF-Token（登录响应与 /api/auth/me 返回）。' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'cw_sid' } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  installMetrics(app);
  installAuth(app, deps);
  installInputGuards(app);
  await app.register(systemRoutes(deps));
  await app.register(authRoutes(deps));
  await app.register(auditRoutes(deps));
  await app.register(unitRoutes(deps));
  await app.register(placesRoutes(deps));
  await app.register(fileRoutes(deps));
  await app.register(userRoutes(deps));
  await app.register(importRoutes(deps));
  await app.register(issueRoutes(deps));
  await app.register(issueExportRoutes(deps));
  await app.register(issuePlaceRoutes(deps));
  await app.register(indicatorRoutes(deps));
  await app.register(publicReportRoutes(deps));
  await app.register(open311Routes(deps));
  await app.register(apiKeyRoutes(deps));
  await app.register(supervisionRoutes(deps));
  await app.register(issueMetricsRoutes(deps));
  await app.register(evidenceRoutes(deps));
  await app.register(holidayRoutes(deps));
  await app.register(notificationRoutes(deps));
  await app.register(savedViewRoutes(deps));
  await app.register(surveyRoutes(deps, { submitPerMinute: deps.config.surveySubmitPerMinute }));
  await app.register(quizRoutes(deps, { submitPerMinute: deps.config.surveySubmitPerMinute }));
  await app.register(jobRoutes(deps));
  await app.register(volunteerRoutes(deps));
  await app.register(volunteerPublicRoutes(deps));
  await app.register(inspectionRoutes(deps));

  if (opts.webDir && existsSync(path.join(opts.webDir, 'index.html'))) await serveWeb(app, opts.webDir, (url) => publicPageData(deps, url));
  else app.setNotFoundHandler((req, reply) => reply.status(404).send(routeNotFound(req.method, req.url)));
  return app;
}

/** Query parameters whose values never reach a log line (Open311 clients put api_key in the URL). */
const SECRET_QUERY = /([?&](?:api_key|token|access_token|password)=)[^&#]*/gi;
export const redactUrl = (url: string): string => url.replace(SECRET_QUERY, '$1[已隐去]');

/** The access log's request serializer, with secrets in the URL redacted. */
function withRedactingSerializers(logger: boolean | object): boolean | object {
  if (!logger) return false;
  const base = logger === true ? {} : logger;
  return {
    ...base,
    serializers: {
      ...(base as { serializers?: object }).serializers,
      req: (req: { method: string; url: string; hostname?: string; ip?: string; socket?: { remotePort?: number } }) => ({
        method: req.method,
        url: redactUrl(req.url),
        host: req.hostname,
        remoteAddress: req.ip,
        remotePort: req.socket?.remotePort,
      }),
    },
  };
}

/** The built SPAs: admin at /, mobile at /h5, public surveys and quizzes at /s/; unknown non-API paths fall back to each index.html. */
async function serveWeb(app: FastifyInstance, webDir: string, pageData: (pathname: string) => Promise<unknown>) {
  // preCompressed: the build writes .br/.gz beside each asset (vite.config.ts), sent when accepted
  await app.register(fastifyStatic, { root: webDir, prefix: '/', wildcard: false, index: false, maxAge: '1h', preCompressed: true });
  const isApi = (url: string) => /^\/(api|open311|healthz|readyz|metrics)(\/|$|\?)/.test(url);
  let publicHtml: string | null = null;
  app.setNotFoundHandler(async (req, reply) => {
    if (req.method !== 'GET' || isApi(req.url)) {
      return reply.status(404).send(routeNotFound(req.method, req.url));
    }
    if (/\.[a-z0-9]+$/i.test(req.url.split('?')[0])) {
      return reply.status(404).send({ error: { code: 'NOT_FOUND', message: '文件不存在' } });
    }
    reply.header('cache-control', 'no-cache');
    if (req.url.startsWith('/s/')) {
      // the public pages get their data inside the HTML (a JSON script, not executed: the CSP
      // stays 'self'), which saves a phone on 4G the round trip of fetching it after the script
      const data = await pageData(req.url.split('?')[0]).catch(() => null);
      if (data) {
        publicHtml ??= readFileSync(path.join(webDir, 's', 'index.html'), 'utf8');
        const json = JSON.stringify(data).replace(/</g, '\\u003c');
        return reply.type('text/html; charset=utf-8').send(publicHtml.replace('</head>', `<script id="cw-data" type="application/json">${json}</script></head>`));
      }
    }
    return reply.sendFile(req.url.startsWith('/h5') ? 'h5/index.html' : req.url.startsWith('/s/') ? 's/index.html' : 'index.html');
  });
}
