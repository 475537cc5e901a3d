import { formatDateTime } from '../../../domain/cn-date.ts';
import { sql } from 'drizzle-orm';
import type { IssueAction } from '../../../contracts/issues.ts';
import type { NotificationKind } from '../../../contracts/notifications.ts';
import { rowsOf, type Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import { audit } from '../audit/index.ts';
import { type NotificationMessage, notify, Outbox } from '../notifications/index.ts';
import type { IssueRow } from './issues.repo.ts';

/**
 * Who hears of which step of the flow (in-app now; webhook/SMS through the notification channels):
 * 派遣 → the responsible unit; 回退 → the area's dispatchers; 整改反馈 → the verifiers (网格员 of the
 * grid and the reporter when an inspector; else the area's dispatchers); 核查不通过 → the unit;
 * 延期申请 → dispatchers; 批准/驳回延期 → the unit; 回潮 → the unit. The actor is never told of
 * their own step.
 */

/** 2026-11-24T15:59:59Z → 2026年11月24日 23:59 (Asia/Shanghai). */
export function shanghaiText(iso: string | Date): string {
  return formatDateTime(iso);
}

const hasPermission = (perm: string) =>
  sql`EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.code = ur.role_code WHERE ur.user_id = u.id AND ${perm} = ANY(r.permissions))`;

/** Active members of a unit who can read issues. */
export async function unitUsers(db: Executor, unitId: string): Promise<string[]> {
  const res = await db.execute(sql`SELECT u.id FROM users u WHERE u.unit_id = ${unitId} AND u.is_active AND ${hasPermission('issues.read')} ORDER BY u.id`);
  return rowsOf<{ id: string }>(res).map((r) => r.id);
}

/** The nearest dispatchers of an area: holders of issues.dispatch in the deepest unit above (or at) the area. */
export async function areaDispatchers(db: Executor, areaPath: string): Promise<string[]> {
  const res = await db.execute(sql`
    WITH d AS (
      SELECT u.id, ou.depth FROM users u JOIN org_units ou ON ou.id = u.unit_id
      WHERE u.is_active AND ${areaPath} LIKE ou.path || '%' AND ${hasPermission('issues.dispatch')})
    SELECT id FROM d WHERE depth = (SELECT max(depth) FROM d) ORDER BY id`);
  return rowsOf<{ id: string }>(res).map((r) => r.id);
}

/** 网格员 of the issue's grid and the reporter when they may verify; the area's dispatchers when there is none. */
export async function issueVerifiers(db: Executor, issue: Pick<IssueRow, 'gridId' | 'reporterId' | 'areaPath'>): Promise<string[]> {
  const res = await db.execute(sql`
    SELECT u.id FROM users u WHERE u.is_active AND ${hasPermission('issues.verify')} AND (
      u.id IN (SELECT gw.user_id FROM grid_workers gw WHERE gw.grid_id = ${issue.gridId})
      OR u.id = ${issue.reporterId})
    ORDER BY u.id`);
  const ids = rowsOf<{ id: string }>(res).map((r) => r.id);
  return ids.length ? ids : areaDispatchers(db, issue.areaPath);
}

type EventInfo = {
  action: Exclude<IssueAction, 'report'>;
  issue: IssueRow;
  actorId: string | null;
  note: string | null;
  unitName: string | null;
};

const link = (issueId: string) => `/issues/${issueId}`;

/** The steps that tell someone (the others — 立案, 签收, 核查通过, 结案 … — notify no one). */
export const NOTIFYING_ACTIONS: ReadonlySet<IssueAction> = new Set<IssueAction>(['dispatch', 'return', 'feedback', 'verifyFail', 'requestExtension', 'approveExtension', 'denyExtension', 'reopen']);

/** The notifications one step of the flow raises (written by the caller's transaction). */
export async function messagesForEvent(db: Executor, e: EventInfo): Promise<NotificationMessage[]> {
  const i = e.issue;
  const unit = async () => (i.responsibleUnitId ? unitUsers(db, i.responsibleUnitId) : []);
  const deadline = i.deadline ? shanghaiText(i.deadline) : '未定';
  let recipients: string[] = [];
  let kind: NotificationKind;
  let title: string;
  let body: string;
  switch (e.action) {
    case 'dispatch':
      recipients = await unit();
      kind = 'issue_dispatched';
      title = `新派遣问题 ${i.number}`;
      body = `「${i.title}」已派遣至${e.unitName ?? '本单位'}，处置期限 ${deadline}，请及时签收整改。`;
      break;
    case 'return':
      recipients = await areaDispatchers(db, i.areaPath);
      kind = 'issue_returned';
      title = `问题被回退 ${i.number}`;
      body = `「${i.title}」被${e.unitName ?? '责任单位'}回退，理由：${e.note ?? ''}。请重新派遣。`;
      break;
    case 'feedback':
      recipients = await issueVerifiers(db, i);
      kind = 'issue_feedback';
      title = `待核查 ${i.number}`;
      body = `「${i.title}」已由${e.unitName ?? '责任单位'}反馈整改结果，请到现场核查。`;
      break;
    case 'verifyFail':
      recipients = await unit();
      kind = 'issue_rework';
      title = `核查不通过 ${i.number}`;
      body = `「${i.title}」核查未通过（第 ${i.reworkCount} 次返工），意见：${e.note ?? ''}。请继续整改，期限 ${deadline}。`;
      break;
    case 'requestExtension':
      recipients = await areaDispatchers(db, i.areaPath);
      kind = 'issue_extension_requested';
      title = `延期申请 ${i.number}`;
      body = `「${i.title}」申请延期至 ${i.requestedDeadline ? shanghaiText(i.requestedDeadline) : ''}，理由：${e.note ?? ''}。`;
      break;
    case 'approveExtension':
      recipients = await unit();
      kind = 'issue_extension_approved';
      title = `延期已批准 ${i.number}`;
      body = `「${i.title}」的延期申请已批准，新期限 ${deadline}。`;
      break;
    case 'denyExtension':
      recipients = await unit();
      kind = 'issue_extension_denied';
      title = `延期被驳回 ${i.number}`;
      body = `「${i.title}」的延期申请被驳回，理由：${e.note ?? ''}。期限仍为 ${deadline}。`;
      break;
    case 'reopen':
      recipients = await unit();
      kind = 'issue_reopened';
      title = `问题回潮 ${i.number}`;
      body = `已结案的「${i.title}」再次出现（回潮），已重新派遣，期限 ${deadline}。`;
      break;
    default:
      return [];
  }
  return recipients.filter((u) => u !== e.actorId).map((userId) => ({ userId, kind, title, body, link: link(i.id), issueId: i.id }));
}

/** Raises the notifications of one step inside its transaction. */
export async function notifyIssueEvent(tx: Executor, outbox: Outbox, e: EventInfo): Promise<void> {
  await notify(tx, outbox, await messagesForEvent(tx, e));
}

/**
 * Reminders to the responsible unit for issues it holds (派遣 or 整改中) that are due within the
 * due-soon window or overdue: at most one per issue, user and Shanghai day (dedupe key), in one
 * statement. Returns how many were sent. Run by the schedule `issues.due-reminders` (every
 * REMINDER_INTERVAL_MINUTES, once across all nodes: issues.schedules.ts) and by `npx chuangwen remind`.
 */
export async function sendDueReminders(deps: Pick<Deps, 'db' | 'config'>, now: Date = new Date()): Promise<{ sent: number; dueSoon: number; overdue: number }> {
  const outbox = new Outbox();
  const day = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  const nowIso = now.toISOString();
  const result = await deps.db.transaction(async (tx) => {
    const res = await tx.execute(sql`
      INSERT INTO notifications (id, user_id, kind, title, body, link, issue_id, dedupe_key, created_at)
      SELECT gen_random_uuid(), u.id,
        CASE WHEN i.deadline < ${nowIso}::timestamptz THEN 'issue_overdue' ELSE 'issue_due_soon' END,
        CASE WHEN i.deadline < ${nowIso}::timestamptz THEN '已超期 ' ELSE '即将到期 ' END || i.number,
        '「' || i.title || '」处置期限 ' || to_char((i.deadline AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY"年"FMMM"月"FMDD"日" HH24:MI')
          || CASE WHEN i.deadline < ${nowIso}::timestamptz THEN '，已超期，请尽快整改并反馈。' ELSE '，即将到期，请抓紧整改或申请延期。' END,
        '/issues/' || i.id, i.id,
        'remind:' || i.id || ':' || u.id || ':' || ${day},
        ${nowIso}::timestamptz
      FROM issues i JOIN users u ON u.unit_id = i.responsible_unit_id AND u.is_active
      WHERE i.state IN ('dispatched', 'rectifying') AND i.deadline IS NOT NULL
        AND i.deadline < ${nowIso}::timestamptz + make_interval(hours => ${deps.config.issues.dueSoonHours}::int)
        AND ${hasPermission('issues.read')}
      ON CONFLICT (dedupe_key) DO NOTHING
      RETURNING id, user_id, kind, title, body, link, issue_id, dedupe_key, created_at`);
    const rows = rowsOf<{ id: string; user_id: string; kind: string; title: string; body: string; link: string; issue_id: string; dedupe_key: string; created_at: string | Date }>(res);
    for (const r of rows) {
      outbox.items.push({
        id: r.id,
        userId: r.user_id,
        kind: r.kind as NotificationKind,
        title: r.title,
        body: r.body,
        link: r.link,
        issueId: r.issue_id,
        dedupeKey: r.dedupe_key,
        createdAt: new Date(r.created_at).toISOString(),
      });
    }
    const overdue = rows.filter((r) => r.kind === 'issue_overdue').length;
    const counts = { sent: rows.length, dueSoon: rows.length - overdue, overdue };
    if (rows.length > 0) await audit(tx, null, { action: 'remind', entity: 'notification', entityId: null, after: { ...counts, day } });
    return counts;
  });
  await outbox.flush(deps);
  return result;
}
