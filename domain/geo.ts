/**
 * Small geometry on WGS-84 degrees, good enough inside one city: point in polygon, the distance
 * between two points in metres. (The city's extent is the issues module's city-bounds.ts.)
 */
export type LngLat = readonly [number, number];

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

/** Haversine distance in metres: distanceMeters([113.66, 34.75], [113.67, 34.75]) ≈ 914. */
export function distanceMeters(a: LngLat, b: LngLat): number {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLng = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}
