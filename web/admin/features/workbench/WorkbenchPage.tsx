import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Badge, Card, Col, Descriptions, Empty, List, Row, Statistic, Tooltip, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import type { Me } from '../../../../contracts/auth.ts';
import type { Paged } from '../../../../contracts/common.ts';
import type { EvidenceSystem, Matrix } from '../../../../contracts/evidence.ts';
import type { IndicatorSystem } from '../../../../contracts/indicators.ts';
import type { MetricsReport } from '../../../../contracts/issue-metrics.ts';
import type { Notification, NotificationPage } from '../../../../contracts/notifications.ts';
import { OrgUnitKindLabels, type OrgSummary } from '../../../../contracts/org.ts';
import { get, post, qs } from '../../../shared/api.ts';
import { formatDate, formatDateTime } from '../../../shared/format.ts';
import { can, useMe } from '../../../shared/session.ts';
import { defaultEvidenceSystem } from '../evidence/api.ts';
import { defaultSystem } from '../indicators/api.ts';

type Params = Record<string, string | number | boolean | undefined>;

/**
 * One number on the workbench: what `api` answers (its `total`, or what `pick` reads), shown as a
 * card that opens `to` — the page listing exactly those records with the same filter applied.
 */
type Stat = {
  key: string;
  title: string;
  api: string;
  pick?: (body: unknown) => number;
  to: string;
  /** red (overdue, returned) or orange (waiting) when the number is not zero */
  tone?: 'danger' | 'warning';
  hint?: string;
};

const TONE = { danger: '#cf1322', warning: '#d46b08' } as const;
const totalOf = (body: unknown) => (body as Paged<unknown>).total;

/** Today and this month in Beijing time, whatever the browser's zone. */
function beijingMonth(now = new Date()): { today: string; from: string; to: string; label: string } {
  const bj = new Date(now.getTime() + 8 * 3_600_000);
  const y = bj.getUTCFullYear();
  const m = bj.getUTCMonth();
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const mm = String(m + 1).padStart(2, '0');
  return { today: bj.toISOString().slice(0, 10), from: `${y}-${mm}-01`, to: `${y}-${mm}-${String(last).padStart(2, '0')}`, label: `${y}年${m + 1}月` };
}

function StatCard({ s }: { s: Stat }) {
  const q = useQuery({ queryKey: ['workbench', s.api], queryFn: async () => (s.pick ?? totalOf)(await get<unknown>(s.api)), retry: false });
  const value = q.data;
  const color = s.tone && value ? TONE[s.tone] : undefined;
  const card = (
    <Link to={s.to} data-testid={`wb-${s.key}`} aria-label={`${s.title}${value === undefined ? '' : `：${value}`}`}>
      <Card hoverable size="small" className="cw-wb-card">
        <Statistic
          title={s.title}
          value={q.isError ? '—' : value}
          loading={q.isLoading}
          valueStyle={{ color, fontSize: 26 }}
          suffix={q.isError ? undefined : <span style={{ fontSize: 13, color: '#8c8c8c' }}>件</span>}
        />
        <span data-testid={`wb-${s.key}-value`} hidden>
          {value ?? ''}
        </span>
      </Card>
    </Link>
  );
  return (
    <Col xs={12} sm={12} md={8} xl={6}>
      {q.isError ? <Tooltip title="暂时无法读取，请稍后刷新">{card}</Tooltip> : s.hint ? <Tooltip title={s.hint}>{card}</Tooltip> : card}
    </Col>
  );
}

function Section({ title, extra, stats, children }: { title: string; extra?: ReactNode; stats: Stat[]; children?: ReactNode }) {
  if (stats.length === 0 && !children) return null;
  return (
    <Card title={title} extra={extra} size="small" style={{ marginBottom: 16 }} data-testid={`wb-section-${title}`}>
      {stats.length > 0 && (
        <Row gutter={[12, 12]}>
          {stats.map((s) => (
            <StatCard key={s.key} s={s} />
          ))}
        </Row>
      )}
      {children}
    </Card>
  );
}

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);

/** This month's 结案率 and 按期结案率 from /api/issue-metrics (the same numbers as 统计分析). */
function MonthMetrics() {
  const m = beijingMonth();
  const q = useQuery({ queryKey: ['workbench', 'metrics', m.from], queryFn: () => get<MetricsReport>(`/api/issue-metrics${qs({ from: m.from, to: m.to, groupBy: 'unit' })}`), retry: false });
  const t = q.data?.total;
  const items: { key: string; title: string; value: string | number | undefined; color?: string }[] = [
    { key: 'closedRate', title: '结案率', value: t ? pct(t.closedRate) : undefined },
    { key: 'onTimeRate', title: '按期结案率', value: t ? pct(t.onTimeRate) : undefined },
    { key: 'due', title: '应结案数', value: t?.due },
    { key: 'closed', title: '结案数', value: t?.closed },
  ];
  return (
    <Link to="/issues/metrics?mode=month" data-testid="wb-metrics">
      <Card hoverable size="small" style={{ marginTop: 12 }} title={`${m.label}整改成效${q.data ? `（${q.data.scopeName}）` : ''}`} className="cw-wb-card">
        {q.isError ? (
          <Typography.Text type="secondary">暂时无法读取统计，请稍后刷新</Typography.Text>
        ) : (
          <Row gutter={[12, 12]}>
            {items.map((x) => (
              <Col key={x.key} xs={12} md={6}>
                <Statistic title={x.title} value={x.value ?? ''} loading={q.isLoading} valueStyle={{ fontSize: 22 }} />
                <span data-testid={`wb-metrics-${x.key}`} hidden>
                  {x.value ?? ''}
                </span>
              </Col>
            ))}
          </Row>
        )}
      </Card>
    </Link>
  );
}

/** The latest five notifications; a click marks one read and opens its link, as the bell does. */
function LatestNotifications() {
  const navigate = useNavigate();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['notifications', 'workbench'], queryFn: () => get<NotificationPage>('/api/notifications?pageSize=5'), retry: false });
  const open = async (n: Notification) => {
    if (!n.readAt) await post(`/api/notifications/${n.id}/read`).catch(() => undefined);
    await qc.invalidateQueries({ queryKey: ['notifications'] });
    if (n.link) navigate(n.link);
  };
  const unread = q.data?.unreadCount ?? 0;
  return (
    <Card size="small" title={<span>最新消息{unread ? <Badge count={unread} style={{ marginLeft: 8 }} /> : null}</span>} style={{ marginBottom: 16 }} data-testid="wb-notifications">
      <List<Notification>
        size="small"
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={q.isError ? '暂时无法读取消息' : '暂无消息'} /> }}
        renderItem={(n) => (
          <List.Item style={{ cursor: n.link ? 'pointer' : undefined }} onClick={() => void open(n)} data-testid="wb-notification">
            <List.Item.Meta
              title={
                <span style={{ fontWeight: n.readAt ? 400 : 600 }}>
                  {!n.readAt && <Badge status="processing" style={{ marginRight: 6 }} />}
                  {n.title}
                </span>
              }
              description={
                <span>
                  {n.body} <span style={{ color: '#8c8c8c', marginLeft: 8 }}>{formatDateTime(n.createdAt)}</span>
                </span>
              }
            />
          </List.Item>
        )}
      />
    </Card>
  );
}

/** What the user's permissions call for first (PRODUCT.md §2): an office, a unit, an inspector or grid worker. */
export function workbenchRoles(me: Me) {
  const dispatcher = can(me, 'issues.dispatch');
  const unit = !dispatcher && can(me, 'issues.read') && (can(me, 'tasks.report') || can(me, 'evidence.submit'));
  return {
    dispatcher,
    unit,
    verifier: !dispatcher && can(me, 'issues.verify'),
    issues: can(me, 'issues.read'),
    stats: can(me, 'issues.stats'),
    tasks: can(me, 'indicators.read'),
    reviewer: can(me, 'evidence.review'),
    submitter: !can(me, 'evidence.review') && can(me, 'evidence.submit'),
    org: can(me, 'org.write'),
  };
}

function issueStats(r: ReturnType<typeof workbenchRoles>): Stat[] {
  const api = (p: Params) => `/api/issues${qs({ ...p, pageSize: 1 })}`;
  const out: Stat[] = [];
  if (r.dispatcher) {
    out.push(
      { key: 'reported', title: '待受理', api: api({ state: 'reported' }), to: '/issues/dispatch?tab=reported', tone: 'warning' },
      { key: 'accepted', title: '待派遣', api: api({ state: 'accepted' }), to: '/issues/dispatch?tab=accepted', tone: 'warning' },
      { key: 'extension', title: '延期待批', api: api({ extensionPending: true }), to: '/issues/dispatch?tab=extension', tone: 'warning' },
      { key: 'feedback', title: '已反馈待核查', api: api({ state: 'feedback' }), to: '/issues/dispatch?tab=feedback', tone: 'warning' },
    );
  }
  if (r.unit) {
    out.push(
      { key: 'sign', title: '本单位待签收', api: api({ mine: true, state: 'dispatched' }), to: '/issues/todo?tab=sign', tone: 'warning' },
      { key: 'rectifying', title: '本单位整改中', api: api({ mine: true, state: 'rectifying' }), to: '/issues/todo?tab=rectifying' },
      { key: 'dueSoon', title: '即将超期', api: api({ mine: true, dueSoon: true }), to: '/issues/todo?tab=dueSoon', tone: 'warning', hint: '未办结、期限在 24 小时内' },
      { key: 'mineOverdue', title: '本单位已超期', api: api({ mine: true, overdue: true }), to: '/issues/todo?tab=overdue', tone: 'danger' },
    );
  }
  if (r.verifier) {
    out.push({ key: 'verify', title: '待核查', api: api({ state: 'feedback' }), to: '/issues?state=feedback', tone: 'warning', hint: '单位已反馈整改结果，等待现场核查' });
  }
  if (r.issues && !r.unit) {
    out.push({ key: 'overdue', title: '超期未结', api: api({ overdue: true }), to: '/issues?overdue=true', tone: 'danger', hint: '本辖区内已过处置期限仍未办结的问题' });
  }
  return out;
}

function TaskSection({ unit }: { unit: boolean }) {
  const systems = useQuery({ queryKey: ['indicators', 'systems'], queryFn: () => get<IndicatorSystem[]>('/api/indicator-systems'), retry: false });
  const sys = defaultSystem(systems.data);
  if (!sys) return null;
  const api = (p: Params) => `/api/tasks${qs({ systemId: sys.id, ...p, pageSize: 1 })}`;
  const to = (p: string) => `/indicators/tasks?systemId=${sys.id}&${p}`;
  const who = unit ? '本单位' : '';
  const stats: Stat[] = [
    { key: 'tasksOverdue', title: `${who}超期任务`, api: api({ overdue: true }), to: to('overdue=true'), tone: 'danger', hint: '已过完成时限仍未完成的任务' },
    { key: 'tasksStalled', title: `${who}停滞任务`, api: api({ stalled: true }), to: to('stalled=true'), tone: 'warning', hint: '未完成且 30 天没有报送进度' },
  ];
  return <Section title="测评任务" extra={<Typography.Text type="secondary">{sys.name}</Typography.Text>} stats={stats} />;
}

function EvidenceSection({ reviewer, submitter }: { reviewer: boolean; submitter: boolean }) {
  const systems = useQuery({ queryKey: ['evidence', 'systems'], queryFn: () => get<EvidenceSystem[]>('/api/evidence/systems'), retry: false });
  const sys = defaultEvidenceSystem(systems.data);
  const m = beijingMonth();
  const stats: Stat[] = [];
  if (reviewer) {
    stats.push({ key: 'review', title: '待审核材料', api: '/api/evidence/review-queue?pageSize=1', to: '/evidence/review', tone: 'warning', hint: '本辖区已提交、等待审核的材料' });
    if (sys) {
      stats.push({
        key: 'missing',
        title: '本期缺报材料',
        api: `/api/evidence/matrix${qs({ systemId: sys.id, periodFrom: m.from, periodTo: m.to })}`,
        pick: (b) => (b as Matrix).totals.missing,
        to: `/evidence/matrix${qs({ systemId: sys.id, periodFrom: m.from, periodTo: m.to })}`,
        tone: 'danger',
        hint: `${m.label}涉及的报送期内仍未提交的材料`,
      });
    }
  }
  if (submitter) {
    stats.push(
      { key: 'evDraft', title: '待提交材料', api: '/api/evidence/items?mine=true&state=draft&pageSize=1', to: '/evidence/mine?tab=draft', tone: 'warning' },
      { key: 'evReturned', title: '被退回材料', api: '/api/evidence/items?mine=true&state=returned&pageSize=1', to: '/evidence/mine?tab=returned', tone: 'danger' },
    );
  }
  return <Section title="材料审核" stats={stats} />;
}

function OrgSection() {
  const summary = useQuery({ queryKey: ['org', 'summary'], queryFn: () => get<OrgSummary>('/api/org/summary') });
  const s = summary.data;
  if (!s) return null;
  const units = Object.values(s.unitsByKind).reduce((a, b) => a + b, 0);
  return (
    <Card title="组织概况" size="small" extra={<Link to="/org/units">组织体系</Link>} data-testid="wb-org">
      <Descriptions column={{ xs: 2, md: 4, xl: 2 }} size="small">
        <Descriptions.Item label="单位">{units}</Descriptions.Item>
        <Descriptions.Item label={OrgUnitKindLabels.community}>{s.unitsByKind.community ?? 0}</Descriptions.Item>
        <Descriptions.Item label="网格">{s.grids}</Descriptions.Item>
        <Descriptions.Item label="责任区">{s.zones}</Descriptions.Item>
        <Descriptions.Item label="点位">{s.points}</Descriptions.Item>
        <Descriptions.Item label="重点点位">{s.keyPoints}</Descriptions.Item>
        <Descriptions.Item label="用户">{s.users}</Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

/**
 * 工作台: what each role wants to see first, as counts that open the filtered lists — the office's
 * queue (待受理 … 已反馈待核查), 超期未结 and this month's 结案率; a unit's 待签收 / 整改中 / 即将超期
 * issues, overdue tasks and evidence to file; an inspector's or grid worker's 待核查; the latest
 * messages. Every number comes from the list endpoint the linked page uses (pageSize=1, `total`).
 */
export function WorkbenchPage() {
  const { data: me } = useMe();
  if (!me) return null;
  const r = workbenchRoles(me);
  return (
    <div>
      <h1 className="cw-page-title">工作台</h1>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          {me.user.name}，您好
        </Typography.Title>
        <Descriptions column={{ xs: 1, md: 3 }} size="small">
          <Descriptions.Item label="所属单位">{me.unit.path.join(' / ')}</Descriptions.Item>
          <Descriptions.Item label="角色">{me.roles.map((x) => x.name).join('、')}</Descriptions.Item>
          <Descriptions.Item label="今天">{formatDate(new Date())}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Row gutter={16}>
        <Col xs={24} xl={16}>
          {r.issues && (
            <Section title={r.unit ? '本单位问题' : '问题整改'} extra={<Link to={r.unit ? '/issues/todo' : '/issues'}>{r.unit ? '本单位待办' : '问题列表'}</Link>} stats={issueStats(r)}>
              {r.stats && <MonthMetrics />}
            </Section>
          )}
          {r.tasks && <TaskSection unit={r.unit} />}
          {(r.reviewer || r.submitter) && <EvidenceSection reviewer={r.reviewer} submitter={r.submitter} />}
        </Col>
        <Col xs={24} xl={8}>
          <LatestNotifications />
          {r.org && <OrgSection />}
        </Col>
      </Row>
    </div>
  );
}
