import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { farRowWorkbook, largeWorkbook, zipBombWorkbook } from '../server/lib/xlsx-bombs.fixtures.ts';
import { DEMO_PASSWORD, type Running, startServer } from './support.ts';

/**
 * Issue #15 item 3 against the real server process: hostile and oversized workbooks uploaded to
 * the importers are refused with 413 and a Chinese message, while /healthz keeps answering within
 * 1 s and the process's peak RSS stays bounded: VmHWM (reset before each upload through
 * clear_refs) minus VmRSS before the upload, from /proc/<pid>/status.
 */
const MB = 1024 * 1024;

function memMb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : Number.NaN;
}
function resetPeak(pid: number) {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

describe('Excel bombs over HTTP: refused quickly, the server stays responsive', () => {
  let server: Running;
  let cookie: string;
  let csrf: string;
  let systemId: string;
  const measured: Record<string, { status: number; ms: number; healthMaxMs: number; healthChecks: number; rssBeforeMb: number; peakRssMb: number; sizeMb: number }> = {};

  beforeAll(async () => {
    server = await startServer();
    const res = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: DEMO_PASSWORD }) });
    cookie = (res.headers.get('set-cookie') ?? '').match(/cw_sid=[^;]+/)![0];
    csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
    const systems = (await (await fetch(`${server.url}/api/indicator-systems`, { headers: { cookie } })).json()) as { id: string }[];
    systemId = systems[0].id;
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    console.log('Excel bombs, measured on the server process:', JSON.stringify(measured, null, 2));
  });

  /** Uploads while a second client asks /healthz back to back; returns the answer and the slowest health check. */
  async function upload(name: string, url: string, buffer: Buffer) {
    resetPeak(server.pid);
    const rssBefore = memMb(server.pid, 'VmRSS');
    let done = false;
    const latencies: number[] = [];
    const health = (async () => {
      while (!done) {
        const t0 = performance.now();
        const r = await fetch(`${server.url}/healthz`);
        await r.text();
        latencies.push(performance.now() - t0);
        await new Promise((res) => setTimeout(res, 50));
      }
    })();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(buffer)]), `${name}.xlsx`);
    const t0 = performance.now();
    const res = await fetch(`${server.url}${url}`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf }, body: form });
    const body = (await res.json()) as { error?: { code: string; message: string } };
    const ms = performance.now() - t0;
    // keep probing a moment after the answer: work left behind would show here
    await new Promise((r) => setTimeout(r, 300));
    done = true;
    await health;
    measured[name] = {
      status: res.status,
      ms: Math.round(ms),
      healthMaxMs: Math.round(Math.max(...latencies)),
      healthChecks: latencies.length,
      rssBeforeMb: rssBefore,
      peakRssMb: memMb(server.pid, 'VmHWM'),
      sizeMb: Math.round((buffer.length / MB) * 10) / 10,
    };
    return { status: res.status, body, healthMax: Math.max(...latencies), growth: measured[name].peakRssMb - rssBefore };
  }

  it('a zip bomb (300 MB of cells in a few MB) is refused from its directory', async () => {
    const bomb = await zipBombWorkbook(300);
    const r = await upload('zip-bomb-300mb', '/api/org/import/points/preview', bomb);
    expect(r.status).toBe(413);
    expect(r.body.error?.message).toContain('文件解压后过大');
    expect(r.healthMax).toBeLessThan(1000);
    expect(r.growth).toBeLessThan(150);
  }, 120_000);

  it('a bomb whose directory lies is caught while inflating', async () => {
    const liar = await zipBombWorkbook(300, { lie: true });
    const r = await upload('zip-bomb-lying', '/api/indicator-systems/' + systemId + '/task-import/preview', liar);
    expect(r.status).toBe(413);
    expect(r.body.error?.message).toContain('实际解压大小超过声明');
    expect(r.healthMax).toBeLessThan(1000);
    expect(r.growth).toBeLessThan(150);
  }, 120_000);

  it('an ~18 MB workbook of 90,000 rows is refused at the row cap while reading', async () => {
    const { buffer, rows } = await largeWorkbook(18);
    expect(buffer.length).toBeGreaterThan(16 * MB);
    expect(buffer.length).toBeLessThan(20 * MB);
    expect(rows).toBeGreaterThan(50_000);
    const r = await upload('large-18mb', '/api/org/import/points/preview', buffer);
    expect(r.status).toBe(413);
    expect(r.body.error?.message).toBe('数据行过多：最多 20000 行，请分批导入');
    expect(r.healthMax).toBeLessThan(1000);
    expect(r.growth).toBeLessThan(400);
    const t = await upload('large-18mb-tasks', '/api/indicator-systems/' + systemId + '/task-import/preview', buffer);
    expect(t.status).toBe(413);
    expect(t.healthMax).toBeLessThan(1000);
  }, 180_000);

  it('a sparse row a million rows down is refused', async () => {
    const r = await upload('far-row', '/api/org/import/points/preview', await farRowWorkbook());
    expect(r.status).toBe(413);
    expect(r.body.error?.message).toContain('数据行过多');
  }, 60_000);
});
