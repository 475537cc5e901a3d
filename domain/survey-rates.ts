import type { Answers, QuestionnaireModel, RateDefinition, RateFigure, RateResult } from '../contracts/surveys.ts';
import { itemCodes, itemValue, rateItems } from './survey-model.ts';

/**
 * Rates from counts (PRODUCT.md §3.6): a rate = answers whose code is in the numerator codes ÷
 * answers whose code is not excluded (unanswered items leave the denominator too). Counts are
 * integers; the same `ItemCount` rows come either from one SQL aggregate or from raw responses
 * (`countsFromResponses`), so the published figure recomputes from the stored responses to the digit.
 *
 * - Single item: Wilson 95 % interval on k of n.
 * - Several items with weights: numerator Σ wᵢkᵢ ÷ denominator Σ wᵢnᵢ (a weighted pooled share);
 *   its interval is Wilson at the pooled share with n = the largest item denominator (answers of one
 *   respondent are not independent, so the respondents, not the answers, are the sample).
 * - Post-stratified: Σ N_h p_h ÷ Σ N_h over strata that have a population and answers, interval
 *   by the normal approximation of Σ (N_h/N)² p_h(1−p_h)/n_h; the unweighted figure stays beside it.
 */

export type ItemCount = { stratumId: string; item: string; value: string | null; n: number };
export type StratumInfo = { id: string; label: string; population: number | null };

const Z = 1.959963984540054;

/** Wilson score interval for k successes in n trials (95 %). */
export function wilson(k: number, n: number): { low: number; high: number } | null {
  if (n <= 0) return null;
  const p = k / n;
  const z2 = Z * Z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (Z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

type Acc = { num: number; den: number; nEff: number; exclusions: Record<string, number> };

function figure(a: Acc): RateFigure {
  const rate = a.den > 0 ? a.num / a.den : null;
  return {
    numerator: a.num,
    denominator: a.den,
    exclusions: a.exclusions,
    rate,
    interval: rate === null ? null : wilson(rate * a.nEff, a.nEff),
  };
}

/** One rate's accumulators per stratum from the counts. */
function accumulate(model: QuestionnaireModel, rate: RateDefinition, counts: readonly ItemCount[]): Map<string, Acc> {
  const out = new Map<string, Acc>();
  const weight = new Map(rate.items.map((i) => [i.question, i.weight]));
  const codes = new Map(rate.items.map((i) => [i.question, itemCodes(model, i.question)]));
  const num = new Set<string>(rate.numerator);
  const excl = new Set<string>(rate.excluded);
  const perItemDen = new Map<string, Map<string, number>>();
  for (const c of counts) {
    const w = weight.get(c.item);
    if (w === undefined) continue;
    let a = out.get(c.stratumId);
    if (!a) {
      a = { num: 0, den: 0, nEff: 0, exclusions: {} };
      out.set(c.stratumId, a);
    }
    const code = c.value === null ? null : (codes.get(c.item)!.get(c.value) ?? null);
    if (c.value === null || (code !== null && excl.has(code))) {
      const k = c.value === null ? 'UNANSWERED' : code!;
      a.exclusions[k] = (a.exclusions[k] ?? 0) + c.n;
      continue;
    }
    a.den += w * c.n;
    if (code !== null && num.has(code)) a.num += w * c.n;
    let d = perItemDen.get(c.stratumId);
    if (!d) {
      d = new Map();
      perItemDen.set(c.stratumId, d);
    }
    d.set(c.item, (d.get(c.item) ?? 0) + c.n);
  }
  for (const [s, a] of out) a.nEff = Math.max(0, ...(perItemDen.get(s)?.values() ?? []));
  return out;
}

function merge(accs: Iterable<Acc>, itemsDen: number): Acc {
  const total: Acc = { num: 0, den: 0, nEff: itemsDen, exclusions: {} };
  for (const a of accs) {
    total.num += a.num;
    total.den += a.den;
    for (const [k, v] of Object.entries(a.exclusions)) total.exclusions[k] = (total.exclusions[k] ?? 0) + v;
  }
  return total;
}

/** The results of every rate of a model: overall, per stratum, post-stratified. */
export function rateResults(model: QuestionnaireModel, strata: readonly StratumInfo[], counts: readonly ItemCount[]): RateResult[] {
  // the overall effective n: the largest item denominator over all strata together
  return model.rates.map((rate) => {
    const per = accumulate(model, rate, counts);
    const overallDen = new Map<string, number>();
    const codesOf = new Map(rate.items.map((i) => [i.question, itemCodes(model, i.question)]));
    for (const c of counts) {
      if (!codesOf.has(c.item) || c.value === null) continue;
      const code = codesOf.get(c.item)!.get(c.value) ?? null;
      if (code !== null && rate.excluded.includes(code)) continue;
      overallDen.set(c.item, (overallDen.get(c.item) ?? 0) + c.n);
    }
    const overall = figure(merge(per.values(), Math.max(0, ...overallDen.values())));
    const byStratum = strata.map((s) => ({ stratumId: s.id, label: s.label, population: s.population, figure: figure(per.get(s.id) ?? { num: 0, den: 0, nEff: 0, exclusions: {} }) }));
    return {
      id: rate.id,
      name: rate.name,
      numeratorCodes: rate.numerator,
      excludedCodes: rate.excluded,
      items: rate.items,
      target: rate.target ?? null,
      overall,
      weighted: poststratify(byStratum.map((b) => ({ population: b.population, rate: b.figure.rate, n: per.get(b.stratumId)?.nEff ?? 0 }))),
      byStratum,
    };
  });
}

/** Post-stratified rate: strata weighted by population; null when no stratum has both a population and answers. */
export function poststratify(strata: readonly { population: number | null; rate: number | null; n: number }[]): RateResult['weighted'] {
  const used = strata.filter((s) => s.population !== null && s.population > 0 && s.rate !== null && s.n > 0);
  if (used.length === 0) return null;
  const N = used.reduce((t, s) => t + s.population!, 0);
  const rate = used.reduce((t, s) => t + s.population! * s.rate!, 0) / N;
  const variance = used.reduce((t, s) => t + (s.population! / N) ** 2 * ((s.rate! * (1 - s.rate!)) / s.n), 0);
  const half = Z * Math.sqrt(variance);
  return { rate, interval: { low: Math.max(0, rate - half), high: Math.min(1, rate + half) }, strataUsed: used.length };
}

/** The same counts the SQL aggregate gives, from raw responses (for recomputation and tests). */
export function countsFromResponses(model: QuestionnaireModel, responses: readonly { stratumId: string; answers: Answers }[]): ItemCount[] {
  const items = rateItems(model.rates);
  const map = new Map<string, ItemCount>();
  for (const r of responses) {
    for (const item of items) {
      const value = itemValue(r.answers, item);
      const k = `${r.stratumId}\u0000${item}\u0000${value ?? '\u0001'}`;
      const c = map.get(k);
      if (c) c.n++;
      else map.set(k, { stratumId: r.stratumId, item, value, n: 1 });
    }
  }
  return [...map.values()];
}
