import { sql } from 'drizzle-orm';
import type { Executor } from '../../../db/client.ts';
import { newId } from '../../../lib/ids.ts';

/**
 * A small indicator system with a task table, written straight into the tables (tests of the
 * evidence module should not depend on the indicators API): two 测评项目, three standards, tasks
 * over city departments and two district departments.
 *
 *   Ⅱ 公共文明 / Ⅱ-1 市容环境 / Ⅱ-1-1 背街小巷整治   → 市城市管理局 (牵头), 市交通运输局 (责任), 市市场监督管理局 (配合)
 *                           / Ⅱ-1-2 户外广告规范     → 市城市管理局 (牵头)
 *   Ⅲ 志愿服务 / Ⅲ-1 志愿活动   / Ⅲ-1-1 学雷锋活动     → 文明区城市管理局 (责任), 和谐区城市管理局 (责任)
 */
export type EvidenceFixture = {
  systemId: string;
  items: Record<'Ⅱ' | 'Ⅲ', string>;
  standards: Record<'Ⅱ-1-1' | 'Ⅱ-1-2' | 'Ⅲ-1-1', string>;
  units: Record<'cgj' | 'jtj' | 'scj' | 'wmCgj' | 'hxCgj' | 'wm', { id: string; path: string }>;
};

async function unitByName(db: Executor, name: string): Promise<{ id: string; path: string }> {
  const res = (await db.execute(sql`SELECT id, path FROM org_units WHERE name = ${name}`)) as unknown as { rows: { id: string; path: string }[] };
  if (!res.rows[0]) throw new Error(`demo unit missing: ${name}`);
  return res.rows[0];
}

export async function createEvidenceFixture(db: Executor, name = '2026年度测评体系（材料审核测试）'): Promise<EvidenceFixture> {
  const units = {
    cgj: await unitByName(db, '市城市管理局'),
    jtj: await unitByName(db, '市交通运输局'),
    scj: await unitByName(db, '市市场监督管理局'),
    wmCgj: await unitByName(db, '文明区城市管理局'),
    hxCgj: await unitByName(db, '和谐区城市管理局'),
    wm: await unitByName(db, '文明区'),
  };
  const systemId = newId();
  await db.execute(sql`INSERT INTO indicator_systems (id, name, kind, year, status, total_score) VALUES (${systemId}, ${name}, 'main', 2026, 'active', 100)`);
  const node = async (parent: { id: string; path: string } | null, level: string, code: string, text: string, sort: number) => {
    const id = newId();
    const path = `${parent?.path ?? '/'}${id}/`;
    await db.execute(sql`INSERT INTO indicator_nodes (id, system_id, parent_id, level, code, text, methods, sort, path)
      VALUES (${id}, ${systemId}, ${parent?.id ?? null}, ${level}, ${code}, ${text}, ${JSON.stringify(level === 'standard' ? ['material'] : [])}::jsonb, ${sort}, ${path})`);
    return { id, path };
  };
  const i2 = await node(null, 'item', 'Ⅱ', '公共文明', 2);
  const c21 = await node(i2, 'content', 'Ⅱ-1', '市容环境', 1);
  const s211 = await node(c21, 'standard', 'Ⅱ-1-1', '背街小巷路面平整，无暴露垃圾', 1);
  const s212 = await node(c21, 'standard', 'Ⅱ-1-2', '户外广告设置规范', 2);
  const i3 = await node(null, 'item', 'Ⅲ', '志愿服务', 3);
  const c31 = await node(i3, 'content', 'Ⅲ-1', '志愿活动', 1);
  const s311 = await node(c31, 'standard', 'Ⅲ-1-1', '常态化开展学雷锋志愿服务活动', 1);
  const task = async (standard: { id: string }, item: { id: string }, seq: number, members: [keyof typeof units, string][]) => {
    const id = newId();
    const lead = members.find(([, role]) => role === 'lead');
    await db.execute(sql`INSERT INTO tasks (id, system_id, node_id, item_node_id, seq, title, lead_unit_id) VALUES (${id}, ${systemId}, ${standard.id}, ${item.id}, ${seq}, '按标准落实', ${lead ? units[lead[0]].id : null})`);
    for (const [key, role] of members) {
      await db.execute(sql`INSERT INTO task_units (id, task_id, unit_id, unit_path, role) VALUES (${newId()}, ${id}, ${units[key].id}, ${units[key].path}, ${role})`);
    }
  };
  await task(s211, i2, 1, [
    ['cgj', 'lead'],
    ['jtj', 'responsible'],
    ['scj', 'cooperating'],
  ]);
  await task(s212, i2, 2, [['cgj', 'lead']]);
  await task(s311, i3, 3, [
    ['wmCgj', 'responsible'],
    ['hxCgj', 'responsible'],
  ]);
  return { systemId, items: { Ⅱ: i2.id, Ⅲ: i3.id }, standards: { 'Ⅱ-1-1': s211.id, 'Ⅱ-1-2': s212.id, 'Ⅲ-1-1': s311.id }, units };
}
