import { Checkbox, Form, Input, Radio, Select, } from 'antd';
import type { CreateUserResponse, Role, User } from '../../../../contracts/users.ts';
import { patch, post } from '../../../shared/api.ts';
import { UnitSelect } from '../../../shared/components/UnitSelect.tsx';
import { FormDrawer } from '../../../shared/components/FormDrawer.tsx';

type Props = {
  user?: User;
  roles: Role[];
  isSelf: boolean;
  onClose(): void;
  /** after a save; a created user comes with the generated password to show once */
  onSaved(user: User, generatedPassword: string | null): void;
};
type Values = {
  username: string;
  name: string;
  phone?: string;
  clearPhone?: boolean;
  unitId: string;
  roleCodes: string[];
  passwordMode: 'generate' | 'manual';
  password?: string;
};

export function UserForm({ user, roles, isSelf, onClose, onSaved }: Props) {
  const [form] = Form.useForm<Values>();
  const passwordMode = Form.useWatch('passwordMode', form);
  const clearPhone = Form.useWatch('clearPhone', form);
  const held = new Set(user?.roles.map((r) => r.code) ?? []);

  const submit = async (v: Values) => {
    if (user) {
      const phone = v.clearPhone ? null : v.phone?.trim() || undefined;
      const saved = await patch<User>(`/api/users/${user.id}`, {
        version: user.version,
        name: v.name,
        phone,
        unitId: v.unitId,
        roleCodes: v.roleCodes,
      });
      onSaved(saved, null);
    } else {
      const res = await post<CreateUserResponse>('/api/users', {
        username: v.username,
        name: v.name,
        phone: v.phone?.trim() || null,
        unitId: v.unitId,
        roleCodes: v.roleCodes,
        password: v.passwordMode === 'manual' ? v.password : undefined,
      });
      onSaved(res.user, res.generatedPassword);
    }
  };

  return (
    <FormDrawer<Values>
      title={user ? `编辑用户「${user.name}」` : '新增用户'}
      size={520}
      form={form}
      onSubmit={submit}
      onClose={onClose}
      saveTestId="user-save"
      successMessage={user ? '已保存' : '已新增用户'}
      initialValues={
        user
          ? { username: user.username, name: user.name, unitId: user.unit.id, roleCodes: user.roles.map((r) => r.code) }
          : { passwordMode: 'generate', roleCodes: [] }
      }
    >
      <Form.Item
        name="username"
        label="用户名"
        extra={user ? '用户名创建后不能修改' : '字母开头，3–32 位，可含字母、数字、下划线、点或连字符；保存为小写'}
        rules={[{ required: true, message: '请填写用户名' }]}
      >
        <Input maxLength={32} disabled={!!user} autoComplete="off" data-testid="user-username" />
      </Form.Item>
      <Form.Item name="name" label="姓名" rules={[{ required: true, message: '请填写姓名' }]}>
        <Input maxLength={40} data-testid="user-name" />
      </Form.Item>
      <Form.Item
        name="phone"
        label="手机号"
        extra={user?.phoneMasked ? `当前：${user.phoneMasked}，留空不修改。手机号加密保存，也可用于登录。` : '选填。加密保存，也可用于登录。'}
      >
        <Input maxLength={11} disabled={!!clearPhone} autoComplete="off" data-testid="user-phone" />
      </Form.Item>
      {user?.phoneMasked && (
        <Form.Item name="clearPhone" valuePropName="checked" style={{ marginTop: -16 }}>
          <Checkbox>清除手机号</Checkbox>
        </Form.Item>
      )}
      <Form.Item
        name="unitId"
        label="所属单位"
        rules={[{ required: true, message: '请选择所属单位' }]}
        extra={isSelf ? '自己的所属单位由上级管理员调整' : '用户可查看所属单位及其下级的数据'}
      >
        <UnitSelect
          allowClear={false}
          style={{ width: '100%' }}
          initialOptions={user ? [{ id: user.unit.id, name: user.unit.name }] : []}
          data-testid="user-unit"
        />
      </Form.Item>
      <Form.Item
        name="roleCodes"
        label="角色"
        rules={[{ required: true, message: '请至少选择一个角色' }]}
        extra={isSelf ? '自己的角色由其他管理员调整' : '只能授予权限不超出您本人权限的角色'}
      >
        <Select
          mode="multiple"
          disabled={isSelf}
          data-testid="user-roles"
          showSearch={{ optionFilterProp: 'label' }}
          options={roles.map((r) => ({
            value: r.code,
            // a role the actor cannot grant stays selectable only if the user already holds it
            disabled: !r.canGrant && !held.has(r.code),
            label: r.canGrant ? r.name : `${r.name}（超出您的权限）`,
          }))}
        />
      </Form.Item>
      {!user && (
        <>
          <Form.Item name="passwordMode" label="初始密码">
            <Radio.Group
              options={[
                { value: 'generate', label: '自动生成（推荐）' },
                { value: 'manual', label: '手动设置' },
              ]}
              data-testid="user-password-mode"
            />
          </Form.Item>
          {passwordMode === 'manual' ? (
            <Form.Item
              name="password"
              label="设置初始密码"
              extra="至少 8 位，包含大写字母、小写字母、数字、符号中的至少三类，不能包含用户名"
              rules={[{ required: true, message: '请输入初始密码' }]}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
          ) : (
            <div style={{ color: '#888', marginTop: -12, marginBottom: 16 }}>保存后显示一次临时密码，请转告用户。</div>
          )}
          <div style={{ color: '#888' }}>用户首次登录须修改密码。</div>
        </>
      )}
    </FormDrawer>
  );
}
