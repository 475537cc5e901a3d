import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Form, Input, Select, Typography } from 'antd';
import type { Paged } from '../../../../contracts/common.ts';
import { type CreateTaskRequest, IndicatorLevelLabels, type TaskDetail, type TaskPhase, TaskPhaseLabels, type UpdateTaskRequest } from '../../../../contracts/indicators.ts';
import type { User } from '../../../../contracts/users.ts';
import { get, patch, post, qs } from '../../../shared/api.ts';
import { FormDrawer } from '../../../shared/components/FormDrawer.tsx';
import { UnitSelect } from '../../../shared/components/UnitSelect.tsx';
import { can, useMe } from '../../../shared/session.ts';
import { URL, useTree } from './api.ts';

type Values = {
  title: string;
  leadUnitId?: string | null;
  responsibleUnitIds: string[];
  cooperatingUnitIds: string[];
  deadlineText: string;
  phase?: TaskPhase | null;
  materials: string;
  note: string;
  liaisons: Record<string, string | undefined>;
};

/** 联络员 of one unit: a person of that very unit (not of a unit below it). */
function LiaisonSelect({ unitId, value, onChange }: { unitId: string; value?: string; onChange?: (v: string | undefined) => void }) {
  const { data: me } = useMe();
  const users = useQuery({
    queryKey: ['indicators', 'unit-users', unitId],
    queryFn: () => get<Paged<User>>(`/api/users${qs({ unitId, pageSize: 100 })}`),
    enabled: can(me, 'users.read'),
  });
  return (
    <Select
      allowClear
      placeholder={can(me, 'users.read') ? '选择联络员' : '无权查看人员'}
      value={value}
      onChange={onChange}
      style={{ width: '100%' }}
      options={(users.data?.items ?? []).filter((u) => u.unit.id === unitId && u.isActive).map((u) => ({ value: u.id, label: `${u.name}（${u.username}）` }))}
    />
  );
}

/** 编辑任务: the task's requirement, units, 联络员 per unit, deadline as written, phase, materials and note. */
export function TaskEditDrawer({ task, onClose }: { task: TaskDetail; onClose(): void }) {
  const [form] = Form.useForm<Values>();
  const qc = useQueryClient();
  const names = task.units.map((u) => ({ id: u.unitId, name: u.unitName }));
  const lead = Form.useWatch('leadUnitId', form);
  const responsible = Form.useWatch('responsibleUnitIds', form) ?? [];
  const cooperating = Form.useWatch('cooperatingUnitIds', form) ?? [];
  const unitIds = [...new Set([...(lead ? [lead] : []), ...responsible, ...cooperating])];
  const nameOf = (id: string) => names.find((n) => n.id === id)?.name ?? '所选单位';
  const save = async (v: Values) => {
    const liaisons = Object.fromEntries(Object.entries(v.liaisons ?? {}).filter(([id, user]) => user && unitIds.includes(id))) as Record<string, string>;
    const body: UpdateTaskRequest = {
      version: task.version,
      title: v.title,
      leadUnitId: v.leadUnitId ?? null,
      responsibleUnitIds: v.responsibleUnitIds ?? [],
      cooperatingUnitIds: v.cooperatingUnitIds ?? [],
      liaisons,
      deadlineText: v.deadlineText ?? '',
      phase: v.phase ?? null,
      materials: v.materials ?? '',
      note: v.note ?? '',
    };
    await patch(URL.task(task.id), body);
    await qc.invalidateQueries({ queryKey: ['indicators'] });
    onClose();
  };
  return (
    <FormDrawer<Values>
      title={`编辑任务 ${task.nodeCode}`}
      form={form}
      onSubmit={save}
      onClose={onClose}
      size={640}
      saveTestId="task-save"
      initialValues={{
        title: task.title,
        leadUnitId: task.leadUnitId,
        responsibleUnitIds: task.units.filter((u) => u.role === 'responsible').map((u) => u.unitId),
        cooperatingUnitIds: task.units.filter((u) => u.role === 'cooperating').map((u) => u.unitId),
        deadlineText: task.deadlineText,
        phase: task.phase,
        materials: task.materials,
        note: task.note,
        liaisons: Object.fromEntries(task.units.filter((u) => u.liaisonUserId).map((u) => [u.unitId, u.liaisonUserId as string])),
      }}
    >
      <Typography.Paragraph type="secondary">
        {task.nodeCode} {task.nodeText}
      </Typography.Paragraph>
      <Form.Item name="title" label="任务要求" rules={[{ required: true, message: '请填写任务要求' }]}>
        <Input.TextArea rows={2} />
      </Form.Item>
      <Form.Item name="leadUnitId" label="牵头单位">
        <UnitSelect scope="city" initialOptions={names} />
      </Form.Item>
      <Form.Item name="responsibleUnitIds" label="责任单位">
        <UnitSelect scope="city" multiple initialOptions={names} />
      </Form.Item>
      <Form.Item name="cooperatingUnitIds" label="配合单位">
        <UnitSelect scope="city" multiple initialOptions={names} />
      </Form.Item>
      <Form.Item name="deadlineText" label="完成时限" extra="照本市写法：2026-06-30、2026年6月30日、6月底、上半年、长期坚持、每月">
        <Input data-testid="task-deadline" />
      </Form.Item>
      <Form.Item name="phase" label="阶段">
        <Select allowClear options={Object.entries(TaskPhaseLabels).map(([value, label]) => ({ value, label }))} data-testid="task-phase" />
      </Form.Item>
      <Form.Item name="materials" label="材料要求">
        <Input.TextArea rows={2} />
      </Form.Item>
      <Form.Item name="note" label="备注">
        <Input.TextArea rows={2} />
      </Form.Item>
      {unitIds.length > 0 && <Typography.Title level={5}>联络员</Typography.Title>}
      {unitIds.map((id) => (
        <Form.Item key={id} name={['liaisons', id]} label={nameOf(id)}>
          <LiaisonSelect unitId={id} />
        </Form.Item>
      ))}
    </FormDrawer>
  );
}

type CreateValues = Omit<Values, 'liaisons'> & { nodeId: string };

/**
 * 新增任务: a task on a 测评标准 (or a 测评内容) of the system, with its units, deadline, phase,
 * materials and note. The requirement and materials default to the node's on the server when
 * left empty; 联络员 are set afterwards in 编辑任务 (they are people of the chosen units).
 */
export function CreateTaskDrawer({ systemId, onClose }: { systemId: string; onClose(id?: string): void }) {
  const [form] = Form.useForm<CreateValues>();
  const qc = useQueryClient();
  const tree = useTree(systemId);
  const nodes = (tree.data?.nodes ?? []).filter((n) => n.isActive && n.level !== 'item');
  const save = async (v: CreateValues) => {
    const body: CreateTaskRequest = {
      systemId,
      nodeId: v.nodeId,
      title: v.title?.trim() || undefined,
      leadUnitId: v.leadUnitId ?? null,
      responsibleUnitIds: v.responsibleUnitIds ?? [],
      cooperatingUnitIds: v.cooperatingUnitIds ?? [],
      liaisons: {},
      deadlineText: v.deadlineText ?? '',
      phase: v.phase ?? null,
      materials: v.materials ?? '',
      note: v.note ?? '',
    };
    const t = await post<TaskDetail>(URL.tasks, body);
    await qc.invalidateQueries({ queryKey: ['indicators'] });
    onClose(t.id);
  };
  return (
    <FormDrawer<CreateValues>
      title="新增任务"
      form={form}
      onSubmit={save}
      onClose={() => onClose()}
      size={640}
      saveTestId="task-create-save"
      successMessage="已新增任务"
      initialValues={{ responsibleUnitIds: [], cooperatingUnitIds: [], deadlineText: '', materials: '', note: '' }}
    >
      <Form.Item name="nodeId" label="测评标准（或测评内容）" rules={[{ required: true, message: '请选择测评标准' }]}>
        <Select
          showSearch={{ optionFilterProp: 'label' }}
          loading={tree.isLoading}
          placeholder="输入编号或内容查找"
          options={nodes.map((n) => ({ value: n.id, label: `${n.code} ${n.text}`, title: IndicatorLevelLabels[n.level] }))}
          data-testid="task-create-node"
        />
      </Form.Item>
      <Form.Item name="title" label="任务要求" extra="不填则用测评标准的内容">
        <Input.TextArea rows={2} data-testid="task-create-title" />
      </Form.Item>
      <Form.Item name="leadUnitId" label="牵头单位">
        <UnitSelect scope="city" />
      </Form.Item>
      <Form.Item name="responsibleUnitIds" label="责任单位">
        <UnitSelect scope="city" multiple />
      </Form.Item>
      <Form.Item name="cooperatingUnitIds" label="配合单位">
        <UnitSelect scope="city" multiple />
      </Form.Item>
      <Form.Item name="deadlineText" label="完成时限" extra="照本市写法：2026-06-30、2026年6月30日、6月底、上半年、长期坚持、每月">
        <Input data-testid="task-create-deadline" />
      </Form.Item>
      <Form.Item name="phase" label="阶段">
        <Select allowClear options={Object.entries(TaskPhaseLabels).map(([value, label]) => ({ value, label }))} />
      </Form.Item>
      <Form.Item name="materials" label="材料要求" extra="不填则用测评标准的材料要求">
        <Input.TextArea rows={2} />
      </Form.Item>
      <Form.Item name="note" label="备注">
        <Input.TextArea rows={2} />
      </Form.Item>
      <Typography.Paragraph type="secondary">联络员在保存后的「编辑任务」中按单位设置。</Typography.Paragraph>
    </FormDrawer>
  );
}
