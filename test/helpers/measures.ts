/**
 * A small measure deck on real tables, in Chicago time (UTC−6 in winter, −5 in summer), for the
 * measures loader and routes tests. Every row goes in through the real repositories or straight
 * into the migrated tables, on fixed dates; the expected figures are worked out by hand in the
 * tests from the rules (issue 7).
 *
 * People (all enrolled at site A with `coach`, on the supervisor's team, unless said):
 *  P1  ED visit 2026-02-01 (peer at the bedside). MOUD induction attended 2026-02-08 21:30 local
 *      = 2026-02-09 03:30 UTC: day 7 locally, day 8 in UTC. Return to use 2026-03-01.
 *      BARC-10 40 (2025-12-01) → 50 (2026-05-01).
 *  P2  ED visit 2026-02-01 with a reached bedside encounter that day (not follow-up). First MOUD
 *      fill 2026-02-09 (day 8); fills continue with a 7-day gap (continuous).
 *      BARC-10 45 (2026-02-01) → 44 (2026-03-01).
 *  P3  ED visit 2026-03-01, hospital admission 2026-03-10 (excluded from follow-up); a referral
 *      made 2026-03-02 (not linkage); a court date attended (not treatment).
 *  P4  No ED visit; enrolled 2026-04-01; OTP enrollment from 2026-04-05, still open.
 *  P5  ED visit 2026-06-20 (last 30 days of a Jan–Jun period); a fill 2026-09-01.
 *  P6  At site B with `otherCoach` (outside the supervisor's teams). ED visits 2026-04-01,
 *      2026-04-20 (within 31 days: not counted), 2026-05-05 (counted, no follow-up). A reached
 *      follow-up call 2026-04-08 23:30 local = 2026-04-09 04:30 UTC (day 7 locally). A
 *      non-fatal overdose 2026-04-01.
 *  P7  Enrolled 2025-06-01; fills 2026-01-10 (30 days) and 2026-02-17: an 8-day gap.
 *  P8  Enrolled 2025-06-01; fills 2025-12-15 (30 days) and 2026-01-20: not a new start (MOUD in
 *      the prior 31 days), which only the look-back before the period shows.
 */
import type { Db } from '../../src/server/platform/db/database.js';
import { newId } from '../../src/server/platform/ids.js';
import { BARC10_V1 } from '../../src/server/modules/questionnaires/questionnaires.shipped.js';
import { insertEdVisit } from '../../src/server/modules/ed/ed.repository.js';
import type { TestApp } from './app.js';
import { careWorld, lifeEventRow, type CareWorld } from './care.js';
import { encounterRow } from './encounters.js';
import { buildEpisode, buildParticipant } from './factories.js';

export const DECK_ZONE = 'America/Chicago';
const NOW = '2026-11-27T15:00:00.000Z';

export interface Deck extends CareWorld {
  p: Record<'p1' | 'p2' | 'p3' | 'p4' | 'p5' | 'p6' | 'p7' | 'p8', string>;
  ids: Record<string, string>;
}

export async function buildDeck(t: TestApp): Promise<Deck> {
  const w = await careWorld(t, { timeZone: DECK_ZONE });
  const db = t.db;
  const org = w.organizationId;
  const by = w.coach.id;
  const ids: Record<string, string> = {};

  const person = async (o: { start: string; elsewhere?: boolean; values?: Record<string, unknown> } = { start: '2026-01-15' }) => {
    const id = await buildParticipant(db, { organizationId: org, createdBy: by, ...(o.values && { values: o.values }) });
    await buildEpisode(db, { organizationId: org, participantId: id, createdBy: by, programId: w.programId, siteId: o.elsewhere ? w.siteB : w.siteA, assignedCoachUserId: o.elsewhere ? w.otherCoach.id : w.coach.id, startDate: o.start });
    return id;
  };
  const p = {
    p1: await person({ start: '2026-01-15', values: { firstName: 'Ada', lastName: 'Deckone' } }),
    p2: await person({ start: '2026-01-15' }),
    p3: await person({ start: '2026-01-15' }),
    p4: await person({ start: '2026-04-01', values: { veteran: true } }),
    p5: await person({ start: '2026-01-15' }),
    p6: await person({ start: '2026-03-15', elsewhere: true }),
    p7: await person({ start: '2025-06-01' }),
    p8: await person({ start: '2025-06-01' }),
  };

  const life = (participantId: string, kind: string, occurredOn: string) => lifeEventRow(db, { organizationId: org, participantId, createdBy: by, kind: kind as never, occurredOn, now: NOW });
  const encounter = (participantId: string, type: string, startedAt: string, reached = true) =>
    encounterRow(db, { organizationId: org, participantId, authorUserId: by, type, startedAt, endedAt: null, durationMinutes: null, reached, attemptOutcome: reached ? null : 'no_answer' });
  const edVisit = async (key: string, participantId: string, on: string, bedside?: { at: string }) => {
    const lifeEventId = await life(participantId, 'ed_visit', on);
    ids[key] = lifeEventId;
    const encounterId = bedside ? await encounter(participantId, 'ed_bedside', bedside.at) : null;
    if (bedside) ids[`${key}_bedside`] = encounterId!;
    const visitId = await insertEdVisit(db, { organizationId: org, participantId, lifeEventId, siteId: w.siteA, createdBy: by, now: NOW, peerRequestedAt: bedside ? bedside.at : null, peerArrivedAt: bedside ? new Date(Date.parse(bedside.at) + 25 * 60_000).toISOString() : null });
    // Completing a visit links its bedside encounter (ed.repository completeEdVisit).
    if (encounterId) await db.updateTable('ed_visits').set({ status: 'completed', completed_at: NOW, encounter_id: encounterId }).where('id', '=', visitId).execute();
    return lifeEventId;
  };
  const appointment = async (participantId: string, kind: string, startsAt: string, status: string) => {
    const id = newId();
    await db
      .insertInto('appointments')
      .values({ id, organization_id: org, participant_id: participantId, kind, starts_at: startsAt, status, remind_participant: 0, reminder_names_place: 0, created_by: by, created_at: NOW, updated_at: NOW })
      .execute();
    return id;
  };
  const course = async (participantId: string, medication: string, formulation: string) => {
    const id = newId();
    await db
      .insertInto('moud_courses')
      .values({ id, organization_id: org, participant_id: participantId, medication, formulation, status: 'active', source: 'verified', created_by: by, created_at: NOW, updated_at: NOW })
      .execute();
    return id;
  };
  const fill = async (participantId: string, courseId: string, filledOn: string, daysSupply: number) => {
    const id = newId();
    await db
      .insertInto('moud_fills')
      .values({ id, organization_id: org, participant_id: participantId, course_id: courseId, medication: 'buprenorphine', filled_on: filledOn, days_supply: daysSupply, source: 'verified', created_by: by, created_at: NOW, updated_at: NOW })
      .execute();
    return id;
  };
  const barc = async (participantId: string, answeredOn: string, score: number) => {
    await db
      .insertInto('questionnaire_responses')
      .values({ id: newId(), organization_id: org, participant_id: participantId, definition_id: BARC10_V1.id, questionnaire_key: 'barc10', answered_on: answeredOn, answers: '{}', score, flags: '[]', source: 'staff', created_by: by, created_at: NOW, updated_at: NOW })
      .execute();
  };

  // P1
  await edVisit('p1_ed', p.p1, '2026-02-01', { at: '2026-02-01T18:00:00.000Z' });
  ids.p1_induction = await appointment(p.p1, 'moud_induction', '2026-02-09T03:30:00.000Z', 'attended');
  ids.p1_rtu = await life(p.p1, 'return_to_use', '2026-03-01');
  await barc(p.p1, '2025-12-01', 40);
  await barc(p.p1, '2026-05-01', 50);
  // P2
  await edVisit('p2_ed', p.p2, '2026-02-01', { at: '2026-02-01T20:00:00.000Z' });
  const c2 = await course(p.p2, 'buprenorphine', 'sublingual_film');
  ids.p2_fill = await fill(p.p2, c2, '2026-02-09', 30);
  await fill(p.p2, c2, '2026-03-11', 30); // covers 03-11..04-09
  await fill(p.p2, c2, '2026-04-17', 120); // 04-10..04-16 uncovered: 7 days, passes
  await barc(p.p2, '2026-02-01', 45);
  await barc(p.p2, '2026-03-01', 44);
  // P3
  await edVisit('p3_ed', p.p3, '2026-03-01');
  ids.p3_admission = await life(p.p3, 'hospital_admission', '2026-03-10');
  await appointment(p.p3, 'court', '2026-03-05T15:00:00.000Z', 'attended');
  await db
    .insertInto('referrals')
    .values({ id: newId(), organization_id: org, participant_id: p.p3, receiver_name: 'Clinic', receiver_type: 'treating_provider', mode: 'electronic', reason: 'Buprenorphine', urgency: 'routine', status: 'requested', created_by: by, created_at: '2026-03-02T15:00:00.000Z', updated_at: NOW })
    .execute();
  // P4
  const c4 = await course(p.p4, 'methadone', 'oral_liquid');
  await db.insertInto('moud_otp_enrollments').values({ id: (ids.p4_otp = newId()), organization_id: org, participant_id: p.p4, course_id: c4, started_on: '2026-04-05', ended_on: null, source: 'verified', created_by: by, created_at: NOW, updated_at: NOW }).execute();
  // P5
  await edVisit('p5_ed', p.p5, '2026-06-20');
  await fill(p.p5, await course(p.p5, 'buprenorphine', 'sublingual_film'), '2026-09-01', 30);
  // P6
  await edVisit('p6_ed1', p.p6, '2026-04-01');
  await edVisit('p6_ed2', p.p6, '2026-04-20');
  await edVisit('p6_ed3', p.p6, '2026-05-05');
  ids.p6_call = await encounter(p.p6, 'follow_up', '2026-04-09T04:30:00.000Z');
  ids.p6_overdose = await life(p.p6, 'overdose', '2026-04-01');
  // P7
  const c7 = await course(p.p7, 'buprenorphine', 'sublingual_film');
  ids.p7_fill = await fill(p.p7, c7, '2026-01-10', 30); // 01-10..02-08
  await fill(p.p7, c7, '2026-02-17', 200); // 02-09..02-16 uncovered: 8 days
  // P8
  const c8 = await course(p.p8, 'buprenorphine', 'sublingual_film');
  await fill(p.p8, c8, '2025-12-15', 30);
  await fill(p.p8, c8, '2026-01-20', 30);

  return { ...w, p, ids };
}

/** Mark a participant merged into another (the loader leaves merged records out). */
export async function markMerged(db: Db, organizationId: string, id: string, intoId: string, by: string): Promise<void> {
  await db.updateTable('participants').set({ merged_into_id: intoId, merged_at: NOW, merged_by: by }).where('organization_id', '=', organizationId).where('id', '=', id).execute();
}
