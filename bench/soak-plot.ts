/**
 * Draws a soak result (bench/results/soak.json, written by `npm run soak`) as an SVG chart:
 * memory (RSS, heap used, heap after a full GC, external), event-loop delay (p99 and max per minute),
 * and the load (requests per minute, machine load average).
 *   npm run soak:plot [-- IN.json [OUT.svg]]        default bench/results/soak.json → bench/soak.svg
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

type ServerSample = { rssMB: number; heapUsedMB: number; heapAfterGcMB?: number; externalMB: number; eld: { p50: number; p99: number; max: number } };
type Sample = { minute: number; requests: number; failed: number; loadAverage1m: number | null; dbMB: number | null; server: ServerSample | null };
export type SoakResult = { date: string; config: { minutes: number; users: number; thinkMs: number }; machine: { nproc: number; cpu: string }; totals: { requests: number; failed: number; filed: number }; samples: Sample[] };

type Series = { name: string; color: string; values: (number | null)[]; dashed?: boolean };

const W = 900;
const PANEL_H = 200;
const M = { left: 60, right: 170, top: 30, bottom: 30 };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}

function panel(y0: number, title: string, unit: string, xs: number[], series: Series[]): string {
  const h = PANEL_H - M.top - M.bottom;
  const w = W - M.left - M.right;
  const max = niceMax(Math.max(1, ...series.flatMap((s) => s.values.filter((v): v is number => v !== null))));
  const xMax = Math.max(1, ...xs);
  const X = (x: number) => M.left + (x / xMax) * w;
  const Y = (v: number) => y0 + M.top + h - (v / max) * h;
  const out: string[] = [];
  out.push(`<text x="${M.left}" y="${y0 + 18}" font-size="14" font-weight="bold">${esc(title)}</text>`);
  for (let k = 0; k <= 4; k++) {
    const v = (max * k) / 4;
    out.push(`<line x1="${M.left}" x2="${M.left + w}" y1="${Y(v)}" y2="${Y(v)}" stroke="#ddd"/>`);
    out.push(`<text x="${M.left - 6}" y="${Y(v) + 4}" font-size="11" text-anchor="end">${Number(v.toFixed(1))}</text>`);
  }
  out.push(`<text x="14" y="${y0 + M.top + h / 2}" font-size="11" transform="rotate(-90 14 ${y0 + M.top + h / 2})" text-anchor="middle">${esc(unit)}</text>`);
  const step = xMax > 40 ? 10 : 5;
  for (let x = 0; x <= xMax; x += step) {
    out.push(`<text x="${X(x)}" y="${y0 + M.top + h + 16}" font-size="11" text-anchor="middle">${x}</text>`);
  }
  out.push(`<line x1="${M.left}" x2="${M.left + w}" y1="${Y(0)}" y2="${Y(0)}" stroke="#333"/>`);
  series.forEach((s, i) => {
    const pts = s.values.map((v, k) => (v === null ? null : `${X(xs[k]).toFixed(1)},${Y(v).toFixed(1)}`)).filter(Boolean);
    out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 3"' : ''} points="${pts.join(' ')}"/>`);
    const ly = y0 + M.top + 6 + i * 18;
    out.push(`<line x1="${M.left + w + 12}" x2="${M.left + w + 32}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`);
    out.push(`<text x="${M.left + w + 38}" y="${ly + 4}" font-size="12">${esc(s.name)}</text>`);
  });
  return out.join('\n');
}

export function soakSvg(r: SoakResult): string {
  const rows = r.samples.filter((s) => s.server);
  const xs = rows.map((s) => s.minute);
  const srv = (f: (x: ServerSample) => number | undefined) => rows.map((s) => (s.server ? (f(s.server) ?? null) : null));
  const panels = [
    panel(40, '内存 memory (MB)', 'MB', xs, [
      { name: 'RSS', color: '#c0392b', values: srv((x) => x.rssMB) },
      { name: 'heap used', color: '#2980b9', values: srv((x) => x.heapUsedMB) },
      { name: 'heap after GC', color: '#27ae60', values: srv((x) => x.heapAfterGcMB) },
      { name: 'external', color: '#8e44ad', values: srv((x) => x.externalMB), dashed: true },
    ]),
    panel(40 + PANEL_H, '事件循环延迟 event-loop delay (ms)', 'ms', xs, [
      { name: 'p99', color: '#d35400', values: srv((x) => x.eld.p99) },
      { name: 'p50', color: '#16a085', values: srv((x) => x.eld.p50) },
    ]),
    panel(40 + 2 * PANEL_H, '负载 load', 'req/min, load×100', xs, [
      { name: 'requests / min', color: '#2c3e50', values: rows.map((s) => s.requests) },
      { name: 'load avg 1m ×100', color: '#7f8c8d', values: rows.map((s) => (s.loadAverage1m === null ? null : s.loadAverage1m * 100)), dashed: true },
    ]),
  ];
  const H = 40 + 3 * PANEL_H + 20;
  const title = `soak ${r.date.slice(0, 16).replace('T', ' ')} UTC — ${r.config.minutes} min, ${r.config.users} users, ${r.totals.requests} requests (${r.totals.failed} failed), ${r.totals.filed} issues filed; ${r.machine.nproc} CPU shared`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${M.left}" y="22" font-size="13">${esc(title)}</text>`,
    ...panels,
    `<text x="${M.left + (W - M.left - M.right) / 2}" y="${H - 6}" font-size="11" text-anchor="middle">minute</text>`,
    '</svg>',
    '',
  ].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [input = path.join(ROOT, 'bench', 'results', 'soak.json'), output = path.join(ROOT, 'bench', 'soak.svg')] = process.argv.slice(2);
  const r = JSON.parse(readFileSync(input, 'utf8')) as SoakResult;
  writeFileSync(output, soakSvg(r));
  console.log(`wrote ${path.relative(ROOT, output)}`);
}
