import { formatDate, formatDateTime } from '../../../domain/cn-date.ts';
import { IssueSourceLabels } from '../../../contracts/issues.ts';
import {
  MetricLabels,
  type MetricKey,
  MetricsGroupByLabels,
  type MetricsQuery,
  type MetricsReport,
  type MetricsRow,
  type MetricsTrend,
  type MetricsTrendQuery,
} from '../../../contracts/issue-metrics.ts';
import { dayPeriod, type Metrics, trendBuckets, withRates } from '../../../domain/issue-metrics.ts';
import type { Deps } from '../../deps.ts';
import type { Actor, RequestContext } from '../../http/actor.ts';
import { requirePermission, scopeFor } from '../../http/policy.ts';
import { writeWorkbook } from '../../lib/excel.ts';
import { getUnitRow } from '../org/index.ts';
import * as repo from './metrics.repo.ts';

type MetricsDeps = Pick<Deps, 'db'>;

/**
 * 统计分析: who may see it (issues.stats) and over what. A district admin sees the issues of its
 * district and those dispatched to units under it; a unit contact the issues dispatched to its
 * unit (or lying in it); the city and city-wide readers (督查员) everything.
 */
function metricsScope(actor: Actor): repo.MetricsScope {
  requirePermission(actor, 'issues.stats', '无权查看问题统计分析');
  const s = scopeFor(actor, 'read');
  return s.isAll ? { isAll: true } : { isAll: false, rootPath: s.rootPath };
}

async function scopeName(deps: MetricsDeps, actor: Actor, scope: repo.MetricsScope): Promise<string> {
  if (scope.isAll) return '全市';
  return (await getUnitRow(deps.db, actor.unitId))?.name ?? '本单位';
}

async function namesFor(deps: MetricsDeps, groupBy: MetricsQuery['groupBy'], keys: (string | null)[]): Promise<(key: string | null) => string> {
  switch (groupBy) {
    case 'source':
      return (k) => (k && k in IssueSourceLabels ? IssueSourceLabels[k as keyof typeof IssueSourceLabels] : (k ?? '（未知来源）'));
    case 'category': {
      const names = await repo.categoryNames(deps.db);
      return (k) => (k ? (names.get(k) ?? '（已删除的分类）') : '（无分类）');
    }
    default: {
      const names = await repo.unitNames(
        deps.db,
        keys.filter((k): k is string => !!k),
      );
      const none = groupBy === 'district' ? '（市级区域）' : '（未指定单位）';
      return (k) => (k ? (names.get(k) ?? none) : none);
    }
  }
}

/** The metrics of a period grouped as asked, rows by 应结案数 descending. */
export async function getMetrics(deps: MetricsDeps, ctx: RequestContext, q: MetricsQuery, now = new Date()): Promise<MetricsReport> {
  const scope = metricsScope(ctx.actor);
  const period = dayPeriod(q.from, q.to);
  const result = await repo.unitMetrics(deps.db, { ...period, now, groupBy: q.groupBy, scope });
  const name = await namesFor(
    deps,
    q.groupBy,
    result.rows.map((r) => r.key),
  );
  const rows: MetricsRow[] = result.rows
    .map((r) => ({ key: r.key ?? '', name: name(r.key), ...withRates(r.counts) }))
    .sort((a, b) => b.due - a.due || a.name.localeCompare(b.name, 'zh-CN'));
  return { from: q.from, to: q.to, groupBy: q.groupBy, asOf: result.asOf.toISOString(), scopeName: await scopeName(deps, ctx.actor, scope), rows, total: withRates(result.total) };
}

/** Trend buckets computed at once: about twice as fast on 2 cores, and the pool keeps connections for other requests. */
const TREND_PARALLEL = 3;

/** The totals per week or month over the range: one aggregate per bucket, up to TREND_PARALLEL at a time. */
export async function getTrend(deps: MetricsDeps, ctx: RequestContext, q: MetricsTrendQuery, now = new Date()): Promise<MetricsTrend> {
  const scope = metricsScope(ctx.actor);
  const buckets = trendBuckets(q.from, q.to, q.by);
  const totals: Metrics[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < buckets.length; i = next++) {
      totals[i] = withRates((await repo.unitMetrics(deps.db, { ...buckets[i].period, now, groupBy: 'none', scope })).total);
    }
  };
  await Promise.all(Array.from({ length: Math.min(TREND_PARALLEL, buckets.length) }, worker));
  const points = buckets.map((b, i) => ({ key: b.key, label: b.label, from: b.period.from.toISOString(), to: b.period.to.toISOString(), ...totals[i] }));
  return { by: q.by, points };
}

const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);
const RATE_KEYS: MetricKey[] = ['closedRate', 'onTimeRate', 'reworkRate'];
const METRIC_KEYS = Object.keys(MetricLabels) as MetricKey[];

const cellsOf = (m: Metrics): (number | null)[] => METRIC_KEYS.map((k) => (RATE_KEYS.includes(k) ? pct(m[k]) : m[k]));

/** The grouping as an Excel sheet (rates in per cent), plus a sheet with the definitions. */
export async function exportMetrics(deps: MetricsDeps, ctx: RequestContext, q: MetricsQuery): Promise<{ buffer: Buffer; fileName: string }> {
  const report = await getMetrics(deps, ctx, q);
  const groupLabel = MetricsGroupByLabels[q.groupBy];
  const headers = METRIC_KEYS.map((k) => (RATE_KEYS.includes(k) ? `${MetricLabels[k]}（%）` : MetricLabels[k]));
  const buffer = await writeWorkbook([
    {
      name: `按${groupLabel}`,
      columns: [{ header: '序号', width: 6 }, { header: groupLabel, width: 28 }, ...headers.map((h) => ({ header: h, width: Math.max(12, h.length * 2 + 2) }))],
      rows: [...report.rows.map((r, i) => [i + 1, r.name, ...cellsOf(r)]), [null, '合计', ...cellsOf(report.total)]],
    },
    {
      name: '口径说明',
      columns: [
        { header: '项目', width: 22 },
        { header: '说明', width: 100 },
      ],
      rows: [
        ['统计范围', `${report.scopeName}，${formatDate(q.from)} 至 ${formatDate(q.to)}（北京时间，含首尾两日）`],
        ['应结案数', '统计期内处置期限到期且期前未结案的已派遣问题，加上统计期内结案的问题（提前结案的计入结案当期）；不含待立案、不予立案、已合并、回退待重新派遣的问题'],
        ['结案数 / 结案率', '统计期内结案的问题数；结案率 = 结案数 ÷ 应结案数'],
        ['按期结案数 / 按期结案率', '统计期内在处置期限（含批准延期后的期限）之前结案的问题数；按期结案率 = 按期结案数 ÷ 应结案数'],
        ['返工数 / 返工率', '应结案问题中核查不通过至少一次的问题数；返工率 = 返工数 ÷ 应结案数'],
        ['超期未结数', '应结案问题中到统计期末（当期为当前时刻）仍未结案且已过处置期限的问题数'],
        ['回潮数', '应结案问题中结案后又被重新打开（回潮）至少一次的问题数'],
        ['处置时长', '统计期内结案的问题从最近一次派遣到结案的小时数；平均值与第90百分位数'],
        ['生成时间', formatDateTime(new Date())],
      ],
    },
  ]);
  return { buffer, fileName: `问题整改统计_按${groupLabel}_${q.from}_${q.to}.xlsx` };
}
