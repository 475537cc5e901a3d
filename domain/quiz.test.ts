import { describe, expect, it } from 'vitest';
import { drawQuestions, leaderboard, scoreQuestion } from './quiz.ts';

describe('quiz scoring', () => {
  it('all-or-nothing and partial credit for multiple choice', () => {
    expect(scoreQuestion('single', ['B'], ['B'], 'all', 2)).toBe(2);
    expect(scoreQuestion('single', ['B'], ['A'], 'partial', 2)).toBe(0);
    expect(scoreQuestion('multiple', ['A', 'B', 'D'], ['D', 'A', 'B'], 'all', 3)).toBe(3);
    expect(scoreQuestion('multiple', ['A', 'B', 'D'], ['A', 'B'], 'all', 3)).toBe(0);
    expect(scoreQuestion('multiple', ['A', 'B', 'D'], ['A', 'B'], 'partial', 3)).toBe(2);
    expect(scoreQuestion('multiple', ['A', 'B', 'D'], ['A', 'C'], 'partial', 3)).toBe(0);
    expect(scoreQuestion('multiple', ['A', 'B', 'D'], [], 'partial', 3)).toBe(0);
  });

  it('draws N per category without repeats', () => {
    const bank = Array.from({ length: 10 }, (_, i) => ({ id: `q${i}`, category: i < 6 ? '价值观' : '公约' }));
    const ids = drawQuestions(bank, [{ category: '价值观', count: 3 }, { category: '公约', count: 9 }]);
    expect(ids).toHaveLength(7);
    expect(new Set(ids).size).toBe(7);
    expect(ids.slice(0, 3).every((id) => Number(id.slice(1)) < 6)).toBe(true);
  });

  it('leaderboard by unit and district with denominators', () => {
    const units = [
      { id: 'u1', name: '文明区城管局', path: '/c/d1/u1/' },
      { id: 'u2', name: '文明区教育局', path: '/c/d1/u2/' },
      { id: 'u3', name: '和谐区卫健局', path: '/c/d2/u3/' },
    ];
    const districts = [
      { id: 'd1', name: '文明区', path: '/c/d1/' },
      { id: 'd2', name: '和谐区', path: '/c/d2/' },
    ];
    const counted = [
      { participant: 'a', unitId: 'u1', score: 100, maxScore: 100 },
      { participant: 'b', unitId: 'u1', score: 80, maxScore: 100 },
      { participant: 'c', unitId: 'u2', score: 60, maxScore: 100 },
    ];
    const lb = leaderboard(counted, new Map([['u1', 4], ['u2', 2], ['u3', 10]]), units, districts);
    expect(lb.units.find((u) => u.unitId === 'u1')).toMatchObject({ roster: 4, participants: 2, participationRate: 0.5, averageScore: 90, fullMarks: 1, fullMarkRate: 0.5 });
    expect(lb.units.find((u) => u.unitId === 'u3')).toMatchObject({ roster: 10, participants: 0, participationRate: 0, averageScore: null });
    expect(lb.districts.find((d) => d.unitId === 'd1')).toMatchObject({ roster: 6, participants: 3, participationRate: 0.5, scoreSum: 240, averageScore: 80, fullMarks: 1 });
  });
});
