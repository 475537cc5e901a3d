import { describe, expect, it } from 'vitest';
import { SCALES, communityName, nth, parseScale, pointName, prng, streetName, treeCounts, WORDS } from './lib/gen.ts';

describe('the bench generator', () => {
  it('is deterministic for a seed', () => {
    const a = prng(42);
    const b = prng(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(prng(43)()).not.toBe(xs[0]);
    const r1 = prng(7);
    const r2 = prng(7);
    expect(Array.from({ length: 50 }, () => pointName(r1, '公交站点'))).toEqual(Array.from({ length: 50 }, () => pointName(r2, '公交站点')));
  });

  it('has the sizes of the issue at each scale', () => {
    const mega = treeCounts(SCALES.megacity);
    expect(1 + mega.districts + mega.streets + mega.communities + mega.departments + mega.leafUnits).toBe(10_000);
    expect(SCALES.megacity.points).toBe(100_000);
    expect(SCALES.megacity.users).toBe(50_000);
    const city = treeCounts(SCALES.city);
    expect(1 + city.districts + city.streets + city.communities + city.departments + city.leafUnits).toBe(800);
    expect(SCALES.city.points).toBe(5_000);
    expect(() => parseScale('huge')).toThrow(/small, city or megacity/);
  });

  it('names streets and communities uniquely within their parent', () => {
    const streets = Array.from({ length: 240 }, (_, i) => streetName(i));
    expect(new Set(streets).size).toBe(240);
    for (const si of [0, 17, 239]) {
      const cs = Array.from({ length: 25 }, (_, c) => communityName(si, c));
      expect(new Set(cs).size).toBe(25);
    }
    expect(nth(WORDS, 0)).toBe(WORDS[0]);
    expect(nth(WORDS, WORDS.length)).toBe(`${WORDS[0]}二`);
  });
});
