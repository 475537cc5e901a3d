import { and, asc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { IssueSource, IssueState } from '../../../contracts/issues.ts';
import { type Executor, executeNamed, rowsOf } from '../../db/client.ts';
import type { Scope } from '../../http/policy.ts';
import { firstUnitOfPointSql } from '../org/index.ts';
import { issueReadCond } from './issues.policy.ts';
import { issueCategories, issueEvents, issues } from './issues.tables.ts';

export type IssueRow = typeof issues.$inferSelect;
export type IssueEventRow = typeof issueEvents.$inferSelect;
export type CategoryRow = typeof issueCategories.$inferSelect;

export type IssueViewRow = {
  id: string;
  number: string;
  source: IssueSource;
  category_id: string;
  category_name: string;
  severity: string;
  title: string;
  description: string;
  point_id: string | null;
  grid_id: string | null;
  area_unit_id: string;
  area_unit_name: string;
  point_name?: string | null;
  address: string | null;
  lng: number | null;
  lat: number | null;
  reporter_id: string | null;
  reporter_name: string | null;
  reporter_phone_enc: string | null;
  responsible_unit_id: string | null;
  responsible_unit_name: string | null;
  deadline: string | Date | null;
  is_overdue: boolean;
  is_due_soon: boolean;
  state: IssueState;
  extension_pending: boolean;
  rework_count: number;
  relapse_count: number;
  merged_into_id: string | null;
  version: number;
  created_at: string | Date;
  updated_at: string | Date;
  closed_at: string | Date | null;
  total?: number;
};

/** One issue as its page shows it, with what the policy and the flow need (getIssueView). */
export type IssueDetailRow = IssueViewRow & {
  area_path: string;
  responsible_path: string | null;
  requested_deadline: string | Date | null;
  merged_reports: { id: string; number: string; title: string; source: IssueSource; created_at: string }[];
};

export type IssueFilter = {
  /** the grids the actor works (网格员): part of the read scope */
  myGridIds: readonly string[];
  state?: IssueState;
  unitId?: string;
  categoryId?: string;
  source?: IssueSource;
  overdue?: boolean;
  /** deadline within the next `dueSoonHours` (and not passed), not finished */
  dueSoon?: boolean;
  /** the due-soon window, hours (config ISSUE_DUE_SOON_HOURS) */
  dueSoonHours?: number;
  /** path of the areaUnitId filter, resolved by the service */
  areaPath?: string | null;
  q?: string;
  /** created at or after / before (exclusive) these instants */
  createdFrom?: Date;
  createdBefore?: Date;
  extensionPending?: boolean;
  /** dispatched to the unit with this path or one under it (the `mine` filter) */
  responsiblePath?: string | null;
  /** reported by this user (the `reportedByMe` filter) */
  reporterId?: string;
  /** list order: newest first (default) or the nearest deadline first */
  sort?: 'newest' | 'deadline';
};

/** States in which the clock no longer runs. */
const FINISHED = sql`('closed', 'rejected', 'merged')`;
const overdueExpr = sql`(i.deadline IS NOT NULL AND i.deadline < now() AND i.state NOT IN ${FINISHED})`;
/** 即将到期: not finished, the deadline not passed but within the window. */
const dueSoonExpr = (hours = 24) =>
  sql`(i.deadline IS NOT NULL AND i.deadline >= now() AND i.deadline < now() + make_interval(hours => ${hours}::int) AND i.state NOT IN ${FINISHED})`;

function conditions(scope: Scope, f: IssueFilter, extra: SQL[] = []): SQL {
  const where: SQL[] = [...extra];
  const scopeCond = issueReadCond(scope, f.myGridIds);
  if (scopeCond) where.push(scopeCond);
  if (f.areaPath) where.push(sql`i.area_path LIKE ${`${f.areaPath}%`}`);
  if (f.state) where.push(sql`i.state = ${f.state}`);
  if (f.unitId) where.push(sql`i.responsible_unit_id = ${f.unitId}`);
  if (f.categoryId) where.push(sql`(i.category_id = ${f.categoryId} OR i.category_id IN (SELECT sc.id FROM issue_categories sc WHERE sc.parent_id = ${f.categoryId}))`);
  if (f.source) where.push(sql`i.source = ${f.source}`);
  if (f.reporterId) where.push(sql`i.reporter_id = ${f.reporterId}`);
  if (f.overdue === true) where.push(overdueExpr);
  if (f.overdue === false) where.push(sql`NOT ${overdueExpr}`);
  if (f.dueSoon === true) where.push(dueSoonExpr(f.dueSoonHours));
  if (f.dueSoon === false) where.push(sql`NOT ${dueSoonExpr(f.dueSoonHours)}`);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(sql`(i.number ILIKE ${like} OR i.title ILIKE ${like} OR i.address ILIKE ${like})`);
  }
  if (f.createdFrom) where.push(sql`i.created_at >= ${f.createdFrom.toISOString()}`);
  if (f.createdBefore) where.push(sql`i.created_at < ${f.createdBefore.toISOString()}`);
  if (f.extensionPending !== undefined) where.push(sql`i.extension_pending = ${f.extensionPending}`);
  if (f.responsiblePath) where.push(sql`(i.responsible_path LIKE ${`${f.responsiblePath}%`} AND i.state NOT IN ('reported', 'accepted', 'rejected', 'merged'))`);
  return where.length ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``;
}

const viewColumns = (dueSoonHours?: number) => sql`i.id, i.number, i.source, i.category_id, c.name AS category_name, i.severity, i.title, i.description,
  i.point_id, pt.name AS point_name, i.grid_id, i.area_unit_id, a.name AS area_unit_name, i.address, i.lng, i.lat,
  i.reporter_id, rep.name AS reporter_name, i.reporter_phone_enc,
  i.responsible_unit_id, ru.name AS responsible_unit_name, i.deadline, ${overdueExpr} AS is_overdue, ${dueSoonExpr(dueSoonHours)} AS is_due_soon,
  i.state, i.extension_pending, i.rework_count, i.relapse_count, i.merged_into_id, i.version, i.created_at, i.updated_at, i.closed_at`;
const viewJoins = sql`JOIN issue_categories c ON c.id = i.category_id JOIN org_units a ON a.id = i.area_unit_id
  LEFT JOIN org_units ru ON ru.id = i.responsible_unit_id LEFT JOIN users rep ON rep.id = i.reporter_id
  LEFT JOIN points pt ON pt.id = i.point_id`;

/** One page (newest first) and the total, filtered on bare `issues` before decorating the page. */
export async function listIssues(db: Executor, scope: Scope, f: IssueFilter, page: number, pageSize: number) {
  const cond = conditions(scope, f);
  // MATERIALIZED: planned on its own, the filter uses the (state, path) indexes; inlined under
  // ORDER BY … LIMIT, the planner walks issues_created_idx backwards over every issue, not seeing
  // that the window count needs all matching rows anyway (PostgreSQL 15).
  const byDeadline = f.sort === 'deadline';
  const order = (t: string) =>
    byDeadline ? sql.raw(`${t}.deadline ASC NULLS LAST, ${t}.created_at DESC, ${t}.id DESC`) : sql.raw(`${t}.created_at DESC, ${t}.id DESC`);
  const res = await db.execute(sql`
    WITH f AS MATERIALIZED (SELECT i.id, i.created_at${byDeadline ? sql`, i.deadline` : sql``} FROM issues i ${cond}),
    page AS (
      SELECT f.id, count(*) OVER ()::int AS total FROM f
      ORDER BY ${order('f')} LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize})
    SELECT ${viewColumns(f.dueSoonHours)}, page.total
    FROM page JOIN issues i ON i.id = page.id ${viewJoins}
    ORDER BY ${order('i')}`);
  const items = rowsOf<IssueViewRow>(res);
  let total = items[0]?.total ?? 0;
  if (items.length === 0 && page > 1) {
    total = rowsOf<{ n: number }>(await db.execute(sql`SELECT count(*)::int AS n FROM issues i ${cond}`))[0].n;
  }
  return { items, total };
}

export type IssueMarkerRow = { id: string; number: string; title: string; state: IssueState; is_overdue: boolean; lng: number; lat: number };

/** The located issues of a filter for the map, newest first, at most `limit`. */
export async function listIssueMarkers(db: Executor, scope: Scope, f: IssueFilter, limit: number): Promise<IssueMarkerRow[]> {
  const cond = conditions(scope, f, [sql`i.lng IS NOT NULL AND i.lat IS NOT NULL`]);
  const res = await db.execute(sql`SELECT i.id, i.number, i.title, i.state, ${overdueExpr} AS is_overdue, i.lng, i.lat FROM issues i ${cond}
    ORDER BY i.created_at DESC, i.id DESC LIMIT ${limit}`);
  return rowsOf<IssueMarkerRow>(res);
}

export type DuplicateCandidateRow = {
  id: string;
  number: string;
  title: string;
  state: IssueState;
  category_id: string;
  category_name: string;
  point_id: string | null;
  address: string | null;
  lng: number;
  lat: number;
  created_at: string | Date;
};

/**
 * Open issues of a category inside a lng/lat box, within the read scope: the bounding-box
 * prefilter of duplicate hints, on the partial index issues_open_category_lat_idx.
 */
export async function openIssuesInBox(
  db: Executor,
  scope: Scope,
  categoryId: string,
  box: { minLng: number; minLat: number; maxLng: number; maxLat: number },
  excludeId: string | undefined,
  limit: number,
  myGridIds: readonly string[],
): Promise<DuplicateCandidateRow[]> {
  const extra = [
    sql`i.category_id = ${categoryId}`,
    sql`i.state NOT IN ('closed', 'rejected', 'merged') AND i.lat IS NOT NULL`,
    sql`i.lat BETWEEN ${box.minLat} AND ${box.maxLat} AND i.lng BETWEEN ${box.minLng} AND ${box.maxLng}`,
  ];
  if (excludeId) extra.push(sql`i.id <> ${excludeId}`);
  const res = await db.execute(sql`SELECT i.id, i.number, i.title, i.state, i.category_id, c.name AS category_name, i.point_id, i.address, i.lng, i.lat, i.created_at
    FROM issues i JOIN issue_categories c ON c.id = i.category_id ${conditions(scope, { myGridIds }, extra)} LIMIT ${limit}`);
  return rowsOf<DuplicateCandidateRow>(res);
}

/** One issue with its names, flags and the facts its policy and flow need: the issue page's only read of the row. */
export async function getIssueView(db: Executor, id: string, dueSoonHours?: number): Promise<IssueDetailRow | undefined> {
  const query = sql`SELECT ${viewColumns(dueSoonHours)}, i.area_path, i.responsible_path, i.requested_deadline,
      (SELECT coalesce(json_agg(json_build_object('id', m.id, 'number', m.number, 'title', m.title, 'source', m.source, 'created_at', m.created_at) ORDER BY m.created_at, m.id), '[]')
        FROM issues m WHERE m.merged_into_id = i.id) AS merged_reports
    FROM issues i ${viewJoins} WHERE i.id = ${id}`;
  return (await executeNamed<IssueDetailRow>(db, 'issues.view', query))[0];
}

export async function getIssue(db: Executor, id: string, forUpdate = false): Promise<IssueRow | undefined> {
  const q = db.select().from(issues).where(eq(issues.id, id));
  const [row] = forUpdate ? await q.for('update') : await q;
  return row;
}

export async function updateIssue(db: Executor, id: string, version: number, data: Partial<typeof issues.$inferInsert>) {
  const [row] = await db
    .update(issues)
    .set({ ...data, version: version + 1, updatedAt: new Date() })
    .where(and(eq(issues.id, id), eq(issues.version, version)))
    .returning();
  return row;
}

export async function insertEvent(db: Executor, row: typeof issueEvents.$inferInsert): Promise<void> {
  await db.insert(issueEvents).values(row);
}

export type EventViewRow = IssueEventRow & { actorName: string | null; actorUnitName: string | null; unitName: string | null };
export async function listEvents(db: Executor, issueId: string): Promise<EventViewRow[]> {
  return executeNamed<EventViewRow>(db, 'issues.events', sql`SELECT e.id, e.issue_id AS "issueId", e.action, e.from_state AS "fromState", e.to_state AS "toState",
      e.actor_id AS "actorId", u.name AS "actorName", e.actor_unit_id AS "actorUnitId", au.name AS "actorUnitName", du.name AS "unitName", e.note, e.data, e.at
    FROM issue_events e LEFT JOIN users u ON u.id = e.actor_id LEFT JOIN org_units au ON au.id = e.actor_unit_id
      LEFT JOIN org_units du ON du.id = (e.data->>'unitId')::uuid
    WHERE e.issue_id = ${issueId} ORDER BY e.id`);
}

/** Where a new issue is filed: a point, a grid or an area unit (district, street, community). */
export type FilingPlace = { pointId: string } | { gridId: string } | { areaUnitId: string };

/**
 * What filing needs to know, read in ONE statement: the category (its limit, its own or its
 * parent's default unit), the place (area, grid, address, coordinates, and for a point its first
 * 责任单位) and the name of the reporter's unit. A column is null when its row does not exist.
 */
export type FilingRefsRow = {
  category_name: string | null;
  category_active: boolean | null;
  time_limit_days: number | null;
  time_limit_unit: string | null;
  category_unit_id: string | null;
  category_unit_path: string | null;
  category_unit_name: string | null;
  point_name?: string | null;
  place_active: boolean | null;
  /** kind of the area unit (an area filing must name a district, street or community) */
  area_kind: string | null;
  area_unit_id: string | null;
  area_path: string | null;
  area_name: string | null;
  grid_id: string | null;
  address: string | null;
  lng: number | null;
  lat: number | null;
  place_unit_id: string | null;
  place_unit_path: string | null;
  place_unit_name: string | null;
  actor_unit_name: string | null;
};

export async function filingRefs(db: Executor, categoryId: string, place: FilingPlace, actorUnitId: string | null): Promise<FilingRefsRow> {
  const noUnit = sql`NULL::uuid AS place_unit_id, NULL::text AS place_unit_path, NULL::text AS place_unit_name`;
  const placeSql =
    'pointId' in place
      ? sql`SELECT p.is_active AS place_active, a.kind AS area_kind, a.id AS area_unit_id, a.path AS area_path, a.name AS area_name, p.grid_id, p.address, p.lng, p.lat, p.name AS point_name,
          fu.id AS place_unit_id, fu.path AS place_unit_path, fu.name AS place_unit_name
        FROM points p JOIN org_units a ON a.id = p.area_unit_id LEFT JOIN LATERAL ${firstUnitOfPointSql(sql`p.id`)} fu ON true WHERE p.id = ${place.pointId}`
      : 'gridId' in place
        ? sql`SELECT g.is_active AS place_active, a.kind AS area_kind, a.id AS area_unit_id, a.path AS area_path, a.name AS area_name, g.id AS grid_id,
            NULL::text AS address, NULL::text AS point_name, NULL::float8 AS lng, NULL::float8 AS lat, ${noUnit}
          FROM grids g JOIN org_units a ON a.id = g.community_id WHERE g.id = ${place.gridId}`
        : sql`SELECT a.is_active AS place_active, a.kind AS area_kind, a.id AS area_unit_id, a.path AS area_path, a.name AS area_name, NULL::uuid AS grid_id,
            NULL::text AS address, NULL::text AS point_name, NULL::float8 AS lng, NULL::float8 AS lat, ${noUnit}
          FROM org_units a WHERE a.id = ${place.areaUnitId}`;
  const kind = 'pointId' in place ? 'point' : 'gridId' in place ? 'grid' : 'area';
  const query = sql`SELECT c.*, pl.*, (SELECT name FROM org_units WHERE id = ${actorUnitId}) AS actor_unit_name
    FROM (SELECT 1) one
    LEFT JOIN (SELECT c.name AS category_name, c.is_active AS category_active, c.time_limit_days, c.time_limit_unit,
        du.id AS category_unit_id, du.path AS category_unit_path, du.name AS category_unit_name
      FROM issue_categories c LEFT JOIN issue_categories pc ON pc.id = c.parent_id
        LEFT JOIN org_units du ON du.id = coalesce(c.default_unit_id, pc.default_unit_id)
      WHERE c.id = ${categoryId}) c ON true
    LEFT JOIN (${placeSql}) pl ON true`;
  return (await executeNamed<FilingRefsRow>(db, `issues.filingRefs.${kind}`, query))[0];
}

export type NewIssue = Omit<typeof issues.$inferInsert, 'number'>;
export type NewIssueEvent = Omit<typeof issueEvents.$inferInsert, 'issueId'>;

/**
 * Files an issue in ONE statement: the day's next number, the issue, its first event and the
 * audit entry (`auditOf` gets `{"number": …}` as a jsonb expression to add to its `after`). The day's counter row stays
 * locked only while the statement runs (or, inside a transaction, until its commit), so that
 * concurrent filings queue on it briefly; a failure undoes all four writes, so the day's numbers
 * have no gaps. `prefix` is 'WT' and the China day, e.g. 'WT20261121-'.
 */
export async function fileIssue(
  db: Executor,
  day: string,
  prefix: string,
  issue: NewIssue,
  event: NewIssueEvent,
  auditOf: (withNumber: SQL) => SQL,
): Promise<{ number: string; eventId: number }> {
  const number = sql`(SELECT ${prefix}::text || lpad(n.last::text, 6, '0') FROM n)`;
  const query = sql`WITH
    n AS (INSERT INTO issue_day_counters (day, last) VALUES (${day}, 1)
      ON CONFLICT (day) DO UPDATE SET last = issue_day_counters.last + 1 RETURNING last),
    i AS ${db.insert(issues).values({ ...issue, number }).returning({ number: issues.number })},
    e AS ${db.insert(issueEvents).values({ ...event, issueId: issue.id }).returning({ id: issueEvents.id })},
    a AS (${auditOf(sql`jsonb_build_object('number', ${number})`)})
    SELECT i.number, e.id AS event_id FROM i, e`;
  const [row] = await executeNamed<{ number: string; event_id: string | number }>(db, 'issues.file', query);
  return { number: row.number, eventId: Number(row.event_id) };
}

// ---- categories ----
export type CategoryViewRow = CategoryRow & { defaultUnitName: string | null };

export async function listCategories(db: Executor, includeInactive: boolean): Promise<CategoryViewRow[]> {
  const res = await db.execute(sql`SELECT c.id, c.code, c.name, c.kind, c.parent_id AS "parentId", c.default_unit_id AS "defaultUnitId",
      u.name AS "defaultUnitName", c.time_limit_days AS "timeLimitDays", c.time_limit_unit AS "timeLimitUnit", c.sort, c.is_active AS "isActive", c.version
    FROM issue_categories c LEFT JOIN issue_categories p ON p.id = c.parent_id LEFT JOIN org_units u ON u.id = c.default_unit_id
    ${includeInactive ? sql`` : sql`WHERE c.is_active`}
    ORDER BY coalesce(p.sort, c.sort), coalesce(p.code, c.code), c.parent_id NULLS FIRST, c.sort, c.code`);
  return rowsOf<CategoryViewRow>(res);
}

export async function getCategory(db: Executor, id: string, forUpdate = false): Promise<CategoryRow | undefined> {
  const q = db.select().from(issueCategories).where(eq(issueCategories.id, id));
  const [row] = forUpdate ? await q.for('update') : await q;
  return row;
}

export async function childCategories(db: Executor, parentId: string): Promise<CategoryRow[]> {
  return db.select().from(issueCategories).where(eq(issueCategories.parentId, parentId)).orderBy(asc(issueCategories.sort));
}

export async function insertCategory(db: Executor, row: typeof issueCategories.$inferInsert): Promise<CategoryRow> {
  const [created] = await db.insert(issueCategories).values(row).returning();
  return created;
}

export async function updateCategory(db: Executor, id: string, version: number, data: Partial<typeof issueCategories.$inferInsert>) {
  const [row] = await db
    .update(issueCategories)
    .set({ ...data, version: version + 1, updatedAt: new Date() })
    .where(and(eq(issueCategories.id, id), eq(issueCategories.version, version)))
    .returning();
  return row;
}

export async function issueStates(db: Executor, ids: string[]): Promise<Map<string, { number: string; state: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: issues.id, number: issues.number, state: issues.state }).from(issues).where(inArray(issues.id, ids));
  return new Map(rows.map((r) => [r.id, { number: r.number, state: r.state }]));
}
