import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { buildOrganization, buildUser } from '../../../../test/helpers/factories.js';
import { createSession, revokeSession } from './sessions.js';
import { issueToken, consumeToken, purgeOldTokens } from './one-time-tokens.js';
import { purgeOldSessions } from './housekeeping.js';

const DAY = 24 * 3_600_000;

describe('housekeeping', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('removes sessions ended more than 30 days ago and keeps the rest', async () => {
    const org = await buildOrganization(t.db);
    const user = await buildUser(t.db, { organizationId: org.id });
    const now = t.clock.now();
    const make = (at: Date) =>
      createSession(t.db, { userId: user.id, organizationId: org.id, mfaState: 'verified', now: at, absoluteMs: 12 * 3_600_000, ip: null, userAgent: null });
    const old = await make(new Date(now.getTime() - 40 * DAY));
    const revokedLongAgo = await make(new Date(now.getTime() - 35 * DAY));
    await revokeSession(t.db, revokedLongAgo.id, new Date(now.getTime() - 35 * DAY));
    const recent = await make(new Date(now.getTime() - 5 * DAY));
    const live = await make(now);
    await purgeOldSessions(t.db, now);
    const left = (await t.db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute()).map((r) => r.id).sort();
    expect(left).toEqual([recent.id, live.id].sort());
    expect(left).not.toContain(old.id);
  });

  it('removes links used or expired more than 30 days ago and keeps live ones', async () => {
    const org = await buildOrganization(t.db);
    const user = await buildUser(t.db, { organizationId: org.id });
    const now = t.clock.now();
    const longAgo = new Date(now.getTime() - 40 * DAY);
    const used = await issueToken(t.db, { purpose: 'password_reset', userId: user.id, organizationId: org.id, createdBy: null, now: longAgo });
    await consumeToken(t.db, 'password_reset', used.token, longAgo);
    const live = await issueToken(t.db, { purpose: 'password_reset', userId: user.id, organizationId: org.id, createdBy: null, now });
    await purgeOldTokens(t.db, now);
    const rows = await t.db.selectFrom('one_time_tokens').select(['expires_at']).where('user_id', '=', user.id).execute();
    expect(rows.map((r) => r.expires_at)).toEqual([live.expiresAt]);
  });
});
