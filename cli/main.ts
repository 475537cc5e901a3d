import { loadConfig } from '../server/config.ts';
import { createDeps } from '../server/bootstrap.ts';
import { writeDemoEvidenceFiles } from '../server/modules/indicators/evidence/evidence.demo.ts';
import { writeDemoPhotos } from '../server/modules/issues/issues.demo.ts';
import { sendDueReminders } from '../server/modules/issues/issues.notify.ts';
import { isDatabaseEmpty, seedDemo, generatePassword } from '../server/seed/demo.ts';
import { BACKUP_USAGE, runBackup, runRestore } from './backup.ts';
import { IMPORT_EXPORT_USAGE, runExport, runImport } from './import-export.ts';

const USAGE = `用法: npx chuangwen <命令>

  migrate                               执行数据库迁移
  seed demo                             向空数据库写入演示城市「示范市」
  remind                                向责任单位发送即将到期、已超期问题的提醒（每个问题每天一次）
${BACKUP_USAGE}
${IMPORT_EXPORT_USAGE}
`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...args] = argv;
  if (!cmd || cmd === 'help' || cmd === '--help') {
    console.log(USAGE);
    return cmd ? 0 : 1;
  }
  const config = loadConfig();
  if (cmd === 'backup') return runBackup(args, config);
  if (cmd === 'restore') return runRestore(args, config);
  if (cmd === 'import') return runImport(args, config);
  if (cmd === 'export') return runExport(args, config);
  if (cmd === 'migrate') {
    const { deps } = await createDeps(config, { allowDemo: false, bootstrap: false });
    console.log('数据库迁移完成');
    await deps.database.close();
    return 0;
  }
  if (cmd === 'remind') {
    const { deps } = await createDeps(config, { allowDemo: false, bootstrap: false });
    try {
      const r = await sendDueReminders(deps);
      console.log(`已发送提醒 ${r.sent} 条（即将到期 ${r.dueSoon}，已超期 ${r.overdue}）`);
      return 0;
    } finally {
      await deps.database.close();
    }
  }
  if (cmd === 'seed' && args[0] === 'demo') {
    const { deps } = await createDeps(config, { allowDemo: false, bootstrap: false });
    try {
      if (!(await isDatabaseEmpty(deps.db))) {
        console.error('数据库不是空的：演示数据只能写入空数据库');
        return 2;
      }
      const password = config.demoPassword ?? generatePassword();
      const r = await seedDemo(deps.db, deps.crypto, password);
      await writeDemoEvidenceFiles(deps.storage);
      await writeDemoPhotos(deps.storage);
      console.log(`已写入演示城市「示范市」：${r.units} 个单位，${r.points} 个点位，${r.users} 个用户`);
      console.log(`用户名 admin qu_admin danwei ducha wangge jiandu  密码 ${password}`);
      return 0;
    } finally {
      await deps.database.close();
    }
  }
  console.error(`未知命令：${argv.join(' ')}\n\n${USAGE}`);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
