/**
 * Faults made on purpose, to show what a failed write leaves behind. Nothing here is reachable
 * through the API.
 */
import { randomUUID } from 'node:crypto';
import { GENESIS_HASH } from '../../src/server/platform/audit/audit.js';
import type { TestApp } from './app.js';

/**
 * Make the next audit row of an organization fail to insert: take its next place in the hash
 * chain (the organization must have no audit rows yet). Any write that audits in that
 * organization then fails inside its transaction. The chain stays broken: use a fresh
 * organization, never one another test reads.
 */
export async function blockNextAuditRow(t: TestApp, organizationId: string): Promise<void> {
  const existing = await t.db.selectFrom('audit_chains').select('last_seq').where('chain_id', '=', organizationId).executeTakeFirst();
  if (existing) throw new Error('blockNextAuditRow needs an organization with no audit rows yet');
  await t.db
    .insertInto('audit_events')
    .values({
      id: randomUUID(),
      chain_id: organizationId,
      seq: 1,
      organization_id: organizationId,
      occurred_at: t.clock.now().toISOString(),
      actor_user_id: null,
      action: 'test.blocker',
      outcome: 'success',
      target_type: null,
      target_ids: '[]',
      request_id: null,
      ip: null,
      details: '{}',
      prev_hash: GENESIS_HASH,
      hash: GENESIS_HASH,
    })
    .execute();
}
