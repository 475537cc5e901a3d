import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { newId } from '../../lib/ids.ts';
import { issueCategories } from './issues.tables.ts';

type Sub = [code: string, name: string, days: number, kind?: 'event' | 'component'];
/** The two-level taxonomy in the 数字城管 style; `unit` names the usual responsible department (matched by name when the unit exists). */
export const ISSUE_CATEGORIES: { code: string; name: string; unit: string; days: number; workingDays?: true; subs: Sub[] }[] = [
  {
    code: '01',
    name: '市容环境',
    unit: '市城市管理局',
    days: 3,
    subs: [
      ['0101', '暴露垃圾', 1],
      ['0102', '积存垃圾渣土', 2],
      ['0103', '道路不洁', 1],
      ['0104', '水域不洁', 3],
      ['0105', '垃圾桶（箱）破损满溢', 1, 'component'],
      ['0106', '公厕不洁', 1],
    ],
  },
  {
    code: '02',
    workingDays: true,
    name: '宣传广告',
    unit: '市委宣传部',
    days: 5,
    subs: [
      ['0201', '非法小广告', 2],
      ['0202', '违规户外广告', 7],
      ['0203', '公益广告缺失或破损', 5, 'component'],
      ['0204', '宣传栏未按期更新', 5, 'component'],
    ],
  },
  {
    code: '03',
    workingDays: true,
    name: '施工管理',
    unit: '市住房和城乡建设局',
    days: 5,
    subs: [
      ['0301', '施工扰民', 3],
      ['0302', '施工围挡破损或无公益广告', 5],
      ['0303', '施工扬尘', 2],
      ['0304', '道路遗撒', 1],
      ['0305', '违规占道施工', 3],
    ],
  },
  {
    code: '04',
    name: '街面秩序',
    unit: '市城市管理局',
    days: 3,
    subs: [
      ['0401', '店外经营', 2],
      ['0402', '流动摊贩', 1],
      ['0403', '占道经营', 2],
      ['0404', '露天烧烤', 1],
      ['0405', '乱堆物堆料', 3],
    ],
  },
  {
    code: '05',
    workingDays: true,
    name: '公共设施',
    unit: '市住房和城乡建设局',
    days: 7,
    subs: [
      ['0501', '井盖缺失破损', 1, 'component'],
      ['0502', '路灯不亮', 3, 'component'],
      ['0503', '盲道被占或损坏', 5, 'component'],
      ['0504', '公交站亭破损', 5, 'component'],
      ['0505', '健身设施损坏', 7, 'component'],
      ['0506', '绿地缺株死株', 10, 'component'],
    ],
  },
  {
    code: '06',
    name: '交通秩序',
    unit: '市公安局交通警察支队',
    days: 3,
    subs: [
      ['0601', '机动车乱停放', 1],
      ['0602', '非机动车乱停放', 1],
      ['0603', '交通标志标线缺损', 5, 'component'],
      ['0604', '行人闯红灯', 3],
    ],
  },
  {
    code: '07',
    name: '文明行为',
    unit: '市委宣传部',
    days: 5,
    subs: [
      ['0701', '不文明养犬', 3],
      ['0702', '随地吐痰乱扔垃圾', 2],
      ['0703', '公共场所吸烟', 3],
      ['0704', '餐饮浪费', 5],
      ['0705', '窗口服务不规范', 5],
    ],
  },
];

/** Seeds the taxonomy into an empty table; default units are set where a unit of that name exists. */
export async function seedIssueCategories(db: Executor): Promise<void> {
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(issueCategories);
  if (n > 0) return;
  const rows: (typeof issueCategories.$inferInsert)[] = [];
  ISSUE_CATEGORIES.forEach((c, i) => {
    const id = newId();
    // 宣传广告, 施工管理 and 公共设施 go to departments that work on working days
    const timeLimitUnit = c.workingDays ? 'working' : 'calendar';
    rows.push({ id, code: c.code, name: c.name, kind: 'event', timeLimitDays: c.days, timeLimitUnit, sort: i + 1 });
    c.subs.forEach(([code, name, days, kind], j) => {
      rows.push({ id: newId(), code, name, kind: kind ?? 'event', parentId: id, timeLimitDays: days, timeLimitUnit, sort: j + 1 });
    });
  });
  await db.insert(issueCategories).values(rows);
  await assignCategoryUnits(db);
}

/** Sets the default unit of top-level categories without one, by unit name (run again after the demo city exists). */
export async function assignCategoryUnits(db: Executor): Promise<void> {
  for (const c of ISSUE_CATEGORIES) {
    await db.execute(sql`UPDATE issue_categories SET default_unit_id = (SELECT u.id FROM org_units u WHERE u.name = ${c.unit} AND u.is_active ORDER BY u.depth LIMIT 1)
      WHERE code = ${c.code} AND parent_id IS NULL AND default_unit_id IS NULL`);
  }
}
