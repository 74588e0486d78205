/**
 * `lodestar copy-to-postgres`: a generated program in a SQLite file is copied into a fresh
 * PostgreSQL database; every table's row count and checksum match, self-references (a merged
 * record, a rescheduled appointment) survive, the audit trail verifies with the same key, the app
 * serves the copy, and a non-empty target is refused. PostgreSQL is the target, so this runs in the
 * postgres project (the normalization rules are checked on both).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type DatabaseHandle } from './database.js';
import { migrateToLatest } from '../../migrations/index.js';
import { copyToPostgres, CopyError, normalize, type CopyReport } from './copy.js';
import { fixedClock } from '../clock.js';
import { generateProgram, type GenerateResult } from '../../modules/generate/generate.js';
import { verifyAudit, writeCheckpoints } from '../audit/checkpoints.js';
import { buildApp } from '../../app.js';
import { testConfig } from '../config.js';
import { createAuditReadBuffer } from '../audit/read-buffer.js';
import { freshDatabaseUrl, testDialect } from '../../../../test/helpers/db.js';
import { TestClient } from '../../../../test/helpers/app.js';

const KEY = 'copy-test-audit-key-0123456789abcdef012345';
const PASSWORD = 'generated logins share this long password';
const BIN = path.resolve(import.meta.dirname, '../../../../bin/lodestar.mjs');

describe('normalizing values so both engines agree', () => {
  it('writes instants, dates, numbers, float4 and JSON the same whichever engine they came from', () => {
    expect(normalize('2026-11-27T15:00:00Z', 'timestamp with time zone')).toBe(normalize('2026-11-27T15:00:00.000Z', 'timestamp with time zone'));
    expect(normalize('2026-02-28', 'date')).toBe('2026-02-28');
    expect(normalize(7, 'bigint')).toBe(normalize('7', 'bigint'));
    expect(normalize(0.1, 'real')).toBe(normalize(Math.fround(0.1), 'real'));
    expect(normalize('{"a":1}', 'jsonb')).toBe(normalize({ a: 1 }, 'jsonb'));
    expect(normalize(1, 'boolean')).toBe(normalize(true, 'boolean'));
    expect(normalize(null, 'text')).toBeNull();
  });
});

describe.runIf(testDialect() === 'postgres')('copy-to-postgres', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lodestar-copy-'));
  const from = `sqlite:${path.join(tmp, 'program.db')}`;
  const clock = fixedClock('2026-11-27T15:00:00.000Z');
  let generated: GenerateResult;
  let sourceCounts: Map<string, number>;
  let target: { url: string; drop: () => Promise<void> };
  let report: CopyReport;

  beforeAll(async () => {
    const source = openDatabase(from);
    try {
      await migrateToLatest(source.db);
      generated = await generateProgram(source.db, clock, { participants: 120, seed: 7, password: PASSWORD });
      // Self-references pointing FORWARD in insertion order: the copy must fill them afterwards.
      const people = await source.db.selectFrom('participants').select('id').orderBy('id').execute();
      await source.db.updateTable('participants').set({ merged_into_id: people.at(-1)!.id }).where('id', '=', people[0]!.id).execute();
      const appts = await source.db.selectFrom('appointments').select('id').orderBy('id').limit(2).execute();
      if (appts.length === 2) await source.db.updateTable('appointments').set({ rescheduled_to_id: appts[1]!.id }).where('id', '=', appts[0]!.id).execute();
      await writeCheckpoints(source.db, clock, KEY);
      sourceCounts = await countsOf(source);
    } finally {
      await source.destroy();
    }
    target = await freshDatabaseUrl();
    report = await copyToPostgres({ from, to: target.url });
  }, 180_000);

  afterAll(async () => {
    await target?.drop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('copies every table with the same row count, and the checksums of both sides agree', async () => {
    expect(report.tables.map((t) => t.table).sort()).toEqual([...sourceCounts.keys()].sort());
    for (const t of report.tables) expect(t.rows, t.table).toBe(sourceCounts.get(t.table));
    expect(report.rows).toBeGreaterThan(5_000);
    const h = openDatabase(target.url);
    try {
      const copied = await countsOf(h);
      for (const [table, n] of sourceCounts) expect(copied.get(table), table).toBe(n);
      const merged = await h.db.selectFrom('participants').select('id').where('merged_into_id', 'is not', null).execute();
      expect(merged).toHaveLength(1);
    } finally {
      await h.destroy();
    }
  });

  it('keeps the audit trail verifiable with the same key, and the app serves the copy on PostgreSQL', async () => {
    const h = openDatabase(target.url);
    const auditReads = createAuditReadBuffer(h.db, clock, { flushMs: 50 });
    const app = await buildApp({ db: h.db, dialect: h.dialect, clock, config: testConfig({ auditKey: KEY, webDist: '/nonexistent' }), auditKey: KEY, auditReads });
    try {
      const report = await verifyAudit(h.db, KEY, { now: clock.now() });
      expect(report.problem).toBeUndefined();
      expect(report.events).toBeGreaterThan(0);
      const coach = new TestClient(app);
      expect((await coach.post('/api/v1/auth/sign-in', { email: generated.coachEmails[0], password: PASSWORD })).statusCode).toBe(200);
      const caseload = await coach.get('/api/v1/caseload');
      expect(caseload.statusCode).toBe(200);
    } finally {
      await app.close();
      await auditReads.close();
      await h.destroy();
    }
  });

  it('refuses a target that already holds data, and writes nothing to it', async () => {
    await expect(copyToPostgres({ from, to: target.url })).rejects.toThrow(CopyError);
    await expect(copyToPostgres({ from, to: target.url })).rejects.toThrow(/not empty \(\w+ holds \d+ row/);
  });

  it('runs from the command line: refuses without --to, copies and prints each table’s count and checksum', async () => {
    const run = promisify(execFile);
    const usage = await run(process.execPath, [BIN, 'copy-to-postgres', '--from', from], { env: { ...process.env, LOG_LEVEL: 'silent' } }).catch((e: { code: number; stderr: string }) => e);
    expect((usage as { code: number }).code).toBe(2);
    const second = await freshDatabaseUrl();
    try {
      const { stdout } = await run(process.execPath, [BIN, 'copy-to-postgres', '--from', from, '--to', second.url], { env: { ...process.env, LOG_LEVEL: 'silent' }, timeout: 240_000 });
      expect(stdout).toMatch(/Copied and verified \d+ row\(s\) in \d+ tables/);
      expect(stdout).toMatch(/^participants\t\d+\t[0-9a-f]{64}$/m);
    } finally {
      await second.drop();
    }
  }, 300_000);

  it('refuses a source that is not a SQLite file', async () => {
    await expect(copyToPostgres({ from: `sqlite:${path.join(tmp, 'missing.db')}`, to: target.url })).rejects.toThrow(/no SQLite database/);
    await expect(copyToPostgres({ from: target.url, to: target.url })).rejects.toThrow(/--from must be sqlite:PATH/);
  });
});

async function countsOf(h: DatabaseHandle): Promise<Map<string, number>> {
  const names =
    h.dialect === 'sqlite'
      ? (h.sqlite!.prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'`).all() as { name: string }[]).map((r) => r.name)
      : (await h.db.selectFrom('pg_tables' as never).select('tablename as name' as never).where('schemaname' as never, '=', 'public' as never).execute()).map((r) => (r as { name: string }).name).filter((n) => !n.startsWith('kysely_'));
  const counts = new Map<string, number>();
  for (const name of names) {
    const row = await h.db.selectFrom(name as never).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    counts.set(name, Number(row.n));
  }
  return counts;
}
