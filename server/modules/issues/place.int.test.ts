import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssuePlace, NearbyPoints } from '../../../contracts/issue-place.ts';
import type { IssueCategory, IssueDetail } from '../../../contracts/issues.ts';
import { type Client, type TestApp, startTestApp } from '../../test/harness.ts';

type Point = { id: string; name: string; lng: number; lat: number; areaUnitId: string; gridId: string | null };

/** GET /api/issues/place: a reporter without the org tree (义务监督员) still files from GPS alone. */
describe('issues: place from coordinates', () => {
  let t: TestApp;
  let jiandu: Client;
  let wangge: Client;
  let point: Point;
  beforeAll(async () => {
    t = await startTestApp();
    [jiandu, wangge] = await Promise.all([t.login('jiandu'), t.login('wangge')]);
    point = ((await wangge.get('/api/org/points?pageSize=200')).json().items as Point[]).find((p) => p.gridId)!;
  });
  afterAll(() => t.close());

  it('names the point at the coordinates, and the supervisor files there', async () => {
    expect((await jiandu.get('/api/org/points')).statusCode).toBe(403);
    const res = await jiandu.get(`/api/issues/place?lng=${point.lng}&lat=${point.lat}`);
    expect(res.statusCode, res.body).toBe(200);
    const place = res.json() as IssuePlace;
    expect(place).toEqual({ kind: 'point', pointId: point.id, gridId: null, areaUnitId: null, label: `点位 ${point.name}` });
    const category = ((await jiandu.get('/api/issue-categories')).json() as IssueCategory[]).find((c) => c.name === '非法小广告')!;
    const filed = await jiandu.post('/api/issues', { source: 'supervisor', categoryId: category.id, title: '墙面张贴小广告', pointId: place.pointId, lng: point.lng, lat: point.lat });
    expect(filed.statusCode, filed.body).toBe(200);
    expect(filed.json() as IssueDetail).toMatchObject({ pointId: point.id, areaUnitId: point.areaUnitId, source: 'supervisor' });
  });

  it('falls back to the grid or area a little way off a point', async () => {
    // ~300 m north of the point: no point within 50 m
    const res = await wangge.get(`/api/issues/place?lng=${point.lng}&lat=${point.lat + 0.0027}`);
    expect(res.statusCode, res.body).toBe(200);
    const place = res.json() as IssuePlace;
    expect(place.kind).not.toBe('point');
    expect(place.label).toMatch(/^(网格|区域) \S+/);
    expect(place.kind === 'grid' ? place.gridId : place.areaUnitId).toBeTruthy();
  });

  it('refuses coordinates outside the city and bad numbers, in Chinese, naming the field', async () => {
    const far = await jiandu.get('/api/issues/place?lng=87.6&lat=43.8');
    expect(far.statusCode).toBe(400);
    expect(far.json().error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining([expect.stringMatching(/^querystring\.(lng|lat)$/)]));
    const bad = await jiandu.get('/api/issues/place?lng=abc&lat=34');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/经度/);
  });

  it('needs the right to report', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: `/api/issues/place?lng=${point.lng}&lat=${point.lat}` });
    expect(anonymous.statusCode).toBe(401);
  });

  it('lists the nearest visible points, nearest first, as a brute-force search over the markers would', async () => {
    const haversine = (a: { lng: number; lat: number }, b: { lng: number; lat: number }) => {
      const rad = Math.PI / 180;
      const h = Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lng - a.lng) * rad) / 2) ** 2;
      return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
    };
    const at = { lng: point.lng + 0.001, lat: point.lat - 0.0008 };
    for (const who of [wangge, await t.login('ducha')]) {
      const res = await who.get(`/api/issues/nearby-points?lng=${at.lng}&lat=${at.lat}`);
      expect(res.statusCode, res.body).toBe(200);
      const near = res.json() as NearbyPoints;
      const markers = (await who.get('/api/org/points/markers')).json() as { items: { id: string; lng: number; lat: number }[]; truncated: boolean };
      expect(markers.truncated).toBe(false);
      const expected = markers.items
        .map((m) => ({ id: m.id, d: haversine(at, m) }))
        .filter((m) => m.d <= near.radiusM)
        .sort((a, b) => a.d - b.d)
        .slice(0, 5);
      expect(near.items.map((p) => p.id)).toEqual(expected.map((p) => p.id));
      for (const [i, p] of near.items.entries()) expect(Math.abs(p.distanceM - expected[i].d)).toBeLessThan(2);
    }
    expect((await jiandu.get(`/api/issues/nearby-points?lng=${at.lng}&lat=${at.lat}`)).statusCode).toBe(403);
  });
});
