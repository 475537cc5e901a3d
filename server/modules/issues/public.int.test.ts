import { readdirSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssueDetail } from '../../../contracts/issues.ts';
import type { PublicCategoryGroup, PublicReportStatus } from '../../../contracts/public-report.ts';
import { buildApp } from '../../app.ts';
import { rowsOf } from '../../db/client.ts';
import { type Client, type TestApp, startTestApp } from '../../test/harness.ts';
import { jpegWithExif, minimalPdf, png } from '../files/files.fixtures.ts';

type Point = { id: string; name: string; lng: number; lat: number; areaUnitId: string; gridId: string | null; units: { id: string; name: string }[] };

let ipSeq = 10;
/** Each test sends from its own address, so the per-IP rate limit counts only what it means to count. */
const nextIp = () => `198.51.100.${ipSeq++}`;

async function form(fields: Record<string, string | number>, photos: { name: string; data: Buffer; type?: string }[]) {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, String(v));
  for (const p of photos) f.append('photo', new Blob([new Uint8Array(p.data)], { type: p.type ?? 'image/jpeg' }), p.name);
  const res = new Response(f);
  return { payload: Buffer.from(await res.arrayBuffer()), contentType: res.headers.get('content-type')! };
}

describe('public 随手拍 and status page', () => {
  let t: TestApp;
  let admin: Client;
  let danwei: Client;
  let ducha: Client;
  let groups: PublicCategoryGroup[];
  let point: Point;
  let jpeg: Buffer;
  let pngBuf: Buffer;

  const send = async (fields: Record<string, string | number>, photos: { name: string; data: Buffer; type?: string }[], ip = nextIp(), app = t.app) => {
    const { payload, contentType } = await form(fields, photos);
    return app.inject({ method: 'POST', url: '/api/public/reports', payload, headers: { 'content-type': contentType }, remoteAddress: ip });
  };
  const leaf = (name: string) => groups.flatMap((g) => g.children).find((c) => c.name === name)!;
  const valid = () => ({ categoryId: leaf('暴露垃圾').id, description: '小区门口垃圾堆了三天没人清理', lng: point.lng + 0.0002, lat: point.lat + 0.0002, address: '朝阳路12号门口', phone: '13812345678' });

  beforeAll(async () => {
    t = await startTestApp();
    [admin, danwei, ducha] = await Promise.all(['admin', 'danwei', 'ducha'].map((u) => t.login(u)));
    groups = (await t.anonymous().get('/api/public/categories')).json();
    const points = (await admin.get('/api/org/points?pageSize=200')).json().items as Point[];
    point = points.find((p) => p.gridId && p.units.length > 0)!;
    jpeg = await jpegWithExif({}, 640, 480);
    pngBuf = await png();
  });
  afterAll(() => t.close());

  it('offers the two-level taxonomy without logging in', () => {
    expect(groups.map((g) => g.name)).toContain('市容环境');
    for (const g of groups) expect(g.children.length).toBeGreaterThan(0);
    expect(leaf('暴露垃圾')).toBeTruthy();
  });

  it('shows the grids on the public map', async () => {
    const areas = (await t.anonymous().get('/api/public/map')).json() as { id: string; name: string; rings: number[][][] }[];
    expect(areas.length).toBeGreaterThan(0);
    expect(areas[0].name).toMatch(/ · /);
    expect(areas[0].rings[0].length).toBeGreaterThanOrEqual(4);
  });

  it('files a report: tracking code, source citizen, no reporter, encrypted phone, masked for staff, event and audit', async () => {
    const res = await send(valid(), [{ name: '现场.jpg', data: jpeg }]);
    expect(res.statusCode, res.body).toBe(200);
    const { trackingCode, number } = res.json();
    expect(trackingCode).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/);
    expect(number).toMatch(/^WT\d{8}-\d{6}$/);

    const list = (await admin.get('/api/issues?source=citizen&pageSize=5')).json();
    const row = list.items.find((i: { number: string }) => i.number === number);
    const issue = (await admin.get(`/api/issues/${row.id}`)).json() as IssueDetail;
    expect(issue).toMatchObject({ source: 'citizen', state: 'reported', reporterId: null, reporterPhoneMasked: '138****5678', pointId: point.id, areaUnitId: point.areaUnitId });
    expect(issue.title).toBe('小区门口垃圾堆了三天没人清理');
    expect(issue.files).toHaveLength(1);
    expect(issue.events[0]).toMatchObject({ action: 'report', actorId: null, note: '市民通过随手拍页面提交', data: { photos: [issue.files[0].id] } });
    // the phone is stored encrypted, never in clear
    const stored = await t.deps.database.db.execute(`SELECT reporter_phone_enc FROM issues WHERE id = '${issue.id}'` as never);
    expect(JSON.stringify(stored)).not.toContain('13812345678');
    const audit = (await admin.get(`/api/audit?entity=issue&entityId=${issue.id}`)).json();
    expect(audit.items[0]).toMatchObject({ action: 'create', actorName: '市民随手拍（public）' });
    expect(JSON.stringify(audit.items)).not.toContain('13812345678');
  });

  it('answers field errors in Chinese, naming the field', async () => {
    const res = await send({ description: '短', lng: 'abc', lat: point.lat }, [{ name: 'a.jpg', data: jpeg }]);
    expect(res.statusCode).toBe(400);
    const paths = res.json().error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['body.categoryId', 'body.description', 'body.lng']));
    expect(res.json().error.details.find((d: { path: string }) => d.path === 'body.categoryId').message).toBe('请选择问题类型');
    expect(res.json().error.details.find((d: { path: string }) => d.path === 'body.description').message).toBe('问题描述至少 5 个字');

    const noPhoto = await send(valid(), []);
    expect(noPhoto.statusCode).toBe(400);
    expect(noPhoto.json().error.message).toBe('请至少拍摄或选择 1 张照片');

    const badPhone = await send({ ...valid(), phone: '12345' }, [{ name: 'a.jpg', data: jpeg }]);
    expect(badPhone.statusCode).toBe(400);
    expect(badPhone.json().error.details[0]).toEqual({ path: 'body.phone', message: '手机号须为 11 位数字' });

    const topLevel = await send({ ...valid(), categoryId: groups[0].id }, [{ name: 'a.jpg', data: jpeg }]);
    expect(topLevel.statusCode).toBe(400);
    expect(topLevel.json().error.message).toBe('请选择具体的问题类型（第二级）');
  });

  it('refuses non-images, too many and oversized photos, and stores nothing', async () => {
    const count = async () => JSON.stringify(await t.deps.database.db.execute('SELECT count(*)::int AS n FROM files' as never));
    const before = await count();
    const pdf = await send(valid(), [{ name: '报告.pdf', data: minimalPdf(), type: 'application/pdf' }]);
    expect(pdf.statusCode).toBe(415);
    expect(pdf.json().error.message).toBe('“报告.pdf”不是照片：只能上传 JPG、PNG、WebP、HEIC 格式的照片');
    // a script named like a photo is still not a photo
    const fake = await send(valid(), [{ name: 'x.jpg', data: Buffer.from('<script>alert(1)</script>') }]);
    expect(fake.statusCode).toBe(415);
    const five = await send(valid(), Array.from({ length: 5 }, (_, i) => ({ name: `${i}.png`, data: pngBuf, type: 'image/png' })));
    expect(five.statusCode).toBe(413);
    expect(five.json().error.message).toBe('最多上传 4 张照片');
    const big = await send(valid(), [{ name: '大图.jpg', data: Buffer.concat([jpeg, Buffer.alloc(11 * 1024 * 1024)]) }]);
    expect(big.statusCode).toBe(413);
    expect(big.json().error.message).toBe('照片“大图.jpg”太大：每张照片不超过 10 MB');
    expect(await count()).toBe(before);
  });

  it('a filing that fails after the photos were stored takes them back (rows and bytes)', async () => {
    const db = t.deps.database.db;
    const countFiles = async () => (await db.execute('SELECT count(*)::int AS n FROM files' as never)) as unknown;
    const storedBytes = () => readdirSync(path.join(t.dataDir, 'files'), { recursive: true }).filter((f) => String(f).match(/\.(jpg|webp)$/)).length;
    const beforeRows = JSON.stringify(await countFiles());
    const beforeBytes = storedBytes();
    // a real failure inside the filing transaction: the tracking code row is refused by the database
    await db.execute(`CREATE FUNCTION h3_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$` as never);
    await db.execute('CREATE TRIGGER h3_fail BEFORE INSERT ON public_reports FOR EACH ROW EXECUTE FUNCTION h3_fail()' as never);
    try {
      const res = await send(valid(), [{ name: 'a.jpg', data: jpeg }]);
      expect(res.statusCode).toBe(500);
    } finally {
      await db.execute('DROP TRIGGER h3_fail ON public_reports' as never);
      await db.execute('DROP FUNCTION h3_fail()' as never);
    }
    expect(JSON.stringify(await countFiles())).toBe(beforeRows);
    expect(storedBytes()).toBe(beforeBytes);
    const audit = (await admin.get('/api/audit?entity=file&pageSize=5')).json();
    expect(audit.items[0]).toMatchObject({ action: 'discard', actorName: '市民随手拍（public）' });
  });

  it('refuses coordinates outside the city', async () => {
    const res = await send({ ...valid(), lng: 116.397, lat: 39.909 }, [{ name: 'a.jpg', data: jpeg }]);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(res.json().error.message).toMatch(/^经度 116\.397 不在本市范围内（[\d.]+–[\d.]+），请重新定位或在地图上选点$/);
    expect(res.json().error.details.map((d: { path: string }) => d.path)).toEqual(['body.lng', 'body.lat']);
  });

  it('rate-limits bursts per IP with 429 and a Chinese message; another IP is not affected', async () => {
    const ip = nextIp();
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await send({ ...valid(), description: `第${i + 1}次提交：路灯不亮了` }, [{ name: 'a.png', data: pngBuf, type: 'image/png' }], ip);
      if (i === 0) expect(r.statusCode, r.body).toBe(200);
      codes.push(r.statusCode);
    }
    expect(codes).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await send(valid(), [{ name: 'a.png', data: pngBuf, type: 'image/png' }], ip);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error).toMatchObject({ code: 'RATE_LIMITED', message: '提交过于频繁：每 10 分钟最多提交 5 次，请稍后再试' });
    expect((await send(valid(), [{ name: 'a.png', data: pngBuf, type: 'image/png' }])).statusCode).toBe(200);
  });

  it('counts the limit in the database: two server processes on one database share it', async () => {
    const other = await buildApp(t.deps);
    try {
      const ip = nextIp();
      const codes: number[] = [];
      for (let i = 0; i < 6; i++) {
        const r = await send({ ...valid(), description: `第${i + 1}次提交：井盖缺失` }, [{ name: 'a.png', data: pngBuf, type: 'image/png' }], ip, i % 2 ? other : t.app);
        codes.push(r.statusCode);
      }
      expect(codes).toEqual([200, 200, 200, 200, 200, 429]);
      // the client's address is not stored as such
      const keys = rowsOf<{ key: string }>(await t.deps.db.execute(sql`SELECT key FROM rate_limit_hits`)).map((r) => r.key);
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.some((k) => k.includes(ip))).toBe(false);
    } finally {
      await other.close();
    }
  });

  it('shows progress and the after photo, and leaks no personal data or internal notes', async () => {
    const res = await send({ ...valid(), phone: '13987654321', description: '人行道上的共享单车乱停乱放' }, [{ name: '前.jpg', data: jpeg }]);
    const { trackingCode, number } = res.json();
    const anon = t.anonymous();
    const first = (await anon.get(`/api/public/reports/${trackingCode.toLowerCase().slice(0, 4)}-${trackingCode.slice(4)}`)).json() as PublicReportStatus;
    expect(first).toMatchObject({ trackingCode, number, state: 'reported', stateText: '已收到，等待受理', isClosed: false, groupName: '市容环境', categoryName: '暴露垃圾' });
    expect(first.steps.map((s) => s.text)).toEqual(['问题已提交']);
    expect(first.beforePhotos).toHaveLength(1);
    expect(first.afterPhotos).toEqual([]);

    // the loop, by the people who do each step
    const id = (await admin.get('/api/issues?source=citizen&pageSize=50')).json().items.find((i: { number: string }) => i.number === number).id;
    let i = (await admin.get(`/api/issues/${id}`)).json() as IssueDetail;
    const act = async (c: Client, action: string, body: Record<string, unknown> = {}) => {
      const r = await c.post(`/api/issues/${i.id}/actions/${action}`, { version: i.version, ...body });
      expect(r.statusCode, `${action}: ${r.body}`).toBe(200);
      i = r.json();
    };
    const cgj = (await admin.get(`/api/org/units?q=${encodeURIComponent('市城市管理局')}`)).json().items[0].id;
    await act(admin, 'accept', { note: '内部备注：王科长交办' });
    await act(admin, 'dispatch', { unitId: cgj, note: '内部备注：请张三处理 13700001111' });
    await act(danwei, 'sign');
    const upl = async (c: Client) => {
      const f = new FormData();
      f.append('file', new Blob([new Uint8Array(await jpegWithExif({ dateTimeOriginal: '2026:11:21 15:30:00', lat: [34, 45, 28], latRef: 'N', lng: [113, 39, 55], lngRef: 'E', orientation: 6 }, 320, 240))], { type: 'image/jpeg' }), '后.jpg');
      const r = new Response(f);
      const out = await c.request('POST', '/api/files', Buffer.from(await r.arrayBuffer()), { 'content-type': r.headers.get('content-type')! });
      return out.json().items[0].id as string;
    };
    const afterPhoto = await upl(danwei);
    await act(danwei, 'feedback', { note: '李四已清理', photos: [afterPhoto] });
    await act(ducha, 'verifyPass', { note: '核查人赵六' });
    await act(admin, 'close');

    const status = (await anon.get(`/api/public/reports/${trackingCode}`)).json() as PublicReportStatus;
    expect(status).toMatchObject({ state: 'closed', stateText: '已办结', isClosed: true, responsibleUnitName: '市城市管理局' });
    expect(status.steps.map((s) => s.text)).toEqual(['问题已提交', '已受理立案', '已派遣至责任单位', '责任单位已签收，开始整改', '责任单位已完成整改', '现场核查通过', '已办结']);
    expect(status.afterPhotos).toEqual([{ url: `/api/public/photos/${afterPhoto}`, thumbnailUrl: `/api/public/photos/${afterPhoto}?size=thumb` }]);
    const text = JSON.stringify(status);
    for (const secret of ['13987654321', '139****4321', '内部备注', '王科长', '张三', '李四', '赵六', '13700001111', '人行道上的共享单车']) expect(text).not.toContain(secret);
    expect(Object.keys(status).sort()).toEqual(['address', 'afterPhotos', 'beforePhotos', 'categoryName', 'createdAt', 'groupName', 'isClosed', 'number', 'responsibleUnitName', 'state', 'stateText', 'steps', 'trackingCode', 'updatedAt']);

    // the photos of the status page are public, through their own route only
    const img = await anon.get(status.afterPhotos[0].url);
    expect(img.statusCode).toBe(200);
    expect(img.headers['content-type']).toBe('image/jpeg');
    // the public copy has no metadata at all (GPS, time, device), with the orientation applied;
    // staff still get the original with its EXIF
    const pubMeta = await sharp(img.rawPayload).metadata();
    expect([pubMeta.exif, pubMeta.xmp, pubMeta.iptc, pubMeta.icc]).toEqual([undefined, undefined, undefined, undefined]);
    expect(pubMeta.orientation).toBeUndefined();
    expect([pubMeta.width, pubMeta.height]).toEqual([240, 320]);
    const original = await admin.get(`/api/files/${afterPhoto}/content`);
    const origMeta = await sharp(original.rawPayload).metadata();
    expect(origMeta.exif).toBeDefined();
    expect(origMeta.orientation).toBe(6);
    const thumb = await anon.get(status.beforePhotos[0].thumbnailUrl);
    expect(thumb.statusCode).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/webp');
    expect((await anon.get(`/api/files/${afterPhoto}/content`)).statusCode).toBe(401);
    // an upload that is not a report or feedback photo stays private
    const other = await upl(danwei);
    expect((await anon.get(`/api/public/photos/${other}`)).statusCode).toBe(404);
  });

  it('answers unknown or malformed codes with 404 in Chinese', async () => {
    const anon = t.anonymous();
    const bad = await anon.get('/api/public/reports/ABC');
    expect(bad.statusCode).toBe(404);
    expect(bad.json().error.message).toBe('查询码不正确：查询码为 8 位字母或数字');
    const unknown = await anon.get('/api/public/reports/ZZZZZZZZ');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.message).toBe('没有找到该查询码对应的问题，请核对后再试');
  });
});
