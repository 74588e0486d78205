/**
 * Server-side sessions. The browser holds a random token in an HttpOnly cookie; the database
 * holds only its SHA-256, so app servers stay stateless and a stolen database yields no session.
 * Idle logoff and an absolute limit are enforced on every request (HIPAA 164.312(a)(2)(iii)).
 */
import type { Executor } from '../db/database.js';
import type { Role } from '../../../contracts/roles.js';
import { hashToken, newToken } from '../ids.js';

export const SESSION_COOKIE = 'lodestar_session';

/** `verified`: fully signed in. `pending`: password given, TOTP code still due. `enroll`: the organization requires MFA and the user has none yet. */
export type MfaState = 'verified' | 'pending' | 'enroll';

export interface SessionInfo {
  id: string;
  userId: string;
  organizationId: string | null;
  mfaState: MfaState;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  organization: { id: string; name: string; timeZone: string; requireMfa: boolean } | null;
  user: {
    id: string;
    email: string;
    displayName: string;
    isPlatformAdmin: boolean;
    status: string;
    locale: string;
    mfaEnabled: boolean;
  };
  roles: Role[];
}

export async function createSession(
  db: Executor,
  args: { userId: string; organizationId: string | null; mfaState: MfaState; now: Date; absoluteMs: number; ip: string | null; userAgent: string | null },
): Promise<{ token: string; id: string; expiresAt: string }> {
  const token = newToken();
  const id = hashToken(token);
  const now = args.now.toISOString();
  const expiresAt = new Date(args.now.getTime() + args.absoluteMs).toISOString();
  await db
    .insertInto('sessions')
    .values({
      id,
      user_id: args.userId,
      organization_id: args.organizationId,
      mfa_state: args.mfaState,
      created_at: now,
      last_seen_at: now,
      expires_at: expiresAt,
      ip: args.ip,
      user_agent: args.userAgent?.slice(0, 300) ?? null,
      revoked_at: null,
    })
    .execute();
  return { token, id, expiresAt };
}

/**
 * The live session for a cookie token, or undefined when it is unknown, revoked, idle too long
 * or past its absolute limit.
 */
export async function loadSession(db: Executor, token: string, now: Date, idleMs: number): Promise<SessionInfo | undefined> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    // The organization comes with the session: every request needs its name, zone and MFA rule.
    .leftJoin('organizations as o', 'o.id', 's.organization_id')
    .select([
      'o.name as organization_name',
      'o.time_zone as organization_time_zone',
      'o.require_mfa as organization_require_mfa',
      's.id',
      's.user_id',
      's.organization_id',
      's.mfa_state',
      's.created_at',
      's.last_seen_at',
      's.expires_at',
      's.revoked_at',
      'u.email',
      'u.display_name',
      'u.is_platform_admin',
      'u.status',
      'u.locale',
      'u.mfa_enabled',
    ])
    .where('s.id', '=', hashToken(token))
    .executeTakeFirst();
  if (!row || row.revoked_at || row.status !== 'active') return undefined;
  const nowIso = now.toISOString();
  if (row.expires_at <= nowIso) return undefined;
  if (new Date(row.last_seen_at).getTime() + idleMs <= now.getTime()) return undefined;
  const roles = row.organization_id
    ? (
        await db
          .selectFrom('memberships')
          .select('role')
          .where('user_id', '=', row.user_id)
          .where('organization_id', '=', row.organization_id)
          .execute()
      ).map((r) => r.role as Role)
    : [];
  return {
    id: row.id,
    userId: row.user_id,
    organizationId: row.organization_id,
    mfaState: row.mfa_state as MfaState,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
    organization:
      row.organization_id && row.organization_name !== null && row.organization_time_zone !== null
        ? { id: row.organization_id, name: row.organization_name, timeZone: row.organization_time_zone, requireMfa: row.organization_require_mfa === 1 }
        : null,
    user: {
      id: row.user_id,
      email: row.email,
      displayName: row.display_name,
      isPlatformAdmin: row.is_platform_admin === 1,
      status: row.status,
      locale: row.locale,
      mfaEnabled: row.mfa_enabled === 1,
    },
    roles,
  };
}

/**
 * The organization of a user's most recent session (where they last worked: a switch moves the
 * session), whether or not it is still live; undefined when they have had none.
 */
export async function lastSessionOrganization(db: Executor, userId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('sessions')
    .select('organization_id')
    .where('user_id', '=', userId)
    .where('organization_id', 'is not', null)
    .orderBy('created_at', 'desc')
    .orderBy('last_seen_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.organization_id ?? undefined;
}

/** Record activity, at most once a minute per session, so reads do not each cost a write. */
export async function touchSession(db: Executor, session: SessionInfo, now: Date): Promise<void> {
  if (now.getTime() - new Date(session.lastSeenAt).getTime() < 60_000) return;
  await db.updateTable('sessions').set({ last_seen_at: now.toISOString() }).where('id', '=', session.id).execute();
}

export async function revokeSession(db: Executor, sessionId: string, now: Date): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: now.toISOString() })
    .where('id', '=', sessionId)
    .where('revoked_at', 'is', null)
    .execute();
}

/**
 * The organization now requires MFA: its live sessions of people who have no MFA must enrol
 * before anything else, as a new sign-in there would. Returns how many sessions changed.
 */
export async function requireEnrollmentIn(db: Executor, organizationId: string, now: Date): Promise<number> {
  const res = await db
    .updateTable('sessions')
    .set({ mfa_state: 'enroll' })
    .where('organization_id', '=', organizationId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .where('mfa_state', '=', 'verified')
    .where((eb) => eb('user_id', 'in', eb.selectFrom('users').select('id').where('mfa_enabled', '=', 0)))
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** Sign out everywhere: every live session of a user, optionally keeping one, or only those opened in one organization. */
export async function revokeUserSessions(db: Executor, userId: string, now: Date, keepSessionId?: string, organizationId?: string): Promise<number> {
  let q = db
    .updateTable('sessions')
    .set({ revoked_at: now.toISOString() })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (keepSessionId) q = q.where('id', '!=', keepSessionId);
  if (organizationId) q = q.where('organization_id', '=', organizationId);
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows);
}
