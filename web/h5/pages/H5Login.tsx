import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import type { LoginRequest, Me } from '../../../contracts/auth.ts';
import { ApiError, post } from '../../shared/api.ts';

/** Field staff log in on their phones: username or mobile number. */
export function H5Login() {
  const qc = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const submit = async (v: LoginRequest) => {
    setLoading(true);
    setError(null);
    try {
      qc.setQueryData(['me'], await post<Me>('/api/auth/login', v));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '网络异常，请稍后重试');
    } finally {
      setLoading(false);
    }
  };
  return (
    <div className="h5-login">
      <div className="brand">
        <div style={{ fontSize: 40 }}>创</div>
        <h1>创文通</h1>
        <div style={{ opacity: 0.85 }}>网格员 · 督查员 · 监督员 移动工作台</div>
      </div>
      <Card>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Form<LoginRequest> layout="vertical" size="large" onFinish={submit}>
          <Form.Item name="username" label="用户名或手机号" rules={[{ required: true, message: '请输入用户名或手机号' }]}>
            <Input autoComplete="username" inputMode="text" />
          </Form.Item>
          <Form.Item name="password" label="密码" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={loading}>
            登录
          </Button>
        </Form>
      </Card>
      <div style={{ textAlign: 'center', marginTop: 20, fontSize: 14 }}>
        <Link to="/report">市民随手拍（无需登录）</Link>
        <span style={{ color: '#bfbfbf', margin: '0 8px' }}>|</span>
        <Link to="/track">查询办理进度</Link>
      </div>
    </div>
  );
}
