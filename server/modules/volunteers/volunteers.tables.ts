import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, date, doublePrecision, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { orgUnits, points } from '../org/org.tables.ts';
import { users } from '../users/users.tables.ts';

const createdAt = timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/**
 * A registered volunteer: one person, one row, found by the keyed hash of the ID number. The ID
 * number and the phone are stored encrypted (deps.crypto); `id_masked` is what screens show.
 */
export const volunteers = pgTable(
  'volunteers',
  {
    id: uuid('id').primaryKey(),
    number: text('number').notNull(),
    name: text('name').notNull(),
    idType: text('id_type').notNull(),
    idHash: text('id_hash').notNull(),
    idEnc: text('id_enc').notNull(),
    idMasked: text('id_masked').notNull(),
    gender: text('gender').notNull(),
    birthDate: date('birth_date', { mode: 'string' }).notNull(),
    phoneEnc: text('phone_enc').notNull(),
    phoneHash: text('phone_hash').notNull(),
    phoneTail: text('phone_tail').notNull(),
    skills: text('skills').array().notNull().default(sql`'{}'`),
    serviceAreas: text('service_areas').array().notNull().default(sql`'{}'`),
    serviceTimes: text('service_times').array().notNull().default(sql`'{}'`),
    communityId: uuid('community_id')
      .notNull()
      .references(() => orgUnits.id),
    /** the home community's path: scope of the volunteer (registered with org for unit moves) */
    communityPath: text('community_path').notNull(),
    consentAt: timestamp('consent_at', { withTimezone: true }).notNull(),
    source: text('source').notNull(),
    searchText: text('search_text').notNull(),
    version: integer('version').notNull().default(1),
    createdAt,
  },
  (t) => [
    uniqueIndex('volunteers_id_hash_uq').on(t.idHash),
    uniqueIndex('volunteers_number_uq').on(t.number),
    index('volunteers_community_path_idx').on(sql`${t.communityPath} text_pattern_ops`),
    index('volunteers_phone_hash_idx').on(t.phoneHash),
  ],
);

/** A volunteer's phone session on /h5 (no account): only the token's hash is stored. */
export const volunteerSessions = pgTable('volunteer_sessions', {
  tokenHash: text('token_hash').primaryKey(),
  volunteerId: uuid('volunteer_id')
    .notNull()
    .references(() => volunteers.id),
  createdAt,
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});

/** Kinds of teams, stations and activity themes, as data. */
export const volunteerTags = pgTable(
  'volunteer_tags',
  {
    id: uuid('id').primaryKey(),
    category: text('category').notNull(),
    name: text('name').notNull(),
    sort: integer('sort').notNull().default(0),
  },
  (t) => [uniqueIndex('volunteer_tags_uq').on(t.category, t.name)],
);

export const volunteerTeams = pgTable(
  'volunteer_teams',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => orgUnits.id),
    unitPath: text('unit_path').notNull(),
    description: text('description').notNull().default(''),
    searchText: text('search_text').notNull(),
    version: integer('version').notNull().default(1),
    createdAt,
  },
  (t) => [uniqueIndex('volunteer_teams_name_uq').on(t.name), index('volunteer_teams_unit_path_idx').on(sql`${t.unitPath} text_pattern_ops`)],
);

export const volunteerTeamAdmins = pgTable(
  'volunteer_team_admins',
  {
    teamId: uuid('team_id')
      .notNull()
      .references(() => volunteerTeams.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] }), index('volunteer_team_admins_user_idx').on(t.userId)],
);

/** Membership: a request (pending) the team admin approves or refuses. */
export const volunteerTeamMembers = pgTable(
  'volunteer_team_members',
  {
    teamId: uuid('team_id')
      .notNull()
      .references(() => volunteerTeams.id),
    volunteerId: uuid('volunteer_id')
      .notNull()
      .references(() => volunteers.id),
    state: text('state').notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decidedBy: uuid('decided_by').references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.volunteerId] }), index('volunteer_team_members_volunteer_idx').on(t.volunteerId)],
);

/** 学雷锋志愿服务站, 新时代文明实践所/站: a place, linked to an org point where it is one. */
export const volunteerStations = pgTable(
  'volunteer_stations',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => orgUnits.id),
    unitPath: text('unit_path').notNull(),
    pointId: uuid('point_id').references(() => points.id),
    lng: doublePrecision('lng').notNull(),
    lat: doublePrecision('lat').notNull(),
    address: text('address').notNull().default(''),
    version: integer('version').notNull().default(1),
    createdAt,
  },
  (t) => [uniqueIndex('volunteer_stations_name_uq').on(t.name), index('volunteer_stations_unit_path_idx').on(sql`${t.unitPath} text_pattern_ops`)],
);

export const volunteerStationTeams = pgTable(
  'volunteer_station_teams',
  {
    stationId: uuid('station_id')
      .notNull()
      .references(() => volunteerStations.id),
    teamId: uuid('team_id')
      .notNull()
      .references(() => volunteerTeams.id),
  },
  (t) => [primaryKey({ columns: [t.stationId, t.teamId] })],
);

export const volunteerActivities = pgTable(
  'volunteer_activities',
  {
    id: uuid('id').primaryKey(),
    teamId: uuid('team_id')
      .notNull()
      .references(() => volunteerTeams.id),
    /** the team's unit path: scope of the activity */
    unitPath: text('unit_path').notNull(),
    title: text('title').notNull(),
    content: text('content').notNull(),
    themes: text('themes').array().notNull().default(sql`'{}'`),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    stationId: uuid('station_id').references(() => volunteerStations.id),
    pointId: uuid('point_id').references(() => points.id),
    address: text('address').notNull().default(''),
    lng: doublePrecision('lng').notNull(),
    lat: doublePrecision('lat').notNull(),
    radiusM: integer('radius_m').notNull(),
    capacity: integer('capacity').notNull(),
    minAge: integer('min_age'),
    maxAge: integer('max_age'),
    skills: text('skills').array().notNull().default(sql`'{}'`),
    signupDeadline: timestamp('signup_deadline', { withTimezone: true }).notNull(),
    isCancelled: boolean('is_cancelled').notNull().default(false),
    /** when the end-of-activity pass (automatic check-outs, no-shows) ran */
    closedAt: timestamp('closed_at', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => users.id),
    version: integer('version').notNull().default(1),
    createdAt,
  },
  (t) => [
    index('volunteer_activities_unit_path_idx').on(sql`${t.unitPath} text_pattern_ops`),
    index('volunteer_activities_team_idx').on(t.teamId, t.startsAt),
    index('volunteer_activities_open_idx').on(t.endsAt).where(sql`closed_at IS NULL`),
  ],
);

/** Sign-up and attendance of one volunteer at one activity. */
export const volunteerSignups = pgTable(
  'volunteer_signups',
  {
    activityId: uuid('activity_id')
      .notNull()
      .references(() => volunteerActivities.id),
    volunteerId: uuid('volunteer_id')
      .notNull()
      .references(() => volunteers.id),
    state: text('state').notNull(),
    signedAt: timestamp('signed_at', { withTimezone: true }).notNull().defaultNow(),
    checkinAt: timestamp('checkin_at', { withTimezone: true }),
    checkinLng: doublePrecision('checkin_lng'),
    checkinLat: doublePrecision('checkin_lat'),
    checkoutAt: timestamp('checkout_at', { withTimezone: true }),
    isAutoCheckout: boolean('is_auto_checkout').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.activityId, t.volunteerId] }), index('volunteer_signups_volunteer_idx').on(t.volunteerId)],
);

/** Each use of a rotating token step by a volunteer: a second use of the same step is a replay. */
export const volunteerTokenUses = pgTable(
  'volunteer_token_uses',
  {
    activityId: uuid('activity_id').notNull(),
    volunteerId: uuid('volunteer_id').notNull(),
    step: bigint('step', { mode: 'number' }).notNull(),
    action: text('action').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.activityId, t.volunteerId, t.step] })],
);

/**
 * 志愿服务记录 (service record): never deleted. State 待审核 → 通过 / 不通过 (domain/volunteer-rules.ts);
 * a correction is a new record referencing the one it corrects, which its approval supersedes.
 */
export const volunteerRecords = pgTable(
  'volunteer_records',
  {
    id: uuid('id').primaryKey(),
    volunteerId: uuid('volunteer_id')
      .notNull()
      .references(() => volunteers.id),
    activityId: uuid('activity_id').references(() => volunteerActivities.id),
    teamId: uuid('team_id')
      .notNull()
      .references(() => volunteerTeams.id),
    /** the recording team's unit path: scope of the record */
    unitPath: text('unit_path').notNull(),
    kind: text('kind').notNull(),
    state: text('state').notNull(),
    minutes: integer('minutes').notNull(),
    serviceDate: date('service_date', { mode: 'string' }).notNull(),
    serviceEnd: timestamp('service_end', { withTimezone: true }).notNull(),
    content: text('content').notNull(),
    source: text('source'),
    reason: text('reason'),
    evidenceFileId: uuid('evidence_file_id'),
    correctsId: uuid('corrects_id'),
    supersededBy: uuid('superseded_by'),
    isLate: boolean('is_late').notNull().default(false),
    isAutoCheckout: boolean('is_auto_checkout').notNull().default(false),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt,
    decidedBy: uuid('decided_by').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decisionNote: text('decision_note'),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    index('volunteer_records_volunteer_idx').on(t.volunteerId, t.state),
    index('volunteer_records_unit_path_idx').on(sql`${t.unitPath} text_pattern_ops`),
    index('volunteer_records_pending_idx').on(t.createdAt).where(sql`state = 'pending'`),
    uniqueIndex('volunteer_records_checkin_uq').on(t.activityId, t.volunteerId).where(sql`kind = 'checkin'`),
  ],
);

/** Every transition of a record, written in the transition's transaction. */
export const volunteerRecordEvents = pgTable(
  'volunteer_record_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    recordId: uuid('record_id')
      .notNull()
      .references(() => volunteerRecords.id),
    action: text('action').notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name').notNull(),
    note: text('note'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('volunteer_record_events_record_idx').on(t.recordId)],
);

/** 志愿服务记录证明: a snapshot of approved records at issue time, verifiable by its code. */
export const volunteerCertificates = pgTable(
  'volunteer_certificates',
  {
    id: uuid('id').primaryKey(),
    number: text('number').notNull(),
    verifyCode: text('verify_code').notNull(),
    volunteerId: uuid('volunteer_id')
      .notNull()
      .references(() => volunteers.id),
    name: text('name').notNull(),
    idTypeLabel: text('id_type_label').notNull(),
    idMasked: text('id_masked').notNull(),
    minutes: integer('minutes').notNull(),
    recordCount: integer('record_count').notNull(),
    recordIds: uuid('record_ids').array().notNull(),
    periodFrom: date('period_from', { mode: 'string' }).notNull(),
    periodTo: date('period_to', { mode: 'string' }).notNull(),
    content: text('content').notNull(),
    issuer: text('issuer').notNull(),
    issuerUnitPath: text('issuer_unit_path').notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull().defaultNow(),
    issuedBy: uuid('issued_by').references(() => users.id),
  },
  (t) => [
    uniqueIndex('volunteer_certificates_number_uq').on(t.number),
    uniqueIndex('volunteer_certificates_code_uq').on(t.verifyCode),
    index('volunteer_certificates_volunteer_idx').on(t.volunteerId),
    index('volunteer_certificates_issuer_unit_path_idx').on(sql`${t.issuerUnitPath} text_pattern_ops`),
  ],
);

/** City-wide settings of the module (one row): the ratio target and the star thresholds. */
export const volunteerSettings = pgTable('volunteer_settings', {
  id: integer('id').primaryKey().default(1),
  ratioTargetPermille: integer('ratio_target_permille').notNull().default(80),
  starThresholds: integer('star_thresholds').array().notNull().default(sql`'{100,300,600,1000,1500}'`),
  version: integer('version').notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
