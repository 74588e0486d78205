import { sql } from 'kysely';
import type { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../../contracts/common.js';
import type { AccessGrantList, BreakGlassResponse, NotificationList, Notification } from '../../../contracts/access.js';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/helpers/app.js';
import { buildEpisode, buildOrganization, buildParticipant, buildProgram, buildSite, buildTeamAt, buildUser, type BuiltUser } from '../../../../test/helpers/factories.js';
import { auditEvents } from '../../../../test/helpers/inspect.js';
import { sessionFor } from '../../../../test/helpers/sessions.js';
import { startOfLocalDay } from './break-glass.usecases.js';

type Grant = z.infer<typeof BreakGlassResponse>;
type Notices = z.infer<typeof NotificationList>;

const START = '2026-11-27T15:00:00.000Z';
const REASON = 'Paged to bay 4: she asked for her coach, who is off tonight';
const HOUR = 3_600_000;

describe('break-the-glass', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ now: START });
  });
  afterAll(() => t.close());

  const err = (res: { json: <T>() => T }) => res.json<ErrorBody>().error;
  const count = async (table: 'access_grants' | 'notifications', organizationId: string) =>
    Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)} where organization_id = ${organizationId}`.execute(t.db)).rows[0]?.n ?? 0);

  /**
   * Team A at site A: supervisor and coach. Another coach's participant at site B, out of the
   * team's scope. A privacy officer, a program manager, and a supervisor of an unrelated team.
   */
  async function world() {
    t.clock.set(START);
    const org = await buildOrganization(t.db);
    const organizationId = org.id;
    const people = {
      coach: await buildUser(t.db, { organizationId, roles: ['coach'], displayName: 'Dana Coach' }),
      teammate: await buildUser(t.db, { organizationId, roles: ['coach'] }),
      supervisor: await buildUser(t.db, { organizationId, roles: ['supervisor'] }),
      otherSupervisor: await buildUser(t.db, { organizationId, roles: ['supervisor'] }),
      otherCoach: await buildUser(t.db, { organizationId, roles: ['coach'] }),
      privacyOfficer: await buildUser(t.db, { organizationId, roles: ['privacy_officer'] }),
      programManager: await buildUser(t.db, { organizationId, roles: ['program_manager'] }),
    };
    const siteA = await buildSite(t.db, organizationId);
    const siteB = await buildSite(t.db, organizationId);
    await buildTeamAt(t.db, organizationId, { siteId: siteA, supervisorUserId: people.supervisor.id, memberUserIds: [people.coach.id, people.teammate.id] });
    await buildTeamAt(t.db, organizationId, { siteId: siteB, supervisorUserId: people.otherSupervisor.id, memberUserIds: [people.otherCoach.id] });
    const programId = await buildProgram(t.db, organizationId);
    const participantId = await buildParticipant(t.db, { organizationId, createdBy: people.otherCoach.id, values: { firstName: 'Marisol', lastName: 'Quintero' } });
    await buildEpisode(t.db, { organizationId, participantId, createdBy: people.otherCoach.id, programId, siteId: siteB, assignedCoachUserId: people.otherCoach.id });
    const as = async (user: BuiltUser): Promise<TestClient> => (await sessionFor(t, user)).client;
    return { organizationId, ...people, siteA, siteB, programId, participantId, as };
  }

  const breakGlass = (client: TestClient, id: string, reason = REASON) => client.post(`/api/v1/participants/${id}/break-glass`, { reason });
  const noticesOf = async (w: { as: (u: BuiltUser) => Promise<TestClient> }, user: BuiltUser) => (await (await w.as(user)).get('/api/v1/notifications')).json<Notices>();

  it('a coach outside scope is refused with breakGlass offered, breaks the glass, then reads the record with the grant named in the read audit', async () => {
    const w = await world();
    const client = await w.as(w.coach);
    const refused = await client.get(`/api/v1/participants/${w.participantId}`);
    expect(refused.statusCode).toBe(403);
    expect(err(refused)).toMatchObject({ code: 'participant.out_of_scope', details: { breakGlass: true } });

    const res = await breakGlass(client, w.participantId);
    expect(res.statusCode, res.body).toBe(201);
    const grant = res.json<Grant>();
    expect(grant.expiresAt).toBe(new Date(Date.parse(START) + HOUR).toISOString());

    const open = await client.get(`/api/v1/participants/${w.participantId}`);
    expect(open.statusCode, open.body).toBe(200);
    // The record says the access is temporary, and until when.
    expect(open.json<{ accessUntil?: string }>().accessUntil).toBe(grant.expiresAt);
    expect((await auditEvents(t, { action: 'participant.read', organizationId: w.organizationId })).at(-1)).toMatchObject({
      actorUserId: w.coach.id,
      targetIds: [w.participantId],
      details: { breakGlassGrantId: grant.grantId },
    });
    // The audit event carries the grant, never the reason.
    const audits = await auditEvents(t, { action: 'participant.break_glass', organizationId: w.organizationId });
    expect(audits).toEqual([expect.objectContaining({ actorUserId: w.coach.id, targetType: 'participant', targetIds: [w.participantId], details: { grantId: grant.grantId, expiresAt: grant.expiresAt } })]);
    expect(JSON.stringify(audits)).not.toContain('bay 4');
    // The reason is kept on the grant for the review.
    const row = await t.db.selectFrom('access_grants').selectAll().where('id', '=', grant.grantId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ user_id: w.coach.id, participant_id: w.participantId, reason: REASON, granted_at: START, ended_at: null });
    // Someone who sees the record in their own right is not told about an end of access.
    const asManager = await (await w.as(w.programManager)).get(`/api/v1/participants/${w.participantId}`);
    expect(asManager.statusCode).toBe(200);
    expect(asManager.json()).not.toHaveProperty('accessUntil');
  });

  it('a supervisor outside scope is offered break-the-glass too', async () => {
    const w = await world();
    const res = await (await w.as(w.supervisor)).get(`/api/v1/participants/${w.participantId}`);
    expect(err(res)).toMatchObject({ code: 'participant.out_of_scope', details: { breakGlass: true } });
    expect((await breakGlass(await w.as(w.supervisor), w.participantId)).statusCode).toBe(201);
  });

  it('the grant lasts 60 minutes on the clock: open at 59:59, refused again at 60:00', async () => {
    const w = await world();
    expect((await breakGlass(await w.as(w.coach), w.participantId)).statusCode).toBe(201);
    t.clock.advance(HOUR - 1000);
    expect((await (await w.as(w.coach)).get(`/api/v1/participants/${w.participantId}`)).statusCode).toBe(200);
    t.clock.advance(1000);
    const res = await (await w.as(w.coach)).get(`/api/v1/participants/${w.participantId}`);
    expect(res.statusCode).toBe(403);
    expect(err(res).code).toBe('participant.out_of_scope');
    // After it expired, a new request makes a new grant.
    const again = await breakGlass(await w.as(w.coach), w.participantId);
    expect(again.statusCode).toBe(201);
    expect(await count('access_grants', w.organizationId)).toBe(2);
  });

  it('asking again while the grant is live returns the same grant: no second row, no second notice', async () => {
    const w = await world();
    const client = await w.as(w.coach);
    const first = (await breakGlass(client, w.participantId)).json<Grant>();
    t.clock.advance(10 * 60_000);
    const second = await breakGlass(client, w.participantId, 'Asking again because the page did not load');
    expect(second.statusCode).toBe(200);
    expect(second.json<Grant>()).toEqual(first);
    expect(await count('access_grants', w.organizationId)).toBe(1);
    expect(await count('notifications', w.organizationId)).toBe(2);
    expect(await auditEvents(t, { action: 'participant.break_glass', organizationId: w.organizationId })).toHaveLength(1);
  });

  it('tells the supervisors of the caller’s teams and every privacy officer, and nobody else; notices hold ids, never the name or the reason', async () => {
    const w = await world();
    const grant = (await breakGlass(await w.as(w.coach), w.participantId)).json<Grant>();
    for (const user of [w.supervisor, w.privacyOfficer]) {
      const notices = await noticesOf(w, user);
      expect(notices.unread).toBe(1);
      expect(notices.notifications).toEqual([
        { id: expect.any(String), kind: 'break_glass', actorUserId: w.coach.id, actorName: 'Dana Coach', participantId: w.participantId, referenceId: grant.grantId, createdAt: START, readAt: null },
      ]);
      const text = JSON.stringify(notices);
      expect(text).not.toContain('Marisol');
      expect(text).not.toContain('bay 4');
    }
    for (const user of [w.coach, w.teammate, w.otherSupervisor, w.otherCoach, w.programManager]) {
      expect(await noticesOf(w, user)).toEqual({ notifications: [], unread: 0 });
    }
  });

  it('a supervisor breaking the glass is not told of their own request; the privacy officer is', async () => {
    const w = await world();
    expect((await breakGlass(await w.as(w.supervisor), w.participantId)).statusCode).toBe(201);
    expect((await noticesOf(w, w.supervisor)).unread).toBe(0);
    expect((await noticesOf(w, w.privacyOfficer)).unread).toBe(1);
  });

  it('refuses a record already in scope (409), another organization’s (404), a merged one (404 naming the survivor)', async () => {
    const w = await world();
    const mine = await buildParticipant(t.db, { organizationId: w.organizationId, createdBy: w.coach.id });
    await buildEpisode(t.db, { organizationId: w.organizationId, participantId: mine, createdBy: w.coach.id, assignedCoachUserId: w.coach.id, siteId: w.siteA });
    const client = await w.as(w.coach);
    const inScope = await breakGlass(client, mine);
    expect(inScope.statusCode).toBe(409);
    expect(err(inScope).code).toBe('participant.in_scope');

    const other = await buildOrganization(t.db);
    const someone = await buildUser(t.db, { organizationId: other.id });
    const foreign = await buildParticipant(t.db, { organizationId: other.id, createdBy: someone.id });
    const res = await breakGlass(client, foreign);
    expect(res.statusCode).toBe(404);
    expect(err(res).code).toBe('record.not_found');

    await t.db.updateTable('participants').set({ merged_into_id: mine }).where('id', '=', w.participantId).execute();
    const merged = await breakGlass(client, w.participantId);
    expect(merged.statusCode).toBe(404);
    expect(err(merged)).toMatchObject({ code: 'participant.merged', details: { mergedIntoId: mine } });
    expect(await count('access_grants', w.organizationId)).toBe(0);
    expect(await count('notifications', w.organizationId)).toBe(0);
  });

  it.each([
    ['blank', '   '],
    ['too short', 'urgent!!'],
    ['not words', 'xxxxxxxxxxxxxx'],
    ['one character repeated in words', 'aaaa aaaa aaaa'],
    ['too long', `${'Needed for a warm handoff at the clinic. '.repeat(13)}`],
  ])('a reason that says nothing (%s) → 400 naming reason, nothing written', async (_label, reason) => {
    const w = await world();
    const res = await breakGlass(await w.as(w.coach), w.participantId, reason);
    expect(res.statusCode).toBe(400);
    expect(err(res).fields?.map((f) => f.path)).toEqual(['reason']);
    expect(await count('access_grants', w.organizationId)).toBe(0);
  });

  it.each([['admin'], ['partner'], ['privacy_officer'], ['program_manager']] as const)('a %s cannot break the glass (403 auth.forbidden)', async (role) => {
    const w = await world();
    const user = await buildUser(t.db, { organizationId: w.organizationId, roles: [role] });
    const res = await breakGlass(await w.as(user), w.participantId);
    expect(res.statusCode).toBe(403);
    expect(err(res).code).toBe('auth.forbidden');
  });

  describe('the review log', () => {
    it('lists the grant with who, which participant id, the reason and the times; filtered by local dates; audited as a read of those ids', async () => {
      const w = await world();
      const grant = (await breakGlass(await w.as(w.coach), w.participantId)).json<Grant>();
      const officer = await w.as(w.privacyOfficer);
      const res = await officer.get('/api/v1/access-grants');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<z.infer<typeof AccessGrantList>>().grants).toEqual([
        { id: grant.grantId, userId: w.coach.id, userName: 'Dana Coach', participantId: w.participantId, reason: REASON, grantedAt: START, expiresAt: grant.expiresAt, endedAt: null, active: true },
      ]);
      expect((await auditEvents(t, { action: 'access_grant.review', organizationId: w.organizationId })).at(-1)).toMatchObject({
        actorUserId: w.privacyOfficer.id,
        targetType: 'participant',
        targetIds: [w.participantId],
        details: { results: 1 },
      });
      // 15:00 UTC on 2026-11-27 is 10:00 in New York, the organization's zone.
      const ids = async (query: string) => (await officer.get(`/api/v1/access-grants?${query}`)).json<z.infer<typeof AccessGrantList>>().grants.map((g) => g.id);
      expect(await ids('from=2026-11-27&to=2026-11-27')).toEqual([grant.grantId]);
      expect(await ids('from=2026-11-28')).toEqual([]);
      expect(await ids('to=2026-11-26')).toEqual([]);
      const manager = await (await w.as(w.programManager)).get('/api/v1/access-grants');
      expect(manager.json<z.infer<typeof AccessGrantList>>().grants).toHaveLength(1);
    });

    it('refuses a period that ends before it starts, naming query.to', async () => {
      const w = await world();
      const res = await (await w.as(w.privacyOfficer)).get('/api/v1/access-grants?from=2026-11-27&to=2026-11-01');
      expect(res.statusCode).toBe(400);
      expect(err(res).fields?.map((f) => f.path)).toEqual(['query.to']);
      const bad = await (await w.as(w.privacyOfficer)).get('/api/v1/access-grants?from=yesterday');
      expect(bad.statusCode).toBe(400);
      expect(err(bad).fields?.map((f) => f.path)).toContain('query.from');
    });

    it('only the grants of the caller’s organization', async () => {
      const w = await world();
      await breakGlass(await w.as(w.coach), w.participantId);
      const other = await world();
      const res = await (await other.as(other.privacyOfficer)).get('/api/v1/access-grants');
      expect(res.json<z.infer<typeof AccessGrantList>>().grants).toEqual([]);
    });
  });

  describe('ending a grant early', () => {
    it('the holder ends it: the record closes at once, the end is audited, and ending again changes nothing', async () => {
      const w = await world();
      const client = await w.as(w.coach);
      const grant = (await breakGlass(client, w.participantId)).json<Grant>();
      t.clock.advance(5 * 60_000);
      const res = await client.post(`/api/v1/access-grants/${grant.grantId}/end`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ id: grant.grantId, endedAt: '2026-11-27T15:05:00.000Z', active: false });
      expect((await client.get(`/api/v1/participants/${w.participantId}`)).statusCode).toBe(403);
      expect(await auditEvents(t, { action: 'access_grant.end', organizationId: w.organizationId })).toEqual([
        expect.objectContaining({ actorUserId: w.coach.id, targetIds: [w.participantId], details: { grantId: grant.grantId, byHolder: true } }),
      ]);
      t.clock.advance(60_000);
      const again = await client.post(`/api/v1/access-grants/${grant.grantId}/end`);
      expect(again.json()).toMatchObject({ endedAt: '2026-11-27T15:05:00.000Z' });
      expect(await auditEvents(t, { action: 'access_grant.end', organizationId: w.organizationId })).toHaveLength(1);
    });

    it('a privacy officer may end anyone’s grant; another coach or a supervisor is told it does not exist', async () => {
      const w = await world();
      const grant = (await breakGlass(await w.as(w.coach), w.participantId)).json<Grant>();
      for (const user of [w.teammate, w.supervisor]) {
        const res = await (await w.as(user)).post(`/api/v1/access-grants/${grant.grantId}/end`);
        expect(res.statusCode).toBe(404);
        expect(err(res).code).toBe('record.not_found');
      }
      const res = await (await w.as(w.privacyOfficer)).post(`/api/v1/access-grants/${grant.grantId}/end`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ active: false, endedAt: START });
      expect((await (await w.as(w.coach)).get(`/api/v1/participants/${w.participantId}`)).statusCode).toBe(403);
    });
  });

  describe('notifications', () => {
    it('marking read lowers the unread count; someone else’s notice is not found', async () => {
      const w = await world();
      await breakGlass(await w.as(w.coach), w.participantId);
      const supervisor = await w.as(w.supervisor);
      const [notice] = (await supervisor.get('/api/v1/notifications')).json<Notices>().notifications;
      const theirs = await (await w.as(w.privacyOfficer)).post(`/api/v1/notifications/${notice!.id}/read`);
      expect(theirs.statusCode).toBe(404);
      expect(err(theirs).code).toBe('record.not_found');

      t.clock.advance(60_000);
      const res = await supervisor.post(`/api/v1/notifications/${notice!.id}/read`);
      expect(res.statusCode).toBe(200);
      expect(res.json<z.infer<typeof Notification>>().readAt).toBe('2026-11-27T15:01:00.000Z');
      expect((await supervisor.get('/api/v1/notifications')).json<Notices>()).toMatchObject({ unread: 0, notifications: [{ id: notice!.id, readAt: '2026-11-27T15:01:00.000Z' }] });
      expect((await noticesOf(w, w.privacyOfficer)).unread).toBe(1);
    });

    it('lists newest first', async () => {
      const w = await world();
      const second = await buildParticipant(t.db, { organizationId: w.organizationId, createdBy: w.otherCoach.id });
      await buildEpisode(t.db, { organizationId: w.organizationId, participantId: second, createdBy: w.otherCoach.id, siteId: w.siteB, assignedCoachUserId: w.otherCoach.id });
      await breakGlass(await w.as(w.coach), w.participantId);
      t.clock.advance(60_000);
      await breakGlass(await w.as(w.coach), second);
      const notices = await noticesOf(w, w.supervisor);
      expect(notices.unread).toBe(2);
      expect(notices.notifications.map((n) => n.participantId)).toEqual([second, w.participantId]);
    });
  });

  it('local days begin at local midnight, across a change of clocks', () => {
    expect(startOfLocalDay('2026-11-27', 'America/New_York')).toBe('2026-11-27T05:00:00.000Z');
    expect(startOfLocalDay('2026-07-04', 'America/New_York')).toBe('2026-07-04T04:00:00.000Z');
    expect(startOfLocalDay('2026-03-08', 'America/New_York')).toBe('2026-03-08T05:00:00.000Z');
    expect(startOfLocalDay('2026-03-09', 'America/New_York')).toBe('2026-03-09T04:00:00.000Z');
    expect(startOfLocalDay('2026-11-27', 'UTC')).toBe('2026-11-27T00:00:00.000Z');
    expect(startOfLocalDay('2026-11-27', 'Asia/Kolkata')).toBe('2026-11-26T18:30:00.000Z');
  });
});
