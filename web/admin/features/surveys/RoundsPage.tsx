import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Checkbox, DatePicker, Form, Input, InputNumber, Progress, Radio, Select, Space, Switch, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { AgeBands, Identities, type QuestionnaireDetail, type QuestionnaireSummary, type Round, RoundStatus } from '../../../../contracts/surveys.ts';
import { get, post } from '../../../shared/api.ts';
import { DataTable } from '../../../shared/components/DataTable.tsx';
import { FormDrawer } from '../../../shared/components/FormDrawer.tsx';
import { UnitSelect } from '../../../shared/components/UnitSelect.tsx';
import { formatDate, PICKER_FORMAT } from '../../../shared/format.ts';
import { useMe } from '../../../shared/session.ts';

type StratumForm = { label: string; areaUnitId?: string; ageBand?: string; identity?: string; quota?: number; population?: number };
type RoundForm = {
  questionnaireId: string;
  versionId: string;
  name: string;
  period: [Dayjs, Dayjs];
  modes: ('public' | 'token' | 'enumerator')[];
  overQuota: 'refuse' | 'accept';
  device: boolean;
  token: boolean;
  phone: boolean;
  idNumber: boolean;
  networkFlagAbove: number | null;
  strata: StratumForm[];
};

const statusColor = { draft: 'default', open: 'green', closed: 'blue' } as const;

export function RoundsPage() {
  const me = useMe();
  const canManage = !!me.data?.permissions.includes('surveys.manage');
  const rounds = useQuery({ queryKey: ['surveys', 'rounds'], queryFn: () => get<Round[]>('/api/surveys/rounds'), refetchInterval: 10_000 });
  const [creating, setCreating] = useState(false);
  return (
    <Card
      title="调查轮次与结果"
      extra={
        canManage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-round">
            新建调查轮次
          </Button>
        )
      }
    >
      <DataTable<Round>
        tableKey="survey-rounds"
        rowKey="id"
        loading={rounds.isLoading}
        dataSource={rounds.data ?? []}
        pagination={false}
        columns={[
          { title: '轮次', dataIndex: 'name', render: (n: string, r) => <Link to={`/surveys/rounds/${r.id}`}>{n}</Link> },
          { title: '问卷', render: (_, r) => `${r.questionnaireName}（第 ${r.versionNumber} 版）` },
          { title: '状态', dataIndex: 'status', width: 90, render: (s: Round['status']) => <Tag color={statusColor[s]}>{RoundStatus[s]}</Tag> },
          { title: '期间', width: 230, render: (_, r) => `${formatDate(r.startsAt)} — ${formatDate(r.endsAt)}` },
          {
            title: '配额完成',
            width: 200,
            render: (_, r) => {
              const quota = r.strata.reduce((t, s) => t + (s.quota ?? 0), 0);
              const filled = r.strata.reduce((t, s) => t + s.filled, 0);
              return quota ? <Progress percent={Math.round((filled / quota) * 100)} size="small" format={() => `${filled}/${quota}`} /> : `${filled} 份`;
            },
          },
          { title: '答卷', dataIndex: 'responses', width: 80 },
        ]}
      />
      {creating && <RoundDrawer onClose={() => setCreating(false)} />}
    </Card>
  );
}

function RoundDrawer({ onClose }: { onClose(): void }) {
  const [form] = Form.useForm<RoundForm>();
  const qc = useQueryClient();
  const nav = useNavigate();
  const questionnaires = useQuery({ queryKey: ['surveys', 'questionnaires'], queryFn: () => get<QuestionnaireSummary[]>('/api/surveys/questionnaires') });
  const qid = Form.useWatch('questionnaireId', form);
  const detail = useQuery({ enabled: !!qid, queryKey: ['surveys', 'questionnaire', qid], queryFn: () => get<QuestionnaireDetail>(`/api/surveys/questionnaires/${qid}`) });
  const create = useMutation({
    mutationFn: (v: RoundForm) =>
      post<Round>('/api/surveys/rounds', {
        versionId: v.versionId,
        name: v.name,
        startsAt: v.period[0].startOf('day').toISOString(),
        endsAt: v.period[1].endOf('day').toISOString(),
        modes: v.modes,
        overQuota: v.overQuota,
        layers: { device: v.device, token: v.token, phone: v.phone, idNumber: v.idNumber, networkFlagAbove: v.networkFlagAbove ?? null },
        strata: (v.strata ?? []).map((s) => ({ label: s.label, areaUnitId: s.areaUnitId ?? null, ageBand: s.ageBand ?? null, identity: s.identity ?? null, quota: s.quota ?? null, population: s.population ?? null })),
      }),
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: ['surveys'] });
      nav(`/surveys/rounds/${r.id}`);
    },
  });
  return (
    <FormDrawer<RoundForm>
      title="新建调查轮次"
      form={form}
      size={860}
      onClose={onClose}
      onSubmit={(v) => create.mutateAsync(v)}
      saveTestId="save-round"
      initialValues={{ modes: ['public', 'token', 'enumerator'], overQuota: 'refuse', device: true, token: false, phone: false, idNumber: false, networkFlagAbove: 20, strata: [{ label: '' }] }}
    >
      <Form.Item name="questionnaireId" label="问卷" rules={[{ required: true, message: '请选择问卷' }]}>
        <Select options={(questionnaires.data ?? []).map((q) => ({ value: q.id, label: q.name }))} data-testid="round-questionnaire" />
      </Form.Item>
      <Form.Item name="versionId" label="版本（只能用已发布的版本）" rules={[{ required: true, message: '请选择已发布的版本' }]}>
        <Select
          data-testid="round-version"
          options={(detail.data?.versions ?? []).filter((v) => v.status === 'published').map((v) => ({ value: v.id, label: `第 ${v.number} 版` }))}
        />
      </Form.Item>
      <Form.Item name="name" label="轮次名称" rules={[{ required: true, message: '请填写轮次名称' }]}>
        <Input placeholder="如：2026年第四季度创建知晓率调查" maxLength={60} />
      </Form.Item>
      <Form.Item name="period" label="调查期间" rules={[{ required: true, message: '请选择调查期间' }]}>
        <DatePicker.RangePicker format={PICKER_FORMAT.date} data-testid="round-period" />
      </Form.Item>
      <Form.Item name="modes" label="调查方式">
        <Checkbox.Group
          options={[
            { value: 'public', label: '公开链接/二维码' },
            { value: 'token', label: '入户邀请码' },
            { value: 'enumerator', label: '调查员入户/街访' },
          ]}
        />
      </Form.Item>
      <Space wrap size="large">
        <Form.Item name="device" label="设备标识（每台设备一份）" valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="token" label="必须凭邀请码" valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="phone" label="手机验证码（每号一份）" valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="idNumber" label="身份证号（每人一份）" valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="networkFlagAbove" label="同一网络地址超过几份标记">
          <InputNumber min={1} placeholder="不标记" />
        </Form.Item>
      </Space>
      <Form.Item name="overQuota" label="类别样本已满时">
        <Radio.Group
          options={[
            { value: 'refuse', label: '礼貌谢绝' },
            { value: 'accept', label: '接收并标注超配额' },
          ]}
        />
      </Form.Item>
      <Form.List name="strata">
        {(fields, { add, remove }) => (
          <Card size="small" title="样本类别（分层）与配额" extra={<Button size="small" icon={<PlusOutlined />} onClick={() => add({ label: '' })} data-testid="add-stratum">添加类别</Button>}>
            {fields.map((f) => (
              <Space key={f.key} align="start" wrap style={{ display: 'flex', borderBottom: '1px dashed #eee', marginBottom: 8 }}>
                <Form.Item name={[f.name, 'label']} rules={[{ required: true, message: '名称' }]} style={{ width: 140 }}>
                  <Input placeholder="类别名称" />
                </Form.Item>
                <Form.Item name={[f.name, 'areaUnitId']} style={{ width: 180 }}>
                  <UnitSelect kinds={['district', 'street', 'community']} placeholder="区域（区/街道/社区）" scope="city" />
                </Form.Item>
                <Form.Item name={[f.name, 'ageBand']} style={{ width: 120 }}>
                  <Select allowClear placeholder="年龄段" options={Object.entries(AgeBands).map(([value, label]) => ({ value, label }))} />
                </Form.Item>
                <Form.Item name={[f.name, 'identity']} style={{ width: 110 }}>
                  <Select allowClear placeholder="身份" options={Object.entries(Identities).map(([value, label]) => ({ value, label }))} />
                </Form.Item>
                <Form.Item name={[f.name, 'quota']} style={{ width: 110 }}>
                  <InputNumber min={1} placeholder="配额" />
                </Form.Item>
                <Form.Item name={[f.name, 'population']} style={{ width: 130 }}>
                  <InputNumber min={1} placeholder="人口（加权）" />
                </Form.Item>
                <Button icon={<DeleteOutlined />} onClick={() => remove(f.name)} />
              </Space>
            ))}
          </Card>
        )}
      </Form.List>
    </FormDrawer>
  );
}
