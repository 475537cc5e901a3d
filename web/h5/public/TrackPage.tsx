import { SearchOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Image, Input, Spin, Timeline } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { PublicPhoto, PublicReportStatus } from '../../../contracts/public-report.ts';
import { ApiError, get } from '../../shared/api.ts';
import { formatDate, formatDateTime } from '../../shared/format.ts';
import './public.css';


function CodeForm({ initial = '' }: { initial?: string }) {
  const navigate = useNavigate();
  const [code, setCode] = useState(initial);
  const go = () => {
    const c = code.replace(/[\s-]/g, '').toUpperCase();
    if (c) navigate(`/track/${c}`);
  };
  return (
    <div style={{ display: 'flex', gap: 8 }}>
      <Input
        placeholder="输入 8 位查询码"
        value={code}
        maxLength={12}
        onChange={(e) => setCode(e.target.value)}
        onPressEnter={go}
        style={{ textTransform: 'uppercase', letterSpacing: 2 }}
        data-testid="track-input"
      />
      <Button type="primary" icon={<SearchOutlined />} onClick={go}>
        查询
      </Button>
    </div>
  );
}

function Photos({ label, photos, empty }: { label: string; photos: PublicPhoto[]; empty: string }) {
  return (
    <div className="pub-ba-col">
      <div className="label">{label}</div>
      {photos.length ? (
        <Image.PreviewGroup>
          {photos.map((p, i) => (
            <div key={p.url} style={{ display: i === 0 ? 'block' : 'none' }}>
              <Image src={p.thumbnailUrl} preview={{ src: p.url }} alt={label} />
            </div>
          ))}
        </Image.PreviewGroup>
      ) : (
        <div className="pub-ba-empty">{empty}</div>
      )}
      {photos.length > 1 && <div className="pub-hint">共 {photos.length} 张，点击查看</div>}
    </div>
  );
}

function Status({ s }: { s: PublicReportStatus }) {
  return (
    <>
      <Card size="small" data-testid="track-status">
        <div style={{ color: '#8c8c8c', fontSize: 13 }}>办理状态</div>
        <div className={`pub-state ${s.isClosed ? 'closed' : 'open'}`} data-testid="track-state">
          {s.stateText}
        </div>
        <div className="pub-kv">
          <span className="k">问题编号</span>
          <span className="v">{s.number}</span>
        </div>
        <div className="pub-kv">
          <span className="k">问题类型</span>
          <span className="v">{s.groupName ? `${s.groupName} · ${s.categoryName}` : s.categoryName}</span>
        </div>
        {s.responsibleUnitName && (
          <div className="pub-kv">
            <span className="k">处理单位</span>
            <span className="v">{s.responsibleUnitName}</span>
          </div>
        )}
        {s.address && (
          <div className="pub-kv">
            <span className="k">位置</span>
            <span className="v">{s.address}</span>
          </div>
        )}
        <div className="pub-kv">
          <span className="k">提交时间</span>
          <span className="v">{formatDate(s.createdAt)}</span>
        </div>
      </Card>
      <Card size="small" title="整改前后" data-testid="track-photos">
        <div className="pub-ba">
          <Photos label="上报照片" photos={s.beforePhotos} empty="无照片" />
          <Photos label="整改后照片" photos={s.afterPhotos} empty={s.isClosed ? '无整改照片' : '整改完成后在此显示'} />
        </div>
      </Card>
      <Card size="small" title="办理过程" data-testid="track-steps">
        <Timeline
          reverse
          items={s.steps.map((step, i) => ({
            color: i === s.steps.length - 1 ? (s.isClosed ? 'green' : 'red') : 'gray',
            content: (
              <div>
                <div style={{ fontSize: 14 }}>{step.text}</div>
                <div style={{ fontSize: 12, color: '#8c8c8c' }}>{formatDateTime(step.at)}</div>
              </div>
            ),
          }))}
        />
      </Card>
    </>
  );
}

/** The public status page of a report: /h5/track/:code (and /h5/track to type a code). */
export function TrackPage() {
  const { code } = useParams();
  const { data, isLoading, error } = useQuery({
    queryKey: ['public', 'track', code],
    queryFn: () => get<PublicReportStatus>(`/api/public/reports/${encodeURIComponent(code!)}`),
    enabled: !!code,
    retry: false,
  });
  useEffect(() => {
    document.title = '办理进度 · 创文通';
  }, []);
  return (
    <div className="pub">
      <div className="pub-top">
        <h1>办理进度</h1>
        <div className="sub">{code ? `查询码 ${code}` : '凭查询码查看您反映问题的办理进度'}</div>
      </div>
      <div className="pub-body">
        {!code && (
          <Card size="small">
            <CodeForm />
          </Card>
        )}
        {code && isLoading && (
          <Card>
            <Spin />
          </Card>
        )}
        {code && error && (
          <Card size="small">
            <Alert type="warning" showIcon title={error instanceof ApiError ? error.message : '查询失败，请稍后重试'} style={{ marginBottom: 12 }} />
            <CodeForm initial={code} />
          </Card>
        )}
        {data && <Status s={data} />}
        <div className="pub-foot">
          <Link to="/report">我要随手拍</Link>
        </div>
      </div>
    </div>
  );
}
