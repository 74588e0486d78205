/** Searching the audit trail (privacy officer, admin). */
import { z } from 'zod';
import { Id } from './common.js';

export const AuditSearchBody = z.object({
  actorUserId: Id.optional(),
  targetId: Id.optional(),
  action: z.string().trim().max(100).optional(),
  from: z.iso.datetime({ message: 'Use a date and time like 2026-01-31T00:00:00Z' }).optional(),
  to: z.iso.datetime({ message: 'Use a date and time like 2026-01-31T00:00:00Z' }).optional(),
  limit: z.number().int().min(1).max(500).default(100),
  /** Continue after this event id (the last one of the previous page). */
  after: Id.optional(),
  /** `system`: events outside any organization (failed sign-ins for unknown emails). Platform admins only. */
  chain: z.literal('system').optional(),
});

export const AuditEvent = z.object({
  id: z.string(),
  seq: z.number(),
  occurredAt: z.string(),
  actorUserId: z.string().nullable(),
  action: z.string(),
  outcome: z.string(),
  targetType: z.string().nullable(),
  targetIds: z.array(z.string()),
  requestId: z.string().nullable(),
  ip: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export const AuditSearchResponse = z.object({ events: z.array(AuditEvent), next: z.string().nullable() });

export const AuditVerifyResponse = z.object({
  ok: z.boolean(),
  chains: z.number(),
  events: z.number(),
  checkpoints: z.number(),
  /** When the most recent signed checkpoint was made; null when none has been. */
  newestCheckpointAt: z.string().nullable(),
  /** Each chain verified: its last event and newest signed checkpoint (seq 0 and null when none). */
  heads: z.array(z.object({ chainId: z.string(), lastSeq: z.number(), checkpointSeq: z.number(), checkpointAt: z.string().nullable() })),
  problem: z
    .object({ chainId: z.string(), seq: z.number(), kind: z.string(), message: z.string() })
    .optional(),
});
