import { DownloadOutlined, FileWordOutlined, ImportOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Checkbox, DatePicker, Drawer, Form, Input, Modal, Select, Space, Tag, Tooltip, Typography, type UploadFile } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { UploadFilesResponse } from '../../../../contracts/files.ts';
import { type ResponsibilityLetter, type SignResponsibilityLetterRequest, type Task, type TaskPhase, TaskPhaseLabels, type TaskStatus, TaskStatusLabels } from '../../../../contracts/indicators.ts';
import { ApiError, download, post } from '../../../shared/api.ts';
import { UnitSelect } from '../../../shared/components/UnitSelect.tsx';
import { formatDate } from '../../../shared/format.ts';
import { can, useMe } from '../../../shared/session.ts';
import { defaultSystem, type TaskFilters, URL, useLetters, useSystems, useTasks, useTree } from './api.ts';
import { CreateTaskDrawer } from './TaskEditDrawer.tsx';
import { AttachmentUpload, PercentBar, PhaseTag, StatusTag, SystemSelect, TaskDrawer, TaskFlags, uploadedIds, unitNames } from './kit.tsx';
import { DataTable } from '../../../shared/components/DataTable.tsx';

/** The columns of the city's own sheet, with progress added. */
export function taskColumns(onOpen: (t: Task) => void) {
  return [
    { title: '序号', dataIndex: 'seq', width: 60 },
    { title: '编号', dataIndex: 'nodeCode', width: 90, render: (c: string, t: Task) => <a onClick={() => onOpen(t)}>{c}</a> },
    {
      title: '测评标准 / 任务要求',
      key: 'standard',
      render: (_: unknown, t: Task) => (
        <div style={{ minWidth: 240 }}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t.itemText}
            {t.contentText && t.contentText !== t.nodeText ? ` › ${t.contentText}` : ''}
          </Typography.Text>
          <div>
            <a onClick={() => onOpen(t)} style={{ color: 'inherit' }}>
              {t.title || t.nodeText}
            </a>
          </div>
        </div>
      ),
    },
    { title: '牵头单位', key: 'lead', width: 130, render: (_: unknown, t: Task) => unitNames(t, 'lead') || '—' },
    { title: '责任单位', key: 'responsible', width: 180, render: (_: unknown, t: Task) => unitNames(t, 'responsible') || '—' },
    { title: '配合单位', key: 'cooperating', width: 150, render: (_: unknown, t: Task) => unitNames(t, 'cooperating') || '—' },
    {
      title: '完成时限',
      key: 'deadline',
      width: 110,
      render: (_: unknown, t: Task) => (
        <Tooltip title={t.deadline ? `截止 ${formatDate(`${t.deadline}T12:00:00+08:00`)}` : undefined}>
          <span>{t.deadlineText || '—'}</span>
        </Tooltip>
      ),
    },
    { title: '阶段', dataIndex: 'phase', width: 90, render: (p: TaskPhase | null) => <PhaseTag phase={p} /> },
    {
      title: '进度',
      key: 'progress',
      width: 200,
      render: (_: unknown, t: Task) => (
        <Space size={4}>
          <PercentBar percent={t.percent} status={t.status} />
          <TaskFlags t={t} />
        </Space>
      ),
    },
    { title: '状态', dataIndex: 'status', width: 80, render: (s: TaskStatus) => <StatusTag status={s} /> },
  ];
}

type SignValues = { signedOn: Dayjs; files: UploadFile<UploadFilesResponse>[] };

/** 目标责任书: per unit, download the generated Word document; record the signed scan. */
function LettersDrawer({ systemId, onClose }: { systemId: string; onClose(): void }) {
  const { data: me } = useMe();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const letters = useLetters(systemId);
  const [q, setQ] = useState('');
  const [onlyUnsigned, setOnlyUnsigned] = useState(false);
  const [signing, setSigning] = useState<ResponsibilityLetter | null>(null);
  const [form] = Form.useForm<SignValues>();
  const canManage = can(me, 'indicators.manage');
  const rows = (letters.data ?? []).filter((l) => (!q || l.unitName.includes(q)) && (!onlyUnsigned || !l.signedFile));
  const sign = async (v: SignValues) => {
    if (!signing) return;
    const fileId = uploadedIds(v.files)[0];
    if (!fileId) {
      form.setFields([{ name: 'files', errors: ['请上传签字盖章后的扫描件（PDF 或图片）'] }]);
      return;
    }
    try {
      const body: SignResponsibilityLetterRequest = { fileId, signedOn: v.signedOn.format('YYYY-MM-DD'), version: signing.version };
      await post(URL.letterSign(systemId, signing.unitId), body);
      message.success(`已记录${signing.unitName}的签订`);
      setSigning(null);
      form.resetFields();
      await qc.invalidateQueries({ queryKey: ['indicators', 'letters'] });
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '保存失败');
    }
  };
  return (
    <Drawer open size={860} title="目标责任书" onClose={onClose} data-testid="letters-drawer">
      <Space style={{ marginBottom: 12 }}>
        <Input.Search allowClear placeholder="单位名称" onSearch={(v) => setQ(v.trim())} style={{ width: 220 }} />
        <Checkbox checked={onlyUnsigned} onChange={(e) => setOnlyUnsigned(e.target.checked)}>
          只看未签订
        </Checkbox>
        {letters.data && (
          <Typography.Text type="secondary">
            共 {letters.data.length} 个单位，已签订 {letters.data.filter((l) => l.signedFile).length} 个
          </Typography.Text>
        )}
      </Space>
      <DataTable<ResponsibilityLetter> tableKey="tasks"
        rowKey="unitId"
        size="small"
        loading={letters.isLoading}
        dataSource={rows}
        pagination={{ pageSize: 20 }}
        data-testid="letters-table"
        columns={[
          { title: '单位', dataIndex: 'unitName' },
          { title: '任务数', dataIndex: 'taskCount', width: 70 },
          {
            title: '签订',
            key: 'signed',
            width: 220,
            render: (_, l) =>
              l.signedFile ? (
                <span>
                  <Tag color="green">已签订 {l.signedOn}</Tag>
                  <a href={`${l.signedFile.contentUrl}?download=true`}>扫描件</a>
                </span>
              ) : (
                <Tag>未签订</Tag>
              ),
          },
          {
            title: '操作',
            key: 'ops',
            width: 230,
            render: (_, l) => (
              <Space size={0}>
                <Button
                  type="link"
                  size="small"
                  icon={<FileWordOutlined />}
                  data-testid="letter-download"
                  onClick={() =>
                    void download(URL.letterDocx(systemId, l.unitId), `${l.unitName}${l.year}年创建全国文明城市目标责任书.docx`).catch((e) => message.error(e instanceof ApiError ? e.message : '下载失败'))
                  }
                >
                  下载责任书
                </Button>
                {canManage && (
                  <Button type="link" size="small" icon={<UploadOutlined />} onClick={() => setSigning(l)} data-testid="letter-sign">
                    {l.signedFile ? '更换扫描件' : '上传签订扫描件'}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      {signing && (
        <Modal open title={`${signing.unitName} · 记录签订`} onCancel={() => setSigning(null)} onOk={() => form.submit()} okText="保存">
          <Form<SignValues> form={form} layout="vertical" onFinish={(v) => void sign(v)}>
            <Form.Item name="signedOn" label="签订日期" rules={[{ required: true, message: '请选择签订日期' }]}>
              <DatePicker />
            </Form.Item>
            <Form.Item name="files" label="签字盖章扫描件（PDF 或图片）" valuePropName="value">
              <AttachmentUpload />
            </Form.Item>
          </Form>
        </Modal>
      )}
    </Drawer>
  );
}

/**
 * 任务分解表: every task of a system with its units, deadline, phase and progress; filters as
 * the office asks them (项目, 单位, 阶段, 状态, 超期, 停滞); export in the city's layout;
 * 目标责任书 per unit.
 */
export function TasksPage() {
  const { data: me } = useMe();
  const { message } = App.useApp();
  const canManage = can(me, 'indicators.manage');
  const systems = useSystems();
  // the workbench opens this page with ?systemId=…&overdue=true or &stalled=true
  const [sp] = useSearchParams();
  const [filters, setFilters] = useState<TaskFilters>(() => ({
    page: 1,
    pageSize: 20,
    systemId: sp.get('systemId') ?? undefined,
    overdue: sp.get('overdue') === 'true' || undefined,
    stalled: sp.get('stalled') === 'true' || undefined,
  }));
  const [open, setOpen] = useState<string | null>(null);
  const [letters, setLetters] = useState(false);
  const [creating, setCreating] = useState(false);
  useEffect(() => {
    if (!filters.systemId) {
      const s = defaultSystem(systems.data);
      if (s) setFilters((f) => ({ ...f, systemId: s.id }));
    }
  }, [systems.data, filters.systemId]);
  const tree = useTree(filters.systemId);
  // the server refuses new tasks in an archived system
  const canCreate = canManage && !!filters.systemId && systems.data?.find((s) => s.id === filters.systemId)?.status !== 'archived';
  const items = useMemo(() => (tree.data?.nodes ?? []).filter((n) => n.level === 'item'), [tree.data]);
  const tasks = useTasks(filters, !!filters.systemId);
  const set = (patch: TaskFilters) => setFilters((f) => ({ ...f, ...patch, page: 1 }));
  const columns = useMemo(() => taskColumns((t) => setOpen(t.id)), []);

  const exportTasks = async () => {
    if (!filters.systemId) return;
    try {
      await download(URL.tasksExport(filters.systemId), '任务分解表.xlsx');
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '导出失败');
    }
  };

  return (
    <div>
      <h1 className="cw-page-title">任务分解表</h1>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Space wrap>
          <SystemSelect systems={systems.data} value={filters.systemId} onChange={(id) => set({ systemId: id, itemNodeId: undefined })} />
          <Select
            allowClear
            placeholder="测评项目"
            style={{ width: 220 }}
            value={filters.itemNodeId}
            onChange={(v) => set({ itemNodeId: v })}
            options={items.map((n) => ({ value: n.id, label: `${n.code} ${n.text}` }))}
            data-testid="filter-item"
          />
          <UnitSelect placeholder="单位" value={filters.unitId} onChange={(v) => set({ unitId: (v as string | undefined) ?? undefined })} style={{ width: 200 }} />
          <Select
            allowClear
            placeholder="阶段"
            style={{ width: 120 }}
            value={filters.phase}
            onChange={(v) => set({ phase: v })}
            options={Object.entries(TaskPhaseLabels).map(([value, label]) => ({ value, label }))}
            data-testid="filter-phase"
          />
          <Select
            allowClear
            placeholder="状态"
            style={{ width: 110 }}
            value={filters.status}
            onChange={(v) => set({ status: v })}
            options={Object.entries(TaskStatusLabels).map(([value, label]) => ({ value, label }))}
          />
          <Checkbox checked={!!filters.overdue} onChange={(e) => set({ overdue: e.target.checked || undefined })} data-testid="filter-overdue">
            超期
          </Checkbox>
          <Checkbox checked={!!filters.stalled} onChange={(e) => set({ stalled: e.target.checked || undefined })} data-testid="filter-stalled">
            停滞
          </Checkbox>
          <Input.Search allowClear placeholder="编号或内容" style={{ width: 200 }} onSearch={(v) => set({ q: v.trim() || undefined })} data-testid="tasks-search" />
        </Space>
        <div style={{ marginTop: 8 }}>
          <Space wrap>
            <Button icon={<DownloadOutlined />} onClick={() => void exportTasks()} disabled={!filters.systemId} data-testid="tasks-export">
              导出 Excel（全表）
            </Button>
            <Button icon={<FileWordOutlined />} onClick={() => setLetters(true)} disabled={!filters.systemId} data-testid="letters-open">
              目标责任书
            </Button>
            {canCreate && (
              <Button icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="task-create">
                新增任务
              </Button>
            )}
            {canManage && (
              <Link to="/indicators/tasks/import">
                <Button type="primary" icon={<ImportOutlined />} data-testid="tasks-import">
                  导入任务分解表
                </Button>
              </Link>
            )}
          </Space>
        </div>
      </Card>
      <Card size="small" data-testid="tasks-card">
        <DataTable<Task> tableKey="tasks-2"
          rowKey="id"
          size="small"
          loading={tasks.isLoading}
          dataSource={tasks.data?.items}
          columns={columns}
          scroll={{ x: 1300 }}
          data-testid="tasks-table"
          pagination={{
            current: filters.page,
            pageSize: filters.pageSize,
            total: tasks.data?.total,
            showSizeChanger: true,
            onChange: (page, pageSize) => setFilters((f) => ({ ...f, page, pageSize })),
            showTotal: (t) => `共 ${t} 项任务`,
          }}
        />
      </Card>
      {open && <TaskDrawer taskId={open} onClose={() => setOpen(null)} />}
      {creating && filters.systemId && (
        <CreateTaskDrawer
          systemId={filters.systemId}
          onClose={(id) => {
            setCreating(false);
            if (id) setOpen(id);
          }}
        />
      )}
      {letters && filters.systemId && <LettersDrawer systemId={filters.systemId} onClose={() => setLetters(false)} />}
    </div>
  );
}
