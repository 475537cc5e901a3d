import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Checkbox, Form, Input, Popconfirm, Radio, Select, Space, Tag } from 'antd';
import { useState } from 'react';
import type { Paged } from '../../../../contracts/common.ts';
import { type Point, type Sponsorship, SponsorTargetLabels, type SponsorTargetType, type Zone } from '../../../../contracts/places.ts';
import { ApiError, del, get, post, qs } from '../../../shared/api.ts';
import { FormDrawer } from '../../../shared/components/FormDrawer.tsx';
import { UnitSelect } from '../../../shared/components/UnitSelect.tsx';
import { can, useMe } from '../../../shared/session.ts';
import { DataTable } from '../../../shared/components/DataTable.tsx';

/** 包保: which unit sponsors which community, 责任区 or point (PRODUCT.md §3.1). */
export function SponsorshipsPage() {
  const { data: me } = useMe();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const canWrite = can(me, 'org.write');
  const [targetType, setTargetType] = useState<SponsorTargetType | undefined>();
  const [unitId, setUnitId] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const list = useQuery({
    queryKey: ['org', 'sponsorships', targetType, unitId, page],
    queryFn: () => get<Paged<Sponsorship>>(`/api/org/sponsorships${qs({ targetType, unitId, page, pageSize: 20 })}`),
  });
  const remove = async (s: Sponsorship) => {
    try {
      await del(`/api/org/sponsorships/${s.id}`);
      message.success('已解除包保');
      await qc.invalidateQueries({ queryKey: ['org'] });
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '操作失败');
    }
  };
  return (
    <div>
      <h1 className="cw-page-title">包保关系</h1>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Space wrap>
          <Radio.Group
            value={targetType ?? 'all'}
            onChange={(e) => {
              setTargetType(e.target.value === 'all' ? undefined : e.target.value);
              setPage(1);
            }}
            optionType="button"
            options={[{ value: 'all', label: '全部' }, ...Object.entries(SponsorTargetLabels).map(([value, label]) => ({ value, label }))]}
          />
          <UnitSelect
            scope="city"
            value={unitId}
            onChange={(v) => {
              setUnitId(v as string | undefined);
              setPage(1);
            }}
            placeholder="按包保单位筛选"
            style={{ width: 260 }}
          />
          {canWrite && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="sponsorship-create">
              新增包保
            </Button>
          )}
        </Space>
      </Card>
      <Card size="small">
        <DataTable<Sponsorship> tableKey="sponsorships"
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={list.data?.items}
          scroll={{ x: 720 }}
          pagination={{ current: page, total: list.data?.total, pageSize: 20, onChange: setPage, showTotal: (t) => `共 ${t} 条` }}
          columns={[
            { title: '包保单位', dataIndex: 'unitName' },
            { title: '对象类型', dataIndex: 'targetType', width: 100, render: (t: SponsorTargetType) => <Tag>{SponsorTargetLabels[t]}</Tag> },
            { title: '包保对象', dataIndex: 'targetName' },
            { title: '牵头', dataIndex: 'isLead', width: 80, render: (l: boolean) => (l ? <Tag color="red">牵头</Tag> : '—') },
            { title: '备注', dataIndex: 'note', render: (n: string | null) => n ?? '—' },
            ...(canWrite
              ? [
                  {
                    title: '操作',
                    key: 'actions',
                    width: 90,
                    render: (_: unknown, s: Sponsorship) => (
                      <Popconfirm title={`解除「${s.unitName}」对「${s.targetName}」的包保？`} onConfirm={() => remove(s)}>
                        <a>解除</a>
                      </Popconfirm>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      {creating && (
        <SponsorshipForm
          onClose={() => setCreating(false)}
          onSaved={async () => {
            setCreating(false);
            await qc.invalidateQueries({ queryKey: ['org'] });
          }}
        />
      )}
    </div>
  );
}

type Values = { unitId: string; targetType: SponsorTargetType; targetId: string; isLead: boolean; note?: string };

function SponsorshipForm({ onClose, onSaved }: { onClose(): void; onSaved(): void }) {
  const [form] = Form.useForm<Values>();
  const targetType = Form.useWatch('targetType', form) ?? 'community';
  const [q, setQ] = useState('');
  const zones = useQuery({
    queryKey: ['org', 'zones', 'options'],
    queryFn: () => get<Paged<Zone>>('/api/org/zones?pageSize=200'),
    enabled: targetType === 'zone',
  });
  const points = useQuery({
    queryKey: ['org', 'points', 'options', q],
    queryFn: () => get<Paged<Point>>(`/api/org/points${qs({ q, pageSize: 30 })}`),
    enabled: targetType === 'point',
  });
  return (
    <FormDrawer<Values>
      title="新增包保关系"
      form={form}
      onClose={onClose}
      saveTestId="sponsorship-save"
      initialValues={{ targetType: 'community', isLead: false }}
      onSubmit={async (v) => {
        await post('/api/org/sponsorships', { ...v, note: v.note || null });
        onSaved();
      }}
    >
      <Form.Item name="unitId" label="包保单位" rules={[{ required: true, message: '请选择包保单位' }]}>
        <UnitSelect scope="city" kinds={['department', 'unit']} />
      </Form.Item>
      <Form.Item name="targetType" label="包保对象类型">
        <Radio.Group
          optionType="button"
          options={Object.entries(SponsorTargetLabels).map(([value, label]) => ({ value, label }))}
          onChange={() => form.setFieldValue('targetId', undefined)}
        />
      </Form.Item>
      <Form.Item name="targetId" label={`包保${SponsorTargetLabels[targetType]}`} rules={[{ required: true, message: '请选择包保对象' }]}>
        {targetType === 'community' ? (
          <UnitSelect kinds={['community']} />
        ) : targetType === 'zone' ? (
          <Select showSearch={{ optionFilterProp: 'label' }} options={(zones.data?.items ?? []).map((z) => ({ value: z.id, label: `${z.code} ${z.name}` }))} />
        ) : (
          <Select
            showSearch={{ filterOption: false, onSearch: setQ }}
            placeholder="输入点位名称、地址或编码搜索"
            options={(points.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.name}（${p.typeName}）` }))}
          />
        )}
      </Form.Item>
      <Form.Item name="isLead" valuePropName="checked">
        <Checkbox>牵头单位（每个对象至多一个）</Checkbox>
      </Form.Item>
      <Form.Item name="note" label="备注">
        <Input.TextArea rows={2} maxLength={200} />
      </Form.Item>
    </FormDrawer>
  );
}
