/**
 * The measures of issue 7, computed from plain facts (measures.facts.ts): one function per
 * measure, each taking every participant's facts, the period and the parameters, and returning
 * the figures with the ids behind them and one row per unit counted (ED visit, start, episode…),
 * so a figure drills down to its participants and events. Pure: no database, no clock. Each rule
 * is quoted from issue 7 (or PRODUCT.md, "Outcome measure rules") where it is applied.
 */
import { defaultDaysSupply, moudCoverage, usesFills, type MoudMedication } from '../../../contracts/moud-rules.js';
import type { EncounterType } from '../../../contracts/encounters.js';
import { addDays, addMonths, dayOf, fromDay, inPeriod, mergeRuns, toDay, uncoveredRuns, type DayRun, type Period } from './measures.dates.js';
import { DEFAULTS, type EdFollowUpParams, type EdRevisitParams, type FederalFollowUpParams, type LinkageParams, type MoudContinuityParams, type RecoveryCapitalParams, type RetentionParams, type UseAndOverdoseParams } from './measures.definitions.js';
import type { ContactFact, EdVisitFact, EpisodeFact, FactsFor, ParticipantFacts, UseEventFact } from './measures.facts.js';
import { eventRate, kaplanMeier, median, rateOf, survivalAt, type EventRateResult, type KmCurve, type RateResult, type SurvivalObservation } from './measures.stats.js';

/** Plain code-unit order (ISO dates and ids sort correctly; localeCompare is far slower). */
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byDate = <T extends { on: string; id: string }>(a: T, b: T): number => compare(a.on, b.on) || compare(a.id, b.id);

/** A dated fact that counts as treatment or follow-up: which one, and on what day after the index. */
export interface Qualifying {
  id: string;
  kind: 'appointment' | 'moud_fill' | 'otp_enrollment' | 'contact';
  on: string;
  /** Days after the index date (day 0 is the index date). */
  day: number;
}

/** A share over a window of N days, with the units left out because their window is not over. */
export interface WindowRate extends RateResult {
  days: number;
  /** Units whose N-day window ends after the period end: not in this rate yet. */
  pendingIds: string[];
}

/**
 * Treatment, in the sense of linkage and follow-up: "an attended treatment appointment … or an
 * MOUD fill or OTP enrollment start". A referral made is not treatment, nor a dose given in the ED
 * (not a fill: it never reaches these facts).
 */
function treatmentEvents(p: FactsFor<'appointments' | 'moudFills' | 'otpEnrollments'>): Omit<Qualifying, 'day'>[] {
  return [
    ...p.appointments.filter((a) => a.attended && a.treatment !== null).map((a) => ({ id: a.id, kind: 'appointment' as const, on: a.on })),
    ...p.moudFills.map((f) => ({ id: f.id, kind: 'moud_fill' as const, on: f.filledOn })),
    ...p.otpEnrollments.map((o) => ({ id: o.id, kind: 'otp_enrollment' as const, on: o.startedOn })),
  ].sort(byDate);
}

/** The first event on day 0 through day `lastDay` after `indexOn` (not after `notAfter`, and not `skipId`). Events in date order. */
function firstWithin(events: readonly Omit<Qualifying, 'day'>[], indexOn: string, lastDay: number, notAfter: string, skipId: string | null = null): Qualifying | null {
  const index = toDay(indexOn);
  for (const e of events) {
    if (e.on < indexOn || e.id === skipId) continue;
    // In date order: once past the window or the period end, every later event is too.
    if (e.on > notAfter) return null;
    const day = toDay(e.on) - index;
    if (day > lastDay) return null;
    if (day >= 0) return { ...e, day };
  }
  return null;
}

/** Rates over windows of N days, for units that carry the day of their qualifying event. */
function windowRates(units: readonly { id: string; on: string; hitDay: number | null }[], windows: readonly number[], period: Period): WindowRate[] {
  const end = toDay(period.to);
  const onDays = units.map((u) => toDay(u.on));
  return windows.map((days) => {
    const complete = units.filter((_, i) => onDays[i]! + days <= end);
    const pendingIds = units.filter((_, i) => onDays[i]! + days > end).map((u) => u.id);
    const hits = complete.filter((u) => u.hitDay !== null && u.hitDay <= days);
    return { days, ...rateOf(hits.map((u) => u.id), complete.map((u) => u.id)), pendingIds };
  });
}

// ---- 1. Linkage to treatment

export interface LinkageRow {
  participantId: string;
  /** The ED visit's or the episode's id. */
  indexId: string;
  indexKind: 'ed_visit' | 'enrollment';
  indexOn: string;
  /** The first treatment on or after the index date (within the longest window), or null. */
  linkage: Qualifying | null;
}

export interface LinkageResult {
  period: Period;
  params: LinkageParams;
  /** One per window (7 and 30 days by default); ids are index ids. */
  windows: WindowRate[];
  rows: LinkageRow[];
}

/**
 * The index event of one participant: "an ED-visit life event, or an enrollment for participants
 * who never had one" — the first ED visit in the period; without any ED visit up to the period
 * end, the first enrollment in the period. One index per participant and period.
 */
export function linkageIndexOf(p: FactsFor<'edVisits' | 'episodes'>, period: Period): Omit<LinkageRow, 'linkage'> | null {
  const ed = [...p.edVisits].sort(byDate).find((v) => inPeriod(v.on, period));
  if (ed) return { participantId: p.participantId, indexId: ed.id, indexKind: 'ed_visit', indexOn: ed.on };
  if (p.edVisits.some((v) => v.on <= period.to)) return null;
  const enrollment = p.episodes.map((e) => ({ id: e.id, on: e.startOn })).sort(byDate).find((e) => inPeriod(e.on, period));
  return enrollment ? { participantId: p.participantId, indexId: enrollment.id, indexKind: 'enrollment', indexOn: enrollment.on } : null;
}

/** 1. "Linkage to treatment within 7 and 30 days (day 0 counts) of an index event." */
export function computeLinkage(people: readonly FactsFor<'edVisits' | 'episodes' | 'appointments' | 'moudFills' | 'otpEnrollments'>[], period: Period, params: LinkageParams = DEFAULTS.linkage): LinkageResult {
  const longest = Math.max(...params.windows);
  const rows: LinkageRow[] = [];
  for (const p of people) {
    const index = linkageIndexOf(p, period);
    if (index) rows.push({ ...index, linkage: firstWithin(treatmentEvents(p), index.indexOn, longest, period.to) });
  }
  const units = rows.map((r) => ({ id: r.indexId, on: r.indexOn, hitDay: r.linkage?.day ?? null }));
  return { period, params, windows: windowRates(units, params.windows, period), rows };
}

// ---- 2. Follow-up after an ED visit

export type EdVisitExclusion = 'admission' | 'duplicate' | 'incomplete_window';

export interface EdFollowUpRow {
  participantId: string;
  visitId: string;
  visitOn: string;
  /** Why the visit is not in the denominator (null: it is). */
  excludedBy: EdVisitExclusion | null;
  /** The admission, or the counted visit, that excluded it. */
  excludedById: string | null;
  /** The first follow-up on day 0 through the longest window, or null. */
  followUp: Qualifying | null;
}

export interface EdFollowUpResult {
  period: Period;
  params: EdFollowUpParams;
  /** One per window (7 and 30 days by default); ids are ED visit ids. */
  windows: (RateResult & { days: number })[];
  rows: EdFollowUpRow[];
}

/**
 * One participant's ED visits in the period, each counted or excluded, in the order:
 * "visits followed by an inpatient or residential admission within 30 days are excluded first,
 * then only the first remaining visit in any 31-day period counts; visits in the last 30 days of
 * the period are left out (their window is not complete)".
 */
export function edFollowUpVisitsOf(p: FactsFor<'edVisits' | 'admissions'>, period: Period, params: EdFollowUpParams = DEFAULTS.ed_follow_up): Omit<EdFollowUpRow, 'followUp'>[] {
  if (p.edVisits.length === 0) return [];
  const lastComplete = addDays(period.to, -Math.max(...params.windows));
  const rows: Omit<EdFollowUpRow, 'followUp'>[] = [];
  const admissions = [...p.admissions].sort(byDate);
  let counted: EdVisitFact | null = null;
  for (const v of [...p.edVisits].sort(byDate).filter((x) => inPeriod(x.on, period))) {
    const row = { participantId: p.participantId, visitId: v.id, visitOn: v.on };
    // An admission on the visit date or within the 30 days after it (HEDIS FUA's exclusion).
    const admission = admissions.find((a) => dayOf(v.on, a.on) >= 0 && dayOf(v.on, a.on) <= params.admissionExclusionDays);
    if (admission) {
      rows.push({ ...row, excludedBy: 'admission', excludedById: admission.id });
      continue;
    }
    // The counted visit's 31-day period is its date and the 30 days after it.
    if (counted && dayOf(counted.on, v.on) < params.dedupDays) {
      rows.push({ ...row, excludedBy: 'duplicate', excludedById: counted.id });
      continue;
    }
    counted = v;
    rows.push({ ...row, excludedBy: v.on > lastComplete ? 'incomplete_window' : null, excludedById: null });
  }
  return rows;
}

/**
 * 2. Follow-up after an ED visit, 7-day and 30-day: "a contact that reached the person (not the
 * bedside encounter of that visit), an attended treatment appointment, or an MOUD fill, on day 0
 * through day 7 or day 30". An OTP enrollment start counts as the methadone equivalent of a fill.
 */
export function computeEdFollowUp(people: readonly FactsFor<'edVisits' | 'admissions' | 'contacts' | 'appointments' | 'moudFills' | 'otpEnrollments'>[], period: Period, params: EdFollowUpParams = DEFAULTS.ed_follow_up): EdFollowUpResult {
  const longest = Math.max(...params.windows);
  const rows: EdFollowUpRow[] = [];
  for (const p of people) {
    const visits = edFollowUpVisitsOf(p, period, params);
    if (visits.length === 0) continue;
    const bedsideOf = new Map(p.edVisits.map((v) => [v.id, v.bedsideEncounterId]));
    const contacts = p.contacts.filter((c) => c.reached).map((c) => ({ id: c.id, kind: 'contact' as const, on: c.on }));
    const events = [...contacts, ...treatmentEvents(p)].sort(byDate);
    for (const visit of visits) {
      const followUp = visit.excludedBy === null ? firstWithin(events, visit.visitOn, longest, period.to, bedsideOf.get(visit.visitId) ?? null) : null;
      rows.push({ ...visit, followUp });
    }
  }
  const counted = rows.filter((r) => r.excludedBy === null);
  const windows = params.windows.map((days) => ({
    days,
    ...rateOf(counted.filter((r) => r.followUp !== null && r.followUp.day <= days).map((r) => r.visitId), counted.map((r) => r.visitId)),
  }));
  return { period, params, windows, rows };
}

// ---- 3. MOUD continuity

export interface MoudStartRow {
  participantId: string;
  /** The fill or OTP enrollment that began the treatment period. */
  startId: string;
  startKind: 'moud_fill' | 'otp_enrollment';
  medication: MoudMedication;
  startOn: string;
  /** The last day of the treatment period (start + 179 by default). */
  endsOn: string;
  /** `in_progress`: the treatment period ends after the period end. */
  status: 'continuous' | 'gap' | 'in_progress';
  /** The first run of 8+ days without medication (so far, when in progress), or null. */
  firstGap: { from: string; through: string; days: number } | null;
  longestGapDays: number;
  coveredDays: number;
}

export interface MoudContinuityResult {
  period: Period;
  params: MoudContinuityParams;
  /** Ids are start ids. */
  rate: RateResult;
  inProgressIds: string[];
  /** Fills that cover nothing: methadone (counted from OTP periods) or no supply and no default. */
  unusableFillIds: string[];
  rows: MoudStartRow[];
}

interface Coverage {
  runs: DayRun[];
  /** What begins coverage on a day: the fills and OTP starts of that day. */
  startsOn: Map<number, { id: string; kind: 'moud_fill' | 'otp_enrollment'; medication: MoudMedication }>;
  unusableFillIds: string[];
}

/**
 * Days covered by any MOUD (PRODUCT.md): "each fill covers start + days supply − 1; overlapping
 * fills of the same medication add up" (moudCoverage, per medication); fills of different
 * medications overlap without adding up (the union of days); "methadone coverage from opioid
 * treatment program enrollment periods" (an open one runs to `openEnd`).
 */
export function moudCoverageOf(p: FactsFor<'moudFills' | 'otpEnrollments'>, openEnd: string): Coverage {
  const runs: DayRun[] = [];
  const startsOn: Coverage['startsOn'] = new Map();
  const unusableFillIds: string[] = [];
  const mark = (on: string, s: { id: string; kind: 'moud_fill' | 'otp_enrollment'; medication: MoudMedication }) => {
    const d = toDay(on);
    const had = startsOn.get(d);
    if (!had || s.id < had.id) startsOn.set(d, s);
  };
  const byMedication = new Map<MoudMedication, { filledOn: string; daysSupply: number }[]>();
  for (const f of p.moudFills) {
    const supply = f.daysSupply ?? defaultDaysSupply(f.medication, f.formulation);
    if (!usesFills(f.medication) || supply === null || supply < 1) {
      unusableFillIds.push(f.id);
      continue;
    }
    const list = byMedication.get(f.medication) ?? [];
    list.push({ filledOn: f.filledOn, daysSupply: supply });
    byMedication.set(f.medication, list);
    mark(f.filledOn, { id: f.id, kind: 'moud_fill', medication: f.medication });
  }
  for (const fills of byMedication.values()) {
    for (const s of moudCoverage(fills).spans) runs.push({ first: toDay(s.from), last: toDay(s.through) });
  }
  for (const o of p.otpEnrollments) {
    const end = o.endedOn ?? openEnd;
    if (end < o.startedOn) continue;
    runs.push({ first: toDay(o.startedOn), last: toDay(end) });
    mark(o.startedOn, { id: o.id, kind: 'otp_enrollment', medication: 'methadone' });
  }
  return { runs: mergeRuns(runs), startsOn, unusableFillIds };
}

/**
 * 3. MOUD continuity: "treatment starts with no MOUD in the prior 31 days, 180-day period, no gap
 * of 8+ days … Starts whose 180 days have not ended by the end of the period are reported
 * separately as 'in progress'". A 7-day gap passes. The loader must give the fills of the
 * 31 + 365 days before the period (a fill covers at most 365 days) so a start can be told apart.
 */
export function computeMoudContinuity(people: readonly FactsFor<'moudFills' | 'otpEnrollments'>[], period: Period, params: MoudContinuityParams = DEFAULTS.moud_continuity): MoudContinuityResult {
  const rows: MoudStartRow[] = [];
  const unusableFillIds: string[] = [];
  for (const p of people) {
    const coverage = moudCoverageOf(p, period.to);
    unusableFillIds.push(...coverage.unusableFillIds);
    rows.push(...moudStartsOf(p.participantId, coverage, period, params));
  }
  const evaluated = rows.filter((r) => r.status !== 'in_progress');
  return {
    period,
    params,
    rate: rateOf(evaluated.filter((r) => r.status === 'continuous').map((r) => r.startId), evaluated.map((r) => r.startId)),
    inProgressIds: rows.filter((r) => r.status === 'in_progress').map((r) => r.startId),
    unusableFillIds,
    rows,
  };
}

function moudStartsOf(participantId: string, coverage: Coverage, period: Period, params: MoudContinuityParams): MoudStartRow[] {
  const rows: MoudStartRow[] = [];
  const periodEnd = toDay(period.to);
  coverage.runs.forEach((run, i) => {
    const before = coverage.runs[i - 1];
    // A start: no medication on any of the 31 days before it.
    if (before && run.first - before.last - 1 < params.priorFreeDays) return;
    const startOn = fromDay(run.first);
    if (!inPeriod(startOn, period)) return;
    const source = coverage.startsOn.get(run.first)!;
    const end = run.first + params.treatmentDays - 1;
    const seen = { first: run.first, last: Math.min(end, periodEnd) };
    const gaps = uncoveredRuns(coverage.runs, seen).map((g) => ({ ...g, days: g.last - g.first + 1 }));
    const firstGap = gaps.find((g) => g.days >= params.gapDays) ?? null;
    rows.push({
      participantId,
      startId: source.id,
      startKind: source.kind,
      medication: source.medication,
      startOn,
      endsOn: fromDay(end),
      status: end > periodEnd ? 'in_progress' : firstGap ? 'gap' : 'continuous',
      firstGap: firstGap ? { from: fromDay(firstGap.first), through: fromDay(firstGap.last), days: firstGap.days } : null,
      longestGapDays: Math.max(0, ...gaps.map((g) => g.days)),
      coveredDays: seen.last - seen.first + 1 - gaps.reduce((n, g) => n + g.days, 0),
    });
  });
  return rows;
}

// ---- 4. Retention in peer services

export interface RetentionRow {
  participantId: string;
  episodeId: string;
  startOn: string;
  /** N: the day after enrollment retention is measured at. */
  days: number;
  /** The reached contact in days N−29 to N, or null. */
  contactId: string | null;
}

export interface LossOfContactRow {
  participantId: string;
  episodeId: string;
  startOn: string;
  /** Days from enrollment to the loss (or to censoring). */
  time: number;
  lost: boolean;
  /** Loss: the date of the last reached contact before it (the enrollment date without any). */
  lostOn: string | null;
  reason: 'silence' | 'discharged_lost_contact' | null;
  censoredBy: 'open' | 'discharged' | null;
}

export interface RetentionResult {
  period: Period;
  params: RetentionParams;
  /** One share per N; ids are episode ids. */
  rates: (RateResult & { days: number })[];
  rows: RetentionRow[];
  /** Time to loss of contact for the episodes enrolled in the period, followed to the period end. */
  curve: KmCurve & { survivalAt: { days: number; survival: number | null }[]; rows: LossOfContactRow[] };
}

/** A participant's reached contacts in date order. */
const reachedOf = new WeakMap<readonly ContactFact[], ContactFact[]>();
const reachedContacts = (p: FactsFor<'contacts'>): ContactFact[] => {
  let reached = reachedOf.get(p.contacts);
  if (!reached) reachedOf.set(p.contacts, (reached = p.contacts.filter((c) => c.reached).sort(byDate)));
  return reached;
};

/**
 * Loss of contact for one episode: "loss = the last reached contact before a 60-day silence or a
 * discharge for lost contact (open episodes censored)". The silence is counted from enrollment
 * until a first contact is reached. A loss is dated back to the last contact, so an open
 * episode is censored at its last reached contact (it is only known to last that long); an
 * episode discharged for another reason is censored at discharge.
 */
export function lossOfContactOf(p: FactsFor<'contacts'>, episode: EpisodeFact, period: Period, silenceDays: number = DEFAULTS.retention.silenceDays, reached = reachedContacts(p)): LossOfContactRow {
  const discharged = episode.dischargedOn !== null && episode.dischargedOn <= period.to;
  // A discharge dated before the enrollment (a data error) ends follow-up on day 0.
  const end = discharged ? (episode.dischargedOn! < episode.startOn ? episode.startOn : episode.dischargedOn!) : period.to;
  const row = { participantId: p.participantId, episodeId: episode.id, startOn: episode.startOn };
  const lostAt = (last: string, reason: LossOfContactRow['reason']): LossOfContactRow => ({ ...row, time: dayOf(episode.startOn, last), lost: true, lostOn: last, reason, censoredBy: null });
  let last = episode.startOn;
  let lastDay = toDay(last);
  for (const c of reached) {
    if (c.on < episode.startOn) continue;
    if (c.on > end) break;
    const day = toDay(c.on);
    if (day - lastDay - 1 >= silenceDays) return lostAt(last, 'silence');
    last = c.on;
    lastDay = day;
  }
  if (dayOf(last, end) >= silenceDays) return lostAt(last, 'silence');
  if (discharged && episode.dischargeReason === 'lost_contact') return lostAt(last, 'discharged_lost_contact');
  if (discharged) return { ...row, time: dayOf(episode.startOn, end), lost: false, lostOn: null, reason: null, censoredBy: 'discharged' };
  return { ...row, time: dayOf(episode.startOn, last), lost: false, lostOn: null, reason: null, censoredBy: 'open' };
}

/**
 * 4. Retention: "for N = 30, 60, 90, 180, the share of episodes enrolled at least N days before
 * the period end that had a reached contact in days N−29 to N" — counting each episode for the
 * period its day N falls in, so a long-ago enrollment is not counted again every period.
 */
export function computeRetention(people: readonly FactsFor<'episodes' | 'contacts'>[], period: Period, params: RetentionParams = DEFAULTS.retention): RetentionResult {
  const rows: RetentionRow[] = [];
  const lossRows: LossOfContactRow[] = [];
  const periodFrom = toDay(period.from);
  const periodTo = toDay(period.to);
  for (const p of people) {
    let reached: ContactFact[] | null = null;
    for (const e of p.episodes) {
      const start = toDay(e.startOn);
      for (const n of params.days) {
        if (start + n < periodFrom || start + n > periodTo) continue;
        const dayN = fromDay(start + n);
        const from = addDays(e.startOn, Math.max(1, n - params.contactWindowDays + 1));
        reached ??= reachedContacts(p);
        const hit = reached.find((c) => c.on >= from && c.on <= dayN);
        rows.push({ participantId: p.participantId, episodeId: e.id, startOn: e.startOn, days: n, contactId: hit?.id ?? null });
      }
      if (inPeriod(e.startOn, period)) lossRows.push(lossOfContactOf(p, e, period, params.silenceDays, (reached ??= reachedContacts(p))));
    }
  }
  const rates = params.days.map((n) => {
    const atN = rows.filter((r) => r.days === n);
    return { days: n, ...rateOf(atN.filter((r) => r.contactId !== null).map((r) => r.episodeId), atN.map((r) => r.episodeId)) };
  });
  const km = kaplanMeier(lossRows.map((r): SurvivalObservation => ({ id: r.episodeId, time: r.time, event: r.lost })));
  return { period, params, rates, rows, curve: { ...km, survivalAt: params.days.map((d) => ({ days: d, survival: survivalAt(km, d) })), rows: lossRows } };
}

// ---- 5. Return to use and overdose

/** The enrolled days of one episode in the period, not counting days an earlier episode covers. */
export interface EnrolledSpan {
  participantId: string;
  episodeId: string;
  startOn: string;
  from: string;
  through: string;
}

/** A participant's enrolled days in the period, as spans of their episodes (overlaps count once, in the earlier one). */
export function enrolledSpansOf(p: FactsFor<'episodes'>, period: Period): EnrolledSpan[] {
  const spans: EnrolledSpan[] = [];
  let coveredThrough: string | null = null;
  for (const e of [...p.episodes].sort((a, b) => compare(a.startOn, b.startOn) || compare(a.id, b.id))) {
    const end = e.dischargedOn && e.dischargedOn < period.to ? e.dischargedOn : period.to;
    let from = e.startOn > period.from ? e.startOn : period.from;
    if (coveredThrough && from <= coveredThrough) from = addDays(coveredThrough, 1);
    if (from > end) continue;
    spans.push({ participantId: p.participantId, episodeId: e.id, startOn: e.startOn, from, through: end });
    coveredThrough = end;
  }
  return spans;
}

const spanDays = (s: { from: string; through: string }) => Math.max(0, dayOf(s.from, s.through) + 1);
const spanFor = (spans: readonly EnrolledSpan[], on: string) => spans.find((s) => on >= s.from && on <= s.through);

type Phase = 'first' | 'after';
export interface UseEventRow {
  participantId: string;
  eventId: string;
  kind: 'return_to_use' | 'overdose_non_fatal' | 'overdose_fatal';
  on: string;
  episodeId: string;
  /** `first`: days 0–89 of the episode; `after`: day 90 on. */
  phase: Phase;
}

export interface UseAndOverdoseResult {
  period: Period;
  params: UseAndOverdoseParams;
  personDays: Record<Phase | 'total', number>;
  /** Per 100 participant-months, by kind and phase. */
  rates: Record<UseEventRow['kind'], Record<Phase | 'total', EventRateResult>>;
  rows: UseEventRow[];
  spans: EnrolledSpan[];
}

const eventKind = (e: UseEventFact): UseEventRow['kind'] => (e.kind === 'return_to_use' ? 'return_to_use' : e.fatal ? 'overdose_fatal' : 'overdose_non_fatal');

/**
 * 5. "Return to use and overdose: events per 100 participant-months in enrollment, before and
 * after the first 90 days; fatal and non-fatal overdoses counted separately."
 */
export function computeUseAndOverdose(people: readonly FactsFor<'episodes' | 'useEvents'>[], period: Period, params: UseAndOverdoseParams = DEFAULTS.use_and_overdose): UseAndOverdoseResult {
  const personDays = { first: 0, after: 0, total: 0 };
  const rows: UseEventRow[] = [];
  const allSpans: EnrolledSpan[] = [];
  for (const p of people) {
    const spans = enrolledSpansOf(p, period);
    allSpans.push(...spans);
    for (const s of spans) {
      const lastEarly = addDays(s.startOn, params.earlyDays - 1);
      const early = spanDays({ from: s.from, through: s.through < lastEarly ? s.through : lastEarly });
      personDays.first += early;
      personDays.after += spanDays(s) - early;
    }
    for (const e of [...p.useEvents].sort(byDate)) {
      const span = spanFor(spans, e.on);
      if (!span) continue;
      rows.push({ participantId: p.participantId, eventId: e.id, kind: eventKind(e), on: e.on, episodeId: span.episodeId, phase: dayOf(span.startOn, e.on) < params.earlyDays ? 'first' : 'after' });
    }
  }
  personDays.total = personDays.first + personDays.after;
  const ratesFor = (kind: UseEventRow['kind']) => {
    const ids = (phase?: Phase) => rows.filter((r) => r.kind === kind && (!phase || r.phase === phase)).map((r) => r.eventId);
    return { first: eventRate(ids('first'), personDays.first), after: eventRate(ids('after'), personDays.after), total: eventRate(ids(), personDays.total) };
  };
  return {
    period,
    params,
    personDays,
    rates: { return_to_use: ratesFor('return_to_use'), overdose_non_fatal: ratesFor('overdose_non_fatal'), overdose_fatal: ratesFor('overdose_fatal') },
    rows,
    spans: allSpans,
  };
}

// ---- 6. ED revisits

export interface EdRevisitRow {
  participantId: string;
  visitId: string;
  visitOn: string;
  /** The first later ED visit on day 1 through the longest window, or null. */
  revisit: { id: string; on: string; day: number } | null;
}

export interface EdRevisitResult {
  period: Period;
  params: EdRevisitParams;
  /** One per window; ids are index visit ids. A lower share is better. */
  windows: WindowRate[];
  rows: EdRevisitRow[];
}

/**
 * 6. "ED revisits within 30 and 90 days after an index ED encounter": an index is an ED visit in
 * the period where a peer met the person at the bedside; a revisit is another ED visit on day 1
 * through day N (a second record the same day is not a revisit).
 */
export function computeEdRevisits(people: readonly FactsFor<'edVisits'>[], period: Period, params: EdRevisitParams = DEFAULTS.ed_revisits): EdRevisitResult {
  const longest = Math.max(...params.windows);
  const rows: EdRevisitRow[] = [];
  for (const p of people) {
    const visits = [...p.edVisits].sort(byDate);
    for (const v of visits.filter((x) => x.bedsideEncounterId !== null && inPeriod(x.on, period))) {
      const next = visits.find((x) => dayOf(v.on, x.on) >= 1 && dayOf(v.on, x.on) <= longest && x.on <= period.to);
      rows.push({ participantId: p.participantId, visitId: v.id, visitOn: v.on, revisit: next ? { id: next.id, on: next.on, day: dayOf(v.on, next.on) } : null });
    }
  }
  const units = rows.map((r) => ({ id: r.visitId, on: r.visitOn, hitDay: r.revisit?.day ?? null }));
  return { period, params, windows: windowRates(units, params.windows, period), rows };
}

// ---- 7. Recovery capital

export interface RecoveryCapitalRow {
  participantId: string;
  baselineId: string;
  baselineOn: string;
  baselineTotal: number;
  latestId: string;
  latestOn: string;
  latestTotal: number;
  change: number;
}

export interface RecoveryCapitalResult {
  period: Period;
  params: RecoveryCapitalParams;
  participants: number;
  meanChange: number | null;
  medianChange: number | null;
  improvedIds: string[];
  unchangedIds: string[];
  declinedIds: string[];
  /** Baseline under the threshold → latest at or above it; ids are participant ids. */
  crossing: RateResult;
  rows: RecoveryCapitalRow[];
}

/** 7. "Recovery capital: BARC-10 change from baseline to latest, and share crossing 47." */
export function computeRecoveryCapital(people: readonly FactsFor<'barc10'>[], period: Period, params: RecoveryCapitalParams = DEFAULTS.recovery_capital): RecoveryCapitalResult {
  const rows: RecoveryCapitalRow[] = [];
  for (const p of people) {
    const responses = [...p.barc10].filter((r) => r.on <= period.to).sort(byDate);
    const baseline = responses[0];
    const latest = responses[responses.length - 1];
    if (!baseline || !latest || !inPeriod(latest.on, period) || latest.on <= baseline.on) continue;
    rows.push({ participantId: p.participantId, baselineId: baseline.id, baselineOn: baseline.on, baselineTotal: baseline.total, latestId: latest.id, latestOn: latest.on, latestTotal: latest.total, change: latest.total - baseline.total });
  }
  const changes = rows.map((r) => r.change);
  const ids = (keep: (r: RecoveryCapitalRow) => boolean) => rows.filter(keep).map((r) => r.participantId);
  const below = rows.filter((r) => r.baselineTotal < params.threshold);
  return {
    period,
    params,
    participants: rows.length,
    meanChange: rows.length ? changes.reduce((a, b) => a + b, 0) / rows.length : null,
    medianChange: median(changes),
    improvedIds: ids((r) => r.change > 0),
    unchangedIds: ids((r) => r.change === 0),
    declinedIds: ids((r) => r.change < 0),
    crossing: rateOf(below.filter((r) => r.latestTotal >= params.threshold).map((r) => r.participantId), below.map((r) => r.participantId)),
    rows,
  };
}

// ---- 8. Process measures

export interface ContactsPerMonthResult {
  period: Period;
  /** Reached contacts during enrollment, per participant-month. */
  contacts: EventRateResult;
  /** Attempts that did not reach the person, per participant-month. */
  attempts: EventRateResult;
}

/** 8. Contacts per participant-month: reached contacts while enrolled ÷ enrolled participant-months. */
export function computeContactsPerMonth(people: readonly FactsFor<'episodes' | 'contacts'>[], period: Period): ContactsPerMonthResult {
  let personDays = 0;
  const reached: string[] = [];
  const attempts: string[] = [];
  for (const p of people) {
    const spans = enrolledSpansOf(p, period);
    personDays += spans.reduce((n, s) => n + spanDays(s), 0);
    if (spans.length === 0) continue;
    for (const c of p.contacts) {
      if (!spanFor(spans, c.on)) continue;
      (c.reached ? reached : attempts).push(c.id);
    }
  }
  return { period, contacts: eventRate(reached, personDays, 1), attempts: eventRate(attempts, personDays, 1) };
}

/** The encounters that are a coach reaching out (not the bedside, a group, a crisis or coordination). */
export const OUTREACH_TYPES: readonly EncounterType[] = ['follow_up', 'check_in', 'outreach_attempt'];

/** 8. Outreach success rate: outreach contacts that reached the person ÷ all outreach contacts. Ids are encounter ids. */
export function computeOutreachSuccess(people: readonly FactsFor<'contacts'>[], period: Period): { period: Period; rate: RateResult } {
  const all: string[] = [];
  const reached: string[] = [];
  for (const p of people) {
    for (const c of p.contacts) {
      if (!OUTREACH_TYPES.includes(c.type) || !inPeriod(c.on, period)) continue;
      all.push(c.id);
      if (c.reached) reached.push(c.id);
    }
  }
  return { period, rate: rateOf(reached, all) };
}

/** 8. Referrals made in the period, by their status now. */
export function computeReferralsByStatus(people: readonly FactsFor<'referrals'>[], period: Period): { period: Period; total: number; byStatus: { status: string; count: number; referralIds: string[] }[] } {
  const referrals = people.flatMap((p) => p.referrals.filter((r) => inPeriod(r.referredOn, period)));
  const byStatus = new Map<string, string[]>();
  // Pushed in place: copying the list on every referral made this quadratic (52 s for 12,500 participants).
  for (const r of referrals) {
    const ids = byStatus.get(r.status);
    if (ids) ids.push(r.id);
    else byStatus.set(r.status, [r.id]);
  }
  return { period, total: referrals.length, byStatus: [...byStatus].sort(([a], [b]) => compare(a, b)).map(([status, ids]) => ({ status, count: ids.length, referralIds: ids })) };
}

export interface DurationResult {
  period: Period;
  /** Units with a duration. */
  n: number;
  median: number | null;
  rows: { participantId: string; id: string; value: number }[];
  /** Units without the second date yet. */
  missingIds: string[];
  /** Units whose second date is before the first (to correct). */
  invalidIds: string[];
}

/** 8. "Days from referral to first attended visit": the median over referrals made in the period. */
export function computeReferralToVisit(people: readonly FactsFor<'referrals'>[], period: Period): DurationResult {
  const out: DurationResult = { period, n: 0, median: null, rows: [], missingIds: [], invalidIds: [] };
  for (const p of people) {
    for (const r of p.referrals.filter((x) => inPeriod(x.referredOn, period))) {
      if (r.firstAttendedOn === null) out.missingIds.push(r.id);
      else if (r.firstAttendedOn < r.referredOn) out.invalidIds.push(r.id);
      else out.rows.push({ participantId: p.participantId, id: r.id, value: dayOf(r.referredOn, r.firstAttendedOn) });
    }
  }
  return { ...out, n: out.rows.length, median: median(out.rows.map((r) => r.value)) };
}

/** 8. "ED response time (request to peer arrival)": median minutes over ED visits in the period. */
export function computeEdResponseTime(people: readonly FactsFor<'edVisits'>[], period: Period): DurationResult {
  const out: DurationResult = { period, n: 0, median: null, rows: [], missingIds: [], invalidIds: [] };
  for (const p of people) {
    for (const v of p.edVisits.filter((x) => inPeriod(x.on, period))) {
      if (v.peerRequestedAt === null || v.peerArrivedAt === null) out.missingIds.push(v.id);
      else {
        const minutes = (Date.parse(v.peerArrivedAt) - Date.parse(v.peerRequestedAt)) / 60_000;
        if (!(minutes >= 0)) out.invalidIds.push(v.id);
        else out.rows.push({ participantId: p.participantId, id: v.id, value: minutes });
      }
    }
  }
  return { ...out, n: out.rows.length, median: median(out.rows.map((r) => r.value)) };
}

export interface FederalFollowUpRow {
  participantId: string;
  intakeId: string;
  intakeOn: string;
  dueOn: string;
  windowFrom: string;
  windowThrough: string;
  followUpId: string | null;
  followUpOn: string | null;
  /** `open`: the window has not closed by the period end and no interview is in it yet. */
  status: 'completed' | 'missed' | 'open';
}

export interface FederalFollowUpResult {
  period: Period;
  params: FederalFollowUpParams;
  /** Ids are intake ids. */
  rate: RateResult;
  target: number;
  meetsTarget: boolean | null;
  /** Due in the period but the window is still open at the period end (done or not). */
  pendingIds: string[];
  rows: FederalFollowUpRow[];
}

/**
 * 8. Federal follow-up (SAMHSA GPRA style, PRODUCT.md): "6-month follow-up due at intake + 6
 * months, counted only inside the window 30 days before to 60 days after; 80% target rate".
 * Intakes due in the period count once their window has closed by the period end.
 */
export function computeFederalFollowUp(people: readonly FactsFor<'federalInterviews'>[], period: Period, params: FederalFollowUpParams = DEFAULTS.federal_follow_up): FederalFollowUpResult {
  const rows: FederalFollowUpRow[] = [];
  for (const p of people) {
    const interviews = [...p.federalInterviews].sort(byDate);
    const followUps = interviews.filter((i) => i.kind === 'six_month_follow_up');
    for (const intake of interviews.filter((i) => i.kind === 'intake')) {
      const dueOn = addMonths(intake.on, params.dueMonths);
      if (!inPeriod(dueOn, period)) continue;
      const windowFrom = addDays(dueOn, -params.windowBeforeDays);
      const windowThrough = addDays(dueOn, params.windowAfterDays);
      const done = followUps.find((f) => f.on >= windowFrom && f.on <= windowThrough && f.on <= period.to);
      const status = done ? 'completed' : windowThrough <= period.to ? 'missed' : 'open';
      rows.push({ participantId: p.participantId, intakeId: intake.id, intakeOn: intake.on, dueOn, windowFrom, windowThrough, followUpId: done?.id ?? null, followUpOn: done?.on ?? null, status });
    }
  }
  const closed = rows.filter((r) => r.windowThrough <= period.to);
  const rate = rateOf(closed.filter((r) => r.status === 'completed').map((r) => r.intakeId), closed.map((r) => r.intakeId));
  return {
    period,
    params,
    rate,
    target: params.target,
    meetsTarget: rate.rate === null ? null : rate.rate >= params.target,
    pendingIds: rows.filter((r) => r.windowThrough > period.to).map((r) => r.intakeId),
    rows,
  };
}

// ---- all of them

/** Every measure of this slice with the default parameters (what `lodestar measures` will print). */
export function computeAllMeasures(people: readonly ParticipantFacts[], period: Period) {
  return {
    linkage: computeLinkage(people, period),
    ed_follow_up: computeEdFollowUp(people, period),
    moud_continuity: computeMoudContinuity(people, period),
    retention: computeRetention(people, period),
    use_and_overdose: computeUseAndOverdose(people, period),
    ed_revisits: computeEdRevisits(people, period),
    recovery_capital: computeRecoveryCapital(people, period),
    contacts_per_month: computeContactsPerMonth(people, period),
    outreach_success: computeOutreachSuccess(people, period),
    referrals_by_status: computeReferralsByStatus(people, period),
    referral_to_visit: computeReferralToVisit(people, period),
    ed_response_time: computeEdResponseTime(people, period),
    federal_follow_up: computeFederalFollowUp(people, period),
  };
}
