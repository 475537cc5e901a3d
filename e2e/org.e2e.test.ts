import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loginDesktop, newPage, screenshot, serverAndBrowser } from './support.ts';

describe('organisation pages', () => {
  const env = serverAndBrowser();
  let page: Page;
  beforeAll(async () => {
    ({ page } = await newPage(env.browser));
    await loginDesktop(page, env.server.url, 'admin');
  });

  it('creates a community under a street from the unit tree', async () => {
    await page.goto(`${env.server.url}/org/units`);
    await page.locator('.ant-tree').getByText('文明区', { exact: true }).click();
    // the children table lists the district's streets; a click opens one
    await page.locator('.ant-table-row').getByText('新华街道', { exact: true }).click();
    await page.locator('.ant-card-head-title', { hasText: '新华街道' }).waitFor();
    await page.getByRole('button', { name: /新增下级/ }).click();
    await page.getByTestId('unit-name').fill('幸福里社区');
    await page.getByLabel('区划代码（GB/T 2260）').fill('990102001009');
    await page.getByTestId('unit-save').click();
    const row = page.locator('.ant-table-row', { hasText: '幸福里社区' });
    await row.waitFor();
    expect(await row.innerText()).toContain('社区村');
    await screenshot(page, 'desktop-units-created');
    // found again by its initials through the pinyin search
    await page.getByTestId('unit-search').locator('input').fill('xflsq');
    await page.getByTestId('unit-search').locator('input').press('Enter');
    await expect.poll(() => page.locator('.ant-table-row').allInnerTexts()).toEqual([expect.stringContaining('幸福里社区')]);
  });

  it('shows a Chinese field error for a bad division code', async () => {
    await page.goto(`${env.server.url}/org/units`);
    await page.locator('.ant-tree').getByText('文明区', { exact: true }).click();
    await page.getByRole('button', { name: /新增下级/ }).click();
    await page.getByTestId('unit-name').fill('错误街道');
    await page.getByLabel('区划代码（GB/T 2260）').fill('12');
    await page.getByTestId('unit-save').click();
    await expect.poll(() => page.locator('.ant-form-item-explain-error').allInnerTexts()).toContainEqual(expect.stringContaining('GB/T 2260'));
    await page.keyboard.press('Escape');
  });

  it('records that a department sponsors (包保) a community, and lifts it again', async () => {
    await page.goto(`${env.server.url}/org/sponsorships`);
    await page.getByTestId('sponsorship-create').click();
    const drawer = page.locator('.ant-drawer');
    await drawer.locator('.ant-form-item', { hasText: '包保单位' }).locator('input').fill('shiminzhengju');
    await page.locator('.ant-select-item-option', { hasText: '市民政局' }).click();
    await drawer.locator('.ant-form-item', { hasText: '包保社区' }).locator('input').fill('光明');
    await page.locator('.ant-select-item-option', { hasText: '光明社区' }).click();
    await page.getByTestId('sponsorship-save').click();
    const row = page.locator('.ant-table-row', { hasText: '市民政局' }).filter({ hasText: '光明社区' });
    await row.waitFor();
    await screenshot(page, 'desktop-sponsorships');
    await row.getByText('解除').click();
    await page.getByRole('button', { name: /确\s*定|OK/ }).click();
    await expect.poll(() => row.count()).toBe(0);
  });
});
