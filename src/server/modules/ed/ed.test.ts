/**
 * The ED bedside visit and the post-overdose follow-up plan through the HTTP API on a real
 * database: starting and filling in a visit, its rules, verbal consent to follow-up, completing
 * it (the bedside encounter and the plan), a new overdose or ED visit starting the plan again,
 * and the schedule's due times across time zones and daylight-saving changes.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../../contracts/common.js';
import type { EdVisitJson } from '../../../contracts/ed.js';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { auditEvents } from '../../../../test/helpers/inspect.js';
import { asUseCase, careWorld, type CareWorld } from '../../../../test/helpers/care.js';
import { buildConsent } from '../../../../test/helpers/consents.js';

/** The care world, whose participant agreed to be contacted (a follow-up plan needs that). */
async function consentingWorld(t: TestApp, o: Parameters<typeof careWorld>[1] = {}): Promise<CareWorld> {
  const w = await careWorld(t, o);
  await buildConsent(t.db, { organizationId: w.organizationId, participantId: w.participantId, createdBy: w.coach.id, kind: 'participation', signedOn: '2026-01-01' });
  return w;
}
import { createFollowUpPlan, intoContactWindow, scheduleOf } from './follow-up-plan.js';

const NOW = '2026-11-27T15:00:00.000Z'; // Friday 10:00 in New York

type Res = { statusCode: number; body: string; json: <T>() => T };
const err = (res: Res) => res.json<ErrorBody>().error;
const fieldsOf = (res: Res) => err(res).fields?.map((f) => f.path);

describe('the ED bedside visit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
  });
  beforeEach(() => t.clock.set(NOW));
  afterAll(() => t.close());

  const outreachTodos = (participantId: string) =>
    t.db.selectFrom('todos').selectAll().where('participant_id', '=', participantId).where('kind', '=', 'outreach').orderBy('due_at').execute();

  async function started(w: CareWorld, body: Record<string, unknown> = { edArrivedAt: '2026-11-27T13:00:00Z', peerRequestedAt: '2026-11-27T13:20:00Z' }) {
    const client = await w.as(w.coach);
    const res = await client.post(`/api/v1/participants/${w.participantId}/ed-visits`, body);
    expect(res.statusCode, res.body).toBe(201);
    return { client, visit: res.json<EdVisitJson>() };
  }

  describe('starting a visit', () => {
    it('records the ED-visit life event (staff observed, on the local date of arrival) and the open visit, with no plan yet', async () => {
      const w = await consentingWorld(t);
      // 03:10 UTC on the 27th is 22:10 on the 26th in New York.
      const { visit } = await started(w, { edArrivedAt: '2026-11-27T03:10:00Z' });
      expect(visit).toMatchObject({ participantId: w.participantId, status: 'open', edArrivedAt: '2026-11-27T03:10:00.000Z', encounterId: null, followUps: [], version: 1, siteId: w.siteA });
      const event = await t.db.selectFrom('life_events').selectAll().where('id', '=', visit.lifeEventId).executeTakeFirstOrThrow();
      expect(event).toMatchObject({ kind: 'ed_visit', source: 'staff_observed', occurred_on: '2026-11-26', occurred_at: '2026-11-27T03:10:00.000Z', participant_id: w.participantId });
      expect(await outreachTodos(w.participantId)).toEqual([]);
      expect(await auditEvents(t, { action: 'ed_visit.create', organizationId: w.organizationId })).toEqual([
        expect.objectContaining({ actorUserId: w.coach.id, targetType: 'ed_visit', targetIds: [visit.id, w.participantId] }),
      ]);
    });

    it('with nothing known yet, is dated today', async () => {
      const w = await consentingWorld(t);
      const { visit } = await started(w, {});
      const event = await t.db.selectFrom('life_events').selectAll().where('id', '=', visit.lifeEventId).executeTakeFirstOrThrow();
      expect(event).toMatchObject({ occurred_on: '2026-11-27', occurred_at: null });
    });

    it('refuses a participant outside the caller’s scope (403) and times in the future (400 naming the field)', async () => {
      const w = await consentingWorld(t);
      const client = await w.as(w.coach);
      const out = await client.post(`/api/v1/participants/${w.elsewhereId}/ed-visits`, {});
      expect(out.statusCode).toBe(403);
      const future = await client.post(`/api/v1/participants/${w.participantId}/ed-visits`, { edArrivedAt: '2026-11-27T18:00:00Z' });
      expect(future.statusCode).toBe(400);
      expect(fieldsOf(future)).toEqual(['edArrivedAt']);
      expect(await t.db.selectFrom('ed_visits').select('id').where('participant_id', '=', w.participantId).execute()).toEqual([]);
    });
  });

  describe('filling it in', () => {
    it('saves each section with its version and derives the response time', async () => {
      const w = await consentingWorld(t);
      const { client, visit } = await started(w);
      const res = await client.patch(`/api/v1/ed-visits/${visit.id}`, {
        version: 1,
        peerArrivedAt: '2026-11-27T14:05:00Z',
        overdose: true,
        substance: 'fentanyl',
        naloxoneAdministered: true,
        naloxoneKitGiven: true,
        moudStarted: 'buprenorphine',
        referralOffered: true,
        referralAccepted: true,
        warmHandoffTo: 'Bridge clinic',
        bestContactMethod: 'text',
        bestContactTime: 'Afternoons',
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<EdVisitJson>()).toMatchObject({ version: 2, responseMinutes: 45, overdose: true, moudStarted: 'buprenorphine', referralAccepted: true, warmHandoffTo: 'Bridge clinic', bestContactMethod: 'text' });
      // Clearing a value is a change too.
      const cleared = await client.patch(`/api/v1/ed-visits/${visit.id}`, { version: 2, substance: null });
      expect(cleared.json<EdVisitJson>()).toMatchObject({ version: 3, substance: null, overdose: true });
      const read = await client.get(`/api/v1/ed-visits/${visit.id}`);
      expect(read.json<EdVisitJson>()).toMatchObject({ version: 3, responseMinutes: 45 });
      const list = await client.get(`/api/v1/participants/${w.participantId}/ed-visits`);
      expect(list.json<{ edVisits: EdVisitJson[] }>().edVisits.map((v) => v.id)).toEqual([visit.id]);
    });

    it('refuses a peer arriving before being requested, a discharge before arrival, and an accepted referral never offered', async () => {
      const w = await consentingWorld(t);
      const { client, visit } = await started(w);
      const early = await client.patch(`/api/v1/ed-visits/${visit.id}`, { version: 1, peerArrivedAt: '2026-11-27T13:10:00Z' });
      expect(early.statusCode).toBe(400);
      expect(fieldsOf(early)).toEqual(['peerArrivedAt']);
      const discharge = await client.patch(`/api/v1/ed-visits/${visit.id}`, { version: 1, dischargedAt: '2026-11-27T12:00:00Z' });
      expect(fieldsOf(discharge)).toEqual(['dischargedAt']);
      const referral = await client.patch(`/api/v1/ed-visits/${visit.id}`, { version: 1, referralOffered: false, referralAccepted: true });
      expect(fieldsOf(referral)).toEqual(['referralAccepted']);
      expect((await client.get(`/api/v1/ed-visits/${visit.id}`)).json<EdVisitJson>().version).toBe(1);
    });

    it('answers a stale save with 409 and the current visit', async () => {
      const w = await consentingWorld(t);
      const { client, visit } = await started(w);
      expect((await client.patch(`/api/v1/ed-visits/${visit.id}`, { version: 1, overdose: false })).statusCode).toBe(200);
      const stale = await client.patch(`/api/v1/ed-visits/${visit.id}`, { version: 1, overdose: true });
      expect(stale.statusCode).toBe(409);
      expect(err(stale)).toMatchObject({ code: 'record.conflict', details: { version: 2, current: { id: visit.id, overdose: false } } });
    });

    it('consent to follow-up: verbal, with a witness, recorded as a participation consent when none is active', async () => {
      const w = await careWorld(t);
      const { client, visit } = await started(w);
      const noWitness = await client.patch(`/api/v1/ed-visits/${visit.id}`, { version: 1, consentToFollowUp: true });
      expect(noWitness.statusCode).toBe(400);
      expect(fieldsOf(noWitness)).toEqual(['witnessName']);
      const ok = await client.patch(`/api/v1/ed-visits/${visit.id}`, { version: 1, consentToFollowUp: true, witnessName: 'Nurse Dana Ruiz' });
      expect(ok.statusCode, ok.body).toBe(200);
      const consents = await t.db.selectFrom('consents').select(['kind', 'revoked_at']).where('participant_id', '=', w.participantId).execute();
      expect(consents).toEqual([{ kind: 'participation', revoked_at: null }]);
      const signature = await t.db.selectFrom('consent_signatures').selectAll().where('organization_id', '=', w.organizationId).executeTakeFirstOrThrow();
      expect(signature).toMatchObject({ method: 'verbal', witness_name: 'Nurse Dana Ruiz' });
      expect((await t.db.selectFrom('participants').select('consent_to_follow_up').where('id', '=', w.participantId).executeTakeFirstOrThrow()).consent_to_follow_up).toBe(1);
      // A second visit: the consent is already active, no witness needed, no second consent.
      const again = await started(w, { consentToFollowUp: true });
      expect(again.visit.consentToFollowUp).toBe(true);
      expect(await t.db.selectFrom('consents').select('id').where('participant_id', '=', w.participantId).execute()).toHaveLength(1);
    });
  });

  describe('completing it', () => {
    it('writes the signed bedside encounter and the follow-up plan on the assigned coach’s list', async () => {
      const w = await consentingWorld(t);
      // The supervisor starts it; the plan still goes to the participant's coach.
      const client = await w.as(w.supervisor);
      const visit = (await client.post(`/api/v1/participants/${w.participantId}/ed-visits`, { peerRequestedAt: '2026-11-27T13:20:00Z', peerArrivedAt: '2026-11-27T13:50:00Z', naloxoneKitGiven: true })).json<EdVisitJson>();
      await client.patch(`/api/v1/ed-visits/${visit.id}`, { version: 1, dischargedAt: '2026-11-27T14:30:00Z' });
      const res = await client.post(`/api/v1/ed-visits/${visit.id}/complete`);
      expect(res.statusCode, res.body).toBe(200);
      const done = res.json<EdVisitJson>();
      expect(done).toMatchObject({ status: 'completed', completedAt: NOW, version: 3 });
      const encounter = await t.db.selectFrom('encounters').selectAll().where('id', '=', done.encounterId!).executeTakeFirstOrThrow();
      expect(encounter).toMatchObject({
        type: 'ed_bedside',
        mode: 'in_person',
        setting: 'ed',
        place_of_service: '23',
        reached: 1,
        started_at: '2026-11-27T13:50:00.000Z',
        ended_at: '2026-11-27T14:30:00.000Z',
        duration_minutes: 40,
        status: 'signed',
        signed_at: NOW,
        author_user_id: w.supervisor.id,
        life_event_id: visit.lifeEventId,
        episode_id: w.episodeId,
        todo_id: null,
      });
      expect(JSON.parse(encounter.services)).toEqual(['crisis_support', 'naloxone_kit']);
      // Anchored at the end of the bedside encounter (09:30 in New York): every step inside 09:00–19:00.
      expect(done.followUps.map((s) => [s.title, s.dueOn, s.dueTime, s.dueAt, s.severity, s.ownerUserId === w.coach.id, s.status])).toEqual([
        ['Reach out: 24 hours after the ED visit', '2026-11-28', '09:30', '2026-11-28T14:30:00.000Z', 'high', true, 'open'],
        ['Reach out: 72 hours after the ED visit', '2026-11-30', '09:30', '2026-11-30T14:30:00.000Z', 'high', true, 'open'],
        ['Reach out: 7 days after the ED visit', '2026-12-04', '09:30', '2026-12-04T14:30:00.000Z', 'normal', true, 'open'],
        ['Reach out: 14 days after the ED visit', '2026-12-11', '09:30', '2026-12-11T14:30:00.000Z', 'normal', true, 'open'],
        ['Reach out: 30 days after the ED visit', '2026-12-27', '09:30', '2026-12-27T14:30:00.000Z', 'normal', true, 'open'],
      ]);
      const todos = await outreachTodos(w.participantId);
      expect(todos.map((x) => [x.clears_on, x.source_type, x.source_id])).toEqual(Array(5).fill(['manual', 'ed_visit', visit.id]));
      const episode = await t.db.selectFrom('episodes').select('last_contact_at').where('id', '=', w.episodeId).executeTakeFirstOrThrow();
      expect(episode.last_contact_at).toBe('2026-11-27T14:30:00.000Z');
      expect(await auditEvents(t, { action: 'ed_visit.complete', organizationId: w.organizationId })).toHaveLength(1);
    });

    it('completing twice answers 409 and makes nothing more; a completed visit cannot be edited', async () => {
      const w = await consentingWorld(t);
      const { client, visit } = await started(w, { peerArrivedAt: '2026-11-27T14:00:00Z' });
      expect((await client.post(`/api/v1/ed-visits/${visit.id}/complete`)).statusCode).toBe(200);
      const again = await client.post(`/api/v1/ed-visits/${visit.id}/complete`);
      expect(again.statusCode).toBe(409);
      expect(err(again).code).toBe('record.conflict');
      const edit = await client.patch(`/api/v1/ed-visits/${visit.id}`, { version: 2, overdose: true });
      expect(edit.statusCode).toBe(409);
      expect(await t.db.selectFrom('encounters').select('id').where('participant_id', '=', w.participantId).execute()).toHaveLength(1);
      expect(await outreachTodos(w.participantId)).toHaveLength(5);
    });

    it('needs the time the peer arrived', async () => {
      const w = await consentingWorld(t);
      const { client, visit } = await started(w);
      const res = await client.post(`/api/v1/ed-visits/${visit.id}/complete`);
      expect(res.statusCode).toBe(400);
      expect(fieldsOf(res)).toEqual(['peerArrivedAt']);
    });

    it('a coach outside the participant’s scope cannot read or complete it', async () => {
      const w = await consentingWorld(t);
      const { visit } = await started(w, { peerArrivedAt: '2026-11-27T14:00:00Z' });
      const other = await w.as(w.otherCoach);
      expect((await other.get(`/api/v1/ed-visits/${visit.id}`)).statusCode).toBe(403);
      expect((await other.post(`/api/v1/ed-visits/${visit.id}/complete`)).statusCode).toBe(403);
    });
  });

  describe('an overdose or ED visit recorded as a life event starts the plan again', () => {
    it('anchored at local noon of the date when no time is known; steps already past become one step due now', async () => {
      const w = await consentingWorld(t);
      const client = await w.as(w.coach);
      const res = await client.post(`/api/v1/participants/${w.participantId}/life-events`, { kind: 'overdose', occurredOn: '2026-11-20', source: 'participant_reported' });
      expect(res.statusCode, res.body).toBe(201);
      const eventId = res.json<{ id: string }>().id;
      const todos = await outreachTodos(w.participantId);
      // Noon on the 20th in New York is 17:00 UTC; 24 h and 72 h are past, 7 days falls at noon today.
      expect(todos.map((x) => [x.title, x.due_on, x.due_time, x.severity, x.source_type, x.source_id === eventId])).toEqual([
        ['Reach out: 72 hours after the overdose', '2026-11-27', '10:00', 'high', 'life_event', true],
        ['Reach out: 7 days after the overdose', '2026-11-27', '12:00', 'high', 'life_event', true],
        ['Reach out: 14 days after the overdose', '2026-12-04', '12:00', 'normal', 'life_event', true],
        ['Reach out: 30 days after the overdose', '2026-12-20', '12:00', 'normal', 'life_event', true],
      ]);
    });

    it('an ED visit with its time is anchored at that time; a return to use starts no plan', async () => {
      const w = await consentingWorld(t);
      const client = await w.as(w.coach);
      await client.post(`/api/v1/participants/${w.participantId}/life-events`, { kind: 'return_to_use', occurredOn: '2026-11-26', source: 'participant_reported' });
      expect(await outreachTodos(w.participantId)).toEqual([]);
      const res = await client.post(`/api/v1/participants/${w.participantId}/life-events`, { kind: 'ed_visit', occurredOn: '2026-11-27', occurredAt: '2026-11-27T14:00:00Z', source: 'records' });
      expect(res.statusCode, res.body).toBe(201);
      const todos = await outreachTodos(w.participantId);
      expect(todos.map((x) => [x.title, x.due_on, x.due_time])[0]).toEqual(['Reach out: 24 hours after the ED visit', '2026-11-28', '09:00']);
      expect(todos).toHaveLength(5);
    });
  });

  describe('no plan against the person’s word', () => {
    it('makes no outreach for someone who has not agreed to be contacted, or who asked not to be contacted', async () => {
      const w = await careWorld(t); // no participation consent
      const client = await w.as(w.coach);
      const overdose = { kind: 'overdose', occurredOn: '2026-11-26', source: 'participant_reported' };
      expect((await client.post(`/api/v1/participants/${w.participantId}/life-events`, overdose)).statusCode).toBe(201);
      expect(await outreachTodos(w.participantId)).toEqual([]);

      const agreed = await consentingWorld(t);
      await t.db.updateTable('participants').set({ do_not_contact: 1 }).where('id', '=', agreed.participantId).execute();
      expect((await (await agreed.as(agreed.coach)).post(`/api/v1/participants/${agreed.participantId}/life-events`, overdose)).statusCode).toBe(201);
      expect(await outreachTodos(agreed.participantId)).toEqual([]);

      // The same event for someone who agreed and may be contacted starts the plan.
      await t.db.updateTable('participants').set({ do_not_contact: 0 }).where('id', '=', agreed.participantId).execute();
      expect((await (await agreed.as(agreed.coach)).post(`/api/v1/participants/${agreed.participantId}/life-events`, overdose)).statusCode).toBe(201);
      expect((await outreachTodos(agreed.participantId)).length).toBeGreaterThan(0);
    });
  });

  describe('the schedule’s due times', () => {
    const planAt = async (w: CareWorld, anchorAt: string) => {
      const ids = await asUseCase(t, w.coach, (ctx) => createFollowUpPlan(ctx, { participantId: w.participantId, anchorAt, source: { type: 'ed_visit', id: '019ad000-0000-7000-8000-000000000000' } }));
      const rows = await t.db.selectFrom('todos').select(['id', 'due_on', 'due_time', 'due_at']).where('id', 'in', ids).orderBy('due_at').execute();
      return rows.map((r) => [r.due_on, r.due_time, r.due_at]);
    };
    const setWindow = (w: CareWorld, start: string | null, end: string | null) =>
      t.db.updateTable('participants').set({ contact_window_start: start, contact_window_end: end }).where('id', '=', w.participantId).execute();
    const setSchedule = (w: CareWorld, hours: number[]) => t.db.updateTable('programs').set({ follow_up_schedule: JSON.stringify(hours) }).where('id', '=', w.programId).execute();

    it('follows the program’s own schedule', async () => {
      const w = await consentingWorld(t);
      await setSchedule(w, [48, 4]);
      t.clock.set('2026-11-27T14:00:00.000Z');
      expect(await planAt(w, '2026-11-27T14:00:00.000Z')).toEqual([
        ['2026-11-27', '13:00', '2026-11-27T18:00:00.000Z'],
        ['2026-11-29', '09:00', '2026-11-29T14:00:00.000Z'],
      ]);
    });

    it('New York: late in the evening moves to the next morning’s window start', async () => {
      const w = await consentingWorld(t);
      await setSchedule(w, [24]);
      t.clock.set('2026-11-26T02:30:00.000Z');
      // 21:30 EST on the 25th + 24 h → 21:30 on the 26th, after 19:00 → 09:00 on the 27th.
      expect(await planAt(w, '2026-11-26T02:30:00.000Z')).toEqual([['2026-11-27', '09:00', '2026-11-27T14:00:00.000Z']]);
    });

    it('Los Angeles, with the participant’s own window: before it → its start the same day', async () => {
      const w = await consentingWorld(t, { siteATimeZone: 'America/Los_Angeles' });
      await setSchedule(w, [24]);
      await setWindow(w, '17:00', '20:00');
      t.clock.set('2026-11-27T18:00:00.000Z');
      // 10:00 PST on the 27th + 24 h → 10:00 on the 28th, before 17:00 → 17:00 PST = 01:00 UTC on the 29th.
      expect(await planAt(w, '2026-11-27T18:00:00.000Z')).toEqual([['2026-11-28', '17:00', '2026-11-29T01:00:00.000Z']]);
    });

    it('Honolulu (no daylight saving), on the US spring change', async () => {
      const w = await consentingWorld(t, { timeZone: 'Pacific/Honolulu' });
      await setSchedule(w, [24]);
      t.clock.set('2026-03-08T12:00:00.000Z');
      // 02:00 HST on the 8th + 24 h → 02:00 on the 9th → 09:00 HST = 19:00 UTC.
      expect(await planAt(w, '2026-03-08T12:00:00.000Z')).toEqual([['2026-03-09', '09:00', '2026-03-09T19:00:00.000Z']]);
    });

    it('New York across the spring change (2026-03-08): the window start is 09:00 EDT, 13:00 UTC', async () => {
      const w = await consentingWorld(t);
      await setSchedule(w, [24, 30]);
      t.clock.set('2026-03-07T03:00:00.000Z');
      // 22:00 EST on the 6th + 24 h → 22:00 EST on the 7th → 09:00 EDT on the 8th.
      // + 30 h → 05:00 EDT on the 8th (the clocks jumped) → 09:00 EDT the same day.
      expect(await planAt(w, '2026-03-07T03:00:00.000Z')).toEqual([
        ['2026-03-08', '09:00', '2026-03-08T13:00:00.000Z'],
        ['2026-03-08', '09:00', '2026-03-08T13:00:00.000Z'],
      ]);
    });

    it('New York across the autumn change (2026-11-01): the window start is 09:00 EST, 14:00 UTC; 24 h stays 24 h of real time', async () => {
      const w = await consentingWorld(t);
      await setSchedule(w, [24, 36]);
      t.clock.set('2026-10-31T03:00:00.000Z');
      // 23:00 EDT on the 30th + 24 h → 23:00 EDT on the 31st → 09:00 EST on 1 November.
      // + 36 h → 2026-11-01T15:00Z = 10:00 EST, inside the window.
      expect(await planAt(w, '2026-10-31T03:00:00.000Z')).toEqual([
        ['2026-11-01', '09:00', '2026-11-01T14:00:00.000Z'],
        ['2026-11-01', '10:00', '2026-11-01T15:00:00.000Z'],
      ]);
    });

    it('a window that starts at a time the spring change skips falls just after the gap', async () => {
      const w = await consentingWorld(t);
      await setSchedule(w, [1]);
      await setWindow(w, '02:30', '06:00');
      t.clock.set('2026-03-08T05:00:00.000Z');
      // 00:00 EST on the 8th + 1 h → 01:00, before 02:30 → 02:30, which does not exist → 03:30 EDT = 07:30 UTC.
      expect(await planAt(w, '2026-03-08T05:00:00.000Z')).toEqual([['2026-03-08', '02:30', '2026-03-08T07:30:00.000Z']]);
    });
  });
});

describe('the contact window rule', () => {
  const at = (iso: string, w: { start: string; end: string }, tz = 'America/New_York') => intoContactWindow(new Date(iso), tz, w);
  const day = { start: '09:00', end: '19:00' };

  it('keeps a time inside the window, moves one before it to its start and one at or after its end to the next day’s start', () => {
    expect(at('2026-11-27T15:00:00Z', day)).toEqual({ date: '2026-11-27', time: '10:00' });
    expect(at('2026-11-27T12:00:00Z', day)).toEqual({ date: '2026-11-27', time: '09:00' });
    expect(at('2026-11-28T00:00:00Z', day)).toEqual({ date: '2026-11-28', time: '09:00' }); // 19:00 exactly
    expect(at('2026-11-27T23:59:00Z', day)).toEqual({ date: '2026-11-27', time: '18:59' });
  });

  it('handles a window across midnight', () => {
    const night = { start: '22:00', end: '06:00' };
    expect(at('2026-11-28T04:00:00Z', night)).toEqual({ date: '2026-11-27', time: '23:00' });
    expect(at('2026-11-28T08:00:00Z', night)).toEqual({ date: '2026-11-28', time: '03:00' });
    expect(at('2026-11-27T15:00:00Z', night)).toEqual({ date: '2026-11-27', time: '22:00' });
  });

  it('reads the program’s schedule, falling back to the default for anything unusable', () => {
    expect(scheduleOf('[72, 24]')).toEqual([24, 72]);
    expect(scheduleOf(null)).toEqual([24, 72, 168, 336, 720]);
    expect(scheduleOf('[]')).toEqual([24, 72, 168, 336, 720]);
    expect(scheduleOf('[24, -1]')).toEqual([24, 72, 168, 336, 720]);
    expect(scheduleOf('not json')).toEqual([24, 72, 168, 336, 720]);
  });
});
