import { Form, Input, InputNumber, Select, Space } from 'antd';
import {
  ALLOWED_CHILD_KINDS,
  type CreateOrgUnitRequest,
  type OrgUnit,
  OrgUnitKindLabels,
  OrgUnitSubKindLabels,
} from '../../../../contracts/org.ts';
import { patch, post } from '../../../shared/api.ts';
import { FormDrawer } from '../../../shared/components/FormDrawer.tsx';

type Props = { mode: 'create' | 'edit'; parent?: OrgUnit; unit?: OrgUnit; onClose(): void; onSaved(u: OrgUnit): void };
type Values = Omit<CreateOrgUnitRequest, 'parentId'>;

export function UnitForm({ mode, parent, unit, onClose, onSaved }: Props) {
  const [form] = Form.useForm<Values>();
  const kinds = mode === 'create' ? ALLOWED_CHILD_KINDS[parent!.kind] : [unit!.kind];
  const kind = Form.useWatch('kind', form);

  const submit = async (v: Values) => {
    const clean = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x === '' ? null : x])) as Values;
    onSaved(
      mode === 'create'
        ? await post<OrgUnit>('/api/org/units', { ...clean, parentId: parent!.id })
        : await patch<OrgUnit>(`/api/org/units/${unit!.id}`, { ...clean, version: unit!.version, contactPhone: clean.contactPhone || undefined }),
    );
  };

  return (
    <FormDrawer<Values>
      title={mode === 'create' ? `在「${parent!.name}」下新增单位` : `编辑「${unit!.name}」`}
      form={form}
      onSubmit={submit}
      onClose={onClose}
      saveTestId="unit-save"
      initialValues={unit ? { ...unit, contactPhone: undefined } : { kind: kinds[0], sort: 0 }}
    >
        <Form.Item name="name" label="名称" rules={[{ required: true, message: '请填写名称' }]}>
          <Input maxLength={100} data-testid="unit-name" />
        </Form.Item>
        <Form.Item name="kind" label="类型" rules={[{ required: true }]}>
          <Select disabled={mode === 'edit'} options={kinds.map((k) => ({ value: k, label: OrgUnitKindLabels[k] }))} data-testid="unit-kind" />
        </Form.Item>
        {(kind === 'unit' || kind === 'department') && (
          <Form.Item name="subKind" label="单位类别">
            <Select allowClear options={Object.entries(OrgUnitSubKindLabels).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
        )}
        <Form.Item name="shortName" label="简称">
          <Input maxLength={40} />
        </Form.Item>
        {['district', 'street', 'community'].includes(kind ?? '') && (
          <Form.Item name="divisionCode" label="区划代码（GB/T 2260）" extra="区县 6 位，街道乡镇 9 位，社区村 12 位">
            <Input maxLength={12} />
          </Form.Item>
        )}
        {(kind === 'unit' || kind === 'department') && (
          <Form.Item name="creditCode" label="统一社会信用代码">
            <Input maxLength={18} />
          </Form.Item>
        )}
        <Form.Item name="address" label="地址">
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="population" label="常住人口" extra="用于计算注册志愿者占比等指标">
          <InputNumber min={0} style={{ width: '100%' }} />
        </Form.Item>
        <Space style={{ width: '100%' }} styles={{ item: { flex: 1 } }}>
          <Form.Item name="contactName" label="联系人">
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item name="contactPhone" label="联系电话" extra={unit?.contactPhoneMasked ? `当前：${unit.contactPhoneMasked}，留空不修改` : undefined}>
            <Input maxLength={13} />
          </Form.Item>
        </Space>
        <Form.Item name="sort" label="排序号">
          <InputNumber style={{ width: '100%' }} />
        </Form.Item>
    </FormDrawer>
  );
}
