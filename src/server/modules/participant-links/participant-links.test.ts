/**
 * Participants' one-time links through the HTTP API on a real database with a fixed clock: a
 * BARC-10 link shown as a code, opened and answered without an account (a wrong answer refused
 * naming the item and the link still usable; a second answer 410), expiry after 7 days, a check-in
 * link raising the coach's alert, a new link replacing the old one, turning one off, links sent
 * through the outbox with their secret made at send time and masked in what is kept, shared plans,
 * the Spanish social-needs screen and BARC-10 kept in English, and the audit (no actor, the link named).
 */
import type { z } from 'zod';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../../contracts/common.js';
import type { CreatedLink, LinkList, OpenedLink, ParticipantLink } from '../../../contracts/participant-links.js';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { auditEvents } from '../../../../test/helpers/inspect.js';
import { careWorld, type CareWorld } from '../../../../test/helpers/care.js';
import { createOutboxWorker } from '../../platform/messaging/outbox.js';
import type { MessageProvider, OutgoingMessage } from '../../platform/messaging/providers.js';
import { LINK_TEMPLATE, linkRenderer } from './participant-links.usecases.js';

const NOW = '2026-11-27T15:00:00.000Z'; // Friday 10:00 in New York
type Created = z.infer<typeof CreatedLink>;
type Opened = z.infer<typeof OpenedLink>;

const barc = (v: number) => Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`q${i + 1}`, v]));
const checkIn = { mood: 2, cravings: 8, moudTaken: 'yes', useSinceLast: false, overdoseSinceLast: false, needsToday: 'A ride to the clinic' };

describe('participant links', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ now: NOW, config: { publicUrl: 'https://lodestar.example.org' } });
  });
  beforeEach(() => t.clock.set(NOW));
  afterAll(() => t.close());

  const err = (res: { json: <T>() => T }) => res.json<ErrorBody>().error;
  const ok = <T>(res: { statusCode: number; body: string; json: <U>() => U }, status = 200): T => {
    expect(res.statusCode, res.body).toBe(status);
    return res.json<T>();
  };
  const make = async (w: CareWorld, body: Record<string, unknown>, as = w.coach) => (await w.as(as)).post(`/api/v1/participants/${w.participantId}/links`, body);
  const makeOk = async (w: CareWorld, body: Record<string, unknown>) => ok<Created>(await make(w, body), 201);
  const linksOf = async (w: CareWorld) => ok<z.infer<typeof LinkList>>(await (await w.as(w.coach)).get(`/api/v1/participants/${w.participantId}/links`)).links;
  /** The participant's phone: no account, no cookie of the coach. */
  const phone = () => t.client();
  const open = async (token: string) => phone().post('/api/v1/link/open', { token });
  const contact = (w: CareWorld, values: Record<string, unknown>) => t.db.updateTable('participants').set(values).where('id', '=', w.participantId).execute();

  it('a BARC-10 link shown as a code: the page greets by preferred name only; a wrong answer is refused and the link still works; answered once', async () => {
    const w = await careWorld(t);
    await contact(w, { preferred_name: 'Dani', first_name: 'Danielle', last_name: 'Okafor' });
    const link = await makeOk(w, { purpose: 'questionnaire', questionnaireKey: 'barc10', delivery: 'code' });
    expect(link).toMatchObject({ purpose: 'questionnaire', questionnaireKey: 'barc10', questionnaireVersion: 1, status: 'waiting', delivery: 'code', messageStatus: null, expiresAt: '2026-12-04T15:00:00.000Z' });
    expect(link.url).toBe(`https://lodestar.example.org/l#token=${link.token}`);
    // The secret is kept only as its hash.
    const row = await t.db.selectFrom('participant_links').selectAll().where('id', '=', link.id).executeTakeFirstOrThrow();
    expect(row.token_hash).not.toContain(link.token!);
    expect(JSON.stringify(row)).not.toContain(link.token!);

    const page = ok<Opened>(await open(link.token!));
    expect(page).toMatchObject({ purpose: 'questionnaire', language: 'en', greetingName: 'Dani', questionnaire: { key: 'barc10', version: 1 } });
    expect(page.questionnaire!.items).toHaveLength(10);
    expect(JSON.stringify(page)).not.toMatch(/Okafor|Danielle/);
    expect((await linksOf(w))[0]).toMatchObject({ id: link.id, status: 'opened' });

    const wrong = await phone().post('/api/v1/link/questionnaire', { token: link.token, answers: { ...barc(5), q3: 7 } });
    expect(wrong.statusCode).toBe(400);
    expect(err(wrong).fields!.map((f) => f.path)).toEqual(['answers.q3']);
    ok(await phone().post('/api/v1/link/questionnaire', { token: link.token, answers: barc(5) }), 201);

    const [response] = await t.db.selectFrom('questionnaire_responses').selectAll().where('participant_id', '=', w.participantId).execute();
    expect(response).toMatchObject({ score: 50, source: 'participant_link', created_by: w.coach.id, answered_on: '2026-11-27' });
    expect((await linksOf(w))[0]).toMatchObject({ status: 'answered', answeredAt: NOW, result: { type: 'questionnaire_response', id: response!.id, score: 50 } });

    const twice = await phone().post('/api/v1/link/questionnaire', { token: link.token, answers: barc(1) });
    expect(twice.statusCode).toBe(410);
    expect(err(twice).code).toBe('link.used');
    expect(err(await open(link.token!)).code).toBe('link.used');
    expect(await t.db.selectFrom('questionnaire_responses').select('id').where('participant_id', '=', w.participantId).execute()).toHaveLength(1);

    // The audit names the link and no actor; the coach's making of it names the coach.
    const answered = await auditEvents(t, { action: 'participant_link.answer', targetId: link.id });
    expect(answered).toHaveLength(1);
    expect(answered[0]!.actorUserId).toBeNull();
    expect(answered[0]!.details).toMatchObject({ via: 'participant_link', linkId: link.id, key: 'barc10' });
    const created = await auditEvents(t, { action: 'questionnaire_response.create', targetId: response!.id });
    expect(created[0]!.actorUserId).toBeNull();
    expect((await auditEvents(t, { action: 'participant_link.create', targetId: link.id }))[0]!.actorUserId).toBe(w.coach.id);
  });

  it('expires after 7 days with a friendly 410; an unknown secret is 404; an incomplete one 400', async () => {
    const w = await careWorld(t);
    const link = await makeOk(w, { purpose: 'check_in', delivery: 'code' });
    t.clock.set('2026-12-04T14:59:59.000Z');
    ok<Opened>(await open(link.token!));
    t.clock.set('2026-12-04T15:00:00.000Z');
    const late = await open(link.token!);
    expect(late.statusCode).toBe(410);
    expect(err(late)).toMatchObject({ code: 'link.expired', message: 'This link has expired. Ask your coach for a new one.' });
    const answer = await phone().post('/api/v1/link/check-in', { token: link.token, ...checkIn });
    expect(err(answer).code).toBe('link.expired');
    expect((await linksOf(w))[0]!.status).toBe('expired');
    expect((await open('x'.repeat(43))).statusCode).toBe(404);
    const short = await open('abc');
    expect(short.statusCode).toBe(400);
    expect(err(short).fields!.map((f) => f.path)).toEqual(['token']);
  });

  it('a check-in through a link raises the alert on the coach’s list; a questionnaire answer to a check-in link is refused', async () => {
    const w = await careWorld(t);
    const link = await makeOk(w, { purpose: 'check_in', delivery: 'code', language: 'es' });
    const page = ok<Opened>(await open(link.token!));
    expect(page).toMatchObject({ purpose: 'check_in', language: 'es', checkIn: { moudTakenChoices: ['yes', 'no', 'not_on_moud'] }, questionnaire: null });
    const mismatch = await phone().post('/api/v1/link/questionnaire', { token: link.token, answers: barc(3) });
    expect(mismatch.statusCode).toBe(400);
    expect(err(mismatch).fields!.map((f) => f.path)).toEqual(['token']);
    const bad = await phone().post('/api/v1/link/check-in', { token: link.token, ...checkIn, cravings: 11 });
    expect(bad.statusCode).toBe(400);
    expect(err(bad).fields!.map((f) => f.path)).toEqual(['cravings']);
    ok(await phone().post('/api/v1/link/check-in', { token: link.token, ...checkIn }), 201);
    const [c] = await t.db.selectFrom('check_ins').selectAll().where('participant_id', '=', w.participantId).execute();
    expect(c).toMatchObject({ cravings: 8, source: 'participant_link', created_by: w.coach.id, needs_today: 'A ride to the clinic' });
    const todos = await t.db.selectFrom('todos').selectAll().where('participant_id', '=', w.participantId).where('kind', '=', 'alert').execute();
    expect(todos).toHaveLength(1);
    expect(todos[0]).toMatchObject({ owner_user_id: w.coach.id, status: 'open', title: 'Reach out: cravings at 8 of 10' });
    expect((await linksOf(w))[0]).toMatchObject({ status: 'answered', result: { type: 'check_in', id: c!.id, alerts: 1 } });
  });

  it('a new link replaces the earlier open one of the same kind; a link can be turned off; an answered one cannot', async () => {
    const w = await careWorld(t);
    const first = await makeOk(w, { purpose: 'questionnaire', questionnaireKey: 'barc10', delivery: 'code' });
    const other = await makeOk(w, { purpose: 'questionnaire', questionnaireKey: 'social_needs', delivery: 'code' });
    const second = await makeOk(w, { purpose: 'questionnaire', questionnaireKey: 'barc10', delivery: 'code' });
    expect(err(await open(first.token!)).code).toBe('link.revoked');
    ok<Opened>(await open(other.token!)); // another questionnaire's link stays
    ok<Opened>(await open(second.token!));
    const coach = await w.as(w.coach);
    const off = ok<z.infer<typeof ParticipantLink>>(await coach.post(`/api/v1/participant-links/${second.id}/revoke`));
    expect(off.status).toBe('revoked');
    expect(err(await open(second.token!)).code).toBe('link.revoked');
    ok(await phone().post('/api/v1/link/questionnaire', { token: other.token, answers: { housing: true, food: false, transportation: false, utilities: false, safety: false } }), 201);
    const closed = await coach.post(`/api/v1/participant-links/${other.id}/revoke`);
    expect(closed.statusCode).toBe(409);
    expect(err(closed).code).toBe('link.closed');
  });

  it('refuses bad requests naming the field: no questionnaire, an unknown one, a plan not saved yet', async () => {
    const w = await careWorld(t);
    const cases: [Record<string, unknown>, string][] = [
      [{ purpose: 'questionnaire', delivery: 'code' }, 'questionnaireKey'],
      [{ purpose: 'questionnaire', questionnaireKey: 'phq9', delivery: 'code' }, 'questionnaireKey'],
      [{ purpose: 'check_in', questionnaireKey: 'barc10', delivery: 'code' }, 'questionnaireKey'],
      [{ purpose: 'safety_plan', delivery: 'code' }, 'purpose'],
      [{ purpose: 'diary', delivery: 'code' }, 'purpose'],
      [{ purpose: 'check_in', delivery: 'pigeon' }, 'delivery'],
      [{ purpose: 'check_in', delivery: 'code', language: 'fr' }, 'language'],
    ];
    for (const [body, field] of cases) {
      const res = await make(w, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(err(res).fields!.map((f) => f.path), JSON.stringify(body)).toContain(field);
    }
    expect(await t.db.selectFrom('participant_links').select('id').where('participant_id', '=', w.participantId).execute()).toHaveLength(0);
  });

  it('in Spanish: the social-needs screen in Spanish; BARC-10 keeps its English items (no validated translation)', async () => {
    const w = await careWorld(t);
    const sn = ok<Opened>(await open((await makeOk(w, { purpose: 'questionnaire', questionnaireKey: 'social_needs', delivery: 'code', language: 'es' })).token!));
    expect(sn.questionnaire).toMatchObject({ key: 'social_needs', language: 'es' });
    expect(sn.questionnaire!.items[0]!.text).toMatch(/^¿Le preocupa perder su vivienda/);
    const b = ok<Opened>(await open((await makeOk(w, { purpose: 'questionnaire', questionnaireKey: 'barc10', delivery: 'code', language: 'es' })).token!));
    expect(b).toMatchObject({ language: 'es', questionnaire: { key: 'barc10', language: 'en' } });
    expect(b.questionnaire!.items[0]!.text).toBe('There are more important things to me in life than using substances.');
  });

  it('shares the saved safety plan to read (988 first), in Spanish, until it expires; reading it does not use it up', async () => {
    const w = await careWorld(t);
    const coach = await w.as(w.coach);
    ok(await coach.request('PUT', `/api/v1/participants/${w.participantId}/safety-plan`, { version: 0, naloxoneOnHand: 'yes', naloxoneKnownBy: ['My sister'] }));
    const link = await makeOk(w, { purpose: 'safety_plan', delivery: 'code', language: 'es' });
    const page = ok<Opened>(await open(link.token!));
    expect(page.safetyPlan).not.toBeNull();
    expect(JSON.stringify(page.safetyPlan)).toContain('988');
    expect(JSON.stringify(page.safetyPlan)).toContain('Llame al 911.');
    ok<Opened>(await open(link.token!));
    const answer = await phone().post('/api/v1/link/check-in', { token: link.token, ...checkIn });
    expect(answer.statusCode).toBe(400);
    const reads = await auditEvents(t, { action: 'participant.read', targetId: w.participantId });
    const shared = reads.filter((r) => r.details.part === 'shared_safety_plan');
    expect(shared).toHaveLength(2);
    expect(shared.every((r) => r.actorUserId === null)).toBe(true);
  });

  describe('sent as a message', () => {
    const recorder = (channel: 'sms' | 'email') => {
      const sent: OutgoingMessage[] = [];
      const p: MessageProvider & { sent: OutgoingMessage[] } = { name: 'test', channel, sent, send: (m) => (sent.push(m), Promise.resolve({ providerMessageId: `id-${sent.length}` })) };
      return p;
    };
    const silent = { info: () => undefined, warn: () => undefined };
    const worker = (...providers: MessageProvider[]) =>
      createOutboxWorker({ db: t.db, dialect: t.dialect, clock: t.clock, providers, renderers: { [LINK_TEMPLATE]: linkRenderer('https://lodestar.example.org') }, log: silent });

    it('follows the safe-contact rules; the secret is made when sent and masked in what the outbox keeps; it opens the page', async () => {
      const w = await careWorld(t);
      await contact(w, { do_not_contact: 1, phone: '15552013344', ok_text: 1 });
      const refused = await make(w, { purpose: 'check_in', delivery: 'message' });
      expect(refused.statusCode).toBe(400);
      expect(err(refused).fields).toEqual([{ path: 'delivery', message: 'This person asked not to be contacted. Show the code for them to scan instead.' }]);
      await contact(w, { do_not_contact: 0, ok_text: 0, email: null });
      expect(err(await make(w, { purpose: 'check_in', delivery: 'message' })).fields![0]!.path).toBe('delivery');

      await contact(w, { ok_text: 1, language: 'Spanish' });
      const link = await makeOk(w, { purpose: 'check_in', delivery: 'message', language: 'es' });
      expect(link).toMatchObject({ token: null, url: null, channel: 'sms', messageStatus: 'pending', status: 'waiting' });
      const sms = recorder('sms');
      expect(await worker(sms, recorder('email')).runOnce()).toMatchObject({ sent: 1 });
      expect(sms.sent).toHaveLength(1);
      const body = sms.sent[0]!.body;
      expect(body).toMatch(/^Su coach le envió un enlace\. Funciona por 7 días: https:\/\/lodestar\.example\.org\/l#token=[A-Za-z0-9_-]{43}$/);
      const token = body.split('#token=')[1]!;
      const kept = await t.db.selectFrom('outbox_messages').selectAll().where('id', '=', (await t.db.selectFrom('participant_links').select('outbox_message_id').where('id', '=', link.id).executeTakeFirstOrThrow()).outbox_message_id!).executeTakeFirstOrThrow();
      expect(kept.status).toBe('sent');
      expect(kept.body).not.toContain(token);
      expect(kept.body).toContain('/l#token=…');
      expect(ok<Opened>(await open(token))).toMatchObject({ purpose: 'check_in', language: 'es' });
      expect((await linksOf(w))[0]).toMatchObject({ messageStatus: 'sent', status: 'opened' });
    });

    it('a link turned off before its message goes out is never sent', async () => {
      const w = await careWorld(t);
      await contact(w, { phone: '15552013344', ok_text: 1, contact_window_start: '18:00', contact_window_end: '20:00' });
      const link = await makeOk(w, { purpose: 'check_in', delivery: 'message' });
      const sms = recorder('sms');
      expect(await worker(sms).runOnce()).toMatchObject({ postponed: 1, sent: 0 }); // waits for 18:00
      ok(await (await w.as(w.coach)).post(`/api/v1/participant-links/${link.id}/revoke`));
      t.clock.set('2026-11-27T23:30:00.000Z');
      expect(await worker(sms).runOnce()).toMatchObject({ sent: 0 });
      expect(sms.sent).toHaveLength(0);
      expect((await linksOf(w))[0]).toMatchObject({ status: 'revoked', messageStatus: 'cancelled' });
    });
  });

  it('two answers at once: one is saved, the other finds the link used', async () => {
    const w = await careWorld(t);
    const link = await makeOk(w, { purpose: 'check_in', delivery: 'code' });
    const [a, b] = await Promise.all([
      phone().post('/api/v1/link/check-in', { token: link.token, ...checkIn, cravings: 1 }),
      phone().post('/api/v1/link/check-in', { token: link.token, ...checkIn, cravings: 2 }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 410]);
    expect(await t.db.selectFrom('check_ins').select('id').where('participant_id', '=', w.participantId).execute()).toHaveLength(1);
  });
});
