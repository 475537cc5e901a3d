import type { AnswerCode, Answers, AnswerValue, Question, QuestionnaireModel, RateDefinition } from '../contracts/surveys.ts';

/**
 * The questionnaire model's rules, pure: is a definition well formed (before publishing), which
 * questions a respondent sees (show-if), is a set of answers complete and inside the model, and
 * which semantic code an answer carries for a rate item. The server, the public page and the
 * admin preview share these functions.
 */

export type ModelProblem = { path: string; message: string };

const CHOICE_TYPES = new Set(['single', 'multiple', 'scale', 'matrix']);
/** types whose one answer carries one code, so a rate can count them */
const RATE_TYPES = new Set(['single', 'scale', 'matrix']);

export const allQuestions = (model: QuestionnaireModel): Question[] => model.sections.flatMap((s) => s.questions);

/** Problems that stop a draft from being published (and from being saved when structural). */
export function modelProblems(model: QuestionnaireModel): ModelProblem[] {
  const problems: ModelProblem[] = [];
  const seen = new Map<string, Question>();
  const sectionIds = new Set<string>();
  model.sections.forEach((s, si) => {
    if (sectionIds.has(s.id)) problems.push({ path: `sections.${si}.id`, message: `节编号“${s.id}”重复` });
    sectionIds.add(s.id);
    s.questions.forEach((q, qi) => {
      const at = `sections.${si}.questions.${qi}`;
      if (seen.has(q.id)) problems.push({ path: `${at}.id`, message: `题目编号“${q.id}”重复` });
      if (CHOICE_TYPES.has(q.type)) {
        if (!q.options || q.options.length < 2) problems.push({ path: `${at}.options`, message: `第 ${q.id} 题至少需要两个选项` });
        const values = new Set<string>();
        for (const o of q.options ?? []) {
          if (values.has(o.value)) problems.push({ path: `${at}.options`, message: `第 ${q.id} 题的选项值“${o.value}”重复` });
          values.add(o.value);
        }
      }
      if (q.type === 'matrix') {
        if (!q.rows || q.rows.length < 1) problems.push({ path: `${at}.rows`, message: `第 ${q.id} 题（矩阵）至少需要一行` });
        const rows = new Set<string>();
        for (const r of q.rows ?? []) {
          if (rows.has(r.id)) problems.push({ path: `${at}.rows`, message: `第 ${q.id} 题的行编号“${r.id}”重复` });
          rows.add(r.id);
        }
      }
      if (q.type === 'number' && q.min !== undefined && q.max !== undefined && q.min > q.max) {
        problems.push({ path: `${at}.max`, message: `第 ${q.id} 题的最大值小于最小值` });
      }
      if (q.showIf) {
        const dep = seen.get(q.showIf.question);
        if (!dep) problems.push({ path: `${at}.showIf.question`, message: `第 ${q.id} 题的显示条件须引用在它之前的题目` });
        else if (!['single', 'multiple', 'scale'].includes(dep.type)) problems.push({ path: `${at}.showIf.question`, message: `第 ${q.id} 题的显示条件只能引用单选、多选或量表题` });
        else {
          const values = new Set((dep.options ?? []).map((o) => o.value));
          for (const v of q.showIf.anyOf) if (!values.has(v)) problems.push({ path: `${at}.showIf.anyOf`, message: `第 ${q.id} 题的显示条件引用了第 ${dep.id} 题不存在的选项“${v}”` });
        }
      }
      seen.set(q.id, q);
    });
  });
  const rateIds = new Set<string>();
  model.rates.forEach((r, ri) => {
    if (rateIds.has(r.id)) problems.push({ path: `rates.${ri}.id`, message: `指标编号“${r.id}”重复` });
    rateIds.add(r.id);
    const overlap = r.numerator.filter((c) => r.excluded.includes(c));
    if (overlap.length) problems.push({ path: `rates.${ri}.excluded`, message: `“${r.name}”的代码 ${overlap.join('、')} 不能既计入分子又排除出分母` });
    r.items.forEach((it, ii) => {
      const p = rateItemProblem(r.name, it.question, r.numerator, seen);
      if (p) problems.push({ path: `rates.${ri}.items.${ii}.question`, message: p });
    });
  });
  return problems;
}

function rateItemProblem(name: string, item: string, numerator: readonly string[], seen: Map<string, Question>): string | null {
  const [qid, row] = item.split('.');
  const q = seen.get(qid);
  if (!q) return `“${name}”引用了不存在的题目 ${qid}`;
  if (!RATE_TYPES.has(q.type)) return `“${name}”只能统计单选、量表或矩阵题，第 ${qid} 题是${q.type === 'multiple' ? '多选' : '非选择'}题`;
  if (q.type === 'matrix' && (!row || !(q.rows ?? []).some((x) => x.id === row))) return `“${name}”须指明第 ${qid} 题（矩阵）的哪一行`;
  if (q.type !== 'matrix' && row) return `第 ${qid} 题不是矩阵题，不能指定行`;
  const codes = new Set((q.options ?? []).map((o) => o.code).filter(Boolean));
  if (!numerator.some((c) => codes.has(c as never))) return `“${name}”的分子代码在第 ${qid} 题的选项中都不存在`;
  return null;
}

/** The answer of a choice question as a list of selected values (for show-if). */
function selected(v: AnswerValue | undefined): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v;
  return [];
}

/** Whether a question is shown, given the answers so far (a hidden question's dependency hides it too). */
export function isVisible(model: QuestionnaireModel, q: Question, answers: Answers, byId = questionIndex(model)): boolean {
  let cur: Question | undefined = q;
  const guard = new Set<string>();
  while (cur?.showIf && !guard.has(cur.id)) {
    guard.add(cur.id);
    const dep = byId.get(cur.showIf.question);
    if (!dep) return false;
    const values = selected(answers[dep.id]);
    if (!values.some((v) => cur!.showIf!.anyOf.includes(v))) return false;
    cur = dep;
  }
  return true;
}

export const questionIndex = (model: QuestionnaireModel): Map<string, Question> => new Map(allQuestions(model).map((q) => [q.id, q]));

const isEmpty = (v: AnswerValue | undefined) =>
  v === undefined || v === '' || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0);

/**
 * Checks a response against its version: every answer belongs to a question shown to the
 * respondent and lies inside its options or range; every required shown question is answered.
 * Returns the problems (path `answers.<id>`), each naming the question in Chinese. Answers to
 * hidden questions are refused too, so a stored response never carries them.
 */
export function answerProblems(model: QuestionnaireModel, answers: Answers): ModelProblem[] {
  const problems: ModelProblem[] = [];
  const byId = questionIndex(model);
  for (const id of Object.keys(answers)) {
    if (!byId.has(id)) problems.push({ path: `answers.${id}`, message: `问卷中没有编号为 ${id} 的题目` });
  }
  for (const q of byId.values()) {
    const v = answers[q.id];
    const path = `answers.${q.id}`;
    const name = `第 ${q.id} 题（${q.title.length > 20 ? `${q.title.slice(0, 20)}…` : q.title}）`;
    const visible = isVisible(model, q, answers, byId);
    if (!visible) {
      if (!isEmpty(v)) problems.push({ path, message: `${name}按前面的回答不需作答` });
      continue;
    }
    if (isEmpty(v)) {
      if (q.required) problems.push({ path, message: `请回答${name}` });
      continue;
    }
    const values = new Set((q.options ?? []).map((o) => o.value));
    switch (q.type) {
      case 'single':
      case 'scale':
        if (typeof v !== 'string' || !values.has(v)) problems.push({ path, message: `${name}的回答不在选项之内` });
        break;
      case 'multiple':
        if (!Array.isArray(v) || v.some((x) => !values.has(x))) problems.push({ path, message: `${name}的回答不在选项之内` });
        else if (new Set(v).size !== v.length) problems.push({ path, message: `${name}的选项重复` });
        break;
      case 'matrix': {
        if (typeof v !== 'object' || Array.isArray(v)) {
          problems.push({ path, message: `${name}的回答格式不正确` });
          break;
        }
        const rows = new Map((q.rows ?? []).map((r) => [r.id, r.label]));
        for (const [rid, rv] of Object.entries(v)) {
          if (!rows.has(rid)) problems.push({ path: `${path}.${rid}`, message: `${name}没有编号为 ${rid} 的行` });
          else if (!values.has(rv)) problems.push({ path: `${path}.${rid}`, message: `${name}“${rows.get(rid)}”的回答不在选项之内` });
        }
        if (q.required) for (const [rid, label] of rows) if (!(rid in v)) problems.push({ path: `${path}.${rid}`, message: `请回答${name}的“${label}”` });
        break;
      }
      case 'number':
        if (typeof v !== 'number' || !Number.isFinite(v)) problems.push({ path, message: `${name}须填写数字` });
        else if ((q.min !== undefined && v < q.min) || (q.max !== undefined && v > q.max)) problems.push({ path, message: `${name}须在 ${q.min ?? '−∞'} 到 ${q.max ?? '∞'} 之间` });
        break;
      case 'text':
      case 'textarea': {
        const max = q.maxLength ?? (q.type === 'text' ? 100 : 2000);
        if (typeof v !== 'string') problems.push({ path, message: `${name}须填写文字` });
        else if (v.length > max) problems.push({ path, message: `${name}最多 ${max} 个字` });
        break;
      }
    }
  }
  return problems;
}

/** The value a rate item reads from one response: the option value, or null when unanswered. */
export function itemValue(answers: Answers, item: string): string | null {
  const [qid, row] = item.split('.');
  const v = answers[qid];
  if (row) return v && typeof v === 'object' && !Array.isArray(v) ? (v[row] ?? null) : null;
  return typeof v === 'string' ? v : null;
}

/** value → code for a rate item's question (options without a code map to null). */
export function itemCodes(model: QuestionnaireModel, item: string): Map<string, AnswerCode | null> {
  const q = questionIndex(model).get(item.split('.')[0]);
  return new Map((q?.options ?? []).map((o) => [o.value, o.code ?? null]));
}

/** The rate items of a model's rates, each once. */
export const rateItems = (rates: RateDefinition[]): string[] => [...new Set(rates.flatMap((r) => r.items.map((i) => i.question)))];

/** Deterministic option order for a respondent (randomised questions): a seeded shuffle, so a reload shows the same order. */
export function optionOrder<T>(items: readonly T[], seed: string): T[] {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    h = Math.imul(h ^ (h >>> 15), 2246822507) >>> 0;
    const j = h % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Preset scales: 满意度 five points, or 1–N. */
export const SATISFACTION_OPTIONS = [
  { value: 's5', label: '满意', code: 'SATISFIED' as const, score: 5 },
  { value: 's4', label: '比较满意', code: 'FAIRLY_SATISFIED' as const, score: 4 },
  { value: 's3', label: '一般', code: 'NEUTRAL' as const, score: 3 },
  { value: 's2', label: '不太满意', code: 'FAIRLY_DISSATISFIED' as const, score: 2 },
  { value: 's1', label: '不满意', code: 'DISSATISFIED' as const, score: 1 },
];
export const numericScale = (n: 5 | 10) => Array.from({ length: n }, (_, i) => ({ value: `p${i + 1}`, label: String(i + 1), score: i + 1 }));
