import { sql } from 'drizzle-orm';
import { rowsOf } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../http/errors.ts';

/** WGS-84 extent of the city, inclusive. */
export type CityBounds = { minLng: number; minLat: number; maxLng: number; maxLat: number; source: 'config' | 'derived' };

/** Margin around the extent of the city's points and grids when CITY_BOUNDS is not set: 0.1° ≈ 10 km. */
export const DERIVED_MARGIN_DEG = 0.1;
const CACHE_MS = 10 * 60_000;
const cache = new WeakMap<object, { at: number; bounds: CityBounds | null }>();

type BoundsDeps = Pick<Deps, 'db' | 'config'>;

/**
 * The city's extent: CITY_BOUNDS when configured, else the extent of the active points and the
 * grid polygons plus DERIVED_MARGIN_DEG (cached for ten minutes); null while there are neither.
 */
export async function cityBounds(deps: BoundsDeps): Promise<CityBounds | null> {
  const b = deps.config.issues.cityBounds;
  if (b) return { minLng: b[0], minLat: b[1], maxLng: b[2], maxLat: b[3], source: 'config' };
  const hit = cache.get(deps.db);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.bounds;
  const res = await deps.db.execute(sql`
    WITH pts AS (
      SELECT lng, lat FROM points WHERE is_active
      UNION ALL
      SELECT (c->>0)::float8, (c->>1)::float8 FROM grids g, jsonb_array_elements(g.polygon->'coordinates'->0) c
      WHERE g.polygon IS NOT NULL AND g.is_active)
    SELECT min(lng) AS min_lng, min(lat) AS min_lat, max(lng) AS max_lng, max(lat) AS max_lat FROM pts`);
  const r = rowsOf<{ min_lng: number | null; min_lat: number | null; max_lng: number | null; max_lat: number | null }>(res)[0];
  const bounds: CityBounds | null =
    r?.min_lng == null
      ? null
      : {
          minLng: Number(r.min_lng) - DERIVED_MARGIN_DEG,
          minLat: Number(r.min_lat) - DERIVED_MARGIN_DEG,
          maxLng: Number(r.max_lng) + DERIVED_MARGIN_DEG,
          maxLat: Number(r.max_lat) + DERIVED_MARGIN_DEG,
          source: 'derived',
        };
  cache.set(deps.db, { at: Date.now(), bounds });
  return bounds;
}

/** Forgets the derived extent (after points or grids change in bulk, and in tests). */
export function forgetCityBounds(deps: Pick<Deps, 'db'>): void {
  cache.delete(deps.db);
}

const fmt = (v: number) => v.toFixed(4).replace(/\.?0+$/, '');

/**
 * Refuses coordinates outside the city with a Chinese message naming the field:
 * assertInCityBounds(deps, 120.1, 34.7) → 400 VALIDATION_FAILED「经度 120.1 不在本市范围内（113.53–113.80）…」 on body.lng.
 * Field paths default to body.lng / body.lat; the public form passes its own.
 */
export async function assertInCityBounds(deps: BoundsDeps, lng: number, lat: number, fields: { lng: string; lat: string } = { lng: 'body.lng', lat: 'body.lat' }): Promise<void> {
  const b = await cityBounds(deps);
  if (!b) return;
  const details: { path: string; message: string }[] = [];
  if (lng < b.minLng || lng > b.maxLng) details.push({ path: fields.lng, message: `经度 ${fmt(lng)} 不在本市范围内（${fmt(b.minLng)}–${fmt(b.maxLng)}），请重新定位或在地图上选点` });
  if (lat < b.minLat || lat > b.maxLat) details.push({ path: fields.lat, message: `纬度 ${fmt(lat)} 不在本市范围内（${fmt(b.minLat)}–${fmt(b.maxLat)}），请重新定位或在地图上选点` });
  if (details.length) throw new AppError('VALIDATION_FAILED', details[0].message, details);
}
