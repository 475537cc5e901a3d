/**
 * The stratified random draw of points for a plan (the national test draws at random from the
 * declared points): per stratum point type × district a count, optionally excluding points
 * inspected in the last N days. Deterministic from a recorded seed, so the same draw can be shown
 * again and audited. Pure.
 */

export type DrawCandidate = { id: string; typeId: string; districtId: string };
export type Stratum = { typeId: string; districtId: string; count: number };
export type DrawShortage = { index: number; typeId: string; districtId: string; wanted: number; available: number };

/** 32-bit FNV-1a of a string: the seed's number. */
export function hashSeed(seed: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** mulberry32: a small, well-mixed PRNG in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Draws `count` points per stratum. Candidates are sorted by id first, so the result depends only
 * on the set of candidates and the seed. Returns the shortages instead when a stratum holds fewer
 * points than asked (nothing is drawn then).
 */
export function stratifiedDraw(candidates: DrawCandidate[], strata: Stratum[], seed: string): { ok: true; ids: string[]; byStratum: string[][] } | { ok: false; shortages: DrawShortage[] } {
  const pools = new Map<string, string[]>();
  for (const c of [...candidates].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const k = `${c.typeId}|${c.districtId}`;
    const pool = pools.get(k);
    if (pool) pool.push(c.id);
    else pools.set(k, [c.id]);
  }
  const shortages: DrawShortage[] = [];
  strata.forEach((s, index) => {
    const available = pools.get(`${s.typeId}|${s.districtId}`)?.length ?? 0;
    if (s.count > available) shortages.push({ index, typeId: s.typeId, districtId: s.districtId, wanted: s.count, available });
  });
  if (shortages.length) return { ok: false, shortages };
  const byStratum = strata.map((s, index) => {
    const pool = [...(pools.get(`${s.typeId}|${s.districtId}`) ?? [])];
    const rand = prng(hashSeed(`${seed}#${index}`));
    // partial Fisher–Yates: the first `count` of a uniform shuffle
    for (let i = 0; i < s.count; i++) {
      const j = i + Math.floor(rand() * (pool.length - i));
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    return pool.slice(0, s.count);
  });
  return { ok: true, ids: byStratum.flat(), byStratum };
}
