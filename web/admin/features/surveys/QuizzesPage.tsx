import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, DatePicker, Form, Input, InputNumber, Radio, Select, Space, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router';
import { AttemptsPolicies, type Quiz, type QuizQuestion } from '../../../../contracts/surveys.ts';
import { get, post } from '../../../shared/api.ts';
import { DataTable } from '../../../shared/components/DataTable.tsx';
import { FormDrawer } from '../../../shared/components/FormDrawer.tsx';
import { formatDate, PICKER_FORMAT } from '../../../shared/format.ts';
import { useMe } from '../../../shared/session.ts';

type QuizForm = {
  name: string;
  mode: 'random' | 'fixed';
  draw: { category: string; count: number }[];
  fixedQuestionIds: string[];
  timeLimitMin: number;
  pointsPerQuestion: number;
  passPercent: number;
  attemptsPolicy: 'best' | 'last' | 'first';
  maxAttempts: number | null;
  scoring: 'all' | 'partial';
  identify: 'unit' | 'phone';
  period: [Dayjs, Dayjs];
};

export function QuizzesPage() {
  const me = useMe();
  const canManage = !!me.data?.permissions.includes('quizzes.manage');
  const quizzes = useQuery({ queryKey: ['quizzes'], queryFn: () => get<Quiz[]>('/api/quizzes') });
  const [creating, setCreating] = useState(false);
  return (
    <Card title="应知应会测试" extra={canManage && <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>新建测试</Button>}>
      <DataTable<Quiz>
        tableKey="quizzes"
        rowKey="id"
        loading={quizzes.isLoading}
        dataSource={quizzes.data ?? []}
        pagination={false}
        columns={[
          { title: '测试', dataIndex: 'name', render: (n: string, q) => <Link to={`/surveys/quizzes/${q.id}`}>{n}</Link> },
          { title: '组卷', render: (_, q) => (q.mode === 'random' ? `随机：${q.draw.map((d) => `${d.category}${d.count}题`).join('、')}` : `固定试卷 ${q.questionCount} 题`) },
          { title: '满分/及格', render: (_, q) => `${q.maxScore} 分 / ${q.passPercent}%` },
          { title: '限时', render: (_, q) => `${q.timeLimitMin} 分钟` },
          { title: '计分', render: (_, q) => `${AttemptsPolicies[q.attemptsPolicy]}${q.maxAttempts ? `，最多 ${q.maxAttempts} 次` : ''}` },
          { title: '期间', render: (_, q) => `${formatDate(q.startsAt)} — ${formatDate(q.endsAt)}` },
          { title: '答卷', dataIndex: 'attempts' },
          { title: '链接', render: (_, q) => <Typography.Text copyable>{`${location.origin}/s/q/${q.slug}`}</Typography.Text> },
        ]}
      />
      {creating && <QuizDrawer onClose={() => setCreating(false)} />}
    </Card>
  );
}

function QuizDrawer({ onClose }: { onClose(): void }) {
  const [form] = Form.useForm<QuizForm>();
  const qc = useQueryClient();
  const bank = useQuery({ queryKey: ['quizzes', 'bank'], queryFn: () => get<QuizQuestion[]>('/api/quizzes/bank') });
  const categories = [...new Set((bank.data ?? []).map((q) => q.category))];
  const mode = Form.useWatch('mode', form);
  const create = useMutation({
    mutationFn: (v: QuizForm) => post<Quiz>('/api/quizzes', { ...v, period: undefined, startsAt: v.period[0].startOf('day').toISOString(), endsAt: v.period[1].endOf('day').toISOString() }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['quizzes'] }),
  });
  return (
    <FormDrawer<QuizForm>
      title="新建应知应会测试"
      form={form}
      size={720}
      onClose={onClose}
      onSubmit={(v) => create.mutateAsync(v)}
      initialValues={{ mode: 'random', draw: [{ category: categories[0] ?? '', count: 5 }], fixedQuestionIds: [], timeLimitMin: 10, pointsPerQuestion: 10, passPercent: 60, attemptsPolicy: 'best', maxAttempts: 3, scoring: 'all', identify: 'unit' }}
    >
      <Form.Item name="name" label="测试名称" rules={[{ required: true, message: '请填写测试名称' }]}>
        <Input maxLength={60} />
      </Form.Item>
      <Form.Item name="mode" label="组卷">
        <Radio.Group options={[{ value: 'random', label: '按分类随机抽题' }, { value: 'fixed', label: '固定试卷' }]} />
      </Form.Item>
      {mode === 'fixed' ? (
        <Form.Item name="fixedQuestionIds" label="题目">
          <Select mode="multiple" options={(bank.data ?? []).map((q) => ({ value: q.id, label: `${q.code} ${q.stem}` }))} />
        </Form.Item>
      ) : (
        <Form.List name="draw">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="baseline">
                  <Form.Item name={[f.name, 'category']} rules={[{ required: true, message: '分类' }]}>
                    <Select style={{ width: 200 }} options={categories.map((c) => ({ value: c, label: `${c}（${(bank.data ?? []).filter((q) => q.category === c).length} 题）` }))} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'count']}>
                    <InputNumber min={1} addonAfter="题" />
                  </Form.Item>
                  <Button icon={<DeleteOutlined />} onClick={() => remove(f.name)} />
                </Space>
              ))}
              <Button size="small" onClick={() => add({ category: categories[0], count: 2 })}>+ 分类</Button>
            </>
          )}
        </Form.List>
      )}
      <Space wrap style={{ marginTop: 12 }}>
        <Form.Item name="timeLimitMin" label="限时（分钟）"><InputNumber min={1} max={180} /></Form.Item>
        <Form.Item name="pointsPerQuestion" label="每题分值"><InputNumber min={1} max={100} /></Form.Item>
        <Form.Item name="passPercent" label="及格线（%）"><InputNumber min={0} max={100} /></Form.Item>
        <Form.Item name="maxAttempts" label="每人次数"><InputNumber min={1} max={100} placeholder="不限" /></Form.Item>
      </Space>
      <Form.Item name="attemptsPolicy" label="多次作答取">
        <Radio.Group options={Object.entries(AttemptsPolicies).map(([value, label]) => ({ value, label }))} />
      </Form.Item>
      <Form.Item name="scoring" label="多选题计分">
        <Radio.Group options={[{ value: 'all', label: '全对得分' }, { value: 'partial', label: '少选按比例得分，错选不得分' }]} />
      </Form.Item>
      <Form.Item name="identify" label="参与人识别">
        <Radio.Group options={[{ value: 'unit', label: '姓名 + 单位' }, { value: 'phone', label: '手机号（另填姓名、单位）' }]} />
      </Form.Item>
      <Form.Item name="period" label="开放期间" rules={[{ required: true, message: '请选择期间' }]}>
        <DatePicker.RangePicker format={PICKER_FORMAT.date} />
      </Form.Item>
    </FormDrawer>
  );
}
