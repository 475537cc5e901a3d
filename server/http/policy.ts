import type { Permission } from '../../contracts/permissions.ts';
import type { Actor } from './actor.ts';
import { forbidden } from './errors.ts';

/**
 * The one door for authorisation (ENGINEERING.md §3). Two questions, asked the same way by
 * every module:
 *  1. may the actor do this kind of thing at all?  → requirePermission(actor, 'org.write')
 *  2. on which records?                            → scopeFor(actor, mode), then a module policy
 *     decides per record with `inScope(scope, path)`; repositories filter lists with the scope.
 *
 * Data-scope rule: a user sees their unit's subtree plus what is assigned to them; holders of
 * `scope.city.read` read the whole city; the city admin's unit is the root, so they see all.
 */
export function requirePermission(actor: Actor, permission: Permission, message?: string): void {
  if (!actor.permissions.has(permission)) throw forbidden(message);
}

export type Scope = {
  /** every record, no filter */
  isAll: boolean;
  /** the subtree root path ("/a/b/"): records whose unit path starts with it are in scope */
  rootPath: string;
  /** the actor's own unit, for "assigned to my unit" rules */
  unitId: string;
  userId: string;
};

export function scopeFor(actor: Actor, mode: 'read' | 'write'): Scope {
  const isAll = mode === 'read' && actor.permissions.has('scope.city.read');
  return { isAll: isAll || actor.unitPath.split('/').filter(Boolean).length === 1, rootPath: actor.unitPath, unitId: actor.unitId, userId: actor.userId };
}

export const inScope = (scope: Scope, path: string): boolean => scope.isAll || path.startsWith(scope.rootPath);

/** Throws 403 unless the record (identified by its unit path) is in the actor's scope. */
export function requireInScope(scope: Scope, path: string, message = '该数据不在您的管辖范围内'): void {
  if (!inScope(scope, path)) throw forbidden(message);
}

/** Whether the actor belongs to the city office: their unit is the root of the org tree. */
export const isCityLevel = (actor: Actor): boolean => actor.unitPath.split('/').filter(Boolean).length === 1;

/**
 * The one check for city-wide settings (ARCHITECTURE.md "City-wide settings"): issue categories,
 * the holiday calendar, point types, indicator systems and their settings, evidence requirements,
 * Open311 API keys, roles, questionnaires, the quiz bank, volunteer settings — and every setting a
 * new module adds. The permission says what kind of change; this says that only the city office
 * (the root unit) makes it, whatever permissions a district or department role is given.
 * Throws 403 with `message` (name the setting: 「问题分类为全市统一设置……」).
 */
export function requireCityLevel(actor: Actor, permission: Permission, message = '全市统一设置，仅市级管理员可维护'): void {
  requirePermission(actor, permission);
  if (!isCityLevel(actor)) throw forbidden(message);
}
