import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Storage } from '../../lib/storage.ts';
import { type TestApp, startTestApp } from '../../test/harness.ts';
import { jpegWithExif, minimalPdf } from './files.fixtures.ts';

/**
 * The S3 store against s3rver, an S3-compatible server in Node (a dev dependency): the same
 * SDK calls that MinIO, OSS or COS answer in production.
 */
const S3rver = (await import('s3rver').catch(() => null))?.default;
const BUCKET = 'chuangwen-test';

describe.skipIf(!S3rver)('files on an S3-compatible store', () => {
  let server: InstanceType<NonNullable<typeof S3rver>>;
  let dir: string;
  let storage: S3Storage;
  let t: TestApp;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cw-s3-'));
    server = new S3rver!({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: [{ name: BUCKET }] });
    const { port } = await server.run();
    storage = new S3Storage({
      kind: 's3',
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      bucket: BUCKET,
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      forcePathStyle: true,
    });
    t = await startTestApp();
    // the routes read deps.storage on every request: swap the local store for S3
    t.deps.storage = storage;
  });
  afterAll(async () => {
    await t?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores, reads, lists and deletes objects', async () => {
    const body = Buffer.from('创文台账');
    await storage.put('2026/05/a.txt', body, 'text/plain');
    await storage.put('2026/06/b.txt', Buffer.from('b'), 'text/plain');
    expect((await storage.getBuffer('2026/05/a.txt')).equals(body)).toBe(true);
    const chunks: Buffer[] = [];
    for await (const c of await storage.get('2026/05/a.txt')) chunks.push(Buffer.from(c));
    expect(Buffer.concat(chunks).toString()).toBe('创文台账');
    const keys: string[] = [];
    for await (const k of storage.list()) keys.push(k);
    expect(keys.sort()).toEqual(['2026/05/a.txt', '2026/06/b.txt']);
    await storage.delete('2026/05/a.txt');
    await storage.delete('2026/06/b.txt');
    await expect(storage.getBuffer('2026/05/a.txt')).rejects.toThrow();
  });

  it('uploads and downloads through the API with S3 behind it', async () => {
    const c = await t.login('wangge');
    const jpg = await jpegWithExif({ dateTimeOriginal: '2026:05:01 09:30:15', lat: [39, 54, 27.1], lng: [116, 23, 30.2] });
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(jpg)]), '现场.jpg');
    form.append('file', new Blob([new Uint8Array(minimalPdf())]), '方案.pdf');
    const res = new Response(form);
    const up = await c.request('POST', '/api/files', Buffer.from(await res.arrayBuffer()), { 'content-type': res.headers.get('content-type')! });
    expect(up.statusCode).toBe(200);
    const [photo, pdf] = up.json().items;
    expect(photo).toMatchObject({ takenAt: '2026-05-01T01:30:15.000Z', width: 640, height: 480 });

    const content = await c.get(`/api/files/${photo.id}/content`);
    expect(content.statusCode).toBe(200);
    expect(content.headers['content-type']).toBe('image/jpeg');
    expect(createHash('sha256').update(content.rawPayload).digest('hex')).toBe(photo.sha256);
    const thumb = await c.get(`/api/files/${photo.id}/thumbnail`);
    expect((await sharp(thumb.rawPayload).metadata()).format).toBe('webp');
    expect((await c.get(`/api/files/${pdf.id}/content`)).rawPayload.equals(minimalPdf())).toBe(true);

    const keys: string[] = [];
    for await (const k of storage.list()) keys.push(k);
    expect(keys.filter((k) => k.includes(photo.id))).toHaveLength(2);
    expect(keys.some((k) => k.endsWith(`${pdf.id}.pdf`))).toBe(true);

    // bytes gone from the store: a clear 404, not a 500
    await storage.delete(keys.find((k) => k.endsWith(`${pdf.id}.pdf`))!);
    const lost = await c.get(`/api/files/${pdf.id}/content`);
    expect(lost.statusCode).toBe(404);
    expect(lost.json().error.message).toContain('文件内容已丢失');
  });
});
