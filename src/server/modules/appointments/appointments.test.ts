/**
 * Appointments through the HTTP API on a real database with a fixed clock (New York): booking and
 * its bad input, optimistic concurrency, status with who/when/why, rescheduling that keeps the old
 * one, the timeline, the caseload signals and the today view; reminders through the outbox (safe
 * contact rules, language, the contact window, text that names nothing, retries with backoff, the
 * list of failures), the SMTP provider against a local SMTP server, and iCalendar downloads and
 * private feeds.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { z } from 'zod';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../../contracts/common.js';
import type { Appointment, AppointmentList, CalendarFeed, OutboxList, RescheduleResult } from '../../../contracts/appointments.js';
import type { Today } from '../../../contracts/outreach.js';
import type { TimelinePage } from '../../../contracts/care.js';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { auditEvents } from '../../../../test/helpers/inspect.js';
import { careWorld, type CareWorld } from '../../../../test/helpers/care.js';
import { hashToken } from '../../platform/ids.js';
import { createOutboxWorker, MAX_ATTEMPTS, RETRY_DELAYS_MS } from '../../platform/messaging/outbox.js';
import { logProvider, smtpProvider, type MessageProvider, type OutgoingMessage } from '../../platform/messaging/providers.js';
import { appointmentRenderers } from './appointments.reminders.js';
import { escapeText, foldLine } from './appointments.ics.js';

const NOW = '2026-11-27T15:00:00.000Z'; // Friday 10:00 in New York
const TOMORROW_10 = '2026-11-28T15:00:00.000Z'; // Saturday 10:00 in New York
type A = z.infer<typeof Appointment>;

describe('appointments', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
  });
  beforeEach(async () => {
    t.clock.set(NOW);
    // The tests share one database: each worker pass should see only the test's own messages.
    await t.db.updateTable('outbox_messages').set({ status: 'cancelled', last_error: 'test_isolation' }).where('status', 'in', ['pending', 'sending']).execute();
  });
  afterAll(() => t.close());

  const err = (res: { json: <T>() => T }) => res.json<ErrorBody>().error;
  const ok = <T>(res: { statusCode: number; body: string; json: <U>() => U }, status = 200): T => {
    expect(res.statusCode, res.body).toBe(status);
    return res.json<T>();
  };
  const book = async (w: CareWorld, body: Record<string, unknown> = {}, participantId = w.participantId) =>
    ok<A>(await (await w.as(w.coach)).post(`/api/v1/participants/${participantId}/appointments`, { kind: 'moud_induction', startsAt: TOMORROW_10, ...body }), 201);
  const contact = (w: CareWorld, values: Record<string, unknown>) => t.db.updateTable('participants').set(values).where('id', '=', w.participantId).execute();

  /** A provider that records what it was given, and fails while `failing` is set. */
  const recorder = (channel: 'sms' | 'email') => {
    const sent: OutgoingMessage[] = [];
    const p: MessageProvider & { sent: OutgoingMessage[]; failing: boolean } = {
      name: 'test',
      channel,
      sent,
      failing: false,
      send(m) {
        if (p.failing) return Promise.reject(Object.assign(new Error(`refused for ${m.to}`), { code: 'ECONNREFUSED' }));
        sent.push(m);
        return Promise.resolve({ providerMessageId: `id-${sent.length}` });
      },
    };
    return p;
  };
  const silent = { info: () => undefined, warn: () => undefined };
  const workerWith = (...providers: MessageProvider[]) => createOutboxWorker({ db: t.db, dialect: t.dialect, clock: t.clock, providers, renderers: appointmentRenderers, log: silent });
  const message = (appointmentId: string) => t.db.selectFrom('outbox_messages').selectAll().where('appointment_id', '=', appointmentId).orderBy('id').execute();

  describe('booking', () => {
    it('books with the participant’s coach, lists it as upcoming, audits ids only', async () => {
      const w = await careWorld(t);
      const a = await book(w, { place: 'Clinic on Main St', transportNeeds: 'Bus pass', notes: 'Bring ID', endsAt: '2026-11-28T16:00:00.000Z' });
      expect(a).toMatchObject({ kind: 'moud_induction', startsAt: TOMORROW_10, endsAt: '2026-11-28T16:00:00.000Z', status: 'scheduled', coachUserId: w.coach.id, version: 1, reminder: { messageId: null, none: 'not_requested' } });
      const list = ok<z.infer<typeof AppointmentList>>(await (await w.as(w.coach)).get(`/api/v1/participants/${w.participantId}/appointments`));
      expect(list.upcoming.map((x) => x.id)).toEqual([a.id]);
      expect(list.past).toEqual([]);
      const created = await auditEvents(t, { action: 'appointment.create', organizationId: w.organizationId });
      expect(created).toEqual([expect.objectContaining({ actorUserId: w.coach.id, targetIds: [a.id, w.participantId], details: { kind: 'moud_induction', remind: false } })]);
      expect(JSON.stringify(created)).not.toContain('Main St');
      expect(await auditEvents(t, { action: 'participant.read', targetId: w.participantId })).toContainEqual(expect.objectContaining({ details: { part: 'appointments' } }));
    });

    it('refuses an end before the start, an unknown kind, a bad link (400 naming the field); another organization’s person 404; out of scope 403', async () => {
      const w = await careWorld(t);
      const other = await careWorld(t);
      const client = await w.as(w.coach);
      const url = `/api/v1/participants/${w.participantId}/appointments`;
      const cases: [Record<string, unknown>, string][] = [
        [{ kind: 'intake', startsAt: TOMORROW_10, endsAt: '2026-11-28T14:00:00.000Z' }, 'endsAt'],
        [{ kind: 'dentist', startsAt: TOMORROW_10 }, 'kind'],
        [{ kind: 'intake', startsAt: 'tomorrow at ten' }, 'startsAt'],
        [{ kind: 'intake', startsAt: TOMORROW_10, telehealthUrl: 'javascript:alert(1)' }, 'telehealthUrl'],
        [{ kind: 'intake', startsAt: TOMORROW_10, coachUserId: w.manager.id }, 'coachUserId'],
      ];
      for (const [body, path] of cases) {
        const res = await client.post(url, body);
        expect(res.statusCode, path).toBe(400);
        expect(err(res).fields?.map((f) => f.path)).toEqual([path]);
      }
      expect((await client.post(`/api/v1/participants/${other.participantId}/appointments`, { kind: 'intake', startsAt: TOMORROW_10 })).statusCode).toBe(404);
      expect((await client.post(`/api/v1/participants/${w.elsewhereId}/appointments`, { kind: 'intake', startsAt: TOMORROW_10 })).statusCode).toBe(403);
      expect(await t.db.selectFrom('appointments').select('id').where('organization_id', '=', w.organizationId).execute()).toEqual([]);
    });

    it('updates with the version read; a stale version is 409 with the current record; an end before the stored start is 400', async () => {
      const w = await careWorld(t);
      const a = await book(w);
      const client = await w.as(w.coach);
      const changed = ok<A>(await client.patch(`/api/v1/appointments/${a.id}`, { version: 1, providerName: 'Dr. Lee', telehealthUrl: 'https://meet.example.org/abc' }));
      expect(changed).toMatchObject({ providerName: 'Dr. Lee', telehealthUrl: 'https://meet.example.org/abc', version: 2 });
      const stale = await client.patch(`/api/v1/appointments/${a.id}`, { version: 1, providerName: 'Someone else' });
      expect(stale.statusCode).toBe(409);
      expect(err(stale)).toMatchObject({ code: 'record.conflict', details: { current: { providerName: 'Dr. Lee', version: 2 } } });
      const backwards = await client.patch(`/api/v1/appointments/${a.id}`, { version: 2, endsAt: '2026-11-28T14:00:00.000Z' });
      expect(backwards.statusCode).toBe(400);
      expect(err(backwards).fields?.[0]?.path).toBe('endsAt');
      expect((await client.patch(`/api/v1/appointments/${randomUUID()}`, { version: 1, place: 'x' })).statusCode).toBe(404);
    });
  });

  describe('status and rescheduling', () => {
    it('marks attended once it has started (not before), with who, when and why; a second change is 409', async () => {
      const w = await careWorld(t);
      const a = await book(w);
      let client = await w.as(w.coach);
      const early = await client.post(`/api/v1/appointments/${a.id}/status`, { status: 'attended', version: 1 });
      expect(early.statusCode).toBe(400);
      expect(err(early).fields?.[0]?.path).toBe('status');
      t.clock.set('2026-11-28T16:30:00.000Z');
      client = await w.as(w.coach); // a new session: the first one has gone idle
      const done = ok<A>(await client.post(`/api/v1/appointments/${a.id}/status`, { status: 'attended', reason: 'Went with her', version: 1 }));
      expect(done).toMatchObject({ status: 'attended', statusReason: 'Went with her', statusChangedAt: '2026-11-28T16:30:00.000Z', statusChangedBy: w.coach.id, version: 2 });
      const again = await client.post(`/api/v1/appointments/${a.id}/status`, { status: 'missed', version: 2 });
      expect(again.statusCode).toBe(409);
      expect(await auditEvents(t, { action: 'appointment.status', organizationId: w.organizationId })).toEqual([expect.objectContaining({ details: { from: 'scheduled', to: 'attended' } })]);
      // Marked: it leaves the scheduled list for the past one.
      const list = ok<z.infer<typeof AppointmentList>>(await client.get(`/api/v1/participants/${w.participantId}/appointments`));
      expect({ upcoming: list.upcoming.map((x) => x.id), past: list.past.map((x) => x.id) }).toEqual({ upcoming: [], past: [a.id] });
    });

    it('a missed appointment puts a follow-up on the coach’s list, cleared by the next contact that reaches the person', async () => {
      const w = await careWorld(t);
      const a = await book(w);
      t.clock.set('2026-11-28T17:00:00.000Z');
      ok<A>(await (await w.as(w.supervisor)).post(`/api/v1/appointments/${a.id}/status`, { status: 'missed', version: 1 }));
      const todos = await t.db.selectFrom('todos').selectAll().where('participant_id', '=', w.participantId).execute();
      expect(todos).toEqual([expect.objectContaining({ owner_user_id: w.coach.id, kind: 'follow_up', clears_on: 'contact_reached', source_type: 'appointment', source_id: a.id, due_on: '2026-11-28', status: 'open' })]);
    });

    it('rescheduling keeps the old one as rescheduled, linked to the new one; the timeline shows both', async () => {
      const w = await careWorld(t);
      const a = await book(w);
      t.clock.set('2026-11-27T16:00:00.000Z');
      const client = await w.as(w.coach);
      const r = ok<z.infer<typeof RescheduleResult>>(await client.post(`/api/v1/appointments/${a.id}/reschedule`, { startsAt: '2026-12-01T15:00:00.000Z', reason: 'Clinic moved it', version: 1 }), 201);
      expect(r.previous).toMatchObject({ id: a.id, status: 'rescheduled', statusReason: 'Clinic moved it', rescheduledToId: r.appointment.id, version: 2 });
      expect(r.appointment).toMatchObject({ status: 'scheduled', kind: 'moud_induction', startsAt: '2026-12-01T15:00:00.000Z', rescheduledFromId: a.id, version: 1 });
      expect((await client.post(`/api/v1/appointments/${a.id}/reschedule`, { startsAt: '2026-12-02T15:00:00.000Z', version: 2 })).statusCode).toBe(409);

      const page = ok<z.infer<typeof TimelinePage>>(await client.get(`/api/v1/participants/${w.participantId}/timeline?kinds=appointment`));
      // The old one's outcome and the new booking share the instant: (at, id) descending puts the outcome first.
      expect(page.items.map((i) => i.kind)).toEqual(['appointment.rescheduled', 'appointment.booked', 'appointment.booked']);
      expect(page.items[1]!.details).toMatchObject({ appointmentId: r.appointment.id, rescheduled: true });
      expect(page.items[2]!.details).toMatchObject({ appointmentId: a.id, rescheduled: false });
      expect(JSON.stringify(page.items)).not.toContain('Clinic moved it');
    });
  });

  it('timeline pages of any size concatenate to the whole, ties on the instant included', async () => {
    const w = await careWorld(t);
    // Booked at the same instant (the clock stands still), then outcomes at another shared instant.
    const booked = [];
    for (let i = 0; i < 4; i++) booked.push(await book(w, { startsAt: `2026-11-27T1${i}:00:00.000Z` }));
    t.clock.set('2026-11-27T16:00:00.000Z');
    const client = await w.as(w.coach);
    ok<A>(await client.post(`/api/v1/appointments/${booked[0]!.id}/status`, { status: 'attended', version: 1 }));
    ok<A>(await client.post(`/api/v1/appointments/${booked[1]!.id}/status`, { status: 'missed', version: 1 }));
    ok(await client.post(`/api/v1/appointments/${booked[2]!.id}/reschedule`, { startsAt: '2026-12-01T15:00:00.000Z', version: 1 }), 201);
    const all = ok<z.infer<typeof TimelinePage>>(await client.get(`/api/v1/participants/${w.participantId}/timeline?kinds=appointment&limit=100`)).items.map((i) => i.id);
    expect(all).toHaveLength(8); // 5 booked, 3 outcomes
    for (const size of [1, 2, 3]) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/api/v1/participants/${w.participantId}/timeline?kinds=appointment&limit=${size}${cursor ? `&before=${cursor}` : ''}`;
        const page: z.infer<typeof TimelinePage> = ok(await client.get(url));
        seen.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen, `pages of ${size}`).toEqual(all);
    }
  });

  describe('today and the caseload', () => {
    it('today lists the coach’s appointments of today (local), not another day’s or a cancelled one', async () => {
      const w = await careWorld(t);
      const later = await book(w, { startsAt: '2026-11-27T20:00:00.000Z', kind: 'court' }); // 15:00 today
      await book(w, { startsAt: '2026-11-28T04:30:00.000Z' }); // 23:30 today in New York
      await book(w, { startsAt: '2026-11-28T05:30:00.000Z' }); // 00:30 tomorrow
      const cancelled = await book(w, { startsAt: '2026-11-27T21:00:00.000Z' });
      const client = await w.as(w.coach);
      ok<A>(await client.post(`/api/v1/appointments/${cancelled.id}/status`, { status: 'cancelled', version: 1 }));
      const today = ok<z.infer<typeof Today>>(await client.get('/api/v1/today'));
      expect(today.appointments.map((x) => x.startsAt)).toEqual(['2026-11-27T20:00:00.000Z', '2026-11-28T04:30:00.000Z']);
      expect(today.appointments[0]).toMatchObject({ appointmentId: later.id, kind: 'court', participantId: w.participantId, participantName: expect.stringContaining('Rosa') });
      // Another coach's today has none of them.
      expect(ok<z.infer<typeof Today>>(await (await w.as(w.otherCoach)).get('/api/v1/today')).appointments).toEqual([]);
    });

    it('flags appointment_soon within 48 hours and appointment_missed for 14 days', async () => {
      const w = await careWorld(t);
      const flagsOf = async () => {
        const res = ok<{ items: { participantId: string; flags: { key: string; detail?: Record<string, unknown> }[] }[] }>(await (await w.as(w.coach)).get('/api/v1/caseload'));
        return res.items.find((i) => i.participantId === w.participantId)!.flags.filter((f) => f.key.startsWith('appointment'));
      };
      expect(await flagsOf()).toEqual([]);
      await book(w, { startsAt: '2026-11-29T16:00:00.000Z' }); // 49 h ahead
      expect(await flagsOf()).toEqual([]);
      const soon = await book(w, { startsAt: '2026-11-29T14:00:00.000Z' }); // 47 h ahead
      expect(await flagsOf()).toEqual([{ key: 'appointment_soon', detail: { startsAt: '2026-11-29T14:00:00.000Z', hours: 47 } }]);
      t.clock.set('2026-11-29T18:00:00.000Z');
      ok<A>(await (await w.as(w.coach)).post(`/api/v1/appointments/${soon.id}/status`, { status: 'missed', version: 1 }));
      expect(await flagsOf()).toEqual([{ key: 'appointment_missed', detail: { on: '2026-11-29' } }]);
      t.clock.set('2026-12-14T18:00:00.000Z'); // 15 days later
      expect(await flagsOf()).toEqual([]);
    });
  });

  describe('reminders through the outbox', () => {
    it('follows the safe-contact rules: none for do-not-contact or without a channel; texts need permission; email when preferred', async () => {
      const w = await careWorld(t);
      await contact(w, { do_not_contact: 1, phone: '15552013344', ok_text: 1 });
      expect((await book(w, { remindParticipant: true })).reminder).toMatchObject({ messageId: null, none: 'do_not_contact' });
      await contact(w, { do_not_contact: 0, ok_text: 0, email: null });
      expect((await book(w, { remindParticipant: true })).reminder).toMatchObject({ messageId: null, none: 'no_channel' });
      await contact(w, { ok_text: 1 });
      expect((await book(w, { remindParticipant: true })).reminder).toMatchObject({ channel: 'sms', status: 'pending', sendAt: '2026-11-27T15:00:00.000Z', none: null });
      await contact(w, { email: 'rosa@example.org', preferred_contact_method: 'email' });
      const later = await book(w, { remindParticipant: true, startsAt: '2026-12-03T15:00:00.000Z' });
      // A day before.
      expect(later.reminder).toMatchObject({ channel: 'email', status: 'pending', sendAt: '2026-12-02T15:00:00.000Z' });
    });

    it('sends at the due time in the participant’s language, without the kind or the place unless they agreed', async () => {
      const w = await careWorld(t);
      await contact(w, { phone: '15552013344', ok_text: 1, language: 'Spanish' });
      const a = await book(w, { remindParticipant: true, startsAt: '2026-12-01T15:00:00.000Z', place: 'Harbor Recovery Clinic', providerName: 'Dr. Lee' });
      const sms = recorder('sms');
      const worker = workerWith(sms, recorder('email'));
      expect((await worker.runOnce()).sent).toBe(0); // due on the 30th at 10:00
      t.clock.set('2026-11-30T15:00:00.000Z');
      expect(await worker.runOnce()).toMatchObject({ sent: 1 });
      expect(sms.sent).toEqual([expect.objectContaining({ to: '15552013344', language: 'es', body: 'Recordatorio: su cita mañana a las 10:00.' })]);
      const [row] = await message(a.id);
      expect(row).toMatchObject({ status: 'sent', attempts: 1, provider: 'test', language: 'es', sent_at: '2026-11-30T15:00:00.000Z' });
      expect(await worker.runOnce()).toMatchObject({ sent: 0 }); // once only

      // English, with the place because they agreed, and never the kind or the provider.
      await contact(w, { language: null });
      await book(w, { remindParticipant: true, reminderNamesPlace: true, startsAt: '2026-11-30T19:30:00.000Z', place: 'Harbor Recovery Clinic', providerName: 'Dr. Lee' });
      await worker.runOnce();
      expect(sms.sent[1]!.body).toBe('Reminder: your appointment today at 2:30 PM. Place: Harbor Recovery Clinic.');
      for (const m of sms.sent) expect(m.body).not.toMatch(/induction|moud|buprenorphine|addiction|Dr\. Lee/i);
    });

    it('waits for the contact window, and cancels when the person asks not to be contacted or the appointment is cancelled', async () => {
      const w = await careWorld(t);
      await contact(w, { phone: '15552013344', ok_text: 1, contact_window_start: '12:00', contact_window_end: '18:00' });
      const a = await book(w, { remindParticipant: true }); // due now (10:00), outside the window
      const sms = recorder('sms');
      const worker = workerWith(sms);
      expect(await worker.runOnce()).toMatchObject({ postponed: 1, sent: 0 });
      expect((await message(a.id))[0]).toMatchObject({ status: 'pending', attempts: 0, next_attempt_at: '2026-11-27T17:00:00.000Z' });
      t.clock.set('2026-11-27T17:00:00.000Z');
      expect(await worker.runOnce()).toMatchObject({ sent: 1 });

      const b = await book(w, { remindParticipant: true, startsAt: '2026-12-02T18:00:00.000Z' });
      await contact(w, { do_not_contact: 1 });
      t.clock.set('2026-12-01T18:00:00.000Z');
      expect(await worker.runOnce()).toMatchObject({ cancelled: 1 });
      expect((await message(b.id))[0]).toMatchObject({ status: 'cancelled', last_error: 'do_not_contact' });

      await contact(w, { do_not_contact: 0 });
      const c = await book(w, { remindParticipant: true, startsAt: '2026-12-04T18:00:00.000Z' });
      ok<A>(await (await w.as(w.coach)).post(`/api/v1/appointments/${c.id}/status`, { status: 'cancelled', version: 1 }));
      expect((await message(c.id))[0]).toMatchObject({ status: 'cancelled', last_error: 'appointment_cancelled' });
      expect(sms.sent).toHaveLength(1);
    });

    it('moving the appointment replaces its reminder', async () => {
      const w = await careWorld(t);
      await contact(w, { phone: '15552013344', ok_text: 1 });
      const a = await book(w, { remindParticipant: true, startsAt: '2026-12-03T15:00:00.000Z' });
      const moved = ok<A>(await (await w.as(w.coach)).patch(`/api/v1/appointments/${a.id}`, { version: 1, startsAt: '2026-12-05T15:00:00.000Z' }));
      expect(moved.reminder).toMatchObject({ status: 'pending', sendAt: '2026-12-04T15:00:00.000Z' });
      expect((await message(a.id)).map((m) => m.status)).toEqual(['cancelled', 'pending']);
    });

    it('retries after 1, 5, 30 and 120 minutes, then fails; failures are listed for managers and can be tried again', async () => {
      const w = await careWorld(t);
      await contact(w, { phone: '15552013344', ok_text: 1 });
      const a = await book(w, { remindParticipant: true, startsAt: '2026-12-03T15:00:00.000Z' });
      t.clock.set('2026-12-02T15:00:00.000Z');
      const sms = recorder('sms');
      sms.failing = true;
      const worker = workerWith(sms);
      const seen: { at: string; attempts: number; status: string; next: string | null }[] = [];
      for (let i = 0; i < MAX_ATTEMPTS; i++) {
        await worker.runOnce();
        const [m] = await message(a.id);
        seen.push({ at: t.clock.now().toISOString(), attempts: Number(m!.attempts), status: m!.status, next: m!.next_attempt_at });
        expect(m!.last_error).toBe('econnrefused');
        if (m!.next_attempt_at) {
          // Not a moment before it is due.
          t.clock.set(new Date(Date.parse(m!.next_attempt_at) - 1000));
          expect(await worker.runOnce()).toMatchObject({ retrying: 0, failed: 0 });
          t.clock.set(m!.next_attempt_at);
        }
      }
      const start = Date.parse('2026-12-02T15:00:00.000Z');
      const gaps = seen.slice(1).map((s, i) => Date.parse(s.at) - Date.parse(seen[i]!.at));
      expect(gaps).toEqual([...RETRY_DELAYS_MS]);
      expect(seen.at(-1)).toMatchObject({ attempts: 5, status: 'failed', next: null });
      expect(Date.parse(seen.at(-1)!.at) - start).toBe(RETRY_DELAYS_MS.reduce((x, y) => x + y, 0));

      const list = ok<z.infer<typeof OutboxList>>(await (await w.as(w.manager)).get('/api/v1/outbox?status=failed'));
      const failed = list.messages.find((m) => m.appointmentId === a.id)!;
      expect(failed).toMatchObject({ participantId: w.participantId, channel: 'sms', status: 'failed', attempts: 5, lastError: 'econnrefused' });
      expect(JSON.stringify(list)).not.toContain('5552013344');
      expect((await (await w.as(w.coach)).get('/api/v1/outbox')).statusCode).toBe(403);
      // The coach sees it on the appointment.
      expect(ok<A>(await (await w.as(w.coach)).get(`/api/v1/appointments/${a.id}`)).reminder).toMatchObject({ status: 'failed', attempts: 5 });

      sms.failing = false;
      expect(ok<{ status: string }>(await (await w.as(w.supervisor)).post(`/api/v1/outbox/${failed.id}/retry`))).toMatchObject({ status: 'pending', attempts: 0 });
      expect(await worker.runOnce()).toMatchObject({ sent: 1 });
      expect((await (await w.as(w.supervisor)).post(`/api/v1/outbox/${failed.id}/retry`)).statusCode).toBe(409);
    });

    it('two workers never send the same message', async () => {
      const w = await careWorld(t);
      await contact(w, { phone: '15552013344', ok_text: 1 });
      for (let i = 0; i < 5; i++) await book(w, { remindParticipant: true, startsAt: `2026-12-0${i + 3}T15:00:00.000Z` });
      t.clock.set('2026-12-02T15:00:00.000Z');
      await t.db.updateTable('outbox_messages').set({ next_attempt_at: '2026-12-02T15:00:00.000Z' }).where('participant_id', '=', w.participantId).execute();
      const sms = recorder('sms');
      const [x, y] = await Promise.all([workerWith(sms).runOnce(), workerWith(sms).runOnce()]);
      expect(x.sent + y.sent).toBe(5);
      expect(new Set(sms.sent.map((m) => m.outboxId)).size).toBe(5);
    });

    it('the log provider writes ids to the log and no address or text', async () => {
      const w = await careWorld(t);
      await contact(w, { phone: '15552013344', ok_text: 1, email: 'rosa@example.org', preferred_contact_method: 'email' });
      await book(w, { remindParticipant: true });
      const lines: string[] = [];
      const log = { info: (o: Record<string, unknown>, msg: string) => void lines.push(JSON.stringify({ ...o, msg })), warn: (o: Record<string, unknown>, msg: string) => void lines.push(JSON.stringify({ ...o, msg })) };
      const worker = createOutboxWorker({ db: t.db, dialect: t.dialect, clock: t.clock, providers: [logProvider('email', log), logProvider('sms', log)], renderers: appointmentRenderers, log });
      expect(await worker.runOnce()).toMatchObject({ sent: 1 });
      expect(lines.join('\n')).toContain('"provider":"log"');
      expect(lines.join('\n')).not.toMatch(/rosa@|5552013344|Reminder|appointment tomorrow/);
    });
  });

  describe('email through SMTP', () => {
    let server: SMTPServer;
    let port = 0;
    const received: { to: string[]; data: string }[] = [];
    let reject = false;
    beforeAll(async () => {
      server = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS'],
        logger: false,
        onRcptTo(_address, _session, cb) {
          cb(reject ? Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }) : undefined);
        },
        onData(stream, session, cb) {
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            received.push({ to: session.envelope.rcptTo.map((r) => r.address), data: Buffer.concat(chunks).toString('utf8') });
            cb();
          });
        },
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('delivers the reminder to a local SMTP server; a refusal is retried with the SMTP code recorded', async () => {
      const w = await careWorld(t);
      await contact(w, { email: 'rosa@example.org' });
      const a = await book(w, { remindParticipant: true });
      const smtp = smtpProvider({ url: `smtp://127.0.0.1:${port}`, from: 'reminders@lodestar.example', ignoreTls: true });
      try {
        const worker = workerWith(smtp);
        expect(await worker.runOnce()).toMatchObject({ sent: 1 });
        expect(received).toHaveLength(1);
        expect(received[0]!.to).toEqual(['rosa@example.org']);
        expect(received[0]!.data).toContain('Subject: Reminder');
        expect(received[0]!.data).toContain('Reminder: your appointment tomorrow at 10:00 AM.');
        expect(received[0]!.data).not.toMatch(/induction/i);
        expect((await message(a.id))[0]).toMatchObject({ status: 'sent', provider: 'smtp' });

        reject = true;
        const b = await book(w, { remindParticipant: true, startsAt: '2026-11-29T15:00:00.000Z' });
        t.clock.set('2026-11-28T15:00:00.000Z');
        expect(await worker.runOnce()).toMatchObject({ retrying: 1 });
        expect((await message(b.id))[0]).toMatchObject({ status: 'pending', attempts: 1, last_error: 'smtp_550', next_attempt_at: '2026-11-28T15:01:00.000Z' });
      } finally {
        reject = false;
        smtp.close();
      }
    });
  });

  describe('iCalendar', () => {
    it('escapes text and folds long lines at 75 octets without splitting a character', () => {
      expect(escapeText('a;b,c\\d\ne')).toBe('a\\;b\\,c\\\\d\\ne');
      const folded = foldLine(`LOCATION:${'ñ'.repeat(80)}`);
      for (const line of folded.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
      expect(folded.split('\r\n').map((l, i) => (i === 0 ? l : l.slice(1))).join('')).toBe(`LOCATION:${'ñ'.repeat(80)}`);
    });

    it('downloads one appointment without the participant’s name', async () => {
      const w = await careWorld(t);
      const a = await book(w, { place: 'Main St; Suite 2, back door', telehealthUrl: 'https://meet.example.org/x' });
      const res = await (await w.as(w.coach)).get(`/api/v1/appointments/${a.id}/ics`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/calendar');
      expect(res.body).toContain(`UID:${a.id}@lodestar`);
      expect(res.body).toContain('DTSTART:20261128T150000Z');
      expect(res.body).toContain('LOCATION:Main St\\; Suite 2\\, back door');
      expect(res.body).toContain('SUMMARY:Appointment (medication start)');
      expect(res.body).not.toContain('Rosa');
      expect(res.body.endsWith('END:VCALENDAR\r\n')).toBe(true);
    });

    it('a private feed by a secret address: stored hashed, no names unless chosen, revocable', async () => {
      const w = await careWorld(t);
      await book(w);
      const client = await w.as(w.coach);
      expect(ok<z.infer<typeof CalendarFeed>>(await client.get('/api/v1/calendar-feed'))).toMatchObject({ active: false });
      const made = ok<z.infer<typeof CalendarFeed>>(await client.post('/api/v1/calendar-feed', { showNames: false }), 201);
      const path = new URL(made.url!).pathname;
      const token = path.split('/').at(-1)!;
      const stored = await t.db.selectFrom('calendar_feeds').selectAll().where('user_id', '=', w.coach.id).execute();
      expect(stored).toEqual([expect.objectContaining({ token_hash: hashToken(token), revoked_at: null })]);
      expect(JSON.stringify(stored)).not.toContain(token);
      expect(ok<z.infer<typeof CalendarFeed>>(await client.get('/api/v1/calendar-feed'))).toMatchObject({ active: true, showNames: false, url: null });

      const anonymous = t.client();
      const feed = await anonymous.get(path);
      expect(feed.statusCode).toBe(200);
      expect(feed.body).toContain('SUMMARY:Appointment (medication start)');
      expect(feed.body).not.toContain('Rosa');
      expect(await auditEvents(t, { action: 'participant.read', targetId: w.participantId })).toContainEqual(
        expect.objectContaining({ actorUserId: w.coach.id, details: expect.objectContaining({ part: 'calendar_feed', names: false }) }),
      );

      // A new address with names: the old one stops working.
      const withNames = ok<z.infer<typeof CalendarFeed>>(await client.post('/api/v1/calendar-feed', { showNames: true }), 201);
      expect((await anonymous.get(path)).statusCode).toBe(404);
      const named = await anonymous.get(new URL(withNames.url!).pathname);
      expect(named.body).toMatch(/SUMMARY:Rosa Test\w+: Medication start/);

      ok<z.infer<typeof CalendarFeed>>(await client.delete('/api/v1/calendar-feed'));
      const gone = await anonymous.get(new URL(withNames.url!).pathname);
      expect(gone.statusCode).toBe(404);
      expect(err(gone).code).toBe('record.not_found');
    });
  });
});
