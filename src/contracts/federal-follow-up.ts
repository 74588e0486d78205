/**
 * Federal follow-up interviews (SAMHSA GPRA-style, issue 7 measure 8; PRODUCT.md "Federal
 * follow-up"): a program records the **intake** interview, the **6-month follow-up** and the
 * **discharge** interview it conducts with a participant. The follow-up is due at intake + 6 months
 * and counts only inside the window 30 days before to 60 days after that date; the program aims to
 * complete 80%.
 *
 * The window rules live here (`followUpWindow`, `followUpStatus`) so the server, the tracker and
 * the interface agree with the measures engine (`computeFederalFollowUp`, same defaults).
 */
import { z } from 'zod';
import { Id, Version } from './common.js';
import { plusMonths } from './checkins.js';
import { IsoDate } from './participants.js';

export const FEDERAL_INTERVIEW_KINDS = ['intake', 'six_month_follow_up', 'discharge'] as const;
export type FederalInterviewKind = (typeof FEDERAL_INTERVIEW_KINDS)[number];

/** The federal rule (the measures' defaults: measures.definitions.ts DEFAULTS.federal_follow_up). */
export const FEDERAL_FOLLOW_UP_RULE = { dueMonths: 6, windowBeforeDays: 30, windowAfterDays: 60, target: 0.8 } as const;

const DAY_MS = 86_400_000;
const plusDays = (date: string, n: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

export interface FollowUpWindow {
  dueOn: string;
  windowFrom: string;
  windowThrough: string;
}

/** Due at intake + 6 months (a month end clamps: Aug 31 → Feb 28/29); the window is due − 30 … due + 60 days, both included. */
export function followUpWindow(intakeOn: string): FollowUpWindow {
  const dueOn = plusMonths(intakeOn, FEDERAL_FOLLOW_UP_RULE.dueMonths);
  return { dueOn, windowFrom: plusDays(dueOn, -FEDERAL_FOLLOW_UP_RULE.windowBeforeDays), windowThrough: plusDays(dueOn, FEDERAL_FOLLOW_UP_RULE.windowAfterDays) };
}

export const FOLLOW_UP_STATUSES = ['upcoming', 'in_window', 'completed', 'out_of_window'] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];

/**
 * Where a follow-up stands on `today`: `completed` when a follow-up interview falls inside the
 * window (one outside it does not count), else `upcoming` before the window opens, `in_window`
 * while it is open, `out_of_window` once it has closed.
 */
export function followUpStatus(w: FollowUpWindow, followUpDates: readonly string[], today: string): { status: FollowUpStatus; followUpOn: string | null } {
  const done = [...followUpDates].sort().find((d) => d >= w.windowFrom && d <= w.windowThrough);
  if (done) return { status: 'completed', followUpOn: done };
  const status: FollowUpStatus = today < w.windowFrom ? 'upcoming' : today <= w.windowThrough ? 'in_window' : 'out_of_window';
  return { status, followUpOn: null };
}

// ---- requests

const Kind = z.enum(FEDERAL_INTERVIEW_KINDS, { message: 'Choose the interview: intake, 6-month follow-up or discharge' });

export const CreateFederalInterviewBody = z.object({
  kind: Kind,
  /** The local date the interview was conducted: today or earlier, not before the person's birth. */
  conductedOn: IsoDate,
  /** The episode it belongs to; the person's current episode when left out. */
  episodeId: Id.nullable().optional(),
});

export const UpdateFederalInterviewBody = z.object({
  version: Version,
  kind: Kind.optional(),
  conductedOn: IsoDate.optional(),
  episodeId: Id.nullable().optional(),
});

export const DeleteFederalInterviewBody = z.object({ version: Version });

export const TrackerQuery = z.object({
  /** The month (YYYY-MM); this month at the organization when left out. */
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Enter a month like 2026-03')
    .optional(),
});

// ---- responses

export const FederalInterview = z.object({
  id: Id,
  participantId: Id,
  episodeId: Id.nullable(),
  kind: Kind,
  conductedOn: z.string(),
  recordedBy: Id,
  recordedByName: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});

export const FollowUpDue = z.object({
  intakeId: Id,
  intakeOn: z.string(),
  episodeId: Id.nullable(),
  dueOn: z.string(),
  windowFrom: z.string(),
  windowThrough: z.string(),
  status: z.enum(FOLLOW_UP_STATUSES),
  /** The follow-up interview inside the window, when there is one. */
  followUpOn: z.string().nullable(),
});

export const FederalInterviewList = z.object({
  today: z.string(),
  /** Newest first. */
  interviews: z.array(FederalInterview),
  /** One per intake, oldest intake first. */
  followUps: z.array(FollowUpDue),
});

export const TrackerRow = FollowUpDue.extend({
  participantId: Id,
  displayName: z.string(),
  /** Due this month (rather than only having its window open during the month). */
  dueThisMonth: z.boolean(),
  coachUserId: Id.nullable(),
  coachName: z.string().nullable(),
});

export const FederalFollowUpTracker = z.object({
  month: z.string(),
  monthFrom: z.string(),
  monthThrough: z.string(),
  today: z.string(),
  target: z.number(),
  scope: z.enum(['organization', 'team', 'caseload']),
  counts: z.object({ dueThisMonth: z.number().int(), upcoming: z.number().int(), inWindow: z.number().int(), outOfWindow: z.number().int(), completed: z.number().int() }),
  /** Intakes whose follow-up window overlaps the month: those that need action first (window closing soonest), then upcoming, missed, completed. */
  rows: z.array(TrackerRow),
});
