import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IndicatorSystem, IndicatorTree, Rollup, Task, TaskDetail, TaskImportPreview } from '../../../contracts/indicators.ts';
import { type Client, type TestApp, startTestApp } from '../../test/harness.ts';
import { type ExpectedTask, FIXTURE_STANDARDS, fixtureSystemWorkbook, GOOD_LAYOUTS, layoutBad, layoutMerged } from '../../test/task-table-fixtures.ts';
import { jpegWithExif } from '../files/files.fixtures.ts';

/**
 * Tasks per unit and role as stored: one role per unit and task, the highest written (a unit in
 * both 牵头单位 and 责任单位 is the lead), from the fixture's expected rows.
 */
function roleCounts(tasks: readonly ExpectedTask[]) {
  const out: Record<string, { lead: number; responsible: number; cooperating: number; any: number }> = {};
  for (const task of tasks) {
    const role = new Map<string, 'lead' | 'responsible' | 'cooperating'>();
    for (const r of ['lead', 'responsible', 'cooperating'] as const) for (const n of task[r]) if (!role.has(n)) role.set(n, r);
    for (const [n, r] of role) {
      out[n] ??= { lead: 0, responsible: 0, cooperating: 0, any: 0 };
      out[n][r]++;
      out[n].any++;
    }
  }
  return out;
}

/** A multipart body with one file field, as a browser sends it. */
async function multipart(buffer: Buffer, name: string, type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet') {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(buffer)], { type }), name);
  const res = new Response(form);
  return { payload: Buffer.from(await res.arrayBuffer()), contentType: res.headers.get('content-type')! };
}

async function postFile(c: Client, url: string, buffer: Buffer, name = '任务分解表.xlsx', type?: string) {
  const m = await multipart(buffer, name, type);
  return c.request('POST', url, m.payload, { 'content-type': m.contentType });
}

async function uploadImage(c: Client): Promise<string> {
  const res = await postFile(c, '/api/files', await jpegWithExif({}, 320, 240), '扫描件.jpg', 'image/jpeg');
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json();
  return (body.items?.[0] ?? body[0]).id;
}

async function openDocx(buf: Buffer) {
  const zip = await JSZip.loadAsync(buf);
  const doc = await zip.file('word/document.xml')!.async('string');
  const text = (s: string) => [...s.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
  const rows = [...doc.matchAll(/<w:tr>.*?<\/w:tr>/g)].map((r) => [...r[0].matchAll(/<w:tc>.*?<\/w:tc>/g)].map((c) => text(c[0])));
  return { text: text(doc), rows };
}

describe('indicators: systems, task table, progress, 目标责任书', () => {
  let t: TestApp;
  let admin: Client;
  let danwei: Client;
  let qu: Client;
  let ducha: Client;
  let wangge: Client;
  const unitIds = new Map<string, string>();

  /** A new system holding FIXTURE_STANDARDS, imported from its Excel sheet. */
  async function fixtureSystem(name: string): Promise<IndicatorSystem> {
    const created = await admin.post('/api/indicator-systems', { name, kind: 'main', year: 2026, totalScore: 1000 });
    expect(created.statusCode, created.body).toBe(200);
    const sys = created.json() as IndicatorSystem;
    const res = await postFile(admin, `/api/indicator-systems/${sys.id}/import/commit`, await fixtureSystemWorkbook(), '测评体系.xlsx');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ items: 4, contents: 8, standards: 16 });
    return sys;
  }

  async function taskUnitCounts(systemId: string): Promise<Record<string, { lead: number; responsible: number; cooperating: number; any: number }>> {
    const r = await t.deps.database.query<{ name: string; role: string; n: number }>(
      `SELECT u.name, tu.role, count(*)::int AS n FROM task_units tu JOIN tasks t ON t.id = tu.task_id JOIN org_units u ON u.id = tu.unit_id WHERE t.system_id = $1 GROUP BY u.name, tu.role`,
      [systemId],
    );
    const out: Record<string, { lead: number; responsible: number; cooperating: number; any: number }> = {};
    for (const row of r.rows) {
      out[row.name] ??= { lead: 0, responsible: 0, cooperating: 0, any: 0 };
      out[row.name][row.role as 'lead'] += row.n;
      out[row.name].any += row.n;
    }
    return out;
  }

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login('admin');
    danwei = await t.login('danwei');
    qu = await t.login('qu_admin');
    ducha = await t.login('ducha');
    wangge = await t.login('wangge');
    const r = await t.deps.database.query<{ id: string; name: string }>('SELECT id, name FROM org_units');
    for (const u of r.rows) unitIds.set(u.name, u.id);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('imports a system from Excel (all or nothing), browses and searches the tree, exports it again', async () => {
    const sys = await fixtureSystem('测试体系（导入）');
    const tree = (await admin.get(`/api/indicator-systems/${sys.id}/tree`)).json() as IndicatorTree;
    expect(tree.system.counts).toMatchObject({ items: 4, contents: 8, standards: 16 });
    expect(tree.system.scoreSum).toBe(FIXTURE_STANDARDS.reduce((s, x) => s + x.score, 0));
    // tree order: every node follows its parent
    const seen = new Set<string>();
    for (const n of tree.nodes) {
      if (n.parentId) expect(seen.has(n.parentId)).toBe(true);
      seen.add(n.id);
    }
    const std = tree.nodes.find((n) => n.code === 'Ⅲ-2-1')!;
    expect(std).toMatchObject({ level: 'standard', score: 2, methods: ['field'] });

    // search by code, in either numeral style: matches and their ancestors only
    const byCode = (await admin.get(`/api/indicator-systems/${sys.id}/tree?q=${encodeURIComponent('3-2')}`)).json() as IndicatorTree;
    expect(byCode.matchIds.map((id) => byCode.nodes.find((n) => n.id === id)!.code).sort()).toEqual(['Ⅲ-2', 'Ⅲ-2-1', 'Ⅲ-2-2']);
    expect(byCode.nodes.map((n) => n.code)).toEqual(['Ⅲ', 'Ⅲ-2', 'Ⅲ-2-1', 'Ⅲ-2-2']);
    const byText = (await admin.get(`/api/indicator-systems/${sys.id}/tree?q=${encodeURIComponent('公交站亭')}`)).json() as IndicatorTree;
    expect(byText.nodes.map((n) => n.code)).toEqual(['Ⅲ', 'Ⅲ-2', 'Ⅲ-2-1']);

    // importing again into a system that has nodes is refused and writes nothing
    const again = await postFile(admin, `/api/indicator-systems/${sys.id}/import/commit`, await fixtureSystemWorkbook(), '测评体系.xlsx');
    expect(again.statusCode).toBe(422);
    expect(again.json().error.message).toContain('已有节点');
    expect(((await admin.get(`/api/indicator-systems/${sys.id}`)).json() as IndicatorSystem).counts.standards).toBe(16);

    // export → import into an empty system gives the same tree
    const exp = await admin.get(`/api/indicator-systems/${sys.id}/export.xlsx`);
    expect(exp.statusCode).toBe(200);
    expect(exp.headers['content-type']).toContain('spreadsheetml');
    const fresh = (await admin.post('/api/indicator-systems', { name: '测试体系（再导入）', kind: 'main', year: 2026 })).json() as IndicatorSystem;
    const preview = await postFile(admin, `/api/indicator-systems/${fresh.id}/import/preview`, exp.rawPayload, '导出.xlsx');
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json().summary).toMatchObject({ items: 4, contents: 8, standards: 16, invalid: 0 });
    const commit = await postFile(admin, `/api/indicator-systems/${fresh.id}/import/commit`, exp.rawPayload, '导出.xlsx');
    expect(commit.statusCode, commit.body).toBe(200);
    const tree2 = (await admin.get(`/api/indicator-systems/${fresh.id}/tree`)).json() as IndicatorTree;
    expect(tree2.nodes.map((n) => [n.level, n.code, n.text, n.score])).toEqual(tree.nodes.map((n) => [n.level, n.code, n.text, n.score]));
  });

  it('a system sheet with bad rows is refused as a whole, each problem by row and column', async () => {
    const sys = (await admin.post('/api/indicator-systems', { name: '测试体系（坏表）', kind: 'minors', year: 2026 })).json() as IndicatorSystem;
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('测评体系');
    ws.addRow(['指标编号', '测评项目', '测评内容', '测评标准', '分值', '测评方法', '材料要求']);
    ws.addRow(['Ⅰ-1-1', '思想道德教育', '理想信念教育', '开展主题教育活动', 4, '材料审核', '活动资料']);
    ws.addRow(['Ⅰ-1-1', '思想道德教育', '理想信念教育', '组织研学实践', 4, '实地考察', '']);
    ws.addRow(['Ⅰ-2', '思想道德教育', '道德实践', '评选新时代好少年', 3, '材料审核', '']);
    ws.addRow(['Ⅰ-2-2', '思想道德教育', '道德实践', '组织志愿服务', '三分', '上门看看', '']);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const p = (await postFile(admin, `/api/indicator-systems/${sys.id}/import/preview`, buf, '坏表.xlsx')).json();
    const where = p.problems.map((x: { row: number; column: string }) => `${x.row}${x.column}`).sort();
    expect(where).toEqual(['3A', '4A', '5E', '5F']);
    expect(p.summary.invalid).toBe(3);
    const commit = await postFile(admin, `/api/indicator-systems/${sys.id}/import/commit`, buf, '坏表.xlsx');
    expect(commit.statusCode).toBe(422);
    expect(((await admin.get(`/api/indicator-systems/${sys.id}`)).json() as IndicatorSystem).counts).toMatchObject({ items: 0, standards: 0 });
  });

  it('edits nodes with version and history; stale versions answer 409; deactivating takes the subtree; only managers edit', async () => {
    const sys = await fixtureSystem('测试体系（编辑）');
    const tree = (await admin.get(`/api/indicator-systems/${sys.id}/tree`)).json() as IndicatorTree;
    const node = tree.nodes.find((n) => n.code === 'Ⅱ-1-1')!;
    const ok = await admin.patch(`/api/indicator-nodes/${node.id}`, { version: node.version, score: 3, methods: ['material', 'field'] });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ score: 3, methods: ['material', 'field'], version: node.version + 1 });
    const stale = await admin.patch(`/api/indicator-nodes/${node.id}`, { version: node.version, score: 4 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('STALE_VERSION');
    const dup = await admin.patch(`/api/indicator-nodes/${node.id}`, { version: node.version + 1, code: 'Ⅱ-1-2' });
    expect(dup.statusCode).toBe(400);
    expect(dup.json().error.message).toContain('已存在');

    const history = (await admin.get(`/api/indicator-nodes/${node.id}/history`)).json();
    expect(history[0]).toMatchObject({ action: 'update', before: { score: 2, methods: ['material'] }, after: { score: 3, methods: ['material', 'field'] }, actorName: '王建国' });
    expect(history.at(-1).action).toBe('import');

    // a new standard under a content; the level follows the parent
    const content = tree.nodes.find((n) => n.code === 'Ⅱ-1')!;
    const created = await admin.post(`/api/indicator-systems/${sys.id}/nodes`, { parentId: content.id, code: 'Ⅱ-1-3', text: '行政执法公示制度落实', score: 1, methods: ['material'], materials: '公示截图' });
    expect(created.statusCode, created.body).toBe(200);
    expect(created.json()).toMatchObject({ level: 'standard', code: 'Ⅱ-1-3' });
    const under = await admin.post(`/api/indicator-systems/${sys.id}/nodes`, { parentId: created.json().id, code: 'Ⅱ-1-3-1', text: '不行' });
    expect(under.statusCode).toBe(400);
    expect(under.json().error.message).toContain('测评标准下不能再添加');

    // deactivating an item deactivates its contents and standards (history for each)
    const item = tree.nodes.find((n) => n.code === 'Ⅱ')!;
    const off = await admin.patch(`/api/indicator-nodes/${item.id}`, { version: item.version, isActive: false });
    expect(off.statusCode, off.body).toBe(200);
    const after = (await admin.get(`/api/indicator-systems/${sys.id}/tree`)).json() as IndicatorTree;
    expect(after.nodes.some((n) => n.code.startsWith('Ⅱ'))).toBe(false);
    expect(after.system.counts.standards).toBe(16 - 3);
    const all = (await admin.get(`/api/indicator-systems/${sys.id}/tree?includeInactive=true`)).json() as IndicatorTree;
    expect(all.nodes.filter((n) => n.code.startsWith('Ⅱ') && !n.isActive).length).toBe(1 + 2 + 4);
    expect(((await admin.get(`/api/indicator-nodes/${created.json().id}/history`)).json() as { action: string }[])[0].action).toBe('deactivate');

    // history rows are append-only in the database
    await expect(t.deps.database.query('UPDATE indicator_node_history SET action = $1', ['x'])).rejects.toThrow(/append-only/);

    // a unit contact reads but does not edit; a grid worker does not even read
    expect((await danwei.get(`/api/indicator-systems/${sys.id}/tree`)).statusCode).toBe(200);
    const forbidden = await danwei.patch(`/api/indicator-nodes/${node.id}`, { version: 2, score: 1 });
    expect(forbidden.statusCode).toBe(403);
    expect((await danwei.post('/api/indicator-systems', { name: 'x', kind: 'main', year: 2026 })).statusCode).toBe(403);
    expect((await wangge.get('/api/indicator-systems')).statusCode).toBe(403);
  });

  it.each(GOOD_LAYOUTS.map((f, i) => [i, f] as const))('imports the task table in layout %i with the right counts per unit and role', async (_i, layout) => {
    const fx = await layout();
    const sys = await fixtureSystem(`测试体系（${fx.name}）`);
    const preview = await postFile(admin, `/api/indicator-systems/${sys.id}/task-import/preview`, fx.buffer, fx.fileName);
    expect(preview.statusCode, preview.body).toBe(200);
    const p = preview.json() as TaskImportPreview;
    expect(p.sheetName).toBe(fx.expected.sheetName);
    expect(p.headerRow).toBe(fx.expected.headerRow);
    expect(p.problems).toEqual([]);
    expect(p.summary).toMatchObject({ rows: fx.expected.rowCount, valid: fx.expected.rowCount, tasks: fx.expected.rowCount, newNodes: 0 });
    for (const [col, field] of Object.entries(fx.expected.mapping)) expect(p.mapping[col]).toBe(field);
    // every row found its standard by code or text
    for (const [i, row] of p.rows.entries()) {
      const exp = fx.expected.tasks[i];
      expect(row.row).toBe(exp.row);
      expect(row.node.code).toBe(exp.standardCode);
      expect(row.deadline).toBe(exp.deadline?.kind === 'date' ? exp.deadline.date : null);
    }
    const commit = await postFile(admin, `/api/indicator-systems/${sys.id}/task-import/commit?token=${p.token}`, fx.buffer, fx.fileName);
    expect(commit.statusCode, commit.body).toBe(200);
    expect(commit.json()).toMatchObject({ tasks: fx.expected.rowCount, nodesCreated: 0 });
    expect(await taskUnitCounts(sys.id)).toEqual(roleCounts(fx.expected.tasks));
    // the preview token is spent: the system changed
    const again = await postFile(admin, `/api/indicator-systems/${sys.id}/task-import/commit?token=${p.token}`, fx.buffer, fx.fileName);
    expect(again.statusCode).toBe(409);
    // the same file again: every row is already a task
    const twice = (await postFile(admin, `/api/indicator-systems/${sys.id}/task-import/preview`, fx.buffer, fx.fileName)).json() as TaskImportPreview;
    expect(twice.summary.invalid).toBe(fx.expected.rowCount);
    expect(twice.problems.every((x) => x.message.includes('已有这项任务'))).toBe(true);
  });

  it('reports every problem of a bad table by row and column, offers the closest units, and writes nothing', async () => {
    const fx = await layoutBad();
    const sys = await fixtureSystem('测试体系（问题表）');
    const url = `/api/indicator-systems/${sys.id}/task-import`;
    const first = (await postFile(admin, `${url}/preview`, fx.buffer, fx.fileName)).json() as TaskImportPreview;
    expect(first.mappingProblems.join('')).toContain('测评标准');
    expect(first.rows).toEqual([]);
    const notJson = await postFile(admin, `${url}/preview?mapping=${encodeURIComponent('{E:')}`, fx.buffer, fx.fileName);
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().error.message).toContain('列对应关系须为 JSON 对象');
    const unknownField = (await postFile(admin, `${url}/preview?mapping=${encodeURIComponent('{"D":"nonsense"}')}`, fx.buffer, fx.fileName)).json() as TaskImportPreview;
    expect(unknownField.mappingProblems.join('')).toContain('nonsense');
    const mapping = encodeURIComponent(JSON.stringify(fx.expected.fix));
    const res = await postFile(admin, `${url}/preview?mapping=${mapping}`, fx.buffer, fx.fileName);
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json() as TaskImportPreview;
    expect(p.mappingProblems).toEqual([]);
    expect([...new Set(p.problems.map((x) => x.row))].sort((a, b) => a - b)).toEqual(fx.expected.problemRows);
    for (const e of fx.expected.problems) {
      const found = p.problems.filter((x) => x.row === e.row && x.column === e.column);
      expect(found.length, `row ${e.row} column ${e.column}`).toBeGreaterThan(0);
      if (e.kind === 'unknown_unit') {
        const u = found.find((x) => x.unitName === e.text);
        expect(u, `unknown unit ${e.text}`).toBeDefined();
        expect(u!.candidates!.length).toBeLessThanOrEqual(3);
        expect(u!.candidates!.map((c) => c.name)).toContain(e.closest);
        expect(p.summary.unknownUnitNames).toContain(e.text);
      }
      if (e.kind === 'standard_not_found') expect(found.some((x) => x.message.includes('未找到测评标准'))).toBe(true);
    }
    // commit refuses with the problems and writes nothing
    const commit = await postFile(admin, `${url}/commit?mapping=${mapping}`, fx.buffer, fx.fileName);
    expect(commit.statusCode).toBe(422);
    expect(commit.json().error.code).toBe('IMPORT_INVALID');
    expect(commit.json().error.details.length).toBe(p.problems.length);
    const n = await t.deps.database.query<{ n: number }>('SELECT count(*)::int AS n FROM tasks WHERE system_id = $1', [sys.id]);
    expect(n.rows[0].n).toBe(0);
    // a changed mapping after the preview: 409
    const stale = await postFile(admin, `${url}/commit?token=${p.token}`, fx.buffer, fx.fileName);
    expect(stale.statusCode).toBe(409);
  });

  it('creates missing standards on request, refuses non-Excel and oversized files in Chinese, and only managers import', async () => {
    const fx = await layoutMerged();
    const empty = (await admin.post('/api/indicator-systems', { name: '测试体系（从任务表建立）', kind: 'main', year: 2026 })).json() as IndicatorSystem;
    const url = `/api/indicator-systems/${empty.id}/task-import`;
    const without = (await postFile(admin, `${url}/preview`, fx.buffer, fx.fileName)).json() as TaskImportPreview;
    expect(without.summary.invalid).toBe(fx.expected.rowCount);
    expect(without.problems[0].message).toContain('未找到测评标准');
    const withNodes = await postFile(admin, `${url}/commit?createNodes=true`, fx.buffer, fx.fileName);
    expect(withNodes.statusCode, withNodes.body).toBe(200);
    expect(withNodes.json()).toMatchObject({ tasks: fx.expected.rowCount, nodesCreated: 4 + 8 + 16 });
    const tree = (await admin.get(`/api/indicator-systems/${empty.id}/tree`)).json() as IndicatorTree;
    expect(tree.nodes.filter((n) => n.level === 'standard').map((n) => n.code).sort()).toEqual(FIXTURE_STANDARDS.map((s) => s.code).sort());

    const csv = await postFile(admin, `${url}/preview`, Buffer.from('序号,测评项目\n1,x\n'), '任务表.csv', 'text/csv');
    expect(csv.statusCode).toBe(415);
    expect(csv.json().error.message).toContain('不是 .xlsx 格式');
    const big = await postFile(admin, `${url}/preview`, Buffer.concat([fx.buffer, Buffer.alloc(21 * 1024 * 1024)]), '大文件.xlsx');
    expect(big.statusCode).toBe(413);
    expect(big.json().error.message).toContain('文件过大');
    expect((await postFile(danwei, `${url}/preview`, fx.buffer, fx.fileName)).statusCode).toBe(403);
  });

  describe('tasks, scope and progress', () => {
    let sys: IndicatorSystem;
    let cgjTask: Task;
    let otherTask: Task;
    let wmTask: Task;

    beforeAll(async () => {
      const fx = await layoutMerged();
      sys = await fixtureSystem('测试体系（任务）');
      const res = await postFile(admin, `/api/indicator-systems/${sys.id}/task-import/commit`, fx.buffer, fx.fileName);
      expect(res.statusCode, res.body).toBe(200);
      const all = (await admin.get(`/api/tasks?systemId=${sys.id}&pageSize=100`)).json().items as Task[];
      expect(all.length).toBe(fx.expected.rowCount);
      cgjTask = all.find((x) => x.nodeCode === 'Ⅱ-1-1')!;
      otherTask = all.find((x) => x.nodeCode === 'Ⅳ-1-1')!; // 市政务服务中心 only
      wmTask = all.find((x) => x.nodeCode === 'Ⅲ-1-2')!; // 各街道
    });

    it('a unit sees only the tasks it is named on, not another unit’s, nor other units’ progress', async () => {
      const mine = (await danwei.get(`/api/tasks?systemId=${sys.id}&pageSize=100`)).json();
      const expected = (await taskUnitCounts(sys.id))['市城市管理局'].any;
      expect(mine.total).toBe(expected);
      for (const x of mine.items as Task[]) expect(x.units.some((u) => u.unitName === '市城市管理局')).toBe(true);
      expect((await danwei.get(`/api/tasks/${otherTask.id}`)).statusCode).toBe(404);
      expect((await danwei.post(`/api/tasks/${otherTask.id}/progress`, { status: 'in_progress', percent: 10 })).statusCode).toBe(404);
      // co-units are listed by name and role, their progress is hidden
      const detail = (await danwei.get(`/api/tasks/${cgjTask.id}`)).json() as TaskDetail;
      const other = detail.units.find((u) => u.unitName !== '市城市管理局')!;
      expect(other.status).toBeNull();
      expect(detail.units.find((u) => u.unitName === '市城市管理局')!.status).toBe('not_started');
      expect(detail.canReportFor.map((u) => u.unitName)).toEqual(['市城市管理局']);
      // a district sees its subtree's tasks (文明区 streets are named on Ⅲ-1-2), not a department's alone
      const quTasks = (await qu.get(`/api/tasks?systemId=${sys.id}&pageSize=100`)).json().items as Task[];
      expect(quTasks.some((x) => x.id === wmTask.id)).toBe(true);
      expect(quTasks.some((x) => x.id === otherTask.id)).toBe(false);
      // the inspector reads the whole city
      expect((await ducha.get(`/api/tasks?systemId=${sys.id}&pageSize=1`)).json().total).toBe((await admin.get(`/api/tasks?systemId=${sys.id}&pageSize=1`)).json().total);
      // unitId outside one's scope is refused
      const outside = await danwei.get(`/api/tasks?unitId=${unitIds.get('市政务服务中心')}`);
      expect(outside.statusCode).toBe(400);
    });

    it('progress: each report kept, the unit’s and the task’s status rolled up, attachments readable by those who see the unit', async () => {
      const photo = await uploadImage(danwei);
      const r1 = await danwei.post(`/api/tasks/${cgjTask.id}/progress`, { status: 'in_progress', percent: 40, note: '已制定执法记录制度', fileIds: [photo] });
      expect(r1.statusCode, r1.body).toBe(200);
      const d1 = r1.json() as TaskDetail;
      expect(d1.units.find((u) => u.unitName === '市城市管理局')).toMatchObject({ status: 'in_progress', percent: 40 });
      expect(d1.status).toBe('in_progress');
      expect(d1.reports).toHaveLength(1);
      expect(d1.reports[0].files.map((f) => f.id)).toEqual([photo]);
      const r2 = await danwei.post(`/api/tasks/${cgjTask.id}/progress`, { status: 'done', percent: 100, note: '全部完成' });
      expect(r2.statusCode, r2.body).toBe(200);
      const d2 = r2.json() as TaskDetail;
      expect(d2.reports.map((r) => r.percent)).toEqual([100, 40]);
      // the task is done only when all its lead and responsible units are
      const answering = d2.units.filter((u) => u.role !== 'cooperating').length;
      expect(d2.status).toBe(answering === 1 ? 'done' : 'in_progress');
      expect(d2.percent).toBe(Math.min(Math.round(100 / answering), answering === 1 ? 100 : 99));
      // inconsistent status and percent are refused with the field named
      const bad = await danwei.post(`/api/tasks/${cgjTask.id}/progress`, { status: 'done', percent: 50 });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.message).toContain('percent');
      // the admin sees the report and its attachment; a unit that does not see 市城市管理局 cannot download it
      expect((await admin.get(`/api/files/${photo}`)).statusCode).toBe(200);
      const quDetail = await qu.get(`/api/tasks/${cgjTask.id}`);
      if (quDetail.statusCode === 200) expect((quDetail.json() as TaskDetail).reports.every((r) => r.unitName !== '市城市管理局')).toBe(true);
      expect((await qu.get(`/api/files/${photo}`)).statusCode).toBe(403);
      // reports are append-only
      await expect(t.deps.database.query('DELETE FROM task_progress_reports')).rejects.toThrow(/append-only/);
      // a grid worker may not report
      expect((await wangge.post(`/api/tasks/${cgjTask.id}/progress`, { status: 'in_progress', percent: 1 })).statusCode).toBe(403);
    });

    it('overdue and stalled flags, filters and roll-ups by unit, item and phase over the actor’s subtree', async () => {
      // make one task overdue and long without reports
      await t.deps.database.query(`UPDATE tasks SET deadline = '2020-01-31', created_at = now() - interval '90 days' WHERE id = $1`, [wmTask.id]);
      const overdue = (await admin.get(`/api/tasks?systemId=${sys.id}&overdue=true&pageSize=100`)).json().items as Task[];
      expect(overdue.map((x) => x.id)).toContain(wmTask.id);
      expect(overdue.every((x) => x.overdue && x.status !== 'done')).toBe(true);
      const stalled = (await admin.get(`/api/tasks?systemId=${sys.id}&stalled=true&stalledDays=60&pageSize=100`)).json().items as Task[];
      expect(stalled.map((x) => x.id)).toEqual([wmTask.id]);
      // the city's setting applies when the request names no number of days
      expect((await admin.get('/api/indicator-settings')).json()).toEqual({ stalledDays: 30 });
      expect((await danwei.request('PUT', '/api/indicator-settings', { stalledDays: 60 })).statusCode).toBe(403);
      const bad = await admin.request('PUT', '/api/indicator-settings', { stalledDays: 0 });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.message).toContain('停滞天数');
      expect((await admin.request('PUT', '/api/indicator-settings', { stalledDays: 60 })).json()).toEqual({ stalledDays: 60 });
      const bySetting = (await admin.get(`/api/tasks?systemId=${sys.id}&stalled=true&pageSize=100`)).json().items as Task[];
      expect(bySetting.map((x) => x.id)).toEqual([wmTask.id]);
      expect((await admin.request('PUT', '/api/indicator-settings', { stalledDays: 30 })).statusCode).toBe(200);
      const byPhase = (await admin.get(`/api/tasks?systemId=${sys.id}&phase=inspect&pageSize=100`)).json().items as Task[];
      expect(byPhase.every((x) => x.phase === 'inspect')).toBe(true);
      expect(byPhase.length).toBeGreaterThan(0);

      const all = (await admin.get(`/api/tasks?systemId=${sys.id}&pageSize=100`)).json().items as Task[];
      const byItem = (await admin.get(`/api/tasks/rollup?systemId=${sys.id}&by=item&stalledDays=60`)).json() as Rollup;
      expect(byItem.totals.total).toBe(all.length);
      expect(byItem.rows.map((r) => r.code)).toEqual(['Ⅰ', 'Ⅱ', 'Ⅲ', 'Ⅳ']);
      expect(byItem.rows.reduce((s, r) => s + r.total, 0)).toBe(all.length);
      expect(byItem.totals.overdue).toBe(all.filter((x) => x.overdue).length + (all.find((x) => x.id === wmTask.id)!.overdue ? 0 : 1));
      expect(byItem.totals.stalled).toBe(1);
      const phases = (await admin.get(`/api/tasks/rollup?systemId=${sys.id}&by=phase`)).json() as Rollup;
      expect(phases.rows.map((r) => r.label)).toEqual(['全面动员', '扎实落实', '全面提升', '迎接检查']);
      expect(phases.rows.reduce((s, r) => s + r.total, 0)).toBe(all.length);
      const byUnit = (await admin.get(`/api/tasks/rollup?systemId=${sys.id}&by=unit`)).json() as Rollup;
      const cgj = byUnit.rows.find((r) => r.label === '市城市管理局')!;
      expect(cgj).toMatchObject({ total: (await taskUnitCounts(sys.id))['市城市管理局'].any, done: 1 });
      // a district's roll-up covers its subtree only
      const quUnits = (await qu.get(`/api/tasks/rollup?systemId=${sys.id}&by=unit`)).json() as Rollup;
      expect(quUnits.rows.length).toBeGreaterThan(0);
      const wmPath = (await t.deps.database.query<{ path: string }>(`SELECT path FROM org_units WHERE name = '文明区'`)).rows[0].path;
      const paths = await t.deps.database.query<{ id: string; path: string }>('SELECT id, path FROM org_units');
      const pathOf = new Map(paths.rows.map((r) => [r.id, r.path]));
      for (const r of quUnits.rows) expect(pathOf.get(r.key)!.startsWith(wmPath), r.label).toBe(true);
      expect(quUnits.rows.some((r) => r.label === '市城市管理局')).toBe(false);
    });

    it('concurrent reports on one task are all kept and roll up in order; a system edit with a stale version answers 409', async () => {
      const task = ((await danwei.get(`/api/tasks?systemId=${sys.id}&mine=true&pageSize=100`)).json().items as Task[]).find((x) => x.id !== cgjTask.id)!;
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => danwei.post(`/api/tasks/${task.id}/progress`, { status: 'in_progress', percent: 10 + i, note: `第${i + 1}次` })));
      for (const r of results) expect(r.statusCode, r.body).toBe(200);
      const detail = (await danwei.get(`/api/tasks/${task.id}`)).json() as TaskDetail;
      expect(detail.reports.length).toBe(12);
      // the unit's status is its latest report (by time, then id)
      const last = detail.reports[0];
      expect(detail.units.find((u) => u.unitName === '市城市管理局')!.percent).toBe(last.percent);
      const sysNow = (await admin.get(`/api/indicator-systems/${sys.id}`)).json() as IndicatorSystem;
      const a = await admin.patch(`/api/indicator-systems/${sys.id}`, { version: sysNow.version, status: 'active' });
      expect(a.statusCode, a.body).toBe(200);
      const b = await admin.patch(`/api/indicator-systems/${sys.id}`, { version: sysNow.version, status: 'archived' });
      expect(b.statusCode).toBe(409);
    });

    it('creates, edits (409 on stale versions) and deletes tasks; units must exist and liaisons belong to their unit', async () => {
      const tree = (await admin.get(`/api/indicator-systems/${sys.id}/tree`)).json() as IndicatorTree;
      const node = tree.nodes.find((n) => n.code === 'Ⅳ-1-2')!;
      const danweiUser = (await t.deps.database.query<{ id: string }>(`SELECT id FROM users WHERE username = 'danwei'`)).rows[0].id;
      const cgj = unitIds.get('市城市管理局')!;
      const jtj = unitIds.get('市交通运输局')!;
      const created = await admin.post('/api/tasks', {
        systemId: sys.id,
        nodeId: node.id,
        leadUnitId: cgj,
        responsibleUnitIds: [cgj, jtj],
        liaisons: { [cgj]: danweiUser },
        deadlineText: '2026年6月底',
        phase: 'implement',
      });
      expect(created.statusCode, created.body).toBe(200);
      const task = created.json() as TaskDetail;
      expect(task).toMatchObject({ deadline: '2026-06-30', deadlineText: '2026年6月底', title: node.text, leadUnitName: '市城市管理局' });
      expect(task.units.map((u) => [u.unitName, u.role, u.liaisonName])).toEqual([
        ['市城市管理局', 'lead', '张卫东'],
        ['市交通运输局', 'responsible', null],
      ]);
      const badDate = await admin.post('/api/tasks', { systemId: sys.id, nodeId: node.id, responsibleUnitIds: [cgj], deadlineText: '尽快' });
      expect(badDate.statusCode).toBe(400);
      expect(badDate.json().error.details[0].path).toBe('body.deadlineText');
      const badLiaison = await admin.post('/api/tasks', { systemId: sys.id, nodeId: node.id, responsibleUnitIds: [jtj], liaisons: { [jtj]: danweiUser } });
      expect(badLiaison.statusCode).toBe(400);
      expect(badLiaison.json().error.message).toContain('不是「市交通运输局」的人员');

      const edited = await admin.patch(`/api/tasks/${task.id}`, { version: task.version, cooperatingUnitIds: [unitIds.get('市商务局')!], phase: 'inspect' });
      expect(edited.statusCode, edited.body).toBe(200);
      expect((edited.json() as TaskDetail).units.map((u) => u.role)).toEqual(['lead', 'responsible', 'cooperating']);
      expect((await admin.patch(`/api/tasks/${task.id}`, { version: task.version, phase: 'mobilize' })).statusCode).toBe(409);
      // danwei is the liaison: may report; the unit contact may not edit
      expect((await danwei.patch(`/api/tasks/${task.id}`, { version: task.version + 1, phase: 'mobilize' })).statusCode).toBe(403);
      const v = (edited.json() as TaskDetail).version;
      expect((await admin.delete(`/api/tasks/${task.id}?version=${v}`)).statusCode).toBe(200);
      expect((await admin.get(`/api/tasks/${task.id}`)).statusCode).toBe(404);
      // a task with reports stays
      const withReports = await admin.delete(`/api/tasks/${cgjTask.id}?version=${cgjTask.version}`);
      expect(withReports.statusCode).toBe(409);
    });

    it('exports the task table in the import layout (merged 测评项目), and it imports again with the same tasks', async () => {
      const exp = await admin.get(`/api/indicator-systems/${sys.id}/tasks/export.xlsx`);
      expect(exp.statusCode).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(exp.rawPayload as unknown as ArrayBuffer);
      const ws = wb.worksheets[0];
      expect(ws.getRow(2).getCell(3).value).toBe('测评项目');
      const merges = (ws.model as unknown as { merges: string[] }).merges;
      expect(merges.some((m) => /^C3:C\d+$/.test(m))).toBe(true);
      const copy = (await admin.post(`/api/indicator-systems/${sys.id}/copy`, { includeTasks: false })).json() as IndicatorSystem;
      expect(copy).toMatchObject({ edition: 2, copiedFromId: sys.id, status: 'draft' });
      expect(copy.counts).toMatchObject({ standards: 16, tasks: 0 });
      const imp = await postFile(admin, `/api/indicator-systems/${copy.id}/task-import/commit`, exp.rawPayload, '导出.xlsx');
      expect(imp.statusCode, imp.body).toBe(200);
      expect(await taskUnitCounts(copy.id)).toEqual(await taskUnitCounts(sys.id));
      // a copy with tasks keeps units, not progress
      const copy2 = (await admin.post(`/api/indicator-systems/${sys.id}/copy`, { includeTasks: true, year: 2027 })).json() as IndicatorSystem;
      expect(copy2).toMatchObject({ year: 2027, edition: 1 });
      expect(copy2.counts.tasks).toBe(sys.counts.tasks || copy2.counts.tasks);
      const done = await t.deps.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM tasks WHERE system_id = $1 AND status <> 'not_started'`, [copy2.id]);
      expect(done.rows[0].n).toBe(0);
      expect(await taskUnitCounts(copy2.id)).toEqual(await taskUnitCounts(sys.id));
    });

    it('目标责任书: a GB/T 9704 document listing the unit’s tasks; the signed scan and date are recorded (409 when stale)', async () => {
      const cgj = unitIds.get('市城市管理局')!;
      const res = await danwei.get(`/api/indicator-systems/${sys.id}/units/${cgj}/responsibility-letter.docx`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toContain('wordprocessingml');
      const { text, rows } = await openDocx(res.rawPayload);
      expect(text).toContain('示范市创建全国文明城市工作指挥部文件');
      expect(text).toContain('创文责〔2026〕');
      expect(text).toContain('目标责任书');
      const table = rows.filter((r) => r.length === 6);
      expect(table[0]).toEqual(['序号', '指标编号', '测评内容/标准', '任务要求', '角色', '完成时限']);
      const mine = (await danwei.get(`/api/tasks?systemId=${sys.id}&mine=true&pageSize=100`)).json().items as Task[];
      expect(table.length - 1).toBe(mine.length);
      expect(table.slice(1).map((r) => r[1]).sort()).toEqual(mine.map((x) => x.nodeCode).sort());
      expect(table.find((r) => r[1] === 'Ⅱ-1-1')![4]).toBe('牵头单位');
      // another unit's letter is not the contact's business
      expect((await danwei.get(`/api/indicator-systems/${sys.id}/units/${unitIds.get('市政务服务中心')}/responsibility-letter.docx`)).statusCode).toBe(404);

      const list = (await admin.get(`/api/indicator-systems/${sys.id}/responsibility-letters`)).json();
      const entry = list.find((l: { unitId: string }) => l.unitId === cgj);
      expect(entry).toMatchObject({ signedOn: null, version: 0, taskCount: mine.length });
      const scan = await uploadImage(admin);
      const signed = await admin.post(`/api/indicator-systems/${sys.id}/units/${cgj}/responsibility-letter/signed`, { fileId: scan, signedOn: '2026-03-01', version: 0 });
      expect(signed.statusCode, signed.body).toBe(200);
      expect(signed.json()).toMatchObject({ signedOn: '2026-03-01', version: 1, signedRecordedByName: '王建国' });
      expect(signed.json().signedFile.id).toBe(scan);
      const scan2 = await uploadImage(admin);
      const stale = await admin.post(`/api/indicator-systems/${sys.id}/units/${cgj}/responsibility-letter/signed`, { fileId: scan2, signedOn: '2026-03-02', version: 0 });
      expect(stale.statusCode).toBe(409);
      // the contact of the unit sees its signed scan
      expect((await danwei.get(`/api/files/${scan}`)).statusCode).toBe(200);
      expect((await danwei.get(`/api/indicator-systems/${sys.id}/responsibility-letters?signed=true`)).json().map((l: { unitName: string }) => l.unitName)).toEqual(['市城市管理局']);
      const future = await admin.post(`/api/indicator-systems/${sys.id}/units/${cgj}/responsibility-letter/signed`, { fileId: scan2, signedOn: '2999-01-01', version: 1 });
      expect(future.statusCode).toBe(400);
    });

    it('when a unit moves to another district its tasks follow it in scope and roll-ups', async () => {
      const street = unitIds.get('新华街道')!;
      const label = async (c: Client, unitId?: string) =>
        ((await c.get(`/api/tasks/rollup?systemId=${sys.id}&by=unit${unitId ? `&unitId=${unitId}` : ''}`)).json() as Rollup).rows.map((r) => r.label);
      expect(await label(qu)).toContain('新华街道');
      const unit = (await admin.get(`/api/org/units/${street}`)).json();
      const moved = await admin.post(`/api/org/units/${street}/move`, { parentId: unitIds.get('和谐区'), version: unit.version });
      expect(moved.statusCode, moved.body).toBe(200);
      expect(await label(qu)).not.toContain('新华街道');
      expect(await label(admin, unitIds.get('和谐区'))).toContain('新华街道');
    });
  });
});
