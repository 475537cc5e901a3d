import { z } from 'zod';

/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) at /open311/v2/: the shapes we
 * answer (they validate against the official JSON schemas in shared/reference), the parameters
 * we accept, and the admin API of the keys that clients need to file requests.
 */

export const OPEN311_FORMATS = ['json', 'xml'] as const;
export type Open311Format = (typeof OPEN311_FORMATS)[number];

export type Open311Service = {
  service_code: string;
  service_name: string;
  description: string | null;
  metadata: boolean;
  type: 'realtime' | 'batch' | 'blackbox';
  keywords: string | null;
  group: string | null;
};

export type Open311ServiceDefinition = { service_code: string; attributes: never[] };

export type Open311Request = {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string | null;
  service_name: string | null;
  service_code: string;
  description: string | null;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string | null;
  expected_datetime: string | null;
  address: string | null;
  address_id: string | null;
  zipcode: string | null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
};

export type Open311Created = { service_request_id: string; token: string; service_notice: string };
export type Open311Token = { service_request_id: string; token: string };
export type Open311Error = { code: number; description: string };

export type Open311Discovery = {
  changeset: string;
  contact: string;
  key_service: string;
  endpoints: { specification: string; url: string; changeset: string; type: 'production' | 'test'; formats: string[] }[];
};

const list = (name: string) =>
  z
    .string()
    .trim()
    .max(2000, `${name}过长`)
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    );
const isoDate = (name: string) =>
  z
    .string()
    .trim()
    .refine((v) => !Number.isNaN(Date.parse(v)), `${name}须为 ISO 8601 时间，如 2026-11-01T00:00:00+08:00`)
    .transform((v) => new Date(v));

/** GET requests: every filter of the specification. */
export const Open311RequestsQuery = z.object({
  jurisdiction_id: z.string().optional(),
  service_request_id: list('service_request_id').optional(),
  service_code: list('service_code').optional(),
  start_date: isoDate('start_date').optional(),
  end_date: isoDate('end_date').optional(),
  status: list('status')
    .refine((v) => v.every((s) => s === 'open' || s === 'closed'), 'status 只能是 open 或 closed')
    .optional(),
});
export type Open311RequestsQuery = z.infer<typeof Open311RequestsQuery>;

const coord = (name: string, min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v),
    z.number({ message: `${name}须为数字` }).min(min, `${name}超出范围`).max(max, `${name}超出范围`),
  );

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** POST requests: the parameters we use; names, e-mail and device are not stored. */
export const Open311CreateParams = z.object({
  api_key: z.string({ message: '缺少 api_key' }).min(1, '缺少 api_key'),
  jurisdiction_id: z.string().optional(),
  service_code: z.string({ message: '缺少 service_code' }).trim().min(1, '缺少 service_code'),
  lat: coord('lat', 3, 54),
  long: coord('long', 73, 136),
  address_string: z.string().trim().max(200, 'address_string 最多 200 个字符').optional(),
  address_id: z.string().optional(),
  description: z.string().trim().max(2000, 'description 最多 2000 个字符').optional(),
  phone: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .regex(/^(\+?86)?1\d{10}$/, 'phone 须为中国大陆手机号')
      .transform((v) => v.slice(-11))
      .optional(),
  ),
  media_url: z.preprocess(blankToUndefined, z.url({ message: 'media_url 须为网址' }).max(500, 'media_url 最多 500 个字符').optional()),
});
export type Open311CreateParams = z.infer<typeof Open311CreateParams>;

// ---- admin: API keys ----
export const ApiKey = z.object({
  id: z.string(),
  name: z.string(),
  keyPrefix: z.string().describe('密钥前几位，便于区分'),
  createdAt: z.string(),
  createdByName: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  reportCount: z.number().int().describe('经此密钥提交的问题数'),
});
export type ApiKey = z.infer<typeof ApiKey>;
export const CreateApiKeyRequest = z.object({ name: z.string({ message: '请填写名称' }).trim().min(1, '请填写名称').max(60, '名称最多 60 个字符') });
export type CreateApiKeyRequest = z.infer<typeof CreateApiKeyRequest>;
export const CreatedApiKey = ApiKey.extend({ key: z.string().describe('完整密钥，只显示这一次') });
export type CreatedApiKey = z.infer<typeof CreatedApiKey>;
