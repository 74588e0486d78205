/**
 * Each measure's written definition as data (issue 7: "Each measure has a written definition
 * shown in the app (numerator, denominator, windows, exclusions, data sources), parameters a
 * program can set"), the parameters' defaults and allowed ranges, and their checking. English
 * text; the web shows it. The rules are modeled on public HEDIS specifications (FUA, POD) but
 * these are not HEDIS results and never say so.
 */
import { errors } from '../../platform/errors.js';

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
export type MeasureId = (typeof MEASURE_IDS)[number];

export interface ParameterDefinition {
  key: string;
  label: string;
  description: string;
  unit: 'days' | 'months' | 'score' | 'share';
  /** A number, or a list of numbers (e.g. the 7- and 30-day windows). */
  default: number | readonly number[];
  min: number;
  max: number;
  /** Whole numbers only (days, months, scores). */
  integer: boolean;
}

export interface MeasureDefinition {
  id: MeasureId;
  /** The measure's number in issue 7's list. */
  group: number;
  title: string;
  summary: string;
  numerator: string;
  denominator: string;
  windows: string;
  exclusions: readonly string[];
  dataSources: readonly string[];
  parameters: readonly ParameterDefinition[];
  /** Published figures to show beside the result. */
  comparisons?: readonly { label: string; value: string }[];
}

// ---- parameters, with the defaults the rules name

export interface LinkageParams { windows: readonly number[] }
export interface EdFollowUpParams { windows: readonly number[]; admissionExclusionDays: number; dedupDays: number }
export interface MoudContinuityParams { treatmentDays: number; gapDays: number; priorFreeDays: number }
export interface RetentionParams { days: readonly number[]; contactWindowDays: number; silenceDays: number }
export interface UseAndOverdoseParams { earlyDays: number }
export interface EdRevisitParams { windows: readonly number[] }
export interface RecoveryCapitalParams { threshold: number }
export interface FederalFollowUpParams { dueMonths: number; windowBeforeDays: number; windowAfterDays: number; target: number }

type NoParams = Record<string, never>;
/** Each measure's parameters. */
export interface ParamsOf {
  linkage: LinkageParams;
  ed_follow_up: EdFollowUpParams;
  moud_continuity: MoudContinuityParams;
  retention: RetentionParams;
  use_and_overdose: UseAndOverdoseParams;
  ed_revisits: EdRevisitParams;
  recovery_capital: RecoveryCapitalParams;
  contacts_per_month: NoParams;
  outreach_success: NoParams;
  referrals_by_status: NoParams;
  referral_to_visit: NoParams;
  ed_response_time: NoParams;
  federal_follow_up: FederalFollowUpParams;
  cost_model: NoParams;
}

export const DEFAULTS = {
  linkage: { windows: [7, 30] },
  ed_follow_up: { windows: [7, 30], admissionExclusionDays: 30, dedupDays: 31 },
  moud_continuity: { treatmentDays: 180, gapDays: 8, priorFreeDays: 31 },
  retention: { days: [30, 60, 90, 180], contactWindowDays: 30, silenceDays: 60 },
  use_and_overdose: { earlyDays: 90 },
  ed_revisits: { windows: [30, 90] },
  recovery_capital: { threshold: 47 },
  contacts_per_month: {},
  outreach_success: {},
  referrals_by_status: {},
  referral_to_visit: {},
  ed_response_time: {},
  federal_follow_up: { dueMonths: 6, windowBeforeDays: 30, windowAfterDays: 60, target: 0.8 },
  cost_model: {},
} as const satisfies { [M in MeasureId]: ParamsOf[M] };

const days = (key: string, label: string, description: string, def: number | readonly number[], min: number, max: number): ParameterDefinition => ({ key, label, description, unit: 'days', default: def, min, max, integer: true });

const ED_VISIT_SOURCE = 'ED-visit life events (and the ED visit record when a peer was called)';
const TREATMENT_SOURCES = ['Appointments marked attended: MOUD induction or prescriber visit, OTP intake, outpatient, intensive outpatient or residential intake, counseling', 'MOUD fills', 'Opioid treatment program (OTP) enrollment periods'];

export const MEASURE_DEFINITIONS: readonly MeasureDefinition[] = [
  {
    id: 'linkage',
    group: 1,
    title: 'Linkage to treatment',
    summary: 'Of the people who came to the program through an ED visit (or enrolled without one), how many started treatment within 7 and 30 days.',
    numerator: 'Index events followed, on day 0 through day N, by an attended treatment appointment, an MOUD fill, or the start of an OTP enrollment.',
    denominator: 'One index event per participant in the period: the first ED visit in the period; for participants who never had an ED visit, the first enrollment in the period.',
    windows: 'Day 0 (the index date) through day N, for N = 7 and 30; day 0 counts. An index event whose N-day window ends after the period end is left out of that rate and listed as pending.',
    exclusions: ['A referral made is not linkage.', 'A dose of medication given in the ED does not count by itself.', 'Participants whose only ED visits were before the period have no index event in it.'],
    dataSources: [ED_VISIT_SOURCE, 'Episodes (enrollment dates)', ...TREATMENT_SOURCES],
    parameters: [days('windows', 'Windows', 'Days after the index event (day 0 counts).', DEFAULTS.linkage.windows, 0, 180)],
    comparisons: [
      { label: 'Referred without peer support (baseline)', value: 'about 11%' },
      { label: 'With peer support (published programs)', value: '65–75%' },
    ],
  },
  {
    id: 'ed_follow_up',
    group: 2,
    title: 'Follow-up after an ED visit',
    summary: 'After an ED visit for substance use or overdose, how often the person was followed up within 7 and 30 days.',
    numerator: 'Index visits followed, on the visit date through day N, by a contact that reached the person (not the bedside encounter of that visit), an attended treatment appointment, an MOUD fill, or the start of an OTP enrollment.',
    denominator: 'ED visits in the period that remain after the exclusions, in this order: visits followed by an inpatient or residential admission within 30 days are excluded first; then only the first remaining visit in any 31-day period counts; visits in the last 30 days of the period are left out (their window is not complete).',
    windows: 'Day 0 (the visit date, same day included) through day 7 and through day 30.',
    exclusions: ['An inpatient or residential admission on day 0 through day 30 after the visit.', 'A later visit within 31 days of a counted visit (day 1 through day 30 after it).', 'Visits in the last 30 days of the period.', 'The bedside encounter of the visit itself is not follow-up.'],
    dataSources: [ED_VISIT_SOURCE, 'Admissions (inpatient and residential)', 'Encounters that reached the person', ...TREATMENT_SOURCES],
    parameters: [
      days('windows', 'Windows', 'Days after the visit (day 0 counts). The longest one decides which visits near the period end are left out.', DEFAULTS.ed_follow_up.windows, 0, 90),
      days('admissionExclusionDays', 'Admission exclusion', 'An admission on day 0 through this day excludes the visit.', DEFAULTS.ed_follow_up.admissionExclusionDays, 0, 90),
      days('dedupDays', 'One visit per', 'Only the first visit in a run of this many days counts.', DEFAULTS.ed_follow_up.dedupDays, 1, 90),
    ],
  },
  {
    id: 'moud_continuity',
    group: 3,
    title: 'MOUD continuity',
    summary: 'Of the people who started medication for opioid use disorder, how many stayed on it for 180 days without a gap of 8 days or more.',
    numerator: 'Treatment starts whose 180-day treatment period has no run of 8 or more consecutive days without medication.',
    denominator: 'Treatment starts in the period whose 180-day treatment period has ended by the period end. A start is the first day of medication (a fill or an OTP enrollment) with no medication in the prior 31 days.',
    windows: 'The treatment period is the start date (day 0) through day 179. Starts whose 180 days have not ended by the period end are reported separately as "in progress".',
    exclusions: ['A gap of 7 days passes; a gap of 8 or more fails.', 'Starts whose treatment period ends after the period end (in progress).'],
    dataSources: ['MOUD fills: each covers its fill date through fill date + days supply − 1; overlapping fills of the same medication add up (the later one starts when the earlier runs out); fills of different medications overlap without adding up. Unknown supplies default to buprenorphine by mouth 7 days, injection 31, implant 180; naltrexone injection 31.', 'OTP enrollment periods (methadone), start through end date; an open enrollment runs to the period end.'],
    parameters: [
      days('treatmentDays', 'Treatment period', 'Days from the start that must be covered.', DEFAULTS.moud_continuity.treatmentDays, 30, 365),
      days('gapDays', 'Gap that ends continuity', 'This many consecutive days without medication breaks continuity.', DEFAULTS.moud_continuity.gapDays, 2, 60),
      days('priorFreeDays', 'Days without medication before a start', 'A start needs no medication in this many prior days.', DEFAULTS.moud_continuity.priorFreeDays, 1, 180),
    ],
  },
  {
    id: 'retention',
    group: 4,
    title: 'Retention in peer services',
    summary: 'How many enrollments still had contact with their coach at 30, 60, 90 and 180 days, and how long people stayed in contact.',
    numerator: 'Episodes with a contact that reached the person on day N−29 through day N after enrollment.',
    denominator: 'Episodes enrolled at least N days before the period end whose day N falls in the period (so each enrollment counts once for each N). Episodes discharged before day N stay in the denominator.',
    windows: 'N = 30, 60, 90, 180; the contact window is the 30 days ending on day N. Curve: days from enrollment to loss of contact, where loss is dated at the last reached contact before a 60-day silence or a discharge for lost contact.',
    exclusions: ['Curve: open episodes are censored at their last reached contact (loss, if it comes, is dated there); episodes discharged for any other reason are censored at discharge. Follow-up ends at the period end.'],
    dataSources: ['Episodes (enrollment, discharge date and reason)', 'Encounters that reached the person'],
    parameters: [
      days('days', 'Days after enrollment', 'The days N at which retention is measured.', DEFAULTS.retention.days, 30, 730),
      days('contactWindowDays', 'Contact window', 'A reached contact in this many days ending on day N counts.', DEFAULTS.retention.contactWindowDays, 7, 90),
      days('silenceDays', 'Silence that means loss of contact', 'This many days without a reached contact.', DEFAULTS.retention.silenceDays, 14, 180),
    ],
  },
  {
    id: 'use_and_overdose',
    group: 5,
    title: 'Return to use and overdose',
    summary: 'Returns to use and overdoses per 100 participant-months in the program, in the first 90 days and after.',
    numerator: 'Return-to-use events, non-fatal overdoses and fatal overdoses (counted separately) that happened while enrolled, in the period.',
    denominator: 'Participant-months enrolled in the period (enrolled days ÷ 30.4375), split at day 90 of each episode.',
    windows: 'Days 0–89 of an episode are "first 90 days"; day 90 on is "after".',
    exclusions: ['Events outside an enrollment.', 'Days covered by two episodes of one participant count once (in the earlier episode).'],
    dataSources: ['Life events: return to use, overdose (fatal marked)', 'Episodes'],
    parameters: [days('earlyDays', 'First phase', 'Days from enrollment counted as the first phase.', DEFAULTS.use_and_overdose.earlyDays, 7, 365)],
  },
  {
    id: 'ed_revisits',
    group: 6,
    title: 'ED revisits',
    summary: 'After an ED visit where a peer met the person, how often they were back in the ED within 30 and 90 days.',
    numerator: 'Index visits followed by another ED visit on day 1 through day N.',
    denominator: 'ED visits in the period where a peer met the person at the bedside. A visit whose N-day window ends after the period end is left out of that rate and listed as pending.',
    windows: 'Day 1 through day N after the index visit, N = 30 and 90.',
    exclusions: ['A second ED record on the same day is not a revisit.'],
    dataSources: [ED_VISIT_SOURCE, 'Bedside encounters'],
    parameters: [days('windows', 'Windows', 'Days after the index visit.', DEFAULTS.ed_revisits.windows, 1, 365)],
  },
  {
    id: 'recovery_capital',
    group: 7,
    title: 'Recovery capital (BARC-10)',
    summary: 'Change in BARC-10 from the first to the latest response, and how many moved from under 47 to 47 or more.',
    numerator: 'Change: latest total minus baseline total. Crossing: participants whose baseline was under 47 and whose latest total is 47 or more.',
    denominator: 'Participants with a latest BARC-10 in the period and an earlier baseline (their first BARC-10). Crossing: those of them whose baseline was under 47.',
    windows: 'Baseline: the first response ever; latest: the last response on or before the period end, which must fall in the period and on a later day than the baseline.',
    exclusions: ['Participants with a single response.'],
    dataSources: ['BARC-10 responses (total 10–60; 47 or more predicts sustained remission, Vilsaint et al. 2017)'],
    parameters: [{ key: 'threshold', label: 'Threshold', description: 'The total counted as crossing.', unit: 'score', default: DEFAULTS.recovery_capital.threshold, min: 10, max: 60, integer: true }],
  },
  {
    id: 'contacts_per_month',
    group: 8,
    title: 'Contacts per participant-month',
    summary: 'How often coaches reached the people enrolled.',
    numerator: 'Contacts that reached the person, during an enrollment, in the period.',
    denominator: 'Participant-months enrolled in the period (enrolled days ÷ 30.4375).',
    windows: 'The period.',
    exclusions: ['Attempts that did not reach the person (counted separately).'],
    dataSources: ['Encounters', 'Episodes'],
    parameters: [],
  },
  {
    id: 'outreach_success',
    group: 8,
    title: 'Outreach success rate',
    summary: 'Of the times a coach reached out, how often the person was reached.',
    numerator: 'Outreach contacts that reached the person.',
    denominator: 'Outreach contacts in the period: follow-ups, check-ins and outreach attempts, reached or not.',
    windows: 'The period.',
    exclusions: ['ED bedside, group, crisis and care-coordination encounters.'],
    dataSources: ['Encounters'],
    parameters: [],
  },
  {
    id: 'referrals_by_status',
    group: 8,
    title: 'Referrals by status',
    summary: 'Referrals made in the period, by where they stand now.',
    numerator: 'Referrals in each status.',
    denominator: 'Referrals made in the period.',
    windows: 'The period (by the day the referral was made).',
    exclusions: [],
    dataSources: ['Referrals'],
    parameters: [],
  },
  {
    id: 'referral_to_visit',
    group: 8,
    title: 'Days from referral to first attended visit',
    summary: 'How long people waited between a referral and their first visit.',
    numerator: 'Median days from the day a referral was made to its first attended appointment.',
    denominator: 'Referrals made in the period with an attended appointment (those without one are listed).',
    windows: 'The period (by the day the referral was made).',
    exclusions: ['Referrals with no attended appointment yet.'],
    dataSources: ['Referrals', 'Appointments booked for a referral'],
    parameters: [],
  },
  {
    id: 'ed_response_time',
    group: 8,
    title: 'ED response time',
    summary: 'Minutes from the request for a peer to the peer arriving at the bedside.',
    numerator: 'Median minutes from request to arrival.',
    denominator: 'ED visits in the period with both times recorded (an arrival before the request is listed for correction, not counted).',
    windows: 'The period.',
    exclusions: ['Visits without both times.'],
    dataSources: ['ED visit records'],
    parameters: [],
  },
  {
    id: 'federal_follow_up',
    group: 8,
    title: 'Federal 6-month follow-up completion',
    summary: 'Of the 6-month follow-up interviews that came due, how many were done inside their window, against the 80% target.',
    numerator: 'Intakes with a 6-month follow-up interview inside the window: 30 days before to 60 days after the due date.',
    denominator: 'Intakes whose due date (intake + 6 months; a month end clamps, Aug 31 → Feb 28 or 29) is in the period and whose window has closed by the period end. Those with an open window are listed as pending.',
    windows: 'Due date − 30 days through due date + 60 days, both included.',
    exclusions: ['Interviews outside the window are not counted.'],
    dataSources: ['Federal interviews (intake and 6-month follow-up)'],
    parameters: [
      { key: 'dueMonths', label: 'Due after', description: 'Months from intake to the follow-up.', unit: 'months', default: DEFAULTS.federal_follow_up.dueMonths, min: 1, max: 24, integer: true },
      days('windowBeforeDays', 'Window opens', 'Days before the due date.', DEFAULTS.federal_follow_up.windowBeforeDays, 0, 90),
      days('windowAfterDays', 'Window closes', 'Days after the due date.', DEFAULTS.federal_follow_up.windowAfterDays, 0, 180),
      { key: 'target', label: 'Target', description: 'The share of follow-ups to complete.', unit: 'share', default: DEFAULTS.federal_follow_up.target, min: 0, max: 1, integer: false },
    ],
  },
  {
    id: 'cost_model',
    group: 9,
    title: 'Cost model (an estimate)',
    summary:
      'An estimate, not an accounting: what peer support cost in peer hours, and what fewer ED revisits than the program\'s baseline may have saved, from the unit costs the program sets (program settings).',
    numerator: 'Peer hours: the recorded durations of the period\'s encounters (contacts and attempts), summed; program cost = peer hours × the cost of a peer hour. Revisits avoided = baseline 30-day ED revisit rate × index ED visits − revisits observed within 30 days (the ED revisits measure); costs avoided = revisits avoided × the cost of an ED visit; net = program cost − costs avoided.',
    denominator: 'Encounters with a recorded duration (peer hours); index ED visits of the ED revisits measure (revisits avoided).',
    windows: 'The period; ED revisits within 30 days of the index visit.',
    exclusions: [
      'Encounters without a recorded duration add no hours (the hours are a floor); they are counted as missing.',
      'Assumes the baseline rate describes people like these without peer support, and that the whole difference is the program\'s doing.',
      'The cost of an inpatient day is shown with the settings but not used yet: admissions carry no length of stay.',
      'Uses the costs of the program chosen in the filters, or of the organization\'s only program; empty until they are set.',
    ],
    dataSources: ['Encounters (durations)', ED_VISIT_SOURCE, 'Program settings: cost of an ED visit, an inpatient day and a peer hour; baseline 30-day ED revisit rate'],
    parameters: [],
  },
];

export function measureDefinition(id: MeasureId): MeasureDefinition {
  return MEASURE_DEFINITIONS.find((d) => d.id === id)!;
}

/**
 * A program's parameters for one measure: the defaults, with each given value checked against its
 * definition (a wrong one is 400 naming `parameters.<key>`). Unknown keys are refused too.
 */
export function resolveParameters<M extends MeasureId>(id: M, given: Readonly<Record<string, unknown>> = {}): ParamsOf[M] {
  const def = measureDefinition(id);
  const out: Record<string, number | readonly number[]> = {};
  for (const key of Object.keys(given)) {
    if (!def.parameters.some((p) => p.key === key)) throw errors.invalid(`parameters.${key}`, `This measure has no setting called ${key}`);
  }
  for (const p of def.parameters) {
    const value = given[p.key] ?? p.default;
    out[p.key] = checkParameter(p, value);
  }
  // The keys are the definition's parameter keys, which the tests hold equal to ParamsOf[M]'s.
  return out as unknown as ParamsOf[M];
}

function checkParameter(p: ParameterDefinition, value: unknown): number | readonly number[] {
  const path = `parameters.${p.key}`;
  const ok = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && (!p.integer || Number.isInteger(v)) && v >= p.min && v <= p.max;
  const words = `Enter ${p.integer ? 'a whole number' : 'a number'} from ${p.min} to ${p.max}`;
  if (Array.isArray(p.default)) {
    if (!Array.isArray(value) || value.length === 0 || value.length > 6) throw errors.invalid(path, `${words}, one to six values`);
    if (!value.every(ok)) throw errors.invalid(path, `${words} for each value`);
    return [...new Set(value)].sort((a, b) => a - b);
  }
  if (!ok(value)) throw errors.invalid(path, words);
  return value;
}
