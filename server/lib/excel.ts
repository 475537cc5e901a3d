import ExcelJS from 'exceljs';

/**
 * Excel in and out (ENGINEERING.md §1: ExcelJS). Reading gives the first worksheet as a grid of
 * strings with merged cells filled from their master cell, so the import logic in domain/ never
 * sees ExcelJS types; writing builds workbooks with a bold frozen header row.
 */

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A file that cannot be imported; `reason` lets callers pick 415 / 413 / 400. */
export class ExcelReadError extends Error {
  constructor(
    message: string,
    readonly reason: 'not_xlsx' | 'unreadable' | 'too_large' = 'unreadable',
  ) {
    super(message);
  }
}

/** Whether the bytes are an .xlsx workbook: a zip archive holding xl/workbook.xml (old .xls and CSV are not). */
export function isXlsx(buf: Buffer): boolean {
  if (buf.length < 30 || buf.readUInt32LE(0) !== 0x04034b50) return false;
  // zip local headers store entry names uncompressed
  return buf.includes('xl/workbook.xml') && buf.includes('[Content_Types].xml');
}

type CellValue = ExcelJS.CellValue;

const pad = (n: number) => String(n).padStart(2, '0');

/** The text a person sees in a cell, from any ExcelJS value. */
export function cellText(value: CellValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(15)));
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (value instanceof Date) {
    // Excel dates carry no zone: ExcelJS gives the wall-clock time as UTC
    const d = value;
    const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
    return d.getUTCHours() || d.getUTCMinutes() || d.getUTCSeconds() ? `${date} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` : date;
  }
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('formula' in value || 'sharedFormula' in value) return cellText((value as { result?: CellValue }).result);
    if ('text' in value && 'hyperlink' in value) return cellText(value.text as CellValue);
    if ('error' in value) return '';
  }
  return String(value);
}

export type SheetGrid = { sheetName: string; rows: string[][] };

/**
 * Reads the first worksheet into rows of strings. Merged ranges repeat the master cell's text in
 * every cell they cover (a 所在区域 merged down five rows applies to all five).
 * Throws ExcelReadError (Chinese) on unreadable files or more than `maxRows` rows.
 */
export async function readFirstSheet(buf: Buffer, opts: { maxRows: number; maxColumns?: number }): Promise<SheetGrid> {
  if (!isXlsx(buf)) throw new ExcelReadError('只支持 .xlsx 格式的 Excel 文件（请在 Excel 中“另存为 .xlsx”）', 'not_xlsx');
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch {
    throw new ExcelReadError('无法读取该 Excel 文件，文件可能已损坏或加密');
  }
  const ws = wb.worksheets.find((w) => w.state !== 'hidden' && w.state !== 'veryHidden') ?? wb.worksheets[0];
  if (!ws) throw new ExcelReadError('Excel 文件中没有工作表');
  const rowCount = ws.rowCount;
  if (ws.actualRowCount > opts.maxRows + 20) throw new ExcelReadError(`数据行过多：最多 ${opts.maxRows} 行，请分批导入`, 'too_large');
  const colCount = Math.min(ws.columnCount, opts.maxColumns ?? 100);
  const rows: string[][] = [];
  for (let r = 1; r <= rowCount; r++) {
    const row = ws.getRow(r);
    const out: string[] = [];
    for (let c = 1; c <= colCount; c++) {
      const cell = row.getCell(c);
      const v = cell.isMerged ? cell.master.value : cell.value;
      out.push(cellText(v).trim());
    }
    while (out.length && out[out.length - 1] === '') out.pop();
    rows.push(out);
  }
  while (rows.length && rows[rows.length - 1].length === 0) rows.pop();
  return { sheetName: ws.name, rows };
}

export type SheetColumn = {
  header: string;
  width?: number;
  /** allowed values: becomes an in-cell drop-down when the list is short enough for Excel */
  list?: string[];
  /** header shown red and bold: a required column */
  required?: boolean;
};

export type SheetSpec = {
  name: string;
  columns: SheetColumn[];
  rows: (string | number | null)[][];
  /** extra rows to carry drop-downs for, beyond the data (templates) */
  validationRows?: number;
};

type RangeValidations = { add(range: string, v: ExcelJS.DataValidation): void };

/** Adds one sheet with a bold, frozen header row, widths and list validations. */
export function addSheet(wb: ExcelJS.Workbook, spec: SheetSpec): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = spec.columns.map((c) => ({ header: c.header, width: c.width ?? Math.max(10, c.header.length * 2 + 4) }));
  const head = ws.getRow(1);
  head.font = { bold: true };
  head.alignment = { vertical: 'middle' };
  spec.columns.forEach((c, i) => {
    const cell = head.getCell(i + 1);
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
    if (c.required) cell.font = { bold: true, color: { argb: 'FFC00000' } };
  });
  for (const r of spec.rows) ws.addRow(r);
  const last = Math.max(spec.rows.length + 1, (spec.validationRows ?? 0) + 1);
  // ExcelJS keeps range validations at runtime; its typings only know per-cell ones
  const validations = (ws as unknown as { dataValidations: RangeValidations }).dataValidations;
  spec.columns.forEach((c, i) => {
    if (!c.list?.length) return;
    const formula = `"${c.list.join(',')}"`;
    if (formula.length > 255 || c.list.some((v) => v.includes(',') || v.includes('"'))) return; // Excel's limit for inline lists
    const col = ws.getColumn(i + 1).letter;
    validations.add(`${col}2:${col}${last}`, {
      type: 'list',
      allowBlank: true,
      formulae: [formula],
      showErrorMessage: true,
      errorTitle: '请选择',
      error: `请从列表中选择：${c.list.join('、')}`,
    });
  });
  return ws;
}

/** Builds a workbook of the given sheets and returns the .xlsx bytes. */
export async function writeWorkbook(sheets: SheetSpec[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '创文通';
  wb.created = new Date();
  for (const s of sheets) addSheet(wb, s);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Content-Disposition for a download with a Chinese file name (RFC 6266 / 5987), ASCII fallback. */
export function attachmentHeader(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
