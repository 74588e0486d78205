/** The dashboard's periods and its filters in the address. */
import { describe, expect, it } from 'vitest';
import { apiQuery, customProblem, filtersSearch, periodDates, readFilters, todayIn } from './reports.api';

describe('report periods', () => {
  it('this quarter and this year stop today; last quarter is whole; the last 12 months end today', () => {
    expect(periodDates('this_quarter', '2026-05-14')).toEqual({ from: '2026-04-01', to: '2026-05-14' });
    expect(periodDates('last_quarter', '2026-05-14')).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    expect(periodDates('last_quarter', '2026-02-03')).toEqual({ from: '2025-10-01', to: '2025-12-31' });
    expect(periodDates('this_year', '2026-05-14')).toEqual({ from: '2026-01-01', to: '2026-05-14' });
    expect(periodDates('last_12_months', '2026-05-14')).toEqual({ from: '2025-05-15', to: '2026-05-14' });
    expect(periodDates('last_12_months', '2024-02-29')).toEqual({ from: '2023-03-01', to: '2024-02-29' });
  });

  it('a custom period needs two dates in order, at most 5 years apart', () => {
    expect(customProblem('', '2026-01-01')).toEqual({ field: 'from', problem: 'missing' });
    expect(customProblem('2026-02-30', '2026-03-01')).toEqual({ field: 'from', problem: 'missing' });
    expect(customProblem('2026-03-01', '2026-02-01')).toEqual({ field: 'to', problem: 'order' });
    expect(customProblem('2020-01-01', '2025-01-01')).toEqual({ field: 'to', problem: 'tooLong' });
    expect(customProblem('2020-01-01', '2024-12-31')).toBeNull();
  });

  it('keeps the filters in the address and turns them into the API query', () => {
    const f = readFilters(new URLSearchParams('period=custom&from=2026-01-01&to=2026-03-31&programId=p1&coachUserId=c1&junk=1'));
    expect(filtersSearch(f).toString()).toBe('period=custom&from=2026-01-01&to=2026-03-31&programId=p1&coachUserId=c1');
    expect(apiQuery(f, '2026-05-14')?.toString()).toBe('from=2026-01-01&to=2026-03-31&programId=p1&coachUserId=c1');
    expect(readFilters(new URLSearchParams('period=nonsense')).period).toBe('this_quarter');
    expect(apiQuery(readFilters(new URLSearchParams('period=custom&from=2026-01-01')), '2026-05-14')).toBeNull();
  });

  it('today is the local date in the organization’s time zone', () => {
    const instant = new Date('2026-03-01T03:00:00Z');
    expect(todayIn('America/Chicago', instant)).toBe('2026-02-28');
    expect(todayIn('UTC', instant)).toBe('2026-03-01');
  });
});
