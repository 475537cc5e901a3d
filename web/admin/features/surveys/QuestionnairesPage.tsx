import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Form, Input, Tag } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { QuestionnaireDetail, QuestionnaireModelInput, QuestionnaireSummary } from '../../../../contracts/surveys.ts';
import { SATISFACTION_OPTIONS } from '../../../../domain/survey-model.ts';
import { DataTable } from '../../../shared/components/DataTable.tsx';
import { FormDrawer } from '../../../shared/components/FormDrawer.tsx';
import { formatDate } from '../../../shared/format.ts';
import { get, post } from '../../../shared/api.ts';
import { useMe } from '../../../shared/session.ts';

/** A new questionnaire starts from a small real-style template the editor then changes. */
export const TEMPLATE = (title: string): QuestionnaireModelInput => ({
  title,
  intro: '您好！为了解市民对文明城市创建工作的知晓和满意情况，请根据实际情况填写。本问卷匿名。',
  sections: [
    {
      id: 'A',
      title: '一、创建知晓',
      questions: [
        {
          id: 'Q1',
          type: 'single',
          title: '您知道本市正在创建全国文明城市吗？',
          options: [
            { value: 'k', label: '知道', code: 'KNOW' },
            { value: 'u', label: '不清楚', code: 'UNCLEAR' },
            { value: 'n', label: '不知道', code: 'DONT_KNOW' },
          ],
        },
        { id: 'Q2', type: 'scale', title: '您对所在社区的环境卫生是否满意？', options: SATISFACTION_OPTIONS },
      ],
    },
  ],
  rates: [
    { id: 'aware', name: '知晓率', items: [{ question: 'Q1' }], numerator: ['KNOW'], excluded: [], target: 0.85 },
    { id: 'satisfied', name: '满意率', items: [{ question: 'Q2' }], numerator: ['SATISFIED', 'FAIRLY_SATISFIED'], excluded: [] },
  ],
});

export function QuestionnairesPage() {
  const me = useMe();
  const canManage = !!me.data?.permissions.includes('surveys.manage');
  const q = useQuery({ queryKey: ['surveys', 'questionnaires'], queryFn: () => get<QuestionnaireSummary[]>('/api/surveys/questionnaires') });
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm<{ name: string }>();
  const nav = useNavigate();
  const qc = useQueryClient();
  const create = useMutation({
    mutationFn: (name: string) => post<QuestionnaireDetail>('/api/surveys/questionnaires', { name, model: TEMPLATE(name) }),
    onSuccess: (d) => {
      void qc.invalidateQueries({ queryKey: ['surveys'] });
      nav(`/surveys/questionnaires/${d.id}`);
    },
  });
  return (
    <Card
      title="问卷"
      extra={
        canManage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-questionnaire">
            新建问卷
          </Button>
        )
      }
    >
      <DataTable<QuestionnaireSummary>
        tableKey="questionnaires"
        rowKey="id"
        loading={q.isLoading}
        dataSource={q.data ?? []}
        pagination={false}
        columns={[
          { title: '问卷', dataIndex: 'name', render: (n: string, r) => <Link to={`/surveys/questionnaires/${r.id}`}>{n}</Link> },
          { title: '最新版本', render: (_, r) => <>第 {r.latestNumber} 版 {r.latestStatus === 'published' ? <Tag color="green">已发布</Tag> : <Tag color="orange">草稿</Tag>}</> },
          { title: '已发布版本', dataIndex: 'publishedCount', width: 110 },
          { title: '调查轮次', dataIndex: 'rounds', width: 100 },
          { title: '创建日期', dataIndex: 'createdAt', width: 160, render: (d: string) => formatDate(d) },
        ]}
      />
      {creating && (
        <FormDrawer<{ name: string }> title="新建问卷" form={form} onClose={() => setCreating(false)} onSubmit={async (v) => create.mutateAsync(v.name)} saveTestId="save-questionnaire" successMessage="已新建问卷（第 1 版草稿）">
          <Form.Item name="name" label="问卷名称" rules={[{ required: true, message: '请填写问卷名称' }]}>
            <Input maxLength={60} placeholder="如：市民文明素质与创建知晓率调查" />
          </Form.Item>
        </FormDrawer>
      )}
    </Card>
  );
}
