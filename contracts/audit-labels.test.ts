import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AuditEntityActionLabels, AuditEntityLabels, auditActionLabel } from './audit-labels.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function* sources(dir: string): Generator<string> {
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) yield* sources(p);
    else if (p.endsWith('.ts') && !p.endsWith('.test.ts')) yield p;
  }
}

/**
 * Every `{ action…, entity: '…' }` written in a file that calls audit( or auditStatement(: the
 * string literals of the action expression (`isActive ? 'activate' : 'deactivate'` gives both),
 * or `dynamic` when the action is a variable (then its entity must label a whole flow).
 */
function auditedActions(): { file: string; entity: string; action: string | 'dynamic' }[] {
  const out: { file: string; entity: string; action: string | 'dynamic' }[] = [];
  for (const file of sources(path.join(ROOT, 'server'))) {
    const text = readFileSync(file, 'utf8');
    if (!/\baudit(Statement)?\(/.test(text) || file.includes(`${path.sep}audit${path.sep}`)) continue;
    for (const m of text.matchAll(/\baction(?::\s*([^,\n]+?))?,\s*entity:\s*'([a-z_]+)'/g)) {
      // `cond ? 'a' : 'b'`: the branches, not the condition
      const expr = (m[1] ?? '').includes('?') ? (m[1] ?? '').slice((m[1] ?? '').indexOf('?')) : (m[1] ?? '');
      const literals = [...expr.matchAll(/'([A-Za-z_]+)'/g)].map((x) => x[1]);
      const rel = path.relative(ROOT, file);
      if (literals.length) for (const a of literals) out.push({ file: rel, entity: m[2], action: a });
      else out.push({ file: rel, entity: m[2], action: 'dynamic' });
    }
  }
  return out;
}

describe('audit labels', () => {
  const found = auditedActions();

  it('finds the audited actions of the server (the scan itself works)', () => {
    expect(found.length).toBeGreaterThan(80);
    expect(found).toContainEqual(expect.objectContaining({ entity: 'responsibility_letter', action: 'sign' }));
    expect(found).toContainEqual(expect.objectContaining({ entity: 'issue', action: 'dynamic' }));
  });

  it('every audited action and entity has a Chinese label', () => {
    const missing = found.filter((f) => !AuditEntityLabels[f.entity] || (f.action === 'dynamic' ? !AuditEntityActionLabels[f.entity] : !auditActionLabel(f.entity, f.action)));
    expect(missing.map((m) => `${m.file}: ${m.entity}.${m.action}`)).toEqual([]);
  });

  it('labels by entity first: 签收 on an issue, 登记签订 on a 目标责任书', () => {
    expect(auditActionLabel('issue', 'sign')).toBe('签收');
    expect(auditActionLabel('issue', 'accept')).toBe('立案');
    expect(auditActionLabel('issue', 'verifyPass')).toBe('核查通过');
    expect(auditActionLabel('issue', 'feedback')).toBe('整改反馈');
    expect(auditActionLabel('responsibility_letter', 'sign')).toBe('登记签订');
    expect(auditActionLabel('grid', 'create')).toBe('新增');
    expect(auditActionLabel('grid', 'frobnicate')).toBeNull();
  });
});
