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

  it('agrees with the formatter at every quarter hour around changes of clocks, in zones with odd offsets too', () => {
    const formatter = (instant: Date, timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
    const zones = ['America/New_York', 'America/Los_Angeles', 'Pacific/Honolulu', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Asia/Kathmandu', 'Pacific/Chatham', 'America/St_Johns'];
    // Around the 2026 changes in the US, Europe, Australia (Lord Howe's half hour) and New Zealand (Chatham).
    const windows = ['2026-03-06', '2026-03-27', '2026-04-03', '2026-09-25', '2026-10-02', '2026-10-23', '2026-10-30'];
    for (const zone of zones) {
      for (const from of windows) {
        const start = Date.parse(`${from}T00:00:00Z`);
        for (let ms = start; ms < start + 4 * 86_400_000; ms += 15 * 60_000) {
          expect(localDate(new Date(ms), zone), `${zone} ${new Date(ms).toISOString()}`).toBe(formatter(new Date(ms), zone));
        }
      }
    }
  });

  it('tells valid zones from invalid ones', () => {
    expect(isValidTimeZone('America/Chicago')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});
