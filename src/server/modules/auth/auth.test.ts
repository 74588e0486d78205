/**
 * Signing in and out: cookies, credentials, lockout, rate limits, session lifetimes (idle and
 * absolute), CSRF, the MFA step, first-run setup, password links, and what reaches the logs.
 * Every test builds its own organization and people; the clock only moves forward.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { buildOrganization, buildUser, type BuiltUser } from '../../../../test/helpers/factories.js';
import {
  type AddressedClient,
  clientFor,
  getWithToken,
  sessionSetCookie,
  sessionTokenOf,
  tokenFromLink,
  totpAt,
  wrongTotpAt,
} from '../../../../test/helpers/auth.js';
import { personIn, signedInClientFor } from '../../../../test/helpers/auth.js';
import { createLoggingTestApp } from '../../../../test/helpers/logs.js';
import type { Role } from '../../../contracts/roles.js';
import { setRoles, updateUser } from '../users/users.repository.js';
import { newId } from '../../platform/ids.js';
import { issueSetupLink } from './auth.usecases.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const NEW_PASSWORD = 'a lantern over the harbor at dusk';

describe('authentication', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const client = (): AddressedClient => clientFor(t);

  const person = (o: { roles?: Role[]; mfa?: boolean; requireMfa?: boolean } = {}): Promise<BuiltUser> => personIn(t, o);
  const signedInClient = (user: BuiltUser): Promise<AddressedClient> => signedInClientFor(t, user);

  const signInAs = (c: AddressedClient, email: string, password: string) => c.post('/api/v1/auth/sign-in', { email, password });

  async function userRow(id: string) {
    return t.db.selectFrom('users').select(['failed_logins', 'locked_until', 'mfa_last_step']).where('id', '=', id).executeTakeFirstOrThrow();
  }

  async function auditOf(action: string, where: { ip?: string; actor?: string }) {
    let q = t.db.selectFrom('audit_events').select(['actor_user_id', 'organization_id', 'outcome', 'details', 'ip']).where('action', '=', action);
    if (where.ip) q = q.where('ip', '=', where.ip);
    if (where.actor) q = q.where('actor_user_id', '=', where.actor);
    const rows = await q.execute();
    return rows.map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }));
  }

  /**
   * Call every non-public API route with this client and list those that do not answer with
   * `status`/`code`. Params get well-formed ids; bodies carry a well-formed code for the MFA routes.
   */
  async function routesNotRefused(c: AddressedClient, except: string[], status: number, code: string): Promise<{ checked: number; wrong: string[] }> {
    const wrong: string[] = [];
    let checked = 0;
    for (const r of t.app.apiRoutes) {
      const key = `${r.method} ${r.url}`;
      if (r.access.kind === 'public' || except.includes(key)) continue;
      const url = r.url.replace(/:[A-Za-z]+/g, (p) => (p === ':sessionId' ? '0123456789abcdef' : newId()));
      const method = r.method as 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
      const res = await c.request(method, url, method === 'GET' || method === 'DELETE' ? undefined : { code: '123456' });
      checked += 1;
      const got = res.json<{ error?: { code?: string } }>().error?.code;
      if (res.statusCode !== status || got !== code) wrong.push(`${key} → ${res.statusCode} ${got ?? res.body.slice(0, 80)}`);
    }
    return { checked, wrong };
  }

  describe('sign-in', () => {
    it('sets an HttpOnly, SameSite session cookie (not Secure over plain HTTP) and opens a full session', async () => {
      const user = await person({ roles: ['supervisor'] });
      const c = client();
      const res = await signInAs(c, user.email, user.password);
      expect(res.statusCode).toBe(200);
      const cookie = sessionSetCookie(res);
      expect(cookie).toBeDefined();
      expect(cookie).toMatch(/;\s*HttpOnly/i);
      expect(cookie).toMatch(/;\s*SameSite=Lax/i);
      expect(cookie).toMatch(/;\s*Path=\//i);
      expect(cookie).not.toMatch(/;\s*Secure/i);
      expect(res.json()).toMatchObject({
        user: { id: user.id, email: user.email, mfaEnabled: false, isPlatformAdmin: false },
        session: { mfaState: 'verified', idleTimeoutSeconds: 15 * 60, expiresAt: new Date(t.clock.now().getTime() + t.config.sessionAbsoluteMs).toISOString() },
        organization: { id: user.organizationId },
        roles: ['supervisor'],
      });
      expect(res.json().permissions).toContain('users.read');

      const me = await c.get('/api/v1/me');
      expect(me.statusCode).toBe(200);
      expect(me.json().user.id).toBe(user.id);
    });

    it('matches the email address whatever its case', async () => {
      const user = await person();
      const res = await signInAs(client(), `  ${user.email.toUpperCase()} `, user.password);
      expect(res.statusCode).toBe(200);
      expect(res.json().user.id).toBe(user.id);
    });

    it('answers a wrong password and an unknown email with the same 401, and sets no cookie', async () => {
      const user = await person();
      const c = client();
      const wrong = await signInAs(c, user.email, 'not the password at all');
      const unknown = await signInAs(c, `nobody-${newId()}@example.org`, user.password);
      expect(wrong.statusCode).toBe(401);
      expect(unknown.statusCode).toBe(401);
      expect(wrong.json()).toEqual({ error: { code: 'auth.invalid_credentials', message: expect.any(String) } });
      expect(unknown.json()).toEqual(wrong.json());
      expect(sessionTokenOf(wrong)).toBeUndefined();
      expect(sessionTokenOf(unknown)).toBeUndefined();
      expect(c.hasSession()).toBe(false);
      expect((await c.get('/api/v1/me')).statusCode).toBe(401);
    });

    it('refuses a disabled person with the same answer, and ends the sessions they had', async () => {
      const user = await person();
      const before = await signedInClient(user);
      await updateUser(t.db, user.id, { status: 'disabled' }, t.clock.now().toISOString());

      const c = client();
      const res = await signInAs(c, user.email, user.password);
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('auth.invalid_credentials');
      expect(c.hasSession()).toBe(false);
      expect((await before.get('/api/v1/me')).statusCode).toBe(401);
    });

    it('audits every attempt (success, failure, denied) with no email or password in the trail', async () => {
      const user = await person();
      const disabled = await person();
      await updateUser(t.db, disabled.id, { status: 'disabled' }, t.clock.now().toISOString());
      const unknownEmail = `ghost-${newId()}@example.org`;
      const badPassword = 'Wrong-Password-Attempt-7731';
      const c = client();

      expect((await signInAs(c, user.email, user.password)).statusCode).toBe(200);
      expect((await signInAs(c, unknownEmail, badPassword)).statusCode).toBe(401);
      expect((await signInAs(c, disabled.email, disabled.password)).statusCode).toBe(401);
      for (let i = 0; i < t.config.loginMaxFailures; i++) await signInAs(c, user.email, badPassword);
      expect((await signInAs(c, user.email, user.password)).statusCode).toBe(423);

      const rows = await auditOf('auth.sign_in', { ip: c.ip });
      const summary = rows.map((r) => `${r.outcome}:${String(r.details.reason ?? r.details.mfa)}`).sort();
      expect(summary).toEqual(
        [
          'success:verified',
          'failure:unknown_account',
          'failure:inactive_account',
          ...Array<string>(t.config.loginMaxFailures).fill('failure:bad_password'),
          'denied:locked',
        ].sort(),
      );
      const mine = rows.filter((r) => r.actor_user_id === user.id);
      expect(mine).toHaveLength(t.config.loginMaxFailures + 2);
      expect(mine.every((r) => r.organization_id === user.organizationId)).toBe(true);
      expect(rows.find((r) => r.details.reason === 'unknown_account')).toMatchObject({ actor_user_id: null, organization_id: null });
      expect(rows.filter((r) => r.details.locked === true)).toHaveLength(1);

      const everything = JSON.stringify([
        await t.db.selectFrom('audit_events').selectAll().execute(),
        await t.db.selectFrom('audit_event_targets').selectAll().execute(),
      ]).toLowerCase();
      for (const secret of [user.email, disabled.email, unknownEmail, user.password, badPassword]) {
        expect(everything).not.toContain(secret.toLowerCase());
      }
    });
  });

  describe('the organization a sign-in opens', () => {
    it('is where the person last worked, not an organization that added them since; else the first by name', async () => {
      const suffix = newId().slice(-6);
      const alpha = await buildOrganization(t.db, { name: `Alpha Recovery ${suffix}` });
      const zulu = await buildOrganization(t.db, { name: `Zulu Outreach ${suffix}` });
      const user = await buildUser(t.db, { organizationId: alpha.id, roles: ['admin'] });
      await setRoles(t.db, user.id, zulu.id, ['coach'], t.clock.now().toISOString());

      // No session yet: the first by name.
      const first = await signedInClient(user);
      expect((await first.get('/api/v1/me')).json().organization.id).toBe(alpha.id);
      expect((await first.post('/api/v1/me/organization', { organizationId: zulu.id })).statusCode).toBe(200);
      await first.post('/api/v1/auth/sign-out');
      t.clock.advance(MINUTE);

      // Another organization adds the same email; it sorts first by name.
      const newcomer = await buildOrganization(t.db, { name: `Aardvark Intake ${suffix}` });
      await setRoles(t.db, user.id, newcomer.id, ['coach'], t.clock.now().toISOString());
      const next = await signInAs(client(), user.email, user.password);
      expect(next.statusCode).toBe(200);
      expect(next.json()).toMatchObject({ organization: { id: zulu.id }, roles: ['coach'] });
      expect(next.json().organizations.map((o: { id: string }) => o.id)).toEqual([newcomer.id, alpha.id, zulu.id]);

      // No longer a member where they last worked: the first by name again.
      await setRoles(t.db, user.id, zulu.id, [], t.clock.now().toISOString());
      t.clock.advance(MINUTE);
      expect((await signInAs(client(), user.email, user.password)).json().organization.id).toBe(newcomer.id);
    });
  });

  describe('secure cookies', () => {
    it('marks the session and CSRF cookies Secure when Lodestar is served over HTTPS', async () => {
      const https = await createTestApp({ config: { publicUrl: 'https://lodestar.example.org', secureCookies: true } });
      try {
        const org = await buildOrganization(https.db);
        const user = await buildUser(https.db, { organizationId: org.id });
        const c = https.client();
        const res = await c.post('/api/v1/auth/sign-in', { email: user.email, password: user.password });
        expect(res.statusCode).toBe(200);
        expect(sessionSetCookie(res)).toMatch(/;\s*Secure/i);
        expect(sessionSetCookie(res)).toMatch(/;\s*HttpOnly/i);
        const csrf = await https.app.inject({ method: 'GET', url: '/api/v1/auth/csrf' });
        const csrfCookie = csrf.cookies.find((k) => k.name === 'lodestar_csrf');
        expect(csrfCookie).toMatchObject({ secure: true, httpOnly: true });
        expect(res.headers['strict-transport-security']).toBeDefined();
      } finally {
        await https.close();
      }
    });
  });

  describe('lockout', () => {
    it(`locks after ${5} failures, even against the right password, until the lockout time has passed`, async () => {
      expect(t.config.loginMaxFailures).toBe(5);
      const user = await person();
      const c = client();
      for (let i = 1; i < t.config.loginMaxFailures; i++) {
        const res = await signInAs(c, user.email, 'still not the password');
        expect(res.statusCode, `failure ${i}`).toBe(401);
      }
      const locking = await signInAs(c, user.email, 'still not the password');
      const lockedUntil = new Date(t.clock.now().getTime() + t.config.loginLockoutMs).toISOString();
      expect(locking.statusCode).toBe(423);
      expect(locking.json().error).toMatchObject({ code: 'auth.locked', details: { lockedUntil } });

      const right = await signInAs(c, user.email, user.password);
      expect(right.statusCode).toBe(423);
      expect(right.json().error.code).toBe('auth.locked');
      expect(c.hasSession()).toBe(false);

      expect(right.json().error.message).toContain('Wait 15 minutes');

      t.clock.advance(10 * MINUTE);
      expect((await signInAs(c, user.email, user.password)).json().error.message).toContain('Wait 5 minutes');
      t.clock.advance(t.config.loginLockoutMs - 10 * MINUTE - 1000);
      const last = await signInAs(c, user.email, user.password);
      expect(last.statusCode).toBe(423);
      expect(last.json().error.message).toContain('Wait 1 minute ');
      t.clock.advance(1000);
      const after = await signInAs(c, user.email, user.password);
      expect(after.statusCode).toBe(200);
      expect(await userRow(user.id)).toMatchObject({ failed_logins: 0, locked_until: null });
    });

    it('counts every one of a burst of concurrent wrong passwords', async () => {
      const user = await person();
      const burst = await Promise.all(Array.from({ length: 10 }, () => signInAs(client(), user.email, 'parallel guessing')));
      expect(burst.every((r) => r.statusCode === 401 || r.statusCode === 423)).toBe(true);
      expect(burst.some((r) => r.statusCode === 423)).toBe(true);
      expect((await userRow(user.id)).locked_until).not.toBeNull();
      expect((await signInAs(client(), user.email, user.password)).statusCode).toBe(423);
    });

    it('a successful sign-in resets the failure count', async () => {
      const user = await person();
      const c = client();
      for (let i = 1; i < t.config.loginMaxFailures; i++) expect((await signInAs(c, user.email, 'nope nope nope')).statusCode).toBe(401);
      expect((await userRow(user.id)).failed_logins).toBe(t.config.loginMaxFailures - 1);
      expect((await signInAs(c, user.email, user.password)).statusCode).toBe(200);
      expect((await userRow(user.id)).failed_logins).toBe(0);
      for (let i = 1; i < t.config.loginMaxFailures; i++) expect((await signInAs(c, user.email, 'nope nope nope')).statusCode).toBe(401);
      expect((await signInAs(c, user.email, user.password)).statusCode).toBe(200);
    });
  });

  describe('rate limiting', () => {
    it('allows 20 sign-in attempts a minute for one address and email (whatever its case), then answers 429 in the error shape', async () => {
      const user = await person();
      const c = client();
      const email = `unknown-${newId()}@example.org`;
      for (let i = 1; i <= 20; i++) {
        const res = await signInAs(c, i % 2 === 0 ? email.toUpperCase() : email, 'whatever it is');
        expect(res.statusCode, `attempt ${i}`).toBe(401);
      }
      const limited = await signInAs(c, email, 'whatever it is');
      expect(limited.statusCode).toBe(429);
      expect(limited.json()).toEqual({ error: { code: 'request.rate_limited', message: expect.any(String) } });
      expect(limited.headers['retry-after']).toBeDefined();
      expect(c.hasSession()).toBe(false);
      // The limit is per address and email: another person at the same address, and the same
      // email from elsewhere, are unaffected.
      expect((await signInAs(c, user.email, user.password)).statusCode).toBe(200);
      expect((await signInAs(client(), email, 'whatever it is')).statusCode).toBe(401);
    });

    it('people sharing one address (a hospital behind NAT) do not share the 20', async () => {
      const user = await person();
      const c = client();
      for (let i = 1; i <= 20; i++) {
        const res = await signInAs(c, `colleague-${i}-${newId()}@example.org`, 'whatever it is');
        expect(res.statusCode, `attempt ${i}`).toBe(401);
      }
      const res = await signInAs(c, user.email, user.password);
      expect(res.statusCode).toBe(200);
    });

    it('allows 200 sign-in requests a minute from one address whatever the emails, then answers 429', async () => {
      const user = await person();
      const c = client();
      // The per-address ceiling counts requests before their body is read: malformed ones count too.
      for (let i = 1; i <= 200; i++) {
        const res = await c.post('/api/v1/auth/sign-in', { email: `colleague-${i}@example.org` });
        expect(res.statusCode, `request ${i}`).toBe(400);
      }
      const limited = await signInAs(c, user.email, user.password);
      expect(limited.statusCode).toBe(429);
      expect(limited.json().error.code).toBe('request.rate_limited');
      expect(limited.headers['retry-after']).toBeDefined();
      expect((await signInAs(client(), user.email, user.password)).statusCode).toBe(200);
    });
  });

  describe('sessions', () => {
    it('GET /me needs a session', async () => {
      const res = await client().get('/api/v1/me');
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('auth.unauthenticated');
    });

    it('ends after 15 minutes without a request; a request within the window keeps it alive', async () => {
      const user = await person();
      const active = await signedInClient(user);
      const idle = await signedInClient(user);
      t.clock.advance(t.config.sessionIdleMs - 1000);
      expect((await active.get('/api/v1/me')).statusCode).toBe(200);
      t.clock.advance(1000);
      const res = await idle.get('/api/v1/me');
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('auth.unauthenticated');
      expect((await active.get('/api/v1/me')).statusCode).toBe(200);
    });

    it('stays alive for hours with steady activity, even when requests come every 30 seconds', async () => {
      const user = await person();
      const every10 = await signedInClient(user);
      const every30s = await signedInClient(user);
      for (let elapsed = 0; elapsed < 2 * HOUR; elapsed += 30_000) {
        t.clock.advance(30_000);
        expect((await every30s.get('/api/v1/me')).statusCode, `30 s steps, ${elapsed / 1000 + 30} s`).toBe(200);
        if ((elapsed + 30_000) % (10 * MINUTE) === 0) expect((await every10.get('/api/v1/me')).statusCode).toBe(200);
      }
      t.clock.advance(t.config.sessionIdleMs);
      expect((await every10.get('/api/v1/me')).statusCode).toBe(401);
      expect((await every30s.get('/api/v1/me')).statusCode).toBe(401);
    });

    it('ends at the absolute limit even with constant activity', async () => {
      const user = await person();
      const c = await signedInClient(user);
      const start = t.clock.now().getTime();
      const step = 10 * MINUTE;
      while (t.clock.now().getTime() + step < start + t.config.sessionAbsoluteMs) {
        t.clock.advance(step);
        const res = await c.get('/api/v1/me');
        expect(res.statusCode).toBe(200);
      }
      t.clock.set(new Date(start + t.config.sessionAbsoluteMs - 1000));
      expect((await c.get('/api/v1/me')).statusCode).toBe(200);
      t.clock.advance(1000);
      expect((await c.get('/api/v1/me')).statusCode).toBe(401);
    });

    it('sign-out revokes the session: the old cookie no longer works', async () => {
      const user = await person();
      const c = client();
      const token = sessionTokenOf(await signInAs(c, user.email, user.password));
      expect(token).toBeDefined();
      expect((await getWithToken(t, '/api/v1/me', token!)).statusCode).toBe(200);

      const out = await c.post('/api/v1/auth/sign-out');
      expect(out.statusCode).toBe(200);
      expect(out.json()).toEqual({ ok: true });
      expect(c.hasSession()).toBe(false);
      expect((await getWithToken(t, '/api/v1/me', token!)).statusCode).toBe(401);
      expect(await auditOf('auth.sign_out', { actor: user.id })).toHaveLength(1);
    });
  });

  describe('CSRF', () => {
    it('refuses a state-changing request without the X-CSRF-Token header', async () => {
      const user = await person();
      const c = await signedInClient(user);
      const res = await c.post('/api/v1/auth/sign-out', {}, { noCsrf: true });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual({ error: { code: 'auth.csrf_invalid', message: expect.any(String) } });
      // Nothing happened: still signed in.
      expect((await c.get('/api/v1/me')).statusCode).toBe(200);
    });

    it('refuses a sign-in without a token, and with a token that belongs to another browser', async () => {
      const user = await person();
      const fresh = client();
      const none = await fresh.post('/api/v1/auth/sign-in', { email: user.email, password: user.password }, { noCsrf: true });
      expect(none.statusCode).toBe(403);
      expect(none.json().error.code).toBe('auth.csrf_invalid');

      const other = await client().csrfToken();
      const c = client();
      await c.csrfToken();
      const foreign = await c.post('/api/v1/auth/sign-in', { email: user.email, password: user.password }, { noCsrf: true, headers: { 'x-csrf-token': other } });
      expect(foreign.statusCode).toBe(403);
      expect(foreign.json().error.code).toBe('auth.csrf_invalid');
      expect(c.hasSession()).toBe(false);
    });
  });

  describe('MFA at sign-in', () => {
    it('opens a pending session that reaches only /me, the code step and sign-out', async () => {
      const user = await person({ roles: ['admin'], mfa: true });
      const c = client();
      const res = await signInAs(c, user.email, user.password);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ session: { mfaState: 'pending' }, roles: [], permissions: [], organizations: [] });

      const me = await c.get('/api/v1/me');
      expect(me.statusCode).toBe(200);
      expect(me.json().session.mfaState).toBe('pending');

      const { checked, wrong } = await routesNotRefused(
        c,
        ['GET /api/v1/me', 'POST /api/v1/auth/mfa/verify', 'POST /api/v1/auth/sign-out'],
        401,
        'auth.mfa_required',
      );
      expect(wrong).toEqual([]);
      expect(checked).toBeGreaterThan(10);

      expect((await c.post('/api/v1/auth/sign-out')).statusCode).toBe(200);
      expect((await c.get('/api/v1/me')).statusCode).toBe(401);
    });

    it('the right code gives a verified session with a new cookie; the pre-MFA cookie stops working', async () => {
      const user = await person({ roles: ['admin'], mfa: true });
      const c = client();
      const signedIn = await signInAs(c, user.email, user.password);
      const pending = sessionTokenOf(signedIn)!;
      const expiresAt = signedIn.json().session.expiresAt as string;

      t.clock.advance(20_000);
      const res = await c.post('/api/v1/auth/mfa/verify', { code: await totpAt(user.mfaSecret!, t.clock.now()) });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ session: { mfaState: 'verified', expiresAt }, roles: ['admin'], user: { mfaEnabled: true } });
      const verified = sessionTokenOf(res);
      expect(verified).toBeDefined();
      expect(verified).not.toBe(pending);

      expect((await getWithToken(t, '/api/v1/me', pending)).statusCode).toBe(401);
      const now = await getWithToken(t, '/api/v1/me', verified!);
      expect(now.statusCode).toBe(200);
      expect(now.json().session.mfaState).toBe('verified');
      expect((await c.get('/api/v1/users')).statusCode).toBe(200);
      expect((await auditOf('auth.mfa_verify', { actor: user.id })).map((r) => r.outcome)).toEqual(['success']);
    });

    it('a wrong code is refused and counts toward the lockout', async () => {
      const user = await person({ mfa: true });
      const c = await signedInClient(user);
      const wrongCode = async () => c.post('/api/v1/auth/mfa/verify', { code: await wrongTotpAt(user.mfaSecret!, t.clock.now()) });

      const first = await wrongCode();
      expect(first.statusCode).toBe(401);
      expect(first.json().error).toMatchObject({ code: 'auth.mfa_invalid', fields: [{ path: 'code', message: expect.any(String) }] });
      expect((await userRow(user.id)).failed_logins).toBe(1);
      expect((await c.get('/api/v1/me')).json().session.mfaState).toBe('pending');

      for (let i = 2; i < t.config.loginMaxFailures; i++) expect((await wrongCode()).statusCode).toBe(401);
      const locking = await wrongCode();
      expect(locking.statusCode).toBe(423);
      expect(locking.json().error.code).toBe('auth.locked');
      // The half-open session ends with the lock, and the password alone no longer opens one.
      expect((await c.get('/api/v1/me')).statusCode).toBe(401);
      expect((await signInAs(client(), user.email, user.password)).statusCode).toBe(423);
      const audit = await auditOf('auth.mfa_verify', { actor: user.id });
      expect(audit).toHaveLength(t.config.loginMaxFailures);
      expect(audit.every((r) => r.outcome === 'failure')).toBe(true);
    });

    it('a code works once: the same code on another device is refused, the next one is accepted', async () => {
      const user = await person({ mfa: true });
      const a = await signedInClient(user);
      const b = await signedInClient(user);
      const code = await totpAt(user.mfaSecret!, t.clock.now());
      expect((await a.post('/api/v1/auth/mfa/verify', { code })).statusCode).toBe(200);

      const replay = await b.post('/api/v1/auth/mfa/verify', { code });
      expect(replay.statusCode).toBe(401);
      expect(replay.json().error.code).toBe('auth.mfa_invalid');

      t.clock.advance(30_000);
      const next = await b.post('/api/v1/auth/mfa/verify', { code: await totpAt(user.mfaSecret!, t.clock.now()) });
      expect(next.statusCode).toBe(200);
      expect(next.json().session.mfaState).toBe('verified');
    });

    it('the same code sent from two devices at once is accepted once', async () => {
      const user = await person({ mfa: true });
      const devices = [await signedInClient(user), await signedInClient(user), await signedInClient(user)];
      const code = await totpAt(user.mfaSecret!, t.clock.now());
      const results = await Promise.all(devices.map((d) => d.post('/api/v1/auth/mfa/verify', { code })));
      expect(results.map((r) => r.statusCode).sort()).toEqual([200, 401, 401]);
      expect(results.filter((r) => r.statusCode === 401).every((r) => r.json().error.code === 'auth.mfa_invalid')).toBe(true);
    });

    it('accepts a code one 30-second step early or late (phone clock drift), not two', async () => {
      const user = await person({ mfa: true });
      // Stand 15 s into a step so "one step" and "two steps" are unambiguous.
      const s = Math.floor(t.clock.now().getTime() / 1000);
      t.clock.advance((30 - (s % 30) + 15) * 1000);
      const at = (offsetSeconds: number) => totpAt(user.mfaSecret!, new Date(t.clock.now().getTime() + offsetSeconds * 1000));

      const early = await signedInClient(user);
      expect((await early.post('/api/v1/auth/mfa/verify', { code: await at(-60) })).statusCode).toBe(401);
      expect((await early.post('/api/v1/auth/mfa/verify', { code: await at(-30) })).statusCode).toBe(200);
      const late = await signedInClient(user);
      expect((await late.post('/api/v1/auth/mfa/verify', { code: await at(60) })).statusCode).toBe(401);
      expect((await late.post('/api/v1/auth/mfa/verify', { code: await at(30) })).statusCode).toBe(200);
    });

    it('a server clock that steps back after a code was used refuses codes instead of failing', async () => {
      const user = await person({ mfa: true });
      const a = await signedInClient(user);
      expect((await a.post('/api/v1/auth/mfa/verify', { code: await totpAt(user.mfaSecret!, t.clock.now()) })).statusCode).toBe(200);
      const b = await signedInClient(user);
      t.clock.advance(-5 * MINUTE);
      try {
        const res = await b.post('/api/v1/auth/mfa/verify', { code: await totpAt(user.mfaSecret!, t.clock.now()) });
        expect(res.statusCode).toBe(401);
        expect(res.json().error.code).toBe('auth.mfa_invalid');
      } finally {
        t.clock.advance(5 * MINUTE);
      }
    });
  });

  describe('organizations that require MFA', () => {
    it('a person without MFA must enrol first: only /me, MFA set-up and sign-out answer until then', async () => {
      const user = await person({ roles: ['admin'], requireMfa: true });
      const c = client();
      const res = await signInAs(c, user.email, user.password);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ session: { mfaState: 'enroll' }, organization: { requireMfa: true }, roles: [], permissions: [] });
      const enrolToken = sessionTokenOf(res)!;
      const expiresAt = res.json().session.expiresAt as string;

      const { checked, wrong } = await routesNotRefused(
        c,
        ['GET /api/v1/me', 'POST /api/v1/me/mfa/setup', 'POST /api/v1/me/mfa/confirm', 'POST /api/v1/auth/sign-out', 'POST /api/v1/auth/mfa/verify'],
        403,
        'auth.mfa_enrollment_required',
      );
      expect(wrong).toEqual([]);
      expect(checked).toBeGreaterThan(10);
      // No code is due in this state: the code step does not open the session either.
      expect((await c.post('/api/v1/auth/mfa/verify', { code: '123456' })).statusCode).toBe(400);
      expect((await c.get('/api/v1/me')).json().session.mfaState).toBe('enroll');

      const setup = await c.post('/api/v1/me/mfa/setup');
      expect(setup.statusCode).toBe(200);
      const { secret } = setup.json<{ secret: string }>();
      const confirmed = await c.post('/api/v1/me/mfa/confirm', { code: await totpAt(secret, t.clock.now()) });
      expect(confirmed.statusCode).toBe(200);
      // The full session keeps the absolute limit that started at the password step.
      expect(confirmed.json()).toMatchObject({ session: { mfaState: 'verified', expiresAt }, user: { mfaEnabled: true }, roles: ['admin'] });
      const full = sessionTokenOf(confirmed);
      expect(full).toBeDefined();
      expect(full).not.toBe(enrolToken);
      expect((await getWithToken(t, '/api/v1/me', enrolToken)).statusCode).toBe(401);
      expect((await c.get('/api/v1/users')).statusCode).toBe(200);

      // From now on the code is asked at every sign-in.
      const next = await signInAs(client(), user.email, user.password);
      expect(next.json().session.mfaState).toBe('pending');
    });

    it('a person who already has MFA goes through the code step as usual', async () => {
      const user = await person({ requireMfa: true, mfa: true });
      const c = client();
      expect((await signInAs(c, user.email, user.password)).json().session.mfaState).toBe('pending');
      const res = await c.post('/api/v1/auth/mfa/verify', { code: await totpAt(user.mfaSecret!, t.clock.now()) });
      expect(res.json().session.mfaState).toBe('verified');
    });
  });

  describe('password links from an administrator', () => {
    async function adminAndStaff() {
      const org = await buildOrganization(t.db);
      const admin = await buildUser(t.db, { organizationId: org.id, roles: ['admin'] });
      const staff = await buildUser(t.db, { organizationId: org.id, roles: ['coach'] });
      // A fresh admin session each time: tests move the clock by a day between links.
      const resetLink = async () => {
        const res = await (await signedInClient(admin)).post(`/api/v1/users/${staff.id}/password-reset`);
        expect(res.statusCode).toBe(201);
        return res.json<{ url: string; expiresAt: string }>();
      };
      return { admin, staff, resetLink };
    }
    const usePasswordLink = (token: string, password: string) => client().post('/api/v1/auth/reset-password', { token, password });

    it('sets the password, ends the person’s sessions and clears a lockout; the link works once', async () => {
      const { admin, staff, resetLink } = await adminAndStaff();
      const staffSession = await signedInClient(staff);
      const attacker = client();
      for (let i = 0; i < t.config.loginMaxFailures; i++) await signInAs(attacker, staff.email, 'guessing guessing');
      expect((await signInAs(client(), staff.email, staff.password)).statusCode).toBe(423);

      const link = await resetLink();
      expect(link.url).toMatch(new RegExp(`^${t.config.publicUrl}/reset-password#token=[A-Za-z0-9_-]{20,}$`));
      expect(link.expiresAt).toBe(new Date(t.clock.now().getTime() + 24 * HOUR).toISOString());
      const token = tokenFromLink(link.url);

      const res = await usePasswordLink(token, NEW_PASSWORD);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ ok: true });

      expect((await staffSession.get('/api/v1/me')).statusCode).toBe(401);
      expect((await signInAs(client(), staff.email, staff.password)).statusCode).toBe(401);
      expect((await signInAs(client(), staff.email, NEW_PASSWORD)).statusCode).toBe(200);

      const again = await usePasswordLink(token, 'yet another long passphrase');
      expect(again.statusCode).toBe(400);
      expect(again.json().error).toMatchObject({ code: 'auth.token_invalid', fields: [{ path: 'token', message: expect.any(String) }] });
      expect((await signInAs(client(), staff.email, NEW_PASSWORD)).statusCode).toBe(200);

      expect(await auditOf('user.password_reset_link', { actor: admin.id })).toHaveLength(1);
      expect(await auditOf('auth.password_set', { actor: staff.id })).toHaveLength(1);
    });

    it('expires after 24 hours', async () => {
      const { staff, resetLink } = await adminAndStaff();
      const first = tokenFromLink((await resetLink()).url);
      t.clock.advance(24 * HOUR - 1000);
      expect((await usePasswordLink(first, NEW_PASSWORD)).statusCode).toBe(200);

      const second = tokenFromLink((await resetLink()).url);
      t.clock.advance(24 * HOUR);
      const res = await usePasswordLink(second, 'a different long passphrase');
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('auth.token_invalid');
      expect((await signInAs(client(), staff.email, NEW_PASSWORD)).statusCode).toBe(200);
    });

    it('a newer link makes older ones stop working', async () => {
      const { staff, resetLink } = await adminAndStaff();
      const older = tokenFromLink((await resetLink()).url);
      const newer = tokenFromLink((await resetLink()).url);
      const res = await usePasswordLink(older, NEW_PASSWORD);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('auth.token_invalid');
      expect((await usePasswordLink(newer, NEW_PASSWORD)).statusCode).toBe(200);
      expect((await signInAs(client(), staff.email, NEW_PASSWORD)).statusCode).toBe(200);
    });

    it('refuses a weak password naming the field, and the link still works afterwards', async () => {
      const { staff, resetLink } = await adminAndStaff();
      const token = tokenFromLink((await resetLink()).url);
      for (const weak of ['short1', 'password1234', `${staff.email.split('@')[0]}-and-more`]) {
        const res = await usePasswordLink(token, weak);
        expect(res.statusCode, weak).toBe(400);
        expect(res.json().error).toMatchObject({ code: 'auth.weak_password', fields: [{ path: 'password', message: expect.any(String) }] });
      }
      expect((await signInAs(client(), staff.email, staff.password)).statusCode).toBe(200);
      expect((await usePasswordLink(token, NEW_PASSWORD)).statusCode).toBe(200);
    });

    it('an unknown token is refused', async () => {
      const res = await usePasswordLink('x'.repeat(43), NEW_PASSWORD);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('auth.token_invalid');
    });
  });
});

describe('first-run setup', () => {
  const body = (token: string, password = NEW_PASSWORD) => ({
    token,
    organization: { name: 'Harbor Light Recovery', timeZone: 'America/Chicago' },
    admin: { displayName: 'Riley Admin', email: 'Riley.Admin@Example.org', password },
  });
  const count = async (t: TestApp, table: 'users' | 'organizations' | 'sessions') =>
    Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  describe('refusals leave the database empty', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp();
    });
    afterAll(() => t.close());

    async function expectNothingCreated() {
      expect(await count(t, 'users')).toBe(0);
      expect(await count(t, 'organizations')).toBe(0);
      expect(await count(t, 'sessions')).toBe(0);
      expect((await t.client().get('/api/v1/setup/status')).json()).toEqual({ needsSetup: true });
    }

    it('an empty database needs setup', async () => {
      const res = await t.client().get('/api/v1/setup/status');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ needsSetup: true });
    });

    it('a wrong token is refused naming the token field', async () => {
      await issueSetupLink(t);
      const res = await clientFor(t).post('/api/v1/setup', body('not-the-setup-token-0123456789'));
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'auth.token_invalid', fields: [{ path: 'token', message: expect.any(String) }] });
      await expectNothingCreated();
    });

    it('a weak password is refused naming admin.password', async () => {
      const token = tokenFromLink((await issueSetupLink(t))!);
      for (const weak of ['too-short', 'password1234']) {
        const c = clientFor(t);
        const res = await c.post('/api/v1/setup', body(token, weak));
        expect(res.statusCode, weak).toBe(400);
        expect(res.json().error).toMatchObject({ code: 'auth.weak_password', fields: [{ path: 'admin.password', message: expect.any(String) }] });
        expect(c.hasSession()).toBe(false);
      }
      await expectNothingCreated();
    });

    it('a newer link makes the older one stop working; links expire after 24 hours', async () => {
      const older = tokenFromLink((await issueSetupLink(t))!);
      const newer = (await issueSetupLink(t))!;
      expect(newer).toMatch(new RegExp(`^${t.config.publicUrl}/setup#token=`));
      const res = await clientFor(t).post('/api/v1/setup', body(older));
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('auth.token_invalid');

      t.clock.advance(24 * HOUR);
      const expired = await clientFor(t).post('/api/v1/setup', body(tokenFromLink(newer)));
      expect(expired.statusCode).toBe(400);
      expect(expired.json().error.code).toBe('auth.token_invalid');
      await expectNothingCreated();
    });
  });

  describe('success', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp();
    });
    afterAll(() => t.close());

    it('creates the organization and its administrator, signs them in, and works only once', async () => {
      const link = (await issueSetupLink(t))!;
      const token = tokenFromLink(link);
      const c = clientFor(t);
      const res = await c.post('/api/v1/setup', body(token));
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({
        user: { email: 'riley.admin@example.org', displayName: 'Riley Admin', isPlatformAdmin: true },
        session: { mfaState: 'verified' },
        organization: { name: 'Harbor Light Recovery', timeZone: 'America/Chicago', requireMfa: false },
        roles: ['admin'],
      });
      expect(sessionSetCookie(res)).toMatch(/HttpOnly/i);
      const me = await c.get('/api/v1/me');
      expect(me.statusCode).toBe(200);
      expect(me.json().permissions).toContain('users.manage');
      expect((await c.get('/api/v1/users')).statusCode).toBe(200);

      const again = await clientFor(t).post('/api/v1/setup', body(token, 'another fine passphrase'));
      expect(again.statusCode).toBe(409);
      expect(again.json().error.code).toBe('setup.already_done');
      expect((await t.client().get('/api/v1/setup/status')).json()).toEqual({ needsSetup: false });
      expect(await issueSetupLink(t)).toBeUndefined();
      expect(await count(t, 'users')).toBe(1);
      expect(await count(t, 'organizations')).toBe(1);

      // The administrator can sign in again with the password chosen at setup.
      expect((await clientFor(t).post('/api/v1/auth/sign-in', { email: 'riley.admin@example.org', password: NEW_PASSWORD })).statusCode).toBe(200);
      const actions = (await t.db.selectFrom('audit_events').select('action').execute()).map((r) => r.action);
      expect(actions).toEqual(expect.arrayContaining(['setup.complete', 'organization.create', 'user.create', 'membership.grant']));
    });
  });
});

describe('logs', () => {
  it('carry no email, password, cookie, CSRF token or query string', async () => {
    const t = await createLoggingTestApp();
    try {
      const org = await buildOrganization(t.db);
      const user = await buildUser(t.db, { organizationId: org.id, roles: ['admin'] });
      const c = clientFor(t);
      const wrong = await c.post('/api/v1/auth/sign-in', { email: user.email, password: 'A-Wrong-Password-For-Logs' });
      expect(wrong.statusCode).toBe(401);
      const res = await c.post('/api/v1/auth/sign-in', { email: user.email, password: user.password });
      expect(res.statusCode).toBe(200);
      const token = sessionTokenOf(res)!;
      const csrf = await c.csrfToken();
      const search = 'Jordan-Quincy-Participant';
      expect((await c.get(`/api/v1/me?search=${search}&email=${encodeURIComponent(user.email)}`)).statusCode).toBe(200);
      expect((await c.get(`/api/v1/no-such-page?name=${search}`)).statusCode).toBe(404);
      await c.post('/api/v1/auth/reset-password', { token: 'a-made-up-token-0123456789', password: 'Reset-Password-In-Logs' });

      // Racing to add the same person: on PostgreSQL the loser fails inside the database, and the
      // error (logged as internal) carries the email in its `detail`; SQLite serializes the writes.
      const duplicate = { email: 'dana.duplicate@example.org', displayName: 'Dana Duplicate', roles: ['coach'] };
      const raced = await Promise.all([1, 2, 3].map(() => c.post('/api/v1/users', duplicate)));
      expect(raced.filter((r) => r.statusCode === 201)).toHaveLength(1);
      if (raced.some((r) => r.statusCode === 500)) expect(t.logLines.some((l) => l.includes('"level":50'))).toBe(true);

      const logged = t.logLines.join('\n');
      expect(t.logLines.length).toBeGreaterThan(4);
      expect(logged).toContain('"url":"/api/v1/me"');
      for (const secret of [user.email, user.email.split('@')[0]!, duplicate.email, 'Dana Duplicate', user.password, 'A-Wrong-Password-For-Logs', 'Reset-Password-In-Logs', 'a-made-up-token', token, csrf, search, '?search', 'search=']) {
        expect(logged, secret).not.toContain(secret);
      }
    } finally {
      await t.close();
    }
  });
});
