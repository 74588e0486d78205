import type { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../../contracts/common.js';
import type { CreateUserResponse, User, UserList } from '../../../contracts/users.js';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { buildOrganization, buildUser, signIn } from '../../../../test/helpers/factories.js';
import { auditEvents, writeFingerprint } from '../../../../test/helpers/inspect.js';
import { actingAs, sessionFor } from '../../../../test/helpers/sessions.js';
import { findUserByEmail, findUserById, rolesIn } from './users.repository.js';

type UserJson = z.infer<typeof User>;
type Created = z.infer<typeof CreateUserResponse>;

const NEW_PASSWORD = 'lantern orchard quietly 2026';

describe('users', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const tokenOf = (url: string): string => new URLSearchParams(new URL(url).hash.slice(1)).get('token') ?? '';
  const errorOf = (res: { json: <T>() => T }) => res.json<ErrorBody>().error;

  describe('adding a person', () => {
    it('an admin adds a person → 201 with a one-time set-password link, never a password', async () => {
      const { client, user: admin, organizationId } = await actingAs(t, ['admin']);
      const res = await client.post('/api/v1/users', { email: '  Jordan.Avery@Example.org ', displayName: 'Jordan Avery', roles: ['coach', 'supervisor'] });
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json<Created>();
      expect(body.user).toMatchObject({ email: 'jordan.avery@example.org', displayName: 'Jordan Avery', roles: ['coach', 'supervisor'], status: 'active', mfaEnabled: false });
      // The token travels in the fragment, which browsers never send to a server or log.
      expect(body.setPasswordLink?.url).toMatch(/^http:\/\/[^#]+\/reset-password#token=[A-Za-z0-9_-]{40,}$/);
      expect(body.linkWithheld).toBeNull();
      expect(new Date(body.setPasswordLink!.expiresAt).getTime()).toBeGreaterThan(t.clock.now().getTime());
      expect(res.body).not.toMatch(/"password"|passwordHash|password_hash/i);
      expect((await findUserById(t.db, body.user.id))?.passwordHash).toBeNull();

      expect(await auditEvents(t, { organizationId, targetId: body.user.id })).toEqual([
        expect.objectContaining({ action: 'user.create', actorUserId: admin.id, targetIds: [body.user.id] }),
        expect.objectContaining({ action: 'membership.grant', actorUserId: admin.id, targetIds: [body.user.id], details: { roles: ['coach', 'supervisor'] } }),
      ]);

      // The link works once: the person sets a password and signs in.
      const set = await t.client().post('/api/v1/auth/reset-password', { token: tokenOf(body.setPasswordLink!.url), password: NEW_PASSWORD });
      expect(set.statusCode, set.body).toBe(200);
      const again = await t.client().post('/api/v1/auth/reset-password', { token: tokenOf(body.setPasswordLink!.url), password: NEW_PASSWORD });
      expect(again.statusCode).toBe(400);
      await signIn(t.client(), { email: 'jordan.avery@example.org', password: NEW_PASSWORD });
    });

    it('the same email twice in one organization → 409 record.duplicate naming email; nothing written', async () => {
      const { client, organizationId } = await actingAs(t, ['admin']);
      const existing = await buildUser(t.db, { organizationId, email: `casey-${organizationId.slice(-6)}@example.org` });
      const before = await writeFingerprint(t);
      const res = await client.post('/api/v1/users', { email: existing.email.toUpperCase(), displayName: 'Casey Again', roles: ['coach'] });
      expect(res.statusCode).toBe(409);
      expect(errorOf(res)).toMatchObject({ code: 'record.duplicate', fields: [{ path: 'email', message: expect.any(String) }] });
      expect(await writeFingerprint(t)).toEqual(before);
    });

    it('two admins adding the same new email at once: one 201, the others 409 record.duplicate naming email — never a 500', async () => {
      const { organizationId } = await actingAs(t, ['admin']);
      const admins = await Promise.all([1, 2, 3, 4].map(async () => (await sessionFor(t, await buildUser(t.db, { organizationId, roles: ['admin'] }))).client));
      await Promise.all(admins.map((c) => c.csrfToken()));
      const body = { email: `race-${organizationId.slice(-8)}@example.org`, displayName: 'Raced Person', roles: ['coach'] };
      const results = await Promise.all(admins.map((c) => c.post('/api/v1/users', body)));
      expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409]);
      for (const r of results.filter((x) => x.statusCode === 409)) {
        expect(errorOf(r)).toMatchObject({ code: 'record.duplicate', fields: [{ path: 'email', message: expect.any(String) }] });
        expect(r.body).not.toContain(body.email);
      }
    });

    it('the same email in another organization adds a membership to the same account', async () => {
      const first = await buildOrganization(t.db);
      const person = await buildUser(t.db, { organizationId: first.id, roles: ['coach'] });
      const { client, organizationId } = await actingAs(t, ['admin']);

      const res = await client.post('/api/v1/users', { email: person.email, displayName: 'Whatever Typed', roles: ['supervisor'] });
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json<Created>();
      expect(body.user).toMatchObject({ id: person.id, roles: ['supervisor'] });
      // They already have a password: no new set-password link is issued for them.
      expect(body.setPasswordLink).toBeNull();
      expect(body.linkWithheld).toBe('existing_account');
      expect(await rolesIn(t.db, person.id, first.id)).toEqual(['coach']);
      expect(await rolesIn(t.db, person.id, organizationId)).toEqual(['supervisor']);
      expect((await auditEvents(t, { organizationId, targetId: person.id })).map((e) => e.action)).toEqual(['membership.grant']);
      await signIn(t.client(), person);
    });
  });

  describe('changing a person', () => {
    it('a role change is audited as membership.change with from and to', async () => {
      const { client, user: admin, organizationId } = await actingAs(t, ['admin']);
      const person = await buildUser(t.db, { organizationId, roles: ['coach'] });
      const res = await client.patch(`/api/v1/users/${person.id}`, { version: 1, roles: ['supervisor', 'coach'] });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<UserJson>()).toMatchObject({ roles: ['coach', 'supervisor'], version: 2 });
      expect(await auditEvents(t, { action: 'membership.change', targetId: person.id })).toEqual([
        expect.objectContaining({ organizationId, actorUserId: admin.id, details: { from: ['coach'], to: ['coach', 'supervisor'] } }),
      ]);
    });

    it('an admin cannot disable themself or drop their own admin role (400 naming the field); nothing changes', async () => {
      const { client, user } = await actingAs(t, ['admin', 'supervisor']);
      const before = await writeFingerprint(t);
      const disable = await client.patch(`/api/v1/users/${user.id}`, { version: 1, status: 'disabled' });
      expect(disable.statusCode).toBe(400);
      expect(errorOf(disable).fields?.map((f) => f.path)).toEqual(['status']);
      const demote = await client.patch(`/api/v1/users/${user.id}`, { version: 1, roles: ['supervisor'] });
      expect(demote.statusCode).toBe(400);
      expect(errorOf(demote).fields?.map((f) => f.path)).toEqual(['roles']);
      expect(await writeFingerprint(t)).toEqual(before);
      // Their own name is theirs to change.
      expect((await client.patch(`/api/v1/users/${user.id}`, { version: 1, displayName: 'Sam R.' })).statusCode).toBe(200);
    });

    it("disabling a person ends their sessions: their client gets 401 and they cannot sign in", async () => {
      const { client, organizationId } = await actingAs(t, ['admin']);
      const person = await buildUser(t.db, { organizationId, roles: ['coach'] });
      const phone = (await sessionFor(t, person)).client;
      const laptop = (await sessionFor(t, person)).client;
      expect((await phone.get('/api/v1/me')).statusCode).toBe(200);

      const res = await client.patch(`/api/v1/users/${person.id}`, { version: 1, status: 'disabled' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<UserJson>().status).toBe('disabled');
      for (const c of [phone, laptop]) {
        const after = await c.get('/api/v1/me');
        expect(after.statusCode).toBe(401);
        expect(errorOf(after).code).toBe('auth.unauthenticated');
      }
      const live = await t.db.selectFrom('sessions').select('id').where('user_id', '=', person.id).where('revoked_at', 'is', null).execute();
      expect(live).toEqual([]);
      const signInAgain = await t.client().post('/api/v1/auth/sign-in', { email: person.email, password: person.password });
      expect(signInAgain.statusCode).toBe(401);
    });

    it("sign-out-everywhere ends that person's sessions and is audited", async () => {
      const { client, user: admin, organizationId } = await actingAs(t, ['admin']);
      const person = await buildUser(t.db, { organizationId, roles: ['coach'] });
      const phone = (await sessionFor(t, person)).client;
      const res = await client.post(`/api/v1/users/${person.id}/sign-out-everywhere`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ revoked: 1 });
      expect((await phone.get('/api/v1/me')).statusCode).toBe(401);
      expect(await auditEvents(t, { action: 'user.sessions_revoke', targetId: person.id })).toEqual([
        expect.objectContaining({ actorUserId: admin.id, details: { sessions: 1 } }),
      ]);
    });

    it('unlock clears a lockout', async () => {
      const { client, organizationId } = await actingAs(t, ['admin']);
      const person = await buildUser(t.db, { organizationId, roles: ['coach'] });
      const attempt = (password: string) => t.client().post('/api/v1/auth/sign-in', { email: person.email, password });

      const answers: number[] = [];
      for (let i = 0; i < t.config.loginMaxFailures; i++) answers.push((await attempt('not my password at all')).statusCode);
      expect(answers.at(-1)).toBe(423);
      expect((await attempt(person.password)).statusCode).toBe(423);

      const listed = (await client.get(`/api/v1/users/${person.id}`)).json<UserJson>();
      expect(listed.lockedUntil).not.toBeNull();
      const res = await client.post(`/api/v1/users/${person.id}/unlock`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<UserJson>().lockedUntil).toBeNull();
      expect(await auditEvents(t, { action: 'user.unlock', targetId: person.id })).toHaveLength(1);

      expect((await attempt(person.password)).statusCode).toBe(200);
    });

    it('a stale version → 409 with the person as the API shows them — never their password hash or MFA secret', async () => {
      const { client, organizationId } = await actingAs(t, ['admin']);
      const person = await buildUser(t.db, { organizationId, roles: ['coach'], mfa: true });
      const { version } = (await client.get(`/api/v1/users/${person.id}`)).json<UserJson>();
      expect((await client.patch(`/api/v1/users/${person.id}`, { version, displayName: 'First' })).statusCode).toBe(200);

      const stale = await client.patch(`/api/v1/users/${person.id}`, { version, displayName: 'Second' });
      expect(stale.statusCode).toBe(409);
      const row = await findUserByEmail(t.db, person.email);
      expect(stale.body).not.toContain(row!.passwordHash!);
      expect(stale.body).not.toContain(person.mfaSecret!);
      const now = (await client.get(`/api/v1/users/${person.id}`)).json<UserJson>();
      expect(errorOf(stale)).toMatchObject({ code: 'record.conflict', details: { version: version + 1, current: now } });
      expect(now.displayName).toBe('First');
    });
  });

  it('two admins saving the same person at once: one 200, the other 409 with the winning values', async () => {
    const organizationId = (await buildOrganization(t.db)).id;
    const person = await buildUser(t.db, { organizationId, roles: ['coach'] });
    const admins = await Promise.all([0, 1].map(async () => (await sessionFor(t, await buildUser(t.db, { organizationId, roles: ['admin'] }))).client));
    const results = await Promise.all(
      admins.map((c, i) => c.patch(`/api/v1/users/${person.id}`, { version: 1, displayName: `Saved by ${i}`, roles: i === 0 ? ['supervisor'] : ['coach', 'program_manager'] })),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const winner = results.find((r) => r.statusCode === 200)!.json<UserJson>();
    const loser = errorOf(results.find((r) => r.statusCode === 409)!);
    const now = (await admins[0]!.get(`/api/v1/users/${person.id}`)).json<UserJson>();
    expect(now).toEqual(winner);
    expect(loser).toMatchObject({ code: 'record.conflict', details: { version: 2, current: now } });
    expect(await auditEvents(t, { action: 'membership.change', targetId: person.id })).toHaveLength(1);
  });

  describe('people who work for several organizations', () => {
    it("an admin cannot take over another organization's account by adding its email and issuing a password link", async () => {
      const victimOrg = await buildOrganization(t.db);
      const victim = await buildUser(t.db, { organizationId: victimOrg.id, roles: ['admin'] });
      const { client } = await actingAs(t, ['admin']);

      const added = await client.post('/api/v1/users', { email: victim.email, displayName: 'Anyone', roles: ['coach'] });
      expect(added.statusCode, added.body).toBe(201);
      const before = await writeFingerprint(t);
      const reset = await client.post(`/api/v1/users/${victim.id}/password-reset`);
      expect(reset.statusCode, reset.body).toBe(403);
      expect(errorOf(reset).code).toBe('auth.forbidden');
      expect(reset.body).not.toContain('#token=');
      expect(await writeFingerprint(t)).toEqual(before);
    });

    it("the account belongs to every organization: an admin here cannot disable, rename, unlock or sign out someone who also works elsewhere (403 naming the field), but changes their roles here", async () => {
      const homeOrg = await buildOrganization(t.db);
      const person = await buildUser(t.db, { organizationId: homeOrg.id, roles: ['coach'] });
      const { client } = await actingAs(t, ['admin']);
      const added = await client.post('/api/v1/users', { email: person.email, displayName: 'Anyone', roles: ['coach'] });
      expect(added.statusCode, added.body).toBe(201);
      const version = added.json<Created>().user.version;
      const before = await writeFingerprint(t);
      const disable = await client.patch(`/api/v1/users/${person.id}`, { version, status: 'disabled' });
      expect(disable.statusCode).toBe(403);
      expect(errorOf(disable).fields).toEqual([{ path: 'status', message: expect.any(String) }]);
      const rename = await client.patch(`/api/v1/users/${person.id}`, { version, displayName: 'Someone Else' });
      expect(errorOf(rename).fields?.[0]?.path).toBe('displayName');
      expect((await client.post(`/api/v1/users/${person.id}/unlock`)).statusCode).toBe(403);
      expect((await client.post(`/api/v1/users/${person.id}/sign-out-everywhere`)).statusCode).toBe(403);
      expect(await writeFingerprint(t)).toEqual(before);
      const roles = await client.patch(`/api/v1/users/${person.id}`, { version, roles: ['supervisor'] });
      expect(roles.statusCode, roles.body).toBe(200);
      expect(await rolesIn(t.db, person.id, homeOrg.id)).toEqual(['coach']);
    });

    it('removing a person from this organization ends their roles, teams and sessions here only; their account and other organizations stay', async () => {
      const homeOrg = await buildOrganization(t.db);
      const person = await buildUser(t.db, { organizationId: homeOrg.id, roles: ['coach'] });
      const { client, organizationId } = await actingAs(t, ['admin']);
      expect((await client.post('/api/v1/users', { email: person.email, displayName: 'Anyone', roles: ['coach'] })).statusCode).toBe(201);
      const supervisor = await buildUser(t.db, { organizationId, roles: ['supervisor'] });
      const team = await client.post('/api/v1/teams', { name: 'Night shift', supervisorUserId: supervisor.id, memberUserIds: [person.id] });
      expect(team.statusCode, team.body).toBe(201);
      const here = await sessionFor(t, { id: person.id, organizationId });
      const home = await sessionFor(t, { id: person.id, organizationId: homeOrg.id });

      const res = await client.delete(`/api/v1/users/${person.id}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(await rolesIn(t.db, person.id, organizationId)).toEqual([]);
      expect(await rolesIn(t.db, person.id, homeOrg.id)).toEqual(['coach']);
      expect((await client.get(`/api/v1/users/${person.id}`)).statusCode).toBe(404);
      const teamNow = await client.get(`/api/v1/teams/${team.json<{ id: string }>().id}`);
      expect(teamNow.json<{ memberUserIds: string[] }>().memberUserIds).toEqual([]);
      expect((await here.client.get('/api/v1/me')).statusCode).toBe(401);
      expect((await home.client.get('/api/v1/me')).statusCode).toBe(200);
      expect(await auditEvents(t, { action: 'membership.revoke', targetId: person.id })).toEqual([
        expect.objectContaining({ details: { roles: ['coach'] } }),
      ]);
    });

    it('an admin cannot remove themself (400 naming id)', async () => {
      const { client, user } = await actingAs(t, ['admin']);
      const res = await client.delete(`/api/v1/users/${user.id}`);
      expect(res.statusCode).toBe(400);
      expect(errorOf(res).fields?.[0]?.path).toBe('id');
    });

    it('not even a platform admin can issue a password link for a person of several organizations (the operator uses the CLI)', async () => {
      const homeOrg = await buildOrganization(t.db);
      const person = await buildUser(t.db, { organizationId: homeOrg.id, roles: ['coach'] });
      const { client } = await actingAs(t, ['admin'], { platformAdmin: true });
      expect((await client.post('/api/v1/users', { email: person.email, displayName: 'Anyone', roles: ['coach'] })).statusCode).toBe(201);
      const reset = await client.post(`/api/v1/users/${person.id}/password-reset`);
      expect(reset.statusCode, reset.body).toBe(403);
      expect(reset.body).not.toContain('#token=');
      expect((await client.post(`/api/v1/users/${person.id}/unlock`)).statusCode).toBe(403);
    });

    it('a person who works only here gets a new link from their admin', async () => {
      const { client, organizationId } = await actingAs(t, ['admin']);
      const person = await buildUser(t.db, { organizationId, roles: ['coach'] });
      const reset = await client.post(`/api/v1/users/${person.id}/password-reset`);
      expect(reset.statusCode, reset.body).toBe(201);
      expect(reset.json<{ url: string }>().url).toContain('/reset-password#token=');
      expect(await auditEvents(t, { action: 'user.password_reset_link', targetId: person.id })).toHaveLength(1);
    });
  });

  describe('who may see and change people', () => {
    it('a supervisor can list and read people but not add or change them (403)', async () => {
      const { client, user, organizationId } = await actingAs(t, ['supervisor']);
      const coach = await buildUser(t.db, { organizationId, roles: ['coach'] });
      const list = await client.get('/api/v1/users');
      expect(list.statusCode).toBe(200);
      expect(list.json<z.infer<typeof UserList>>().users.map((u) => u.id).sort()).toEqual([user.id, coach.id].sort());
      expect((await client.get(`/api/v1/users/${coach.id}`)).statusCode).toBe(200);

      const before = await writeFingerprint(t);
      const create = await client.post('/api/v1/users', { email: 'new.coach@example.org', displayName: 'New Coach', roles: ['coach'] });
      expect(create.statusCode).toBe(403);
      expect(errorOf(create).code).toBe('auth.forbidden');
      expect((await client.patch(`/api/v1/users/${coach.id}`, { version: 1, roles: ['admin'] })).statusCode).toBe(403);
      expect(await writeFingerprint(t)).toEqual(before);
    });

    it("lists only this organization's people, and never password hashes or MFA secrets", async () => {
      const { client, organizationId } = await actingAs(t, ['admin']);
      const withMfa = await buildUser(t.db, { organizationId, roles: ['coach'], mfa: true });
      const elsewhere = await buildUser(t.db, { organizationId: (await buildOrganization(t.db)).id, roles: ['coach'] });
      const res = await client.get('/api/v1/users');
      expect(res.statusCode).toBe(200);

      const ids = res.json<z.infer<typeof UserList>>().users.map((u) => u.id);
      expect(ids).toContain(withMfa.id);
      expect(ids).not.toContain(elsewhere.id);
      const row = await findUserById(t.db, withMfa.id);
      expect(row?.passwordHash).toMatch(/^\$argon2id\$/);
      expect(res.body).not.toContain(row!.passwordHash!);
      expect(res.body).not.toContain('$argon2');
      expect(res.body).not.toContain(withMfa.mfaSecret!);
      expect(res.body).not.toMatch(/password|mfaSecret|mfa_secret|failedLogins|mfaLastStep/i);
      const one = await client.get(`/api/v1/users/${withMfa.id}`);
      expect(one.body).not.toMatch(/password|mfaSecret|mfa_secret|\$argon2/i);
      expect(one.json<UserJson>().mfaEnabled).toBe(true);
    });
  });
});
