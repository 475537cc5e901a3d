import { z } from 'zod';
import { GENDER_LABELS, ID_TYPE_LABELS, ID_TYPES } from '../domain/id-number.ts';
import { RECORD_KIND_LABELS, RECORD_KINDS, RECORD_STATE_LABELS, RECORD_STATES, SIGNUP_STATE_LABELS, SIGNUP_STATES } from '../domain/volunteer-rules.ts';
import { Id, PageQuery, paged, Version } from './common.ts';
import { MobilePhone } from './users.ts';

export { GENDER_LABELS, ID_TYPE_LABELS, RECORD_KIND_LABELS, RECORD_STATE_LABELS, SIGNUP_STATE_LABELS };

export const IdType = z.enum(ID_TYPES, { error: '请选择证件类型' });
export const Gender = z.enum(['male', 'female'], { error: '请选择性别' });
export const RecordState = z.enum(RECORD_STATES);
export const RecordKind = z.enum(RECORD_KINDS);
export const SignupState = z.enum(SIGNUP_STATES);

const Words = (label: string, max = 20) =>
  z
    .array(z.string().trim().min(1, `${label}不能为空`).max(40, `${label}每项不超过 40 字`), { error: `${label}格式不正确` })
    .max(max, `${label}最多 ${max} 项`)
    .default([]);
const YMD = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const Instant = z.iso.datetime({ offset: true, message: '时间格式应为 ISO 8601' });

/** Tag categories held as data. */
export const TagCategory = z.enum(['team_kind', 'station_kind', 'theme']);
export type TagCategory = z.infer<typeof TagCategory>;
export const TAG_CATEGORY_LABELS: Record<TagCategory, string> = { team_kind: '队伍类型', station_kind: '服务站类型', theme: '活动主题' };
export const VolunteerTag = z.object({ id: z.string(), category: TagCategory, name: z.string(), sort: z.number() });
export type VolunteerTag = z.infer<typeof VolunteerTag>;

// ---------------------------------------------------------------- volunteers

export const RegisterVolunteerRequest = z.object({
  name: z.string().trim().min(1, '请填写姓名').max(40, '姓名不能超过 40 字'),
  idType: IdType,
  idNumber: z.string().trim().min(1, '请填写证件号码').max(32, '证件号码过长'),
  /** only for documents without a birth date (护照 …) */
  birthDate: YMD.optional(),
  gender: Gender.optional(),
  phone: MobilePhone,
  skills: Words('专业技能'),
  serviceAreas: Words('服务领域'),
  serviceTimes: Words('服务时间'),
  communityId: Id,
  consent: z.literal(true, { error: '请阅读并同意志愿者注册协议与个人信息使用说明' }),
});
export type RegisterVolunteerRequest = z.input<typeof RegisterVolunteerRequest>;

export const Volunteer = z.object({
  id: z.string(),
  number: z.string(),
  name: z.string(),
  idType: IdType,
  idMasked: z.string(),
  gender: Gender,
  birthDate: z.string(),
  phoneMasked: z.string(),
  skills: z.array(z.string()),
  serviceAreas: z.array(z.string()),
  serviceTimes: z.array(z.string()),
  communityId: z.string(),
  communityName: z.string(),
  consentAt: z.string(),
  source: z.enum(['self', 'admin', 'import']),
  approvedMinutes: z.number().int(),
  stars: z.number().int(),
  createdAt: z.string(),
  version: z.number().int(),
});
export type Volunteer = z.infer<typeof Volunteer>;
export const VolunteerPage = paged(Volunteer);

export const ListVolunteersQuery = PageQuery.extend({
  q: z.string().trim().max(40).optional().describe('姓名、拼音或首字母、手机尾号（4 位）、志愿者编号'),
  unitId: Id.optional(),
  teamId: Id.optional(),
});

/** The full ID number and phone, for roles that need them (logged in the audit). */
export const VolunteerContact = z.object({ idNumber: z.string(), phone: z.string() });

export const VolunteerSessionResponse = z.object({ token: z.string(), volunteer: Volunteer });
export const VolunteerLoginRequest = z.object({ idNumber: z.string().trim().min(1, '请填写证件号码').max(32), phone: MobilePhone });

// ---------------------------------------------------------------- import

export const VolunteerImportRow = z.object({
  row: z.number().int(),
  name: z.string(),
  idType: z.string(),
  idMasked: z.string(),
  phoneMasked: z.string(),
  community: z.string(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })),
});
export const VolunteerImportPreview = z.object({
  total: z.number().int(),
  valid: z.number().int(),
  rows: z.array(VolunteerImportRow),
  imported: z.number().int().nullable(),
});
export type VolunteerImportPreview = z.infer<typeof VolunteerImportPreview>;

// ---------------------------------------------------------------- teams and stations

export const TeamRequest = z.object({
  name: z.string().trim().min(2, '队伍名称至少 2 个字').max(60, '队伍名称不超过 60 字'),
  kind: z.string().trim().min(1, '请选择队伍类型').max(20),
  unitId: Id,
  description: z.string().trim().max(500, '简介不超过 500 字').default(''),
  adminUserIds: z.array(Id).max(20, '管理员最多 20 人').default([]),
});
export const TeamUpdateRequest = TeamRequest.extend({ version: Version });
export const Team = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  unitId: z.string(),
  unitName: z.string(),
  description: z.string(),
  admins: z.array(z.object({ id: z.string(), name: z.string() })),
  memberCount: z.number().int(),
  pendingCount: z.number().int(),
  isMine: z.boolean().describe('当前用户是本队管理员'),
  version: z.number().int(),
});
export type Team = z.infer<typeof Team>;
export const PublicTeam = z.object({ id: z.string(), name: z.string(), kind: z.string(), unitName: z.string(), description: z.string(), memberCount: z.number().int() });
export type PublicTeam = z.infer<typeof PublicTeam>;

export const MemberState = z.enum(['pending', 'approved', 'rejected']);
export const MEMBER_STATE_LABELS: Record<z.infer<typeof MemberState>, string> = { pending: '待审批', approved: '已加入', rejected: '未通过' };
export const TeamMember = z.object({
  volunteerId: z.string(),
  name: z.string(),
  number: z.string(),
  phoneMasked: z.string(),
  state: MemberState,
  requestedAt: z.string(),
  decidedAt: z.string().nullable(),
});
export type TeamMember = z.infer<typeof TeamMember>;
export const DecideMemberRequest = z.object({ approve: z.boolean({ error: '请选择同意或拒绝' }) });

export const StationRequest = z.object({
  name: z.string().trim().min(2, '服务站名称至少 2 个字').max(60),
  kind: z.string().trim().min(1, '请选择服务站类型').max(20),
  unitId: Id,
  pointId: Id.nullable().default(null),
  lng: z.number().min(-180).max(180).optional(),
  lat: z.number().min(-90).max(90).optional(),
  address: z.string().trim().max(200).default(''),
  teamIds: z.array(Id).max(50).default([]),
});
export const Station = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  unitId: z.string(),
  unitName: z.string(),
  pointId: z.string().nullable(),
  pointName: z.string().nullable(),
  lng: z.number(),
  lat: z.number(),
  address: z.string(),
  teams: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type Station = z.infer<typeof Station>;

// ---------------------------------------------------------------- activities

export const ActivityRequest = z
  .object({
    teamId: Id,
    title: z.string().trim().min(2, '活动名称至少 2 个字').max(80, '活动名称不超过 80 字'),
    content: z.string().trim().min(5, '服务内容至少 5 个字').max(2000),
    themes: Words('活动主题', 10),
    startsAt: Instant,
    endsAt: Instant,
    stationId: Id.nullable().default(null),
    pointId: Id.nullable().default(null),
    lng: z.number().min(-180).max(180).optional(),
    lat: z.number().min(-90).max(90).optional(),
    address: z.string().trim().max(200).default(''),
    radiusM: z.number().int().min(30, '签到范围至少 30 米').max(5000, '签到范围不超过 5000 米').default(300),
    capacity: z.number().int().min(1, '招募人数至少 1 人').max(10000, '招募人数不超过 10000 人'),
    minAge: z.number().int().min(0).max(120).nullable().default(null),
    maxAge: z.number().int().min(0).max(120).nullable().default(null),
    skills: Words('技能要求', 10),
    signupDeadline: Instant,
  })
  .refine((v) => Date.parse(v.endsAt) > Date.parse(v.startsAt), { path: ['endsAt'], message: '结束时间应晚于开始时间' })
  .refine((v) => Date.parse(v.signupDeadline) <= Date.parse(v.endsAt), { path: ['signupDeadline'], message: '报名截止时间不应晚于活动结束' })
  .refine((v) => v.minAge === null || v.maxAge === null || v.minAge <= v.maxAge, { path: ['maxAge'], message: '年龄上限应不小于下限' });
export type ActivityRequest = z.input<typeof ActivityRequest>;

export const Activity = z.object({
  id: z.string(),
  teamId: z.string(),
  teamName: z.string(),
  title: z.string(),
  content: z.string(),
  themes: z.array(z.string()),
  startsAt: z.string(),
  endsAt: z.string(),
  stationId: z.string().nullable(),
  pointId: z.string().nullable(),
  address: z.string(),
  lng: z.number(),
  lat: z.number(),
  radiusM: z.number().int(),
  capacity: z.number().int(),
  minAge: z.number().int().nullable(),
  maxAge: z.number().int().nullable(),
  skills: z.array(z.string()),
  signupDeadline: z.string(),
  signedCount: z.number().int(),
  waitingCount: z.number().int(),
  checkedInCount: z.number().int(),
  isCancelled: z.boolean(),
  isClosed: z.boolean(),
  canManage: z.boolean(),
  /** for the volunteer: their sign-up state, if any */
  myState: SignupState.nullable(),
  myCheckinAt: z.string().nullable(),
  myCheckoutAt: z.string().nullable(),
  version: z.number().int(),
});
export type Activity = z.infer<typeof Activity>;
export const ActivityPage = paged(Activity);
export const ListActivitiesQuery = PageQuery.extend({
  teamId: Id.optional(),
  when: z.enum(['upcoming', 'past', 'all']).default('all'),
  theme: z.string().trim().max(20).optional(),
});

export const Attendance = z.object({
  volunteerId: z.string(),
  name: z.string(),
  number: z.string(),
  phoneMasked: z.string(),
  state: SignupState,
  signedAt: z.string(),
  checkinAt: z.string().nullable(),
  checkoutAt: z.string().nullable(),
  isAutoCheckout: z.boolean(),
});
export type Attendance = z.infer<typeof Attendance>;

export const CheckinCodeResponse = z.object({
  url: z.string().describe('二维码内容：志愿者手机扫码打开的地址，含签名令牌'),
  token: z.string(),
  code: z.string().describe('6 位签到码'),
  qrSvg: z.string(),
  expiresAt: z.string().describe('本码轮换时间；上一码在其后 30 秒内仍有效'),
  stepSeconds: z.number().int(),
});
export type CheckinCodeResponse = z.infer<typeof CheckinCodeResponse>;

export const CheckinRequest = z.object({
  token: z.string().trim().min(6, '请扫描二维码或输入 6 位签到码').max(80),
  lng: z.number({ error: '请允许获取位置后再签到' }).min(-180).max(180),
  lat: z.number({ error: '请允许获取位置后再签到' }).min(-90).max(90),
});
export const CheckinResponse = z.object({
  action: z.enum(['in', 'out']),
  at: z.string(),
  minutes: z.number().int().nullable(),
  distanceM: z.number().int(),
});
export type CheckinResponse = z.infer<typeof CheckinResponse>;

// ---------------------------------------------------------------- records

export const ServiceRecord = z.object({
  id: z.string(),
  volunteerId: z.string(),
  volunteerName: z.string(),
  volunteerNumber: z.string(),
  activityId: z.string().nullable(),
  activityTitle: z.string().nullable(),
  teamName: z.string(),
  kind: RecordKind,
  state: RecordState,
  minutes: z.number().int(),
  serviceDate: z.string(),
  content: z.string(),
  source: z.string().nullable(),
  reason: z.string().nullable(),
  evidenceFileId: z.string().nullable(),
  correctsId: z.string().nullable(),
  supersededBy: z.string().nullable(),
  isLate: z.boolean(),
  isAutoCheckout: z.boolean(),
  createdAt: z.string(),
  createdByName: z.string().nullable(),
  createdById: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decidedByName: z.string().nullable(),
  decisionNote: z.string().nullable(),
  version: z.number().int(),
});
export type ServiceRecord = z.infer<typeof ServiceRecord>;
export const ServiceRecordPage = paged(ServiceRecord);
export const ListRecordsQuery = PageQuery.extend({
  state: RecordState.optional(),
  volunteerId: Id.optional(),
  activityId: Id.optional(),
  isLate: z.enum(['true', 'false']).optional(),
});

export const ManualRecordRequest = z.object({
  volunteerId: Id,
  activityId: Id,
  minutes: z.number({ error: '请填写服务时长' }).int('服务时长以分钟计').min(1, '服务时长至少 1 分钟'),
  source: z.string().trim().min(1, '请填写补录来源').max(100),
  reason: z.string().trim().min(2, '请填写补录原因').max(500),
  evidenceFileId: Id.nullable().default(null),
});
export const CorrectionRequest = z.object({
  minutes: z.number().int('服务时长以分钟计').min(0),
  reason: z.string().trim().min(2, '请填写更正原因').max(500),
  evidenceFileId: Id.nullable().default(null),
});
export const VolunteerCorrectionRequest = z.object({
  minutes: z.number().int('服务时长以分钟计').min(0),
  reason: z.string().trim().min(2, '请填写更正原因').max(500),
});
export const DecideRecordRequest = z.object({
  action: z.enum(['approve', 'reject'], { error: '请选择通过或不通过' }),
  note: z.string().trim().max(500).default(''),
  version: Version,
});

// ---------------------------------------------------------------- certificates

export const IssueCertificateRequest = z.object({
  volunteerId: Id,
  from: YMD.optional(),
  to: YMD.optional(),
});
export const Certificate = z.object({
  id: z.string(),
  number: z.string(),
  verifyCode: z.string(),
  volunteerId: z.string(),
  name: z.string(),
  idTypeLabel: z.string(),
  idMasked: z.string(),
  minutes: z.number().int(),
  hours: z.string(),
  recordCount: z.number().int(),
  periodFrom: z.string(),
  periodTo: z.string(),
  content: z.string(),
  issuer: z.string(),
  issuedAt: z.string(),
  verifyUrl: z.string(),
});
export type Certificate = z.infer<typeof Certificate>;
export const CertificatePage = paged(Certificate);

/** What the public verification page shows: the certificate and nothing more. */
export const PublicCertificate = z.object({
  number: z.string(),
  name: z.string(),
  idMasked: z.string(),
  hours: z.string(),
  recordCount: z.number().int(),
  periodFrom: z.string(),
  periodTo: z.string(),
  content: z.string(),
  issuer: z.string(),
  issuedAt: z.string(),
});
export type PublicCertificate = z.infer<typeof PublicCertificate>;

// ---------------------------------------------------------------- figures, settings, my page

export const VolunteerSettings = z.object({
  ratioTargetPermille: z.number().int().min(1, '目标比例至少 0.1%').max(1000),
  starThresholds: z
    .array(z.number().int().min(1), { error: '星级门槛格式不正确' })
    .length(5, '星级门槛应为 5 个')
    .refine((t) => t.every((h, i) => i === 0 || h > t[i - 1]), '星级门槛应逐级递增'),
  version: z.number().int(),
});
export type VolunteerSettings = z.infer<typeof VolunteerSettings>;

export const RatioRow = z.object({
  unitId: z.string(),
  unitName: z.string(),
  kind: z.string(),
  hasChildren: z.boolean(),
  population: z.number().int().nullable(),
  registered: z.number().int(),
  ratioPercent: z.string().nullable(),
  meetsTarget: z.boolean().nullable(),
  active: z.number().int(),
  approvedMinutes: z.number().int(),
  hoursPerCapita: z.string().nullable().describe('每位常住人口的服务小时数，两位小数'),
  activities: z.number().int(),
});
export type RatioRow = z.infer<typeof RatioRow>;
export const RatioTable = z.object({
  parent: z.object({ id: z.string(), name: z.string() }),
  targetPermille: z.number().int(),
  total: RatioRow,
  rows: z.array(RatioRow),
  themes: z.array(z.object({ theme: z.string(), activities: z.number().int() })),
});
export type RatioTable = z.infer<typeof RatioTable>;

export const MyPage = z.object({
  volunteer: Volunteer,
  minutesByState: z.object({ pending: z.number().int(), approved: z.number().int(), rejected: z.number().int() }),
  stars: z.number().int(),
  minutesToNextStar: z.number().int().nullable(),
  teams: z.array(z.object({ id: z.string(), name: z.string(), state: MemberState })),
  records: z.array(ServiceRecord),
  certificates: z.array(Certificate),
});
export type MyPage = z.infer<typeof MyPage>;

export const VolunteerSearchResult = z.object({ id: z.string(), name: z.string(), number: z.string(), idMasked: z.string() });
