import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { cfb, exeHeader, html, jpegWithExif, minimalDocx, minimalPdf, png, webp, xlsx } from './files.fixtures.ts';
import { cfbRootStreamNames, dmsToDecimal, exifWallToUtc, inspectImage, parseExifOffset, readExif, sniff } from './files.media.ts';
import { cleanFileName, contentDisposition, downloadName } from './files.service.ts';

describe('EXIF GPS', () => {
  it('converts degrees, minutes, seconds to signed decimal degrees by hemisphere', () => {
    expect(dmsToDecimal([39, 54, 27.1], 'N')).toBeCloseTo(39.907528, 6);
    expect(dmsToDecimal([116, 23, 30.2], 'E')).toBeCloseTo(116.391722, 6);
    expect(dmsToDecimal([33, 51, 54], 'S')).toBeCloseTo(-33.865, 6);
    expect(dmsToDecimal([118, 14, 37.2], 'W')).toBeCloseTo(-118.243667, 6);
    // refs as cameras write them: NUL padded, lower case
    expect(dmsToDecimal([10, 30, 0], 's\0')).toBe(-10.5);
    // decimal minutes (some phones) and degrees only
    expect(dmsToDecimal([31, 13.5], 'N')).toBe(31.225);
    expect(dmsToDecimal([121], 'E')).toBe(121);
  });

  it('refuses malformed coordinates', () => {
    expect(dmsToDecimal(undefined, 'N')).toBeNull();
    expect(dmsToDecimal([], 'N')).toBeNull();
    expect(dmsToDecimal([Number.NaN, 1, 2], 'N')).toBeNull();
    expect(dmsToDecimal([-1, 1, 2], 'N')).toBeNull();
    expect(dmsToDecimal('39', 'N')).toBeNull();
  });
});

describe('EXIF time', () => {
  it('parses offset tags', () => {
    expect(parseExifOffset('+08:00')).toBe(480);
    expect(parseExifOffset('-05:30')).toBe(-330);
    expect(parseExifOffset('+08:00\0')).toBe(480);
    expect(parseExifOffset('   :  ')).toBeNull();
    expect(parseExifOffset(undefined)).toBeNull();
    expect(parseExifOffset('+15:00')).toBeNull();
  });

  it('reads wall-clock times as Asia/Shanghai unless an offset says otherwise', () => {
    const wall = new Date(Date.UTC(2026, 4, 1, 9, 30, 15));
    expect(exifWallToUtc(wall, null)!.toISOString()).toBe('2026-05-01T01:30:15.000Z');
    expect(exifWallToUtc(wall, '+09:00')!.toISOString()).toBe('2026-05-01T00:30:15.000Z');
    expect(exifWallToUtc(wall, '-05:00')!.toISOString()).toBe('2026-05-01T14:30:15.000Z');
    expect(exifWallToUtc(wall, '+00:00')!.toISOString()).toBe('2026-05-01T09:30:15.000Z');
    // just after midnight in Beijing is the previous day in UTC
    expect(exifWallToUtc(new Date(Date.UTC(2026, 0, 1, 0, 5)), undefined)!.toISOString()).toBe('2025-12-31T16:05:00.000Z');
    expect(exifWallToUtc(wall, null, '25')!.toISOString()).toBe('2026-05-01T01:30:15.250Z');
    expect(exifWallToUtc(new Date(Number.NaN), null)).toBeNull();
    expect(exifWallToUtc(new Date(Date.UTC(1899, 10, 30)), null)).toBeNull();
  });
});

describe('EXIF from a real JPEG', () => {
  it('reads back the GPS and DateTimeOriginal that sharp wrote', async () => {
    const jpg = await jpegWithExif({ dateTimeOriginal: '2026:05:01 09:30:15', lat: [39, 54, 27.1], lng: [116, 23, 30.2] });
    const facts = readExif((await sharp(jpg).metadata()).exif);
    expect(facts.takenAt?.toISOString()).toBe('2026-05-01T01:30:15.000Z');
    expect(facts.gpsLat).toBeCloseTo(39.907528, 6);
    expect(facts.gpsLng).toBeCloseTo(116.391722, 6);
  });

  it('honours OffsetTimeOriginal and southern/western refs', async () => {
    const jpg = await jpegWithExif({
      dateTimeOriginal: '2026:03:10 18:00:00',
      offsetTimeOriginal: '-03:00',
      lat: [22, 54, 30],
      latRef: 'S',
      lng: [43, 10, 30],
      lngRef: 'W',
    });
    const facts = readExif((await sharp(jpg).metadata()).exif);
    expect(facts.takenAt?.toISOString()).toBe('2026-03-10T21:00:00.000Z');
    expect(facts.gpsLat).toBeCloseTo(-22.908333, 6);
    expect(facts.gpsLng).toBeCloseTo(-43.175, 6);
  });

  it('treats a (0, 0) fix and broken blocks as no position', async () => {
    const jpg = await jpegWithExif({ lat: [0, 0, 0], lng: [0, 0, 0] });
    expect(readExif((await sharp(jpg).metadata()).exif)).toEqual({ takenAt: null, gpsLng: null, gpsLat: null });
    expect(readExif(Buffer.from('Exif\0\0garbage-garbage'))).toEqual({ takenAt: null, gpsLng: null, gpsLat: null });
    expect(readExif(undefined)).toEqual({ takenAt: null, gpsLng: null, gpsLat: null });
  });

  it('makes an upright WebP thumbnail without metadata and reports the displayed size', async () => {
    // 640×480 stored, EXIF orientation 6 (turn 90° clockwise): displayed 480×640
    const jpg = await jpegWithExif({ orientation: 6, lat: [39, 54, 27.1], lng: [116, 23, 30.2] });
    const facts = await inspectImage(jpg, 'jpg');
    expect(facts).toMatchObject({ width: 480, height: 640 });
    const thumb = await sharp(facts.thumbnail!).metadata();
    expect(thumb).toMatchObject({ format: 'webp', width: 240, height: 320 });
    expect(thumb.exif).toBeUndefined();
    // the red left half of the stored image is on top after turning clockwise
    const { data, info } = await sharp(facts.thumbnail!).raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3);
    expect(at(120, 20)[0]).toBeGreaterThan(150);
    expect(at(120, 300)[2]).toBeGreaterThan(150);
  });

  it('does not enlarge small images and rejects undecodable ones', async () => {
    const facts = await inspectImage(await png(50, 30), 'png');
    expect(facts).toMatchObject({ width: 50, height: 30, takenAt: null, gpsLat: null });
    expect((await sharp(facts.thumbnail!).metadata()).width).toBe(50);
    const broken = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7)]);
    await expect(inspectImage(broken, 'jpg')).rejects.toThrow();
  });
});

describe('content sniffing', () => {
  it('recognises the accepted types by their bytes', async () => {
    expect(await sniff(await jpegWithExif({}))).toMatchObject({ ext: 'jpg', mime: 'image/jpeg', kind: 'image' });
    expect(await sniff(await png())).toMatchObject({ ext: 'png', kind: 'image' });
    expect(await sniff(await webp())).toMatchObject({ ext: 'webp', kind: 'image' });
    expect(await sniff(minimalPdf())).toMatchObject({ ext: 'pdf', mime: 'application/pdf', kind: 'pdf' });
    expect(await sniff(minimalDocx())).toMatchObject({ ext: 'docx', kind: 'word' });
    expect(await sniff(await xlsx())).toMatchObject({ ext: 'xlsx', kind: 'excel' });
  });

  it('accepts HEIC by its ftyp brand and keeps it without thumbnail when libvips cannot decode it', async () => {
    const box = Buffer.alloc(24);
    box.writeUInt32BE(24, 0);
    box.write('ftypheic', 4, 'latin1');
    box.write('mif1heic', 16, 'latin1');
    const heic = Buffer.concat([box, Buffer.alloc(500)]);
    expect(await sniff(heic)).toEqual({ ext: 'heic', mime: 'image/heic', kind: 'image' });
    expect(await inspectImage(heic, 'heic')).toEqual({ takenAt: null, gpsLng: null, gpsLat: null, width: null, height: null, thumbnail: null });
  });

  it('tells legacy Word from Excel by the root streams of the compound file', async () => {
    const doc = cfb([{ name: 'WordDocument', type: 2, right: 2 }, { name: '1Table', type: 2 }]);
    expect(await sniff(doc)).toMatchObject({ ext: 'doc', mime: 'application/msword', kind: 'word' });
    const xls = cfb([{ name: 'Workbook', type: 2, left: 2 }, { name: '\u0005SummaryInformation', type: 2 }]);
    expect(await sniff(xls)).toMatchObject({ ext: 'xls', mime: 'application/vnd.ms-excel', kind: 'excel' });
    // a workbook holding an embedded Word object is still a workbook
    const embedded = cfb([{ name: 'Workbook', type: 2, right: 2 }, { name: 'MBD0001', type: 1, child: 3 }, { name: 'WordDocument', type: 2 }]);
    expect(cfbRootStreamNames(embedded)).toEqual(new Set(['Workbook', 'MBD0001']));
    expect(await sniff(embedded)).toMatchObject({ ext: 'xls' });
    // PowerPoint, MSI and other compound files are refused
    expect(await sniff(cfb([{ name: 'PowerPoint Document', type: 2 }]))).toBeNull();
    expect(cfbRootStreamNames(cfb([]).subarray(0, 600))).toEqual(new Set());
  });

  it('refuses executables, HTML, text and a zip that is not Office', async () => {
    expect(await sniff(exeHeader())).toBeNull();
    expect(await sniff(html())).toBeNull();
    expect(await sniff(Buffer.from('just text'))).toBeNull();
    const { storedZip } = await import('./files.fixtures.ts');
    expect(await sniff(storedZip([['readme.txt', 'hello']]))).toBeNull();
  });
});

describe('file names', () => {
  it('cleans client names', () => {
    expect(cleanFileName('C:\\fakepath\\照片.jpg')).toBe('照片.jpg');
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(cleanFileName('a\u0000b\nc.pdf')).toBe('abc.pdf');
    expect(cleanFileName('')).toBe('未命名文件');
    const long = cleanFileName(`${'长'.repeat(300)}.docx`);
    expect(long).toHaveLength(200);
    expect(long.endsWith('.docx')).toBe(true);
  });

  it('appends the real extension when the name lies about the content', () => {
    expect(downloadName('现场照片.JPG', 'jpg')).toBe('现场照片.JPG');
    expect(downloadName('photo.jpeg', 'jpg')).toBe('photo.jpeg');
    expect(downloadName('report.html', 'pdf')).toBe('report.html.pdf');
    expect(downloadName('noext', 'xlsx')).toBe('noext.xlsx');
  });

  it('writes Content-Disposition with an ASCII fallback and the RFC 5987 UTF-8 name', () => {
    expect(contentDisposition('attachment', '创文台账(2026).xlsx')).toBe(
      `attachment; filename="____(2026).xlsx"; filename*=UTF-8''%E5%88%9B%E6%96%87%E5%8F%B0%E8%B4%A6%282026%29.xlsx`,
    );
    expect(contentDisposition('inline', 'a"b\\c.pdf')).toBe(`inline; filename="a_b_c.pdf"; filename*=UTF-8''a%22b%5Cc.pdf`);
  });
});
