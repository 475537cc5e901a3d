import ExcelJS from 'exceljs';
import sharp from 'sharp';

/** Real files of every accepted type (and some refused ones), built in memory for the tests. */

export type ExifSpec = {
  dateTimeOriginal?: string;
  offsetTimeOriginal?: string;
  /** degrees, minutes, seconds */
  lat?: [number, number, number];
  latRef?: 'N' | 'S';
  lng?: [number, number, number];
  lngRef?: 'E' | 'W';
  orientation?: number;
};

const rational = (dms: [number, number, number]) => dms.map((v) => `${Math.round(v * 100)}/100`).join(' ');

/** A JPEG of the given size whose EXIF block (time, GPS, orientation) is written by sharp/libvips. */
export async function jpegWithExif(spec: ExifSpec, width = 640, height = 480): Promise<Buffer> {
  const ifd2: Record<string, string> = {};
  if (spec.dateTimeOriginal) ifd2.DateTimeOriginal = spec.dateTimeOriginal;
  if (spec.offsetTimeOriginal) ifd2.OffsetTimeOriginal = spec.offsetTimeOriginal;
  const ifd3: Record<string, string> = {};
  if (spec.lat) {
    ifd3.GPSLatitudeRef = spec.latRef ?? 'N';
    ifd3.GPSLatitude = rational(spec.lat);
  }
  if (spec.lng) {
    ifd3.GPSLongitudeRef = spec.lngRef ?? 'E';
    ifd3.GPSLongitude = rational(spec.lng);
  }
  // left half red, right half blue: lets a test see which way the thumbnail was turned
  const left = await sharp({ create: { width: Math.floor(width / 2), height, channels: 3, background: { r: 220, g: 20, b: 20 } } })
    .png()
    .toBuffer();
  let img = sharp({ create: { width, height, channels: 3, background: { r: 20, g: 20, b: 220 } } })
    .composite([{ input: left, left: 0, top: 0 }])
    .jpeg({ quality: 85 });
  if (spec.orientation) img = img.withMetadata({ orientation: spec.orientation });
  return img.withExifMerge({ IFD0: { Make: 'ChuangwenTest' }, IFD2: ifd2, IFD3: ifd3 }).toBuffer();
}

export const png = (width = 50, height = 30) =>
  sharp({ create: { width, height, channels: 4, background: { r: 0, g: 128, b: 0, alpha: 1 } } }).png().toBuffer();
export const webp = (width = 50, height = 30) =>
  sharp({ create: { width, height, channels: 3, background: { r: 0, g: 0, b: 128 } } }).webp().toBuffer();

/** A minimal valid one-page PDF with a correct cross-reference table. */
export function minimalPdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Resources << >> >>',
    '<< /Length 0 >>\nstream\n\nendstream',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out);
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

export async function xlsx(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('台账');
  ws.addRow(['单位', '得分']);
  ws.addRow(['朝阳社区', 95]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A zip archive with stored (uncompressed) entries, in the given order. */
export function storedZip(entries: [string, string][]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of entries) {
    const nameBuf = Buffer.from(name, 'utf8');
    const data = Buffer.from(text, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, data);
    centrals.push(central, nameBuf);
    offset += 30 + nameBuf.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** The smallest DOCX Word opens: content types, the package relationship and the main part. */
export function minimalDocx(): Buffer {
  return storedZip([
    [
      '[Content_Types].xml',
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    ],
    [
      '_rels/.rels',
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    ],
    [
      'word/document.xml',
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
        '<w:body><w:p><w:r><w:t>创文工作总结</w:t></w:r></w:p></w:body></w:document>',
    ],
  ]);
}

type CfbEntry = { name: string; type: 1 | 2; left?: number; right?: number; child?: number };

/**
 * A minimal MS-CFB (legacy Office) file: header, one FAT sector, one directory sector. `entries`
 * follow the root entry (index 0), whose child is entry 1; siblings and children by index.
 */
export function cfb(entries: CfbEntry[]): Buffer {
  const FREE = 0xffffffff;
  const END = 0xfffffffe;
  const buf = Buffer.alloc(512 * 3, 0);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(buf, 0);
  buf.writeUInt16LE(0x3e, 0x18);
  buf.writeUInt16LE(3, 0x1a);
  buf.writeUInt16LE(0xfffe, 0x1c);
  buf.writeUInt16LE(9, 0x1e);
  buf.writeUInt16LE(6, 0x20);
  buf.writeUInt32LE(1, 0x2c); // FAT sectors
  buf.writeUInt32LE(1, 0x30); // first directory sector
  buf.writeUInt32LE(4096, 0x38);
  buf.writeUInt32LE(END, 0x3c);
  buf.writeUInt32LE(END, 0x44);
  for (let i = 0; i < 109; i++) buf.writeUInt32LE(i === 0 ? 0 : FREE, 0x4c + i * 4);
  const fat = 512;
  for (let i = 0; i < 128; i++) buf.writeUInt32LE(FREE, fat + i * 4);
  buf.writeUInt32LE(0xfffffffd, fat); // sector 0 is the FAT
  buf.writeUInt32LE(END, fat + 4); // sector 1, the directory, ends its chain
  const all: CfbEntry[] = [{ name: 'Root Entry', type: 1, child: 1 }, ...entries];
  all.forEach((e, i) => {
    const off = 1024 + i * 128;
    const type = i === 0 ? 5 : e.type;
    buf.write(`${e.name}\0`, off, 'utf16le');
    buf.writeUInt16LE((e.name.length + 1) * 2, off + 0x40);
    buf.writeUInt8(type, off + 0x42);
    buf.writeUInt32LE(e.left ?? FREE, off + 0x44);
    buf.writeUInt32LE(e.right ?? FREE, off + 0x48);
    buf.writeUInt32LE(e.child ?? FREE, off + 0x4c);
  });
  return buf;
}

/** A Windows executable header, as a renamed .exe would start. */
export function exeHeader(): Buffer {
  const buf = Buffer.alloc(256, 0);
  buf.write('MZ', 0, 'latin1');
  buf.writeUInt32LE(0x80, 0x3c);
  buf.write('PE\0\0', 0x80, 'latin1');
  return buf;
}

export const html = () => Buffer.from('<!DOCTYPE html><html><body><script>alert(1)</script></body></html>', 'utf8');
