/**
 * Signing in and out, the MFA step, first-run setup and password (re)set through one-time links.
 * HIPAA 164.312(a)(1) unique user identification, (d) person authentication; every attempt,
 * successful or not, is audited.
 */
import type { z } from 'zod';
import type { Me, SetupBody } from '../../../contracts/auth.js';
import type { Db, Executor } from '../../platform/db/database.js';
import type { Clock } from '../../platform/clock.js';
import type { Config } from '../../platform/config.js';
import { AppError, errors } from '../../platform/errors.js';
import { appendAudit, type AuditEntry } from '../../platform/audit/audit.js';
import { burnPasswordCheck, hashPassword, passwordProblem, verifyPassword } from '../../platform/auth/passwords.js';
import { verifyTotpStep } from '../../platform/auth/totp.js';
import { consumeToken, issueToken, linkFor } from '../../platform/auth/one-time-tokens.js';
import { createSession, lastSessionOrganization, revokeSession, revokeUserSessions, type MfaState, type SessionInfo } from '../../platform/auth/sessions.js';
import { permissionsOf } from '../../permissions.js';
import * as users from '../users/users.repository.js';
import { findOrganization, insertOrganization } from '../organizations/organizations.repository.js';

export interface AuthDeps {
  db: Db;
  clock: Clock;
  config: Config;
}

export interface RequestMeta {
  requestId: string;
  ip: string;
  userAgent: string | undefined;
}

const audit = (db: Executor, clock: Clock, meta: RequestMeta, e: Omit<AuditEntry, 'requestId' | 'ip'>) =>
  appendAudit(db, clock, [{ ...e, requestId: meta.requestId, ip: meta.ip }]);

const invalidCredentials = () => new AppError('auth.invalid_credentials', 'The email address or password is not right. Check them and try again.');
export const lockedOut = (until: string, now: Date): AppError => {
  const minutes = Math.max(1, Math.ceil((new Date(until).getTime() - now.getTime()) / 60_000));
  return new AppError(
    'auth.locked',
    `Too many failed attempts. Wait ${minutes} ${minutes === 1 ? 'minute' : 'minutes'} and try again, or ask an administrator to unlock your account.`,
    { details: { lockedUntil: until } },
  );
};

const mfaInvalid = () =>
  new AppError('auth.mfa_invalid', 'That code is not right or has expired. Enter the newest code from your authenticator app.', {
    fields: [{ path: 'code', message: 'Enter the newest 6-digit code' }],
  });

/**
 * The organization a sign-in opens: where the person last worked (their most recent session's)
 * if they still have a role there, else their first by name. So another organization adding
 * their email does not become where they land.
 */
async function defaultOrganization(db: Executor, userId: string): Promise<string | null> {
  const theirs = await users.organizationsOf(db, userId);
  const last = await lastSessionOrganization(db, userId);
  if (last && theirs.some((o) => o.id === last)) return last;
  return theirs[0]?.id ?? null;
}

async function initialMfaState(db: Executor, user: users.UserRecord, organizationId: string | null): Promise<MfaState> {
  if (user.mfaEnabled) return 'pending';
  if (organizationId && (await findOrganization(db, organizationId))?.requireMfa) return 'enroll';
  return 'verified';
}

/*
 * The lockout (HIPAA 164.308(a)(5)(ii)(C)): every attempt at a secret — the password at sign-in,
 * the code at the MFA step, the current password on the account page — is counted BEFORE it is
 * checked, in one statement that also refuses a locked account. A burst of concurrent attempts
 * therefore gets at most `loginMaxFailures` checks: the later ones find the count over the limit
 * and lock the account without checking anything. A right secret starts the count again.
 */

/** An attempt counted before its check: its place in the count, or the lock that refuses it. */
export type ReservedAttempt = { failures: number; lockedUntil?: undefined } | { lockedUntil: string };

/** Count an attempt before checking it; an attempt beyond the limit locks the account and is refused. */
export async function reserveAttempt(deps: AuthDeps, userId: string, now: Date): Promise<ReservedAttempt> {
  const reserved = await users.reserveLoginAttempt(deps.db, userId, now.toISOString());
  if (reserved.locked) return { lockedUntil: reserved.lockedUntil };
  if (reserved.failures > deps.config.loginMaxFailures) return { lockedUntil: await lockAccount(deps.db, deps, userId, now) };
  return { failures: reserved.failures };
}

/** A reserved attempt turned out wrong (it is already counted): the one that reaches the limit locks the account. Returns the lock, if any. */
export async function attemptFailed(db: Executor, deps: AuthDeps, userId: string, reserved: { failures: number }, now: Date): Promise<string | null> {
  return reserved.failures >= deps.config.loginMaxFailures ? lockAccount(db, deps, userId, now) : null;
}

/** A reserved attempt was right: the count starts again (a lock set meanwhile by a concurrent burst stays). */
export const attemptSucceeded = (db: Executor, userId: string, now: Date): Promise<void> => users.clearFailedLogins(db, userId, now.toISOString());

const lockAccount = (db: Executor, deps: AuthDeps, userId: string, now: Date): Promise<string> =>
  users.lockAccount(db, userId, new Date(now.getTime() + deps.config.loginLockoutMs).toISOString(), now.toISOString());

export async function signIn(
  deps: AuthDeps,
  input: { email: string; password: string },
  meta: RequestMeta,
): Promise<{ token: string; sessionId: string }> {
  const { db, clock, config } = deps;
  const user = await users.findUserByEmail(db, input.email);
  if (!user || user.status !== 'active' || !user.passwordHash) {
    await burnPasswordCheck(input.password);
    await db.transaction().execute((trx) =>
      audit(trx, clock, meta, {
        organizationId: null,
        actorUserId: user?.id ?? null,
        action: 'auth.sign_in',
        outcome: 'failure',
        details: { reason: user ? 'inactive_account' : 'unknown_account' },
      }),
    );
    throw invalidCredentials();
  }
  const orgId = await defaultOrganization(db, user.id);
  const now = clock.now();
  const reserved = await reserveAttempt(deps, user.id, now);
  if (reserved.lockedUntil !== undefined) {
    await db.transaction().execute((trx) =>
      audit(trx, clock, meta, { organizationId: orgId, actorUserId: user.id, action: 'auth.sign_in', outcome: 'denied', details: { reason: 'locked' } }),
    );
    throw lockedOut(reserved.lockedUntil, now);
  }
  const ok = await verifyPassword(user.passwordHash, input.password);
  if (!ok) {
    const lockedUntil = await db.transaction().execute(async (trx) => {
      const until = await attemptFailed(trx, deps, user.id, reserved, now);
      await audit(trx, clock, meta, {
        organizationId: orgId,
        actorUserId: user.id,
        action: 'auth.sign_in',
        outcome: 'failure',
        details: { reason: 'bad_password', locked: until !== null },
      });
      return until;
    });
    if (lockedUntil) throw lockedOut(lockedUntil, now);
    throw invalidCredentials();
  }
  return db.transaction().execute(async (trx) => {
    await attemptSucceeded(trx, user.id, now);
    const mfaState = await initialMfaState(trx, user, orgId);
    const session = await createSession(trx, {
      userId: user.id,
      organizationId: orgId,
      mfaState,
      now,
      absoluteMs: config.sessionAbsoluteMs,
      ip: meta.ip,
      userAgent: meta.userAgent ?? null,
    });
    await audit(trx, clock, meta, {
      organizationId: orgId,
      actorUserId: user.id,
      action: 'auth.sign_in',
      outcome: 'success',
      details: { mfa: mfaState },
    });
    return { token: session.token, sessionId: session.id };
  });
}

/**
 * The second step: a TOTP code. Success replaces the session with a new one (a new token), so a
 * token seen before the MFA step is worth nothing after it.
 */
export async function verifyMfa(deps: AuthDeps, session: SessionInfo, code: string, meta: RequestMeta): Promise<{ token: string }> {
  const { db, clock, config } = deps;
  if (session.mfaState !== 'pending') throw errors.invalid('code', 'No code is needed for this session');
  const user = await users.findUserById(db, session.userId);
  if (!user?.mfaSecret || !user.mfaEnabled) throw errors.unauthenticated();
  const now = clock.now();
  const reserved = await reserveAttempt(deps, user.id, now);
  if (reserved.lockedUntil !== undefined) {
    // A locked account ends the half-open session: the password step must be passed again.
    await db.transaction().execute(async (trx) => {
      await revokeSession(trx, session.id, now);
      await audit(trx, clock, meta, {
        organizationId: session.organizationId,
        actorUserId: user.id,
        action: 'auth.mfa_verify',
        outcome: 'denied',
        details: { reason: 'locked' },
      });
    });
    throw lockedOut(reserved.lockedUntil, now);
  }
  const step = await verifyTotpStep(user.mfaSecret, code, now, user.mfaLastStep);
  if (step === undefined) {
    const until = await db.transaction().execute(async (trx) => {
      const u = await attemptFailed(trx, deps, user.id, reserved, now);
      await audit(trx, clock, meta, {
        organizationId: session.organizationId,
        actorUserId: user.id,
        action: 'auth.mfa_verify',
        outcome: 'failure',
        details: { locked: u !== null },
      });
      if (u) await revokeSession(trx, session.id, now);
      return u;
    });
    if (until) throw lockedOut(until, now);
    throw mfaInvalid();
  }
  return db.transaction().execute(async (trx) => {
    // Another request may have used this code since it was checked: only one of them wins.
    if (!(await users.claimTotpStep(trx, user.id, step, now.toISOString()))) throw mfaInvalid();
    await attemptSucceeded(trx, user.id, now);
    await revokeSession(trx, session.id, now);
    const fresh = await createSession(trx, {
      userId: user.id,
      organizationId: session.organizationId,
      mfaState: 'verified',
      now,
      absoluteMs: Math.max(0, new Date(session.expiresAt).getTime() - now.getTime()) || config.sessionAbsoluteMs,
      ip: meta.ip,
      userAgent: meta.userAgent ?? null,
    });
    await audit(trx, clock, meta, { organizationId: session.organizationId, actorUserId: user.id, action: 'auth.mfa_verify', outcome: 'success' });
    return { token: fresh.token };
  });
}

export async function signOut(deps: AuthDeps, session: SessionInfo, meta: RequestMeta): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await revokeSession(trx, session.id, deps.clock.now());
    await audit(trx, deps.clock, meta, { organizationId: session.organizationId, actorUserId: session.userId, action: 'auth.sign_out', outcome: 'success' });
  });
}

// ---- first run

export const needsSetup = async (db: Executor): Promise<boolean> => (await users.countUsers(db)) === 0;

/** At boot with no users: a fresh one-time setup link (earlier ones stop working). */
export async function issueSetupLink(deps: AuthDeps): Promise<string | undefined> {
  return deps.db.transaction().execute(async (trx) => {
    if (!(await needsSetup(trx))) return undefined;
    const { token } = await issueToken(trx, { purpose: 'setup', userId: null, organizationId: null, createdBy: null, now: deps.clock.now() });
    return linkFor(deps.config.publicUrl, 'setup', token);
  });
}

export async function completeSetup(deps: AuthDeps, input: z.output<typeof SetupBody>, meta: RequestMeta): Promise<{ token: string }> {
  const problem = passwordProblem(input.admin.password, input.admin.email);
  if (problem) throw new AppError('auth.weak_password', problem, { fields: [{ path: 'admin.password', message: problem }] });
  const passwordHash = await hashPassword(input.admin.password);
  const { db, clock, config } = deps;
  return db.transaction().execute(async (trx) => {
    const now = clock.now();
    const iso = now.toISOString();
    if (!(await needsSetup(trx))) throw new AppError('setup.already_done', 'Lodestar is already set up. Sign in instead.');
    if (!(await consumeToken(trx, 'setup', input.token, now))) {
      throw new AppError('auth.token_invalid', 'This setup link has expired or was already used. Restart Lodestar to print a new one.', {
        fields: [{ path: 'token', message: 'Use the newest setup link' }],
      });
    }
    const orgId = await insertOrganization(trx, { name: input.organization.name, timeZone: input.organization.timeZone, requireMfa: false, now: iso });
    const userId = await users.insertUser(trx, { email: input.admin.email, displayName: input.admin.displayName, passwordHash, isPlatformAdmin: true, now: iso });
    await users.setRoles(trx, userId, orgId, ['admin'], iso);
    const base = { organizationId: orgId, actorUserId: userId, outcome: 'success' as const };
    await audit(trx, clock, meta, { ...base, action: 'setup.complete' });
    await audit(trx, clock, meta, { ...base, action: 'organization.create', targetType: 'organization', targetIds: [orgId] });
    await audit(trx, clock, meta, { ...base, action: 'user.create', targetType: 'user', targetIds: [userId] });
    await audit(trx, clock, meta, { ...base, action: 'membership.grant', targetType: 'user', targetIds: [userId], details: { roles: ['admin'] } });
    const session = await createSession(trx, {
      userId,
      organizationId: orgId,
      mfaState: 'verified',
      now,
      absoluteMs: config.sessionAbsoluteMs,
      ip: meta.ip,
      userAgent: meta.userAgent ?? null,
    });
    return { token: session.token };
  });
}

/** Set a password through a one-time link (a new account, or a reset an admin made). */
export async function resetPasswordWithToken(deps: AuthDeps, input: { token: string; password: string }, meta: RequestMeta): Promise<void> {
  const { db, clock } = deps;
  await db.transaction().execute(async (trx) => {
    const now = clock.now();
    const owner = await consumeToken(trx, 'password_reset', input.token, now);
    const user = owner?.userId ? await users.findUserById(trx, owner.userId) : undefined;
    if (!owner || !user) {
      throw new AppError('auth.token_invalid', 'This link has expired or was already used. Ask an administrator for a new one.', {
        fields: [{ path: 'token', message: 'Ask for a new link' }],
      });
    }
    const problem = passwordProblem(input.password, user.email);
    if (problem) throw new AppError('auth.weak_password', problem, { fields: [{ path: 'password', message: problem }] });
    const passwordHash = await hashPassword(input.password);
    await users.updateUser(trx, user.id, { passwordHash, failedLogins: 0, lockedUntil: null }, now.toISOString());
    await revokeUserSessions(trx, user.id, now);
    await audit(trx, clock, meta, { organizationId: owner.organizationId, actorUserId: user.id, action: 'auth.password_set', outcome: 'success', targetType: 'user', targetIds: [user.id] });
  });
}

// ---- who am I

export async function describeSession(db: Executor, session: SessionInfo, config: Config): Promise<z.output<typeof Me>> {
  const org = session.organization;
  const full = session.mfaState === 'verified';
  return {
    user: {
      id: session.user.id,
      email: session.user.email,
      displayName: session.user.displayName,
      locale: session.user.locale,
      mfaEnabled: session.user.mfaEnabled,
      isPlatformAdmin: session.user.isPlatformAdmin,
    },
    session: { mfaState: session.mfaState, expiresAt: session.expiresAt, idleTimeoutSeconds: Math.round(config.sessionIdleMs / 1000) },
    organization: org ? { id: org.id, name: org.name, timeZone: org.timeZone, requireMfa: org.requireMfa } : null,
    organizations: full ? await users.organizationsOf(db, session.userId) : [],
    roles: full ? [...session.roles].sort() : [],
    permissions: full ? permissionsOf(session.roles) : [],
  };
}
