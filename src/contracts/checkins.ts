/**
 * Check-ins, their alerts, and milestones (issue 6).
 *
 * A check-in is structured: mood 1–5, cravings 0–10, MOUD taken as planned (yes / no / not on
 * MOUD), any use and any overdose since the last check-in, and two short texts. Saving one may
 * raise an alert (`CHECK_IN_ALERT_REASONS`): each alert is a to-do of kind `alert` on the coach's
 * list that asks for an outreach and clears when the coach logs a contact that reached the person.
 *
 * Milestones: the automatic series counts from the participant's recovery start date and from
 * their MOUD start date (`milestoneSeries`); custom milestones are dated achievements (housing
 * found, a job…). A celebration logged for a milestone (who, when, a note) stops it showing as
 * upcoming.
 */
import { z } from 'zod';
import { Id } from './common.js';
import { IsoDate } from './participants.js';

export const MOUD_TAKEN = ['yes', 'no', 'not_on_moud'] as const;
export const CHECK_IN_SOURCES = ['coach', 'participant_link'] as const;
/** Cravings at or above this raise an alert, unless the participant's program sets its own level (programs.cravingsAlertThreshold). */
export const CRAVINGS_ALERT_THRESHOLD = 7;
export const CHECK_IN_ALERT_REASONS = ['high_cravings', 'missed_moud_twice', 'use_reported', 'overdose_reported', 'barc10_drop'] as const;
export type CheckInAlertReason = (typeof CHECK_IN_ALERT_REASONS)[number];

const ShortText = (what: string) => z.string().trim().min(1, `Enter ${what}, or leave it out`).max(500, 'Use at most 500 characters');
const whole = (min: number, max: number, what: string) =>
  z.number({ message: `Enter ${what}, a whole number from ${min} to ${max}` }).int(`Enter a whole number from ${min} to ${max}`).min(min, `Enter a number from ${min} to ${max}`).max(max, `Enter a number from ${min} to ${max}`);

export const CreateCheckInBody = z.object({
  /** The local date of the check-in; today when left out; never in the future. */
  checkedInOn: IsoDate.optional(),
  /** The encounter it was part of. */
  encounterId: Id.nullable().optional(),
  mood: whole(1, 5, 'the mood'),
  cravings: whole(0, 10, 'the cravings'),
  moudTaken: z.enum(MOUD_TAKEN, { message: 'Choose yes, no or not on MOUD' }),
  useSinceLast: z.boolean({ message: 'Say whether there was any use since the last check-in' }),
  overdoseSinceLast: z.boolean({ message: 'Say whether there was an overdose since the last check-in' }),
  goingWell: ShortText("what's going well").nullable().optional(),
  needsToday: ShortText('what they need today').nullable().optional(),
});

export const CheckIn = z.object({
  id: Id,
  participantId: Id,
  encounterId: Id.nullable(),
  checkedInOn: z.string(),
  mood: z.number().int(),
  cravings: z.number().int(),
  moudTaken: z.enum(MOUD_TAKEN),
  useSinceLast: z.boolean(),
  overdoseSinceLast: z.boolean(),
  goingWell: z.string().nullable(),
  needsToday: z.string().nullable(),
  /** The alerts this check-in raised. */
  alerts: z.array(z.enum(CHECK_IN_ALERT_REASONS)),
  /** The cravings level it was judged by: its program's at the time (CRAVINGS_ALERT_THRESHOLD without one). */
  cravingsAlertThreshold: z.number().int(),
  source: z.enum(CHECK_IN_SOURCES),
  createdBy: Id,
  createdAt: z.string(),
});

export const CreatedCheckIn = CheckIn.extend({
  /** The alert to-do put on the coach's list, when the check-in raised an alert. */
  alertTodoId: Id.nullable(),
});

export const CheckInList = z.object({ checkIns: z.array(CheckIn) });

/** Mood and cravings over time, oldest first. */
export const CheckInTrend = z.object({
  points: z.array(z.object({ checkInId: Id, checkedInOn: z.string(), mood: z.number().int(), cravings: z.number().int() })),
  latest: z.object({ checkedInOn: z.string(), mood: z.number().int(), cravings: z.number().int() }).nullable(),
});

// ---- milestones

export const CUSTOM_MILESTONE_KINDS = ['housing_found', 'job', 'family_reunited', 'court_completed', 'other'] as const;
export const MILESTONE_KINDS = ['recovery', 'moud', 'custom'] as const;
/** Upcoming milestones show on the caseload this many days ahead. */
export const MILESTONE_AHEAD_DAYS = 7;

export const CreateMilestoneBody = z
  .object({
    kind: z.enum(CUSTOM_MILESTONE_KINDS, { message: 'Choose a kind of milestone from the list' }),
    /** Required for `other`; optional words for the others. */
    label: z.string().trim().min(1, 'Enter a label, or leave it out').max(120, 'Use at most 120 characters').nullable().optional(),
    reachedOn: IsoDate,
  })
  .superRefine((b, ctx) => {
    if (b.kind === 'other' && !b.label) ctx.addIssue({ code: 'custom', path: ['label'], message: 'Say what the milestone is' });
  });

export const CelebrateMilestoneBody = z.object({
  kind: z.enum(MILESTONE_KINDS, { message: 'Choose recovery, moud or custom' }),
  /** A step of the series (24h, 7d, 30d, 60d, 90d, 6m, 9m, 1y, 18m, 2y, 3y…), or the custom milestone's id. */
  anchor: z.string().trim().min(1, 'Say which milestone').max(40, 'Use at most 40 characters'),
  /** The milestone's date. */
  on: IsoDate,
  note: z.string().trim().min(1, 'Enter a note, or leave it out').max(500, 'Use at most 500 characters').nullable().optional(),
});

export const Celebration = z.object({ id: Id, celebratedBy: Id, celebratedAt: z.string(), note: z.string().nullable() });

export const Milestone = z.object({
  kind: z.enum(MILESTONE_KINDS),
  anchor: z.string(),
  /** For custom milestones: their kind (housing_found…). */
  customKind: z.enum(CUSTOM_MILESTONE_KINDS).nullable(),
  label: z.string().nullable(),
  on: z.string(),
  celebration: Celebration.nullable(),
});

export const MilestoneList = z.object({
  recoveryStartDate: z.string().nullable(),
  moudStartDate: z.string().nullable(),
  /** Reached (today or before), newest first. */
  past: z.array(Milestone),
  /** Coming (after today), soonest first: the next few of each series. */
  upcoming: z.array(Milestone),
});

export const CreatedMilestone = z.object({ id: Id, kind: z.enum(CUSTOM_MILESTONE_KINDS), label: z.string().nullable(), reachedOn: z.string(), createdBy: Id, createdAt: z.string() });

// ---- the automatic series (pure; local dates, no time zones involved)

export interface SeriesStep {
  /** 24h, 7d, 30d, 60d, 90d, 6m, 9m, 1y, 18m, then 2y, 3y… */
  anchor: string;
  unit: 'hours' | 'days' | 'months' | 'years';
  count: number;
  on: string;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate(); // month 1–12

/** The date `n` days after `date` (UTC arithmetic: no daylight-saving shift). */
export function plusDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** The same day `n` months later, or the last day of that month when it is shorter (Aug 31 + 6 months = Feb 28/29). */
export function plusMonths(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + n;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return `${pad(year, 4)}-${pad(month)}-${pad(Math.min(d, daysIn(year, month)))}`;
}

/** The fixed steps before the yearly ones. */
const FIXED_STEPS: readonly Omit<SeriesStep, 'on'>[] = [
  { anchor: '24h', unit: 'hours', count: 24 },
  { anchor: '7d', unit: 'days', count: 7 },
  { anchor: '30d', unit: 'days', count: 30 },
  { anchor: '60d', unit: 'days', count: 60 },
  { anchor: '90d', unit: 'days', count: 90 },
  { anchor: '6m', unit: 'months', count: 6 },
  { anchor: '9m', unit: 'months', count: 9 },
  { anchor: '1y', unit: 'years', count: 1 },
  { anchor: '18m', unit: 'months', count: 18 },
];

function stepDate(start: string, s: Omit<SeriesStep, 'on'>): string {
  if (s.unit === 'hours') return plusDays(start, s.count / 24);
  if (s.unit === 'days') return plusDays(start, s.count);
  if (s.unit === 'months') return plusMonths(start, s.count);
  return plusMonths(start, 12 * s.count);
}

/**
 * The automatic milestones of a start date, in order, through `until` (inclusive): 24 hours
 * (the next day), 7, 30, 60, 90 days, 6 and 9 months, 1 year, 18 months, then every year.
 * Months and years keep the day of the month, or the month's last day when it has no such day.
 */
export function milestoneSeries(start: string, until: string): SeriesStep[] {
  const out: SeriesStep[] = [];
  for (const s of FIXED_STEPS) {
    const on = stepDate(start, s);
    if (on > until) return out;
    out.push({ ...s, on });
  }
  for (let years = 2; ; years++) {
    const on = plusMonths(start, 12 * years);
    if (on > until) return out;
    out.push({ anchor: `${years}y`, unit: 'years', count: years, on });
  }
}

/** The step named `anchor` of a start date's series, or undefined when there is no such step. */
export function seriesStep(start: string, anchor: string): SeriesStep | undefined {
  const fixed = FIXED_STEPS.find((s) => s.anchor === anchor);
  if (fixed) return { ...fixed, on: stepDate(start, fixed) };
  const m = /^([2-9]|[1-9]\d)y$/.exec(anchor);
  if (!m) return undefined;
  const years = Number(m[1]);
  return { anchor, unit: 'years', count: years, on: plusMonths(start, 12 * years) };
}

export const CreatedCelebration = z.object({ id: Id, kind: z.enum(MILESTONE_KINDS), anchor: z.string(), on: z.string(), note: z.string().nullable(), celebratedBy: Id, celebratedAt: z.string() });
