import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

/** The whole environment, parsed once at boot. See .env.example for every variable. */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  CHUANGWEN_DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().url().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  CHUANGWEN_SECRET_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/, '必须是 32 字节的 base64 字符串（openssl rand -base64 32）')
    .optional(),
  CHUANGWEN_DEMO_PASSWORD: z.string().min(8).optional(),
  CHUANGWEN_SEED_DEMO: z.enum(['auto', 'never']).default('auto'),
  CHUANGWEN_CITY_NAME: z.string().trim().min(1).max(50).default('本市'),
  STORAGE: z.enum(['local', 's3']).default('local'),
  S3_ENDPOINT: z.string().url().optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_BUCKET: z.string().optional(),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('true'),
  UPLOAD_MAX_BYTES: z.coerce.number().int().positive().default(20 * 1024 * 1024),
  MAP_TILE_URL: z.string().default(''),
  MAP_TILE_CRS: z.enum(['wgs84', 'gcj02']).default('gcj02'),
  MAP_TILE_ATTRIBUTION: z.string().default(''),
  LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(30),
  SURVEY_SUBMIT_PER_MINUTE: z.coerce.number().int().positive().default(30),
  SESSION_IDLE_MINUTES: z.coerce.number().int().positive().default(30),
  TRUST_PROXY: z.string().trim().default('false'),
  METRICS_PUBLIC: z.enum(['true', 'false'], { message: '须为 true 或 false' }).default('false'),
  METRICS_TOKEN: z.string().min(16, '至少 16 个字符（openssl rand -hex 16）').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.string().default('production'),
  ISSUE_DUPLICATE_RADIUS_M: z.coerce.number().int().min(1, '须为 1–5000 的整数（米）').max(5000, '须为 1–5000 的整数（米）').default(100),
  ISSUE_DUE_SOON_HOURS: z.coerce.number().int().min(1, '须为 1–720 的整数（小时）').max(720, '须为 1–720 的整数（小时）').default(24),
  CITY_BOUNDS: z
    .string()
    .trim()
    .regex(/^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$/, '格式为 最小经度,最小纬度,最大经度,最大纬度（如 113.2,34.4,114.2,35.1）')
    .refine((v) => {
      const [a, b, c, d] = v.split(',').map(Number);
      return [a, b, c, d].some((x) => Number.isNaN(x)) || (a < c && b < d);
    }, '最小经纬度须小于最大经纬度')
    .optional(),
  NOTIFY_WEBHOOK_URL: z.string().url('须为 http(s) 地址').optional(),
  JOBS_WORKER: z.enum(['true', 'false'], { message: '须为 true 或 false' }).default('true'),
  JOBS_CONCURRENCY: z.coerce.number().int().min(1, '须为 1–32 的整数').max(32, '须为 1–32 的整数').default(2),
  JOBS_POLL_MS: z.coerce.number().int().min(100, '须为 100–60000 的整数（毫秒）').max(60_000, '须为 100–60000 的整数（毫秒）').default(1000),
  REMINDER_INTERVAL_MINUTES: z.coerce.number().int().min(0, '须为 0（关闭）或正整数（分钟）').max(1440, '最多 1440 分钟').default(30),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  /** embedded = PGlite in dataDir/db; the demo city is seeded automatically only there */
  isEmbedded: boolean;
  secretKey: Buffer;
  /** true when the key was generated into dataDir; several nodes must set CHUANGWEN_SECRET_KEY instead */
  isSecretKeyLocal: boolean;
  demoPassword: string | undefined;
  seedDemo: 'auto' | 'never';
  /** name of the root unit created when a non-demo installation starts empty */
  cityName: string;
  storage:
    | { kind: 'local'; dir: string }
    | {
        kind: 's3';
        endpoint: string | undefined;
        region: string;
        bucket: string;
        accessKeyId: string | undefined;
        secretAccessKey: string | undefined;
        forcePathStyle: boolean;
      };
  uploadMaxBytes: number;
  map: { tileUrl: string; tileCrs: 'wgs84' | 'gcj02'; attribution: string };
  sessionIdleMinutes: number;
  /** per client IP */
  loginRateLimitPerMinute: number;
  /** public survey/quiz submissions per client IP per minute before 429 */
  surveySubmitPerMinute: number;
  /**
   * Which peers may set X-Forwarded-For: false (none), a hop count (the N nearest proxies), or a
   * list of proxy addresses / CIDRs. Never "everyone": the client would choose its own IP.
   */
  trustProxy: false | number | string[];
  /** /metrics: open to anyone (`public`), to a bearer token, or closed (401) */
  metrics: { public: boolean; token: string | undefined };
  logLevel: string;
  isDevelopment: boolean;
  issues: {
    /** radius of duplicate hints, metres */
    duplicateRadiusM: number;
    /** an issue is 即将到期 when its deadline is within this many hours */
    dueSoonHours: number;
    /** [minLng, minLat, maxLng, maxLat] WGS-84; null = derived from the city's points and grids (server/modules/issues/city-bounds.ts) */
    cityBounds: [number, number, number, number] | null;
    /** minutes between runs of the due/overdue reminders; 0 = off */
    reminderIntervalMinutes: number;
  };
  /** notifications are also POSTed as JSON to this URL when set */
  notifyWebhookUrl: string | undefined;
  /** the background job worker of this process (docs/jobs.md) */
  jobs: { worker: boolean; concurrency: number; pollMs: number };
};

export class ConfigError extends Error {}

/** Reads and validates the environment; throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`环境变量配置错误:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.CHUANGWEN_DATA_DIR);
  const trustProxy = parseTrustProxy(e.TRUST_PROXY);
  if (typeof trustProxy === 'string') throw new ConfigError(`环境变量配置错误:\n  TRUST_PROXY: ${trustProxy}`);
  if (e.STORAGE === 's3' && !e.S3_BUCKET) throw new ConfigError('环境变量配置错误:\n  S3_BUCKET: STORAGE=s3 时必须设置');
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    isEmbedded: !e.DATABASE_URL,
    secretKey: e.CHUANGWEN_SECRET_KEY ? Buffer.from(e.CHUANGWEN_SECRET_KEY, 'base64') : localSecretKey(dataDir),
    isSecretKeyLocal: !e.CHUANGWEN_SECRET_KEY,
    demoPassword: e.CHUANGWEN_DEMO_PASSWORD,
    seedDemo: e.CHUANGWEN_SEED_DEMO,
    cityName: e.CHUANGWEN_CITY_NAME,
    storage:
      e.STORAGE === 's3'
        ? {
            kind: 's3',
            endpoint: e.S3_ENDPOINT,
            region: e.S3_REGION,
            bucket: e.S3_BUCKET as string,
            accessKeyId: e.S3_ACCESS_KEY_ID,
            secretAccessKey: e.S3_SECRET_ACCESS_KEY,
            forcePathStyle: e.S3_FORCE_PATH_STYLE === 'true',
          }
        : { kind: 'local', dir: path.join(dataDir, 'files') },
    uploadMaxBytes: e.UPLOAD_MAX_BYTES,
    map: { tileUrl: e.MAP_TILE_URL, tileCrs: e.MAP_TILE_CRS, attribution: e.MAP_TILE_ATTRIBUTION },
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    loginRateLimitPerMinute: e.LOGIN_RATE_LIMIT_PER_MINUTE,
    surveySubmitPerMinute: e.SURVEY_SUBMIT_PER_MINUTE,
    trustProxy,
    metrics: { public: e.METRICS_PUBLIC === 'true', token: e.METRICS_TOKEN },
    logLevel: e.LOG_LEVEL,
    isDevelopment: e.NODE_ENV === 'development',
    issues: {
      duplicateRadiusM: e.ISSUE_DUPLICATE_RADIUS_M,
      dueSoonHours: e.ISSUE_DUE_SOON_HOURS,
      cityBounds: e.CITY_BOUNDS ? (e.CITY_BOUNDS.split(',').map(Number) as [number, number, number, number]) : null,
      reminderIntervalMinutes: e.REMINDER_INTERVAL_MINUTES,
    },
    notifyWebhookUrl: e.NOTIFY_WEBHOOK_URL,
    jobs: { worker: e.JOBS_WORKER === 'true', concurrency: e.JOBS_CONCURRENCY, pollMs: e.JOBS_POLL_MS },
  };
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * TRUST_PROXY: `false` (default), a hop count 1–10, or a comma-separated list of proxy addresses
 * and CIDRs (`10.0.0.0/8,192.168.1.5`, also `loopback`, `uniquelocal`). Returns the Chinese
 * problem as a string when the value is not one of these; `true` is refused on purpose.
 */
export function parseTrustProxy(raw: string): false | number | string[] | string {
  const v = raw.trim();
  if (v === '' || v === 'false' || v === '0') return false;
  if (v === 'true') {
    return '不再接受 true（那样客户端可自行伪造 X-Forwarded-For 中的 IP）：请填写反向代理的地址或网段（如 10.0.0.5 或 10.0.0.0/8，多个以逗号分隔），或代理层数（如 1）';
  }
  if (/^\d+$/.test(v)) {
    const n = Number(v);
    return n >= 1 && n <= 10 ? n : '代理层数须为 1–10 的整数';
  }
  const items = v.split(',').map((x) => x.trim()).filter(Boolean);
  for (const item of items) {
    if (PROXY_NAMES.has(item)) continue;
    const [addr, prefix, extra] = item.split('/');
    const family = isIP(addr);
    const max = family === 4 ? 32 : 128;
    if (!family || extra !== undefined || (prefix !== undefined && !(/^\d+$/.test(prefix) && Number(prefix) <= max))) {
      return `「${item}」不是 IP 地址或网段（如 10.0.0.5、10.0.0.0/8、fd00::/8）`;
    }
  }
  return items;
}

/**
 * Without CHUANGWEN_SECRET_KEY a key is generated once into the data directory, so that a laptop
 * install needs no configuration. Several nodes must share one key through the environment
 * (main.ts warns when a PostgreSQL deployment relies on a local key).
 */
function localSecretKey(dataDir: string): Buffer {
  const file = path.join(dataDir, 'secret.key');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32).toString('base64');
  writeFileSync(file, key + '\n', { mode: 0o600 });
  return Buffer.from(key, 'base64');
}
