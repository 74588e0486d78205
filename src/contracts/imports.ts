/**
 * Importing program history (issue 7): the Lodestar history file (docs/IMPORT.md), the CSV import
 * of participants and encounters with a column mapping, and their results. A file is checked
 * whole before anything is written; every problem names its row (`participants[3].dateOfBirth`).
 *
 * Dates: a `…On` / `…Date` field is a calendar date local to the file's `timeZone` (which must be
 * the organization's: "day 0" means one thing in every measure); an instant (`startedAt`,
 * `startsAt`, `madeAt`) carries its UTC offset (`2026-02-01T14:00:00-06:00` or `…Z`).
 */
import { z } from 'zod';
import { DISCHARGE_REASONS, EPISODE_STATUSES, IsoDate, ParticipantFields } from './participants.js';
import { LIFE_EVENT_KINDS, LIFE_EVENT_SOURCES } from './care.js';
import { ATTEMPT_OUTCOMES, ENCOUNTER_MODES, ENCOUNTER_SERVICES, ENCOUNTER_SETTINGS, ENCOUNTER_TYPES } from './encounters.js';
import { APPOINTMENT_KINDS, APPOINTMENT_STATUSES } from './appointments.js';
import { MAX_DAYS_SUPPLY, MOUD_FORMULATIONS, MOUD_MEDICATIONS } from './moud-rules.js';
import { LINKAGE_KINDS, REFERRAL_STATUSES, REFERRAL_URGENCIES } from './referrals.js';
import { RECIPIENT_ORG_TYPES } from './consents.js';
import { TimeZone } from './common.js';

export const IMPORT_FORMAT = 'lodestar-history';
export const IMPORT_VERSION = 1;
/** A history file or CSV text is at most this large (a few years of a mid-sized program). */
export const IMPORT_MAX_BYTES = 20 * 1024 * 1024;
/** At most this many problems are reported (the count says how many there were). */
export const IMPORT_MAX_ERRORS = 200;

/** The kinds of imported record, as the external-id table names them. */
export const IMPORT_KINDS = ['participant', 'episode', 'encounter', 'life_event', 'referral', 'appointment', 'moud_fill', 'otp_period', 'questionnaire_response'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** Each array of the file and the kind its rows are. */
export const IMPORT_SECTIONS = {
  participants: 'participant',
  episodes: 'episode',
  encounters: 'encounter',
  lifeEvents: 'life_event',
  referrals: 'referral',
  appointments: 'appointment',
  moudFills: 'moud_fill',
  otpPeriods: 'otp_period',
  questionnaireResponses: 'questionnaire_response',
} as const satisfies Record<string, ImportKind>;
export type ImportSection = keyof typeof IMPORT_SECTIONS;

const choose = <T extends readonly [string, ...string[]]>(values: T, what: string) => z.enum(values, { message: `Choose ${what} from: ${values.join(', ')}` });
const Text = (max: number, what: string) => z.string().trim().min(1, `Enter ${what}, or leave it out`).max(max, `Use at most ${max} characters`);
const Opt = <T extends z.ZodType>(s: T) => s.nullable().optional();
const Instant = z.iso.datetime({ offset: true, message: 'Enter a date and time with its UTC offset, like 2026-02-01T14:00:00-06:00' });
const ExternalId = z.string({ message: 'Give the record’s id in the system it comes from' }).trim().min(1, 'Give the record’s id in the system it comes from').max(200, 'Use at most 200 characters');
/** A participant of this file (or of an earlier import), by external id. */
const ParticipantRef = ExternalId;
const StaffEmail = z.string().trim().max(254).email('Enter the staff member’s email address').transform((e) => e.toLowerCase());

export const ImportParticipant = z.strictObject({ externalId: ExternalId, ...ParticipantFields });

export const ImportEpisode = z.strictObject({
  externalId: ExternalId,
  participant: ParticipantRef,
  /** An existing program and site of the organization, by name; the coach by email. */
  program: Text(200, 'the program’s name'),
  site: Text(200, 'the site’s name'),
  coach: Opt(StaffEmail),
  startDate: IsoDate,
  status: choose(EPISODE_STATUSES, 'a status').optional(),
  dischargeDate: Opt(IsoDate),
  dischargeReason: Opt(choose(DISCHARGE_REASONS, 'a discharge reason')),
  referralSource: Opt(Text(200, 'a referral source')),
});

export const ImportEncounter = z.strictObject({
  externalId: ExternalId,
  participant: ParticipantRef,
  /** The episode it belongs to (external id), when known. */
  episode: Opt(ExternalId),
  type: choose(ENCOUNTER_TYPES, 'an encounter type'),
  mode: choose(ENCOUNTER_MODES, 'a mode'),
  setting: choose(ENCOUNTER_SETTINGS, 'a setting'),
  startedAt: Instant,
  durationMinutes: Opt(z.number().int('Enter whole minutes').min(0).max(24 * 60, 'Enter at most 1440 minutes')),
  reached: z.boolean({ message: 'Say whether the contact reached the person (true or false)' }),
  attemptOutcome: Opt(choose(ATTEMPT_OUTCOMES, 'an attempt outcome')),
  services: z.array(choose(ENCOUNTER_SERVICES, 'a service')).max(ENCOUNTER_SERVICES.length).optional(),
  note: Opt(Text(10_000, 'a note')),
  /** Who logged it (staff email); the importing user when left out. */
  author: Opt(StaffEmail),
});

export const ImportLifeEvent = z.strictObject({
  externalId: ExternalId,
  participant: ParticipantRef,
  kind: choose(LIFE_EVENT_KINDS, 'a kind of event'),
  occurredOn: IsoDate,
  source: choose(LIFE_EVENT_SOURCES, 'where this came from').optional(),
  note: Opt(Text(2000, 'a note')),
});

export const ImportReferral = z.strictObject({
  externalId: ExternalId,
  participant: ParticipantRef,
  receiverName: Text(200, 'the receiver’s name'),
  receiverType: choose(RECIPIENT_ORG_TYPES, 'a kind of organization'),
  reason: Text(500, 'a reason'),
  urgency: choose(REFERRAL_URGENCIES, 'an urgency').optional(),
  status: choose(REFERRAL_STATUSES, 'a status'),
  madeAt: Instant,
  /** How the referral ended in care, when it did: `on` is the local date. */
  linkage: Opt(z.strictObject({ kind: choose(LINKAGE_KINDS, 'a kind of linkage'), on: IsoDate })),
});

export const ImportAppointment = z.strictObject({
  externalId: ExternalId,
  participant: ParticipantRef,
  kind: choose(APPOINTMENT_KINDS, 'a kind of appointment'),
  startsAt: Instant,
  /** The outcome (`attended`, `missed`, `cancelled`), or `scheduled` for one still ahead. */
  status: choose(APPOINTMENT_STATUSES, 'a status'),
  place: Opt(Text(300, 'a place')),
  providerName: Opt(Text(200, 'a provider')),
  /** The referral it was booked for (external id). */
  referral: Opt(ExternalId),
});

export const ImportMoudFill = z.strictObject({
  externalId: ExternalId,
  participant: ParticipantRef,
  medication: choose(MOUD_MEDICATIONS, 'a medication'),
  formulation: choose(MOUD_FORMULATIONS, 'a formulation'),
  filledOn: IsoDate,
  /** Left out: the default supply for the formulation (PRODUCT.md). */
  daysSupply: Opt(z.number().int('Enter whole days').min(1, 'Enter at least 1 day').max(MAX_DAYS_SUPPLY, `Enter at most ${MAX_DAYS_SUPPLY} days`)),
  quantity: Opt(z.number().positive().max(10_000)),
});

export const ImportOtpPeriod = z.strictObject({
  externalId: ExternalId,
  participant: ParticipantRef,
  startedOn: IsoDate,
  endedOn: Opt(IsoDate),
});

export const ImportQuestionnaireResponse = z.strictObject({
  externalId: ExternalId,
  participant: ParticipantRef,
  questionnaire: z.literal('barc10', { message: 'Only BARC-10 responses (barc10) can be imported' }),
  answeredOn: IsoDate,
  /** Item id (q1 … q10) → answer 1 (strongly disagree) … 6 (strongly agree). */
  answers: z.record(z.string(), z.number()),
});

export const HistoryFile = z.strictObject({
  format: z.literal(IMPORT_FORMAT, { message: `Set format to "${IMPORT_FORMAT}"` }),
  version: z.literal(IMPORT_VERSION, { message: `Set version to ${IMPORT_VERSION}` }),
  /** The organization's time zone: every date of the file is local to it. */
  timeZone: TimeZone,
  participants: z.array(ImportParticipant).default([]),
  episodes: z.array(ImportEpisode).default([]),
  encounters: z.array(ImportEncounter).default([]),
  lifeEvents: z.array(ImportLifeEvent).default([]),
  referrals: z.array(ImportReferral).default([]),
  appointments: z.array(ImportAppointment).default([]),
  moudFills: z.array(ImportMoudFill).default([]),
  otpPeriods: z.array(ImportOtpPeriod).default([]),
  questionnaireResponses: z.array(ImportQuestionnaireResponse).default([]),
});
export type HistoryFile = z.output<typeof HistoryFile>;

/** One problem of a file: where (`participants[3].dateOfBirth`, or `csv line 4: Birth date`) and what to do. */
export const ImportProblem = z.object({ path: z.string(), message: z.string() });
export type ImportProblem = z.infer<typeof ImportProblem>;

export const ImportCounts = z.record(z.string(), z.object({ created: z.number().int(), updated: z.number().int() }));

export const ImportResult = z.object({
  dryRun: z.boolean(),
  counts: ImportCounts,
  /** Every kind added up. */
  total: z.object({ created: z.number().int(), updated: z.number().int() }),
});
export type ImportResult = z.infer<typeof ImportResult>;

/** `details` of a refused import (400 `validation.failed`). */
export const ImportRejected = z.object({ errorCount: z.number().int(), errors: z.array(ImportProblem) });
export type ImportRejected = z.infer<typeof ImportRejected>;

// ---- CSV

export const CSV_KINDS = ['participants', 'encounters'] as const;
export type CsvKind = (typeof CSV_KINDS)[number];

/** The fields a CSV column can fill, per kind (a subset of the history file's rows). */
export const CSV_FIELDS = {
  participants: ['externalId', 'firstName', 'lastName', 'alias', 'preferredName', 'dateOfBirth', 'phone', 'email', 'language', 'city', 'state', 'zip', 'insuranceType', 'primarySubstance', 'sexAtBirth', 'ethnicity', 'race', 'veteran', 'pregnantOrPostpartum', 'justiceInvolved', 'youth', 'recoveryStartDate'],
  encounters: ['externalId', 'participant', 'type', 'mode', 'setting', 'startedAt', 'durationMinutes', 'reached', 'attemptOutcome', 'note', 'author'],
} as const satisfies Record<CsvKind, readonly string[]>;
/** Fields every row of the kind needs. */
export const CSV_REQUIRED: Record<CsvKind, readonly string[]> = {
  participants: ['externalId'],
  encounters: ['externalId', 'participant', 'type', 'mode', 'setting', 'startedAt', 'reached'],
};
export const CSV_MAX_PREVIEW_ROWS = 5;

const CsvText = z.string().min(1, 'Choose a CSV file that is not empty').max(IMPORT_MAX_BYTES, 'Use a file of at most 20 MB');

export const CsvPreviewBody = z.object({ kind: choose(CSV_KINDS, 'what the file holds'), csv: CsvText });
export const CsvPreview = z.object({
  kind: choose(CSV_KINDS, 'what the file holds'),
  headers: z.array(z.string()),
  rows: z.array(z.array(z.string())),
  rowCount: z.number().int(),
  fields: z.array(z.string()),
  required: z.array(z.string()),
  /** Field → column header, for the columns whose names match. */
  suggested: z.record(z.string(), z.string()),
});
export type CsvPreview = z.infer<typeof CsvPreview>;

export const CsvImportBody = z.object({
  kind: choose(CSV_KINDS, 'what the file holds'),
  csv: CsvText,
  /** Field → column header. */
  mapping: z.record(z.string(), z.string()),
  dryRun: z.boolean().default(false),
});
export type CsvImportBody = z.output<typeof CsvImportBody>;
