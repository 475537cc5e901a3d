import type { VolunteerImportPreview } from '../../../contracts/volunteers.ts';
import { RegisterVolunteerRequest } from '../../../contracts/volunteers.ts';
import { ID_TYPE_LABELS, type IdType, maskIdNumber } from '../../../domain/id-number.ts';
import { maskPhone } from '../../../domain/masking.ts';
import type { Deps } from '../../deps.ts';
import type { RequestContext } from '../../http/actor.ts';
import { AppError } from '../../http/errors.ts';
import { inScope, scopeFor } from '../../http/policy.ts';
import { ExcelReadError, readFirstSheet, writeWorkbook, XLSX_MIME } from '../../lib/excel.ts';
import { audit } from '../audit/index.ts';
import { getUnitsByIds, listCommunities } from '../org/index.ts';
import { volunteersPolicy } from './volunteers.policy.ts';
import * as repo from './volunteers.repo.ts';
import { checkPerson, FIELD_LABELS, volunteerRow } from './volunteers.service.ts';

/** Rows one import may hold (it runs inside the request, all or nothing). */
export const VOLUNTEER_IMPORT_MAX_ROWS = 5000;

const COLUMNS: { key: string; header: string; required?: boolean; width?: number }[] = [
  { key: 'name', header: '姓名', required: true },
  { key: 'idType', header: '证件类型', width: 22 },
  { key: 'idNumber', header: '证件号码', required: true, width: 22 },
  { key: 'birthDate', header: '出生日期', width: 14 },
  { key: 'gender', header: '性别' },
  { key: 'phone', header: '手机号', required: true, width: 14 },
  { key: 'community', header: '所在社区', required: true, width: 16 },
  { key: 'skills', header: '专业技能', width: 20 },
  { key: 'serviceAreas', header: '服务领域', width: 20 },
  { key: 'serviceTimes', header: '服务时间', width: 16 },
  { key: 'consent', header: '本人同意', required: true },
];

export async function importTemplate(): Promise<{ fileName: string; mime: string; buffer: Buffer }> {
  const buffer = await writeWorkbook([
    {
      name: '志愿者',
      columns: COLUMNS.map((c) => ({ header: c.header, required: c.required, width: c.width, list: c.key === 'idType' ? Object.values(ID_TYPE_LABELS) : c.key === 'consent' ? ['是'] : c.key === 'gender' ? ['男', '女'] : undefined })),
      rows: [['张三', '居民身份证', '11010519491231002X', '', '', '13800000000', '朝阳社区', '急救、外语', '关爱空巢老人', '周末', '是']],
      validationRows: 500,
    },
    {
      name: '填写说明',
      columns: [{ header: '说明', width: 100 }],
      rows: [
        ['红色表头为必填；示例行请删除后再导入。'],
        ['证件类型默认居民身份证；居民身份证与港澳台居民居住证按 GB 11643 校验校验位，出生日期和性别从号码中读取。'],
        ['护照等其他证件须填写出生日期（YYYY-MM-DD）和性别。'],
        ['所在社区填写社区名称；重名的社区请写“街道/社区”。'],
        ['多个技能、领域、时间用顿号“、”分隔。'],
        ['“本人同意”须为“是”：由组织代为登记须经志愿者本人同意（《志愿服务记录与证明出具办法》第六条）。'],
        ['一人只能注册一次：文件内重复的证件号码、已注册的证件号码都会被指出，整个文件不会导入。'],
      ],
    },
  ]);
  return { fileName: '志愿者导入模板.xlsx', mime: XLSX_MIME, buffer };
}

const split = (s: string) =>
  s
    .split(/[、,，;；\s]+/)
    .map((x) => x.trim())
    .filter(Boolean);

/**
 * Preview (commit = false) or import (commit = true) of a volunteer workbook: every row checked
 * like a registration (ID number, phone, community, consent), duplicates within the file and
 * against the database named per row; the import writes all rows or none.
 */
export async function importVolunteers(deps: Pick<Deps, 'db' | 'crypto'>, ctx: RequestContext, buffer: Buffer, commit: boolean): Promise<VolunteerImportPreview> {
  volunteersPolicy.requireManageUnit(ctx.actor, ctx.actor.unitPath);
  let grid: Awaited<ReturnType<typeof readFirstSheet>>;
  try {
    grid = await readFirstSheet(buffer, { maxRows: VOLUNTEER_IMPORT_MAX_ROWS, maxColumns: 40 });
  } catch (e) {
    if (!(e instanceof ExcelReadError)) throw e;
    throw new AppError(e.reason === 'not_xlsx' ? 'UNSUPPORTED_MEDIA_TYPE' : e.reason === 'too_large' ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST', e.message);
  }
  const headerAt = grid.rows.findIndex((r) => r.some((c) => c.trim() === '姓名') && r.some((c) => c.trim() === '证件号码'));
  if (headerAt < 0) throw new AppError('VALIDATION_FAILED', '未找到表头：第一行应包含“姓名”“证件号码”等列，请使用导入模板', [{ path: 'file', message: '未找到表头' }]);
  const header = grid.rows[headerAt].map((c) => c.trim().replace(/[*＊]/g, ''));
  const colOf = new Map(COLUMNS.map((c) => [c.key, header.indexOf(c.header)]));
  const missing = COLUMNS.filter((c) => c.required && colOf.get(c.key)! < 0).map((c) => c.header);
  if (missing.length) throw new AppError('VALIDATION_FAILED', `缺少必填列：${missing.join('、')}`, [{ path: 'file', message: `缺少必填列：${missing.join('、')}` }]);

  const communities = await listCommunities(deps.db);
  const units = new Map((await getUnitsByIds(deps.db, communities.map((c) => c.id))).map((u) => [u.id, u]));
  const byName = new Map<string, string[]>();
  for (const c of communities) {
    const keys = [c.name, `${(c.path_names ?? '').split(' / ').at(-1)}/${c.name}`];
    for (const k of keys) byName.set(k, [...(byName.get(k) ?? []), c.id]);
  }
  const scope = scopeFor(ctx.actor, 'write');
  const typeByLabel = new Map(Object.entries(ID_TYPE_LABELS).map(([k, v]) => [v, k as IdType]));
  const now = new Date();

  type Parsed = { input: ReturnType<typeof RegisterVolunteerRequest.parse>; person: ReturnType<typeof checkPerson>; community: { id: string; path: string } };
  const rows: VolunteerImportPreview['rows'] = [];
  const good: Parsed[] = [];
  const firstRowOfHash = new Map<string, number>();
  for (let i = headerAt + 1; i < grid.rows.length; i++) {
    const r = grid.rows[i];
    if (r.every((c) => !c.trim())) continue;
    const cell = (k: string) => (colOf.get(k)! >= 0 ? (r[colOf.get(k)!] ?? '').trim() : '');
    const rowNo = i + 1;
    const errors: { field: string; message: string }[] = [];
    const idType = cell('idType') ? typeByLabel.get(cell('idType')) : 'resident_id';
    if (!idType) errors.push({ field: '证件类型', message: `证件类型“${cell('idType')}”不在可选范围内` });
    const names = byName.get(cell('community').replace(/\s+/g, '')) ?? [];
    let community: { id: string; path: string } | null = null;
    if (!cell('community')) errors.push({ field: '所在社区', message: '请填写所在社区' });
    else if (names.length === 0) errors.push({ field: '所在社区', message: `未找到社区“${cell('community')}”` });
    else if (names.length > 1) errors.push({ field: '所在社区', message: `社区“${cell('community')}”有重名，请写成“街道/社区”` });
    else {
      const u = units.get(names[0])!;
      if (!inScope(scope, u.path)) errors.push({ field: '所在社区', message: `社区“${cell('community')}”不在您的管辖范围内` });
      community = { id: u.id, path: u.path };
    }
    if (cell('consent') !== '是') errors.push({ field: '本人同意', message: '代为登记须经本人同意，请填“是”' });
    const parsed = RegisterVolunteerRequest.safeParse({
      name: cell('name'),
      idType: idType ?? 'resident_id',
      idNumber: cell('idNumber'),
      birthDate: cell('birthDate') || undefined,
      gender: cell('gender') === '男' ? 'male' : cell('gender') === '女' ? 'female' : undefined,
      phone: cell('phone'),
      skills: split(cell('skills')),
      serviceAreas: split(cell('serviceAreas')),
      serviceTimes: split(cell('serviceTimes')),
      communityId: community?.id ?? '00000000-0000-0000-0000-000000000000',
      consent: true,
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors.push({ field: FIELD_LABELS[String(issue.path[0])] ?? String(issue.path[0]), message: issue.message });
    }
    let person: ReturnType<typeof checkPerson> | null = null;
    if (parsed.success) {
      try {
        person = checkPerson(deps, parsed.data, now, `rows.${rowNo}`);
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        for (const d of e.details ?? []) errors.push({ field: FIELD_LABELS[d.path.split('.').at(-1)!] ?? '证件号码', message: d.message });
      }
    }
    if (person) {
      const first = firstRowOfHash.get(person.idHash);
      if (first !== undefined) errors.push({ field: '证件号码', message: `与第 ${first} 行的证件号码重复` });
      else firstRowOfHash.set(person.idHash, rowNo);
    }
    const idMasked = person ? maskIdNumber(person.idNumber) : cell('idNumber') ? maskIdNumber(cell('idNumber').toUpperCase()) : '';
    rows.push({ row: rowNo, name: cell('name'), idType: idType ? ID_TYPE_LABELS[idType] : cell('idType'), idMasked, phoneMasked: cell('phone') ? maskPhone(cell('phone')) : '', community: cell('community'), errors });
    if (errors.length === 0 && parsed.success && person && community) good.push({ input: parsed.data, person, community });
  }
  if (rows.length === 0) throw new AppError('VALIDATION_FAILED', '文件中没有数据行', [{ path: 'file', message: '没有数据行' }]);
  // against the database: one query for every hash of the file
  const registered = await repo.existingIdHashes(deps.db, [...firstRowOfHash.keys()]);
  for (const row of rows) {
    const hash = [...firstRowOfHash.entries()].find(([, n]) => n === row.row)?.[0];
    if (hash && registered.has(hash)) row.errors.push({ field: '证件号码', message: '该证件号码已注册为志愿者' });
  }
  const valid = rows.filter((r) => r.errors.length === 0).length;
  if (!commit) return { total: rows.length, valid, rows, imported: null };
  if (valid !== rows.length) {
    const details = rows.flatMap((r) => r.errors.map((e) => ({ path: `rows.${r.row}.${e.field}`, message: `第 ${r.row} 行 ${e.field}：${e.message}` })));
    throw new AppError('IMPORT_INVALID', `有 ${rows.length - valid} 行不正确，整个文件未导入；请按预览修改后重新导入`, details.slice(0, 200));
  }
  await deps.db.transaction(async (tx) => {
    const numbers = await repo.nextVolunteerNumbers(tx, good.length);
    const values = [];
    for (const [i, g] of good.entries()) values.push(await volunteerRow({ ...deps, db: tx }, g.input, g.person, g.community, 'import', now, numbers[i]));
    await repo.insertVolunteers(tx, values);
    await audit(tx, ctx, { action: 'import', entity: 'volunteer', entityId: null, after: { rows: values.length, numbers: [values[0]?.number, values.at(-1)?.number] } });
  });
  return { total: rows.length, valid, rows, imported: good.length };
}
