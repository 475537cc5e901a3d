import type { APIRequestContext, BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { png } from '../server/modules/files/files.fixtures.ts';
import { DEMO_PASSWORD, loginDesktop, newPage, PHONE, screenshot, serverAndBrowser } from './support.ts';

const REQUIREMENT = 'E2E 背街小巷整治专项台账';

/** JSON over the browser context's session (cookie + CSRF header), for setting up what the test needs. */
async function call<T>(ctx: BrowserContext, req: APIRequestContext, method: 'GET' | 'POST', url: string, data?: unknown): Promise<T> {
  const csrf = (await ctx.cookies()).find((c) => c.name === 'cw_csrf')?.value ?? '';
  const res = await req.fetch(url, { method, data, headers: method === 'GET' ? {} : { 'x-csrf-token': csrf } });
  if (!res.ok()) throw new Error(`${method} ${url}: ${res.status()} ${await res.text()}`);
  return (await res.json()) as T;
}

describe('材料审核 in the browser', () => {
  const env = serverAndBrowser();
  let admin: Page;
  let adminCtx: BrowserContext;
  let unit: Page;
  let systemId: string;

  beforeAll(async () => {
    ({ page: admin, context: adminCtx } = await newPage(env.browser));
    ({ page: unit } = await newPage(env.browser));
    await loginDesktop(admin, env.server.url, 'admin');
    await loginDesktop(unit, env.server.url, 'danwei');
    // a small system with one 材料审核 standard given to 市城市管理局 (through the indicators API), and a one-off requirement on it
    const base = env.server.url;
    const api = <T>(method: 'GET' | 'POST', url: string, data?: unknown) => call<T>(adminCtx, admin.request, method, `${base}${url}`, data);
    const system = await api<{ id: string }>('POST', '/api/indicator-systems', { name: 'E2E 材料审核体系', year: 2026 });
    systemId = system.id;
    const item = await api<{ id: string }>('POST', `/api/indicator-systems/${systemId}/nodes`, { parentId: null, code: 'Ⅱ', text: '公共文明' });
    const content = await api<{ id: string }>('POST', `/api/indicator-systems/${systemId}/nodes`, { parentId: item.id, code: 'Ⅱ-1', text: '市容环境' });
    const standard = await api<{ id: string }>('POST', `/api/indicator-systems/${systemId}/nodes`, {
      parentId: content.id,
      code: 'Ⅱ-1-1',
      text: '背街小巷路面平整，无暴露垃圾',
      methods: ['material'],
    });
    const cgj = (await api<{ items: { id: string; name: string }[] }>('GET', `/api/org/units?q=${encodeURIComponent('市城市管理局')}`)).items.find((u) => u.name === '市城市管理局')!;
    await api('POST', '/api/tasks', { systemId, nodeId: standard.id, leadUnitId: cgj.id, deadlineText: '长期坚持' });
    await api('POST', '/api/evidence/requirements', { standardId: standard.id, recurrence: 'once', title: REQUIREMENT, startsOn: '2026-01-01', endsOn: '2026-12-31' });
    // and a monthly one on a second standard, so the unit always has something due
    const second = await api<{ id: string }>('POST', `/api/indicator-systems/${systemId}/nodes`, { parentId: content.id, code: 'Ⅱ-1-2', text: '门前三包责任制落实', methods: ['material'] });
    await api('POST', '/api/tasks', { systemId, nodeId: second.id, leadUnitId: cgj.id, deadlineText: '每月' });
    await api('POST', '/api/evidence/requirements', { standardId: second.id, recurrence: 'monthly', title: 'E2E 门前三包检查记录', startsOn: '2026-01-01', endsOn: '2026-12-31' });
  });

  const myRow = async () => {
    await unit.goto(`${env.server.url}/evidence/mine?tab=all&q=${encodeURIComponent(REQUIREMENT)}`);
    const row = unit.getByTestId('my-evidence-table').locator('.ant-table-row', { hasText: REQUIREMENT });
    await row.waitFor();
    return row;
  };

  it('the unit uploads evidence; the reviewer returns it with a reason', async () => {
    const row = await myRow();
    await row.getByTestId('evidence-open').click();
    const drawer = unit.getByTestId('evidence-drawer');
    await drawer.getByTestId('evidence-form').waitFor();
    await drawer.getByTestId('evidence-title').fill('2026年背街小巷整治台账');
    await drawer.locator('.ant-picker input').click();
    await drawer.locator('.ant-picker input').fill('2026年11月20日');
    await drawer.locator('.ant-picker input').press('Enter');
    await drawer.getByTestId('evidence-description').fill('整治背街小巷 12 条，附整治后照片');
    await drawer.getByTestId('evidence-upload').locator('input[type=file]').setInputFiles({ name: '整治后.png', mimeType: 'image/png', buffer: await png(320, 200) });
    await drawer.locator('.ant-upload-list-item-done, .ant-upload-list-item:not(.ant-upload-list-item-uploading)').first().waitFor();
    await expect.poll(() => drawer.locator('.ant-upload-list-item-uploading').count()).toBe(0);
    await screenshot(unit, 'desktop-evidence-upload');
    await drawer.getByTestId('evidence-submit').click();
    await drawer.waitFor({ state: 'hidden' });
    await expect.poll(async () => (await myRow()).innerText()).toContain('已提交');
    expect(await (await myRow()).innerText()).toContain('Ⅱ-1-1)-①');

    await admin.goto(`${env.server.url}/evidence/review?systemId=${systemId}`);
    const queued = admin.getByTestId('review-queue-row').filter({ hasText: '2026年背街小巷整治台账' });
    await queued.click();
    const detail = admin.getByTestId('review-detail');
    await expect.poll(() => detail.innerText()).toContain('2026年背街小巷整治台账');
    await detail.getByTestId('evidence-files').locator('img').first().waitFor();
    await screenshot(admin, 'desktop-evidence-review');
    await detail.getByTestId('review-return').click();
    await admin.getByTestId('review-reason').fill('缺少整治前的对比照片，请补充');
    await admin.locator('#review-return-confirm').click();
    await admin.getByText('已退回，单位将看到退回原因').waitFor();
    await expect.poll(() => admin.getByTestId('review-queue-row').filter({ hasText: '2026年背街小巷整治台账' }).count()).toBe(0);
  });

  it('the unit sees the reason and resubmits; the reviewer approves; the matrix shows it complete', async () => {
    const row = await myRow();
    await expect.poll(() => row.innerText()).toContain('退回原因：缺少整治前的对比照片，请补充');
    await screenshot(unit, 'desktop-evidence-mine-returned');
    await row.getByTestId('evidence-open').click();
    const drawer = unit.getByTestId('evidence-drawer');
    await expect.poll(() => drawer.getByTestId('evidence-return-reason').innerText()).toContain('缺少整治前的对比照片');
    await drawer.getByTestId('evidence-title').fill('2026年背街小巷整治台账（含整治前后对比）');
    await drawer.getByTestId('evidence-upload').locator('input[type=file]').setInputFiles({ name: '整治前.png', mimeType: 'image/png', buffer: await png(300, 200) });
    await expect.poll(() => drawer.locator('.ant-upload-list-item').count()).toBe(2);
    await expect.poll(() => drawer.locator('.ant-upload-list-item-uploading').count()).toBe(0);
    await drawer.getByTestId('evidence-submit').click();
    await drawer.waitFor({ state: 'hidden' });
    await expect.poll(async () => (await myRow()).innerText()).toContain('已提交');

    await admin.goto(`${env.server.url}/evidence/review?systemId=${systemId}`);
    await admin.getByTestId('review-queue-row').filter({ hasText: '含整治前后对比' }).click();
    const detail = admin.getByTestId('review-detail');
    await expect.poll(() => detail.getByTestId('evidence-files').locator('img').count()).toBe(2);
    await expect.poll(() => detail.getByTestId('evidence-timeline').innerText()).toContain('退回原因：缺少整治前的对比照片，请补充');
    await detail.getByTestId('review-approve').click();
    await admin.getByText('已通过').first().waitFor();

    await admin.goto(`${env.server.url}/evidence/matrix?systemId=${systemId}`);
    const rowOf = (code: string) => admin.getByTestId('matrix-table').locator('.ant-table-row', { hasText: code });
    const cell = rowOf('Ⅱ-1-1').getByTestId('matrix-cell');
    await expect.poll(() => cell.innerText()).toBe('1/1');
    expect(await cell.getAttribute('data-status')).toBe('complete');
    // the monthly one: nothing filed yet, one item per month so far
    expect(await rowOf('Ⅱ-1-2').getByTestId('matrix-cell').getAttribute('data-status')).toBe('missing');
    await expect.poll(() => admin.getByTestId('matrix-totals').innerText()).toMatch(/通过 1 · 待审核 0 · 退回 0 · 缺失 \d+/);
    await screenshot(admin, 'desktop-evidence-matrix');
    await cell.click();
    const drill = admin.getByTestId('matrix-drill');
    await expect.poll(() => drill.innerText()).toContain('含整治前后对比');
    expect(await drill.innerText()).toContain('通过');
    await screenshot(admin, 'desktop-evidence-matrix-drill');
  });

  it('a unit contact sees due evidence on the phone and can open the upload form', async () => {
    const { page: phone } = await newPage(env.browser, PHONE);
    await phone.goto(`${env.server.url}/h5`);
    await phone.getByLabel('用户名或手机号').fill('danwei');
    await phone.getByLabel('密码').fill(DEMO_PASSWORD);
    await phone.getByRole('button', { name: /登\s*录/ }).click();
    await phone.getByTestId('h5-evidence-link').click();
    await phone.getByTestId('h5-evidence-filter').getByText('已通过').click();
    const approved = phone.getByTestId('h5-evidence-row').filter({ hasText: '含整治前后对比' });
    await approved.waitFor();
    await screenshot(phone, 'phone-evidence-list');
    await approved.click();
    await phone.getByTestId('h5-evidence').waitFor();
    await expect.poll(() => phone.getByTestId('evidence-timeline').innerText()).toContain('审核通过');
    await screenshot(phone, 'phone-evidence-item');
    // something still due: the monthly requirement's form, with the camera button
    await phone.goBack();
    await phone.getByTestId('h5-evidence-filter').getByText('待报').click();
    const due = phone.getByTestId('h5-evidence-row').filter({ hasText: 'E2E 门前三包检查记录' }).first();
    await due.click();
    await phone.getByTestId('evidence-form').waitFor();
    expect(await phone.getByTestId('evidence-camera').count()).toBe(1);
    await screenshot(phone, 'phone-evidence-upload');
  });

  it('the demo city: every 材料审核 page renders with its data on a desk and a phone, without errors', async () => {
    for (const opts of [undefined, PHONE]) {
      const { context, page } = await newPage(env.browser, opts);
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('response', (r) => {
        if (r.url().includes('/api/') && r.status() >= 500) errors.push(`${r.status()} ${r.url()}`);
      });
      await loginDesktop(page, env.server.url, 'admin');
      const tag = opts ? 'phone' : 'desktop';
      // the matrix opens the system with the most requirements: the demo's main system
      await page.goto(`${env.server.url}/evidence/matrix`);
      await page.getByTestId('matrix-cell').first().waitFor();
      for (const status of ['complete', 'returned']) expect(await page.locator(`[data-testid=matrix-cell][data-status=${status}]`).count()).toBeGreaterThan(0);
      await screenshot(page, `${tag}-evidence-matrix-demo`);
      await page.goto(`${env.server.url}/evidence/review`);
      await page.getByTestId('review-detail').waitFor();
      await screenshot(page, `${tag}-evidence-review-demo`);
      await page.goto(`${env.server.url}/evidence/requirements`);
      await page.locator('.ant-table-row').first().waitFor();
      if (!opts) {
        // the requirement form (a desk task): an empty form shows its required fields
        await page.getByTestId('requirement-new').click();
        await page.getByTestId('requirement-save').click();
        await page.getByText('请选择测评标准').waitFor();
        await screenshot(page, `${tag}-evidence-requirement-new`);
      } else await screenshot(page, `${tag}-evidence-requirements`);
      expect(errors).toEqual([]);
      await context.close();
    }
  });
});
