/**
 * Recovery plans (issue 6). One living plan per episode: goals in the participant's own words, each
 * in a recovery-capital domain, with action steps (who does what by when), a status, and dated
 * progress notes. Every saved change makes a new numbered version (earlier versions stay readable);
 * the participant's agreement is recorded per version (typed or drawn signature, or verbal with a
 * witness); reviews come every PLAN_REVIEW_DAYS days as a `plan_review` to-do on the coach's list.
 *
 * Editing sends the whole list of goals with the plan's record `version` (a stale one is 409
 * record.conflict carrying the current plan). Goals, steps and notes keep their ids across
 * versions: leave `id` out for a new one; an id the plan does not have is refused (400).
 */
import { z } from 'zod';
import { Id, Version } from './common.js';
import { IsoDate } from './participants.js';
import { MAX_SIGNATURE_DATA } from './consents.js';

export const RECOVERY_DOMAINS = [
  'substance_use',
  'moud_health',
  'mental_wellbeing',
  'housing',
  'employment_education',
  'family_relationships',
  'social_support_community',
  'legal',
  'finances',
  'purpose_meaning',
  'spirituality',
] as const;
export type RecoveryDomain = (typeof RECOVERY_DOMAINS)[number];
export const GOAL_STATUSES = ['active', 'achieved', 'paused', 'dropped'] as const;
export const STEP_OWNERS = ['participant', 'coach', 'other'] as const;
export const AGREEMENT_METHODS = ['drawn', 'typed', 'verbal'] as const;
export const PRINT_LANGUAGES = ['en', 'es'] as const;
/** A plan is reviewed this many days after its last review or agreement, unless its episode's program sets its own (programs.planReviewDays). */
export const PLAN_REVIEW_DAYS = 90;
export const MAX_GOALS = 30;
export const MAX_STEPS = 30;
export const MAX_NOTES = 100;

const choose = <T extends readonly [string, ...string[]]>(values: T, what: string) => z.enum(values, { message: `Choose ${what} from the list` });
const Text = (max: number, what: string) => z.string().trim().min(1, `Enter ${what}`).max(max, `Use at most ${max} characters`);
/** SVG path commands and numbers only: a drawn signature is never markup. */
const SVG_PATH = /^[MLHVCSQTAZmlhvcsqtaz0-9eE.,\s-]*$/;

export const ActionStepInput = z
  .object({
    id: Id.optional(),
    text: Text(500, 'what will be done'),
    /** Who does it: the participant, their coach, or someone else named. */
    owner: choose(STEP_OWNERS, 'who does it'),
    ownerName: Text(120, 'who does it').nullable().optional(),
    dueOn: IsoDate.nullable().optional(),
    done: z.boolean().default(false),
  })
  .superRefine((s, ctx) => {
    if (s.owner === 'other' && !s.ownerName) ctx.addIssue({ code: 'custom', path: ['ownerName'], message: 'Name the person who does it' });
  });
export const ProgressNoteInput = z.object({
  id: Id.optional(),
  on: IsoDate,
  text: Text(2000, 'the note'),
});
export const GoalInput = z.object({
  id: Id.optional(),
  /** The participant's own words. */
  text: Text(1000, 'the goal in the participant’s own words'),
  domain: choose(RECOVERY_DOMAINS, 'an area of recovery'),
  status: choose(GOAL_STATUSES, 'a status').default('active'),
  steps: z.array(ActionStepInput).max(MAX_STEPS, `Use at most ${MAX_STEPS} steps`).default([]),
  notes: z.array(ProgressNoteInput).max(MAX_NOTES, `Use at most ${MAX_NOTES} notes`).default([]),
});
const Goals = z.array(GoalInput).max(MAX_GOALS, `Use at most ${MAX_GOALS} goals`);

export const CreateRecoveryPlanBody = z.object({
  /** The episode the plan belongs to; the participant's open episode when left out. */
  episodeId: Id.optional(),
  goals: Goals.default([]),
});
export const UpdateRecoveryPlanBody = z.object({
  goals: Goals,
  version: Version,
});

export const ActionStep = z.object({
  id: z.string(),
  text: z.string(),
  owner: z.enum(STEP_OWNERS),
  ownerName: z.string().nullable(),
  dueOn: z.string().nullable(),
  done: z.boolean(),
});
export const ProgressNote = z.object({ id: z.string(), on: z.string(), text: z.string() });
export const Goal = z.object({
  id: z.string(),
  text: z.string(),
  domain: z.enum(RECOVERY_DOMAINS),
  status: z.enum(GOAL_STATUSES),
  steps: z.array(ActionStep),
  notes: z.array(ProgressNote),
});
export type Goal = z.infer<typeof Goal>;

export const AgreementBody = z
  .object({
    method: choose(AGREEMENT_METHODS, 'how the participant agreed'),
    /** Drawn: SVG path data; typed: the name as typed. */
    data: z.string().max(MAX_SIGNATURE_DATA, 'This signature is too large. Clear it and sign again').optional(),
    /** "I confirm this is my signature." (typed) */
    attested: z.boolean().optional(),
    witnessName: Text(120, 'the witness’s name').optional(),
    agreedOn: IsoDate.optional(),
    /** The plan's record version: the participant agrees to the plan as it is now. */
    version: Version,
  })
  .superRefine((b, ctx) => {
    if (b.method === 'verbal' && !b.witnessName) ctx.addIssue({ code: 'custom', path: ['witnessName'], message: 'Verbal agreement needs a witness: enter their name' });
    if (b.method !== 'verbal' && !b.data?.trim()) ctx.addIssue({ code: 'custom', path: ['data'], message: b.method === 'drawn' ? 'Draw the signature' : 'Type the name as the signature' });
    if (b.method === 'typed' && b.attested !== true) ctx.addIssue({ code: 'custom', path: ['attested'], message: 'The participant confirms the typed name is their signature' });
    if (b.method === 'drawn' && b.data !== undefined && !SVG_PATH.test(b.data)) ctx.addIssue({ code: 'custom', path: ['data'], message: 'The drawn signature could not be read. Clear it and sign again' });
  });

export const Agreement = z.object({
  id: z.string(),
  planVersion: z.number().int(),
  method: z.enum(AGREEMENT_METHODS),
  data: z.string().nullable(),
  attested: z.boolean(),
  witnessName: z.string().nullable(),
  agreedOn: z.string(),
  recordedBy: z.string(),
  recordedAt: z.string(),
});

export const ReviewBody = z.object({
  reviewedOn: IsoDate.optional(),
  note: Text(2000, 'a note').nullable().optional(),
  /** The plan's record version: the review is of the plan as it is now. */
  version: Version,
});
export const Review = z.object({
  id: z.string(),
  planVersion: z.number().int(),
  reviewedOn: z.string(),
  note: z.string().nullable(),
  nextReviewOn: z.string(),
  recordedBy: z.string(),
  recordedAt: z.string(),
});

export const RecoveryPlan = z.object({
  id: z.string(),
  participantId: z.string(),
  episodeId: z.string(),
  /** The number of the current version of the content (1, 2, …). */
  planVersion: z.number().int(),
  goals: z.array(Goal),
  /** The agreement to the current version, if recorded. */
  agreement: Agreement.nullable(),
  /** The newest version the participant agreed to, if any. */
  lastAgreedVersion: z.number().int().nullable(),
  lastReview: Review.nullable(),
  /** The due date of the open plan-review to-do, if any. */
  nextReviewOn: z.string().nullable(),
  reviewTodoId: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedBy: z.string(),
  updatedAt: z.string(),
  /** The record version to send with an edit. */
  version: z.number().int(),
});
export type RecoveryPlan = z.infer<typeof RecoveryPlan>;
export const RecoveryPlanList = z.object({ plans: z.array(RecoveryPlan) });

export const PlanVersionSummary = z.object({ number: z.number().int(), goals: z.number().int(), createdBy: z.string(), createdAt: z.string(), agreed: z.boolean() });
export const PlanVersionList = z.object({ planId: z.string(), versions: z.array(PlanVersionSummary) });
export const PlanVersion = z.object({
  planId: z.string(),
  number: z.number().int(),
  current: z.boolean(),
  goals: z.array(Goal),
  agreements: z.array(Agreement),
  createdBy: z.string(),
  createdAt: z.string(),
});
export const PlanVersionParams = z.object({ id: Id, n: z.coerce.number({ message: 'Give a version number' }).int('Give a version number').min(1, 'Give a version number') });

export const PrintQuery = z.object({ language: choose(PRINT_LANGUAGES, 'a language').default('en') });
/** The plan in plain words for a printed copy: labels translated, the participant's own words as written. */
export const PrintablePlan = z.object({
  language: z.enum(PRINT_LANGUAGES),
  title: z.string(),
  participantName: z.string(),
  intro: z.string(),
  versionLine: z.string(),
  goals: z.array(
    z.object({
      heading: z.string(),
      domain: z.enum(RECOVERY_DOMAINS),
      domainLabel: z.string(),
      text: z.string(),
      status: z.enum(GOAL_STATUSES),
      statusLabel: z.string(),
      steps: z.array(z.object({ text: z.string(), who: z.string(), due: z.string().nullable(), done: z.boolean(), doneLabel: z.string() })),
      notes: z.array(z.object({ on: z.string(), text: z.string() })),
    }),
  ),
  labels: z.object({ goal: z.string(), area: z.string(), status: z.string(), steps: z.string(), who: z.string(), due: z.string(), notes: z.string(), noGoals: z.string() }),
  agreementLine: z.string().nullable(),
  nextReviewLine: z.string().nullable(),
});
