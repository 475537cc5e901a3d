import { PlusOutlined, SearchOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, Descriptions, Empty, Input, Popconfirm, Row, Space, Switch, Tag, Tree } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import type { Paged } from '../../../../contracts/common.ts';
import { type OrgUnit, OrgUnitKindLabels, type OrgUnitKind, OrgUnitSubKindLabels } from '../../../../contracts/org.ts';
import { ApiError, get, post, qs } from '../../../shared/api.ts';
import { can, useMe } from '../../../shared/session.ts';
import { ExportButton, ImportDialog } from './ImportDialog.tsx';
import { MoveUnitModal } from './MoveUnitModal.tsx';
import { UnitForm } from './UnitForm.tsx';
import { DataTable } from '../../../shared/components/DataTable.tsx';

type TreeRow = { id: string; parentId: string | null; name: string; kind: OrgUnitKind; isActive: boolean; depth: number };
type TreeNode = { key: string; title: React.ReactNode; children: TreeNode[] };

function buildTree(rows: TreeRow[]): TreeNode[] {
  const nodes = new Map<string, TreeNode>();
  const roots: TreeNode[] = [];
  for (const r of rows) {
    nodes.set(r.id, {
      key: r.id,
      title: (
        <span style={{ color: r.isActive ? undefined : '#aaa' }}>
          {r.name}
          {!r.isActive && '（已停用）'}
        </span>
      ),
      children: [],
    });
  }
  for (const r of rows) {
    const parent = r.parentId ? nodes.get(r.parentId) : undefined;
    (parent ? parent.children : roots).push(nodes.get(r.id)!);
  }
  return roots;
}

export function UnitsPage() {
  const { data: me } = useMe();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const canWrite = can(me, 'org.write');
  const [showInactive, setShowInactive] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<{ mode: 'create'; parent: OrgUnit } | { mode: 'edit'; unit: OrgUnit } | null>(null);
  const [moving, setMoving] = useState<OrgUnit | null>(null);
  const [importing, setImporting] = useState(false);

  const tree = useQuery({
    queryKey: ['org', 'tree', showInactive],
    queryFn: () => get<TreeRow[]>(`/api/org/units/tree${qs({ includeInactive: showInactive })}`),
  });
  const rootId = tree.data?.[0]?.id ?? null;
  const currentId = selected ?? rootId;
  const current = useQuery({
    queryKey: ['org', 'unit', currentId],
    queryFn: () => get<OrgUnit>(`/api/org/units/${currentId}`),
    enabled: !!currentId,
  });
  const children = useQuery({
    queryKey: ['org', 'units', currentId, search, page, showInactive],
    queryFn: () =>
      get<Paged<OrgUnit>>(
        `/api/org/units${qs(search ? { q: search, page, pageSize: 20, includeInactive: showInactive } : { parentId: currentId, page, pageSize: 20, includeInactive: showInactive })}`,
      ),
    enabled: !!currentId,
  });
  const treeData = useMemo(() => buildTree(tree.data ?? []), [tree.data]);
  // keep the selected unit visible in the tree: expand its ancestors when it changes
  const [expanded, setExpanded] = useState<string[]>([]);
  const ancestorKey = current.data?.pathIds.slice(0, -1).join('/') ?? '';
  useEffect(() => {
    if (ancestorKey) setExpanded((e) => [...new Set([...e, ...ancestorKey.split('/')])]);
  }, [ancestorKey]);
  const refresh = () => qc.invalidateQueries({ queryKey: ['org'] });

  const toggleActive = async (u: OrgUnit) => {
    try {
      await post(`/api/org/units/${u.id}/${u.isActive ? 'deactivate' : 'activate'}`, { version: u.version });
      message.success(u.isActive ? '已停用' : '已启用');
      await refresh();
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '操作失败');
    }
  };

  const u = current.data;
  return (
    <div>
      <h1 className="cw-page-title">单位</h1>
      <Row gutter={16}>
        <Col xs={24} lg={8} xl={6}>
          <Card title="组织树" size="small" extra={<Switch size="small" checked={showInactive} onChange={setShowInactive} checkedChildren="含停用" unCheckedChildren="仅在用" />}>
            {treeData.length ? (
              <Tree
                treeData={treeData}
                expandedKeys={rootId ? [...new Set([rootId, ...expanded])] : expanded}
                onExpand={(keys) => setExpanded(keys.map(String))}
                selectedKeys={currentId ? [currentId] : []}
                onSelect={(keys) => {
                  if (keys[0]) {
                    setSelected(String(keys[0]));
                    setSearch('');
                    setPage(1);
                  }
                }}
                height={620}
                blockNode
              />
            ) : (
              <Empty />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={16} xl={18}>
          {u && (
            <Card
              title={
                <Space>
                  {u.name}
                  <Tag>{OrgUnitKindLabels[u.kind]}</Tag>
                  {u.subKind && <Tag color="blue">{OrgUnitSubKindLabels[u.subKind]}</Tag>}
                  {!u.isActive && <Tag color="default">已停用</Tag>}
                </Space>
              }
              size="small"
              style={{ marginBottom: 16 }}
              extra={
                canWrite && (
                  <Space wrap>
                    <Button size="small" onClick={() => setEditing({ mode: 'edit', unit: u })}>
                      编辑
                    </Button>
                    {u.parentId && (
                      <Button size="small" onClick={() => setMoving(u)}>
                        移动
                      </Button>
                    )}
                    {u.parentId && (
                      <Popconfirm title={u.isActive ? '停用后将不再出现在选择列表中，历史数据保留。确定停用？' : '确定重新启用？'} onConfirm={() => toggleActive(u)}>
                        <Button size="small" danger={u.isActive}>
                          {u.isActive ? '停用' : '启用'}
                        </Button>
                      </Popconfirm>
                    )}
                  </Space>
                )
              }
            >
              <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }}>
                <Descriptions.Item label="区划代码">{u.divisionCode ?? '—'}</Descriptions.Item>
                <Descriptions.Item label="统一社会信用代码">{u.creditCode ?? '—'}</Descriptions.Item>
                <Descriptions.Item label="常住人口">{u.population?.toLocaleString('zh-CN') ?? '—'}</Descriptions.Item>
                <Descriptions.Item label="地址">{u.address ?? '—'}</Descriptions.Item>
                <Descriptions.Item label="联系人">{u.contactName ?? '—'}</Descriptions.Item>
                <Descriptions.Item label="联系电话">{u.contactPhoneMasked ?? '—'}</Descriptions.Item>
              </Descriptions>
            </Card>
          )}
          <Card
            size="small"
            title={search ? `搜索“${search}”` : '下级单位'}
            extra={
              <Space wrap>
                <Input.Search
                  allowClear
                  placeholder="名称 / 拼音 / 首字母"
                  prefix={<SearchOutlined />}
                  onSearch={(v) => {
                    setSearch(v.trim());
                    setPage(1);
                  }}
                  style={{ width: 240 }}
                  data-testid="unit-search"
                />
                {canWrite && u?.isActive && (
                  <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ mode: 'create', parent: u })}>
                    新增下级
                  </Button>
                )}
                {canWrite && (
                  <Button icon={<UploadOutlined />} onClick={() => setImporting(true)}>
                    导入
                  </Button>
                )}
                <ExportButton kind="units" />
              </Space>
            }
          >
            <DataTable<OrgUnit> tableKey="units"
              rowKey="id"
              size="small"
              loading={children.isLoading}
              dataSource={children.data?.items}
              scroll={{ x: 720 }}
              pagination={{ current: page, total: children.data?.total, pageSize: 20, onChange: setPage, showTotal: (t) => `共 ${t} 个` }}
              onRow={(r) => ({ onDoubleClick: () => setSelected(r.id) })}
              columns={[
                { title: '名称', dataIndex: 'name', render: (v: string, r) => <a onClick={() => setSelected(r.id)}>{v}</a> },
                { title: '类型', dataIndex: 'kind', width: 100, render: (k: OrgUnitKind) => OrgUnitKindLabels[k] },
                { title: '类别', dataIndex: 'subKind', width: 120, render: (k: OrgUnit['subKind']) => (k ? OrgUnitSubKindLabels[k] : '—') },
                { title: '区划代码', dataIndex: 'divisionCode', width: 130, render: (v) => v ?? '—' },
                { title: '下级', dataIndex: 'childCount', width: 70 },
                { title: '状态', dataIndex: 'isActive', width: 80, render: (a: boolean) => (a ? <Tag color="green">在用</Tag> : <Tag>停用</Tag>) },
              ]}
            />
          </Card>
        </Col>
      </Row>
      {editing && (
        <UnitForm
          mode={editing.mode}
          parent={editing.mode === 'create' ? editing.parent : undefined}
          unit={editing.mode === 'edit' ? editing.unit : undefined}
          onClose={() => setEditing(null)}
          onSaved={async (saved) => {
            setEditing(null);
            await refresh();
            if (editing.mode === 'create') setSelected(saved.parentId);
          }}
        />
      )}
      {importing && <ImportDialog kind="units" onClose={() => setImporting(false)} onDone={() => void refresh()} />}
      {moving && (
        <MoveUnitModal
          unit={moving}
          onClose={() => setMoving(null)}
          onMoved={async () => {
            setMoving(null);
            await refresh();
          }}
        />
      )}
    </div>
  );
}
