/**
 * The city's numbering of indicators and evidence (PRODUCT.md §3.2): an indicator code names
 * 测评项目-测评内容-测评标准, the item in Roman or Arabic numerals (`Ⅱ-1-1` or `2-1-1`); an evidence
 * number adds the standard's closing parenthesis and a circled sequence, `Ⅱ-1-1)-①`.
 *
 * Sequences: ①…⑳ are written circled; from 21 on we write `(21)`, `(22)` … rather than the
 * circled ㉑…㊿, because those are outside GBK and the archive for the national online review is
 * unpacked on Windows machines that name files in GBK. Parsing accepts every spelling: ①, ㉑, ⑴,
 * (21), （21）, and a plain number after `)-`. Pure.
 */

import type { Parsed } from './excel-values.ts';

export type IndicatorCode = {
  /** the numbers of 测评项目, 测评内容, 测评标准 (1–4 levels): Ⅱ-1-1 → [2, 1, 1] */
  parts: number[];
  /** whether the item number was written in Roman numerals */
  roman: boolean;
};

export type EvidenceNumber = { indicator: IndicatorCode; seq: number };

export type NumeralStyle = 'roman' | 'arabic';

const ROMAN_TABLE: [number, string][] = [
  [1000, 'M'],
  [900, 'CM'],
  [500, 'D'],
  [400, 'CD'],
  [100, 'C'],
  [90, 'XC'],
  [50, 'L'],
  [40, 'XL'],
  [10, 'X'],
  [9, 'IX'],
  [5, 'V'],
  [4, 'IV'],
  [1, 'I'],
];

const ASCII_TO_UNICODE: Record<string, string> = { I: 'Ⅰ', V: 'Ⅴ', X: 'Ⅹ', L: 'Ⅼ', C: 'Ⅽ', D: 'Ⅾ', M: 'Ⅿ' };

/**
 * Roman numerals as the city writes them: Ⅰ…Ⅻ as single characters, larger numbers composed
 * with the units digit as one character (ⅩⅢ, ⅩⅩⅣ). intToRoman(2) → 'Ⅱ'; intToRoman(2, 'ascii') → 'II'. Throws on numbers outside 1–3999.
 */
export function intToRoman(n: number, form: 'unicode' | 'ascii' = 'unicode'): string {
  if (!Number.isInteger(n) || n < 1 || n > 3999) throw new RangeError(`${n} cannot be written in Roman numerals`);
  const single = (k: number) => String.fromCharCode(0x2160 + k - 1);
  if (form === 'unicode' && n <= 12) return single(n);
  // ⅩⅢ: the units digit as one character, as fonts draw Ⅰ…Ⅸ
  if (form === 'unicode') {
    const tens = [...intToRoman(n - (n % 10), 'ascii')].map((c) => ASCII_TO_UNICODE[c]).join('');
    return tens + (n % 10 ? single(n % 10) : '');
  }
  let rest = n;
  let s = '';
  for (const [v, r] of ROMAN_TABLE) {
    while (rest >= v) {
      s += r;
      rest -= v;
    }
  }
  return s;
}

/**
 * A Roman numeral in Unicode (Ⅱ, ⅱ, ⅩⅢ) or ASCII (II, iv) letters; only the canonical spelling
 * (IIII is refused). romanToInt('Ⅻ') → 12; romanToInt('IIII') → null
 */
export function romanToInt(text: string): number | null {
  const s = text.normalize('NFKC').trim().toUpperCase();
  if (!/^[MDCLXVI]{1,15}$/.test(s)) return null;
  let n = 0;
  let i = 0;
  for (const [v, r] of ROMAN_TABLE) {
    while (s.startsWith(r, i)) {
      n += v;
      i += r.length;
    }
  }
  return i === s.length && n >= 1 && n <= 3999 && intToRoman(n, 'ascii') === s ? n : null;
}

const CIRCLED: [number, number, number][] = [
  // [first code point, last code point, number of the first]
  [0x2460, 0x2473, 1], // ①…⑳
  [0x3251, 0x325f, 21], // ㉑…㉟
  [0x32b1, 0x32bf, 36], // ㊱…㊿
  [0x2474, 0x2487, 1], // ⑴…⒇
  [0x2776, 0x277f, 1], // ❶…❿
];

/** The number of a circled (or parenthesised) numeral character; null for other text. circledToInt('⑤') → 5 */
export function circledToInt(ch: string): number | null {
  if ([...ch].length !== 1) return null;
  const cp = ch.codePointAt(0) ?? 0;
  for (const [first, last, base] of CIRCLED) if (cp >= first && cp <= last) return base + cp - first;
  return null;
}

/**
 * An evidence sequence as written in numbers: ①…⑳ circled, then (21), (22) … (see the file comment).
 * formatSequence(3) → '③'; formatSequence(21) → '(21)'
 */
export function formatSequence(n: number): string {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`sequence ${n} must be a whole number ≥ 1`);
  return n <= 20 ? String.fromCharCode(0x2460 + n - 1) : `(${n})`;
}

/** A sequence in any of its spellings: ①, ㉑, ⑴, (21), （21）, 21. parseSequence('(21)') → 21 */
export function parseSequence(text: string): number | null {
  const s = text.trim();
  const circled = circledToInt(s);
  if (circled !== null) return circled;
  const m = /^(?:\(\s*(\d{1,4})\s*\)|(\d{1,4}))$/.exec(s.normalize('NFKC'));
  if (!m) return null;
  const n = Number(m[1] ?? m[2]);
  return n >= 1 ? n : null;
}

const SEP = /\s*[-－—–‐.．·、]\s*/;

/**
 * An indicator code: the item in Roman or Arabic numerals, then content and standard numbers,
 * separated by - (or . or full-width dashes); a closing parenthesis after the last part is allowed.
 * parseIndicatorCode('Ⅱ-1-1') → { ok: true, value: { parts: [2, 1, 1], roman: true } }
 */
export function parseIndicatorCode(text: string): Parsed<IndicatorCode> {
  const shown = text.trim();
  const s = shown.replace(/\s*[)）]$/, '');
  const segs = s.split(SEP);
  const bad: Parsed<IndicatorCode> = { ok: false, error: `指标编号「${shown}」格式不正确，应为 Ⅱ-1-1 或 2-1-1` };
  if (s === '' || segs.length > 4) return bad;
  const first = segs[0].normalize('NFKC');
  let roman = false;
  let item: number | null;
  if (/^\d{1,3}$/.test(first)) item = Number(first);
  else {
    item = romanToInt(segs[0]);
    roman = true;
  }
  if (item === null || item < 1) return bad;
  const parts = [item];
  for (const seg of segs.slice(1)) {
    const t = seg.normalize('NFKC');
    if (!/^\d{1,3}$/.test(t) || Number(t) < 1) return bad;
    parts.push(Number(t));
  }
  return { ok: true, value: { parts, roman } };
}

/**
 * An indicator code in the given style (default: as it was written).
 * formatIndicatorCode({ parts: [2, 1, 1], roman: true }) → 'Ⅱ-1-1'; with 'arabic' → '2-1-1'
 */
export function formatIndicatorCode(code: IndicatorCode, style: NumeralStyle = code.roman ? 'roman' : 'arabic'): string {
  const [item, ...rest] = code.parts;
  return [style === 'roman' ? intToRoman(item) : String(item), ...rest.map(String)].join('-');
}

/** An indicator code with an Arabic item number. toArabicCode('Ⅱ-1-1') → { ok: true, value: '2-1-1' } */
export function toArabicCode(text: string): Parsed<string> {
  const r = parseIndicatorCode(text);
  return r.ok ? { ok: true, value: formatIndicatorCode(r.value, 'arabic') } : r;
}

/** An indicator code with a Roman item number. toRomanCode('2-1-1') → { ok: true, value: 'Ⅱ-1-1' } */
export function toRomanCode(text: string): Parsed<string> {
  const r = parseIndicatorCode(text);
  return r.ok ? { ok: true, value: formatIndicatorCode(r.value, 'roman') } : r;
}

/**
 * An evidence number: an indicator code, `)` (optional), `-` (optional before a circled number),
 * and the sequence. parseEvidenceNumber('Ⅱ-1-1)-①') → { ok: true, value: { indicator: { parts: [2, 1, 1], roman: true }, seq: 1 } }
 */
export function parseEvidenceNumber(text: string): Parsed<EvidenceNumber> {
  const shown = text.trim();
  const bad: Parsed<EvidenceNumber> = { ok: false, error: `材料编号「${shown}」格式不正确，应为 Ⅱ-1-1)-① 这样的形式` };
  // the sequence is the last token: a circled numeral, (21), or a number after ")-"
  const chars = [...shown];
  const last = chars.at(-1) ?? '';
  let codeText: string;
  let seq: number | null;
  const paren = /^(.*?)\s*[-－—–]?\s*([(（]\s*\d{1,4}\s*[)）])$/.exec(shown);
  if (circledToInt(last) !== null) {
    seq = circledToInt(last);
    codeText = chars.slice(0, -1).join('').replace(/\s*[-－—–]?\s*$/, '');
  } else if (paren) {
    seq = parseSequence(paren[2]);
    codeText = paren[1];
  } else {
    const m = /^(.*[)）])\s*[-－—–]\s*(\d{1,4})$/.exec(shown);
    if (!m) return bad;
    seq = Number(m[2]);
    codeText = m[1];
  }
  if (seq === null || seq < 1) return bad;
  const code = parseIndicatorCode(codeText);
  if (!code.ok) return bad;
  return { ok: true, value: { indicator: code.value, seq } };
}

/**
 * The city's spelling of an evidence number (style default: as the indicator was written).
 * formatEvidenceNumber({ indicator: { parts: [2, 1, 1], roman: true }, seq: 1 }) → 'Ⅱ-1-1)-①'
 */
export function formatEvidenceNumber(n: EvidenceNumber, style?: NumeralStyle): string {
  return `${formatIndicatorCode(n.indicator, style)})-${formatSequence(n.seq)}`;
}

const comparePartLists = (a: readonly number[], b: readonly number[]): number => {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
};

/** Text order with digit runs compared as numbers ('a2' before 'a10'), by code point otherwise. naturalCompare('a2', 'a10') < 0 */
export function naturalCompare(a: string, b: string): number {
  const ta = a.match(/\d+|\D+/g) ?? [];
  const tb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(ta.length, tb.length); i++) {
    const x = ta[i];
    const y = tb[i];
    if (x === y) continue;
    const dx = /^\d/.test(x);
    const dy = /^\d/.test(y);
    if (dx && dy) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d;
      return x.length - y.length;
    }
    return x < y ? -1 : 1;
  }
  return ta.length - tb.length;
}

/**
 * Orders indicator codes by their numbers (Ⅱ-1-2 before Ⅱ-1-10 before Ⅲ-1, 2-1-1 equal to Ⅱ-1-1);
 * codes that do not parse go last, in natural order. ['Ⅲ-1', 'Ⅱ-1-10', 'Ⅱ-1-2'].sort(compareIndicatorCodes) → ['Ⅱ-1-2', 'Ⅱ-1-10', 'Ⅲ-1']
 */
export function compareIndicatorCodes(a: string, b: string): number {
  const pa = parseIndicatorCode(a);
  const pb = parseIndicatorCode(b);
  if (pa.ok && pb.ok) return comparePartLists(pa.value.parts, pb.value.parts) || naturalCompare(a, b);
  if (pa.ok !== pb.ok) return pa.ok ? -1 : 1;
  return naturalCompare(a, b);
}

/**
 * Orders evidence numbers by indicator, then sequence (② before ⑩ before (21)); numbers that do
 * not parse go last, in natural order. compareEvidenceNumbers('Ⅱ-1-1)-②', 'Ⅱ-1-1)-⑩') < 0
 */
export function compareEvidenceNumbers(a: string, b: string): number {
  const pa = parseEvidenceNumber(a);
  const pb = parseEvidenceNumber(b);
  if (pa.ok && pb.ok) return comparePartLists(pa.value.indicator.parts, pb.value.indicator.parts) || pa.value.seq - pb.value.seq || naturalCompare(a, b);
  if (pa.ok !== pb.ok) return pa.ok ? -1 : 1;
  return naturalCompare(a, b);
}

/**
 * The next evidence number of an indicator, after the highest sequence already used under it.
 * nextEvidenceNumber('Ⅱ-1-1', ['Ⅱ-1-1)-①', 'Ⅱ-1-1)-③', 'Ⅱ-1-2)-⑤']) → 'Ⅱ-1-1)-④'
 */
export function nextEvidenceNumber(indicator: string, existing: readonly string[]): Parsed<string> {
  const code = parseIndicatorCode(indicator);
  if (!code.ok) return code;
  let max = 0;
  for (const e of existing) {
    const p = parseEvidenceNumber(e);
    if (p.ok && comparePartLists(p.value.indicator.parts, code.value.parts) === 0) max = Math.max(max, p.value.seq);
  }
  return { ok: true, value: formatEvidenceNumber({ indicator: code.value, seq: max + 1 }) };
}
