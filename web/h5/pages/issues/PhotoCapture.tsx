import { CameraOutlined, CloseOutlined, ReloadOutlined } from '@ant-design/icons';
import { Progress } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { uploadWithProgress } from './upload.ts';

type Shot = { key: string; file: File; preview: string; thumb?: string; percent: number; fileId?: string; error?: string };

export type PhotoState = { ids: string[]; uploading: boolean; failed: boolean };

let seq = 0;

/**
 * Camera photos for a phone form: the file input opens the rear camera (`capture="environment"`,
 * gallery still allowed by the phone), each photo uploads at once with a progress ring, shows a
 * thumbnail and can be removed or retried. The parent receives the uploaded file ids.
 */
export function PhotoCapture({ max = 9, onChange, label = '拍照', testId = 'photo-input' }: { max?: number; onChange: (s: PhotoState) => void; label?: string; testId?: string }) {
  const [shots, setShots] = useState<Shot[]>([]);
  const input = useRef<HTMLInputElement>(null);
  const changed = useRef(onChange);
  changed.current = onChange;

  useEffect(() => {
    changed.current({
      ids: shots.filter((s) => s.fileId).map((s) => s.fileId!),
      uploading: shots.some((s) => !s.fileId && !s.error),
      failed: shots.some((s) => s.error),
    });
  }, [shots]);
  // previews are object URLs: free them with the component
  const all = useRef(shots);
  all.current = shots;
  useEffect(
    () => () => {
      for (const s of all.current) URL.revokeObjectURL(s.preview);
    },
    [],
  );

  const update = (key: string, patch: Partial<Shot>) => setShots((list) => list.map((s) => (s.key === key ? { ...s, ...patch } : s)));
  const send = (shot: Shot) => {
    update(shot.key, { percent: 0, error: undefined });
    uploadWithProgress(shot.file, (percent) => update(shot.key, { percent })).then(
      // the server's thumbnail also shows photos the browser cannot draw itself (HEIC from iPhones)
      (info) => update(shot.key, { fileId: info.id, percent: 100, ...(info.thumbnailUrl && { thumb: info.thumbnailUrl }) }),
      (e: Error) => update(shot.key, { error: e.message }),
    );
  };
  const add = (files: FileList | null) => {
    if (!files) return;
    const room = max - all.current.length;
    const added = [...files].slice(0, Math.max(0, room)).map((file) => ({ key: `p${++seq}`, file, preview: URL.createObjectURL(file), percent: 0 }));
    setShots((list) => [...list, ...added]);
    for (const s of added) send(s);
  };
  const remove = (key: string) =>
    setShots((list) => {
      const gone = list.find((s) => s.key === key);
      if (gone) URL.revokeObjectURL(gone.preview);
      return list.filter((s) => s.key !== key);
    });

  return (
    <div className="h5-photos">
      {shots.map((s) => (
        <div key={s.key} className={`h5-photo${s.error ? ' h5-photo-error' : ''}`} data-testid="photo-thumb" data-uploaded={s.fileId ? 'true' : 'false'}>
          <img src={s.thumb ?? s.preview} alt={s.file.name} />
          {!s.fileId && !s.error && (
            <div className="h5-photo-mask">
              <Progress type="circle" percent={s.percent} size={40} strokeColor="#fff" trailColor="rgba(255,255,255,.3)" format={(p) => <span style={{ color: '#fff', fontSize: 11 }}>{p}%</span>} />
            </div>
          )}
          {s.error && (
            <button type="button" className="h5-photo-mask" onClick={() => send(s)} title={s.error}>
              <ReloadOutlined style={{ color: '#fff', fontSize: 18 }} />
              <span style={{ color: '#fff', fontSize: 11 }}>重试</span>
            </button>
          )}
          <button type="button" className="h5-photo-remove" aria-label="删除照片" onClick={() => remove(s.key)}>
            <CloseOutlined />
          </button>
        </div>
      ))}
      {shots.length < max && (
        <button type="button" className="h5-photo h5-photo-add" onClick={() => input.current?.click()}>
          <CameraOutlined style={{ fontSize: 24 }} />
          <span>{label}</span>
        </button>
      )}
      <input
        ref={input}
        type="file"
        accept="image/*"
        capture="environment"
        multiple
        style={{ display: 'none' }}
        data-testid={testId}
        onChange={(e) => {
          add(e.target.files);
          e.target.value = '';
        }}
      />
      {shots.find((s) => s.error) && <div className="h5-photo-msg">{shots.find((s) => s.error)!.error}</div>}
    </div>
  );
}
