/**
 * Day arithmetic for the measures engine. Every fact reaches the engine as a local date
 * (YYYY-MM-DD, already in the organization's zone); the rules count whole days between them, so
 * dates become day numbers (days since 1970-01-01, computed in UTC so no clock change moves a
 * day) and back. Months come from the shared `plusMonths` (month ends clamp: Aug 31 + 6 months is
 * Feb 28 or 29).
 */
import { plusMonths } from '../../../contracts/checkins.js';
import { dateOfDay, dayNumber } from '../../../contracts/moud-rules.js';

/** A local date as a whole day number. Throws on anything that is not a real calendar date. */
export function toDay(date: string): number {
  // Calendar arithmetic (moud-rules `dayNumber`), no Date objects: a year of a statewide network
  // converts millions of dates, and this is the engine's innermost step.
  const day = dayNumber(date);
  if (Number.isNaN(day)) throw new RangeError(`Not a local date (YYYY-MM-DD): ${date}`);
  return day;
}

export const fromDay = (day: number): string => dateOfDay(day);

export const addDays = (date: string, n: number): string => fromDay(toDay(date) + n);

/** Whole days from `from` to `to`: day 0 is `from` itself, negative when `to` is earlier. */
export const dayOf = (from: string, to: string): number => toDay(to) - toDay(from);

export const addMonths = (date: string, n: number): string => plusMonths(date, n);

/** A reporting period, both ends included. */
export interface Period {
  from: string;
  to: string;
}

export const inPeriod = (date: string, period: Period): boolean => date >= period.from && date <= period.to;

/** Days from `from` through `to`, both included (0 when `to` is earlier). */
export const daysInclusive = (from: string, to: string): number => Math.max(0, dayOf(from, to) + 1);

/** A run of covered days as day numbers, both ends included. */
export interface DayRun {
  first: number;
  last: number;
}

/** Merges runs that overlap or touch (day 5 and day 6 are one run) into sorted, disjoint runs. */
export function mergeRuns(runs: readonly DayRun[]): DayRun[] {
  const sorted = [...runs].sort((a, b) => a.first - b.first);
  const out: DayRun[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.first <= last.last + 1) last.last = Math.max(last.last, r.last);
    else out.push({ ...r });
  }
  return out;
}

/** The days of `window` that no run covers, as runs (the gaps). `runs` must be merged. */
export function uncoveredRuns(runs: readonly DayRun[], window: DayRun): DayRun[] {
  const gaps: DayRun[] = [];
  let next = window.first;
  for (const r of runs) {
    if (r.last < next) continue;
    if (r.first > window.last) break;
    if (r.first > next) gaps.push({ first: next, last: r.first - 1 });
    next = r.last + 1;
  }
  if (next <= window.last) gaps.push({ first: next, last: window.last });
  return gaps;
}

/** The 30.4375-day month (365.25 / 12) that turns person-days into person-months. */
export const DAYS_PER_MONTH = 365.25 / 12;
