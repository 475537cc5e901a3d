import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, newPage, PHONE, ROOT, screenshot, serverAndBrowser } from './support.ts';

const BUDGET = 150 * 1024;

/** The JavaScript a first visit to /s/… loads: the entry, its modulepreloads and their static imports. */
function publicPageJs(): { file: string; gzip: number }[] {
  const dist = path.join(ROOT, 'dist', 'web');
  const html = readFileSync(path.join(dist, 's', 'index.html'), 'utf8');
  const queue = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  const seen = new Set<string>();
  while (queue.length) {
    const f = queue.shift()!;
    if (seen.has(f)) continue;
    seen.add(f);
    const code = readFileSync(path.join(dist, f), 'utf8');
    // static imports only (`import … from "./x.js"`, `import "./x.js"`); dynamic import() chunks load later
    for (const m of code.matchAll(/(?:^|[;\s}])import\s*(?:[\w${},\s*]+from\s*)?["']\.\/([^"']+\.js)["']/g)) queue.push(`assets/${m[1]}`);
  }
  return [...seen].map((file) => ({ file, gzip: gzipSync(readFileSync(path.join(dist, file)), { level: 9 }).length }));
}

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

const MODEL = {
  title: '市民文明素质与创建知晓率调查',
  intro: '您好！为了解市民对文明城市创建工作的知晓和满意情况，请根据实际填写。本问卷匿名。',
  sections: [
    {
      id: 'A',
      title: '一、创建知晓',
      questions: [
        { id: 'Q1', type: 'single', title: '您知道本市正在创建全国文明城市吗？', options: [{ value: 'a', label: '知道', code: 'KNOW' }, { value: 'b', label: '不知道', code: 'DONT_KNOW' }] },
        { id: 'Q2', type: 'single', title: '您支持本市创建全国文明城市吗？', showIf: { question: 'Q1', anyOf: ['a'] }, options: [{ value: 'a', label: '支持', code: 'SUPPORT' }, { value: 'b', label: '不支持', code: 'OPPOSE' }] },
        { id: 'Q3', type: 'scale', title: '您对所在社区的环境卫生是否满意？', options: [{ value: 's5', label: '满意', code: 'SATISFIED' }, { value: 's4', label: '比较满意', code: 'FAIRLY_SATISFIED' }, { value: 's3', label: '一般', code: 'NEUTRAL' }, { value: 's2', label: '不太满意', code: 'FAIRLY_DISSATISFIED' }, { value: 's1', label: '不满意', code: 'DISSATISFIED' }] },
      ],
    },
  ],
  rates: [
    { id: 'aware', name: '知晓率', items: [{ question: 'Q1' }], numerator: ['KNOW'], target: 0.85 },
    { id: 'satisfied', name: '满意率', items: [{ question: 'Q3' }], numerator: ['SATISFIED', 'FAIRLY_SATISFIED'] },
  ],
};

describe('public survey page on a phone', () => {
  const env = serverAndBrowser();

  it('first load stays within 150 KB of gzipped JavaScript', () => {
    const files = publicPageJs();
    const total = files.reduce((t, f) => t + f.gzip, 0);
    console.info(`/s first-load JS: ${files.map((f) => `${f.file} ${(f.gzip / 1024).toFixed(1)} KB`).join(', ')}; total ${(total / 1024).toFixed(1)} KB gzip`);
    expect(files.length).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(BUDGET);
  });

  it('answers through the public link and a token at phone size; a surveyor offline syncs exactly once; first question < 1 s on throttled 4G', async () => {
    const base = env.server.url;
    const call = await apiLogin(base, 'admin');
    const units = await call<{ id: string; name: string; kind: string }[]>('GET', '/api/org/units/tree');
    const districts = units.filter((u) => u.kind === 'district').slice(0, 2);
    const q = await call<{ versions: { id: string; version: number }[] }>('POST', '/api/surveys/questionnaires', { name: 'e2e 知晓率', model: MODEL });
    await call('POST', `/api/surveys/versions/${q.versions[0].id}/publish`, { version: q.versions[0].version });
    const created = await call<{ id: string; slug: string; version: number }>('POST', '/api/surveys/rounds', {
      versionId: q.versions[0].id,
      name: 'e2e 轮次',
      startsAt: new Date(Date.now() - 60_000).toISOString(),
      endsAt: new Date(Date.now() + 86_400_000).toISOString(),
      modes: ['public', 'token', 'enumerator'],
      strata: districts.map((d) => ({ label: d.name, areaUnitId: d.id, quota: 50, population: 100_000 })),
    });
    const round = await call<{ id: string; slug: string }>('POST', `/api/surveys/rounds/${created.id}/open`, { version: created.version });
    const [token] = await call<{ token: string }[]>('POST', `/api/surveys/rounds/${round.id}/tokens`, { count: 2 });

    // throttled first visit: DevTools "Fast 4G" (165 ms RTT, 9 Mbps × 0.9 down) and a 4× slower CPU
    {
      const { context, page } = await newPage(env.browser, PHONE);
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 165, downloadThroughput: (9 * 1024 * 1024 * 0.9) / 8, uploadThroughput: (1.5 * 1024 * 1024 * 0.9) / 8 });
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      await page.addInitScript(() => {
        new MutationObserver((_, obs) => {
          if (document.querySelector('[data-question]')) {
            (window as unknown as { __firstQuestion: number }).__firstQuestion = performance.now();
            obs.disconnect();
          }
        }).observe(document, { childList: true, subtree: true });
      });
      await page.goto(`${base}/s/${round.slug}`);
      await page.locator('[data-question]').first().waitFor();
      const ms = await page.evaluate(() => (window as unknown as { __firstQuestion: number }).__firstQuestion);
      console.info(`/s first question rendered at ${ms.toFixed(0)} ms (Fast 4G, CPU ×4)`);
      expect(ms).toBeLessThan(1000);
      await context.close();
    }

    // the public link at phone size
    const { context, page } = await newPage(env.browser, PHONE);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/s/${round.slug}`);
    await page.getByText('您知道本市正在创建全国文明城市吗？').waitFor();
    await screenshot(page, 'phone-survey-empty');
    // Q2 appears only after 知道
    expect(await page.getByText('您支持本市创建全国文明城市吗？').count()).toBe(0);
    await page.getByRole('button', { name: '提交问卷' }).click();
    await page.getByText('请选择您所在的区域').waitFor();
    await page.getByRole('button', { name: districts[0].name }).click();
    await page.locator('[data-question="Q1"]').getByText('知道', { exact: true }).click();
    await page.getByText('您支持本市创建全国文明城市吗？').waitFor();
    await page.getByRole('button', { name: '提交问卷' }).click();
    await page.getByText('请回答第 Q2 题（您支持本市创建全国文明城市吗？）').waitFor();
    await screenshot(page, 'phone-survey-errors');
    await page.locator('[data-question="Q2"]').getByText('支持', { exact: true }).click();
    await page.locator('[data-question="Q3"]').getByText('比较满意').click();
    await page.getByRole('button', { name: '提交问卷' }).click();
    await page.getByTestId('survey-thanks').waitFor();
    await screenshot(page, 'phone-survey-thanks');
    // the same phone again: the thanks page, not a second form
    await page.reload();
    await page.getByTestId('survey-thanks').waitFor();
    expect(errors).toEqual([]);
    await context.close();

    // a household token from a printed card (?t=…)
    {
      const { context, page } = await newPage(env.browser, PHONE);
      await page.goto(`${base}/s/${round.slug}?t=${token.token}`);
      await page.getByRole('button', { name: districts[1].name }).click();
      await page.locator('[data-question="Q1"]').getByText('不知道').click();
      await page.locator('[data-question="Q3"]').getByText('一般').click();
      await page.getByRole('button', { name: '提交问卷' }).click();
      await page.getByTestId('survey-thanks').waitFor();
      await context.close();
    }

    // a surveyor's phone, offline: the answer waits in the phone and is sent once when back online
    {
      const { context, page } = await newPage(env.browser, PHONE);
      await page.goto(`${base}/h5`);
      await page.getByLabel('用户名或手机号').fill('wangge');
      await page.getByLabel('密码').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: /登\s*录/ }).click();
      await page.getByTestId('h5-greeting').waitFor();
      await page.goto(`${base}/s/${round.slug}?surveyor=1`);
      await page.getByText('调查员代填 ·').waitFor();
      await context.setOffline(true);
      await page.getByPlaceholder('如：幸福里小区3栋2单元').fill('幸福里小区3栋');
      await page.getByRole('button', { name: districts[1].name }).click();
      await page.locator('[data-question="Q1"]').getByText('知道', { exact: true }).click();
      await page.locator('[data-question="Q2"]').getByText('支持', { exact: true }).click();
      await page.locator('[data-question="Q3"]').getByText('满意', { exact: true }).click();
      await page.getByRole('button', { name: '保存本份答卷' }).click();
      await expect.poll(() => page.getByTestId('survey-sync').innerText()).toContain('待同步 1 份');
      await screenshot(page, 'phone-survey-surveyor-offline');
      await context.setOffline(false);
      // back online: the page sends the queue by itself (the 'online' event), once
      await expect.poll(() => page.getByTestId('survey-sync').innerText(), { timeout: 40_000 }).toContain('待同步 0 份');
      expect(await page.getByTestId('survey-sync').innerText()).toContain('本机已提交 1 份');
      await context.close();
    }

    const results = await call<{ responses: number; byMode: Record<string, number> }>('GET', `/api/surveys/rounds/${round.id}/results`);
    expect(results.responses).toBe(3);
    expect(results.byMode).toEqual({ public: 1, token: 1, enumerator_household: 1 });
  });

  it('a quiz on a phone: name and unit, answers against the clock, score and explanations', async () => {
    const base = env.server.url;
    const call = await apiLogin(base, 'admin');
    const units = await call<{ id: string; name: string; kind: string }[]>('GET', '/api/org/units/tree');
    const unit = units.find((u) => u.kind === 'community')!;
    const bank = await call<{ id: string; answer: string[] }[]>('POST', '/api/quizzes/bank', {
      questions: [
        { category: 'e2e价值观', type: 'single', stem: '社会主义核心价值观中，国家层面的价值目标是', options: [{ value: 'A', label: '富强、民主、文明、和谐' }, { value: 'B', label: '自由、平等、公正、法治' }, { value: 'C', label: '爱国、敬业、诚信、友善' }], answer: ['A'], explanation: '国家层面：富强、民主、文明、和谐。', source: '党的十八大报告' },
        { category: 'e2e价值观', type: 'multiple', stem: '志愿服务精神包括', options: [{ value: 'A', label: '奉献' }, { value: 'B', label: '友爱' }, { value: 'C', label: '互助' }, { value: 'D', label: '竞争' }], answer: ['A', 'B', 'C'], explanation: '志愿服务精神：奉献、友爱、互助、进步。', source: '《志愿服务条例》' },
        { category: 'e2e价值观', type: 'truefalse', stem: '全国文明城市每三年评选表彰一次', options: [{ value: 'A', label: '正确' }, { value: 'B', label: '错误' }], answer: ['A'], explanation: '全国文明城市每三年评选一次。', source: '中央文明委' },
      ],
    });
    const quiz = await call<{ id: string; slug: string }>('POST', '/api/quizzes', {
      name: '创文应知应会（e2e）',
      mode: 'fixed',
      fixedQuestionIds: bank.map((b) => b.id),
      timeLimitMin: 5,
      pointsPerQuestion: 10,
      scoring: 'partial',
      startsAt: new Date(Date.now() - 60_000).toISOString(),
      endsAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    await call('PUT', `/api/quizzes/${quiz.id}/rosters/${unit.id}`, { size: 20 });
    const { context, page } = await newPage(env.browser, PHONE);
    await page.goto(`${base}/s/q/${quiz.slug}`);
    await page.getByText('共 3 题，满分 30 分').waitFor();
    await page.locator('input.s-input').first().fill('陈文明');
    await page.locator('select').selectOption(unit.id);
    await screenshot(page, 'phone-quiz-start');
    await page.getByRole('button', { name: '开始答题' }).click();
    await page.getByTestId('quiz-timer').waitFor();
    await page.getByText('富强、民主、文明、和谐').click();
    await page.getByText('奉献').click();
    await page.getByText('友爱').click();
    await page.getByText('正确', { exact: true }).click();
    await screenshot(page, 'phone-quiz-paper');
    await page.getByRole('button', { name: /交卷/ }).click();
    await page.getByTestId('quiz-result').waitFor();
    // partial credit: 2 of 3 right options → floor(10 × 2/3) = 6
    expect(await page.getByTestId('quiz-result').innerText()).toContain('26');
    await page.getByText('解析：志愿服务精神：奉献、友爱、互助、进步。').waitFor();
    await screenshot(page, 'phone-quiz-result');
    await context.close();
    const lb = await call<{ units: { unitId: string; participants: number; roster: number }[] }>('GET', `/api/quizzes/${quiz.id}/leaderboard`);
    expect(lb.units.find((u) => u.unitId === unit.id)).toMatchObject({ participants: 1, roster: 20 });
  });
});
