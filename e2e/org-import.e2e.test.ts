import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loginDesktop, newPage, screenshot, serverAndBrowser } from './support.ts';

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
  const env = serverAndBrowser();
  let page: Page;
  beforeAll(async () => {
    ({ page } = await newPage(env.browser));
    await loginDesktop(page, env.server.url, 'admin');
  });

  it('previews row errors in red, blocks 确认导入 until the file is clean, then imports', async () => {
    await page.goto(`${env.server.url}/org/units`);
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

describe('points imported from Excel appear on the map', () => {
  const env = serverAndBrowser();
  let page: Page;
  beforeAll(async () => {
    ({ page } = await newPage(env.browser));
    await loginDesktop(page, env.server.url, 'admin');
  });

  it('imports three points written by the test and shows 89 markers', async () => {
    // the office's own sheet: a title row, columns in their order, GCJ-02 coordinates from 高德
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('点位');
    ws.addRow(['2026年第四季度新增点位']);
    ws.mergeCells('A1:J1');
    ws.addRow(['点位名称', '点位编码', '所在区域', '点位类型', '地址', '经度', '纬度', '坐标系', '责任单位', '重点点位']);
    ws.addRow(['东风路公交站', 'DW9001', '朝阳社区', '公交站点', '示范市文明区东风路12号', '113.6460', '34.7520', 'GCJ-02', '市交通运输局、示范市公交集团有限公司', '是']);
    ws.addRow(['东风路公厕', 'DW9002', '光明社区', '室外公共厕所', '示范市文明区东风路30号', '113.6650', '34.7530', 'GCJ-02', '市城市管理局', '否']);
    ws.addRow(['春风里背街', 'DW9003', '春风社区', '背街小巷', '示范市和谐区春风里', '113.7210', '34.7650', 'GCJ-02', '友谊街道', '否']);
    const buffer = Buffer.from(await wb.xlsx.writeBuffer());

    await page.goto(`${env.server.url}/org/points`);
    await expect.poll(() => page.locator('path.cw-point-marker').count()).toBe(86);
    await page.getByTestId('points-import').click();
    const dialog = page.locator('.ant-modal', { hasText: '从 Excel 导入' });
    await dialog.locator('input[type=file]').setInputFiles({ name: '新增点位.xlsx', mimeType: MIME, buffer });
    await dialog.getByText('可导入', { exact: true }).first().waitFor();
    await screenshot(page, 'desktop-import-points-preview');
    await dialog.getByTestId('import-commit').click();
    await dialog.getByText('已导入 3 行').waitFor();
    await dialog.getByRole('button', { name: /关\s*闭|完\s*成/ }).first().click();
    await expect.poll(() => page.locator('path.cw-point-marker').count()).toBe(89);
    await page.getByTestId('points-search').locator('input').fill('东风路');
    await page.getByTestId('points-search').locator('input').press('Enter');
    await expect.poll(() => page.getByTestId('points-table').locator('.ant-table-row').count()).toBe(2);
    await page.waitForTimeout(600);
    await screenshot(page, 'desktop-import-points-map');
  });
});
