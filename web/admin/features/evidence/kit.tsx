import { CameraOutlined, FilePdfOutlined, FileOutlined, PaperClipOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, DatePicker, Empty, Form, Image, Input, Select, Space, Tag, Timeline, Typography, Upload, type UploadFile } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { type EvidenceDetail, type EvidenceState, EvidenceStateLabels, type EvidenceSystem } from '../../../../contracts/evidence.ts';
import { type FileInfo, UPLOAD_ACCEPT, type UploadFilesResponse } from '../../../../contracts/files.ts';
import { ApiError, api, patch, post } from '../../../shared/api.ts';
import { formatDate, formatDateTime } from '../../../shared/format.ts';
import { applyServerError } from '../../../shared/forms.ts';
import { EV } from './api.ts';
import './evidence.css';

export const STATE_COLOR: Record<EvidenceState, string> = { draft: 'default', submitted: 'processing', approved: 'success', returned: 'error' };

export const StateTag = ({ state }: { state: EvidenceState }) => (
  <Tag color={STATE_COLOR[state]} data-testid="evidence-state">
    {EvidenceStateLabels[state]}
  </Tag>
);

/** Picks the indicator system whose evidence is shown. */
export function EvidenceSystemSelect({ systems, value, onChange }: { systems: EvidenceSystem[] | undefined; value?: string; onChange(id: string): void }) {
  return (
    <Select
      value={value}
      onChange={onChange}
      placeholder="选择测评体系"
      style={{ width: 300, maxWidth: '100%' }}
      data-testid="evidence-system-select"
      options={(systems ?? []).map((s) => ({ value: s.id, label: `${s.name}（${s.requirementCount} 项材料要求）` }))}
    />
  );
}

/** The files of an item: images as thumbnails with a viewer, documents as links. */
export function EvidenceFiles({ files, large }: { files: FileInfo[]; large?: boolean }) {
  if (!files.length) return <Typography.Text type="secondary">暂无文件</Typography.Text>;
  const images = files.filter((f) => f.kind === 'image');
  const docs = files.filter((f) => f.kind !== 'image');
  const size = large ? 160 : 72;
  return (
    <div data-testid="evidence-files">
      {images.length > 0 && (
        <Image.PreviewGroup>
          <Space wrap size={8}>
            {images.map((f) => (
              <Image key={f.id} src={f.thumbnailUrl ?? f.contentUrl} preview={{ src: f.contentUrl }} alt={f.originalName} width={size} height={size} style={{ objectFit: 'cover', borderRadius: 4 }} />
            ))}
          </Space>
        </Image.PreviewGroup>
      )}
      {docs.map((f) => (
        <div key={f.id} style={{ marginTop: 6 }}>
          <a href={f.contentUrl} target="_blank" rel="noreferrer">
            {f.kind === 'pdf' ? <FilePdfOutlined style={{ color: '#c8102e' }} /> : <FileOutlined />} {f.originalName}
          </a>
          {large && f.kind === 'pdf' && <iframe title={f.originalName} src={f.contentUrl} style={{ width: '100%', height: 420, border: '1px solid #eee', marginTop: 6 }} />}
        </div>
      ))}
    </div>
  );
}

/** Every step of an item: generated, submitted, returned (with the reason), resubmitted, approved. */
export function EvidenceTimeline({ item }: { item: EvidenceDetail }) {
  return (
    <Timeline
      data-testid="evidence-timeline"
      items={[...item.events].reverse().map((e) => ({
        color: e.action === 'return' ? 'red' : e.action === 'approve' ? 'green' : e.action === 'generate' || e.action === 'create' ? 'gray' : 'blue',
        children: (
          <div>
            <b>{e.actionLabel}</b>
            <span style={{ color: '#999', marginLeft: 8 }}>
              {formatDateTime(e.at)}
              {e.actorName ? ` · ${e.actorName}` : ''}
              {e.actorUnitName ? `（${e.actorUnitName}）` : ''}
            </span>
            {e.note && <div style={{ color: e.action === 'return' ? '#c8102e' : undefined }}>{e.action === 'return' ? `退回原因：${e.note}` : e.note}</div>}
          </div>
        ),
      }))}
    />
  );
}

/** What the item asks for: standard, requirement, period. */
export function ItemHeader({ item }: { item: EvidenceDetail }) {
  return (
    <div data-testid="evidence-header">
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {item.itemCode} {item.itemText}
      </Typography.Text>
      <div style={{ margin: '2px 0 6px' }}>
        <b>{item.standardCode}</b> {item.standardText}
      </div>
      <div>
        材料要求：<b>{item.requirementTitle}</b>
        {item.requirementDescription && <span style={{ color: '#666' }}>（{item.requirementDescription}）</span>}
      </div>
      <div style={{ color: '#666' }}>
        报送单位：{item.unitName} · 期间：{item.periodLabel}
        {item.slot > 1 ? ` · 第 ${item.slot} 份` : ''} · 编号：{item.number ?? '提交后生成'}
      </div>
      <Space style={{ marginTop: 6 }}>
        <StateTag state={item.state} />
        {item.isOverdue && <Tag color="red">已过期未报</Tag>}
      </Space>
      {item.state === 'returned' && item.returnReason && (
        <div className="ev-return-reason" data-testid="evidence-return-reason">
          退回原因：{item.returnReason}
        </div>
      )}
    </div>
  );
}

type Upl = UploadFile<UploadFilesResponse>;
type FormValues = { title: string; evidenceDate: Dayjs | null; description: string; files: Upl[] };

const asUpload = (f: FileInfo): Upl => ({ uid: f.id, name: f.originalName, status: 'done', url: f.contentUrl, thumbUrl: f.thumbnailUrl ?? undefined, response: { items: [f] } });
const idsOf = (list: Upl[] | undefined): string[] => (list ?? []).filter((f) => f.status === 'done').flatMap((f) => (f.response?.items ?? []).map((i) => i.id));

/** Upload picker: each file goes to POST /api/files at once; the form saves or submits the ids. On a phone, a camera button too. */
function FilesField({ value, onChange, phone }: { value?: Upl[]; onChange?: (v: Upl[]) => void; phone?: boolean }) {
  const { message } = App.useApp();
  const upload = (capture: boolean) => (
    <Upload<UploadFilesResponse>
      multiple={!capture}
      accept={capture ? 'image/*' : UPLOAD_ACCEPT}
      capture={capture ? 'environment' : undefined}
      listType={capture ? undefined : 'picture'}
      showUploadList={!capture}
      fileList={capture ? [] : (value ?? [])}
      onChange={({ fileList, file }) => {
        if (!capture) onChange?.(fileList.slice(0, 30));
        else if (file.status === 'done' || file.status === 'error') onChange?.([...(value ?? []), file].slice(0, 30));
      }}
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
      {capture ? (
        <Button icon={<CameraOutlined />} size="large" data-testid="evidence-camera">
          拍照
        </Button>
      ) : (
        <Button icon={<PaperClipOutlined />} size={phone ? 'large' : 'middle'} data-testid="evidence-add-files">
          {phone ? '选择文件' : '添加文件（图片、PDF、Word、Excel）'}
        </Button>
      )}
    </Upload>
  );
  return (
    <div data-testid="evidence-upload">
      {phone ? (
        <>
          <Space style={{ marginBottom: 8 }}>{upload(true)}</Space>
          {upload(false)}
        </>
      ) : (
        upload(false)
      )}
    </div>
  );
}

/**
 * The unit's filing form for one item: title, date, description and files; 保存 keeps it as it
 * is, 提交 / 重新提交 sends it to review. Errors from the server show beside their fields.
 */
export function EvidenceForm({ item, onDone, phone }: { item: EvidenceDetail; onDone?: (d: EvidenceDetail) => void; phone?: boolean }) {
  const [form] = Form.useForm<FormValues>();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [busy, setBusy] = useState<'save' | 'submit' | null>(null);
  // the item's current files come first (the server orders them); older ones are history
  const current = item.files.slice(0, item.fileCount);
  const submitAction = item.allowed.includes('resubmit') ? 'resubmit' : 'submit';
  const run = async (kind: 'save' | 'submit') => {
    let v: FormValues;
    try {
      v = kind === 'submit' ? await form.validateFields() : form.getFieldsValue();
    } catch {
      return;
    }
    setBusy(kind);
    try {
      const body = {
        title: (v.title ?? '').trim(),
        evidenceDate: v.evidenceDate ? v.evidenceDate.format('YYYY-MM-DD') : kind === 'save' ? null : undefined,
        description: (v.description ?? '').trim(),
        fileIds: idsOf(v.files),
        version: item.version,
      };
      const out = kind === 'save' ? await patch<EvidenceDetail>(EV.item(item.id), body) : await post<EvidenceDetail>(EV.submit(item.id), body);
      message.success(kind === 'save' ? '已保存' : submitAction === 'resubmit' ? '已重新提交，等待审核' : '已提交，等待审核');
      await qc.invalidateQueries({ queryKey: ['evidence'] });
      onDone?.(out);
    } catch (e) {
      message.error(applyServerError(form, e));
    } finally {
      setBusy(null);
    }
  };
  return (
    <Form<FormValues>
      form={form}
      layout="vertical"
      data-testid="evidence-form"
      initialValues={{
        title: item.title || item.requirementTitle,
        evidenceDate: item.evidenceDate ? dayjs(item.evidenceDate) : null,
        description: item.description,
        files: current.map(asUpload),
      }}
    >
      <Form.Item name="title" label="材料标题" rules={[{ required: true, whitespace: true, message: '请填写材料标题' }]}>
        <Input maxLength={200} placeholder="如：2026年10月背街小巷整治台账" data-testid="evidence-title" />
      </Form.Item>
      <Form.Item name="evidenceDate" label="材料日期" rules={[{ required: true, message: '请选择材料日期（活动或形成材料的日期）' }]}>
        <DatePicker style={{ width: '100%' }} placeholder="活动或形成材料的日期" data-testid="evidence-date" inputReadOnly={phone} />
      </Form.Item>
      <Form.Item name="description" label="材料说明">
        <Input.TextArea rows={3} maxLength={2000} placeholder="做了什么、涉及哪些点位、数量等" data-testid="evidence-description" />
      </Form.Item>
      <Form.Item
        name="files"
        label="文件"
        valuePropName="value"
        rules={[
          {
            // files still uploading count: their ids arrive in a moment
            validator: (_, v: Upl[] | undefined) =>
              idsOf(v).length || (v ?? []).some((f) => f.status === 'uploading') ? Promise.resolve() : Promise.reject(new Error('请至少上传一个文件')),
          },
        ]}
      >
        <FilesField phone={phone} />
      </Form.Item>
      <Space style={{ width: '100%', justifyContent: phone ? 'stretch' : 'flex-end' }} direction={phone ? 'vertical' : 'horizontal'}>
        <Button onClick={() => void run('save')} loading={busy === 'save'} block={phone} size={phone ? 'large' : 'middle'} data-testid="evidence-save">
          保存草稿
        </Button>
        <Button type="primary" onClick={() => void run('submit')} loading={busy === 'submit'} block={phone} size={phone ? 'large' : 'middle'} data-testid="evidence-submit">
          {submitAction === 'resubmit' ? '重新提交' : '提交审核'}
        </Button>
      </Space>
    </Form>
  );
}

export const EmptyHint = ({ text }: { text: string }) => <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text} />;

/** 2026年10月31日 from a calendar date. */
export const dayText = (d: string | null) => (d ? formatDate(`${d}T00:00:00+08:00`) : '—');
