import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Database, openDatabase } from '../server/db/client.ts';
import { TEST_SECRET } from '../server/test/constants.ts';
import { openTestDatabase } from '../server/test/harness.ts';

const run = promisify(execFile);
const bin = path.resolve(import.meta.dirname, '../bin/chuangwen.mjs');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'cw-cli-import-'));
const dataDir = path.join(tmp, 'data');
let env: Record<string, string> = {};
let pgTest: Awaited<ReturnType<typeof openTestDatabase>> | undefined;

/**
 * A data directory holding the seeded demo city, copied from the test template rather than
 * seeded again (seeding takes far longer than the commands under test).
 */
beforeAll(async () => {
  if (process.env.TEST_DB === 'postgres') {
    pgTest = await openTestDatabase();
    env = { DATABASE_URL: pgTest.url! };
  } else {
    mkdirSync(dataDir, { recursive: true });
    const pg = await PGlite.create(path.join(dataDir, 'db'), { loadDataDir: new Blob([readFileSync(inject('pgliteTemplate'))]) });
    await pg.close();
  }
});
afterAll(async () => {
  await pgTest?.drop();
  rmSync(tmp, { recursive: true, force: true });
});

async function chuangwen(args: string[]) {
  const base = { ...process.env };
  delete base.DATABASE_URL;
  try {
    const r = await run(process.execPath, [bin, ...args], {
      env: { ...base, CHUANGWEN_DATA_DIR: dataDir, CHUANGWEN_SECRET_KEY: TEST_SECRET, STORAGE: 'local', ...env },
      timeout: 120_000,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

async function withDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const db = env.DATABASE_URL ? await openDatabase({ kind: 'postgres', url: env.DATABASE_URL, poolSize: 1 }) : await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'db') });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

async function writeXlsx(file: string, rows: (string | number)[][]) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('点位');
  ws.addRow(['2026年新增点位']);
  ws.mergeCells('A1:H1');
  for (const r of rows) ws.addRow(r);
  await wb.xlsx.writeFile(file);
}

const HEADER = ['点位编码', '点位名称', '点位类型', '地址', '经度', '纬度', '所在区域', '责任单位'];

describe('npx chuangwen import / export', () => {
  it('prints row errors in Chinese and exits 2 without writing; then imports a valid file as the system', async () => {
    const bad = path.join(tmp, 'bad.xlsx');
    await writeXlsx(bad, [HEADER, ['CLI001', '命令行测试点', '公园', '示范市文明区1号', 213.6, 34.7, '朝阳社区', '市园林绿化局'], ['CLI002', '乙', '无此类型', '地址', 113.6, 34.7, '朝阳社区', '市园林绿化局']]);
    const r1 = await chuangwen(['import', 'points', bad]);
    expect(r1.code, r1.stderr).toBe(2);
    expect(r1.stdout).toContain('表头在第 2 行');
    expect(r1.stderr).toContain('第 3 行  经度超出中国范围（73–136）');
    expect(r1.stderr).toContain('第 4 行  点位类型「无此类型」不存在');
    expect(r1.stderr).toContain('未写入任何数据');

    const good = path.join(tmp, 'good.xlsx');
    await writeXlsx(good, [HEADER, ['CLI001', '命令行测试点', '公园', '示范市文明区1号', `113°39'55.4"E`, 34.7, '朝阳社区', '市园林绿化局、新华街道']]);
    const dry = await chuangwen(['import', 'points', good, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('--dry-run');
    const r2 = await chuangwen(['import', 'points', good, '--mode', 'insert']);
    expect(r2.code, r2.stderr).toBe(0);
    expect(r2.stdout).toContain('已导入点位：新增 1，更新 0');

    const out = path.join(tmp, 'points.xlsx');
    const r3 = await chuangwen(['export', 'points', out]);
    expect(r3.code, r3.stderr).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const codes = wb.worksheets[0].getColumn(1).values;
    expect(codes).toContain('CLI001');
    expect(codes).toContain('DW0001');

    await withDb(async (db) => {
      const p = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM points WHERE code LIKE 'CLI%'`);
      expect(p.rows[0].n).toBe(1);
      const a = await db.query<{ actor_name: string; actor_id: string | null }>(`SELECT actor_name, actor_id FROM audit_log WHERE action = 'import' ORDER BY id DESC LIMIT 1`);
      expect(a.rows[0]).toEqual({ actor_name: '系统（命令行）', actor_id: null });
    });

    const usage = await chuangwen(['import', 'things', good]);
    expect(usage.code).toBe(1);
    expect(usage.stderr).toContain('units（单位）、grids（网格）或 points（点位）');
  }, 240_000);
});
