/** Life events through the HTTP API on a real database: recording, dates, corrections, scope, audit. */
import type { z } from 'zod';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../../contracts/common.js';
import type { LifeEvent, LifeEventList } from '../../../contracts/care.js';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { auditEvents, writeFingerprint } from '../../../../test/helpers/inspect.js';
import { careWorld, lifeEventRow } from '../../../../test/helpers/care.js';

type LifeEventJson = z.infer<typeof LifeEvent>;
const NOW = '2026-11-27T15:00:00.000Z'; // 10:00 in New York

describe('life events', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
  });
  beforeEach(() => t.clock.set(NOW));
  afterAll(() => t.close());

  const err = (res: { json: <T>() => T }) => res.json<ErrorBody>().error;
  const fieldsOf = (res: { json: <T>() => T }) => err(res).fields?.map((f) => f.path);

  it('a coach records a return to use with a date only; the list shows it, both audited with ids only', async () => {
    const w = await careWorld(t);
    const client = await w.as(w.coach);
    const res = await client.post(`/api/v1/participants/${w.participantId}/life-events`, { kind: 'return_to_use', occurredOn: '2026-11-25', source: 'participant_reported', note: 'Talked it through; wants to restart buprenorphine' });
    expect(res.statusCode, res.body).toBe(201);
    const e = res.json<LifeEventJson>();
    expect(e).toMatchObject({ participantId: w.participantId, kind: 'return_to_use', occurredOn: '2026-11-25', occurredAt: null, source: 'participant_reported', createdBy: w.coach.id, version: 1, createdAt: NOW });
    expect(e).not.toHaveProperty('organizationId');
    const list = await client.get(`/api/v1/participants/${w.participantId}/life-events`);
    expect(list.json<z.infer<typeof LifeEventList>>().lifeEvents.map((x) => x.id)).toEqual([e.id]);
    expect(await auditEvents(t, { action: 'life_event.create', organizationId: w.organizationId })).toEqual([
      expect.objectContaining({ actorUserId: w.coach.id, targetType: 'life_event', targetIds: [e.id, w.participantId], details: { kind: 'return_to_use' } }),
    ]);
    const reads = await auditEvents(t, { action: 'participant.read', organizationId: w.organizationId });
    expect(reads).toEqual([expect.objectContaining({ targetIds: [w.participantId], details: { part: 'life_events' } })]);
    expect(JSON.stringify(reads)).not.toContain('buprenorphine');
  });

  it('a known time is stored in UTC and must fall on the date in the organization’s time zone', async () => {
    const w = await careWorld(t);
    const client = await w.as(w.coach);
    // 22:10 on the 26th in New York is 03:10 on the 27th in UTC: the local date is the 26th.
    const ok = await client.post(`/api/v1/participants/${w.participantId}/life-events`, { kind: 'overdose', occurredOn: '2026-11-26', occurredAt: '2026-11-26T22:10:00-05:00', source: 'staff_observed' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json<LifeEventJson>().occurredAt).toBe('2026-11-27T03:10:00.000Z');
    const wrongDay = await client.post(`/api/v1/participants/${w.participantId}/life-events`, { kind: 'overdose', occurredOn: '2026-11-27', occurredAt: '2026-11-27T03:10:00Z', source: 'staff_observed' });
    expect(wrongDay.statusCode).toBe(400);
    expect(fieldsOf(wrongDay)).toEqual(['occurredAt']);
  });

  it('refuses a date or a time in the future (local today is the limit), naming the field and writing nothing', async () => {
    const w = await careWorld(t);
    const client = await w.as(w.coach);
    const before = await writeFingerprint(t);
    const tomorrow = await client.post(`/api/v1/participants/${w.participantId}/life-events`, { kind: 'ed_visit', occurredOn: '2026-11-28', source: 'records' });
    expect(tomorrow.statusCode).toBe(400);
    expect(err(tomorrow)).toMatchObject({ code: 'validation.failed', message: 'Enter a date that is today or in the past' });
    expect(fieldsOf(tomorrow)).toEqual(['occurredOn']);
    const later = await client.post(`/api/v1/participants/${w.participantId}/life-events`, { kind: 'ed_visit', occurredOn: '2026-11-27', occurredAt: '2026-11-27T16:00:00Z', source: 'records' });
    expect(fieldsOf(later)).toEqual(['occurredAt']);
    expect(await writeFingerprint(t)).toEqual(before);
    // 23:30 on the 27th in New York is already the 28th in UTC: still today, locally.
    t.clock.set('2026-11-28T04:30:00.000Z');
    const late = await w.as(w.coach); // a new session: the first one went idle
    const lateEvening = await late.post(`/api/v1/participants/${w.participantId}/life-events`, { kind: 'ed_visit', occurredOn: '2026-11-27', source: 'records' });
    expect(lateEvening.statusCode, lateEvening.body).toBe(201);
    const tooEarly = await late.post(`/api/v1/participants/${w.participantId}/life-events`, { kind: 'ed_visit', occurredOn: '2026-11-28', source: 'records' });
    expect(tooEarly.statusCode).toBe(400);
  });

  it('refuses words the program does not use ("relapse") and unknown sources, naming the field', async () => {
    const w = await careWorld(t);
    const client = await w.as(w.coach);
    const res = await client.post(`/api/v1/participants/${w.participantId}/life-events`, { kind: 'relapse', occurredOn: '2026-11-25', source: 'gossip' });
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res)).toEqual(expect.arrayContaining(['kind', 'source']));
  });

  it('a correction bumps the version; a stale one answers 409 with the record as it is now', async () => {
    const w = await careWorld(t);
    const client = await w.as(w.coach);
    const id = await lifeEventRow(t.db, { organizationId: w.organizationId, participantId: w.participantId, createdBy: w.coach.id });
    const a = await client.patch(`/api/v1/life-events/${id}`, { version: 1, source: 'clinician_verified', note: 'Confirmed by the ED nurse' });
    expect(a.statusCode, a.body).toBe(200);
    expect(a.json<LifeEventJson>()).toMatchObject({ version: 2, source: 'clinician_verified', kind: 'ed_visit', note: 'Confirmed by the ED nurse' });
    const stale = await (await w.as(w.supervisor)).patch(`/api/v1/life-events/${id}`, { version: 1, kind: 'hospital_admission' });
    expect(stale.statusCode).toBe(409);
    expect(err(stale)).toMatchObject({ code: 'record.conflict', details: { version: 2, current: expect.objectContaining({ id, source: 'clinician_verified', version: 2 }) } });
    const cleared = await client.patch(`/api/v1/life-events/${id}`, { version: 2, note: null });
    expect(cleared.json<LifeEventJson>()).toMatchObject({ version: 3, note: null });
    expect((await auditEvents(t, { action: 'life_event.update', organizationId: w.organizationId })).map((e) => e.details)).toEqual([{ fields: ['source', 'note'] }, { fields: ['note'] }]);
  });

  it('moving the date away from a known time is refused, naming the date', async () => {
    const w = await careWorld(t);
    const client = await w.as(w.coach);
    const id = await lifeEventRow(t.db, { organizationId: w.organizationId, participantId: w.participantId, createdBy: w.coach.id, occurredOn: '2026-11-20', occurredAt: '2026-11-20T18:00:00.000Z' });
    const res = await client.patch(`/api/v1/life-events/${id}`, { version: 1, occurredOn: '2026-11-19' });
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res)).toEqual(['occurredOn']);
    const both = await client.patch(`/api/v1/life-events/${id}`, { version: 1, occurredOn: '2026-11-19', occurredAt: null });
    expect(both.json<LifeEventJson>()).toMatchObject({ occurredOn: '2026-11-19', occurredAt: null });
  });

  it('lists newest first: by date, the timed events of a day before its date-only ones', async () => {
    const w = await careWorld(t);
    const base = { organizationId: w.organizationId, participantId: w.participantId, createdBy: w.coach.id };
    const old = await lifeEventRow(t.db, { ...base, occurredOn: '2026-10-01' });
    const dayOnly = await lifeEventRow(t.db, { ...base, occurredOn: '2026-11-20' });
    const timed = await lifeEventRow(t.db, { ...base, occurredOn: '2026-11-20', occurredAt: '2026-11-20T14:00:00.000Z' });
    const newest = await lifeEventRow(t.db, { ...base, occurredOn: '2026-11-26' });
    const res = await (await w.as(w.coach)).get(`/api/v1/participants/${w.participantId}/life-events`);
    expect(res.json<z.infer<typeof LifeEventList>>().lifeEvents.map((e) => e.id)).toEqual([newest, timed, dayOnly, old]);
  });

  it('someone outside the participant’s scope is refused (403), and the refusal is recorded; another organization’s event is 404', async () => {
    const w = await careWorld(t);
    const theirs = await lifeEventRow(t.db, { organizationId: w.organizationId, participantId: w.elsewhereId, createdBy: w.otherCoach.id });
    const client = await w.as(w.coach);
    const before = await writeFingerprint(t);
    const list = await client.get(`/api/v1/participants/${w.elsewhereId}/life-events`);
    const add = await client.post(`/api/v1/participants/${w.elsewhereId}/life-events`, { kind: 'overdose', occurredOn: '2026-11-25', source: 'records' });
    const change = await client.patch(`/api/v1/life-events/${theirs}`, { version: 1, source: 'participant_reported' });
    expect([list, add, change].map((r) => [r.statusCode, err(r).code])).toEqual([
      [403, 'participant.out_of_scope'],
      [403, 'participant.out_of_scope'],
      [403, 'participant.out_of_scope'],
    ]);
    expect(await writeFingerprint(t)).toEqual(before);
    expect((await auditEvents(t, { action: 'participant.access', organizationId: w.organizationId })).map((e) => e.outcome)).toEqual(['denied', 'denied', 'denied']);
    const other = await careWorld(t);
    const foreign = await lifeEventRow(t.db, { organizationId: other.organizationId, participantId: other.participantId, createdBy: other.coach.id });
    const res = await client.patch(`/api/v1/life-events/${foreign}`, { version: 1, source: 'records' });
    expect([res.statusCode, err(res).code]).toEqual([404, 'record.not_found']);
  });

  it('a privacy officer reads life events (audited) but cannot record them', async () => {
    const w = await careWorld(t);
    await lifeEventRow(t.db, { organizationId: w.organizationId, participantId: w.participantId, createdBy: w.coach.id });
    const po = await w.as(w.privacyOfficer);
    expect((await po.get(`/api/v1/participants/${w.participantId}/life-events`)).statusCode).toBe(200);
    const res = await po.post(`/api/v1/participants/${w.participantId}/life-events`, { kind: 'overdose', occurredOn: '2026-11-25', source: 'records' });
    expect([res.statusCode, err(res).code]).toEqual([403, 'auth.forbidden']);
  });
});
