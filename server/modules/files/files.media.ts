import exifReader from 'exif-reader';
import { fileTypeFromBuffer } from 'file-type';
import sharp, { type Metadata } from 'sharp';
import type { FileKind } from '../../../contracts/files.ts';

/**
 * Pure-ish helpers of the files module: what a byte buffer really is (content sniffing), and what
 * an image tells about itself (size, EXIF time and place, a thumbnail). No storage, no database.
 */

export type Sniffed = { ext: string; mime: string; kind: FileKind };

/** The types we keep, keyed by file-type's extension. Everything else is refused. */
const ACCEPTED: Record<string, Sniffed> = {
  jpg: { ext: 'jpg', mime: 'image/jpeg', kind: 'image' },
  png: { ext: 'png', mime: 'image/png', kind: 'image' },
  webp: { ext: 'webp', mime: 'image/webp', kind: 'image' },
  pdf: { ext: 'pdf', mime: 'application/pdf', kind: 'pdf' },
  docx: { ext: 'docx', mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', kind: 'word' },
  xlsx: { ext: 'xlsx', mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', kind: 'excel' },
};
const HEIC_MIMES = new Set(['image/heic', 'image/heif']);
const DOC: Sniffed = { ext: 'doc', mime: 'application/msword', kind: 'word' };
const XLS: Sniffed = { ext: 'xls', mime: 'application/vnd.ms-excel', kind: 'excel' };

/** Extensions a download name may keep for each stored type (others get the right one appended). */
export const NAME_EXTS: Record<string, string[]> = {
  jpg: ['jpg', 'jpeg', 'jpe', 'jfif'],
  png: ['png'],
  webp: ['webp'],
  heic: ['heic', 'heif'],
  pdf: ['pdf'],
  docx: ['docx'],
  xlsx: ['xlsx'],
  doc: ['doc'],
  xls: ['xls'],
};

/** Decides the type from the bytes alone; null when the content is not one we accept. */
export async function sniff(buf: Buffer): Promise<Sniffed | null> {
  const ft = await fileTypeFromBuffer(buf);
  if (!ft) return null;
  if (ft.ext === 'heic' && HEIC_MIMES.has(ft.mime)) return { ext: 'heic', mime: ft.mime, kind: 'image' };
  if (ft.ext === 'cfb') {
    // Legacy Office files are OLE compound files: the root streams tell Word from Excel.
    const names = cfbRootStreamNames(buf);
    if (names.has('WordDocument')) return DOC;
    if (names.has('Workbook') || names.has('Book')) return XLS;
    return null;
  }
  return ACCEPTED[ft.ext] ?? null;
}

const FREESECT = 0xffffffff;
const ENDOFCHAIN = 0xfffffffe;
const NOSTREAM = 0xffffffff;

/**
 * Names of the entries directly under the root storage of an MS-CFB file ([MS-CFB] §2.2, §2.6).
 * Only the root level counts, so a workbook with an embedded Word object stays a workbook.
 * Returns an empty set for anything malformed.
 */
export function cfbRootStreamNames(buf: Buffer): Set<string> {
  const out = new Set<string>();
  try {
    if (buf.length < 512) return out;
    const sectorShift = buf.readUInt16LE(0x1e);
    if (sectorShift !== 9 && sectorShift !== 12) return out;
    const size = 1 << sectorShift;
    const sectorOffset = (n: number) => (n + 1) * size;
    const maxSectors = Math.ceil(buf.length / size);
    // FAT sector ids: 109 in the header, then a chain of DIFAT sectors.
    const fatSectors: number[] = [];
    for (let i = 0; i < 109; i++) fatSectors.push(buf.readUInt32LE(0x4c + i * 4));
    let difat = buf.readUInt32LE(0x44);
    for (let guard = 0; difat !== ENDOFCHAIN && difat !== FREESECT && guard < maxSectors; guard++) {
      const off = sectorOffset(difat);
      if (off + size > buf.length) break;
      for (let i = 0; i < size / 4 - 1; i++) fatSectors.push(buf.readUInt32LE(off + i * 4));
      difat = buf.readUInt32LE(off + size - 4);
    }
    const fat: number[] = [];
    for (const s of fatSectors) {
      if (s === FREESECT || s >= maxSectors) continue;
      const off = sectorOffset(s);
      if (off + size > buf.length) continue;
      for (let i = 0; i < size / 4; i++) fat.push(buf.readUInt32LE(off + i * 4));
    }
    // The directory: a chain of sectors of 128-byte entries.
    const entries: { name: string; left: number; right: number; child: number }[] = [];
    let sector = buf.readUInt32LE(0x30);
    for (let guard = 0; sector !== ENDOFCHAIN && sector < maxSectors && guard < maxSectors; guard++) {
      const off = sectorOffset(sector);
      for (let e = off; e + 128 <= Math.min(off + size, buf.length); e += 128) {
        const nameLen = buf.readUInt16LE(e + 0x40);
        const name = nameLen >= 2 && nameLen <= 64 ? buf.toString('utf16le', e, e + nameLen - 2) : '';
        entries.push({ name, left: buf.readUInt32LE(e + 0x44), right: buf.readUInt32LE(e + 0x48), child: buf.readUInt32LE(e + 0x4c) });
      }
      sector = fat[sector] ?? ENDOFCHAIN;
    }
    // Walk the red-black tree of the root's children.
    const stack = [entries[0]?.child ?? NOSTREAM];
    const seen = new Set<number>();
    while (stack.length) {
      const i = stack.pop()!;
      if (i === NOSTREAM || seen.has(i) || !entries[i]) continue;
      seen.add(i);
      out.add(entries[i].name);
      stack.push(entries[i].left, entries[i].right);
    }
  } catch {
    // a truncated or hostile header: no names
  }
  return out;
}

// ---------------------------------------------------------------- EXIF

/** China has had no daylight saving since 1991: EXIF times without an offset tag are taken as UTC+8. */
export const DEFAULT_EXIF_OFFSET_MINUTES = 8 * 60;

/**
 * Degrees/minutes/seconds (EXIF rationals, already divided) and a hemisphere ref to a signed
 * decimal degree. dmsToDecimal([39, 54, 27.1], 'N') → 39.907527…; 'S' and 'W' are negative.
 */
export function dmsToDecimal(dms: unknown, ref: unknown): number | null {
  if (!Array.isArray(dms) || dms.length === 0 || dms.length > 3) return null;
  const parts = dms.map(Number);
  if (parts.some((n) => !Number.isFinite(n) || n < 0)) return null;
  const [d, m = 0, s = 0] = parts;
  const value = d + m / 60 + s / 3600;
  const r = typeof ref === 'string' ? ref.replace(/\0/g, '').trim().toUpperCase() : '';
  const sign = r === 'S' || r === 'W' ? -1 : 1;
  return Math.round(sign * value * 1e8) / 1e8;
}

/** '+08:00' / '-05:30' → minutes east of UTC; null when absent or malformed. */
export function parseExifOffset(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(value.replace(/\0/g, '').trim());
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  if (minutes > 14 * 60) return null;
  return m[1] === '-' ? -minutes : minutes;
}

/**
 * An EXIF wall-clock time to UTC. exif-reader returns the wall clock in the Date's UTC fields;
 * the offset tag (OffsetTimeOriginal) says where it was, else Asia/Shanghai.
 * exifWallToUtc(Date.UTC(2026,4,1,9,30), null) → 2026-05-01T01:30:00Z.
 */
export function exifWallToUtc(wall: Date, offset: string | null | undefined, subSec?: unknown): Date | null {
  if (!(wall instanceof Date) || Number.isNaN(wall.getTime()) || wall.getUTCFullYear() < 1970) return null;
  const minutes = parseExifOffset(offset) ?? DEFAULT_EXIF_OFFSET_MINUTES;
  let ms = 0;
  if (typeof subSec === 'string' && /^\d+$/.test(subSec.trim())) ms = Math.round(Number(`0.${subSec.trim()}`) * 1000) % 1000;
  return new Date(wall.getTime() - minutes * 60_000 + ms);
}

export type ExifFacts = { takenAt: Date | null; gpsLng: number | null; gpsLat: number | null };

/** Time taken and place from a raw EXIF block (sharp's metadata().exif); nulls for what is missing or broken. */
export function readExif(raw: Buffer | undefined): ExifFacts {
  const none: ExifFacts = { takenAt: null, gpsLng: null, gpsLat: null };
  if (!raw || raw.length < 8) return none;
  let exif: ReturnType<typeof exifReader>;
  try {
    exif = exifReader(raw);
  } catch {
    return none;
  }
  const photo = exif.Photo ?? {};
  let takenAt: Date | null = null;
  if (photo.DateTimeOriginal instanceof Date) {
    takenAt = exifWallToUtc(photo.DateTimeOriginal, photo.OffsetTimeOriginal ?? photo.OffsetTime, photo.SubSecTimeOriginal);
  } else if (photo.DateTimeDigitized instanceof Date) {
    takenAt = exifWallToUtc(photo.DateTimeDigitized, photo.OffsetTimeDigitized ?? photo.OffsetTime, photo.SubSecTimeDigitized);
  }
  const gps = exif.GPSInfo ?? {};
  let gpsLat = dmsToDecimal(gps.GPSLatitude, gps.GPSLatitudeRef);
  let gpsLng = dmsToDecimal(gps.GPSLongitude, gps.GPSLongitudeRef);
  const isVoid = typeof gps.GPSStatus === 'string' && gps.GPSStatus.startsWith('V');
  // (0, 0) is what receivers without a fix write; out-of-range values are corrupt.
  if (isVoid || gpsLat === null || gpsLng === null || Math.abs(gpsLat) > 90 || Math.abs(gpsLng) > 180 || (gpsLat === 0 && gpsLng === 0)) {
    gpsLat = null;
    gpsLng = null;
  }
  return { takenAt, gpsLng, gpsLat };
}

// ---------------------------------------------------------------- images

export const THUMB_MAX_PX = 320;

export type ImageFacts = ExifFacts & { width: number | null; height: number | null; thumbnail: Buffer | null };

/**
 * Size (as displayed, after EXIF orientation), EXIF facts and a WebP thumbnail that is rotated
 * upright and carries no metadata (so no GPS leaks through thumbnails). HEIC may not be decodable
 * by the bundled libvips: then the file is kept without thumbnail. Throws for JPEG/PNG/WebP that
 * cannot be decoded at all (a corrupt or disguised file).
 */
export async function inspectImage(buf: Buffer, ext: string): Promise<ImageFacts> {
  const lenient = ext === 'heic';
  let meta: Metadata;
  try {
    meta = await sharp(buf, { failOn: 'error' }).metadata();
  } catch (err) {
    if (lenient) return { takenAt: null, gpsLng: null, gpsLat: null, width: null, height: null, thumbnail: null };
    throw err;
  }
  const facts = readExif(meta.exif);
  let thumbnail: Buffer | null = null;
  try {
    thumbnail = await sharp(buf, { failOn: 'error' })
      .rotate()
      .resize({ width: THUMB_MAX_PX, height: THUMB_MAX_PX, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 78 })
      .toBuffer();
  } catch (err) {
    if (!lenient) throw err;
  }
  return {
    ...facts,
    width: meta.autoOrient?.width ?? meta.width ?? null,
    height: meta.autoOrient?.height ?? meta.height ?? null,
    thumbnail,
  };
}
