/**
 * Participants (the people a program serves) and their episodes of care. Brief intake is the
 * ED bedside minimum; full intake completes the record later. Health facts carry where they came
 * from (participant-reported, staff-observed, clinician-verified): Lodestar is non-clinical.
 */
import { z } from 'zod';
import { Id, Version } from './common.js';

/** A local time of day, 24-hour HH:MM. */
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

export const CONTACT_METHODS = ['phone', 'text', 'email', 'in_person', 'none'] as const;
export const INTAKE_SETTINGS = ['emergency_department', 'hospital', 'outpatient', 'residential', 'rco', 'community', 'jail_or_court', 'telehealth', 'other'] as const;
export const HOUSING_STATUSES = ['stable', 'unstably_housed', 'homeless_sheltered', 'homeless_unsheltered', 'institution', 'unknown'] as const;
export const INSURANCE_TYPES = ['medicaid', 'medicare', 'private', 'uninsured', 'pending_application', 'other', 'unknown'] as const;
export const MOUD_TYPES = ['none', 'buprenorphine', 'methadone', 'naltrexone', 'unknown'] as const;
export const FACT_SOURCES = ['participant_reported', 'staff_observed', 'clinician_verified'] as const;
export const SUBSTANCES = ['opioids_heroin', 'opioids_fentanyl', 'opioids_prescription', 'stimulants_methamphetamine', 'stimulants_cocaine', 'alcohol', 'cannabis', 'benzodiazepines', 'other', 'unknown'] as const;
export const ROUTES_OF_USE = ['injection', 'smoking', 'inhalation', 'oral', 'other', 'unknown'] as const;
export const EMPLOYMENT = ['full_time', 'part_time', 'unemployed_looking', 'unemployed_not_looking', 'student', 'retired', 'disabled', 'other', 'unknown'] as const;
export const RACES = ['american_indian_or_alaska_native', 'asian', 'black_or_african_american', 'native_hawaiian_or_pacific_islander', 'white', 'prefer_not_to_say'] as const;
export const ETHNICITIES = ['hispanic_or_latino', 'not_hispanic_or_latino', 'prefer_not_to_say'] as const;
export const SEX_AT_BIRTH = ['female', 'male', 'intersex', 'prefer_not_to_say'] as const;
export const INTAKE_LEVELS = ['brief', 'full'] as const;
export const EPISODE_STATUSES = ['active', 'on_hold', 'unreachable', 'discharged'] as const;
export const DISCHARGE_REASONS = ['goals_met', 'transferred', 'declined_further_services', 'lost_contact', 'incarcerated', 'moved', 'deceased', 'other'] as const;

const choose = <T extends readonly [string, ...string[]]>(values: T, what: string) => z.enum(values, { message: `Choose ${what} from the list` });

/** A calendar date YYYY-MM-DD that exists. */
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a date like 2026-03-14')
  .refine((d) => {
    const t = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d;
  }, 'Enter a real date, like 2026-03-14');

const Text = (max: number, what: string) => z.string().trim().min(1, `Enter ${what}, or leave it out`).max(max, `Use at most ${max} characters`);
const Opt = <T extends z.ZodType>(s: T) => s.nullable().optional();

/**
 * Phone numbers are stored as digits only, E.164 without the plus: a 10-digit US number gets the
 * country code 1 in front; other numbers of 11–15 digits are kept as typed.
 */
export const Phone = z
  .string()
  .max(40, 'Use at most 40 characters')
  .transform((v) => v.replace(/\D/g, ''))
  .refine((d) => d.length >= 10 && d.length <= 15, 'Enter a phone number with its area code, like 555-201-3344')
  .transform((d) => (d.length === 10 ? `1${d}` : d));

/** Names are free text a person types (a first name or an alias is enough at the bedside). */
const PersonName = Text(100, 'a name');

export const ParticipantFields = {
  firstName: Opt(PersonName),
  lastName: Opt(PersonName),
  alias: Opt(PersonName),
  preferredName: Opt(PersonName),
  pronouns: Opt(Text(40, 'pronouns')),
  language: Opt(Text(40, 'a language')),
  dateOfBirth: Opt(IsoDate),
  /** An estimated birth year, when only an age is known. */
  birthYear: Opt(z.number({ message: 'Enter a year, like 1988' }).int('Enter a year, like 1988').min(1900, 'Enter a year after 1900').max(2100, 'Enter a birth year in the past')),
  dobEstimated: z.boolean().optional(),
  phone: Opt(Phone),
  email: Opt(z.string().trim().max(254).email('Enter an email address in the correct format, like name@example.org').transform((e) => e.toLowerCase())),
  preferredContactMethod: Opt(choose(CONTACT_METHODS, 'a contact method')),
  okVoicemail: z.boolean().optional(),
  okText: z.boolean().optional(),
  safeTimes: Opt(Text(200, 'safe times')),
  /**
   * When it is safe to reach the person, local 24-hour HH:MM: outreach to-dos fall due inside it
   * (ed/follow-up-plan.ts). Both or neither; a window may wrap midnight (22:00–06:00).
   */
  contactWindowStart: Opt(z.string().regex(HHMM, 'Enter a time like 09:30 or 17:00')),
  contactWindowEnd: Opt(z.string().regex(HHMM, 'Enter a time like 12:00 or 20:00')),
  doNotContact: z.boolean().optional(),
  emergencyContactName: Opt(PersonName),
  emergencyContactRelationship: Opt(Text(60, 'a relationship')),
  emergencyContactPhone: Opt(Phone),
  addressLine: Opt(Text(200, 'an address')),
  city: Opt(Text(100, 'a city')),
  state: Opt(Text(40, 'a state')),
  zip: Opt(z.string().trim().regex(/^\d{5}(-\d{4})?$/, 'Enter a ZIP code like 02118')),
  housingStatus: Opt(choose(HOUSING_STATUSES, 'a housing situation')),
  insuranceType: Opt(choose(INSURANCE_TYPES, 'an insurance type')),
  insuranceMemberId: Opt(Text(60, 'a member id')),
  primarySubstance: Opt(choose(SUBSTANCES, 'a substance')),
  secondarySubstance: Opt(choose(SUBSTANCES, 'a substance')),
  routeOfUse: Opt(choose(ROUTES_OF_USE, 'a route')),
  hasOud: Opt(z.boolean()),
  hasOudSource: Opt(choose(FACT_SOURCES, 'where this came from')),
  currentMoud: Opt(choose(MOUD_TYPES, 'a medication')),
  moudSource: Opt(choose(FACT_SOURCES, 'where this came from')),
  /** The participant's own recovery start date. */
  recoveryStartDate: Opt(IsoDate),
  employment: Opt(choose(EMPLOYMENT, 'an employment situation')),
  justiceInvolved: z.boolean().optional(),
  pregnantOrPostpartum: z.boolean().optional(),
  youth: z.boolean().optional(),
  veteran: z.boolean().optional(),
  coOccurringMentalHealth: z.boolean().optional(),
  race: z.array(choose(RACES, 'race categories')).max(RACES.length).optional(),
  ethnicity: Opt(choose(ETHNICITIES, 'an ethnicity')),
  sexAtBirth: Opt(choose(SEX_AT_BIRTH, 'a sex at birth')),
  genderIdentity: Opt(Text(60, 'a gender identity')),
  strengthsAndHopes: Opt(Text(4000, 'strengths and hopes')),
  intakeSetting: Opt(choose(INTAKE_SETTINGS, 'an intake setting')),
  referralSource: Opt(Text(200, 'a referral source')),
};

/** The bedside minimum: a first name or an alias; everything else optional. */
export const BriefIntakeBody = z
  .object({
    firstName: Opt(PersonName),
    lastName: Opt(PersonName),
    alias: Opt(PersonName),
    dateOfBirth: Opt(IsoDate),
    /** When the date of birth is unknown: the age the person gives (stored as an estimated birth year). */
    ageAtIntake: Opt(z.number({ message: 'Enter an age in years' }).int('Enter an age in whole years').min(0, 'Enter an age of 0 or more').max(120, 'Enter an age of 120 or less')),
    phone: Opt(Phone),
    preferredContactMethod: Opt(choose(CONTACT_METHODS, 'a contact method')),
    intakeSetting: Opt(choose(INTAKE_SETTINGS, 'an intake setting')),
    referralSource: Opt(Text(200, 'a referral source')),
    /** The participant's own recovery start date, if they want to give it (milestones count from it). */
    recoveryStartDate: Opt(IsoDate),
    /**
     * Verbal consent to take part and to be contacted, given at the bedside. Recorded as a
     * participation consent (42 CFR 2.31 elements from the intake script) witnessed by
     * `consentWitnessName`: verbal consent needs a witness, and never authorizes a disclosure.
     */
    consentToFollowUp: z.boolean().default(false),
    consentWitnessName: Opt(Text(120, 'a witness name')),
    /** Enroll at once: both or neither. The coach who enrolls becomes the assigned coach. */
    programId: Opt(Id),
    siteId: Opt(Id),
  })
  .superRefine((b, ctx) => {
    if (!b.firstName && !b.alias) ctx.addIssue({ code: 'custom', path: ['firstName'], message: 'Enter a first name or an alias' });
    if (b.consentToFollowUp && !b.consentWitnessName?.trim()) {
      ctx.addIssue({ code: 'custom', path: ['consentWitnessName'], message: 'Enter the name of the person who witnessed the verbal consent' });
    }
    if (b.dateOfBirth && b.ageAtIntake != null) ctx.addIssue({ code: 'custom', path: ['ageAtIntake'], message: 'Give a date of birth or an age, not both' });
    if (!!b.programId !== !!b.siteId) {
      ctx.addIssue({ code: 'custom', path: [b.programId ? 'siteId' : 'programId'], message: 'Choose both a program and a site to enroll, or neither' });
    }
  });

export const UpdateParticipantBody = z.object({
  version: Version,
  /** 'full' marks the full intake done. */
  intakeLevel: choose(INTAKE_LEVELS, 'an intake level').optional(),
  ...ParticipantFields,
});
/** The full intake is the same body as any later change. */
export const FullIntakeBody = UpdateParticipantBody;

export const Participant = z.object({
  id: z.string(),
  /** Set when the reader sees this record only through a break-the-glass grant: when that access ends. */
  accessUntil: z.string().optional(),
  intakeLevel: z.enum(INTAKE_LEVELS),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  alias: z.string().nullable(),
  preferredName: z.string().nullable(),
  pronouns: z.string().nullable(),
  language: z.string().nullable(),
  dateOfBirth: z.string().nullable(),
  birthYear: z.number().nullable(),
  dobEstimated: z.boolean(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  preferredContactMethod: z.enum(CONTACT_METHODS).nullable(),
  okVoicemail: z.boolean(),
  okText: z.boolean(),
  safeTimes: z.string().nullable(),
  contactWindowStart: z.string().nullable(),
  contactWindowEnd: z.string().nullable(),
  doNotContact: z.boolean(),
  emergencyContactName: z.string().nullable(),
  emergencyContactRelationship: z.string().nullable(),
  emergencyContactPhone: z.string().nullable(),
  addressLine: z.string().nullable(),
  city: z.string().nullable(),
  state: z.string().nullable(),
  zip: z.string().nullable(),
  housingStatus: z.enum(HOUSING_STATUSES).nullable(),
  insuranceType: z.enum(INSURANCE_TYPES).nullable(),
  insuranceMemberId: z.string().nullable(),
  primarySubstance: z.enum(SUBSTANCES).nullable(),
  secondarySubstance: z.enum(SUBSTANCES).nullable(),
  routeOfUse: z.enum(ROUTES_OF_USE).nullable(),
  hasOud: z.boolean().nullable(),
  hasOudSource: z.enum(FACT_SOURCES).nullable(),
  currentMoud: z.enum(MOUD_TYPES).nullable(),
  moudSource: z.enum(FACT_SOURCES).nullable(),
  recoveryStartDate: z.string().nullable(),
  employment: z.enum(EMPLOYMENT).nullable(),
  justiceInvolved: z.boolean(),
  pregnantOrPostpartum: z.boolean(),
  youth: z.boolean(),
  veteran: z.boolean(),
  coOccurringMentalHealth: z.boolean(),
  race: z.array(z.enum(RACES)),
  ethnicity: z.enum(ETHNICITIES).nullable(),
  sexAtBirth: z.enum(SEX_AT_BIRTH).nullable(),
  genderIdentity: z.string().nullable(),
  strengthsAndHopes: z.string().nullable(),
  intakeSetting: z.enum(INTAKE_SETTINGS).nullable(),
  referralSource: z.string().nullable(),
  consentToFollowUp: z.boolean(),
  consentToFollowUpAt: z.string().nullable(),
  mergedIntoId: z.string().nullable(),
  createdBy: z.string(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Participant = z.infer<typeof Participant>;

/** The few fields a search result or a duplicate match shows. */
export const ParticipantSummary = z.object({
  id: z.string(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  alias: z.string().nullable(),
  preferredName: z.string().nullable(),
  dateOfBirth: z.string().nullable(),
});

/** Search terms travel in the body, never in a URL. All given terms must match. */
export const ParticipantSearchBody = z
  .object({
    /** Matches the start of any word of the first, last, preferred name or alias. */
    query: z.string().trim().max(100, 'Use at most 100 characters').optional(),
    dateOfBirth: IsoDate.optional(),
    phone: Phone.optional(),
  })
  .refine((b) => !!b.query || !!b.dateOfBirth || !!b.phone, { path: ['query'], message: 'Enter a name, a date of birth or a phone number to search' });
export const ParticipantSearchResult = z.object({ participants: z.array(ParticipantSummary) });

export const DuplicateCheckBody = z
  .object({
    firstName: Opt(PersonName),
    lastName: Opt(PersonName),
    alias: Opt(PersonName),
    dateOfBirth: Opt(IsoDate),
    phone: Opt(Phone),
  })
  .refine((b) => !!b.dateOfBirth || !!b.phone, { path: ['dateOfBirth'], message: 'Enter a date of birth or a phone number to check for duplicates' });
export const DuplicateCheckResponse = z.object({
  /** Possible duplicates the caller may see. */
  matches: z.array(ParticipantSummary),
  /** Possible duplicates outside the caller's caseload: counted, never described. */
  outOfScopeMatches: z.number(),
});

export const Episode = z.object({
  id: z.string(),
  participantId: z.string(),
  programId: z.string(),
  siteId: z.string(),
  startDate: z.string(),
  referralSource: z.string().nullable(),
  assignedCoachUserId: z.string().nullable(),
  assignedCoachName: z.string().nullable(),
  status: z.enum(EPISODE_STATUSES),
  dischargeDate: z.string().nullable(),
  dischargeReason: z.enum(DISCHARGE_REASONS).nullable(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const EpisodeList = z.object({ episodes: z.array(Episode) });

export const CreateEpisodeBody = z.object({
  programId: Id,
  siteId: Id,
  /** Defaults to today at the site. */
  startDate: IsoDate.optional(),
  referralSource: Opt(Text(200, 'a referral source')),
  /** Defaults to the person enrolling when they are a coach. */
  assignedCoachUserId: Opt(Id),
});

export const UpdateEpisodeBody = z
  .object({
    version: Version,
    status: choose(EPISODE_STATUSES, 'a status').optional(),
    startDate: IsoDate.optional(),
    referralSource: Opt(Text(200, 'a referral source')),
    /** With status 'discharged'; defaults to today at the site. */
    dischargeDate: IsoDate.optional(),
    dischargeReason: choose(DISCHARGE_REASONS, 'a discharge reason').optional(),
  })
  .superRefine((b, ctx) => {
    if (b.status === 'discharged' && !b.dischargeReason) ctx.addIssue({ code: 'custom', path: ['dischargeReason'], message: 'Choose a discharge reason' });
    if (b.status !== 'discharged' && (b.dischargeReason || b.dischargeDate)) {
      ctx.addIssue({ code: 'custom', path: [b.dischargeReason ? 'dischargeReason' : 'dischargeDate'], message: 'Set the status to discharged to record a discharge' });
    }
  });

const Reason = z.string().trim().min(1, 'Say why, in a few words').max(500, 'Use at most 500 characters');
export const ReassignEpisodeBody = z.object({ toCoachUserId: Id, reason: Reason });
export const TransferEpisodeBody = z.object({ toSiteId: Id, reason: Reason });

/** The caseload moved to its own contract; a type-only re-export keeps old imports working without an import cycle. */
export type { Caseload, CaseloadItem } from './caseload.js';
