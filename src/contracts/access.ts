/**
 * Break-the-glass access (HIPAA 45 CFR 164.312(a)(2)(ii), emergency access procedure), the
 * notices it sends, the review log, and merging two records of the same person.
 */
import { z } from 'zod';
import { Id, Version } from './common.js';
import { IsoDate } from './participants.js';

/** How long a break-the-glass grant opens a record: one hour, then the caller is out of scope again. */
export const BREAK_GLASS_MINUTES = 60;

export const REASON_MIN = 10;
export const REASON_MAX = 500;

/**
 * A stated reason, in a person's own words: at least ten characters, two or more words and
 * more than a couple of different letters ("xxxxxxxxxx" or "..........." say nothing).
 */
export const Reason = z
  .string({ message: 'Say why, in a sentence' })
  .trim()
  .min(REASON_MIN, `Say why in a sentence of at least ${REASON_MIN} characters`)
  .max(REASON_MAX, `Use at most ${REASON_MAX} characters`)
  .refine((s) => {
    if (s.length < REASON_MIN || s.length > REASON_MAX) return true; // already said
    const letters = s.toLowerCase().replace(/[^\p{L}]/gu, '');
    const words = s.split(/\s+/).filter((w) => /\p{L}/u.test(w));
    return words.length >= 2 && new Set(letters).size >= 4;
  }, 'Say in your own words why you need this, in a sentence');

export const BreakGlassBody = z.object({ reason: Reason });
export const BreakGlassResponse = z.object({ grantId: z.string(), expiresAt: z.string() });

/** The review log's period: local dates of the organization, both days included. */
export const AccessGrantsQuery = z
  .object({
    from: IsoDate.optional(),
    to: IsoDate.optional(),
  })
  .superRefine((q, ctx) => {
    if (q.from && q.to && q.from > q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'Choose an end date on or after the start date' });
  });

export const AccessGrant = z.object({
  id: z.string(),
  userId: z.string(),
  /** Staff names are fine here; the participant is named by id only. */
  userName: z.string().nullable(),
  participantId: z.string(),
  reason: z.string(),
  grantedAt: z.string(),
  expiresAt: z.string(),
  endedAt: z.string().nullable(),
  /** Still opening the record now (not ended, not expired). */
  active: z.boolean(),
});
export const AccessGrantList = z.object({ grants: z.array(AccessGrant) });

export const NOTIFICATION_KINDS = ['break_glass'] as const;

/** A notice holds ids and who did it; the interface words it. Never a participant's name or a reason. */
export const Notification = z.object({
  id: z.string(),
  kind: z.string(),
  actorUserId: z.string().nullable(),
  actorName: z.string().nullable(),
  participantId: z.string().nullable(),
  referenceId: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export const NotificationList = z.object({ notifications: z.array(Notification), unread: z.number().int() });

/** Merge the record in the URL (the duplicate) into `intoId` (the record that stays). */
export const MergeBody = z.object({
  intoId: Id,
  reason: Reason,
  /** The duplicate's version, as the person saw it. */
  version: Version,
  /** The surviving record's version, as the person saw it. */
  intoVersion: Version,
});

export const MERGED_TABLES = ['episodes', 'consents', 'restriction_requests', 'disclosures', 'access_grants', 'notifications', 'life_events', 'todos', 'encounters', 'ed_visits', 'appointments', 'outbox_messages', 'moud_courses', 'moud_fills', 'moud_otp_enrollments', 'moud_barriers', 'insurance_tasks', 'referrals', 'referral_events', 'questionnaire_responses', 'check_ins', 'milestones', 'milestone_celebrations', 'recovery_plans', 'recovery_plan_versions', 'recovery_plan_agreements', 'recovery_plan_reviews', 'coping_plans', 'coping_plan_versions', 'participant_links', 'federal_interviews', 'merged_records'] as const;

export const MergeResponse = z.object({
  survivorId: z.string(),
  mergedId: z.string(),
  /** How many rows of each table now belong to the survivor (`merged_records`: records merged earlier into the duplicate). */
  moved: z.record(z.enum(MERGED_TABLES), z.number().int()),
  /** Fields of the survivor that were empty and were filled from the duplicate. */
  filledFields: z.array(z.string()),
});
