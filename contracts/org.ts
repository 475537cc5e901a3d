import { z } from 'zod';
import { Id, PageQuery, QueryBool, Version } from './common.ts';

export const OrgUnitKind = z.enum(['city', 'district', 'street', 'community', 'department', 'unit']);
export type OrgUnitKind = z.infer<typeof OrgUnitKind>;
export const OrgUnitKindLabels: Record<OrgUnitKind, string> = {
  city: '市',
  district: '区县',
  street: '街道乡镇',
  community: '社区村',
  department: '部门',
  unit: '单位',
};
export const OrgUnitSubKind = z.enum(['agency', 'school', 'hospital', 'window', 'enterprise', 'other']);
export type OrgUnitSubKind = z.infer<typeof OrgUnitSubKind>;
export const OrgUnitSubKindLabels: Record<OrgUnitSubKind, string> = {
  agency: '机关事业单位',
  school: '学校',
  hospital: '医院',
  window: '窗口单位',
  enterprise: '企业',
  other: '其他',
};

const phone = z.string().trim().regex(/^1\d{10}$|^0\d{2,3}-?\d{7,8}$/, '电话号码格式不正确');
const divisionCode = z.string().trim().regex(/^\d{6}(\d{3}(\d{3})?)?$/, '区划代码应为 6、9 或 12 位数字（GB/T 2260）');

export const OrgUnit = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  pathIds: z.array(z.string()),
  depth: z.number(),
  name: z.string(),
  shortName: z.string().nullable(),
  kind: OrgUnitKind,
  subKind: OrgUnitSubKind.nullable(),
  divisionCode: z.string().nullable(),
  creditCode: z.string().nullable(),
  address: z.string().nullable(),
  population: z.number().nullable(),
  contactName: z.string().nullable(),
  contactPhoneMasked: z.string().nullable(),
  sort: z.number(),
  isActive: z.boolean(),
  childCount: z.number(),
  version: z.number(),
});
export type OrgUnit = z.infer<typeof OrgUnit>;

const unitFields = {
  name: z.string().trim().min(1, '请填写名称').max(100, '名称不能超过 100 字'),
  shortName: z.string().trim().max(40).nullish(),
  kind: OrgUnitKind,
  subKind: OrgUnitSubKind.nullish(),
  divisionCode: divisionCode.nullish(),
  creditCode: z.string().trim().regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, '统一社会信用代码应为 18 位').nullish(),
  address: z.string().trim().max(200).nullish(),
  population: z.number().int().min(0).nullish(),
  contactName: z.string().trim().max(40).nullish(),
  contactPhone: phone.nullish(),
  sort: z.number().int().default(0),
};
export const CreateOrgUnitRequest = z.object({ parentId: Id, ...unitFields });
export type CreateOrgUnitRequest = z.infer<typeof CreateOrgUnitRequest>;
export const UpdateOrgUnitRequest = z
  .object(unitFields)
  .partial()
  .extend({ version: Version, sort: z.number().int().optional() });
export type UpdateOrgUnitRequest = z.infer<typeof UpdateOrgUnitRequest>;
export const MoveOrgUnitRequest = z.object({ version: Version, parentId: Id });
export const VersionRequest = z.object({ version: Version });

export const ListOrgUnitsQuery = PageQuery.extend({
  parentId: Id.optional(),
  q: z.string().trim().max(50).optional(),
  kind: OrgUnitKind.optional(),
  includeInactive: QueryBool.optional(),
});
export type ListOrgUnitsQuery = z.infer<typeof ListOrgUnitsQuery>;

export const OrgUnitOption = z.object({ id: z.string(), name: z.string(), kind: OrgUnitKind, pathNames: z.string() });
export type OrgUnitOption = z.infer<typeof OrgUnitOption>;
export const OrgUnitOptionsQuery = z.object({
  q: z.string().trim().max(50).optional(),
  kinds: z.string().optional().describe('逗号分隔的单位类型'),
  limit: z.coerce.number().int().min(1).max(100).default(30),
  /** mine: units in the actor's scope (default); city: any active unit, for naming responsible or 包保 units, which may sit outside the actor's subtree */
  scope: z.enum(['mine', 'city']).default('mine'),
});

/** Which child kinds a parent kind may hold (PRODUCT.md §3.1). */
export const ALLOWED_CHILD_KINDS: Record<OrgUnitKind, OrgUnitKind[]> = {
  city: ['district', 'department', 'unit'],
  district: ['street', 'department', 'unit'],
  street: ['community', 'unit'],
  community: ['unit'],
  department: ['department', 'unit'],
  unit: ['unit'],
};

export const OrgSummary = z.object({
  unitsByKind: z.record(z.string(), z.number()),
  points: z.number(),
  keyPoints: z.number(),
  grids: z.number(),
  zones: z.number(),
  users: z.number(),
});
export type OrgSummary = z.infer<typeof OrgSummary>;
