/** Local date and time → UTC across daylight-saving changes (no database: pure functions). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localDate } from '../../platform/time.js';
import { nextDate, offsetAt, startOfLocalDay, zonedToUtc } from './local-time.js';
import { dueInstant } from './care.usecases.js';

const iso = (d: Date) => d.toISOString();

describe('zonedToUtc', () => {
  it('reads an ordinary local time with the offset of that day', () => {
    expect(iso(zonedToUtc('2026-11-27', '09:30', 'America/New_York'))).toBe('2026-11-27T14:30:00.000Z');
    expect(iso(zonedToUtc('2026-07-04', '09:30', 'America/New_York'))).toBe('2026-07-04T13:30:00.000Z');
    expect(iso(zonedToUtc('2026-11-27', '09:30', 'UTC'))).toBe('2026-11-27T09:30:00.000Z');
    expect(iso(zonedToUtc('2026-11-27', '09:30', 'Asia/Kolkata'))).toBe('2026-11-27T04:00:00.000Z');
  });

  it('moves a time in the hour skipped in spring forward by the gap (02:30 → 03:30 EDT)', () => {
    expect(iso(zonedToUtc('2026-03-08', '02:30', 'America/New_York'))).toBe('2026-03-08T07:30:00.000Z');
    expect(iso(zonedToUtc('2026-03-08', '01:59', 'America/New_York'))).toBe('2026-03-08T06:59:00.000Z');
    expect(iso(zonedToUtc('2026-03-08', '03:00', 'America/New_York'))).toBe('2026-03-08T07:00:00.000Z');
  });

  it('reads a time in the hour repeated in autumn as the first of the two', () => {
    expect(iso(zonedToUtc('2026-11-01', '01:30', 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z');
    expect(iso(zonedToUtc('2026-11-01', '02:00', 'America/New_York'))).toBe('2026-11-01T07:00:00.000Z');
  });

  it('starts a day at midnight, or at the first hour where a zone skips midnight', () => {
    expect(iso(startOfLocalDay('2026-03-08', 'America/New_York'))).toBe('2026-03-08T05:00:00.000Z');
    expect(iso(startOfLocalDay('2026-03-09', 'America/New_York'))).toBe('2026-03-09T04:00:00.000Z');
    // Chile moves its clocks at midnight: 6 September 2026 begins at 01:00 (-03).
    expect(iso(startOfLocalDay('2026-09-06', 'America/Santiago'))).toBe('2026-09-06T04:00:00.000Z');
    expect(localDate(startOfLocalDay('2026-09-06', 'America/Santiago'), 'America/Santiago')).toBe('2026-09-06');
  });

  it('next date crosses months, years and leap days', () => {
    expect([nextDate('2026-11-30'), nextDate('2026-12-31'), nextDate('2028-02-28'), nextDate('2028-02-29')]).toEqual(['2026-12-01', '2027-01-01', '2028-02-29', '2028-03-01']);
  });

  it('offsetAt gives the zone offset in milliseconds', () => {
    expect(offsetAt(Date.parse('2026-01-15T12:00:00Z'), 'America/New_York')).toBe(-5 * 3600_000);
    expect(offsetAt(Date.parse('2026-07-15T12:00:00Z'), 'America/New_York')).toBe(-4 * 3600_000);
  });

  it('property: any local time that exists reads back as itself, in several zones', () => {
    const zones = ['America/New_York', 'America/Los_Angeles', 'America/Santiago', 'Europe/London', 'Australia/Lord_Howe', 'Pacific/Chatham', 'UTC'];
    fc.assert(
      fc.property(fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true }), fc.constantFrom(...zones), (instant, zone) => {
        // Round to the minute, then read the local date and time of that instant in the zone.
        const t = new Date(Math.floor(instant.getTime() / 60_000) * 60_000);
        const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(t);
        const get = (k: string) => parts.find((p) => p.type === k)!.value;
        const back = zonedToUtc(`${get('year')}-${get('month')}-${get('day')}`, `${get('hour')}:${get('minute')}`, zone);
        // The same instant, or (in a repeated hour) the earlier reading of the same wall time.
        expect(back.getTime() === t.getTime() || (back.getTime() < t.getTime() && t.getTime() - back.getTime() <= 3600_000)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('when a to-do falls due', () => {
  it('with a time: that local time; without: the start of the next local day', () => {
    expect(dueInstant('2026-11-27', '14:00', 'America/New_York')).toBe('2026-11-27T19:00:00.000Z');
    expect(dueInstant('2026-11-27', null, 'America/New_York')).toBe('2026-11-28T05:00:00.000Z');
    // The day the clocks go forward is 23 hours long: due by its end = 04:00Z, not 05:00Z.
    expect(dueInstant('2026-03-08', null, 'America/New_York')).toBe('2026-03-09T04:00:00.000Z');
    expect(dueInstant('2026-03-07', null, 'America/New_York')).toBe('2026-03-08T05:00:00.000Z');
    // The day the clocks go back is 25 hours long.
    expect(dueInstant('2026-11-01', null, 'America/New_York')).toBe('2026-11-02T05:00:00.000Z');
    expect(dueInstant('2026-10-31', null, 'America/New_York')).toBe('2026-11-01T04:00:00.000Z');
  });
});
