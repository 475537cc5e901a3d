import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTERNAL_INSPECTION_SOURCES, ISSUE_STATES, type IssueAction, IssueSourceLabels, type IssueState } from '../../../contracts/issues.ts';
import { type FlowEvent, replay } from '../../../domain/issue-flow.ts';
import { type Client, type TestApp, startTestApp } from '../../test/harness.ts';
import { buildDemoIssues, DEMO_ISSUE_COUNT } from './issues.demo.ts';

type Row = {
  id: string;
  number: string;
  state: IssueState;
  responsible_unit_id: string | null;
  deadline: Date | null;
  extension_pending: boolean;
  requested_deadline: Date | null;
  rework_count: number;
  relapse_count: number;
  merged_into_id: string | null;
  version: number;
  created_at: Date;
  closed_at: Date | null;
  dispatched_at: Date | null;
  category_id: string;
};
type Ev = { issue_id: string; action: IssueAction; from_state: IssueState | null; to_state: IssueState; note: string | null; data: Record<string, unknown>; at: Date };

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

describe('demo issues: a living city whose every event log replays', () => {
  let t: TestApp;
  let admin: Client;
  let rows: Row[];
  let events: Map<string, Ev[]>;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login('admin');
    // the issues module's own demo: the inspections demo files its failed items as issues too
    await t.deps.database.query(
      `CREATE VIEW demo_issues AS SELECT * FROM issues i WHERE NOT EXISTS (SELECT 1 FROM inspection_observations o WHERE o.issue_id = i.id)`,
    );
    rows = (await t.deps.database.query<Row>(`SELECT * FROM demo_issues ORDER BY created_at`)).rows;
    events = new Map();
    for (const e of (await t.deps.database.query<Ev>(`SELECT issue_id, action, from_state, to_state, note, data, at FROM issue_events ORDER BY id`)).rows) {
      events.set(e.issue_id, [...(events.get(e.issue_id) ?? []), e]);
    }
  });
  afterAll(() => t.close());

  it('replays every demo issue from its event log to the stored state', () => {
    expect(rows).toHaveLength(DEMO_ISSUE_COUNT + 1);
    for (const r of rows) {
      const log = events.get(r.id)!;
      const s = replay(
        log.map(
          (e): FlowEvent => ({
            type: e.action,
            reason: e.note,
            unitId: (e.data.unitId as string | null | undefined) ?? null,
            deadline: (e.data.deadline as string | undefined) ?? null,
            photos: (e.data.photos as string[] | undefined) ?? null,
            targetId: (e.data.targetId as string | undefined) ?? null,
            toState: e.to_state,
          }),
        ),
      );
      expect({
        state: s.state,
        unit: s.responsibleUnitId,
        deadline: s.deadline,
        pending: s.extensionPending,
        requested: s.requestedDeadline,
        rework: s.reworkCount,
        relapse: s.relapseCount,
        merged: s.mergedIntoId,
      }).toEqual({
        state: r.state,
        unit: r.responsible_unit_id,
        deadline: iso(r.deadline),
        pending: r.extension_pending,
        requested: iso(r.requested_deadline),
        rework: r.rework_count,
        relapse: r.relapse_count,
        merged: r.merged_into_id,
      });
      expect(r.version).toBe(log.length);
      for (let i = 1; i < log.length; i++) {
        expect(log[i].from_state).toBe(log[i - 1].to_state);
        expect(new Date(log[i].at).getTime()).toBeGreaterThanOrEqual(new Date(log[i - 1].at).getTime());
      }
      expect(new Date(log.at(-1)!.at).getTime()).toBeLessThan(Date.now());
      const closes = log.filter((e) => e.action === 'close');
      expect(iso(r.closed_at)).toBe(r.state === 'closed' ? iso(closes.at(-1)!.at) : null);
      const toDispatched = log.filter((e) => e.to_state === 'dispatched');
      expect(iso(r.dispatched_at)).toBe(toDispatched.length ? iso(toDispatched.at(-1)!.at) : null);
    }
  });

  it('spans every state, source and category over the last 90 days, with the special cases exactly once', async () => {
    const byState = new Map<string, number>();
    for (const r of rows) byState.set(r.state, (byState.get(r.state) ?? 0) + 1);
    for (const s of ISSUE_STATES) expect(byState.get(s) ?? 0, s).toBeGreaterThan(0);
    expect(byState.get('closed')! / rows.length).toBeGreaterThan(0.5);
    const q = async (sql: string) => (await t.deps.database.query<{ n: number }>(sql)).rows[0].n;
    expect(await q(`SELECT count(DISTINCT source)::int AS n FROM demo_issues`)).toBe(Object.keys(IssueSourceLabels).length - INTERNAL_INSPECTION_SOURCES.length);
    expect(await q(`SELECT count(*)::int AS n FROM issue_categories c WHERE c.parent_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM demo_issues i WHERE i.category_id = c.id)`)).toBe(0);
    expect(await q(`SELECT count(DISTINCT responsible_unit_id)::int AS n FROM demo_issues`)).toBeGreaterThanOrEqual(15);
    expect(await q(`SELECT count(DISTINCT point_id)::int AS n FROM demo_issues`)).toBeGreaterThanOrEqual(50);
    expect(await q(`SELECT count(DISTINCT grid_id)::int AS n FROM demo_issues`)).toBeGreaterThanOrEqual(12);
    expect(await q(`SELECT count(*)::int AS n FROM demo_issues WHERE created_at < now() - interval '91 days' OR created_at > now()`)).toBe(0);
    expect(await q(`SELECT count(*)::int AS n FROM demo_issues WHERE created_at < now() - interval '60 days'`)).toBeGreaterThan(50);

    expect(await q(`SELECT count(*)::int AS n FROM demo_issues WHERE relapse_count > 0`)).toBe(1);
    expect(await q(`SELECT count(*)::int AS n FROM demo_issues WHERE state = 'merged'`)).toBe(1);
    expect(await q(`SELECT count(*)::int AS n FROM issue_events WHERE action = 'approveExtension'`)).toBe(1);
    expect(await q(`SELECT count(*)::int AS n FROM issue_events WHERE action = 'denyExtension'`)).toBe(1);
    expect(await q(`SELECT count(*)::int AS n FROM demo_issues WHERE extension_pending`)).toBe(1);
    // one 回退 re-dispatched; the other two still wait for the dispatcher
    expect(
      await q(`SELECT count(DISTINCT r.issue_id)::int AS n FROM issue_events r JOIN issue_events d ON d.issue_id = r.issue_id AND d.id > r.id AND d.action = 'dispatch' WHERE r.action = 'return'`),
    ).toBe(1);
    expect(await q(`SELECT count(*)::int AS n FROM demo_issues WHERE state = 'returned'`)).toBe(2);
    // 返工 counted from the verifyFail events
    expect(await q(`SELECT count(*)::int AS n FROM demo_issues WHERE rework_count > 0`)).toBeGreaterThan(10);
    expect(await q(`SELECT count(*)::int AS n FROM demo_issues i WHERE rework_count <> (SELECT count(*) FROM issue_events e WHERE e.issue_id = i.id AND e.action = 'verifyFail')`)).toBe(0);
    // some overdue, some closed late
    expect(await q(`SELECT count(*)::int AS n FROM demo_issues WHERE deadline < now() AND state NOT IN ('closed', 'rejected', 'merged')`)).toBeGreaterThan(5);
    expect(await q(`SELECT count(*)::int AS n FROM demo_issues WHERE state = 'closed' AND closed_at > deadline`)).toBeGreaterThan(5);

    // the duplicate went into an issue of the same category and point, filed before it
    const merged = rows.find((r) => r.state === 'merged')!;
    const target = rows.find((r) => r.id === merged.merged_into_id)!;
    expect(target.category_id).toBe(merged.category_id);
    expect(target.created_at.getTime()).toBeLessThan(merged.created_at.getTime());
  });

  it('has photos before and after, numbers that later filings continue, and shows in the API', async () => {
    const q = async (sql: string) => (await t.deps.database.query<{ n: number }>(sql)).rows[0].n;
    expect(await q(`SELECT count(*)::int AS n FROM demo_issues i WHERE NOT EXISTS (SELECT 1 FROM files f WHERE f.owner_type = 'issue' AND f.owner_id = i.id::text)`)).toBe(0);
    // every photo an event names is a file of that issue
    expect(
      await q(`SELECT count(*)::int AS n FROM issue_events e, jsonb_array_elements_text(e.data->'photos') p
        WHERE NOT EXISTS (SELECT 1 FROM files f WHERE f.id::text = p AND f.owner_id = e.issue_id::text)`),
    ).toBe(0);
    expect(new Set(rows.map((r) => r.number)).size).toBe(rows.length);

    const point = (await admin.get('/api/org/points?pageSize=1')).json().items[0];
    const cat = (await admin.get('/api/issue-categories')).json().find((c: { parentId: string | null }) => c.parentId);
    const filed = await admin.post('/api/issues', { source: 'inspection', categoryId: cat.id, title: '新问题', pointId: point.id });
    expect(filed.statusCode, filed.body).toBe(200);
    expect(rows.map((r) => r.number)).not.toContain(filed.json().number);

    const overdue = (await admin.get('/api/issues?overdue=true&pageSize=1')).json();
    expect(overdue.total).toBeGreaterThan(5);
    const detail = (await admin.get(`/api/issues/${rows.find((r) => r.state === 'closed' && r.rework_count > 0)!.id}`)).json();
    expect(detail.events.map((e: { action: string }) => e.action)).toContain('verifyFail');
    expect(detail.files.length).toBeGreaterThanOrEqual(3);
  });

  it('has the notifications the last step of each recent issue raised, dated at the step, the older ones read', async () => {
    type N = { user_id: string; kind: string; issue_id: string; created_at: Date; read_at: Date | null };
    const notes = (await t.deps.database.query<N>(`SELECT user_id, kind, issue_id, created_at, read_at FROM notifications WHERE issue_id IS NOT NULL`)).rows;
    expect(notes.length).toBeGreaterThan(5);
    const kindOf: Partial<Record<IssueAction, string>> = { dispatch: 'issue_dispatched', return: 'issue_returned', feedback: 'issue_feedback', verifyFail: 'issue_rework', requestExtension: 'issue_extension_requested', approveExtension: 'issue_extension_approved', denyExtension: 'issue_extension_denied', reopen: 'issue_reopened' };
    const now = Date.now();
    for (const n of notes) {
      const last = events.get(n.issue_id)!.at(-1)!;
      expect(kindOf[last.action], `${n.issue_id} ${last.action}`).toBe(n.kind);
      expect(iso(n.created_at)).toBe(iso(last.at));
      expect(now - new Date(n.created_at).getTime()).toBeLessThan(30 * 86_400_000 + 3_600_000);
      expect(n.read_at === null).toBe(now - new Date(n.created_at).getTime() < 2 * 86_400_000);
    }
    expect(notes.some((n) => n.read_at === null) && notes.some((n) => n.read_at !== null)).toBe(true);
    expect(new Set(notes.map((n) => n.kind)).size).toBeGreaterThanOrEqual(3);
    // each recipient reads them through the API: the demo user told most, for one
    const [top] = (
      await t.deps.database.query<{ id: string; username: string }>(
        `SELECT u.id, u.username FROM notifications n JOIN users u ON u.id = n.user_id GROUP BY u.id, u.username ORDER BY count(*) DESC, u.username LIMIT 1`,
      )
    ).rows;
    const mineInDb = notes.filter((n) => n.user_id === top.id);
    expect(mineInDb.length).toBeGreaterThan(0);
    const page = (await (await t.login(top.username)).get('/api/notifications?pageSize=50')).json() as { total: number; unreadCount: number };
    expect([page.total, page.unreadCount]).toEqual([mineInDb.length, mineInDb.filter((n) => n.read_at === null).length]);
  });

  it('is deterministic: the same city and the same moment give the same issues', async () => {
    const now = new Date();
    const shape = async () => {
      const b = await buildDemoIssues(t.deps.db, t.deps.crypto, now);
      return {
        issues: b.issueRows.map((r) => [r.number, r.title, r.state, r.source, r.severity, r.categoryId, r.pointId, r.responsibleUnitId, r.deadline, r.reworkCount, r.createdAt]),
        events: b.eventRows.map((e) => [e.action, e.toState, e.actorId, e.note, e.at]),
        files: b.fileRows.length,
      };
    };
    const a = await shape();
    expect(a.issues).toHaveLength(DEMO_ISSUE_COUNT + 1);
    expect(await shape()).toEqual(a);
  });
});
