import { sql } from 'drizzle-orm';
import { type Executor, rowsOf } from '../../db/client.ts';
import type { Scope } from '../../http/policy.ts';
import { pointReadCond } from '../org/index.ts';

export type NearbyPointRow = { id: string; name: string; type_name: string; is_key: boolean; lng: number; lat: number; distance_m: number };

const EARTH_M = 6_371_000;
const DEG_M = (Math.PI / 180) * EARTH_M;

/**
 * The active points the scope may read within `radiusM` of a place, nearest first. A bounding
 * box on lng/lat cuts the rows before the (equirectangular, exact enough at a few km) distance.
 */
export async function nearbyPoints(db: Executor, scope: Scope, lng: number, lat: number, radiusM: number, limit: number): Promise<NearbyPointRow[]> {
  const k = Math.cos((lat * Math.PI) / 180);
  const dLat = radiusM / DEG_M;
  const dLng = radiusM / (DEG_M * Math.max(k, 0.01));
  const scopeCond = pointReadCond(scope);
  const res = await db.execute(sql`
    SELECT * FROM (
      SELECT p.id, p.name, t.name AS type_name, p.is_key, p.lng, p.lat,
        ${DEG_M}::float8 * sqrt(power((p.lng - ${lng}) * ${k}, 2) + power(p.lat - ${lat}, 2)) AS distance_m
      FROM points p JOIN point_types t ON t.id = p.type_id
      WHERE p.is_active AND p.lng BETWEEN ${lng - dLng} AND ${lng + dLng} AND p.lat BETWEEN ${lat - dLat} AND ${lat + dLat}
        ${scopeCond ? sql`AND ${scopeCond}` : sql``}
    ) near WHERE distance_m <= ${radiusM}
    ORDER BY distance_m, id LIMIT ${limit}`);
  return rowsOf<NearbyPointRow>(res).map((r) => ({ ...r, lng: Number(r.lng), lat: Number(r.lat), distance_m: Number(r.distance_m) }));
}
