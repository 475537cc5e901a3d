// `npm test`: type check, lint, unit, integration on PGlite and on PostgreSQL, browser tests.
// On a machine without PostgreSQL or Chromium it runs what it can and says what it skipped;
// under CI (CI=true) a skip is a failure, because .ci/run installs both.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { ensureWebBuilt } from './web-build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const isCI = process.env.CI === 'true';
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'cw-npm-test-'));
const results = [];
const totals = { passed: 0, failed: 0, skipped: 0 };

function step(name, cmd, args, env = {}) {
  console.log(`\n▶ ${name}`);
  const t = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = r.status === 0;
  results.push({ name, status: ok ? 'ok' : 'FAILED', seconds: Math.round((Date.now() - t) / 1000) });
  return ok;
}

function vitest(name, project, env = {}, files = []) {
  const out = path.join(tmp, `${name.replace(/\W+/g, '_')}.json`);
  const ok = step(name, bin('vitest'), ['run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...files], env);
  if (existsSync(out)) {
    const j = JSON.parse(readFileSync(out, 'utf8'));
    totals.passed += j.numPassedTests;
    totals.failed += j.numFailedTests;
    totals.skipped += j.numPendingTests + j.numTodoTests;
  } else if (!ok) totals.failed += 1;
  return ok;
}

function skip(name, why, fix) {
  const line = `SKIPPED ${name}: ${why}. Install with: ${fix}`;
  console.log(`\n⚠ ${line}`);
  results.push({ name, status: isCI ? 'FAILED (skipped under CI)' : 'SKIPPED', seconds: 0, note: line });
}

async function postgresUrl() {
  const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return url;
  } catch {
    return null;
  } finally {
    await c.end().catch(() => {});
  }
}

step('typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
step('lint', bin('biome'), ['lint', '.']);
vitest('unit', 'unit');
vitest('integration (PGlite)', 'int', { TEST_DB: 'pglite' });
const pgUrl = await postgresUrl();
if (pgUrl) vitest('integration (PostgreSQL)', 'int', { TEST_DB: 'postgres', TEST_DATABASE_URL: pgUrl });
else skip('integration (PostgreSQL)', 'no PostgreSQL reachable (set TEST_DATABASE_URL)', 'apt-get install -y postgresql && pg_ctlcluster 15 main start');
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (existsSync(chromium)) {
  ensureWebBuilt();
  vitest('browser (Chromium)', 'e2e', { CHROMIUM_PATH: chromium });
  // the issue loop again on two nodes (PostgreSQL + S3 behind a round-robin proxy: e2e/support.ts startCluster)
  if (pgUrl) vitest('browser, two nodes (issue loop)', 'e2e', { CHROMIUM_PATH: chromium, E2E_NODES: '2', TEST_DATABASE_URL: pgUrl }, ['e2e/issue-loop.e2e.test.ts']);
  else skip('browser, two nodes (issue loop)', 'no PostgreSQL reachable (set TEST_DATABASE_URL)', 'apt-get install -y postgresql && pg_ctlcluster 15 main start');
} else skip('browser (Chromium)', `${chromium} not found`, 'apt-get install -y chromium fonts-noto-cjk');

rmSync(tmp, { recursive: true, force: true });
console.log('\n──────── npm test ────────');
for (const r of results) console.log(`${r.status.padEnd(26)} ${r.name}${r.seconds ? `  (${r.seconds}s)` : ''}`);
const failed = results.some((r) => r.status.startsWith('FAILED'));
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failed ? 1 : 0);
