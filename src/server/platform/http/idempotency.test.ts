import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../../contracts/common.js';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/helpers/app.js';
import { buildOrganization, buildProgram, buildUser } from '../../../../test/helpers/factories.js';
import { auditEvents, writeFingerprint } from '../../../../test/helpers/inspect.js';
import { blockNextAuditRow } from '../../../../test/helpers/faults.js';
import { actingAs, sessionFor } from '../../../../test/helpers/sessions.js';
import { setRoles } from '../../modules/users/users.repository.js';
import { IDEMPOTENCY_ABANDONED_MS, IDEMPOTENCY_TTL_MS } from './idempotency.js';

describe('Idempotency-Key', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const newKey = () => `retry-${randomBytes(8).toString('hex')}`;
  const site = { name: 'Mercy General ED', kind: 'emergency_department' };
  const createSite = (client: TestClient, key: string, body: unknown = site) => client.post('/api/v1/sites', body, { headers: { 'idempotency-key': key } });
  const sitesIn = async (organizationId: string) =>
    (await t.db.selectFrom('sites').select('id').where('organization_id', '=', organizationId).execute()).map((s) => s.id);
  const replayed = (res: LightMyRequestResponse) => res.headers['idempotency-replayed'];
  const errorOf = (res: LightMyRequestResponse) => res.json<ErrorBody>().error;

  it('a retry with the same key gets the first answer again; the site is created once, audited once', async () => {
    const { client, organizationId } = await actingAs(t, ['admin']);
    const key = newKey();
    const first = await createSite(client, key);
    expect(first.statusCode, first.body).toBe(201);
    expect(replayed(first)).toBeUndefined();

    const retry = await createSite(client, key);
    expect(retry.statusCode).toBe(201);
    expect(replayed(retry)).toBe('true');
    expect(retry.json()).toEqual(first.json());

    expect(await sitesIn(organizationId)).toEqual([first.json<{ id: string }>().id]);
    expect(await auditEvents(t, { action: 'site.create', organizationId })).toHaveLength(1);
  });

  it('the same key with a different body → 422 idempotency.key_reused, nothing written', async () => {
    const { client, organizationId } = await actingAs(t, ['admin']);
    const key = newKey();
    expect((await createSite(client, key)).statusCode).toBe(201);
    const before = await writeFingerprint(t);
    const other = await createSite(client, key, { ...site, name: 'Another site' });
    expect(other.statusCode).toBe(422);
    expect(errorOf(other).code).toBe('idempotency.key_reused');
    expect(await writeFingerprint(t)).toEqual(before);
    expect(await sitesIn(organizationId)).toHaveLength(1);
  });

  it.each([
    ['too short', 'abc'],
    ['with spaces', 'my retry key'],
    ['too long', 'k'.repeat(201)],
  ])('a key %s → 400 naming headers.idempotency-key, nothing written', async (_what, key) => {
    const { client } = await actingAs(t, ['admin']);
    const before = await writeFingerprint(t);
    const res = await createSite(client, key);
    expect(res.statusCode).toBe(400);
    expect(errorOf(res)).toMatchObject({ code: 'validation.failed', fields: [{ path: 'headers.idempotency-key', message: expect.any(String) }] });
    expect(await writeFingerprint(t)).toEqual(before);
  });

  it('a request that failed validation does not use up its key: the corrected retry runs', async () => {
    const { client, organizationId } = await actingAs(t, ['admin']);
    const key = newKey();
    const bad = await createSite(client, key, { name: 'Mercy', kind: 'spaceport' });
    expect(bad.statusCode).toBe(400);
    const fixed = await createSite(client, key, { name: 'Mercy', kind: 'hospital' });
    expect(fixed.statusCode, fixed.body).toBe(201);
    expect(replayed(fixed)).toBeUndefined();
    expect(await sitesIn(organizationId)).toHaveLength(1);
  });

  it('a request the use case refused (wrong program) releases its key too', async () => {
    const { client, organizationId } = await actingAs(t, ['admin']);
    const theirs = await buildProgram(t.db, (await buildOrganization(t.db)).id);
    const ours = await buildProgram(t.db, organizationId);
    const key = newKey();
    const refused = await createSite(client, key, { ...site, programId: theirs });
    expect(refused.statusCode).toBe(400);
    expect(await t.db.selectFrom('idempotency_keys').select('id').where('key', '=', key).execute()).toEqual([]);
    const fixed = await createSite(client, key, { ...site, programId: ours });
    expect(fixed.statusCode, fixed.body).toBe(201);
  });

  it('a write that fails inside its transaction releases its key', async () => {
    const { client, organizationId } = await actingAs(t, ['admin']);
    await blockNextAuditRow(t, organizationId);
    const key = newKey();
    const failed = await createSite(client, key);
    expect(failed.statusCode).toBe(500);
    expect(await sitesIn(organizationId)).toEqual([]);
    expect(await t.db.selectFrom('idempotency_keys').select('id').where('key', '=', key).execute()).toEqual([]);
  });

  it("keys belong to one person: another person's identical key and body run on their own", async () => {
    const a = await actingAs(t, ['admin']);
    const b = await sessionFor(t, await buildUser(t.db, { organizationId: a.organizationId, roles: ['admin'] }));
    const key = newKey();
    const fromA = await createSite(a.client, key);
    const fromB = await createSite(b.client, key);
    expect([fromA.statusCode, fromB.statusCode]).toEqual([201, 201]);
    expect(replayed(fromB)).toBeUndefined();
    expect(fromB.json<{ id: string }>().id).not.toBe(fromA.json<{ id: string }>().id);
    expect(await sitesIn(a.organizationId)).toHaveLength(2);
  });

  it('keys belong to one organization: after switching, the same key and body create a site in the other one', async () => {
    const { client, user, organizationId } = await actingAs(t, ['admin']);
    const second = (await buildOrganization(t.db)).id;
    await setRoles(t.db, user.id, second, ['admin'], t.clock.now().toISOString());
    const key = newKey();
    expect((await createSite(client, key)).statusCode).toBe(201);

    expect((await client.post('/api/v1/me/organization', { organizationId: second })).statusCode).toBe(200);
    const there = await createSite(client, key);
    expect(there.statusCode, there.body).toBe(201);
    expect(replayed(there)).toBeUndefined();
    expect(await sitesIn(organizationId)).toHaveLength(1);
    expect(await sitesIn(second)).toEqual([there.json<{ id: string }>().id]);
  });

  it('a replay still passes the access check: after losing the admin role, the retry is refused', async () => {
    const { client, user, organizationId } = await actingAs(t, ['admin']);
    const key = newKey();
    expect((await createSite(client, key)).statusCode).toBe(201);
    await setRoles(t.db, user.id, organizationId, ['coach'], t.clock.now().toISOString());
    const retry = await createSite(client, key);
    expect(retry.statusCode).toBe(403);
    expect(errorOf(retry).code).toBe('auth.forbidden');
  });

  it('a key is kept for 24 hours: a retry just before replays, the same key after runs again', async () => {
    const { user, organizationId } = await actingAs(t, ['admin']);
    const key = newKey();
    // Sessions idle out after minutes: each moment gets a fresh session of the same person.
    const now = async () => (await sessionFor(t, user)).client;
    const first = await createSite(await now(), key);
    expect(first.statusCode).toBe(201);

    t.clock.advance(IDEMPOTENCY_TTL_MS - 60_000);
    const stillKept = await createSite(await now(), key);
    expect(stillKept.statusCode).toBe(201);
    expect(replayed(stillKept)).toBe('true');
    expect(await sitesIn(organizationId)).toHaveLength(1);

    t.clock.advance(60_000);
    const later = await createSite(await now(), key, { ...site, name: 'A day later' });
    expect(later.statusCode, later.body).toBe(201);
    expect(replayed(later)).toBeUndefined();
    expect(await sitesIn(organizationId)).toHaveLength(2);
  });

  it('a reservation left empty by a crash is waited for briefly, then run again — never stuck for a day', async () => {
    const { client, user, organizationId } = await actingAs(t, ['admin']);
    // The same request under another key tells us the request's fingerprint.
    const probe = newKey();
    expect((await createSite(client, probe)).statusCode).toBe(201);
    const { request_hash } = await t.db.selectFrom('idempotency_keys').select('request_hash').where('key', '=', probe).executeTakeFirstOrThrow();
    // What a process killed mid-request leaves behind: the key reserved, no response, nothing written.
    const key = newKey();
    await t.db
      .insertInto('idempotency_keys')
      .values({
        id: `00000000-0000-7000-8000-${randomBytes(6).toString('hex')}`,
        scope: `user:${user.id}@${organizationId}`,
        key,
        request_hash,
        status_code: null,
        response_body: null,
        created_at: t.clock.now().toISOString(),
      })
      .execute();

    const waiting = await createSite(client, key);
    expect(waiting.statusCode).toBe(409);
    expect(errorOf(waiting).code).toBe('idempotency.in_progress');

    t.clock.advance(IDEMPOTENCY_ABANDONED_MS + 1000);
    const rerun = await createSite(client, key);
    expect(rerun.statusCode, rerun.body).toBe(201);
    expect(replayed(rerun)).toBeUndefined();
    expect(replayed(await createSite(client, key))).toBe('true');
    expect(await sitesIn(organizationId)).toHaveLength(2);
  });

  it('two identical requests at once: one creates, the other replays or is told to wait — never two sites', async () => {
    const { client, organizationId } = await actingAs(t, ['admin']);
    // Fetch the CSRF token first, as the browser app does at start: two first requests at once
    // would each fetch their own and the later cookie would void the earlier token.
    await client.csrfToken();
    for (let round = 0; round < 5; round++) {
      const key = newKey();
      const body = { ...site, name: `Round ${round}` };
      const answers = await Promise.all([createSite(client, key, body), createSite(client, key, body)]);

      const created = answers.filter((r) => r.statusCode === 201 && replayed(r) === undefined);
      expect(created, answers.map((r) => `${r.statusCode} ${r.body}`).join('\n')).toHaveLength(1);
      const other = answers.find((r) => r !== created[0])!;
      if (other.statusCode === 201) {
        expect(replayed(other)).toBe('true');
        expect(other.json()).toEqual(created[0]!.json());
      } else {
        expect({ status: other.statusCode, code: errorOf(other).code }).toEqual({ status: 409, code: 'idempotency.in_progress' });
      }
    }
    expect(await sitesIn(organizationId)).toHaveLength(5);
    expect(await auditEvents(t, { action: 'site.create', organizationId })).toHaveLength(5);
  });

  it('a retried POST /users gives the account back but not the live set-password link, and the link is not stored', async () => {
    const { client } = await actingAs(t, ['admin']);
    const key = newKey();
    const body = { email: `kim-${randomBytes(3).toString('hex')}@example.org`, displayName: 'Kim Lee', roles: ['coach'] };
    const first = await client.post('/api/v1/users', body, { headers: { 'idempotency-key': key } });
    expect(first.statusCode, first.body).toBe(201);
    const link = first.json<{ setPasswordLink: { url: string } }>().setPasswordLink.url;
    expect(first.json<{ linkWithheld: unknown }>().linkWithheld).toBeNull();
    const token = link.split('#token=')[1]!;
    expect(token.length).toBeGreaterThan(20);

    const retry = await client.post('/api/v1/users', body, { headers: { 'idempotency-key': key } });
    expect(retry.statusCode).toBe(201);
    expect(replayed(retry)).toBe('true');
    expect(retry.json<{ user: unknown }>().user).toEqual(first.json<{ user: unknown }>().user);
    expect(retry.body).not.toContain(token);
    expect(retry.json<{ setPasswordLink: unknown; linkWithheld: unknown }>()).toMatchObject({ setPasswordLink: null, linkWithheld: 'already_shown' });
    const stored = await t.db.selectFrom('idempotency_keys').select('response_body').where('key', '=', key).executeTakeFirstOrThrow();
    expect(stored.response_body).not.toContain(token);
  });

  it('is ignored outside resource routes: a sign-in is never stored or replayed', async () => {
    const organizationId = (await buildOrganization(t.db)).id;
    const person = await buildUser(t.db, { organizationId });
    const key = newKey();
    const signIn = () => t.client().post('/api/v1/auth/sign-in', { email: person.email, password: person.password }, { headers: { 'idempotency-key': key } });
    const a = await signIn();
    const b = await signIn();
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect(replayed(b)).toBeUndefined();
    expect(await t.db.selectFrom('idempotency_keys').select('id').where('key', '=', key).execute()).toEqual([]);
  });
});
