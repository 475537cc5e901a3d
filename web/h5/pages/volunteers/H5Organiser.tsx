import { QrcodeOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Tag } from 'antd';
import { Link, useParams } from 'react-router';
import type { Paged } from '../../../../contracts/common.ts';
import type { Activity, Attendance, CheckinCodeResponse } from '../../../../contracts/volunteers.ts';
import { SIGNUP_STATE_LABELS } from '../../../../contracts/volunteers.ts';
import { ApiError, get } from '../../../shared/api.ts';
import { formatDateTimeCn } from '../../../shared/format.ts';
import { H5Page } from '../../components/H5Page.tsx';
import '../../volunteer/volunteer.css';

/** Home-page entry for team admins: today's and coming activities they run, each opening the rotating code. */
export function H5VolunteerEntry() {
  const q = useQuery({
    queryKey: ['h5', 'volunteer-activities'],
    queryFn: () => get<Paged<Activity>>('/api/volunteer-activities?when=upcoming&pageSize=20'),
    retry: false,
  });
  const mine = (q.data?.items ?? []).filter((a) => a.canManage && !a.isCancelled);
  if (mine.length === 0) return null;
  return (
    <Card size="small" title="我组织的志愿活动">
      {mine.map((a) => (
        <Link key={a.id} to={`/volunteer-activities/${a.id}`} className="h5-row" data-testid="h5-organiser-activity">
          <span>
            <QrcodeOutlined /> {a.title}
          </span>
          <span style={{ color: '#999', fontSize: 12 }}>{formatDateTimeCn(a.startsAt)}</span>
        </Link>
      ))}
    </Card>
  );
}

/** The organiser's phone: the rotating QR and 6-digit code (new every 30 s) and the live attendance. */
export function H5OrganiserActivity() {
  const { id } = useParams();
  const activity = useQuery({ queryKey: ['h5', 'va', id], queryFn: () => get<Activity>(`/api/volunteer-activities/${id}`) });
  const code = useQuery({
    queryKey: ['h5', 'va-code', id],
    queryFn: () => get<CheckinCodeResponse>(`/api/volunteer-activities/${id}/checkin-code`),
    refetchInterval: (q) => {
      const exp = q.state.data ? Date.parse(q.state.data.expiresAt) - Date.now() : 5000;
      return Math.max(1000, Math.min(exp + 300, 30_000));
    },
    retry: false,
  });
  const attendance = useQuery({ queryKey: ['h5', 'va-att', id], queryFn: () => get<Attendance[]>(`/api/volunteer-activities/${id}/attendance`), refetchInterval: 5000 });
  const rows = attendance.data ?? [];
  const signed = rows.filter((r) => r.state === 'signed' || r.state === 'no_show');
  const inNow = rows.filter((r) => r.checkinAt && !r.checkoutAt).length;
  const out = rows.filter((r) => r.checkoutAt).length;
  return (
    <H5Page title="活动签到码" back>
      <Card size="small" title={activity.data?.title}>
        {code.error ? (
          <Alert type="error" showIcon message={code.error instanceof ApiError ? code.error.message : '无法获取签到码'} />
        ) : code.data ? (
          <>
            {/* biome-ignore lint/security/noDangerouslySetInnerHtml: the SVG is drawn by the qrcode package on our server from our own URL */}
            <div className="v-qr" data-testid="organiser-qr" dangerouslySetInnerHTML={{ __html: code.data.qrSvg }} />
            <div className="v-code" data-testid="organiser-code">
              {code.data.code}
            </div>
            <div style={{ textAlign: 'center', color: '#8c8c8c', fontSize: 12 }}>志愿者用手机相机扫码，或输入 6 位签到码；每 30 秒更新</div>
          </>
        ) : null}
      </Card>
      <Card size="small" title={`现场情况：已报名 ${signed.length}，在岗 ${inNow}，已签退 ${out}`} data-testid="organiser-attendance">
        {rows.map((r) => (
          <div key={r.volunteerId} className="h5-row">
            <span>
              {r.name} <span style={{ color: '#999', fontSize: 12 }}>{r.phoneMasked}</span>
            </span>
            <span>
              {r.checkoutAt ? <Tag color="blue">已签退</Tag> : r.checkinAt ? <Tag color="green">已签到 {formatDateTimeCn(r.checkinAt).slice(-5)}</Tag> : <Tag>{SIGNUP_STATE_LABELS[r.state]}</Tag>}
            </span>
          </div>
        ))}
      </Card>
    </H5Page>
  );
}
