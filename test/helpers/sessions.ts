/**
 * Signed-in people for tests that need many of them. Sessions are made through the real session
 * store (`createSession`), so the guard sees exactly what it sees after a real sign-in; the
 * sign-in route itself is rate limited (20 a minute per address and email, 200 per address) and is tested with the auth
 * module.
 */
import { generate } from 'otplib';
import type { Role } from '../../src/contracts/roles.js';
import { createSession, type MfaState } from '../../src/server/platform/auth/sessions.js';
import type { TestApp, TestClient } from './app.js';
import { buildOrganization, buildUser, type BuiltUser } from './factories.js';

export interface Session {
  client: TestClient;
  /** The stored session id (the SHA-256 of the cookie token). */
  sessionId: string;
}

/** A client carrying a new session of `user`, in their organization unless told otherwise. */
export async function sessionFor(
  t: TestApp,
  user: { id: string; organizationId: string },
  opts: { mfaState?: MfaState; organizationId?: string } = {},
): Promise<Session> {
  const { token, id } = await createSession(t.db, {
    userId: user.id,
    organizationId: opts.organizationId ?? user.organizationId,
    mfaState: opts.mfaState ?? 'verified',
    now: t.clock.now(),
    absoluteMs: t.config.sessionAbsoluteMs,
    ip: '127.0.0.1',
    userAgent: 'lodestar-tests',
  });
  const client = t.client();
  client.useSession(token);
  return { client, sessionId: id };
}

export interface Acting extends Session {
  user: BuiltUser;
  organizationId: string;
}

/** A person holding `roles` in a new organization (or the given one), signed in. */
export async function actingAs(
  t: TestApp,
  roles: Role[],
  opts: { organizationId?: string; platformAdmin?: boolean; mfa?: boolean; mfaState?: MfaState } = {},
): Promise<Acting> {
  const organizationId = opts.organizationId ?? (await buildOrganization(t.db)).id;
  const user = await buildUser(t.db, { organizationId, roles, platformAdmin: opts.platformAdmin ?? false, mfa: opts.mfa ?? false });
  const session = await sessionFor(t, user, opts.mfaState ? { mfaState: opts.mfaState } : {});
  return { ...session, user, organizationId };
}

/** The TOTP code an authenticator app would show at `at`. */
export function totpCode(secret: string, at: Date): Promise<string> {
  return generate({ secret, epoch: Math.floor(at.getTime() / 1000) });
}
