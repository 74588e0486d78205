/**
 * The one gate every use case passes before touching a participant's record, in any module:
 * another organization's record (or none) answers 404; a record merged into another answers 404
 * `participant.merged` naming the record it became; this organization's record outside the
 * caller's scope answers 403 `participant.out_of_scope` — unless the caller holds a live
 * break-the-glass grant for it, which admits them until it expires (every use of it audited).
 */
import type { Ctx } from '../../platform/http/context.js';
import { AppError, errors } from '../../platform/errors.js';
import * as repo from './participants.repository.js';

/** Roles that may ask for a break-the-glass grant (those that read participants within a scope). */
export const BREAK_GLASS_ROLES = ['coach', 'supervisor'] as const;

export const mayBreakGlass = (ctx: Ctx): boolean => ctx.actor.roles.some((r) => (BREAK_GLASS_ROLES as readonly string[]).includes(r));

export const scopeOf = (ctx: Ctx): repo.ParticipantScope => repo.participantScope(ctx.actor);

/** The caller's live grant for this participant, if any. */
export async function activeGrant(ctx: Ctx, participantId: string): Promise<{ id: string; expiresAt: string } | undefined> {
  const r = await ctx.db
    .selectFrom('access_grants')
    .select(['id', 'expires_at'])
    .where('user_id', '=', ctx.actor.userId)
    .where('participant_id', '=', participantId)
    .where('organization_id', '=', ctx.actor.organizationId)
    .where('expires_at', '>', ctx.clock.now().toISOString())
    .where('ended_at', 'is', null)
    .orderBy('expires_at', 'desc')
    .executeTakeFirst();
  return r ? { id: r.id, expiresAt: r.expires_at } : undefined;
}

export interface ParticipantAccess {
  participant: repo.ParticipantRecord;
  /** Set when the caller sees this record only through break-the-glass. */
  grantId?: string;
  /** When that grant ends. */
  grantExpiresAt?: string;
}

/** The participant, if the caller may see it (see the file comment). */
export async function requireParticipantAccess(ctx: Ctx, id: string): Promise<ParticipantAccess> {
  const p = await repo.findParticipant(ctx.db, ctx.actor.organizationId, id);
  if (!p) throw errors.notFound('person');
  if (p.mergedIntoId) {
    throw new AppError('participant.merged', 'This record was merged into another record. Open that one instead.', { details: { mergedIntoId: p.mergedIntoId } });
  }
  if (await repo.isInScope(ctx.db, scopeOf(ctx), id)) return { participant: p };
  const grant = await activeGrant(ctx, id);
  if (grant) return { participant: p, grantId: grant.id, grantExpiresAt: grant.expiresAt };
  ctx.auditDenied({ action: 'participant.access', targetType: 'participant', targetIds: [id], details: { reason: 'out_of_scope' } });
  throw new AppError('participant.out_of_scope', errors.outOfScope().message, { details: { breakGlass: mayBreakGlass(ctx) } });
}

export async function requireParticipant(ctx: Ctx, id: string): Promise<repo.ParticipantRecord> {
  return (await requireParticipantAccess(ctx, id)).participant;
}
