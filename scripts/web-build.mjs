// Builds the web app when dist/web is missing or older than its sources (content hash).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['web', 'contracts', 'domain', 'vite.config.ts', 'package-lock.json'];
const stampFile = path.join(root, 'dist', 'web', '.build-hash');

function* files(p) {
  const full = path.join(root, p);
  if (!existsSync(full)) return;
  if (statSync(full).isFile()) {
    yield p;
    return;
  }
  for (const e of readdirSync(full, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name === 'node_modules' || e.name.endsWith('.test.ts')) continue;
    yield* files(path.join(p, e.name));
  }
}

export function sourceHash() {
  const h = createHash('sha256');
  for (const src of SOURCES) for (const f of files(src)) h.update(f).update(readFileSync(path.join(root, f)));
  return h.digest('hex');
}

export function ensureWebBuilt({ force = false } = {}) {
  const hash = sourceHash();
  const current = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : '';
  if (!force && current === hash && existsSync(path.join(root, 'dist', 'web', 'index.html'))) return false;
  console.log('正在构建前端（首次启动或源码已更新）…');
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error('前端构建失败');
  writeFileSync(stampFile, hash + '\n');
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) ensureWebBuilt({ force: process.argv.includes('--force') });
