import { z } from 'zod';

/** 统计分析 of the rectification loop; the definitions are in domain/issue-metrics.ts. */

export const MetricsGroupByLabels = { unit: '责任单位', district: '区县', category: '问题分类', source: '问题来源' } as const;
export type MetricsGroupBy = keyof typeof MetricsGroupByLabels;
export const MetricsGroupByEnum = z.enum(Object.keys(MetricsGroupByLabels) as [MetricsGroupBy, ...MetricsGroupBy[]], { message: '分组方式须为 单位、区县、分类 或 来源' });

/** The metric columns in the order the page and the Excel export show them. */
export const MetricLabels = {
  due: '应结案数',
  closed: '结案数',
  closedRate: '结案率',
  onTime: '按期结案数',
  onTimeRate: '按期结案率',
  rework: '返工数',
  reworkRate: '返工率',
  overdueOpen: '超期未结数',
  relapse: '回潮数',
  meanHours: '平均处置时长（小时）',
  p90Hours: '90%处置时长（小时）',
} as const;
export type MetricKey = keyof typeof MetricLabels;

const DAY_MS = 86_400_000;
const DateStr = (label: string) =>
  z
    .string({ message: `请填写${label}` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${label}格式应为 YYYY-MM-DD`)
    .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), `${label}不是有效日期`);

const span = (v: { from: string; to: string }) => (Date.parse(v.to) - Date.parse(v.from)) / DAY_MS;

/** A period of whole days in Beijing time, both ends included: ?from=2026-11-01&to=2026-11-30. */
const PeriodFields = { from: DateStr('开始日期'), to: DateStr('结束日期') };

export const MetricsQuery = z
  .object({ ...PeriodFields, groupBy: MetricsGroupByEnum.default('unit') })
  .refine((v) => v.from <= v.to, { message: '结束日期不能早于开始日期', path: ['to'] })
  .refine((v) => span(v) <= 366, { message: '统计区间最长一年', path: ['to'] });
export type MetricsQuery = z.infer<typeof MetricsQuery>;

export const MetricsTrendQuery = z
  .object({ ...PeriodFields, by: z.enum(['week', 'month'], { message: '趋势粒度须为 week 或 month' }).default('month') })
  .refine((v) => v.from <= v.to, { message: '结束日期不能早于开始日期', path: ['to'] })
  .refine((v) => span(v) <= (v.by === 'week' ? 7 * 27 : 732), { message: '按周最多 26 周，按月最多 24 个月', path: ['to'] });
export type MetricsTrendQuery = z.infer<typeof MetricsTrendQuery>;

export const MetricValues = z.object({
  due: z.number().int(),
  closed: z.number().int(),
  onTime: z.number().int(),
  rework: z.number().int(),
  overdueOpen: z.number().int(),
  relapse: z.number().int(),
  meanHours: z.number().nullable(),
  p90Hours: z.number().nullable(),
  closedRate: z.number().nullable(),
  onTimeRate: z.number().nullable(),
  reworkRate: z.number().nullable(),
});
export type MetricValues = z.infer<typeof MetricValues>;

export const MetricsRow = MetricValues.extend({ key: z.string(), name: z.string() });
export type MetricsRow = z.infer<typeof MetricsRow>;

export const MetricsReport = z.object({
  from: z.string(),
  to: z.string(),
  groupBy: MetricsGroupByEnum,
  /** the moment 超期未结 is judged at: the period's end, or now for the current period (ISO) */
  asOf: z.string(),
  /** what the actor's scope covers, e.g. 全市 or 文明区 */
  scopeName: z.string(),
  rows: z.array(MetricsRow),
  total: MetricValues,
});
export type MetricsReport = z.infer<typeof MetricsReport>;

export const MetricsTrendPoint = MetricValues.extend({ key: z.string(), label: z.string(), from: z.string(), to: z.string() });
export const MetricsTrend = z.object({ by: z.enum(['week', 'month']), points: z.array(MetricsTrendPoint) });
export type MetricsTrend = z.infer<typeof MetricsTrend>;
