import { z } from 'zod';

/**
 * GET /api/issues/place?lng=&lat=: where a staff report at these coordinates belongs, the same
 * rule the public 随手拍 uses — a point within 50 m, else the grid around it, else the area of the
 * nearest point. For reporters who cannot browse the org tree (义务监督员) and as the phone
 * form's automatic place when no point or grid is chosen.
 */
export const IssuePlaceQuery = z.object({
  lng: z.coerce.number({ message: '经度必须是数字' }).min(73, '经度超出中国范围（73–136）').max(136, '经度超出中国范围（73–136）'),
  lat: z.coerce.number({ message: '纬度必须是数字' }).min(3, '纬度超出中国范围（3–54）').max(54, '纬度超出中国范围（3–54）'),
});
export type IssuePlaceQuery = z.infer<typeof IssuePlaceQuery>;

export const IssuePlace = z.object({
  kind: z.enum(['point', 'grid', 'area']),
  pointId: z.string().nullable(),
  gridId: z.string().nullable(),
  areaUnitId: z.string().nullable(),
  /** what the phone shows: 点位 人民公园北门公厕 / 网格 朝阳社区第一网格 / 区域 朝阳社区 */
  label: z.string(),
});
export type IssuePlace = z.infer<typeof IssuePlace>;

/** GET /api/issues/nearby-points?lng=&lat=: the reporter's visible points near a place, nearest first (the phone's 附近点位). */
export const NEARBY_POINTS_RADIUS_M = 2000;
export const NEARBY_POINTS_LIMIT = 5;
export const NearbyPoint = z.object({
  id: z.string(),
  name: z.string(),
  typeName: z.string(),
  isKey: z.boolean(),
  lng: z.number(),
  lat: z.number(),
  /** metres from the given place */
  distanceM: z.number(),
});
export type NearbyPoint = z.infer<typeof NearbyPoint>;
export const NearbyPoints = z.object({ radiusM: z.number(), items: z.array(NearbyPoint) });
export type NearbyPoints = z.infer<typeof NearbyPoints>;
