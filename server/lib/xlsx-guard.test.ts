import { describe, expect, it } from 'vitest';
import { readFirstSheet } from './excel.ts';
import { farRowWorkbook, largeWorkbook, zipBombWorkbook } from './xlsx-bombs.fixtures.ts';
import { centralDirectory, inspectXlsx } from './xlsx-guard.ts';

describe('Excel bombs: uploaded workbooks are checked before they are read', () => {
  it('refuses a zip bomb from its central directory, before inflating anything', async () => {
    const bomb = await zipBombWorkbook(300);
    expect(bomb.length).toBeLessThan(5 * 1024 * 1024);
    expect(() => centralDirectory(bomb)).toThrow(/解压后过大.*sheet1\.xml/);
    const started = performance.now();
    await expect(readFirstSheet(bomb, { maxRows: 20_000 })).rejects.toMatchObject({ reason: 'too_large', message: expect.stringContaining('文件解压后过大') });
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('catches a bomb whose directory lies about its size while inflating, with bounded memory', async () => {
    const liar = await zipBombWorkbook(300, { lie: true });
    expect(() => centralDirectory(liar)).not.toThrow();
    const before = process.memoryUsage().rss;
    await expect(inspectXlsx(liar)).rejects.toMatchObject({ reason: 'too_large', message: expect.stringContaining('实际解压大小超过声明') });
    await expect(readFirstSheet(liar, { maxRows: 20_000 })).rejects.toMatchObject({ reason: 'too_large' });
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
  });

  it('stops reading a large honest workbook at the row cap', async () => {
    const { buffer, rows } = await largeWorkbook(4);
    expect(rows).toBeGreaterThan(10_000);
    await expect(readFirstSheet(buffer, { maxRows: 5_000 })).rejects.toMatchObject({ reason: 'too_large', message: '数据行过多：最多 5000 行，请分批导入' });
  }, 60_000);

  it('refuses a sparse row a million rows down instead of building a million empty rows', async () => {
    await expect(readFirstSheet(await farRowWorkbook(), { maxRows: 20_000 })).rejects.toMatchObject({ reason: 'too_large' });
  });

  it('reads a hand-written workbook (inline strings, no styles) as before', async () => {
    const { buffer } = await largeWorkbook(0.01);
    const grid = await readFirstSheet(buffer, { maxRows: 1000 });
    expect(grid.sheetName).toBe('点位');
    expect(grid.rows[0]).toEqual(Array.from({ length: 10 }, (_, i) => `列${i + 1}`));
    expect(grid.rows[1]).toHaveLength(10);
  });
});
