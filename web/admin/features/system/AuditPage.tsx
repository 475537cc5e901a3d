import { useQuery } from '@tanstack/react-query';
import { Button, Card, DatePicker, Form, Input, Select, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { type AuditEntry, AuditEntityLabels } from '../../../../contracts/audit.ts';
import type { Paged } from '../../../../contracts/common.ts';
import { EvidenceStateLabels } from '../../../../contracts/evidence.ts';
import { IssueSeverityLabels, IssueSourceLabels, IssueStateLabels } from '../../../../contracts/issues.ts';
import { LetterStateLabels } from '../../../../contracts/supervision.ts';
import { get, qs } from '../../../shared/api.ts';
import { formatDate, formatDateTime } from '../../../shared/format.ts';

/** Chinese names of the fields entries record; a field not named here shows its own key. */
const FIELDS: Record<string, string> = {
  name: '名称', title: '标题', number: '编号', code: '代码', state: '状态', kind: '类型', subKind: '细分类型', isActive: '启用',
  username: '用户名', phone: '手机号', unitId: '所属单位', unitName: '单位', roles: '角色', roleCodes: '角色', permissions: '权限',
  address: '地址', lng: '经度', lat: '纬度', parentId: '上级', sortOrder: '排序', description: '说明', note: '备注', reason: '原因',
  deadline: '期限', date: '日期', file: '文件', fileName: '文件名', created: '新建数', updated: '更新数', deleted: '删除数', count: '数量',
  units: '单位数', points: '点位数', users: '用户数', nodes: '节点数', photos: '照片', sessionsEnded: '结束的会话数', targetId: '合并到', fileIds: '文件', workerIds: '网格员', gridId: '网格', pointId: '点位', typeId: '点位类型', areaId: '所在区域', tasks: '任务数', reports: '进度报送数', systems: '测评体系数', items: '条数',
  responsibleUnitId: '责任单位', areaUnitId: '所在区域', categoryId: '问题分类', severity: '紧急程度', source: '来源', mustChangePassword: '须修改密码', version: '版本', signedOn: '签订日期', from: '从', to: '至', label: '名称',
};

/** Enum values by field, by entity: an issue's state 已派遣, not dispatched. */
const VALUES: Record<string, Record<string, Record<string, string>>> = {
  issue: { state: IssueStateLabels, severity: IssueSeverityLabels, source: IssueSourceLabels },
  supervision_letter: { state: LetterStateLabels },
  evidence_item: { state: EvidenceStateLabels },
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const show = (v: unknown, refs: Record<string, string> = {}, values: Record<string, string> = {}): string => {
  if (typeof v === 'string' && values[v]) return values[v];
  if (typeof v === 'string' && UUID.test(v)) return refs[v.toLowerCase()] ?? '（已删除或不可见的对象）';
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(v)) return v.length === 10 ? formatDate(v) : formatDateTime(v);
  if (Array.isArray(v)) return v.map((x) => show(x, refs, values)).join('、') || '—';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
};

/** Before and after as one table of the fields that changed (all fields of a creation or deletion). */
function Changes({ entry }: { entry: AuditEntry }) {
  const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  const before = obj(entry.before);
  const after = obj(entry.after);
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  const rows = keys
    .map((k) => {
      const values = VALUES[entry.entity]?.[k] ?? {};
      return { k, field: FIELDS[k] ?? k, before: show(before[k], entry.refs, values), after: show(after[k], entry.refs, values) };
    })
    // null and absent are the same to a reader
    .filter((r) => !(Object.keys(before).length && Object.keys(after).length) || r.before !== r.after);
  if (rows.length === 0) return <Typography.Text type="secondary">此操作没有记录字段变化。</Typography.Text>;
  const hasBefore = Object.keys(before).length > 0;
  const hasAfter = Object.keys(after).length > 0;
  return (
    <Table
      size="small"
      pagination={false}
      rowKey="k"
      data-testid="audit-changes"
      dataSource={rows}
      columns={[
        { title: '字段', dataIndex: 'field', width: 160 },
        ...(hasBefore ? [{ title: hasAfter ? '修改前' : '内容', dataIndex: 'before' }] : []),
        ...(hasAfter ? [{ title: hasBefore ? '修改后' : '内容', dataIndex: 'after' }] : []),
      ]}
    />
  );
}

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
          <Form.Item name="entityId" label="对象编号" tooltip="对象的内部编号（可从对象的详情页复制）">
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
          expandable={{ expandedRowRender: (r) => <Changes entry={r} /> }}
          columns={[
            { title: '时间', dataIndex: 'at', width: 180, render: (v: string) => formatDateTime(v) },
            { title: '操作人', dataIndex: 'actorName', width: 200, render: (v) => v ?? '系统' },
            { title: '操作', dataIndex: 'actionLabel', width: 130 },
            { title: '对象', dataIndex: 'entityLabel', width: 110 },
            { title: '名称或编号', dataIndex: 'entityName', ellipsis: true, render: (v: string | null) => v ?? '—' },
            { title: 'IP', dataIndex: 'ip', width: 130 },
          ]}
        />
      </Card>
    </div>
  );
}
