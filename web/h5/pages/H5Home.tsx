import { useQuery } from '@tanstack/react-query';
import { Button, Card, Statistic } from 'antd';
import type { Me } from '../../../contracts/auth.ts';
import type { OrgSummary } from '../../../contracts/org.ts';
import { get } from '../../shared/api.ts';
import { formatDate } from '../../shared/format.ts';
import { can, useLogout } from '../../shared/session.ts';

/** What each role is here to do, shown at the top of their landing page. */
const ROLE_GREETING: Record<string, string> = {
  grid_worker: '每天走访督查本网格一次，发现问题及时上报、协调整改。',
  inspector: '按督查计划到点位明查暗访，核查整改结果。',
  supervisor: '发现不文明现象和问题，随手上报并跟踪处理进展。',
  unit_contact: '查看本单位任务与问题，按时整改反馈。',
  district_admin: '掌握本辖区点位、网格与责任单位的工作情况。',
  city_admin: '掌握全市创建工作情况。',
};

export function H5Home({ me }: { me: Me }) {
  const logout = useLogout();
  const summary = useQuery({ queryKey: ['org', 'summary'], queryFn: () => get<OrgSummary>('/api/org/summary'), enabled: can(me, 'org.read') });
  const role = me.roles[0];
  return (
    <div className="h5">
      <div className="h5-top">
        <h1 data-testid="h5-greeting">{me.user.name}，您好</h1>
        <div className="sub">
          {me.roles.map((r) => r.name).join('、')} · {me.unit.name}
        </div>
        <div className="sub">{formatDate(new Date())}</div>
      </div>
      <div className="h5-body">
        <Card size="small" title="今日工作">
          {role ? ROLE_GREETING[role.code] ?? '欢迎使用创文通。' : '您的账号尚未分配角色，请联系管理员。'}
        </Card>
        {summary.data && (
          <Card size="small" title="我的管辖范围">
            <div className="h5-grid">
              <Statistic title="网格" value={summary.data.grids} />
              <Statistic title="点位" value={summary.data.points} />
              <Statistic title="重点点位" value={summary.data.keyPoints} />
              <Statistic title="用户" value={summary.data.users} />
            </div>
          </Card>
        )}
        <Button block onClick={() => void logout()}>
          退出登录
        </Button>
      </div>
    </div>
  );
}
