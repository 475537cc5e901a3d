import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { inspectXlsx, type XlsxInspection, type XlsxLimits, XlsxRejected } from './xlsx-guard.ts';

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

/** Rows beyond the cap that a sheet may carry (titles, notes under the table) before it is refused. */
const ROW_SLACK = 20;

/**
 * THE reader of uploaded workbooks (every importer goes through it): reads the first visible
 * worksheet into rows of strings, merged ranges repeating the master cell's text in every cell
 * they cover (a 所在区域 merged down five rows applies to all five).
 *
 * Safe against hostile files (docs/security.md, issue #15 item 3): the zip is inspected before
 * anything is parsed (`inspectXlsx`: declared and true uncompressed sizes, compression ratio), then
 * the sheet is read with ExcelJS's streaming reader — never the whole workbook model in memory —
 * and the row cap is enforced while reading: the read stops at the first row beyond it.
 * Throws ExcelReadError (Chinese; `reason` picks 415 / 413 / 400).
 */
export async function readFirstSheet(buf: Buffer, opts: { maxRows: number; maxColumns?: number; limits?: XlsxLimits }): Promise<SheetGrid> {
  if (!isXlsx(buf)) throw new ExcelReadError('只支持 .xlsx 格式的 Excel 文件（请在 Excel 中“另存为 .xlsx”）', 'not_xlsx');
  let inspection: XlsxInspection;
  try {
    inspection = await inspectXlsx(buf, opts.limits);
  } catch (e) {
    if (e instanceof XlsxRejected) throw new ExcelReadError(e.message, e.reason);
    throw e;
  }
  const maxColumns = opts.maxColumns ?? 100;
  const maxRowNumber = opts.maxRows + ROW_SLACK + 1000;
  const tooMany = () => new ExcelReadError(`数据行过多：最多 ${opts.maxRows} 行，请分批导入`, 'too_large');
  const target = inspection.sheet;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([buf]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  const rows: string[][] = [];
  let sheetName: string | null = null;
  let filled = 0;
  try {
    for await (const ws of reader as AsyncIterable<ExcelJS.stream.xlsx.WorksheetReader & { name: string; state?: string }>) {
      // the sheet chosen from workbook.xml; without one, the first sheet that is not hidden
      const fileNo = target?.path.match(/sheet(\d+)\.xml$/)?.[1];
      const isTarget = sheetName === null && (target ? ws.name === target.name || ws.name === `Sheet${fileNo}` : ws.state !== 'hidden' && ws.state !== 'veryHidden');
      for await (const row of ws as AsyncIterable<ExcelJS.Row>) {
        if (!isTarget) continue;
        if (row.number > maxRowNumber) throw tooMany();
        const out: string[] = [];
        row.eachCell({ includeEmpty: false }, (cell, col) => {
          if (col > maxColumns) return;
          const text = cellText(cell.value).trim();
          if (text === '') return;
          while (out.length < col - 1) out.push('');
          out[col - 1] = text;
        });
        if (out.length === 0) continue;
        if (++filled > opts.maxRows + ROW_SLACK) throw tooMany();
        while (rows.length < row.number - 1) rows.push([]);
        rows[row.number - 1] = out;
      }
      if (isTarget) sheetName = target?.name ?? ws.name;
    }
  } catch (e) {
    if (e instanceof ExcelReadError) throw e;
    throw new ExcelReadError('无法读取该 Excel 文件，文件可能已损坏或加密');
  }
  if (sheetName === null) throw new ExcelReadError('Excel 文件中没有工作表');
  fillMerges(rows, target?.merges ?? [], maxColumns, tooMany);
  for (const r of rows) while (r.length && r[r.length - 1] === '') r.pop();
  while (rows.length && rows[rows.length - 1].length === 0) rows.pop();
  return { sheetName, rows };
}

/** A1 → [row 0-based, col 0-based]. */
function cellRef(ref: string): [number, number] {
  const m = /^([A-Z]{1,3})(\d+)$/.exec(ref);
  if (!m) return [-1, -1];
  let col = 0;
  for (const ch of m[1]) col = col * 26 + (ch.charCodeAt(0) - 64);
  return [Number(m[2]) - 1, col - 1];
}

/** Repeats each merged range's master text over the range, clamped to the rows read; bounded work. */
function fillMerges(rows: string[][], merges: string[], maxColumns: number, tooMany: () => Error): void {
  let budget = 2_000_000;
  for (const ref of merges) {
    const [a, b] = ref.split(':');
    const [r0, c0] = cellRef(a);
    const [r1, c1] = cellRef(b);
    if (r0 < 0 || r0 >= rows.length || c0 >= maxColumns) continue;
    const text = rows[r0][c0] ?? '';
    if (text === '') continue;
    const rEnd = Math.min(r1, rows.length - 1);
    const cEnd = Math.min(c1, maxColumns - 1);
    budget -= (rEnd - r0 + 1) * (cEnd - c0 + 1);
    if (budget < 0) throw tooMany();
    for (let r = r0; r <= rEnd; r++) {
      const row = rows[r];
      for (let c = c0; c <= cEnd; c++) {
        while (row.length <= c) row.push('');
        if (row[c] === '') row[c] = text;
      }
    }
  }
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
