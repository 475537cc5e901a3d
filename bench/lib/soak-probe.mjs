/**
 * Preloaded into the server process by `npm run soak` (node --import): every SOAK_SAMPLE_MS it appends
 * one JSON line to SOAK_PROBE_FILE with the process's memory and the event-loop delay of the interval
 * (perf_hooks.monitorEventLoopDelay, reset after each sample). With --expose-gc it also records the
 * heap after a full collection, which is what a leak would grow
 * (the reset comes after it, so the forced collection's pause is not counted as load).
 */
import { appendFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.SOAK_PROBE_FILE;
const every = Number(process.env.SOAK_SAMPLE_MS ?? 60_000);
if (file) {
  const eld = monitorEventLoopDelay({ resolution: 10 });
  eld.enable();
  const started = Date.now();
  let n = 0;
  const ms = (ns) => Math.round((ns / 1e6) * 100) / 100;
  const mb = (b) => Math.round((b / 2 ** 20) * 10) / 10;
  const sample = () => {
    const m = process.memoryUsage();
    const row = {
      n: n++,
      at: new Date().toISOString(),
      t: Math.round((Date.now() - started) / 1000),
      rssMB: mb(m.rss),
      heapUsedMB: mb(m.heapUsed),
      heapTotalMB: mb(m.heapTotal),
      externalMB: mb(m.external),
      arrayBuffersMB: mb(m.arrayBuffers),
      eld: { p50: ms(eld.percentile(50)), p99: ms(eld.percentile(99)), max: ms(eld.max), mean: ms(eld.mean) },
    };
    if (typeof globalThis.gc === 'function') {
      globalThis.gc();
      row.heapAfterGcMB = mb(process.memoryUsage().heapUsed);
      row.rssAfterGcMB = mb(process.memoryUsage().rss);
    }
    // after the collection, so its pause does not count in the next minute's delay
    eld.reset();
    appendFileSync(file, JSON.stringify(row) + '\n');
  };
  setInterval(sample, every).unref();
}
