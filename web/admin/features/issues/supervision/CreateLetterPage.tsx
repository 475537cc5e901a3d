import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Descriptions, Form, Image, Input, Space, Steps, Table, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { type CandidateIssue, type CandidateReason, CandidateReasonLabels, type CandidateUnit, type LetterDetail, type LetterDraft } from '../../../../../contracts/supervision.ts';
import { ApiError, get, post, qs } from '../../../../shared/api.ts';
import { formatDate, PICKER_FORMAT } from '../../../../shared/format.ts';
import { chinaToday, cnDate } from './kit.tsx';

const REASON_COLORS: Record<CandidateReason, string> = { overdue: 'red', rework: 'orange', relapse: 'purple' };

function Reasons({ issue }: { issue: CandidateIssue }) {
  return (
    <Space size={2} wrap>
      {issue.reasons.map((r) => (
        <Tag key={r} color={REASON_COLORS[r]}>
          {r === 'overdue' ? `超期${issue.daysOverdue}天` : r === 'rework' ? `返工${issue.reworkCount}次` : `回潮${issue.relapseCount}次`}
        </Tag>
      ))}
    </Space>
  );
}

type Values = { replyDeadline: Dayjs; title: string; body: string };

/**
 * 签发督办函, in three steps: the unit (units with overdue or repeat issues, most first), the
 * issues (checkboxes, all preselected), then a preview with reply deadline, title and text — the
 * server numbers it 创文督〔年〕N号 and renders the Word document on sending.
 */
export function CreateLetterPage() {
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [step, setStep] = useState(0);
  const [unit, setUnit] = useState<CandidateUnit | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [sending, setSending] = useState(false);
  const [form] = Form.useForm<Values>();

  const units = useQuery({ queryKey: ['supervision-candidates'], queryFn: () => get<CandidateUnit[]>('/api/supervision-letters/candidates') });
  const issues = useQuery({
    queryKey: ['supervision-candidates', unit?.unitId],
    queryFn: () => get<CandidateIssue[]>(`/api/supervision-letters/candidates/${unit!.unitId}`),
    enabled: !!unit,
  });

  const pickUnit = async (u: CandidateUnit) => {
    setUnit(u);
    const list = await qc.fetchQuery({ queryKey: ['supervision-candidates', u.unitId], queryFn: () => get<CandidateIssue[]>(`/api/supervision-letters/candidates/${u.unitId}`) });
    setSelected(list.map((i) => i.id));
    setStep(1);
  };

  const toPreview = async () => {
    const deadline = dayjs(chinaToday()).add(7, 'day');
    try {
      const draft = await get<LetterDraft>(`/api/supervision-letters/draft${qs({ unitId: unit!.unitId, replyDeadline: deadline.format('YYYY-MM-DD'), count: selected.length })}`);
      form.setFieldsValue({ replyDeadline: deadline, title: draft.title, body: draft.body });
      setStep(2);
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '无法生成默认正文');
    }
  };

  /** keeps the date in the default text in step with the picker */
  const onDeadline = (d: Dayjs | null) => {
    if (!d) return;
    const body = form.getFieldValue('body') as string;
    form.setFieldValue('body', body.replace(/请于\d{4}年\d{1,2}月\d{1,2}日前/, `请于${cnDate(d.format('YYYY-MM-DD'))}前`));
  };

  const send = async () => {
    const v = await form.validateFields();
    setSending(true);
    try {
      const letter = await post<LetterDetail>('/api/supervision-letters', {
        unitId: unit!.unitId,
        issueIds: selected,
        replyDeadline: v.replyDeadline.format('YYYY-MM-DD'),
        title: v.title,
        body: v.body,
      });
      message.success(`已签发 ${letter.number}`);
      await qc.invalidateQueries({ queryKey: ['supervision-letters'] });
      await qc.invalidateQueries({ queryKey: ['supervision-candidates'] });
      navigate(`/issues/supervision/${letter.id}`);
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '签发失败');
    } finally {
      setSending(false);
    }
  };

  const chosen = (issues.data ?? []).filter((i) => selected.includes(i.id));

  return (
    <div data-testid="letter-create-page">
      <h1 className="cw-page-title">签发督办函</h1>
      <Card size="small">
        <Steps current={step} size="small" style={{ marginBottom: 16 }} items={[{ title: '选择单位' }, { title: '选择问题' }, { title: '预览并签发' }]} />

        {step === 0 && (
          <Table<CandidateUnit>
            rowKey="unitId"
            size="middle"
            loading={units.isLoading}
            dataSource={units.data ?? []}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            locale={{ emptyText: '没有超期或返工、回潮的问题，无需督办' }}
            onRow={(u) => ({ onClick: () => pickUnit(u), style: { cursor: 'pointer' } })}
            data-testid="candidate-units"
            columns={[
              { title: '责任单位', dataIndex: 'unitName' },
              { title: '超期未整改', dataIndex: 'overdue', width: 110, align: 'right', render: (v: number) => (v ? <b style={{ color: '#c8102e' }}>{v}</b> : 0) },
              { title: '返工', dataIndex: 'rework', width: 80, align: 'right' },
              { title: '回潮', dataIndex: 'relapse', width: 80, align: 'right' },
              { title: '合计', dataIndex: 'total', width: 80, align: 'right' },
              { title: '未办结督办函', dataIndex: 'openLetters', width: 120, align: 'right', render: (v: number) => (v ? <Tag color="orange">{v} 件</Tag> : '—') },
              {
                title: '',
                key: 'go',
                width: 90,
                render: (_: unknown, u) => (
                  <Button size="small" type="primary" ghost onClick={() => pickUnit(u)}>
                    选择
                  </Button>
                ),
              },
            ]}
          />
        )}

        {step === 1 && unit && (
          <>
            <Alert type="info" showIcon style={{ marginBottom: 12 }} title={`${unit.unitName}：共 ${issues.data?.length ?? 0} 个超期或返工、回潮问题，已选 ${selected.length} 个`} />
            <Table<CandidateIssue>
              rowKey="id"
              size="small"
              loading={issues.isLoading}
              dataSource={issues.data ?? []}
              pagination={false}
              scroll={{ x: 900, y: 480 }}
              rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) }}
              data-testid="candidate-issues"
              columns={[
                {
                  title: '照片',
                  dataIndex: 'thumbnailUrl',
                  width: 76,
                  render: (v: string | null) => (v ? <Image src={v} width={56} height={42} style={{ objectFit: 'cover' }} preview={{ src: v.replace('/thumbnail', '/content') }} /> : <span style={{ color: '#bbb' }}>无</span>),
                },
                { title: '问题编号', dataIndex: 'number', width: 170 },
                { title: '问题', dataIndex: 'title', ellipsis: true },
                { title: '地点', key: 'place', width: 180, ellipsis: true, render: (_: unknown, i) => [i.areaUnitName, i.address].filter(Boolean).join(' ') },
                { title: '整改期限', dataIndex: 'deadline', width: 140, render: (v: string | null) => (v ? formatDate(v) : '—') },
                { title: '督办原因', key: 'reasons', width: 170, render: (_: unknown, i) => <Reasons issue={i} /> },
                { title: '已在督办函', dataIndex: 'inLetters', width: 160, render: (v: string[]) => (v.length ? v.join('、') : '—') },
              ]}
            />
            <Space style={{ marginTop: 12 }}>
              <Button onClick={() => setStep(0)}>上一步</Button>
              <Button type="primary" disabled={!selected.length} onClick={toPreview} data-testid="letter-next">
                下一步：预览
              </Button>
            </Space>
          </>
        )}

        {step === 2 && unit && (
          <>
            <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered style={{ marginBottom: 12 }}>
              <Descriptions.Item label="受函单位">{unit.unitName}</Descriptions.Item>
              <Descriptions.Item label="文号">签发时按年度顺序编号：创文督〔{new Date().getFullYear()}〕N号</Descriptions.Item>
              <Descriptions.Item label="督办问题">{chosen.length} 个</Descriptions.Item>
              <Descriptions.Item label="其中">
                {(['overdue', 'rework', 'relapse'] as const).map((r) => `${CandidateReasonLabels[r]} ${chosen.filter((i) => i.reasons.includes(r)).length}`).join('，')}
              </Descriptions.Item>
            </Descriptions>
            <Form form={form} layout="vertical">
              <Form.Item name="replyDeadline" label="回复期限" rules={[{ required: true, message: '请选择回复期限' }]}>
                <DatePicker
                  onChange={onDeadline}
                  disabledDate={(d) => d.format('YYYY-MM-DD') < chinaToday()}
                  format={PICKER_FORMAT.date}
                  allowClear={false}
                  data-testid="letter-deadline"
                />
              </Form.Item>
              <Form.Item name="title" label="标题" rules={[{ required: true, whitespace: true, message: '请填写标题' }, { max: 60, message: '标题最多 60 个字符' }]}>
                <Input data-testid="letter-title" />
              </Form.Item>
              <Form.Item name="body" label="正文（每段一行；问题清单作为附件附在文后）" rules={[{ required: true, whitespace: true, message: '请填写正文' }, { max: 3000, message: '正文最多 3000 个字符' }]}>
                <Input.TextArea autoSize={{ minRows: 6, maxRows: 14 }} data-testid="letter-body" />
              </Form.Item>
            </Form>
            <Table<CandidateIssue>
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={chosen}
              scroll={{ x: 700 }}
              title={() => '附件：督办问题清单'}
              columns={[
                { title: '序号', key: 'n', width: 60, render: (_: unknown, __: CandidateIssue, i: number) => i + 1 },
                { title: '问题编号', dataIndex: 'number', width: 170 },
                { title: '问题', dataIndex: 'title', ellipsis: true },
                { title: '整改期限', dataIndex: 'deadline', width: 140, render: (v: string | null) => (v ? formatDate(v) : '—') },
                { title: '超期天数／返工次数', key: 'r', width: 180, render: (_: unknown, i) => <Reasons issue={i} /> },
              ]}
            />
            <Space style={{ marginTop: 12 }}>
              <Button onClick={() => setStep(1)}>上一步</Button>
              <Button type="primary" loading={sending} onClick={send} data-testid="letter-send">
                签发
              </Button>
            </Space>
          </>
        )}
      </Card>
    </div>
  );
}
