import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { FOREIGN_DATE_PATTERNS } from '../domain/cn-date.ts';
import { DESKTOP, loginDesktop, newPage, PHONE, serverAndBrowser } from './support.ts';

/**
 * One date style (docs/web-conventions.md): every date a person reads on the main pages of the
 * demo city is written 2026年11月21日 (15:30), months 2026年1月. The page's text and the values of
 * its inputs (date pickers) may hold no ISO day, no slashes and no two-digit year.
 */
const ADMIN_PAGES = [
  '/',
  '/issues',
  '/issues/dispatch',
  '/issues/todo',
  '/issues/holidays',
  '/issues/supervision',
  '/issues/metrics',
  '/indicators/systems',
  '/indicators/tasks',
  '/indicators/progress',
  '/evidence/review',
  '/evidence/matrix',
  '/evidence/requirements',
  '/system/users',
  '/system/audit',
  '/system/api-keys',
];

async function foreignDates(page: Page): Promise<string[]> {
  const text = await page.evaluate(() => {
    const inputs = [...document.querySelectorAll('input')].map((i) => i.value).join('\n');
    return `${document.body.innerText}\n${inputs}`;
  });
  const found: string[] = [];
  for (const line of text.split('\n'))
    for (const p of FOREIGN_DATE_PATTERNS) {
      const m = p.exec(line);
      if (m) found.push(`${m[0]} in “${line.slice(0, 80)}”`);
    }
  return found;
}

async function settle(page: Page) {
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(300);
}

describe('one date style on every main page', () => {
  const env = serverAndBrowser();

  it('admin pages, with a filled date filter and the first issue and letter', async () => {
    const { context, page } = await newPage(env.browser, DESKTOP);
    await loginDesktop(page, env.server.url, 'admin');
    const bad: string[] = [];
    for (const path of ADMIN_PAGES) {
      await page.goto(`${env.server.url}${path}`);
      await settle(page);
      for (const f of await foreignDates(page)) bad.push(`${path}: ${f}`);
    }
    // a range filter filled through the URL shows the same style in its inputs
    await page.goto(`${env.server.url}/issues?createdFrom=2026-11-01&createdTo=2026-11-21`);
    await settle(page);
    const shown = await page.locator('.ant-picker input').first().inputValue();
    if (shown !== '2026年11月1日') bad.push(`/issues date filter shows ${shown}`);
    // detail pages: the first issue, the first letter
    for (const [list, link] of [
      ['/issues', '[data-testid="issue-link"]'],
      ['/issues/supervision', '.ant-table a[href^="/issues/supervision/"]'],
    ] as const) {
      await page.goto(`${env.server.url}${list}`);
      await page.locator(link).first().click();
      await page.waitForURL(/\/issues\/(supervision\/)?[0-9a-f-]{36}$/);
      await settle(page);
      for (const f of await foreignDates(page)) bad.push(`${page.url()}: ${f}`);
    }
    expect(bad).toEqual([]);
    await context.close();
  });

  it('phone pages', async () => {
    const { context, page } = await newPage(env.browser, PHONE);
    await loginDesktop(page, env.server.url, 'admin');
    const bad: string[] = [];
    for (const path of ['/h5/', '/h5/issues', '/h5/tasks', '/h5/messages']) {
      await page.goto(`${env.server.url}${path}`);
      await settle(page);
      for (const f of await foreignDates(page)) bad.push(`${path}: ${f}`);
    }
    await page.goto(`${env.server.url}/h5/issues`);
    await settle(page);
    const href = await page.locator('a[href^="/h5/issues/"]').first().getAttribute('href');
    if (href) {
      await page.goto(`${env.server.url}${href}`);
      await settle(page);
      for (const f of await foreignDates(page)) bad.push(`${href}: ${f}`);
    }
    expect(bad).toEqual([]);
    await context.close();
  });
});
