/**
 * Finding the header row of a city office's Excel sheet and mapping its columns to fields
 * (PRODUCT.md §3.1, §3.2): the header may sit under title rows, columns come in any order and
 * are named in many ways (经度 / lng / X / 东经). Pure: works on string[][] after merged cells
 * have been filled in from their master cell.
 */

import { ImportKind } from '../contracts/org-import.ts';

export type { ImportKind };
export const IMPORT_KINDS: readonly ImportKind[] = ImportKind.options;

export type FieldSpec = {
  key: string;
  /** the Chinese column name used in templates, messages and error paths */
  label: string;
  required: boolean;
  /** other fields that satisfy the requirement instead (上级单位 or 上级区划代码) */
  orField?: string;
  /** header spellings, compared after normalizeHeader */
  synonyms: string[];
  /** an example value for the template */
  example: string;
  /** a one-line explanation for the template's 说明 sheet */
  note: string;
};

const f = (key: string, label: string, required: boolean, synonyms: string[], example: string, note: string, orField?: string): FieldSpec => ({
  key,
  label,
  required,
  synonyms: [label, ...synonyms],
  example,
  note,
  ...(orField ? { orField } : {}),
});

export const IMPORT_FIELDS: Record<ImportKind, FieldSpec[]> = {
  units: [
    f('name', '名称', true, ['单位名称', '单位全称', '名字', 'name', '部门名称'], '新华街道东风社区', '单位全称'),
    f('kind', '类型', true, ['单位类型', '层级', '单位层级', 'kind', 'type'], '社区村', '区县 / 街道乡镇 / 社区村 / 部门 / 单位'),
    f('subKind', '类别', false, ['单位类别', '单位性质', '性质'], '', '部门和单位可填：机关事业单位 / 学校 / 医院 / 窗口单位 / 企业 / 其他'),
    f('parent', '上级单位', true, ['上级', '所属单位', '上级单位名称', '主管单位', '隶属单位', 'parent'], '新华街道', '按名称填写；同名单位有多个时请改填上级区划代码', 'parentCode'),
    f('parentCode', '上级区划代码', false, ['上级代码', '上级单位区划代码'], '', '可代替上级单位名称，用于区分同名单位'),
    f('divisionCode', '区划代码', false, ['行政区划代码', '区划编码', '行政区划编码', '统计用区划代码'], '990102001003', 'GB/T 2260 区划代码，6、9 或 12 位数字'),
    f('creditCode', '统一社会信用代码', false, ['信用代码', '社会信用代码', '组织机构代码'], '', '18 位'),
    f('address', '地址', false, ['单位地址', '办公地址', '详细地址'], '示范市文明区东风路 8 号', ''),
    f('population', '常住人口', false, ['人口', '人口数', '常住人口数', '常住人口（人）'], '8600', '整数'),
    f('contactName', '联系人', false, ['联系人姓名', '负责人'], '王明', ''),
    f('contactPhone', '联系电话', false, ['电话', '手机', '手机号', '手机号码', '联系方式', '联系人电话'], '13800001234', '手机或固定电话'),
  ],
  grids: [
    f('code', '网格编码', true, ['网格编号', '网格代码', '编码', '编号', '网格号'], 'WG9001', '全市唯一'),
    f('name', '网格名称', true, ['网格名', '名称'], '东风社区第一网格', ''),
    f('community', '所属社区', true, ['社区', '所在社区', '社区名称', '所属社区村', '社区村', '所属村社区'], '朝阳社区', '社区名称；同名时可写“街道/社区”或社区区划代码'),
    f('households', '户数', false, ['住户数', '总户数', '户籍户数', '管辖户数', '户数（户）'], '420', '整数'),
    f('workers', '网格员', false, ['网格员账号', '网格员手机', '网格员手机号', '网格长', '专职网格员'], 'wangge', '用户名或手机号，多个用“、”分隔；须为在用的网格员账号'),
  ],
  points: [
    f('code', '点位编码', true, ['点位编号', '编码', '编号', '点位代码'], 'DW9001', '全市唯一'),
    f('name', '点位名称', true, ['名称', '点位'], '东风路公交站', ''),
    f('type', '点位类型', true, ['类型', '点位类别', '类别', '点位种类'], '公交站点', '按点位类型名称填写'),
    f('address', '地址', true, ['详细地址', '点位地址', '位置', '具体位置'], '示范市文明区东风路 12 号', ''),
    f('lng', '经度', true, ['lng', 'lon', 'long', 'longitude', 'x', '东经', '经度坐标', 'x坐标'], '113.6654', '十进制度（113.6654）或度分秒（113°39\'55.4"E）'),
    f('lat', '纬度', true, ['lat', 'latitude', 'y', '北纬', '纬度坐标', 'y坐标'], '34.7579', '十进制度或度分秒'),
    f('crs', '坐标系', false, ['坐标系统', '坐标类型', '坐标系类型', 'crs'], 'WGS-84', 'WGS-84（默认，GPS）/ GCJ-02（高德、腾讯）/ BD-09（百度），统一转换为 WGS-84 保存'),
    f('area', '所在区域', true, ['所在社区', '所在街道', '所属区域', '所属社区', '所属街道', '区域', '所在街道社区', '所属街道社区'], '朝阳社区', '街道或社区名称；同名时可写“街道/社区”或区划代码'),
    f('grid', '网格编码', false, ['所属网格', '网格', '网格编号', '所在网格'], 'WG011', '须为已有网格，且属于所在区域'),
    f('units', '责任单位', true, ['包保单位', '责任部门', '包保部门', '牵头单位', '责任主体'], '市交通运输局、新华街道', '单位名称，多个用“、”分隔'),
    f('isKey', '重点点位', false, ['是否重点', '重点', '是否重点点位', '重点点位（是/否）'], '否', '是 / 否，默认否'),
  ],
};

/**
 * A header cell reduced to what identifies it: no spaces, no required-markers (*), no
 * bracketed notes, lower case. normalizeHeader(' 经度（WGS-84）* ') → '经度'
 */
export function normalizeHeader(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\s\u3000]+/g, '')
    .replace(/[*＊:：]/g, '')
    .replace(/[（(][^（()）]*[)）]/g, '')
    .toLowerCase();
}

export type MappedColumn = {
  /** zero-based column index in the sheet */
  index: number;
  /** Excel column letters, e.g. "C" */
  column: string;
  /** the cell text as written */
  header: string;
  field: string;
  label: string;
};

export type HeaderMatch = {
  /** zero-based index of the header row in the rows given */
  headerIndex: number;
  columns: MappedColumn[];
  /** labels of required fields without a column */
  missing: string[];
};

/** Excel column letters of a zero-based index: columnLetter(0) → 'A', columnLetter(27) → 'AB'. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** The field list of an import kind, or a caller's own list (the 任务分解表 of domain/task-table.ts). */
const specsOf = (kind: ImportKind | readonly FieldSpec[]): readonly FieldSpec[] => (typeof kind === 'string' ? IMPORT_FIELDS[kind] : kind);

/** The zero-based index of Excel column letters, or -1 when they are not letters: columnIndex('AB') → 27 */
export function columnIndex(letters: string): number {
  const s = letters.trim().toUpperCase();
  if (!/^[A-Z]{1,3}$/.test(s)) return -1;
  let n = 0;
  for (const c of s) n = n * 26 + (c.charCodeAt(0) - 64);
  return n - 1;
}

/** Maps the cells of one row to fields: each field takes the first column that names it. */
export function mapColumns(kind: ImportKind | readonly FieldSpec[], row: string[]): MappedColumn[] {
  const lookup = new Map<string, FieldSpec>();
  for (const spec of specsOf(kind)) {
    for (const s of spec.synonyms) {
      const key = normalizeHeader(s);
      if (!lookup.has(key)) lookup.set(key, spec);
    }
  }
  const taken = new Set<string>();
  const out: MappedColumn[] = [];
  row.forEach((cell, index) => {
    const spec = lookup.get(normalizeHeader(cell ?? ''));
    if (!spec || taken.has(spec.key)) return;
    taken.add(spec.key);
    out.push({ index, column: columnLetter(index), header: cell.trim(), field: spec.key, label: spec.label });
  });
  return out;
}

/** Labels of the required fields a mapping lacks (a field with an alternative is satisfied by either). */
export function missingFields(kind: ImportKind | readonly FieldSpec[], columns: readonly MappedColumn[]): string[] {
  const have = new Set(columns.map((c) => c.field));
  const specs = specsOf(kind);
  return specs
    .filter((s) => s.required && !have.has(s.key) && !(s.orField && have.has(s.orField)))
    .map((s) => {
      const alt = s.orField ? specs.find((o) => o.key === s.orField) : undefined;
      return alt ? `${s.label}（或${alt.label}）` : s.label;
    });
}

/**
 * Finds the header row within the first `maxScan` rows: the row naming the most fields (at least
 * two), the earliest on a tie. Returns null when no row looks like a header.
 * findHeaderRow('points', [['点位清单'], ['点位编码', '经度']]) → { headerIndex: 1, … }
 * `kind` may also be a field list of one's own (TASK_TABLE_FIELDS).
 */
export function findHeaderRow(kind: ImportKind | readonly FieldSpec[], rows: string[][], maxScan = 20): HeaderMatch | null {
  let best: { index: number; columns: MappedColumn[] } | null = null;
  for (let i = 0; i < Math.min(rows.length, maxScan); i++) {
    const columns = mapColumns(kind, rows[i] ?? []);
    if (columns.length >= 2 && (!best || columns.length > best.columns.length)) best = { index: i, columns };
  }
  if (!best) return null;
  return { headerIndex: best.index, columns: best.columns, missing: missingFields(kind, best.columns) };
}

/** The record of one data row: field key → trimmed cell text ('' when empty). */
export function recordOf(columns: MappedColumn[], row: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of columns) out[c.field] = (row[c.index] ?? '').trim();
  return out;
}

/** Whether a row holds nothing (blank rows between blocks are skipped, not errors). */
export const isBlankRow = (row: string[]): boolean => row.every((c) => (c ?? '').trim() === '');

export const fieldLabel = (kind: ImportKind, key: string): string => IMPORT_FIELDS[kind].find((s) => s.key === key)?.label ?? key;
