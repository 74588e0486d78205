/**
 * The ED bedside visit and the post-overdose follow-up plan. A visit is attached to an `ed_visit`
 * life event; the coach fills it in at the bedside, section by section (each save carries the
 * visit's version). Completing it writes the bedside encounter (which never counts as the visit's
 * own follow-up) and the follow-up plan: outreach to-dos at the program's schedule.
 */
import { z } from 'zod';
import { Version } from './common.js';
import { CONTACT_METHODS } from './participants.js';

export const MOUD_STARTED = ['none', 'buprenorphine', 'methadone', 'naltrexone'] as const;
export type MoudStarted = (typeof MOUD_STARTED)[number];
export const ED_VISIT_STATUSES = ['open', 'completed'] as const;
/** The program's follow-up schedule when it has none: hours after the anchor (24 h, 72 h, 7, 14, 30 days). */
export const DEFAULT_FOLLOW_UP_SCHEDULE = [24, 72, 168, 336, 720] as const;
/** The contact window when the participant has none (local times, the site's or organization's zone). */
export const DEFAULT_CONTACT_WINDOW = { start: '09:00', end: '19:00' } as const;

const choose = <T extends readonly [string, ...string[]]>(values: T, what: string) => z.enum(values, { message: `Choose ${what} from the list` });
const Text = (max: number, what: string) => z.string().trim().min(1, `Enter ${what}, or leave it out`).max(max, `Use at most ${max} characters`);
/** An instant with its offset (stored in UTC). */
const Instant = z.iso.datetime({ offset: true, message: 'Enter a date and time like 2026-11-27T03:10:00Z' });

/** What the coach fills in at the bedside; every field may be left out and filled in later. */
const fields = {
  edArrivedAt: Instant.nullable().optional(),
  peerRequestedAt: Instant.nullable().optional(),
  peerArrivedAt: Instant.nullable().optional(),
  overdose: z.boolean().nullable().optional(),
  substance: Text(200, 'the substance').nullable().optional(),
  naloxoneAdministered: z.boolean().nullable().optional(),
  naloxoneKitGiven: z.boolean().nullable().optional(),
  /** Clinician-reported: what the ED started, never the coach's judgement. */
  moudStarted: choose(MOUD_STARTED, 'the medication started').nullable().optional(),
  referralOffered: z.boolean().nullable().optional(),
  referralAccepted: z.boolean().nullable().optional(),
  warmHandoffTo: Text(200, 'who the warm handoff was to').nullable().optional(),
  /** Verbal consent is enough for contact; saying yes records a participation consent if none is active. */
  consentToFollowUp: z.boolean().nullable().optional(),
  /** Who witnessed the verbal consent (required when it has to be recorded). */
  witnessName: Text(200, 'the witness’s name').optional(),
  bestContactMethod: choose(CONTACT_METHODS, 'a way to reach them').nullable().optional(),
  bestContactTime: Text(200, 'the best time to reach them').nullable().optional(),
  dischargedAt: Instant.nullable().optional(),
};

export const StartEdVisitBody = z.object(fields);
export const UpdateEdVisitBody = z.object({ version: Version, ...fields });

/** One step of the follow-up plan (an outreach to-do). */
export const FollowUpStep = z.object({
  todoId: z.string(),
  title: z.string(),
  dueOn: z.string(),
  dueTime: z.string().nullable(),
  dueAt: z.string(),
  severity: z.string(),
  ownerUserId: z.string(),
  status: z.string(),
});

export const EdVisit = z.object({
  id: z.string(),
  participantId: z.string(),
  lifeEventId: z.string(),
  /** The bedside encounter, once the visit is completed. */
  encounterId: z.string().nullable(),
  siteId: z.string().nullable(),
  edArrivedAt: z.string().nullable(),
  peerRequestedAt: z.string().nullable(),
  peerArrivedAt: z.string().nullable(),
  /** Peer arrived − peer requested, in whole minutes (null until both are known). */
  responseMinutes: z.number().nullable(),
  overdose: z.boolean().nullable(),
  substance: z.string().nullable(),
  naloxoneAdministered: z.boolean().nullable(),
  naloxoneKitGiven: z.boolean().nullable(),
  moudStarted: z.enum(MOUD_STARTED).nullable(),
  referralOffered: z.boolean().nullable(),
  referralAccepted: z.boolean().nullable(),
  warmHandoffTo: z.string().nullable(),
  consentToFollowUp: z.boolean().nullable(),
  bestContactMethod: z.enum(CONTACT_METHODS).nullable(),
  bestContactTime: z.string().nullable(),
  dischargedAt: z.string().nullable(),
  status: z.enum(ED_VISIT_STATUSES),
  completedAt: z.string().nullable(),
  /** The follow-up plan made on completion, soonest first (empty while the visit is open). */
  followUps: z.array(FollowUpStep),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
});
export type EdVisitJson = z.infer<typeof EdVisit>;

export const EdVisitList = z.object({ edVisits: z.array(EdVisit) });
