/** One process per interval runs each piece of housekeeping (`claimTick`), on both dialects. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../../test/helpers/db.js';
import { claimTick } from './coordination.js';

describe('claimTick', () => {
  let h: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    h = await createTestDatabase();
  });
  afterAll(() => h.drop());

  it('lets exactly one of several processes claim an interval, and the next interval again', async () => {
    const now = new Date('2026-11-27T15:00:00.000Z');
    const first = await Promise.all(['a', 'b', 'c', 'd'].map((p) => claimTick(h.db, 'audit_checkpoint', p, now, 60_000)));
    expect(first.filter(Boolean)).toHaveLength(1);
    expect(await claimTick(h.db, 'audit_checkpoint', 'b', new Date(now.getTime() + 30_000), 60_000)).toBe(false);
    // A timer firing a little early still wins its interval.
    const next = await Promise.all(['a', 'b'].map((p) => claimTick(h.db, 'audit_checkpoint', p, new Date(now.getTime() + 59_000), 60_000)));
    expect(next.filter(Boolean)).toHaveLength(1);
    // Tasks are independent.
    expect(await claimTick(h.db, 'purge', 'a', now, 3_600_000)).toBe(true);
  });
});
