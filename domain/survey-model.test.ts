import { describe, expect, it } from 'vitest';
import { type Answers, QuestionnaireModel } from '../contracts/surveys.ts';
import { answerProblems, isVisible, itemValue, modelProblems, optionOrder, questionIndex, SATISFACTION_OPTIONS } from './survey-model.ts';
import { countsFromResponses, poststratify, rateResults, wilson } from './survey-rates.ts';

const sampleModel = QuestionnaireModel.parse({
  title: '市民文明素质与创建知晓率调查',
  sections: [
    {
      id: 'A',
      title: '创建知晓',
      questions: [
        {
          id: 'Q1',
          type: 'single',
          title: '您知道本市正在创建全国文明城市吗？',
          options: [
            { value: 'a', label: '知道', code: 'KNOW' },
            { value: 'b', label: '不知道', code: 'DONT_KNOW' },
            { value: 'c', label: '说不清', code: 'UNCLEAR' },
          ],
        },
        {
          id: 'Q2',
          type: 'single',
          title: '您支持本市创建全国文明城市吗？',
          showIf: { question: 'Q1', anyOf: ['a'] },
          options: [
            { value: 'a', label: '支持', code: 'SUPPORT' },
            { value: 'b', label: '不支持', code: 'OPPOSE' },
          ],
        },
        { id: 'Q3', type: 'scale', title: '您对所在社区的环境卫生满意吗？', options: SATISFACTION_OPTIONS },
        {
          id: 'Q4',
          type: 'matrix',
          title: '您对以下方面的满意程度',
          rows: [
            { id: 'r1', label: '公共厕所' },
            { id: 'r2', label: '背街小巷' },
          ],
          options: [...SATISFACTION_OPTIONS, { value: 'na', label: '不了解', code: 'NA' }],
        },
        { id: 'Q5', type: 'multiple', title: '您参加过哪些志愿服务？', required: false, options: [{ value: 'a', label: '环境清洁', code: 'PARTICIPATED' }, { value: 'b', label: '文明劝导', code: 'PARTICIPATED' }] },
        { id: 'Q6', type: 'number', title: '您在本市居住了几年？', min: 0, max: 100 },
        { id: 'Q7', type: 'textarea', title: '您对创建工作的建议', required: false },
      ],
    },
  ],
  rates: [
    { id: 'aware', name: '知晓率', items: [{ question: 'Q1' }], numerator: ['KNOW'], excluded: [], target: 0.85 },
    { id: 'support', name: '支持率', items: [{ question: 'Q2' }], numerator: ['SUPPORT'], excluded: [] },
    { id: 'satisfied', name: '满意率', items: [{ question: 'Q3', weight: 2 }, { question: 'Q4.r1' }, { question: 'Q4.r2' }], numerator: ['SATISFIED', 'FAIRLY_SATISFIED'], excluded: ['NA'] },
  ],
});

const full = { Q1: 'a', Q2: 'a', Q3: 's4', Q4: { r1: 's5', r2: 'na' }, Q6: 12 };

describe('questionnaire model', () => {
  it('accepts a well-formed model and names each structural problem', () => {
    expect(modelProblems(sampleModel)).toEqual([]);
    const bad = QuestionnaireModel.parse({
      ...sampleModel,
      sections: [{ ...sampleModel.sections[0], questions: [...sampleModel.sections[0].questions, { id: 'Q1', type: 'single', title: '重复', options: [{ value: 'x', label: 'x' }] }, { id: 'Q9', type: 'single', title: '条件', showIf: { question: 'Q99', anyOf: ['a'] }, options: [{ value: 'x', label: 'x' }, { value: 'y', label: 'y' }] }] }],
      rates: [...sampleModel.rates, { id: 'bad', name: '坏指标', items: [{ question: 'Q5' }, { question: 'Q4' }], numerator: ['KNOW'], excluded: ['KNOW'] }],
    });
    const messages = modelProblems(bad).map((p) => p.message);
    expect(messages).toContain('题目编号“Q1”重复');
    expect(messages).toContain('第 Q1 题至少需要两个选项');
    expect(messages).toContain('第 Q9 题的显示条件须引用在它之前的题目');
    expect(messages).toContain('“坏指标”的代码 KNOW 不能既计入分子又排除出分母');
    expect(messages).toContain('“坏指标”只能统计单选、量表或矩阵题，第 Q5 题是多选题');
    expect(messages).toContain('“坏指标”须指明第 Q4 题（矩阵）的哪一行');
  });

  it('show-if hides a question whose condition is not met, and its dependants', () => {
    const byId = questionIndex(sampleModel);
    expect(isVisible(sampleModel, byId.get('Q2')!, { Q1: 'a' })).toBe(true);
    expect(isVisible(sampleModel, byId.get('Q2')!, { Q1: 'b' })).toBe(false);
    expect(isVisible(sampleModel, byId.get('Q2')!, {})).toBe(false);
  });

  it('validates answers: unknown question, outside the scale, missing required respecting show-if', () => {
    expect(answerProblems(sampleModel, full)).toEqual([]);
    // Q2 hidden when Q1 = b: not required, and answering it is refused
    expect(answerProblems(sampleModel, { ...full, Q1: 'b', Q2: undefined as never })).toEqual([]);
    expect(answerProblems(sampleModel, { ...full, Q1: 'b' })).toEqual([{ path: 'answers.Q2', message: '第 Q2 题（您支持本市创建全国文明城市吗？）按前面的回答不需作答' }]);
    expect(answerProblems(sampleModel, { ...full, Q99: 'a' })).toEqual([{ path: 'answers.Q99', message: '问卷中没有编号为 Q99 的题目' }]);
    expect(answerProblems(sampleModel, { ...full, Q3: 's9' })[0]).toMatchObject({ path: 'answers.Q3', message: expect.stringContaining('不在选项之内') });
    const { Q2: _q2, ...noQ2 } = full;
    expect(answerProblems(sampleModel, noQ2)).toEqual([{ path: 'answers.Q2', message: '请回答第 Q2 题（您支持本市创建全国文明城市吗？）' }]);
    expect(answerProblems(sampleModel, { ...full, Q4: { r1: 's5' } })[0]).toMatchObject({ path: 'answers.Q4.r2', message: '请回答第 Q4 题（您对以下方面的满意程度）的“背街小巷”' });
    expect(answerProblems(sampleModel, { ...full, Q6: 101 })[0].message).toBe('第 Q6 题（您在本市居住了几年？）须在 0 到 100 之间');
    expect(answerProblems(sampleModel, { ...full, Q5: ['a', 'z'] })[0].path).toBe('answers.Q5');
  });

  it('reads item values (matrix rows) and shuffles deterministically', () => {
    expect(itemValue(full, 'Q4.r2')).toBe('na');
    expect(itemValue(full, 'Q2')).toBe('a');
    expect(itemValue({}, 'Q2')).toBeNull();
    const order = optionOrder([1, 2, 3, 4, 5, 6], 'seed-1');
    expect(order).toEqual(optionOrder([1, 2, 3, 4, 5, 6], 'seed-1'));
    expect([...order].sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('rates', () => {
  it('Wilson interval matches the textbook value', () => {
    // 156/160 (昆明 2010 pre-survey): Wilson 95 % ≈ [0.9375, 0.9903] (hand-computed with z = 1.96)
    const w = wilson(156, 160)!;
    expect(w.low).toBeCloseTo(0.93749, 4);
    expect(w.high).toBeCloseTo(0.99025, 4);
    expect(wilson(0, 0)).toBeNull();
  });

  it('counts by hand: numerator, denominator, exclusions, strata, weights; same digits from raw responses', () => {
    const responses: { stratumId: string; answers: Answers }[] = [
      { stratumId: 'A', answers: { Q1: 'a', Q2: 'a', Q3: 's5', Q4: { r1: 's5', r2: 'na' } } },
      { stratumId: 'A', answers: { Q1: 'a', Q2: 'b', Q3: 's2', Q4: { r1: 's3', r2: 's4' } } },
      { stratumId: 'A', answers: { Q1: 'b', Q3: 's4', Q4: { r1: 'na', r2: 'na' } } },
      { stratumId: 'B', answers: { Q1: 'c', Q3: 's1', Q4: { r1: 's1', r2: 's2' } } },
      { stratumId: 'B', answers: { Q1: 'a', Q2: 'a', Q3: 's5', Q4: { r1: 's4', r2: 's5' } } },
    ];
    const strata = [
      { id: 'A', label: '文明区', population: 300 },
      { id: 'B', label: '和谐区', population: 100 },
    ];
    const [aware, support, sat] = rateResults(sampleModel, strata, countsFromResponses(sampleModel, responses));
    // 知晓率: KNOW 3 of 5 (UNCLEAR is in the denominator: not excluded by this definition)
    expect(aware.overall).toMatchObject({ numerator: 3, denominator: 5, exclusions: {} });
    expect(aware.overall.rate).toBeCloseTo(0.6, 12);
    expect(aware.byStratum.map((s) => [s.figure.numerator, s.figure.denominator])).toEqual([
      [2, 3],
      [1, 2],
    ]);
    // post-stratified: (300·2/3 + 100·1/2) / 400 = 0.625
    expect(aware.weighted!.rate).toBeCloseTo(0.625, 12);
    // 支持率: Q2 hidden for 2 respondents → UNANSWERED, out of the denominator
    expect(support.overall).toMatchObject({ numerator: 2, denominator: 3, exclusions: { UNANSWERED: 2 } });
    // 满意率: Q3 weight 2, Q4 rows weight 1, NA excluded
    // numerator: Q3 s5,s4,s5 → 3×2 = 6; Q4.r1 s5,s4 → 2; Q4.r2 s4,s5 → 2 ⇒ 10
    // denominator: Q3 5×2 = 10; r1 4 (one na); r2 3 (two na) ⇒ 17
    expect(sat.overall).toMatchObject({ numerator: 10, denominator: 17, exclusions: { NA: 3 } });
    expect(sat.overall.interval).toEqual(wilson((10 / 17) * 5, 5));
  });

  it('post-stratification needs a population and answers; null otherwise', () => {
    expect(poststratify([{ population: null, rate: 0.5, n: 10 }])).toBeNull();
    expect(poststratify([{ population: 10, rate: null, n: 0 }])).toBeNull();
    expect(poststratify([{ population: 10, rate: 0.5, n: 10 }, { population: null, rate: 1, n: 3 }])).toMatchObject({ rate: 0.5, strataUsed: 1 });
  });
});
