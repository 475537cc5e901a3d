import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttemptPaper, AttemptResult, Leaderboard, Quiz, QuizQuestion } from '../../../contracts/surveys.ts';
import { type Client, type TestApp, startTestApp } from '../../test/harness.ts';

const q = (category: string, stem: string, answer: string, type: 'single' | 'truefalse' = 'single') => ({
  category,
  type,
  stem,
  options:
    type === 'truefalse'
      ? [
          { value: 'A', label: '正确' },
          { value: 'B', label: '错误' },
        ]
      : [
          { value: 'A', label: '甲' },
          { value: 'B', label: '乙' },
          { value: 'C', label: '丙' },
        ],
  answer: [answer],
  explanation: `${stem}的解析`,
  source: '《市民公约》',
});

describe('应知应会: bank versions, quiz attempts, leaderboards that match a hand count', () => {
  let t: TestApp;
  let admin: Client;
  let qu: Client;
  let bank: QuizQuestion[];
  let units: { id: string; district: string }[];

  beforeAll(async () => {
    t = await startTestApp({ surveySubmitPerMinute: 1000 });
    [admin, qu] = await Promise.all([t.login('admin'), t.login('qu_admin')]);
    const r = await t.deps.database.query<{ id: string; district: string }>(
      `SELECT c.id, d.id AS district FROM org_units c JOIN org_units d ON d.kind = 'district' AND c.path LIKE d.path || '%' WHERE c.kind = 'community' ORDER BY d.sort, c.sort`,
    );
    const d1 = r.rows.filter((x) => x.district === r.rows[0].district);
    const d2 = r.rows.filter((x) => x.district !== r.rows[0].district);
    units = [d1[0], d1[1], d2[0]];
  });
  afterAll(() => t.close());

  it('the bank is city-owned and versioned: a change is a new version, a stale one 409', async () => {
    const res = await admin.post('/api/quizzes/bank', {
      questions: [q('价值观', '社会主义核心价值观国家层面是', 'A'), q('价值观', '社会层面是', 'B'), q('价值观', '个人层面是', 'C'), q('公约', '市民公约第一条', 'A', 'truefalse'), q('公约', '市民公约第二条', 'B', 'truefalse'), q('公约', '市民公约第三条', 'A', 'truefalse')],
    });
    expect(res.statusCode, res.body).toBe(200);
    bank = res.json();
    // codes follow the bank's existing ones (the demo's), one per new question
    const first = Number(bank[0].code.slice(2));
    expect(bank.map((x) => x.code)).toEqual([0, 1, 2, 3, 4, 5].map((i) => `ZS${String(first + i).padStart(4, '0')}`));
    const third = bank[2].code;
    const bad = await admin.post('/api/quizzes/bank', { questions: [{ ...q('公约', '坏题', 'A'), answer: ['D'] }] });
    expect(bad.json().error.details[0].path).toBe('body.questions.0.answer');
    const revised = await admin.request('PUT', `/api/quizzes/bank/${third}`, { question: { ...q('价值观', '个人层面的价值准则是', 'C') }, version: 1 });
    expect(revised.json()).toMatchObject({ code: third, version: 2, stem: '个人层面的价值准则是' });
    expect((await admin.request('PUT', `/api/quizzes/bank/${third}`, { question: q('价值观', '过期的修改', 'C'), version: 1 })).statusCode).toBe(409);
    expect((await qu.post('/api/quizzes/bank', { questions: [q('公约', '区里加的题', 'A')] })).statusCode).toBe(403);
    bank = ((await admin.get('/api/quizzes/bank')).json() as QuizQuestion[]).filter((x) => x.category === '价值观' || x.category === '公约');
    expect(bank).toHaveLength(6);
    const all = (await admin.get('/api/quizzes/bank?includeRetired=true')).json() as QuizQuestion[];
    expect(all.filter((x) => x.code === third).map((x) => x.status)).toEqual(['retired', 'active']);
  });

  it('attempts: random paper, score and explanations, attempts limit; leaderboard by unit and district equals the hand count', async () => {
    const created = await admin.post('/api/quizzes', {
      name: '创文应知应会测试',
      mode: 'random',
      draw: [
        { category: '价值观', count: 2 },
        { category: '公约', count: 2 },
      ],
      timeLimitMin: 10,
      pointsPerQuestion: 5,
      passPercent: 60,
      attemptsPolicy: 'best',
      maxAttempts: 2,
      startsAt: new Date(Date.now() - 60_000).toISOString(),
      endsAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(created.statusCode, created.body).toBe(200);
    const quiz = created.json() as Quiz;
    expect(quiz.maxScore).toBe(20);
    // rosters: the city for any unit, a district admin for its own subtree only
    await admin.request('PUT', `/api/quizzes/${quiz.id}/rosters/${units[0].id}`, { size: 5 });
    await admin.request('PUT', `/api/quizzes/${quiz.id}/rosters/${units[1].id}`, { size: 3 });
    await admin.request('PUT', `/api/quizzes/${quiz.id}/rosters/${units[2].id}`, { size: 4 });
    const pub = (await t.anonymous().get(`/api/public/quizzes/${quiz.slug}`)).json();
    expect(pub).toMatchObject({ open: true, questionCount: 4, maxScore: 20 });
    expect(pub.units).toHaveLength(3);

    const answerKey = new Map(bank.map((b) => [b.id, b.answer]));
    const take = async (name: string, unitId: string, correct: number) => {
      const start = await t.anonymous().post(`/api/public/quizzes/${quiz.slug}/attempts`, { name, unitId });
      if (start.statusCode !== 200) return start;
      const paper = start.json() as AttemptPaper;
      expect(paper.questions).toHaveLength(4);
      expect(JSON.stringify(paper)).not.toContain('解析');
      const answers = Object.fromEntries(paper.questions.map((x, i) => [x.id, i < correct ? answerKey.get(x.id)! : ['A', 'B'].filter((v) => !answerKey.get(x.id)!.includes(v)).slice(0, 1)]));
      return t.anonymous().post(`/api/public/quizzes/attempts/${paper.attemptId}/submit`, { answers });
    };
    const first = await take('张三', units[0].id, 4);
    const r1 = first.json() as AttemptResult;
    expect(r1).toMatchObject({ score: 20, maxScore: 20, passed: true });
    expect(r1.items[0].explanation).toContain('的解析');
    expect(((await take('张三', units[0].id, 0)).json() as AttemptResult).score).toBe(0);
    const third = await take('张三', units[0].id, 4);
    expect(third.statusCode).toBe(422);
    expect(third.json().error.message).toBe('您已答题 2 次，本测试每人最多 2 次');
    expect(((await take('李四', units[0].id, 2)).json() as AttemptResult).score).toBe(10);
    expect(((await take('王五', units[1].id, 4)).json() as AttemptResult).score).toBe(20);
    expect(((await take('赵六', units[2].id, 2)).json() as AttemptResult).passed).toBe(false);

    const lb = (await qu.get(`/api/quizzes/${quiz.id}/leaderboard`)).json() as Leaderboard;
    const u = (id: string) => lb.units.find((x) => x.unitId === id)!;
    // hand count: 张三 counts once with his best (20), so 满分率 cannot exceed 100 %
    expect(u(units[0].id)).toMatchObject({ roster: 5, participants: 2, participationRate: 0.4, scoreSum: 30, averageScore: 15, fullMarks: 1, fullMarkRate: 0.5 });
    expect(u(units[1].id)).toMatchObject({ roster: 3, participants: 1, scoreSum: 20, averageScore: 20, fullMarks: 1, fullMarkRate: 1 });
    expect(u(units[1].id).participationRate).toBeCloseTo(1 / 3, 12);
    expect(u(units[2].id)).toMatchObject({ roster: 4, participants: 1, participationRate: 0.25, averageScore: 10, fullMarks: 0, fullMarkRate: 0 });
    const d = (id: string) => lb.districts.find((x) => x.unitId === id)!;
    expect(d(units[0].district)).toMatchObject({ roster: 8, participants: 3, participationRate: 3 / 8, scoreSum: 50, fullMarks: 2 });
    expect(d(units[2].district)).toMatchObject({ roster: 4, participants: 1, participationRate: 0.25, scoreSum: 10, fullMarks: 0 });
    // a period before anyone answered: nobody counted
    const empty = (await qu.get(`/api/quizzes/${quiz.id}/leaderboard?to=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`)).json() as Leaderboard;
    expect(empty.units.every((x) => x.participants === 0)).toBe(true);
  });
});
