/**
 * Coping and safety plans (issue 6). Each participant has one current cravings-and-triggers plan
 * ("coping plan") and one current safety plan; every saved change makes a new numbered version
 * (earlier versions stay readable). Lists hold short texts in the participant's own words.
 *
 * Reading a plan never saved gives an empty one with `version: 0` (the safety plan with the 988
 * Suicide & Crisis Lifeline and the default after-an-overdose steps). Saving sends the whole plan
 * with the record `version` (0 for the first save); a stale one is 409 record.conflict carrying the
 * current plan.
 *
 * The 988 Lifeline is always the first crisis contact: it is not stored and cannot be removed
 * (an entry of kind `lifeline` sent back is ignored). `overdoseSteps: null` means the default steps,
 * shown in the language asked for; a list of steps is kept as written.
 */
import { z } from 'zod';
import { Id } from './common.js';

export const PLAN_KINDS = ['coping', 'safety'] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];
export const NALOXONE_ANSWERS = ['yes', 'no', 'unknown'] as const;
export const CONTACT_KINDS = ['crisis_line', 'personal'] as const;
export const PRINT_LANGUAGES = ['en', 'es'] as const;
export type PrintLanguage = (typeof PRINT_LANGUAGES)[number];
export const MAX_ITEMS = 30;
export const MAX_CONTACTS = 20;

const choose = <T extends readonly [string, ...string[]]>(values: T, what: string) => z.enum(values, { message: `Choose ${what} from the list` });
const Text = (max: number, what: string) => z.string().trim().min(1, `Enter ${what}`).max(max, `Use at most ${max} characters`);
const Items = (what: string) => z.array(Text(500, what)).max(MAX_ITEMS, `Use at most ${MAX_ITEMS} entries`).default([]);
/** Digits with the usual separators; at least three digits (988, 911 are phone numbers too). */
export const Phone = z
  .string()
  .trim()
  .min(1, 'Enter a phone number')
  .max(40, 'Use at most 40 characters')
  .regex(/^[0-9+()\-.\s]+$/, 'Enter a phone number with digits only')
  .refine((v) => v.replace(/\D/g, '').length >= 3, 'Enter a phone number with at least three digits');
const RecordVersion = z.number({ message: 'Send the version you opened (0 for a new plan)' }).int('Send the version you opened').min(0, 'Send the version you opened');

export const PersonToCallInput = z.object({ name: Text(120, 'a name'), phone: Phone });
export const CopingPlanContent = z.object({
  triggers: Items('a trigger'),
  warningSigns: Items('a warning sign'),
  copingStrategies: Items('something that helps'),
  peopleToCall: z.array(PersonToCallInput).max(MAX_CONTACTS, `Use at most ${MAX_CONTACTS} people`).default([]),
  safePlaces: Items('a safe place'),
  reasonsForRecovery: Items('a reason'),
});
export type CopingPlanContent = z.output<typeof CopingPlanContent>;
export const PutCopingPlanBody = CopingPlanContent.extend({ version: RecordVersion });

export const CrisisContactInput = z.union([
  /** The 988 Lifeline as read back: accepted and ignored (it is always there). */
  z.object({ kind: z.literal('lifeline') }).passthrough(),
  z.object({ kind: choose(CONTACT_KINDS, 'the kind of contact'), name: Text(120, 'a name'), phone: Phone }),
]);
export const SafetyPlanContentInput = z.object({
  crisisContacts: z.array(CrisisContactInput).max(MAX_CONTACTS + 1, `Use at most ${MAX_CONTACTS} contacts`).default([]),
  naloxoneOnHand: choose(NALOXONE_ANSWERS, 'yes, no or not sure').default('unknown'),
  /** People who know where the naloxone is (names, or short words like "my sister"). */
  naloxoneKnownBy: z.array(Text(120, 'who knows')).max(MAX_CONTACTS, `Use at most ${MAX_CONTACTS} people`).default([]),
  /** null: the default steps in plain words. */
  overdoseSteps: z.array(Text(500, 'a step')).min(1, 'Keep at least one step, or use the default steps').max(MAX_ITEMS, `Use at most ${MAX_ITEMS} steps`).nullable().default(null),
});
export const PutSafetyPlanBody = SafetyPlanContentInput.extend({ version: RecordVersion });

export const CrisisContact = z.object({ kind: z.enum(['lifeline', ...CONTACT_KINDS]), name: z.string(), phone: z.string(), text: z.string().nullable() });
export interface SafetyPlanContent {
  crisisContacts: { kind: (typeof CONTACT_KINDS)[number]; name: string; phone: string }[];
  naloxoneOnHand: (typeof NALOXONE_ANSWERS)[number];
  naloxoneKnownBy: string[];
  overdoseSteps: string[] | null;
}

const PlanMeta = {
  participantId: z.string(),
  /** The number of the current version of the content (0: never saved). */
  planVersion: z.number().int(),
  createdBy: z.string().nullable(),
  createdAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
  updatedAt: z.string().nullable(),
  /** The record version to send with a change (0: never saved). */
  version: z.number().int(),
};
const Texts = z.array(z.string());
export const CopingPlan = z.object({
  ...PlanMeta,
  triggers: Texts,
  warningSigns: Texts,
  copingStrategies: Texts,
  peopleToCall: z.array(z.object({ name: z.string(), phone: z.string() })),
  safePlaces: Texts,
  reasonsForRecovery: Texts,
});
export const SafetyPlan = z.object({
  ...PlanMeta,
  /** The 988 Lifeline first, then the saved contacts. */
  crisisContacts: z.array(CrisisContact),
  naloxoneOnHand: z.enum(NALOXONE_ANSWERS),
  naloxoneKnownBy: Texts,
  /** The steps after an overdose: the default ones (in English here) unless changed. */
  overdoseSteps: Texts,
  overdoseStepsAreDefault: z.boolean(),
});

export const PlanVersionSummary = z.object({ number: z.number().int(), createdBy: z.string(), createdAt: z.string() });
export const PlanVersionList = z.object({ versions: z.array(PlanVersionSummary) });
export const CopingPlanVersion = z.object({ number: z.number().int(), current: z.boolean(), createdBy: z.string(), createdAt: z.string(), plan: CopingPlan });
export const SafetyPlanVersion = z.object({ number: z.number().int(), current: z.boolean(), createdBy: z.string(), createdAt: z.string(), plan: SafetyPlan });
export const PlanVersionParams = z.object({ id: Id, n: z.coerce.number({ message: 'Give a version number' }).int('Give a version number').min(1, 'Give a version number') });

export const PrintQuery = z.object({ language: choose(PRINT_LANGUAGES, 'a language').default('en') });
const Section = z.object({ heading: z.string(), items: Texts, empty: z.string() });
/** A plan in plain words for a printed copy: labels translated, the participant's own words as written. */
export const PrintableCopingPlan = z.object({
  language: z.enum(PRINT_LANGUAGES),
  title: z.string(),
  participantName: z.string(),
  intro: z.string(),
  versionLine: z.string().nullable(),
  sections: z.array(Section.extend({ key: z.enum(['triggers', 'warningSigns', 'copingStrategies', 'peopleToCall', 'safePlaces', 'reasonsForRecovery']) })),
});
export const PrintableSafetyPlan = z.object({
  language: z.enum(PRINT_LANGUAGES),
  title: z.string(),
  participantName: z.string(),
  intro: z.string(),
  versionLine: z.string().nullable(),
  crisisHeading: z.string(),
  /** "988 Suicide & Crisis Lifeline — call or text 988" in the chosen language, then the saved contacts. */
  crisisContacts: Texts,
  naloxoneHeading: z.string(),
  naloxoneLine: z.string(),
  naloxoneKnownByLine: z.string().nullable(),
  overdoseHeading: z.string(),
  overdoseSteps: Texts,
});
