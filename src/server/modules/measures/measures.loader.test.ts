/**
 * The loader on real tables: batches with a constant number of queries, the same facts whatever
 * the batch size, local dates in the organization's zone, what each row means (treatment
 * appointments, bedside encounters, fatal overdoses), the look-back before the period, and who
 * is in (merged records out, filters, a supervisor's teams).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KyselyPlugin } from 'kysely';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { buildDeck, markMerged, type Deck } from '../../../../test/helpers/measures.js';
import { lifeEventRow } from '../../../../test/helpers/care.js';
import { encounterRow } from '../../../../test/helpers/encounters.js';
import { buildEpisode, buildParticipant } from '../../../../test/helpers/factories.js';
import { insertEdVisit } from '../ed/ed.repository.js';
import { loadMeasureFacts, QUERIES_PER_BATCH, treatmentOf, type HistoryNeeds } from './measures.loader.js';
import { DEFAULTS } from './measures.definitions.js';

const HISTORY: HistoryNeeds = { moudPriorFreeDays: DEFAULTS.moud_continuity.priorFreeDays, retentionMaxDays: 180, admissionExclusionDays: 30 };
const PERIOD = { from: '2026-01-01', to: '2026-06-30' };
const NOW = '2026-11-27T15:00:00.000Z';

/** Counts the queries a database handle runs. */
function counting(): { plugin: KyselyPlugin; count: () => number } {
  let n = 0;
  return {
    plugin: {
      transformQuery: (args) => {
        n++;
        return args.node;
      },
      transformResult: (args) => Promise.resolve(args.result),
    },
    count: () => n,
  };
}

describe('measures loader', () => {
  let t: TestApp;
  let deck: Deck;
  beforeAll(async () => {
    t = await createTestApp();
    deck = await buildDeck(t);
  });
  afterAll(() => t.close());

  const load = (o: Partial<Parameters<typeof loadMeasureFacts>[2]> = {}) => loadMeasureFacts(t.db, deck.organizationId, { period: PERIOD, history: HISTORY, ...o });
  const factsOf = async (participantId: string, o: Partial<Parameters<typeof loadMeasureFacts>[2]> = {}) => (await load(o)).people.find((p) => p.participantId === participantId)!;

  it('reads in batches with the same number of queries per batch, and the same facts whatever the batch size', async () => {
    const small = counting();
    const large = counting();
    const a = await loadMeasureFacts(t.db.withPlugin(small.plugin), deck.organizationId, { period: PERIOD, history: HISTORY, batchSize: 3 });
    const b = await loadMeasureFacts(t.db.withPlugin(large.plugin), deck.organizationId, { period: PERIOD, history: HISTORY });
    expect(a.people.length).toBe(10);
    expect(a.batches).toBe(4);
    expect(small.count()).toBe(2 + 4 * QUERIES_PER_BATCH);
    expect(large.count()).toBe(2 + 1 * QUERIES_PER_BATCH);
    expect(a.people).toEqual(b.people);
  });

  it("gives dates local to the organization: an evening in Chicago is the day before in UTC", async () => {
    const p1 = await factsOf(deck.p.p1);
    expect(p1.appointments).toEqual([{ id: deck.ids.p1_induction, on: '2026-02-08', treatment: 'moud_induction', attended: true }]);
    const p6 = await factsOf(deck.p.p6);
    expect(p6.contacts).toEqual([{ id: deck.ids.p6_call, on: '2026-04-08', type: 'follow_up', reached: true, minutes: null }]);
    expect(p6.edVisits.map((v) => v.on)).toEqual(['2026-04-01', '2026-04-20', '2026-05-05']);
  });

  it('maps appointment kinds and directory service types onto treatment', () => {
    expect(treatmentOf('moud_induction', [])).toBe('moud_induction');
    expect(treatmentOf('prescriber_follow_up', [])).toBe('prescriber_visit');
    expect(treatmentOf('counseling', [])).toBe('counseling');
    expect(treatmentOf('intake', ['otp_methadone', 'buprenorphine'])).toBe('otp_intake');
    expect(treatmentOf('intake', ['withdrawal_management', 'residential'])).toBe('residential_intake');
    expect(treatmentOf('intake', ['intensive_outpatient'])).toBe('intensive_outpatient_intake');
    expect(treatmentOf('intake', ['same_day_induction'])).toBe('moud_induction');
    expect(treatmentOf('intake', ['naltrexone'])).toBe('prescriber_visit');
    expect(treatmentOf('intake', ['outpatient_counseling'])).toBe('outpatient_intake');
    expect(treatmentOf('intake', ['withdrawal_management'])).toBeNull();
    expect(treatmentOf('intake', [])).toBeNull();
    expect(treatmentOf('court', ['otp_methadone'])).toBeNull();
  });

  it('takes the bedside encounter from the ED visit record, or the same-day ed_bedside encounter; admissions from life events', async () => {
    const p2 = await factsOf(deck.p.p2);
    expect(p2.edVisits).toEqual([{ id: deck.ids.p2_ed, on: '2026-02-01', bedsideEncounterId: deck.ids.p2_ed_bedside, peerRequestedAt: '2026-02-01T20:00:00.000Z', peerArrivedAt: '2026-02-01T20:25:00.000Z' }]);
    const p3 = await factsOf(deck.p.p3);
    expect(p3.admissions).toEqual([{ id: deck.ids.p3_admission, on: '2026-03-10', setting: 'inpatient' }]);
    expect(p3.appointments.map((a) => a.treatment)).toEqual([null]); // the court date
    expect(p3.referrals).toMatchObject([{ referredOn: '2026-03-02', status: 'requested', firstAttendedOn: null }]);

    // No ed_visits row: the ed_bedside encounter that evening (local date) is the bedside one.
    const org = deck.organizationId;
    const by = deck.coach.id;
    const id = await buildParticipant(t.db, { organizationId: org, createdBy: by });
    await buildEpisode(t.db, { organizationId: org, participantId: id, createdBy: by, programId: deck.programId, siteId: deck.siteA, assignedCoachUserId: by, startDate: '2026-01-02' });
    const visit = await lifeEventRow(t.db, { organizationId: org, participantId: id, createdBy: by, kind: 'ed_visit', occurredOn: '2026-03-03', now: NOW });
    const bedside = await encounterRow(t.db, { organizationId: org, participantId: id, authorUserId: by, type: 'ed_bedside', startedAt: '2026-03-04T04:00:00.000Z', endedAt: null, durationMinutes: null });
    await encounterRow(t.db, { organizationId: org, participantId: id, authorUserId: by, type: 'follow_up', startedAt: '2026-03-05T16:00:00.000Z', endedAt: null, durationMinutes: null });
    const f = await factsOf(id);
    expect(f.edVisits).toEqual([{ id: visit, on: '2026-03-03', bedsideEncounterId: bedside, peerRequestedAt: null, peerArrivedAt: null }]);
    await insertEdVisit(t.db, { organizationId: org, participantId: id, lifeEventId: visit, siteId: deck.siteA, createdBy: by, now: NOW });
    expect((await factsOf(id)).edVisits[0]!.bedsideEncounterId).toBe(bedside);
  });

  it("counts an overdose as fatal only when a 'deceased' discharge follows it within 30 days", async () => {
    const org = deck.organizationId;
    const by = deck.coach.id;
    const id = await buildParticipant(t.db, { organizationId: org, createdBy: by });
    const ep = await buildEpisode(t.db, { organizationId: org, participantId: id, createdBy: by, programId: deck.programId, siteId: deck.siteA, assignedCoachUserId: by, startDate: '2026-01-02' });
    const first = await lifeEventRow(t.db, { organizationId: org, participantId: id, createdBy: by, kind: 'overdose', occurredOn: '2026-02-01', now: NOW });
    const last = await lifeEventRow(t.db, { organizationId: org, participantId: id, createdBy: by, kind: 'overdose', occurredOn: '2026-05-01', now: NOW });
    expect((await factsOf(id)).useEvents.map((u) => u.fatal)).toEqual([false, false]);
    await t.db.updateTable('episodes').set({ status: 'discharged', discharge_date: '2026-05-03', discharge_reason: 'deceased' }).where('id', '=', ep.id).execute();
    const f = await factsOf(id);
    expect(f.useEvents.map((u) => [u.id, u.fatal])).toEqual([
      [first, false],
      [last, true],
    ]);
  });

  it('reads MOUD fills from before the period as far as the rules look back, and no further', async () => {
    const p8 = await factsOf(deck.p.p8);
    expect(p8.moudFills.map((f) => f.filledOn).sort()).toEqual(['2025-12-15', '2026-01-20']);
    expect(p8.moudFills[0]).toMatchObject({ medication: 'buprenorphine', formulation: 'sublingual_film', daysSupply: 30 });
    const late = await factsOf(deck.p.p8, { period: { from: '2027-01-20', to: '2027-06-30' } });
    expect(late.moudFills.map((f) => f.filledOn)).toEqual(['2026-01-20']); // 2025-12-15 is more than 31 + 365 days before 2027-01-20
    const p4 = await factsOf(deck.p.p4);
    expect(p4.otpEnrollments).toEqual([{ id: deck.ids.p4_otp, startedOn: '2026-04-05', endedOn: null }]);
  });

  it('leaves out merged records; filters by program, site, coach and population; a supervisor sees their teams', async () => {
    const all = await load();
    expect(all.people.map((p) => p.participantId)).toContain(deck.p.p6);
    const siteB = await load({ filters: { siteId: deck.siteB } });
    expect(siteB.people.map((p) => p.participantId)).toEqual([deck.p.p6]); // the other person there enrolled after the period
    const coach = await load({ filters: { coachUserId: deck.otherCoach.id } });
    expect(coach.people.map((p) => p.participantId)).toEqual([deck.p.p6]);
    const veterans = await load({ filters: { population: 'veteran' } });
    expect(veterans.people.map((p) => p.participantId)).toEqual([deck.p.p4]);
    const team = await load({ scope: { supervisorUserId: deck.supervisor.id } });
    expect(team.people.map((p) => p.participantId)).not.toContain(deck.p.p6);
    expect(team.people.map((p) => p.participantId)).toContain(deck.p.p1);
    const other = await load({ filters: { programId: '01936b2e-0000-7000-8000-000000000000' } });
    expect(other.people).toEqual([]);

    await markMerged(t.db, deck.organizationId, deck.p.p5, deck.p.p1, deck.manager.id);
    expect((await load()).people.map((p) => p.participantId)).not.toContain(deck.p.p5);
  });
});
