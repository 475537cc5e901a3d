import { loadConfig, type Config } from '../../server/config.ts';

/** The bench database when nothing else is said: a PostgreSQL database on the local server. */
export const DEFAULT_BENCH_URL = 'postgres://postgres@127.0.0.1:5432/chuangwen_bench';
/** Fixed, public, for the bench database only: every seeded user has this password. */
export const BENCH_PASSWORD = 'Bench-Pass-2026';
/** Fixed, public, for the bench database only: phones are encrypted with it (32 bytes of 0x07). */
export const BENCH_SECRET_KEY = Buffer.alloc(32, 7).toString('base64');

export type Target = { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };

/** `--name value` or `--name=value` from argv; `true` for a bare flag. */
export function argOf(argv: string[], name: string): string | true | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === `--${name}`) {
      const next = argv[i + 1];
      return next !== undefined && !next.startsWith('--') ? next : true;
    }
    if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
  }
  return undefined;
}

export const stringArg = (argv: string[], name: string): string | undefined => {
  const v = argOf(argv, name);
  return typeof v === 'string' ? v : undefined;
};

/** --pglite DIR, else --database-url, else BENCH_DATABASE_URL, else DATABASE_URL, else the local default. */
export function resolveTarget(argv: string[], env: NodeJS.ProcessEnv = process.env): Target {
  const dir = stringArg(argv, 'pglite');
  if (dir) return { kind: 'pglite', dataDir: dir };
  return { kind: 'postgres', url: stringArg(argv, 'database-url') ?? env.BENCH_DATABASE_URL ?? env.DATABASE_URL ?? DEFAULT_BENCH_URL };
}

/** The URL of the `postgres` maintenance database on the same server, for CREATE/DROP DATABASE. */
export function maintenanceUrl(url: string): { adminUrl: string; dbName: string } {
  const u = new URL(url);
  const dbName = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!/^[a-z_][a-z0-9_]*$/.test(dbName)) throw new Error(`bench database name must be a plain identifier, got "${dbName}"`);
  u.pathname = '/postgres';
  return { adminUrl: u.toString(), dbName };
}

/** Hides a password in a URL for printing. */
export function safeUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

/** The application's config for the bench: the bench key, no log, login rate limit out of the way. */
export function benchConfig(target: Target, dataDir: string): Config {
  const env: NodeJS.ProcessEnv = {
    CHUANGWEN_DATA_DIR: dataDir,
    CHUANGWEN_SECRET_KEY: BENCH_SECRET_KEY,
    CHUANGWEN_SEED_DEMO: 'never',
    LOG_LEVEL: 'silent',
    NODE_ENV: 'production',
    ...(target.kind === 'postgres' ? { DATABASE_URL: target.url } : {}),
  };
  return { ...loadConfig(env), loginRateLimitPerMinute: 1_000_000_000 };
}
