import { CopyOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Modal, Popconfirm, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { ApiKey, CreatedApiKey, CreateApiKeyRequest } from '../../../../contracts/open311.ts';
import { ApiError, get, post } from '../../../shared/api.ts';
import { FormDrawer } from '../../../shared/components/FormDrawer.tsx';
import { formatDateTime } from '../../../shared/format.ts';
import { DataTable } from '../../../shared/components/DataTable.tsx';

/** 系统管理 → 接口密钥: keys of Open311 GeoReport v2 clients (12345 热线, 第三方 App). */
export function ApiKeysPage() {
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<CreatedApiKey | null>(null);
  const [form] = Form.useForm<CreateApiKeyRequest>();
  const { data, isLoading } = useQuery({ queryKey: ['api-keys'], queryFn: () => get<ApiKey[]>('/api/system/api-keys') });
  const refresh = () => qc.invalidateQueries({ queryKey: ['api-keys'] });
  const base = `${window.location.origin}/open311/v2`;

  const revoke = async (k: ApiKey) => {
    try {
      await post(`/api/system/api-keys/${k.id}/revoke`);
      message.success(`已停用「${k.name}」`);
      refresh();
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '停用失败');
    }
  };

  return (
    <Card
      title="接口密钥"
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="apikey-create">
          发放密钥
        </Button>
      }
    >
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        title="Open311 GeoReport v2 接口"
        description={
          <div>
            接口地址 <Typography.Text code copyable>{base}</Typography.Text>
            ，如 <Typography.Text code>{`${base}/services.json`}</Typography.Text>、<Typography.Text code>{`${base}/requests.xml`}</Typography.Text>
            。查询无需密钥；提交问题（POST requests）须带 api_key。密钥只在发放时显示一次，系统只保存其摘要；遗失请停用后重新发放。
          </div>
        }
      />
      <DataTable<ApiKey> tableKey="apikeys"
        rowKey="id"
        loading={isLoading}
        dataSource={data}
        pagination={false}
        columns={[
          { title: '名称', dataIndex: 'name' },
          { title: '密钥前缀', dataIndex: 'keyPrefix', render: (v: string) => <Typography.Text code>{v}…</Typography.Text> },
          { title: '状态', key: 'state', render: (_, k) => (k.revokedAt ? <Tag>已停用</Tag> : <Tag color="green">有效</Tag>) },
          { title: '提交问题数', dataIndex: 'reportCount', align: 'right' },
          { title: '最近使用', dataIndex: 'lastUsedAt', render: (v: string | null) => (v ? formatDateTime(v) : '—') },
          { title: '发放人', dataIndex: 'createdByName', render: (v: string | null) => v ?? '—' },
          { title: '发放时间', dataIndex: 'createdAt', render: (v: string) => formatDateTime(v) },
          {
            title: '操作',
            key: 'op',
            render: (_, k) =>
              k.revokedAt ? (
                <Typography.Text type="secondary">{formatDateTime(k.revokedAt)} 停用</Typography.Text>
              ) : (
                <Popconfirm title={`停用「${k.name}」？`} description="停用后该客户端不能再提交问题" okText="停用" okButtonProps={{ danger: true }} onConfirm={() => revoke(k)}>
                  <Button type="link" danger size="small">
                    停用
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      {creating && (
        <FormDrawer<CreateApiKeyRequest>
          title="发放接口密钥"
          form={form}
          onClose={() => setCreating(false)}
          successMessage="密钥已发放"
          saveTestId="apikey-save"
          onSubmit={async (v) => {
            const created = await post<CreatedApiKey>('/api/system/api-keys', v);
            setCreating(false);
            form.resetFields();
            setShown(created);
            refresh();
          }}
        >
          <Form.Item name="name" label="名称" extra="使用该密钥的系统或单位，如「12345 市民服务热线」" rules={[{ required: true, whitespace: true, message: '请填写名称' }]}>
            <Input maxLength={60} data-testid="apikey-name" />
          </Form.Item>
        </FormDrawer>
      )}
      <Modal
        open={!!shown}
        title={`「${shown?.name ?? ''}」的密钥`}
        closable={false}
        maskClosable={false}
        footer={
          <Button type="primary" onClick={() => setShown(null)}>
            我已妥善保存
          </Button>
        }
      >
        <Alert type="warning" showIcon title="密钥只显示这一次，关闭后无法再次查看。" style={{ marginBottom: 12 }} />
        <Typography.Paragraph code copyable={{ text: shown?.key, icon: <CopyOutlined /> }} style={{ wordBreak: 'break-all' }} data-testid="apikey-value">
          {shown?.key}
        </Typography.Paragraph>
      </Modal>
    </Card>
  );
}
