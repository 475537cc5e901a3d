import { sql } from 'drizzle-orm';
import { SYSTEM_ROLES } from '../../../contracts/permissions.ts';
import { stratifiedDraw } from '../../../domain/inspection-draw.ts';
import { shanghaiDayOf, windowsOf } from '../../../domain/inspection-schedule.ts';
import { addJudgement, type ChecklistItem, emptySum, type Judge, judge, type ObservationValue } from '../../../domain/inspection-scoring.ts';
import { loadConfig } from '../../config.ts';
import type { Crypto } from '../../lib/crypto.ts';
import { type Executor, rowsOf } from '../../db/client.ts';
import type { RequestContext } from '../../http/actor.ts';
import { newId } from '../../lib/ids.ts';
import { CIVILITY_FRAGMENT, type DemoItem } from './inspections.demo-data.ts';
import { DEMO_TEMPLATES } from './inspections.demo-data.ts';
import { raiseIssues } from './inspections.service.ts';
import * as repo from './inspections.repo.ts';
import {
  inspectionEvents,
  inspectionFragments,
  inspectionObservations,
  inspectionOccurrences,
  inspectionPlanPoints,
  inspectionPlans,
  inspections,
  inspectionTeamMembers,
  inspectionTeams,
  inspectionTemplatePointTypes,
  inspectionTemplates,
  inspectionTemplateVersions,
} from './inspections.tables.ts';

const DAY = 86_400_000;

function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
}

function parseJudge(s: string): Judge {
  if (s === 'pf') return { type: 'pass_fail' };
  if (s === 'grade') return { type: 'grade' };
  const [kind, arg] = s.split(':');
  if (kind === 'count') return { type: 'count', threshold: Number(arg) };
  if (kind === 'ratio') return { type: 'ratio', thresholdPercent: Number(arg) };
  if (kind === 'k') {
    const [k, n] = arg.split('/').map(Number);
    return { type: 'k_of_n', k, n };
  }
  const [per, cap] = arg.split('/').map(Number);
  return { type: 'deduction', perCaseCenti: per * 100, capCenti: cap * 100 };
}

/** A plausible observed value: passing with probability `p`. */
function valueFor(j: Judge, pass: boolean, r: () => number): ObservationValue {
  switch (j.type) {
    case 'pass_fail':
      return { result: pass ? 'pass' : 'fail' };
    case 'count':
      return { count: pass ? j.threshold + Math.floor(r() * 3) : Math.floor(r() * j.threshold) };
    case 'ratio': {
      const denominator = 20 + Math.floor(r() * 30);
      const need = Math.ceil((j.thresholdPercent * denominator) / 100);
      return { numerator: pass ? Math.min(denominator, need + Math.floor(r() * (denominator - need + 1))) : Math.max(0, need - 1 - Math.floor(r() * 3)), denominator };
    }
    case 'k_of_n':
      return { passes: pass ? j.k + Math.floor(r() * (j.n - j.k + 1)) : Math.floor(r() * j.k) };
    case 'deduction':
    case 'grade':
      return { cases: pass ? 0 : 1 + Math.floor(r() * 3) };
  }
}

/**
 * The demo's 督查: the 测评细则 of 15 point types (the 文明行为 fragment included in each, items
 * linked to the demo 测评体系's field standards), two 督查组 and a unit's 自查 group, and plans —
 * a monthly 明查 over three months, weekly 暗访 drawn at random (the earlier published, this
 * week's not), a unit's monthly 自查 — with their inspections; failed items raised issues through
 * the issues module. Bulk inserts; the issues one by one (a few hundred). Runs in the demo's
 * transaction after the issues and indicators demos.
 */
export async function seedInspectionsDemo(tx: Executor, crypto: Crypto, now = new Date()): Promise<{ templates: number; inspections: number; issues: number }> {
  const r = prng(20261203);
  const cats = new Map(rowsOf<{ id: string; code: string }>(await tx.execute(sql`SELECT id, code FROM issue_categories`)).map((c) => [c.code, c.id]));
  const types = new Map(rowsOf<{ id: string; name: string }>(await tx.execute(sql`SELECT id, name FROM point_types`)).map((t) => [t.name, t.id]));
  const standards = rowsOf<{ id: string; text: string; system_id: string }>(
    await tx.execute(sql`SELECT n.id, n.text, n.system_id FROM indicator_nodes n JOIN indicator_systems s ON s.id = n.system_id
      WHERE s.kind = 'main' AND n.level = 'standard' AND n.is_active ORDER BY n.path`),
  );
  const users = new Map(rowsOf<{ id: string; username: string; name: string; unit_id: string; path: string }>(await tx.execute(sql`SELECT u.id, u.username, u.name, u.unit_id, o.path FROM users u JOIN org_units o ON o.id = u.unit_id`)).map((u) => [u.username, u]));
  const ducha = users.get('ducha');
  const jiandu = users.get('jiandu');
  const danwei = users.get('danwei');
  const admin = users.get('admin');
  if (!ducha || !jiandu || !danwei || !admin) return { templates: 0, inspections: 0, issues: 0 };

  const standardFor = (text: string, i: number): string[] => {
    if (!standards.length) return [];
    const word = ['公益广告', '核心价值观', '志愿', '无障碍', '消防', '卫生', '秩序', '未成年人', '垃圾', '吸烟'].find((w) => text.includes(w));
    const hit = word ? standards.find((s) => s.text.includes(word)) : undefined;
    return [(hit ?? standards[i % standards.length]).id];
  };
  const toItem = (d: DemoItem, i: number): ChecklistItem => ({
    key: d[0],
    group: d[1],
    text: d[2],
    standardIds: standardFor(d[2], i),
    categoryId: cats.get(d[3])!,
    judge: parseJudge(d[4]),
    scoreCenti: Math.round(d[5] * 100),
    photo: d[6],
    protocol: d[7] ?? '',
    exceptions: d[8] ?? '',
    naAllowed: d[9] ?? false,
  });

  // fragment and templates, published
  const fragment = CIVILITY_FRAGMENT.map((d, i) => toItem(d, i));
  const fragmentId = newId();
  await tx.insert(inspectionFragments).values({ id: fragmentId, code: 'WMXW', name: '文明行为（通用）', items: fragment });
  const published = new Date(now.getTime() - 120 * DAY);
  const versionOfType = new Map<string, { id: string; items: ChecklistItem[] }>();
  const systemId = standards[0]?.system_id ?? null;
  for (const t of DEMO_TEMPLATES) {
    const typeId = types.get(t.type);
    if (!typeId) continue;
    const id = newId();
    const own = t.items.map((d, i) => toItem(d, i));
    const items = [...own, ...fragment];
    await tx.insert(inspectionTemplates).values({ id, name: t.name, systemId, createdAt: published, updatedAt: published });
    await tx.insert(inspectionTemplatePointTypes).values({ templateId: id, pointTypeId: typeId });
    const versionId = newId();
    await tx.insert(inspectionTemplateVersions).values({
      id: versionId,
      templateId: id,
      number: 1,
      status: 'published',
      model: { entries: [...own.map((item) => ({ kind: 'item' as const, item })), { kind: 'fragment' as const, fragmentId }] },
      items,
      publishedAt: published,
      createdAt: published,
      updatedAt: published,
    });
    versionOfType.set(typeId, { id: versionId, items });
  }

  // 督查组
  const teamA = newId();
  const teamB = newId();
  const teamSelf = newId();
  await tx.insert(inspectionTeams).values([
    { id: teamA, name: '市创文办第一督查组', unitId: ducha.unit_id, leaderId: ducha.id },
    { id: teamB, name: '市创文办暗访组', unitId: ducha.unit_id, leaderId: ducha.id },
    { id: teamSelf, name: `${danwei.name}所在单位自查组`, unitId: danwei.unit_id, leaderId: danwei.id },
  ]);
  await tx.insert(inspectionTeamMembers).values([
    { teamId: teamA, userId: jiandu.id },
    { teamId: teamB, userId: jiandu.id },
  ]);

  // points with a template
  const pts = rowsOf<{ id: string; type_id: string; area_path: string; district_id: string; own: boolean }>(
    await tx.execute(sql`SELECT p.id, p.type_id, p.area_path, split_part(p.area_path, '/', 3) AS district_id,
      EXISTS (SELECT 1 FROM point_units pu WHERE pu.point_id = p.id AND pu.unit_id = ${danwei.unit_id}) AS own
      FROM points p WHERE p.is_active ORDER BY p.code`),
  ).filter((p) => versionOfType.has(p.type_id));
  const today = shanghaiDayOf(now);
  const monthsAgo = (n: number) => {
    const d = new Date(`${today.slice(0, 7)}-01T00:00:00+08:00`);
    d.setUTCMonth(d.getUTCMonth() - n);
    return shanghaiDayOf(new Date(d.getTime() + 8 * 3_600_000));
  };
  const periodEnd = shanghaiDayOf(new Date(now.getTime() + 20 * DAY));

  type PlanSpec = { name: string; mode: string; team: string; start: string; end: string; kind: 'monthly' | 'weekly'; points: typeof pts; published: boolean; unitPath: string; unitId: string; createdBy: string; draw?: unknown; issuesOn: string };
  const plans: PlanSpec[] = [];
  plans.push({ name: '月度明查（全市点位）', mode: 'open', team: teamA, start: monthsAgo(2), end: periodEnd, kind: 'monthly', points: pts.filter((_, i) => i % 2 === 0), published: true, unitPath: ducha.path, unitId: ducha.unit_id, createdBy: admin.id, issuesOn: 'submit' });
  // 暗访: one per (type, district) stratum where points exist, drawn with a recorded seed
  const strata = [...new Map(pts.map((p) => [`${p.type_id}|${p.district_id}`, { typeId: p.type_id, districtId: p.district_id, count: 1 }])).values()].slice(0, 12);
  const seed = 'demo-anfang-2026';
  const drawn = stratifiedDraw(
    pts.map((p) => ({ id: p.id, typeId: p.type_id, districtId: p.district_id })),
    strata,
    seed,
  );
  const drawnIds = new Set(drawn.ok ? drawn.ids : []);
  const weekAgo = (n: number) => shanghaiDayOf(new Date(now.getTime() - n * DAY));
  plans.push({ name: '暗访（前三周，已公布）', mode: 'covert', team: teamB, start: weekAgo(27), end: weekAgo(7), kind: 'weekly', points: pts.filter((p) => drawnIds.has(p.id)), published: true, unitPath: ducha.path, unitId: ducha.unit_id, createdBy: admin.id, draw: { strata, excludeDays: null, seed }, issuesOn: 'submit' });
  plans.push({ name: '暗访（本周，未公布）', mode: 'covert', team: teamB, start: weekAgo(6), end: shanghaiDayOf(new Date(now.getTime() + DAY)), kind: 'weekly', points: pts.filter((p) => drawnIds.has(p.id)), published: false, unitPath: ducha.path, unitId: ducha.unit_id, createdBy: admin.id, draw: { strata, excludeDays: null, seed }, issuesOn: 'submit' });
  plans.push({ name: '单位自查（每月）', mode: 'self', team: teamSelf, start: monthsAgo(2), end: periodEnd, kind: 'monthly', points: pts.filter((p) => p.own), published: true, unitPath: danwei.path, unitId: danwei.unit_id, createdBy: danwei.id, issuesOn: 'review' });

  const planRows: (typeof inspectionPlans.$inferInsert)[] = [];
  const ppRows: (typeof inspectionPlanPoints.$inferInsert)[] = [];
  const occRows: (typeof inspectionOccurrences.$inferInsert)[] = [];
  const inspRows: (typeof inspections.$inferInsert)[] = [];
  const obsRows: (typeof inspectionObservations.$inferInsert)[] = [];
  const eventRows: (typeof inspectionEvents.$inferInsert)[] = [];
  const raise: { id: string; plan: number }[] = [];
  const team = new Map([
    [teamA, [ducha, jiandu]],
    [teamB, [ducha, jiandu]],
    [teamSelf, [danwei]],
  ]);
  plans.forEach((p, pi) => {
    const planId = newId();
    planRows.push({
      id: planId,
      name: p.name,
      mode: p.mode,
      teamId: p.team,
      unitId: p.unitId,
      unitPath: p.unitPath,
      periodStart: p.start,
      periodEnd: p.end,
      scheduleKind: p.kind,
      windowDays: p.kind === 'weekly' ? 5 : 7,
      allowLate: p.mode === 'self',
      issuesOn: p.issuesOn,
      selection: p.draw ? 'draw' : 'explicit',
      draw: (p.draw as never) ?? null,
      publishedAt: p.mode === 'covert' && p.published ? new Date(now.getTime() - 6 * DAY) : null,
      createdBy: p.createdBy,
      createdAt: new Date(`${p.start}T09:00:00+08:00`),
    });
    for (const pt of p.points) ppRows.push({ planId, pointId: pt.id });
    for (const w of windowsOf(p.kind, p.start, p.end, p.kind === 'weekly' ? 5 : 7)) {
      for (const pt of p.points) {
        const occId = newId();
        const version = versionOfType.get(pt.type_id)!;
        const closed = w.dueTo.getTime() <= now.getTime();
        const doIt = closed ? r() < 0.88 : w.dueFrom.getTime() < now.getTime() && r() < 0.35;
        let state = closed ? 'missed' : 'pending';
        const members = team.get(p.team)!;
        const who = members[Math.floor(r() * members.length)];
        if (doIt) {
          const span = Math.min(w.dueTo.getTime(), now.getTime()) - w.dueFrom.getTime();
          const at = new Date(w.dueFrom.getTime() + Math.floor(r() * Math.max(1, span - 3_600_000)));
          const inspId = newId();
          const failP = 0.06 + (pt.district_id.charCodeAt(0) % 5) * 0.015;
          let sum = emptySum();
          for (const item of version.items) {
            const value: ObservationValue = item.naAllowed && r() < 0.08 ? { na: true } : valueFor(item.judge, r() >= failP, r);
            const j = judge(item, value);
            sum = addJudgement(sum, j);
            obsRows.push({ inspectionId: inspId, itemKey: item.key, groupCode: item.group, outcome: j.outcome, value: value as Record<string, unknown>, grade: j.grade, earnedUnits: j.earnedUnits, possibleUnits: j.possibleUnits, note: j.outcome === 'fail' ? '现场发现不符合' : null });
          }
          state = closed && r() < 0.7 ? 'approved' : 'submitted';
          const pt_ = pts.find((x) => x.id === pt.id)!;
          const dLng = (r() - 0.5) * 0.002;
          inspRows.push({
            id: inspId,
            occurrenceId: occId,
            clientKey: `demo-${inspId}`,
            planId,
            mode: p.mode,
            pointId: pt.id,
            pointTypeId: pt.type_id,
            areaPath: pt_.area_path,
            templateVersionId: version.id,
            inspectorId: who.id,
            outcome: 'done',
            startedAt: new Date(at.getTime() - 40 * 60_000),
            inspectedAt: at,
            submittedAt: at,
            distanceM: Math.round(Math.abs(dLng) * 91_000),
            farFromPoint: false,
            earnedUnits: sum.earnedUnits,
            possibleUnits: sum.possibleUnits,
            observedCount: sum.observed,
            failedCount: sum.failed,
            naCount: sum.na,
          });
          eventRows.push(
            { occurrenceId: occId, inspectionId: inspId, action: 'start', fromState: 'pending', toState: 'in_progress', actorId: who.id, at: new Date(at.getTime() - 40 * 60_000) },
            { occurrenceId: occId, inspectionId: inspId, action: 'submit', fromState: 'in_progress', toState: 'submitted', actorId: who.id, at },
          );
          if (state === 'approved') eventRows.push({ occurrenceId: occId, inspectionId: inspId, action: 'approve', fromState: 'submitted', toState: 'approved', actorId: members[0].id, at: new Date(at.getTime() + DAY) });
          const raises = p.issuesOn === 'review' ? state === 'approved' : p.mode !== 'covert' || p.published;
          if (sum.failed > 0 && raises) raise.push({ id: inspId, plan: pi });
        } else if (closed) {
          eventRows.push({ occurrenceId: occId, action: 'miss', fromState: 'pending', toState: 'missed', note: '检查时限已过', at: w.dueTo });
        }
        occRows.push({ id: occId, planId, pointId: pt.id, templateVersionId: version.id, teamId: p.team, dueFrom: w.dueFrom, dueTo: w.dueTo, state, inspectorId: doIt ? who.id : null });
      }
    }
  });
  const chunk = async <T>(rows: T[], n: number, f: (part: T[]) => Promise<unknown>) => {
    for (let i = 0; i < rows.length; i += n) await f(rows.slice(i, i + n));
  };
  await tx.insert(inspectionPlans).values(planRows);
  await chunk(ppRows, 1000, (x) => tx.insert(inspectionPlanPoints).values(x));
  await chunk(occRows, 1000, (x) => tx.insert(inspectionOccurrences).values(x));
  await chunk(inspRows, 1000, (x) => tx.insert(inspections).values(x));
  await chunk(obsRows, 2000, (x) => tx.insert(inspectionObservations).values(x));
  await chunk(eventRows, 2000, (x) => tx.insert(inspectionEvents).values(x));

  // failed items → issues, oldest first (so a later failure links to, or relapses, the earlier issue)
  const inspector = SYSTEM_ROLES.find((x) => x.code === 'inspector')!;
  const ctxOf = (u: NonNullable<typeof ducha>): RequestContext => ({
    actor: { userId: u.id, username: u.username, name: u.name, unitId: u.unit_id, unitPath: u.path, roles: ['inspector'], permissions: new Set(inspector.permissions), gridIds: new Set() },
    ip: '',
  });
  const deps = { db: tx as never, crypto, config: loadConfig({}) };
  const byId = new Map(inspRows.map((i) => [i.id!, i]));
  raise.sort((a, b) => byId.get(a.id)!.inspectedAt!.getTime() - byId.get(b.id)!.inspectedAt!.getTime());
  const planById = new Map((await Promise.all(planRows.map((p) => repo.getPlan(tx, p.id!)))).map((p) => [p!.id, p!]));
  let issues = 0;
  for (const x of raise) {
    const insp = byId.get(x.id)!;
    const who = insp.inspectorId === jiandu.id ? jiandu : insp.inspectorId === danwei.id ? danwei : ducha;
    issues += await raiseIssues(deps, tx, ctxOf(who), x.id, planById.get(planRows[x.plan].id!)!);
  }
  return { templates: versionOfType.size, inspections: inspRows.length, issues };
}
