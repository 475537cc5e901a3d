import { sql } from 'drizzle-orm';
import { chinaDate } from '../../../domain/issue-metrics.ts';
import { type Executor, rowsOf } from '../../db/client.ts';
import { formatDocumentNumber } from '../../lib/gbt9704.ts';
import { newId } from '../../lib/ids.ts';
import * as repo from './supervision.repo.ts';
import { daysOverdue, defaultLetterText, issuerOf, LETTER_ORG_CODE, letterItems } from './supervision.service.ts';

const DAY_MS = 86_400_000;

/**
 * The demo city's 督办函: one letter, sent two days ago by the city office (admin) to the unit with
 * the most overdue or repeat issues — 市城市管理局 when it has any, so the demo user `danwei` can
 * reply — naming up to six of them, with a reply deadline five days after sending. The Word
 * document is generated on its first download (seeds have no file storage). Runs inside the demo
 * city's transaction after the demo issues; does nothing when no issue is overdue or repeated.
 */
export async function seedDemoLetter(tx: Executor, now: Date = new Date()): Promise<{ letters: number }> {
  const sentAt = new Date(now.getTime() - 2 * DAY_MS);
  const admin = rowsOf<{ id: string; unit_id: string; path: string }>(
    await tx.execute(sql`SELECT u.id, u.unit_id, o.path FROM users u JOIN org_units o ON o.id = u.unit_id WHERE u.username = 'admin'`),
  )[0];
  if (!admin) return { letters: 0 };
  const units = await repo.candidateUnits(tx, sentAt, { isAll: true });
  if (!units.length) return { letters: 0 };
  const unit = units.find((u) => u.unit_name === '市城市管理局') ?? units[0];
  const issues = (await repo.candidateIssues(tx, unit.unit_id, sentAt, { isAll: true })).slice(0, 6);
  const root = rowsOf<{ id: string; name: string; path: string }>(await tx.execute(sql`SELECT id, name, path FROM org_units WHERE parent_id IS NULL ORDER BY sort LIMIT 1`))[0];
  const recipient = rowsOf<{ path: string }>(await tx.execute(sql`SELECT path FROM org_units WHERE id = ${unit.unit_id}`))[0];
  const year = Number(chinaDate(sentAt).slice(0, 4));
  const seq = await repo.nextLetterSeq(tx, root.id, year);
  const id = newId();
  const replyDeadline = chinaDate(new Date(sentAt.getTime() + 5 * DAY_MS));
  const reasons = new Set(
    issues.flatMap((i) => [
      ...(daysOverdue(i.deadline, sentAt) > 0 ? (['overdue'] as const) : []),
      ...(i.rework_count > 0 ? (['rework'] as const) : []),
      ...(i.relapse_count > 0 ? (['relapse'] as const) : []),
    ]),
  );
  const { title, body } = defaultLetterText(issues.length, reasons, replyDeadline);
  await repo.insertLetter(tx, {
    id,
    number: formatDocumentNumber(LETTER_ORG_CODE, year, seq),
    officeUnitId: root.id,
    year,
    seq,
    unitId: unit.unit_id,
    unitPath: recipient.path,
    issuerUnitId: admin.unit_id,
    issuerPath: admin.path,
    issuer: issuerOf(root.name),
    title,
    body,
    replyDeadline,
    state: 'sent',
    createdBy: admin.id,
    createdAt: sentAt,
    updatedAt: sentAt,
  });
  await repo.insertItems(tx, letterItems(id, issues, sentAt));
  await tx.execute(sql`INSERT INTO supervision_letter_events (letter_id, action, from_state, to_state, actor_id, actor_unit_id, data, at)
    VALUES (${id}, 'send', NULL, 'sent', ${admin.id}, ${admin.unit_id}, ${JSON.stringify({ issueIds: issues.map((i) => i.id) })}::jsonb, ${sentAt.toISOString()})`);
  return { letters: 1 };
}
