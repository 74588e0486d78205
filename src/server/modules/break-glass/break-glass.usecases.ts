/**
 * Break-the-glass (HIPAA 45 CFR 164.312(a)(2)(ii), emergency access procedure): a coach or
 * supervisor who needs a record outside their caseload or team states why, and the record opens
 * to them alone for `BREAK_GLASS_MINUTES`. `requireParticipantAccess` (participants.access.ts)
 * admits them while the grant lives, and every read through it is audited with the grant id.
 * The grant, its audit event and the notices to the caller's team supervisors and the privacy
 * officers are written in one transaction. The reason is kept on the grant (the privacy
 * officer's review log shows it); the audit event and the notices carry only ids.
 */
import type { z } from 'zod';
import { BREAK_GLASS_MINUTES, type AccessGrantsQuery, type BreakGlassBody } from '../../../contracts/access.js';
import type { Ctx } from '../../platform/http/context.js';
import { AppError, errors } from '../../platform/errors.js';
import { findOrganization } from '../organizations/organizations.repository.js';
import { activeGrant, scopeOf } from '../participants/participants.access.js';
import * as participants from '../participants/participants.repository.js';
import * as repo from './break-glass.repository.js';

export const BREAK_GLASS_MS = BREAK_GLASS_MINUTES * 60_000;
export const GRANTS_LIMIT = 500;
export const NOTIFICATIONS_LIMIT = 100;

/**
 * Ask for emergency access to one record. 404 for another organization's record or none;
 * 404 participant.merged for a merged one; 409 participant.in_scope when the caller already sees
 * it. While a grant of the caller's for this record is live, the same grant comes back (no new
 * rows, no second notice): `created` says which.
 */
export async function breakGlass(ctx: Ctx, participantId: string, input: z.output<typeof BreakGlassBody>): Promise<{ grantId: string; expiresAt: string; created: boolean }> {
  const { organizationId, userId } = ctx.actor;
  const p = await participants.findParticipant(ctx.db, organizationId, participantId);
  if (!p) throw errors.notFound('person');
  if (p.mergedIntoId) {
    throw new AppError('participant.merged', 'This record was merged into another record. Open that one instead.', { details: { mergedIntoId: p.mergedIntoId } });
  }
  if (await participants.isInScope(ctx.db, scopeOf(ctx), participantId)) {
    throw new AppError('participant.in_scope', 'This person is already on your caseload or your team: you can open the record without emergency access.');
  }
  const live = await activeGrant(ctx, participantId);
  if (live) return { grantId: live.id, expiresAt: live.expiresAt, created: false };

  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + BREAK_GLASS_MS).toISOString();
  const grantId = await repo.insertGrant(ctx.db, { organizationId, userId, participantId, reason: input.reason, grantedAt: now.toISOString(), expiresAt });
  await ctx.audit({ action: 'participant.break_glass', targetType: 'participant', targetIds: [participantId], details: { grantId, expiresAt } });
  const recipients = await repo.breakGlassRecipients(ctx.db, organizationId, userId);
  await repo.insertNotifications(ctx.db, organizationId, recipients, { kind: 'break_glass', actorUserId: userId, participantId, referenceId: grantId, createdAt: now.toISOString() });
  return { grantId, expiresAt, created: true };
}

/** The offset of a time zone from UTC at an instant, in milliseconds. */
function offsetMs(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(instant);
  const n = (type: string) => Number(parts.find((x) => x.type === type)?.value ?? 0);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant a local date begins in a time zone (DST-aware: two passes settle the offset). */
export function startOfLocalDay(date: string, timeZone: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d);
  let guess = wall;
  for (let i = 0; i < 2; i++) guess = wall - offsetMs(new Date(guess), timeZone);
  return new Date(guess).toISOString();
}

const nextDay = (date: string): string => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
};

/** The break-the-glass log of the organization for a period (local dates), newest first. A read of participant data: audited. */
export async function listGrants(ctx: Ctx, q: z.output<typeof AccessGrantsQuery>): Promise<repo.AccessGrantRecord[]> {
  const tz = (await findOrganization(ctx.db, ctx.actor.organizationId))?.timeZone ?? 'UTC';
  const grants = await repo.listGrants(
    ctx.db,
    ctx.actor.organizationId,
    { from: q.from ? startOfLocalDay(q.from, tz) : undefined, to: q.to ? startOfLocalDay(nextDay(q.to), tz) : undefined },
    GRANTS_LIMIT,
  );
  const ids = [...new Set(grants.map((g) => g.participantId))];
  await ctx.audit({ action: 'access_grant.review', targetType: 'participant', targetIds: ids, details: { results: grants.length } });
  return grants;
}

/**
 * End a grant before it expires: its holder, or a privacy officer. Anyone else is told it does
 * not exist (404), as for another organization's grant. Ending an ended grant changes nothing.
 */
export async function endGrant(ctx: Ctx, id: string): Promise<repo.AccessGrantRecord> {
  const grant = await repo.findGrant(ctx.db, ctx.actor.organizationId, id);
  const isOfficer = ctx.actor.roles.includes('privacy_officer');
  if (!grant || (grant.userId !== ctx.actor.userId && !isOfficer)) throw errors.notFound('access grant');
  const now = ctx.clock.now().toISOString();
  if (grant.expiresAt > now && (await repo.endGrant(ctx.db, ctx.actor.organizationId, id, now))) {
    await ctx.audit({ action: 'access_grant.end', targetType: 'participant', targetIds: [grant.participantId], details: { grantId: id, byHolder: grant.userId === ctx.actor.userId } });
    return (await repo.findGrant(ctx.db, ctx.actor.organizationId, id))!;
  }
  return grant;
}

export async function listNotifications(ctx: Ctx): Promise<{ notifications: repo.NotificationRecord[]; unread: number }> {
  const { organizationId, userId } = ctx.actor;
  return {
    notifications: await repo.listNotifications(ctx.db, organizationId, userId, NOTIFICATIONS_LIMIT),
    unread: await repo.countUnread(ctx.db, organizationId, userId),
  };
}

/** Mark one of one's own notices read; someone else's is not found (404). */
export async function readNotification(ctx: Ctx, id: string): Promise<repo.NotificationRecord> {
  const { organizationId, userId } = ctx.actor;
  const n = await repo.findNotification(ctx.db, organizationId, userId, id);
  if (!n) throw errors.notFound('notification');
  if (await repo.markRead(ctx.db, organizationId, userId, id, ctx.clock.now().toISOString())) {
    await ctx.audit({ action: 'notification.read', targetType: 'notification', targetIds: [id] });
    return (await repo.findNotification(ctx.db, organizationId, userId, id))!;
  }
  return n;
}
