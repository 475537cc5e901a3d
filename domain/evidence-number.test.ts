import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  circledToInt,
  compareEvidenceNumbers,
  compareIndicatorCodes,
  type EvidenceNumber,
  formatEvidenceNumber,
  formatIndicatorCode,
  formatSequence,
  type IndicatorCode,
  intToRoman,
  naturalCompare,
  nextEvidenceNumber,
  parseEvidenceNumber,
  parseIndicatorCode,
  parseSequence,
  romanToInt,
  toArabicCode,
  toRomanCode,
} from './evidence-number.ts';

describe('Roman numerals', () => {
  it('writes Ⅰ…Ⅻ as single characters and composes larger numbers', () => {
    expect(intToRoman(1)).toBe('Ⅰ');
    expect(intToRoman(2)).toBe('Ⅱ');
    expect(intToRoman(12)).toBe('Ⅻ');
    expect(intToRoman(13)).toBe('ⅩⅢ');
    expect(intToRoman(14, 'ascii')).toBe('XIV');
    expect(intToRoman(14)).toBe('ⅩⅣ');
    expect(intToRoman(30)).toBe('ⅩⅩⅩ');
    expect(() => intToRoman(0)).toThrow();
  });
  it('reads Unicode, ASCII and lower case, canonical only', () => {
    expect(romanToInt('Ⅱ')).toBe(2);
    expect(romanToInt('ⅷ')).toBe(8);
    expect(romanToInt('II')).toBe(2);
    expect(romanToInt('xiv')).toBe(14);
    expect(romanToInt('ⅩⅢ')).toBe(13);
    expect(romanToInt('IIII')).toBeNull();
    expect(romanToInt('IC')).toBeNull();
    expect(romanToInt('')).toBeNull();
    expect(romanToInt('二')).toBeNull();
  });
  it('round-trips 1–3999 in both forms (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3999 }), fc.constantFrom('unicode', 'ascii'), (n, form) => {
        expect(romanToInt(intToRoman(n, form))).toBe(n);
      }),
    );
  });
});

describe('sequences', () => {
  it('writes ①…⑳ circled, then (21)', () => {
    expect(formatSequence(1)).toBe('①');
    expect(formatSequence(20)).toBe('⑳');
    expect(formatSequence(21)).toBe('(21)');
    expect(formatSequence(150)).toBe('(150)');
  });
  it('reads every spelling', () => {
    expect(parseSequence('⑤')).toBe(5);
    expect(parseSequence('㉑')).toBe(21);
    expect(parseSequence('㊿')).toBe(50);
    expect(parseSequence('⑴')).toBe(1);
    expect(parseSequence('(21)')).toBe(21);
    expect(parseSequence('（21）')).toBe(21);
    expect(parseSequence('21')).toBe(21);
    expect(parseSequence('(21')).toBeNull();
    expect(parseSequence('0')).toBeNull();
    expect(circledToInt('a')).toBeNull();
  });
  it('round-trips (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), (n) => {
        expect(parseSequence(formatSequence(n))).toBe(n);
      }),
    );
  });
});

describe('indicator codes', () => {
  it('parses Roman and Arabic items', () => {
    expect(parseIndicatorCode('Ⅱ-1-1')).toEqual({ ok: true, value: { parts: [2, 1, 1], roman: true } });
    expect(parseIndicatorCode('2-1-1')).toEqual({ ok: true, value: { parts: [2, 1, 1], roman: false } });
    expect(parseIndicatorCode('II－1－1')).toEqual({ ok: true, value: { parts: [2, 1, 1], roman: true } });
    expect(parseIndicatorCode('Ⅱ.1.3）')).toEqual({ ok: true, value: { parts: [2, 1, 3], roman: true } });
    expect(parseIndicatorCode('Ⅻ')).toEqual({ ok: true, value: { parts: [12], roman: true } });
    expect(parseIndicatorCode('Ⅱ-0-1').ok).toBe(false);
    expect(parseIndicatorCode('Ⅱ-a-1')).toEqual({ ok: false, error: '指标编号「Ⅱ-a-1」格式不正确，应为 Ⅱ-1-1 或 2-1-1' });
    expect(parseIndicatorCode('').ok).toBe(false);
  });
  it('converts between Roman and Arabic', () => {
    expect(toArabicCode('Ⅱ-1-1')).toEqual({ ok: true, value: '2-1-1' });
    expect(toRomanCode('2-1-1')).toEqual({ ok: true, value: 'Ⅱ-1-1' });
    expect(toRomanCode('13-2')).toEqual({ ok: true, value: 'ⅩⅢ-2' });
    expect(toRomanCode('x')).toEqual({ ok: true, value: 'Ⅹ' });
    expect(toRomanCode('abc').ok).toBe(false);
  });
  it('sorts naturally', () => {
    expect(['Ⅲ-1', 'Ⅱ-1-10', '2-1-2', 'Ⅱ-1', '其他', 'Ⅰ-3'].sort(compareIndicatorCodes)).toEqual(['Ⅰ-3', 'Ⅱ-1', '2-1-2', 'Ⅱ-1-10', 'Ⅲ-1', '其他']);
  });
});

const code: fc.Arbitrary<IndicatorCode> = fc.record({ parts: fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 4 }), roman: fc.boolean() });
const evidence: fc.Arbitrary<EvidenceNumber> = fc.record({ indicator: code, seq: fc.integer({ min: 1, max: 200 }) });

describe('evidence numbers', () => {
  it('parses the city spelling and its variants', () => {
    const v = { ok: true, value: { indicator: { parts: [2, 1, 1], roman: true }, seq: 1 } };
    expect(parseEvidenceNumber('Ⅱ-1-1)-①')).toEqual(v);
    expect(parseEvidenceNumber('Ⅱ-1-1）-①')).toEqual(v);
    expect(parseEvidenceNumber('Ⅱ-1-1)①')).toEqual(v);
    expect(parseEvidenceNumber('Ⅱ-1-1-①')).toEqual(v);
    expect(parseEvidenceNumber('II-1-1)-1')).toEqual(v);
    expect(parseEvidenceNumber('2-1-1)-(21)')).toEqual({ ok: true, value: { indicator: { parts: [2, 1, 1], roman: false }, seq: 21 } });
    expect(parseEvidenceNumber('2-1-1)-㉑')).toEqual({ ok: true, value: { indicator: { parts: [2, 1, 1], roman: false }, seq: 21 } });
    expect(parseEvidenceNumber('Ⅱ-1-1-1')).toEqual({ ok: false, error: '材料编号「Ⅱ-1-1-1」格式不正确，应为 Ⅱ-1-1)-① 这样的形式' });
    expect(parseEvidenceNumber('①').ok).toBe(false);
  });
  it('formats and converts style', () => {
    const n: EvidenceNumber = { indicator: { parts: [2, 1, 1], roman: true }, seq: 1 };
    expect(formatEvidenceNumber(n)).toBe('Ⅱ-1-1)-①');
    expect(formatEvidenceNumber(n, 'arabic')).toBe('2-1-1)-①');
    expect(formatEvidenceNumber({ ...n, seq: 21 })).toBe('Ⅱ-1-1)-(21)');
    expect(formatIndicatorCode(n.indicator, 'arabic')).toBe('2-1-1');
  });
  it('sorts by indicator then sequence', () => {
    expect(['Ⅱ-1-1)-⑩', 'Ⅱ-1-1)-(21)', 'Ⅱ-1-2)-①', 'Ⅱ-1-1)-②', '乱写', 'Ⅰ-5-1)-③'].sort(compareEvidenceNumbers)).toEqual(['Ⅰ-5-1)-③', 'Ⅱ-1-1)-②', 'Ⅱ-1-1)-⑩', 'Ⅱ-1-1)-(21)', 'Ⅱ-1-2)-①', '乱写']);
  });
  it('gives the next number under an indicator', () => {
    expect(nextEvidenceNumber('Ⅱ-1-1', ['Ⅱ-1-1)-①', '2-1-1)-③', 'Ⅱ-1-2)-⑤'])).toEqual({ ok: true, value: 'Ⅱ-1-1)-④' });
    expect(nextEvidenceNumber('2-1-1', [])).toEqual({ ok: true, value: '2-1-1)-①' });
    expect(nextEvidenceNumber('??', []).ok).toBe(false);
  });
  it('format then parse is the identity (property)', () => {
    fc.assert(
      fc.property(evidence, (n) => {
        expect(parseEvidenceNumber(formatEvidenceNumber(n))).toEqual({ ok: true, value: n });
      }),
    );
  });
  it('Roman ↔ Arabic conversion round-trips (property)', () => {
    fc.assert(
      fc.property(code, (c) => {
        const arabic = formatIndicatorCode(c, 'arabic');
        const roman = formatIndicatorCode(c, 'roman');
        expect(toRomanCode(arabic)).toEqual({ ok: true, value: roman });
        expect(toArabicCode(roman)).toEqual({ ok: true, value: arabic });
      }),
    );
  });
  it('the order agrees with the numbers (property)', () => {
    fc.assert(
      fc.property(evidence, evidence, (a, b) => {
        const byNumbers = (() => {
          const pa = [...a.indicator.parts];
          const pb = [...b.indicator.parts];
          for (let i = 0; i < Math.min(pa.length, pb.length); i++) if (pa[i] !== pb[i]) return Math.sign(pa[i] - pb[i]);
          return Math.sign(pa.length - pb.length) || Math.sign(a.seq - b.seq);
        })();
        const sa = formatEvidenceNumber(a);
        const sb = formatEvidenceNumber(b);
        if (byNumbers !== 0) expect(Math.sign(compareEvidenceNumbers(sa, sb))).toBe(byNumbers);
        expect(Math.sign(compareEvidenceNumbers(sa, sb))).toBe(-Math.sign(compareEvidenceNumbers(sb, sa)));
      }),
    );
  });
  it('never throws on any text (property)', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        parseEvidenceNumber(s);
        parseIndicatorCode(s);
        parseSequence(s);
        compareEvidenceNumbers(s, 'Ⅱ-1-1)-①');
      }),
    );
  });
});

describe('naturalCompare', () => {
  it('compares digit runs as numbers', () => {
    expect(naturalCompare('a2', 'a10')).toBeLessThan(0);
    expect(naturalCompare('a10', 'a2')).toBeGreaterThan(0);
    expect(naturalCompare('b', 'a')).toBeGreaterThan(0);
    expect(naturalCompare('a', 'a')).toBe(0);
  });
});
