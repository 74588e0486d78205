/**
 * Monthly trends (issue 7: "monthly trends" on the dashboard): chosen figures for each calendar
 * month of the period (the first and last month clipped to the period).
 *
 * - Shares and counts: the whole period is computed once, and each unit counts in the month of
 *   its own date — the index event of linkage, the ED visit of follow-up and revisits, the
 *   treatment start of continuity, the encounter of outreach, the referral's day. So a month's
 *   30-day linkage rate is that of the index events of that month, each with its full window
 *   (read up to the period end), and the months add up to the whole period's figure. Units whose
 *   window is not over by the period end are pending, as in the whole figure, and in no month.
 * - Event rates (contacts per participant-month, returns to use…): computed for each month on its
 *   own, events and participant-months of that month.
 * - Medians, means, survival and the cost model's amounts are not trended (a 400 names
 *   `query.figures`).
 * - Small cells, for a role without record access: a share's months form a table months × in/out
 *   whose margins are the whole period's figure, suppressed as a whole (measures.suppress.ts), so
 *   neither the months nor the dashboard's figure give a hidden month away; counts and event
 *   counts are one breakdown over the months.
 */
import type { MeasureTrendPoint, MeasureTrendSeries } from '../../../contracts/measures.js';
import { errors } from '../../platform/errors.js';
import { computeContactsPerMonth, computeUseAndOverdose, type UseAndOverdoseResult } from './measures.compute.js';
import { addDays, addMonths, type Period } from './measures.dates.js';
import type { MeasureId } from './measures.definitions.js';
import type { ParticipantFacts } from './measures.facts.js';
import { casesOf, figuresOf, isMeasureId, type AllParams, type Computed, type FullFigure } from './measures.results.js';
import { wilsonInterval, type EventRateResult } from './measures.stats.js';
import { suppressBreakdown, suppressTable } from './measures.suppress.js';

export interface Month {
  month: string;
  from: string;
  to: string;
}

/** The calendar months of a period, the first and last clipped to it. */
export function monthsOf(period: Period): Month[] {
  const out: Month[] = [];
  let first = `${period.from.slice(0, 7)}-01`;
  while (first <= period.to) {
    const next = addMonths(first, 1);
    const last = addDays(next, -1);
    out.push({ month: first.slice(0, 7), from: first < period.from ? period.from : first, to: last > period.to ? period.to : last });
    first = next;
  }
  return out;
}

const TRENDED = new Set(['share', 'count', 'event_rate']);

/** The figures named `measure.figure`, checked (400 naming `query.figures`). */
export function resolveTrendFigures(names: readonly string[], all: Record<MeasureId, FullFigure[]>): { measureId: MeasureId; figure: FullFigure }[] {
  return names.map((name) => {
    const dot = name.indexOf('.');
    const measureId = name.slice(0, dot);
    const key = name.slice(dot + 1);
    if (!isMeasureId(measureId)) throw errors.invalid('query.figures', `There is no measure called ${measureId}`);
    const figure = all[measureId].find((f) => f.key === key);
    if (!figure) throw errors.invalid('query.figures', `The measure ${measureId} has no figure called ${key}`);
    if (!TRENDED.has(figure.kind)) throw errors.invalid('query.figures', `Choose a share, a count or a rate: ${name} is a ${figure.kind}`);
    return { measureId, figure };
  });
}

const point = (month: string, numerator: number, denominator: number | null, rate: number | null, lower: number | null, upper: number | null): MeasureTrendPoint => ({ month, numerator, denominator, rate, lower, upper, suppressed: false });

/** The event rate of one month (contacts per participant-month, returns to use and overdoses). */
function monthEventRate(measureId: MeasureId, key: string, people: readonly ParticipantFacts[], month: Period, params: AllParams): EventRateResult | undefined {
  if (measureId === 'contacts_per_month') {
    const r = computeContactsPerMonth(people, month);
    return key === 'contacts' ? r.contacts : key === 'attempts' ? r.attempts : undefined;
  }
  if (measureId === 'use_and_overdose') {
    const [kind, phase] = key.split('.') as [keyof UseAndOverdoseResult['rates'], 'first' | 'after' | 'total'];
    return computeUseAndOverdose(people, month, params.use_and_overdose).rates[kind]?.[phase];
  }
  return undefined;
}

function seriesPoints(measureId: MeasureId, figure: FullFigure, computed: Computed, people: readonly ParticipantFacts[], months: readonly Month[], params: AllParams): MeasureTrendPoint[] {
  if (figure.kind === 'event_rate') {
    return months.map((m) => {
      const r = monthEventRate(measureId, figure.key, people, m, params);
      return r ? point(m.month, r.events, r.personMonths, r.rate, r.interval?.lower ?? null, r.interval?.upper ?? null) : point(m.month, 0, null, null, null, null);
    });
  }
  const numerator = new Map<string, number>();
  const denominator = new Map<string, number>();
  for (const c of casesOf(measureId, computed, people, { figure: figure.key })) {
    const membership = c.figures.find((f) => f.key === figure.key)?.membership;
    const month = c.on.slice(0, 7);
    if (membership === 'numerator') numerator.set(month, (numerator.get(month) ?? 0) + 1);
    if (membership === 'numerator' || membership === 'denominator') denominator.set(month, (denominator.get(month) ?? 0) + 1);
  }
  return months.map((m) => {
    const x = numerator.get(m.month) ?? 0;
    if (figure.kind === 'count') return point(m.month, x, null, null, null, null);
    const n = denominator.get(m.month) ?? 0;
    const ci = wilsonInterval(x, n);
    return point(m.month, x, n, n ? x / n : null, ci?.lower ?? null, ci?.upper ?? null);
  });
}

const hidden = (p: MeasureTrendPoint): MeasureTrendPoint => ({ ...p, numerator: null, rate: null, lower: null, upper: null, suppressed: true });

/** A series for a role without record access (see the header). */
export function suppressSeries(kind: string, points: MeasureTrendPoint[]): MeasureTrendPoint[] {
  if (kind === 'share') {
    const t = suppressTable(points.map((p) => [p.numerator ?? 0, (p.denominator ?? 0) - (p.numerator ?? 0)]));
    return points.map((p, i) => {
      const out = { ...p, numerator: t.cells[i]![0]!, denominator: t.rowTotals[i]! };
      return out.numerator === null ? { ...hidden(out), denominator: out.denominator } : { ...out, suppressed: out.denominator === null };
    });
  }
  const b = suppressBreakdown(Object.fromEntries(points.map((p) => [p.month, p.numerator ?? 0])));
  return points.map((p) => (b.counts[p.month] === null ? { ...hidden(p), denominator: kind === 'event_rate' ? null : p.denominator } : p));
}

export function computeTrends(people: readonly ParticipantFacts[], period: Period, params: AllParams, computed: Computed, names: readonly string[], o: { suppress: boolean }): { months: Month[]; series: MeasureTrendSeries[] } {
  const months = monthsOf(period);
  const chosen = resolveTrendFigures(names, figuresOf(computed));
  const series = chosen.map(({ measureId, figure }) => {
    const points = seriesPoints(measureId, figure, computed, people, months, params);
    return {
      measureId,
      figure: figure.key,
      label: figure.label,
      kind: figure.kind,
      ...(figure.per !== undefined && { per: figure.per }),
      points: o.suppress ? suppressSeries(figure.kind, points) : points,
    };
  });
  return { months, series };
}
