import { insertLink } from '../participant-links/participant-links.repository.js';
import { sql } from 'kysely';
import type { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../../contracts/common.js';
import type { MergeResponse } from '../../../contracts/access.js';
import type { Participant, ParticipantSearchResult } from '../../../contracts/participants.js';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/helpers/app.js';
import { buildEpisode, buildOrganization, buildParticipant, buildProgram, buildSite, buildTeamAt, buildUser, type BuiltUser } from '../../../../test/helpers/factories.js';
import { auditEvents } from '../../../../test/helpers/inspect.js';
import { sessionFor } from '../../../../test/helpers/sessions.js';
import { newId } from '../../platform/ids.js';
import { insertGrant, insertNotifications } from '../break-glass/break-glass.repository.js';
import { findParticipant } from '../participants/participants.repository.js';
import { insertEdVisit } from '../ed/ed.repository.js';
import { encounterRow } from '../../../../test/helpers/outreach.js';

type Merged = z.infer<typeof MergeResponse>;
const NOW = '2026-11-27T15:00:00.000Z';
const REASON = 'Same person: entered twice, once at the ED and once at the clinic';

const HISTORY = ['episodes', 'consents', 'restriction_requests', 'disclosures', 'access_grants', 'notifications', 'life_events', 'todos', 'encounters', 'ed_visits'] as const;
type HistoryTable = (typeof HISTORY)[number];

describe('merging participant records', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
  });
  afterAll(() => t.close());

  const err = (res: { json: <T>() => T }) => res.json<ErrorBody>().error;
  const countOf = async (table: HistoryTable | 'consent_signatures', organizationId: string, participantId?: string) => {
    const q = participantId
      ? sql<{ n: number }>`select count(*) as n from ${sql.table(table)} where organization_id = ${organizationId} and participant_id = ${participantId}`
      : sql<{ n: number }>`select count(*) as n from ${sql.table(table)} where organization_id = ${organizationId}`;
    return Number((await q.execute(t.db)).rows[0]?.n ?? 0);
  };
  const counts = async (organizationId: string, participantId?: string) =>
    Object.fromEntries(await Promise.all(HISTORY.map(async (table) => [table, await countOf(table, organizationId, participantId)] as const))) as Record<HistoryTable, number>;

  /** One of everything a participant's history holds, made directly in the tables. */
  async function history(organizationId: string, participantId: string, userId: string): Promise<void> {
    const at = NOW;
    const consentId = newId();
    await t.db
      .insertInto('consents')
      .values({ id: consentId, organization_id: organizationId, participant_id: participantId, kind: 'disclosure_specific', discloser: 'Harbor Light', categories: '["referral"]', recipients: '[]', purposes: '["treatment"]', expires_on: null, expiration_event: 'end of treatment', signed_on: '2026-11-01', revoked_at: null, revoked_on: null, revocation_method: null, revocation_note: null, revoked_by: null, created_by: userId, created_at: at, updated_at: at } as never)
      .execute();
    await t.db
      .insertInto('consent_signatures')
      .values({ id: newId(), organization_id: organizationId, consent_id: consentId, signer_role: 'participant', signer_name: 'R', legal_basis: null, method: 'typed', signature_data: 'R', attested: 1, witness_name: null, signed_at: at, recorded_by: userId })
      .execute();
    await t.db
      .insertInto('restriction_requests')
      .values({ id: newId(), organization_id: organizationId, participant_id: participantId, requested_on: '2026-11-02', description: 'Not to my employer', recipient: null, categories: '[]', purposes: '[]', status: 'pending', decision_reason: null, decided_at: null, decided_by: null, ended_at: null, created_by: userId, created_at: at, updated_at: at } as never)
      .execute();
    await t.db
      .insertInto('disclosures')
      .values({ id: newId(), organization_id: organizationId, participant_id: participantId, disclosed_at: at, recipient: '{}', categories: '[]', purpose: 'treatment', purpose_of_use: 'TREAT', consent_id: consentId, legal_basis: 'consent', legal_basis_detail: null, payload: '{}', notice: '42 CFR part 2 prohibits unauthorized use or disclosure of these records.', batch_id: null, disclosed_by: userId })
      .execute();
    await insertGrant(t.db, { organizationId, userId, participantId, reason: 'Paged for a crisis call tonight', grantedAt: at, expiresAt: at });
    await insertNotifications(t.db, organizationId, [userId], { kind: 'break_glass', actorUserId: userId, participantId, referenceId: null, createdAt: at });
    const lifeEventId = newId();
    await t.db
      .insertInto('life_events')
      .values({ id: lifeEventId, organization_id: organizationId, participant_id: participantId, kind: 'ed_visit', occurred_on: '2026-11-03', occurred_at: null, source: 'participant_reported', note: null, created_by: userId, created_at: at, updated_at: at })
      .execute();
    await insertEdVisit(t.db, { organizationId, participantId, lifeEventId, siteId: null, createdBy: userId, now: at });
    await insertLink(t.db, { organizationId, participantId, purpose: 'check_in', definitionId: null, language: 'en', delivery: 'code', outboxMessageId: null, tokenHash: newId(), createdBy: userId, now: at, expiresAt: at });
    await encounterRow(t.db, { organizationId, participantId, authorUserId: userId, startedAt: '2026-11-03T18:00:00.000Z', type: 'ed_bedside', reached: true });
    await t.db
      .insertInto('todos')
      .values({ id: newId(), organization_id: organizationId, participant_id: participantId, kind: 'follow_up', owner_user_id: userId, due_on: '2026-11-28', due_time: null, due_at: at, severity: 'normal', title: '24-hour call', note: null, clears_on: 'manual', source_type: null, source_id: null, status: 'open', resolution: null, completed_at: null, completed_by: null, created_by: userId, created_at: at, updated_at: at })
      .execute();
  }

  async function world() {
    const org = await buildOrganization(t.db);
    const organizationId = org.id;
    const manager = await buildUser(t.db, { organizationId, roles: ['program_manager'] });
    const admin = await buildUser(t.db, { organizationId, roles: ['admin'] });
    const coach = await buildUser(t.db, { organizationId, roles: ['coach'] });
    const supervisor = await buildUser(t.db, { organizationId, roles: ['supervisor'] });
    const siteId = await buildSite(t.db, organizationId);
    await buildTeamAt(t.db, organizationId, { siteId, supervisorUserId: supervisor.id, memberUserIds: [coach.id] });
    const programX = await buildProgram(t.db, organizationId);
    const programY = await buildProgram(t.db, organizationId);
    const as = async (user: BuiltUser): Promise<TestClient> => (await sessionFor(t, user)).client;
    return { organizationId, manager, admin, coach, supervisor, siteId, programX, programY, as };
  }
  type World = Awaited<ReturnType<typeof world>>;

  /** The survivor (Rosa, little recorded, open in X) and the duplicate (Rosie, phone and date of birth, history). */
  async function pair(w: World) {
    const survivor = await buildParticipant(t.db, { organizationId: w.organizationId, createdBy: w.coach.id, values: { firstName: 'Rosa', lastName: 'Alvarez', city: 'Lowell' } });
    const duplicate = await buildParticipant(t.db, {
      organizationId: w.organizationId,
      createdBy: w.coach.id,
      values: { firstName: 'Rosie', lastName: 'Alvarez', alias: 'Ro', phone: '15552013344', dateOfBirth: '1990-04-02', addressLine: '1 Elm St', city: 'Boston', state: 'MA', zip: '02118', doNotContact: true, okText: true, race: ['white'] },
    });
    await buildEpisode(t.db, { organizationId: w.organizationId, participantId: survivor, createdBy: w.coach.id, programId: w.programX, siteId: w.siteId, assignedCoachUserId: w.coach.id });
    await buildEpisode(t.db, { organizationId: w.organizationId, participantId: duplicate, createdBy: w.coach.id, programId: w.programY, siteId: w.siteId, assignedCoachUserId: w.coach.id });
    const discharged = await buildEpisode(t.db, { organizationId: w.organizationId, participantId: duplicate, createdBy: w.coach.id, programId: w.programX, siteId: w.siteId });
    await t.db.updateTable('episodes').set({ status: 'discharged', discharge_date: '2026-11-10', discharge_reason: 'lost_contact' }).where('id', '=', discharged.id).execute();
    await history(w.organizationId, duplicate, w.coach.id);
    await history(w.organizationId, survivor, w.coach.id);
    return { survivor, duplicate };
  }

  const merge = (client: TestClient, duplicate: string, body: Record<string, unknown>) => client.post(`/api/v1/participants/${duplicate}/merge`, { reason: REASON, version: 1, intoVersion: 1, ...body });

  it('moves every history item to the survivor, deletes nothing, fills only empty fields, and audits the counts', async () => {
    const w = await world();
    const { survivor, duplicate } = await pair(w);
    const before = await counts(w.organizationId);
    const signaturesBefore = await countOf('consent_signatures', w.organizationId);

    const res = await merge(await w.as(w.manager), duplicate, { intoId: survivor });
    expect(res.statusCode, res.body).toBe(200);
    const moved = { episodes: 2, consents: 1, restriction_requests: 1, disclosures: 1, access_grants: 1, notifications: 1, life_events: 1, todos: 1, encounters: 1, ed_visits: 1, appointments: 0, outbox_messages: 0, moud_courses: 0, moud_fills: 0, moud_otp_enrollments: 0, moud_barriers: 0, insurance_tasks: 0, referrals: 0, referral_events: 0, questionnaire_responses: 0, check_ins: 0, milestones: 0, milestone_celebrations: 0, recovery_plans: 0, recovery_plan_versions: 0, recovery_plan_agreements: 0, recovery_plan_reviews: 0, coping_plans: 0, coping_plan_versions: 0, participant_links: 1, federal_interviews: 0, merged_records: 0 };
    expect(res.json<Merged>()).toEqual({ survivorId: survivor, mergedId: duplicate, moved, filledFields: expect.any(Array) as unknown });

    // Nothing deleted: the same rows, all on the survivor now.
    expect(await counts(w.organizationId)).toEqual(before);
    expect(await countOf('consent_signatures', w.organizationId)).toBe(signaturesBefore);
    expect(await counts(w.organizationId, duplicate)).toEqual(Object.fromEntries(HISTORY.map((h) => [h, 0])));
    expect(await counts(w.organizationId, survivor)).toEqual(before);

    const s = (await findParticipant(t.db, w.organizationId, survivor))!;
    // Kept: the survivor's own values. Filled: what it lacked. The address came as a whole (the survivor had only a city).
    expect(s).toMatchObject({ firstName: 'Rosa', lastName: 'Alvarez', alias: 'Ro', phone: '15552013344', dateOfBirth: '1990-04-02', city: 'Lowell', addressLine: null, doNotContact: true, okText: false, race: ['white'], version: 2 });
    expect(res.json<Merged>().filledFields.sort()).toEqual(['alias', 'dateOfBirth', 'doNotContact', 'phone', 'race'].sort());

    const d = await t.db.selectFrom('participants').selectAll().where('id', '=', duplicate).executeTakeFirstOrThrow();
    expect(d).toMatchObject({ merged_into_id: survivor, merged_at: NOW, merged_by: w.manager.id, merge_reason: REASON, first_name: 'Rosie', phone: '15552013344' });
    expect(Number(d.version)).toBe(2);

    expect(await auditEvents(t, { action: 'participant.merge', organizationId: w.organizationId })).toEqual([
      expect.objectContaining({ actorUserId: w.manager.id, targetType: 'participant', targetIds: [survivor, duplicate], details: { moved, filledFields: res.json<Merged>().filledFields } }),
    ]);
  });

  it('the duplicate answers 404 participant.merged naming the survivor; a search by the duplicate’s name finds the survivor', async () => {
    const w = await world();
    const { survivor, duplicate } = await pair(w);
    const client = await w.as(w.manager);
    expect((await merge(client, duplicate, { intoId: survivor })).statusCode).toBe(200);

    const gone = await client.get(`/api/v1/participants/${duplicate}`);
    expect(gone.statusCode).toBe(404);
    expect(err(gone)).toMatchObject({ code: 'participant.merged', details: { mergedIntoId: survivor } });

    const search = async (query: string) => (await client.post('/api/v1/participants/search', { query })).json<z.infer<typeof ParticipantSearchResult>>().participants.map((p) => p.id);
    expect(await search('rosie')).toEqual([survivor]);
    expect(await search('ro alvarez')).toEqual([survivor]);
    expect(await search('rosa')).toEqual([survivor]);
    // The coach whose caseload both were on still sees the one record, with both episodes.
    const coach = await w.as(w.coach);
    const episodes = (await coach.get(`/api/v1/participants/${survivor}/episodes`)).json<{ episodes: unknown[] }>().episodes;
    expect(episodes).toHaveLength(3);
  });

  it('an admin merges too, and gets ids and counts only', async () => {
    const w = await world();
    const { survivor, duplicate } = await pair(w);
    const res = await merge(await w.as(w.admin), duplicate, { intoId: survivor });
    expect(res.statusCode, res.body).toBe(200);
    expect(Object.keys(res.json<Merged>()).sort()).toEqual(['filledFields', 'mergedId', 'moved', 'survivorId']);
    expect(res.body).not.toContain('Rosa');
    expect(res.body).not.toContain('5552013344');
  });

  it('records merged earlier into the duplicate now point at the survivor', async () => {
    const w = await world();
    const { survivor, duplicate } = await pair(w);
    const older = await buildParticipant(t.db, { organizationId: w.organizationId, createdBy: w.coach.id, values: { firstName: 'R.' } });
    const client = await w.as(w.manager);
    expect((await merge(client, older, { intoId: duplicate })).statusCode).toBe(200);
    const res = await merge(client, duplicate, { intoId: survivor, version: 2 });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<Merged>().moved.merged_records).toBe(1);
    expect(err(await client.get(`/api/v1/participants/${older}`))).toMatchObject({ code: 'participant.merged', details: { mergedIntoId: survivor } });
  });

  it('into itself → 400 naming intoId; nothing changes', async () => {
    const w = await world();
    const { duplicate } = await pair(w);
    const res = await merge(await w.as(w.manager), duplicate, { intoId: duplicate });
    expect(res.statusCode).toBe(400);
    expect(err(res).fields?.map((f) => f.path)).toEqual(['intoId']);
    expect((await findParticipant(t.db, w.organizationId, duplicate))!.mergedIntoId).toBeNull();
  });

  it('both with an open episode in the same program → 409 merge.conflict naming the program; nothing moves', async () => {
    const w = await world();
    const { survivor, duplicate } = await pair(w);
    await buildEpisode(t.db, { organizationId: w.organizationId, participantId: duplicate, createdBy: w.coach.id, programId: w.programX, siteId: w.siteId });
    const before = await counts(w.organizationId, duplicate);
    const res = await merge(await w.as(w.manager), duplicate, { intoId: survivor });
    expect(res.statusCode).toBe(409);
    expect(err(res)).toMatchObject({ code: 'merge.conflict', details: { programId: w.programX } });
    expect(err(res).message).toContain('Discharge one');
    expect(await counts(w.organizationId, duplicate)).toEqual(before);
    expect((await findParticipant(t.db, w.organizationId, duplicate))!).toMatchObject({ mergedIntoId: null, version: 1 });
  });

  it.each([
    ['the duplicate', { version: 2 }, 'duplicate'],
    ['the survivor', { intoVersion: 3 }, 'survivor'],
  ] as const)('a stale version of %s → 409 record.conflict with its current version; nothing moves', async (_label, stale, which) => {
    const w = await world();
    const ids = await pair(w);
    const res = await merge(await w.as(w.manager), ids.duplicate, { intoId: ids.survivor, ...stale });
    expect(res.statusCode).toBe(409);
    expect(err(res)).toMatchObject({ code: 'record.conflict', details: { version: 1, current: { id: ids[which], version: 1 } } });
    expect(await counts(w.organizationId, ids.duplicate)).toMatchObject({ episodes: 2 });
  });

  it('an already merged record cannot be merged again, nor merged into', async () => {
    const w = await world();
    const { survivor, duplicate } = await pair(w);
    const third = await buildParticipant(t.db, { organizationId: w.organizationId, createdBy: w.coach.id });
    const client = await w.as(w.manager);
    expect((await merge(client, duplicate, { intoId: survivor })).statusCode).toBe(200);
    for (const res of [await merge(client, duplicate, { intoId: third, version: 2 }), await merge(client, third, { intoId: duplicate, intoVersion: 2 })]) {
      expect(res.statusCode).toBe(404);
      expect(err(res)).toMatchObject({ code: 'participant.merged', details: { mergedIntoId: survivor } });
    }
    const admin = await merge(await w.as(w.admin), third, { intoId: duplicate, intoVersion: 2 });
    expect(err(admin)).toMatchObject({ code: 'participant.merged', details: { mergedIntoId: survivor } });
  });

  it('another organization’s record → 404, as either side', async () => {
    const w = await world();
    const { survivor, duplicate } = await pair(w);
    const other = await buildOrganization(t.db);
    const someone = await buildUser(t.db, { organizationId: other.id });
    const theirs = await buildParticipant(t.db, { organizationId: other.id, createdBy: someone.id });
    for (const client of [await w.as(w.manager), await w.as(w.admin)]) {
      for (const res of [await merge(client, duplicate, { intoId: theirs }), await merge(client, theirs, { intoId: survivor })]) {
        expect(res.statusCode).toBe(404);
        expect(err(res).code).toBe('record.not_found');
      }
    }
    expect((await findParticipant(t.db, w.organizationId, duplicate))!.mergedIntoId).toBeNull();
  });

  it.each([['coach'], ['supervisor'], ['privacy_officer'], ['partner']] as const)('a %s cannot merge (403 auth.forbidden)', async (role) => {
    const w = await world();
    const { survivor, duplicate } = await pair(w);
    const user = await buildUser(t.db, { organizationId: w.organizationId, roles: [role] });
    const res = await merge(await w.as(user), duplicate, { intoId: survivor });
    expect(res.statusCode).toBe(403);
    expect(err(res).code).toBe('auth.forbidden');
  });

  it('a survivor without a date of birth takes the duplicate’s age estimate as a whole; a consent to follow up keeps its time', async () => {
    const w = await world();
    const survivor = await buildParticipant(t.db, { organizationId: w.organizationId, createdBy: w.coach.id, values: { firstName: 'Lee' } });
    const duplicate = await buildParticipant(t.db, { organizationId: w.organizationId, createdBy: w.coach.id, values: { firstName: 'Lee', birthYear: 1985, dobEstimated: true, consentToFollowUp: true } });
    await t.db.updateTable('participants').set({ consent_to_follow_up_at: '2026-11-20T03:00:00.000Z' }).where('id', '=', duplicate).execute();
    const res = await merge(await w.as(w.manager), duplicate, { intoId: survivor });
    expect(res.statusCode, res.body).toBe(200);
    const p = (await (await w.as(w.manager)).get(`/api/v1/participants/${survivor}`)).json<z.infer<typeof Participant>>();
    expect(p).toMatchObject({ birthYear: 1985, dobEstimated: true, dateOfBirth: null, consentToFollowUp: true, consentToFollowUpAt: '2026-11-20T03:00:00.000Z' });
  });
});
