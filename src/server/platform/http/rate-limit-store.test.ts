/**
 * The database rate-limit store: fixed windows counted by one atomic upsert, shared by every
 * process on the database, keys stored hashed, ended windows purged. (The routes' limits are
 * tested through the app in auth.test.ts; two processes sharing one in test/scale.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../../test/helpers/db.js';
import { hitRateLimit, purgeRateLimits, readRateLimit } from './rate-limit-store.js';

describe('database rate-limit store', () => {
  let h: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    h = await createTestDatabase();
  });
  afterAll(() => h.drop());
  const T0 = Date.parse('2026-11-27T15:00:00.000Z');

  it('counts hits in a window, opens a new window once it ended, and never stores the key in clear', async () => {
    const key = 'POST/api/v1/auth/sign-in|127.0.0.1 rosa@example.org';
    expect(await hitRateLimit(h.db, key, T0, 60_000, 3, false)).toEqual({ hits: 1, expiresMs: T0 + 60_000 });
    expect(await hitRateLimit(h.db, key, T0 + 10_000, 60_000, 3, false)).toEqual({ hits: 2, expiresMs: T0 + 60_000 });
    expect((await readRateLimit(h.db, key, T0 + 20_000))?.hits).toBe(2);
    expect(await hitRateLimit(h.db, key, T0 + 60_000, 60_000, 3, false)).toEqual({ hits: 1, expiresMs: T0 + 120_000 });
    const rows = await h.db.selectFrom('rate_limits').select('key').execute();
    expect(rows.some((r) => r.key.includes('rosa') || r.key.includes('127.0.0.1'))).toBe(false);
  });

  it('counts every one of a burst of concurrent hits', async () => {
    const key = `burst-${Date.now()}`;
    const results = await Promise.all(Array.from({ length: 25 }, () => hitRateLimit(h.db, key, T0, 60_000, 20, false)));
    expect(results.map((r) => r.hits).sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });

  it('with continueExceeding, a hit over the limit starts the window again', async () => {
    const key = `continue-${Date.now()}`;
    await hitRateLimit(h.db, key, T0, 60_000, 1, true);
    const over = await hitRateLimit(h.db, key, T0 + 30_000, 60_000, 1, true);
    expect(over).toEqual({ hits: 2, expiresMs: T0 + 90_000 });
  });

  it('purges windows that ended', async () => {
    const key = `purge-${Date.now()}`;
    await hitRateLimit(h.db, key, T0 + 500_000, 60_000, 5, false);
    const before = await h.db.selectFrom('rate_limits').select('key').execute();
    expect(await purgeRateLimits(h.db, new Date(T0 + 200_000))).toBe(before.length - 1);
    expect(await readRateLimit(h.db, key, T0 + 500_001)).toBeDefined();
    const left = await h.db.selectFrom('rate_limits').select('expires_ms').execute();
    expect(left.every((r) => Number(r.expires_ms) > T0 + 200_000)).toBe(true);
  });
});
