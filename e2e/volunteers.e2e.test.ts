import { describe, expect, it } from 'vitest';
import { gb11643CheckChar } from '../domain/id-number.ts';
import { DEMO_PASSWORD, loginDesktop, newPage, PHONE, screenshot, serverAndBrowser } from './support.ts';

/** A session of a demo user over plain HTTP, for the set-up the test is not about. */
async function apiLogin(base: string, username: string) {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) });
  expect(res.status).toBe(200);
  const cookie = (res.headers.get('set-cookie') ?? '').match(/cw_sid=[^;]+/)![0];
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const r = await fetch(`${base}${url}`, { method, headers: { cookie, 'x-csrf-token': csrfToken, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    expect(r.status, `${method} ${url}: ${text}`).toBe(200);
    return JSON.parse(text) as T;
  };
}

const ADMIN_SCREEN = { viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' };
const PLACE = { longitude: 113.6654, latitude: 34.7579 };

describe('志愿服务: the citizen path on a phone, the organiser and the admin', () => {
  const env = serverAndBrowser();

  it('register → join a team → sign up → check in by the rotating QR → check out by the code → hours approved → certificate → public verification', async () => {
    const base = env.server.url;
    const admin = await apiLogin(base, 'admin');
    const danwei = await apiLogin(base, 'danwei');
    const [street] = await admin<{ id: string }[]>('GET', `/api/org/units/options?q=${encodeURIComponent('新华街道')}`);
    const users = await admin<{ items: { id: string; username: string }[] }>('GET', '/api/users?q=danwei');
    const danweiId = users.items.find((u) => u.username === 'danwei')!.id;
    const team = await admin<{ id: string }>('POST', '/api/volunteer-teams', { name: '新华街道青年志愿服务队（测试）', kind: '青年志愿服务队', unitId: street.id, adminUserIds: [danweiId] });
    const now = Date.now();
    const activity = await danwei<{ id: string }>('POST', '/api/volunteer-activities', {
      teamId: team.id,
      title: '朝阳社区关爱空巢老人上门服务',
      content: '为空巢老人打扫卫生、测量血压、陪伴聊天。注意上下楼安全。',
      themes: ['关爱空巢老人'],
      startsAt: new Date(now - 10 * 60_000).toISOString(),
      endsAt: new Date(now + 2 * 3_600_000).toISOString(),
      signupDeadline: new Date(now + 3_600_000).toISOString(),
      lng: PLACE.longitude,
      lat: PLACE.latitude,
      address: '朝阳社区党群服务中心',
      radiusM: 300,
      capacity: 10,
    });

    // the citizen's phone, at the activity's place
    const { page, context } = await newPage(env.browser, { ...PHONE, geolocation: PLACE, permissions: ['geolocation'] });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/h5/v`);
    await page.getByTestId('go-register').click();
    await page.getByTestId('reg-name').fill('王志愿');
    // a wrong check digit is refused by the server, naming the field
    const first17 = '99010219900615123';
    const bad = first17 + (gb11643CheckChar(first17) === '0' ? '1' : '0');
    await page.getByTestId('reg-id').fill(bad);
    await page.getByTestId('reg-phone').fill('13987654321');
    await page.getByTestId('reg-community').click();
    await page.keyboard.type('朝阳');
    await page.keyboard.press('Enter');
    await page.getByTestId('reg-consent').check();
    await page.getByTestId('reg-submit').click();
    await page.getByTestId('reg-error').getByText('证件号码：证件号码校验位不正确，请核对').waitFor();
    await screenshot(page, 'phone-volunteer-register-error');
    await page.getByTestId('reg-id').fill(first17 + gb11643CheckChar(first17));
    await page.getByTestId('reg-submit').click();
    await page.getByText('王志愿，您好').waitFor();
    await screenshot(page, 'phone-volunteer-home');

    // join the team
    await page.getByRole('tab', { name: '志愿队' }).click();
    const teamRow = page.getByTestId('team-item').filter({ hasText: '新华街道青年志愿服务队（测试）' });
    await teamRow.getByRole('button', { name: '申请加入' }).click();
    await teamRow.getByText('待审批').waitFor();

    // the team's approval on the admin pages (qu_admin manages 文明区)
    const desk = await newPage(env.browser, ADMIN_SCREEN);
    await loginDesktop(desk.page, base, 'qu_admin');
    await desk.page.goto(`${base}/volunteers/teams`);
    await desk.page.getByRole('row').filter({ hasText: '新华街道青年志愿服务队（测试）' }).getByTestId('team-members').click();
    await desk.page.getByTestId('member-approve').click();
    await desk.page.getByText('已同意入队').waitFor();
    await screenshot(desk.page, 'admin-volunteer-team-members');

    await page.reload();
    await page.getByRole('tab', { name: '志愿队' }).click();
    await page.getByTestId('team-item').filter({ hasText: '新华街道青年志愿服务队（测试）' }).getByText('已加入').waitFor();

    // sign up
    await page.getByRole('tab', { name: '活动' }).click();
    await page.getByTestId('activity-item').filter({ hasText: '朝阳社区关爱空巢老人上门服务' }).click();
    await page.getByTestId('signup').click();
    await page.getByTestId('my-state').getByText('已报名').waitFor();

    // the organiser's phone shows the rotating code and the live attendance
    const org = await newPage(env.browser, PHONE);
    await org.page.goto(`${base}/h5`);
    await org.page.getByLabel('用户名或手机号').fill('danwei');
    await org.page.getByLabel('密码').fill(DEMO_PASSWORD);
    await org.page.getByRole('button', { name: /登\s*录/ }).click();
    await org.page.getByTestId('h5-greeting').waitFor();
    await org.page.getByTestId('h5-organiser-activity').filter({ hasText: '朝阳社区关爱空巢老人上门服务' }).click();
    await org.page.getByTestId('organiser-qr').locator('svg').waitFor();
    const shownCode = await org.page.getByTestId('organiser-code').innerText();
    expect(shownCode).toMatch(/^\d{6}$/);

    // the volunteer's camera opens the QR's URL: check-in with the signed token and the phone's position
    const qr = await danwei<{ url: string; code: string }>('GET', `/api/volunteer-activities/${activity.id}/checkin-code`);
    expect(qr.url.startsWith(`${base}/h5/v/checkin?a=${activity.id}&t=`)).toBe(true);
    await page.goto(qr.url);
    await page.getByTestId('scan-result').getByText(/^签到成功/).waitFor();
    await screenshot(page, 'phone-volunteer-checkin');
    // scanning the same code again is a replay
    await page.goto(qr.url);
    await page.getByTestId('scan-result').getByText(/已使用过/).waitFor();
    await org.page.getByTestId('organiser-attendance').getByText(/已签到/).waitFor({ timeout: 15_000 });
    await screenshot(org.page, 'phone-organiser-code');

    // check-out with the next 6-digit code, once the code has rotated
    await expect.poll(() => org.page.getByTestId('organiser-code').innerText(), { timeout: 45_000, interval: 1000 }).not.toBe(shownCode);
    const nextCode = await org.page.getByTestId('organiser-code').innerText();
    await page.goto(`${base}/h5/v/activities/${activity.id}`);
    await page.getByTestId('checkin-code').fill(nextCode);
    await page.getByTestId('checkin-submit').click();
    await page.getByTestId('checkin-result').getByText(/^签退成功，本次服务 [\d.]+ 小时，待审核$/).waitFor();

    // the hours wait for approval in the review queue
    await desk.page.goto(`${base}/volunteers/records`);
    const rec = desk.page.getByRole('row').filter({ hasText: '王志愿' });
    await rec.getByText('待审核').waitFor();
    await screenshot(desk.page, 'admin-volunteer-records');
    await rec.getByTestId('record-approve').click();
    await desk.page.getByText('已通过').first().waitFor();

    // a 补录 for the time before the volunteer scanned (from the paper sign-in sheet), approved by another admin
    const qu = await apiLogin(base, 'qu_admin');
    const me = await qu<{ items: { id: string }[] }>('GET', `/api/volunteers?q=${encodeURIComponent('王志愿')}`);
    const manual = await qu<{ id: string; version: number }>('POST', '/api/volunteer-records', {
      volunteerId: me.items[0].id,
      activityId: activity.id,
      minutes: 60,
      source: '纸质签到表',
      reason: '到场后先行服务，签到晚于实际到达',
    });
    await admin('POST', `/api/volunteer-records/${manual.id}/decide`, { action: 'approve', version: manual.version });

    // the certificate, and its public verification
    await page.goto(`${base}/h5/v`);
    await page.getByRole('tab', { name: '证明' }).click();
    await page.getByTestId('issue-cert').click();
    await page.getByTestId('cert-item').waitFor();
    await screenshot(page, 'phone-volunteer-certificates');
    const verifyHref = await page.getByTestId('cert-item').first().locator('a').getAttribute('href');
    const anon = await newPage(env.browser, PHONE);
    await anon.page.goto(`${base}${verifyHref}`);
    await anon.page.getByTestId('verify-ok').waitFor();
    await anon.page.getByText('王志愿').waitFor();
    expect(await anon.page.locator('body').innerText()).not.toContain(first17);
    await screenshot(anon.page, 'phone-certificate-verify');

    // admin pages at 1366×768
    for (const [path, name, text] of [
      ['/volunteers', 'admin-volunteers', '王志愿'],
      ['/volunteers/activities', 'admin-volunteer-activities', '朝阳社区关爱空巢老人上门服务'],
      ['/volunteers/certificates', 'admin-volunteer-certificates', '王志愿'],
      ['/volunteers/ratio', 'admin-volunteer-ratio', '新华街道'],
    ] as const) {
      await desk.page.goto(`${base}${path}`);
      await desk.page.getByText(text).first().waitFor();
      await screenshot(desk.page, name);
    }
    expect(errors).toEqual([]);
    await Promise.all([context.close(), desk.context.close(), org.context.close(), anon.context.close()]);
  }, 240_000);
});
