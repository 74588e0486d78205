/**
 * Federal (GPRA-style) interviews and the 6-month follow-up tracker through the HTTP API on a real
 * database, with a fixed clock (Friday 2026-11-27 in New York): recording with its rules (dates,
 * one intake per episode, a follow-up after an intake), corrections with versions, removal, the
 * due date and window on the participant, the tracker by scope, audit — and the measure
 * `federal_follow_up` reading the table (in-window counts, out-of-window does not).
 */
import type { z } from 'zod';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../../contracts/common.js';
import { followUpWindow, type FederalFollowUpTracker, type FederalInterview, type FederalInterviewList } from '../../../contracts/federal-follow-up.js';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/helpers/app.js';
import { auditEvents } from '../../../../test/helpers/inspect.js';
import { careWorld, type CareWorld } from '../../../../test/helpers/care.js';
import { buildEpisode, buildParticipant } from '../../../../test/helpers/factories.js';
import { loadMeasureFacts } from '../measures/measures.loader.js';
import { computeFederalFollowUp } from '../measures/measures.compute.js';
import { DEFAULTS } from '../measures/measures.definitions.js';

const NOW = '2026-11-27T15:00:00.000Z'; // Friday 10:00 in New York
const TODAY = '2026-11-27';

type Interview = z.infer<typeof FederalInterview>;
type List = z.infer<typeof FederalInterviewList>;
type Tracker = z.infer<typeof FederalFollowUpTracker>;

describe('the follow-up window (contract)', () => {
  it('is due at intake + 6 months (month ends clamp, leap day) with a window of −30/+60 days', () => {
    expect(followUpWindow('2026-05-10')).toEqual({ dueOn: '2026-11-10', windowFrom: '2026-10-11', windowThrough: '2027-01-09' });
    expect(followUpWindow('2027-08-31')).toEqual({ dueOn: '2028-02-29', windowFrom: '2028-01-30', windowThrough: '2028-04-29' });
    expect(followUpWindow('2026-08-31').dueOn).toBe('2027-02-28');
  });
});

describe('federal interviews', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
  });
  beforeEach(() => t.clock.set(NOW));
  afterAll(() => t.close());

  const err = (res: { json: <T>() => T }) => res.json<ErrorBody>().error;
  const created = <T>(res: { statusCode: number; body: string; json: <U>() => U }): T => {
    expect(res.statusCode, res.body).toBe(201);
    return res.json<T>();
  };
  const ok = <T>(res: { statusCode: number; body: string; json: <U>() => U }): T => {
    expect(res.statusCode, res.body).toBe(200);
    return res.json<T>();
  };
  const record = async (client: TestClient, participantId: string, body: Record<string, unknown>) => client.post(`/api/v1/participants/${participantId}/federal-interviews`, body);
  const list = async (client: TestClient, participantId: string) => ok<List>(await client.get(`/api/v1/participants/${participantId}/federal-interviews`));
  const refused = (res: { statusCode: number; body: string; json: <U>() => U }, status: number, path: string) => {
    expect(res.statusCode, res.body).toBe(status);
    expect(err(res).fields?.map((f) => f.path)).toEqual([path]);
  };

  it('a coach records the intake (on the current episode) and the 6-month follow-up; the participant shows when it is due and that it is done; audited with ids and codes only', async () => {
    const w = await careWorld(t);
    const client = await w.as(w.coach);
    const intake = created<Interview>(await record(client, w.participantId, { kind: 'intake', conductedOn: '2026-05-10' }));
    expect(intake).toMatchObject({ kind: 'intake', conductedOn: '2026-05-10', episodeId: w.episodeId, recordedBy: w.coach.id, recordedByName: expect.any(String), version: 1 });

    let l = await list(client, w.participantId);
    expect(l.today).toBe(TODAY);
    expect(l.followUps).toEqual([{ intakeId: intake.id, intakeOn: '2026-05-10', episodeId: w.episodeId, dueOn: '2026-11-10', windowFrom: '2026-10-11', windowThrough: '2027-01-09', status: 'in_window', followUpOn: null }]);

    const followUp = created<Interview>(await record(client, w.participantId, { kind: 'six_month_follow_up', conductedOn: '2026-11-20' }));
    l = await list(client, w.participantId);
    expect(l.interviews.map((i) => i.id)).toEqual([followUp.id, intake.id]);
    expect(l.followUps[0]).toMatchObject({ status: 'completed', followUpOn: '2026-11-20' });

    const audits = await auditEvents(t, { organizationId: w.organizationId });
    expect(audits.filter((a) => a.action.startsWith('federal_interview.'))).toEqual([
      expect.objectContaining({ action: 'federal_interview.create', actorUserId: w.coach.id, targetIds: [intake.id, w.participantId], details: { kind: 'intake', episodeId: w.episodeId } }),
      expect.objectContaining({ action: 'federal_interview.create', targetIds: [followUp.id, w.participantId], details: { kind: 'six_month_follow_up', episodeId: w.episodeId } }),
    ]);
    expect(audits.filter((a) => a.action === 'participant.read')).toEqual([
      expect.objectContaining({ targetIds: [w.participantId], details: { part: 'federal_interviews' } }),
      expect.objectContaining({ targetIds: [w.participantId], details: { part: 'federal_interviews' } }),
    ]);
  });

  it('refuses a date in the future or before birth, a second intake in the episode, a follow-up without an intake before it, and another person’s episode — each naming the field', async () => {
    const w = await careWorld(t);
    const client = await w.as(w.coach);
    const born = await buildParticipant(t.db, { organizationId: w.organizationId, createdBy: w.coach.id, values: { dateOfBirth: '2000-03-15' } });
    await buildEpisode(t.db, { organizationId: w.organizationId, participantId: born, createdBy: w.coach.id, programId: w.programId, siteId: w.siteA, assignedCoachUserId: w.coach.id });

    refused(await record(client, w.participantId, { kind: 'intake', conductedOn: '2026-11-28' }), 400, 'conductedOn');
    expect((await record(client, w.participantId, { kind: 'intake', conductedOn: TODAY })).statusCode).toBe(201);
    refused(await record(client, born, { kind: 'intake', conductedOn: '2000-03-14' }), 400, 'conductedOn');
    refused(await record(client, born, { kind: 'six_month_follow_up', conductedOn: '2026-01-05' }), 400, 'kind');
    created<Interview>(await record(client, born, { kind: 'intake', conductedOn: '2026-03-01' }));
    refused(await record(client, born, { kind: 'intake', conductedOn: '2026-04-01' }), 409, 'kind');
    refused(await record(client, born, { kind: 'six_month_follow_up', conductedOn: '2026-03-01' }), 400, 'conductedOn'); // the same day is not after
    expect((await record(client, born, { kind: 'discharge', conductedOn: '2026-03-01' })).statusCode).toBe(201); // a discharge may be the same day
    refused(await record(client, born, { kind: 'six_month_follow_up', conductedOn: '2026-09-01', episodeId: w.episodeId }), 400, 'episodeId');
    refused(await record(client, born, { kind: 'gpra', conductedOn: '2026-09-01' }), 400, 'kind');
    refused(await record(client, born, { kind: 'intake', conductedOn: '2026-02-30' }), 400, 'conductedOn');
    // No episode: one intake for the person outside any episode, beside the episode's own.
    expect((await record(client, born, { kind: 'intake', conductedOn: '2026-02-01', episodeId: null })).json<Interview>().episodeId).toBeNull();
    refused(await record(client, born, { kind: 'intake', conductedOn: '2026-02-02', episodeId: null }), 409, 'kind');
  });

  it('corrects with the version (409 with the current record when stale); may not leave a follow-up without its intake; removes one recorded in error', async () => {
    const w = await careWorld(t);
    const client = await w.as(w.coach);
    const intake = created<Interview>(await record(client, w.participantId, { kind: 'intake', conductedOn: '2026-04-01' }));
    const followUp = created<Interview>(await record(client, w.participantId, { kind: 'six_month_follow_up', conductedOn: '2026-10-15' }));

    const fixed = ok<Interview>(await client.patch(`/api/v1/federal-interviews/${intake.id}`, { conductedOn: '2026-04-02', version: 1 }));
    expect(fixed).toMatchObject({ conductedOn: '2026-04-02', version: 2 });
    const stale = await client.patch(`/api/v1/federal-interviews/${intake.id}`, { conductedOn: '2026-04-03', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(err(stale)).toMatchObject({ code: 'record.conflict', details: { version: 2, current: expect.objectContaining({ conductedOn: '2026-04-02' }) } });

    refused(await client.patch(`/api/v1/federal-interviews/${intake.id}`, { conductedOn: '2026-10-20', version: 2 }), 400, 'conductedOn');
    refused(await client.patch(`/api/v1/federal-interviews/${intake.id}`, { kind: 'discharge', version: 2 }), 400, 'kind');
    refused(await client.patch(`/api/v1/federal-interviews/${intake.id}`, { conductedOn: '2027-01-01', version: 2 }), 400, 'conductedOn');
    refused(await client.request('DELETE', `/api/v1/federal-interviews/${intake.id}`, { version: 2 }), 400, 'id');

    expect((await client.request('DELETE', `/api/v1/federal-interviews/${followUp.id}`, { version: 2 })).statusCode).toBe(409);
    ok(await client.request('DELETE', `/api/v1/federal-interviews/${followUp.id}`, { version: 1 }));
    expect((await client.request('DELETE', `/api/v1/federal-interviews/${followUp.id}`, { version: 2 })).statusCode).toBe(404);
    expect((await client.patch(`/api/v1/federal-interviews/${followUp.id}`, { conductedOn: '2026-10-16', version: 2 })).statusCode).toBe(404);
    ok(await client.request('DELETE', `/api/v1/federal-interviews/${intake.id}`, { version: 2 }));
    expect(await list(client, w.participantId)).toMatchObject({ interviews: [], followUps: [] });

    const audits = (await auditEvents(t, { organizationId: w.organizationId })).filter((a) => a.action.startsWith('federal_interview.'));
    expect(audits.map((a) => a.action)).toEqual(['federal_interview.create', 'federal_interview.create', 'federal_interview.update', 'federal_interview.delete', 'federal_interview.delete']);
    expect(audits[2]).toMatchObject({ targetIds: [intake.id, w.participantId], details: { fields: ['conductedOn'], kind: 'intake' } });
    expect(audits[3]).toMatchObject({ targetIds: [followUp.id, w.participantId], details: { kind: 'six_month_follow_up' } });
  });

  it('follows the participant scope: another coach’s person is 403 (the refusal audited), a privacy officer reads but does not record, another organization’s is 404', async () => {
    const w = await careWorld(t);
    const coach = await w.as(w.coach);
    expect(err(await record(coach, w.elsewhereId, { kind: 'intake', conductedOn: '2026-05-01' })).code).toBe('participant.out_of_scope');
    expect((await coach.get(`/api/v1/participants/${w.elsewhereId}/federal-interviews`)).statusCode).toBe(403);
    const other = await w.as(w.otherCoach);
    const theirs = created<Interview>(await record(other, w.elsewhereId, { kind: 'intake', conductedOn: '2026-05-01' }));
    expect((await coach.patch(`/api/v1/federal-interviews/${theirs.id}`, { conductedOn: '2026-05-02', version: 1 })).statusCode).toBe(403);
    expect((await coach.request('DELETE', `/api/v1/federal-interviews/${theirs.id}`, { version: 1 })).statusCode).toBe(403);

    const po = await w.as(w.privacyOfficer);
    expect((await list(po, w.elsewhereId)).interviews).toHaveLength(1);
    expect((await record(po, w.elsewhereId, { kind: 'discharge', conductedOn: '2026-06-01' })).statusCode).toBe(403);

    const elsewhere = await careWorld(t);
    expect((await (await elsewhere.as(elsewhere.manager)).get(`/api/v1/participants/${w.participantId}/federal-interviews`)).statusCode).toBe(404);
    const denied = (await auditEvents(t, { organizationId: w.organizationId })).filter((a) => a.outcome === 'denied');
    expect(denied.length).toBeGreaterThanOrEqual(3);
  });

  describe('the tracker', () => {
    /** Intakes placed around November 2026 (today the 27th). */
    async function trackerWorld(): Promise<{ w: CareWorld; ids: Record<string, string> }> {
      const w = await careWorld(t);
      const coach = await w.as(w.coach);
      const person = async (first: string, coachId = w.coach.id, siteId = w.siteA) => {
        const id = await buildParticipant(t.db, { organizationId: w.organizationId, createdBy: coachId, values: { firstName: first, lastName: 'Tracker' } });
        await buildEpisode(t.db, { organizationId: w.organizationId, participantId: id, createdBy: coachId, programId: w.programId, siteId, assignedCoachUserId: coachId });
        return id;
      };
      const ids = { due: await person('Ana'), done: await person('Bea'), missed: await person('Cal'), soon: await person('Dee'), later: await person('Eli'), other: w.elsewhereId };
      const intake = async (client: TestClient, id: string, on: string) => created<Interview>(await record(client, id, { kind: 'intake', conductedOn: on }));
      await intake(coach, ids.due, '2026-05-10'); // due 11-10, window 10-11 … 01-09: in window
      await intake(coach, ids.done, '2026-05-20'); // due 11-20, done 11-01
      created(await record(coach, ids.done, { kind: 'six_month_follow_up', conductedOn: '2026-11-01' }));
      await intake(coach, ids.missed, '2026-03-10'); // due 09-10, window closed 11-09 with only a follow-up too early
      created(await record(coach, ids.missed, { kind: 'six_month_follow_up', conductedOn: '2026-08-10' }));
      await intake(coach, ids.soon, '2026-06-29'); // due 12-29, window opens 11-29: upcoming
      await intake(coach, ids.later, '2026-07-05'); // window opens 12-06: not in November
      await intake(await w.as(w.otherCoach), ids.other, '2026-05-15'); // another team's
      return { w, ids };
    }

    it('lists, for a coach, their people whose window touches the month: in window first, then upcoming, out of window, completed; with due dates, windows and counts', async () => {
      const { w, ids } = await trackerWorld();
      const coach = await w.as(w.coach);
      const r = ok<Tracker>(await coach.get('/api/v1/federal-follow-up/tracker?month=2026-11'));
      expect(r).toMatchObject({ month: '2026-11', monthFrom: '2026-11-01', monthThrough: '2026-11-30', today: TODAY, target: 0.8, scope: 'caseload' });
      expect(r.rows.map((x) => [x.participantId, x.status, x.dueThisMonth])).toEqual([
        [ids.due, 'in_window', true],
        [ids.soon, 'upcoming', false],
        [ids.missed, 'out_of_window', false],
        [ids.done, 'completed', true],
      ]);
      expect(r.rows[0]).toMatchObject({ displayName: 'Ana Tracker', intakeOn: '2026-05-10', dueOn: '2026-11-10', windowFrom: '2026-10-11', windowThrough: '2027-01-09', followUpOn: null, coachUserId: w.coach.id, coachName: expect.any(String) });
      expect(r.rows[3]).toMatchObject({ followUpOn: '2026-11-01' });
      expect(r.counts).toEqual({ dueThisMonth: 2, upcoming: 1, inWindow: 1, outOfWindow: 1, completed: 1 });

      const read = (await auditEvents(t, { organizationId: w.organizationId })).filter((a) => a.details.part === 'federal_follow_up_tracker');
      expect(read).toEqual([expect.objectContaining({ action: 'participant.read', actorUserId: w.coach.id, details: { part: 'federal_follow_up_tracker', month: '2026-11' } })]);
      expect([...read[0]!.targetIds].sort()).toEqual([ids.due, ids.done, ids.missed, ids.soon].sort());
      expect(JSON.stringify(read)).not.toMatch(/Tracker/);
    });

    it('a supervisor sees the team, a program manager the organization; the month defaults to this one; a bad month is 400; a privacy officer has no tracker', async () => {
      const { w, ids } = await trackerWorld();
      const sup = ok<Tracker>(await (await w.as(w.supervisor)).get('/api/v1/federal-follow-up/tracker'));
      expect(sup).toMatchObject({ month: '2026-11', scope: 'team' });
      expect(sup.rows.map((r) => r.participantId)).not.toContain(ids.other);
      expect(sup.rows).toHaveLength(4);
      const pm = ok<Tracker>(await (await w.as(w.manager)).get('/api/v1/federal-follow-up/tracker?month=2026-11'));
      expect(pm.scope).toBe('organization');
      expect(pm.rows.find((r) => r.participantId === ids.other)).toMatchObject({ status: 'in_window', coachUserId: w.otherCoach.id });
      expect(pm.rows).toHaveLength(5);
      const december = ok<Tracker>(await (await w.as(w.manager)).get('/api/v1/federal-follow-up/tracker?month=2026-12'));
      expect(december.rows.map((r) => r.participantId)).toContain(ids.later);
      expect(december.rows.map((r) => r.participantId)).not.toContain(ids.missed);
      const bad = await (await w.as(w.manager)).get('/api/v1/federal-follow-up/tracker?month=2026-13');
      expect(bad.statusCode).toBe(400);
      expect(err(bad).fields?.map((f) => f.path)).toEqual(['query.month']);
      expect((await (await w.as(w.privacyOfficer)).get('/api/v1/federal-follow-up/tracker')).statusCode).toBe(403);
    });
  });

  it('feeds the measure: a follow-up inside the window counts (day −30 and day +60), one outside it or removed does not', async () => {
    const w = await careWorld(t);
    const client = await w.as(w.manager);
    const person = async () => {
      const id = await buildParticipant(t.db, { organizationId: w.organizationId, createdBy: w.coach.id });
      await buildEpisode(t.db, { organizationId: w.organizationId, participantId: id, createdBy: w.coach.id, programId: w.programId, siteId: w.siteA, assignedCoachUserId: w.coach.id, startDate: '2025-02-01' });
      created(await record(client, id, { kind: 'intake', conductedOn: '2025-02-10' })); // due 2025-08-10, window 07-11 … 10-09
      return id;
    };
    const [first, last, early, late, removed, none] = [await person(), await person(), await person(), await person(), await person(), await person()];
    created(await record(client, first, { kind: 'six_month_follow_up', conductedOn: '2025-07-11' })); // day −30: counts
    created(await record(client, last, { kind: 'six_month_follow_up', conductedOn: '2025-10-09' })); // day +60: counts
    created(await record(client, early, { kind: 'six_month_follow_up', conductedOn: '2025-07-10' })); // day −31
    created(await record(client, late, { kind: 'six_month_follow_up', conductedOn: '2025-10-10' })); // day +61
    const gone = created<Interview>(await record(client, removed, { kind: 'six_month_follow_up', conductedOn: '2025-08-10' }));
    ok(await client.request('DELETE', `/api/v1/federal-interviews/${gone.id}`, { version: 1 }));

    const period = { from: '2025-01-01', to: '2025-12-31' };
    const facts = await loadMeasureFacts(t.db, w.organizationId, { period, history: { moudPriorFreeDays: DEFAULTS.moud_continuity.priorFreeDays, retentionMaxDays: 180, admissionExclusionDays: 30 } });
    const r = computeFederalFollowUp(facts.people, period);
    const status = new Map(r.rows.map((x) => [x.participantId, x.status]));
    expect([first, last, early, late, removed, none].map((id) => status.get(id))).toEqual(['completed', 'completed', 'missed', 'missed', 'missed', 'missed']);
    expect(r.rate).toMatchObject({ numerator: 2, denominator: 6 });
    expect(r.meetsTarget).toBe(false);
  });
});
