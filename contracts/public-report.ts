import { z } from 'zod';
import type { IssueAction, IssueState } from './issues.ts';

/**
 * The public side of issues (PRODUCT.md §3.4): the 随手拍 form anyone can send without an
 * account, and the status page behind a tracking code. Nothing here carries a person's name,
 * a phone number or an internal note.
 */

/** Photos per report, and the accepted image types (sniffed on the server, never trusted from the name). */
export const PUBLIC_MAX_PHOTOS = 4;
export const PUBLIC_PHOTO_ACCEPT = 'image/*';
export const PUBLIC_PHOTO_TYPES_LABEL = 'JPG、PNG、WebP、HEIC';

/** The taxonomy as a citizen picks it: the top level, then its second-level categories. */
export const PublicCategoryGroup = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  children: z.array(z.object({ id: z.string(), code: z.string(), name: z.string() })),
});
export type PublicCategoryGroup = z.infer<typeof PublicCategoryGroup>;

const num = (name: string) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v), z.number({ message: `${name}必须是数字` }).refine(Number.isFinite, `${name}必须是数字`));

/** The city's grids on the public map, so that a tap lands where the reporter means even without base tiles. */
export const PublicMapArea = z.object({ id: z.string(), name: z.string(), rings: z.array(z.array(z.array(z.number()))) });
export type PublicMapArea = z.infer<typeof PublicMapArea>;

/** The form fields (multipart text fields beside the photos `photo`). */
export const PublicReportFields = z.object({
  categoryId: z.uuid({ message: '请选择问题类型' }),
  description: z.string({ message: '请描述问题' }).trim().min(5, '问题描述至少 5 个字').max(500, '问题描述最多 500 个字'),
  lng: num('经度').pipe(z.number().min(73, '经度超出范围').max(136, '经度超出范围')),
  lat: num('纬度').pipe(z.number().min(3, '纬度超出范围').max(54, '纬度超出范围')),
  address: z.string().trim().max(200, '位置说明最多 200 个字').optional(),
  phone: z
    .string()
    .trim()
    .regex(/^1\d{10}$/, '手机号须为 11 位数字')
    .optional()
    .or(z.literal('').transform(() => undefined)),
});
export type PublicReportFields = z.infer<typeof PublicReportFields>;

export const PublicReportCreated = z.object({
  trackingCode: z.string().describe('查询码：8 位，不含易混淆字符'),
  number: z.string().describe('问题编号'),
});
export type PublicReportCreated = z.infer<typeof PublicReportCreated>;

export const TrackingCodeParams = z.object({ code: z.string().min(1).max(20) });

/** Plain words for a citizen, per state. */
export const PublicStateText: Record<IssueState, string> = {
  reported: '已收到，等待受理',
  accepted: '已受理，正在安排处理单位',
  rejected: '经核实不予受理',
  merged: '与相同问题合并处理',
  dispatched: '已交由责任单位处理',
  returned: '正在重新安排处理单位',
  rectifying: '责任单位正在整改',
  feedback: '整改完成，等待现场核查',
  verified: '现场核查通过，即将办结',
  closed: '已办结',
};

/** The steps a citizen sees; actions not listed (延期申请, 驳回延期) stay internal. */
export const PublicStepText: Partial<Record<IssueAction, string>> = {
  report: '问题已提交',
  accept: '已受理立案',
  reject: '经核实不予受理',
  merge: '与相同问题合并处理',
  dispatch: '已派遣至责任单位',
  sign: '责任单位已签收，开始整改',
  return: '正在重新安排处理单位',
  feedback: '责任单位已完成整改',
  approveExtension: '整改期限已调整',
  verifyPass: '现场核查通过',
  verifyFail: '现场核查未通过，责任单位重新整改',
  close: '已办结',
  reopen: '问题再次出现，已重新交办',
};

export const PublicPhoto = z.object({ url: z.string(), thumbnailUrl: z.string() });
export type PublicPhoto = z.infer<typeof PublicPhoto>;

export const PublicReportStatus = z.object({
  trackingCode: z.string(),
  number: z.string(),
  categoryName: z.string(),
  groupName: z.string().nullable(),
  state: z.string(),
  stateText: z.string(),
  isClosed: z.boolean(),
  responsibleUnitName: z.string().nullable(),
  address: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  steps: z.array(z.object({ at: z.string(), text: z.string() })),
  beforePhotos: z.array(PublicPhoto),
  afterPhotos: z.array(PublicPhoto),
});
export type PublicReportStatus = z.infer<typeof PublicReportStatus>;
