import { ArrowDownOutlined, ArrowUpOutlined, ColumnHeightOutlined, SettingOutlined } from '@ant-design/icons';
import { Button, Checkbox, Popover, Segmented, Space, Table, type TableProps, Tooltip } from 'antd';
import type { ColumnType } from 'antd/es/table';
import { type ReactNode, useMemo, useState } from 'react';
import { useMe } from '../session.ts';

/**
 * Every list table of the admin app (docs/web-conventions.md §Tables):
 * - the 操作 column (key `actions`, or titled 操作 without a dataIndex) is fixed to the right and the
 *   table scrolls sideways inside itself (`scroll.x = 'max-content'` unless the page says otherwise),
 *   so the buttons stay in view at 1366 px;
 * - 列设置: show/hide and order of the columns, 密度 (默认/紧凑) and the page size, remembered per
 *   user and table in localStorage under `cw.table.<userId>.<tableKey>`.
 * A page passes `tableKey` (unique, stable) and uses it like antd's Table; `toolbar` adds its own
 * buttons left of the settings. For server-side paging, read the remembered size with
 * `useTablePageSize(tableKey, 20)` and pass it in the query.
 */

type Prefs = { hidden?: string[]; order?: string[]; size?: 'middle' | 'small'; pageSize?: number };

const storageKey = (userId: string | undefined, tableKey: string) => `cw.table.${userId ?? 'anon'}.${tableKey}`;

function readPrefs(key: string): Prefs {
  try {
    return JSON.parse(localStorage.getItem(key) ?? '{}') as Prefs;
  } catch {
    return {};
  }
}

function usePrefs(tableKey: string): [Prefs, (p: Prefs) => void] {
  const { data: me } = useMe();
  const key = storageKey(me?.user.id, tableKey);
  const [prefs, setPrefs] = useState<Prefs>(() => readPrefs(key));
  const save = (p: Prefs) => {
    const next = { ...prefs, ...p };
    setPrefs(next);
    try {
      localStorage.setItem(key, JSON.stringify(next));
    } catch {
      /* storage full or disabled: the settings last for this page only */
    }
  };
  return [prefs, save];
}

/** The remembered page size of a table (for pages that page on the server). */
export function useTablePageSize(tableKey: string, fallback = 20): [number, (n: number) => void] {
  const [prefs, save] = usePrefs(tableKey);
  return [prefs.pageSize ?? fallback, (n) => save({ pageSize: n })];
}

type Col<T> = NonNullable<TableProps<T>['columns']>[number];

const colKey = <T,>(c: Col<T>, i: number): string => {
  const dataIndex = (c as ColumnType<T>).dataIndex;
  return String(c.key ?? (Array.isArray(dataIndex) ? dataIndex.join('.') : (dataIndex ?? (typeof c.title === 'string' ? c.title : i))));
};

const isActions = <T,>(c: Col<T>): boolean => c.key === 'actions' || (c.title === '操作' && (c as ColumnType<T>).dataIndex === undefined);

const titleText = <T,>(c: Col<T>): ReactNode => (typeof c.title === 'function' ? colKey(c, 0) : c.title);

export type DataTableProps<T> = TableProps<T> & { tableKey: string; toolbar?: ReactNode; settings?: boolean };

export function DataTable<T extends object>({ tableKey, toolbar, settings = true, columns = [], scroll, pagination, size, ...rest }: DataTableProps<T>) {
  const [prefs, save] = usePrefs(tableKey);
  const keyed = useMemo(() => columns.map((c, i) => ({ c, k: colKey(c, i) })), [columns]);

  const shown = useMemo(() => {
    const hidden = new Set(prefs.hidden ?? []);
    const order = prefs.order ?? [];
    const rank = (k: string) => {
      const i = order.indexOf(k);
      return i < 0 ? order.length + keyed.findIndex((x) => x.k === k) : i;
    };
    return keyed
      .filter(({ c, k }) => isActions(c) || !hidden.has(k))
      .sort((a, b) => (isActions(a.c) ? 1 : 0) - (isActions(b.c) ? 1 : 0) || rank(a.k) - rank(b.k))
      .map(({ c }) => (isActions(c) ? ({ ...c, fixed: 'right' } as Col<T>) : c));
  }, [keyed, prefs.hidden, prefs.order]);

  const movable = keyed.filter(({ c }) => !isActions(c));
  const ordered = [...movable].sort((a, b) => {
    const order = prefs.order ?? [];
    const ra = order.indexOf(a.k) < 0 ? 1e6 + movable.indexOf(a) : order.indexOf(a.k);
    const rb = order.indexOf(b.k) < 0 ? 1e6 + movable.indexOf(b) : order.indexOf(b.k);
    return ra - rb;
  });
  const move = (k: string, d: -1 | 1) => {
    const keys = ordered.map((x) => x.k);
    const i = keys.indexOf(k);
    if (i + d < 0 || i + d >= keys.length) return;
    [keys[i], keys[i + d]] = [keys[i + d], keys[i]];
    save({ order: keys });
  };

  const panel = (
    <div style={{ minWidth: 220 }} data-testid={`table-settings-${tableKey}`}>
      {ordered.map(({ c, k }, i) => (
        <div key={k} style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 8, padding: '2px 0' }}>
          <Checkbox
            checked={!(prefs.hidden ?? []).includes(k)}
            onChange={(e) => save({ hidden: e.target.checked ? (prefs.hidden ?? []).filter((h) => h !== k) : [...(prefs.hidden ?? []), k] })}
          >
            {titleText(c)}
          </Checkbox>
          <Space size={0}>
            <Button type="text" size="small" aria-label="上移" icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => move(k, -1)} />
            <Button type="text" size="small" aria-label="下移" icon={<ArrowDownOutlined />} disabled={i === ordered.length - 1} onClick={() => move(k, 1)} />
          </Space>
        </div>
      ))}
      <Button type="link" size="small" style={{ padding: 0, marginTop: 4 }} onClick={() => save({ hidden: [], order: [] })}>
        恢复默认
      </Button>
    </div>
  );

  const mergedPagination =
    pagination === false
      ? false
      : {
          // a page that holds the size itself (server paging) opts in with its own showSizeChanger
          showSizeChanger: !(pagination && 'pageSize' in pagination),
          pageSizeOptions: [10, 20, 50, 100],
          ...(pagination ?? {}),
          ...(pagination && 'pageSize' in pagination ? {} : prefs.pageSize ? { pageSize: prefs.pageSize } : {}),
          onChange: (page: number, pageSize: number) => {
            if (pageSize !== prefs.pageSize) save({ pageSize });
            pagination?.onChange?.(page, pageSize);
          },
        };

  return (
    <div className="cw-data-table">
      {settings && (
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 8, marginBottom: 8, flexWrap: 'wrap' }}>
          <Space wrap>{toolbar}</Space>
          <Space size={4}>
            <Tooltip title="密度">
              <Segmented
                size="small"
                value={prefs.size ?? size ?? 'middle'}
                onChange={(v) => save({ size: v as Prefs['size'] })}
                options={[
                  { value: 'middle', label: '默认', icon: <ColumnHeightOutlined /> },
                  { value: 'small', label: '紧凑' },
                ]}
              />
            </Tooltip>
            <Popover trigger="click" placement="bottomRight" title="列设置" content={panel}>
              <Button size="small" icon={<SettingOutlined />} data-testid={`table-settings-button-${tableKey}`}>
                列设置
              </Button>
            </Popover>
          </Space>
        </div>
      )}
      <Table<T> {...rest} size={prefs.size ?? size} columns={shown} scroll={{ x: 'max-content', ...scroll }} pagination={mergedPagination} />
    </div>
  );
}
