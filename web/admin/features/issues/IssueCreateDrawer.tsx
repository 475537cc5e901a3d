import { useQuery } from '@tanstack/react-query';
import { Alert, Cascader, Form, Input, InputNumber, Radio, Select, Space } from 'antd';
import { useState } from 'react';
import type { Paged } from '../../../../contracts/common.ts';
import {
  type CreateIssueRequest,
  type IssueDetail,
  type IssueState,
  IssueSeverityLabels,
  IssueSourceLabels,
  IssueStateLabels,
} from '../../../../contracts/issues.ts';
import type { Grid, Point } from '../../../../contracts/places.ts';
import { get, post, qs } from '../../../shared/api.ts';
import { FormDrawer } from '../../../shared/components/FormDrawer.tsx';
import { MapView } from '../../../shared/components/MapView.tsx';
import { UnitSelect } from '../../../shared/components/UnitSelect.tsx';
import { categoryOptions, type PhotoFile, PhotoUpload, photoIds, useCategories } from './kit.tsx';

/** GET /api/issues/duplicates (contracts/issues.ts IssueDuplicatesResponse). */
type Duplicates = { radiusM: number; items: { id: string; number: string; title: string; state: IssueState; distanceM: number }[] };
type Values = Omit<CreateIssueRequest, 'categoryId' | 'photos'> & { categoryPath?: string[]; place: 'point' | 'grid' | 'area'; photoFiles?: PhotoFile[] };

/**
 * 新建问题: category (小类), severity, title, description, the place as a point (searched), a
 * grid or an area, address and coordinates (tap the map), photos; open issues of the same
 * category nearby are offered as possible duplicates before saving.
 */
export function IssueCreateDrawer({ onClose, onCreated }: { onClose(): void; onCreated(i: IssueDetail): void }) {
  const [form] = Form.useForm<Values>();
  const cats = useCategories();
  const place = Form.useWatch('place', form);
  const catPath = Form.useWatch('categoryPath', form);
  const pointId = Form.useWatch('pointId', form);
  const lng = Form.useWatch('lng', form);
  const lat = Form.useWatch('lat', form);
  const categoryId = catPath?.[catPath.length - 1];
  const [pointQ, setPointQ] = useState('');
  const [gridQ, setGridQ] = useState('');

  const points = useQuery({
    queryKey: ['org', 'points', 'pick', pointQ],
    queryFn: () => get<Paged<Point>>(`/api/org/points${qs({ q: pointQ, pageSize: 30 })}`),
    enabled: place === 'point',
  });
  const grids = useQuery({
    queryKey: ['org', 'grids', 'pick', gridQ],
    queryFn: () => get<Paged<Grid>>(`/api/org/grids${qs({ q: gridQ, pageSize: 30 })}`),
    enabled: place === 'grid',
  });
  const located = typeof lng === 'number' && typeof lat === 'number';
  const dupKey = categoryId && (pointId || located) ? { categoryId, ...(located ? { lng, lat } : { pointId }) } : null;
  const duplicates = useQuery({
    queryKey: ['issues', 'duplicates', dupKey],
    queryFn: () => get<Duplicates>(`/api/issues/duplicates${qs(dupKey!)}`),
    enabled: !!dupKey,
    retry: false,
  });

  const submit = async (v: Values) => {
    const { categoryPath: path, place: where, photoFiles, ...rest } = v;
    const body: CreateIssueRequest = {
      ...rest,
      categoryId: path?.[path.length - 1] ?? '',
      pointId: where === 'point' ? rest.pointId : null,
      gridId: where === 'grid' ? rest.gridId : null,
      areaUnitId: where === 'area' ? rest.areaUnitId : null,
      reporterPhone: rest.reporterPhone || null,
      photos: photoIds(photoFiles),
    };
    onCreated(await post<IssueDetail>('/api/issues', body));
  };

  return (
    <FormDrawer<Values>
      title="新建问题"
      size={640}
      form={form}
      onSubmit={submit}
      onClose={onClose}
      successMessage="问题已上报"
      saveTestId="issue-save"
      initialValues={{ source: 'inspection', severity: 'normal', place: 'point', description: '' }}
    >
      <Space style={{ width: '100%' }} styles={{ item: { flex: 1 } }} wrap>
        <Form.Item name="categoryPath" label="问题分类" rules={[{ required: true, type: 'array', min: 2, message: '请选择到小类' }]}>
          <Cascader options={categoryOptions(cats.data ?? [])} placeholder="大类 / 小类" showSearch data-testid="issue-form-category" />
        </Form.Item>
        <Form.Item name="source" label="来源" rules={[{ required: true, message: '请选择来源' }]}>
          <Select style={{ minWidth: 130 }} options={Object.entries(IssueSourceLabels).map(([value, label]) => ({ value, label }))} />
        </Form.Item>
        <Form.Item name="severity" label="紧急程度">
          <Radio.Group optionType="button" options={Object.entries(IssueSeverityLabels).map(([value, label]) => ({ value, label }))} />
        </Form.Item>
      </Space>
      <Form.Item name="title" label="标题" rules={[{ required: true, whitespace: true, message: '请填写标题' }]}>
        <Input maxLength={100} placeholder="如：菜市场门口暴露垃圾" data-testid="issue-form-title" />
      </Form.Item>
      <Form.Item name="description" label="问题描述">
        <Input.TextArea rows={3} maxLength={2000} showCount />
      </Form.Item>
      <Form.Item name="place" label="问题位置">
        <Radio.Group
          optionType="button"
          options={[
            { value: 'point', label: '点位' },
            { value: 'grid', label: '网格' },
            { value: 'area', label: '区域' },
          ]}
        />
      </Form.Item>
      {place === 'point' && (
        <Form.Item name="pointId" label="点位" rules={[{ required: true, message: '请选择点位' }]}>
          <Select
            showSearch={{ filterOption: false, onSearch: setPointQ }}
            placeholder="输入点位名称、地址或编码搜索"
            loading={points.isFetching}
            options={(points.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.name}（${p.areaPathNames ?? p.address}）` }))}
            onChange={(id) => {
              const p = points.data?.items.find((x) => x.id === id);
              if (p) form.setFieldsValue({ address: p.address, lng: p.lng, lat: p.lat });
            }}
            data-testid="issue-form-point"
          />
        </Form.Item>
      )}
      {place === 'grid' && (
        <Form.Item name="gridId" label="网格" rules={[{ required: true, message: '请选择网格' }]}>
          <Select
            showSearch={{ filterOption: false, onSearch: setGridQ }}
            placeholder="输入网格名称搜索"
            loading={grids.isFetching}
            options={(grids.data?.items ?? []).map((g) => ({ value: g.id, label: g.name }))}
          />
        </Form.Item>
      )}
      {place === 'area' && (
        <Form.Item name="areaUnitId" label="所在区县 / 街道 / 社区" rules={[{ required: true, message: '请选择所在区域' }]}>
          <UnitSelect kinds={['district', 'street', 'community']} />
        </Form.Item>
      )}
      <Form.Item name="address" label="地址">
        <Input maxLength={200} placeholder="门牌号或参照物" />
      </Form.Item>
      <Space style={{ width: '100%' }} styles={{ item: { flex: 1 } }}>
        <Form.Item name="lng" label="经度（WGS-84）">
          <InputNumber min={73} max={136} step={0.0001} precision={6} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="lat" label="纬度（WGS-84）">
          <InputNumber min={3} max={54} step={0.0001} precision={6} style={{ width: '100%' }} />
        </Form.Item>
      </Space>
      <div style={{ color: '#888', fontSize: 12, marginBottom: 6 }}>在地图上单击即可选取位置</div>
      <MapView height={220} picked={located ? { lng, lat } : null} onPick={(x, y) => form.setFieldsValue({ lng: x, lat: y })} data-testid="issue-pick-map" />
      {dupKey && (duplicates.data?.items.length ?? 0) > 0 && (
        <Alert
          style={{ marginTop: 12 }}
          type="warning"
          showIcon
          data-testid="issue-duplicates"
          title={`附近 ${duplicates.data!.radiusM} 米内有 ${duplicates.data!.items.length} 个同类未结问题，可能重复`}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>
              {duplicates.data!.items.map((d) => (
                <li key={d.id}>
                  <a href={`/issues/${d.id}`} target="_blank" rel="noreferrer">
                    {d.number} {d.title}
                  </a>{' '}
                  （{IssueStateLabels[d.state]}，相距约 {Math.round(d.distanceM)} 米）
                </li>
              ))}
            </ul>
          }
        />
      )}
      <Form.Item name="reporterPhone" label="联系电话（选填，仅用于回访，加密保存）" style={{ marginTop: 12 }} rules={[{ pattern: /^1\d{10}$/, message: '手机号格式不正确' }]}>
        <Input maxLength={11} style={{ width: 200 }} />
      </Form.Item>
      <Form.Item name="photoFiles" label="现场照片（最多 9 张）">
        <PhotoUpload testId="issue-form-photos" />
      </Form.Item>
    </FormDrawer>
  );
}
