/**
 * Encounters: one record of a contact (or an attempt) with one participant. A group encounter is
 * one record per person present, sharing a group id. A draft may be edited by its author; signing
 * locks it, and later changes are addenda, kept and shown. Notes may go to a supervisor's review
 * queue (flagged by the coach, by the note aid, or by a program rule). Deletion leaves a tombstone.
 */
import { z } from 'zod';
import { Id, Version } from './common.js';

export const ENCOUNTER_TYPES = ['ed_bedside', 'check_in', 'follow_up', 'care_coordination', 'group', 'crisis', 'outreach_attempt'] as const;
export const ENCOUNTER_MODES = ['in_person', 'phone', 'video', 'text', 'email'] as const;
export const ENCOUNTER_SETTINGS = ['ed', 'inpatient', 'outpatient_clinic', 'residential', 'rco_community', 'home', 'street_outreach', 'jail_or_court', 'telehealth'] as const;
export const ATTEMPT_OUTCOMES = ['no_answer', 'voicemail_left', 'not_in_service', 'message_sent', 'declined'] as const;
export const ENCOUNTER_SERVICES = [
  'treatment_navigation',
  'moud_support',
  'insurance_help',
  'housing',
  'employment',
  'transportation',
  'family',
  'recovery_planning',
  'cravings_triggers',
  'harm_reduction',
  'naloxone_education',
  'naloxone_kit',
  'milestone_celebration',
  'crisis_support',
] as const;
export const ENCOUNTER_STATUSES = ['draft', 'signed'] as const;
export const REVIEW_STATUSES = ['none', 'pending', 'cosigned', 'returned'] as const;
export const REVIEW_REASONS = ['coach', 'note_aid', 'program_rule'] as const;
export const REVIEW_DECISIONS = ['cosign', 'return'] as const;

export type EncounterType = (typeof ENCOUNTER_TYPES)[number];
export type EncounterMode = (typeof ENCOUNTER_MODES)[number];
export type EncounterSetting = (typeof ENCOUNTER_SETTINGS)[number];

/** Modes where the coach and the participant are not in the same place. */
const REMOTE_MODES: readonly EncounterMode[] = ['phone', 'video', 'text', 'email'];

/**
 * CMS place-of-service codes for an in-person contact in each setting. Remote contacts are
 * telehealth: 10 when the participant is at home, 02 elsewhere. A coach may override the code
 * (e.g. 22, on-campus outpatient hospital, instead of 11, office; 56, psychiatric residential,
 * instead of 55).
 */
export const PLACE_OF_SERVICE: Record<EncounterSetting, string> = {
  ed: '23',
  inpatient: '21',
  outpatient_clinic: '11',
  residential: '55',
  rco_community: '99',
  home: '12',
  street_outreach: '27',
  jail_or_court: '09',
  telehealth: '02',
};

/** The place-of-service code derived from setting and mode (see PLACE_OF_SERVICE). */
export function placeOfServiceFor(setting: EncounterSetting, mode: EncounterMode): string {
  if (REMOTE_MODES.includes(mode) || setting === 'telehealth') return setting === 'home' ? '10' : '02';
  return PLACE_OF_SERVICE[setting];
}

/** The longest an encounter may last. */
export const MAX_DURATION_MINUTES = 24 * 60;

const choose = <T extends readonly [string, ...string[]]>(values: T, what: string) => z.enum(values, { message: `Choose ${what} from the list` });
const Text = (max: number, what: string) => z.string().trim().min(1, `Enter ${what}, or leave it out`).max(max, `Use at most ${max} characters`);
const Instant = (what: string) =>
  z.iso.datetime({ offset: true, message: `Enter ${what} as a date and time, like 2026-11-27T14:30:00Z` }).transform((v) => new Date(v).toISOString());

/** The fields a coach records, shared by one encounter, a group encounter and a draft's edit. */
export interface EncounterShape {
  type: EncounterType;
  startedAt: string;
  endedAt?: string | null | undefined;
  reached: boolean;
  attemptOutcome?: string | null | undefined;
}

/**
 * The rules between fields (the ones that need no clock): each problem names its field. The
 * server runs these again on a draft's merged values after an edit.
 */
export function encounterProblems(e: EncounterShape): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  if (e.type === 'outreach_attempt' && e.reached) out.push({ path: 'reached', message: 'An outreach attempt did not reach the person. Choose another type if you reached them' });
  if (!e.reached && !e.attemptOutcome) out.push({ path: 'attemptOutcome', message: 'Choose what happened when you tried to reach them' });
  if (e.reached && e.attemptOutcome) out.push({ path: 'attemptOutcome', message: 'Leave the attempt outcome out when you reached the person' });
  if (e.endedAt) {
    const minutes = (Date.parse(e.endedAt) - Date.parse(e.startedAt)) / 60_000;
    if (minutes < 0) out.push({ path: 'endedAt', message: 'Enter an end time after the start time' });
    else if (minutes > MAX_DURATION_MINUTES) out.push({ path: 'endedAt', message: 'An encounter lasts at most 24 hours. Check the end time' });
  }
  return out;
}

const refineEncounter = (e: EncounterShape, ctx: z.RefinementCtx) => {
  for (const p of encounterProblems(e)) ctx.addIssue({ code: 'custom', path: [p.path], message: p.message });
};

const EncounterFields = {
  type: choose(ENCOUNTER_TYPES, 'a type of contact'),
  mode: choose(ENCOUNTER_MODES, 'how you were in contact'),
  setting: choose(ENCOUNTER_SETTINGS, 'a setting'),
  /** A CMS place-of-service code; derived from setting and mode when left out. */
  placeOfService: z.string().regex(/^\d{2}$/, 'Enter a two-digit place of service code, like 11').nullable().optional(),
  startedAt: Instant('the start'),
  endedAt: Instant('the end').nullable().optional(),
  reached: z.boolean({ message: 'Choose whether you reached the person' }),
  attemptOutcome: choose(ATTEMPT_OUTCOMES, 'what happened').nullable().optional(),
  services: z
    .array(choose(ENCOUNTER_SERVICES, 'services'))
    .max(ENCOUNTER_SERVICES.length)
    .refine((s) => new Set(s).size === s.length, 'Choose each service once')
    .default([]),
  /** The participant's own words about what they want next. */
  participantWords: Text(2000, 'their words').nullable().optional(),
  /** A short, strengths-based note. */
  note: Text(4000, 'a note').nullable().optional(),
  /** Ask a supervisor to review the note. */
  flagForReview: z.boolean().default(false),
  /** Sign at once (the phone flow signs on save); otherwise a draft. */
  sign: z.boolean().default(false),
};

export const CreateEncounterBody = z
  .object({
    ...EncounterFields,
    /** The to-do this contact answers (any kind, this participant's). */
    todoId: Id.nullable().optional(),
  })
  .superRefine(refineEncounter);

export const GroupEncounterBody = z
  .object({
    ...EncounterFields,
    type: choose(ENCOUNTER_TYPES, 'a type of contact').default('group'),
    participantIds: z
      .array(Id)
      .min(1, 'Choose at least one participant who was there')
      .max(50, 'A group encounter has at most 50 participants')
      .refine((ids) => new Set(ids).size === ids.length, 'Choose each participant once'),
  })
  .superRefine(refineEncounter);

/** Edit a draft (author only); `sign: true` signs it. */
export const UpdateEncounterBody = z.object({
  version: Version,
  type: EncounterFields.type.optional(),
  mode: EncounterFields.mode.optional(),
  setting: EncounterFields.setting.optional(),
  placeOfService: EncounterFields.placeOfService,
  startedAt: EncounterFields.startedAt.optional(),
  endedAt: EncounterFields.endedAt,
  reached: EncounterFields.reached.optional(),
  attemptOutcome: EncounterFields.attemptOutcome,
  services: z
    .array(choose(ENCOUNTER_SERVICES, 'services'))
    .max(ENCOUNTER_SERVICES.length)
    .refine((s) => new Set(s).size === s.length, 'Choose each service once')
    .optional(),
  participantWords: EncounterFields.participantWords,
  note: EncounterFields.note,
  flagForReview: z.boolean().optional(),
  sign: z.boolean().optional(),
});

export const AddendumBody = z.object({ text: z.string().trim().min(1, 'Enter the addendum').max(4000, 'Use at most 4000 characters') });

export const ReviewBody = z
  .object({
    decision: choose(REVIEW_DECISIONS, 'co-sign or return'),
    comment: z.string().trim().max(2000, 'Use at most 2000 characters').nullable().optional(),
  })
  .superRefine((b, ctx) => {
    if (b.decision === 'return' && !b.comment) ctx.addIssue({ code: 'custom', path: ['comment'], message: 'Say what the coach should change when you return a note' });
  });

export const DeleteEncounterBody = z.object({ reason: z.string().trim().min(1, 'Enter why this encounter is deleted').max(500, 'Use at most 500 characters') });

export const EncounterListQuery = z.object({
  /** The cursor of the next (older) page, from `nextCursor`. */
  before: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

export const DefaultsQuery = z.object({ participantId: Id });

const NoteFlagShape = z.object({
  found: z.string(),
  start: z.number(),
  end: z.number(),
  suggestions: z.array(z.string()),
  reason: z.enum(['clinical', 'stigmatizing']),
});

export const Addendum = z.object({
  id: z.string(),
  authorUserId: z.string(),
  authorName: z.string().nullable(),
  text: z.string(),
  createdAt: z.string(),
});

export const Encounter = z.object({
  id: z.string(),
  participantId: z.string(),
  episodeId: z.string().nullable(),
  groupId: z.string().nullable(),
  type: z.enum(ENCOUNTER_TYPES),
  mode: z.enum(ENCOUNTER_MODES),
  setting: z.enum(ENCOUNTER_SETTINGS),
  placeOfService: z.string().nullable(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  durationMinutes: z.number().nullable(),
  reached: z.boolean(),
  attemptOutcome: z.enum(ATTEMPT_OUTCOMES).nullable(),
  services: z.array(z.enum(ENCOUNTER_SERVICES)),
  /** Null on a deleted encounter (kept, never shown). */
  participantWords: z.string().nullable(),
  note: z.string().nullable(),
  noteFlags: z.array(NoteFlagShape),
  authorUserId: z.string(),
  authorName: z.string().nullable(),
  authorCredential: z.string().nullable(),
  status: z.enum(ENCOUNTER_STATUSES),
  signedAt: z.string().nullable(),
  reviewStatus: z.enum(REVIEW_STATUSES),
  reviewReason: z.enum(REVIEW_REASONS).nullable(),
  reviewComment: z.string().nullable(),
  reviewedByName: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  todoId: z.string().nullable(),
  lifeEventId: z.string().nullable(),
  /** Set when deleted: the tombstone ("deleted by … on …"). */
  deleted: z.object({ at: z.string(), byName: z.string().nullable(), reason: z.string().nullable() }).nullable(),
  addenda: z.array(Addendum),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const EncounterList = z.object({ encounters: z.array(Encounter), nextCursor: z.string().nullable() });

export const GroupEncounterResult = z.object({ groupId: z.string(), encounters: z.array(Encounter) });

export const ReviewQueueItem = Encounter.extend({ participantName: z.string().nullable() });
export const ReviewQueue = z.object({ items: z.array(ReviewQueueItem), truncated: z.boolean() });

export const EncounterDefaults = z.object({
  type: z.enum(ENCOUNTER_TYPES),
  mode: z.enum(ENCOUNTER_MODES),
  setting: z.enum(ENCOUNTER_SETTINGS),
  /** True when type, mode and setting come from the caller's last encounter. */
  fromLastEncounter: z.boolean(),
});

export type EncounterJson = z.infer<typeof Encounter>;
