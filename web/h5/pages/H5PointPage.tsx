import { useQuery } from '@tanstack/react-query';
import { Card, Descriptions, Spin, Tag } from 'antd';
import { useParams } from 'react-router';
import type { Point } from '../../../contracts/places.ts';
import { get } from '../../shared/api.ts';
import { MapView } from '../../shared/components/MapView.tsx';
import { H5Page } from '../components/H5Page.tsx';

export function H5PointPage() {
  const { id } = useParams();
  const { data: p } = useQuery({ queryKey: ['point', id], queryFn: () => get<Point>(`/api/org/points/${id}`) });
  return (
    <H5Page title="点位详情" back>
      {!p ? (
        <Spin />
      ) : (
        <>
          <Card size="small" title={<span data-testid="h5-point-name">{p.name}</span>} extra={p.isKey && <Tag color="red">重点点位</Tag>}>
            <Descriptions column={1} size="small">
              <Descriptions.Item label="类型">{p.typeName}</Descriptions.Item>
              <Descriptions.Item label="编码">{p.code}</Descriptions.Item>
              <Descriptions.Item label="地址">{p.address}</Descriptions.Item>
              <Descriptions.Item label="所在区域">{p.areaPathNames}</Descriptions.Item>
              <Descriptions.Item label="网格">{p.gridName ?? '—'}</Descriptions.Item>
              <Descriptions.Item label="责任单位">{p.units.map((u) => u.name).join('、')}</Descriptions.Item>
              <Descriptions.Item label="坐标">
                {p.lng.toFixed(6)}, {p.lat.toFixed(6)}（WGS-84）
              </Descriptions.Item>
            </Descriptions>
          </Card>
          <Card size="small" styles={{ body: { padding: 0 } }}>
            <MapView height={260} markers={[{ id: p.id, name: p.name, lng: p.lng, lat: p.lat, isKey: p.isKey, typeName: p.typeName, address: p.address }]} />
          </Card>
        </>
      )}
    </H5Page>
  );
}
