/**
 * Matching the unit names people write in a 任务分解表 (市教育局, 示范市教育局, 教育局, 市城管局,
 * 各区) to org units (PRODUCT.md §3.2). Pure and deterministic: the caller passes the units in
 * scope; nothing is guessed — a name two units share is reported as ambiguous, an unknown name gets
 * its three closest units with a score, and vague words (各有关部门) are refused.
 *
 * Matching tiers, first hit wins (a tier with two or more units is ambiguous, not a later tier):
 *  1. exact: the text equals a unit's name or short name;
 *  2. normalised: full-width → half-width, spaces removed, brackets unified, role notes such as
 *     （牵头） dropped;
 *  3. core: additionally without 中共 and the city's name or a bare 市 in front, so 示范市教育局,
 *     市教育局 and 教育局 are one name (district units keep their district: 文明区教育局), and
 *     市场监督管理局 is still 示范市市场监督管理局;
 *  4. abbreviation: known short forms are folded into one spelling (城管局 = 城市管理局,
 *     文明办 = 精神文明建设指导委员会办公室, …; extend with `aliases`).
 *
 * Collective names (decision): 各区 / 各县（市、区） / 各街道 / 各乡镇（街道） / 各社区（村） /
 * 市直各部门 are a `group` naming a unit kind, expanded to every given unit of that kind (pass only
 * the units in the importer's scope, with `kind`). Vaguer words (各有关部门, 各成员单位, 相关单位)
 * are problems: the office must list the units.
 */

import { pinyin } from 'pinyin-pro';
import type { OrgUnitKind } from '../contracts/org.ts';
import { splitMultiOutsideBrackets } from './excel-values.ts';

export type UnitRef = {
  id: string;
  name: string;
  shortName?: string | null;
  /** searchTextOf(name) from domain/pinyin.ts; not needed for matching, accepted so rows can be passed as they are */
  searchText?: string | null;
  /** needed to expand 各区, 各街道 … */
  kind?: OrgUnitKind;
};

export type UnitCandidate = { id: string; name: string; score: number };

export type UnitGroupKey = 'districts' | 'streets' | 'communities' | 'departments';

export type UnitMatch =
  | { status: 'matched'; text: string; id: string; name: string; how: 'exact' | 'normalized' | 'core' | 'alias' }
  | { status: 'group'; text: string; group: UnitGroupKey; kinds: OrgUnitKind[]; ids: string[] }
  | { status: 'ambiguous'; text: string; candidates: UnitCandidate[]; message: string }
  | { status: 'unknown'; text: string; candidates: UnitCandidate[]; message: string };

export type UnitMatchOptions = {
  /** the city's names, stripped in front of unit names (示范市); default: the names of the given units of kind 'city' */
  cityNames?: readonly string[];
  /** more abbreviations: short form → full forms, written without the city (城管局: ['城市管理局']) */
  aliases?: Readonly<Record<string, readonly string[]>>;
};

/** Two or more units that one spelling names at some tier: names written that way are ambiguous. */
export type UnitCollision = { level: 'exact' | 'normalized' | 'core' | 'alias'; key: string; units: { id: string; name: string }[] };

/** a unit's spellings for scoring, as code points: the most stripped core of its name (and short name), and its pinyin */
type Entry = { unit: UnitRef; primaries: number[][]; pinyins: number[][] };

export type UnitIndex = {
  units: readonly UnitRef[];
  /** tier → key → unit ids */
  tiers: Map<string, string[]>[];
  entries: Entry[];
  byId: Map<string, UnitRef>;
  cityNames: string[];
  aliases: [string, string[]][];
  collisions: UnitCollision[];
  /** answers already given: an import repeats the same names thousands of times */
  cache: Map<string, UnitMatch>;
};

const LEVELS = ['exact', 'normalized', 'core', 'alias'] as const;

/** Built-in abbreviations of unit names as city offices write them (short → full forms). */
export const UNIT_ALIASES: Readonly<Record<string, readonly string[]>> = {
  文明办: ['精神文明建设指导委员会办公室', '委精神文明建设办公室', '精神文明建设办公室', '文明委办公室'],
  创文办: ['创建全国文明城市工作指挥部办公室', '创建全国文明城市指挥部办公室', '创建文明城市工作指挥部办公室', '创建文明城市指挥部办公室', '创文指挥部办公室'],
  宣传部: ['委宣传部'],
  组织部: ['委组织部'],
  政法委: ['委政法委员会', '委政法委'],
  网信办: ['委网络安全和信息化委员会办公室', '网络安全和信息化委员会办公室', '委网信办'],
  城管局: ['城市管理局', '城市管理综合执法局', '城市管理和综合执法局', '城市管理行政执法局'],
  住建局: ['住房和城乡建设局', '住房城乡建设局'],
  人社局: ['人力资源和社会保障局'],
  发改委: ['发展和改革委员会', '发展改革委'],
  市场监管局: ['市场监督管理局'],
  交通局: ['交通运输局'],
  文旅局: ['文化广电和旅游局', '文化和旅游局', '文化广电旅游局', '文化广电体育和旅游局'],
  卫健委: ['卫生健康委员会', '卫生和健康委员会', '卫生健康委'],
  教体局: ['教育和体育局', '教育体育局'],
  自然资源局: ['自然资源和规划局'],
  应急局: ['应急管理局'],
  农业农村局: ['农业和农村局'],
  生态环境局: ['生态环境保护局', '环境保护局', '环保局'],
  妇联: ['妇女联合会'],
  残联: ['残疾人联合会'],
  科协: ['科学技术协会'],
  工商联: ['工商业联合会'],
  团市委: ['共青团委员会', '共青团委', '团委'],
};

const GROUPS: { key: UnitGroupKey; kinds: OrgUnitKind[]; spellings: string[] }[] = [
  { key: 'districts', kinds: ['district'], spellings: ['各区', '各区县', '各县区', '各县市区', '各县区市', '各区县市', '各县(市、区)', '各县(区)', '各区(县)', '各区(县、市)', '各区人民政府', '各区政府', '各县(市、区)人民政府', '各县区人民政府'] },
  { key: 'streets', kinds: ['street'], spellings: ['各街道', '各镇街', '各街镇', '各乡镇', '各乡镇街道', '各街道乡镇', '各街道(乡镇)', '各乡镇(街道)', '各街道办事处', '各街道办', '各镇(街道)', '各街道(镇)'] },
  { key: 'communities', kinds: ['community'], spellings: ['各社区', '各村', '各社区(村)', '各村(社区)', '各村社区', '各社区村', '各村居', '各社区居委会'] },
  { key: 'departments', kinds: ['department'], spellings: ['市直各部门', '市直各单位', '市直部门', '各市直部门', '各市直单位', '市直各有关部门', '市直有关部门'] },
];
/** Collective words that name no definite set of units. */
const VAGUE = ['各有关部门', '各有关单位', '各相关部门', '各相关单位', '有关部门', '有关单位', '相关部门', '相关单位', '各成员单位', '成员单位', '各部门', '各单位', '等'];

const ROLE_NOTE = /\((?:牵头|牵头单位|配合|配合单位|责任|责任单位|负责|主责|主抓|协助|协办|具体负责|总牵头)\)/g;

/**
 * A unit name reduced to how it is spelled, not what it says: half-width, no spaces, brackets
 * unified to (), role notes and a trailing 等 dropped. normalizeUnitName('市教育局 （牵头）') → '市教育局'
 */
export function normalizeUnitName(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/[\s\u3000\u00a0]+/g, '')
    .replace(/[〔【[]/g, '(')
    .replace(/[〕】\]]/g, ')')
    .replace(/[“”"'‘’]/g, '')
    .replace(ROLE_NOTE, '')
    .replace(/[。.;；,，、]+$/, '')
    .replace(/(?<=.{2})等(?:单位|部门)?$/, '')
    .toLowerCase();
}

/**
 * The spellings of a name without 中共 and the city in front, the most stripped last. Both the
 * city and a bare 市 are tried, and the unstripped name is kept, because 市 may also begin a word
 * (市场监督管理局, 市民服务中心). A name that would become shorter than two characters stays.
 * coreUnitNames('示范市教育局', ['示范市']) → ['示范市教育局', '教育局']; coreUnitNames('市场监督管理局', []) → ['市场监督管理局', '场监督管理局']
 */
export function coreUnitNames(name: string, cityNames: readonly string[]): string[] {
  let s = normalizeUnitName(name);
  for (const prefix of ['中国共产党', '中共']) if (s.startsWith(prefix) && s.length > prefix.length + 1) s = s.slice(prefix.length);
  const out = [s];
  const cities = cityNames.map(normalizeUnitName).sort((a, b) => b.length - a.length);
  const city = cities.find((c) => c && s.startsWith(c) && s.length >= c.length + 2);
  if (city) out.push(s.slice(city.length));
  else if (s.startsWith('市') && s.length >= 3) out.push(s.slice(1));
  return out;
}

const normalizedAliases = (extra?: UnitMatchOptions['aliases']): [string, string[]][] => {
  const all: Record<string, Set<string>> = {};
  for (const src of [UNIT_ALIASES, extra ?? {}]) {
    for (const [short, fulls] of Object.entries(src)) {
      const k = normalizeUnitName(short);
      all[k] ??= new Set();
      for (const f of fulls) if (normalizeUnitName(f) !== k) all[k].add(normalizeUnitName(f));
    }
  }
  // longest full forms first, so 城市管理综合执法局 is folded before 执法局 could be
  return Object.entries(all).map(([k, v]): [string, string[]] => [k, [...v].sort((a, b) => b.length - a.length || (a < b ? -1 : 1))]);
};

/** The core with every known full form at its end folded into the short form: 文明区城市管理局 → 文明区城管局. */
function foldAliases(core: string, aliases: readonly [string, string[]][]): string {
  let best: { full: string; short: string } | null = null;
  for (const [short, fulls] of aliases) {
    for (const full of fulls) if (core.endsWith(full) && (!best || full.length > best.full.length)) best = { full, short };
  }
  return best ? core.slice(0, core.length - best.full.length) + best.short : core;
}

const pinyinOf = (s: string): string => pinyin(s, { toneType: 'none', type: 'array', nonZh: 'consecutive' }).join('').toLowerCase();

/** Levenshtein distance over code points. editDistance('教育局', '教委局') → 1 */
export function editDistance(a: string, b: string): number {
  return levenshtein(codes(a), codes(b));
}

const codes = (s: string): number[] => Array.from(s, (c) => c.codePointAt(0) ?? 0);

// two rows reused across calls (single-threaded; no result depends on them)
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);

function levenshtein(x: readonly number[], y: readonly number[]): number {
  if (x.length === 0) return y.length;
  if (y.length === 0) return x.length;
  if (rowA.length <= y.length) {
    rowA = new Int32Array(y.length * 2 + 1);
    rowB = new Int32Array(y.length * 2 + 1);
  }
  let prev = rowA;
  let cur = rowB;
  for (let j = 0; j <= y.length; j++) prev[j] = j;
  for (let i = 1; i <= x.length; i++) {
    cur[0] = i;
    const xi = x[i - 1];
    for (let j = 1; j <= y.length; j++) {
      const del = prev[j] + 1;
      const ins = cur[j - 1] + 1;
      const sub = prev[j - 1] + (xi === y[j - 1] ? 0 : 1);
      cur[j] = del < ins ? (del < sub ? del : sub) : ins < sub ? ins : sub;
    }
    const t = prev;
    prev = cur;
    cur = t;
  }
  return prev[y.length];
}

const ratioCodes = (x: readonly number[], y: readonly number[]): number => {
  const n = Math.max(x.length, y.length);
  return n === 0 ? 1 : 1 - levenshtein(x, y) / n;
};

const ratio = (a: string, b: string): number => ratioCodes(codes(a), codes(b));

/**
 * How alike two names are, 0–1: the mean of character and pinyin similarity (so 交通运属局 is close
 * to 交通运输局). nameSimilarity('交通运输局', '交通运属局') → 0.9
 */
export function nameSimilarity(a: string, b: string): number {
  return Math.round((ratio(a, b) * 0.5 + ratio(pinyinOf(a), pinyinOf(b)) * 0.5) * 1000) / 1000;
}

type Keys = { tiers: string[][]; primary: string };

function keysOf(text: string, cityNames: readonly string[], aliases: readonly [string, string[]][]): Keys {
  const cores = coreUnitNames(text, cityNames);
  const folded = [...new Set(cores.map((c) => foldAliases(c, aliases)))];
  return { tiers: [[text.trim()], [normalizeUnitName(text)], cores, folded], primary: folded.at(-1) ?? '' };
}

/**
 * Indexes the units once per import; collisions lists names two units share at some tier.
 * buildUnitIndex([{ id: 'u1', name: '示范市教育局' }]).collisions → []
 */
export function buildUnitIndex(units: readonly UnitRef[], options: UnitMatchOptions = {}): UnitIndex {
  const cityNames = [...(options.cityNames ?? units.filter((u) => u.kind === 'city').map((u) => u.name))];
  const aliases = normalizedAliases(options.aliases);
  const tiers = LEVELS.map(() => new Map<string, string[]>());
  const entries: Entry[] = [];
  const byId = new Map<string, UnitRef>();
  for (const unit of units) {
    byId.set(unit.id, unit);
    const names = [unit.name, ...(unit.shortName?.trim() ? [unit.shortName] : [])];
    const keys = names.map((n) => keysOf(n, cityNames, aliases));
    entries.push({ unit, primaries: keys.map((k) => codes(k.primary)), pinyins: keys.map((k) => codes(pinyinOf(k.primary))) });
    LEVELS.forEach((_, level) => {
      for (const k of new Set(keys.flatMap((ks) => ks.tiers[level]))) {
        if (!k) continue;
        const ids = tiers[level].get(k) ?? [];
        if (!ids.includes(unit.id)) ids.push(unit.id);
        tiers[level].set(k, ids);
      }
    });
  }
  const collisions: UnitCollision[] = [];
  LEVELS.forEach((level, i) => {
    for (const [key, ids] of tiers[i]) {
      if (ids.length > 1) collisions.push({ level, key, units: ids.map((id) => ({ id, name: byId.get(id)?.name ?? id })) });
    }
  });
  return { units, tiers, entries, byId, cityNames, aliases, collisions, cache: new Map() };
}

/** The collective group a text names, or null. unitGroupOf('各县（市、区）') → 'districts' */
export function unitGroupOf(text: string): UnitGroupKey | null {
  const k = normalizeUnitName(text);
  for (const g of GROUPS) if (g.spellings.some((s) => normalizeUnitName(s) === k)) return g.key;
  return null;
}

const byScore = (a: UnitCandidate, b: UnitCandidate): number => b.score - a.score || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The units closest to a text, best first (score, then name, then id); with `limit`, only the best
 * `limit`. closestUnits(index, '市交通运属局', 3)[0] → { id: 'jtj', name: '示范市交通运输局', score: 0.9 }. Pinyin distances
 * are computed only while they can still change the result: a unit's score is at most
 * 0.5 × its character similarity + 0.5, so once that bound falls below the limit-th score found,
 * the rest cannot enter (exact, and fast on thousands of units).
 */
export const closestUnits = (index: UnitIndex, text: string, limit = Number.POSITIVE_INFINITY, ids?: readonly string[]): UnitCandidate[] => {
  const keys = keysOf(text, index.cityNames, index.aliases);
  const py = codes(pinyinOf(keys.primary));
  const primary = codes(keys.primary);
  const pool = ids ? index.entries.filter((e) => ids.includes(e.unit.id)) : index.entries;
  const byChars = pool.map((e) => ({ e, chars: e.primaries.map((k) => ratioCodes(primary, k)) })).map((x) => ({ ...x, best: Math.max(...x.chars) }));
  byChars.sort((a, b) => b.best - a.best);
  // the best `limit` so far, sorted (all of them when there is no limit)
  let found: UnitCandidate[] = [];
  for (const { e, chars, best } of byChars) {
    if (found.length >= limit && best * 0.5 + 0.5 + 0.001 < found[limit - 1].score) break;
    let score = 0;
    chars.forEach((c, i) => {
      const s = Math.round((c * 0.5 + ratioCodes(py, e.pinyins[i]) * 0.5) * 1000) / 1000;
      if (s > score) score = s;
    });
    found.push({ id: e.unit.id, name: e.unit.name, score });
    if (Number.isFinite(limit)) found = found.sort(byScore).slice(0, limit);
  }
  return found.sort(byScore);
};

/**
 * One unit name to a unit, a group, or a problem with the closest units.
 * matchUnitName(buildUnitIndex([{ id: 'u1', name: '示范市教育局' }], { cityNames: ['示范市'] }), '市教育局') → { status: 'matched', id: 'u1', how: 'core', … }
 */
export function matchUnitName(index: UnitIndex, text: string): UnitMatch {
  const shown = text.trim();
  const cached = index.cache.get(shown);
  if (cached) return cached;
  const result = matchUncached(index, shown);
  index.cache.set(shown, result);
  return result;
}

function matchUncached(index: UnitIndex, shown: string): UnitMatch {
  const group = unitGroupOf(shown);
  if (group) {
    const kinds = GROUPS.find((g) => g.key === group)?.kinds ?? [];
    const ids = index.units.filter((u) => u.kind && kinds.includes(u.kind)).map((u) => u.id);
    return { status: 'group', text: shown, group, kinds, ids };
  }
  const n = normalizeUnitName(shown);
  if (n === '' || VAGUE.some((v) => normalizeUnitName(v) === n)) {
    return { status: 'unknown', text: shown, candidates: [], message: `「${shown}」不是具体单位，请写出单位名称` };
  }
  const keys = keysOf(shown, index.cityNames, index.aliases);
  for (let level = 0; level < LEVELS.length; level++) {
    const ids = [...new Set(keys.tiers[level].flatMap((k) => index.tiers[level].get(k) ?? []))];
    if (ids.length === 0) continue;
    if (ids.length === 1) {
      const unit = index.byId.get(ids[0]);
      if (unit) return { status: 'matched', text: shown, id: unit.id, name: unit.name, how: level === 0 ? 'exact' : LEVELS[level] };
    }
    const candidates = closestUnits(index, shown, Number.POSITIVE_INFINITY, ids);
    return { status: 'ambiguous', text: shown, candidates, message: `单位「${shown}」对应多个单位（${candidates.map((c) => c.name).join('、')}），请写全称` };
  }
  const candidates = closestUnits(index, shown, 3).filter((c) => c.score > 0);
  const hint = candidates.length ? `，是否为：${candidates.map((c) => c.name).join('、')}` : '';
  return { status: 'unknown', text: shown, candidates, message: `未找到单位「${shown}」${hint}` };
}

export type UnitCellMatch = {
  /** the names as written, split */
  names: string[];
  /** matched unit ids in order of the cell, groups expanded, without repeats */
  ids: string[];
  matches: UnitMatch[];
  /** Chinese messages, one per name that did not resolve */
  problems: string[];
};

/**
 * A cell of several units (、，, ; ； or new lines; not inside brackets) to unit ids and problems.
 * matchUnitCell(index, '市教育局、各区') → { ids: ['u1', 'd1', 'd2'], problems: [], … }
 */
export function matchUnitCell(index: UnitIndex, cell: string): UnitCellMatch {
  const names = splitMultiOutsideBrackets(cell);
  const matches = names.map((n) => matchUnitName(index, n));
  const ids: string[] = [];
  const seen = new Set<string>();
  const add = (id: string) => {
    if (!seen.has(id)) {
      seen.add(id);
      ids.push(id);
    }
  };
  const problems: string[] = [];
  for (const m of matches) {
    if (m.status === 'matched') add(m.id);
    else if (m.status === 'group') {
      if (m.ids.length === 0) problems.push(`「${m.text}」下没有可用的单位`);
      for (const id of m.ids) add(id);
    } else problems.push(m.message);
  }
  return { names, ids, matches, problems };
}
