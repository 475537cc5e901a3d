import { useQuery } from '@tanstack/react-query';
import { Form, Input, InputNumber, Select, Space, Switch } from 'antd';
import { useMemo, } from 'react';
import type { Paged } from '../../../../contracts/common.ts';
import type { CreatePointRequest, Grid, Point, PointType } from '../../../../contracts/places.ts';
import { get, patch, post, qs } from '../../../shared/api.ts';
import { type MapPolygon, MapView } from '../../../shared/components/MapView.tsx';
import { UnitSelect } from '../../../shared/components/UnitSelect.tsx';
import { FormDrawer } from '../../../shared/components/FormDrawer.tsx';

type Props = { point?: Point; onClose(): void; onSaved(p: Point): void };
type Values = Omit<CreatePointRequest, 'gridId'> & { gridId?: string | null };

/** Create or edit a point; the location is typed or picked on the mini map (WGS-84). */
export function PointForm({ point, onClose, onSaved }: Props) {
  const [form] = Form.useForm<Values>();
  const areaUnitId = Form.useWatch('areaUnitId', form);
  const lng = Form.useWatch('lng', form);
  const lat = Form.useWatch('lat', form);
  const types = useQuery({ queryKey: ['org', 'point-types', false], queryFn: () => get<PointType[]>('/api/org/point-types') });
  const grids = useQuery({
    queryKey: ['org', 'grids', 'options', areaUnitId],
    queryFn: () => get<Paged<Grid>>(`/api/org/grids${qs({ areaUnitId, pageSize: 200 })}`),
    enabled: !!areaUnitId,
  });

  // the grids of the chosen area give the mini map its bearings when there are no tiles
  const gridPolygons = useMemo<MapPolygon[]>(
    () => (grids.data?.items ?? []).filter((g) => g.polygon).map((g) => ({ id: g.id, name: g.name, rings: g.polygon!.coordinates })),
    [grids.data],
  );

  const submit = async (v: Values) => {
    const body = { ...v, gridId: v.gridId ?? null };
    const saved = point ? await patch<Point>(`/api/org/points/${point.id}`, { ...body, version: point.version }) : await post<Point>('/api/org/points', body);
    onSaved(saved);
  };

  return (
    <FormDrawer<Values>
      title={point ? `编辑点位「${point.name}」` : '新增点位'}
      size={640}
      form={form}
      onSubmit={submit}
      onClose={onClose}
      saveTestId="point-save"
      initialValues={
        point
          ? { ...point, unitIds: point.units.map((u) => u.id) }
          : { isKey: false, unitIds: [] }
      }
    >
      <Space style={{ width: '100%' }} styles={{ item: { flex: 1 } }}>
        <Form.Item name="code" label="点位编码" rules={[{ required: true, message: '请填写点位编码' }]}>
          <Input maxLength={40} data-testid="point-code" />
        </Form.Item>
        <Form.Item name="typeId" label="点位类型" rules={[{ required: true, message: '请选择点位类型' }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            options={(types.data ?? []).map((t) => ({ value: t.id, label: t.name }))}
            placeholder="选择类型"
            data-testid="point-type"
          />
        </Form.Item>
      </Space>
      <Form.Item name="name" label="点位名称" rules={[{ required: true, message: '请填写点位名称' }]}>
        <Input maxLength={100} data-testid="point-name" />
      </Form.Item>
      <Form.Item name="address" label="地址" rules={[{ required: true, message: '请填写地址' }]}>
        <Input maxLength={200} data-testid="point-address" />
      </Form.Item>
      <Space style={{ width: '100%' }} styles={{ item: { flex: 1 } }}>
        <Form.Item name="areaUnitId" label="所在街道 / 社区" rules={[{ required: true, message: '请选择所在街道或社区' }]}>
          <UnitSelect
            kinds={['street', 'community']}
            initialOptions={point ? [{ id: point.areaUnitId, name: point.areaUnitName }] : []}
            onChange={() => form.setFieldValue('gridId', null)}
            data-testid="point-area"
          />
        </Form.Item>
        <Form.Item name="gridId" label="所属网格">
          <Select
            allowClear
            disabled={!areaUnitId}
            placeholder={areaUnitId ? '选择网格' : '先选择所在区域'}
            options={(grids.data?.items ?? (point?.gridId ? [{ id: point.gridId, name: point.gridName ?? '' }] : [])).map((g) => ({ value: g.id, label: g.name }))}
          />
        </Form.Item>
      </Space>
      <Form.Item name="unitIds" label="责任单位" rules={[{ required: true, message: '至少指定一个责任单位' }]}>
        <UnitSelect multiple scope="city" initialOptions={point?.units ?? []} data-testid="point-units" />
      </Form.Item>
      <Form.Item name="isKey" label="重点点位" valuePropName="checked">
        <Switch />
      </Form.Item>
      <Space style={{ width: '100%' }} styles={{ item: { flex: 1 } }}>
        <Form.Item name="lng" label="经度（WGS-84）" rules={[{ required: true, message: '请填写经度或在地图上点选' }]}>
          <InputNumber min={73} max={136} step={0.0001} precision={6} style={{ width: '100%' }} data-testid="point-lng" />
        </Form.Item>
        <Form.Item name="lat" label="纬度（WGS-84）" rules={[{ required: true, message: '请填写纬度或在地图上点选' }]}>
          <InputNumber min={3} max={54} step={0.0001} precision={6} style={{ width: '100%' }} data-testid="point-lat" />
        </Form.Item>
      </Space>
      <div style={{ color: '#888', fontSize: 12, marginBottom: 6 }}>在地图上单击即可选取位置</div>
      <MapView
        height={260}
        picked={typeof lng === 'number' && typeof lat === 'number' ? { lng, lat } : null}
        onPick={(x, y) => form.setFieldsValue({ lng: x, lat: y })}
        polygons={gridPolygons}
        data-testid="point-pick-map"
      />
    </FormDrawer>
  );
}
