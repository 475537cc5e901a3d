import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Paged } from '../../../contracts/common.ts';
import type { Issue, IssueCategory } from '../../../contracts/issues.ts';
import { type Client, type TestApp, startTestApp } from '../../test/harness.ts';

/**
 * The phone's lists: 我上报的 (`reportedByMe` narrows the list to the caller's own reports, inside
 * the read scope) and to-do lists ordered by the nearest deadline (`sort=deadline`).
 */
describe('issues: phone list filters', () => {
  let t: TestApp;
  let wangge: Client;
  let ducha: Client;
  beforeAll(async () => {
    t = await startTestApp();
    [wangge, ducha] = await Promise.all([t.login('wangge'), t.login('ducha')]);
  });
  afterAll(() => t.close());

  it('lists only the caller’s reports', async () => {
    const categories = (await wangge.get('/api/issue-categories')).json() as IssueCategory[];
    const category = categories.find((c) => c.name === '暴露垃圾')!;
    const point = ((await wangge.get('/api/org/points?pageSize=200')).json().items as { id: string; gridId: string | null }[]).find((p) => p.gridId)!;
    const file = async (c: Client, title: string) => {
      const res = await c.post('/api/issues', { source: 'grid', categoryId: category.id, title, pointId: point.id });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as Issue;
    };
    const mine = await file(wangge, '网格员上报的暴露垃圾');
    const theirs = await file(ducha, '督查员上报的暴露垃圾');

    const all = (await wangge.get('/api/issues?pageSize=200&state=reported')).json() as Paged<Issue>;
    expect(all.items.map((i) => i.id)).toEqual(expect.arrayContaining([mine.id, theirs.id]));
    const own = (await wangge.get('/api/issues?pageSize=200&reportedByMe=true')).json() as Paged<Issue>;
    expect(own.items.map((i) => i.id)).toContain(mine.id);
    expect(own.items.map((i) => i.id)).not.toContain(theirs.id);
    expect(own.items.every((i) => i.reporterId === mine.reporterId)).toBe(true);
    expect(own.total).toBe(own.items.length);
    const forDucha = (await ducha.get('/api/issues?pageSize=200&reportedByMe=true')).json() as Paged<Issue>;
    expect(forDucha.items.map((i) => i.id)).toContain(theirs.id);
    expect(forDucha.items.map((i) => i.id)).not.toContain(mine.id);
    expect(forDucha.items.every((i) => i.reporterId === theirs.reporterId)).toBe(true);
  });

  it('orders by the nearest deadline on request, newest first by default', async () => {
    const categories = (await ducha.get('/api/issue-categories')).json() as IssueCategory[];
    const point = ((await wangge.get('/api/org/points?pageSize=200')).json().items as { id: string; gridId: string | null }[]).find((p) => p.gridId)!;
    // longest time limit filed first, so newest-first and deadline-first disagree
    const byLimit = categories.filter((c) => c.parentId && c.timeLimitUnit === 'calendar').sort((a, b) => b.timeLimitDays - a.timeLimitDays);
    const picks = [byLimit[0], byLimit.find((c) => c.timeLimitDays < byLimit[0].timeLimitDays)!, byLimit[byLimit.length - 1]];
    expect(new Set(picks.map((c) => c.timeLimitDays)).size).toBe(3);
    const filed: Issue[] = [];
    for (const c of picks) {
      const res = await ducha.post('/api/issues', { source: 'inspection', categoryId: c.id, title: `排序用：${c.name}`, pointId: point.id });
      expect(res.statusCode, res.body).toBe(200);
      filed.push(res.json() as Issue);
    }
    const ids = (items: Issue[]) => items.map((i) => i.id).filter((id) => filed.some((f) => f.id === id));
    const newest = (await ducha.get('/api/issues?pageSize=200&reportedByMe=true')).json() as Paged<Issue>;
    expect(ids(newest.items)).toEqual(filed.map((i) => i.id).reverse());
    const due = (await ducha.get('/api/issues?pageSize=200&reportedByMe=true&sort=deadline')).json() as Paged<Issue>;
    expect(ids(due.items)).toEqual([...filed].sort((a, b) => a.deadline!.localeCompare(b.deadline!)).map((i) => i.id));
    const deadlines = due.items.map((i) => i.deadline);
    const withDeadline = deadlines.filter((d): d is string => d !== null);
    expect(withDeadline).toEqual([...withDeadline].sort());
    expect(deadlines.slice(withDeadline.length).every((d) => d === null)).toBe(true);
    const bad = await ducha.get('/api/issues?sort=oldest');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('排序方式');
  });
});
