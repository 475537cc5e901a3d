import type { Holiday, SetHolidayRequest } from '../../../contracts/holidays.ts';
import type { Deps } from '../../deps.ts';
import type { Actor, RequestContext } from '../../http/actor.ts';
import { forbidden, notFound } from '../../http/errors.ts';
import { requireCityLevel } from '../../http/policy.ts';
import { newId } from '../../lib/ids.ts';
import { audit } from '../audit/index.ts';
import * as repo from './holidays.repo.ts';

const present = (r: repo.HolidayRow): Holiday => ({ id: r.id, date: r.date, kind: r.kind as Holiday['kind'], name: r.name });

/** Anyone who works with issues reads the calendar (the forms show deadlines by it). */
function requireReader(actor: Actor) {
  const p = actor.permissions;
  if (!p.has('issues.read') && !p.has('issues.report') && !p.has('issues.manage')) throw forbidden('无权查看节假日安排');
}

/** The calendar is city-wide: only a city-level holder of issues.manage edits it. */
function requireEditor(actor: Actor) {
  requireCityLevel(actor, 'issues.manage', '节假日安排全市统一，须由市级管理员维护');
}

export async function listHolidays(deps: Pick<Deps, 'db'>, ctx: RequestContext, year?: number): Promise<Holiday[]> {
  requireReader(ctx.actor);
  return (await repo.listHolidays(deps.db, year)).map(present);
}

export async function setHoliday(deps: Pick<Deps, 'db'>, ctx: RequestContext, input: SetHolidayRequest): Promise<Holiday> {
  requireEditor(ctx.actor);
  return deps.db.transaction(async (tx) => {
    const before = await repo.getHolidayByDate(tx, input.date, true);
    const row = await repo.upsertHoliday(tx, { id: newId(), date: input.date, kind: input.kind, name: input.name });
    await audit(tx, ctx, {
      action: before ? 'update' : 'create',
      entity: 'holiday',
      entityId: row.id,
      before: before ? { date: before.date, kind: before.kind, name: before.name } : undefined,
      after: { date: row.date, kind: row.kind, name: row.name },
    });
    return present(row);
  });
}

export async function deleteHoliday(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string): Promise<void> {
  requireEditor(ctx.actor);
  await deps.db.transaction(async (tx) => {
    const before = await repo.getHoliday(tx, id);
    if (!before) throw notFound('节假日');
    await repo.deleteHoliday(tx, id);
    await audit(tx, ctx, { action: 'delete', entity: 'holiday', entityId: id, before: { date: before.date, kind: before.kind, name: before.name } });
  });
}
