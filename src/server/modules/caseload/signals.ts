/**
 * The caseload signals: each one a fact that moves a person up the list ("an overdose in the last
 * 30 days", "a follow-up due today"). The registry below is the contract other modules extend:
 *
 *   1. add the key to `CASELOAD_SIGNALS` in src/contracts/caseload.ts (and its words to the
 *      `participants.flags` section of the web translations);
 *   2. add `{ key, weight, compute }` to `SIGNALS` here (or export it from your module and list it);
 *   3. `compute` answers for a whole batch of the caseload in ONE query at most — never one per
 *      person — reading your own tables, filtered by organization, with dates compared as local
 *      dates. Signals that read the same table share one query through `input.shared(key, load)`
 *      (loaded once per batch): each query costs ~0.1 ms however few rows it finds, and the
 *      caseload is the page coaches open most.
 *
 * `computeSignals` runs every signal over the caseload in batches of at most `BATCH` rows, so a
 * compute never sees more ids than a database accepts as parameters.
 */
import type { CaseloadSignalKey } from '../../../contracts/caseload.js';
import type { Executor } from '../../platform/db/database.js';
import { localDate } from '../../platform/time.js';
import { addDays, daysBetween } from './dates.js';
import { refillDueSignal } from '../moud/moud.signals.js';
import { appointmentMissedSignal, appointmentSoonSignal } from '../appointments/appointments.signals.js';
import { checkInAlertSignal } from '../checkins/checkins.signals.js';
import { celebrationKey, milestoneFacts } from '../checkins/checkins.repository.js';
import { milestoneSeries, plusMonths, type SeriesStep } from '../../../contracts/checkins.js';

export interface SignalInput {
  organizationId: string;
  /** The distinct participants of this batch. */
  participantIds: readonly string[];
  /** The open episodes of this batch (a person may have one in each program). */
  episodeIds: readonly string[];
  /** Today at the organization, YYYY-MM-DD: every date rule counts in local dates. */
  today: string;
  /** The organization's time zone: instants (a last contact) become local dates in it. */
  timeZone: string;
  now: Date;
  /** Run `load` once per batch for every signal that asks with the same key; later askers get its result. */
  shared: <T>(key: string, load: () => Promise<T>) => Promise<T>;
}

export interface SignalHit {
  key: CaseloadSignalKey;
  /** A few facts for the wording: dates, counts. Never notes, names or free text. */
  detail?: Record<string, string | number>;
}

export interface CaseloadSignal {
  key: CaseloadSignalKey;
  /** How much this signal adds to a row's urgency score. */
  weight: number;
  /** The participants of the batch this signal applies to: one query for the whole batch. */
  compute: (db: Executor, input: SignalInput) => Promise<Map<string, SignalHit>>;
}

/** Life events and consents look back or ahead 30 days; milestones a week ahead. */
export const RECENT_DAYS = 30;
export const CONSENT_EXPIRY_DAYS = 30;
export const MILESTONE_AHEAD_DAYS = 7;

/** Life-event kinds some signal looks back on. */
const RECENT_KINDS = ['overdose', 'ed_visit'] as const;

/** The latest overdose and ED visit of each person, from 30 days ago through today: one query for both signals. */
const recentLifeEvents = (db: Executor, input: SignalInput) =>
  input.shared('life_events.recent', async () => {
    const rows = await db
      .selectFrom('life_events')
      .select(['participant_id', 'kind', (eb) => eb.fn.max('occurred_on').as('last')])
      .where('organization_id', '=', input.organizationId)
      .where('participant_id', 'in', input.participantIds)
      .where('kind', 'in', RECENT_KINDS)
      .where('occurred_on', '>=', addDays(input.today, -RECENT_DAYS))
      .where('occurred_on', '<=', input.today)
      .groupBy(['participant_id', 'kind'])
      .execute();
    return rows.map((r) => ({ participantId: r.participant_id, kind: r.kind, last: String(r.last) }));
  });

function recentLifeEvent(key: CaseloadSignalKey, kind: (typeof RECENT_KINDS)[number], weight: number): CaseloadSignal {
  return {
    key,
    weight,
    async compute(db, input) {
      const rows = (await recentLifeEvents(db, input)).filter((r) => r.kind === kind);
      return new Map(rows.map((r) => [r.participantId, { key, detail: { occurredOn: r.last, daysAgo: daysBetween(r.last, input.today) } }]));
    },
  };
}

/**
 * The consents in force today (signed, not revoked, not expired: 42 CFR 2.31), one query for the
 * participation and expiry signals.
 */
const consentsInForce = (db: Executor, input: SignalInput) =>
  input.shared('consents.in_force', async () => {
    const rows = await db
      .selectFrom('consents')
      .select(['participant_id', 'kind', 'expires_on'])
      .where('organization_id', '=', input.organizationId)
      .where('participant_id', 'in', input.participantIds)
      .where('revoked_at', 'is', null)
      .where('signed_on', '<=', input.today)
      .where((eb) => eb.or([eb('expires_on', 'is', null), eb('expires_on', '>=', input.today)]))
      .execute();
    return rows.map((r) => ({ participantId: r.participant_id, kind: r.kind, expiresOn: r.expires_on }));
  });

/** What the MOUD, milestone, unreachable and contact-cadence signals read about a person and their open episode. */
export interface EpisodeFacts {
  participantId: string;
  status: string;
  hasOud: boolean | null;
  currentMoud: string | null;
  recoveryStartDate: string | null;
  /** The episode's start date (the cadence counts from it until a first successful contact). */
  startDate: string;
  /** The last successful contact (episodes.last_contact_at), an instant, or null. */
  lastContactAt: string | null;
  /** Days between contacts: the episode's own cadence, else its program's. */
  cadenceDays: number;
}

/** Contact cadence when neither the episode nor its program says (the program column defaults to it too). */
export const DEFAULT_CADENCE_DAYS = 7;

/**
 * When the next contact is due: the local date of the last successful contact (or the episode's
 * start when there was none) plus the cadence. Overdue from the day after. `daysOverdue` is 0 on
 * the due date and negative before it.
 */
export function contactDue(f: Pick<EpisodeFacts, 'startDate' | 'lastContactAt' | 'cadenceDays'>, today: string, timeZone: string): { dueOn: string; daysOverdue: number } {
  const from = f.lastContactAt ? localDate(new Date(f.lastContactAt), timeZone) : f.startDate;
  const dueOn = addDays(from, f.cadenceDays);
  return { dueOn, daysOverdue: daysBetween(dueOn, today) };
}

/**
 * The episode facts of the batch: one query for three signals — or none, when the caller
 * already read them with the caseload rows (`rows[].facts`).
 */
const episodeFacts = (db: Executor, input: SignalInput) =>
  input.shared(EPISODE_FACTS, async (): Promise<EpisodeFacts[]> => {
    const rows = await db
      .selectFrom('episodes as e')
      .innerJoin('participants as p', 'p.id', 'e.participant_id')
      .innerJoin('programs as pg', 'pg.id', 'e.program_id')
      .select(['e.participant_id', 'e.status', 'p.has_oud', 'p.current_moud', 'p.recovery_start_date', 'e.start_date', 'e.last_contact_at', 'e.cadence_days', 'pg.cadence_days as program_cadence_days'])
      .where('e.organization_id', '=', input.organizationId)
      .where('e.id', 'in', input.episodeIds)
      .execute();
    return rows.map((r) => ({
      participantId: r.participant_id,
      status: r.status,
      hasOud: r.has_oud == null ? null : Number(r.has_oud) === 1,
      currentMoud: r.current_moud,
      recoveryStartDate: r.recovery_start_date,
      startDate: r.start_date,
      lastContactAt: r.last_contact_at,
      cadenceDays: effectiveCadence(r.cadence_days, r.program_cadence_days),
    }));
  });
/** The episode's own cadence, else its program's, else the default. */
export const effectiveCadence = (episodeDays: number | null, programDays: number | null | undefined): number => Number(episodeDays ?? programDays ?? DEFAULT_CADENCE_DAYS);
const EPISODE_FACTS = 'episodes.facts';

export const SIGNALS: readonly CaseloadSignal[] = [
  recentLifeEvent('recent_overdose', 'overdose', 50),
  recentLifeEvent('recent_ed_visit', 'ed_visit', 30),
  {
    // An active episode whose next contact (last successful contact, or the start, plus the
    // cadence) is past. Unreachable and on-hold episodes follow their own plan (re-engagement).
    key: 'contact_overdue',
    weight: 40,
    async compute(db, input) {
      const out = new Map<string, SignalHit>();
      for (const f of await episodeFacts(db, input)) {
        if (f.status !== 'active') continue;
        const due = contactDue(f, input.today, input.timeZone);
        if (due.daysOverdue < 1) continue;
        const known = out.get(f.participantId);
        if (!known || Number(known.detail?.daysOverdue) < due.daysOverdue) out.set(f.participantId, { key: 'contact_overdue', detail: { dueOn: due.dueOn, daysOverdue: due.daysOverdue } });
      }
      return out;
    },
  },
  {
    key: 'unreachable',
    weight: 25,
    async compute(db, input) {
      const facts = (await episodeFacts(db, input)).filter((f) => f.status === 'unreachable');
      return new Map(facts.map((f) => [f.participantId, { key: 'unreachable' as const }]));
    },
  },
  {
    // Any open to-do (a follow-up call, later a referral or a plan review) due today or before.
    key: 'follow_up_due',
    weight: 20,
    async compute(db, { organizationId, participantIds, today }) {
      const rows = await db
        .selectFrom('todos')
        .select(['participant_id', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.min('due_on').as('first_due')])
        .where('organization_id', '=', organizationId)
        .where('participant_id', 'in', participantIds)
        .where('status', '=', 'open')
        .where('due_on', '<=', today)
        .groupBy('participant_id')
        .execute();
      const out = new Map<string, SignalHit>();
      for (const r of rows) {
        if (!r.participant_id) continue;
        const dueOn = String(r.first_due);
        out.set(r.participant_id, { key: 'follow_up_due', detail: { count: Number(r.n), dueOn, daysOverdue: daysBetween(dueOn, today) } });
      }
      return out;
    },
  },
  refillDueSignal,
  appointmentMissedSignal,
  appointmentSoonSignal,
  {
    // No participation consent in force: peer services and contact need one (42 CFR 2.31). The
    // legacy `participants.consent_to_follow_up` flag is not consulted: the consents table is the
    // record (brief intake records its verbal consent there).
    key: 'no_follow_up_consent',
    weight: 15,
    async compute(db, input) {
      const consented = new Set((await consentsInForce(db, input)).filter((c) => c.kind === 'participation').map((c) => c.participantId));
      return new Map(input.participantIds.filter((id) => !consented.has(id)).map((id) => [id, { key: 'no_follow_up_consent' as const }]));
    },
  },
  {
    // A consent in force (participation or disclosure) whose expiry date is within 30 days:
    // time to ask the person whether they want to renew it.
    key: 'consent_expiring',
    weight: 10,
    async compute(db, input) {
      const last = addDays(input.today, CONSENT_EXPIRY_DAYS);
      const first = new Map<string, string>();
      for (const c of await consentsInForce(db, input)) {
        if (!c.expiresOn || c.expiresOn > last) continue;
        const known = first.get(c.participantId);
        if (!known || c.expiresOn < known) first.set(c.participantId, c.expiresOn);
      }
      return new Map([...first].map(([id, expiresOn]) => [id, { key: 'consent_expiring' as const, detail: { expiresOn, daysLeft: daysBetween(input.today, expiresOn) } }]));
    },
  },
  {
    // Opioid use disorder recorded and no medication for it (MOUD) recorded: worth a conversation.
    key: 'no_moud',
    weight: 10,
    async compute(db, input) {
      const facts = (await episodeFacts(db, input)).filter((f) => f.hasOud === true && (f.currentMoud === null || f.currentMoud === 'none'));
      return new Map(facts.map((f) => [f.participantId, { key: 'no_moud' as const }]));
    },
  },
  {
    // The first milestone not yet celebrated from today through 7 days ahead, in the series of the
    // recovery start date or of the earliest MOUD start (checkins module: one query for the MOUD
    // starts and the celebrations).
    key: 'milestone_coming',
    weight: 5,
    async compute(db, input) {
      const [facts, m] = await Promise.all([episodeFacts(db, input), milestoneFacts(db, input.organizationId, input.participantIds, input.today)]);
      const recovery = new Map(facts.map((f) => [f.participantId, f.recoveryStartDate]));
      const out = new Map<string, SignalHit>();
      for (const id of input.participantIds) {
        const next = nextMilestone({ recovery: recovery.get(id) ?? null, moud: m.moudStarts.get(id) ?? null }, input.today, m.celebrated.get(id));
        if (next) out.set(id, { key: 'milestone_coming', detail: next });
      }
      return out;
    },
  },
  checkInAlertSignal,
];

/** The same date `years` later; 29 February becomes 28 February in a common year. */
export function anniversary(start: string, years: number): string {
  const [y, m, d] = start.split('-').map(Number) as [number, number, number];
  const year = y + years;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const day = m === 2 && d === 29 && !leap ? 28 : d;
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * How many days after the start each fixed step of `milestoneSeries` (24 hours through 18 months)
 * can fall, widened by a few days: months vary in length and a month without the start's day
 * ends at its last day.
 */
const FIXED_STEP_DAYS: readonly (readonly [number, number])[] = [[1, 1], [7, 7], [30, 30], [60, 60], [90, 90], [178, 187], [270, 279], [364, 367], [543, 552]];

/**
 * The steps of `milestoneSeries(start, last)` dated `today` or later, in order — without building
 * the series when no step can be in the window. The caseload asks this for everyone in it on
 * every load: a fixed step is computed only when the person's days since the start are near one,
 * and of the yearly steps only this year's and next year's.
 */
function stepsFrom(start: string, today: string, last: string): SeriesStep[] {
  const from = daysBetween(start, today);
  const to = from + daysBetween(today, last);
  if (FIXED_STEP_DAYS.some(([lo, hi]) => hi >= from && lo <= to)) return milestoneSeries(start, last).filter((s) => s.on >= today);
  const out: SeriesStep[] = [];
  // The step of `years` falls in year start + years: none before today's year is today or later.
  for (let years = Math.max(2, Number(today.slice(0, 4)) - Number(start.slice(0, 4))); ; years++) {
    const on = plusMonths(start, 12 * years);
    if (on > last) return out;
    if (on >= today) out.push({ anchor: `${years}y`, unit: 'years', count: years, on });
  }
}

/**
 * The first milestone from today to 7 days ahead (both included) of the recovery start date's
 * series or the MOUD start's (24 hours, 7, 30, 60, 90 days, 6 and 9 months, 1 year, 18 months,
 * then yearly: `milestoneSeries`), skipping those celebrated (keys of `celebrationKey`). On a
 * tie, the recovery one. A plain string is a recovery start date.
 */
export function nextMilestone(
  starts: string | { recovery: string | null; moud: string | null },
  today: string,
  celebrated?: ReadonlySet<string>,
): { kind: 'recovery' | 'moud'; anchor: string; unit: SeriesStep['unit']; count: number; on: string; inDays: number } | undefined {
  const last = addDays(today, MILESTONE_AHEAD_DAYS);
  const { recovery, moud } = typeof starts === 'string' ? { recovery: starts, moud: null } : starts;
  let best: { kind: 'recovery' | 'moud'; step: SeriesStep } | undefined;
  for (const [kind, start] of [['recovery', recovery], ['moud', moud]] as const) {
    if (!start) continue;
    const step = stepsFrom(start, today, last).find((s) => !celebrated?.has(celebrationKey(kind, s.anchor, s.on)));
    if (step && (!best || step.on < best.step.on)) best = { kind, step };
  }
  return best && { kind: best.kind, anchor: best.step.anchor, unit: best.step.unit, count: best.step.count, on: best.step.on, inDays: daysBetween(today, best.step.on) };
}

/** Rows per batch: every id list a signal binds stays far below both databases' parameter limits. */
export const BATCH = 1000;

/**
 * Every signal for every row of a caseload: `signals` (default: the registry) in batches of
 * `BATCH` episodes, each signal one query per batch at most (rows that carry their `facts`
 * spare the episode-facts query). Returns the hits per participant, in
 * registry order, each key at most once.
 */
export async function computeSignals(
  db: Executor,
  input: { organizationId: string; today: string; timeZone?: string; now: Date; rows: readonly { participantId: string; episodeId: string; facts?: EpisodeFacts }[] },
  signals: readonly CaseloadSignal[] = SIGNALS,
): Promise<Map<string, SignalHit[]>> {
  const found = new Map<CaseloadSignalKey, Map<string, SignalHit>>(signals.map((s) => [s.key, new Map()]));
  for (let i = 0; i < input.rows.length; i += BATCH) {
    const batch = input.rows.slice(i, i + BATCH);
    const participantIds = [...new Set(batch.map((r) => r.participantId))];
    const episodeIds = batch.map((r) => r.episodeId);
    const loads = new Map<string, Promise<unknown>>();
    // Facts the caller read with its rows save a query.
    if (batch.every((r) => r.facts)) loads.set(EPISODE_FACTS, Promise.resolve(batch.map((r) => r.facts!)));
    const shared = <T>(key: string, load: () => Promise<T>): Promise<T> => {
      let p = loads.get(key) as Promise<T> | undefined;
      if (!p) {
        p = load();
        loads.set(key, p);
      }
      return p;
    };
    const at: SignalInput = { organizationId: input.organizationId, participantIds, episodeIds, today: input.today, timeZone: input.timeZone ?? 'UTC', now: input.now, shared };
    const results = await Promise.all(signals.map((s) => s.compute(db, at)));
    results.forEach((hits, k) => {
      const into = found.get(signals[k]!.key)!;
      for (const [id, hit] of hits) if (!into.has(id)) into.set(id, hit);
    });
  }
  const out = new Map<string, SignalHit[]>();
  for (const s of signals) {
    for (const [id, hit] of found.get(s.key)!) {
      const list = out.get(id);
      if (list) list.push(hit);
      else out.set(id, [hit]);
    }
  }
  return out;
}

export const weightOf = (key: CaseloadSignalKey, signals: readonly CaseloadSignal[] = SIGNALS): number => signals.find((s) => s.key === key)?.weight ?? 0;
