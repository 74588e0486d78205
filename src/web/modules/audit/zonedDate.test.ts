/** Day boundaries in the organization's time zone, across daylight-saving changes. */
import { describe, expect, test } from 'vitest';
import { startOfDay } from './zonedDate';

describe('startOfDay', () => {
  test('midnight in New York, in winter and in summer', () => {
    expect(startOfDay('2026-01-15', 'America/New_York')).toBe('2026-01-15T05:00:00.000Z');
    expect(startOfDay('2026-07-15', 'America/New_York')).toBe('2026-07-15T04:00:00.000Z');
  });

  test('the days the clocks change', () => {
    // 2026-03-08: clocks go forward at 2:00; midnight is still EST.
    expect(startOfDay('2026-03-08', 'America/New_York')).toBe('2026-03-08T05:00:00.000Z');
    expect(startOfDay('2026-03-08', 'America/New_York', 1)).toBe('2026-03-09T04:00:00.000Z');
    // 2026-11-01: clocks go back at 2:00; midnight is still EDT.
    expect(startOfDay('2026-11-01', 'America/New_York')).toBe('2026-11-01T04:00:00.000Z');
  });

  test('zones without daylight saving, and the end of a month', () => {
    expect(startOfDay('2026-06-30', 'America/Phoenix', 1)).toBe('2026-07-01T07:00:00.000Z');
    expect(startOfDay('2028-02-28', 'Pacific/Honolulu', 1)).toBe('2028-02-29T10:00:00.000Z');
  });

  test('not a date', () => {
    expect(startOfDay('31/01/2026', 'America/Chicago')).toBeUndefined();
  });
});
