import { Card, Spin, Typography } from 'antd';
import { useParams } from 'react-router';
import { EvaluationMethodLabels } from '../../../../contracts/indicators.ts';
import { useTask } from '../../../admin/features/indicators/api.ts';
import { PercentBar, PhaseTag, ProgressForm, ReportTimeline, StatusTag, TaskFlags } from '../../../admin/features/indicators/kit.tsx';
import { H5Page } from '../../components/H5Page.tsx';

/** One task on the phone: what is asked, the report form (photos from the camera), and the reports so far. */
export function H5TaskPage() {
  const { id } = useParams();
  const { data: t, isLoading } = useTask(id);
  return (
    <H5Page title={t ? `任务 ${t.nodeCode}` : '任务'} back>
      {isLoading || !t ? (
        <Spin />
      ) : (
        <>
          <Card size="small" data-testid="h5-task">
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t.itemCode} {t.itemText}
              {t.contentText ? ` › ${t.contentText}` : ''}
            </Typography.Text>
            <div style={{ fontSize: 15, margin: '4px 0 8px' }}>
              <b>{t.nodeCode}</b> {t.nodeText}
            </div>
            {t.title !== t.nodeText && <div style={{ marginBottom: 8 }}>任务要求：{t.title}</div>}
            <div className="h5-row-sub">
              完成时限：{t.deadlineText || '—'} · 测评方法：{t.methods.map((m) => EvaluationMethodLabels[m]).join('、') || '—'}
            </div>
            {t.materials && <div className="h5-row-sub">材料要求：{t.materials}</div>}
            <div style={{ display: 'flex', alignItems: 'center', gap: 6, marginTop: 8 }}>
              <PhaseTag phase={t.phase} />
              <StatusTag status={t.status} />
              <div style={{ flex: 1 }}>
                <PercentBar percent={t.percent} status={t.status} />
              </div>
              <TaskFlags t={t} />
            </div>
          </Card>
          {t.canReportFor.length > 0 ? (
            <Card size="small" title="报送进度">
              <ProgressForm task={t} images />
            </Card>
          ) : (
            <Card size="small">本单位不是该任务的责任单位，不能报送进度。</Card>
          )}
          <Card size="small" title="报送记录">
            <ReportTimeline task={t} />
          </Card>
        </>
      )}
    </H5Page>
  );
}
