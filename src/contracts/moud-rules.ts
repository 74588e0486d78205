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
const addDays = (date: string, n: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

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
  const sorted = [...fills].sort((a, b) => a.filledOn.localeCompare(b.filledOn));
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
