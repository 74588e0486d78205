/**
 * The lockout under concurrent attempts. Checking a password (argon2) or a code takes time; these
 * tests hold every check at a gate until all requests of a burst have either reached it or been
 * answered, then let them through. That is the worst interleaving for a lockout that looks at the
 * lock before checking and counts the failure after: every request of the burst would pass the
 * lock check. The lockout must instead let at most `loginMaxFailures` checks happen.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { buildOrganization, buildUser, type BuiltUser } from '../../../../test/helpers/factories.js';
import { clientFor, totpAt, wrongTotpAt, type AddressedClient } from '../../../../test/helpers/auth.js';
import type * as Passwords from '../../platform/auth/passwords.js';
import type * as Totp from '../../platform/auth/totp.js';

const gate = vi.hoisted(() => {
  let closed = false;
  let held: (() => void)[] = [];
  return {
    /** Checks that reached the gate (while closed or open). */
    entered: 0,
    get waiting(): number {
      return held.length;
    },
    close(): void {
      closed = true;
      this.entered = 0;
    },
    open(): void {
      closed = false;
      const waiting = held;
      held = [];
      for (const release of waiting) release();
    },
    async pass<T>(check: () => Promise<T>): Promise<T> {
      this.entered += 1;
      if (closed) await new Promise<void>((resolve) => held.push(resolve));
      return check();
    },
  };
});

vi.mock('../../platform/auth/passwords.js', async (importOriginal) => {
  const actual = await importOriginal<typeof Passwords>();
  return { ...actual, verifyPassword: (stored: string | null, password: string) => gate.pass(() => actual.verifyPassword(stored, password)) };
});

vi.mock('../../platform/auth/totp.js', async (importOriginal) => {
  const actual = await importOriginal<typeof Totp>();
  return {
    ...actual,
    verifyTotpStep: (secret: string, code: string, now: Date, lastStep: number | null) => gate.pass(() => actual.verifyTotpStep(secret, code, now, lastStep)),
  };
});

/** Start requests; resolve once each has either reached the gate or been answered. */
async function startAll(requests: (() => Promise<LightMyRequestResponse>)[], alreadyWaiting = 0): Promise<Promise<LightMyRequestResponse>[]> {
  let answered = 0;
  const started = requests.map((r) =>
    r().finally(() => {
      answered += 1;
    }),
  );
  const deadline = Date.now() + 15_000;
  while (gate.waiting - alreadyWaiting + answered < requests.length) {
    if (Date.now() > deadline) throw new Error(`only ${gate.waiting - alreadyWaiting + answered} of ${requests.length} requests arrived`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return started;
}

describe('lockout under concurrent attempts', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());
  afterEach(() => gate.open());

  const WRONG = 18;
  const client = (): AddressedClient => clientFor(t);
  const signInAs = (c: AddressedClient, email: string, password: string) => c.post('/api/v1/auth/sign-in', { email, password });

  async function person(o: { mfa?: boolean } = {}): Promise<BuiltUser> {
    const org = await buildOrganization(t.db);
    return buildUser(t.db, { organizationId: org.id, mfa: o.mfa ?? false });
  }

  async function outcomes(action: string, actor: string) {
    const rows = await t.db.selectFrom('audit_events').select(['outcome', 'details']).where('action', '=', action).where('actor_user_id', '=', actor).execute();
    return rows.map((r) => ({ outcome: r.outcome, details: JSON.parse(r.details) as Record<string, unknown> }));
  }

  async function lockedUntil(id: string): Promise<string | null> {
    return (await t.db.selectFrom('users').select('locked_until').where('id', '=', id).executeTakeFirstOrThrow()).locked_until;
  }

  describe('password at sign-in', () => {
    it(`the right password sent while ${WRONG} wrong ones are being checked is refused`, async () => {
      expect(t.config.loginMaxFailures).toBe(5);
      const user = await person();
      gate.close();
      const wrong = await startAll(Array.from({ length: WRONG }, () => () => signInAs(client(), user.email, 'a wrong guess at it')));
      const right = await startAll([() => signInAs(client(), user.email, user.password)], gate.waiting);
      gate.open();
      const results = await Promise.all([...wrong, ...right]);

      expect(results.at(-1)!.statusCode).toBe(423);
      expect(results.at(-1)!.json().error.code).toBe('auth.locked');
      expect(results.every((r) => r.statusCode === 401 || r.statusCode === 423)).toBe(true);
      // Only the allowance was checked; the rest were refused without a check.
      expect(gate.entered).toBe(t.config.loginMaxFailures);
      const audit = await outcomes('auth.sign_in', user.id);
      expect(audit.filter((r) => r.details.reason === 'bad_password')).toHaveLength(t.config.loginMaxFailures);
      expect(audit.filter((r) => r.outcome === 'success')).toHaveLength(0);
      expect(audit.filter((r) => r.outcome === 'denied' && r.details.reason === 'locked')).toHaveLength(WRONG + 1 - t.config.loginMaxFailures);

      expect(await lockedUntil(user.id)).toBe(new Date(t.clock.now().getTime() + t.config.loginLockoutMs).toISOString());
      expect((await signInAs(client(), user.email, user.password)).statusCode).toBe(423);
    });

    it(`a burst of ${WRONG} wrong and the right password at once: at most the allowance is checked, and the account ends locked`, async () => {
      const user = await person();
      gate.close();
      const requests = Array.from({ length: WRONG + 1 }, (_, i) => () => signInAs(client(), user.email, i === WRONG / 2 ? user.password : 'a wrong guess at it'));
      const started = await startAll(requests);
      gate.open();
      const results = await Promise.all(started);

      const audit = await outcomes('auth.sign_in', user.id);
      const checked = audit.filter((r) => r.details.reason === 'bad_password' || r.outcome === 'success').length;
      expect(gate.entered).toBeLessThanOrEqual(t.config.loginMaxFailures);
      expect(checked).toBe(gate.entered);
      // The right password could only have won a place among the first `loginMaxFailures`.
      const right = results[WRONG / 2]!;
      expect([200, 423]).toContain(right.statusCode);
      expect(audit.filter((r) => r.outcome === 'success')).toHaveLength(right.statusCode === 200 ? 1 : 0);

      expect(await lockedUntil(user.id)).not.toBeNull();
      const after = await signInAs(client(), user.email, user.password);
      expect(after.statusCode).toBe(423);
      expect(after.json().error.code).toBe('auth.locked');
    });
  });

  describe('code at the MFA step', () => {
    async function pendingClient(user: BuiltUser): Promise<AddressedClient> {
      const c = client();
      const res = await signInAs(c, user.email, user.password);
      expect(res.json().session.mfaState).toBe('pending');
      return c;
    }

    it(`the right code sent while ${WRONG} wrong ones are being checked is refused, and its session ends`, async () => {
      const user = await person({ mfa: true });
      const guesser = await pendingClient(user);
      const owner = await pendingClient(user);
      const wrongCode = await wrongTotpAt(user.mfaSecret!, t.clock.now());
      gate.close();
      const wrong = await startAll(Array.from({ length: WRONG }, () => () => guesser.post('/api/v1/auth/mfa/verify', { code: wrongCode })));
      const rightCode = await totpAt(user.mfaSecret!, t.clock.now());
      const right = await startAll([() => owner.post('/api/v1/auth/mfa/verify', { code: rightCode })], gate.waiting);
      gate.open();
      const results = await Promise.all([...wrong, ...right]);

      expect(results.at(-1)!.statusCode).toBe(423);
      expect(results.at(-1)!.json().error.code).toBe('auth.locked');
      expect(gate.entered).toBe(t.config.loginMaxFailures);
      const audit = await outcomes('auth.mfa_verify', user.id);
      expect(audit.filter((r) => r.outcome === 'failure')).toHaveLength(t.config.loginMaxFailures);
      expect(audit.filter((r) => r.outcome === 'success')).toHaveLength(0);

      expect((await owner.get('/api/v1/me')).statusCode).toBe(401);
      expect((await guesser.get('/api/v1/me')).statusCode).toBe(401);
      expect(await lockedUntil(user.id)).not.toBeNull();
      expect((await signInAs(client(), user.email, user.password)).statusCode).toBe(423);
    });

    it(`a burst of ${WRONG} wrong codes and the right one at once: at most the allowance is checked, and the account ends locked`, async () => {
      const user = await person({ mfa: true });
      const guesser = await pendingClient(user);
      const owner = await pendingClient(user);
      const wrongCode = await wrongTotpAt(user.mfaSecret!, t.clock.now());
      const rightCode = await totpAt(user.mfaSecret!, t.clock.now());
      gate.close();
      const requests = Array.from(
        { length: WRONG + 1 },
        (_, i) => () => (i === WRONG / 2 ? owner.post('/api/v1/auth/mfa/verify', { code: rightCode }) : guesser.post('/api/v1/auth/mfa/verify', { code: wrongCode })),
      );
      const started = await startAll(requests);
      gate.open();
      const results = await Promise.all(started);

      expect(gate.entered).toBeLessThanOrEqual(t.config.loginMaxFailures);
      const audit = await outcomes('auth.mfa_verify', user.id);
      expect(audit.filter((r) => r.outcome === 'failure' || r.outcome === 'success')).toHaveLength(gate.entered);
      expect([200, 423]).toContain(results[WRONG / 2]!.statusCode);

      expect(await lockedUntil(user.id)).not.toBeNull();
      expect((await signInAs(client(), user.email, user.password)).statusCode).toBe(423);
    });
  });
});
