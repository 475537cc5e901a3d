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

  it('the audit log of the demo city: Chinese labels, names not ids, no empty before/after', async () => {
    const { context, page } = await newPage(env.browser, DESKTOP);
    await loginDesktop(page, env.server.url, 'admin');
    // real steps first, so the log holds more than the seed: 立案 and 派遣 of a reported issue, a password reset
    const csrf = (await context.cookies()).find((c) => c.name === 'cw_csrf')?.value ?? '';
    const api = async (method: 'GET' | 'POST', url: string, data?: unknown) => {
      const res = await page.request.fetch(`${env.server.url}${url}`, { method, data, headers: method === 'GET' ? {} : { 'x-csrf-token': csrf } });
      expect(res.ok(), `${method} ${url}: ${await res.text()}`).toBe(true);
      return res.json();
    };
    const reported = (await api('GET', '/api/issues?state=reported&pageSize=1')).items[0];
    const accepted = await api('POST', `/api/issues/${reported.id}/actions/accept`, { version: reported.version });
    const unit = (await api('GET', '/api/org/units?q=城市管理局&pageSize=1')).items[0];
    await api('POST', `/api/issues/${reported.id}/actions/dispatch`, { version: accepted.version, unitId: unit.id });
    const user = (await api('GET', '/api/users?q=wangge&pageSize=1')).items[0];
    await api('POST', `/api/users/${user.id}/reset-password`, {});
    await page.goto(`${env.server.url}/system/audit`);
    await page.locator('.ant-table-row').first().waitFor();
    const bad: string[] = [];
    const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
    const labels = await page.locator('.ant-table-tbody').innerText();
    for (const l of ['立案', '派遣', '重置密码']) expect(labels).toContain(l);
    for (let p = 1; p <= 2; p++) {
      const rows = await page.locator('.ant-table-tbody > tr.ant-table-row').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td as HTMLElement).innerText.trim())));
      for (const cells of rows.filter((c) => c.length >= 7)) {
        const [, , , action, entity, name] = cells;
        if (!/^[\u4e00-\u9fa5（）、]+$/.test(action)) bad.push(`操作 “${action}”`);
        if (!/^[\u4e00-\u9fa5]+$/.test(entity)) bad.push(`对象 “${entity}”`);
        if (UUID.test(name)) bad.push(`名称 “${name}”`);
      }
      // the details of the first rows: fields, never “null”
      for (const btn of (await page.locator('.ant-table-row-expand-icon').all()).slice(0, 5)) await btn.click();
      const text = await page.locator('main').innerText();
      // values in the details: no bare code word such as “accepted”
      for (const v of await page.getByTestId('audit-changes').locator('tbody td').allInnerTexts()) if (/^[a-z][a-zA-Z_]+$/.test(v.trim())) bad.push(`value “${v}”`);
      if (/\bnull\b/.test(text)) bad.push(`page ${p} shows null`);
      if (UUID.test(text)) bad.push(`page ${p} shows an id: ${UUID.exec(text)?.[0]}`);
      await page.screenshot({ path: `e2e/artifacts/audit-page-${p}.png` });
      await page.locator('.ant-pagination-next').click();
      await page.waitForLoadState('networkidle');
    }
    expect(bad).toEqual([]);
    await context.close();
  });
});
