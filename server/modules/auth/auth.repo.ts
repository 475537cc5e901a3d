import { and, eq, ne, sql } from 'drizzle-orm';
import { type Database, type Executor, rowsOf } from '../../db/client.ts';
import { users } from '../../db/schema.ts';
import { sessions } from './auth.tables.ts';

export type SessionRow = {
  user_id: string;
  csrf_token: string;
  last_seen_at: Date | string;
  username: string;
  name: string;
  unit_id: string;
  is_active: boolean;
  must_change_password: boolean;
  unit_path: string;
  roles: string[];
  permissions: string[];
  grid_ids: string[];
};

/** What /api/auth/me shows besides the session: phone, unit, the names along its path, roles. */
export type ProfileRow = {
  must_change_password: boolean;
  phone_enc: string | null;
  unit_name: string;
  unit_kind: string;
  path_names: string[];
  role_names: { code: string; name: string }[];
};

/**
 * The one query every authenticated request runs: session, user, unit path, roles, permissions
 * and the grids the user works as 网格员 (part of their issue scope). bench/ measures our whole
 * pipeline against this same SQL through bare `pg`.
 */
export const SESSION_SQL = `
SELECT s.user_id, s.csrf_token, s.last_seen_at, u.username, u.name, u.unit_id, u.is_active,
       u.must_change_password, o.path AS unit_path,
       coalesce(array_agg(DISTINCT r.code) FILTER (WHERE r.code IS NOT NULL), '{}') AS roles,
       coalesce(array_agg(DISTINCT p.perm) FILTER (WHERE p.perm IS NOT NULL), '{}') AS permissions,
       (SELECT coalesce(array_agg(gw.grid_id::text ORDER BY gw.grid_id), '{}') FROM grid_workers gw WHERE gw.user_id = u.id) AS grid_ids
FROM sessions s
JOIN users u ON u.id = s.user_id
JOIN org_units o ON o.id = u.unit_id
LEFT JOIN user_roles ur ON ur.user_id = u.id
LEFT JOIN roles r ON r.code = ur.role_code
LEFT JOIN LATERAL unnest(r.permissions) AS p(perm) ON true
WHERE s.token_hash = $1
GROUP BY s.token_hash, u.id, o.path`;

/** SESSION_SQL and the profile in one statement: for /api/auth/me and the answer to a login. */
export const SESSION_PROFILE_SQL = `WITH s AS (${SESSION_SQL})
SELECT s.*, u.phone_enc, o.name AS unit_name, o.kind AS unit_kind,
       (SELECT array_agg(a.name ORDER BY a.depth) FROM org_units a
          WHERE a.id = ANY (string_to_array(trim(BOTH '/' FROM s.unit_path), '/')::uuid[])) AS path_names,
       (SELECT coalesce(json_agg(json_build_object('code', r.code, 'name', r.name) ORDER BY r.code), '[]')
          FROM user_roles ur JOIN roles r ON r.code = ur.role_code WHERE ur.user_id = s.user_id) AS role_names
FROM s JOIN users u ON u.id = s.user_id JOIN org_units o ON o.id = s.unit_id`;

/** The session of a token hash (named statements: planning them costs more than running them), with the profile when asked. */
export async function findSession(database: Database, tokenHash: string, withProfile = false): Promise<(SessionRow & Partial<ProfileRow>) | undefined> {
  const res = withProfile
    ? await database.query<SessionRow & ProfileRow>(SESSION_PROFILE_SQL, [tokenHash], 'auth.sessionProfile')
    : await database.query<SessionRow>(SESSION_SQL, [tokenHash], 'auth.session');
  return res.rows[0];
}

export async function touchSession(db: Executor, tokenHash: string): Promise<void> {
  await db.update(sessions).set({ lastSeenAt: new Date() }).where(eq(sessions.tokenHash, tokenHash));
}

export async function deleteSession(db: Executor, tokenHash: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
}

export async function deleteUserSessions(db: Executor, userId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}

/** Ends every session of the user but the one whose token hash is given (a password change keeps its own). */
export async function deleteOtherSessions(db: Executor, userId: string, keepTokenHash: string): Promise<number> {
  const res = await db.delete(sessions).where(and(eq(sessions.userId, userId), ne(sessions.tokenHash, keepTokenHash))).returning({ h: sessions.tokenHash });
  return res.length;
}

export async function insertSession(db: Executor, row: typeof sessions.$inferInsert): Promise<void> {
  await db.insert(sessions).values(row);
}

export async function findUserForLogin(db: Executor, login: { username?: string; phoneHash?: string }) {
  const cond = login.phoneHash ? eq(users.phoneHash, login.phoneHash) : eq(users.username, login.username ?? '');
  const [row] = await db.select().from(users).where(cond).limit(1);
  return row;
}

export async function recordLoginFailure(db: Executor, userId: string, maxFailures: number, lockMinutes: number) {
  // One statement, so concurrent failures count correctly.
  const res = await db.execute(sql`
    UPDATE users SET
      failed_logins = CASE WHEN failed_logins + 1 >= ${maxFailures} THEN 0 ELSE failed_logins + 1 END,
      locked_until = CASE WHEN failed_logins + 1 >= ${maxFailures} THEN now() + make_interval(mins => ${lockMinutes}) ELSE locked_until END
    WHERE id = ${userId}
    RETURNING failed_logins, locked_until`);
  return rowsOf<{ failed_logins: number; locked_until: Date | string | null }>(res)[0];
}

export async function findUserById(db: Executor, userId: string) {
  const [row] = await db.select().from(users).where(eq(users.id, userId));
  return row;
}

/** A password the user chose: the forced change is done. */
export async function setPassword(db: Executor, userId: string, passwordHash: string, version: number): Promise<void> {
  await db.update(users).set({ passwordHash, mustChangePassword: false, updatedAt: new Date(), version }).where(eq(users.id, userId));
}

export async function recordLoginSuccess(db: Executor, userId: string): Promise<void> {
  await db.update(users).set({ failedLogins: 0, lockedUntil: null, lastLoginAt: new Date() }).where(eq(users.id, userId));
}
