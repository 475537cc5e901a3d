import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Descriptions, Form, Image, Input, InputNumber, Modal, Radio, Select, Space, Table, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { Paged } from '../../../../contracts/common.ts';
import {
  type DrawPreview,
  type InspectionDetail,
  InspectionModeLabels,
  type InspectionRow,
  JudgeTypeLabels,
  type Occurrence,
  OccurrenceStateLabels,
  OutcomeLabels,
  type Plan,
  ScheduleKindLabels,
  ScoreGroupByLabels,
  type ScoreTable,
  type Team,
  type TemplateDetail,
  type TemplateSummary,
} from '../../../../contracts/inspections.ts';
import { IssueStateLabels } from '../../../../contracts/issues.ts';
import { formatPermille, formatPoints } from '../../../../domain/inspection-scoring.ts';
import { ApiError, get, post, qs } from '../../../shared/api.ts';
import { chinaToday, formatDate, formatDateTime } from '../../../shared/format.ts';
import { can, useMe } from '../../../shared/session.ts';

const errText = (e: unknown) => (e instanceof ApiError ? e.message : '操作失败');
const STATE_COLOR: Record<string, string> = { pending: 'default', in_progress: 'processing', submitted: 'blue', approved: 'green', returned: 'orange', missed: 'red' };
const rate = (r: { earnedUnits: number; possibleUnits: number; ratePermille: number | null }) => (
  <span title={`${formatPoints(r.earnedUnits)} / ${formatPoints(r.possibleUnits)}`}>
    {formatPermille(r.ratePermille)} <span style={{ color: '#999', fontSize: 12 }}>（{formatPoints(r.earnedUnits)}/{formatPoints(r.possibleUnits)}）</span>
  </span>
);

function usePointTypes() {
  return useQuery({ queryKey: ['point-types'], queryFn: () => get<{ id: string; name: string }[]>('/api/org/point-types') });
}
function useDistricts() {
  return useQuery({
    queryKey: ['units', 'districts'],
    queryFn: async () => {
      const r = await get<{ items: { id: string; name: string; kind: string }[] } | { id: string; name: string; kind: string }[]>('/api/org/units?kind=district&pageSize=100');
      return (Array.isArray(r) ? r : r.items).filter((u) => u.kind === 'district');
    },
  });
}

// ---- 检查结果 ----

/** 检查结果: every inspection the user may see, with filters; each row opens the inspection page. */
export function ResultsPage() {
  const [f, setF] = useState<{ mode?: string; pointTypeId?: string; failedOnly?: boolean; page: number }>({ page: 1 });
  const types = usePointTypes();
  const list = useQuery({ queryKey: ['inspections', 'results', f], queryFn: () => get<Paged<InspectionRow>>(`/api/inspections/results${qs({ ...f, failedOnly: f.failedOnly ? 'true' : undefined, pageSize: 20 })}`) });
  return (
    <div>
      <h1 className="cw-page-title">检查结果</h1>
      <Card size="small">
        <Space wrap style={{ marginBottom: 12 }}>
          <Select allowClear placeholder="督查方式" style={{ width: 150 }} options={Object.entries(InspectionModeLabels).map(([value, label]) => ({ value, label }))} onChange={(mode) => setF({ ...f, mode, page: 1 })} />
          <Select allowClear placeholder="点位类型" style={{ width: 150 }} options={(types.data ?? []).map((t) => ({ value: t.id, label: t.name }))} onChange={(pointTypeId) => setF({ ...f, pointTypeId, page: 1 })} />
          <Radio.Group value={!!f.failedOnly} onChange={(e) => setF({ ...f, failedOnly: e.target.value, page: 1 })} optionType="button" options={[{ value: false, label: '全部' }, { value: true, label: '有不达标项' }]} />
        </Space>
        <Table<InspectionRow>
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={list.data?.items}
          scroll={{ x: 1000 }}
          data-testid="results-table"
          pagination={{ current: f.page, total: list.data?.total, pageSize: 20, onChange: (page) => setF({ ...f, page }), showTotal: (n) => `共 ${n} 次检查` }}
          columns={[
            { title: '检查时间', dataIndex: 'inspectedAt', width: 150, render: (v: string, r) => <Link to={`/inspections/results/${r.id}`}>{formatDateTime(v)}</Link> },
            { title: '点位', dataIndex: 'pointName', width: 180 },
            { title: '类型', dataIndex: 'pointTypeName', width: 110 },
            { title: '区县', dataIndex: 'districtName', width: 90 },
            { title: '方式', dataIndex: 'mode', width: 110, render: (m: keyof typeof InspectionModeLabels) => InspectionModeLabels[m] },
            { title: '检查人', dataIndex: 'inspectorName', width: 90 },
            { title: '得分率（得分/应得分）', key: 'rate', width: 200, render: (_, r) => rate(r.score) },
            { title: '不达标', dataIndex: 'failedCount', width: 80, render: (n: number, r) => `${n}/${r.observedCount}` },
            { title: '状态', dataIndex: 'occurrenceState', width: 90, render: (s: keyof typeof OccurrenceStateLabels, r) => <>{<Tag color={STATE_COLOR[s]}>{OccurrenceStateLabels[s]}</Tag>}{r.farFromPoint && <Tag color="warning">偏离点位</Tag>}</> },
          ]}
        />
      </Card>
    </div>
  );
}

/** One inspection: the point, GPS, score, items with photos and the issues they raised, the event log; the leader reviews. */
export function InspectionPage() {
  const { id } = useParams();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const d = useQuery({ queryKey: ['inspections', 'result', id], queryFn: () => get<InspectionDetail>(`/api/inspections/results/${id}`), enabled: !!id });
  const [returning, setReturning] = useState(false);
  const [note, setNote] = useState('');
  if (!d.data) return <Card loading={d.isLoading}>{d.error ? errText(d.error) : null}</Card>;
  const x = d.data;
  const act = async (action: 'approve' | 'return', body: object) => {
    try {
      await post(`/api/inspections/results/${x.id}/${action}`, body);
      message.success(action === 'approve' ? '已审核通过' : '已退回');
      setReturning(false);
      await qc.invalidateQueries({ queryKey: ['inspections'] });
    } catch (e) {
      message.error(errText(e));
    }
  };
  return (
    <div>
      <div style={{ display: 'flex', justifyContent: 'space-between', flexWrap: 'wrap', gap: 8 }}>
        <h1 className="cw-page-title">
          {x.point.name} <Tag color={STATE_COLOR[x.occurrenceState]}>{OccurrenceStateLabels[x.occurrenceState]}</Tag>
        </h1>
        {x.canReview && (
          <Space>
            <Button type="primary" onClick={() => act('approve', {})} data-testid="approve">
              审核通过
            </Button>
            <Button onClick={() => setReturning(true)}>退回</Button>
          </Space>
        )}
      </div>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }}>
          <Descriptions.Item label="计划">{x.planName}（{InspectionModeLabels[x.mode]}）</Descriptions.Item>
          <Descriptions.Item label="测评细则">
            {x.templateName} 第 {x.templateNumber} 版
          </Descriptions.Item>
          <Descriptions.Item label="检查人">{x.inspector.name}</Descriptions.Item>
          <Descriptions.Item label="检查时间">{formatDateTime(x.inspectedAt)}</Descriptions.Item>
          <Descriptions.Item label="位置">
            {x.lng != null ? `${x.lng.toFixed(6)}, ${x.lat?.toFixed(6)}` : '未定位'}
            {x.distanceM != null && `（距点位 ${x.distanceM} 米）`} {x.farFromPoint && <Tag color="warning">偏离点位</Tag>}
          </Descriptions.Item>
          <Descriptions.Item label="得分">
            <b data-testid="inspection-score">{x.score.score}</b> / {x.score.possible} 分，得分率 {formatPermille(x.score.ratePermille)}
          </Descriptions.Item>
          <Descriptions.Item label="条目">
            观察 {x.observedCount} 项，不达标 {x.failedCount} 项，不适用 {x.naCount} 项
          </Descriptions.Item>
          {x.outcome !== 'done' && <Descriptions.Item label="结果">{x.outcome === 'unable' ? '无法检查' : '拒绝检查'}：{x.reason}</Descriptions.Item>}
        </Descriptions>
      </Card>
      <Card size="small" title="检查条目" style={{ marginBottom: 12 }}>
        <Table
          rowKey="itemKey"
          size="small"
          pagination={false}
          dataSource={x.observations}
          scroll={{ x: 900 }}
          data-testid="observations"
          columns={[
            { title: '编号', dataIndex: 'itemKey', width: 60 },
            { title: '检查标准', dataIndex: 'text' },
            { title: '结果', dataIndex: 'outcome', width: 90, render: (o: keyof typeof OutcomeLabels, r) => <Tag color={o === 'fail' ? 'red' : o === 'pass' ? 'green' : 'default'}>{OutcomeLabels[o]}{r.grade ? ` ${r.grade}` : ''}</Tag> },
            { title: '记录', dataIndex: 'value', width: 150, render: (v: Record<string, unknown>, r) => <span style={{ fontSize: 12 }}>{Object.entries(v).map(([k, val]) => `${k}=${String(val)}`).join(' ')}{r.note ? `；${r.note}` : ''}</span> },
            { title: '得分', key: 's', width: 90, render: (_, r) => `${formatPoints(r.earnedUnits)}/${formatPoints(r.possibleUnits)}` },
            { title: '照片', key: 'p', width: 120, render: (_, r) => <Image.PreviewGroup>{r.photos.map((p) => <Image key={p.id} width={40} src={p.thumbnailUrl ?? p.contentUrl} />)}</Image.PreviewGroup> },
            { title: '问题', key: 'i', width: 170, render: (_, r) => (r.issue ? <Link to={`/issues/${r.issue.id}`}>{r.issue.number} <Tag>{IssueStateLabels[r.issue.state as keyof typeof IssueStateLabels] ?? r.issue.state}</Tag></Link> : null) },
          ]}
        />
      </Card>
      <Card size="small" title="过程记录">
        {x.events.map((e) => (
          <div key={e.id} style={{ padding: '4px 0' }}>
            {formatDateTime(e.at)} {e.actorName ?? '系统'}：{e.action === 'submit' ? '提交' : e.action === 'start' ? '开始检查' : e.action === 'approve' ? '审核通过' : e.action === 'return' ? '退回' : e.action === 'amend' ? '更正' : e.action === 'publish' ? '公布' : e.action} {e.note ? `（${e.note}）` : ''}
          </div>
        ))}
      </Card>
      <Modal title="退回检查结果" open={returning} onCancel={() => setReturning(false)} onOk={() => act('return', { note })} okButtonProps={{ disabled: !note.trim() }}>
        <Input.TextArea rows={3} placeholder="退回原因" value={note} onChange={(e) => setNote(e.target.value)} />
      </Modal>
    </div>
  );
}

// ---- 得分 ----

/** 得分表: by district, street, type, unit, point or mode, per week/month/quarter; each figure with its numerator and denominator. */
export function ScoresPage() {
  const today = chinaToday();
  const [q, setQ] = useState({ groupBy: 'district', period: 'month', from: dayjs(today).subtract(3, 'month').format('YYYY-MM-DD'), to: today, mode: undefined as string | undefined });
  const t = useQuery({ queryKey: ['inspections', 'scores', q], queryFn: () => get<ScoreTable>(`/api/inspections/scores${qs(q)}`) });
  return (
    <div>
      <h1 className="cw-page-title">督查得分</h1>
      <Card size="small">
        <Space wrap style={{ marginBottom: 12 }}>
          <Select value={q.groupBy} style={{ width: 120 }} onChange={(groupBy) => setQ({ ...q, groupBy })} options={Object.entries(ScoreGroupByLabels).map(([value, label]) => ({ value, label }))} data-testid="score-groupby" />
          <Radio.Group value={q.period} optionType="button" onChange={(e) => setQ({ ...q, period: e.target.value })} options={[{ value: 'week', label: '周' }, { value: 'month', label: '月' }, { value: 'quarter', label: '季度' }, { value: 'all', label: '全期' }]} />
          <Select allowClear placeholder="督查方式" style={{ width: 150 }} value={q.mode} onChange={(mode) => setQ({ ...q, mode })} options={Object.entries(InspectionModeLabels).map(([value, label]) => ({ value, label }))} />
          <DatePicker.RangePicker value={[dayjs(q.from), dayjs(q.to)]} onChange={(v) => v?.[0] && v[1] && setQ({ ...q, from: (v[0] as Dayjs).format('YYYY-MM-DD'), to: (v[1] as Dayjs).format('YYYY-MM-DD') })} />
        </Space>
        {t.data && (
          <Alert
            style={{ marginBottom: 12 }}
            type="info"
            message={`合计：${t.data.total.inspections} 次检查，观察 ${t.data.total.observed} 项，不达标 ${t.data.total.failed} 项，得分 ${t.data.total.score} / ${t.data.total.possible}，得分率 ${formatPermille(t.data.total.ratePermille)}`}
          />
        )}
        <Table
          rowKey={(r) => `${r.key}|${r.period}`}
          size="small"
          loading={t.isLoading}
          dataSource={t.data?.rows}
          pagination={{ pageSize: 50 }}
          data-testid="score-table"
          columns={[
            { title: '期间', dataIndex: 'period', width: 100 },
            { title: ScoreGroupByLabels[q.groupBy as keyof typeof ScoreGroupByLabels], dataIndex: 'name' },
            { title: '检查次数', dataIndex: 'inspections', width: 90 },
            { title: '观察项', dataIndex: 'observed', width: 80 },
            { title: '不达标', dataIndex: 'failed', width: 80 },
            { title: '得分', dataIndex: 'score', width: 90 },
            { title: '应得分', dataIndex: 'possible', width: 90 },
            { title: '得分率', key: 'r', width: 90, render: (_, r) => formatPermille(r.ratePermille) },
          ]}
        />
      </Card>
    </div>
  );
}

// ---- 计划 ----

/** 督查计划: list with progress; a new plan with explicit points or a stratified random draw (preview shows the drawn points and the seed). */
export function PlansPage() {
  const { data: me } = useMe();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const plans = useQuery({ queryKey: ['inspections', 'plans'], queryFn: () => get<Plan[]>('/api/inspections/plans') });
  const teams = useQuery({ queryKey: ['inspections', 'teams'], queryFn: () => get<Team[]>('/api/inspections/teams') });
  const types = usePointTypes();
  const districts = useDistricts();
  const [open, setOpen] = useState(false);
  const [preview, setPreview] = useState<DrawPreview | null>(null);
  const [form] = Form.useForm();
  const draw = () => {
    const v = form.getFieldsValue();
    return { strata: (v.strata ?? []).filter((s: { typeId?: string; districtId?: string }) => s?.typeId && s?.districtId), excludeDays: v.excludeDays ?? null, seed: preview?.seed };
  };
  const doPreview = async () => {
    try {
      setPreview(await post<DrawPreview>('/api/inspections/draw-preview', { ...draw(), seed: undefined }));
    } catch (e) {
      message.error(errText(e));
    }
  };
  const save = async () => {
    const v = await form.validateFields();
    try {
      await post('/api/inspections/plans', {
        name: v.name,
        mode: v.mode,
        teamId: v.teamId,
        periodStart: v.period[0].format('YYYY-MM-DD'),
        periodEnd: v.period[1].format('YYYY-MM-DD'),
        scheduleKind: v.scheduleKind,
        allowLate: v.allowLate ?? false,
        issuesOn: v.issuesOn ?? 'submit',
        draw: draw(),
      });
      message.success('已创建督查计划');
      setOpen(false);
      setPreview(null);
      await qc.invalidateQueries({ queryKey: ['inspections', 'plans'] });
    } catch (e) {
      message.error(errText(e));
    }
  };
  const publish = async (p: Plan) => {
    try {
      await post(`/api/inspections/plans/${p.id}/publish`, { version: p.version });
      message.success('已公布暗访结果');
      await qc.invalidateQueries({ queryKey: ['inspections'] });
    } catch (e) {
      message.error(errText(e));
    }
  };
  const canManage = can(me, 'inspections.manage');
  return (
    <div>
      <div style={{ display: 'flex', justifyContent: 'space-between' }}>
        <h1 className="cw-page-title">督查计划</h1>
        {canManage && (
          <Button type="primary" onClick={() => setOpen(true)} data-testid="plan-create">
            新建计划（随机抽取点位）
          </Button>
        )}
      </div>
      <Card size="small">
        <Table<Plan>
          rowKey="id"
          size="small"
          loading={plans.isLoading}
          dataSource={plans.data}
          scroll={{ x: 1000 }}
          data-testid="plans-table"
          columns={[
            { title: '名称', dataIndex: 'name', width: 200 },
            { title: '方式', dataIndex: 'mode', width: 110, render: (m: keyof typeof InspectionModeLabels, r) => <>{InspectionModeLabels[m]}{m === 'covert' && <Tag color={r.publishedAt ? 'green' : 'orange'}>{r.publishedAt ? '已公布' : '未公布'}</Tag>}</> },
            { title: '督查组', dataIndex: 'teamName', width: 150 },
            { title: '周期', key: 'p', width: 220, render: (_, r) => `${formatDate(r.periodStart)}—${formatDate(r.periodEnd)} ${ScheduleKindLabels[r.scheduleKind]}` },
            { title: '点位', key: 'pts', width: 110, render: (_, r) => `${r.pointCount}${r.selection === 'draw' ? `（抽取，种子 ${r.draw?.seed}）` : ''}` },
            { title: '任务', key: 'o', width: 220, render: (_, r) => Object.entries(r.counts).map(([s, n]) => <Tag key={s} color={STATE_COLOR[s]}>{OccurrenceStateLabels[s as keyof typeof OccurrenceStateLabels]} {n}</Tag>) },
            { title: '', key: 'a', width: 90, render: (_, r) => (canManage && r.mode === 'covert' && !r.publishedAt ? <Button size="small" onClick={() => publish(r)}>公布结果</Button> : null) },
          ]}
        />
      </Card>
      <Modal title="新建督查计划" open={open} width={760} onCancel={() => setOpen(false)} onOk={save} okText="创建" destroyOnHidden>
        <Form form={form} layout="vertical" initialValues={{ mode: 'covert', scheduleKind: 'once', strata: [{ count: 1 }], period: [dayjs(chinaToday()), dayjs(chinaToday()).add(6, 'day')] }}>
          <Space wrap>
            <Form.Item name="name" label="计划名称" rules={[{ required: true, message: '请填写名称' }]}>
              <Input style={{ width: 220 }} data-testid="plan-name" />
            </Form.Item>
            <Form.Item name="mode" label="督查方式">
              <Select style={{ width: 150 }} options={Object.entries(InspectionModeLabels).map(([value, label]) => ({ value, label }))} />
            </Form.Item>
            <Form.Item name="teamId" label="督查组" rules={[{ required: true, message: '请选择督查组' }]}>
              <Select style={{ width: 180 }} options={(teams.data ?? []).map((t) => ({ value: t.id, label: t.name }))} data-testid="plan-team" />
            </Form.Item>
            <Form.Item name="period" label="周期">
              <DatePicker.RangePicker />
            </Form.Item>
            <Form.Item name="scheduleKind" label="频次">
              <Select style={{ width: 100 }} options={Object.entries(ScheduleKindLabels).map(([value, label]) => ({ value, label }))} />
            </Form.Item>
            <Form.Item name="excludeDays" label="排除近 N 天已检点位">
              <InputNumber min={1} max={365} />
            </Form.Item>
          </Space>
          <Form.List name="strata">
            {(fields, { add, remove }) => (
              <div>
                <div style={{ marginBottom: 8 }}>分层抽样（点位类型 × 区县 × 数量）</div>
                {fields.map((fl) => (
                  <Space key={fl.key} wrap>
                    <Form.Item name={[fl.name, 'typeId']}>
                      <Select placeholder="点位类型" style={{ width: 160 }} options={(types.data ?? []).map((t) => ({ value: t.id, label: t.name }))} data-testid={`stratum-type-${fl.name}`} />
                    </Form.Item>
                    <Form.Item name={[fl.name, 'districtId']}>
                      <Select placeholder="区县" style={{ width: 140 }} options={(districts.data ?? []).map((t) => ({ value: t.id, label: t.name }))} data-testid={`stratum-district-${fl.name}`} />
                    </Form.Item>
                    <Form.Item name={[fl.name, 'count']}>
                      <InputNumber min={1} max={1000} />
                    </Form.Item>
                    <Button onClick={() => remove(fl.name)}>删除</Button>
                  </Space>
                ))}
                <Space>
                  <Button onClick={() => add({ count: 1 })}>添加一层</Button>
                  <Button onClick={doPreview} data-testid="draw-preview">
                    预览抽取
                  </Button>
                </Space>
              </div>
            )}
          </Form.List>
          {preview && (
            <Alert
              style={{ marginTop: 12 }}
              type="success"
              data-testid="draw-result"
              message={`从 ${preview.candidates} 个可抽点位中抽得 ${preview.points.length} 个（随机种子 ${preview.seed}，创建计划时按此种子抽取）`}
              description={preview.points.map((p) => `${p.name}（${p.typeName}·${p.districtName}）`).join('、')}
            />
          )}
        </Form>
      </Modal>
    </div>
  );
}

// ---- 检查任务 ----

/** 检查任务: the occurrences by due window and state (due, done, missed). */
export function OccurrencesPage() {
  const [state, setState] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const list = useQuery({ queryKey: ['inspections', 'occurrences', state, page], queryFn: () => get<Paged<Occurrence>>(`/api/inspections/occurrences${qs({ state, page, pageSize: 30 })}`) });
  return (
    <div>
      <h1 className="cw-page-title">检查任务</h1>
      <Card size="small">
        <Radio.Group style={{ marginBottom: 12 }} value={state ?? ''} optionType="button" onChange={(e) => setState(e.target.value || undefined)} options={[{ value: '', label: '全部' }, ...Object.entries(OccurrenceStateLabels).map(([value, label]) => ({ value, label }))]} />
        <Table<Occurrence>
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={list.data?.items}
          scroll={{ x: 900 }}
          pagination={{ current: page, total: list.data?.total, pageSize: 30, onChange: setPage }}
          columns={[
            { title: '时限', key: 'd', width: 230, render: (_, r) => `${formatDateTime(r.dueFrom)} — ${formatDateTime(r.dueTo)}` },
            { title: '点位', key: 'p', width: 200, render: (_, r) => `${r.point.name}（${r.point.typeName}）` },
            { title: '计划', dataIndex: 'planName', width: 180 },
            { title: '督查组', dataIndex: 'teamName', width: 140 },
            { title: '状态', dataIndex: 'state', width: 90, render: (s: keyof typeof OccurrenceStateLabels, r) => (r.inspectionId ? <Link to={`/inspections/results/${r.inspectionId}`}><Tag color={STATE_COLOR[s]}>{OccurrenceStateLabels[s]}</Tag></Link> : <Tag color={STATE_COLOR[s]}>{OccurrenceStateLabels[s]}</Tag>) },
          ]}
        />
      </Card>
    </div>
  );
}

// ---- 细则与督查组 ----

/** 测评细则: templates per point type, their versions and items (judge type, score, photo rule, protocol). */
export function TemplatesPage() {
  const { data: me } = useMe();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const list = useQuery({ queryKey: ['inspections', 'templates'], queryFn: () => get<TemplateSummary[]>('/api/inspections/templates') });
  const [openId, setOpenId] = useState<string | null>(null);
  const detail = useQuery({ queryKey: ['inspections', 'template', openId], queryFn: () => get<TemplateDetail>(`/api/inspections/templates/${openId}`), enabled: !!openId });
  const manage = can(me, 'inspections.manage') && me?.unit.kind === 'city';
  const run = async (f: () => Promise<unknown>, ok: string) => {
    try {
      await f();
      message.success(ok);
      await qc.invalidateQueries({ queryKey: ['inspections'] });
    } catch (e) {
      message.error(errText(e));
    }
  };
  const draft = detail.data?.versions.find((v) => v.status === 'draft');
  const shown = draft ?? detail.data?.versions.at(-1);
  return (
    <div>
      <h1 className="cw-page-title">测评细则</h1>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Table<TemplateSummary>
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={list.data}
          pagination={false}
          data-testid="templates-table"
          onRow={(r) => ({ onClick: () => setOpenId(r.id), style: { cursor: 'pointer' } })}
          columns={[
            { title: '名称', dataIndex: 'name' },
            { title: '点位类型', key: 't', render: (_, r) => r.pointTypes.map((t) => <Tag key={t.id}>{t.name}</Tag>) },
            { title: '已发布版本', dataIndex: 'latestPublished', width: 100, render: (n: number | null) => (n ? `第 ${n} 版` : '未发布') },
            { title: '条目数', dataIndex: 'itemCount', width: 80 },
            { title: '草稿', dataIndex: 'hasDraft', width: 70, render: (b: boolean) => (b ? <Tag color="orange">有</Tag> : '') },
          ]}
        />
      </Card>
      {shown && detail.data && (
        <Card
          size="small"
          title={`${detail.data.name} · 第 ${shown.number} 版（${shown.status === 'draft' ? '草稿' : '已发布，冻结'}）`}
          extra={
            manage && (
              <Space>
                {draft ? (
                  <Button type="primary" onClick={() => run(() => post(`/api/inspections/template-versions/${draft.id}/publish`, { version: draft.version }), '已发布')}>
                    发布此版本
                  </Button>
                ) : (
                  <Button onClick={() => run(() => post(`/api/inspections/templates/${detail.data.id}/versions`), '已新建草稿版本')}>新建版本</Button>
                )}
              </Space>
            )
          }
        >
          <Table
            rowKey="key"
            size="small"
            pagination={false}
            dataSource={shown.items}
            scroll={{ x: 900 }}
            data-testid="template-items"
            columns={[
              { title: '编号', dataIndex: 'key', width: 60 },
              { title: '检查标准', dataIndex: 'text' },
              { title: '判定', key: 'j', width: 190, render: (_, r) => `${JudgeTypeLabels[r.judge.type]}${r.judge.type === 'count' ? ` ≥${r.judge.threshold}` : r.judge.type === 'ratio' ? ` ≥${r.judge.thresholdPercent}%` : r.judge.type === 'k_of_n' ? ` ${r.judge.k}/${r.judge.n}` : ''}` },
              { title: '分值', dataIndex: 'scoreCenti', width: 60, render: (c: number) => c / 100 },
              { title: '拍照', dataIndex: 'photo', width: 110, render: (p: string) => ({ never: '不需要', on_failure: '不达标时', always: '必须' })[p] },
              { title: '操作方法 / 例外', key: 'pr', width: 240, render: (_, r) => <span style={{ fontSize: 12 }}>{r.protocol}{r.exceptions ? `；例外：${r.exceptions}` : ''}{r.naAllowed ? '；可填不适用' : ''}</span> },
            ]}
          />
        </Card>
      )}
    </div>
  );
}

/** 督查组: leader and members. */
export function TeamsPage() {
  const teams = useQuery({ queryKey: ['inspections', 'teams'], queryFn: () => get<Team[]>('/api/inspections/teams') });
  return (
    <div>
      <h1 className="cw-page-title">督查组</h1>
      <Card size="small">
        <Table<Team>
          rowKey="id"
          size="small"
          loading={teams.isLoading}
          dataSource={teams.data}
          pagination={false}
          columns={[
            { title: '名称', dataIndex: 'name' },
            { title: '所属单位', dataIndex: 'unitName' },
            { title: '组长', key: 'l', render: (_, r) => r.leader.name },
            { title: '成员', key: 'm', render: (_, r) => r.members.map((m) => m.name).join('、') || '—' },
          ]}
        />
      </Card>
    </div>
  );
}
