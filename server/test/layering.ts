/**
 * The layering rules of ARCHITECTURE.md ("Layering rules"), checked over the source text by
 * `server/test/layering.test.ts` in `npm test` (the unit project). Pure: it gets the files as
 * `{ path, text }` (paths relative to the repository, with `/`) and returns the violations, each with
 * a message that says what to move where.
 *
 *   sql          SQL runs only in `*.repo.ts` (plus tables, server/db, seeds, demo data, fixtures, tests);
 *                a `*.policy.ts` may build sql`…` conditions for the repos but runs no statement.
 *   module       a module imports another module only through its `index.ts`; another module's
 *                tables come from `server/db/schema.ts` (a `*.tables.ts` may reference another
 *                module's `*.tables.ts` for its foreign keys).
 *   http         `server/http/` imports a module only through its `index.ts`.
 *   shared       `domain/` and `contracts/` import nothing outside `domain/` and `contracts/`.
 *   web          `web/` imports no `server/`, `cli/` or `bench/` code.
 *   lib          `server/lib/` imports no module.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export type SourceFile = { path: string; text: string };
export type Rule = 'sql' | 'module' | 'http' | 'shared' | 'web' | 'lib';
export type Violation = { rule: Rule; file: string; line: number; what: string; message: string };

const MODULES = 'server/modules/';

/** Files that may run SQL: repositories, schema, database plumbing, seeds, demo data, fixtures, tests. */
export function maySql(file: string): boolean {
  const base = path.posix.basename(file);
  return (
    /\.repo\.ts$/.test(base) ||
    /\.tables\.ts$/.test(base) ||
    /\.(seed|demo|fixtures)\.ts$/.test(base) ||
    isTest(file) ||
    file.startsWith('server/db/') ||
    file.startsWith('server/seed/') ||
    file.startsWith('server/test/') ||
    SQL_ALLOWED_FILES.has(file)
  );
}

/** Named exceptions, each with its reason (ARCHITECTURE.md repeats them). */
export const SQL_ALLOWED_FILES = new Map<string, string>([
  ['server/lib/backup.ts', 'the whole-database backup and restore works on every table by name, below the modules, like server/db/'],
]);

const isTest = (file: string) => /\.(test|testing)\.tsx?$/.test(file) || file.startsWith('e2e/') || file.startsWith('bench/') || file.startsWith('server/test/');

/** Methods that run a statement when called on a Drizzle database, a transaction or a pg client. */
const STATEMENT_METHODS = new Set(['select', 'selectDistinct', 'selectDistinctOn', 'insert', 'update', 'delete', 'execute', 'query', '$count', '$with', 'with', 'refreshMaterializedView']);
/** Names the code gives a database, transaction or client. */
const RECEIVERS = new Set(['db', 'tx', 'trx', 'database', 'pool', 'client', 'conn', 'connection', 'executor', 'pglite']);
/** sql`…` helpers of drizzle-orm that build SQL text. */
const SQL_HELPERS = new Set(['raw', 'join', 'identifier', 'empty', 'placeholder', 'param']);

function lastName(e: ts.Expression): string | undefined {
  let x = e;
  while (ts.isNonNullExpression(x) || ts.isParenthesizedExpression(x) || ts.isAsExpression(x)) x = x.expression;
  if (ts.isIdentifier(x)) return x.text;
  if (ts.isPropertyAccessExpression(x)) return x.name.text;
  if (x.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  return undefined;
}

/** The module a path belongs to (`server/modules/<name>/…`), or undefined. */
export function moduleOf(file: string): string | undefined {
  if (!file.startsWith(MODULES)) return undefined;
  return file.slice(MODULES.length).split('/')[0];
}

function suggestRepo(file: string): string {
  const dir = path.posix.dirname(file);
  const stem = path.posix.basename(file).split('.')[0];
  const mod = moduleOf(file);
  if (mod) return `${dir}/${stem}.repo.ts (or an existing *.repo.ts of module "${mod}")`;
  return `the *.repo.ts of the module that owns the table (server/modules/<module>/<name>.repo.ts), exported through its index.ts`;
}

function sqlViolations(f: SourceFile): Violation[] {
  if (!/^(server|cli)\//.test(f.path) || maySql(f.path) || !/\.tsx?$/.test(f.path)) return [];
  // most files have nothing that could be SQL: parse only those that might
  if (!/sql\s*[`.]|executeNamed|\.\s*(select\w*|insert|update|delete|execute|query|with|\$count|\$with|refreshMaterializedView)\s*\(|find(Many|First)\s*\(/.test(f.text)) return [];
  const isPolicy = /\.policy\.ts$/.test(f.path);
  const sf = ts.createSourceFile(f.path, f.text, ts.ScriptTarget.Latest, true);
  const out: Violation[] = [];
  /** inside a reported statement, its own sql`…` is not reported again */
  let inStatement = 0;
  const add = (node: ts.Node, what: string, statement: boolean) => {
    if ((isPolicy || inStatement > 0) && !statement) return;
    const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
    out.push({
      rule: 'sql',
      file: f.path,
      line,
      what,
      message:
        `${f.path}:${line} ${statement ? 'runs a SQL statement' : 'builds SQL'} (${what}) outside a repository. ` +
        `Move it into ${suggestRepo(f.path)} as a function that takes the db or tx and returns plain rows, and call that function from here. ` +
        `SQL belongs only in *.repo.ts (also *.tables.ts, server/db/, seeds, demo data, fixtures and tests); a *.policy.ts may build sql\`…\` conditions but runs no statement.`,
    });
  };
  const visit = (node: ts.Node) => {
    const before = out.length;
    if (ts.isTaggedTemplateExpression(node)) {
      const tag = node.tag;
      if ((ts.isIdentifier(tag) && tag.text === 'sql') || (ts.isPropertyAccessExpression(tag) && ts.isIdentifier(tag.expression) && tag.expression.text === 'sql')) {
        add(node, 'sql`…`', false);
      }
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (ts.isIdentifier(callee) && callee.text === 'executeNamed') add(node, 'executeNamed(…)', true);
      else if (ts.isPropertyAccessExpression(callee)) {
        const name = callee.name.text;
        const recv = lastName(callee.expression);
        if (ts.isIdentifier(callee.expression) && callee.expression.text === 'sql' && SQL_HELPERS.has(name)) add(node, `sql.${name}(…)`, false);
        else if (STATEMENT_METHODS.has(name) && recv && RECEIVERS.has(recv)) add(node, `${recv}.${name}(…)`, true);
        else if ((name === 'findMany' || name === 'findFirst') && /\b(db|tx|trx)\s*\.\s*query\s*\./.test(callee.getText(sf))) add(node, `${recv ?? 'db'}.query….${name}(…)`, true);
      }
    }
    const isStatement = out.length > before && out[out.length - 1].message.includes('runs a SQL statement');
    if (isStatement) inStatement++;
    ts.forEachChild(node, visit);
    if (isStatement) inStatement--;
  };
  visit(sf);
  // one report per line and kind
  const seen = new Set<string>();
  return out.filter((x) => {
    const k = `${x.line} ${x.what}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

type Import = { spec: string; target: string | undefined; line: number };

function importsOf(f: SourceFile): Import[] {
  const info = ts.preProcessFile(f.text, true, true);
  const lineStarts: number[] = [0];
  for (let i = 0; i < f.text.length; i++) if (f.text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const lineOf = (pos: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  return info.importedFiles.map((i) => ({
    spec: i.fileName,
    target: i.fileName.startsWith('.') ? path.posix.normalize(path.posix.join(path.posix.dirname(f.path), i.fileName)) : undefined,
    line: lineOf(i.pos),
  }));
}

const isIndexOf = (target: string, mod: string) => target === `${MODULES}${mod}/index.ts`;

function importViolations(f: SourceFile): Violation[] {
  if (!/\.(tsx?|mts|mjs)$/.test(f.path) || isTest(f.path)) return [];
  const out: Violation[] = [];
  const from = moduleOf(f.path);
  const v = (rule: Rule, i: Import, message: string) => out.push({ rule, file: f.path, line: i.line, what: i.spec, message: `${f.path}:${i.line} ${message}` });
  for (const i of importsOf(f)) {
    const t = i.target;
    if (!t) continue;
    const to = moduleOf(t);
    if (from && to && from !== to && !isIndexOf(t, to)) {
      if (/\.tables\.ts$/.test(f.path) && /\.tables\.ts$/.test(t)) continue; // foreign keys
      const hint = /\.tables\.ts$/.test(t)
        ? `To join or read another module's table, import the table from server/db/schema.ts (import { … } from '${path.posix.relative(path.posix.dirname(f.path), 'server/db/schema.ts')}').`
        : `Export what you need from ${MODULES}${to}/index.ts and import it from there (import { … } from '${path.posix.relative(path.posix.dirname(f.path), `${MODULES}${to}/index.ts`)}').`;
      v('module', i, `imports ${t}, an internal file of module "${to}": modules reach each other only through index.ts. ${hint}`);
    }
    if (f.path.startsWith('server/http/') && to && !isIndexOf(t, to)) {
      v(
        'http',
        i,
        `imports ${t}, an internal file of module "${to}": server/http/ uses a module only through its index.ts. Export it from ${MODULES}${to}/index.ts and import it from there.`,
      );
    }
    if (/^(domain|contracts)\//.test(f.path) && !/^(domain|contracts)\//.test(t)) {
      v(
        'shared',
        i,
        `imports ${t}: domain/ and contracts/ are shared with the browser and import nothing outside domain/ and contracts/. Move the shared piece into domain/ (pure logic) or contracts/ (schemas) and import it from the server side.`,
      );
    }
    if (f.path.startsWith('web/') && /^(server|cli|bench)\//.test(t)) {
      v('web', i, `imports ${t}: the web app imports no server code. Put the shared shape into contracts/ or the pure logic into domain/.`);
    }
    if (f.path.startsWith('server/lib/') && to) {
      v('lib', i, `imports ${t}: server/lib/ sits below the modules and imports none of them. Pass what it needs in as a parameter, or move the code into module "${to}".`);
    }
  }
  return out;
}

export function checkLayering(files: SourceFile[]): Violation[] {
  return files.flatMap((f) => [...sqlViolations(f), ...importViolations(f)]);
}

const SOURCE_DIRS = ['server', 'cli', 'domain', 'contracts', 'web'];

/** The repository's source files under the checked folders (skips node_modules, dist, data). */
export function readSources(root: string): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const p = `${rel}/${e.name}`;
      if (e.isDirectory()) {
        if (e.name === 'node_modules' || e.name === 'dist' || e.name === 'migrations') continue;
        walk(p);
      } else if (/\.(ts|tsx|mts|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push({ path: p, text: readFileSync(path.join(root, p), 'utf8') });
    }
  };
  for (const d of SOURCE_DIRS) walk(d);
  return out;
}

/** One line per violation, for a failing test's message. */
export function report(vs: Violation[]): string {
  return vs.map((x) => `[${x.rule}] ${x.message}`).join('\n');
}
