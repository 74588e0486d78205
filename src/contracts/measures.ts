/**
 * Outcome and process measures (issue 7): the query (a period of local dates, filters, a
 * program's parameters), every measure's figures with their definition, and the drill-down list
 * of the units (ED visits, treatment starts, episodes, events…) behind a measure — ids and dates
 * only; the participant's display name is added for roles that may read records.
 *
 * The measure ids are listed here and in `src/server/modules/measures/measures.definitions.ts`;
 * the server checks at compile time that the two lists are the same.
 */
import { z } from 'zod';
import { Id } from './common.js';
import { IsoDate } from './participants.js';
import { plusMonths } from './checkins.js';

export const MEASURE_IDS = [
  'linkage',
  'ed_follow_up',
  'moud_continuity',
  'retention',
  'use_and_overdose',
  'ed_revisits',
  'recovery_capital',
  'contacts_per_month',
  'outreach_success',
  'referrals_by_status',
  'referral_to_visit',
  'ed_response_time',
  'federal_follow_up',
] as const;
export type MeasureIdCode = (typeof MEASURE_IDS)[number];

/** The special populations a program may filter on (participants' flags). */
export const MEASURE_POPULATIONS = ['pregnant_or_postpartum', 'youth', 'justice_involved', 'veteran'] as const;
export type MeasurePopulation = (typeof MEASURE_POPULATIONS)[number];

/** The longest period one request may cover. */
export const MAX_PERIOD_YEARS = 5;

/**
 * `parameters`: a JSON object keyed by measure id, each a set of that measure's parameters,
 * e.g. `{"linkage":{"windows":[7,14,30]},"recovery_capital":{"threshold":45}}`. The server checks
 * each value against the measure's definition (400 naming `query.parameters.<measure>.<key>`).
 */
const ParametersJson = z
  .string()
  .max(4000, 'Use at most 4000 characters')
  .transform((s, ctx) => {
    try {
      return JSON.parse(s) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'Give the parameters as a JSON object, like {"linkage":{"windows":[7,30]}}' });
      return z.NEVER;
    }
  })
  .pipe(z.partialRecord(z.enum(MEASURE_IDS, { message: 'Name a measure from the list' }), z.record(z.string(), z.unknown()), { message: 'Give the parameters as a JSON object keyed by measure' }));

const filterFields = {
  /** First day of the period, local to the organization. */
  from: IsoDate,
  /** Last day of the period (included), local to the organization. */
  to: IsoDate,
  programId: Id.optional(),
  siteId: Id.optional(),
  coachUserId: Id.optional(),
  population: z.enum(MEASURE_POPULATIONS, { message: 'Choose a population from the list' }).optional(),
  parameters: ParametersJson.optional(),
};

type PeriodFields = { from: string; to: string };
const checkPeriod = (q: PeriodFields, ctx: z.RefinementCtx) => {
  if (q.from > q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'Choose an end date on or after the start date' });
  else if (q.to >= plusMonths(q.from, MAX_PERIOD_YEARS * 12)) ctx.addIssue({ code: 'custom', path: ['to'], message: `Choose a period of at most ${MAX_PERIOD_YEARS} years` });
};

export const MeasuresQuery = z.object(filterFields).superRefine(checkPeriod);
export type MeasuresQuery = z.output<typeof MeasuresQuery>;

export const CASE_SETS = ['all', 'numerator', 'denominator', 'pending'] as const;

export const MeasureCasesQuery = z
  .object({
    ...filterFields,
    /** Only the units of this figure (e.g. `window_30`); all figures when left out. */
    figure: z.string().regex(/^[a-z0-9_.]{1,60}$/, 'Name a figure of this measure, like window_30').optional(),
    /** With `figure`: only its numerator, its denominator, or its pending units. */
    set: z.enum(CASE_SETS, { message: 'Choose all, numerator, denominator or pending' }).default('all'),
    limit: z.coerce.number({ message: 'Enter a whole number' }).int('Enter a whole number').min(1, 'Enter 1 to 5000').max(5000, 'Enter 1 to 5000').default(1000),
    offset: z.coerce.number({ message: 'Enter a whole number' }).int('Enter a whole number').min(0, 'Enter 0 or more').default(0),
  })
  .superRefine(checkPeriod);
export type MeasureCasesQuery = z.output<typeof MeasureCasesQuery>;

export const MeasureIdParams = z.object({ measureId: z.string().max(60) });

export const FIGURE_KINDS = ['share', 'event_rate', 'median', 'mean', 'count', 'survival'] as const;

/**
 * One figure of a measure. `share`: numerator of denominator, rate and Wilson 95% interval.
 * `event_rate`: numerator events over denominator participant-months, rate per `per`
 * participant-months with the exact Poisson 95% interval. `median`/`mean`: the value in `rate`,
 * the units counted in `denominator`. `count`: the count in `numerator` (of `denominator` when
 * it is part of a total). `survival`: the Kaplan–Meier survival in `rate`, episodes in the curve
 * in `denominator`. `null` where there is nothing to show, or where a small cell is hidden
 * (`suppressed`).
 */
export const MeasureFigure = z.object({
  key: z.string(),
  label: z.string(),
  kind: z.enum(FIGURE_KINDS),
  numerator: z.number().nullable(),
  denominator: z.number().nullable(),
  rate: z.number().nullable(),
  lower: z.number().nullable(),
  upper: z.number().nullable(),
  /** Event rates: per how many participant-months. */
  per: z.number().optional(),
  /** Units whose window has not ended by the period end (left out of the rate). */
  pending: z.number().nullable().optional(),
  /** MOUD continuity: starts whose 180 days have not ended by the period end. */
  inProgress: z.number().nullable().optional(),
  /** Units without the second date yet (durations). */
  missing: z.number().nullable().optional(),
  /** A target to compare the rate with (federal follow-up: 0.8). */
  target: z.number().optional(),
  /** Small cells (under 11) were hidden for a role without record access. */
  suppressed: z.boolean(),
});
export type MeasureFigure = z.infer<typeof MeasureFigure>;

export const MeasureParameterDefinition = z.object({
  key: z.string(),
  label: z.string(),
  description: z.string(),
  unit: z.enum(['days', 'months', 'score', 'share']),
  default: z.union([z.number(), z.array(z.number())]),
  min: z.number(),
  max: z.number(),
  integer: z.boolean(),
});

export const MeasureDefinitionText = z.object({
  summary: z.string(),
  numerator: z.string(),
  denominator: z.string(),
  windows: z.string(),
  exclusions: z.array(z.string()),
  dataSources: z.array(z.string()),
  parameters: z.array(MeasureParameterDefinition),
  comparisons: z.array(z.object({ label: z.string(), value: z.string() })).optional(),
});

export const MeasureResult = z.object({
  id: z.enum(MEASURE_IDS),
  group: z.number(),
  title: z.string(),
  definition: MeasureDefinitionText,
  /** The parameters this result was computed with. */
  parameters: z.record(z.string(), z.union([z.number(), z.array(z.number())])),
  figures: z.array(MeasureFigure),
});
export type MeasureResult = z.infer<typeof MeasureResult>;

export const MeasuresFilters = z.object({
  programId: z.string().nullable(),
  siteId: z.string().nullable(),
  coachUserId: z.string().nullable(),
  population: z.enum(MEASURE_POPULATIONS).nullable(),
});

export const MeasuresResponse = z.object({
  period: z.object({ from: z.string(), to: z.string() }),
  timeZone: z.string(),
  filters: MeasuresFilters,
  /** `team`: a supervisor's teams' participants only. */
  scope: z.enum(['organization', 'team']),
  /** Counts under 11 are hidden (a role without record access). */
  suppressed: z.boolean(),
  participants: z.number().nullable(),
  measures: z.array(MeasureResult),
});
export type MeasuresResponse = z.infer<typeof MeasuresResponse>;

export const MEMBERSHIPS = ['numerator', 'denominator', 'pending', 'in_progress', 'excluded'] as const;

/** One unit behind a measure: ids, dates and codes only (and the participant's name for roles that read records). */
export const MeasureCase = z.object({
  participantId: z.string(),
  participantName: z.string().nullable(),
  /** What the unit is: `ed_visit`, `enrollment`, `episode`, `moud_fill`, `otp_enrollment`, `encounter`, `referral`, `life_event`, `participant`… */
  unitKind: z.string(),
  unitId: z.string(),
  on: z.string(),
  /** For each figure the unit takes part in: numerator (and so denominator), denominator only, pending… */
  figures: z.array(z.object({ key: z.string(), membership: z.enum(MEMBERSHIPS) })),
  /** The event that decided it (the treatment that linked, the follow-up, the revisit, the first gap…). */
  related: z.object({ kind: z.string(), id: z.string().nullable(), on: z.string(), day: z.number().nullable() }).nullable(),
  /** Why the unit is left out (admission, duplicate, incomplete_window…), or null. */
  exclusion: z.string().nullable(),
});
export type MeasureCase = z.infer<typeof MeasureCase>;

export const MeasureCasesResponse = z.object({
  measureId: z.enum(MEASURE_IDS),
  period: z.object({ from: z.string(), to: z.string() }),
  scope: z.enum(['organization', 'team']),
  total: z.number(),
  cases: z.array(MeasureCase),
});
export type MeasureCasesResponse = z.infer<typeof MeasureCasesResponse>;
