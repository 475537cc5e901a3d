import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ImportKind, ImportKindLabels, type ImportMode, type ImportPreview, rowErrorText } from '../contracts/org-import.ts';
import { ALL_PERMISSIONS } from '../contracts/permissions.ts';
import { pathIds } from '../domain/org.ts';
import { createDeps } from '../server/bootstrap.ts';
import type { Config } from '../server/config.ts';
import type { Executor } from '../server/db/client.ts';
import type { RequestContext } from '../server/http/actor.ts';
import { AppError } from '../server/http/errors.ts';
import { commitImport, exportKind, previewImport } from '../server/modules/org/import/index.ts';
import { rootUnitPath } from '../server/modules/org/import/import.repo.ts';

export const IMPORT_EXPORT_USAGE = `  import <units|grids|points> <文件.xlsx> [--mode insert|upsert] [--dry-run]
                                        从 Excel 导入单位/网格/点位：先逐行校验，
                                        有错误则不写入（退出码 2）；upsert 更新已有记录
  export <units|grids|points> <文件.xlsx>
                                        导出全市的单位/网格/点位（与导入模板同列，电话脱敏）`;

/**
 * The CLI acts as the system at the root of the org tree (city-wide scope); its writes are
 * audited as 「系统（命令行）」.
 */
export async function systemContext(db: Executor): Promise<RequestContext> {
  const root = await rootUnitPath(db);
  if (!root) throw new AppError('BUSINESS_RULE', '数据库中还没有组织体系：请先启动服务完成初始化，或执行 npx chuangwen seed demo');
  return {
    actor: { userId: '', username: '命令行', name: '系统', unitId: pathIds(root)[0], unitPath: root, roles: [], permissions: new Set(ALL_PERMISSIONS), gridIds: new Set() },
    ip: 'cli',
  };
}

type Parsed = { kind: ImportKind; file: string; mode: ImportMode; dryRun: boolean };

function parseArgs(args: string[], needMode: boolean): Parsed | string {
  const positional: string[] = [];
  let mode: ImportMode = 'insert';
  let dryRun = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (needMode && a === '--dry-run') dryRun = true;
    else if (needMode && (a === '--mode' || a.startsWith('--mode='))) {
      const v = a === '--mode' ? args[++i] : a.slice('--mode='.length);
      if (v !== 'insert' && v !== 'upsert') return `--mode 只能是 insert 或 upsert（收到 ${v ?? '空'}）`;
      mode = v;
    } else if (a.startsWith('--')) return `未知选项：${a}`;
    else positional.push(a);
  }
  const [kind, file] = positional;
  const k = ImportKind.safeParse(kind);
  if (!k.success) return `请指定导入类型：units（单位）、grids（网格）或 points（点位）`;
  if (!file) return '请指定 Excel 文件路径';
  return { kind: k.data, file, mode, dryRun };
}

const MAX_LINES = 200;

function printPreview(p: ImportPreview): void {
  if (p.headerRow === null) {
    console.error('前 20 行中没有找到表头行，请使用导入模板（GET /api/org/import/<类型>/template）');
    return;
  }
  console.log(`工作表「${p.sheetName}」，表头在第 ${p.headerRow} 行；识别的列：${p.columns.map((c) => `${c.column}=${c.label}`).join('，')}`);
  if (p.ignored.length) console.log(`未识别（忽略）的列：${p.ignored.join('，')}`);
  if (p.missing.length) console.error(`缺少必填列：${p.missing.join('、')}`);
  const lines = p.rows.flatMap((r) => r.errors.map((e) => `第 ${r.row} 行  ${rowErrorText(e)}`));
  for (const line of lines.slice(0, MAX_LINES)) console.error(line);
  if (lines.length > MAX_LINES) console.error(`……另有 ${lines.length - MAX_LINES} 条错误未列出`);
  const s = p.summary;
  console.log(`共 ${s.total} 行：有效 ${s.valid} 行（新增 ${s.inserts}，更新 ${s.updates}），错误 ${s.invalid} 行`);
}

export async function runImport(args: string[], config: Config): Promise<number> {
  const parsed = parseArgs(args, true);
  if (typeof parsed === 'string') {
    console.error(`${parsed}\n\n用法:\n${IMPORT_EXPORT_USAGE}`);
    return 1;
  }
  if (!existsSync(parsed.file)) {
    console.error(`文件不存在：${parsed.file}`);
    return 1;
  }
  const file = { buffer: readFileSync(parsed.file), fileName: path.basename(parsed.file) };
  const { deps } = await createDeps(config, { allowDemo: false, bootstrap: false });
  try {
    const ctx = await systemContext(deps.db);
    const preview = await previewImport(deps, ctx, parsed.kind, parsed.mode, file);
    printPreview(preview);
    if (preview.headerRow === null || preview.missing.length || preview.summary.invalid > 0) {
      console.error('有错误，未写入任何数据');
      return 2;
    }
    if (preview.summary.total === 0) {
      console.error('文件中没有数据行');
      return 2;
    }
    if (parsed.dryRun) {
      console.log('校验通过（--dry-run：未写入）');
      return 0;
    }
    const r = await commitImport(deps, ctx, parsed.kind, parsed.mode, file);
    console.log(`已导入${ImportKindLabels[parsed.kind]}：新增 ${r.inserted}，更新 ${r.updated}`);
    return 0;
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    console.error(e.message);
    for (const d of e.details ?? []) console.error(`  ${d.path}：${d.message}`);
    return e.code === 'IMPORT_INVALID' ? 2 : 1;
  } finally {
    await deps.database.close();
  }
}

export async function runExport(args: string[], config: Config): Promise<number> {
  const parsed = parseArgs(args, false);
  if (typeof parsed === 'string') {
    console.error(`${parsed}\n\n用法:\n${IMPORT_EXPORT_USAGE}`);
    return 1;
  }
  const { deps } = await createDeps(config, { allowDemo: false, bootstrap: false });
  try {
    const ctx = await systemContext(deps.db);
    const out = await exportKind(deps, ctx, parsed.kind);
    writeFileSync(parsed.file, out.buffer);
    console.log(`已导出 ${out.count} 条${ImportKindLabels[parsed.kind]}到 ${parsed.file}`);
    return 0;
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    console.error(e.message);
    return 1;
  } finally {
    await deps.database.close();
  }
}
