import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Paged } from '../../../contracts/common.ts';
import type { Issue, IssueCategory } from '../../../contracts/issues.ts';
import { type Client, type TestApp, startTestApp } from '../../test/harness.ts';

/** The phone's 我上报的 list: `reportedByMe` narrows the list to the caller's own reports, inside the read scope. */
describe('issues: reportedByMe filter', () => {
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
});
