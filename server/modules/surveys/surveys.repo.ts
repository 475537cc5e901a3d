import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { QuestionnaireModel } from '../../../contracts/surveys.ts';
import type { ItemCount } from '../../../domain/survey-rates.ts';
import { type Executor, rowsOf } from '../../db/client.ts';
import {
  surveyIdentities,
  surveyLayerCounts,
  surveyOtps,
  surveyQuestionnaires,
  surveyResponses,
  surveyRounds,
  surveyStrata,
  surveyTokens,
  surveyVersions,
} from './surveys.tables.ts';

export type VersionRow = typeof surveyVersions.$inferSelect;
export type RoundRow = typeof surveyRounds.$inferSelect;
export type StratumRow = typeof surveyStrata.$inferSelect & { areaName: string | null };

// ——— questionnaires and versions ———

export async function insertQuestionnaire(tx: Executor, row: typeof surveyQuestionnaires.$inferInsert) {
  await tx.insert(surveyQuestionnaires).values(row);
}

export async function insertVersion(tx: Executor, row: typeof surveyVersions.$inferInsert): Promise<VersionRow> {
  const [v] = await tx.insert(surveyVersions).values(row).returning();
  return v;
}

export async function getQuestionnaire(db: Executor, id: string) {
  const [q] = await db.select().from(surveyQuestionnaires).where(eq(surveyQuestionnaires.id, id));
  return q;
}

export async function listVersions(db: Executor, questionnaireId: string): Promise<VersionRow[]> {
  return db.select().from(surveyVersions).where(eq(surveyVersions.questionnaireId, questionnaireId)).orderBy(desc(surveyVersions.number));
}

export async function getVersion(db: Executor, id: string, lock = false): Promise<VersionRow | undefined> {
  const q = db.select().from(surveyVersions).where(eq(surveyVersions.id, id));
  const [v] = lock ? await q.for('update') : await q;
  return v;
}

export async function updateDraft(tx: Executor, id: string, model: QuestionnaireModel, version: number): Promise<VersionRow | undefined> {
  const [v] = await tx
    .update(surveyVersions)
    .set({ model, version: version + 1, updatedAt: new Date() })
    .where(and(eq(surveyVersions.id, id), eq(surveyVersions.version, version), eq(surveyVersions.status, 'draft')))
    .returning();
  return v;
}

export async function markPublished(tx: Executor, id: string, version: number): Promise<VersionRow | undefined> {
  const [v] = await tx
    .update(surveyVersions)
    .set({ status: 'published', publishedAt: new Date(), version: version + 1, updatedAt: new Date() })
    .where(and(eq(surveyVersions.id, id), eq(surveyVersions.version, version), eq(surveyVersions.status, 'draft')))
    .returning();
  return v;
}

export async function listQuestionnaires(db: Executor) {
  return rowsOf<{
    id: string;
    name: string;
    created_at: Date;
    latest_id: string;
    latest_number: number;
    latest_status: 'draft' | 'published';
    published: number;
    rounds: number;
  }>(
    await db.execute(sql`SELECT q.id, q.name, q.created_at, l.id AS latest_id, l.number AS latest_number, l.status AS latest_status,
      (SELECT count(*)::int FROM survey_versions v WHERE v.questionnaire_id = q.id AND v.status = 'published') AS published,
      (SELECT count(*)::int FROM survey_rounds r WHERE r.questionnaire_id = q.id) AS rounds
      FROM survey_questionnaires q
      CROSS JOIN LATERAL (SELECT id, number, status FROM survey_versions v WHERE v.questionnaire_id = q.id ORDER BY number DESC LIMIT 1) l
      ORDER BY q.created_at DESC`),
  );
}

// ——— rounds and strata ———

export async function insertRound(tx: Executor, row: typeof surveyRounds.$inferInsert) {
  const [r] = await tx.insert(surveyRounds).values(row).returning();
  return r;
}

export async function insertStrata(tx: Executor, rows: (typeof surveyStrata.$inferInsert)[]) {
  if (rows.length) await tx.insert(surveyStrata).values(rows);
}

export async function deleteStrata(tx: Executor, roundId: string) {
  await tx.delete(surveyStrata).where(eq(surveyStrata.roundId, roundId));
}

export async function getRound(db: Executor, id: string, lock = false): Promise<RoundRow | undefined> {
  const q = db.select().from(surveyRounds).where(eq(surveyRounds.id, id));
  const [r] = lock ? await q.for('update') : await q;
  return r;
}

export async function getRoundBySlug(db: Executor, slug: string): Promise<RoundRow | undefined> {
  const [r] = await db.select().from(surveyRounds).where(eq(surveyRounds.slug, slug));
  return r;
}

export async function updateRound(tx: Executor, id: string, version: number, set: Partial<typeof surveyRounds.$inferInsert>) {
  const [r] = await tx
    .update(surveyRounds)
    .set({ ...set, version: version + 1 })
    .where(and(eq(surveyRounds.id, id), eq(surveyRounds.version, version)))
    .returning();
  return r;
}

export async function listRounds(db: Executor, questionnaireId?: string) {
  return rowsOf<{ id: string }>(
    await db.execute(sql`SELECT id FROM survey_rounds ${questionnaireId ? sql`WHERE questionnaire_id = ${questionnaireId}` : sql``} ORDER BY starts_at DESC`),
  ).map((r) => r.id);
}

export async function strataOf(db: Executor, roundIds: string[]): Promise<StratumRow[]> {
  if (roundIds.length === 0) return [];
  return rowsOf<StratumRow>(
    await db.execute(sql`SELECT s.id, s.round_id AS "roundId", s.label, s.area_unit_id AS "areaUnitId", s.age_band AS "ageBand", s.identity, s.quota,
        s.filled, s.over_filled AS "overFilled", s.population, s.sort, u.name AS "areaName"
      FROM survey_strata s LEFT JOIN org_units u ON u.id = s.area_unit_id
      WHERE s.round_id IN (${sql.join(
        roundIds.map((id) => sql`${id}`),
        sql`, `,
      )}) ORDER BY s.sort`),
  );
}

export async function roundCounts(db: Executor, roundIds: string[]) {
  if (roundIds.length === 0) return new Map<string, { responses: number; tokens: number; tokensUsed: number }>();
  const ids = sql.join(
    roundIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const rows = rowsOf<{ id: string; responses: number; tokens: number; used: number }>(
    await db.execute(sql`SELECT r.id,
      (SELECT count(*)::int FROM survey_responses x WHERE x.round_id = r.id) AS responses,
      (SELECT count(*)::int FROM survey_tokens t WHERE t.round_id = r.id) AS tokens,
      (SELECT count(*)::int FROM survey_tokens t WHERE t.round_id = r.id AND t.used_at IS NOT NULL) AS used
      FROM unnest(ARRAY[${ids}]) AS r(id)`),
  );
  return new Map(rows.map((r) => [r.id, { responses: r.responses, tokens: r.tokens, tokensUsed: r.used }]));
}

export async function versionsByIds(db: Executor, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .select({ id: surveyVersions.id, number: surveyVersions.number, model: surveyVersions.model, name: surveyQuestionnaires.name })
    .from(surveyVersions)
    .innerJoin(surveyQuestionnaires, eq(surveyQuestionnaires.id, surveyVersions.questionnaireId))
    .where(inArray(surveyVersions.id, ids));
}

// ——— answering: each step one statement inside the response's transaction ———

/** Marks a token used; 'ok', or why not. */
export async function consumeToken(tx: Executor, roundId: string, tokenHash: string): Promise<'ok' | 'used' | 'unknown'> {
  const used = await tx
    .update(surveyTokens)
    .set({ usedAt: new Date() })
    .where(and(eq(surveyTokens.tokenHash, tokenHash), eq(surveyTokens.roundId, roundId), isNull(surveyTokens.usedAt)))
    .returning({ h: surveyTokens.tokenHash });
  if (used.length) return 'ok';
  const [row] = await tx.select({ roundId: surveyTokens.roundId }).from(surveyTokens).where(eq(surveyTokens.tokenHash, tokenHash));
  return row && row.roundId === roundId ? 'used' : 'unknown';
}

/** Claims an identity (phone, ID number, device) for a round: false when it already answered. */
export async function claimIdentity(tx: Executor, roundId: string, kind: string, hash: string): Promise<boolean> {
  const rows = await tx.insert(surveyIdentities).values({ roundId, kind, hash }).onConflictDoNothing().returning({ h: surveyIdentities.hash });
  return rows.length > 0;
}

/** One place in the stratum's quota, atomically: never more than the quota, whatever the concurrency. */
export async function takeQuota(tx: Executor, stratumId: string): Promise<boolean> {
  const rows = rowsOf(await tx.execute(sql`UPDATE survey_strata SET filled = filled + 1 WHERE id = ${stratumId} AND (quota IS NULL OR filled < quota) RETURNING 1`));
  return rows.length > 0;
}

export async function countOverQuota(tx: Executor, stratumId: string) {
  await tx.execute(sql`UPDATE survey_strata SET over_filled = over_filled + 1 WHERE id = ${stratumId}`);
}

export async function bumpNetwork(tx: Executor, roundId: string, ipHash: string): Promise<number> {
  const [r] = rowsOf<{ n: number }>(
    await tx.execute(sql`INSERT INTO survey_network_counts (round_id, ip_hash, n) VALUES (${roundId}, ${ipHash}, 1)
      ON CONFLICT (round_id, ip_hash) DO UPDATE SET n = survey_network_counts.n + 1 RETURNING n`),
  );
  return r.n;
}

export async function insertResponse(tx: Executor, row: typeof surveyResponses.$inferInsert) {
  await tx.insert(surveyResponses).values(row);
}

export async function findResponseByKey(db: Executor, roundId: string, clientKey: string) {
  const [r] = await db
    .select({ id: surveyResponses.id, overQuota: surveyResponses.overQuota })
    .from(surveyResponses)
    .where(and(eq(surveyResponses.roundId, roundId), eq(surveyResponses.clientKey, clientKey)));
  return r;
}

/** Counts a refusal or a flag of one layer (refusals after their transaction rolled back). */
export async function bumpLayer(db: Executor, roundId: string, layer: string, what: 'refused' | 'flagged') {
  const col = what === 'refused' ? sql.raw('refused') : sql.raw('flagged');
  await db.execute(sql`INSERT INTO survey_layer_counts (round_id, layer, ${col}) VALUES (${roundId}, ${layer}, 1)
    ON CONFLICT (round_id, layer) DO UPDATE SET ${col} = survey_layer_counts.${col} + 1`);
}

export async function upsertOtp(db: Executor, roundId: string, phoneHash: string, codeHash: string, expiresAt: Date) {
  await db
    .insert(surveyOtps)
    .values({ roundId, phoneHash, codeHash, expiresAt, attempts: 0 })
    .onConflictDoUpdate({ target: [surveyOtps.roundId, surveyOtps.phoneHash], set: { codeHash, expiresAt, attempts: 0 } });
}

/** Checks a code (at most 5 tries); a matched code is consumed. */
export async function consumeOtp(tx: Executor, roundId: string, phoneHash: string, codeHash: string): Promise<boolean> {
  const rows = rowsOf<{ ok: boolean }>(
    await tx.execute(sql`UPDATE survey_otps SET attempts = attempts + 1 WHERE round_id = ${roundId} AND phone_hash = ${phoneHash}
      AND expires_at > now() AND attempts < 5 RETURNING code_hash = ${codeHash} AS ok`),
  );
  if (!rows[0]?.ok) return false;
  await tx.delete(surveyOtps).where(and(eq(surveyOtps.roundId, roundId), eq(surveyOtps.phoneHash, phoneHash)));
  return true;
}

export async function insertTokens(tx: Executor, rows: (typeof surveyTokens.$inferInsert)[]) {
  for (let i = 0; i < rows.length; i += 1000) await tx.insert(surveyTokens).values(rows.slice(i, i + 1000));
}

// ——— results ———

/**
 * The counts every rate is computed from: per stratum, per rate item, per answered value (NULL:
 * not answered), in ONE pass over the round's responses (a LATERAL unnest of the items).
 */
export async function itemCounts(db: Executor, roundId: string, items: string[]): Promise<ItemCount[]> {
  if (items.length === 0) return [];
  const paths = sql.join(
    items.map((i) => sql`${`{${i.split('.').join(',')}}`}`),
    sql`, `,
  );
  const keys = sql.join(
    items.map((i) => sql`${i}`),
    sql`, `,
  );
  const rows = rowsOf<{ stratum_id: string; item: string; value: string | null; n: number }>(
    await db.execute(sql`SELECT r.stratum_id, it.item, r.answers #>> it.p::text[] AS value, count(*)::int AS n
      FROM survey_responses r
      CROSS JOIN unnest(ARRAY[${keys}]::text[], ARRAY[${paths}]::text[]) AS it(item, p)
      WHERE r.round_id = ${roundId}
      GROUP BY 1, 2, 3`),
  );
  return rows.map((r) => ({ stratumId: r.stratum_id, item: r.item, value: r.value, n: r.n }));
}

export async function responseSummary(db: Executor, roundId: string) {
  const [s] = rowsOf<{ total: number; over: number; by_mode: Record<string, number> | null; flags: Record<string, number> | null }>(
    await db.execute(sql`SELECT count(*)::int AS total, count(*) FILTER (WHERE over_quota)::int AS over,
      (SELECT jsonb_object_agg(mode, n) FROM (SELECT mode, count(*)::int n FROM survey_responses WHERE round_id = ${roundId} GROUP BY mode) m) AS by_mode,
      (SELECT jsonb_object_agg(f, n) FROM (SELECT unnest(flags) f, count(*)::int n FROM survey_responses WHERE round_id = ${roundId} GROUP BY 1) m) AS flags
      FROM survey_responses WHERE round_id = ${roundId}`),
  );
  const layers = await db.select().from(surveyLayerCounts).where(eq(surveyLayerCounts.roundId, roundId));
  return { total: s.total, over: s.over, byMode: s.by_mode ?? {}, flags: s.flags ?? {}, layers };
}

/** Raw responses of a round (for recomputation and export), answers only: nothing that identifies anyone. */
export async function rawResponses(db: Executor, roundId: string) {
  return db
    .select({ id: surveyResponses.id, stratumId: surveyResponses.stratumId, answers: surveyResponses.answers, mode: surveyResponses.mode, submittedAt: surveyResponses.submittedAt, overQuota: surveyResponses.overQuota, flags: surveyResponses.flags })
    .from(surveyResponses)
    .where(eq(surveyResponses.roundId, roundId))
    .orderBy(asc(surveyResponses.submittedAt));
}

export async function closedRoundsOf(db: Executor, questionnaireId: string) {
  return db.select().from(surveyRounds).where(eq(surveyRounds.questionnaireId, questionnaireId)).orderBy(asc(surveyRounds.endsAt));
}
