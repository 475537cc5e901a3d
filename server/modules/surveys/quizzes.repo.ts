import { and, asc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { type Executor, rowsOf } from '../../db/client.ts';
import { quizAttempts, quizQuestions, quizRosters, quizzes } from './quizzes.tables.ts';

export type QuestionRow = typeof quizQuestions.$inferSelect;
export type QuizRow = typeof quizzes.$inferSelect;
export type AttemptRow = typeof quizAttempts.$inferSelect;

export async function listQuestions(db: Executor, filter: { category?: string; includeRetired?: boolean }) {
  const conds = [];
  if (!filter.includeRetired) conds.push(eq(quizQuestions.status, 'active'));
  if (filter.category) conds.push(eq(quizQuestions.category, filter.category));
  return db
    .select()
    .from(quizQuestions)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(asc(quizQuestions.category), asc(quizQuestions.code), asc(quizQuestions.version));
}

export async function activeByCode(db: Executor, code: string, lock = false) {
  const q = db
    .select()
    .from(quizQuestions)
    .where(and(eq(quizQuestions.code, code), eq(quizQuestions.status, 'active')));
  const [r] = lock ? await q.for('update') : await q;
  return r;
}

export async function insertQuestions(tx: Executor, rows: (typeof quizQuestions.$inferInsert)[]) {
  for (let i = 0; i < rows.length; i += 500) await tx.insert(quizQuestions).values(rows.slice(i, i + 500));
}

export async function retire(tx: Executor, id: string) {
  await tx.update(quizQuestions).set({ status: 'retired' }).where(eq(quizQuestions.id, id));
}

export async function nextCode(tx: Executor): Promise<string> {
  const [r] = rowsOf<{ n: number }>(await tx.execute(sql`SELECT count(DISTINCT code)::int + 1 AS n FROM quiz_questions`));
  return `ZS${String(r.n).padStart(4, '0')}`;
}

export async function questionsByIds(db: Executor, ids: string[]) {
  if (ids.length === 0) return [];
  return db.select().from(quizQuestions).where(inArray(quizQuestions.id, ids));
}

export async function insertQuiz(tx: Executor, row: typeof quizzes.$inferInsert) {
  await tx.insert(quizzes).values(row);
}

export async function getQuiz(db: Executor, id: string) {
  const [q] = await db.select().from(quizzes).where(eq(quizzes.id, id));
  return q;
}

export async function getQuizBySlug(db: Executor, slug: string) {
  const [q] = await db.select().from(quizzes).where(eq(quizzes.slug, slug));
  return q;
}

export async function listQuizzes(db: Executor) {
  return db.select().from(quizzes).orderBy(asc(quizzes.startsAt));
}

export async function attemptCounts(db: Executor, quizIds: string[]) {
  if (quizIds.length === 0) return new Map<string, number>();
  const rows = await db
    .select({ quizId: quizAttempts.quizId, n: sql<number>`count(*)::int` })
    .from(quizAttempts)
    .where(and(inArray(quizAttempts.quizId, quizIds), isNotNull(quizAttempts.submittedAt)))
    .groupBy(quizAttempts.quizId);
  return new Map(rows.map((r) => [r.quizId, r.n]));
}

export async function rostersOf(db: Executor, quizId: string) {
  return rowsOf<{ unit_id: string; unit_name: string; size: number }>(
    await db.execute(sql`SELECT r.unit_id, u.name AS unit_name, r.size FROM quiz_rosters r JOIN org_units u ON u.id = r.unit_id WHERE r.quiz_id = ${quizId} ORDER BY u.sort, u.name`),
  );
}

export async function upsertRoster(tx: Executor, quizId: string, unitId: string, size: number) {
  await tx
    .insert(quizRosters)
    .values({ quizId, unitId, size })
    .onConflictDoUpdate({ target: [quizRosters.quizId, quizRosters.unitId], set: { size, updatedAt: new Date() } });
}

export async function submittedCount(db: Executor, quizId: string, participantHash: string): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(quizAttempts)
    .where(and(eq(quizAttempts.quizId, quizId), eq(quizAttempts.participantHash, participantHash), isNotNull(quizAttempts.submittedAt)));
  return r.n;
}

export async function insertAttempt(tx: Executor, row: typeof quizAttempts.$inferInsert) {
  await tx.insert(quizAttempts).values(row);
}

export async function getAttempt(db: Executor, id: string, lock = false) {
  const q = db.select().from(quizAttempts).where(eq(quizAttempts.id, id));
  const [a] = lock ? await q.for('update') : await q;
  return a;
}

export async function finishAttempt(tx: Executor, id: string, answers: Record<string, string[]>, score: number) {
  await tx.update(quizAttempts).set({ answers, score, submittedAt: new Date() }).where(eq(quizAttempts.id, id));
}

/** One counted attempt per participant (best, last or first), submitted within the period. */
export async function countedAttempts(db: Executor, quizId: string, policy: 'best' | 'last' | 'first', from: Date | null, to: Date | null) {
  const order = policy === 'best' ? sql`score DESC, submitted_at ASC` : policy === 'last' ? sql`submitted_at DESC` : sql`submitted_at ASC`;
  return rowsOf<{ participant: string; unit_id: string; score: number; max_score: number }>(
    await db.execute(sql`SELECT DISTINCT ON (participant_hash) participant_hash AS participant, unit_id, score, max_score
      FROM quiz_attempts
      WHERE quiz_id = ${quizId} AND submitted_at IS NOT NULL AND unit_id IS NOT NULL
        ${from ? sql`AND submitted_at >= ${from}` : sql``} ${to ? sql`AND submitted_at < ${to}` : sql``}
      ORDER BY participant_hash, ${order}`),
  );
}

/** Units (with paths) and the districts, for the leaderboard. */
export async function unitsForBoard(db: Executor) {
  return rowsOf<{ id: string; name: string; path: string; kind: string }>(await db.execute(sql`SELECT id, name, path, kind FROM org_units WHERE is_active ORDER BY sort, name`));
}
