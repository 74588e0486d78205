/**
 * Check-ins and their alerts through the HTTP API on a real database with a fixed clock (New
 * York): the scales refused outside their range naming the field, the list and the mood/cravings
 * trend, each alert rule on fixed dates (cravings 6 vs 7, or 4 vs 5 where the participant's program
 * sets its alert level to 5; the default without an open episode; MOUD missed at two check-ins in a row,
 * use, overdose — flagged, no life event — and a BARC-10 drop of 10 but not 9), the alert as an
 * `alert` to-do on the coach's list and a `check_in_alert` caseload signal that both clear when a
 * contact that reached the person is logged, scope, audit and the timeline.
 */
import type { z } from 'zod';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../../contracts/common.js';
import type { TimelinePage, TodoList } from '../../../contracts/care.js';
import type { Caseload } from '../../../contracts/caseload.js';
import type { Today } from '../../../contracts/outreach.js';
import type { CheckInList, CheckInTrend, CreatedCheckIn } from '../../../contracts/checkins.js';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { auditEvents } from '../../../../test/helpers/inspect.js';
import { careWorld, type CareWorld } from '../../../../test/helpers/care.js';
import { buildEpisode, buildParticipant, buildProgram, buildUser } from '../../../../test/helpers/factories.js';
import { sessionFor } from '../../../../test/helpers/sessions.js';
import { CRAVINGS_ALERT_THRESHOLD } from '../../../contracts/checkins.js';
import { checkInAlerts } from './checkins.usecases.js';

const NOW = '2026-11-27T15:00:00.000Z'; // Friday 10:00 in New York
const TODAY = '2026-11-27';
type Created = z.infer<typeof CreatedCheckIn>;

const calm = { mood: 4, cravings: 2, moudTaken: 'yes', useSinceLast: false, overdoseSinceLast: false };
const barc = (value: number, last = value) => Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`q${i + 1}`, i === 9 ? last : value]));

describe('check-ins', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
  });
  beforeEach(() => t.clock.set(NOW));
  afterAll(() => t.close());

  const err = (res: { json: <T>() => T }) => res.json<ErrorBody>().error;
  const ok = <T>(res: { statusCode: number; body: string; json: <U>() => U }, status = 200): T => {
    expect(res.statusCode, res.body).toBe(status);
    return res.json<T>();
  };
  const record = async (w: CareWorld, body: Record<string, unknown>, as = w.coach, participantId = w.participantId) =>
    (await w.as(as)).post(`/api/v1/participants/${participantId}/check-ins`, body);
  const recorded = async (w: CareWorld, body: Record<string, unknown>) => ok<Created>(await record(w, { ...calm, ...body }), 201);
  const alertTodos = async (w: CareWorld, status: 'open' | 'done' = 'open') =>
    ok<z.infer<typeof TodoList>>(await (await w.as(w.coach)).get(`/api/v1/todos?status=${status}`)).todos.filter((td) => td.kind === 'alert' && td.participantId === w.participantId);
  const caseloadFlags = async (w: CareWorld) => {
    const items = ok<z.infer<typeof Caseload>>(await (await w.as(w.coach)).get('/api/v1/caseload')).items;
    return items.find((i) => i.participantId === w.participantId)!.flags;
  };
  const reachedContact = async (w: CareWorld) =>
    ok<unknown>(
      await (await w.as(w.coach)).post(`/api/v1/participants/${w.participantId}/encounters`, {
        type: 'check_in', mode: 'phone', setting: 'telehealth', startedAt: '2026-11-27T14:30:00Z', endedAt: '2026-11-27T14:45:00Z', reached: true, sign: true,
      }),
      201,
    );

  it('records a check-in, lists it newest first and trends mood and cravings oldest first', async () => {
    const w = await careWorld(t);
    const first = await recorded(w, { checkedInOn: '2026-11-20', mood: 2, cravings: 5, goingWell: 'Kept my job', needsToday: 'A ride to the clinic' });
    expect(first).toMatchObject({ participantId: w.participantId, checkedInOn: '2026-11-20', mood: 2, cravings: 5, moudTaken: 'yes', useSinceLast: false, overdoseSinceLast: false, goingWell: 'Kept my job', needsToday: 'A ride to the clinic', alerts: [], alertTodoId: null, source: 'coach', createdBy: w.coach.id, encounterId: null });
    const second = await recorded(w, { mood: 4, cravings: 1, moudTaken: 'not_on_moud' });
    expect(second.checkedInOn).toBe(TODAY);
    expect(second.goingWell).toBeNull();

    const list = ok<z.infer<typeof CheckInList>>(await (await w.as(w.privacyOfficer)).get(`/api/v1/participants/${w.participantId}/check-ins`));
    expect(list.checkIns.map((c) => c.id)).toEqual([second.id, first.id]);
    const trend = ok<z.infer<typeof CheckInTrend>>(await (await w.as(w.supervisor)).get(`/api/v1/participants/${w.participantId}/check-in-trend`));
    expect(trend.points).toEqual([
      { checkInId: first.id, checkedInOn: '2026-11-20', mood: 2, cravings: 5 },
      { checkInId: second.id, checkedInOn: TODAY, mood: 4, cravings: 1 },
    ]);
    expect(trend.latest).toEqual({ checkedInOn: TODAY, mood: 4, cravings: 1 });

    const audits = await auditEvents(t, { action: 'check_in.create', targetId: first.id });
    expect(audits).toHaveLength(1);
    expect(JSON.stringify(audits[0]!.details)).not.toContain('Kept my job');
    // The timeline carries the numbers only, never the texts.
    const page = ok<z.infer<typeof TimelinePage>>(await (await w.as(w.coach)).get(`/api/v1/participants/${w.participantId}/timeline?kinds=checkin`));
    expect(page.items.map((i) => i.kind)).toEqual(['checkin.recorded', 'checkin.recorded']);
    expect(page.items[1]!.details).toEqual({ mood: 2, cravings: 5, checkedInOn: '2026-11-20' });
    expect(JSON.stringify(page.items)).not.toContain('ride');
  });

  it('refuses answers outside the scales, naming the field; a future date; an encounter with someone else', async () => {
    const w = await careWorld(t);
    const cases: [Record<string, unknown>, string][] = [
      [{ ...calm, mood: 0 }, 'mood'],
      [{ ...calm, mood: 6 }, 'mood'],
      [{ ...calm, mood: 3.5 }, 'mood'],
      [{ ...calm, cravings: -1 }, 'cravings'],
      [{ ...calm, cravings: 11 }, 'cravings'],
      [{ ...calm, cravings: '7' }, 'cravings'],
      [{ ...calm, moudTaken: 'sometimes' }, 'moudTaken'],
      [{ ...calm, useSinceLast: undefined }, 'useSinceLast'],
      [{ ...calm, overdoseSinceLast: 'no' }, 'overdoseSinceLast'],
      [{ ...calm, goingWell: 'x'.repeat(501) }, 'goingWell'],
      [{ ...calm, checkedInOn: '2026-11-28' }, 'checkedInOn'],
      [{ ...calm, checkedInOn: '2026-02-30' }, 'checkedInOn'],
      [{ ...calm, encounterId: 'not-an-id' }, 'encounterId'],
    ];
    for (const [body, path] of cases) {
      const res = await record(w, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(err(res).fields!.map((f) => f.path)).toContain(path);
    }
    const elsewhere = ok<{ id: string }>(
      await (await w.as(w.otherCoach)).post(`/api/v1/participants/${w.elsewhereId}/encounters`, { type: 'check_in', mode: 'phone', setting: 'telehealth', startedAt: '2026-11-27T14:30:00Z', endedAt: '2026-11-27T14:45:00Z', reached: true, sign: true }),
      201,
    );
    const res = await record(w, { ...calm, encounterId: elsewhere.id });
    expect(res.statusCode).toBe(400);
    expect(err(res).fields!.map((f) => f.path)).toEqual(['encounterId']);
    expect(await t.db.selectFrom('check_ins').select('id').where('participant_id', '=', w.participantId).execute()).toEqual([]);
  });

  it('scope: a coach elsewhere cannot record or read; a privacy officer reads but does not record', async () => {
    const w = await careWorld(t);
    expect((await record(w, calm, w.otherCoach)).statusCode).toBe(403);
    expect((await (await w.as(w.otherCoach)).get(`/api/v1/participants/${w.participantId}/check-ins`)).statusCode).toBe(403);
    expect((await record(w, calm, w.privacyOfficer)).statusCode).toBe(403);
    expect((await record(w, calm, w.manager)).statusCode).toBe(201);
  });

  describe('alerts', () => {
    it('the rules on their own: cravings 6 vs 7 (or 4 vs 5 at a level of 5), MOUD missed twice in a row, use, overdose', () => {
      const base = { cravings: 0, moudTaken: 'yes' as const, useSinceLast: false, overdoseSinceLast: false };
      const level = CRAVINGS_ALERT_THRESHOLD;
      expect(level).toBe(7);
      expect(checkInAlerts({ ...base, cravings: 6 }, undefined, level)).toEqual([]);
      expect(checkInAlerts({ ...base, cravings: 7 }, undefined, level)).toEqual(['high_cravings']);
      expect(checkInAlerts({ ...base, cravings: 10 }, undefined, level)).toEqual(['high_cravings']);
      expect(checkInAlerts({ ...base, cravings: 4 }, undefined, 5)).toEqual([]);
      expect(checkInAlerts({ ...base, cravings: 5 }, undefined, 5)).toEqual(['high_cravings']);
      expect(checkInAlerts({ ...base, cravings: 9 }, undefined, 10)).toEqual([]);
      expect(checkInAlerts({ ...base, cravings: 10 }, undefined, 10)).toEqual(['high_cravings']);
      expect(checkInAlerts({ ...base, cravings: 0 }, undefined, 1)).toEqual([]);
      expect(checkInAlerts({ ...base, cravings: 1 }, undefined, 1)).toEqual(['high_cravings']);
      expect(checkInAlerts({ ...base, moudTaken: 'no' }, undefined, level)).toEqual([]);
      expect(checkInAlerts({ ...base, moudTaken: 'no' }, { moudTaken: 'yes' }, level)).toEqual([]);
      expect(checkInAlerts({ ...base, moudTaken: 'no' }, { moudTaken: 'not_on_moud' }, level)).toEqual([]);
      expect(checkInAlerts({ ...base, moudTaken: 'no' }, { moudTaken: 'no' }, level)).toEqual(['missed_moud_twice']);
      expect(checkInAlerts({ ...base, useSinceLast: true, overdoseSinceLast: true, cravings: 8 }, undefined, level)).toEqual(['high_cravings', 'use_reported', 'overdose_reported']);
    });

    describe("the program's cravings alert level", () => {
      /** Set the program's level as an admin would, through the API. */
      const setLevel = async (w: CareWorld, programId: string, cravingsAlertThreshold: number) => {
        const admin = await buildUser(t.db, { organizationId: w.organizationId, roles: ['admin'] });
        const client = (await sessionFor(t, admin)).client;
        const program = ok<{ version: number }>(await client.get(`/api/v1/programs/${programId}`));
        ok<unknown>(await client.patch(`/api/v1/programs/${programId}`, { version: program.version, cravingsAlertThreshold }));
      };

      it('at a level of 5: cravings at 5 raise an alert, at 4 do not; the words stay "cravings at N of 10"', async () => {
        const w = await careWorld(t);
        await setLevel(w, w.programId, 5);
        const four = await recorded(w, { checkedInOn: '2026-11-26', cravings: 4 });
        expect(four).toMatchObject({ alerts: [], alertTodoId: null, cravingsAlertThreshold: 5 });
        expect(await alertTodos(w)).toEqual([]);

        const five = await recorded(w, { cravings: 5 });
        expect(five).toMatchObject({ alerts: ['high_cravings'], cravingsAlertThreshold: 5 });
        const [todo] = await alertTodos(w);
        expect(todo).toMatchObject({ id: five.alertTodoId, dueOn: TODAY, severity: 'high', clearsOn: 'contact_reached' });
        expect(todo!.title).toBe('Reach out: cravings at 5 of 10');
        expect((await caseloadFlags(w)).map((f) => f.key)).toContain('check_in_alert');

        // Each check-in keeps the level it was judged by, after the program changes its level.
        await setLevel(w, w.programId, 8);
        const list = ok<z.infer<typeof CheckInList>>(await (await w.as(w.coach)).get(`/api/v1/participants/${w.participantId}/check-ins`));
        expect(list.checkIns.map((c) => [c.cravings, c.alerts, c.cravingsAlertThreshold])).toEqual([
          [5, ['high_cravings'], 5],
          [4, [], 5],
        ]);
        expect(await recorded(w, { cravings: 7 })).toMatchObject({ alerts: [], cravingsAlertThreshold: 8 });
      });

      it('a level of 9 raises nothing at 7 or 8', async () => {
        const w = await careWorld(t);
        await setLevel(w, w.programId, 9);
        expect(await recorded(w, { checkedInOn: '2026-11-25', cravings: 7 })).toMatchObject({ alerts: [], cravingsAlertThreshold: 9 });
        expect(await recorded(w, { checkedInOn: '2026-11-26', cravings: 8 })).toMatchObject({ alerts: [], cravingsAlertThreshold: 9 });
        expect((await recorded(w, { cravings: 9 })).alerts).toEqual(['high_cravings']);
      });

      it('the default 7 applies without an open episode, and a program never changed keeps 7', async () => {
        const w = await careWorld(t);
        // Untouched program: 6 no, 7 yes.
        expect(await recorded(w, { checkedInOn: '2026-11-26', cravings: 6 })).toMatchObject({ alerts: [], cravingsAlertThreshold: 7 });
        expect((await recorded(w, { cravings: 7 })).alerts).toEqual(['high_cravings']);

        // Someone with no episode at all: the default, whatever other programs say.
        await setLevel(w, w.programId, 3);
        const unenrolled = await buildParticipant(t.db, { organizationId: w.organizationId, createdBy: w.manager.id });
        const recordFor = async (participantId: string, cravings: number, checkedInOn: string) => ok<Created>(await record(w, { ...calm, cravings, checkedInOn }, w.manager, participantId), 201);
        expect(await recordFor(unenrolled, 6, '2026-11-26')).toMatchObject({ alerts: [], cravingsAlertThreshold: 7 });
        expect((await recordFor(unenrolled, 7, TODAY)).alerts).toEqual(['high_cravings']);

        // A discharged episode's program no longer applies; the newest open episode's program does.
        const moved = await buildParticipant(t.db, { organizationId: w.organizationId, createdBy: w.manager.id });
        const old = await buildEpisode(t.db, { organizationId: w.organizationId, participantId: moved, createdBy: w.manager.id, programId: w.programId, siteId: w.siteA, startDate: '2026-01-05' });
        await t.db.updateTable('episodes').set({ status: 'discharged', discharge_date: '2026-06-01' }).where('id', '=', old.id).execute();
        expect((await recordFor(moved, 4, '2026-11-20')).cravingsAlertThreshold).toBe(7);
        const strict = await buildProgram(t.db, w.organizationId);
        await setLevel(w, strict, 4);
        await buildEpisode(t.db, { organizationId: w.organizationId, participantId: moved, createdBy: w.manager.id, programId: strict, siteId: w.siteA, startDate: '2026-11-01' });
        expect(await recordFor(moved, 4, '2026-11-21')).toMatchObject({ alerts: ['high_cravings'], cravingsAlertThreshold: 4 });
      });
    });

    it('cravings at 7 put an alert to-do on the coach’s list and the caseload; a reached contact clears both', async () => {
      const w = await careWorld(t);
      expect((await recorded(w, { cravings: 6 })).alerts).toEqual([]);
      expect(await alertTodos(w)).toEqual([]);
      expect((await caseloadFlags(w)).map((f) => f.key)).not.toContain('check_in_alert');

      const high = await recorded(w, { cravings: 7 });
      expect(high.alerts).toEqual(['high_cravings']);
      const [todo] = await alertTodos(w);
      expect(todo).toMatchObject({ id: high.alertTodoId, kind: 'alert', ownerUserId: w.coach.id, dueOn: TODAY, severity: 'high', clearsOn: 'contact_reached', source: { type: 'check_in', id: high.id }, status: 'open' });
      expect(todo!.title).toBe('Reach out: cravings at 7 of 10');
      const flag = (await caseloadFlags(w)).find((f) => f.key === 'check_in_alert');
      expect(flag).toEqual({ key: 'check_in_alert', detail: { count: 1, since: TODAY, daysAgo: 0 } });
      const today = ok<z.infer<typeof Today>>(await (await w.as(w.coach)).get('/api/v1/today'));
      expect(today.items.filter((i) => i.kind === 'alert').map((i) => i.todoId)).toEqual([high.alertTodoId]);

      await reachedContact(w);
      expect(await alertTodos(w)).toEqual([]);
      expect((await alertTodos(w, 'done')).map((d) => [d.id, d.resolution])).toEqual([[high.alertTodoId, 'contact_reached']]);
      expect((await caseloadFlags(w)).map((f) => f.key)).not.toContain('check_in_alert');
    });

    it('the alert goes on the assigned coach’s list when a supervisor records the check-in', async () => {
      const w = await careWorld(t);
      const res = ok<Created>(await record(w, { ...calm, useSinceLast: true }, w.supervisor), 201);
      expect(res.alerts).toEqual(['use_reported']);
      expect((await alertTodos(w)).map((d) => d.ownerUserId)).toEqual([w.coach.id]);
    });

    it('MOUD not taken as planned at two check-ins in a row (by date), not at two apart', async () => {
      const w = await careWorld(t);
      expect((await recorded(w, { checkedInOn: '2026-11-10', moudTaken: 'no' })).alerts).toEqual([]);
      expect((await recorded(w, { checkedInOn: '2026-11-13', moudTaken: 'yes' })).alerts).toEqual([]);
      expect((await recorded(w, { checkedInOn: '2026-11-20', moudTaken: 'no' })).alerts).toEqual([]);
      const second = await recorded(w, { checkedInOn: '2026-11-24', moudTaken: 'no' });
      expect(second.alerts).toEqual(['missed_moud_twice']);
      const [todo] = await alertTodos(w);
      expect(todo!.title).toBe('Reach out: medication not taken as planned at two check-ins in a row');
      // A check-in entered late, dated before the others, compares with the one before its own date.
      expect((await recorded(w, { checkedInOn: '2026-11-11', moudTaken: 'no' })).alerts).toEqual(['missed_moud_twice']);
    });

    it('use and an overdose since the last check-in: an urgent alert; the overdose is flagged, no life event is made', async () => {
      const w = await careWorld(t);
      const c = await recorded(w, { useSinceLast: true, overdoseSinceLast: true });
      expect(c.alerts).toEqual(['use_reported', 'overdose_reported']);
      const [todo] = await alertTodos(w);
      expect(todo).toMatchObject({ severity: 'urgent', title: 'Reach out: use since the last check-in; an overdose since the last check-in' });
      expect(await t.db.selectFrom('life_events').select('id').where('participant_id', '=', w.participantId).execute()).toEqual([]);
    });

    it('a BARC-10 total 10 points below the previous one raises an alert; 9 points does not', async () => {
      const w = await careWorld(t);
      const answer = async (answers: Record<string, number>, answeredOn: string) =>
        ok<{ score: number }>(await (await w.as(w.coach)).post(`/api/v1/participants/${w.participantId}/questionnaire-responses`, { key: 'barc10', version: 1, answers, answeredOn }), 201);
      expect((await answer(barc(5), '2026-10-01')).score).toBe(50);
      expect((await answer(barc(4, 5), '2026-10-15')).score).toBe(41); // 9 down
      expect(await alertTodos(w)).toEqual([]);
      expect((await answer(barc(5), '2026-11-01')).score).toBe(50);
      expect((await answer(barc(4), '2026-11-20')).score).toBe(40); // 10 down
      const todos = await alertTodos(w);
      expect(todos.map((d) => [d.title, d.source?.type, d.clearsOn])).toEqual([['Reach out: BARC-10 total down 10 points', 'questionnaire_response', 'contact_reached']]);
      expect((await caseloadFlags(w)).map((f) => f.key)).toContain('check_in_alert');
    });
  });
});
