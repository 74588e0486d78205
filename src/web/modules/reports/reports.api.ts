/**
 * Requests of the reports pages, and the dashboard's filters as they live in the address
 * (`?period=this_quarter&programId=…`), so a view can be bookmarked, shared and printed.
 * Types only from the contract: zod stays out of the bundle.
 */
import type { z } from 'zod';
import type { MeasureBreakdown, MeasureCase, MeasureCasesResponse, MeasureFigure, MeasurePopulation, MeasureResult, MeasuresResponse, MeasureTrendsResponse } from '../../../contracts/measures';
import type { ProgramList, SiteList } from '../../../contracts/organizations';
import type { UserList } from '../../../contracts/users';
import type { FunderReport } from '../../../contracts/measures-report';
import { api } from '../../app/api';

export type MeasuresT = MeasuresResponse;
export type MeasureT = MeasureResult;
export type FigureT = MeasureFigure;
export type CasesT = MeasureCasesResponse;
export type CaseT = MeasureCase;
export type TrendsT = MeasureTrendsResponse;
export type TrendSeriesT = MeasureTrendsResponse['series'][number];

/** The contract's lists, repeated here so zod stays out of the bundle (checked against the types). */
export const POPULATIONS = ['pregnant_or_postpartum', 'youth', 'justice_involved', 'veteran'] as const satisfies readonly MeasurePopulation[];
export const BREAKDOWNS = ['race', 'ethnicity', 'sex', 'age_band', 'insurance'] as const satisfies readonly MeasureBreakdown[];

export const PERMISSIONS = { read: 'measures.read', cases: 'measures.cases' } as const;

export const PERIODS = ['this_quarter', 'last_quarter', 'this_year', 'last_12_months', 'custom'] as const;
export type PeriodChoice = (typeof PERIODS)[number];
export const CASE_SETS = ['numerator', 'denominator', 'pending'] as const;
export type CaseSet = (typeof CASE_SETS)[number];

/** What the dashboard shows, read from the address. */
export interface Filters {
  period: PeriodChoice;
  /** Only for `custom`: the dates as typed (checked before asking). */
  from: string;
  to: string;
  programId: string;
  siteId: string;
  coachUserId: string;
  /** A special population, or '' for everyone. */
  population: string;
  /** A breakdown (race, ethnicity…), or '' for none. */
  breakdown: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (y: number, m: number, d: number) => `${String(y).padStart(4, '0')}-${pad(m)}-${pad(d)}`;
const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** The calendar date (YYYY-MM-DD) of an instant in a time zone (the organization's). */
export function todayIn(timeZone: string | undefined, now: Date = new Date()): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  } catch {
    return now.toISOString().slice(0, 10);
  }
}

export const isDate = (s: string): boolean => DATE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

/** The day before a date. */
export const dayBefore = (date: string): string => new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

const nextDay = (date: string): string => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The same day n months later (the month's last day when it has no such day). */
export function addMonths(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + n;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return ymd(year, month, Math.min(d, daysIn(year, month)));
}

/**
 * The dates of a period choice, as of `today` (local to the organization). Periods that have
 * not ended stop today: a window that has not happened yet is not a miss.
 */
export function periodDates(choice: Exclude<PeriodChoice, 'custom'>, today: string): { from: string; to: string } {
  const [y, m] = today.split('-').map(Number) as [number, number];
  const quarterStart = Math.floor((m - 1) / 3) * 3 + 1;
  switch (choice) {
    case 'this_quarter':
      return { from: ymd(y, quarterStart, 1), to: today };
    case 'last_quarter': {
      const from = addMonths(ymd(y, quarterStart, 1), -3);
      return { from, to: dayBefore(ymd(y, quarterStart, 1)) };
    }
    case 'this_year':
      return { from: ymd(y, 1, 1), to: today };
    case 'last_12_months':
      return { from: nextDay(addMonths(today, -12)), to: today };
  }
}

export function readFilters(params: URLSearchParams): Filters {
  const asked = params.get('period') ?? '';
  const period = (PERIODS as readonly string[]).includes(asked) ? (asked as PeriodChoice) : 'this_quarter';
  return {
    period,
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    programId: params.get('programId') ?? '',
    siteId: params.get('siteId') ?? '',
    coachUserId: params.get('coachUserId') ?? '',
    population: oneOf(POPULATIONS, params.get('population')),
    breakdown: oneOf(BREAKDOWNS, params.get('breakdown')),
  };
}

const oneOf = (list: readonly string[], v: string | null): string => (v && list.includes(v) ? v : '');

/** The filters as the address keeps them (empty ones left out). */
export function filtersSearch(f: Filters): URLSearchParams {
  const out = new URLSearchParams({ period: f.period });
  if (f.period === 'custom') {
    out.set('from', f.from);
    out.set('to', f.to);
  }
  for (const k of FILTER_KEYS) if (f[k]) out.set(k, f[k]);
  return out;
}

const FILTER_KEYS = ['programId', 'siteId', 'coachUserId', 'population', 'breakdown'] as const;

export type CustomProblem = { field: 'from' | 'to'; problem: 'missing' | 'order' | 'tooLong' };

/** What is wrong with a custom period, if anything (the server checks again). */
export function customProblem(from: string, to: string): CustomProblem | null {
  if (!isDate(from)) return { field: 'from', problem: 'missing' };
  if (!isDate(to)) return { field: 'to', problem: 'missing' };
  if (from > to) return { field: 'to', problem: 'order' };
  if (to >= addMonths(from, 60)) return { field: 'to', problem: 'tooLong' };
  return null;
}

/** The query the API takes, or null while a custom period is incomplete. */
export function apiQuery(f: Filters, today: string): URLSearchParams | null {
  let dates: { from: string; to: string };
  if (f.period === 'custom') {
    if (customProblem(f.from, f.to)) return null;
    dates = { from: f.from, to: f.to };
  } else {
    dates = periodDates(f.period, today);
  }
  const out = new URLSearchParams(dates);
  for (const k of FILTER_KEYS) if (f[k]) out.set(k, f[k]);
  return out;
}

/** The same query without the breakdown (trends and the drill-down take none). */
export function withoutBreakdown(query: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams(query);
  out.delete('breakdown');
  return out;
}

const enc = encodeURIComponent;

export const reportKeys = {
  measures: (query: string) => ['measures', query] as const,
  cases: (measureId: string, query: string) => ['measures', measureId, 'cases', query] as const,
  trends: (query: string) => ['measures', 'trends', query] as const,
  programs: ['programs'] as const,
  sites: ['sites'] as const,
  users: ['users'] as const,
};

export const getMeasures = (query: URLSearchParams) => api.get<MeasuresT>(`/api/v1/measures?${query.toString()}`);
export const getTrends = (query: URLSearchParams) => api.get<TrendsT>(`/api/v1/measures/trends?${withoutBreakdown(query).toString()}`);
export const getCases = (measureId: string, query: URLSearchParams) => api.get<CasesT>(`/api/v1/measures/${enc(measureId)}/cases?${withoutBreakdown(query).toString()}`);
export const listPrograms = async () => (await api.get<z.infer<typeof ProgramList>>('/api/v1/programs')).programs;
export const listSites = async () => (await api.get<z.infer<typeof SiteList>>('/api/v1/sites')).sites;
export const listUsers = async () => (await api.get<z.infer<typeof UserList>>('/api/v1/users')).users;

/** The drill-down behind one figure, with the dashboard's filters. */
export function casesPath(measureId: string, f: Filters, figure?: string, set?: CaseSet): string {
  const q = filtersSearch(f);
  if (figure) q.set('figure', figure);
  if (figure && set) q.set('set', set);
  return `/reports/${enc(measureId)}/cases?${q.toString()}`;
}

export const dashboardPath = (f: Filters): string => `/reports?${filtersSearch(f).toString()}`;

// ---- the funder report (/reports/funder) and the files (FunderReportPage.tsx)

export type FunderReportT = FunderReport;

export const FUNDER_QUARTER = /^([12]\d{3})-Q([1-4])$/;

/** The quarter a local date falls in: 2026-08-14 → 2026-Q3. */
export const quarterOf = (date: string): string => `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;

/** A quarter's first and last day. */
export function quarterRange(quarter: string): { from: string; to: string } | null {
  const m = FUNDER_QUARTER.exec(quarter);
  if (!m) return null;
  const y = Number(m[1]);
  const first = (Number(m[2]) - 1) * 3 + 1;
  return { from: ymd(y, first, 1), to: ymd(y, first + 2, daysIn(y, first + 2)) };
}

/** This quarter and the `n` before it, newest first. */
export function recentQuarters(today: string, n = 8): string[] {
  const out: string[] = [];
  let from = quarterRange(quarterOf(today))!.from;
  for (let i = 0; i <= n; i++) {
    out.push(quarterOf(from));
    from = addMonths(from, -3);
  }
  return out;
}

/** What the funder report shows, read from the address: a quarter, or dates; and a program. */
export interface FunderChoice {
  quarter: string;
  from: string;
  to: string;
  programId: string;
}

/** The choice in the address; with neither a quarter nor dates, the last quarter that has ended. */
export function readFunderChoice(params: URLSearchParams, today: string): FunderChoice {
  const quarter = params.get('quarter') ?? '';
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const programId = params.get('programId') ?? '';
  if (FUNDER_QUARTER.test(quarter)) return { quarter, from: '', to: '', programId };
  if (isDate(from) && isDate(to)) return { quarter: '', from, to, programId };
  return { quarter: recentQuarters(today, 1)[1]!, from: '', to: '', programId };
}

/** The query of the report's API (and of the PDF). */
export function funderQuery(c: FunderChoice): URLSearchParams {
  const q = c.quarter ? new URLSearchParams({ quarter: c.quarter }) : new URLSearchParams({ from: c.from, to: c.to });
  if (c.programId) q.set('programId', c.programId);
  return q;
}

/** The funder report for what the dashboard shows: its quarter when it shows one, else its dates. */
export function funderPath(f: Filters, period: { from: string; to: string }): string {
  const quarter = quarterOf(period.from);
  const range = quarterRange(quarter)!;
  const whole = f.period === 'this_quarter' || (period.from === range.from && period.to === range.to);
  return `/reports/funder?${funderQuery({ quarter: whole ? quarter : '', from: period.from, to: period.to, programId: f.programId }).toString()}`;
}

export const getFunderReport = (query: URLSearchParams) => api.get<FunderReportT>(`/api/v1/measures/report?${query.toString()}`);
export const funderPdfUrl = (query: URLSearchParams, paper: 'letter' | 'a4') => `/api/v1/measures/report.pdf?${query.toString()}${paper === 'a4' ? '&paper=a4' : ''}`;
export const measuresCsvUrl = (period: { from: string; to: string }, programId: string) =>
  `/api/v1/measures.csv?${new URLSearchParams({ ...period, ...(programId && { programId }) }).toString()}`;
