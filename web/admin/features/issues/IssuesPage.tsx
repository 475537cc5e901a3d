import { DeleteOutlined, DownloadOutlined, PlusOutlined, SaveOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Badge, Button, Card, Cascader, Checkbox, DatePicker, Grid, Input, Popconfirm, Select, Space, Tabs, Tag, Tooltip } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import type { Paged } from '../../../../contracts/common.ts';
import { type Issue, type IssueMarkers, ISSUE_STATES, IssueSourceLabels, IssueStateLabels } from '../../../../contracts/issues.ts';
import { ApiError, del, download, get, post, qs } from '../../../shared/api.ts';
import { UnitSelect } from '../../../shared/components/UnitSelect.tsx';
import { can, useMe } from '../../../shared/session.ts';
import { IssueCreateDrawer } from './IssueCreateDrawer.tsx';
import { IssueMap, StateLegend } from './IssueMap.tsx';
import { categoryOptions, categoryPath, DeadlineCell, StateTag, useCategories } from './kit.tsx';
import './issues.css';
import { DataTable } from '../../../shared/components/DataTable.tsx';

/** The filters the list sends to GET /api/issues; names as in ListIssuesQuery. */
const FILTER_KEYS = ['state', 'unitId', 'categoryId', 'source', 'overdue', 'dueSoon', 'areaUnitId', 'createdFrom', 'createdTo', 'q'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
type Filters = Partial<Record<FilterKey, string>>;
const VIEW_PAGE = 'issues';
/** A saved view as /api/saved-views returns it (contracts/saved-views.ts). */
type SavedView = { id: string; name: string; query: Record<string, string | number | boolean | null | string[]> };

function filtersOf(sp: URLSearchParams): Filters {
  const f: Filters = {};
  for (const k of FILTER_KEYS) {
    const v = sp.get(k);
    if (v) f[k] = v;
  }
  return f;
}
const apiFilters = (f: Filters) => Object.fromEntries(FILTER_KEYS.filter((k) => f[k]).map((k) => [k, f[k]]));

/** 问题列表: filters synced to the URL, saved views, the table and the clustered map of the same filter. */
export function IssuesPage() {
  const { data: me } = useMe();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [sp, setSp] = useSearchParams();
  const filters = filtersOf(sp);
  const page = Number(sp.get('page') ?? 1) || 1;
  const pageSize = Number(sp.get('pageSize') ?? 20) || 20;
  const tab = sp.get('tab') === 'map' ? 'map' : 'list';
  const [creating, setCreating] = useState(false);
  // on a phone the filters fold behind one button
  const narrow = !Grid.useBreakpoint().md;
  const [showFilters, setShowFilters] = useState(false);
  const [q, setQ] = useState(filters.q ?? '');

  /** Replaces some filters (empty values removed) and goes back to page 1. */
  const set = (patch: Filters) => {
    const next = new URLSearchParams(sp);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    next.delete('page');
    setSp(next);
  };
  const setParam = (k: string, v: string | null) => {
    const next = new URLSearchParams(sp);
    if (v) next.set(k, v);
    else next.delete(k);
    setSp(next);
  };

  const cats = useCategories();
  const unitLabel = useUnitLabel(filters.unitId);
  const areaLabel = useUnitLabel(filters.areaUnitId);
  const apiF = apiFilters(filters);
  const list = useQuery({
    queryKey: ['issues', 'list', apiF, page, pageSize],
    queryFn: () => get<Paged<Issue>>(`/api/issues${qs({ ...apiF, page, pageSize })}`),
  });
  const markers = useQuery({
    queryKey: ['issues', 'markers', apiF],
    queryFn: () => get<IssueMarkers>(`/api/issues/markers${qs(apiF)}`),
    enabled: tab === 'map',
  });
  const markerItems = useMemo(() => markers.data?.items ?? [], [markers.data]);

  const views = useQuery({
    queryKey: ['saved-views', VIEW_PAGE],
    queryFn: () => get<SavedView[]>(`/api/saved-views?page=${VIEW_PAGE}`),
    retry: false,
  });
  const [viewName, setViewName] = useState('');
  const saveView = async () => {
    const name = viewName.trim();
    if (!name) {
      message.warning('请填写视图名称');
      return;
    }
    try {
      await post('/api/saved-views', { page: VIEW_PAGE, name, query: filters });
      message.success(`已保存视图「${name}」`);
      setViewName('');
      await qc.invalidateQueries({ queryKey: ['saved-views', VIEW_PAGE] });
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '保存失败');
    }
  };
  const applyView = (v: SavedView) => {
    const next = new URLSearchParams();
    for (const [k, val] of Object.entries(v.query)) if (val !== null && val !== '' && (FILTER_KEYS as readonly string[]).includes(k)) next.set(k, String(val));
    if (tab === 'map') next.set('tab', 'map');
    setSp(next);
    setQ(next.get('q') ?? '');
  };
  const deleteView = async (v: SavedView) => {
    try {
      await del(`/api/saved-views/${v.id}`);
      message.success(`已删除视图「${v.name}」`);
      await qc.invalidateQueries({ queryKey: ['saved-views', VIEW_PAGE] });
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '删除失败');
    }
  };
  const activeView = views.data?.find((v) => {
    const vq = Object.fromEntries(Object.entries(v.query).filter(([, x]) => x !== null && x !== ''));
    const cur = Object.fromEntries(Object.entries(filters));
    return JSON.stringify(Object.entries(vq).sort()) === JSON.stringify(Object.entries(cur).sort());
  });

  const hasFilters = Object.keys(filters).length > 0;
  const [exporting, setExporting] = useState(false);
  const exportList = async () => {
    setExporting(true);
    try {
      await download(`/api/issues/export${qs(apiF)}`, '问题列表.xlsx');
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '导出失败');
    } finally {
      setExporting(false);
    }
  };

  const table = (
    <DataTable<Issue> tableKey="issues"
      rowKey="id"
      size="small"
      loading={list.isLoading}
      dataSource={list.data?.items}
      scroll={{ x: 1130 }}
      data-testid="issues-table"
      onRow={(r) => ({ onDoubleClick: () => navigate(`/issues/${r.id}`) })}
      pagination={{
        current: page,
        pageSize,
        total: list.data?.total,
        showSizeChanger: true,
        showTotal: (t) => `共 ${t} 个问题`,
        onChange: (p, s) => {
          const next = new URLSearchParams(sp);
          next.set('page', String(p));
          next.set('pageSize', String(s));
          setSp(next);
        },
      }}
      columns={[
        {
          title: '编号 / 标题',
          dataIndex: 'title',
          fixed: 'left',
          width: 240,
          render: (v: string, r) => (
            <div>
              <a onClick={() => navigate(`/issues/${r.id}`)} data-testid="issue-link">
                {v}
              </a>
              <div style={{ color: '#999', fontSize: 12 }}>{r.number}</div>
            </div>
          ),
        },
        { title: '分类', dataIndex: 'categoryName', width: 100 },
        { title: '来源', dataIndex: 'source', width: 90, render: (s: Issue['source']) => IssueSourceLabels[s] },
        {
          title: '地点',
          dataIndex: 'address',
          width: 190,
          render: (a: string | null, r) => (
            <div>
              <div>{a ?? '—'}</div>
              <div style={{ color: '#999', fontSize: 12 }}>{r.areaUnitName}</div>
            </div>
          ),
        },
        { title: '责任单位', dataIndex: 'responsibleUnitName', width: 140, render: (v: string | null) => v ?? <span style={{ color: '#999' }}>未定</span> },
        { title: '状态', dataIndex: 'state', width: 100, render: (s: Issue['state'], r) => <StateTag state={s} extensionPending={r.extensionPending} /> },
        { title: '处置期限', dataIndex: 'deadline', width: 160, render: (_: unknown, r) => <DeadlineCell issue={r} /> },
        {
          title: '返工 / 回潮',
          key: 'counts',
          width: 90,
          render: (_: unknown, r) => (
            <span>
              <span style={{ color: r.reworkCount ? '#c8102e' : '#999' }}>{r.reworkCount}</span> / <span style={{ color: r.relapseCount ? '#c8102e' : '#999' }}>{r.relapseCount}</span>
            </span>
          ),
        },
      ]}
    />
  );

  const map = (
    <>
      {markers.data?.truncated && <Alert type="warning" showIcon title="问题过多，地图仅显示最新的 5000 个，请缩小筛选范围" style={{ marginBottom: 8 }} />}
      <IssueMap markers={markerItems} onOpen={(id) => navigate(`/issues/${id}`)} />
      <div style={{ display: 'flex', justifyContent: 'space-between', flexWrap: 'wrap', gap: 8 }}>
        <StateLegend states={[...new Set(markerItems.map((m) => m.state))]} />
        <span style={{ marginTop: 6, color: '#666', fontSize: 12 }} data-testid="issues-map-count">
          地图共 {markerItems.length} 个有坐标的问题
          {list.data && list.data.total > markerItems.length ? `（筛选结果共 ${list.data.total} 个）` : ''}
        </span>
      </div>
    </>
  );

  return (
    <div>
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', flexWrap: 'wrap', gap: 8 }}>
        <h1 className="cw-page-title">问题列表</h1>
        <Space style={{ marginBottom: 16 }}>
          <Button icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportList()} data-testid="issues-export">
            导出 Excel
          </Button>
          {can(me, 'issues.report') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="issue-create">
              新建问题
            </Button>
          )}
        </Space>
      </div>
      <Card size="small" style={{ marginBottom: 12 }}>
        {narrow && (
          <Button block onClick={() => setShowFilters((v) => !v)} style={{ marginBottom: showFilters ? 8 : 0 }} data-testid="issues-filters-toggle">
            {showFilters ? '收起筛选' : '筛选'} <Badge count={Object.keys(filters).length} size="small" style={{ marginInlineStart: 4 }} />
          </Button>
        )}
        <Space wrap style={narrow && !showFilters ? { display: 'none' } : undefined}>
          <Select
            allowClear
            placeholder="状态"
            style={{ width: 130 }}
            value={filters.state}
            onChange={(v) => set({ state: v })}
            options={ISSUE_STATES.map((s) => ({ value: s, label: IssueStateLabels[s] }))}
            data-testid="issues-filter-state"
          />
          <Cascader
            allowClear
            changeOnSelect
            placeholder="问题分类"
            style={{ width: 200 }}
            options={categoryOptions(cats.data ?? [])}
            value={categoryPath(cats.data ?? [], filters.categoryId)}
            onChange={(path) => set({ categoryId: (path?.[path.length - 1] as string | undefined) ?? undefined })}
            data-testid="issues-filter-category"
          />
          <Select
            allowClear
            placeholder="来源"
            style={{ width: 130 }}
            value={filters.source}
            onChange={(v) => set({ source: v })}
            options={Object.entries(IssueSourceLabels).map(([value, label]) => ({ value, label }))}
            data-testid="issues-filter-source"
          />
          <UnitSelect
            scope="city"
            placeholder="责任单位"
            value={filters.unitId}
            initialOptions={unitLabel}
            onChange={(v) => set({ unitId: v as string | undefined })}
            style={{ width: 190 }}
            data-testid="issues-filter-unit"
          />
          <UnitSelect
            kinds={['district', 'street', 'community']}
            placeholder="所在区域"
            value={filters.areaUnitId}
            initialOptions={areaLabel}
            onChange={(v) => set({ areaUnitId: v as string | undefined })}
            style={{ width: 170 }}
            data-testid="issues-filter-area"
          />
          <DatePicker.RangePicker
            placeholder={['上报起', '上报止']}
            style={{ width: 240 }}
            value={filters.createdFrom && filters.createdTo ? [dayjs(filters.createdFrom), dayjs(filters.createdTo)] : null}
            onChange={(r) => set({ createdFrom: r?.[0]?.format('YYYY-MM-DD'), createdTo: r?.[1]?.format('YYYY-MM-DD') })}
            data-testid="issues-filter-dates"
          />
          <Checkbox checked={filters.overdue === 'true'} onChange={(e) => set({ overdue: e.target.checked ? 'true' : undefined })} data-testid="issues-filter-overdue">
            仅超期
          </Checkbox>
          <Checkbox checked={filters.dueSoon === 'true'} onChange={(e) => set({ dueSoon: e.target.checked ? 'true' : undefined })} data-testid="issues-filter-due-soon">
            即将到期
          </Checkbox>
          <Input.Search
            allowClear
            placeholder="编号 / 标题 / 地址"
            style={{ width: 210 }}
            value={q}
            onChange={(e) => setQ(e.target.value)}
            onSearch={(v) => set({ q: v.trim() || undefined })}
            data-testid="issues-search"
          />
          {hasFilters && (
            <Button
              onClick={() => {
                setQ('');
                setSp(tab === 'map' ? new URLSearchParams({ tab: 'map' }) : new URLSearchParams());
              }}
            >
              清空筛选
            </Button>
          )}
        </Space>
        <div className="cw-issue-views" data-testid="saved-views" style={narrow && !showFilters ? { display: 'none' } : undefined}>
          <span style={{ color: '#666' }}>常用视图：</span>
          {views.isError && <span style={{ color: '#999' }}>（暂不可用）</span>}
          {(views.data ?? []).map((v) => (
            <Tag.CheckableTag key={v.id} checked={activeView?.id === v.id} onChange={() => applyView(v)} data-testid="saved-view">
              {v.name}
              <Popconfirm title={`删除视图「${v.name}」？`} onConfirm={() => void deleteView(v)} okText="删除" cancelText="取消">
                <Tooltip title="删除">
                  <DeleteOutlined style={{ marginInlineStart: 6, fontSize: 11 }} onClick={(e) => e.stopPropagation()} aria-label={`删除视图${v.name}`} />
                </Tooltip>
              </Popconfirm>
            </Tag.CheckableTag>
          ))}
          {views.data?.length === 0 && <span style={{ color: '#999' }}>暂无，设好筛选后可保存</span>}
          <Space.Compact style={{ marginInlineStart: 'auto' }}>
            <Input
              placeholder="视图名称"
              maxLength={30}
              value={viewName}
              onChange={(e) => setViewName(e.target.value)}
              onPressEnter={() => void saveView()}
              style={{ width: 150 }}
              data-testid="saved-view-name"
            />
            <Button icon={<SaveOutlined />} disabled={!hasFilters} onClick={() => void saveView()} data-testid="saved-view-save">
              保存当前筛选
            </Button>
          </Space.Compact>
        </div>
      </Card>
      <Card size="small">
        <Tabs
          activeKey={tab}
          onChange={(k) => setParam('tab', k === 'map' ? 'map' : null)}
          items={[
            { key: 'list', label: `列表${list.data ? `（${list.data.total}）` : ''}`, children: table },
            { key: 'map', label: '地图', children: map },
          ]}
        />
      </Card>
      {creating && (
        <IssueCreateDrawer
          onClose={() => setCreating(false)}
          onCreated={(i) => {
            setCreating(false);
            void qc.invalidateQueries({ queryKey: ['issues'] });
            navigate(`/issues/${i.id}`);
          }}
        />
      )}
    </div>
  );
}

/** The name of a unit chosen in the URL, so a reloaded page or a saved view shows names, not ids. */
function useUnitLabel(id: string | undefined): { id: string; name: string }[] {
  const { data } = useQuery({
    queryKey: ['org', 'unit', id],
    queryFn: () => get<{ id: string; name: string }>(`/api/org/units/${id}`),
    enabled: !!id,
    retry: false,
    staleTime: 300_000,
  });
  return data ? [{ id: data.id, name: data.name }] : [];
}
