/**
 * 测评细则 items and how an observation of one is judged and scored (PRODUCT.md §3.3,
 * shared/reference/field-checklists.md). Pure: no IO.
 *
 * Scores are exact integers. An item's score is written in points with at most two decimals and
 * held as **centi-points** (4.5 分 → 450). Earned and possible points are held in **units** of
 * 1/10000 point (centi-points × 100), so that A/B/C/C# (100/66/33/0 %) stays an integer:
 * a 4.5-point item graded B earns 450 × 66 = 29 700 units = 2.97 分. 得分率 = earned / possible over
 * the observed items (不适用 leaves both), computed from those integers.
 */

export const JudgeTypeLabels = {
  pass_fail: '达标/不达标',
  count: '数量达标（≥ 阈值）',
  ratio: '比例达标（≥ 百分比）',
  k_of_n: '抽样达标（n 个中 ≥ k 个）',
  deduction: '按例扣分（有上限）',
  grade: 'A/B/C/C# 按不符合例数',
} as const;
export type JudgeType = keyof typeof JudgeTypeLabels;
export const JUDGE_TYPES = Object.keys(JudgeTypeLabels) as JudgeType[];

export const PhotoRuleLabels = { never: '不需要', on_failure: '不达标时必须拍照', always: '必须拍照' } as const;
export type PhotoRule = keyof typeof PhotoRuleLabels;

/** How an item is judged; thresholds are integers (a ratio threshold in whole per cent). */
export type Judge =
  | { type: 'pass_fail' }
  | { type: 'count'; threshold: number }
  | { type: 'ratio'; thresholdPercent: number }
  | { type: 'k_of_n'; k: number; n: number }
  | { type: 'deduction'; perCaseCenti: number; capCenti: number }
  | { type: 'grade' };

/** One item of a frozen template version. */
export type ChecklistItem = {
  /** stable within the template (A01, B03…): observations and issues refer to it */
  key: string;
  /** the item group's code (公益宣传 gy, 环境卫生 hj…; groups are data) */
  group: string;
  /** the field standard's text */
  text: string;
  /** indicator nodes (测评标准) this item serves */
  standardIds: string[];
  /** the issue category a failure files under */
  categoryId: string;
  judge: Judge;
  scoreCenti: number;
  /** 操作方法 shown to the inspector (walk 200 m in from the gate…) */
  protocol: string;
  photo: PhotoRule;
  /** 例外 (划线内停放不算违停) */
  exceptions: string;
  naAllowed: boolean;
};

/** The value an inspector records for an item, by judge type; `{ na: true }` is 不适用. */
export type ObservationValue =
  | { na: true }
  | { result: 'pass' | 'fail' }
  | { count: number }
  | { numerator: number; denominator: number }
  | { passes: number }
  | { cases: number };

export type Outcome = 'pass' | 'fail' | 'na';
export const OutcomeLabels: Record<Outcome, string> = { pass: '达标', fail: '不达标', na: '不适用' };

export type Grade = 'A' | 'B' | 'C' | 'C#';
/** 状态描述法: A 100 %, B 66 %, C 33 %, C# 0 of the item's score, by failing cases 0/1/2/≥3. */
export const GRADE_PERCENT: Record<Grade, number> = { A: 100, B: 66, C: 33, 'C#': 0 };
export const gradeOf = (cases: number): Grade => (cases <= 0 ? 'A' : cases === 1 ? 'B' : cases === 2 ? 'C' : 'C#');

export type Judgement = { outcome: Outcome; earnedUnits: number; possibleUnits: number; grade: Grade | null };

export const UNITS_PER_CENTI = 100;
export const UNITS_PER_POINT = 10_000;

/** Points (≤ 2 decimals) → centi-points: 4.5 → 450; null when it is not a whole number of centi-points. */
export function toCenti(points: number): number | null {
  const c = Math.round(points * 100);
  return Number.isFinite(points) && points >= 0 && Math.abs(c - points * 100) < 1e-6 ? c : null;
}

/** A problem with a value: the message names what is wrong, in Chinese. */
export type ValueError = { message: string };

const isInt = (v: unknown, min = 0): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= 1_000_000;

/** Checks that a value has the shape of the item's judge type (or is 不适用 where allowed). */
export function checkValue(item: ChecklistItem, value: unknown): ValueError | null {
  if (typeof value !== 'object' || value === null) return { message: '缺少检查结果' };
  const v = value as Record<string, unknown>;
  if (v.na === true) return item.naAllowed ? null : { message: '该项不允许填“不适用”' };
  const j = item.judge;
  switch (j.type) {
    case 'pass_fail':
      return v.result === 'pass' || v.result === 'fail' ? null : { message: '应填写“达标”或“不达标”' };
    case 'count':
      return isInt(v.count) ? null : { message: '应填写看到的数量（非负整数）' };
    case 'ratio':
      if (!isInt(v.numerator) || !isInt(v.denominator, 1)) return { message: '应填写分子与分母（分母为正整数）' };
      return (v.numerator as number) <= (v.denominator as number) ? null : { message: '分子不能大于分母' };
    case 'k_of_n':
      return isInt(v.passes) && (v.passes as number) <= j.n ? null : { message: `应填写 ${j.n} 个样本中达标的个数（0–${j.n}）` };
    case 'deduction':
    case 'grade':
      return isInt(v.cases) ? null : { message: '应填写不符合的例数（非负整数）' };
  }
}

/** Judges a checked value: outcome, earned and possible units. */
export function judge(item: ChecklistItem, value: ObservationValue): Judgement {
  if ('na' in value) return { outcome: 'na', earnedUnits: 0, possibleUnits: 0, grade: null };
  const possible = item.scoreCenti * UNITS_PER_CENTI;
  const passFail = (ok: boolean): Judgement => ({ outcome: ok ? 'pass' : 'fail', earnedUnits: ok ? possible : 0, possibleUnits: possible, grade: null });
  const j = item.judge;
  switch (j.type) {
    case 'pass_fail':
      return passFail((value as { result: string }).result === 'pass');
    case 'count':
      return passFail((value as { count: number }).count >= j.threshold);
    case 'ratio': {
      const { numerator, denominator } = value as { numerator: number; denominator: number };
      // numerator / denominator ≥ threshold %, in integers
      return passFail(numerator * 100 >= j.thresholdPercent * denominator);
    }
    case 'k_of_n':
      return passFail((value as { passes: number }).passes >= j.k);
    case 'deduction': {
      const cases = (value as { cases: number }).cases;
      const deducted = Math.min(j.capCenti, cases * j.perCaseCenti, item.scoreCenti);
      return { outcome: cases > 0 ? 'fail' : 'pass', earnedUnits: (item.scoreCenti - deducted) * UNITS_PER_CENTI, possibleUnits: possible, grade: null };
    }
    case 'grade': {
      const grade = gradeOf((value as { cases: number }).cases);
      return { outcome: grade === 'A' ? 'pass' : 'fail', earnedUnits: item.scoreCenti * GRADE_PERCENT[grade], possibleUnits: possible, grade };
    }
  }
}

/** Whether a photo is required for this outcome. */
export const photoRequired = (item: ChecklistItem, outcome: Outcome): boolean => item.photo === 'always' ? outcome !== 'na' : item.photo === 'on_failure' && outcome === 'fail';

/** A checked judge definition, or the reason it is not one. */
export function checkJudge(j: Judge, scoreCenti: number): string | null {
  switch (j.type) {
    case 'pass_fail':
    case 'grade':
      return null;
    case 'count':
      return isInt(j.threshold, 1) ? null : '数量阈值须为正整数';
    case 'ratio':
      return isInt(j.thresholdPercent, 1) && j.thresholdPercent <= 100 ? null : '比例阈值须为 1–100 的整数（百分比）';
    case 'k_of_n':
      return isInt(j.n, 1) && isInt(j.k, 1) && j.k <= j.n ? null : '抽样数 n 与达标数 k 须为正整数且 k ≤ n';
    case 'deduction':
      if (!isInt(j.perCaseCenti, 1)) return '每例扣分须大于 0';
      return isInt(j.capCenti, 1) && j.capCenti <= scoreCenti ? null : '扣分上限须大于 0 且不超过该项分值';
  }
}

/** Sums of a set of judged observations: the figures of an inspection or of a roll-up. */
export type ScoreSum = { earnedUnits: number; possibleUnits: number; observed: number; failed: number; na: number };
export const emptySum = (): ScoreSum => ({ earnedUnits: 0, possibleUnits: 0, observed: 0, failed: 0, na: 0 });

export function addJudgement(s: ScoreSum, j: Judgement): ScoreSum {
  if (j.outcome === 'na') return { ...s, na: s.na + 1 };
  return { earnedUnits: s.earnedUnits + j.earnedUnits, possibleUnits: s.possibleUnits + j.possibleUnits, observed: s.observed + 1, failed: s.failed + (j.outcome === 'fail' ? 1 : 0), na: s.na };
}

/** 得分 in points, two decimals, from units: 29700 → '2.97'. Rounds half up. */
export function formatPoints(units: number): string {
  const centi = Math.floor((units + UNITS_PER_CENTI / 2) / UNITS_PER_CENTI);
  return `${Math.floor(centi / 100)}.${String(centi % 100).padStart(2, '0')}`;
}

/** 得分率 as a per-mille integer (701 = 70.1 %), rounded half up from the integers; null with nothing observed. */
export function ratePermille(earned: number, possible: number): number | null {
  if (possible <= 0) return null;
  // BigInt: city-wide sums reach 10^13 units, and × 2000 would pass 2^53
  return Number((BigInt(earned) * 2000n + BigInt(possible)) / (BigInt(possible) * 2n));
}

/** 70.1% from 701; '—' for null. */
export const formatPermille = (p: number | null): string => (p === null ? '—' : `${Math.floor(p / 10)}.${p % 10}%`);
