import ExcelJS from 'exceljs';
import gcoord from 'gcoord';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportPreview } from '../../../../contracts/org-import.ts';
import { XLSX_MIME } from '../../../lib/excel.ts';
import { type Client, startTestApp, type TestApp } from '../../../test/harness.ts';

let t: TestApp;
let admin: Client;
let quAdmin: Client;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.login('admin');
  quAdmin = await t.login('qu_admin');
});
afterAll(() => t.close());

type Cell = string | number | null;
/** A workbook as a city office makes it: optional merged title rows above the header, merges given as ranges. */
async function xlsx(rows: Cell[][], merges: string[] = []): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  rows.forEach((r, i) => {
    r.forEach((v, j) => {
      if (v !== null) ws.getCell(i + 1, j + 1).value = v;
    });
  });
  for (const m of merges) ws.mergeCells(m);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function multipart(buf: Buffer, filename = 'import.xlsx') {
  const boundary = `----cwtest${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${XLSX_MIME}\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, buf, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const upload = (c: Client, url: string, buf: Buffer) => {
  const m = multipart(buf);
  return c.request('POST', url, m.payload, m.headers);
};

async function count(table: string, where = 'true'): Promise<number> {
  const r = await t.deps.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`);
  return r.rows[0].n;
}

async function readBack(body: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  return wb;
}

const POINT_HEADER = ['序号', '所在区域', '点位名称', '经度', '纬度', '坐标系', '点位类型', '点位编码', '详细地址', '包保单位', '是否重点', '网格编码'];
const title = (text: string) => [text, ...Array(POINT_HEADER.length - 1).fill(null)];

describe('points import', () => {
  it('serves a template with header, example and 说明', async () => {
    const res = await admin.get('/api/org/import/points/template');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX_MIME);
    expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('点位导入模板.xlsx')}`);
    const wb = await readBack(res.rawPayload);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['点位导入', '说明']);
    const header = (wb.worksheets[0].getRow(1).values as Cell[]).slice(1);
    expect(header).toContain('点位编码*');
    expect(header).toContain('坐标系');
    expect(wb.worksheets[0].getCell('B2').value).toBe('东风路公交站');
  });

  it('previews a messy file: header on row 3, shuffled columns, merged 所在区域, per-row errors; commit writes nothing', async () => {
    const buf = await xlsx(
      [
        title('2026年示范市文明城市创建点位清单'),
        title('填报单位：市创文办　　填报日期：2026年11月'),
        POINT_HEADER,
        [1, '朝阳社区', '测试公交站甲', 113.66, 34.76, 'GCJ-02', '公交站点', 'IMP001', '示范市文明区人民路1号', '市交通运输局、新华街道', '是', 'WG011'],
        [2, null, '测试公厕乙', `113°39'55.4"E`, `34°45'28.4"N`, null, '室外公共厕所', 'IMP002', '示范市文明区建设路2号', '市城市管理局', '否', null],
        [3, null, '测试广场丙', 113.67, 34.75, 'GCJ-02', '不存在的类型', 'IMP003', '示范市文明区3号', '市城市管理局', null, null],
        [4, '光明社区', '测试公园丁', 200, 34.7, null, '公园', 'IMP004', '示范市文明区4号', '不存在的单位', null, null],
        [5, '光明社区', '重复编码戊', 113.65, 34.75, null, '公园', 'DW0001', '示范市文明区5号', '市园林绿化局', null, null],
        [6, '光明社区', '重复编码己', 113.65, 34.75, null, '公园', 'IMP001', '示范市文明区6号', '市园林绿化局', null, null],
      ],
      ['A1:L1', 'A2:L2', 'B4:B6'],
    );
    const before = await count('points');
    const res = await upload(admin, '/api/org/import/points/preview', buf);
    expect(res.statusCode).toBe(200);
    const p = res.json() as ImportPreview;
    expect(p.headerRow).toBe(3);
    expect(p.missing).toEqual([]);
    expect(p.ignored).toEqual(['序号']);
    expect(p.columns.find((c) => c.field === 'area')).toMatchObject({ column: 'B', header: '所在区域', label: '所在区域' });
    expect(p.columns.find((c) => c.field === 'units')?.header).toBe('包保单位');
    expect(p.summary).toMatchObject({ total: 6, valid: 2, invalid: 4 });
    const byRow = new Map(p.rows.map((r) => [r.row, r]));
    expect(byRow.get(4)?.errors).toEqual([]);
    expect(byRow.get(5)?.data.area).toBe('朝阳社区'); // from the merged cell
    expect(byRow.get(5)?.errors).toEqual([]);
    expect(byRow.get(6)?.errors).toEqual([expect.objectContaining({ field: 'type', label: '点位类型', message: expect.stringContaining('点位类型「不存在的类型」不存在') })]);
    const r7 = byRow.get(7)!.errors;
    expect(r7).toContainEqual({ field: 'lng', label: '经度', message: '经度超出中国范围（73–136）' });
    expect(r7).toContainEqual(expect.objectContaining({ field: 'units', message: '责任单位「不存在的单位」不存在或已停用' }));
    expect(byRow.get(8)?.errors).toContainEqual(expect.objectContaining({ field: 'code', message: expect.stringContaining('点位编码已存在') }));
    expect(byRow.get(9)?.errors).toContainEqual(expect.objectContaining({ field: 'code', message: '点位编码与第 4 行重复' }));

    const commit = await upload(admin, '/api/org/import/points/commit', buf);
    expect(commit.statusCode).toBe(422);
    const err = commit.json().error;
    expect(err.code).toBe('IMPORT_INVALID');
    expect(err.message).toContain('4 行有错误');
    expect(err.details).toContainEqual({ path: 'rows.7.经度', message: '经度超出中国范围（73–136）' });
    expect(err.details).toContainEqual(expect.objectContaining({ path: 'rows.6.点位类型' }));
    expect(await count('points')).toBe(before);
    expect(await count('points', `code LIKE 'IMP%'`)).toBe(0);
  });

  it('commits a valid file in one go: GCJ-02 converted to WGS-84, area path, 责任单位, audit', async () => {
    const buf = await xlsx(
      [
        title('点位清单'),
        POINT_HEADER,
        [1, '朝阳社区', '测试公交站甲', 113.66, 34.76, 'GCJ-02', '公交站点', 'IMP001', '示范市文明区人民路1号', '市交通运输局、新华街道', '是', 'WG011'],
        [2, null, '测试公厕乙', `113°39'55.4"E`, `34°45'28.4"N`, null, '室外公共厕所', 'IMP002', '示范市文明区建设路2号', '市城市管理局', '否', null],
      ],
      ['A1:L1', 'B3:B4'],
    );
    const before = await count('points');
    const auditBefore = await count('audit_log');
    const res = await upload(admin, '/api/org/import/points/commit', buf);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ kind: 'points', mode: 'insert', total: 2, inserted: 2, updated: 0 });
    expect(await count('points')).toBe(before + 2);

    const r = await t.deps.database.query<{ code: string; lng: number; lat: number; area_path: string; community_path: string; is_key: boolean; units: string; grid_code: string | null }>(`
      SELECT p.code, p.lng, p.lat, p.area_path, c.path AS community_path, p.is_key, g.code AS grid_code,
             (SELECT string_agg(u.name, '、' ORDER BY u.name) FROM point_units pu JOIN org_units u ON u.id = pu.unit_id WHERE pu.point_id = p.id) AS units
      FROM points p JOIN org_units c ON c.id = p.area_unit_id LEFT JOIN grids g ON g.id = p.grid_id WHERE p.code LIKE 'IMP%' ORDER BY p.code`);
    const [a, b] = r.rows;
    const [x, y] = gcoord.transform([113.66, 34.76], gcoord.GCJ02, gcoord.WGS84);
    expect(a.lng).toBeCloseTo(x, 6);
    expect(a.lat).toBeCloseTo(y, 6);
    expect(Math.abs(a.lng - 113.66)).toBeGreaterThan(0.001); // really converted
    expect(a.area_path).toBe(a.community_path);
    expect(a).toMatchObject({ is_key: true, grid_code: 'WG011', units: ['市交通运输局', '新华街道'].sort().join('、') });
    expect(b.lng).toBeCloseTo(113 + 39 / 60 + 55.4 / 3600, 6);
    expect(b).toMatchObject({ is_key: false, grid_code: null, units: '市城市管理局' });
    // one 'import' row and one 'create' row per point
    expect(await count('audit_log')).toBe(auditBefore + 3);
    const imp = await t.deps.database.query<{ actor_name: string; after: { kind: string; inserted: number } }>(`SELECT actor_name, after FROM audit_log WHERE action = 'import' ORDER BY id DESC LIMIT 1`);
    expect(imp.rows[0].after).toMatchObject({ kind: 'points', inserted: 2 });
    expect(await count('audit_log', `action = 'create' AND entity = 'point'`)).toBeGreaterThanOrEqual(2);
  });

  it('exports visible points in the import layout and re-imports the export as an upsert', async () => {
    const res = await admin.get('/api/org/export/points');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/filename\*=UTF-8''%E7%82%B9%E4%BD%8D_\d{8}\.xlsx/);
    const wb = await readBack(res.rawPayload);
    const ws = wb.worksheets[0];
    const header = (ws.getRow(1).values as Cell[]).slice(1);
    expect(header).toEqual(['点位编码', '点位名称', '点位类型', '地址', '经度', '纬度', '坐标系', '所在区域', '网格编码', '责任单位', '重点点位']);
    const rows: Cell[][] = [];
    ws.eachRow((row, n) => {
      if (n > 1) rows.push((row.values as Cell[]).slice(1));
    });
    expect(rows.length).toBe(await count('points', 'is_active'));
    const imp1 = rows.find((r) => r[0] === 'IMP001')!;
    const db = (await t.deps.database.query<{ lng: number; lat: number }>(`SELECT lng, lat FROM points WHERE code = 'IMP001'`)).rows[0];
    expect(imp1).toEqual(['IMP001', '测试公交站甲', '公交站点', '示范市文明区人民路1号', db.lng, db.lat, 'WGS-84', '朝阳社区', 'WG011', '市交通运输局、新华街道', '是']);

    // edit one name and re-import the whole export with mode=upsert
    const dw = ws.getColumn(1).values.indexOf('DW0001');
    ws.getCell(dw, 2).value = '改名后的点位';
    const edited = Buffer.from(await wb.xlsx.writeBuffer());
    const preview = (await upload(admin, '/api/org/import/points/preview?mode=upsert', edited)).json() as ImportPreview;
    expect(preview.summary.invalid).toBe(0);
    expect(preview.summary.updates).toBe(rows.length);
    // moving a point to another area while keeping a grid of the old one is refused
    const moved = await xlsx([
      ['点位编码', '点位名称', '点位类型', '地址', '经度', '纬度', '所在区域', '责任单位'],
      ['IMP001', '测试公交站甲', '公交站点', '示范市文明区人民路1号', 113.66, 34.76, '光明社区', '市交通运输局'],
    ]);
    const mp = (await upload(admin, '/api/org/import/points/preview?mode=upsert', moved)).json() as ImportPreview;
    expect(mp.rows[0].errors.map((e) => e.message)).toEqual(['现有网格「WG011」不在新的所在区域内，请同时填写网格编码']);
    const insertMode = (await upload(admin, '/api/org/import/points/preview', edited)).json() as ImportPreview;
    expect(insertMode.summary.invalid).toBe(rows.length);

    const before = (await t.deps.database.query<{ version: number }>(`SELECT version FROM points WHERE code = 'DW0001'`)).rows[0].version;
    const commit = await upload(admin, '/api/org/import/points/commit?mode=upsert', edited);
    expect(commit.statusCode).toBe(200);
    expect(commit.json()).toMatchObject({ inserted: 0, updated: rows.length });
    const after = (await t.deps.database.query<{ version: number; name: string }>(`SELECT version, name FROM points WHERE code = 'DW0001'`)).rows[0];
    expect(after).toEqual({ version: before + 1, name: '改名后的点位' });
    const log = await t.deps.database.query<{ before: { name: string }; after: { name: string } }>(
      `SELECT a.before, a.after FROM audit_log a JOIN points p ON p.id::text = a.entity_id WHERE p.code = 'DW0001' AND a.action = 'update' ORDER BY a.id DESC LIMIT 1`,
    );
    expect(log.rows[0].before.name).not.toBe('改名后的点位');
    expect(log.rows[0].after.name).toBe('改名后的点位');
  });

  it('keeps a district admin inside the district and refuses non-xlsx uploads', async () => {
    const buf = await xlsx([
      ['点位编码', '点位名称', '点位类型', '地址', '经度', '纬度', '所在区域', '责任单位'],
      ['HX001', '和平社区测试点', '公园', '示范市和谐区1号', 113.67, 34.75, '和平社区', '和谐区城市管理局'],
    ]);
    const p = (await upload(quAdmin, '/api/org/import/points/preview', buf)).json() as ImportPreview;
    expect(p.rows[0].errors).toContainEqual(expect.objectContaining({ field: 'area', message: '所在区域「和平社区」不在您的管辖范围内' }));
    const commit = await upload(quAdmin, '/api/org/import/points/commit', buf);
    expect(commit.statusCode).toBe(422);
    expect(await count('points', `code = 'HX001'`)).toBe(0);

    const danwei = await t.login('danwei');
    expect((await upload(danwei, '/api/org/import/points/preview', buf)).statusCode).toBe(403);
    const csv = await upload(admin, '/api/org/import/points/preview', Buffer.from('点位编码,点位名称\nA,B\n'));
    expect(csv.statusCode).toBe(415);
    expect(csv.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const notMultipart = await admin.post('/api/org/import/points/preview', {});
    expect(notMultipart.statusCode).toBe(415);
  });

  it('reports missing required columns by their Chinese names', async () => {
    const buf = await xlsx([['点位编码', '点位名称', '经度'], ['X1', '甲', 113.6]]);
    const p = (await upload(admin, '/api/org/import/points/preview', buf)).json() as ImportPreview;
    expect(p.missing).toEqual(['点位类型', '地址', '纬度', '所在区域', '责任单位']);
    const commit = await upload(admin, '/api/org/import/points/commit', buf);
    expect(commit.statusCode).toBe(422);
    expect(commit.json().error.details).toContainEqual({ path: 'columns.纬度', message: '缺少必填列：纬度' });
  });
});

describe('units import', () => {
  it('resolves parents named by later rows, in dependency order (district admin)', async () => {
    const buf = await xlsx([
      ['名称', '类型', '上级单位', '区划代码', '常住人口', '联系电话'],
      ['东风社区', '社区村', '东风街道', '990102003001', '8,600', '13800001234'],
      ['东风社区第一小学', '单位', '东风社区', null, null, null],
      ['东风街道', '街道乡镇', '文明区', '990102003', null, null],
    ]);
    const p = (await upload(quAdmin, '/api/org/import/units/preview', buf)).json() as ImportPreview;
    expect(p.rows.flatMap((r) => r.errors)).toEqual([]);
    const res = await upload(quAdmin, '/api/org/import/units/commit', buf);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ inserted: 3 });
    const r = await t.deps.database.query<{ name: string; path: string; parent_path: string; depth: number; search_text: string; population: number | null }>(
      `SELECT u.name, u.path, p.path AS parent_path, u.depth, u.search_text, u.population FROM org_units u JOIN org_units p ON p.id = u.parent_id WHERE u.name LIKE '东风%' ORDER BY u.depth`,
    );
    expect(r.rows.map((u) => u.name)).toEqual(['东风街道', '东风社区', '东风社区第一小学']);
    for (const u of r.rows) expect(u.path.startsWith(u.parent_path)).toBe(true);
    expect(r.rows[1].population).toBe(8600);
    expect(r.rows[1].search_text).toContain('dfsq');

    const exp = await quAdmin.get('/api/org/export/units');
    const ws = (await readBack(exp.rawPayload)).worksheets[0];
    const names: Cell[] = [];
    let phone: Cell = null;
    ws.eachRow((row, n) => {
      if (n === 1) return;
      names.push(row.getCell(1).value as Cell);
      if (row.getCell(1).value === '东风社区') phone = row.getCell(11).value as Cell;
    });
    expect(names).toContain('东风社区');
    expect(names).not.toContain('和谐区');
    expect(phone).toBe('138****1234');
  });

  it('reports kind rules, existing units, cycles, scope, unknown and ambiguous parents', async () => {
    const setup = await xlsx([
      ['名称', '类型', '上级单位'],
      ['综合科', '部门', '市教育局'],
      ['综合科', '部门', '市卫生健康委员会'],
    ]);
    expect((await upload(admin, '/api/org/import/units/commit', setup)).statusCode).toBe(200);
    const buf = await xlsx([
      ['单位名称', '单位类型', '上级'],
      ['错误社区', '社区', '文明区'],
      ['朝阳社区', '社区村', '新华街道'],
      ['循环甲', '单位', '循环乙'],
      ['循环乙', '单位', '循环甲'],
      ['和谐某单位', '单位', '和谐区'],
      ['无上级单位', '单位', '不存在的局'],
      ['综合科下属', '单位', '综合科'],
    ]);
    const before = await count('org_units');
    const p = (await upload(admin, '/api/org/import/units/preview', buf)).json() as ImportPreview;
    const msg = (row: number) => p.rows.find((r) => r.row === row)!.errors.map((e) => e.message);
    expect(msg(2)).toContain('区县下不能设立社区村');
    expect(msg(3)).toContain('单位「朝阳社区」已存在（如需更新请选择“更新已有”模式）');
    expect(msg(4)).toContain('上级单位循环引用（本文件中的行互为上级）');
    expect(msg(5)).toContain('上级单位循环引用（本文件中的行互为上级）');
    expect(msg(6)).toEqual([]); // the city admin may
    expect(msg(7)).toContain('上级单位「不存在的局」不存在（系统和本文件中都没有）');
    expect(msg(8)[0]).toContain('上级单位「综合科」有 2 个重名单位，请填写上级区划代码');
    const qp = (await upload(quAdmin, '/api/org/import/units/preview', buf)).json() as ImportPreview;
    expect(qp.rows.find((r) => r.row === 6)!.errors.map((e) => e.message)).toContain('上级单位「和谐区」不在您的管辖范围内');
    expect((await upload(admin, '/api/org/import/units/commit', buf)).statusCode).toBe(422);
    expect(await count('org_units')).toBe(before);
  });
});

describe('upsert', () => {
  it('updates units and grids in mode=upsert, bumping versions, and refuses them in mode=insert', async () => {
    const units = await xlsx([
      ['名称', '类型', '上级单位', '常住人口'],
      ['朝阳社区', '社区村', '新华街道', '12,345'],
    ]);
    const v = async (sql: string) => (await t.deps.database.query<{ version: number; n: number | null }>(sql)).rows[0];
    const before = await v(`SELECT version, population AS n FROM org_units WHERE name = '朝阳社区'`);
    expect(((await upload(admin, '/api/org/import/units/preview', units)).json() as ImportPreview).summary.invalid).toBe(1);
    const p = (await upload(admin, '/api/org/import/units/preview?mode=upsert', units)).json() as ImportPreview;
    expect(p.rows[0]).toMatchObject({ action: 'update', errors: [] });
    expect((await upload(admin, '/api/org/import/units/commit?mode=upsert', units)).json()).toMatchObject({ inserted: 0, updated: 1 });
    expect(await v(`SELECT version, population AS n FROM org_units WHERE name = '朝阳社区'`)).toEqual({ version: before.version + 1, n: 12345 });

    const grids = await xlsx([
      ['网格编码', '网格名称', '所属社区', '网格员'],
      ['WG011', '朝阳社区第一网格（调整）', '朝阳社区', 'wangge02'],
    ]);
    const res = await upload(admin, '/api/org/import/grids/commit?mode=upsert', grids);
    expect(res.statusCode, res.body).toBe(200);
    const g = await t.deps.database.query<{ name: string; version: number; workers: string }>(
      `SELECT g.name, g.version, (SELECT string_agg(u.username, ',') FROM grid_workers w JOIN users u ON u.id = w.user_id WHERE w.grid_id = g.id) AS workers FROM grids g WHERE g.code = 'WG011'`,
    );
    expect(g.rows[0]).toEqual({ name: '朝阳社区第一网格（调整）', version: 2, workers: 'wangge02' });

    // a grid holding points keeps its community (the grids API's rule)
    const move = await xlsx([
      ['网格编码', '网格名称', '所属社区'],
      ['WG011', '朝阳社区第一网格', '光明社区'],
    ]);
    const p2 = (await upload(admin, '/api/org/import/grids/preview?mode=upsert', move)).json() as ImportPreview;
    expect(p2.rows[0].errors.map((e) => e.message)).toEqual(['该网格下仍有点位，不能更换所属社区', '现有网格员「wangge02」不属于新的所属社区，请同时填写网格员']);
  });
});

describe('round trip', () => {
  it('re-imports the exported units and grids of the city admin in mode=upsert without errors', async () => {
    for (const kind of ['units', 'grids'] as const) {
      const exp = await admin.get(`/api/org/export/${kind}`);
      const p = (await upload(admin, `/api/org/import/${kind}/preview?mode=upsert`, exp.rawPayload)).json() as ImportPreview;
      expect(p.rows.filter((r) => r.errors.length).map((r) => [r.row, r.errors])).toEqual([]);
      expect(p.summary.updates).toBe(p.summary.total);
    }
  });

  it("re-imports a district admin's unit export: unchanged rows (their own district) are left alone", async () => {
    const exp = await quAdmin.get('/api/org/export/units');
    const wb = await readBack(exp.rawPayload);
    const ws = wb.worksheets[0];
    const rowOf = (name: string) => ws.getColumn(1).values.indexOf(name);
    expect(ws.getCell(rowOf('文明区'), 4).value).toBe('示范市');
    ws.getCell(rowOf('光明社区'), 9).value = 9999;
    const edited = Buffer.from(await wb.xlsx.writeBuffer());
    const p = (await upload(quAdmin, '/api/org/import/units/preview?mode=upsert', edited)).json() as ImportPreview;
    expect(p.rows.filter((r) => r.errors.length).map((r) => [r.row, r.errors])).toEqual([]);
    const before = await count('audit_log', `action = 'update' AND entity = 'org_unit'`);
    const res = await upload(quAdmin, '/api/org/import/units/commit?mode=upsert', edited);
    expect(res.json()).toMatchObject({ inserted: 0, updated: 1 });
    expect(await count('audit_log', `action = 'update' AND entity = 'org_unit'`)).toBe(before + 1);
    expect(await count('org_units', `name = '光明社区' AND population = 9999 AND version = 2`)).toBe(1);
  });
});

describe('grids import', () => {
  it('checks communities and 网格员 like the API, then writes grids with their workers', async () => {
    const bad = await xlsx([
      ['网格编码', '网格名称', '所属社区', '户数', '网格员'],
      ['WG011', '重复', '朝阳社区', null, null],
      ['WG9002', '街道不是社区', '新华街道', null, null],
      ['WG9003', '负户数', '光明社区', '-5', 'admin'],
      ['WG9004', '别处网格员', '朝阳社区', null, 'wangge03'],
      ['WG9005', '不存在的人', '朝阳社区', null, 'nobody'],
    ]);
    const p = (await upload(admin, '/api/org/import/grids/preview', bad)).json() as ImportPreview;
    const msg = (row: number) => p.rows.find((r) => r.row === row)!.errors.map((e) => e.message);
    expect(msg(2)).toContain('网格编码已存在（如需更新请选择“更新已有”模式）');
    expect(msg(3)).toContain('「新华街道」不是社区村');
    expect(msg(4)).toEqual(['户数不能为负数', '「admin」没有“网格员”角色']);
    expect(msg(5)).toContain('网格员「wangge03」不属于所属社区（或其下级单位）');
    expect(msg(6)).toContain('网格员「nobody」不存在（请填写用户名或手机号）');

    const good = await xlsx([
      ['网格编码', '网格名称', '所属社区', '户数', '网格员'],
      ['WG9001', '朝阳社区第三网格', '新华街道/朝阳社区', '420', 'wangge、13900000002'],
    ]);
    const res = await upload(admin, '/api/org/import/grids/commit', good);
    expect(res.statusCode).toBe(200);
    const r = await t.deps.database.query<{ households: number; workers: string }>(
      `SELECT g.households, (SELECT string_agg(u.username, ',' ORDER BY u.username) FROM grid_workers w JOIN users u ON u.id = w.user_id WHERE w.grid_id = g.id) AS workers FROM grids g WHERE g.code = 'WG9001'`,
    );
    expect(r.rows[0]).toEqual({ households: 420, workers: 'wangge,wangge02' });
    const exp = await quAdmin.get('/api/org/export/grids');
    const ws = (await readBack(exp.rawPayload)).worksheets[0];
    const codes: Cell[] = [];
    ws.eachRow((row, n) => {
      if (n > 1) codes.push(row.getCell(1).value as Cell);
    });
    expect(codes).toContain('WG9001');
    expect(codes).not.toContain('WG051'); // 和平社区 is in 和谐区
  });
});
