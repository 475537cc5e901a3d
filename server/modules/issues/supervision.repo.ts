import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { LetterState } from '../../../contracts/supervision.ts';
import { type Executor, rowsOf } from '../../db/client.ts';
import { supervisionLetterEvents, supervisionLetterItems, supervisionLetters } from './supervision.tables.ts';

export type LetterRow = typeof supervisionLetters.$inferSelect;
export type NewLetterRow = typeof supervisionLetters.$inferInsert;
export type LetterEventRow = typeof supervisionLetterEvents.$inferSelect;

/** A path prefix the rows must lie under (issues: area or responsible unit; letters: recipient or issuer), or everything. */
export type PathScope = { isAll: true } | { isAll: false; rootPath: string };

/** States in which an issue is the unit's to fix now (a candidate for a 督办函 when late or repeated). */
export const UNIT_OPEN_STATES = ['dispatched', 'rectifying', 'feedback'] as const;

const openStates = sql.join(
  UNIT_OPEN_STATES.map((s) => sql`${s}`),
  sql`, `,
);

/** overdue, reworked or relapsed, still in the unit's hands */
const candidateCond = (now: Date, scope: PathScope): SQL => {
  const at = now.toISOString();
  const sc = scope.isAll ? sql`` : sql`AND (i.area_path LIKE ${`${scope.rootPath}%`} OR i.responsible_path LIKE ${`${scope.rootPath}%`})`;
  return sql`i.state IN (${openStates}) AND i.responsible_unit_id IS NOT NULL
    AND (i.deadline < ${at}::timestamptz OR i.rework_count > 0 OR i.relapse_count > 0) ${sc}`;
};

/** Per-year sequence of 创文督〔YYYY〕N号: an upsert that row-locks the year until the transaction ends. */
/** The next number of an issuing office's letters in a year. */
export async function nextLetterSeq(db: Executor, officeUnitId: string, year: number): Promise<number> {
  const res = await db.execute(sql`INSERT INTO supervision_year_counters (office_unit_id, year, last) VALUES (${officeUnitId}, ${year}, 1)
    ON CONFLICT (office_unit_id, year) DO UPDATE SET last = supervision_year_counters.last + 1 RETURNING last`);
  return rowsOf<{ last: number }>(res)[0].last;
}

export type CandidateUnitRow = { unit_id: string; unit_name: string; overdue: number; rework: number; relapse: number; total: number; open_letters: number };

export async function candidateUnits(db: Executor, now: Date, scope: PathScope): Promise<CandidateUnitRow[]> {
  const at = now.toISOString();
  const res = await db.execute(sql`
    SELECT i.responsible_unit_id AS unit_id, u.name AS unit_name,
      count(*) FILTER (WHERE i.deadline < ${at}::timestamptz)::int AS overdue,
      count(*) FILTER (WHERE i.rework_count > 0)::int AS rework,
      count(*) FILTER (WHERE i.relapse_count > 0)::int AS relapse,
      count(*)::int AS total,
      (SELECT count(*)::int FROM supervision_letters l WHERE l.unit_id = i.responsible_unit_id AND l.state <> 'done') AS open_letters
    FROM issues i JOIN org_units u ON u.id = i.responsible_unit_id
    WHERE ${candidateCond(now, scope)}
    GROUP BY i.responsible_unit_id, u.name
    ORDER BY count(*) DESC, u.name`);
  return rowsOf<CandidateUnitRow>(res).map((r) => ({ ...r, overdue: Number(r.overdue), rework: Number(r.rework), relapse: Number(r.relapse), total: Number(r.total), open_letters: Number(r.open_letters) }));
}

export type CandidateIssueRow = {
  id: string;
  number: string;
  title: string;
  description: string;
  category_name: string;
  address: string | null;
  area_unit_name: string;
  area_path: string;
  responsible_path: string | null;
  responsible_unit_id: string;
  state: string;
  created_at: string | Date;
  deadline: string | Date | null;
  rework_count: number;
  relapse_count: number;
  photo_id: string | null;
  in_letters: string[] | null;
};

/** The candidate issues of one unit (or the given ids among them), oldest deadline first. */
export async function candidateIssues(db: Executor, unitId: string, now: Date, scope: PathScope, ids?: string[]): Promise<CandidateIssueRow[]> {
  const only = ids ? sql`AND i.id IN (${sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  )})` : sql``;
  const res = await db.execute(sql`
    SELECT i.id, i.number, i.title, i.description, c.name AS category_name, i.address, a.name AS area_unit_name,
      i.area_path, i.responsible_path, i.responsible_unit_id, i.state, i.created_at, i.deadline, i.rework_count, i.relapse_count,
      (SELECT f.id FROM files f WHERE f.owner_type = 'issue' AND f.owner_id = i.id::text AND f.thumb_key IS NOT NULL ORDER BY f.created_at, f.id LIMIT 1) AS photo_id,
      (SELECT array_agg(l.number ORDER BY l.created_at) FROM supervision_letter_items li JOIN supervision_letters l ON l.id = li.letter_id
        WHERE li.issue_id = i.id AND l.state <> 'done') AS in_letters
    FROM issues i
    JOIN issue_categories c ON c.id = i.category_id
    JOIN org_units a ON a.id = i.area_unit_id
    WHERE i.responsible_unit_id = ${unitId} AND ${candidateCond(now, scope)} ${only}
    ORDER BY i.deadline NULLS LAST, i.number
    LIMIT 500`);
  return rowsOf<CandidateIssueRow>(res);
}

export async function insertLetter(db: Executor, row: NewLetterRow): Promise<LetterRow> {
  const [r] = await db.insert(supervisionLetters).values(row).returning();
  return r;
}

export type NewLetterItem = typeof supervisionLetterItems.$inferInsert;

export async function insertItems(db: Executor, rows: NewLetterItem[]): Promise<void> {
  if (rows.length) await db.insert(supervisionLetterItems).values(rows);
}

export async function insertEvent(db: Executor, row: typeof supervisionLetterEvents.$inferInsert): Promise<void> {
  await db.insert(supervisionLetterEvents).values(row);
}

export async function getLetter(db: Executor, id: string, forUpdate = false): Promise<LetterRow | undefined> {
  const q = db.select().from(supervisionLetters).where(eq(supervisionLetters.id, id));
  const [r] = forUpdate ? await q.for('update') : await q;
  return r;
}

/** Updates a letter if its version is still `version`; bumps the version. */
export async function updateLetter(db: Executor, id: string, version: number, data: Partial<NewLetterRow>): Promise<LetterRow | undefined> {
  const [r] = await db
    .update(supervisionLetters)
    .set({ ...data, version: version + 1, updatedAt: new Date() })
    .where(and(eq(supervisionLetters.id, id), eq(supervisionLetters.version, version)))
    .returning();
  return r;
}

export type LetterViewRow = LetterRow & { unitName: string; createdByName: string | null; itemCount: number; total?: number };

const letterScopeCond = (scope: PathScope): SQL | undefined =>
  scope.isAll ? undefined : sql`(l.unit_path LIKE ${`${scope.rootPath}%`} OR l.issuer_path LIKE ${`${scope.rootPath}%`})`;

type RawLetter = Record<string, unknown>;
const toLetter = (r: RawLetter): LetterViewRow => ({
  id: r.id as string,
  number: r.number as string,
  officeUnitId: r.office_unit_id as string,
  year: Number(r.year),
  seq: Number(r.seq),
  unitId: r.unit_id as string,
  unitPath: r.unit_path as string,
  issuerUnitId: r.issuer_unit_id as string,
  issuerPath: r.issuer_path as string,
  issuer: r.issuer as string,
  title: r.title as string,
  body: r.body as string,
  replyDeadline: String(r.reply_deadline).slice(0, 10),
  state: r.state as string,
  fileId: (r.file_id as string | null) ?? null,
  replyText: (r.reply_text as string | null) ?? null,
  repliedAt: r.replied_at ? new Date(r.replied_at as string) : null,
  createdBy: r.created_by as string,
  version: Number(r.version),
  createdAt: new Date(r.created_at as string),
  updatedAt: new Date(r.updated_at as string),
  doneAt: r.done_at ? new Date(r.done_at as string) : null,
  unitName: r.unit_name as string,
  createdByName: (r.created_by_name as string | null) ?? null,
  itemCount: Number(r.item_count),
  total: r.total === undefined ? undefined : Number(r.total),
});

const LETTER_VIEW = sql`SELECT l.*, u.name AS unit_name, cu.name AS created_by_name,
    (SELECT count(*) FROM supervision_letter_items li WHERE li.letter_id = l.id) AS item_count`;
const LETTER_FROM = sql`FROM supervision_letters l JOIN org_units u ON u.id = l.unit_id LEFT JOIN users cu ON cu.id = l.created_by`;

export async function listLetters(
  db: Executor,
  scope: PathScope,
  f: { state?: LetterState; unitId?: string; year?: number },
  page: number,
  pageSize: number,
): Promise<{ items: LetterViewRow[]; total: number }> {
  const conds: SQL[] = [];
  const sc = letterScopeCond(scope);
  if (sc) conds.push(sc);
  if (f.state) conds.push(sql`l.state = ${f.state}`);
  if (f.unitId) conds.push(sql`l.unit_id = ${f.unitId}`);
  if (f.year) conds.push(sql`l.year = ${f.year}`);
  const where = conds.length ? sql`WHERE ${sql.join(conds, sql` AND `)}` : sql``;
  const res = await db.execute(sql`${LETTER_VIEW}, count(*) OVER () AS total ${LETTER_FROM} ${where}
    ORDER BY l.year DESC, l.created_at DESC, l.id DESC LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`);
  const items = rowsOf<RawLetter>(res).map(toLetter);
  let total = items[0]?.total ?? 0;
  if (!items.length && page > 1) {
    const c = await db.execute(sql`SELECT count(*) AS n ${LETTER_FROM} ${where}`);
    total = Number(rowsOf<{ n: number }>(c)[0].n);
  }
  return { items, total };
}

export async function getLetterView(db: Executor, id: string): Promise<LetterViewRow | undefined> {
  const res = await db.execute(sql`${LETTER_VIEW} ${LETTER_FROM} WHERE l.id = ${id}`);
  const r = rowsOf<RawLetter>(res)[0];
  return r ? toLetter(r) : undefined;
}

export type LetterItemRow = {
  issue_id: string;
  number: string;
  title: string;
  address: string | null;
  deadline: string | Date | null;
  days_overdue: number;
  rework_count: number;
  relapse_count: number;
  current_state: string;
};

export async function letterItems(db: Executor, letterId: string): Promise<LetterItemRow[]> {
  const res = await db.execute(sql`
    SELECT li.issue_id, i.number, i.title, i.address, li.deadline, li.days_overdue, li.rework_count, li.relapse_count, i.state AS current_state
    FROM supervision_letter_items li JOIN issues i ON i.id = li.issue_id
    WHERE li.letter_id = ${letterId} ORDER BY li.position`);
  return rowsOf<LetterItemRow>(res);
}

export type LetterEventView = LetterEventRow & { actorName: string | null };

export async function letterEvents(db: Executor, letterId: string): Promise<LetterEventView[]> {
  const res = await db.execute(sql`
    SELECT e.id, e.letter_id AS "letterId", e.action, e.from_state AS "fromState", e.to_state AS "toState", e.actor_id AS "actorId",
      e.actor_unit_id AS "actorUnitId", e.note, e.data, e.at, u.name AS "actorName"
    FROM supervision_letter_events e LEFT JOIN users u ON u.id = e.actor_id
    WHERE e.letter_id = ${letterId} ORDER BY e.id`);
  return rowsOf<LetterEventView>(res);
}

/** Used by tests and the demo: the letters naming an issue. */
export async function lettersOfIssue(db: Executor, issueId: string): Promise<{ letterId: string }[]> {
  return db.select({ letterId: supervisionLetterItems.letterId }).from(supervisionLetterItems).where(eq(supervisionLetterItems.issueId, issueId)).orderBy(asc(supervisionLetterItems.position));
}

export type LetterDocRow = {
  id: string;
  number: string;
  title: string;
  description: string;
  area_unit_name: string;
  address: string | null;
  created_at: string | Date;
  deadline: string | Date | null;
  days_overdue: number;
  rework_count: number;
  relapse_count: number;
};

/** The issues of a letter as the document lists them: the facts snapshot taken when it was sent. */
export async function letterDocRows(db: Executor, letterId: string): Promise<LetterDocRow[]> {
  const res = await db.execute(sql`
    SELECT i.id, i.number, i.title, i.description, a.name AS area_unit_name, i.address, i.created_at,
      li.deadline, li.days_overdue, li.rework_count, li.relapse_count
    FROM supervision_letter_items li JOIN issues i ON i.id = li.issue_id JOIN org_units a ON a.id = i.area_unit_id
    WHERE li.letter_id = ${letterId} ORDER BY li.position`);
  return rowsOf<LetterDocRow>(res);
}

/** Records the generated document of a letter (generated metadata: no version bump). */
export async function setLetterFile(db: Executor, id: string, fileId: string): Promise<void> {
  await db.update(supervisionLetters).set({ fileId }).where(eq(supervisionLetters.id, id));
}
