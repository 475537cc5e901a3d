import { DownloadOutlined, InfoCircleOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Grid, Popover, Segmented, Space, Table, Tabs, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { type MetricsGroupBy, MetricsGroupByLabels, type MetricsReport, type MetricsRow, type MetricsTrend, type MetricValues } from '../../../../../contracts/issue-metrics.ts';
import { ApiError, download, get, qs } from '../../../../shared/api.ts';
import { formatDate, PICKER_FORMAT } from '../../../../shared/format.ts';
import { TrendChart } from './TrendChart.tsx';

type Mode = 'month' | 'quarter' | 'custom';

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const hours = (v: number | null) => (v === null ? '—' : v.toFixed(1));
const byNum = (k: keyof MetricValues) => (a: MetricsRow, b: MetricsRow) => ((a[k] as number | null) ?? -1) - ((b[k] as number | null) ?? -1);

/** The period of a month or quarter (whole Beijing days, both ends included). */
function periodOf(mode: Mode, anchor: Dayjs, range: [Dayjs, Dayjs]): { from: string; to: string } {
  if (mode === 'custom') return { from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') };
  if (mode === 'month') return { from: anchor.startOf('month').format('YYYY-MM-DD'), to: anchor.endOf('month').format('YYYY-MM-DD') };
  const q0 = Math.floor(anchor.month() / 3) * 3;
  const start = anchor.month(q0).startOf('month');
  return { from: start.format('YYYY-MM-DD'), to: start.add(2, 'month').endOf('month').format('YYYY-MM-DD') };
}

const DEFINITIONS = (
  <div style={{ maxWidth: 460, lineHeight: 1.8 }}>
    <div>
      <b>应结案数</b>：统计期内处置期限到期且期前未结案的已派遣问题，加上统计期内结案的问题（提前结案的计入结案当期）。
    </div>
    <div>
      <b>结案率</b> = 结案数 ÷ 应结案数；<b>按期结案率</b> = 在期限（含批准的延期）前结案数 ÷ 应结案数。
    </div>
    <div>
      <b>返工率</b> = 核查不通过至少一次的问题数 ÷ 应结案数；<b>回潮数</b>：结案后又重新打开的问题数。
    </div>
    <div>
      <b>超期未结数</b>：到统计期末（当期为此刻）仍未结案且已过期限的问题数。
    </div>
    <div>
      <b>处置时长</b>：从最近一次派遣到结案的小时数，平均值与 90% 分位数。
    </div>
  </div>
);

/**
 * 统计分析: the 数字城管 metrics of a month, quarter or custom period, grouped by unit, district,
 * category or source, sortable, with a weekly or monthly trend and an Excel export. The server
 * limits what is counted to the user's scope (a district its district, a unit its own issues).
 */
export function MetricsPage() {
  const { message } = App.useApp();
  const [sp, setSp] = useSearchParams();
  const mode = (sp.get('mode') as Mode | null) ?? 'month';
  const groupBy = (sp.get('groupBy') as MetricsGroupBy | null) ?? 'unit';
  const anchor = sp.get('at') ? dayjs(sp.get('at')) : dayjs();
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [dayjs().subtract(29, 'day'), dayjs()]);
  const [trendBy, setTrendBy] = useState<'month' | 'week'>('month');
  // on a phone the first columns are not pinned, so the numbers can scroll into view
  const wide = Grid.useBreakpoint().md ?? true;
  const pin = wide ? ('left' as const) : undefined;
  const set = (patch: Record<string, string>) => {
    const next = new URLSearchParams(sp);
    for (const [k, v] of Object.entries(patch)) next.set(k, v);
    setSp(next, { replace: true });
  };
  const period = periodOf(mode, anchor, range);

  const report = useQuery({
    queryKey: ['issue-metrics', period.from, period.to, groupBy],
    queryFn: () => get<MetricsReport>(`/api/issue-metrics${qs({ ...period, groupBy })}`),
  });
  const trendRange = useMemo(() => {
    const end = dayjs(period.to);
    const from = trendBy === 'month' ? end.subtract(11, 'month').startOf('month') : end.subtract(11, 'week');
    return { from: from.format('YYYY-MM-DD'), to: end.format('YYYY-MM-DD') };
  }, [period.to, trendBy]);
  const trend = useQuery({
    queryKey: ['issue-metrics-trend', trendRange.from, trendRange.to, trendBy],
    queryFn: () => get<MetricsTrend>(`/api/issue-metrics/trend${qs({ ...trendRange, by: trendBy })}`),
  });

  const exportXlsx = async () => {
    try {
      await download(`/api/issue-metrics/export${qs({ ...period, groupBy })}`, '问题整改统计.xlsx');
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '导出失败');
    }
  };

  const columns: ColumnsType<MetricsRow> = [
    { title: '序号', key: 'n', width: 60, fixed: pin, render: (_: unknown, __: MetricsRow, i: number) => i + 1 },
    { title: MetricsGroupByLabels[groupBy], dataIndex: 'name', width: wide ? 200 : 130, fixed: pin, sorter: (a, b) => a.name.localeCompare(b.name, 'zh-CN') },
    { title: '应结案', dataIndex: 'due', width: 90, align: 'right', sorter: byNum('due'), defaultSortOrder: 'descend' },
    { title: '结案', dataIndex: 'closed', width: 80, align: 'right', sorter: byNum('closed') },
    { title: '结案率', dataIndex: 'closedRate', width: 90, align: 'right', sorter: byNum('closedRate'), render: pct },
    { title: '按期结案', dataIndex: 'onTime', width: 90, align: 'right', sorter: byNum('onTime') },
    {
      title: '按期结案率',
      dataIndex: 'onTimeRate',
      width: 110,
      align: 'right',
      sorter: byNum('onTimeRate'),
      render: (v: number | null) => <span style={{ color: v !== null && v < 0.85 ? '#c8102e' : undefined, fontWeight: 600 }}>{pct(v)}</span>,
    },
    { title: '返工率', dataIndex: 'reworkRate', width: 90, align: 'right', sorter: byNum('reworkRate'), render: pct },
    { title: '超期未结', dataIndex: 'overdueOpen', width: 100, align: 'right', sorter: byNum('overdueOpen'), render: (v: number) => (v ? <Tag color="red">{v}</Tag> : 0) },
    { title: '回潮', dataIndex: 'relapse', width: 70, align: 'right', sorter: byNum('relapse') },
    { title: '平均处置时长(时)', dataIndex: 'meanHours', width: 140, align: 'right', sorter: byNum('meanHours'), render: hours },
    { title: '90%处置时长(时)', dataIndex: 'p90Hours', width: 140, align: 'right', sorter: byNum('p90Hours'), render: hours },
  ];
  const t = report.data?.total;

  return (
    <div data-testid="metrics-page">
      <div style={{ display: 'flex', justifyContent: 'space-between', flexWrap: 'wrap', gap: 8, alignItems: 'center' }}>
        <h1 className="cw-page-title">
          统计分析{' '}
          <Popover content={DEFINITIONS} title="统计口径（数字城管）">
            <InfoCircleOutlined style={{ fontSize: 16, color: '#888' }} />
          </Popover>
        </h1>
        <Space wrap>
          <Segmented<Mode>
            value={mode}
            onChange={(v) => set({ mode: v })}
            options={[
              { value: 'month', label: '按月' },
              { value: 'quarter', label: '按季度' },
              { value: 'custom', label: '自定义' },
            ]}
            data-testid="metrics-mode"
          />
          {mode === 'custom' ? (
            <DatePicker.RangePicker value={range} allowClear={false} onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])} />
          ) : (
            <DatePicker
              picker={mode}
              value={anchor}
              allowClear={false}
              format={mode === 'month' ? PICKER_FORMAT.month : PICKER_FORMAT.quarter}
              onChange={(v) => v && set({ at: v.format('YYYY-MM-DD') })}
              data-testid="metrics-period"
            />
          )}
          <Button icon={<DownloadOutlined />} onClick={exportXlsx} data-testid="metrics-export">
            导出 Excel
          </Button>
        </Space>
      </div>
      <div className="cw-metrics-cards" style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(150px, 1fr))', gap: 12, marginBottom: 16 }} data-testid="metrics-total">
        {[
          ['应结案数', t ? String(t.due) : '—'],
          ['结案率', t ? pct(t.closedRate) : '—'],
          ['按期结案率', t ? pct(t.onTimeRate) : '—'],
          ['返工率', t ? pct(t.reworkRate) : '—'],
          ['超期未结', t ? String(t.overdueOpen) : '—'],
          ['平均处置时长', t ? `${hours(t.meanHours)} 小时` : '—'],
        ].map(([label, value]) => (
          <Card size="small" key={label}>
            <div style={{ color: '#888', fontSize: 13 }}>{label}</div>
            <div style={{ fontSize: 24, fontWeight: 600 }}>{value}</div>
          </Card>
        ))}
      </div>
      <Card size="small" title={report.data ? `${report.data.scopeName}　${formatDate(period.from)} 至 ${formatDate(period.to)}` : `${formatDate(period.from)} 至 ${formatDate(period.to)}`}>
        <Tabs
          activeKey={groupBy}
          onChange={(k) => set({ groupBy: k })}
          items={(Object.keys(MetricsGroupByLabels) as MetricsGroupBy[]).map((k) => ({ key: k, label: <span data-testid={`metrics-tab-${k}`}>按{MetricsGroupByLabels[k]}</span> }))}
        />
        <Table<MetricsRow>
          rowKey={(r) => r.key || r.name}
          size="small"
          loading={report.isLoading}
          dataSource={report.data?.rows ?? []}
          columns={columns}
          scroll={{ x: 1300 }}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          locale={{ emptyText: '该期间没有应结案的问题' }}
          data-testid="metrics-table"
          summary={() =>
            t ? (
              <Table.Summary fixed>
                <Table.Summary.Row style={{ fontWeight: 600, background: '#fafafa' }}>
                  <Table.Summary.Cell index={0} />
                  <Table.Summary.Cell index={1}>合计</Table.Summary.Cell>
                  <Table.Summary.Cell index={2} align="right">{t.due}</Table.Summary.Cell>
                  <Table.Summary.Cell index={3} align="right">{t.closed}</Table.Summary.Cell>
                  <Table.Summary.Cell index={4} align="right">{pct(t.closedRate)}</Table.Summary.Cell>
                  <Table.Summary.Cell index={5} align="right">{t.onTime}</Table.Summary.Cell>
                  <Table.Summary.Cell index={6} align="right">{pct(t.onTimeRate)}</Table.Summary.Cell>
                  <Table.Summary.Cell index={7} align="right">{pct(t.reworkRate)}</Table.Summary.Cell>
                  <Table.Summary.Cell index={8} align="right">{t.overdueOpen}</Table.Summary.Cell>
                  <Table.Summary.Cell index={9} align="right">{t.relapse}</Table.Summary.Cell>
                  <Table.Summary.Cell index={10} align="right">{hours(t.meanHours)}</Table.Summary.Cell>
                  <Table.Summary.Cell index={11} align="right">{hours(t.p90Hours)}</Table.Summary.Cell>
                </Table.Summary.Row>
              </Table.Summary>
            ) : null
          }
        />
      </Card>
      <Card
        size="small"
        style={{ marginTop: 16 }}
        title="趋势"
        extra={
          <Segmented<'month' | 'week'>
            size="small"
            value={trendBy}
            onChange={setTrendBy}
            options={[
              { value: 'month', label: '近12个月' },
              { value: 'week', label: '近12周' },
            ]}
            data-testid="metrics-trend-by"
          />
        }
      >
        <TrendChart points={trend.data?.points ?? []} loading={trend.isLoading} />
      </Card>
    </div>
  );
}
