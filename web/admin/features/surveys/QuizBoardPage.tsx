import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, InputNumber, Space, Table, Tabs } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useParams } from 'react-router';
import { AttemptsPolicies, type Leaderboard, type LeaderboardRow, type Quiz } from '../../../../contracts/surveys.ts';
import { ApiError, api, get, qs } from '../../../shared/api.ts';
import { UnitSelect } from '../../../shared/components/UnitSelect.tsx';
import { PICKER_FORMAT } from '../../../shared/format.ts';
import { Chart, pct } from './kit.tsx';

/** Unit and district leaderboards of a quiz: each metric with its denominator, one attempt per person. */
export function QuizBoardPage() {
  const { id } = useParams();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [period, setPeriod] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const quiz = useQuery({ queryKey: ['quizzes', id], queryFn: () => get<Quiz>(`/api/quizzes/${id}`) });
  const from = period?.[0]?.startOf('day').toISOString();
  const to = period?.[1]?.endOf('day').toISOString();
  const board = useQuery({ queryKey: ['quizzes', id, 'board', from, to], queryFn: () => get<Leaderboard>(`/api/quizzes/${id}/leaderboard${qs({ from, to })}`) });
  const [unitId, setUnitId] = useState<string | undefined>();
  const [size, setSize] = useState<number | null>(null);
  const cols = [
    { title: '排名', width: 60, render: (_: unknown, __: LeaderboardRow, i: number) => i + 1 },
    { title: '单位', dataIndex: 'name' },
    { title: '参与率', render: (_: unknown, r: LeaderboardRow) => `${pct(r.participationRate)}（${r.participants}/${r.roster ?? '未填名册'}）` },
    { title: '平均分', render: (_: unknown, r: LeaderboardRow) => `${r.averageScore === null ? '—' : r.averageScore.toFixed(1)}（${r.scoreSum}/${r.participants}人）` },
    { title: '满分率', render: (_: unknown, r: LeaderboardRow) => `${pct(r.fullMarkRate)}（${r.fullMarks}/${r.participants}人）` },
  ];
  const option = useMemo(() => {
    const rows = (board.data?.units ?? []).slice(0, 15);
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 150, right: 30, top: 10, bottom: 20 },
      xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      yAxis: { type: 'category', inverse: true, data: rows.map((r) => r.name) },
      series: [{ name: '参与率', type: 'bar', data: rows.map((r) => (r.participationRate === null ? 0 : Number((r.participationRate * 100).toFixed(1)))), itemStyle: { color: '#c8102e' }, label: { show: true, position: 'right', formatter: '{c}%' } }],
    };
  }, [board.data]);
  if (!quiz.data) return <Card loading />;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card
        title={`${quiz.data.name} · 排行`}
        extra={<DatePicker.RangePicker format={PICKER_FORMAT.date} value={period} onChange={(v) => setPeriod(v as [Dayjs, Dayjs] | null)} placeholder={['期间开始', '期间结束']} />}
      >
        <p style={{ color: '#666', marginTop: 0 }}>
          每人只计一次（{AttemptsPolicies[quiz.data.attemptsPolicy]}），满分 {board.data?.maxScore ?? quiz.data.maxScore} 分；参与率的分母是各单位填报的名册人数。
        </p>
        <Space style={{ marginBottom: 12 }}>
          <UnitSelect value={unitId} onChange={(v) => setUnitId(v as string | undefined)} placeholder="填报名册人数的单位" style={{ width: 240 }} />
          <InputNumber min={1} value={size} onChange={setSize} placeholder="名册人数" />
          <Button
            disabled={!unitId || !size}
            onClick={async () => {
              try {
                await api('PUT', `/api/quizzes/${id}/rosters/${unitId}`, { size });
                message.success('名册人数已保存');
                await qc.invalidateQueries({ queryKey: ['quizzes', id] });
              } catch (e) {
                message.error((e as ApiError).message);
              }
            }}
          >
            保存名册人数
          </Button>
        </Space>
        <Tabs
          items={[
            { key: 'units', label: '按单位', children: <Table rowKey="unitId" size="small" loading={board.isLoading} dataSource={board.data?.units ?? []} columns={cols} pagination={{ pageSize: 20 }} data-testid="board-units" /> },
            { key: 'districts', label: '按区', children: <Table rowKey="unitId" size="small" dataSource={board.data?.districts ?? []} columns={cols} pagination={false} /> },
            { key: 'chart', label: '参与率图', children: <Chart option={option} height={420} /> },
          ]}
        />
      </Card>
    </Space>
  );
}
