import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Leaderboard, Quiz, QuizQuestion, Round, RoundResults } from '../../../contracts/surveys.ts';
import { type Client, type TestApp, startTestApp } from '../../test/harness.ts';

describe('surveys demo: three rounds whose rates rise and differ by district; a quiz with a bank of 50+ and thousands of attempts', () => {
  let t: TestApp;
  let admin: Client;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login('admin');
  });
  afterAll(() => t.close());

  it('rates rise between rounds and 文明区 leads 和谐区', async () => {
    const rounds = ((await admin.get('/api/surveys/rounds')).json() as Round[]).sort((a, b) => a.startsAt.localeCompare(b.startsAt));
    expect(rounds.map((r) => r.status)).toEqual(['closed', 'closed', 'open']);
    const results = await Promise.all(rounds.map(async (r) => (await admin.get(`/api/surveys/rounds/${r.id}/results`)).json() as RoundResults));
    const aware = results.map((r) => r.rates.find((x) => x.id === 'aware')!);
    expect(aware[0].overall.rate!).toBeLessThan(aware[1].overall.rate!);
    expect(aware[1].overall.rate!).toBeLessThan(aware[2].overall.rate!);
    for (const a of aware) {
      const wm = a.byStratum.filter((s) => s.label.startsWith('文明区')).reduce((t, s) => t + s.figure.numerator, 0) / a.byStratum.filter((s) => s.label.startsWith('文明区')).reduce((t, s) => t + s.figure.denominator, 0);
      const hx = a.byStratum.filter((s) => s.label.startsWith('和谐区')).reduce((t, s) => t + s.figure.numerator, 0) / a.byStratum.filter((s) => s.label.startsWith('和谐区')).reduce((t, s) => t + s.figure.denominator, 0);
      expect(wm).toBeGreaterThan(hx);
      expect(a.weighted).not.toBeNull();
    }
    expect(results[0].responses).toBe(400);
  });

  it('the quiz: 50+ questions, a few thousand attempts across units, leaderboard with denominators', async () => {
    expect(((await admin.get('/api/quizzes/bank')).json() as QuizQuestion[]).length).toBeGreaterThanOrEqual(50);
    const [quiz] = (await admin.get('/api/quizzes')).json() as Quiz[];
    expect(quiz.attempts).toBeGreaterThan(2000);
    const lb = (await admin.get(`/api/quizzes/${quiz.id}/leaderboard`)).json() as Leaderboard;
    expect(lb.units.length).toBeGreaterThan(20);
    expect(lb.units.every((u) => u.roster !== null && u.participants <= u.roster)).toBe(true);
  });
});
