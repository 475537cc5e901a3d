import { Empty, Spin } from 'antd';
import type { MetricsTrend } from '../../../../../contracts/issue-metrics.ts';

type Point = MetricsTrend['points'][number];

const W = 900;
const H = 260;
const PAD = { left: 44, right: 44, top: 24, bottom: 44 };

/**
 * Plain SVG: bars of 应结案 (light) and 结案 (dark) per bucket on the left axis, the 按期结案率 as a
 * line on the right axis (0–100 %). Scales with its container (viewBox); no chart library.
 */
export function TrendChart({ points, loading }: { points: Point[]; loading?: boolean }) {
  if (loading) return <Spin style={{ display: 'block', margin: '40px auto' }} />;
  if (!points.length || points.every((p) => p.due === 0)) return <Empty description="该期间没有应结案的问题" />;
  const max = Math.max(1, ...points.map((p) => p.due));
  const step = niceStep(max);
  const top = Math.ceil(max / step) * step;
  const iw = W - PAD.left - PAD.right;
  const ih = H - PAD.top - PAD.bottom;
  const slot = iw / points.length;
  const bw = Math.min(22, slot / 3);
  const y = (v: number) => PAD.top + ih - (v / top) * ih;
  const yr = (r: number) => PAD.top + ih - r * ih;
  const x = (i: number) => PAD.left + slot * i + slot / 2;
  const line = points
    .map((p, i) => (p.onTimeRate === null ? null : `${x(i)},${yr(p.onTimeRate)}`))
    .filter(Boolean)
    .join(' ');
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
  return (
    // on a narrow screen the chart scrolls: show the latest buckets first
    <div
      ref={(el) => {
        if (el) el.scrollLeft = el.scrollWidth;
      }}
      style={{ width: '100%', overflowX: 'auto' }} data-testid="metrics-trend">
      <svg viewBox={`0 0 ${W} ${H}`} style={{ width: '100%', minWidth: 640, height: 'auto' }} role="img" aria-label="应结案数、结案数与按期结案率趋势">
        {ticks.map((v) => (
          <g key={v}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} stroke="#eee" />
            <text x={PAD.left - 6} y={y(v) + 4} fontSize={11} textAnchor="end" fill="#888">
              {v}
            </text>
          </g>
        ))}
        {[0, 0.5, 1].map((r) => (
          <text key={r} x={W - PAD.right + 6} y={yr(r) + 4} fontSize={11} fill="#c8102e">
            {r * 100}%
          </text>
        ))}
        {points.map((p, i) => (
          <g key={p.key}>
            <title>{`${p.label}：应结案 ${p.due}，结案 ${p.closed}，按期结案率 ${p.onTimeRate === null ? '—' : `${(p.onTimeRate * 100).toFixed(1)}%`}，超期未结 ${p.overdueOpen}`}</title>
            <rect x={x(i) - bw - 1} y={y(p.due)} width={bw} height={Math.max(0, PAD.top + ih - y(p.due))} fill="#9ec5fe" />
            <rect x={x(i) + 1} y={y(p.closed)} width={bw} height={Math.max(0, PAD.top + ih - y(p.closed))} fill="#1d4ed8" />
            <text x={x(i)} y={H - PAD.bottom + 16} fontSize={10} textAnchor="middle" fill="#555">
              {p.label}
            </text>
          </g>
        ))}
        {line && <polyline points={line} fill="none" stroke="#c8102e" strokeWidth={2} />}
        {points.map((p, i) => (p.onTimeRate === null ? null : <circle key={p.key} cx={x(i)} cy={yr(p.onTimeRate)} r={3} fill="#c8102e" />))}
        <g transform={`translate(${PAD.left}, ${H - 12})`} fontSize={12}>
          <rect width={12} height={10} y={-9} fill="#9ec5fe" />
          <text x={16}>应结案</text>
          <rect x={70} width={12} height={10} y={-9} fill="#1d4ed8" />
          <text x={86}>结案</text>
          <line x1={130} x2={150} y1={-4} y2={-4} stroke="#c8102e" strokeWidth={2} />
          <text x={154}>按期结案率</text>
        </g>
      </svg>
    </div>
  );
}


function niceStep(max: number): number {
  const raw = max / 4;
  const mag = 10 ** Math.floor(Math.log10(raw || 1));
  for (const m of [1, 2, 5, 10]) if (m * mag >= raw) return Math.max(1, m * mag);
  return Math.max(1, 10 * mag);
}
