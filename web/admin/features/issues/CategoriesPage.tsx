import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, InputNumber, Popconfirm, Radio, Space, Switch, Tag } from 'antd';
import { useMemo, useState } from 'react';
import { type IssueCategory, IssueCategoryKindLabels } from '../../../../contracts/issues.ts';
import { ApiError, patch, post } from '../../../shared/api.ts';
import { FormDrawer } from '../../../shared/components/FormDrawer.tsx';
import { UnitSelect } from '../../../shared/components/UnitSelect.tsx';
import { can, useMe } from '../../../shared/session.ts';
import { useCategories } from './kit.tsx';
import { DataTable } from '../../../shared/components/DataTable.tsx';

/** 自然日 / 工作日 (the server counts working days with the holiday calendar). */
const LIMIT_UNITS = { calendar: '自然日', working: '工作日' } as const;
type LimitUnit = keyof typeof LIMIT_UNITS;
type Category = IssueCategory & { timeLimitUnit?: LimitUnit };
type Node = Category & { children?: Node[] };
type Values = { code: string; name: string; kind: 'event' | 'component'; defaultUnitId?: string | null; timeLimitDays: number; timeLimitUnit?: LimitUnit; sort: number; isActive: boolean };

/** 问题分类: the two-level 事件/部件 taxonomy with default unit and time limit per class. */
export function CategoriesPage() {
  const { data: me } = useMe();
  // categories are a city-wide setting (requireCityLevel on the server): a district reads them
  const canManage = can(me, 'issues.manage') && me?.unit.kind === 'city';
  const qc = useQueryClient();
  const { message } = App.useApp();
  const cats = useCategories(true);
  const [editing, setEditing] = useState<{ category?: Category; parent?: Category } | null>(null);
  // every 大类 open unless the user closed it (the data arrives after the first render)
  const [collapsed, setCollapsed] = useState<Set<string> | null>(null);
  const hasUnit = (cats.data ?? []).some((c) => 'timeLimitUnit' in c);

  const tree = useMemo<Node[]>(() => {
    const all = (cats.data ?? []) as Category[];
    return all.filter((c) => !c.parentId).map((top) => ({ ...top, children: all.filter((c) => c.parentId === top.id) }));
  }, [cats.data]);
  const refresh = () => qc.invalidateQueries({ queryKey: ['issue-categories'] });

  const toggle = async (c: Category) => {
    try {
      await patch(`/api/issue-categories/${c.id}`, { isActive: !c.isActive, version: c.version });
      message.success(c.isActive ? '已停用' : '已启用');
      await refresh();
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '操作失败');
      await refresh();
    }
  };

  return (
    <div>
      <div style={{ display: 'flex', justifyContent: 'space-between', flexWrap: 'wrap', gap: 8 }}>
        <h1 className="cw-page-title">问题分类</h1>
        {canManage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({})} data-testid="category-create">
            新增大类
          </Button>
        )}
      </div>
      <Card size="small">
        <div style={{ color: '#888', marginBottom: 8 }}>
          数字城管式两级分类。上报时按「点位责任单位 → 分类默认单位 → 网格所在社区」推荐责任单位，处置期限按分类时限计算；较重、紧急问题时限相应缩短。
        </div>
        <DataTable<Node> tableKey="categories"
          rowKey="id"
          size="small"
          loading={cats.isLoading}
          dataSource={tree}
          pagination={false}
          expandable={{
            expandedRowKeys: collapsed ? tree.filter((t) => !collapsed.has(t.id)).map((t) => t.id) : tree.map((t) => t.id),
            onExpand: (open, r) => {
              const next = new Set(collapsed ?? []);
              if (open) next.delete(r.id);
              else next.add(r.id);
              setCollapsed(next);
            },
          }}
          scroll={{ x: 900 }}
          data-testid="categories-table"
          columns={[
            {
              title: '名称',
              dataIndex: 'name',
              width: 240,
              render: (v: string, r) => (
                <span style={{ color: r.isActive ? undefined : '#999', fontWeight: r.parentId ? undefined : 600 }}>
                  {v} <span style={{ color: '#aaa', fontSize: 12 }}>{r.code}</span>
                </span>
              ),
            },
            { title: '类型', dataIndex: 'kind', width: 70, render: (k: Category['kind']) => IssueCategoryKindLabels[k] },
            {
              title: '默认责任单位',
              dataIndex: 'defaultUnitName',
              width: 200,
              render: (v: string | null, r) => v ?? (r.parentId ? <span style={{ color: '#999' }}>同大类</span> : '—'),
            },
            {
              title: '处置时限',
              dataIndex: 'timeLimitDays',
              width: 120,
              render: (d: number, r) => `${d} 个${LIMIT_UNITS[r.timeLimitUnit ?? 'calendar']}`,
            },
            { title: '状态', dataIndex: 'isActive', width: 70, render: (a: boolean) => (a ? <Tag color="green">在用</Tag> : <Tag>停用</Tag>) },
            ...(canManage
              ? [
                  {
                    title: '操作',
                    key: 'ops',
                    width: 200,
                    render: (_: unknown, r: Node) => (
                      <Space size="small">
                        <a onClick={() => setEditing({ category: r })}>编辑</a>
                        {!r.parentId && <a onClick={() => setEditing({ parent: r })}>新增小类</a>}
                        <Popconfirm title={r.isActive ? '停用后不能再选此分类上报，已有问题不受影响。确定停用？' : '确定重新启用？'} onConfirm={() => void toggle(r)}>
                          <a style={{ color: r.isActive ? '#c8102e' : undefined }}>{r.isActive ? '停用' : '启用'}</a>
                        </Popconfirm>
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      {editing && (
        <CategoryForm
          {...editing}
          withUnit={hasUnit}
          onClose={() => setEditing(null)}
          onSaved={async () => {
            setEditing(null);
            await refresh();
          }}
        />
      )}
    </div>
  );
}

function CategoryForm({ category, parent, withUnit, onClose, onSaved }: { category?: Category; parent?: Category; withUnit: boolean; onClose(): void; onSaved(): void }) {
  const [form] = Form.useForm<Values>();
  const submit = async (v: Values) => {
    const body = { ...v, defaultUnitId: v.defaultUnitId ?? null, ...(withUnit ? {} : { timeLimitUnit: undefined }) };
    if (category) await patch(`/api/issue-categories/${category.id}`, { ...body, version: category.version });
    else {
      const { isActive: _, ...create } = body;
      await post('/api/issue-categories', { ...create, parentId: parent?.id ?? null });
    }
    onSaved();
  };
  const title = category ? `编辑分类「${category.name}」` : parent ? `新增「${parent.name}」的小类` : '新增大类';
  return (
    <FormDrawer<Values>
      title={title}
      form={form}
      onSubmit={submit}
      onClose={onClose}
      saveTestId="category-save"
      initialValues={
        category
          ? { ...category, timeLimitUnit: category.timeLimitUnit ?? 'calendar' }
          : { kind: parent?.kind ?? 'event', timeLimitDays: parent?.timeLimitDays ?? 3, timeLimitUnit: parent?.timeLimitUnit ?? 'calendar', sort: 0, isActive: true }
      }
    >
      <Space style={{ width: '100%' }} styles={{ item: { flex: 1 } }}>
        <Form.Item name="code" label="编码" rules={[{ required: true, whitespace: true, message: '请填写编码' }]}>
          <Input maxLength={20} />
        </Form.Item>
        <Form.Item name="name" label="名称" rules={[{ required: true, whitespace: true, message: '请填写名称' }]}>
          <Input maxLength={40} data-testid="category-name" />
        </Form.Item>
      </Space>
      <Form.Item name="kind" label="类型">
        <Radio.Group optionType="button" options={Object.entries(IssueCategoryKindLabels).map(([value, label]) => ({ value, label }))} />
      </Form.Item>
      <Form.Item name="defaultUnitId" label="默认责任单位" extra={category?.parentId || parent ? '不填则按大类的默认单位' : undefined}>
        <UnitSelect scope="city" initialOptions={category?.defaultUnitId ? [{ id: category.defaultUnitId, name: category.defaultUnitName ?? '' }] : []} />
      </Form.Item>
      <Space style={{ width: '100%' }} styles={{ item: { flex: 1 } }}>
        <Form.Item name="timeLimitDays" label="处置时限（天）" rules={[{ required: true, message: '请填写处置时限' }]}>
          <InputNumber min={1} max={365} precision={0} style={{ width: '100%' }} data-testid="category-days" />
        </Form.Item>
        {withUnit && (
          <Form.Item name="timeLimitUnit" label="计算方式">
            <Radio.Group optionType="button" options={Object.entries(LIMIT_UNITS).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
        )}
        <Form.Item name="sort" label="排序">
          <InputNumber precision={0} style={{ width: '100%' }} />
        </Form.Item>
      </Space>
      {category && (
        <Form.Item name="isActive" label="在用" valuePropName="checked">
          <Switch />
        </Form.Item>
      )}
    </FormDrawer>
  );
}
