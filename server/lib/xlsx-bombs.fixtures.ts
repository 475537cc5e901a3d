import { randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';

/**
 * Hostile and oversized workbooks for the Excel-bomb tests (issue #15 item 3), written by hand as
 * zip files so that no library smooths them out. Each is a structurally valid .xlsx.
 */

type Part = { name: string; data: Buffer; size: number; crc: number; method: 0 | 8 };

/** Deflates a part produced chunk by chunk (never the whole inflated text in memory). */
async function deflatePart(name: string, chunks: Iterable<string | Buffer>, opts: { declaredSize?: number } = {}): Promise<Part> {
  const out: Buffer[] = [];
  let size = 0;
  let crc = 0;
  function* counted() {
    for (const c of chunks) {
      const buf = typeof c === 'string' ? Buffer.from(c, 'utf8') : c;
      size += buf.length;
      crc = zlib.crc32(buf, crc);
      yield buf;
    }
  }
  await pipeline(
    Readable.from(counted()),
    zlib.createDeflateRaw({ level: 6 }),
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        out.push(chunk);
        cb();
      },
    }),
  );
  return { name, data: Buffer.concat(out), size: opts.declaredSize ?? size, crc, method: 8 };
}

const small = (name: string, text: string) => deflatePart(name, [text]);

function zip(parts: Part[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name, 'utf8');
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(0x0800, 6); // UTF-8 names
    lh.writeUInt16LE(p.method, 8);
    lh.writeUInt32LE(p.crc >>> 0, 14);
    lh.writeUInt32LE(p.data.length, 18);
    lh.writeUInt32LE(p.size, 22);
    lh.writeUInt16LE(name.length, 26);
    locals.push(lh, name, p.data);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(0x0800, 8);
    ch.writeUInt16LE(p.method, 10);
    ch.writeUInt32LE(p.crc >>> 0, 16);
    ch.writeUInt32LE(p.data.length, 20);
    ch.writeUInt32LE(p.size, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE(offset, 42);
    central.push(ch, name);
    offset += 30 + name.length + p.data.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`;
const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
const WORKBOOK = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="点位" sheetId="1" r:id="rId1"/></sheets></workbook>`;
const WORKBOOK_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`;
const SHEET_HEAD = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`;
const SHEET_TAIL = '</sheetData></worksheet>';

const col = (i: number) => String.fromCharCode(65 + i);
const inline = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;

async function workbookWith(sheet: Promise<Part>): Promise<Buffer> {
  return zip(await Promise.all([small('[Content_Types].xml', CONTENT_TYPES), small('_rels/.rels', ROOT_RELS), small('xl/workbook.xml', WORKBOOK), small('xl/_rels/workbook.xml.rels', WORKBOOK_RELS), sheet]));
}

/**
 * A zip bomb workbook: a header row, then `inflatedMb` MB of the same row repeated — a few MB on
 * disk. With `lie`, the central directory claims the sheet is 1 MB (the true size is found only by
 * inflating).
 */
export function zipBombWorkbook(inflatedMb: number, opts: { lie?: boolean } = {}): Promise<Buffer> {
  const header = `<row r="1">${inline('A1', '名称')}${inline('B1', '所在区域')}${inline('C1', '点位类型')}</row>`;
  const row = `<row>${inline('A2', '人民广场人民广场人民广场')}${inline('B2', '朝阳社区')}${inline('C2', '广场')}</row>`;
  const block = Buffer.from(row.repeat(Math.ceil((1024 * 1024) / row.length)), 'utf8');
  function* chunks() {
    yield SHEET_HEAD + header;
    for (let i = 0; i < inflatedMb; i++) yield block;
    yield SHEET_TAIL;
  }
  return workbookWith(deflatePart('xl/worksheets/sheet1.xml', chunks(), opts.lie ? { declaredSize: 1024 * 1024 } : {}));
}

/**
 * A large, honest workbook of `targetMb` MB on disk: rows of random text (which does not compress),
 * many more rows than any import takes. Its parts pass the size checks; the row cap stops it.
 */
export async function largeWorkbook(targetMb: number): Promise<{ buffer: Buffer; rows: number }> {
  let rows = 0;
  const target = targetMb * 1024 * 1024;
  function* chunks() {
    yield SHEET_HEAD + `<row r="1">${Array.from({ length: 10 }, (_, i) => inline(`${col(i)}1`, `列${i + 1}`)).join('')}</row>`;
    // random base64 compresses to ~¾: emit until the compressed size is near the target
    let approx = 0;
    while (approx < target) {
      const parts: string[] = [];
      for (let k = 0; k < 500; k++) {
        rows++;
        const r = rows + 1;
        const cells = Array.from({ length: 10 }, (_, i) => inline(`${col(i)}${r}`, randomBytes(18).toString('base64'))).join('');
        parts.push(`<row r="${r}">${cells}</row>`);
      }
      const text = parts.join('');
      approx += 500 * 10 * 23.5;
      yield text;
    }
    yield SHEET_TAIL;
  }
  const buffer = await workbookWith(deflatePart('xl/worksheets/sheet1.xml', chunks()));
  return { buffer, rows };
}

/** One row far down the sheet (row 1,048,576): a sparse grid that must not become a million empty rows. */
export function farRowWorkbook(): Promise<Buffer> {
  return workbookWith(deflatePart('xl/worksheets/sheet1.xml', [SHEET_HEAD, `<row r="1">${inline('A1', '名称')}</row><row r="1048576">${inline('A1048576', '远处')}</row>`, SHEET_TAIL]));
}
