/**
 * The generator's SQLite bulk path (generate.bulk.ts) writes exactly the rows the Kysely path
 * writes for the same seed and clock — every generated table, accounts and memberships, and the
 * measures cache rows its dropped triggers would have left — for one program and for a network of
 * organizations sharing one writer. A file database is back to WAL, FULL sync, foreign keys on and
 * every trigger in place afterwards; a broken foreign key fails the load loudly.
 * (PostgreSQL has no bulk path: the Kysely path there is covered by generate.test.ts.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openDatabase, type DatabaseHandle } from '../../platform/db/database.js';
import { migrateToLatest } from '../../migrations/index.js';
import { fixedClock } from '../../platform/clock.js';
import { testDialect } from '../../../../test/helpers/db.js';
import { generateProgram } from './generate.js';
import { generateNetwork, type ScalePlan } from './generate.scale.js';
import { GENERATED_TABLES } from './generate.indexes.js';
import { assertForeignKeys } from './generate.bulk.js';

const NOW = '2026-11-27T15:00:00.000Z';
const PASSWORD = 'generated password for fictional people';
const notSqlite = testDialect() !== 'sqlite';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lodestar-bulk-'));
const opened: DatabaseHandle[] = [];
afterAll(async () => {
  for (const h of opened) await h.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function open(file?: string): Promise<DatabaseHandle & { sqlite: NonNullable<DatabaseHandle['sqlite']> }> {
  const h = openDatabase(file ? `sqlite:${path.join(dir, file)}` : 'sqlite::memory:');
  opened.push(h);
  await migrateToLatest(h.db);
  return h as DatabaseHandle & { sqlite: NonNullable<DatabaseHandle['sqlite']> };
}

/** Tables whose every row the comparison reads: what the bulk path writes, and what the measure triggers write. */
const COMPARED = [...GENERATED_TABLES, 'users', 'memberships', 'measure_versions', 'measure_dirty', 'audit_events', 'audit_event_targets'] as const;
/**
 * The audit rows the writes imply (generate.audit.ts), without the run's own event (appended
 * through `appendAudit`, with a random id). Their hashes cover the organization's id, which is
 * random in each run, so they are compared as present, not by value (generate.audit.test.ts
 * verifies the chains).
 */
const SELECT: Partial<Record<(typeof COMPARED)[number], string>> = {
  audit_events: `select * from audit_events where action != 'generate.run'`,
  audit_event_targets: `select * from audit_event_targets where event_id in (select id from audit_events where action != 'generate.run')`,
};
const HASHED = new Set(['password_hash', 'hash', 'prev_hash']);

/**
 * Every row of the compared tables, as sorted JSON (so values' types count: 1 is not "1"), with the
 * ids the generator does not make from the seed (organizations, programs, sites, teams, the admin
 * and manager, the directory: random in both runs) replaced by a stable name, and password hashes
 * by their type.
 */
function fingerprint(h: DatabaseHandle & { sqlite: NonNullable<DatabaseHandle['sqlite']> }): Record<string, string[]> {
  const s = h.sqlite;
  const names = new Map<string, string>();
  const nameAll = (q: string) => {
    for (const r of s.prepare(q).all() as { id: string; name: string }[]) names.set(r.id, r.name);
  };
  nameAll(`select id, 'organization:' || name as name from organizations`);
  nameAll(`select id, 'program:' || name as name from programs`);
  nameAll(`select id, 'site:' || name as name from sites`);
  nameAll(`select id, 'team:' || name as name from teams`);
  nameAll(`select id, 'user:' || email as name from users`);
  nameAll(`select m.id, 'membership:' || u.email || ':' || m.role as name from memberships m join users u on u.id = m.user_id`);
  for (const t of ['directory_organizations', 'directory_services', 'directory_locations']) nameAll(`select id, '${t}:' || external_id as name from ${t}`);
  const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
  const norm = (v: unknown) => (typeof v === 'string' ? v.replace(UUID, (id) => names.get(id) ?? id) : v);
  const out: Record<string, string[]> = {};
  for (const table of COMPARED) {
    const rows = s.prepare(SELECT[table] ?? `select * from "${table}"`).all() as Record<string, unknown>[];
    // (Password hashes are salted at random: the same password never hashes the same twice.)
    out[table] = rows.map((r) => JSON.stringify(Object.entries(r).map(([k, v]) => [k, HASHED.has(k) ? typeof v : norm(v)]))).sort();
  }
  return out;
}

function expectSameRows(a: Record<string, string[]>, b: Record<string, string[]>): void {
  for (const table of COMPARED) {
    expect(b[table]!.length, table).toBe(a[table]!.length);
    const missing = a[table]!.filter((r, i) => b[table]![i] !== r);
    expect(missing.slice(0, 3), table).toEqual([]);
  }
}

describe.skipIf(notSqlite)('the SQLite bulk path', () => {
  it('writes the same rows as the Kysely path for one program, and leaves a file database as durable as before', async () => {
    const kysely = await open();
    const bulk = await open('program.db');
    const before = (bulk.sqlite.prepare(`select count(*) as n from sqlite_master where type in ('trigger', 'index')`).get() as { n: number }).n;
    const a = await generateProgram(kysely.db, fixedClock(NOW), { participants: 150, seed: 11, password: PASSWORD });
    const b = await generateProgram(bulk.db, fixedClock(NOW), { participants: 150, seed: 11, password: PASSWORD, sqlite: bulk.sqlite });
    expect(b.counts).toEqual(a.counts);
    const fa = fingerprint(kysely);
    expect(fa.encounters!.length).toBeGreaterThan(1000);
    expect(fa.measure_dirty!.length).toBe(150);
    expect(fa.audit_events!.length).toBe(a.counts.auditEvents);
    expect(fa.audit_event_targets!.length).toBe(a.counts.auditTargets);
    expectSameRows(fa, fingerprint(bulk));

    // Durable as any database afterwards, with every trigger and index back.
    expect(bulk.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(bulk.sqlite.pragma('synchronous', { simple: true })).toBe(2);
    expect(bulk.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect((bulk.sqlite.prepare(`select count(*) as n from sqlite_master where type in ('trigger', 'index')`).get() as { n: number }).n).toBe(before);
    expect(bulk.sqlite.prepare('pragma foreign_key_check').all()).toEqual([]);
    // The measure triggers work again: a new row marks its participant.
    const p = bulk.sqlite.prepare('select id, organization_id from participants limit 1').get() as { id: string; organization_id: string };
    const version = (bulk.sqlite.prepare('select version from measure_versions where organization_id = ?').get(p.organization_id) as { version: number }).version;
    await sql`update participants set city = 'Riverton' where id = ${p.id}`.execute(bulk.db);
    expect((bulk.sqlite.prepare('select version from measure_dirty where participant_id = ?').get(p.id) as { version: number }).version).toBeGreaterThan(version);
  }, 300_000);

  it('writes the same rows as the Kysely path for a network of organizations sharing one writer', async () => {
    const plan: ScalePlan = { organizations: 3, participants: [60, 50, 40], years: 2, participantsPerCoach: 25, volume: { appointments: 2, referrals: 3 } };
    const kysely = await open();
    const bulk = await open('network.db');
    const a = await generateNetwork(kysely.db, fixedClock(NOW), { scale: 150, seed: 5, password: PASSWORD, plan });
    const b = await generateNetwork(bulk.db, fixedClock(NOW), { scale: 150, seed: 5, password: PASSWORD, plan, sqlite: bulk.sqlite });
    expect(b.counts).toEqual(a.counts);
    const fa = fingerprint(kysely);
    expect(fa.measure_versions!.length).toBe(3);
    expectSameRows(fa, fingerprint(bulk));
  }, 300_000);

  it('fails loudly on a broken foreign key', async () => {
    const h = await open();
    h.sqlite.pragma('foreign_keys = OFF');
    h.sqlite
      .prepare(`insert into participant_name_tokens (organization_id, token, participant_id) values ('no-such-organization', 'x', 'no-such-participant')`)
      .run();
    h.sqlite.pragma('foreign_keys = ON');
    expect(() => assertForeignKeys(h.sqlite, ['episodes', 'participant_name_tokens'])).toThrow(/participant_name_tokens → /);
    expect(() => assertForeignKeys(h.sqlite, ['episodes'])).not.toThrow();
  });
});
