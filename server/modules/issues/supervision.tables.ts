import { bigserial, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { files } from '../files/files.tables.ts';
import { orgUnits } from '../org/org.tables.ts';
import { users } from '../users/users.tables.ts';
import { issues } from './issues.tables.ts';

/**
 * Per-office, per-year counter behind 创文督〔YYYY〕N号 (the city's 创文办) and 文明创文督〔YYYY〕N号
 * (a district's): each issuing office numbers its own letters; one upsert per letter, race-free.
 */
export const supervisionYearCounters = pgTable(
  'supervision_year_counters',
  {
    officeUnitId: uuid('office_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    year: integer('year').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [primaryKey({ columns: [t.officeUnitId, t.year] })],
);

/**
 * 督办函: a letter to one responsible unit about its overdue or repeat (返工 / 回潮) issues, with a
 * reply deadline; sent → replied → done (or back to sent when the office asks for a better reply).
 * The Word document (GB/T 9704 信函格式) is generated once at sending and kept as a file.
 */
export const supervisionLetters = pgTable(
  'supervision_letters',
  {
    id: uuid('id').primaryKey(),
    number: text('number').notNull().unique(),
    /** the issuing office (the city's or a district's 创文办): it numbers its letters per year */
    officeUnitId: uuid('office_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    year: integer('year').notNull(),
    seq: integer('seq').notNull(),
    /** the recipient unit and its path (a unit sees its own letters: one prefix match) */
    unitId: uuid('unit_id')
      .notNull()
      .references(() => orgUnits.id),
    unitPath: text('unit_path').notNull(),
    /** the sender's unit and its path (the office that issued it manages it) */
    issuerUnitId: uuid('issuer_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    issuerPath: text('issuer_path').notNull(),
    issuer: text('issuer').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    /** 回复期限, a calendar date in Asia/Shanghai */
    replyDeadline: date('reply_deadline').notNull(),
    /** sent 已发 | replied 已回复 | done 已办结 */
    state: text('state').notNull(),
    fileId: uuid('file_id').references(() => files.id),
    /** the unit's latest reply (every reply stays in the event log) */
    replyText: text('reply_text'),
    repliedAt: timestamp('replied_at', { withTimezone: true }),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    doneAt: timestamp('done_at', { withTimezone: true }),
  },
  (t) => [
    unique('supervision_letters_office_year_seq').on(t.officeUnitId, t.year, t.seq),
    index('supervision_letters_unit_idx').on(t.unitId, t.createdAt),
    index('supervision_letters_state_idx').on(t.state, t.createdAt),
  ],
);

/** The issues a letter names, with the facts as they were when it was sent (the document shows these). */
export const supervisionLetterItems = pgTable(
  'supervision_letter_items',
  {
    letterId: uuid('letter_id')
      .notNull()
      .references(() => supervisionLetters.id),
    issueId: uuid('issue_id')
      .notNull()
      .references(() => issues.id),
    position: integer('position').notNull(),
    /** days past the deadline when the letter was sent (0 when not overdue) */
    daysOverdue: integer('days_overdue').notNull(),
    reworkCount: integer('rework_count').notNull(),
    relapseCount: integer('relapse_count').notNull(),
    deadline: timestamp('deadline', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.letterId, t.issueId] }), index('supervision_letter_items_issue_idx').on(t.issueId)],
);

/** Every step of a letter (send, reply, return, close), written in the transaction that makes it; append-only. */
export const supervisionLetterEvents = pgTable(
  'supervision_letter_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    letterId: uuid('letter_id')
      .notNull()
      .references(() => supervisionLetters.id),
    action: text('action').notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    actorId: uuid('actor_id').references(() => users.id),
    actorUnitId: uuid('actor_unit_id').references(() => orgUnits.id),
    note: text('note'),
    /** attachments (file ids) of a reply, the document of the send */
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('supervision_letter_events_letter_idx').on(t.letterId, t.id)],
);
