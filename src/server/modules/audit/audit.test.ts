import type { z } from 'zod';
import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditSearchResponse, AuditVerifyResponse } from '../../../contracts/audit.js';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { AddressedClient } from '../../../../test/helpers/auth.js';
import { auditEvents } from '../../../../test/helpers/inspect.js';
import { actingAs } from '../../../../test/helpers/sessions.js';
import { createSession } from '../../platform/auth/sessions.js';
import { appendAudit } from '../../platform/audit/audit.js';
import { searchAuditQuery, type AuditQuery } from './audit.repository.js';

type Verify = z.infer<typeof AuditVerifyResponse>;
type Search = z.infer<typeof AuditSearchResponse>;

describe('audit search and verification', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const append = (organizationId: string | null, action: string) =>
    t.db.transaction().execute((trx) => appendAudit(trx, t.clock, [{ organizationId, actorUserId: null, action, outcome: 'success' }]));

  it('verifies only the caller’s organization chain, and says when it was last checkpointed', async () => {
    const { client, organizationId } = await actingAs(t, ['privacy_officer']);
    const other = await actingAs(t, ['admin']);
    await append(organizationId, 'site.create');
    await append(other.organizationId, 'site.create');
    await append(null, 'auth.sign_in');

    const res = await client.get('/api/v1/audit/verify');
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json<Verify>();
    expect(report).toMatchObject({ ok: true, chains: 1, events: 1, checkpoints: 0, newestCheckpointAt: null });
    expect(report.heads).toEqual([{ chainId: organizationId, lastSeq: 1, checkpointSeq: 0, checkpointAt: null }]);
    // Nothing about other organizations: not their ids, not how many there are.
    expect(res.body).not.toContain(other.organizationId);
    expect(await auditEvents(t, { action: 'audit.verify', organizationId })).toEqual([expect.objectContaining({ details: { ok: true } })]);
  });

  it('rate limits verification (6 a minute)', async () => {
    const { user, organizationId } = await actingAs(t, ['admin']);
    const { token } = await createSession(t.db, {
      userId: user.id,
      organizationId,
      mfaState: 'verified',
      now: t.clock.now(),
      absoluteMs: t.config.sessionAbsoluteMs,
      ip: '127.0.0.1',
      userAgent: 'lodestar-tests',
    });
    const client = new AddressedClient(t.app);
    client.useSession(token);
    for (let i = 0; i < 6; i++) expect((await client.get('/api/v1/audit/verify')).statusCode).toBe(200);
    const limited = await client.get('/api/v1/audit/verify');
    expect(limited.statusCode).toBe(429);
  });

  it('searches the caller’s organization, newest first, page by page', async () => {
    const { client, organizationId } = await actingAs(t, ['privacy_officer']);
    for (const action of ['site.create', 'site.update', 'site.delete']) await append(organizationId, action);
    const first = await client.post('/api/v1/audit/search', { limit: 2 });
    expect(first.statusCode, first.body).toBe(200);
    const page1 = first.json<Search>();
    expect(page1.events.map((e) => e.action)).toEqual(['site.delete', 'site.update']);
    const page2 = (await client.post('/api/v1/audit/search', { limit: 2, after: page1.next })).json<Search>();
    // The first search is itself in the trail now, but older ones come after `next`.
    expect(page2.events.map((e) => e.action)).toEqual(['site.create']);
  });

  it('lets a platform admin search the system chain; anyone else is refused', async () => {
    await append(null, 'auth.sign_in_unknown_account');
    const platform = await actingAs(t, ['admin'], { platformAdmin: true });
    const res = await platform.client.post('/api/v1/audit/search', { chain: 'system', action: 'auth.sign_in_unknown_account' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<Search>().events).toHaveLength(1);
    expect(await auditEvents(t, { action: 'audit.search', organizationId: platform.organizationId })).toEqual([
      expect.objectContaining({ details: { filters: ['action', 'chain'], results: 1, chain: 'system' } }),
    ]);
    // Without `chain`, a platform admin sees their organization like anyone else.
    const own = await platform.client.post('/api/v1/audit/search', { action: 'auth.sign_in_unknown_account' });
    expect(own.json<Search>().events).toHaveLength(0);

    const officer = await actingAs(t, ['privacy_officer', 'admin']);
    const refused = await officer.client.post('/api/v1/audit/search', { chain: 'system' });
    expect(refused.statusCode).toBe(403);
  });

  it('pages through an organization or an actor by walking an index, not sorting every event', async () => {
    /** The plan the database picks when it must not scan the table or sort (PostgreSQL: small test tables would favour both). */
    const planOf = (q: AuditQuery) =>
      t.db.transaction().execute(async (trx) => {
        const c = searchAuditQuery(trx, q).compile();
        if (t.dialect === 'postgres') {
          await trx.executeQuery(CompiledQuery.raw('SET LOCAL enable_seqscan = off'));
          await trx.executeQuery(CompiledQuery.raw('SET LOCAL enable_sort = off'));
          const rows = await trx.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`EXPLAIN ${c.sql}`, [...c.parameters]));
          return rows.rows.map((r) => r['QUERY PLAN']).join('\n');
        }
        const rows = await trx.executeQuery<{ detail: string }>(CompiledQuery.raw(`EXPLAIN QUERY PLAN ${c.sql}`, [...c.parameters]));
        return rows.rows.map((r) => r.detail).join('\n');
      });
    const sorts = /TEMP B-TREE|\bSort\b/;
    const byOrg = await planOf({ organizationId: 'org', limit: 100 });
    expect(byOrg).toContain('audit_events_org_id');
    expect(byOrg).not.toMatch(sorts);
    const nextPage = await planOf({ organizationId: 'org', after: '01900000-0000-7000-8000-000000000000', limit: 100 });
    expect(nextPage).toContain('audit_events_org_id');
    expect(nextPage).not.toMatch(sorts);
    const byActor = await planOf({ organizationId: 'org', actorUserId: 'someone', limit: 100 });
    expect(byActor).toContain('audit_events_actor_id');
    expect(byActor).not.toMatch(sorts);
  });
});
