import { and, asc, desc, eq, ilike, inArray, isNull, like, lte, or, type SQL, sql } from 'drizzle-orm';
import { type Executor, rowsOf } from '../../db/client.ts';
import {
  volunteerActivities,
  volunteerCertificates,
  volunteerRecordEvents,
  volunteerRecords,
  volunteerSessions,
  volunteerSettings,
  volunteerSignups,
  volunteerStations,
  volunteerStationTeams,
  volunteerTags,
  volunteerTeamAdmins,
  volunteerTeamMembers,
  volunteerTeams,
  volunteers,
  volunteerTokenUses,
} from './volunteers.tables.ts';

export type VolunteerRow = typeof volunteers.$inferSelect;
export type TeamRow = typeof volunteerTeams.$inferSelect;
export type StationRow = typeof volunteerStations.$inferSelect;
export type ActivityRow = typeof volunteerActivities.$inferSelect;
export type SignupRow = typeof volunteerSignups.$inferSelect;
export type RecordRow = typeof volunteerRecords.$inferSelect;
export type CertificateRow = typeof volunteerCertificates.$inferSelect;

const prefix = (col: SQL | typeof volunteers.communityPath, root: string | null) => (root === null ? undefined : like(col as never, `${root}%`));

// ---------------------------------------------------------------- settings and tags

export async function getSettings(db: Executor) {
  const [row] = await db.select().from(volunteerSettings).where(eq(volunteerSettings.id, 1));
  return row ?? { id: 1, ratioTargetPermille: 80, starThresholds: [100, 300, 600, 1000, 1500], version: 0, updatedAt: new Date(0) };
}

export async function saveSettings(db: Executor, v: { ratioTargetPermille: number; starThresholds: number[]; version: number }): Promise<boolean> {
  if (v.version === 0) {
    const r = await db.insert(volunteerSettings).values({ id: 1, ratioTargetPermille: v.ratioTargetPermille, starThresholds: v.starThresholds }).onConflictDoNothing().returning();
    return r.length === 1;
  }
  const r = await db
    .update(volunteerSettings)
    .set({ ratioTargetPermille: v.ratioTargetPermille, starThresholds: v.starThresholds, version: sql`${volunteerSettings.version} + 1`, updatedAt: new Date() })
    .where(and(eq(volunteerSettings.id, 1), eq(volunteerSettings.version, v.version)))
    .returning();
  return r.length === 1;
}

export const listTags = (db: Executor) => db.select().from(volunteerTags).orderBy(asc(volunteerTags.category), asc(volunteerTags.sort), asc(volunteerTags.name));
export async function tagExists(db: Executor, category: string, name: string): Promise<boolean> {
  const r = await db.select({ id: volunteerTags.id }).from(volunteerTags).where(and(eq(volunteerTags.category, category), eq(volunteerTags.name, name)));
  return r.length > 0;
}
export const insertTags = (db: Executor, rows: (typeof volunteerTags.$inferInsert)[]) => db.insert(volunteerTags).values(rows).onConflictDoNothing();

// ---------------------------------------------------------------- volunteers

export async function nextVolunteerNumber(db: Executor): Promise<string> {
  const [r] = rowsOf<{ n: string }>(await db.execute(sql`SELECT nextval('volunteer_number_seq')::text AS n`));
  return `ZY${r.n.padStart(8, '0')}`;
}

export async function nextVolunteerNumbers(db: Executor, n: number): Promise<string[]> {
  const r = rowsOf<{ n: string }>(await db.execute(sql`SELECT nextval('volunteer_number_seq')::text AS n FROM generate_series(1, ${n})`));
  return r.map((x) => `ZY${x.n.padStart(8, '0')}`);
}

export async function insertVolunteer(db: Executor, row: typeof volunteers.$inferInsert): Promise<VolunteerRow> {
  const [r] = await db.insert(volunteers).values(row).returning();
  return r;
}
export async function insertVolunteers(db: Executor, rows: (typeof volunteers.$inferInsert)[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) await db.insert(volunteers).values(rows.slice(i, i + 500));
}

export async function getVolunteer(db: Executor, id: string): Promise<VolunteerRow | undefined> {
  const [r] = await db.select().from(volunteers).where(eq(volunteers.id, id));
  return r;
}
export async function getVolunteerByIdHash(db: Executor, idHash: string): Promise<VolunteerRow | undefined> {
  const [r] = await db.select().from(volunteers).where(eq(volunteers.idHash, idHash)).prepare('volunteer_by_id_hash').execute();
  return r;
}
export async function existingIdHashes(db: Executor, hashes: string[]): Promise<Set<string>> {
  if (hashes.length === 0) return new Set();
  const r = await db.select({ h: volunteers.idHash }).from(volunteers).where(inArray(volunteers.idHash, hashes));
  return new Set(r.map((x) => x.h));
}

export async function listVolunteers(db: Executor, root: string | null, q: { q?: string; unitPath?: string; teamId?: string; page: number; pageSize: number }) {
  const where: (SQL | undefined)[] = [prefix(volunteers.communityPath, root)];
  if (q.unitPath) where.push(like(volunteers.communityPath, `${q.unitPath}%`));
  if (q.teamId) where.push(sql`EXISTS (SELECT 1 FROM volunteer_team_members m WHERE m.volunteer_id = ${volunteers.id} AND m.team_id = ${q.teamId} AND m.state = 'approved')`);
  if (q.q) {
    const t = q.q.toLowerCase().replace(/\s+/g, '');
    where.push(/^\d{4}$/.test(t) ? eq(volunteers.phoneTail, t) : or(ilike(volunteers.searchText, `%${t}%`), eq(volunteers.number, q.q.toUpperCase())));
  }
  const rows = await db
    .select({ v: volunteers, total: sql<number>`count(*) OVER ()`.mapWith(Number) })
    .from(volunteers)
    .where(and(...where))
    .orderBy(desc(volunteers.createdAt), asc(volunteers.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  return { items: rows.map((r) => r.v), total: rows[0]?.total ?? 0 };
}

export async function allVolunteersForExport(db: Executor, root: string | null) {
  return db.select().from(volunteers).where(prefix(volunteers.communityPath, root)).orderBy(asc(volunteers.number)).limit(100_000);
}

/** Approved, not superseded minutes per volunteer. */
export async function approvedMinutes(db: Executor, volunteerIds: string[]): Promise<Map<string, number>> {
  if (volunteerIds.length === 0) return new Map();
  const r = await db
    .select({ id: volunteerRecords.volunteerId, m: sql<number>`sum(${volunteerRecords.minutes})::int` })
    .from(volunteerRecords)
    .where(and(inArray(volunteerRecords.volunteerId, volunteerIds), eq(volunteerRecords.state, 'approved'), isNull(volunteerRecords.supersededBy)))
    .groupBy(volunteerRecords.volunteerId);
  return new Map(r.map((x) => [x.id, x.m]));
}

export async function minutesByState(db: Executor, volunteerId: string) {
  const r = await db
    .select({ state: volunteerRecords.state, m: sql<number>`coalesce(sum(${volunteerRecords.minutes}), 0)::int` })
    .from(volunteerRecords)
    .where(and(eq(volunteerRecords.volunteerId, volunteerId), isNull(volunteerRecords.supersededBy)))
    .groupBy(volunteerRecords.state);
  const out = { pending: 0, approved: 0, rejected: 0 };
  for (const x of r) out[x.state as keyof typeof out] = x.m;
  return out;
}

// ---------------------------------------------------------------- sessions

export async function insertSession(db: Executor, tokenHash: string, volunteerId: string, expiresAt: Date) {
  await db.insert(volunteerSessions).values({ tokenHash, volunteerId, expiresAt });
}
export async function volunteerBySession(db: Executor, tokenHash: string): Promise<VolunteerRow | undefined> {
  const [r] = await db
    .select({ v: volunteers })
    .from(volunteerSessions)
    .innerJoin(volunteers, eq(volunteers.id, volunteerSessions.volunteerId))
    .where(and(eq(volunteerSessions.tokenHash, tokenHash), sql`${volunteerSessions.expiresAt} > now()`));
  return r?.v;
}

// ---------------------------------------------------------------- teams

export async function userIdsByUsername(db: Executor, usernames: string[]): Promise<Map<string, string>> {
  const r = rowsOf<{ id: string; username: string }>(
    await db.execute(sql`SELECT id, username FROM users WHERE username IN (${sql.join(
      usernames.map((u) => sql`${u}`),
      sql`, `,
    )})`),
  );
  return new Map(r.map((x) => [x.username, x.id]));
}

export async function insertTeam(db: Executor, row: typeof volunteerTeams.$inferInsert) {
  const [r] = await db.insert(volunteerTeams).values(row).returning();
  return r;
}
export async function updateTeam(db: Executor, id: string, version: number, set: Partial<typeof volunteerTeams.$inferInsert>) {
  const [r] = await db
    .update(volunteerTeams)
    .set({ ...set, version: sql`${volunteerTeams.version} + 1` })
    .where(and(eq(volunteerTeams.id, id), eq(volunteerTeams.version, version)))
    .returning();
  return r;
}
export async function getTeam(db: Executor, id: string): Promise<TeamRow | undefined> {
  const [r] = await db.select().from(volunteerTeams).where(eq(volunteerTeams.id, id));
  return r;
}
export async function getTeamsByIds(db: Executor, ids: string[]): Promise<TeamRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(volunteerTeams).where(inArray(volunteerTeams.id, ids));
}
export async function setTeamAdmins(db: Executor, teamId: string, userIds: string[]) {
  await db.delete(volunteerTeamAdmins).where(eq(volunteerTeamAdmins.teamId, teamId));
  if (userIds.length) await db.insert(volunteerTeamAdmins).values(userIds.map((userId) => ({ teamId, userId })));
}
export async function teamAdmins(db: Executor, teamIds: string[]) {
  if (teamIds.length === 0) return [];
  return rowsOf<{ team_id: string; user_id: string; name: string }>(
    await db.execute(sql`SELECT a.team_id, a.user_id, u.name FROM volunteer_team_admins a JOIN users u ON u.id = a.user_id
      WHERE a.team_id IN (${sql.join(
        teamIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )}) ORDER BY u.name`),
  );
}
export async function teamsAdministeredBy(db: Executor, userId: string): Promise<string[]> {
  const r = await db.select({ t: volunteerTeamAdmins.teamId }).from(volunteerTeamAdmins).where(eq(volunteerTeamAdmins.userId, userId));
  return r.map((x) => x.t);
}
export async function isTeamAdmin(db: Executor, teamId: string, userId: string): Promise<boolean> {
  const r = await db
    .select({ t: volunteerTeamAdmins.teamId })
    .from(volunteerTeamAdmins)
    .where(and(eq(volunteerTeamAdmins.teamId, teamId), eq(volunteerTeamAdmins.userId, userId)));
  return r.length > 0;
}

/** Teams in a scope (unit path prefix) or administered by the user; with member counts. */
export async function listTeams(db: Executor, root: string | null, userId: string | null) {
  const scope = root === null ? sql`true` : sql`(t.unit_path LIKE ${`${root}%`} OR EXISTS (SELECT 1 FROM volunteer_team_admins a WHERE a.team_id = t.id AND a.user_id = ${userId}))`;
  return rowsOf<TeamRow & { unit_name: string; members: number; pending: number }>(
    await db.execute(sql`SELECT t.id, t.name, t.kind, t.unit_id AS "unitId", t.unit_path AS "unitPath", t.description, t.version, u.name AS unit_name,
        (SELECT count(*)::int FROM volunteer_team_members m WHERE m.team_id = t.id AND m.state = 'approved') AS members,
        (SELECT count(*)::int FROM volunteer_team_members m WHERE m.team_id = t.id AND m.state = 'pending') AS pending
      FROM volunteer_teams t JOIN org_units u ON u.id = t.unit_id WHERE ${scope} ORDER BY t.name`),
  );
}

export async function getMember(db: Executor, teamId: string, volunteerId: string) {
  const [r] = await db
    .select()
    .from(volunteerTeamMembers)
    .where(and(eq(volunteerTeamMembers.teamId, teamId), eq(volunteerTeamMembers.volunteerId, volunteerId)))
    .for('update');
  return r;
}
export async function upsertMember(db: Executor, row: typeof volunteerTeamMembers.$inferInsert) {
  await db
    .insert(volunteerTeamMembers)
    .values(row)
    .onConflictDoUpdate({
      target: [volunteerTeamMembers.teamId, volunteerTeamMembers.volunteerId],
      set: { state: row.state, requestedAt: row.requestedAt ?? new Date(), decidedAt: row.decidedAt ?? null, decidedBy: row.decidedBy ?? null },
    });
}
export async function insertMembers(db: Executor, rows: (typeof volunteerTeamMembers.$inferInsert)[]) {
  for (let i = 0; i < rows.length; i += 1000) await db.insert(volunteerTeamMembers).values(rows.slice(i, i + 1000)).onConflictDoNothing();
}
export async function listMembers(db: Executor, teamId: string) {
  return db
    .select({ m: volunteerTeamMembers, v: volunteers })
    .from(volunteerTeamMembers)
    .innerJoin(volunteers, eq(volunteers.id, volunteerTeamMembers.volunteerId))
    .where(eq(volunteerTeamMembers.teamId, teamId))
    .orderBy(asc(volunteerTeamMembers.state), desc(volunteerTeamMembers.requestedAt));
}
export async function membershipsOf(db: Executor, volunteerId: string) {
  return db
    .select({ id: volunteerTeams.id, name: volunteerTeams.name, state: volunteerTeamMembers.state })
    .from(volunteerTeamMembers)
    .innerJoin(volunteerTeams, eq(volunteerTeams.id, volunteerTeamMembers.teamId))
    .where(eq(volunteerTeamMembers.volunteerId, volunteerId))
    .orderBy(asc(volunteerTeams.name));
}

// ---------------------------------------------------------------- stations

export async function insertStation(db: Executor, row: typeof volunteerStations.$inferInsert, teamIds: string[]) {
  const [r] = await db.insert(volunteerStations).values(row).returning();
  if (teamIds.length) await db.insert(volunteerStationTeams).values(teamIds.map((teamId) => ({ stationId: r.id, teamId })));
  return r;
}
export async function getStation(db: Executor, id: string): Promise<StationRow | undefined> {
  const [r] = await db.select().from(volunteerStations).where(eq(volunteerStations.id, id));
  return r;
}
export async function listStations(db: Executor, root: string | null) {
  return rowsOf<{
    id: string;
    name: string;
    kind: string;
    unit_id: string;
    unit_name: string;
    point_id: string | null;
    point_name: string | null;
    lng: number;
    lat: number;
    address: string;
    teams: { id: string; name: string }[] | null;
  }>(
    await db.execute(sql`SELECT s.id, s.name, s.kind, s.unit_id, u.name AS unit_name, s.point_id, p.name AS point_name, s.lng, s.lat, s.address,
        (SELECT json_agg(json_build_object('id', t.id, 'name', t.name) ORDER BY t.name) FROM volunteer_station_teams st JOIN volunteer_teams t ON t.id = st.team_id WHERE st.station_id = s.id) AS teams
      FROM volunteer_stations s JOIN org_units u ON u.id = s.unit_id LEFT JOIN points p ON p.id = s.point_id
      WHERE ${root === null ? sql`true` : sql`s.unit_path LIKE ${`${root}%`}`} ORDER BY s.name`),
  );
}

// ---------------------------------------------------------------- activities

export async function insertActivity(db: Executor, row: typeof volunteerActivities.$inferInsert) {
  const [r] = await db.insert(volunteerActivities).values(row).returning();
  return r;
}
export async function getActivity(db: Executor, id: string, forUpdate = false): Promise<ActivityRow | undefined> {
  const q = db.select().from(volunteerActivities).where(eq(volunteerActivities.id, id));
  const [r] = forUpdate ? await q.for('update') : await q;
  return r;
}

type ActivityFilter = { root: string | null; teamIds?: string[]; teamId?: string; when: 'upcoming' | 'past' | 'all'; theme?: string; now: Date };
export async function listActivities(db: Executor, f: ActivityFilter, page: number, pageSize: number) {
  const where: (SQL | undefined)[] = [];
  if (f.root !== null) {
    const mine = f.teamIds?.length ? inArray(volunteerActivities.teamId, f.teamIds) : undefined;
    where.push(or(like(volunteerActivities.unitPath, `${f.root}%`), mine));
  }
  if (f.teamId) where.push(eq(volunteerActivities.teamId, f.teamId));
  if (f.when === 'upcoming') where.push(sql`${volunteerActivities.endsAt} >= ${f.now}`);
  if (f.when === 'past') where.push(sql`${volunteerActivities.endsAt} < ${f.now}`);
  if (f.theme) where.push(sql`${f.theme} = ANY(${volunteerActivities.themes})`);
  const rows = await db
    .select({ a: volunteerActivities, team: volunteerTeams.name, total: sql<number>`count(*) OVER ()`.mapWith(Number) })
    .from(volunteerActivities)
    .innerJoin(volunteerTeams, eq(volunteerTeams.id, volunteerActivities.teamId))
    .where(and(...where))
    .orderBy(f.when === 'upcoming' ? asc(volunteerActivities.startsAt) : desc(volunteerActivities.startsAt))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  return { items: rows.map((r) => ({ ...r.a, teamName: r.team })), total: rows[0]?.total ?? 0 };
}

export async function signupCounts(db: Executor, activityIds: string[]) {
  if (activityIds.length === 0) return new Map<string, { signed: number; waiting: number; checkedIn: number }>();
  const r = await db
    .select({
      id: volunteerSignups.activityId,
      signed: sql<number>`count(*) FILTER (WHERE ${volunteerSignups.state} = 'signed')::int`,
      waiting: sql<number>`count(*) FILTER (WHERE ${volunteerSignups.state} = 'waiting')::int`,
      checkedIn: sql<number>`count(*) FILTER (WHERE ${volunteerSignups.checkinAt} IS NOT NULL)::int`,
    })
    .from(volunteerSignups)
    .where(inArray(volunteerSignups.activityId, activityIds))
    .groupBy(volunteerSignups.activityId);
  return new Map(r.map((x) => [x.id, x]));
}

export async function signupsOf(db: Executor, volunteerId: string, activityIds: string[]) {
  if (activityIds.length === 0) return new Map<string, SignupRow>();
  const r = await db
    .select()
    .from(volunteerSignups)
    .where(and(eq(volunteerSignups.volunteerId, volunteerId), inArray(volunteerSignups.activityId, activityIds)));
  return new Map(r.map((x) => [x.activityId, x]));
}

export async function getSignup(db: Executor, activityId: string, volunteerId: string, forUpdate = false) {
  const q = db
    .select()
    .from(volunteerSignups)
    .where(and(eq(volunteerSignups.activityId, activityId), eq(volunteerSignups.volunteerId, volunteerId)));
  const [r] = forUpdate ? await q.for('update') : await q;
  return r;
}
export async function upsertSignup(db: Executor, row: typeof volunteerSignups.$inferInsert) {
  await db
    .insert(volunteerSignups)
    .values(row)
    .onConflictDoUpdate({ target: [volunteerSignups.activityId, volunteerSignups.volunteerId], set: { state: row.state, signedAt: row.signedAt ?? new Date() } });
}
export async function setSignup(db: Executor, activityId: string, volunteerId: string, set: Partial<typeof volunteerSignups.$inferInsert>) {
  await db
    .update(volunteerSignups)
    .set(set)
    .where(and(eq(volunteerSignups.activityId, activityId), eq(volunteerSignups.volunteerId, volunteerId)));
}
export async function insertSignups(db: Executor, rows: (typeof volunteerSignups.$inferInsert)[]) {
  for (let i = 0; i < rows.length; i += 1000) await db.insert(volunteerSignups).values(rows.slice(i, i + 1000));
}
/** The first on the waiting list, for promotion when a place frees up. */
export async function firstWaiting(db: Executor, activityId: string) {
  const [r] = await db
    .select()
    .from(volunteerSignups)
    .where(and(eq(volunteerSignups.activityId, activityId), eq(volunteerSignups.state, 'waiting')))
    .orderBy(asc(volunteerSignups.signedAt))
    .limit(1)
    .for('update');
  return r;
}
export async function attendance(db: Executor, activityId: string) {
  return db
    .select({ s: volunteerSignups, v: volunteers })
    .from(volunteerSignups)
    .innerJoin(volunteers, eq(volunteers.id, volunteerSignups.volunteerId))
    .where(eq(volunteerSignups.activityId, activityId))
    .orderBy(asc(volunteerSignups.state), asc(volunteerSignups.signedAt));
}

/** Records a token step's use; false when the volunteer already used this step (a replay). */
export async function useTokenStep(db: Executor, activityId: string, volunteerId: string, step: number, action: string): Promise<boolean> {
  const r = await db.insert(volunteerTokenUses).values({ activityId, volunteerId, step, action }).onConflictDoNothing().returning({ s: volunteerTokenUses.step });
  return r.length === 1;
}

export async function endedOpenActivities(db: Executor, now: Date, limit: number) {
  return db
    .select()
    .from(volunteerActivities)
    .where(and(isNull(volunteerActivities.closedAt), lte(volunteerActivities.endsAt, now)))
    .orderBy(asc(volunteerActivities.endsAt))
    .limit(limit)
    .for('update', { skipLocked: true });
}
export async function markClosed(db: Executor, id: string, at: Date) {
  await db.update(volunteerActivities).set({ closedAt: at }).where(eq(volunteerActivities.id, id));
}
export async function setActivityCancelled(db: Executor, id: string) {
  await db
    .update(volunteerActivities)
    .set({ isCancelled: true, version: sql`${volunteerActivities.version} + 1` })
    .where(eq(volunteerActivities.id, id));
}
export async function insertActivities(db: Executor, rows: (typeof volunteerActivities.$inferInsert)[]) {
  for (let i = 0; i < rows.length; i += 500) await db.insert(volunteerActivities).values(rows.slice(i, i + 500));
}

// ---------------------------------------------------------------- records

export async function insertRecord(db: Executor, row: typeof volunteerRecords.$inferInsert): Promise<RecordRow> {
  const [r] = await db.insert(volunteerRecords).values(row).returning();
  return r;
}
export async function insertRecords(db: Executor, rows: (typeof volunteerRecords.$inferInsert)[]) {
  for (let i = 0; i < rows.length; i += 1000) await db.insert(volunteerRecords).values(rows.slice(i, i + 1000));
}
export async function insertRecordEvent(db: Executor, row: typeof volunteerRecordEvents.$inferInsert) {
  await db.insert(volunteerRecordEvents).values(row);
}
export async function insertRecordEvents(db: Executor, rows: (typeof volunteerRecordEvents.$inferInsert)[]) {
  for (let i = 0; i < rows.length; i += 1000) await db.insert(volunteerRecordEvents).values(rows.slice(i, i + 1000));
}
export async function getRecord(db: Executor, id: string, forUpdate = false): Promise<RecordRow | undefined> {
  const q = db.select().from(volunteerRecords).where(eq(volunteerRecords.id, id));
  const [r] = forUpdate ? await q.for('update') : await q;
  return r;
}
export async function updateRecord(db: Executor, id: string, version: number, set: Partial<typeof volunteerRecords.$inferInsert>) {
  const [r] = await db
    .update(volunteerRecords)
    .set({ ...set, version: sql`${volunteerRecords.version} + 1` })
    .where(and(eq(volunteerRecords.id, id), eq(volunteerRecords.version, version)))
    .returning();
  return r;
}
export async function pendingCorrectionOf(db: Executor, id: string) {
  const [r] = await db
    .select({ id: volunteerRecords.id })
    .from(volunteerRecords)
    .where(and(eq(volunteerRecords.correctsId, id), eq(volunteerRecords.state, 'pending')));
  return r;
}

export type RecordListRow = RecordRow & { volunteerName: string; volunteerNumber: string; activityTitle: string | null; teamName: string; createdByName: string | null; decidedByName: string | null };

const recordSelect = sql`SELECT r.id, r.volunteer_id AS "volunteerId", r.activity_id AS "activityId", r.team_id AS "teamId", r.unit_path AS "unitPath", r.kind, r.state, r.minutes,
    r.service_date::text AS "serviceDate", r.service_end AS "serviceEnd", r.content, r.source, r.reason, r.evidence_file_id AS "evidenceFileId", r.corrects_id AS "correctsId",
    r.superseded_by AS "supersededBy", r.is_late AS "isLate", r.is_auto_checkout AS "isAutoCheckout", r.created_by AS "createdBy", r.created_at AS "createdAt",
    r.decided_by AS "decidedBy", r.decided_at AS "decidedAt", r.decision_note AS "decisionNote", r.version,
    v.name AS "volunteerName", v.number AS "volunteerNumber", a.title AS "activityTitle", t.name AS "teamName", cu.name AS "createdByName", du.name AS "decidedByName",
    count(*) OVER ()::int AS total
  FROM volunteer_records r JOIN volunteers v ON v.id = r.volunteer_id JOIN volunteer_teams t ON t.id = r.team_id
  LEFT JOIN volunteer_activities a ON a.id = r.activity_id LEFT JOIN users cu ON cu.id = r.created_by LEFT JOIN users du ON du.id = r.decided_by`;

export async function listRecords(
  db: Executor,
  f: { root: string | null; teamIds: string[]; state?: string; volunteerId?: string; activityId?: string; isLate?: boolean; page: number; pageSize: number },
) {
  const where: SQL[] = [];
  if (f.root !== null) {
    where.push(
      f.teamIds.length
        ? sql`(r.unit_path LIKE ${`${f.root}%`} OR r.team_id IN (${sql.join(
            f.teamIds.map((id) => sql`${id}::uuid`),
            sql`, `,
          )}))`
        : sql`r.unit_path LIKE ${`${f.root}%`}`,
    );
  }
  if (f.state) where.push(sql`r.state = ${f.state}`);
  if (f.volunteerId) where.push(sql`r.volunteer_id = ${f.volunteerId}`);
  if (f.activityId) where.push(sql`r.activity_id = ${f.activityId}`);
  if (f.isLate !== undefined) where.push(sql`r.is_late = ${f.isLate}`);
  const cond = where.length ? sql` WHERE ${sql.join(where, sql` AND `)}` : sql``;
  const rows = rowsOf<RecordListRow & { total: number }>(
    await db.execute(sql`${recordSelect}${cond} ORDER BY r.created_at DESC, r.id LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`),
  );
  return { items: rows, total: rows[0]?.total ?? 0 };
}
export async function recordsOfVolunteer(db: Executor, volunteerId: string, limit = 200) {
  return rowsOf<RecordListRow>(await db.execute(sql`${recordSelect} WHERE r.volunteer_id = ${volunteerId} ORDER BY r.service_date DESC, r.created_at DESC LIMIT ${limit}`));
}
export async function recordById(db: Executor, id: string) {
  const [r] = rowsOf<RecordListRow>(await db.execute(sql`${recordSelect} WHERE r.id = ${id}`));
  return r;
}

/** Approved, not superseded records of a volunteer in a date range, for a certificate. */
export async function countableRecords(db: Executor, volunteerId: string, from: string, to: string) {
  return rowsOf<{ id: string; minutes: number; service_date: string; content: string; title: string | null; team: string }>(
    await db.execute(sql`SELECT r.id, r.minutes, r.service_date::text, r.content, a.title, t.name AS team FROM volunteer_records r
      JOIN volunteer_teams t ON t.id = r.team_id LEFT JOIN volunteer_activities a ON a.id = r.activity_id
      WHERE r.volunteer_id = ${volunteerId} AND r.state = 'approved' AND r.superseded_by IS NULL AND r.service_date BETWEEN ${from}::date AND ${to}::date
      ORDER BY r.service_date`),
  );
}

// ---------------------------------------------------------------- certificates

export async function nextCertificateNumber(db: Executor, year: number): Promise<string> {
  const [r] = rowsOf<{ n: string }>(await db.execute(sql`SELECT nextval('volunteer_certificate_seq')::text AS n`));
  return `ZYZM${year}${r.n.padStart(6, '0')}`;
}
export async function insertCertificate(db: Executor, row: typeof volunteerCertificates.$inferInsert) {
  const [r] = await db.insert(volunteerCertificates).values(row).returning();
  return r;
}
export async function getCertificate(db: Executor, id: string): Promise<CertificateRow | undefined> {
  const [r] = await db.select().from(volunteerCertificates).where(eq(volunteerCertificates.id, id));
  return r;
}
export async function getCertificateByCode(db: Executor, code: string): Promise<CertificateRow | undefined> {
  const [r] = await db.select().from(volunteerCertificates).where(eq(volunteerCertificates.verifyCode, code));
  return r;
}
export async function listCertificates(db: Executor, root: string | null, volunteerId: string | undefined, page: number, pageSize: number) {
  const where = and(
    root === null ? undefined : or(like(volunteerCertificates.issuerUnitPath, `${root}%`), sql`EXISTS (SELECT 1 FROM volunteers v WHERE v.id = ${volunteerCertificates.volunteerId} AND v.community_path LIKE ${`${root}%`})`),
    volunteerId ? eq(volunteerCertificates.volunteerId, volunteerId) : undefined,
  );
  const rows = await db
    .select({ c: volunteerCertificates, total: sql<number>`count(*) OVER ()`.mapWith(Number) })
    .from(volunteerCertificates)
    .where(where)
    .orderBy(desc(volunteerCertificates.issuedAt))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  return { items: rows.map((r) => r.c), total: rows[0]?.total ?? 0 };
}

// ---------------------------------------------------------------- figures

export type RatioCounts = { unit_id: string; registered: number; active: number; minutes: number; activities: number };

/**
 * Counts under each child unit of a parent (by path prefix), in one pass per table: registered
 * volunteers by home community, active ones (an approved record in the last 12 months), approved
 * minutes, activities by the team's unit.
 */
export async function ratioCounts(db: Executor, children: { id: string; path: string }[], activeSince: string): Promise<Map<string, RatioCounts>> {
  if (children.length === 0) return new Map();
  const units = sql`(VALUES ${sql.join(
    children.map((c) => sql`(${c.id}::uuid, ${c.path}::text)`),
    sql`, `,
  )}) AS c(id, path)`;
  const rows = rowsOf<RatioCounts>(
    await db.execute(sql`SELECT c.id AS unit_id,
        (SELECT count(*)::int FROM volunteers v WHERE v.community_path LIKE c.path || '%') AS registered,
        (SELECT count(DISTINCT r.volunteer_id)::int FROM volunteer_records r JOIN volunteers v ON v.id = r.volunteer_id
           WHERE v.community_path LIKE c.path || '%' AND r.state = 'approved' AND r.superseded_by IS NULL AND r.service_date >= ${activeSince}::date) AS active,
        (SELECT coalesce(sum(r.minutes), 0)::bigint::int FROM volunteer_records r JOIN volunteers v ON v.id = r.volunteer_id
           WHERE v.community_path LIKE c.path || '%' AND r.state = 'approved' AND r.superseded_by IS NULL) AS minutes,
        (SELECT count(*)::int FROM volunteer_activities a WHERE a.unit_path LIKE c.path || '%' AND NOT a.is_cancelled) AS activities
      FROM ${units}`),
  );
  return new Map(rows.map((r) => [r.unit_id, r]));
}

export async function themeCounts(db: Executor, root: string) {
  return rowsOf<{ theme: string; activities: number }>(
    await db.execute(sql`SELECT t AS theme, count(*)::int AS activities FROM volunteer_activities a, unnest(a.themes) t
      WHERE a.unit_path LIKE ${`${root}%`} AND NOT a.is_cancelled GROUP BY t ORDER BY count(*) DESC, t`),
  );
}
