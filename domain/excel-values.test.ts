import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBool, parseCoordinate, parseCount, parseCrs, parseNumber, splitMulti, splitMultiOutsideBrackets, toHalfWidth } from './excel-values.ts';

const value = <T>(r: { ok: true; value: T } | { ok: false; error: string }): T => {
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

describe('parseBool', () => {
  it('reads 是/否 and friends', () => {
    expect(value(parseBool('是'))).toBe(true);
    expect(value(parseBool(' 否 '))).toBe(false);
    expect(value(parseBool('Y'))).toBe(true);
    expect(value(parseBool('√'))).toBe(true);
    expect(value(parseBool(''))).toBeNull();
    expect(parseBool('也许')).toEqual({ ok: false, error: '请填写“是”或“否”' });
  });
});

describe('parseNumber / parseCount', () => {
  it('reads separators and full-width digits', () => {
    expect(value(parseNumber('1,234.5'))).toBe(1234.5);
    expect(value(parseNumber('１２３４'))).toBe(1234);
    expect(value(parseNumber(''))).toBeNull();
    expect(parseNumber('三百').ok).toBe(false);
    expect(parseNumber('300人').ok).toBe(false);
  });
  it('counts are whole and not negative', () => {
    expect(value(parseCount('420'))).toBe(420);
    expect(parseCount('4.5')).toEqual({ ok: false, error: '必须是整数' });
    expect(parseCount('-1')).toEqual({ ok: false, error: '不能为负数' });
  });
  it('any finite number written by String() reads back (property)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        expect(value(parseNumber(String(n)))).toBe(n === 0 ? 0 : n);
      }),
    );
  });
});

describe('parseCoordinate', () => {
  it('reads decimal degrees', () => {
    expect(value(parseCoordinate('113.6654', 'lng'))).toBe(113.6654);
    expect(value(parseCoordinate('E113.6654°', 'lng'))).toBe(113.6654);
    expect(value(parseCoordinate('东经113.5', 'lng'))).toBe(113.5);
    expect(value(parseCoordinate('', 'lat'))).toBeNull();
  });
  it('reads 度分秒 in its spellings', () => {
    expect(value(parseCoordinate('113°39\'55.4"E', 'lng'))).toBeCloseTo(113 + 39 / 60 + 55.4 / 3600, 9);
    expect(value(parseCoordinate('34°45′28.4″N', 'lat'))).toBeCloseTo(34 + 45 / 60 + 28.4 / 3600, 9);
    expect(value(parseCoordinate('113度39分55.4秒', 'lng'))).toBeCloseTo(113.665389, 5);
    expect(value(parseCoordinate('N 34° 45.5\'', 'lat'))).toBeCloseTo(34.758333, 5);
    expect(value(parseCoordinate('73°W', 'lng'))).toBe(-73);
  });
  it('refuses the wrong hemisphere letter, minutes ≥ 60 and text', () => {
    expect(parseCoordinate('34.7N', 'lng').ok).toBe(false);
    expect(parseCoordinate('113°61\'', 'lng')).toEqual({ ok: false, error: '经度的分、秒必须小于 60' });
    expect(parseCoordinate('东边', 'lng').ok).toBe(false);
  });
  it('度分秒 written from a value reads back to it (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 179 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 599 }), fc.constantFrom('E', 'W'), fc.constantFrom('ascii', 'cn', 'prime'), (d, m, ds, h, style) => {
        const sec = ds / 10;
        const text = style === 'ascii' ? `${d}°${m}'${sec}"${h}` : style === 'cn' ? `${h === 'E' ? '东经' : '西经'}${d}度${m}分${sec}秒` : `${d}°${m}′${sec}″${h}`;
        const expected = (h === 'W' ? -1 : 1) * (d + m / 60 + sec / 3600);
        expect(value(parseCoordinate(text, 'lng'))).toBeCloseTo(expected, 9);
      }),
    );
  });
});

describe('splitMulti', () => {
  it('splits on the usual separators', () => {
    expect(splitMulti('市交通运输局、新华街道；市交通运输局')).toEqual(['市交通运输局', '新华街道']);
    expect(splitMulti('a,b，c;d\ne\r\nf')).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(splitMulti('  ')).toEqual([]);
  });
  it('any names joined by any separators split back (property)', () => {
    const name = fc.string({ minLength: 1, maxLength: 8 }).filter((s) => s.trim() === s && s !== '' && !/[、，,;；\n\r]/.test(s));
    fc.assert(
      fc.property(fc.uniqueArray(name, { minLength: 1, maxLength: 6 }), fc.array(fc.constantFrom('、', '，', ',', ';', '；', '\n', ' 、 ', '\r\n'), { minLength: 6, maxLength: 6 }), (names, seps) => {
        const text = names.map((n, i) => (i === 0 ? n : seps[i - 1] + n)).join('');
        expect(splitMulti(text)).toEqual(names);
      }),
    );
  });
});

describe('splitMultiOutsideBrackets', () => {
  it('keeps separators inside brackets', () => {
    expect(splitMultiOutsideBrackets('市教育局、各县（市、区）；各街道(乡镇,社区)')).toEqual(['市教育局', '各县（市、区）', '各街道(乡镇,社区)']);
    expect(splitMultiOutsideBrackets('a）、b')).toEqual(['a）', 'b']);
  });
  it('equals splitMulti on text without brackets (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }).map((s) => s.replace(/[()（）[\]【】〔〕]/g, '')), (s) => {
        expect(splitMultiOutsideBrackets(s)).toEqual(splitMulti(s));
      }),
    );
  });
});

describe('parseCrs / toHalfWidth', () => {
  it('names coordinate systems', () => {
    expect(value(parseCrs(''))).toBe('WGS84');
    expect(value(parseCrs('GCJ-02'))).toBe('GCJ02');
    expect(value(parseCrs('百度'))).toBe('BD09');
    expect(value(parseCrs('bd09'))).toBe('BD09');
    expect(parseCrs('北京54').ok).toBe(false);
  });
  it('turns full-width into half-width', () => {
    expect(toHalfWidth('ＤＷ００１，')).toBe('DW001,');
  });
});
