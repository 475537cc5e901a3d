import { describe, expect, it } from 'vitest';
import { loginDesktop, newPage, screenshot, serverAndBrowser } from './support.ts';

describe('users admin', () => {
  const env = serverAndBrowser();

  it('creates a user with a one-time password, who must change it at first login', async () => {
    const admin = await newPage(env.browser);
    const page = admin.page;
    await loginDesktop(page, env.server.url, 'admin');
    await page.goto(`${env.server.url}/system/users`);
    await page.getByText('wangge02').waitFor();
    await screenshot(page, 'desktop-users-admin');

    await page.getByTestId('user-create').click();
    await page.getByTestId('user-username').fill('e2e_user');
    await page.getByTestId('user-name').fill('端到端');
    await page.getByTestId('user-unit').click();
    await page.keyboard.type('guangming');
    await page.locator('.ant-select-item-option').filter({ hasText: '光明社区' }).first().click();
    await page.getByTestId('user-roles').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '网格员' }).click();
    await page.keyboard.press('Escape');
    await page.getByTestId('user-save').click();
    const shown = page.getByTestId('one-time-password');
    await shown.waitFor();
    const password = (await shown.innerText()).trim();
    expect(password).toMatch(/^Cw-/);
    await page.getByRole('button', { name: '我已记下' }).click();
    await expect.poll(() => page.getByRole('row').filter({ hasText: 'e2e_user' }).innerText()).toContain('待改密');
    await admin.context.close();

    const user = await newPage(env.browser);
    await user.page.goto(`${env.server.url}/login`);
    await user.page.getByPlaceholder('用户名或手机号').fill('e2e_user');
    await user.page.getByPlaceholder('密码').fill(password);
    await user.page.getByRole('button', { name: /登\s*录/ }).click();
    await user.page.getByLabel('原密码').fill(password);
    await user.page.getByLabel('新密码', { exact: true }).fill('Brand-New-Pass-2027');
    await user.page.getByLabel('确认新密码').fill('Brand-New-Pass-2027');
    await user.page.getByRole('button', { name: /保\s*存/ }).click();
    await user.page.getByTestId('user-menu').waitFor();
    await expect.poll(() => user.page.getByTestId('user-menu').innerText()).toContain('端到端');
    await user.context.close();
  });

  it('shows the roles page with Chinese permission labels', async () => {
    const { context, page } = await newPage(env.browser);
    await loginDesktop(page, env.server.url, 'admin');
    await page.goto(`${env.server.url}/system/roles`);
    await page.getByText('city_admin').waitFor();
    await page.getByRole('row').filter({ hasText: 'supervisor' }).getByRole('button', { name: '编辑' }).click();
    await expect.poll(() => page.locator('.ant-drawer').innerText()).toContain('查看组织体系（单位、网格、责任区、点位）');
    expect(await page.getByTestId('perm-org.read').isChecked()).toBe(false);
    await page.waitForTimeout(600); // let the drawer finish sliding in
    await screenshot(page, 'desktop-roles-admin');
    await context.close();
  });
});
