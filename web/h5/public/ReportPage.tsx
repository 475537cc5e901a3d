import { AimOutlined, CameraOutlined, CheckCircleFilled, CloseOutlined, CopyOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Input, Spin } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { PUBLIC_MAX_PHOTOS, PUBLIC_PHOTO_TYPES_LABEL, type PublicCategoryGroup, type PublicMapArea, type PublicReportCreated } from '../../../contracts/public-report.ts';
import { ApiError, get, post } from '../../shared/api.ts';
import { MapView } from '../../shared/components/MapView.tsx';
import './public.css';

/** The client-side check only spares a useless upload; the server decides (its limit is configurable). */
const CLIENT_MAX_MB = 10;

type Photo = { file: File; url: string };

/** Photos above this are re-encoded in the browser (longest side 2560 px, JPEG 85%) to spare the reporter's data plan. */
const SHRINK_ABOVE_BYTES = 3 * 1024 * 1024;
const MAX_SIDE = 2560;

/** A big photo made smaller; anything the browser cannot decode (HEIC in most browsers) is kept as it is. */
async function shrink(file: File): Promise<File> {
  if (file.size <= SHRINK_ABOVE_BYTES || typeof createImageBitmap !== 'function') return file;
  try {
    const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
    const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
    if (!blob || blob.size >= file.size) return file;
    return new File([blob], file.name.replace(/\.[^.]*$/, '') + '.jpg', { type: 'image/jpeg' });
  } catch {
    return file;
  }
}
type Errors = Partial<Record<'photo' | 'categoryId' | 'lng' | 'description' | 'phone' | 'address', string>>;

/** Chinese field paths of the server's details → the section they belong to. */
const sectionOf = (path: string): keyof Errors | null => {
  const key = path.replace(/^body\./, '');
  if (key === 'lat') return 'lng';
  return ['photo', 'categoryId', 'lng', 'description', 'phone', 'address'].includes(key) ? (key as keyof Errors) : null;
};

function Section({ title, required, optional, error, children, testId }: { title: string; required?: boolean; optional?: string; error?: string; children: React.ReactNode; testId?: string }) {
  return (
    <Card size="small" data-testid={testId}>
      <div className="pub-section-title">
        {required && <span className="req">*</span>}
        {title}
        {optional && <span className="opt">{optional}</span>}
      </div>
      {children}
      {error && <div className="pub-error">{error}</div>}
    </Card>
  );
}

/** 随手拍: anyone, no account — photos, place, type, description, optional phone → a tracking code. */
export function ReportPage() {
  const { message } = App.useApp();
  const navigate = useNavigate();
  const fileInput = useRef<HTMLInputElement>(null);
  const [photos, setPhotos] = useState<Photo[]>([]);
  const [groupId, setGroupId] = useState<string | null>(null);
  const [categoryId, setCategoryId] = useState<string | null>(null);
  const [place, setPlace] = useState<{ lng: number; lat: number; how: 'gps' | 'map' } | null>(null);
  const [locating, setLocating] = useState(false);
  const [address, setAddress] = useState('');
  const [description, setDescription] = useState('');
  const [phone, setPhone] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [done, setDone] = useState<PublicReportCreated | null>(null);

  const { data: groups, isLoading } = useQuery({ queryKey: ['public', 'categories'], queryFn: () => get<PublicCategoryGroup[]>('/api/public/categories'), staleTime: 600_000 });
  const { data: areas } = useQuery({ queryKey: ['public', 'map'], queryFn: () => get<PublicMapArea[]>('/api/public/map'), staleTime: 600_000 });
  const polygons = useMemo(() => (areas ?? []).map((a) => ({ id: a.id, name: a.name, rings: a.rings, color: '#c8102e' })), [areas]);
  const group = useMemo(() => groups?.find((g) => g.id === groupId) ?? null, [groups, groupId]);

  // the object URLs of the previews are released with the photos
  const urls = useRef<string[]>([]);
  urls.current = photos.map((p) => p.url);
  useEffect(
    () => () => {
      for (const u of urls.current) URL.revokeObjectURL(u);
    },
    [],
  );

  const locate = (quiet = false) => {
    if (!('geolocation' in navigator)) {
      if (!quiet) message.warning('此浏览器不支持定位，请在地图上点选问题位置');
      return;
    }
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLocating(false);
        setPlace({ lng: Number(pos.coords.longitude.toFixed(6)), lat: Number(pos.coords.latitude.toFixed(6)), how: 'gps' });
        setErrors((e) => ({ ...e, lng: undefined }));
      },
      () => {
        setLocating(false);
        if (!quiet) message.warning('无法获取当前位置，请在地图上点选问题位置');
      },
      { enableHighAccuracy: true, timeout: 10_000, maximumAge: 60_000 },
    );
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: one quiet attempt when the page opens
  useEffect(() => locate(true), []);
  useEffect(() => {
    document.title = '随手拍 · 创文通';
  }, []);

  const addPhotos = async (list: FileList | null) => {
    if (!list) return;
    const chosen = Array.from(list);
    if (fileInput.current) fileInput.current.value = '';
    const next = [...photos];
    for (const picked of chosen) {
      if (next.length >= PUBLIC_MAX_PHOTOS) {
        message.warning(`最多 ${PUBLIC_MAX_PHOTOS} 张照片`);
        break;
      }
      if (!picked.type.startsWith('image/') && !/\.(heic|heif)$/i.test(picked.name)) {
        message.error(`“${picked.name}”不是照片：只能上传 ${PUBLIC_PHOTO_TYPES_LABEL} 格式的照片`);
        continue;
      }
      const file = await shrink(picked);
      if (file.size > CLIENT_MAX_MB * 1024 * 1024) {
        message.error(`照片“${picked.name}”太大：每张照片不超过 ${CLIENT_MAX_MB} MB`);
        continue;
      }
      next.push({ file, url: URL.createObjectURL(file) });
    }
    setPhotos(next);
    if (next.length) setErrors((e) => ({ ...e, photo: undefined }));
  };
  const removePhoto = (i: number) => {
    URL.revokeObjectURL(photos[i].url);
    setPhotos(photos.filter((_, j) => j !== i));
  };

  const submit = useMutation({
    mutationFn: () => {
      const form = new FormData();
      form.append('categoryId', categoryId ?? '');
      form.append('description', description);
      if (place) {
        form.append('lng', String(place.lng));
        form.append('lat', String(place.lat));
      }
      if (address.trim()) form.append('address', address.trim());
      if (phone.trim()) form.append('phone', phone.trim());
      for (const p of photos) form.append('photo', p.file, p.file.name);
      return post<PublicReportCreated>('/api/public/reports', form);
    },
    onSuccess: (res) => {
      message.destroy();
      setDone(res);
      window.scrollTo(0, 0);
    },
    onError: (err) => {
      if (err instanceof ApiError) {
        const next: Errors = {};
        for (const d of err.details) {
          const s = sectionOf(d.path);
          if (s && !next[s]) next[s] = d.message;
        }
        if (err.code === 'UNSUPPORTED_MEDIA_TYPE' || (err.code === 'PAYLOAD_TOO_LARGE' && /照片/.test(err.message))) next.photo = err.message;
        setErrors(next);
        message.error(err.message);
      } else message.error('提交失败，请检查网络后重试');
    },
  });

  const onSubmit = () => {
    const e: Errors = {};
    if (!photos.length) e.photo = '请至少拍摄或选择 1 张照片';
    if (!categoryId) e.categoryId = '请选择问题类型';
    if (!place) e.lng = '请定位或在地图上点选问题位置';
    if (description.trim().length < 5) e.description = '问题描述至少 5 个字';
    if (phone.trim() && !/^1\d{10}$/.test(phone.trim())) e.phone = '手机号须为 11 位数字';
    setErrors(e);
    if (Object.keys(e).length) {
      message.error(Object.values(e)[0]);
      return;
    }
    submit.mutate();
  };

  const reset = () => {
    for (const p of photos) URL.revokeObjectURL(p.url);
    setPhotos([]);
    setCategoryId(null);
    setGroupId(null);
    setDescription('');
    setAddress('');
    setDone(null);
    setErrors({});
  };

  if (done) {
    return (
      <div className="pub">
        <div className="pub-top">
          <h1>随手拍</h1>
          <div className="sub">感谢您为文明城市建设出力</div>
        </div>
        <div className="pub-body">
          <Card data-testid="report-done">
            <div className="pub-done">
              <CheckCircleFilled className="big" />
              <div style={{ fontSize: 18, fontWeight: 600, marginTop: 8 }}>提交成功</div>
              <div className="pub-hint">问题编号 {done.number}</div>
              <div style={{ marginTop: 16, color: '#595959' }}>您的查询码</div>
              <div className="pub-code" data-testid="tracking-code">
                {done.trackingCode}
              </div>
              <div className="pub-hint">请记下查询码，凭它随时查看办理进度和整改结果。</div>
              <div style={{ display: 'flex', flexDirection: 'column', gap: 10, marginTop: 16 }}>
                <Button
                  icon={<CopyOutlined />}
                  onClick={() =>
                    navigator.clipboard?.writeText(done.trackingCode).then(
                      () => message.success('查询码已复制'),
                      () => message.info(`查询码：${done.trackingCode}`),
                    )
                  }
                >
                  复制查询码
                </Button>
                <Button type="primary" block size="large" onClick={() => navigate(`/track/${done.trackingCode}`)}>
                  查看办理进度
                </Button>
                <Button type="link" onClick={reset}>
                  再拍一个
                </Button>
              </div>
            </div>
          </Card>
        </div>
      </div>
    );
  }

  return (
    <div className="pub">
      <div className="pub-top">
        <h1>随手拍</h1>
        <div className="sub">发现不文明现象和城市管理问题，拍下来告诉我们</div>
      </div>
      <div className="pub-body">
        <Section title="现场照片" required error={errors.photo} testId="report-photos">
          <div className="pub-photos">
            {photos.map((p, i) => (
              <div className="pub-photo" key={p.url}>
                <img src={p.url} alt={`照片 ${i + 1}`} />
                <button type="button" className="del" aria-label="删除照片" onClick={() => removePhoto(i)}>
                  <CloseOutlined />
                </button>
              </div>
            ))}
            {photos.length < PUBLIC_MAX_PHOTOS && (
              <button type="button" className="pub-add" onClick={() => fileInput.current?.click()} data-testid="add-photo">
                <CameraOutlined />
                拍照/选图
              </button>
            )}
          </div>
          <input
            ref={fileInput}
            type="file"
            accept="image/*"
            capture="environment"
            multiple
            hidden
            data-testid="photo-input"
            onChange={(e) => void addPhotos(e.target.files)}
          />
          <div className="pub-hint">最多 {PUBLIC_MAX_PHOTOS} 张；较大的照片会自动压缩</div>
        </Section>

        <Section title="问题位置" required error={errors.lng} testId="report-place">
          <div className="pub-loc">
            <span data-testid="place-text">
              {place ? `${place.how === 'gps' ? '已定位' : '已在地图上选点'}：${place.lng.toFixed(5)}, ${place.lat.toFixed(5)}` : '点击地图选择问题位置，或使用当前位置'}
            </span>
            <Button size="small" icon={<AimOutlined />} loading={locating} onClick={() => locate()}>
              定位
            </Button>
          </div>
          <div className="pub-map">
            <MapView
              height={240}
              polygons={polygons}
              picked={place}
              onPick={(lng, lat) => {
                setPlace({ lng, lat, how: 'map' });
                setErrors((e) => ({ ...e, lng: undefined }));
              }}
              data-testid="report-map"
            />
          </div>
          <Input
            style={{ marginTop: 8 }}
            placeholder="位置说明（选填），如：人民路 12 号门口"
            maxLength={200}
            value={address}
            onChange={(e) => {
              setAddress(e.target.value);
              setErrors((er) => ({ ...er, address: undefined }));
            }}
            status={errors.address ? 'error' : undefined}
          />
        </Section>

        <Section title="问题类型" required error={errors.categoryId} testId="report-category">
          {isLoading ? (
            <Spin />
          ) : (
            <>
              <div className="pub-groups">
                {groups?.map((g) => (
                  <button
                    type="button"
                    key={g.id}
                    className={`pub-group${g.id === groupId ? ' on' : ''}`}
                    onClick={() => {
                      setGroupId(g.id);
                      setCategoryId(null);
                    }}
                  >
                    {g.name}
                  </button>
                ))}
              </div>
              {group && (
                <div className="pub-subs">
                  {group.children.map((c) => (
                    <button
                      type="button"
                      key={c.id}
                      className={`pub-sub${c.id === categoryId ? ' on' : ''}`}
                      onClick={() => {
                        setCategoryId(c.id);
                        setErrors((e) => ({ ...e, categoryId: undefined }));
                      }}
                    >
                      {c.name}
                    </button>
                  ))}
                </div>
              )}
              {!group && <div className="pub-hint">先选大类，再选具体问题</div>}
            </>
          )}
        </Section>

        <Section title="问题描述" required error={errors.description}>
          <Input.TextArea
            rows={4}
            maxLength={500}
            style={{ marginBottom: 18 }}
            showCount
            placeholder="请简要描述看到的问题，如：小区门口垃圾堆放多日无人清理"
            value={description}
            onChange={(e) => {
              setDescription(e.target.value);
              if (e.target.value.trim().length >= 5) setErrors((er) => ({ ...er, description: undefined }));
            }}
            status={errors.description ? 'error' : undefined}
            data-testid="report-description"
          />
        </Section>

        <Section title="联系电话" optional="（选填）" error={errors.phone}>
          <Input
            type="tel"
            inputMode="numeric"
            maxLength={11}
            placeholder="11 位手机号，便于核实情况"
            value={phone}
            onChange={(e) => {
              setPhone(e.target.value.replace(/\D/g, ''));
              setErrors((er) => ({ ...er, phone: undefined }));
            }}
            status={errors.phone ? 'error' : undefined}
          />
          <div className="pub-hint">电话加密保存，仅工作人员核实时使用，不会公开。</div>
        </Section>

        {submit.isError && !(submit.error instanceof ApiError && submit.error.details.length) && (
          <Alert type="error" showIcon title={submit.error instanceof Error ? submit.error.message : '提交失败'} />
        )}
        <Button type="primary" size="large" block loading={submit.isPending} onClick={onSubmit} data-testid="report-submit">
          提交
        </Button>
        <div className="pub-foot">
          已有查询码？<Link to="/track">查看办理进度</Link>
        </div>
      </div>
    </div>
  );
}
