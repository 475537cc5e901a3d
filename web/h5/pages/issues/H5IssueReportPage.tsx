import { AimOutlined, EnvironmentOutlined, RightOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { App, Button, Card, Cascader, Form, Input, Radio, Select, Spin } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { Me } from '../../../../contracts/auth.ts';
import type { Paged } from '../../../../contracts/common.ts';
import type { IssuePlace, NearbyPoints } from '../../../../contracts/issue-place.ts';
import {
  type CreateIssueRequest,
  type IssueCategory,
  type IssueDetail,
  type IssueDuplicatesResponse,
  type IssueSeverity,
  IssueSeverityLabels,
  type IssueSource,
  IssueSourceLabels,
  IssueStateLabels,
  SeverityLimitRule,
  TimeLimitUnitLabels,
} from '../../../../contracts/issues.ts';
import type { Grid } from '../../../../contracts/places.ts';
import { get, post, qs } from '../../../shared/api.ts';
import { MapView } from '../../../shared/components/MapView.tsx';
import { UnitSelect } from '../../../shared/components/UnitSelect.tsx';
import { applyServerError } from '../../../shared/forms.ts';
import { can } from '../../../shared/session.ts';
import { H5Page } from '../../components/H5Page.tsx';
import { PhotoCapture, type PhotoState } from './PhotoCapture.tsx';
import { commonTitles, defaultSource, ErrorBox, errorText, formatDistance, insidePolygon, STAFF_SOURCES, useGeolocation } from './issueKit.tsx';

type FormValues = { category?: string[]; severity: IssueSeverity; title?: string; description?: string; source: IssueSource; areaUnitId?: string };

/** 上报问题 on the phone: camera photos, GPS or a map tap, the nearest points, two-level category, quick titles, duplicate hints. */
export function H5IssueReportPage({ me }: { me: Me }) {
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const gps = useGeolocation();
  const [tapped, setTapped] = useState<{ lng: number; lat: number } | null>(null);
  const [pointId, setPointId] = useState<string | null>(null);
  const [photos, setPhotos] = useState<PhotoState>({ ids: [], uploading: false, failed: false });
  const [photoError, setPhotoError] = useState<string | null>(null);
  const category = Form.useWatch('category', form);
  const title = Form.useWatch('title', form);
  const canReadOrg = can(me, 'org.read');

  const categories = useQuery({ queryKey: ['issue-categories'], queryFn: () => get<IssueCategory[]>('/api/issue-categories'), staleTime: 300_000 });
  const myGrids = useQuery({
    queryKey: ['h5', 'my-grids', me.user.id],
    queryFn: () => get<Paged<Grid>>(`/api/org/grids${qs({ workerId: me.user.id, pageSize: 50 })}`),
    enabled: canReadOrg,
  });

  const position = tapped ?? (gps.fix ? { lng: gps.fix.lng, lat: gps.fix.lat } : null);
  /** the points I may see nearest to the position (the server searches, whatever the city's size) */
  const nearby = useQuery({
    queryKey: ['h5', 'nearby-points', position?.lng, position?.lat],
    queryFn: () => get<NearbyPoints>(`/api/issues/nearby-points${qs({ lng: position!.lng, lat: position!.lat })}`),
    enabled: canReadOrg && !!position,
    placeholderData: (prev) => prev,
  });
  const near = useMemo(() => nearby.data?.items ?? [], [nearby.data]);
  // the position itself is one of the fitted markers (under the orange pick), so fitting the view
  // to the nearby points never pans the place the user chose out of sight
  const mapMarkers = useMemo(
    () => [
      ...(position && near.length ? [{ id: 'here', name: '问题位置', lng: position.lng, lat: position.lat }] : []),
      ...near.map((m) => ({ id: m.id, name: m.name, lng: m.lng, lat: m.lat, isKey: m.isKey, typeName: m.typeName })),
    ],
    [position, near],
  );
  /**
   * 网格员 off a point: the grid of mine the position lies in; without a position (or a drawn
   * boundary) my only grid. A place outside my grids is left to the server's place rule.
   */
  const grid = useMemo(() => {
    const grids = myGrids.data?.items ?? [];
    if (position) {
      const hit = grids.find((g) => g.polygon && insidePolygon(position, g.polygon.coordinates));
      if (hit) return hit;
      return grids.length === 1 && !grids[0].polygon ? grids[0] : null;
    }
    return grids.length === 1 ? grids[0] : null;
  }, [position, myGrids.data]);

  /** Off my points and grids: where the position belongs (a point within 50 m, the grid around it, the area). */
  const autoPlace = useQuery({
    queryKey: ['issue-place', position?.lng, position?.lat],
    queryFn: () => get<IssuePlace>(`/api/issues/place${qs({ lng: position!.lng, lat: position!.lat })}`),
    enabled: !!position && !pointId && !grid,
    retry: false,
  });

  const options = useMemo(() => {
    const all = categories.data ?? [];
    return all
      .filter((c) => c.parentId === null)
      .map((top) => ({ value: top.id, label: top.name, children: all.filter((c) => c.parentId === top.id).map((s) => ({ value: s.id, label: s.name })) }));
  }, [categories.data]);
  const sub = categories.data?.find((c) => c.id === category?.[category.length - 1]);
  const defaultUnit = sub && (sub.defaultUnitName ?? categories.data?.find((c) => c.id === sub.parentId)?.defaultUnitName);
  const severity = Form.useWatch('severity', form) as IssueSeverity | undefined;

  const dupQuery = sub && (pointId ? { categoryId: sub.id, pointId } : position ? { categoryId: sub.id, lng: position.lng, lat: position.lat } : null);
  const duplicates = useQuery({
    queryKey: ['issue-duplicates', dupQuery],
    queryFn: () => get<IssueDuplicatesResponse>(`/api/issues/duplicates${qs(dupQuery ?? {})}`),
    enabled: !!dupQuery,
    retry: false,
  });

  const submit = useMutation({
    mutationFn: (body: CreateIssueRequest) => post<IssueDetail>('/api/issues', body),
    onSuccess: (issue) => {
      message.success(`已上报，编号 ${issue.number}`);
      navigate(`/issues/${issue.id}`, { replace: true });
    },
    onError: (e) => {
      applyServerError(form, e);
    },
  });

  const onFinish = (v: FormValues) => {
    if (photos.uploading) return setPhotoError('照片还在上传，请稍候');
    if (photos.ids.length === 0) return setPhotoError('请至少拍一张现场照片');
    setPhotoError(null);
    const auto = autoPlace.data;
    const place = pointId
      ? { pointId }
      : grid
        ? { gridId: grid.id }
        : v.areaUnitId
          ? { areaUnitId: v.areaUnitId }
          : auto
            ? { pointId: auto.pointId, gridId: auto.gridId, areaUnitId: auto.areaUnitId }
            : {};
    submit.mutate({
      source: v.source,
      categoryId: v.category![v.category!.length - 1],
      severity: v.severity,
      title: v.title!,
      description: v.description ?? '',
      ...place,
      ...(position && { lng: position.lng, lat: position.lat }),
      photos: photos.ids,
    } as CreateIssueRequest);
  };

  return (
    <H5Page title="上报问题" back>
      <Form
        form={form}
        layout="vertical"
        onFinish={onFinish}
        onFinishFailed={() => {
          if (photos.ids.length === 0 && !photos.uploading) setPhotoError('请至少拍一张现场照片');
        }}
        initialValues={{ severity: 'normal', source: defaultSource(me) }} requiredMark={false} data-testid="issue-report-form">
        <Card size="small" title="现场照片" style={{ marginBottom: 12 }}>
          <PhotoCapture
            onChange={(s) => {
              setPhotos(s);
              if (s.ids.length) setPhotoError(null);
            }}
          />
          {photoError && (
            <div style={{ color: '#ff4d4f', marginTop: 6 }} data-testid="photo-error">
              {photoError}
            </div>
          )}
        </Card>

        <Card
          size="small"
          title="位置"
          style={{ marginBottom: 12 }}
          extra={
            <Button type="link" icon={<AimOutlined />} loading={gps.busy} onClick={() => {
                setTapped(null);
                gps.locate();
              }}>
              重新定位
            </Button>
          }
        >
          <div data-testid="issue-position" style={{ marginBottom: 8, fontSize: 13 }}>
            {tapped ? (
              <span>
                <EnvironmentOutlined /> 地图选点 {tapped.lng.toFixed(6)}, {tapped.lat.toFixed(6)}
              </span>
            ) : gps.fix ? (
              <span>
                <AimOutlined /> GPS 定位 {gps.fix.lng.toFixed(6)}, {gps.fix.lat.toFixed(6)}（精度约 {gps.fix.accuracy} 米{gps.fix.accuracy > 100 ? '，偏差较大，可在地图上点选' : ''}）
              </span>
            ) : gps.busy ? (
              <span>
                <Spin size="small" /> 正在定位…
              </span>
            ) : (
              <span style={{ color: '#d46b08' }}>{gps.error ?? '尚未定位'}</span>
            )}
          </div>
          <MapView
            height={200}
            picked={position}
            markers={mapMarkers}
            onPick={(lng, lat) => {
              setTapped({ lng, lat });
              setPointId(null);
            }}
            onMarkerClick={(id) => {
              if (id !== 'here') setPointId(id);
            }}
            data-testid="issue-map"
          />
          <div style={{ fontSize: 12, color: '#8c8c8c', marginTop: 4 }}>定位不准时，点地图选择问题所在位置</div>
          {near.length > 0 && (
            <div style={{ marginTop: 8 }} data-testid="near-points">
              <div className="h5-field-label">附近 {nearby.data?.radiusM ?? ''} 米内的点位（可选，选中后按点位的责任单位派遣）</div>
              {near.map((p) => (
                <button type="button" key={p.id} className={`h5-near${pointId === p.id ? ' h5-near-on' : ''}`} onClick={() => setPointId(pointId === p.id ? null : p.id)} data-testid="near-point">
                  <EnvironmentOutlined style={{ color: p.isKey ? '#c8102e' : '#1677ff' }} />
                  <div style={{ flex: 1, minWidth: 0 }}>
                    <div className="h5-row-title">{p.name}</div>
                    <div className="h5-row-sub">
                      {p.typeName} · {formatDistance(p.distanceM)}
                    </div>
                  </div>
                  {pointId === p.id && <span style={{ color: '#c8102e' }}>已选</span>}
                </button>
              ))}
            </div>
          )}
          {!pointId && grid && (
            <div style={{ marginTop: 8, fontSize: 13 }} data-testid="issue-grid">
              所在网格：{grid.name}（{grid.communityName}）
            </div>
          )}
          {!pointId && !grid && autoPlace.data && (
            <div style={{ marginTop: 8, fontSize: 13 }} data-testid="issue-auto-place">
              按位置识别：{autoPlace.data.label}
            </div>
          )}
          {!pointId && !grid && autoPlace.error && (
            <div style={{ marginTop: 8, fontSize: 13, color: '#cf1322' }} data-testid="issue-auto-place-error">
              {errorText(autoPlace.error)}
            </div>
          )}
          {!pointId && !grid && canReadOrg && (
            <Form.Item
              name="areaUnitId"
              label={autoPlace.data ? '所在区域（可改选）' : '所在区域'}
              style={{ marginTop: 8, marginBottom: 0 }}
              rules={[{ required: !autoPlace.data, message: '请选择所在区域，或选择附近点位' }]}
            >
              <UnitSelect kinds={['district', 'street', 'community']} placeholder="选择区、街道或社区" style={{ width: '100%' }} data-testid="issue-area" />
            </Form.Item>
          )}
          {!pointId && !grid && !canReadOrg && !position && <div style={{ marginTop: 8, fontSize: 13, color: '#d46b08' }}>请先定位或在地图上点选问题位置</div>}
        </Card>

        <Card size="small" title="问题" style={{ marginBottom: 12 }}>
          <Form.Item name="category" label="问题分类" rules={[{ required: true, message: '请选择问题分类（大类和小类）' }]}>
            <Cascader
              options={options}
              placeholder="选择大类 / 小类"
              size="large"
              loading={categories.isLoading}
              data-testid="issue-category"
              showSearch={{ filter: (input, path) => path.some((o) => String(o.label).includes(input)) }}
              onChange={() => form.setFieldValue('title', undefined)}
            />
          </Form.Item>
          {sub && (
            <div style={{ marginTop: -12, marginBottom: 12, fontSize: 12, color: '#8c8c8c' }}>
              处置时限 {sub.timeLimitDays} 个{TimeLimitUnitLabels[sub.timeLimitUnit]}
              {defaultUnit ? ` · 默认责任单位 ${defaultUnit}` : ''}
            </div>
          )}
          {duplicates.data && duplicates.data.items.length > 0 && (
            <div className="h5-dup" data-testid="issue-duplicates" style={{ marginBottom: 12 }}>
              <div style={{ fontWeight: 600, marginBottom: 4 }}>附近 {duplicates.data.radiusM} 米内已有同类问题，可能是同一件事：</div>
              {duplicates.data.items.map((d) => (
                <Link key={d.id} to={`/issues/${d.id}`} className="h5-row" data-testid="issue-duplicate">
                  <div className="h5-row-main">
                    <div className="h5-row-title">{d.title}</div>
                    <div className="h5-row-sub">
                      {d.number} · {IssueStateLabels[d.state]} · {formatDistance(d.distanceM)}
                    </div>
                  </div>
                  <span style={{ color: '#c8102e', fontSize: 13 }}>
                    查看 <RightOutlined />
                  </span>
                </Link>
              ))}
              <div style={{ fontSize: 12, color: '#8c8c8c' }}>确属不同问题的，继续上报即可；重复的上报会由受理人员合并。</div>
            </div>
          )}
          <Form.Item name="title" label="标题" rules={[{ required: true, message: '请填写标题' }, { max: 100, message: '标题最多 100 个字符' }]}>
            <Input size="large" placeholder="一句话说明问题" maxLength={100} data-testid="issue-title" />
          </Form.Item>
          {sub && (
            <div className="h5-chips" style={{ marginTop: -12, marginBottom: 16 }} data-testid="title-chips">
              {commonTitles(sub.name).map((t) => (
                <button type="button" key={t} className={`h5-chip${title === t ? ' h5-chip-on' : ''}`} onClick={() => form.setFieldValue('title', t)}>
                  {t}
                </button>
              ))}
            </div>
          )}
          <Form.Item name="severity" label="严重程度" extra={severity && severity !== 'normal' ? `处置期限按${SeverityLimitRule[severity]}` : undefined}>
            <Radio.Group optionType="button" buttonStyle="solid" size="large" options={Object.entries(IssueSeverityLabels).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Form.Item name="description" label="描述" rules={[{ max: 2000, message: '描述最多 2000 个字符' }]}>
            <Input.TextArea rows={3} placeholder="具体位置、现场情况" maxLength={2000} data-testid="issue-description" />
          </Form.Item>
          <Form.Item name="source" label="问题来源" style={{ marginBottom: 0 }}>
            <Select size="large" options={STAFF_SOURCES.map((s) => ({ value: s, label: IssueSourceLabels[s] }))} data-testid="issue-source" />
          </Form.Item>
        </Card>
        <ErrorBox error={submit.error} />
        <div className="h5-submit-bar">
          <Button type="primary" htmlType="submit" size="large" block loading={submit.isPending} disabled={photos.uploading} data-testid="issue-submit">
            {photos.uploading ? '照片上传中…' : '提交上报'}
          </Button>
        </div>
      </Form>
    </H5Page>
  );
}
