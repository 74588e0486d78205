/**
 * Staff accounts in an organization. New accounts have no password: the admin gets a one-time
 * link to pass on, so no password ever travels through an admin's hands. Role changes,
 * disabling, unlocking and resets are audited (permission changes, HIPAA 164.312(b)).
 */
import type { z } from 'zod';
import type { CreateUserBody, UpdateUserBody } from '../../../contracts/users.js';
import type { Ctx } from '../../platform/http/context.js';
import { AppError, errors } from '../../platform/errors.js';
import { issueToken, linkFor } from '../../platform/auth/one-time-tokens.js';
import { revokeUserSessions } from '../../platform/auth/sessions.js';
import * as repo from './users.repository.js';
import { presentUser } from './users.presenters.js';

export const listUsers = (ctx: Ctx): Promise<repo.OrgUser[]> => repo.listOrgUsers(ctx.db, ctx.actor.organizationId);

export async function getUser(ctx: Ctx, id: string): Promise<repo.OrgUser> {
  const u = await repo.findOrgUser(ctx.db, ctx.actor.organizationId, id);
  if (!u) throw errors.notFound('user');
  return u;
}

export interface OneTimeLinkOut {
  url: string;
  expiresAt: string;
}

async function passwordLink(ctx: Ctx, userId: string, publicUrl: string): Promise<OneTimeLinkOut> {
  const { token, expiresAt } = await issueToken(ctx.db, {
    purpose: 'password_reset',
    userId,
    organizationId: ctx.actor.organizationId,
    createdBy: ctx.actor.userId,
    now: ctx.clock.now(),
  });
  return { url: linkFor(publicUrl, 'reset-password', token), expiresAt };
}

export async function createUser(
  ctx: Ctx,
  input: z.output<typeof CreateUserBody>,
  publicUrl: string,
): Promise<{ user: repo.OrgUser; link: OneTimeLinkOut | null }> {
  const org = ctx.actor.organizationId;
  const now = ctx.clock.now().toISOString();
  const existing = await repo.findUserByEmail(ctx.db, input.email);
  let userId: string;
  if (existing) {
    // The same person may work for several organizations: add them here if they are not yet.
    if ((await repo.rolesIn(ctx.db, existing.id, org)).length > 0) {
      throw errors.duplicate('email', 'Someone in this organization already uses this email address');
    }
    userId = existing.id;
  } else {
    userId = await repo.insertUser(ctx.db, { email: input.email, displayName: input.displayName, passwordHash: null, isPlatformAdmin: false, now });
    await ctx.audit({ action: 'user.create', targetType: 'user', targetIds: [userId] });
  }
  await repo.setRoles(ctx.db, userId, org, input.roles, now);
  await ctx.audit({ action: 'membership.grant', targetType: 'user', targetIds: [userId], details: { roles: input.roles } });
  const link = existing ? null : await passwordLink(ctx, userId, publicUrl);
  return { user: await getUser(ctx, userId), link };
}

/**
 * An account (its name, status, password, lockout, sessions) is one for every organization the
 * person works for. An admin here may change it only when the person works here alone:
 * otherwise an admin of one organization could re-enable, rename or sign out someone another
 * organization manages (anyone can add an existing email to their own organization). Roles here
 * are always this organization's to change. No API role is exempt; the operator helps through
 * `lodestar create-admin`.
 */
async function requireAccountAuthority(ctx: Ctx, id: string, field: string, what: string): Promise<void> {
  if ((await repo.organizationsOf(ctx.db, id)).some((o) => o.id !== ctx.actor.organizationId)) {
    throw new AppError('auth.forbidden', `This person also works for another organization, so ${what} is not yours to change. Change their roles here, or remove them from this organization.`, {
      fields: [{ path: field, message: 'This person also works for another organization' }],
    });
  }
}

export async function updateUser(ctx: Ctx, id: string, input: z.output<typeof UpdateUserBody>): Promise<repo.OrgUser> {
  const current = await getUser(ctx, id);
  const now = ctx.clock.now();
  const iso = now.toISOString();
  if (id === ctx.actor.userId) {
    if (input.status === 'disabled') throw errors.invalid('status', 'You cannot disable your own account');
    if (input.roles && !input.roles.includes('admin')) throw errors.invalid('roles', 'You cannot remove your own admin role');
  }
  if (input.status !== undefined && input.status !== current.status) await requireAccountAuthority(ctx, id, 'status', 'their account status');
  if (input.displayName !== undefined && input.displayName !== current.displayName) await requireAccountAuthority(ctx, id, 'displayName', 'their name');
  const ok = await repo.updateUser(ctx.db, id, { displayName: input.displayName, status: input.status }, iso, input.version);
  if (!ok) {
    // The person as the API shows them (never the row: it holds the password hash and MFA
    // secret), read again after the failed update so a racing save's result is what comes back.
    const latest = await getUser(ctx, id);
    throw errors.conflict(presentUser(latest), latest.version);
  }
  const fields = Object.keys(input).filter((k) => k !== 'version' && input[k as keyof typeof input] !== undefined);
  await ctx.audit({ action: 'user.update', targetType: 'user', targetIds: [id], details: { fields } });
  if (input.roles) {
    await repo.setRoles(ctx.db, id, ctx.actor.organizationId, input.roles, iso);
    await ctx.audit({ action: 'membership.change', targetType: 'user', targetIds: [id], details: { from: current.roles, to: [...new Set(input.roles)].sort() } });
  }
  if (input.status === 'disabled' && current.status !== 'disabled') {
    await revokeUserSessions(ctx.db, id, now);
  }
  return getUser(ctx, id);
}

export async function resetPassword(ctx: Ctx, id: string, publicUrl: string): Promise<OneTimeLinkOut> {
  await getUser(ctx, id);
  // A password opens every organization the person works for. An admin of one of them who could
  // set it could sign in as the person elsewhere (anyone can add an existing email to their own
  // organization), so only a person who works here alone gets a link from this admin — whatever
  // their role. The operator can help from the command line (`lodestar create-admin`).
  if ((await repo.organizationsOf(ctx.db, id)).some((o) => o.id !== ctx.actor.organizationId)) {
    throw new AppError(
      'auth.forbidden',
      'This person also works for another organization, so an administrator here cannot reset their password. They can change it themselves on their account page, or ask the operator of Lodestar.',
    );
  }
  const link = await passwordLink(ctx, id, publicUrl);
  await ctx.audit({ action: 'user.password_reset_link', targetType: 'user', targetIds: [id] });
  return link;
}

export async function unlockUser(ctx: Ctx, id: string): Promise<repo.OrgUser> {
  await getUser(ctx, id);
  await requireAccountAuthority(ctx, id, 'id', 'their sign-in lockout');
  await repo.updateUser(ctx.db, id, { failedLogins: 0, lockedUntil: null }, ctx.clock.now().toISOString());
  await ctx.audit({ action: 'user.unlock', targetType: 'user', targetIds: [id] });
  return getUser(ctx, id);
}

export async function signOutUserEverywhere(ctx: Ctx, id: string): Promise<number> {
  await getUser(ctx, id);
  await requireAccountAuthority(ctx, id, 'id', 'signing them out of every organization');
  const n = await revokeUserSessions(ctx.db, id, ctx.clock.now());
  await ctx.audit({ action: 'user.sessions_revoke', targetType: 'user', targetIds: [id], details: { sessions: n } });
  return n;
}

/**
 * Remove a person from this organization: every role here ends, and so do their sessions opened
 * in this organization. The account, and its roles elsewhere, stay. History stays in the audit trail.
 */
export async function removeFromOrganization(ctx: Ctx, id: string): Promise<void> {
  const current = await getUser(ctx, id);
  if (id === ctx.actor.userId) throw errors.invalid('id', 'You cannot remove yourself from the organization');
  const now = ctx.clock.now();
  await repo.setRoles(ctx.db, id, ctx.actor.organizationId, [], now.toISOString());
  await repo.removeFromTeams(ctx.db, ctx.actor.organizationId, id);
  await revokeUserSessions(ctx.db, id, now, undefined, ctx.actor.organizationId);
  await ctx.audit({ action: 'membership.revoke', targetType: 'user', targetIds: [id], details: { roles: current.roles } });
}
