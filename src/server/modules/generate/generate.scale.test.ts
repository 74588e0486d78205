/**
 * Sizes of the synthetic program (issue 8): what `rco`, `state` and a number of participants
 * mean, and a small network of organizations generated with its indexes built after loading —
 * each organization clearly synthetic with its own logins, ids that never collide, and the schema's
 * indexes exactly as the migrations left them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { clientFor } from '../../../../test/helpers/auth.js';
import { signIn } from '../../../../test/helpers/factories.js';
import { isPostgres } from '../../platform/db/columns.js';
import type { Db } from '../../platform/db/database.js';
import { generateNetwork, parseScale, planFor, type NetworkResult } from './generate.scale.js';
import { GENERATED_TABLES } from './generate.indexes.js';

const NOW = '2026-11-27T15:00:00.000Z';
const PASSWORD = 'generated password for fictional people';

async function indexDefinitions(db: Db): Promise<string[]> {
  const tables = sql.join([...GENERATED_TABLES]);
  const rows = isPostgres(db as never)
    ? (await sql<{ d: string }>`select indexdef as d from pg_indexes where schemaname = current_schema() and tablename in (${tables})`.execute(db)).rows
    : (await sql<{ d: string }>`select sql as d from sqlite_master where type = 'index' and sql is not null and tbl_name in (${tables})`.execute(db)).rows;
  return rows.map((r) => r.d).sort();
}

describe('scales', () => {
  it('reads --scale as rco, state or a whole number of participants', () => {
    expect([parseScale('rco'), parseScale('state'), parseScale('25000'), parseScale('0')]).toEqual(['rco', 'state', 25000, 0]);
    expect([parseScale('big'), parseScale('-1'), parseScale('2.5'), parseScale('')]).toEqual([null, null, null, null]);
  });

  it('plans rco as one organization of 2,000, and state as PRODUCT.md’s network over five years', () => {
    expect(planFor('rco')).toMatchObject({ organizations: 1, participants: [2000], years: 1 });
    const state = planFor('state');
    expect(state.organizations).toBe(20);
    expect(state.participants.reduce((a, b) => a + b, 0)).toBe(250_000);
    expect(state.years).toBe(5);
    // 2,000 coaches: 100 per organization.
    expect(state.participants.reduce((sum, n) => sum + Math.ceil(n / state.participantsPerCoach), 0)).toBe(2000);
    // A number keeps the state's proportions, split as evenly as whole people allow.
    const n = planFor(30_001);
    expect(n.organizations).toBe(2);
    expect(n.participants).toEqual([15_001, 15_000]);
    expect(planFor(500)).toMatchObject({ organizations: 1, participants: [500], years: 5 });
  });
});

describe('generateNetwork', () => {
  let t: TestApp;
  let r: NetworkResult;
  let before: string[];

  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
    before = await indexDefinitions(t.db);
    r = await generateNetwork(t.db, t.clock, { scale: 'state', seed: 3, password: PASSWORD, plan: { organizations: 2, participants: [60, 40], years: 5, participantsPerCoach: 125, volume: { appointments: 2, referrals: 7 } } });
  }, 300_000);
  afterAll(async () => {
    await t.close();
  });

  it('makes each organization, clearly synthetic, with its own logins', async () => {
    expect(r.organizations.map((o) => o.organizationName)).toEqual(['Generated Recovery Network 01 (synthetic)', 'Generated Recovery Network 02 (synthetic)']);
    expect(r.organizations[0]!.coachEmails[0]).toBe('o01-coach-0001@generated.lodestar.invalid');
    expect(r.organizations[1]!.managerEmail).toBe('o02-manager@generated.lodestar.invalid');
    expect(r.counts.participants).toBe(100);
    const perOrg = await t.db.selectFrom('participants').select(['organization_id', (eb) => eb.fn.countAll().as('n')]).groupBy('organization_id').execute();
    expect(Object.fromEntries(perOrg.map((p) => [p.organization_id, Number(p.n)]))).toEqual({ [r.organizations[0]!.organizationId]: 60, [r.organizations[1]!.organizationId]: 40 });
    // Five years of history, and a good deal more contact than a year gives.
    const oldest = await t.db.selectFrom('episodes').select((eb) => eb.fn.min('start_date').as('d')).executeTakeFirstOrThrow();
    expect(String(oldest.d).slice(0, 4) <= '2023').toBe(true);
    expect(r.counts.encounters / 100).toBeGreaterThan(20);
    expect(r.counts.referrals / 100).toBeGreaterThan(2);
    // The second organization's manager signs in and sees only their organization.
    const manager = clientFor(t);
    await signIn(manager, { email: r.organizations[1]!.managerEmail, password: PASSWORD });
    const me = await manager.get('/api/v1/me');
    expect(me.statusCode, me.body).toBe(200);
    expect(me.body).toContain(r.organizations[1]!.organizationId);
    expect(me.body).not.toContain(r.organizations[0]!.organizationId);
  });

  it('gives every row its own id across organizations, and builds the indexes again exactly', async () => {
    for (const table of ['encounters', 'referrals', 'appointments', 'life_events', 'users'] as const) {
      const all = await t.db.selectFrom(table).select('id').execute();
      expect(new Set(all.map((x) => x.id)).size, table).toBe(all.length);
    }
    expect(await indexDefinitions(t.db)).toEqual(before);
    expect(before.length).toBeGreaterThan(20);
    expect(r.indexSeconds).toBeGreaterThanOrEqual(0);
  });

  it('refuses to generate into a database that holds a generated network', async () => {
    await expect(generateNetwork(t.db, t.clock, { scale: 10, seed: 3, password: PASSWORD })).rejects.toThrow(/already holds/);
  });
});
