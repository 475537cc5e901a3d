import { describe, expect, it } from 'vitest';
import { loginDesktop, newPage, PHONE, screenshot, serverAndBrowser } from './support.ts';

describe('后台任务 page', () => {
  const env = serverAndBrowser();

  it('the city office runs a schedule now, follows its progress across a reload, and sees it in the list', async () => {
    const { context, page } = await newPage(env.browser, { viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    await loginDesktop(page, env.server.url, 'admin');
    await page.goto(`${env.server.url}/system/jobs`);
    await page.getByTestId('schedules').getByText('生成各期待报材料').waitFor();
    await expect.poll(() => page.getByTestId('schedules').innerText()).toContain('每天 00:05');

    await page.getByTestId('schedule-run-evidence.generate-due').click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: /^执\s*行$/ }).click();
    const panel = page.getByTestId('job-progress');
    await panel.waitFor();
    await expect.poll(() => panel.getAttribute('data-state'), { timeout: 20_000 }).toBe('succeeded');
    expect(page.url()).toMatch(/[?&]job=[0-9a-f-]{36}/);
    expect(await panel.innerText()).toContain('生成各期待报材料（手动执行）');
    expect(await panel.getAttribute('data-progress')).toBe('100');

    // the followed job survives a reload (its id is in the URL)
    await page.reload();
    await expect.poll(() => page.getByTestId('job-progress').getAttribute('data-state')).toBe('succeeded');
    await expect.poll(() => page.getByRole('row').filter({ hasText: '生成各期待报材料（手动执行）' }).innerText()).toContain('已完成');
    await screenshot(page, 'desktop-jobs');

    // running it again while it is pending is refused; once finished it can run again
    const phone = await env.browser.newContext(PHONE);
    const p2 = await phone.newPage();
    await loginDesktop(p2, env.server.url, 'admin');
    await p2.goto(page.url());
    await expect.poll(() => p2.getByTestId('job-progress').getAttribute('data-state')).toBe('succeeded');
    await screenshot(p2, 'phone-jobs');
    await phone.close();
    await context.close();
  });

  it('a district admin sees only their own jobs and no schedules', async () => {
    const { context, page } = await newPage(env.browser);
    await loginDesktop(page, env.server.url, 'qu_admin');
    await page.goto(`${env.server.url}/system/jobs`);
    await page.getByText('暂无后台任务').waitFor();
    expect(await page.getByTestId('schedules').count()).toBe(0);
    await context.close();
  });
});
