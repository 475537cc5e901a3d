import { DeleteOutlined, PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Descriptions, Drawer, Empty, Form, Input, InputNumber, Progress, Select, Space, Spin, Tag, Timeline, Typography, Upload, type UploadFile } from 'antd';
import { useState } from 'react';
import type { FileInfo, UploadFilesResponse } from '../../../../contracts/files.ts';
import { UPLOAD_ACCEPT } from '../../../../contracts/files.ts';
import {
  type CreateProgressRequest,
  EvaluationMethodLabels,
  type IndicatorSystem,
  IndicatorSystemKindLabels,
  type Task,
  type TaskDetail,
  type TaskPhase,
  TaskPhaseLabels,
  type TaskStatus,
  TaskStatusLabels,
  TaskUnitRoleLabels,
} from '../../../../contracts/indicators.ts';
import { ApiError, api, del, post } from '../../../shared/api.ts';
import { formatDate, formatDateTime } from '../../../shared/format.ts';
import { applyServerError } from '../../../shared/forms.ts';
import { URL, useTask } from './api.ts';
import { TaskEditDrawer } from './TaskEditDrawer.tsx';

export const STATUS_COLOR: Record<TaskStatus, string> = { not_started: 'default', in_progress: 'processing', done: 'success' };
export const PHASE_COLOR: Record<TaskPhase, string> = { mobilize: 'magenta', implement: 'blue', improve: 'cyan', inspect: 'gold' };

export const systemLabel = (s: IndicatorSystem): string => `${s.year} ${s.name}（第 ${s.edition} 版）`;

/** Picks one of the city's indicator systems (main and 未成年人 side by side). */
export function SystemSelect({ systems, value, onChange, style }: { systems: IndicatorSystem[] | undefined; value?: string; onChange(id: string): void; style?: React.CSSProperties }) {
  return (
    <Select
      value={value}
      onChange={onChange}
      placeholder="选择测评体系"
      style={{ width: 320, ...style }}
      data-testid="system-select"
      options={(systems ?? []).map((s) => ({ value: s.id, label: `${systemLabel(s)} · ${IndicatorSystemKindLabels[s.kind] === s.name ? '' : IndicatorSystemKindLabels[s.kind]}`.replace(/ · $/, '') }))}
    />
  );
}

export const StatusTag = ({ status }: { status: TaskStatus }) => <Tag color={STATUS_COLOR[status]}>{TaskStatusLabels[status]}</Tag>;
export const PhaseTag = ({ phase }: { phase: TaskPhase | null }) => (phase ? <Tag color={PHASE_COLOR[phase]}>{TaskPhaseLabels[phase]}</Tag> : <span style={{ color: '#bbb' }}>—</span>);

/** 超期 / 停滞 flags of a task. */
export function TaskFlags({ t }: { t: Pick<Task, 'overdue' | 'stalled'> }) {
  return (
    <>
      {t.overdue && <Tag color="red">超期</Tag>}
      {t.stalled && <Tag color="orange">停滞</Tag>}
    </>
  );
}

export const PercentBar = ({ percent, status }: { percent: number; status?: TaskStatus }) => (
  <Progress percent={percent} size="small" status={status === 'done' ? 'success' : 'normal'} style={{ margin: 0, minWidth: 100 }} />
);

export const unitNames = (t: Task, role: 'lead' | 'responsible' | 'cooperating'): string =>
  role === 'lead' ? (t.leadUnitName ?? '') : t.units.filter((u) => u.role === role).map((u) => u.unitName).join('、');

/** Attachment picker: each file goes to POST /api/files at once; the form submits the ids. `images` shows a photo wall (phones: camera or album), still taking PDF/Word/Excel. */
export function AttachmentUpload({ value, onChange, testId, images }: { value?: UploadFile<UploadFilesResponse>[]; onChange?: (v: UploadFile<UploadFilesResponse>[]) => void; testId?: string; images?: boolean }) {
  const { message } = App.useApp();
  return (
    <div data-testid={testId}>
      <Upload<UploadFilesResponse>
        multiple
        accept={UPLOAD_ACCEPT}
        listType={images ? 'picture-card' : 'text'}
        fileList={value ?? []}
        onChange={({ fileList }) => onChange?.(fileList.slice(0, 20))}
        customRequest={async ({ file, onSuccess, onError }) => {
          const form = new FormData();
          form.append('file', file as Blob);
          try {
            onSuccess?.(await api<UploadFilesResponse>('POST', '/api/files', form));
          } catch (e) {
            const msg = e instanceof ApiError ? e.message : '上传失败';
            message.error(`${(file as File).name}：${msg}`);
            onError?.(e instanceof Error ? e : new Error(msg));
          }
        }}
      >
        {images ? (
          <div>
            <UploadOutlined />
            <div style={{ marginTop: 4 }}>照片/文件</div>
          </div>
        ) : (
          <Button icon={<PaperClipOutlined />}>添加附件</Button>
        )}
      </Upload>
    </div>
  );
}

export const uploadedIds = (list: UploadFile<UploadFilesResponse>[] | undefined): string[] =>
  (list ?? []).filter((f) => f.status === 'done').flatMap((f) => (f.response?.items ?? []).map((i) => i.id));

export function FileLinks({ files }: { files: FileInfo[] }) {
  if (!files.length) return null;
  return (
    <Space wrap size={4}>
      {files.map((f) =>
        f.thumbnailUrl ? (
          <a key={f.id} href={f.contentUrl} target="_blank" rel="noreferrer">
            <img src={f.thumbnailUrl} alt={f.originalName} style={{ width: 56, height: 56, objectFit: 'cover', borderRadius: 4 }} />
          </a>
        ) : (
          <a key={f.id} href={`${f.contentUrl}?download=true`}>
            <PaperClipOutlined /> {f.originalName}
          </a>
        ),
      )}
    </Space>
  );
}

type ReportValues = { unitId?: string; status: TaskStatus; percent: number; note: string; files?: UploadFile<UploadFilesResponse>[] };

/** 报送进度: status, percent (tied to the status as the server checks it), note, attachments. */
export function ProgressForm({ task, onDone, images }: { task: TaskDetail; onDone?: () => void; images?: boolean }) {
  const [form] = Form.useForm<ReportValues>();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [saving, setSaving] = useState(false);
  const mine = task.units.find((u) => task.canReportFor.some((c) => c.unitId === u.unitId));
  const submit = async (v: ReportValues) => {
    setSaving(true);
    try {
      const body: CreateProgressRequest = { unitId: v.unitId, status: v.status, percent: v.percent, note: v.note ?? '', fileIds: uploadedIds(v.files) };
      await post(URL.progress(task.id), body);
      message.success('进度已报送');
      form.resetFields(['note', 'files']);
      await qc.invalidateQueries({ queryKey: ['indicators'] });
      onDone?.();
    } catch (e) {
      message.error(applyServerError(form, e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Form<ReportValues>
      form={form}
      layout="vertical"
      onFinish={submit}
      initialValues={{ unitId: task.canReportFor[0]?.unitId, status: !mine?.status || mine.status === 'not_started' ? 'in_progress' : mine.status, percent: mine?.percent ?? 0, note: '' }}
      onValuesChange={(changed: Partial<ReportValues>) => {
        if (changed.status === 'done') form.setFieldValue('percent', 100);
        if (changed.status === 'not_started') form.setFieldValue('percent', 0);
        if (changed.percent === 100) form.setFieldValue('status', 'done');
      }}
      data-testid="progress-form"
    >
      {task.canReportFor.length > 1 && (
        <Form.Item name="unitId" label="报送单位" rules={[{ required: true, message: '请选择报送单位' }]}>
          <Select options={task.canReportFor.map((u) => ({ value: u.unitId, label: u.unitName }))} />
        </Form.Item>
      )}
      <Space wrap align="start">
        <Form.Item name="status" label="状态" rules={[{ required: true, message: '请选择状态' }]}>
          <Select style={{ width: 140 }} options={Object.entries(TaskStatusLabels).map(([value, label]) => ({ value, label }))} data-testid="progress-status" />
        </Form.Item>
        <Form.Item name="percent" label="完成进度（%）" rules={[{ required: true, message: '请填写完成进度' }]}>
          <InputNumber min={0} max={100} precision={0} style={{ width: 140 }} data-testid="progress-percent" />
        </Form.Item>
      </Space>
      <Form.Item name="note" label="进展说明" rules={[{ max: 2000, message: '进展说明最多 2000 个字符' }]}>
        <Input.TextArea rows={3} placeholder="本阶段做了什么、还有什么问题" data-testid="progress-note" />
      </Form.Item>
      <Form.Item name="files" label={images ? '照片和附件' : '附件'} valuePropName="value">
        <AttachmentUpload testId="progress-files" images={images} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={saving} block={images} data-testid="progress-submit">
        报送进度
      </Button>
    </Form>
  );
}

/** The reports of a task, newest first. */
export function ReportTimeline({ task }: { task: TaskDetail }) {
  if (!task.reports.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="还没有进度报送" />;
  return (
    <Timeline
      data-testid="report-timeline"
      items={task.reports.map((r) => ({
        color: r.status === 'done' ? 'green' : r.status === 'in_progress' ? 'blue' : 'gray',
        content: (
          <div>
            <div>
              <b>{r.unitName}</b> <StatusTag status={r.status} /> {r.percent}%
            </div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {formatDateTime(r.at)} · {r.reporterName ?? '—'}
            </Typography.Text>
            {r.note && <div style={{ whiteSpace: 'pre-wrap', marginTop: 4 }}>{r.note}</div>}
            <FileLinks files={r.files} />
          </div>
        ),
      }))}
    />
  );
}

/** A task's detail with its units, its reports, and (for its units) the report form. */
export function TaskDrawer({ taskId, onClose }: { taskId: string; onClose(): void }) {
  const { data: t, isLoading } = useTask(taskId);
  const [editing, setEditing] = useState(false);
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  // 删除任务: the server refuses a task with progress reports (they are the work's record) and says so
  const remove = (task: TaskDetail) =>
    modal.confirm({
      title: `删除任务 ${task.nodeCode}？`,
      content: '删除后不可恢复；已有进度报告的任务不能删除。',
      okText: '删除',
      okButtonProps: { danger: true, id: 'task-delete-ok' },
      cancelText: '取消',
      onOk: async () => {
        try {
          await del(`${URL.task(task.id)}?version=${task.version}`);
          message.success(`已删除任务 ${task.nodeCode}`);
          onClose();
          await qc.invalidateQueries({ queryKey: ['indicators'] });
        } catch (e) {
          message.error(e instanceof ApiError ? e.message : '删除失败');
        }
      },
    });
  return (
    <Drawer
      open
      size={720}
      title={t ? `${t.nodeCode} 任务详情` : '任务详情'}
      onClose={onClose}
      data-testid="task-drawer"
      extra={
        t?.canManage ? (
          <Space>
            <Button danger icon={<DeleteOutlined />} onClick={() => remove(t)} data-testid="task-delete">
              删除任务
            </Button>
            <Button onClick={() => setEditing(true)} data-testid="task-edit">
              编辑任务
            </Button>
          </Space>
        ) : null
      }
    >
      {editing && t && <TaskEditDrawer task={t} onClose={() => setEditing(false)} />}
      {isLoading || !t ? (
        <Spin />
      ) : (
        <Space orientation="vertical" style={{ width: '100%' }} size="middle">
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label="测评项目" span={2}>
              {t.itemCode} {t.itemText}
            </Descriptions.Item>
            {t.contentText ? (
              <Descriptions.Item label="测评内容" span={2}>
                {t.contentCode} {t.contentText}
              </Descriptions.Item>
            ) : null}
            <Descriptions.Item label="测评标准" span={2}>
              {t.nodeCode} {t.nodeText}
            </Descriptions.Item>
            {t.title !== t.nodeText && (
              <Descriptions.Item label="任务要求" span={2}>
                {t.title}
              </Descriptions.Item>
            )}
            <Descriptions.Item label="测评方法">{t.methods.map((m) => EvaluationMethodLabels[m]).join('、') || '—'}</Descriptions.Item>
            <Descriptions.Item label="分值">{t.score ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="完成时限">
              {t.deadlineText || '—'}
              {t.deadline && t.deadlineText !== t.deadline ? `（${formatDate(`${t.deadline}T12:00:00+08:00`)}）` : ''}
            </Descriptions.Item>
            <Descriptions.Item label="阶段">
              <PhaseTag phase={t.phase} />
            </Descriptions.Item>
            <Descriptions.Item label="总体进度" span={2}>
              <Space>
                <StatusTag status={t.status} />
                <PercentBar percent={t.percent} status={t.status} />
                <TaskFlags t={t} />
              </Space>
            </Descriptions.Item>
            {t.materials ? (
              <Descriptions.Item label="材料要求" span={2}>
                {t.materials}
              </Descriptions.Item>
            ) : null}
          </Descriptions>
          <div>
            <Typography.Title level={5}>单位与联络员</Typography.Title>
            {t.units.map((u) => (
              <div key={`${u.role}-${u.unitId}`} style={{ display: 'flex', gap: 8, alignItems: 'center', padding: '4px 0' }}>
                <Tag>{TaskUnitRoleLabels[u.role]}</Tag>
                <span style={{ flex: 1 }}>
                  {u.unitName}
                  {u.liaisonName ? <Typography.Text type="secondary">（联络员：{u.liaisonName}）</Typography.Text> : null}
                </span>
                {u.status ? <StatusTag status={u.status} /> : null}
                <span style={{ width: 48, textAlign: 'right' }}>{u.percent === null ? '' : `${u.percent}%`}</span>
              </div>
            ))}
          </div>
          {t.canReportFor.length > 0 && (
            <div>
              <Typography.Title level={5}>报送本单位进度</Typography.Title>
              <ProgressForm task={t} />
            </div>
          )}
          <div>
            <Typography.Title level={5}>进度报送记录</Typography.Title>
            <ReportTimeline task={t} />
          </div>
        </Space>
      )}
    </Drawer>
  );
}
