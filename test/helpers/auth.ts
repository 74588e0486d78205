/**
 * Helpers for the authentication tests: clients that come from their own IP address, TOTP codes
 * on the test clock, tokens out of one-time links, and requests that replay a raw session cookie.
 *
 * Why an address per client: sign-in is rate limited per address and email (and 200 a minute per
 * address), the MFA step per address, all in real time, and a test file signs in far more often. With its own address, each client has its
 * own allowance, and audit rows (which record the IP) can be found by it.
 */
import { generate } from 'otplib';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { App } from '../../src/server/app.js';
import { SESSION_COOKIE } from '../../src/server/platform/auth/sessions.js';
import type { Role } from '../../src/contracts/roles.js';
import { TestClient, type TestApp } from './app.js';
import { buildOrganization, buildUser, signIn, type BuiltUser } from './factories.js';

let lastHost = 0;

/** A new private address for each call (10.77.0.1, 10.77.0.2, …). */
export function nextIp(): string {
  lastHost += 1;
  return `10.77.${(lastHost >> 8) & 255}.${lastHost & 255}`;
}

/** The app as seen from one address: every injected request carries it as the socket's remote address. */
function fromAddress(app: App, ip: string): App {
  return new Proxy(app, {
    get(target, prop, receiver) {
      if (prop === 'inject') return (opts: InjectOptions) => target.inject({ ...opts, remoteAddress: ip });
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}

/** A TestClient (cookies, CSRF token) whose requests come from its own IP address. */
export class AddressedClient extends TestClient {
  constructor(
    app: App,
    readonly ip: string = nextIp(),
  ) {
    super(fromAddress(app, ip));
  }
}

export const clientFor = (t: TestApp): AddressedClient => new AddressedClient(t.app);

/** The current TOTP code of a secret at an instant (what the person's phone would show). */
export const totpAt = (secret: string, at: Date): Promise<string> => generate({ secret, epoch: Math.floor(at.getTime() / 1000) });

/** A six-digit code that is certainly not the current one. */
export async function wrongTotpAt(secret: string, at: Date): Promise<string> {
  const right = Number(await totpAt(secret, at));
  return String((right + 500_000) % 1_000_000).padStart(6, '0');
}

/** The token in a one-time link's fragment (`…#token=<token>`). */
export function tokenFromLink(link: string): string {
  const token = new URLSearchParams(new URL(link).hash.slice(1)).get('token');
  if (!token) throw new Error(`no #token= in ${link}`);
  return token;
}

/** The session token a response set, if it set one. */
export function sessionTokenOf(res: LightMyRequestResponse): string | undefined {
  const c = res.cookies.find((cookie) => cookie.name === SESSION_COOKIE);
  return c && c.value !== '' ? c.value : undefined;
}

/** The Set-Cookie header line of the session cookie, for checking its attributes. */
export function sessionSetCookie(res: LightMyRequestResponse): string | undefined {
  const header = res.headers['set-cookie'];
  const lines = Array.isArray(header) ? header : header ? [header] : [];
  return lines.find((l) => l.startsWith(`${SESSION_COOKIE}=`));
}

/** GET with nothing but a given session token: does that cookie, replayed, still open a session? */
export function getWithToken(t: TestApp, url: string, token: string): Promise<LightMyRequestResponse> {
  return t.app.inject({ method: 'GET', url, headers: { cookie: `${SESSION_COOKIE}=${token}` } });
}

/** A person in a new organization of their own (optionally one that requires MFA). */
export async function personIn(
  t: TestApp,
  o: { roles?: Role[]; mfa?: boolean; requireMfa?: boolean } = {},
): Promise<BuiltUser> {
  const org = await buildOrganization(t.db, { requireMfa: o.requireMfa ?? false });
  return buildUser(t.db, { organizationId: org.id, roles: o.roles ?? ['coach'], mfa: o.mfa ?? false });
}

/** A client from its own address, signed in with the person's password. */
export async function signedInClientFor(t: TestApp, user: BuiltUser): Promise<AddressedClient> {
  const c = clientFor(t);
  await signIn(c, user);
  return c;
}
