import { useQuery } from '@tanstack/react-query';
import { Button, Card, DatePicker, Form, Input, Select, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { type AuditEntry, AuditEntityLabels } from '../../../../contracts/audit.ts';
import type { Paged } from '../../../../contracts/common.ts';
import { get, qs } from '../../../shared/api.ts';
import { formatDateTime } from '../../../shared/format.ts';

const ACTIONS: Record<string, string> = {
  create: '新增', update: '修改', delete: '删除', move: '移动', deactivate: '停用', activate: '启用', login: '登录', logout: '退出',
  login_failed: '登录失败', change_password: '修改密码', reset_password: '重置密码', unlock: '解锁', import: '导入', seed_demo: '初始化演示数据', bootstrap: '初始化',
  copy: '复制', reactivate: '恢复', report_progress: '报送进度', sign: '登记签订',
  reply: '回复', generate: '生成文件',
  enqueue: '提交后台任务', cancel: '取消', retry: '重试', purge: '清理过期数据', remind: '发送提醒',
};

type Filters = { actor?: string; entity?: string; entityId?: string; range?: [Dayjs, Dayjs] };

export function AuditPage() {
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState(1);
  const { data, isLoading } = useQuery({
    queryKey: ['audit', filters, page],
    queryFn: () =>
      get<Paged<AuditEntry>>(
        `/api/audit${qs({
          actor: filters.actor,
          entity: filters.entity,
          entityId: filters.entityId,
          from: filters.range?.[0].startOf('day').toISOString(),
          to: filters.range?.[1].endOf('day').toISOString(),
          page,
          pageSize: 20,
        })}`,
      ),
  });
  return (
    <div>
      <h1 className="cw-page-title">审计日志</h1>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form<Filters>
          layout="inline"
          onFinish={(v) => {
            setFilters(v);
            setPage(1);
          }}
        >
          <Form.Item name="actor" label="操作人">
            <Input allowClear placeholder="用户名或姓名" />
          </Form.Item>
          <Form.Item name="entity" label="对象">
            <Select allowClear style={{ width: 140 }} options={Object.entries(AuditEntityLabels).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Form.Item name="entityId" label="对象 ID">
            <Input allowClear style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="range" label="时间">
            <DatePicker.RangePicker />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            查询
          </Button>
        </Form>
      </Card>
      <Card size="small">
        <Table<AuditEntry>
          rowKey="id"
          size="small"
          loading={isLoading}
          dataSource={data?.items}
          scroll={{ x: 900 }}
          pagination={{ current: page, total: data?.total, pageSize: 20, onChange: setPage, showTotal: (t) => `共 ${t} 条` }}
          expandable={{
            expandedRowRender: (r) => (
              <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 16 }}>
                <div>
                  <Typography.Text strong>修改前</Typography.Text>
                  <pre style={{ fontSize: 12, whiteSpace: 'pre-wrap' }}>{JSON.stringify(r.before, null, 2)}</pre>
                </div>
                <div>
                  <Typography.Text strong>修改后</Typography.Text>
                  <pre style={{ fontSize: 12, whiteSpace: 'pre-wrap' }}>{JSON.stringify(r.after, null, 2)}</pre>
                </div>
              </div>
            ),
          }}
          columns={[
            { title: '时间', dataIndex: 'at', width: 180, render: (v: string) => formatDateTime(v) },
            { title: '操作人', dataIndex: 'actorName', width: 200, render: (v) => v ?? '系统' },
            { title: '操作', dataIndex: 'action', width: 110, render: (a: string) => ACTIONS[a] ?? a },
            { title: '对象', dataIndex: 'entity', width: 100, render: (e: string) => AuditEntityLabels[e] ?? e },
            { title: '对象 ID', dataIndex: 'entityId', ellipsis: true },
            { title: 'IP', dataIndex: 'ip', width: 130 },
          ]}
        />
      </Card>
    </div>
  );
}
