import { sql } from 'drizzle-orm';
import { boolean, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import type { Answers, QuestionnaireModel, RoundLayers } from '../../../contracts/surveys.ts';
import { orgUnits } from '../org/org.tables.ts';
import { users } from '../users/users.tables.ts';

/** A questionnaire: a name and its versions (the model lives in the versions). */
export const surveyQuestionnaires = pgTable('survey_questionnaires', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  createdBy: uuid('created_by').references(() => users.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** One version of a questionnaire's model. A published version is frozen; a change makes a new draft. */
export const surveyVersions = pgTable(
  'survey_versions',
  {
    id: uuid('id').primaryKey(),
    questionnaireId: uuid('questionnaire_id')
      .notNull()
      .references(() => surveyQuestionnaires.id),
    number: integer('number').notNull(),
    status: text('status').notNull().default('draft'),
    model: jsonb('model').$type<QuestionnaireModel>().notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('survey_versions_number_uq').on(t.questionnaireId, t.number)],
);

/** A round runs one published version in a period with a sampling design. */
export const surveyRounds = pgTable('survey_rounds', {
  id: uuid('id').primaryKey(),
  questionnaireId: uuid('questionnaire_id')
    .notNull()
    .references(() => surveyQuestionnaires.id),
  versionId: uuid('version_id')
    .notNull()
    .references(() => surveyVersions.id),
  name: text('name').notNull(),
  slug: text('slug').notNull().unique(),
  status: text('status').notNull().default('draft'),
  startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
  endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
  overQuota: text('over_quota').notNull().default('refuse'),
  modes: text('modes').array().notNull(),
  layers: jsonb('layers').$type<RoundLayers>().notNull(),
  version: integer('version').notNull().default(1),
  createdBy: uuid('created_by').references(() => users.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A stratum (sample cell) of a round: its defining attributes, quota, fill and population. */
export const surveyStrata = pgTable(
  'survey_strata',
  {
    id: uuid('id').primaryKey(),
    roundId: uuid('round_id')
      .notNull()
      .references(() => surveyRounds.id),
    label: text('label').notNull(),
    areaUnitId: uuid('area_unit_id').references(() => orgUnits.id),
    ageBand: text('age_band'),
    identity: text('identity'),
    quota: integer('quota'),
    /** responses counted against the quota: raised atomically with `filled < quota` in the response's transaction */
    filled: integer('filled').notNull().default(0),
    /** responses accepted beyond the quota (rounds that accept and mark) */
    overFilled: integer('over_filled').notNull().default(0),
    population: integer('population'),
    sort: integer('sort').notNull().default(0),
  },
  (t) => [index('survey_strata_round_idx').on(t.roundId)],
);

/**
 * A response: the answers only. Nothing here identifies the respondent (identity hashes live in
 * `survey_identities`, which has no link to the response); the hashed network address is kept for
 * review and never shown.
 */
export const surveyResponses = pgTable(
  'survey_responses',
  {
    id: uuid('id').primaryKey(),
    roundId: uuid('round_id')
      .notNull()
      .references(() => surveyRounds.id),
    versionId: uuid('version_id')
      .notNull()
      .references(() => surveyVersions.id),
    stratumId: uuid('stratum_id')
      .notNull()
      .references(() => surveyStrata.id),
    clientKey: text('client_key').notNull(),
    answers: jsonb('answers').$type<Answers>().notNull(),
    mode: text('mode').notNull(),
    surveyorId: uuid('surveyor_id').references(() => users.id),
    place: text('place'),
    lng: doublePrecision('lng'),
    lat: doublePrecision('lat'),
    collectedAt: timestamp('collected_at', { withTimezone: true }),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
    overQuota: boolean('over_quota').notNull().default(false),
    flags: text('flags').array().notNull().default(sql`'{}'::text[]`),
    ipHash: text('ip_hash'),
    durationSec: integer('duration_sec'),
  },
  (t) => [unique('survey_responses_client_key_uq').on(t.roundId, t.clientKey), index('survey_responses_round_stratum_idx').on(t.roundId, t.stratumId)],
);

/** One-use invitation tokens (printed per household); only the hash is stored. */
export const surveyTokens = pgTable(
  'survey_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    roundId: uuid('round_id')
      .notNull()
      .references(() => surveyRounds.id),
    label: text('label').notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('survey_tokens_round_idx').on(t.roundId)],
);

/** Who already answered a round, as keyed hashes only (phone, ID number, device), apart from the answers. */
export const surveyIdentities = pgTable(
  'survey_identities',
  {
    roundId: uuid('round_id')
      .notNull()
      .references(() => surveyRounds.id),
    kind: text('kind').notNull(),
    hash: text('hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.kind, t.hash] })],
);

/** One-time codes sent to phones for the identity layer (hashes only, short-lived). */
export const surveyOtps = pgTable(
  'survey_otps',
  {
    roundId: uuid('round_id')
      .notNull()
      .references(() => surveyRounds.id),
    phoneHash: text('phone_hash').notNull(),
    codeHash: text('code_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    attempts: integer('attempts').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.phoneHash] })],
);

/** How many answers each anti-duplicate layer refused or flagged in a round (shown with the results). */
export const surveyLayerCounts = pgTable(
  'survey_layer_counts',
  {
    roundId: uuid('round_id')
      .notNull()
      .references(() => surveyRounds.id),
    layer: text('layer').notNull(),
    refused: integer('refused').notNull().default(0),
    flagged: integer('flagged').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.layer] })],
);

/** Responses per hashed network address in a round (the network layer flags beyond a threshold). */
export const surveyNetworkCounts = pgTable(
  'survey_network_counts',
  {
    roundId: uuid('round_id')
      .notNull()
      .references(() => surveyRounds.id),
    ipHash: text('ip_hash').notNull(),
    n: integer('n').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.ipHash] })],
);
