/**
 * A person's own account: change password, enrol in or leave MFA, see and end sessions, switch
 * organization, choose a language. Sensitive changes ask for the password (or a code) again.
 */
import type { Executor } from '../../platform/db/database.js';
import type { Clock } from '../../platform/clock.js';
import { AppError, errors } from '../../platform/errors.js';
import { appendAudit, type AuditEntry } from '../../platform/audit/audit.js';
import { hashPassword, passwordProblem, verifyPassword } from '../../platform/auth/passwords.js';
import { newTotpSecret, totpQrSvg, totpUri, verifyTotpStep } from '../../platform/auth/totp.js';
import { createSession, revokeSession, revokeUserSessions, type SessionInfo } from '../../platform/auth/sessions.js';
import * as users from '../users/users.repository.js';
import { attemptFailed, attemptSucceeded, lockedOut, reserveAttempt, type AuthDeps, type RequestMeta } from '../auth/auth.usecases.js';

type Audit = Omit<AuditEntry, 'requestId' | 'ip' | 'actorUserId' | 'organizationId' | 'outcome'> & { outcome?: AuditEntry['outcome'] };

function auditFor(db: Executor, clock: Clock, session: SessionInfo, meta: RequestMeta) {
  return (e: Audit) =>
    appendAudit(db, clock, [
      { ...e, outcome: e.outcome ?? 'success', organizationId: session.organizationId, actorUserId: session.userId, requestId: meta.requestId, ip: meta.ip },
    ]);
}

async function requireUser(db: Executor, id: string): Promise<users.UserRecord> {
  const u = await users.findUserById(db, id);
  if (!u) throw errors.unauthenticated();
  return u;
}

const wrongPassword = (path: string) =>
  new AppError('auth.invalid_credentials', 'That password is not right.', { fields: [{ path, message: 'Enter your current password' }] });
const wrongCode = () =>
  new AppError('auth.mfa_invalid', 'That code is not right or has expired.', { fields: [{ path: 'code', message: 'Enter the newest 6-digit code' }] });

type Checked<T> = { ok: true; value: T } | { ok: false; reason: 'bad_password' | 'bad_code'; error: AppError };

/**
 * Check the password (and code) asked again before a sensitive change, under the same lockout as
 * sign-in: the attempt is counted before the check, so a stolen session cannot keep guessing.
 * A wrong answer is audited as a failure of `action`; at the limit the account is locked (sign-in
 * is refused; this session continues, but cannot try again until the lock ends).
 */
async function underLockout<T>(
  deps: AuthDeps,
  session: SessionInfo,
  meta: RequestMeta,
  action: 'account.password_change' | 'account.mfa_disable',
  check: () => Promise<Checked<T>>,
): Promise<T> {
  const now = deps.clock.now();
  const record = (db: Executor, outcome: 'failure' | 'denied', details: Record<string, unknown>) =>
    auditFor(db, deps.clock, session, meta)({ action, outcome, targetType: 'user', targetIds: [session.userId], details });
  const reserved = await reserveAttempt(deps, session.userId, now);
  if (reserved.lockedUntil !== undefined) {
    await deps.db.transaction().execute((trx) => record(trx, 'denied', { reason: 'locked' }));
    throw lockedOut(reserved.lockedUntil, now);
  }
  const result = await check();
  if (!result.ok) {
    const until = await deps.db.transaction().execute(async (trx) => {
      const u = await attemptFailed(trx, deps, session.userId, reserved, now);
      await record(trx, 'failure', { reason: result.reason, locked: u !== null });
      return u;
    });
    if (until) throw lockedOut(until, now);
    throw result.error;
  }
  await attemptSucceeded(deps.db, session.userId, now);
  return result.value;
}

/** Change password; every other session ends, this one continues. */
export async function changePassword(deps: AuthDeps, session: SessionInfo, input: { currentPassword: string; newPassword: string }, meta: RequestMeta): Promise<void> {
  const user = await requireUser(deps.db, session.userId);
  await underLockout(deps, session, meta, 'account.password_change', async () =>
    (await verifyPassword(user.passwordHash, input.currentPassword))
      ? { ok: true, value: undefined }
      : { ok: false, reason: 'bad_password', error: wrongPassword('currentPassword') },
  );
  const problem = passwordProblem(input.newPassword, user.email);
  if (problem) throw new AppError('auth.weak_password', problem, { fields: [{ path: 'newPassword', message: problem }] });
  const passwordHash = await hashPassword(input.newPassword);
  await deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    await users.updateUser(trx, user.id, { passwordHash }, now.toISOString());
    const ended = await revokeUserSessions(trx, user.id, now, session.id);
    await auditFor(trx, deps.clock, session, meta)({ action: 'account.password_change', targetType: 'user', targetIds: [user.id], details: { otherSessionsEnded: ended } });
  });
}

/** Start MFA enrolment: a new secret, shown once as a QR code. Takes effect on confirm. */
export async function startMfaSetup(deps: AuthDeps, session: SessionInfo): Promise<{ secret: string; otpauthUri: string; qrSvg: string }> {
  const user = await requireUser(deps.db, session.userId);
  if (user.mfaEnabled) throw errors.invalid('mfa', 'Two-step verification is already on. Turn it off first to set up a new device.');
  const secret = newTotpSecret();
  await users.updateUser(deps.db, user.id, { mfaSecret: secret }, deps.clock.now().toISOString());
  const otpauthUri = totpUri(secret, user.email);
  return { secret, otpauthUri, qrSvg: await totpQrSvg(otpauthUri) };
}

/** Confirm enrolment with a first code. A session that was waiting for enrolment becomes full (new token). */
export async function confirmMfa(deps: AuthDeps, session: SessionInfo, code: string, meta: RequestMeta): Promise<{ token: string | undefined }> {
  const user = await requireUser(deps.db, session.userId);
  if (user.mfaEnabled || !user.mfaSecret) throw errors.invalid('code', 'Start the set-up again to get a new QR code');
  const now = deps.clock.now();
  const step = await verifyTotpStep(user.mfaSecret, code, now, user.mfaLastStep);
  if (step === undefined) throw wrongCode();
  return deps.db.transaction().execute(async (trx) => {
    await users.updateUser(trx, user.id, { mfaEnabled: true, mfaLastStep: step }, now.toISOString());
    await auditFor(trx, deps.clock, session, meta)({ action: 'account.mfa_enable', targetType: 'user', targetIds: [user.id] });
    if (session.mfaState !== 'enroll') return { token: undefined };
    await revokeSession(trx, session.id, now);
    const fresh = await createSession(trx, {
      userId: user.id,
      organizationId: session.organizationId,
      mfaState: 'verified',
      now,
      absoluteMs: Math.max(1, new Date(session.expiresAt).getTime() - now.getTime()),
      ip: meta.ip,
      userAgent: meta.userAgent ?? null,
    });
    return { token: fresh.token };
  });
}

export async function disableMfa(deps: AuthDeps, session: SessionInfo, input: { password: string; code: string }, meta: RequestMeta): Promise<void> {
  const user = await requireUser(deps.db, session.userId);
  if (!user.mfaEnabled || !user.mfaSecret) throw errors.invalid('code', 'Two-step verification is not on');
  const secret = user.mfaSecret;
  const now = deps.clock.now();
  // The password and the code are one attempt: either wrong counts toward the lockout.
  const step = await underLockout(deps, session, meta, 'account.mfa_disable', async (): Promise<Checked<number>> => {
    if (!(await verifyPassword(user.passwordHash, input.password))) return { ok: false, reason: 'bad_password', error: wrongPassword('password') };
    const s = await verifyTotpStep(secret, input.code, now, user.mfaLastStep);
    return s === undefined ? { ok: false, reason: 'bad_code', error: wrongCode() } : { ok: true, value: s };
  });
  if (session.organizationId) {
    const orgs = await deps.db.selectFrom('organizations').select('require_mfa').where('id', '=', session.organizationId).executeTakeFirst();
    if (orgs?.require_mfa === 1) throw errors.invalid('code', 'Your organization requires two-step verification; it cannot be turned off.');
  }
  await deps.db.transaction().execute(async (trx) => {
    await users.updateUser(trx, user.id, { mfaEnabled: false, mfaSecret: null, mfaLastStep: step }, now.toISOString());
    await auditFor(trx, deps.clock, session, meta)({ action: 'account.mfa_disable', targetType: 'user', targetIds: [user.id] });
  });
}

export interface SessionView {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  userAgent: string | null;
  ip: string | null;
  current: boolean;
}

export async function listSessions(deps: AuthDeps, session: SessionInfo): Promise<SessionView[]> {
  const now = deps.clock.now();
  const idleCutoff = new Date(now.getTime() - deps.config.sessionIdleMs).toISOString();
  const rows = await deps.db
    .selectFrom('sessions')
    .select(['id', 'created_at', 'last_seen_at', 'expires_at', 'user_agent', 'ip'])
    .where('user_id', '=', session.userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .where('last_seen_at', '>', idleCutoff)
    .orderBy('last_seen_at', 'desc')
    .execute();
  return rows.map((r) => ({
    // The public id is a prefix of the stored hash: enough to name a session, useless as a cookie.
    id: r.id.slice(0, 16),
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    expiresAt: r.expires_at,
    userAgent: r.user_agent,
    ip: r.ip,
    current: r.id === session.id,
  }));
}

export async function endSession(deps: AuthDeps, session: SessionInfo, publicId: string, meta: RequestMeta): Promise<void> {
  const mine = await deps.db.selectFrom('sessions').select('id').where('user_id', '=', session.userId).where('revoked_at', 'is', null).execute();
  const target = mine.find((s) => s.id.slice(0, 16) === publicId);
  if (!target) throw errors.notFound('session');
  await deps.db.transaction().execute(async (trx) => {
    await revokeSession(trx, target.id, deps.clock.now());
    await auditFor(trx, deps.clock, session, meta)({ action: 'account.session_end', details: { current: target.id === session.id } });
  });
}

/** Sign out everywhere, this session included. */
export async function endAllSessions(deps: AuthDeps, session: SessionInfo, meta: RequestMeta): Promise<number> {
  return deps.db.transaction().execute(async (trx) => {
    const n = await revokeUserSessions(trx, session.userId, deps.clock.now());
    await auditFor(trx, deps.clock, session, meta)({ action: 'account.sign_out_everywhere', details: { sessions: n } });
    return n;
  });
}

export async function switchOrganization(deps: AuthDeps, session: SessionInfo, organizationId: string, meta: RequestMeta): Promise<void> {
  const roles = await users.rolesIn(deps.db, session.userId, organizationId);
  if (roles.length === 0) throw errors.notFound('organization');
  const org = await deps.db.selectFrom('organizations').select('require_mfa').where('id', '=', organizationId).executeTakeFirst();
  if (org?.require_mfa === 1 && !session.user.mfaEnabled) {
    throw new AppError('auth.mfa_enrollment_required', 'That organization requires two-step verification. Set it up on your account page first.');
  }
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('sessions').set({ organization_id: organizationId }).where('id', '=', session.id).execute();
    await appendAudit(trx, deps.clock, [
      { organizationId, actorUserId: session.userId, action: 'account.organization_switch', outcome: 'success', requestId: meta.requestId, ip: meta.ip },
    ]);
  });
}

export async function setLocale(deps: AuthDeps, session: SessionInfo, locale: 'en' | 'es'): Promise<void> {
  await users.updateUser(deps.db, session.userId, { locale }, deps.clock.now().toISOString());
}
