import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ageOn, checkGb11643, checkIdNumber, gb11643CheckChar, maskIdNumber } from './id-number.ts';
import {
  checkinCode,
  checkinToken,
  isLateRecord,
  type Mac,
  meetsTarget,
  nextRecordState,
  RECORD_FLOW,
  RECORD_STATES,
  ratioPercent,
  serviceMinutes,
  starLevel,
  TOKEN_STEP_SECONDS,
  tokenStep,
  verifyCheckin,
  windowRefusal,
} from './volunteer-rules.ts';
import { calendarOf, EMPTY_CALENDAR } from './working-days.ts';
import { createHmac } from 'node:crypto';

const TODAY = '2026-12-03';
const withCheck = (first17: string) => first17 + gb11643CheckChar(first17);

describe('GB 11643 ID numbers', () => {
  it('accepts the standard example and derives birth date and gender', () => {
    expect(checkGb11643('11010519491231002X', TODAY)).toEqual({ ok: true, normalized: '11010519491231002X', birthDate: '1949-12-31', gender: 'female' });
    expect(checkIdNumber('resident_id', ' 11010519491231002x ', TODAY)).toMatchObject({ ok: true, normalized: '11010519491231002X' });
  });
  it('refuses a wrong check digit, impossible and future dates, bad shapes', () => {
    expect(checkGb11643('110105194912310021', TODAY)).toEqual({ ok: false, message: '证件号码校验位不正确，请核对' });
    expect(checkGb11643(withCheck('41010220230229001'), TODAY)).toEqual({ ok: false, message: '证件号码中的出生日期不存在' });
    expect(checkGb11643(withCheck('41010219990431001'), TODAY)).toMatchObject({ ok: false });
    expect(checkGb11643(withCheck('41010220301201001'), TODAY)).toMatchObject({ ok: false, message: '证件号码中的出生日期不存在' });
    expect(checkGb11643('4101021990', TODAY)).toMatchObject({ ok: false });
    expect(checkIdNumber('residence_permit', withCheck('41010219900101001'), TODAY)).toMatchObject({ ok: false });
    expect(checkIdNumber('residence_permit', withCheck('81000019900101001'), TODAY)).toMatchObject({ ok: true, gender: 'male' });
  });
  it('property: every valid date and sequence passes with its check char, and every other last char fails', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100000, max: 999999 }), fc.date({ min: new Date('1920-01-01'), max: new Date('2025-12-31'), noInvalidDate: true }), fc.integer({ min: 0, max: 999 }), (area, d, seq) => {
        const ymd = d.toISOString().slice(0, 10);
        const first17 = `${area}${ymd.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
        const good = checkGb11643(withCheck(first17), TODAY);
        expect(good).toMatchObject({ ok: true, birthDate: ymd, gender: seq % 2 === 1 ? 'male' : 'female' });
        for (const c of '0123456789X') if (c !== gb11643CheckChar(first17)) expect(checkGb11643(first17 + c, TODAY).ok).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
  it('checks the other documents by shape; masks; ages', () => {
    expect(checkIdNumber('passport', 'e1234567', TODAY)).toEqual({ ok: true, normalized: 'E1234567', birthDate: null, gender: null });
    expect(checkIdNumber('hk_macau_pass', 'H1234567', TODAY)).toMatchObject({ ok: false });
    expect(checkIdNumber('hk_macau_pass', 'H12345678', TODAY)).toMatchObject({ ok: true });
    expect(checkIdNumber('taiwan_pass', '12345678', TODAY)).toMatchObject({ ok: true });
    expect(checkIdNumber('foreign_permanent', 'USA123456789012', TODAY)).toMatchObject({ ok: true });
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
    expect(maskIdNumber('E1234567')).toBe('E*****67');
    expect(ageOn('2008-12-04', TODAY)).toBe(17);
    expect(ageOn('2008-12-03', TODAY)).toBe(18);
  });
});

describe('hours and lateness', () => {
  const at = (hm: string) => new Date(`2026-11-21T${hm}:00+08:00`);
  it('clips to the activity span', () => {
    expect(serviceMinutes(at('09:50'), at('11:10'), at('10:00'), at('11:00'))).toBe(60);
    expect(serviceMinutes(at('10:15'), at('10:45'), at('10:00'), at('11:00'))).toBe(30);
    expect(serviceMinutes(at('11:05'), at('11:30'), at('10:00'), at('11:00'))).toBe(0);
  });
  it('property: never more than the span, never negative', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 0, max: 1e6 }), (a, b, c, d) => {
        const [s, e] = [Math.min(c, d), Math.max(c, d)].map((x) => new Date(x * 60_000));
        const m = serviceMinutes(new Date(a * 60_000), new Date(b * 60_000), s, e);
        expect(m).toBeGreaterThanOrEqual(0);
        expect(m).toBeLessThanOrEqual((e.getTime() - s.getTime()) / 60_000);
      }),
    );
  });
  it('is late after the 10th working day, holidays counted out', () => {
    const end = new Date('2026-11-20T12:00:00+08:00'); // Friday
    expect(isLateRecord(end, new Date('2026-12-04T23:00:00+08:00'), EMPTY_CALENDAR)).toBe(false);
    expect(isLateRecord(end, new Date('2026-12-05T00:00:30+08:00'), EMPTY_CALENDAR)).toBe(true);
    const cal = calendarOf([{ date: '2026-11-23', kind: 'holiday' }]);
    expect(isLateRecord(end, new Date('2026-12-07T09:00:00+08:00'), cal)).toBe(false);
  });
  it('stars from thresholds', () => {
    const t = [100, 300, 600, 1000, 1500];
    expect(starLevel(99 * 60 + 59, t)).toBe(0);
    expect(starLevel(100 * 60, t)).toBe(1);
    expect(starLevel(1500 * 60, t)).toBe(5);
    expect(starLevel(299 * 60, [10, 20, 30, 40, 50])).toBe(5);
  });
  it('record flow: only 待审核 moves, to 通过 or 不通过', () => {
    expect(nextRecordState('pending', 'approve')).toBe('approved');
    expect(nextRecordState('pending', 'reject')).toBe('rejected');
    for (const s of RECORD_STATES) if (s !== 'pending') expect(Object.keys(RECORD_FLOW[s])).toEqual([]);
    expect(nextRecordState('approved', 'reject')).toBeNull();
  });
  it('ratio from counts', () => {
    expect(ratioPercent(81, 1000)).toBe('8.10');
    expect(ratioPercent(1, 3)).toBe('33.33');
    expect(ratioPercent(2, 3)).toBe('66.67');
    expect(ratioPercent(5, 0)).toBeNull();
    expect(meetsTarget(80, 1000, 80)).toBe(true);
    expect(meetsTarget(79, 1000, 80)).toBe(false);
  });
});

describe('rotating check-in token', () => {
  const key = Buffer.from('k'.repeat(32));
  const mac: Mac = (m) => createHmac('sha256', key).update(m).digest('base64url');
  const other: Mac = (m) => createHmac('sha256', Buffer.from('x'.repeat(32))).update(m).digest('base64url');
  const now = new Date('2026-11-21T10:00:10Z');
  const step = tokenStep(now);
  it('accepts the current and the previous step only', () => {
    expect(verifyCheckin(mac, 'a1', checkinToken(mac, 'a1', step), now)).toEqual({ ok: true, step });
    expect(verifyCheckin(mac, 'a1', checkinToken(mac, 'a1', step - 1), now)).toEqual({ ok: true, step: step - 1 });
    expect(verifyCheckin(mac, 'a1', checkinToken(mac, 'a1', step - 2), now)).toEqual({ ok: false, reason: '签到码已过期，请扫描组织者手机上的最新二维码' });
    expect(verifyCheckin(mac, 'a1', checkinCode(mac, 'a1', step), now)).toEqual({ ok: true, step });
    expect(verifyCheckin(mac, 'a1', checkinCode(mac, 'a1', step - 3), new Date(now.getTime())).ok).toBe(checkinCode(mac, 'a1', step - 3) === checkinCode(mac, 'a1', step) || checkinCode(mac, 'a1', step - 3) === checkinCode(mac, 'a1', step - 1));
    const later = new Date(now.getTime() + 2 * TOKEN_STEP_SECONDS * 1000);
    expect(verifyCheckin(mac, 'a1', checkinToken(mac, 'a1', step), later).ok).toBe(false);
  });
  it('is bound to the activity and the key', () => {
    expect(verifyCheckin(mac, 'a2', checkinToken(mac, 'a1', step), now).ok).toBe(false);
    expect(verifyCheckin(mac, 'a1', checkinToken(other, 'a1', step), now).ok).toBe(false);
    expect(checkinCode(mac, 'a1', step)).toMatch(/^\d{6}$/);
  });
  it('windows', () => {
    const s = new Date('2026-11-21T10:00:00Z');
    const e = new Date('2026-11-21T12:00:00Z');
    expect(windowRefusal('in', new Date('2026-11-21T09:29:00Z'), s, e)).toMatch(/未到签到时间/);
    expect(windowRefusal('in', new Date('2026-11-21T09:31:00Z'), s, e)).toBeNull();
    expect(windowRefusal('in', new Date('2026-11-21T12:01:00Z'), s, e)).toBe('活动已结束，不能签到');
    expect(windowRefusal('out', new Date('2026-11-21T13:01:00Z'), s, e)).toMatch(/签退已截止/);
  });
});
