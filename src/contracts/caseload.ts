/**
 * The caseload: a coach's open episodes (or a supervisor's team's), each with the signals that
 * say who needs attention first, and an urgency score made of them. Program managers (and
 * supervisors, for their teams) get the counts only. The signals are computed on the server by
 * the registry in `src/server/modules/caseload/signals.ts`; adding one means adding its key
 * here and its entry there (see docs/drafts/caseload.md).
 */
import { z } from 'zod';
import { Id } from './common.js';
import { EPISODE_STATUSES } from './participants.js';

/** Every signal a caseload row may carry, in the order the interface lists them. */
export const CASELOAD_SIGNALS = [
  'recent_overdose',
  'recent_ed_visit',
  'contact_overdue',
  'unreachable',
  'follow_up_due',
  'appointment_missed',
  'refill_due',
  'appointment_soon',
  'no_follow_up_consent',
  'consent_expiring',
  'no_moud',
  'milestone_coming',
  'check_in_alert',
] as const;
export type CaseloadSignalKey = (typeof CASELOAD_SIGNALS)[number];

export const CASELOAD_SORTS = ['urgency', 'name', 'since', 'last_contact'] as const;
export const CASELOAD_SCOPES = ['mine', 'team'] as const;

/**
 * `GET /api/v1/caseload`. A coach sees their own. A supervisor may name a coach of a team they
 * supervise (`coachUserId`), or ask for their whole team (`scope=team`, which also lists the
 * unassigned people at their teams' sites).
 */
export const CaseloadQuery = z
  .object({
    coachUserId: Id.optional(),
    scope: z.enum(CASELOAD_SCOPES, { message: 'Choose mine or team' }).optional(),
    sort: z.enum(CASELOAD_SORTS, { message: 'Choose urgency, name, since or last_contact' }).default('urgency'),
    /** Only the rows carrying this signal. */
    flag: z.enum(CASELOAD_SIGNALS, { message: 'Choose a flag from the list' }).optional(),
  })
  .superRefine((q, ctx) => {
    if (q.scope === 'team' && q.coachUserId) ctx.addIssue({ code: 'custom', path: ['scope'], message: 'Ask for one coach or for the whole team, not both' });
  });

/** One signal on a row: its key and a few facts for the wording (dates, counts — never notes). */
export const CaseloadFlag = z.object({
  key: z.enum(CASELOAD_SIGNALS),
  detail: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});

export const CaseloadItem = z.object({
  participantId: z.string(),
  displayName: z.string(),
  episodeId: z.string(),
  status: z.enum(EPISODE_STATUSES),
  siteId: z.string(),
  siteName: z.string(),
  assignedCoachUserId: z.string().nullable(),
  assignedCoachName: z.string().nullable(),
  startDate: z.string(),
  daysSinceStart: z.number(),
  intakeAt: z.string(),
  daysSinceIntake: z.number(),
  /** Whole local days since the last successful contact; null when nobody has reached the person yet. */
  daysSinceLastContact: z.number().nullable(),
  /** Null until appointments exist (a later issue fills it). */
  nextAppointment: z.string().nullable(),
  /** Open follow-up to-dos for this person, whoever owns them. */
  openFollowUps: z.number(),
  flags: z.array(CaseloadFlag),
  /** The sum of the weights of the flags: higher is more urgent. */
  urgency: z.number(),
});
export const Caseload = z.object({ items: z.array(CaseloadItem) });

/** `GET /api/v1/caseload/summary`: aggregates only, no names of participants, no ids of them. */
export const CaseloadSummary = z.object({
  /** 'organization' for a program manager; 'team' for a supervisor (their teams' coaches and sites). */
  scope: z.enum(['organization', 'team']),
  total: z.number(),
  bySite: z.array(z.object({ siteId: z.string(), siteName: z.string(), count: z.number() })),
  /** Every coach in scope, even with nobody assigned (caseload balance). */
  byCoach: z.array(z.object({ coachUserId: z.string(), coachName: z.string(), count: z.number() })),
  unassigned: z.number(),
  byStatus: z.array(z.object({ status: z.enum(EPISODE_STATUSES), count: z.number() })),
  byFlag: z.array(z.object({ key: z.enum(CASELOAD_SIGNALS), count: z.number() })),
});
