import { CarryOutOutlined, RightOutlined } from '@ant-design/icons';
import { Card } from 'antd';
import { Link } from 'react-router';
import type { Me } from '../../../../contracts/auth.ts';
import { defaultSystem, useSystems, useTasks } from '../../../admin/features/indicators/api.ts';
import { can } from '../../../shared/session.ts';

/** The home page's entry to 本单位任务, with what is open and overdue (only for those who report progress). */
export function H5TasksEntry({ me }: { me: Me }) {
  const reporter = can(me, 'tasks.report');
  const systems = useSystems();
  const system = reporter ? defaultSystem(systems.data) : undefined;
  const open = useTasks({ systemId: system?.id, mine: true, pageSize: 1 }, !!system);
  const overdue = useTasks({ systemId: system?.id, mine: true, overdue: true, pageSize: 1 }, !!system);
  if (!reporter) return null;
  return (
    <Card size="small" title="测评任务">
      <Link to="/tasks" className="h5-row" data-testid="h5-tasks-link">
        <CarryOutOutlined style={{ fontSize: 20, color: '#c8102e' }} />
        <div className="h5-row-main">
          <div className="h5-row-title">本单位任务与进度报送</div>
          <div className="h5-row-sub">
            {open.data ? `共 ${open.data.total} 项` : '—'}
            {overdue.data?.total ? `，超期 ${overdue.data.total} 项` : ''}
          </div>
        </div>
        <RightOutlined style={{ color: '#bbb' }} />
      </Link>
    </Card>
  );
}
