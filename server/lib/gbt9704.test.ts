import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { breakTitle, chineseDate, chineseNumber, formatDocumentNumber, type OfficialDocument, renderOfficialDocument } from './gbt9704.ts';

const issuer = '示范市创建全国文明城市工作指挥部办公室';
const overdue = {
  type: 'table' as const,
  columns: [
    { header: '序号', width: 0.6, align: 'center' as const },
    { header: '问题编号', width: 2.2 },
    { header: '问题描述', width: 3 },
    { header: '地点', width: 2.2 },
    { header: '期限', width: 1.5, align: 'center' as const },
    { header: '状态', width: 1.1, align: 'center' as const },
  ],
  rows: [
    ['1', 'WT20261101-000123', '人行道破损，盲道被占用', '长江路与黄河路交叉口', '2026-11-15', '超期未结'],
    ['2', 'WT20261103-000456', '垃圾桶满溢 <未清运> & 异味', '人民公园北门', '2026-11-18', '整改中'],
  ],
};

const tongbao: OfficialDocument = {
  layout: 'document',
  issuer,
  number: formatDocumentNumber('创文办', 2026, 12),
  title: '关于2026年10月份创建全国文明城市工作督查情况的通报',
  recipients: ['各区创文办', '市直各责任单位'],
  body: [
    { type: 'paragraph', text: '10月份，市创文办会同市督查组对全市创建工作进行了督查。现将有关情况通报如下。' },
    { type: 'heading', level: 1, text: '总体情况' },
    { type: 'heading', level: 2, text: '问题整改。', continuation: '本月共交办问题1234件。' },
    { type: 'heading', level: 3, text: '农贸市场。' },
    { type: 'heading', level: 4, text: '背街小巷。' },
    { type: 'heading', level: 1, text: '超期未整改问题' },
    overdue,
  ],
  attachments: ['各单位问题整改情况统计表', '红黑榜'],
  date: '2026-11-21',
  cc: ['市委办公室', '市政府办公室'],
  printedBy: issuer,
  printedOn: '2026-11-21',
};

const dubanhan: OfficialDocument = {
  layout: 'letter',
  issuer,
  number: formatDocumentNumber('创文督', 2026, 5),
  title: '关于督促办理超期未整改问题的函',
  recipients: '市城市管理局',
  body: [{ type: 'paragraph', text: '你单位以下问题已超过整改期限，请于2026年11月28日前整改到位并书面回复。' }, overdue],
  date: new Date('2026-11-20T16:30:00Z'), // 2026-11-21 00:30 in Beijing
  cc: ['市委督查室'],
};

async function open(buf: Buffer) {
  expect(buf.readUInt32LE(0)).toBe(0x04034b50); // a zip
  const zip = await JSZip.loadAsync(buf);
  expect(zip.file('[Content_Types].xml')).not.toBeNull();
  const xml = async (name: string) => {
    const f = zip.file(name);
    if (!f) throw new Error(`${name} missing`);
    return f.async('string');
  };
  const doc = await xml('word/document.xml');
  const text = (s: string) => [...s.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
  const rows = [...doc.matchAll(/<w:tr>.*?<\/w:tr>/g)].map((r) => [...r[0].matchAll(/<w:tc>.*?<\/w:tc>/g)].map((c) => text(c[0])));
  return { zip, xml, doc, text: text(doc), rows };
}

describe('formatDocumentNumber', () => {
  it('writes abbreviation, year in 〔〕 and the number without 第 or leading zeros', () => {
    expect(formatDocumentNumber('创文办', 2026, 12)).toBe('创文办〔2026〕12号');
    expect(formatDocumentNumber('创文督', 2026, 1)).toBe('创文督〔2026〕1号');
  });
  it('refuses impossible parts', () => {
    expect(() => formatDocumentNumber('', 2026, 1)).toThrow();
    expect(() => formatDocumentNumber('创文办', 26, 1)).toThrow();
    expect(() => formatDocumentNumber('创文办', 2026, 0)).toThrow();
    expect(() => formatDocumentNumber('创文办', 2026, 1.5)).toThrow();
  });
});

describe('chineseDate', () => {
  it('uses Arabic numerals, full year, no leading zeros, in Beijing time', () => {
    expect(chineseDate(new Date('2026-11-20T16:30:00Z'))).toBe('2026年11月21日');
    expect(chineseDate(new Date('2026-01-04T03:00:00Z'))).toBe('2026年1月4日');
    expect(chineseDate(new Date('2026-11-20T16:30:00Z'), 'UTC')).toBe('2026年11月20日');
    expect(chineseDate('2026-03-05')).toBe('2026年3月5日');
    expect(() => chineseDate('not a date')).toThrow();
  });
});

describe('helpers', () => {
  it('counts in Chinese for 一、 and （一）', () => {
    expect([1, 10, 11, 20, 23, 99].map(chineseNumber)).toEqual(['一', '十', '十一', '二十', '二十三', '九十九']);
  });
  it('breaks a long title into balanced lines of at most 20 characters without splitting numbers', () => {
    const ls = breakTitle('关于2026年10月份创建全国文明城市工作督查情况的通报');
    expect(ls.join('')).toBe('关于2026年10月份创建全国文明城市工作督查情况的通报');
    expect(ls.length).toBe(2);
    expect(ls[1].startsWith('工作')).toBe(true);
    expect(breakTitle('关于督促办理超期未整改问题的函')).toEqual(['关于督促办理超期未整改问题的函']);
  });
});

describe('renderOfficialDocument', () => {
  it('writes a 通报 in the 文件格式 with the red 版头, fonts, page setup, table and 版记', async () => {
    const { doc, text, rows, xml } = await open(await renderOfficialDocument(tongbao));
    expect(text).toContain('创文办〔2026〕12号');
    expect(text).toContain(`${issuer}文件`);
    expect(text).toContain('关于2026年10月份创建全国文明城市');
    expect(text).toContain('工作督查情况的通报');
    expect(text).toContain('各区创文办，市直各责任单位：');
    expect(text).toContain('一、总体情况');
    expect(text).toContain('（一）问题整改。本月共交办问题1234件。');
    expect(text).toContain('1.农贸市场。');
    expect(text).toContain('（1）背街小巷。');
    expect(text).toContain('二、超期未整改问题');
    expect(text).toContain('附件：1.各单位问题整改情况统计表');
    expect(text).toContain('2.红黑榜');
    expect(text).toContain('2026年11月21日');
    expect(text).toContain('抄送：市委办公室，市政府办公室。');
    expect(text).toContain('2026年11月21日印发');
    // the table: header and data rows, text escaped and read back
    const table = rows.filter((r) => r.length === 6);
    expect(table[0]).toEqual(['序号', '问题编号', '问题描述', '地点', '期限', '状态']);
    expect(table[1]).toEqual(['1', 'WT20261101-000123', '人行道破损，盲道被占用', '长江路与黄河路交叉口', '2026-11-15', '超期未结']);
    expect(table[2][2]).toBe('垃圾桶满溢 &lt;未清运&gt; &amp; 异味');
    expect(doc).toContain('<w:tblHeader/>');
    // A4 and the margins of §5.2.2: top 37, bottom 35, left 28, right 26 mm
    expect(doc).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    expect(doc).toMatch(/<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"/);
    // fonts by their East Asian names
    expect(doc).toContain('w:eastAsia="仿宋_GB2312"');
    expect(doc).toContain('w:eastAsia="方正小标宋简体"');
    expect(doc).toContain('w:eastAsia="黑体"');
    expect(doc).toContain('w:eastAsia="楷体_GB2312"');
    // sizes: 二号 title, 三号 body; fixed 28.95 pt lines (22 a page)
    expect(doc).toMatch(/方正小标宋简体"\/>(?:<[^>]+>)*<w:sz w:val="44"\/>(?:<[^>]+>)*<w:t[^>]*>关于2026/);
    expect(doc).toContain('<w:sz w:val="32"/>');
    expect(doc).toContain('w:line="579" w:lineRule="exact"');
    // the red mark and the red separator line
    expect(doc).toMatch(/<w:color w:val="FF0000"\/>(?:<[^>]+>)*<w:t[^>]*>示范市创建全国文明城市工作指挥部办公室文件/);
    expect(doc).toMatch(/<w:bottom w:val="single" w:color="FF0000"/);
    // 版记 rules 0.35 / 0.25 mm, floated to the foot of the type area
    expect(doc).toMatch(/<w:tblpPr[^>]*w:tblpYSpec="bottom"/);
    expect(doc).toMatch(/<w:top w:val="single" w:color="000000" w:sz="8"\/>/);
    expect(doc).toMatch(/<w:insideH w:val="single" w:color="000000" w:sz="6"\/>/);
    // page numbers — 1 — on the outer side
    const footers = (await Promise.all(['word/footer1.xml', 'word/footer2.xml'].map(xml))).join('');
    expect(footers).toContain('PAGE');
    expect(footers).toContain('— ');
    expect(footers).toContain('w:val="right"');
    expect(footers).toContain('w:val="left"');
    expect(await xml('word/settings.xml')).toContain('<w:evenAndOddHeaders/>');
  });

  it('writes a 督办函 in the 信函格式: mark and double line in the first-page header, number on the right, no 印发', async () => {
    const { doc, text, rows, zip } = await open(await renderOfficialDocument(dubanhan));
    expect(text).toContain('创文督〔2026〕5号');
    expect(text).toContain('关于督促办理超期未整改问题的函');
    expect(text).toContain('市城市管理局：');
    expect(text).toContain('2026年11月21日');
    expect(text).toContain('抄送：市委督查室。');
    expect(text).not.toContain('印发');
    expect(rows.filter((r) => r.length === 6)).toHaveLength(3);
    expect(doc).toContain('<w:titlePg/>');
    expect(doc).toMatch(/<w:jc w:val="right"\/><\/w:pPr><w:r><w:rPr>(?:<[^>]+>)*<w:t[^>]*>创文督〔2026〕5号/);
    const headers = await Promise.all(
      Object.keys(zip.files)
        .filter((n) => /^word\/header\d+\.xml$/.test(n))
        .map((n) => zip.file(n)!.async('string')),
    );
    const first = headers.find((h) => h.includes(issuer));
    expect(first).toBeDefined();
    expect(first).not.toContain(`${issuer}文件`);
    expect(first).toMatch(/<w:color w:val="FF0000"\/>/);
    expect(first).toMatch(/<w:bottom w:val="thickThinMediumGap" w:color="FF0000"/);
  });
});
