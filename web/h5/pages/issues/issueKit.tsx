import { Alert, Button, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { type IssueState, IssueStateLabels } from '../../../../contracts/issues.ts';
import { ApiError } from '../../../shared/api.ts';
import { countdown } from './issueRules.ts';
import './issues.css';

export { commonTitles, countdown, defaultSource, distanceM, formatDistance, insidePolygon, STAFF_SOURCES } from './issueRules.ts';

export const STATE_COLOR: Record<IssueState, string> = {
  reported: 'blue',
  accepted: 'geekblue',
  rejected: 'default',
  merged: 'default',
  dispatched: 'purple',
  returned: 'magenta',
  rectifying: 'orange',
  feedback: 'cyan',
  verified: 'green',
  closed: 'success',
};
export const StateTag = ({ state }: { state: IssueState }) => (
  <Tag color={STATE_COLOR[state]} data-testid="issue-state" style={{ marginInlineEnd: 0 }}>
    {IssueStateLabels[state]}
  </Tag>
);

export function Countdown({ deadline, state }: { deadline: string | null; state: IssueState }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(t);
  }, []);
  const c = countdown(deadline, state, now);
  if (!c) return null;
  return (
    <span className={`h5-countdown h5-countdown-${c.tone}`} data-testid="issue-countdown">
      {c.text}
    </span>
  );
}

/** The Chinese message of a failed request; 409s say what to do next. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.code === 'STALE_VERSION') return '该问题刚被他人处理过，数据已变化，请刷新后再操作。';
    if (e.code === 'INVALID_STATE') return `${e.message}。请刷新查看最新状态。`;
    return e.message;
  }
  return '网络异常，请稍后重试';
}
export const isConflict = (e: unknown) => e instanceof ApiError && e.status === 409;

/** An error box; a conflict (409) offers the reload that resolves it. */
export function ErrorBox({ error, onReload }: { error: unknown; onReload?: () => void }) {
  if (!error) return null;
  return (
    <Alert
      type="error"
      showIcon
      data-testid="issue-error"
      title={errorText(error)}
      action={
        isConflict(error) && onReload ? (
          <Button size="small" onClick={onReload}>
            刷新
          </Button>
        ) : undefined
      }
    />
  );
}

export type Fix = { lng: number; lat: number; accuracy: number };

/** The device position (WGS-84, as browsers give it), with accuracy in metres. */
export function useGeolocation(auto = true) {
  const [fix, setFix] = useState<Fix | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const locate = useCallback(() => {
    if (!('geolocation' in navigator)) {
      setError('此设备不支持定位，请在地图上点选位置');
      return;
    }
    setBusy(true);
    setError(null);
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setBusy(false);
        setFix({ lng: Number(p.coords.longitude.toFixed(6)), lat: Number(p.coords.latitude.toFixed(6)), accuracy: Math.round(p.coords.accuracy) });
      },
      (e) => {
        setBusy(false);
        setError(e.code === e.PERMISSION_DENIED ? '未获得定位权限，请在地图上点选位置' : '定位失败，请到开阔处重试或在地图上点选位置');
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 30_000 },
    );
  }, []);
  useEffect(() => {
    if (auto) locate();
  }, [auto, locate]);
  return { fix, error, busy, locate };
}

