import { CheckCircleFilled, CloseCircleFilled, EnvironmentOutlined, SafetyCertificateOutlined, StarFilled } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, DatePicker, Empty, Form, Input, Radio, Select, Spin, Tabs, Tag } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import type { Activity, Certificate, CheckinResponse, MyPage, PublicCertificate, PublicTeam, ServiceRecord, VolunteerTag } from '../../../contracts/volunteers.ts';
import { ID_TYPE_LABELS, MEMBER_STATE_LABELS, RECORD_KIND_LABELS, RECORD_STATE_LABELS, SIGNUP_STATE_LABELS } from '../../../contracts/volunteers.ts';
import { ApiError } from '../../shared/api.ts';
import { formatDate, formatDateTimeCn } from '../../shared/format.ts';
import '../public/public.css';
import './volunteer.css';
import { currentPosition, downloadMine, hours, setVolunteerToken, vapi, volunteerToken } from './volunteerApi.ts';

type Options = { communities: { id: string; name: string; pathNames: string }[]; tags: VolunteerTag[] };

function Shell({ title, sub, children }: { title: string; sub?: string; children: React.ReactNode }) {
  return (
    <div className="pub">
      <div className="pub-top">
        <h1>{title}</h1>
        {sub && <div className="sub">{sub}</div>}
      </div>
      <div className="pub-body">{children}</div>
    </div>
  );
}

const errText = (e: unknown) => (e instanceof ApiError || e instanceof Error ? e.message : '操作失败');
const span = (a: Activity) => `${formatDateTimeCn(a.startsAt)} 至 ${formatDateTimeCn(a.endsAt)}`;

// ---------------------------------------------------------------- home: my page or sign-up entry

export function VolunteerHome() {
  const token = volunteerToken();
  if (!token) {
    return (
      <Shell title="志愿服务" sub="注册成为志愿者，参加身边的志愿服务活动">
        <Card>
          <p style={{ lineHeight: 1.8, margin: 0 }}>实名注册后即可报名活动、扫码签到签退，服务时长经审核后计入个人记录，可随时打印《志愿服务记录证明》。</p>
          <div style={{ display: 'flex', gap: 8, marginTop: 16 }}>
            <Link to="/v/register" style={{ flex: 1 }}>
              <Button type="primary" block size="large" data-testid="go-register">
                注册志愿者
              </Button>
            </Link>
            <Link to="/v/login" style={{ flex: 1 }}>
              <Button block size="large">
                已注册，登录
              </Button>
            </Link>
          </div>
        </Card>
        <PublicActivities />
      </Shell>
    );
  }
  return <MyHome />;
}

function Stars({ n }: { n: number }) {
  return (
    <span aria-label={`${n} 星`} data-testid="stars">
      {Array.from({ length: 5 }, (_, i) => (
        <StarFilled key={i} style={{ color: i < n ? '#faad14' : '#e8e8e8', marginRight: 2 }} />
      ))}
    </span>
  );
}

function MyHome() {
  const navigate = useNavigate();
  const q = useQuery({ queryKey: ['v-me'], queryFn: () => vapi<MyPage>('GET', '/api/public/volunteers/me') });
  if (q.isLoading) return <Spin style={{ display: 'block', margin: 64 }} />;
  if (q.error || !q.data) {
    return (
      <Shell title="志愿服务">
        <Alert type="warning" showIcon message={errText(q.error)} action={<Button onClick={() => navigate('/v/login')}>重新登录</Button>} />
      </Shell>
    );
  }
  const me = q.data;
  return (
    <Shell title={`${me.volunteer.name}，您好`} sub={`志愿者编号 ${me.volunteer.number} · ${me.volunteer.communityName}`}>
      <Card>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
          <Stars n={me.stars} />
          <span className="pub-hint" style={{ margin: 0 }}>
            {me.minutesToNextStar === null ? '已达最高星级' : `距下一星级还差 ${hours(me.minutesToNextStar)} 小时`}
          </span>
        </div>
        <div className="v-hours">
          <div>
            <b data-testid="hours-approved">{hours(me.minutesByState.approved)}</b>
            <span>已认定（小时）</span>
          </div>
          <div>
            <b data-testid="hours-pending">{hours(me.minutesByState.pending)}</b>
            <span>待审核</span>
          </div>
          <div>
            <b>{hours(me.minutesByState.rejected)}</b>
            <span>未通过</span>
          </div>
        </div>
      </Card>
      <Card styles={{ body: { paddingTop: 4 } }}>
        <Tabs
          items={[
            { key: 'act', label: '活动', children: <PublicActivities compact /> },
            { key: 'teams', label: '志愿队', children: <Teams me={me} /> },
            { key: 'hours', label: '我的时长', children: <Records records={me.records} /> },
            { key: 'cert', label: '证明', children: <Certificates certs={me.certificates} canIssue={me.records.some((r) => r.state === 'approved' && !r.supersededBy)} /> },
          ]}
        />
      </Card>
      <Button
        type="link"
        onClick={() => {
          setVolunteerToken(null);
          navigate('/v');
        }}
      >
        退出登录
      </Button>
    </Shell>
  );
}

function PublicActivities({ compact }: { compact?: boolean }) {
  const q = useQuery({ queryKey: ['v-activities'], queryFn: () => vapi<{ items: Activity[] }>('GET', '/api/public/volunteers/activities?when=upcoming&pageSize=50') });
  const items = q.data?.items ?? [];
  const list = (
    <div className="v-list">
      {q.isLoading && <Spin />}
      {!q.isLoading && items.length === 0 && <Empty description="暂无可报名的活动" />}
      {items.map((a) => (
        <Link key={a.id} to={`/v/activities/${a.id}`} className="v-item" data-testid="activity-item">
          <div className="t">{a.title}</div>
          <div className="m">
            {formatDateTimeCn(a.startsAt)} · {a.teamName}
          </div>
          <div className="m">
            {a.themes.map((t) => (
              <Tag key={t} color="red">
                {t}
              </Tag>
            ))}
            已报名 {a.signedCount}/{a.capacity}
            {a.myState && <Tag color="green">{SIGNUP_STATE_LABELS[a.myState]}</Tag>}
          </div>
        </Link>
      ))}
    </div>
  );
  return compact ? list : <Card title="近期活动">{list}</Card>;
}

function Teams({ me }: { me: MyPage }) {
  const { message } = App.useApp();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['v-teams'], queryFn: () => vapi<PublicTeam[]>('GET', '/api/public/volunteers/teams') });
  const join = useMutation({
    mutationFn: (id: string) => vapi('POST', `/api/public/volunteers/teams/${id}/join`),
    onSuccess: () => {
      message.success('已提交申请，等待志愿队管理员审批');
      qc.invalidateQueries({ queryKey: ['v-me'] });
    },
    onError: (e) => message.error(errText(e)),
  });
  const mine = new Map(me.teams.map((t) => [t.id, t.state]));
  return (
    <div className="v-list">
      {(q.data ?? []).map((t) => (
        <div key={t.id} className="v-item" data-testid="team-item">
          <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
            <div>
              <div className="t">{t.name}</div>
              <div className="m">
                {t.kind} · {t.unitName} · {t.memberCount} 人
              </div>
            </div>
            {mine.get(t.id) && mine.get(t.id) !== 'rejected' ? (
              <Tag color={mine.get(t.id) === 'approved' ? 'green' : 'orange'}>{MEMBER_STATE_LABELS[mine.get(t.id)!]}</Tag>
            ) : (
              <Button size="small" type="primary" ghost loading={join.isPending && join.variables === t.id} onClick={() => join.mutate(t.id)}>
                申请加入
              </Button>
            )}
          </div>
        </div>
      ))}
    </div>
  );
}

function Records({ records }: { records: ServiceRecord[] }) {
  if (records.length === 0) return <Empty description="还没有服务记录" />;
  return (
    <div className="v-list">
      {records.map((r) => (
        <div key={r.id} className="v-item" data-testid="record-item">
          <div style={{ display: 'flex', justifyContent: 'space-between' }}>
            <span className="t">{r.activityTitle ?? r.content}</span>
            <b>{hours(r.minutes)} 小时</b>
          </div>
          <div className="m">
            {formatDate(r.serviceDate)} · {RECORD_KIND_LABELS[r.kind]} ·{' '}
            <Tag color={r.state === 'approved' ? 'green' : r.state === 'rejected' ? 'red' : 'orange'}>{RECORD_STATE_LABELS[r.state]}</Tag>
            {r.supersededBy && <Tag>已更正</Tag>}
            {r.isAutoCheckout && <Tag color="orange">未签退，活动结束自动签退</Tag>}
          </div>
        </div>
      ))}
    </div>
  );
}

function Certificates({ certs, canIssue }: { certs: Certificate[]; canIssue: boolean }) {
  const { message } = App.useApp();
  const qc = useQueryClient();
  const issue = useMutation({
    mutationFn: () => vapi<Certificate>('POST', '/api/public/volunteers/certificates', {}),
    onSuccess: () => {
      message.success('证明已生成');
      qc.invalidateQueries({ queryKey: ['v-me'] });
    },
    onError: (e) => message.error(errText(e)),
  });
  return (
    <div className="v-list">
      <Button type="primary" block icon={<SafetyCertificateOutlined />} disabled={!canIssue} loading={issue.isPending} onClick={() => issue.mutate()} data-testid="issue-cert">
        生成《志愿服务记录证明》
      </Button>
      {!canIssue && <div className="pub-hint">有审核通过的服务时长后即可生成证明（免费）。</div>}
      {certs.map((c) => (
        <div key={c.id} className="v-item" data-testid="cert-item">
          <div className="t">{c.number}</div>
          <div className="m">
            {c.hours} 小时 · {c.recordCount} 条记录 · {formatDate(c.issuedAt)} · {c.issuer}
          </div>
          <div style={{ display: 'flex', gap: 8, marginTop: 6 }}>
            <Button size="small" onClick={() => downloadMine(`/api/public/volunteers/certificates/${c.id}/file?format=pdf`, `志愿服务记录证明-${c.number}.pdf`)}>
              下载 PDF
            </Button>
            <Button size="small" onClick={() => downloadMine(`/api/public/volunteers/certificates/${c.id}/file?format=docx`, `志愿服务记录证明-${c.number}.docx`)}>
              下载 Word
            </Button>
            <Link to={`/v/verify/${c.verifyCode}`}>
              <Button size="small" type="link" data-testid="cert-verify-link">
                验证
              </Button>
            </Link>
          </div>
        </div>
      ))}
    </div>
  );
}

// ---------------------------------------------------------------- register and login

export function VolunteerRegister() {
  const navigate = useNavigate();
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const opts = useQuery({ queryKey: ['v-options'], queryFn: () => vapi<Options>('GET', '/api/public/volunteers/options') });
  const idType = Form.useWatch('idType', form) ?? 'resident_id';
  const submit = useMutation({
    mutationFn: (v: Record<string, unknown>) =>
      vapi<{ token: string }>('POST', '/api/public/volunteers/register', {
        ...v,
        birthDate: v.birthDate ? dayjs(v.birthDate as string).format('YYYY-MM-DD') : undefined,
        consent: v.consent === true,
      }),
    onSuccess: (r) => {
      setVolunteerToken(r.token);
      navigate('/v', { replace: true });
    },
    onError: (e) => {
      setError(errText(e));
      if (e instanceof ApiError) form.setFields(e.details.map((d) => ({ name: d.path.replace(/^body\./, '').split('.')[0], errors: [d.message] })));
    },
  });
  const themes = (opts.data?.tags ?? []).filter((t) => t.category === 'theme').map((t) => ({ value: t.name, label: t.name }));
  return (
    <Shell title="注册志愿者" sub="实名注册（《志愿服务条例》第七条），信息加密保存">
      <Card>
        <Form form={form} layout="vertical" initialValues={{ idType: 'resident_id', skills: [], serviceAreas: [], serviceTimes: [] }} onFinish={(v) => submit.mutate(v)} requiredMark>
          <Form.Item name="name" label="姓名" rules={[{ required: true, message: '请填写姓名' }]}>
            <Input maxLength={40} data-testid="reg-name" />
          </Form.Item>
          <Form.Item name="idType" label="证件类型" rules={[{ required: true }]}>
            <Select options={Object.entries(ID_TYPE_LABELS).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Form.Item name="idNumber" label="证件号码" rules={[{ required: true, message: '请填写证件号码' }]}>
            <Input maxLength={32} autoComplete="off" data-testid="reg-id" />
          </Form.Item>
          {idType !== 'resident_id' && idType !== 'residence_permit' && (
            <>
              <Form.Item name="birthDate" label="出生日期" rules={[{ required: true, message: '请选择出生日期' }]}>
                <DatePicker style={{ width: '100%' }} />
              </Form.Item>
              <Form.Item name="gender" label="性别" rules={[{ required: true, message: '请选择性别' }]}>
                <Radio.Group options={[{ value: 'male', label: '男' }, { value: 'female', label: '女' }]} />
              </Form.Item>
            </>
          )}
          <Form.Item name="phone" label="手机号" rules={[{ required: true, message: '请填写手机号' }]}>
            <Input maxLength={11} inputMode="numeric" data-testid="reg-phone" />
          </Form.Item>
          <Form.Item name="communityId" label="所在社区" rules={[{ required: true, message: '请选择所在社区' }]}>
            <Select
              showSearch
              optionFilterProp="label"
              loading={opts.isLoading}
              data-testid="reg-community"
              options={(opts.data?.communities ?? []).map((c) => ({ value: c.id, label: `${c.name}（${c.pathNames}）` }))}
            />
          </Form.Item>
          <Form.Item name="skills" label="专业技能">
            <Select mode="tags" placeholder="如：急救、外语、法律" />
          </Form.Item>
          <Form.Item name="serviceAreas" label="意向服务领域">
            <Select mode="multiple" options={themes} />
          </Form.Item>
          <Form.Item name="serviceTimes" label="可服务时间">
            <Select mode="multiple" options={['工作日白天', '工作日晚上', '周末', '节假日'].map((v) => ({ value: v, label: v }))} />
          </Form.Item>
          <Form.Item name="consent" valuePropName="checked" rules={[{ validator: (_, v) => (v ? Promise.resolve() : Promise.reject(new Error('请阅读并同意'))) }]}>
            <Checkbox data-testid="reg-consent">我已阅读并同意《志愿者注册协议》，同意本平台为志愿服务记录使用我的上述信息</Checkbox>
          </Form.Item>
          {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="reg-error" />}
          <Button type="primary" htmlType="submit" block size="large" loading={submit.isPending} data-testid="reg-submit">
            提交注册
          </Button>
        </Form>
      </Card>
    </Shell>
  );
}

export function VolunteerLogin() {
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const submit = useMutation({
    mutationFn: (v: { idNumber: string; phone: string }) => vapi<{ token: string }>('POST', '/api/public/volunteers/login', v),
    onSuccess: (r) => {
      setVolunteerToken(r.token);
      navigate('/v', { replace: true });
    },
    onError: (e) => setError(errText(e)),
  });
  return (
    <Shell title="志愿者登录" sub="使用注册时的证件号码和手机号">
      <Card>
        <Form layout="vertical" onFinish={(v) => submit.mutate(v)}>
          <Form.Item name="idNumber" label="证件号码" rules={[{ required: true, message: '请填写证件号码' }]}>
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item name="phone" label="手机号" rules={[{ required: true, message: '请填写手机号' }]}>
            <Input inputMode="numeric" maxLength={11} />
          </Form.Item>
          {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
          <Button type="primary" htmlType="submit" block loading={submit.isPending}>
            登录
          </Button>
        </Form>
      </Card>
    </Shell>
  );
}

// ---------------------------------------------------------------- activity: sign up, check in by code

export function VolunteerActivity() {
  const { id } = useParams();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [code, setCode] = useState('');
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const q = useQuery({ queryKey: ['v-activity', id], queryFn: () => vapi<Activity>('GET', `/api/public/volunteers/activities/${id}`) });
  const refresh = () => {
    qc.invalidateQueries({ queryKey: ['v-activity', id] });
    qc.invalidateQueries({ queryKey: ['v-me'] });
    qc.invalidateQueries({ queryKey: ['v-activities'] });
  };
  const act = useMutation({
    mutationFn: (what: 'signup' | 'cancel') => vapi<{ state: string }>('POST', `/api/public/volunteers/activities/${id}/${what}`),
    onSuccess: (r) => {
      message.success(r.state === 'signed' ? '报名成功' : r.state === 'waiting' ? '名额已满，已进入候补名单' : '已取消报名');
      refresh();
    },
    onError: (e) => message.error(errText(e)),
  });
  const checkin = useMutation({
    mutationFn: async () => vapi<CheckinResponse>('POST', `/api/public/volunteers/activities/${id}/checkin`, { token: code, ...(await currentPosition()) }),
    onSuccess: (r) => {
      setResult({ ok: true, text: r.action === 'in' ? `签到成功（距活动地点 ${r.distanceM} 米）` : `签退成功，本次服务 ${hours(r.minutes ?? 0)} 小时，待审核` });
      setCode('');
      refresh();
    },
    onError: (e) => setResult({ ok: false, text: errText(e) }),
  });
  if (!q.data) return <Spin style={{ display: 'block', margin: 64 }} />;
  const a = q.data;
  const signedIn = !!volunteerToken();
  return (
    <Shell title={a.title} sub={a.teamName}>
      <Card>
        <div className="pub-kv">
          <span className="k">时间</span>
          <span className="v">{span(a)}</span>
        </div>
        <div className="pub-kv">
          <span className="k">地点</span>
          <span className="v">
            <EnvironmentOutlined /> {a.address || `${a.lng.toFixed(5)}, ${a.lat.toFixed(5)}`}（签到范围 {a.radiusM} 米）
          </span>
        </div>
        <div className="pub-kv">
          <span className="k">招募</span>
          <span className="v">
            已报名 {a.signedCount}/{a.capacity}
            {a.waitingCount > 0 && `，候补 ${a.waitingCount}`}
          </span>
        </div>
        {(a.minAge !== null || a.maxAge !== null || a.skills.length > 0) && (
          <div className="pub-kv">
            <span className="k">要求</span>
            <span className="v">
              {a.minAge !== null && `${a.minAge} 周岁以上 `}
              {a.maxAge !== null && `${a.maxAge} 周岁以下 `}
              {a.skills.join('、')}
            </span>
          </div>
        )}
        <div className="pub-kv">
          <span className="k">报名截止</span>
          <span className="v">{formatDateTimeCn(a.signupDeadline)}</span>
        </div>
        <p style={{ whiteSpace: 'pre-wrap', lineHeight: 1.7 }}>{a.content}</p>
        {!signedIn ? (
          <Button type="primary" block onClick={() => navigate('/v/register')}>
            注册志愿者后报名
          </Button>
        ) : a.myState === 'signed' || a.myState === 'waiting' ? (
          <div>
            <Tag color={a.myState === 'signed' ? 'green' : 'orange'} data-testid="my-state">
              {SIGNUP_STATE_LABELS[a.myState]}
            </Tag>
            {a.myCheckinAt && <Tag color="blue">已签到 {formatDateTimeCn(a.myCheckinAt).slice(-5)}</Tag>}
            {a.myCheckoutAt && <Tag color="blue">已签退 {formatDateTimeCn(a.myCheckoutAt).slice(-5)}</Tag>}
            {!a.myCheckinAt && (
              <Button size="small" danger type="link" onClick={() => act.mutate('cancel')} loading={act.isPending}>
                取消报名
              </Button>
            )}
          </div>
        ) : a.myState === 'no_show' ? (
          <Tag>未到场</Tag>
        ) : (
          <Button type="primary" block size="large" onClick={() => act.mutate('signup')} loading={act.isPending} disabled={a.isCancelled || a.isClosed} data-testid="signup">
            {a.isCancelled ? '活动已取消' : a.isClosed ? '活动已结束' : '我要报名'}
          </Button>
        )}
      </Card>
      {signedIn && a.myState === 'signed' && !a.myCheckoutAt && (
        <Card title={a.myCheckinAt ? '签退' : '签到'}>
          <div className="pub-hint" style={{ marginTop: 0 }}>
            用手机相机扫描组织者手机上的二维码即可{a.myCheckinAt ? '签退' : '签到'}；也可输入二维码下方的 6 位签到码。需允许定位，须在活动地点 {a.radiusM} 米内。
          </div>
          <div style={{ display: 'flex', gap: 8, marginTop: 8 }}>
            <Input value={code} onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))} maxLength={6} inputMode="numeric" placeholder="6 位签到码" data-testid="checkin-code" />
            <Button type="primary" disabled={code.length !== 6} loading={checkin.isPending} onClick={() => checkin.mutate()} data-testid="checkin-submit">
              {a.myCheckinAt ? '签退' : '签到'}
            </Button>
          </div>
        </Card>
      )}
      {result && <Alert type={result.ok ? 'success' : 'error'} showIcon message={result.text} data-testid="checkin-result" />}
    </Shell>
  );
}

/** Opened by the phone camera from the organiser's QR: checks in (or out) with the token in the URL and the phone's position. */
export function VolunteerCheckin() {
  const [params] = useSearchParams();
  const activityId = params.get('a') ?? '';
  const token = params.get('t') ?? '';
  const qc = useQueryClient();
  const [state, setState] = useState<{ ok: boolean; text: string } | null>(null);
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    if (!volunteerToken()) {
      setState({ ok: false, text: '请先注册或登录志愿者身份，再扫码签到' });
      return;
    }
    (async () => {
      try {
        const pos = await currentPosition();
        const r = await vapi<CheckinResponse>('POST', `/api/public/volunteers/activities/${activityId}/checkin`, { token, ...pos });
        setState({ ok: true, text: r.action === 'in' ? `签到成功（距活动地点 ${r.distanceM} 米）` : `签退成功，本次服务 ${hours(r.minutes ?? 0)} 小时，待审核` });
        qc.invalidateQueries();
      } catch (e) {
        setState({ ok: false, text: errText(e) });
      }
    })();
  }, [activityId, token, qc]);
  return (
    <Shell title="扫码签到" sub="正在核验签到码与位置">
      <Card>
        {!state ? (
          <div style={{ textAlign: 'center', padding: 24 }}>
            <Spin />
            <div className="pub-hint">正在获取位置并提交…</div>
          </div>
        ) : (
          <div className="pub-done" data-testid="scan-result">
            {state.ok ? <CheckCircleFilled className="big" /> : <CloseCircleFilled className="big" style={{ color: '#ff4d4f' }} />}
            <div className="pub-state">{state.text}</div>
            <Link to={activityId ? `/v/activities/${activityId}` : '/v'}>
              <Button>查看活动</Button>
            </Link>
          </div>
        )}
      </Card>
    </Shell>
  );
}

// ---------------------------------------------------------------- public verification

export function CertificateVerify() {
  const { code } = useParams();
  const q = useQuery({ queryKey: ['cert', code], queryFn: () => vapi<PublicCertificate>('GET', `/api/public/certificates/${code}`), retry: false });
  return (
    <Shell title="志愿服务记录证明核验" sub="核验本平台出具的证明是否真实">
      <Card>
        {q.isLoading && <Spin />}
        {q.error && <Alert type="error" showIcon message={errText(q.error)} data-testid="verify-fail" />}
        {q.data && (
          <>
            <div className="pub-done">
              <SafetyCertificateOutlined className="big" />
              <div className="pub-state closed" data-testid="verify-ok">
                证明真实有效
              </div>
            </div>
            {(
              [
                ['证明编号', q.data.number],
                ['姓名', q.data.name],
                ['证件号码', q.data.idMasked],
                ['服务时长', `${q.data.hours} 小时（${q.data.recordCount} 条记录）`],
                ['服务期间', `${formatDate(q.data.periodFrom)} 至 ${formatDate(q.data.periodTo)}`],
                ['服务内容', q.data.content],
                ['出具单位', q.data.issuer],
                ['出具日期', formatDate(q.data.issuedAt)],
              ] as const
            ).map(([k, v]) => (
              <div className="pub-kv" key={k}>
                <span className="k">{k}</span>
                <span className="v">{v}</span>
              </div>
            ))}
          </>
        )}
      </Card>
    </Shell>
  );
}
