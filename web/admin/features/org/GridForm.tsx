import { useQuery } from '@tanstack/react-query';
import { Form, Input, InputNumber, Select, Space } from 'antd';
import { type Grid, type GridWorkerOption, GeoPolygon } from '../../../../contracts/places.ts';
import { get, patch, post, qs } from '../../../shared/api.ts';
import { MapView } from '../../../shared/components/MapView.tsx';
import { UnitSelect } from '../../../shared/components/UnitSelect.tsx';
import { FormDrawer } from '../../../shared/components/FormDrawer.tsx';

type Props = { grid?: Grid; onClose(): void; onSaved(g: Grid): void };
type Values = { code: string; name: string; communityId: string; households?: number | null; workerIds: string[]; polygonText?: string };

/** Parses the GeoJSON typed into the form; undefined text means no boundary. */
function parsePolygon(text: string | undefined): { ok: true; value: GeoPolygon | null } | { ok: false; message: string } {
  if (!text?.trim()) return { ok: true, value: null };
  try {
    const r = GeoPolygon.safeParse(JSON.parse(text));
    return r.success ? { ok: true, value: r.data } : { ok: false, message: r.error.issues[0]?.message ?? '边界格式不正确' };
  } catch {
    return { ok: false, message: '边界须为 GeoJSON Polygon（JSON 格式）' };
  }
}

/** The boundary as editable text, coordinates rounded to 6 decimals (about 0.1 m). */
const toPolygonText = (p: GeoPolygon) =>
  JSON.stringify({ type: 'Polygon', coordinates: p.coordinates.map((ring) => ring.map(([x, y]) => [Number(x.toFixed(6)), Number(y.toFixed(6))])) });

export function GridForm({ grid, onClose, onSaved }: Props) {
  const [form] = Form.useForm<Values>();
  const communityId = Form.useWatch('communityId', form);
  const polygonText = Form.useWatch('polygonText', form);
  const preview = parsePolygon(polygonText);
  const workers = useQuery({
    queryKey: ['org', 'grid-worker-options', communityId],
    queryFn: () => get<GridWorkerOption[]>(`/api/org/grid-worker-options${qs({ communityId })}`),
    enabled: !!communityId,
  });
  const workerOptions = new Map<string, string>();
  for (const w of grid?.workers ?? []) workerOptions.set(w.id, `${w.name}（${w.phoneMasked ?? '无电话'}）`);
  for (const w of workers.data ?? []) workerOptions.set(w.id, `${w.name}（${w.phoneMasked ?? '无电话'}）`);

  const submit = async (v: Values) => {
    const polygon = parsePolygon(v.polygonText);
    if (!polygon.ok) {
      form.setFields([{ name: 'polygonText', errors: [polygon.message] }]);
      return false;
    }
    const body = { code: v.code, name: v.name, communityId: v.communityId, households: v.households ?? null, workerIds: v.workerIds ?? [], polygon: polygon.value };
    const saved = grid ? await patch<Grid>(`/api/org/grids/${grid.id}`, { ...body, version: grid.version }) : await post<Grid>('/api/org/grids', body);
    onSaved(saved);
  };

  return (
    <FormDrawer<Values>
      title={grid ? `编辑网格「${grid.name}」` : '新增网格'}
      size={600}
      form={form}
      onSubmit={submit}
      onClose={onClose}
      saveTestId="grid-save"
      initialValues={
        grid
          ? { ...grid, workerIds: grid.workers.map((w) => w.id), polygonText: grid.polygon ? toPolygonText(grid.polygon) : '' }
          : { workerIds: [] }
      }
    >
      <Space style={{ width: '100%' }} styles={{ item: { flex: 1 } }}>
        <Form.Item name="code" label="网格编码" rules={[{ required: true, message: '请填写网格编码' }]}>
          <Input maxLength={40} data-testid="grid-code" />
        </Form.Item>
        <Form.Item name="households" label="户数">
          <InputNumber min={0} style={{ width: '100%' }} />
        </Form.Item>
      </Space>
      <Form.Item name="name" label="网格名称" rules={[{ required: true, message: '请填写网格名称' }]}>
        <Input maxLength={60} data-testid="grid-name" />
      </Form.Item>
      <Form.Item name="communityId" label="所属社区" rules={[{ required: true, message: '请选择所属社区' }]}>
        <UnitSelect
          kinds={['community']}
          initialOptions={grid ? [{ id: grid.communityId, name: grid.communityName }] : []}
          onChange={() => form.setFieldValue('workerIds', [])}
          data-testid="grid-community"
        />
      </Form.Item>
      <Form.Item name="workerIds" label="网格员" extra="本社区（或下级单位）具有“网格员”角色的在用用户">
        <Select
          mode="multiple"
          disabled={!communityId}
          loading={workers.isFetching}
          placeholder={communityId ? '选择网格员' : '先选择所属社区'}
          options={[...workerOptions].map(([value, label]) => ({ value, label }))}
          optionFilterProp="label"
          data-testid="grid-workers"
        />
      </Form.Item>
      <Form.Item name="polygonText" label="边界（GeoJSON Polygon，WGS-84）" extra='例如 {"type":"Polygon","coordinates":[[[113.6,34.7],[113.61,34.7],[113.61,34.71],[113.6,34.7]]]}'>
        <Input.TextArea rows={3} />
      </Form.Item>
      {preview.ok && preview.value && (
        <MapView height={240} polygons={[{ id: 'preview', name: '网格边界', rings: preview.value.coordinates }]} data-testid="grid-preview-map" />
      )}
    </FormDrawer>
  );
}
