import { H5VolunteerEntry } from './volunteers/H5Organiser.tsx';
import { ApartmentOutlined, EnvironmentOutlined, LockOutlined, LogoutOutlined, RightOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Space } from 'antd';
import { Link } from 'react-router';
import type { Me } from '../../../contracts/auth.ts';
import type { Paged } from '../../../contracts/common.ts';
import type { OrgSummary } from '../../../contracts/org.ts';
import type { Grid, Point } from '../../../contracts/places.ts';
import { get, qs } from '../../shared/api.ts';
import { formatDate } from '../../shared/format.ts';
import { can, useLogout } from '../../shared/session.ts';
import { PointRows } from '../components/PointRows.tsx';
import { H5TasksEntry } from './tasks/index.ts';
import { H5EvidenceEntry } from './evidence/index.ts';
import { IssueEntries } from './issues/index.ts';

/** What each role is here to do, shown at the top of their landing page. */
const ROLE_TASK: Record<string, string> = {
  grid_worker: '每天走访督查本网格一次，发现问题及时上报、协调整改。',
  inspector: '按督查计划到点位明查暗访，对照实地测评标准检查，核查整改结果。',
  supervisor: '发现不文明现象和问题随手上报，并跟踪处理进展。',
  unit_contact: '管好本单位负责和包保的点位，按时整改反馈。',
  district_admin: '掌握本辖区点位、网格与责任单位的工作情况。',
  city_admin: '掌握全市创建工作情况。',
};

function Summary({ s }: { s: OrgSummary }) {
  return (
    <Card size="small" title="管辖范围">
      <div className="h5-stats">
        {[
          ['网格', s.grids],
          ['点位', s.points],
          ['重点点位', s.keyPoints],
          ['社区', s.unitsByKind.community ?? 0],
        ].map(([label, value]) => (
          <div key={label}>
            <div className="h5-stat-value">{value}</div>
            <div className="h5-stat-label">{label}</div>
          </div>
        ))}
      </div>
    </Card>
  );
}

/** 网格员: my grids, each opening its points. */
function MyGrids({ me }: { me: Me }) {
  const { data } = useQuery({
    queryKey: ['h5', 'my-grids', me.user.id],
    queryFn: () => get<Paged<Grid>>(`/api/org/grids${qs({ workerId: me.user.id, pageSize: 50 })}`),
  });
  return (
    <Card size="small" title="我的网格" data-testid="h5-my-grids">
      {data?.items.map((g) => (
        <Link key={g.id} to={`/grids/${g.id}`} className="h5-row">
          <ApartmentOutlined style={{ fontSize: 20, color: '#c8102e' }} />
          <div className="h5-row-main">
            <div className="h5-row-title">{g.name}</div>
            <div className="h5-row-sub">
              {g.communityName} · {g.households ?? '—'} 户 · {g.pointCount} 个点位
            </div>
          </div>
          <RightOutlined style={{ color: '#bbb' }} />
        </Link>
      ))}
      {data && data.items.length === 0 && <div style={{ color: '#999' }}>尚未分配网格，请联系社区管理员。</div>}
    </Card>
  );
}

/** 责任单位联络员: the points the unit answers for. */
function UnitPoints({ me }: { me: Me }) {
  const { data } = useQuery({
    queryKey: ['h5', 'unit-points', me.unit.id],
    queryFn: () => get<Paged<Point>>(`/api/org/points${qs({ unitId: me.unit.id, pageSize: 50 })}`),
  });
  return (
    <Card size="small" title={`本单位负责的点位${data ? `（${data.total}）` : ''}`}>
      {data && <PointRows points={data.items} emptyText="本单位暂无负责的点位" />}
    </Card>
  );
}

export function H5Home({ me }: { me: Me }) {
  const logout = useLogout();
  const roles = new Set(me.roles.map((r) => r.code));
  const summary = useQuery({ queryKey: ['org', 'summary'], queryFn: () => get<OrgSummary>('/api/org/summary'), enabled: can(me, 'org.read') });
  const task = me.roles.map((r) => ROLE_TASK[r.code]).find(Boolean);
  return (
    <div className="h5">
      <div className="h5-top">
        <h1 data-testid="h5-greeting">{me.user.name}，您好</h1>
        <div className="sub">
          {me.roles.map((r) => r.name).join('、') || '未分配角色'} · {me.unit.name}
        </div>
        <div className="sub">{formatDate(new Date())}</div>
      </div>
      <div className="h5-body">
        <Card size="small" title="我的职责">
          {task ?? '您的账号尚未分配角色，请联系管理员。'}
        </Card>
        <IssueEntries me={me} />
        {roles.has('grid_worker') && <MyGrids me={me} />}
        {roles.has('unit_contact') && <UnitPoints me={me} />}
        <H5TasksEntry me={me} />
        <H5EvidenceEntry me={me} />
        <H5VolunteerEntry />
        {/* a department has no area of its own: its scope is what it answers for, listed above */}
        {summary.data && (summary.data.points > 0 || summary.data.grids > 0) && <Summary s={summary.data} />}
        {can(me, 'org.read') && (
          <Link to="/points">
            <Button block size="large" icon={<EnvironmentOutlined />} data-testid="h5-points-link">
              {roles.has('inspector') ? '查找督查点位' : '查看点位'}
            </Button>
          </Link>
        )}
        {(roles.has('city_admin') || roles.has('district_admin')) && (
          <Card size="small">管理功能（组织体系、用户、审计等）请在电脑端使用：{location.origin}</Card>
        )}
        <Space.Compact block>
          <Link to="/account/password" style={{ flex: 1 }}>
            <Button block icon={<LockOutlined />}>
              修改密码
            </Button>
          </Link>
          <Button style={{ flex: 1 }} icon={<LogoutOutlined />} onClick={() => void logout()}>
            退出登录
          </Button>
        </Space.Compact>
      </div>
    </div>
  );
}
