import { formatDate } from '../../../../domain/cn-date.ts';
import { Readable } from 'node:stream';
import type {
  AddActivityRequest,
  ArchiveQuery,
  Counts,
  CreateRequirementRequest,
  EvidenceDetail,
  EvidenceEvent,
  EvidenceItem,
  EvidenceRequirement,
  EvidenceSystem,
  GenerateRequest,
  GenerateResult,
  ListItemsQuery,
  ListRequirementsQuery,
  Matrix,
  MatrixQuery,
  ReviewQueueQuery,
  ReviewRequest,
  SaveItemRequest,
  SubmitItemRequest,
  UpdateRequirementRequest,
} from '../../../../contracts/evidence.ts';
import type { Paged } from '../../../../contracts/common.ts';
import { CreateRequirementRequest as CreateRequirementSchema, SubmitItemRequest as SubmitSchema } from '../../../../contracts/evidence.ts';
import { evidenceFileName, itemFolder, NameRegistry, safeName } from '../../../../domain/evidence-archive.ts';
import { applyEvidenceAction, type EvidenceAction, EvidenceActionLabels, type EvidenceState, EvidenceStateLabels, fileActionFrom } from '../../../../domain/evidence-flow.ts';
import { addCounts, ZERO } from '../../../../domain/evidence-matrix.ts';
import { compareEvidenceNumbers, compareIndicatorCodes, formatEvidenceNumber, formatSequence, parseIndicatorCode } from '../../../../domain/evidence-number.ts';
import { comparePeriodKeys, duePeriods, periodLabel, periodOf, type Recurrence } from '../../../../domain/evidence-periods.ts';
import type { Executor } from '../../../db/client.ts';
import type { Deps } from '../../../deps.ts';
import type { Actor, RequestContext } from '../../../http/actor.ts';
import { AppError, forbidden, notFound, staleVersion } from '../../../http/errors.ts';
import { inScope } from '../../../http/policy.ts';
import { writeWorkbook } from '../../../lib/excel.ts';
import { newId } from '../../../lib/ids.ts';
import { audit } from '../../audit/index.ts';
import { attachFiles, listOwnerFiles } from '../../files/index.ts';
import { evidencePolicy, evidenceScopeCond } from './evidence.policy.ts';
import * as repo from './evidence.repo.ts';
import { type ZipEntry, zipChunks } from './zip.ts';

type EvDeps = Pick<Deps, 'db'>;

const invalid = (path: string, message: string) => new AppError('VALIDATION_FAILED', message, [{ path, message }]);
const iso = (v: string | Date | null): string | null => (v === null ? null : new Date(v).toISOString());
const idsOf = (v: string[] | string): string[] => (typeof v === 'string' ? (JSON.parse(v) as string[]) : v);
/** Today's calendar date in China Standard Time. */
export const todayCst = (now = new Date()): string => new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/** At most this many new slots from one generation call (a runaway requirement must not fill the table). */
const MAX_GENERATE = 200_000;

// ─── presenters ───────────────────────────────────────────────────────────────

function presentRequirement(r: repo.RequirementViewRow): EvidenceRequirement {
  return {
    id: r.id,
    systemId: r.system_id,
    standardId: r.standard_id,
    standardCode: r.standard_code,
    standardText: r.standard_text,
    unitId: r.unit_id,
    unitName: r.unit_name,
    recurrence: r.recurrence,
    title: r.title,
    description: r.description,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    isActive: r.is_active,
    itemCount: r.item_count,
    version: r.version,
  };
}

function presentItem(r: repo.ItemViewRow): EvidenceItem {
  return {
    id: r.id,
    requirementId: r.requirement_id,
    requirementTitle: r.requirement_title,
    requirementDescription: r.requirement_description,
    recurrence: r.recurrence,
    systemId: r.system_id,
    standardId: r.standard_id,
    standardCode: r.standard_code,
    standardText: r.standard_text,
    itemNodeId: r.item_node_id,
    itemCode: r.item_code,
    itemText: r.item_text,
    unitId: r.unit_id,
    unitName: r.unit_name,
    periodKey: r.period_key,
    periodLabel: r.period_key === 'once' || r.period_key === 'activity' ? periodOf(r.recurrence, r.period_start, r.period_start, r.period_end).label : periodLabel(r.period_key),
    periodStart: r.period_start,
    periodEnd: r.period_end,
    slot: r.slot,
    number: r.number,
    title: r.title,
    evidenceDate: r.evidence_date,
    description: r.description,
    state: r.state,
    returnReason: r.return_reason,
    fileCount: idsOf(r.file_ids).length,
    isOverdue: r.is_overdue,
    submittedAt: iso(r.submitted_at),
    submittedByName: r.submitted_by_name,
    reviewedAt: iso(r.reviewed_at),
    reviewedByName: r.reviewed_by_name,
    version: r.version,
    updatedAt: iso(r.updated_at)!,
  };
}

function presentEvent(e: repo.EventViewRow): EvidenceEvent {
  const data = typeof e.data === 'string' ? (JSON.parse(e.data) as Record<string, unknown>) : e.data;
  return {
    id: Number(e.id),
    action: e.action,
    actionLabel: EvidenceActionLabels[e.action as keyof typeof EvidenceActionLabels] ?? e.action,
    fromState: e.from_state,
    toState: e.to_state,
    actorName: e.actor_name,
    actorUnitName: e.actor_unit_name,
    note: e.note,
    fileIds: Array.isArray(data.fileIds) ? (data.fileIds as string[]) : [],
    at: iso(e.at)!,
  };
}

const itemAudit = (i: repo.ItemRow) => ({
  requirementId: i.requirementId,
  unitId: i.unitId,
  periodKey: i.periodKey,
  slot: i.slot,
  number: i.number,
  title: i.title,
  evidenceDate: i.evidenceDate,
  description: i.description,
  state: i.state,
  fileIds: i.fileIds,
  returnReason: i.returnReason,
  version: i.version,
});

// ─── systems ──────────────────────────────────────────────────────────────────

export async function listSystems(deps: EvDeps, ctx: RequestContext): Promise<EvidenceSystem[]> {
  evidencePolicy.read(ctx.actor);
  return (await repo.listSystems(deps.db)).map((s) => ({ id: s.id, name: s.name, year: s.year, status: s.status, requirementCount: s.requirement_count }));
}

// ─── requirements ─────────────────────────────────────────────────────────────

export async function listRequirements(deps: EvDeps, ctx: RequestContext, q: ListRequirementsQuery): Promise<Paged<EvidenceRequirement>> {
  evidencePolicy.read(ctx.actor);
  const { page, pageSize, ...f } = q;
  const { items, total } = await repo.listRequirements(deps.db, f, page, pageSize);
  return { items: items.map(presentRequirement), total, page, pageSize };
}

/** Creates the due slots of one requirement up to a date; returns how many were new. */
async function generateFor(tx: Executor, ctx: RequestContext | null, r: repo.RequirementRow, asOf: string, budget: { left: number }): Promise<number> {
  const [std] = await repo.getNodes(tx, [r.standardId]);
  if (!std) return 0;
  const periods = duePeriods(r.recurrence as Recurrence, r.startsOn, r.endsOn, asOf);
  if (periods.length === 0) return 0;
  const units = await repo.unitsOfRequirement(tx, r);
  const rows: repo.NewItemRow[] = [];
  for (const u of units) {
    for (const p of periods) {
      rows.push({
        id: newId(),
        requirementId: r.id,
        systemId: r.systemId,
        standardId: r.standardId,
        itemNodeId: std.item_id,
        unitId: u.id,
        unitPath: u.path,
        periodKey: p.key,
        periodStart: p.start,
        periodEnd: p.end,
        slot: 1,
      });
    }
  }
  if (rows.length > budget.left) throw new AppError('BUSINESS_RULE', `一次最多生成 ${MAX_GENERATE} 份待报材料，请缩小范围（按材料要求逐条生成）`);
  const created = await repo.insertItems(tx, rows);
  budget.left -= created.length;
  await repo.insertEvents(
    tx,
    created.map((c) => ({ itemId: c.id, action: 'generate', fromState: null, toState: 'draft', actorId: ctx?.actor.userId ?? null, actorUnitId: ctx?.actor.unitId ?? null })),
  );
  return created.length;
}

async function checkStandard(db: Executor, standardId: string) {
  const [std] = await repo.getNodes(db, [standardId]);
  if (!std?.is_active) throw invalid('body.standardId', '测评标准不存在或已停用');
  if (std.level === 'item') throw invalid('body.standardId', '材料要求须挂在测评标准（或测评内容）上，不能挂在测评项目上');
  return std;
}

export async function createRequirement(deps: EvDeps, ctx: RequestContext, raw: CreateRequirementRequest): Promise<EvidenceRequirement> {
  evidencePolicy.manage(ctx.actor);
  const input = CreateRequirementSchema.parse(raw);
  return deps.db.transaction(async (tx) => {
    const std = await checkStandard(tx, input.standardId);
    if (input.unitId) {
      const [unit] = await repo.getUnits(tx, [input.unitId]);
      if (!unit?.is_active) throw invalid('body.unitId', '单位不存在或已停用');
    }
    const row = await repo.insertRequirement(tx, {
      id: newId(),
      systemId: std.system_id,
      standardId: std.id,
      unitId: input.unitId,
      recurrence: input.recurrence,
      title: input.title,
      description: input.description,
      startsOn: input.startsOn,
      endsOn: input.endsOn,
      createdBy: ctx.actor.userId,
    });
    const created = input.generate ? await generateFor(tx, ctx, row, todayCst(), { left: MAX_GENERATE }) : 0;
    await audit(tx, ctx, {
      action: 'create',
      entity: 'evidence_requirement',
      entityId: row.id,
      after: { standardId: row.standardId, unitId: row.unitId, recurrence: row.recurrence, title: row.title, startsOn: row.startsOn, endsOn: row.endsOn, generated: created },
    });
    return presentRequirement((await repo.getRequirementView(tx, row.id))!);
  });
}

export async function updateRequirement(deps: EvDeps, ctx: RequestContext, id: string, input: UpdateRequirementRequest): Promise<EvidenceRequirement> {
  evidencePolicy.manage(ctx.actor);
  return deps.db.transaction(async (tx) => {
    const before = await repo.getRequirement(tx, id, true);
    if (!before) throw notFound('材料要求');
    if (before.version !== input.version) throw staleVersion();
    const { version, ...patch } = input;
    if (patch.endsOn && patch.endsOn < before.startsOn) throw invalid('body.endsOn', '截止日期不能早于起始日期');
    const after = await repo.updateRequirement(tx, id, version, patch);
    if (!after) throw staleVersion();
    const pick = (r: repo.RequirementRow) => ({ title: r.title, description: r.description, endsOn: r.endsOn, isActive: r.isActive, version: r.version });
    await audit(tx, ctx, { action: 'update', entity: 'evidence_requirement', entityId: id, before: pick(before), after: pick(after) });
    return presentRequirement((await repo.getRequirementView(tx, id))!);
  });
}

/**
 * 生成待报材料: for every active requirement of a system (or one requirement), a 待提交 item per
 * unit and period that has begun by asOf; existing slots are kept as they are. Idempotent.
 */
export async function generate(deps: EvDeps, ctx: RequestContext | null, input: GenerateRequest): Promise<GenerateResult> {
  if (ctx) evidencePolicy.manage(ctx.actor);
  const asOf = input.asOf ?? todayCst();
  return deps.db.transaction(async (tx) => {
    const reqs = await repo.activeRequirements(tx, input);
    if (input.requirementId && reqs.length === 0) throw invalid('body.requirementId', '材料要求不存在或已停用');
    const budget = { left: MAX_GENERATE };
    let created = 0;
    for (const r of reqs) created += await generateFor(tx, ctx, r, asOf, budget);
    if (ctx) await audit(tx, ctx, { action: 'generate', entity: 'evidence_requirement', entityId: input.requirementId ?? input.systemId ?? null, after: { asOf, requirements: reqs.length, created } });
    return { requirements: reqs.length, created, asOf };
  });
}

/**
 * The calendar's 生成待报材料: every active requirement, each in its own transaction, up to the
 * Beijing day `asOf` — run daily by the schedule `evidence.generate-due` (evidence.schedules.ts),
 * so a new month's or quarter's items appear when their period opens without anyone clicking.
 * Idempotent; audited as 系统 when anything was created.
 */
export async function generateAllDue(
  deps: EvDeps,
  opts: { asOf?: string; progress?: (done: number, total: number) => Promise<void>; throwIfCancelled?: () => void } = {},
): Promise<GenerateResult> {
  const asOf = opts.asOf ?? todayCst();
  const reqs = await repo.activeRequirements(deps.db, {});
  let created = 0;
  for (let i = 0; i < reqs.length; i++) {
    opts.throwIfCancelled?.();
    created += await deps.db.transaction(async (tx) => {
      const n = await generateFor(tx, null, reqs[i], asOf, { left: MAX_GENERATE });
      if (n > 0) await audit(tx, null, { action: 'generate', entity: 'evidence_requirement', entityId: reqs[i].id, after: { asOf, created: n, by: 'schedule' } });
      return n;
    });
    await opts.progress?.(i + 1, reqs.length);
  }
  return { requirements: reqs.length, created, asOf };
}

// ─── items ────────────────────────────────────────────────────────────────────

export async function listItems(deps: EvDeps, ctx: RequestContext, q: ListItemsQuery): Promise<Paged<EvidenceItem>> {
  const scope = evidencePolicy.read(ctx.actor);
  const { page, pageSize, mine, rootUnitId, ...f } = q;
  const filter: repo.ItemFilter = { ...f };
  if (mine === 'true') filter.unitId = ctx.actor.unitId;
  if (rootUnitId) {
    const [unit] = await repo.getUnits(deps.db, [rootUnitId]);
    if (!unit) throw invalid('querystring.rootUnitId', '所选单位不存在');
    filter.rootPath = unit.path;
  }
  const { items, total } = await repo.listItems(deps.db, evidenceScopeCond(scope), filter, mine === 'true' ? 'due' : 'number', page, pageSize);
  return { items: items.map(presentItem), total, page, pageSize };
}

/** An item the actor may see, or 404 (another unit's evidence is not even acknowledged). */
async function visibleItem(db: Executor, actor: Actor, id: string, forUpdate = false): Promise<repo.ItemRow> {
  evidencePolicy.read(actor);
  const row = await repo.getItem(db, id, forUpdate);
  if (!row || !evidencePolicy.canSee(actor, row)) throw notFound('材料');
  return row;
}

async function detail(db: Executor, actor: Actor, id: string): Promise<EvidenceDetail> {
  const view = (await repo.getItemView(db, id))!;
  const facts = { unitId: view.unit_id, unitPath: view.unit_path };
  const allowed: EvidenceDetail['allowed'] = [];
  if (evidencePolicy.canFile(actor, facts)) {
    const a = fileActionFrom(view.state);
    if (a) allowed.push('save', a);
  }
  if (view.state === 'submitted' && evidencePolicy.canReview(actor, facts)) allowed.push('approve', 'return');
  const files = await listOwnerFiles(db, 'evidence_item', id);
  const current = idsOf(view.file_ids);
  const order = new Map(current.map((f, i) => [f, i]));
  return {
    ...presentItem(view),
    // the current files first, in the order filed; earlier ones (left out by a resubmission) after
    files: files.sort((a, b) => (order.get(a.id) ?? 1e9) - (order.get(b.id) ?? 1e9)),
    events: (await repo.listEvents(db, id)).map(presentEvent),
    allowed,
  };
}

export async function getItem(deps: EvDeps, ctx: RequestContext, id: string): Promise<EvidenceDetail> {
  await visibleItem(deps.db, ctx.actor, id);
  return detail(deps.db, ctx.actor, id);
}

/** One more item of a per-activity requirement for the actor's unit (each activity is one item). */
export async function addActivity(deps: EvDeps, ctx: RequestContext, input: AddActivityRequest): Promise<EvidenceDetail> {
  return deps.db.transaction(async (tx) => {
    const r = await repo.getRequirement(tx, input.requirementId, true);
    if (!r?.isActive) throw invalid('body.requirementId', '材料要求不存在或已停用');
    if (r.recurrence !== 'per_activity') throw invalid('body.requirementId', '只有“每次活动”报送的材料要求可以新增一份材料；其他要求按期生成');
    const units = await repo.unitsOfRequirement(tx, r);
    const mine = units.find((u) => u.id === ctx.actor.unitId);
    evidencePolicy.requireFile(ctx.actor, { unitId: mine?.id ?? '', unitPath: mine?.path ?? '' });
    const [std] = await repo.getNodes(tx, [r.standardId]);
    const period = periodOf('per_activity', r.startsOn, r.startsOn, r.endsOn);
    const slot = (await repo.maxSlot(tx, r.id, ctx.actor.unitId, period.key)) + 1;
    const [created] = await repo.insertItems(tx, [
      {
        id: newId(),
        requirementId: r.id,
        systemId: r.systemId,
        standardId: r.standardId,
        itemNodeId: std.item_id,
        unitId: mine!.id,
        unitPath: mine!.path,
        periodKey: period.key,
        periodStart: period.start,
        periodEnd: period.end,
        slot,
      },
    ]);
    if (!created) throw new AppError('CONFLICT', '同时新增了另一份材料，请刷新后重试');
    await repo.insertEvents(tx, [{ itemId: created.id, action: 'create', fromState: null, toState: 'draft', actorId: ctx.actor.userId, actorUnitId: ctx.actor.unitId }]);
    const row = (await repo.getItem(tx, created.id))!;
    await audit(tx, ctx, { action: 'create', entity: 'evidence_item', entityId: row.id, after: itemAudit(row) });
    return detail(tx, ctx.actor, row.id);
  });
}

/** The file set of a filing: files already on the item, or the actor's own unattached uploads (attached now). */
async function claimFiles(tx: Executor, ctx: RequestContext, itemId: string, fileIds: string[]): Promise<string[]> {
  const unique = [...new Set(fileIds)];
  if (unique.length === 0) return [];
  const owned = await repo.ownedFileIds(tx, itemId);
  const fresh = unique.filter((f) => !owned.has(f));
  if (fresh.length) await attachFiles(tx, fresh, 'evidence_item', itemId, ctx);
  return unique;
}

const filable = (row: repo.ItemRow) => {
  if (!fileActionFrom(row.state as EvidenceState)) {
    throw new AppError('INVALID_STATE', `该材料当前为「${EvidenceStateLabels[row.state as EvidenceState]}」，不能再修改或提交`, [{ path: 'state', message: row.state }]);
  }
};

/** 保存: the unit keeps what it has (title, date, description, files) without submitting. */
export async function saveItem(deps: EvDeps, ctx: RequestContext, id: string, input: SaveItemRequest): Promise<EvidenceDetail> {
  return deps.db.transaction(async (tx) => {
    const row = await visibleItem(tx, ctx.actor, id, true);
    evidencePolicy.requireFile(ctx.actor, row);
    filable(row);
    if (row.version !== input.version) throw staleVersion();
    const patch: Partial<repo.ItemRow> = {};
    if (input.title !== undefined) patch.title = input.title;
    if (input.evidenceDate !== undefined) patch.evidenceDate = input.evidenceDate;
    if (input.description !== undefined) patch.description = input.description;
    if (input.fileIds) patch.fileIds = await claimFiles(tx, ctx, id, input.fileIds);
    const after = await repo.updateItem(tx, id, row.version, patch);
    if (!after) throw staleVersion();
    await audit(tx, ctx, { action: 'update', entity: 'evidence_item', entityId: id, before: itemAudit(row), after: itemAudit(after) });
    return detail(tx, ctx.actor, id);
  });
}

/** The city's number of the next evidence filed under a standard: Ⅱ-1-1)-①. */
async function assignNumber(tx: Executor, standardId: string): Promise<{ number: string; seq: number }> {
  const [std] = await repo.getNodes(tx, [standardId]);
  const seq = await repo.nextSeq(tx, standardId);
  const code = parseIndicatorCode(std.code);
  const number = code.ok ? formatEvidenceNumber({ indicator: code.value, seq }) : `${std.code})-${formatSequence(seq)}`;
  return { number, seq };
}

/** 提交 / 重新提交: from 待提交 or 退回 to 已提交, with title, date, description and at least one file. */
export async function submitItem(deps: EvDeps, ctx: RequestContext, id: string, raw: SubmitItemRequest): Promise<EvidenceDetail> {
  const input = SubmitSchema.parse(raw);
  return deps.db.transaction(async (tx) => {
    const row = await visibleItem(tx, ctx.actor, id, true);
    evidencePolicy.requireFile(ctx.actor, row);
    const action = fileActionFrom(row.state as EvidenceState);
    if (!action) filable(row);
    if (row.version !== input.version) throw staleVersion();
    const result = applyEvidenceAction(row.state as EvidenceState, action as EvidenceAction);
    if (!result.ok) throw new AppError('INVALID_STATE', result.message);
    const fileIds = await claimFiles(tx, ctx, id, input.fileIds);
    const numbering = row.number ? {} : await assignNumber(tx, row.standardId);
    const now = new Date();
    const after = await repo.updateItem(tx, id, row.version, {
      ...numbering,
      title: input.title,
      evidenceDate: input.evidenceDate,
      description: input.description,
      fileIds,
      state: result.to,
      submittedAt: now,
      submittedBy: ctx.actor.userId,
    });
    if (!after) throw staleVersion();
    await repo.insertEvents(tx, [
      { itemId: id, action: action!, fromState: row.state, toState: result.to, actorId: ctx.actor.userId, actorUnitId: ctx.actor.unitId, data: { fileIds, title: input.title, number: after.number } },
    ]);
    await audit(tx, ctx, { action: action!, entity: 'evidence_item', entityId: id, before: itemAudit(row), after: itemAudit(after) });
    return detail(tx, ctx.actor, id);
  });
}

/** 审核: approve, or return with a reason; an item already reviewed (or not submitted) answers 409. */
export async function reviewItem(deps: EvDeps, ctx: RequestContext, id: string, input: ReviewRequest): Promise<EvidenceDetail> {
  return deps.db.transaction(async (tx) => {
    const row = await visibleItem(tx, ctx.actor, id, true);
    evidencePolicy.requireReview(ctx.actor, row);
    const result = applyEvidenceAction(row.state as EvidenceState, input.action, input.reason);
    if (!result.ok) {
      if (result.code === 'REASON_REQUIRED') throw invalid('body.reason', result.message);
      throw new AppError('INVALID_STATE', result.message, [{ path: 'state', message: row.state }]);
    }
    if (input.version !== undefined && input.version !== row.version) throw staleVersion();
    const after = await repo.updateItem(tx, id, row.version, {
      state: result.to,
      reviewedAt: new Date(),
      reviewedBy: ctx.actor.userId,
      ...(input.action === 'return' && { returnReason: input.reason ?? null }),
    });
    if (!after) throw staleVersion();
    await repo.insertEvents(tx, [
      { itemId: id, action: input.action, fromState: row.state, toState: result.to, actorId: ctx.actor.userId, actorUnitId: ctx.actor.unitId, note: input.reason ?? null, data: { fileIds: row.fileIds } },
    ]);
    await audit(tx, ctx, { action: input.action, entity: 'evidence_item', entityId: id, before: itemAudit(row), after: { ...itemAudit(after), reason: input.reason ?? null } });
    return detail(tx, ctx.actor, id);
  });
}

/** 审核队列: submitted items in the reviewer's subtree (never their own unit's), oldest submission first. */
export async function reviewQueue(deps: EvDeps, ctx: RequestContext, q: ReviewQueueQuery): Promise<Paged<EvidenceItem>> {
  const scope = evidencePolicy.reviewScope(ctx.actor);
  const { page, pageSize, ...f } = q;
  const { items, total } = await repo.listItems(deps.db, evidenceScopeCond(scope), { ...f, state: 'submitted', notUnitId: ctx.actor.unitId }, 'queue', page, pageSize);
  return { items: items.map(presentItem), total, page, pageSize };
}

// ─── completeness matrix ──────────────────────────────────────────────────────

/** The subtree a matrix or archive covers: a unit in the actor's scope, else the actor's scope root. */
async function rootOf(db: Executor, actor: Actor, rootUnitId: string | undefined): Promise<{ path: string | null; id: string | null; name: string | null }> {
  const scope = evidencePolicy.read(actor);
  if (rootUnitId) {
    const [unit] = await repo.getUnits(db, [rootUnitId]);
    if (!unit) throw invalid('querystring.rootUnitId', '所选单位不存在');
    if (!inScope(scope, unit.path)) throw forbidden('所选单位不在您的管辖范围内');
    return { path: unit.path, id: unit.id, name: unit.name };
  }
  if (scope.isAll) return { path: null, id: null, name: null };
  const [own] = await repo.getUnits(db, [actor.unitId]);
  return { path: scope.rootPath, id: actor.unitId, name: own?.name ?? null };
}

export async function matrix(deps: EvDeps, ctx: RequestContext, q: MatrixQuery & { byPeriod?: boolean }): Promise<Matrix> {
  const root = await rootOf(deps.db, ctx.actor, q.rootUnitId);
  const system = await repo.getSystem(deps.db, q.systemId);
  if (!system) throw invalid('querystring.systemId', '测评体系不存在');
  const rows = await repo.completenessMatrix(deps.db, {
    systemId: q.systemId,
    rootPath: root.path,
    periodFrom: q.periodFrom,
    periodTo: q.periodTo,
    itemNodeId: q.itemNodeId,
    byPeriod: q.byPeriod ?? false,
    rollUpTo: q.rollup ? (root.path ?? (await repo.rootUnit(deps.db)).path) : null,
  });
  const byStandard = new Map<string, Counts>();
  const byUnit = new Map<string, Counts>();
  const periods = new Set<string>();
  let totals: Counts = ZERO;
  for (const c of rows) {
    byStandard.set(c.standard_id, addCounts(byStandard.get(c.standard_id) ?? ZERO, c));
    byUnit.set(c.unit_id, addCounts(byUnit.get(c.unit_id) ?? ZERO, c));
    if (c.period_key) periods.add(c.period_key);
    totals = addCounts(totals, c);
  }
  const nodes = await repo.getNodes(deps.db, [...byStandard.keys()]);
  const units = await repo.getUnits(deps.db, [...byUnit.keys()]);
  const pick = ({ due, missing, submitted, approved, returned }: Counts): Counts => ({ due, missing, submitted, approved, returned });
  return {
    systemId: system.id,
    systemName: system.name,
    rootUnitId: root.id,
    rootUnitName: root.name,
    rollup: !!q.rollup,
    periodFrom: q.periodFrom ?? null,
    periodTo: q.periodTo ?? null,
    standards: nodes
      .sort((a, b) => compareIndicatorCodes(a.code, b.code))
      .map((n) => ({ id: n.id, code: n.code, text: n.text, itemCode: n.item_code, itemText: n.item_text, totals: pick(byStandard.get(n.id)!) })),
    units: units.map((u) => ({ id: u.id, name: u.name, totals: pick(byUnit.get(u.id)!) })),
    periods: [...periods].sort(comparePeriodKeys).map((key) => ({ key, label: periodLabel(key) })),
    cells: rows.map((c) => ({ standardId: c.standard_id, unitId: c.unit_id, periodKey: c.period_key, ...pick(c) })),
    totals: pick(totals),
  };
}

const countText = (c: Counts) => `${c.approved}/${c.due}`;

/** The matrix as .xlsx: sheet 完备性矩阵 (standards × units, 通过/应报) and sheet 明细 (one row per standard × unit × period). */
export async function matrixExport(deps: EvDeps, ctx: RequestContext, q: MatrixQuery): Promise<{ fileName: string; buffer: Buffer }> {
  const m = await matrix(deps, ctx, { ...q, byPeriod: true });
  const cellsByPair = new Map<string, Counts>();
  for (const c of m.cells) {
    const k = `${c.standardId}|${c.unitId}`;
    cellsByPair.set(k, addCounts(cellsByPair.get(k) ?? ZERO, c));
  }
  const unitName = new Map(m.units.map((u) => [u.id, u.name]));
  const std = new Map(m.standards.map((s) => [s.id, s]));
  const grid = {
    name: '完备性矩阵',
    columns: [
      { header: '测评项目', width: 18 },
      { header: '标准编号', width: 12 },
      { header: '测评标准', width: 40 },
      ...m.units.map((u) => ({ header: u.name, width: Math.max(10, u.name.length * 2) })),
      { header: '合计（通过/应报）', width: 16 },
    ],
    rows: m.standards.map((s) => [
      `${s.itemCode} ${s.itemText}`,
      s.code,
      s.text,
      ...m.units.map((u) => {
        const c = cellsByPair.get(`${s.id}|${u.id}`);
        return c ? countText(c) : '';
      }),
      countText(s.totals),
    ]),
  };
  const detailRows = [...m.cells]
    .sort((a, b) => m.standards.indexOf(std.get(a.standardId)!) - m.standards.indexOf(std.get(b.standardId)!) || (unitName.get(a.unitId) ?? '').localeCompare(unitName.get(b.unitId) ?? '', 'zh-CN') || a.periodKey.localeCompare(b.periodKey))
    .slice(0, 1_000_000)
    .map((c) => [std.get(c.standardId)?.code ?? '', std.get(c.standardId)?.text ?? '', unitName.get(c.unitId) ?? '', periodLabel(c.periodKey), c.due, c.submitted, c.approved, c.returned, c.missing]);
  const details = {
    name: '明细',
    columns: ['标准编号', '测评标准', '单位', '期间', '应报', '已提交（待审核）', '通过', '退回', '缺失（待提交）'].map((header) => ({ header, width: header === '测评标准' ? 40 : 14 })),
    rows: detailRows,
  };
  await deps.db.transaction((tx) =>
    audit(tx, ctx, { action: 'export', entity: 'evidence_matrix', entityId: q.systemId, after: { rootUnitId: m.rootUnitId, periodFrom: m.periodFrom, periodTo: m.periodTo, cells: m.cells.length } }),
  );
  const scopeName = m.rootUnitName ? `_${m.rootUnitName}` : '';
  return { fileName: `材料完备性矩阵_${m.systemName}${scopeName}_${todayCst()}.xlsx`, buffer: await writeWorkbook([grid, details]) };
}

// ─── archive ──────────────────────────────────────────────────────────────────

export type ArchiveStream = { fileName: string; stream: Readable };

/**
 * 材料归档包 for the national online review: a ZIP of the approved evidence (folders by 测评项目
 * and unit, files named by number and title) with 材料索引.xlsx listing every item. Streamed:
 * items are read a page at a time and each file from storage on its own.
 */
export async function archive(deps: Pick<Deps, 'db' | 'storage'>, ctx: RequestContext, q: ArchiveQuery): Promise<ArchiveStream> {
  if (!ctx.actor.permissions.has('evidence.review') && !ctx.actor.permissions.has('evidence.manage')) throw forbidden('无权导出材料归档包');
  const root = await rootOf(deps.db, ctx.actor, q.rootUnitId);
  const system = await repo.getSystem(deps.db, q.systemId);
  if (!system) throw invalid('querystring.systemId', '测评体系不存在');
  const base = safeName(`材料归档_${system.name}${root.name ? `_${root.name}` : ''}_${todayCst()}`);
  await deps.db.transaction((tx) =>
    audit(tx, ctx, { action: 'export', entity: 'evidence_archive', entityId: system.id, after: { rootUnitId: root.id, itemNodeId: q.itemNodeId ?? null } }),
  );

  async function* entries(): AsyncGenerator<ZipEntry> {
    const names = new NameRegistry();
    const index: (string | number)[][] = [];
    let afterId: string | null = null;
    for (;;) {
      const page: repo.ArchiveRow[] = await repo.archivePage(deps.db, { systemId: system!.id, rootPath: root.path, itemNodeId: q.itemNodeId ?? null, afterId, limit: 500 });
      if (page.length === 0) break;
      afterId = page[page.length - 1].id;
      const files = await repo.filesByIds(deps.db, page.flatMap((r) => idsOf(r.file_ids)));
      const fileById = new Map(files.map((f) => [f.id, f]));
      for (const r of page) {
        const folder = `${base}/${itemFolder(r.item_code, r.item_text)}/${safeName(r.unit_name)}`;
        const ids = idsOf(r.file_ids);
        const written: string[] = [];
        for (const [i, fid] of ids.entries()) {
          const f = fileById.get(fid);
          if (!f) continue;
          let data: Buffer;
          try {
            data = await deps.storage.getBuffer(f.storage_key);
          } catch {
            written.push(`（文件缺失：${f.original_name}）`);
            continue;
          }
          const name = names.take(folder, evidenceFileName(r.number ?? '', r.title, i, ids.length, f.storage_key));
          written.push(`${folder.slice(base.length + 1)}/${name}`);
          yield { name: `${folder}/${name}`, data, date: new Date(f.created_at) };
        }
        index.push([
          r.number ?? '',
          r.title,
          `${r.item_code} ${r.item_text}`,
          r.standard_code,
          r.standard_text,
          r.unit_name,
          periodLabel(r.period_key),
          r.evidence_date ? formatDate(r.evidence_date) : '',
          EvidenceStateLabels[r.state as EvidenceState] ?? r.state,
          written.length,
          written.join('\n'),
        ]);
      }
    }
    index.sort((a, b) => compareEvidenceNumbers(String(a[0]), String(b[0])) || String(a[5]).localeCompare(String(b[5]), 'zh-CN'));
    const sheet = await writeWorkbook([
      {
        name: '材料索引',
        columns: [
          { header: '材料编号', width: 14 },
          { header: '材料标题', width: 30 },
          { header: '测评项目', width: 18 },
          { header: '标准编号', width: 12 },
          { header: '测评标准', width: 40 },
          { header: '报送单位', width: 20 },
          { header: '期间', width: 14 },
          { header: '材料日期', width: 12 },
          { header: '审核状态', width: 10 },
          { header: '文件数', width: 8 },
          { header: '文件', width: 60 },
        ],
        rows: index,
      },
    ]);
    yield { name: `${base}/材料索引.xlsx`, data: sheet };
  }

  return { fileName: `${base}.zip`, stream: Readable.from(zipChunks(entries())) };
}
