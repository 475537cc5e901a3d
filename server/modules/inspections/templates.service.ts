import type { CreateTemplate, Fragment, ItemInput, TemplateDetail, TemplateModelInput, TemplateSummary, TemplateVersion } from '../../../contracts/inspections.ts';
import { type ChecklistItem, checkJudge, type Judge, toCenti } from '../../../domain/inspection-scoring.ts';
import type { Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import type { RequestContext } from '../../http/actor.ts';
import { AppError, notFound, staleVersion } from '../../http/errors.ts';
import { newId } from '../../lib/ids.ts';
import { audit } from '../audit/index.ts';
import { getIndicatorNodesByIds } from '../indicators/index.ts';
import { listIssueCategoryRows } from '../issues/index.ts';
import { inspectionsPolicy } from './inspections.policy.ts';
import * as repo from './inspections.repo.ts';
import type { TemplateModelJson } from './inspections.tables.ts';

type D = Pick<Deps, 'db'>;
const invalid = (path: string, message: string) => new AppError('VALIDATION_FAILED', message, [{ path, message }]);
const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

/** An item as entered (score in points) → the frozen shape (centi-points). */
export function itemFromInput(i: ItemInput): ChecklistItem {
  const j = i.judge;
  const judge: Judge = j.type === 'deduction' ? { type: 'deduction', perCaseCenti: toCenti(j.perCase) ?? -1, capCenti: toCenti(j.cap) ?? -1 } : j;
  return {
    key: i.key,
    group: i.group,
    text: i.text,
    standardIds: [...new Set(i.standardIds)],
    categoryId: i.categoryId,
    judge,
    scoreCenti: toCenti(i.score) ?? -1,
    protocol: i.protocol,
    photo: i.photo,
    exceptions: i.exceptions,
    naAllowed: i.naAllowed,
  };
}

export function modelFromInput(m: TemplateModelInput): TemplateModelJson {
  return { entries: m.entries.map((e) => (e.kind === 'item' ? { kind: 'item', item: itemFromInput(e.item) } : e)) };
}

/** Checks items against the reference data: groups, categories, indicator standards, judge parameters, unique keys. Errors name the item. */
export async function checkItems(db: Executor, items: { item: ChecklistItem; path: string }[]): Promise<void> {
  const groups = new Set((await repo.listGroups(db)).map((g) => g.code));
  const categories = new Map((await listIssueCategoryRows(db, false)).map((c) => [c.id, c]));
  const standardIds = [...new Set(items.flatMap((x) => x.item.standardIds))];
  const nodes = new Map((await getIndicatorNodesByIds(db, standardIds)).map((n) => [n.id, n]));
  const seen = new Set<string>();
  for (const { item, path } of items) {
    const name = `条目 ${item.key}`;
    if (seen.has(item.key)) throw invalid(`${path}.key`, `${name}：编号重复`);
    seen.add(item.key);
    if (item.scoreCenti < 0) throw invalid(`${path}.score`, `${name}：分值最多两位小数`);
    if (!groups.has(item.group)) throw invalid(`${path}.group`, `${name}：分组不存在`);
    if (!categories.has(item.categoryId)) throw invalid(`${path}.categoryId`, `${name}：问题分类不存在或已停用`);
    for (const id of item.standardIds) if (!nodes.get(id)?.isActive) throw invalid(`${path}.standardIds`, `${name}：关联的测评标准不存在或已停用`);
    const j = checkJudge(item.judge, item.scoreCenti);
    if (j) throw invalid(`${path}.judge`, `${name}：${j}`);
  }
}

/** A model's items with fragments resolved (in order), each with the path that names it in errors. */
export async function resolveModel(db: Executor, model: TemplateModelJson, basePath = 'body.model'): Promise<{ item: ChecklistItem; path: string }[]> {
  const fragIds = model.entries.flatMap((e) => (e.kind === 'fragment' ? [e.fragmentId] : []));
  const frags = new Map((await repo.getFragments(db, fragIds)).map((f) => [f.id, f]));
  return model.entries.flatMap((e, i) => {
    if (e.kind === 'item') return [{ item: e.item, path: `${basePath}.entries.${i}.item` }];
    const f = frags.get(e.fragmentId);
    if (!f) throw invalid(`${basePath}.entries.${i}.fragmentId`, '引用的通用条目组不存在');
    return f.items.map((item, k) => ({ item, path: `${basePath}.entries.${i}.fragment(${f.code}).${k}` }));
  });
}

function presentVersion(v: repo.VersionRow, resolved: ChecklistItem[]): TemplateVersion {
  return {
    id: v.id,
    templateId: v.templateId,
    number: v.number,
    status: v.status as 'draft' | 'published',
    model: v.model,
    items: v.items ?? resolved,
    publishedAt: iso(v.publishedAt),
    version: v.version,
  };
}

export async function listTemplates(deps: D, ctx: RequestContext): Promise<TemplateSummary[]> {
  inspectionsPolicy.readTemplates(ctx.actor);
  const rows = await repo.listTemplates(deps.db);
  const versions = await repo.listVersions(
    deps.db,
    rows.map((r) => r.id),
  );
  return rows.map((t) => {
    const vs = versions.filter((v) => v.templateId === t.id);
    const pub = vs.filter((v) => v.status === 'published').at(-1);
    return {
      id: t.id,
      name: t.name,
      description: t.description,
      systemId: t.systemId,
      pointTypes: t.point_types,
      latestPublished: pub?.number ?? null,
      hasDraft: vs.some((v) => v.status === 'draft'),
      itemCount: pub?.items?.length ?? 0,
      version: t.version,
    };
  });
}

export async function getTemplate(deps: D, ctx: RequestContext, id: string): Promise<TemplateDetail> {
  inspectionsPolicy.readTemplates(ctx.actor);
  return templateDetail(deps.db, id);
}

async function templateDetail(db: Executor, id: string): Promise<TemplateDetail> {
  const t = (await repo.listTemplates(db)).find((r) => r.id === id);
  if (!t) throw notFound('测评细则');
  const versions = await repo.listVersions(db, [id]);
  const presented = await Promise.all(versions.map(async (v) => presentVersion(v, v.items ?? (await resolveModel(db, v.model).catch(() => [])).map((x) => x.item))));
  const pub = versions.filter((v) => v.status === 'published').at(-1);
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    systemId: t.systemId,
    pointTypes: t.point_types,
    latestPublished: pub?.number ?? null,
    hasDraft: versions.some((v) => v.status === 'draft'),
    itemCount: pub?.items?.length ?? 0,
    version: t.version,
    versions: presented,
  };
}

export async function createTemplate(deps: D, ctx: RequestContext, input: CreateTemplate): Promise<TemplateDetail> {
  inspectionsPolicy.manageTemplates(ctx.actor);
  return deps.db.transaction(async (tx) => {
    const model = modelFromInput(input.model);
    await checkItems(tx, await resolveModel(tx, model));
    const id = newId();
    await repo.insertTemplate(tx, { id, name: input.name, description: input.description, systemId: input.systemId });
    await repo.insertTemplatePointTypes(
      tx,
      [...new Set(input.pointTypeIds)].map((pointTypeId) => ({ templateId: id, pointTypeId })),
    );
    const [v] = await repo.insertVersion(tx, { id: newId(), templateId: id, number: 1, status: 'draft', model });
    await audit(tx, ctx, { action: 'create', entity: 'inspection_template', entityId: id, after: { name: input.name, pointTypeIds: input.pointTypeIds, versionId: v.id } });
    return templateDetail(tx, id);
  });
}

/** Saves a draft (a published version is frozen: 409; a stale version: 409). */
export async function saveDraft(deps: D, ctx: RequestContext, versionId: string, input: { model: TemplateModelInput; version: number }): Promise<TemplateVersion> {
  inspectionsPolicy.manageTemplates(ctx.actor);
  return deps.db.transaction(async (tx) => {
    const v = await repo.getVersion(tx, versionId, true);
    if (!v) throw notFound('细则版本');
    if (v.status !== 'draft') throw new AppError('INVALID_STATE', `第 ${v.number} 版已发布，不能修改；请新建版本`);
    if (v.version !== input.version) throw staleVersion();
    const model = modelFromInput(input.model);
    const items = await resolveModel(tx, model);
    await checkItems(tx, items);
    const after = await repo.updateDraft(tx, versionId, input.version, { model });
    if (!after) throw staleVersion();
    await repo.touchTemplate(tx, v.templateId);
    await audit(tx, ctx, { action: 'update', entity: 'inspection_template_version', entityId: versionId, before: { items: v.model.entries.length, version: v.version }, after: { items: model.entries.length, version: after.version } });
    return presentVersion(
      after,
      items.map((x) => x.item),
    );
  });
}

/** Publishes a draft: fragments resolved and frozen with it. */
export async function publishVersion(deps: D, ctx: RequestContext, versionId: string, version: number): Promise<TemplateVersion> {
  inspectionsPolicy.manageTemplates(ctx.actor);
  return deps.db.transaction(async (tx) => {
    const v = await repo.getVersion(tx, versionId, true);
    if (!v) throw notFound('细则版本');
    if (v.status !== 'draft') throw new AppError('INVALID_STATE', `第 ${v.number} 版已发布`);
    if (v.version !== version) throw staleVersion();
    const resolved = await resolveModel(tx, v.model);
    await checkItems(tx, resolved);
    const items = resolved.map((x) => x.item);
    const after = await repo.updateDraft(tx, versionId, version, { status: 'published', items, publishedAt: new Date() });
    if (!after) throw staleVersion();
    await repo.touchTemplate(tx, v.templateId);
    await audit(tx, ctx, { action: 'publish', entity: 'inspection_template_version', entityId: versionId, after: { templateId: v.templateId, number: v.number, items: items.length } });
    return presentVersion(after, items);
  });
}

/** A new draft copied from the latest version (a published template is changed only this way). */
export async function newVersion(deps: D, ctx: RequestContext, templateId: string): Promise<TemplateVersion> {
  inspectionsPolicy.manageTemplates(ctx.actor);
  return deps.db.transaction(async (tx) => {
    const t = await repo.getTemplate(tx, templateId, true);
    if (!t) throw notFound('测评细则');
    const versions = await repo.listVersions(tx, [templateId]);
    if (versions.some((v) => v.status === 'draft')) throw new AppError('INVALID_STATE', '已有未发布的草稿版本，请先编辑或发布该草稿');
    const last = versions.at(-1)!;
    const [v] = await repo.insertVersion(tx, { id: newId(), templateId, number: last.number + 1, status: 'draft', model: last.model });
    await repo.touchTemplate(tx, templateId);
    await audit(tx, ctx, { action: 'new_version', entity: 'inspection_template', entityId: templateId, after: { versionId: v.id, number: v.number } });
    return presentVersion(
      v,
      (await resolveModel(tx, v.model)).map((x) => x.item),
    );
  });
}

export async function listFragments(deps: D, ctx: RequestContext): Promise<Fragment[]> {
  inspectionsPolicy.readTemplates(ctx.actor);
  return (await repo.listFragments(deps.db)).map((f) => ({ id: f.id, code: f.code, name: f.name, items: f.items, version: f.version }));
}

export async function createFragment(deps: D, ctx: RequestContext, input: { code: string; name: string; items: ItemInput[] }): Promise<Fragment> {
  inspectionsPolicy.manageTemplates(ctx.actor);
  return deps.db.transaction(async (tx) => {
    const items = input.items.map(itemFromInput);
    await checkItems(
      tx,
      items.map((item, i) => ({ item, path: `body.items.${i}` })),
    );
    const [f] = await repo.insertFragment(tx, { id: newId(), code: input.code, name: input.name, items });
    await audit(tx, ctx, { action: 'create', entity: 'inspection_fragment', entityId: f.id, after: { code: f.code, name: f.name, items: items.length } });
    return { id: f.id, code: f.code, name: f.name, items: f.items, version: f.version };
  });
}

export async function listGroups(deps: D, ctx: RequestContext) {
  inspectionsPolicy.readTemplates(ctx.actor);
  return repo.listGroups(deps.db);
}
