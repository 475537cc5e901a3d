import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input } from 'antd';
import { useState } from 'react';
import type { ChangePasswordRequest } from '../../../contracts/auth.ts';
import { post } from '../api.ts';
import { applyServerError } from '../forms.ts';

/** Change one's own password; `forced` when the server requires it before anything else. */
export function ChangePasswordCard({ forced = false }: { forced?: boolean }) {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<ChangePasswordRequest & { confirm: string }>();
  const [loading, setLoading] = useState(false);

  const submit = async (v: ChangePasswordRequest & { confirm: string }) => {
    setLoading(true);
    try {
      await post('/api/auth/password', { oldPassword: v.oldPassword, newPassword: v.newPassword });
      message.success('密码已修改');
      form.resetFields();
      await qc.invalidateQueries({ queryKey: ['me'] });
    } catch (e) {
      message.error(applyServerError(form, e));
    } finally {
      setLoading(false);
    }
  };

  return (
    <Card title="修改密码" style={{ maxWidth: 460, width: '100%' }}>
      {forced && <Alert type="warning" showIcon title="首次登录或密码已被重置，请先设置新密码" style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="oldPassword" label="原密码" rules={[{ required: true, message: '请输入原密码' }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label="新密码"
          extra="至少 8 位，包含大写字母、小写字母、数字、符号中的至少三类"
          rules={[{ required: true, message: '请输入新密码' }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label="确认新密码"
          dependencies={['newPassword']}
          rules={[
            { required: true, message: '请再次输入新密码' },
            ({ getFieldValue }) => ({
              validator: (_, v) => (v === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error('两次输入的密码不一致'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={loading}>
          保存
        </Button>
      </Form>
    </Card>
  );
}
