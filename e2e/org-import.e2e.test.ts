import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, loginDesktop, newPage, type Running, screenshot, startServer } from './support.ts';

async function xlsx(rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('单位');
  ws.addRow(['2026年新增单位']);
  ws.mergeCells('A1:C1');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
const MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('Excel import dialog', () => {
  let server: Running;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    ({ page } = await newPage(browser));
    await loginDesktop(page, server.url, 'admin');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('previews row errors in red, blocks 确认导入 until the file is clean, then imports', async () => {
    await page.goto(`${server.url}/org/units`);
    await page.getByRole('button', { name: /导\s*入/ }).click();
    const dialog = page.locator('.ant-modal', { hasText: '从 Excel 导入单位' });
    await dialog.waitFor();
    const bad = await xlsx([
      ['名称', '类型', '上级单位'],
      ['幸福里社区', '社区村', '新华街道'],
      ['错误社区', '社区村', '不存在的街道'],
    ]);
    await dialog.locator('input[type=file]').setInputFiles({ name: '单位.xlsx', mimeType: MIME, buffer: bad });
    await dialog.getByText('上级单位「不存在的街道」不存在（系统和本文件中都没有）').waitFor();
    expect(await dialog.getByText('表头在第 2 行').count()).toBe(1);
    expect(await dialog.getByTestId('import-commit').isDisabled()).toBe(true);
    await screenshot(page, 'desktop-import-preview-errors');

    await dialog.getByRole('button', { name: '重新选择文件' }).click();
    const good = await xlsx([
      ['名称', '类型', '上级单位'],
      ['幸福里社区', '社区村', '新华街道'],
    ]);
    await dialog.locator('input[type=file]').setInputFiles({ name: '单位.xlsx', mimeType: MIME, buffer: good });
    await dialog.getByText('可导入', { exact: true }).waitFor();
    expect(await dialog.getByTestId('import-commit').isDisabled()).toBe(false);
    await dialog.getByTestId('import-commit').click();
    await dialog.getByText('已导入 1 行单位').waitFor();
    await screenshot(page, 'desktop-import-done');
  });
});
