// Runs autocannon in a worker thread so that the load generator does not share the event loop
// of the server it measures. Plain JS: worker threads do not inherit tsx's loader.
import { parentPort, workerData } from 'node:worker_threads';
import autocannon from 'autocannon';

/** @param {{ url: string, connections: number, seconds: number, requests: object[], record: boolean }} o */
function run(o) {
  return new Promise((resolve, reject) => {
    const latencies = [];
    const statuses = {};
    const instance = autocannon(
      { url: o.url, connections: o.connections, duration: o.seconds, requests: o.requests, timeout: 30 },
      (err, result) => (err ? reject(err) : resolve({ result, latencies, statuses })),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
      if (o.record && statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}

const o = workerData;
try {
  if (o.warmupSeconds > 0) await run({ ...o, seconds: o.warmupSeconds, record: false });
  const { result, latencies, statuses } = await run({ ...o, seconds: o.seconds, record: true });
  parentPort.postMessage({
    ok: true,
    seconds: result.duration,
    latencies: Float64Array.from(latencies),
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
  });
} catch (e) {
  parentPort.postMessage({ ok: false, error: String(e?.stack ?? e) });
}
