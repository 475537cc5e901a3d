import JSZip from 'jszip';
import type { Page } from 'playwright-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { jpegWithExif } from '../server/modules/files/files.fixtures.ts';
import { FIXTURE_STANDARDS, fixtureSystemWorkbook, layoutBad, layoutMerged, type TaskTableFixture } from '../server/test/task-table-fixtures.ts';
import { DEMO_PASSWORD, loginDesktop, newPage, PHONE, screenshot, serverAndBrowser } from './support.ts';

/** expect.poll with room for a busy machine (the default gives up after one second) */
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 20_000, interval: 200 });
const MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const SYSTEM = 'E2E 测评体系';

/** Picks an option of the antd Select with the given test id. */
async function choose(page: Page, testId: string, option: string | RegExp) {
  await page.getByTestId(testId).click();
  const item = page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first();
  await item.waitFor();
  await page.waitForTimeout(300); // the dropdown slides in; a click during the animation can miss
  await item.click();
  await page.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' });
}

describe('测评任务 in the browser', () => {
  const env = serverAndBrowser();
  let page: Page;
  let bad: TaskTableFixture;
  let good: TaskTableFixture;
  beforeAll(async () => {
    ({ page } = await newPage(env.browser));
    await loginDesktop(page, env.server.url, 'admin');
    [bad, good] = await Promise.all([layoutBad(), layoutMerged()]);
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') await screenshot(page, `failed-indicators-${ctx.task.name.slice(0, 20)}`);
  });

  it('creates a system, imports its tree from Excel, searches it and opens a node', async () => {
    await page.goto(`${env.server.url}/indicators/systems`);
    await page.getByTestId('system-create').click();
    const drawer = page.locator('.ant-drawer', { hasText: '新建测评体系' });
    await drawer.getByLabel('体系名称').fill(SYSTEM);
    await drawer.getByLabel('年度').fill('2027');
    await drawer.getByRole('button', { name: /保\s*存/ }).click();
    const row = page.getByTestId('systems-table').locator('.ant-table-row', { hasText: SYSTEM });
    await row.waitFor();
    await row.getByRole('button', { name: /导\s*入/ }).click();
    const dialog = page.locator('.ant-modal', { hasText: `从 Excel 导入「${SYSTEM}」` });
    await dialog.locator('input[type=file]').setInputFiles({ name: '测评体系.xlsx', mimeType: MIME, buffer: await fixtureSystemWorkbook() });
    await dialog.getByText(`测评标准 ${FIXTURE_STANDARDS.length} 个`).waitFor();
    await dialog.getByTestId('system-import-commit').click();
    await dialog.waitFor({ state: 'hidden' });
    await poll(() => row.innerText()).toContain(`4 / 8 / ${FIXTURE_STANDARDS.length}`);
    // activate it: the pages open the latest active system first
    await row.getByTestId('system-status').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '启用' }).click();
    await page.getByText(`「${SYSTEM}」已启用`).waitFor();
    await row.click();

    const tree = page.getByTestId('indicator-tree');
    await poll(() => tree.getByText('Ⅲ-1-1', { exact: true }).count()).toBe(1);
    await page.getByTestId('tree-search').locator('input').fill('公益广告');
    await page.getByTestId('tree-search').locator('input').press('Enter');
    await poll(() => page.getByTestId('tree-search-count').innerText()).toBe('「公益广告」找到 2 个节点');
    expect(await tree.locator('mark').count()).toBe(2);
    await screenshot(page, 'desktop-indicators-tree-search');
    await tree.getByText('Ⅰ-1-2', { exact: true }).click();
    const node = page.locator('.ant-drawer', { hasText: '测评标准 Ⅰ-1-2' });
    await node.getByTestId('node-text').waitFor();
    expect(await node.getByTestId('node-text').inputValue()).toBe(FIXTURE_STANDARDS[1].standard);
    // edit: the change is saved and kept in the node's history
    const edited = `${FIXTURE_STANDARDS[1].materials}、月度刊播统计表`;
    await node.getByTestId('node-materials').fill(edited);
    await node.getByTestId('node-save').click();
    await node.waitFor({ state: 'hidden' });
    await tree.getByText('Ⅰ-1-2', { exact: true }).click();
    await poll(() => node.getByTestId('node-materials').inputValue()).toBe(edited);
    await poll(() => node.getByTestId('node-history').innerText()).toContain('修改');
    expect(await node.getByTestId('node-history').innerText()).toContain('月度刊播统计表');
    await page.waitForTimeout(500); // the drawer slides in
    await screenshot(page, 'desktop-indicators-node-history');
    await node.getByRole('button', { name: /取\s*消/ }).click();
    await node.waitFor({ state: 'hidden' });
    // copy into the next edition of the same year: a draft, so the active first edition stays the default
    await page.getByTestId('tree-search').locator('input').fill('');
    await row.getByTestId('system-copy').click();
    const copy = page.locator('.ant-modal', { hasText: '为新版本' });
    await copy.getByLabel('年度').fill('2027');
    await copy.locator('#copy-ok').click();
    await page.getByText('已复制为第 2 版').waitFor();
    await poll(() => page.getByTestId('systems-table').locator('.ant-table-row', { hasText: '第 2 版' }).innerText()).toContain(`4 / 8 / ${FIXTURE_STANDARDS.length}`);
  });

  it('import wizard: a file with problems is blocked and shows them by row and column; a clean one commits', async () => {
    await page.goto(`${env.server.url}/indicators/tasks/import`);
    await poll(() => page.getByTestId('system-select').innerText()).toContain(SYSTEM);

    // not an Excel file: the server's message
    await page.getByTestId('task-import-upload').locator('input[type=file]').setInputFiles({ name: '任务.csv', mimeType: 'text/csv', buffer: Buffer.from('序号,测评项目\n1,公正的法治环境\n') });
    await poll(() => page.getByTestId('import-failure').innerText()).toContain('.xlsx');
    await page.getByTestId('import-reset').click();

    // too large: refused by the server before anything is read
    await page.getByTestId('task-import-upload').locator('input[type=file]').setInputFiles({ name: '超大.xlsx', mimeType: MIME, buffer: Buffer.alloc(21 * 1024 * 1024, 0x50) });
    await poll(() => page.getByTestId('import-failure').innerText()).toContain('文件过大');
    await page.getByTestId('import-reset').click();

    // the bad one: 测评标准 is under a name the importer does not know
    await page.getByTestId('task-import-upload').locator('input[type=file]').setInputFiles({ name: bad.fileName, mimeType: MIME, buffer: bad.buffer });
    await poll(() => page.getByTestId('mapping-problems').innerText()).toContain('测评标准');
    expect(await page.getByTestId('import-commit').isDisabled()).toBe(true);
    await screenshot(page, 'desktop-task-import-mapping');
    // fix the mapping: column D is the 测评标准
    await choose(page, 'map-select-D', /^测评标准/);
    await page.getByTestId('mapping-problems').waitFor({ state: 'detached' });
    await poll(() => page.getByTestId('import-header-row').innerText()).toContain(`表头在第 ${bad.expected.headerRow} 行`);
    const preview = page.getByTestId('import-preview');
    for (const p of bad.expected.problems) {
      if (p.kind === 'standard_not_found') continue;
      await preview.getByText(new RegExp(`^第 ${p.row} 行 ${p.column} 列（`)).first().waitFor();
    }
    // every unknown unit offers the real one among the closest three
    for (const p of bad.expected.problems.filter((q) => q.kind === 'unknown_unit')) {
      const line = preview.locator('.ant-table-row', { has: page.getByText(`未找到单位「${p.text}」`) });
      expect(await line.getByTestId('unit-candidate').allInnerTexts()).toContain(p.closest);
    }
    // standards not in the system are problems of the row (createNodes is off)
    for (const p of bad.expected.problems.filter((q) => q.kind === 'standard_not_found')) {
      expect(await preview.locator(`[data-problem="${p.row}-standard"]`).count()).toBe(1);
    }
    await poll(async () => Number(await page.getByTestId('import-invalid').locator('.ant-statistic-content-value').innerText())).toBe(bad.expected.problemRows.length);
    expect(await page.getByTestId('import-commit').isDisabled()).toBe(true);
    await screenshot(page, 'desktop-task-import-problems');

    // the clean one commits, all rows
    await page.getByTestId('import-reset').click();
    await page.getByTestId('task-import-upload').locator('input[type=file]').setInputFiles({ name: good.fileName, mimeType: MIME, buffer: good.buffer });
    await poll(() => page.getByTestId('import-header-row').innerText()).toContain(`表头在第 ${good.expected.headerRow} 行`);
    await poll(() => page.getByTestId('import-commit').isDisabled()).toBe(false);
    await screenshot(page, 'desktop-task-import-clean');
    await page.getByTestId('import-commit').click();
    await poll(() => page.getByTestId('import-result').innerText()).toContain(`已导入 ${good.expected.rowCount} 项任务`);
    await screenshot(page, 'desktop-task-import-done');
  });

  it('task table: the imported tasks, filters, and a 目标责任书 as Word', async () => {
    await page.goto(`${env.server.url}/indicators/tasks`);
    await poll(() => page.getByTestId('system-select').innerText()).toContain(SYSTEM);
    const table = page.getByTestId('tasks-card');
    await poll(() => table.locator('.ant-pagination-total-text').innerText()).toBe(`共 ${good.expected.rowCount} 项任务`);
    await choose(page, 'filter-phase', '迎接检查');
    const inspect = good.expected.tasks.filter((t) => t.phase === 'inspect').length;
    await poll(() => table.locator('.ant-pagination-total-text').innerText()).toBe(`共 ${inspect} 项任务`);
    await screenshot(page, 'desktop-tasks-table');
    // edit a task: a new deadline as the office writes it, and a phase
    await table.getByText('Ⅲ-1-2', { exact: true }).click();
    await page.getByTestId('task-edit').click();
    const edit = page.locator('.ant-drawer', { hasText: '编辑任务 Ⅲ-1-2' });
    await edit.getByTestId('task-deadline').fill('2027年6月底');
    await edit.getByTestId('task-save').click();
    await edit.waitFor({ state: 'hidden' });
    await poll(() => page.getByTestId('task-drawer').innerText()).toContain('2027年6月底');
    await page.getByTestId('task-drawer').locator('.ant-drawer-close').first().click();
    await poll(() => table.locator('.ant-table-row', { hasText: 'Ⅲ-1-2' }).innerText()).toContain('2027年6月底');

    await page.getByTestId('letters-open').click();
    const letters = page.getByTestId('letters-table');
    const unit = '市城市管理局';
    const line = letters.locator('.ant-table-row', { hasText: unit }).first();
    await line.waitFor();
    expect(await line.innerText()).toContain(String(good.expected.tasksPerUnit[unit].any));
    const [download] = await Promise.all([page.waitForEvent('download'), line.getByTestId('letter-download').click()]);
    const path = await download.path();
    const { readFileSync } = await import('node:fs');
    const zip = await JSZip.loadAsync(readFileSync(path));
    const xml = (await zip.file('word/document.xml')?.async('string')) ?? '';
    expect(xml).toContain(unit);
    expect(xml).toContain('目标责任书');
    await screenshot(page, 'desktop-tasks-letters');
    // record the signed scan
    await line.getByTestId('letter-sign').click();
    const sign = page.locator('.ant-modal', { hasText: `${unit} · 记录签订` });
    await sign.locator('.ant-picker input').fill('2026年3月1日');
    await sign.locator('.ant-picker input').press('Enter');
    await sign.locator('input[type=file]').setInputFiles({ name: '责任书扫描件.jpg', mimeType: 'image/jpeg', buffer: await jpegWithExif({}, 800, 1100) });
    await poll(() => sign.locator('.ant-upload-list-item-done').count()).toBe(1);
    await sign.getByRole('button', { name: /保\s*存/ }).click();
    await poll(() => line.innerText()).toContain('已签订 2026-03-01');
  });

  it('progress: the admin sees the roll-up by unit and drills into a unit', async () => {
    await page.goto(`${env.server.url}/indicators/progress`);
    await poll(() => page.getByTestId('system-select').innerText()).toContain(SYSTEM);
    const rollup = page.getByTestId('rollup-table');
    await rollup.locator('.ant-table-row', { hasText: '市城市管理局' }).first().click();
    await poll(() => page.getByTestId('rollup-drill').locator('.ant-pagination-total-text').innerText()).toBe(`共 ${good.expected.tasksPerUnit['市城市管理局'].any} 项`);
    await screenshot(page, 'desktop-progress-by-unit');
  });

  it('danwei sees 本单位任务 on the desktop and opens one with its report form', async () => {
    const { context, page: desk } = await newPage(env.browser);
    try {
      await loginDesktop(desk, env.server.url, 'danwei');
      await desk.goto(`${env.server.url}/indicators/progress`);
      const mine = desk.getByTestId('my-tasks');
      await poll(() => desk.locator('.ant-tabs-tab-active').innerText()).toBe('本单位任务');
      await poll(() => mine.locator('.ant-table-row').count()).toBe(good.expected.tasksPerUnit['市城市管理局'].any);
      await mine.locator('.ant-table-row', { hasText: 'Ⅲ-1-1' }).getByText('Ⅲ-1-1', { exact: true }).click();
      await desk.getByTestId('progress-form').waitFor();
      await screenshot(desk, 'desktop-progress-unit-contact');
    } finally {
      await context.close();
    }
  });

  it('danwei files progress with a photo on the phone', async () => {
    const { context, page: phone } = await newPage(env.browser, PHONE);
    await phone.goto(`${env.server.url}/h5`);
    try {
      await phone.getByLabel('用户名或手机号').fill('danwei');
      await phone.getByLabel('密码').fill(DEMO_PASSWORD);
      await phone.getByRole('button', { name: /登\s*录/ }).click();
      await poll(() => phone.getByTestId('h5-tasks-link').innerText()).toContain(`共 ${good.expected.tasksPerUnit['市城市管理局'].any} 项`);
      await screenshot(phone, 'h5-home-danwei-tasks');
      await phone.getByTestId('h5-tasks-link').click();
      const rows = phone.getByTestId('h5-task-row');
      await poll(() => rows.count()).toBe(good.expected.tasksPerUnit['市城市管理局'].any);
      await screenshot(phone, 'h5-tasks-danwei');
      await rows.filter({ hasText: 'Ⅱ-1-1' }).click();
      await phone.getByTestId('h5-task').waitFor();
      await phone.locator('[data-testid=progress-percent] input, input[data-testid=progress-percent]').first().fill('40');
      await phone.getByTestId('progress-note').fill('执法记录仪已配发到中队，案卷评查完成第一轮');
      await phone.getByTestId('progress-files').locator('input[type=file]').setInputFiles({ name: '现场.jpg', mimeType: 'image/jpeg', buffer: await jpegWithExif({}, 640, 480) });
      await phone.locator('.ant-upload-list-item-done').waitFor();
      await phone.getByTestId('progress-submit').click();
      const timeline = phone.getByTestId('report-timeline');
      await timeline.getByText('执法记录仪已配发到中队').waitFor();
      expect(await timeline.innerText()).toContain('40%');
      expect(await timeline.locator('img').count()).toBe(1);
      const width = await phone.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(PHONE.viewport.width + 1);
      await screenshot(phone, 'h5-task-progress-danwei');
    } catch (e) {
      await screenshot(phone, 'failed-indicators-h5');
      throw e;
    } finally {
      await context.close();
    }
  });

  it('admin adds a standard under a content, a task for it, then deletes the task', async () => {
    await page.goto(`${env.server.url}/indicators/systems`);
    const tree = page.getByTestId('indicator-tree');
    const content = tree.getByTestId('tree-node').filter({ has: page.getByText('Ⅰ-1', { exact: true }) });
    await content.getByTestId('node-add-child').click();
    const add = page.locator('.ant-drawer', { hasText: '新增测评标准' });
    await poll(() => add.getByTestId('node-create-parent').innerText()).toContain('Ⅰ-1');
    // a code already in the system: the server's message shows beside the field
    await add.getByTestId('node-create-code').fill('Ⅰ-1-1');
    await add.getByTestId('node-create-text').fill('城市主要出入口设置文明城市创建宣传标识');
    await add.getByTestId('node-create-save').click();
    await add.locator('.ant-form-item-explain-error', { hasText: '编号「Ⅰ-1-1」已存在' }).waitFor();
    await add.getByTestId('node-create-code').fill('Ⅰ-1-9');
    await add.getByLabel('分值').fill('1.5');
    await add.getByRole('checkbox', { name: '实地考察' }).check();
    await add.getByTestId('node-create-materials').fill('宣传标识点位清单、现场照片');
    await page.waitForTimeout(500); // the drawer slides in
    await screenshot(page, 'desktop-indicators-node-create');
    await add.getByTestId('node-create-save').click();
    await add.waitFor({ state: 'hidden' });
    await poll(() => tree.getByText('Ⅰ-1-9', { exact: true }).count()).toBe(1);
    await tree.getByText('Ⅰ-1-9', { exact: true }).click();
    const node = page.locator('.ant-drawer', { hasText: '测评标准 Ⅰ-1-9' });
    await poll(() => node.getByTestId('node-materials').inputValue()).toBe('宣传标识点位清单、现场照片');
    await node.getByRole('button', { name: /取\s*消/ }).click();

    await page.goto(`${env.server.url}/indicators/tasks`);
    await poll(() => page.getByTestId('system-select').innerText()).toContain(SYSTEM);
    await page.getByTestId('task-create').click();
    const create = page.locator('.ant-drawer', { hasText: '新增任务' });
    await choose(page, 'task-create-node', 'Ⅰ-1-9');
    await create.getByTestId('task-create-title').fill('主要出入口设置宣传标识不少于 6 处');
    await create.getByTestId('task-create-deadline').fill('2027年9月底');
    // no unit yet: the server's reason shows on the 责任单位 field
    await create.getByTestId('task-create-save').click();
    await create.locator('.ant-form-item-explain-error', { hasText: '请至少选择一个牵头单位或责任单位' }).waitFor();
    await page.waitForTimeout(500);
    await screenshot(page, 'desktop-tasks-create');
    await create.locator('.ant-form-item', { hasText: '牵头单位' }).first().locator('.ant-select').click();
    await page.keyboard.type('市城市管理局');
    const unit = page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '市城市管理局' }).first();
    await unit.waitFor();
    await page.waitForTimeout(300); // the dropdown slides in
    await unit.click();
    await create.getByTestId('task-create-save').click();
    await create.waitFor({ state: 'hidden' });
    const drawer = page.getByTestId('task-drawer');
    await poll(() => drawer.innerText()).toContain('主要出入口设置宣传标识不少于 6 处');
    expect(await drawer.innerText()).toContain('2027年9月底');
    expect(await drawer.innerText()).toContain('市城市管理局');
    const table = page.getByTestId('tasks-card');
    const added = table.locator('.ant-table-row', { hasText: 'Ⅰ-1-9' });
    await poll(() => added.count()).toBe(1);
    expect(await table.locator('.ant-pagination-total-text').innerText()).toBe(`共 ${good.expected.rowCount + 1} 项任务`);

    await drawer.getByTestId('task-delete').click();
    await page.locator('#task-delete-ok').click();
    await page.getByText('已删除任务 Ⅰ-1-9').waitFor();
    await drawer.waitFor({ state: 'hidden' });
    await poll(() => added.count()).toBe(0);
    expect(await table.locator('.ant-pagination-total-text').innerText()).toBe(`共 ${good.expected.rowCount} 项任务`);

    // a task with progress reports (danwei reported on Ⅱ-1-1 above) is refused with the server's reason
    await page.getByTestId('tasks-search').locator('input').fill('Ⅱ-1-1');
    await page.getByTestId('tasks-search').locator('input').press('Enter');
    await table.getByText('Ⅱ-1-1', { exact: true }).click();
    await poll(() => drawer.innerText()).toContain('执法记录仪已配发到中队');
    await drawer.getByTestId('task-delete').click();
    await page.locator('#task-delete-ok').click();
    await page.getByText('该任务已有进度报告，不能删除').waitFor();
    expect(await table.locator('.ant-table-row', { hasText: 'Ⅱ-1-1' }).count()).toBe(1);
  });
});
