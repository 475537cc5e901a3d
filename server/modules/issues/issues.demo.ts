import { createHash } from 'node:crypto';
import { inArray, sql } from 'drizzle-orm';
import sharp from 'sharp';
import type { IssueAction, IssueSeverity, IssueSource, IssueState } from '../../../contracts/issues.ts';
import { apply, type FlowAction, type FlowState, initialState } from '../../../domain/issue-flow.ts';
import { computeDeadline, endOfShanghaiDay, addDays, shanghaiDate, type HolidayCalendar } from '../../../domain/working-days.ts';
import { rowsOf, type Executor } from '../../db/client.ts';
import type { Crypto } from '../../lib/crypto.ts';
import { newId } from '../../lib/ids.ts';
import type { Storage } from '../../lib/storage.ts';
import { files } from '../files/files.tables.ts';
import { InAppChannel } from '../notifications/notifications.channels.ts';
import { notifications as notificationsTable } from '../notifications/notifications.tables.ts';
import { loadCalendar } from './holidays.repo.ts';
import { DEMO_ISSUE_TEXTS, DEMO_NOTES } from './issues.demo.texts.ts';
import { messagesForEvent, NOTIFYING_ACTIONS } from './issues.notify.ts';
import { issueEvents, issues } from './issues.tables.ts';

/**
 * The demo city's issues (issue #4 「Demo」): a few hundred over the last 90 days, across every
 * state, source, category and many units, points and grids — some overdue, some reworked, exactly
 * one 回潮, one duplicate merged, one extension approved (and one denied, one waiting), one 回退
 * re-dispatched. Every issue's event log is produced by the domain flow (domain/issue-flow.ts
 * apply), so it replays to the stored state; timestamps are backdated, rows inserted in bulk.
 * Deterministic: a seeded PRNG; times are anchored to Shanghai days before `now`, and a step that
 * would fall after `now` is not taken (recent issues are naturally still open).
 */

export const DEMO_ISSUE_COUNT = 360;
export const DEMO_DAYS = 90;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** mulberry32: a small seeded PRNG. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    between: (lo: number, hi: number) => lo + (hi - lo) * next(),
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)],
    weighted: <T extends string>(w: Record<T, number>): T => {
      const entries = Object.entries(w) as [T, number][];
      let r = next() * entries.reduce((s, [, v]) => s + v, 0);
      for (const [k, v] of entries) {
        r -= v;
        if (r < 0) return k;
      }
      return entries[entries.length - 1][0];
    },
  };
}

// ---- photos: a few generated JPEGs, shared by the demo issues' file rows ----

export const DEMO_PHOTO_COUNT = 4;
const photoKey = (kind: 'before' | 'after', n: number) => `demo/issue-${kind}-${n}.jpg`;

/** A street scene: pavement, a wall, and (before) litter and clutter; deterministic per (kind, n). */
async function renderPhoto(kind: 'before' | 'after', n: number): Promise<Buffer> {
  const r = prng(1000 + n * 7 + (kind === 'after' ? 3 : 0));
  const w = 640;
  const h = 480;
  const shapes: string[] = [];
  if (kind === 'before') {
    for (let k = 0; k < 26; k++) {
      const x = r.int(40, 600);
      const y = r.int(260, 460);
      const color = r.pick(['#6b4f2a', '#2f2f2f', '#c8c8c8', '#3c6e9e', '#a83232', '#e0d6b8']);
      shapes.push(
        r.next() < 0.5
          ? `<ellipse cx="${x}" cy="${y}" rx="${r.int(6, 30)}" ry="${r.int(4, 16)}" fill="${color}"/>`
          : `<rect x="${x}" y="${y}" width="${r.int(10, 50)}" height="${r.int(8, 30)}" fill="${color}" transform="rotate(${r.int(-30, 30)} ${x} ${y})"/>`,
      );
    }
  } else {
    for (let k = 0; k < 5; k++) shapes.push(`<circle cx="${60 + k * 130}" cy="235" r="${r.int(22, 30)}" fill="#3f8f3f"/>`);
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">
    <rect width="${w}" height="${h}" fill="#9ec5e8"/>
    <rect y="90" width="${w}" height="150" fill="${kind === 'before' ? '#b9a88c' : '#d8cdb4'}"/>
    <rect y="240" width="${w}" height="240" fill="${kind === 'before' ? '#7d7d7d' : '#9a9a9a'}"/>
    ${Array.from({ length: 8 }, (_, k) => `<line x1="${k * 90}" y1="240" x2="${k * 90 - 60}" y2="480" stroke="#8a8a8a" stroke-width="3"/>`).join('')}
    ${shapes.join('')}
  </svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 72 }).toBuffer();
}

type Photo = { key: string; kind: 'before' | 'after'; data: Buffer; sha256: string };
let photoCache: Promise<Photo[]> | null = null;
/** The demo photos (rendered once per process). */
export function demoPhotos(): Promise<Photo[]> {
  photoCache ??= Promise.all(
    (['before', 'after'] as const).flatMap((kind) =>
      Array.from({ length: DEMO_PHOTO_COUNT }, async (_, n) => {
        const data = await renderPhoto(kind, n);
        return { key: photoKey(kind, n), kind, data, sha256: createHash('sha256').update(data).digest('hex') };
      }),
    ),
  );
  return photoCache;
}

/** Writes the demo photos into storage (after seeding the demo city; idempotent). */
export async function writeDemoPhotos(storage: Storage): Promise<void> {
  for (const p of await demoPhotos()) await storage.put(p.key, p.data, 'image/jpeg');
}

// ---- the city as the generator needs it ----

type Cat = { id: string; code: string; name: string; days: number; unit: 'calendar' | 'working'; defaultUnitId: string | null };
type PointInfo = { id: string; name: string; address: string | null; lng: number; lat: number; areaUnitId: string; areaPath: string; gridId: string | null; unitIds: string[] };
type Unit = { id: string; path: string; name: string; kind: string };

async function loadCity(db: Executor) {
  const cats = rowsOf<{ id: string; code: string; name: string; days: number; unit: string; default_unit_id: string | null }>(
    await db.execute(sql`SELECT c.id, c.code, c.name, c.time_limit_days AS days, c.time_limit_unit AS unit, coalesce(c.default_unit_id, p.default_unit_id) AS default_unit_id
      FROM issue_categories c JOIN issue_categories p ON p.id = c.parent_id WHERE c.is_active ORDER BY c.code`),
  ).map((c): Cat => ({ id: c.id, code: c.code, name: c.name, days: c.days, unit: c.unit === 'working' ? 'working' : 'calendar', defaultUnitId: c.default_unit_id }));
  const points = rowsOf<{ id: string; name: string; address: string | null; lng: number; lat: number; area_unit_id: string; area_path: string; grid_id: string | null; unit_ids: string[] | null }>(
    await db.execute(sql`SELECT p.id, p.name, p.address, p.lng, p.lat, p.area_unit_id, p.area_path, p.grid_id,
        array_remove(array_agg(pu.unit_id ORDER BY pu.unit_id), NULL) AS unit_ids
      FROM points p LEFT JOIN point_units pu ON pu.point_id = p.id WHERE p.is_active GROUP BY p.id ORDER BY p.code`),
  ).map(
    (p): PointInfo => ({
      id: p.id,
      name: p.name,
      address: p.address,
      lng: Number(p.lng),
      lat: Number(p.lat),
      areaUnitId: p.area_unit_id,
      areaPath: p.area_path,
      gridId: p.grid_id,
      unitIds: p.unit_ids ?? [],
    }),
  );
  const units = new Map(rowsOf<Unit>(await db.execute(sql`SELECT id, path, name, kind FROM org_units WHERE is_active`)).map((u) => [u.id, u]));
  const users = rowsOf<{ id: string; username: string; unit_id: string; roles: string[] }>(
    await db.execute(sql`SELECT u.id, u.username, u.unit_id, array_agg(ur.role_code) AS roles FROM users u JOIN user_roles ur ON ur.user_id = u.id WHERE u.is_active GROUP BY u.id ORDER BY u.username`),
  );
  const workers = rowsOf<{ grid_id: string; user_id: string }>(await db.execute(sql`SELECT grid_id, user_id FROM grid_workers ORDER BY grid_id, user_id`));
  return { cats, points, units, users, workers };
}


// ---- plans ----

type Special = 'reject' | 'merge' | 'reopen' | 'extApproved' | 'extDenied' | 'extPending' | 'returnRedispatch' | 'returned';
type Plan = {
  createdAt: Date;
  cat: Cat;
  point: PointInfo;
  /** filed at the point (else on the grid, with coordinates near the point) */
  atPoint: boolean;
  source: IssueSource;
  severity: IssueSeverity;
  special: Special | null;
  /** the unit stalls: never signs (dispatched) or never feeds back (rectifying) — old ones are overdue */
  stuck: 'unsigned' | 'unfinished' | null;
  /** stop once the issue reaches this state (guarantees every state among recent issues) */
  stopAt: IssueState | null;
  /** quick steps (hours apart): for the recent issues that must reach `stopAt` before now */
  fast: boolean;
  mergeInto?: number;
};

type Ev = { action: IssueAction; fromState: IssueState | null; toState: IssueState; actorId: string | null; actorUnitId: string | null; note: string | null; data: Record<string, unknown>; at: Date };

const SOURCES: Record<IssueSource, number> = { grid: 34, inspection: 20, citizen: 15, supervisor: 10, media: 4, assessment: 7, self_check: 10, covert_inspection: 0, peer_check: 0, third_party: 0 };
const CATEGORY_WEIGHT: Record<string, number> = { '01': 5, '02': 3, '03': 2, '04': 5, '05': 3, '06': 4, '07': 2 };

export type DemoIssueSummary = { issues: number; events: number; files: number; notifications: number };

/**
 * Seeds the demo issues inside the demo city's transaction (after its units, points, grids,
 * users and category default units exist). Returns the counts.
 */
export async function seedDemoIssues(tx: Executor, crypto: Crypto, now: Date = new Date()): Promise<DemoIssueSummary> {
  const { issueRows, eventRows, fileRows, seqByDay } = await buildDemoIssues(tx, crypto, now);
  const chunk = <T>(xs: T[], n: number) => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, (i + 1) * n));
  for (const part of chunk(issueRows, 500)) await tx.insert(issues).values(part);
  for (const part of chunk(fileRows, 1000)) await tx.insert(files).values(part);
  for (const part of chunk(eventRows, 2000)) await tx.insert(issueEvents).values(part);
  for (const [day, last] of seqByDay) {
    await tx.execute(sql`INSERT INTO issue_day_counters (day, last) VALUES (${day}, ${last}) ON CONFLICT (day) DO UPDATE SET last = GREATEST(issue_day_counters.last, EXCLUDED.last)`);
  }
  const notifications = await seedDemoNotifications(tx, eventRows, now);
  return { issues: issueRows.length, events: eventRows.length, files: fileRows.length, notifications };
}

/** How far back the demo's in-app notifications go; those older than READ_AFTER_MS are already read. */
const NOTIFY_DAYS = 30;
const READ_AFTER_MS = 2 * 24 * HOUR;

/**
 * The messages the last step of each recent issue raised, as the flow would have sent them
 * (messagesForEvent: 派遣 → the unit, 反馈 → the verifiers, 回退 and 延期申请 → the dispatchers …),
 * dated at the step; those older than two days are read. The bell and the 工作台 are not empty.
 */
async function seedDemoNotifications(tx: Executor, eventRows: readonly (typeof issueEvents.$inferInsert)[], now: Date): Promise<number> {
  const last = new Map<string, typeof issueEvents.$inferInsert>();
  for (const e of eventRows) last.set(e.issueId, e);
  const since = now.getTime() - NOTIFY_DAYS * 24 * HOUR;
  const recent = [...last.values()].filter((e) => NOTIFYING_ACTIONS.has(e.action as IssueAction) && e.at instanceof Date && e.at.getTime() >= since);
  if (recent.length === 0) return 0;
  const rows = new Map((await tx.select().from(issues).where(inArray(issues.id, recent.map((e) => e.issueId)))).map((i) => [i.id, i]));
  const unitNames = new Map(rowsOf<{ id: string; name: string }>(await tx.execute(sql`SELECT id, name FROM org_units`)).map((u) => [u.id, u.name]));
  const items = [];
  for (const e of recent) {
    const issue = rows.get(e.issueId);
    if (!issue) continue;
    const action = e.action as Exclude<IssueAction, 'report'>;
    // 派遣 and 回潮 name the unit the issue went to; the other steps the unit that took them
    const unitId = action === 'dispatch' || action === 'reopen' ? issue.responsibleUnitId : (e.actorUnitId ?? null);
    const at = e.at as Date;
    for (const m of await messagesForEvent(tx, { action, issue, actorId: e.actorId ?? null, note: e.note ?? null, unitName: unitId ? (unitNames.get(unitId) ?? null) : null })) {
      items.push({ ...m, id: newId(), createdAt: at.toISOString() });
    }
  }
  const stored = await new InAppChannel(tx).deliver(items);
  const read = items.filter((n) => Date.parse(n.createdAt) < now.getTime() - READ_AFTER_MS).map((n) => n.id);
  if (read.length) await tx.update(notificationsTable).set({ readAt: sql`created_at + interval '1 hour'` }).where(inArray(notificationsTable.id, read));
  return stored.length;
}

/** The demo issues' rows, computed from the city in the database (reads only). */
export async function buildDemoIssues(tx: Executor, crypto: Crypto, now: Date = new Date()) {
  const city = await loadCity(tx);
  const issueRows: (typeof issues.$inferInsert)[] = [];
  const eventRows: (typeof issueEvents.$inferInsert)[] = [];
  const fileRows: (typeof files.$inferInsert)[] = [];
  const seqByDay = new Map<string, number>();
  if (city.cats.length === 0 || city.points.length === 0) return { issueRows, eventRows, fileRows, seqByDay };
  const cal = await loadCalendar(tx);
  const r = prng(20261121);
  const today = shanghaiDate(now);

  // -- plans: ages over 90 days, every category and source, special cases on chosen issues --
  const plans: Plan[] = [];
  const catsByTop = new Map<string, Cat[]>();
  for (const c of city.cats) catsByTop.set(c.code.slice(0, 2), [...(catsByTop.get(c.code.slice(0, 2)) ?? []), c]);
  const sourceKeys = (Object.keys(SOURCES) as IssueSource[]).filter((k) => SOURCES[k] > 0);
  for (let i = 0; i < DEMO_ISSUE_COUNT; i++) {
    // a living city: more of the recent days' issues are still on the way
    const dayBack = i < 40 ? r.int(0, 6) : i < 90 ? r.int(0, 20) : r.int(0, DEMO_DAYS - 1);
    const hourOfDay = r.between(8, 19.5);
    const createdAt = new Date(Date.parse(`${addDays(today, -dayBack)}T00:00:00+08:00`) + hourOfDay * HOUR);
    const cat = i < city.cats.length ? city.cats[i] : r.pick(catsByTop.get(r.weighted(CATEGORY_WEIGHT)) ?? city.cats);
    plans.push({
      createdAt,
      cat,
      point: r.pick(city.points),
      atPoint: r.next() < 0.8,
      source: i < sourceKeys.length ? sourceKeys[i] : r.weighted(SOURCES),
      severity: r.weighted({ normal: 76, serious: 17, urgent: 7 }),
      special: null,
      stuck: r.next() < 0.02 ? 'unsigned' : r.next() < 0.05 ? 'unfinished' : null,
      stopAt: null,
      fast: false,
    });
  }
  // the newest issues must be filed before now
  for (const p of plans) if (p.createdAt.getTime() > now.getTime() - 20 * 60_000) p.createdAt = new Date(now.getTime() - r.between(0.4, 3) * HOUR);
  plans.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const ageDays = (p: Plan) => (now.getTime() - p.createdAt.getTime()) / DAY;
  const free = (pred: (p: Plan) => boolean) => {
    const candidates = plans.filter((p) => !p.special && !p.stopAt && !p.stuck && pred(p));
    return r.pick(candidates);
  };
  free((p) => ageDays(p) > 40 && ageDays(p) < 75).special = 'reopen';
  free((p) => ageDays(p) > 25 && ageDays(p) < 60).special = 'extApproved';
  free((p) => ageDays(p) > 20 && ageDays(p) < 60).special = 'extDenied';
  free((p) => ageDays(p) > 30 && ageDays(p) < 70).special = 'returnRedispatch';
  for (const p of plans) if (!p.special && !p.stuck && r.next() < 0.05) p.special = 'reject';
  // the newest issues stop in each open state (quick steps so they get there before now)
  const stops: IssueState[] = ['reported', 'accepted', 'dispatched', 'rectifying', 'feedback', 'verified', 'reported', 'accepted', 'dispatched', 'rectifying', 'feedback', 'rectifying'];
  const recent = plans.filter((p) => !p.special && !p.stuck && ageDays(p) > 0.1 && ageDays(p) < 7).slice(-stops.length);
  recent.forEach((p, k) => {
    p.stopAt = stops[k];
    p.fast = true;
  });
  const pending = free((p) => ageDays(p) > 2 && ageDays(p) < 6);
  pending.special = 'extPending';
  pending.fast = true;
  for (const p of [free((p) => ageDays(p) > 1 && ageDays(p) < 5), free((p) => ageDays(p) > 1 && ageDays(p) < 5)]) {
    p.special = 'returned';
    p.fast = true;
  }
  // one duplicate: filed two hours after an older issue at the same point, same category
  const targetIdx = plans.indexOf(free((p) => ageDays(p) > 12 && ageDays(p) < 30 && p.atPoint));
  const target = plans[targetIdx];
  plans.push({ ...target, createdAt: new Date(target.createdAt.getTime() + 2 * HOUR), source: 'citizen', severity: 'normal', special: 'merge', stuck: null, stopAt: null, fast: false, mergeInto: targetIdx });
  const order = plans.map((_, k) => k).sort((a, b) => plans[a].createdAt.getTime() - plans[b].createdAt.getTime());

  // -- actors --
  const byUsername = new Map(city.users.map((u) => [u.username, u]));
  const admin = byUsername.get('admin') ?? city.users.find((u) => u.roles.includes('city_admin'))!;
  const inspector = city.users.find((u) => u.roles.includes('inspector')) ?? admin;
  const supervisor = city.users.find((u) => u.roles.includes('supervisor')) ?? admin;
  const districtAdmins = city.users.filter((u) => u.roles.includes('district_admin'));
  const workerOf = new Map<string, string>();
  for (const w of city.workers) if (!workerOf.has(w.grid_id)) workerOf.set(w.grid_id, w.user_id);
  const userById = new Map(city.users.map((u) => [u.id, u]));
  const contactOf = new Map<string, string>();
  for (const u of city.users) if (u.roles.includes('unit_contact') && !contactOf.has(u.unit_id)) contactOf.set(u.unit_id, u.id);
  const dispatcherFor = (areaPath: string) => {
    const d = districtAdmins.find((u) => areaPath.startsWith(city.units.get(u.unit_id)?.path ?? '\u0000'));
    return d ?? admin;
  };
  const actor = (u: { id: string; unit_id: string } | undefined) => (u ? { actorId: u.id, actorUnitId: u.unit_id } : { actorId: null, actorUnitId: null });
  const unitActor = (unitId: string | null) => {
    const id = unitId ? contactOf.get(unitId) : undefined;
    return id ? { actorId: id, actorUnitId: unitId } : { actorId: null, actorUnitId: unitId };
  };
  const dispatchable = (unitId: string | null | undefined) => !!unitId && !!city.units.get(unitId) && city.units.get(unitId)!.kind !== 'city';
  const photos = await demoPhotos();
  const befores = photos.filter((p) => p.kind === 'before');
  const afters = photos.filter((p) => p.kind === 'after');

  const ids: string[] = plans.map(() => newId());
  const closedAtOf = new Map<number, number>();

  for (const k of order) {
    const p = plans[k];
    const id = ids[k];
    const pt = p.point;
    const lng = p.atPoint ? pt.lng : Number((pt.lng + r.between(-0.0015, 0.0015)).toFixed(6));
    const lat = p.atPoint ? pt.lat : Number((pt.lat + r.between(-0.0012, 0.0012)).toFixed(6));
    const area = city.units.get(pt.areaUnitId)!;
    const dispatcher = dispatcherFor(pt.areaPath);
    const gridWorker = pt.gridId ? workerOf.get(pt.gridId) : undefined;
    // 单位自查: the unit's own contact files it about itself
    const proposedUnit = pt.unitIds.find((u) => !!city.units.get(u) && city.units.get(u)!.kind !== 'city') ?? p.cat.defaultUnitId;
    const reporter =
      p.source === 'grid'
        ? (userById.get(gridWorker ?? '') ?? inspector)
        : p.source === 'inspection'
          ? inspector
          : p.source === 'supervisor'
            ? supervisor
            : p.source === 'citizen'
              ? undefined
              : p.source === 'self_check'
                ? (userById.get(contactOf.get(proposedUnit ?? '') ?? '') ?? admin)
                : admin;
    const verifier = userById.get(gridWorker ?? '') ?? inspector;
    // 督查、测评与媒体曝光的问题交分类的职能部门（如市容环境、街面秩序交市城市管理局），其余交点位的包保或属地单位
    const toDepartment = (p.source === 'inspection' || p.source === 'assessment' || p.source === 'media') && dispatchable(p.cat.defaultUnitId);
    const proposed = toDepartment ? p.cat.defaultUnitId : (pt.unitIds.find(dispatchable) ?? (dispatchable(p.cat.defaultUnitId) ? p.cat.defaultUnitId : null));
    const deadlineFrom = (at: Date) => computeDeadline(at, p.cat.days, p.cat.unit, p.severity, p.cat.unit === 'working' ? cal : EMPTY);

    // -- the event log, through the domain flow --
    const events: Ev[] = [];
    let s: FlowState = initialState(proposed, deadlineFrom(p.createdAt).toISOString());
    const beforePhoto = newId();
    const fileOf = (fileId: string, kind: 'before' | 'after', at: Date, by: { actorId: string | null; actorUnitId: string | null }) => {
      const ph = kind === 'before' ? r.pick(befores) : r.pick(afters);
      fileRows.push({
        id: fileId,
        storageKey: ph.key,
        thumbKey: ph.key,
        originalName: kind === 'before' ? '现场照片.jpg' : '整改后照片.jpg',
        mime: 'image/jpeg',
        size: ph.data.length,
        sha256: ph.sha256,
        width: 640,
        height: 480,
        takenAt: at,
        gpsLng: lng,
        gpsLat: lat,
        ownerType: 'issue',
        ownerId: id,
        uploadedBy: by.actorId ?? admin.id,
        uploaderUnitId: by.actorUnitId ?? area.id,
        createdAt: at,
      });
      return fileId;
    };
    const reportActor = actor(reporter);
    events.push({
      action: 'report',
      fromState: null,
      toState: 'reported',
      ...reportActor,
      note: p.source === 'citizen' ? '市民随手拍' : null,
      data: { unitId: proposed, deadline: s.deadline, photos: [fileOf(beforePhoto, 'before', p.createdAt, reportActor)] },
      at: p.createdAt,
    });
    let t = p.createdAt.getTime();
    let closedAt: Date | null = null;
    let dispatchedAt: Date | null = null;
    const gap = (lo: number, hi: number) => (p.fast ? r.between(0.1, 0.8) * HOUR : r.between(lo, hi) * HOUR);
    /** takes one step if it falls before now and the plan does not stop earlier; false = stop here */
    const step = (action: Exclude<IssueAction, 'report'>, at: number, by: { actorId: string | null; actorUnitId: string | null }, extra: Partial<FlowAction> = {}, note: string | null = null): boolean => {
      if (p.stopAt && s.state === p.stopAt) return false;
      if (at >= now.getTime() - 60_000) return false;
      const a: FlowAction = { type: action, reason: note, ...extra };
      if (action === 'feedback') a.photos = [fileOf(newId(), 'after', new Date(at), by)];
      const res = apply(s, a);
      if (!res.ok) throw new Error(`demo issue ${k}: ${action} from ${s.state}: ${res.error.message}`);
      const data: Record<string, unknown> = {};
      for (const key of ['unitId', 'deadline', 'targetId'] as const) if (a[key]) data[key] = a[key];
      if (a.photos?.length) data.photos = a.photos;
      events.push({ action, fromState: s.state, toState: res.state.state, ...by, note, data, at: new Date(at) });
      s = res.state;
      t = at;
      if (s.state === 'dispatched') dispatchedAt = new Date(at);
      if (action === 'close') closedAt = new Date(at);
      if (action === 'reopen') closedAt = null;
      return true;
    };
    const dispatcherActor = actor(dispatcher);
    const dispatchTo = (unitId: string | null, at: number) => step('dispatch', at, dispatcherActor, { unitId, deadline: deadlineFrom(new Date(at)).toISOString() }, r.pick(DEMO_NOTES.dispatch));

    /** 签收 → (延期) → 整改反馈 ⇄ 核查 → 结案, as far as time (and the plan) allows */
    const work = (allowSpecials: boolean): boolean => {
      const unitBy = unitActor(s.responsibleUnitId);
      if (allowSpecials && p.stuck === 'unsigned') return false;
      if (!step('sign', t + gap(0.5, 10), unitBy)) return false;
      const limit = Math.max(DAY, new Date(s.deadline!).getTime() - t);
      if (allowSpecials && (p.special === 'extApproved' || p.special === 'extDenied' || p.special === 'extPending')) {
        const requested = endOfShanghaiDay(addDays(shanghaiDate(new Date(s.deadline!)), 5)).toISOString();
        if (!step('requestExtension', t + (p.fast ? gap(0, 0) : limit * r.between(0.3, 0.6)), unitBy, { deadline: requested }, r.pick(DEMO_NOTES.requestExtension))) return false;
        if (p.special === 'extPending') return false;
        const ok = p.special === 'extApproved'
          ? step('approveExtension', t + gap(2, 12), dispatcherActor, {}, r.pick(DEMO_NOTES.approveExtension))
          : step('denyExtension', t + gap(2, 12), dispatcherActor, {}, r.pick(DEMO_NOTES.denyExtension));
        if (!ok) return false;
      }
      if (allowSpecials && p.stuck === 'unfinished') return false;
      const late = r.next() < 0.17;
      const stall = r.next() < 0.1;
      for (let round = 0; round < 3; round++) {
        const span = Math.max(DAY, new Date(s.deadline!).getTime() - t);
        const factor = stall && round === 0 ? r.between(1.5, 4) : late ? r.between(1.05, 2.2) : r.between(0.15, 0.9);
        if (!step('feedback', t + (p.fast ? gap(0, 0) : (round === 0 ? span : limit * 0.4) * factor), unitBy, {}, r.pick(DEMO_NOTES.feedback))) return false;
        const fail = round < 2 && r.next() < (round === 0 ? 0.16 : 0.25);
        if (fail) {
          if (!step('verifyFail', t + gap(2, 30), actor(verifier), {}, r.pick(DEMO_NOTES.verifyFail))) return false;
          continue;
        }
        if (!step('verifyPass', t + gap(2, 30), actor(verifier), {}, r.pick(DEMO_NOTES.verifyPass))) return false;
        return step('close', t + gap(1, 20), dispatcherActor);
      }
      return false;
    };

    const run = () => {
      if (p.special === 'merge') {
        step('merge', t + 1 * HOUR, dispatcherActor, { targetId: ids[p.mergeInto!] }, r.pick(DEMO_NOTES.merge));
        return;
      }
      if (p.special === 'reject') {
        step('reject', t + gap(0.3, 6), dispatcherActor, {}, r.pick(DEMO_NOTES.reject));
        return;
      }
      if (!step('accept', t + gap(0.3, 5), dispatcherActor)) return;
      const unitId = dispatchable(proposed) ? proposed : area.id;
      if (!dispatchTo(unitId, t + gap(0.2, 4))) return;
      if (p.special === 'returnRedispatch' || p.special === 'returned') {
        if (!step('return', t + gap(1, 8), unitActor(s.responsibleUnitId), {}, r.pick(DEMO_NOTES.return))) return;
        if (p.special === 'returned') return;
        const other = [p.cat.defaultUnitId, ...pt.unitIds, area.id].find((u) => dispatchable(u) && u !== unitId) ?? area.id;
        if (!dispatchTo(other, t + gap(1, 6))) return;
      }
      if (!work(true)) return;
      if (p.special === 'reopen') {
        // 回潮 a week or so after closing; the unit's new limit runs from the reopening
        const reopenAt = t + r.between(5, 10) * DAY;
        if (!step('reopen', reopenAt, actor(inspector), { deadline: deadlineFrom(new Date(reopenAt)).toISOString() }, DEMO_NOTES.reopen[0])) return;
        work(false);
      }
    };
    run();
    if (closedAt) closedAtOf.set(k, (closedAt as Date).getTime());

    const created = p.createdAt;
    const day = shanghaiDate(created);
    const seq = (seqByDay.get(day) ?? 0) + 1;
    seqByDay.set(day, seq);
    const unit = s.responsibleUnitId ? city.units.get(s.responsibleUnitId) : undefined;
    const [title, description] = r.pick(DEMO_ISSUE_TEXTS[p.cat.code] ?? [[`{place}${p.cat.name}`, `${p.cat.name}问题，请核实处置。`]]);
    const place = p.atPoint ? pt.name : (pt.address?.replace(/^示范市[^区]*区[^街]*街道/, '') ?? pt.name);
    issueRows.push({
      id,
      number: `WT${day.replaceAll('-', '')}-${String(seq).padStart(6, '0')}`,
      source: p.source,
      categoryId: p.cat.id,
      severity: p.severity,
      title: title.replace('{place}', place),
      description: description.replace('{place}', place),
      pointId: p.atPoint ? pt.id : null,
      gridId: pt.gridId,
      areaUnitId: area.id,
      areaPath: area.path,
      address: pt.address,
      lng,
      lat,
      reporterId: reporter?.id ?? null,
      reporterPhoneEnc: p.source === 'citizen' ? crypto.encrypt(`13${r.int(500000000, 999999999)}`) : null,
      responsibleUnitId: unit?.id ?? null,
      responsiblePath: unit?.path ?? null,
      deadline: s.deadline ? new Date(s.deadline) : null,
      state: s.state,
      extensionPending: s.extensionPending,
      requestedDeadline: s.requestedDeadline ? new Date(s.requestedDeadline) : null,
      reworkCount: s.reworkCount,
      relapseCount: s.relapseCount,
      mergedIntoId: s.mergedIntoId,
      version: events.length,
      createdAt: created,
      updatedAt: events[events.length - 1].at,
      closedAt,
      dispatchedAt,
    });
    for (const e of events) eventRows.push({ issueId: id, ...e });
  }

  // the duplicate's target must have been open when it was merged (it was filed two hours earlier)
  const mergeIdx = plans.findIndex((p) => p.special === 'merge');
  const targetClosed = closedAtOf.get(plans[mergeIdx].mergeInto!);
  if (targetClosed !== undefined && targetClosed < plans[mergeIdx].createdAt.getTime() + HOUR) throw new Error('demo merge target closed before the merge');

  return { issueRows, eventRows, fileRows, seqByDay };
}

const EMPTY: HolidayCalendar = { holidays: new Set(), workdays: new Set() };
