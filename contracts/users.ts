import { z } from 'zod';
import { Id, PageQuery, QueryBool, Version } from './common.ts';
import { ALL_PERMISSIONS, type Permission } from './permissions.ts';

/**
 * Usernames start with a letter so they can never be taken for a phone number at login
 * (the login form accepts either), and are stored in lower case.
 */
export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z][a-z0-9_.-]{2,31}$/, '用户名须以字母开头，3–32 位，只能包含字母、数字、下划线、点或连字符');
/** Mobile only: the phone is also a login name (looked up by its keyed hash). */
export const MobilePhone = z.string().trim().regex(/^1\d{10}$/, '手机号应为以 1 开头的 11 位数字');
const PersonName = z.string().trim().min(1, '请填写姓名').max(40, '姓名不能超过 40 字');
const RoleCodes = z
  .array(z.string().trim().min(1, '角色编码不能为空'), { error: '请选择角色' })
  .min(1, '请至少选择一个角色')
  .max(20, '角色不能超过 20 个');

export const UserRoleRef = z.object({ code: z.string(), name: z.string() });

export const User = z.object({
  id: z.string(),
  username: z.string(),
  name: z.string(),
  /** never the plain number (PRODUCT.md §4) */
  phoneMasked: z.string().nullable(),
  unit: z.object({ id: z.string(), name: z.string(), pathNames: z.string() }),
  roles: z.array(UserRoleRef),
  isActive: z.boolean(),
  mustChangePassword: z.boolean(),
  /** locked after too many failed logins until lockedUntil */
  isLocked: z.boolean(),
  lockedUntil: z.string().nullable(),
  failedLogins: z.number(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
  version: z.number(),
});
export type User = z.infer<typeof User>;

export const ListUsersQuery = PageQuery.extend({
  q: z.string().trim().max(50, '关键字不能超过 50 字').optional().describe('用户名、姓名（模糊）或完整手机号'),
  unitId: Id.optional().describe('所属单位（含下级单位）'),
  role: z.string().trim().max(32).optional(),
  isActive: QueryBool.optional(),
});
export type ListUsersQuery = z.infer<typeof ListUsersQuery>;

export const CreateUserRequest = z.object({
  username: Username,
  name: PersonName,
  phone: MobilePhone.nullish(),
  unitId: Id,
  roleCodes: RoleCodes,
  /** optional initial password; when absent the server generates one and returns it once */
  password: z.string().min(1, '请输入初始密码').max(128, '密码不能超过 128 位').optional(),
});
export type CreateUserRequest = z.infer<typeof CreateUserRequest>;

export const UpdateUserRequest = z.object({
  version: Version,
  name: PersonName.optional(),
  /** null clears the phone, absent leaves it unchanged */
  phone: MobilePhone.nullish(),
  unitId: Id.optional(),
  roleCodes: RoleCodes.optional(),
});
export type UpdateUserRequest = z.infer<typeof UpdateUserRequest>;

export const UserVersionRequest = z.object({ version: Version });

/** A generated password is shown once and never stored in plain text. */
export const CreateUserResponse = z.object({ user: User, generatedPassword: z.string().nullable() });
export type CreateUserResponse = z.infer<typeof CreateUserResponse>;
export const ResetPasswordResponse = z.object({ user: User, temporaryPassword: z.string() });
export type ResetPasswordResponse = z.infer<typeof ResetPasswordResponse>;

// ---- roles ----

export const RoleCode = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{1,31}$/, '角色编码须以小写字母开头，2–32 位，只能包含小写字母、数字和下划线');
const PermissionName = z.enum(ALL_PERMISSIONS as [Permission, ...Permission[]], {
  error: (iss) => `未知权限：${String(iss.input)}`,
});

export const Role = z.object({
  code: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  permissions: z.array(z.string()),
  isSystem: z.boolean(),
  /** holders within the actor's data scope */
  userCount: z.number(),
  /** whether the actor may grant it: its permissions are a subset of the actor's */
  canGrant: z.boolean(),
  version: z.number(),
});
export type Role = z.infer<typeof Role>;

const roleFields = {
  name: z.string().trim().min(1, '请填写角色名称').max(40, '角色名称不能超过 40 字'),
  description: z.string().trim().max(200, '说明不能超过 200 字').nullish(),
  permissions: z.array(PermissionName, { error: '请选择权限' }).max(ALL_PERMISSIONS.length * 2),
};
export const CreateRoleRequest = z.object({ code: RoleCode, ...roleFields });
export type CreateRoleRequest = z.infer<typeof CreateRoleRequest>;
export const UpdateRoleRequest = z.object(roleFields).partial().extend({ version: Version });
export type UpdateRoleRequest = z.infer<typeof UpdateRoleRequest>;
export const RoleCodeParams = z.object({ code: z.string().trim().min(1).max(32) });
