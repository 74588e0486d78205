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
  'cost_model',
] as const;
export type MeasureIdCode = (typeof MEASURE_IDS)[number];

/** The special populations a program may filter on (participants' flags). */
export const MEASURE_POPULATIONS = ['pregnant_or_postpartum', 'youth', 'justice_involved', 'veteran'] as const;
export type MeasurePopulation = (typeof MEASURE_POPULATIONS)[number];

/** What a breakdown groups participants by (issue 7: "breakdowns by race, ethnicity, sex, age band and insurance"). */
export const MEASURE_BREAKDOWNS = ['race', 'ethnicity', 'sex', 'age_band', 'insurance'] as const;
export type MeasureBreakdown = (typeof MEASURE_BREAKDOWNS)[number];

/**
 * The groups of each breakdown, in the order shown; every group is always listed (an empty one
 * too, so which groups appear gives nothing away). `not_recorded`: nothing recorded.
 * Race: one OMB category recorded → that category; two or more → `two_or_more` (each person is
 * counted once, so the groups add up to the total); only "prefer not to say" → `prefer_not_to_say`
 * ("prefer not to say" next to a category is ignored). Age band: age on the first day of the
 * period. Sex: sex at birth as recorded.
 */
export const BREAKDOWN_GROUPS = {
  race: ['american_indian_or_alaska_native', 'asian', 'black_or_african_american', 'native_hawaiian_or_pacific_islander', 'white', 'two_or_more', 'prefer_not_to_say', 'not_recorded'],
  ethnicity: ['hispanic_or_latino', 'not_hispanic_or_latino', 'prefer_not_to_say', 'not_recorded'],
  sex: ['female', 'male', 'intersex', 'prefer_not_to_say', 'not_recorded'],
  age_band: ['under_18', '18_25', '26_34', '35_44', '45_54', '55_64', '65_plus', 'not_recorded'],
  insurance: ['medicaid', 'medicare', 'private', 'uninsured', 'pending_application', 'other', 'unknown', 'not_recorded'],
} as const satisfies Record<MeasureBreakdown, readonly string[]>;

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

const Breakdown = z.enum(MEASURE_BREAKDOWNS, { message: 'Choose race, ethnicity, sex, age_band or insurance' });

type PeriodFields = { from: string; to: string };
const checkPeriod = (q: PeriodFields, ctx: z.RefinementCtx) => {
  if (q.from > q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'Choose an end date on or after the start date' });
  else if (q.to >= plusMonths(q.from, MAX_PERIOD_YEARS * 12)) ctx.addIssue({ code: 'custom', path: ['to'], message: `Choose a period of at most ${MAX_PERIOD_YEARS} years` });
};

export const MeasuresQuery = z
  .object({
    ...filterFields,
    /** Each figure also per group of participants (`groups` on the figure). */
    breakdown: Breakdown.optional(),
  })
  .superRefine(checkPeriod);
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

export const FIGURE_KINDS = ['share', 'event_rate', 'median', 'mean', 'count', 'survival', 'amount'] as const;

/** One group's part of a figure (a breakdown): the same fields as the figure, null where hidden or empty. */
export const MeasureFigureGroup = z.object({
  group: z.string(),
  numerator: z.number().nullable(),
  denominator: z.number().nullable(),
  rate: z.number().nullable(),
  lower: z.number().nullable(),
  upper: z.number().nullable(),
  suppressed: z.boolean(),
});
export type MeasureFigureGroup = z.infer<typeof MeasureFigureGroup>;

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
  /** `amount` figures (the cost model's estimates): what `rate` is counted in. */
  unit: z.enum(['hours', 'currency', 'visits']).optional(),
  /** Small cells (under 11) were hidden for a role without record access. */
  suppressed: z.boolean(),
  /** With a breakdown: the figure per group, in the breakdown's group order. */
  groups: z.array(MeasureFigureGroup).optional(),
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
  /** With `breakdown`: the groups, each with its participants (null where hidden). */
  breakdown: z
    .object({
      by: z.enum(MEASURE_BREAKDOWNS),
      groups: z.array(z.object({ key: z.string(), label: z.string(), participants: z.number().nullable() })),
    })
    .optional(),
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

/** The figures a monthly trend shows unless others are asked for (`measure.figure`). */
export const DEFAULT_TREND_FIGURES = ['linkage.window_30', 'contacts_per_month.contacts', 'outreach_success.success'] as const;
export const MAX_TREND_FIGURES = 6;

/**
 * Monthly trends: the period cut into calendar months (the first and last clipped to the period).
 * `figures`: a comma-separated list of `measure.figure` (shares, counts and event rates), e.g.
 * `linkage.window_30,outreach_success.success`.
 */
export const MeasureTrendsQuery = z
  .object({
    ...filterFields,
    figures: z
      .string()
      .max(400, 'Use at most 400 characters')
      .transform((s) => [...new Set(s.split(',').map((x) => x.trim()).filter(Boolean))])
      .pipe(
        z
          .array(z.string().regex(/^[a-z_]{1,40}\.[a-z0-9_.]{1,60}$/, 'Name figures as measure.figure, like linkage.window_30'))
          .min(1, 'Name at least one figure')
          .max(MAX_TREND_FIGURES, `Name at most ${MAX_TREND_FIGURES} figures`),
      )
      .optional(),
  })
  .superRefine(checkPeriod);
export type MeasureTrendsQuery = z.output<typeof MeasureTrendsQuery>;

export const MeasureTrendPoint = z.object({
  /** `YYYY-MM`. */
  month: z.string(),
  numerator: z.number().nullable(),
  denominator: z.number().nullable(),
  rate: z.number().nullable(),
  lower: z.number().nullable(),
  upper: z.number().nullable(),
  suppressed: z.boolean(),
});
export type MeasureTrendPoint = z.infer<typeof MeasureTrendPoint>;

export const MeasureTrendSeries = z.object({
  measureId: z.enum(MEASURE_IDS),
  figure: z.string(),
  label: z.string(),
  kind: z.enum(FIGURE_KINDS),
  per: z.number().optional(),
  points: z.array(MeasureTrendPoint),
});
export type MeasureTrendSeries = z.infer<typeof MeasureTrendSeries>;

export const MeasureTrendsResponse = z.object({
  period: z.object({ from: z.string(), to: z.string() }),
  timeZone: z.string(),
  scope: z.enum(['organization', 'team']),
  suppressed: z.boolean(),
  months: z.array(z.object({ month: z.string(), from: z.string(), to: z.string() })),
  series: z.array(MeasureTrendSeries),
});
export type MeasureTrendsResponse = z.infer<typeof MeasureTrendsResponse>;
