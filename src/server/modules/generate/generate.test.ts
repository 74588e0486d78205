/**
 * The synthetic-data generator on a fresh database of the current dialect: the counts it
 * promises, one episode per participant, every active episode assigned to a coach on the team of
 * its site; and treatment navigation (issue 5): the directory, partner accounts, appointments,
 * MOUD records whose derived columns are what the app's recompute gives, and referrals whose
 * lifecycle, disclosures and linkage follow the app's rules — read back through the HTTP API as
 * the partner and the coach. Same seed, same rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { createTestDatabase } from '../../../../test/helpers/db.js';
import { clientFor } from '../../../../test/helpers/auth.js';
import { signIn } from '../../../../test/helpers/factories.js';
import type { Db } from '../../platform/db/database.js';
import { localDate } from '../../platform/time.js';
import type { Ctx } from '../../platform/http/context.js';
import { generateProgram, mulberry32, type GenerateResult } from './generate.js';
import { refreshParticipantSummary } from '../encounters/contact-summary.js';
import { backfill } from '../../migrations/0005-outreach-summary.js';
import { recomputeAllCoverage } from '../moud/moud.usecases.js';
import { currentMedication } from '../moud/moud.repository.js';
import { listConsents } from '../consents/consents.repository.js';
import { consentNotice, evaluate } from '../consents/disclosure-gate.js';
import { moudCoverage } from '../../../contracts/moud-rules.js';
import { REFERRAL_TRANSITIONS, type PartnerInbox, type PartnerReferral, type Referral, type ReferralStatus } from '../../../contracts/referrals.js';
import type { MoudSummary } from '../../../contracts/moud.js';
import { loadMeasureFacts } from '../measures/measures.loader.js';
import { computeMeasures, historyNeeds, resolveAllParameters } from '../measures/measures.results.js';
import { computeRetention } from '../measures/measures.compute.js';
import { BARC10_V1 } from '../questionnaires/questionnaires.shipped.js';

const NOW = '2026-11-27T15:00:00.000Z'; // 10:00 in New York
const TODAY = '2026-11-27';
const TZ = 'America/New_York';
const PASSWORD = 'generated password for fictional people';
const DAY = 86_400_000;
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const iso = (v: unknown) => (v == null ? null : new Date(v as string).toISOString());
/** A date column as YYYY-MM-DD from either driver. */
const day = (v: string | null) => (v == null ? null : v.slice(0, 10));

describe('generateProgram', () => {
  let t: TestApp;
  let h: { db: Db };
  let result: GenerateResult;

  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
    h = t;
    result = await generateProgram(t.db, t.clock, { participants: 900, seed: 42, password: PASSWORD });
  }, 300_000);
  afterAll(async () => {
    await t.close();
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
    expect(await count('todos')).toBe(result.counts.todos + result.counts.referralTodos);
    expect(result.counts.todos).toBe(result.counts.activeEpisodes);
    // Encounters: a bedside one for every ED visit a peer was called to (every ED intake, and some
    // returns), then check-ins and attempts; each episode's last successful contact is the newest
    // reached encounter.
    expect(await count('encounters')).toBe(result.counts.encounters);
    expect(result.counts.encounters / 900).toBeGreaterThan(15);
    expect(result.counts.encounters / 900).toBeLessThan(35);
    const bedside = await h.db.selectFrom('encounters').select((eb) => eb.fn.countAll().as('n')).where('type', '=', 'ed_bedside').executeTakeFirstOrThrow();
    expect(Number(bedside.n)).toBe(result.counts.edVisits);
    const edIntakesWithoutVisit = await h.db
      .selectFrom('participants as p')
      .select('p.id')
      .where('p.intake_setting', '=', 'emergency_department')
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('ed_visits as v').select('v.id').whereRef('v.participant_id', '=', 'p.id'))))
      .execute();
    expect(edIntakesWithoutVisit).toEqual([]);
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
    expect(Number(edVisits.n)).toBeGreaterThan(Number(edIntakes.n));
    expect(Number(edVisits.n)).toBeGreaterThanOrEqual(result.counts.edVisits);
    const roles = await h.db.selectFrom('memberships').select(['role', (eb) => eb.fn.countAll().as('n')]).where('organization_id', '=', org).groupBy('role').execute();
    expect(Object.fromEntries(roles.map((r) => [r.role, Number(r.n)]))).toEqual({ admin: 1, program_manager: 1, supervisor: 3, coach: 18, partner: 3 });
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
    // The writes' own audit events (generate.audit.test.ts), then one for the whole run, last in the chain.
    const audit = await h.db.selectFrom('audit_events').select(['action', 'details']).where('organization_id', '=', org).orderBy('seq').execute();
    expect(audit.length).toBe(result.counts.auditEvents + 1);
    expect(audit.filter((a) => a.action === 'generate.run').length).toBe(1);
    expect(audit.at(-1)!.action).toBe('generate.run');
    expect(JSON.parse(audit.at(-1)!.details)).toMatchObject({ participants: 900, seed: 42, auditEvents: result.counts.auditEvents });
   }, 60_000);

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
    await expect(generateProgram(h.db, t.clock, { participants: 10, seed: 1, password: PASSWORD })).rejects.toThrow(/already holds/);
  });
  // ---- treatment navigation

  const org = () => result.organizationId;
  const n = async (q: { executeTakeFirstOrThrow: () => Promise<{ n: unknown }> }) => Number((await q.executeTakeFirstOrThrow()).n);
  const countOf = (table: 'directory_services' | 'directory_organizations' | 'appointments' | 'moud_courses' | 'moud_fills' | 'moud_otp_enrollments' | 'referrals' | 'referral_events' | 'disclosures' | 'partner_links') =>
    n(h.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('organization_id', '=', org()));

  it('writes the directory, partner accounts, appointments, MOUD records and referrals it reports', async () => {
    const c = result.counts;
    // A directory of one service per 10 participants (at least 50), with treating providers in it.
    expect(c.directoryServices).toBe(90);
    expect(await countOf('directory_services')).toBe(90);
    expect(await countOf('directory_organizations')).toBe(c.directoryOrganizations);
    const treating = await n(h.db.selectFrom('directory_organizations').select((eb) => eb.fn.countAll().as('n')).where('organization_id', '=', org()).where('type', '=', 'treating_provider'));
    expect(treating).toBeGreaterThan(5);
    expect(await countOf('appointments')).toBe(c.appointments);
    expect(await countOf('moud_courses')).toBe(c.moudCourses);
    expect(await countOf('moud_fills')).toBe(c.moudFills);
    expect(await countOf('moud_otp_enrollments')).toBe(c.otpEnrollments);
    expect(await countOf('referrals')).toBe(c.referrals);
    expect(await countOf('referral_events')).toBe(c.referralEvents);
    expect(await countOf('disclosures')).toBe(c.disclosures);
    expect(c.disclosures).toBe(c.sentReferrals);
    // Sane proportions for 900 people.
    expect(c.appointments / 900).toBeGreaterThan(1);
    expect(c.appointments / 900).toBeLessThan(4);
    expect(c.referrals / 900).toBeGreaterThan(0.5);
    expect(c.referrals / 900).toBeLessThan(1.5);
    expect(c.sentReferrals).toBeGreaterThan(30);
    expect(c.sentReferrals).toBeLessThan(c.referrals / 2);
    expect(c.moudCourses).toBeGreaterThan(200);
    expect(c.moudFills / c.moudCourses).toBeGreaterThan(3);
    expect(c.otpEnrollments).toBeGreaterThan(30);
    // The rows-per-second figure counts every row written.
    expect(c.rows).toBeGreaterThan(c.encounters + c.participants * 2 + c.referralEvents + c.moudFills);

    // Referrals: 1–3 per referred person, mostly of people with an open episode.
    const per = await h.db.selectFrom('referrals').select(['participant_id', (eb) => eb.fn.countAll().as('n')]).where('organization_id', '=', org()).groupBy('participant_id').execute();
    expect(per.every((r) => Number(r.n) >= 1 && Number(r.n) <= 3)).toBe(true);
    expect(per.length / 900).toBeGreaterThan(0.4);

    // Partner accounts: a partner membership and a link to a treating-provider organization each,
    // the most-referred-to first.
    expect(result.partnerEmails).toHaveLength(3);
    const partners = await h.db
      .selectFrom('partner_links as l')
      .innerJoin('users as u', 'u.id', 'l.user_id')
      .innerJoin('memberships as m', (j) => j.onRef('m.user_id', '=', 'l.user_id').onRef('m.organization_id', '=', 'l.organization_id'))
      .innerJoin('directory_organizations as o', 'o.id', 'l.directory_organization_id')
      .select(['u.email', 'm.role', 'o.type', 'l.directory_organization_id as receiver'])
      .where('l.organization_id', '=', org())
      .execute();
    expect(partners.map((p) => p.email).sort()).toEqual([...result.partnerEmails].sort());
    expect(partners.every((p) => p.role === 'partner' && p.type === 'treating_provider' && p.email.endsWith('@generated.lodestar.invalid'))).toBe(true);
    const sentTo = async (receiver: string) =>
      n(h.db.selectFrom('referrals').select((eb) => eb.fn.countAll().as('n')).where('organization_id', '=', org()).where('mode', '=', 'sent').where('directory_organization_id', '=', receiver));
    const inboxSizes = await Promise.all(result.partnerEmails.map((e) => sentTo(partners.find((p) => p.email === e)!.receiver)));
    expect(inboxSizes[0]).toBeGreaterThan(0);
    expect([...inboxSizes].sort((a, b) => b - a)).toEqual(inboxSizes);
  });

  it('gives appointments a realistic status mix on the calendar of the episode’s coach', async () => {
    const rows = await h.db
      .selectFrom('appointments as a')
      .innerJoin('episodes as e', 'e.participant_id', 'a.participant_id')
      .select(['a.starts_at', 'a.status', 'a.kind', 'a.coach_user_id', 'e.assigned_coach_user_id', 'a.status_changed_at', 'a.created_at', 'a.referral_id'])
      .where('a.organization_id', '=', org())
      .execute();
    const now = Date.parse(NOW);
    expect(rows.every((a) => a.coach_user_id === a.assigned_coach_user_id)).toBe(true);
    expect(rows.every((a) => Date.parse(iso(a.created_at)!) <= now)).toBe(true);
    const future = rows.filter((a) => Date.parse(iso(a.starts_at)!) > now);
    const past = rows.filter((a) => Date.parse(iso(a.starts_at)!) <= now - 2 * DAY);
    expect(future.length).toBeGreaterThan(20);
    expect(future.every((a) => a.status === 'scheduled')).toBe(true);
    // In the past: attended, missed or cancelled (a referral's visit of the last two days may not be marked yet).
    expect(past.every((a) => ['attended', 'missed', 'cancelled'].includes(a.status) && a.status_changed_at !== null)).toBe(true);
    const share = (s: string) => past.filter((a) => a.status === s).length / past.length;
    expect(share('attended')).toBeGreaterThan(0.5);
    expect(share('missed')).toBeGreaterThan(0.1);
    expect(share('cancelled')).toBeGreaterThan(0.04);
    expect(new Set(rows.map((a) => a.kind)).size).toBe(8);
  });

  it('keeps MOUD derived columns and current_moud exactly as the app’s recompute leaves them', async () => {
    const courses = await h.db.selectFrom('moud_courses').selectAll().where('organization_id', '=', org()).orderBy('id').execute();
    const people = [...new Set(courses.map((c) => c.participant_id))];
    expect(people.length).toBeGreaterThan(150);
    const before = courses.map((c) => [c.id, day(c.covered_through), day(c.next_refill_due)]);
    // Realistic gaps: some people went 8 or more days without medication; some are overdue now, most are not.
    const fills = await h.db.selectFrom('moud_fills').select(['participant_id', 'medication', 'filled_on', 'days_supply']).where('organization_id', '=', org()).execute();
    const byPerson = new Map<string, { filledOn: string; daysSupply: number }[]>();
    for (const f of fills) {
      const k = `${f.participant_id}|${f.medication}`;
      byPerson.set(k, [...(byPerson.get(k) ?? []), { filledOn: day(f.filled_on)!, daysSupply: Number(f.days_supply) }]);
    }
    const withGap = [...byPerson.values()].filter((list) => {
      const spans = moudCoverage(list).spans;
      return spans.some((s, i) => i > 0 && Date.parse(s.from) - Date.parse(spans[i - 1]!.through) >= 9 * DAY);
    });
    expect(withGap.length).toBeGreaterThan(10);
    expect(fills.every((f) => day(f.filled_on)! <= TODAY)).toBe(true);
    const active = courses.filter((c) => c.status === 'active' && c.medication !== 'methadone');
    const overdue = active.filter((c) => day(c.next_refill_due)! < TODAY).length / active.length;
    expect(overdue).toBeGreaterThan(0.05);
    expect(overdue).toBeLessThan(0.4);
    expect(courses.filter((c) => c.medication === 'methadone').every((c) => c.covered_through === null && c.next_refill_due === null)).toBe(true);
    expect(new Set(courses.map((c) => c.status))).toEqual(new Set(['active', 'starting', 'stopped']));

    // current_moud follows the record: the medication of the most recently started active course.
    const participants = await h.db.selectFrom('participants').select(['id', 'current_moud', 'moud_source']).where('id', 'in', people).execute();
    for (const p of participants) {
      const current = await currentMedication(h.db, org(), p.id);
      if (current) expect([p.current_moud, p.moud_source]).toEqual([current.medication, current.source === 'verified' ? 'clinician_verified' : 'participant_reported']);
      else expect(['buprenorphine', 'naltrexone', 'methadone']).not.toContain(p.current_moud);
    }

    // The app's recompute (what every fill write runs) changes nothing.
    const ctx = {
      db: h.db,
      clock: t.clock,
      actor: { userId: courses[0]!.created_by, organizationId: org(), roles: ['coach'], isPlatformAdmin: false, sessionId: 'generate-test' },
      audit: () => Promise.resolve(),
      auditDenied: () => undefined,
    } as unknown as Ctx;
    for (const pid of people) await recomputeAllCoverage(ctx, pid);
    const after = await h.db.selectFrom('moud_courses').selectAll().where('organization_id', '=', org()).orderBy('id').execute();
    expect(after.map((c) => [c.id, day(c.covered_through), day(c.next_refill_due)])).toEqual(before);
  });

  it('makes every referral’s history follow the lifecycle, its status the last status event, with follow-up and linkage as the app records them', async () => {
    const referrals = await h.db.selectFrom('referrals').selectAll().where('organization_id', '=', org()).execute();
    const events = await h.db.selectFrom('referral_events').selectAll().where('organization_id', '=', org()).orderBy('referral_id').orderBy('occurred_at').orderBy('id').execute();
    const byReferral = new Map<string, typeof events>();
    for (const e of events) byReferral.set(e.referral_id, [...(byReferral.get(e.referral_id) ?? []), e]);
    const { referral_follow_up_days: followUpDays } = await h.db.selectFrom('organizations').select('referral_follow_up_days').where('id', '=', org()).executeTakeFirstOrThrow();
    for (const r of referrals) {
      const list = byReferral.get(r.id)!;
      expect(list[0]!.kind).toBe('created');
      const moves = list.filter((e) => e.to_status !== null);
      // Each move is one the lifecycle allows, from where the previous one left it.
      for (let i = 1; i < moves.length; i++) {
        expect(moves[i]!.from_status).toBe(moves[i - 1]!.to_status);
        expect(REFERRAL_TRANSITIONS[moves[i]!.from_status as ReferralStatus]).toContain(moves[i]!.to_status);
      }
      expect(r.status).toBe(moves.at(-1)!.to_status);
      expect(iso(r.status_changed_at)).toBe(iso(moves.at(-1)!.occurred_at));
      expect(r.status_changed_by).toBe(moves.at(-1)!.actor_user_id);
      expect(r.participant_id).toBe(list[0]!.participant_id);
      expect(list.every((e) => Date.parse(iso(e.occurred_at)!) <= Date.parse(NOW))).toBe(true);
      // Requested ones have their follow-up date and to-do; the to-do is closed once there is an outcome.
      if (r.status === 'draft') {
        expect([r.requested_at, r.follow_up_on, r.follow_up_todo_id]).toEqual([null, null, null]);
      } else {
        expect(r.follow_up_on).toBe(addDays(localDate(new Date(iso(r.requested_at)!), TZ), Number(followUpDays)));
        expect(r.follow_up_todo_id).not.toBeNull();
      }
      // Linkage is recorded with an attended appointment booked for the referral, on its date.
      if (r.linked_on) {
        expect(r.status).toBe('completed');
        expect(list.some((e) => e.kind === 'linked')).toBe(true);
        const a = await h.db.selectFrom('appointments').select(['status', 'starts_at', 'referral_id']).where('id', '=', r.appointment_id!).executeTakeFirstOrThrow();
        expect(a.status).toBe('attended');
        expect(a.referral_id).toBe(r.id);
        expect(localDate(new Date(iso(a.starts_at)!), TZ)).toBe(r.linked_on);
        expect([r.linkage_kind, r.linkage_source, r.linkage_recorded_at, r.linkage_recorded_by].every((v) => v !== null)).toBe(true);
      }
    }
    const todos = await h.db.selectFrom('todos').select(['id', 'status', 'source_id', 'kind']).where('kind', '=', 'referral').execute();
    const todoOf = new Map(todos.map((x) => [x.id, x]));
    for (const r of referrals.filter((x) => x.follow_up_todo_id)) {
      const todo = todoOf.get(r.follow_up_todo_id!)!;
      expect(todo.source_id).toBe(r.id);
      expect(todo.status).toBe(r.status === 'completed' ? 'done' : ['rejected', 'cancelled', 'failed'].includes(r.status) ? 'cancelled' : 'open');
    }
    // Every status and both modes occur.
    expect(new Set(referrals.map((r) => r.status))).toEqual(new Set(['draft', 'requested', 'accepted', 'in_progress', 'rejected', 'completed', 'cancelled', 'failed']));
    expect(new Set(referrals.map((r) => r.mode))).toEqual(new Set(['logged', 'sent']));
  });

  it('links about 65% of referrals to care within 30 days', async () => {
    const referrals = await h.db.selectFrom('referrals').select(['requested_at', 'linked_on']).where('organization_id', '=', org()).where('requested_at', 'is not', null).execute();
    const old = referrals.filter((r) => Date.parse(iso(r.requested_at)!) <= Date.parse(NOW) - 30 * DAY);
    expect(old.length).toBeGreaterThan(300);
    const linked = old.filter((r) => r.linked_on !== null && r.linked_on <= addDays(localDate(new Date(iso(r.requested_at)!), TZ), 30));
    const rate = linked.length / old.length;
    expect(rate).toBeGreaterThan(0.55);
    expect(rate).toBeLessThan(0.75);
  });

  it('sends a referral only under a consent the gate accepts, with a disclosure of that participant holding the frozen copy and the gate’s notice', async () => {
    const sent = await h.db.selectFrom('referrals').selectAll().where('organization_id', '=', org()).where('mode', '=', 'sent').execute();
    expect(sent.length).toBeGreaterThan(30);
    const logged = await h.db.selectFrom('referrals').select(['disclosure_id', 'consent_id', 'sent_at']).where('organization_id', '=', org()).where('mode', '=', 'logged').execute();
    expect(logged.every((r) => r.disclosure_id === null && r.consent_id === null && r.sent_at === null)).toBe(true);
    for (const r of sent) {
      const d = await h.db.selectFrom('disclosures').selectAll().where('id', '=', r.disclosure_id!).executeTakeFirstOrThrow();
      expect(d.participant_id).toBe(r.participant_id);
      expect(d.consent_id).toBe(r.consent_id);
      expect([d.legal_basis, d.purpose, iso(d.disclosed_at)]).toEqual(['consent', 'treatment', iso(r.sent_at)]);
      expect(r.receiver_type).toBe('treating_provider');
      const recipient = JSON.parse(d.recipient) as { refId: string; type: string };
      expect(recipient).toMatchObject({ kind: 'organization', type: 'treating_provider', refId: r.directory_organization_id, name: r.receiver_name });
      const payload = JSON.parse(d.payload) as { referral: { id: string; reason: string; urgency: string }; categories: string[] };
      expect(payload.referral).toMatchObject({ id: r.id, reason: r.reason, urgency: r.urgency, service: r.service_name });
      expect(payload.categories).toEqual(JSON.parse(d.categories));
      // The gate would have let it through under that consent, and the notice is the one it writes.
      const consents = await listConsents(h.db, org(), r.participant_id, ['disclosure_tpo', 'disclosure_specific']);
      const verdict = evaluate(consents, [], { recipient: { kind: 'organization', name: r.receiver_name, type: 'treating_provider', refId: r.directory_organization_id! }, purpose: 'treatment', categories: JSON.parse(d.categories) }, localDate(new Date(iso(r.sent_at)!), TZ));
      expect(verdict.ok && verdict.consent.id).toBe(r.consent_id);
      expect(d.notice).toBe(consentNotice(consents.find((c) => c.id === r.consent_id)!));
    }
  });

  it('serves the generated referrals and MOUD records through the API: the partner’s inbox and referral, the coach’s view', async () => {
    // The partner with the most referrals sees only referrals sent to its organization.
    const partner = clientFor(t);
    await signIn(partner, { email: result.partnerEmails[0]!, password: PASSWORD });
    const res = await partner.get('/api/v1/partner/referrals?view=all&limit=100');
    expect(res.statusCode, res.body).toBe(200);
    const inbox = res.json<z.infer<typeof PartnerInbox>>();
    const link = await h.db.selectFrom('partner_links as l').innerJoin('users as u', 'u.id', 'l.user_id').select('l.directory_organization_id').where('u.email', '=', result.partnerEmails[0]!).executeTakeFirstOrThrow();
    const expected = await h.db.selectFrom('referrals').select('id').where('directory_organization_id', '=', link.directory_organization_id).where('mode', '=', 'sent').orderBy('id', 'desc').limit(100).execute();
    expect(inbox.referrals.map((r) => r.id)).toEqual(expected.map((r) => r.id));
    // Newest first by id is newest first by when it was sent.
    const sentAts = inbox.referrals.map((r) => Date.parse(r.sentAt));
    expect([...sentAts].sort((a, b) => b - a)).toEqual(sentAts);
    expect(inbox.referrals.some((r) => r.personLabel !== null)).toBe(true);
    const one = await partner.get(`/api/v1/partner/referrals/${inbox.referrals[0]!.id}`);
    expect(one.statusCode, one.body).toBe(200);
    expect(one.json<z.infer<typeof PartnerReferral>>().shared.notice).toMatch(/42 CFR part 2/);

    // A coach reads a linked referral and a participant's MOUD section.
    const linked = await h.db
      .selectFrom('referrals as r')
      .innerJoin('users as u', 'u.id', 'r.coach_user_id')
      .innerJoin('episodes as e', 'e.participant_id', 'r.participant_id')
      .select(['r.id', 'r.participant_id', 'u.email', 'r.linked_on'])
      .where('r.organization_id', '=', org())
      .where('e.status', '=', 'active')
      .where('r.linked_on', 'is not', null)
      .orderBy('r.id')
      .executeTakeFirstOrThrow();
    const coach = clientFor(t);
    await signIn(coach, { email: linked.email, password: PASSWORD });
    const r = await coach.get(`/api/v1/referrals/${linked.id}`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json<z.infer<typeof Referral>>()).toMatchObject({ status: 'completed', linkage: { on: linked.linked_on } });
    const withMoud = await h.db
      .selectFrom('moud_courses as c')
      .innerJoin('episodes as e', 'e.participant_id', 'c.participant_id')
      .innerJoin('users as u', 'u.id', 'e.assigned_coach_user_id')
      .select(['c.participant_id', 'c.next_refill_due'])
      .where('u.email', '=', linked.email)
      .where('e.status', '=', 'active')
      .where('c.status', '=', 'active')
      .where('c.medication', '=', 'buprenorphine')
      .executeTakeFirst();
    if (withMoud) {
      const m = await coach.get(`/api/v1/participants/${withMoud.participant_id}/moud`);
      expect(m.statusCode, m.body).toBe(200);
      expect(m.json<z.infer<typeof MoudSummary>>().nextRefillDue).toBe(day(withMoud.next_refill_due));
    }
  });

  // ---- what the measures show (issue 7's dashboards): realistic figures, computed as the app computes them

  it('shows the figures the field reports when the measures are computed over the last year', async () => {
    const period = { from: addDays(TODAY, -364), to: TODAY };
    const params = resolveAllParameters();
    const loaded = await loadMeasureFacts(h.db, org(), { period, history: historyNeeds(params) });
    const m = computeMeasures(loaded.people, period, params);
    const rate = (r: { rate: number | null }) => r.rate!;
    // Linkage to treatment around 65% within 30 days of the index event; fewer within 7.
    const [linked7, linked30] = m.linkage.windows;
    expect(rate(linked30!)).toBeGreaterThan(0.55);
    expect(rate(linked30!)).toBeLessThan(0.75);
    expect(rate(linked7!)).toBeLessThan(rate(linked30!));
    expect(rate(linked7!)).toBeGreaterThan(0.15);
    // Retention decays: about a quarter of people met only in the ED are in contact at 30 days,
    // most enrolled people are.
    const retention = m.retention.rates.map(rate);
    expect(retention[0]!).toBeGreaterThan(retention[2]!);
    expect(retention[2]!).toBeGreaterThan(retention[3]!);
    const edIntake = new Set((await h.db.selectFrom('participants').select('id').where('organization_id', '=', org()).where('intake_setting', '=', 'emergency_department').execute()).map((r) => r.id));
    const at30 = (ed: boolean) => rate(computeRetention(loaded.people.filter((p) => edIntake.has(p.participantId) === ed), period, params.retention).rates[0]!);
    expect(at30(true)).toBeGreaterThan(0.15);
    expect(at30(true)).toBeLessThan(0.38);
    expect(at30(false)).toBeGreaterThan(0.75);
    // ED visits: response times of minutes to an hour or two; some people back within 30 and 90 days;
    // some admitted (left out of the follow-up measure).
    expect(m.ed_response_time.median!).toBeGreaterThan(15);
    expect(m.ed_response_time.median!).toBeLessThan(60);
    expect(Math.max(...m.ed_response_time.rows.map((r) => r.value))).toBeLessThanOrEqual(180);
    expect(m.ed_response_time.invalidIds).toEqual([]);
    const [revisit30, revisit90] = m.ed_revisits.windows.map(rate);
    expect(revisit30!).toBeGreaterThan(0.03);
    expect(revisit30!).toBeLessThan(revisit90!);
    expect(revisit90!).toBeLessThan(0.35);
    expect(m.ed_follow_up.rows.filter((r) => r.excludedBy === 'admission').length).toBeGreaterThan(5);
    const followUp30 = rate(m.ed_follow_up.windows[1]!);
    expect(followUp30).toBeGreaterThan(0.4);
    expect(followUp30).toBeLessThan(0.9);
    // Returns to use and overdoses, a few fatal.
    const uo = m.use_and_overdose;
    const events = (k: keyof typeof uo.rates) => uo.rows.filter((r) => r.kind === k).length;
    expect(events('return_to_use')).toBeGreaterThan(50);
    expect(events('overdose_non_fatal')).toBeGreaterThan(20);
    expect(events('overdose_fatal')).toBeGreaterThan(0);
    expect(events('overdose_fatal')).toBeLessThan(events('overdose_non_fatal') / 5);
    // BARC-10: a baseline around 35–45, later ones higher for most people who stay engaged.
    const rc = m.recovery_capital;
    expect(rc.participants).toBeGreaterThan(40);
    const baseline = rc.rows.reduce((sum, r) => sum + r.baselineTotal, 0) / rc.rows.length;
    expect(baseline).toBeGreaterThan(35);
    expect(baseline).toBeLessThan(45);
    expect(rc.meanChange!).toBeGreaterThan(2);
    expect(rc.improvedIds.length).toBeGreaterThan(rc.declinedIds.length * 2);
    // Outreach reaches people about half the time; check-ins and attempts both occur.
    const outreach = rate(m.outreach_success.rate);
    expect(outreach).toBeGreaterThan(0.3);
    expect(outreach).toBeLessThan(0.7);
  });

  it('records ED visits, check-ins and BARC-10 responses the way the app writes them', async () => {
    // Each ED visit with a peer: the life event, times in order, the bedside encounter from arrival to discharge.
    const visits = await h.db
      .selectFrom('ed_visits as v')
      .innerJoin('life_events as le', 'le.id', 'v.life_event_id')
      .innerJoin('encounters as e', 'e.id', 'v.encounter_id')
      .select(['v.peer_requested_at', 'v.peer_arrived_at', 'v.ed_arrived_at', 'v.discharged_at', 'v.status', 'le.kind', 'le.occurred_on', 'e.type', 'e.started_at', 'e.ended_at', 'e.life_event_id', 'v.life_event_id as visitEvent', 'v.participant_id', 'e.participant_id as encounterParticipant'])
      .where('v.organization_id', '=', org())
      .execute();
    expect(visits.length).toBe(result.counts.edVisits);
    expect(visits.length).toBeGreaterThan(200);
    for (const v of visits) {
      expect([v.kind, v.type, v.status, v.life_event_id, v.encounterParticipant]).toEqual(['ed_visit', 'ed_bedside', 'completed', v.visitEvent, v.participant_id]);
      const [edArrived, requested, peerArrived, discharged] = [v.ed_arrived_at, v.peer_requested_at, v.peer_arrived_at, v.discharged_at].map((x) => Date.parse(iso(x)!));
      expect(edArrived! <= requested! && requested! < peerArrived! && peerArrived! < discharged!).toBe(true);
      expect(discharged!).toBeLessThanOrEqual(Date.parse(NOW));
      expect([iso(v.started_at), iso(v.ended_at)]).toEqual([iso(v.peer_arrived_at), iso(v.discharged_at)]);
      expect(localDate(new Date(iso(v.ed_arrived_at)!), TZ)).toBe(v.occurred_on);
    }
    // Deaths: an overdose, then the episode discharged `deceased`, with no contact after it.
    const deceased = await h.db.selectFrom('episodes').select(['participant_id', 'discharge_date']).where('organization_id', '=', org()).where('discharge_reason', '=', 'deceased').execute();
    expect(deceased.length).toBe(result.counts.fatalOverdoses);
    // Check-ins hang off reached check-in encounters of the same person and day.
    const checkIns = await h.db
      .selectFrom('check_ins as c')
      .innerJoin('encounters as e', 'e.id', 'c.encounter_id')
      .select(['c.checked_in_on', 'c.mood', 'c.cravings', 'c.alerts', 'e.type', 'e.reached', 'e.started_at', 'c.participant_id', 'e.participant_id as ep'])
      .where('c.organization_id', '=', org())
      .execute();
    expect(checkIns.length).toBe(result.counts.checkIns);
    expect(checkIns.length).toBeGreaterThan(300);
    for (const c of checkIns) {
      expect([c.type, Number(c.reached), c.ep]).toEqual(['check_in', 1, c.participant_id]);
      expect(localDate(new Date(iso(c.started_at)!), TZ)).toBe(day(c.checked_in_on));
      expect(c.mood >= 1 && c.mood <= 5 && c.cravings >= 0 && c.cravings <= 10).toBe(true);
      expect((JSON.parse(c.alerts) as string[]).includes('high_cravings')).toBe(c.cravings >= 7);
    }
    // BARC-10: the shipped definition, ten answers of 1–6 that add up to the score.
    const responses = await h.db.selectFrom('questionnaire_responses').select(['definition_id', 'questionnaire_key', 'answers', 'score', 'flags']).where('organization_id', '=', org()).execute();
    expect(responses.length).toBe(result.counts.barc10Responses);
    for (const r of responses) {
      expect([r.definition_id, r.questionnaire_key]).toEqual([BARC10_V1.id, 'barc10']);
      const answers = Object.values(JSON.parse(r.answers) as Record<string, number>);
      expect(answers).toHaveLength(10);
      expect(answers.every((a) => a >= 1 && a <= 6)).toBe(true);
      expect(answers.reduce((a, b) => a + b, 0)).toBe(r.score);
      expect(JSON.parse(r.flags).length > 0).toBe(r.score! >= 47);
    }
  });

  it('makes the same rows for the same seed, and different ones for another seed', async () => {
    const generateInto = async (seed: number) => {
      const db = await createTestDatabase();
      const r = await generateProgram(db.db, t.clock, { participants: 120, seed, password: PASSWORD });
      return { db, r };
    };
    const [a, b, c] = [await generateInto(7), await generateInto(7), await generateInto(8)];
    try {
      const [fa, fb, fc] = await Promise.all([fingerprint(a.db.db, a.r.organizationId), fingerprint(b.db.db, b.r.organizationId), fingerprint(c.db.db, c.r.organizationId)]);
      expect(a.r.counts).toEqual(b.r.counts);
      expect(fa.referrals.length).toBeGreaterThan(30);
      for (const k of Object.keys(fa) as (keyof typeof fa)[]) expect(fb[k], k).toEqual(fa[k]);
      expect(fc.referrals).not.toEqual(fa.referrals);
      expect(fc.participants).not.toEqual(fa.participants);
    } finally {
      await Promise.all([a.db.drop(), b.db.drop(), c.db.drop()]);
    }
  }, 300_000);
});

/**
 * The generated rows of one database with every id the generator does not make from the seed
 * (the organization, program, sites, teams and the admin and manager, made by the repositories;
 * the directory, made by `generateDirectory`) replaced by a stable name.
 */
async function fingerprint(db: Db, organizationId: string) {
  const names = new Map<string, string>();
  names.set(organizationId, 'organization');
  for (const r of await db.selectFrom('programs').select(['id', 'name']).execute()) names.set(r.id, `program:${r.name}`);
  for (const r of await db.selectFrom('sites').select(['id', 'name']).execute()) names.set(r.id, `site:${r.name}`);
  for (const r of await db.selectFrom('teams').select(['id', 'name']).execute()) names.set(r.id, `team:${r.name}`);
  for (const r of await db.selectFrom('users').select(['id', 'email']).execute()) names.set(r.id, `user:${r.email}`);
  for (const table of ['directory_organizations', 'directory_services', 'directory_locations'] as const) {
    for (const r of await db.selectFrom(table).select(['id', 'external_id']).execute()) names.set(r.id, `${table}:${r.external_id}`);
  }
  const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
  const norm = (v: unknown): unknown => (typeof v === 'string' ? v.replace(UUID, (id) => names.get(id) ?? id) : v instanceof Date ? v.toISOString() : typeof v === 'number' || typeof v === 'bigint' ? Number(v) : v);
  const rows = async (table: 'participants' | 'episodes' | 'consents' | 'encounters' | 'ed_visits' | 'life_events' | 'questionnaire_responses' | 'check_ins' | 'appointments' | 'moud_courses' | 'moud_fills' | 'moud_otp_enrollments' | 'referrals' | 'referral_events' | 'disclosures' | 'todos' | 'partner_links') => {
    const all = (await db.selectFrom(table).selectAll().where('organization_id', '=', organizationId).execute()) as Record<string, unknown>[];
    return all.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, norm(v)]))).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
  };
  return {
    participants: await rows('participants'),
    episodes: await rows('episodes'),
    consents: await rows('consents'),
    encounters: await rows('encounters'),
    edVisits: await rows('ed_visits'),
    lifeEvents: await rows('life_events'),
    responses: await rows('questionnaire_responses'),
    checkIns: await rows('check_ins'),
    appointments: await rows('appointments'),
    moudCourses: await rows('moud_courses'),
    moudFills: await rows('moud_fills'),
    otpEnrollments: await rows('moud_otp_enrollments'),
    referrals: await rows('referrals'),
    referralEvents: await rows('referral_events'),
    disclosures: await rows('disclosures'),
    todos: await rows('todos'),
    partnerLinks: await rows('partner_links'),
  };
}
