/**
 * Small plane geometry on WGS-84 degrees, good enough inside one city: point in polygon, a
 * bounding box with a margin, the distance between two points in metres.
 */
export type LngLat = readonly [number, number];
export type Bounds = { minLng: number; minLat: number; maxLng: number; maxLat: number };

/** Ray casting over the rings of a GeoJSON polygon (holes subtract): insidePolygon([1,1], [[[0,0],[2,0],[2,2],[0,2],[0,0]]]) → true. */
export function insidePolygon(p: LngLat, rings: readonly (readonly LngLat[])[]): boolean {
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

/** The box around `points`, widened by `marginDeg` on every side; null for no points. */
export function boundsOf(points: Iterable<LngLat>, marginDeg: number): Bounds | null {
  let b: Bounds | null = null;
  for (const [lng, lat] of points) {
    if (!b) b = { minLng: lng, minLat: lat, maxLng: lng, maxLat: lat };
    else {
      b.minLng = Math.min(b.minLng, lng);
      b.maxLng = Math.max(b.maxLng, lng);
      b.minLat = Math.min(b.minLat, lat);
      b.maxLat = Math.max(b.maxLat, lat);
    }
  }
  if (!b) return null;
  return { minLng: b.minLng - marginDeg, minLat: b.minLat - marginDeg, maxLng: b.maxLng + marginDeg, maxLat: b.maxLat + marginDeg };
}

export const inBounds = (b: Bounds, lng: number, lat: number): boolean => lng >= b.minLng && lng <= b.maxLng && lat >= b.minLat && lat <= b.maxLat;

/** Haversine distance in metres: distanceMeters([113.66, 34.75], [113.67, 34.75]) ≈ 914. */
export function distanceMeters(a: LngLat, b: LngLat): number {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLng = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}
