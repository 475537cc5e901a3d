import { describe, expect, it } from 'vitest';
import { copyCell } from './lib/copy.ts';
import { combine } from './lib/load.ts';
import { fmt, formatRow, percentile, ratioOf, summarize, verdict } from './lib/stats.ts';
import { pointsListParams } from './lib/points-sql.ts';
import { argOf, maintenanceUrl, resolveTarget, safeUrl } from './lib/target.ts';

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 … 1, unsorted on purpose
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 95)).toBe(95);
    expect(percentile(xs, 100)).toBe(100);
    expect(percentile(xs, 0)).toBe(1);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 95)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
  it('summarizes', () => {
    expect(summarize([1, 2, 3, 4])).toEqual({ count: 4, mean: 2.5, p50: 2, p95: 4, p99: 4, max: 4 });
  });
});

describe('verdicts and the printed line', () => {
  it('compares ratios and absolute limits', () => {
    expect(ratioOf(50, 100)).toBe(0.5);
    expect(ratioOf(1, 0)).toBeNaN();
    expect(verdict(50, 100, { kind: 'ratio-min', limit: 0.5 })).toBe('PASS');
    expect(verdict(49, 100, { kind: 'ratio-min', limit: 0.5 })).toBe('FAIL');
    expect(verdict(1, 0, { kind: 'ratio-min', limit: 0.5 })).toBe('FAIL');
    expect(verdict(30, 10, { kind: 'abs-max', limit: 50 })).toBe('PASS');
    expect(verdict(30, 10, { kind: 'ratio-max', limit: 2 })).toBe('FAIL');
  });
  it('formats numbers to about three figures', () => {
    expect(fmt(1234.5)).toBe('1235');
    expect(fmt(12.345)).toBe('12.3');
    expect(fmt(1.2345)).toBe('1.23');
    expect(fmt(0.012345)).toBe('0.0123');
    expect(fmt(0)).toBe('0');
    expect(fmt(Number.NaN)).toBe('NaN');
  });
  it('prints name, value, baseline, ratio, target, verdict in order', () => {
    const line = formatRow({ name: 'auth.me', value: 1500, unit: 'req/s', baseline: 3000, target: { kind: 'ratio-min', limit: 0.5 }, verdict: 'PASS' });
    expect(line.split(/\s{2,}/)).toEqual(['auth.me', '1500 req/s', 'baseline 3000', 'ratio 0.500', 'target ratio≥0.5', 'PASS']);
    expect(formatRow({ name: 'points.list', value: Number.NaN, unit: 'req/s', baseline: Number.NaN, target: { kind: 'ratio-min', limit: 0.5 }, verdict: 'SKIP', note: 'endpoint not present' })).toMatch(
      /^points\.list\s+SKIP \(endpoint not present\)$/,
    );
  });
});

describe('combine', () => {
  it('pools windows into one rate and one latency distribution', () => {
    const m = combine([
      { latencies: Float64Array.from([1, 2]), failed: 0, seconds: 1, statuses: { 200: 2 } },
      { latencies: Float64Array.from([3, 4, 5, 6]), failed: 1, seconds: 1, statuses: { 200: 4, 500: 1 } },
    ]);
    expect(m).toMatchObject({ rps: 3, ok: 6, failed: 1, seconds: 2, rounds: 2, statuses: { 200: 6, 500: 1 } });
    expect(m.latency.p50).toBe(3);
  });
});

describe('COPY text format', () => {
  it('escapes and writes NULL', () => {
    expect(copyCell(null)).toBe('\\N');
    expect(copyCell(undefined)).toBe('\\N');
    expect(copyCell('a\tb\nc\\d')).toBe('a\\tb\\nc\\\\d');
    expect(copyCell(true)).toBe('true');
    expect(copyCell({ a: 'x\ty' })).toBe('{"a":"x\\\\ty"}');
  });
});

describe('targets and arguments', () => {
  it('reads --name value and --name=value', () => {
    expect(argOf(['--scale', 'city', '--reset'], 'scale')).toBe('city');
    expect(argOf(['--scale=megacity'], 'scale')).toBe('megacity');
    expect(argOf(['--reset'], 'reset')).toBe(true);
    expect(argOf([], 'reset')).toBeUndefined();
  });
  it('prefers --pglite, then --database-url, then BENCH_DATABASE_URL, then DATABASE_URL', () => {
    expect(resolveTarget(['--pglite', '/tmp/x'], {})).toEqual({ kind: 'pglite', dataDir: '/tmp/x' });
    expect(resolveTarget(['--database-url', 'postgres://a/b'], { BENCH_DATABASE_URL: 'postgres://c/d' })).toEqual({ kind: 'postgres', url: 'postgres://a/b' });
    expect(resolveTarget([], { BENCH_DATABASE_URL: 'postgres://c/d', DATABASE_URL: 'postgres://e/f' })).toEqual({ kind: 'postgres', url: 'postgres://c/d' });
    expect(resolveTarget([], {})).toEqual({ kind: 'postgres', url: 'postgres://postgres@127.0.0.1:5432/chuangwen_bench' });
  });
  it('finds the maintenance database and refuses odd names', () => {
    expect(maintenanceUrl('postgres://u:p@h:5432/chuangwen_bench')).toEqual({ adminUrl: 'postgres://u:p@h:5432/postgres', dbName: 'chuangwen_bench' });
    expect(() => maintenanceUrl('postgres://h/bad;name')).toThrow();
    expect(safeUrl('postgres://u:secret@h/db')).toBe('postgres://u:***@h/db');
  });
  it('builds the points baseline parameters', () => {
    expect(pointsListParams({ scopePath: '/c/d/', userId: 'u', areaPath: '/c/d/', typeId: 't', page: 3, pageSize: 20 })).toEqual([
      '/c/d/%', '/c/d/%', '/c/d/%', 'u', '/c/d/%', 't', 20, 40,
    ]);
  });
});
