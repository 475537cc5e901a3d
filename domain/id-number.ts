/**
 * 证件号码 checks for volunteer registration (《志愿服务记录与证明出具办法》 Art 5: 身份证件号码).
 *
 * 居民身份证 and 港澳台居民居住证 follow GB 11643-1999: 6 address digits, 8 birth-date digits
 * (YYYYMMDD), 3 sequence digits (odd = 男, even = 女), 1 check character over ISO 7064 MOD 11-2.
 * The other documents carry no birth date or gender: the volunteer states them.
 */

export const ID_TYPES = ['resident_id', 'residence_permit', 'hk_macau_pass', 'taiwan_pass', 'passport', 'foreign_permanent'] as const;
export type IdType = (typeof ID_TYPES)[number];

export const ID_TYPE_LABELS: Record<IdType, string> = {
  resident_id: '居民身份证',
  residence_permit: '港澳台居民居住证',
  hk_macau_pass: '港澳居民来往内地通行证',
  taiwan_pass: '台湾居民来往大陆通行证',
  passport: '护照',
  foreign_permanent: '外国人永久居留身份证',
};

export type Gender = 'male' | 'female';
export const GENDER_LABELS: Record<Gender, string> = { male: '男', female: '女' };

export type IdCheck = { ok: true; normalized: string; birthDate: string | null; gender: Gender | null } | { ok: false; message: string };

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/** The GB 11643 check character of the first 17 digits: gb11643CheckChar('11010519491231002') → 'X'. */
export function gb11643CheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

/** A real calendar date, not in the future, not before 1900: isRealDate('20230229') → false. */
export function isRealBirthDate(yyyymmdd: string, today: string): boolean {
  if (!/^\d{8}$/.test(yyyymmdd)) return false;
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  if (y < 1900 || m < 1 || m > 12 || d < 1) return false;
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return false;
  return `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}` <= today;
}

/**
 * Checks an 18-character GB 11643 number: checkGb11643('11010519491231002X', '2026-12-03')
 * → { ok: true, birthDate: '1949-12-31', gender: 'female', … }.
 */
export function checkGb11643(raw: string, today: string): IdCheck {
  const n = raw.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(n)) return { ok: false, message: '证件号码应为 18 位，前 17 位为数字，最后一位为数字或 X' };
  if (!isRealBirthDate(n.slice(6, 14), today)) return { ok: false, message: '证件号码中的出生日期不存在' };
  if (gb11643CheckChar(n.slice(0, 17)) !== n[17]) return { ok: false, message: '证件号码校验位不正确，请核对' };
  const birthDate = `${n.slice(6, 10)}-${n.slice(10, 12)}-${n.slice(12, 14)}`;
  return { ok: true, normalized: n, birthDate, gender: Number(n[16]) % 2 === 1 ? 'male' : 'female' };
}

const OTHER_FORMATS: Record<Exclude<IdType, 'resident_id' | 'residence_permit'>, { re: RegExp; hint: string }> = {
  hk_macau_pass: { re: /^[HM]\d{8}(\d{2})?$/, hint: '港澳居民来往内地通行证号码应为 H 或 M 开头加 8 位或 10 位数字' },
  taiwan_pass: { re: /^\d{8}$/, hint: '台湾居民来往大陆通行证号码应为 8 位数字' },
  passport: { re: /^[A-Z0-9]{5,17}$/, hint: '护照号码应为 5–17 位字母或数字' },
  foreign_permanent: { re: /^([A-Z]{3}\d{12}|9\d{16}[\dX])$/, hint: '外国人永久居留身份证号码应为 15 位（3 个字母加 12 位数字）或 9 开头的 18 位' },
};

/**
 * Checks a number of the given document type; GB 11643 types also yield birth date and gender:
 * checkIdNumber('passport', 'e1234567', '2026-12-03') → { ok: true, normalized: 'E1234567', birthDate: null, gender: null }.
 */
export function checkIdNumber(type: IdType, raw: string, today: string): IdCheck {
  const n = raw.replace(/\s+/g, '').toUpperCase();
  if (!n) return { ok: false, message: '请填写证件号码' };
  if (type === 'resident_id') return checkGb11643(n, today);
  if (type === 'residence_permit') {
    if (!/^8[123]0000/.test(n)) return { ok: false, message: '港澳台居民居住证号码应以 810000、820000 或 830000 开头' };
    return checkGb11643(n, today);
  }
  const f = OTHER_FORMATS[type];
  if (!f.re.test(n)) return { ok: false, message: f.hint };
  // A new-style 外国人永久居留身份证 (since 2023) carries the GB 11643 check character too.
  if (type === 'foreign_permanent' && n.length === 18 && gb11643CheckChar(n.slice(0, 17)) !== n[17]) {
    return { ok: false, message: '证件号码校验位不正确，请核对' };
  }
  return { ok: true, normalized: n, birthDate: null, gender: null };
}

/** The number as shown on screens and certificates: maskIdNumber('11010519491231002X') → '110105********002X'. */
export function maskIdNumber(n: string): string {
  if (n.length >= 15) return n.slice(0, 6) + '*'.repeat(n.length - 10) + n.slice(-4);
  if (n.length > 4) return n.slice(0, 1) + '*'.repeat(n.length - 3) + n.slice(-2);
  return '*'.repeat(n.length);
}

/** Whole years of age on a date: ageOn('2008-12-04', '2026-12-03') → 17. */
export function ageOn(birthDate: string, date: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [y, m, d] = date.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}
