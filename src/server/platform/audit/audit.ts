/**
 * The audit trail: append-only, tamper-evident, one hash chain per organization.
 *
 * Each event's hash covers its fields and the previous event's hash in the same chain. Appending
 * bumps a per-chain counter row (`audit_chains`), which serializes writers of one organization
 * only — there is no global lock. A write's audit rows are appended with the same executor (the
 * same transaction) as the write they record. Events carry record ids, never personal data.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import type { Clock } from '../clock.js';
import { newId } from '../ids.js';

export type AuditOutcome = 'success' | 'denied' | 'failure';

export interface AuditEntry {
  /** The organization whose chain records it; null for events outside any (failed sign-in of an unknown account). */
  organizationId: string | null;
  actorUserId: string | null;
  /** `<domain>.<verb>`, e.g. `user.create`, `auth.sign_in`, `participant.read`. */
  action: string;
  outcome: AuditOutcome;
  targetType?: string | undefined;
  targetIds?: string[] | undefined;
  requestId?: string | undefined;
  ip?: string | undefined;
  /** Structured context with no personal data (field names changed, role granted, reason code). */
  details?: Record<string, unknown> | undefined;
}

export const GENESIS_HASH = '0'.repeat(64);
export const SYSTEM_CHAIN = 'system';

export const chainOf = (organizationId: string | null): string => organizationId ?? SYSTEM_CHAIN;

export interface HashedFields {
  id: string;
  chain_id: string;
  seq: number;
  organization_id: string | null;
  occurred_at: string;
  actor_user_id: string | null;
  action: string;
  outcome: string;
  target_type: string | null;
  target_ids: string;
  request_id: string | null;
  ip: string | null;
  details: string;
  prev_hash: string;
}

/** The hash of one event: SHA-256 over a fixed-order JSON array of its fields and the previous hash. */
export function eventHash(e: HashedFields): string {
  const payload = JSON.stringify([
    e.id,
    e.chain_id,
    Number(e.seq),
    e.organization_id,
    e.occurred_at,
    e.actor_user_id,
    e.action,
    e.outcome,
    e.target_type,
    e.target_ids,
    e.request_id,
    e.ip,
    e.details,
    e.prev_hash,
  ]);
  return createHash('sha256').update(payload).digest('hex');
}

/**
 * Append entries to their chains using `db` — pass the transaction of the write they record.
 * Entries of one chain keep their order.
 *
 * Safe with several processes on one PostgreSQL: a chain's head row stays locked from the
 * reservation until the transaction ends, so a second appender waits and then links to the
 * first one's last hash. That needs a transaction: given the database itself, this opens one
 * (otherwise the lock would end with the reservation and two appenders could link to the same
 * predecessor, forking the chain). Chains are reserved in id order, so two transactions
 * appending to the same two chains cannot deadlock.
 */
export async function appendAudit(db: Executor, clock: Clock, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  if (!db.isTransaction) return db.transaction().execute((trx) => appendAudit(trx, clock, entries));
  const byChain = new Map<string, AuditEntry[]>();
  for (const e of entries) {
    const chain = chainOf(e.organizationId);
    const list = byChain.get(chain);
    if (list) list.push(e);
    else byChain.set(chain, [e]);
  }
  const occurredAt = clock.now().toISOString();
  for (const [chainId, list] of [...byChain].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const head = await reserve(db, chainId, list.length, occurredAt);
    let seq = head.lastSeq - list.length;
    let prev = head.prevHash;
    const rows = list.map((e) => {
      seq += 1;
      const targetIds = [...new Set(e.targetIds ?? [])];
      const fields: HashedFields = {
        id: newId(),
        chain_id: chainId,
        seq,
        organization_id: e.organizationId,
        occurred_at: occurredAt,
        actor_user_id: e.actorUserId,
        action: e.action,
        outcome: e.outcome,
        target_type: e.targetType ?? null,
        target_ids: JSON.stringify(targetIds),
        request_id: e.requestId ?? null,
        ip: e.ip ?? null,
        details: JSON.stringify(e.details ?? {}),
        prev_hash: prev,
      };
      const hash = eventHash(fields);
      prev = hash;
      return { ...fields, hash, targetIds };
    });
    await db
      .updateTable('audit_chains')
      .set({ last_hash: prev, updated_at: occurredAt })
      .where('chain_id', '=', chainId)
      .execute();
    // Insert in slices to stay under the bind-parameter limits of both drivers.
    for (let i = 0; i < rows.length; i += 200) {
      const slice = rows.slice(i, i + 200);
      await db
        .insertInto('audit_events')
        .values(slice.map(({ targetIds: _t, ...r }) => r))
        .execute();
      const targets = slice.flatMap((r) =>
        r.targetIds.map((id) => ({
          event_id: r.id,
          organization_id: r.organization_id,
          target_type: r.target_type ?? 'record',
          target_id: id,
          occurred_at: occurredAt,
        })),
      );
      for (let j = 0; j < targets.length; j += 500) {
        await db.insertInto('audit_event_targets').values(targets.slice(j, j + 500)).execute();
      }
    }
  }
}

/**
 * Reserve `count` sequence numbers on a chain. The UPDATE takes the chain's row lock (PostgreSQL)
 * or the write lock (SQLite) until the surrounding transaction ends, so chains never fork.
 */
async function reserve(
  db: Executor,
  chainId: string,
  count: number,
  now: string,
): Promise<{ lastSeq: number; prevHash: string }> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const row = await db
      .updateTable('audit_chains')
      .set({ last_seq: sql<number>`last_seq + ${count}` })
      .where('chain_id', '=', chainId)
      .returning(['last_seq', 'last_hash'])
      .executeTakeFirst();
    if (row) return { lastSeq: Number(row.last_seq), prevHash: row.last_hash };
    await db
      .insertInto('audit_chains')
      .values({ chain_id: chainId, last_seq: 0, last_hash: GENESIS_HASH, updated_at: now })
      .onConflict((oc) => oc.column('chain_id').doNothing())
      .execute();
  }
  throw new Error('audit chain could not be reserved');
}
