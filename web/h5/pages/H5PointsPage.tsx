import { useQuery } from '@tanstack/react-query';
import { Card, Input, Select, Spin, Switch } from 'antd';
import { useState } from 'react';
import type { Me } from '../../../contracts/auth.ts';
import type { Paged } from '../../../contracts/common.ts';
import type { Point, PointType } from '../../../contracts/places.ts';
import { get, qs } from '../../shared/api.ts';
import { H5Page } from '../components/H5Page.tsx';
import { PointRows } from '../components/PointRows.tsx';

/** Find a point by type and keyword: how an inspector picks where to go next. */
export function H5PointsPage({ me }: { me: Me }) {
  const [typeId, setTypeId] = useState<string | undefined>();
  const [q, setQ] = useState('');
  const [keyOnly, setKeyOnly] = useState(false);
  const types = useQuery({ queryKey: ['point-types'], queryFn: () => get<PointType[]>('/api/org/point-types') });
  const typeList = types.data ?? [];
  const points = useQuery({
    queryKey: ['h5', 'points', typeId, q, keyOnly],
    queryFn: () => get<Paged<Point>>(`/api/org/points${qs({ typeId, q, isKey: keyOnly || undefined, pageSize: 50 })}`),
  });
  return (
    <H5Page title="点位" back>
      <Card size="small">
        <Input.Search placeholder="名称、地址或编码" allowClear onSearch={(v) => setQ(v.trim())} style={{ marginBottom: 8 }} />
        <div style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
          <Select
            allowClear
            placeholder="全部类型"
            style={{ flex: 1 }}
            value={typeId}
            onChange={setTypeId}
            options={typeList.filter((t) => t.isActive).map((t) => ({ value: t.id, label: t.name }))}
          />
          <span style={{ whiteSpace: 'nowrap' }}>
            只看重点 <Switch size="small" checked={keyOnly} onChange={setKeyOnly} />
          </span>
        </div>
      </Card>
      <Card size="small" title={points.data ? `共 ${points.data.total} 个${points.data.total > 50 ? '，显示前 50 个' : ''}` : '点位'}>
        {points.data ? <PointRows points={points.data.items} emptyText={`${me.unit.name}管辖范围内没有符合条件的点位`} /> : <Spin />}
      </Card>
    </H5Page>
  );
}
