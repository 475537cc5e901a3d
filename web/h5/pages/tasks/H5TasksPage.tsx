import { RightOutlined } from '@ant-design/icons';
import { Card, Empty, Progress, Segmented, Spin, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import type { Me } from '../../../../contracts/auth.ts';
import { TaskPhaseLabels, type TaskStatus } from '../../../../contracts/indicators.ts';
import { defaultSystem, useSystems, useTasks } from '../../../admin/features/indicators/api.ts';
import { StatusTag, TaskFlags } from '../../../admin/features/indicators/kit.tsx';
import { H5Page } from '../../components/H5Page.tsx';

/** 本单位任务 on the phone: the unit's tasks, unfinished first, each opening its report form. */
export function H5TasksPage({ me }: { me: Me }) {
  const systems = useSystems();
  const system = defaultSystem(systems.data);
  const [status, setStatus] = useState<TaskStatus | 'open'>('open');
  const tasks = useTasks({ systemId: system?.id, mine: true, pageSize: 100, ...(status === 'open' ? {} : { status }) }, !!system);
  const items = (tasks.data?.items ?? []).filter((t) => status !== 'open' || t.status !== 'done');
  return (
    <H5Page title="本单位任务" back>
      <Card size="small">
        <div className="h5-row-sub" style={{ marginBottom: 8 }}>
          {me.unit.name} · {system ? `${system.year} ${system.name}` : '—'}
        </div>
        <Segmented
          block
          value={status}
          onChange={(v) => setStatus(v as TaskStatus | 'open')}
          options={[
            { value: 'open', label: '未完成' },
            { value: 'in_progress', label: '推进中' },
            { value: 'done', label: '已完成' },
          ]}
        />
      </Card>
      <Card size="small" title={tasks.data ? `共 ${items.length} 项` : '任务'} data-testid="h5-tasks">
        {tasks.isLoading || systems.isLoading ? (
          <Spin />
        ) : items.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有符合条件的任务" />
        ) : (
          items.map((t) => (
            <Link key={t.id} to={`/tasks/${t.id}`} className="h5-row" data-testid="h5-task-row">
              <div className="h5-row-main">
                <div className="h5-row-title">
                  <b>{t.nodeCode}</b> {t.title || t.nodeText}
                </div>
                <div className="h5-row-sub">
                  {t.deadlineText || '无时限'}
                  {t.phase ? ` · ${TaskPhaseLabels[t.phase]}` : ''}
                  {t.myRole === 'lead' ? ' · 牵头' : t.myRole === 'cooperating' ? ' · 配合' : ''}
                </div>
                <div style={{ display: 'flex', alignItems: 'center', gap: 6, marginTop: 4 }}>
                  <StatusTag status={t.status} />
                  <Progress percent={t.percent} size="small" style={{ flex: 1, margin: 0 }} />
                  <TaskFlags t={t} />
                  {t.units.length > 1 && <Tag>{t.units.length} 个单位</Tag>}
                </div>
              </div>
              <RightOutlined style={{ color: '#bbb' }} />
            </Link>
          ))
        )}
      </Card>
    </H5Page>
  );
}
