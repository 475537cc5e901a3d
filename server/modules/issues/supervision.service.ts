import { formatDate } from '../../../domain/cn-date.ts';
import sharp from 'sharp';
import type { Paged } from '../../../contracts/common.ts';
import { IssueStateLabels } from '../../../contracts/issues.ts';
import {
  type CandidateIssue,
  type CandidateReason,
  CandidateReasonLabels,
  type CandidateUnit,
  type CreateLetterRequest,
  type Letter,
  type LetterAction,
  type LetterDetail,
  type LetterDraft,
  type LetterState,
  LetterStateLabels,
  type ListLettersQuery,
  type ReplyLetterRequest,
  type ReviewLetterRequest,
} from '../../../contracts/supervision.ts';
import { chinaDate } from '../../../domain/issue-metrics.ts';
import type { Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import type { Actor, RequestContext } from '../../http/actor.ts';
import { AppError, forbidden, notFound, staleVersion } from '../../http/errors.ts';
import { type DocImage, type DocTableCell, chineseDate, formatDocumentNumber, type OfficialDocument, renderOfficialDocument } from '../../lib/gbt9704.ts';
import { newId } from '../../lib/ids.ts';
import { audit } from '../audit/index.ts';
import { attachFiles, listOwnerFiles } from '../files/index.ts';
import { ownerImages, storeGeneratedFile } from '../files/index.ts';
import { getUnitRow } from '../org/index.ts';
import { supervisionPolicy } from './supervision.policy.ts';
import * as repo from './supervision.repo.ts';

type SupervisionDeps = Pick<Deps, 'db' | 'storage'>;

const DAY_MS = 86_400_000;
/** 发文机关代字 of the city's 督办函 number 创文督〔2026〕N号 (a district's puts its short name first) */
export const LETTER_ORG_CODE = '创文督';
const invalid = (path: string, message: string) => new AppError('VALIDATION_FAILED', message, [{ path, message }]);
const iso = (v: string | Date | null): string | null => (v === null ? null : new Date(v).toISOString());

/** Whole days past the deadline, a started day counting: 0 when not (yet) overdue. */
export const daysOverdue = (deadline: Date | string | null, now: Date): number =>
  deadline === null ? 0 : Math.max(0, Math.ceil((now.getTime() - new Date(deadline).getTime()) / DAY_MS));

/** What a letter records of each issue as it was at sending, in the letter's order. */
export const letterItems = (
  letterId: string,
  issues: { id: string; deadline: Date | string | null; rework_count: number; relapse_count: number }[],
  sentAt: Date,
): repo.NewLetterItem[] =>
  issues.map((i, position) => ({
    letterId,
    issueId: i.id,
    position,
    daysOverdue: daysOverdue(i.deadline, sentAt),
    reworkCount: i.rework_count,
    relapseCount: i.relapse_count,
    deadline: i.deadline ? new Date(i.deadline) : null,
  }));

// ---- the letter's flow ----

/** Which step leads from which state to which; the service enforces it in `step`. */
const LETTER_FLOW: Record<Exclude<LetterAction, 'send'>, { from: LetterState; to: LetterState }> = {
  reply: { from: 'sent', to: 'replied' },
  return: { from: 'replied', to: 'sent' },
  close: { from: 'replied', to: 'done' },
};

// ---- candidates ----

function reasonsOf(r: { deadline: string | Date | null; rework_count: number; relapse_count: number }, now: Date): CandidateReason[] {
  const out: CandidateReason[] = [];
  if (r.deadline && new Date(r.deadline).getTime() < now.getTime()) out.push('overdue');
  if (r.rework_count > 0) out.push('rework');
  if (r.relapse_count > 0) out.push('relapse');
  return out;
}

function presentCandidate(r: repo.CandidateIssueRow, now: Date): CandidateIssue {
  return {
    id: r.id,
    number: r.number,
    title: r.title,
    description: r.description,
    categoryName: r.category_name,
    address: r.address,
    areaUnitName: r.area_unit_name,
    state: r.state,
    createdAt: iso(r.created_at)!,
    deadline: iso(r.deadline),
    daysOverdue: daysOverdue(r.deadline, now),
    reworkCount: r.rework_count,
    relapseCount: r.relapse_count,
    reasons: reasonsOf(r, now),
    thumbnailUrl: r.photo_id ? `/api/files/${r.photo_id}/thumbnail` : null,
    inLetters: r.in_letters ?? [],
  };
}

/** Units with overdue or repeat (返工, 回潮) issues in the office's scope, most first. */
export async function listCandidateUnits(deps: SupervisionDeps, ctx: RequestContext, now = new Date()): Promise<CandidateUnit[]> {
  const scope = supervisionPolicy.supervise(ctx.actor);
  return (await repo.candidateUnits(deps.db, now, scope)).map((r) => ({
    unitId: r.unit_id,
    unitName: r.unit_name,
    overdue: r.overdue,
    rework: r.rework,
    relapse: r.relapse,
    total: r.total,
    openLetters: r.open_letters,
  }));
}

export async function listCandidateIssues(deps: SupervisionDeps, ctx: RequestContext, unitId: string, now = new Date()): Promise<CandidateIssue[]> {
  const scope = supervisionPolicy.supervise(ctx.actor);
  return (await repo.candidateIssues(deps.db, unitId, now, scope)).map((r) => presentCandidate(r, now));
}

// ---- the default text ----

/** The issuer (发文机关) of an office's letters: 示范市创建全国文明城市工作指挥部办公室. */
export const issuerOf = (officeName: string) => `${officeName}创建全国文明城市工作指挥部办公室`;

/**
 * The office that issues an actor's letters: the 创文办 of the actor's district (district staff and
 * the units under it), else the city's (the city office and city departments). A district's
 * letters carry its own 代字 — its short name (or its name without 区/县/市/旗), then 创文督:
 * 文明区 → 文明创文督〔2026〕1号 — and their own numbering.
 */
async function issuingOffice(db: Executor, actor: Actor): Promise<{ unitId: string; issuer: string; orgCode: string }> {
  const [rootId, secondId] = actor.unitPath.split('/').filter(Boolean);
  const second = secondId ? await getUnitRow(db, secondId) : undefined;
  if (second?.kind === 'district') {
    const short = second.shortName || second.name.replace(/(区|县|市|旗)$/, '');
    return { unitId: second.id, issuer: issuerOf(second.name), orgCode: `${short}${LETTER_ORG_CODE}` };
  }
  const root = await getUnitRow(db, rootId);
  if (!root) throw new Error(`the root unit of ${actor.unitPath} is missing`);
  return { unitId: root.id, issuer: issuerOf(root.name), orgCode: LETTER_ORG_CODE };
}

function defaultTitle(reasons: ReadonlySet<CandidateReason>): string {
  return reasons.size === 1 && reasons.has('overdue') ? '关于督促限期整改超期未整改问题的函' : '关于督促限期整改超期及反复出现问题的函';
}

function defaultBody(count: number, reasons: ReadonlySet<CandidateReason>, replyDeadline: string): string {
  const what =
    reasons.size === 1 && reasons.has('overdue')
      ? '已超过整改期限，至今仍未整改到位'
      : `存在${[...reasons].map((r) => CandidateReasonLabels[r]).join('、')}等情况，整改不及时、不到位`;
  return [
    `经督查，你单位承办的${count}个问题${what}（详见附件），影响全市创建全国文明城市工作进度。现予督办。`,
    '请你单位高度重视，主要负责同志亲自过问，立即组织力量逐项整改到位，并举一反三、建立长效机制，防止问题反弹回潮。',
    `请于${chineseDate(replyDeadline)}前将整改情况（附整改前后对比照片）通过创文通系统书面回复。逾期未回复或整改不到位的，将在全市通报，并纳入年度创建工作考核。`,
    '特此函告。',
  ].join('\n');
}

/** The default title and text of a letter about `count` issues with these reasons. */
export function defaultLetterText(count: number, reasons: ReadonlySet<CandidateReason>, replyDeadline: string): { title: string; body: string } {
  return { title: defaultTitle(reasons), body: defaultBody(count, reasons, replyDeadline) };
}

/** The title and text the wizard offers for editing before sending. */
export async function draftLetter(deps: SupervisionDeps, ctx: RequestContext, q: { unitId: string; replyDeadline: string; count: number }, now = new Date()): Promise<LetterDraft> {
  const scope = supervisionPolicy.supervise(ctx.actor);
  const unit = await getUnitRow(deps.db, q.unitId);
  if (!unit) throw invalid('querystring.unitId', '责任单位不存在');
  const issues = await repo.candidateIssues(deps.db, q.unitId, now, scope);
  const reasons = new Set(issues.flatMap((r) => reasonsOf(r, now)));
  if (!reasons.size) reasons.add('overdue');
  return { title: defaultTitle(reasons), body: defaultBody(q.count, reasons, q.replyDeadline), issuer: (await issuingOffice(deps.db, ctx.actor)).issuer, recipient: unit.name };
}

// ---- the Word document ----

/** Photo column width (mm) and the photos' width inside it. */
const PHOTO_MM = 24;

async function docImage(data: Buffer): Promise<DocImage | null> {
  try {
    const { data: jpeg, info } = await sharp(data, { failOn: 'error' })
      .rotate()
      .resize({ width: 360, height: 360, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 78 })
      .toBuffer({ resolveWithObject: true });
    return { data: jpeg, format: 'jpg', widthMm: PHOTO_MM, heightMm: Math.round((PHOTO_MM * info.height * 10) / info.width) / 10 };
  } catch {
    return null;
  }
}

/**
 * The Word document of a stored letter, from the letter and the facts of its issues as they were
 * when it was sent (so a document generated later says the same).
 */
async function renderLetter(db: Executor, storage: SupervisionDeps['storage'], l: repo.LetterRow, unitName: string): Promise<Buffer> {
  const issues = await repo.letterDocRows(db, l.id);
  const photos = await ownerImages(
    { db, storage },
    'issue',
    issues.map((i) => i.id),
    1,
  );
  const rows: DocTableCell[][] = [];
  for (const [n, i] of issues.entries()) {
    const images: DocImage[] = [];
    for (const p of photos.get(i.id) ?? []) {
      const img = await docImage(p.data);
      if (img) images.push(img);
    }
    const facts = [i.days_overdue > 0 ? `超期${i.days_overdue}天` : '', i.rework_count > 0 ? `返工${i.rework_count}次` : '', i.relapse_count > 0 ? `回潮${i.relapse_count}次` : '']
      .filter(Boolean)
      .join('\n');
    rows.push([
      String(n + 1),
      i.number,
      [i.area_unit_name, i.address].filter(Boolean).join('\n'),
      `${i.title}${i.description && i.description !== i.title ? `\n${i.description.slice(0, 80)}` : ''}`,
      formatDate(i.created_at),
      i.deadline ? formatDate(i.deadline) : '—',
      facts || '—',
      images.length ? { images } : '无照片',
    ]);
  }
  const doc: OfficialDocument = {
    layout: 'letter',
    issuer: l.issuer,
    number: l.number,
    title: l.title,
    recipients: unitName,
    body: l.body
      .split(/\r?\n/)
      .filter((p) => p.trim())
      .map((text) => ({ type: 'paragraph' as const, text })),
    attachments: ['督办问题清单'],
    date: l.createdAt,
    appendices: [
      {
        title: '督办问题清单',
        blocks: [
          {
            type: 'table',
            fontSize: 10.5,
            columns: [
              { header: '序号', width: 0.55, align: 'center' },
              { header: '问题编号', width: 1.75 },
              { header: '地点', width: 1.5 },
              { header: '问题', width: 2.2 },
              { header: '发现日期', width: 1.05, align: 'center' },
              { header: '整改期限', width: 1.05, align: 'center' },
              { header: '超期天数／返工次数', width: 1.05, align: 'center' },
              { header: '照片', width: 1.75, align: 'center' },
            ],
            rows,
          },
        ],
      },
    ],
  };
  return renderOfficialDocument(doc);
}

/** Renders and stores the letter's document in the caller's transaction; returns the file id and how to undo the stored bytes. */
async function storeDocument(deps: SupervisionDeps, tx: Executor, ctx: RequestContext, l: repo.LetterRow): Promise<{ fileId: string; discard: () => Promise<void> }> {
  const unit = await getUnitRow(tx, l.unitId);
  const unitName = unit?.name ?? '';
  const docx = await renderLetter(tx, deps.storage, l, unitName);
  const stored = await storeGeneratedFile(deps, tx, ctx, { name: `${l.number}_${unitName}.docx`, data: docx }, { ownerType: 'supervision_letter', ownerId: l.id });
  await repo.setLetterFile(tx, l.id, stored.file.id);
  return { fileId: stored.file.id, discard: stored.discard };
}

// ---- presenters ----

const todayInChina = (now: Date) => chinaDate(now);

function presentLetter(r: repo.LetterViewRow, now = new Date()): Letter {
  return {
    id: r.id,
    number: r.number,
    year: r.year,
    unitId: r.unitId,
    unitName: r.unitName,
    issuer: r.issuer,
    title: r.title,
    replyDeadline: r.replyDeadline,
    state: r.state as LetterState,
    itemCount: r.itemCount,
    replyOverdue: r.state === 'sent' && todayInChina(now) > r.replyDeadline,
    createdAt: r.createdAt.toISOString(),
    createdByName: r.createdByName,
    repliedAt: r.repliedAt ? r.repliedAt.toISOString() : null,
    doneAt: r.doneAt ? r.doneAt.toISOString() : null,
    version: r.version,
  };
}

async function loadDetail(db: Executor, actor: Actor, id: string): Promise<LetterDetail> {
  const v = await repo.getLetterView(db, id);
  if (!v) throw notFound('督办函');
  const files = await listOwnerFiles(db, 'supervision_letter', id);
  const byId = new Map(files.map((f) => [f.id, { id: f.id, originalName: f.originalName, contentUrl: f.contentUrl, thumbnailUrl: f.thumbnailUrl }]));
  const events = await repo.letterEvents(db, id);
  const items = await repo.letterItems(db, id);
  return {
    ...presentLetter(v),
    body: v.body,
    replyText: v.replyText,
    document: v.fileId ? (byId.get(v.fileId) ?? null) : null,
    items: items.map((i) => ({
      issueId: i.issue_id,
      number: i.number,
      title: i.title,
      address: i.address,
      state: i.current_state,
      deadline: iso(i.deadline),
      daysOverdue: i.days_overdue,
      reworkCount: i.rework_count,
      relapseCount: i.relapse_count,
      currentState: IssueStateLabels[i.current_state as keyof typeof IssueStateLabels] ?? i.current_state,
    })),
    events: events.map((e) => {
      const data = (typeof e.data === 'string' ? JSON.parse(e.data) : e.data) as { fileIds?: string[] };
      return {
        id: Number(e.id),
        action: e.action as LetterDetail['events'][number]['action'],
        fromState: (e.fromState as LetterState | null) ?? null,
        toState: e.toState as LetterState,
        actorName: e.actorName,
        note: e.note,
        files: (data.fileIds ?? []).map((fid) => byId.get(fid)).filter((f): f is NonNullable<typeof f> => !!f),
        at: new Date(e.at).toISOString(),
      };
    }),
    canReply: supervisionPolicy.canReply(actor, v),
    canReview: supervisionPolicy.canReview(actor, v),
  };
}

async function visibleLetter(db: Executor, actor: Actor, id: string, forUpdate = false): Promise<repo.LetterRow> {
  const l = await repo.getLetter(db, id, forUpdate);
  if (!l || !supervisionPolicy.canSee(actor, l)) throw notFound('督办函');
  return l;
}

// ---- use cases ----

export async function listLetters(deps: SupervisionDeps, ctx: RequestContext, q: ListLettersQuery): Promise<Paged<Letter>> {
  const scope = supervisionPolicy.read(ctx.actor);
  const { page, pageSize, ...f } = q;
  const { items, total } = await repo.listLetters(deps.db, scope, f, page, pageSize);
  const now = new Date();
  return { items: items.map((r) => presentLetter(r, now)), total, page, pageSize };
}

export async function getLetter(deps: SupervisionDeps, ctx: RequestContext, id: string): Promise<LetterDetail> {
  await visibleLetter(deps.db, ctx.actor, id);
  return loadDetail(deps.db, ctx.actor, id);
}

/**
 * Sends a 督办函: checks that every chosen issue is one of the unit's overdue or repeat issues in
 * the office's scope, numbers it 创文督〔YYYY〕N号 from the per-year counter, renders the Word
 * document and stores it, and writes letter, items, the `send` event and the audit entry in one
 * transaction (the stored document is deleted again if the transaction fails).
 */
export async function createLetter(deps: SupervisionDeps, ctx: RequestContext, input: CreateLetterRequest, now = new Date()): Promise<LetterDetail> {
  const scope = supervisionPolicy.supervise(ctx.actor);
  if (input.replyDeadline < todayInChina(now)) throw invalid('body.replyDeadline', '回复期限不能早于今天');
  const ids = [...new Set(input.issueIds)];
  let discard: (() => Promise<void>) | null = null;
  try {
    return await deps.db.transaction(async (tx) => {
      const unit = await getUnitRow(tx, input.unitId);
      if (!unit?.isActive) throw invalid('body.unitId', '责任单位不存在或已停用');
      if (unit.kind === 'city') throw invalid('body.unitId', '请选择具体的责任单位');
      const found = await repo.candidateIssues(tx, unit.id, now, scope, ids);
      if (found.length !== ids.length) {
        const ok = new Set(found.map((f) => f.id));
        const bad = ids.filter((id) => !ok.has(id));
        throw new AppError(
          'VALIDATION_FAILED',
          `有 ${bad.length} 个问题不是该单位的超期或返工、回潮问题（或不在您的管辖范围内），请刷新后重新选择`,
          bad.map((id) => ({ path: `body.issueIds`, message: id })),
        );
      }
      const order = new Map(ids.map((id, i) => [id, i]));
      const issues = found.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
      const reasons = new Set(issues.flatMap((r) => reasonsOf(r, now)));
      const year = Number(todayInChina(now).slice(0, 4));
      const office = await issuingOffice(tx, ctx.actor);
      const seq = await repo.nextLetterSeq(tx, office.unitId, year);
      const number = formatDocumentNumber(office.orgCode, year, seq);
      const id = newId();
      const title = input.title ?? defaultTitle(reasons);
      const body = input.body?.trim() || defaultBody(issues.length, reasons, input.replyDeadline);
      const actorUnit = await getUnitRow(tx, ctx.actor.unitId);
      const sent = await repo.insertLetter(tx, {
        id,
        number,
        officeUnitId: office.unitId,
        year,
        seq,
        unitId: unit.id,
        unitPath: unit.path,
        issuerUnitId: ctx.actor.unitId,
        issuerPath: actorUnit?.path ?? ctx.actor.unitPath,
        issuer: office.issuer,
        title,
        body,
        replyDeadline: input.replyDeadline,
        state: 'sent',
        createdBy: ctx.actor.userId,
        createdAt: now,
        updatedAt: now,
      });
      await repo.insertItems(tx, letterItems(id, issues, now));
      const stored = await storeDocument(deps, tx, ctx, sent);
      discard = stored.discard;
      await repo.insertEvent(tx, {
        letterId: id,
        action: 'send',
        fromState: null,
        toState: 'sent',
        actorId: ctx.actor.userId,
        actorUnitId: ctx.actor.unitId,
        note: null,
        data: { fileId: stored.fileId, issueIds: ids },
      });
      await audit(tx, ctx, {
        action: 'create',
        entity: 'supervision_letter',
        entityId: id,
        after: { number, unitId: unit.id, title, replyDeadline: input.replyDeadline, issueIds: ids, fileId: stored.fileId, state: 'sent', version: sent.version },
      });
      return loadDetail(tx, ctx.actor, id);
    });
  } catch (err) {
    if (discard) await (discard as () => Promise<void>)();
    throw err;
  }
}

/** One step of the letter's flow, in one transaction: lock, version, state, policy, update, event, audit. */
async function step(
  deps: SupervisionDeps,
  ctx: RequestContext,
  id: string,
  action: Exclude<LetterAction, 'send'>,
  version: number,
  apply: (tx: Executor, l: repo.LetterRow) => Promise<{ data: Partial<repo.NewLetterRow>; note: string | null; eventData: Record<string, unknown> }>,
): Promise<LetterDetail> {
  return deps.db.transaction(async (tx) => {
    const l = await visibleLetter(tx, ctx.actor, id, true);
    if (l.version !== version) throw staleVersion();
    const t = LETTER_FLOW[action];
    if (l.state !== t.from) {
      throw new AppError('INVALID_STATE', `督办函当前为「${LetterStateLabels[l.state as LetterState]}」，不能进行此操作`, [{ path: 'state', message: l.state }]);
    }
    const allowed = action === 'reply' ? supervisionPolicy.canReply(ctx.actor, l) : supervisionPolicy.canReview(ctx.actor, l);
    if (!allowed) throw forbidden(action === 'reply' ? '只有受函单位可以回复督办函' : '只有发函的创文办可以办结或退回督办函');
    const { data, note, eventData } = await apply(tx, l);
    const after = await repo.updateLetter(tx, id, l.version, { ...data, state: t.to });
    if (!after) throw staleVersion();
    await repo.insertEvent(tx, { letterId: id, action, fromState: l.state, toState: t.to, actorId: ctx.actor.userId, actorUnitId: ctx.actor.unitId, note, data: eventData });
    await audit(tx, ctx, {
      action,
      entity: 'supervision_letter',
      entityId: id,
      before: { state: l.state, replyText: l.replyText, version: l.version },
      after: { state: t.to, version: after.version, note, ...eventData },
    });
    return loadDetail(tx, ctx.actor, id);
  });
}

/** The unit replies: text and attachments (uploaded first through /api/files, claimed here). */
export function replyLetter(deps: SupervisionDeps, ctx: RequestContext, id: string, input: ReplyLetterRequest): Promise<LetterDetail> {
  return step(deps, ctx, id, 'reply', input.version, async (tx) => {
    const files = input.fileIds.length ? await attachFiles(tx, input.fileIds, 'supervision_letter', id, ctx) : [];
    return { data: { replyText: input.text, repliedAt: new Date() }, note: input.text, eventData: { fileIds: files.map((f) => f.id) } };
  });
}

/** The office sends the reply back for a better one (a reason is required). */
export function returnLetter(deps: SupervisionDeps, ctx: RequestContext, id: string, input: ReviewLetterRequest): Promise<LetterDetail> {
  if (!input.note?.trim()) throw invalid('body.note', '请填写退回原因');
  return step(deps, ctx, id, 'return', input.version, async () => ({ data: {}, note: input.note!.trim(), eventData: {} }));
}

/** The office accepts the reply: 已办结. */
export function closeLetter(deps: SupervisionDeps, ctx: RequestContext, id: string, input: ReviewLetterRequest): Promise<LetterDetail> {
  return step(deps, ctx, id, 'close', input.version, async () => ({ data: { doneAt: new Date() }, note: input.note?.trim() || null, eventData: {} }));
}

/**
 * The Word document of a letter the actor may see (its file id, for /api/files/:id/content). A
 * letter seeded without one (the demo city's) gets it generated on first download, from the facts
 * stored when it was sent.
 */
export async function letterDocumentId(deps: SupervisionDeps, ctx: RequestContext, id: string): Promise<string> {
  const l = await visibleLetter(deps.db, ctx.actor, id);
  if (l.fileId) return l.fileId;
  let discard: (() => Promise<void>) | null = null;
  try {
    return await deps.db.transaction(async (tx) => {
      const locked = (await repo.getLetter(tx, id, true))!;
      if (locked.fileId) return locked.fileId;
      const stored = await storeDocument(deps, tx, ctx, locked);
      discard = stored.discard;
      return stored.fileId;
    });
  } catch (err) {
    if (discard) await (discard as () => Promise<void>)();
    throw err;
  }
}
