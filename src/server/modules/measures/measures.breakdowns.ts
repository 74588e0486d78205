/**
 * Breakdowns (issue 7: "breakdowns by race, ethnicity, sex, age band and insurance, with small
 * cells (under 11) suppressed in anything exported or shown to roles without record access").
 *
 * - Groups: each participant falls in exactly one group of a breakdown (the contract's
 *   BREAKDOWN_GROUPS, which says how race with several categories and "not recorded" count), so
 *   the groups of a figure add up to the figure. The values are the participant's as recorded now;
 *   the age band is the age on the first day of the period.
 * - Figures: every measure is computed again on each group's participants alone (the measure
 *   rules are per participant, so a group's figure is exactly its part of the whole).
 * - Small cells, for a role without record access: a share's numerators and "the rest of the
 *   denominator" form one table (groups × in/out, margins = the groups' denominators and the
 *   overall figure), suppressed as a whole with complementary cells (measures.suppress.ts), so
 *   neither a group's nor the overall numbers give a hidden cell away; counts and event counts
 *   are one breakdown over the groups with the overall count as its total; referrals by status
 *   are a table groups × statuses; medians, means and survival show a group's rate only where its
 *   number of units is shown. Pending, in-progress and missing counts are not broken down. The
 *   overall figure keeps only what both its own suppression and the table's leave visible.
 *   (Figures of one measure share units — the 7- and 30-day windows count the same visits — and
 *   each is suppressed on its own; as with the whole figures, relations between figures are not
 *   audited.)
 * - The cost model's amounts are not broken down.
 */
import { BREAKDOWN_GROUPS, type MeasureBreakdown, type MeasureFigure, type MeasureFigureGroup, type MeasureResult } from '../../../contracts/measures.js';
import type { Period } from './measures.dates.js';
import type { MeasureId } from './measures.definitions.js';
import type { DemographicsFact, ParticipantFacts } from './measures.facts.js';
import { computeMeasures, figuresOf, type AllParams, type FullFigure } from './measures.results.js';
import { suppressBreakdown, suppressTable } from './measures.suppress.js';

/** English names of the groups (the web app has its own, translated). */
export const GROUP_LABELS: Record<string, string> = {
  american_indian_or_alaska_native: 'American Indian or Alaska Native',
  asian: 'Asian',
  black_or_african_american: 'Black or African American',
  native_hawaiian_or_pacific_islander: 'Native Hawaiian or Other Pacific Islander',
  white: 'White',
  two_or_more: 'Two or more races',
  prefer_not_to_say: 'Prefers not to say',
  not_recorded: 'Not recorded',
  hispanic_or_latino: 'Hispanic or Latino',
  not_hispanic_or_latino: 'Not Hispanic or Latino',
  female: 'Female',
  male: 'Male',
  intersex: 'Intersex',
  under_18: 'Under 18',
  '18_25': '18 to 25',
  '26_34': '26 to 34',
  '35_44': '35 to 44',
  '45_54': '45 to 54',
  '55_64': '55 to 64',
  '65_plus': '65 and over',
  medicaid: 'Medicaid',
  medicare: 'Medicare',
  private: 'Private insurance',
  uninsured: 'Uninsured',
  pending_application: 'Application pending',
  other: 'Other insurance',
  unknown: 'Insurance unknown',
};

/** Whole years from `dateOfBirth` to `on` (a February 29 birthday comes on March 1 in other years). */
export function ageOn(dateOfBirth: string, on: string): number {
  const years = Number(on.slice(0, 4)) - Number(dateOfBirth.slice(0, 4));
  return on.slice(5) < dateOfBirth.slice(5) ? years - 1 : years;
}

function ageBand(age: number): string {
  if (age < 18) return 'under_18';
  if (age <= 25) return '18_25';
  if (age <= 34) return '26_34';
  if (age <= 44) return '35_44';
  if (age <= 54) return '45_54';
  if (age <= 64) return '55_64';
  return '65_plus';
}

const known = (by: MeasureBreakdown, value: string | null | undefined): string => (value && (BREAKDOWN_GROUPS[by] as readonly string[]).includes(value) ? value : 'not_recorded');

/** The group of one participant in a breakdown, for a period starting `periodFrom`. */
export function groupOf(by: MeasureBreakdown, d: DemographicsFact | undefined, periodFrom: string): string {
  if (!d) return 'not_recorded';
  switch (by) {
    case 'race': {
      const categories = [...new Set(d.race.filter((r) => r !== 'prefer_not_to_say' && known('race', r) !== 'not_recorded'))];
      if (categories.length > 1) return 'two_or_more';
      if (categories.length === 1) return categories[0]!;
      return d.race.includes('prefer_not_to_say') ? 'prefer_not_to_say' : 'not_recorded';
    }
    case 'ethnicity':
      return known(by, d.ethnicity);
    case 'sex':
      return known(by, d.sexAtBirth);
    case 'age_band':
      return d.dateOfBirth && d.dateOfBirth <= periodFrom ? ageBand(ageOn(d.dateOfBirth, periodFrom)) : 'not_recorded';
    case 'insurance':
      return known(by, d.insuranceType);
  }
}

export interface GroupFigures {
  key: string;
  participants: number;
  figures: Record<MeasureId, FullFigure[]>;
}

/** Every group of the breakdown (empty ones too), with its participants' figures. */
export function computeBreakdown(people: readonly ParticipantFacts[], period: Period, params: AllParams, by: MeasureBreakdown): GroupFigures[] {
  const members = new Map<string, ParticipantFacts[]>(BREAKDOWN_GROUPS[by].map((g) => [g, []]));
  for (const p of people) members.get(groupOf(by, p.demographics, period.from))!.push(p);
  return [...members].map(([key, list]) => ({ key, participants: list.length, figures: figuresOf(computeMeasures(list, period, params)) }));
}

const emptyGroup = (group: string): MeasureFigureGroup => ({ group, numerator: 0, denominator: 0, rate: null, lower: null, upper: null, suppressed: false });

const groupOfFigure = (group: string, f: FullFigure | undefined): MeasureFigureGroup =>
  f ? { group, numerator: f.numerator, denominator: f.denominator, rate: f.rate, lower: f.lower, upper: f.upper, suppressed: false } : emptyGroup(group);

const hideRate = (g: MeasureFigureGroup): MeasureFigureGroup => ({ ...g, rate: null, lower: null, upper: null, suppressed: true });

/** Keeps `shown` unless the table hid it (null wins: hiding more never uncovers anything). */
const both = (shown: number | null, table: number | null): number | null => (shown === null || table === null ? null : shown);

/** A figure's groups, suppressed for a role without record access; the overall figure narrowed to match. */
function suppressGroups(f: MeasureFigure, groups: MeasureFigureGroup[]): { figure: MeasureFigure; groups: MeasureFigureGroup[] } {
  switch (f.kind) {
    case 'share': {
      const t = suppressTable(groups.map((g) => [g.numerator ?? 0, (g.denominator ?? 0) - (g.numerator ?? 0)]));
      const figure = { ...f, numerator: both(f.numerator, t.columnTotals[0]!), denominator: both(f.denominator, t.total) };
      if (figure.numerator === null) Object.assign(figure, { rate: null, lower: null, upper: null });
      if (figure.numerator === null || figure.denominator === null) figure.suppressed = true;
      return {
        figure,
        groups: groups.map((g, i) => {
          const out = { ...g, numerator: t.cells[i]![0]!, denominator: t.rowTotals[i]! };
          return out.numerator === null ? hideRate({ ...out }) : { ...out, suppressed: out.denominator === null };
        }),
      };
    }
    case 'count':
    case 'event_rate': {
      const b = suppressBreakdown(Object.fromEntries(groups.map((g) => [g.group, g.numerator ?? 0])));
      const figure = { ...f, numerator: both(f.numerator, b.total) };
      if (figure.numerator === null) Object.assign(figure, { rate: null, lower: null, upper: null, suppressed: true });
      return {
        figure,
        groups: groups.map((g) => {
          const n = b.counts[g.group] ?? null;
          // A count's denominator may count people (participants with a BARC-10): not shown per group.
          const denominator = f.kind === 'event_rate' && n !== null ? g.denominator : null;
          return n === null ? hideRate({ ...g, numerator: null, denominator: null }) : { ...g, numerator: n, denominator };
        }),
      };
    }
    case 'median':
    case 'mean':
    case 'survival': {
      const b = suppressBreakdown(Object.fromEntries(groups.map((g) => [g.group, g.denominator ?? 0])));
      const figure = { ...f, denominator: both(f.denominator, b.total) };
      if (figure.denominator === null) Object.assign(figure, { rate: null, lower: null, upper: null, numerator: null, suppressed: true });
      return {
        figure,
        groups: groups.map((g) => {
          const n = b.counts[g.group] ?? null;
          return n === null ? hideRate({ ...g, numerator: null, denominator: null }) : { ...g, numerator: null, denominator: n };
        }),
      };
    }
    case 'amount':
      return { figure: f, groups: [] };
  }
}

/** Referrals by status: a table of groups × statuses, its margins the group totals and the overall figures. */
function suppressReferralGroups(figures: MeasureFigure[], groupsOf: MeasureFigureGroup[][]): MeasureFigure[] {
  const statusIdx = figures.flatMap((f, j) => (f.key.startsWith('status.') ? [j] : []));
  const totalIdx = figures.findIndex((f) => f.key === 'total');
  const groupCount = groupsOf[0]?.length ?? 0;
  if (!statusIdx.length) {
    // No referrals at all: every group's total is 0, hidden like any count under 11.
    return figures.map((f, j) => ({ ...f, groups: groupsOf[j]!.map((g) => hideRate({ ...g, numerator: null, denominator: null })) }));
  }
  const t = suppressTable(Array.from({ length: groupCount }, (_, i) => statusIdx.map((j) => groupsOf[j]![i]!.numerator ?? 0)));
  return figures.map((f, j) => {
    if (j === totalIdx) {
      const numerator = both(f.numerator, t.total);
      return { ...f, numerator, suppressed: f.suppressed || numerator === null, groups: groupsOf[j]!.map((g, i) => ({ ...g, numerator: t.rowTotals[i]!, denominator: null, suppressed: t.rowTotals[i] === null })) };
    }
    const col = statusIdx.indexOf(j);
    const numerator = both(f.numerator, t.columnTotals[col]!);
    return {
      ...f,
      numerator,
      denominator: both(f.denominator, t.total),
      suppressed: f.suppressed || numerator === null,
      groups: groupsOf[j]!.map((g, i) => ({ ...g, numerator: t.cells[i]![col]!, denominator: t.rowTotals[i]!, suppressed: t.cells[i]![col] === null || t.rowTotals[i] === null })),
    };
  });
}

/**
 * The measures (already presented, and suppressed when `suppress`) with each figure's groups
 * attached, and the groups with their participants.
 */
export function attachBreakdown(
  results: MeasureResult[],
  by: MeasureBreakdown,
  groups: readonly GroupFigures[],
  o: { suppress: boolean; participants: number | null },
): { measures: MeasureResult[]; breakdown: { by: MeasureBreakdown; groups: { key: string; label: string; participants: number | null }[] }; participants: number | null } {
  const measures = results.map((m) => {
    const groupsOf = m.figures.map((f) => (f.kind === 'amount' ? [] : groups.map((g) => groupOfFigure(g.key, g.figures[m.id].find((x) => x.key === f.key)))));
    if (!o.suppress) return { ...m, figures: m.figures.map((f, j) => (f.kind === 'amount' ? f : { ...f, groups: groupsOf[j]! })) };
    if (m.id === 'referrals_by_status') return { ...m, figures: suppressReferralGroups(m.figures, groupsOf) };
    return {
      ...m,
      figures: m.figures.map((f, j) => {
        if (f.kind === 'amount') return f;
        const s = suppressGroups(f, groupsOf[j]!);
        return { ...s.figure, groups: s.groups };
      }),
    };
  });
  let participants = o.participants;
  let counts: Record<string, number | null> = Object.fromEntries(groups.map((g) => [g.key, g.participants]));
  if (o.suppress) {
    const b = suppressBreakdown(Object.fromEntries(groups.map((g) => [g.key, g.participants])));
    counts = b.counts;
    participants = both(participants, b.total);
  }
  return {
    measures,
    participants,
    breakdown: { by, groups: groups.map((g) => ({ key: g.key, label: GROUP_LABELS[g.key] ?? g.key, participants: counts[g.key] ?? null })) },
  };
}
