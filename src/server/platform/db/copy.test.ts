/**
 * `lodestar copy-to-postgres`: a generated program in a SQLite file is copied into a fresh
 * PostgreSQL database; every table's row count and checksum match, self-references (a merged
 * record, a rescheduled appointment) survive, the audit trail verifies with the same key, the app
 * serves the copy, and a non-empty target is refused. PostgreSQL is the target, so this runs in the
 * postgres project (the normalization rules are checked on both).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type DatabaseHandle } from './database.js';
import { migrateToLatest } from '../../migrations/index.js';
import { copyField, copyToPostgres, copyUnescape, CopyError, normalize, type CopyReport } from './copy.js';
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
// A tab, newline, carriage return and backslashes, a field that reads like COPY's NULL marker and
// its end-of-data line, a non-ASCII name, JSON text with its own escapes, and a NULL.
const TRICKY = {
  first_name: 'Zoë\tMarie',
  last_name: 'O\'Brien-Ñúñez 李',
  alias: '\\N',
  phone: 'line one\nline two\r\nend\\',
  email: '\\.',
  safe_times: JSON.stringify({ note: 'tab\there "quoted"', path: 'C:\\temp\\new', é: [1, null, '\u2028'] }),
  preferred_name: null,
};

const BIN = path.resolve(import.meta.dirname, '../../../../bin/lodestar.mjs');

describe('COPY text format', () => {
  it('escapes backslash, tab, newline and carriage return, writes NULL as \\N, and reads its own output back', () => {
    expect(copyField('a\tb\nc\rd\\e', 'text')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyField(null, 'text')).toBe('\\N');
    expect(copyField('\\N', 'text')).toBe('\\\\N');
    expect(copyField(1, 'boolean')).toBe('t');
    expect(copyField(0, 'boolean')).toBe('f');
    expect(copyField(0.1, 'double precision')).toBe('0.1');
    expect(copyField(Buffer.from([0, 255]), 'bytea')).toBe('\\\\x00ff');
    for (const v of ['a\tb\nc\rd\\e', '\\N', 'Zoë 李', '{"a":"\\n"}']) expect(copyUnescape(copyField(v, 'text'))).toBe(v);
  });
});

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
  let trickyId: string;

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
      // Values COPY's text format must escape, and a NULL: they must come back exactly.
      await source.db.updateTable('participants').set(TRICKY).where('id', '=', people[1]!.id).execute();
      trickyId = people[1]!.id;
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

  it('round-trips values that COPY must escape (tab, newline, backslash, \\N), a NULL, non-ASCII and JSON text exactly', async () => {
    const h = openDatabase(target.url);
    try {
      const row = await h.db.selectFrom('participants').select(['first_name', 'last_name', 'alias', 'phone', 'email', 'safe_times', 'preferred_name']).where('id', '=', trickyId).executeTakeFirstOrThrow();
      expect(row).toEqual(TRICKY);
      expect(JSON.parse(row.safe_times!)).toEqual(JSON.parse(TRICKY.safe_times));
    } finally {
      await h.destroy();
    }
    // The copy only returns once both sides' checksums agree; the table's is in the report.
    expect(report.tables.find((t) => t.table === 'participants')?.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('commits nothing when a row is refused: the target keeps its schema, indexes and foreign keys, and no rows', async () => {
    const bad = path.join(tmp, 'bad.db');
    fs.copyFileSync(from.slice('sqlite:'.length), bad);
    const source = openDatabase(`sqlite:${bad}`);
    try {
      await source.db.updateTable('participants').set({ date_of_birth: '2026-02-30' }).where('id', '=', trickyId).execute();
    } finally {
      await source.destroy();
    }
    const empty = await freshDatabaseUrl();
    const shape = async (url: string) => {
      const h = openDatabase(url);
      try {
        const { rows } = await sql<{ n: number; kind: string }>`select count(*)::int as n, 'index' as kind from pg_indexes where schemaname = current_schema()
          union all select count(*)::int, 'fk' from pg_constraint where contype = 'f' and connamespace = current_schema()::regnamespace
          union all select count(*)::int, 'participants' from participants union all select count(*)::int, 'audit' from audit_events`.execute(h.db);
        return Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)]));
      } finally {
        await h.destroy();
      }
    };
    try {
      await expect(copyToPostgres({ from: `sqlite:${bad}`, to: empty.url })).rejects.toThrow(/date/);
      const after = await shape(empty.url);
      expect(after.participants).toBe(0);
      expect(after.audit).toBe(0);
      // The same as a freshly migrated database: what the copy dropped for the load came back.
      const fresh = await freshDatabaseUrl();
      try {
        const h = openDatabase(fresh.url);
        await migrateToLatest(h.db);
        await h.destroy();
        const expected = await shape(fresh.url);
        expect(after.index).toBeGreaterThan(50);
        expect(after.fk).toBeGreaterThan(50);
        expect({ index: after.index, fk: after.fk }).toEqual({ index: expected.index, fk: expected.fk });
      } finally {
        await fresh.drop();
      }
    } finally {
      await empty.drop();
    }
  }, 120_000);

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
