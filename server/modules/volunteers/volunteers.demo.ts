import { maskIdNumber } from '../../../domain/id-number.ts';
import { searchTextOf } from '../../../domain/pinyin.ts';
import { isLateRecord, serviceMinutes } from '../../../domain/volunteer-rules.ts';
import { shanghaiDate } from '../../../domain/working-days.ts';
import type { Executor } from '../../db/client.ts';
import type { Crypto } from '../../lib/crypto.ts';
import { newId } from '../../lib/ids.ts';
import { loadCalendar } from '../issues/index.ts';
import { getPointByName, getUnitsByIds, listCommunities } from '../org/index.ts';
import type { volunteerRecords } from './volunteers.tables.ts';
import * as repo from './volunteers.repo.ts';

/** Kinds of teams and stations, and activity themes: data every installation starts with (more can be added). */
export const TEAM_KINDS = ['青年志愿服务队', '巾帼志愿服务队', '平安志愿服务队', '绿色生态志愿服务队', '天使志愿服务队', '文明交通志愿服务队', '党员志愿服务队', '社区志愿服务队'];
export const STATION_KINDS = ['学雷锋志愿服务站', '新时代文明实践所', '新时代文明实践站'];
export const THEMES = ['关爱空巢老人', '关爱留守儿童', '关爱困难职工', '关爱残疾人', '文明交通', '环境整治', '垃圾分类', '文明餐桌', '理论宣讲', '应急救护', '助学支教'];

export async function seedVolunteerTags(db: Executor): Promise<void> {
  const rows = [
    ...TEAM_KINDS.map((name, i) => ({ id: newId(), category: 'team_kind', name, sort: i + 1 })),
    ...STATION_KINDS.map((name, i) => ({ id: newId(), category: 'station_kind', name, sort: i + 1 })),
    ...THEMES.map((name, i) => ({ id: newId(), category: 'theme', name, sort: i + 1 })),
  ];
  await repo.insertTags(db, rows);
}

type Community = { id: string; name: string; path: string; center: [number, number] };

/** Registered volunteers per demo community: 朝阳, 光明 and 和平 meet 8 % of their residents, the others do not. */
const DEMO_COUNTS: Record<string, number> = { 朝阳社区: 760, 光明社区: 900, 建设社区: 450, 解放社区: 300, 和平社区: 740, 团结社区: 200, 振兴社区: 350, 春风社区: 150 };
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕云莲真环雪荣爱妹霞香月莺媛瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽';
const SKILLS = ['急救', '心理疏导', '法律咨询', '外语', '摄影', '驾驶', '电脑', '医疗护理', '文艺表演', '家电维修'];
const TIMES = ['工作日白天', '工作日晚上', '周末', '节假日'];
const CENTER: [number, number] = [113.6654, 34.7579];

/** A deterministic pseudo-random sequence, so the demo city is the same on every install. */
function rng(seed: number) {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return x / 0x7fffffff;
  };
}

/** The GB 11643 check character (the demo's ID numbers are valid, with the unassigned area prefix 99). */
function idWithCheck(first17: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * w[i];
  return first17 + '10X98765432'[sum % 11];
}

/**
 * The demo city's volunteering: teams of several kinds with their admins (wangge runs 朝阳社区's
 * team, danwei the 城管局's), three stations, about 3,850 volunteers spread so that three
 * communities reach 8 % of their residents and five do not, three months of activities with
 * attendance (automatic check-outs, no-shows, late records), a 补录 waiting for qu_admin's
 * approval, and certificates. Deterministic; a second or two on PGlite.
 */
export async function seedVolunteersDemo(db: Executor, crypto: Crypto, now = new Date()): Promise<void> {
  const rand = rng(20261121);
  const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)];
  const comms = await listCommunities(db);
  const units = await getUnitsByIds(db, comms.map((c) => c.id));
  const parents = await getUnitsByIds(db, [...new Set(units.map((u) => u.parentId).filter((x): x is string => !!x))]);
  const byId = new Map([...units, ...parents].map((u) => [u.id, u]));
  const communities: Community[] = comms.map((c, i) => ({ id: c.id, name: c.name, path: byId.get(c.id)!.path, center: [CENTER[0] - 0.027 + (i % 4) * 0.018, CENTER[1] - 0.008 + Math.floor(i / 4) * 0.016] }));
  const byName = new Map(communities.map((c) => [c.name, c]));
  const parentOf = (c: Community) => byId.get(c.id)!.parentId!;
  const users = await repo.userIdsByUsername(db, ['wangge', 'danwei', 'qu_admin', 'admin']);
  const cal = await loadCalendar(db);

  // ---- volunteers
  const plan = communities.flatMap((c) => Array.from({ length: DEMO_COUNTS[c.name] ?? 0 }, () => c));
  const numbers = await repo.nextVolunteerNumbers(db, plan.length);
  const vols = plan.map((c, i) => {
    const birth = new Date(Date.UTC(1952, 0, 1) + ((i * 37) % 18_500) * 86_400_000).toISOString().slice(0, 10);
    const district = communities.indexOf(c) < 4 ? '990102' : '990103';
    const id = idWithCheck(`${district}${birth.replaceAll('-', '')}${String((i % 900) + 100)}`);
    const name = pick([...SURNAMES]) + pick([...GIVEN]) + (rand() < 0.6 ? pick([...GIVEN]) : '');
    const phone = `13${String(100_000_000 + i * 7919).slice(-9)}`;
    const registered = new Date(now.getTime() - Math.floor(rand() * 700) * 86_400_000);
    return {
      id: newId(),
      number: numbers[i],
      name,
      idType: 'resident_id',
      idHash: crypto.lookupHash(`volunteer-id|${id}`),
      idEnc: crypto.encrypt(id),
      idMasked: maskIdNumber(id),
      gender: Number(id[16]) % 2 === 1 ? 'male' : 'female',
      birthDate: birth,
      phoneEnc: crypto.encrypt(phone),
      phoneHash: crypto.lookupHash(phone),
      phoneTail: phone.slice(-4),
      skills: rand() < 0.4 ? [pick(SKILLS)] : [],
      serviceAreas: [pick(THEMES)],
      serviceTimes: [pick(TIMES)],
      communityId: c.id,
      communityPath: c.path,
      consentAt: registered,
      source: rand() < 0.7 ? 'self' : 'import',
      searchText: searchTextOf(name),
      createdAt: registered,
    };
  });
  await repo.insertVolunteers(db, vols);
  const volsOf = (c: Community) => vols.filter((v) => v.communityId === c.id);

  // ---- teams
  const cy = byName.get('朝阳社区')!;
  const hp = byName.get('和平社区')!;
  const gm = byName.get('光明社区')!;
  const teamSeeds: { name: string; kind: string; unitId: string; unitPath: string; admin?: string; from: Community[] }[] = [
    { name: '朝阳社区平安志愿服务队', kind: '平安志愿服务队', unitId: cy.id, unitPath: cy.path, admin: 'wangge', from: [cy] },
    { name: '新华街道巾帼志愿服务队', kind: '巾帼志愿服务队', unitId: parentOf(cy), unitPath: byId.get(parentOf(cy))!.path, from: [cy, gm] },
    { name: '光明社区党员志愿服务队', kind: '党员志愿服务队', unitId: gm.id, unitPath: gm.path, from: [gm] },
    { name: '和平社区青年志愿服务队', kind: '青年志愿服务队', unitId: hp.id, unitPath: hp.path, from: [hp] },
    { name: '城管绿色生态志愿服务队', kind: '绿色生态志愿服务队', unitId: parentOf(cy), unitPath: byId.get(parentOf(cy))!.path, admin: 'danwei', from: [cy, gm, byName.get('建设社区')!] },
    { name: '幸福街道文明交通志愿服务队', kind: '文明交通志愿服务队', unitId: parentOf(hp), unitPath: byId.get(parentOf(hp))!.path, from: [hp, byName.get('团结社区')!] },
  ];
  const teams: (repo.TeamRow & { members: typeof vols; center: [number, number] })[] = [];
  for (const t of teamSeeds) {
    const row = await repo.insertTeam(db, { id: newId(), name: t.name, kind: t.kind, unitId: t.unitId, unitPath: t.unitPath, description: `${t.name}，常态化开展志愿服务。`, searchText: searchTextOf(t.name) });
    if (t.admin && users.get(t.admin)) await repo.setTeamAdmins(db, row.id, [users.get(t.admin)!]);
    const pool = t.from.flatMap(volsOf);
    const members = pool.filter(() => rand() < 0.12).slice(0, 80);
    await repo.insertMembers(db, [
      ...members.map((v) => ({ teamId: row.id, volunteerId: v.id, state: 'approved', requestedAt: v.createdAt, decidedAt: v.createdAt, decidedBy: users.get('qu_admin') ?? null })),
      ...pool.slice(-3).map((v) => ({ teamId: row.id, volunteerId: v.id, state: 'pending', requestedAt: new Date(now.getTime() - 86_400_000) })),
    ]);
    teams.push({ ...row, members, center: t.from[0].center });
  }

  // ---- stations
  const stationSeeds = [
    { name: '朝阳社区学雷锋志愿服务站', kind: '学雷锋志愿服务站', c: cy, teams: [0, 1] },
    { name: '新华街道新时代文明实践所', kind: '新时代文明实践所', c: gm, teams: [1, 2, 4] },
    { name: '和平社区新时代文明实践站', kind: '新时代文明实践站', c: hp, teams: [3, 5] },
  ];
  const stations = [];
  for (const s of stationSeeds) {
    // a station that is an inspected point of the org module is linked to it and stands where it stands
    const point = await getPointByName(db, s.name);
    stations.push(
      await repo.insertStation(
        db,
        {
          id: newId(),
          name: s.name,
          kind: s.kind,
          unitId: s.c.id,
          unitPath: s.c.path,
          pointId: point?.id ?? null,
          lng: point?.lng ?? s.c.center[0] + 0.002,
          lat: point?.lat ?? s.c.center[1] + 0.001,
          address: point?.address ?? `${s.c.name}党群服务中心`,
        },
        s.teams.map((i) => teams[i].id),
      ),
    );
  }

  // ---- three months of activities, two weeks ahead
  const TITLES: [string, string][] = [
    ['关爱空巢老人上门服务', '关爱空巢老人'],
    ['“小手拉大手”垃圾分类宣传', '垃圾分类'],
    ['路口文明交通劝导', '文明交通'],
    ['背街小巷环境整治', '环境整治'],
    ['留守儿童课业辅导', '关爱留守儿童'],
    ['文明餐桌“光盘行动”宣传', '文明餐桌'],
    ['困难职工家庭走访慰问', '关爱困难职工'],
    ['应急救护知识进社区', '应急救护'],
  ];
  const activities: repo.ActivityRow[] = [];
  const signups: { activityId: string; volunteerId: string; state: string; signedAt: Date; checkinAt: Date | null; checkinLng: number | null; checkinLat: number | null; checkoutAt: Date | null; isAutoCheckout: boolean }[] = [];
  const records: (typeof volunteerRecords.$inferInsert)[] = [];
  const events: { recordId: string; action: string; fromState: string | null; toState: string; actorId: string | null; actorName: string; note: string | null; at: Date }[] = [];
  const reviewer = users.get('qu_admin') ?? null;
  for (let k = 0; k < 44; k++) {
    const team = teams[k % teams.length];
    const [title, theme] = TITLES[k % TITLES.length];
    const dayOffset = -90 + Math.floor((k * 104) / 44);
    const day = new Date(now.getTime() + dayOffset * 86_400_000).toISOString().slice(0, 10);
    const startsAt = new Date(`${day}T${k % 2 ? '14:30' : '09:00'}:00+08:00`);
    const endsAt = new Date(startsAt.getTime() + (2 + (k % 3)) * 3_600_000);
    const station = stations.find((s) => stationSeeds.find((x) => x.name === s.name)!.teams.includes(k % teams.length));
    const a: repo.ActivityRow = {
      id: newId(),
      teamId: team.id,
      unitPath: team.unitPath,
      title: `${team.name.replace(/志愿服务队$/, '')}${title}`,
      content: `${title}：按分工开展服务，服务前集中说明注意事项（交通与人身安全），结束后合影留存。`,
      themes: [theme],
      startsAt,
      endsAt,
      stationId: station?.id ?? null,
      pointId: null,
      address: station?.address ?? '',
      lng: station?.lng ?? team.center[0],
      lat: station?.lat ?? team.center[1],
      radiusM: 300,
      capacity: 12 + (k % 4) * 4,
      minAge: k % 5 === 4 ? 18 : null,
      maxAge: null,
      skills: [],
      signupDeadline: new Date(startsAt.getTime() - 3_600_000),
      isCancelled: false,
      closedAt: endsAt.getTime() < now.getTime() ? endsAt : null,
      createdBy: null,
      version: 1,
      createdAt: new Date(startsAt.getTime() - 7 * 86_400_000),
    };
    activities.push(a);
    const ended = endsAt.getTime() < now.getTime();
    const people = team.members.filter(() => rand() < 0.35).slice(0, a.capacity);
    for (const v of people) {
      const r = rand();
      const signedAt = new Date(startsAt.getTime() - (1 + Math.floor(rand() * 5)) * 86_400_000);
      if (!ended) {
        signups.push({ activityId: a.id, volunteerId: v.id, state: 'signed', signedAt, checkinAt: null, checkinLng: null, checkinLat: null, checkoutAt: null, isAutoCheckout: false });
        continue;
      }
      if (r < 0.08) {
        signups.push({ activityId: a.id, volunteerId: v.id, state: 'no_show', signedAt, checkinAt: null, checkinLng: null, checkinLat: null, checkoutAt: null, isAutoCheckout: false });
        continue;
      }
      const auto = r > 0.93;
      const checkinAt = new Date(startsAt.getTime() - Math.floor(rand() * 15) * 60_000);
      const checkoutAt = auto ? endsAt : new Date(endsAt.getTime() - Math.floor(rand() * 40) * 60_000);
      signups.push({ activityId: a.id, volunteerId: v.id, state: 'signed', signedAt, checkinAt, checkinLng: a.lng, checkinLat: a.lat, checkoutAt, isAutoCheckout: auto });
      const minutes = serviceMinutes(checkinAt, checkoutAt, startsAt, endsAt);
      const enteredAt = auto ? endsAt : checkoutAt;
      const recent = now.getTime() - endsAt.getTime() < 10 * 86_400_000;
      const state = recent && rand() < 0.6 ? 'pending' : rand() < 0.03 ? 'rejected' : 'approved';
      const id = newId();
      records.push({
        id,
        volunteerId: v.id,
        activityId: a.id,
        teamId: a.teamId,
        unitPath: a.unitPath,
        kind: 'checkin',
        state,
        minutes,
        serviceDate: day,
        serviceEnd: endsAt,
        content: a.title,
        isLate: isLateRecord(endsAt, enteredAt, cal),
        isAutoCheckout: auto,
        createdAt: enteredAt,
        decidedBy: state === 'pending' ? null : reviewer,
        decidedAt: state === 'pending' ? null : new Date(endsAt.getTime() + 2 * 86_400_000),
        decisionNote: state === 'rejected' ? '签到位置与活动现场不符，经核实未参加服务' : null,
      });
      events.push({ recordId: id, action: auto ? 'auto_checkout' : 'create', fromState: null, toState: 'pending', actorId: null, actorName: auto ? '系统（活动结束自动签退）' : '签到签退', note: null, at: enteredAt });
      if (state !== 'pending') events.push({ recordId: id, action: state === 'approved' ? 'approve' : 'reject', fromState: 'pending', toState: state, actorId: reviewer, actorName: '李文明', note: null, at: new Date(endsAt.getTime() + 2 * 86_400_000) });
    }
  }
  await repo.insertActivities(db, activities);
  await repo.insertSignups(db, signups);

  // late 补录 from paper sheets (entered 3 weeks after the activity), approved; and one waiting for approval
  const teamA = teams[0];
  const past = activities.filter((a) => a.teamId === teamA.id && a.endsAt.getTime() < now.getTime() - 25 * 86_400_000);
  const wangge = users.get('wangge') ?? null;
  for (const [j, a] of past.slice(0, 3).entries()) {
    const v = teamA.members[(j * 7) % teamA.members.length];
    if (signups.some((s) => s.activityId === a.id && s.volunteerId === v.id)) continue;
    const enteredAt = new Date(a.endsAt.getTime() + 21 * 86_400_000);
    const id = newId();
    records.push({
      id, volunteerId: v.id, activityId: a.id, teamId: a.teamId, unitPath: a.unitPath, kind: 'manual', state: 'approved', minutes: 90, serviceDate: a.startsAt.toISOString().slice(0, 10) , serviceEnd: a.endsAt, content: a.title,
      source: '纸质签到表', reason: '手机没电未能扫码签到，据纸质签到表补录', isLate: isLateRecord(a.endsAt, enteredAt, cal), createdBy: wangge, createdAt: enteredAt,
      decidedBy: reviewer, decidedAt: new Date(enteredAt.getTime() + 86_400_000),
    });
    events.push({ recordId: id, action: 'create', fromState: null, toState: 'pending', actorId: wangge, actorName: '刘网格', note: '手机没电未能扫码签到，据纸质签到表补录', at: enteredAt });
    events.push({ recordId: id, action: 'approve', fromState: 'pending', toState: 'approved', actorId: reviewer, actorName: '李文明', note: null, at: new Date(enteredAt.getTime() + 86_400_000) });
  }
  const lastPast = activities.filter((a) => a.teamId === teamA.id && a.endsAt.getTime() < now.getTime()).at(-1);
  if (lastPast && wangge) {
    const v = teamA.members.find((m) => !signups.some((s) => s.activityId === lastPast.id && s.volunteerId === m.id));
    if (v) {
      const id = newId();
      const enteredAt = new Date(Math.min(now.getTime() - 3_600_000, lastPast.endsAt.getTime() + 86_400_000));
      records.push({
        id, volunteerId: v.id, activityId: lastPast.id, teamId: lastPast.teamId, unitPath: lastPast.unitPath, kind: 'manual', state: 'pending', minutes: 120, serviceDate: lastPast.startsAt.toISOString().slice(0, 10), serviceEnd: lastPast.endsAt,
        content: lastPast.title, source: '活动照片', reason: '现场负责引导，未及时扫码签到，有活动照片为证', isLate: isLateRecord(lastPast.endsAt, enteredAt, cal), createdBy: wangge, createdAt: enteredAt,
      });
      events.push({ recordId: id, action: 'create', fromState: null, toState: 'pending', actorId: wangge, actorName: '刘网格', note: '现场负责引导，未及时扫码签到，有活动照片为证', at: enteredAt });
    }
  }
  // service dates in Shanghai time
  for (const r of records) r.serviceDate = shanghaiDate(r.serviceEnd as Date);
  await repo.insertRecords(db, records);
  await repo.insertRecordEvents(db, events);

  // certificates for the three volunteers with the most approved hours
  const totals = new Map<string, number>();
  for (const r of records) if (r.state === 'approved') totals.set(r.volunteerId, (totals.get(r.volunteerId) ?? 0) + r.minutes);
  const top = [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3);
  const issuer = byId.get(parentOf(cy))!;
  for (const [i, [volunteerId]] of top.entries()) {
    const v = vols.find((x) => x.id === volunteerId)!;
    const mine = records.filter((r) => r.volunteerId === volunteerId && r.state === 'approved').sort((a, b) => a.serviceDate.localeCompare(b.serviceDate));
    const titles = [...new Set(mine.map((r) => r.content))];
    await repo.insertCertificate(db, {
      id: newId(),
      number: await repo.nextCertificateNumber(db, Number(shanghaiDate(now).slice(0, 4))),
      verifyCode: `DEMO${String(i + 1).padStart(2, '0')}${v.number.slice(-6)}`,
      volunteerId,
      name: v.name,
      idTypeLabel: '居民身份证',
      idMasked: v.idMasked,
      minutes: mine.reduce((s, r) => s + r.minutes, 0),
      recordCount: mine.length,
      recordIds: mine.map((r) => r.id!),
      periodFrom: mine[0].serviceDate,
      periodTo: mine[mine.length - 1].serviceDate,
      content: `参加志愿服务 ${titles.length} 项：${titles.slice(0, 6).join('、')}`,
      issuer: issuer.name,
      issuerUnitPath: issuer.path,
      issuedAt: new Date(now.getTime() - (i + 1) * 86_400_000),
      issuedBy: reviewer,
    });
  }
}
