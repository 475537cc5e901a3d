import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Deadline, daysInMonth, excelSerialToIso, formatDeadline, isoDate, isOverdue, isoToExcelSerial, parseDeadline, todayInShanghai } from './deadline-parse.ts';

const opts = { year: 2026 };
const parsed = (text: string, year = 2026): Deadline | null => {
  const r = parseDeadline(text, { year });
  if (!r.ok) throw new Error(r.error);
  return r.value;
};
const day = (date: string): Deadline => ({ kind: 'date', date, precision: 'day' });

describe('parseDeadline: exact dates', () => {
  it('reads the usual spellings', () => {
    for (const t of ['2026-06-30', '2026/6/30', '2026.6.30', '2026年6月30日', '2026年06月30日', '2026 年 6 月 30 日', '２０２６－０６－３０', '2026-06-30 00:00:00', '20260630', '2026年6月30日前', '2026年6月30日之前完成', '2026年6月30号', '46203', '2026年六月三十日']) {
      expect(parsed(t), t).toEqual(day('2026-06-30'));
    }
  });
  it('uses the reference year when the text has none', () => {
    expect(parsed('6月30日', 2027)).toEqual(day('2027-06-30'));
    expect(parsed('明年3月1日')).toEqual(day('2027-03-01'));
  });
  it('refuses days that do not exist', () => {
    expect(parseDeadline('2026-02-29', opts)).toEqual({ ok: false, error: '完成时限「2026-02-29」的日期 2026年2月29日 不存在' });
    expect(parsed('2028-02-29')).toEqual(day('2028-02-29'));
    expect(parseDeadline('2026-13-01', opts).ok).toBe(false);
    expect(parseDeadline('0226-06-30', opts)).toEqual({ ok: false, error: '完成时限「0226-06-30」的年份 226 不在 1990—2100 之间' });
  });
  it('reads Excel serial numbers only in a plausible range', () => {
    expect(parsed('45658')).toEqual(day('2025-01-01'));
    expect(parseDeadline('12345', opts).ok).toBe(false);
    expect(parseDeadline('6', opts).ok).toBe(false);
  });
});

describe('parseDeadline: periods', () => {
  const end = (date: string, precision: 'month' | 'quarter' | 'half' | 'year'): Deadline => ({ kind: 'date', date, precision });
  it('month ends', () => {
    expect(parsed('6月底')).toEqual(end('2026-06-30', 'month'));
    expect(parsed('6月')).toEqual(end('2026-06-30', 'month'));
    expect(parsed('六月底前')).toEqual(end('2026-06-30', 'month'));
    expect(parsed('2月底', 2028)).toEqual(end('2028-02-29', 'month'));
    expect(parsed('2026年11月份')).toEqual(end('2026-11-30', 'month'));
    expect(parsed('十二月末')).toEqual(end('2026-12-31', 'month'));
    expect(parsed('2026-09')).toEqual(end('2026-09-30', 'month'));
    expect(parsed('6月上旬')).toEqual(day('2026-06-10'));
    expect(parsed('6月中旬')).toEqual(day('2026-06-20'));
    expect(parsed('6月下旬')).toEqual(end('2026-06-30', 'month'));
    expect(parseDeadline('13月底', opts)).toEqual({ ok: false, error: '完成时限「13月底」的月份 13 不存在' });
  });
  it('halves, quarters and the year', () => {
    expect(parsed('上半年')).toEqual(end('2026-06-30', 'half'));
    expect(parsed('2026年下半年')).toEqual(end('2026-12-31', 'half'));
    expect(parsed('年底')).toEqual(end('2026-12-31', 'year'));
    expect(parsed('年底前完成')).toEqual(end('2026-12-31', 'year'));
    expect(parsed('2027年底')).toEqual(end('2027-12-31', 'year'));
    expect(parsed('2026年')).toEqual(end('2026-12-31', 'year'));
    expect(parsed('年内')).toEqual(end('2026-12-31', 'year'));
    expect(parsed('第三季度')).toEqual(end('2026-09-30', 'quarter'));
    expect(parsed('三季度末')).toEqual(end('2026-09-30', 'quarter'));
    expect(parsed('一季度')).toEqual(end('2026-03-31', 'quarter'));
    expect(parsed('第4季度')).toEqual(end('2026-12-31', 'quarter'));
    expect(parsed('Q2')).toEqual(end('2026-06-30', 'quarter'));
  });
  it('ranges give their end', () => {
    expect(parsed('2026年3月至6月')).toEqual(end('2026-06-30', 'month'));
    expect(parsed('2026-03-01至2026-06-30')).toEqual(day('2026-06-30'));
    expect(parsed('2027年3月~6月底')).toEqual(end('2027-06-30', 'month'));
    expect(parsed('2026年3月-6月')).toEqual(end('2026-06-30', 'month'));
    expect(parsed('3月1日－9月30日')).toEqual(day('2026-09-30'));
    expect(parseDeadline('6月至3月', opts)).toEqual({ ok: false, error: '完成时限「6月至3月」的结束日期早于开始日期' });
  });
});

describe('parseDeadline: standing and recurring tasks', () => {
  it('standing tasks are ongoing', () => {
    for (const t of ['长期坚持', '常态化', '持续推进', '长期', ' 常态化开展 ', '常年', '全年']) expect(parsed(t), t).toEqual({ kind: 'ongoing' });
  });
  it('recurring tasks', () => {
    expect(parsed('每月')).toEqual({ kind: 'recurring', every: 'month' });
    expect(parsed('每季度')).toEqual({ kind: 'recurring', every: 'quarter' });
    expect(parsed('每季')).toEqual({ kind: 'recurring', every: 'quarter' });
    expect(parsed('每半年')).toEqual({ kind: 'recurring', every: 'half-year' });
    expect(parsed('每年')).toEqual({ kind: 'recurring', every: 'year' });
    expect(parsed('每周')).toEqual({ kind: 'recurring', every: 'week' });
    expect(parsed('按月报送')).toEqual({ kind: 'recurring', every: 'month' });
    expect(parsed('每月5日前')).toEqual({ kind: 'recurring', every: 'month', day: 5 });
    expect(parsed('每月底前')).toEqual({ kind: 'recurring', every: 'month' });
  });
  it('empty is null, anything else an error naming the text', () => {
    expect(parsed('  ')).toBeNull();
    expect(parseDeadline('尽快', opts)).toEqual({ ok: false, error: '完成时限「尽快」无法识别，请写成 2026-06-30、2026年6月30日、6月底、上半年、长期坚持或每月' });
    expect(parseDeadline('前', opts).ok).toBe(false);
    expect(parseDeadline('每月40日', opts).ok).toBe(false);
  });
});

describe('helpers', () => {
  it('Excel serials', () => {
    expect(excelSerialToIso(46203)).toBe('2026-06-30');
    expect(isoToExcelSerial('2026-06-30')).toBe(46203);
    expect(excelSerialToIso(61)).toBe('1900-03-01');
  });
  it('today and overdue in Asia/Shanghai', () => {
    expect(todayInShanghai(new Date('2026-06-30T15:59:59Z'))).toBe('2026-06-30');
    expect(todayInShanghai(new Date('2026-06-30T16:00:00Z'))).toBe('2026-07-01');
    expect(isOverdue(day('2026-06-30'), '2026-06-30')).toBe(false);
    expect(isOverdue(day('2026-06-30'), '2026-07-01')).toBe(true);
    expect(isOverdue({ kind: 'ongoing' }, '2099-01-01')).toBe(false);
    expect(isOverdue(null, '2099-01-01')).toBe(false);
  });
});

const validDate = fc.integer({ min: 1990, max: 2100 }).chain((y) => fc.integer({ min: 1, max: 12 }).chain((m) => fc.integer({ min: 1, max: daysInMonth(y, m) }).map((d) => ({ y, m, d }))));

describe('properties', () => {
  it('every date format round-trips', () => {
    fc.assert(
      fc.property(validDate, fc.integer({ min: 1990, max: 2100 }), ({ y, m, d }, ref) => {
        const iso = isoDate(y, m, d);
        const p = (n: number) => String(n).padStart(2, '0');
        const texts = [iso, `${y}/${m}/${d}`, `${y}.${m}.${d}`, `${y}/${p(m)}/${p(d)}`, `${y}.${p(m)}.${p(d)}`, `${y}年${m}月${d}日`, `${y}年${p(m)}月${p(d)}日`, `${y}${p(m)}${p(d)}`, `${iso} 00:00:00`];
        if (y >= 1995) texts.push(String(isoToExcelSerial(iso)));
        for (const t of texts) expect(parseDeadline(t, { year: ref }), t).toEqual({ ok: true, value: day(iso) });
        if (y === ref) expect(parseDeadline(`${m}月${d}日`, { year: ref })).toEqual({ ok: true, value: day(iso) });
      }),
      { numRuns: 300 },
    );
  });
  it('formatDeadline reads back to the same deadline', () => {
    const deadline: fc.Arbitrary<Deadline> = fc.oneof(
      validDate.map(({ y, m, d }) => day(isoDate(y, m, d))),
      fc.record({ y: fc.integer({ min: 1990, max: 2100 }), m: fc.integer({ min: 1, max: 12 }) }).map(({ y, m }): Deadline => ({ kind: 'date', date: isoDate(y, m, daysInMonth(y, m)), precision: 'month' })),
      fc.record({ y: fc.integer({ min: 1990, max: 2100 }), q: fc.integer({ min: 1, max: 4 }) }).map(({ y, q }): Deadline => ({ kind: 'date', date: isoDate(y, q * 3, daysInMonth(y, q * 3)), precision: 'quarter' })),
      fc.record({ y: fc.integer({ min: 1990, max: 2100 }), h: fc.constantFrom(6, 12) }).map(({ y, h }): Deadline => ({ kind: 'date', date: isoDate(y, h, daysInMonth(y, h)), precision: 'half' })),
      fc.integer({ min: 1990, max: 2100 }).map((y): Deadline => ({ kind: 'date', date: isoDate(y, 12, 31), precision: 'year' })),
      fc.constant<Deadline>({ kind: 'ongoing' }),
      fc.constantFrom('week', 'month', 'quarter', 'half-year', 'year').map((every): Deadline => ({ kind: 'recurring', every })),
      fc.integer({ min: 1, max: 31 }).map((d): Deadline => ({ kind: 'recurring', every: 'month', day: d })),
    );
    fc.assert(
      fc.property(deadline, (d) => {
        expect(parseDeadline(formatDeadline(d), opts)).toEqual({ ok: true, value: d });
      }),
      { numRuns: 300 },
    );
  });
  it('never throws, and an error names the text', () => {
    const piece = fc.constantFrom('2026', '年', '月', '日', '底', '前', '6', '30', '-', '/', '.', '至', '每', '季度', '上半年', '长期', '三', '十', ' ', '号', '末', 'q', '旬', '中');
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.array(piece, { maxLength: 8 }).map((a) => a.join(''))), fc.integer({ min: -5000, max: 5000 }), (text, year) => {
        const r = parseDeadline(text, { year });
        if (!r.ok) expect(r.error).toContain(`「${text.trim()}」`);
        else if (r.value?.kind === 'date') expect(r.value.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }),
      { numRuns: 2000 },
    );
  });
});
