import { Worker } from 'node:worker_threads';
import { type LatencySummary, summarize } from './stats.ts';

/** One measured window: every successful operation's latency (ms), failures, the window's length. */
export type Sample = { latencies: Float64Array; failed: number; seconds: number; statuses?: Record<string, number> };

export type Measurement = {
  /** successful operations per second over the measured windows */
  rps: number;
  latency: LatencySummary;
  ok: number;
  failed: number;
  seconds: number;
  rounds: number;
  statuses?: Record<string, number>;
};

/** Several windows of the same load (alternated with the baseline's) as one measurement. */
export function combine(samples: Sample[]): Measurement {
  const n = samples.reduce((a, s) => a + s.latencies.length, 0);
  const all = new Float64Array(n);
  let at = 0;
  const statuses: Record<string, number> = {};
  for (const s of samples) {
    all.set(s.latencies, at);
    at += s.latencies.length;
    for (const [k, v] of Object.entries(s.statuses ?? {})) statuses[k] = (statuses[k] ?? 0) + v;
  }
  const seconds = samples.reduce((a, s) => a + s.seconds, 0);
  const failed = samples.reduce((a, s) => a + s.failed, 0);
  return {
    rps: seconds > 0 ? n / seconds : 0,
    latency: summarize(all),
    ok: n,
    failed,
    seconds,
    rounds: samples.length,
    ...(Object.keys(statuses).length ? { statuses } : {}),
  };
}

/**
 * Runs the arms (baseline first, then ours, then any diagnostic arm) in alternating windows
 * (B O B O …) so that a noisy neighbour hurts all alike; each arm warms up before its first window only.
 */
export async function alternateArms<K extends string>(
  rounds: number,
  o: LoadOptions,
  arms: Record<K, (o: LoadOptions) => Promise<Sample>>,
): Promise<Record<K, Measurement>> {
  const names = Object.keys(arms) as K[];
  const got = new Map<K, Sample[]>(names.map((n) => [n, []]));
  const slice = { ...o, seconds: Math.max(1, Math.round(o.seconds / rounds)) };
  for (let r = 0; r < rounds; r++) {
    const w = r === 0 ? slice : { ...slice, warmupSeconds: 0 };
    for (const n of names) got.get(n)?.push(await arms[n](w));
  }
  return Object.fromEntries(names.map((n) => [n, combine(got.get(n) ?? [])])) as Record<K, Measurement>;
}

export function alternate(
  rounds: number,
  o: LoadOptions,
  baseline: (o: LoadOptions) => Promise<Sample>,
  ours: (o: LoadOptions) => Promise<Sample>,
): Promise<{ baseline: Measurement; ours: Measurement }> {
  return alternateArms(rounds, o, { baseline, ours });
}

export type HttpRequest = { method: 'GET' | 'POST'; path: string; headers?: Record<string, string>; body?: string };
export type LoadOptions = { connections: number; seconds: number; warmupSeconds: number };

type WorkerReply =
  | { ok: true; seconds: number; latencies: Float64Array; statuses: Record<string, number>; errors: number; timeouts: number }
  | { ok: false; error: string };

/** HTTP load with autocannon (in a worker thread), cycling through `requests` on every connection. */
export function httpLoad(url: string, requests: HttpRequest[], o: LoadOptions): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./load-worker.mjs', import.meta.url), {
      workerData: { url, requests, connections: o.connections, seconds: o.seconds, warmupSeconds: o.warmupSeconds },
    });
    worker.once('message', (m: WorkerReply) => {
      void worker.terminate();
      if (!m.ok) return reject(new Error(m.error));
      const all = Object.values(m.statuses).reduce((a, b) => a + b, 0);
      resolve({ latencies: m.latencies, failed: all - m.latencies.length + m.errors, seconds: m.seconds, statuses: m.statuses });
    });
    worker.once('error', reject);
  });
}

/**
 * The same shape of load for a function: `concurrency` loops call `task(i)` back to back for the
 * window (after a warm-up), each call timed. The baseline for SQL through `pg` and for argon2.
 */
export async function loopLoad(task: (i: number) => Promise<unknown>, o: LoadOptions): Promise<Sample> {
  const phase = async (seconds: number, record: boolean) => {
    const latencies: number[] = [];
    let failed = 0;
    let i = 0;
    const start = performance.now();
    const end = start + seconds * 1000;
    const loop = async () => {
      while (performance.now() < end) {
        const t = performance.now();
        try {
          await task(i++);
          if (record) latencies.push(performance.now() - t);
        } catch {
          failed++;
        }
      }
    };
    await Promise.all(Array.from({ length: o.connections }, loop));
    return { latencies, failed, seconds: (performance.now() - start) / 1000 };
  };
  if (o.warmupSeconds > 0) await phase(o.warmupSeconds, false);
  const r = await phase(o.seconds, true);
  return { latencies: Float64Array.from(r.latencies), failed: r.failed, seconds: r.seconds };
}
