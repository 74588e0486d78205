/**
 * A person's own account: changing the password, turning MFA on and off, seeing and ending
 * sessions, signing out everywhere, switching organization and choosing a language.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { buildOrganization, buildUser, type BuiltUser } from '../../../../test/helpers/factories.js';
import { type AddressedClient, clientFor, getWithToken, sessionTokenOf, totpAt, wrongTotpAt } from '../../../../test/helpers/auth.js';
import { personIn, signedInClientFor } from '../../../../test/helpers/auth.js';
import type { Role } from '../../../contracts/roles.js';
import { setRoles } from '../users/users.repository.js';

const NEW_PASSWORD = 'a lantern over the harbor at dusk';

describe('account', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const client = (): AddressedClient => clientFor(t);

  const person = (o: { roles?: Role[]; mfa?: boolean; requireMfa?: boolean } = {}): Promise<BuiltUser> => personIn(t, o);
  const signedInClient = (user: BuiltUser): Promise<AddressedClient> => signedInClientFor(t, user);

  /** Signed in past the MFA step (for a person who has MFA on). */
  async function verifiedClient(user: BuiltUser): Promise<AddressedClient> {
    const c = await signedInClient(user);
    const res = await c.post('/api/v1/auth/mfa/verify', { code: await totpAt(user.mfaSecret!, t.clock.now()) });
    expect(res.statusCode).toBe(200);
    return c;
  }

  const signInAs = (email: string, password: string) => client().post('/api/v1/auth/sign-in', { email, password });

  async function attempts(actor: string, action: string) {
    const rows = await t.db.selectFrom('audit_events').select(['outcome', 'details']).where('actor_user_id', '=', actor).where('action', '=', action).execute();
    return rows.map((r) => `${r.outcome}:${(JSON.parse(r.details) as { reason?: string }).reason ?? ''}`);
  }

  async function auditActions(actor: string, action: string) {
    const rows = await t.db.selectFrom('audit_events').select(['organization_id', 'details']).where('actor_user_id', '=', actor).where('action', '=', action).execute();
    return rows.map((r) => ({ organizationId: r.organization_id, details: JSON.parse(r.details) as Record<string, unknown> }));
  }

  describe('change password', () => {
    it('needs the current password', async () => {
      const user = await person();
      const c = await signedInClient(user);
      const res = await c.post('/api/v1/me/password', { currentPassword: 'not my password', newPassword: NEW_PASSWORD });
      expect(res.statusCode).toBe(401);
      expect(res.json().error).toMatchObject({ code: 'auth.invalid_credentials', fields: [{ path: 'currentPassword', message: expect.any(String) }] });
      expect((await signInAs(user.email, user.password)).statusCode).toBe(200);
      expect((await signInAs(user.email, NEW_PASSWORD)).statusCode).toBe(401);
    });

    it('counts and audits wrong current passwords: at the limit the account is locked, this session continues', async () => {
      const user = await person();
      const c = await signedInClient(user);
      const guess = () => c.post('/api/v1/me/password', { currentPassword: 'one more guess at it', newPassword: NEW_PASSWORD });
      for (let i = 1; i < t.config.loginMaxFailures; i++) expect((await guess()).statusCode, `guess ${i}`).toBe(401);
      const locking = await guess();
      expect(locking.statusCode).toBe(423);
      expect(locking.json().error.code).toBe('auth.locked');
      expect(await attempts(user.id, 'account.password_change')).toEqual(Array<string>(t.config.loginMaxFailures).fill('failure:bad_password'));

      // Locked: sign-in is refused, and so is another try here, even with the right password.
      expect((await signInAs(user.email, user.password)).statusCode).toBe(423);
      const right = await c.post('/api/v1/me/password', { currentPassword: user.password, newPassword: NEW_PASSWORD });
      expect(right.statusCode).toBe(423);
      expect((await attempts(user.id, 'account.password_change')).filter((a) => a === 'denied:locked')).toHaveLength(1);
      expect((await c.get('/api/v1/me')).statusCode).toBe(200);

      // When the lock ends (the session kept alive meanwhile), the right password works again.
      t.clock.advance(t.config.loginLockoutMs - 5 * 60_000);
      expect((await c.get('/api/v1/me')).statusCode).toBe(200);
      t.clock.advance(5 * 60_000);
      expect((await c.post('/api/v1/me/password', { currentPassword: user.password, newPassword: NEW_PASSWORD })).statusCode).toBe(200);
      expect((await signInAs(user.email, NEW_PASSWORD)).statusCode).toBe(200);
    });

    it('wrong current passwords and wrong sign-in passwords add up to one count', async () => {
      const user = await person();
      const c = await signedInClient(user);
      for (let i = 1; i < t.config.loginMaxFailures; i++) expect((await signInAs(user.email, 'not it either')).statusCode).toBe(401);
      expect((await c.post('/api/v1/me/password', { currentPassword: 'not it either', newPassword: NEW_PASSWORD })).statusCode).toBe(423);
      expect((await signInAs(user.email, user.password)).statusCode).toBe(423);
    });

    it('refuses a weak new password naming newPassword', async () => {
      const user = await person();
      const c = await signedInClient(user);
      for (const weak of ['tiny', 'password1234', `${user.email.split('@')[0]} is me`]) {
        const res = await c.post('/api/v1/me/password', { currentPassword: user.password, newPassword: weak });
        expect(res.statusCode, weak).toBe(400);
        expect(res.json().error).toMatchObject({ code: 'auth.weak_password', fields: [{ path: 'newPassword', message: expect.any(String) }] });
      }
      expect((await signInAs(user.email, user.password)).statusCode).toBe(200);
    });

    it('ends the other sessions and keeps this one', async () => {
      const user = await person();
      const here = await signedInClient(user);
      const elsewhere = await signedInClient(user);
      const other = await person();
      const someoneElse = await signedInClient(other);

      const res = await here.post('/api/v1/me/password', { currentPassword: user.password, newPassword: NEW_PASSWORD });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ ok: true });

      expect((await here.get('/api/v1/me')).statusCode).toBe(200);
      expect((await elsewhere.get('/api/v1/me')).statusCode).toBe(401);
      expect((await someoneElse.get('/api/v1/me')).statusCode).toBe(200);
      expect((await signInAs(user.email, user.password)).statusCode).toBe(401);
      expect((await signInAs(user.email, NEW_PASSWORD)).statusCode).toBe(200);
      expect(await auditActions(user.id, 'account.password_change')).toEqual([
        { organizationId: user.organizationId, details: { otherSessionsEnded: 1 } },
      ]);
    });
  });

  describe('MFA enrolment', () => {
    it('set-up gives a secret, an otpauth URI and a QR code; a code confirms it and sign-in then asks for one', async () => {
      const user = await person();
      const c = await signedInClient(user);
      const setup = await c.post('/api/v1/me/mfa/setup');
      expect(setup.statusCode).toBe(200);
      const { secret, otpauthUri, qrSvg } = setup.json<{ secret: string; otpauthUri: string; qrSvg: string }>();
      expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
      const uri = new URL(otpauthUri);
      expect(uri.protocol).toBe('otpauth:');
      expect(uri.searchParams.get('secret')).toBe(secret);
      expect(uri.searchParams.get('issuer')).toBe('Lodestar');
      expect(decodeURIComponent(uri.pathname)).toContain(user.email);
      expect(qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);

      // Not on until confirmed.
      expect((await signInAs(user.email, user.password)).json().session.mfaState).toBe('verified');

      const wrong = await c.post('/api/v1/me/mfa/confirm', { code: await wrongTotpAt(secret, t.clock.now()) });
      expect(wrong.statusCode).toBe(401);
      expect(wrong.json().error).toMatchObject({ code: 'auth.mfa_invalid', fields: [{ path: 'code', message: expect.any(String) }] });
      expect((await c.get('/api/v1/me')).json().user.mfaEnabled).toBe(false);

      const confirmed = await c.post('/api/v1/me/mfa/confirm', { code: await totpAt(secret, t.clock.now()) });
      expect(confirmed.statusCode).toBe(200);
      expect(confirmed.json()).toMatchObject({ user: { mfaEnabled: true }, session: { mfaState: 'verified' } });
      // This session was already full: it continues with the same cookie.
      expect(sessionTokenOf(confirmed)).toBeUndefined();
      expect((await c.get('/api/v1/me')).statusCode).toBe(200);
      expect(await auditActions(user.id, 'account.mfa_enable')).toHaveLength(1);

      const next = client();
      expect((await next.post('/api/v1/auth/sign-in', { email: user.email, password: user.password })).json().session.mfaState).toBe('pending');
      // The code used to confirm cannot be used again to sign in.
      const replay = await next.post('/api/v1/auth/mfa/verify', { code: await totpAt(secret, t.clock.now()) });
      expect(replay.statusCode).toBe(401);
      t.clock.advance(30_000);
      expect((await next.post('/api/v1/auth/mfa/verify', { code: await totpAt(secret, t.clock.now()) })).statusCode).toBe(200);

      const again = await c.post('/api/v1/me/mfa/setup');
      expect(again.statusCode).toBe(400);
      expect(again.json().error.code).toBe('validation.failed');
    });

    it('only the newest set-up counts: a code from an earlier QR code is refused', async () => {
      const user = await person();
      const c = await signedInClient(user);
      const first = (await c.post('/api/v1/me/mfa/setup')).json<{ secret: string }>().secret;
      const second = (await c.post('/api/v1/me/mfa/setup')).json<{ secret: string }>().secret;
      expect(second).not.toBe(first);
      const stale = await c.post('/api/v1/me/mfa/confirm', { code: await totpAt(first, t.clock.now()) });
      // (A one-in-a-million collision of the two codes would make this flaky; it is accepted.)
      expect(stale.statusCode).toBe(401);
      expect((await c.post('/api/v1/me/mfa/confirm', { code: await totpAt(second, t.clock.now()) })).statusCode).toBe(200);
    });
  });

  describe('turning MFA off', () => {
    it('needs the password and a current code', async () => {
      const user = await person({ mfa: true });
      const c = await verifiedClient(user);
      t.clock.advance(30_000);
      const code = await totpAt(user.mfaSecret!, t.clock.now());

      const wrongPassword = await c.post('/api/v1/me/mfa/disable', { password: 'not my password', code });
      expect(wrongPassword.statusCode).toBe(401);
      expect(wrongPassword.json().error).toMatchObject({ code: 'auth.invalid_credentials', fields: [{ path: 'password', message: expect.any(String) }] });

      const wrongCode = await c.post('/api/v1/me/mfa/disable', { password: user.password, code: await wrongTotpAt(user.mfaSecret!, t.clock.now()) });
      expect(wrongCode.statusCode).toBe(401);
      expect(wrongCode.json().error.code).toBe('auth.mfa_invalid');
      expect((await c.get('/api/v1/me')).json().user.mfaEnabled).toBe(true);

      const ok = await c.post('/api/v1/me/mfa/disable', { password: user.password, code });
      expect(ok.statusCode).toBe(200);
      expect((await c.get('/api/v1/me')).json().user.mfaEnabled).toBe(false);
      expect((await signInAs(user.email, user.password)).json().session.mfaState).toBe('verified');
      expect((await attempts(user.id, 'account.mfa_disable')).sort()).toEqual(['failure:bad_code', 'failure:bad_password', 'success:']);
    });

    it('counts and audits wrong passwords (and codes): at the limit the account is locked', async () => {
      const user = await person({ mfa: true });
      const c = await verifiedClient(user);
      t.clock.advance(30_000);
      const code = await totpAt(user.mfaSecret!, t.clock.now());
      const guess = () => c.post('/api/v1/me/mfa/disable', { password: 'one more guess at it', code });
      for (let i = 1; i < t.config.loginMaxFailures - 1; i++) expect((await guess()).statusCode, `guess ${i}`).toBe(401);
      expect((await c.post('/api/v1/me/mfa/disable', { password: user.password, code: await wrongTotpAt(user.mfaSecret!, t.clock.now()) })).statusCode).toBe(401);
      const locking = await guess();
      expect(locking.statusCode).toBe(423);
      expect(locking.json().error.code).toBe('auth.locked');
      expect((await attempts(user.id, 'account.mfa_disable')).sort()).toEqual(
        [...Array<string>(t.config.loginMaxFailures - 1).fill('failure:bad_password'), 'failure:bad_code'].sort(),
      );

      expect((await signInAs(user.email, user.password)).statusCode).toBe(423);
      expect((await c.post('/api/v1/me/mfa/disable', { password: user.password, code })).statusCode).toBe(423);
      expect((await c.get('/api/v1/me')).json().user.mfaEnabled).toBe(true);
    });

    it('refuses the code that signed this session in (a code works once)', async () => {
      const user = await person({ mfa: true });
      const c = await signedInClient(user);
      const code = await totpAt(user.mfaSecret!, t.clock.now());
      expect((await c.post('/api/v1/auth/mfa/verify', { code })).statusCode).toBe(200);
      const res = await c.post('/api/v1/me/mfa/disable', { password: user.password, code });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('auth.mfa_invalid');
    });

    it('is not possible in an organization that requires MFA', async () => {
      const user = await person({ mfa: true, requireMfa: true });
      const c = await verifiedClient(user);
      t.clock.advance(30_000);
      const res = await c.post('/api/v1/me/mfa/disable', { password: user.password, code: await totpAt(user.mfaSecret!, t.clock.now()) });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('validation.failed');
      expect((await c.get('/api/v1/me')).json().user.mfaEnabled).toBe(true);
    });
  });

  describe('sessions', () => {
    it('lists this session and the others, and ends another one', async () => {
      const user = await person();
      const here = await signedInClient(user);
      const there = await signedInClient(user);
      const stranger = await signedInClient(await person());

      const list = await here.get('/api/v1/me/sessions');
      expect(list.statusCode).toBe(200);
      const sessions = list.json<{ sessions: { id: string; current: boolean; ip: string | null }[] }>().sessions;
      expect(sessions).toHaveLength(2);
      expect(sessions.every((s) => /^[0-9a-f]{16}$/.test(s.id))).toBe(true);
      const current = sessions.find((s) => s.current);
      const other = sessions.find((s) => !s.current);
      expect(current?.ip).toBe(here.ip);
      expect(other?.ip).toBe(there.ip);

      const end = await here.delete(`/api/v1/me/sessions/${other!.id}`);
      expect(end.statusCode).toBe(200);
      expect(end.json()).toEqual({ ok: true });
      expect((await there.get('/api/v1/me')).statusCode).toBe(401);
      expect((await here.get('/api/v1/me')).statusCode).toBe(200);
      expect((await stranger.get('/api/v1/me')).statusCode).toBe(200);
      const after = (await here.get('/api/v1/me/sessions')).json<{ sessions: { id: string }[] }>().sessions;
      expect(after.map((s) => s.id)).toEqual([current!.id]);
      expect(await auditActions(user.id, 'account.session_end')).toEqual([{ organizationId: user.organizationId, details: { current: false } }]);
    });

    it('cannot end someone else’s session', async () => {
      const owner = await signedInClient(await person());
      const ownerSession = (await owner.get('/api/v1/me/sessions')).json<{ sessions: { id: string }[] }>().sessions[0]!.id;
      const intruder = await signedInClient(await person());
      const res = await intruder.delete(`/api/v1/me/sessions/${ownerSession}`);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('record.not_found');
      expect((await owner.get('/api/v1/me')).statusCode).toBe(200);
    });

    it('ending the current session from the list signs this client out', async () => {
      const c = await signedInClient(await person());
      const mine = (await c.get('/api/v1/me/sessions')).json<{ sessions: { id: string }[] }>().sessions[0]!.id;
      const res = await c.delete(`/api/v1/me/sessions/${mine}`);
      expect(res.statusCode).toBe(200);
      expect(c.hasSession()).toBe(false);
      expect((await c.get('/api/v1/me')).statusCode).toBe(401);
    });

    it('sign out everywhere ends every session of this person and no one else’s', async () => {
      const user = await person();
      const a = client();
      const tokenA = sessionTokenOf(await a.post('/api/v1/auth/sign-in', { email: user.email, password: user.password }))!;
      const b = await signedInClient(user);
      const c = await signedInClient(user);
      const colleague = await signedInClient(await buildUser(t.db, { organizationId: user.organizationId }));

      const res = await a.post('/api/v1/me/sign-out-everywhere');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ revoked: 3 });
      expect(a.hasSession()).toBe(false);
      expect((await getWithToken(t, '/api/v1/me', tokenA)).statusCode).toBe(401);
      expect((await b.get('/api/v1/me')).statusCode).toBe(401);
      expect((await c.get('/api/v1/me')).statusCode).toBe(401);
      expect((await colleague.get('/api/v1/me')).statusCode).toBe(200);
      expect((await signInAs(user.email, user.password)).statusCode).toBe(200);
    });
  });

  describe('organization switch', () => {
    async function personInTwo() {
      const suffix = Math.random().toString(36).slice(2, 8);
      const bravo = await buildOrganization(t.db, { name: `Bravo Outreach ${suffix}` });
      const alpha = await buildOrganization(t.db, { name: `Alpha Recovery ${suffix}` });
      const user = await buildUser(t.db, { organizationId: bravo.id, roles: ['admin'] });
      await setRoles(t.db, user.id, alpha.id, ['coach'], t.clock.now().toISOString());
      return { user, alpha, bravo };
    }

    it('moves the session to another of the person’s organizations, and /me follows', async () => {
      const { user, alpha, bravo } = await personInTwo();
      const c = client();
      const signedIn = await c.post('/api/v1/auth/sign-in', { email: user.email, password: user.password });
      // Sign-in opens the first organization by name.
      expect(signedIn.json()).toMatchObject({ organization: { id: alpha.id }, roles: ['coach'] });
      expect(signedIn.json().organizations.map((o: { id: string }) => o.id)).toEqual([alpha.id, bravo.id]);
      expect((await c.get('/api/v1/users')).statusCode).toBe(403);

      const res = await c.post('/api/v1/me/organization', { organizationId: bravo.id });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ organization: { id: bravo.id, name: bravo.name }, roles: ['admin'] });
      expect(res.json().permissions).toContain('users.manage');

      const me = await c.get('/api/v1/me');
      expect(me.json()).toMatchObject({ organization: { id: bravo.id }, roles: ['admin'] });
      const users = await c.get('/api/v1/users');
      expect(users.statusCode).toBe(200);
      expect(users.json().users.map((u: { id: string }) => u.id)).toContain(user.id);
      expect((await auditActions(user.id, 'account.organization_switch')).map((r) => r.organizationId)).toEqual([bravo.id]);
    });

    it('answers 404 for an organization where the person has no role', async () => {
      const { user, alpha } = await personInTwo();
      const elsewhere = await buildOrganization(t.db);
      const c = await signedInClient(user);
      const res = await c.post('/api/v1/me/organization', { organizationId: elsewhere.id });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('record.not_found');
      expect((await c.get('/api/v1/me')).json().organization.id).toBe(alpha.id);
    });

    it('refuses an organization that requires MFA until the person has it', async () => {
      const { user, alpha } = await personInTwo();
      const strict = await buildOrganization(t.db, { requireMfa: true });
      await setRoles(t.db, user.id, strict.id, ['coach'], t.clock.now().toISOString());
      const c = await signedInClient(user);
      const res = await c.post('/api/v1/me/organization', { organizationId: strict.id });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('auth.mfa_enrollment_required');
      expect((await c.get('/api/v1/me')).json().organization.id).toBe(alpha.id);
    });
  });

  describe('preferences', () => {
    it('keeps the chosen language', async () => {
      const user = await person();
      const c = await signedInClient(user);
      expect((await c.get('/api/v1/me')).json().user.locale).toBe('en');
      expect((await c.patch('/api/v1/me/preferences', { locale: 'es' })).statusCode).toBe(200);
      expect((await c.get('/api/v1/me')).json().user.locale).toBe('es');
      expect((await c.patch('/api/v1/me/preferences', { locale: 'fr' })).statusCode).toBe(400);
    });
  });
});
