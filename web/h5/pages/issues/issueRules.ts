import type { Me } from '../../../../contracts/auth.ts';
import type { IssueSource, IssueState } from '../../../../contracts/issues.ts';

/*
 * The pure rules of the phone's 问题整改 pages (no React, unit-tested in issueRules.test.ts).
 */

/** The source a report gets by default, from the reporter's role (PRODUCT.md §3.4 sources). */
export function defaultSource(me: Me): IssueSource {
  const roles = new Set(me.roles.map((r) => r.code));
  if (roles.has('grid_worker')) return 'grid';
  if (roles.has('inspector')) return 'inspection';
  if (roles.has('supervisor')) return 'supervisor';
  if (roles.has('unit_contact')) return 'self_check';
  return 'inspection';
}

/** Sources staff may choose on the phone (市民随手拍 comes only through the public page and Open311). */
export const STAFF_SOURCES: IssueSource[] = ['grid', 'inspection', 'supervisor', 'self_check', 'media', 'assessment'];

/** Common titles per sub-category, for one-tap filling in the street; the sub-category's own name always comes first. */
const COMMON_TITLES: Record<string, string[]> = {
  暴露垃圾: ['路边暴露垃圾', '绿化带内暴露垃圾', '垃圾未及时清运'],
  积存垃圾渣土: ['空地积存建筑垃圾', '楼道积存杂物垃圾'],
  道路不洁: ['路面有油污', '人行道不洁', '路面散落垃圾'],
  水域不洁: ['河面漂浮垃圾', '水体发黑发臭'],
  '垃圾桶（箱）破损满溢': ['垃圾桶满溢未清运', '垃圾桶破损', '垃圾分类桶缺失'],
  公厕不洁: ['公厕异味严重', '公厕地面积水', '公厕设施损坏'],
  非法小广告: ['墙面张贴小广告', '电线杆小广告', '喷涂办证广告'],
  违规户外广告: ['广告牌破损', '违规设置广告牌'],
  公益广告缺失或破损: ['公益广告褪色破损', '未设置公益广告'],
  宣传栏未按期更新: ['宣传栏内容过期', '宣传栏空置'],
  施工围挡破损或无公益广告: ['围挡破损', '围挡无公益广告'],
  施工扬尘: ['工地未覆盖裸土', '渣土车未密闭'],
  道路遗撒: ['渣土遗撒路面', '泥浆遗撒'],
  店外经营: ['商户店外经营', '出店摆卖'],
  流动摊贩: ['流动摊贩占道', '早市流动摊贩'],
  占道经营: ['占用人行道经营', '占道堆放货物'],
  乱堆物堆料: ['楼道乱堆杂物', '路边堆放建材'],
  井盖缺失破损: ['井盖缺失', '井盖破损下沉'],
  路灯不亮: ['路灯不亮', '路灯杆倾斜'],
  盲道被占或损坏: ['盲道被车辆占用', '盲道砖破损'],
  机动车乱停放: ['机动车占用人行道停放', '机动车堵塞消防通道'],
  非机动车乱停放: ['共享单车乱停放', '电动车乱停放'],
  不文明养犬: ['遛狗未牵绳', '犬只粪便未清理'],
  随地吐痰乱扔垃圾: ['乱扔烟头', '随地吐痰'],
  公共场所吸烟: ['室内公共场所吸烟', '禁烟标识缺失'],
};
export const commonTitles = (subName: string): string[] => [subName, ...(COMMON_TITLES[subName] ?? []).filter((t) => t !== subName)];

const FINISHED: IssueState[] = ['closed', 'rejected', 'merged', 'verified'];
const HOUR = 3_600_000;

/** 剩余 2天3小时 / 已超期 1天2小时 / 剩余 40分钟, and how urgent it is. */
export function countdown(deadline: string | null, state: IssueState, now = Date.now()): { text: string; tone: 'ok' | 'soon' | 'over' } | null {
  if (!deadline || FINISHED.includes(state)) return null;
  const ms = new Date(deadline).getTime() - now;
  const abs = Math.abs(ms);
  const days = Math.floor(abs / (24 * HOUR));
  const hours = Math.floor((abs % (24 * HOUR)) / HOUR);
  const minutes = Math.max(1, Math.floor((abs % HOUR) / 60_000));
  const span = days > 0 ? `${days}天${hours}小时` : hours > 0 ? `${hours}小时` : `${minutes}分钟`;
  if (ms < 0) return { text: `已超期 ${span}`, tone: 'over' };
  return { text: `剩余 ${span}`, tone: ms < 24 * HOUR ? 'soon' : 'ok' };
}


/** Great-circle distance in metres between two WGS-84 points. */
export function distanceM(a: { lng: number; lat: number }, b: { lng: number; lat: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}
export const formatDistance = (m: number) => (m < 1000 ? `${Math.round(m)} 米` : `${(m / 1000).toFixed(1)} 公里`);

/** Ray casting over GeoJSON [lng, lat] rings (outer ring minus holes). */
export function insidePolygon(p: { lng: number; lat: number }, rings: number[][][]): boolean {
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if (yi > p.lat !== yj > p.lat && p.lng < ((xj - xi) * (p.lat - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}
