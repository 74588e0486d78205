/**
 * Searching and verifying the audit trail. An organization's privacy officer or admin sees only
 * that organization's chain; the `system` chain (events outside any organization, such as a
 * failed sign-in for an unknown email) is for platform admins. Searching and verifying are
 * themselves audited.
 */
import type { z } from 'zod';
import type { AuditSearchBody } from '../../../contracts/audit.js';
import type { Ctx } from '../../platform/http/context.js';
import { errors } from '../../platform/errors.js';
import { SYSTEM_CHAIN } from '../../platform/audit/audit.js';
import { verifyAudit, type VerifyReport } from '../../platform/audit/checkpoints.js';
import { searchAudit, type AuditEventRecord } from './audit.repository.js';

export async function searchTrail(
  ctx: Ctx,
  input: z.output<typeof AuditSearchBody>,
): Promise<{ events: AuditEventRecord[]; next: string | null }> {
  const { chain, ...terms } = input;
  if (chain === SYSTEM_CHAIN && !ctx.actor.isPlatformAdmin) throw errors.forbidden();
  const organizationId = chain === SYSTEM_CHAIN ? null : ctx.actor.organizationId;
  const events = await searchAudit(ctx.db, { ...terms, organizationId });
  const filters = Object.keys(input).filter((k) => k !== 'limit');
  await ctx.audit({ action: 'audit.search', details: { filters, results: events.length, ...(chain && { chain }) } });
  const last = events.at(-1);
  return { events, next: events.length === terms.limit && last ? last.id : null };
}

/** Verify the chain of the actor's organization only (the whole trail is the CLI's job). */
export async function verifyOrganizationTrail(ctx: Ctx, key: string): Promise<VerifyReport> {
  const report = await verifyAudit(ctx.db, key, { chainId: ctx.actor.organizationId, now: ctx.clock.now() });
  await ctx.audit({ action: 'audit.verify', details: { ok: report.ok, ...(report.problem && { problem: report.problem.kind }) } });
  return report;
}
