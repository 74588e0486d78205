/**
 * The measure deck (issue 7, "Correctness"): hand-built participants on fixed dates for every rule
 * boundary — same-day follow-up, day 7 vs day 8, day 30 vs day 31, a second ED visit inside and
 * outside 31 days, an admission that excludes the visit, MOUD gaps of exactly 7 and 8 days,
 * overlapping fills of the same and of different medications, default supplies, leap years
 * (2028-02-29), month ends and local dates. The period is the leap year 2028 unless said.
 * Pure: the facts are what a loader will produce; the database slice reruns this deck on both.
 */
import { describe, expect, it } from 'vitest';
import type { EncounterType } from '../../../contracts/encounters.js';
import type { MoudFormulation, MoudMedication } from '../../../contracts/moud-rules.js';
import { localDate } from '../../platform/time.js';
import { addDays } from './measures.dates.js';
import {
  computeAllMeasures,
  computeContactsPerMonth,
  computeEdFollowUp,
  computeEdResponseTime,
  computeEdRevisits,
  computeFederalFollowUp,
  computeLinkage,
  computeMoudContinuity,
  computeOutreachSuccess,
  computeRecoveryCapital,
  computeReferralsByStatus,
  computeReferralToVisit,
  computeRetention,
  computeUseAndOverdose,
} from './measures.compute.js';
import type { AppointmentFact, ContactFact, EdVisitFact, EpisodeFact, MoudFillFact, ParticipantFacts, TreatmentVisitKind } from './measures.facts.js';
import { DAYS_PER_MONTH } from './measures.dates.js';

const Y2028 = { from: '2028-01-01', to: '2028-12-31' };

const person = (participantId: string, facts: Partial<Omit<ParticipantFacts, 'participantId'>> = {}): ParticipantFacts => ({
  participantId,
  episodes: [],
  edVisits: [],
  admissions: [],
  contacts: [],
  appointments: [],
  moudFills: [],
  otpEnrollments: [],
  useEvents: [],
  barc10: [],
  referrals: [],
  federalInterviews: [],
  ...facts,
});
const ed = (id: string, on: string, bedsideEncounterId: string | null = null): EdVisitFact => ({ id, on, bedsideEncounterId, peerRequestedAt: null, peerArrivedAt: null });
const contact = (id: string, on: string, reached = true, type: EncounterType = 'follow_up'): ContactFact => ({ id, on, type, reached });
const visit = (id: string, on: string, treatment: TreatmentVisitKind | null = 'outpatient_intake', attended = true): AppointmentFact => ({ id, on, treatment, attended });
const fill = (id: string, filledOn: string, daysSupply: number | null, medication: MoudMedication = 'buprenorphine', formulation: MoudFormulation = 'sublingual_film'): MoudFillFact => ({ id, filledOn, daysSupply, medication, formulation });
const episode = (id: string, startOn: string, dischargedOn: string | null = null, dischargeReason: EpisodeFact['dischargeReason'] = null): EpisodeFact => ({ id, startOn, dischargedOn, dischargeReason });
const sorted = (ids: readonly string[]) => [...ids].sort();

describe('1. linkage to treatment (7 and 30 days, day 0 counts)', () => {
  const deck = [
    person('p1', { edVisits: [ed('v1', '2028-02-22')], moudFills: [fill('f1', '2028-02-22', 7)] }), // day 0
    person('p2', { edVisits: [ed('v2', '2028-02-22')], appointments: [visit('a2', '2028-02-29')] }), // day 7 (leap day)
    person('p3', { edVisits: [ed('v3', '2028-02-22')], appointments: [visit('a3', '2028-03-01')] }), // day 8
    person('p4', { edVisits: [ed('v4', '2028-03-01')], otpEnrollments: [{ id: 'o4', startedOn: '2028-03-31', endedOn: null }] }), // day 30
    // day 31 fill; an attended court date, a missed treatment visit and a referral are not linkage
    person('p5', {
      edVisits: [ed('v5', '2028-03-01')],
      moudFills: [fill('f5', '2028-04-01', 7)],
      appointments: [visit('a5court', '2028-03-03', null), visit('a5missed', '2028-03-04', 'moud_induction', false)],
      referrals: [{ id: 'r5', referredOn: '2028-03-01', status: 'requested', firstAttendedOn: null }],
    }),
    person('p6', { episodes: [episode('e6', '2028-05-10')], appointments: [visit('a6', '2028-05-15', 'counseling')] }), // never an ED visit: enrollment is the index
    person('p7', { edVisits: [ed('v7', '2027-11-01')], episodes: [episode('e7', '2028-05-10')], appointments: [visit('a7', '2028-05-11')] }), // had one before: no index
    person('p8', { edVisits: [ed('v8', '2028-12-28')] }), // both windows open at the period end
    person('p9', { edVisits: [ed('v9a', '2028-04-01'), ed('v9b', '2028-04-20')], moudFills: [fill('f9', '2028-04-21', 7)] }), // first visit is the index
    person('p10', { edVisits: [ed('v10', '2028-12-20')], moudFills: [fill('f10', '2028-12-22', 7)] }), // 7-day window complete, 30-day not
  ];
  const result = computeLinkage(deck, Y2028);
  const [w7, w30] = result.windows;

  it('day 0 and day 7 count for the 7-day rate, day 8 does not; day 30 counts for the 30-day rate, day 31 does not', () => {
    expect(w7).toMatchObject({ days: 7, numerator: 4, denominator: 8 });
    expect(sorted(w7!.numeratorIds)).toEqual(['e6', 'v1', 'v10', 'v2']);
    expect(sorted(w7!.denominatorIds)).toEqual(['e6', 'v1', 'v10', 'v2', 'v3', 'v4', 'v5', 'v9a']);
    expect(w30).toMatchObject({ days: 30, numerator: 6, denominator: 7 });
    expect(sorted(w30!.numeratorIds)).toEqual(['e6', 'v1', 'v2', 'v3', 'v4', 'v9a']);
    expect(w30!.rate).toBeCloseTo(6 / 7, 12);
    expect(w30!.interval).not.toBeNull();
  });

  it('keeps the linking event and its day on each row', () => {
    const row = (id: string) => result.rows.find((r) => r.indexId === id)!;
    expect(row('v1').linkage).toEqual({ id: 'f1', kind: 'moud_fill', on: '2028-02-22', day: 0 });
    expect(row('v2').linkage).toMatchObject({ id: 'a2', kind: 'appointment', day: 7 });
    expect(row('v3').linkage).toMatchObject({ id: 'a3', day: 8 });
    expect(row('v4').linkage).toMatchObject({ id: 'o4', kind: 'otp_enrollment', day: 30 });
    expect(row('v5').linkage).toBeNull();
    expect(row('e6')).toMatchObject({ participantId: 'p6', indexKind: 'enrollment', indexOn: '2028-05-10' });
    expect(row('v9a').linkage).toMatchObject({ id: 'f9', day: 20 });
  });

  it('one index per participant; none for someone whose only ED visit was before the period', () => {
    expect(result.rows.map((r) => r.participantId)).not.toContain('p7');
    expect(result.rows.filter((r) => r.participantId === 'p9')).toHaveLength(1);
  });

  it('an index whose window ends after the period end is pending, not counted', () => {
    expect(w7!.pendingIds).toEqual(['v8']);
    expect(sorted(w30!.pendingIds)).toEqual(['v10', 'v8']);
  });

  it('another window can be asked for (day 0 only)', () => {
    expect(computeLinkage(deck, Y2028, { windows: [0] }).windows[0]).toMatchObject({ days: 0, numeratorIds: ['v1'] });
  });
});

describe('2. follow-up after an ED visit (7 and 30 days)', () => {
  const deck = [
    // the bedside encounter of the visit and an attempt that did not reach the person are not follow-up
    person('a1', { edVisits: [ed('a1v', '2028-03-01', 'a1b')], contacts: [contact('a1b', '2028-03-01', true, 'ed_bedside'), contact('a1x', '2028-03-02', false, 'outreach_attempt')] }),
    // same-day follow-up: a reached contact on day 0 that is not the bedside encounter
    person('a2', { edVisits: [ed('a2v', '2028-03-01', 'a2b')], contacts: [contact('a2b', '2028-03-01', true, 'ed_bedside'), contact('a2c', '2028-03-01')] }),
    person('a3', { edVisits: [ed('a3v', '2028-02-22')], contacts: [contact('a3c', '2028-02-29')] }), // day 7
    person('a4', { edVisits: [ed('a4v', '2028-02-22')], contacts: [contact('a4c', '2028-03-01')] }), // day 8
    person('a5', { edVisits: [ed('a5v', '2028-04-01')], appointments: [visit('a5a', '2028-05-01', 'prescriber_visit')] }), // day 30
    person('a6', { edVisits: [ed('a6v', '2028-04-01')], moudFills: [fill('a6f', '2028-05-02', 7)] }), // day 31
    // a second visit 30 days after a counted one is the same 31-day period; 31 days after, a new one
    person('a7', { edVisits: [ed('a7v1', '2028-06-01'), ed('a7v2', '2028-07-01'), ed('a7v3', '2028-07-02')], contacts: [contact('a7c', '2028-07-03')] }),
    // an admission the day after excludes the first visit, which then starts no 31-day period
    person('a8', { edVisits: [ed('a8v1', '2028-08-01'), ed('a8v2', '2028-08-10')], admissions: [{ id: 'a8adm', on: '2028-08-02', setting: 'inpatient' }] }),
    person('a9', { edVisits: [ed('a9v', '2028-09-01')], admissions: [{ id: 'a9adm', on: '2028-10-02', setting: 'residential' }] }), // admission day 31: stays
    person('a10', { edVisits: [ed('a10v', '2028-09-01')], admissions: [{ id: 'a10adm', on: '2028-10-01', setting: 'residential' }] }), // admission day 30: excluded
    person('a11', { edVisits: [ed('a11v', '2028-12-01')], contacts: [contact('a11c', '2028-12-31')] }), // the last visit with a complete window
    person('a12', { edVisits: [ed('a12v', '2028-12-02')], contacts: [contact('a12c', '2028-12-02')] }), // in the last 30 days: left out
  ];
  const result = computeEdFollowUp(deck, Y2028);
  const row = (id: string) => result.rows.find((r) => r.visitId === id)!;

  it('applies the exclusions in order and says why each visit is out', () => {
    expect(row('a7v2')).toMatchObject({ excludedBy: 'duplicate', excludedById: 'a7v1' });
    expect(row('a7v3').excludedBy).toBeNull();
    expect(row('a8v1')).toMatchObject({ excludedBy: 'admission', excludedById: 'a8adm' });
    expect(row('a8v2').excludedBy).toBeNull();
    expect(row('a9v').excludedBy).toBeNull();
    expect(row('a10v')).toMatchObject({ excludedBy: 'admission', excludedById: 'a10adm' });
    expect(row('a11v').excludedBy).toBeNull();
    expect(row('a12v')).toMatchObject({ excludedBy: 'incomplete_window', followUp: null });
  });

  it('7-day: same day and day 7 count, day 8 does not; 30-day: day 30 counts, day 31 does not', () => {
    const [w7, w30] = result.windows;
    const counted = ['a1v', 'a2v', 'a3v', 'a4v', 'a5v', 'a6v', 'a7v1', 'a7v3', 'a8v2', 'a9v', 'a11v'];
    expect(sorted(w7!.denominatorIds)).toEqual(sorted(counted));
    expect(sorted(w7!.numeratorIds)).toEqual(['a2v', 'a3v', 'a7v3']);
    expect(sorted(w30!.denominatorIds)).toEqual(sorted(counted));
    expect(sorted(w30!.numeratorIds)).toEqual(['a11v', 'a2v', 'a3v', 'a4v', 'a5v', 'a7v3']);
    expect(row('a2v').followUp).toEqual({ id: 'a2c', kind: 'contact', on: '2028-03-01', day: 0 });
    expect(row('a1v').followUp).toBeNull();
    expect(row('a6v').followUp).toBeNull();
    expect(row('a11v').followUp).toMatchObject({ id: 'a11c', day: 30 });
  });

  it('dates are local to the program: a contact on day 8 in Chicago is not a 7-day follow-up, though it is day 7 in UTC', () => {
    const zone = 'America/Chicago';
    const visitAt = new Date('2028-03-01T05:30:00Z'); // 23:30 on Feb 29 in Chicago
    const contactAt = new Date('2028-03-08T12:00:00Z'); // 06:00 on Mar 8 in Chicago
    const p = person('tz', { edVisits: [ed('tzv', localDate(visitAt, zone))], contacts: [contact('tzc', localDate(contactAt, zone))] });
    expect(p.edVisits[0]!.on).toBe('2028-02-29');
    const [w7, w30] = computeEdFollowUp([p], Y2028).windows;
    expect(w7!.numerator).toBe(0);
    expect(w30!.numerator).toBe(1);
    const utc = person('utc', { edVisits: [ed('uv', localDate(visitAt, 'UTC'))], contacts: [contact('uc', localDate(contactAt, 'UTC'))] });
    expect(computeEdFollowUp([utc], Y2028).windows[0]!.numerator).toBe(1);
  });
});

describe('3. MOUD continuity (180 days, no gap of 8+ days)', () => {
  const d = (start: string, n: number) => addDays(start, n);
  const injections = [0, 31, 62, 93, 124, 155].map((n, i) => fill(`m1f${i}`, d('2028-01-10', n), null, 'buprenorphine', 'extended_release_injection'));
  const deck = [
    person('m1', { moudFills: injections }), // default 31-day supplies, back to back
    person('m2', { moudFills: [fill('m2f', '2028-01-01', null, 'buprenorphine', 'implant')] }), // default 180 days; ends 2028-06-28 (leap year)
    person('m3', { moudFills: [fill('m3a', '2028-01-05', 90), fill('m3b', d('2028-01-05', 97), 90)] }), // gap of exactly 7 days
    person('m4', { moudFills: [fill('m4a', '2028-01-05', 90), fill('m4b', d('2028-01-05', 98), 90)] }), // gap of 8 days
    // same medication: the second fill starts when the first runs out (days 30–59), leaving a 7-day gap
    person('m5', { moudFills: [fill('m5a', '2028-02-01', 30), fill('m5b', d('2028-02-01', 20), 30), fill('m5c', d('2028-02-01', 67), 120)] }),
    // different medications overlap without adding up: covered to day 50, gap days 51–58
    person('m6', { moudFills: [fill('m6a', '2028-02-01', 30), fill('m6b', d('2028-02-01', 20), null, 'naltrexone', 'extended_release_injection'), fill('m6c', d('2028-02-01', 59), 130)] }),
    person('m7', { moudFills: [fill('m7a', '2027-12-01', 30), fill('m7b', '2028-01-31', 180)] }), // 31 days without: a new start
    person('m8', { moudFills: [fill('m8a', '2027-12-01', 30), fill('m8b', '2028-01-30', 180)] }), // 30 days without: not a start
    person('m9', { moudFills: [fill('m9a', '2028-10-01', 30)] }), // 180 days not over: in progress
    // methadone from OTP enrollment periods, a 7-day gap between them; the open one runs to the period end
    person('m10', { otpEnrollments: [{ id: 'm10a', startedOn: '2028-03-01', endedOn: d('2028-03-01', 99) }, { id: 'm10b', startedOn: d('2028-03-01', 107), endedOn: null }] }),
    person('m11', { moudFills: [fill('m11n', '2028-03-01', null, 'naltrexone', 'oral_tablet'), fill('m11m', '2028-03-01', 30, 'methadone', 'oral_liquid')] }), // cover nothing
    person('m12', { moudFills: [fill('m12a', '2028-07-05', 180), fill('m12b', '2029-01-10', 7)] }), // day 179 is the period end: evaluated
    person('m13', { moudFills: [fill('m13a', '2028-07-06', 180)] }), // day 179 after the period end: in progress
  ];
  const result = computeMoudContinuity(deck, Y2028);
  const row = (participantId: string) => result.rows.find((r) => r.participantId === participantId);

  it('default supplies: injections of 31 days back to back and an implant of 180 are continuous', () => {
    expect(row('m1')).toMatchObject({ startId: 'm1f0', startKind: 'moud_fill', status: 'continuous', longestGapDays: 0, coveredDays: 180 });
    expect(row('m2')).toMatchObject({ startOn: '2028-01-01', endsOn: '2028-06-28', status: 'continuous', coveredDays: 180 });
  });

  it('a gap of exactly 7 days passes; 8 days fails, and the gap is named', () => {
    expect(row('m3')).toMatchObject({ status: 'continuous', longestGapDays: 7, firstGap: null });
    expect(row('m4')).toMatchObject({ status: 'gap', longestGapDays: 8, firstGap: { from: d('2028-01-05', 90), through: d('2028-01-05', 97), days: 8 } });
  });

  it('overlapping fills of the same medication add up; of different medications they do not', () => {
    expect(row('m5')).toMatchObject({ status: 'continuous', longestGapDays: 7 });
    expect(row('m6')).toMatchObject({ status: 'gap', firstGap: { from: d('2028-02-01', 51), through: d('2028-02-01', 58), days: 8 } });
  });

  it('a start needs 31 days without medication before it', () => {
    expect(row('m7')).toMatchObject({ startId: 'm7b', startOn: '2028-01-31', status: 'continuous' });
    expect(row('m8')).toBeUndefined();
  });

  it('methadone coverage comes from OTP enrollment periods', () => {
    expect(row('m10')).toMatchObject({ startId: 'm10a', startKind: 'otp_enrollment', medication: 'methadone', status: 'continuous', longestGapDays: 7 });
  });

  it('starts whose 180 days end after the period end are in progress, apart from the rate', () => {
    expect(row('m9')).toMatchObject({ status: 'in_progress', firstGap: { from: '2028-10-31', through: '2028-12-31' } });
    expect(row('m12')).toMatchObject({ endsOn: '2028-12-31', status: 'continuous' });
    expect(row('m13')).toMatchObject({ endsOn: '2029-01-01', status: 'in_progress' });
    expect(sorted(result.inProgressIds)).toEqual(['m13a', 'm9a']);
  });

  it('the rate counts evaluated starts; fills that cover nothing are listed', () => {
    expect(sorted(result.rate.denominatorIds)).toEqual(['m10a', 'm12a', 'm1f0', 'm2f', 'm3a', 'm4a', 'm5a', 'm6a', 'm7b']);
    expect(sorted(result.rate.numeratorIds)).toEqual(['m10a', 'm12a', 'm1f0', 'm2f', 'm3a', 'm5a', 'm7b']);
    expect(sorted(result.unusableFillIds)).toEqual(['m11m', 'm11n']);
    expect(row('m11')).toBeUndefined();
  });
});

describe('4. retention in peer services', () => {
  it('a reached contact in days N−29 to N, for episodes whose day N is in the period', () => {
    const deck = [
      person('r1', { episodes: [episode('r1e', '2028-01-01')], contacts: [contact('r1a', '2028-01-02'), contact('r1b', '2028-03-01')] }), // days 1 and 60
      person('r2', { episodes: [episode('r2e', '2028-01-01')], contacts: [contact('r2a', '2028-01-01'), contact('r2b', '2028-02-01'), contact('r2x', '2028-01-20', false)] }), // days 0 and 31
      person('r3', { episodes: [episode('r3e', '2028-12-15')], contacts: [contact('r3a', '2028-12-16')] }), // no day N in the period
      person('r4', { episodes: [episode('r4e', '2027-06-01')] }), // every day N before the period
      person('r5', { episodes: [episode('r5e', '2027-10-01')], contacts: [contact('r5a', '2028-03-01')] }), // day 180 in 2028; contact on day 152
    ];
    const { rates, rows } = computeRetention(deck, Y2028);
    const at = (n: number) => rates.find((r) => r.days === n)!;
    expect(at(30)).toMatchObject({ numeratorIds: ['r1e'], denominatorIds: ['r1e', 'r2e'] });
    expect(at(60)).toMatchObject({ numerator: 2, denominator: 2 });
    expect(at(90)).toMatchObject({ numerator: 0, denominator: 2 });
    expect(at(180)).toMatchObject({ numeratorIds: ['r5e'], denominatorIds: ['r1e', 'r2e', 'r5e'] });
    expect(rows.find((r) => r.episodeId === 'r1e' && r.days === 60)!.contactId).toBe('r1b');
    expect(rows.some((r) => r.episodeId === 'r3e' || r.episodeId === 'r4e')).toBe(false);
  });

  it('time to loss of contact: 60-day silences, discharge for lost contact, censoring', () => {
    const deck = [
      person('k1', { episodes: [episode('k1e', '2028-01-01')], contacts: [contact('k1a', '2028-01-11'), contact('k1b', addDays('2028-01-01', 71))] }), // silence days 11–70 (60): lost at day 10
      person('k1b', { episodes: [episode('k1be', '2028-01-01', '2028-03-31', 'goals_met')], contacts: [contact('k1ba', '2028-01-11'), contact('k1bb', addDays('2028-01-01', 70)), contact('k1bc', '2028-03-30')] }), // silence of 59 days: not lost
      person('k3', { episodes: [episode('k3e', '2028-02-01', addDays('2028-02-01', 50), 'lost_contact')], contacts: [contact('k3a', addDays('2028-02-01', 30))] }),
      person('k4', { episodes: [episode('k4e', '2028-11-01')], contacts: [contact('k4a', '2028-11-21')] }), // open, 40 days quiet at the end: censored at day 20
      person('k5', { episodes: [episode('k5e', '2028-03-01')] }), // never reached: lost at day 0
      person('k7', { episodes: [episode('k7e', '2028-10-01')], contacts: [contact('k7a', '2028-11-01')] }), // quiet Nov 2 – Dec 31 (60 days): lost at day 31
      person('k8', { episodes: [episode('k8e', '2028-10-02')], contacts: [contact('k8a', '2028-11-02')] }), // quiet 59 days: censored at day 31
      person('old', { episodes: [episode('olde', '2027-05-01')] }), // enrolled before the period: not in the curve
    ];
    const { curve } = computeRetention(deck, Y2028);
    const row = (id: string) => curve.rows.find((r) => r.episodeId === id)!;
    expect(row('k1e')).toMatchObject({ time: 10, lost: true, lostOn: '2028-01-11', reason: 'silence' });
    expect(row('k1be')).toMatchObject({ time: 90, lost: false, censoredBy: 'discharged' });
    expect(row('k3e')).toMatchObject({ time: 30, lost: true, reason: 'discharged_lost_contact' });
    expect(row('k4e')).toMatchObject({ time: 20, lost: false, censoredBy: 'open' });
    expect(row('k5e')).toMatchObject({ time: 0, lost: true, lostOn: '2028-03-01' });
    expect(row('k7e')).toMatchObject({ time: 31, lost: true });
    expect(row('k8e')).toMatchObject({ time: 31, lost: false, censoredBy: 'open' });
    expect(curve.rows.map((r) => r.episodeId)).not.toContain('olde');
    // By hand: t0 7 at risk, 1 lost → 6/7; t10 6, 1 → 5/7; t20 one censored; t30 4, 1 → 15/28;
    // t31 3 at risk, 1 lost and 1 censored → 10/28; t90 censored. Median 31 days.
    expect(curve.steps.map((s) => [s.time, s.atRisk, s.events, s.censored])).toEqual([[0, 7, 1, 0], [10, 6, 1, 0], [20, 5, 0, 1], [30, 4, 1, 0], [31, 3, 1, 1], [90, 1, 0, 1]]);
    expect(curve.steps.at(-2)!.survival).toBeCloseTo(10 / 28, 12);
    expect(curve.median).toBe(31);
    expect(curve.survivalAt).toEqual([
      { days: 30, survival: expect.closeTo(15 / 28, 12) },
      { days: 60, survival: expect.closeTo(10 / 28, 12) },
      { days: 90, survival: expect.closeTo(10 / 28, 12) },
      { days: 180, survival: null },
    ]);
  });
});

describe('5. return to use and overdose per 100 participant-months', () => {
  const deck = [
    person('u1', {
      episodes: [episode('u1e', '2028-01-01')],
      useEvents: [
        { id: 'u1rtu89', on: addDays('2028-01-01', 89), kind: 'return_to_use', fatal: false },
        { id: 'u1rtu90', on: addDays('2028-01-01', 90), kind: 'return_to_use', fatal: false },
        { id: 'u1od', on: '2028-01-11', kind: 'overdose', fatal: false },
      ],
    }),
    // enrolled 2027-12-01 (day 31 on Jan 1); died on Feb 29, which is day 90
    person('u2', { episodes: [episode('u2e', '2027-12-01', '2028-02-29', 'deceased')], useEvents: [{ id: 'u2od', on: '2028-02-29', kind: 'overdose', fatal: true }] }),
    // two overlapping episodes count their shared days once; an event outside enrollment is not counted
    person('u3', {
      episodes: [episode('u3a', '2028-06-01', '2028-06-30', 'transferred'), episode('u3b', '2028-06-15')],
      useEvents: [{ id: 'u3od', on: '2028-06-20', kind: 'overdose', fatal: false }, { id: 'u3out', on: '2028-05-01', kind: 'return_to_use', fatal: false }],
    }),
  ];
  const result = computeUseAndOverdose(deck, Y2028);

  it('splits enrolled days at day 90 of each episode', () => {
    // u1: 90 + 276 (366-day year); u2: Jan 1–Feb 28 (59) + Feb 29 (1); u3a: June (30); u3b: Jul 1–Sep 12 (74) + Sep 13–Dec 31 (110)
    expect(result.personDays).toEqual({ first: 90 + 59 + 30 + 74, after: 276 + 1 + 110, total: 640 });
  });

  it('counts fatal and non-fatal overdoses separately, by phase, per 100 participant-months', () => {
    const r = result.rates;
    expect(r.return_to_use.first.eventIds).toEqual(['u1rtu89']);
    expect(r.return_to_use.after.eventIds).toEqual(['u1rtu90']);
    expect(sorted(r.overdose_non_fatal.first.eventIds)).toEqual(['u1od', 'u3od']);
    expect(r.overdose_fatal.after.eventIds).toEqual(['u2od']);
    expect(r.overdose_fatal.first.events).toBe(0);
    expect(r.return_to_use.total.events).toBe(2);
    expect(r.return_to_use.first.rate).toBeCloseTo((1 / (253 / DAYS_PER_MONTH)) * 100, 10);
    expect(result.rows.find((x) => x.eventId === 'u3od')).toMatchObject({ episodeId: 'u3a', phase: 'first' });
    expect(result.rows.map((x) => x.eventId)).not.toContain('u3out');
  });
});

describe('6. ED revisits within 30 and 90 days', () => {
  it('day 30 vs day 31, same day not a revisit, only visits a peer attended are indexes', () => {
    const deck = [
      person('e1', { edVisits: [ed('e1v', '2028-03-01', 'e1b'), ed('e1r', '2028-03-31')] }), // day 30
      person('e2', { edVisits: [ed('e2v', '2028-03-01', 'e2b'), ed('e2same', '2028-03-01'), ed('e2r', '2028-04-01')] }), // same day, then day 31
      person('e3', { edVisits: [ed('e3v', '2028-10-15', 'e3b')] }), // 90-day window open at the period end
      person('e4', { edVisits: [ed('e4v', '2028-05-01')] }), // no peer at the bedside: not an index
    ];
    const [w30, w90] = computeEdRevisits(deck, Y2028).windows;
    expect(w30).toMatchObject({ days: 30, numeratorIds: ['e1v'], denominatorIds: ['e1v', 'e2v', 'e3v'], pendingIds: [] });
    expect(w90).toMatchObject({ days: 90, numeratorIds: ['e1v', 'e2v'], denominatorIds: ['e1v', 'e2v'], pendingIds: ['e3v'] });
  });
});

describe('7. recovery capital (BARC-10)', () => {
  it('change from the first to the latest response, and the share crossing 47', () => {
    const b = (id: string, on: string, total: number) => ({ id, on, total });
    const deck = [
      person('b1', { barc10: [b('b1a', '2027-10-01', 40), b('b1b', '2028-03-01', 44), b('b1c', '2028-09-01', 48)] }), // +8, crosses
      person('b2', { barc10: [b('b2a', '2028-02-01', 47), b('b2b', '2028-08-01', 45)] }), // −2, already at 47
      person('b3', { barc10: [b('b3a', '2028-02-01', 30), b('b3b', '2028-06-01', 30)] }), // 0
      person('b4', { barc10: [b('b4a', '2028-05-01', 50)] }), // one response
      person('b5', { barc10: [b('b5a', '2027-01-01', 20), b('b5b', '2027-06-01', 25), b('b5c', '2029-01-05', 50)] }), // latest in the period: none
      person('b6', { barc10: [b('b6a', '2028-04-01', 20), b('b6b', '2028-04-01', 30)] }), // same day
    ];
    const r = computeRecoveryCapital(deck, Y2028);
    expect(r.rows.map((x) => [x.participantId, x.baselineId, x.latestId, x.change])).toEqual([['b1', 'b1a', 'b1c', 8], ['b2', 'b2a', 'b2b', -2], ['b3', 'b3a', 'b3b', 0]]);
    expect(r).toMatchObject({ participants: 3, meanChange: 2, medianChange: 0, improvedIds: ['b1'], unchangedIds: ['b3'], declinedIds: ['b2'] });
    expect(r.crossing).toMatchObject({ numeratorIds: ['b1'], denominatorIds: ['b1', 'b3'], rate: 0.5 });
  });
});

describe('8. process measures', () => {
  it('contacts per participant-month while enrolled; attempts apart', () => {
    const contacts = Array.from({ length: 12 }, (_, i) => contact(`c${i}`, addDays('2028-01-15', i * 30)));
    const p = person('c', { episodes: [episode('ce', '2028-01-01')], contacts: [...contacts, contact('x1', '2028-02-01', false), contact('x2', '2028-03-01', false), contact('x3', '2028-04-01', false), contact('before', '2027-12-15')] });
    const r = computeContactsPerMonth([p], Y2028);
    expect(r.contacts.personDays).toBe(366);
    expect(r.contacts.rate).toBeCloseTo(12 / (366 / DAYS_PER_MONTH), 12);
    expect(r.contacts.eventIds).not.toContain('before');
    expect(r.attempts.eventIds).toEqual(['x1', 'x2', 'x3']);
  });

  it('outreach success: reached ÷ outreach contacts (bedside and group not outreach)', () => {
    const p = person('o', {
      contacts: [contact('o1', '2028-02-01', true, 'follow_up'), contact('o2', '2028-02-02', true, 'check_in'), contact('o3', '2028-02-03', false, 'outreach_attempt'), contact('o4', '2028-02-04', true, 'ed_bedside'), contact('o5', '2028-02-05', true, 'group'), contact('o6', '2027-12-31', false, 'outreach_attempt')],
    });
    expect(computeOutreachSuccess([p], Y2028).rate).toMatchObject({ numeratorIds: ['o1', 'o2'], denominatorIds: ['o1', 'o2', 'o3'] });
  });

  it('referrals by status and days from referral to first attended visit (median)', () => {
    const p = person('f', {
      referrals: [
        { id: 'rf1', referredOn: '2028-01-10', status: 'completed', firstAttendedOn: '2028-01-15' },
        { id: 'rf2', referredOn: '2028-02-01', status: 'completed', firstAttendedOn: '2028-02-04' },
        { id: 'rf3', referredOn: '2028-03-01', status: 'requested', firstAttendedOn: null },
        { id: 'rf4', referredOn: '2027-12-20', status: 'completed', firstAttendedOn: '2028-01-02' },
        { id: 'rf5', referredOn: '2028-04-01', status: 'completed', firstAttendedOn: '2028-03-30' },
      ],
    });
    expect(computeReferralToVisit([p], Y2028)).toMatchObject({ n: 2, median: 4, missingIds: ['rf3'], invalidIds: ['rf5'] });
    expect(computeReferralsByStatus([p], Y2028)).toMatchObject({ total: 4, byStatus: [{ status: 'completed', count: 3, referralIds: ['rf1', 'rf2', 'rf5'] }, { status: 'requested', count: 1 }] });
  });

  it('ED response time: median minutes from request to arrival', () => {
    const v = (id: string, req: string | null, arr: string | null): EdVisitFact => ({ ...ed(id, '2028-05-01'), peerRequestedAt: req, peerArrivedAt: arr });
    const p = person('r', { edVisits: [v('t25', '2028-05-01T10:00:00Z', '2028-05-01T10:25:00Z'), v('t45', '2028-05-01T10:00:00Z', '2028-05-01T10:45:00Z'), v('t90', '2028-05-01T10:00:00Z', '2028-05-01T11:30:00Z'), v('none', null, null), v('bad', '2028-05-01T10:00:00Z', '2028-05-01T09:00:00Z')] });
    expect(computeEdResponseTime([p], Y2028)).toMatchObject({ n: 3, median: 45, missingIds: ['none'], invalidIds: ['bad'] });
  });

  it('federal 6-month follow-up: window −30/+60 days around intake + 6 months (Aug 31 → Feb 29), against 80%', () => {
    const g = (id: string, intake: string, followUp: string | null) =>
      person(id, { federalInterviews: [{ id: `${id}i`, on: intake, kind: 'intake' }, ...(followUp ? [{ id: `${id}f`, on: followUp, kind: 'six_month_follow_up' as const }] : [])] });
    const deck = [
      g('g1', '2027-08-31', '2028-01-30'), // first day of the window
      g('g2', '2027-08-31', '2028-01-29'), // a day early
      g('g3', '2027-08-31', '2028-04-29'), // last day of the window
      g('g4', '2027-08-31', '2028-04-30'), // a day late
      g('g5', '2028-03-31', '2028-09-15'), // due Sep 30
      g('g6', '2028-05-15', null), // due Nov 15, window open past the period end
      g('g7', '2028-08-31', null), // due 2029-02-28: not this period
    ];
    const r = computeFederalFollowUp(deck, Y2028);
    expect(r.rows.find((x) => x.intakeId === 'g1i')).toMatchObject({ dueOn: '2028-02-29', windowFrom: '2028-01-30', windowThrough: '2028-04-29', status: 'completed', followUpId: 'g1f' });
    expect(r.rows.find((x) => x.intakeId === 'g5i')).toMatchObject({ dueOn: '2028-09-30', status: 'completed' });
    expect(r.rows.find((x) => x.intakeId === 'g6i')).toMatchObject({ dueOn: '2028-11-15', status: 'open' });
    expect(r.rows.map((x) => x.intakeId)).not.toContain('g7i');
    expect(r.rate).toMatchObject({ numeratorIds: ['g1i', 'g3i', 'g5i'], denominatorIds: ['g1i', 'g2i', 'g3i', 'g4i', 'g5i'], rate: 0.6 });
    expect(r).toMatchObject({ target: 0.8, meetsTarget: false, pendingIds: ['g6i'] });
  });
});

describe('every measure at once', () => {
  it('runs on one set of facts and gives the same figures as each measure alone', () => {
    const people = [
      person('z1', { edVisits: [ed('z1v', '2028-02-22', 'z1b')], episodes: [episode('z1e', '2028-02-22')], contacts: [contact('z1b', '2028-02-22', true, 'ed_bedside'), contact('z1c', '2028-02-29')], moudFills: [fill('z1f', '2028-02-23', null)] }),
      person('z2', { episodes: [episode('z2e', '2028-03-01')], appointments: [visit('z2a', '2028-03-05', 'counseling')] }),
    ];
    const all = computeAllMeasures(people, Y2028);
    expect(all.linkage).toEqual(computeLinkage(people, Y2028));
    expect(all.linkage.windows[0]).toMatchObject({ numerator: 2, denominator: 2 });
    expect(all.ed_follow_up.windows[0]).toMatchObject({ numeratorIds: ['z1v'] });
    expect(Object.keys(all)).toHaveLength(13);
  });
});
