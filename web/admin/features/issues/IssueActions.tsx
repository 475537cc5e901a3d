import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, DatePicker, Form, Input, Modal, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import type { Paged } from '../../../../contracts/common.ts';
import { type Issue, type IssueAction, IssueActionLabels, type IssueDetail, IssueStateLabels } from '../../../../contracts/issues.ts';
import { allowedActions, type FlowRole } from '../../../../domain/issue-flow.ts';
import { ApiError, get, post, qs } from '../../../shared/api.ts';
import { UnitSelect } from '../../../shared/components/UnitSelect.tsx';
import { applyServerError } from '../../../shared/forms.ts';
import { formatDate } from '../../../shared/format.ts';
import { type PhotoFile, PhotoUpload, photoIds } from './kit.tsx';

type Performable = Exclude<IssueAction, 'report'>;
type Need = 'required' | 'optional';
/** The small form each action needs (what domain/issue-flow.ts requires, plus what helps). */
type Spec = { note?: Need; noteLabel?: string; unit?: Need; deadline?: Need; deadlineLabel?: string; photos?: Need; photosLabel?: string; target?: Need; danger?: boolean; hint?: string };

export const ACTION_FORMS: Record<Performable, Spec> = {
  accept: { note: 'optional', noteLabel: '受理意见', hint: '立案后即可派遣给责任单位。' },
  reject: { note: 'required', noteLabel: '不予立案的理由', danger: true },
  merge: { target: 'required', note: 'optional', noteLabel: '说明', hint: '本问题将合并到选中的问题，不再单独办理。' },
  dispatch: { unit: 'required', deadline: 'optional', deadlineLabel: '处置期限（不填按分类时限）', note: 'optional', noteLabel: '派遣意见' },
  sign: { note: 'optional', noteLabel: '签收说明', hint: '签收后开始整改，请在期限内反馈整改结果。' },
  return: { note: 'required', noteLabel: '回退理由（如：不属于本单位职责）', danger: true },
  feedback: { photos: 'required', photosLabel: '整改后照片', note: 'optional', noteLabel: '整改情况' },
  requestExtension: { deadline: 'required', deadlineLabel: '申请延期至', note: 'required', noteLabel: '延期理由' },
  approveExtension: { deadline: 'optional', deadlineLabel: '批准延期至（不填按申请日期）', note: 'optional', noteLabel: '审批意见' },
  denyExtension: { note: 'required', noteLabel: '驳回理由', danger: true },
  verifyPass: { photos: 'optional', photosLabel: '核查照片', note: 'optional', noteLabel: '核查意见' },
  verifyFail: { note: 'required', noteLabel: '不通过的原因（将退回单位返工）', photos: 'optional', photosLabel: '核查照片', danger: true },
  close: { note: 'optional', noteLabel: '结案说明' },
  reopen: { note: 'required', noteLabel: '回潮情况', photos: 'optional', photosLabel: '现场照片', danger: true, hint: '问题将重新派遣给原责任单位，计一次回潮。' },
};

type Target = Pick<Issue, 'id' | 'version' | 'number' | 'title' | 'responsibleUnitId' | 'responsibleUnitName' | 'deadline'>;
type Values = { note?: string; unitId?: string; deadline?: Dayjs; photoFiles?: PhotoFile[]; targetId?: string };

/** The end of the chosen day in China Standard Time: the deadline a person means by a date. */
const endOfDay = (d: Dayjs) => `${d.format('YYYY-MM-DD')}T23:59:59+08:00`;

/** The actions a list row may offer, from the flow table (the server still checks the role). */
export function rowActions(i: Pick<Issue, 'state' | 'extensionPending'>, roles: FlowRole[]): Performable[] {
  return allowedActions(
    { state: i.state, extensionPending: i.extensionPending, responsibleUnitId: null, deadline: null, requestedDeadline: null, reworkCount: 0, relapseCount: 0, mergedIntoId: null },
    new Set(roles),
  ) as Performable[];
}

const PRIMARY_ORDER: string[] = ['accept', 'dispatch', 'sign', 'feedback', 'verifyPass', 'close', 'approveExtension'];

/**
 * One button per action, labelled exactly as IssueActionLabels (tests click them by name); each
 * opens its small form. A conflict (409: someone acted first, or the state moved on) shows the
 * server's message and reloads the issue.
 */
export function ActionButtons({ issue, actions, onDone, size }: { issue: Target; actions: Performable[]; onDone?: (d: IssueDetail) => void; size?: 'small' | 'middle' }) {
  const [open, setOpen] = useState<Performable | null>(null);
  if (!actions.length) return null;
  // the step that moves the case on is the primary one: after 立案 it is 派遣, not 合并
  const primary = PRIMARY_ORDER.find((p) => actions.includes(p as Performable)) ?? actions.find((a) => !ACTION_FORMS[a].danger);
  return (
    <>
      <Space wrap size={size === 'small' ? 4 : 8}>
        {actions.map((a) => (
          <Button
            key={a}
            size={size}
            autoInsertSpace={false}
            type={a === primary && !ACTION_FORMS[a].danger ? 'primary' : 'default'}
            danger={ACTION_FORMS[a].danger}
            onClick={() => setOpen(a)}
            data-testid={`issue-action-${a}`}
          >
            {IssueActionLabels[a]}
          </Button>
        ))}
      </Space>
      {open && <ActionModal issue={issue} action={open} onClose={() => setOpen(null)} onDone={onDone} />}
    </>
  );
}

function ActionModal({ issue, action, onClose, onDone }: { issue: Target; action: Performable; onClose(): void; onDone?: (d: IssueDetail) => void }) {
  const spec = ACTION_FORMS[action];
  const [form] = Form.useForm<Values>();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [saving, setSaving] = useState(false);
  const [targetQ, setTargetQ] = useState('');
  const targets = useQuery({
    queryKey: ['issues', 'merge-targets', targetQ],
    queryFn: () => get<Paged<Issue>>(`/api/issues${qs({ q: targetQ, pageSize: 20 })}`),
    enabled: !!spec.target,
  });

  const submit = async (v: Values) => {
    setSaving(true);
    try {
      const body = {
        version: issue.version,
        note: v.note?.trim() || undefined,
        unitId: v.unitId,
        targetId: v.targetId,
        deadline: v.deadline ? endOfDay(v.deadline) : undefined,
        photos: spec.photos ? photoIds(v.photoFiles) : undefined,
      };
      const d = await post<IssueDetail>(`/api/issues/${issue.id}/actions/${action}`, body);
      message.success(`已${IssueActionLabels[action]}：${d.number}，当前状态「${IssueStateLabels[d.state]}」`);
      await qc.invalidateQueries({ queryKey: ['issues'] });
      await qc.invalidateQueries({ queryKey: ['notifications'] });
      onDone?.(d);
      onClose();
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        // someone acted first or the issue moved on: say so and show the current issue
        message.error(`${e.message}（已刷新为最新状态）`);
        await qc.invalidateQueries({ queryKey: ['issues'] });
        onClose();
      } else {
        message.error(applyServerError(form, e));
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title={`${IssueActionLabels[action]}：${issue.number}`}
      onCancel={onClose}
      okText="提交"
      cancelText="取消"
      okButtonProps={{ loading: saving, danger: spec.danger, autoInsertSpace: false, ...({ 'data-testid': 'issue-action-submit' } as Record<string, string>) }}
      onOk={() => form.submit()}
      destroyOnHidden
      width={560}
    >
      <div style={{ color: '#666', marginBottom: 12 }}>{issue.title}</div>
      {spec.hint && <div style={{ color: '#888', marginBottom: 12 }}>{spec.hint}</div>}
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={action === 'dispatch' && issue.responsibleUnitId ? { unitId: issue.responsibleUnitId } : {}}
      >
        {spec.target && (
          <Form.Item name="targetId" label="合并到的问题" rules={[{ required: true, message: '请选择要合并到的问题' }]}>
            <Select
              showSearch={{ filterOption: false, onSearch: setTargetQ }}
              placeholder="输入编号或标题搜索"
              loading={targets.isFetching}
              options={(targets.data?.items ?? [])
                .filter((t) => t.id !== issue.id && !['merged', 'rejected'].includes(t.state))
                .map((t) => ({ value: t.id, label: `${t.number} ${t.title}（${IssueStateLabels[t.state]}）` }))}
              data-testid="issue-action-target"
            />
          </Form.Item>
        )}
        {spec.unit && (
          <Form.Item name="unitId" label="责任单位" rules={[{ required: spec.unit === 'required', message: '请选择责任单位' }]}>
            <UnitSelect
              scope="city"
              initialOptions={issue.responsibleUnitId && issue.responsibleUnitName ? [{ id: issue.responsibleUnitId, name: issue.responsibleUnitName }] : []}
              style={{ width: '100%' }}
              data-testid="issue-action-unit"
            />
          </Form.Item>
        )}
        {spec.deadline && (
          <Form.Item
            name="deadline"
            label={spec.deadlineLabel}
            extra={issue.deadline ? `当前期限：${formatDate(issue.deadline)}` : undefined}
            rules={[{ required: spec.deadline === 'required', message: '请选择日期' }]}
          >
            <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isBefore(new Date(), 'day')} data-testid="issue-action-deadline" />
          </Form.Item>
        )}
        {spec.photos && (
          <Form.Item name="photoFiles" label={spec.photosLabel} rules={spec.photos === 'required' ? [{ validator: async (_, v: PhotoFile[] | undefined) => {
            if (!photoIds(v).length) throw new Error(`请上传${spec.photosLabel}`);
          } }] : []}>
            <PhotoUpload testId="issue-action-photos" />
          </Form.Item>
        )}
        {spec.note && (
          <Form.Item name="note" label={spec.noteLabel} rules={[{ required: spec.note === 'required', whitespace: true, message: `请填写${spec.noteLabel?.replace(/（.*）/, '')}` }]}>
            <Input.TextArea rows={3} maxLength={1000} showCount data-testid="issue-action-note" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
