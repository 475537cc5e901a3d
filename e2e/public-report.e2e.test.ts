import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DESKTOP, loginDesktop, newPage, PHONE, screenshot, serverAndBrowser } from './support.ts';

/** A session of a demo user over plain HTTP, to drive the inside of the loop. */
async function apiLogin(base: string, username: string) {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) });
  expect(res.status).toBe(200);
  const cookie = (res.headers.get('set-cookie') ?? '').match(/cw_sid=[^;]+/)![0];
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const call = async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const isForm = body instanceof FormData;
    const r = await fetch(`${base}${url}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, ...(body !== undefined && !isForm ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
    });
    const text = await r.text();
    expect(r.status, `${method} ${url}: ${text}`).toBe(200);
    return JSON.parse(text) as T;
  };
  return call;
}

const photo = (r: number, g: number, b: number) => sharp({ create: { width: 800, height: 600, channels: 3, background: { r, g, b } } }).jpeg().toBuffer();

describe('public 随手拍 on a phone', () => {
  const env = serverAndBrowser();

  it('files a report with a photo and a map tap, gets a code, follows it to the closed state with the after photo', async () => {
    const base = env.server.url;
    const { context, page } = await newPage(env.browser, PHONE);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/h5/report`);
    await page.getByText('发现不文明现象和城市管理问题').waitFor();
    await page.locator('.leaflet-container').waitFor();
    await screenshot(page, 'phone-public-report-empty');

    // a submission with nothing says what is missing, in Chinese, and sends nothing
    await page.getByTestId('report-submit').click();
    await page.getByText('请至少拍摄或选择 1 张照片').first().waitFor();
    await page.getByText('请选择问题类型').first().waitFor();

    await page.getByTestId('photo-input').setInputFiles({ name: '现场.jpg', mimeType: 'image/jpeg', buffer: await photo(120, 140, 90) });
    await expect.poll(() => page.locator('.pub-photo img').count()).toBe(1);
    // a big camera photo is shrunk in the browser before it is sent
    const big = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: { r: 128, g: 128, b: 128 }, noise: { type: 'gaussian', mean: 128, sigma: 50 } } }).jpeg({ quality: 95 }).toBuffer();
    expect(big.length).toBeGreaterThan(3 * 1024 * 1024);
    await page.getByTestId('photo-input').setInputFiles({ name: '大图.jpg', mimeType: 'image/jpeg', buffer: big });
    // decoding and re-encoding 12 megapixels takes a while on a busy machine
    await expect.poll(() => page.locator('.pub-photo img').count(), { timeout: 30_000 }).toBe(2);
    expect(await page.getByTestId('photo-input').getAttribute('capture')).toBe('environment');
    expect(await page.getByTestId('photo-input').getAttribute('accept')).toBe('image/*');

    // the place: a tap on the map
    const map = page.locator('.leaflet-container');
    const box = (await map.boundingBox())!;
    await page.mouse.click(box.x + box.width / 2 + 10, box.y + box.height / 2 + 10);
    await expect.poll(() => page.getByTestId('place-text').innerText()).toMatch(/^已在地图上选点：113\.\d+, 34\.\d+$/);
    await page.locator('.cw-picked-marker').waitFor();

    await page.locator('.pub-group', { hasText: '市容环境' }).click();
    await page.locator('.pub-sub', { hasText: '暴露垃圾' }).click();
    await page.getByTestId('report-description').fill('小区门口垃圾堆放三天无人清理，气味很大');
    await page.getByPlaceholder('位置说明（选填），如：人民路 12 号门口').fill('朝阳路 8 号门口');
    await page.getByPlaceholder('11 位手机号，便于核实情况').fill('13811112222');
    await screenshot(page, 'phone-public-report-filled');

    await page.getByTestId('report-submit').click();
    const codeEl = page.getByTestId('tracking-code');
    await codeEl.waitFor();
    const code = (await codeEl.innerText()).trim();
    expect(code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/);
    await screenshot(page, 'phone-public-report-done');

    await page.getByRole('button', { name: '查看办理进度' }).click();
    await expect.poll(() => page.getByTestId('track-state').innerText()).toBe('已收到，等待受理');
    const before = page.getByTestId('track-photos').locator('img').first();
    await expect.poll(() => before.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    await screenshot(page, 'phone-public-track-new');

    // inside: the office and the unit run the loop
    const admin = await apiLogin(base, 'admin');
    const danwei = await apiLogin(base, 'danwei');
    const ducha = await apiLogin(base, 'ducha');
    const status = (await (await fetch(`${base}/api/public/reports/${code}`)).json()) as { number: string };
    const list = await admin<{ items: { id: string; number: string }[] }>('GET', `/api/issues?source=citizen&pageSize=50`);
    let issue = await admin<{ id: string; version: number; reporterPhoneMasked: string; files: { id: string }[] }>('GET', `/api/issues/${list.items.find((i) => i.number === status.number)!.id}`);
    expect(issue.reporterPhoneMasked).toBe('138****2222');
    const stored = await Promise.all(issue.files.map((f) => admin<{ width: number; size: number }>('GET', `/api/files/${f.id}`)));
    expect(stored.map((f) => f.width).sort((a, b) => a - b)).toEqual([800, 2560]);
    expect(Math.max(...stored.map((f) => f.size))).toBeLessThan(big.length);
    const act = async (call: typeof admin, action: string, body: Record<string, unknown> = {}) => {
      issue = await call('POST', `/api/issues/${issue.id}/actions/${action}`, { version: issue.version, ...body });
    };
    const units = await admin<{ items: { id: string }[] }>('GET', `/api/org/units?q=${encodeURIComponent('市城市管理局')}`);
    await act(admin, 'accept');
    await act(admin, 'dispatch', { unitId: units.items[0].id, note: '请城管局处理' });
    await act(danwei, 'sign');
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(await photo(200, 200, 210))], { type: 'image/jpeg' }), '整改后.jpg');
    const uploaded = await danwei<{ items: { id: string }[] }>('POST', '/api/files', form);
    await act(danwei, 'feedback', { note: '已清运', photos: [uploaded.items[0].id] });
    await act(ducha, 'verifyPass');
    await act(admin, 'close');

    await page.reload();
    await expect.poll(() => page.getByTestId('track-state').innerText()).toBe('已办结');
    const after = page.getByTestId('track-photos').locator('img').nth(1);
    await expect.poll(() => after.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    const text = await page.locator('body').innerText();
    expect(text).toContain('现场核查通过');
    expect(text).toContain('市城市管理局');
    for (const secret of ['13811112222', '138****2222', '请城管局处理', '已清运', '小区门口垃圾堆放']) expect(text).not.toContain(secret);
    await screenshot(page, 'phone-public-track-closed');

    // a wrong code answers in Chinese
    await page.goto(`${base}/h5/track/ZZZZZZZZ`);
    await page.getByText('没有找到该查询码对应的问题，请核对后再试').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the public pages also read well on a desk', async () => {
    const { context, page } = await newPage(env.browser, DESKTOP);
    // the staff login page of the phone app leads citizens to the form
    await page.goto(`${env.server.url}/h5`);
    await page.getByRole('link', { name: '市民随手拍（无需登录）' }).click();
    await page.locator('.pub-group', { hasText: '文明行为' }).click();
    expect(page.url()).toBe(`${env.server.url}/h5/report`);
    await page.locator('.cw-grid-polygon').first().waitFor();
    expect(await page.title()).toBe('随手拍 · 创文通');
    await screenshot(page, 'desktop-public-report');
    await page.goto(`${env.server.url}/h5/track`);
    await page.getByTestId('track-input').fill('abcd-efgh');
    await page.getByRole('button', { name: /查\s*询/ }).click();
    await page.getByText('没有找到该查询码对应的问题，请核对后再试').waitFor();
    expect(page.url()).toMatch(/\/h5\/track\/ABCDEFGH$/);
    await screenshot(page, 'desktop-public-track-unknown');
    await context.close();
  });

  it('the admin issues a key (shown once) on 系统管理 → 接口密钥, and Open311 accepts it', async () => {
    const base = env.server.url;
    const { context, page } = await newPage(env.browser, DESKTOP);
    await loginDesktop(page, base, 'admin');
    await page.goto(`${base}/system/api-keys`);
    await page.getByText('Open311 GeoReport v2 接口').waitFor();
    await page.getByTestId('apikey-create').click();
    await page.getByTestId('apikey-name').fill('12345 市民服务热线');
    await page.getByTestId('apikey-save').click();
    const value = page.getByTestId('apikey-value');
    await value.waitFor();
    const key = (await value.innerText()).trim();
    expect(key).toMatch(/^cw311_/);
    await page.waitForTimeout(500); // let the dialog finish opening
    await screenshot(page, 'desktop-apikey-shown');
    await page.getByRole('button', { name: '我已妥善保存' }).click();
    await expect.poll(() => page.getByRole('row').filter({ hasText: '12345 市民服务热线' }).innerText()).toContain('有效');

    const services = (await (await fetch(`${base}/open311/v2/services.json`)).json()) as { service_code: string; service_name: string }[];
    const code = services.find((s) => s.service_name === '暴露垃圾')!.service_code;
    const res = await fetch(`${base}/open311/v2/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ api_key: key, service_code: code, lat: '34.7579', long: '113.6654', description: '经热线转来：路灯不亮' }).toString(),
    });
    expect(res.status).toBe(200);
    const [created] = (await res.json()) as { service_request_id: string }[];
    expect(created.service_request_id).toMatch(/^WT/);
    await page.reload();
    await expect.poll(() => page.getByRole('row').filter({ hasText: '12345 市民服务热线' }).innerText()).toMatch(/\s1\s/);
    await page.locator('.ant-spin-blur').waitFor({ state: 'detached' });
    await screenshot(page, 'desktop-apikeys');
    await context.close();
  });
});
