import { hash, verify } from '@node-rs/argon2';
import type { Me } from '../../../contracts/auth.ts';
import { LOCK_MINUTES, MAX_FAILED_LOGINS, checkPassword } from '../../../domain/password.ts';
import { maskPhone } from '../../../domain/masking.ts';
import type { Deps } from '../../deps.ts';
import type { Actor, RequestContext } from '../../http/actor.ts';
import { AppError } from '../../http/errors.ts';
import { randomToken, sha256 } from '../../lib/crypto.ts';
import { audit } from '../audit/index.ts';
import * as repo from './auth.repo.ts';

export const hashPassword = (password: string): Promise<string> => hash(password);

// Verified against when the username is unknown, so that a miss costs as much as a hit.
const DUMMY_HASH = await hash('dummy-password-for-timing');

/** The one answer to an unknown account and to a wrong password (no enumeration, no attempts-left hint). */
export const INVALID_CREDENTIALS_MESSAGE = `用户名或密码错误（连续 ${MAX_FAILED_LOGINS} 次错误将锁定账号 ${LOCK_MINUTES} 分钟）`;

export type LoginResult = { token: string; csrfToken: string; userId: string };

export async function login(
  deps: Deps,
  input: { username: string; password: string },
  client: { ip: string; userAgent: string | undefined },
): Promise<LoginResult> {
  const isPhone = /^1\d{10}$/.test(input.username);
  const user = await repo.findUserForLogin(
    deps.db,
    isPhone ? { phoneHash: deps.crypto.lookupHash(input.username) } : { username: input.username },
  );
  const failCtx = { actor: anonymous(input.username), ip: client.ip };
  if (!user) {
    await verify(DUMMY_HASH, input.password);
    throw new AppError('INVALID_CREDENTIALS', INVALID_CREDENTIALS_MESSAGE);
  }
  // The password is checked first, so that only someone who knows it learns that the account is
  // locked: a wrong password answers the same as an unknown account (no attempts-left hint either).
  const passwordOk = await verify(user.passwordHash, input.password);
  const locked = user.lockedUntil && user.lockedUntil > new Date();
  if (!passwordOk) {
    if (!locked) {
      await repo.recordLoginFailure(deps.db, user.id, MAX_FAILED_LOGINS, LOCK_MINUTES);
      await audit(deps.db, failCtx, { action: 'login_failed', entity: 'session', entityId: user.id });
    }
    throw new AppError('INVALID_CREDENTIALS', INVALID_CREDENTIALS_MESSAGE);
  }
  if (locked && user.lockedUntil) {
    const minutes = Math.ceil((user.lockedUntil.getTime() - Date.now()) / 60000);
    throw new AppError('ACCOUNT_LOCKED', `连续登录失败次数过多，账号已锁定，请 ${minutes} 分钟后再试`);
  }
  if (!user.isActive) throw new AppError('ACCOUNT_DISABLED', '账号已停用，请联系管理员');

  const token = randomToken();
  const csrfToken = randomToken(24);
  await deps.db.transaction(async (tx) => {
    await repo.recordLoginSuccess(tx, user.id);
    await repo.insertSession(tx, {
      tokenHash: sha256(token),
      userId: user.id,
      csrfToken,
      ip: client.ip,
      userAgent: client.userAgent?.slice(0, 300) ?? null,
    });
    await audit(tx, { actor: { ...anonymous(user.username), userId: user.id, name: user.name, unitId: user.unitId }, ip: client.ip }, {
      action: 'login',
      entity: 'session',
      entityId: user.id,
    });
  });
  return { token, csrfToken, userId: user.id };
}

export async function logout(deps: Deps, token: string, ctx: RequestContext): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await repo.deleteSession(tx, sha256(token));
    await audit(tx, ctx, { action: 'logout', entity: 'session', entityId: ctx.actor.userId });
  });
}

const TOUCH_EVERY_MS = 10_000;

export type SessionState =
  | { kind: 'none' }
  | { kind: 'expired' }
  | { kind: 'ok'; actor: Actor; csrfToken: string; mustChangePassword: boolean; profile?: repo.ProfileRow };

/** Resolves a cookie token to an actor, applying the idle timeout. */
export async function resolveSession(deps: Deps, token: string, withProfile = false): Promise<SessionState> {
  const tokenHash = sha256(token);
  const row = await repo.findSession(deps.database, tokenHash, withProfile);
  if (!row?.is_active) return { kind: 'none' };
  const idleMs = Date.now() - new Date(row.last_seen_at).getTime();
  if (idleMs > deps.config.sessionIdleMinutes * 60_000) {
    await repo.deleteSession(deps.db, tokenHash);
    return { kind: 'expired' };
  }
  // Touch at most every TOUCH_EVERY_MS: an idle timeout of minutes needs no write per request, and
  // the last use is then known to within 10 s (a once-a-minute touch lost a session's first minute).
  if (idleMs > TOUCH_EVERY_MS) await repo.touchSession(deps.db, tokenHash);
  return {
    kind: 'ok',
    csrfToken: row.csrf_token,
    mustChangePassword: row.must_change_password,
    actor: {
      userId: row.user_id,
      username: row.username,
      name: row.name,
      unitId: row.unit_id,
      unitPath: row.unit_path,
      roles: row.roles,
      permissions: new Set(row.permissions),
      gridIds: new Set(row.grid_ids),
    },
    ...(withProfile && { profile: row as repo.SessionRow & repo.ProfileRow }),
  };
}

/** GET /api/auth/me (and the answer to a login): a session resolved with its profile. */
export function presentMe(deps: Deps, actor: Actor, csrfToken: string, profile: repo.ProfileRow): Me {
  return {
    user: {
      id: actor.userId,
      username: actor.username,
      name: actor.name,
      phoneMasked: profile.phone_enc ? maskPhone(deps.crypto.decrypt(profile.phone_enc)) : null,
      mustChangePassword: profile.must_change_password,
    },
    unit: { id: actor.unitId, name: profile.unit_name, kind: profile.unit_kind, path: profile.path_names },
    roles: profile.role_names,
    permissions: [...actor.permissions].sort(),
    csrfToken,
    isDemo: deps.isDemo,
  };
}

/** Changes the user's own password and ends all their other sessions (a stolen session dies with the old password). */
export async function changePassword(deps: Deps, ctx: RequestContext, sessionToken: string, oldPassword: string, newPassword: string): Promise<void> {
  const user = await repo.findUserById(deps.db, ctx.actor.userId);
  if (!(await verify(user.passwordHash, oldPassword))) {
    throw new AppError('VALIDATION_FAILED', '原密码不正确', [{ path: 'body.oldPassword', message: '原密码不正确' }]);
  }
  const problem = checkPassword(newPassword, user.username);
  if (problem) throw new AppError('VALIDATION_FAILED', problem, [{ path: 'body.newPassword', message: problem }]);
  if (await verify(user.passwordHash, newPassword)) {
    throw new AppError('VALIDATION_FAILED', '新密码不能与原密码相同', [{ path: 'body.newPassword', message: '新密码不能与原密码相同' }]);
  }
  const passwordHash = await hashPassword(newPassword);
  await deps.db.transaction(async (tx) => {
    await repo.setPassword(tx, user.id, passwordHash, user.version + 1);
    const sessionsEnded = await repo.deleteOtherSessions(tx, user.id, sha256(sessionToken));
    await audit(tx, ctx, { action: 'change_password', entity: 'user', entityId: user.id, after: { sessionsEnded } });
  });
}

function anonymous(username: string): Actor {
  return { userId: '', username, name: username, unitId: '', unitPath: '', roles: [], permissions: new Set(), gridIds: new Set() };
}
