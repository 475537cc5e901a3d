import { sql } from 'drizzle-orm';
import type { TaskPhase, TaskStatus, TaskUnitRole } from '../../../contracts/indicators.ts';
import { daysInMonth, isoDate, todayInShanghai } from '../../../domain/deadline-parse.ts';
import { intToRoman } from '../../../domain/evidence-number.ts';
import { childPath } from '../../../domain/org.ts';
import { rollupTaskProgress } from '../../../domain/task-progress.ts';
import { type Executor, rowsOf } from '../../db/client.ts';
import { newId } from '../../lib/ids.ts';
import { CITY, DISTRICTS, UNITS } from '../../seed/demo-data.ts';
import { audit } from '../audit/index.ts';
import { DEMO_METHODS, type DemoItem, MAIN_ITEMS, MAIN_SYSTEM, MINORS_ITEMS, MINORS_SYSTEM, REPORT_NOTES } from './indicators.demo-data.ts';
import * as repo from './indicators.repo.ts';
import * as tasksRepo from './tasks.repo.ts';

const DAY = 86_400_000;

/** Deterministic numbers (mulberry32) so every demo city is the same city. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Unit key (server/seed/demo-data.ts) → unit name, and the collective keys. */
function unitNamesByKey(): { names: Map<string, string>; groups: Record<string, string[]> } {
  const names = new Map<string, string>([['city', CITY.name]]);
  for (const d of DISTRICTS) {
    names.set(d.key, d.name);
    for (const s of d.streets) {
      names.set(s.key, s.name);
      for (const [k, n] of s.communities) names.set(k, n);
    }
  }
  for (const u of UNITS) names.set(u.key, u.name);
  return { names, groups: { districts: DISTRICTS.map((d) => d.key), streets: DISTRICTS.flatMap((d) => d.streets.map((s) => s.key)) } };
}

/** The last day of the month `offset` months from the month of `today` ('YYYY-MM-DD'). */
function monthEnd(today: string, offset: number): { date: string; text: string } {
  const [y0, m0] = today.split('-').map(Number);
  const total = y0 * 12 + (m0 - 1) + offset;
  const y = Math.floor(total / 12);
  const m = (total % 12) + 1;
  return { date: isoDate(y, m, daysInMonth(y, m)), text: `${y}年${m}月底` };
}

const PHASES: TaskPhase[] = ['mobilize', 'implement', 'improve', 'inspect'];

/**
 * The demo city's indicator systems and task table (issue #3 「Demo」): the main 测评体系 (8 测评项目,
 * 41 测评内容, 123 测评标准) and the 未成年人思想道德建设 system, every standard given to demo units
 * (牵头/责任/配合, 联络员 where the unit has a user), and progress reports so that the city looks
 * well into its year: some tasks done, most in progress, some overdue, some stalled.
 * 市城市管理局 (user danwei) has tasks in every state. Bulk inserts; runs inside seedDemo's
 * transaction, after units and users exist.
 */
export async function seedIndicatorsDemo(tx: Executor, now = new Date()): Promise<{ systems: number; nodes: number; tasks: number; reports: number }> {
  const unitRows = rowsOf<{ id: string; name: string; path: string }>(await tx.execute(sql`SELECT id, name, path FROM org_units`));
  const unitByName = new Map(unitRows.map((u) => [u.name, u]));
  const userRows = rowsOf<{ id: string; unit_id: string; username: string }>(await tx.execute(sql`SELECT id, unit_id, username FROM users ORDER BY username`));
  const liaisonOf = new Map<string, string>();
  for (const u of userRows) if (!liaisonOf.has(u.unit_id) && !u.username.startsWith('wangge')) liaisonOf.set(u.unit_id, u.id);
  const admin = userRows.find((u) => u.username === 'admin')?.id ?? null;
  const { names, groups } = unitNamesByKey();
  const unitOfKey = (key: string) => {
    const u = unitByName.get(names.get(key) ?? '');
    if (!u) throw new Error(`indicators demo: unit ${key} missing`);
    return u;
  };
  const expand = (list: string): string[] => list.split(',').filter(Boolean).flatMap((k) => groups[k] ?? [k]);

  const rand = prng(20260301);
  const today = todayInShanghai(now);
  const year = Number(today.slice(0, 4));
  const created = new Date(now.getTime() - 170 * DAY);
  const systemRows: Parameters<typeof repo.insertSystem>[1][] = [];
  const nodeRows: repo.NodeInsert[] = [];
  const taskRows: tasksRepo.TaskInsert[] = [];
  const unitLinks: tasksRepo.TaskUnitInsert[] = [];
  const reports: tasksRepo.ReportInsert[] = [];

  const build = (spec: { name: string; description: string }, kind: 'main' | 'minors', items: DemoItem[]) => {
    const systemId = newId();
    let scoreSum = 0;
    let seq = 0;
    items.forEach(([itemText, contents], i) => {
      const itemId = newId();
      const itemCode = intToRoman(i + 1);
      const itemPath = childPath('/', itemId);
      const itemScore = contents.reduce((s, c) => s + c[2].reduce((x, st) => x + st[1], 0), 0);
      nodeRows.push({ id: itemId, systemId, parentId: null, level: 'item', code: itemCode, text: itemText, score: itemScore, sort: i + 1, path: itemPath, createdAt: created, updatedAt: created });
      contents.forEach(([contentText, unitSpec, standards], j) => {
        const contentId = newId();
        const contentCode = `${itemCode}-${j + 1}`;
        const contentPath = childPath(itemPath, contentId);
        nodeRows.push({
          id: contentId,
          systemId,
          parentId: itemId,
          level: 'content',
          code: contentCode,
          text: contentText,
          score: standards.reduce((x, st) => x + st[1], 0),
          sort: j + 1,
          path: contentPath,
          createdAt: created,
          updatedAt: created,
        });
        const [lead, responsible, cooperating] = unitSpec.split('|');
        standards.forEach(([text, score, methods, materials], k) => {
          const id = newId();
          scoreSum += score;
          nodeRows.push({
            id,
            systemId,
            parentId: contentId,
            level: 'standard',
            code: `${contentCode}-${k + 1}`,
            text,
            score,
            methods: [...methods].map((m) => DEMO_METHODS[m]),
            materials,
            sort: k + 1,
            path: childPath(contentPath, id),
            createdAt: created,
            updatedAt: created,
          });
          // the task: phase and deadline spread over the year
          seq++;
          const taskId = newId();
          const phase = PHASES[(i + j + k) % 4];
          const r = rand();
          let deadline: { date: string | null; text: string };
          if (r < 0.15) deadline = { date: null, text: '长期坚持' };
          else if (r < 0.22) deadline = { date: null, text: '每月' };
          else {
            const offset = { mobilize: -5, implement: -2, improve: 1, inspect: 3 }[phase] + Math.floor(rand() * 3) - 1;
            deadline = monthEnd(today, offset);
          }
          const roles = new Map<string, TaskUnitRole>();
          for (const key of expand(lead)) if (!roles.has(key)) roles.set(key, 'lead');
          for (const key of expand(responsible)) if (!roles.has(key)) roles.set(key, 'responsible');
          for (const key of expand(cooperating ?? '')) if (!roles.has(key)) roles.set(key, 'cooperating');
          const leadUnit = unitOfKey(expand(lead)[0]);
          // progress per unit: older deadlines further along
          const progress: { role: TaskUnitRole; status: TaskStatus; percent: number }[] = [];
          let lastTask: Date | null = null;
          // a task as a whole: one in ten not started by anyone, one in eight stalled (nobody reported for over a month)
          const mode = rand();
          const untouched = mode < 0.1;
          const taskStalled = !untouched && mode < 0.22;
          for (const [key, role] of roles) {
            const u = unitOfKey(key);
            const p = rand();
            const ahead = deadline.date !== null && deadline.date < today ? 0.25 : 0;
            let status: TaskStatus = p < 0.18 + ahead ? 'done' : p < 0.78 ? 'in_progress' : 'not_started';
            if (role === 'cooperating' && status === 'not_started') status = 'in_progress';
            if (untouched) status = 'not_started';
            if (taskStalled && status === 'done') status = 'in_progress';
            let percent = status === 'done' ? 100 : status === 'in_progress' ? 10 * (1 + Math.floor(rand() * 9)) : 0;
            // reports: one to three, the last one recent or (for stalled units) over 30 days ago
            let last: Date | null = null;
            if (status !== 'not_started') {
              const count = 1 + Math.floor(rand() * 3);
              const stalled = taskStalled || (status === 'in_progress' && rand() < 0.2);
              const lastAt = now.getTime() - (stalled ? 35 + Math.floor(rand() * 40) : 1 + Math.floor(rand() * 25)) * DAY - Math.floor(rand() * 8) * 3_600_000;
              for (let n = 0; n < count; n++) {
                const at = new Date(lastAt - (count - 1 - n) * (20 + Math.floor(rand() * 15)) * DAY);
                if (at < created) continue;
                const isLast = n === count - 1;
                const st: TaskStatus = isLast ? status : 'in_progress';
                const pc = isLast ? percent : Math.max(10, Math.round((percent * (n + 1)) / count / 10) * 10);
                const notes = REPORT_NOTES[st === 'done' ? 'done' : 'in_progress'];
                reports.push({
                  id: newId(),
                  taskId,
                  unitId: u.id,
                  status: st,
                  percent: st === 'done' ? 100 : Math.min(pc, 90),
                  note: notes[Math.floor(rand() * notes.length)],
                  fileIds: [],
                  reporterId: liaisonOf.get(u.id) ?? admin,
                  at,
                });
                last = at;
              }
              if (last === null) {
                status = 'not_started';
                percent = 0;
              }
            }
            if (last && (!lastTask || last > lastTask)) lastTask = last;
            progress.push({ role, status, percent });
            unitLinks.push({ id: newId(), taskId, unitId: u.id, unitPath: u.path, role, liaisonUserId: liaisonOf.get(u.id) ?? null, status, percent, lastReportAt: last });
          }
          const roll = rollupTaskProgress(progress);
          taskRows.push({
            id: taskId,
            systemId,
            nodeId: id,
            itemNodeId: itemId,
            seq,
            title: text,
            leadUnitId: leadUnit.id,
            deadline: deadline.date,
            deadlineText: deadline.text,
            phase,
            materials,
            note: '',
            status: roll.status,
            percent: roll.percent,
            lastReportAt: lastTask,
            createdBy: admin,
            createdAt: created,
            updatedAt: lastTask ?? created,
          });
        });
      });
    });
    systemRows.push({
      id: systemId,
      name: spec.name,
      kind,
      year,
      edition: 1,
      status: 'active',
      // the declared total is the sum of the standards' scores (the demo's own content)
      totalScore: scoreSum,
      description: spec.description,
      createdBy: admin,
      createdAt: created,
      updatedAt: created,
    });
  };
  build(MAIN_SYSTEM, 'main', MAIN_ITEMS);
  build(MINORS_SYSTEM, 'minors', MINORS_ITEMS);

  for (const s of systemRows) await repo.insertSystem(tx, s);
  await repo.insertNodes(tx, nodeRows);
  await tasksRepo.insertTasks(tx, taskRows);
  await tasksRepo.insertTaskUnits(tx, unitLinks);
  await tasksRepo.insertReports(tx, reports);
  const out = { systems: systemRows.length, nodes: nodeRows.length, tasks: taskRows.length, reports: reports.length };
  await audit(tx, null, { action: 'seed_demo', entity: 'indicator_system', entityId: systemRows[0].id, after: out });
  return out;
}
