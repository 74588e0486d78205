import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createTestDatabase } from '../../../../test/helpers/db.js';
import { buildOrganization } from '../../../../test/helpers/factories.js';
import type { DatabaseHandle } from '../db/database.js';
import { fixedClock } from '../clock.js';
import { appendAudit, eventHash, GENESIS_HASH, type AuditEntry } from './audit.js';
import {
  AuditKeyError,
  GENESIS_SIGNATURE,
  loadAuditKey,
  MAX_UNCHECKPOINTED_MS,
  signCheckpoint,
  verifyAudit,
  writeCheckpoints,
} from './checkpoints.js';
import { createAuditReadBuffer } from './read-buffer.js';

const KEY = 'audit-test-key-0123456789abcdef012345';
const clock = fixedClock('2026-11-27T12:00:00.000Z');
/** Verify as of the test clock (events are written at it), or `laterMs` after it. */
const verifyAt = (db: DatabaseHandle['db'], opts: { laterMs?: number; chainId?: string; key?: string } = {}) =>
  verifyAudit(db, opts.key ?? KEY, { now: new Date(clock.now().getTime() + (opts.laterMs ?? 0)), chainId: opts.chainId });
const TEN_MINUTES = 10 * 60_000;

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

/**
 * What an attacker with database access does: drop the guards, change event `seq`, recompute
 * every hash from there on, and move the chain's head to match.
 */
async function rewriteChain(h: DatabaseHandle, chainId: string, seq: number): Promise<void> {
  await dropGuards(h);
  const rows = await h.db.selectFrom('audit_events').selectAll().where('chain_id', '=', chainId).orderBy('seq').execute();
  let prev = GENESIS_HASH;
  for (const r of rows) {
    const forged = { ...r, seq: Number(r.seq), prev_hash: prev, action: Number(r.seq) === seq ? 'step.rewritten' : r.action };
    const hash = eventHash(forged);
    await h.db.updateTable('audit_events').set({ action: forged.action, prev_hash: prev, hash }).where('id', '=', r.id).execute();
    prev = hash;
  }
  await h.db.updateTable('audit_chains').set({ last_hash: prev }).where('chain_id', '=', chainId).execute();
}

const append = (h: DatabaseHandle, org: string, action = 'step.more') => h.db.transaction().execute((trx) => appendAudit(trx, clock, [entry(org, action)]));

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
    expect((await verifyAt(h.db)).ok).toBe(true);
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
    expect((await verifyAt(h.db)).ok).toBe(true);
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

  it('retries a batch that failed to write on its own timer, without waiting for another read', async () => {
    const org = await buildOrganization(h.db);
    // The first transaction fails (the database is briefly unavailable); later ones go through.
    let failures = 1;
    const flaky = new Proxy(h.db, {
      get(target, prop) {
        if (prop === 'transaction' && failures > 0) {
          failures--;
          return () => ({ execute: () => Promise.reject(new Error('database unavailable')) });
        }
        const value = Reflect.get(target, prop) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const errors: unknown[] = [];
    const buffer = createAuditReadBuffer(flaky, clock, { flushMs: 50, onError: (err) => errors.push(err) });
    buffer.record(entry(org.id, 'participant.read', ['p11']));
    const rows = () => h.db.selectFrom('audit_events').select('id').where('organization_id', '=', org.id).execute();
    await new Promise((r) => setTimeout(r, 400));
    expect(errors).toHaveLength(1);
    expect(await rows()).toHaveLength(1); // no second record() call was needed
    await buffer.close();
  });

  it('signs concurrently with appends without forking the checkpoint chain', async () => {
    const org = await buildOrganization(h.db);
    for (let round = 0; round < 5; round++) {
      await Promise.all([
        append(h, org.id),
        writeCheckpoints(h.db, clock, KEY),
        append(h, org.id),
        writeCheckpoints(h.db, clock, KEY),
        writeCheckpoints(h.db, clock, KEY),
      ]);
    }
    await writeCheckpoints(h.db, clock, KEY);
    const report = await verifyAt(h.db, { chainId: org.id, laterMs: TEN_MINUTES });
    expect(report.problem).toBeUndefined();
    expect(report.heads).toEqual([{ chainId: org.id, lastSeq: 10, checkpointSeq: 10, checkpointAt: clock.now().toISOString() }]);
  });

  it('calls a chain with old events and no checkpoint broken; verifies one chain alone when asked', async () => {
    const org = await buildOrganization(h.db);
    await append(h, org.id);
    const soon = await verifyAt(h.db, { chainId: org.id, laterMs: MAX_UNCHECKPOINTED_MS - 1 });
    expect(soon).toMatchObject({ ok: true, chains: 1, events: 1, newestCheckpointAt: null, heads: [{ chainId: org.id, lastSeq: 1, checkpointSeq: 0, checkpointAt: null }] });
    const late = await verifyAt(h.db, { chainId: org.id, laterMs: MAX_UNCHECKPOINTED_MS + 1 });
    expect(late.problem).toMatchObject({ chainId: org.id, seq: 1, kind: 'checkpoint_missing' });
    expect(late.problem?.message).toMatch(/no checkpoint at all/);
    // The grace window is the caller's to choose.
    const strict = await verifyAudit(h.db, KEY, { chainId: org.id, now: new Date(clock.now().getTime() + 2000), maxUncheckpointedMs: 1000 });
    expect(strict.problem).toMatchObject({ kind: 'checkpoint_missing' });
  });
});

describe('the audit key', () => {
  let h: DatabaseHandle & { drop: () => Promise<void> };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lodestar-audit-key-'));
  let n = 0;
  const missingFile = () => path.join(dir, `nested-${++n}`, 'audit.key');
  beforeAll(async () => {
    h = await createTestDatabase();
  });
  afterAll(async () => {
    await h.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const sqliteHandle = () => ({ db: h.db, dialect: 'sqlite' as const });

  it('uses LODESTAR_AUDIT_KEY, else the key file, and refuses a key file shorter than 32 characters', async () => {
    expect(await loadAuditKey(h, { key: KEY, file: missingFile(), create: false })).toBe(KEY);
    const file = path.join(dir, 'good.key');
    fs.writeFileSync(file, `${'k'.repeat(32)}\n`);
    expect(await loadAuditKey(h, { key: undefined, file, create: false })).toBe('k'.repeat(32));
    const short = path.join(dir, 'short.key');
    fs.writeFileSync(short, 'too-short\n');
    await expect(loadAuditKey(h, { key: undefined, file: short, create: true })).rejects.toThrow(/at least 32/);
    await expect(loadAuditKey(h, { key: 'too-short', file: short, create: true })).rejects.toThrow(AuditKeyError);
  });

  it('never creates a key when told not to (audit verify, audit checkpoint)', async () => {
    const file = missingFile();
    await expect(loadAuditKey(sqliteHandle(), { key: undefined, file, create: false })).rejects.toThrow(/No audit key.*LODESTAR_AUDIT_KEY/);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('on PostgreSQL requires the shared key rather than creating one per server', async () => {
    const file = missingFile();
    await expect(loadAuditKey({ db: h.db, dialect: 'postgres' }, { key: undefined, file, create: true })).rejects.toThrow(/LODESTAR_AUDIT_KEY/);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('creates a key file (mode 0600) for a database with no checkpoints, and refuses once checkpoints exist', async () => {
    const file = missingFile();
    const key = await loadAuditKey(sqliteHandle(), { key: undefined, file, create: true });
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(await loadAuditKey(sqliteHandle(), { key: undefined, file, create: true })).toBe(key);

    const org = await buildOrganization(h.db);
    await append(h, org.id);
    await writeCheckpoints(h.db, clock, key);
    const lost = missingFile();
    await expect(loadAuditKey(sqliteHandle(), { key: undefined, file: lost, create: true })).rejects.toThrow(/checkpoints.*LODESTAR_AUDIT_KEY/);
    expect(fs.existsSync(lost)).toBe(false);
  });
});

describe('tamper evidence', () => {
  // Each case tampers with its own database.
  const withDb = async (fn: (h: DatabaseHandle, org: string) => Promise<void>) => {
    const h = await createTestDatabase();
    try {
      const org = (await buildOrganization(h.db)).id;
      for (let i = 0; i < 5; i++) await h.db.transaction().execute((trx) => appendAudit(trx, clock, [entry(org, `step.${i}`)]));
      expect(await writeCheckpoints(h.db, clock, KEY)).toHaveLength(1);
      expect((await verifyAt(h.db)).ok).toBe(true);
      await fn(h, org);
    } finally {
      await h.drop();
    }
  };

  it('reports an edited event at its sequence number', () =>
    withDb(async (h, org) => {
      await dropGuards(h);
      await h.db.updateTable('audit_events').set({ action: 'step.forged' }).where('chain_id', '=', org).where('seq', '=', 3).execute();
      const report = await verifyAt(h.db);
      expect(report.ok).toBe(false);
      expect(report.problem).toMatchObject({ chainId: org, seq: 3, kind: 'hash_mismatch' });
    }));

  it('reports a deleted event', () =>
    withDb(async (h, org) => {
      await dropGuards(h);
      await h.db.deleteFrom('audit_events').where('chain_id', '=', org).where('seq', '=', 2).execute();
      const report = await verifyAt(h.db);
      expect(report.problem).toMatchObject({ seq: 2, kind: 'sequence_gap' });
    }));

  it('detects a chain rewritten from inside the database with every hash recomputed', () =>
    withDb(async (h, org) => {
      await rewriteChain(h, org, 2);
      const report = await verifyAt(h.db);
      expect(report.ok).toBe(false);
      expect(report.problem).toMatchObject({ chainId: org, seq: 5, kind: 'checkpoint_mismatch' });
    }));

  it('detects a checkpoint forged without the key', () =>
    withDb(async (h, org) => {
      await dropGuards(h);
      const cp = await h.db.selectFrom('audit_checkpoints').selectAll().where('chain_id', '=', org).executeTakeFirstOrThrow();
      const forged = { chainId: org, seq: Number(cp.seq), hash: cp.hash, createdAt: cp.created_at, prevSignature: GENESIS_SIGNATURE };
      await h.db.updateTable('audit_checkpoints').set({ signature: signCheckpoint('a-guessed-key-that-is-not-the-real-one', forged) }).where('id', '=', cp.id).execute();
      expect((await verifyAt(h.db)).problem).toMatchObject({ kind: 'checkpoint_signature' });
    }));

  it('cannot be verified with another key', () =>
    withDb(async (h) => {
      expect((await verifyAt(h.db, { key: 'some-other-key-0123456789abcdef0123' })).problem).toMatchObject({ kind: 'checkpoint_signature' });
    }));

  it('reports events cut from the end of a chain', () =>
    withDb(async (h, org) => {
      await dropGuards(h);
      await h.db.deleteFrom('audit_events').where('chain_id', '=', org).where('seq', '=', 5).execute();
      const report = await verifyAt(h.db);
      expect(report.ok).toBe(false);
      expect(report.problem?.seq).toBe(5);
    }));

  it('reports when each chain was last checkpointed', () =>
    withDb(async (h, org) => {
      const report = await verifyAt(h.db);
      expect(report.newestCheckpointAt).toBe(clock.now().toISOString());
      expect(report.heads).toEqual([{ chainId: org, lastSeq: 5, checkpointSeq: 5, checkpointAt: clock.now().toISOString() }]);
    }));

  it('detects a checkpoint removed from the middle: each signature covers the one before', () =>
    withDb(async (h, org) => {
      await append(h, org);
      expect(await writeCheckpoints(h.db, clock, KEY)).toMatchObject([{ seq: 6 }]);
      await append(h, org);
      expect(await writeCheckpoints(h.db, clock, KEY)).toMatchObject([{ seq: 7 }]);
      expect((await verifyAt(h.db)).ok).toBe(true);
      await dropGuards(h);
      await h.db.deleteFrom('audit_checkpoints').where('chain_id', '=', org).where('seq', '=', 6).execute();
      expect((await verifyAt(h.db)).problem).toMatchObject({ chainId: org, seq: 7, kind: 'checkpoint_signature' });
    }));

  it('detects a rewritten chain whose checkpoints were all deleted, once its events are older than the grace window', () =>
    withDb(async (h, org) => {
      await rewriteChain(h, org, 2);
      await h.db.deleteFrom('audit_checkpoints').where('chain_id', '=', org).execute();
      // The residual risk (ARCHITECTURE.md): inside the grace window this passes, and says no checkpoint exists.
      expect(await verifyAt(h.db, { laterMs: MAX_UNCHECKPOINTED_MS - 1 })).toMatchObject({ ok: true, newestCheckpointAt: null });
      const report = await verifyAt(h.db, { laterMs: MAX_UNCHECKPOINTED_MS + 1 });
      expect(report.ok).toBe(false);
      expect(report.problem).toMatchObject({ chainId: org, seq: 1, kind: 'checkpoint_missing' });
    }));

  it('detects events rewritten after a checkpoint whose later checkpoints were deleted', () =>
    withDb(async (h, org) => {
      await append(h, org);
      await append(h, org);
      expect(await writeCheckpoints(h.db, clock, KEY)).toMatchObject([{ seq: 7 }]);
      await rewriteChain(h, org, 6);
      await h.db.deleteFrom('audit_checkpoints').where('chain_id', '=', org).where('seq', '=', 7).execute();
      expect((await verifyAt(h.db, { laterMs: TEN_MINUTES })).problem).toMatchObject({ chainId: org, seq: 6, kind: 'checkpoint_missing' });
    }));

  it('verifies one chain without reading the others', () =>
    withDb(async (h, org) => {
      const other = (await buildOrganization(h.db)).id;
      await append(h, other);
      await dropGuards(h);
      await h.db.updateTable('audit_events').set({ action: 'step.forged' }).where('chain_id', '=', other).execute();
      expect(await verifyAt(h.db, { chainId: org })).toMatchObject({ ok: true, chains: 1, events: 5, heads: [{ chainId: org }] });
      expect((await verifyAt(h.db)).problem).toMatchObject({ chainId: other, kind: 'hash_mismatch' });
    }));
});
