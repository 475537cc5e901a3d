import { CopyOutlined, DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Col, Empty, Form, Input, InputNumber, Modal, Row, Select, Space, Spin, Table, Tag, Timeline, Tree, Typography, Upload } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import {
  CHILD_LEVEL,
  type CopyIndicatorSystemRequest,
  type CreateIndicatorNodeRequest,
  type CreateIndicatorSystemRequest,
  EvaluationMethodLabels,
  type IndicatorNode,
  IndicatorLevelLabels,
  type IndicatorSystem,
  IndicatorSystemKindLabels,
  IndicatorSystemStatusLabels,
  NodeHistoryActionLabels,
  type NodeHistoryEntry,
  type SystemImportPreview,
  type SystemImportResult,
  type UpdateIndicatorNodeRequest,
  type UpdateIndicatorSystemRequest,
} from '../../../../contracts/indicators.ts';
import { ApiError, api, download, get, patch, post } from '../../../shared/api.ts';
import { FormDrawer } from '../../../shared/components/FormDrawer.tsx';
import { formatDateTime } from '../../../shared/format.ts';
import { can, useMe } from '../../../shared/session.ts';
import { defaultSystem, URL, useSystems, useTree } from './api.ts';
import { problemText } from './TaskImportPage.tsx';

const STATUS_COLOR: Record<string, string> = { draft: 'default', active: 'green', archived: 'default' };

/** The text with every occurrence of `q` marked (search results in the tree). */
export function Highlight({ text, q }: { text: string; q: string }): ReactNode {
  if (!q) return text;
  const parts: ReactNode[] = [];
  const lower = text.toLowerCase();
  const needle = q.toLowerCase();
  let at = 0;
  for (let i = lower.indexOf(needle); i >= 0; i = lower.indexOf(needle, at)) {
    if (i > at) parts.push(text.slice(at, i));
    parts.push(
      <mark key={i} style={{ background: '#ffe58f', padding: 0 }}>
        {text.slice(i, i + q.length)}
      </mark>,
    );
    at = i + q.length;
  }
  parts.push(text.slice(at));
  return <>{parts}</>;
}

function buildTree(nodes: IndicatorNode[], q: string, matchIds: Set<string>, onAdd?: (parent: IndicatorNode) => void): DataNode[] {
  const byParent = new Map<string | null, IndicatorNode[]>();
  for (const n of nodes) byParent.set(n.parentId, [...(byParent.get(n.parentId) ?? []), n]);
  const walk = (parentId: string | null): DataNode[] =>
    (byParent.get(parentId) ?? []).map((n) => ({
      key: n.id,
      title: (
        <span className={matchIds.has(n.id) ? 'cw-tree-match' : undefined} style={{ opacity: n.isActive ? 1 : 0.5 }} data-testid="tree-node">
          <b>
            <Highlight text={n.code} q={q} />
          </b>{' '}
          <Highlight text={n.text} q={q} />
          {n.score !== null && <Typography.Text type="secondary">（{n.score} 分）</Typography.Text>}
          {!n.isActive && <Tag style={{ marginLeft: 4 }}>已停用</Tag>}
          {n.taskCount > 0 && (
            <Tag color="blue" style={{ marginLeft: 4 }}>
              {n.taskCount} 项任务
            </Tag>
          )}
          {onAdd && n.isActive && CHILD_LEVEL[n.level] && (
            <Button
              type="link"
              size="small"
              icon={<PlusOutlined />}
              data-testid="node-add-child"
              onClick={(e) => {
                e.stopPropagation();
                onAdd(n);
              }}
            >
              新增{IndicatorLevelLabels[CHILD_LEVEL[n.level] as IndicatorNode['level']]}
            </Button>
          )}
        </span>
      ),
      isLeaf: n.level === 'standard',
      children: n.level === 'standard' ? undefined : walk(n.id),
    }));
  return walk(null);
}

type NodeValues = { code: string; text: string; score: number | null; methods: string[]; materials: string };

/** 新增节点: a 测评项目 at the top (parent null), a 测评内容 under an item, a 测评标准 under a content. */
function CreateNodeDrawer({ system, parent, onClose }: { system: IndicatorSystem; parent: IndicatorNode | null; onClose(): void }) {
  const [form] = Form.useForm<NodeValues>();
  const qc = useQueryClient();
  const level: IndicatorNode['level'] = parent ? (CHILD_LEVEL[parent.level] ?? 'standard') : 'item';
  const save = async (v: NodeValues) => {
    const body: CreateIndicatorNodeRequest = {
      parentId: parent?.id ?? null,
      code: v.code,
      text: v.text,
      score: v.score ?? null,
      methods: (v.methods ?? []) as CreateIndicatorNodeRequest['methods'],
      materials: v.materials ?? '',
    };
    await post<IndicatorNode>(URL.nodes(system.id), body);
    await qc.invalidateQueries({ queryKey: ['indicators'] });
    onClose();
  };
  return (
    <FormDrawer<NodeValues>
      title={`新增${IndicatorLevelLabels[level]}`}
      form={form}
      onSubmit={save}
      onClose={onClose}
      size={640}
      saveTestId="node-create-save"
      successMessage={`已新增${IndicatorLevelLabels[level]}`}
      initialValues={{ code: parent ? `${parent.code}-` : '', methods: [], materials: '' }}
    >
      <Typography.Paragraph type="secondary" data-testid="node-create-parent">
        {parent ? `上级${IndicatorLevelLabels[parent.level]}：${parent.code} ${parent.text}` : `「${system.name}」的顶层测评项目`}
      </Typography.Paragraph>
      <Form.Item name="code" label="编号" rules={[{ required: true, message: '请填写编号' }]} extra="照本市写法，如 Ⅱ-1-1 或 2-1-1">
        <Input data-testid="node-create-code" />
      </Form.Item>
      <Form.Item name="text" label="内容" rules={[{ required: true, message: '请填写内容' }]}>
        <Input.TextArea rows={3} data-testid="node-create-text" />
      </Form.Item>
      <Form.Item name="score" label="分值">
        <InputNumber min={0} max={1000} data-testid="node-create-score" />
      </Form.Item>
      {level === 'standard' && (
        <>
          <Form.Item name="methods" label="测评方法">
            <Checkbox.Group options={Object.entries(EvaluationMethodLabels).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Form.Item name="materials" label="材料要求（材料审核的标准填写）">
            <Input.TextArea rows={3} data-testid="node-create-materials" />
          </Form.Item>
        </>
      )}
    </FormDrawer>
  );
}

/** 节点详情: edit code, text, score, methods, materials; the node's history below. */
function NodeDrawer({ node, canEdit, onClose }: { node: IndicatorNode; canEdit: boolean; onClose(): void }) {
  const [form] = Form.useForm<NodeValues>();
  const qc = useQueryClient();
  const history = useQuery({ queryKey: ['indicators', 'history', node.id, node.version], queryFn: () => get<NodeHistoryEntry[]>(URL.nodeHistory(node.id)) });
  const save = async (v: NodeValues) => {
    const body: UpdateIndicatorNodeRequest = { version: node.version, code: v.code, text: v.text, score: v.score ?? null, methods: v.methods as UpdateIndicatorNodeRequest['methods'], materials: v.materials ?? '' };
    await patch(URL.node(node.id), body);
    await qc.invalidateQueries({ queryKey: ['indicators'] });
    onClose();
  };
  const describe = (e: NodeHistoryEntry) => {
    if (!e.before || !e.after) return null;
    const keys = Object.keys(e.after).filter((k) => JSON.stringify(e.before?.[k]) !== JSON.stringify(e.after?.[k]));
    const LABEL: Record<string, string> = { code: '编号', text: '内容', score: '分值', methods: '测评方法', materials: '材料要求', sort: '排序', isActive: '启用' };
    return keys.map((k) => (
      <div key={k} style={{ fontSize: 12 }}>
        {LABEL[k] ?? k}：<del style={{ color: '#999' }}>{String(JSON.stringify(e.before?.[k]) ?? '')}</del> → {String(JSON.stringify(e.after?.[k]) ?? '')}
      </div>
    ));
  };
  return (
    <FormDrawer<NodeValues>
      title={`${IndicatorLevelLabels[node.level]} ${node.code}`}
      form={form}
      onSubmit={canEdit ? save : async () => false}
      onClose={onClose}
      size={640}
      saveTestId="node-save"
      initialValues={{ code: node.code, text: node.text, score: node.score, methods: node.methods, materials: node.materials }}
    >
      <fieldset disabled={!canEdit} style={{ border: 0, padding: 0, margin: 0 }}>
        <Form.Item name="code" label="编号" rules={[{ required: true, message: '请填写编号' }]}>
          <Input data-testid="node-code" />
        </Form.Item>
        <Form.Item name="text" label="内容" rules={[{ required: true, message: '请填写内容' }]}>
          <Input.TextArea rows={3} data-testid="node-text" />
        </Form.Item>
        <Form.Item name="score" label="分值">
          <InputNumber min={0} max={1000} />
        </Form.Item>
        {node.level === 'standard' && (
          <>
            <Form.Item name="methods" label="测评方法">
              <Checkbox.Group options={Object.entries(EvaluationMethodLabels).map(([value, label]) => ({ value, label }))} />
            </Form.Item>
            <Form.Item name="materials" label="材料要求（材料审核的标准填写）">
              <Input.TextArea rows={3} data-testid="node-materials" />
            </Form.Item>
          </>
        )}
      </fieldset>
      <Typography.Title level={5}>修改记录</Typography.Title>
      {history.data?.length ? (
        <Timeline
          data-testid="node-history"
          items={history.data.map((e) => ({
            content: (
              <div>
                <Tag>{NodeHistoryActionLabels[e.action]}</Tag>
                <Typography.Text type="secondary">
                  {formatDateTime(e.at)} · {e.actorName ?? '系统'}
                </Typography.Text>
                {describe(e)}
              </div>
            ),
          }))}
        />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无修改记录" />
      )}
    </FormDrawer>
  );
}

function CreateSystemDrawer({ onClose }: { onClose(id: string): void }) {
  const [form] = Form.useForm<CreateIndicatorSystemRequest>();
  const qc = useQueryClient();
  return (
    <FormDrawer<CreateIndicatorSystemRequest>
      title="新建测评体系"
      form={form}
      onClose={() => onClose('')}
      initialValues={{ kind: 'main', year: new Date().getFullYear(), description: '' }}
      onSubmit={async (v) => {
        const s = await post<IndicatorSystem>(URL.systems, v);
        await qc.invalidateQueries({ queryKey: ['indicators'] });
        onClose(s.id);
      }}
    >
      <Form.Item name="name" label="体系名称" rules={[{ required: true, message: '请填写体系名称' }]}>
        <Input placeholder="全国文明城市测评体系" />
      </Form.Item>
      <Form.Item name="kind" label="类别">
        <Select options={Object.entries(IndicatorSystemKindLabels).map(([value, label]) => ({ value, label }))} />
      </Form.Item>
      <Form.Item name="year" label="年度" rules={[{ required: true, message: '请填写年度' }]}>
        <InputNumber min={2000} max={2100} />
      </Form.Item>
      <Form.Item name="totalScore" label="满分">
        <InputNumber min={0} max={1000} />
      </Form.Item>
      <Form.Item name="description" label="说明">
        <Input.TextArea rows={3} />
      </Form.Item>
    </FormDrawer>
  );
}

/** 复制为新版本: the tree (and optionally its tasks) into the next edition. */
function CopyModal({ system, onClose }: { system: IndicatorSystem; onClose(id?: string): void }) {
  const [form] = Form.useForm<CopyIndicatorSystemRequest>();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open
      title={`复制「${system.name}」为新版本`}
      onCancel={() => onClose()}
      okText="复制"
      confirmLoading={busy}
      onOk={() => form.submit()}
      okButtonProps={{ id: 'copy-ok' }}
    >
      <Form<CopyIndicatorSystemRequest>
        form={form}
        layout="vertical"
        initialValues={{ name: system.name, year: system.year + 1, includeTasks: false }}
        onFinish={async (v) => {
          setBusy(true);
          try {
            const s = await post<IndicatorSystem>(URL.copy(system.id), v);
            message.success(`已复制为第 ${s.edition} 版`);
            await qc.invalidateQueries({ queryKey: ['indicators'] });
            onClose(s.id);
          } catch (e) {
            message.error(e instanceof ApiError ? e.message : '复制失败');
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="name" label="新版本名称" rules={[{ required: true, message: '请填写名称' }]}>
          <Input />
        </Form.Item>
        <Form.Item name="year" label="年度">
          <InputNumber min={2000} max={2100} />
        </Form.Item>
        <Form.Item name="includeTasks" valuePropName="checked">
          <Checkbox>同时复制任务分解（不含进度）</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 从 Excel 导入体系: into an empty system, preview first, all or nothing. */
function SystemImportModal({ system, onClose }: { system: IndicatorSystem; onClose(): void }) {
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<SystemImportPreview | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const send = async <T,>(step: 'preview' | 'commit', f: File) => {
    const form = new FormData();
    form.append('file', f, f.name);
    return api<T>('POST', URL.systemImport(system.id, step), form);
  };
  const run = async (f: File) => {
    setBusy(true);
    setFailure(null);
    try {
      setPreview(await send<SystemImportPreview>('preview', f));
    } catch (e) {
      setFailure(e instanceof ApiError ? e.message : '预览失败');
    } finally {
      setBusy(false);
    }
  };
  const commit = async () => {
    if (!file) return;
    setBusy(true);
    try {
      const r = await send<SystemImportResult>('commit', file);
      message.success(`已导入：测评项目 ${r.items}，测评内容 ${r.contents}，测评标准 ${r.standards}`);
      await qc.invalidateQueries({ queryKey: ['indicators'] });
      onClose();
    } catch (e) {
      setFailure(e instanceof ApiError ? e.message : '导入失败');
    } finally {
      setBusy(false);
    }
  };
  const blocked = !preview || preview.missing.length > 0 || preview.summary.invalid > 0 || preview.rows.length === 0;
  return (
    <Modal
      open
      width={1000}
      title={`从 Excel 导入「${system.name}」`}
      onCancel={onClose}
      maskClosable={false}
      footer={[
        <Button key="c" onClick={onClose}>
          取消
        </Button>,
        <Button key="ok" type="primary" disabled={blocked} loading={busy} onClick={() => void commit()} data-testid="system-import-commit">
          确认导入
        </Button>,
      ]}
    >
      {failure && <Alert type="error" showIcon title={failure} style={{ marginBottom: 12 }} />}
      <Upload.Dragger
        accept=".xlsx"
        showUploadList={false}
        beforeUpload={(f) => {
          setFile(f);
          void run(f);
          return false;
        }}
      >
        <p className="ant-upload-text">{file ? `已选择 ${file.name}，点击更换` : '点击或拖入测评体系 Excel（指标编号、测评项目、测评内容、测评标准、分值、测评方法、材料要求）'}</p>
      </Upload.Dragger>
      {preview && (
        <div style={{ marginTop: 12 }}>
          {preview.missing.length > 0 && <Alert type="error" showIcon title={`缺少必填列：${preview.missing.join('、')}`} />}
          <Typography.Paragraph style={{ marginTop: 8 }}>
            测评项目 {preview.summary.items} 个，测评内容 {preview.summary.contents} 个，测评标准 {preview.summary.standards} 个，分值合计 {preview.summary.scoreSum}；有问题 {preview.summary.invalid} 行。
          </Typography.Paragraph>
          <Table
            rowKey="row"
            size="small"
            dataSource={preview.rows}
            pagination={{ pageSize: 20 }}
            columns={[
              { title: '行号', dataIndex: 'row', width: 60 },
              { title: '层级', dataIndex: 'level', width: 90, render: (l: IndicatorNode['level']) => IndicatorLevelLabels[l] },
              { title: '编号', dataIndex: 'code', width: 90 },
              { title: '内容', dataIndex: 'text' },
              { title: '分值', dataIndex: 'score', width: 60 },
              {
                title: '问题',
                key: 'p',
                width: 280,
                render: (_: unknown, r) =>
                  r.problems.length ? (
                    r.problems.map((p) => (
                      <div key={p.message}>
                        <Typography.Text type="danger">{problemText(p)}</Typography.Text>
                      </div>
                    ))
                  ) : (
                    <Typography.Text type="success">可导入</Typography.Text>
                  ),
              },
            ]}
          />
        </div>
      )}
    </Modal>
  );
}

/**
 * 测评体系: the city's systems (main and 未成年人, each year and edition), a tree browser with
 * search, node detail/edit with history, copy to a new edition, Excel import and export.
 */
export function SystemsPage() {
  const { data: me } = useMe();
  const { message } = App.useApp();
  const canManage = can(me, 'indicators.manage');
  const systems = useSystems();
  const [systemId, setSystemId] = useState<string>();
  const [q, setQ] = useState('');
  const [editing, setEditing] = useState<IndicatorNode | null>(null);
  const [copying, setCopying] = useState<IndicatorSystem | null>(null);
  const [importing, setImporting] = useState<IndicatorSystem | null>(null);
  const [creating, setCreating] = useState(false);
  const [expanded, setExpanded] = useState<React.Key[]>([]);
  // 新增节点: undefined = closed, null = a top-level 测评项目, a node = a child under it
  const [adding, setAdding] = useState<IndicatorNode | null | undefined>(undefined);

  useEffect(() => {
    if (!systemId) setSystemId(defaultSystem(systems.data)?.id);
  }, [systems.data, systemId]);
  const tree = useTree(systemId, q || undefined);
  const system = systems.data?.find((s) => s.id === systemId);
  const matchIds = useMemo(() => new Set(tree.data?.matchIds ?? []), [tree.data]);
  // the server refuses node changes on an archived system
  const canAdd = canManage && !!system && system.status !== 'archived';
  const data = useMemo(() => (tree.data ? buildTree(tree.data.nodes, q, matchIds, canAdd ? setAdding : undefined) : []), [tree.data, q, matchIds, canAdd]);
  useEffect(() => {
    // open down to the standards (a search returns only the matches and their ancestors)
    if (!tree.data) return;
    setExpanded(tree.data.nodes.filter((n) => n.level !== 'standard').map((n) => n.id));
  }, [tree.data]);

  const qc = useQueryClient();
  const setStatus = async (s: IndicatorSystem, status: IndicatorSystem['status']) => {
    try {
      const body: UpdateIndicatorSystemRequest = { status, version: s.version };
      await patch(URL.system(s.id), body);
      message.success(`「${s.name}」已${IndicatorSystemStatusLabels[status]}`);
      await qc.invalidateQueries({ queryKey: ['indicators'] });
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '操作失败');
    }
  };

  const exportSystem = async (s: IndicatorSystem) => {
    try {
      await download(URL.systemExport(s.id), `${s.year}${s.name}.xlsx`);
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '导出失败');
    }
  };

  return (
    <div>
      <h1 className="cw-page-title">测评体系</h1>
      <Card
        size="small"
        title="体系与版本"
        style={{ marginBottom: 12 }}
        extra={
          canManage && (
            <Button icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="system-create">
              新建体系
            </Button>
          )
        }
      >
        <Table<IndicatorSystem>
          rowKey="id"
          size="small"
          loading={systems.isLoading}
          dataSource={systems.data}
          pagination={false}
          data-testid="systems-table"
          rowClassName={(s) => (s.id === systemId ? 'ant-table-row-selected' : '')}
          onRow={(s) => ({ onClick: () => setSystemId(s.id), style: { cursor: 'pointer' } })}
          columns={[
            { title: '名称', dataIndex: 'name', render: (n: string) => <a>{n}</a> },
            { title: '类别', dataIndex: 'kind', width: 200, render: (k: IndicatorSystem['kind']) => IndicatorSystemKindLabels[k] },
            { title: '年度', dataIndex: 'year', width: 70 },
            { title: '版本', dataIndex: 'edition', width: 70, render: (e: number) => `第 ${e} 版` },
            {
              title: '状态',
              dataIndex: 'status',
              width: 100,
              render: (st: IndicatorSystem['status'], s) =>
                canManage ? (
                  <Select
                    size="small"
                    value={st}
                    style={{ width: 84 }}
                    onClick={(e) => e.stopPropagation()}
                    onChange={(v) => void setStatus(s, v)}
                    options={Object.entries(IndicatorSystemStatusLabels).map(([value, label]) => ({ value, label }))}
                    data-testid="system-status"
                  />
                ) : (
                  <Tag color={STATUS_COLOR[st]}>{IndicatorSystemStatusLabels[st]}</Tag>
                ),
            },
            {
              title: '满分 / 标准分值合计',
              key: 'score',
              width: 150,
              render: (_, s) => (
                <span style={{ color: s.totalScore !== null && s.totalScore !== s.scoreSum ? '#d46b08' : undefined }}>
                  {s.totalScore ?? '—'} / {s.scoreSum}
                </span>
              ),
            },
            { title: '项目 / 内容 / 标准', key: 'counts', width: 140, render: (_, s) => `${s.counts.items} / ${s.counts.contents} / ${s.counts.standards}` },
            { title: '任务', key: 'tasks', width: 60, render: (_, s) => s.counts.tasks },
            {
              title: '操作',
              key: 'ops',
              width: 260,
              render: (_, s) => (
                <Space size={0} onClick={(e) => e.stopPropagation()}>
                  <Button type="link" size="small" icon={<DownloadOutlined />} onClick={() => void exportSystem(s)}>
                    导出
                  </Button>
                  {canManage && s.counts.items === 0 && (
                    <Button type="link" size="small" icon={<UploadOutlined />} onClick={() => setImporting(s)}>
                      导入
                    </Button>
                  )}
                  {canManage && (
                    <Button type="link" size="small" icon={<CopyOutlined />} onClick={() => setCopying(s)} data-testid="system-copy">
                      复制为新版本
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <Row gutter={12}>
        <Col span={24}>
          <Card
            size="small"
            title={system ? `${system.year} ${system.name}（第 ${system.edition} 版）` : '测评指标'}
            extra={
              <Space>
                {canAdd && (
                  <Button icon={<PlusOutlined />} onClick={() => setAdding(null)} data-testid="node-add-item">
                    新增测评项目
                  </Button>
                )}
                <Input.Search allowClear placeholder="搜索编号或内容，如 Ⅲ-1 或 公益广告" style={{ width: 320 }} onSearch={(v) => setQ(v.trim())} data-testid="tree-search" />
              </Space>
            }
          >
            {q && tree.data && (
              <Typography.Paragraph type="secondary" data-testid="tree-search-count">
                「{q}」找到 {tree.data.matchIds.length} 个节点
              </Typography.Paragraph>
            )}
            {tree.isLoading ? (
              <Spin />
            ) : data.length ? (
              <Tree
                blockNode
                showLine
                treeData={data}
                expandedKeys={expanded}
                onExpand={setExpanded}
                selectedKeys={editing ? [editing.id] : []}
                onSelect={(keys) => {
                  const n = tree.data?.nodes.find((x) => x.id === keys[0]);
                  if (n) setEditing(n);
                }}
                data-testid="indicator-tree"
              />
            ) : (
              <Empty description={q ? '没有匹配的指标' : '该体系还没有指标，可从 Excel 导入'} />
            )}
          </Card>
        </Col>
      </Row>
      {editing && <NodeDrawer node={editing} canEdit={canManage} onClose={() => setEditing(null)} />}
      {adding !== undefined && system && <CreateNodeDrawer system={system} parent={adding} onClose={() => setAdding(undefined)} />}
      {copying && (
        <CopyModal
          system={copying}
          onClose={(id) => {
            setCopying(null);
            if (id) setSystemId(id);
          }}
        />
      )}
      {importing && <SystemImportModal system={importing} onClose={() => setImporting(null)} />}
      {creating && (
        <CreateSystemDrawer
          onClose={(id) => {
            setCreating(false);
            if (id) setSystemId(id);
          }}
        />
      )}
    </div>
  );
}
