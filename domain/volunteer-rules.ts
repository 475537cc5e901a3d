import { addWorkingDays, endOfShanghaiDay, type HolidayCalendar, shanghaiDate } from './working-days.ts';

/**
 * The rules of volunteer service records (《志愿服务记录与证明出具办法（试行）》, 民政部令第67号):
 * hours are the time actually given, recorded within 10 working days of the activity's end;
 * records go 待审核 → 通过 / 不通过 and are never deleted; a correction is a new record.
 */

// ---------------------------------------------------------------- hours

/**
 * Minutes of service between check-in and check-out, clipped to the activity's span (time
 * before the start or after the end does not count), rounded down to whole minutes:
 * serviceMinutes(09:50, 11:10, span 10:00–11:00) → 60.
 */
export function serviceMinutes(checkIn: Date, checkOut: Date, start: Date, end: Date): number {
  const from = Math.max(checkIn.getTime(), start.getTime());
  const to = Math.min(checkOut.getTime(), end.getTime());
  return to > from ? Math.floor((to - from) / 60_000) : 0;
}

/** The planned duration of an activity in minutes, the cap of a 补录: plannedMinutes(10:00, 12:30) → 150. */
export function plannedMinutes(start: Date, end: Date): number {
  return Math.max(0, Math.floor((end.getTime() - start.getTime()) / 60_000));
}

/** Working days a record may take after the activity ends (Art 11). */
export const RECORDING_DEADLINE_WORKING_DAYS = 10;

/**
 * The last moment a record of service that ended at `serviceEnd` is on time: the end of the
 * 10th working day after the Shanghai date of the end (the day itself does not count).
 */
export function recordingDeadline(serviceEnd: Date, cal: HolidayCalendar): Date {
  return endOfShanghaiDay(addWorkingDays(shanghaiDate(serviceEnd), RECORDING_DEADLINE_WORKING_DAYS, cal));
}

/** isLateRecord(end Fri 2026-11-20, entered Mon 2026-12-07 09:00, cal) → true (the 10th working day was Fri 12-04). */
export function isLateRecord(serviceEnd: Date, enteredAt: Date, cal: HolidayCalendar): boolean {
  return enteredAt.getTime() > recordingDeadline(serviceEnd, cal).getTime();
}

// ---------------------------------------------------------------- star levels

/** Default star thresholds in hours (2012 民政部 draft; Guangdong): 1★ 100 h … 5★ 1,500 h. */
export const DEFAULT_STAR_THRESHOLDS_HOURS = [100, 300, 600, 1000, 1500] as const;

/** Valid thresholds: five strictly increasing positive whole hours. */
export function validStarThresholds(t: readonly number[]): boolean {
  return t.length === 5 && t.every((h, i) => Number.isInteger(h) && h > 0 && (i === 0 || h > t[i - 1]));
}

/** Stars (0–5) for cumulative approved minutes: starLevel(300 * 60, [100,300,600,1000,1500]) → 2. */
export function starLevel(approvedMinutes: number, thresholdsHours: readonly number[]): number {
  let stars = 0;
  for (const h of thresholdsHours) if (approvedMinutes >= h * 60) stars++;
  return stars;
}

/** Hours to the next star, or null at five stars: hoursToNextStar(90 * 60, t) → 10. */
export function minutesToNextStar(approvedMinutes: number, thresholdsHours: readonly number[]): number | null {
  const next = thresholdsHours.find((h) => approvedMinutes < h * 60);
  return next === undefined ? null : next * 60 - approvedMinutes;
}

/** Hours with one decimal from minutes, for display and exports: hoursText(95) → '1.6'. */
export const hoursText = (minutes: number): string => (Math.round(minutes / 6) / 10).toFixed(1);

// ---------------------------------------------------------------- the record state machine

export const RECORD_STATES = ['pending', 'approved', 'rejected'] as const;
export type RecordState = (typeof RECORD_STATES)[number];
export const RECORD_STATE_LABELS: Record<RecordState, string> = { pending: '待审核', approved: '通过', rejected: '不通过' };

export const RECORD_KINDS = ['checkin', 'manual', 'correction'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];
export const RECORD_KIND_LABELS: Record<RecordKind, string> = { checkin: '签到记录', manual: '补录', correction: '更正' };

export type RecordAction = 'approve' | 'reject';
export const RECORD_ACTION_LABELS: Record<RecordAction, string> = { approve: '审核通过', reject: '审核不通过' };

/** The whole machine: from a state, which action leads where. Nothing leaves 通过 or 不通过; a record is never deleted. */
export const RECORD_FLOW: Record<RecordState, Partial<Record<RecordAction, RecordState>>> = {
  pending: { approve: 'approved', reject: 'rejected' },
  approved: {},
  rejected: {},
};

/** nextRecordState('pending', 'approve') → 'approved'; nextRecordState('approved', 'reject') → null. */
export function nextRecordState(from: RecordState, action: RecordAction): RecordState | null {
  return RECORD_FLOW[from][action] ?? null;
}

/** Whether a record still counts: approved and not replaced by an approved correction. */
export const countsTowardHours = (r: { state: RecordState; supersededBy: string | null }): boolean => r.state === 'approved' && r.supersededBy === null;

// ---------------------------------------------------------------- sign-up

export const SIGNUP_STATES = ['signed', 'waiting', 'cancelled', 'no_show'] as const;
export type SignupState = (typeof SIGNUP_STATES)[number];
export const SIGNUP_STATE_LABELS: Record<SignupState, string> = { signed: '已报名', waiting: '候补', cancelled: '已取消', no_show: '未到场' };

// ---------------------------------------------------------------- check-in windows and the rotating token

/** Check-in opens this long before the start. */
export const CHECKIN_OPENS_BEFORE_MIN = 30;
/** Check-out stays open this long after the end (hours stop counting at the end anyway). */
export const CHECKOUT_CLOSES_AFTER_MIN = 60;

/** Why a check-in or check-out at `at` is refused, or null when the window is open. */
export function windowRefusal(kind: 'in' | 'out', at: Date, start: Date, end: Date): string | null {
  const t = at.getTime();
  if (kind === 'in') {
    if (t < start.getTime() - CHECKIN_OPENS_BEFORE_MIN * 60_000) return `未到签到时间：活动开始前 ${CHECKIN_OPENS_BEFORE_MIN} 分钟开放签到`;
    if (t > end.getTime()) return '活动已结束，不能签到';
    return null;
  }
  if (t > end.getTime() + CHECKOUT_CLOSES_AFTER_MIN * 60_000) return `签退已截止：活动结束后 ${CHECKOUT_CLOSES_AFTER_MIN} 分钟内可签退`;
  return null;
}

/** The token rotates every 30 seconds. */
export const TOKEN_STEP_SECONDS = 30;

export const tokenStep = (at: Date): number => Math.floor(at.getTime() / 1000 / TOKEN_STEP_SECONDS);

/** A keyed MAC (HMAC-SHA256 under the server's secret), base64url. */
export type Mac = (message: string) => string;

const macInput = (activityId: string, step: number) => `volunteer-checkin|${activityId}|${step}`;

/** The QR token of an activity at a step: '<step>.<22 characters of HMAC>'. */
export function checkinToken(mac: Mac, activityId: string, step: number): string {
  return `${step}.${mac(macInput(activityId, step)).slice(0, 22)}`;
}

/** The 6-digit code of an activity at a step (the same rotation as the QR). */
export function checkinCode(mac: Mac, activityId: string, step: number): string {
  const digest = Buffer.from(mac(`${macInput(activityId, step)}|code`), 'base64url');
  return String(digest.readUInt32BE(0) % 1_000_000).padStart(6, '0');
}

export type TokenCheck = { ok: true; step: number } | { ok: false; reason: string };

/**
 * Verifies a QR token or a 6-digit code at `now`: only the current and the previous step are
 * accepted (a code seen on screen stays good for 30–60 s). The replay of a used step by the same
 * volunteer is refused by the caller, which records each use.
 */
export function verifyCheckin(mac: Mac, activityId: string, presented: string, now: Date): TokenCheck {
  const current = tokenStep(now);
  const p = presented.trim();
  for (const step of [current, current - 1]) {
    if (/^\d{6}$/.test(p) ? checkinCode(mac, activityId, step) === p : checkinToken(mac, activityId, step) === p) return { ok: true, step };
  }
  if (/^\d+\.[\w-]{22}$/.test(p)) {
    const step = Number(p.split('.')[0]);
    if (step < current - 1 && checkinToken(mac, activityId, step) === p) return { ok: false, reason: '签到码已过期，请扫描组织者手机上的最新二维码' };
  }
  return { ok: false, reason: /^\d{6}$/.test(p) ? '签到码不正确或已过期' : '签到二维码无效或不属于本活动' };
}

// ---------------------------------------------------------------- ratio

/** Default target: registered volunteers ≥ 8 % of the resident population (测评体系). */
export const DEFAULT_RATIO_TARGET_PERMILLE = 80;

/** A ratio in percent with two decimals from counts: ratioPercent(81, 1000) → '8.10'; no population → null. */
export function ratioPercent(count: number, population: number | null): string | null {
  if (!population || population <= 0) return null;
  // integers only: basis points rounded half up
  const bp = Math.floor((count * 10_000 * 2 + population) / (population * 2));
  return `${Math.floor(bp / 100)}.${String(bp % 100).padStart(2, '0')}`;
}

/** Whether count / population meets a target in permille, from integers: meetsTarget(8, 100, 80) → true. */
export function meetsTarget(count: number, population: number | null, targetPermille: number): boolean | null {
  if (!population || population <= 0) return null;
  return count * 1000 >= population * targetPermille;
}
