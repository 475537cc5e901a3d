import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from './app.ts';
import { createDeps } from './bootstrap.ts';
import { ConfigError, loadConfig } from './config.ts';
import { startWorker } from './modules/jobs/index.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function main() {
  const config = loadConfig();
  const { deps, report } = await createDeps(config);
  const app = await buildApp(deps, {
    logger: { level: config.logLevel },
    webDir: path.join(root, 'dist', 'web'),
  });
  if (!config.isEmbedded && config.isSecretKeyLocal) {
    app.log.warn('CHUANGWEN_SECRET_KEY 未设置：已使用数据目录中的本地密钥。多节点部署必须为所有节点设置同一个密钥。');
  }
  await app.listen({ port: config.port, host: config.host });
  // the job queue's worker: schedules (reminders, due evidence …) and background jobs
  const worker = config.jobs.worker ? startWorker(deps, { concurrency: config.jobs.concurrency, pollMs: config.jobs.pollMs, log: app.log }) : null;
  const url = `http://localhost:${(app.server.address() as { port: number }).port}`;
  const lines = [
    '',
    '  创文通已启动',
    `  地址      ${url}        手机端 ${url}/h5`,
    `  数据库    ${config.isEmbedded ? `PGlite（${path.join(config.dataDir, 'db')}）` : 'PostgreSQL'}`,
    `  接口文档  ${url}/api/docs`,
  ];
  if (report.seeded === 'demo') lines.push('  已初始化演示城市「示范市」');
  if (report.credentials) {
    lines.push(`  用户名    ${report.credentials.usernames.join('  ')}`);
    lines.push(`  密码      ${report.credentials.password}${report.credentials.note ? `   （${report.credentials.note}）` : ''}`);
  }
  console.log(lines.join('\n') + '\n');

  const shutdown = async () => {
    await app.close();
    await worker?.stop();
    await deps.database.close();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
