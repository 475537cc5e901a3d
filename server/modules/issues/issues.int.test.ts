import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { IssueAction, IssueDetail } from '../../../contracts/issues.ts';
import { SYSTEM_ROLES } from '../../../contracts/permissions.ts';
import { type FlowEvent, replay } from '../../../domain/issue-flow.ts';
import { computeDeadline, EMPTY_CALENDAR } from '../../../domain/working-days.ts';
import { rowsOf } from '../../db/client.ts';
import { seedBase } from '../../seed/demo.ts';
import { type Client, type TestApp, startTestApp } from '../../test/harness.ts';
import { jpegWithExif } from '../files/files.fixtures.ts';

type Category = { id: string; code: string; name: string; parentId: string | null; defaultUnitId: string | null; defaultUnitName: string | null; timeLimitDays: number; version: number };
type Point = { id: string; name: string; areaUnitId: string; gridId: string | null; units: { id: string; name: string }[] };

async function upload(c: Client, name: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(await jpegWithExif({}, 320, 240))], { type: 'image/jpeg' }), name);
  const res = new Response(form);
  const payload = Buffer.from(await res.arrayBuffer());
  const out = await c.request('POST', '/api/files', payload, { 'content-type': res.headers.get('content-type')! });
  expect(out.statusCode, out.body).toBe(200);
  const body = out.json();
  return (Array.isArray(body) ? body[0] : (body.files?.[0] ?? body.items?.[0] ?? body)).id;
}

/** The stored flow state must equal the replay of the event log the API shows. */
function expectReplays(issue: IssueDetail) {
  const log: FlowEvent[] = issue.events.map((e) => ({
    type: e.action,
    reason: e.note,
    unitId: (e.data.unitId as string | null | undefined) ?? null,
    deadline: (e.data.deadline as string | undefined) ?? null,
    photos: (e.data.photos as string[] | undefined) ?? null,
    targetId: (e.data.targetId as string | undefined) ?? null,
    toState: e.toState,
  }));
  const s = replay(log);
  expect({ state: s.state, responsibleUnitId: s.responsibleUnitId, reworkCount: s.reworkCount, relapseCount: s.relapseCount, deadline: s.deadline, extensionPending: s.extensionPending }).toEqual({
    state: issue.state,
    responsibleUnitId: issue.responsibleUnitId,
    reworkCount: issue.reworkCount,
    relapseCount: issue.relapseCount,
    deadline: issue.deadline,
    extensionPending: issue.extensionPending,
  });
  for (let i = 1; i < issue.events.length; i++) expect(issue.events[i].fromState).toBe(issue.events[i - 1].toState);
}

describe('issues: the rectification loop', () => {
  let t: TestApp;
  let admin: Client;
  let qu: Client;
  let danwei: Client;
  let ducha: Client;
  let wangge: Client;
  let jiandu: Client;
  let categories: Category[];
  let chaoyangPoint: Point;
  let unitId: (name: string) => Promise<string>;

  beforeAll(async () => {
    t = await startTestApp();
    [admin, qu, danwei, ducha, wangge, jiandu] = await Promise.all(['admin', 'qu_admin', 'danwei', 'ducha', 'wangge', 'jiandu'].map((u) => t.login(u)));
    unitId = async (name) => (await admin.get(`/api/org/units?q=${encodeURIComponent(name)}`)).json().items[0].id;
    categories = (await admin.get('/api/issue-categories')).json();
    const points = (await wangge.get('/api/org/points?pageSize=200')).json().items as Point[];
    chaoyangPoint = points.find((p) => p.gridId)!;
  });
  afterAll(() => t.close());

  const sub = (name: string) => categories.find((c) => c.name === name)!;
  const act = (c: Client, issue: { id: string; version: number }, action: IssueAction, body: Record<string, unknown> = {}) =>
    c.post(`/api/issues/${issue.id}/actions/${action}`, { version: issue.version, ...body });
  async function ok(c: Client, issue: { id: string; version: number }, action: IssueAction, body: Record<string, unknown> = {}): Promise<IssueDetail> {
    const res = await act(c, issue, action, body);
    expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
    return res.json();
  }
  async function report(c: Client, extra: Record<string, unknown> = {}): Promise<IssueDetail> {
    const res = await c.post('/api/issues', { source: 'grid', categoryId: sub('暴露垃圾').id, title: '路边暴露垃圾', description: '垃圾堆放未清运', pointId: chaoyangPoint.id, ...extra });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }

  it('seeds a two-level taxonomy with time limits and default units', async () => {
    const tops = categories.filter((c) => c.parentId === null);
    expect(tops.map((c) => c.name)).toEqual(['市容环境', '宣传广告', '施工管理', '街面秩序', '公共设施', '交通秩序', '文明行为']);
    for (const top of tops) {
      const subs = categories.filter((c) => c.parentId === top.id);
      expect(subs.length).toBeGreaterThanOrEqual(3);
      expect(subs.length).toBeLessThanOrEqual(6);
      expect(top.defaultUnitName).toBeTruthy();
    }
    expect(sub('暴露垃圾')).toMatchObject({ timeLimitDays: 1 });
    expect(tops.find((c) => c.name === '交通秩序')!.defaultUnitName).toBe('市公安局交通警察支队');
    expect((await jiandu.get('/api/issue-categories')).statusCode).toBe(200);
  });

  it('files an issue from a point: number, area, grid, default unit, deadline, event, masked phone', async () => {
    const photo = await upload(wangge, '现场.jpg');
    const before = Date.now();
    const issue = await report(wangge, { photos: [photo], reporterPhone: '13912345678' });
    expect(issue.number).toMatch(/^WT\d{8}-\d{6}$/);
    expect(issue).toMatchObject({ state: 'reported', source: 'grid', areaUnitId: chaoyangPoint.areaUnitId, gridId: chaoyangPoint.gridId, pointId: chaoyangPoint.id });
    expect(issue.responsibleUnitId).toBe(chaoyangPoint.units[0].id);
    expect(issue.reporterPhoneMasked).toBe('139****5678');
    // the proposed deadline: end (23:59:59 Shanghai) of the day after filing, by the category's 1 calendar day
    const expected = [before, Date.now()].map((t) => computeDeadline(new Date(t), 1, 'calendar', 'normal', EMPTY_CALENDAR).toISOString());
    expect(expected).toContain(issue.deadline);
    expect(issue.events).toHaveLength(1);
    expect(issue.events[0]).toMatchObject({ action: 'report', toState: 'reported', data: { photos: [photo] } });
    expect(issue.files.map((f) => f.id)).toEqual([photo]);
    expect(issue.allowedActions).toEqual([]);
    const next = await report(wangge);
    expect(Number(next.number.slice(-6))).toBe(Number(issue.number.slice(-6)) + 1);
    const seenByQu = (await qu.get(`/api/issues/${issue.id}`)).json() as IssueDetail;
    expect(seenByQu.allowedActions).toEqual(['accept', 'reject', 'merge']);
    const audit = (await admin.get(`/api/audit?entity=issue&entityId=${issue.id}`)).json();
    expect(audit.items[0]).toMatchObject({ action: 'create', entity: 'issue' });

    const bad = await wangge.post('/api/issues', { source: 'grid', categoryId: sub('暴露垃圾').id, title: '', lng: 120 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['body.title']));
  });

  it('answers a filing with exactly what the issue page then shows, from a point, a grid or an area; a failed filing leaves nothing, not even a number', async () => {
    const places = [{ pointId: chaoyangPoint.id }, { gridId: chaoyangPoint.gridId }, { areaUnitId: chaoyangPoint.areaUnitId }];
    for (const [k, place] of places.entries()) {
      const photos = k === 0 ? [await upload(wangge, '现场.jpg')] : [];
      const res = await wangge.post('/api/issues', { source: 'grid', categoryId: sub('暴露垃圾').id, title: `核对应答 ${k}`, ...place, photos });
      expect(res.statusCode, res.body).toBe(200);
      const filed = res.json() as IssueDetail;
      expect((await wangge.get(`/api/issues/${filed.id}`)).json()).toEqual(filed);
      const audit = (await admin.get(`/api/audit?entity=issue&entityId=${filed.id}`)).json();
      expect(audit.items[0].after).toMatchObject({ number: filed.number, state: 'reported', photos });
    }
    const last = (await report(wangge)).number;
    // a photo that does not exist fails the filing inside its transaction: no issue, no event, no number used
    const count = async () => rowsOf<{ n: number }>(await t.deps.db.execute(sql`SELECT count(*)::int AS n FROM issues`))[0].n;
    const n = await count();
    const failed = await wangge.post('/api/issues', { source: 'grid', categoryId: sub('暴露垃圾').id, title: '附件不存在', pointId: chaoyangPoint.id, photos: ['00000000-0000-4000-8000-000000000000'] });
    expect(failed.statusCode).toBe(400);
    expect(await count()).toBe(n);
    expect(Number((await report(wangge)).number.slice(-6))).toBe(Number(last.slice(-6)) + 1);
  });

  it('runs 上报 → 立案 → 派遣 → 签收 → 反馈 → 核查不通过 (返工) → 反馈 → 核查通过 → 结案 → 回潮', async () => {
    const cgj = await unitId('市城市管理局');
    let i = await report(wangge);
    expect((await act(jiandu, i, 'accept')).statusCode).toBe(404);
    expect((await act(danwei, i, 'accept')).statusCode).toBe(404);
    expect((await act(ducha, i, 'accept')).statusCode).toBe(403);
    i = await ok(qu, i, 'accept');
    expect(i.state).toBe('accepted');
    i = await ok(qu, i, 'dispatch', { unitId: cgj, note: '请市城管局处置' });
    expect(i).toMatchObject({ state: 'dispatched', responsibleUnitId: cgj, responsibleUnitName: '市城市管理局' });
    const forUnit = (await danwei.get(`/api/issues/${i.id}`)).json() as IssueDetail;
    expect(forUnit.allowedActions).toEqual(['sign', 'return']);
    i = await ok(danwei, i, 'sign');
    expect(i.state).toBe('rectifying');
    const noPhoto = await act(danwei, i, 'feedback', { note: '已清理' });
    expect(noPhoto.statusCode).toBe(400);
    expect(noPhoto.json().error.details).toEqual([{ path: 'body.photos', message: '请填写整改后照片' }]);
    i = await ok(danwei, i, 'feedback', { note: '已清理', photos: [await upload(danwei, '整改后1.jpg')] });
    expect(i.state).toBe('feedback');
    expect((await act(danwei, i, 'verifyPass')).statusCode).toBe(403);
    const noReason = await act(ducha, i, 'verifyFail');
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.details[0].path).toBe('body.note');
    i = await ok(ducha, i, 'verifyFail', { note: '仍有残留垃圾' });
    expect(i).toMatchObject({ state: 'rectifying', reworkCount: 1 });
    i = await ok(danwei, i, 'feedback', { note: '已彻底清理', photos: [await upload(danwei, '整改后2.jpg')] });
    i = await ok(wangge, i, 'verifyPass', { note: '现场核查合格' });
    expect(i.state).toBe('verified');
    expect((await act(danwei, i, 'close')).statusCode).toBe(403);
    i = await ok(qu, i, 'close');
    expect(i.state).toBe('closed');
    expect(i.closedAt).not.toBeNull();
    const closedDeadline = i.deadline;
    expect((await act(jiandu, i, 'reopen', { note: '再次出现' })).statusCode).toBe(404);
    expect((await act(danwei, i, 'reopen', { note: '再次出现' })).statusCode).toBe(403);
    i = await ok(ducha, i, 'reopen', { note: '同一位置再次出现垃圾' });
    // 回潮 restarts the clock from today: never earlier than the old deadline, the end of a Shanghai day
    expect(new Date(i.deadline!).getTime()).toBeGreaterThanOrEqual(new Date(closedDeadline!).getTime());
    expect(i.deadline!.endsWith('T15:59:59.000Z')).toBe(true);
    expect(i.events.at(-1)!.data.deadline).toBe(i.deadline);
    expect(i).toMatchObject({ state: 'dispatched', relapseCount: 1, reworkCount: 1, closedAt: null, responsibleUnitId: cgj });
    expect(i.events.map((e) => e.action)).toEqual(['report', 'accept', 'dispatch', 'sign', 'feedback', 'verifyFail', 'feedback', 'verifyPass', 'close', 'reopen']);
    expect(i.files).toHaveLength(2);
    // the photos follow the issue's policy: the unit and the grid worker read them, a stranger does not
    const after = i.files[0].id;
    expect((await danwei.get(`/api/files/${after}/content`)).statusCode).toBe(200);
    expect((await wangge.get(`/api/files/${after}`)).statusCode).toBe(200);
    expect((await jiandu.get(`/api/files/${after}`)).statusCode).toBe(403);
    expectReplays(i);
    const audit = (await admin.get(`/api/audit?entity=issue&entityId=${i.id}&pageSize=50`)).json();
    expect(audit.total).toBe(10);
  });

  it('不予立案 needs a reason; 回退 goes back to the dispatcher who re-dispatches; 延期 by request and approval', async () => {
    const r = await report(jiandu, { source: 'supervisor' });
    const noReason = await act(qu, r, 'reject');
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'body.note', message: '请填写原因说明' }] });
    const rejected = await ok(qu, r, 'reject', { note: '不属于城市管理范围' });
    expect(rejected).toMatchObject({ state: 'rejected', allowedActions: [] });
    expect(rejected.events[1]).toMatchObject({ action: 'reject', note: '不属于城市管理范围', fromState: 'reported', toState: 'rejected' });

    const cgj = await unitId('市城市管理局');
    const jtj = await unitId('市交通运输局');
    let i = await ok(qu, await report(wangge), 'accept');
    i = await ok(qu, i, 'dispatch', { unitId: cgj });
    expect((await act(danwei, i, 'return')).statusCode).toBe(400);
    i = await ok(danwei, i, 'return', { note: '该路段由交通部门管理' });
    expect(i.state).toBe('returned');
    expect((await danwei.get(`/api/issues/${i.id}`)).json().allowedActions).toEqual([]);
    i = await ok(qu, i, 'dispatch', { unitId: jtj, note: '改派' });
    expect(i).toMatchObject({ state: 'dispatched', responsibleUnitId: jtj });
    // the unit that returned it no longer sees it, and cannot act on it
    expect((await danwei.get(`/api/issues/${i.id}`)).statusCode).toBe(404);
    expect((await act(danwei, i, 'sign')).statusCode).toBe(404);
    expectReplays((await admin.get(`/api/issues/${i.id}`)).json());

    let e = await ok(qu, await report(wangge), 'accept');
    e = await ok(qu, e, 'dispatch', { unitId: cgj });
    e = await ok(danwei, e, 'sign');
    const later = new Date(Date.now() + 10 * 86_400_000).toISOString();
    expect((await act(danwei, e, 'requestExtension', { note: '需采购设备' })).json().error.details[0].path).toBe('body.deadline');
    e = await ok(danwei, e, 'requestExtension', { note: '需采购设备', deadline: later });
    expect(e.extensionPending).toBe(true);
    expect((await act(danwei, e, 'approveExtension')).statusCode).toBe(403);
    e = await ok(qu, e, 'approveExtension');
    expect(e).toMatchObject({ extensionPending: false, deadline: later });
    expectReplays(e);
  });

  it('merges a duplicate into an open issue', async () => {
    const first = await report(wangge);
    const dup = await report(wangge);
    expect((await act(qu, dup, 'merge')).json().error.details[0].path).toBe('body.targetId');
    const merged = await ok(qu, dup, 'merge', { targetId: first.id, note: '重复上报' });
    expect(merged).toMatchObject({ state: 'merged', mergedIntoId: first.id, allowedActions: [] });
    // the issue it went into lists it
    const target = (await qu.get(`/api/issues/${first.id}`)).json() as IssueDetail;
    expect(target.mergedReports).toEqual([{ id: dup.id, number: dup.number, title: dup.title, source: 'grid', createdAt: dup.createdAt }]);
    expect(first.mergedReports).toEqual([]);
  });

  it('scopes issues: a unit sees only what is dispatched to it; reporters their own; districts their area', async () => {
    const cgj = await unitId('市城市管理局');
    const jtj = await unitId('市交通运输局');
    const proposed = await report(wangge, { categoryId: sub('暴露垃圾').id });
    // proposed for a unit but not dispatched yet: not the unit's business
    expect((await danwei.get(`/api/issues/${proposed.id}`)).statusCode).toBe(404);
    let mine = await ok(qu, proposed, 'accept');
    mine = await ok(qu, mine, 'dispatch', { unitId: cgj });
    let other = await ok(qu, await report(wangge), 'accept');
    other = await ok(qu, other, 'dispatch', { unitId: jtj });

    const dwList = (await danwei.get('/api/issues?pageSize=200')).json();
    const dwIds = dwList.items.map((x: { id: string }) => x.id);
    expect(dwIds).toContain(mine.id);
    expect(dwIds).not.toContain(other.id);
    // besides what is dispatched to it, a unit sees what its own people reported (the demo's 单位自查 files issues too)
    const dwUser = (await danwei.get('/api/auth/me')).json().user.id as string;
    expect(dwList.items.every((x: { responsibleUnitId: string; reporterId: string | null }) => x.responsibleUnitId === cgj || x.reporterId === dwUser)).toBe(true);
    expect((await danwei.get(`/api/issues/${other.id}`)).statusCode).toBe(404);
    expect((await act(danwei, other, 'sign')).statusCode).toBe(404);
    // wrong role on a visible issue: 403
    expect((await act(danwei, mine, 'close')).statusCode).toBe(409);
    expect((await act(wangge, mine, 'sign')).statusCode).toBe(403);

    const jdOwn = await report(jiandu, { source: 'supervisor' });
    const jdList = (await jiandu.get('/api/issues?pageSize=200')).json();
    expect(jdList.items.length).toBeGreaterThan(0);
    expect(jdList.items.map((x: { id: string }) => x.id)).toContain(jdOwn.id);
    expect(jdList.items.every((x: { reporterName: string }) => x.reporterName === '陈监督')).toBe(true);

    const hexie = (await admin.get(`/api/org/units?q=${encodeURIComponent('和平社区')}`)).json().items[0].id;
    const farAway = (await ducha.post('/api/issues', { source: 'inspection', categoryId: sub('非法小广告').id, title: '电杆小广告', areaUnitId: hexie })).json();
    expect(farAway.responsibleUnitName).toBe('市委宣传部');
    expect((await qu.get(`/api/issues/${farAway.id}`)).statusCode).toBe(404);
    expect((await ducha.get(`/api/issues/${farAway.id}`)).statusCode).toBe(200);
    const quList = (await qu.get('/api/issues?pageSize=200')).json();
    expect(quList.items.map((x: { id: string }) => x.id)).not.toContain(farAway.id);

    const wm = await unitId('文明区');
    const byArea = (await admin.get(`/api/issues?areaUnitId=${wm}&pageSize=200`)).json();
    expect(byArea.items.map((x: { id: string }) => x.id)).not.toContain(farAway.id);
    const byUnit = (await admin.get(`/api/issues?unitId=${jtj}&state=dispatched&pageSize=200`)).json();
    expect(byUnit.items.map((x: { id: string }) => x.id)).toContain(other.id);
    const bySource = (await admin.get('/api/issues?source=inspection&pageSize=200')).json();
    expect(bySource.items.every((x: { source: string }) => x.source === 'inspection')).toBe(true);
    const byTop = (await admin.get(`/api/issues?categoryId=${categories.find((c) => c.name === '宣传广告')!.id}`)).json();
    expect(byTop.items.map((x: { id: string }) => x.id)).toContain(farAway.id);
    // the demo city has overdue issues; the fresh ones here are not among them
    const overdue = (await admin.get('/api/issues?overdue=true&pageSize=200')).json();
    expect(overdue.items.every((x: { isOverdue: boolean }) => x.isOverdue)).toBe(true);
    expect(overdue.items.map((x: { id: string }) => x.id)).not.toContain(mine.id);
  });

  it('answers an invalid transition with 409, the state and the allowed actions; a stale version with 409', async () => {
    const i = await report(wangge);
    const res = await act(qu, i, 'sign');
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({
      code: 'INVALID_STATE',
      details: [
        { path: 'state', message: 'reported' },
        { path: 'allowedActions.0', message: 'accept' },
        { path: 'allowedActions.1', message: 'reject' },
        { path: 'allowedActions.2', message: 'merge' },
      ],
    });
    const accepted = await ok(qu, i, 'accept');
    const stale = await act(qu, i, 'reject', { note: 'x' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('STALE_VERSION');
    expect(accepted.version).toBe(i.version + 1);
    expect((await wangge.post(`/api/issues/${i.id}/actions/report`, { version: 2 })).statusCode).toBe(400);
  });

  it('50 concurrent conflicting actions: exactly one wins per version, the rest get 409, the log replays', async () => {
    const cgj = await unitId('市城市管理局');
    const jtj = await unitId('市交通运输局');
    let issue: IssueDetail = await report(wangge);
    const round = async (make: (k: number) => Promise<{ statusCode: number; json(): { error?: { code: string } } & Partial<IssueDetail> }>) => {
      const results = await Promise.all(Array.from({ length: 50 }, (_, k) => make(k)));
      const winners = results.filter((r) => r.statusCode === 200);
      expect(winners).toHaveLength(1);
      const losers = results.filter((r) => r.statusCode !== 200);
      expect(losers.every((r) => r.statusCode === 409 && r.json().error?.code === 'STALE_VERSION')).toBe(true);
      return winners[0].json() as IssueDetail;
    };
    issue = await round((k) => act(k % 2 ? qu : admin, issue, k % 7 === 3 ? 'reject' : 'accept', { note: `第${k}个` }));
    if (issue.state === 'accepted') {
      issue = await round((k) => act(k % 2 ? qu : admin, issue, 'dispatch', { unitId: k % 2 ? jtj : cgj }));
      const winnerUnit = issue.events.at(-1)!.data.unitId;
      expect(issue.responsibleUnitId).toBe(winnerUnit);
      if (issue.responsibleUnitId === cgj) {
        issue = await round((k) => act(danwei, issue, k % 2 ? 'sign' : 'return', { note: '并发' }));
      }
    }
    expect(issue.version).toBeGreaterThanOrEqual(2);
    const stored = (await admin.get(`/api/issues/${issue.id}`)).json() as IssueDetail;
    expect(stored.version).toBe(issue.version);
    expect(stored.events).toHaveLength(stored.version);
    expectReplays(stored);
  });

  it('seedBase adds new permissions to system roles of an older installation (append-only union)', async () => {
    await t.deps.database.query(`UPDATE roles SET permissions = ARRAY['org.read', 'files.upload', 'custom.keep'] WHERE code = 'unit_contact'`);
    await t.deps.database.query(`INSERT INTO roles (code, name, permissions, is_system) VALUES ('my_role', '自定义', ARRAY['org.read'], false)`);
    await seedBase(t.deps.db);
    await seedBase(t.deps.db);
    const { rows } = await t.deps.database.query<{ code: string; permissions: string[] }>(`SELECT code, permissions FROM roles WHERE code IN ('unit_contact', 'my_role') ORDER BY code`);
    expect(rows[0].permissions).toEqual(['org.read']);
    const wanted = SYSTEM_ROLES.find((r) => r.code === 'unit_contact')!.permissions;
    expect([...rows[1].permissions].sort()).toEqual([...new Set(['custom.keep', 'files.upload', 'org.read', ...wanted])].sort());
    const { rows: cats } = await t.deps.database.query<{ n: number }>('SELECT count(*)::int AS n FROM issue_categories');
    expect(cats[0].n).toBe(categories.length);
  });

  it('maintains categories: create a subcategory, edit with version, only with issues.manage', async () => {
    const parent = categories.find((c) => c.name === '市容环境')!;
    const created = await admin.post('/api/issue-categories', { code: '0199', name: '油烟污染', parentId: parent.id, timeLimitDays: 4 });
    expect(created.statusCode, created.body).toBe(200);
    const cat = created.json() as Category;
    expect(cat).toMatchObject({ parentId: parent.id, timeLimitDays: 4, version: 1 });
    const third = await admin.post('/api/issue-categories', { code: '019901', name: '三级', parentId: cat.id, timeLimitDays: 1 });
    expect(third.json().error.details[0].path).toBe('body.parentId');
    const updated = await admin.patch(`/api/issue-categories/${cat.id}`, { version: 1, timeLimitDays: 2, isActive: false });
    expect(updated.json()).toMatchObject({ timeLimitDays: 2, isActive: false, version: 2 });
    expect((await admin.patch(`/api/issue-categories/${cat.id}`, { version: 1, name: 'x' })).statusCode).toBe(409);
    expect((await danwei.post('/api/issue-categories', { code: '0198', name: '无权', timeLimitDays: 1 })).statusCode).toBe(403);
    const res = await wangge.post('/api/issues', { source: 'grid', categoryId: cat.id, title: 't', pointId: chaoyangPoint.id });
    expect(res.json().error.details[0].path).toBe('body.categoryId');
    const dup = await admin.post('/api/issue-categories', { code: '0199', name: '重复', timeLimitDays: 1 });
    expect(dup.statusCode).toBe(409);
  });

  it('keeps the event log append-only at the database level', async () => {
    await expect(t.deps.database.query('UPDATE issue_events SET note = $1', ['x'])).rejects.toThrow(/append-only/);
    await expect(t.deps.database.query('DELETE FROM issue_events')).rejects.toThrow(/append-only/);
  });
});
