import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { APIRequestContext, BrowserContext, Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFirstSheet } from '../server/lib/excel.ts';
import { ARTIFACTS, DESKTOP, loginDesktop, newPage, PHONE, screenshot, serverAndBrowser } from './support.ts';

type Created = { id: string; number: string; title: string; version: number };
type Point = { id: string; name: string; lng: number; lat: number; gridId: string | null };

/** A small real JPEG (a coloured square) for uploads. */
const jpeg = (r: number, g: number, b: number) => sharp({ create: { width: 240, height: 180, channels: 3, background: { r, g, b } } }).jpeg().toBuffer();

async function csrfOf(context: BrowserContext): Promise<string> {
  return (await context.cookies()).find((c) => c.name === 'cw_csrf')?.value ?? '';
}

async function apiJson<T>(req: APIRequestContext, csrf: string, method: 'GET' | 'POST', url: string, body?: unknown): Promise<T> {
  const res = method === 'GET' ? await req.get(url) : await req.post(url, { data: body, headers: { 'x-csrf-token': csrf } });
  if (!res.ok()) throw new Error(`${method} ${url}: ${res.status()} ${await res.text()}`);
  return (await res.json()) as T;
}

const TAG = '巡查E2E';

/** expect.poll with a wait that suits a loaded 2-core machine (the default is one second). */
const poll = <T>(fn: () => T | Promise<T>, opts: { timeout?: number } = {}) => expect.poll(fn, { timeout: 20_000, interval: 200, ...opts });

/** The first image in a container has loaded real pixels (not just an <img> element). */
async function imageLoaded(container: Locator): Promise<void> {
  const img = container.locator('img').first();
  await img.waitFor();
  await poll(() => img.evaluate((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0), { timeout: 15_000 }).toBe(true);
}

describe('问题整改 admin pages', () => {
  const env = serverAndBrowser();
  let admin: Page;
  let adminContext: BrowserContext;
  let issues: Created[] = [];
  let firstPoint: Point;

  beforeAll(async () => {
    ({ page: admin, context: adminContext } = await newPage(env.browser));
    await loginDesktop(admin, env.server.url, 'admin');
    // five issues in 文明区 at real points, four of the same class close together (a cluster on the map)
    const csrf = await csrfOf(adminContext);
    const req = adminContext.request;
    const base = env.server.url;
    const wm = (await apiJson<{ items: { id: string }[] }>(req, csrf, 'GET', `${base}/api/org/units?q=${encodeURIComponent('文明区')}`)).items[0].id;
    const points = (await apiJson<{ items: Point[] }>(req, csrf, 'GET', `${base}/api/org/points?areaUnitId=${wm}&pageSize=50`)).items;
    firstPoint = points[0];
    const cats = await apiJson<{ id: string; name: string }[]>(req, csrf, 'GET', `${base}/api/issue-categories`);
    const cat = (n: string) => cats.find((c) => c.name === n)!.id;
    const upload = await req.post(`${base}/api/files`, {
      headers: { 'x-csrf-token': csrf },
      multipart: { file: { name: '现场.jpg', mimeType: 'image/jpeg', buffer: await jpeg(200, 80, 60) } },
    });
    expect(upload.status()).toBe(200);
    const photo = ((await upload.json()) as { items: { id: string }[] }).items[0].id;
    const specs = [
      { title: `${TAG}一 菜市场门口暴露垃圾`, category: '暴露垃圾', point: points[0], photos: [photo] },
      { title: `${TAG}二 店外乱堆放`, category: '暴露垃圾', point: points[0] },
      { title: `${TAG}三 绿化带垃圾`, category: '暴露垃圾', point: points[1] },
      { title: `${TAG}四 人行道垃圾`, category: '暴露垃圾', point: points[1] },
      { title: `${TAG}五 广告牌破损`, category: cats.find((c) => c.name.includes('广告'))!.name, point: points[2] },
    ];
    issues = [];
    for (const s of specs) {
      issues.push(
        await apiJson<Created>(req, csrf, 'POST', `${base}/api/issues`, {
          source: 'inspection',
          categoryId: cat(s.category),
          title: s.title,
          description: '督查发现，请尽快处置',
          pointId: s.point.id,
          photos: s.photos ?? [],
        }),
      );
    }
  });

  it('filters the list, keeps the filters in the URL, saves a view and applies it after a reload', async () => {
    const base = env.server.url;
    await admin.goto(`${base}/issues`);
    await admin.getByTestId('issues-table').locator('.ant-table-row').first().waitFor();
    await admin.getByTestId('issues-search').locator('input').fill(TAG);
    await admin.getByTestId('issues-search').locator('input').press('Enter');
    await poll(() => admin.getByTestId('issues-table').locator('.ant-table-row').count()).toBe(5);
    expect(admin.url()).toContain(`q=${encodeURIComponent(TAG)}`);
    // narrow by category (two-level cascader): only the 暴露垃圾 ones
    await admin.getByTestId('issues-filter-category').click();
    await admin.locator('.ant-cascader-menu-item', { hasText: '市容环境' }).click();
    await admin.locator('.ant-cascader-menu-item', { hasText: '暴露垃圾' }).click();
    await poll(() => admin.getByTestId('issues-table').locator('.ant-table-row').count()).toBe(4);
    expect(admin.url()).toContain('categoryId=');
    await admin.keyboard.press('Escape');
    const rows = await admin.getByTestId('issues-table').locator('.ant-table-row').allInnerTexts();
    expect(rows.every((r) => r.includes('暴露垃圾') && r.includes('已上报'))).toBe(true);
    await screenshot(admin, 'desktop-issues-list');

    // the URL alone restores the filters
    await admin.reload();
    await poll(() => admin.getByTestId('issues-table').locator('.ant-table-row').count()).toBe(4);

    // the export holds the same four issues
    const [dl] = await Promise.all([admin.waitForEvent('download'), admin.getByTestId('issues-export').click()]);
    expect(dl.suggestedFilename()).toMatch(/^问题列表_\d{8}\.xlsx$/);
    const sheet = await readFirstSheet(readFileSync((await dl.path())!), { maxRows: 50 });
    expect(sheet.rows.slice(1).map((r) => r[1]).sort()).toEqual(issues.slice(0, 4).map((i) => i.title).sort());

    await admin.getByTestId('saved-view-name').fill('督查暴露垃圾');
    await admin.getByTestId('saved-view-save').click();
    await admin.getByTestId('saved-view').filter({ hasText: '督查暴露垃圾' }).waitFor();

    // a bare list, then the saved view brings the filters back
    await admin.goto(`${base}/issues`);
    await admin.getByTestId('saved-view').filter({ hasText: '督查暴露垃圾' }).click();
    await poll(() => admin.getByTestId('issues-table').locator('.ant-table-row').count()).toBe(4);
    expect(admin.url()).toContain(`q=${encodeURIComponent(TAG)}`);
    expect(admin.url()).toContain('categoryId=');
  });

  it('shows the same issues on the map, clustered, and opens one from its marker', async () => {
    await admin.goto(`${env.server.url}/issues?q=${encodeURIComponent(TAG)}`);
    await admin.getByRole('tab', { name: '地图' }).click();
    const map = admin.getByTestId('issues-map');
    await map.locator('.cw-issue-cluster, .cw-issue-marker').first().waitFor();
    await poll(() => admin.getByTestId('issues-map-count').innerText()).toContain('地图共 5 个');
    expect(admin.url()).toContain('tab=map');
    // issues at the same point are one numbered cluster; all five are accounted for
    const count = async () => {
      const clusters = await map.locator('.cw-issue-cluster').allInnerTexts();
      return clusters.reduce((s, t) => s + Number(t.trim()), 0) + (await map.locator('.cw-issue-marker').count());
    };
    await poll(count).toBe(5);
    const clusters = map.locator('.cw-issue-cluster');
    expect(await clusters.count()).toBeGreaterThan(0);
    await screenshot(admin, 'desktop-issues-map');
    // the whole city: the demo's issues cluster by area
    await admin.goto(`${env.server.url}/issues?tab=map`);
    await map.locator('.cw-issue-cluster').first().waitFor();
    await screenshot(admin, 'desktop-issues-map-city');
    await admin.goto(`${env.server.url}/issues?q=${encodeURIComponent(TAG)}&tab=map`);
    await poll(count).toBe(5);
    const clusters2 = map.locator('.cw-issue-cluster');
    // a cluster of issues at one point zooms in when clicked and stays a cluster only at the last zoom
    await clusters2.first().click();
    await poll(count).toBe(5);
    // a single issue opens its page
    await admin.goto(`${env.server.url}/issues?q=${encodeURIComponent(`${TAG}五`)}&tab=map`);
    await map.locator('.cw-issue-marker').first().waitFor();
    // the map fits itself once laid out (and redraws then): click until the page changes
    await expect
      .poll(
        async () => {
          await map
            .locator('.cw-issue-marker')
            .first()
            .click({ force: true, timeout: 2000 })
            .catch(() => undefined);
          await admin.waitForURL(/\/issues\/[0-9a-f-]{36}$/, { timeout: 1500 }).catch(() => undefined);
          return /\/issues\/[0-9a-f-]{36}$/.test(admin.url());
        },
        { timeout: 20_000 },
      )
      .toBe(true);
    await poll(() => admin.getByTestId('issue-title').innerText()).toContain(`${TAG}五`);
  });

  it('opens an issue and shows its timeline and before/after photos', async () => {
    const first = issues[0];
    await admin.goto(`${env.server.url}/issues/${first.id}`);
    await poll(() => admin.getByTestId('issue-number').innerText()).toBe(first.number);
    const events = admin.getByTestId('issue-event');
    await poll(() => events.count()).toBe(1);
    expect(await events.first().innerText()).toMatch(/上报[\s\S]*系统管理员|上报/);
    expect(await events.first().innerText()).toMatch(/\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}/);
    await imageLoaded(admin.getByTestId('issue-photos-before'));
    expect(await admin.getByTestId('issue-before-after').innerText()).toContain('尚未反馈整改结果');
    // admin dispatches for the city: the buttons are the flow's labels
    for (const label of ['立案', '不予立案', '合并']) await admin.getByRole('button', { name: label, exact: true }).waitFor();
    await admin.locator('.cw-point-marker').first().waitFor();
    await screenshot(admin, 'desktop-issue-detail');
  });

  it('files a new issue from the drawer with a photo', async () => {
    await admin.goto(`${env.server.url}/issues`);
    await admin.getByTestId('issue-create').click();
    const drawer = admin.locator('.ant-drawer');
    await drawer.getByTestId('issue-form-category').click();
    await admin.locator('.ant-cascader-menu-item', { hasText: '市容环境' }).click();
    await admin.locator('.ant-cascader-menu-item', { hasText: '暴露垃圾' }).click();
    await drawer.getByTestId('issue-form-title').fill(`${TAG}六 抽屉上报`);
    await drawer.getByTestId('issue-form-point').click();
    await drawer.getByTestId('issue-form-point').locator('input').fill(firstPoint.name);
    await admin.locator('.ant-select-item-option', { hasText: firstPoint.name }).first().click();
    // same class, same point as issues 一 and 二 (still open): both are offered as possible duplicates
    const dups = drawer.getByTestId('issue-duplicates');
    await dups.waitFor();
    expect(await dups.innerText()).toContain(issues[1].number);
    expect(await dups.innerText()).toMatch(/相距约 0 米/);
    await drawer.locator('input[type=file]').setInputFiles({ name: '现场2.jpg', mimeType: 'image/jpeg', buffer: await jpeg(60, 140, 200) });
    await drawer.locator('.ant-upload-list-item-done, .ant-upload-list-item:not(.ant-upload-list-item-uploading)').first().waitFor();
    await dups.scrollIntoViewIfNeeded();
    await admin.screenshot({ path: path.join(ARTIFACTS, 'desktop-issue-create.png') });
    await admin.getByTestId('issue-save').click();
    await admin.waitForURL(/\/issues\/[0-9a-f-]{36}$/);
    await poll(() => admin.getByTestId('issue-title').innerText()).toContain('抽屉上报');
    await admin.getByTestId('issue-photos-before').locator('img').first().waitFor();
  });

  it('a dispatcher accepts and dispatches from the queue; the unit signs it in its to-do', async () => {
    const base = env.server.url;
    const target = issues[0];
    const { page: qu, context: quContext } = await newPage(env.browser);
    await loginDesktop(qu, base, 'qu_admin');
    await qu.goto(`${base}/issues/dispatch`);
    const table = qu.getByTestId('dispatch-queue-table');
    const row = table.locator('.ant-table-row', { hasText: target.title });
    await row.waitFor();
    expect(await qu.getByTestId('queue-tab-reported').innerText()).toMatch(/待受理\s*\d+/);
    await screenshot(qu, 'desktop-issues-dispatch');
    await row.getByRole('button', { name: '立案', exact: true }).click();
    await qu.getByTestId('issue-action-submit').click();
    await poll(() => row.count()).toBe(0);
    // 待派遣: dispatch to 市城市管理局 with a deadline override
    await qu.getByTestId('queue-tab-accepted').click();
    const row2 = table.locator('.ant-table-row', { hasText: target.title });
    await row2.getByRole('button', { name: '派遣', exact: true }).click();
    const modal = qu.locator('.ant-modal');
    await modal.getByTestId('issue-action-unit').click();
    await modal.getByTestId('issue-action-unit').locator('input').fill('市城市管理局');
    await qu.locator('.ant-select-item-option', { hasText: '市城市管理局' }).first().click();
    await modal.getByTestId('issue-action-note').fill('请市城管局三日内清理');
    await qu.getByTestId('issue-action-submit').click();
    await poll(() => row2.count()).toBe(0);
    await quContext.close();

    const { page: dw, context: dwContext } = await newPage(env.browser);
    await loginDesktop(dw, base, 'danwei');
    await dw.goto(`${base}/issues/todo`);
    const todo = dw.getByTestId('todo-queue-table');
    const mine = todo.locator('.ant-table-row', { hasText: target.title });
    await mine.waitFor();
    expect(await dw.getByTestId('queue-tab-sign').innerText()).toMatch(/待签收\s*[1-9]/);
    // the other unit's and the undispatched issues are not in the unit's to-do
    expect(await todo.locator('.ant-table-row', { hasText: issues[3].title }).count()).toBe(0);
    await screenshot(dw, 'desktop-issues-todo');
    // the dispatch raised a notification: the bell counts it and leads to the issue
    await poll(() => dw.getByTestId('notification-bell').locator('xpath=..').innerText()).toMatch(/[1-9]/);
    await dw.getByTestId('notification-bell').click();
    const note = dw.getByTestId('notification-item').filter({ hasText: target.title.slice(0, 6) }).first();
    await note.waitFor();
    await screenshot(dw, 'desktop-notifications');
    await note.click();
    await dw.waitForURL(new RegExp(`/issues/${target.id}$`));
    await dw.goto(`${base}/issues/todo`);
    await mine.getByRole('button', { name: '签收', exact: true }).click();
    await dw.getByTestId('issue-action-submit').click();
    await poll(() => mine.count()).toBe(0);
    await dw.getByTestId('queue-tab-rectifying').click();
    await todo.locator('.ant-table-row', { hasText: target.title }).waitFor();
    // the timeline on the issue page tells the story in order
    await dw.goto(`${base}/issues/${target.id}`);
    await poll(() => dw.getByTestId('issue-event').count()).toBe(4);
    const log = await dw.getByTestId('issue-timeline').innerText();
    expect(log.indexOf('上报')).toBeLessThan(log.indexOf('立案'));
    expect(log).toContain('至 市城市管理局');
    expect(log).toContain('请市城管局三日内清理');
    expect(log).toContain('签收');
    for (const label of ['整改反馈', '延期申请']) await dw.getByRole('button', { name: label, exact: true }).waitFor();
    // 整改反馈 needs after-photos; then before and after stand side by side
    await dw.getByRole('button', { name: '整改反馈', exact: true }).click();
    await dw.getByTestId('issue-action-note').fill('已清理完毕，已落实专人保洁');
    await dw.getByTestId('issue-action-submit').click();
    await dw.locator('.ant-form-item-explain-error', { hasText: '请上传整改后照片' }).waitFor();
    await dw.getByTestId('issue-action-photos').locator('input[type=file]').setInputFiles({ name: '整改后.jpg', mimeType: 'image/jpeg', buffer: await jpeg(70, 170, 90) });
    await dw.getByTestId('issue-action-photos').locator('.ant-upload-list-item-done, .ant-upload-list-item:not(.ant-upload-list-item-uploading)').first().waitFor();
    await dw.getByTestId('issue-action-submit').click();
    await poll(() => dw.getByTestId('issue-state').first().innerText()).toBe('已反馈');
    await imageLoaded(dw.getByTestId('issue-photos-after'));
    await imageLoaded(dw.getByTestId('issue-photos-before'));
    expect(await dw.getByTestId('issue-timeline').innerText()).toContain('已清理完毕');
    await screenshot(dw, 'desktop-issue-before-after');
    await dwContext.close();
  });

  it('a stale action shows the conflict in Chinese and reloads the issue', async () => {
    const base = env.server.url;
    const target = issues[3];
    await admin.goto(`${base}/issues/${target.id}`);
    await admin.getByRole('button', { name: '立案', exact: true }).waitFor();
    // someone else accepts it meanwhile
    const csrf = await csrfOf(adminContext);
    await apiJson(adminContext.request, csrf, 'POST', `${base}/api/issues/${target.id}/actions/accept`, { version: target.version });
    await admin.getByRole('button', { name: '不予立案', exact: true }).click();
    await admin.getByTestId('issue-action-note').fill('重复上报');
    await admin.getByTestId('issue-action-submit').click();
    await admin.locator('.ant-message').getByText(/已被他人修改|不能进行此操作/).waitFor();
    await poll(() => admin.getByTestId('issue-state').first().innerText()).toBe('已立案');
    await admin.getByRole('button', { name: '派遣', exact: true }).waitFor();
  });

  it('edits a category’s time limit and keeps the holiday calendar', async () => {
    const base = env.server.url;
    await admin.goto(`${base}/issues/categories`);
    const row = admin.getByTestId('categories-table').locator('.ant-table-row', { hasText: '暴露垃圾' });
    await row.waitFor();
    await row.getByText('编辑').click();
    await admin.locator('.ant-drawer').getByLabel('处置时限（天）').fill('2');
    await admin.locator('.ant-drawer').getByText('工作日', { exact: true }).click();
    await admin.getByTestId('category-save').click();
    await poll(() => row.innerText()).toContain('2 个工作日');
    await screenshot(admin, 'desktop-issue-categories');

    await admin.goto(`${base}/issues/holidays`);
    await admin.getByTestId('holidays-months').waitFor();
    const before = await admin.getByTestId('holiday-row').count();
    expect(before).toBeGreaterThan(0);
    const year = Number((await admin.getByTestId('holidays-year').innerText()).match(/\d{4}/)![0]);
    await admin.getByTestId('holiday-add').click();
    await admin.getByTestId('holiday-date').click();
    await admin.keyboard.type(`${year}年11月30日`);
    await admin.keyboard.press('Enter');
    await admin.getByTestId('holiday-name').fill('创文检查日');
    await admin.getByRole('button', { name: /保\s*存/ }).click();
    const added = admin.getByTestId('holiday-row').filter({ hasText: '创文检查日' });
    await added.waitFor();
    expect(await added.innerText()).toMatch(/30 日（周[一二三四五六日]）\s*放假/);
    expect(await admin.getByTestId('holiday-row').count()).toBe(before + 1);
    await screenshot(admin, 'desktop-holidays');
    await added.getByText('删除').click();
    await admin.locator('.ant-popconfirm').getByRole('button', { name: /删\s*除/ }).click();
    await poll(() => admin.getByTestId('holiday-row').count()).toBe(before);
  });

  it('lays the pages out on a phone', async () => {
    const { page: phone, context } = await newPage(env.browser, PHONE);
    await loginDesktop(phone, env.server.url, 'admin');
    await phone.goto(`${env.server.url}/issues?q=${encodeURIComponent(TAG)}`);
    await phone.getByTestId('issues-table').locator('.ant-table-row').first().waitFor();
    await screenshot(phone, 'phone-issues-list');
    // the filters fold behind one button on a phone; the active search counts as one
    expect(await phone.getByTestId('issues-search').isVisible()).toBe(false);
    expect(await phone.getByTestId('issues-filters-toggle').innerText()).toMatch(/筛选\s*1/);
    await phone.getByTestId('issues-filters-toggle').click();
    await phone.getByTestId('issues-search').waitFor();
    await screenshot(phone, 'phone-issues-filters');
    await phone.goto(`${env.server.url}/issues/${issues[0].id}`);
    await poll(() => phone.getByTestId('issue-event').count()).toBeGreaterThanOrEqual(1);
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(PHONE.viewport.width + 1);
    await screenshot(phone, 'phone-issue-detail');
    await context.close();
    expect(DESKTOP.viewport.width).toBe(1440);
  });
});
