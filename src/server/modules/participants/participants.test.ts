import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import type { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../../contracts/common.js';
import type { Caseload, DuplicateCheckResponse, Episode, Participant, ParticipantSearchResult } from '../../../contracts/participants.js';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/helpers/app.js';
import { buildEpisode, buildOrganization, buildParticipant, buildProgram, buildSite, buildTeamAt, buildUser, type BuiltUser } from '../../../../test/helpers/factories.js';
import { auditEvents } from '../../../../test/helpers/inspect.js';
import { actingAs, sessionFor } from '../../../../test/helpers/sessions.js';
import { insertEpisode, listEpisodeEvents } from './participants.repository.js';

type ParticipantJson = z.infer<typeof Participant>;
type EpisodeJson = z.infer<typeof Episode>;

describe('participants and episodes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ now: '2026-11-27T15:00:00.000Z' });
  });
  afterAll(() => t.close());

  const err = (res: { json: <T>() => T }) => res.json<ErrorBody>().error;
  const fieldsOf = (res: { json: <T>() => T }) => err(res).fields?.map((f) => f.path);
  const count = async (table: 'participants' | 'episodes' | 'consents', organizationId: string) =>
    Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)} where organization_id = ${organizationId}`.execute(t.db)).rows[0]?.n ?? 0);

  /** An organization with a program, two sites, a team at site A (supervisor + coach). */
  async function world() {
    const org = await buildOrganization(t.db);
    const organizationId = org.id;
    const coach = await buildUser(t.db, { organizationId, roles: ['coach'] });
    const otherCoach = await buildUser(t.db, { organizationId, roles: ['coach'] });
    const supervisor = await buildUser(t.db, { organizationId, roles: ['supervisor'] });
    const programId = await buildProgram(t.db, organizationId);
    const siteA = await buildSite(t.db, organizationId);
    const siteB = await buildSite(t.db, organizationId);
    await buildTeamAt(t.db, organizationId, { siteId: siteA, supervisorUserId: supervisor.id, memberUserIds: [coach.id] });
    const as = async (user: BuiltUser): Promise<TestClient> => (await sessionFor(t, user)).client;
    return { organizationId, coach, otherCoach, supervisor, programId, siteA, siteB, as };
  }

  describe('brief intake', () => {
    it('a coach records a first name and an age; phone is stored as digits; the intake is audited and findable by its maker', async () => {
      const w = await world();
      const client = await w.as(w.coach);
      const res = await client.post('/api/v1/participants', {
        firstName: ' Marcus ',
        ageAtIntake: 34,
        phone: '(555) 201-3344',
        intakeSetting: 'emergency_department',
        consentToFollowUp: true,
        consentWitnessName: 'Nurse Alvarez',
      });
      expect(res.statusCode, res.body).toBe(201);
      const p = res.json<ParticipantJson>();
      expect(p).toMatchObject({ firstName: 'Marcus', birthYear: 1992, dobEstimated: true, phone: '15552013344', intakeLevel: 'brief', consentToFollowUp: true, version: 1 });
      expect(p.consentToFollowUpAt).toBe('2026-11-27T15:00:00.000Z');
      expect(p).not.toHaveProperty('organizationId');
      // The verbal consent is a participation consent record, witnessed, in the same write.
      const consents = (await client.get(`/api/v1/participants/${p.id}/consents`)).json<{ consents: { id: string; kind: string; status: string }[] }>().consents;
      expect(consents).toEqual([expect.objectContaining({ kind: 'participation', status: 'active' })]);
      const consent = (await client.get(`/api/v1/consents/${consents[0]!.id}`)).json<{ signatures: { method: string; witnessName: string | null; signerRole: string }[] }>();
      expect(consent.signatures).toEqual([expect.objectContaining({ method: 'verbal', witnessName: 'Nurse Alvarez', signerRole: 'participant' })]);
      expect((await client.get(`/api/v1/participants/${p.id}`)).statusCode).toBe(200);
      expect(await auditEvents(t, { action: 'participant.create', organizationId: w.organizationId })).toEqual([
        expect.objectContaining({ actorUserId: w.coach.id, targetIds: [p.id], details: { intakeLevel: 'brief' } }),
      ]);
    });

    it('with a program and site it also enrolls, and the coach becomes the assigned coach', async () => {
      const w = await world();
      const client = await w.as(w.coach);
      const res = await client.post('/api/v1/participants', { alias: 'Red', programId: w.programId, siteId: w.siteB });
      expect(res.statusCode, res.body).toBe(201);
      const episodes = (await client.get(`/api/v1/participants/${res.json<ParticipantJson>().id}/episodes`)).json<{ episodes: EpisodeJson[] }>().episodes;
      expect(episodes).toEqual([expect.objectContaining({ programId: w.programId, siteId: w.siteB, assignedCoachUserId: w.coach.id, status: 'active', startDate: '2026-11-27' })]);
    });

    it('refuses a date of birth in the future, naming dateOfBirth, and writes nothing', async () => {
      const w = await world();
      const client = await w.as(w.coach);
      const res = await client.post('/api/v1/participants', { firstName: 'Ana', dateOfBirth: '2026-12-01' });
      expect(res.statusCode).toBe(400);
      expect(err(res)).toMatchObject({ code: 'validation.failed', message: 'Enter a date of birth in the past' });
      expect(fieldsOf(res)).toEqual(['dateOfBirth']);
      expect(await count('participants', w.organizationId)).toBe(0);
    });

    it("records the participant's recovery start date; one after today or before birth is refused naming recoveryStartDate, and nothing is written", async () => {
      const w = await world();
      const client = await w.as(w.coach);
      const res = await client.post('/api/v1/participants', { firstName: 'Lena', dateOfBirth: '1990-05-14', recoveryStartDate: '2026-11-27' });
      expect(res.statusCode, res.body).toBe(201);
      const p = res.json<ParticipantJson>();
      expect(p.recoveryStartDate).toBe('2026-11-27');
      expect((await client.get(`/api/v1/participants/${p.id}`)).json<ParticipantJson>().recoveryStartDate).toBe('2026-11-27');
      // Milestones count from it.
      const milestones = (await client.get(`/api/v1/participants/${p.id}/milestones`)).json<{ recoveryStartDate: string | null; upcoming: { anchor: string; on: string }[] }>();
      expect(milestones.recoveryStartDate).toBe('2026-11-27');
      expect(milestones.upcoming[0]).toMatchObject({ anchor: '24h', on: '2026-11-28' });

      const refused: [Record<string, unknown>, string][] = [
        [{ firstName: 'Ana', recoveryStartDate: '2026-11-28' }, 'Enter a recovery start date that is today or in the past'],
        [{ firstName: 'Ana', dateOfBirth: '1990-05-14', recoveryStartDate: '1990-05-13' }, 'Enter a recovery start date after the date of birth'],
        // An age gives an estimated birth year (34 in 2026: 1992): a start before that year began is before birth.
        [{ firstName: 'Ana', ageAtIntake: 34, recoveryStartDate: '1991-12-31' }, 'Enter a recovery start date after the date of birth'],
        [{ firstName: 'Ana', recoveryStartDate: '2026-02-30' }, expect.any(String)],
      ];
      const before = await count('participants', w.organizationId);
      for (const [body, message] of refused) {
        const bad = await client.post('/api/v1/participants', body);
        expect(bad.statusCode, JSON.stringify(body)).toBe(400);
        expect(err(bad).fields).toEqual([{ path: 'recoveryStartDate', message }]);
      }
      expect(await count('participants', w.organizationId)).toBe(before);
      // The first day of the estimated birth year is not before birth: accepted.
      expect((await client.post('/api/v1/participants', { firstName: 'Ana', ageAtIntake: 34, recoveryStartDate: '1992-01-01' })).statusCode).toBe(201);
    });

    it('needs a first name or an alias', async () => {
      const w = await world();
      const res = await (await w.as(w.coach)).post('/api/v1/participants', { lastName: 'Lopez' });
      expect(res.statusCode).toBe(400);
      expect(fieldsOf(res)).toContain('firstName');
    });

    it('an enrollment with a program of another organization is refused and leaves no participant behind', async () => {
      const w = await world();
      const other = await buildOrganization(t.db);
      const res = await (await w.as(w.coach)).post('/api/v1/participants', { firstName: 'Ana', programId: await buildProgram(t.db, other.id), siteId: w.siteA });
      expect(res.statusCode).toBe(400);
      expect(fieldsOf(res)).toEqual(['programId']);
      expect(await count('participants', w.organizationId)).toBe(0);
    });

    it('a retried intake with the same Idempotency-Key creates one participant', async () => {
      const w = await world();
      const client = await w.as(w.coach);
      const headers = { 'idempotency-key': `intake-${randomUUID()}` };
      const body = { firstName: 'Dee', consentToFollowUp: true, consentWitnessName: 'Sam Ortiz' };
      const a = await client.request('POST', '/api/v1/participants', body, { headers });
      const b = await client.request('POST', '/api/v1/participants', body, { headers });
      expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
      expect(b.json<ParticipantJson>().id).toBe(a.json<ParticipantJson>().id);
      expect(await count('participants', w.organizationId)).toBe(1);
      expect(await count('consents', w.organizationId)).toBe(1);
    });

    it('verbal consent to follow-up needs a witness: without one, 400 naming consentWitnessName and nothing saved', async () => {
      const w = await world();
      const client = await w.as(w.coach);
      const res = await client.post('/api/v1/participants', { firstName: 'Dee', consentToFollowUp: true });
      expect(res.statusCode).toBe(400);
      expect(res.json<{ error: { fields: { path: string }[] } }>().error.fields.map((f) => f.path)).toEqual(['consentWitnessName']);
      expect(await count('participants', w.organizationId)).toBe(0);
    });
  });

  describe('who sees which participants (docs/ARCHITECTURE.md)', () => {
    it.each([
      // role,              assigned to the coach, unassigned at the team's site, another coach's elsewhere, a brief intake by the coach, discharged from the coach
      ['coach', [200, 200, 403, 200, 403]],
      ['supervisor', [200, 200, 403, 403, 403]],
      ['program_manager', [200, 200, 200, 200, 200]],
      ['privacy_officer', [200, 200, 200, 200, 200]],
      ['admin', [403, 403, 403, 403, 403]],
      ['partner', [403, 403, 403, 403, 403]],
    ] as const)('%s', async (role, expected) => {
      const w = await world();
      const mk = async (episode?: { siteId: string; coach: string | null; discharged?: boolean }) => {
        const id = await buildParticipant(t.db, { organizationId: w.organizationId, createdBy: w.coach.id });
        if (episode) {
          const e = await buildEpisode(t.db, { organizationId: w.organizationId, participantId: id, createdBy: w.coach.id, programId: w.programId, siteId: episode.siteId, assignedCoachUserId: episode.coach });
          if (episode.discharged) await t.db.updateTable('episodes').set({ status: 'discharged', discharge_date: '2026-11-20', discharge_reason: 'goals_met' }).where('id', '=', e.id).execute();
        }
        return id;
      };
      const ids = [
        await mk({ siteId: w.siteB, coach: w.coach.id }),
        await mk({ siteId: w.siteA, coach: null }),
        await mk({ siteId: w.siteB, coach: w.otherCoach.id }),
        await mk(),
        await mk({ siteId: w.siteA, coach: w.coach.id, discharged: true }),
      ];
      const other = await buildOrganization(t.db);
      const stranger = await buildUser(t.db, { organizationId: other.id, roles: ['coach'] });
      const foreign = await buildParticipant(t.db, { organizationId: other.id, createdBy: stranger.id });

      const caller = role === 'coach' ? w.coach : role === 'supervisor' ? w.supervisor : await buildUser(t.db, { organizationId: w.organizationId, roles: [role] });
      const client = await w.as(caller);
      const got: number[] = [];
      for (const id of ids) {
        const res = await client.get(`/api/v1/participants/${id}`);
        got.push(res.statusCode);
        if (res.statusCode === 403) expect(err(res).code).toBe(role === 'admin' || role === 'partner' ? 'auth.forbidden' : 'participant.out_of_scope');
      }
      expect(got).toEqual(expected);
      const theirs = await client.get(`/api/v1/participants/${foreign}`);
      expect(theirs.statusCode).toBe(role === 'admin' || role === 'partner' ? 403 : 404);

      // Search answers with exactly the same people.
      if (role !== 'admin' && role !== 'partner') {
        const found = (await client.post('/api/v1/participants/search', { query: 'rosa' })).json<z.infer<typeof ParticipantSearchResult>>();
        expect(found.participants.map((p) => p.id).sort()).toEqual(ids.filter((_, i) => expected[i] === 200).sort());
      }
    });

    it('an out-of-scope change is refused with participant.out_of_scope and changes nothing', async () => {
      const w = await world();
      const id = await buildParticipant(t.db, { organizationId: w.organizationId, createdBy: w.otherCoach.id });
      const res = await (await w.as(w.coach)).patch(`/api/v1/participants/${id}`, { version: 1, preferredName: 'X' });
      expect(res.statusCode).toBe(403);
      expect(err(res).code).toBe('participant.out_of_scope');
      expect((await t.db.selectFrom('participants').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version).toBe(1);
    });

    it('out-of-scope attempts, reads and changes alike, are audited as denied (the refused write rolls back; its record does not)', async () => {
      const w = await world();
      const id = await buildParticipant(t.db, { organizationId: w.organizationId, createdBy: w.otherCoach.id });
      const coach = await w.as(w.coach);
      expect((await coach.get(`/api/v1/participants/${id}`)).statusCode).toBe(403);
      expect((await coach.patch(`/api/v1/participants/${id}`, { version: 1, preferredName: 'X' })).statusCode).toBe(403);
      await t.auditReads.flush();
      const denied = await auditEvents(t, { targetId: id });
      expect(denied.map((e) => [e.action, e.outcome, e.actorUserId])).toEqual([
        ['participant.access', 'denied', w.coach.id],
        ['participant.access', 'denied', w.coach.id],
      ]);
      expect(JSON.stringify(denied)).not.toContain('"X"');
    });

    it('an episode for a participant of another organization is not found', async () => {
      const w = await world();
      const other = await buildOrganization(t.db);
      const stranger = await buildUser(t.db, { organizationId: other.id, roles: ['coach'] });
      const foreign = await buildParticipant(t.db, { organizationId: other.id, createdBy: stranger.id });
      const res = await (await w.as(w.supervisor)).post(`/api/v1/participants/${foreign}/episodes`, { programId: w.programId, siteId: w.siteA });
      expect(res.statusCode).toBe(404);
      expect(await count('episodes', other.id)).toBe(0);
    });
  });

  describe('search and duplicates', () => {
    it('matches the start of any name word (accents ignored), the phone as digits and the date of birth', async () => {
      const { client, user, organizationId } = await actingAs(t, ['program_manager']);
      const jose = await buildParticipant(t.db, { organizationId, createdBy: user.id, values: { firstName: 'José', lastName: 'Álvarez', dateOfBirth: '1990-04-12', phone: '15552013344' } });
      await buildParticipant(t.db, { organizationId, createdBy: user.id, values: { firstName: 'Joseph', lastName: 'Brown', dateOfBirth: '1985-01-01' } });
      const search = async (body: object) => (await client.post('/api/v1/participants/search', body)).json<z.infer<typeof ParticipantSearchResult>>().participants.map((p) => p.id);
      expect(await search({ query: 'alv' })).toEqual([jose]);
      expect((await search({ query: 'jos' })).length).toBe(2);
      expect(await search({ query: 'JOSE alva' })).toEqual([jose]);
      expect(await search({ phone: '555.201.3344' })).toEqual([jose]);
      expect(await search({ dateOfBirth: '1990-04-12' })).toEqual([jose]);
      expect(await search({ query: 'jos', dateOfBirth: '1985-01-01' })).toHaveLength(1);
      expect(await search({ query: 'zzz' })).toEqual([]);
      const nothing = await client.post('/api/v1/participants/search', { query: '%_!' });
      expect(nothing.statusCode).toBe(400);
      expect(fieldsOf(nothing)).toEqual(['query']);

      // A name changed later is found by its new words, and no longer by the old ones.
      const edit = await client.patch(`/api/v1/participants/${jose}`, { version: 1, lastName: 'Quintero', preferredName: 'Pepe' });
      expect(edit.statusCode, edit.body).toBe(200);
      expect(await search({ query: 'quin' })).toEqual([jose]);
      expect(await search({ query: 'pep' })).toEqual([jose]);
      expect(await search({ query: 'alv' })).toEqual([]);
    });

    it('several words must all start words of the same person, with initials and apostrophes; results sorted by name', async () => {
      const { client, user, organizationId } = await actingAs(t, ['program_manager']);
      const make = (firstName: string, lastName: string) => buildParticipant(t.db, { organizationId, createdBy: user.id, values: { firstName, lastName } });
      const jamieSmith = await make('Jamie', 'Smith');
      const jamesSmythe = await make('James', 'Smythe');
      const jamieLopez = await make('Jamie', 'Lopez');
      const sean = await make('Seán', "O'Brien");
      const search = async (query: string) => (await client.post('/api/v1/participants/search', { query })).json<z.infer<typeof ParticipantSearchResult>>().participants.map((p) => p.id);
      expect(await search('jam smi')).toEqual([jamieSmith]);
      expect(await search('smi jam')).toEqual([jamieSmith]);
      expect(await search('jam s')).toEqual([jamieSmith, jamesSmythe]);
      expect(await search('jam')).toEqual([jamieLopez, jamieSmith, jamesSmythe]);
      expect(await search("o'b")).toEqual([sean]);
      expect(await search('sean obrien')).toEqual([]);
      expect(await search('sean brien')).toEqual([sean]);
      expect(await search('jam lop smi')).toEqual([]);
    });

    it('returns at most 25', async () => {
      const { client, user, organizationId } = await actingAs(t, ['program_manager']);
      for (let i = 0; i < 30; i++) await buildParticipant(t.db, { organizationId, createdBy: user.id, values: { firstName: 'Sam', lastName: `Lee${i}` } });
      const res = await client.post('/api/v1/participants/search', { query: 'sam' });
      expect(res.json<z.infer<typeof ParticipantSearchResult>>().participants).toHaveLength(25);
    });

    it('reports duplicates inside the scope with names, and outside only as a count', async () => {
      const w = await world();
      const mine = await buildParticipant(t.db, { organizationId: w.organizationId, createdBy: w.coach.id, values: { firstName: 'Marisol', lastName: 'Reyes', dateOfBirth: '1990-04-12' } });
      const theirs = await buildParticipant(t.db, { organizationId: w.organizationId, createdBy: w.otherCoach.id, values: { firstName: 'Mari', lastName: 'Quinn', dateOfBirth: '1990-04-12' } });
      await buildParticipant(t.db, { organizationId: w.organizationId, createdBy: w.otherCoach.id, values: { firstName: 'Other', lastName: 'Person', phone: '15550001111' } });
      await buildParticipant(t.db, { organizationId: w.organizationId, createdBy: w.otherCoach.id, values: { firstName: 'Nope', lastName: 'Different', dateOfBirth: '1990-04-12' } });
      const other = await buildOrganization(t.db);
      const stranger = await buildUser(t.db, { organizationId: other.id, roles: ['coach'] });
      await buildParticipant(t.db, { organizationId: other.id, createdBy: stranger.id, values: { firstName: 'Marisol', lastName: 'Reyes', dateOfBirth: '1990-04-12' } });

      const res = await (await w.as(w.coach)).post('/api/v1/participants/duplicates', { firstName: 'María', lastName: 'Reyes', dateOfBirth: '1990-04-12', phone: '555-000-1111' });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json<z.infer<typeof DuplicateCheckResponse>>();
      expect(body.matches).toEqual([{ id: mine, firstName: 'Marisol', lastName: 'Reyes', alias: null, preferredName: null, dateOfBirth: '1990-04-12' }]);
      expect(body.outOfScopeMatches).toBe(2); // "Mari" (same first three letters) and the same phone
      expect(res.body).not.toContain(theirs);
      expect(res.body).not.toContain('Quinn');
    });
  });

  describe('changes', () => {
    it('full intake with the current version; a stale version answers 409 with the current record', async () => {
      const w = await world();
      const client = await w.as(w.coach);
      const id = await buildParticipant(t.db, { organizationId: w.organizationId, createdBy: w.coach.id });
      const ok = await client.patch(`/api/v1/participants/${id}`, {
        version: 1,
        intakeLevel: 'full',
        preferredName: 'Ro',
        housingStatus: 'homeless_sheltered',
        currentMoud: 'buprenorphine',
        moudSource: 'participant_reported',
        race: ['black_or_african_american'],
        okText: true,
      });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json<ParticipantJson>()).toMatchObject({ intakeLevel: 'full', preferredName: 'Ro', currentMoud: 'buprenorphine', moudSource: 'participant_reported', race: ['black_or_african_american'], okText: true, version: 2 });
      const stale = await client.patch(`/api/v1/participants/${id}`, { version: 1, preferredName: 'R' });
      expect(stale.statusCode).toBe(409);
      expect(err(stale)).toMatchObject({ code: 'record.conflict', details: { version: 2, current: expect.objectContaining({ id, preferredName: 'Ro', version: 2 }) as unknown } });
      expect(JSON.stringify(err(stale).details)).not.toContain('organizationId');
      expect(await auditEvents(t, { action: 'participant.update', targetId: id })).toEqual([
        expect.objectContaining({ details: { fields: ['preferredName', 'okText', 'housingStatus', 'currentMoud', 'moudSource', 'race', 'intakeLevel'] } }),
      ]);
    });

    it('the recovery start date can be added and changed later; after today or before birth is 400 naming the field, and nothing changes', async () => {
      const w = await world();
      const client = await w.as(w.coach);
      const id = await buildParticipant(t.db, { organizationId: w.organizationId, createdBy: w.coach.id, values: { dateOfBirth: '1985-03-02' } });
      const set = await client.patch(`/api/v1/participants/${id}`, { version: 1, recoveryStartDate: '2025-06-30' });
      expect(set.statusCode, set.body).toBe(200);
      expect(set.json<ParticipantJson>()).toMatchObject({ recoveryStartDate: '2025-06-30', version: 2 });
      const changed = await client.patch(`/api/v1/participants/${id}`, { version: 2, recoveryStartDate: '2026-01-15' });
      expect(changed.json<ParticipantJson>()).toMatchObject({ recoveryStartDate: '2026-01-15', version: 3 });
      expect((await auditEvents(t, { action: 'participant.update', targetId: id })).map((e) => e.details)).toEqual([{ fields: ['recoveryStartDate'] }, { fields: ['recoveryStartDate'] }]);

      const refused: [Record<string, unknown>, string, string][] = [
        [{ recoveryStartDate: '2026-11-28' }, 'recoveryStartDate', 'Enter a recovery start date that is today or in the past'],
        [{ recoveryStartDate: '1985-03-01' }, 'recoveryStartDate', 'Enter a recovery start date after the date of birth'],
        // A date of birth moved after the recovery start already recorded.
        [{ dateOfBirth: '2026-02-01' }, 'dateOfBirth', 'Enter a date of birth before the recovery start date'],
        // Both given: the recovery start is the one named.
        [{ dateOfBirth: '1999-01-01', recoveryStartDate: '1998-12-31' }, 'recoveryStartDate', 'Enter a recovery start date after the date of birth'],
      ];
      for (const [body, path, message] of refused) {
        const res = await client.patch(`/api/v1/participants/${id}`, { version: 3, ...body });
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        expect(err(res).fields).toEqual([{ path, message }]);
      }
      expect((await client.get(`/api/v1/participants/${id}`)).json<ParticipantJson>()).toMatchObject({ recoveryStartDate: '2026-01-15', dateOfBirth: '1985-03-02', version: 3 });
      // It can be cleared (the participant decides), and an unrelated change never trips over the dates.
      expect((await client.patch(`/api/v1/participants/${id}`, { version: 3, recoveryStartDate: null })).json<ParticipantJson>()).toMatchObject({ recoveryStartDate: null, version: 4 });
      expect((await client.patch(`/api/v1/participants/${id}`, { version: 4, preferredName: 'Ro' })).statusCode).toBe(200);
    });

    it('refuses to remove the last name a person goes by', async () => {
      const w = await world();
      const id = await buildParticipant(t.db, { organizationId: w.organizationId, createdBy: w.coach.id });
      const res = await (await w.as(w.coach)).patch(`/api/v1/participants/${id}`, { version: 1, firstName: null });
      expect(res.statusCode).toBe(400);
      expect(fieldsOf(res)).toEqual(['firstName']);
    });

    it('keeps a safe contact window (both ends or neither, HH:MM, may wrap midnight) that the follow-up plan reads', async () => {
      const w = await world();
      const client = await w.as(w.coach);
      const id = await buildParticipant(t.db, { organizationId: w.organizationId, createdBy: w.coach.id });
      const half = await client.patch(`/api/v1/participants/${id}`, { version: 1, contactWindowStart: '17:00' });
      expect(half.statusCode).toBe(400);
      expect(fieldsOf(half)).toEqual(['contactWindowEnd']);
      const badTime = await client.patch(`/api/v1/participants/${id}`, { version: 1, contactWindowStart: '5pm', contactWindowEnd: '20:00' });
      expect(badTime.statusCode).toBe(400);
      expect(fieldsOf(badTime)).toEqual(['contactWindowStart']);
      const overnight = await client.patch(`/api/v1/participants/${id}`, { version: 1, contactWindowStart: '22:00', contactWindowEnd: '06:00' });
      expect(overnight.statusCode, overnight.body).toBe(200);
      expect(overnight.json<ParticipantJson>()).toMatchObject({ contactWindowStart: '22:00', contactWindowEnd: '06:00', version: 2 });
      const row = await t.db.selectFrom('participants').select(['contact_window_start', 'contact_window_end']).where('id', '=', id).executeTakeFirstOrThrow();
      expect(row).toEqual({ contact_window_start: '22:00', contact_window_end: '06:00' });
      // Moving one end keeps the other; clearing one alone is refused, clearing both is fine.
      expect((await client.patch(`/api/v1/participants/${id}`, { version: 2, contactWindowEnd: '07:30' })).json<ParticipantJson>()).toMatchObject({ contactWindowStart: '22:00', contactWindowEnd: '07:30' });
      expect(fieldsOf(await client.patch(`/api/v1/participants/${id}`, { version: 3, contactWindowStart: null }))).toEqual(['contactWindowStart']);
      expect((await client.patch(`/api/v1/participants/${id}`, { version: 3, contactWindowStart: null, contactWindowEnd: null })).json<ParticipantJson>()).toMatchObject({ contactWindowStart: null, contactWindowEnd: null, version: 4 });
    });
  });

  describe('episodes', () => {
    async function enrolled() {
      const w = await world();
      const id = await buildParticipant(t.db, { organizationId: w.organizationId, createdBy: w.coach.id });
      const e = await buildEpisode(t.db, { organizationId: w.organizationId, participantId: id, createdBy: w.coach.id, programId: w.programId, siteId: w.siteA, assignedCoachUserId: w.coach.id, startDate: '2026-11-10' });
      return { ...w, participantId: id, episodeId: e.id };
    }

    it('one open episode per participant per program: 409 episode.active_exists naming programId; after discharge, a new one', async () => {
      const w = await enrolled();
      const client = await w.as(w.coach);
      const dup = await client.post(`/api/v1/participants/${w.participantId}/episodes`, { programId: w.programId, siteId: w.siteB });
      expect(dup.statusCode).toBe(409);
      expect(err(dup).code).toBe('episode.active_exists');
      expect(fieldsOf(dup)).toEqual(['programId']);

      const discharged = await client.patch(`/api/v1/episodes/${w.episodeId}`, { version: 1, status: 'discharged', dischargeReason: 'goals_met', dischargeDate: '2026-11-20' });
      expect(discharged.statusCode, discharged.body).toBe(200);
      expect(discharged.json<EpisodeJson>()).toMatchObject({ status: 'discharged', dischargeReason: 'goals_met', dischargeDate: '2026-11-20', version: 2 });
      // Discharged, the person has left the coach's caseload: a program manager re-enrolls them.
      expect((await client.get(`/api/v1/participants/${w.participantId}`)).statusCode).toBe(403);
      const manager = await w.as(await buildUser(t.db, { organizationId: w.organizationId, roles: ['program_manager'] }));
      const again = await manager.post(`/api/v1/participants/${w.participantId}/episodes`, { programId: w.programId, siteId: w.siteA, assignedCoachUserId: w.coach.id });
      expect(again.statusCode, again.body).toBe(201);
      expect(again.json<EpisodeJson>()).toMatchObject({ assignedCoachUserId: w.coach.id, status: 'active' });

      // Reopening the old one now would make two open episodes.
      const reopen = await client.patch(`/api/v1/episodes/${w.episodeId}`, { version: 2, status: 'active' });
      expect(reopen.statusCode).toBe(409);
      expect(err(reopen).code).toBe('episode.active_exists');
    });

    it('the database itself refuses a second open episode in the same program', async () => {
      const w = await enrolled();
      await expect(
        insertEpisode(t.db, { organizationId: w.organizationId, participantId: w.participantId, programId: w.programId, siteId: w.siteB, startDate: '2026-11-11', referralSource: null, assignedCoachUserId: null, createdBy: w.coach.id, now: t.clock.now().toISOString() }),
      ).rejects.toThrow();
    });

    it('two enrollments racing in the same program: one succeeds, the other answers 409 episode.active_exists', async () => {
      const w = await world();
      const id = await buildParticipant(t.db, { organizationId: w.organizationId, createdBy: w.coach.id });
      const client = await w.as(w.coach);
      const results = await Promise.all([0, 1, 2].map(() => client.post(`/api/v1/participants/${id}/episodes`, { programId: w.programId, siteId: w.siteA })));
      expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
      for (const r of results.filter((x) => x.statusCode === 409)) expect(err(r).code).toBe('episode.active_exists');
      expect(await count('episodes', w.organizationId)).toBe(1);
    });

    it("a supervisor cannot reassign or transfer another team's person (403 participant.out_of_scope), and nothing is recorded", async () => {
      const w = await world();
      const id = await buildParticipant(t.db, { organizationId: w.organizationId, createdBy: w.otherCoach.id });
      const e = await buildEpisode(t.db, { organizationId: w.organizationId, participantId: id, createdBy: w.otherCoach.id, programId: w.programId, siteId: w.siteB, assignedCoachUserId: w.otherCoach.id });
      const client = await w.as(w.supervisor);
      const r = await client.post(`/api/v1/episodes/${e.id}/reassign`, { toCoachUserId: w.coach.id, reason: 'Taking them on' });
      const tr = await client.post(`/api/v1/episodes/${e.id}/transfer`, { toSiteId: w.siteA, reason: 'Taking them on' });
      const up = await client.patch(`/api/v1/episodes/${e.id}`, { version: 1, status: 'on_hold' });
      expect([r, tr, up].map((x) => [x.statusCode, err(x).code])).toEqual([
        [403, 'participant.out_of_scope'],
        [403, 'participant.out_of_scope'],
        [403, 'participant.out_of_scope'],
      ]);
      expect(await listEpisodeEvents(t.db, w.organizationId, e.id)).toEqual([]);
      expect(await auditEvents(t, { targetId: e.id })).toEqual([]);
    });

    it('refuses a discharge before the start date, naming dischargeDate', async () => {
      const w = await enrolled();
      const res = await (await w.as(w.coach)).patch(`/api/v1/episodes/${w.episodeId}`, { version: 1, status: 'discharged', dischargeReason: 'moved', dischargeDate: '2026-11-09' });
      expect(res.statusCode).toBe(400);
      expect(err(res).message).toBe('Enter a discharge date on or after the start date');
      expect(fieldsOf(res)).toEqual(['dischargeDate']);
    });

    it('a stale episode version answers 409 with the current episode', async () => {
      const w = await enrolled();
      const client = await w.as(w.coach);
      expect((await client.patch(`/api/v1/episodes/${w.episodeId}`, { version: 1, status: 'on_hold' })).statusCode).toBe(200);
      const stale = await client.patch(`/api/v1/episodes/${w.episodeId}`, { version: 1, status: 'unreachable' });
      expect(stale.statusCode).toBe(409);
      expect(err(stale).details).toMatchObject({ version: 2, current: { id: w.episodeId, status: 'on_hold' } });
    });

    it('reassign and transfer are recorded with who, when and why', async () => {
      const w = await enrolled();
      const client = await w.as(w.supervisor);
      t.clock.set('2026-11-27T15:05:00.000Z');
      const r = await client.post(`/api/v1/episodes/${w.episodeId}/reassign`, { toCoachUserId: w.otherCoach.id, reason: 'Balancing caseloads' });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json<EpisodeJson>().assignedCoachUserId).toBe(w.otherCoach.id);
      // The coach is named on the episode, so colleagues who cannot read staff records see who it is.
      const { display_name } = await t.db.selectFrom('users').select('display_name').where('id', '=', w.otherCoach.id).executeTakeFirstOrThrow();
      expect(r.json<EpisodeJson>().assignedCoachName).toBe(display_name);
      // The supervisor no longer sees the person (the new coach is not on their team): a manager transfers.
      const manager = await buildUser(t.db, { organizationId: w.organizationId, roles: ['program_manager'] });
      const tr = await (await w.as(manager)).post(`/api/v1/episodes/${w.episodeId}/transfer`, { toSiteId: w.siteB, reason: 'Closer to home' });
      expect(tr.statusCode, tr.body).toBe(200);
      expect(tr.json<EpisodeJson>().siteId).toBe(w.siteB);
      t.clock.set('2026-11-27T15:00:00.000Z');
      expect((await listEpisodeEvents(t.db, w.organizationId, w.episodeId)).map(({ id: _id, ...e }) => e)).toEqual([
        { episodeId: w.episodeId, kind: 'reassign', fromValue: w.coach.id, toValue: w.otherCoach.id, reason: 'Balancing caseloads', actorUserId: w.supervisor.id, occurredAt: '2026-11-27T15:05:00.000Z' },
        { episodeId: w.episodeId, kind: 'transfer', fromValue: w.siteA, toValue: w.siteB, reason: 'Closer to home', actorUserId: manager.id, occurredAt: '2026-11-27T15:05:00.000Z' },
      ]);
      expect((await auditEvents(t, { targetId: w.episodeId })).map((a) => a.action)).toEqual(['episode.reassign', 'episode.transfer']);
    });

    it('reassigns only to an active coach of this organization, and transfers only to its sites', async () => {
      const w = await enrolled();
      const client = await w.as(w.supervisor);
      const other = await buildOrganization(t.db);
      const outsider = await buildUser(t.db, { organizationId: other.id, roles: ['coach'] });
      const disabled = await buildUser(t.db, { organizationId: w.organizationId, roles: ['coach'] });
      await t.db.updateTable('users').set({ status: 'disabled' }).where('id', '=', disabled.id).execute();
      for (const to of [outsider.id, w.supervisor.id, disabled.id]) {
        const res = await client.post(`/api/v1/episodes/${w.episodeId}/reassign`, { toCoachUserId: to, reason: 'x' });
        expect(res.statusCode).toBe(400);
        expect(fieldsOf(res)).toEqual(['toCoachUserId']);
      }
      const res = await client.post(`/api/v1/episodes/${w.episodeId}/transfer`, { toSiteId: await buildSite(t.db, other.id), reason: 'x' });
      expect(res.statusCode).toBe(400);
      expect(fieldsOf(res)).toEqual(['toSiteId']);
      expect(await listEpisodeEvents(t.db, w.organizationId, w.episodeId)).toEqual([]);
    });

    it("the caseload lists the coach's open episodes with days since start and since intake", async () => {
      const w = await enrolled();
      const res = await (await w.as(w.coach)).get('/api/v1/caseload');
      expect(res.statusCode, res.body).toBe(200);
      const items = res.json<z.infer<typeof Caseload>>().items;
      expect(items).toEqual([expect.objectContaining({ participantId: w.participantId, episodeId: w.episodeId, displayName: expect.stringMatching(/^Rosa Test\w+$/), startDate: '2026-11-10', daysSinceStart: 17 })]);
    });
  });

  describe('audit of reads', () => {
    it('records the ids read, never names, phones or search terms', async () => {
      const { client, user, organizationId } = await actingAs(t, ['program_manager']);
      const id = await buildParticipant(t.db, { organizationId, createdBy: user.id, values: { firstName: 'Zelda', lastName: 'Quartermaine', phone: '15557654321' } });
      await client.get(`/api/v1/participants/${id}`);
      await client.post('/api/v1/participants/search', { query: 'quarter' });
      await client.get(`/api/v1/participants/${id}/episodes`);
      const reads = await auditEvents(t, { organizationId });
      const kinds = reads.filter((r) => r.action.startsWith('participant.')).map((r) => [r.action, r.targetIds]);
      expect(kinds).toEqual([
        ['participant.read', [id]],
        ['participant.search', [id]],
        ['participant.read', [id]],
      ]);
      const text = JSON.stringify(reads);
      for (const secret of ['Zelda', 'Quartermaine', 'quarter', '5557654321']) expect(text).not.toContain(secret);
    });
  });

  describe('brief intake under generated input', () => {
    it('never answers 500 and never leaves a half-written record', async () => {
      const w = await world();
      const client = await w.as(w.coach);
      const junk = fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.constant(null), fc.boolean(), fc.constant(''), fc.constant('\u0000'));
      const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(fc.oneof(a, junk), { nil: undefined });
      const payload = fc.record(
        {
          firstName: maybe(fc.string({ minLength: 1, maxLength: 120 })),
          lastName: maybe(fc.string({ maxLength: 30 })),
          alias: maybe(fc.string({ maxLength: 30 })),
          dateOfBirth: maybe(fc.date({ min: new Date('1890-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10))),
          ageAtIntake: maybe(fc.integer({ min: -5, max: 130 })),
          phone: maybe(fc.stringMatching(/^[0-9 ()+.-]{0,20}$/)),
          preferredContactMethod: maybe(fc.constantFrom('phone', 'text', 'email', 'in_person', 'none', 'pigeon')),
          intakeSetting: maybe(fc.constantFrom('emergency_department', 'rco', 'moon')),
          referralSource: maybe(fc.string({ maxLength: 210 })),
          recoveryStartDate: maybe(fc.date({ min: new Date('1890-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10))),
          consentToFollowUp: maybe(fc.boolean()),
          consentWitnessName: maybe(fc.string({ maxLength: 130 })),
          programId: maybe(fc.constantFrom(w.programId, randomUUID())),
          siteId: maybe(fc.constantFrom(w.siteA, randomUUID())),
        },
        { requiredKeys: [] },
      );
      await fc.assert(
        fc.asyncProperty(payload, async (body) => {
          const counts = async () => [await count('participants', w.organizationId), await count('episodes', w.organizationId), await count('consents', w.organizationId)];
          const before = await counts();
          const res = await client.post('/api/v1/participants', body);
          expect(res.statusCode, res.body).toBeLessThan(500);
          const after = await counts();
          if (res.statusCode === 201) {
            const p = res.json<ParticipantJson>();
            expect(p.firstName ?? p.alias).toBeTruthy();
            expect(after[0]).toBe(before[0]! + 1);
            expect(after[1]).toBe(before[1]! + (body.programId && body.siteId ? 1 : 0));
            // Consent to follow-up and its consent record are written together, or neither.
            expect(after[2]).toBe(before[2]! + (p.consentToFollowUp ? 1 : 0));
            expect(p.consentToFollowUp).toBe(body.consentToFollowUp === true);
          } else {
            expect(after).toEqual(before);
          }
        }),
        { numRuns: 60 },
      );
    });
  });
});
