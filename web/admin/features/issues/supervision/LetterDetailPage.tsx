import { DownloadOutlined, PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, Descriptions, Form, Input, Modal, Row, Space, Table, Timeline, Upload, type UploadFile } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { UploadFilesResponse } from '../../../../../contracts/files.ts';
import { LetterActionLabels, type LetterDetail } from '../../../../../contracts/supervision.ts';
import { ApiError, api, download, get, post } from '../../../../shared/api.ts';
import { applyServerError } from '../../../../shared/forms.ts';
import { formatDate, formatDateTime } from '../../../../shared/format.ts';
import { cnDate, LetterStateTag } from './kit.tsx';

type Item = LetterDetail['items'][number];
type FileRef = LetterDetail['events'][number]['files'][number];

function Files({ files }: { files: FileRef[] }) {
  if (!files.length) return null;
  return (
    <Space wrap size={4}>
      {files.map((f) => (
        <a key={f.id} href={f.contentUrl} target="_blank" rel="noreferrer">
          {f.thumbnailUrl ? <img src={f.thumbnailUrl} alt={f.originalName} style={{ width: 64, height: 48, objectFit: 'cover', borderRadius: 4 }} /> : <><PaperClipOutlined /> {f.originalName}</>}
        </a>
      ))}
    </Space>
  );
}

type ReplyValues = { text: string; files?: UploadFile<UploadFilesResponse>[] };

/** The unit's reply: text plus photos or documents (uploaded at once, claimed on sending). */
function ReplyForm({ letter, onDone }: { letter: LetterDetail; onDone: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<ReplyValues>();
  const [saving, setSaving] = useState(false);
  const submit = async () => {
    const v = await form.validateFields();
    const fileIds = (v.files ?? []).filter((f) => f.status === 'done').map((f) => f.response?.items[0]?.id).filter((id): id is string => !!id);
    setSaving(true);
    try {
      await post(`/api/supervision-letters/${letter.id}/reply`, { version: letter.version, text: v.text, fileIds });
      message.success('已回复');
      form.resetFields();
      onDone();
    } catch (e) {
      message.error(applyServerError(form, e));
      if (e instanceof ApiError && (e.code === 'STALE_VERSION' || e.code === 'INVALID_STATE')) onDone();
    } finally {
      setSaving(false);
    }
  };
  return (
    <Card size="small" title="回复督办函" data-testid="letter-reply">
      <Form form={form} layout="vertical">
        <Form.Item name="text" label="整改情况" rules={[{ required: true, whitespace: true, message: '请填写回复内容' }, { max: 3000, message: '回复内容最多 3000 个字符' }]}>
          <Input.TextArea autoSize={{ minRows: 4, maxRows: 10 }} placeholder="逐项说明整改措施、完成时间和长效机制" data-testid="letter-reply-text" />
        </Form.Item>
        <Form.Item name="files" label="附件（整改前后照片、整改报告）" valuePropName="fileList" getValueFromEvent={(e: { fileList: UploadFile[] }) => e.fileList.slice(0, 9)}>
          <Upload<UploadFilesResponse>
            multiple
            accept=".jpg,.jpeg,.png,.webp,.pdf,.doc,.docx,.xls,.xlsx"
            customRequest={async ({ file, onSuccess, onError }) => {
              const fd = new FormData();
              fd.append('file', file as Blob);
              try {
                onSuccess?.(await api<UploadFilesResponse>('POST', '/api/files', fd));
              } catch (e) {
                const msg = e instanceof ApiError ? e.message : '上传失败';
                message.error(`${(file as File).name}：${msg}`);
                onError?.(e instanceof Error ? e : new Error(msg));
              }
            }}
          >
            <Button icon={<UploadOutlined />}>上传附件</Button>
          </Upload>
        </Form.Item>
        <Button type="primary" loading={saving} onClick={submit} data-testid="letter-reply-submit">
          提交回复
        </Button>
      </Form>
    </Card>
  );
}

/** 督办函详情: the letter, its issues (and where each stands now), the steps, download, reply and review. */
export function LetterDetailPage() {
  const { id } = useParams();
  const qc = useQueryClient();
  const { message, modal } = App.useApp();
  const [returning, setReturning] = useState(false);
  const [returnForm] = Form.useForm<{ note: string }>();
  const q = useQuery({ queryKey: ['supervision-letter', id], queryFn: () => get<LetterDetail>(`/api/supervision-letters/${id}`) });
  const refresh = async () => {
    await qc.invalidateQueries({ queryKey: ['supervision-letter', id] });
    await qc.invalidateQueries({ queryKey: ['supervision-letters'] });
  };
  const l = q.data;
  if (q.error) return <Card>{q.error instanceof ApiError ? q.error.message : '加载失败'}</Card>;
  if (!l) return <Card loading />;

  const close = () =>
    modal.confirm({
      title: `办结 ${l.number}？`,
      content: '确认该单位的回复符合要求，督办事项办结。',
      okText: '办结',
      onOk: async () => {
        try {
          await post(`/api/supervision-letters/${l.id}/close`, { version: l.version });
          message.success('已办结');
        } catch (e) {
          message.error(e instanceof ApiError ? e.message : '操作失败');
        }
        await refresh();
      },
    });

  const sendBack = async () => {
    const v = await returnForm.validateFields();
    try {
      await post(`/api/supervision-letters/${l.id}/return`, { version: l.version, note: v.note });
      message.success('已退回，等待单位重新回复');
      setReturning(false);
      returnForm.resetFields();
    } catch (e) {
      message.error(applyServerError(returnForm, e));
    }
    await refresh();
  };

  const downloadDoc = async () => {
    try {
      await download(`/api/supervision-letters/${l.id}/document`, `${l.number}.docx`);
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '下载失败');
    }
  };

  return (
    <div data-testid="letter-detail">
      <div style={{ display: 'flex', justifyContent: 'space-between', flexWrap: 'wrap', gap: 8, alignItems: 'center' }}>
        <h1 className="cw-page-title">
          {l.number} <LetterStateTag state={l.state} replyOverdue={l.replyOverdue} />
        </h1>
        <Space wrap>
          <Link to="/issues/supervision">返回列表</Link>
          <Button icon={<DownloadOutlined />} onClick={downloadDoc} data-testid="letter-download">
            下载 Word
          </Button>
          {l.canReview && (
            <>
              <Button onClick={() => setReturning(true)} data-testid="letter-return">
                退回重新回复
              </Button>
              <Button type="primary" onClick={close} data-testid="letter-close">
                办结
              </Button>
            </>
          )}
        </Space>
      </div>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={15}>
          <Card size="small" title={l.title}>
            <Descriptions size="small" column={{ xs: 1, sm: 2 }} style={{ marginBottom: 12 }}>
              <Descriptions.Item label="发文机关">{l.issuer}</Descriptions.Item>
              <Descriptions.Item label="受函单位">{l.unitName}</Descriptions.Item>
              <Descriptions.Item label="发函时间">{formatDateTime(l.createdAt)}</Descriptions.Item>
              <Descriptions.Item label="回复期限">
                <span style={{ color: l.replyOverdue ? '#c8102e' : undefined }}>{cnDate(l.replyDeadline)}</span>
              </Descriptions.Item>
              {l.createdByName && <Descriptions.Item label="签发人">{l.createdByName}</Descriptions.Item>}
              {l.doneAt && <Descriptions.Item label="办结时间">{formatDateTime(l.doneAt)}</Descriptions.Item>}
            </Descriptions>
            <div style={{ whiteSpace: 'pre-wrap', lineHeight: 1.9, background: '#fafafa', padding: 12, borderRadius: 6 }} data-testid="letter-body-text">
              {l.body}
            </div>
          </Card>
          <Card size="small" title={`督办问题（${l.items.length}）`} style={{ marginTop: 16 }}>
            <Table<Item>
              rowKey="issueId"
              size="small"
              pagination={false}
              dataSource={l.items}
              scroll={{ x: 640 }}
              columns={[
                { title: '问题编号', dataIndex: 'number', width: 170, render: (v: string, i) => <Link to={`/issues/${i.issueId}`}>{v}</Link> },
                { title: '问题', dataIndex: 'title', ellipsis: true },
                { title: '整改期限', dataIndex: 'deadline', width: 130, render: (v: string | null) => (v ? formatDate(v) : '—') },
                {
                  title: '发函时',
                  key: 'facts',
                  width: 130,
                  render: (_: unknown, i) => [i.daysOverdue ? `超期${i.daysOverdue}天` : '', i.reworkCount ? `返工${i.reworkCount}次` : '', i.relapseCount ? `回潮${i.relapseCount}次` : ''].filter(Boolean).join('，') || '—',
                },
                { title: '现状态', dataIndex: 'currentState', width: 100 },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={9}>
          {l.canReply && (
            <div style={{ marginBottom: 16 }}>
              <ReplyForm letter={l} onDone={refresh} />
            </div>
          )}
          {l.replyText && (
            <Card size="small" title="单位回复" style={{ marginBottom: 16 }} data-testid="letter-reply-shown">
              <div style={{ whiteSpace: 'pre-wrap' }}>{l.replyText}</div>
            </Card>
          )}
          <Card size="small" title="办理过程">
            <Timeline
              items={l.events.map((e) => ({
                color: e.action === 'close' ? 'green' : e.action === 'return' ? 'red' : 'blue',
                content: (
                  <div>
                    <b>{LetterActionLabels[e.action]}</b>
                    <span style={{ color: '#888', marginLeft: 8 }}>
                      {e.actorName ?? '系统'} · {formatDateTime(e.at)}
                    </span>
                    {e.note && <div style={{ whiteSpace: 'pre-wrap' }}>{e.note}</div>}
                    <Files files={e.files} />
                  </div>
                ),
              }))}
            />
          </Card>
        </Col>
      </Row>
      <Modal title="退回重新回复" open={returning} onOk={sendBack} onCancel={() => setReturning(false)} okText="退回" destroyOnHidden>
        <Form form={returnForm} layout="vertical">
          <Form.Item name="note" label="退回原因" rules={[{ required: true, whitespace: true, message: '请填写退回原因' }, { max: 1000, message: '最多 1000 个字符' }]}>
            <Input.TextArea autoSize={{ minRows: 3 }} data-testid="letter-return-note" />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
