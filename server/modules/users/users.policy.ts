import { type Permission, Permissions } from '../../../contracts/permissions.ts';
import type { Actor } from '../../http/actor.ts';
import { AppError, forbidden } from '../../http/errors.ts';
import { inScope, requireCityLevel, requirePermission, type Scope, scopeFor } from '../../http/policy.ts';

type RoleLike = { code: string; name: string; permissions: readonly string[] };

/** Whether every permission of the role is one the actor holds: the no-escalation rule. */
export const canGrant = (actor: Actor, role: { permissions: readonly string[] }): boolean =>
  role.permissions.every((p) => actor.permissions.has(p));

/**
 * Who may do what with users and roles:
 *  - users.read / users.write, on users whose unit lies in the actor's subtree;
 *  - nobody grants a role carrying a permission they do not hold themselves, and nobody manages
 *    (edits, resets, disables) a user who holds such a role: taking over that account would be
 *    the same escalation by another door;
 *  - nobody disables, resets through the admin door, or demotes themselves (roles, unit).
 */
export const usersPolicy = {
  read(actor: Actor): Scope {
    requirePermission(actor, 'users.read', '无权查看用户');
    return scopeFor(actor, 'read');
  },

  /** A unit the actor may place users in. */
  placeIn(actor: Actor, unitPath: string): void {
    requirePermission(actor, 'users.write', '无权维护用户');
    if (!inScope(scopeFor(actor, 'write'), unitPath)) throw forbidden('该单位不在您的管辖范围内');
  },

  /** An existing user the actor may change: in the subtree and holding nothing beyond the actor. */
  manage(actor: Actor, target: { unitPath: string; roles: readonly RoleLike[] }): void {
    requirePermission(actor, 'users.write', '无权维护用户');
    if (!inScope(scopeFor(actor, 'write'), target.unitPath)) throw forbidden('该用户不在您的管辖范围内');
    const above = target.roles.filter((r) => !canGrant(actor, r));
    if (above.length) {
      throw forbidden(`该用户拥有超出您权限的角色（${above.map((r) => r.name).join('、')}），只能由上级管理员维护`);
    }
  },

  /** Roles being newly given to a user. */
  grant(actor: Actor, roles: readonly RoleLike[]): void {
    const above = roles.filter((r) => !canGrant(actor, r));
    if (above.length) {
      throw new AppError('FORBIDDEN', `不能授予超出您自身权限的角色：${above.map((r) => r.name).join('、')}`, [
        { path: 'body.roleCodes', message: `不能授予超出您自身权限的角色：${above.map((r) => r.name).join('、')}` },
      ]);
    }
  },

  notSelf(actor: Actor, userId: string, message: string): void {
    if (actor.userId === userId) throw new AppError('BUSINESS_RULE', message);
  },

  /** Roles are shared by the whole city: only a city-level holder of roles.write changes them. */
  writeRoles(actor: Actor): void {
    requireCityLevel(actor, 'roles.write', '角色为全市共用，只能由市级管理员维护');
  },

  /** Reading the role list: whoever manages users (to pick roles) or roles. */
  readRoles(actor: Actor): Scope {
    if (!actor.permissions.has('users.read') && !actor.permissions.has('roles.write')) throw forbidden('无权查看角色');
    return scopeFor(actor, 'read');
  },

  /** A role's permissions may only be set within the actor's own, and never below what the actor relies on. */
  setRolePermissions(actor: Actor, role: { code: string; permissions: readonly string[] } | null, next: readonly string[]): void {
    const beyond = next.filter((p) => !actor.permissions.has(p)).map((p) => Permissions[p as Permission] ?? p);
    if (beyond.length) {
      const message = `不能设置您自身没有的权限：${beyond.join('、')}`;
      throw new AppError('FORBIDDEN', message, [{ path: 'body.permissions', message }]);
    }
    if (role && actor.roles.includes(role.code)) {
      const removed = role.permissions.filter((p) => !next.includes(p));
      if (removed.length) {
        throw new AppError('BUSINESS_RULE', '不能减少自己所持角色的权限，请由其他管理员调整', [
          { path: 'body.permissions', message: '不能减少自己所持角色的权限' },
        ]);
      }
    }
  },
};
