import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvidenceDetail, EvidenceItem, EvidenceRequirement, Matrix } from '../../../../contracts/evidence.ts';
import { cellKey, tally } from '../../../../domain/evidence-matrix.ts';
import { hashPassword } from '../../auth/index.ts';
import { newId } from '../../../lib/ids.ts';
import { type Client, type TestApp, startTestApp } from '../../../test/harness.ts';
import { minimalPdf, png } from '../../files/files.fixtures.ts';
import { completenessMatrix } from './evidence.repo.ts';
import { createEvidenceFixture, type EvidenceFixture } from './evidence.fixtures.ts';

async function upload(c: Client, name: string, data: Buffer, mime: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(data)], { type: mime }), name);
  const res = new Response(form);
  const out = await c.request('POST', '/api/files', Buffer.from(await res.arrayBuffer()), { 'content-type': res.headers.get('content-type')! });
  expect(out.statusCode, out.body).toBe(200);
  return out.json().items[0].id;
}

describe('evidence: requirements, filing, review, matrix, archive', () => {
  let t: TestApp;
  let admin: Client;
  let qu: Client;
  let danwei: Client;
  let ducha: Client;
  let jiaotong: Client;
  let fx: EvidenceFixture;

  beforeAll(async () => {
    t = await startTestApp();
    fx = await createEvidenceFixture(t.deps.db);
    // a contact of another city department (市交通运输局), to prove units cannot see each other's evidence
    const id = newId();
    await t.deps.db.execute(sql`INSERT INTO users (id, username, name, unit_id, password_hash, must_change_password)
      VALUES (${id}, 'jtj_contact', '交通联络员', ${fx.units.jtj.id}, ${await hashPassword('Test-Passw0rd!')}, false)`);
    await t.deps.db.execute(sql`INSERT INTO user_roles (user_id, role_code) VALUES (${id}, 'unit_contact')`);
    [admin, qu, danwei, ducha] = await Promise.all(['admin', 'qu_admin', 'danwei', 'ducha'].map((u) => t.login(u)));
    jiaotong = await t.login('jtj_contact', 'Test-Passw0rd!');
  });
  afterAll(() => t.close());

  const ok = async <T>(p: Promise<{ statusCode: number; body: string; json(): unknown }>): Promise<T> => {
    const res = await p;
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as T;
  };
  // the template database holds the demo city's evidence too: every list here is of the fixture's system
  const mine = async (c: Client, extra = '') => (await ok<{ items: EvidenceItem[]; total: number }>(c.get(`/api/evidence/items?mine=true&systemId=${fx.systemId}&pageSize=200${extra}`))).items;
  const queueOf = async (c: Client) => (await ok<{ items: EvidenceItem[] }>(c.get(`/api/evidence/review-queue?systemId=${fx.systemId}`))).items;
  const allItems = async () => (await ok<{ items: EvidenceItem[] }>(admin.get(`/api/evidence/items?systemId=${fx.systemId}&pageSize=200`))).items;

  let monthly: EvidenceRequirement;

  it('creates requirements and generates what is due per unit and period (idempotent; cooperating units owe nothing)', async () => {
    monthly = await ok<EvidenceRequirement>(
      admin.post('/api/evidence/requirements', {
        standardId: fx.standards['Ⅱ-1-1'],
        recurrence: 'monthly',
        title: '背街小巷整治工作台账',
        description: '每月整治记录、前后对比照片',
        startsOn: '2026-01-01',
        endsOn: '2026-12-31',
        generate: false,
      }),
    );
    expect(monthly.unitId).toBeNull();
    await ok(admin.post('/api/evidence/requirements', { standardId: fx.standards['Ⅲ-1-1'], recurrence: 'quarterly', title: '学雷锋活动记录', startsOn: '2026-01-01', endsOn: '2026-12-31', generate: false }));
    await ok(admin.post('/api/evidence/requirements', { standardId: fx.standards['Ⅱ-1-2'], unitId: fx.units.cgj.id, recurrence: 'once', title: '户外广告设置规划', startsOn: '2026-01-01', endsOn: '2026-06-30', generate: false }));

    const gen = await ok<{ created: number; requirements: number }>(admin.post('/api/evidence/requirements/generate', { systemId: fx.systemId, asOf: '2026-03-15' }));
    // Ⅱ-1-1: 市城市管理局 + 市交通运输局 × Jan–Mar = 6; Ⅲ-1-1: two district departments × Q1 = 2; Ⅱ-1-2 once = 1
    expect(gen).toMatchObject({ requirements: 3, created: 9 });
    expect((await ok<{ created: number }>(admin.post('/api/evidence/requirements/generate', { systemId: fx.systemId, asOf: '2026-03-15' }))).created).toBe(0);
    const items = await allItems();
    expect(items.filter((i) => i.unitId === fx.units.scj.id)).toEqual([]);
    expect(items.filter((i) => i.requirementId === monthly.id).map((i) => i.periodLabel).sort()).toEqual(['2026年1月', '2026年1月', '2026年2月', '2026年2月', '2026年3月', '2026年3月']);
    expect(items.find((i) => i.standardCode === 'Ⅲ-1-1')?.periodLabel).toBe('2026年第一季度');
  });

  it('refuses bad requirements with Chinese messages naming the field', async () => {
    const bad = await admin.post('/api/evidence/requirements', { standardId: fx.items.Ⅱ, recurrence: 'monthly', title: 'x', startsOn: '2026-01-01', endsOn: '2026-12-31' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('body.standardId');
    const dates = await admin.post('/api/evidence/requirements', { standardId: fx.standards['Ⅱ-1-1'], recurrence: 'weekly', title: '', startsOn: '2026-02-30', endsOn: '2026-01-01' });
    expect(dates.statusCode).toBe(400);
    const paths = dates.json().error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['body.recurrence', 'body.title', 'body.startsOn']));
    expect((await danwei.post('/api/evidence/requirements', { standardId: fx.standards['Ⅱ-1-1'], recurrence: 'once', title: 'x', startsOn: '2026-01-01', endsOn: '2026-01-02' })).statusCode).toBe(403);
  });

  let first: EvidenceDetail;
  let fileId: string;

  it('a unit contact sees only its own due evidence and submits it with files; it is numbered Ⅱ-1-1)-①', async () => {
    const due = await mine(danwei);
    expect(due).toHaveLength(4); // 3 months of Ⅱ-1-1 + the one-off Ⅱ-1-2
    expect(new Set(due.map((i) => i.unitName))).toEqual(new Set(['市城市管理局']));
    expect(due.every((i) => i.state === 'draft')).toBe(true);
    const jan = due.find((i) => i.periodKey === '2026-01')!;
    fileId = await upload(danwei, '一月台账.png', await png(120, 80), 'image/png');
    const pdfId = await upload(danwei, '一月整治记录.pdf', minimalPdf(), 'application/pdf');
    // a title is required to submit
    const missing = await danwei.post(`/api/evidence/items/${jan.id}/submit`, { title: '', evidenceDate: '2026-01-31', fileIds: [fileId], version: jan.version });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details[0].path).toBe('body.title');
    first = await ok<EvidenceDetail>(
      danwei.post(`/api/evidence/items/${jan.id}/submit`, { title: '1月背街小巷整治台账', evidenceDate: '2026-01-31', description: '整治12条', fileIds: [fileId, pdfId], version: jan.version }),
    );
    expect(first).toMatchObject({ state: 'submitted', number: 'Ⅱ-1-1)-①', fileCount: 2 });
    expect(first.files.map((f) => f.originalName)).toEqual(['一月台账.png', '一月整治记录.pdf']);
    expect(first.events.map((e) => e.action)).toEqual(['generate', 'submit']);
    // submitting again is a conflict, not a second submission
    expect((await danwei.post(`/api/evidence/items/${jan.id}/submit`, { title: 'x', evidenceDate: '2026-01-31', fileIds: [fileId], version: first.version })).statusCode).toBe(409);
  });

  it('another unit can neither see nor file nor download this evidence', async () => {
    const theirs = await mine(jiaotong);
    expect(theirs).toHaveLength(3);
    expect(theirs.some((i) => i.unitId === fx.units.cgj.id)).toBe(false);
    expect((await jiaotong.get(`/api/evidence/items/${first.id}`)).statusCode).toBe(404);
    expect((await jiaotong.post(`/api/evidence/items/${first.id}/submit`, { title: 'x', evidenceDate: '2026-01-31', fileIds: [fileId], version: first.version })).statusCode).toBe(404);
    expect((await jiaotong.get(`/api/files/${fileId}/content`)).statusCode).toBe(403);
    expect((await jiaotong.get(`/api/evidence/items?unitId=${fx.units.cgj.id}`)).json().total).toBe(0);
    expect((await ok<{ total: number }>(admin.get(`/api/evidence/items?unitId=${fx.units.cgj.id}&systemId=${fx.systemId}`))).total).toBe(4);
    // and a unit cannot file into another unit's slot even with files of its own
    const ownFile = await upload(jiaotong, 'x.png', await png(), 'image/png');
    const cgjDraft = (await mine(danwei)).find((i) => i.state === 'draft')!;
    expect((await jiaotong.patch(`/api/evidence/items/${cgjDraft.id}`, { fileIds: [ownFile], version: cgjDraft.version })).statusCode).toBe(404);
    // superiors and city-wide readers may download it
    expect((await admin.get(`/api/files/${fileId}/content`)).statusCode).toBe(200);
    expect((await ducha.get(`/api/files/${fileId}/content`)).statusCode).toBe(200);
    expect((await qu.get(`/api/files/${fileId}/content`)).statusCode).toBe(403);
  });

  it('reviewers work a queue oldest first; a second review answers 409; units cannot review', async () => {
    expect((await queueOf(admin)).map((i) => i.id)).toEqual([first.id]);
    expect((await danwei.post(`/api/evidence/items/${first.id}/review`, { action: 'approve' })).statusCode).toBe(403);
    expect((await ducha.post(`/api/evidence/items/${first.id}/review`, { action: 'approve' })).statusCode).toBe(403);
    const approved = await ok<EvidenceDetail>(admin.post(`/api/evidence/items/${first.id}/review`, { action: 'approve', version: first.version }));
    expect(approved.state).toBe('approved');
    const again = await admin.post(`/api/evidence/items/${first.id}/review`, { action: 'approve' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain('不能重复审核');
    expect((await admin.post(`/api/evidence/items/${first.id}/review`, { action: 'return', reason: '晚了' })).statusCode).toBe(409);
    expect(await queueOf(admin)).toEqual([]);
  });

  it('return needs a reason; the unit resubmits; every step is an event and audited', async () => {
    const feb = (await mine(danwei)).find((i) => i.periodKey === '2026-02')!;
    const f = await upload(danwei, '二月.png', await png(64, 64), 'image/png');
    const sent = await ok<EvidenceDetail>(danwei.post(`/api/evidence/items/${feb.id}/submit`, { title: '2月整治台账', evidenceDate: '2026-02-28', fileIds: [f], version: feb.version }));
    expect(sent.number).toBe('Ⅱ-1-1)-②');
    const noReason = await admin.post(`/api/evidence/items/${feb.id}/review`, { action: 'return', reason: '  ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.details[0].path).toBe('body.reason');
    const returned = await ok<EvidenceDetail>(admin.post(`/api/evidence/items/${feb.id}/review`, { action: 'return', reason: '照片缺少整治前对比' }));
    expect(returned).toMatchObject({ state: 'returned', returnReason: '照片缺少整治前对比' });
    expect((await mine(danwei))[0].id).toBe(feb.id); // 退回 first in the unit's list
    const f2 = await upload(danwei, '二月对比.png', await png(80, 64), 'image/png');
    const resent = await ok<EvidenceDetail>(
      danwei.post(`/api/evidence/items/${feb.id}/submit`, { title: '2月整治台账（补充对比照片）', evidenceDate: '2026-02-28', fileIds: [f, f2], version: returned.version }),
    );
    expect(resent).toMatchObject({ state: 'submitted', number: 'Ⅱ-1-1)-②', fileCount: 2 });
    expect(resent.events.map((e) => [e.action, e.toState])).toEqual([
      ['generate', 'draft'],
      ['submit', 'submitted'],
      ['return', 'returned'],
      ['resubmit', 'submitted'],
    ]);
    expect(resent.events[2]).toMatchObject({ note: '照片缺少整治前对比', actorName: '王建国' });
    const audits = (await t.deps.db.execute(sql`SELECT action FROM audit_log WHERE entity = 'evidence_item' AND entity_id = ${feb.id} ORDER BY id`)) as unknown as {
      rows: { action: string }[];
    };
    expect(audits.rows.map((r) => r.action)).toEqual(['submit', 'return', 'resubmit']);
    await expect(t.deps.db.execute(sql`UPDATE evidence_events SET note = 'x' WHERE item_id = ${feb.id}`)).rejects.toThrow();
  });

  it('district admins review only their subtree', async () => {
    const wmItem = (await allItems()).find((i) => i.unitId === fx.units.wmCgj.id)!;
    expect((await qu.get(`/api/evidence/items/${first.id}`)).statusCode).toBe(404);
    expect((await qu.get(`/api/evidence/items/${wmItem.id}`)).statusCode).toBe(200);
    expect(await queueOf(qu)).toEqual([]);
  });

  it('the completeness matrix matches the data, for the city and for a district', async () => {
    const m = await ok<Matrix>(admin.get(`/api/evidence/matrix?systemId=${fx.systemId}&byPeriod=true`));
    // reference: the domain's counting over every item, as the list API shows them
    const ref = tally((await allItems()).map((i) => ({ standardId: i.standardId, unitId: i.unitId, periodKey: i.periodKey, state: i.state })));
    expect(m.cells).toHaveLength(ref.size);
    for (const c of m.cells) expect({ ...c }).toEqual({ standardId: c.standardId, unitId: c.unitId, periodKey: c.periodKey, ...ref.get(cellKey(c.standardId, c.unitId, c.periodKey)) });
    expect(m.totals).toEqual({ due: 9, missing: 7, submitted: 1, approved: 1, returned: 0 });
    const cgj211 = m.cells.filter((c) => c.standardId === fx.standards['Ⅱ-1-1'] && c.unitId === fx.units.cgj.id);
    expect(Object.fromEntries(cgj211.map((c) => [c.periodKey, `${c.approved}/${c.submitted}/${c.missing}`]))).toEqual({ '2026-01': '1/0/0', '2026-02': '0/1/0', '2026-03': '0/0/1' });
    expect(m.standards.map((s) => s.code)).toEqual(['Ⅱ-1-1', 'Ⅱ-1-2', 'Ⅲ-1-1']);
    expect(m.periods.map((p) => p.label)).toEqual(['一次性', '2026年1月', '2026年2月', '2026年3月', '2026年第一季度']);

    const dist = await ok<Matrix>(admin.get(`/api/evidence/matrix?systemId=${fx.systemId}&rootUnitId=${fx.units.wm.id}`));
    expect(dist.units.map((u) => u.name)).toEqual(['文明区城市管理局']);
    expect(dist.totals).toEqual({ due: 1, missing: 1, submitted: 0, approved: 0, returned: 0 });
    // a district admin's default scope is the district; another district is refused
    expect((await ok<Matrix>(qu.get(`/api/evidence/matrix?systemId=${fx.systemId}`))).totals.due).toBe(1);
    expect((await qu.get(`/api/evidence/matrix?systemId=${fx.systemId}&rootUnitId=${fx.units.hxCgj.id}`)).statusCode).toBe(403);
    // the period filter: February only
    const feb = await ok<Matrix>(admin.get(`/api/evidence/matrix?systemId=${fx.systemId}&periodFrom=2026-02-01&periodTo=2026-02-28`));
    expect(feb.totals).toEqual({ due: 2 + 2 + 1, missing: 4, submitted: 1, approved: 0, returned: 0 }); // Feb × 2 units, Q1 × 2, the one-off

    // rolled up to the city's direct subordinates: the districts count their departments' evidence
    const rolled = await ok<Matrix>(admin.get(`/api/evidence/matrix?systemId=${fx.systemId}&rollup=true`));
    expect(rolled.rollup).toBe(true);
    expect(new Set(rolled.units.map((u) => u.name))).toEqual(new Set(['市城市管理局', '市交通运输局', '文明区', '和谐区']));
    expect(rolled.units.find((u) => u.name === '文明区')?.totals).toEqual({ due: 1, missing: 1, submitted: 0, approved: 0, returned: 0 });
    expect(rolled.totals).toEqual(m.totals);
    // a district rolled up: its department is its own column
    const distRolled = await ok<Matrix>(admin.get(`/api/evidence/matrix?systemId=${fx.systemId}&rootUnitId=${fx.units.wm.id}&rollup=true`));
    expect(distRolled.cells.map((c) => c.unitId)).toEqual([fx.units.wmCgj.id]);

    // the repo function the benchmark calls gives the same cells
    const direct = await completenessMatrix(t.deps.db, { systemId: fx.systemId, rootPath: fx.units.wm.path });
    expect(direct).toEqual([{ standard_id: fx.standards['Ⅲ-1-1'], unit_id: fx.units.wmCgj.id, period_key: '2026-Q1', due: 1, missing: 1, submitted: 0, approved: 0, returned: 0 }]);
  });

  it('exports the matrix to Excel (read back)', async () => {
    const res = await admin.get(`/api/evidence/matrix/export?systemId=${fx.systemId}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain('filename*=UTF-8');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const grid = wb.getWorksheet('完备性矩阵')!;
    const header = (grid.getRow(1).values as string[]).slice(1);
    const row = grid.getRows(2, grid.rowCount - 1)!.find((r) => r.getCell(2).value === 'Ⅱ-1-1')!;
    expect(row.getCell(header.indexOf('市城市管理局') + 1).value).toBe('1/3');
    expect(row.getCell(header.indexOf('市交通运输局') + 1).value).toBe('0/3');
    expect(row.getCell(header.indexOf('合计（通过/应报）') + 1).value).toBe('1/6');
    const details = wb.getWorksheet('明细')!;
    expect(details.rowCount - 1).toBe(9); // one row per standard × unit × period with anything due: 3 + 3 months, the one-off, 2 quarters
  });

  it('streams the archive of approved evidence: folders by item and unit, number + title names, an index sheet', async () => {
    const feb = (await mine(danwei)).find((i) => i.periodKey === '2026-02')!;
    await ok(admin.post(`/api/evidence/items/${feb.id}/review`, { action: 'approve' }));
    const res = await admin.get(`/api/evidence/archive?systemId=${fx.systemId}`);
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    const zip = await JSZip.loadAsync(res.rawPayload);
    const names = Object.keys(zip.files).filter((n) => !zip.files[n].dir);
    const base = names[0].split('/')[0];
    expect(base).toMatch(/^材料归档_2026年度测评体系（材料审核测试）_\d{4}-\d{2}-\d{2}$/);
    expect(names.map((n) => n.slice(base.length + 1)).sort()).toEqual(
      [
        'Ⅱ 公共文明/市城市管理局/Ⅱ-1-1)-① 1月背街小巷整治台账_1.png',
        'Ⅱ 公共文明/市城市管理局/Ⅱ-1-1)-① 1月背街小巷整治台账_2.pdf',
        'Ⅱ 公共文明/市城市管理局/Ⅱ-1-1)-② 2月整治台账（补充对比照片）_1.png',
        'Ⅱ 公共文明/市城市管理局/Ⅱ-1-1)-② 2月整治台账（补充对比照片）_2.png',
        '材料索引.xlsx',
      ].sort(),
    );
    // the bytes are the uploaded ones
    const pdf = await zip.file(`${base}/Ⅱ 公共文明/市城市管理局/Ⅱ-1-1)-① 1月背街小巷整治台账_2.pdf`)!.async('nodebuffer');
    expect(pdf.equals(minimalPdf())).toBe(true);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await zip.file(`${base}/材料索引.xlsx`)!.async('nodebuffer')) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('材料索引')!;
    const rows = sheet.getRows(2, sheet.rowCount - 1)!.map((r) => [r.getCell(1).value, r.getCell(4).value, r.getCell(6).value, r.getCell(9).value, r.getCell(10).value]);
    expect(rows).toEqual([
      ['Ⅱ-1-1)-①', 'Ⅱ-1-1', '市城市管理局', '通过', 2],
      ['Ⅱ-1-1)-②', 'Ⅱ-1-1', '市城市管理局', '通过', 2],
    ]);
    expect(String(sheet.getRow(2).getCell(11).value)).toContain('Ⅱ-1-1)-① 1月背街小巷整治台账_2.pdf');
    // units cannot export the archive; a district's archive holds only its subtree
    expect((await danwei.get(`/api/evidence/archive?systemId=${fx.systemId}`)).statusCode).toBe(403);
    const district = await qu.get(`/api/evidence/archive?systemId=${fx.systemId}`);
    const dz = await JSZip.loadAsync(district.rawPayload);
    expect(Object.keys(dz.files).filter((n) => !dz.files[n].dir && !n.endsWith('材料索引.xlsx'))).toEqual([]);
  });

  it('per-activity requirements: the unit adds one item per activity', async () => {
    const req = await ok<EvidenceRequirement>(
      admin.post('/api/evidence/requirements', { standardId: fx.standards['Ⅱ-1-2'], unitId: fx.units.cgj.id, recurrence: 'per_activity', title: '广告整治专项行动记录', startsOn: '2026-01-01', endsOn: '2026-12-31' }),
    );
    expect(req.itemCount).toBe(1);
    const added = await ok<EvidenceDetail>(danwei.post('/api/evidence/items', { requirementId: req.id }));
    expect(added).toMatchObject({ slot: 2, state: 'draft', periodKey: 'activity' });
    // two reviewers approve the same item at once: one wins, the other is told it is already reviewed
    const f = await upload(danwei, '活动.png', await png(90, 60), 'image/png');
    await ok(danwei.post(`/api/evidence/items/${added.id}/submit`, { title: '3月广告整治行动', evidenceDate: '2026-03-12', fileIds: [f], version: added.version }));
    const both = await Promise.all([admin.post(`/api/evidence/items/${added.id}/review`, { action: 'approve' }), admin.post(`/api/evidence/items/${added.id}/review`, { action: 'return', reason: '重复' })]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const after = await ok<EvidenceDetail>(admin.get(`/api/evidence/items/${added.id}`));
    expect(after.events.filter((e) => e.action === 'approve' || e.action === 'return')).toHaveLength(1);
    expect((await jiaotong.post('/api/evidence/items', { requirementId: req.id })).statusCode).toBe(403);
    expect((await danwei.post('/api/evidence/items', { requirementId: monthly.id })).statusCode).toBe(400);
  });
});
