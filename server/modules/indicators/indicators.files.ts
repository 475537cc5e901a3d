import { sql } from 'drizzle-orm';
import { rowsOf } from '../../db/client.ts';
import { registerFileOwner } from '../files/index.ts';
import { indicatorsPolicy } from './indicators.policy.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/*
 * Attachments of a progress report: readable by whoever may see that unit's progress (the unit
 * lies in their read scope), like the report itself. Attached by the service in the report's
 * transaction.
 */
registerFileOwner('task_progress', async (deps, actor, ownerId) => {
  if (!actor.permissions.has('indicators.read') || !UUID.test(ownerId)) return false;
  const [r] = rowsOf<{ path: string }>(await deps.db.execute(sql`SELECT u.path FROM task_progress_reports p JOIN org_units u ON u.id = p.unit_id WHERE p.id = ${ownerId}`));
  return !!r && indicatorsPolicy.canSeeUnit(indicatorsPolicy.read(actor), r.path);
});

/* The signed scan of a 目标责任书: readable by whoever may see the unit (the unit itself, its superiors, the city). */
registerFileOwner('responsibility_letter', async (deps, actor, ownerId) => {
  if (!actor.permissions.has('indicators.read') || !UUID.test(ownerId)) return false;
  const [r] = rowsOf<{ path: string }>(await deps.db.execute(sql`SELECT u.path FROM responsibility_letters l JOIN org_units u ON u.id = l.unit_id WHERE l.id = ${ownerId}`));
  return !!r && indicatorsPolicy.canSeeUnit(indicatorsPolicy.read(actor), r.path);
});
