/** What the care sections work out on their own: local days and grouping the timeline by day. */
import { describe, expect, test } from 'vitest';
import { dateIn, dayAfter, groupByDay } from './care.api';

describe('local days', () => {
  test('an instant’s date in the organization’s time zone', () => {
    expect(dateIn('2026-11-28T04:30:00.000Z', 'America/New_York')).toBe('2026-11-27');
    expect(dateIn('2026-11-28T05:00:00.000Z', 'America/New_York')).toBe('2026-11-28');
    expect(dayAfter('2026-12-31')).toBe('2027-01-01');
  });

  test('timeline items group by local day, keeping their order', () => {
    const items = [
      { id: 'a', at: '2026-11-28T05:00:00.000Z' },
      { id: 'b', at: '2026-11-28T04:59:00.000Z' },
      { id: 'c', at: '2026-11-27T05:00:00.000Z' },
      { id: 'd', at: '2026-11-20T14:00:00.000Z' },
    ];
    expect(groupByDay(items, 'America/New_York').map((g) => [g.day, g.items.map((i) => i.id)])).toEqual([
      ['2026-11-28', ['a']],
      ['2026-11-27', ['b', 'c']],
      ['2026-11-20', ['d']],
    ]);
  });
});
