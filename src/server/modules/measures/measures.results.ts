/**
 * From the engine's results to what people see: every measure computed with a program's
 * parameters, each result as a list of figures (a share, an event rate, a median…) with its
 * definition, small cells hidden for roles without record access, and the units behind a figure
 * for the drill-down. Pure functions: the use cases and the CLI load the facts and call these.
 */
import type { MeasureCase, MeasureFigure, MeasureIdCode, MeasureResult } from '../../../contracts/measures.js';
import { AppError, errors } from '../../platform/errors.js';
import {
  computeContactsPerMonth,
  computeEdFollowUp,
  computeEdResponseTime,
  computeEdRevisits,
  computeFederalFollowUp,
  computeLinkage,
  computeMoudContinuity,
  computeOutreachSuccess,
  computeRecoveryCapital,
  computeReferralToVisit,
  computeReferralsByStatus,
  computeRetention,
  computeUseAndOverdose,
  type DurationResult,
  type Qualifying,
} from './measures.compute.js';
import { dayOf, type Period } from './measures.dates.js';
import { MEASURE_DEFINITIONS, MEASURE_IDS, measureDefinition, resolveParameters, type MeasureId, type ParamsOf } from './measures.definitions.js';
import type { ParticipantFacts } from './measures.facts.js';
import type { HistoryNeeds } from './measures.loader.js';
import type { EventRateResult, RateResult } from './measures.stats.js';
import { suppressBreakdown, suppressCount } from './measures.suppress.js';
import { computeCostModel, type CostModelResult, type UnitCosts } from './measures.cost.js';

// The contract lists the measure ids too (it may not import the server): keep the two the same.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameIds: Same<MeasureIdCode, MeasureId> = true;
void sameIds;

export type AllParams = { [M in MeasureId]: ParamsOf[M] };

/** Each measure's parameters: the defaults with the program's values, checked (400 naming `query.parameters.<measure>.<key>`). */
export function resolveAllParameters(given: Partial<Record<string, Record<string, unknown>>> = {}): AllParams {
  const out = {} as Record<MeasureId, unknown>;
  for (const id of MEASURE_IDS) {
    try {
      out[id] = resolveParameters(id, given[id] ?? {});
    } catch (err) {
      const field = err instanceof AppError ? err.fields?.[0] : undefined;
      if (field) throw errors.invalid(`query.${field.path.replace(/^parameters\./, `parameters.${id}.`)}`, field.message);
      throw err;
    }
  }
  return out as AllParams;
}

/** How far around the period the loader must read, for these parameters. */
export function historyNeeds(p: AllParams): HistoryNeeds {
  return { moudPriorFreeDays: p.moud_continuity.priorFreeDays, retentionMaxDays: Math.max(...p.retention.days), admissionExclusionDays: p.ed_follow_up.admissionExclusionDays };
}

export function computeMeasures(people: readonly ParticipantFacts[], period: Period, p: AllParams, costs: UnitCosts | null = null) {
  const edRevisits = computeEdRevisits(people, period, p.ed_revisits);
  return {
    linkage: computeLinkage(people, period, p.linkage),
    ed_follow_up: computeEdFollowUp(people, period, p.ed_follow_up),
    moud_continuity: computeMoudContinuity(people, period, p.moud_continuity),
    retention: computeRetention(people, period, p.retention),
    use_and_overdose: computeUseAndOverdose(people, period, p.use_and_overdose),
    ed_revisits: edRevisits,
    recovery_capital: computeRecoveryCapital(people, period, p.recovery_capital),
    contacts_per_month: computeContactsPerMonth(people, period),
    outreach_success: computeOutreachSuccess(people, period),
    referrals_by_status: computeReferralsByStatus(people, period),
    referral_to_visit: computeReferralToVisit(people, period),
    ed_response_time: computeEdResponseTime(people, period),
    federal_follow_up: computeFederalFollowUp(people, period, p.federal_follow_up),
    cost_model: computeCostModel(people, period, edRevisits, costs),
  };
}
export type Computed = ReturnType<typeof computeMeasures>;

// ---- figures

/** A figure with the ids behind it (ids never leave the server except through the drill-down). */
export interface FullFigure extends Omit<MeasureFigure, 'suppressed'> {
  ids: { numerator: readonly string[]; denominator: readonly string[]; pending: readonly string[]; inProgress: readonly string[] };
}

const NO_IDS = { numerator: [], denominator: [], pending: [], inProgress: [] };

function share(key: string, label: string, r: RateResult, extra: { pendingIds?: readonly string[]; inProgressIds?: readonly string[]; target?: number } = {}): FullFigure {
  return {
    key,
    label,
    kind: 'share',
    numerator: r.numerator,
    denominator: r.denominator,
    rate: r.rate,
    lower: r.interval?.lower ?? null,
    upper: r.interval?.upper ?? null,
    ...(extra.pendingIds && { pending: extra.pendingIds.length }),
    ...(extra.inProgressIds && { inProgress: extra.inProgressIds.length }),
    ...(extra.target !== undefined && { target: extra.target }),
    ids: { numerator: r.numeratorIds, denominator: r.denominatorIds, pending: extra.pendingIds ?? [], inProgress: extra.inProgressIds ?? [] },
  };
}

function eventRateFigure(key: string, label: string, r: EventRateResult): FullFigure {
  return { key, label, kind: 'event_rate', numerator: r.events, denominator: r.personMonths, rate: r.rate, lower: r.interval?.lower ?? null, upper: r.interval?.upper ?? null, per: r.per, ids: { ...NO_IDS, numerator: r.eventIds } };
}

function durationFigure(key: string, label: string, r: DurationResult): FullFigure {
  return {
    key,
    label,
    kind: 'median',
    numerator: null,
    denominator: r.n,
    rate: r.median,
    lower: null,
    upper: null,
    missing: r.missingIds.length,
    ids: { ...NO_IDS, denominator: r.rows.map((x) => x.id), pending: r.missingIds },
  };
}

const plain = (key: string, label: string, kind: 'count' | 'median' | 'mean' | 'survival', f: { numerator?: number | null; denominator?: number | null; rate?: number | null }, ids: Partial<FullFigure['ids']> = {}): FullFigure => ({
  key,
  label,
  kind,
  numerator: f.numerator ?? null,
  denominator: f.denominator ?? null,
  rate: f.rate ?? null,
  lower: null,
  upper: null,
  ids: { ...NO_IDS, ...ids },
});

/** The cost model's amounts: each rests on counts (numerator, denominator) that small-cell suppression checks. */
function costFigures(r: CostModelResult): FullFigure[] {
  const amount = (key: string, label: string, unit: 'hours' | 'currency' | 'visits', rate: number | null, basis: { numerator: number | null; denominator: number; missing?: number }): FullFigure => ({
    key,
    label,
    kind: 'amount',
    unit,
    numerator: basis.numerator,
    denominator: basis.denominator,
    rate,
    lower: null,
    upper: null,
    ...(basis.missing !== undefined && { missing: basis.missing }),
    ids: NO_IDS,
  });
  const hours = { numerator: null, denominator: r.encountersWithDuration, missing: r.encountersWithoutDuration };
  const visits = { numerator: r.observedRevisits, denominator: r.indexVisits };
  const days = r.revisitWindowDays ?? 30;
  return [
    amount('peer_hours', 'Peer hours recorded (estimate)', 'hours', r.peerHours, hours),
    amount('program_cost', 'Estimated program cost (peer hours × cost of a peer hour)', 'currency', r.programCost, hours),
    amount('expected_revisits', `ED revisits within ${days} days expected at the baseline rate`, 'visits', r.expectedRevisits, visits),
    amount('revisits_avoided', `ED revisits within ${days} days avoided (expected − observed)`, 'visits', r.revisitsAvoided, visits),
    amount('costs_avoided', 'Estimated costs avoided (revisits avoided × cost of an ED visit)', 'currency', r.costsAvoided, visits),
    amount('net_cost', 'Estimated net cost (program cost − costs avoided)', 'currency', r.netCost, { ...visits, denominator: Math.min(r.indexVisits, r.encountersWithDuration) }),
  ];
}

const USE_KINDS = { return_to_use: 'Returns to use', overdose_non_fatal: 'Non-fatal overdoses', overdose_fatal: 'Fatal overdoses' } as const;
const PHASES = { first: 'in the first 90 days', after: 'after the first 90 days', total: 'in all' } as const;

/** Every measure's figures, in the definitions' order. */
export function figuresOf(c: Computed): Record<MeasureId, FullFigure[]> {
  const ed = c.ed_follow_up;
  const excluded = (why: string) => ed.rows.filter((r) => r.excludedBy === why).map((r) => r.visitId);
  const km = c.retention.curve;
  const rc = c.recovery_capital;
  const rcAll = rc.rows.map((r) => r.participantId);
  const ref = c.referrals_by_status;
  const refAll = ref.byStatus.flatMap((s) => s.referralIds);
  return {
    linkage: c.linkage.windows.map((w) => share(`window_${w.days}`, `Linked within ${w.days} days`, w, { pendingIds: w.pendingIds })),
    ed_follow_up: [
      ...ed.windows.map((w) => share(`window_${w.days}`, `Followed up within ${w.days} days`, w)),
      plain('excluded_admission', 'Visits left out: admission', 'count', { numerator: excluded('admission').length }, { numerator: excluded('admission') }),
      plain('excluded_duplicate', 'Visits left out: within 31 days of a counted visit', 'count', { numerator: excluded('duplicate').length }, { numerator: excluded('duplicate') }),
      plain('excluded_incomplete_window', 'Visits left out: window not complete', 'count', { numerator: excluded('incomplete_window').length }, { numerator: excluded('incomplete_window') }),
    ],
    moud_continuity: [share('continuity', 'Continuous for the treatment period', c.moud_continuity.rate, { inProgressIds: c.moud_continuity.inProgressIds })],
    retention: [
      ...c.retention.rates.map((r) => share(`day_${r.days}`, `In contact at day ${r.days}`, r)),
      ...km.survivalAt.map((s) => plain(`survival_${s.days}`, `Still in contact at day ${s.days} (Kaplan–Meier)`, 'survival', { numerator: km.events, denominator: km.subjects, rate: s.survival }, { numerator: km.rows.filter((r) => r.lost).map((r) => r.episodeId), denominator: km.rows.map((r) => r.episodeId) })),
      plain('median_days_to_loss', 'Median days to loss of contact (Kaplan–Meier)', 'median', { denominator: km.subjects, rate: km.median }, { denominator: km.rows.map((r) => r.episodeId) }),
    ],
    use_and_overdose: (Object.keys(USE_KINDS) as (keyof typeof USE_KINDS)[]).flatMap((k) =>
      (Object.keys(PHASES) as (keyof typeof PHASES)[]).map((ph) => eventRateFigure(`${k}.${ph}`, `${USE_KINDS[k]} ${PHASES[ph]}, per 100 participant-months`, c.use_and_overdose.rates[k][ph])),
    ),
    ed_revisits: c.ed_revisits.windows.map((w) => share(`window_${w.days}`, `Back in the ED within ${w.days} days`, w, { pendingIds: w.pendingIds })),
    recovery_capital: [
      plain('mean_change', 'Mean change in BARC-10 total', 'mean', { denominator: rc.participants, rate: rc.meanChange }, { denominator: rcAll }),
      plain('median_change', 'Median change in BARC-10 total', 'median', { denominator: rc.participants, rate: rc.medianChange }, { denominator: rcAll }),
      plain('improved', 'Participants whose total went up', 'count', { numerator: rc.improvedIds.length, denominator: rc.participants }, { numerator: rc.improvedIds, denominator: rcAll }),
      share('crossing', `Crossed to ${rc.params.threshold} or more`, rc.crossing),
    ],
    contacts_per_month: [eventRateFigure('contacts', 'Contacts that reached the person, per participant-month', c.contacts_per_month.contacts), eventRateFigure('attempts', 'Attempts that did not reach the person, per participant-month', c.contacts_per_month.attempts)],
    outreach_success: [share('success', 'Outreach that reached the person', c.outreach_success.rate)],
    referrals_by_status: [
      plain('total', 'Referrals made', 'count', { numerator: ref.total }, { numerator: refAll }),
      ...ref.byStatus.map((s) => plain(`status.${s.status}`, `Referrals now ${s.status.replace(/_/g, ' ')}`, 'count', { numerator: s.count, denominator: ref.total }, { numerator: s.referralIds, denominator: refAll })),
    ],
    referral_to_visit: [durationFigure('median_days', 'Median days from referral to first attended visit', c.referral_to_visit)],
    ed_response_time: [durationFigure('median_minutes', 'Median minutes from request to peer arrival', c.ed_response_time)],
    federal_follow_up: [share('completion', 'Follow-up interviews done in the window', c.federal_follow_up.rate, { pendingIds: c.federal_follow_up.pendingIds, target: c.federal_follow_up.target })],
    cost_model: costFigures(c.cost_model),
  };
}

// ---- small cells

const hideCount = (n: number | null | undefined) => (n === null || n === undefined ? n : suppressCount(n));

/** A figure for a role without record access: counts under 11 hidden, with what would give them away. */
export function suppressFigure(f: MeasureFigure): MeasureFigure {
  const out: MeasureFigure = { ...f, suppressed: false };
  const mark = (hidden: boolean) => {
    if (hidden) out.suppressed = true;
  };
  switch (f.kind) {
    case 'share': {
      const x = f.numerator ?? 0;
      const n = f.denominator ?? 0;
      // Numerator and the rest of the denominator as one breakdown: hiding one hides the other.
      const b = suppressBreakdown({ in: x, out: n - x });
      out.numerator = b.counts.in;
      out.denominator = b.total;
      if (b.counts.in === null) Object.assign(out, { rate: null, lower: null, upper: null });
      mark(b.counts.in === null || b.total === null);
      break;
    }
    case 'event_rate':
    case 'count': {
      out.numerator = hideCount(f.numerator) ?? null;
      if (out.numerator === null) Object.assign(out, { rate: null, lower: null, upper: null });
      mark(out.numerator === null);
      break;
    }
    case 'median':
    case 'mean':
    case 'survival': {
      out.denominator = hideCount(f.denominator) ?? null;
      if (f.numerator !== null) out.numerator = hideCount(f.numerator) ?? null;
      if (out.denominator === null) Object.assign(out, { rate: null, lower: null, upper: null, numerator: null });
      mark(out.denominator === null || (f.numerator !== null && out.numerator === null));
      break;
    }
    case 'amount': {
      // An amount rests on counts (encounters, index visits, revisits): hidden with them.
      out.denominator = hideCount(f.denominator) ?? null;
      if (f.numerator !== null) out.numerator = hideCount(f.numerator) ?? null;
      if (out.denominator === null || (f.numerator !== null && out.numerator === null)) {
        Object.assign(out, { rate: null, numerator: null, denominator: null });
        mark(true);
      }
      break;
    }
  }
  for (const k of ['pending', 'inProgress', 'missing'] as const) {
    if (f[k] !== undefined) {
      out[k] = hideCount(f[k]) ?? null;
      mark(out[k] === null);
    }
  }
  return out;
}

/** The referrals by status as one breakdown (the total must not give a hidden status away). */
function suppressReferrals(figures: MeasureFigure[]): MeasureFigure[] {
  const statuses = figures.filter((f) => f.key.startsWith('status.'));
  const b = suppressBreakdown(Object.fromEntries(statuses.map((f) => [f.key, f.numerator ?? 0])));
  return figures.map((f) => {
    const shown = f.key === 'total' ? b.total : (b.counts[f.key] ?? null);
    return { ...f, numerator: shown, denominator: f.key === 'total' ? null : b.total, suppressed: shown === null || (f.key !== 'total' && b.total === null) };
  });
}

const stripIds = ({ ids: _ids, ...f }: FullFigure): MeasureFigure => ({ ...f, suppressed: false });

export function presentMeasures(c: Computed, params: AllParams, o: { suppress: boolean }): MeasureResult[] {
  const figures = figuresOf(c);
  return MEASURE_DEFINITIONS.map((d) => {
    let shown = figures[d.id].map(stripIds);
    if (o.suppress) shown = d.id === 'referrals_by_status' ? suppressReferrals(shown) : shown.map(suppressFigure);
    return {
      id: d.id,
      group: d.group,
      title: d.title,
      definition: {
        summary: d.summary,
        numerator: d.numerator,
        denominator: d.denominator,
        windows: d.windows,
        exclusions: [...d.exclusions],
        dataSources: [...d.dataSources],
        parameters: d.parameters.map((p) => ({ ...p, default: Array.isArray(p.default) ? [...(p.default as readonly number[])] : (p.default as number) })),
        ...(d.comparisons && { comparisons: d.comparisons.map((x) => ({ ...x })) }),
      },
      parameters: Object.fromEntries(Object.entries(params[d.id] as Record<string, number | readonly number[]>).map(([k, v]) => [k, Array.isArray(v) ? [...(v as number[])] : (v as number)])),
      figures: shown,
    };
  });
}

// ---- drill-down

type Unit = Omit<MeasureCase, 'participantName' | 'figures'>;
type Membership = MeasureCase['figures'][number]['membership'];

const relatedOf = (q: Qualifying | null): Unit['related'] => (q ? { kind: q.kind, id: q.id, on: q.on, day: q.day } : null);

/** Where the facts' ids point: encounters, referrals and ED visits (for figures that list only ids). */
function factIndex(people: readonly ParticipantFacts[]): Map<string, { participantId: string; kind: string; on: string }> {
  const m = new Map<string, { participantId: string; kind: string; on: string }>();
  for (const p of people) {
    for (const c of p.contacts) m.set(c.id, { participantId: p.participantId, kind: 'encounter', on: c.on });
    for (const r of p.referrals) m.set(r.id, { participantId: p.participantId, kind: 'referral', on: r.referredOn });
    for (const v of p.edVisits) m.set(v.id, { participantId: p.participantId, kind: 'ed_visit', on: v.on });
  }
  return m;
}

function unitsOf(id: MeasureId, c: Computed, people: readonly ParticipantFacts[]): Unit[] {
  const byIds = (ids: readonly string[]): Unit[] => {
    const index = factIndex(people);
    return [...new Set(ids)].flatMap((x) => {
      const f = index.get(x);
      return f ? [{ participantId: f.participantId, unitKind: f.kind, unitId: x, on: f.on, related: null, exclusion: null }] : [];
    });
  };
  switch (id) {
    case 'linkage':
      return c.linkage.rows.map((r) => ({ participantId: r.participantId, unitKind: r.indexKind, unitId: r.indexId, on: r.indexOn, related: relatedOf(r.linkage), exclusion: null }));
    case 'ed_follow_up':
      return c.ed_follow_up.rows.map((r) => ({ participantId: r.participantId, unitKind: 'ed_visit', unitId: r.visitId, on: r.visitOn, related: relatedOf(r.followUp), exclusion: r.excludedBy }));
    case 'moud_continuity':
      return c.moud_continuity.rows.map((r) => ({
        participantId: r.participantId,
        unitKind: r.startKind,
        unitId: r.startId,
        on: r.startOn,
        related: r.firstGap ? { kind: 'gap', id: null, on: r.firstGap.from, day: dayOf(r.startOn, r.firstGap.from) } : null,
        exclusion: null,
      }));
    case 'retention': {
      const units = new Map<string, Unit>();
      for (const r of c.retention.rows) units.set(r.episodeId, { participantId: r.participantId, unitKind: 'episode', unitId: r.episodeId, on: r.startOn, related: null, exclusion: null });
      for (const r of c.retention.curve.rows) {
        units.set(r.episodeId, { participantId: r.participantId, unitKind: 'episode', unitId: r.episodeId, on: r.startOn, related: r.lost && r.lostOn ? { kind: 'loss_of_contact', id: null, on: r.lostOn, day: r.time } : null, exclusion: null });
      }
      return [...units.values()];
    }
    case 'use_and_overdose':
      return c.use_and_overdose.rows.map((r) => ({ participantId: r.participantId, unitKind: 'life_event', unitId: r.eventId, on: r.on, related: null, exclusion: null }));
    case 'ed_revisits':
      return c.ed_revisits.rows.map((r) => ({ participantId: r.participantId, unitKind: 'ed_visit', unitId: r.visitId, on: r.visitOn, related: r.revisit ? { kind: 'ed_visit', id: r.revisit.id, on: r.revisit.on, day: r.revisit.day } : null, exclusion: null }));
    case 'recovery_capital':
      return c.recovery_capital.rows.map((r) => ({ participantId: r.participantId, unitKind: 'participant', unitId: r.participantId, on: r.latestOn, related: { kind: 'barc10', id: r.latestId, on: r.latestOn, day: dayOf(r.baselineOn, r.latestOn) }, exclusion: null }));
    case 'contacts_per_month':
      return byIds([...c.contacts_per_month.contacts.eventIds, ...c.contacts_per_month.attempts.eventIds]);
    case 'outreach_success':
      return byIds(c.outreach_success.rate.denominatorIds);
    case 'referrals_by_status':
      return byIds(c.referrals_by_status.byStatus.flatMap((s) => s.referralIds));
    case 'referral_to_visit':
    case 'ed_response_time': {
      const r = c[id];
      const units = byIds([...r.rows.map((x) => x.id), ...r.missingIds, ...r.invalidIds]);
      const invalid = new Set(r.invalidIds);
      return units.map((u) => (invalid.has(u.unitId) ? { ...u, exclusion: 'invalid_dates' } : u));
    }
    case 'cost_model':
      return [];
    case 'federal_follow_up':
      return c.federal_follow_up.rows.map((r) => ({ participantId: r.participantId, unitKind: 'federal_intake', unitId: r.intakeId, on: r.intakeOn, related: r.followUpId && r.followUpOn ? { kind: 'federal_follow_up', id: r.followUpId, on: r.followUpOn, day: dayOf(r.dueOn, r.followUpOn) } : null, exclusion: null }));
  }
}

/**
 * The units behind one measure, each with its part in every figure, in date order. `figure` and
 * `set` narrow the list to one figure's numerator, denominator or pending units.
 */
export function casesOf(id: MeasureId, c: Computed, people: readonly ParticipantFacts[], o: { figure?: string | undefined; set?: 'all' | 'numerator' | 'denominator' | 'pending' } = {}): Omit<MeasureCase, 'participantName'>[] {
  const figures = figuresOf(c)[id];
  if (o.figure !== undefined && !figures.some((f) => f.key === o.figure)) throw errors.invalid('query.figure', `This measure has no figure called ${o.figure}; choose one of ${figures.map((f) => f.key).join(', ')}`);
  const sets = figures.map((f) => ({ key: f.key, numerator: new Set(f.ids.numerator), denominator: new Set(f.ids.denominator), pending: new Set(f.ids.pending), inProgress: new Set(f.ids.inProgress) }));
  const cases = unitsOf(id, c, people).map((u) => ({
    ...u,
    figures: sets.flatMap((s) => {
      const membership: Membership | null = s.numerator.has(u.unitId) ? 'numerator' : s.denominator.has(u.unitId) ? 'denominator' : s.pending.has(u.unitId) ? 'pending' : s.inProgress.has(u.unitId) ? 'in_progress' : null;
      return membership ? [{ key: s.key, membership }] : [];
    }),
  }));
  const wanted = o.figure === undefined ? cases : cases.filter((x) => x.figures.some((f) => f.key === o.figure && (o.set === undefined || o.set === 'all' || f.membership === o.set || (o.set === 'denominator' && f.membership === 'numerator'))));
  return wanted.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0));
}

export const isMeasureId = (x: string): x is MeasureId => (MEASURE_IDS as readonly string[]).includes(x);
export { measureDefinition };
