import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from './config.ts';
import { type Database, openDatabase } from './db/client.ts';
import type { Deps } from './deps.ts';
import { Crypto } from './lib/crypto.ts';
import { createStorage } from './lib/storage.ts';
import { writeDemoEvidenceFiles } from './modules/indicators/evidence/evidence.demo.ts';
import { writeDemoPhotos } from './modules/issues/issues.demo.ts';
import { bootstrapAdmin, generatePassword, isDatabaseEmpty, isDemoSeeded, seedBase, seedDemo } from './seed/demo.ts';

export function openConfiguredDatabase(config: Config): Promise<Database> {
  return config.databaseUrl
    ? openDatabase({ kind: 'postgres', url: config.databaseUrl, poolSize: config.databasePoolSize })
    : openDatabase({ kind: 'pglite', dataDir: path.join(config.dataDir, 'db') });
}

export type StartupReport = {
  seeded: 'demo' | 'admin' | null;
  /** printed in the start log so a first-time user can log in */
  credentials: { usernames: string[]; password: string; note?: string } | null;
};

/**
 * Opens the database, migrates, seeds roles and point types, and on an empty database seeds
 * the demo city (embedded default) or a first admin (PostgreSQL). Shared by main.ts and the CLI.
 */
export async function createDeps(config: Config, opts: { allowDemo?: boolean; bootstrap?: boolean } = {}): Promise<{ deps: Deps; report: StartupReport }> {
  const database = await openConfiguredDatabase(config);
  await database.migrate();
  await seedBase(database.db);
  const crypto = new Crypto(config.secretKey);
  const report: StartupReport = { seeded: null, credentials: null };
  const credentialsFile = path.join(config.dataDir, 'demo-credentials.txt');

  if ((opts.bootstrap ?? true) && (await isDatabaseEmpty(database.db))) {
    if ((opts.allowDemo ?? true) && config.isEmbedded && config.seedDemo === 'auto') {
      const password = config.demoPassword ?? generatePassword();
      await seedDemo(database.db, crypto, password);
      if (!config.demoPassword) writeFileSync(credentialsFile, password + '\n', { mode: 0o600 });
      report.seeded = 'demo';
    } else {
      const admin = await bootstrapAdmin(database.db, config.cityName);
      report.seeded = 'admin';
      report.credentials = { usernames: [admin.username], password: admin.password, note: '首次登录须修改密码' };
    }
  }
  const isDemo = await isDemoSeeded(database.db);
  if (isDemo && !report.credentials) {
    const password = config.demoPassword ?? (existsSync(credentialsFile) ? readFileSync(credentialsFile, 'utf8').trim() : undefined);
    report.credentials = {
      usernames: ['admin', 'qu_admin', 'danwei', 'ducha', 'wangge', 'jiandu'],
      password: password ?? '（生成的密码未保存，请用 CHUANGWEN_DEMO_PASSWORD 重新初始化）',
      note: config.demoPassword ? '来自 CHUANGWEN_DEMO_PASSWORD' : `已生成并保存在 ${credentialsFile}`,
    };
  }
  const deps: Deps = { config, database, db: database.db, crypto, storage: createStorage(config.storage), isDemo };
  if (report.seeded === 'demo') await writeDemoEvidenceFiles(deps.storage);
  if (report.seeded === 'demo') await writeDemoPhotos(deps.storage);
  return { deps, report };
}
