import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useState } from 'react';
import { OrgUnitKindLabels, type OrgUnitKind, type OrgUnitOption } from '../../../contracts/org.ts';
import { get, qs } from '../api.ts';

type Props = {
  value?: string | string[] | null;
  onChange?: (v: string | string[] | undefined) => void;
  kinds?: OrgUnitKind[];
  multiple?: boolean;
  placeholder?: string;
  allowClear?: boolean;
  style?: React.CSSProperties;
  /** labels for ids already chosen, so the select shows names before any search */
  initialOptions?: { id: string; name: string }[];
  /** 'city' offers every active unit (responsible and 包保 units may be outside one's own subtree) */
  scope?: 'mine' | 'city';
  'data-testid'?: string;
};

/** Unit picker searching on the server by 中文、全拼 or 首字母 (pinyin-pro). */
export function UnitSelect({ value, onChange, kinds, multiple, placeholder = '输入名称、拼音或首字母搜索', allowClear = true, style, initialOptions = [], scope = 'mine', ...rest }: Props) {
  const [q, setQ] = useState('');
  const { data = [], isFetching } = useQuery({
    queryKey: ['unit-options', q, kinds?.join(','), scope],
    queryFn: () => get<OrgUnitOption[]>(`/api/org/units/options${qs({ q, kinds: kinds?.join(','), limit: 30, scope })}`),
    staleTime: 30_000,
  });
  const known = new Map<string, { label: React.ReactNode; value: string }>();
  for (const o of initialOptions) known.set(o.id, { value: o.id, label: o.name });
  for (const o of data) {
    known.set(o.id, {
      value: o.id,
      label: (
        <span title={o.pathNames}>
          {o.name}
          <span style={{ color: '#999', marginLeft: 8, fontSize: 12 }}>{OrgUnitKindLabels[o.kind]}</span>
        </span>
      ),
    });
  }
  return (
    <Select
      showSearch={{ filterOption: false, onSearch: setQ }}
      mode={multiple ? 'multiple' : undefined}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v as string | string[] | undefined)}
      options={[...known.values()]}
      loading={isFetching}
      placeholder={placeholder}
      allowClear={allowClear}
      style={{ minWidth: 220, ...style }}
      notFoundContent={isFetching ? '搜索中…' : '无匹配单位'}
      data-testid={rest['data-testid']}
    />
  );
}
