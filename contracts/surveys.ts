import { z } from 'zod';
import { Id, Version } from './common.ts';

/**
 * 问卷调查 (PRODUCT.md §3.6, issue #11). The questionnaire definition is a published JSON model
 * (`QuestionnaireModel`): sections of questions, every option carrying a semantic code that the
 * rates (知晓率、支持率、参与率、满意率…) are defined over. The public answering page, the admin
 * preview and the server validation all read this one model.
 */

/** Semantic codes of options. Rates are defined over these, never over option wording. */
export const AnswerCodes = {
  KNOW: '知道',
  DONT_KNOW: '不知道',
  UNCLEAR: '不清楚',
  SUPPORT: '支持',
  NEUTRAL_SUPPORT: '无所谓',
  OPPOSE: '不支持',
  PARTICIPATED: '参加过',
  NOT_PARTICIPATED: '没参加过',
  SATISFIED: '满意',
  FAIRLY_SATISFIED: '比较满意',
  NEUTRAL: '一般',
  FAIRLY_DISSATISFIED: '不太满意',
  DISSATISFIED: '不满意',
  YES: '是',
  NO: '否',
  NA: '不适用',
  REFUSE: '拒答',
  OTHER: '其他',
} as const;
export type AnswerCode = keyof typeof AnswerCodes;
export const AnswerCode = z.enum(Object.keys(AnswerCodes) as [AnswerCode, ...AnswerCode[]], { message: '语义代码不正确' });

export const QuestionTypes = {
  single: '单选',
  multiple: '多选',
  scale: '量表',
  matrix: '矩阵量表',
  number: '数字',
  text: '简答',
  textarea: '长文本',
} as const;
export type QuestionType = keyof typeof QuestionTypes;

const key = z.string().trim().regex(/^[A-Za-z][A-Za-z0-9_]{0,31}$/, '编号须以字母开头，由字母、数字、下划线组成，最多 32 个字符');

export const QuestionOption = z.object({
  value: key,
  label: z.string().trim().min(1, '请填写选项文字').max(100),
  code: AnswerCode.optional(),
  /** 1–5 / 1–10 scales: the point's number */
  score: z.number().optional(),
});
export type QuestionOption = z.infer<typeof QuestionOption>;

export const ShowIf = z.object({
  question: key,
  /** shown when the earlier answer (or, for multiple choice, any selected option) is one of these values */
  anyOf: z.array(key).min(1, '请选择显示条件的选项'),
});

export const Question = z.object({
  id: key,
  type: z.enum(Object.keys(QuestionTypes) as [QuestionType, ...QuestionType[]]),
  title: z.string().trim().min(1, '请填写题目').max(300),
  description: z.string().trim().max(500).optional(),
  required: z.boolean().default(true),
  randomize: z.boolean().default(false),
  options: z.array(QuestionOption).max(30).optional(),
  rows: z.array(z.object({ id: key, label: z.string().trim().min(1).max(200) })).max(30).optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  maxLength: z.number().int().min(1).max(2000).optional(),
  showIf: ShowIf.optional(),
});
export type Question = z.infer<typeof Question>;

export const Section = z.object({
  id: key,
  title: z.string().trim().max(100).default(''),
  description: z.string().trim().max(1000).optional(),
  questions: z.array(Question),
});
export type Section = z.infer<typeof Section>;

/** One question (or one row of a matrix: `Q5.row1`) that a rate counts, with its weight. */
export const RateItem = z.object({
  question: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)?$/, '题目编号不正确'),
  weight: z.number().positive('权重须大于 0').max(1000).default(1),
});
export type RateItem = z.infer<typeof RateItem>;

export const RateDefinition = z.object({
  id: key,
  name: z.string().trim().min(1, '请填写指标名称').max(40),
  items: z.array(RateItem).min(1, '请至少选择一道题'),
  numerator: z.array(AnswerCode).min(1, '请选择计入分子的选项代码'),
  /** codes that leave the denominator (不清楚、不适用…); unanswered items leave it too */
  excluded: z.array(AnswerCode).default([]),
  /** the city's target, e.g. 0.85 */
  target: z.number().min(0).max(1).optional(),
});
export type RateDefinition = z.infer<typeof RateDefinition>;

export const QuestionnaireModel = z.object({
  title: z.string().trim().min(1, '请填写问卷标题').max(100),
  intro: z.string().trim().max(2000).default(''),
  thanks: z.string().trim().max(500).default('感谢您的参与！'),
  sections: z.array(Section).min(1, '问卷至少要有一节'),
  rates: z.array(RateDefinition).default([]),
});
export type QuestionnaireModel = z.infer<typeof QuestionnaireModel>;
export type QuestionnaireModelInput = z.input<typeof QuestionnaireModel>;

/** value of one answer: option value, option values, number, text, or matrix row → option value */
export const AnswerValue = z.union([z.string().max(5000), z.array(z.string().max(64)).max(30), z.number(), z.record(z.string(), z.string().max(64))]);
export type AnswerValue = z.infer<typeof AnswerValue>;
export const Answers = z.record(z.string().max(64), AnswerValue);
export type Answers = z.infer<typeof Answers>;

// ——— questionnaires and versions ———

export const VersionStatus = { draft: '草稿', published: '已发布' } as const;
export type VersionStatus = keyof typeof VersionStatus;

export const QuestionnaireVersion = z.object({
  id: Id,
  questionnaireId: Id,
  number: z.number().int(),
  status: z.enum(['draft', 'published']),
  model: QuestionnaireModel,
  publishedAt: z.string().nullable(),
  version: z.number().int(),
  updatedAt: z.string(),
});
export type QuestionnaireVersion = z.infer<typeof QuestionnaireVersion>;

export const QuestionnaireSummary = z.object({
  id: Id,
  name: z.string(),
  latestVersionId: Id,
  latestNumber: z.number().int(),
  latestStatus: z.enum(['draft', 'published']),
  publishedCount: z.number().int(),
  rounds: z.number().int(),
  createdAt: z.string(),
});
export type QuestionnaireSummary = z.infer<typeof QuestionnaireSummary>;

export const QuestionnaireDetail = z.object({
  id: Id,
  name: z.string(),
  versions: z.array(QuestionnaireVersion),
});
export type QuestionnaireDetail = z.infer<typeof QuestionnaireDetail>;

export const CreateQuestionnaire = z.object({
  name: z.string().trim().min(1, '请填写问卷名称').max(60),
  model: QuestionnaireModel,
});
export const SaveDraft = z.object({ model: QuestionnaireModel, version: Version });
export const PublishVersion = z.object({ version: Version });

// ——— rounds, strata, quotas ———

export const Identities = { citizen: '市民', student: '学生', teacher: '教师', resident_unit: '驻地单位', troops: '驻地部队', other: '其他' } as const;
export type Identity = keyof typeof Identities;
export const AgeBands = { '18-29': '18–29 岁', '30-44': '30–44 岁', '45-59': '45–59 岁', '60-65': '60–65 岁', '66+': '66 岁以上', 'under18': '18 岁以下' } as const;
export type AgeBand = keyof typeof AgeBands;

export const RoundModes = { public: '公开链接/二维码', token: '入户邀请码', enumerator: '调查员入户/街访' } as const;
export type RoundMode = keyof typeof RoundModes;

export const DuplicateLayers = {
  token: '邀请码（一码一用）',
  phone: '手机号验证码（每号一份）',
  idNumber: '身份证号（每人一份）',
  device: '设备标识（每台设备一份）',
  network: '网络地址（同一地址超过阈值标记）',
} as const;
export type DuplicateLayer = keyof typeof DuplicateLayers;

export const RoundLayers = z.object({
  token: z.boolean().default(false),
  phone: z.boolean().default(false),
  idNumber: z.boolean().default(false),
  device: z.boolean().default(true),
  /** responses from one hashed address in this round beyond this number are flagged (not refused) */
  networkFlagAbove: z.number().int().min(1).max(10_000).nullable().default(20),
});
export type RoundLayers = z.infer<typeof RoundLayers>;

export const StratumInput = z.object({
  id: Id.optional(),
  label: z.string().trim().min(1, '请填写样本类别名称').max(60),
  areaUnitId: Id.nullable().default(null),
  ageBand: z.enum(Object.keys(AgeBands) as [AgeBand, ...AgeBand[]]).nullable().default(null),
  identity: z.enum(Object.keys(Identities) as [Identity, ...Identity[]]).nullable().default(null),
  quota: z.number().int().min(1, '配额须为正整数').max(10_000_000).nullable().default(null),
  population: z.number().int().min(1).max(100_000_000).nullable().default(null),
});
export type StratumInput = z.infer<typeof StratumInput>;

export const RoundStatus = { draft: '未开始', open: '进行中', closed: '已结束' } as const;
export type RoundStatus = keyof typeof RoundStatus;

export const RoundInput = z
  .object({
    versionId: Id,
    name: z.string().trim().min(1, '请填写轮次名称').max(60),
    startsAt: z.iso.datetime({ offset: true, message: '开始时间格式不正确' }),
    endsAt: z.iso.datetime({ offset: true, message: '结束时间格式不正确' }),
    overQuota: z.enum(['refuse', 'accept']).default('refuse'),
    modes: z.array(z.enum(['public', 'token', 'enumerator'])).min(1, '请至少选择一种调查方式'),
    layers: RoundLayers.default({ token: false, phone: false, idNumber: false, device: true, networkFlagAbove: 20 }),
    strata: z.array(StratumInput).min(1, '请至少设置一个样本类别').max(500),
  })
  .refine((r) => r.endsAt > r.startsAt, { message: '结束时间须晚于开始时间', path: ['endsAt'] });
export type RoundInput = z.infer<typeof RoundInput>;
export const UpdateRound = z.object({ round: RoundInput, version: Version });

export const Stratum = z.object({
  id: Id,
  label: z.string(),
  areaUnitId: Id.nullable(),
  areaName: z.string().nullable(),
  ageBand: z.string().nullable(),
  identity: z.string().nullable(),
  quota: z.number().int().nullable(),
  filled: z.number().int(),
  overQuota: z.number().int(),
  population: z.number().int().nullable(),
});
export type Stratum = z.infer<typeof Stratum>;

export const Round = z.object({
  id: Id,
  questionnaireId: Id,
  questionnaireName: z.string(),
  versionId: Id,
  versionNumber: z.number().int(),
  name: z.string(),
  slug: z.string(),
  status: z.enum(['draft', 'open', 'closed']),
  startsAt: z.string(),
  endsAt: z.string(),
  overQuota: z.enum(['refuse', 'accept']),
  modes: z.array(z.enum(['public', 'token', 'enumerator'])),
  layers: RoundLayers,
  strata: z.array(Stratum),
  responses: z.number().int(),
  tokens: z.number().int(),
  tokensUsed: z.number().int(),
  version: z.number().int(),
});
export type Round = z.infer<typeof Round>;

export const RoundAction = z.object({ version: Version });
export const IssueTokens = z.object({
  count: z.number().int().min(1, '数量至少为 1').max(5000, '一次最多生成 5000 个邀请码'),
  labelPrefix: z.string().trim().max(40).default('户'),
});
export const IssuedToken = z.object({ token: z.string(), label: z.string() });

// ——— answering ———

/** What the public page needs: the version's model, the round's strata choices, which layers apply. */
export const PublicRound = z.object({
  id: Id,
  slug: z.string(),
  name: z.string(),
  status: z.enum(['draft', 'open', 'closed']),
  open: z.boolean(),
  message: z.string().nullable(),
  model: QuestionnaireModel,
  needs: z.object({ token: z.boolean(), phone: z.boolean(), idNumber: z.boolean(), device: z.boolean() }),
  choices: z.object({
    areas: z.array(z.object({ id: Id, name: z.string() })),
    ageBands: z.array(z.object({ value: z.string(), label: z.string() })),
    identities: z.array(z.object({ value: z.string(), label: z.string() })),
  }),
});
export type PublicRound = z.infer<typeof PublicRound>;

export const Demographics = z.object({
  areaUnitId: Id.nullable().default(null),
  ageBand: z.string().max(16).nullable().default(null),
  identity: z.string().max(32).nullable().default(null),
});

export const SubmitResponse = z.object({
  /** idempotency key made by the client: the same key twice stores one response */
  clientKey: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '提交标识不正确'),
  answers: Answers,
  demographics: Demographics,
  token: z.string().trim().max(64).optional(),
  deviceToken: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, '设备标识不正确').optional(),
  phone: z.string().regex(/^1\d{10}$/, '手机号应为 11 位数字').optional(),
  otp: z.string().regex(/^\d{6}$/, '验证码应为 6 位数字').optional(),
  idNumber: z.string().regex(/^\d{17}[\dXx]$/, '身份证号应为 18 位').optional(),
  startedAt: z.iso.datetime({ offset: true }).optional(),
});
export type SubmitResponse = z.infer<typeof SubmitResponse>;

export const EnumeratorSubmit = SubmitResponse.extend({
  collectedAt: z.iso.datetime({ offset: true, message: '采集时间格式不正确' }),
  place: z.string().trim().max(200).default(''),
  lng: z.number().min(-180).max(180).nullable().default(null),
  lat: z.number().min(-90).max(90).nullable().default(null),
  kind: z.enum(['household', 'street']).default('household'),
});
export type EnumeratorSubmit = z.infer<typeof EnumeratorSubmit>;

export const SubmitResult = z.object({ id: Id, duplicate: z.boolean(), overQuota: z.boolean(), thanks: z.string() });
export const OtpRequest = z.object({ phone: z.string().regex(/^1\d{10}$/, '手机号应为 11 位数字') });

// ——— results ———

export const Interval = z.object({ low: z.number(), high: z.number() });
export const RateFigure = z.object({
  /** responses counted in the numerator (weighted over items for composite rates) */
  numerator: z.number(),
  denominator: z.number(),
  /** responses whose answer left the denominator, by code; 'UNANSWERED' for skipped */
  exclusions: z.record(z.string(), z.number()),
  rate: z.number().nullable(),
  interval: Interval.nullable(),
});
export type RateFigure = z.infer<typeof RateFigure>;

export const RateResult = z.object({
  id: z.string(),
  name: z.string(),
  numeratorCodes: z.array(z.string()),
  excludedCodes: z.array(z.string()),
  items: z.array(RateItem),
  target: z.number().nullable(),
  overall: RateFigure,
  weighted: z.object({ rate: z.number().nullable(), interval: Interval.nullable(), strataUsed: z.number().int() }).nullable(),
  byStratum: z.array(z.object({ stratumId: Id, label: z.string(), population: z.number().nullable(), figure: RateFigure })),
});
export type RateResult = z.infer<typeof RateResult>;

export const RoundResults = z.object({
  roundId: Id,
  name: z.string(),
  responses: z.number().int(),
  overQuota: z.number().int(),
  flagged: z.record(z.string(), z.number().int()),
  refused: z.record(z.string(), z.number().int()),
  activeLayers: z.array(z.string()),
  byMode: z.record(z.string(), z.number().int()),
  rates: z.array(RateResult),
});
export type RoundResults = z.infer<typeof RoundResults>;

export const RateTrend = z.object({
  questionnaireId: Id,
  rates: z.array(z.object({ id: z.string(), name: z.string(), target: z.number().nullable(), points: z.array(z.object({ roundId: Id, round: z.string(), endsAt: z.string(), rate: z.number().nullable(), weighted: z.number().nullable(), n: z.number() })) })),
});

// ——— 应知应会 quizzes ———

export const QuizQuestionTypes = { single: '单选', multiple: '多选', truefalse: '判断' } as const;
export type QuizQuestionType = keyof typeof QuizQuestionTypes;

export const QuizQuestionInput = z
  .object({
    category: z.string().trim().min(1, '请填写分类').max(40),
    type: z.enum(['single', 'multiple', 'truefalse']),
    stem: z.string().trim().min(2, '请填写题干').max(500),
    options: z.array(z.object({ value: z.string().regex(/^[A-Z]$/, '选项编号为一个大写字母'), label: z.string().trim().min(1, '请填写选项').max(200) })).min(2, '至少两个选项').max(8),
    answer: z.array(z.string().regex(/^[A-Z]$/)).min(1, '请设置正确答案'),
    explanation: z.string().trim().max(1000).default(''),
    source: z.string().trim().max(200).default(''),
  })
  .superRefine((q, ctx) => {
    const values = new Set(q.options.map((o) => o.value));
    if (values.size !== q.options.length) ctx.addIssue({ code: 'custom', path: ['options'], message: '选项编号重复' });
    if (q.answer.some((a) => !values.has(a))) ctx.addIssue({ code: 'custom', path: ['answer'], message: '正确答案须是题目的选项' });
    if (q.type !== 'multiple' && q.answer.length !== 1) ctx.addIssue({ code: 'custom', path: ['answer'], message: '单选题和判断题只有一个正确答案' });
    if (q.type === 'truefalse' && q.options.length !== 2) ctx.addIssue({ code: 'custom', path: ['options'], message: '判断题只有“正确”“错误”两个选项' });
  });
export type QuizQuestionInput = z.infer<typeof QuizQuestionInput>;

export const QuizQuestion = z.object({
  id: Id,
  code: z.string(),
  version: z.number().int(),
  category: z.string(),
  type: z.enum(['single', 'multiple', 'truefalse']),
  stem: z.string(),
  options: z.array(z.object({ value: z.string(), label: z.string() })),
  answer: z.array(z.string()),
  explanation: z.string(),
  source: z.string(),
  status: z.enum(['active', 'retired']),
  createdAt: z.string(),
});
export type QuizQuestion = z.infer<typeof QuizQuestion>;
export const ReviseQuizQuestion = z.object({ question: QuizQuestionInput, version: Version });

export const AttemptsPolicies = { best: '取最高分', last: '取最后一次', first: '取第一次' } as const;
export type AttemptsPolicy = keyof typeof AttemptsPolicies;

export const QuizInput = z
  .object({
    name: z.string().trim().min(1, '请填写测试名称').max(60),
    mode: z.enum(['random', 'fixed']),
    draw: z.array(z.object({ category: z.string().trim().min(1), count: z.number().int().min(1).max(100) })).default([]),
    fixedQuestionIds: z.array(Id).default([]),
    timeLimitMin: z.number().int().min(1, '时限至少 1 分钟').max(180),
    pointsPerQuestion: z.number().int().min(1).max(100).default(2),
    passPercent: z.number().int().min(0).max(100).default(60),
    attemptsPolicy: z.enum(['best', 'last', 'first']).default('best'),
    maxAttempts: z.number().int().min(1).max(100).nullable().default(3),
    scoring: z.enum(['all', 'partial']).default('all'),
    identify: z.enum(['unit', 'phone']).default('unit'),
    startsAt: z.iso.datetime({ offset: true, message: '开始时间格式不正确' }),
    endsAt: z.iso.datetime({ offset: true, message: '结束时间格式不正确' }),
  })
  .refine((q) => q.endsAt > q.startsAt, { message: '结束时间须晚于开始时间', path: ['endsAt'] })
  .refine((q) => (q.mode === 'random' ? q.draw.length > 0 : q.fixedQuestionIds.length > 0), { message: '请设置抽题规则或固定试卷的题目', path: ['draw'] });
export type QuizInput = z.infer<typeof QuizInput>;

export const Quiz = z.object({
  id: Id,
  name: z.string(),
  slug: z.string(),
  mode: z.enum(['random', 'fixed']),
  draw: z.array(z.object({ category: z.string(), count: z.number().int() })),
  fixedQuestionIds: z.array(Id),
  questionCount: z.number().int(),
  timeLimitMin: z.number().int(),
  pointsPerQuestion: z.number().int(),
  maxScore: z.number().int(),
  passPercent: z.number().int(),
  attemptsPolicy: z.enum(['best', 'last', 'first']),
  maxAttempts: z.number().int().nullable(),
  scoring: z.enum(['all', 'partial']),
  identify: z.enum(['unit', 'phone']),
  startsAt: z.string(),
  endsAt: z.string(),
  attempts: z.number().int(),
  rosters: z.array(z.object({ unitId: Id, unitName: z.string(), size: z.number().int() })),
  version: z.number().int(),
});
export type Quiz = z.infer<typeof Quiz>;

export const RosterInput = z.object({ size: z.number().int().min(1, '名册人数至少为 1').max(1_000_000) });

export const PublicQuiz = z.object({
  slug: z.string(),
  name: z.string(),
  open: z.boolean(),
  message: z.string().nullable(),
  questionCount: z.number().int(),
  timeLimitMin: z.number().int(),
  maxScore: z.number().int(),
  passPercent: z.number().int(),
  maxAttempts: z.number().int().nullable(),
  attemptsPolicy: z.enum(['best', 'last', 'first']),
  identify: z.enum(['unit', 'phone']),
  units: z.array(z.object({ id: Id, name: z.string() })),
});
export type PublicQuiz = z.infer<typeof PublicQuiz>;

export const StartAttempt = z.object({
  name: z.string().trim().min(2, '请填写姓名').max(20),
  unitId: Id,
  phone: z.string().regex(/^1\d{10}$/, '手机号应为 11 位数字').optional(),
});
export const AttemptPaper = z.object({
  attemptId: Id,
  deadline: z.string(),
  attemptNo: z.number().int(),
  questions: z.array(z.object({ id: Id, type: z.enum(['single', 'multiple', 'truefalse']), stem: z.string(), options: z.array(z.object({ value: z.string(), label: z.string() })) })),
});
export type AttemptPaper = z.infer<typeof AttemptPaper>;
export const SubmitAttempt = z.object({ answers: z.record(z.string(), z.array(z.string().regex(/^[A-Z]$/)).max(8)) });
export const AttemptResult = z.object({
  score: z.number().int(),
  maxScore: z.number().int(),
  passed: z.boolean(),
  items: z.array(
    z.object({
      id: Id,
      stem: z.string(),
      type: z.enum(['single', 'multiple', 'truefalse']),
      options: z.array(z.object({ value: z.string(), label: z.string() })),
      chosen: z.array(z.string()),
      answer: z.array(z.string()),
      earned: z.number().int(),
      points: z.number().int(),
      explanation: z.string(),
      source: z.string(),
    }),
  ),
});
export type AttemptResult = z.infer<typeof AttemptResult>;

export const LeaderboardRow = z.object({
  unitId: Id,
  name: z.string(),
  roster: z.number().int().nullable(),
  participants: z.number().int(),
  participationRate: z.number().nullable(),
  scoreSum: z.number().int(),
  averageScore: z.number().nullable(),
  fullMarks: z.number().int(),
  fullMarkRate: z.number().nullable(),
});
export type LeaderboardRow = z.infer<typeof LeaderboardRow>;
export const Leaderboard = z.object({
  quizId: Id,
  maxScore: z.number().int(),
  policy: z.enum(['best', 'last', 'first']),
  from: z.string().nullable(),
  to: z.string().nullable(),
  units: z.array(LeaderboardRow),
  districts: z.array(LeaderboardRow),
});
export type Leaderboard = z.infer<typeof Leaderboard>;
export const LeaderboardQuery = z.object({
  from: z.iso.datetime({ offset: true, message: '时间格式不正确' }).optional(),
  to: z.iso.datetime({ offset: true, message: '时间格式不正确' }).optional(),
});
