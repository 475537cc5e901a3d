import { AimOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Button, Drawer, Form, Input, Select } from 'antd';
import { useState } from 'react';
import type { Paged } from '../../../../contracts/common.ts';
import { type Issue, type IssueAction, type IssueActionRequest, IssueActionLabels, type IssueDetail, IssueStateLabels } from '../../../../contracts/issues.ts';
import { FLOW, type FlowInput } from '../../../../domain/issue-flow.ts';
import { get, post, qs } from '../../../shared/api.ts';
import { UnitSelect } from '../../../shared/components/UnitSelect.tsx';
import { applyServerError } from '../../../shared/forms.ts';
import { formatDate } from '../../../shared/format.ts';
import { PhotoCapture, type PhotoState } from './PhotoCapture.tsx';
import { distanceM, ErrorBox, formatDistance, useGeolocation } from './issueKit.tsx';

export type Performable = Exclude<IssueAction, 'report'>;

/** What the note is called for each action (required where the flow needs a reason). */
const NOTE_LABEL: Partial<Record<Performable, string>> = {
  reject: '不予立案原因',
  return: '回退原因（说明为何不属于本单位）',
  requestExtension: '延期原因',
  denyExtension: '驳回原因',
  verifyFail: '不通过原因（哪里没有整改到位）',
  reopen: '回潮情况说明',
  feedback: '整改情况说明',
  dispatch: '派遣说明',
};
/** Actions that take photos although the flow does not require them. */
const OPTIONAL_PHOTOS: Performable[] = ['verifyPass', 'verifyFail', 'reopen'];
/** Actions done on site: the position is recorded in the note. */
const ON_SITE: Performable[] = ['verifyPass', 'verifyFail'];

type Values = { note?: string; unitId?: string; targetId?: string; deadline?: string };

/** A day (YYYY-MM-DD) as the end of that day in China Standard Time. */
const endOfDayCst = (day: string) => new Date(`${day}T23:59:59+08:00`).toISOString();
const todayCst = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

function MergeTarget({ issue, value, onChange }: { issue: Issue; value?: string; onChange?: (v: string) => void }) {
  const [q, setQ] = useState('');
  const { data, isFetching } = useQuery({
    queryKey: ['issue-merge-targets', q, issue.categoryId],
    queryFn: () => get<Paged<Issue>>(`/api/issues${qs({ q: q || undefined, categoryId: q ? undefined : issue.categoryId, pageSize: 20 })}`),
  });
  const options = (data?.items ?? [])
    .filter((i) => i.id !== issue.id && i.state !== 'merged' && i.state !== 'rejected')
    .map((i) => ({ value: i.id, label: `${i.number} ${i.title}（${IssueStateLabels[i.state]}）` }));
  return (
    <Select
      showSearch={{ filterOption: false, onSearch: setQ }}
      value={value}
      onChange={onChange}
      options={options}
      loading={isFetching}
      placeholder="输入编号或标题搜索"
      size="large"
      notFoundContent={isFetching ? '搜索中…' : '无匹配问题'}
      data-testid="action-target"
    />
  );
}

/** The bottom sheet of one action: its inputs come from the flow's `requires` (domain/issue-flow.ts). */
export function ActionSheet({ issue, action, onClose, onDone }: { issue: IssueDetail; action: Performable | null; onClose: () => void; onDone: (i: IssueDetail) => void }) {
  return (
    <Drawer
      open={!!action}
      placement="bottom"
      size="auto"
      onClose={onClose}
      title={action ? IssueActionLabels[action] : ''}
      destroyOnHidden
      styles={{ body: { paddingBottom: 24, maxHeight: '80vh', overflowY: 'auto' } }}
    >
      {action && <ActionForm issue={issue} action={action} onDone={onDone} onReload={onClose} />}
    </Drawer>
  );
}

function ActionForm({ issue, action, onDone, onReload }: { issue: IssueDetail; action: Performable; onDone: (i: IssueDetail) => void; onReload: () => void }) {
  const [form] = Form.useForm<Values>();
  const requires = new Set<FlowInput>(FLOW[action].requires);
  const wantsPhotos = requires.has('photos') || OPTIONAL_PHOTOS.includes(action);
  const onSite = ON_SITE.includes(action);
  const gps = useGeolocation(onSite);
  const [photos, setPhotos] = useState<PhotoState>({ ids: [], uploading: false, failed: false });
  const [photoError, setPhotoError] = useState<string | null>(null);
  const away = gps.fix && issue.lng !== null && issue.lat !== null ? distanceM(gps.fix, { lng: issue.lng, lat: issue.lat }) : null;
  const run = useMutation({
    mutationFn: (body: IssueActionRequest) => post<IssueDetail>(`/api/issues/${issue.id}/actions/${action}`, body),
    onSuccess: onDone,
    onError: (e) => applyServerError(form, e),
  });
  const onFinish = (v: Values) => {
    if (photos.uploading) return setPhotoError('照片还在上传，请稍候');
    if (requires.has('photos') && photos.ids.length === 0) return setPhotoError('请拍摄整改后的现场照片');
    setPhotoError(null);
    let note = v.note?.trim() ?? '';
    if (onSite && gps.fix) {
      const where = `现场核查定位：${gps.fix.lng.toFixed(6)}, ${gps.fix.lat.toFixed(6)}（精度约 ${gps.fix.accuracy} 米${away !== null ? `，距问题位置 ${formatDistance(away)}` : ''}）`;
      note = `${note}${note ? '\n' : ''}${where}`;
    }
    run.mutate({
      version: issue.version,
      ...(note && { note }),
      ...(v.unitId && { unitId: v.unitId }),
      ...(v.targetId && { targetId: v.targetId }),
      ...(v.deadline && { deadline: endOfDayCst(v.deadline) }),
      ...(photos.ids.length > 0 && { photos: photos.ids }),
    });
  };
  const label = NOTE_LABEL[action] ?? '说明（可选）';
  return (
    <Form form={form} layout="vertical" onFinish={onFinish} requiredMark={false} data-testid={`action-form-${action}`} initialValues={{ unitId: action === 'dispatch' ? (issue.responsibleUnitId ?? undefined) : undefined }}>
      {action === 'approveExtension' && (
        <div style={{ marginBottom: 12 }} data-testid="extension-request">
          单位申请延期，{(() => {
            const req = [...issue.events].reverse().find((e) => e.action === 'requestExtension');
            return req ? `申请期限 ${formatDate(String(req.data.deadline))}，原因：${req.note ?? ''}` : '';
          })()}
        </div>
      )}
      {requires.has('unitId') && (
        <Form.Item name="unitId" label="责任单位" rules={[{ required: true, message: '请选择责任单位' }]}>
          <UnitSelect
            scope="city"
            kinds={['district', 'street', 'community', 'department', 'unit']}
            initialOptions={issue.responsibleUnitId && issue.responsibleUnitName ? [{ id: issue.responsibleUnitId, name: issue.responsibleUnitName }] : []}
            style={{ width: '100%' }}
            data-testid="action-unit"
          />
        </Form.Item>
      )}
      {requires.has('targetId') && (
        <Form.Item name="targetId" label="合并到（保留的问题）" rules={[{ required: true, message: '请选择合并到的问题' }]}>
          <MergeTarget issue={issue} />
        </Form.Item>
      )}
      {(requires.has('deadline') || action === 'dispatch' || action === 'approveExtension') && (
        <Form.Item
          name="deadline"
          label={action === 'requestExtension' ? '申请延期至' : action === 'approveExtension' ? '批准期限（不填按申请）' : '整改期限（不填按分类时限）'}
          rules={requires.has('deadline') ? [{ required: true, message: '请选择期限' }] : []}
        >
          <Input type="date" size="large" min={todayCst()} data-testid="action-deadline" />
        </Form.Item>
      )}
      {wantsPhotos && (
        <Form.Item label={requires.has('photos') ? '整改后照片' : '现场照片（可选）'} required={requires.has('photos')}>
          <PhotoCapture onChange={setPhotos} label="拍照" testId="action-photo-input" />
          {photoError && <div style={{ color: '#ff4d4f', marginTop: 6 }}>{photoError}</div>}
        </Form.Item>
      )}
      {onSite && (
        <div style={{ fontSize: 13, marginBottom: 12, color: '#595959' }} data-testid="verify-position">
          <AimOutlined />{' '}
          {gps.fix ? `现场定位 ${gps.fix.lng.toFixed(6)}, ${gps.fix.lat.toFixed(6)}（精度约 ${gps.fix.accuracy} 米）${away !== null ? `，距问题位置 ${formatDistance(away)}` : ''}，将记入核查说明` : gps.busy ? '正在定位…' : (gps.error ?? '未定位')}
        </div>
      )}
      <Form.Item
        name="note"
        label={label}
        rules={[{ required: requires.has('reason'), whitespace: true, message: `请填写${label.replace(/（.*）/, '')}` }, { max: 900, message: '说明最多 900 个字符' }]}
      >
        <Input.TextArea rows={3} maxLength={900} data-testid="action-note" />
      </Form.Item>
      <ErrorBox error={run.error} onReload={onReload} />
      <Button type="primary" htmlType="submit" size="large" block loading={run.isPending} disabled={photos.uploading} style={{ marginTop: 12, height: 48 }} data-testid="action-submit">
        确认{IssueActionLabels[action]}
      </Button>
    </Form>
  );
}
