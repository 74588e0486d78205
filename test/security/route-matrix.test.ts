/**
 * The generated security matrix. For every /api/v1 route the app registers (`app.apiRoutes`) and
 * the entry route-cases.ts gives it, it checks:
 *
 * - without a session: 401 (every route that is not public);
 * - with a session that still owes its MFA step: refused (every route that needs a full session);
 * - permission routes: 403 for every role the registry (PERMISSIONS) does not grant, and for a
 *   person with no role in the organization; success for every role it grants — the same
 *   request, so the 403 is about the role and nothing else;
 * - platform-admin routes: 403 for an organization admin who is not a platform admin;
 * - routes that name a record: another organization's record answers 404 exactly like an id
 *   that names nothing (no existence leak);
 * - routes with a body: 400 naming the field for an invalid body, 400 for malformed JSON;
 * - state-changing routes: 403 without the CSRF token.
 *
 * Every refusal is also checked to have written nothing (see `writeFingerprint`).
 */
import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../src/contracts/roles.js';
import { PERMISSIONS, type Permission } from '../../src/server/permissions.js';
import type { Access } from '../../src/server/platform/http/access.js';
import type { MfaState } from '../../src/server/platform/auth/sessions.js';
import { createTestApp, type RequestOptions, type TestApp, type TestClient } from '../helpers/app.js';
import { buildOrganization, buildUser } from '../helpers/factories.js';
import { writeFingerprint } from '../helpers/inspect.js';
import { sessionFor } from '../helpers/sessions.js';
import { listApiRoutes, routeKey } from './api-routes.js';
import { ROUTE_CASES, type CaseContext, type CaseRequest, type RouteCase } from './route-cases.js';

const routes = await listApiRoutes();

type Method = Parameters<TestClient['request']>[0];
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

interface Who {
  roles: Role[];
  platformAdmin?: boolean;
  mfaState?: MfaState;
}

/** A caller the route's access rule admits. */
function admitted(access: Access): Who {
  switch (access.kind) {
    case 'public':
    case 'signed_in':
      return { roles: ['coach'] };
    case 'platform_admin':
      return { roles: ['admin'], platformAdmin: true };
    case 'permission':
      return { roles: [PERMISSIONS[access.permission][0]!] };
  }
}

function rolesFor(permission: Permission): { granted: Role[]; denied: Role[] } {
  const granted: readonly Role[] = PERMISSIONS[permission];
  return { granted: [...granted], denied: ROLES.filter((r) => !granted.includes(r)) };
}

/** The url with every route parameter replaced by a fresh value that names nothing. */
function withFreshParams(pattern: string, url: string, fresh: () => string): string {
  const p = pattern.split('/');
  const u = url.split('/');
  if (p.length !== u.length) throw new Error(`${url} does not match ${pattern}`);
  return u.map((segment, i) => (p[i]!.startsWith(':') ? fresh() : segment)).join('/');
}

interface ErrorJson {
  error?: { code?: string; fields?: { path: string }[] };
}

function expectError(res: LightMyRequestResponse, status: number, code: string): void {
  const body = res.json<ErrorJson>();
  expect({ status: res.statusCode, code: body.error?.code }, res.body).toEqual({ status, code });
}

function expectValidOutcome(res: LightMyRequestResponse, c: RouteCase): void {
  if (c.code) expectError(res, c.status ?? 200, c.code);
  else expect(res.statusCode, res.body).toBe(c.status ?? 200);
}

const rows = routes
  .filter((route) => ROUTE_CASES[routeKey(route)])
  .map((route) => [routeKey(route), { route, c: ROUTE_CASES[routeKey(route)]! }] as const);

describe('security matrix', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  async function arrange(c: RouteCase, who: Who): Promise<CaseContext> {
    const org = await buildOrganization(t.db);
    const other = await buildOrganization(t.db);
    const mfaState = who.mfaState ?? c.caller?.mfaState ?? 'verified';
    const user = await buildUser(t.db, {
      organizationId: org.id,
      roles: who.roles,
      platformAdmin: who.platformAdmin ?? false,
      mfa: (c.caller?.mfa ?? false) || mfaState === 'pending',
    });
    const { client, sessionId } = await sessionFor(t, user, { mfaState });
    return { t, organizationId: org.id, otherOrganizationId: other.id, caller: { user, client, sessionId } };
  }

  const send = (client: TestClient, method: string, req: CaseRequest, opts: RequestOptions = {}) => client.request(method as Method, req.url, req.body, opts);

  /** Send a request that must be refused, and check it wrote nothing. */
  async function refused(client: TestClient, method: string, req: CaseRequest, opts: RequestOptions = {}): Promise<LightMyRequestResponse> {
    const before = await writeFingerprint(t);
    const res = await send(client, method, req, opts);
    expect(await writeFingerprint(t), `${method} ${req.url} answered ${res.statusCode} and wrote something`).toEqual(before);
    return res;
  }

  describe('the route table', () => {
    const keys = routes.map(routeKey);

    it('has an entry for every route the app registers', () => {
      expect(keys.filter((k) => !ROUTE_CASES[k])).toEqual([]);
    });

    it('names no route that no longer exists', () => {
      expect(Object.keys(ROUTE_CASES).filter((k) => !keys.includes(k))).toEqual([]);
    });

    it('states, for every route, the access rule the route declares', () => {
      const declared = Object.fromEntries(routes.map((r) => [routeKey(r), r.access]));
      const expected = Object.fromEntries(routes.map((r) => [routeKey(r), ROUTE_CASES[routeKey(r)]?.access]));
      expect(declared).toEqual(expected);
    });

    it("says, for every route that names a record, how to reach another organization's", () => {
      expect(routes.filter((r) => r.hasParams && !ROUTE_CASES[routeKey(r)]?.foreign).map(routeKey)).toEqual([]);
    });

    it('gives an invalid body for every route that takes one', () => {
      expect(routes.filter((r) => r.hasBody && !ROUTE_CASES[routeKey(r)]?.invalid).map(routeKey)).toEqual([]);
    });

    it('was generated from the same routes as the app under test', () => {
      expect(t.app.apiRoutes.map(routeKey)).toEqual(keys);
    });
  });

  describe.each(rows)('%s', (_key, { route, c }) => {
    const { access, method } = route;

    if (access.kind === 'public') {
      it('answers without a session', async () => {
        const ctx = await arrange(c, admitted(access));
        expectValidOutcome(await send(t.client(), method, await c.valid(ctx)), c);
      });
    } else {
      it('without a session → 401 auth.unauthenticated', async () => {
        const ctx = await arrange(c, admitted(access));
        const res = await refused(t.client(), method, await c.valid(ctx));
        expectError(res, 401, 'auth.unauthenticated');
      });
    }

    if (STATE_CHANGING.has(method)) {
      it('without the CSRF token → 403 auth.csrf_invalid', async () => {
        const ctx = await arrange(c, admitted(access));
        const client = access.kind === 'public' ? t.client() : ctx.caller.client;
        await client.csrfToken(); // the CSRF cookie is there; only the header is missing
        const res = await refused(client, method, await c.valid(ctx), { noCsrf: true });
        expectError(res, 403, 'auth.csrf_invalid');
      });
    }

    if (access.kind === 'signed_in' || access.kind === 'platform_admin') {
      it(access.kind === 'signed_in' ? 'a signed-in person → success' : 'a platform admin → success', async () => {
        const ctx = await arrange(c, admitted(access));
        expectValidOutcome(await send(ctx.caller.client, method, await c.valid(ctx)), c);
      });
    }

    if (access.kind !== 'public' && !(access.kind === 'signed_in' && access.partial)) {
      it.each([
        ['pending', 401, 'auth.mfa_required'],
        ['enroll', 403, 'auth.mfa_enrollment_required'],
      ] as const)('with a session whose MFA step is %s → %i %s', async (state, status, code) => {
        const ctx = await arrange(c, { ...admitted(access), mfaState: state });
        const res = await refused(ctx.caller.client, method, await c.valid(ctx));
        expectError(res, status, code);
      });
    }

    if (access.kind === 'permission') {
      const { granted, denied } = rolesFor(access.permission);
      const refusedRoles: [string, Role[]][] = [...denied.map((r): [string, Role[]] => [r, [r]]), ['a person with no role in the organization', []]];

      it.each(refusedRoles)(`as %s (lacks ${access.permission}) → 403 auth.forbidden`, async (_label, roles) => {
        const ctx = await arrange(c, { roles });
        const res = await refused(ctx.caller.client, method, await c.valid(ctx));
        expectError(res, 403, 'auth.forbidden');
      });

      it.each(granted)(`as %s (holds ${access.permission}) → success`, async (role) => {
        const ctx = await arrange(c, { roles: [role] });
        expectValidOutcome(await send(ctx.caller.client, method, await c.valid(ctx)), c);
      });
    }

    if (access.kind === 'platform_admin') {
      it('an organization admin who is not a platform admin → 403 auth.forbidden', async () => {
        const ctx = await arrange(c, { roles: ['admin'], platformAdmin: false });
        const res = await refused(ctx.caller.client, method, await c.valid(ctx));
        expectError(res, 403, 'auth.forbidden');
      });
    }

    const { foreign } = c;
    if (foreign) {
      it("another organization's record → 404 record.not_found, the same answer as an id that names nothing", async () => {
        const ctx = await arrange(c, admitted(access));
        const theirs = await foreign(ctx);
        const nothing = c.missing ? await c.missing(ctx) : { ...theirs, url: withFreshParams(route.url, theirs.url, c.missingParam ?? randomUUID) };
        const a = await refused(ctx.caller.client, method, theirs);
        const b = await refused(ctx.caller.client, method, nothing);
        expectError(a, 404, 'record.not_found');
        expect({ status: b.statusCode, body: b.json<unknown>() }).toEqual({ status: a.statusCode, body: a.json<unknown>() });
      });
    }

    const { invalid } = c;
    if (route.hasBody && invalid) {
      const clientFor = (ctx: CaseContext) => (access.kind === 'public' ? t.client() : ctx.caller.client);

      it(`an invalid body → 400 validation.failed naming ${invalid.path}`, async () => {
        const ctx = await arrange(c, admitted(access));
        const { url } = await c.valid(ctx);
        const res = await refused(clientFor(ctx), method, { url, body: invalid.body });
        expectError(res, 400, 'validation.failed');
        expect(res.json<ErrorJson>().error?.fields?.map((f) => f.path)).toContain(invalid.path);
      });

      it('a malformed JSON body → 400 request.malformed_json', async () => {
        const ctx = await arrange(c, admitted(access));
        const { url } = await c.valid(ctx);
        const res = await refused(clientFor(ctx), method, { url }, { raw: '{"name": ' });
        expectError(res, 400, 'request.malformed_json');
      });
    }
  });
});
