import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { type FileInfo, type FileKind, UPLOAD_TYPES_LABEL } from '../../../contracts/files.ts';
import type { Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import type { Actor, RequestContext } from '../../http/actor.ts';
import { AppError, forbidden, notFound } from '../../http/errors.ts';
import { newId } from '../../lib/ids.ts';
import { audit } from '../audit/index.ts';
import { inspectImage, NAME_EXTS, type Sniffed, sniff } from './files.media.ts';
import { filesPolicy, isFileOwnerType } from './files.policy.ts';
import * as repo from './files.repo.ts';

type FileDeps = Pick<Deps, 'db' | 'storage' | 'config'>;

/** One file as it came off the wire: the client's name (for display only) and the bytes. */
export type IncomingFile = { filename: string; data: Buffer };
export type FileOwnerRef = { ownerType: string; ownerId: string };

const KIND_BY_MIME: Record<string, FileKind> = {
  'application/pdf': 'pdf',
  'application/msword': 'word',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'word',
  'application/vnd.ms-excel': 'excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'excel',
};
const kindOf = (mime: string): FileKind => KIND_BY_MIME[mime] ?? 'image';

export function presentFile(row: repo.FileRow): FileInfo {
  return {
    id: row.id,
    originalName: row.originalName,
    mime: row.mime,
    kind: kindOf(row.mime),
    size: row.size,
    sha256: row.sha256,
    width: row.width,
    height: row.height,
    takenAt: row.takenAt ? row.takenAt.toISOString() : null,
    gpsLng: row.gpsLng,
    gpsLat: row.gpsLat,
    ownerType: row.ownerType,
    ownerId: row.ownerId,
    uploadedBy: row.uploadedBy,
    createdAt: row.createdAt.toISOString(),
    contentUrl: `/api/files/${row.id}/content`,
    thumbnailUrl: row.thumbKey ? `/api/files/${row.id}/thumbnail` : null,
  };
}

/** The audit form: what was stored, never the bytes. */
const auditForm = (row: repo.FileRow) => ({
  originalName: row.originalName,
  mime: row.mime,
  size: row.size,
  sha256: row.sha256,
  storageKey: row.storageKey,
  ownerType: row.ownerType,
  ownerId: row.ownerId,
});

/** A display name from the client's: no directories, no control characters, at most 200 characters. */
export function cleanFileName(raw: string | undefined): string {
  const base = (raw ?? '').split(/[/\\]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  let name = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (name.length > 200) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
    name = name.slice(0, 200 - ext.length) + ext;
  }
  return name || '未命名文件';
}

/** The name offered on download: the stored name, with the real extension appended when the client's does not match the content. */
export function downloadName(originalName: string, ext: string): string {
  const dot = originalName.lastIndexOf('.');
  const given = dot > 0 ? originalName.slice(dot + 1).toLowerCase() : '';
  return (NAME_EXTS[ext] ?? [ext]).includes(given) ? originalName : `${originalName}.${ext}`;
}

/** Content-Disposition with an ASCII fallback and the UTF-8 name of RFC 6266 / RFC 5987 (for Chinese names). */
export function contentDisposition(type: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

const formatBytes = (n: number) =>
  n >= 1024 * 1024 ? `${+(n / 1024 / 1024).toFixed(1)} MB` : n >= 1024 ? `${+(n / 1024).toFixed(1)} KB` : `${n} 字节`;
export const tooLarge = (name: string, max: number) =>
  new AppError('PAYLOAD_TOO_LARGE', `文件“${name}”超过大小上限（${formatBytes(max)}）`);
export const unsupported = (name: string) =>
  new AppError('UNSUPPORTED_MEDIA_TYPE', `文件“${name}”的内容不是支持的类型，仅支持 ${UPLOAD_TYPES_LABEL}`);

/** yyyy/mm/<id>.<ext>: generated, never from the client; the month keeps directories small. */
function storageKeyOf(id: string, ext: string, now: Date): string {
  const mm = String(now.getUTCMonth() + 1).padStart(2, '0');
  return `${now.getUTCFullYear()}/${mm}/${id}.${ext}`;
}

type Prepared = { row: repo.NewFileRow; data: Buffer; thumbnail: Buffer | null; type: Sniffed };

async function prepare(deps: FileDeps, ctx: RequestContext, f: IncomingFile, owner: FileOwnerRef | null, now: Date): Promise<Prepared> {
  const name = cleanFileName(f.filename);
  if (f.data.length === 0) throw new AppError('VALIDATION_FAILED', `文件“${name}”是空文件`, [{ path: 'body.file', message: '空文件' }]);
  if (f.data.length > deps.config.uploadMaxBytes) throw tooLarge(name, deps.config.uploadMaxBytes);
  const type = await sniff(f.data);
  if (!type) throw unsupported(name);
  const id = newId();
  const storageKey = storageKeyOf(id, type.ext, now);
  let image: Awaited<ReturnType<typeof inspectImage>> | null = null;
  if (type.kind === 'image') {
    try {
      image = await inspectImage(f.data, type.ext);
    } catch {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', `图片“${name}”已损坏或无法识别`);
    }
  }
  const thumbnail = image?.thumbnail ?? null;
  return {
    type,
    data: f.data,
    thumbnail,
    row: {
      id,
      storageKey,
      thumbKey: thumbnail ? storageKey.replace(/\.[a-z0-9]+$/, '_thumb.webp') : null,
      originalName: name,
      mime: type.mime,
      size: f.data.length,
      sha256: createHash('sha256').update(f.data).digest('hex'),
      width: image?.width ?? null,
      height: image?.height ?? null,
      takenAt: image?.takenAt ?? null,
      gpsLng: image?.gpsLng ?? null,
      gpsLat: image?.gpsLat ?? null,
      ownerType: owner?.ownerType ?? null,
      ownerId: owner?.ownerId ?? null,
      uploadedBy: ctx.actor.userId,
      uploaderUnitId: ctx.actor.unitId,
      createdAt: now,
    },
  };
}

/**
 * Stores uploaded files: every file is checked (size, content type, image decode) before any
 * byte is stored; the rows and their audit entries are written in one transaction; if that
 * fails, the stored bytes are deleted again so no orphan is left behind.
 */
export async function uploadFiles(deps: FileDeps, ctx: RequestContext, incoming: IncomingFile[], owner: FileOwnerRef | null = null): Promise<FileInfo[]> {
  filesPolicy.upload(ctx.actor);
  if (incoming.length === 0) throw new AppError('VALIDATION_FAILED', '请选择要上传的文件', [{ path: 'body.file', message: '请选择要上传的文件' }]);
  if (owner) await filesPolicy.requireAttach(deps, ctx.actor, owner.ownerType, owner.ownerId);
  const now = new Date();
  const prepared: Prepared[] = [];
  for (const f of incoming) prepared.push(await prepare(deps, ctx, f, owner, now));

  const stored: string[] = [];
  try {
    for (const p of prepared) {
      await deps.storage.put(p.row.storageKey, p.data, p.type.mime);
      stored.push(p.row.storageKey);
      if (p.thumbnail && p.row.thumbKey) {
        await deps.storage.put(p.row.thumbKey, p.thumbnail, 'image/webp');
        stored.push(p.row.thumbKey);
      }
    }
    return await deps.db.transaction(async (tx) => {
      const rows = await repo.insertFiles(
        tx,
        prepared.map((p) => p.row),
      );
      await audit(tx, ctx, ...rows.map((r) => ({ action: 'upload', entity: 'file', entityId: r.id, after: auditForm(r) })));
      return rows.map(presentFile);
    });
  } catch (err) {
    await Promise.allSettled(stored.map((key) => deps.storage.delete(key)));
    throw err;
  }
}

/** A file the actor may read, or 404/403. */
async function readableFile(deps: FileDeps, ctx: RequestContext, id: string): Promise<repo.FileRow> {
  const found = await repo.getFileWithUploaderPath(deps.db, id);
  if (!found) throw notFound('文件');
  const facts = { ...found.file, uploaderUnitPath: found.uploaderUnitPath };
  if (!(await filesPolicy.canRead(deps, ctx.actor, facts))) throw forbidden('无权查看该文件');
  return found.file;
}

export async function getFile(deps: FileDeps, ctx: RequestContext, id: string): Promise<FileInfo> {
  return presentFile(await readableFile(deps, ctx, id));
}

export type FileContent = { stream: Readable; mime: string; size: number | null; filename: string; kind: FileKind };

/** The bytes of a file or of its thumbnail, after the owner's policy said yes. */
export async function openFile(deps: FileDeps, ctx: RequestContext, id: string, variant: 'original' | 'thumbnail'): Promise<FileContent> {
  const row = await readableFile(deps, ctx, id);
  const ext = row.storageKey.slice(row.storageKey.lastIndexOf('.') + 1);
  if (variant === 'thumbnail') {
    if (!row.thumbKey) throw new AppError('NOT_FOUND', '该文件没有缩略图');
    const stem = row.originalName.replace(/\.[^.]*$/, '') || row.originalName;
    return { stream: await openStored(deps, row.thumbKey), mime: 'image/webp', size: null, filename: `${stem}_thumb.webp`, kind: 'image' };
  }
  return {
    stream: await openStored(deps, row.storageKey),
    mime: row.mime,
    size: row.size,
    filename: downloadName(row.originalName, ext),
    kind: kindOf(row.mime),
  };
}

async function openStored(deps: FileDeps, key: string): Promise<Readable> {
  try {
    return await deps.storage.get(key);
  } catch (err) {
    const e = err as { code?: string; name?: string };
    if (e.code === 'ENOENT' || e.name === 'NoSuchKey' || e.name === 'NotFound') throw new AppError('NOT_FOUND', '文件内容已丢失，请联系管理员');
    throw err;
  }
}

/**
 * For other modules: claims files the actor uploaded (and nobody owns yet) for a record, inside
 * the caller's transaction, so that from then on the record's policy decides who downloads them.
 * Already attached to the same record is a no-op. Pass the RequestContext to record the IP in the audit log.
 */
export async function attachFiles(
  tx: Executor,
  fileIds: string[],
  ownerType: string,
  ownerId: string,
  who: Actor | RequestContext,
): Promise<FileInfo[]> {
  const ctx: RequestContext = 'actor' in who ? who : { actor: who, ip: '' };
  // A programming error, not a user one: files of an unregistered type would be unreadable.
  if (!isFileOwnerType(ownerType)) throw new Error(`file owner type not registered: ${ownerType}`);
  const ids = [...new Set(fileIds)];
  const rows = await repo.getFilesForUpdate(tx, ids);
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const id of ids) {
    const r = byId.get(id);
    if (!r) throw new AppError('VALIDATION_FAILED', '附件不存在或已被删除', [{ path: 'body.fileIds', message: `附件 ${id} 不存在` }]);
    if (r.ownerType === ownerType && r.ownerId === ownerId) continue;
    if (r.ownerType !== null) throw new AppError('BUSINESS_RULE', `文件“${r.originalName}”已关联到其他记录`);
    if (r.uploadedBy !== ctx.actor.userId) throw new AppError('BUSINESS_RULE', `文件“${r.originalName}”不是您上传的，不能关联`);
  }
  const claim = ids.filter((id) => byId.get(id)!.ownerType === null);
  const changed = await repo.setOwner(tx, claim, ownerType, ownerId);
  if (changed.length !== claim.length) throw new AppError('CONFLICT', '附件已被其他操作关联，请刷新后重试');
  if (changed.length) {
    await audit(
      tx,
      ctx,
      ...changed.map((r) => ({
        action: 'attach',
        entity: 'file',
        entityId: r.id,
        before: { ownerType: null, ownerId: null },
        after: { ownerType, ownerId },
      })),
    );
  }
  const changedById = new Map(changed.map((r) => [r.id, r]));
  return ids.map((id) => presentFile(changedById.get(id) ?? byId.get(id)!));
}

/** For other modules presenting a record's attachments (after their own policy check of the record). */
export async function listOwnerFiles(db: Executor, ownerType: string, ownerId: string): Promise<FileInfo[]> {
  return (await repo.listByOwner(db, ownerType, ownerId)).map(presentFile);
}

/** A copy of a file's row (not of its bytes) that the actor may attach to another record; see repo.shareFileRow. */
export async function shareFile(tx: Executor, fileId: string, actor: Actor): Promise<string> {
  const row = await repo.shareFileRow(tx, fileId, newId(), actor.userId, actor.unitId);
  if (!row) throw new AppError('VALIDATION_FAILED', '附件不存在或已被删除', [{ path: 'fileId', message: `附件 ${fileId} 不存在` }]);
  return row.id;
}
