import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import client from 'prom-client';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../http/errors.ts';

const safeEqual = (a: string, b: string): boolean => {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
};

export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });
export const httpDuration = new client.Histogram({
  name: 'chuangwen_http_request_duration_seconds',
  help: 'HTTP request duration by route and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

/** Times every request by route template; installed on the root app so it sees every module. */
export function installMetrics(app: FastifyInstance): void {
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url;
    if (!route || route === '/metrics') return;
    httpDuration.observe({ method: req.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
}

/** Health, readiness, metrics and the public client configuration. */
export const systemRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));

    app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
      try {
        await deps.database.query('SELECT 1');
        return { status: 'ready', database: deps.database.kind, storage: deps.storage.kind };
      } catch (err) {
        return reply.status(503).send({ status: 'unavailable', reason: (err as Error).message });
      }
    });

    // Prometheus metrics: closed unless METRICS_PUBLIC=true or the scraper sends METRICS_TOKEN as a bearer token
    app.get('/metrics', { schema: { hide: true } }, async (req, reply) => {
      const { public: isPublic, token } = deps.config.metrics;
      const sent = req.headers.authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
      if (!isPublic && !(token && sent && safeEqual(sent, token))) {
        reply.header('www-authenticate', 'Bearer realm="metrics"');
        throw new AppError('UNAUTHENTICATED', token ? '访问 /metrics 须携带 METRICS_TOKEN（Authorization: Bearer …）' : '/metrics 未开放：设置 METRICS_PUBLIC=true 或 METRICS_TOKEN 后可用');
      }
      reply.header('content-type', registry.contentType);
      return registry.metrics();
    });

    app.get(
      '/api/config',
      {
        config: { public: true },
        schema: {
          tags: ['系统'],
          summary: '前端所需的公开配置（地图底图等）',
          response: {
            200: z.object({
              map: z.object({ tileUrl: z.string(), tileCrs: z.enum(['wgs84', 'gcj02']), attribution: z.string() }),
              isDemo: z.boolean(),
              uploadMaxBytes: z.number(),
            }),
          },
        },
      },
      async () => ({ map: deps.config.map, isDemo: deps.isDemo, uploadMaxBytes: deps.config.uploadMaxBytes }),
    );
  };
