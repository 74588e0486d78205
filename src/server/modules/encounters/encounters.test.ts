/**
 * Encounters through the HTTP API on a real database: logging (bad input, derived values, what a
 * reached contact changes elsewhere), drafts, signing and addenda, the review queue, group
 * encounters (all or nothing), tombstones, the phone form's defaults, the timeline, and a
 * property: random bodies never answer 500 and never leave half a group.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../../contracts/common.js';
import type { EncounterJson } from '../../../contracts/encounters.js';
import { checkNoteLanguage } from '../../../contracts/note-language.js';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { buildTeamAt, buildUser } from '../../../../test/helpers/factories.js';
import { auditEvents } from '../../../../test/helpers/inspect.js';
import { careWorld, todoRow } from '../../../../test/helpers/care.js';
import { encounterRow } from '../../../../test/helpers/encounters.js';

const NOW = '2026-11-27T15:00:00.000Z'; // Friday 10:00 in New York

describe('encounters', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
  });
  beforeEach(() => t.clock.set(NOW));
  afterAll(() => t.close());

  const err = (res: { json: <T>() => T }) => res.json<ErrorBody>().error;
  const fieldsOf = (res: { json: <T>() => T }) => err(res).fields?.map((f) => f.path);
  const checkIn = (o: Record<string, unknown> = {}) => ({
    type: 'check_in',
    mode: 'phone',
    setting: 'telehealth',
    startedAt: '2026-11-27T14:30:00Z',
    endedAt: '2026-11-27T14:45:00Z',
    reached: true,
    sign: true,
    ...o,
  });
  const countEncounters = async (organizationId: string) =>
    Number((await t.db.selectFrom('encounters').select((eb) => eb.fn.countAll<number>().as('n')).where('organization_id', '=', organizationId).executeTakeFirstOrThrow()).n);

  describe('logging a contact', () => {
    it('signs a reached check-in at once, derives place of service and duration, copies the credential, and audits ids only', async () => {
      const w = await careWorld(t);
      await t.db.updateTable('users').set({ credential: 'CPRS' }).where('id', '=', w.coach.id).execute();
      const client = await w.as(w.coach);
      const res = await client.post(`/api/v1/participants/${w.participantId}/encounters`, checkIn({ services: ['moud_support', 'transportation'], note: 'Proud of getting to the clinic.', participantWords: 'I want to keep my job' }));
      expect(res.statusCode, res.body).toBe(201);
      const e = res.json<EncounterJson>();
      expect(e).toMatchObject({
        participantId: w.participantId,
        episodeId: w.episodeId,
        placeOfService: '02',
        durationMinutes: 15,
        reached: true,
        attemptOutcome: null,
        status: 'signed',
        signedAt: NOW,
        reviewStatus: 'none',
        authorUserId: w.coach.id,
        authorCredential: 'CPRS',
        services: ['moud_support', 'transportation'],
        deleted: null,
        addenda: [],
        version: 1,
      });
      const audits = await auditEvents(t, { action: 'encounter.create', organizationId: w.organizationId });
      expect(audits).toEqual([expect.objectContaining({ actorUserId: w.coach.id, targetType: 'participant', targetIds: [w.participantId, e.id] })]);
      expect(JSON.stringify(audits)).not.toContain('Proud');
    });

    it('derives the place of service from setting and mode, and keeps an override', async () => {
      const w = await careWorld(t);
      const client = await w.as(w.coach);
      const pos = async (o: Record<string, unknown>) => (await client.post(`/api/v1/participants/${w.participantId}/encounters`, checkIn(o))).json<EncounterJson>().placeOfService;
      expect(await pos({ mode: 'in_person', setting: 'ed' })).toBe('23');
      expect(await pos({ mode: 'in_person', setting: 'home' })).toBe('12');
      expect(await pos({ mode: 'video', setting: 'home' })).toBe('10');
      expect(await pos({ mode: 'in_person', setting: 'street_outreach' })).toBe('27');
      expect(await pos({ mode: 'in_person', setting: 'outpatient_clinic', placeOfService: '22' })).toBe('22');
    });

    it.each([
      ['an end before the start', { endedAt: '2026-11-27T14:00:00Z' }, 'endedAt'],
      ['a start in the future', { startedAt: '2026-11-27T16:00:00Z', endedAt: null }, 'startedAt'],
      ['an end in the future', { endedAt: '2026-11-27T15:30:00Z' }, 'endedAt'],
      ['a duration over 24 hours', { startedAt: '2026-11-25T10:00:00Z', endedAt: '2026-11-26T10:01:00Z' }, 'endedAt'],
      ['an outreach attempt marked reached', { type: 'outreach_attempt' }, 'reached'],
      ['an attempt with no outcome', { reached: false }, 'attemptOutcome'],
      ['an outcome for a reached contact', { attemptOutcome: 'no_answer' }, 'attemptOutcome'],
      ['a type not on the list', { type: 'therapy' }, 'type'],
      ['a service twice', { services: ['housing', 'housing'] }, 'services'],
      ['a start that is not a time', { startedAt: 'yesterday' }, 'startedAt'],
    ])('refuses %s → 400 naming the field, writing nothing', async (_label, o, field) => {
      const w = await careWorld(t);
      const res = await (await w.as(w.coach)).post(`/api/v1/participants/${w.participantId}/encounters`, checkIn(o));
      expect(res.statusCode, res.body).toBe(400);
      expect(fieldsOf(res)).toContain(field);
      expect(await countEncounters(w.organizationId)).toBe(0);
    });

    it('accepts a start a minute ahead of the server clock (a phone’s clock skew), and exactly 24 hours', async () => {
      const w = await careWorld(t);
      const client = await w.as(w.coach);
      expect((await client.post(`/api/v1/participants/${w.participantId}/encounters`, checkIn({ startedAt: '2026-11-27T15:01:00Z', endedAt: null }))).statusCode).toBe(201);
      expect((await client.post(`/api/v1/participants/${w.participantId}/encounters`, checkIn({ startedAt: '2026-11-26T14:00:00Z', endedAt: '2026-11-27T14:00:00Z' }))).statusCode).toBe(201);
    });

    it('answers 404 for another organization’s participant and 403 for one outside the caller’s scope', async () => {
      const w = await careWorld(t);
      const other = await careWorld(t);
      const client = await w.as(w.coach);
      expect((await client.post(`/api/v1/participants/${other.participantId}/encounters`, checkIn())).statusCode).toBe(404);
      const res = await client.post(`/api/v1/participants/${w.elsewhereId}/encounters`, checkIn());
      expect(res.statusCode).toBe(403);
      expect(err(res).code).toBe('participant.out_of_scope');
      expect((await client.get(`/api/v1/participants/${w.elsewhereId}/encounters`)).statusCode).toBe(403);
    });

    it('refuses a to-do of another participant (400 naming todoId)', async () => {
      const w = await careWorld(t);
      const theirs = await todoRow(t.db, { organizationId: w.organizationId, participantId: w.elsewhereId, ownerUserId: w.otherCoach.id });
      const res = await (await w.as(w.coach)).post(`/api/v1/participants/${w.participantId}/encounters`, checkIn({ todoId: theirs }));
      expect(res.statusCode).toBe(400);
      expect(fieldsOf(res)).toEqual(['todoId']);
    });
  });

  describe('what a contact changes elsewhere', () => {
    const todoStatus = async (id: string) => (await t.db.selectFrom('todos').select(['status', 'resolution']).where('id', '=', id).executeTakeFirstOrThrow());

    it('a reached contact clears contact_reached to-dos, closes the one it answers, and moves the last contact forward (never back)', async () => {
      const w = await careWorld(t);
      const clears = await todoRow(t.db, { organizationId: w.organizationId, participantId: w.participantId, ownerUserId: w.coach.id, clearsOn: 'contact_reached' });
      const manual = await todoRow(t.db, { organizationId: w.organizationId, participantId: w.participantId, ownerUserId: w.coach.id, clearsOn: 'manual' });
      const answered = await todoRow(t.db, { organizationId: w.organizationId, participantId: w.participantId, ownerUserId: w.coach.id, clearsOn: 'manual' });
      const client = await w.as(w.coach);
      expect((await client.post(`/api/v1/participants/${w.participantId}/encounters`, checkIn({ todoId: answered }))).statusCode).toBe(201);
      expect(await todoStatus(clears)).toEqual({ status: 'done', resolution: 'contact_reached' });
      expect(await todoStatus(answered)).toEqual({ status: 'done', resolution: 'encounter' });
      expect((await todoStatus(manual)).status).toBe('open');
      const last = async () => (await t.db.selectFrom('episodes').select('last_contact_at').where('id', '=', w.episodeId).executeTakeFirstOrThrow()).last_contact_at;
      expect(await last()).toBe('2026-11-27T14:30:00.000Z');
      // An earlier contact logged later does not move it back.
      expect((await client.post(`/api/v1/participants/${w.participantId}/encounters`, checkIn({ startedAt: '2026-11-20T14:30:00Z', endedAt: null }))).statusCode).toBe(201);
      expect(await last()).toBe('2026-11-27T14:30:00.000Z');
    });

    it('an attempt that did not reach the person closes only the to-do it answers', async () => {
      const w = await careWorld(t);
      const clears = await todoRow(t.db, { organizationId: w.organizationId, participantId: w.participantId, ownerUserId: w.coach.id, clearsOn: 'contact_reached' });
      const answered = await todoRow(t.db, { organizationId: w.organizationId, participantId: w.participantId, ownerUserId: w.coach.id, clearsOn: 'contact_reached' });
      const res = await (await w.as(w.coach)).post(
        `/api/v1/participants/${w.participantId}/encounters`,
        checkIn({ type: 'outreach_attempt', reached: false, attemptOutcome: 'voicemail_left', endedAt: null, todoId: answered }),
      );
      expect(res.statusCode, res.body).toBe(201);
      expect((await todoStatus(clears)).status).toBe('open');
      expect((await todoStatus(answered)).status).toBe('done');
      expect((await t.db.selectFrom('episodes').select('last_contact_at').where('id', '=', w.episodeId).executeTakeFirstOrThrow()).last_contact_at).toBeNull();
    });

    it('a reached contact makes an unreachable episode active again, with an episode event; an attempt does not', async () => {
      const w = await careWorld(t);
      await t.db.updateTable('episodes').set({ status: 'unreachable', unreachable_reason: 'three attempts, no answer' }).where('id', '=', w.episodeId).execute();
      const client = await w.as(w.coach);
      await client.post(`/api/v1/participants/${w.participantId}/encounters`, checkIn({ type: 'outreach_attempt', reached: false, attemptOutcome: 'no_answer' }));
      const episode = () => t.db.selectFrom('episodes').select(['status', 'unreachable_reason']).where('id', '=', w.episodeId).executeTakeFirstOrThrow();
      expect((await episode()).status).toBe('unreachable');
      expect((await client.post(`/api/v1/participants/${w.participantId}/encounters`, checkIn())).statusCode).toBe(201);
      expect(await episode()).toEqual({ status: 'active', unreachable_reason: null });
      const events = await t.db.selectFrom('episode_events').select(['kind', 'from_value', 'to_value', 'reason', 'actor_user_id']).where('episode_id', '=', w.episodeId).execute();
      expect(events).toEqual([{ kind: 'status', from_value: 'unreachable', to_value: 'active', reason: 'contact reached', actor_user_id: w.coach.id }]);
    });
  });

  describe('drafts, signing and addenda', () => {
    it('the author edits a draft with its version, signs it, and then only addenda change it', async () => {
      const w = await careWorld(t);
      const client = await w.as(w.coach);
      const draft = (await client.post(`/api/v1/participants/${w.participantId}/encounters`, checkIn({ sign: false, note: 'First try' }))).json<EncounterJson>();
      expect(draft).toMatchObject({ status: 'draft', signedAt: null, version: 1 });
      const edited = await client.patch(`/api/v1/encounters/${draft.id}`, { version: 1, note: 'Met at the library', setting: 'rco_community', mode: 'in_person' });
      expect(edited.statusCode, edited.body).toBe(200);
      expect(edited.json<EncounterJson>()).toMatchObject({ note: 'Met at the library', placeOfService: '99', version: 2 });
      const stale = await client.patch(`/api/v1/encounters/${draft.id}`, { version: 1, note: 'Stale' });
      expect(stale.statusCode).toBe(409);
      expect(err(stale)).toMatchObject({ code: 'record.conflict', details: { version: 2 } });
      const signed = await client.patch(`/api/v1/encounters/${draft.id}`, { version: 2, sign: true });
      expect(signed.json<EncounterJson>()).toMatchObject({ status: 'signed', signedAt: NOW, version: 3 });
      const after = await client.patch(`/api/v1/encounters/${draft.id}`, { version: 3, note: 'Silent edit' });
      expect(after.statusCode).toBe(409);
      expect(err(after).code).toBe('encounter.locked');
      const add = await client.post(`/api/v1/encounters/${draft.id}/addenda`, { text: 'She called back at 4 pm.' });
      expect(add.statusCode, add.body).toBe(201);
      const shown = (await client.get(`/api/v1/encounters/${draft.id}`)).json<EncounterJson>();
      expect(shown.note).toBe('Met at the library');
      expect(shown.addenda).toEqual([expect.objectContaining({ authorUserId: w.coach.id, text: 'She called back at 4 pm.', createdAt: NOW })]);
      expect(await auditEvents(t, { action: 'encounter.addendum', organizationId: w.organizationId })).toHaveLength(1);
    });

    it('checks the merged values of a draft edit (an end before the new start → 400 endedAt)', async () => {
      const w = await careWorld(t);
      const client = await w.as(w.coach);
      const draft = (await client.post(`/api/v1/participants/${w.participantId}/encounters`, checkIn({ sign: false }))).json<EncounterJson>();
      const res = await client.patch(`/api/v1/encounters/${draft.id}`, { version: 1, startedAt: '2026-11-27T14:50:00Z' });
      expect(res.statusCode).toBe(400);
      expect(fieldsOf(res)).toEqual(['endedAt']);
    });

    it('only the author changes a draft; a draft takes no addendum; the author’s supervisor may add one after signing, another coach may not', async () => {
      const w = await careWorld(t);
      const draft = await encounterRow(t.db, { organizationId: w.organizationId, participantId: w.participantId, authorUserId: w.coach.id, status: 'draft' });
      const sup = await w.as(w.supervisor);
      expect((await sup.patch(`/api/v1/encounters/${draft}`, { version: 1, note: 'x' })).statusCode).toBe(403);
      const onDraft = await (await w.as(w.coach)).post(`/api/v1/encounters/${draft}/addenda`, { text: 'More' });
      expect(err(onDraft).code).toBe('encounter.locked');
      const signed = await encounterRow(t.db, { organizationId: w.organizationId, participantId: w.participantId, authorUserId: w.coach.id });
      expect((await sup.post(`/api/v1/encounters/${signed}/addenda`, { text: 'Reviewed with the coach.' })).statusCode).toBe(201);
      const teammate = await buildUser(t.db, { organizationId: w.organizationId, roles: ['coach'] });
      await buildTeamAt(t.db, w.organizationId, { siteId: w.siteA, memberUserIds: [teammate.id] });
      expect((await (await w.as(teammate)).post(`/api/v1/encounters/${signed}/addenda`, { text: 'Not mine' })).statusCode).toBe(403);
    });
  });

  describe('the review queue', () => {
    it('routes a note the coach flags and every crisis note (program rule) to review; a draft waits until signed', async () => {
      const w = await careWorld(t);
      const client = await w.as(w.coach);
      const flagged = (await client.post(`/api/v1/participants/${w.participantId}/encounters`, checkIn({ flagForReview: true }))).json<EncounterJson>();
      expect(flagged).toMatchObject({ reviewStatus: 'pending', reviewReason: 'coach' });
      const crisis = (await client.post(`/api/v1/participants/${w.participantId}/encounters`, checkIn({ type: 'crisis', services: ['crisis_support'] }))).json<EncounterJson>();
      expect(crisis).toMatchObject({ reviewStatus: 'pending', reviewReason: 'program_rule' });
      const plain = (await client.post(`/api/v1/participants/${w.participantId}/encounters`, checkIn())).json<EncounterJson>();
      expect(plain.reviewStatus).toBe('none');
      const draft = (await client.post(`/api/v1/participants/${w.participantId}/encounters`, checkIn({ type: 'crisis', sign: false }))).json<EncounterJson>();
      expect(draft.reviewStatus).toBe('none');
      const signed = (await client.patch(`/api/v1/encounters/${draft.id}`, { version: 1, sign: true })).json<EncounterJson>();
      expect(signed).toMatchObject({ reviewStatus: 'pending', reviewReason: 'program_rule' });
      // A program without the rule: crisis notes need no review.
      await t.db.updateTable('programs').set({ review_types: '[]' }).where('id', '=', w.programId).execute();
      expect((await client.post(`/api/v1/participants/${w.participantId}/encounters`, checkIn({ type: 'crisis' }))).json<EncounterJson>().reviewStatus).toBe('none');
    });

    it.skipIf(checkNoteLanguage('He is an addict and non-compliant', 'en').length === 0)('routes a note the note aid flags to review, with its flags', async () => {
      const w = await careWorld(t);
      const res = await (await w.as(w.coach)).post(`/api/v1/participants/${w.participantId}/encounters`, checkIn({ note: 'He is an addict and non-compliant' }));
      const e = res.json<EncounterJson>();
      expect(e).toMatchObject({ reviewStatus: 'pending', reviewReason: 'note_aid' });
      expect(e.noteFlags.length).toBeGreaterThan(0);
    });

    it('shows supervisors their teams’ coaches’ notes and program managers all; co-sign or return with a comment', async () => {
      const w = await careWorld(t);
      const mine = await encounterRow(t.db, { organizationId: w.organizationId, participantId: w.participantId, authorUserId: w.coach.id, reviewStatus: 'pending', reviewReason: 'coach' });
      const elsewhere = await encounterRow(t.db, { organizationId: w.organizationId, participantId: w.elsewhereId, authorUserId: w.otherCoach.id, reviewStatus: 'pending', reviewReason: 'coach' });
      const sup = await w.as(w.supervisor);
      const queue = (await sup.get('/api/v1/encounters/review-queue')).json<{ items: (EncounterJson & { participantName: string | null })[] }>();
      expect(queue.items.map((i) => i.id)).toEqual([mine]);
      expect(queue.items[0]!.participantName).toMatch(/Rosa/);
      const pm = (await (await w.as(w.manager)).get('/api/v1/encounters/review-queue')).json<{ items: EncounterJson[] }>();
      expect(pm.items.map((i) => i.id).sort()).toEqual([mine, elsewhere].sort());
      expect((await sup.post(`/api/v1/encounters/${elsewhere}/review`, { decision: 'cosign' })).statusCode).toBe(403);
      const noComment = await sup.post(`/api/v1/encounters/${mine}/review`, { decision: 'return' });
      expect(fieldsOf(noComment)).toEqual(['comment']);
      const returned = await sup.post(`/api/v1/encounters/${mine}/review`, { decision: 'return', comment: 'Say what she wants next in her words.' });
      expect(returned.json<EncounterJson>()).toMatchObject({ reviewStatus: 'returned', reviewComment: 'Say what she wants next in her words.', reviewedAt: NOW });
      expect(err(await sup.post(`/api/v1/encounters/${mine}/review`, { decision: 'cosign' })).code).toBe('encounter.locked');
      expect((await sup.get('/api/v1/encounters/review-queue')).json<{ items: unknown[] }>().items).toEqual([]);
      const cosigned = await (await w.as(w.manager)).post(`/api/v1/encounters/${elsewhere}/review`, { decision: 'cosign' });
      expect(cosigned.json<EncounterJson>().reviewStatus).toBe('cosigned');
      expect(await auditEvents(t, { action: 'encounter.review', organizationId: w.organizationId })).toHaveLength(2);
    });

    it('a reviewer does not review their own note', async () => {
      const w = await careWorld(t);
      const own = await encounterRow(t.db, { organizationId: w.organizationId, participantId: w.participantId, authorUserId: w.manager.id, reviewStatus: 'pending', reviewReason: 'coach' });
      expect((await (await w.as(w.manager)).post(`/api/v1/encounters/${own}/review`, { decision: 'cosign' })).statusCode).toBe(403);
    });
  });

  describe('group encounters', () => {
    it('makes one record per person with a shared group id', async () => {
      const w = await careWorld(t);
      const res = await (await w.as(w.manager)).post('/api/v1/encounters/group', checkIn({ type: 'group', mode: 'in_person', setting: 'rco_community', participantIds: [w.participantId, w.elsewhereId] }));
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json<{ groupId: string; encounters: EncounterJson[] }>();
      expect(body.encounters.map((e) => e.participantId)).toEqual([w.participantId, w.elsewhereId]);
      expect(new Set(body.encounters.map((e) => e.groupId))).toEqual(new Set([body.groupId]));
      expect(body.encounters.every((e) => e.placeOfService === '99' && e.type === 'group')).toBe(true);
    });

    it('is all or nothing: one person out of scope (403) or of another organization (404) creates no record; no one → 400', async () => {
      const w = await careWorld(t);
      const other = await careWorld(t);
      const client = await w.as(w.coach);
      const group = (ids: string[]) => client.post('/api/v1/encounters/group', checkIn({ type: 'group', participantIds: ids }));
      expect((await group([w.participantId, w.elsewhereId])).statusCode).toBe(403);
      expect((await group([w.participantId, other.participantId])).statusCode).toBe(404);
      const empty = await group([]);
      expect(empty.statusCode).toBe(400);
      expect(fieldsOf(empty)).toEqual(['participantIds']);
      expect(await countEncounters(w.organizationId)).toBe(0);
    });
  });

  describe('deletion', () => {
    it('an admin leaves an audited tombstone: the note is never shown, the list says who deleted it and when', async () => {
      const w = await careWorld(t);
      const admin = await buildUser(t.db, { organizationId: w.organizationId, roles: ['admin'] });
      const id = await encounterRow(t.db, { organizationId: w.organizationId, participantId: w.participantId, authorUserId: w.coach.id, participantWords: 'I want my kids back' });
      const res = await (await w.as(admin)).request('DELETE', `/api/v1/encounters/${id}`, { reason: 'Logged for the wrong person' });
      expect(res.statusCode, res.body).toBe(200);
      const list = (await (await w.as(w.coach)).get(`/api/v1/participants/${w.participantId}/encounters`)).json<{ encounters: EncounterJson[] }>();
      expect(list.encounters[0]).toMatchObject({ id, note: null, participantWords: null, deleted: { at: NOW, byName: expect.any(String) as string, reason: 'Logged for the wrong person' } });
      const row = await t.db.selectFrom('encounters').select(['note', 'deleted_by']).where('id', '=', id).executeTakeFirstOrThrow();
      expect(row).toEqual({ note: expect.stringContaining('new job') as string, deleted_by: admin.id });
      expect(await auditEvents(t, { action: 'encounter.delete', organizationId: w.organizationId })).toEqual([expect.objectContaining({ actorUserId: admin.id, targetIds: [w.participantId, id] })]);
      expect(err(await (await w.as(admin)).request('DELETE', `/api/v1/encounters/${id}`, { reason: 'again' })).code).toBe('encounter.locked');
      expect(err(await (await w.as(w.coach)).post(`/api/v1/encounters/${id}/addenda`, { text: 'x' })).code).toBe('encounter.locked');
    });
  });

  describe('reading', () => {
    it('lists newest first a page at a time, audited; the timeline shows type, mode and reached, never the note', async () => {
      const w = await careWorld(t);
      const ids: string[] = [];
      for (const h of ['10', '11', '12']) ids.push(await encounterRow(t.db, { organizationId: w.organizationId, participantId: w.participantId, authorUserId: w.coach.id, startedAt: `2026-11-2${h.slice(1)}T${h}:00:00.000Z` }));
      const client = await w.as(w.coach);
      const first = (await client.get(`/api/v1/participants/${w.participantId}/encounters?limit=2`)).json<{ encounters: EncounterJson[]; nextCursor: string | null }>();
      expect(first.encounters.map((e) => e.id)).toEqual([ids[2], ids[1]]);
      const second = (await client.get(`/api/v1/participants/${w.participantId}/encounters?limit=2&before=${first.nextCursor}`)).json<{ encounters: EncounterJson[]; nextCursor: string | null }>();
      expect(second).toMatchObject({ encounters: [expect.objectContaining({ id: ids[0] })], nextCursor: null });
      expect(fieldsOf(await client.get(`/api/v1/participants/${w.participantId}/encounters?before=nonsense`))).toEqual(['before']);
      await t.auditReads.flush();
      expect((await auditEvents(t, { action: 'participant.read', organizationId: w.organizationId })).filter((a) => a.details?.part === 'encounters')).toHaveLength(2);
      const timeline = (await client.get(`/api/v1/participants/${w.participantId}/timeline?limit=20`)).json<{ items: { kind: string; details: Record<string, unknown>; summary: string }[] }>();
      const items = timeline.items.filter((i) => i.kind === 'encounter.logged');
      expect(items).toHaveLength(3);
      expect(items[0]!.details).toMatchObject({ encounterId: ids[2], type: 'check_in', mode: 'phone', reached: true });
      expect(JSON.stringify(timeline)).not.toContain('new job');
    });

    it('gives the phone form the caller’s last type and setting and the participant’s preferred contact method', async () => {
      const w = await careWorld(t);
      const client = await w.as(w.coach);
      expect((await client.get(`/api/v1/encounters/defaults?participantId=${w.participantId}`)).json()).toEqual({ type: 'check_in', mode: 'phone', setting: 'telehealth', fromLastEncounter: false });
      await encounterRow(t.db, { organizationId: w.organizationId, participantId: w.participantId, authorUserId: w.coach.id, type: 'follow_up', mode: 'in_person', setting: 'home' });
      expect((await client.get(`/api/v1/encounters/defaults?participantId=${w.participantId}`)).json()).toEqual({ type: 'follow_up', mode: 'in_person', setting: 'home', fromLastEncounter: true });
      await t.db.updateTable('participants').set({ preferred_contact_method: 'text' }).where('id', '=', w.participantId).execute();
      expect((await client.get(`/api/v1/encounters/defaults?participantId=${w.participantId}`)).json()).toEqual({ type: 'follow_up', mode: 'text', setting: 'home', fromLastEncounter: true });
    });
  });

  describe('property: random bodies', () => {
    it('never answer 500 and never leave half a group', async () => {
      const w = await careWorld(t);
      const other = await careWorld(t);
      const client = await w.as(w.manager);
      const instant = fc.oneof(
        fc.integer({ min: -3 * 86_400_000, max: 3_600_000 }).map((ms) => new Date(Date.parse(NOW) + ms).toISOString()),
        fc.constantFrom('not a time', '', '2026-13-40T00:00:00Z', null),
      );
      const body = fc.record(
        {
          type: fc.constantFrom('check_in', 'group', 'outreach_attempt', 'crisis', 'nap'),
          mode: fc.constantFrom('in_person', 'phone', 'fax'),
          setting: fc.constantFrom('ed', 'home', 'telehealth', 'moon'),
          startedAt: instant,
          endedAt: instant,
          reached: fc.oneof(fc.boolean(), fc.constant('yes')),
          attemptOutcome: fc.constantFrom('no_answer', 'declined', 'maybe', null),
          services: fc.array(fc.constantFrom('housing', 'naloxone_kit', 'yoga'), { maxLength: 3 }),
          note: fc.oneof(fc.string({ maxLength: 50 }), fc.constant(null)),
          placeOfService: fc.constantFrom('11', '1', null),
          sign: fc.boolean(),
          flagForReview: fc.boolean(),
          participantIds: fc.array(fc.constantFrom(w.participantId, w.elsewhereId, other.participantId, 'nope'), { maxLength: 3 }),
        },
        { requiredKeys: [] },
      );
      await fc.assert(
        fc.asyncProperty(body, fc.boolean(), async (b, asGroup) => {
          const before = await countEncounters(w.organizationId);
          const res = asGroup ? await client.post('/api/v1/encounters/group', b) : await client.post(`/api/v1/participants/${w.participantId}/encounters`, b);
          expect(res.statusCode, res.body).toBeLessThan(500);
          const made = (await countEncounters(w.organizationId)) - before;
          if (res.statusCode === 201) expect(made).toBe(asGroup ? (b.participantIds ?? []).length : 1);
          else expect(made).toBe(0);
        }),
        { numRuns: 60 },
      );
    });
  });
});
