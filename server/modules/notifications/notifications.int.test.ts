import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssueAction, IssueCategory, IssueDetail } from '../../../contracts/issues.ts';
import type { NotificationPage } from '../../../contracts/notifications.ts';
import { type Client, type TestApp, startTestApp } from '../../test/harness.ts';
import { sendDueReminders } from '../issues/issues.notify.ts';

type Point = { id: string; gridId: string | null };

describe('notifications: raised by the flow, read by their owner, webhook, due reminders', () => {
  let t: TestApp;
  let admin: Client;
  let qu: Client;
  let danwei: Client;
  let wangge: Client;
  let ducha: Client;
  let cgj: string;
  let point: Point;
  let categoryId: string;

  beforeAll(async () => {
    t = await startTestApp();
    [admin, qu, danwei, wangge, ducha] = await Promise.all(['admin', 'qu_admin', 'danwei', 'wangge', 'ducha'].map((u) => t.login(u)));
    cgj = (await admin.get(`/api/org/units?q=${encodeURIComponent('市城市管理局')}`)).json().items[0].id;
    point = ((await wangge.get('/api/org/points?pageSize=200')).json().items as Point[]).find((p) => p.gridId)!;
    categoryId = ((await admin.get('/api/issue-categories')).json() as IssueCategory[]).find((c) => c.name === '暴露垃圾')!.id;
  });
  afterAll(() => t.close());

  const act = (c: Client, issue: { id: string; version: number }, action: IssueAction, body: Record<string, unknown> = {}) =>
    c.post(`/api/issues/${issue.id}/actions/${action}`, { version: issue.version, ...body });
  async function ok(c: Client, issue: { id: string; version: number }, action: IssueAction, body: Record<string, unknown> = {}): Promise<IssueDetail> {
    const res = await act(c, issue, action, body);
    expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
    return res.json();
  }
  async function dispatched(who = { wangge, qu }, dispatch: Record<string, unknown> = {}): Promise<IssueDetail> {
    const res = await who.wangge.post('/api/issues', { source: 'grid', categoryId, title: '路边暴露垃圾', pointId: point.id });
    expect(res.statusCode, res.body).toBe(200);
    let i = await ok(who.qu, res.json(), 'accept');
    i = await ok(who.qu, i, 'dispatch', { unitId: cgj, ...dispatch });
    return i;
  }
  const mine = async (c: Client, q = '') => (await c.get(`/api/notifications?pageSize=200${q}`)).json() as NotificationPage;
  const about = async (c: Client, issueId: string) => (await mine(c)).items.filter((n) => n.issueId === issueId).map((n) => n.kind);

  it('tells each role of the step that concerns it, never the actor', async () => {
    let i = await dispatched();
    expect(await about(danwei, i.id)).toEqual(['issue_dispatched']);
    expect(await about(qu, i.id)).toEqual([]);
    const n = (await mine(danwei)).items.find((x) => x.issueId === i.id)!;
    expect(n).toMatchObject({ title: `新派遣问题 ${i.number}`, link: `/issues/${i.id}`, readAt: null });
    expect(n.body).toContain('市城市管理局');
    expect(n.body).toMatch(/处置期限 \d{4}年\d{1,2}月\d{1,2}日 23:59/);

    // 回退 → the nearest dispatchers of the area (the district office, not the city)
    i = await ok(danwei, i, 'return', { note: '不属于本单位职责' });
    expect(await about(qu, i.id)).toEqual(['issue_returned']);
    expect(await about(admin, i.id)).toEqual([]);
    i = await ok(qu, i, 'dispatch', { unitId: cgj });
    i = await ok(danwei, i, 'sign');
    // 延期申请 → dispatchers; 批准 → the unit
    i = await ok(danwei, i, 'requestExtension', { note: '需协调施工单位', deadline: new Date(Date.now() + 9 * 86_400_000).toISOString() });
    expect(await about(qu, i.id)).toEqual(['issue_extension_requested', 'issue_returned']);
    i = await ok(qu, i, 'approveExtension');
    i = await ok(danwei, i, 'requestExtension', { note: '再延期', deadline: new Date(Date.now() + 19 * 86_400_000).toISOString() });
    i = await ok(qu, i, 'denyExtension', { note: '不同意' });
    // 整改反馈 → the grid worker of the grid (also the reporter)
    const photo = await uploadPhoto(danwei);
    i = await ok(danwei, i, 'feedback', { note: '已清理', photos: [photo] });
    expect(await about(wangge, i.id)).toEqual(['issue_feedback']);
    // 核查不通过 → the unit
    i = await ok(ducha, i, 'verifyFail', { note: '仍有残留' });
    const unitKinds = await about(danwei, i.id);
    expect(unitKinds).toEqual(['issue_rework', 'issue_extension_denied', 'issue_extension_approved', 'issue_dispatched', 'issue_dispatched']);
    const rework = (await mine(danwei)).items.find((x) => x.issueId === i.id && x.kind === 'issue_rework')!;
    expect(rework.body).toContain('第 1 次返工');
    expect(rework.body).toContain('仍有残留');
    // a refused action (stale version) notifies no one
    const countBefore = (await mine(wangge)).total;
    expect((await act(danwei, { id: i.id, version: i.version - 1 }, 'feedback', { photos: [photo] })).statusCode).toBe(409);
    expect((await mine(wangge)).total).toBe(countBefore);
  });

  it('lists only my notifications with the unread count; marks one or all read, audited', async () => {
    const i = await dispatched();
    const page = await mine(danwei, '&unread=true');
    expect(page.unreadCount).toBe(page.total);
    expect(page.items.every((n) => n.readAt === null)).toBe(true);
    const n = page.items.find((x) => x.issueId === i.id)!;
    expect((await qu.post(`/api/notifications/${n.id}/read`)).statusCode).toBe(404);
    const read = await danwei.post(`/api/notifications/${n.id}/read`);
    expect(read.statusCode).toBe(200);
    expect(read.json().readAt).not.toBeNull();
    expect((await mine(danwei)).unreadCount).toBe(page.unreadCount - 1);
    expect((await danwei.get('/api/notifications?pageSize=500')).statusCode).toBe(400);
    const all = (await danwei.post('/api/notifications/read-all')).json();
    expect(all).toEqual({ updated: page.unreadCount - 1, unreadCount: 0 });
    expect((await mine(danwei)).unreadCount).toBe(0);
    const audit = await t.deps.database.query<{ action: string }>(`SELECT action FROM audit_log WHERE entity = 'notification' AND actor_id IS NOT NULL ORDER BY at`);
    expect(audit.rows.map((r) => r.action)).toEqual(['read', 'read_all']);
  });

  it('posts notifications as JSON to NOTIFY_WEBHOOK_URL once the step is committed', async () => {
    const received: { body: unknown; type: string | undefined }[] = [];
    let status = 200;
    let onPost: () => void = () => {};
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        received.push({ body: JSON.parse(Buffer.concat(chunks).toString('utf8')), type: req.headers['content-type'] });
        res.statusCode = status;
        res.end('ok');
        onPost();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const hooked = await startTestApp({ ...t.deps.config, notifyWebhookUrl: url });
    try {
      const [w, q] = await Promise.all([hooked.login('wangge'), hooked.login('qu_admin')]);
      const posted = new Promise<void>((r) => {
        onPost = r;
      });
      const i = await dispatched({ wangge: w, qu: q });
      await posted;
      expect(received).toHaveLength(1);
      expect(received[0].type).toMatch(/^application\/json/);
      const body = received[0].body as { notifications: { kind: string; issueId: string; title: string; userId: string }[] };
      expect(body.notifications).toHaveLength(1);
      expect(body.notifications[0]).toMatchObject({ kind: 'issue_dispatched', issueId: i.id, title: `新派遣问题 ${i.number}` });
      // a failing webhook never undoes the step: the in-app notification is there
      status = 500;
      const failed = new Promise<void>((r) => {
        onPost = r;
      });
      const j = await dispatched({ wangge: w, qu: q });
      await failed;
      const d = await hooked.login('danwei');
      expect(((await d.get('/api/notifications?pageSize=200')).json() as NotificationPage).items.some((n) => n.issueId === j.id)).toBe(true);
    } finally {
      await hooked.close();
      server.close();
    }
  });

  it('reminds the unit of soon-due and overdue issues once per issue and day', async () => {
    const soon = await dispatched({ wangge, qu }, { deadline: new Date(Date.now() + 3 * 3_600_000).toISOString() });
    const now = new Date();
    const first = await sendDueReminders(t.deps, now);
    expect(first.sent).toBeGreaterThanOrEqual(1);
    const kinds = await about(danwei, soon.id);
    expect(kinds.filter((k) => k === 'issue_due_soon')).toHaveLength(1);
    const again = await sendDueReminders(t.deps, now);
    expect(again.sent).toBe(0);
    expect((await about(danwei, soon.id)).filter((k) => k === 'issue_due_soon')).toHaveLength(1);
    // the next day the deadline has passed: one overdue reminder
    const tomorrow = new Date(now.getTime() + 86_400_000);
    const next = await sendDueReminders(t.deps, tomorrow);
    expect(next.overdue).toBeGreaterThanOrEqual(1);
    const n = (await mine(danwei)).items.find((x) => x.issueId === soon.id && x.kind === 'issue_overdue')!;
    expect(n.title).toBe(`已超期 ${soon.number}`);
    expect(n.body).toMatch(/处置期限 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}，已超期/);
    expect((await sendDueReminders(t.deps, tomorrow)).sent).toBe(0);
    // issues not held by a unit (closed, reported) are never reminded
    const closedCount = await t.deps.database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM notifications n JOIN issues i ON i.id = n.issue_id WHERE n.kind IN ('issue_due_soon', 'issue_overdue') AND i.state NOT IN ('dispatched', 'rectifying')`,
    );
    expect(closedCount.rows[0].n).toBe(0);
    const audit = await t.deps.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE entity = 'notification' AND action = 'remind'`);
    expect(audit.rows[0].n).toBe(2);
  });
});

async function uploadPhoto(c: Client): Promise<string> {
  const { jpegWithExif } = await import('../files/files.fixtures.ts');
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(await jpegWithExif({}, 320, 240))], { type: 'image/jpeg' }), '整改后.jpg');
  const res = new Response(form);
  const out = await c.request('POST', '/api/files', Buffer.from(await res.arrayBuffer()), { 'content-type': res.headers.get('content-type')! });
  expect(out.statusCode, out.body).toBe(200);
  const body = out.json();
  return (Array.isArray(body) ? body[0] : (body.files?.[0] ?? body.items?.[0] ?? body)).id;
}
