import { doublePrecision, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const files = pgTable(
  'files',
  {
    id: uuid('id').primaryKey(),
    storageKey: text('storage_key').notNull(),
    thumbKey: text('thumb_key'),
    originalName: text('original_name').notNull(),
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    width: integer('width'),
    height: integer('height'),
    /** EXIF DateTimeOriginal when present, as UTC */
    takenAt: timestamp('taken_at', { withTimezone: true }),
    /** EXIF GPS, WGS-84 */
    gpsLng: doublePrecision('gps_lng'),
    gpsLat: doublePrecision('gps_lat'),
    /** the record that owns the file: its policy decides who may download */
    ownerType: text('owner_type'),
    ownerId: text('owner_id'),
    uploadedBy: uuid('uploaded_by').notNull(),
    uploaderUnitId: uuid('uploader_unit_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('files_owner_idx').on(t.ownerType, t.ownerId)],
);
