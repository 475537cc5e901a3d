import { describe, expect, it } from 'vitest';
import { type SoakResult, soakSvg } from './soak-plot.ts';

describe('soak chart', () => {
  it('draws memory, event-loop delay and load as polylines with one point per sampled minute', () => {
    const sample = (minute: number, rssMB: number) => ({
      minute,
      requests: 100 * minute,
      failed: 0,
      loadAverage1m: 1.5,
      dbMB: 60,
      server: { rssMB, heapUsedMB: 80, heapAfterGcMB: 70, externalMB: 200, eld: { p50: 10, p99: 40 + minute, max: 90 } },
    });
    const r: SoakResult = {
      date: '2026-12-03T10:09:00.000Z',
      config: { minutes: 3, users: 4, thinkMs: 100 },
      machine: { nproc: 2, cpu: 'x' },
      totals: { requests: 600, failed: 0, filed: 10 },
      samples: [sample(1, 500), sample(2, 510), sample(3, 505), { ...sample(4, 0), server: null }],
    };
    const svg = soakSvg(r);
    expect(svg.startsWith('<svg')).toBe(true);
    const lines = [...svg.matchAll(/<polyline[^>]*points="([^"]*)"/g)].map((m) => m[1].split(' ').length);
    // RSS, heap used, heap after GC, external; p99, p50; requests, load
    expect(lines).toEqual([3, 3, 3, 3, 3, 3, 3, 3]);
    expect(svg).toContain('4 users, 600 requests (0 failed), 10 issues filed');
  });
});
