import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Checkbox, Grid as AntGrid, Input, Popconfirm, Space, Tag } from 'antd';
import { useMemo, useState } from 'react';
import type { Paged } from '../../../../contracts/common.ts';
import type { Grid } from '../../../../contracts/places.ts';
import { ApiError, get, post, qs } from '../../../shared/api.ts';
import { type MapPolygon, MapView } from '../../../shared/components/MapView.tsx';
import { UnitSelect } from '../../../shared/components/UnitSelect.tsx';
import { can, useMe } from '../../../shared/session.ts';
import { ExportButton, ImportDialog } from './ImportDialog.tsx';
import { TableAndMap } from '../../../shared/components/TableAndMap.tsx';
import { GridForm } from './GridForm.tsx';
import { DataTable } from '../../../shared/components/DataTable.tsx';

const COLORS = ['#1677ff', '#52c41a', '#fa8c16', '#722ed1', '#13c2c2', '#eb2f96', '#a0d911', '#2f54eb'];

export function GridsPage() {
  const { data: me } = useMe();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const canWrite = can(me, 'org.write');
  const wide = !!AntGrid.useBreakpoint().lg;
  const [areaUnitId, setAreaUnitId] = useState<string | undefined>();
  const [q, setQ] = useState<string | undefined>();
  const [includeInactive, setIncludeInactive] = useState(false);
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<{ grid?: Grid } | null>(null);

  const list = useQuery({
    queryKey: ['org', 'grids', 'list', areaUnitId, q, includeInactive, page],
    queryFn: () => get<Paged<Grid>>(`/api/org/grids${qs({ areaUnitId, q, includeInactive, page, pageSize: 20 })}`),
  });
  // the map shows every grid matching the filters, not just the page
  const all = useQuery({
    queryKey: ['org', 'grids', 'map', areaUnitId, q, includeInactive],
    queryFn: () => get<Paged<Grid>>(`/api/org/grids${qs({ areaUnitId, q, includeInactive, pageSize: 200 })}`),
  });
  const polygons = useMemo<MapPolygon[]>(() => {
    const communities = [...new Set((all.data?.items ?? []).map((g) => g.communityId))];
    return (all.data?.items ?? [])
      .filter((g) => g.polygon)
      .map((g) => ({ id: g.id, name: `${g.name}（${g.code}）`, rings: g.polygon!.coordinates, color: COLORS[communities.indexOf(g.communityId) % COLORS.length] }));
  }, [all.data]);
  const refresh = () => qc.invalidateQueries({ queryKey: ['org'] });
  const [importing, setImporting] = useState(false);

  const toggleActive = async (g: Grid) => {
    try {
      await post(`/api/org/grids/${g.id}/${g.isActive ? 'deactivate' : 'activate'}`, { version: g.version });
      message.success(g.isActive ? '已停用' : '已启用');
      await refresh();
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '操作失败');
    }
  };

  const table = (
    <DataTable<Grid> tableKey="grids"
      rowKey="id"
      size="small"
      loading={list.isLoading}
      dataSource={list.data?.items}
      scroll={{ x: 760 }}
      data-testid="grids-table"
      pagination={{ current: page, pageSize: 20, total: list.data?.total, onChange: setPage, showTotal: (t) => `共 ${t} 个网格` }}
      columns={[
        { title: '编码', dataIndex: 'code', width: 90 },
        { title: '网格名称', dataIndex: 'name', width: 170 },
        { title: '所属社区', dataIndex: 'communityName', width: 110 },
        { title: '户数', dataIndex: 'households', width: 70, render: (v: number | null) => v ?? '—' },
        {
          title: '网格员',
          dataIndex: 'workers',
          width: 170,
          render: (ws: Grid['workers']) =>
            ws.length ? ws.map((w) => <div key={w.id}>{w.name} <span style={{ color: '#999' }}>{w.phoneMasked}</span></div>) : <span style={{ color: '#c8102e' }}>未配置</span>,
        },
        { title: '点位', dataIndex: 'pointCount', width: 60 },
        { title: '状态', dataIndex: 'isActive', width: 70, render: (a: boolean) => (a ? <Tag color="green">在用</Tag> : <Tag>停用</Tag>) },
        ...(canWrite
          ? [
              {
                title: '操作',
                key: 'ops',
                width: 110,
                render: (_: unknown, r: Grid) => (
                  <Space size="small">
                    <a onClick={() => setEditing({ grid: r })}>编辑</a>
                    <Popconfirm title={r.isActive ? '确定停用该网格？' : '确定重新启用？'} onConfirm={() => toggleActive(r)}>
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
  const map = <MapView polygons={polygons} height={wide ? 620 : 480} data-testid="grids-map" />;

  return (
    <div>
      <h1 className="cw-page-title">网格</h1>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Space wrap>
          <UnitSelect
            kinds={['district', 'street', 'community']}
            placeholder="区 / 街道 / 社区"
            value={areaUnitId}
            onChange={(v) => {
              setAreaUnitId((v as string | undefined) ?? undefined);
              setPage(1);
            }}
            style={{ width: 200 }}
            data-testid="grids-filter-area"
          />
          <Input.Search
            allowClear
            placeholder="网格名称 / 编码"
            style={{ width: 200 }}
            onSearch={(v) => {
              setQ(v.trim() || undefined);
              setPage(1);
            }}
            data-testid="grids-search"
          />
          <Checkbox checked={includeInactive} onChange={(e) => setIncludeInactive(e.target.checked)}>
            含停用
          </Checkbox>
          {canWrite && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({})} data-testid="grid-create">
              新增网格
            </Button>
          )}
          {canWrite && (
            <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="grids-import">
              导入
            </Button>
          )}
          <ExportButton kind="grids" />
        </Space>
      </Card>
      <TableAndMap table={table} map={map} tableSpan={14} />
      {importing && <ImportDialog kind="grids" onClose={() => setImporting(false)} onDone={() => void refresh()} />}
      {editing && (
        <GridForm
          grid={editing.grid}
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
