import { useQuery } from '@tanstack/react-query';
import { Card, Col, Descriptions, Row, Statistic, Typography } from 'antd';
import { OrgUnitKindLabels, type OrgSummary } from '../../../../contracts/org.ts';
import { get } from '../../../shared/api.ts';
import { formatDate } from '../../../shared/format.ts';
import { can, useMe } from '../../../shared/session.ts';

export function WorkbenchPage() {
  const { data: me } = useMe();
  const summary = useQuery({ queryKey: ['org', 'summary'], queryFn: () => get<OrgSummary>('/api/org/summary'), enabled: can(me, 'org.read') });
  const s = summary.data;
  const units = s ? Object.values(s.unitsByKind).reduce((a, b) => a + b, 0) : undefined;
  return (
    <div>
      <h1 className="cw-page-title">工作台</h1>
      <Card style={{ marginBottom: 16 }}>
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {me?.user.name}，您好
        </Typography.Title>
        <Descriptions column={{ xs: 1, md: 3 }} size="small">
          <Descriptions.Item label="所属单位">{me?.unit.path.join(' / ')}</Descriptions.Item>
          <Descriptions.Item label="角色">{me?.roles.map((r) => r.name).join('、')}</Descriptions.Item>
          <Descriptions.Item label="今天">{formatDate(new Date())}</Descriptions.Item>
        </Descriptions>
      </Card>
      {s && (
        <Row gutter={[16, 16]}>
          {[
            { title: '单位', value: units },
            { title: '社区（村）', value: s.unitsByKind.community ?? 0 },
            { title: '网格', value: s.grids },
            { title: '责任区', value: s.zones },
            { title: '点位', value: s.points },
            { title: '重点点位', value: s.keyPoints },
            { title: '用户', value: s.users },
          ].map((x) => (
            <Col key={x.title} xs={12} md={6} xl={3}>
              <Card>
                <Statistic title={x.title} value={x.value} />
              </Card>
            </Col>
          ))}
        </Row>
      )}
      {s && (
        <Card title="单位构成" style={{ marginTop: 16 }}>
          <Descriptions column={{ xs: 2, md: 6 }} size="small">
            {Object.entries(OrgUnitKindLabels).map(([k, label]) => (
              <Descriptions.Item key={k} label={label}>
                {s.unitsByKind[k] ?? 0}
              </Descriptions.Item>
            ))}
          </Descriptions>
        </Card>
      )}
    </div>
  );
}
