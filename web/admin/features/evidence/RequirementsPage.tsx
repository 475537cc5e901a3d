import { PlusOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Form, Input, Select, Space, Switch, Tag, TreeSelect } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { type EvidenceRequirement, type GenerateResult, type Recurrence, RecurrenceLabels } from '../../../../contracts/evidence.ts';
import type { IndicatorNode } from '../../../../contracts/indicators.ts';
import { patch, post } from '../../../shared/api.ts';
import { FormDrawer } from '../../../shared/components/FormDrawer.tsx';
import { UnitSelect } from '../../../shared/components/UnitSelect.tsx';
import { can, useMe } from '../../../shared/session.ts';
import { useTree } from '../indicators/api.ts';
import { defaultEvidenceSystem, EV, useEvidenceSystems, useRequirements } from './api.ts';
import { dayText, EvidenceSystemSelect } from './kit.tsx';
import { DataTable } from '../../../shared/components/DataTable.tsx';

type TreeOption = { value: string; title: string; selectable: boolean; children: TreeOption[] };

/** The system's tree for the standard picker: requirements hang on standards (or contents). */
function treeOptions(nodes: IndicatorNode[] | undefined): TreeOption[] {
  const byParent = new Map<string | null, IndicatorNode[]>();
  for (const n of nodes ?? []) byParent.set(n.parentId, [...(byParent.get(n.parentId) ?? []), n]);
  const build = (parent: string | null): TreeOption[] =>
    (byParent.get(parent) ?? []).map((n) => ({ value: n.id, title: `${n.code} ${n.text}`, selectable: n.level !== 'item', children: build(n.id) }));
  return build(null);
}

type Values = { standardId: string; unitId?: string; recurrence: Recurrence; title: string; description?: string; span: [Dayjs, Dayjs]; generate: boolean };

function RequirementDrawer({ systemId, editing, onClose }: { systemId: string; editing: EvidenceRequirement | null; onClose(): void }) {
  const [form] = Form.useForm<Values>();
  const tree = useTree(systemId);
  const qc = useQueryClient();
  const options = useMemo(() => treeOptions(tree.data?.nodes), [tree.data]);
  const save = async (v: Values) => {
    if (editing) {
      await patch(EV.requirement(editing.id), { title: v.title, description: v.description ?? '', endsOn: v.span[1].format('YYYY-MM-DD'), version: editing.version });
    } else {
      await post(EV.requirements(), {
        standardId: v.standardId,
        unitId: v.unitId ?? null,
        recurrence: v.recurrence,
        title: v.title,
        description: v.description ?? '',
        startsOn: v.span[0].format('YYYY-MM-DD'),
        endsOn: v.span[1].format('YYYY-MM-DD'),
        generate: v.generate,
      });
    }
    await qc.invalidateQueries({ queryKey: ['evidence'] });
    onClose();
  };
  const year = dayjs().year();
  return (
    <FormDrawer<Values>
      title={editing ? '修改材料要求' : '新增材料要求'}
      form={form}
      onSubmit={save}
      onClose={onClose}
      size={Math.min(600, window.innerWidth)}
      saveTestId="requirement-save"
      initialValues={
        editing
          ? { standardId: editing.standardId, unitId: editing.unitId ?? undefined, recurrence: editing.recurrence, title: editing.title, description: editing.description, span: [dayjs(editing.startsOn), dayjs(editing.endsOn)], generate: false }
          : { recurrence: 'monthly', span: [dayjs(`${year}-01-01`), dayjs(`${year}-12-31`)], generate: true }
      }
    >
      <Form.Item name="standardId" label="测评标准" rules={[{ required: true, message: '请选择测评标准' }]}>
        <TreeSelect treeData={options} disabled={!!editing} showSearch treeNodeFilterProp="title" placeholder="选择测评标准（或测评内容）" loading={tree.isLoading} data-testid="requirement-standard" />
      </Form.Item>
      <Form.Item name="unitId" label="报送单位" extra="不选：该标准任务的全部牵头单位和责任单位（配合单位不报送）">
        {editing ? <Input disabled value={editing.unitName ?? '全部牵头、责任单位'} /> : <UnitSelect placeholder="全部牵头、责任单位" scope="city" />}
      </Form.Item>
      <Form.Item name="recurrence" label="报送频次" rules={[{ required: true, message: '请选择报送频次' }]}>
        <Select disabled={!!editing} options={Object.entries(RecurrenceLabels).map(([value, label]) => ({ value, label }))} />
      </Form.Item>
      <Form.Item name="title" label="材料名称" rules={[{ required: true, whitespace: true, message: '请填写材料名称' }]}>
        <Input maxLength={200} placeholder="如：背街小巷整治工作台账" />
      </Form.Item>
      <Form.Item name="description" label="材料说明">
        <Input.TextArea rows={3} maxLength={2000} placeholder="应包含的内容，如：整治前后对比照片、整治清单" />
      </Form.Item>
      <Form.Item name="span" label="起止日期" rules={[{ required: true, message: '请选择起止日期' }]}>
        <DatePicker.RangePicker style={{ width: '100%' }} disabled={editing ? [true, false] : false} />
      </Form.Item>
      {!editing && (
        <Form.Item name="generate" label="立即生成已到期各期的待报材料" valuePropName="checked">
          <Switch />
        </Form.Item>
      )}
    </FormDrawer>
  );
}

/** 材料要求: what each standard asks units to file and how often; generating the due items per period. */
export function RequirementsPage() {
  const { data: me } = useMe();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const [sp, setSp] = useSearchParams();
  const systems = useEvidenceSystems();
  const systemId = sp.get('systemId') ?? defaultEvidenceSystem(systems.data)?.id;
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const list = useRequirements({ systemId, q: q || undefined, page, pageSize: 20 }, !!systemId);
  const [editing, setEditing] = useState<EvidenceRequirement | 'new' | null>(null);
  const manage = can(me, 'evidence.manage');
  const generate = () =>
    modal.confirm({
      title: '生成待报材料',
      content: '为本体系每条有效的材料要求，按报送频次给每个责任单位生成截至今天已开始各期的“待提交”材料；已有的不会重复生成。',
      okText: '生成',
      cancelText: '取消',
      onOk: async () => {
        const r = await post<GenerateResult>(EV.generate, { systemId });
        message.success(`已检查 ${r.requirements} 条要求，新生成 ${r.created} 份待报材料`);
        await qc.invalidateQueries({ queryKey: ['evidence'] });
      },
    });
  return (
    <div data-testid="requirements-page">
      <h1 className="cw-page-title">材料要求</h1>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Space wrap>
          <EvidenceSystemSelect systems={systems.data} value={systemId} onChange={(v) => setSp({ systemId: v })} />
          <Input.Search allowClear placeholder="标准编号、内容或材料名称" style={{ width: 260 }} onSearch={(v) => {
              setQ(v.trim());
              setPage(1);
            }} />
          {manage && (
            <>
              <Button type="primary" icon={<PlusOutlined />} disabled={!systemId} onClick={() => setEditing('new')} data-testid="requirement-new">
                新增材料要求
              </Button>
              <Button icon={<ThunderboltOutlined />} disabled={!systemId} onClick={generate} data-testid="requirement-generate">
                生成待报材料
              </Button>
            </>
          )}
        </Space>
      </Card>
      <Card size="small">
        <DataTable<EvidenceRequirement> tableKey="requirements"
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={list.data?.items}
          pagination={{ current: page, pageSize: 20, total: list.data?.total, onChange: setPage, showSizeChanger: false, showTotal: (t) => `共 ${t} 条` }}
          columns={[
            { title: '标准', dataIndex: 'standardCode', width: 90 },
            { title: '测评标准', dataIndex: 'standardText', ellipsis: true },
            { title: '材料名称', dataIndex: 'title', width: 220, render: (v: string, r) => (r.isActive ? v : [v, <Tag key="x">已停用</Tag>]) },
            { title: '频次', dataIndex: 'recurrence', width: 90, render: (v: Recurrence) => RecurrenceLabels[v] },
            { title: '报送单位', dataIndex: 'unitName', width: 170, render: (v: string | null) => v ?? <span style={{ color: '#888' }}>全部牵头、责任单位</span> },
            { title: '起止', key: 'span', width: 230, render: (_: unknown, r) => `${dayText(r.startsOn)} 至 ${dayText(r.endsOn)}` },
            { title: '已生成', dataIndex: 'itemCount', width: 80, align: 'right' },
            {
              title: '操作',
              key: 'ops',
              width: 130,
              render: (_: unknown, r) =>
                manage && (
                  <Space size={4}>
                    <Button size="small" type="link" onClick={() => setEditing(r)}>
                      修改
                    </Button>
                    <Button
                      size="small"
                      type="link"
                      danger={r.isActive}
                      onClick={async () => {
                        try {
                          await patch(EV.requirement(r.id), { isActive: !r.isActive, version: r.version });
                          await qc.invalidateQueries({ queryKey: ['evidence'] });
                        } catch (e) {
                          message.error(e instanceof Error ? e.message : '操作失败');
                        }
                      }}
                    >
                      {r.isActive ? '停用' : '启用'}
                    </Button>
                  </Space>
                ),
            },
          ]}
        />
      </Card>
      {editing && systemId && <RequirementDrawer systemId={systemId} editing={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </div>
  );
}
