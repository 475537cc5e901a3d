import { crc32, deflateRawSync } from 'node:zlib';

/**
 * A streaming ZIP writer for the evidence archive: entries are produced one at a time (each
 * file is read, checksummed and compressed on its own), so memory holds one file, never the
 * archive. Names are UTF-8 (general-purpose flag bit 11), which Windows Explorer, 7-Zip, macOS
 * and unzip read. ZIP64 records are written when the archive needs them (more than 65,535
 * entries or offsets past 4 GiB); a single entry stays under 4 GiB (uploads are far smaller).
 */

export type ZipEntry = { name: string; data: Buffer; date?: Date };

/** Formats that are compressed already: stored, not deflated again. */
const STORED = /\.(jpe?g|png|webp|heic|heif|gif|zip|docx|xlsx|pptx|mp4|gz)$/i;
const U32 = 0xffffffff;
const U16 = 0xffff;

type Central = { name: Buffer; crc: number; method: number; csize: number; size: number; offset: number; time: number; date: number };

/** DOS time and date in China Standard Time (the archive is opened in China). */
function dosDateTime(d: Date): { time: number; date: number } {
  const t = new Date(d.getTime() + 8 * 3_600_000);
  const year = Math.max(1980, t.getUTCFullYear());
  return {
    time: (t.getUTCHours() << 11) | (t.getUTCMinutes() << 5) | Math.floor(t.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((t.getUTCMonth() + 1) << 5) | t.getUTCDate(),
  };
}

/** The ZIP bytes of the entries, as a stream of chunks (wrap in Readable.from for an HTTP reply). */
export async function* zipChunks(entries: AsyncIterable<ZipEntry> | Iterable<ZipEntry>): AsyncGenerator<Buffer> {
  const central: Central[] = [];
  let offset = 0;
  for await (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const method = STORED.test(e.name) ? 0 : 8;
    const body = method === 8 ? deflateRawSync(e.data) : e.data;
    const { time, date } = dosDateTime(e.date ?? new Date());
    const crc = crc32(e.data) >>> 0;
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    head.writeUInt16LE(20, 4); // version needed
    head.writeUInt16LE(0x0800, 6); // UTF-8 names
    head.writeUInt16LE(method, 8);
    head.writeUInt16LE(time, 10);
    head.writeUInt16LE(date, 12);
    head.writeUInt32LE(crc, 14);
    head.writeUInt32LE(body.length, 18);
    head.writeUInt32LE(e.data.length, 22);
    head.writeUInt16LE(name.length, 26);
    head.writeUInt16LE(0, 28);
    central.push({ name, crc, method, csize: body.length, size: e.data.length, offset, time, date });
    yield Buffer.concat([head, name]);
    yield body;
    offset += head.length + name.length + body.length;
  }

  const cdStart = offset;
  let cdSize = 0;
  for (const c of central) {
    const big = c.offset >= U32;
    const extra = big ? Buffer.alloc(12) : Buffer.alloc(0);
    if (big) {
      extra.writeUInt16LE(0x0001, 0);
      extra.writeUInt16LE(8, 2);
      extra.writeBigUInt64LE(BigInt(c.offset), 4);
    }
    const rec = Buffer.alloc(46);
    rec.writeUInt32LE(0x02014b50, 0);
    rec.writeUInt16LE((3 << 8) | 45, 4); // made by: Unix, spec 4.5
    rec.writeUInt16LE(big ? 45 : 20, 6);
    rec.writeUInt16LE(0x0800, 8);
    rec.writeUInt16LE(c.method, 10);
    rec.writeUInt16LE(c.time, 12);
    rec.writeUInt16LE(c.date, 14);
    rec.writeUInt32LE(c.crc, 16);
    rec.writeUInt32LE(c.csize, 20);
    rec.writeUInt32LE(c.size, 24);
    rec.writeUInt16LE(c.name.length, 28);
    rec.writeUInt16LE(extra.length, 30);
    rec.writeUInt16LE(0, 32); // comment
    rec.writeUInt16LE(0, 34); // disk
    rec.writeUInt16LE(0, 36); // internal attributes
    rec.writeUInt32LE((0o100644 << 16) >>> 0, 38); // -rw-r--r--
    rec.writeUInt32LE(big ? U32 : c.offset, 42);
    const chunk = Buffer.concat([rec, c.name, extra]);
    cdSize += chunk.length;
    yield chunk;
  }

  const needs64 = central.length >= U16 || cdStart >= U32 || cdSize >= U32;
  if (needs64) {
    const z = Buffer.alloc(56 + 20);
    z.writeUInt32LE(0x06064b50, 0);
    z.writeBigUInt64LE(44n, 4);
    z.writeUInt16LE(45, 12);
    z.writeUInt16LE(45, 14);
    z.writeUInt32LE(0, 16);
    z.writeUInt32LE(0, 20);
    z.writeBigUInt64LE(BigInt(central.length), 24);
    z.writeBigUInt64LE(BigInt(central.length), 32);
    z.writeBigUInt64LE(BigInt(cdSize), 40);
    z.writeBigUInt64LE(BigInt(cdStart), 48);
    // locator
    z.writeUInt32LE(0x07064b50, 56);
    z.writeUInt32LE(0, 60);
    z.writeBigUInt64LE(BigInt(cdStart + cdSize), 64);
    z.writeUInt32LE(1, 72);
    yield z;
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(needs64 ? U16 : central.length, 8);
  end.writeUInt16LE(needs64 ? U16 : central.length, 10);
  end.writeUInt32LE(needs64 ? U32 : cdSize, 12);
  end.writeUInt32LE(needs64 ? U32 : cdStart, 16);
  end.writeUInt16LE(0, 20);
  yield end;
}
