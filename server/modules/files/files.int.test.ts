import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../http/actor.ts';
import { type Client, type TestApp, startTestApp } from '../../test/harness.ts';
import { exeHeader, html, jpegWithExif, minimalDocx, minimalPdf, png, xlsx } from './files.fixtures.ts';
import { attachFiles } from './index.ts';

type Part = { name: string; data: Buffer; type?: string };
type FileInfo = {
  id: string;
  originalName: string;
  mime: string;
  kind: string;
  size: number;
  sha256: string;
  width: number | null;
  height: number | null;
  takenAt: string | null;
  gpsLng: number | null;
  gpsLat: number | null;
  ownerType: string | null;
  ownerId: string | null;
  thumbnailUrl: string | null;
};

/** A multipart body exactly as a browser's FormData would send it. */
async function multipart(parts: Part[], fields: Record<string, string> = {}) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const p of parts) form.append('file', new Blob([new Uint8Array(p.data)], { type: p.type ?? 'application/octet-stream' }), p.name);
  const res = new Response(form);
  return { payload: Buffer.from(await res.arrayBuffer()), headers: { 'content-type': res.headers.get('content-type')! } };
}

async function upload(c: Client, parts: Part[], fields?: Record<string, string>) {
  const { payload, headers } = await multipart(parts, fields);
  return c.request('POST', '/api/files', payload, headers);
}

async function storedKeys(t: TestApp): Promise<string[]> {
  const keys: string[] = [];
  for await (const k of t.deps.storage.list()) keys.push(k);
  return keys;
}

async function fileCount(t: TestApp): Promise<number> {
  const { rows } = await t.deps.database.query<{ n: number }>('SELECT count(*)::int AS n FROM files');
  return rows[0].n;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('files', () => {
  let t: TestApp;
  let admin: Client;
  let quAdmin: Client;
  let wangge: Client;
  let wangge09: Client;
  let unitId: (name: string) => Promise<string>;
  beforeAll(async () => {
    t = await startTestApp();
    [admin, quAdmin, wangge, wangge09] = await Promise.all(['admin', 'qu_admin', 'wangge', 'wangge09'].map((u) => t.login(u)));
    unitId = async (name) => (await admin.get(`/api/org/units?q=${encodeURIComponent(name)}`)).json().items[0].id;
  });
  afterAll(() => t.close());

  it('stores a photo with its EXIF time and GPS, a thumbnail, a checksum and an audit entry', async () => {
    const jpg = await jpegWithExif({ dateTimeOriginal: '2026:05:01 09:30:15', lat: [39, 54, 27.1], lng: [116, 23, 30.2], orientation: 6 }, 1200, 900);
    const res = await upload(wangge, [{ name: '朝阳社区 现场照片.jpg', data: jpg, type: 'image/jpeg' }]);
    expect(res.statusCode).toBe(200);
    const [f] = res.json().items as FileInfo[];
    expect(f).toMatchObject({
      originalName: '朝阳社区 现场照片.jpg',
      mime: 'image/jpeg',
      kind: 'image',
      size: jpg.length,
      sha256: sha256(jpg),
      width: 900,
      height: 1200,
      takenAt: '2026-05-01T01:30:15.000Z',
      ownerType: null,
      thumbnailUrl: `/api/files/${f.id}/thumbnail`,
    });
    expect(f.gpsLat).toBeCloseTo(39.907528, 6);
    expect(f.gpsLng).toBeCloseTo(116.391722, 6);
    expect((await wangge.get(`/api/files/${f.id}`)).json()).toEqual(f);

    const { rows } = await t.deps.database.query<{ storage_key: string; thumb_key: string }>('SELECT storage_key, thumb_key FROM files WHERE id = $1', [f.id]);
    expect(rows[0].storage_key).toMatch(new RegExp(`^\\d{4}/\\d{2}/${f.id}\\.jpg$`));
    expect(rows[0].thumb_key).toBe(rows[0].storage_key.replace('.jpg', '_thumb.webp'));

    const content = await wangge.get(`/api/files/${f.id}/content`);
    expect(content.statusCode).toBe(200);
    expect(content.headers['content-type']).toBe('image/jpeg');
    expect(content.headers['x-content-type-options']).toBe('nosniff');
    expect(content.headers['content-disposition']).toBe(
      `inline; filename="____ ____.jpg"; filename*=UTF-8''${encodeURIComponent('朝阳社区 现场照片.jpg')}`,
    );
    expect(sha256(content.rawPayload)).toBe(f.sha256);
    const download = await wangge.get(`/api/files/${f.id}/content?download=true`);
    expect(download.headers['content-disposition']).toMatch(/^attachment; /);

    const thumb = await wangge.get(`/api/files/${f.id}/thumbnail`);
    expect(thumb.statusCode).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/webp');
    expect(thumb.headers['x-content-type-options']).toBe('nosniff');
    const meta = await sharp(thumb.rawPayload).metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 240, height: 320 });
    expect(meta.exif).toBeUndefined();

    const audit = (await admin.get(`/api/audit?entity=file&entityId=${f.id}`)).json();
    expect(audit.items[0]).toMatchObject({ action: 'upload', after: { originalName: '朝阳社区 现场照片.jpg', sha256: f.sha256, size: jpg.length } });
  });

  it('accepts PDF, Word and Excel in one request, whatever the client calls them', async () => {
    const pdf = minimalPdf();
    const book = await xlsx();
    const docx = minimalDocx();
    const res = await upload(quAdmin, [
      { name: '工作方案.pdf', data: pdf, type: 'application/pdf' },
      { name: '测评台账.xlsx', data: book },
      { name: '总结', data: docx, type: 'text/plain' },
    ]);
    expect(res.statusCode).toBe(200);
    const items = res.json().items as FileInfo[];
    expect(items.map((i) => [i.kind, i.mime, i.thumbnailUrl])).toEqual([
      ['pdf', 'application/pdf', null],
      ['excel', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', null],
      ['word', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', null],
    ]);
    const pdfContent = await quAdmin.get(`/api/files/${items[0].id}/content`);
    expect(pdfContent.headers['content-disposition']).toMatch(/^inline; /);
    expect(pdfContent.rawPayload.equals(pdf)).toBe(true);
    const xlsxContent = await quAdmin.get(`/api/files/${items[1].id}/content`);
    expect(xlsxContent.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(xlsxContent.headers['content-disposition']).toMatch(/^attachment; .*filename\*=UTF-8''%E6%B5%8B%E8%AF%84%E5%8F%B0%E8%B4%A6\.xlsx$/);
    // a name without the right extension gets it on download
    const docxContent = await quAdmin.get(`/api/files/${items[2].id}/content`);
    expect(docxContent.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('总结.docx')}`);
    expect((await quAdmin.get(`/api/files/${items[0].id}/thumbnail`)).statusCode).toBe(404);
  });

  it('takes files larger than the 2 MB JSON body limit, up to the upload limit', async () => {
    // a PDF padded with a comment to 3 MB: still a PDF, and well under the default 20 MB
    const pdf = Buffer.concat([minimalPdf(), Buffer.from(`%${'x'.repeat(3 * 1024 * 1024)}\n`, 'latin1')]);
    const res = await upload(quAdmin, [{ name: '大文件.pdf', data: pdf }]);
    expect(res.statusCode).toBe(200);
    expect(res.json().items[0]).toMatchObject({ size: pdf.length, sha256: sha256(pdf) });
  });

  it('documents the endpoints in OpenAPI', async () => {
    const doc = (await admin.get('/api/openapi.json')).json();
    expect(doc.paths['/api/files'].post.summary).toBe('上传文件（可多个）');
    expect(Object.keys(doc.paths['/api/files'].post.requestBody?.content ?? {})).toContain('multipart/form-data');
    expect(doc.paths['/api/files/{id}/content'].get.summary).toContain('下载');
    expect(doc.paths['/api/files/{id}/thumbnail'].get.summary).toContain('缩略图');
  });

  it('refuses disguised executables and HTML with 415 and stores nothing', async () => {
    const before = { keys: (await storedKeys(t)).length, rows: await fileCount(t) };
    const exe = await upload(wangge, [{ name: '照片.jpg', data: exeHeader(), type: 'image/jpeg' }]);
    expect(exe.statusCode).toBe(415);
    expect(exe.json().error).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.stringContaining('“照片.jpg”') });
    const page = await upload(wangge, [{ name: 'index.jpg', data: html(), type: 'image/jpeg' }]);
    expect(page.statusCode).toBe(415);
    expect(page.json().error.message).toContain('index.jpg');
    // one bad file spoils the whole request: the good one is not kept either
    const mixed = await upload(wangge, [
      { name: '好的.png', data: await png() },
      { name: '坏的.jpg', data: html() },
    ]);
    expect(mixed.statusCode).toBe(415);
    expect(mixed.json().error.message).toContain('坏的.jpg');
    expect({ keys: (await storedKeys(t)).length, rows: await fileCount(t) }).toEqual(before);
  });

  it('answers requests that are not file uploads with clear errors', async () => {
    const json = await wangge.post('/api/files', { file: 'x' });
    expect(json.statusCode).toBe(415);
    expect(json.json().error.message).toContain('multipart/form-data');
    const none = await multipart([], { note: '没有文件' });
    const empty = await wangge.request('POST', '/api/files', none.payload, none.headers);
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.message).toBe('请选择要上传的文件');
    expect((await t.anonymous().get('/api/files/00000000-0000-7000-8000-000000000000')).statusCode).toBe(401);
    expect((await wangge.get('/api/files/00000000-0000-7000-8000-000000000000')).statusCode).toBe(404);
  });

  it('lets the uploader and the scopes above read an unowned file, nobody else', async () => {
    const mine = (await upload(wangge, [{ name: '巡查.png', data: await png() }])).json().items[0] as FileInfo;
    expect((await wangge.get(`/api/files/${mine.id}/content`)).statusCode).toBe(200);
    expect((await quAdmin.get(`/api/files/${mine.id}/content`)).statusCode).toBe(200); // 文明区 holds 朝阳社区
    expect((await admin.get(`/api/files/${mine.id}`)).statusCode).toBe(200);
    const other = await wangge09.get(`/api/files/${mine.id}/content`);
    expect(other.statusCode).toBe(403);
    expect(other.json().error.code).toBe('FORBIDDEN');
    expect((await wangge09.get(`/api/files/${mine.id}/thumbnail`)).statusCode).toBe(403);

    const hexie = (await upload(wangge09, [{ name: '和谐区.png', data: await png() }])).json().items[0] as FileInfo;
    expect((await wangge09.get(`/api/files/${hexie.id}`)).statusCode).toBe(200);
    expect((await quAdmin.get(`/api/files/${hexie.id}`)).statusCode).toBe(403);
    expect((await wangge.get(`/api/files/${hexie.id}`)).statusCode).toBe(403);
  });

  it('hands owned files to the owner policy: org units', async () => {
    const chaoyang = await unitId('朝阳社区');
    const heping = await unitId('和平社区');
    const res = await upload(quAdmin, [{ name: '营业执照.pdf', data: minimalPdf() }], { ownerType: 'org_unit', ownerId: chaoyang });
    expect(res.statusCode).toBe(200);
    const f = res.json().items[0] as FileInfo;
    expect(f).toMatchObject({ ownerType: 'org_unit', ownerId: chaoyang });
    // readable by whoever may read the unit: the community's grid worker yes, 和谐区 no
    expect((await wangge.get(`/api/files/${f.id}/content`)).statusCode).toBe(200);
    expect((await wangge09.get(`/api/files/${f.id}/content`)).statusCode).toBe(403);
    expect((await admin.get(`/api/files/${f.id}/content`)).statusCode).toBe(200);

    // attaching needs the right to maintain the record
    expect((await upload(quAdmin, [{ name: 'a.pdf', data: minimalPdf() }], { ownerType: 'org_unit', ownerId: heping })).statusCode).toBe(403);
    expect((await upload(wangge, [{ name: 'a.pdf', data: minimalPdf() }], { ownerType: 'org_unit', ownerId: chaoyang })).statusCode).toBe(403);
    const unknown = await upload(quAdmin, [{ name: 'a.pdf', data: minimalPdf() }], { ownerType: 'spaceship', ownerId: chaoyang });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details[0].path).toBe('body.ownerType');
    const half = await upload(quAdmin, [{ name: 'a.pdf', data: minimalPdf() }], { ownerType: 'org_unit' });
    expect(half.statusCode).toBe(400);
    expect(half.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('lets other modules claim their uploader’s unowned files with attachFiles', async () => {
    const actorOf = async (username: string): Promise<Actor> => {
      const { rows } = await t.deps.database.query<{ id: string; unit_id: string; path: string }>(
        'SELECT u.id, u.unit_id, o.path FROM users u JOIN org_units o ON o.id = u.unit_id WHERE u.username = $1',
        [username],
      );
      const r = rows[0];
      return { userId: r.id, username, name: username, unitId: r.unit_id, unitPath: r.path, roles: [], permissions: new Set(['org.read', 'files.upload']), gridIds: new Set() };
    };
    const w = await actorOf('wangge');
    const w09 = await actorOf('wangge09');
    const hexieUnit = await unitId('和平社区');
    const f = (await upload(wangge, [{ name: '证明.pdf', data: minimalPdf() }])).json().items[0] as FileInfo;

    await expect(t.deps.db.transaction((tx) => attachFiles(tx, [f.id], 'org_unit', hexieUnit, w09))).rejects.toThrow('不是您上传的');
    await expect(t.deps.db.transaction((tx) => attachFiles(tx, [f.id], 'no_such_type', hexieUnit, w))).rejects.toThrow(/not registered/);
    const attached = await t.deps.db.transaction((tx) => attachFiles(tx, [f.id, f.id], 'org_unit', hexieUnit, { actor: w, ip: '10.0.0.9' }));
    expect(attached).toHaveLength(1);
    expect(attached[0]).toMatchObject({ id: f.id, ownerType: 'org_unit', ownerId: hexieUnit });
    // idempotent for the same record, refused for another
    await t.deps.db.transaction((tx) => attachFiles(tx, [f.id], 'org_unit', hexieUnit, w));
    const chaoyang = await unitId('朝阳社区');
    await expect(t.deps.db.transaction((tx) => attachFiles(tx, [f.id], 'org_unit', chaoyang, w))).rejects.toThrow('已关联到其他记录');

    // now the unit's policy decides: 和平社区 is in 和谐区, so the uploader from 文明区 loses access
    expect((await wangge.get(`/api/files/${f.id}`)).statusCode).toBe(403);
    expect((await wangge09.get(`/api/files/${f.id}`)).statusCode).toBe(200);
    const audit = (await admin.get(`/api/audit?entity=file&entityId=${f.id}`)).json();
    expect(audit.items.map((a: { action: string }) => a.action)).toEqual(expect.arrayContaining(['upload', 'attach']));
    expect(audit.items.find((a: { action: string }) => a.action === 'attach')).toMatchObject({ ip: '10.0.0.9', after: { ownerType: 'org_unit', ownerId: hexieUnit } });
  });

  it('needs the upload permission', async () => {
    // a role without files.upload (roles are data): a fresh session of one of its users is refused
    await t.deps.database.query(`UPDATE roles SET permissions = array_remove(permissions, 'files.upload') WHERE code = 'grid_worker'`);
    try {
      const noUpload = await t.login('wangge02');
      const res = await upload(noUpload, [{ name: 'a.png', data: await png() }]);
      expect(res.statusCode).toBe(403);
      expect(res.json().error.message).toBe('无权上传文件');
    } finally {
      await t.deps.database.query(`UPDATE roles SET permissions = array_append(permissions, 'files.upload') WHERE code = 'grid_worker'`);
    }
  });
});

describe('files: limits and failures', () => {
  let t: TestApp;
  let wangge: Client;
  beforeAll(async () => {
    t = await startTestApp({ uploadMaxBytes: 1000 });
    wangge = await t.login('wangge');
  });
  afterAll(() => t.close());

  it('refuses a file over the limit with 413 and keeps nothing of it', async () => {
    // the demo city holds files of its own (issue photos, evidence scans): compare before and after
    const keysBefore = await storedKeys(t);
    const filesBefore = await fileCount(t);
    const big = await jpegWithExif({ lat: [39, 54, 27.1], lng: [116, 23, 30.2] }, 400, 300);
    expect(big.length).toBeGreaterThan(1000);
    const res = await upload(wangge, [{ name: '大照片.jpg', data: big }]);
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('“大照片.jpg”') });
    expect(res.json().error.message).toContain('1000 字节');
    // the small file before it is not kept either
    const small = await png(10, 10);
    expect(small.length).toBeLessThan(1000);
    const mixed = await upload(wangge, [
      { name: '小.png', data: small },
      { name: '大.jpg', data: big },
    ]);
    expect(mixed.statusCode).toBe(413);
    expect((await storedKeys(t)).sort()).toEqual([...keysBefore].sort());
    expect(await fileCount(t)).toBe(filesBefore);
    expect((await upload(wangge, [{ name: '小.png', data: small }])).statusCode).toBe(200);
    expect(await fileCount(t)).toBe(filesBefore + 1);
  });

  it('answers 413 over a real socket while the client is still sending', async () => {
    const before = await fileCount(t);
    const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(5 * 1024 * 1024)]), '巨大.bin');
    const res = await fetch(`${address}/api/files`, {
      method: 'POST',
      body: form,
      headers: { cookie: `cw_sid=${wangge.cookie}`, 'x-csrf-token': wangge.csrfToken! },
    });
    expect(res.status).toBe(413);
    expect((await res.json()).error.message).toContain('巨大.bin');
    expect(await fileCount(t)).toBe(before);
  });

  it('deletes the stored bytes when the database write fails', async () => {
    const before = await storedKeys(t);
    await t.deps.database.query(`CREATE FUNCTION files_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$`);
    await t.deps.database.query('CREATE TRIGGER files_test_fail BEFORE INSERT ON files FOR EACH ROW EXECUTE FUNCTION files_test_fail()');
    try {
      const res = await upload(wangge, [{ name: '失败.png', data: await png(12, 12) }]);
      expect(res.statusCode).toBe(500);
      expect((await storedKeys(t)).sort()).toEqual(before.sort());
    } finally {
      await t.deps.database.query('DROP TRIGGER files_test_fail ON files');
      await t.deps.database.query('DROP FUNCTION files_test_fail()');
    }
  });
});
