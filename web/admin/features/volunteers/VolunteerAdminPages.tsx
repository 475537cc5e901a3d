import { CheckOutlined, CloseOutlined, DownloadOutlined, PlusOutlined, QrcodeOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Breadcrumb, Button, Card, DatePicker, Drawer, Form, Input, InputNumber, Modal, Select, Space, Table, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import type { Paged } from '../../../../contracts/common.ts';
import {
  type Activity,
  type Attendance,
  type Certificate,
  type CheckinCodeResponse,
  ID_TYPE_LABELS,
  MEMBER_STATE_LABELS,
  type RatioTable,
  RECORD_KIND_LABELS,
  RECORD_STATE_LABELS,
  SIGNUP_STATE_LABELS,
  type ServiceRecord,
  type Station,
  type Team,
  type TeamMember,
  type Volunteer,
  type VolunteerImportPreview,
  type VolunteerSettings,
  type VolunteerTag,
} from '../../../../contracts/volunteers.ts';
import { ApiError, api, download, get, post, qs } from '../../../shared/api.ts';
import { FormDrawer } from '../../../shared/components/FormDrawer.tsx';
import { MapView } from '../../../shared/components/MapView.tsx';
import { UnitSelect } from '../../../shared/components/UnitSelect.tsx';
import { formatDate, formatDateTimeCn } from '../../../shared/format.ts';
import { can, useMe } from '../../../shared/session.ts';

const hours = (m: number) => (Math.round(m / 6) / 10).toFixed(1);
const useTags = () => useQuery({ queryKey: ['volunteer-tags'], queryFn: () => get<VolunteerTag[]>('/api/volunteers/tags') });
const tagOptions = (tags: VolunteerTag[] | undefined, category: VolunteerTag['category']) => (tags ?? []).filter((t) => t.category === category).map((t) => ({ value: t.name, label: t.name }));
const errText = (e: unknown) => (e instanceof ApiError ? e.message : '操作失败');

// ---------------------------------------------------------------- 志愿者

export function VolunteersPage() {
  const { data: me } = useMe();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [adding, setAdding] = useState(false);
  const [importing, setImporting] = useState(false);
  const list = useQuery({ queryKey: ['volunteers', q, page], queryFn: () => get<Paged<Volunteer>>(`/api/volunteers${qs({ q, page, pageSize: 20 })}`) });
  const canManage = can(me, 'volunteers.manage');
  const showContact = async (v: Volunteer) => {
    try {
      const c = await get<{ idNumber: string; phone: string }>(`/api/volunteers/${v.id}/contact`);
      Modal.info({ title: `${v.name} 的证件号码与手机号`, content: `证件号码：${c.idNumber}　手机号：${c.phone}（本次查看已记入审计日志）` });
    } catch (e) {
      message.error(errText(e));
    }
  };
  return (
    <Card
      title="志愿者"
      extra={
        <Space>
          <Input.Search placeholder="姓名、拼音首字母、手机尾号 4 位、编号" allowClear onSearch={(v) => {
              setQ(v);
              setPage(1);
            }} style={{ width: 300 }} data-testid="volunteer-search" />
          {canManage && (
            <Button icon={<DownloadOutlined />} onClick={() => download('/api/volunteers/export', '志愿者与服务记录.xlsx').catch((e) => message.error(errText(e)))}>
              导出（全国系统）
            </Button>
          )}
          {canManage && <Button onClick={() => setImporting(true)}>批量导入</Button>}
          {canManage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
              登记志愿者
            </Button>
          )}
        </Space>
      }
    >
      <Table<Volunteer>
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.items}
        pagination={{ current: page, total: list.data?.total, pageSize: 20, onChange: setPage, showTotal: (n) => `共 ${n} 人` }}
        columns={[
          { title: '编号', dataIndex: 'number', width: 120 },
          { title: '姓名', dataIndex: 'name', width: 90 },
          { title: '性别', dataIndex: 'gender', width: 60, render: (g) => (g === 'male' ? '男' : '女') },
          { title: '证件', render: (_, v) => `${ID_TYPE_LABELS[v.idType]} ${v.idMasked}` },
          { title: '手机', dataIndex: 'phoneMasked', width: 120 },
          { title: '社区', dataIndex: 'communityName', width: 110 },
          { title: '技能', dataIndex: 'skills', render: (s: string[]) => s.join('、') },
          { title: '认定时长', dataIndex: 'approvedMinutes', width: 90, render: (m) => `${hours(m)} 小时` },
          { title: '星级', dataIndex: 'stars', width: 70, render: (n) => (n ? '★'.repeat(n) : '—') },
          { title: '注册', dataIndex: 'createdAt', width: 120, render: formatDate },
          ...(canManage ? [{ title: '', width: 90, render: (_: unknown, v: Volunteer) => <Button size="small" type="link" onClick={() => showContact(v)}>查看证件</Button> }] : []),
        ]}
      />
      {importing && (
        <ImportModal
          onClose={() => {
            setImporting(false);
            qc.invalidateQueries({ queryKey: ['volunteers'] });
          }}
        />
      )}
      {adding && (
        <RegisterDrawer
          onClose={() => setAdding(false)}
          onDone={() => {
            setAdding(false);
            qc.invalidateQueries({ queryKey: ['volunteers'] });
          }}
        />
      )}
    </Card>
  );
}

function ImportModal({ onClose }: { onClose(): void }) {
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<VolunteerImportPreview | null>(null);
  const [busy, setBusy] = useState(false);
  const send = async (f: File, commit: boolean) => {
    const body = new FormData();
    body.append('file', f);
    setBusy(true);
    try {
      const r = await api<VolunteerImportPreview>('POST', `/api/volunteers/import?commit=${commit}`, body);
      setPreview(r);
      if (commit) {
        message.success(`已导入 ${r.imported} 名志愿者`);
        onClose();
      }
    } catch (e) {
      message.error(errText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      width={900}
      title="批量导入志愿者"
      onCancel={onClose}
      okText="确认导入"
      okButtonProps={{ disabled: !file || !preview || preview.valid !== preview.total, loading: busy }}
      onOk={() => file && send(file, true)}
    >
      <Space style={{ marginBottom: 12 }}>
        <Button icon={<DownloadOutlined />} onClick={() => download('/api/volunteers/import/template', '志愿者导入模板.xlsx')}>
          下载模板
        </Button>
        <input
          type="file"
          accept=".xlsx"
          data-testid="volunteer-import-file"
          onChange={(e) => {
            const f = e.target.files?.[0] ?? null;
            setFile(f);
            setPreview(null);
            if (f) void send(f, false);
          }}
        />
      </Space>
      {preview && (
        <>
          <Alert
            style={{ marginBottom: 12 }}
            type={preview.valid === preview.total ? 'success' : 'error'}
            showIcon
            message={preview.valid === preview.total ? `共 ${preview.total} 行，全部正确，可以导入` : `共 ${preview.total} 行，其中 ${preview.total - preview.valid} 行有错误：请修改后重新选择文件（整个文件全部导入或全部不导入）`}
          />
          <Table
            rowKey="row"
            size="small"
            pagination={{ pageSize: 50 }}
            dataSource={preview.rows}
            columns={[
              { title: '行', dataIndex: 'row', width: 50 },
              { title: '姓名', dataIndex: 'name', width: 80 },
              { title: '证件', render: (_, r) => `${r.idType} ${r.idMasked}` },
              { title: '手机', dataIndex: 'phoneMasked', width: 110 },
              { title: '社区', dataIndex: 'community', width: 90 },
              {
                title: '问题',
                render: (_, r) =>
                  r.errors.length ? (
                    r.errors.map((e) => (
                      <div key={e.field + e.message} style={{ color: '#cf1322' }}>
                        {e.field}：{e.message}
                      </div>
                    ))
                  ) : (
                    <Tag color="green">正确</Tag>
                  ),
              },
            ]}
          />
        </>
      )}
    </Modal>
  );
}

function RegisterDrawer({ onClose, onDone }: { onClose(): void; onDone(): void }) {
  const [form] = Form.useForm();
  const tags = useTags();
  return (
    <FormDrawer
      title="登记志愿者（须经本人同意）"
      form={form}
      saveTestId="volunteer-save"
      initialValues={{ idType: 'resident_id', skills: [], serviceAreas: [], serviceTimes: [] }}
      onClose={onClose}
      onSubmit={async (v: Record<string, unknown>) => {
        await post('/api/volunteers', { ...v, consent: true });
        onDone();
      }}
    >
      <Form.Item name="name" label="姓名" rules={[{ required: true, message: '请填写姓名' }]}>
        <Input />
      </Form.Item>
      <Form.Item name="idType" label="证件类型">
        <Select options={Object.entries(ID_TYPE_LABELS).map(([value, label]) => ({ value, label }))} />
      </Form.Item>
      <Form.Item name="idNumber" label="证件号码" rules={[{ required: true, message: '请填写证件号码' }]}>
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item name="phone" label="手机号" rules={[{ required: true, message: '请填写手机号' }]}>
        <Input maxLength={11} />
      </Form.Item>
      <Form.Item name="communityId" label="所在社区" rules={[{ required: true, message: '请选择所在社区' }]}>
        <UnitSelect kinds={['community']} />
      </Form.Item>
      <Form.Item name="skills" label="专业技能">
        <Select mode="tags" />
      </Form.Item>
      <Form.Item name="serviceAreas" label="服务领域">
        <Select mode="multiple" options={tagOptions(tags.data, 'theme')} />
      </Form.Item>
    </FormDrawer>
  );
}

// ---------------------------------------------------------------- 志愿队

export function TeamsPage() {
  const { data: me } = useMe();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [adding, setAdding] = useState(false);
  const [open, setOpen] = useState<Team | null>(null);
  const tags = useTags();
  const list = useQuery({ queryKey: ['volunteer-teams'], queryFn: () => get<Team[]>('/api/volunteer-teams') });
  const members = useQuery({ queryKey: ['volunteer-members', open?.id], queryFn: () => get<TeamMember[]>(`/api/volunteer-teams/${open!.id}/members`), enabled: !!open });
  const [form] = Form.useForm();
  const decide = async (m: TeamMember, approve: boolean) => {
    try {
      await post(`/api/volunteer-teams/${open!.id}/members/${m.volunteerId}/decide`, { approve });
      message.success(approve ? '已同意入队' : '已拒绝');
      qc.invalidateQueries({ queryKey: ['volunteer-members'] });
      qc.invalidateQueries({ queryKey: ['volunteer-teams'] });
    } catch (e) {
      message.error(errText(e));
    }
  };
  return (
    <Card
      title="志愿队"
      extra={
        can(me, 'volunteers.manage') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
            新建志愿队
          </Button>
        )
      }
    >
      <Table<Team>
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data}
        pagination={false}
        columns={[
          { title: '名称', dataIndex: 'name' },
          { title: '类型', dataIndex: 'kind', render: (k) => <Tag>{k}</Tag> },
          { title: '所属单位', dataIndex: 'unitName' },
          { title: '管理员', dataIndex: 'admins', render: (a: Team['admins']) => a.map((x) => x.name).join('、') || '—' },
          { title: '队员', dataIndex: 'memberCount', width: 70 },
          { title: '待审批', dataIndex: 'pendingCount', width: 80, render: (n) => (n ? <Tag color="orange">{n}</Tag> : 0) },
          { title: '', width: 110, render: (_, t) => <Button size="small" onClick={() => setOpen(t)} data-testid="team-members">队员与申请</Button> },
        ]}
      />
      {adding && (
        <FormDrawer
          title="新建志愿队"
          form={form}
          saveTestId="team-save"
          onClose={() => setAdding(false)}
          onSubmit={async (v) => {
            await post('/api/volunteer-teams', v);
            setAdding(false);
            qc.invalidateQueries({ queryKey: ['volunteer-teams'] });
          }}
        >
          <Form.Item name="name" label="队伍名称" rules={[{ required: true, message: '请填写队伍名称' }]}>
            <Input />
          </Form.Item>
          <Form.Item name="kind" label="队伍类型" rules={[{ required: true, message: '请选择队伍类型' }]}>
            <Select options={tagOptions(tags.data, 'team_kind')} />
          </Form.Item>
          <Form.Item name="unitId" label="所属单位" rules={[{ required: true, message: '请选择所属单位' }]}>
            <UnitSelect />
          </Form.Item>
          <Form.Item name="description" label="简介">
            <Input.TextArea rows={3} />
          </Form.Item>
        </FormDrawer>
      )}
      <Drawer open={!!open} size={640} title={open ? `${open.name}：队员与入队申请` : ''} onClose={() => setOpen(null)}>
        <Table<TeamMember>
          rowKey="volunteerId"
          size="small"
          loading={members.isLoading}
          dataSource={members.data}
          pagination={false}
          columns={[
            { title: '姓名', dataIndex: 'name' },
            { title: '编号', dataIndex: 'number' },
            { title: '手机', dataIndex: 'phoneMasked' },
            { title: '申请时间', dataIndex: 'requestedAt', render: formatDateTimeCn },
            { title: '状态', dataIndex: 'state', render: (s: TeamMember['state']) => <Tag color={s === 'approved' ? 'green' : s === 'pending' ? 'orange' : 'default'}>{MEMBER_STATE_LABELS[s]}</Tag> },
            {
              title: '',
              render: (_, m) =>
                m.state === 'pending' && (
                  <Space>
                    <Button size="small" type="primary" icon={<CheckOutlined />} onClick={() => decide(m, true)} data-testid="member-approve">
                      同意
                    </Button>
                    <Button size="small" icon={<CloseOutlined />} onClick={() => decide(m, false)}>
                      拒绝
                    </Button>
                  </Space>
                ),
            },
          ]}
        />
      </Drawer>
    </Card>
  );
}

// ---------------------------------------------------------------- 服务站

export function StationsPage() {
  const { data: me } = useMe();
  const qc = useQueryClient();
  const [adding, setAdding] = useState(false);
  const [picked, setPicked] = useState<{ lng: number; lat: number } | null>(null);
  const tags = useTags();
  const [form] = Form.useForm();
  const list = useQuery({ queryKey: ['volunteer-stations'], queryFn: () => get<Station[]>('/api/volunteer-stations') });
  const teams = useQuery({ queryKey: ['volunteer-teams'], queryFn: () => get<Team[]>('/api/volunteer-teams') });
  return (
    <Card
      title="学雷锋志愿服务站 · 新时代文明实践所/站"
      extra={
        can(me, 'volunteers.manage') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
            新建服务站
          </Button>
        )
      }
    >
      <div style={{ display: 'grid', gridTemplateColumns: 'minmax(0, 3fr) minmax(0, 2fr)', gap: 16 }}>
        <Table<Station>
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={list.data}
          pagination={false}
          columns={[
            { title: '名称', dataIndex: 'name' },
            { title: '类型', dataIndex: 'kind', render: (k) => <Tag color="red">{k}</Tag> },
            { title: '所属单位', dataIndex: 'unitName' },
            { title: '关联点位', dataIndex: 'pointName', render: (p) => p ?? '—' },
            { title: '服务队伍', dataIndex: 'teams', render: (t: Station['teams']) => t.map((x) => x.name).join('、') || '—' },
          ]}
        />
        <MapView height={480} markers={(list.data ?? []).map((s) => ({ id: s.id, lng: s.lng, lat: s.lat, name: s.name, typeName: s.kind, address: s.address }))} />
      </div>
      {adding && (
        <FormDrawer
          title="新建服务站"
          form={form}
          size={640}
          onClose={() => setAdding(false)}
          onSubmit={async (v: Record<string, unknown>) => {
            await post('/api/volunteer-stations', { ...v, ...(picked ?? {}) });
            setAdding(false);
            qc.invalidateQueries({ queryKey: ['volunteer-stations'] });
          }}
        >
          <Form.Item name="name" label="名称" rules={[{ required: true, message: '请填写名称' }]}>
            <Input />
          </Form.Item>
          <Form.Item name="kind" label="类型" rules={[{ required: true, message: '请选择类型' }]}>
            <Select options={tagOptions(tags.data, 'station_kind')} />
          </Form.Item>
          <Form.Item name="unitId" label="所属单位" rules={[{ required: true, message: '请选择所属单位' }]}>
            <UnitSelect />
          </Form.Item>
          <Form.Item name="address" label="地址">
            <Input />
          </Form.Item>
          <Form.Item name="teamIds" label="服务队伍">
            <Select mode="multiple" options={(teams.data ?? []).map((t) => ({ value: t.id, label: t.name }))} />
          </Form.Item>
          <Form.Item label={picked ? `位置：${picked.lng.toFixed(5)}, ${picked.lat.toFixed(5)}` : '位置：在地图上点选'}>
            <MapView height={260} picked={picked} onPick={(lng, lat) => setPicked({ lng, lat })} />
          </Form.Item>
        </FormDrawer>
      )}
    </Card>
  );
}

// ---------------------------------------------------------------- 志愿活动

export function ActivitiesPage() {
  const qc = useQueryClient();
  const [when, setWhen] = useState<'upcoming' | 'past' | 'all'>('upcoming');
  const [page, setPage] = useState(1);
  const [adding, setAdding] = useState(false);
  const [open, setOpen] = useState<Activity | null>(null);
  const list = useQuery({ queryKey: ['volunteer-activities', when, page], queryFn: () => get<Paged<Activity>>(`/api/volunteer-activities${qs({ when, page, pageSize: 20 })}`) });
  const teams = useQuery({ queryKey: ['volunteer-teams'], queryFn: () => get<Team[]>('/api/volunteer-teams') });
  const mine = teams.data ?? [];
  return (
    <Card
      title="志愿活动"
      extra={
        <Space>
          <Select
            value={when}
            onChange={(v) => {
              setWhen(v);
              setPage(1);
            }}
            style={{ width: 120 }}
            options={[
              { value: 'upcoming', label: '进行中/未开始' },
              { value: 'past', label: '已结束' },
              { value: 'all', label: '全部' },
            ]}
          />
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} disabled={mine.length === 0}>
            发布活动
          </Button>
        </Space>
      }
    >
      <Table<Activity>
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.items}
        pagination={{ current: page, total: list.data?.total, pageSize: 20, onChange: setPage }}
        columns={[
          { title: '活动', dataIndex: 'title' },
          { title: '志愿队', dataIndex: 'teamName' },
          { title: '主题', dataIndex: 'themes', render: (t: string[]) => t.map((x) => <Tag key={x}>{x}</Tag>) },
          { title: '时间', dataIndex: 'startsAt', width: 170, render: formatDateTimeCn },
          { title: '报名', width: 100, render: (_, a) => `${a.signedCount}/${a.capacity}${a.waitingCount ? ` +${a.waitingCount}` : ''}` },
          { title: '签到', dataIndex: 'checkedInCount', width: 60 },
          { title: '状态', width: 80, render: (_, a) => (a.isCancelled ? <Tag>已取消</Tag> : a.isClosed ? <Tag color="blue">已结束</Tag> : <Tag color="green">招募中</Tag>) },
          { title: '', width: 100, render: (_, a) => <Button size="small" onClick={() => setOpen(a)}>报名与签到</Button> },
        ]}
      />
      {adding && (
        <ActivityDrawer
          teams={mine}
          onClose={() => setAdding(false)}
          onDone={() => {
            setAdding(false);
            qc.invalidateQueries({ queryKey: ['volunteer-activities'] });
          }}
        />
      )}
      {open && <AttendanceDrawer activity={open} onClose={() => setOpen(null)} />}
    </Card>
  );
}

function ActivityDrawer({ teams, onClose, onDone }: { teams: Team[]; onClose(): void; onDone(): void }) {
  const [form] = Form.useForm();
  const tags = useTags();
  const stations = useQuery({ queryKey: ['volunteer-stations'], queryFn: () => get<Station[]>('/api/volunteer-stations') });
  const [picked, setPicked] = useState<{ lng: number; lat: number } | null>(null);
  return (
    <FormDrawer
      title="发布志愿活动"
      form={form}
      saveTestId="activity-save"
      size={680}
      initialValues={{ radiusM: 300, capacity: 20, themes: [] }}
      onClose={onClose}
      onSubmit={async (v: Record<string, unknown>) => {
        const [s, e] = v.span as [Dayjs, Dayjs];
        await post('/api/volunteer-activities', {
          teamId: v.teamId,
          title: v.title,
          content: v.content,
          themes: v.themes,
          startsAt: s.toISOString(),
          endsAt: e.toISOString(),
          signupDeadline: ((v.signupDeadline as Dayjs | undefined) ?? s).toISOString(),
          stationId: v.stationId ?? null,
          ...(picked ?? {}),
          address: v.address ?? '',
          radiusM: v.radiusM,
          capacity: v.capacity,
          minAge: v.minAge ?? null,
          maxAge: v.maxAge ?? null,
          skills: v.skills ?? [],
        });
        onDone();
      }}
    >
      <Form.Item name="teamId" label="志愿队" rules={[{ required: true, message: '请选择志愿队' }]}>
        <Select options={teams.map((t) => ({ value: t.id, label: t.name }))} />
      </Form.Item>
      <Form.Item name="title" label="活动名称" rules={[{ required: true, message: '请填写活动名称' }]}>
        <Input />
      </Form.Item>
      <Form.Item name="content" label="服务内容（含风险提示）" rules={[{ required: true, message: '请填写服务内容' }]}>
        <Input.TextArea rows={3} />
      </Form.Item>
      <Form.Item name="themes" label="主题">
        <Select mode="multiple" options={tagOptions(tags.data, 'theme')} />
      </Form.Item>
      <Form.Item name="span" label="活动时间" rules={[{ required: true, message: '请选择活动时间' }]}>
        <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="signupDeadline" label="报名截止（默认为开始时间）">
        <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
      </Form.Item>
      <Space>
        <Form.Item name="capacity" label="招募人数" rules={[{ required: true }]}>
          <InputNumber min={1} />
        </Form.Item>
        <Form.Item name="radiusM" label="签到范围（米）">
          <InputNumber min={30} max={5000} />
        </Form.Item>
        <Form.Item name="minAge" label="最小年龄">
          <InputNumber min={0} max={120} />
        </Form.Item>
        <Form.Item name="maxAge" label="最大年龄">
          <InputNumber min={0} max={120} />
        </Form.Item>
      </Space>
      <Form.Item name="skills" label="技能要求">
        <Select mode="tags" />
      </Form.Item>
      <Form.Item name="stationId" label="服务站（选填，位置取服务站）">
        <Select allowClear options={(stations.data ?? []).map((s) => ({ value: s.id, label: s.name }))} />
      </Form.Item>
      <Form.Item name="address" label="地点说明">
        <Input />
      </Form.Item>
      <Form.Item label={picked ? `签到中心：${picked.lng.toFixed(5)}, ${picked.lat.toFixed(5)}` : '签到中心：在地图上点选（未选服务站时必选）'}>
        <MapView height={240} picked={picked} onPick={(lng, lat) => setPicked({ lng, lat })} />
      </Form.Item>
    </FormDrawer>
  );
}

function AttendanceDrawer({ activity, onClose }: { activity: Activity; onClose(): void }) {
  const att = useQuery({ queryKey: ['volunteer-attendance', activity.id], queryFn: () => get<Attendance[]>(`/api/volunteer-activities/${activity.id}/attendance`), refetchInterval: 10_000 });
  const code = useQuery({
    queryKey: ['volunteer-code', activity.id],
    queryFn: () => get<CheckinCodeResponse>(`/api/volunteer-activities/${activity.id}/checkin-code`),
    enabled: activity.canManage && !activity.isClosed,
    refetchInterval: 15_000,
    retry: false,
  });
  return (
    <Drawer open size={720} title={`${activity.title}：报名与签到`} onClose={onClose}>
      {code.data && (
        <Card size="small" title={<><QrcodeOutlined /> 签到码（每 30 秒轮换）</>} style={{ marginBottom: 12 }}>
          <div style={{ display: 'flex', gap: 16, alignItems: 'center' }}>
            {/* biome-ignore lint/security/noDangerouslySetInnerHtml: the SVG is drawn by the qrcode package on our server from our own URL */}
            <div style={{ width: 160 }} dangerouslySetInnerHTML={{ __html: code.data.qrSvg }} />
            <div style={{ fontSize: 36, fontWeight: 700, letterSpacing: 6, color: '#c8102e' }}>{code.data.code}</div>
          </div>
        </Card>
      )}
      <Table<Attendance>
        rowKey="volunteerId"
        size="small"
        loading={att.isLoading}
        dataSource={att.data}
        pagination={false}
        columns={[
          { title: '姓名', dataIndex: 'name' },
          { title: '手机', dataIndex: 'phoneMasked' },
          { title: '报名', dataIndex: 'state', render: (s: Attendance['state']) => <Tag>{SIGNUP_STATE_LABELS[s]}</Tag> },
          { title: '签到', dataIndex: 'checkinAt', render: (v) => (v ? formatDateTimeCn(v) : '—') },
          { title: '签退', render: (_, r) => (r.checkoutAt ? <>{formatDateTimeCn(r.checkoutAt)} {r.isAutoCheckout && <Tag color="orange">自动签退</Tag>}</> : '—') },
        ]}
      />
    </Drawer>
  );
}

// ---------------------------------------------------------------- 时长审核

export function RecordsPage() {
  const { data: me } = useMe();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [state, setState] = useState<string>('pending');
  const [page, setPage] = useState(1);
  const [adding, setAdding] = useState(false);
  const [form] = Form.useForm();
  const list = useQuery({ queryKey: ['volunteer-records', state, page], queryFn: () => get<Paged<ServiceRecord>>(`/api/volunteer-records${qs({ state, page, pageSize: 20 })}`) });
  const acts = useQuery({ queryKey: ['volunteer-activities', 'past-for-manual'], queryFn: () => get<Paged<Activity>>('/api/volunteer-activities?when=all&pageSize=100'), enabled: adding });
  const [volQ, setVolQ] = useState('');
  const vols = useQuery({ queryKey: ['volunteers', 'pick', volQ], queryFn: () => get<Paged<Volunteer>>(`/api/volunteers${qs({ q: volQ, pageSize: 20 })}`), enabled: adding });
  const decide = (r: ServiceRecord, action: 'approve' | 'reject') => {
    let note = '';
    const run = async () => {
      try {
        await post(`/api/volunteer-records/${r.id}/decide`, { action, note, version: r.version });
        message.success(action === 'approve' ? '已通过' : '已不通过');
        qc.invalidateQueries({ queryKey: ['volunteer-records'] });
      } catch (e) {
        message.error(errText(e));
        throw e;
      }
    };
    if (action === 'approve') return void run().catch(() => {});
    Modal.confirm({ title: '不通过的原因', content: <Input.TextArea rows={3} onChange={(e) => (note = e.target.value)} />, onOk: run });
  };
  return (
    <Card
      title="服务时长审核"
      extra={
        <Space>
          <Select
            value={state}
            onChange={(v) => {
              setState(v);
              setPage(1);
            }}
            style={{ width: 110 }}
            options={[{ value: '', label: '全部' }, ...Object.entries(RECORD_STATE_LABELS).map(([value, label]) => ({ value, label }))]}
          />
          {can(me, 'volunteers.manage') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
              补录时长
            </Button>
          )}
        </Space>
      }
    >
      <Table<ServiceRecord>
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.items}
        pagination={{ current: page, total: list.data?.total, pageSize: 20, onChange: setPage, showTotal: (n) => `共 ${n} 条` }}
        columns={[
          { title: '志愿者', width: 150, render: (_, r) => `${r.volunteerName}（${r.volunteerNumber}）` },
          { title: '活动', render: (_, r) => r.activityTitle ?? r.content },
          { title: '服务日期', dataIndex: 'serviceDate', width: 130, render: formatDate },
          { title: '时长', dataIndex: 'minutes', width: 90, render: (m) => `${hours(m)} 小时` },
          {
            title: '类型',
            width: 160,
            render: (_, r) => (
              <>
                <Tag color={r.kind === 'manual' ? 'purple' : r.kind === 'correction' ? 'cyan' : 'default'}>{RECORD_KIND_LABELS[r.kind]}</Tag>
                {r.isLate && <Tag color="red">逾期录入</Tag>}
                {r.isAutoCheckout && <Tag color="orange">自动签退</Tag>}
              </>
            ),
          },
          { title: '来源/原因', width: 160, render: (_, r) => [r.source, r.reason].filter(Boolean).join('：') || '扫码签到签退' },
          { title: '录入', render: (_, r) => `${r.createdByName ?? '志愿者本人/系统'} ${formatDateTimeCn(r.createdAt)}` },
          { title: '状态', dataIndex: 'state', width: 80, render: (s: ServiceRecord['state']) => <Tag color={s === 'approved' ? 'green' : s === 'rejected' ? 'red' : 'orange'}>{RECORD_STATE_LABELS[s]}</Tag> },
          {
            title: '',
            width: 150,
            render: (_, r) =>
              r.state === 'pending' && (
                <Space>
                  <Button size="small" type="primary" onClick={() => decide(r, 'approve')} data-testid="record-approve">
                    通过
                  </Button>
                  <Button size="small" danger onClick={() => decide(r, 'reject')}>
                    不通过
                  </Button>
                </Space>
              ),
          },
        ]}
      />
      {adding && (
        <FormDrawer
          title="补录服务时长（须另一位管理员审核）"
          form={form}
          onClose={() => setAdding(false)}
          onSubmit={async (v) => {
            await post('/api/volunteer-records', v);
            setAdding(false);
            qc.invalidateQueries({ queryKey: ['volunteer-records'] });
          }}
        >
          <Form.Item name="volunteerId" label="志愿者" rules={[{ required: true, message: '请选择志愿者' }]}>
            <Select showSearch filterOption={false} onSearch={setVolQ} options={(vols.data?.items ?? []).map((x) => ({ value: x.id, label: `${x.name}（${x.number}）` }))} />
          </Form.Item>
          <Form.Item name="activityId" label="活动" rules={[{ required: true, message: '请选择活动' }]}>
            <Select showSearch optionFilterProp="label" options={(acts.data?.items ?? []).filter((a) => a.canManage).map((a) => ({ value: a.id, label: `${a.title}（${formatDate(a.startsAt)}）` }))} />
          </Form.Item>
          <Form.Item name="minutes" label="时长（分钟，不超过活动计划时长）" rules={[{ required: true, message: '请填写时长' }]}>
            <InputNumber min={1} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="source" label="来源" rules={[{ required: true, message: '请填写来源' }]}>
            <Select options={['纸质签到表', '活动照片', '服务对象确认', '其他'].map((v) => ({ value: v, label: v }))} />
          </Form.Item>
          <Form.Item name="reason" label="原因" rules={[{ required: true, message: '请填写原因' }]}>
            <Input.TextArea rows={2} />
          </Form.Item>
        </FormDrawer>
      )}
    </Card>
  );
}

// ---------------------------------------------------------------- 证明

export function CertificatesPage() {
  const { data: me } = useMe();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [page, setPage] = useState(1);
  const [issuing, setIssuing] = useState(false);
  const [volQ, setVolQ] = useState('');
  const [form] = Form.useForm();
  const list = useQuery({ queryKey: ['volunteer-certificates', page], queryFn: () => get<Paged<Certificate>>(`/api/volunteer-certificates${qs({ page, pageSize: 20 })}`) });
  const vols = useQuery({ queryKey: ['volunteers', 'pick', volQ], queryFn: () => get<Paged<Volunteer>>(`/api/volunteers${qs({ q: volQ, pageSize: 20 })}`), enabled: issuing });
  return (
    <Card
      title="志愿服务记录证明"
      extra={
        can(me, 'volunteers.review') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setIssuing(true)}>
            出具证明
          </Button>
        )
      }
    >
      <Table<Certificate>
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.items}
        pagination={{ current: page, total: list.data?.total, pageSize: 20, onChange: setPage }}
        columns={[
          { title: '编号', dataIndex: 'number' },
          { title: '姓名', dataIndex: 'name' },
          { title: '证件', render: (_, c) => `${c.idTypeLabel} ${c.idMasked}` },
          { title: '时长', dataIndex: 'hours', render: (h) => `${h} 小时` },
          { title: '期间', render: (_, c) => `${formatDate(c.periodFrom)} 至 ${formatDate(c.periodTo)}` },
          { title: '出具单位', dataIndex: 'issuer' },
          { title: '出具日期', dataIndex: 'issuedAt', render: formatDate },
          { title: '验证码', dataIndex: 'verifyCode', render: (v, c) => <a href={c.verifyUrl} target="_blank" rel="noreferrer">{v}</a> },
          {
            title: '',
            render: (_, c) => (
              <Space>
                <Button size="small" onClick={() => download(`/api/volunteer-certificates/${c.id}/file?format=pdf`, `${c.number}.pdf`).catch((e) => message.error(errText(e)))}>
                  PDF
                </Button>
                <Button size="small" onClick={() => download(`/api/volunteer-certificates/${c.id}/file?format=docx`, `${c.number}.docx`).catch((e) => message.error(errText(e)))}>
                  Word
                </Button>
              </Space>
            ),
          },
        ]}
      />
      {issuing && (
        <FormDrawer
          title="出具志愿服务记录证明"
          form={form}
          successMessage="证明已出具"
          onClose={() => setIssuing(false)}
          onSubmit={async (v: { volunteerId: string; period?: [Dayjs, Dayjs] }) => {
            await post('/api/volunteer-certificates', { volunteerId: v.volunteerId, from: v.period?.[0].format('YYYY-MM-DD'), to: v.period?.[1].format('YYYY-MM-DD') });
            setIssuing(false);
            qc.invalidateQueries({ queryKey: ['volunteer-certificates'] });
          }}
        >
          <Alert type="info" showIcon style={{ marginBottom: 12 }} message="证明仅依据审核通过的服务记录生成，免费出具；任何人可扫码或凭验证码核验。" />
          <Form.Item name="volunteerId" label="志愿者" rules={[{ required: true, message: '请选择志愿者' }]}>
            <Select showSearch filterOption={false} onSearch={setVolQ} options={(vols.data?.items ?? []).map((x) => ({ value: x.id, label: `${x.name}（${x.number}，${hours(x.approvedMinutes)} 小时）` }))} />
          </Form.Item>
          <Form.Item name="period" label="服务期间（不选为全部）">
            <DatePicker.RangePicker style={{ width: '100%' }} />
          </Form.Item>
        </FormDrawer>
      )}
    </Card>
  );
}

// ---------------------------------------------------------------- 注册比例

export function RatioPage() {
  const { data: me } = useMe();
  const [trail, setTrail] = useState<{ id: string; name: string }[]>([]);
  const parentId = trail.at(-1)?.id;
  const q = useQuery({ queryKey: ['volunteer-ratio', parentId], queryFn: () => get<RatioTable>(`/api/volunteers/ratio${qs({ parentId })}`) });
  const t = q.data;
  const isCity = me?.unit.kind === 'city' && can(me, 'volunteers.manage');
  return (
    <Card title="注册志愿者比例" extra={isCity && <SettingsButton />}>
      {t && (
        <>
          <Breadcrumb
            style={{ marginBottom: 12 }}
            items={[
              { title: <a onClick={() => setTrail([])}>{trail.length ? '全部' : t.parent.name}</a> },
              ...trail.map((x, i) => ({ title: <a onClick={() => setTrail(trail.slice(0, i + 1))}>{x.name}</a> })),
            ]}
          />
          <Alert
            type={t.total.meetsTarget ? 'success' : 'warning'}
            showIcon
            style={{ marginBottom: 12 }}
            message={`${t.parent.name}：注册志愿者 ${t.total.registered.toLocaleString('zh-CN')} 人，常住人口 ${t.total.population?.toLocaleString('zh-CN') ?? '未填'}，占比 ${t.total.ratioPercent ?? '—'}%（目标 ${(t.targetPermille / 10).toFixed(1)}%）；活跃志愿者 ${t.total.active} 人；人均服务 ${t.total.hoursPerCapita ?? '—'} 小时`}
          />
          <Table
            rowKey="unitId"
            loading={q.isLoading}
            dataSource={t.rows}
            pagination={false}
            data-testid="ratio-table"
            columns={[
              { title: '单位', dataIndex: 'unitName', render: (n, r) => (r.hasChildren ? <a onClick={() => setTrail([...trail, { id: r.unitId, name: r.unitName }])}>{n}</a> : n) },
              { title: '常住人口', dataIndex: 'population', render: (p: number | null) => (p === null ? '未填' : p.toLocaleString('zh-CN')) },
              { title: '注册志愿者', dataIndex: 'registered', render: (n: number) => n.toLocaleString('zh-CN') },
              { title: '占比', dataIndex: 'ratioPercent', render: (p, r) => (p === null ? '—' : <Tag color={r.meetsTarget ? 'green' : 'red'}>{p}%</Tag>) },
              { title: '活跃（近 12 个月）', dataIndex: 'active' },
              { title: '认定时长（小时）', dataIndex: 'approvedMinutes', render: hours },
              { title: '人均时长', dataIndex: 'hoursPerCapita', render: (h) => h ?? '—' },
              { title: '活动数', dataIndex: 'activities' },
            ]}
          />
          <div style={{ marginTop: 16 }}>
            活动主题：
            {t.themes.map((x) => (
              <Tag key={x.theme}>
                {x.theme} {x.activities}
              </Tag>
            ))}
          </div>
        </>
      )}
    </Card>
  );
}

function SettingsButton() {
  const [open, setOpen] = useState(false);
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const s = useQuery({ queryKey: ['volunteer-settings'], queryFn: () => get<VolunteerSettings>('/api/volunteers/settings'), enabled: open });
  return (
    <>
      <Button onClick={() => setOpen(true)}>全市设置</Button>
      {open && s.data && (
        <FormDrawer
          title="志愿服务全市设置"
          form={form}
          initialValues={{ percent: s.data.ratioTargetPermille / 10, stars: s.data.starThresholds.join(',') }}
          onClose={() => setOpen(false)}
          onSubmit={async (v: { percent: number; stars: string }) => {
            await api('PUT', '/api/volunteers/settings', {
              ratioTargetPermille: Math.round(v.percent * 10),
              starThresholds: v.stars.split(/[,，\s]+/).filter(Boolean).map(Number),
              version: s.data.version,
            });
            setOpen(false);
            qc.invalidateQueries();
          }}
        >
          <Form.Item name="percent" label="注册志愿者占常住人口目标（%）" rules={[{ required: true }]}>
            <InputNumber min={0.1} max={100} step={0.1} />
          </Form.Item>
          <Form.Item name="stars" label="一至五星累计时长门槛（小时，逗号分隔）" rules={[{ required: true }]}>
            <Input />
          </Form.Item>
        </FormDrawer>
      )}
    </>
  );
}

