import { SYSTEM_ROLES } from '../../../contracts/permissions.ts';
import type {
  CreateRoleRequest,
  CreateUserRequest,
  CreateUserResponse,
  ListUsersQuery,
  ResetPasswordResponse,
  Role,
  UpdateRoleRequest,
  UpdateUserRequest,
  User,
} from '../../../contracts/users.ts';
import { maskPhone } from '../../../domain/masking.ts';
import { checkPassword } from '../../../domain/password.ts';
import type { Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import type { RequestContext } from '../../http/actor.ts';
import { AppError, notFound, staleVersion } from '../../http/errors.ts';
import { requireInScope } from '../../http/policy.ts';
import { newId } from '../../lib/ids.ts';
import { generatePassword } from '../../seed/demo.ts';
import { audit } from '../audit/index.ts';
import { hashPassword } from '../auth/index.ts';
import { getUnitRow } from '../org/index.ts';
import { canGrant, usersPolicy } from './users.policy.ts';
import * as repo from './users.repo.ts';

type UserDeps = Pick<Deps, 'db' | 'crypto'>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentUser(deps: Pick<Deps, 'crypto'>, v: repo.UserView): User {
  const u = v.user;
  const isLocked = !!u.lockedUntil && u.lockedUntil > new Date();
  return {
    id: u.id,
    username: u.username,
    name: u.name,
    phoneMasked: u.phoneEnc ? maskPhone(deps.crypto.decrypt(u.phoneEnc)) : null,
    unit: { id: u.unitId, name: v.unitName, pathNames: v.pathNames ?? v.unitName },
    roles: v.roles,
    isActive: u.isActive,
    mustChangePassword: u.mustChangePassword,
    isLocked,
    lockedUntil: isLocked ? iso(u.lockedUntil) : null,
    failedLogins: u.failedLogins,
    lastLoginAt: iso(u.lastLoginAt),
    createdAt: u.createdAt.toISOString(),
    version: u.version,
  };
}

/** The audit form of a user: readable fields, the phone masked, never a hash or ciphertext. */
function auditForm(deps: Pick<Deps, 'crypto'>, u: repo.UserRow, roleCodes: string[]) {
  return {
    username: u.username,
    name: u.name,
    phone: u.phoneEnc ? maskPhone(deps.crypto.decrypt(u.phoneEnc)) : null,
    unitId: u.unitId,
    roles: [...roleCodes].sort(),
    isActive: u.isActive,
    mustChangePassword: u.mustChangePassword,
    version: u.version,
  };
}

const fieldError = (code: 'VALIDATION_FAILED' | 'DUPLICATE' | 'BUSINESS_RULE', path: string, message: string) =>
  new AppError(code, message, [{ path, message }]);

async function loadView(deps: UserDeps, tx: Executor, id: string): Promise<User> {
  const v = await repo.getUserView(tx, id);
  if (!v) throw notFound('用户');
  return presentUser(deps, v);
}

// ---- users: reads ----

export async function listUsers(deps: UserDeps, ctx: RequestContext, q: ListUsersQuery) {
  const scope = usersPolicy.read(ctx.actor);
  const phoneHash = q.q && /^1\d{10}$/.test(q.q) ? deps.crypto.lookupHash(q.q) : null;
  const { items, total } = await repo.listUsers(deps.db, scope, q, phoneHash);
  return { items: items.map((v) => presentUser(deps, v)), total, page: q.page, pageSize: q.pageSize };
}

export async function getUser(deps: UserDeps, ctx: RequestContext, id: string): Promise<User> {
  const scope = usersPolicy.read(ctx.actor);
  const v = await repo.getUserView(deps.db, id);
  if (!v) throw notFound('用户');
  requireInScope(scope, v.unitPath, '该用户不在您的管辖范围内');
  return presentUser(deps, v);
}

// ---- users: writes ----

/** Loads the roles named in a request, refusing unknown codes (400). */
async function rolesToGrant(tx: Executor, codes: string[]) {
  const unique = [...new Set(codes)];
  const found = await repo.getRolesByCodes(tx, unique);
  const missing = unique.filter((c) => !found.some((r) => r.code === c));
  if (missing.length) throw fieldError('VALIDATION_FAILED', 'body.roleCodes', `角色不存在：${missing.join('、')}`);
  return found;
}

async function unitToPlaceIn(tx: Executor, ctx: RequestContext, unitId: string) {
  const unit = await getUnitRow(tx, unitId);
  if (!unit) throw fieldError('VALIDATION_FAILED', 'body.unitId', '所属单位不存在');
  usersPolicy.placeIn(ctx.actor, unit.path);
  if (!unit.isActive) throw fieldError('BUSINESS_RULE', 'body.unitId', '所属单位已停用，请选择在用的单位');
  return unit;
}

export async function createUser(deps: UserDeps, ctx: RequestContext, input: CreateUserRequest): Promise<CreateUserResponse> {
  if (input.password !== undefined) {
    const problem = checkPassword(input.password, input.username);
    if (problem) throw fieldError('VALIDATION_FAILED', 'body.password', problem);
  }
  const password = input.password ?? generatePassword();
  const passwordHash = await hashPassword(password);
  return deps.db.transaction(async (tx) => {
    await unitToPlaceIn(tx, ctx, input.unitId);
    const granted = await rolesToGrant(tx, input.roleCodes);
    usersPolicy.grant(ctx.actor, granted);
    if (await repo.findUserIdByUsername(tx, input.username)) throw fieldError('DUPLICATE', 'body.username', '用户名已存在');
    const phoneHash = input.phone ? deps.crypto.lookupHash(input.phone) : null;
    if (phoneHash && (await repo.phoneTaken(tx, phoneHash))) throw fieldError('DUPLICATE', 'body.phone', '该手机号已被其他用户使用');
    const id = newId();
    const row = await repo.insertUser(tx, {
      id,
      username: input.username,
      name: input.name,
      phoneEnc: input.phone ? deps.crypto.encrypt(input.phone) : null,
      phoneHash,
      unitId: input.unitId,
      passwordHash,
      mustChangePassword: true,
    });
    const roleCodes = granted.map((r) => r.code);
    await repo.replaceUserRoles(tx, id, roleCodes);
    await audit(tx, ctx, { action: 'create', entity: 'user', entityId: id, after: auditForm(deps, row, roleCodes) });
    return { user: await loadView(deps, tx, id), generatedPassword: input.password === undefined ? password : null };
  });
}

export async function updateUser(deps: UserDeps, ctx: RequestContext, id: string, input: UpdateUserRequest): Promise<User> {
  return deps.db.transaction(async (tx) => {
    const before = await repo.getUserForUpdate(tx, id);
    if (!before) throw notFound('用户');
    usersPolicy.manage(ctx.actor, { unitPath: before.unitPath, roles: before.roles });
    if (before.user.version !== input.version) throw staleVersion();
    const isSelf = ctx.actor.userId === id;
    const data: Partial<repo.UserRow> = {};
    if (input.name !== undefined) data.name = input.name;
    if (input.phone !== undefined) {
      const phoneHash = input.phone ? deps.crypto.lookupHash(input.phone) : null;
      if (phoneHash !== before.user.phoneHash) {
        if (phoneHash && (await repo.phoneTaken(tx, phoneHash, id))) throw fieldError('DUPLICATE', 'body.phone', '该手机号已被其他用户使用');
        data.phoneHash = phoneHash;
        data.phoneEnc = input.phone ? deps.crypto.encrypt(input.phone) : null;
      }
    }
    if (input.unitId !== undefined && input.unitId !== before.user.unitId) {
      if (isSelf) throw fieldError('BUSINESS_RULE', 'body.unitId', '不能修改自己的所属单位，请由上级管理员调整');
      await unitToPlaceIn(tx, ctx, input.unitId);
      data.unitId = input.unitId;
    }
    const beforeCodes = before.roles.map((r) => r.code);
    let afterCodes = beforeCodes;
    if (input.roleCodes !== undefined) {
      const next = [...new Set(input.roleCodes)].sort();
      if (next.join() !== [...beforeCodes].sort().join()) {
        if (isSelf) throw fieldError('BUSINESS_RULE', 'body.roleCodes', '不能修改自己的角色，请由其他管理员调整');
        const granted = await rolesToGrant(tx, next);
        usersPolicy.grant(ctx.actor, granted.filter((r) => !beforeCodes.includes(r.code)));
        await repo.replaceUserRoles(tx, id, next);
        afterCodes = next;
      }
    }
    // The version moves on every accepted save, roles included, so that other editors see the change.
    const after = await repo.updateUser(tx, id, input.version, data);
    if (!after) throw staleVersion();
    await audit(tx, ctx, {
      action: 'update',
      entity: 'user',
      entityId: id,
      before: auditForm(deps, before.user, beforeCodes),
      after: auditForm(deps, after, afterCodes),
    });
    return loadView(deps, tx, id);
  });
}

/** A new temporary password, shown once; all sessions end and the user must change it at login. */
export async function resetPassword(deps: UserDeps, ctx: RequestContext, id: string): Promise<ResetPasswordResponse> {
  usersPolicy.notSelf(ctx.actor, id, '不能重置自己的密码，请在「修改密码」中修改');
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  return deps.db.transaction(async (tx) => {
    const before = await repo.getUserForUpdate(tx, id);
    if (!before) throw notFound('用户');
    usersPolicy.manage(ctx.actor, { unitPath: before.unitPath, roles: before.roles });
    const after = await repo.updateUser(tx, id, before.user.version, {
      passwordHash,
      mustChangePassword: true,
      failedLogins: 0,
      lockedUntil: null,
    });
    if (!after) throw staleVersion();
    const sessionsEnded = await repo.deleteUserSessions(tx, id);
    await audit(tx, ctx, {
      action: 'reset_password',
      entity: 'user',
      entityId: id,
      before: { mustChangePassword: before.user.mustChangePassword, lockedUntil: before.user.lockedUntil },
      after: { mustChangePassword: true, lockedUntil: null, sessionsEnded },
    });
    return { user: await loadView(deps, tx, id), temporaryPassword: password };
  });
}

/** Disabling keeps the user and their history, and ends their sessions at once. */
export async function setUserActive(deps: UserDeps, ctx: RequestContext, id: string, version: number, isActive: boolean): Promise<User> {
  if (!isActive) usersPolicy.notSelf(ctx.actor, id, '不能停用自己的账号');
  return deps.db.transaction(async (tx) => {
    const before = await repo.getUserForUpdate(tx, id);
    if (!before) throw notFound('用户');
    usersPolicy.manage(ctx.actor, { unitPath: before.unitPath, roles: before.roles });
    if (before.user.version !== version) throw staleVersion();
    if (isActive) {
      const unit = await getUnitRow(tx, before.user.unitId);
      if (unit && !unit.isActive) throw new AppError('BUSINESS_RULE', '所属单位已停用，请先调整用户的所属单位');
    }
    const after = await repo.updateUser(tx, id, version, { isActive });
    if (!after) throw staleVersion();
    const sessionsEnded = isActive ? 0 : await repo.deleteUserSessions(tx, id);
    await audit(tx, ctx, {
      action: isActive ? 'activate' : 'deactivate',
      entity: 'user',
      entityId: id,
      before: { isActive: before.user.isActive },
      after: isActive ? { isActive } : { isActive, sessionsEnded },
    });
    return loadView(deps, tx, id);
  });
}

/** Lifts the lock set after too many failed logins. */
export async function unlockUser(deps: UserDeps, ctx: RequestContext, id: string): Promise<User> {
  return deps.db.transaction(async (tx) => {
    const before = await repo.getUserForUpdate(tx, id);
    if (!before) throw notFound('用户');
    usersPolicy.manage(ctx.actor, { unitPath: before.unitPath, roles: before.roles });
    const after = await repo.updateUser(tx, id, before.user.version, { lockedUntil: null, failedLogins: 0 });
    if (!after) throw staleVersion();
    await audit(tx, ctx, {
      action: 'unlock',
      entity: 'user',
      entityId: id,
      before: { lockedUntil: before.user.lockedUntil, failedLogins: before.user.failedLogins },
      after: { lockedUntil: null, failedLogins: 0 },
    });
    return loadView(deps, tx, id);
  });
}

// ---- roles ----

const systemOrder = (code: string) => {
  const i = SYSTEM_ROLES.findIndex((r) => r.code === code);
  return i < 0 ? SYSTEM_ROLES.length : i;
};

function presentRole(ctx: RequestContext, r: repo.RoleRow, userCount: number): Role {
  return {
    code: r.code,
    name: r.name,
    description: r.description,
    permissions: r.permissions,
    isSystem: r.isSystem,
    userCount,
    canGrant: canGrant(ctx.actor, r),
    version: r.version,
  };
}

const roleAuditForm = (r: repo.RoleRow) => ({
  code: r.code,
  name: r.name,
  description: r.description,
  permissions: r.permissions,
  isSystem: r.isSystem,
  version: r.version,
});

export async function listRoles(deps: UserDeps, ctx: RequestContext): Promise<Role[]> {
  const scope = usersPolicy.readRoles(ctx.actor);
  const rows = await repo.listRoles(deps.db, scope);
  return rows
    .map((r) => presentRole(ctx, r.role, r.userCount))
    .sort((a, b) => systemOrder(a.code) - systemOrder(b.code) || a.code.localeCompare(b.code));
}

export async function createRole(deps: UserDeps, ctx: RequestContext, input: CreateRoleRequest): Promise<Role> {
  usersPolicy.writeRoles(ctx.actor);
  const permissions = [...new Set(input.permissions)];
  usersPolicy.setRolePermissions(ctx.actor, null, permissions);
  return deps.db.transaction(async (tx) => {
    if (await repo.getRole(tx, input.code)) throw fieldError('DUPLICATE', 'body.code', '角色编码已存在');
    const row = await repo.insertRole(tx, {
      code: input.code,
      name: input.name,
      description: input.description ?? null,
      permissions,
      isSystem: false,
    });
    await audit(tx, ctx, { action: 'create', entity: 'role', entityId: row.code, after: roleAuditForm(row) });
    return presentRole(ctx, row, 0);
  });
}

/** System roles may be renamed and have their permissions changed, but keep their code. */
export async function updateRole(deps: UserDeps, ctx: RequestContext, code: string, input: UpdateRoleRequest): Promise<Role> {
  usersPolicy.writeRoles(ctx.actor);
  return deps.db.transaction(async (tx) => {
    const before = await repo.getRoleForUpdate(tx, code);
    if (!before) throw notFound('角色');
    if (before.version !== input.version) throw staleVersion();
    const data: Partial<repo.RoleRow> = {};
    if (input.name !== undefined) data.name = input.name;
    if (input.description !== undefined) data.description = input.description ?? null;
    if (input.permissions !== undefined) {
      const permissions = [...new Set(input.permissions)];
      usersPolicy.setRolePermissions(ctx.actor, before, permissions);
      data.permissions = permissions;
    }
    const after = await repo.updateRole(tx, code, input.version, data);
    if (!after) throw staleVersion();
    await audit(tx, ctx, { action: 'update', entity: 'role', entityId: code, before: roleAuditForm(before), after: roleAuditForm(after) });
    return presentRole(ctx, after, await repo.countRoleHolders(tx, code));
  });
}

export async function deleteRole(deps: UserDeps, ctx: RequestContext, code: string): Promise<void> {
  usersPolicy.writeRoles(ctx.actor);
  await deps.db.transaction(async (tx) => {
    const role = await repo.getRoleForUpdate(tx, code);
    if (!role) throw notFound('角色');
    if (role.isSystem) throw new AppError('BUSINESS_RULE', '系统角色不能删除，可调整其权限');
    const holders = await repo.countRoleHolders(tx, code);
    if (holders > 0) throw new AppError('BUSINESS_RULE', `仍有 ${holders} 个用户持有该角色，请先调整这些用户的角色`);
    await repo.deleteRole(tx, code);
    await audit(tx, ctx, { action: 'delete', entity: 'role', entityId: code, before: roleAuditForm(role) });
  });
}
