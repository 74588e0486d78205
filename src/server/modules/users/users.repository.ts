/** All SQL about staff accounts and memberships. Rows stay here; callers get `UserRecord`s. */
import type { Executor } from '../../platform/db/database.js';
import type { Role } from '../../../contracts/roles.js';
import { newId } from '../../platform/ids.js';

export interface UserRecord {
  id: string;
  email: string;
  displayName: string;
  passwordHash: string | null;
  mfaSecret: string | null;
  mfaEnabled: boolean;
  mfaLastStep: number | null;
  failedLogins: number;
  lockedUntil: string | null;
  isPlatformAdmin: boolean;
  status: 'active' | 'disabled';
  locale: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface OrgUser extends UserRecord {
  roles: Role[];
}

const columns = [
  'id',
  'email',
  'display_name',
  'password_hash',
  'mfa_secret',
  'mfa_enabled',
  'mfa_last_step',
  'failed_logins',
  'locked_until',
  'is_platform_admin',
  'status',
  'locale',
  'version',
  'created_at',
  'updated_at',
] as const;

type Row = {
  id: string;
  email: string;
  display_name: string;
  password_hash: string | null;
  mfa_secret: string | null;
  mfa_enabled: number;
  mfa_last_step: number | null;
  failed_logins: number;
  locked_until: string | null;
  is_platform_admin: number;
  status: string;
  locale: string;
  version: number;
  created_at: string;
  updated_at: string;
};

const toRecord = (r: Row): UserRecord => ({
  id: r.id,
  email: r.email,
  displayName: r.display_name,
  passwordHash: r.password_hash,
  mfaSecret: r.mfa_secret,
  mfaEnabled: r.mfa_enabled === 1,
  mfaLastStep: r.mfa_last_step === null ? null : Number(r.mfa_last_step),
  failedLogins: r.failed_logins,
  lockedUntil: r.locked_until,
  isPlatformAdmin: r.is_platform_admin === 1,
  status: r.status === 'disabled' ? 'disabled' : 'active',
  locale: r.locale,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export async function countUsers(db: Executor): Promise<number> {
  const r = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function findUserByEmail(db: Executor, email: string): Promise<UserRecord | undefined> {
  const r = await db.selectFrom('users').select(columns).where('email', '=', email.toLowerCase()).executeTakeFirst();
  return r ? toRecord(r) : undefined;
}

export async function findUserById(db: Executor, id: string): Promise<UserRecord | undefined> {
  const r = await db.selectFrom('users').select(columns).where('id', '=', id).executeTakeFirst();
  return r ? toRecord(r) : undefined;
}

export async function insertUser(
  db: Executor,
  u: { email: string; displayName: string; passwordHash: string | null; isPlatformAdmin: boolean; now: string },
): Promise<string> {
  const id = newId();
  await db
    .insertInto('users')
    .values({
      id,
      email: u.email.toLowerCase(),
      display_name: u.displayName,
      password_hash: u.passwordHash,
      password_changed_at: u.passwordHash ? u.now : null,
      mfa_secret: null,
      mfa_enabled: 0,
      mfa_last_step: null,
      locked_until: null,
      is_platform_admin: u.isPlatformAdmin ? 1 : 0,
      status: 'active',
      locale: 'en',
      created_at: u.now,
      updated_at: u.now,
    })
    .execute();
  return id;
}

export type UserPatch = Partial<{
  displayName: string;
  passwordHash: string;
  mfaSecret: string | null;
  mfaEnabled: boolean;
  mfaLastStep: number | null;
  failedLogins: number;
  lockedUntil: string | null;
  status: 'active' | 'disabled';
  locale: string;
}>;

/**
 * Update a user. With `expectedVersion`, the update applies only if nobody changed the record
 * since (returns false otherwise); without it (sign-in bookkeeping) it always applies.
 */
export async function updateUser(db: Executor, id: string, patch: UserPatch, now: string, expectedVersion?: number): Promise<boolean> {
  let q = db
    .updateTable('users')
    .set((eb) => ({
      updated_at: now,
      version: eb('version', '+', 1),
      ...(patch.displayName !== undefined && { display_name: patch.displayName }),
      ...(patch.passwordHash !== undefined && { password_hash: patch.passwordHash, password_changed_at: now }),
      ...(patch.mfaSecret !== undefined && { mfa_secret: patch.mfaSecret }),
      ...(patch.mfaEnabled !== undefined && { mfa_enabled: patch.mfaEnabled ? 1 : 0 }),
      ...(patch.mfaLastStep !== undefined && { mfa_last_step: patch.mfaLastStep }),
      ...(patch.failedLogins !== undefined && { failed_logins: patch.failedLogins }),
      ...(patch.lockedUntil !== undefined && { locked_until: patch.lockedUntil }),
      ...(patch.status !== undefined && { status: patch.status }),
      ...(patch.locale !== undefined && { locale: patch.locale }),
    }))
    .where('id', '=', id);
  if (expectedVersion !== undefined) q = q.where('version', '=', expectedVersion);
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** A reserved sign-in attempt: its place in the count of failures, or the lock that refused it. */
export type LoginAttempt = { locked: false; failures: number } | { locked: true; lockedUntil: string };

/**
 * Reserve one password or code attempt BEFORE checking it, in a single statement: count it as a
 * failure, unless the account is locked. Concurrent attempts each get their own place in the
 * count, so a burst cannot have more attempts checked than the lockout allows (a check-then-count
 * would let every request of the burst pass the lock check before any failure was recorded).
 * The count does not change the record's version: it is not part of what administrators edit.
 */
export async function reserveLoginAttempt(db: Executor, id: string, now: string): Promise<LoginAttempt> {
  const r = await db
    .updateTable('users')
    .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
    .where('id', '=', id)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .returning('failed_logins')
    .executeTakeFirst();
  if (r) return { locked: false, failures: Number(r.failed_logins) };
  const row = await db.selectFrom('users').select('locked_until').where('id', '=', id).executeTakeFirst();
  return { locked: true, lockedUntil: row?.locked_until ?? now };
}

/**
 * Lock the account until `until` unless a lock is already running (a concurrent attempt set it
 * first); the failure count starts again from zero for when the lock ends. Returns the lock in
 * force: `until`, or the earlier one.
 */
export async function lockAccount(db: Executor, id: string, until: string, now: string): Promise<string> {
  const r = await db
    .updateTable('users')
    .set((eb) => ({ locked_until: until, failed_logins: 0, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .returning('locked_until')
    .executeTakeFirst();
  if (r?.locked_until) return r.locked_until;
  const row = await db.selectFrom('users').select('locked_until').where('id', '=', id).executeTakeFirst();
  return row?.locked_until ?? until;
}

/**
 * After a right password or code: the failure count starts again from zero, and a lock that has
 * ended is cleared. A lock still running (set by a concurrent burst) stays.
 */
export async function clearFailedLogins(db: Executor, id: string, now: string): Promise<void> {
  await db.updateTable('users').set({ failed_logins: 0 }).where('id', '=', id).where('failed_logins', '!=', 0).execute();
  await db
    .updateTable('users')
    .set((eb) => ({ locked_until: null, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('locked_until', '<=', now)
    .execute();
}

/**
 * Record `step` as the last TOTP time step used, only if it is later than the one recorded: two
 * concurrent checks of the same code cannot both succeed (RFC 6238 §5.2). False when it was not.
 */
export async function claimTotpStep(db: Executor, id: string, step: number, now: string): Promise<boolean> {
  const res = await db
    .updateTable('users')
    .set((eb) => ({ mfa_last_step: step, failed_logins: 0, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where((eb) => eb.or([eb('mfa_last_step', 'is', null), eb('mfa_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function rolesIn(db: Executor, userId: string, organizationId: string): Promise<Role[]> {
  const rows = await db
    .selectFrom('memberships')
    .select('role')
    .where('user_id', '=', userId)
    .where('organization_id', '=', organizationId)
    .orderBy('role')
    .execute();
  return rows.map((r) => r.role as Role);
}

/** The organizations a user belongs to, oldest membership first. */
export async function organizationsOf(db: Executor, userId: string): Promise<{ id: string; name: string }[]> {
  return db
    .selectFrom('memberships as m')
    .innerJoin('organizations as o', 'o.id', 'm.organization_id')
    .select(['o.id', 'o.name'])
    .where('m.user_id', '=', userId)
    .groupBy(['o.id', 'o.name'])
    .orderBy('o.name')
    .execute();
}

export async function setRoles(db: Executor, userId: string, organizationId: string, roles: readonly Role[], now: string): Promise<void> {
  await db.deleteFrom('memberships').where('user_id', '=', userId).where('organization_id', '=', organizationId).execute();
  const unique = [...new Set(roles)];
  if (unique.length === 0) return;
  await db
    .insertInto('memberships')
    .values(unique.map((role) => ({ id: newId(), organization_id: organizationId, user_id: userId, role, created_at: now })))
    .execute();
}

/** Users with at least one role in the organization, with their roles there. */
export async function listOrgUsers(db: Executor, organizationId: string): Promise<OrgUser[]> {
  const rows = await db
    .selectFrom('users as u')
    .innerJoin('memberships as m', 'm.user_id', 'u.id')
    .select(columns.map((c) => `u.${c}` as const))
    .select('m.role')
    .where('m.organization_id', '=', organizationId)
    .orderBy('u.display_name')
    .orderBy('u.id')
    .execute();
  const byId = new Map<string, OrgUser>();
  for (const r of rows) {
    const existing = byId.get(r.id);
    if (existing) existing.roles.push(r.role as Role);
    else byId.set(r.id, { ...toRecord(r), roles: [r.role as Role] });
  }
  return [...byId.values()];
}

/** One user as seen from an organization: undefined when they have no role there. */
export async function findOrgUser(db: Executor, organizationId: string, userId: string): Promise<OrgUser | undefined> {
  const user = await findUserById(db, userId);
  if (!user) return undefined;
  const roles = await rolesIn(db, userId, organizationId);
  if (roles.length === 0) return undefined;
  return { ...user, roles };
}

/** Take a person off every team of the organization (and off supervising any). */
export async function removeFromTeams(db: Executor, organizationId: string, userId: string): Promise<void> {
  await db.deleteFrom('team_members').where('organization_id', '=', organizationId).where('user_id', '=', userId).execute();
  await db
    .updateTable('teams')
    .set({ supervisor_user_id: null })
    .where('organization_id', '=', organizationId)
    .where('supervisor_user_id', '=', userId)
    .execute();
}
