import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';

/**
 * Checks an uploaded .xlsx BEFORE anything parses it (issue #15 item 3: a 6.5 MB workbook took
 * 1 GB and froze the server). An .xlsx is a zip of XML files; a "zip bomb" workbook is a few MB of
 * deflate that inflates to hundreds of MB of repeated cells. We
 *   1. read the zip's central directory (no decompression): refuse too many entries, an entry or a
 *      total uncompressed size over the limits, an absurd compression ratio, zip64 and encryption;
 *   2. inflate the entries a reader will parse (worksheets, shared strings, styles, workbook),
 *      streaming, in the zlib thread pool, stopping at the first byte beyond the size the directory
 *      declared — a directory that lies is caught there, with memory bounded by one chunk;
 *   3. meanwhile pick the first visible sheet (workbook.xml + its rels) and collect its merged ranges.
 * Then the caller reads the sheet with ExcelJS's streaming reader, whose input is now known small.
 */

export type XlsxLimits = {
  /** largest uncompressed entry (a worksheet's XML), bytes */
  maxEntryBytes: number;
  /** all entries together, uncompressed */
  maxTotalBytes: number;
  /** uncompressed/compressed of an entry above 1 MB (normal sheets: 5–40; bombs: hundreds) */
  maxRatio: number;
  maxEntries: number;
};

export const DEFAULT_XLSX_LIMITS: XlsxLimits = {
  maxEntryBytes: 64 * 1024 * 1024,
  maxTotalBytes: 128 * 1024 * 1024,
  maxRatio: 150,
  maxEntries: 2000,
};

export class XlsxRejected extends Error {
  constructor(
    message: string,
    readonly reason: 'not_xlsx' | 'unreadable' | 'too_large',
  ) {
    super(message);
  }
}

type Entry = { name: string; method: number; flags: number; compressedSize: number; size: number; localOffset: number };

export type XlsxInspection = {
  entries: number;
  totalBytes: number;
  /** the first visible worksheet: its name, its entry and its merged ranges (A1:C3) */
  sheet: { name: string; path: string; merges: string[] } | null;
};

const MB = 1024 * 1024;
const mb = (n: number) => `${Math.round(n / MB)} MB`;
const tooLarge = (detail: string) =>
  new XlsxRejected(`文件解压后过大（${detail}），不像正常的数据表格，已拒绝读取。请只保留需要导入的工作表，删除图片和大片空白格式后另存为 .xlsx 再导入`, 'too_large');
const broken = () => new XlsxRejected('无法读取该 Excel 文件，文件可能已损坏或加密', 'unreadable');

/** The central directory's entries (throws XlsxRejected). */
export function centralDirectory(buf: Buffer, limits: XlsxLimits = DEFAULT_XLSX_LIMITS): Entry[] {
  // End of central directory: 22 bytes + a comment of up to 65535
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65_535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw broken();
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) throw new XlsxRejected('不支持 ZIP64 格式的工作簿（文件过大），请分批导入', 'too_large');
  if (count > limits.maxEntries) throw tooLarge(`含 ${count} 个部件`);
  if (cdOffset + cdSize > buf.length) throw broken();
  const entries: Entry[] = [];
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) throw broken();
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const compressedSize = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const localOffset = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    if (size === 0xffffffff || compressedSize === 0xffffffff) throw new XlsxRejected('不支持 ZIP64 格式的工作簿（文件过大），请分批导入', 'too_large');
    if (flags & 0x1) throw new XlsxRejected('该 Excel 文件已加密，请取消密码保护后再导入', 'unreadable');
    entries.push({ name, method, flags, compressedSize, size, localOffset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  let total = 0;
  for (const e of entries) {
    total += e.size;
    if (e.size > limits.maxEntryBytes) throw tooLarge(`${e.name} 达 ${mb(e.size)}，上限 ${mb(limits.maxEntryBytes)}`);
    if (e.size > MB && e.size / Math.max(1, e.compressedSize) > limits.maxRatio) throw tooLarge(`${e.name} 压缩比 ${Math.round(e.size / Math.max(1, e.compressedSize))}:1`);
  }
  if (total > limits.maxTotalBytes) throw tooLarge(`共 ${mb(total)}，上限 ${mb(limits.maxTotalBytes)}`);
  return entries;
}

/** The raw (compressed) bytes of an entry, from its local header. */
function entryData(buf: Buffer, e: Entry): Buffer {
  const p = e.localOffset;
  if (p + 30 > buf.length || buf.readUInt32LE(p) !== 0x04034b50) throw broken();
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  if (start + e.compressedSize > buf.length) throw broken();
  return buf.subarray(start, start + e.compressedSize);
}

/**
 * Inflates an entry in chunks, never holding more than one chunk (plus `keep` when asked), and
 * fails as soon as the output passes the declared size. `onText` sees the text chunk by chunk.
 */
async function inflateBounded(buf: Buffer, e: Entry, onChunk?: (chunk: Buffer) => void): Promise<number> {
  const data = entryData(buf, e);
  if (e.method === 0) {
    if (data.length !== e.size) throw broken();
    onChunk?.(data);
    return data.length;
  }
  if (e.method !== 8) throw broken();
  let out = 0;
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      out += chunk.length;
      if (out > e.size) return cb(tooLarge(`${e.name} 实际解压大小超过声明的 ${mb(e.size)}`));
      onChunk?.(chunk);
      cb();
    },
  });
  try {
    await pipeline(Readable.from([data]), zlib.createInflateRaw({ chunkSize: 64 * 1024 }), sink);
  } catch (err) {
    if (err instanceof XlsxRejected) throw err;
    throw broken();
  }
  if (out !== e.size) throw broken();
  return out;
}

const decodeXml = (s: string) => s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const attr = (tag: string, name: string) => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? decodeXml(m[1]) : undefined;
};

/** Small XML parts (workbook, rels) as text, bounded. */
async function smallText(buf: Buffer, e: Entry | undefined, max = 4 * MB): Promise<string> {
  if (!e) return '';
  if (e.size > max) throw tooLarge(`${e.name} 达 ${mb(e.size)}`);
  const parts: Buffer[] = [];
  await inflateBounded(buf, e, (c) => parts.push(c));
  return Buffer.concat(parts).toString('utf8');
}

/** Full inspection: directory limits, true sizes of the parts a reader parses, first visible sheet and its merges. */
export async function inspectXlsx(buf: Buffer, limits: XlsxLimits = DEFAULT_XLSX_LIMITS): Promise<XlsxInspection> {
  const entries = centralDirectory(buf, limits);
  const byName = new Map(entries.map((e) => [e.name.replace(/^\//, ''), e]));
  if (!byName.has('xl/workbook.xml')) throw new XlsxRejected('只支持 .xlsx 格式的 Excel 文件（请在 Excel 中“另存为 .xlsx”）', 'not_xlsx');

  const workbook = await smallText(buf, byName.get('xl/workbook.xml'));
  const rels = await smallText(buf, byName.get('xl/_rels/workbook.xml.rels'));
  const targets = new Map<string, string>();
  for (const m of rels.matchAll(/<Relationship\b[^>]*>/g)) {
    const id = attr(m[0], 'Id');
    const target = attr(m[0], 'Target');
    if (id && target) targets.set(id, target.startsWith('/') ? target.slice(1) : `xl/${target}`.replace(/\/\.\//g, '/'));
  }
  let sheet: XlsxInspection['sheet'] = null;
  const sheets = [...workbook.matchAll(/<sheet\b[^>]*>/g)].map((m) => ({ name: attr(m[0], 'name') ?? '', state: attr(m[0], 'state'), rid: attr(m[0], 'r:id') }));
  const chosen = sheets.find((s) => s.state !== 'hidden' && s.state !== 'veryHidden') ?? sheets[0];
  if (chosen?.rid && targets.has(chosen.rid)) sheet = { name: chosen.name, path: targets.get(chosen.rid) as string, merges: [] };

  // every part a streaming reader will parse: its true size, and the chosen sheet's merged ranges
  let total = 0;
  for (const e of entries) {
    const name = e.name.replace(/^\//, '');
    if (!/^xl\/(worksheets\/[^/]+\.xml|sharedStrings\.xml|styles\.xml)$/.test(name)) continue;
    if (sheet && name === sheet.path) {
      const merges = sheet.merges;
      let tail = '';
      total += await inflateBounded(buf, e, (chunk) => {
        const text = tail + chunk.toString('latin1');
        for (const m of text.matchAll(/<mergeCell\s+ref="([A-Z]{1,3}\d{1,7}:[A-Z]{1,3}\d{1,7})"/g)) {
          if (merges.length < 20_000) merges.push(m[1]);
        }
        // a tag cut by the chunk boundary is seen whole in the next round
        const cut = text.lastIndexOf('<');
        tail = cut >= 0 && text.length - cut < 200 && text.indexOf('>', cut) < 0 ? text.slice(cut) : '';
      });
    } else total += await inflateBounded(buf, e);
  }
  return { entries: entries.length, totalBytes: total, sheet };
}
