import { sql } from 'drizzle-orm';
import { type QuestionnaireModel, QuestionnaireModel as QuestionnaireModelSchema } from '../../../contracts/surveys.ts';
import { isVisible, questionIndex, SATISFACTION_OPTIONS } from '../../../domain/survey-model.ts';
import { type Executor, rowsOf } from '../../db/client.ts';
import { newId } from '../../lib/ids.ts';
import { quizAttempts, quizQuestions, quizRosters, quizzes } from './quizzes.tables.ts';
import { surveyQuestionnaires, surveyResponses, surveyRounds, surveyStrata, surveyVersions } from './surveys.tables.ts';

const know = (title: string, id: string, unclear = '不清楚') => ({
  id,
  type: 'single' as const,
  title,
  options: [
    { value: 'k', label: '知道', code: 'KNOW' as const },
    { value: 'u', label: unclear, code: 'UNCLEAR' as const },
    { value: 'n', label: '不知道', code: 'DONT_KNOW' as const },
  ],
});

/** 「市民文明素质与创建知晓率调查」: wording after real city questionnaires (volunteers-surveys.md B1). */
export const DEMO_MODEL: QuestionnaireModel = QuestionnaireModelSchema.parse({
  title: '市民文明素质与创建知晓率调查',
  intro: '您好！为了解市民对全国文明城市创建工作的知晓、支持和满意情况，我们开展本次调查。问卷匿名，结果仅以汇总形式使用，感谢您的支持！',
  thanks: '感谢您参与本次调查，共建文明城市，共享美好生活！',
  sections: [
    {
      id: 'A',
      title: '一、创建知晓',
      questions: [
        know('您知道本市正在创建全国文明城市吗？', 'A1'),
        know('您对社会主义核心价值观 24 字是否了解？', 'A2', '了解一部分'),
        know('您对近年来本市评选出的道德模范人物都知道吗？', 'A3', '知道一部分'),
        know('您知道本市开展的“公筷公勺”行动吗？', 'A4'),
      ],
    },
    {
      id: 'B',
      title: '二、支持与参与',
      questions: [
        {
          id: 'B1',
          type: 'single',
          title: '您支持本市创建全国文明城市吗？',
          options: [
            { value: 's', label: '支持', code: 'SUPPORT' },
            { value: 'm', label: '无所谓', code: 'NEUTRAL_SUPPORT' },
            { value: 'o', label: '不支持', code: 'OPPOSE' },
          ],
        },
        {
          id: 'B2',
          type: 'single',
          title: '近一年来，您参加过志愿服务活动吗？',
          options: [
            { value: 'y', label: '参加过', code: 'PARTICIPATED' },
            { value: 'n', label: '没参加过', code: 'NOT_PARTICIPATED' },
          ],
        },
        {
          id: 'B3',
          type: 'multiple',
          title: '您参加过哪些志愿服务？',
          showIf: { question: 'B2', anyOf: ['y'] },
          randomize: true,
          options: [
            { value: 'env', label: '环境清洁' },
            { value: 'traffic', label: '文明交通劝导' },
            { value: 'care', label: '关爱老人和儿童' },
            { value: 'comm', label: '社区服务' },
            { value: 'other', label: '其他', code: 'OTHER' },
          ],
        },
      ],
    },
    {
      id: 'C',
      title: '三、满意度',
      questions: [
        { id: 'C1', type: 'scale', title: '您认为您所在的社区管理服务水平如何？', options: SATISFACTION_OPTIONS },
        {
          id: 'C2',
          type: 'matrix',
          title: '您对以下公共环境和设施的满意程度',
          rows: [
            { id: 'toilet', label: '公共厕所' },
            { id: 'alley', label: '背街小巷' },
            { id: 'market', label: '农贸市场' },
            { id: 'bus', label: '公交站点' },
          ],
          options: [...SATISFACTION_OPTIONS, { value: 'na', label: '不了解', code: 'NA' }],
        },
        { id: 'C3', type: 'scale', title: '您觉得身边的志愿服务活动氛围如何？', options: SATISFACTION_OPTIONS },
        { id: 'C4', type: 'number', title: '您在本市居住了多少年？', min: 0, max: 100, required: false },
        { id: 'C5', type: 'textarea', title: '您对本市文明城市创建工作还有什么意见和建议？', required: false },
      ],
    },
  ],
  rates: [
    { id: 'aware', name: '知晓率', items: [{ question: 'A1' }, { question: 'A2' }, { question: 'A3' }, { question: 'A4' }], numerator: ['KNOW'], excluded: [], target: 0.85 },
    { id: 'support', name: '支持率', items: [{ question: 'B1' }], numerator: ['SUPPORT'], excluded: [], target: 0.9 },
    { id: 'participate', name: '参与率', items: [{ question: 'B2' }], numerator: ['PARTICIPATED'], excluded: [], target: 0.6 },
    {
      id: 'satisfied',
      name: '满意率',
      items: [{ question: 'C1', weight: 2 }, { question: 'C2.toilet' }, { question: 'C2.alley' }, { question: 'C2.market' }, { question: 'C2.bus' }, { question: 'C3' }],
      numerator: ['SATISFIED', 'FAIRLY_SATISFIED'],
      excluded: ['NA'],
      target: 0.85,
    },
  ],
});

function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

/** One respondent's answers: `level` (0–1) raises every favourable answer. */
function answersFor(model: QuestionnaireModel, level: number, r: () => number) {
  const a: Record<string, string | string[] | number | Record<string, string>> = {};
  const pick = (p: number) => r() < p;
  for (const id of ['A1', 'A2', 'A3', 'A4']) {
    const p = id === 'A1' ? level + 0.08 : id === 'A3' ? level - 0.12 : level;
    a[id] = pick(p) ? 'k' : pick(0.5) ? 'u' : 'n';
  }
  a.B1 = pick(level + 0.12) ? 's' : pick(0.7) ? 'm' : 'o';
  a.B2 = pick(level - 0.2) ? 'y' : 'n';
  if (a.B2 === 'y') a.B3 = ['env', 'traffic', 'care', 'comm'].filter(() => pick(0.45)).concat(pick(0.1) ? ['other'] : []).slice(0, 3);
  if (Array.isArray(a.B3) && a.B3.length === 0) a.B3 = ['comm'];
  const sat = () => (pick(level) ? (pick(0.55) ? 's5' : 's4') : (['s3', 's3', 's2', 's1'] as const)[Math.floor(r() * 4)]);
  a.C1 = sat();
  a.C2 = { toilet: pick(0.08) ? 'na' : sat(), alley: pick(0.05) ? 'na' : sat(), market: pick(0.1) ? 'na' : sat(), bus: sat() };
  a.C3 = sat();
  if (pick(0.7)) a.C4 = 1 + Math.floor(r() * 40);
  if (pick(0.06)) a.C5 = ['希望增加公共厕所的保洁频次', '背街小巷的照明还需加强', '建议多组织社区志愿活动', '农贸市场周边停车秩序需要整治'][Math.floor(r() * 4)];
  // drop anything show-if hides (none with these rules, kept for safety)
  const byId = questionIndex(model);
  for (const k of Object.keys(a)) if (!isVisible(model, byId.get(k)!, a, byId)) delete a[k];
  return a;
}

/**
 * The demo's surveys: one questionnaire, two finished rounds and one running, stratified by street
 * with quotas and populations, responses whose rates differ by district and rise between rounds;
 * and an 应知应会 quiz with a 51-question bank and a few thousand attempts across units.
 */
export async function seedSurveysDemo(tx: Executor): Promise<void> {
  const r = rng(20261203);
  const streets = rowsOf<{ id: string; name: string; population: number | null; district: string }>(
    await tx.execute(sql`SELECT s.id, s.name, s.population, d.name AS district FROM org_units s JOIN org_units d ON d.id = s.parent_id WHERE s.kind = 'street' ORDER BY s.sort`),
  );
  const [admin] = rowsOf<{ id: string }>(await tx.execute(sql`SELECT id FROM users WHERE username = 'admin'`));
  const qid = newId();
  const vid = newId();
  await tx.insert(surveyQuestionnaires).values({ id: qid, name: '市民文明素质与创建知晓率调查', createdBy: admin?.id ?? null, createdAt: new Date('2026-02-20T02:00:00Z') });
  await tx.insert(surveyVersions).values({ id: vid, questionnaireId: qid, number: 1, status: 'published', model: DEMO_MODEL, publishedAt: new Date('2026-02-25T02:00:00Z'), version: 2 });

  const now = Date.now();
  const rounds = [
    { name: '2026年第一季度创建知晓率调查', starts: '2026-03-01T00:00:00Z', ends: '2026-03-31T15:59:59Z', status: 'closed', per: 100, lift: 0 },
    { name: '2026年第三季度创建知晓率调查', starts: '2026-08-01T00:00:00Z', ends: '2026-08-31T15:59:59Z', status: 'closed', per: 100, lift: 0.07 },
    { name: '2026年第四季度创建知晓率调查', starts: new Date(now - 10 * 86_400_000).toISOString(), ends: new Date(now + 20 * 86_400_000).toISOString(), status: 'open', per: 35, lift: 0.14 },
  ];
  // districts differ: 文明区 starts ahead of 和谐区
  const base = (district: string, i: number) => (district === '文明区' ? 0.66 : 0.55) + i * 0.02;
  const responseRows: (typeof surveyResponses.$inferInsert)[] = [];
  for (const [ri, round] of rounds.entries()) {
    const rid = newId();
    const slug = `demo${ri + 1}${Math.floor(r() * 1e6).toString(36)}`.slice(0, 12);
    await tx.insert(surveyRounds).values({
      id: rid,
      questionnaireId: qid,
      versionId: vid,
      name: round.name,
      slug,
      status: round.status,
      startsAt: new Date(round.starts),
      endsAt: new Date(round.ends),
      overQuota: 'refuse',
      modes: ['public', 'token', 'enumerator'],
      layers: { token: false, phone: false, idNumber: false, device: true, networkFlagAbove: 20 },
      createdBy: admin?.id ?? null,
      createdAt: new Date(new Date(round.starts).getTime() - 5 * 86_400_000),
    });
    const strata = streets.map((s, i) => ({ id: newId(), roundId: rid, label: `${s.district}${s.name}`, areaUnitId: s.id, quota: 100, filled: round.per, population: s.population, sort: i }));
    await tx.insert(surveyStrata).values(strata);
    const start = new Date(round.starts).getTime();
    const span = Math.min(new Date(round.ends).getTime(), now) - start;
    strata.forEach((st, si) => {
      const level = base(streets[si].district, si) + round.lift;
      for (let k = 0; k < round.per; k++) {
        const mode = k % 5 === 0 ? 'enumerator_household' : k % 7 === 0 ? 'enumerator_street' : k % 3 === 0 ? 'token' : 'public';
        responseRows.push({
          id: newId(),
          roundId: rid,
          versionId: vid,
          stratumId: st.id,
          clientKey: `demo-${ri}-${si}-${k}`,
          answers: answersFor(DEMO_MODEL, Math.min(0.97, level), r),
          mode,
          submittedAt: new Date(start + Math.floor(r() * span)),
          durationSec: 120 + Math.floor(r() * 400),
          flags: [],
        });
      }
    });
  }
  for (let i = 0; i < responseRows.length; i += 500) await tx.insert(surveyResponses).values(responseRows.slice(i, i + 500));
  await seedQuizDemo(tx, admin?.id ?? null, r);
}

const VALUES: [string, string][] = [
  ['富强', '国家'],
  ['民主', '国家'],
  ['文明', '国家'],
  ['和谐', '国家'],
  ['自由', '社会'],
  ['平等', '社会'],
  ['公正', '社会'],
  ['法治', '社会'],
  ['爱国', '个人'],
  ['敬业', '个人'],
  ['诚信', '个人'],
  ['友善', '个人'],
];
const FESTIVALS: [string, string, string[]][] = [
  ['春节', '正月初一', ['正月十五', '五月初五']],
  ['元宵节', '正月十五', ['正月初一', '八月十五']],
  ['端午节', '五月初五', ['七月初七', '九月初九']],
  ['七夕节', '七月初七', ['五月初五', '八月十五']],
  ['中秋节', '八月十五', ['正月十五', '九月初九']],
  ['重阳节', '九月初九', ['七月初七', '八月十五']],
];
const TRUE_FALSE: [string, string, boolean, string][] = [
  ['文明行为', '行人可以在车辆较少时闯红灯快速通过路口。', false, '《道路交通安全法》规定行人须按交通信号灯通行。'],
  ['文明行为', '在公共场所吸烟应到指定吸烟区。', true, '公共场所控烟规定：室内公共场所禁止吸烟。'],
  ['文明行为', '乘坐公交车时应主动为老弱病残孕让座。', true, '市民公约倡导尊老爱幼、礼让他人。'],
  ['文明行为', '宠物粪便可以留在草坪上，由保洁员清理。', false, '养犬人应当即时清除犬只排泄物。'],
  ['文明行为', '在景区文物上刻字留念是不文明行为。', true, '《文明旅游公约》：爱护文物古迹，不乱涂乱刻。'],
  ['文明行为', '开车时在斑马线前应减速礼让行人。', true, '机动车行经人行横道应减速行驶，遇行人正在通过时应停车让行。'],
  ['文明行为', '高空抛物只要不砸到人就不违法。', false, '《民法典》第一千二百五十四条禁止从建筑物中抛掷物品。'],
  ['文明行为', '就餐时使用公筷公勺有利于预防疾病传播。', true, '“公筷公勺”行动倡导文明健康的就餐方式。'],
  ['文明行为', '在公共场所大声喧哗、接打电话不影响他人。', false, '公共场所应轻声交谈，不影响他人。'],
  ['文明行为', '排队时可以请熟人帮忙占位。', false, '文明排队，不插队、不占位。'],
  ['垃圾分类', '废旧电池属于有害垃圾。', true, '废电池、废灯管、过期药品等属于有害垃圾。'],
  ['垃圾分类', '用过的餐巾纸属于可回收物。', false, '被污染的纸张属于其他垃圾。'],
  ['垃圾分类', '剩菜剩饭属于厨余垃圾。', true, '剩菜剩饭、果皮等属于厨余垃圾。'],
  ['垃圾分类', '废旧塑料瓶属于可回收物。', true, '塑料瓶、废纸、金属等属于可回收物。'],
  ['垃圾分类', '大件家具可以直接放在垃圾桶旁。', false, '大件垃圾应预约回收或投放到指定地点。'],
  ['垃圾分类', '过期药品应投放到有害垃圾桶。', true, '过期药品属于有害垃圾。'],
];
const CHOICES: [string, string, string[], number[], string, string][] = [
  ['文明创建', '全国文明城市由哪个机构评选表彰？', ['中央精神文明建设指导委员会', '国务院办公厅', '住房和城乡建设部', '国家统计局'], [0], '全国文明城市由中央精神文明建设指导委员会评选表彰。', '《全国文明城市测评体系》'],
  ['文明创建', '全国文明城市每几年评选表彰一次？', ['一年', '两年', '三年', '五年'], [2], '全国文明城市每三年评选表彰一次。', '中央文明委'],
  ['文明创建', '全国文明城市测评的主要方法包括（多选）', ['材料审核', '问卷调查', '实地考察', '电话抽奖'], [0, 1, 2], '测评方法为材料审核、问卷调查和实地考察。', '《全国文明城市测评体系操作手册》'],
  ['文明创建', '问卷调查一般采用哪些方式进行？（多选）', ['入户调查', '随机街访', '网上投票', '单位推荐'], [0, 1], '问卷调查由入户调查和随机街访组成。', '《全国文明城市测评体系操作手册》'],
  ['文明创建', '本市创建工作的宗旨是', ['创建为民、为民创建', '经济优先、兼顾文明', '以评促建、以评代管', '上级考核、下级落实'], [0], '示范市的表述为“创建为民、为民创建”（各地表述不同）。', '示范市创建工作方案'],
  ['文明创建', '“五定到位”不包括下列哪一项？', ['定任务', '定进度', '定责任', '定预算'], [3], '五定：定任务、定进度、定责任、定考评、定奖惩。', '示范市目标责任书'],
  ['文明创建', '发现不文明现象可以通过哪些途径反映？（多选）', ['随手拍', '12345 热线', '网格员', '不予理会'], [0, 1, 2], '市民可通过随手拍、12345 热线或网格员反映问题。', '示范市创建工作方案'],
  ['文明创建', '社区注册志愿者人数应占居民人数的比例不低于', ['3%', '5%', '8%', '15%'], [2], '测评要求社区注册志愿者占居民人数比例不低于 8%。', '《全国文明城市测评体系》'],
  ['志愿服务', '志愿服务精神是', ['奉献、友爱、互助、进步', '团结、紧张、严肃、活泼', '自由、平等、公正、法治', '爱国、敬业、诚信、友善'], [0], '志愿服务精神：奉献、友爱、互助、进步。', '《志愿服务条例》'],
  ['志愿服务', '中国青年志愿者服务日是', ['3月5日', '5月4日', '10月1日', '12月5日'], [0], '3月5日为学雷锋纪念日暨中国青年志愿者服务日。', '共青团中央'],
  ['志愿服务', '国际志愿者日是', ['3月5日', '6月1日', '9月10日', '12月5日'], [3], '12月5日为国际志愿者日。', '联合国大会决议'],
  ['志愿服务', '社区志愿服务的主题是', ['邻里守望', '快乐运动', '绿色出行', '节约用水'], [0], '社区志愿服务以“邻里守望”为主题。', '中央文明办'],
  ['志愿服务', '志愿服务记录证明应当载明的内容包括（多选）', ['服务时长', '服务内容', '出具单位', '志愿者存款'], [0, 1, 2], '记录证明载明时长、内容、出具单位与日期等。', '《志愿服务记录与证明出具办法（试行）》'],
  ['文明创建', '中国梦的基本内涵是（多选）', ['国家富强', '民族振兴', '人民幸福', '个人发财'], [0, 1, 2], '中国梦的基本内涵是国家富强、民族振兴、人民幸福。', '党的十八大以来重要论述'],
  ['文明创建', '“道德讲堂”的六个环节中，第一个环节是', ['唱一首歌曲', '讲一个故事', '诵一段经典', '行一个德字礼'], [0], '六个环节：唱一首歌曲、讲一个故事、诵一段经典、作一番点评、谈一点感悟、行一个德字礼。', '中央文明办'],
  ['文明行为', '社会公德的主要内容包括（多选）', ['文明礼貌', '助人为乐', '爱护公物', '争强好胜'], [0, 1, 2], '社会公德：文明礼貌、助人为乐、爱护公物、保护环境、遵纪守法。', '《新时代公民道德建设实施纲要》'],
  ['志愿服务', '全国道德模范分为几类？', ['三类', '五类', '七类', '十类'], [1], '助人为乐、见义勇为、诚实守信、敬业奉献、孝老爱亲五类。', '中央文明委'],
  ['志愿服务', '志愿服务时长是否包括往返途中的时间？', ['包括', '不包括', '由志愿者自己决定', '只算一半'], [1], '服务时长不含往返途中时间。', '《志愿服务记录与证明出具办法（试行）》'],
];

async function seedQuizDemo(tx: Executor, adminId: string | null, r: () => number) {
  type Q = typeof quizQuestions.$inferInsert;
  const bank: Q[] = [];
  const add = (q: Omit<Q, 'id' | 'code' | 'version' | 'createdBy'>) => bank.push({ id: newId(), code: `ZS${String(bank.length + 1).padStart(4, '0')}`, version: 1, createdBy: adminId, ...q });
  const levels = ['国家', '社会', '个人'];
  for (const [word, level] of VALUES) {
    add({
      category: '核心价值观',
      type: 'single',
      stem: `“${word}”属于社会主义核心价值观哪个层面的内容？`,
      options: levels.map((l, i) => ({ value: 'ABC'[i], label: `${l}层面` })),
      answer: ['ABC'[levels.indexOf(level)]],
      explanation: '国家层面：富强、民主、文明、和谐；社会层面：自由、平等、公正、法治；个人层面：爱国、敬业、诚信、友善。',
      source: '党的十八大报告',
    });
  }
  for (const [name, day, wrong] of FESTIVALS) {
    const opts = [day, ...wrong];
    const order = [0, 1, 2].sort(() => r() - 0.5);
    add({ category: '我们的节日', type: 'single', stem: `${name}是农历哪一天？`, options: order.map((o, i) => ({ value: 'ABC'[i], label: opts[o] })), answer: ['ABC'[order.indexOf(0)]], explanation: `${name}为农历${day}。`, source: '“我们的节日”主题活动' });
  }
  for (const [category, stem, right, explanation] of TRUE_FALSE) {
    add({ category, type: 'truefalse', stem, options: [{ value: 'A', label: '正确' }, { value: 'B', label: '错误' }], answer: [right ? 'A' : 'B'], explanation, source: category === '垃圾分类' ? '《示范市生活垃圾分类管理办法》' : '《示范市文明行为促进条例》' });
  }
  for (const [category, stem, opts, answer, explanation, source] of CHOICES) {
    add({ category, type: answer.length > 1 ? 'multiple' : 'single', stem, options: opts.map((o, i) => ({ value: 'ABCD'[i], label: o })), answer: answer.map((i) => 'ABCD'[i]), explanation, source });
  }
  await tx.insert(quizQuestions).values(bank);

  const quizId = newId();
  const draw = [
    { category: '核心价值观', count: 3 },
    { category: '我们的节日', count: 2 },
    { category: '文明行为', count: 2 },
    { category: '垃圾分类', count: 1 },
    { category: '文明创建', count: 1 },
    { category: '志愿服务', count: 1 },
  ];
  const now = Date.now();
  await tx.insert(quizzes).values({
    id: quizId,
    name: '2026年度创文应知应会知识测试',
    slug: 'demoquiz',
    mode: 'random',
    draw,
    fixedQuestionIds: [],
    timeLimitSec: 600,
    pointsPerQuestion: 10,
    passPercent: 60,
    attemptsPolicy: 'best',
    maxAttempts: 3,
    scoring: 'partial',
    identify: 'unit',
    startsAt: new Date(now - 30 * 86_400_000),
    endsAt: new Date(now + 30 * 86_400_000),
    createdBy: adminId,
  });
  const units = rowsOf<{ id: string; name: string }>(await tx.execute(sql`SELECT id, name FROM org_units WHERE kind IN ('department', 'unit') AND name NOT LIKE '市创文办%' ORDER BY sort`));
  const byCat = new Map<string, Q[]>();
  for (const q of bank) byCat.set(q.category, [...(byCat.get(q.category) ?? []), q]);
  const surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高';
  const given = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华';
  const rosterRows: (typeof quizRosters.$inferInsert)[] = [];
  const attemptRows: (typeof quizAttempts.$inferInsert)[] = [];
  units.forEach((u, ui) => {
    const roster = 60 + Math.floor(r() * 120);
    rosterRows.push({ quizId, unitId: u.id, size: roster });
    const share = 0.45 + r() * 0.5;
    const skill = 0.6 + r() * 0.35;
    const people = Math.floor(roster * share);
    for (let p = 0; p < people; p++) {
      const name = `${surnames[(ui + p) % surnames.length]}${given[(p * 7 + ui) % given.length]}${p >= given.length ? given[(p * 3) % given.length] : ''}`;
      const tries = r() < 0.25 ? 2 : 1;
      for (let t = 0; t < tries; t++) {
        const ids: string[] = [];
        const answers: Record<string, string[]> = {};
        let score = 0;
        for (const d of draw) {
          const pool = [...(byCat.get(d.category) ?? [])].sort(() => r() - 0.5).slice(0, d.count);
          for (const q of pool) {
            ids.push(q.id!);
            const right = r() < skill + t * 0.05;
            answers[q.id!] = right ? q.answer : [q.options.find((o) => !q.answer.includes(o.value))!.value];
            if (right) score += 10;
          }
        }
        const started = new Date(now - Math.floor(r() * 25 * 86_400_000));
        attemptRows.push({
          id: newId(),
          quizId,
          participantHash: `demo:${u.id}:${name}:${p}`,
          name,
          unitId: u.id,
          questionIds: ids,
          answers,
          startedAt: started,
          deadlineAt: new Date(started.getTime() + 600_000),
          submittedAt: new Date(started.getTime() + 120_000 + Math.floor(r() * 400_000)),
          score,
          maxScore: 100,
        });
      }
    }
  });
  await tx.insert(quizRosters).values(rosterRows);
  for (let i = 0; i < attemptRows.length; i += 1000) await tx.insert(quizAttempts).values(attemptRows.slice(i, i + 1000));
}
