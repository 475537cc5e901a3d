import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { orgUnits } from '../org/org.tables.ts';
import { users } from '../users/users.tables.ts';

/**
 * 应知应会 question bank, owned by the city. A question keeps its `code` across versions; an edit
 * inserts the next version and retires the previous one, so attempts keep the exact wording they saw.
 */
export const quizQuestions = pgTable(
  'quiz_questions',
  {
    id: uuid('id').primaryKey(),
    code: text('code').notNull(),
    version: integer('version').notNull().default(1),
    category: text('category').notNull(),
    type: text('type').notNull(),
    stem: text('stem').notNull(),
    options: jsonb('options').$type<{ value: string; label: string }[]>().notNull(),
    answer: text('answer').array().notNull(),
    explanation: text('explanation').notNull().default(''),
    source: text('source').notNull().default(''),
    status: text('status').notNull().default('active'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('quiz_questions_code_version_uq').on(t.code, t.version), index('quiz_questions_category_idx').on(t.category, t.status)],
);

export const quizzes = pgTable('quizzes', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  slug: text('slug').notNull().unique(),
  /** random: N per category drawn per attempt; fixed: the same paper for all */
  mode: text('mode').notNull(),
  draw: jsonb('draw').$type<{ category: string; count: number }[]>().notNull(),
  fixedQuestionIds: uuid('fixed_question_ids').array().notNull(),
  timeLimitSec: integer('time_limit_sec').notNull(),
  pointsPerQuestion: integer('points_per_question').notNull().default(1),
  passPercent: integer('pass_percent').notNull(),
  attemptsPolicy: text('attempts_policy').notNull(),
  maxAttempts: integer('max_attempts'),
  scoring: text('scoring').notNull(),
  identify: text('identify').notNull(),
  startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
  endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
  version: integer('version').notNull().default(1),
  createdBy: uuid('created_by').references(() => users.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** The roster size a unit enters for a quiz: the denominator of its participation rate. */
export const quizRosters = pgTable(
  'quiz_rosters',
  {
    quizId: uuid('quiz_id')
      .notNull()
      .references(() => quizzes.id),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => orgUnits.id),
    size: integer('size').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.quizId, t.unitId] })],
);

/** One attempt: the questions drawn, the deadline, the answers and the integer score. */
export const quizAttempts = pgTable(
  'quiz_attempts',
  {
    id: uuid('id').primaryKey(),
    quizId: uuid('quiz_id')
      .notNull()
      .references(() => quizzes.id),
    /** keyed hash of (unit + name) or of the phone: one participant across attempts */
    participantHash: text('participant_hash').notNull(),
    name: text('name').notNull(),
    unitId: uuid('unit_id').references(() => orgUnits.id),
    phoneEnc: text('phone_enc'),
    questionIds: uuid('question_ids').array().notNull(),
    answers: jsonb('answers').$type<Record<string, string[]>>(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    deadlineAt: timestamp('deadline_at', { withTimezone: true }).notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    score: integer('score'),
    maxScore: integer('max_score').notNull(),
  },
  (t) => [index('quiz_attempts_quiz_participant_idx').on(t.quizId, t.participantHash), index('quiz_attempts_quiz_unit_idx').on(t.quizId, t.unitId)],
);
