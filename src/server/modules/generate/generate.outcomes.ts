/**
 * One generated person's course through the program, as the measures (issue 7) read it: the
 * contacts (a bedside encounter for an ED intake, check-ins while the person is engaged, outreach
 * attempts after), ED visits with the peer's request and arrival times (`ed_visits`), returns to
 * the ED, hospital admissions, returns to use and overdoses (a few fatal: the episode is then
 * discharged `deceased`), BARC-10 responses that improve while the person stays engaged, and
 * structured check-ins. It also decides when the person first reaches treatment (`linkOn`, or no
 * treatment before `treatmentFrom`), which the navigation builder honours.
 *
 * The rates follow what peer programs report (PRODUCT.md "Outcome measure rules" and issue 8):
 * about a quarter of people met only in the ED are still in contact at 30 days, most enrolled
 * people are, and contact fades over months; about 65% link to treatment within 30 days of the
 * index event; ED response times of minutes to an hour or two; about one in five back in the ED
 * within 90 days. Everything draws from the stream it is given, so a seed gives the same story.
 */
import type { Insertable } from 'kysely';
import type { Database } from '../../platform/db/tables.js';
import type { IdMaker } from './generate.ids.js';
import { localDate } from '../../platform/time.js';
import { startOfLocalDay } from '../care/local-time.js';
import { BARC10_V1 } from '../questionnaires/questionnaires.shipped.js';
import { CRAVINGS_ALERT_THRESHOLD } from '../../../contracts/checkins.js';

type Rng = () => number;
type Row<T extends keyof Database> = Insertable<Database[T]>;

const DAY = 86_400_000;
const addDays = (date: string, n: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const daysBetween = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);
function weighted<T>(rng: Rng, table: readonly (readonly [T, number])[]): T {
  const total = table.reduce((s, [, w]) => s + w, 0);
  let r = rng() * total;
  for (const [v, w] of table) {
    r -= w;
    if (r < 0) return v;
  }
  return table[table.length - 1]![0];
}
/** A standard normal draw (Box–Muller). */
const normal = (rng: Rng): number => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
/** An exponential draw with this mean. */
const exponential = (rng: Rng, mean: number): number => -Math.log(1 - rng()) * mean;

/** The tunable rates, in one place. */
export const STORY_RATES = {
  /** Share of people met only in the ED who engage after the bedside (retention at 30 days ≈ 25%). */
  edEngage: 0.15,
  /** Share of enrolled people who engage, and the mean length of engagement in days after the first 20. */
  enrolledEngage: 0.88,
  enrolledEngagedMeanDays: 170,
  /** A check-in reaches the person while engaged; an attempt after engagement rarely does. */
  engagedReach: 0.82,
  lapsedReach: 0.01,
  /** Linked to treatment within 30 days of the index event: ED contacts, enrolled people. */
  edLinked: 0.6,
  enrolledLinked: 0.7,
  /** Back in the ED (any time later in the episode): ED contacts, enrolled people. */
  edRevisit: 0.3,
  enrolledEdVisit: 0.08,
  /** Admitted (inpatient) after an ED visit. */
  admittedAfterEd: 0.07,
  /** Died of an overdose during the episode: ED contacts, enrolled people. */
  edFatal: 0.012,
  enrolledFatal: 0.006,
} as const;

export interface StoryRows {
  encounters: Row<'encounters'>[];
  lifeEvents: Row<'life_events'>[];
  edVisits: Row<'ed_visits'>[];
  responses: Row<'questionnaire_responses'>[];
  checkIns: Row<'check_ins'>[];
}

export interface StoryCounts {
  encounters: number;
  lifeEvents: number;
  edVisits: number;
  edRevisits: number;
  admissions: number;
  overdoses: number;
  fatalOverdoses: number;
  returnsToUse: number;
  barc10Responses: number;
  checkIns: number;
}

export const emptyStoryCounts = (): StoryCounts => ({ encounters: 0, lifeEvents: 0, edVisits: 0, edRevisits: 0, admissions: 0, overdoses: 0, fatalOverdoses: 0, returnsToUse: 0, barc10Responses: 0, checkIns: 0 });

export interface StoryContext {
  organizationId: string;
  timeZone: string;
  now: Date;
  /** Local date of `now`. */
  today: string;
  id: IdMaker;
  rng: Rng;
  rows: StoryRows;
  counts: StoryCounts;
  /** Start instants of local dates, shared across people (time-zone arithmetic is not free). */
  dayStarts?: Map<string, number>;
}

export interface StoryInput {
  participantId: string;
  episodeId: string;
  coachId: string;
  siteId: string;
  setting: string;
  full: boolean;
  consent: boolean;
  /** MOUD the person reported at intake (null for a brief intake). */
  moud: string | null;
  /** Local date the episode started. */
  startDate: string;
  /** Local date the episode ended (discharged), or null while open. */
  dischargeDate: string | null;
}

export interface Story {
  /** The newest reached encounter's start (the episode's `last_contact_at`). */
  lastContact: string | null;
  /** No treatment (attended visit, fill, OTP start) before this local date. */
  treatmentFrom: string;
  /** The local date the person first reaches treatment, when they do within 30 days of the index event. */
  linkOn: string | null;
  /** The person died (a fatal overdose): the episode is discharged `deceased` on this date. */
  deceased: { overdoseOn: string; dischargeOn: string } | null;
}

const SUBSTANCES = [['Fentanyl', 60], ['Heroin', 15], ['Prescription opioids', 8], ['Fentanyl and stimulants', 12], ['Unknown', 5]] as const;
const ATTEMPT_OUTCOMES = [['no_answer', 50], ['voicemail_left', 30], ['message_sent', 15], ['not_in_service', 5]] as const;
const MODES = [['phone', 50], ['text', 30], ['in_person', 20]] as const;

/** BARC-10 answers (1–6 each) that add up to `total` (10–60). */
function barcAnswers(rng: Rng, total: number): Record<string, number> {
  const values = Array.from({ length: 10 }, () => Math.floor(total / 10));
  for (let k = 0; k < total % 10; k++) values[k]!++;
  // Move a few points between items so the answers are not flat, keeping each in 1..6.
  for (let k = 0; k < 4; k++) {
    const a = Math.floor(rng() * 10);
    const b = Math.floor(rng() * 10);
    if (a !== b && values[a]! < 6 && values[b]! > 1) {
      values[a]!++;
      values[b]!--;
    }
  }
  return Object.fromEntries(values.map((v, i) => [`q${i + 1}`, v]));
}

export function buildStory(c: StoryContext, x: StoryInput): Story {
  const { rng, rows, counts } = c;
  const org = c.organizationId;
  const nowMs = c.now.getTime();
  const dayStarts = (c.dayStarts ??= new Map<string, number>());
  const at = (date: string, minutes: number): Date => {
    let s = dayStarts.get(date);
    if (s === undefined) dayStarts.set(date, (s = startOfLocalDay(date, c.timeZone).getTime()));
    return new Date(s + minutes * 60_000);
  };
  const ed = x.setting === 'emergency_department';
  const end = x.dischargeDate ?? c.today;
  let lastDay = Math.max(0, daysBetween(x.startDate, end));

  // A fatal overdose ends the story early: the episode is discharged `deceased` a few days later.
  let deceased: Story['deceased'] = null;
  if (rng() < (ed ? STORY_RATES.edFatal : STORY_RATES.enrolledFatal) && lastDay > 3) {
    const day = 3 + Math.floor(rng() * (lastDay - 3));
    const overdoseOn = addDays(x.startDate, day);
    const dischargeOn = addDays(overdoseOn, 1 + Math.floor(rng() * 10));
    deceased = { overdoseOn, dischargeOn: dischargeOn > c.today ? c.today : dischargeOn };
    lastDay = day;
  }

  let lastContact: string | null = null;
  const encounter = (start: Date, e: { type: string; mode: string; setting: string; reached: boolean; minutes: number; outcome?: string; lifeEventId?: string | null; services?: string[] }): string => {
    const id = c.id();
    const startedAt = start.toISOString();
    rows.encounters.push({
      id, organization_id: org, participant_id: x.participantId, episode_id: x.episodeId, group_id: null, type: e.type, mode: e.mode, setting: e.setting,
      place_of_service: e.type === 'ed_bedside' ? '23' : null, started_at: startedAt, ended_at: new Date(start.getTime() + e.minutes * 60_000).toISOString(), duration_minutes: e.minutes,
      reached: e.reached ? 1 : 0, attempt_outcome: e.reached ? null : (e.outcome ?? 'no_answer'), services: JSON.stringify(e.reached ? (e.services ?? ['recovery_planning']) : []),
      participant_words: null, note: null, note_flags: '[]', author_user_id: x.coachId, author_credential: 'CPRS', status: 'signed', signed_at: startedAt,
      review_status: 'none', review_reason: null, review_comment: null, reviewed_by: null, reviewed_at: null, todo_id: null, life_event_id: e.lifeEventId ?? null,
      deleted_at: null, deleted_by: null, deletion_reason: null, created_at: startedAt, updated_at: startedAt,
    });
    counts.encounters++;
    if (e.reached && (!lastContact || startedAt > lastContact)) lastContact = startedAt;
    return id;
  };
  const lifeEvent = (kind: string, on: string, source: string, occurredAt: string | null = null): string => {
    const id = c.id();
    const created = at(on, 17 * 60);
    const createdAt = (created.getTime() > nowMs ? c.now : created).toISOString();
    rows.lifeEvents.push({ id, organization_id: org, participant_id: x.participantId, kind, occurred_on: on, occurred_at: occurredAt, source, note: null, created_by: x.coachId, created_at: createdAt, updated_at: createdAt });
    counts.lifeEvents++;
    return id;
  };

  /**
   * An ED visit on `date`: the life event, and when a peer was called, the `ed_visits` row with
   * its times and the bedside encounter (from the peer's arrival to discharge), as completing the
   * ED flow records them. Returns the visit's local date (times that would pass now move earlier).
   */
  const edVisit = (date: string, o: { withPeer: boolean; overdose: boolean }): string => {
    let arrived = at(date, Math.floor(rng() * 1440)).getTime();
    const requested = 15 + Math.floor(rng() * 180);
    // Minutes to an hour or two: median about half an hour.
    const response = Math.min(180, Math.max(5, Math.round(Math.exp(Math.log(30) + 0.6 * normal(rng)))));
    const bedside = 20 + Math.floor(rng() * 70);
    const stay = 30 + Math.floor(rng() * 240);
    let discharged = arrived + (requested + response + bedside + stay) * 60_000;
    if (discharged > nowMs - 10 * 60_000) {
      const shift = discharged - (nowMs - 10 * 60_000);
      arrived -= shift;
      discharged -= shift;
    }
    const on = localDate(new Date(arrived), c.timeZone);
    const arrivedAt = new Date(arrived).toISOString();
    const lifeEventId = lifeEvent('ed_visit', on, o.withPeer ? 'staff_observed' : 'records', o.withPeer ? arrivedAt : null);
    if (o.overdose) {
      lifeEvent('overdose', on, 'clinician_verified', arrivedAt);
      counts.overdoses++;
    }
    if (o.withPeer) {
      const peerRequested = new Date(arrived + requested * 60_000);
      const peerArrived = new Date(peerRequested.getTime() + response * 60_000);
      const dischargedAt = new Date(discharged).toISOString();
      const naloxoneKit = rng() < 0.8;
      const offered = rng() < 0.85;
      const moudStarted = weighted(rng, [['none', 74], ['buprenorphine', 22], ['naltrexone', 2], ['methadone', 2]] as const);
      const services = ['crisis_support', ...(offered ? ['treatment_navigation'] : []), ...(moudStarted !== 'none' ? ['moud_support'] : []), ...(naloxoneKit ? ['naloxone_kit'] : [])];
      const encounterId = encounter(peerArrived, { type: 'ed_bedside', mode: 'in_person', setting: 'ed', reached: true, minutes: Math.round((discharged - peerArrived.getTime()) / 60_000), lifeEventId, services });
      rows.edVisits.push({
        id: c.id(), organization_id: org, participant_id: x.participantId, life_event_id: lifeEventId, encounter_id: encounterId, site_id: x.siteId,
        ed_arrived_at: arrivedAt, peer_requested_at: peerRequested.toISOString(), peer_arrived_at: peerArrived.toISOString(), overdose: o.overdose ? 1 : 0,
        substance: weighted(rng, SUBSTANCES), naloxone_administered: o.overdose && rng() < 0.85 ? 1 : 0, naloxone_kit_given: naloxoneKit ? 1 : 0, moud_started: moudStarted,
        referral_offered: offered ? 1 : 0, referral_accepted: offered && rng() < 0.6 ? 1 : 0, warm_handoff_to: null, consent_to_follow_up: x.consent ? 1 : 0,
        best_contact_method: null, best_contact_time: null, discharged_at: dischargedAt, status: 'completed', completed_at: dischargedAt,
        created_by: x.coachId, created_at: peerArrived.toISOString(), updated_at: dischargedAt,
      });
      counts.edVisits++;
    }
    // Some are admitted from the ED (the follow-up measure leaves those visits out).
    if (rng() < STORY_RATES.admittedAfterEd) {
      const admitted = addDays(on, rng() < 0.7 ? 0 : 1);
      if (admitted <= c.today) {
        lifeEvent('hospital_admission', admitted, 'records');
        counts.admissions++;
      }
    }
    return on;
  };

  // ---- ED visits: the bedside one that brought an ED contact in, and returns to the ED.
  let indexOn = x.startDate;
  const visits: string[] = [];
  if (ed) {
    indexOn = edVisit(x.startDate, { withPeer: true, overdose: rng() < 0.65 });
    visits.push(indexOn);
  }
  {
    let from = ed ? 0 : Math.floor(rng() * Math.max(1, lastDay));
    let p = ed ? STORY_RATES.edRevisit : STORY_RATES.enrolledEdVisit;
    for (let k = 0; k < 4 && rng() < p; k++) {
      // Most returns come in the first weeks after a visit.
      const day = from + 1 + Math.floor(rng() ** 1.5 * 120);
      if (day >= lastDay) break;
      const on = edVisit(addDays(x.startDate, day), { withPeer: rng() < 0.6, overdose: rng() < 0.5 });
      if (visits.length > 0) counts.edRevisits++;
      visits.push(on);
      from = day;
      p *= 0.6;
    }
  }

  // ---- Linkage to treatment: the first attended treatment visit, fill or OTP start.
  const linked = rng() < (ed ? STORY_RATES.edLinked : STORY_RATES.enrolledLinked);
  const linkOn = linked ? addDays(indexOn, Math.min(30, Math.floor(rng() ** 1.7 * 31))) : null;
  const treatmentFrom = linkOn ?? addDays(indexOn, 31 + Math.floor(rng() * 90));

  // ---- Contacts: check-ins while engaged, then outreach attempts that rarely reach the person.
  const engagedUntil = ed
    ? rng() < STORY_RATES.edEngage
      ? 5 + Math.floor(exponential(rng, 90))
      : 0
    : rng() < STORY_RATES.enrolledEngage
      ? 20 + Math.floor(exponential(rng, STORY_RATES.enrolledEngagedMeanDays))
      : Math.floor(rng() * 4);
  const onMoud = x.moud === 'buprenorphine' || x.moud === 'methadone' || x.moud === 'naltrexone';
  const barc = x.full && x.consent && rng() < 0.75;
  let barcScore = Math.min(52, Math.max(18, Math.round(40 + 5 * normal(rng))));
  let nextBarc = barc ? Math.floor(rng() * 14) : Infinity;
  const answerBarc = (day: number, encounterId: string | null) => {
    const on = addDays(x.startDate, day);
    const created = at(on, 12 * 60).toISOString();
    rows.responses.push({
      id: c.id(), organization_id: org, participant_id: x.participantId, definition_id: BARC10_V1.id, questionnaire_key: BARC10_V1.key, answered_on: on,
      answers: JSON.stringify(barcAnswers(rng, barcScore)), score: barcScore,
      flags: JSON.stringify(barcScore >= 47 ? [{ flag: 'strong_recovery_capital', label: 'Strong recovery capital' }] : []), source: 'coach',
      encounter_id: encounterId, created_by: x.coachId, created_at: created, updated_at: created,
    });
    counts.barc10Responses++;
  };
  if (barc && nextBarc === 0) {
    answerBarc(0, null);
    nextBarc = 75 + Math.floor(rng() * 30);
  }
  for (let d = 1 + Math.floor(rng() * 3); d <= lastDay; ) {
    const date = addDays(x.startDate, d);
    const start = at(date, 9 * 60 + Math.floor(rng() * 10 * 60));
    if (start.getTime() > nowMs) break;
    const engaged = d <= engagedUntil;
    const reached = rng() < (engaged ? STORY_RATES.engagedReach : STORY_RATES.lapsedReach);
    const mode = weighted(rng, MODES);
    const setting = mode === 'in_person' ? 'rco_community' : 'telehealth';
    if (reached) {
      const id = encounter(start, { type: 'check_in', mode, setting, reached: true, minutes: 10 + Math.floor(rng() * 50) });
      if (engaged && rng() < 0.4) {
        const cravings = Math.min(10, Math.max(0, Math.round(6 - d / 40 + 2 * normal(rng))));
        const use = rng() < 0.08;
        const overdose = use && rng() < 0.05;
        const alerts = [...(cravings >= CRAVINGS_ALERT_THRESHOLD ? ['high_cravings'] : []), ...(use ? ['use_reported'] : []), ...(overdose ? ['overdose_reported'] : [])];
        rows.checkIns.push({
          id: c.id(), organization_id: org, participant_id: x.participantId, encounter_id: id, checked_in_on: date,
          mood: Math.min(5, Math.max(1, Math.round(2.6 + d / 90 + 0.8 * normal(rng)))), cravings,
          moud_taken: onMoud ? (rng() < 0.9 ? 'yes' : 'no') : 'not_on_moud', use_since_last: use ? 1 : 0, overdose_since_last: overdose ? 1 : 0,
          going_well: null, needs_today: null, alerts: JSON.stringify(alerts), cravings_alert_threshold: CRAVINGS_ALERT_THRESHOLD, source: 'coach',
          created_by: x.coachId, created_at: start.toISOString(), updated_at: start.toISOString(),
        });
        counts.checkIns++;
        if (use) {
          lifeEvent('return_to_use', date, 'participant_reported');
          counts.returnsToUse++;
          barcScore = Math.max(10, barcScore - 2);
        }
        if (overdose) {
          lifeEvent('overdose', date, 'participant_reported');
          counts.overdoses++;
        }
      }
      // Recovery capital grows while the person stays engaged: a BARC-10 every three months or so.
      if (engaged && d >= nextBarc) {
        barcScore = Math.min(60, Math.max(10, barcScore + Math.round(4 + 2.5 * normal(rng))));
        answerBarc(d, id);
        nextBarc = d + 75 + Math.floor(rng() * 30);
      }
    } else {
      encounter(start, { type: 'outreach_attempt', mode, setting: 'telehealth', reached: false, minutes: 2, outcome: weighted(rng, ATTEMPT_OUTCOMES) });
    }
    // Weekly-ish while engaged; after, attempts every few days for six weeks, then monthly.
    const lapsedFor = d - engagedUntil;
    d += engaged ? 3 + Math.floor(rng() * 6) : lapsedFor < 45 ? 2 + Math.floor(rng() * 5) : lapsedFor < 180 ? 10 + Math.floor(rng() * 15) : 30 + Math.floor(rng() * 30);
  }

  // Returns to use someone told their coach about outside a check-in.
  if (rng() < (engagedUntil > 30 ? 0.15 : 0.05) && lastDay > 1) {
    lifeEvent('return_to_use', addDays(x.startDate, 1 + Math.floor(rng() * (lastDay - 1))), 'participant_reported');
    counts.returnsToUse++;
  }
  if (deceased) {
    lifeEvent('overdose', deceased.overdoseOn, 'records');
    counts.overdoses++;
    counts.fatalOverdoses++;
  }
  return { lastContact, treatmentFrom, linkOn, deceased };
}
