import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkLayering, readSources, report, type SourceFile } from './layering.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Files that broke a rule when the checker arrived (issue #15) and are being moved; this list only
 * shrinks. A file listed here that no longer breaks its rule fails the test too: delete its line.
 */
const KNOWN = new Set<string>([
  'sql server/modules/audit/audit.service.ts',
  'sql server/modules/files/files.generated.ts',
  'module server/modules/indicators/evidence/evidence.demo.ts',
  'sql server/modules/indicators/indicators.files.ts',
  'sql server/modules/indicators/letters.service.ts',
  'sql server/modules/indicators/task-import.ts',
  'sql server/modules/indicators/tasks.service.ts',
  'sql server/modules/issues/city-bounds.ts',
  'module server/modules/issues/issues.demo.ts',
  'sql server/modules/issues/issues.notify.ts',
  'module server/modules/org/grids.repo.ts',
  'module server/modules/org/import/import.repo.ts',
  'sql server/modules/saved-views/saved-views.service.ts',
  'sql server/modules/system/rate-limit.ts',
  'sql server/modules/system/system.routes.ts',
  'module server/modules/users/users.repo.ts',
]);

describe('layering (ARCHITECTURE.md, "Layering rules")', () => {
  it('holds for the code base', () => {
    const all = checkLayering(readSources(ROOT));
    const fresh = all.filter((v) => !KNOWN.has(`${v.rule} ${v.file}`));
    expect(fresh, `layering broken:\n${report(fresh)}`).toEqual([]);
    const still = new Set(all.map((v) => `${v.rule} ${v.file}`));
    const stale = [...KNOWN].filter((k) => !still.has(k));
    expect(stale, `these files keep to the rules now: delete their lines from KNOWN in server/test/layering.test.ts`).toEqual([]);
  }, 60_000);

  const check = (...files: SourceFile[]) => checkLayering(files);

  it('finds SQL outside a repository: sql`…`, db/tx statements, chained builders, executeNamed', () => {
    const vs = check({
      path: 'server/modules/things/things.service.ts',
      text: [
        "import { sql } from 'drizzle-orm';",
        'export async function a(deps, tx) {',
        '  await deps.db.execute(sql`SELECT 1`);',
        '  const rows = await tx',
        '    .select()',
        '    .from(things);',
        '  await tx.insert(things).values({});',
        '  await tx.update(things).set({ a: 1 });',
        '  await tx.delete(things);',
        "  await executeNamed(deps.db, 'x', sql`SELECT 2`, []);",
        '  const cond = sql`a = 1`;',
        "  await deps.database.query('SELECT 1');",
        '  return tx.transaction(async () => rows);',
        '}',
      ].join('\n'),
    });
    expect(vs.map((v) => [v.rule, v.line, v.what])).toEqual([
      ['sql', 3, 'db.execute(…)'],
      ['sql', 4, 'tx.select(…)'],
      ['sql', 7, 'tx.insert(…)'],
      ['sql', 8, 'tx.update(…)'],
      ['sql', 9, 'tx.delete(…)'],
      ['sql', 10, 'executeNamed(…)'],
      ['sql', 11, 'sql`…`'],
      ['sql', 12, 'database.query(…)'],
    ]);
    expect(vs[0].message).toContain('server/modules/things/things.service.ts:3 runs a SQL statement (db.execute(…)) outside a repository');
    expect(vs[0].message).toContain('Move it into server/modules/things/things.repo.ts');
  });

  it('lets repositories, tables, server/db, seeds, demo data, fixtures and tests run SQL, and policies build conditions', () => {
    const body = "import { sql } from 'drizzle-orm';\nexport const f = (db) => db.execute(sql`SELECT 1`);\n";
    for (const p of [
      'server/modules/things/things.repo.ts',
      'server/modules/things/things.tables.ts',
      'server/db/client.ts',
      'server/seed/demo.ts',
      'server/modules/things/things.seed.ts',
      'server/modules/things/things.demo.ts',
      'server/modules/things/things.fixtures.ts',
      'server/modules/things/things.int.test.ts',
      'server/lib/backup.ts',
      'web/admin/api.ts',
      'bench/run.ts',
    ]) {
      expect(check({ path: p, text: body }), p).toEqual([]);
    }
    const policy = check({ path: 'server/modules/things/things.policy.ts', text: body });
    expect(policy.map((v) => v.what)).toEqual(['db.execute(…)']);
    expect(check({ path: 'server/modules/things/things.policy.ts', text: "export const cond = (p) => sql`t.path LIKE ${" + "p}`;" })).toEqual([]);
    // calls that only look alike: storage, maps, the web client
    expect(check({ path: 'server/modules/things/things.service.ts', text: 'storage.delete(k); map.delete(k); cache.update(x); list.select?.(1);' })).toEqual([]);
  });

  it("finds a module importing another module's internals, and tells what to import instead", () => {
    const vs = check(
      { path: 'server/modules/a/a.service.ts', text: "import { x } from '../b/b.service.ts';\nimport { y } from '../b/index.ts';\nimport { z } from './a.repo.ts';\n" },
      { path: 'server/modules/a/a.repo.ts', text: "import { bees } from '../b/b.tables.ts';\nimport { bees as ok } from '../../db/schema.ts';\n" },
      { path: 'server/modules/a/a.tables.ts', text: "import { bees } from '../b/b.tables.ts';\n" },
      { path: 'server/modules/a/sub/deep.ts', text: "import type { T } from '../../b/sub/thing.ts';\nimport { f } from '../a.service.ts';\n" },
      { path: 'server/modules/a/a.int.test.ts', text: "import { fixture } from '../b/b.fixtures.ts';\n" },
    );
    expect(vs.map((v) => [v.rule, v.file, v.line, v.what])).toEqual([
      ['module', 'server/modules/a/a.service.ts', 1, '../b/b.service.ts'],
      ['module', 'server/modules/a/a.repo.ts', 1, '../b/b.tables.ts'],
      ['module', 'server/modules/a/sub/deep.ts', 1, '../../b/sub/thing.ts'],
    ]);
    expect(vs[0].message).toContain("Export what you need from server/modules/b/index.ts and import it from there (import { … } from '../b/index.ts')");
    expect(vs[1].message).toContain("import the table from server/db/schema.ts (import { … } from '../../db/schema.ts')");
  });

  it("finds server/http reaching into a module's internals", () => {
    const vs = check({
      path: 'server/http/auth.ts',
      text: "import { resolveSession } from '../modules/auth/auth.service.ts';\nimport { authRoutes } from '../modules/auth/index.ts';\nimport { AppError } from './errors.ts';\n",
    });
    expect(vs.map((v) => [v.rule, v.line])).toEqual([['http', 1]]);
    expect(vs[0].message).toContain('Export it from server/modules/auth/index.ts');
  });

  it('finds domain/ and contracts/ importing server code, the web importing server code, server/lib importing a module', () => {
    const vs = check(
      { path: 'domain/rules.ts', text: "import { AppError } from '../server/http/errors.ts';\nimport { Id } from '../contracts/common.ts';\nimport { z } from 'zod';\n" },
      { path: 'contracts/things.ts', text: "import { Label } from '../web/shared/labels.ts';\nimport { rule } from '../domain/rules.ts';\n" },
      { path: 'web/admin/things.tsx', text: "import { SESSION_SQL } from '../../server/modules/auth/index.ts';\nimport { Thing } from '../../contracts/things.ts';\n" },
      { path: 'server/lib/zip.ts', text: "import { audit } from '../modules/audit/index.ts';\nimport { sha256 } from './crypto.ts';\n" },
    );
    expect(vs.map((v) => [v.rule, v.file, v.line])).toEqual([
      ['shared', 'domain/rules.ts', 1],
      ['shared', 'contracts/things.ts', 1],
      ['web', 'web/admin/things.tsx', 1],
      ['lib', 'server/lib/zip.ts', 1],
    ]);
  });
});
