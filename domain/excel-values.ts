/**
 * Parsing the values people type into Excel cells: 是/否, numbers with separators or full-width
 * digits, coordinates in decimal degrees or 度分秒, lists of names in one cell. Pure.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };
const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(error: string): Parsed<T> => ({ ok: false, error });

/** Full-width ASCII (ＡＢ１２，．) to half-width, ideographic space to space. */
export const toHalfWidth = (s: string): string =>
  s.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');

const TRUE_WORDS = new Set(['是', '√', '✓', '✔', 'y', 'yes', 'true', '1', '重点', '有', '对']);
const FALSE_WORDS = new Set(['否', '×', '✗', 'x', 'n', 'no', 'false', '0', '非重点', '不是', '无', '-', '—']);

/**
 * 是/否 and their usual spellings; empty gives null (use the default).
 * parseBool('是') → { ok: true, value: true }
 */
export function parseBool(text: string): Parsed<boolean | null> {
  const s = toHalfWidth(text).trim().toLowerCase();
  if (s === '') return ok(null);
  if (TRUE_WORDS.has(s)) return ok(true);
  if (FALSE_WORDS.has(s)) return ok(false);
  return fail('请填写“是”或“否”');
}

/**
 * A number as people write it: '1,234', '１２３４'; units such as '人' are refused.
 * parseNumber('1,234.5') → { ok: true, value: 1234.5 }; empty gives null.
 */
export function parseNumber(text: string): Parsed<number | null> {
  const s = toHalfWidth(text).trim().replace(/[,，\s]/g, '');
  if (s === '') return ok(null);
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(s)) return fail('必须是数字');
  const n = Number(s);
  return Number.isFinite(n) ? ok(n) : fail('必须是数字');
}

/** A whole number ≥ 0 (户数, 人口). parseCount('420') → { ok: true, value: 420 } */
export function parseCount(text: string): Parsed<number | null> {
  const r = parseNumber(text);
  if (!r.ok || r.value === null) return r;
  if (!Number.isInteger(r.value)) return fail('必须是整数');
  if (r.value < 0) return fail('不能为负数');
  if (r.value > 2_147_483_647) return fail('数值过大');
  return r;
}

export type Axis = 'lng' | 'lat';

/**
 * A longitude or latitude in decimal degrees ('113.6654', 'E113.6654°') or 度分秒
 * ("113°39'55.4\"E", '113度39分55.4秒', '34°45′28.4″N'). W and S give negative values.
 * parseCoordinate("113°39'55.4\"E", 'lng') → { ok: true, value: 113.66539 }
 */
export function parseCoordinate(text: string, axis: Axis): Parsed<number | null> {
  const name = axis === 'lng' ? '经度' : '纬度';
  let s = toHalfWidth(text)
    .trim()
    .replace(/[′’‘]/g, "'")
    .replace(/[″”“]/g, '"')
    .replace(/''/g, '"')
    .replace(/\s+/g, ' ');
  if (s === '') return ok(null);
  let sign = 1;
  const hemi = /^([NSEWnsew]|东经|西经|北纬|南纬)\s*|\s*([NSEWnsew]|东经|西经|北纬|南纬)$/.exec(s);
  if (hemi) {
    const h = (hemi[1] ?? hemi[2]).toUpperCase();
    const isLngHemi = h === 'E' || h === 'W' || h === '东经' || h === '西经';
    if (isLngHemi !== (axis === 'lng')) return fail(`${name}的方向标记不正确（经度用 E/W，纬度用 N/S）`);
    if (h === 'W' || h === 'S' || h === '西经' || h === '南纬') sign = -1;
    s = (s.slice(0, hemi.index) + s.slice(hemi.index + hemi[0].length)).trim();
  }
  if (s.startsWith('-')) {
    sign = -sign;
    s = s.slice(1).trim();
  }
  const decimal = /^(\d+(?:\.\d+)?)\s*[°度]?$/.exec(s);
  if (decimal) return ok(sign * Number(decimal[1]));
  const dms = /^(\d+(?:\.\d+)?)\s*[°度]\s*(?:(\d+(?:\.\d+)?)\s*['分]\s*)?(?:(\d+(?:\.\d+)?)\s*["秒]?\s*)?$/.exec(s);
  if (dms) {
    const d = Number(dms[1]);
    const m = dms[2] === undefined ? 0 : Number(dms[2]);
    const sec = dms[3] === undefined ? 0 : Number(dms[3]);
    if (m >= 60 || sec >= 60) return fail(`${name}的分、秒必须小于 60`);
    if ((dms[2] !== undefined || dms[3] !== undefined) && !Number.isInteger(d)) return fail(`${name}格式不正确`);
    return ok(sign * (d + m / 60 + sec / 3600));
  }
  return fail(`${name}格式不正确，应为十进制度（113.6654）或度分秒（113°39'55.4"E）`);
}

/** Rounds to 7 decimals (about 1 cm), the precision coordinates are kept at. */
export const roundCoord = (v: number): number => Math.round(v * 1e7) / 1e7;

/**
 * Several names in one cell, separated by 、，,;； / or line breaks; blanks and repeats dropped.
 * splitMulti('市交通运输局、新华街道；市交通运输局') → ['市交通运输局', '新华街道']
 */
export function splitMulti(text: string): string[] {
  const seen = new Set<string>();
  for (const part of text.split(/[、，,;；\n\r]+/)) {
    const t = part.trim();
    if (t) seen.add(t);
  }
  return [...seen];
}

/**
 * Like splitMulti, but separators inside brackets do not split: a unit written
 * 各县（市、区） stays one name.
 * splitMultiOutsideBrackets('市教育局、各县（市、区）') → ['市教育局', '各县（市、区）']
 */
export function splitMultiOutsideBrackets(text: string): string[] {
  const seen = new Set<string>();
  let depth = 0;
  let part = '';
  const flush = () => {
    const t = part.trim();
    if (t) seen.add(t);
    part = '';
  };
  for (const ch of text) {
    if (ch === '(' || ch === '（' || ch === '[' || ch === '【' || ch === '〔') depth++;
    else if ((ch === ')' || ch === '）' || ch === ']' || ch === '】' || ch === '〕') && depth > 0) depth--;
    if (depth === 0 && /[、，,;；\n\r]/.test(ch)) flush();
    else part += ch;
  }
  flush();
  return [...seen];
}

export type CoordinateSystem = 'WGS84' | 'GCJ02' | 'BD09';
export const CoordinateSystemLabels: Record<CoordinateSystem, string> = { WGS84: 'WGS-84', GCJ02: 'GCJ-02', BD09: 'BD-09' };

/**
 * The coordinate system named in a cell; empty means WGS-84 (what GPS devices give).
 * parseCrs('高德') → { ok: true, value: 'GCJ02' }
 */
export function parseCrs(text: string): Parsed<CoordinateSystem> {
  const s = toHalfWidth(text).trim().toLowerCase().replace(/[\s_\-–—]/g, '');
  if (s === '' || s === 'wgs84' || s === 'wgs' || s === 'gps' || s === 'epsg4326' || s === 'cgcs2000' || s === '天地图') return ok('WGS84');
  if (s === 'gcj02' || s === 'gcj' || s === '高德' || s === '腾讯' || s === '火星坐标' || s === '国测局') return ok('GCJ02');
  if (s === 'bd09' || s === 'bd09ll' || s === 'bd' || s === '百度') return ok('BD09');
  return fail('坐标系应为 WGS-84、GCJ-02 或 BD-09');
}
