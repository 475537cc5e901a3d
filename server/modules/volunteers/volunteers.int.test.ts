import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Activity, Certificate, MyPage, RatioTable, ServiceRecord, Team, Volunteer } from '../../../contracts/volunteers.ts';
import { gb11643CheckChar } from '../../../domain/id-number.ts';
import { checkinToken, tokenStep } from '../../../domain/volunteer-rules.ts';
import { buildApp } from '../../app.ts';
import { writeWorkbook, XLSX_MIME } from '../../lib/excel.ts';
import { type Client, type TestApp, startTestApp } from '../../test/harness.ts';
import { checkIn, closeEndedActivities, macOf } from './activities.service.ts';
import * as repo from './volunteers.repo.ts';

const withCheck = (first17: string) => first17 + gb11643CheckChar(first17);
let seq = 100;
/** A valid, unique 居民身份证 number born in the given year. */
const idNo = (year = 1990) => withCheck(`990102${year}0615${String(seq++).padStart(3, '0')}`);


describe('volunteers: registration, teams, activities, check-in, hours, certificates, figures', () => {
  let t: TestApp;
  let admin: Client;
  let qu: Client;
  let danwei: Client;
  let anon: Client;
  let communityId: string;
  let otherCommunityId: string;
  let teamId: string;
  const seen: string[] = [];

  const pub = (token: string) => ({
    get: (url: string) => anon.request('GET', url, undefined, { 'x-volunteer-token': token }),
    post: (url: string, body: unknown = {}) => anon.request('POST', url, body, { 'x-volunteer-token': token }),
  });
  const register = async (over: Record<string, unknown> = {}) => {
    const idNumber = (over.idNumber as string) ?? idNo();
    seen.push(idNumber);
    const res = await anon.post('/api/public/volunteers/register', {
      name: '张志愿',
      idType: 'resident_id',
      idNumber,
      phone: `139${String(seq).padStart(8, '0')}`,
      skills: ['急救'],
      serviceAreas: ['关爱空巢老人'],
      serviceTimes: ['周末'],
      communityId,
      consent: true,
      ...over,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { token: string; volunteer: Volunteer };
  };
  const activity = async (over: Record<string, unknown> = {}) => {
    const now = Date.now();
    const res = await danwei.post('/api/volunteer-activities', {
      teamId,
      title: '朝阳社区敬老服务',
      content: '为辖区空巢老人打扫卫生、陪伴聊天',
      themes: ['关爱空巢老人'],
      startsAt: new Date(now - 10 * 60_000).toISOString(),
      endsAt: new Date(now + 50 * 60_000).toISOString(),
      lng: 113.6654,
      lat: 34.7579,
      radiusM: 200,
      capacity: 2,
      signupDeadline: new Date(now + 40 * 60_000).toISOString(),
      ...over,
    });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { id: string }).id;
  };

  beforeAll(async () => {
    // the public registration limit (5 per 10 minutes per IP) is not what this file tests
    process.env.VOLUNTEER_REGISTER_RATE_MAX = '1000';
    t = await startTestApp();
    [admin, qu, danwei] = await Promise.all([t.login('admin'), t.login('qu_admin'), t.login('danwei')]);
    anon = t.anonymous();
    const opts = (await anon.get('/api/public/volunteers/options')).json() as { communities: { id: string; name: string }[] };
    communityId = opts.communities.find((c) => c.name === '朝阳社区')!.id;
    otherCommunityId = opts.communities.find((c) => c.name === '和平社区')!.id;
    const danweiId = (await t.deps.database.query<{ id: string }>(`SELECT id FROM users WHERE username = 'danwei'`)).rows[0].id;
    const street = (await t.deps.database.query<{ id: string }>(`SELECT id FROM org_units WHERE name = '新华街道'`)).rows[0].id;
    const team = await qu.post('/api/volunteer-teams', { name: '测试青年志愿服务队', kind: '青年志愿服务队', unitId: street, adminUserIds: [danweiId] });
    expect(team.statusCode, team.body).toBe(200);
    teamId = team.json().id;
  });
  afterAll(() => t.close());

  it('registers with a checked ID number; bad input names the field in Chinese; one person one record', async () => {
    const bad = await anon.post('/api/public/volunteers/register', {
      name: '李四', idType: 'resident_id', idNumber: '110105194912310021', phone: '13900000001', communityId, consent: true,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'body.idNumber', message: '证件号码校验位不正确，请核对' }] });
    expect(bad.json().error.message).toContain('证件号码');
    expect(bad.body).not.toContain('110105194912310021');
    const impossible = await anon.post('/api/public/volunteers/register', {
      name: '李四', idType: 'resident_id', idNumber: withCheck('99010220230230001'), phone: '13900000001', communityId, consent: true,
    });
    expect(impossible.json().error.details[0]).toEqual({ path: 'body.idNumber', message: '证件号码中的出生日期不存在' });
    const noConsent = await anon.post('/api/public/volunteers/register', { name: '李四', idType: 'resident_id', idNumber: idNo(), phone: '13900000001', communityId, consent: false });
    expect(noConsent.statusCode).toBe(400);
    expect(noConsent.json().error.details[0].path).toBe('body.consent');
    const passportNoBirth = await anon.post('/api/public/volunteers/register', { name: 'John', idType: 'passport', idNumber: 'E12345678', phone: '13900000001', communityId, consent: true });
    expect(passportNoBirth.json().error.details[0].path).toBe('body.birthDate');

    const id = idNo(1988);
    const ok = await register({ idNumber: id, name: '王小明', phone: '13912345678' });
    expect(ok.volunteer).toMatchObject({ name: '王小明', gender: 'male', birthDate: '1988-06-15', idMasked: `${id.slice(0, 6)}********${id.slice(-4)}`, communityName: '朝阳社区', source: 'self' });
    expect(JSON.stringify(ok)).not.toContain(id);
    const dup = await anon.post('/api/public/volunteers/register', { name: '王小明', idType: 'resident_id', idNumber: id.toLowerCase(), phone: '13900000002', communityId, consent: true });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error).toMatchObject({ code: 'DUPLICATE', details: [{ path: 'body.idNumber' }] });
    expect(dup.body).not.toContain(id);
    // at rest: encrypted, never in the audit log
    const row = (await t.deps.database.query<Record<string, unknown>>(`SELECT * FROM volunteers WHERE id = $1`, [ok.volunteer.id])).rows[0];
    expect(JSON.stringify(row)).not.toContain(id);
    expect(t.deps.crypto.decrypt(row.id_enc as string)).toBe(id);
    const audit = await t.deps.database.query<{ s: string }>(`SELECT string_agg(coalesce(before::text, '') || coalesce(after::text, ''), ' ') AS s FROM audit_log WHERE entity LIKE 'volunteer%'`);
    expect(audit.rows[0].s).toContain('王小明');
    expect(audit.rows[0].s).not.toContain(id);
    // admin search by name, pinyin initials, phone tail; full number only through the audited contact endpoint
    const byPinyin = (await qu.get('/api/volunteers?q=wxm')).json() as { items: Volunteer[] };
    expect(byPinyin.items.map((v) => v.name)).toContain('王小明');
    const byTail = (await qu.get(`/api/volunteers?q=${ok.volunteer.phoneMasked.slice(-4)}`)).json() as { items: Volunteer[] };
    expect(byTail.items.map((v) => v.id)).toContain(ok.volunteer.id);
    const contact = await qu.get(`/api/volunteers/${ok.volunteer.id}/contact`);
    expect(contact.json().idNumber).toBe(id);
    expect((await danwei.get(`/api/volunteers/${ok.volunteer.id}/contact`)).statusCode).toBe(404);
    // login on another phone
    const login = await anon.post('/api/public/volunteers/login', { idNumber: id, phone: '13912345678' });
    expect(login.json().volunteer.id).toBe(ok.volunteer.id);
    const wrong = await anon.post('/api/public/volunteers/login', { idNumber: id, phone: '13912345679' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).not.toContain(id);
  });

  it('joins a team with the team admin approval', async () => {
    const v = await register();
    const join = await pub(v.token).post(`/api/public/volunteers/teams/${teamId}/join`);
    expect(join.json()).toEqual({ state: 'pending' });
    expect((await pub(v.token).post(`/api/public/volunteers/teams/${teamId}/join`)).statusCode).toBe(409);
    const teams = (await danwei.get('/api/volunteer-teams')).json() as Team[];
    expect(teams.find((x) => x.id === teamId)).toMatchObject({ isMine: true, pendingCount: 1 });
    const decided = await danwei.post(`/api/volunteer-teams/${teamId}/members/${v.volunteer.id}/decide`, { approve: true });
    expect(decided.json()).toEqual({ state: 'approved' });
    const me = (await pub(v.token).get('/api/public/volunteers/me')).json() as MyPage;
    expect(me.teams).toEqual([{ id: teamId, name: '测试青年志愿服务队', state: 'approved' }]);
    expect((await pub('nonsense').get('/api/public/volunteers/me')).statusCode).toBe(401);
  });

  it('signs up with capacity and a waiting list; eligibility by age and skills', async () => {
    const id = await activity({ capacity: 1, minAge: 18, skills: ['急救'] });
    const a = await register();
    const b = await register();
    const young = await register({ idNumber: idNo(2015) });
    const noSkill = await register({ skills: [] });
    expect((await pub(a.token).post(`/api/public/volunteers/activities/${id}/signup`)).json()).toEqual({ state: 'signed' });
    expect((await pub(b.token).post(`/api/public/volunteers/activities/${id}/signup`)).json()).toEqual({ state: 'waiting' });
    const tooYoung = await pub(young.token).post(`/api/public/volunteers/activities/${id}/signup`);
    expect(tooYoung.statusCode).toBe(422);
    expect(tooYoung.json().error.message).toBe('本活动要求年满 18 周岁');
    expect((await pub(noSkill.token).post(`/api/public/volunteers/activities/${id}/signup`)).json().error.message).toBe('本活动需要以下技能：急救');
    expect((await pub(a.token).post(`/api/public/volunteers/activities/${id}/cancel`)).json()).toEqual({ state: 'cancelled' });
    const att = (await danwei.get(`/api/volunteer-activities/${id}/attendance`)).json() as { volunteerId: string; state: string }[];
    expect(att.find((x) => x.volunteerId === b.volunteer.id)?.state).toBe('signed');
  });

  it('checks in and out with the rotating code inside the radius; replays, strangers and far phones are refused', async () => {
    const id = await activity();
    const v = await register();
    const stranger = await register();
    await pub(v.token).post(`/api/public/volunteers/activities/${id}/signup`);
    const code = (await danwei.get(`/api/volunteer-activities/${id}/checkin-code`)).json() as { token: string; code: string; url: string; qrSvg: string };
    expect(code.url).toContain(`/h5/v/checkin?a=${id}&t=`);
    expect(code.qrSvg).toContain('<svg');
    expect(code.code).toMatch(/^\d{6}$/);
    expect((await anon.get(`/api/volunteer-activities/${id}/checkin-code`)).statusCode).toBe(401);

    const far = await pub(v.token).post(`/api/public/volunteers/activities/${id}/checkin`, { token: code.token, lng: 113.7, lat: 34.7579 });
    expect(far.statusCode).toBe(422);
    expect(far.json().error.message).toMatch(/^您不在活动地点范围内：距活动地点约 \d+ 米，须在 200 米以内$/);
    const notSigned = await pub(stranger.token).post(`/api/public/volunteers/activities/${id}/checkin`, { token: code.token, lng: 113.6654, lat: 34.7579 });
    expect(notSigned.json().error.message).toBe('您未报名本活动，不能签到');
    const forged = await pub(v.token).post(`/api/public/volunteers/activities/${id}/checkin`, { token: `${code.token.split('.')[0]}.AAAAAAAAAAAAAAAAAAAAAA`, lng: 113.6654, lat: 34.7579 });
    expect(forged.statusCode).toBe(422);

    const inRes = await pub(v.token).post(`/api/public/volunteers/activities/${id}/checkin`, { token: code.code, lng: 113.6655, lat: 34.758 });
    expect(inRes.statusCode, inRes.body).toBe(200);
    expect(inRes.json()).toMatchObject({ action: 'in', minutes: null });
    // the same step again (QR of the same 30 s) is a replay
    const replay = await pub(v.token).post(`/api/public/volunteers/activities/${id}/checkin`, { token: code.token, lng: 113.6655, lat: 34.758 });
    expect(replay.statusCode).toBe(409);
    expect(replay.json().error.message).toContain('已使用');
    // an old token (two steps back) is expired
    const old = checkinToken(macOf(t.deps), id, tokenStep(new Date()) - 2);
    expect((await pub(v.token).post(`/api/public/volunteers/activities/${id}/checkin`, { token: old, lng: 113.6655, lat: 34.758 })).json().error.message).toContain('已过期');

    // check-out 20 minutes later with that moment's token
    const vRow = (await repo.getVolunteer(t.deps.db, v.volunteer.id))!;
    const later = new Date(Date.now() + 20 * 60_000);
    const out = await checkIn(t.deps, vRow, id, { token: checkinToken(macOf(t.deps), id, tokenStep(later)), lng: 113.6654, lat: 34.7579 }, '127.0.0.1', later);
    expect(out.action).toBe('out');
    expect(out.minutes).toBeGreaterThanOrEqual(19);
    expect(out.minutes).toBeLessThanOrEqual(20);
    const me = (await pub(v.token).get('/api/public/volunteers/me')).json() as MyPage;
    expect(me.minutesByState.pending).toBe(out.minutes);
    expect(me.records[0]).toMatchObject({ kind: 'checkin', state: 'pending', isLate: false, isAutoCheckout: false });

    // outside the window: an activity of tomorrow
    const tomorrow = await activity({
      startsAt: new Date(Date.now() + 86_400_000).toISOString(),
      endsAt: new Date(Date.now() + 90_000_000).toISOString(),
      signupDeadline: new Date(Date.now() + 80_000_000).toISOString(),
    });
    await pub(v.token).post(`/api/public/volunteers/activities/${tomorrow}/signup`);
    const tcode = (await danwei.get(`/api/volunteer-activities/${tomorrow}/checkin-code`)).json() as { token: string };
    const early = await pub(v.token).post(`/api/public/volunteers/activities/${tomorrow}/checkin`, { token: tcode.token, lng: 113.6654, lat: 34.7579 });
    expect(early.statusCode).toBe(422);
    expect(early.json().error.message).toMatch(/^未到签到时间/);
  });

  it('closes ended activities: forgotten check-outs at the end, flagged; no-shows', async () => {
    const start = new Date(Date.now() - 3 * 3_600_000);
    const end = new Date(Date.now() - 3_600_000);
    const id = await activity({ startsAt: start.toISOString(), endsAt: end.toISOString(), signupDeadline: start.toISOString(), capacity: 5 });
    const came = await register();
    const never = await register();
    await t.deps.database.query(`INSERT INTO volunteer_signups (activity_id, volunteer_id, state, signed_at) VALUES ($1, $2, 'signed', now()), ($1, $3, 'signed', now())`, [
      id,
      came.volunteer.id,
      never.volunteer.id,
    ]);
    const vRow = (await repo.getVolunteer(t.deps.db, came.volunteer.id))!;
    const at = new Date(start.getTime() + 30 * 60_000);
    await checkIn(t.deps, vRow, id, { token: checkinToken(macOf(t.deps), id, tokenStep(at)), lng: 113.6654, lat: 34.7579 }, '127.0.0.1', at);
    const r = await closeEndedActivities(t.deps);
    expect(r).toMatchObject({ autoCheckouts: 1, noShows: 1 });
    expect((await closeEndedActivities(t.deps)).activities).toBe(0);
    const att = (await danwei.get(`/api/volunteer-activities/${id}/attendance`)).json() as { volunteerId: string; state: string; isAutoCheckout: boolean; checkoutAt: string }[];
    expect(att.find((x) => x.volunteerId === came.volunteer.id)).toMatchObject({ isAutoCheckout: true, checkoutAt: end.toISOString() });
    expect(att.find((x) => x.volunteerId === never.volunteer.id)?.state).toBe('no_show');
    const recs = (await qu.get(`/api/volunteer-records?activityId=${id}`)).json() as { items: ServiceRecord[] };
    expect(recs.items).toHaveLength(1);
    expect(recs.items[0]).toMatchObject({ isAutoCheckout: true, minutes: 90, state: 'pending' });
  });

  it('补录: capped by the planned duration (422), approved by another admin only (own 403); late flag; corrections; certificate; public verification', async () => {
    const start = new Date(Date.now() - 40 * 86_400_000);
    const end = new Date(start.getTime() + 2 * 3_600_000);
    const id = await activity({ startsAt: start.toISOString(), endsAt: end.toISOString(), signupDeadline: start.toISOString() });
    const v = await register({ name: '赵证明' });
    const over = await qu.post('/api/volunteer-records', { volunteerId: v.volunteer.id, activityId: id, minutes: 121, source: '纸质签到表', reason: '忘记扫码签到' });
    expect(over.statusCode).toBe(422);
    expect(over.json().error.details[0].path).toBe('body.minutes');
    const rec = await qu.post('/api/volunteer-records', { volunteerId: v.volunteer.id, activityId: id, minutes: 120, source: '纸质签到表', reason: '忘记扫码签到' });
    expect(rec.statusCode, rec.body).toBe(200);
    const r = rec.json() as ServiceRecord;
    expect(r).toMatchObject({ kind: 'manual', state: 'pending', isLate: true, minutes: 120 });
    const own = await qu.post(`/api/volunteer-records/${r.id}/decide`, { action: 'approve', version: r.version });
    expect(own.statusCode).toBe(403);
    const ok = await admin.post(`/api/volunteer-records/${r.id}/decide`, { action: 'approve', version: r.version });
    expect(ok.json()).toMatchObject({ state: 'approved' });
    const again = await admin.post(`/api/volunteer-records/${r.id}/decide`, { action: 'reject', note: 'x', version: r.version + 1 });
    expect(again.statusCode).toBe(409);
    // the volunteer asks for a correction; approved, it supersedes the original
    const corr = await pub(v.token).post(`/api/public/volunteers/records/${r.id}/correction`, { minutes: 100, reason: '实际服务 100 分钟' });
    expect(corr.statusCode, corr.body).toBe(200);
    const c = corr.json() as ServiceRecord;
    expect(c).toMatchObject({ kind: 'correction', correctsId: r.id, state: 'pending' });
    expect((await admin.post(`/api/volunteer-records/${c.id}/decide`, { action: 'approve', version: c.version })).statusCode).toBe(200);
    const me = (await pub(v.token).get('/api/public/volunteers/me')).json() as MyPage;
    expect(me.minutesByState.approved).toBe(100);
    expect((await t.deps.database.query(`SELECT 1 FROM volunteer_records WHERE id = $1 AND superseded_by = $2`, [r.id, c.id])).rows).toHaveLength(1);
    await expect(t.deps.database.query(`DELETE FROM volunteer_records WHERE id = $1`, [r.id])).rejects.toThrow();
    const events = await t.deps.database.query<{ action: string }>(`SELECT action FROM volunteer_record_events WHERE record_id = $1 ORDER BY id`, [r.id]);
    expect(events.rows.map((e) => e.action)).toEqual(['create', 'approve', 'superseded']);

    // certificate from approved records only
    const cert = await qu.post('/api/volunteer-certificates', { volunteerId: v.volunteer.id });
    expect(cert.statusCode, cert.body).toBe(200);
    const cc = cert.json() as Certificate;
    expect(cc).toMatchObject({ name: '赵证明', hours: '1.7', recordCount: 1, issuer: '文明区' });
    expect(cc.number).toMatch(/^ZYZM\d{4}\d{6}$/);
    const pubView = await anon.get(`/api/public/certificates/${cc.verifyCode}`);
    expect(pubView.statusCode).toBe(200);
    expect(Object.keys(pubView.json()).sort()).toEqual(['content', 'hours', 'idMasked', 'issuedAt', 'issuer', 'name', 'number', 'periodFrom', 'periodTo', 'recordCount']);
    expect((await anon.get('/api/public/certificates/NOSUCHCODE12')).statusCode).toBe(404);
    const docx = await qu.get(`/api/volunteer-certificates/${cc.id}/file?format=docx`);
    expect(docx.statusCode).toBe(200);
    expect(docx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const pdf = await pub(v.token).get(`/api/public/volunteers/certificates/${cc.id}/file?format=pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const none = await register();
    expect((await qu.post('/api/volunteer-certificates', { volunteerId: none.volunteer.id })).statusCode).toBe(422);
  });

  it('the ratio table recomputes from the records to the digit; drill-down; settings are city-level', async () => {
    await register({ communityId: otherCommunityId });
    const table = (await admin.get('/api/volunteers/ratio')).json() as RatioTable;
    expect(table.targetPermille).toBe(80);
    const db = t.deps.database;
    for (const row of table.rows) {
      const path = (await db.query<{ path: string; population: number | null }>(`SELECT path, population FROM org_units WHERE id = $1`, [row.unitId])).rows[0];
      const reg = Number((await db.query<{ n: string }>(`SELECT count(*) n FROM volunteers WHERE community_path LIKE $1`, [`${path.path}%`])).rows[0].n);
      const min = Number(
        (await db.query<{ n: string }>(`SELECT coalesce(sum(r.minutes),0) n FROM volunteer_records r JOIN volunteers v ON v.id = r.volunteer_id WHERE v.community_path LIKE $1 AND r.state='approved' AND r.superseded_by IS NULL`, [`${path.path}%`])).rows[0].n,
      );
      expect(row.registered).toBe(reg);
      expect(row.approvedMinutes).toBe(min);
      expect(row.population).toBe(path.population);
      if (row.population) {
        expect(row.ratioPercent).toBe(((Math.round((reg * 10000) / row.population) / 100).toFixed(2)));
        expect(row.meetsTarget).toBe(reg / row.population >= 0.08);
      }
    }
    const wm = table.rows.find((r) => r.unitName === '文明区')!;
    const down = (await admin.get(`/api/volunteers/ratio?parentId=${wm.unitId}`)).json() as RatioTable;
    expect(down.rows.map((r) => r.unitName)).toEqual(['新华街道', '人民街道']);
    expect(down.total.registered).toBe(wm.registered);
    const settings = (await admin.get('/api/volunteers/settings')).json();
    expect((await qu.request('PUT', '/api/volunteers/settings', { ...settings, ratioTargetPermille: 100 })).statusCode).toBe(403);
    const saved = await admin.request('PUT', '/api/volunteers/settings', { ...settings, ratioTargetPermille: 100 });
    expect(saved.json()).toMatchObject({ ratioTargetPermille: 100 });
    expect((await admin.request('PUT', '/api/volunteers/settings', { ...settings, ratioTargetPermille: 90 })).statusCode).toBe(409);
  });

  it('the ID number never reaches the server log (registration, refusals, duplicates, login)', async () => {
    const lines: string[] = [];
    const logged = await buildApp(t.deps, { logger: { level: 'trace', stream: { write: (l: string) => lines.push(l) } } });
    await logged.ready();
    const id = idNo(1977);
    const send = (url: string, payload: unknown) => logged.inject({ method: 'POST', url, payload: payload as object });
    const body = { name: '日志测试', idType: 'resident_id', idNumber: id, phone: '13911112222', communityId, consent: true };
    expect((await send('/api/public/volunteers/register', body)).statusCode).toBe(200);
    expect((await send('/api/public/volunteers/register', body)).statusCode).toBe(409);
    expect((await send('/api/public/volunteers/register', { ...body, idNumber: `${id.slice(0, 17)}${id[17] === '0' ? '1' : '0'}` })).statusCode).toBe(400);
    expect((await send('/api/public/volunteers/login', { idNumber: id, phone: '13900000000' })).statusCode).toBe(401);
    await logged.close();
    expect(lines.length).toBeGreaterThan(4);
    for (const l of lines) {
      expect(l).not.toContain(id);
      expect(l).not.toContain(id.slice(0, 17));
    }
  });

  it('export for the national system carries the full ID (managers only); lists and the activity never do', async () => {
    const list = await qu.get('/api/volunteers?pageSize=200');
    const acts = await anon.get('/api/public/volunteers/activities');
    for (const id of seen) {
      expect(list.body).not.toContain(id);
      expect(acts.body).not.toContain(id);
    }
    expect((await danwei.get('/api/volunteers/export')).statusCode).toBe(403);
    const x = await qu.get('/api/volunteers/export');
    expect(x.statusCode).toBe(200);
    const audit = await t.deps.database.query<{ s: string }>(`SELECT string_agg(coalesce(before::text,'') || coalesce(after::text,''), ' ') AS s FROM audit_log`);
    for (const id of seen) expect(audit.rows[0].s).not.toContain(id);
    const acts2 = (await anon.get('/api/public/volunteers/activities?when=upcoming')).json() as { items: Activity[] };
    expect(acts2.items.every((a) => a.canManage === false)).toBe(true);
  });
});

function multipart(buf: Buffer, filename = 'import.xlsx', type = XLSX_MIME) {
  const boundary = `----cwtest${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, buf, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
const upload = (c: Client, url: string, buf: Buffer, filename?: string, type?: string) => {
  const m = multipart(buf, filename, type);
  return c.request('POST', url, m.payload, m.headers);
};
const HEAD = ['姓名', '证件类型', '证件号码', '出生日期', '性别', '手机号', '所在社区', '专业技能', '服务领域', '服务时间', '本人同意'];
const sheet = (rows: string[][]) => writeWorkbook([{ name: '志愿者', columns: HEAD.map((header) => ({ header })), rows }]);

describe('volunteers: the demo city, and the Excel import', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ uploadMaxBytes: 300_000 });
  });

  it('imports from Excel: template, preview with per-row errors (within the file and against the database), all or nothing, 415/413', async () => {
    const qu = await t.login('qu_admin');
    const tpl = await qu.get('/api/volunteers/import/template');
    expect(tpl.statusCode).toBe(200);
    expect(tpl.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const taken = withCheck('99010219800101555');
    const reg = await t.anonymous().post('/api/public/volunteers/register', { name: '已注册', idType: 'resident_id', idNumber: taken, phone: '13700000000', communityId: (await t.deps.database.query<{ id: string }>(`SELECT id FROM org_units WHERE name = '朝阳社区'`)).rows[0].id, consent: true });
    expect(reg.statusCode).toBe(200);
    const a = withCheck('99010219850202101');
    const b = withCheck('99010219850202103');
    const rows = [
      ['赵一', '居民身份证', a, '', '', '13700000001', '朝阳社区', '急救、外语', '关爱空巢老人', '周末', '是'],
      ['钱二', '', b, '', '', '13700000002', '光明社区', '', '', '', '是'],
      ['孙三', '居民身份证', '990102198502021010', '', '', '13700000003', '朝阳社区', '', '', '', '是'],
      ['李四', '居民身份证', a.toLowerCase(), '', '', '13700000004', '朝阳社区', '', '', '', '是'],
      ['周五', '居民身份证', taken, '', '', '13700000005', '朝阳社区', '', '', '', '是'],
      ['吴六', '护照', 'E98765432', '1990-05-01', '女', '1370000000', '和平社区', '', '', '', ''],
    ];
    const before = (await t.deps.database.query<{ n: number }>(`SELECT count(*)::int n FROM volunteers`)).rows[0].n;
    const preview = await upload(qu, '/api/volunteers/import', await sheet(rows));
    expect(preview.statusCode, preview.body).toBe(200);
    const p = preview.json() as { total: number; valid: number; rows: { row: number; errors: { field: string; message: string }[]; idMasked: string }[] };
    expect(p).toMatchObject({ total: 6, valid: 2 });
    const errs = (row: number) => p.rows.find((r) => r.row === row)!.errors;
    expect(errs(4)).toEqual([{ field: '证件号码', message: expect.stringContaining('校验位') }]);
    expect(errs(5)).toEqual([{ field: '证件号码', message: '与第 2 行的证件号码重复' }]);
    expect(errs(6)).toEqual([{ field: '证件号码', message: '该证件号码已注册为志愿者' }]);
    // 和平社区 lies in 和谐区, outside qu_admin's 文明区
    expect(errs(7).map((e) => e.field).sort()).toEqual(['所在社区', '手机号', '本人同意']);
    expect(errs(7).find((e) => e.field === '所在社区')!.message).toBe('社区“和平社区”不在您的管辖范围内');
    expect(preview.body).not.toContain(a);
    const refused = await upload(qu, '/api/volunteers/import?commit=true', await sheet(rows));
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.details[0].message).toMatch(/^第 \d 行/);
    expect((await t.deps.database.query<{ n: number }>(`SELECT count(*)::int n FROM volunteers`)).rows[0].n).toBe(before);
    const ok = await upload(qu, '/api/volunteers/import?commit=true', await sheet(rows.slice(0, 2)));
    expect(ok.json()).toMatchObject({ imported: 2 });
    expect((await t.deps.database.query<{ n: number }>(`SELECT count(*)::int n FROM volunteers WHERE source = 'import' AND name IN ('赵一', '钱二')`)).rows[0].n).toBe(2);
    // wrong type, too large, no permission
    expect((await upload(qu, '/api/volunteers/import', Buffer.from('姓名,证件号码\n张三,1'), 'a.csv', 'text/csv')).statusCode).toBe(415);
    expect((await upload(qu, '/api/volunteers/import', Buffer.alloc(400_000, 1))).statusCode).toBe(413);
    expect((await upload(await t.login('danwei'), '/api/volunteers/import', await sheet(rows))).statusCode).toBe(403);
  });
  afterAll(() => t.close());

  it('has teams of several kinds, communities on both sides of 8 %, attendance, late records, a 补录 waiting, verifiable certificates', async () => {
    const admin = await t.login('admin');
    const teams = (await admin.get('/api/volunteer-teams')).json() as Team[];
    expect(new Set(teams.map((x) => x.kind)).size).toBeGreaterThanOrEqual(5);
    const stations = (await admin.get('/api/volunteer-stations')).json() as { name: string; pointName: string | null; teams: unknown[] }[];
    expect(stations.find((x) => x.name === '新华街道新时代文明实践所')).toMatchObject({ pointName: '新华街道新时代文明实践所' });
    expect(stations.every((x) => x.teams.length > 0)).toBe(true);
    const city = (await admin.get('/api/volunteers/ratio')).json() as RatioTable;
    const wm = city.rows.find((r) => r.unitName === '文明区')!;
    const xh = ((await admin.get(`/api/volunteers/ratio?parentId=${wm.unitId}`)).json() as RatioTable).rows.find((r) => r.unitName === '新华街道')!;
    const comms = ((await admin.get(`/api/volunteers/ratio?parentId=${xh.unitId}`)).json() as RatioTable).rows;
    expect(comms.find((r) => r.unitName === '朝阳社区')?.meetsTarget).toBe(true);
    const rm = ((await admin.get(`/api/volunteers/ratio?parentId=${wm.unitId}`)).json() as RatioTable).rows.find((r) => r.unitName === '人民街道')!;
    const rmComms = ((await admin.get(`/api/volunteers/ratio?parentId=${rm.unitId}`)).json() as RatioTable).rows;
    expect(rmComms.every((r) => r.meetsTarget === false)).toBe(true);
    expect(comms.find((r) => r.unitName === '朝阳社区')!.active).toBeGreaterThan(10);
    const late = (await admin.get('/api/volunteer-records?isLate=true&state=approved')).json() as { total: number };
    expect(late.total).toBeGreaterThan(0);
    const pending = (await admin.get('/api/volunteer-records?state=pending&pageSize=200')).json() as { items: ServiceRecord[] };
    expect(pending.items.some((r) => r.kind === 'manual')).toBe(true);
    const qu = await t.login('qu_admin');
    const manual = pending.items.find((r) => r.kind === 'manual')!;
    expect((await qu.post(`/api/volunteer-records/${manual.id}/decide`, { action: 'approve', version: manual.version })).statusCode).toBe(200);
    const certs = (await admin.get('/api/volunteer-certificates')).json() as { items: Certificate[] };
    expect(certs.items.length).toBeGreaterThanOrEqual(3);
    expect((await t.anonymous().get(`/api/public/certificates/${certs.items[0].verifyCode}`)).statusCode).toBe(200);
    const auto = await t.deps.database.query(`SELECT 1 FROM volunteer_records WHERE is_auto_checkout`);
    expect(auto.rows.length).toBeGreaterThan(0);
    const noShow = await t.deps.database.query(`SELECT 1 FROM volunteer_signups WHERE state = 'no_show'`);
    expect(noShow.rows.length).toBeGreaterThan(0);
  });
});
