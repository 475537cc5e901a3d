import { z } from 'zod';

/** What the upload service accepts, decided by content sniffing (never by the client's name or mime). */
export const FileKind = z.enum(['image', 'pdf', 'word', 'excel']);
export type FileKind = z.infer<typeof FileKind>;
export const FileKindLabels: Record<FileKind, string> = { image: '图片', pdf: 'PDF', word: 'Word 文档', excel: 'Excel 表格' };

/** For the `accept` attribute of file pickers; the server still checks the content. */
export const UPLOAD_ACCEPT = '.jpg,.jpeg,.png,.webp,.heic,.heif,.pdf,.doc,.docx,.xls,.xlsx';
export const UPLOAD_TYPES_LABEL = 'JPG、PNG、WebP、HEIC 图片，PDF，Word（doc/docx），Excel（xls/xlsx）';
/** Files per request (the multipart limit in server/app.ts). */
export const UPLOAD_MAX_FILES = 10;

export const FileInfo = z.object({
  id: z.string(),
  originalName: z.string(),
  mime: z.string(),
  kind: FileKind,
  size: z.number().int().describe('字节数'),
  sha256: z.string(),
  width: z.number().int().nullable().describe('图片宽度（按 EXIF 方向摆正后）'),
  height: z.number().int().nullable(),
  takenAt: z.string().nullable().describe('EXIF 拍摄时间（UTC，ISO 8601）'),
  gpsLng: z.number().nullable().describe('EXIF GPS 经度（WGS-84）'),
  gpsLat: z.number().nullable().describe('EXIF GPS 纬度（WGS-84）'),
  ownerType: z.string().nullable(),
  ownerId: z.string().nullable(),
  uploadedBy: z.string(),
  createdAt: z.string(),
  contentUrl: z.string(),
  thumbnailUrl: z.string().nullable(),
});
export type FileInfo = z.infer<typeof FileInfo>;

export const UploadFilesResponse = z.object({ items: z.array(FileInfo) });
export type UploadFilesResponse = z.infer<typeof UploadFilesResponse>;

/** Optional multipart fields of POST /api/files: the record the files belong to. */
export const UploadOwnerFields = z
  .object({
    ownerType: z.string().trim().min(1).max(50).optional(),
    ownerId: z.string().trim().min(1).max(100).optional(),
  })
  .refine((v) => !v.ownerType === !v.ownerId, { message: 'ownerType 与 ownerId 须同时提供', path: ['ownerId'] });

export const FileContentQuery = z.object({
  download: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .describe('true：以附件形式下载'),
});
