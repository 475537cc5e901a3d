import { and, asc, eq } from 'drizzle-orm';
import type { SavedView, SaveViewRequest } from '../../../contracts/saved-views.ts';
import type { Deps } from '../../deps.ts';
import type { RequestContext } from '../../http/actor.ts';
import { AppError, notFound } from '../../http/errors.ts';
import { newId } from '../../lib/ids.ts';
import { audit } from '../audit/index.ts';
import { savedViews } from './saved-views.tables.ts';

type Row = typeof savedViews.$inferSelect;
const present = (r: Row): SavedView => ({
  id: r.id,
  page: r.page,
  name: r.name,
  query: r.query as SavedView['query'],
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

/** A user keeps at most this many views per page. */
export const MAX_VIEWS_PER_PAGE = 50;

/** The actor's own views of a page, by name. Views are personal: no permission beyond being signed in. */
export async function listViews(deps: Pick<Deps, 'db'>, ctx: RequestContext, page: string): Promise<SavedView[]> {
  const rows = await deps.db
    .select()
    .from(savedViews)
    .where(and(eq(savedViews.userId, ctx.actor.userId), eq(savedViews.page, page)))
    .orderBy(asc(savedViews.name));
  return rows.map(present);
}

/** Saves a view; one of the same page and name is replaced. */
export async function saveView(deps: Pick<Deps, 'db'>, ctx: RequestContext, input: SaveViewRequest): Promise<SavedView> {
  return deps.db.transaction(async (tx) => {
    const mine = and(eq(savedViews.userId, ctx.actor.userId), eq(savedViews.page, input.page));
    const existing = await tx.select().from(savedViews).where(mine).for('update');
    const before = existing.find((v) => v.name === input.name);
    if (!before && existing.length >= MAX_VIEWS_PER_PAGE) {
      throw new AppError('BUSINESS_RULE', `每个页面最多保存 ${MAX_VIEWS_PER_PAGE} 个视图，请先删除不用的视图`, [{ path: 'body.name', message: '视图数量已达上限' }]);
    }
    const [row] = await tx
      .insert(savedViews)
      .values({ id: newId(), userId: ctx.actor.userId, page: input.page, name: input.name, query: input.query })
      .onConflictDoUpdate({ target: [savedViews.userId, savedViews.page, savedViews.name], set: { query: input.query, updatedAt: new Date() } })
      .returning();
    await audit(tx, ctx, {
      action: before ? 'update' : 'create',
      entity: 'saved_view',
      entityId: row.id,
      before: before ? { page: before.page, name: before.name, query: before.query } : undefined,
      after: { page: row.page, name: row.name, query: row.query },
    });
    return present(row);
  });
}

export async function deleteView(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(savedViews)
      .where(and(eq(savedViews.id, id), eq(savedViews.userId, ctx.actor.userId)));
    if (!row) throw notFound('视图');
    await tx.delete(savedViews).where(eq(savedViews.id, id));
    await audit(tx, ctx, { action: 'delete', entity: 'saved_view', entityId: id, before: { page: row.page, name: row.name, query: row.query } });
  });
}
