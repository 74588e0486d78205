/**
 * The MOUD access vocabulary and coverage rules, without zod: the server, the web app (which keeps
 * zod out of its bundle) and the outcomes measure (issue 7's MOUD continuity) import these.
 * PRODUCT.md, "MOUD continuity": each fill covers its start + days supply − 1; overlapping fills of
 * the same medication add up; default supplies when unknown; methadone from OTP enrollment periods.
 */
export const MOUD_MEDICATIONS = ['buprenorphine', 'methadone', 'naltrexone'] as const;
export const MOUD_FORMULATIONS = ['sublingual_film', 'sublingual_tablet', 'buccal_film', 'extended_release_injection', 'implant', 'oral_tablet', 'oral_liquid'] as const;
/** Which formulations each medication comes in (a mismatch is 400 naming `formulation`). */
export const FORMULATIONS_OF: Record<MoudMedication, readonly MoudFormulation[]> = {
  buprenorphine: ['sublingual_film', 'sublingual_tablet', 'buccal_film', 'extended_release_injection', 'implant'],
  methadone: ['oral_liquid', 'oral_tablet'],
  naltrexone: ['oral_tablet', 'extended_release_injection'],
};
/** `starting`: working on getting it (an appointment, a prior authorization…); `stopped`: no longer taking it. */
export const MOUD_COURSE_STATUSES = ['starting', 'active', 'stopped'] as const;
/** Where a fact came from. `verified`: a staff member checked it (the verifier is recorded). */
export const MOUD_INFO_SOURCES = ['participant_reported', 'verified'] as const;
export const MOUD_BARRIER_KINDS = ['pharmacy_out_of_stock', 'prior_authorization', 'cost', 'transportation', 'prescriber_availability', 'other'] as const;
export const MOUD_BARRIER_STATUSES = ['open', 'resolved'] as const;
export const INSURANCE_TASK_KINDS = ['medicaid_application', 'medicaid_renewal', 'buprenorphine_prior_authorization', 'pharmacy_coverage', 'other'] as const;
export const INSURANCE_TASK_STATUSES = ['open', 'in_progress', 'done', 'cancelled'] as const;

export type MoudMedication = (typeof MOUD_MEDICATIONS)[number];
export type MoudFormulation = (typeof MOUD_FORMULATIONS)[number];
export type MoudCourseStatus = (typeof MOUD_COURSE_STATUSES)[number];
export type MoudInfoSource = (typeof MOUD_INFO_SOURCES)[number];
export type MoudBarrierKind = (typeof MOUD_BARRIER_KINDS)[number];
export type InsuranceTaskKind = (typeof INSURANCE_TASK_KINDS)[number];
export type InsuranceTaskStatus = (typeof INSURANCE_TASK_STATUSES)[number];

/** The most days one fill may cover. */
export const MAX_DAYS_SUPPLY = 365;
/** A refill due within this many days (or overdue) flags the caseload (`refill_due`). */
export const REFILL_DUE_SOON_DAYS = 3;

/**
 * Days supply when the fill does not say (PRODUCT.md): buprenorphine taken by mouth 7, injection 31,
 * implant 180; naltrexone injection 31. Oral naltrexone has no default (the fill must say), and
 * methadone is never filled here: it is counted from OTP enrollment periods.
 */
export function defaultDaysSupply(medication: MoudMedication, formulation: MoudFormulation): number | null {
  if (medication === 'buprenorphine') {
    if (formulation === 'extended_release_injection') return 31;
    if (formulation === 'implant') return 180;
    return 7;
  }
  if (medication === 'naltrexone' && formulation === 'extended_release_injection') return 31;
  return null;
}

/** Fill dates are tracked for every medication but methadone (OTP enrollment periods instead). */
export const usesFills = (medication: MoudMedication): boolean => medication !== 'methadone';

const DAY = 86_400_000;

/** The number written in `s` from `from` to `to` (ASCII digits only), else NaN. */
function digitsAt(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    n = n * 10 + c;
  }
  return n;
}

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * A local date (YYYY-MM-DD) as a whole day number (days since 1970-01-01), by calendar arithmetic
 * — no Date objects: the measures engine converts millions of dates (H. Hinnant's
 * days-from-civil). NaN for anything that is not a real calendar date (2027-02-30, 2027-13-01).
 */
export function dayNumber(date: string): number {
  if (date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) return NaN;
  const y = digitsAt(date, 0, 4);
  const m = digitsAt(date, 5, 7);
  const d = digitsAt(date, 8, 10);
  if (!(m >= 1 && m <= 12 && d >= 1 && d <= (m === 2 && isLeap(y) ? 29 : MONTH_DAYS[m - 1]!))) return NaN;
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** The local date (YYYY-MM-DD) of a whole day number: the inverse of `dayNumber` (civil-from-days). */
export function dateOfDay(day: number): string {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  // Years outside 0000–9999 are written as toISOString writes them (±YYYYYY).
  if (!Number.isInteger(day) || y < 0 || y > 9999) return new Date(day * DAY).toISOString().slice(0, 10);
  return `${y < 1000 ? String(y).padStart(4, '0') : y}-${pad2(m)}-${pad2(doy - Math.floor((153 * mp + 2) / 5) + 1)}`;
}

const addDays = (date: string, n: number): string => {
  const day = dayNumber(date);
  // Not a real date: as Date.parse reads it (it rolls 2027-02-30 over to March 2), as before.
  return Number.isNaN(day) ? new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10) : dateOfDay(day + n);
};

export interface CoverageSpan {
  /** First covered day. */
  from: string;
  /** Last covered day (inclusive). */
  through: string;
}

/**
 * Coverage from the fills of ONE medication (PRODUCT.md, MOUD continuity): fills in date order;
 * a fill covers `filledOn + daysSupply − 1`, but when it is made while earlier supply remains it
 * starts the day after that supply runs out (overlapping fills add up). Returns the covered spans
 * (contiguous ones merged), the last covered day and the day the next refill is due (the first day
 * without medication: last covered day + 1); null without fills.
 */
export function moudCoverage(fills: readonly { filledOn: string; daysSupply: number }[]): { spans: CoverageSpan[]; coveredThrough: string | null; nextRefillDue: string | null } {
  // Code-unit order: the same as localeCompare for YYYY-MM-DD dates, and far faster.
  const sorted = [...fills].sort((a, b) => (a.filledOn < b.filledOn ? -1 : a.filledOn > b.filledOn ? 1 : 0));
  const spans: CoverageSpan[] = [];
  for (const f of sorted) {
    const last = spans[spans.length - 1];
    if (last && f.filledOn <= addDays(last.through, 1)) {
      // Starts the day after the supply on hand runs out (or the day it was filled, when that is the day after).
      last.through = addDays(last.through, f.daysSupply);
    } else {
      spans.push({ from: f.filledOn, through: addDays(f.filledOn, f.daysSupply - 1) });
    }
  }
  const coveredThrough = spans.length ? spans[spans.length - 1]!.through : null;
  return { spans, coveredThrough, nextRefillDue: coveredThrough ? addDays(coveredThrough, 1) : null };
}
