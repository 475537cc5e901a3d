import { InboxOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Collapse, Result, Select, Space, Spin, Statistic, Steps, Switch, Table, Tag, Tooltip, Typography, Upload } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { encodeTaskMapping, TaskPhaseLabels, type TaskImportPreview, type TaskImportProblem, type TaskImportResult, type TaskImportRow } from '../../../../contracts/indicators.ts';
import { ApiError, api } from '../../../shared/api.ts';
import { defaultSystem, URL, useSystems } from './api.ts';
import { SystemSelect } from './kit.tsx';

const ERROR_BG = '#fff1f0';
const ERROR_FG = '#cf1322';

/** "第 5 行 F 列（责任单位）：…" */
export const problemText = (p: TaskImportProblem): string => `第 ${p.row} 行${p.column ? ` ${p.column} 列` : ''}（${p.label}）：${p.message}`;

/** The preview's cells, each tied to the field whose problems colour it. */
const CELLS: { field: string; title: string; width: number; text(r: TaskImportRow): string }[] = [
  { field: 'item', title: '测评项目', width: 130, text: (r) => r.item },
  { field: 'content', title: '测评内容', width: 130, text: (r) => r.content },
  { field: 'standard', title: '测评标准', width: 240, text: (r) => (r.code ? `${r.code} ${r.standard}` : r.standard) },
  { field: 'lead', title: '牵头单位', width: 130, text: (r) => r.lead.names.join('、') },
  { field: 'responsible', title: '责任单位', width: 180, text: (r) => r.responsible.names.join('、') },
  { field: 'cooperating', title: '配合单位', width: 150, text: (r) => r.cooperating.names.join('、') },
  { field: 'deadline', title: '完成时限', width: 110, text: (r) => r.deadlineText },
  { field: 'phase', title: '阶段', width: 80, text: (r) => (r.phase ? TaskPhaseLabels[r.phase] : '') },
];

/** The closest units offered for an unknown name; a click copies the name to paste into the sheet. */
function Candidates({ p }: { p: TaskImportProblem }) {
  const { message } = App.useApp();
  if (!p.candidates?.length) return null;
  return (
    <Space size={4} wrap style={{ marginLeft: 4 }}>
      <Typography.Text type="secondary">最接近：</Typography.Text>
      {p.candidates.slice(0, 3).map((c) => (
        <Tooltip key={c.id} title={`相似度 ${Math.round(c.score * 100)}%，点击复制单位名称`}>
          <Tag
            color="blue"
            style={{ cursor: 'pointer' }}
            data-testid="unit-candidate"
            onClick={() => {
              void navigator.clipboard?.writeText(c.name).catch(() => undefined);
              message.info(`已复制「${c.name}」，请在 Excel 第 ${p.row} 行 ${p.column} 列改正后重新上传`);
            }}
          >
            {c.name}
          </Tag>
        </Tooltip>
      ))}
    </Space>
  );
}

/**
 * 导入任务分解表: upload the city's own Excel → the detected header row and column mapping
 * (adjustable; each change previews again) → every row with its problems by row and column →
 * 确认导入 only when nothing is wrong (the server writes all rows or none) → the counts.
 */
export function TaskImportPage() {
  const { message } = App.useApp();
  const qc = useQueryClient();
  const systems = useSystems();
  const [systemId, setSystemId] = useState<string>();
  const [file, setFile] = useState<File | null>(null);
  const [overrides, setOverrides] = useState<Record<string, string>>({});
  const [createNodes, setCreateNodes] = useState(false);
  const [preview, setPreview] = useState<TaskImportPreview | null>(null);
  const [result, setResult] = useState<TaskImportResult | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [onlyProblems, setOnlyProblems] = useState(false);

  useEffect(() => {
    if (!systemId) setSystemId(defaultSystem(systems.data)?.id);
  }, [systems.data, systemId]);

  const send = async <T,>(step: 'preview' | 'commit', f: File, mapping: Record<string, string>, token?: string): Promise<T> => {
    const form = new FormData();
    form.append('file', f, f.name);
    const params = { mapping: Object.keys(mapping).length ? encodeTaskMapping(mapping) : undefined, createNodes: createNodes || undefined, token };
    return api<T>('POST', URL.taskImport(systemId as string, step, params), form);
  };

  const runPreview = async (f: File, mapping: Record<string, string>) => {
    if (!systemId) return;
    setBusy(true);
    setFailure(null);
    try {
      setPreview(await send<TaskImportPreview>('preview', f, mapping));
    } catch (e) {
      setPreview(null);
      setFailure(e instanceof ApiError ? e.message : '预览失败');
    } finally {
      setBusy(false);
    }
  };

  // the option changes what the server reports: preview again
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-run only when the option changes
  useEffect(() => {
    if (file) void runPreview(file, overrides);
  }, [createNodes]);

  const changeColumn = (column: string, field: string) => {
    const next = { ...overrides, [column]: field };
    setOverrides(next);
    if (file) void runPreview(file, next);
  };

  const commit = async () => {
    if (!file || !preview) return;
    setBusy(true);
    setFailure(null);
    try {
      const r = await send<TaskImportResult>('commit', file, overrides, preview.token);
      setResult(r);
      message.success(`已导入 ${r.tasks} 项任务`);
      await qc.invalidateQueries({ queryKey: ['indicators'] });
    } catch (e) {
      setFailure(e instanceof ApiError ? e.message : '导入失败');
    } finally {
      setBusy(false);
    }
  };

  const reset = () => {
    setFile(null);
    setPreview(null);
    setResult(null);
    setFailure(null);
    setOverrides({});
  };

  const columns = useMemo<ColumnsType<TaskImportRow>>(() => {
    if (!preview) return [];
    const letterOf = (field: string) => Object.entries(preview.mapping).find(([, f]) => f === field)?.[0];
    return [
      { title: '行号', dataIndex: 'row', width: 64, fixed: 'left' },
      ...CELLS.filter((c) => letterOf(c.field) || c.field === 'standard').map((c) => ({
        title: (
          <span>
            {c.title}
            {letterOf(c.field) && <Typography.Text type="secondary"> ({letterOf(c.field)})</Typography.Text>}
          </span>
        ),
        key: c.field,
        width: c.width,
        onCell: (r: TaskImportRow) => {
          const bad = r.problems.some((p) => p.field === c.field) || (c.field === 'standard' && r.node.match === 'none');
          return bad ? { style: { background: ERROR_BG }, 'data-problem': `${r.row}-${c.field}` } : {};
        },
        render: (_: unknown, r: TaskImportRow) => {
          const errs = r.problems.filter((p) => p.field === c.field);
          const text = c.text(r);
          const extra =
            c.field === 'item' && r.carried.item ? (
              <Typography.Text type="secondary"> ↓</Typography.Text>
            ) : c.field === 'standard' && r.node.match === 'new' ? (
              <Tag color="green">新建</Tag>
            ) : null;
          return errs.length ? (
            <Tooltip title={errs.map((e) => e.message).join('；')}>
              <span style={{ color: ERROR_FG, fontWeight: 500 }}>{text || '（空）'}</span>
            </Tooltip>
          ) : (
            <span>
              {text}
              {extra}
            </span>
          );
        },
      })),
      {
        title: '问题',
        key: 'problems',
        width: 360,
        render: (_: unknown, r: TaskImportRow) =>
          r.problems.length ? (
            <Space orientation="vertical" size={2}>
              {r.problems.map((p, i) => (
                <div key={i}>
                  <Typography.Text type="danger">{problemText(p)}</Typography.Text>
                  <Candidates p={p} />
                </div>
              ))}
            </Space>
          ) : (
            <Typography.Text type="success">可导入</Typography.Text>
          ),
      },
    ];
  }, [preview]);

  const s = preview?.summary;
  const blocked = !preview || preview.headerRow === null || preview.mappingProblems.length > 0 || !s || s.invalid > 0 || s.tasks === 0;
  const step = result ? 3 : preview ? (blocked ? 1 : 2) : 0;
  const rows = preview ? (onlyProblems ? preview.rows.filter((r) => r.problems.length) : preview.rows) : [];
  const fieldOptions = [{ value: 'ignore', label: '（不导入）' }, ...(preview?.fields ?? []).map((f) => ({ value: f.key, label: `${f.label}${f.required ? ' *' : ''}` }))];

  return (
    <div>
      <h1 className="cw-page-title">导入任务分解表</h1>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Steps size="small" current={step} items={[{ title: '上传 Excel' }, { title: '核对列与问题' }, { title: '确认导入' }, { title: '完成' }]} />
      </Card>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Space wrap>
          <span>导入到：</span>
          <SystemSelect
            systems={systems.data}
            value={systemId}
            onChange={(id) => {
              reset();
              setSystemId(id);
            }}
          />
          <Checkbox checked={createNodes} onChange={(e) => setCreateNodes(e.target.checked)} disabled={!!result} data-testid="import-create-nodes">
            自动创建缺少的测评标准
          </Checkbox>
          {file && (
            <Button icon={<ReloadOutlined />} onClick={reset} data-testid="import-reset">
              重新选择文件
            </Button>
          )}
        </Space>
      </Card>
      {failure && <Alert type="error" showIcon title={failure} style={{ marginBottom: 12 }} data-testid="import-failure" />}
      {!file && (
        <Card size="small">
          <div data-testid="task-import-upload">
            <Upload.Dragger
              accept=".xlsx"
              showUploadList={false}
              disabled={!systemId}
              beforeUpload={(f) => {
                setFile(f);
                setOverrides({});
                setResult(null);
                void runPreview(f, {});
                return false;
              }}
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">点击或拖入本市的任务分解表（.xlsx）</p>
              <p className="ant-upload-hint">
                表头可以在前 20 行的任意一行，测评项目、测评内容可以是合并单元格；列的顺序不限，常见写法（序号、测评项目、测评内容、测评标准、测评方法、材料要求、牵头单位、责任单位、配合单位、完成时限/时间要求、阶段）会自动识别。
              </p>
            </Upload.Dragger>
          </div>
        </Card>
      )}
      {file && busy && !preview && (
        <Card size="small">
          <Spin /> 正在读取 {file.name} …
        </Card>
      )}
      {result && (
        <Card size="small">
          <Result
            status="success"
            title={`已导入 ${result.tasks} 项任务`}
            subTitle={`涉及 ${result.taskUnits} 个单位分工${result.nodesCreated ? `，新建测评节点 ${result.nodesCreated} 个` : ''}，用时 ${(result.ms / 1000).toFixed(1)} 秒`}
            extra={[
              <Link key="tasks" to="/indicators/tasks">
                <Button type="primary">查看任务分解表</Button>
              </Link>,
              <Button key="again" onClick={reset}>
                再导入一个文件
              </Button>,
            ]}
            data-testid="import-result"
          />
        </Card>
      )}
      {preview && !result && (
        <Spin spinning={busy}>
          <Card size="small" title="列对应关系" style={{ marginBottom: 12 }} data-testid="import-mapping">
            <Typography.Paragraph>
              {preview.headerRow === null ? (
                <Typography.Text type="danger">没有找到表头：请在下面为各列选择对应的字段。</Typography.Text>
              ) : (
                <span data-testid="import-header-row">
                  工作表「{preview.sheetName}」，表头在第 {preview.headerRow} 行{preview.headerRows === 2 ? `（两行表头：第 ${preview.headerRow - 1}–${preview.headerRow} 行）` : ''}，数据 {preview.summary.rows} 行
                  {preview.skipped.length ? `，跳过空行/标题行 ${preview.skipped.length} 行` : ''}。
                </span>
              )}
            </Typography.Paragraph>
            <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
              {preview.columns.map((c) => {
                const field = preview.mapping[c.column] ?? 'ignore';
                return (
                  <div key={c.column} style={{ border: '1px solid #f0f0f0', borderRadius: 6, padding: 8, width: 180, background: field === 'ignore' ? '#fafafa' : '#fff' }} data-testid={`map-${c.column}`}>
                    <div style={{ fontSize: 12, color: '#8c8c8c', whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }} title={c.header}>
                      {c.column} 列：{c.header || '（无表头）'}
                    </div>
                    <Select size="small" style={{ width: '100%', marginTop: 4 }} value={field} options={fieldOptions} onChange={(v) => changeColumn(c.column, v)} data-testid={`map-select-${c.column}`} />
                  </div>
                );
              })}
            </div>
            {preview.mappingProblems.length > 0 && (
              <Alert
                type="error"
                showIcon
                style={{ marginTop: 12 }}
                title="列对应关系有问题，请在上面调整"
                description={preview.mappingProblems.map((p) => (
                  <div key={p}>{p}</div>
                ))}
                data-testid="mapping-problems"
              />
            )}
          </Card>
          <Card
            size="small"
            title="预览"
            extra={
              <Space>
                <span>只看有问题的行</span>
                <Switch size="small" checked={onlyProblems} onChange={setOnlyProblems} data-testid="only-problems" />
              </Space>
            }
          >
            <Space size="large" wrap style={{ marginBottom: 12 }}>
              <Statistic title="数据行" value={s?.rows ?? 0} />
              <Statistic title="可导入" value={s?.valid ?? 0} styles={{ content: { color: '#389e0d' } }} />
              <Statistic title="有问题" value={s?.invalid ?? 0} styles={{ content: { color: s?.invalid ? ERROR_FG : undefined } }} data-testid="import-invalid" />
              <Statistic title="任务" value={s?.tasks ?? 0} />
              {!!s?.newNodes && <Statistic title="新建测评节点" value={s.newNodes} />}
            </Space>
            {!!s?.unknownUnitNames.length && (
              <Alert
                type="warning"
                showIcon
                style={{ marginBottom: 12 }}
                title={`${s.unknownUnitNames.length} 个单位名称在系统中找不到`}
                description={s.unknownUnitNames.join('、')}
                data-testid="unknown-units"
              />
            )}
            {preview.problems.length > 0 && (
              <Collapse
                size="small"
                style={{ marginBottom: 12 }}
                defaultActiveKey={preview.problems.length <= 30 ? ['p'] : []}
                items={[
                  {
                    key: 'p',
                    label: <Typography.Text type="danger">问题清单（{preview.problems.length} 个，按行列出）</Typography.Text>,
                    children: (
                      <div style={{ maxHeight: 320, overflow: 'auto' }} data-testid="import-problems">
                        {preview.problems.slice(0, 500).map((p, i) => (
                          <div key={i} style={{ padding: '2px 0' }}>
                            <Typography.Text type="danger">{problemText(p)}</Typography.Text>
                            <Candidates p={p} />
                          </div>
                        ))}
                      </div>
                    ),
                  },
                ]}
              />
            )}
            <Table<TaskImportRow>
              rowKey="row"
              size="small"
              columns={columns}
              dataSource={rows}
              scroll={{ x: 1500 }}
              pagination={{ pageSize: 50, showTotal: (t) => `共 ${t} 行` }}
              data-testid="import-preview"
            />
            <div style={{ display: 'flex', justifyContent: 'flex-end', alignItems: 'center', gap: 12, marginTop: 12 }}>
              {blocked && (
                <Typography.Text type="danger" data-testid="import-blocked">
                  {preview.mappingProblems.length ? '请先调整列对应关系' : s?.invalid ? `还有 ${s.invalid} 行有问题，请在 Excel 中改正后重新上传` : '没有可导入的任务'}
                </Typography.Text>
              )}
              <Button type="primary" disabled={blocked} loading={busy} onClick={() => void commit()} data-testid="import-commit">
                确认导入 {s?.tasks ?? 0} 项任务
              </Button>
            </div>
          </Card>
        </Spin>
      )}
    </div>
  );
}
