import { describe, expect, it } from 'vitest';
import { DESKTOP, loginDesktop, newPage, PHONE, screenshot, serverAndBrowser } from './support.ts';

/** Every admin page, opened as the city admin, on a desk and on a phone: it renders, shows its data, and raises no error. */
const PAGES: { path: string; name: string; expect: string }[] = [
  { path: '/', name: 'workbench', expect: '组织概况' },
  { path: '/org/units', name: 'units', expect: '组织树' },
  { path: '/org/grids', name: 'grids', expect: '朝阳社区第一网格' },
  { path: '/org/zones', name: 'zones', expect: 'ZRQ-01' },
  { path: '/org/points', name: 'points', expect: '人民广场' },
  { path: '/org/sponsorships', name: 'sponsorships', expect: '市教育局' },
  { path: '/system/users', name: 'users', expect: 'qu_admin' },
  { path: '/system/roles', name: 'roles', expect: '市创文办管理员' },
  { path: '/system/audit', name: 'audit', expect: '初始化演示数据' },
  { path: '/issues', name: 'issues', expect: 'WT2026' },
  { path: '/issues/categories', name: 'issue-categories', expect: '暴露垃圾' },
  { path: '/issues/supervision', name: 'supervision', expect: '创文督' },
  { path: '/issues/metrics', name: 'issue-metrics', expect: '结案率' },
  { path: '/indicators/systems', name: 'indicator-systems', expect: '未成年人' },
  { path: '/indicators/tasks', name: 'tasks', expect: '市城市管理局' },
  { path: '/surveys/rounds', name: 'survey-rounds', expect: '2026年第三季度创建知晓率调查' },
  { path: '/surveys/questionnaires', name: 'questionnaires', expect: '市民文明素质与创建知晓率调查' },
  { path: '/surveys/quizzes', name: 'quizzes', expect: '2026年度创文应知应会知识测试' },
  { path: '/surveys/bank', name: 'quiz-bank', expect: '应知应会题库（52 题）' },
  { path: '/volunteers', name: 'volunteers', expect: 'ZY000' },
  { path: '/volunteers/teams', name: 'volunteer-teams', expect: '朝阳社区平安志愿服务队' },
  { path: '/volunteers/stations', name: 'volunteer-stations', expect: '朝阳社区学雷锋志愿服务站' },
  { path: '/volunteers/activities', name: 'volunteer-activities', expect: '招募中' },
  { path: '/volunteers/records', name: 'volunteer-records', expect: '签到记录' },
  { path: '/volunteers/certificates', name: 'volunteer-certificates', expect: 'ZYZM' },
  { path: '/volunteers/ratio', name: 'volunteer-ratio', expect: '文明区' },
];

describe('every page renders', () => {
  const env = serverAndBrowser();

  for (const [device, opts] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    it(`as admin on the ${device}`, async () => {
      const { context, page } = await newPage(env.browser, opts);
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('response', (r) => {
        if (r.url().includes('/api/') && r.status() >= 500) errors.push(`${r.status()} ${r.url()}`);
      });
      await loginDesktop(page, env.server.url, 'admin');
      for (const p of PAGES) {
        await page.goto(`${env.server.url}${p.path}`);
        await page.getByText(p.expect, { exact: false }).first().waitFor();
        // on a phone the map is a second tab; on a desk it stands beside the table
        if (p.name === 'points' && device === 'desktop') await expect.poll(() => page.locator('path.cw-point-marker').count()).toBe(86);
        await page.waitForTimeout(400);
        await screenshot(page, `${device}-${p.name}`);
      }
      expect(errors).toEqual([]);
      await context.close();
    });
  }
});

describe('every edit drawer opens and validates', () => {
  const env = serverAndBrowser();

  it('shows required-field errors instead of saving an empty form', async () => {
    const { context, page } = await newPage(env.browser, DESKTOP);
    await loginDesktop(page, env.server.url, 'admin');
    for (const [path, button, save] of [
      ['/org/points', '新增点位', 'point-save'],
      ['/org/grids', '新增网格', 'grid-save'],
      ['/org/zones', '新增责任区', 'zone-save'],
      ['/system/roles', '新增角色', 'role-save'],
      ['/system/users', '新增用户', 'user-save'],
      ['/surveys/questionnaires', '新建问卷', 'save-questionnaire'],
      ['/surveys/rounds', '新建调查轮次', 'save-round'],
      ['/volunteers', '登记志愿者', 'volunteer-save'],
      ['/volunteers/teams', '新建志愿队', 'team-save'],
      ['/volunteers/activities', '发布活动', 'activity-save'],
    ]) {
      await page.goto(`${env.server.url}${path}`);
      await page.getByRole('button', { name: button }).click();
      await page.getByTestId(save).click();
      await expect.poll(() => page.locator('.ant-drawer .ant-form-item-explain-error').count()).toBeGreaterThan(0);
      await screenshot(page, `desktop-drawer-${save}`);
    }
    await context.close();
  });
});
