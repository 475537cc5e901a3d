import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import type { LoginRequest, Me } from '../../../../contracts/auth.ts';
import { ApiError, post } from '../../../shared/api.ts';

export function LoginPage({ onLoggedIn }: { onLoggedIn: (next: string | null) => void }) {
  const qc = useQueryClient();
  const [params] = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const submit = async (values: LoginRequest) => {
    setLoading(true);
    setError(null);
    try {
      const me = await post<Me>('/api/auth/login', values);
      qc.setQueryData(['me'], me);
      onLoggedIn(params.get('next'));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '网络异常，请稍后重试');
    } finally {
      setLoading(false);
    }
  };

  return (
    <div className="cw-login">
      <Card className="cw-login-card">
        <div style={{ textAlign: 'center', marginBottom: 24 }}>
          <div className="cw-brand-mark" style={{ width: 48, height: 48, fontSize: 26, margin: '0 auto 12px' }}>
            创
          </div>
          <Typography.Title level={3} style={{ margin: 0 }}>
            创文通
          </Typography.Title>
          <Typography.Text type="secondary">全国文明城市创建工作管理平台</Typography.Text>
        </div>
        {error && <Alert type="error" title={error} showIcon style={{ marginBottom: 16 }} data-testid="login-error" />}
        <Form<LoginRequest> onFinish={submit} size="large" autoComplete="on">
          <Form.Item name="username" rules={[{ required: true, message: '请输入用户名或手机号' }]}>
            <Input prefix={<UserOutlined />} placeholder="用户名或手机号" autoComplete="username" />
          </Form.Item>
          <Form.Item name="password" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password prefix={<LockOutlined />} placeholder="密码" autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={loading}>
            登录
          </Button>
        </Form>
      </Card>
    </div>
  );
}
