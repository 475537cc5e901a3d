import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Checkbox, Form, Input, Radio, Select, Space, Tag } from 'antd';
import { useState } from 'react';
import { type QuizQuestion, QuizQuestionTypes } from '../../../../contracts/surveys.ts';
import { get, post } from '../../../shared/api.ts';
import { DataTable } from '../../../shared/components/DataTable.tsx';
import { FormDrawer } from '../../../shared/components/FormDrawer.tsx';
import { useMe } from '../../../shared/session.ts';

type QForm = { category: string; type: 'single' | 'multiple' | 'truefalse'; stem: string; options: string; answer: string[]; explanation: string; source: string };

/** The city's 应知应会 bank: each question with its answer, explanation and source; edits make versions. */
export function BankPage() {
  const me = useMe();
  const canManage = !!me.data?.permissions.includes('quizzes.manage');
  const [category, setCategory] = useState<string | undefined>();
  const bank = useQuery({ queryKey: ['quizzes', 'bank'], queryFn: () => get<QuizQuestion[]>('/api/quizzes/bank') });
  const [adding, setAdding] = useState(false);
  const [form] = Form.useForm<QForm>();
  const qc = useQueryClient();
  const type = Form.useWatch('type', form);
  const optionsText = Form.useWatch('options', form) ?? '';
  const letters = (type === 'truefalse' ? ['正确', '错误'] : optionsText.split('\n').filter((x: string) => x.trim())).map((_: string, i: number) => 'ABCDEFGH'[i]);
  const add = useMutation({
    mutationFn: (v: QForm) => {
      const labels = v.type === 'truefalse' ? ['正确', '错误'] : v.options.split('\n').map((x) => x.trim()).filter(Boolean);
      return post('/api/quizzes/bank', { questions: [{ category: v.category, type: v.type, stem: v.stem, options: labels.map((label, i) => ({ value: 'ABCDEFGH'[i], label })), answer: v.answer, explanation: v.explanation ?? '', source: v.source ?? '' }] });
    },
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['quizzes'] }),
  });
  const categories = [...new Set((bank.data ?? []).map((q) => q.category))];
  return (
    <Card
      title={`应知应会题库（${bank.data?.length ?? 0} 题）`}
      extra={
        <Space>
          <Select allowClear placeholder="分类" style={{ width: 160 }} value={category} onChange={setCategory} options={categories.map((c) => ({ value: c, label: c }))} />
          {canManage && <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>新增题目</Button>}
        </Space>
      }
    >
      <DataTable<QuizQuestion>
        tableKey="quiz-bank"
        rowKey="id"
        size="small"
        loading={bank.isLoading}
        dataSource={(bank.data ?? []).filter((q) => !category || q.category === category)}
        columns={[
          { title: '编号', dataIndex: 'code', width: 90, render: (c: string, q) => `${c} v${q.version}` },
          { title: '分类', dataIndex: 'category', width: 110 },
          { title: '题型', dataIndex: 'type', width: 70, render: (t: QuizQuestion['type']) => <Tag>{QuizQuestionTypes[t]}</Tag> },
          { title: '题干与选项', render: (_, q) => (<><div>{q.stem}</div><div style={{ color: '#888', fontSize: 12 }}>{q.options.map((o) => `${o.value}. ${o.label}`).join('　')}</div></>) },
          { title: '答案', dataIndex: 'answer', width: 80, render: (a: string[]) => a.join('') },
          { title: '解析 / 出处', render: (_, q) => (<><div style={{ fontSize: 12 }}>{q.explanation}</div><div style={{ color: '#888', fontSize: 12 }}>{q.source}</div></>) },
        ]}
      />
      {adding && (
        <FormDrawer<QForm> title="新增题目" form={form} onClose={() => setAdding(false)} onSubmit={(v) => add.mutateAsync(v)} initialValues={{ type: 'single', answer: [] }}>
          <Form.Item name="category" label="分类" rules={[{ required: true, message: '请填写分类' }]}>
            <Select showSearch mode={undefined} options={categories.map((c) => ({ value: c, label: c }))} placeholder="选择或输入新分类" onSearch={(s) => s && form.setFieldValue('category', s)} />
          </Form.Item>
          <Form.Item name="type" label="题型">
            <Radio.Group options={Object.entries(QuizQuestionTypes).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Form.Item name="stem" label="题干" rules={[{ required: true, message: '请填写题干' }]}>
            <Input.TextArea rows={2} />
          </Form.Item>
          {type !== 'truefalse' && (
            <Form.Item name="options" label="选项（每行一个，依次为 A、B、C…）" rules={[{ required: true, message: '请填写选项' }]}>
              <Input.TextArea rows={4} />
            </Form.Item>
          )}
          <Form.Item name="answer" label="正确答案" rules={[{ required: true, message: '请选择正确答案' }]}>
            <Checkbox.Group options={letters.map((l: string) => ({ value: l, label: type === 'truefalse' ? (l === 'A' ? '正确' : '错误') : l }))} />
          </Form.Item>
          <Form.Item name="explanation" label="解析"><Input.TextArea rows={2} /></Form.Item>
          <Form.Item name="source" label="出处"><Input /></Form.Item>
        </FormDrawer>
      )}
    </Card>
  );
}
