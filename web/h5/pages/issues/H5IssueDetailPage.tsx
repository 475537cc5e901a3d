import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Image, Spin, Tag, Timeline } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { IssueActionLabels, type IssueDetail, type IssueEvent, IssueSeverityLabels, IssueSourceLabels, IssueStateLabels } from '../../../../contracts/issues.ts';
import { get } from '../../../shared/api.ts';
import { MapView } from '../../../shared/components/MapView.tsx';
import { formatDate, formatDateTime } from '../../../shared/format.ts';
import { H5Page } from '../../components/H5Page.tsx';
import { ActionSheet, type Performable } from './ActionSheet.tsx';
import { Countdown, ErrorBox, StateTag } from './issueKit.tsx';

type FileRef = IssueDetail['files'][number];

/** Buttons that move the case forward are primary; those that send it back are red. */
const BACKWARD: Performable[] = ['return', 'verifyFail', 'reject', 'denyExtension', 'reopen'];
const FORWARD: Performable[] = ['sign', 'feedback', 'verifyPass', 'accept', 'dispatch', 'close', 'approveExtension'];

const photosOf = (e: IssueEvent): string[] => (Array.isArray(e.data.photos) ? (e.data.photos as string[]) : []);

function Thumbs({ ids, files, testId }: { ids: string[]; files: Map<string, FileRef>; testId?: string }) {
  const shown = ids.map((id) => files.get(id)).filter((f): f is FileRef => !!f);
  if (!shown.length) return null;
  return (
    <div className="h5-issue-thumbs" data-testid={testId}>
      <Image.PreviewGroup>
        {shown.map((f) => (
          <Image key={f.id} src={f.thumbnailUrl ?? f.contentUrl} preview={{ src: f.contentUrl }} alt={f.originalName} width={64} height={64} />
        ))}
      </Image.PreviewGroup>
    </div>
  );
}

/** What an event adds beyond its label: deadlines asked or set. */
function eventExtra(e: IssueEvent, i: IssueDetail): string | null {
  const d = typeof e.data.deadline === 'string' ? formatDate(e.data.deadline) : null;
  const parts: string[] = [];
  // the unit's name is known for the current responsible unit; an earlier one shows in the note
  if (e.action === 'dispatch' && e.data.unitId === i.responsibleUnitId && i.responsibleUnitName) parts.push(`派至 ${i.responsibleUnitName}`);
  if (d && e.action === 'requestExtension') parts.push(`申请延期至 ${d}`);
  else if (d && (e.action === 'approveExtension' || e.action === 'dispatch' || e.action === 'reopen')) parts.push(`整改期限 ${d}`);
  return parts.length ? parts.join('，') : null;
}

/** 问题详情 on the phone: state, countdown, before/after photos, the timeline, and the actions this user may take. */
export function H5IssueDetailPage() {
  const { id } = useParams();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [action, setAction] = useState<Performable | null>(null);
  const q = useQuery({ queryKey: ['issue', id], queryFn: () => get<IssueDetail>(`/api/issues/${id}`) });
  const i = q.data;
  const reload = () => {
    setAction(null);
    void q.refetch();
  };
  if (!i) {
    return (
      <H5Page title="问题详情" back>
        {q.error ? <ErrorBox error={q.error} /> : <Spin />}
      </H5Page>
    );
  }
  const files = new Map(i.files.map((f) => [f.id, f]));
  const before = i.events.filter((e) => e.action === 'report').flatMap(photosOf);
  const lastFeedback = [...i.events].reverse().find((e) => e.action === 'feedback');
  const after = lastFeedback ? photosOf(lastFeedback) : [];
  const actions = i.allowedActions.filter((a): a is Performable => a !== 'report');
  return (
    <H5Page title="问题详情" back>
      <Card size="small" data-testid="issue-detail">
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 8 }}>
          <StateTag state={i.state} />
          <Countdown deadline={i.deadline} state={i.state} />
        </div>
        <h2 style={{ fontSize: 18, margin: '8px 0 4px' }} data-testid="issue-title">
          {i.title}
        </h2>
        <div style={{ color: '#8c8c8c', fontSize: 12 }} data-testid="issue-number">
          {i.number} · {IssueSourceLabels[i.source]} · {formatDateTime(i.createdAt)}
        </div>
        <div style={{ marginTop: 6, display: 'flex', gap: 6, flexWrap: 'wrap' }}>
          {i.severity !== 'normal' && <Tag color={i.severity === 'urgent' ? 'red' : 'orange'}>{IssueSeverityLabels[i.severity]}</Tag>}
          {i.isOverdue && <Tag color="red">超期</Tag>}
          {i.extensionPending && <Tag color="gold">延期待批</Tag>}
          {i.reworkCount > 0 && <Tag color="volcano">返工 {i.reworkCount} 次</Tag>}
          {i.relapseCount > 0 && <Tag color="magenta">回潮 {i.relapseCount} 次</Tag>}
        </div>
        {i.state === 'merged' && i.mergedIntoId && (
          <div style={{ marginTop: 8 }}>
            已合并到另一问题，<Link to={`/issues/${i.mergedIntoId}`}>查看合并后的问题</Link>
          </div>
        )}
      </Card>

      {actions.length > 0 && (
        <Card size="small" title="办理" data-testid="issue-actions">
          <div className="h5-actions">
            {actions.map((a) => (
              <Button
                key={a}
                size="large"
                type={FORWARD.includes(a) ? 'primary' : 'default'}
                danger={BACKWARD.includes(a)}
                onClick={() => setAction(a)}
                data-testid={`action-${a}`}
              >
                {IssueActionLabels[a]}
              </Button>
            ))}
          </div>
        </Card>
      )}

      <Card size="small" title="问题信息">
        <Descriptions column={1} size="small">
          <Descriptions.Item label="分类">{i.categoryName}</Descriptions.Item>
          <Descriptions.Item label="位置">{[i.areaUnitName, i.address].filter(Boolean).join(' · ')}</Descriptions.Item>
          {i.lng !== null && i.lat !== null && (
            <Descriptions.Item label="坐标">
              {i.lng.toFixed(6)}, {i.lat.toFixed(6)}
            </Descriptions.Item>
          )}
          <Descriptions.Item label="责任单位">
            <span data-testid="issue-unit">{i.responsibleUnitName ?? '待派遣'}</span>
          </Descriptions.Item>
          <Descriptions.Item label="整改期限">{i.deadline ? formatDateTime(i.deadline) : '—'}</Descriptions.Item>
          <Descriptions.Item label="上报人">{i.reporterName ?? '—'}</Descriptions.Item>
          {i.description && <Descriptions.Item label="描述">{i.description}</Descriptions.Item>}
        </Descriptions>
      </Card>

      {i.lng !== null && i.lat !== null && (
        <Card size="small" styles={{ body: { padding: 0 } }}>
          <MapView height={180} picked={{ lng: i.lng, lat: i.lat }} data-testid="issue-map" />
        </Card>
      )}

      {(before.length > 0 || after.length > 0) && (
        <Card size="small" title="整改前后对比">
          <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 8 }}>
            <div>
              <div className="h5-field-label">整改前</div>
              {before.length ? <Thumbs ids={before} files={files} testId="photos-before" /> : <span style={{ color: '#bbb' }}>无</span>}
            </div>
            <div>
              <div className="h5-field-label">整改后</div>
              {after.length ? <Thumbs ids={after} files={files} testId="photos-after" /> : <span style={{ color: '#bbb' }}>尚未反馈</span>}
            </div>
          </div>
        </Card>
      )}

      <Card size="small" title="办理过程">
        <Timeline
          data-testid="issue-timeline"
          items={[...i.events].reverse().map((e) => ({
            color: BACKWARD.includes(e.action as Performable) ? 'red' : e.action === 'close' ? 'green' : 'blue',
            content: (
              <div data-testid="timeline-event" data-action={e.action}>
                <div>
                  <strong>{IssueActionLabels[e.action]}</strong>
                  {e.fromState !== e.toState && <span style={{ color: '#8c8c8c' }}> → {IssueStateLabels[e.toState]}</span>}
                </div>
                <div style={{ fontSize: 12, color: '#8c8c8c' }}>
                  {e.actorName ?? '系统'} · {formatDateTime(e.at)}
                </div>
                {eventExtra(e, i) && <div style={{ fontSize: 13 }}>{eventExtra(e, i)}</div>}
                {e.note && <div style={{ fontSize: 13, whiteSpace: 'pre-wrap' }}>{e.note}</div>}
                <Thumbs ids={photosOf(e)} files={files} />
              </div>
            ),
          }))}
        />
      </Card>

      <ActionSheet
        issue={i}
        action={action}
        onClose={reload}
        onDone={(next) => {
          message.success(`${IssueActionLabels[action!]}成功`);
          qc.setQueryData(['issue', id], next);
          void qc.invalidateQueries({ queryKey: ['issues'] });
          setAction(null);
        }}
      />
    </H5Page>
  );
}
