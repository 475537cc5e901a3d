import path from 'node:path';
import { openConfiguredDatabase } from '../server/bootstrap.ts';
import type { Config } from '../server/config.ts';
import { BackupError, createBackup, formatBytes, restoreBackup } from '../server/lib/backup.ts';
import { Crypto } from '../server/lib/crypto.ts';
import { createStorage } from '../server/lib/storage.ts';

export const BACKUP_USAGE = `  backup <目录>                         备份数据库和全部文件到一个新目录（不含密钥；
                                        使用内置数据库时请先停止服务）
  restore <目录> [--force]              从备份目录恢复到当前配置的数据库和文件存储；
                                        数据库已有数据时须加 --force（会清除现有数据）`;

function keyLocation(config: Config): string {
  return config.isSecretKeyLocal ? path.join(config.dataDir, 'secret.key') : '环境变量 CHUANGWEN_SECRET_KEY';
}

/** `chuangwen backup <dir>`: exit code 0 on success, 2 on a refusal people can fix. */
export async function runBackup(args: string[], config: Config): Promise<number> {
  const [dir, ...rest] = args;
  if (!dir || rest.length > 0) {
    console.error('用法: npx chuangwen backup <目录>');
    return 1;
  }
  // The embedded database is read without migrating: a backup never changes what it copies.
  const database = await openConfiguredDatabase(config);
  try {
    console.log(`正在备份${database.kind === 'pglite' ? '内置数据库' : ' PostgreSQL'}和文件到 ${path.resolve(dir)} …`);
    const s = await createBackup({
      database,
      storage: createStorage(config.storage),
      crypto: new Crypto(config.secretKey),
      dir,
      log: (line) => console.log(line),
    });
    console.log(`备份完成：${s.tables.length} 张表 ${s.rows} 行，${s.files} 个文件 ${formatBytes(s.bytes)}。`);
    console.log(
      `注意：备份中不含密钥。手机号等个人信息是用密钥加密的，请另行妥善保存密钥（${keyLocation(config)}）；` +
        '没有同一个密钥，备份无法恢复。',
    );
    return 0;
  } catch (err) {
    if (err instanceof BackupError) {
      console.error(`备份失败：${err.message}`);
      return 2;
    }
    throw err;
  } finally {
    await database.close();
  }
}

/** `chuangwen restore <dir> [--force]` */
export async function runRestore(args: string[], config: Config): Promise<number> {
  const force = args.includes('--force');
  const positional = args.filter((a) => a !== '--force');
  if (positional.length !== 1 || positional[0].startsWith('-')) {
    console.error('用法: npx chuangwen restore <目录> [--force]');
    return 1;
  }
  const database = await openConfiguredDatabase(config);
  try {
    console.log(`正在从 ${path.resolve(positional[0])} 恢复到${database.kind === 'pglite' ? '内置数据库' : ' PostgreSQL'} …`);
    const s = await restoreBackup({
      database,
      storage: createStorage(config.storage),
      crypto: new Crypto(config.secretKey),
      dir: positional[0],
      force,
      log: (line) => console.log(line),
    });
    console.log(
      `恢复完成：${s.tables.length} 张表 ${s.rows} 行，${s.files} 个文件 ${formatBytes(s.bytes)}，全部校验一致。` +
        (s.replacedExisting ? '原有数据已被替换。' : ''),
    );
    return 0;
  } catch (err) {
    if (err instanceof BackupError) {
      console.error(`恢复失败：${err.message}`);
      if (err.code === 'KEY_MISMATCH') console.error(`现在使用的密钥来自：${keyLocation(config)}`);
      return 2;
    }
    throw err;
  } finally {
    await database.close();
  }
}
