import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Grid as AntGrid, Input, Popconfirm, Select, Space, Tabs, Tag } from 'antd';
import { useMemo, useState } from 'react';
import type { Paged } from '../../../../contracts/common.ts';
import type { Grid, Point, PointMarkers, PointType } from '../../../../contracts/places.ts';
import { ApiError, get, post, qs } from '../../../shared/api.ts';
import { type MapPolygon, MapView } from '../../../shared/components/MapView.tsx';
import { UnitSelect } from '../../../shared/components/UnitSelect.tsx';
import { can, useMe } from '../../../shared/session.ts';
import { ExportButton, ImportDialog } from './ImportDialog.tsx';
import { TableAndMap } from '../../../shared/components/TableAndMap.tsx';
import { PointForm } from './PointForm.tsx';
import { PointTypesPanel } from './PointTypesPanel.tsx';
import { DataTable } from '../../../shared/components/DataTable.tsx';

const dot: React.CSSProperties = { display: 'inline-block', width: 10, height: 10, borderRadius: '50%', verticalAlign: 'middle', marginRight: 4 };

type Filters = { typeId?: string; areaUnitId?: string; gridId?: string; isKey?: boolean; q?: string; includeInactive?: boolean };

export function PointsPage() {
  return (
    <div>
      <h1 className="cw-page-title">点位</h1>
      <Tabs
        items={[
          { key: 'points', label: '点位', children: <PointsPanel /> },
          { key: 'types', label: '点位类型', children: <PointTypesPanel /> },
        ]}
        destroyOnHidden
      />
    </div>
  );
}

function PointsPanel() {
  const { data: me } = useMe();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const canWrite = can(me, 'org.write');
  const screens = AntGrid.useBreakpoint();
  const wide = !!screens.lg;
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [editing, setEditing] = useState<{ point?: Point } | null>(null);
  const set = (f: Partial<Filters>) => {
    setFilters((old) => ({ ...old, ...f }));
    setPage(1);
  };

  const types = useQuery({ queryKey: ['org', 'point-types', false], queryFn: () => get<PointType[]>('/api/org/point-types') });
  const grids = useQuery({
    queryKey: ['org', 'grids', 'options', filters.areaUnitId],
    queryFn: () => get<Paged<Grid>>(`/api/org/grids${qs({ areaUnitId: filters.areaUnitId, pageSize: 200 })}`),
  });
  const list = useQuery({
    queryKey: ['org', 'points', filters, page, pageSize],
    queryFn: () => get<Paged<Point>>(`/api/org/points${qs({ ...filters, page, pageSize })}`),
  });
  const markers = useQuery({
    queryKey: ['org', 'points', 'markers', filters],
    queryFn: () => get<PointMarkers>(`/api/org/points/markers${qs(filters)}`),
  });
  const refresh = () => qc.invalidateQueries({ queryKey: ['org'] });
  const [importing, setImporting] = useState(false);

  const toggleActive = async (p: Point) => {
    try {
      await post(`/api/org/points/${p.id}/${p.isActive ? 'deactivate' : 'activate'}`, { version: p.version });
      message.success(p.isActive ? '已停用' : '已启用');
      await refresh();
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '操作失败');
    }
  };

  const markerItems = useMemo(() => markers.data?.items ?? [], [markers.data]);
  // grid boundaries under the markers, for orientation
  const gridPolygons = useMemo<MapPolygon[]>(
    () =>
      (grids.data?.items ?? [])
        .filter((g) => g.polygon && (!filters.gridId || g.id === filters.gridId))
        .map((g) => ({ id: g.id, name: g.name, rings: g.polygon!.coordinates, color: '#8c8c8c' })),
    [grids.data, filters.gridId],
  );

  const table = (
    <DataTable<Point> tableKey="points"
      rowKey="id"
      size="small"
      loading={list.isLoading}
      dataSource={list.data?.items}
      scroll={{ x: 900 }}
      data-testid="points-table"
      pagination={{
        current: page,
        pageSize,
        total: list.data?.total,
        showSizeChanger: true,
        onChange: (p, s) => {
          setPage(p);
          setPageSize(s);
        },
        showTotal: (t) => `共 ${t} 个点位`,
      }}
      columns={[
        {
          title: '点位',
          dataIndex: 'name',
          fixed: 'left',
          width: 200,
          render: (v: string, r) => (
            <div>
              <div>
                {v} {r.isKey && <Tag color="red">重点</Tag>}
              </div>
              <div style={{ color: '#999', fontSize: 12 }}>{r.code}</div>
            </div>
          ),
        },
        { title: '类型', dataIndex: 'typeName', width: 120 },
        { title: '所在区域', dataIndex: 'areaPathNames', width: 200 },
        { title: '网格', dataIndex: 'gridName', width: 150, render: (v: string | null) => v ?? '—' },
        {
          title: '责任单位',
          dataIndex: 'units',
          width: 220,
          render: (units: Point['units']) => units.map((u) => <Tag key={u.id}>{u.name}</Tag>),
        },
        { title: '状态', dataIndex: 'isActive', width: 70, render: (a: boolean) => (a ? <Tag color="green">在用</Tag> : <Tag>停用</Tag>) },
        ...(canWrite
          ? [
              {
                title: '操作',
                key: 'ops',
                width: 120,
                render: (_: unknown, r: Point) => (
                  <Space size="small">
                    <a onClick={() => setEditing({ point: r })}>编辑</a>
                    <Popconfirm title={r.isActive ? '停用后不再出现在选择列表与地图中，历史保留。确定停用？' : '确定重新启用？'} onConfirm={() => toggleActive(r)}>
                      <a style={{ color: r.isActive ? '#c8102e' : undefined }}>{r.isActive ? '停用' : '启用'}</a>
                    </Popconfirm>
                  </Space>
                ),
              },
            ]
          : []),
      ]}
    />
  );

  const map = (
    <>
      {markers.data?.truncated && <Alert type="warning" showIcon title="点位过多，地图仅显示前 5000 个，请缩小筛选范围" style={{ marginBottom: 8 }} />}
      <MapView markers={markerItems} polygons={gridPolygons} height={wide ? 620 : 480} data-testid="points-map" />
      <div style={{ marginTop: 6, color: '#888', fontSize: 12 }}>
        <span style={{ ...dot, background: '#c8102e' }} /> 重点点位
        <span style={{ ...dot, background: '#1677ff', marginLeft: 12 }} /> 一般点位 · 地图共 {markerItems.length} 个
      </div>
    </>
  );

  return (
    <>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Space wrap>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder="点位类型"
            style={{ width: 170 }}
            value={filters.typeId}
            onChange={(v) => set({ typeId: v })}
            options={(types.data ?? []).map((t) => ({ value: t.id, label: `${t.name}（${t.pointCount}）` }))}
            data-testid="points-filter-type"
          />
          <UnitSelect
            kinds={['district', 'street', 'community']}
            placeholder="区 / 街道 / 社区"
            value={filters.areaUnitId}
            onChange={(v) => set({ areaUnitId: (v as string | undefined) ?? undefined, gridId: undefined })}
            style={{ width: 200 }}
            data-testid="points-filter-area"
          />
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder="网格"
            style={{ width: 180 }}
            value={filters.gridId}
            onChange={(v) => set({ gridId: v })}
            options={(grids.data?.items ?? []).map((g) => ({ value: g.id, label: g.name }))}
            data-testid="points-filter-grid"
          />
          <Checkbox checked={!!filters.isKey} onChange={(e) => set({ isKey: e.target.checked || undefined })} data-testid="points-filter-key">
            仅重点点位
          </Checkbox>
          <Checkbox checked={!!filters.includeInactive} onChange={(e) => set({ includeInactive: e.target.checked || undefined })}>
            含停用
          </Checkbox>
          <Input.Search
            allowClear
            placeholder="名称 / 地址 / 编码"
            style={{ width: 220 }}
            onSearch={(v) => set({ q: v.trim() || undefined })}
            data-testid="points-search"
          />
          {canWrite && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({})} data-testid="point-create">
              新增点位
            </Button>
          )}
          {canWrite && (
            <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="points-import">
              导入
            </Button>
          )}
          <ExportButton kind="points" />
        </Space>
      </Card>
      <TableAndMap table={table} map={map} tableSpan={13} />
      {importing && <ImportDialog kind="points" onClose={() => setImporting(false)} onDone={() => void refresh()} />}
      {editing && (
        <PointForm
          point={editing.point}
          onClose={() => setEditing(null)}
          onSaved={async () => {
            setEditing(null);
            await refresh();
          }}
        />
      )}
    </>
  );
}
