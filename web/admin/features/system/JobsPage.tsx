import { DownloadOutlined, PlayCircleOutlined, RedoOutlined, StopOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Popconfirm, Progress, Segmented, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { type Job, type JobList, type JobState, JobStateLabels, type Schedule } from '../../../../contracts/jobs.ts';
import { ApiError, get, post } from '../../../shared/api.ts';
import { formatDateTime } from '../../../shared/format.ts';
import { isActive, JOB_STATE_COLORS, JobProgress, useJobParam } from '../../../shared/jobs.tsx';
import { can, useMe } from '../../../shared/session.ts';

type Filter = 'all' | JobState;
const FILTERS: Filter[] = ['all', 'running', 'queued', 'failed', 'succeeded', 'cancelled'];

/** 系统管理 → 后台任务: my jobs (every job for the city office), progress, errors, cancel/retry, results; refreshes itself. */
export function JobsPage() {
  const { message } = App.useApp();
  const qc = useQueryClient();
  const { data: me } = useMe();
  const seesAll = can(me, 'system.jobs');
  const [filter, setFilter] = useState<Filter>('all');
  const [mine, setMine] = useState(false);
  const [page, setPage] = useState(1);
  // the job followed in the panel above the list: kept in the URL (?job=…), so it survives a reload
  const [followed, setFollowed] = useJobParam();
  const params = new URLSearchParams({ page: String(page), pageSize: '20' });
  if (filter !== 'all') params.set('state', filter);
  if (mine) params.set('mine', 'true');
  const { data, isLoading, dataUpdatedAt } = useQuery({
    queryKey: ['jobs', filter, mine, page],
    queryFn: () => get<JobList>(`/api/jobs?${params}`),
    // every 2 s while something moves, else every 15 s
    refetchInterval: (q) => (q.state.data && q.state.data.counts.running + q.state.data.counts.queued > 0 ? 2000 : 15_000),
  });
  const schedules = useQuery({ queryKey: ['jobs', 'schedules'], queryFn: () => get<Schedule[]>('/api/jobs/schedules'), enabled: seesAll, refetchInterval: 30_000 });

  const act = async (job: Job, what: 'cancel' | 'retry') => {
    try {
      await post(`/api/jobs/${job.id}/${what}`);
      message.success(what === 'cancel' ? `已取消「${job.label}」` : `「${job.label}」已重新排队`);
      qc.invalidateQueries({ queryKey: ['jobs'] });
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '操作失败');
    }
  };

  const runNow = async (s: Schedule) => {
    try {
      const job = await post<Job>(`/api/jobs/schedules/${s.name}/run`);
      setFollowed(job.id);
      qc.invalidateQueries({ queryKey: ['jobs'] });
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '执行失败');
    }
  };

  const counts = data?.counts;
  return (
    <div>
      <h1 className="cw-page-title">后台任务</h1>
      {followed && (
        <Card size="small" style={{ marginBottom: 16 }} data-testid="job-followed">
          <JobProgress jobId={followed} onClose={() => setFollowed(null)} />
        </Card>
      )}
      <Card size="small" style={{ marginBottom: 16 }}>
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center', justifyContent: 'space-between', marginBottom: 12 }}>
          <div style={{ overflowX: 'auto', maxWidth: '100%' }}>
            <Segmented<Filter>
              value={filter}
              onChange={(v) => {
                setFilter(v);
                setPage(1);
              }}
              options={FILTERS.map((f) => ({ value: f, label: f === 'all' ? '全部' : `${JobStateLabels[f]}${counts ? ` ${counts[f]}` : ''}` }))}
              data-testid="jobs-filter"
            />
          </div>
          <Space wrap>
            {seesAll && (
              <Space size={4}>
                <Switch size="small" checked={mine} onChange={setMine} />
                <span>只看我提交的</span>
              </Space>
            )}
            {dataUpdatedAt > 0 && <Typography.Text type="secondary">自动刷新 · {formatDateTime(new Date(dataUpdatedAt))}</Typography.Text>}
          </Space>
        </div>
        <Table<Job>
          rowKey="id"
          size="middle"
          loading={isLoading}
          dataSource={data?.items}
          scroll={{ x: 900 }}
          pagination={{ current: page, pageSize: 20, total: data?.total ?? 0, onChange: setPage, showTotal: (n) => `共 ${n} 个任务` }}
          locale={{ emptyText: '暂无后台任务：导入、导出、归档等耗时操作提交后会显示在这里' }}
          columns={[
            {
              title: '任务',
              dataIndex: 'label',
              render: (v: string, j) => (
                <div>
                  <Typography.Link onClick={() => setFollowed(j.id)}>{v}</Typography.Link>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {j.actorName ?? (j.scheduleName ? '定时任务' : '系统')} · 提交于 {formatDateTime(j.createdAt)}
                  </Typography.Text>
                </div>
              ),
            },
            {
              title: '状态',
              dataIndex: 'state',
              width: 110,
              render: (s: JobState, j) => <Tag color={JOB_STATE_COLORS[s]}>{j.cancelRequested && s === 'running' ? '正在取消' : JobStateLabels[s]}</Tag>,
            },
            {
              title: '进度',
              key: 'progress',
              width: 260,
              render: (_, j) => (
                <div data-testid="job-row-progress">
                  <Progress percent={j.progress} size="small" status={j.state === 'failed' ? 'exception' : j.state === 'succeeded' ? 'success' : isActive(j.state) ? 'active' : 'normal'} />
                  {isActive(j.state) && j.progressMessage && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {j.progressMessage}
                    </Typography.Text>
                  )}
                </div>
              ),
            },
            {
              title: '结果 / 错误',
              key: 'outcome',
              render: (_, j) => {
                if (j.error && j.state !== 'succeeded' && j.state !== 'cancelled')
                  return (
                    <Typography.Text type={j.state === 'failed' ? 'danger' : 'warning'} data-testid="job-error">
                      {j.state === 'queued' ? `第 ${j.attempts} 次失败，${formatDateTime(j.runAt)} 重试：` : ''}
                      {j.error}
                    </Typography.Text>
                  );
                if (j.state === 'succeeded')
                  return (
                    <Typography.Text type="secondary">
                      {formatDateTime(j.finishedAt!)} 完成{j.attempts > 1 ? `（第 ${j.attempts} 次尝试）` : ''}
                    </Typography.Text>
                  );
                if (j.state === 'cancelled') return <Typography.Text type="secondary">{j.finishedAt ? `${formatDateTime(j.finishedAt)} 取消` : '已取消'}</Typography.Text>;
                if (j.state === 'running' && j.startedAt) return <Typography.Text type="secondary">{formatDateTime(j.startedAt)} 开始</Typography.Text>;
                return <Typography.Text type="secondary">等待执行</Typography.Text>;
              },
            },
            {
              title: '操作',
              key: 'op',
              width: 200,
              render: (_, j) => (
                <Space size={0} wrap>
                  {isActive(j.state) && !j.cancelRequested && (
                    <Popconfirm title={`取消「${j.label}」？`} description={j.state === 'running' ? '任务会在当前步骤完成后停止，已完成的步骤不会写入一半' : undefined} okText="取消任务" cancelText="不取消" onConfirm={() => act(j, 'cancel')}>
                      <Button type="link" size="small" icon={<StopOutlined />} data-testid="job-row-cancel">
                        取消
                      </Button>
                    </Popconfirm>
                  )}
                  {(j.state === 'failed' || j.state === 'cancelled') && (
                    <Button type="link" size="small" icon={<RedoOutlined />} onClick={() => act(j, 'retry')} data-testid="job-row-retry">
                      重试
                    </Button>
                  )}
                  {j.resultFile && (
                    <Tooltip title={j.expiresAt ? `保留至 ${formatDateTime(j.expiresAt)}` : undefined}>
                      <Button type="link" size="small" icon={<DownloadOutlined />} href={`/api/jobs/${j.id}/result`}>
                        下载结果
                      </Button>
                    </Tooltip>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      {seesAll && (
        <Card size="small" title="定时任务" data-testid="schedules">
          <Table<Schedule>
            rowKey="name"
            size="small"
            loading={schedules.isLoading}
            dataSource={schedules.data}
            pagination={false}
            scroll={{ x: 820 }}
            columns={[
              { title: '名称', dataIndex: 'label' },
              { title: '频率', dataIndex: 'description', width: 160 },
              { title: '下次执行', dataIndex: 'nextRunAt', width: 190, render: (v: string) => formatDateTime(v) },
              { title: '上次执行', dataIndex: 'lastRunAt', width: 190, render: (v: string | null) => (v ? formatDateTime(v) : '—') },
              { title: '状态', dataIndex: 'isEnabled', width: 90, render: (v: boolean) => (v ? <Tag color="green">启用</Tag> : <Tag>停用</Tag>) },
              {
                title: '操作',
                key: 'op',
                width: 120,
                render: (_, s) => (
                  <Popconfirm title={`立即执行「${s.label}」？`} okText="执行" cancelText="不执行" onConfirm={() => runNow(s)}>
                    <Button type="link" size="small" icon={<PlayCircleOutlined />} data-testid={`schedule-run-${s.name}`}>
                      立即执行
                    </Button>
                  </Popconfirm>
                ),
              },
            ]}
          />
          <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
            多台服务器同时运行时，每次定时任务只由其中一台执行；每次执行作为一条后台任务显示在上方列表中。
          </Typography.Paragraph>
        </Card>
      )}
    </div>
  );
}
