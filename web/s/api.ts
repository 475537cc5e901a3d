/** fetch for the public pages: JSON in, JSON out, the server's Chinese message on failure. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

function cookie(name: string): string | null {
  const m = document.cookie.match(new RegExp(`(?:^|; )${name}=([^;]*)`));
  return m ? decodeURIComponent(m[1]) : null;
}

export async function api<T>(method: 'GET' | 'POST', url: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    const csrf = cookie('cw_csrf');
    if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
    res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, '网络连接失败，请检查网络后重试');
  }
  const data = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, data?.error?.message ?? `请求失败（${res.status}）`, data?.error?.details ?? []);
  return data as T;
}

/** A random id (clientKey, device token); crypto.getRandomValues exists in every browser we serve, WeChat's included. */
export function randomKey(len = 24): string {
  const a = new Uint8Array(len);
  crypto.getRandomValues(a);
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(a, (b) => abc[b % abc.length]).join('');
}

/** The device token: one per browser, kept in localStorage and a cookie (either may be cleared alone). */
export function deviceToken(): string {
  let t = null as string | null;
  try {
    t = localStorage.getItem('cw_device');
  } catch {
    /* private mode */
  }
  t = t || cookie('cw_device') || randomKey(32);
  try {
    localStorage.setItem('cw_device', t);
  } catch {
    /* private mode */
  }
  document.cookie = `cw_device=${t}; path=/s; max-age=31536000; SameSite=Lax`;
  return t;
}

/** The data the server embedded in the page (`<script id="cw-data" type="application/json">`), read once. */
export function embedded<T>(kind: string): T | null {
  const el = document.getElementById('cw-data');
  if (!el?.textContent) return null;
  try {
    const d = JSON.parse(el.textContent) as { kind: string } & Record<string, unknown>;
    el.remove();
    return d.kind === kind ? (d as T) : null;
  } catch {
    return null;
  }
}
