/**
 * `lodestar import`, run as a real child process: the example history file
 * (test/fixtures/import/program-history.json) goes in whole, `lodestar measures` then gives the
 * linkage figures worked out by hand from it, a second import updates instead of duplicating, a
 * dry run writes nothing, and a bad file exits 1 naming each row.
 *
 * Linkage by hand (Jan–Jun 2026, America/Chicago; day 0 counts):
 *  P-001 ED 02-01; MOUD induction attended 02-08 21:30 local (02-09 in UTC): day 7 → 7 and 30.
 *  P-002 ED 03-10; first fill 03-25: day 15 → 30 only.
 *  P-003 ED 04-05; a referral (not linkage) and a missed counseling visit → neither.
 *  P-004 no ED; enrolled 05-01; OTP period from 05-04: day 3 → 7 and 30.
 *  P-005 ED 06-20; prescriber visit attended 06-25: day 5 → 7; its 30-day window ends after
 *        06-30 (pending).
 *  P-006 enrolled and discharged in 2025: no index in the period.
 *  7-day: 3 of 5 (P-001, P-004, P-005). 30-day: 3 of 4 (P-001, P-002, P-004), 1 pending.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freshDatabaseUrl, testDialect } from '../helpers/db.js';
import { openDatabase } from '../../src/server/platform/db/database.js';
import { migrateToLatest } from '../../src/server/migrations/index.js';
import { insertProgram, insertSite } from '../../src/server/modules/organizations/organizations.repository.js';
import { buildOrganization, buildUser } from '../helpers/factories.js';

// Each test starts the CLI as a child process (tsx compiles the server on start): on a shared
// 2-core machine running the other suites beside it, that takes far longer than the usual 20 s.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, '../../bin/lodestar.mjs');
const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/import/program-history.json');
const BAD = path.resolve(import.meta.dirname, '../fixtures/import/bad-history.json');
const KEY = 'cli-test-audit-key-0123456789abcdef0123';
const NOW = '2026-11-01T00:00:00.000Z';

interface Figure {
  key: string;
  numerator: number | null;
  denominator: number | null;
  rate: number | null;
  pending?: number;
}

describe('lodestar import', { timeout: 240_000 }, () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lodestar-import-cli-'));
  let url: string;
  let drop: () => Promise<void>;
  let organizationId: string;

  const lodestar = async (args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...process.env, DATABASE_URL: url, LODESTAR_AUDIT_KEY: KEY, LOG_LEVEL: 'silent' }, timeout: 90_000 });
      return { code: 0, out: stdout, err: stderr };
    } catch (e) {
      const x = e as { code: number; stdout: string; stderr: string };
      return { code: x.code, out: x.stdout, err: x.stderr };
    }
  };
  const counts = async () => {
    const h = openDatabase(url);
    try {
      const n = async (table: 'participants' | 'episodes' | 'encounters' | 'life_events' | 'referrals' | 'appointments' | 'moud_fills' | 'moud_courses' | 'moud_otp_enrollments' | 'questionnaire_responses' | 'todos' | 'outbox_messages' | 'notifications') =>
        Number((await h.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('organization_id', '=', organizationId).executeTakeFirstOrThrow()).n);
      return {
        participants: await n('participants'),
        episodes: await n('episodes'),
        encounters: await n('encounters'),
        lifeEvents: await n('life_events'),
        referrals: await n('referrals'),
        appointments: await n('appointments'),
        fills: await n('moud_fills'),
        courses: await n('moud_courses'),
        otp: await n('moud_otp_enrollments'),
        responses: await n('questionnaire_responses'),
        todos: await n('todos'),
        messages: await n('outbox_messages'),
        notifications: await n('notifications'),
      };
    } finally {
      await h.destroy();
    }
  };

  beforeAll(async () => {
    if (testDialect() === 'sqlite') {
      url = `sqlite:${path.join(tmp, 'lodestar.db')}`;
      drop = () => Promise.resolve();
    } else {
      ({ url, drop } = await freshDatabaseUrl());
    }
    const h = openDatabase(url);
    try {
      await migrateToLatest(h.db);
      const org = await buildOrganization(h.db, { timeZone: 'America/Chicago' });
      organizationId = org.id;
      await buildUser(h.db, { organizationId, roles: ['admin'], email: 'admin.import@example.org' });
      await buildUser(h.db, { organizationId, roles: ['coach'], email: 'coach.rivera@example.org' });
      await insertProgram(h.db, organizationId, { name: 'Bridge Peer Recovery', description: null }, NOW);
      await insertSite(h.db, organizationId, { name: 'Mercy General ED', kind: 'emergency_department', programId: null, timeZone: null, address: null }, NOW);
      await insertSite(h.db, organizationId, { name: 'Eastside Recovery Center', kind: 'rco', programId: null, timeZone: null, address: null }, NOW);
    } finally {
      await h.destroy();
    }
  });
  afterAll(async () => {
    await drop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('a dry run checks and counts the file but writes nothing', async () => {
    const r = await lodestar(['import', FIXTURE, '--org', organizationId, '--dry-run']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('Dry run');
    expect(r.out).toMatch(/participants\s+6 to create\s+0 to update/);
    expect((await counts()).participants).toBe(0);
  });

  it('imports the example file, and the measures read it as worked out by hand', async () => {
    const r = await lodestar(['import', FIXTURE, '--org', organizationId]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/participants\s+6 created\s+0 updated/);
    expect(r.out).toMatch(/total\s+33 created\s+0 updated/);
    expect(await counts()).toEqual({
      participants: 6, episodes: 6, encounters: 4, lifeEvents: 7, referrals: 2, appointments: 3, fills: 2, courses: 2, otp: 1, responses: 2,
      // History in the past makes no work: no to-dos, reminders or alerts.
      todos: 0, messages: 0, notifications: 0,
    });

    const m = await lodestar(['measures', '--org', organizationId, '--from', '2026-01-01', '--to', '2026-06-30', '--json']);
    expect(m.code, m.err).toBe(0);
    const json = JSON.parse(m.out) as { participants: number; measures: { id: string; figures: Figure[] }[] };
    expect(json.participants).toBe(6);
    const fig = (id: string, key: string) => json.measures.find((x) => x.id === id)!.figures.find((f) => f.key === key)!;
    expect(fig('linkage', 'window_7')).toMatchObject({ numerator: 3, denominator: 5, rate: 0.6 });
    expect(fig('linkage', 'window_30')).toMatchObject({ numerator: 3, denominator: 4, rate: 0.75, pending: 1 });

    const h = openDatabase(url);
    try {
      const audit = await h.db.selectFrom('audit_events').select(['actor_user_id', 'details']).where('organization_id', '=', organizationId).where('action', '=', 'import.apply').execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]!.actor_user_id).not.toBeNull();
      // Counts only: no name from the file reaches the audit trail.
      expect(audit[0]!.details).not.toMatch(/Alma|Example|P-001/);
      const fill = await h.db.selectFrom('moud_fills').select(['days_supply', 'days_supply_defaulted']).where('organization_id', '=', organizationId).where('filled_on', '=', '2026-04-24').executeTakeFirstOrThrow();
      expect(fill).toMatchObject({ days_supply: 7, days_supply_defaulted: 1 });
      const closed = await h.db.selectFrom('episodes').select(['status', 'discharge_date', 'discharge_reason']).where('organization_id', '=', organizationId).where('start_date', '=', '2025-09-01').executeTakeFirstOrThrow();
      expect(closed).toMatchObject({ status: 'discharged', discharge_date: '2025-12-15', discharge_reason: 'lost_contact' });
    } finally {
      await h.destroy();
    }
  });

  it('a second import of the same ids updates instead of duplicating', async () => {
    const before = await counts();
    const changed = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as { participants: { externalId: string; lastName?: string }[] };
    changed.participants[0]!.lastName = 'Renamed';
    const file = path.join(tmp, 'changed.json');
    fs.writeFileSync(file, JSON.stringify(changed));
    const r = await lodestar(['import', file, '--org', organizationId, '--as', 'coach.rivera@example.org']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/total\s+0 created\s+33 updated/);
    expect(await counts()).toEqual(before);
    const h = openDatabase(url);
    try {
      const renamed = await h.db.selectFrom('participants').select(['last_name', 'search_name']).where('organization_id', '=', organizationId).where('first_name', '=', 'Alma').executeTakeFirstOrThrow();
      expect(renamed.last_name).toBe('Renamed');
      expect(renamed.search_name).toContain('renamed');
    } finally {
      await h.destroy();
    }
  });

  it('refuses a bad file whole, naming each row, and exits 1', async () => {
    const before = await counts();
    const bad = await lodestar(['import', BAD, '--org', organizationId]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('participants[1].dateOfBirth');
    expect(bad.err).toContain('nothing was imported');

    // Well-formed rows whose references and rules fail are reported the same way.
    const file = path.join(tmp, 'refs.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        format: 'lodestar-history',
        version: 1,
        timeZone: 'America/Chicago',
        participants: [{ externalId: 'N-1', firstName: 'New' }],
        episodes: [{ externalId: 'NE-1', participant: 'N-1', program: 'No Such Program', site: 'Mercy General ED', startDate: '2026-03-01' }],
        lifeEvents: [{ externalId: 'NL-1', participant: 'P-999', kind: 'ed_visit', occurredOn: '2026-02-01' }],
        moudFills: [{ externalId: 'NF-1', participant: 'N-1', medication: 'naltrexone', formulation: 'oral_tablet', filledOn: '2026-03-01' }],
      }),
    );
    const refs = await lodestar(['import', file, '--org', organizationId]);
    expect(refs.code).toBe(1);
    expect(refs.err).toContain('episodes[0].program');
    expect(refs.err).toContain('lifeEvents[0].participant');
    expect(refs.err).toContain('moudFills[0].daysSupply');
    expect(await counts()).toEqual(before);

    const usage = await lodestar(['import', FIXTURE]);
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('--org');
  });
});
