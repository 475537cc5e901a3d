import { ArrowLeftOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Descriptions, Grid, Row, Space, Spin, Tag, Timeline } from 'antd';
import { Link, useNavigate, useParams } from 'react-router';
import { IssueActionLabels, type IssueDetail, type IssueEvent, IssueSeverityLabels, IssueSourceLabels, IssueStateLabels } from '../../../../contracts/issues.ts';
import { ApiError, get } from '../../../shared/api.ts';
import { MapView } from '../../../shared/components/MapView.tsx';
import { formatDate, formatDateTime } from '../../../shared/format.ts';
import { ActionButtons } from './IssueActions.tsx';
import { DeadlineCell, type IssueFile, PhotoStrip, STATE_COLORS, StateTag } from './kit.tsx';
import './issues.css';

const photosOf = (e: IssueEvent | undefined): string[] => (Array.isArray(e?.data.photos) ? (e.data.photos as string[]) : []);

/** 问题详情: header, actions from allowedActions, before/after photos side by side, the timeline. */
export function IssueDetailPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const wide = !!Grid.useBreakpoint().lg;
  const q = useQuery({ queryKey: ['issues', 'detail', id], queryFn: () => get<IssueDetail>(`/api/issues/${id}`) });
  const issue = q.data;

  if (q.isLoading) return <Spin style={{ display: 'block', margin: 48 }} />;
  if (q.error || !issue) {
    return (
      <Alert
        type="error"
        showIcon
        title={q.error instanceof ApiError && q.error.status === 404 ? '问题不存在，或不在您的查看范围内' : '加载失败'}
        action={<Button onClick={() => navigate('/issues')}>返回问题列表</Button>}
      />
    );
  }

  const files = new Map<string, IssueFile>(issue.files.map((f) => [f.id, f]));
  const pick = (ids: string[]) => ids.map((x) => files.get(x)).filter((f): f is IssueFile => !!f);
  const reportEvent = issue.events.find((e) => e.action === 'report');
  const lastFeedback = [...issue.events].reverse().find((e) => e.action === 'feedback');
  const before = pick(photosOf(reportEvent));
  const after = pick(photosOf(lastFeedback));
  const mergedInto = issue.mergedIntoId;

  const header = (
    <Card size="small" style={{ marginBottom: 12 }}>
      <div style={{ display: 'flex', justifyContent: 'space-between', gap: 12, flexWrap: 'wrap' }}>
        <div>
          <Space wrap align="center">
            <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)} aria-label="返回" />
            <h1 className="cw-page-title" style={{ margin: 0 }} data-testid="issue-title">
              {issue.title}
            </h1>
            <StateTag state={issue.state} extensionPending={issue.extensionPending} />
            {issue.severity !== 'normal' && <Tag color="volcano">{IssueSeverityLabels[issue.severity]}</Tag>}
          </Space>
          <div style={{ color: '#888', marginTop: 4, marginInlineStart: 40 }} data-testid="issue-number">
            {issue.number}
          </div>
        </div>
        <div data-testid="issue-actions">
          <ActionButtons issue={issue} actions={issue.allowedActions.filter((a): a is Exclude<typeof a, 'report'> => a !== 'report')} onDone={() => void q.refetch()} />
        </div>
      </div>
      {mergedInto && (
        <Alert style={{ marginTop: 8 }} type="info" showIcon title={<span>本问题已合并，请在<Link to={`/issues/${mergedInto}`}>合并到的问题</Link>中跟进。</span>} />
      )}
      <Descriptions size="small" column={wide ? 4 : 1} style={{ marginTop: 12 }}>
        <Descriptions.Item label="责任单位">{issue.responsibleUnitName ?? '未定'}</Descriptions.Item>
        <Descriptions.Item label="处置期限">
          <DeadlineCell issue={issue} />
        </Descriptions.Item>
        <Descriptions.Item label="分类">{issue.categoryName}</Descriptions.Item>
        <Descriptions.Item label="来源">{IssueSourceLabels[issue.source]}</Descriptions.Item>
        <Descriptions.Item label="点位">{issue.pointName ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="所在区域">{issue.areaUnitName}</Descriptions.Item>
        <Descriptions.Item label="地址">{issue.address ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="上报人">
          {issue.reporterName ?? '市民'}
          {issue.reporterPhoneMasked && <span style={{ color: '#888', marginInlineStart: 6 }}>{issue.reporterPhoneMasked}</span>}
        </Descriptions.Item>
        <Descriptions.Item label="上报时间">{formatDateTime(issue.createdAt)}</Descriptions.Item>
        <Descriptions.Item label="返工 / 回潮">
          {issue.reworkCount} 次 / {issue.relapseCount} 次
        </Descriptions.Item>
        {issue.closedAt && <Descriptions.Item label="结案时间">{formatDateTime(issue.closedAt)}</Descriptions.Item>}
      </Descriptions>
      {issue.description && <div style={{ marginTop: 4, whiteSpace: 'pre-wrap' }}>{issue.description}</div>}
    </Card>
  );

  const photos = (
    <Card size="small" title="整改前后对比" style={{ marginBottom: 12 }}>
      <div className="cw-before-after" data-testid="issue-before-after">
        <div>
          <div className="cw-before-after-label">整改前（上报照片）</div>
          <PhotoStrip files={before} size={wide ? 150 : 120} empty="上报时未附照片" testId="issue-photos-before" />
        </div>
        <div>
          <div className="cw-before-after-label">
            整改后{lastFeedback ? `（${formatDate(lastFeedback.at)} 反馈）` : ''}
          </div>
          <PhotoStrip files={after} size={wide ? 150 : 120} empty="尚未反馈整改结果" testId="issue-photos-after" />
        </div>
      </div>
    </Card>
  );

  const timeline = (
    <Card size="small" title={`流转记录（${issue.events.length}）`}>
      <Timeline
        data-testid="issue-timeline"
        items={issue.events.map((e) => {
          const target = e.action === 'dispatch' ? e.unitName : null;
          const deadline = typeof e.data.deadline === 'string' && e.action !== 'report' ? e.data.deadline : null;
          const evPhotos = pick(photosOf(e));
          return {
            key: e.id,
            color: STATE_COLORS[e.toState],
            content: (
              <div className="cw-timeline-item" data-testid="issue-event">
                <div>
                  <strong>{IssueActionLabels[e.action]}</strong>
                  {e.fromState !== e.toState && <span style={{ color: '#888' }}> → {IssueStateLabels[e.toState]}</span>}
                  {target && <span> 至 {target}</span>}
                </div>
                <div style={{ color: '#888', fontSize: 12 }}>
                  {formatDateTime(e.at)} · {e.actorName ?? '系统'}
                  {e.actorUnitName ? `（${e.actorUnitName}）` : ''}
                </div>
                {deadline && <div style={{ fontSize: 12 }}>期限：{formatDate(deadline)}</div>}
                {e.note && <div style={{ whiteSpace: 'pre-wrap' }}>{e.note}</div>}
                {evPhotos.length > 0 && (
                  <div style={{ marginTop: 4 }}>
                    <PhotoStrip files={evPhotos} size={56} />
                  </div>
                )}
              </div>
            ),
          };
        })}
      />
    </Card>
  );

  const merged =
    issue.mergedReports.length > 0 ? (
      <Card size="small" title={`合并的重复上报（${issue.mergedReports.length}）`} style={{ marginBottom: 12 }} data-testid="issue-merged-reports">
        {issue.mergedReports.map((m) => (
          <div key={m.id} style={{ padding: '4px 0' }}>
            <Link to={`/issues/${m.id}`}>{m.number}</Link> {m.title}
            <span style={{ color: '#888', marginInlineStart: 8, fontSize: 12 }}>
              {IssueSourceLabels[m.source]} · {formatDateTime(m.createdAt)}
            </span>
          </div>
        ))}
      </Card>
    ) : null;

  const located = issue.lng !== null && issue.lat !== null;
  const map = located ? (
    <Card size="small" title="位置" style={{ marginBottom: 12 }}>
      <MapView height={240} markers={[{ id: issue.id, lng: issue.lng!, lat: issue.lat!, name: issue.title, address: issue.address ?? undefined }]} />
    </Card>
  ) : null;

  return (
    <div>
      {header}
      <Row gutter={12}>
        <Col xs={24} lg={14}>
          {photos}
          {merged}
          {map}
        </Col>
        <Col xs={24} lg={10}>
          {timeline}
        </Col>
      </Row>
    </div>
  );
}
