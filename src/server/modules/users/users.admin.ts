/** Operator actions from the command line (no session): create an administrator. */
import type { Db } from '../../platform/db/database.js';
import type { Clock } from '../../platform/clock.js';
import type { Config } from '../../platform/config.js';
import { appendAudit } from '../../platform/audit/audit.js';
import { issueToken, linkFor } from '../../platform/auth/one-time-tokens.js';
import { isValidTimeZone } from '../../platform/time.js';
import { insertOrganization, listOrganizations } from '../organizations/organizations.repository.js';
import { findUserByEmail, insertUser, rolesIn, setRoles } from './users.repository.js';

/**
 * Make `email` an administrator of the named organization (created if it does not exist; the
 * only organization when there is one and none is named). Returns a one-time set-password link.
 * This is also the operator's way to help someone locked out of an account that spans several
 * organizations (no organization's admin may reset such a password). `platformAdmin` lets the
 * person create organizations; only the first-run administrator has it otherwise.
 */
export async function createAdmin(
  db: Db,
  clock: Clock,
  config: Config,
  input: { email: string; displayName: string; organizationName?: string | undefined; timeZone?: string | undefined; platformAdmin?: boolean | undefined },
): Promise<string> {
  const email = input.email.trim().toLowerCase();
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new Error('--email must be an email address');
  const timeZone = input.timeZone ?? 'America/New_York';
  if (!isValidTimeZone(timeZone)) throw new Error(`--time-zone ${timeZone} is not a known time zone`);
  return db.transaction().execute(async (trx) => {
    const now = clock.now();
    const iso = now.toISOString();
    const orgs = await listOrganizations(trx);
    let org = input.organizationName ? orgs.find((o) => o.name === input.organizationName) : orgs.length === 1 ? orgs[0] : undefined;
    let orgId = org?.id;
    if (!orgId) {
      if (!input.organizationName && orgs.length > 1) throw new Error('Several organizations exist: name one with --organization');
      orgId = await insertOrganization(trx, { name: input.organizationName ?? 'My organization', timeZone, requireMfa: false, now: iso });
      org = undefined;
    }
    const existing = await findUserByEmail(trx, email);
    const userId = existing?.id ?? (await insertUser(trx, { email, displayName: input.displayName, passwordHash: null, isPlatformAdmin: input.platformAdmin === true, now: iso }));
    if (existing && input.platformAdmin && !existing.isPlatformAdmin) {
      await trx.updateTable('users').set({ is_platform_admin: 1, updated_at: iso }).where('id', '=', userId).execute();
    }
    const roles = new Set(await rolesIn(trx, userId, orgId));
    roles.add('admin');
    await setRoles(trx, userId, orgId, [...roles], iso);
    await appendAudit(trx, clock, [
      {
        organizationId: orgId,
        actorUserId: null,
        action: 'cli.create_admin',
        outcome: 'success',
        targetType: 'user',
        targetIds: [userId],
        details: { created: !existing, platformAdmin: input.platformAdmin === true },
      },
    ]);
    const { token } = await issueToken(trx, { purpose: 'password_reset', userId, organizationId: orgId, createdBy: null, now });
    return linkFor(config.publicUrl, 'reset-password', token);
  });
}
