import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPassword } from './password.ts';

describe('checkPassword', () => {
  it('rejects short passwords and too few classes', () => {
    expect(checkPassword('Ab1!', 'x')).toBe('密码至少 8 位');
    expect(checkPassword('abcdefgh1', 'x')).toMatch('至少三类');
    expect(checkPassword('Admin123!', 'admin')).toBe('密码不能包含用户名');
  });
  it('accepts three classes', () => {
    expect(checkPassword('Chuangwen2026', 'admin')).toBeNull();
    expect(checkPassword('wen-ming-2026', 'admin')).toBeNull();
  });
  it('never accepts a password of fewer than 8 characters', () => {
    fc.assert(fc.property(fc.string({ maxLength: 7 }), (p) => checkPassword(p, 'u') !== null));
  });
});
