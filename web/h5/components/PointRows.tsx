import { RightOutlined } from '@ant-design/icons';
import { Empty, Tag } from 'antd';
import { Link } from 'react-router';
import type { Point } from '../../../contracts/places.ts';

/** Tappable point rows: name, 重点 mark, type and address. */
export function PointRows({ points, emptyText = '暂无点位' }: { points: Point[]; emptyText?: string }) {
  if (points.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={emptyText} />;
  return (
    <div>
      {points.map((p) => (
        <Link key={p.id} to={`/points/${p.id}`} className="h5-row" data-testid="h5-point-row">
          <div className="h5-row-main">
            <div className="h5-row-title">
              {p.isKey && (
                <Tag color="red" style={{ marginRight: 6 }}>
                  重点
                </Tag>
              )}
              {p.name}
            </div>
            <div className="h5-row-sub">
              {p.typeName} · {p.address}
            </div>
          </div>
          <RightOutlined style={{ color: '#bbb' }} />
        </Link>
      ))}
    </div>
  );
}
