import { z } from 'zod';
import { Id, PageQuery, QueryBool, Version } from './common.ts';

/** WGS-84 longitude/latitude, limited to China's extent with a margin (PRODUCT.md §4). */
export const Lng = z.number({ message: '经度必须是数字' }).min(73, '经度超出中国范围（73–136）').max(136, '经度超出中国范围（73–136）');
export const Lat = z.number({ message: '纬度必须是数字' }).min(3, '纬度超出中国范围（3–54）').max(54, '纬度超出中国范围（3–54）');

/** A GeoJSON Polygon in WGS-84: closed rings of [lng, lat]. */
export const GeoPolygon = z.object({
  type: z.literal('Polygon'),
  coordinates: z
    .array(z.array(z.tuple([Lng, Lat])).min(4, '多边形至少 4 个点（首尾相同）'))
    .min(1)
    .refine((rings) => rings.every((r) => r[0][0] === r[r.length - 1][0] && r[0][1] === r[r.length - 1][1]), '多边形须首尾闭合'),
});
export type GeoPolygon = z.infer<typeof GeoPolygon>;

// ---- point types (26 seeded, editable data) ----
export const PointType = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  sort: z.number(),
  isActive: z.boolean(),
  pointCount: z.number(),
  version: z.number(),
});
export type PointType = z.infer<typeof PointType>;
export const CreatePointTypeRequest = z.object({
  code: z.string().trim().min(1, '请填写编码').max(20),
  name: z.string().trim().min(1, '请填写名称').max(40),
  sort: z.number().int().default(0),
});
export const UpdatePointTypeRequest = CreatePointTypeRequest.partial().extend({ version: Version, isActive: z.boolean().optional() });

// ---- grids ----
export const Grid = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  communityId: z.string(),
  communityName: z.string(),
  households: z.number().nullable(),
  polygon: GeoPolygon.nullable(),
  workers: z.array(z.object({ id: z.string(), name: z.string(), phoneMasked: z.string().nullable() })),
  pointCount: z.number(),
  isActive: z.boolean(),
  version: z.number(),
});
export type Grid = z.infer<typeof Grid>;
const gridFields = {
  code: z.string().trim().min(1, '请填写网格编码').max(40),
  name: z.string().trim().min(1, '请填写网格名称').max(60),
  communityId: Id,
  households: z.number().int().min(0, '户数不能为负').nullish(),
  polygon: GeoPolygon.nullish(),
  workerIds: z.array(Id).default([]),
};
export const CreateGridRequest = z.object(gridFields);
export type CreateGridRequest = z.infer<typeof CreateGridRequest>;
export const UpdateGridRequest = z.object(gridFields).partial().extend({ version: Version });
export type UpdateGridRequest = z.infer<typeof UpdateGridRequest>;
export const ListGridsQuery = PageQuery.extend({
  areaUnitId: Id.optional().describe('街道/社区等，含下级'),
  q: z.string().trim().max(50).optional(),
  workerId: Id.optional(),
  includeInactive: QueryBool.optional(),
});
export type ListGridsQuery = z.infer<typeof ListGridsQuery>;

// ---- zones (责任区) and sponsorship (包保) ----
export const SponsorTargetType = z.enum(['community', 'zone', 'point']);
export type SponsorTargetType = z.infer<typeof SponsorTargetType>;
export const SponsorTargetLabels: Record<SponsorTargetType, string> = { community: '社区', zone: '责任区', point: '点位' };

export const Sponsorship = z.object({
  id: z.string(),
  unitId: z.string(),
  unitName: z.string(),
  targetType: SponsorTargetType,
  targetId: z.string(),
  targetName: z.string(),
  isLead: z.boolean(),
  note: z.string().nullable(),
});
export type Sponsorship = z.infer<typeof Sponsorship>;
export const CreateSponsorshipRequest = z.object({
  unitId: Id,
  targetType: SponsorTargetType,
  targetId: Id,
  isLead: z.boolean().default(false),
  note: z.string().trim().max(200).nullish(),
});
export const ListSponsorshipsQuery = PageQuery.extend({
  unitId: Id.optional(),
  targetType: SponsorTargetType.optional(),
  targetId: Id.optional(),
});

export const Zone = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  ownerUnitId: z.string(),
  ownerUnitName: z.string(),
  description: z.string().nullable(),
  polygon: GeoPolygon.nullable(),
  units: z.array(z.object({ id: z.string(), name: z.string(), isLead: z.boolean() })),
  isActive: z.boolean(),
  version: z.number(),
});
export type Zone = z.infer<typeof Zone>;
const zoneFields = {
  code: z.string().trim().min(1, '请填写责任区编码').max(40),
  name: z.string().trim().min(1, '请填写责任区名称').max(100),
  ownerUnitId: Id,
  description: z.string().trim().max(500).nullish(),
  polygon: GeoPolygon.nullish(),
  /** 包保 units; the lead unit (牵头) is marked */
  units: z.array(z.object({ id: Id, isLead: z.boolean().default(false) })).default([]),
};
export const CreateZoneRequest = z.object(zoneFields);
export type CreateZoneRequest = z.infer<typeof CreateZoneRequest>;
export const UpdateZoneRequest = z.object(zoneFields).partial().extend({ version: Version });
export type UpdateZoneRequest = z.infer<typeof UpdateZoneRequest>;

// ---- points (点位) ----
export const Point = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  typeId: z.string(),
  typeName: z.string(),
  address: z.string(),
  /** WGS-84 */
  lng: z.number(),
  lat: z.number(),
  areaUnitId: z.string(),
  areaUnitName: z.string(),
  /** 区 / 街道 / 社区 names of the area, for display */
  areaPathNames: z.string(),
  gridId: z.string().nullable(),
  gridName: z.string().nullable(),
  units: z.array(z.object({ id: z.string(), name: z.string() })),
  isKey: z.boolean(),
  isActive: z.boolean(),
  version: z.number(),
});
export type Point = z.infer<typeof Point>;
const pointFields = {
  code: z.string().trim().min(1, '请填写点位编码').max(40),
  name: z.string().trim().min(1, '请填写点位名称').max(100),
  typeId: Id,
  address: z.string().trim().min(1, '请填写地址').max(200),
  lng: Lng,
  lat: Lat,
  /** the street or community the point lies in */
  areaUnitId: Id,
  gridId: Id.nullish(),
  unitIds: z.array(Id).min(1, '至少指定一个责任单位'),
  isKey: z.boolean().default(false),
};
export const CreatePointRequest = z.object(pointFields);
export type CreatePointRequest = z.infer<typeof CreatePointRequest>;
export const UpdatePointRequest = z.object(pointFields).partial().extend({ version: Version });
export type UpdatePointRequest = z.infer<typeof UpdatePointRequest>;
export const ListPointsQuery = PageQuery.extend({
  typeId: Id.optional(),
  /** a district, street or community: the point's area lies in its subtree */
  areaUnitId: Id.optional(),
  gridId: Id.optional(),
  /** points a unit answers for (责任单位) */
  unitId: Id.optional(),
  isKey: QueryBool.optional(),
  q: z.string().trim().max(50).optional(),
  includeInactive: QueryBool.optional(),
});
export type ListPointsQuery = z.infer<typeof ListPointsQuery>;
/** Lightweight rows for the map: every visible point matching the filters, no paging. */
export const PointMarker = z.object({
  id: z.string(),
  name: z.string(),
  typeName: z.string(),
  lng: z.number(),
  lat: z.number(),
  isKey: z.boolean(),
  /** for the popup */
  address: z.string().optional(),
});
export type PointMarker = z.infer<typeof PointMarker>;

// ---- additions used by the org places endpoints ----
export const ListPointTypesQuery = z.object({ includeInactive: QueryBool.optional() });
export const ListZonesQuery = PageQuery.extend({
  q: z.string().trim().max(50).optional(),
  /** zones sponsored (包保) by this unit */
  unitId: Id.optional(),
  includeInactive: QueryBool.optional(),
});
export type ListZonesQuery = z.infer<typeof ListZonesQuery>;
export type ListSponsorshipsQuery = z.infer<typeof ListSponsorshipsQuery>;
export type CreateSponsorshipRequest = z.infer<typeof CreateSponsorshipRequest>;
export type CreatePointTypeRequest = z.infer<typeof CreatePointTypeRequest>;
export type UpdatePointTypeRequest = z.infer<typeof UpdatePointTypeRequest>;
export const PointMarkers = z.object({ items: z.array(PointMarker), truncated: z.boolean() });
export type PointMarkers = z.infer<typeof PointMarkers>;
/** Users who may be 网格员 of a community's grid. */
export const GridWorkerOption = z.object({ id: z.string(), name: z.string(), phoneMasked: z.string().nullable() });
export type GridWorkerOption = z.infer<typeof GridWorkerOption>;
export const GridWorkerOptionsQuery = z.object({ communityId: Id });
