/** Pure helpers for the benchmark report: percentiles, ratios, verdicts, the printed line. */

/** The p-th percentile (0–100) of samples by the nearest-rank method; NaN for no samples. */
export function percentile(samples: ArrayLike<number>, p: number): number {
  const n = samples.length;
  if (n === 0) return Number.NaN;
  if (p < 0 || p > 100) throw new RangeError(`percentile out of range: ${p}`);
  const sorted = Float64Array.from(samples).sort();
  const rank = Math.max(1, Math.ceil((p / 100) * n));
  return sorted[rank - 1];
}

export type LatencySummary = { count: number; mean: number; p50: number; p95: number; p99: number; max: number };

/** Latency summary of samples in milliseconds. */
export function summarize(samples: ArrayLike<number>): LatencySummary {
  const n = samples.length;
  let sum = 0;
  let max = Number.NaN;
  for (let i = 0; i < n; i++) {
    sum += samples[i];
    if (!(samples[i] <= max)) max = samples[i];
  }
  return {
    count: n,
    mean: n ? sum / n : Number.NaN,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    p99: percentile(samples, 99),
    max,
  };
}

/**
 * A target: a ratio to the baseline (ours ÷ baseline, at least or at most a limit) or an absolute
 * limit on the measured value.
 */
export type Target = { kind: 'ratio-min' | 'ratio-max' | 'abs-max' | 'abs-min'; limit: number };

export type Verdict = 'PASS' | 'FAIL' | 'SKIP';

export function ratioOf(value: number, baseline: number): number {
  return baseline > 0 && Number.isFinite(value) ? value / baseline : Number.NaN;
}

export function verdict(value: number, baseline: number, target: Target): Exclude<Verdict, 'SKIP'> {
  const r = ratioOf(value, baseline);
  switch (target.kind) {
    case 'ratio-min':
      return r >= target.limit ? 'PASS' : 'FAIL';
    case 'ratio-max':
      return r <= target.limit ? 'PASS' : 'FAIL';
    case 'abs-max':
      return value <= target.limit ? 'PASS' : 'FAIL';
    case 'abs-min':
      return value >= target.limit ? 'PASS' : 'FAIL';
  }
}

export function describeTarget(target: Target, unit: string): string {
  switch (target.kind) {
    case 'ratio-min':
      return `ratio≥${target.limit}`;
    case 'ratio-max':
      return `ratio≤${target.limit}`;
    case 'abs-max':
      return `≤${target.limit} ${unit}`;
    case 'abs-min':
      return `≥${target.limit} ${unit}`;
  }
}

/** A number with three significant figures at most, no exponent: 1234.5 → '1235', 0.01234 → '0.0123'. */
export function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const a = Math.abs(n);
  if (a >= 100) return n.toFixed(0);
  if (a >= 10) return n.toFixed(1);
  if (a >= 1) return n.toFixed(2);
  if (a === 0) return '0';
  return n.toPrecision(3);
}

export type Row = {
  name: string;
  value: number;
  unit: string;
  baseline: number;
  target: Target;
  verdict: Verdict;
  note?: string;
};

/** The printed line: `name  value unit  baseline value  ratio  target  PASS|FAIL`. */
export function formatRow(r: Row): string {
  if (r.verdict === 'SKIP') return `${r.name.padEnd(18)}  SKIP (${r.note ?? 'skipped'})`;
  const ratio = ratioOf(r.value, r.baseline);
  return [
    r.name.padEnd(18),
    `${fmt(r.value)} ${r.unit}`.padEnd(14),
    `baseline ${fmt(r.baseline)}`.padEnd(18),
    `ratio ${fmt(ratio)}`.padEnd(12),
    `target ${describeTarget(r.target, r.unit)}`.padEnd(18),
    r.verdict,
  ].join('  ');
}
