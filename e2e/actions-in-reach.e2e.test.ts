import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loginDesktop, newPage, screenshot, serverAndBrowser } from './support.ts';

/**
 * Actions in reach (docs/web-conventions.md §Tables): on every list page the buttons of the 操作
 * column are inside the window without scrolling sideways, at 1366×768 and 1440×900; every page
 * below the first level shows its breadcrumb; the menu stays put while the page scrolls.
 */
const LIST_PAGES: { user: string; path: string; crumb: string; noActions?: true }[] = [
  { user: 'admin', path: '/org/units', crumb: '单位', noActions: true },
  { user: 'admin', path: '/org/grids', crumb: '网格' },
  { user: 'admin', path: '/org/zones', crumb: '责任区' },
  { user: 'admin', path: '/org/points', crumb: '点位' },
  { user: 'admin', path: '/org/sponsorships', crumb: '包保关系' },
  { user: 'admin', path: '/issues', crumb: '问题列表', noActions: true },
  { user: 'qu_admin', path: '/issues/dispatch', crumb: '调度台' },
  { user: 'danwei', path: '/issues/todo', crumb: '本单位待办' },
  { user: 'admin', path: '/issues/categories', crumb: '问题分类' },
  { user: 'admin', path: '/issues/supervision', crumb: '督办函' },
  { user: 'admin', path: '/indicators/tasks', crumb: '任务分解表', noActions: true },
  { user: 'admin', path: '/evidence/requirements', crumb: '材料要求' },
  { user: 'admin', path: '/system/users', crumb: '用户' },
  { user: 'admin', path: '/system/roles', crumb: '角色' },
];

/** Buttons and links in the 操作 cells of the first rows that are (partly) outside the window. */
async function outOfReach(page: Page): Promise<string[]> {
  const width = page.viewportSize()!.width;
  return page.evaluate((w) => {
    const out: string[] = [];
    const tables = [...document.querySelectorAll('.ant-table')];
    for (const t of tables) {
      const heads = [...t.querySelectorAll('thead th')];
      const col = heads.findIndex((th) => (th as HTMLElement).innerText.trim() === '操作');
      if (col < 0) continue;
      const rows = [...t.querySelectorAll('tbody tr.ant-table-row')].slice(0, 5);
      for (const r of rows) {
        const cell = r.children[col] as HTMLElement | undefined;
        for (const b of cell ? [...cell.querySelectorAll('button, a')] : []) {
          const box = b.getBoundingClientRect();
          if (box.width === 0) continue;
          if (box.right > w + 0.5 || box.left < 0) out.push(`${(b as HTMLElement).innerText || b.getAttribute('aria-label')} at ${Math.round(box.left)}–${Math.round(box.right)} of ${w}`);
        }
      }
    }
    return out;
  }, width);
}

describe('actions in reach on every list page', () => {
  const env = serverAndBrowser();

  for (const viewport of [
    { width: 1366, height: 768 },
    { width: 1440, height: 900 },
  ]) {
    it(`at ${viewport.width}×${viewport.height}`, async () => {
      const bad: string[] = [];
      const contexts = new Map<string, Page>();
      for (const p of LIST_PAGES) {
        let page = contexts.get(p.user);
        if (!page) {
          page = (await newPage(env.browser, { viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })).page;
          await loginDesktop(page, env.server.url, p.user);
          contexts.set(p.user, page);
        }
        await page.goto(`${env.server.url}${p.path}`);
        await page.locator('.ant-table-tbody tr.ant-table-row, [data-testid="breadcrumb"]').first().waitFor();
        await page.waitForLoadState('networkidle');
        await page.waitForTimeout(300);
        const actions = await page.evaluate(() => [...document.querySelectorAll('.ant-table thead th')].filter((th) => (th as HTMLElement).innerText.trim() === '操作').length);
        if (actions === 0 && !p.noActions) bad.push(`${p.path}: no 操作 column`);
        for (const o of await outOfReach(page)) bad.push(`${p.path}: ${o}`);
        const crumb = await page.getByTestId('breadcrumb').innerText().catch(() => '');
        if (!crumb.includes(p.crumb)) bad.push(`${p.path}: breadcrumb “${crumb}”`);
        await page.screenshot({ path: `e2e/artifacts/reach-${viewport.width}-${p.path.replaceAll('/', '_')}.png` });
      }
      // the menu stays in place while a long page scrolls
      const page = contexts.get('admin')!;
      await page.goto(`${env.server.url}/system/users`);
      await page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
      await page.mouse.wheel(0, 2000);
      await page.waitForTimeout(300);
      const siderTop = await page.locator('.cw-sider').evaluate((el) => el.getBoundingClientRect().top);
      expect(Math.round(siderTop)).toBe(0);
      await screenshot(page, `reach-${viewport.width}-scrolled-users`);
      for (const pg of contexts.values()) await pg.context().close();
      expect(bad).toEqual([]);
    });
  }
});
