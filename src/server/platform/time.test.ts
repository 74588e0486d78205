import { describe, expect, it } from 'vitest';
import { isValidTimeZone, localDate } from './time.js';

describe('local dates', () => {
  it('counts the date in the given zone, across midnight and DST changes', () => {
    expect(localDate(new Date('2026-11-27T04:59:59Z'), 'America/New_York')).toBe('2026-11-26');
    expect(localDate(new Date('2026-11-27T05:00:00Z'), 'America/New_York')).toBe('2026-11-27');
    // Spring forward in New York (2026-03-08 02:00 local): the date does not jump.
    expect(localDate(new Date('2026-03-08T06:59:59Z'), 'America/New_York')).toBe('2026-03-08');
    expect(localDate(new Date('2026-03-08T07:00:00Z'), 'America/New_York')).toBe('2026-03-08');
    // A leap day, far east of UTC.
    expect(localDate(new Date('2028-02-28T11:30:00Z'), 'Pacific/Auckland')).toBe('2028-02-29');
  });

  it('keeps zones apart when they alternate (one cached formatter per zone)', () => {
    const instant = new Date('2026-11-27T03:00:00Z');
    const seen = ['America/Los_Angeles', 'Asia/Tokyo', 'America/Los_Angeles', 'UTC', 'Asia/Tokyo'].map((z) => localDate(instant, z));
    expect(seen).toEqual(['2026-11-26', '2026-11-27', '2026-11-26', '2026-11-27', '2026-11-27']);
  });

  it('tells valid zones from invalid ones', () => {
    expect(isValidTimeZone('America/Chicago')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});
