import { getTableName } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';

/**
 * The registry of scope-carrying columns: every column that keeps a copy of an org unit's
 * materialised path (`/<city>/<district>/<street>/…/`) so that "records of my subtree" is one
 * indexed prefix match. When a unit moves, `moveUnit` rewrites the prefix of every registered
 * column in the move's transaction (units.repo.ts `rewriteSubtreePaths`); a column that is not
 * registered would keep the old path and the record would stay visible to the old district and
 * invisible to the new one.
 *
 * A module registers its columns once, at import, from a `<module>.scope-paths.ts` file that its
 * `index.ts` imports (as `issues/issues.scope-paths.ts` does):
 *
 *     registerScopePath(issues, issues.areaPath, '问题所在地');
 *
 * `scope-paths.int.test.ts` lists every `*_path` column of the database (information_schema) and
 * fails on one that is not registered.
 */
export type ScopePathColumn = { table: string; column: string; label: string };

const columns = new Map<string, ScopePathColumn>();

export function registerScopePath(table: PgTable, column: PgColumn, label: string): void {
  const entry = { table: getTableName(table), column: column.name, label };
  if (column.table !== table) throw new Error(`scope path ${entry.table}.${entry.column}: the column belongs to another table`);
  columns.set(`${entry.table}.${entry.column}`, entry);
}

/** Every registered column, in a stable order (the rewrite locks rows in this order). */
export function registeredScopePaths(): ScopePathColumn[] {
  return [...columns.values()].sort((a, b) => `${a.table}.${a.column}`.localeCompare(`${b.table}.${b.column}`));
}
