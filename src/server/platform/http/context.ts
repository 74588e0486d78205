/**
 * What a use case receives: the executor (a transaction for writes), the clock, who is acting,
 * and an `audit` function that appends to the trail through the same executor. Routes build it
 * with `write()` or `read()` and never touch SQL themselves.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Executor } from '../db/database.js';
import type { Clock } from '../clock.js';
import type { Role } from '../../../contracts/roles.js';
import { appendAudit, type AuditEntry } from '../audit/audit.js';
import { errors } from '../errors.js';
import { storeIdempotentResult } from './idempotency.js';

export interface Actor {
  userId: string;
  organizationId: string;
  roles: readonly Role[];
  isPlatformAdmin: boolean;
  sessionId: string;
}

export type AuditInput = Omit<AuditEntry, 'organizationId' | 'actorUserId' | 'requestId' | 'ip' | 'outcome'> & {
  organizationId?: string | null;
  outcome?: AuditEntry['outcome'];
};

export interface Ctx {
  db: Executor;
  clock: Clock;
  actor: Actor;
  audit: (entry: AuditInput) => Promise<void>;
  /**
   * Record a refusal (outcome `denied`). It is written outside the request's transaction, so it
   * stays even when the refused write rolls back: a privacy officer sees attempts, not only access.
   */
  auditDenied: (entry: AuditInput) => void;
}

/** The signed-in actor of a request; the guard has already checked it exists. */
export function actorOf(request: FastifyRequest): Actor {
  const s = request.session;
  if (!s?.organizationId) throw errors.unauthenticated();
  return {
    userId: s.userId,
    organizationId: s.organizationId,
    roles: s.roles,
    isPlatformAdmin: s.user.isPlatformAdmin,
    sessionId: s.id,
  };
}

function entryFor(request: FastifyRequest, actor: Actor, e: AuditInput): AuditEntry {
  return {
    ...e,
    outcome: e.outcome ?? 'success',
    organizationId: e.organizationId === undefined ? actor.organizationId : e.organizationId,
    actorUserId: actor.userId,
    requestId: request.id,
    ip: request.ip,
  };
}

/**
 * Run a write in one transaction: the change, its audit rows, and (when the request carried an
 * Idempotency-Key) the stored response commit together or not at all. `fn` returns the response
 * body; set the status with `reply.code()` before calling. `replayAs` shapes what a retry with
 * the same key gets back (leave secrets out of it).
 */
export async function write<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  fn: (ctx: Ctx) => Promise<T>,
  opts: { replayAs?: (result: T) => unknown } = {},
): Promise<T> {
  const { db, clock, auditReads } = request.server.deps;
  const actor = actorOf(request);
  return db.transaction().execute(async (trx) => {
    const ctx: Ctx = {
      db: trx,
      clock,
      actor,
      audit: (e) => appendAudit(trx, clock, [entryFor(request, actor, e)]),
      auditDenied: (e) => auditReads.record(entryFor(request, actor, { ...e, outcome: 'denied' })),
    };
    const result = await fn(ctx);
    await storeIdempotentResult(trx, request, reply.statusCode, opts.replayAs ? opts.replayAs(result) : result);
    return result;
  });
}

/** Run a read. Its audit rows (for participant data) go through the batching read buffer. */
export async function read<T>(request: FastifyRequest, fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  const { db, clock, auditReads } = request.server.deps;
  const actor = actorOf(request);
  const ctx: Ctx = {
    db,
    clock,
    actor,
    audit: (e) => {
      auditReads.record(entryFor(request, actor, e));
      return Promise.resolve();
    },
    auditDenied: (e) => auditReads.record(entryFor(request, actor, { ...e, outcome: 'denied' })),
  };
  return fn(ctx);
}
