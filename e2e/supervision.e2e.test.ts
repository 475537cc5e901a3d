import { readFileSync } from 'node:fs';
import JSZip from 'jszip';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { IssueDetail } from '../contracts/issues.ts';
import type { MetricsReport } from '../contracts/issue-metrics.ts';
import { jpegWithExif } from '../server/modules/files/files.fixtures.ts';
import { DESKTOP, loginDesktop, newPage, PHONE, screenshot, serverAndBrowser } from './support.ts';

/**
 * 督办函 and 统计分析 in Chromium: the city office issues a letter from 市城市管理局's repeat
 * (返工) issue with the three-step wizard and downloads the Word file; the unit's contact
 * (`danwei`) replies on the page; the office marks it 已办结; the 统计分析 page shows the month's
 * numbers. The reworked issue is prepared through the API as the roles that do each step.
 */

type Actor = { context: BrowserContext; page: Page };

describe('督办函: issue, download, reply, 办结; 统计分析 shows numbers', () => {
  const env = serverAndBrowser();
  const actors: Actor[] = [];
  const pageErrors: string[] = [];
  let letterNumber = '';
  let letterUrl = '';
  let issueNumber = '';

  afterAll(async () => {
    for (const a of actors) await a.context.close();
  });

  async function desk(username: string, opts = DESKTOP): Promise<Actor> {
    const a = await newPage(env.browser, { ...opts, acceptDownloads: true });
    a.page.on('pageerror', (e) => pageErrors.push(`${username}: ${e.message}`));
    // the machine is shared: allow a slow first load of the app
    a.page.setDefaultTimeout(60_000);
    actors.push(a);
    await loginDesktop(a.page, env.server.url, username);
    return a;
  }
  async function call<T>(a: Actor, method: 'GET' | 'POST', url: string, data?: unknown): Promise<T> {
    const csrf = (await a.context.cookies()).find((c) => c.name === 'cw_csrf')?.value ?? '';
    const res = await a.page.request.fetch(`${env.server.url}${url}`, { method, data, headers: method === 'POST' ? { 'x-csrf-token': csrf } : {} });
    expect(res.status(), `${method} ${url}: ${await res.text()}`).toBe(200);
    return (await res.json()) as T;
  }
  async function uploadPhoto(a: Actor, name: string, width: number): Promise<string> {
    const csrf = (await a.context.cookies()).find((c) => c.name === 'cw_csrf')?.value ?? '';
    const res = await a.page.request.post(`${env.server.url}/api/files`, {
      headers: { 'x-csrf-token': csrf },
      multipart: { file: { name, mimeType: 'image/jpeg', buffer: await jpegWithExif({}, width, 480) } },
    });
    expect(res.status(), await res.text()).toBe(200);
    return ((await res.json()) as { items: { id: string }[] }).items[0].id;
  }

  it('prepares a reworked issue of 市城市管理局 through the flow', async () => {
    const [wangge, admin, danwei, ducha] = [await desk('wangge'), await desk('admin'), await desk('danwei'), await desk('ducha')];
    const cgj = (await call<{ items: { id: string }[] }>(admin, 'GET', `/api/org/units?q=${encodeURIComponent('市城市管理局')}`)).items[0].id;
    const category = (await call<{ id: string; name: string }[]>(admin, 'GET', '/api/issue-categories')).find((c) => c.name === '暴露垃圾')!;
    const point = (await call<{ items: { id: string; gridId: string | null }[] }>(wangge, 'GET', '/api/org/points?pageSize=200')).items.find((p) => p.gridId)!;
    let issue = await call<IssueDetail>(wangge, 'POST', '/api/issues', {
      source: 'grid',
      categoryId: category.id,
      title: '人民路人行道堆放建筑垃圾',
      description: '建筑垃圾堆放三天未清运',
      pointId: point.id,
      photos: [await uploadPhoto(wangge, '现场.jpg', 640)],
    });
    const step = async (a: Actor, action: string, body: Record<string, unknown> = {}) => {
      issue = await call<IssueDetail>(a, 'POST', `/api/issues/${issue.id}/actions/${action}`, { version: issue.version, ...body });
    };
    await step(admin, 'accept');
    await step(admin, 'dispatch', { unitId: cgj });
    await step(danwei, 'sign');
    await step(danwei, 'feedback', { note: '已清理', photos: [await uploadPhoto(danwei, '整改后.jpg', 648)] });
    await step(ducha, 'verifyFail', { note: '仍有残留' });
    expect(issue).toMatchObject({ state: 'rectifying', reworkCount: 1 });
    issueNumber = issue.number;
    for (const a of [wangge, danwei, ducha]) await a.context.close();
    actors.splice(0, actors.length, admin);
  });

  it('the office issues a 督办函 with the wizard and downloads the Word document', async () => {
    const { page } = actors[0];
    await page.goto(`${env.server.url}/issues/supervision`);
    await page.getByTestId('letters-page').waitFor();
    await page.getByTestId('letter-create').click();
    const units = page.getByTestId('candidate-units');
    await units.getByText('市城市管理局', { exact: true }).waitFor();
    await screenshot(page, 'supervision-1-units-desktop');
    await units.locator('tr', { hasText: '市城市管理局' }).getByRole('button', { name: /选\s*择/ }).click();
    const issues = page.getByTestId('candidate-issues');
    await issues.getByText(issueNumber).waitFor();
    await expect.poll(() => issues.locator('tr', { hasText: issueNumber }).getByText('返工1次').count()).toBe(1);
    await screenshot(page, 'supervision-2-issues-desktop');
    await page.getByTestId('letter-next').click();
    await page.getByTestId('letter-body').waitFor();
    expect(await page.getByTestId('letter-body').inputValue()).toContain('返工');
    await page.getByTestId('letter-title').fill('关于督促限期整改返工问题的函');
    await screenshot(page, 'supervision-3-preview-desktop');
    await page.getByTestId('letter-send').click();
    await page.getByTestId('letter-detail').waitFor().catch(async (e) => {
      await screenshot(page, 'supervision-debug');
      console.log(env.server.log().slice(-3000), await page.locator('.ant-message').innerText().catch(() => ''));
      throw e;
    });
    letterUrl = page.url();
    const title = await page.locator('.cw-page-title').first().innerText();
    letterNumber = /创文督〔\d{4}〕\d+号/.exec(title)![0];
    expect(title).toContain('已发');
    await expect.poll(() => page.getByTestId('letter-detail').getByText(issueNumber).count()).toBeGreaterThan(0);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('letter-download').click()]);
    expect(download.suggestedFilename()).toBe(`${letterNumber}_市城市管理局.docx`);
    const zip = await JSZip.loadAsync(readFileSync((await download.path())!));
    const xml = await zip.file('word/document.xml')!.async('string');
    const text = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
    expect(text).toContain(letterNumber);
    expect(text).toContain('关于督促限期整改返工问题的函');
    expect(text).toContain('市城市管理局：');
    expect(text).toContain(issueNumber);
    expect(text).toContain('返工1次');
    expect(Object.keys(zip.files).some((n) => n.startsWith('word/media/'))).toBe(true);
    await screenshot(page, 'supervision-4-detail-desktop');
  });

  it('the unit contact replies on the phone', async () => {
    const danwei = await desk('danwei', PHONE);
    const { page } = danwei;
    await page.goto(`${env.server.url}/issues/supervision`);
    await page.getByTestId('letters-page').getByText(letterNumber).waitFor();
    await screenshot(page, 'supervision-5-list-phone');
    await page.goto(letterUrl);
    await page.getByTestId('letter-reply-text').fill('已组织清运建筑垃圾，落实门前三包和每日巡查。');
    await page.getByTestId('letter-reply').locator('input[type=file]').setInputFiles({ name: '整改后照片.jpg', mimeType: 'image/jpeg', buffer: await jpegWithExif({}, 660, 480) });
    await page.getByTestId('letter-reply').locator('.ant-upload-list-item-done, .ant-upload-list-item:not(.ant-upload-list-item-uploading)').first().waitFor();
    await page.getByTestId('letter-reply-submit').click();
    await page.getByTestId('letter-reply-shown').waitFor();
    await expect.poll(() => page.locator('.cw-page-title').first().innerText()).toContain('已回复');
    await screenshot(page, 'supervision-6-replied-phone');
    await danwei.context.close();
  });

  it('the office marks it 已办结', async () => {
    const { page } = actors[0];
    await page.goto(letterUrl);
    await page.getByTestId('letter-reply-shown').getByText('已组织清运建筑垃圾').waitFor();
    await page.getByTestId('letter-close').click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: /办\s*结/ }).click();
    await expect.poll(() => page.locator('.cw-page-title').first().innerText()).toContain('已办结');
    await page.locator('.ant-modal-confirm').waitFor({ state: 'detached' });
    await page.getByTestId('letter-close').waitFor({ state: 'detached' });
    const timeline = await page.locator('.ant-timeline').innerText();
    for (const step of ['发函', '单位回复', '办结']) expect(timeline).toContain(step);
    await screenshot(page, 'supervision-7-done-desktop');
  });

  it('the 统计分析 page shows the month’s numbers, groups by district and trends; on a phone too', async () => {
    const { page } = actors[0];
    await page.goto(`${env.server.url}/issues/metrics`);
    const table = page.getByTestId('metrics-table');
    await table.locator('tbody tr.ant-table-row').first().waitFor();
    const report = await call<MetricsReport>(actors[0], 'GET', `/api/issue-metrics?from=${monthStart()}&to=${monthEnd()}&groupBy=unit`);
    expect(report.total.due).toBeGreaterThan(0);
    const cards = await page.getByTestId('metrics-total').innerText();
    expect(cards).toContain(String(report.total.due));
    expect(await table.locator('tbody tr.ant-table-row').count()).toBe(report.rows.length);
    expect(await table.locator('tbody tr.ant-table-row').first().innerText()).toContain(report.rows[0].name);
    await page.getByTestId('metrics-trend').waitFor();
    await screenshot(page, 'supervision-8-metrics-desktop');
    await page.getByTestId('metrics-tab-district').click();
    await table.getByText('文明区').waitFor();
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('metrics-export').click()]);
    expect(xlsx.suggestedFilename()).toMatch(/^问题整改统计_按区县_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.xlsx$/);

    const phone = await desk('qu_admin', PHONE);
    await phone.page.goto(`${env.server.url}/issues/metrics`);
    await phone.page.getByTestId('metrics-table').locator('tbody tr.ant-table-row').first().waitFor();
    expect(await phone.page.locator('.ant-card-head-title').first().innerText()).toContain('文明区');
    await screenshot(phone.page, 'supervision-9-metrics-phone');
    await phone.context.close();
    expect(pageErrors).toEqual([]);
  });
});

function monthStart(): string {
  const d = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 8);
  return `${d}01`;
}
function monthEnd(): string {
  const now = new Date(Date.now() + 8 * 3_600_000);
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
}
