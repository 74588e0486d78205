/**
 * The synthetic-data generator on a fresh database of the current dialect: the counts it
 * promises, one episode per participant, and every active episode assigned to a coach on the
 * team of its site.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../../test/helpers/db.js';
import { fixedClock } from '../../platform/clock.js';
import { generateProgram, mulberry32, type GenerateResult } from './generate.js';
import { refreshParticipantSummary } from '../encounters/contact-summary.js';
import { backfill } from '../../migrations/0005-outreach-summary.js';

describe('generateProgram', () => {
  let h: Awaited<ReturnType<typeof createTestDatabase>>;
  let result: GenerateResult;
  const clock = fixedClock('2026-11-27T15:00:00.000Z');

  beforeAll(async () => {
    h = await createTestDatabase();
    result = await generateProgram(h.db, clock, { participants: 900, seed: 42, password: 'generated password for fictional people' });
  }, 60_000);
  afterAll(async () => {
    await h.drop();
  });

  it('is a seeded PRNG: the same seed gives the same sequence', () => {
    const a = mulberry32(5);
    const b = mulberry32(5);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('creates the organization, sites, people and participants it reports', async () => {
    const org = result.organizationId;
    const count = async (table: 'sites' | 'teams' | 'participants' | 'episodes' | 'consents' | 'life_events' | 'todos' | 'encounters') =>
      Number((await h.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('organization_id', '=', org).executeTakeFirstOrThrow()).n);
    expect(result.counts).toMatchObject({ sites: 3, teams: 3, coaches: 18, supervisors: 3, participants: 900, episodes: 900 });
    expect(await count('sites')).toBe(3);
    expect(await count('teams')).toBe(3);
    expect(await count('participants')).toBe(900);
    expect(await count('episodes')).toBe(900);
    // Care history: a participation consent for everyone who agreed, life events, one open
    // follow-up per active episode; each count as reported.
    expect(await count('consents')).toBe(result.counts.consents);
    expect(await count('life_events')).toBe(result.counts.lifeEvents);
    expect(await count('todos')).toBe(result.counts.activeEpisodes);
    // Encounters: a bedside one for every ED intake, then check-ins and attempts; each episode's
    // last successful contact is the newest reached encounter.
    expect(await count('encounters')).toBe(result.counts.encounters);
    expect(result.counts.encounters / 900).toBeGreaterThan(5);
    const bedside = await h.db.selectFrom('encounters').select((eb) => eb.fn.countAll().as('n')).where('type', '=', 'ed_bedside').executeTakeFirstOrThrow();
    const edIntakeCount = await h.db.selectFrom('participants').select((eb) => eb.fn.countAll().as('n')).where('intake_setting', '=', 'emergency_department').executeTakeFirstOrThrow();
    expect(Number(bedside.n)).toBe(Number(edIntakeCount.n));
    const mismatched = await h.db
      .selectFrom('episodes as e')
      .select('e.id')
      .where((eb) =>
        eb(
          'e.last_contact_at',
          'is distinct from',
          eb.selectFrom('encounters as x').select((x) => x.fn.max('x.started_at').as('m')).whereRef('x.episode_id', '=', 'e.id').where('x.reached', '=', 1),
        ),
      )
      .execute();
    expect(mismatched).toEqual([]);
    const agreed = await h.db.selectFrom('participants').select((eb) => eb.fn.countAll().as('n')).where('consent_to_follow_up', '=', 1).executeTakeFirstOrThrow();
    const participation = await h.db.selectFrom('consents').select((eb) => eb.fn.countAll().as('n')).where('kind', '=', 'participation').executeTakeFirstOrThrow();
    expect(Number(participation.n)).toBe(Number(agreed.n));
    const signatures = await h.db.selectFrom('consent_signatures').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(signatures.n)).toBe(result.counts.consents);
    const edVisits = await h.db.selectFrom('life_events').select((eb) => eb.fn.countAll().as('n')).where('kind', '=', 'ed_visit').executeTakeFirstOrThrow();
    const edIntakes = await h.db.selectFrom('participants').select((eb) => eb.fn.countAll().as('n')).where('intake_setting', '=', 'emergency_department').executeTakeFirstOrThrow();
    expect(Number(edVisits.n)).toBe(Number(edIntakes.n));
    const roles = await h.db.selectFrom('memberships').select(['role', (eb) => eb.fn.countAll().as('n')]).where('organization_id', '=', org).groupBy('role').execute();
    expect(Object.fromEntries(roles.map((r) => [r.role, Number(r.n)]))).toEqual({ admin: 1, program_manager: 1, supervisor: 3, coach: 18 });
    const emails = (await h.db.selectFrom('users').select('email').execute()).map((u) => u.email);
    expect(emails.every((e) => e.endsWith('@generated.lodestar.invalid'))).toBe(true);
    expect(emails).toContain(result.managerEmail);
    // Roughly 60% full intakes and 80% active episodes.
    expect(result.counts.fullIntakes / 900).toBeGreaterThan(0.5);
    expect(result.counts.fullIntakes / 900).toBeLessThan(0.7);
    expect(result.counts.activeEpisodes / 900).toBeGreaterThan(0.72);
    expect(result.counts.activeEpisodes / 900).toBeLessThan(0.88);
    // Fictional phones only: 555-0100…555-0199 with an area code, stored as 1 + 10 digits.
    const phones = await h.db.selectFrom('participants').select('phone').where('phone', 'is not', null).execute();
    expect(phones.length).toBeGreaterThan(0);
    expect(phones.every((p) => /^1\d{3}55501\d\d$/.test(p.phone!))).toBe(true);
    // One audit event for the whole run, not one per row.
    const audit = await h.db.selectFrom('audit_events').select(['action', 'details']).where('organization_id', '=', org).execute();
    expect(audit.map((a) => a.action)).toEqual(['generate.run']);
    expect(JSON.parse(audit[0]!.details)).toMatchObject({ participants: 900, seed: 42 });
  });

  it('gives every participant exactly one episode, and every active episode a coach on the team of its site', async () => {
    const org = result.organizationId;
    const withoutEpisode = await h.db
      .selectFrom('participants as p')
      .leftJoin('episodes as e', 'e.participant_id', 'p.id')
      .select('p.id')
      .where('p.organization_id', '=', org)
      .where('e.id', 'is', null)
      .execute();
    expect(withoutEpisode).toEqual([]);
    const perParticipant = await h.db
      .selectFrom('episodes')
      .select(['participant_id', (eb) => eb.fn.countAll().as('n')])
      .where('organization_id', '=', org)
      .groupBy('participant_id')
      .execute();
    expect(perParticipant.every((r) => Number(r.n) === 1)).toBe(true);
    const active = await h.db
      .selectFrom('episodes as e')
      .select(['e.id', 'e.site_id', 'e.assigned_coach_user_id'])
      .where('e.organization_id', '=', org)
      .where('e.status', '=', 'active')
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('team_members as tm')
              .innerJoin('teams as t', 't.id', 'tm.team_id')
              .select('tm.user_id')
              .whereRef('t.site_id', '=', 'e.site_id')
              .whereRef('tm.user_id', '=', 'e.assigned_coach_user_id'),
          ),
        ),
      )
      .execute();
    expect(active).toEqual([]);
    const discharged = await h.db.selectFrom('episodes').select(['discharge_reason', 'discharge_date']).where('status', '=', 'discharged').execute();
    expect(discharged.length).toBeGreaterThan(0);
    expect(discharged.every((d) => d.discharge_reason && d.discharge_date)).toBe(true);
  });

  it('keeps each person’s contact summary as the real writes do (the same rows refreshContactSummary computes)', async () => {
    const rows = await h.db.selectFrom('participants').select(['id', 'last_ed_at', 'last_follow_up_at']).where('organization_id', '=', result.organizationId).orderBy('id').execute();
    const withEd = rows.filter((r) => r.last_ed_at !== null);
    expect(withEd.length).toBeGreaterThan(50);
    expect(rows.filter((r) => r.last_follow_up_at !== null).length).toBeGreaterThan(100);
    const iso = (v: unknown) => (v == null ? null : new Date(v as string).toISOString());
    for (const r of [...withEd.slice(0, 25), ...rows.filter((x) => x.last_ed_at === null).slice(0, 25)]) {
      await refreshParticipantSummary(h.db, result.organizationId, r.id, 'America/New_York');
      const again = await h.db.selectFrom('participants').select(['last_ed_at', 'last_follow_up_at']).where('id', '=', r.id).executeTakeFirstOrThrow();
      expect([iso(again.last_ed_at), iso(again.last_follow_up_at)]).toEqual([iso(r.last_ed_at), iso(r.last_follow_up_at)]);
    }
  });

  it('the migration that added the contact summary fills it from the history as the writes would', async () => {
    const before = await h.db.selectFrom('participants').select(['id', 'last_ed_at', 'last_follow_up_at']).where('organization_id', '=', result.organizationId).orderBy('id').execute();
    await h.db.updateTable('participants').set({ last_ed_at: null, last_follow_up_at: null }).execute();
    await backfill(h.db);
    const after = await h.db.selectFrom('participants').select(['id', 'last_ed_at', 'last_follow_up_at']).where('organization_id', '=', result.organizationId).orderBy('id').execute();
    const iso = (v: unknown) => (v == null ? null : new Date(v as string).toISOString());
    expect(after.map((r) => [r.id, iso(r.last_ed_at), iso(r.last_follow_up_at)])).toEqual(before.map((r) => [r.id, iso(r.last_ed_at), iso(r.last_follow_up_at)]));
    expect(before.filter((r) => r.last_ed_at !== null).length).toBeGreaterThan(50);
  });

  it('refuses to generate twice into one database', async () => {
    await expect(generateProgram(h.db, clock, { participants: 10, seed: 1, password: 'generated password for fictional people' })).rejects.toThrow(/already holds/);
  });
});
