import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { type Executor, rowsOf } from '../../db/client.ts';
import type { Scope } from '../../http/policy.ts';
import { inspectionReadCond } from './inspections.policy.ts';
import {
  inspectionEvents,
  inspectionFragments,
  inspectionItemGroups,
  inspectionObservations,
  inspectionOccurrences,
  inspectionPhotos,
  inspectionPlanPoints,
  inspectionPlans,
  inspections,
  inspectionTeamMembers,
  inspectionTeams,
  inspectionTemplatePointTypes,
  inspectionTemplates,
  inspectionTemplateVersions,
} from './inspections.tables.ts';

export type TemplateRow = typeof inspectionTemplates.$inferSelect;
export type VersionRow = typeof inspectionTemplateVersions.$inferSelect;
export type FragmentRow = typeof inspectionFragments.$inferSelect;
export type TeamRow = typeof inspectionTeams.$inferSelect;
export type PlanRow = typeof inspectionPlans.$inferSelect;
export type OccurrenceRow = typeof inspectionOccurrences.$inferSelect;
export type InspectionRowDb = typeof inspections.$inferSelect;
export type ObservationRow = typeof inspectionObservations.$inferSelect;

const q = async <T>(db: Executor, s: SQL): Promise<T[]> => rowsOf<T>(await db.execute(s));
const ids = (xs: readonly string[]) =>
  sql.join(
    xs.map((x) => sql`${x}`),
    sql`, `,
  );

// ---- groups, fragments, templates ----

export const listGroups = (db: Executor) => db.select().from(inspectionItemGroups).orderBy(inspectionItemGroups.sort);
export const listFragments = (db: Executor) => db.select().from(inspectionFragments).orderBy(inspectionFragments.code);
export async function getFragments(db: Executor, fragmentIds: string[]): Promise<FragmentRow[]> {
  if (!fragmentIds.length) return [];
  return db.select().from(inspectionFragments).where(inArray(inspectionFragments.id, fragmentIds));
}
export const insertFragment = (db: Executor, row: typeof inspectionFragments.$inferInsert) => db.insert(inspectionFragments).values(row).returning();

export async function listTemplates(db: Executor): Promise<(TemplateRow & { point_types: { id: string; name: string }[] })[]> {
  const rows = await q<TemplateRow & { point_types: { id: string; name: string }[] | null }>(
    db,
    sql`SELECT t.id, t.name, t.description, t.system_id AS "systemId", t.is_active AS "isActive", t.version, t.created_at AS "createdAt", t.updated_at AS "updatedAt",
      (SELECT json_agg(json_build_object('id', pt.id, 'name', pt.name) ORDER BY pt.sort) FROM inspection_template_point_types tp JOIN point_types pt ON pt.id = tp.point_type_id WHERE tp.template_id = t.id) AS point_types
    FROM inspection_templates t WHERE t.is_active ORDER BY t.name`,
  );
  return rows.map((r) => ({ ...r, point_types: r.point_types ?? [] }));
}
export async function getTemplate(db: Executor, id: string, forUpdate = false): Promise<TemplateRow | undefined> {
  const s = db.select().from(inspectionTemplates).where(eq(inspectionTemplates.id, id));
  const [row] = forUpdate ? await s.for('update') : await s;
  return row;
}
export const templatePointTypes = (db: Executor, templateIds: string[]) =>
  templateIds.length ? db.select().from(inspectionTemplatePointTypes).where(inArray(inspectionTemplatePointTypes.templateId, templateIds)) : Promise.resolve([]);
export const listVersions = (db: Executor, templateIds: string[]) =>
  templateIds.length ? db.select().from(inspectionTemplateVersions).where(inArray(inspectionTemplateVersions.templateId, templateIds)).orderBy(inspectionTemplateVersions.number) : Promise.resolve([] as VersionRow[]);
export async function getVersion(db: Executor, id: string, forUpdate = false): Promise<VersionRow | undefined> {
  const s = db.select().from(inspectionTemplateVersions).where(eq(inspectionTemplateVersions.id, id));
  const [row] = forUpdate ? await s.for('update') : await s;
  return row;
}
export const insertTemplate = (db: Executor, row: typeof inspectionTemplates.$inferInsert) => db.insert(inspectionTemplates).values(row);
export const insertTemplatePointTypes = (db: Executor, rows: (typeof inspectionTemplatePointTypes.$inferInsert)[]) => db.insert(inspectionTemplatePointTypes).values(rows);
export const insertVersion = (db: Executor, row: typeof inspectionTemplateVersions.$inferInsert) => db.insert(inspectionTemplateVersions).values(row).returning();
export async function updateDraft(db: Executor, id: string, version: number, set: Partial<typeof inspectionTemplateVersions.$inferInsert>): Promise<VersionRow | undefined> {
  const [row] = await db
    .update(inspectionTemplateVersions)
    .set({ ...set, version: sql`${inspectionTemplateVersions.version} + 1`, updatedAt: new Date() })
    .where(and(eq(inspectionTemplateVersions.id, id), eq(inspectionTemplateVersions.version, version), eq(inspectionTemplateVersions.status, 'draft')))
    .returning();
  return row;
}
export const touchTemplate = (db: Executor, id: string) =>
  db
    .update(inspectionTemplates)
    .set({ version: sql`${inspectionTemplates.version} + 1`, updatedAt: new Date() })
    .where(eq(inspectionTemplates.id, id));

/** The latest published version of the active template for each point type (a plan without a fixed template). */
export async function latestPublishedByType(db: Executor, typeIds: string[]): Promise<Map<string, string>> {
  if (!typeIds.length) return new Map();
  const rows = await q<{ point_type_id: string; id: string }>(
    db,
    sql`SELECT DISTINCT ON (tp.point_type_id) tp.point_type_id, v.id
        FROM inspection_template_point_types tp
        JOIN inspection_templates t ON t.id = tp.template_id AND t.is_active
        JOIN inspection_template_versions v ON v.template_id = t.id AND v.status = 'published'
        WHERE tp.point_type_id IN (${ids(typeIds)})
        ORDER BY tp.point_type_id, v.published_at DESC, v.number DESC`,
  );
  return new Map(rows.map((r) => [r.point_type_id, r.id]));
}
export async function latestPublishedOf(db: Executor, templateId: string): Promise<string | null> {
  const [r] = await q<{ id: string }>(db, sql`SELECT id FROM inspection_template_versions WHERE template_id = ${templateId} AND status = 'published' ORDER BY number DESC LIMIT 1`);
  return r?.id ?? null;
}

// ---- teams ----

export async function listTeams(db: Executor): Promise<(TeamRow & { unit_name: string; leader_name: string; members: { id: string; name: string }[] })[]> {
  const rows = await q<TeamRow & { unit_name: string; leader_name: string; members: { id: string; name: string }[] | null }>(
    db,
    sql`SELECT t.id, t.name, t.unit_id AS "unitId", t.leader_id AS "leaderId", t.area_unit_ids AS "areaUnitIds", t.is_active AS "isActive", t.version,
      u.name AS unit_name, l.name AS leader_name,
      (SELECT json_agg(json_build_object('id', mu.id, 'name', mu.name) ORDER BY mu.name) FROM inspection_team_members m JOIN users mu ON mu.id = m.user_id WHERE m.team_id = t.id) AS members
    FROM inspection_teams t JOIN org_units u ON u.id = t.unit_id JOIN users l ON l.id = t.leader_id WHERE t.is_active ORDER BY t.name`,
  );
  return rows.map((r) => ({ ...r, members: r.members ?? [] }));
}
export async function getTeam(db: Executor, id: string, forUpdate = false): Promise<(TeamRow & { memberIds: string[] }) | undefined> {
  const s = db.select().from(inspectionTeams).where(eq(inspectionTeams.id, id));
  const [row] = forUpdate ? await s.for('update') : await s;
  if (!row) return undefined;
  const members = await db.select({ userId: inspectionTeamMembers.userId }).from(inspectionTeamMembers).where(eq(inspectionTeamMembers.teamId, id));
  return { ...row, memberIds: members.map((m) => m.userId) };
}
export const insertTeam = (db: Executor, row: typeof inspectionTeams.$inferInsert) => db.insert(inspectionTeams).values(row);
export async function updateTeam(db: Executor, id: string, version: number, set: Partial<typeof inspectionTeams.$inferInsert>) {
  const [row] = await db
    .update(inspectionTeams)
    .set({ ...set, version: sql`${inspectionTeams.version} + 1`, updatedAt: new Date() })
    .where(and(eq(inspectionTeams.id, id), eq(inspectionTeams.version, version)))
    .returning();
  return row;
}
export async function setMembers(db: Executor, teamId: string, userIds: string[]) {
  await db.delete(inspectionTeamMembers).where(eq(inspectionTeamMembers.teamId, teamId));
  if (userIds.length) await db.insert(inspectionTeamMembers).values(userIds.map((userId) => ({ teamId, userId })));
}
export async function activeUsers(db: Executor, userIds: string[]): Promise<{ id: string; name: string }[]> {
  if (!userIds.length) return [];
  return q(db, sql`SELECT id, name FROM users WHERE id IN (${ids(userIds)}) AND is_active`);
}

// ---- points for plans ----

export type PointRef = { id: string; code: string; name: string; type_id: string; type_name: string; district_id: string; district_name: string; area_path: string; lng: number; lat: number };
const POINT_REF = sql`SELECT p.id, p.code, p.name, p.type_id, pt.name AS type_name, d.id AS district_id, d.name AS district_name, p.area_path, p.lng, p.lat
  FROM points p JOIN point_types pt ON pt.id = p.type_id
  LEFT JOIN org_units d ON d.id::text = split_part(p.area_path, '/', 3)`;

export async function pointsByIds(db: Executor, pointIds: string[]): Promise<PointRef[]> {
  if (!pointIds.length) return [];
  return q(db, sql`${POINT_REF} WHERE p.id IN (${ids(pointIds)}) AND p.is_active`);
}

/** Active points of the strata's (type, district) pairs, less those inspected in the last `excludeDays`. */
export async function drawCandidates(db: Executor, strata: { typeId: string; districtId: string }[], excludeDays: number | null, now: Date): Promise<{ id: string; type_id: string; district_id: string }[]> {
  if (!strata.length) return [];
  const pairs = sql.join(
    strata.map((s) => sql`(${s.typeId}::uuid, ${s.districtId}::text)`),
    sql`, `,
  );
  const exclude = excludeDays
    ? sql`AND NOT EXISTS (SELECT 1 FROM inspections i WHERE i.point_id = p.id AND i.inspected_at >= ${new Date(now.getTime() - excludeDays * 86_400_000)})`
    : sql``;
  return q(db, sql`SELECT p.id, p.type_id, split_part(p.area_path, '/', 3) AS district_id FROM points p
    WHERE p.is_active AND (p.type_id, split_part(p.area_path, '/', 3)) IN (${pairs}) ${exclude}`);
}

// ---- plans ----

export const insertPlan = (db: Executor, row: typeof inspectionPlans.$inferInsert) => db.insert(inspectionPlans).values(row);
export const insertPlanPoints = async (db: Executor, rows: (typeof inspectionPlanPoints.$inferInsert)[]) => {
  for (let i = 0; i < rows.length; i += 1000) await db.insert(inspectionPlanPoints).values(rows.slice(i, i + 1000));
};
export async function getPlan(db: Executor, id: string, forUpdate = false): Promise<PlanRow | undefined> {
  const s = db.select().from(inspectionPlans).where(eq(inspectionPlans.id, id));
  const [row] = forUpdate ? await s.for('update') : await s;
  return row;
}
export async function updatePlan(db: Executor, id: string, version: number, set: Partial<typeof inspectionPlans.$inferInsert>) {
  const [row] = await db
    .update(inspectionPlans)
    .set({ ...set, version: sql`${inspectionPlans.version} + 1`, updatedAt: new Date() })
    .where(and(eq(inspectionPlans.id, id), eq(inspectionPlans.version, version)))
    .returning();
  return row;
}
export type PlanListRow = PlanRow & { team_name: string; point_count: number; counts: Record<string, number> | null };
export async function listPlans(db: Executor, scope: Scope, planId?: string): Promise<PlanListRow[]> {
  const cond = scope.isAll ? sql`TRUE` : sql`(pl.unit_path LIKE ${`${scope.rootPath}%`} OR pl.team_id IN (SELECT team_id FROM inspection_team_members WHERE user_id = ${scope.userId}) OR tm.leader_id = ${scope.userId})`;
  const one = planId ? sql`AND pl.id = ${planId}` : sql``;
  return q(
    db,
    sql`SELECT pl.id, pl.name, pl.mode, pl.team_id AS "teamId", pl.unit_id AS "unitId", pl.unit_path AS "unitPath", pl.template_id AS "templateId",
      pl.period_start AS "periodStart", pl.period_end AS "periodEnd", pl.schedule_kind AS "scheduleKind", pl.window_days AS "windowDays", pl.allow_late AS "allowLate",
      pl.issues_on AS "issuesOn", pl.selection, pl.draw, pl.published_at AS "publishedAt", pl.version, pl.created_at AS "createdAt",
      tm.name AS team_name,
      (SELECT count(*)::int FROM inspection_plan_points pp WHERE pp.plan_id = pl.id) AS point_count,
      (SELECT json_object_agg(state, n) FROM (SELECT state, count(*)::int AS n FROM inspection_occurrences o WHERE o.plan_id = pl.id GROUP BY state) s) AS counts
    FROM inspection_plans pl JOIN inspection_teams tm ON tm.id = pl.team_id WHERE ${cond} ${one} ORDER BY pl.period_start DESC, pl.created_at DESC LIMIT 500`,
  );
}

// ---- occurrences ----

export async function insertOccurrences(db: Executor, rows: (typeof inspectionOccurrences.$inferInsert)[]): Promise<number> {
  let n = 0;
  for (let i = 0; i < rows.length; i += 1000) {
    const r = await db.insert(inspectionOccurrences).values(rows.slice(i, i + 1000)).onConflictDoNothing().returning({ id: inspectionOccurrences.id });
    n += r.length;
  }
  return n;
}
export async function getOccurrence(db: Executor, id: string, forUpdate = false): Promise<OccurrenceRow | undefined> {
  const s = db.select().from(inspectionOccurrences).where(eq(inspectionOccurrences.id, id));
  const [row] = forUpdate ? await s.for('update') : await s;
  return row;
}
export async function setOccurrenceState(db: Executor, id: string, state: string, inspectorId?: string) {
  const [row] = await db
    .update(inspectionOccurrences)
    .set({ state, ...(inspectorId && { inspectorId }), version: sql`${inspectionOccurrences.version} + 1`, updatedAt: new Date() })
    .where(eq(inspectionOccurrences.id, id))
    .returning();
  return row;
}

export type OccurrenceView = {
  id: string;
  plan_id: string;
  plan_name: string;
  mode: string;
  point_id: string;
  point_code: string;
  point_name: string;
  point_address: string;
  point_type_name: string;
  lng: number;
  lat: number;
  template_version_id: string;
  team_id: string;
  team_name: string;
  due_from: Date | string;
  due_to: Date | string;
  state: string;
  inspection_id: string | null;
  distance_m: number | null;
  version: number;
  total?: number;
};

export type OccurrenceFilter = { planId?: string; state?: string; from?: Date; before?: Date; userId?: string; near?: { lng: number; lat: number }; ids?: string[] };

/** Occurrences the actor may see (plans they manage, teams they are in), nearest first when a position is given. */
export async function listOccurrences(db: Executor, scope: Scope, f: OccurrenceFilter, limit: number, offset: number): Promise<OccurrenceView[]> {
  const conds: SQL[] = [];
  if (!scope.isAll) conds.push(sql`(pl.unit_path LIKE ${`${scope.rootPath}%`} OR o.team_id IN (SELECT team_id FROM inspection_team_members WHERE user_id = ${scope.userId}) OR tm.leader_id = ${scope.userId})`);
  if (f.userId) conds.push(sql`(o.team_id IN (SELECT team_id FROM inspection_team_members WHERE user_id = ${f.userId}) OR tm.leader_id = ${f.userId})`);
  if (f.planId) conds.push(sql`o.plan_id = ${f.planId}`);
  if (f.state) conds.push(sql`o.state = ${f.state}`);
  if (f.from) conds.push(sql`o.due_to > ${f.from}`);
  if (f.before) conds.push(sql`o.due_from < ${f.before}`);
  if (f.ids) conds.push(f.ids.length ? sql`o.id IN (${ids(f.ids)})` : sql`FALSE`);
  const where = conds.length ? sql.join(conds, sql` AND `) : sql`TRUE`;
  // equirectangular distance: good to a metre at city scale
  const dist = f.near
    ? sql`round(6371000 * sqrt(power(radians(p.lng - ${f.near.lng}) * cos(radians(${f.near.lat})), 2) + power(radians(p.lat - ${f.near.lat}), 2)))::int`
    : sql`NULL::int`;
  const order = f.near ? sql`distance_m, o.due_to` : sql`o.due_from DESC, p.code`;
  return q(
    db,
    sql`SELECT o.id, o.plan_id, pl.name AS plan_name, pl.mode, o.point_id, p.code AS point_code, p.name AS point_name, p.address AS point_address, pt.name AS point_type_name,
      p.lng, p.lat, o.template_version_id, o.team_id, tm.name AS team_name, o.due_from, o.due_to, o.state, i.id AS inspection_id, ${dist} AS distance_m, o.version,
      count(*) OVER ()::int AS total
    FROM inspection_occurrences o
    JOIN inspection_plans pl ON pl.id = o.plan_id
    JOIN inspection_teams tm ON tm.id = o.team_id
    JOIN points p ON p.id = o.point_id
    JOIN point_types pt ON pt.id = p.type_id
    LEFT JOIN inspections i ON i.occurrence_id = o.id
    WHERE ${where} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`,
  );
}

/** Occurrences whose window has passed while still 待检查/检查中 → 已错过 (one statement, events and audit by the caller). */
export async function markMissed(db: Executor, now: Date, limit: number): Promise<{ id: string; from_state: string }[]> {
  return q(
    db,
    sql`WITH due AS (SELECT id, state FROM inspection_occurrences WHERE state IN ('pending', 'in_progress') AND due_to <= ${now} ORDER BY due_to LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      UPDATE inspection_occurrences o SET state = 'missed', version = o.version + 1, updated_at = ${now} FROM due WHERE o.id = due.id RETURNING o.id, due.state AS from_state`,
  );
}

// ---- inspections ----

export async function inspectionByClientKey(db: Executor, clientKey: string): Promise<InspectionRowDb | undefined> {
  const [row] = await db.select().from(inspections).where(eq(inspections.clientKey, clientKey));
  return row;
}
export async function inspectionOfOccurrence(db: Executor, occurrenceId: string): Promise<InspectionRowDb | undefined> {
  const [row] = await db.select().from(inspections).where(eq(inspections.occurrenceId, occurrenceId));
  return row;
}
export async function getInspection(db: Executor, id: string, forUpdate = false): Promise<InspectionRowDb | undefined> {
  const s = db.select().from(inspections).where(eq(inspections.id, id));
  const [row] = forUpdate ? await s.for('update') : await s;
  return row;
}
export const insertInspection = (db: Executor, row: typeof inspections.$inferInsert) => db.insert(inspections).values(row);
export async function updateInspectionTotals(db: Executor, id: string, set: Partial<typeof inspections.$inferInsert>) {
  await db.update(inspections).set(set).where(eq(inspections.id, id));
}
export const insertObservations = (db: Executor, rows: (typeof inspectionObservations.$inferInsert)[]) =>
  rows.length ? db.insert(inspectionObservations).values(rows).returning() : Promise.resolve([] as ObservationRow[]);
export const currentObservations = (db: Executor, inspectionId: string) =>
  db
    .select()
    .from(inspectionObservations)
    .where(and(eq(inspectionObservations.inspectionId, inspectionId), eq(inspectionObservations.current, true)))
    .orderBy(inspectionObservations.id);
export const allObservations = (db: Executor, inspectionId: string) => db.select().from(inspectionObservations).where(eq(inspectionObservations.inspectionId, inspectionId)).orderBy(inspectionObservations.id);
export async function retireObservations(db: Executor, inspectionId: string, itemKeys: string[]) {
  if (!itemKeys.length) return;
  await db
    .update(inspectionObservations)
    .set({ current: false })
    .where(and(eq(inspectionObservations.inspectionId, inspectionId), inArray(inspectionObservations.itemKey, itemKeys), eq(inspectionObservations.current, true)));
}
export async function linkIssue(db: Executor, observationId: number, issueId: string) {
  await db.update(inspectionObservations).set({ issueId }).where(eq(inspectionObservations.id, observationId));
}
export const insertPhotos = (db: Executor, rows: (typeof inspectionPhotos.$inferInsert)[]) => (rows.length ? db.insert(inspectionPhotos).values(rows) : Promise.resolve());
export async function photosByKeys(db: Executor, keys: string[]): Promise<{ clientKey: string; inspectionId: string; fileId: string }[]> {
  if (!keys.length) return [];
  return db.select({ clientKey: inspectionPhotos.clientKey, inspectionId: inspectionPhotos.inspectionId, fileId: inspectionPhotos.fileId }).from(inspectionPhotos).where(inArray(inspectionPhotos.clientKey, keys));
}
export const photosOf = (db: Executor, inspectionId: string) => db.select().from(inspectionPhotos).where(eq(inspectionPhotos.inspectionId, inspectionId));

export const insertEvent = (db: Executor, row: typeof inspectionEvents.$inferInsert) => db.insert(inspectionEvents).values(row);
export async function insertEvents(db: Executor, rows: (typeof inspectionEvents.$inferInsert)[]) {
  for (let i = 0; i < rows.length; i += 1000) await db.insert(inspectionEvents).values(rows.slice(i, i + 1000));
}
export async function listEvents(db: Executor, occurrenceId: string) {
  return q<{ id: number; action: string; from_state: string | null; to_state: string; actor_name: string | null; note: string | null; data: Record<string, unknown>; at: Date | string }>(
    db,
    sql`SELECT e.id, e.action, e.from_state, e.to_state, u.name AS actor_name, e.note, e.data, e.at FROM inspection_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.occurrence_id = ${occurrenceId} ORDER BY e.id`,
  );
}

/** The last issue raised for an item at a point (for 回潮 and to avoid filing twice while one is open). */
export async function lastIssueForItem(db: Executor, pointId: string, itemKey: string): Promise<{ issue_id: string; state: string } | undefined> {
  const [r] = await q<{ issue_id: string; state: string }>(
    db,
    sql`SELECT ob.issue_id, iss.state FROM inspection_observations ob JOIN inspections i ON i.id = ob.inspection_id JOIN issues iss ON iss.id = ob.issue_id
      WHERE i.point_id = ${pointId} AND ob.item_key = ${itemKey} AND ob.issue_id IS NOT NULL ORDER BY i.inspected_at DESC, ob.id DESC LIMIT 1`,
  );
  return r;
}

/** Failures found at a point before (复查: shown on the next inspection), with their issues' states. */
export async function earlierFailures(db: Executor, pointId: string, limit = 50) {
  return q<{ item_key: string; inspected_at: Date | string; issue_id: string | null; issue_state: string | null }>(
    db,
    sql`SELECT DISTINCT ON (ob.item_key) ob.item_key, i.inspected_at, ob.issue_id, iss.state AS issue_state
      FROM inspection_observations ob JOIN inspections i ON i.id = ob.inspection_id LEFT JOIN issues iss ON iss.id = ob.issue_id
      WHERE i.point_id = ${pointId} AND ob.outcome = 'fail' AND ob.current
      ORDER BY ob.item_key, i.inspected_at DESC LIMIT ${limit}`,
  );
}

export type InspectionListRow = {
  id: string;
  occurrence_state: string;
  plan_name: string;
  mode: string;
  point_id: string;
  point_name: string;
  point_type_name: string;
  district_name: string | null;
  inspector_name: string;
  outcome: string;
  inspected_at: Date | string;
  far_from_point: boolean;
  earned_units: string | number;
  possible_units: string | number;
  failed_count: number;
  observed_count: number;
  total: number;
};

export type InspectionFilter = { planId?: string; pointId?: string; pointTypeId?: string; areaPath?: string; unitPath?: string; mode?: string; from?: Date; before?: Date; failedOnly?: boolean };

function inspectionWhere(scope: Scope, f: InspectionFilter): SQL {
  const conds: SQL[] = [inspectionReadCond(scope), sql`o.state <> 'returned'`];
  if (f.planId) conds.push(sql`i.plan_id = ${f.planId}`);
  if (f.pointId) conds.push(sql`i.point_id = ${f.pointId}`);
  if (f.pointTypeId) conds.push(sql`i.point_type_id = ${f.pointTypeId}`);
  if (f.areaPath) conds.push(sql`i.area_path LIKE ${`${f.areaPath}%`}`);
  if (f.unitPath) conds.push(sql`EXISTS (SELECT 1 FROM point_units pu JOIN org_units u ON u.id = pu.unit_id WHERE pu.point_id = i.point_id AND u.path LIKE ${`${f.unitPath}%`})`);
  if (f.mode) conds.push(sql`i.mode = ${f.mode}`);
  if (f.from) conds.push(sql`i.inspected_at >= ${f.from}`);
  if (f.before) conds.push(sql`i.inspected_at < ${f.before}`);
  if (f.failedOnly) conds.push(sql`i.failed_count > 0`);
  return sql.join(conds, sql` AND `);
}

export async function listInspections(db: Executor, scope: Scope, f: InspectionFilter, limit: number, offset: number): Promise<InspectionListRow[]> {
  return q(
    db,
    sql`SELECT i.id, o.state AS occurrence_state, p.name AS plan_name, i.mode, i.point_id, pt_.name AS point_name, ty.name AS point_type_name, d.name AS district_name,
      us.name AS inspector_name, i.outcome, i.inspected_at, i.far_from_point, i.earned_units, i.possible_units, i.failed_count, i.observed_count, count(*) OVER ()::int AS total
    FROM inspections i JOIN inspection_plans p ON p.id = i.plan_id JOIN inspection_occurrences o ON o.id = i.occurrence_id
    JOIN points pt_ ON pt_.id = i.point_id JOIN point_types ty ON ty.id = i.point_type_id JOIN users us ON us.id = i.inspector_id
    LEFT JOIN org_units d ON d.id::text = split_part(i.area_path, '/', 3)
    WHERE ${inspectionWhere(scope, f)} ORDER BY i.inspected_at DESC, i.id LIMIT ${limit} OFFSET ${offset}`,
  );
}

/** Can the actor see this inspection (the list's condition on one row)? */
export async function inspectionVisible(db: Executor, scope: Scope, id: string): Promise<boolean> {
  const r = await q<{ ok: boolean }>(db, sql`SELECT TRUE AS ok FROM inspections i JOIN inspection_plans p ON p.id = i.plan_id WHERE i.id = ${id} AND ${inspectionReadCond(scope)}`);
  return r.length > 0;
}

// ---- scores ----

export type ScoreGroupBy = 'city' | 'district' | 'street' | 'point_type' | 'unit' | 'point' | 'mode';
export type ScoreAggRow = { key: string; name: string; period: string; inspections: number; observed: string | number; failed: string | number; earned: string | number; possible: string | number };

/**
 * One aggregate pass over the inspections (their stored totals, which are the sums of their
 * current observations): grouped by the key and the period (Asia/Shanghai).
 */
export async function scoreRollup(db: Executor, scope: Scope, groupBy: ScoreGroupBy, period: 'week' | 'month' | 'quarter' | 'all', f: InspectionFilter): Promise<ScoreAggRow[]> {
  const local = sql`(i.inspected_at AT TIME ZONE 'Asia/Shanghai')`;
  const per =
    period === 'all'
      ? sql`'全期'`
      : period === 'week'
        ? sql`to_char(date_trunc('week', ${local}), 'IYYY-"W"IW')`
        : period === 'month'
          ? sql`to_char(${local}, 'YYYY-MM')`
          : sql`to_char(${local}, 'YYYY-"Q"Q')`;
  const outcomeDone = sql`i.outcome = 'done'`;
  const base = sql`FROM inspections i JOIN inspection_plans p ON p.id = i.plan_id JOIN inspection_occurrences o ON o.id = i.occurrence_id`;
  const where = sql`WHERE ${inspectionWhere(scope, f)} AND ${outcomeDone}`;
  const agg = sql`count(*)::int AS inspections, sum(i.observed_count) AS observed, sum(i.failed_count) AS failed, sum(i.earned_units) AS earned, sum(i.possible_units) AS possible`;
  if (groupBy === 'unit') {
    return q(
      db,
      sql`SELECT u.id::text AS key, u.name, ${per} AS period, ${agg} ${base} JOIN point_units pu ON pu.point_id = i.point_id JOIN org_units u ON u.id = pu.unit_id ${where} GROUP BY u.id, u.name, 3 ORDER BY 3, u.name`,
    );
  }
  const keyName: Record<Exclude<ScoreGroupBy, 'unit'>, [SQL, SQL, SQL]> = {
    city: [sql`'city'`, sql`'全市'`, sql``],
    district: [sql`split_part(i.area_path, '/', 3)`, sql`coalesce(g.name, '—')`, sql`LEFT JOIN org_units g ON g.id::text = split_part(i.area_path, '/', 3)`],
    street: [sql`split_part(i.area_path, '/', 4)`, sql`coalesce(g.name, '—')`, sql`LEFT JOIN org_units g ON g.id::text = split_part(i.area_path, '/', 4)`],
    point_type: [sql`i.point_type_id::text`, sql`g.name`, sql`JOIN point_types g ON g.id = i.point_type_id`],
    point: [sql`i.point_id::text`, sql`g.name`, sql`JOIN points g ON g.id = i.point_id`],
    mode: [sql`i.mode`, sql`i.mode`, sql``],
  };
  const [key, name, join] = keyName[groupBy];
  return q(db, sql`SELECT ${key} AS key, ${name} AS name, ${per} AS period, ${agg} ${base} ${join} ${where} GROUP BY 1, 2, 3 ORDER BY 3, 2`);
}

export async function pointTypeNames(db: Executor, typeIds: string[]): Promise<Map<string, string>> {
  if (!typeIds.length) return new Map();
  const rows = await q<{ id: string; name: string }>(db, sql`SELECT id, name FROM point_types WHERE id IN (${ids([...new Set(typeIds)])})`);
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** A plan's inspections whose issues are not raised yet, in the given occurrence states. */
export async function inspectionsAwaitingIssues(db: Executor, planId: string, states: string[]): Promise<{ id: string; occurrenceId: string; state: string }[]> {
  return q(
    db,
    sql`SELECT i.id, i.occurrence_id AS "occurrenceId", o.state FROM inspections i JOIN inspection_occurrences o ON o.id = i.occurrence_id
      WHERE i.plan_id = ${planId} AND i.issues_raised_at IS NULL AND o.state IN (${ids(states)}) ORDER BY i.inspected_at`,
  );
}
