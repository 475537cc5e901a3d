import { DownloadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Descriptions, InputNumber, Modal, Progress, Row, Segmented, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useParams } from 'react-router';
import { AgeBands, DuplicateLayers, Identities, type RateResult, type Round, type RoundResults, RoundStatus } from '../../../../contracts/surveys.ts';
import { ApiError, download, get, post } from '../../../shared/api.ts';
import { formatDate } from '../../../shared/format.ts';
import { useMe } from '../../../shared/session.ts';
import { Chart, codeLabel, exclusionsText, pct } from './kit.tsx';

const LAYER_LABEL: Record<string, string> = { ...DuplicateLayers, quota: '配额已满', speeder: '答题过快（标记）', network: '同一网络地址（标记）' };
const MODE_LABEL: Record<string, string> = { public: '公开链接', token: '邀请码', enumerator_household: '调查员入户', enumerator_street: '调查员街访' };

export function RoundPage() {
  const { id } = useParams();
  const me = useMe();
  const canManage = !!me.data?.permissions.includes('surveys.manage');
  const qc = useQueryClient();
  const { message } = App.useApp();
  const round = useQuery({ queryKey: ['surveys', 'round', id], queryFn: () => get<Round>(`/api/surveys/rounds/${id}`), refetchInterval: 5000 });
  const results = useQuery({ queryKey: ['surveys', 'results', id], queryFn: () => get<RoundResults>(`/api/surveys/rounds/${id}/results`), refetchInterval: 15_000 });
  const [tokens, setTokens] = useState<{ token: string; label: string }[] | null>(null);
  const [tokenCount, setTokenCount] = useState(20);
  const [weighted, setWeighted] = useState<'unweighted' | 'weighted'>('unweighted');
  if (!round.data) return <Card loading />;
  const r = round.data;
  const link = `${location.origin}/s/${r.slug}`;
  const act = async (action: 'open' | 'close') => {
    try {
      await post(`/api/surveys/rounds/${r.id}/${action}`, { version: r.version });
      message.success(action === 'open' ? '调查已开始' : '调查已结束');
      await qc.invalidateQueries({ queryKey: ['surveys'] });
    } catch (e) {
      message.error((e as ApiError).message);
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card
        title={
          <Space>
            {r.name}
            <Tag color={r.status === 'open' ? 'green' : r.status === 'closed' ? 'blue' : 'default'}>{RoundStatus[r.status]}</Tag>
          </Space>
        }
        extra={
          <Space>
            {canManage && r.status === 'draft' && (
              <Button type="primary" onClick={() => void act('open')} data-testid="open-round">
                开始调查
              </Button>
            )}
            {canManage && r.status === 'open' && <Button onClick={() => void act('close')}>结束调查</Button>}
            <Button icon={<DownloadOutlined />} onClick={() => void download(`/api/surveys/rounds/${r.id}/results.xlsx`, '调查结果.xlsx')}>
              导出 Excel
            </Button>
          </Space>
        }
      >
        <Row gutter={16}>
          <Col span={16}>
            <Descriptions size="small" column={2}>
              <Descriptions.Item label="问卷">
                {r.questionnaireName}（第 {r.versionNumber} 版）
              </Descriptions.Item>
              <Descriptions.Item label="期间">
                {formatDate(r.startsAt)} — {formatDate(r.endsAt)}
              </Descriptions.Item>
              <Descriptions.Item label="公开链接">
                <Typography.Text copyable data-testid="public-link">
                  {link}
                </Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label="调查员代填">
                <Typography.Text copyable>{`${link}?surveyor=1`}</Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label="防重复">
                {[r.layers.token && '邀请码', r.layers.phone && '手机验证码', r.layers.idNumber && '身份证号', r.layers.device && '设备标识', r.layers.networkFlagAbove !== null && `网络地址（超过 ${r.layers.networkFlagAbove} 份标记）`].filter(Boolean).join('、') || '无'}
              </Descriptions.Item>
              <Descriptions.Item label="满额时">{r.overQuota === 'refuse' ? '礼貌谢绝' : '接收并标注超配额'}</Descriptions.Item>
              <Descriptions.Item label="邀请码">
                已发 {r.tokens}，已用 {r.tokensUsed}
                {canManage && r.modes.includes('token') && r.status !== 'closed' && (
                  <Space style={{ marginLeft: 8 }}>
                    <InputNumber size="small" min={1} max={5000} value={tokenCount} onChange={(v) => setTokenCount(v ?? 1)} />
                    <Button
                      size="small"
                      data-testid="issue-tokens"
                      onClick={async () => {
                        try {
                          setTokens(await post(`/api/surveys/rounds/${r.id}/tokens`, { count: tokenCount }));
                          void qc.invalidateQueries({ queryKey: ['surveys', 'round', id] });
                        } catch (e) {
                          message.error((e as ApiError).message);
                        }
                      }}
                    >
                      生成并打印
                    </Button>
                  </Space>
                )}
              </Descriptions.Item>
            </Descriptions>
          </Col>
          <Col span={8} style={{ textAlign: 'center' }}>
            <img src={`/api/surveys/rounds/${r.id}/qr.svg`} alt="问卷二维码" style={{ width: 140, height: 140 }} data-testid="round-qr" />
            <div style={{ color: '#888', fontSize: 12 }}>扫码填写（海报、微信群）</div>
          </Col>
        </Row>
      </Card>

      <Card title="样本类别与配额（实时）" size="small">
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={r.strata}
          columns={[
            { title: '类别', dataIndex: 'label' },
            { title: '条件', render: (_, s) => [s.areaName, s.ageBand && AgeBands[s.ageBand as keyof typeof AgeBands], s.identity && Identities[s.identity as keyof typeof Identities]].filter(Boolean).join(' · ') || '—' },
            { title: '人口', dataIndex: 'population', render: (p: number | null) => p?.toLocaleString('zh-CN') ?? '未录入' },
            { title: '完成/配额', width: 260, render: (_, s) => (s.quota ? <Progress percent={Math.round((s.filled / s.quota) * 100)} size="small" format={() => `${s.filled}/${s.quota}`} /> : `${s.filled}（不限）`) },
            { title: '超配额', dataIndex: 'overQuota', width: 80 },
          ]}
        />
      </Card>

      {results.data && <Results res={results.data} round={r} weighted={weighted} setWeighted={setWeighted} />}
      {results.data && <Trend questionnaireId={r.questionnaireId} />}

      <Modal open={!!tokens} title={`入户邀请码（${tokens?.length ?? 0} 个，仅显示这一次）`} onCancel={() => setTokens(null)} footer={<Button onClick={() => window.print()}>打印</Button>} width={720}>
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(3, 1fr)', gap: 8 }} data-testid="token-list">
          {tokens?.map((t) => (
            <div key={t.token} style={{ border: '1px dashed #bbb', padding: 8, borderRadius: 6 }}>
              <div style={{ color: '#888', fontSize: 12 }}>{t.label}</div>
              <div style={{ fontFamily: 'monospace', fontSize: 18, letterSpacing: 2 }}>{t.token}</div>
              <div style={{ fontSize: 11, color: '#888', wordBreak: 'break-all' }}>{`${link}?t=${t.token}`}</div>
            </div>
          ))}
        </div>
      </Modal>
    </Space>
  );
}

function Results({ res, round, weighted, setWeighted }: { res: RoundResults; round: Round; weighted: 'unweighted' | 'weighted'; setWeighted(v: 'unweighted' | 'weighted'): void }) {
  const [focus, setFocus] = useState<string | null>(null);
  const rate = res.rates.find((x) => x.id === focus) ?? res.rates[0];
  return (
    <>
      <Card title={`结果（${res.responses} 份答卷${res.overQuota ? `，其中超配额 ${res.overQuota} 份` : ''}）`} size="small" extra={<Segmented value={weighted} onChange={(v) => setWeighted(v as 'unweighted')} options={[{ value: 'unweighted', label: '未加权' }, { value: 'weighted', label: '按人口加权' }]} />}>
        <Row gutter={[12, 12]}>
          {res.rates.map((x) => (
            <Col key={x.id} xs={24} md={12} xl={6}>
              <RateCard rate={x} weighted={weighted === 'weighted'} active={x.id === rate?.id} onClick={() => setFocus(x.id)} />
            </Col>
          ))}
        </Row>
        <Alert
          style={{ marginTop: 12 }}
          type="info"
          showIcon
          title={
            <span data-testid="layer-counts">
              防重复：启用 {res.activeLayers.map((l) => LAYER_LABEL[l] ?? l).join('、') || '无'}；拒绝 {Object.entries(res.refused).map(([k, v]) => `${LAYER_LABEL[k] ?? k} ${v} 次`).join('，') || '0 次'}；标记{' '}
              {Object.entries(res.flagged).map(([k, v]) => `${LAYER_LABEL[k] ?? k} ${v} 份`).join('，') || '0 份'}。方式：{Object.entries(res.byMode).map(([k, v]) => `${MODE_LABEL[k] ?? k} ${v}`).join('，') || '—'}
            </span>
          }
        />
      </Card>
      {rate && <StratumDrill rate={rate} round={round} />}
    </>
  );
}

function RateCard({ rate, weighted, active, onClick }: { rate: RateResult; weighted: boolean; active: boolean; onClick(): void }) {
  const o = rate.overall;
  const shown = weighted && rate.weighted ? rate.weighted.rate : o.rate;
  const hit = rate.target !== null && shown !== null && shown >= rate.target;
  return (
    <Card size="small" hoverable onClick={onClick} style={{ borderColor: active ? '#c8102e' : undefined }} data-testid={`rate-${rate.id}`}>
      <Statistic title={rate.name} value={pct(shown)} valueStyle={{ color: rate.target === null ? undefined : hit ? '#389e0d' : '#d4380d' }} />
      <div style={{ fontSize: 12, color: '#555', lineHeight: 1.7 }}>
        <div>
          n = {o.denominator}（分子 {o.numerator}）{rate.target !== null && ` · 目标 ${pct(rate.target, 0)}`}
        </div>
        <div>95% 置信区间 {o.interval ? `${pct(o.interval.low)}–${pct(o.interval.high)}` : '—'}</div>
        <div>
          加权 {rate.weighted ? pct(rate.weighted.rate) : '未录入人口'} · 未加权 {pct(o.rate)}
        </div>
        <div>排除：{exclusionsText(o.exclusions)}</div>
        <div style={{ color: '#999' }}>
          分子代码 {rate.numeratorCodes.map(codeLabel).join('、')}；排除代码 {rate.excludedCodes.map(codeLabel).join('、') || '无'}
        </div>
      </div>
    </Card>
  );
}

function StratumDrill({ rate, round }: { rate: RateResult; round: Round }) {
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 48, right: 16, top: 30, bottom: 60 },
      xAxis: { type: 'category', data: rate.byStratum.map((s) => s.label), axisLabel: { interval: 0, rotate: rate.byStratum.length > 6 ? 30 : 0 } },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      series: [
        {
          name: rate.name,
          type: 'bar',
          data: rate.byStratum.map((s) => (s.figure.rate === null ? null : Number((s.figure.rate * 100).toFixed(1)))),
          itemStyle: { color: '#c8102e' },
          label: { show: true, position: 'top', formatter: '{c}%' },
          markLine: rate.target !== null ? { symbol: 'none', data: [{ yAxis: rate.target * 100, name: '目标' }], lineStyle: { color: '#389e0d', type: 'dashed' }, label: { position: 'insideEndTop', formatter: `目标 ${pct(rate.target, 0)}` } } : undefined,
        },
        {
          name: '95% 置信区间',
          type: 'custom',
          renderItem: (_: unknown, api: { value(i: number): number; coord(v: number[]): number[]; style(): object }) => {
            const x = api.value(0);
            const lo = api.coord([x, api.value(1)]);
            const hi = api.coord([x, api.value(2)]);
            return { type: 'group', children: [{ type: 'line', shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] }, style: { stroke: '#333', lineWidth: 1.5 } }, { type: 'line', shape: { x1: lo[0] - 6, y1: lo[1], x2: lo[0] + 6, y2: lo[1] }, style: { stroke: '#333' } }, { type: 'line', shape: { x1: hi[0] - 6, y1: hi[1], x2: hi[0] + 6, y2: hi[1] }, style: { stroke: '#333' } }] };
          },
          data: rate.byStratum.map((s, i) => [i, (s.figure.interval?.low ?? 0) * 100, (s.figure.interval?.high ?? 0) * 100]),
          z: 10,
        },
      ],
    }),
    [rate],
  );
  const quota = new Map(round.strata.map((s) => [s.id, s]));
  return (
    <Card title={`${rate.name}：分类别（点上方指标切换）`} size="small">
      <Chart option={option} testId="stratum-chart" />
      <Table
        rowKey="stratumId"
        size="small"
        pagination={false}
        dataSource={rate.byStratum}
        data-testid="stratum-table"
        columns={[
          { title: '类别', dataIndex: 'label' },
          { title: '比率', render: (_, s) => pct(s.figure.rate) },
          { title: '分子/分母(n)', render: (_, s) => `${s.figure.numerator} / ${s.figure.denominator}` },
          { title: '95% 置信区间', render: (_, s) => (s.figure.interval ? `${pct(s.figure.interval.low)}–${pct(s.figure.interval.high)}` : '—') },
          { title: '排除出分母', render: (_, s) => exclusionsText(s.figure.exclusions) },
          { title: '人口（权重）', render: (_, s) => s.population?.toLocaleString('zh-CN') ?? '未录入' },
          { title: '完成/配额', render: (_, s) => `${quota.get(s.stratumId)?.filled ?? 0}/${quota.get(s.stratumId)?.quota ?? '不限'}` },
        ]}
      />
    </Card>
  );
}

function Trend({ questionnaireId }: { questionnaireId: string }) {
  const trend = useQuery({ queryKey: ['surveys', 'trend', questionnaireId], queryFn: () => get<{ rates: { id: string; name: string; target: number | null; points: { round: string; rate: number | null; weighted: number | null; n: number }[] }[] }>(`/api/surveys/questionnaires/${questionnaireId}/trend`) });
  const option = useMemo(() => {
    const rates = trend.data?.rates ?? [];
    const rounds = rates[0]?.points.map((p) => p.round) ?? [];
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v}%` },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 36, bottom: 30 },
      xAxis: { type: 'category', data: rounds },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      series: rates.map((r) => ({
        name: r.name,
        type: 'line',
        data: r.points.map((p) => (p.rate === null ? null : Number((p.rate * 100).toFixed(1)))),
        markLine: r.target !== null ? { symbol: 'none', silent: true, data: [{ yAxis: r.target * 100 }], label: { formatter: `${r.name}目标 ${Math.round(r.target * 100)}%` }, lineStyle: { type: 'dashed' } } : undefined,
      })),
    };
  }, [trend.data]);
  if (!trend.data || (trend.data.rates[0]?.points.length ?? 0) < 2) return null;
  return (
    <Card title="各轮次走势（未加权）与目标线" size="small">
      <Chart option={option} height={300} testId="trend-chart" />
    </Card>
  );
}
