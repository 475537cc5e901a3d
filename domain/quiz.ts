import type { LeaderboardRow } from '../contracts/surveys.ts';

/**
 * 应知应会 scoring and unit leaderboards, pure. Scores are integers (points per question); a
 * leaderboard counts one attempt per participant (best, last or first) so that a full-mark rate
 * can never exceed 100 % by repeated attempts, and shows every denominator.
 */

export function scoreQuestion(type: string, answer: readonly string[], chosen: readonly string[], scoring: 'all' | 'partial', points: number): number {
  const right = new Set(answer);
  const picked = new Set(chosen);
  const exact = right.size === picked.size && [...right].every((a) => picked.has(a));
  if (exact) return points;
  if (type !== 'multiple' || scoring !== 'partial' || picked.size === 0) return 0;
  // partial credit: no wrong option chosen, share of the right ones found (rounded down)
  if ([...picked].some((p) => !right.has(p))) return 0;
  return Math.floor((points * picked.size) / right.size);
}

/** N per category drawn at random (rng injectable for tests); fewer in the bank than asked → all of them. */
export function drawQuestions(bank: readonly { id: string; category: string }[], draw: readonly { category: string; count: number }[], rng: () => number = Math.random): string[] {
  const out: string[] = [];
  for (const d of draw) {
    const pool = bank.filter((q) => q.category === d.category).map((q) => q.id);
    for (let i = pool.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    out.push(...pool.slice(0, d.count));
  }
  return out;
}

export type CountedAttempt = { participant: string; unitId: string; score: number; maxScore: number };
export type UnitInfo = { id: string; name: string; path: string };

function row(unitId: string, name: string, roster: number | null, attempts: readonly CountedAttempt[]): LeaderboardRow {
  const participants = attempts.length;
  const scoreSum = attempts.reduce((t, a) => t + a.score, 0);
  const fullMarks = attempts.filter((a) => a.score === a.maxScore).length;
  return {
    unitId,
    name,
    roster,
    participants,
    participationRate: roster ? participants / roster : null,
    scoreSum,
    averageScore: participants ? scoreSum / participants : null,
    fullMarks,
    fullMarkRate: participants ? fullMarks / participants : null,
  };
}

/**
 * Per unit (units with a roster or with participants) and per district (a district's subtree:
 * participants of its units, rosters of its units), each attempt counted once per participant.
 * Sorted by participation rate, then average score.
 */
export function leaderboard(counted: readonly CountedAttempt[], rosters: ReadonlyMap<string, number>, units: readonly UnitInfo[], districts: readonly UnitInfo[]): { units: LeaderboardRow[]; districts: LeaderboardRow[] } {
  const byUnit = new Map<string, CountedAttempt[]>();
  for (const a of counted) byUnit.set(a.unitId, [...(byUnit.get(a.unitId) ?? []), a]);
  const ids = new Set([...rosters.keys(), ...byUnit.keys()]);
  const unitRows = units.filter((u) => ids.has(u.id)).map((u) => row(u.id, u.name, rosters.get(u.id) ?? null, byUnit.get(u.id) ?? []));
  const districtRows = districts.map((d) => {
    const inside = units.filter((u) => u.path.startsWith(d.path));
    const attempts = inside.flatMap((u) => byUnit.get(u.id) ?? []);
    const rosterUnits = inside.filter((u) => rosters.has(u.id));
    const roster = rosterUnits.length ? rosterUnits.reduce((t, u) => t + rosters.get(u.id)!, 0) : null;
    return row(d.id, d.name, roster, attempts);
  });
  const order = (a: LeaderboardRow, b: LeaderboardRow) => (b.participationRate ?? -1) - (a.participationRate ?? -1) || (b.averageScore ?? -1) - (a.averageScore ?? -1);
  return { units: unitRows.sort(order), districts: districtRows.sort(order) };
}
