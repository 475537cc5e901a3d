import { Card, Col, Grid, Row, Tabs } from 'antd';
import type { ReactNode } from 'react';

/** A list beside its map on a wide screen; the two as tabs on a narrow one (the map tab mounts when shown). */
export function TableAndMap({ table, map, tableSpan = 14 }: { table: ReactNode; map: ReactNode; tableSpan?: number }) {
  const wide = !!Grid.useBreakpoint().lg;
  if (!wide) {
    return (
      <Card size="small">
        <Tabs
          items={[
            { key: 'list', label: '列表', children: table },
            { key: 'map', label: '地图', children: map },
          ]}
        />
      </Card>
    );
  }
  return (
    <Row gutter={12}>
      <Col span={tableSpan}>
        <Card size="small">{table}</Card>
      </Col>
      <Col span={24 - tableSpan}>
        <Card size="small">{map}</Card>
      </Col>
    </Row>
  );
}
