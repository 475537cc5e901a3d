import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, loginDesktop, newPage, PHONE, screenshot, serverAndBrowser } from './support.ts';

/** The menu sections each demo role must see (and no others). */
// 系统管理 → 后台任务 is open to everyone: each user follows the background jobs they started
const EXPECTED_MENU: Record<string, string[]> = {
  admin: ['工作台', '组织体系', '问题整改', '测评任务', '材料审核', '督查检查', '志愿服务', '问卷调查', '系统管理'],
  qu_admin: ['工作台', '组织体系', '问题整改', '测评任务', '材料审核', '督查检查', '志愿服务', '问卷调查', '系统管理'],
  danwei: ['工作台', '组织体系', '问题整改', '测评任务', '材料审核', '督查检查', '问卷调查', '系统管理'],
  ducha: ['工作台', '组织体系', '问题整改', '测评任务', '材料审核', '督查检查', '问卷调查', '系统管理'],
  wangge: ['工作台', '组织体系', '问题整改', '系统管理'],
  jiandu: ['工作台', '问题整改', '督查检查', '系统管理'],
};

describe('login and menus', () => {
  const env = serverAndBrowser();

  it('prints the URL, the demo usernames and the password in the start log', () => {
    expect(env.server.log()).toContain('已初始化演示城市「示范市」');
    expect(env.server.log()).toContain('admin  qu_admin  danwei  ducha  wangge  jiandu');
    expect(env.server.log()).toContain(DEMO_PASSWORD);
  });

  for (const [username, sections] of Object.entries(EXPECTED_MENU)) {
    it(`${username} sees ${sections.join('、')}`, async () => {
      const { context, page } = await newPage(env.browser);
      await loginDesktop(page, env.server.url, username);
      const menu = page.locator('.ant-layout-sider .ant-menu-root > li');
      await expect.poll(() => menu.allInnerTexts()).toEqual(sections);
      await screenshot(page, `desktop-home-${username}`);
      await context.close();
    });
  }

  it('shows a Chinese error for a wrong password', async () => {
    const { context, page } = await newPage(env.browser);
    await page.goto(`${env.server.url}/login`);
    await page.getByPlaceholder('用户名或手机号').fill('admin');
    await page.getByPlaceholder('密码').fill('wrong-Password-1');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await expect.poll(() => page.getByTestId('login-error').innerText()).toContain('用户名或密码错误');
    await context.close();
  });

  it('logs in on the phone-sized page', async () => {
    const { context, page } = await newPage(env.browser, PHONE);
    await page.goto(`${env.server.url}/h5`);
    await page.getByLabel('用户名或手机号').fill('13800000005');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await expect.poll(() => page.getByTestId('h5-greeting').innerText()).toBe('刘网格，您好');
    const grids = page.getByTestId('h5-my-grids').locator('a.h5-row');
    await expect.poll(() => grids.count()).toBe(1);
    await screenshot(page, 'h5-home-wangge');
    await grids.first().click();
    await expect.poll(() => page.getByTestId('h5-point-row').count()).toBeGreaterThan(0);
    await expect.poll(() => page.locator('path.cw-grid-polygon').count()).toBe(1);
    await page.waitForTimeout(800); // let the map's zoom animation finish before the picture
    await screenshot(page, 'h5-grid-wangge');
    await page.getByTestId('h5-point-row').first().click();
    await expect.poll(() => page.getByTestId('h5-point-name').innerText()).not.toBe('');
    await screenshot(page, 'h5-point-wangge');
    await context.close();
  });

  it('lets an inspector find key points on the phone', async () => {
    const { context, page } = await newPage(env.browser, PHONE);
    await page.goto(`${env.server.url}/h5`);
    await page.getByLabel('用户名或手机号').fill('ducha');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByTestId('h5-points-link').click();
    await expect.poll(() => page.getByTestId('h5-point-row').count()).toBe(50);
    await page.getByRole('switch').click();
    await expect.poll(() => page.getByTestId('h5-point-row').count()).toBe(26);
    await screenshot(page, 'h5-points-ducha');
    await context.close();
  });

  it('shows a unit contact the points the unit answers for on the phone', async () => {
    const { context, page } = await newPage(env.browser, PHONE);
    await page.goto(`${env.server.url}/h5`);
    await page.getByLabel('用户名或手机号').fill('danwei');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByText('本单位负责的点位（11）').waitFor();
    expect(await page.getByTestId('h5-point-row').count()).toBe(11);
    await screenshot(page, 'h5-home-danwei');
    await context.close();
  });
});
