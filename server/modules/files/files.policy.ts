import type { Executor } from '../../db/client.ts';
import type { Actor } from '../../http/actor.ts';
import { AppError, forbidden } from '../../http/errors.ts';
import { inScope, requirePermission, scopeFor } from '../../http/policy.ts';

/** What an owner check may use: the database or the caller's open transaction. */
export type FileOwnerDeps = { db: Executor };
/** Decides, for one record of the owner type, whether the actor may do something with its files. */
export type FileOwnerCheck = (deps: FileOwnerDeps, actor: Actor, ownerId: string) => Promise<boolean>;
type OwnerRule = { canRead: FileOwnerCheck; canAttach: FileOwnerCheck };

/**
 * The owner registry: a file that belongs to a record (an issue, an evidence item, a unit) is
 * downloadable by whoever may read that record, so the owning module's policy decides. Modules
 * register their owner types from their index.ts:
 *
 *   registerFileOwner('issue', async (deps, actor, id) => canReadIssue(deps, actor, id));
 *
 * `canAttach` (who may attach files to the record at upload time) defaults to `canRead`; modules
 * whose records are read more widely than they are written should pass a stricter check.
 */
const owners = new Map<string, OwnerRule>();

export function registerFileOwner(ownerType: string, canRead: FileOwnerCheck, opts: { canAttach?: FileOwnerCheck } = {}): void {
  if (!/^[a-z][a-z0-9_]{0,49}$/.test(ownerType)) throw new Error(`invalid file owner type: ${ownerType}`);
  const existing = owners.get(ownerType);
  if (existing && existing.canRead !== canRead) throw new Error(`file owner type registered twice: ${ownerType}`);
  owners.set(ownerType, { canRead, canAttach: opts.canAttach ?? canRead });
}

export const isFileOwnerType = (ownerType: string): boolean => owners.has(ownerType);

/** The facts about a file that decide who may read it. */
export type FileAccessFacts = {
  ownerType: string | null;
  ownerId: string | null;
  uploadedBy: string;
  /** the current path of the uploader's unit; null if the unit is gone */
  uploaderUnitPath: string | null;
};

export const filesPolicy = {
  upload(actor: Actor): void {
    requirePermission(actor, 'files.upload', '无权上传文件');
  },

  /** Owned files follow the owner's policy (unknown owner types: nobody). Unowned files: the uploader and whoever's read scope holds the uploader's unit. */
  async canRead(deps: FileOwnerDeps, actor: Actor, file: FileAccessFacts): Promise<boolean> {
    if (file.ownerType !== null) {
      const rule = owners.get(file.ownerType);
      if (!rule || file.ownerId === null) return false;
      return rule.canRead(deps, actor, file.ownerId);
    }
    if (file.uploadedBy === actor.userId) return true;
    return file.uploaderUnitPath !== null && inScope(scopeFor(actor, 'read'), file.uploaderUnitPath);
  },

  /** Throws unless the owner type is registered and the actor may attach files to that record. */
  async requireAttach(deps: FileOwnerDeps, actor: Actor, ownerType: string, ownerId: string): Promise<void> {
    const rule = owners.get(ownerType);
    if (!rule) {
      const message = `不支持将文件关联到“${ownerType}”类型的记录`;
      throw new AppError('VALIDATION_FAILED', message, [{ path: 'body.ownerType', message }]);
    }
    if (!(await rule.canAttach(deps, actor, ownerId))) throw forbidden('无权向该记录添加文件');
  },
};
