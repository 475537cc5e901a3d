import { createHash } from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { FileInfo } from '../../../contracts/files.ts';
import type { Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import type { RequestContext } from '../../http/actor.ts';
import { newId } from '../../lib/ids.ts';
import { audit } from '../audit/index.ts';
import { sniff } from './files.media.ts';
import { isFileOwnerType } from './files.policy.ts';
import * as repo from './files.repo.ts';
import { files } from './files.tables.ts';
import { cleanFileName, presentFile } from './files.service.ts';

/** A file the system made (a Word 督办函, a report), not an upload. */
export type GeneratedFile = { name: string; data: Buffer };

/**
 * For other modules: stores a file the server generated and owns it by a record, in the caller's
 * transaction (row + audit). The bytes are written to storage first; `discard` deletes them again
 * and is for the caller to run when its transaction fails, so no orphan stays behind. The content
 * is sniffed like an upload (a generator bug that yields no valid file fails here, not at download).
 */
export async function storeGeneratedFile(
  deps: Pick<Deps, 'storage'>,
  tx: Executor,
  ctx: RequestContext,
  file: GeneratedFile,
  owner: { ownerType: string; ownerId: string },
): Promise<{ file: FileInfo; discard: () => Promise<void> }> {
  if (!isFileOwnerType(owner.ownerType)) throw new Error(`file owner type not registered: ${owner.ownerType}`);
  const type = await sniff(file.data);
  if (!type) throw new Error(`generated file ${file.name} has no recognised content type`);
  const id = newId();
  const now = new Date();
  const storageKey = `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}/${id}.${type.ext}`;
  await deps.storage.put(storageKey, file.data, type.mime);
  const discard = () => deps.storage.delete(storageKey).catch(() => undefined);
  try {
    const [row] = await repo.insertFiles(tx, [
      {
        id,
        storageKey,
        thumbKey: null,
        originalName: cleanFileName(file.name),
        mime: type.mime,
        size: file.data.length,
        sha256: createHash('sha256').update(file.data).digest('hex'),
        ownerType: owner.ownerType,
        ownerId: owner.ownerId,
        uploadedBy: ctx.actor.userId,
        uploaderUnitId: ctx.actor.unitId,
        createdAt: now,
      },
    ]);
    await audit(tx, ctx, {
      action: 'generate',
      entity: 'file',
      entityId: row.id,
      after: { originalName: row.originalName, mime: row.mime, size: row.size, sha256: row.sha256, storageKey: row.storageKey, ownerType: row.ownerType, ownerId: row.ownerId },
    });
    return { file: presentFile(row), discard };
  } catch (err) {
    await discard();
    throw err;
  }
}

/**
 * The first `perOwner` images (jpeg, png, webp) of each record, oldest first, with their bytes: for
 * a module that embeds its records' photos in a document it generates (issue photos in a 督办函).
 * The caller has checked the records' policy. A photo whose bytes are gone is skipped.
 */
export async function ownerImages(
  deps: Pick<Deps, 'storage'> & { db: Executor },
  ownerType: string,
  ownerIds: string[],
  perOwner: number,
): Promise<Map<string, { id: string; mime: string; data: Buffer }[]>> {
  const out = new Map<string, { id: string; mime: string; data: Buffer }[]>();
  if (!ownerIds.length) return out;
  const rows = await deps.db
    .select({ id: files.id, ownerId: files.ownerId, mime: files.mime, storageKey: files.storageKey })
    .from(files)
    .where(and(eq(files.ownerType, ownerType), inArray(files.ownerId, ownerIds), inArray(files.mime, ['image/jpeg', 'image/png', 'image/webp'])))
    .orderBy(asc(files.createdAt), asc(files.id));
  for (const r of rows) {
    const list = out.get(r.ownerId!) ?? [];
    if (list.length >= perOwner) continue;
    try {
      list.push({ id: r.id, mime: r.mime, data: await deps.storage.getBuffer(r.storageKey) });
      out.set(r.ownerId!, list);
    } catch {
      // the bytes are gone (restored database without its files): the document goes without this photo
    }
  }
  return out;
}
