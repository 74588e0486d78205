/**
 * Outreach through the HTTP API on a real database, with a fixed clock (New York): contact
 * cadence, the unreachable rule at its boundaries, the coach's decision and its re-engagement
 * to-dos, the today list's order, and the supervisor view's aggregates and scope.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { Insertable } from 'kysely';
import type { Database } from '../../platform/db/tables.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../../contracts/common.js';
import type { Cadence, EpisodeOutreach, MarkUnreachableResult, TeamOutreach, Today } from '../../../contracts/outreach.js';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { auditEvents } from '../../../../test/helpers/inspect.js';
import { careWorld, lifeEventRow, todoRow, type CareWorld } from '../../../../test/helpers/care.js';
import { encounterRow } from '../../../../test/helpers/outreach.js';
import { buildEpisode, buildParticipant, buildUser } from '../../../../test/helpers/factories.js';
import { contactDue } from '../caseload/signals.js';
import { startOfLocalDay } from '../care/local-time.js';

const zonedStart = (date: string) => startOfLocalDay(date, 'America/New_York').toISOString();

const NOW = '2026-11-27T15:00:00.000Z'; // Friday 10:00 in New York
const TODAY = '2026-11-27';

describe('outreach', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
  });
  beforeEach(() => t.clock.set(NOW));
  afterAll(() => t.close());

  const err = (res: { json: <T>() => T }) => res.json<ErrorBody>().error;
  const ok = <T>(res: { statusCode: number; body: string; json: <U>() => U }): T => {
    expect(res.statusCode, res.body).toBe(200);
    return res.json<T>();
  };
  /** 10:00 in New York, `n` days before today. */
  const daysAgo = (n: number, time = '15:00:00.000Z') => `${new Date(Date.parse(`${TODAY}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10)}T${time}`;
  const attempt = (w: CareWorld, at: string, mode = 'phone', o: { participantId?: string; reached?: boolean; type?: string; author?: string; deleted?: boolean } = {}) =>
    encounterRow(t.db, {
      organizationId: w.organizationId,
      participantId: o.participantId ?? w.participantId,
      authorUserId: o.author ?? w.coach.id,
      startedAt: at,
      mode,
      ...(o.reached !== undefined && { reached: o.reached }),
      ...(o.type && { type: o.type }),
      ...(o.deleted && { deleted: true }),
    });
  const outreach = async (w: CareWorld, episodeId = w.episodeId) => ok<z.infer<typeof EpisodeOutreach>>(await (await w.as(w.coach)).get(`/api/v1/episodes/${episodeId}/outreach`));
  const contactable = (w: CareWorld, values: Record<string, unknown> = { phone: '555-0100', ok_text: 1 }) =>
    t.db.updateTable('participants').set(values).where('id', '=', w.participantId).execute();

  describe('contact cadence', () => {
    it('is the program’s unless the episode has its own (1 to 90 days, or null), with the due date in local dates', async () => {
      const w = await careWorld(t);
      const client = await w.as(w.coach);
      await t.db.updateTable('episodes').set({ last_contact_at: '2026-11-20T04:30:00.000Z' }).where('id', '=', w.episodeId).execute(); // the 19th in New York
      const before = await outreach(w);
      expect(before.cadence).toMatchObject({ cadenceDays: null, programCadenceDays: 7, effectiveCadenceDays: 7, dueOn: '2026-11-26', daysOverdue: 1, version: 1 });

      const res = await client.patch(`/api/v1/episodes/${w.episodeId}/cadence`, { cadenceDays: 14, version: 1 });
      expect(ok<z.infer<typeof Cadence>>(res)).toMatchObject({ cadenceDays: 14, effectiveCadenceDays: 14, dueOn: '2026-12-03', daysOverdue: -6, version: 2 });
      expect(await auditEvents(t, { action: 'episode.cadence', organizationId: w.organizationId })).toEqual([
        expect.objectContaining({ actorUserId: w.coach.id, targetType: 'episode', targetIds: [w.episodeId, w.participantId], details: { cadenceDays: 14 } }),
      ]);

      // Back to the program's.
      expect(ok<z.infer<typeof Cadence>>(await client.patch(`/api/v1/episodes/${w.episodeId}/cadence`, { cadenceDays: null, version: 2 }))).toMatchObject({ cadenceDays: null, effectiveCadenceDays: 7, version: 3 });
    });

    it('refuses 0, 91, a fraction or a stale version (409 with the current cadence), and a discharged episode', async () => {
      const w = await careWorld(t);
      const client = await w.as(w.coach);
      for (const cadenceDays of [0, 91, 2.5, '7']) {
        const res = await client.patch(`/api/v1/episodes/${w.episodeId}/cadence`, { cadenceDays, version: 1 });
        expect(res.statusCode, String(cadenceDays)).toBe(400);
        expect(err(res).fields?.map((f) => f.path)).toEqual(['cadenceDays']);
      }
      expect((await client.patch(`/api/v1/episodes/${w.episodeId}/cadence`, { cadenceDays: 10, version: 1 })).statusCode).toBe(200);
      const stale = await client.patch(`/api/v1/episodes/${w.episodeId}/cadence`, { cadenceDays: 20, version: 1 });
      expect(stale.statusCode).toBe(409);
      expect(err(stale)).toMatchObject({ code: 'record.conflict', details: { current: { cadenceDays: 10, version: 2 } } });

      await t.db.updateTable('episodes').set({ status: 'discharged', discharge_date: TODAY, discharge_reason: 'goals_met' }).where('id', '=', w.episodeId).execute();
      // A discharged episode is out of the coach's scope (403); a program manager sees it, and is refused.
      expect((await client.patch(`/api/v1/episodes/${w.episodeId}/cadence`, { cadenceDays: 20, version: 2 })).statusCode).toBe(403);
      const closed = await (await w.as(w.manager)).patch(`/api/v1/episodes/${w.episodeId}/cadence`, { cadenceDays: 20, version: 2 });
      expect(closed.statusCode).toBe(409);
      expect(err(closed).code).toBe('episode.discharged');
    });

    it('another coach’s participant: 403; the supervisor of the team and a program manager may change it', async () => {
      const w = await careWorld(t);
      const res = await (await w.as(w.otherCoach)).patch(`/api/v1/episodes/${w.episodeId}/cadence`, { cadenceDays: 3, version: 1 });
      expect(res.statusCode).toBe(403);
      expect(err(res).code).toBe('participant.out_of_scope');
      expect((await (await w.as(w.supervisor)).patch(`/api/v1/episodes/${w.episodeId}/cadence`, { cadenceDays: 3, version: 1 })).statusCode).toBe(200);
      expect((await (await w.as(w.manager)).patch(`/api/v1/episodes/${w.episodeId}/cadence`, { cadenceDays: 4, version: 2 })).statusCode).toBe(200);
    });
  });

  describe('the unreachable rule (default: 3 failed attempts over 2 channels within 14 days)', () => {
    it('2 attempts: no; the 3rd: yes — with the channels tried and not yet tried', async () => {
      const w = await careWorld(t);
      await contactable(w);
      await attempt(w, daysAgo(5), 'phone');
      await attempt(w, daysAgo(3), 'text');
      const two = await outreach(w);
      expect(two).toMatchObject({ proposeUnreachable: false, rule: { attempts: 3, channels: 2, days: 14 }, since: '2026-11-14', channelsTried: ['phone', 'text'], channelsNotTried: ['in_person'] });
      await attempt(w, daysAgo(1), 'phone');
      const three = await outreach(w);
      expect(three.proposeUnreachable).toBe(true);
      expect(three.attempts.map((a) => [a.mode, a.outcome])).toEqual([['phone', 'no_answer'], ['text', 'no_answer'], ['phone', 'no_answer']]);
      expect(three.attempts[0]!.startedAt).toBe(daysAgo(1));
    });

    it('3 attempts on one channel: no; a second channel: yes', async () => {
      const w = await careWorld(t);
      for (const n of [6, 4, 2]) await attempt(w, daysAgo(n), 'phone');
      expect((await outreach(w)).proposeUnreachable).toBe(false);
      await attempt(w, daysAgo(1), 'in_person');
      expect((await outreach(w)).proposeUnreachable).toBe(true);
    });

    it('counts the 14 local days through today: the 14th (00:00 New York) counts, the 13th at 23:59 does not', async () => {
      const w = await careWorld(t);
      await attempt(w, '2026-11-14T04:59:00.000Z', 'email'); // 23:59 on the 13th in New York
      await attempt(w, daysAgo(2), 'phone');
      await attempt(w, daysAgo(1), 'text');
      const out = await outreach(w);
      expect(out.attempts.length).toBe(2);
      expect(out.proposeUnreachable).toBe(false);
      await attempt(w, '2026-11-14T05:00:00.000Z', 'email'); // midnight: the 14th
      expect((await outreach(w)).proposeUnreachable).toBe(true);
    });

    it('a successful contact since resets the count; deleted encounters never count; the rule is the program’s', async () => {
      const w = await careWorld(t);
      for (const [n, mode] of [[8, 'phone'], [7, 'text'], [6, 'phone']] as const) await attempt(w, daysAgo(n), mode);
      await attempt(w, daysAgo(5), 'in_person', { reached: true });
      await attempt(w, daysAgo(3), 'phone');
      await attempt(w, daysAgo(2), 'text');
      await attempt(w, daysAgo(1), 'email', { deleted: true });
      const out = await outreach(w);
      expect(out).toMatchObject({ proposeUnreachable: false, lastSuccessfulContactAt: daysAgo(5), channelsTried: ['phone', 'text'] });
      expect(out.attempts.length).toBe(2);
      await t.db.updateTable('programs').set({ unreachable_attempts: 2 }).where('id', '=', w.programId).execute();
      expect((await outreach(w)).proposeUnreachable).toBe(true);
    });

    it('channels not yet tried: the emergency contact when there is one, the treatment provider only with a disclosure consent in force; none when "do not contact"', async () => {
      const w = await careWorld(t);
      await contactable(w, { phone: '555-0100', ok_text: 0, email: 'r@example.org', emergency_contact_name: 'Marisol', emergency_contact_phone: '555-0111' });
      await attempt(w, daysAgo(1), 'phone');
      expect((await outreach(w)).channelsNotTried).toEqual(['email', 'in_person', 'emergency_contact']);
      const consent = {
        id: randomUUID(),
        organization_id: w.organizationId,
        participant_id: w.participantId,
        kind: 'disclosure_specific',
        discloser: 'Harbor Light',
        categories: '["demographics_contact"]',
        recipients: '[{"kind":"named","name":"Bay Clinic"}]',
        purposes: '["treatment"]',
        expires_on: '2026-11-26',
        expiration_event: null,
        right_to_revoke_explained: 1 as const,
        redisclosure_statement_given: 1 as const,
        refusal_consequences_explained: 1 as const,
        form_language: 'en',
        signed_on: '2026-10-01',
        revoked_at: null,
        revoked_on: null,
        revocation_method: null,
        revocation_note: null,
        revoked_by: null,
        created_by: w.coach.id,
        created_at: NOW,
        updated_at: NOW,
      };
      await insertConsent(consent);
      expect((await outreach(w)).channelsNotTried).not.toContain('treatment_provider'); // expired yesterday
      await insertConsent({ ...consent, id: randomUUID(), expires_on: '2027-05-01' });
      expect((await outreach(w)).channelsNotTried).toEqual(['email', 'in_person', 'emergency_contact', 'treatment_provider']);
      await contactable(w, { do_not_contact: 1 });
      const dnc = await outreach(w);
      expect(dnc.channelsNotTried).toEqual([]);
      expect(dnc.contact.doNotContact).toBe(true);
    });

    const insertConsent = (c: Insertable<Database['consents']>) => t.db.insertInto('consents').values(c).execute();

    it('is audited as a read of the participant; another organization’s episode is 404, another coach’s 403', async () => {
      const w = await careWorld(t);
      await outreach(w);
      expect(await auditEvents(t, { action: 'participant.read', organizationId: w.organizationId })).toEqual([
        expect.objectContaining({ actorUserId: w.coach.id, targetIds: [w.participantId], details: { part: 'outreach' } }),
      ]);
      expect((await (await w.as(w.otherCoach)).get(`/api/v1/episodes/${w.episodeId}/outreach`)).statusCode).toBe(403);
      const other = await careWorld(t);
      expect((await (await w.as(w.coach)).get(`/api/v1/episodes/${other.episodeId}/outreach`)).statusCode).toBe(404);
    });
  });

  describe('marking unreachable', () => {
    it('the coach’s decision: status unreachable with the reason, a status event, re-engagement to-dos at +30 and +60 days', async () => {
      const w = await careWorld(t);
      await contactable(w, { contact_window_start: '17:00', contact_window_end: '19:00' });
      const res = await (await w.as(w.coach)).post(`/api/v1/episodes/${w.episodeId}/unreachable`, { reason: 'Phone, text and a home visit since the 10th', version: 1 });
      const body = ok<z.infer<typeof MarkUnreachableResult>>(res);
      expect(body).toMatchObject({ status: 'unreachable', unreachableReason: 'Phone, text and a home visit since the 10th', version: 2 });
      expect(body.reEngagement.map((r) => r.dueOn)).toEqual(['2026-12-27', '2027-01-26']);

      const episode = await t.db.selectFrom('episodes').selectAll().where('id', '=', w.episodeId).executeTakeFirstOrThrow();
      expect(episode).toMatchObject({ status: 'unreachable', unreachable_reason: 'Phone, text and a home visit since the 10th' });
      const events = await t.db.selectFrom('episode_events').selectAll().where('episode_id', '=', w.episodeId).execute();
      expect(events).toEqual([expect.objectContaining({ kind: 'status', from_value: 'active', to_value: 'unreachable', reason: 'Phone, text and a home visit since the 10th', actor_user_id: w.coach.id })]);
      const todos = await t.db.selectFrom('todos').selectAll().where('participant_id', '=', w.participantId).orderBy('due_on').execute();
      expect(todos.map((td) => [td.kind, td.owner_user_id, td.due_on, td.due_time, td.clears_on, td.source_type, td.source_id])).toEqual([
        ['re_engagement', w.coach.id, '2026-12-27', '17:00', 'contact_reached', 'episode', w.episodeId],
        ['re_engagement', w.coach.id, '2027-01-26', '17:00', 'contact_reached', 'episode', w.episodeId],
      ]);
      // 17:00 in New York (EST) on the 27th of December.
      expect(todos[0]!.due_at).toBe('2026-12-27T22:00:00.000Z');
      const audit = await auditEvents(t, { action: 'episode.unreachable', organizationId: w.organizationId });
      expect(audit).toEqual([expect.objectContaining({ targetIds: [w.episodeId, w.participantId], details: { from: 'active' } })]);
      expect(JSON.stringify(audit)).not.toContain('home visit');

      // Once unreachable, no more proposal, and a second decision is a conflict.
      const after = await outreach(w);
      expect(after).toMatchObject({ status: 'unreachable', proposeUnreachable: false, unreachableReason: 'Phone, text and a home visit since the 10th' });
      const again = await (await w.as(w.coach)).post(`/api/v1/episodes/${w.episodeId}/unreachable`, { reason: 'Again', version: 2 });
      expect(again.statusCode).toBe(409);
      expect(err(again)).toMatchObject({ code: 'record.conflict', details: { current: { status: 'unreachable', version: 2 } } });
    });

    it('refuses a missing reason, a stale version and a discharged episode; the supervisor may decide, for the coach’s list', async () => {
      const w = await careWorld(t);
      const client = await w.as(w.coach);
      const blank = await client.post(`/api/v1/episodes/${w.episodeId}/unreachable`, { reason: '   ', version: 1 });
      expect(blank.statusCode).toBe(400);
      expect(err(blank).fields?.map((f) => f.path)).toEqual(['reason']);
      const stale = await client.post(`/api/v1/episodes/${w.episodeId}/unreachable`, { reason: 'No answer', version: 7 });
      expect(stale.statusCode).toBe(409);
      expect(await t.db.selectFrom('todos').select('id').where('participant_id', '=', w.participantId).execute()).toEqual([]);

      expect((await (await w.as(w.supervisor)).post(`/api/v1/episodes/${w.episodeId}/unreachable`, { reason: 'No answer', version: 1 })).statusCode).toBe(200);
      const owners = await t.db.selectFrom('todos').select('owner_user_id').where('participant_id', '=', w.participantId).execute();
      expect(owners.map((o) => o.owner_user_id)).toEqual([w.coach.id, w.coach.id]);

      const pid = await buildParticipant(t.db, { organizationId: w.organizationId, createdBy: w.coach.id });
      const e = await buildEpisode(t.db, { organizationId: w.organizationId, participantId: pid, createdBy: w.coach.id, programId: w.programId, siteId: w.siteA, assignedCoachUserId: w.coach.id });
      await t.db.updateTable('episodes').set({ status: 'discharged', discharge_date: TODAY, discharge_reason: 'goals_met' }).where('id', '=', e.id).execute();
      const closed = await (await w.as(w.manager)).post(`/api/v1/episodes/${e.id}/unreachable`, { reason: 'No answer', version: 1 });
      expect(closed.statusCode).toBe(409);
      expect(err(closed).code).toBe('episode.discharged');
    });
  });

  describe('today', () => {
    it('every open to-do of mine due today or before, overdue first, then most severe, then soonest; with how to reach each person', async () => {
      const w = await careWorld(t);
      await contactable(w, { phone: '555-0100', ok_text: 1, ok_voicemail: 0, preferred_contact_method: 'text', contact_window_start: '17:00', contact_window_end: '20:00' });
      const base = { organizationId: w.organizationId, ownerUserId: w.coach.id, participantId: w.participantId };
      const todayNoTime = await todoRow(t.db, { ...base, dueOn: TODAY, dueAt: '2026-11-28T05:00:00.000Z', severity: 'high' });
      const todayNine = await todoRow(t.db, { ...base, dueOn: TODAY, dueTime: '09:00', dueAt: '2026-11-27T14:00:00.000Z', severity: 'urgent' });
      const todayNoon = await todoRow(t.db, { ...base, dueOn: TODAY, dueTime: '12:00', dueAt: '2026-11-27T17:00:00.000Z', severity: 'urgent' });
      const yesterday = await todoRow(t.db, { ...base, dueOn: '2026-11-26', dueAt: '2026-11-27T05:00:00.000Z', severity: 'normal', kind: 'outreach' });
      const threeDays = await todoRow(t.db, { ...base, dueOn: '2026-11-24', dueAt: '2026-11-25T05:00:00.000Z', severity: 'low' });
      const threeDaysUrgent = await todoRow(t.db, { ...base, dueOn: '2026-11-24', dueAt: '2026-11-25T05:00:00.000Z', severity: 'urgent' });
      const tomorrow = await todoRow(t.db, { ...base, dueOn: '2026-11-28', dueAt: '2026-11-29T05:00:00.000Z' });
      const inAWeek = await todoRow(t.db, { ...base, dueOn: '2026-12-04', dueTime: '10:00', dueAt: '2026-12-04T15:00:00.000Z' });
      await todoRow(t.db, { ...base, dueOn: '2026-12-05', dueAt: '2026-12-06T05:00:00.000Z' }); // 8 days ahead: beyond "coming up"
      await todoRow(t.db, { ...base, ownerUserId: w.supervisor.id, dueOn: TODAY, dueAt: '2026-11-28T05:00:00.000Z' }); // someone else's
      const done = await todoRow(t.db, { ...base, dueOn: '2026-11-20', dueAt: '2026-11-21T05:00:00.000Z' });
      await t.db.updateTable('todos').set({ status: 'done' }).where('id', '=', done).execute();
      // A to-do about someone no longer on the coach's caseload: listed, without their name or contact rules.
      const elsewhere = await todoRow(t.db, { ...base, participantId: w.elsewhereId, dueOn: TODAY, dueAt: '2026-11-28T05:00:00.000Z', severity: 'low' });

      const body = ok<z.infer<typeof Today>>(await (await w.as(w.coach)).get('/api/v1/today'));
      expect(body.today).toBe(TODAY);
      expect(body.items.map((i) => i.todoId)).toEqual([threeDaysUrgent, todayNine, yesterday, threeDays, todayNoon, todayNoTime, elsewhere]);
      expect(body.items.map((i) => [i.overdue, i.daysOverdue])).toEqual([[true, 3], [true, 0], [true, 1], [true, 3], [false, 0], [false, 0], [false, 0]]);
      expect(body.counts).toEqual({ total: 7, overdue: 4, dueToday: 3 });
      expect(body.truncated).toBe(false);
      // Coming up: the next 7 days, soonest first (a new follow-up plan shows here).
      expect(body.upcoming.map((i) => [i.todoId, i.dueOn, i.overdue])).toEqual([[tomorrow, '2026-11-28', false], [inAWeek, '2026-12-04', false]]);
      expect(body.items[2]).toMatchObject({ kind: 'outreach', participantId: w.participantId, participantName: expect.stringMatching(/^Rosa Test/) });
      expect(body.items[0]!.contact).toEqual({ doNotContact: false, okVoicemail: false, okText: true, preferredMethod: 'text', windowStart: '17:00', windowEnd: '20:00', safeTimes: null });
      expect(body.items[6]).toMatchObject({ participantId: w.elsewhereId, participantName: null, contact: null });

      const audit = await auditEvents(t, { action: 'participant.read', organizationId: w.organizationId });
      expect(audit).toEqual([expect.objectContaining({ actorUserId: w.coach.id, targetIds: [w.participantId], details: { part: 'today' } })]);
    });

    it('turns at local midnight; a supervisor gets their own list; a program manager has none (403)', async () => {
      const w = await careWorld(t);
      await todoRow(t.db, { organizationId: w.organizationId, ownerUserId: w.coach.id, participantId: w.participantId, dueOn: '2026-11-28', dueAt: '2026-11-29T05:00:00.000Z' });
      await todoRow(t.db, { organizationId: w.organizationId, ownerUserId: w.supervisor.id, participantId: w.participantId, dueOn: TODAY, dueAt: '2026-11-28T05:00:00.000Z' });
      t.clock.set('2026-11-28T04:59:00.000Z'); // 23:59 on the 27th
      expect(ok<z.infer<typeof Today>>(await (await w.as(w.coach)).get('/api/v1/today')).items).toEqual([]);
      t.clock.set('2026-11-28T05:00:00.000Z');
      expect(ok<z.infer<typeof Today>>(await (await w.as(w.coach)).get('/api/v1/today')).counts).toEqual({ total: 1, overdue: 0, dueToday: 1 });
      const sup = ok<z.infer<typeof Today>>(await (await w.as(w.supervisor)).get('/api/v1/today'));
      expect(sup.items.map((i) => [i.dueOn, i.overdue, i.daysOverdue])).toEqual([[TODAY, true, 1]]);
      expect((await (await w.as(w.manager)).get('/api/v1/today')).statusCode).toBe(403);
    });
  });

  describe('the supervisor view', () => {
    it('per coach: open episodes, overdue, attempts and successful contacts over 30 days, people at risk after an ED visit', async () => {
      const w = await careWorld(t);
      const person = async () => {
        const id = await buildParticipant(t.db, { organizationId: w.organizationId, createdBy: w.coach.id });
        const e = await buildEpisode(t.db, { organizationId: w.organizationId, participantId: id, createdBy: w.coach.id, programId: w.programId, siteId: w.siteA, assignedCoachUserId: w.coach.id, startDate: '2026-11-25' });
        return { id, episodeId: e.id };
      };
      // w.participantId started 2026-11-01 with no contact: overdue. The others started the 25th: not yet due.
      const edFourteen = await person(); // bedside 14 days ago, nothing since: at risk
      await attempt(w, daysAgo(14), 'in_person', { participantId: edFourteen.id, reached: true, type: 'ed_bedside' });
      const edThirteen = await person(); // 13 days: not yet
      await attempt(w, daysAgo(13), 'in_person', { participantId: edThirteen.id, reached: true, type: 'ed_bedside' });
      const visitReached = await person(); // an ED visit 20 days ago, then a call that reached them
      await lifeEventRow(t.db, { organizationId: w.organizationId, participantId: visitReached.id, createdBy: w.coach.id, kind: 'ed_visit', occurredOn: '2026-11-07' });
      await attempt(w, daysAgo(10), 'phone', { participantId: visitReached.id, reached: true });
      const visitOnly = await person(); // an ED visit 20 days ago, then only failed attempts: at risk
      await lifeEventRow(t.db, { organizationId: w.organizationId, participantId: visitOnly.id, createdBy: w.coach.id, kind: 'ed_visit', occurredOn: '2026-11-07' });
      await attempt(w, daysAgo(9), 'phone', { participantId: visitOnly.id });
      await attempt(w, daysAgo(31), 'phone'); // outside the 30 days
      await attempt(w, daysAgo(2), 'phone', { deleted: true }); // a tombstone
      // The other coach (another team): an attempt of theirs.
      await attempt(w, daysAgo(1), 'phone', { participantId: w.elsewhereId, author: w.otherCoach.id, reached: true });

      const team = ok<z.infer<typeof TeamOutreach>>(await (await w.as(w.supervisor)).get('/api/v1/team/outreach'));
      expect(team).toMatchObject({ scope: 'team', today: TODAY, windowDays: 30, atRiskDays: 14 });
      expect(team.coaches).toEqual([{ coachUserId: w.coach.id, coachName: expect.any(String), openEpisodes: 5, overdue: 1, attempts: 4, successfulContacts: 3, atRisk: 2 }]);
      expect(team.atRisk!.map((a) => [a.participantId, a.daysSinceEd])).toEqual([
        [visitOnly.id, 20],
        [edFourteen.id, 14],
      ]);
      expect(team.atRisk![0]).toMatchObject({ displayName: expect.stringMatching(/^Rosa Test/), coachUserId: w.coach.id, lastSuccessfulContactAt: null, lastEdOn: '2026-11-07' });
      void edThirteen;
      void visitReached;

      const org = ok<z.infer<typeof TeamOutreach>>(await (await w.as(w.manager)).get('/api/v1/team/outreach'));
      expect(org.scope).toBe('organization');
      expect(org.atRisk).toBeNull();
      expect(new Map(org.coaches.map((c) => [c.coachUserId, [c.openEpisodes, c.attempts, c.successfulContacts, c.atRisk]]))).toEqual(
        new Map([
          [w.coach.id, [5, 4, 3, 2]],
          [w.otherCoach.id, [1, 1, 1, 0]],
        ]),
      );
      expect((await (await w.as(w.coach)).get('/api/v1/team/outreach')).statusCode).toBe(403);
      const audit = await auditEvents(t, { action: 'team.outreach', organizationId: w.organizationId });
      expect(audit.map((a) => a.details)).toEqual([{ scope: 'team' }, { scope: 'organization' }]);
    });

    it('counts overdue episodes in the database exactly as the cadence rule does, across local midnight and the change of clocks', async () => {
      const w = await careWorld(t);
      // A deterministic spread: last contacts on both sides of local midnight around 1 November
      // (New York falls back), cadences from 1 to 90 days, some never contacted, some on hold.
      let seed = 7;
      const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      const expected = { overdue: 0, open: 1 };
      const coachEpisode = await t.db.selectFrom('episodes').select(['start_date', 'last_contact_at', 'cadence_days', 'status']).where('id', '=', w.episodeId).executeTakeFirstOrThrow();
      if (contactDue({ startDate: coachEpisode.start_date, lastContactAt: coachEpisode.last_contact_at, cadenceDays: 7 }, TODAY, w.timeZone).daysOverdue >= 1) expected.overdue += 1;
      for (let i = 0; i < 40; i++) {
        const id = await buildParticipant(t.db, { organizationId: w.organizationId, createdBy: w.coach.id });
        const startDate = `2026-${next() < 0.5 ? '09' : '10'}-${String(1 + Math.floor(next() * 28)).padStart(2, '0')}`;
        const e = await buildEpisode(t.db, { organizationId: w.organizationId, participantId: id, createdBy: w.coach.id, programId: w.programId, siteId: w.siteA, assignedCoachUserId: w.coach.id, startDate });
        const daysBack = Math.floor(next() * 40);
        const minute = [3 * 60 + 59, 4 * 60, 4 * 60 + 1, 4 * 60 + 59, 5 * 60, 5 * 60 + 1, 12 * 60][Math.floor(next() * 7)]!;
        const lastContactAt = next() < 0.2 ? null : new Date(Date.parse(`${TODAY}T00:00:00Z`) - daysBack * 86_400_000 + minute * 60_000).toISOString();
        const cadenceDays = next() < 0.4 ? null : 1 + Math.floor(next() * 90);
        const status = next() < 0.15 ? 'on_hold' : 'active';
        await t.db.updateTable('episodes').set({ last_contact_at: lastContactAt, cadence_days: cadenceDays, status }).where('id', '=', e.id).execute();
        expected.open += 1;
        if (status === 'active' && contactDue({ startDate, lastContactAt, cadenceDays: cadenceDays ?? 7 }, TODAY, w.timeZone).daysOverdue >= 1) expected.overdue += 1;
      }
      // And each boundary exactly: a minute either side of the local midnight that decides, and a
      // start date either side, for cadences whose boundary falls on the day the clocks changed (26).
      for (const cadenceDays of [1, 7, 25, 26, 27, 90]) {
        const boundaryDay = new Date(Date.parse(`${TODAY}T00:00:00Z`) - cadenceDays * 86_400_000).toISOString().slice(0, 10);
        const midnight = Date.parse(zonedStart(boundaryDay));
        for (const [lastContactAt, startDate] of [
          [new Date(midnight - 60_000).toISOString(), '2026-06-01'],
          [new Date(midnight).toISOString(), '2026-06-01'],
          [null, boundaryDay],
          [null, new Date(Date.parse(`${boundaryDay}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10)],
        ] as const) {
          const id = await buildParticipant(t.db, { organizationId: w.organizationId, createdBy: w.coach.id });
          const e = await buildEpisode(t.db, { organizationId: w.organizationId, participantId: id, createdBy: w.coach.id, programId: w.programId, siteId: w.siteA, assignedCoachUserId: w.coach.id, startDate });
          await t.db.updateTable('episodes').set({ last_contact_at: lastContactAt, cadence_days: cadenceDays }).where('id', '=', e.id).execute();
          expected.open += 1;
          if (contactDue({ startDate, lastContactAt, cadenceDays }, TODAY, w.timeZone).daysOverdue >= 1) expected.overdue += 1;
        }
      }
      const team = ok<z.infer<typeof TeamOutreach>>(await (await w.as(w.supervisor)).get('/api/v1/team/outreach'));
      expect(team.coaches.map((c) => ({ open: c.openEpisodes, overdue: c.overdue }))).toEqual([expected]);
      expect(expected.overdue).toBeGreaterThan(5);
      expect(expected.overdue).toBeLessThan(expected.open - 5);
    });

    it('keeps each person’s ED moment and last follow-up on every write: an ED visit, a contact, a draft edited, a deletion, a merge', async () => {
      const w = await careWorld(t);
      const coach = await w.as(w.coach);
      const atRisk = async () => ok<z.infer<typeof TeamOutreach>>(await (await w.as(w.supervisor)).get('/api/v1/team/outreach')).atRisk!.map((a) => a.participantId);
      const summary = async (id: string) => t.db.selectFrom('participants').select(['last_ed_at', 'last_follow_up_at']).where('id', '=', id).executeTakeFirstOrThrow();
      const contact = (participantId: string, o: Record<string, unknown>) =>
        coach.post(`/api/v1/participants/${participantId}/encounters`, { type: 'check_in', mode: 'phone', setting: 'telehealth', startedAt: daysAgo(10), reached: true, sign: true, ...o });

      // Reached once in October, before this episode began (an earlier enrollment).
      const EARLIER = '2026-10-01T15:00:00.000Z';
      await encounterRow(t.db, { organizationId: w.organizationId, participantId: w.participantId, authorUserId: w.coach.id, startedAt: EARLIER, reached: true });
      // An ED visit known by its date, 20 days ago: the last instant of that day in New York.
      expect((await coach.post(`/api/v1/participants/${w.participantId}/life-events`, { kind: 'ed_visit', occurredOn: '2026-11-07', source: 'records' })).statusCode).toBe(201);
      expect(await summary(w.participantId)).toMatchObject({ last_ed_at: expect.stringMatching(/^2026-11-08T04:59:59\.999/), last_follow_up_at: EARLIER });
      expect(await atRisk()).toEqual([w.participantId]);

      // A call that reached them 10 days ago: followed up.
      const call = await contact(w.participantId, {});
      expect(call.statusCode).toBe(201);
      expect(await atRisk()).toEqual([]);
      expect((await summary(w.participantId)).last_follow_up_at).toMatch(/^2026-11-17T15:00/);

      // Deleted as entered in error (an admin): at risk again, and the episode's last contact goes
      // back too — to none, as October's contact came before this episode began.
      const admin = await w.as(await buildUser(t.db, { organizationId: w.organizationId, roles: ['admin'] }));
      expect((await admin.request('DELETE', `/api/v1/encounters/${call.json<{ id: string }>().id}`, { reason: 'Entered for the wrong person' })).statusCode).toBe(200);
      expect(await atRisk()).toEqual([w.participantId]);
      expect(await summary(w.participantId)).toMatchObject({ last_follow_up_at: EARLIER });
      expect((await t.db.selectFrom('episodes').select('last_contact_at').where('id', '=', w.episodeId).executeTakeFirstOrThrow()).last_contact_at).toBeNull();

      // A draft saved as reached, then corrected to an attempt that did not reach them: still at risk.
      const draft = await contact(w.participantId, { sign: false });
      expect(await atRisk()).toEqual([]);
      const corrected = await coach.patch(`/api/v1/encounters/${draft.json<{ id: string }>().id}`, { version: 1, type: 'outreach_attempt', reached: false, attemptOutcome: 'no_answer' });
      expect(corrected.statusCode).toBe(200);
      expect(await atRisk()).toEqual([w.participantId]);

      // A duplicate record of the same person, reached last week, merged into this one: followed up.
      const duplicate = await buildParticipant(t.db, { organizationId: w.organizationId, createdBy: w.coach.id });
      await buildEpisode(t.db, { organizationId: w.organizationId, participantId: duplicate, createdBy: w.coach.id, siteId: w.siteA, assignedCoachUserId: w.coach.id }); // another program
      expect((await contact(duplicate, { startedAt: daysAgo(7) })).statusCode).toBe(201);
      const merged = await (await w.as(w.manager)).post(`/api/v1/participants/${duplicate}/merge`, { intoId: w.participantId, reason: 'The same person, registered twice at intake', version: 1, intoVersion: 1 });
      expect(merged.statusCode, merged.body).toBe(200);
      expect((await summary(w.participantId)).last_follow_up_at).toMatch(/^2026-11-20T15:00/);
      expect(await atRisk()).toEqual([]);
    });

    it('asks the database the same few queries for 2 people or 20', async () => {
      const w = await careWorld(t);
      const count = async () => {
        let queries = 0;
        const db = t.db.withPlugin({
          transformQuery: (args) => {
            queries += 1;
            return args.node;
          },
          transformResult: (args) => Promise.resolve(args.result),
        });
        const { teamOutreach } = await import('./outreach.usecases.js');
        await teamOutreach({
          db,
          clock: t.clock,
          actor: { userId: w.supervisor.id, organizationId: w.organizationId, roles: ['supervisor'], isPlatformAdmin: false, sessionId: 'test' },
          audit: () => Promise.resolve(),
          auditDenied: () => undefined,
        });
        return queries;
      };
      const few = await count();
      for (let i = 0; i < 18; i++) {
        const id = await buildParticipant(t.db, { organizationId: w.organizationId, createdBy: w.coach.id });
        await buildEpisode(t.db, { organizationId: w.organizationId, participantId: id, createdBy: w.coach.id, programId: w.programId, siteId: w.siteA, assignedCoachUserId: w.coach.id });
        await attempt(w, daysAgo(20), 'in_person', { participantId: id, reached: true, type: 'ed_bedside' });
      }
      // The ED moment and the last follow-up come with the episodes (the participant's contact
      // summary); the at-risk list adds the scope check and the names: once each, however many people.
      expect(await count()).toBe(few + 2);
      expect(few).toBeLessThanOrEqual(10);
    });
  });
});
