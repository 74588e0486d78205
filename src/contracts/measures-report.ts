/**
 * The quarterly funder report and the measures as CSV (issue 7, "Dashboard and reports").
 *
 * - The report's query: the caller's organization (from the session), a quarter (`2026-Q3`) or a
 *   period of local dates (`from`, `to`), and an optional program. A quarter that has not ended
 *   stops today (a window that has not happened yet is not a miss); one that has not started is
 *   refused (400 naming `query.quarter`).
 * - The report (`FunderReport`): what the web page and the PDF both show — the period, the
 *   organization and program names, every measure with its figures, intervals, definition,
 *   comparisons and target, whether small cells were hidden, and the date it was made.
 * - The CSV takes the same query as `GET /api/v1/measures` (MeasuresQuery) and has one row per
 *   figure, with the columns in `MEASURES_CSV_COLUMNS`.
 */
import { z } from 'zod';
import { Id } from './common.js';
import { IsoDate } from './participants.js';
import { plusMonths } from './checkins.js';
import { MAX_PERIOD_YEARS, MeasureResult } from './measures.js';

/** Said on every funder report: these are not HEDIS results, and nothing claims they are. */
export const FUNDER_REPORT_STATEMENT = "These figures are computed by Lodestar from the program's records; they are not HEDIS results.";

/** Said when counts under 11 were hidden. */
export const FUNDER_REPORT_SUPPRESSION_NOTE = 'Counts under 11, and any figure that would let one be worked out, are hidden to protect privacy ("fewer than 11").';

export const QUARTER = /^([12]\d{3})-Q([1-4])$/;

/** The first and last day of a quarter (`2026-Q3` → 2026-07-01 … 2026-09-30). */
export function quarterDates(quarter: string): { from: string; to: string } | null {
  const m = QUARTER.exec(quarter);
  if (!m) return null;
  const year = Number(m[1]);
  const first = (Number(m[2]) - 1) * 3 + 1;
  const from = `${m[1]}-${String(first).padStart(2, '0')}-01`;
  const lastMonth = first + 2;
  const lastDay = new Date(Date.UTC(year, lastMonth, 0)).getUTCDate();
  return { from, to: `${m[1]}-${String(lastMonth).padStart(2, '0')}-${String(lastDay).padStart(2, '0')}` };
}

/** The quarter a local date falls in (`2026-08-14` → `2026-Q3`). */
export function quarterOf(date: string): string {
  const month = Number(date.slice(5, 7));
  return `${date.slice(0, 4)}-Q${Math.floor((month - 1) / 3) + 1}`;
}

const reportFields = {
  /** A calendar quarter, like 2026-Q3 (local dates of the organization). */
  quarter: z.string().regex(QUARTER, 'Enter a quarter like 2026-Q3').optional(),
  /** Instead of a quarter: the first and last day of the period. */
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  programId: Id.optional(),
};

type ReportFields = { quarter?: string | undefined; from?: string | undefined; to?: string | undefined };
const checkReport = (q: ReportFields, ctx: z.RefinementCtx) => {
  const dates = q.from !== undefined || q.to !== undefined;
  if (q.quarter !== undefined && dates) ctx.addIssue({ code: 'custom', path: ['quarter'], message: 'Choose a quarter or a start and end date, not both' });
  else if (q.quarter === undefined && !dates) ctx.addIssue({ code: 'custom', path: ['quarter'], message: 'Choose a quarter, like 2026-Q3, or a start and end date' });
  else if (dates) {
    if (q.from === undefined) ctx.addIssue({ code: 'custom', path: ['from'], message: 'Enter a start date like 2026-07-01' });
    else if (q.to === undefined) ctx.addIssue({ code: 'custom', path: ['to'], message: 'Enter an end date like 2026-09-30' });
    else if (q.from > q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'Choose an end date on or after the start date' });
    else if (q.to >= plusMonths(q.from, MAX_PERIOD_YEARS * 12)) ctx.addIssue({ code: 'custom', path: ['to'], message: `Choose a period of at most ${MAX_PERIOD_YEARS} years` });
  }
};

export const FunderReportQuery = z.object(reportFields).superRefine(checkReport);
export type FunderReportQuery = z.output<typeof FunderReportQuery>;

export const PAPER_SIZES = ['letter', 'a4'] as const;

/** The PDF's query: the report's, and the paper size (US Letter unless A4 is asked for). */
export const FunderReportPdfQuery = z
  .object({ ...reportFields, paper: z.enum(PAPER_SIZES, { message: 'Choose letter or a4' }).default('letter') })
  .superRefine(checkReport);
export type FunderReportPdfQuery = z.output<typeof FunderReportPdfQuery>;

export const FunderReport = z.object({
  organization: z.object({ name: z.string() }),
  program: z.object({ id: z.string(), name: z.string() }).nullable(),
  period: z.object({
    from: z.string(),
    to: z.string(),
    /** The quarter asked for, or null for a period of dates. */
    quarter: z.string().nullable(),
    /** The quarter has not ended: the figures stop at `to` (today). */
    toDate: z.boolean(),
  }),
  timeZone: z.string(),
  /** The local date the report was made. */
  madeOn: z.string(),
  /** `team`: a supervisor's teams' participants only. */
  scope: z.enum(['organization', 'team']),
  /** Counts under 11 are hidden (a role without record access). */
  suppressed: z.boolean(),
  participants: z.number().nullable(),
  measures: z.array(MeasureResult),
  /** The statement every report carries, and the suppression note when small cells were hidden. */
  notes: z.object({ statement: z.string(), suppression: z.string().nullable() }),
});
export type FunderReport = z.infer<typeof FunderReport>;

/**
 * The columns of the measures CSV, in order: one row per figure (`group` empty) and, with a
 * breakdown, one more row per group of each figure (`breakdown` and `group` set; the figure's
 * other columns — per, pending, target… — are the whole figure's and are left empty there).
 */
export const MEASURES_CSV_COLUMNS = [
  'period_from',
  'period_to',
  'measure_id',
  'measure_title',
  'figure_key',
  'figure_label',
  'breakdown',
  'group',
  'kind',
  'unit',
  'numerator',
  'denominator',
  'rate',
  'lower',
  'upper',
  'per',
  'pending',
  'in_progress',
  'missing',
  'target',
  'suppressed',
] as const;
