import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../../contracts/common.js';
import type { Organization, OrganizationList, Program, Site, SiteList, Team } from '../../../contracts/organizations.js';
import type { Me } from '../../../contracts/auth.js';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/helpers/app.js';
import { buildOrganization, buildProgram, buildSite, buildTeam, buildUser } from '../../../../test/helpers/factories.js';
import { auditEvents, writeFingerprint } from '../../../../test/helpers/inspect.js';
import { blockNextAuditRow } from '../../../../test/helpers/faults.js';
import { actingAs, sessionFor } from '../../../../test/helpers/sessions.js';
import { rolesIn, setRoles } from '../users/users.repository.js';
import { createTestDatabase } from '../../../../test/helpers/db.js';
import * as m0016 from '../../migrations/0016-program-recovery-settings.js';

type OrganizationJson = z.infer<typeof Organization>;
type ProgramJson = z.infer<typeof Program>;
type SiteJson = z.infer<typeof Site>;
type TeamJson = z.infer<typeof Team>;

describe('organizations, programs, sites and teams', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const fieldsOf = (res: { json: <T>() => T }) => res.json<ErrorBody>().error.fields?.map((f) => f.path);

  /** Load a record as a client would before editing it. */
  const load = async <T>(client: TestClient, url: string): Promise<T> => {
    const res = await client.get(url);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<T>();
  };

  describe('the organization', () => {
    it('an admin reads and changes it; the change is audited with who and what', async () => {
      const { client, user, organizationId } = await actingAs(t, ['admin']);
      const before = await load<OrganizationJson>(client, '/api/v1/organization');
      expect(before).toMatchObject({ id: organizationId, timeZone: 'America/New_York', requireMfa: false, version: 1 });

      const res = await client.patch('/api/v1/organization', { version: 1, name: 'Harbor Light Recovery', timeZone: 'America/Chicago' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<OrganizationJson>()).toMatchObject({ id: organizationId, name: 'Harbor Light Recovery', timeZone: 'America/Chicago', version: 2 });
      expect(await load<OrganizationJson>(client, '/api/v1/organization')).toMatchObject({ name: 'Harbor Light Recovery', version: 2 });

      expect(await auditEvents(t, { action: 'organization.update', organizationId })).toEqual([
        expect.objectContaining({
          outcome: 'success',
          actorUserId: user.id,
          targetType: 'organization',
          targetIds: [organizationId],
          details: { fields: ['name', 'timeZone'] },
        }),
      ]);
    });

    it('refuses a time zone that does not exist, naming timeZone, and changes nothing', async () => {
      const { client } = await actingAs(t, ['admin']);
      const before = await writeFingerprint(t);
      const res = await client.patch('/api/v1/organization', { version: 1, timeZone: 'America/Atlantis' });
      expect(res.statusCode).toBe(400);
      expect(res.json<ErrorBody>().error.code).toBe('validation.failed');
      expect(fieldsOf(res)).toEqual(['timeZone']);
      expect(await writeFingerprint(t)).toEqual(before);
    });

    it('a stale version → 409 record.conflict with the organization as it is now; the stale write changes nothing', async () => {
      const { client, organizationId } = await actingAs(t, ['admin']);
      expect((await client.patch('/api/v1/organization', { version: 1, name: 'First edit' })).statusCode).toBe(200);

      const stale = await client.patch('/api/v1/organization', { version: 1, name: 'Stale edit', requireMfa: true });
      expect(stale.statusCode).toBe(409);
      const error = stale.json<ErrorBody>().error;
      expect(error.code).toBe('record.conflict');
      expect(error.details).toEqual({ version: 2, current: expect.objectContaining({ id: organizationId, name: 'First edit', requireMfa: false, version: 2 }) });

      const now = await load<OrganizationJson>(client, '/api/v1/organization');
      expect(now).toMatchObject({ name: 'First edit', requireMfa: false, version: 2 });
      expect(error.details?.current).toEqual(now);
      expect(await auditEvents(t, { action: 'organization.update', organizationId })).toHaveLength(1);
    });

    it('requiring MFA applies at once: people signed in here without MFA must enrol before anything else', async () => {
      const { client: admin, user, organizationId } = await actingAs(t, ['admin']);
      const coach = await buildUser(t.db, { organizationId, roles: ['coach'] });
      const coachSession = await sessionFor(t, coach);
      const enrolled = await buildUser(t.db, { organizationId, roles: ['coach'], mfa: true });
      const enrolledSession = await sessionFor(t, enrolled);
      // The same person signed in to another organization, which does not require MFA.
      const elsewhere = await buildOrganization(t.db);
      await setRoles(t.db, coach.id, elsewhere.id, ['coach'], t.clock.now().toISOString());
      const coachElsewhere = await sessionFor(t, coach, { organizationId: elsewhere.id });
      expect((await admin.get('/api/v1/organization')).statusCode).toBe(200);

      const res = await admin.patch('/api/v1/organization', { version: 1, requireMfa: true });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<OrganizationJson>()).toMatchObject({ requireMfa: true, version: 2 });

      for (const c of [admin, coachSession.client]) {
        const next = await c.get('/api/v1/organization');
        expect(next.statusCode).toBe(403);
        expect(next.json<ErrorBody>().error.code).toBe('auth.mfa_enrollment_required');
        const me = await c.get('/api/v1/me');
        expect(me.statusCode).toBe(200);
        expect(me.json<z.infer<typeof Me>>()).toMatchObject({ session: { mfaState: 'enroll' }, permissions: [] });
      }
      expect((await enrolledSession.client.get('/api/v1/organization')).statusCode).toBe(200);
      expect((await coachElsewhere.client.get('/api/v1/organization')).statusCode).toBe(200);
      expect(await auditEvents(t, { action: 'organization.update', organizationId })).toEqual([
        expect.objectContaining({ actorUserId: user.id, details: { fields: ['requireMfa'], sessionsSentToMfaEnrollment: 2 } }),
      ]);
    });

    it('a platform admin creates an organization and becomes its admin', async () => {
      const { client, user } = await actingAs(t, ['admin'], { platformAdmin: true });
      const res = await client.post('/api/v1/organizations', { name: 'Northwind Peer Recovery', timeZone: 'America/Denver' });
      expect(res.statusCode, res.body).toBe(201);
      const created = res.json<OrganizationJson>();
      expect(created).toMatchObject({ name: 'Northwind Peer Recovery', timeZone: 'America/Denver', requireMfa: false, version: 1 });

      expect(await rolesIn(t.db, user.id, created.id)).toEqual(['admin']);
      const listed = await load<z.infer<typeof OrganizationList>>(client, '/api/v1/organizations');
      expect(listed.organizations.map((o) => o.id)).toContain(created.id);
      // Both audit rows go to the new organization's trail, by the creator.
      expect(await auditEvents(t, { organizationId: created.id })).toEqual([
        expect.objectContaining({ action: 'organization.create', actorUserId: user.id, targetIds: [created.id] }),
        expect.objectContaining({ action: 'membership.grant', actorUserId: user.id, targetIds: [user.id], details: { roles: ['admin'] } }),
      ]);

      // As its admin they can work in it at once.
      const switched = await client.post('/api/v1/me/organization', { organizationId: created.id });
      expect(switched.statusCode, switched.body).toBe(200);
      expect(switched.json<Me>().roles).toEqual(['admin']);
      expect((await client.patch('/api/v1/organization', { version: 1, requireMfa: false })).statusCode).toBe(200);
    });

    it('a new organization needs a real time zone too', async () => {
      const { client } = await actingAs(t, ['admin'], { platformAdmin: true });
      const res = await client.post('/api/v1/organizations', { name: 'Northwind', timeZone: 'EST5EDT-ish' });
      expect(res.statusCode).toBe(400);
      expect(fieldsOf(res)).toEqual(['timeZone']);
    });
  });

  describe('programs', () => {
    it('create, list, get, update — each write audited', async () => {
      const { client, user, organizationId } = await actingAs(t, ['admin']);
      const created = await client.post('/api/v1/programs', { name: '  ED peer support  ', description: 'Coaches in the emergency department' });
      expect(created.statusCode, created.body).toBe(201);
      const program = created.json<ProgramJson>();
      expect(program).toMatchObject({ name: 'ED peer support', description: 'Coaches in the emergency department', active: true, version: 1 });

      await buildProgram(t.db, (await buildOrganization(t.db)).id); // another organization's: never listed
      const list = await load<{ programs: ProgramJson[] }>(client, '/api/v1/programs');
      expect(list.programs.map((p) => p.id)).toEqual([program.id]);
      expect(await load<ProgramJson>(client, `/api/v1/programs/${program.id}`)).toEqual(program);

      const updated = await client.patch(`/api/v1/programs/${program.id}`, { version: 1, active: false, description: null });
      expect(updated.statusCode, updated.body).toBe(200);
      expect(updated.json<ProgramJson>()).toMatchObject({ active: false, description: null, version: 2 });

      expect(await auditEvents(t, { organizationId, targetId: program.id })).toEqual([
        expect.objectContaining({ action: 'program.create', actorUserId: user.id, targetType: 'program', targetIds: [program.id] }),
        expect.objectContaining({ action: 'program.update', actorUserId: user.id, targetIds: [program.id], details: { fields: ['description', 'active'] } }),
      ]);
    });

    it('a stale version → 409 with the program as it is now', async () => {
      const { client, organizationId } = await actingAs(t, ['admin']);
      const id = await buildProgram(t.db, organizationId);
      expect((await client.patch(`/api/v1/programs/${id}`, { version: 1, name: 'Renamed once' })).statusCode).toBe(200);
      const stale = await client.patch(`/api/v1/programs/${id}`, { version: 1, name: 'Renamed twice' });
      expect(stale.statusCode).toBe(409);
      expect(stale.json<ErrorBody>().error).toMatchObject({
        code: 'record.conflict',
        details: { version: 2, current: expect.objectContaining({ id, name: 'Renamed once', version: 2 }) },
      });
      // `current` is exactly what GET answers: the API shape, no internal columns.
      expect(stale.json<ErrorBody>().error.details?.current).toEqual(await load<ProgramJson>(client, `/api/v1/programs/${id}`));
    });

    describe('recovery settings: the cravings alert level and the days between plan reviews', () => {
      it('default to 7 and 90; an admin sets them at creation or later; the change is audited by field name', async () => {
        const { client, user, organizationId } = await actingAs(t, ['admin']);
        const plain = await load<ProgramJson>(client, `/api/v1/programs/${await buildProgram(t.db, organizationId)}`);
        expect(plain).toMatchObject({ cravingsAlertThreshold: 7, planReviewDays: 90 });

        const created = await client.post('/api/v1/programs', { name: 'Community peer support', cravingsAlertThreshold: 6, planReviewDays: 60 });
        expect(created.statusCode, created.body).toBe(201);
        const program = created.json<ProgramJson>();
        expect(program).toMatchObject({ cravingsAlertThreshold: 6, planReviewDays: 60, version: 1 });

        const updated = await client.patch(`/api/v1/programs/${program.id}`, { version: 1, cravingsAlertThreshold: 5, planReviewDays: 30 });
        expect(updated.statusCode, updated.body).toBe(200);
        expect(updated.json<ProgramJson>()).toMatchObject({ cravingsAlertThreshold: 5, planReviewDays: 30, version: 2 });
        expect(await load<ProgramJson>(client, `/api/v1/programs/${program.id}`)).toMatchObject({ cravingsAlertThreshold: 5, planReviewDays: 30 });
        // The boundaries are allowed.
        for (const [body, version] of [[{ cravingsAlertThreshold: 1, planReviewDays: 14 }, 2], [{ cravingsAlertThreshold: 10, planReviewDays: 365 }, 3]] as const) {
          const res = await client.patch(`/api/v1/programs/${program.id}`, { version, ...body });
          expect(res.statusCode, res.body).toBe(200);
          expect(res.json<ProgramJson>()).toMatchObject(body);
        }
        expect((await auditEvents(t, { organizationId, targetId: program.id })).map((e) => [e.action, e.actorUserId, e.details])).toEqual([
          ['program.create', user.id, {}],
          ['program.update', user.id, { fields: ['cravingsAlertThreshold', 'planReviewDays'] }],
          ['program.update', user.id, { fields: ['cravingsAlertThreshold', 'planReviewDays'] }],
          ['program.update', user.id, { fields: ['cravingsAlertThreshold', 'planReviewDays'] }],
        ]);
      });

      it('refuses values outside the ranges or not whole numbers with 400 naming the field, and changes nothing', async () => {
        const { client, organizationId } = await actingAs(t, ['admin']);
        const id = await buildProgram(t.db, organizationId);
        const cases: [Record<string, unknown>, string][] = [
          [{ cravingsAlertThreshold: 0 }, 'cravingsAlertThreshold'],
          [{ cravingsAlertThreshold: 11 }, 'cravingsAlertThreshold'],
          [{ cravingsAlertThreshold: 6.5 }, 'cravingsAlertThreshold'],
          [{ cravingsAlertThreshold: '7' }, 'cravingsAlertThreshold'],
          [{ cravingsAlertThreshold: null }, 'cravingsAlertThreshold'],
          [{ planReviewDays: 13 }, 'planReviewDays'],
          [{ planReviewDays: 366 }, 'planReviewDays'],
          [{ planReviewDays: 0 }, 'planReviewDays'],
          [{ planReviewDays: 30.5 }, 'planReviewDays'],
          [{ planReviewDays: '30' }, 'planReviewDays'],
        ];
        const before = await writeFingerprint(t);
        for (const [body, field] of cases) {
          const res = await client.patch(`/api/v1/programs/${id}`, { version: 1, ...body });
          expect(res.statusCode, JSON.stringify(body)).toBe(400);
          const error = res.json<ErrorBody>().error;
          expect(error.code).toBe('validation.failed');
          expect(error.fields).toEqual([{ path: field, message: expect.stringMatching(field === 'planReviewDays' ? /days between plan reviews.*14 to 365/ : /cravings alert level.*1 to 10/) }]);
          const created = await client.post('/api/v1/programs', { name: 'Refused program', ...body });
          expect(created.statusCode, JSON.stringify(body)).toBe(400);
          expect(fieldsOf(created)).toEqual([field]);
        }
        expect(await writeFingerprint(t)).toEqual(before);
        expect(await load<ProgramJson>(client, `/api/v1/programs/${id}`)).toMatchObject({ cravingsAlertThreshold: 7, planReviewDays: 90, version: 1 });
      });

      it('only an admin changes them: a coach, a supervisor or a program manager reads them and gets 403 on PATCH', async () => {
        const { client: admin, organizationId } = await actingAs(t, ['admin']);
        const id = await buildProgram(t.db, organizationId);
        for (const role of ['coach', 'supervisor', 'program_manager'] as const) {
          const other = await buildUser(t.db, { organizationId, roles: [role] });
          const { client } = await sessionFor(t, other);
          expect(await load<ProgramJson>(client, `/api/v1/programs/${id}`)).toMatchObject({ cravingsAlertThreshold: 7, planReviewDays: 90 });
          const res = await client.patch(`/api/v1/programs/${id}`, { version: 1, cravingsAlertThreshold: 3 });
          expect(res.statusCode, role).toBe(403);
        }
        expect(await load<ProgramJson>(admin, `/api/v1/programs/${id}`)).toMatchObject({ cravingsAlertThreshold: 7, version: 1 });
      });

      it('the database refuses out-of-range values too', async () => {
        const { organizationId } = await actingAs(t, ['admin']);
        const id = await buildProgram(t.db, organizationId);
        for (const set of [{ cravings_alert_threshold: 0 }, { cravings_alert_threshold: 11 }, { plan_review_days: 13 }, { plan_review_days: 366 }]) {
          await expect(t.db.updateTable('programs').set(set).where('id', '=', id).execute(), JSON.stringify(set)).rejects.toThrow();
        }
      });

      it('migration 0016 goes down and up again on this database', async () => {
        const handle = await createTestDatabase();
        try {
          const columns = async (table = 'programs') => (await handle.db.introspection.getTables()).find((x) => x.name === table)!.columns.map((c) => c.name);
          expect(await columns()).toEqual(expect.arrayContaining(['cravings_alert_threshold', 'plan_review_days']));
          expect(await columns('check_ins')).toContain('cravings_alert_threshold');
          const org = await buildOrganization(handle.db);
          const id = await buildProgram(handle.db, org.id);
          await m0016.down(handle.db);
          expect(await columns()).not.toContain('cravings_alert_threshold');
          expect(await columns()).not.toContain('plan_review_days');
          expect(await columns('check_ins')).not.toContain('cravings_alert_threshold');
          await m0016.up(handle.db);
          expect(await columns('check_ins')).toContain('cravings_alert_threshold');
          expect(await handle.db.selectFrom('programs').select(['cravings_alert_threshold', 'plan_review_days']).where('id', '=', id).executeTakeFirstOrThrow()).toEqual({ cravings_alert_threshold: 7, plan_review_days: 90 });
        } finally {
          await handle.drop();
        }
      });
    });
  });

  describe('sites', () => {
    it("count dates in the organization's time zone unless they have their own", async () => {
      const { client } = await actingAs(t, ['admin']);
      const plain = (await client.post('/api/v1/sites', { name: 'Mercy General ED', kind: 'emergency_department' })).json<SiteJson>();
      expect(plain).toMatchObject({ timeZone: null, effectiveTimeZone: 'America/New_York' });

      const west = await client.post('/api/v1/sites', { name: 'Coastal Telehealth', kind: 'telehealth', timeZone: 'America/Los_Angeles' });
      expect(west.statusCode, west.body).toBe(201);
      expect(west.json<SiteJson>()).toMatchObject({ timeZone: 'America/Los_Angeles', effectiveTimeZone: 'America/Los_Angeles' });

      // The organization moves: sites without their own zone follow it, the override stays.
      expect((await client.patch('/api/v1/organization', { version: 1, timeZone: 'America/Chicago' })).statusCode).toBe(200);
      const sites = await load<z.infer<typeof SiteList>>(client, '/api/v1/sites');
      expect(Object.fromEntries(sites.sites.map((s) => [s.name, s.effectiveTimeZone]))).toEqual({
        'Coastal Telehealth': 'America/Los_Angeles',
        'Mercy General ED': 'America/Chicago',
      });

      // Clearing the override falls back to the organization's zone.
      const westSite = west.json<SiteJson>();
      const cleared = await client.patch(`/api/v1/sites/${westSite.id}`, { version: westSite.version, timeZone: null });
      expect(cleared.statusCode, cleared.body).toBe(200);
      expect(cleared.json<SiteJson>()).toMatchObject({ timeZone: null, effectiveTimeZone: 'America/Chicago', version: 2 });
    });

    it('refuses a site time zone that does not exist, naming timeZone', async () => {
      const { client } = await actingAs(t, ['admin']);
      const res = await client.post('/api/v1/sites', { name: 'Mercy', kind: 'hospital', timeZone: 'Europe/Gotham' });
      expect(res.statusCode).toBe(400);
      expect(fieldsOf(res)).toEqual(['timeZone']);
    });

    it("belong to a program of the same organization: another organization's programId → 400 naming programId", async () => {
      const { client, organizationId } = await actingAs(t, ['admin']);
      const ours = await buildProgram(t.db, organizationId);
      const theirs = await buildProgram(t.db, (await buildOrganization(t.db)).id);

      const before = await writeFingerprint(t);
      const refused = await client.post('/api/v1/sites', { name: 'Mercy', kind: 'hospital', programId: theirs });
      expect(refused.statusCode).toBe(400);
      expect(refused.json<ErrorBody>().error).toMatchObject({ code: 'validation.failed', fields: [{ path: 'programId', message: expect.any(String) }] });
      expect(await writeFingerprint(t)).toEqual(before);

      const created = await client.post('/api/v1/sites', { name: 'Mercy', kind: 'hospital', programId: ours });
      expect(created.statusCode, created.body).toBe(201);
      const site = created.json<SiteJson>();
      expect(site.programId).toBe(ours);

      const moved = await client.patch(`/api/v1/sites/${site.id}`, { version: 1, programId: theirs });
      expect(moved.statusCode).toBe(400);
      expect(fieldsOf(moved)).toEqual(['programId']);
      expect(await load<SiteJson>(client, `/api/v1/sites/${site.id}`)).toMatchObject({ programId: ours, version: 1 });
    });

    it('create and update are audited with the actor and the site', async () => {
      const { client, user, organizationId } = await actingAs(t, ['admin']);
      const site = (await client.post('/api/v1/sites', { name: 'Mercy', kind: 'hospital', address: '1 Main St' })).json<SiteJson>();
      expect((await client.patch(`/api/v1/sites/${site.id}`, { version: 1, kind: 'residential', active: false })).statusCode).toBe(200);
      expect(await auditEvents(t, { organizationId, targetId: site.id })).toEqual([
        expect.objectContaining({ action: 'site.create', outcome: 'success', actorUserId: user.id, targetType: 'site', targetIds: [site.id] }),
        expect.objectContaining({ action: 'site.update', actorUserId: user.id, targetIds: [site.id], details: { fields: ['kind', 'active'] } }),
      ]);
    });

    it('are written in the same transaction as their audit row: when the audit row cannot be written, no site is', async () => {
      const { client, organizationId } = await actingAs(t, ['admin']);
      await blockNextAuditRow(t, organizationId);

      const res = await client.post('/api/v1/sites', { name: 'Never saved', kind: 'hospital' });
      expect(res.statusCode).toBe(500);
      expect(res.json<ErrorBody>().error.code).toBe('internal');
      expect(await t.db.selectFrom('sites').select('id').where('organization_id', '=', organizationId).execute()).toEqual([]);
    });

    it('a stale version → 409 with the site as it is now; nothing changes', async () => {
      const { client, organizationId } = await actingAs(t, ['admin']);
      const id = await buildSite(t.db, organizationId, { name: 'Mercy' });
      expect((await client.patch(`/api/v1/sites/${id}`, { version: 1, name: 'Mercy West' })).statusCode).toBe(200);
      const stale = await client.patch(`/api/v1/sites/${id}`, { version: 1, name: 'Mercy East', active: false });
      expect(stale.statusCode).toBe(409);
      expect(stale.json<ErrorBody>().error).toMatchObject({
        code: 'record.conflict',
        details: { version: 2, current: expect.objectContaining({ id, name: 'Mercy West', active: true, version: 2 }) },
      });
      const now = await load<SiteJson>(client, `/api/v1/sites/${id}`);
      expect(now).toMatchObject({ name: 'Mercy West', active: true, version: 2 });
      expect(stale.json<ErrorBody>().error.details?.current).toEqual(now);
      expect(await auditEvents(t, { action: 'site.update', targetId: id })).toHaveLength(1);
    });
  });

  describe('teams', () => {
    it('have a supervisor and members of the organization; create and update are audited', async () => {
      const { client, user, organizationId } = await actingAs(t, ['admin']);
      const siteId = await buildSite(t.db, organizationId);
      const supervisor = await buildUser(t.db, { organizationId, roles: ['supervisor'] });
      const coachA = await buildUser(t.db, { organizationId, roles: ['coach'] });
      const coachB = await buildUser(t.db, { organizationId, roles: ['coach'] });

      const created = await client.post('/api/v1/teams', { name: 'Night shift', siteId, supervisorUserId: supervisor.id, memberUserIds: [coachA.id, coachB.id, coachA.id] });
      expect(created.statusCode, created.body).toBe(201);
      const team = created.json<TeamJson>();
      expect(team).toMatchObject({ name: 'Night shift', siteId, supervisorUserId: supervisor.id, version: 1 });
      expect(team.memberUserIds).toEqual([coachA.id, coachB.id].sort());

      const updated = await client.patch(`/api/v1/teams/${team.id}`, { version: 1, memberUserIds: [coachB.id], supervisorUserId: null });
      expect(updated.statusCode, updated.body).toBe(200);
      expect(updated.json<TeamJson>()).toMatchObject({ memberUserIds: [coachB.id], supervisorUserId: null, version: 2 });

      const listed = await load<{ teams: TeamJson[] }>(client, '/api/v1/teams');
      expect(listed.teams).toEqual([updated.json<TeamJson>()]);
      expect(await auditEvents(t, { organizationId, targetId: team.id })).toEqual([
        expect.objectContaining({ action: 'team.create', actorUserId: user.id, targetType: 'team', targetIds: [team.id] }),
        expect.objectContaining({ action: 'team.update', actorUserId: user.id, targetIds: [team.id], details: { fields: ['supervisorUserId', 'memberUserIds'] } }),
      ]);
    });

    it("refuse another organization's site, supervisor or members, naming the field, and write nothing", async () => {
      const { client, organizationId } = await actingAs(t, ['admin']);
      const other = (await buildOrganization(t.db)).id;
      const ourCoach = await buildUser(t.db, { organizationId, roles: ['coach'] });
      const theirSite = await buildSite(t.db, other);
      const theirSupervisor = await buildUser(t.db, { organizationId: other, roles: ['supervisor'] });
      const theirCoach = await buildUser(t.db, { organizationId: other, roles: ['coach'] });
      const teamId = await buildTeam(t.db, organizationId);

      const cases: [Record<string, unknown>, string][] = [
        [{ siteId: theirSite }, 'siteId'],
        [{ supervisorUserId: theirSupervisor.id }, 'supervisorUserId'],
        [{ memberUserIds: [ourCoach.id, theirCoach.id] }, 'memberUserIds.1'],
        [{ siteId: randomUUID() }, 'siteId'],
      ];
      const before = await writeFingerprint(t);
      for (const [refs, path] of cases) {
        const create = await client.post('/api/v1/teams', { name: 'Cross-tenant', ...refs });
        expect({ status: create.statusCode, fields: fieldsOf(create) }, JSON.stringify(refs)).toEqual({ status: 400, fields: [path] });
        const update = await client.patch(`/api/v1/teams/${teamId}`, { version: 1, ...refs });
        expect({ status: update.statusCode, fields: fieldsOf(update) }, JSON.stringify(refs)).toEqual({ status: 400, fields: [path] });
      }
      expect(await writeFingerprint(t)).toEqual(before);
    });

    it('need a supervisor who holds the supervisor role', async () => {
      const { client, organizationId } = await actingAs(t, ['admin']);
      const coach = await buildUser(t.db, { organizationId, roles: ['coach'] });
      const res = await client.post('/api/v1/teams', { name: 'Day shift', supervisorUserId: coach.id });
      expect(res.statusCode).toBe(400);
      expect(fieldsOf(res)).toEqual(['supervisorUserId']);
    });

    it('a stale version → 409 with the team as it is now; members unchanged', async () => {
      const { client, organizationId } = await actingAs(t, ['admin']);
      const coach = await buildUser(t.db, { organizationId, roles: ['coach'] });
      const id = await buildTeam(t.db, organizationId, { memberUserIds: [coach.id] });
      expect((await client.patch(`/api/v1/teams/${id}`, { version: 1, name: 'Renamed' })).statusCode).toBe(200);
      const stale = await client.patch(`/api/v1/teams/${id}`, { version: 1, memberUserIds: [] });
      expect(stale.statusCode).toBe(409);
      expect(stale.json<ErrorBody>().error).toMatchObject({
        code: 'record.conflict',
        details: { version: 2, current: expect.objectContaining({ id, name: 'Renamed', memberUserIds: [coach.id], version: 2 }) },
      });
      const now = await load<TeamJson>(client, `/api/v1/teams/${id}`);
      expect(now).toMatchObject({ memberUserIds: [coach.id], version: 2 });
      expect(stale.json<ErrorBody>().error.details?.current).toEqual(now);
    });
  });

  describe('concurrent edits never silently overwrite', () => {
    /** Two admins load the same record, then both save at once with the version they loaded. */
    async function race<T extends { version: number }>(url: string, organizationId: string, edits: [Record<string, unknown>, Record<string, unknown>]) {
      const admins = await Promise.all([0, 1].map(async () => (await sessionFor(t, await buildUser(t.db, { organizationId, roles: ['admin'] }))).client));
      const loaded = await Promise.all(admins.map((c) => load<T>(c, url)));
      const results = await Promise.all(admins.map((c, i) => c.patch(url, { version: loaded[i]!.version, ...edits[i] })));
      return { loadedVersion: loaded[0]!.version, results };
    }

    it.each([
      ['site', async (org: string) => `/api/v1/sites/${await buildSite(t.db, org)}`, { name: 'Saved by A', address: 'A street' }, { name: 'Saved by B', address: 'B street' }],
      ['team', async (org: string) => `/api/v1/teams/${await buildTeam(t.db, org)}`, { name: 'Saved by A' }, { name: 'Saved by B' }],
      ['program', async (org: string) => `/api/v1/programs/${await buildProgram(t.db, org)}`, { name: 'Saved by A' }, { name: 'Saved by B' }],
    ] as const)('%s: exactly one save wins, the other gets 409 with the winning values', async (kind, make, editA, editB) => {
      const organizationId = (await buildOrganization(t.db)).id;
      const url = await make(organizationId);
      const { loadedVersion, results } = await race<{ version: number; name: string }>(url, organizationId, [editA, editB]);

      expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
      const winner = results.find((r) => r.statusCode === 200)!.json<{ name: string; version: number }>();
      const loser = results.find((r) => r.statusCode === 409)!.json<ErrorBody>().error;
      expect(winner.version).toBe(loadedVersion + 1);
      expect(loser.code).toBe('record.conflict');
      expect(loser.details).toEqual({ version: loadedVersion + 1, current: expect.objectContaining({ name: winner.name, version: loadedVersion + 1 }) });

      const admin = (await sessionFor(t, await buildUser(t.db, { organizationId, roles: ['admin'] }))).client;
      const now = await load<{ name: string; version: number }>(admin, url);
      expect(now).toEqual(winner);
      expect(loser.details?.current).toEqual(now);
      expect(await auditEvents(t, { action: `${kind}.update`, organizationId })).toHaveLength(1);
    });
  });
});
