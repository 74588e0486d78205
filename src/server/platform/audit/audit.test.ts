import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase } from '../../../../test/helpers/db.js';
import { buildOrganization } from '../../../../test/helpers/factories.js';
import type { DatabaseHandle } from '../db/database.js';
import { fixedClock } from '../clock.js';
import { appendAudit, eventHash, GENESIS_HASH, type AuditEntry } from './audit.js';
import { signCheckpoint, verifyAudit, writeCheckpoints } from './checkpoints.js';
import { createAuditReadBuffer } from './read-buffer.js';

const KEY = 'audit-test-key-0123456789abcdef012345';
const clock = fixedClock('2026-11-27T12:00:00.000Z');

const entry = (organizationId: string | null, action = 'site.update', targetIds: string[] = []): AuditEntry => ({
  organizationId,
  actorUserId: null,
  action,
  outcome: 'success',
  targetType: 'site',
  targetIds,
});

/** Drop the append-only guard, as someone with direct database access could. */
async function dropGuards(h: DatabaseHandle): Promise<void> {
  if (h.dialect === 'postgres') {
    await sql.raw('DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events').execute(h.db);
    await sql.raw('DROP TRIGGER IF EXISTS audit_checkpoints_append_only ON audit_checkpoints').execute(h.db);
  } else {
    for (const t of ['audit_events_no_update', 'audit_events_no_delete', 'audit_checkpoints_no_update', 'audit_checkpoints_no_delete']) {
      await sql.raw(`DROP TRIGGER IF EXISTS ${t}`).execute(h.db);
    }
  }
}

describe('audit trail', () => {
  let h: DatabaseHandle & { drop: () => Promise<void> };
  beforeAll(async () => {
    h = await createTestDatabase();
  });
  afterAll(() => h.drop());

  it('keeps one gapless hash chain per organization', async () => {
    const a = await buildOrganization(h.db);
    const b = await buildOrganization(h.db);
    await h.db.transaction().execute((trx) => appendAudit(trx, clock, [entry(a.id), entry(b.id), entry(a.id)]));
    await h.db.transaction().execute((trx) => appendAudit(trx, clock, [entry(a.id, 'site.create', ['x'])]));
    const rows = await h.db.selectFrom('audit_events').selectAll().where('chain_id', '=', a.id).orderBy('seq').execute();
    expect(rows.map((r) => Number(r.seq))).toEqual([1, 2, 3]);
    expect(rows[0]!.prev_hash).toBe(GENESIS_HASH);
    expect(rows[1]!.prev_hash).toBe(rows[0]!.hash);
    expect(rows[2]!.prev_hash).toBe(rows[1]!.hash);
    for (const r of rows) expect(eventHash({ ...r, seq: Number(r.seq) })).toBe(r.hash);
    const other = await h.db.selectFrom('audit_events').select('seq').where('chain_id', '=', b.id).execute();
    expect(other.map((r) => Number(r.seq))).toEqual([1]);
    expect((await verifyAudit(h.db, KEY)).ok).toBe(true);
  });

  it('indexes every record an event touched', async () => {
    const org = await buildOrganization(h.db);
    await h.db.transaction().execute((trx) => appendAudit(trx, clock, [entry(org.id, 'participant.read', ['p1', 'p2', 'p1'])]));
    const targets = await h.db.selectFrom('audit_event_targets').select(['target_id']).where('organization_id', '=', org.id).orderBy('target_id').execute();
    expect(targets.map((t) => t.target_id)).toEqual(['p1', 'p2']);
  });

  it('rolls back with the write it records', async () => {
    const org = await buildOrganization(h.db);
    await expect(
      h.db.transaction().execute(async (trx) => {
        await appendAudit(trx, clock, [entry(org.id)]);
        throw new Error('the write failed');
      }),
    ).rejects.toThrow('the write failed');
    expect(await h.db.selectFrom('audit_events').select('id').where('organization_id', '=', org.id).execute()).toHaveLength(0);
  });

  it('refuses updates and deletes inside the database', async () => {
    const org = await buildOrganization(h.db);
    await h.db.transaction().execute((trx) => appendAudit(trx, clock, [entry(org.id)]));
    await expect(h.db.updateTable('audit_events').set({ action: 'nothing' }).where('organization_id', '=', org.id).execute()).rejects.toThrow(/append-only/);
    await expect(h.db.deleteFrom('audit_events').where('organization_id', '=', org.id).execute()).rejects.toThrow(/append-only/);
  });

  it('appends concurrently without forking a chain', async () => {
    const org = await buildOrganization(h.db);
    await Promise.all(Array.from({ length: 20 }, () => h.db.transaction().execute((trx) => appendAudit(trx, clock, [entry(org.id), entry(org.id)]))));
    const seqs = (await h.db.selectFrom('audit_events').select('seq').where('chain_id', '=', org.id).orderBy('seq').execute()).map((r) => Number(r.seq));
    expect(seqs).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect((await verifyAudit(h.db, KEY)).ok).toBe(true);
  });

  it('batches reads and writes them within a second', async () => {
    const org = await buildOrganization(h.db);
    const buffer = createAuditReadBuffer(h.db, clock);
    buffer.record(entry(org.id, 'participant.read', ['p9']));
    buffer.record(entry(org.id, 'participant.read', ['p10']));
    expect(await h.db.selectFrom('audit_events').select('id').where('organization_id', '=', org.id).execute()).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await h.db.selectFrom('audit_events').select('id').where('organization_id', '=', org.id).execute()).toHaveLength(2);
    await buffer.close();
  });
});

describe('tamper evidence', () => {
  // Each case tampers with its own database.
  const withDb = async (fn: (h: DatabaseHandle, org: string) => Promise<void>) => {
    const h = await createTestDatabase();
    try {
      const org = (await buildOrganization(h.db)).id;
      for (let i = 0; i < 5; i++) await h.db.transaction().execute((trx) => appendAudit(trx, clock, [entry(org, `step.${i}`)]));
      expect(await writeCheckpoints(h.db, clock, KEY)).toBe(1);
      expect((await verifyAudit(h.db, KEY)).ok).toBe(true);
      await fn(h, org);
    } finally {
      await h.drop();
    }
  };

  it('reports an edited event at its sequence number', () =>
    withDb(async (h, org) => {
      await dropGuards(h);
      await h.db.updateTable('audit_events').set({ action: 'step.forged' }).where('chain_id', '=', org).where('seq', '=', 3).execute();
      const report = await verifyAudit(h.db, KEY);
      expect(report.ok).toBe(false);
      expect(report.problem).toMatchObject({ chainId: org, seq: 3, kind: 'hash_mismatch' });
    }));

  it('reports a deleted event', () =>
    withDb(async (h, org) => {
      await dropGuards(h);
      await h.db.deleteFrom('audit_events').where('chain_id', '=', org).where('seq', '=', 2).execute();
      const report = await verifyAudit(h.db, KEY);
      expect(report.problem).toMatchObject({ seq: 2, kind: 'sequence_gap' });
    }));

  it('detects a chain rewritten from inside the database with every hash recomputed', () =>
    withDb(async (h, org) => {
      await dropGuards(h);
      const rows = await h.db.selectFrom('audit_events').selectAll().where('chain_id', '=', org).orderBy('seq').execute();
      let prev = GENESIS_HASH;
      for (const r of rows) {
        const forged = { ...r, seq: Number(r.seq), prev_hash: prev, action: Number(r.seq) === 2 ? 'step.rewritten' : r.action };
        const hash = eventHash(forged);
        await h.db.updateTable('audit_events').set({ action: forged.action, prev_hash: prev, hash }).where('id', '=', r.id).execute();
        prev = hash;
      }
      await h.db.updateTable('audit_chains').set({ last_hash: prev }).where('chain_id', '=', org).execute();
      const report = await verifyAudit(h.db, KEY);
      expect(report.ok).toBe(false);
      expect(report.problem).toMatchObject({ chainId: org, seq: 5, kind: 'checkpoint_mismatch' });
    }));

  it('detects a checkpoint forged without the key', () =>
    withDb(async (h, org) => {
      await dropGuards(h);
      const cp = await h.db.selectFrom('audit_checkpoints').selectAll().where('chain_id', '=', org).executeTakeFirstOrThrow();
      await h.db
        .updateTable('audit_checkpoints')
        .set({ signature: signCheckpoint('a-guessed-key-that-is-not-the-real-one', org, Number(cp.seq), cp.hash, cp.created_at) })
        .where('id', '=', cp.id)
        .execute();
      expect((await verifyAudit(h.db, KEY)).problem).toMatchObject({ kind: 'checkpoint_signature' });
    }));

  it('cannot be verified with another key', () =>
    withDb(async (h) => {
      expect((await verifyAudit(h.db, 'some-other-key-0123456789abcdef0123')).problem).toMatchObject({ kind: 'checkpoint_signature' });
    }));

  it('reports events cut from the end of a chain', () =>
    withDb(async (h, org) => {
      await dropGuards(h);
      await h.db.deleteFrom('audit_events').where('chain_id', '=', org).where('seq', '=', 5).execute();
      const report = await verifyAudit(h.db, KEY);
      expect(report.ok).toBe(false);
      expect(report.problem?.seq).toBe(5);
    }));
});
