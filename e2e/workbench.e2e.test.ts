import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MetricsReport } from '../contracts/issue-metrics.ts';
import { DESKTOP, loginDesktop, newPage, PHONE, screenshot, serverAndBrowser } from './support.ts';

/** expect.poll with a wait that suits a loaded 2-core machine. */
const poll = <T>(fn: () => T | Promise<T>, timeout = 30_000) => expect.poll(fn, { timeout, interval: 250 });

/** The number a workbench card shows, once it has loaded. */
async function cardValue(page: Page, key: string): Promise<number> {
  const v = page.getByTestId(`wb-${key}-value`);
  await poll(async () => ((await v.count()) ? await v.textContent() : '')).toMatch(/^\d+$/);
  return Number(await v.textContent());
}

/** `total` of a list endpoint (or `pick` of the body), asked as the signed-in user in the browser's session. */
async function apiCount(context: BrowserContext, base: string, url: string, pick: (b: Record<string, unknown>) => number = (b) => b.total as number): Promise<number> {
  const res = await context.request.get(`${base}${url}`);
  expect(res.status(), `${url}: ${await res.text()}`).toBe(200);
  return pick((await res.json()) as Record<string, unknown>);
}

const href = async (page: Page, key: string) => (await page.getByTestId(`wb-${key}`).getAttribute('href')) ?? '';
const thisMonth = () => {
  const bj = new Date(Date.now() + 8 * 3_600_000);
  const y = bj.getUTCFullYear();
  const m = bj.getUTCMonth();
  const mm = String(m + 1).padStart(2, '0');
  return { from: `${y}-${mm}-01`, to: `${y}-${mm}-${String(new Date(Date.UTC(y, m + 1, 0)).getUTCDate()).padStart(2, '0')}` };
};

describe('工作台', () => {
  const env = serverAndBrowser();
  let admin: Page;
  let adminContext: BrowserContext;

  beforeAll(async () => {
    ({ page: admin, context: adminContext } = await newPage(env.browser, DESKTOP));
    await loginDesktop(admin, env.server.url, 'admin');
  });

  it('the city office sees its queue, overdue issues, this month’s rates, tasks and evidence with the numbers of the APIs; a card opens the filtered list', async () => {
    const base = env.server.url;
    await admin.goto(`${base}/`);
    await admin.getByTestId('wb-section-问题整改').waitFor();

    const issueCards: [string, string][] = [
      ['reported', '/api/issues?state=reported&pageSize=1'],
      ['accepted', '/api/issues?state=accepted&pageSize=1'],
      ['extension', '/api/issues?extensionPending=true&pageSize=1'],
      ['feedback', '/api/issues?state=feedback&pageSize=1'],
      ['overdue', '/api/issues?overdue=true&pageSize=1'],
    ];
    const shown: Record<string, number> = {};
    for (const [key, url] of issueCards) {
      shown[key] = await cardValue(admin, key);
      expect(shown[key], key).toBe(await apiCount(adminContext, base, url));
    }
    // the demo city has work in the queue and overdue issues: the page shows real numbers, not zeros
    expect(shown.overdue).toBeGreaterThan(0);
    expect(shown.reported + shown.accepted + shown.extension + shown.feedback).toBeGreaterThan(0);
    // the unit's to-do and the inspector's cards are not the office's
    expect(await admin.getByTestId('wb-sign').count()).toBe(0);
    expect(await admin.getByTestId('wb-verify').count()).toBe(0);

    // this month's 结案率 and 按期结案率 as /api/issue-metrics computes them
    const m = thisMonth();
    const report = (await (await adminContext.request.get(`${base}/api/issue-metrics?from=${m.from}&to=${m.to}&groupBy=unit`)).json()) as MetricsReport;
    const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
    await poll(() => admin.getByTestId('wb-metrics-closedRate').textContent()).toBe(pct(report.total.closedRate));
    expect(await admin.getByTestId('wb-metrics-onTimeRate').textContent()).toBe(pct(report.total.onTimeRate));
    expect(await admin.getByTestId('wb-metrics-due').textContent()).toBe(String(report.total.due));

    // 测评任务: the default system's overdue and stalled tasks
    const tasksHref = await href(admin, 'tasksOverdue');
    const systemId = new URLSearchParams(tasksHref.split('?')[1]).get('systemId');
    expect(systemId).toBeTruthy();
    const tasksOverdue = await cardValue(admin, 'tasksOverdue');
    expect(tasksOverdue).toBe(await apiCount(adminContext, base, `/api/tasks?systemId=${systemId}&overdue=true&pageSize=1`));
    expect(await cardValue(admin, 'tasksStalled')).toBe(await apiCount(adminContext, base, `/api/tasks?systemId=${systemId}&stalled=true&pageSize=1`));

    // 材料审核: the review queue and this period's missing evidence
    expect(await cardValue(admin, 'review')).toBe(await apiCount(adminContext, base, '/api/evidence/review-queue?pageSize=1'));
    const missingHref = await href(admin, 'missing');
    const mp = new URLSearchParams(missingHref.split('?')[1]);
    expect([mp.get('periodFrom'), mp.get('periodTo')]).toEqual([m.from, m.to]);
    const missing = await cardValue(admin, 'missing');
    expect(missing).toBe(await apiCount(adminContext, base, `/api/evidence/matrix?systemId=${mp.get('systemId')}&periodFrom=${m.from}&periodTo=${m.to}`, (b) => (b.totals as { missing: number }).missing));

    // the latest notifications are the user's own
    const notes = (await (await adminContext.request.get(`${base}/api/notifications?pageSize=5`)).json()) as { items: { title: string }[] };
    await poll(() => admin.getByTestId('wb-notification').count()).toBe(notes.items.length);
    await admin.setViewportSize({ width: 1440, height: 900 });
    await screenshot(admin, 'workbench-admin-desktop');

    // 超期未结 opens the issue list filtered to overdue issues, with the same total
    await admin.getByTestId('wb-overdue').click();
    await admin.waitForURL(/\/issues\?overdue=true$/);
    await poll(() => admin.getByText(`共 ${shown.overdue} 个问题`).count()).toBeGreaterThan(0);

    // a queue card opens the dispatcher's tab with the same count
    await admin.goto(`${base}/`);
    const queueKey = (['reported', 'accepted', 'extension', 'feedback'] as const).find((k) => shown[k] > 0)!;
    await admin.getByTestId(`wb-${queueKey}`).click();
    await admin.waitForURL(new RegExp(`/issues/dispatch\\?tab=${queueKey}$`));
    await poll(() => admin.getByTestId(`queue-tab-${queueKey}`).textContent()).toContain(String(shown[queueKey]));
    await poll(() => admin.locator('.ant-tabs-tab-active').getByTestId(`queue-tab-${queueKey}`).count()).toBe(1);

    // the overdue tasks card opens the task table with 超期 ticked and the same total
    await admin.goto(`${base}/`);
    await admin.getByTestId('wb-tasksOverdue').click();
    await admin.waitForURL(/\/indicators\/tasks\?systemId=.+&overdue=true$/);
    await poll(() => admin.getByTestId('filter-overdue').evaluate((el) => (el instanceof HTMLInputElement ? el : (el.querySelector('input') as HTMLInputElement)).checked)).toBe(true);
    if (tasksOverdue > 0) await poll(() => admin.getByText(`共 ${tasksOverdue} 项任务`).count()).toBeGreaterThan(0);
  }, 240_000);

  it('a unit contact sees its issues to sign, in hand and due soon, its overdue tasks and evidence to file; the sign card opens the unit’s to-do', async () => {
    const base = env.server.url;
    const { page, context } = await newPage(env.browser, DESKTOP);
    await loginDesktop(page, base, 'danwei');
    await page.goto(`${base}/`);
    await page.getByTestId('wb-section-本单位问题').waitFor();
    const cards: [string, string][] = [
      ['sign', '/api/issues?mine=true&state=dispatched&pageSize=1'],
      ['rectifying', '/api/issues?mine=true&state=rectifying&pageSize=1'],
      ['dueSoon', '/api/issues?mine=true&dueSoon=true&pageSize=1'],
      ['mineOverdue', '/api/issues?mine=true&overdue=true&pageSize=1'],
      ['evDraft', '/api/evidence/items?mine=true&state=draft&pageSize=1'],
      ['evReturned', '/api/evidence/items?mine=true&state=returned&pageSize=1'],
    ];
    const shown: Record<string, number> = {};
    for (const [key, url] of cards) {
      shown[key] = await cardValue(page, key);
      expect(shown[key], key).toBe(await apiCount(context, base, url));
    }
    expect(shown.sign + shown.rectifying + shown.mineOverdue).toBeGreaterThan(0);
    const systemId = new URLSearchParams((await href(page, 'tasksOverdue')).split('?')[1]).get('systemId');
    expect(await cardValue(page, 'tasksOverdue')).toBe(await apiCount(context, base, `/api/tasks?systemId=${systemId}&overdue=true&pageSize=1`));
    // no office cards: the unit does not dispatch or review
    for (const key of ['reported', 'accepted', 'extension', 'review', 'missing', 'overdue']) expect(await page.getByTestId(`wb-${key}`).count(), key).toBe(0);
    expect(await page.getByTestId('wb-org').count()).toBe(0);
    await screenshot(page, 'workbench-danwei-desktop');

    const key = shown.sign > 0 ? 'sign' : shown.rectifying > 0 ? 'rectifying' : 'mineOverdue';
    const tab = key === 'mineOverdue' ? 'overdue' : key;
    await page.getByTestId(`wb-${key}`).click();
    await page.waitForURL(new RegExp(`/issues/todo\\?tab=${tab}$`));
    await poll(() => page.getByTestId(`queue-tab-${tab}`).textContent()).toContain(String(shown[key]));
    await poll(() => page.locator('.ant-tabs-tab-active').getByTestId(`queue-tab-${tab}`).count()).toBe(1);

    // returned evidence opens 我的材料 on the 被退回 tab
    await page.goto(`${base}/`);
    await cardValue(page, 'evReturned');
    await page.getByTestId('wb-evReturned').click();
    await page.waitForURL(/\/evidence\/mine\?tab=returned$/);
    await poll(() => page.locator('.ant-tabs-tab-active').getByTestId('evidence-tab-returned').count()).toBe(1);
    await context.close();
  }, 240_000);

  it('an inspector sees 待核查 (the feedback waiting for verification in the city) and no dispatcher queue', async () => {
    const base = env.server.url;
    const { page, context } = await newPage(env.browser, DESKTOP);
    await loginDesktop(page, base, 'ducha');
    await page.goto(`${base}/`);
    expect(await cardValue(page, 'verify')).toBe(await apiCount(context, base, '/api/issues?state=feedback&pageSize=1'));
    expect(await cardValue(page, 'overdue')).toBe(await apiCount(context, base, '/api/issues?overdue=true&pageSize=1'));
    expect(await page.getByTestId('wb-reported').count()).toBe(0);
    await page.getByTestId('wb-verify').click();
    await page.waitForURL(/\/issues\?state=feedback$/);
    await context.close();
  }, 180_000);

  it('fits a phone', async () => {
    const base = env.server.url;
    const { page, context } = await newPage(env.browser, PHONE);
    await loginDesktop(page, base, 'admin');
    await page.goto(`${base}/`);
    await cardValue(page, 'overdue');
    await cardValue(page, 'tasksOverdue');
    await page.getByTestId('wb-metrics-closedRate').waitFor({ state: 'attached' });
    // nothing runs off the side of a 390 px screen
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'workbench-admin-phone');
    await context.close();
  }, 180_000);
});
