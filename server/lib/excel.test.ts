import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { attachmentHeader, cellText, isXlsx, readFirstSheet, writeWorkbook } from './excel.ts';

describe('excel', () => {
  it('reads merged cells, rich text, formulas and dates as strings', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('点位');
    ws.getCell('A1').value = '点位清单';
    ws.mergeCells('A1:C1');
    ws.getRow(2).values = ['名称', '区域', '数'];
    ws.getCell('A3').value = { richText: [{ text: '人民' }, { text: '广场', font: { bold: true } }] };
    ws.getCell('B3').value = '朝阳社区';
    ws.mergeCells('B3:B4');
    ws.getCell('C3').value = { formula: '1+1', result: 2 };
    ws.getCell('A4').value = new Date(Date.UTC(2026, 10, 21));
    ws.getCell('C4').value = 0.1 + 0.2;
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const { rows, sheetName } = await readFirstSheet(buf, { maxRows: 100 });
    expect(sheetName).toBe('点位');
    expect(rows).toEqual([
      ['点位清单', '点位清单', '点位清单'],
      ['名称', '区域', '数'],
      ['人民广场', '朝阳社区', '2'],
      ['2026-11-21', '朝阳社区', '0.3'],
    ]);
  });

  it('writes a header row with drop-downs and reads it back', async () => {
    const buf = await writeWorkbook([{ name: '模板', columns: [{ header: '名称', required: true }, { header: '重点', list: ['是', '否'] }], rows: [['甲', '是']], validationRows: 10 }]);
    expect(isXlsx(buf)).toBe(true);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.getCell('B5').dataValidation?.type).toBe('list');
    expect(ws.getRow(1).font?.bold).toBe(true);
    expect((await readFirstSheet(buf, { maxRows: 10 })).rows).toEqual([['名称', '重点'], ['甲', '是']]);
  });

  it('refuses what is not xlsx, and too many rows', async () => {
    expect(isXlsx(Buffer.from('名称,类型\n甲,乙'))).toBe(false);
    await expect(readFirstSheet(Buffer.from('PK\u0003\u0004 not really'), { maxRows: 10 })).rejects.toThrow('.xlsx');
    const buf = await writeWorkbook([{ name: 'a', columns: [{ header: 'x' }], rows: Array.from({ length: 50 }, (_, i) => [i]) }]);
    await expect(readFirstSheet(buf, { maxRows: 10 })).rejects.toThrow('最多 10 行');
  });

  it('spells texts and file names', () => {
    expect(cellText(true)).toBe('是');
    expect(cellText({ text: '链接', hyperlink: 'http://x' })).toBe('链接');
    expect(cellText(null)).toBe('');
    expect(attachmentHeader('点位.xlsx')).toBe(`attachment; filename="__.xlsx"; filename*=UTF-8''%E7%82%B9%E4%BD%8D.xlsx`);
  });
});
