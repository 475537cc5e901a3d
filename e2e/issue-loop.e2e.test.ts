import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IssueDetail } from '../contracts/issues.ts';
import { jpegWithExif } from '../server/modules/files/files.fixtures.ts';
import { DEMO_PASSWORD, DESKTOP, loginDesktop, newPage, PHONE, screenshot, serverAndBrowser } from './support.ts';

/**
 * The whole rectification loop (issue 4, "Done when"), driven in Chromium by the role that does
 * each step: the grid worker files on the phone with a camera photo and GPS, an inspector files
 * the same thing again and is shown the duplicate, the district dispatcher merges, accepts and
 * dispatches, the unit returns it (回退), signs, asks for more time (延期), feeds back with an
 * after-photo, the grid worker verifies on site — 不通过 (返工), then 通过 — the dispatcher
 * closes and the grid worker reopens it as 回潮. The API then shows the counts and the log.
 */

type Place = { id: string; name: string; lng: number; lat: number; gridId: string | null };
type Actor = { context: BrowserContext; page: Page };

const cstDay = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);

describe('issue loop: report → merge → dispatch → 回退 → 延期 → 返工 → 结案 → 回潮', () => {
  const env = serverAndBrowser();
  let place: Place;
  let photo: Buffer;
  let wangge: Actor;
  let ducha: Actor;
  let danwei: Actor;
  let dispatcher: Actor;
  let firstId = '';
  let firstNumber = '';
  let secondId = '';
  const pageErrors: string[] = [];

  /**
   * Opens an app page and waits for `ready`. Other work on this machine may rebuild dist/web while
   * the test runs (vite empties it first): a page loaded in that window is blank, so load again.
   */
  async function openApp(page: Page, url: string, ready: ReturnType<Page['locator']>) {
    for (let attempt = 1; ; attempt++) {
      await page.goto(url);
      try {
        await ready.waitFor({ timeout: 20_000 });
        return;
      } catch (e) {
        if (attempt === 3) throw e;
      }
    }
  }
  async function loginPhone(a: Actor, username: string) {
    await openApp(a.page, `${env.server.url}/h5`, a.page.getByLabel('用户名或手机号'));
    await a.page.getByLabel('用户名或手机号').fill(username);
    await a.page.getByLabel('密码').fill(DEMO_PASSWORD);
    await a.page.getByRole('button', { name: /登\s*录/ }).click();
    await a.page.getByTestId('h5-greeting').waitFor();
  }
  async function phoneActor(username: string): Promise<Actor> {
    const a = await newPage(env.browser, { ...PHONE, geolocation: { longitude: place.lng, latitude: place.lat, accuracy: 12 }, permissions: ['geolocation'] });
    a.page.on('pageerror', (e) => pageErrors.push(`${username}: ${e.message}`));
    await loginPhone(a, username);
    return a;
  }
  const api = async <T>(a: Actor, url: string): Promise<T> => {
    const res = await a.page.request.get(`${env.server.url}${url}`);
    expect(res.status(), await res.text()).toBe(200);
    return (await res.json()) as T;
  };
  async function openIssue(a: Actor, id: string) {
    await openApp(a.page, `${env.server.url}/h5/issues/${id}`, a.page.getByTestId('issue-detail'));
  }
  const stateOf = (a: Actor) => a.page.getByTestId('issue-detail').getByTestId('issue-state').innerText();

  /** Opens an action's sheet, lets `fill` complete it, submits and waits for the new state. */
  async function act(a: Actor, action: string, state: string, fill?: (sheet: ReturnType<Page['locator']>) => Promise<void>) {
    await a.page.getByTestId(`action-${action}`).click();
    const sheet = a.page.getByTestId(`action-form-${action}`);
    await sheet.waitFor();
    if (fill) await fill(sheet);
    await sheet.getByTestId('action-submit').click();
    await expect.poll(() => stateOf(a), { timeout: 15_000 }).toBe(state);
    await sheet.waitFor({ state: 'detached' });
  }
  /** The dispatcher's desk: the admin issue page (web/admin/features/issues), its action buttons and modal forms. */
  async function openDesk(id: string) {
    await openApp(dispatcher.page, `${env.server.url}/issues/${id}`, dispatcher.page.getByTestId('issue-number'));
  }
  const deskState = () => dispatcher.page.getByTestId('issue-state').first().innerText();
  async function deskAct(action: string, state: string, fill?: (modal: ReturnType<Page['locator']>) => Promise<void>) {
    const { page } = dispatcher;
    await page.getByTestId(`issue-action-${action}`).click();
    const modal = page.locator('.ant-modal').filter({ has: page.getByTestId('issue-action-submit') });
    await modal.waitFor();
    if (fill) await fill(modal);
    await page.getByTestId('issue-action-submit').click();
    await expect.poll(deskState, { timeout: 15_000 }).toBe(state);
    await modal.waitFor({ state: 'detached' });
  }
  /** A phone page from its top (the title bar is sticky). */
  async function shot(a: Actor, name: string) {
    await a.page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(a.page, name);
  }
  async function pickCategory(a: Actor, top: string, sub: string) {
    await a.page.getByTestId('issue-category').click();
    await a.page.locator('.ant-cascader-menu-item', { hasText: top }).click();
    await a.page.locator('.ant-cascader-menu-item', { hasText: sub }).click();
    await a.page.locator('.ant-cascader-dropdown').waitFor({ state: 'hidden' });
  }
  async function takePhoto(a: Actor, testId: string, name: string) {
    await a.page.getByTestId(testId).setInputFiles({ name, mimeType: 'image/jpeg', buffer: photo });
    await expect.poll(() => a.page.locator('[data-testid="photo-thumb"][data-uploaded="true"]').count(), { timeout: 15_000 }).toBeGreaterThan(0);
  }
  async function pickUnit(a: Actor, name: string, testId = 'action-unit') {
    const select = a.page.getByTestId(testId);
    await select.click();
    await select.locator('input').fill(name);
    await a.page.locator('.ant-select-item-option', { hasText: name }).first().click();
  }

  beforeAll(async () => {
    photo = await jpegWithExif({}, 640, 480);
    // a point of 刘网格's grid, through the API as he sees it
    const probe = await newPage(env.browser, PHONE);
    await loginPhone(probe, 'wangge');
    const points = (await probe.page.request.get(`${env.server.url}/api/org/points?pageSize=200`).then((r) => r.json())) as { items: Place[] };
    place = points.items.find((p) => p.gridId)!;
    expect(place).toBeTruthy();
    await probe.context.close();
    // one after another: three cold page loads at once are slow on a busy two-core machine
    wangge = await phoneActor('wangge');
    ducha = await phoneActor('ducha');
    danwei = await phoneActor('danwei');
    // the district's dispatcher works at a desk
    dispatcher = await newPage(env.browser, DESKTOP);
    await loginDesktop(dispatcher.page, env.server.url, 'qu_admin');
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail') return;
    if (pageErrors.length) console.error(`page errors:\n${pageErrors.join('\n')}`);
    const actors = { wangge, ducha, danwei, dispatcher };
    for (const [name, a] of Object.entries(actors)) if (a) await screenshot(a.page, `failed-issue-loop-${name}`).catch(() => undefined);
  });
  afterAll(async () => {
    for (const a of [wangge, ducha, danwei, dispatcher]) await a?.context.close();
  });

  it('the grid worker files an issue on the phone: camera photo, GPS, nearest point, category, quick title', async () => {
    const { page } = wangge;
    await page.getByTestId('h5-issue-report').click();
    await page.getByTestId('issue-report-form').waitFor();
    // the submit refuses a report without a photo
    await page.getByTestId('issue-submit').click();
    await expect.poll(() => page.getByTestId('photo-error').innerText()).toContain('请至少拍一张现场照片');
    await takePhoto(wangge, 'photo-input', '现场.jpg');
    await expect.poll(() => page.getByTestId('issue-position').innerText()).toContain('精度约 12 米');
    const near = page.getByTestId('near-point').filter({ hasText: place.name });
    await near.click();
    await expect.poll(() => near.innerText()).toContain('已选');
    await pickCategory(wangge, '市容环境', '暴露垃圾');
    await page.getByTestId('title-chips').getByText('路边暴露垃圾', { exact: true }).click();
    expect(await page.getByTestId('issue-title').inputValue()).toBe('路边暴露垃圾');
    await page.getByTestId('issue-description').fill('路口东侧绿化带旁堆放生活垃圾约两袋');
    await shot(wangge, 'h5-issue-report');
    await page.getByTestId('issue-submit').click();
    await page.getByTestId('issue-detail').waitFor();
    firstId = page.url().split('/').pop()!;
    firstNumber = await page.getByTestId('issue-number').innerText();
    firstNumber = firstNumber.split(' · ')[0];
    expect(firstNumber).toMatch(/^WT\d{8}-\d{6}$/);
    expect(await stateOf(wangge)).toBe('已上报');
    expect(await page.getByTestId('photos-before').locator('img').count()).toBe(1);
    // the reporter only follows progress: no actions
    expect(await page.getByTestId('issue-actions').count()).toBe(0);
    await shot(wangge, 'h5-issue-detail-reported');
    const issue = await api<IssueDetail>(wangge, `/api/issues/${firstId}`);
    expect(issue).toMatchObject({ source: 'grid', pointId: place.id, title: '路边暴露垃圾', lng: place.lng, lat: place.lat });
    expect(issue.files).toHaveLength(1);
  });

  it('an inspector reporting the same thing is shown the open issue nearby, and files anyway', async () => {
    const { page } = ducha;
    await page.goto(`${env.server.url}/h5/issues/new`);
    await takePhoto(ducha, 'photo-input', '督查.jpg');
    await page.getByTestId('near-point').filter({ hasText: place.name }).click();
    await pickCategory(ducha, '市容环境', '暴露垃圾');
    const hint = page.getByTestId('issue-duplicate').filter({ hasText: firstNumber });
    await hint.waitFor();
    await shot(ducha, 'h5-issue-duplicate-hint');
    // the hint opens the existing issue
    await hint.click();
    await expect.poll(() => page.getByTestId('issue-number').innerText()).toContain(firstNumber);
    await page.goBack();
    await page.getByTestId('issue-report-form').waitFor();
    // a fresh form: file it again as the inspector's own report
    await page.reload();
    await takePhoto(ducha, 'photo-input', '督查.jpg');
    await page.getByTestId('near-point').filter({ hasText: place.name }).click();
    await pickCategory(ducha, '市容环境', '暴露垃圾');
    await page.getByTestId('issue-title').fill('路边堆放垃圾未清运');
    expect(await page.getByTestId('issue-source').innerText()).toContain('督查');
    await page.getByTestId('issue-submit').click();
    await page.getByTestId('issue-detail').waitFor();
    secondId = page.url().split('/').pop()!;
    expect(secondId).not.toBe(firstId);
  });

  it('the dispatcher merges the second report into the first, accepts and dispatches it', async () => {
    const { page } = dispatcher;
    await openDesk(secondId);
    await deskAct('merge', '已合并', async (modal) => {
      const target = modal.getByTestId('issue-action-target');
      await target.click();
      await target.locator('input').fill(firstNumber);
      await page.locator('.ant-select-item-option', { hasText: firstNumber }).click();
      await modal.getByTestId('issue-action-note').fill('同一处暴露垃圾，合并办理');
    });
    await openDesk(firstId);
    // the first report's page lists the report merged into it
    await expect.poll(() => page.getByTestId('issue-merged-reports').innerText()).toContain('合并的重复上报（1）');
    await deskAct('accept', '已立案');
    await deskAct('dispatch', '已派遣', async (modal) => {
      await pickUnit(dispatcher, '市城市管理局', 'issue-action-unit');
      await modal.getByTestId('issue-action-note').fill('请市城管局当日清运');
    });
    await expect.poll(() => page.getByTestId('issue-actions').innerText()).not.toContain('派遣');
    expect((await api<IssueDetail>(dispatcher, `/api/issues/${firstId}`)).responsibleUnitName).toBe('市城市管理局');
    await screenshot(dispatcher.page, 'desktop-issue-dispatched');
  });

  it('the unit finds it under 待签收 and returns it with a reason (回退); the dispatcher dispatches again', async () => {
    const { page } = danwei;
    await page.goto(`${env.server.url}/h5`);
    await expect.poll(() => page.getByTestId('h5-issue-sign').innerText()).toContain('待签收');
    await shot(danwei, 'h5-home-issues-danwei');
    await page.getByTestId('h5-issue-sign').click();
    const row = page.getByTestId('issue-row').filter({ hasText: firstNumber });
    await row.waitFor();
    await shot(danwei, 'h5-issue-list-unit');
    await row.click();
    await page.getByTestId('issue-detail').waitFor();
    await shot(danwei, 'h5-issue-unit-to-sign');
    expect(await page.getByTestId('issue-timeline').innerText()).toContain('派至 市城市管理局');
    // a reason is required, in Chinese
    await page.getByTestId('action-return').click();
    await page.getByTestId('action-form-return').getByTestId('action-submit').click();
    await expect.poll(() => page.locator('.ant-form-item-explain-error').allInnerTexts()).toContainEqual(expect.stringContaining('请填写回退原因'));
    await page.getByTestId('action-note').fill('该点位绿化带归区园林部门管护，非本单位职责');
    await page.getByTestId('action-form-return').getByTestId('action-submit').click();
    await expect.poll(() => stateOf(danwei)).toBe('已回退');

    await openDesk(firstId);
    // the unit's reason is on the dispatcher's timeline
    await expect.poll(() => dispatcher.page.getByTestId('issue-timeline').innerText()).toContain('非本单位职责');
    await deskAct('dispatch', '已派遣', async (modal) => {
      await modal.getByTestId('issue-action-note').fill('经核实垃圾在人行道上，仍由市城管局处置');
    });
  });

  it('a stale page gets a Chinese 409 with a reload; the unit signs and asks for an extension, the dispatcher approves', async () => {
    const { page } = danwei;
    await openIssue(danwei, firstId);
    // the same issue signed from another tab meanwhile
    const other = await danwei.context.newPage();
    await other.goto(`${env.server.url}/h5/issues/${firstId}`);
    await other.getByTestId('action-sign').click();
    await other.getByTestId('action-form-sign').getByTestId('action-submit').click();
    await expect.poll(() => other.getByTestId('issue-detail').getByTestId('issue-state').innerText()).toBe('整改中');
    await other.close();
    await page.getByTestId('action-return').click();
    await page.getByTestId('action-note').fill('重复操作');
    await page.getByTestId('action-form-return').getByTestId('action-submit').click();
    const error = page.getByTestId('issue-error');
    await expect.poll(() => error.innerText()).toContain('请刷新');
    await screenshot(page, 'h5-issue-conflict');
    await error.getByRole('button', { name: /刷\s*新/ }).click();
    await expect.poll(() => stateOf(danwei)).toBe('整改中');

    await act(danwei, 'requestExtension', '整改中', async (sheet) => {
      await sheet.getByTestId('action-deadline').fill(cstDay(5));
      await sheet.getByTestId('action-note').fill('需协调环卫车辆，申请延期');
    });
    await expect.poll(() => page.getByTestId('issue-detail').innerText()).toContain('延期待批');

    await openDesk(firstId);
    await expect.poll(() => dispatcher.page.getByTestId('issue-timeline').innerText()).toContain('需协调环卫车辆');
    await deskAct('approveExtension', '整改中', async (modal) => {
      await modal.getByTestId('issue-action-note').fill('同意延期');
    });
    const issue = await api<IssueDetail>(dispatcher, `/api/issues/${firstId}`);
    expect(issue.extensionPending).toBe(false);
    expect(issue.deadline!.slice(0, 10)).toBe(new Date(`${cstDay(5)}T23:59:59+08:00`).toISOString().slice(0, 10));
  });

  it('the unit feeds back with an after-photo; the grid worker verifies on site: 不通过 (返工), then 通过', async () => {
    await openIssue(danwei, firstId);
    await act(danwei, 'feedback', '已反馈', async (sheet) => {
      await takePhoto(danwei, 'action-photo-input', '整改后.jpg');
      await sheet.getByTestId('action-note').fill('已清运');
    });
    expect(await danwei.page.getByTestId('photos-after').locator('img').count()).toBe(1);

    const { page } = wangge;
    await page.goto(`${env.server.url}/h5`);
    await page.getByTestId('h5-issue-verify').click();
    await page.getByTestId('issue-row').filter({ hasText: firstNumber }).waitFor();
    // the grid worker is also told: 消息 → 待核查 opens the issue and marks the message read
    await page.goto(`${env.server.url}/h5`);
    await page.getByTestId('h5-messages').click();
    const message = page.getByTestId('message-row').filter({ hasText: `待核查 ${firstNumber}` });
    expect(await message.getAttribute('data-read')).toBe('false');
    await shot(wangge, 'h5-messages');
    await message.click();
    await page.getByTestId('issue-detail').waitFor();
    expect(page.url()).toBe(`${env.server.url}/h5/issues/${firstId}`);
    await shot(wangge, 'h5-issue-to-verify');
    await act(wangge, 'verifyFail', '整改中', async (sheet) => {
      await expect.poll(() => sheet.getByTestId('verify-position').innerText()).toContain('精度约 12 米');
      await sheet.getByTestId('action-note').fill('绿化带内仍有残留垃圾');
      await takePhoto(wangge, 'action-photo-input', '核查.jpg');
    });
    await expect.poll(() => page.getByTestId('issue-detail').innerText()).toContain('返工 1 次');

    await openIssue(danwei, firstId);
    await act(danwei, 'feedback', '已反馈', async (sheet) => {
      await takePhoto(danwei, 'action-photo-input', '整改后2.jpg');
      await sheet.getByTestId('action-note').fill('残留垃圾已清理干净');
    });
    await openIssue(wangge, firstId);
    await act(wangge, 'verifyPass', '核查通过');
    await shot(wangge, 'h5-issue-verified');
  });

  it('the dispatcher closes it, the grid worker reopens it as 回潮, and the API shows the whole story', async () => {
    await openDesk(firstId);
    await expect.poll(() => dispatcher.page.getByTestId('issue-before-after').locator('img').count()).toBeGreaterThanOrEqual(2);
    await deskAct('close', '已结案');
    await screenshot(dispatcher.page, 'desktop-issue-closed');

    await openIssue(wangge, firstId);
    await act(wangge, 'reopen', '已派遣', async (sheet) => {
      await sheet.getByTestId('action-note').fill('三天后同一位置再次出现暴露垃圾');
    });
    await expect.poll(() => wangge.page.getByTestId('issue-detail').innerText()).toContain('回潮 1 次');
    await shot(wangge, 'h5-issue-relapse');

    const issue = await api<IssueDetail>(dispatcher, `/api/issues/${firstId}`);
    expect(issue).toMatchObject({ state: 'dispatched', reworkCount: 1, relapseCount: 1, responsibleUnitName: '市城市管理局' });
    expect(issue.events.map((e) => e.action)).toEqual([
      'report',
      'accept',
      'dispatch',
      'return',
      'dispatch',
      'sign',
      'requestExtension',
      'approveExtension',
      'feedback',
      'verifyFail',
      'feedback',
      'verifyPass',
      'close',
      'reopen',
    ]);
    const actors = Object.fromEntries(issue.events.map((e) => [e.action, e.actorName]));
    expect(actors).toMatchObject({ report: '刘网格', accept: '李文明', return: '张卫东', verifyFail: '刘网格', close: '李文明', reopen: '刘网格' });
    expect(issue.events.find((e) => e.action === 'verifyFail')!.note).toMatch(/现场核查定位：\d+\.\d{6}, \d+\.\d{6}（精度约 12 米，距问题位置 0 米）/);
    // the report photo, two after-photos and the failed verification's photo
    expect(issue.files.length).toBe(4);
    const merged = await api<IssueDetail>(dispatcher, `/api/issues/${secondId}`);
    expect(merged).toMatchObject({ state: 'merged', mergedIntoId: firstId });
  });

  it('a volunteer supervisor without the org tree files from GPS alone and follows it under 我上报的', async () => {
    const jiandu = await phoneActor('jiandu');
    try {
      const { page } = jiandu;
      await page.getByTestId('h5-issue-report').click();
      await takePhoto(jiandu, 'photo-input', '小广告.jpg');
      await expect.poll(() => page.getByTestId('issue-auto-place').innerText()).toBe(`按位置识别：点位 ${place.name}`);
      expect(await page.getByTestId('near-point').count()).toBe(0);
      await pickCategory(jiandu, '宣传广告', '非法小广告');
      await page.getByTestId('title-chips').getByText('墙面张贴小广告', { exact: true }).click();
      expect(await page.getByTestId('issue-source').innerText()).toContain('义务监督员');
      await shot(jiandu, 'h5-issue-report-supervisor');
      await page.getByTestId('issue-submit').click();
      await page.getByTestId('issue-detail').waitFor();
      const id = page.url().split('/').pop()!;
      await page.goto(`${env.server.url}/h5/issues?tab=mine`);
      await expect.poll(() => page.getByTestId('issue-row').first().getAttribute('href')).toBe(`/h5/issues/${id}`);
      await shot(jiandu, 'h5-issue-list-mine');
      const issue = await api<IssueDetail>(jiandu, `/api/issues/${id}`);
      expect(issue).toMatchObject({ source: 'supervisor', pointId: place.id, reporterName: '陈监督', state: 'reported' });
    } finally {
      await jiandu.context.close();
    }
  });

  it('without location permission the reporter taps the map, and the nearest points follow the tap', async () => {
    const a = await newPage(env.browser, PHONE);
    try {
      await loginPhone(a, 'wangge');
      const { page } = a;
      await page.goto(`${env.server.url}/h5/issues/new`);
      await expect.poll(() => page.getByTestId('issue-position').innerText()).toContain('未获得定位权限，请在地图上点选位置');
      expect(await page.getByTestId('near-point').count()).toBe(0);
      const map = page.getByTestId('issue-map');
      await map.locator('.leaflet-container').waitFor();
      const box = (await map.boundingBox())!;
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await expect.poll(() => page.getByTestId('issue-position').innerText()).toMatch(/地图选点 \d+\.\d{6}, \d+\.\d{6}/);
      const [lng, lat] = (await page.getByTestId('issue-position').innerText()).match(/(\d+\.\d{6}), (\d+\.\d{6})/)!.slice(1).map(Number);
      // the list is the server's answer for the tapped place, nearest first
      const near = (await a.page.request.get(`${env.server.url}/api/issues/nearby-points?lng=${lng}&lat=${lat}`).then((r) => r.json())) as { items: { name: string }[] };
      expect(near.items.length).toBeGreaterThan(0);
      await expect.poll(() => page.getByTestId('near-point').allInnerTexts()).toEqual(near.items.map((p) => expect.stringContaining(p.name)));
      // off the chosen points the place is named: the worker's grid when the tap lies inside it, else the server's rule
      await expect.poll(async () => (await page.getByTestId('issue-auto-place').count()) + (await page.getByTestId('issue-grid').count())).toBe(1);
      await shot(a, 'h5-issue-report-map-tap');
    } finally {
      await a.context.close();
    }
  });
});
