import { DownloadOutlined, RedoOutlined, StopOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Progress, Space, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useSearchParams } from 'react-router';
import { type Job, type JobState, JobStateLabels } from '../../contracts/jobs.ts';
import { ApiError, get, post } from './api.ts';
import { formatDateTime } from './format.ts';

/** Background jobs in the browser (docs/jobs.md): follow one job, keep its id across reloads. */

export const isActive = (s: JobState) => s === 'queued' || s === 'running';

export const JOB_STATE_COLORS: Record<JobState, string> = { queued: 'default', running: 'processing', succeeded: 'success', failed: 'error', cancelled: 'warning' };

/**
 * Follows one job: polls every second while it is queued or running, stops when it ends.
 * `cancel()` / `retry()` act on it; `resultUrl` downloads its file.
 */
export function useJob(jobId: string | null | undefined) {
  const qc = useQueryClient();
  const query = useQuery({
    queryKey: ['job', jobId],
    queryFn: () => get<Job>(`/api/jobs/${jobId}`),
    enabled: !!jobId,
    refetchInterval: (q) => (q.state.data && !isActive(q.state.data.state) ? false : 1000),
    retry: (n, e) => !(e instanceof ApiError && e.status === 404) && n < 3,
  });
  const act = useCallback(
    async (what: 'cancel' | 'retry') => {
      const job = await post<Job>(`/api/jobs/${jobId}/${what}`);
      qc.setQueryData(['job', jobId], job);
      qc.invalidateQueries({ queryKey: ['jobs'] });
      return job;
    },
    [jobId, qc],
  );
  const job = query.data;
  return {
    job,
    isLoading: query.isLoading,
    error: query.error as ApiError | null,
    isActive: !!job && isActive(job.state),
    cancel: () => act('cancel'),
    retry: () => act('retry'),
    resultUrl: job?.resultFile ? `/api/jobs/${job.id}/result` : null,
  };
}

/**
 * The job a page is following, kept in the URL (`?job=<id>`, survives a reload and can be shared
 * with the page's link) and, under `storageKey`, in localStorage for pages whose URL should not
 * change. Returns [jobId, setJobId]; setJobId(null) forgets it.
 */
export function useJobParam(opts: { param?: string; storageKey?: string } = {}): [string | null, (id: string | null) => void] {
  const param = opts.param ?? 'job';
  const [params, setParams] = useSearchParams();
  const [stored, setStored] = useState<string | null>(() => (opts.storageKey ? localStorage.getItem(opts.storageKey) : null));
  const jobId = params.get(param) ?? stored;
  const set = useCallback(
    (id: string | null) => {
      setParams(
        (p) => {
          const next = new URLSearchParams(p);
          if (id) next.set(param, id);
          else next.delete(param);
          return next;
        },
        { replace: true },
      );
      if (opts.storageKey) {
        if (id) localStorage.setItem(opts.storageKey, id);
        else localStorage.removeItem(opts.storageKey);
        setStored(id);
      }
    },
    [param, setParams, opts.storageKey],
  );
  return [jobId, set];
}

/** A job's progress bar with its state, message, error, cancel/retry and the result's download. */
export function JobProgress({ jobId, onClose, extra }: { jobId: string; onClose?: () => void; extra?: (job: Job) => React.ReactNode }) {
  const { job, error, cancel, retry, resultUrl } = useJob(jobId);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  if (error) return <Alert type="warning" showIcon title={error.status === 404 ? '任务不存在或已过期清理' : error.message} action={onClose && <Button size="small" onClick={onClose}>关闭</Button>} />;
  if (!job) return <Progress percent={0} status="active" />;
  const run = async (f: () => Promise<unknown>) => {
    setBusy(true);
    setActionError(null);
    try {
      await f();
    } catch (e) {
      setActionError(e instanceof ApiError ? e.message : '操作失败');
    } finally {
      setBusy(false);
    }
  };
  const status = job.state === 'failed' ? 'exception' : job.state === 'succeeded' ? 'success' : isActive(job.state) ? 'active' : 'normal';
  return (
    <div className="cw-job-progress" data-testid="job-progress" data-state={job.state} data-progress={job.progress}>
      <Space wrap style={{ marginBottom: 4 }}>
        <Typography.Text strong>{job.label}</Typography.Text>
        <Tag color={JOB_STATE_COLORS[job.state]}>{job.cancelRequested && job.state === 'running' ? '正在取消' : JobStateLabels[job.state]}</Tag>
        {job.attempts > 1 && <Typography.Text type="secondary">第 {job.attempts} 次尝试</Typography.Text>}
      </Space>
      <Progress percent={job.progress} status={status} />
      {job.progressMessage && isActive(job.state) && <Typography.Text type="secondary">{job.progressMessage}</Typography.Text>}
      {job.error && job.state !== 'succeeded' && job.state !== 'cancelled' && <Alert type={job.state === 'failed' ? 'error' : 'warning'} showIcon style={{ marginTop: 8 }} title={job.state === 'queued' ? `上次尝试失败，将自动重试：${job.error}` : job.error} />}
      {actionError && <Alert type="error" showIcon style={{ marginTop: 8 }} title={actionError} />}
      <Space wrap style={{ marginTop: 8 }}>
        {isActive(job.state) && !job.cancelRequested && (
          <Button size="small" icon={<StopOutlined />} loading={busy} onClick={() => run(cancel)} data-testid="job-cancel">
            取消
          </Button>
        )}
        {(job.state === 'failed' || job.state === 'cancelled') && (
          <Button size="small" icon={<RedoOutlined />} loading={busy} onClick={() => run(retry)} data-testid="job-retry">
            重试
          </Button>
        )}
        {resultUrl && (
          <Button size="small" type="primary" icon={<DownloadOutlined />} href={resultUrl} data-testid="job-result">
            下载结果（{job.resultFile?.name}）
          </Button>
        )}
        {extra?.(job)}
        {onClose && !isActive(job.state) && (
          <Button size="small" onClick={onClose}>
            关闭
          </Button>
        )}
        {job.expiresAt && <Typography.Text type="secondary">结果保留至 {formatDateTime(job.expiresAt)}</Typography.Text>}
      </Space>
    </div>
  );
}
