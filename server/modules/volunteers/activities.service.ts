import QRCode from 'qrcode';
import type { z } from 'zod';
import type { Activity, ActivityRequest, Attendance, CheckinCodeResponse, CheckinResponse, ListActivitiesQuery } from '../../../contracts/volunteers.ts';
import { distanceMeters } from '../../../domain/geo.ts';
import { ageOn } from '../../../domain/id-number.ts';
import { maskPhone } from '../../../domain/masking.ts';
import {
  checkinCode,
  checkinToken,
  isLateRecord,
  type Mac,
  serviceMinutes,
  TOKEN_STEP_SECONDS,
  tokenStep,
  verifyCheckin,
  windowRefusal,
} from '../../../domain/volunteer-rules.ts';
import { shanghaiDate } from '../../../domain/working-days.ts';
import type { Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import type { RequestContext } from '../../http/actor.ts';
import { AppError, notFound } from '../../http/errors.ts';
import { newId } from '../../lib/ids.ts';
import { audit } from '../audit/index.ts';
import { loadCalendar } from '../issues/index.ts';
import { getPointRow } from '../org/index.ts';
import { volunteersPolicy } from './volunteers.policy.ts';
import * as repo from './volunteers.repo.ts';
import { volunteerCtx } from './volunteers.service.ts';

type D = Pick<Deps, 'db' | 'crypto'>;

export const macOf =
  (deps: Pick<Deps, 'crypto'>): Mac =>
  (m) =>
    deps.crypto.lookupHash(m);

export async function createActivity(deps: D, ctx: RequestContext, input: z.output<typeof ActivityRequest>): Promise<{ id: string }> {
  return deps.db.transaction(async (tx) => {
    const team = await repo.getTeam(tx, input.teamId);
    if (!team) throw new AppError('VALIDATION_FAILED', '志愿队：请选择志愿队', [{ path: 'body.teamId', message: '请选择志愿队' }]);
    await volunteersPolicy.requireRunTeam(tx, ctx.actor, team);
    for (const t of input.themes) {
      if (!(await repo.tagExists(tx, 'theme', t))) throw new AppError('VALIDATION_FAILED', `活动主题：“${t}”不在可选范围内`, [{ path: 'body.themes', message: '请选择活动主题' }]);
    }
    let { lng, lat, address } = input;
    if (input.stationId) {
      const s = await repo.getStation(tx, input.stationId);
      if (!s) throw new AppError('VALIDATION_FAILED', '服务站：服务站不存在', [{ path: 'body.stationId', message: '服务站不存在' }]);
      lng ??= s.lng;
      lat ??= s.lat;
      address ||= s.address || s.name;
    } else if (input.pointId) {
      const p = await getPointRow(tx, input.pointId);
      if (!p) throw new AppError('VALIDATION_FAILED', '活动地点：点位不存在', [{ path: 'body.pointId', message: '点位不存在' }]);
      lng ??= p.lng;
      lat ??= p.lat;
      address ||= p.name;
    }
    if (lng === undefined || lat === undefined) throw new AppError('VALIDATION_FAILED', '活动地点：请选择服务站、点位或在地图上选点', [{ path: 'body.lng', message: '请选择活动地点' }]);
    const row = await repo.insertActivity(tx, {
      id: newId(),
      teamId: team.id,
      unitPath: team.unitPath,
      title: input.title,
      content: input.content,
      themes: input.themes,
      startsAt: new Date(input.startsAt),
      endsAt: new Date(input.endsAt),
      stationId: input.stationId,
      pointId: input.pointId,
      address,
      lng,
      lat,
      radiusM: input.radiusM,
      capacity: input.capacity,
      minAge: input.minAge,
      maxAge: input.maxAge,
      skills: input.skills,
      signupDeadline: new Date(input.signupDeadline),
      createdBy: ctx.actor.userId,
    });
    await audit(tx, ctx, { action: 'create', entity: 'volunteer_activity', entityId: row.id, after: { ...input, lng, lat } });
    return { id: row.id };
  });
}

type ActivityWithTeam = repo.ActivityRow & { teamName: string };

async function present(db: Executor, rows: ActivityWithTeam[], opts: { canManage: (a: ActivityWithTeam) => boolean; volunteerId?: string }, now: Date): Promise<Activity[]> {
  const ids = rows.map((r) => r.id);
  const [counts, mine] = await Promise.all([repo.signupCounts(db, ids), opts.volunteerId ? repo.signupsOf(db, opts.volunteerId, ids) : Promise.resolve(new Map<string, repo.SignupRow>())]);
  return rows.map((a) => {
    const c = counts.get(a.id);
    const s = mine.get(a.id);
    return {
      id: a.id,
      teamId: a.teamId,
      teamName: a.teamName,
      title: a.title,
      content: a.content,
      themes: a.themes,
      startsAt: a.startsAt.toISOString(),
      endsAt: a.endsAt.toISOString(),
      stationId: a.stationId,
      pointId: a.pointId,
      address: a.address,
      lng: a.lng,
      lat: a.lat,
      radiusM: a.radiusM,
      capacity: a.capacity,
      minAge: a.minAge,
      maxAge: a.maxAge,
      skills: a.skills,
      signupDeadline: a.signupDeadline.toISOString(),
      signedCount: c?.signed ?? 0,
      waitingCount: c?.waiting ?? 0,
      checkedInCount: c?.checkedIn ?? 0,
      isCancelled: a.isCancelled,
      isClosed: a.closedAt !== null || a.endsAt.getTime() <= now.getTime(),
      canManage: opts.canManage(a),
      myState: (s?.state as Activity['myState']) ?? null,
      myCheckinAt: s?.checkinAt?.toISOString() ?? null,
      myCheckoutAt: s?.checkoutAt?.toISOString() ?? null,
      version: a.version,
    };
  });
}

export async function listActivities(deps: D, ctx: RequestContext, q: z.output<typeof ListActivitiesQuery>) {
  const { root, teamIds } = await volunteersPolicy.teamReadRoot(deps.db, ctx.actor);
  const now = new Date();
  const { items, total } = await repo.listActivities(deps.db, { root, teamIds, teamId: q.teamId, when: q.when, theme: q.theme, now }, q.page, q.pageSize);
  const mine = new Set(teamIds);
  const manageable = new Map<string, boolean>();
  for (const a of items) manageable.set(a.id, mine.has(a.teamId) || (await volunteersPolicy.canRunTeam(deps.db, ctx.actor, { id: a.teamId, unitPath: a.unitPath })));
  return { items: await present(deps.db, items, { canManage: (a) => manageable.get(a.id) ?? false }, now), total, page: q.page, pageSize: q.pageSize };
}

export async function listPublicActivities(deps: D, v: repo.VolunteerRow | null, q: z.output<typeof ListActivitiesQuery>) {
  const now = new Date();
  const { items, total } = await repo.listActivities(deps.db, { root: null, teamId: q.teamId, when: q.when, theme: q.theme, now }, q.page, q.pageSize);
  const visible = items.filter((a) => !a.isCancelled || q.when !== 'upcoming');
  return { items: await present(deps.db, visible, { canManage: () => false, volunteerId: v?.id }, now), total, page: q.page, pageSize: q.pageSize };
}

async function loadActivity(db: Executor, id: string, forUpdate = false): Promise<ActivityWithTeam> {
  const a = await repo.getActivity(db, id, forUpdate);
  if (!a) throw notFound('活动');
  const team = await repo.getTeam(db, a.teamId);
  return { ...a, teamName: team?.name ?? '' };
}

export async function getActivity(deps: D, ctx: RequestContext, id: string): Promise<Activity> {
  const a = await loadActivity(deps.db, id);
  const canManage = await volunteersPolicy.canRunTeam(deps.db, ctx.actor, { id: a.teamId, unitPath: a.unitPath });
  if (!canManage && !volunteersPolicy.canSeeVolunteer(ctx.actor, a.unitPath)) throw notFound('活动');
  return (await present(deps.db, [a], { canManage: () => canManage }, new Date()))[0];
}

export async function getPublicActivity(deps: D, v: repo.VolunteerRow | null, id: string): Promise<Activity> {
  const a = await loadActivity(deps.db, id);
  return (await present(deps.db, [a], { canManage: () => false, volunteerId: v?.id }, new Date()))[0];
}

export async function listAttendance(deps: D, ctx: RequestContext, id: string): Promise<Attendance[]> {
  const a = await loadActivity(deps.db, id);
  if (!(await volunteersPolicy.canRunTeam(deps.db, ctx.actor, { id: a.teamId, unitPath: a.unitPath }))) {
    if (!volunteersPolicy.canSeeVolunteer(ctx.actor, a.unitPath)) throw notFound('活动');
  }
  const rows = await repo.attendance(deps.db, id);
  return rows.map(({ s, v }) => ({
    volunteerId: v.id,
    name: v.name,
    number: v.number,
    phoneMasked: maskPhone(deps.crypto.decrypt(v.phoneEnc)),
    state: s.state as Attendance['state'],
    signedAt: s.signedAt.toISOString(),
    checkinAt: s.checkinAt?.toISOString() ?? null,
    checkoutAt: s.checkoutAt?.toISOString() ?? null,
    isAutoCheckout: s.isAutoCheckout,
  }));
}

/** The organiser's rotating code: a URL with the signed token (drawn as a QR) and the 6-digit code. */
export async function checkinCodeFor(deps: D, ctx: RequestContext, id: string, origin: string, now = new Date()): Promise<CheckinCodeResponse> {
  const a = await loadActivity(deps.db, id);
  await volunteersPolicy.requireRunTeam(deps.db, ctx.actor, { id: a.teamId, unitPath: a.unitPath });
  if (a.isCancelled) throw new AppError('INVALID_STATE', '活动已取消');
  const step = tokenStep(now);
  const mac = macOf(deps);
  const token = checkinToken(mac, a.id, step);
  const url = `${origin}/h5/v/checkin?a=${a.id}&t=${encodeURIComponent(token)}`;
  const qrSvg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
  return {
    url,
    token,
    code: checkinCode(mac, a.id, step),
    qrSvg,
    expiresAt: new Date((step + 1) * TOKEN_STEP_SECONDS * 1000).toISOString(),
    stepSeconds: TOKEN_STEP_SECONDS,
  };
}

// ---------------------------------------------------------------- sign-up

export async function signUp(deps: D, v: repo.VolunteerRow, id: string, ip: string, now = new Date()): Promise<{ state: string }> {
  return deps.db.transaction(async (tx) => {
    const a = await loadActivity(tx, id, true);
    if (a.isCancelled) throw new AppError('INVALID_STATE', '活动已取消');
    if (now.getTime() > a.signupDeadline.getTime()) throw new AppError('BUSINESS_RULE', '报名已截止');
    const age = ageOn(v.birthDate, shanghaiDate(a.startsAt));
    if (a.minAge !== null && age < a.minAge) throw new AppError('BUSINESS_RULE', `本活动要求年满 ${a.minAge} 周岁`);
    if (a.maxAge !== null && age > a.maxAge) throw new AppError('BUSINESS_RULE', `本活动要求年龄不超过 ${a.maxAge} 周岁`);
    const missing = a.skills.filter((s) => !v.skills.includes(s));
    if (missing.length) throw new AppError('BUSINESS_RULE', `本活动需要以下技能：${missing.join('、')}`);
    const existing = await repo.getSignup(tx, id, v.id, true);
    if (existing && (existing.state === 'signed' || existing.state === 'waiting')) throw new AppError('INVALID_STATE', existing.state === 'signed' ? '您已报名本活动' : '您已在候补名单中');
    if (existing?.checkinAt) throw new AppError('INVALID_STATE', '您已签到过本活动');
    const signed = (await repo.signupCounts(tx, [id])).get(id)?.signed ?? 0;
    const state = signed < a.capacity ? 'signed' : 'waiting';
    await repo.upsertSignup(tx, { activityId: id, volunteerId: v.id, state, signedAt: now });
    await audit(tx, volunteerCtx(v, ip), { action: state === 'signed' ? 'signup' : 'signup_waiting', entity: 'volunteer_activity', entityId: id, after: { volunteer: v.number } });
    return { state };
  });
}

export async function cancelSignup(deps: D, v: repo.VolunteerRow, id: string, ip: string): Promise<{ state: string }> {
  return deps.db.transaction(async (tx) => {
    const a = await loadActivity(tx, id, true);
    const s = await repo.getSignup(tx, id, v.id, true);
    if (!s || (s.state !== 'signed' && s.state !== 'waiting')) throw new AppError('INVALID_STATE', '您未报名本活动');
    if (s.checkinAt) throw new AppError('INVALID_STATE', '已签到，不能取消报名');
    if (a.endsAt.getTime() <= Date.now()) throw new AppError('INVALID_STATE', '活动已结束');
    await repo.setSignup(tx, id, v.id, { state: 'cancelled' });
    let promoted: string | null = null;
    if (s.state === 'signed') {
      const next = await repo.firstWaiting(tx, id);
      if (next) {
        await repo.setSignup(tx, id, next.volunteerId, { state: 'signed' });
        promoted = next.volunteerId;
      }
    }
    await audit(tx, volunteerCtx(v, ip), { action: 'signup_cancel', entity: 'volunteer_activity', entityId: id, after: { volunteer: v.number, promoted } });
    return { state: 'cancelled' };
  });
}

// ---------------------------------------------------------------- check-in and check-out

const refuse = (reason: string, path = 'body.token') => new AppError('BUSINESS_RULE', reason, [{ path, message: reason }]);

/**
 * Check-in, or check-out when already checked in, with the organiser's current token or code
 * and the phone's position. The token must be of this activity and at most one step old, the
 * volunteer signed up, inside the window and the radius; the same step twice is a replay.
 */
export async function checkIn(deps: D, v: repo.VolunteerRow, id: string, input: { token: string; lng: number; lat: number }, ip: string, now = new Date()): Promise<CheckinResponse> {
  const verdict = verifyCheckin(macOf(deps), id, input.token, now);
  if (!verdict.ok) throw refuse(verdict.reason);
  return deps.db.transaction(async (tx) => {
    // the hot path of a burst: the activity alone (no team name), by its primary key
    const a = await repo.getActivity(tx, id);
    if (!a) throw notFound('活动');
    if (a.isCancelled) throw refuse('活动已取消');
    const s = await repo.getSignup(tx, id, v.id, true);
    if (!s || s.state === 'cancelled') throw refuse('您未报名本活动，不能签到');
    if (s.state === 'waiting') throw refuse('您在候补名单中，尚未获得名额，不能签到');
    if (s.state === 'no_show') throw refuse('活动已结束，您被记为未到场');
    if (s.checkoutAt) throw new AppError('INVALID_STATE', '您已签退，本活动的服务时长已记录');
    const action: 'in' | 'out' = s.checkinAt ? 'out' : 'in';
    const closed = windowRefusal(action, now, a.startsAt, a.endsAt);
    if (closed) throw refuse(closed);
    const distance = Math.round(distanceMeters([input.lng, input.lat], [a.lng, a.lat]));
    if (distance > a.radiusM) throw refuse(`您不在活动地点范围内：距活动地点约 ${distance} 米，须在 ${a.radiusM} 米以内`, 'body.lng');
    if (!(await repo.useTokenStep(tx, id, v.id, verdict.step, action))) {
      throw new AppError('CONFLICT', '该签到码您已使用过，请等待组织者手机上的二维码刷新后再扫', [{ path: 'body.token', message: '签到码已使用' }]);
    }
    const ctx = volunteerCtx(v, ip);
    if (action === 'in') {
      await repo.setSignup(tx, id, v.id, { checkinAt: now, checkinLng: input.lng, checkinLat: input.lat });
      await audit(tx, ctx, { action: 'checkin', entity: 'volunteer_activity', entityId: id, after: { volunteer: v.number, distance } });
      return { action, at: now.toISOString(), minutes: null, distanceM: distance };
    }
    await repo.setSignup(tx, id, v.id, { checkoutAt: now });
    const minutes = serviceMinutes(s.checkinAt!, now, a.startsAt, a.endsAt);
    const record = await createCheckinRecord(tx, a, v.id, minutes, now, false);
    await audit(tx, ctx, { action: 'checkout', entity: 'volunteer_activity', entityId: id, after: { volunteer: v.number, distance, minutes, record: record.id } });
    return { action, at: now.toISOString(), minutes, distanceM: distance };
  });
}

async function createCheckinRecord(tx: Executor, a: repo.ActivityRow, volunteerId: string, minutes: number, enteredAt: Date, isAuto: boolean) {
  const cal = await loadCalendar(tx);
  const record = await repo.insertRecord(tx, {
    id: newId(),
    volunteerId,
    activityId: a.id,
    teamId: a.teamId,
    unitPath: a.unitPath,
    kind: 'checkin',
    state: 'pending',
    minutes,
    serviceDate: shanghaiDate(a.startsAt),
    serviceEnd: a.endsAt,
    content: a.title,
    isLate: isLateRecord(a.endsAt, enteredAt, cal),
    isAutoCheckout: isAuto,
    createdAt: enteredAt,
  });
  await repo.insertRecordEvent(tx, {
    recordId: record.id,
    action: isAuto ? 'auto_checkout' : 'create',
    fromState: null,
    toState: 'pending',
    actorName: isAuto ? '系统（活动结束自动签退）' : '签到签退',
    at: enteredAt,
  });
  return record;
}

/**
 * The end-of-activity pass, run by the job queue's schedule `volunteers.close-activities`: for each
 * ended activity not yet closed, volunteers checked in but not out are checked out at the end and
 * their record flagged; those signed up who never came become no-shows.
 */
export async function closeEndedActivities(deps: Pick<Deps, 'db'>, now = new Date(), batch = 100): Promise<{ activities: number; autoCheckouts: number; noShows: number }> {
  return deps.db.transaction(async (tx) => {
    const ended = await repo.endedOpenActivities(tx, now, batch);
    let autoCheckouts = 0;
    let noShows = 0;
    for (const a of ended) {
      for (const { s } of await repo.attendance(tx, a.id)) {
        if (s.checkinAt && !s.checkoutAt) {
          await repo.setSignup(tx, a.id, s.volunteerId, { checkoutAt: a.endsAt, isAutoCheckout: true });
          await createCheckinRecord(tx, a, s.volunteerId, serviceMinutes(s.checkinAt, a.endsAt, a.startsAt, a.endsAt), now, true);
          autoCheckouts++;
        } else if (s.state === 'signed' && !s.checkinAt && !a.isCancelled) {
          await repo.setSignup(tx, a.id, s.volunteerId, { state: 'no_show' });
          noShows++;
        }
      }
      await repo.markClosed(tx, a.id, now);
    }
    if (ended.length) await audit(tx, null, { action: 'close', entity: 'volunteer_activity', entityId: null, after: { activities: ended.map((a) => a.id), autoCheckouts, noShows } });
    return { activities: ended.length, autoCheckouts, noShows };
  });
}

export async function cancelActivity(deps: D, ctx: RequestContext, id: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const a = await loadActivity(tx, id, true);
    await volunteersPolicy.requireRunTeam(tx, ctx.actor, { id: a.teamId, unitPath: a.unitPath });
    if (a.isCancelled) throw new AppError('INVALID_STATE', '活动已取消');
    if (a.startsAt.getTime() <= Date.now()) throw new AppError('INVALID_STATE', '活动已开始，不能取消');
    await repo.setActivityCancelled(tx, id);
    await audit(tx, ctx, { action: 'cancel', entity: 'volunteer_activity', entityId: id, before: { title: a.title } });
  });
}
