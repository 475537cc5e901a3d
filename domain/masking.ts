/** Masks a mainland mobile number for display: maskPhone('13812345678') === '138****5678'. */
export function maskPhone(phone: string): string {
  if (phone.length < 7) return '*'.repeat(phone.length);
  return phone.slice(0, 3) + '****' + phone.slice(-4);
}

const ID_NUMBER = /(?<![0-9A-Za-z])\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])/g;
/** mobile: optional +86 / 0086 / 86 prefix, digits grouped with spaces or dashes (138 1234 5678, 138-1234-5678) */
const MOBILE = /(?<![\d+])(?:(?:\+|00)?86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8}(?!\d)/g;
/** landline: optional area code 0xx / 0xxx (in brackets or followed by a dash or space), 7–8 digits */
const LANDLINE = /(?<!\d)(?:(?:\(0\d{2,3}\)|0\d{2,3})[\s-]?)?[2-9]\d{2,3}[\s-]?\d{4}(?!\d)/g;

const keepLast = (s: string, n: number) => {
  const digits = s.replace(/\D/g, '');
  return '*'.repeat(Math.max(0, digits.length - n)) + digits.slice(-n);
};

/**
 * Masks the personal numbers people write into free text before it is published (Open311, the
 * public pages): 18-digit ID numbers (110***********123X), mobile numbers in any common form
 * (+86 138 1234 5678 → 138****5678) and landlines with or without area code (****5678).
 */
export function maskPersonalText(text: string): string {
  return text
    .replace(ID_NUMBER, (m) => `${m.slice(0, 3)}${'*'.repeat(11)}${m.slice(-4)}`)
    .replace(MOBILE, (m) => {
      const d = m.replace(/\D/g, '').slice(-11);
      return maskPhone(d);
    })
    .replace(LANDLINE, (m) => keepLast(m, 4));
}
