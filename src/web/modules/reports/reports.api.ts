/**
 * Requests of the reports pages, and the dashboard's filters as they live in the address
 * (`?period=this_quarter&programId=…`), so a view can be bookmarked, shared and printed.
 * Types only from the contract: zod stays out of the bundle.
 */
import type { z } from 'zod';
import type { MeasureCase, MeasureCasesResponse, MeasureFigure, MeasureResult, MeasuresResponse } from '../../../contracts/measures';
import type { ProgramList, SiteList } from '../../../contracts/organizations';
import type { UserList } from '../../../contracts/users';
import { api } from '../../app/api';

export type MeasuresT = MeasuresResponse;
export type MeasureT = MeasureResult;
export type FigureT = MeasureFigure;
export type CasesT = MeasureCasesResponse;
export type CaseT = MeasureCase;

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
  };
}

/** The filters as the address keeps them (empty ones left out). */
export function filtersSearch(f: Filters): URLSearchParams {
  const out = new URLSearchParams({ period: f.period });
  if (f.period === 'custom') {
    out.set('from', f.from);
    out.set('to', f.to);
  }
  for (const k of ['programId', 'siteId', 'coachUserId'] as const) if (f[k]) out.set(k, f[k]);
  return out;
}

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
  for (const k of ['programId', 'siteId', 'coachUserId'] as const) if (f[k]) out.set(k, f[k]);
  return out;
}

const enc = encodeURIComponent;

export const reportKeys = {
  measures: (query: string) => ['measures', query] as const,
  cases: (measureId: string, query: string) => ['measures', measureId, 'cases', query] as const,
  programs: ['programs'] as const,
  sites: ['sites'] as const,
  users: ['users'] as const,
};

export const getMeasures = (query: URLSearchParams) => api.get<MeasuresT>(`/api/v1/measures?${query.toString()}`);
export const getCases = (measureId: string, query: URLSearchParams) => api.get<CasesT>(`/api/v1/measures/${enc(measureId)}/cases?${query.toString()}`);
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
