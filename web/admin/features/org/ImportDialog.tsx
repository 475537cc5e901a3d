import { DownloadOutlined, InboxOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Modal, Radio, Result, Space, Steps, Switch, Table, Tag, Tooltip, Typography, Upload } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import type { ErrorDetail } from '../../../../contracts/errors.ts';
import { type ImportKind, ImportKindLabels, type ImportMode, type ImportPreview, type ImportPreviewRow, type ImportResult, rowErrorText } from '../../../../contracts/org-import.ts';
import { ApiError, api, download } from '../../../shared/api.ts';

type Props = {
  kind: ImportKind;
  /** called after a successful import (refresh lists here); the dialog stays open on its result page */
  onDone?: (result: ImportResult) => void;
  onClose(): void;
};

const ERROR_BG = '#fff1f0';
const ERROR_FG = '#cf1322';

/**
 * Excel import in three steps: choose a file (template link, 新增/更新 mode) → preview with
 * every row's errors in red → 确认导入 (only when nothing is wrong) → result. The server
 * re-validates on commit and writes all rows or none.
 */
export function ImportDialog({ kind, onDone, onClose }: Props) {
  const { message } = App.useApp();
  const label = ImportKindLabels[kind];
  const [mode, setMode] = useState<ImportMode>('insert');
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [onlyErrors, setOnlyErrors] = useState(false);
  const [failure, setFailure] = useState<{ message: string; details: ErrorDetail[] } | null>(null);

  const send = async <T,>(step: 'preview' | 'commit', f: File, m: ImportMode): Promise<T> => {
    const form = new FormData();
    form.append('file', f, f.name);
    return api<T>('POST', `/api/org/import/${kind}/${step}?mode=${m}`, form);
  };

  const runPreview = async (f: File, m: ImportMode) => {
    setBusy(true);
    setFailure(null);
    setPreview(null);
    try {
      setPreview(await send<ImportPreview>('preview', f, m));
    } catch (e) {
      setFailure({ message: e instanceof ApiError ? e.message : '预览失败', details: e instanceof ApiError ? e.details : [] });
    } finally {
      setBusy(false);
    }
  };

  const commit = async () => {
    if (!file) return;
    setBusy(true);
    setFailure(null);
    try {
      const r = await send<ImportResult>('commit', file, mode);
      setResult(r);
      message.success(`已导入${label}：新增 ${r.inserted}，更新 ${r.updated}`);
      onDone?.(r);
    } catch (e) {
      setFailure({ message: e instanceof ApiError ? e.message : '导入失败', details: e instanceof ApiError ? e.details : [] });
    } finally {
      setBusy(false);
    }
  };

  const downloadTemplate = async () => {
    try {
      await download(`/api/org/import/${kind}/template`, `${label}导入模板.xlsx`);
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '模板下载失败');
    }
  };

  const reset = () => {
    setFile(null);
    setPreview(null);
    setResult(null);
    setFailure(null);
  };

  const columns = useMemo<ColumnsType<ImportPreviewRow>>(() => {
    if (!preview) return [];
    return [
      { title: '行号', dataIndex: 'row', width: 70 },
      {
        title: '操作',
        dataIndex: 'action',
        width: 70,
        render: (a: ImportPreviewRow['action']) => (a === 'update' ? <Tag color="orange">更新</Tag> : <Tag color="green">新增</Tag>),
      },
      ...preview.columns.map((c) => ({
        title: (
          <Tooltip title={`Excel 第 ${c.column} 列「${c.header}」`}>
            <span>{c.label}</span>
          </Tooltip>
        ),
        key: c.field,
        width: 140,
        render: (_: unknown, r: ImportPreviewRow) => {
          const errs = r.errors.filter((e) => e.field === c.field);
          const text = r.data[c.field] ?? '';
          return errs.length ? (
            <Tooltip title={errs.map((e) => e.message).join('；')}>
              <span style={{ color: ERROR_FG, fontWeight: 500 }}>{text || '（空）'}</span>
            </Tooltip>
          ) : (
            text
          );
        },
      })),
      {
        title: '问题',
        key: 'errors',
        width: 280,
        render: (_: unknown, r: ImportPreviewRow) =>
          r.errors.length ? (
            <Space orientation="vertical" size={0}>
              {r.errors.map((e, i) => (
                <Typography.Text key={i} type="danger">
                  {rowErrorText(e)}
                </Typography.Text>
              ))}
            </Space>
          ) : (
            <Typography.Text type="success">可导入</Typography.Text>
          ),
      },
    ];
  }, [preview]);

  const s = preview?.summary;
  const blocked = !preview || preview.headerRow === null || preview.missing.length > 0 || !s || s.invalid > 0 || s.total === 0;
  const step = result ? 2 : preview ? 1 : 0;
  const rows = preview ? (onlyErrors ? preview.rows.filter((r) => r.errors.length) : preview.rows) : [];

  return (
    <Modal
      open
      width={1100}
      title={`从 Excel 导入${label}`}
      onCancel={onClose}
      maskClosable={false}
      destroyOnHidden
      footer={
        result ? (
          <Button type="primary" onClick={onClose}>
            完成
          </Button>
        ) : (
          <Space>
            {preview && <Button onClick={reset}>重新选择文件</Button>}
            <Button onClick={onClose}>取消</Button>
            <Button type="primary" disabled={blocked} loading={busy && !!preview} onClick={commit} data-testid="import-commit">
              确认导入
            </Button>
          </Space>
        )
      }
    >
      <Steps size="small" current={step} style={{ marginBottom: 16 }} items={[{ title: '选择文件' }, { title: '预览校验' }, { title: '完成' }]} />
      {result ? (
        <Result status="success" title={`已导入 ${result.total} 行${label}`} subTitle={`新增 ${result.inserted}，更新 ${result.updated}`} />
      ) : (
        <Space orientation="vertical" style={{ width: '100%' }} size="middle">
          <Space wrap>
            <Radio.Group
              value={mode}
              onChange={(e) => {
                const m = e.target.value as ImportMode;
                setMode(m);
                if (file) void runPreview(file, m);
              }}
              optionType="button"
              options={[
                { value: 'insert', label: '仅新增（编码已存在报错）' },
                { value: 'upsert', label: '新增并更新已有' },
              ]}
            />
            <Button icon={<DownloadOutlined />} type="link" onClick={downloadTemplate}>
              下载{label}导入模板
            </Button>
          </Space>
          {!preview && (
            <Upload.Dragger
              accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              multiple={false}
              showUploadList={false}
              disabled={busy}
              beforeUpload={(f) => {
                setFile(f);
                void runPreview(f, mode);
                return false;
              }}
            >
              <p className="ant-upload-drag-icon">{busy ? <UploadOutlined /> : <InboxOutlined />}</p>
              <p className="ant-upload-text">{busy ? '正在校验…' : '点击或拖入 .xlsx 文件'}</p>
              <p className="ant-upload-hint">表头可以在前 20 行内任意一行，列的顺序不限，合并单元格按内容填充；先预览，不会直接写入。</p>
            </Upload.Dragger>
          )}
          {failure && (
            <Alert
              type="error"
              showIcon
              title={failure.message}
              description={
                failure.details.length ? (
                  <ul style={{ margin: 0, paddingLeft: 20, maxHeight: 160, overflow: 'auto' }}>
                    {failure.details.slice(0, 50).map((d, i) => (
                      <li key={i}>
                        {d.path}：{d.message}
                      </li>
                    ))}
                  </ul>
                ) : undefined
              }
            />
          )}
          {preview && s && (
            <>
              <Alert
                type={s.invalid || preview.missing.length ? 'error' : 'success'}
                showIcon
                title={
                  preview.headerRow === null
                    ? '前 20 行中没有找到表头行，请使用导入模板'
                    : `文件「${file?.name ?? ''}」工作表「${preview.sheetName}」，表头在第 ${preview.headerRow} 行：共 ${s.total} 行，可导入 ${s.valid} 行（新增 ${s.inserts}，更新 ${s.updates}），有错误 ${s.invalid} 行`
                }
                description={
                  <>
                    {preview.missing.length > 0 && <div>缺少必填列：{preview.missing.join('、')}</div>}
                    {preview.ignored.length > 0 && <div>未识别而忽略的列：{preview.ignored.join('、')}</div>}
                    {s.invalid > 0 && <div>请在 Excel 中修改标红的单元格后重新选择文件；有任何错误时不会写入数据。</div>}
                  </>
                }
              />
              <Space>
                <Switch size="small" checked={onlyErrors} onChange={setOnlyErrors} /> 只看有错误的行
              </Space>
              <Table<ImportPreviewRow>
                rowKey="row"
                size="small"
                columns={columns}
                dataSource={rows}
                scroll={{ x: 'max-content', y: 420 }}
                pagination={{ pageSize: 50, showSizeChanger: false, showTotal: (t) => `共 ${t} 行` }}
                onRow={(r) => ({ style: r.errors.length ? { background: ERROR_BG } : undefined })}
              />
            </>
          )}
        </Space>
      )}
    </Modal>
  );
}

/** Downloads the actor's visible records of a kind as .xlsx (phones masked). */
export function ExportButton({ kind, size }: { kind: ImportKind; size?: 'small' | 'middle' }) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const label = ImportKindLabels[kind];
  return (
    <Button
      size={size}
      icon={<DownloadOutlined />}
      loading={busy}
      onClick={async () => {
        setBusy(true);
        try {
          await download(`/api/org/export/${kind}`, `${label}.xlsx`);
        } catch (e) {
          message.error(e instanceof ApiError ? e.message : '导出失败');
        } finally {
          setBusy(false);
        }
      }}
    >
      导出
    </Button>
  );
}
