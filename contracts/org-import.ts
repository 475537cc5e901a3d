import { z } from 'zod';

/** Excel import and export of units, grids and points (PRODUCT.md §3.1, §4). */
export const ImportKind = z.enum(['units', 'grids', 'points']);
export type ImportKind = z.infer<typeof ImportKind>;
export const ImportKindLabels: Record<ImportKind, string> = { units: '单位', grids: '网格', points: '点位' };

/** insert: an existing code or unit is a row error; upsert: it is updated (version + 1, audited). */
export const ImportMode = z.enum(['insert', 'upsert']);
export type ImportMode = z.infer<typeof ImportMode>;

export const ImportKindParams = z.object({ kind: ImportKind });
export const ImportQuery = z.object({ mode: ImportMode.default('insert') });

export const ImportRowError = z.object({
  /** field key (lng), or '' for the row as a whole */
  field: z.string(),
  /** the Chinese column name (经度) */
  label: z.string(),
  message: z.string(),
});
export type ImportRowError = z.infer<typeof ImportRowError>;

/** "经度：经度超出中国范围" without saying the column twice when the message already names it. */
export const rowErrorText = (e: ImportRowError): string => (e.label && !e.message.startsWith(e.label) ? `${e.label}：${e.message}` : e.message);

export const ImportPreviewRow = z.object({
  /** the row number as Excel shows it */
  row: z.number().int(),
  /** field key → cell text as written */
  data: z.record(z.string(), z.string()),
  errors: z.array(ImportRowError),
  action: z.enum(['insert', 'update']),
});
export type ImportPreviewRow = z.infer<typeof ImportPreviewRow>;

export const ImportColumn = z.object({
  /** Excel column letters */
  column: z.string(),
  /** the header text in the file */
  header: z.string(),
  field: z.string(),
  label: z.string(),
});

export const ImportPreview = z.object({
  kind: ImportKind,
  mode: ImportMode,
  sheetName: z.string(),
  /** Excel row number of the header row, null when none was found */
  headerRow: z.number().int().nullable(),
  columns: z.array(ImportColumn),
  /** Chinese names of required columns the file lacks */
  missing: z.array(z.string()),
  /** header cells that matched no field (ignored) */
  ignored: z.array(z.string()),
  rows: z.array(ImportPreviewRow),
  /** inserts + updates = valid: what committing would write */
  summary: z.object({ total: z.number().int(), valid: z.number().int(), invalid: z.number().int(), inserts: z.number().int(), updates: z.number().int() }),
});
export type ImportPreview = z.infer<typeof ImportPreview>;

export const ImportResult = z.object({
  kind: ImportKind,
  mode: ImportMode,
  inserted: z.number().int(),
  updated: z.number().int(),
  total: z.number().int(),
});
export type ImportResult = z.infer<typeof ImportResult>;

/** Rows one file may hold; bigger files are split by the user. */
export const IMPORT_MAX_ROWS = 20_000;
