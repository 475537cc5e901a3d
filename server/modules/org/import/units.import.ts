import { CreateOrgUnitRequest, type OrgUnitKind, OrgUnitKindLabels, type OrgUnitSubKind, OrgUnitSubKindLabels } from '../../../../contracts/org.ts';
import { parseCount, toHalfWidth } from '../../../../domain/excel-values.ts';
import { childKindProblem, childPath } from '../../../../domain/org.ts';
import { searchTextOf } from '../../../../domain/pinyin.ts';
import { inScope } from '../../../http/policy.ts';
import { newId } from '../../../lib/ids.ts';
import { type AuditChange, audit } from '../../audit/index.ts';
import { staleVersion } from '../../../http/errors.ts';
import type { orgUnits } from '../org.tables.ts';
import * as repo from './import.repo.ts';
import { blankToNull, checkField, type ImportEnv, type KindImporter, type RowOutcome, RowErrors, type SourceRow } from './import.rows.ts';
import { UnitIndex } from './unit-index.ts';

const KIND_WORDS: Record<string, OrgUnitKind> = {
  区县: 'district',
  区: 'district',
  县: 'district',
  县区: 'district',
  '区/县': 'district',
  县级市: 'district',
  街道乡镇: 'street',
  街道: 'street',
  乡镇: 'street',
  乡: 'street',
  镇: 'street',
  街道办事处: 'street',
  '街道/乡镇': 'street',
  社区村: 'community',
  社区: 'community',
  村: 'community',
  '社区/村': 'community',
  居委会: 'community',
  村委会: 'community',
  部门: 'department',
  单位: 'unit',
};
const SUB_KIND_WORDS: Record<string, OrgUnitSubKind> = {
  ...Object.fromEntries(Object.entries(OrgUnitSubKindLabels).map(([k, v]) => [v, k as OrgUnitSubKind])),
  机关: 'agency',
  事业单位: 'agency',
  机关单位: 'agency',
  窗口: 'window',
  企业单位: 'enterprise',
  学校单位: 'school',
};

const shape = CreateOrgUnitRequest.shape;
const norm = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');

type UnitInsert = typeof orgUnits.$inferInsert;
type Draft = {
  src: SourceRow;
  errs: RowErrors;
  id: string;
  name: string;
  kind: OrgUnitKind | undefined;
  subKind: OrgUnitSubKind | null | undefined;
  /** the values to write; a field absent here is left unchanged on update */
  fields: Partial<UnitInsert>;
  existing: repo.UnitRow | undefined;
  /** the phone as typed (null: empty or masked), to tell an unchanged row */
  phone: string | null;
  /** upsert of a row identical to the stored unit: left alone, no checks, no write */
  unchanged: boolean;
  parent: { db: repo.UnitRow } | { file: Draft } | undefined;
  path: string | undefined;
  depth: number | undefined;
};
export type UnitPlan = { draft: Draft } | null;

function parseRow(env: ImportEnv, src: SourceRow): Draft {
  const errs = new RowErrors('units');
  const r = src.raw;
  const name = checkField(errs, 'name', shape.name, r.name ?? '') ?? '';
  let kind: OrgUnitKind | undefined;
  const kindText = norm(r.kind ?? '');
  if (!kindText) errs.add('kind', '请填写类型');
  else if (kindText === '市' || kindText === '市级') errs.add('kind', '不能导入市级单位');
  else {
    kind = KIND_WORDS[kindText] ?? (Object.keys(OrgUnitKindLabels).includes(kindText) ? (kindText as OrgUnitKind) : undefined);
    if (!kind) errs.add('kind', `类型应为：${Object.values(OrgUnitKindLabels).slice(1).join(' / ')}`);
  }
  let subKind: OrgUnitSubKind | null | undefined;
  const subText = norm(r.subKind ?? '');
  if (subText) {
    subKind = SUB_KIND_WORDS[subText];
    if (!subKind) errs.add('subKind', `类别应为：${Object.values(OrgUnitSubKindLabels).join(' / ')}`);
    else if (kind && kind !== 'department' && kind !== 'unit') errs.add('subKind', '只有部门和单位可以设置类别');
  }
  const fields: Partial<UnitInsert> = {};
  const set = <K extends keyof UnitInsert>(key: K, value: UnitInsert[K] | undefined, present: boolean) => {
    if (present && value !== undefined) fields[key] = value;
  };
  const code = blankToNull(toHalfWidth(r.divisionCode ?? ''));
  set('divisionCode', code ? checkField(errs, 'divisionCode', shape.divisionCode, code) : undefined, !!code);
  const credit = blankToNull(toHalfWidth(r.creditCode ?? '').toUpperCase());
  set('creditCode', credit ? checkField(errs, 'creditCode', shape.creditCode, credit) : undefined, !!credit);
  const address = blankToNull(r.address);
  set('address', address ? checkField(errs, 'address', shape.address, address) : undefined, !!address);
  const contactName = blankToNull(r.contactName);
  set('contactName', contactName ? checkField(errs, 'contactName', shape.contactName, contactName) : undefined, !!contactName);
  const phone = blankToNull(toHalfWidth(r.contactPhone ?? '').replace(/\s/g, ''));
  let plainPhone: string | null = null;
  if (phone?.includes('*')) {
    // an exported (masked) number: unchanged on update, meaningless on insert
    if (env.mode === 'insert') errs.add('contactPhone', '联系电话是脱敏号码，请填写完整号码');
  } else if (phone) {
    const p = checkField(errs, 'contactPhone', shape.contactPhone, phone);
    if (p) {
      fields.contactPhoneEnc = env.crypto.encrypt(p);
      plainPhone = p;
    }
  }
  const pop = parseCount(r.population ?? '');
  if (!pop.ok) errs.add('population', `常住人口${pop.error}`);
  else if (pop.value !== null) fields.population = pop.value;
  if (name) {
    fields.name = name;
    fields.searchText = searchTextOf(name);
  }
  if (kind) fields.kind = kind;
  if (subKind) fields.subKind = subKind;
  return { src, errs, id: newId(), name, kind, subKind, fields, existing: undefined, phone: plainPhone, unchanged: false, parent: undefined, path: undefined, depth: undefined };
}

const COMPARED = ['name', 'kind', 'subKind', 'divisionCode', 'creditCode', 'address', 'population', 'contactName'] as const;

/**
 * Whether an upsert row says nothing new about its stored unit: same values where given, same
 * parent. Such rows (a district's own unit in its re-imported export) are left alone.
 */
function isUnchanged(env: ImportEnv, index: UnitIndex<repo.UnitRow>, d: Draft): boolean {
  const e = d.existing!;
  if (!e.isActive || d.errs.has() || !e.parentId) return false;
  if (!COMPARED.every((k) => d.fields[k] === undefined || d.fields[k] === e[k])) return false;
  if (d.phone !== null && (!e.contactPhoneEnc || env.crypto.decrypt(e.contactPhoneEnc) !== d.phone)) return false;
  const parent = index.get(e.parentId);
  if (!parent) return false;
  const parentText = norm(d.src.raw.parent ?? '');
  const parentCode = toHalfWidth(d.src.raw.parentCode ?? '').trim();
  return parentCode ? parentCode === parent.divisionCode : parentText === norm(parent.name) || (!!parent.divisionCode && parentText === parent.divisionCode);
}

async function validate(env: ImportEnv, rows: SourceRow[]): Promise<RowOutcome<UnitPlan>[]> {
  const all = await repo.allUnits(env.db);
  const index = new UnitIndex(all);
  const drafts = rows.map((src) => parseRow(env, src));
  const byName = new Map<string, Draft[]>();
  const byCode = new Map<string, Draft>();
  for (const d of drafts) {
    if (d.name) byName.set(norm(d.name), [...(byName.get(norm(d.name)) ?? []), d]);
    const code = d.fields.divisionCode;
    if (code) {
      const first = byCode.get(code);
      if (first) d.errs.add('divisionCode', `区划代码与第 ${first.src.row} 行重复`);
      else byCode.set(code, d);
    }
  }
  const activeChildren = new Map<string, repo.UnitRow>();
  for (const u of all) if (u.isActive && u.parentId) activeChildren.set(`${u.parentId}|${norm(u.name)}`, u);
  const childOf = (parentId: string, name: string) => activeChildren.get(`${parentId}|${norm(name)}`);

  // Pass A — which rows are units already in the database: same 区划代码, or same name under the same (existing) parent.
  for (const d of drafts) {
    const code = d.fields.divisionCode;
    const byDbCode = code ? index.withCode(code) : undefined;
    if (byDbCode) {
      d.existing = byDbCode;
      continue;
    }
    const parentText = (d.src.raw.parent ?? '').trim();
    const parentCode = toHalfWidth(d.src.raw.parentCode ?? '').trim();
    const dbParent = parentCode ? index.withCode(parentCode) : parentText ? index.resolve(parentText, { scope: env.scope, what: '' }).unit : undefined;
    if (dbParent && d.name) d.existing = childOf(dbParent.id, d.name);
  }
  for (const d of drafts) {
    if (!d.existing) continue;
    d.id = d.existing.id;
    d.unchanged = env.mode === 'upsert' && isUnchanged(env, index, d);
  }

  // Pass B — parents: a unit of the database or a row of this file.
  for (const d of drafts) {
    const stored = d.unchanged && d.existing?.parentId ? index.get(d.existing.parentId) : undefined;
    if (stored) {
      d.parent = { db: stored };
      continue;
    }
    const parentText = (d.src.raw.parent ?? '').trim();
    const parentCode = toHalfWidth(d.src.raw.parentCode ?? '').trim();
    if (parentCode) {
      const db = index.withCode(parentCode);
      const file = byCode.get(parentCode);
      if (db?.isActive) d.parent = { db };
      else if (file && file !== d) d.parent = { file };
      else d.errs.add('parentCode', db ? `上级区划代码「${parentCode}」对应的单位已停用` : `上级区划代码「${parentCode}」不存在`);
      continue;
    }
    if (!parentText) {
      d.errs.add('parent', '请填写上级单位（或上级区划代码）');
      continue;
    }
    if (/[/／>＞]/.test(parentText) || /^\d{6,12}$/.test(parentText)) {
      const fileByCode = byCode.get(parentText);
      const res = index.resolve(parentText, { scope: env.scope, what: '上级单位' });
      if (res.unit) d.parent = { db: res.unit };
      else if (fileByCode && fileByCode !== d) d.parent = { file: fileByCode };
      else d.errs.add('parent', res.error);
      continue;
    }
    const dbCands = index.named(parentText).filter((u) => inScope(env.scope, u.path));
    const fileCands = (byName.get(norm(parentText)) ?? []).filter((f) => f !== d && !(f.existing && dbCands.some((u) => u.id === f.existing?.id)));
    const n = dbCands.length + fileCands.length;
    if (n === 0) {
      d.errs.add('parent', index.named(parentText).length ? `上级单位「${parentText}」不在您的管辖范围内` : `上级单位「${parentText}」不存在（系统和本文件中都没有）`);
    } else if (n > 1) {
      d.errs.add('parent', `上级单位「${parentText}」有 ${n} 个重名单位，请填写上级区划代码`);
    } else if (dbCands.length) d.parent = { db: dbCands[0] };
    else d.parent = { file: fileCands[0] };
  }

  // Paths in dependency order: a row whose parent is another row waits for it; what never resolves is a cycle.
  let pending = drafts.filter((d) => d.parent);
  for (let progress = true; progress && pending.length; ) {
    progress = false;
    const next: Draft[] = [];
    for (const d of pending) {
      const p = d.parent!;
      const base = 'db' in p ? { path: p.db.path, depth: p.db.depth } : p.file.path !== undefined ? { path: p.file.path, depth: p.file.depth! } : null;
      if (!base) {
        next.push(d);
        continue;
      }
      d.path = d.existing ? d.existing.path : childPath(base.path, d.id);
      d.depth = base.depth + 1;
      progress = true;
    }
    pending = next;
  }
  for (const d of pending) {
    // follow the chain of rows up: it ends in a row without a parent (an error there) or loops
    const seen = new Set<Draft>([d]);
    let cur = (d.parent as { file: Draft }).file;
    while (cur.parent && 'file' in cur.parent && !seen.has(cur)) {
      seen.add(cur);
      cur = cur.parent.file;
    }
    d.errs.add('parent', seen.has(cur) ? '上级单位循环引用（本文件中的行互为上级）' : `上级单位「${cur.name}」所在的第 ${cur.src.row} 行有错误`);
  }

  // Rules per row, now that every parent is known.
  const siblings = new Map<string, number>();
  const actorDepth = env.ctx.actor.unitPath.split('/').filter(Boolean).length;
  for (const d of drafts) {
    const p = d.parent;
    if (!p || d.path === undefined) continue;
    const parentId = 'db' in p ? p.db.id : p.file.id;
    const parentKind = ('db' in p ? p.db.kind : p.file.kind) as OrgUnitKind | undefined;
    const parentPath = 'db' in p ? p.db.path : p.file.path!;
    if (!d.unchanged && !inScope(env.scope, parentPath)) d.errs.add('parent', '上级单位不在您的管辖范围内');
    if (parentKind && d.kind && !d.unchanged) {
      const problem = childKindProblem(parentKind, d.kind);
      if (problem) d.errs.add('kind', `${OrgUnitKindLabels[parentKind]}下不能设立${OrgUnitKindLabels[d.kind]}`);
    }
    const key = `${parentId}|${norm(d.name)}`;
    const first = siblings.get(key);
    if (d.name && first !== undefined) d.errs.add('name', `与第 ${first} 行重复（同一上级下同名）`);
    else if (d.name) siblings.set(key, d.src.row);
    if (d.unchanged) continue;
    const code = d.fields.divisionCode;
    const holder = code ? index.withCode(code) : undefined;
    if (holder && holder.id !== d.existing?.id) d.errs.add('divisionCode', `区划代码已被「${holder.name}」使用`);
    if (d.existing) {
      if (env.mode === 'insert') {
        d.errs.add(d.fields.divisionCode && d.existing.divisionCode === d.fields.divisionCode ? 'divisionCode' : 'name', `单位「${d.existing.name}」已存在（如需更新请选择“更新已有”模式）`);
      } else {
        if (!d.existing.isActive) d.errs.add('name', `单位「${d.existing.name}」已停用，请先在系统中启用`);
        if (d.existing.parentId !== parentId) d.errs.add('parent', '上级单位与系统中不一致；调整隶属关系请在系统中使用“移动”');
        if (!inScope(env.scope, d.existing.path)) d.errs.add('name', '该单位不在您的管辖范围内');
        if (d.existing.path === env.ctx.actor.unitPath && actorDepth > 1) d.errs.add('name', '本单位信息由上级维护');
        const kind = d.kind ?? (d.existing.kind as OrgUnitKind);
        const sub = d.subKind === undefined ? d.existing.subKind : d.subKind;
        if (sub && kind !== 'department' && kind !== 'unit') d.errs.add('subKind', '只有部门和单位可以设置类别');
      }
    }
  }

  return drafts.map((d) => ({ row: d.src.row, data: d.src.raw, errors: d.errs.list, action: d.existing ? 'update' : 'insert', plan: { draft: d } }));
}

const auditForm = (row: Partial<UnitInsert>) => {
  const { contactPhoneEnc, searchText, ...rest } = row;
  return { ...rest, contactPhone: contactPhoneEnc ? '***' : null };
};

async function write(env: ImportEnv, outcomes: RowOutcome<UnitPlan>[]) {
  const drafts = outcomes.map((o) => o.plan!.draft);
  // parents before children: sort by depth
  const inserts = drafts.filter((d) => !d.existing).sort((a, b) => a.depth! - b.depth!);
  const rows: UnitInsert[] = inserts.map((d) => {
    const p = d.parent!;
    return {
      ...d.fields,
      id: d.id,
      parentId: 'db' in p ? p.db.id : p.file.id,
      path: d.path!,
      depth: d.depth!,
      name: d.name,
      kind: d.kind!,
      searchText: searchTextOf(d.name),
    };
  });
  await repo.insertUnits(env.db, rows);
  const changes: AuditChange[] = rows.map((r) => ({ action: 'create', entity: 'org_unit', entityId: r.id, after: auditForm(r) }));
  let updated = 0;
  for (const d of drafts.filter((x) => x.existing && !x.unchanged)) {
    const before = d.existing!;
    const after = await repo.updateUnitRow(env.db, before.id, before.version, d.fields);
    if (!after) throw staleVersion();
    changes.push({ action: 'update', entity: 'org_unit', entityId: before.id, before: auditForm(before), after: auditForm(after) });
    updated++;
  }
  for (let i = 0; i < changes.length; i += 500) await audit(env.db, env.ctx, ...changes.slice(i, i + 500));
  return { inserted: rows.length, updated };
}

export const unitsImporter: KindImporter<UnitPlan> = { validate, write };
