import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, loginDesktop, newPage, PHONE, screenshot, serverAndBrowser } from './support.ts';

const DESKTOP_1366 = { viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' };

async function apiLogin(base: string, username: string) {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) });
  const cookie = (res.headers.get('set-cookie') ?? '').match(/cw_sid=[^;]+/)![0];
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const r = await fetch(`${base}${url}`, { method, headers: { cookie, 'x-csrf-token': csrfToken, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    expect(r.status, `${method} ${url}: ${text}`).toBe(200);
    return JSON.parse(text) as T;
  };
}

describe('问卷调查 admin: build, publish, a stratified round, answers by link and token, results', () => {
  const env = serverAndBrowser();

  it('an admin builds a questionnaire with rates, runs a stratified round; the results show n, exclusions, interval and the weighted figure', async () => {
    const base = env.server.url;
    const { page } = await newPage(env.browser, DESKTOP_1366);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await loginDesktop(page, base, 'admin');

    // build: a new questionnaire from the template, edited, previewed on a phone frame, published
    await page.goto(`${base}/surveys/questionnaires`);
    await page.getByTestId('new-questionnaire').click();
    await page.getByPlaceholder('如：市民文明素质与创建知晓率调查').fill('e2e 创建知晓率问卷');
    await page.getByTestId('save-questionnaire').click();
    await page.getByTestId('question-Q1').waitFor();
    await page.getByTestId('title-Q1').fill('您知道本市正在创建全国文明城市吗？（e2e）');
    const preview = page.frameLocator('[data-testid="phone-preview"]');
    await preview.getByText('您知道本市正在创建全国文明城市吗？（e2e）').waitFor();
    await page.getByTestId('rates-editor').waitFor();
    await screenshot(page, 'surveys-editor');
    await page.getByTestId('publish').click();
    await page.getByText('已发布的版本不可修改').waitFor();

    // a stratified round over the two districts (quotas, populations), created through the API the page calls
    const call = await apiLogin(base, 'admin');
    const qs = await call<{ id: string; name: string }[]>('GET', '/api/surveys/questionnaires');
    const q = await call<{ versions: { id: string; status: string }[] }>('GET', `/api/surveys/questionnaires/${qs.find((x) => x.name === 'e2e 创建知晓率问卷')!.id}`);
    const units = await call<{ id: string; name: string; kind: string }[]>('GET', '/api/org/units/tree');
    const districts = units.filter((u) => u.kind === 'district');
    const round = await call<{ id: string; slug: string }>('POST', '/api/surveys/rounds', {
      versionId: q.versions[0].id,
      name: 'e2e 第四季度调查',
      startsAt: new Date(Date.now() - 60_000).toISOString(),
      endsAt: new Date(Date.now() + 86_400_000).toISOString(),
      modes: ['public', 'token', 'enumerator'],
      strata: districts.map((d, i) => ({ label: d.name, areaUnitId: d.id, quota: 10, population: i === 0 ? 300_000 : 100_000 })),
    });
    await page.goto(`${base}/surveys/rounds/${round.id}`);
    await page.getByTestId('open-round').click();
    await page.getByText('进行中').first().waitFor();
    await page.getByTestId('issue-tokens').click();
    await page.getByTestId('token-list').waitFor();
    const token = (await page.getByTestId('token-list').locator('div[style*="monospace"]').first().innerText()).trim();
    await page.keyboard.press('Escape');

    // answers: the public link on a phone, then a household token
    const phone = await newPage(env.browser, PHONE);
    for (const [i, [district, know, sat]] of (
      [
        [0, '知道', '满意'],
        [0, '不知道', '一般'],
        [1, '不清楚', '比较满意'],
      ] as const
    ).entries()) {
      const ctx = i === 0 ? phone : await newPage(env.browser, PHONE);
      const url = i === 2 ? `${base}/s/${round.slug}?t=${token}` : `${base}/s/${round.slug}`;
      await ctx.page.goto(url);
      await ctx.page.getByRole('button', { name: districts[district].name }).click();
      await ctx.page.locator('[data-question="Q1"]').getByText(know, { exact: true }).click();
      await ctx.page.locator('[data-question="Q2"]').getByText(sat, { exact: true }).click();
      if (i === 0) await screenshot(ctx.page, 'phone-survey-filled');
      await ctx.page.getByRole('button', { name: '提交问卷' }).click();
      await ctx.page.getByTestId('survey-thanks').waitFor();
      await ctx.context.close();
    }

    // results: each rate with n, exclusions, interval, weighted figure beside the unweighted one
    await page.reload();
    const aware = page.getByTestId('rate-aware');
    await expect.poll(() => aware.innerText(), { timeout: 20_000 }).toContain('n = 3');
    const text = await aware.innerText();
    expect(text).toContain('分子 1');
    expect(text).toContain('95% 置信区间');
    expect(text).toMatch(/加权 \d+\.\d%/);
    expect(text).toContain('未加权 33.3%');
    expect(await page.getByTestId('layer-counts').innerText()).toContain('邀请码 1');
    await page.getByTestId('stratum-chart').locator('canvas').first().waitFor();
    await page.getByTestId('stratum-table').getByText('1 / 2').waitFor();
    await screenshot(page, 'surveys-results');
    expect(errors).toEqual([]);
  });

  it('the demo round page shows the trend across rounds and the quiz leaderboard its denominators', async () => {
    const base = env.server.url;
    const { page } = await newPage(env.browser, DESKTOP_1366);
    await loginDesktop(page, base, 'admin');
    await page.goto(`${base}/surveys/rounds`);
    await page.getByRole('link', { name: '2026年第四季度创建知晓率调查' }).click();
    await page.getByTestId('rate-satisfied').waitFor();
    await page.getByTestId('trend-chart').locator('canvas').first().waitFor();
    await screenshot(page, 'surveys-demo-round');
    await page.goto(`${base}/surveys/quizzes`);
    await page.getByRole('link', { name: '2026年度创文应知应会知识测试' }).click();
    await page.getByTestId('board-units').getByText(/\d+\/\d+人/).first().waitFor();
    await screenshot(page, 'surveys-quiz-board');
    await page.goto(`${base}/surveys/bank`);
    await page.getByText('应知应会题库（52 题）').waitFor();
  });
});
