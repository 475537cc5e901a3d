import { describe, expect, it } from 'vitest';
import { distanceMeters, insidePolygon } from './geo.ts';
import { newTrackingCode, normalizeTrackingCode, TRACKING_ALPHABET } from './tracking-code.ts';

describe('tracking codes', () => {
  it('are 8 characters from the unambiguous alphabet, and differ', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const c = newTrackingCode();
      expect(c).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/);
      seen.add(c);
    }
    expect(seen.size).toBe(2000);
    for (const ch of '01OIL') expect(TRACKING_ALPHABET).not.toContain(ch);
  });
  it('uses every character of the alphabet', () => {
    let i = 0;
    const code = newTrackingCode(() => i++ % TRACKING_ALPHABET.length);
    expect(code).toBe('23456789');
  });
  it('normalises what people type and refuses the rest', () => {
    expect(normalizeTrackingCode(' k7qx-3mpa ')).toBe('K7QX3MPA');
    expect(normalizeTrackingCode('K7QX3MP0')).toBeNull();
    expect(normalizeTrackingCode('K7QX3MP')).toBeNull();
    expect(normalizeTrackingCode('K7QX3MPAA')).toBeNull();
  });
});

describe('geometry', () => {
  const square = [
    [
      [0, 0],
      [2, 0],
      [2, 2],
      [0, 2],
      [0, 0],
    ],
  ] as const;
  it('point in polygon, with a hole', () => {
    expect(insidePolygon([1, 1], square)).toBe(true);
    expect(insidePolygon([3, 1], square)).toBe(false);
    const holed = [
      ...square,
      [
        [0.5, 0.5],
        [1.5, 0.5],
        [1.5, 1.5],
        [0.5, 1.5],
        [0.5, 0.5],
      ],
    ] as const;
    expect(insidePolygon([1, 1], holed)).toBe(false);
    expect(insidePolygon([0.2, 0.2], holed)).toBe(true);
  });
  it('distance in metres', () => {
    expect(distanceMeters([113.66, 34.75], [113.67, 34.75])).toBeGreaterThan(900);
    expect(distanceMeters([113.66, 34.75], [113.67, 34.75])).toBeLessThan(930);
  });
});
