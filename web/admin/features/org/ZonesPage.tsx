import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Checkbox, Form, Input, Popconfirm, Select, Space, Tag } from 'antd';
import { useState } from 'react';
import type { Paged } from '../../../../contracts/common.ts';
import type { Zone } from '../../../../contracts/places.ts';
import { ApiError, get, patch, post, qs } from '../../../shared/api.ts';
import { UnitSelect } from '../../../shared/components/UnitSelect.tsx';
import { FormDrawer } from '../../../shared/components/FormDrawer.tsx';
import { can, useMe } from '../../../shared/session.ts';
import { DataTable } from '../../../shared/components/DataTable.tsx';

export function ZonesPage() {
  const { data: me } = useMe();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const canWrite = can(me, 'org.write');
  const [q, setQ] = useState<string | undefined>();
  const [unitId, setUnitId] = useState<string | undefined>();
  const [includeInactive, setIncludeInactive] = useState(false);
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<{ zone?: Zone } | null>(null);

  const list = useQuery({
    queryKey: ['org', 'zones', q, unitId, includeInactive, page],
    queryFn: () => get<Paged<Zone>>(`/api/org/zones${qs({ q, unitId, includeInactive, page, pageSize: 20 })}`),
  });
  const refresh = () => qc.invalidateQueries({ queryKey: ['org'] });
  const toggleActive = async (z: Zone) => {
    try {
      await post(`/api/org/zones/${z.id}/${z.isActive ? 'deactivate' : 'activate'}`, { version: z.version });
      message.success(z.isActive ? '已停用' : '已启用');
      await refresh();
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '操作失败');
    }
  };

  return (
    <div>
      <h1 className="cw-page-title">责任区</h1>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Space wrap>
          <Input.Search
            allowClear
            placeholder="责任区名称 / 编码"
            style={{ width: 200 }}
            onSearch={(v) => {
              setQ(v.trim() || undefined);
              setPage(1);
            }}
            data-testid="zones-search"
          />
          <UnitSelect
            placeholder="包保单位"
            value={unitId}
            onChange={(v) => {
              setUnitId((v as string | undefined) ?? undefined);
              setPage(1);
            }}
            style={{ width: 200 }}
          />
          <Checkbox checked={includeInactive} onChange={(e) => setIncludeInactive(e.target.checked)}>
            含停用
          </Checkbox>
          {canWrite && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({})} data-testid="zone-create">
              新增责任区
            </Button>
          )}
        </Space>
      </Card>
      <Card size="small">
        <DataTable<Zone> tableKey="zones"
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={list.data?.items}
          scroll={{ x: 820 }}
          data-testid="zones-table"
          pagination={{ current: page, pageSize: 20, total: list.data?.total, onChange: setPage, showTotal: (t) => `共 ${t} 个责任区` }}
          columns={[
            { title: '编码', dataIndex: 'code', width: 90 },
            { title: '责任区', dataIndex: 'name', width: 240 },
            { title: '所属单位', dataIndex: 'ownerUnitName', width: 110 },
            {
              title: '包保单位',
              dataIndex: 'units',
              render: (units: Zone['units']) =>
                units.map((u) => (
                  <Tag key={u.id} color={u.isLead ? 'red' : undefined}>
                    {u.name}
                    {u.isLead && '（牵头）'}
                  </Tag>
                )),
            },
            { title: '状态', dataIndex: 'isActive', width: 70, render: (a: boolean) => (a ? <Tag color="green">在用</Tag> : <Tag>停用</Tag>) },
            ...(canWrite
              ? [
                  {
                    title: '操作',
                    key: 'ops',
                    width: 110,
                    render: (_: unknown, r: Zone) => (
                      <Space size="small">
                        <a onClick={() => setEditing({ zone: r })}>编辑</a>
                        <Popconfirm title={r.isActive ? '确定停用该责任区？' : '确定重新启用？'} onConfirm={() => toggleActive(r)}>
                          <a style={{ color: r.isActive ? '#c8102e' : undefined }}>{r.isActive ? '停用' : '启用'}</a>
                        </Popconfirm>
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      {editing && (
        <ZoneForm
          zone={editing.zone}
          onClose={() => setEditing(null)}
          onSaved={async () => {
            setEditing(null);
            await refresh();
          }}
        />
      )}
    </div>
  );
}

type Values = { code: string; name: string; ownerUnitId: string; description?: string | null; unitIds: string[]; leadId?: string | null };

function ZoneForm({ zone, onClose, onSaved }: { zone?: Zone; onClose(): void; onSaved(z: Zone): void }) {
  const [form] = Form.useForm<Values>();
  const unitIds: string[] = Form.useWatch('unitIds', form) ?? [];
  const known = new Map((zone?.units ?? []).map((u) => [u.id, u.name]));
  const missing = unitIds.filter((id) => !known.has(id));
  // names of newly chosen units, for the 牵头 select
  const fetched = useQuery({
    queryKey: ['org', 'unit-names', missing.join(',')],
    queryFn: () => Promise.all(missing.map((id) => get<{ id: string; name: string }>(`/api/org/units/${id}`).catch(() => null))),
    enabled: missing.length > 0,
  });
  for (const u of fetched.data ?? []) if (u) known.set(u.id, u.name);

  const submit = async (v: Values) => {
    const body = {
      code: v.code,
      name: v.name,
      ownerUnitId: v.ownerUnitId,
      description: v.description || null,
      units: (v.unitIds ?? []).map((id) => ({ id, isLead: id === v.leadId })),
    };
    const saved = zone ? await patch<Zone>(`/api/org/zones/${zone.id}`, { ...body, version: zone.version }) : await post<Zone>('/api/org/zones', body);
    onSaved(saved);
  };

  return (
    <FormDrawer<Values>
      title={zone ? `编辑责任区「${zone.name}」` : '新增责任区'}
      size={560}
      form={form}
      onSubmit={submit}
      onClose={onClose}
      saveTestId="zone-save"
      initialValues={
        zone
          ? { ...zone, unitIds: zone.units.map((u) => u.id), leadId: zone.units.find((u) => u.isLead)?.id ?? null }
          : { unitIds: [] }
      }
    >
      <Form.Item name="code" label="责任区编码" rules={[{ required: true, message: '请填写责任区编码' }]}>
        <Input maxLength={40} data-testid="zone-code" />
      </Form.Item>
      <Form.Item name="name" label="责任区名称" rules={[{ required: true, message: '请填写责任区名称' }]}>
        <Input maxLength={100} data-testid="zone-name" />
      </Form.Item>
      <Form.Item name="ownerUnitId" label="所属单位（区县 / 街道）" rules={[{ required: true, message: '请选择所属单位' }]}>
        <UnitSelect kinds={['district', 'street']} initialOptions={zone ? [{ id: zone.ownerUnitId, name: zone.ownerUnitName }] : []} />
      </Form.Item>
      <Form.Item name="description" label="说明">
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
      <Form.Item name="unitIds" label="包保单位">
        <UnitSelect
          multiple
          scope="city"
          initialOptions={zone?.units ?? []}
          onChange={(v) => {
            const ids = (v as string[] | undefined) ?? [];
            if (!ids.includes(form.getFieldValue('leadId'))) form.setFieldValue('leadId', null);
          }}
          data-testid="zone-units"
        />
      </Form.Item>
      <Form.Item name="leadId" label="牵头单位" extra="每个责任区至多一个牵头单位">
        <Select
          allowClear
          placeholder="从包保单位中选择"
          options={unitIds.map((id) => ({ value: id, label: known.get(id) ?? '…' }))}
        />
      </Form.Item>
    </FormDrawer>
  );
}
