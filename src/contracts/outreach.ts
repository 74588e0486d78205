/**
 * Outreach: each open episode's contact cadence, the coach's "today" list, the unreachable
 * workflow (the attempts, the channels tried and not yet tried, the proposal and the coach's
 * decision) and the supervisor's view per coach. Dates are local to the organization; instants are
 * ISO UTC strings.
 */
import { z } from 'zod';
import { Version } from './common.js';
import { EPISODE_STATUSES } from './participants.js';
import { TODO_KINDS, TODO_SEVERITIES } from './care.js';
import { TodayAppointment } from './appointments.js';

/** The ways a coach can try to reach someone: encounter modes, plus the people around them. */
export const OUTREACH_CHANNELS = ['phone', 'text', 'email', 'in_person', 'video', 'emergency_contact', 'treatment_provider'] as const;
export type OutreachChannel = (typeof OUTREACH_CHANNELS)[number];

export const CADENCE_MIN_DAYS = 1;
export const CADENCE_MAX_DAYS = 90;

/** `PATCH /api/v1/episodes/:id/cadence`: a cadence for this episode, or null for the program's. */
export const UpdateCadenceBody = z.object({
  cadenceDays: z
    .number({ message: 'Enter a number of days from 1 to 90, or leave it empty to use the program’s' })
    .int({ message: 'Enter a whole number of days' })
    .min(CADENCE_MIN_DAYS, { message: 'Enter at least 1 day' })
    .max(CADENCE_MAX_DAYS, { message: 'Enter at most 90 days' })
    .nullable(),
  version: Version,
});

/** When the next contact is due, and why. */
export const Cadence = z.object({
  episodeId: z.string(),
  /** The episode's own cadence, or null when it follows the program's. */
  cadenceDays: z.number().nullable(),
  programCadenceDays: z.number(),
  effectiveCadenceDays: z.number(),
  lastContactAt: z.string().nullable(),
  /** Local date: the last successful contact (or the start) plus the cadence. */
  dueOn: z.string(),
  /** Days past the due date (0 on it, negative before it). */
  daysOverdue: z.number(),
  version: z.number(),
});

/** How the participant wants (and does not want) to be reached. */
export const ContactRules = z.object({
  doNotContact: z.boolean(),
  okVoicemail: z.boolean(),
  okText: z.boolean(),
  preferredMethod: z.string().nullable(),
  /** Local HH:MM, or null. */
  windowStart: z.string().nullable(),
  windowEnd: z.string().nullable(),
  /** The participant's own words about safe times, if any. */
  safeTimes: z.string().nullable(),
});

export const TodayItem = z.object({
  todoId: z.string(),
  kind: z.enum(TODO_KINDS),
  title: z.string(),
  severity: z.enum(TODO_SEVERITIES),
  dueOn: z.string(),
  dueTime: z.string().nullable(),
  dueAt: z.string(),
  /** Past its due time (or its due date). */
  overdue: z.boolean(),
  /** Local days past the due date: 0 for today. */
  daysOverdue: z.number(),
  participantId: z.string().nullable(),
  /** Null when the to-do names nobody, or someone no longer in the caller's scope. */
  participantName: z.string().nullable(),
  contact: ContactRules.nullable(),
  version: z.number(),
});

export const Today = z.object({
  today: z.string(),
  items: z.array(TodayItem),
  /** What comes due in the next 7 days (for instance the steps of a new follow-up plan), soonest first. */
  upcoming: z.array(TodayItem),
  counts: z.object({ total: z.number(), overdue: z.number(), dueToday: z.number() }),
  /** The caller's appointments starting today (local), soonest first (not cancelled or rescheduled ones). */
  appointments: z.array(TodayAppointment),
  /** More to-dos are due than the list shows (the most urgent are shown). */
  truncated: z.boolean(),
});

export const OutreachAttempt = z.object({
  id: z.string(),
  startedAt: z.string(),
  mode: z.string(),
  type: z.string(),
  outcome: z.string().nullable(),
});

/** `GET /api/v1/episodes/:id/outreach`. */
export const EpisodeOutreach = z.object({
  episodeId: z.string(),
  participantId: z.string(),
  status: z.enum(EPISODE_STATUSES),
  unreachableReason: z.string().nullable(),
  rule: z.object({ attempts: z.number(), channels: z.number(), days: z.number() }),
  /** The first local date the rule looks at (today − days + 1). */
  since: z.string(),
  lastSuccessfulContactAt: z.string().nullable(),
  /** Failed attempts in the window after the last successful contact, newest first. */
  attempts: z.array(OutreachAttempt),
  channelsTried: z.array(z.enum(OUTREACH_CHANNELS)),
  channelsNotTried: z.array(z.enum(OUTREACH_CHANNELS)),
  proposeUnreachable: z.boolean(),
  contact: ContactRules,
  cadence: Cadence,
  version: z.number(),
});

/** `POST /api/v1/episodes/:id/unreachable`: the coach's decision, with the reason. */
export const MarkUnreachableBody = z.object({
  reason: z
    .string({ message: 'Say why you are marking this person unreachable' })
    .trim()
    .min(1, { message: 'Say why you are marking this person unreachable' })
    .max(500, { message: 'Keep the reason under 500 characters' }),
  version: Version,
});

export const MarkUnreachableResult = z.object({
  episodeId: z.string(),
  status: z.enum(EPISODE_STATUSES),
  unreachableReason: z.string(),
  version: z.number(),
  /** The re-engagement to-dos, at +30 and +60 days. */
  reEngagement: z.array(z.object({ todoId: z.string(), dueOn: z.string() })),
});

export const TeamCoachRow = z.object({
  coachUserId: z.string(),
  coachName: z.string(),
  openEpisodes: z.number(),
  overdue: z.number(),
  /** Contacts tried in the last 30 days (reached or not), and those that reached the person. */
  attempts: z.number(),
  successfulContacts: z.number(),
  atRisk: z.number(),
});

export const AtRiskPerson = z.object({
  participantId: z.string(),
  displayName: z.string(),
  coachUserId: z.string(),
  /** The local date of the latest ED bedside encounter or ED visit. */
  lastEdOn: z.string(),
  lastSuccessfulContactAt: z.string().nullable(),
  daysSinceEd: z.number(),
});

/** `GET /api/v1/team/outreach`. */
export const TeamOutreach = z.object({
  scope: z.enum(['organization', 'team']),
  today: z.string(),
  windowDays: z.number(),
  atRiskDays: z.number(),
  coaches: z.array(TeamCoachRow),
  /** For supervisors, the people at risk on their teams (names); null for program managers (counts only). */
  atRisk: z.array(AtRiskPerson).nullable(),
});
