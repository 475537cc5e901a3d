import { and, asc, eq, ilike, inArray, like, ne, or, type SQL, sql } from 'drizzle-orm';
import type { ListUsersQuery } from '../../../contracts/users.ts';
import type { Executor } from '../../db/client.ts';
import { sessions } from '../../db/schema.ts';
import type { Scope } from '../../http/policy.ts';
import { orgUnits } from '../org/org.tables.ts';
import { roles, userRoles, users } from './users.tables.ts';

export type UserRow = typeof users.$inferSelect;
export type RoleRow = typeof roles.$inferSelect;
export type RoleRef = { code: string; name: string };

/** Escapes LIKE wildcards so that "qu_admin" matches itself and not "quXadmin". */
const likeEscape = (s: string) => s.replace(/[\\%_]/g, '\\$&');

const viewFields = {
  user: users,
  unitName: orgUnits.name,
  unitPath: orgUnits.path,
  pathNames: sql<string | null>`(SELECT string_agg(a.name, ' / ' ORDER BY a.depth) FROM org_units a WHERE a.id = ANY (string_to_array(trim(BOTH '/' FROM ${orgUnits.path}), '/')::uuid[]) AND a.depth > 0)`,
  roles: sql<RoleRef[] | string>`(SELECT coalesce(json_agg(json_build_object('code', r.code, 'name', r.name) ORDER BY r.code), '[]'::json)
      FROM user_roles ur JOIN roles r ON r.code = ur.role_code WHERE ur.user_id = ${users.id})`,
};
export type UserView = { user: UserRow; unitName: string; unitPath: string; pathNames: string | null; roles: RoleRef[] };

/** Both drivers parse json, but be safe against a driver handing back text. */
const parseRoles = (v: RoleRef[] | string): RoleRef[] => (typeof v === 'string' ? (JSON.parse(v) as RoleRef[]) : v);
const toView = (r: { user: UserRow; unitName: string; unitPath: string; pathNames: string | null; roles: RoleRef[] | string }): UserView => ({
  ...r,
  roles: parseRoles(r.roles),
});

export async function listUsers(db: Executor, scope: Scope, q: ListUsersQuery, phoneHash: string | null) {
  const where: (SQL | undefined)[] = [scope.isAll ? undefined : like(orgUnits.path, `${scope.rootPath}%`)];
  if (q.q) {
    const pattern = `%${likeEscape(q.q)}%`;
    where.push(or(ilike(users.username, pattern), ilike(users.name, pattern), phoneHash ? eq(users.phoneHash, phoneHash) : undefined));
  }
  if (q.unitId) where.push(sql`${orgUnits.path} LIKE (SELECT u.path FROM org_units u WHERE u.id = ${q.unitId}) || '%'`);
  if (q.role) where.push(sql`EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = ${users.id} AND ur.role_code = ${q.role})`);
  if (q.isActive !== undefined) where.push(eq(users.isActive, q.isActive));
  const cond = and(...where);
  const [items, [{ total }]] = await Promise.all([
    db
      .select(viewFields)
      .from(users)
      .innerJoin(orgUnits, eq(orgUnits.id, users.unitId))
      .where(cond)
      .orderBy(asc(orgUnits.depth), asc(orgUnits.sort), asc(orgUnits.name), asc(users.username))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db
      .select({ total: sql<number>`count(*)::int` })
      .from(users)
      .innerJoin(orgUnits, eq(orgUnits.id, users.unitId))
      .where(cond),
  ]);
  return { items: items.map(toView), total };
}

export async function getUserView(db: Executor, id: string): Promise<UserView | undefined> {
  const [row] = await db.select(viewFields).from(users).innerJoin(orgUnits, eq(orgUnits.id, users.unitId)).where(eq(users.id, id));
  return row && toView(row);
}

/** The user row locked for a write, with its unit path and full roles (for the policy). */
export async function getUserForUpdate(db: Executor, id: string) {
  const [row] = await db
    .select({ user: users, unitPath: orgUnits.path })
    .from(users)
    .innerJoin(orgUnits, eq(orgUnits.id, users.unitId))
    .where(eq(users.id, id))
    .for('update', { of: users });
  if (!row) return undefined;
  const held = await db
    .select({ code: roles.code, name: roles.name, permissions: roles.permissions })
    .from(userRoles)
    .innerJoin(roles, eq(roles.code, userRoles.roleCode))
    .where(eq(userRoles.userId, id))
    .orderBy(asc(roles.code));
  return { ...row, roles: held };
}

export async function findUserIdByUsername(db: Executor, username: string): Promise<string | undefined> {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.username, username));
  return row?.id;
}

export async function phoneTaken(db: Executor, phoneHash: string, exceptUserId?: string): Promise<boolean> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.phoneHash, phoneHash), exceptUserId ? ne(users.id, exceptUserId) : undefined))
    .limit(1);
  return !!row;
}

export async function insertUser(db: Executor, row: typeof users.$inferInsert): Promise<UserRow> {
  const [created] = await db.insert(users).values(row).returning();
  return created;
}

/** Optimistic update: returns undefined when the version no longer matches. */
export async function updateUser(db: Executor, id: string, version: number, data: Partial<typeof users.$inferInsert>): Promise<UserRow | undefined> {
  const [row] = await db
    .update(users)
    .set({ ...data, version: version + 1, updatedAt: new Date() })
    .where(and(eq(users.id, id), eq(users.version, version)))
    .returning();
  return row;
}

export async function replaceUserRoles(db: Executor, userId: string, roleCodes: string[]): Promise<void> {
  await db.delete(userRoles).where(eq(userRoles.userId, userId));
  if (roleCodes.length) await db.insert(userRoles).values(roleCodes.map((roleCode) => ({ userId, roleCode })));
}

/** Logs the user out everywhere: after a reset or when the account is disabled. */
export async function deleteUserSessions(db: Executor, userId: string): Promise<number> {
  const gone = await db.delete(sessions).where(eq(sessions.userId, userId)).returning({ t: sessions.tokenHash });
  return gone.length;
}

// ---- roles ----

export async function getRolesByCodes(db: Executor, codes: string[]): Promise<RoleRow[]> {
  if (codes.length === 0) return [];
  return db.select().from(roles).where(inArray(roles.code, codes));
}

export async function getRole(db: Executor, code: string): Promise<RoleRow | undefined> {
  const [row] = await db.select().from(roles).where(eq(roles.code, code));
  return row;
}

export async function getRoleForUpdate(db: Executor, code: string): Promise<RoleRow | undefined> {
  const [row] = await db.select().from(roles).where(eq(roles.code, code)).for('update');
  return row;
}

/** Every role with the number of its holders whose unit is in the scope. */
export async function listRoles(db: Executor, scope: Scope) {
  const prefix = scope.isAll ? '/' : scope.rootPath;
  const userCount = sql<number>`(SELECT count(*)::int FROM user_roles ur JOIN users u ON u.id = ur.user_id JOIN org_units o ON o.id = u.unit_id
      WHERE ur.role_code = ${roles.code} AND o.path LIKE ${`${prefix}%`})`;
  return db.select({ role: roles, userCount }).from(roles).orderBy(asc(roles.code));
}

/** Holders anywhere, active or not: a held role cannot be deleted. */
export async function countRoleHolders(db: Executor, code: string): Promise<number> {
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(userRoles).where(eq(userRoles.roleCode, code));
  return n;
}

export async function insertRole(db: Executor, row: typeof roles.$inferInsert): Promise<RoleRow> {
  const [created] = await db.insert(roles).values(row).returning();
  return created;
}

export async function updateRole(db: Executor, code: string, version: number, data: Partial<typeof roles.$inferInsert>): Promise<RoleRow | undefined> {
  const [row] = await db
    .update(roles)
    .set({ ...data, version: version + 1 })
    .where(and(eq(roles.code, code), eq(roles.version, version)))
    .returning();
  return row;
}

export async function deleteRole(db: Executor, code: string): Promise<void> {
  await db.delete(roles).where(eq(roles.code, code));
}
