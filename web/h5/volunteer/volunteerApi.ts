import type { ErrorResponse } from '../../../contracts/errors.ts';
import { ApiError } from '../../shared/api.ts';

/** The volunteer's phone session (no account): a token kept on this phone, sent as x-volunteer-token. */
const KEY = 'cw_volunteer_token';
export const volunteerToken = (): string | null => localStorage.getItem(KEY);
export const setVolunteerToken = (t: string | null) => (t ? localStorage.setItem(KEY, t) : localStorage.removeItem(KEY));

export async function vapi<T>(method: 'GET' | 'POST', url: string, body?: unknown): Promise<T> {
  const token = volunteerToken();
  const headers: Record<string, string> = {};
  if (token) headers['x-volunteer-token'] = token;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) {
    let err: ErrorResponse['error'] = { code: 'INTERNAL', message: `请求失败（${res.status}）` };
    try {
      err = ((await res.json()) as ErrorResponse).error;
    } catch {
      /* not JSON */
    }
    if (res.status === 401 && url !== '/api/public/volunteers/login') setVolunteerToken(null);
    throw new ApiError(res.status, err.code, err.message, err.details ?? []);
  }
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('application/json') ? res.json() : res.blob()) as Promise<T>;
}

/** Downloads one of my certificates. */
export async function downloadMine(url: string, name: string) {
  const blob = await vapi<Blob>('GET', url);
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** The phone's position (WGS-84), or a Chinese reason. */
export function currentPosition(): Promise<{ lng: number; lat: number }> {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) return reject(new Error('此浏览器不支持定位，无法签到'));
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lng: p.coords.longitude, lat: p.coords.latitude }),
      () => reject(new Error('无法获取位置：请允许浏览器使用定位后重试')),
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 10_000 },
    );
  });
}

/** Minutes as hours with one decimal: 95 → 1.6. */
export const hours = (minutes: number) => (Math.round(minutes / 6) / 10).toFixed(1);
