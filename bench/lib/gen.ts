/**
 * Deterministic pieces of the benchmark data set: the PRNG, the scales and the name vocabulary.
 * Pure, so that the same scale always yields the same city (ids aside).
 */

/** mulberry32: a small, fast, well-distributed 32-bit PRNG; returns floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(rand: () => number, list: readonly T[]): T => list[Math.floor(rand() * list.length)];

export type ScaleName = 'small' | 'city' | 'megacity';
export type Scale = {
  name: ScaleName;
  districts: number;
  streetsPerDistrict: number;
  communitiesPerStreet: number;
  cityDepartments: number;
  districtDepartments: number;
  /** org_units in total; the rest after the tree and departments are 'unit' rows (schools, hospitals, …) */
  units: number;
  gridsPerCommunity: number;
  points: number;
  users: number;
};

/** small ≈ the demo city; city and megacity from issue #2 item 10 and PRODUCT.md §5. */
export const SCALES: Record<ScaleName, Scale> = {
  small: { name: 'small', districts: 2, streetsPerDistrict: 2, communitiesPerStreet: 2, cityDepartments: 16, districtDepartments: 2, units: 40, gridsPerCommunity: 2, points: 300, users: 40 },
  city: { name: 'city', districts: 6, streetsPerDistrict: 8, communitiesPerStreet: 10, cityDepartments: 40, districtDepartments: 20, units: 800, gridsPerCommunity: 2, points: 5_000, users: 2_000 },
  megacity: { name: 'megacity', districts: 16, streetsPerDistrict: 15, communitiesPerStreet: 25, cityDepartments: 60, districtDepartments: 40, units: 10_000, gridsPerCommunity: 2, points: 100_000, users: 50_000 },
};

export function parseScale(s: string | undefined): Scale {
  if (s === 'small' || s === 'city' || s === 'megacity') return SCALES[s];
  throw new Error(`--scale must be small, city or megacity (got ${s ?? 'nothing'})`);
}

/** The fixed counts of the tree for a scale; `units` is what is left for leaf units (≥ 0). */
export function treeCounts(s: Scale) {
  const streets = s.districts * s.streetsPerDistrict;
  const communities = streets * s.communitiesPerStreet;
  const departments = s.cityDepartments + s.districts * s.districtDepartments;
  const leafUnits = Math.max(0, s.units - 1 - s.districts - streets - communities - departments);
  return { districts: s.districts, streets, communities, departments, leafUnits, grids: communities * s.gridsPerCommunity };
}

export const DISTRICT_NAMES = [
  '东城区', '西城区', '南湖区', '北山区', '中原区', '金水区', '高新区', '经开区', '滨江区', '临港区', '青山区', '白云区', '长安区', '新城区', '天河区', '望江区',
  '龙华区', '福田区', '罗湖区', '城关区',
] as const;

/** Two-character words for street, community, road and unit names. */
export const WORDS = [
  '建设', '人民', '解放', '和平', '幸福', '友谊', '光明', '朝阳', '新华', '胜利', '团结', '振兴', '文化', '花园', '东风', '红旗', '长江', '黄河', '泰山', '华山',
  '翠竹', '碧水', '青年', '工人', '农业', '科技', '学院', '体育', '南湖', '北苑', '西郊', '东郊', '金桥', '银河', '紫荆', '桂花', '梧桐', '杏林', '松柏', '春风',
  '秋实', '锦绣', '康宁', '永安', '兴隆', '富强', '民主', '和谐', '丰收', '育才',
] as const;
export const COMMUNITY_SUFFIXES = ['里', '苑', '园', '坊', '庄', '湾', '岭', '村', '路', '桥'] as const;
export const ROAD_SUFFIXES = ['路', '大街', '大道', '街', '巷'] as const;

/** Departments at city level ('市' + name); district departments reuse the first ones under the district's name. */
export const DEPARTMENT_NAMES = [
  '创文办', '委宣传部', '文明办', '教育局', '卫生健康委员会', '住房和城乡建设局', '城市管理局', '交通运输局', '公安局', '市场监督管理局', '生态环境局',
  '文化广电旅游局', '商务局', '民政局', '自然资源和规划局', '水利局', '农业农村局', '应急管理局', '政务服务和大数据管理局', '园林绿化局', '体育局',
  '人力资源和社会保障局', '财政局', '司法局', '退役军人事务局', '团委', '妇联', '总工会', '科协', '残联', '红十字会', '供电公司', '自来水公司', '燃气公司',
  '公交公司', '城投集团', '融媒体中心', '图书馆', '文化馆', '博物馆',
] as const;

export const UNIT_KINDS = [
  { subKind: 'school', suffixes: ['小学', '中学', '实验学校', '幼儿园'] },
  { subKind: 'hospital', suffixes: ['医院', '社区卫生服务中心', '中医院'] },
  { subKind: 'window', suffixes: ['政务服务中心', '供电营业厅', '银行支行', '车管所'] },
  { subKind: 'enterprise', suffixes: ['商场', '酒店', '物业公司', '建筑公司'] },
] as const;

/** Name of the n-th (0-based) item of a list that may need more names than it has: '建设' then '建设二' … */
export function nth(list: readonly string[], n: number): string {
  const base = list[n % list.length];
  const round = Math.floor(n / list.length);
  return round === 0 ? base : `${base}${CN_NUMBERS[(round + 1) % CN_NUMBERS.length]}`;
}
const CN_NUMBERS = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'] as const;

/** A street name unique within its district, given its index there. */
export const streetName = (i: number): string => `${nth(WORDS, i)}街道`;
/** A community name unique within its street. */
export const communityName = (streetIndex: number, i: number): string =>
  `${WORDS[(streetIndex * 7 + i) % WORDS.length]}${COMMUNITY_SUFFIXES[i % COMMUNITY_SUFFIXES.length]}${i >= COMMUNITY_SUFFIXES.length ? CN_NUMBERS[1 + (Math.floor(i / COMMUNITY_SUFFIXES.length) % 10)] : ''}社区`;

/** A point's name from its type and a seeded choice of words: '建设路公交站点', '幸福里小区'. */
export function pointName(rand: () => number, typeName: string): string {
  const w = pick(rand, WORDS);
  const r = pick(rand, ROAD_SUFFIXES);
  switch (typeName) {
    case '主要交通路口':
      return `${w}${r}与${pick(rand, WORDS)}${pick(rand, ROAD_SUFFIXES)}交叉口`;
    case '主次干道':
    case '背街小巷':
    case '商业大街':
      return `${w}${r}`;
    case '公交车':
      return `${1 + Math.floor(rand() * 300)}路公交车`;
    case '出租车':
      return `${w}出租车公司`;
    default:
      return `${w}${pick(rand, COMMUNITY_SUFFIXES)}${typeName}`;
  }
}
