/**
 * Safe retries from phones on bad Wi-Fi: a POST with an `Idempotency-Key` header runs once.
 * A retry with the same key and the same body gets the first response again (with
 * `Idempotency-Replayed: true`); the same key with a different body is refused (422); a retry
 * while the first is still running gets 409. The stored response commits in the same
 * transaction as the write (see `write()` in context.ts), so a crash cannot separate them.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db, Executor } from '../db/database.js';
import { AppError } from '../errors.js';
import { newId } from '../ids.js';

const KEY_PATTERN = /^[A-Za-z0-9_\-:.]{8,200}$/;
/** Keys are kept a day: long enough for any retry, short enough to keep the table small. */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
/**
 * A reservation with no stored response after this long was abandoned: the response commits in
 * the write's own transaction, so a crash or failed commit leaves the reservation empty and
 * nothing written. A retry may then run again instead of waiting out the day.
 */
export const IDEMPOTENCY_ABANDONED_MS = 2 * 60_000;

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyId?: string;
  }
}

function requestHash(request: FastifyRequest): string {
  return createHash('sha256')
    .update(`${request.method} ${request.routeOptions.url ?? ''} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
    .digest('hex');
}

/** Keys belong to a person working in one organization: the same key after switching organization is a new request. */
function scopeOf(request: FastifyRequest): string {
  const s = request.session;
  return s ? `user:${s.userId}@${s.organizationId ?? '-'}` : `anon:${request.ip}`;
}

/**
 * preHandler: replay, refuse, or reserve the key. Returns true when the reply was sent.
 * Only resource routes take part (those guarded by a permission): sign-in, MFA and account
 * endpoints create sessions and secrets whose responses must never be stored or replayed.
 */
export async function beginIdempotent(db: Db, request: FastifyRequest, reply: FastifyReply, now: Date): Promise<boolean> {
  if (request.method !== 'POST') return false;
  const access = request.routeOptions.config.access;
  if (!access || (access.kind !== 'permission' && access.kind !== 'platform_admin')) return false;
  const raw = request.headers['idempotency-key'];
  if (raw === undefined) return false;
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (!key || !KEY_PATTERN.test(key)) {
    throw new AppError('validation.failed', 'The Idempotency-Key header must be 8 to 200 letters, digits or - _ : .', {
      fields: [{ path: 'headers.idempotency-key', message: 'Use 8 to 200 letters, digits or - _ : .' }],
    });
  }
  const scope = scopeOf(request);
  const hash = requestHash(request);
  const existing = await db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('scope', '=', scope)
    .where('key', '=', key)
    .executeTakeFirst();
  const age = existing ? now.getTime() - new Date(existing.created_at).getTime() : 0;
  const abandoned = existing?.status_code === null && age > IDEMPOTENCY_ABANDONED_MS;
  if (existing && age < IDEMPOTENCY_TTL_MS && !abandoned) {
    if (existing.request_hash !== hash) {
      throw new AppError('idempotency.key_reused', 'This Idempotency-Key was already used for a different request. Use a new key.');
    }
    if (existing.status_code === null) {
      throw new AppError('idempotency.in_progress', 'This request is still being processed. Try again in a moment.');
    }
    await reply
      .code(existing.status_code)
      .header('idempotency-replayed', 'true')
      .type('application/json; charset=utf-8')
      .send(existing.response_body ?? 'null');
    return true;
  }
  if (existing) {
    let stale = db.deleteFrom('idempotency_keys').where('id', '=', existing.id);
    if (abandoned) stale = stale.where('status_code', 'is', null);
    await stale.execute();
  }
  const id = newId();
  try {
    await db
      .insertInto('idempotency_keys')
      .values({ id, scope, key, request_hash: hash, status_code: null, response_body: null, created_at: now.toISOString() })
      .execute();
  } catch {
    // Another request with the same key reserved it between our read and insert.
    throw new AppError('idempotency.in_progress', 'This request is still being processed. Try again in a moment.');
  }
  request.idempotencyId = id;
  return false;
}

/**
 * Inside the write's transaction: keep the response for replays. `stored` is what a replay
 * returns — a route that answers with a one-time secret (a set-password link) stores a copy
 * without it, so the database never holds a live token in clear.
 */
export async function storeIdempotentResult(trx: Executor, request: FastifyRequest, status: number, stored: unknown): Promise<void> {
  if (!request.idempotencyId) return;
  await trx
    .updateTable('idempotency_keys')
    .set({ status_code: status, response_body: JSON.stringify(stored ?? null) })
    .where('id', '=', request.idempotencyId)
    .execute();
  request.idempotencyId = undefined;
}

/** After a failed request: release the key so a retry runs again (nothing was written). */
export async function releaseIdempotent(db: Db, request: FastifyRequest): Promise<void> {
  if (!request.idempotencyId) return;
  const id = request.idempotencyId;
  request.idempotencyId = undefined;
  await db.deleteFrom('idempotency_keys').where('id', '=', id).where('status_code', 'is', null).execute();
}

export async function purgeExpiredIdempotencyKeys(db: Db, now: Date): Promise<void> {
  await db
    .deleteFrom('idempotency_keys')
    .where('created_at', '<', new Date(now.getTime() - IDEMPOTENCY_TTL_MS).toISOString())
    .execute();
}
