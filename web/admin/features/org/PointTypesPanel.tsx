import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, InputNumber, Modal, Popconfirm, Space, Switch, Table, Tag } from 'antd';
import { useState } from 'react';
import type { PointType } from '../../../../contracts/places.ts';
import { ApiError, get, patch, post, qs } from '../../../shared/api.ts';
import { applyServerError } from '../../../shared/forms.ts';
import { can, useMe } from '../../../shared/session.ts';

type Values = { code: string; name: string; sort: number };

/** The 26 point types of the 测评体系 and any added ones: city-wide data, kept by the city level. */
export function PointTypesPanel() {
  const { data: me } = useMe();
  const { message } = App.useApp();
  const qc = useQueryClient();
  // city-wide data: only an org.write holder whose unit is the root may change it
  const canWrite = can(me, 'org.write') && me?.unit.path.length === 1;
  const [showInactive, setShowInactive] = useState(false);
  const [editing, setEditing] = useState<{ type?: PointType } | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<Values>();
  const types = useQuery({
    queryKey: ['org', 'point-types', showInactive],
    queryFn: () => get<PointType[]>(`/api/org/point-types${qs({ includeInactive: showInactive })}`),
  });
  const refresh = () => qc.invalidateQueries({ queryKey: ['org'] });

  const save = async (v: Values) => {
    setSaving(true);
    try {
      if (editing?.type) await patch(`/api/org/point-types/${editing.type.id}`, { ...v, version: editing.type.version });
      else await post('/api/org/point-types', v);
      message.success('已保存');
      setEditing(null);
      await refresh();
    } catch (e) {
      message.error(applyServerError(form, e));
    } finally {
      setSaving(false);
    }
  };
  const toggle = async (t: PointType) => {
    try {
      await patch(`/api/org/point-types/${t.id}`, { version: t.version, isActive: !t.isActive });
      message.success(t.isActive ? '已停用' : '已启用');
      await refresh();
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '操作失败');
    }
  };

  return (
    <Card
      size="small"
      title="点位类型"
      extra={
        <Space>
          <Switch size="small" checked={showInactive} onChange={setShowInactive} checkedChildren="含停用" unCheckedChildren="仅在用" />
          {canWrite && (
            <Button type="primary" size="small" icon={<PlusOutlined />} onClick={() => setEditing({})} data-testid="point-type-create">
              新增类型
            </Button>
          )}
        </Space>
      }
    >
      <Table<PointType>
        rowKey="id"
        size="small"
        loading={types.isLoading}
        dataSource={types.data}
        pagination={false}
        scroll={{ x: 560 }}
        data-testid="point-types-table"
        columns={[
          { title: '排序', dataIndex: 'sort', width: 70 },
          { title: '编码', dataIndex: 'code', width: 90 },
          { title: '名称', dataIndex: 'name' },
          { title: '点位数', dataIndex: 'pointCount', width: 90 },
          { title: '状态', dataIndex: 'isActive', width: 80, render: (a: boolean) => (a ? <Tag color="green">在用</Tag> : <Tag>停用</Tag>) },
          ...(canWrite
            ? [
                {
                  title: '操作',
                  key: 'ops',
                  width: 120,
                  render: (_: unknown, r: PointType) => (
                    <Space size="small">
                      <a onClick={() => setEditing({ type: r })}>编辑</a>
                      <Popconfirm title={r.isActive ? '停用后新增点位时不可再选此类型，已有点位不受影响。确定停用？' : '确定启用？'} onConfirm={() => toggle(r)}>
                        <a>{r.isActive ? '停用' : '启用'}</a>
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing && (
        <Modal
          open
          title={editing.type ? `编辑「${editing.type.name}」` : '新增点位类型'}
          onCancel={() => setEditing(null)}
          onOk={() => form.submit()}
          confirmLoading={saving}
          destroyOnHidden
        >
          <Form<Values> form={form} layout="vertical" onFinish={save} initialValues={editing.type ?? { sort: (types.data?.length ?? 0) + 1 }} preserve={false}>
            <Form.Item name="code" label="编码" rules={[{ required: true, message: '请填写编码' }]}>
              <Input maxLength={20} />
            </Form.Item>
            <Form.Item name="name" label="名称" rules={[{ required: true, message: '请填写名称' }]}>
              <Input maxLength={40} />
            </Form.Item>
            <Form.Item name="sort" label="排序号">
              <InputNumber style={{ width: '100%' }} />
            </Form.Item>
          </Form>
        </Modal>
      )}
    </Card>
  );
}
