import { useQuery } from '@tanstack/react-query';
import { Card, Descriptions, Spin } from 'antd';
import { useParams } from 'react-router';
import type { Paged } from '../../../contracts/common.ts';
import type { Grid, Point } from '../../../contracts/places.ts';
import { get, qs } from '../../shared/api.ts';
import { MapView } from '../../shared/components/MapView.tsx';
import { H5Page } from '../components/H5Page.tsx';
import { PointRows } from '../components/PointRows.tsx';

/** One grid for its 网格员: boundary, households, and the points to walk today. */
export function H5GridPage() {
  const { id } = useParams();
  const grid = useQuery({ queryKey: ['grid', id], queryFn: () => get<Grid>(`/api/org/grids/${id}`) });
  const points = useQuery({
    queryKey: ['h5', 'grid-points', id],
    queryFn: () => get<Paged<Point>>(`/api/org/points${qs({ gridId: id, pageSize: 100 })}`),
  });
  const g = grid.data;
  return (
    <H5Page title={g?.name ?? '网格'} back>
      {!g ? (
        <Spin />
      ) : (
        <>
          <Card size="small">
            <Descriptions column={2} size="small">
              <Descriptions.Item label="所属社区">{g.communityName}</Descriptions.Item>
              <Descriptions.Item label="户数">{g.households ?? '—'}</Descriptions.Item>
              <Descriptions.Item label="网格员" span={2}>
                {g.workers.map((w) => `${w.name}${w.phoneMasked ? ` ${w.phoneMasked}` : ''}`).join('、') || '—'}
              </Descriptions.Item>
            </Descriptions>
          </Card>
          <Card size="small" styles={{ body: { padding: 0 } }}>
            <MapView
              height={240}
              polygons={g.polygon ? [{ id: g.id, name: g.name, rings: g.polygon.coordinates }] : []}
              markers={(points.data?.items ?? []).map((p) => ({ id: p.id, name: p.name, lng: p.lng, lat: p.lat, isKey: p.isKey, typeName: p.typeName }))}
            />
          </Card>
          <Card size="small" title={`网格内点位${points.data ? `（${points.data.total}）` : ''}`}>
            {points.data ? <PointRows points={points.data.items} /> : <Spin />}
          </Card>
        </>
      )}
    </H5Page>
  );
}
