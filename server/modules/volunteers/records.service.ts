import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { Certificate, DecideRecordRequest, ListRecordsQuery, ManualRecordRequest, RatioRow, RatioTable, ServiceRecord } from '../../../contracts/volunteers.ts';
import { ID_TYPE_LABELS, type IdType } from '../../../domain/id-number.ts';
import { hoursText, isLateRecord, meetsTarget, nextRecordState, plannedMinutes, RECORD_ACTION_LABELS, ratioPercent, type RecordAction, type RecordState } from '../../../domain/volunteer-rules.ts';
import { addDays, shanghaiDate } from '../../../domain/working-days.ts';
import type { Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import type { RequestContext } from '../../http/actor.ts';
import { AppError, forbidden, notFound, staleVersion } from '../../http/errors.ts';
import { scopeFor } from '../../http/policy.ts';
import { newId } from '../../lib/ids.ts';
import { audit } from '../audit/index.ts';
import { attachFiles } from '../files/index.ts';
import { loadCalendar } from '../issues/index.ts';
import { childUnitsWithPopulation, getUnitRow, unitPopulation } from '../org/index.ts';
import { volunteersPolicy } from './volunteers.policy.ts';
import * as repo from './volunteers.repo.ts';
import { volunteerCtx } from './volunteers.service.ts';

type D = Pick<Deps, 'db' | 'crypto'>;

export function presentRecord(r: repo.RecordListRow): ServiceRecord {
  const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
  return {
    id: r.id,
    volunteerId: r.volunteerId,
    volunteerName: r.volunteerName,
    volunteerNumber: r.volunteerNumber,
    activityId: r.activityId,
    activityTitle: r.activityTitle,
    teamName: r.teamName,
    kind: r.kind as ServiceRecord['kind'],
    state: r.state as RecordState,
    minutes: r.minutes,
    serviceDate: r.serviceDate,
    content: r.content,
    source: r.source,
    reason: r.reason,
    evidenceFileId: r.evidenceFileId,
    correctsId: r.correctsId,
    supersededBy: r.supersededBy,
    isLate: r.isLate,
    isAutoCheckout: r.isAutoCheckout,
    createdAt: iso(r.createdAt)!,
    createdByName: r.createdByName,
    createdById: r.createdBy,
    decidedAt: iso(r.decidedAt),
    decidedByName: r.decidedByName,
    decisionNote: r.decisionNote,
    version: r.version,
  };
}

export async function listRecords(deps: D, ctx: RequestContext, q: z.output<typeof ListRecordsQuery>) {
  const { root, teamIds } = await volunteersPolicy.teamReadRoot(deps.db, ctx.actor);
  const { items, total } = await repo.listRecords(deps.db, {
    root,
    teamIds,
    state: q.state,
    volunteerId: q.volunteerId,
    activityId: q.activityId,
    isLate: q.isLate === undefined ? undefined : q.isLate === 'true',
    page: q.page,
    pageSize: q.pageSize,
  });
  return { items: items.map(presentRecord), total, page: q.page, pageSize: q.pageSize };
}

/**
 * 补录: hours added by hand for an activity, with a source, a reason and evidence, at most the
 * activity's planned duration (together with what the volunteer already has for it), waiting for
 * another admin's approval. Flagged late past 10 working days after the activity.
 */
export async function addManualRecord(deps: D, ctx: RequestContext, input: z.output<typeof ManualRecordRequest>, now = new Date()): Promise<ServiceRecord> {
  const id = await deps.db.transaction(async (tx) => {
    const a = await repo.getActivity(tx, input.activityId);
    if (!a) throw new AppError('VALIDATION_FAILED', '活动：活动不存在', [{ path: 'body.activityId', message: '活动不存在' }]);
    await volunteersPolicy.requireRunTeam(tx, ctx.actor, { id: a.teamId, unitPath: a.unitPath });
    const v = await repo.getVolunteer(tx, input.volunteerId);
    if (!v) throw new AppError('VALIDATION_FAILED', '志愿者：志愿者不存在', [{ path: 'body.volunteerId', message: '志愿者不存在' }]);
    if (a.startsAt.getTime() > now.getTime()) throw new AppError('BUSINESS_RULE', '活动尚未开始，不能补录时长');
    const cap = plannedMinutes(a.startsAt, a.endsAt);
    const already = await recordedMinutesFor(tx, a.id, v.id);
    if (input.minutes + already > cap) {
      const msg = `补录时长超过上限：本活动计划时长 ${hoursText(cap)} 小时${already ? `，该志愿者已有 ${hoursText(already)} 小时` : ''}，最多还可补录 ${Math.max(0, cap - already)} 分钟`;
      throw new AppError('BUSINESS_RULE', msg, [{ path: 'body.minutes', message: msg }]);
    }
    const cal = await loadCalendar(tx);
    const row = await repo.insertRecord(tx, {
      id: newId(),
      volunteerId: v.id,
      activityId: a.id,
      teamId: a.teamId,
      unitPath: a.unitPath,
      kind: 'manual',
      state: 'pending',
      minutes: input.minutes,
      serviceDate: shanghaiDate(a.startsAt),
      serviceEnd: a.endsAt,
      content: a.title,
      source: input.source,
      reason: input.reason,
      evidenceFileId: input.evidenceFileId,
      isLate: isLateRecord(a.endsAt, now, cal),
      createdBy: ctx.actor.userId,
      createdAt: now,
    });
    if (input.evidenceFileId) await attachFiles(tx, [input.evidenceFileId], 'volunteer_record', row.id, ctx);
    await repo.insertRecordEvent(tx, { recordId: row.id, action: 'create', toState: 'pending', actorId: ctx.actor.userId, actorName: ctx.actor.name, note: input.reason, at: now });
    await audit(tx, ctx, { action: 'manual_record', entity: 'volunteer_record', entityId: row.id, after: { ...input, isLate: row.isLate } });
    return row.id;
  });
  return presentRecord((await repo.recordById(deps.db, id))!);
}

/** Minutes a volunteer already has for an activity: pending or approved, not superseded, not rejected. */
async function recordedMinutesFor(tx: Executor, activityId: string, volunteerId: string): Promise<number> {
  const { items } = await repo.listRecords(tx, { root: null, teamIds: [], activityId, volunteerId, page: 1, pageSize: 200 });
  return items.filter((r) => r.state !== 'rejected' && r.supersededBy === null && r.kind !== 'correction').reduce((s, r) => s + r.minutes, 0);
}

/** 通过 / 不通过, enforced by the flow in domain/volunteer-rules.ts; an approved correction supersedes what it corrects. */
export async function decideRecord(deps: D, ctx: RequestContext, id: string, input: z.output<typeof DecideRecordRequest>): Promise<ServiceRecord> {
  await deps.db.transaction(async (tx) => {
    const r = await repo.getRecord(tx, id, true);
    if (!r) throw notFound('服务记录');
    await volunteersPolicy.requireDecide(tx, ctx.actor, r);
    if (r.version !== input.version) throw staleVersion();
    const to = nextRecordState(r.state as RecordState, input.action as RecordAction);
    if (!to) throw new AppError('INVALID_STATE', `该记录已${r.state === 'approved' ? '通过' : '不通过'}，不能再审核；如有错误请提交更正`);
    if (input.action === 'reject' && !input.note) throw new AppError('VALIDATION_FAILED', '审核意见：不通过时请填写原因', [{ path: 'body.note', message: '请填写不通过的原因' }]);
    const now = new Date();
    const updated = await repo.updateRecord(tx, id, r.version, { state: to, decidedBy: ctx.actor.userId, decidedAt: now, decisionNote: input.note || null });
    if (!updated) throw staleVersion();
    await repo.insertRecordEvent(tx, { recordId: id, action: input.action, fromState: r.state, toState: to, actorId: ctx.actor.userId, actorName: ctx.actor.name, note: input.note || null, at: now });
    if (to === 'approved' && r.correctsId) {
      const old = await repo.getRecord(tx, r.correctsId, true);
      if (old && old.supersededBy === null) {
        await repo.updateRecord(tx, old.id, old.version, { supersededBy: r.id });
        await repo.insertRecordEvent(tx, { recordId: old.id, action: 'superseded', fromState: old.state, toState: old.state, actorId: ctx.actor.userId, actorName: ctx.actor.name, note: `由更正记录替代`, at: now });
      }
    }
    await audit(tx, ctx, { action: input.action, entity: 'volunteer_record', entityId: id, before: { state: r.state }, after: { state: to, note: input.note, label: RECORD_ACTION_LABELS[input.action as RecordAction] } });
  });
  return presentRecord((await repo.recordById(deps.db, id))!);
}

/** A correction: a new pending record that references the one it corrects (asked by an admin or by the volunteer). */
export async function correctRecord(
  deps: D,
  who: { ctx: RequestContext; volunteerId?: string },
  id: string,
  input: { minutes: number; reason: string; evidenceFileId?: string | null },
): Promise<ServiceRecord> {
  const newRecordId = await deps.db.transaction(async (tx) => {
    const r = await repo.getRecord(tx, id, true);
    if (!r) throw notFound('服务记录');
    if (who.volunteerId) {
      if (r.volunteerId !== who.volunteerId) throw notFound('服务记录');
    } else {
      await volunteersPolicy.requireRunTeam(tx, who.ctx.actor, { id: r.teamId, unitPath: r.unitPath });
    }
    if (r.supersededBy) throw new AppError('INVALID_STATE', '该记录已被更正，请对最新的记录提出更正');
    if (await repo.pendingCorrectionOf(tx, id)) throw new AppError('INVALID_STATE', '该记录已有待审核的更正');
    if (r.activityId) {
      const a = await repo.getActivity(tx, r.activityId);
      const cap = a ? plannedMinutes(a.startsAt, a.endsAt) : Number.POSITIVE_INFINITY;
      if (input.minutes > cap) {
        const msg = `更正后的时长超过本活动计划时长 ${hoursText(cap)} 小时`;
        throw new AppError('BUSINESS_RULE', msg, [{ path: 'body.minutes', message: msg }]);
      }
    }
    const now = new Date();
    const row = await repo.insertRecord(tx, {
      id: newId(),
      volunteerId: r.volunteerId,
      activityId: r.activityId,
      teamId: r.teamId,
      unitPath: r.unitPath,
      kind: 'correction',
      state: 'pending',
      minutes: input.minutes,
      serviceDate: r.serviceDate,
      serviceEnd: r.serviceEnd,
      content: r.content,
      source: who.volunteerId ? '志愿者申请更正' : '管理员更正',
      reason: input.reason,
      evidenceFileId: input.evidenceFileId ?? null,
      correctsId: r.id,
      isLate: false,
      createdBy: who.volunteerId ? null : who.ctx.actor.userId,
      createdAt: now,
    });
    if (input.evidenceFileId && !who.volunteerId) await attachFiles(tx, [input.evidenceFileId], 'volunteer_record', row.id, who.ctx);
    await repo.insertRecordEvent(tx, { recordId: row.id, action: 'correct', toState: 'pending', actorId: who.volunteerId ? null : who.ctx.actor.userId, actorName: who.ctx.actor.name, note: input.reason, at: now });
    await audit(tx, who.ctx, { action: 'correct', entity: 'volunteer_record', entityId: row.id, after: { corrects: r.id, minutes: input.minutes, reason: input.reason } });
    return row.id;
  });
  return presentRecord((await repo.recordById(deps.db, newRecordId))!);
}

// ---------------------------------------------------------------- certificates

export function presentCertificate(c: repo.CertificateRow, origin: string): Certificate {
  return {
    id: c.id,
    number: c.number,
    verifyCode: c.verifyCode,
    volunteerId: c.volunteerId,
    name: c.name,
    idTypeLabel: c.idTypeLabel,
    idMasked: c.idMasked,
    minutes: c.minutes,
    hours: hoursText(c.minutes),
    recordCount: c.recordCount,
    periodFrom: c.periodFrom,
    periodTo: c.periodTo,
    content: c.content,
    issuer: c.issuer,
    issuedAt: c.issuedAt.toISOString(),
    verifyUrl: verifyUrl(origin, c.verifyCode),
  };
}
export const verifyUrl = (origin: string, code: string) => `${origin}/h5/v/verify/${code}`;

/** A 12-character verification code without look-alike characters. */
function newVerifyCode(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const b = randomBytes(12);
  return Array.from(b, (x) => alphabet[x % alphabet.length]).join('');
}

/**
 * Issues a 志愿服务记录证明 from the volunteer's approved records in a period (free; from records
 * only, never typed in). The issuer is the actor's unit (谁记录谁证明 is kept by the records' units in `content`).
 */
export async function issueCertificate(
  deps: D,
  who: { ctx: RequestContext | null; volunteerId: string; selfService: boolean },
  input: { from?: string; to?: string },
  now = new Date(),
): Promise<repo.CertificateRow> {
  return deps.db.transaction(async (tx) => {
    const v = await repo.getVolunteer(tx, who.volunteerId);
    if (!v) throw new AppError('VALIDATION_FAILED', '志愿者：志愿者不存在', [{ path: 'body.volunteerId', message: '志愿者不存在' }]);
    let issuer: { name: string; path: string };
    if (who.selfService) {
      // Self-printing (办法 Art 14): issued in the name of the volunteer's home community.
      const u = await getUnitRow(tx, v.communityId);
      issuer = { name: u?.name ?? '', path: v.communityPath };
    } else {
      const ctx = who.ctx!;
      if (!ctx.actor.permissions.has('volunteers.review')) throw forbidden('无权出具志愿服务记录证明');
      if (!volunteersPolicy.canSeeVolunteer(ctx.actor, v.communityPath) && !scopeFor(ctx.actor, 'write').isAll) {
        // a unit may certify the service recorded by it even for volunteers living elsewhere
        const mine = await repo.listRecords(tx, { root: scopeFor(ctx.actor, 'write').rootPath, teamIds: [], volunteerId: v.id, state: 'approved', page: 1, pageSize: 1 });
        if (mine.total === 0) throw notFound('志愿者');
      }
      const u = await getUnitRow(tx, ctx.actor.unitId);
      issuer = { name: u?.name ?? '', path: ctx.actor.unitPath };
    }
    const from = input.from ?? '1900-01-01';
    const to = input.to ?? shanghaiDate(now);
    if (from > to) throw new AppError('VALIDATION_FAILED', '证明期间：开始日期不能晚于结束日期', [{ path: 'body.from', message: '开始日期不能晚于结束日期' }]);
    const records = await repo.countableRecords(tx, v.id, from, to);
    if (records.length === 0) throw new AppError('BUSINESS_RULE', '所选期间没有审核通过的服务记录，不能出具证明');
    const minutes = records.reduce((s, r) => s + r.minutes, 0);
    const teams = [...new Set(records.map((r) => r.team))];
    const titles = [...new Set(records.map((r) => r.title ?? r.content))];
    const content = `参加${teams.join('、')}组织的志愿服务 ${titles.length} 项：${titles.slice(0, 8).join('、')}${titles.length > 8 ? ` 等 ${titles.length} 项` : ''}`;
    const row = await repo.insertCertificate(tx, {
      id: newId(),
      number: await repo.nextCertificateNumber(tx, Number(shanghaiDate(now).slice(0, 4))),
      verifyCode: newVerifyCode(),
      volunteerId: v.id,
      name: v.name,
      idTypeLabel: ID_TYPE_LABELS[v.idType as IdType],
      idMasked: v.idMasked,
      minutes,
      recordCount: records.length,
      recordIds: records.map((r) => r.id),
      periodFrom: records[0].service_date,
      periodTo: records[records.length - 1].service_date,
      content: content.slice(0, 500),
      issuer: issuer.name,
      issuerUnitPath: issuer.path,
      issuedAt: now,
      issuedBy: who.ctx && !who.selfService ? who.ctx.actor.userId : null,
    });
    await audit(tx, who.ctx ?? volunteerCtx(v, ''), { action: 'issue', entity: 'volunteer_certificate', entityId: row.id, after: { number: row.number, volunteer: v.number, minutes, records: records.length } });
    return row;
  });
}

export async function listCertificates(deps: D, ctx: RequestContext, q: { volunteerId?: string; page: number; pageSize: number }, origin: string) {
  const root = volunteersPolicy.readRoot(ctx.actor);
  const { items, total } = await repo.listCertificates(deps.db, root, q.volunteerId, q.page, q.pageSize);
  return { items: items.map((c) => presentCertificate(c, origin)), total, page: q.page, pageSize: q.pageSize };
}

export async function listCertificatesOf(deps: Pick<Deps, 'db'>, volunteerId: string, origin: string): Promise<Certificate[]> {
  const { items } = await repo.listCertificates(deps.db, null, volunteerId, 1, 100);
  return items.map((c) => presentCertificate(c, origin));
}

export async function getCertificateFor(deps: D, ctx: RequestContext | null, id: string, volunteerId?: string): Promise<repo.CertificateRow> {
  const c = await repo.getCertificate(deps.db, id);
  if (!c) throw notFound('证明');
  if (volunteerId !== undefined) {
    if (c.volunteerId !== volunteerId) throw notFound('证明');
    return c;
  }
  const root = volunteersPolicy.readRoot(ctx!.actor);
  if (root !== null && !c.issuerUnitPath.startsWith(root)) {
    const v = await repo.getVolunteer(deps.db, c.volunteerId);
    if (!v?.communityPath.startsWith(root)) throw notFound('证明');
  }
  return c;
}

export async function verifyCertificate(deps: Pick<Deps, 'db'>, code: string) {
  const c = await repo.getCertificateByCode(deps.db, code.toUpperCase());
  if (!c) throw new AppError('NOT_FOUND', '未找到该证明：验证码不正确，或证明不是本系统出具的');
  return {
    number: c.number,
    name: c.name,
    idMasked: c.idMasked,
    hours: hoursText(c.minutes),
    recordCount: c.recordCount,
    periodFrom: c.periodFrom,
    periodTo: c.periodTo,
    content: c.content,
    issuer: c.issuer,
    issuedAt: c.issuedAt.toISOString(),
  };
}

// ---------------------------------------------------------------- figures

/**
 * The ratio table: for each child of a unit (district → streets → communities), registered
 * volunteers ÷ resident population against the city's target, active volunteers (an approved
 * record in the last 12 months), approved hours per resident, activities — all from counts.
 */
export async function ratioTable(deps: Pick<Deps, 'db'>, ctx: RequestContext, parentId: string | undefined, now = new Date()): Promise<RatioTable> {
  volunteersPolicy.readRoot(ctx.actor);
  const scope = scopeFor(ctx.actor, 'read');
  const parent = await getUnitRow(deps.db, parentId ?? (scope.isAll ? rootIdOf(ctx.actor.unitPath) : ctx.actor.unitId));
  if (!parent || (!scope.isAll && !parent.path.startsWith(scope.rootPath))) throw notFound('单位');
  const [settings, children, population] = await Promise.all([repo.getSettings(deps.db), childUnitsWithPopulation(deps.db, parent.id), unitPopulation(deps.db, parent.id)]);
  const activeSince = addDays(shanghaiDate(now), -365);
  const counts = await repo.ratioCounts(deps.db, [...children.map((c) => ({ id: c.id, path: c.path })), { id: parent.id, path: parent.path }], activeSince);
  const row = (u: { id: string; name: string; kind: string; population: number | null; hasChildren: boolean }): RatioRow => {
    const c = counts.get(u.id) ?? { registered: 0, active: 0, minutes: 0, activities: 0 };
    return {
      unitId: u.id,
      unitName: u.name,
      kind: u.kind,
      hasChildren: u.hasChildren,
      population: u.population,
      registered: c.registered,
      ratioPercent: ratioPercent(c.registered, u.population),
      meetsTarget: meetsTarget(c.registered, u.population, settings.ratioTargetPermille),
      active: c.active,
      approvedMinutes: c.minutes,
      hoursPerCapita: perCapitaHours(c.minutes, u.population),
      activities: c.activities,
    };
  };
  return {
    parent: { id: parent.id, name: parent.name },
    targetPermille: settings.ratioTargetPermille,
    total: row({ id: parent.id, name: parent.name, kind: parent.kind, population, hasChildren: children.length > 0 }),
    rows: children.map((c) => row({ id: c.id, name: c.name, kind: c.kind, population: c.population, hasChildren: c.has_children })),
    themes: await repo.themeCounts(deps.db, parent.path),
  };
}

const rootIdOf = (path: string) => path.split('/').filter(Boolean)[0];

/** Approved hours per resident with two decimals, from integer minutes: perCapitaHours(600, 100) → '0.10'. */
export function perCapitaHours(minutes: number, population: number | null): string | null {
  if (!population || population <= 0) return null;
  const centi = Math.floor((minutes * 100 * 2 + 60 * population) / (60 * population * 2));
  return `${Math.floor(centi / 100)}.${String(centi % 100).padStart(2, '0')}`;
}
