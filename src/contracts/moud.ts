/**
 * MOUD access and insurance navigation (issue 5). A participant's medications for opioid use
 * disorder: one **course** per medication and prescriber or OTP (medication, formulation, where it
 * comes from, status), its **fills** (date, days supply) — or, for methadone, its **OTP enrollment
 * periods** (start, end) rather than doses — the **barriers** to getting it, and the **insurance
 * navigation tasks** around it. Every fact says where it came from: the participant told us, or a
 * staff member verified it (with the pharmacy, the prescriber, records) — Lodestar is non-clinical.
 *
 * The coverage rules (PRODUCT.md, MOUD continuity) live in `moudCoverage` below so the server, the
 * outcomes measure and the interface agree: each fill covers its start + days supply − 1; a fill of
 * the same medication made while earlier supply remains starts the day after it runs out
 * (overlapping fills add up); the **next refill is due** the day after the last covered day.
 */
import { z } from 'zod';
import { Id, Version } from './common.js';
import { IsoDate } from './participants.js';

const choose = <T extends readonly [string, ...string[]]>(values: T, what: string) => z.enum(values, { message: `Choose ${what} from the list` });
const Text = (max: number, what: string) => z.string().trim().min(1, `Enter ${what}, or leave it out`).max(max, `Use at most ${max} characters`);

export * from './moud-rules.js';
import { MOUD_BARRIER_KINDS, MOUD_BARRIER_STATUSES, MOUD_COURSE_STATUSES, MOUD_FORMULATIONS, MOUD_INFO_SOURCES, MOUD_MEDICATIONS, INSURANCE_TASK_KINDS, INSURANCE_TASK_STATUSES, MAX_DAYS_SUPPLY } from './moud-rules.js';

// ---- requests

const Source = choose(MOUD_INFO_SOURCES, 'where this came from');
const Medication = choose(MOUD_MEDICATIONS, 'a medication');
const Formulation = choose(MOUD_FORMULATIONS, 'a form of the medication');
/** A directory service (prescriber, OTP, pharmacy), when the coach picked one; free text stays the record. */
const ServiceRef = Id.nullable().optional();

export const CreateMoudCourseBody = z.object({
  medication: Medication,
  formulation: Formulation,
  /** The prescriber or opioid treatment program, as the coach knows it. */
  prescriber: Text(200, 'the prescriber or program').nullable().optional(),
  prescriberServiceId: ServiceRef,
  pharmacy: Text(200, 'the pharmacy').nullable().optional(),
  pharmacyServiceId: ServiceRef,
  /** The local date it started (or is expected to), not in the future for an active course. */
  startedOn: IsoDate.nullable().optional(),
  status: choose(MOUD_COURSE_STATUSES, 'a status').default('active'),
  source: Source,
});

export const UpdateMoudCourseBody = z.object({
  version: Version,
  formulation: Formulation.optional(),
  prescriber: Text(200, 'the prescriber or program').nullable().optional(),
  prescriberServiceId: ServiceRef,
  pharmacy: Text(200, 'the pharmacy').nullable().optional(),
  pharmacyServiceId: ServiceRef,
  startedOn: IsoDate.nullable().optional(),
  status: choose(MOUD_COURSE_STATUSES, 'a status').optional(),
  /** The local date it stopped (with `status: 'stopped'`; today when left out). */
  stoppedOn: IsoDate.nullable().optional(),
  source: Source.optional(),
});

const DaysSupply = z
  .number({ message: 'Enter the days supply as a number' })
  .int('Enter whole days')
  .min(1, 'Enter at least 1 day')
  .max(MAX_DAYS_SUPPLY, `Enter at most ${MAX_DAYS_SUPPLY} days`);
const Quantity = z.number({ message: 'Enter the quantity as a number' }).positive('Enter a quantity above 0').max(10_000, 'Enter at most 10000');

export const CreateMoudFillBody = z.object({
  courseId: Id,
  /** The local date it was picked up (or given, for an injection); not in the future. */
  filledOn: IsoDate,
  /** Left out: the default for the formulation (see `defaultDaysSupply`). */
  daysSupply: DaysSupply.nullable().optional(),
  quantity: Quantity.nullable().optional(),
  source: Source,
});

export const UpdateMoudFillBody = z.object({
  version: Version,
  filledOn: IsoDate.optional(),
  daysSupply: DaysSupply.optional(),
  quantity: Quantity.nullable().optional(),
  source: Source.optional(),
});

export const CreateOtpEnrollmentBody = z.object({
  /** A methadone course. */
  courseId: Id,
  startedOn: IsoDate,
  /** Left out or null while enrolled. */
  endedOn: IsoDate.nullable().optional(),
  source: Source,
});

export const UpdateOtpEnrollmentBody = z.object({
  version: Version,
  startedOn: IsoDate.optional(),
  endedOn: IsoDate.nullable().optional(),
  source: Source.optional(),
});

export const CreateMoudBarrierBody = z.object({
  kind: choose(MOUD_BARRIER_KINDS, 'what is in the way'),
  /** The course it stands in the way of, when it is about one. */
  courseId: Id.nullable().optional(),
  /** A few words (e.g. for `other`); no clinical detail needed. */
  detail: Text(300, 'a few words').nullable().optional(),
  /** When it came up (local date, not in the future); today when left out. */
  notedOn: IsoDate.optional(),
  source: Source,
});

export const UpdateMoudBarrierBody = z.object({
  version: Version,
  detail: Text(300, 'a few words').nullable().optional(),
  status: choose(MOUD_BARRIER_STATUSES, 'a status').optional(),
  /** With `status: 'resolved'`; today when left out. Not before `notedOn`, not in the future. */
  resolvedOn: IsoDate.nullable().optional(),
});

export const CreateInsuranceTaskBody = z.object({
  kind: choose(INSURANCE_TASK_KINDS, 'a task'),
  detail: Text(300, 'a few words').nullable().optional(),
  /** The local date it is due; a due task goes on the coach's to-do list. Today or later. */
  dueOn: IsoDate.nullable().optional(),
});

export const UpdateInsuranceTaskBody = z.object({
  version: Version,
  detail: Text(300, 'a few words').nullable().optional(),
  dueOn: IsoDate.nullable().optional(),
  status: choose(INSURANCE_TASK_STATUSES, 'a status').optional(),
});

// ---- responses

const Verified = {
  source: z.enum(MOUD_INFO_SOURCES),
  /** Who verified it (a staff member), when `source` is `verified`. */
  verifiedBy: z.string().nullable(),
  verifiedByName: z.string().nullable(),
};
const Stamp = { createdBy: z.string(), version: z.number(), createdAt: z.string(), updatedAt: z.string() };

export const MoudFill = z.object({
  id: z.string(),
  courseId: z.string(),
  filledOn: z.string(),
  daysSupply: z.number(),
  /** True when the days supply was not given and the formulation's default was used. */
  daysSupplyDefaulted: z.boolean(),
  quantity: z.number().nullable(),
  ...Verified,
  ...Stamp,
});

export const OtpEnrollment = z.object({
  id: z.string(),
  courseId: z.string(),
  startedOn: z.string(),
  endedOn: z.string().nullable(),
  ...Verified,
  ...Stamp,
});

export const MoudCourse = z.object({
  id: z.string(),
  participantId: z.string(),
  medication: z.enum(MOUD_MEDICATIONS),
  formulation: z.enum(MOUD_FORMULATIONS),
  prescriber: z.string().nullable(),
  prescriberServiceId: z.string().nullable(),
  pharmacy: z.string().nullable(),
  pharmacyServiceId: z.string().nullable(),
  startedOn: z.string().nullable(),
  status: z.enum(MOUD_COURSE_STATUSES),
  stoppedOn: z.string().nullable(),
  /** The last day the fills of this medication cover (all the participant's courses of it), or null. */
  coveredThrough: z.string().nullable(),
  /** The day the next refill is due (coveredThrough + 1); null for methadone and without fills. */
  nextRefillDue: z.string().nullable(),
  /** Days from today to `nextRefillDue` (negative: overdue). */
  refillInDays: z.number().nullable(),
  /** Methadone: enrolled at an OTP today. */
  enrolledNow: z.boolean(),
  /** Newest first. */
  fills: z.array(MoudFill),
  /** Newest first. */
  enrollments: z.array(OtpEnrollment),
  ...Verified,
  ...Stamp,
});

export const MoudBarrier = z.object({
  id: z.string(),
  participantId: z.string(),
  courseId: z.string().nullable(),
  kind: z.enum(MOUD_BARRIER_KINDS),
  detail: z.string().nullable(),
  status: z.enum(MOUD_BARRIER_STATUSES),
  notedOn: z.string(),
  resolvedOn: z.string().nullable(),
  ...Verified,
  ...Stamp,
});

export const InsuranceTask = z.object({
  id: z.string(),
  participantId: z.string(),
  kind: z.enum(INSURANCE_TASK_KINDS),
  detail: z.string().nullable(),
  status: z.enum(INSURANCE_TASK_STATUSES),
  dueOn: z.string().nullable(),
  /** The to-do on the coach's list while the task is open and has a due date. */
  todoId: z.string().nullable(),
  completedAt: z.string().nullable(),
  ...Stamp,
});

/** `GET /participants/:id/moud`: everything of the section in one read. */
export const MoudSummary = z.object({
  participantId: z.string(),
  /** Today at the organization (the refill arithmetic counts from it). */
  today: z.string(),
  /** Active first, then starting, then stopped; newest first within each. */
  courses: z.array(MoudCourse),
  /** The soonest refill due among active courses, or null. */
  nextRefillDue: z.string().nullable(),
  /** Open first, newest first. */
  barriers: z.array(MoudBarrier),
  /** Open and in progress first (soonest due), then closed. */
  insuranceTasks: z.array(InsuranceTask),
});
