/**
 * Day arithmetic for the measures engine. Every fact reaches the engine as a local date
 * (YYYY-MM-DD, already in the organization's zone); the rules count whole days between them, so
 * dates become day numbers (days since 1970-01-01, computed in UTC so no clock change moves a
 * day) and back. Months come from the shared `plusMonths` (month ends clamp: Aug 31 + 6 months is
 * Feb 28 or 29).
 */
import { plusMonths } from '../../../contracts/checkins.js';
import { dateOfDay, dayNumber } from '../../../contracts/moud-rules.js';
import { localDate } from '../../platform/time.js';

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

const DAY_MS = 86_400_000;
/** `YYYY-MM-DDTHH:MM:SS.sssZ`, as both dialects hand instants over (other shapes take the slow path). */
const ISO_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** One UTC day in a zone whose offset is the same all that day: the local date before, on and after. */
interface UtcDay {
  offset: number;
  before: string;
  same: string;
  after: string;
}

/** The zone's offset from UTC at `ms` (whole seconds), from the formatter. */
function offsetAt(format: Intl.DateTimeFormat, ms: number): number {
  const p: Record<string, string> = {};
  for (const x of format.formatToParts(new Date(ms))) p[x.type] = x.value;
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour) % 24, Number(p.minute), Number(p.second)) - Math.floor(ms / 1000) * 1000;
}

/**
 * Instants (ISO strings) to local dates of `timeZone`, for reading many rows: the same dates as
 * `localDate`, with the zone's offset worked out once per UTC day (when it is the same at both
 * ends of that day) and each instant then read off its time of day — no Date, no formatter, no
 * Map of instants. Days with a change of clocks, and anything not shaped like an ISO instant, go
 * through `localDate`.
 */
export function localDates(timeZone: string): (instant: string) => string {
  const format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const days = new Map<string, UtcDay | null>();
  const slow = (instant: string) => localDate(new Date(instant), timeZone);
  return (instant) => {
    if (instant.length !== 24 || !ISO_INSTANT.test(instant)) return slow(instant);
    const key = instant.slice(0, 10);
    let d = days.get(key);
    if (d === undefined) {
      const day = dayNumber(key);
      if (Number.isNaN(day)) return slow(instant);
      const start = offsetAt(format, day * DAY_MS);
      d = start === offsetAt(format, (day + 1) * DAY_MS - 1000) ? { offset: start, before: fromDay(day - 1), same: key, after: fromDay(day + 1) } : null;
      days.set(key, d);
    }
    if (d === null) return slow(instant);
    const ms = ((Number(instant.slice(11, 13)) * 60 + Number(instant.slice(14, 16))) * 60 + Number(instant.slice(17, 19))) * 1000 + Number(instant.slice(20, 23)) + d.offset;
    return ms < 0 ? d.before : ms >= DAY_MS ? d.after : d.same;
  };
}
