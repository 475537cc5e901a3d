import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import type { Paged } from '../../../../contracts/common.ts';
import type { ResetPasswordResponse, Role, User } from '../../../../contracts/users.ts';
import { ApiError, get, post, qs } from '../../../shared/api.ts';
import { UnitSelect } from '../../../shared/components/UnitSelect.tsx';
import { formatDateTime } from '../../../shared/format.ts';
import { can, useMe } from '../../../shared/session.ts';
import { UserForm } from './UserForm.tsx';
import { DataTable } from '../../../shared/components/DataTable.tsx';

type Filters = { q?: string; unitId?: string; role?: string; isActive?: 'true' | 'false' };
const PAGE_SIZE = 20;

/** A password shown once: after a create with a generated password, or a reset. */
function OneTimePasswordModal({ shown, onClose }: { shown: { user: User; password: string; reason: 'create' | 'reset' }; onClose(): void }) {
  return (
    <Modal
      open
      title={shown.reason === 'create' ? '用户已创建' : '密码已重置'}
      onCancel={onClose}
      maskClosable={false}
      footer={
        <Button type="primary" onClick={onClose}>
          我已记下
        </Button>
      }
    >
      <Alert
        type="warning"
        showIcon
        title="临时密码只显示这一次，关闭后无法再次查看。"
        description={`请通过安全渠道告知${shown.user.name}（${shown.user.username}）。用户登录后须立即修改密码。`}
        style={{ marginBottom: 16 }}
      />
      <div style={{ textAlign: 'center', padding: '8px 0 4px' }}>
        <Typography.Text copyable={{ text: shown.password, tooltips: ['复制', '已复制'] }} code style={{ fontSize: 20 }} data-testid="one-time-password">
          {shown.password}
        </Typography.Text>
      </div>
    </Modal>
  );
}

function statusTags(u: User) {
  return (
    <Space size={4} wrap>
      {u.isActive ? <Tag color="green">在用</Tag> : <Tag>停用</Tag>}
      {u.isLocked && (
        <Tooltip title={u.lockedUntil ? `锁定至 ${formatDateTime(u.lockedUntil)}` : undefined}>
          <Tag color="orange">已锁定</Tag>
        </Tooltip>
      )}
      {u.mustChangePassword && <Tag color="blue">待改密</Tag>}
    </Space>
  );
}

export function UsersPage() {
  const { data: me } = useMe();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [params] = useSearchParams();
  const canWrite = can(me, 'users.write');
  const [form] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>(() => ({ role: params.get('role') ?? undefined }));
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<{ user?: User } | null>(null);
  const [shown, setShown] = useState<{ user: User; password: string; reason: 'create' | 'reset' } | null>(null);

  const roles = useQuery({ queryKey: ['roles'], queryFn: () => get<Role[]>('/api/roles') });
  const users = useQuery({
    queryKey: ['users', filters, page],
    queryFn: () => get<Paged<User>>(`/api/users${qs({ ...filters, page, pageSize: PAGE_SIZE })}`),
  });
  const refresh = () => qc.invalidateQueries({ queryKey: ['users'] });
  const aboveMe = new Set((roles.data ?? []).filter((r) => !r.canGrant).map((r) => r.code));

  const act = async (u: User, what: 'disable' | 'enable' | 'unlock' | 'reset-password') => {
    try {
      if (what === 'reset-password') {
        const res = await post<ResetPasswordResponse>(`/api/users/${u.id}/reset-password`);
        setShown({ user: res.user, password: res.temporaryPassword, reason: 'reset' });
      } else {
        await post(`/api/users/${u.id}/${what}`, what === 'unlock' ? {} : { version: u.version });
        message.success({ disable: '已停用，该用户已被强制下线', enable: '已启用', unlock: '已解除锁定' }[what]);
      }
      await refresh();
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '操作失败');
    }
  };

  /** Why the actor cannot act on this user, or null. The server decides; this only explains. */
  const blockedReason = (u: User): string | null => {
    if (u.roles.some((r) => aboveMe.has(r.code))) return '该用户拥有超出您权限的角色，只能由上级管理员维护';
    return null;
  };

  return (
    <div>
      <h1 className="cw-page-title">用户</h1>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form<Filters>
          form={form}
          layout="inline"
          initialValues={filters}
          onFinish={(v) => {
            setFilters({ ...v, q: v.q?.trim() || undefined });
            setPage(1);
          }}
          style={{ rowGap: 12 }}
        >
          <Form.Item name="q" label="关键字">
            <Input allowClear placeholder="用户名、姓名或完整手机号" style={{ width: 220 }} data-testid="user-search" />
          </Form.Item>
          <Form.Item name="unitId" label="单位" tooltip="含下级单位">
            <UnitSelect style={{ width: 220 }} placeholder="全部单位" />
          </Form.Item>
          <Form.Item name="role" label="角色">
            <Select allowClear placeholder="全部角色" style={{ width: 170 }} options={(roles.data ?? []).map((r) => ({ value: r.code, label: r.name }))} />
          </Form.Item>
          <Form.Item name="isActive" label="状态">
            <Select
              allowClear
              placeholder="全部"
              style={{ width: 100 }}
              options={[
                { value: 'true', label: '在用' },
                { value: 'false', label: '停用' },
              ]}
            />
          </Form.Item>
          <Space>
            <Button type="primary" htmlType="submit">
              查询
            </Button>
            <Button
              onClick={() => {
                form.setFieldsValue({ q: undefined, unitId: undefined, role: undefined, isActive: undefined });
                setFilters({});
                setPage(1);
              }}
            >
              重置
            </Button>
          </Space>
        </Form>
      </Card>
      <Card
        size="small"
        title="用户列表"
        extra={
          canWrite && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({})} data-testid="user-create">
              新增用户
            </Button>
          )
        }
      >
        <DataTable<User> tableKey="users"
          rowKey="id"
          size="small"
          loading={users.isLoading}
          dataSource={users.data?.items}
          scroll={{ x: 1110 }}
          pagination={{ current: page, total: users.data?.total, pageSize: PAGE_SIZE, onChange: setPage, showTotal: (t) => `共 ${t} 人`, showSizeChanger: false }}
          columns={[
            { title: '用户名', dataIndex: 'username', width: 100, ellipsis: true },
            { title: '姓名', dataIndex: 'name', width: 90, ellipsis: true },
            { title: '手机号', dataIndex: 'phoneMasked', width: 110, render: (v: string | null) => v ?? '—' },
            {
              title: '所属单位',
              dataIndex: ['unit', 'name'],
              width: 150,
              ellipsis: true,
              render: (_: unknown, u) => <Tooltip title={u.unit.pathNames}>{u.unit.name}</Tooltip>,
            },
            {
              title: '角色',
              dataIndex: 'roles',
              minWidth: 140,
              render: (rs: User['roles']) => (
                <Space size={4} wrap>
                  {rs.map((r) => (
                    <Tag key={r.code}>{r.name}</Tag>
                  ))}
                </Space>
              ),
            },
            { title: '状态', key: 'status', width: 120, render: (_: unknown, u) => statusTags(u) },
            { title: '最近登录', dataIndex: 'lastLoginAt', width: 150, render: (v: string | null) => (v ? formatDateTime(v) : <span style={{ color: '#999' }}>从未登录</span>) },
            ...(canWrite
              ? [
                  {
                    title: '操作',
                    key: 'actions',
                    width: 250,
                    fixed: 'right' as const,
                    render: (_: unknown, u: User) => {
                      const isSelf = u.id === me?.user.id;
                      const blocked = blockedReason(u);
                      if (blocked) {
                        return (
                          <Tooltip title={blocked}>
                            <span style={{ color: '#999' }}>无权操作</span>
                          </Tooltip>
                        );
                      }
                      return (
                        <Space size={0} wrap>
                          <Button type="link" size="small" onClick={() => setEditing({ user: u })}>
                            编辑
                          </Button>
                          {!isSelf && (
                            <Popconfirm
                              title={`重置「${u.name}」的密码？`}
                              description="将生成一次性临时密码，并使该用户立即下线。"
                              onConfirm={() => act(u, 'reset-password')}
                            >
                              <Button type="link" size="small">
                                重置密码
                              </Button>
                            </Popconfirm>
                          )}
                          {u.isLocked && (
                            <Popconfirm title={`解除「${u.name}」的登录锁定？`} onConfirm={() => act(u, 'unlock')}>
                              <Button type="link" size="small">
                                解锁
                              </Button>
                            </Popconfirm>
                          )}
                          {!isSelf &&
                            (u.isActive ? (
                              <Popconfirm
                                title={`停用「${u.name}」？`}
                                description="停用后该用户立即下线且不能登录，历史记录保留。"
                                onConfirm={() => act(u, 'disable')}
                                okButtonProps={{ danger: true }}
                              >
                                <Button type="link" size="small" danger>
                                  停用
                                </Button>
                              </Popconfirm>
                            ) : (
                              <Popconfirm title={`重新启用「${u.name}」？`} onConfirm={() => act(u, 'enable')}>
                                <Button type="link" size="small">
                                  启用
                                </Button>
                              </Popconfirm>
                            ))}
                        </Space>
                      );
                    },
                  },
                ]
              : []),
          ]}
        />
      </Card>
      {editing && (
        <UserForm
          user={editing.user}
          roles={roles.data ?? []}
          isSelf={editing.user?.id === me?.user.id}
          onClose={() => setEditing(null)}
          onSaved={async (saved, password) => {
            setEditing(null);
            if (password) setShown({ user: saved, password, reason: 'create' });
            // roles carry user counts; one's own name shows in the header
            await Promise.all([refresh(), qc.invalidateQueries({ queryKey: ['roles'] }), saved.id === me?.user.id && qc.invalidateQueries({ queryKey: ['me'] })]);
          }}
        />
      )}
      {shown && <OneTimePasswordModal shown={shown} onClose={() => setShown(null)} />}
    </div>
  );
}
