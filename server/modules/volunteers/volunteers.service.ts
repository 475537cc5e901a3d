import type { z } from 'zod';
import type { ListVolunteersQuery, MyPage, RegisterVolunteerRequest, Volunteer, VolunteerSettings } from '../../../contracts/volunteers.ts';
import { checkIdNumber, type IdType, isRealBirthDate, maskIdNumber } from '../../../domain/id-number.ts';
import { maskPhone } from '../../../domain/masking.ts';
import { searchTextOf } from '../../../domain/pinyin.ts';
import { minutesToNextStar, starLevel } from '../../../domain/volunteer-rules.ts';
import { shanghaiDate } from '../../../domain/working-days.ts';
import type { Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import type { Actor, RequestContext } from '../../http/actor.ts';
import { AppError, forbidden, notFound, staleVersion } from '../../http/errors.ts';
import { randomToken, sha256 } from '../../lib/crypto.ts';
import { newId } from '../../lib/ids.ts';
import { audit } from '../audit/index.ts';
import { getUnitRow, getUnitsByIds } from '../org/index.ts';
import { volunteersPolicy } from './volunteers.policy.ts';
import * as repo from './volunteers.repo.ts';

type D = Pick<Deps, 'db' | 'crypto'>;

/** How long a volunteer's phone stays signed in. */
export const VOLUNTEER_SESSION_DAYS = 180;

/** Fields a registration error names, in Chinese. */
export const FIELD_LABELS: Record<string, string> = {
  name: '姓名',
  idType: '证件类型',
  idNumber: '证件号码',
  birthDate: '出生日期',
  gender: '性别',
  phone: '手机号',
  communityId: '所在社区',
  consent: '同意注册协议',
  skills: '专业技能',
  serviceAreas: '服务领域',
  serviceTimes: '服务时间',
};

export type ParsedRegistration = z.output<typeof RegisterVolunteerRequest>;

export type CheckedPerson = { idNumber: string; idHash: string; birthDate: string; gender: 'male' | 'female' };

/** The ID number checked and normalised, birth date and gender from it or as stated; throws 400 naming the field. */
export function checkPerson(d: Pick<Deps, 'crypto'>, input: { idType: IdType; idNumber: string; birthDate?: string; gender?: 'male' | 'female' }, now: Date, pathPrefix = 'body'): CheckedPerson {
  const today = shanghaiDate(now);
  const c = checkIdNumber(input.idType, input.idNumber, today);
  if (!c.ok) throw new AppError('VALIDATION_FAILED', `证件号码：${c.message}`, [{ path: `${pathPrefix}.idNumber`, message: c.message }]);
  const birthDate = c.birthDate ?? input.birthDate;
  const gender = c.gender ?? input.gender;
  if (!birthDate || !isRealBirthDate(birthDate.replaceAll('-', ''), today)) {
    throw new AppError('VALIDATION_FAILED', '出生日期：请填写真实的出生日期', [{ path: `${pathPrefix}.birthDate`, message: '请填写真实的出生日期' }]);
  }
  if (!gender) throw new AppError('VALIDATION_FAILED', '性别：请选择性别', [{ path: `${pathPrefix}.gender`, message: '请选择性别' }]);
  return { idNumber: c.normalized, idHash: d.crypto.lookupHash(`volunteer-id|${c.normalized}`), birthDate, gender };
}

export const idHashOf = (d: Pick<Deps, 'crypto'>, normalized: string) => d.crypto.lookupHash(`volunteer-id|${normalized}`);

export const duplicatePerson = (path = 'body.idNumber') =>
  new AppError('DUPLICATE', '证件号码：该证件号码已注册为志愿者（一人只能注册一次）', [{ path, message: '该证件号码已注册为志愿者' }]);

/** Builds the row of a new volunteer (encrypting the ID number and phone). */
export async function volunteerRow(
  d: D & { db: Executor },
  input: ParsedRegistration,
  person: CheckedPerson,
  community: { id: string; path: string },
  source: 'self' | 'admin' | 'import',
  now: Date,
  number?: string,
) {
  return {
    id: newId(),
    number: number ?? (await repo.nextVolunteerNumber(d.db)),
    name: input.name,
    idType: input.idType,
    idHash: person.idHash,
    idEnc: d.crypto.encrypt(person.idNumber),
    idMasked: maskIdNumber(person.idNumber),
    gender: person.gender,
    birthDate: person.birthDate,
    phoneEnc: d.crypto.encrypt(input.phone),
    phoneHash: d.crypto.lookupHash(input.phone),
    phoneTail: input.phone.slice(-4),
    skills: input.skills,
    serviceAreas: input.serviceAreas,
    serviceTimes: input.serviceTimes,
    communityId: community.id,
    communityPath: community.path,
    consentAt: now,
    source,
    searchText: searchTextOf(input.name),
  };
}

async function requireCommunity(db: Executor, id: string) {
  const unit = await getUnitRow(db, id);
  if (unit?.kind !== 'community' || !unit.isActive) {
    throw new AppError('VALIDATION_FAILED', '所在社区：请选择所在社区', [{ path: 'body.communityId', message: '请选择所在社区' }]);
  }
  return unit;
}

/** Registers one volunteer: self-registration (ctx null) or by an admin. One person, one record. */
export async function registerVolunteer(deps: D, ctx: RequestContext | null, input: ParsedRegistration, now = new Date()): Promise<repo.VolunteerRow> {
  const person = checkPerson(deps, input, now);
  return deps.db.transaction(async (tx) => {
    const community = await requireCommunity(tx, input.communityId);
    if (ctx) volunteersPolicy.requireManageUnit(ctx.actor, community.path);
    if (await repo.getVolunteerByIdHash(tx, person.idHash)) throw duplicatePerson();
    const row = await repo.insertVolunteer(tx, await volunteerRow({ ...deps, db: tx }, input, person, community, ctx ? 'admin' : 'self', now));
    await audit(tx, ctx ?? volunteerCtx(row, ''), { action: 'register', entity: 'volunteer', entityId: row.id, after: auditView(row) });
    return row;
  });
}

/** What the audit log keeps of a volunteer: never the ID number or the phone. */
export const auditView = (r: repo.VolunteerRow) => ({
  number: r.number,
  name: r.name,
  idType: r.idType,
  idMasked: r.idMasked,
  communityId: r.communityId,
  skills: r.skills,
  source: r.source,
});

/** An audit context for a volunteer acting on their phone (no user account). */
export function volunteerCtx(v: { id: string; name: string; number: string }, ip: string): RequestContext {
  const actor: Actor = {
    userId: '',
    username: `volunteer:${v.number}`,
    name: `志愿者${v.name}`,
    unitId: '',
    unitPath: '',
    roles: [],
    permissions: new Set(),
    gridIds: new Set(),
  };
  return { actor, ip };
}

export async function presentVolunteers(db: Executor, rows: repo.VolunteerRow[], crypto: Deps['crypto']): Promise<Volunteer[]> {
  const [units, minutes, settings] = await Promise.all([
    getUnitsByIds(
      db,
      [...new Set(rows.map((r) => r.communityId))],
    ),
    repo.approvedMinutes(
      db,
      rows.map((r) => r.id),
    ),
    repo.getSettings(db),
  ]);
  const names = new Map(units.map((u) => [u.id, u.name]));
  return rows.map((r) => {
    const m = minutes.get(r.id) ?? 0;
    return {
      id: r.id,
      number: r.number,
      name: r.name,
      idType: r.idType as IdType,
      idMasked: r.idMasked,
      gender: r.gender as 'male' | 'female',
      birthDate: r.birthDate,
      phoneMasked: maskPhone(crypto.decrypt(r.phoneEnc)),
      skills: r.skills,
      serviceAreas: r.serviceAreas,
      serviceTimes: r.serviceTimes,
      communityId: r.communityId,
      communityName: names.get(r.communityId) ?? '',
      consentAt: r.consentAt.toISOString(),
      source: r.source as Volunteer['source'],
      approvedMinutes: m,
      stars: starLevel(m, settings.starThresholds),
      createdAt: r.createdAt.toISOString(),
      version: r.version,
    };
  });
}

export async function listVolunteers(deps: D, ctx: RequestContext, q: z.output<typeof ListVolunteersQuery>) {
  const root = volunteersPolicy.readRoot(ctx.actor);
  let unitPath: string | undefined;
  if (q.unitId) {
    const u = await getUnitRow(deps.db, q.unitId);
    if (!u) throw notFound('单位');
    unitPath = u.path;
  }
  const { items, total } = await repo.listVolunteers(deps.db, root, { ...q, unitPath });
  return { items: await presentVolunteers(deps.db, items, deps.crypto), total, page: q.page, pageSize: q.pageSize };
}

export async function getVolunteer(deps: D, ctx: RequestContext, id: string): Promise<Volunteer> {
  const row = await repo.getVolunteer(deps.db, id);
  if (!row || !volunteersPolicy.canSeeVolunteer(ctx.actor, row.communityPath)) throw notFound('志愿者');
  return (await presentVolunteers(deps.db, [row], deps.crypto))[0];
}

/** The full ID number and phone, for managers in scope; the viewing is audited. */
export async function volunteerContact(deps: D, ctx: RequestContext, id: string) {
  const row = await repo.getVolunteer(deps.db, id);
  if (!row || !volunteersPolicy.canSeeVolunteer(ctx.actor, row.communityPath)) throw notFound('志愿者');
  volunteersPolicy.requireManageUnit(ctx.actor, row.communityPath);
  await audit(deps.db, ctx, { action: 'view_contact', entity: 'volunteer', entityId: id, after: { number: row.number } });
  return { idNumber: deps.crypto.decrypt(row.idEnc), phone: deps.crypto.decrypt(row.phoneEnc) };
}

// ---------------------------------------------------------------- phone sessions (no account)

export async function openSession(deps: D, volunteerId: string): Promise<string> {
  const token = randomToken();
  await repo.insertSession(deps.db, sha256(token), volunteerId, new Date(Date.now() + VOLUNTEER_SESSION_DAYS * 86_400_000));
  return token;
}

/** The volunteer of a phone token (header x-volunteer-token); 401 without one. */
export async function requireVolunteer(deps: Pick<Deps, 'db'>, token: string | undefined): Promise<repo.VolunteerRow> {
  const v = token ? await repo.volunteerBySession(deps.db, sha256(token)) : undefined;
  if (!v) throw new AppError('UNAUTHENTICATED', '请先注册或登录志愿者身份');
  return v;
}

/** Signs a volunteer in on a new phone with the ID number and phone given at registration. */
export async function loginVolunteer(deps: D, input: { idNumber: string; phone: string }) {
  const normalized = input.idNumber.replace(/\s+/g, '').toUpperCase();
  const v = await repo.getVolunteerByIdHash(deps.db, idHashOf(deps, normalized));
  if (!v || v.phoneHash !== deps.crypto.lookupHash(input.phone)) {
    throw new AppError('INVALID_CREDENTIALS', '证件号码或手机号不正确');
  }
  return v;
}

// ---------------------------------------------------------------- settings, tags

export async function getSettings(deps: Pick<Deps, 'db'>): Promise<VolunteerSettings> {
  const s = await repo.getSettings(deps.db);
  return { ratioTargetPermille: s.ratioTargetPermille, starThresholds: s.starThresholds, version: s.version };
}

export async function saveSettings(deps: Pick<Deps, 'db'>, ctx: RequestContext, input: VolunteerSettings): Promise<VolunteerSettings> {
  volunteersPolicy.requireCityLevel(ctx.actor);
  return deps.db.transaction(async (tx) => {
    const before = await repo.getSettings(tx);
    if (!(await repo.saveSettings(tx, input))) throw staleVersion();
    await audit(tx, ctx, {
      action: 'update',
      entity: 'volunteer_settings',
      entityId: '1',
      before: { ratioTargetPermille: before.ratioTargetPermille, starThresholds: before.starThresholds },
      after: { ratioTargetPermille: input.ratioTargetPermille, starThresholds: input.starThresholds },
    });
    return getSettings({ db: tx });
  });
}

export async function listTags(deps: Pick<Deps, 'db'>) {
  return (await repo.listTags(deps.db)).map((t) => ({ id: t.id, category: t.category as 'team_kind', name: t.name, sort: t.sort }));
}

// ---------------------------------------------------------------- the volunteer's own page

export async function myPage(
  deps: D,
  v: repo.VolunteerRow,
  presentRecords: (rows: repo.RecordListRow[]) => MyPage['records'],
  certificates: MyPage['certificates'],
): Promise<MyPage> {
  const [volunteer] = await presentVolunteers(deps.db, [v], deps.crypto);
  const [byState, teams, records, settings] = await Promise.all([
    repo.minutesByState(deps.db, v.id),
    repo.membershipsOf(deps.db, v.id),
    repo.recordsOfVolunteer(deps.db, v.id),
    repo.getSettings(deps.db),
  ]);
  return {
    volunteer,
    minutesByState: byState,
    stars: starLevel(byState.approved, settings.starThresholds),
    minutesToNextStar: minutesToNextStar(byState.approved, settings.starThresholds),
    teams: teams.map((t) => ({ id: t.id, name: t.name, state: t.state as 'pending' })),
    records: presentRecords(records),
    certificates,
  };
}

export const requireOwn = (v: { id: string }, volunteerId: string) => {
  if (v.id !== volunteerId) throw forbidden();
};
