import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
// org_units through the shared schema: the join is the scope rule for unowned files.
import { orgUnits } from '../../db/schema.ts';
import { files } from './files.tables.ts';

export type FileRow = typeof files.$inferSelect;
export type NewFileRow = typeof files.$inferInsert;

export async function insertFiles(db: Executor, rows: NewFileRow[]): Promise<FileRow[]> {
  if (rows.length === 0) return [];
  return db.insert(files).values(rows).returning();
}

/** A file with the current path of its uploader's unit (the scope rule for unowned files). */
export async function getFileWithUploaderPath(db: Executor, id: string): Promise<{ file: FileRow; uploaderUnitPath: string | null } | undefined> {
  const [row] = await db
    .select({ file: files, uploaderUnitPath: orgUnits.path })
    .from(files)
    .leftJoin(orgUnits, eq(orgUnits.id, files.uploaderUnitId))
    .where(eq(files.id, id));
  return row;
}

export async function getFilesForUpdate(db: Executor, ids: string[]): Promise<FileRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(files).where(inArray(files.id, ids)).for('update');
}

/** Claims unowned files for a record; returns the rows actually changed. */
export async function setOwner(db: Executor, ids: string[], ownerType: string, ownerId: string): Promise<FileRow[]> {
  if (ids.length === 0) return [];
  return db
    .update(files)
    .set({ ownerType, ownerId })
    .where(and(inArray(files.id, ids), isNull(files.ownerType)))
    .returning();
}

export async function listByOwner(db: Executor, ownerType: string, ownerId: string): Promise<FileRow[]> {
  return db
    .select()
    .from(files)
    .where(and(eq(files.ownerType, ownerType), eq(files.ownerId, ownerId)))
    .orderBy(files.createdAt, files.id)
    .prepare('files.byOwner') // planned once per connection: every page with files runs it (db/client.ts executeNamed)
    .execute();
}

/**
 * A second row for a stored file's bytes (same storage key, no copy), unowned, uploaded by
 * `userId`: lets another record (an issue raised from an inspection's photo) own the same photo.
 */
export async function shareFileRow(db: Executor, id: string, newId: string, userId: string, unitId: string): Promise<FileRow | undefined> {
  const [src] = await db.select().from(files).where(eq(files.id, id));
  if (!src) return undefined;
  const { id: _id, ownerType: _t, ownerId: _o, uploadedBy: _u, uploaderUnitId: _uu, createdAt: _c, ...rest } = src;
  const [row] = await db.insert(files).values({ ...rest, id: newId, uploadedBy: userId, uploaderUnitId: unitId }).returning();
  return row;
}
