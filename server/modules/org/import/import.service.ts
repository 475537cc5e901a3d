import { IMPORT_MAX_ROWS, type ImportKind, ImportKindLabels, type ImportMode, type ImportPreview, type ImportResult } from '../../../../contracts/org-import.ts';
import type { ErrorDetail } from '../../../../contracts/errors.ts';
import { OrgUnitKindLabels, OrgUnitSubKindLabels } from '../../../../contracts/org.ts';
import { findHeaderRow, IMPORT_FIELDS, isBlankRow, normalizeHeader, recordOf } from '../../../../domain/excel-headers.ts';
import { CoordinateSystemLabels } from '../../../../domain/excel-values.ts';
import { maskPhone } from '../../../../domain/masking.ts';
import type { Db, Executor } from '../../../db/client.ts';
import type { Deps } from '../../../deps.ts';
import type { RequestContext } from '../../../http/actor.ts';
import { AppError } from '../../../http/errors.ts';
import { requirePermission, scopeFor } from '../../../http/policy.ts';
import { ExcelReadError, readFirstSheet, type SheetColumn, type SheetSpec, writeWorkbook } from '../../../lib/excel.ts';
import { audit } from '../../audit/index.ts';
import { gridsImporter } from './grids.import.ts';
import * as repo from './import.repo.ts';
import type { ImportEnv, KindImporter, RowOutcome, SourceRow } from './import.rows.ts';
import { pointsImporter } from './points.import.ts';
import { unitsImporter } from './units.import.ts';

type ImportDeps = Pick<Deps, 'db' | 'crypto'>;
export type ImportFile = { buffer: Buffer; fileName: string };

const importers: Record<ImportKind, KindImporter<unknown>> = {
  units: unitsImporter as KindImporter<unknown>,
  grids: gridsImporter as KindImporter<unknown>,
  points: pointsImporter as KindImporter<unknown>,
};

function requireImport(ctx: RequestContext) {
  requirePermission(ctx.actor, 'org.write', '无权导入组织体系数据');
  return scopeFor(ctx.actor, 'write');
}

type ParsedSheet = {
  sheetName: string;
  headerRow: number | null;
  columns: ImportPreview['columns'];
  missing: string[];
  ignored: string[];
  rows: SourceRow[];
};

/** The sheet as source rows: header found within the first 20 rows, blank rows skipped. */
async function parseSheet(kind: ImportKind, file: ImportFile): Promise<ParsedSheet> {
  let grid: Awaited<ReturnType<typeof readFirstSheet>>;
  try {
    grid = await readFirstSheet(file.buffer, { maxRows: IMPORT_MAX_ROWS });
  } catch (e) {
    if (!(e instanceof ExcelReadError)) throw e;
    const code = e.reason === 'not_xlsx' ? 'UNSUPPORTED_MEDIA_TYPE' : e.reason === 'too_large' ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST';
    throw new AppError(code, e.message);
  }
  const match = findHeaderRow(kind, grid.rows);
  if (!match) {
    const required = IMPORT_FIELDS[kind].filter((f) => f.required).map((f) => f.label);
    return { sheetName: grid.sheetName, headerRow: null, columns: [], missing: required, ignored: [], rows: [] };
  }
  const mapped = new Set(match.columns.map((c) => c.index));
  const ignored = (grid.rows[match.headerIndex] ?? []).filter((h, i) => h && !mapped.has(i) && normalizeHeader(h) !== '');
  const rows: SourceRow[] = [];
  for (let i = match.headerIndex + 1; i < grid.rows.length; i++) {
    if (isBlankRow(grid.rows[i])) continue;
    rows.push({ row: i + 1, raw: recordOf(match.columns, grid.rows[i]) });
  }
  if (rows.length > IMPORT_MAX_ROWS) throw new AppError('PAYLOAD_TOO_LARGE', `数据行过多：最多 ${IMPORT_MAX_ROWS} 行，请分批导入`);
  return {
    sheetName: grid.sheetName,
    headerRow: match.headerIndex + 1,
    columns: match.columns.map((c) => ({ column: c.column, header: c.header, field: c.field, label: c.label })),
    missing: match.missing,
    ignored,
    rows,
  };
}

function present(kind: ImportKind, mode: ImportMode, sheet: ParsedSheet, outcomes: RowOutcome<unknown>[]): ImportPreview {
  const invalid = outcomes.filter((o) => o.errors.length).length;
  return {
    kind,
    mode,
    sheetName: sheet.sheetName,
    headerRow: sheet.headerRow,
    columns: sheet.columns,
    missing: sheet.missing,
    ignored: sheet.ignored,
    rows: outcomes.map((o) => ({ row: o.row, data: o.data, errors: o.errors, action: o.action })),
    summary: {
      total: outcomes.length,
      valid: outcomes.length - invalid,
      invalid,
      inserts: outcomes.filter((o) => !o.errors.length && o.action === 'insert').length,
      updates: outcomes.filter((o) => !o.errors.length && o.action === 'update').length,
    },
  };
}

async function validateIn(db: Executor, deps: ImportDeps, ctx: RequestContext, kind: ImportKind, mode: ImportMode, sheet: ParsedSheet) {
  const env: ImportEnv = { db, crypto: deps.crypto, ctx, mode, scope: requireImport(ctx) };
  return { env, outcomes: sheet.headerRow === null ? [] : await importers[kind].validate(env, sheet.rows) };
}

/** Checks a file and shows, row by row, what importing it would do; writes nothing. */
export async function previewImport(deps: ImportDeps, ctx: RequestContext, kind: ImportKind, mode: ImportMode, file: ImportFile): Promise<ImportPreview> {
  requireImport(ctx);
  const sheet = await parseSheet(kind, file);
  const { outcomes } = await validateIn(deps.db, deps, ctx, kind, mode, sheet);
  return present(kind, mode, sheet, outcomes);
}

const MAX_DETAILS = 500;

/** The preview's problems as 422 details: columns.<列名> and rows.<Excel 行号>.<列名>. */
function problems(sheet: ParsedSheet, outcomes: RowOutcome<unknown>[]): ErrorDetail[] {
  const details: ErrorDetail[] = sheet.missing.map((label) => ({ path: `columns.${label}`, message: `缺少必填列：${label}` }));
  if (sheet.headerRow === null) details.unshift({ path: 'columns', message: '前 20 行中没有找到表头行，请使用导入模板' });
  for (const o of outcomes) for (const e of o.errors) details.push({ path: `rows.${o.row}.${e.label || '行'}`, message: e.message });
  return details;
}

/**
 * Validates the file again inside one transaction and writes every row, or nothing: any row
 * error gives 422 IMPORT_INVALID with the problems of every row.
 */
export async function commitImport(deps: ImportDeps, ctx: RequestContext, kind: ImportKind, mode: ImportMode, file: ImportFile): Promise<ImportResult> {
  requireImport(ctx);
  const sheet = await parseSheet(kind, file);
  return deps.db.transaction(async (tx) => {
    const { env, outcomes } = await validateIn(tx, deps, ctx, kind, mode, sheet);
    const details = problems(sheet, outcomes);
    if (details.length) {
      const badRows = outcomes.filter((o) => o.errors.length).length;
      const message = sheet.headerRow === null || sheet.missing.length ? `文件缺少必填列：${sheet.missing.join('、')}，未导入任何数据` : `共 ${badRows} 行有错误，未导入任何数据；请修改后重新导入`;
      throw new AppError('IMPORT_INVALID', message, details.slice(0, MAX_DETAILS));
    }
    if (!outcomes.length) throw new AppError('IMPORT_INVALID', '文件中没有数据行', [{ path: 'rows', message: '文件中没有数据行' }]);
    const counts = await importers[kind].write(env, outcomes);
    await audit(tx, ctx, {
      action: 'import',
      entity: 'org_import',
      entityId: null,
      after: { kind, mode, fileName: file.fileName, sheetName: sheet.sheetName, rows: outcomes.length, ...counts },
    });
    return { kind, mode, total: outcomes.length, ...counts };
  });
}

// ---- templates and exports ----

const LISTS: Partial<Record<ImportKind, Record<string, string[]>>> = {
  units: { kind: Object.values(OrgUnitKindLabels).slice(1), subKind: Object.values(OrgUnitSubKindLabels) },
  points: { crs: Object.values(CoordinateSystemLabels), isKey: ['是', '否'] },
};

async function columnsOf(db: Db, kind: ImportKind, forTemplate: boolean): Promise<SheetColumn[]> {
  const lists = { ...(LISTS[kind] ?? {}) };
  if (kind === 'points') lists.type = (await repo.allPointTypes(db)).filter((t) => t.isActive).sort((a, b) => a.sort - b.sort).map((t) => t.name);
  return IMPORT_FIELDS[kind].map((f) => ({
    header: forTemplate && f.required ? `${f.label}*` : f.label,
    required: forTemplate && f.required,
    width: Math.max(12, f.label.length * 2 + 6, f.key === 'units' || f.key === 'address' || f.key === 'name' ? 28 : 0),
    list: lists[f.key],
  }));
}

const today = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' }).replace(/-/g, '');

/** The import template: the header row, one example row, and a 说明 sheet. */
export async function importTemplate(deps: ImportDeps, ctx: RequestContext, kind: ImportKind): Promise<{ fileName: string; buffer: Buffer }> {
  requireImport(ctx);
  const fields = IMPORT_FIELDS[kind];
  const data: SheetSpec = { name: `${ImportKindLabels[kind]}导入`, columns: await columnsOf(deps.db, kind, true), rows: [fields.map((f) => f.example || null)], validationRows: 1000 };
  const notes: SheetSpec = {
    name: '说明',
    columns: [{ header: '列名', width: 18 }, { header: '必填', width: 8 }, { header: '填写说明', width: 90 }],
    rows: [
      ...fields.map((f) => [f.label, f.required ? (f.orField ? '二选一' : '是') : '', f.note]),
      [],
      ['通用说明', '', '第 2 行是示例，导入前请删除。带 * 的列必填；列的顺序可以调整，表头上方可以有标题行（前 20 行内）。'],
      ['', '', `每个文件最多 ${IMPORT_MAX_ROWS} 行。导入前先“预览”，有任何一行错误都不会写入数据。`],
      ['', '', '“更新已有”模式下，编码（单位为区划代码或同一上级下的名称）已存在的行将更新对应记录；空白单元格表示保持原值。'],
      ['', '', '合并单元格按其内容填充到所覆盖的每一行。'],
    ],
  };
  return { fileName: `${ImportKindLabels[kind]}导入模板.xlsx`, buffer: await writeWorkbook([data, notes]) };
}

/** The actor's visible records of a kind as .xlsx, in the import layout (phones masked). */
export async function exportKind(deps: ImportDeps, ctx: RequestContext, kind: ImportKind): Promise<{ fileName: string; buffer: Buffer; count: number }> {
  requirePermission(ctx.actor, 'org.read', '无权查看组织体系');
  const scope = scopeFor(ctx.actor, 'read');
  let rows: (string | number | null)[][];
  if (kind === 'units') {
    rows = (await repo.exportUnits(deps.db, scope)).map((u) => [
      u.name,
      OrgUnitKindLabels[u.kind as keyof typeof OrgUnitKindLabels] ?? u.kind,
      u.sub_kind ? (OrgUnitSubKindLabels[u.sub_kind as keyof typeof OrgUnitSubKindLabels] ?? u.sub_kind) : null,
      u.parent_name,
      u.parent_code,
      u.division_code,
      u.credit_code,
      u.address,
      u.population,
      u.contact_name,
      u.contact_phone_enc ? maskPhone(deps.crypto.decrypt(u.contact_phone_enc)) : null,
    ]);
  } else if (kind === 'grids') {
    rows = (await repo.exportGrids(deps.db, scope)).map((g) => [g.code, g.name, g.community_name, g.households, g.workers]);
  } else {
    rows = (await repo.exportPoints(deps.db, scope)).map((p) => [
      p.code,
      p.name,
      p.type_name,
      p.address,
      p.lng,
      p.lat,
      CoordinateSystemLabels.WGS84,
      p.area_name,
      p.grid_code,
      p.units,
      p.is_key ? '是' : '否',
    ]);
  }
  const sheet: SheetSpec = { name: ImportKindLabels[kind], columns: await columnsOf(deps.db, kind, false), rows };
  return { fileName: `${ImportKindLabels[kind]}_${today()}.xlsx`, buffer: await writeWorkbook([sheet]), count: rows.length };
}
