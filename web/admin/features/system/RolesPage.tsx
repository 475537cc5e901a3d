import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Checkbox, Form, Input, Popconfirm, Space, Tag, Tooltip } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { ALL_PERMISSIONS, type Permission, Permissions } from '../../../../contracts/permissions.ts';
import type { CreateRoleRequest, Role } from '../../../../contracts/users.ts';
import { ApiError, del, get, patch, post } from '../../../shared/api.ts';
import { FormDrawer } from '../../../shared/components/FormDrawer.tsx';
import { useMe } from '../../../shared/session.ts';
import { DataTable } from '../../../shared/components/DataTable.tsx';

const label = (p: string) => Permissions[p as Permission] ?? p;

function RoleForm({ role, onClose, onSaved }: { role?: Role; onClose(): void; onSaved(): void }) {
  const [form] = Form.useForm<CreateRoleRequest>();
  const { data: me } = useMe();
  const mine = new Set(me?.permissions ?? []);
  const heldBySelf = !!role && !!me?.roles.some((r) => r.code === role.code);

  const submit = async (v: CreateRoleRequest) => {
    if (role) {
      await patch<Role>(`/api/roles/${role.code}`, {
        version: role.version,
        name: v.name,
        description: v.description || null,
        permissions: v.permissions,
      });
    } else {
      await post<Role>('/api/roles', { ...v, description: v.description || null });
    }
    onSaved();
  };

  return (
    <FormDrawer<CreateRoleRequest>
      title={role ? `编辑角色「${role.name}」` : '新增角色'}
      size={560}
      form={form}
      onSubmit={submit}
      onClose={onClose}
      saveTestId="role-save"
      initialValues={role ? { code: role.code, name: role.name, description: role.description ?? undefined, permissions: role.permissions as Permission[] } : { permissions: [] }}
    >
      <Form.Item
        name="code"
        label="角色编码"
        extra={role ? '编码创建后不能修改' : '小写字母开头，可含小写字母、数字和下划线，如 media_reporter'}
        rules={[{ required: true, message: '请填写角色编码' }]}
      >
        <Input maxLength={32} disabled={!!role} />
      </Form.Item>
      <Form.Item name="name" label="角色名称" rules={[{ required: true, message: '请填写角色名称' }]}>
        <Input maxLength={40} />
      </Form.Item>
      <Form.Item name="description" label="说明">
        <Input.TextArea maxLength={200} rows={2} />
      </Form.Item>
      <Form.Item
        name="permissions"
        label="权限"
        extra={heldBySelf ? '您本人持有此角色：可以增加权限，但不能减少。' : '只能授予您本人拥有的权限。数据范围另由用户的所属单位决定。'}
      >
        <Checkbox.Group style={{ display: 'flex', flexDirection: 'column', gap: 10 }}>
          {ALL_PERMISSIONS.map((p) => (
            <Checkbox
              key={p}
              value={p}
              disabled={!mine.has(p) || (heldBySelf && role.permissions.includes(p))}
              data-testid={`perm-${p}`}
            >
              {Permissions[p]}
              <span style={{ color: '#999', marginLeft: 8, fontSize: 12 }}>{p}</span>
            </Checkbox>
          ))}
        </Checkbox.Group>
      </Form.Item>
    </FormDrawer>
  );
}

export function RolesPage() {
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [editing, setEditing] = useState<{ role?: Role } | null>(null);
  const { data, isLoading } = useQuery({ queryKey: ['roles'], queryFn: () => get<Role[]>('/api/roles') });
  const refresh = () => qc.invalidateQueries({ queryKey: ['roles'] });

  const remove = async (r: Role) => {
    try {
      await del(`/api/roles/${r.code}`);
      message.success('已删除');
      await refresh();
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '删除失败');
    }
  };

  return (
    <div>
      <h1 className="cw-page-title">角色</h1>
      <Card
        size="small"
        title="角色与权限"
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({})} data-testid="role-create">
            新增角色
          </Button>
        }
      >
        <DataTable<Role> tableKey="roles"
          rowKey="code"
          size="small"
          loading={isLoading}
          dataSource={data}
          pagination={false}
          scroll={{ x: 1000 }}
          columns={[
            {
              title: '角色名称',
              dataIndex: 'name',
              width: 200,
              render: (v: string, r) => (
                <Space size={6}>
                  {v}
                  {r.isSystem && <Tag color="red">系统</Tag>}
                </Space>
              ),
            },
            { title: '编码', dataIndex: 'code', width: 140, render: (v: string) => <span style={{ color: '#666' }}>{v}</span> },
            { title: '说明', dataIndex: 'description', width: 240, ellipsis: true, render: (v: string | null) => v ?? '—' },
            {
              title: '权限',
              dataIndex: 'permissions',
              render: (ps: string[]) =>
                ps.length === ALL_PERMISSIONS.length ? (
                  <Tag color="gold">全部权限</Tag>
                ) : (
                  <Space size={4} wrap>
                    {ps.map((p) => (
                      <Tag key={p}>{label(p)}</Tag>
                    ))}
                  </Space>
                ),
            },
            {
              title: '用户数',
              dataIndex: 'userCount',
              width: 80,
              align: 'right',
              render: (n: number, r) => <Link to={`/system/users?role=${encodeURIComponent(r.code)}`}>{n}</Link>,
            },
            {
              title: '操作',
              key: 'actions',
              width: 120,
              fixed: 'right',
              render: (_: unknown, r) => (
                <Space size={0}>
                  <Button type="link" size="small" onClick={() => setEditing({ role: r })}>
                    编辑
                  </Button>
                  {r.isSystem || r.userCount > 0 ? (
                    <Tooltip title={r.isSystem ? '系统角色不能删除，可调整其权限' : '仍有用户持有该角色，不能删除'}>
                      <Button type="link" size="small" disabled>
                        删除
                      </Button>
                    </Tooltip>
                  ) : (
                    <Popconfirm title={`删除角色「${r.name}」？`} description="删除后不可恢复。" onConfirm={() => remove(r)} okButtonProps={{ danger: true }}>
                      <Button type="link" size="small" danger>
                        删除
                      </Button>
                    </Popconfirm>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      {editing && (
        <RoleForm
          role={editing.role}
          onClose={() => setEditing(null)}
          onSaved={async () => {
            setEditing(null);
            // the editor's own permissions may have grown
            await Promise.all([refresh(), qc.invalidateQueries({ queryKey: ['me'] })]);
          }}
        />
      )}
    </div>
  );
}
