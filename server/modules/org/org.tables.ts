import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from '../users/users.tables.ts';


const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
};

/**
 * The org tree. `path` is the materialised path of ids ("/<root>/<child>/…/<self>/") so that a
 * subtree is one indexed prefix match; moving a unit rewrites the paths of its subtree.
 */
export const orgUnits = pgTable(
  'org_units',
  {
    id: uuid('id').primaryKey(),
    parentId: uuid('parent_id').references((): AnyPgColumn => orgUnits.id),
    path: text('path').notNull(),
    depth: integer('depth').notNull(),
    name: text('name').notNull(),
    shortName: text('short_name'),
    kind: text('kind').notNull(),
    subKind: text('sub_kind'),
    divisionCode: text('division_code'),
    creditCode: text('credit_code'),
    address: text('address'),
    population: integer('population'),
    contactName: text('contact_name'),
    contactPhoneEnc: text('contact_phone_enc'),
    /** name + full pinyin + initials, lower case, for selector search by 中文/pinyin/首字母 */
    searchText: text('search_text').notNull(),
    sort: integer('sort').notNull().default(0),
    isActive: boolean('is_active').notNull().default(true),
    deactivatedAt: timestamp('deactivated_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
    ...timestamps,
  },
  (t) => [
    index('org_units_path_idx').on(sql`${t.path} text_pattern_ops`),
    index('org_units_parent_idx').on(t.parentId),
    uniqueIndex('org_units_division_code_uq').on(t.divisionCode),
  ],
);

export const pointTypes = pgTable('point_types', {
  id: uuid('id').primaryKey(),
  code: text('code').notNull().unique(),
  name: text('name').notNull().unique(),
  sort: integer('sort').notNull().default(0),
  isActive: boolean('is_active').notNull().default(true),
  version: integer('version').notNull().default(1),
  ...timestamps,
});

/** A grid belongs to one community; polygon is a GeoJSON Polygon in WGS-84. */
export const grids = pgTable(
  'grids',
  {
    id: uuid('id').primaryKey(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => orgUnits.id),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    households: integer('households'),
    polygon: jsonb('polygon').$type<GeoPolygon | null>(),
    isActive: boolean('is_active').notNull().default(true),
    version: integer('version').notNull().default(1),
    ...timestamps,
  },
  (t) => [index('grids_community_idx').on(t.communityId)],
);

export const gridWorkers = pgTable(
  'grid_workers',
  {
    gridId: uuid('grid_id')
      .notNull()
      .references(() => grids.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.gridId, t.userId] }), index('grid_workers_user_idx').on(t.userId)],
);

/** 责任区: an area of the city owned by an org unit (usually a district), with its 包保 units. */
export const zones = pgTable('zones', {
  id: uuid('id').primaryKey(),
  ownerUnitId: uuid('owner_unit_id')
    .notNull()
    .references(() => orgUnits.id),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  description: text('description'),
  polygon: jsonb('polygon').$type<GeoPolygon | null>(),
  isActive: boolean('is_active').notNull().default(true),
  version: integer('version').notNull().default(1),
  ...timestamps,
});

/** 包保: a unit sponsors a community, a zone or a point. */
export const sponsorships = pgTable(
  'sponsorships',
  {
    id: uuid('id').primaryKey(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => orgUnits.id),
    targetType: text('target_type').notNull(),
    targetId: uuid('target_id').notNull(),
    isLead: boolean('is_lead').notNull().default(false),
    note: text('note'),
    createdAt: timestamps.createdAt,
  },
  (t) => [
    uniqueIndex('sponsorships_uq').on(t.unitId, t.targetType, t.targetId),
    index('sponsorships_target_idx').on(t.targetType, t.targetId),
  ],
);

export const points = pgTable(
  'points',
  {
    id: uuid('id').primaryKey(),
    code: text('code').notNull().unique(),
    typeId: uuid('type_id')
      .notNull()
      .references(() => pointTypes.id),
    name: text('name').notNull(),
    address: text('address').notNull(),
    /** WGS-84 */
    lng: doublePrecision('lng').notNull(),
    lat: doublePrecision('lat').notNull(),
    /** the street or community the point lies in: drives data scope */
    areaUnitId: uuid('area_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    /** denormalised path of areaUnitId, kept in step by the repository, for one-index scope filters */
    areaPath: text('area_path').notNull(),
    gridId: uuid('grid_id').references(() => grids.id),
    isKey: boolean('is_key').notNull().default(false),
    isActive: boolean('is_active').notNull().default(true),
    version: integer('version').notNull().default(1),
    ...timestamps,
  },
  (t) => [
    index('points_area_path_idx').on(sql`${t.areaPath} text_pattern_ops`),
    index('points_type_idx').on(t.typeId, t.name),
    index('points_grid_idx').on(t.gridId),
  ],
);

export const pointUnits = pgTable(
  'point_units',
  {
    pointId: uuid('point_id')
      .notNull()
      .references(() => points.id, { onDelete: 'cascade' }),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => orgUnits.id),
  },
  (t) => [primaryKey({ columns: [t.pointId, t.unitId] }), index('point_units_unit_idx').on(t.unitId)],
);

export type GeoPolygon = { type: 'Polygon'; coordinates: number[][][] };
