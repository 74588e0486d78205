/**
 * The measures' facts from the database: every participant of one organization that the filters
 * (and the caller's scope) admit, with what the rules read, as local dates of the organization.
 * Participants are read in batches (BATCH_SIZE ids), with one query per table per batch, keyed by
 * participant id — the number of queries per batch is a constant (QUERIES_PER_BATCH), never one
 * per participant.
 *
 * What each row means (the loader's decisions; the engine applies the rules to the result):
 *
 * - Dates. Instants (encounters' `started_at`, appointments' `starts_at`, referrals'
 *   `created_at`) become the organization's local date (`organizations.time_zone`; a site's own
 *   zone is not used, so one day means one thing in every figure). Columns that already hold a
 *   local date are taken as they are: episodes' start and discharge dates, life events'
 *   `occurred_on` (set in the organization's zone when recorded), fills' `filled_on`, OTP
 *   enrollments' start and end, BARC-10 `answered_on`.
 * - ED visits: every `ed_visit` life event (the program records ED visits for substance use or
 *   overdose; there is no other kind). Its bedside encounter is the `ed_visits` row's
 *   `encounter_id`; without one, an `ed_bedside` encounter of that person on the visit's date
 *   (the one linked to the life event first). The request and arrival times come from `ed_visits`.
 * - Admissions: `hospital_admission` life events (inpatient), and attended appointments that are a
 *   residential intake (residential).
 * - Contacts: every encounter not deleted (drafts included: the contact happened even while its
 *   note is unsigned), reached or not as recorded; an outreach attempt that did not reach the
 *   person is a contact with `reached: false`.
 * - Treatment appointments (issue 7's list): `moud_induction` → MOUD induction;
 *   `prescriber_follow_up` → prescriber visit; `counseling` → counseling; `intake` only where the
 *   directory service it was booked at says what it is: an opioid treatment program → OTP intake,
 *   residential → residential intake, intensive outpatient → intensive outpatient intake,
 *   outpatient counseling → outpatient intake, same-day induction → MOUD induction,
 *   buprenorphine or naltrexone prescriber → prescriber visit. An intake anywhere else
 *   (withdrawal management alone, housing, an unknown place) and court, housing, benefits and
 *   other appointments are not treatment. Attended = status `attended`.
 * - MOUD: fills with their course's formulation (days supply as recorded; a defaulted supply is
 *   already stored as the default); OTP enrollment periods.
 * - Returns to use and overdoses: `return_to_use` and `overdose` life events. Nothing records a
 *   death directly: an overdose counts as fatal when it is the person's last overdose and an
 *   episode of theirs was discharged with reason `deceased` on that day or within 30 days after.
 * - Recovery capital: `barc10` questionnaire responses with a score.
 * - Referrals: made on the local date of `created_at`; status as it stands; first attended visit
 *   = the earliest attended appointment booked for the referral, else the linkage date when the
 *   linkage recorded was `appointment_attended`, not after the period end.
 * - Federal (GPRA-style) interviews: intakes and 6-month follow-ups of `federal_interviews` not
 *   removed, conducted by the period end (discharge interviews are not read by any rule).
 *
 * Who is in: participants of the organization not merged into another record, with an episode
 * matching the program, site and coach filters (any status, started by the period end) — or, with
 * none of those filters and a whole-organization scope, every participant, enrolled or not (an
 * ED-only contact counts in the ED measures). A supervisor's scope is their teams: episodes whose
 * coach is on a team they supervise, or unassigned at a site of such a team (closed episodes too:
 * a figure for last year includes people discharged since). With an episode filter or a team
 * scope, a participant's episodes are only the matching ones. The population filter reads the
 * participant's flag as it is now.
 *
 * History: facts before the period are read as far back as the rules look (MOUD: the prior-free
 * days plus a year before the period, since a fill covers at most 365 days; retention: the
 * longest N; ED visits, episodes, OTP periods and BARC-10: all), and after it only what the rules
 * read past the period end (admissions within the exclusion window).
 */
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { MoudFormulation, MoudMedication } from '../../../contracts/moud-rules.js';
import type { EncounterType } from '../../../contracts/encounters.js';
import type { MeasurePopulation } from '../../../contracts/measures.js';
import type { ServiceType } from '../../../contracts/directory.js';
import type { Executor } from '../../platform/db/database.js';
import type { Database } from '../../platform/db/tables.js';
import { errors } from '../../platform/errors.js';
import { addDays, localDates, type Period } from './measures.dates.js';
import type { AdmissionFact, AppointmentFact, ContactFact, DemographicsFact, DischargeReason, EdVisitFact, EpisodeFact, FederalInterviewFact, ParticipantFacts, TreatmentVisitKind, UseEventFact } from './measures.facts.js';

export const BATCH_SIZE = 500;
/** Queries per batch of participants (episodes, life events, ED visits, encounters, appointments, fills, OTP periods, BARC-10, referrals, federal interviews). */
export const QUERIES_PER_BATCH = 10;

export interface MeasureFilters {
  programId?: string | undefined;
  siteId?: string | undefined;
  coachUserId?: string | undefined;
  population?: MeasurePopulation | undefined;
}

/** Whose participants: the whole organization, or a supervisor's teams. */
export type MeasureScope = { organization: true } | { supervisorUserId: string };

/** How far before and after the period the rules look (from the parameters in force). */
export interface HistoryNeeds {
  /** MOUD continuity: days without medication before a start. */
  moudPriorFreeDays: number;
  /** Retention: the longest N (contacts of days N−29..N for day N in the period). */
  retentionMaxDays: number;
  /** ED follow-up: an admission on day 0..this excludes a visit. */
  admissionExclusionDays: number;
}

export interface LoadedFacts {
  timeZone: string;
  people: ParticipantFacts[];
  /** Queries run (for the record: 2 + QUERIES_PER_BATCH per batch). */
  queries: number;
  batches: number;
}

/** A fill covers at most this many days (moud-rules MAX_DAYS_SUPPLY). */
const LONGEST_FILL = 365;
/** An overdose followed by a `deceased` discharge within this many days is counted as fatal. */
const FATAL_WITHIN_DAYS = 30;
const LIFE_EVENT_KINDS = ['ed_visit', 'hospital_admission', 'return_to_use', 'overdose'] as const;

/** What an appointment is, for linkage and follow-up (see the header). */
export function treatmentOf(kind: string, serviceTypes: readonly string[]): TreatmentVisitKind | null {
  switch (kind) {
    case 'moud_induction':
      return 'moud_induction';
    case 'prescriber_follow_up':
      return 'prescriber_visit';
    case 'counseling':
      return 'counseling';
    case 'intake': {
      const has = (t: ServiceType) => serviceTypes.includes(t);
      if (has('otp_methadone')) return 'otp_intake';
      if (has('residential')) return 'residential_intake';
      if (has('intensive_outpatient')) return 'intensive_outpatient_intake';
      if (has('same_day_induction')) return 'moud_induction';
      if (has('buprenorphine') || has('naltrexone')) return 'prescriber_visit';
      if (has('outpatient_counseling')) return 'outpatient_intake';
      return null;
    }
    default:
      return null;
  }
}

/** The first UTC instant that can fall on local date `date` in any zone (UTC+14), and the first after `date` in any zone (UTC−12). */
const earliestInstantOf = (date: string) => `${addDays(date, -1)}T00:00:00.000Z`;
const afterInstantOf = (date: string) => `${addDays(date, 2)}T00:00:00.000Z`;

type EEb = ExpressionBuilder<Database, 'episodes'>;

/** The episodes the filters and the scope admit, as a condition on `episodes`. */
function episodeCondition(eb: EEb, organizationId: string, f: MeasureFilters, scope: MeasureScope, to: string): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [eb('episodes.organization_id', '=', organizationId), eb('episodes.start_date', '<=', to)];
  if (f.programId) parts.push(eb('episodes.program_id', '=', f.programId));
  if (f.siteId) parts.push(eb('episodes.site_id', '=', f.siteId));
  if (f.coachUserId) parts.push(eb('episodes.assigned_coach_user_id', '=', f.coachUserId));
  if ('supervisorUserId' in scope) {
    const coaches = eb
      .selectFrom('team_members as stm')
      .innerJoin('teams as st', 'st.id', 'stm.team_id')
      .select('stm.user_id')
      .where('st.supervisor_user_id', '=', scope.supervisorUserId)
      .where('st.organization_id', '=', organizationId);
    const sites = eb
      .selectFrom('teams as st2')
      .select('st2.site_id')
      .where('st2.supervisor_user_id', '=', scope.supervisorUserId)
      .where('st2.organization_id', '=', organizationId)
      .where('st2.site_id', 'is not', null);
    parts.push(eb.or([eb('episodes.assigned_coach_user_id', 'in', coaches), eb.and([eb('episodes.assigned_coach_user_id', 'is', null), eb('episodes.site_id', 'in', sites)])]));
  }
  return eb.and(parts);
}

const episodeFiltered = (f: MeasureFilters, scope: MeasureScope) => Boolean(f.programId || f.siteId || f.coachUserId || 'supervisorUserId' in scope);

/** The participants the filters and scope admit, in id order, with their demographics (for breakdowns). */
async function participantIds(db: Executor, organizationId: string, f: MeasureFilters, scope: MeasureScope, to: string): Promise<{ id: string; demographics: DemographicsFact }[]> {
  let q = db
    .selectFrom('participants')
    .select(['participants.id', 'participants.race', 'participants.ethnicity', 'participants.sex_at_birth', 'participants.date_of_birth', 'participants.insurance_type']).where('participants.organization_id', '=', organizationId).where('participants.merged_into_id', 'is', null);
  if (f.population) q = q.where(`participants.${f.population}`, '=', 1);
  if (episodeFiltered(f, scope)) {
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('episodes')
          .select('episodes.id')
          .whereRef('episodes.participant_id', '=', 'participants.id')
          .where((e) => episodeCondition(e, organizationId, f, scope, to)),
      ),
    );
  }
  const rows = await q.orderBy('participants.id').execute();
  return rows.map((r) => ({
    id: r.id,
    demographics: { race: parseList(r.race), ethnicity: r.ethnicity, sexAtBirth: r.sex_at_birth, dateOfBirth: r.date_of_birth, insuranceType: r.insurance_type },
  }));
}

export async function organizationTimeZone(db: Executor, organizationId: string): Promise<string> {
  const org = await db.selectFrom('organizations').select('time_zone').where('id', '=', organizationId).executeTakeFirst();
  if (!org) throw errors.notFound('organization');
  return org.time_zone;
}

const parseList = (json: string | null): string[] => {
  if (!json) return [];
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
};

function groupBy<T extends { participant_id: string }>(rows: readonly T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const list = m.get(r.participant_id);
    if (list) list.push(r);
    else m.set(r.participant_id, [r]);
  }
  return m;
}

/**
 * Every admitted participant's facts for `period`. `batchSize` is for tests (the query count per
 * batch is the same whatever the size).
 */
export async function loadMeasureFacts(
  db: Executor,
  organizationId: string,
  o: { period: Period; filters?: MeasureFilters; scope?: MeasureScope; history: HistoryNeeds; batchSize?: number; /** Only these of the admitted participants (the facts cache refreshing the ones that changed). */ only?: ReadonlySet<string> },
): Promise<LoadedFacts> {
  const { period } = o;
  const filters = o.filters ?? {};
  const scope = o.scope ?? { organization: true };
  const batchSize = o.batchSize ?? BATCH_SIZE;
  const timeZone = await organizationTimeZone(db, organizationId);
  const all = await participantIds(db, organizationId, filters, scope, period.to);
  const admitted = o.only ? all.filter((p) => o.only!.has(p.id)) : all;
  const ids = admitted.map((p) => p.id);
  const people: ParticipantFacts[] = [];
  const local = localDates(timeZone);
  let batches = 0;
  for (let i = 0; i < ids.length; i += batchSize) {
    for (const p of await loadBatch(db, organizationId, ids.slice(i, i + batchSize), { period, filters, scope, history: o.history, local })) people.push(p);
    batches++;
  }
  // Breakdowns read who each person is; loadBatch keeps the id order, so the lists line up.
  people.forEach((p, i) => (p.demographics = admitted[i]!.demographics));
  return { timeZone, people, queries: 2 + batches * QUERIES_PER_BATCH, batches };
}

async function loadBatch(
  db: Executor,
  org: string,
  ids: string[],
  o: { period: Period; filters: MeasureFilters; scope: MeasureScope; history: HistoryNeeds; /** Instants to the organization's local dates. */ local: (instant: string) => string },
): Promise<ParticipantFacts[]> {
  const { period, local, history } = o;
  const contactsFrom = addDays(period.from, -history.retentionMaxDays);
  const fillsFrom = addDays(period.from, -(history.moudPriorFreeDays + LONGEST_FILL));
  const lateAdmissions = addDays(period.to, history.admissionExclusionDays);
  const filtered = episodeFiltered(o.filters, o.scope);

  const [episodes, lifeEvents, edVisits, encounters, appointments, fills, otp, barc, referrals, federal] = await Promise.all([
    db
      .selectFrom('episodes')
      .select(['episodes.id', 'episodes.participant_id', 'episodes.start_date', 'episodes.discharge_date', 'episodes.discharge_reason'])
      .where('episodes.participant_id', 'in', ids)
      .where((eb) => (filtered ? episodeCondition(eb, org, o.filters, o.scope, period.to) : eb.and([eb('episodes.organization_id', '=', org), eb('episodes.start_date', '<=', period.to)])))
      .execute(),
    db
      .selectFrom('life_events')
      .select(['id', 'participant_id', 'kind', 'occurred_on'])
      .where('organization_id', '=', org)
      .where('participant_id', 'in', ids)
      .where('kind', 'in', [...LIFE_EVENT_KINDS])
      .where('occurred_on', '<=', lateAdmissions)
      .execute(),
    db
      .selectFrom('ed_visits')
      .select(['participant_id', 'life_event_id', 'encounter_id', 'peer_requested_at', 'peer_arrived_at'])
      .where('organization_id', '=', org)
      .where('participant_id', 'in', ids)
      .execute(),
    db
      .selectFrom('encounters')
      .select(['id', 'participant_id', 'type', 'reached', 'started_at', 'life_event_id', 'duration_minutes'])
      .where('organization_id', '=', org)
      .where('participant_id', 'in', ids)
      .where('deleted_at', 'is', null)
      .where('started_at', '>=', earliestInstantOf(contactsFrom))
      .where('started_at', '<', afterInstantOf(period.to))
      .execute(),
    db
      .selectFrom('appointments as a')
      .leftJoin('directory_services as ds', (j) => j.onRef('ds.id', '=', 'a.directory_service_id').on('ds.organization_id', '=', org))
      .select(['a.id', 'a.participant_id', 'a.kind', 'a.starts_at', 'a.status', 'a.referral_id', 'ds.service_types'])
      .where('a.organization_id', '=', org)
      .where('a.participant_id', 'in', ids)
      .where('a.starts_at', '>=', earliestInstantOf(period.from))
      .where('a.starts_at', '<', afterInstantOf(lateAdmissions))
      .execute(),
    db
      .selectFrom('moud_fills as f')
      .innerJoin('moud_courses as c', 'c.id', 'f.course_id')
      .select(['f.id', 'f.participant_id', 'f.medication', 'c.formulation', 'f.filled_on', 'f.days_supply'])
      .where('f.organization_id', '=', org)
      .where('f.participant_id', 'in', ids)
      .where('f.filled_on', '>=', fillsFrom)
      .where('f.filled_on', '<=', period.to)
      .execute(),
    db
      .selectFrom('moud_otp_enrollments')
      .select(['id', 'participant_id', 'started_on', 'ended_on'])
      .where('organization_id', '=', org)
      .where('participant_id', 'in', ids)
      .where('started_on', '<=', period.to)
      .execute(),
    db
      .selectFrom('questionnaire_responses')
      .select(['id', 'participant_id', 'answered_on', 'score'])
      .where('organization_id', '=', org)
      .where('participant_id', 'in', ids)
      .where('questionnaire_key', '=', 'barc10')
      .where('score', 'is not', null)
      .where('answered_on', '<=', period.to)
      .execute(),
    db
      .selectFrom('referrals')
      .select(['id', 'participant_id', 'created_at', 'status', 'linkage_kind', 'linked_on'])
      .where('organization_id', '=', org)
      .where('participant_id', 'in', ids)
      .where('created_at', '>=', earliestInstantOf(period.from))
      .where('created_at', '<', afterInstantOf(period.to))
      .execute(),
    db
      .selectFrom('federal_interviews')
      .select(['id', 'participant_id', 'kind', 'conducted_on'])
      .where('organization_id', '=', org)
      .where('participant_id', 'in', ids)
      .where('kind', 'in', ['intake', 'six_month_follow_up'])
      .where('deleted_at', 'is', null)
      .where('conducted_on', '<=', period.to)
      .execute(),
  ]);
  const federalOf = groupBy(federal);

  const byP = {
    episodes: groupBy(episodes),
    lifeEvents: groupBy(lifeEvents),
    encounters: groupBy(encounters),
    appointments: groupBy(appointments),
    fills: groupBy(fills),
    otp: groupBy(otp),
    barc: groupBy(barc),
    referrals: groupBy(referrals),
  };
  const edVisitOf = new Map(edVisits.map((v) => [v.life_event_id, v]));
  const parsedServiceTypes = new Map<string | null, string[]>();
  const serviceTypesOf = (json: string | null): string[] => {
    let list = parsedServiceTypes.get(json);
    if (!list) parsedServiceTypes.set(json, (list = parseList(json)));
    return list;
  };

  return ids.map((participantId): ParticipantFacts => {
    const eps: EpisodeFact[] = (byP.episodes.get(participantId) ?? []).map((e) => ({ id: e.id, startOn: e.start_date, dischargedOn: e.discharge_date, dischargeReason: e.discharge_reason as DischargeReason | null }));
    // One pass over the encounters (the most rows by far); ED bedside ones are kept aside for the visits below.
    const contacts: ContactFact[] = [];
    const bedsideRows: { id: string; on: string; started_at: string; life_event_id: string | null }[] = [];
    for (const c of byP.encounters.get(participantId) ?? []) {
      const on = local(c.started_at);
      if (c.type === 'ed_bedside') bedsideRows.push({ id: c.id, on, started_at: c.started_at, life_event_id: c.life_event_id });
      if (on >= contactsFrom && on <= period.to) contacts.push({ id: c.id, on, type: c.type as EncounterType, reached: c.reached === 1, minutes: c.duration_minutes });
    }

    const edFacts: EdVisitFact[] = [];
    const admissions: AdmissionFact[] = [];
    const useEvents: UseEventFact[] = [];
    for (const e of byP.lifeEvents.get(participantId) ?? []) {
      if (e.kind === 'ed_visit' && e.occurred_on <= period.to) {
        const v = edVisitOf.get(e.id);
        const bedside =
          v?.encounter_id ??
          bedsideRows
            .filter((c) => c.on === e.occurred_on)
            .sort((a, b) => Number(b.life_event_id === e.id) - Number(a.life_event_id === e.id) || (a.started_at < b.started_at ? -1 : 1))[0]?.id ??
          null;
        edFacts.push({ id: e.id, on: e.occurred_on, bedsideEncounterId: bedside, peerRequestedAt: v?.peer_requested_at ?? null, peerArrivedAt: v?.peer_arrived_at ?? null });
      } else if (e.kind === 'hospital_admission') admissions.push({ id: e.id, on: e.occurred_on, setting: 'inpatient' });
      else if ((e.kind === 'return_to_use' || e.kind === 'overdose') && e.occurred_on >= period.from && e.occurred_on <= period.to) {
        useEvents.push({ id: e.id, on: e.occurred_on, kind: e.kind, fatal: false });
      }
    }
    // Fatal: the last overdose, with a `deceased` discharge on that day or within 30 days after.
    const lastOverdose = useEvents.filter((u) => u.kind === 'overdose').sort((a, b) => (a.on < b.on ? 1 : a.on > b.on ? -1 : a.id < b.id ? 1 : -1))[0];
    if (lastOverdose) {
      const deceasedOn = eps.find((e) => e.dischargeReason === 'deceased' && e.dischargedOn !== null && e.dischargedOn >= lastOverdose.on && e.dischargedOn <= addDays(lastOverdose.on, FATAL_WITHIN_DAYS));
      if (deceasedOn) lastOverdose.fatal = true;
    }

    const appointmentFacts: AppointmentFact[] = [];
    const attendedOnByReferral = new Map<string, string>();
    for (const a of byP.appointments.get(participantId) ?? []) {
      const on = local(a.starts_at);
      if (on < period.from) continue;
      // Only an intake reads where it was booked (and a batch books at few places: parsed once each).
      const treatment = treatmentOf(a.kind, a.kind === 'intake' ? serviceTypesOf(a.service_types) : []);
      const attended = a.status === 'attended';
      if (attended && treatment === 'residential_intake' && on <= lateAdmissions) admissions.push({ id: a.id, on, setting: 'residential' });
      if (on > period.to) continue;
      appointmentFacts.push({ id: a.id, on, treatment, attended });
      if (attended && a.referral_id) {
        const had = attendedOnByReferral.get(a.referral_id);
        if (!had || on < had) attendedOnByReferral.set(a.referral_id, on);
      }
    }

    return {
      participantId,
      episodes: eps,
      edVisits: edFacts,
      admissions,
      contacts,
      appointments: appointmentFacts,
      moudFills: (byP.fills.get(participantId) ?? []).map((f) => ({ id: f.id, medication: f.medication as MoudMedication, formulation: f.formulation as MoudFormulation, filledOn: f.filled_on, daysSupply: f.days_supply })),
      otpEnrollments: (byP.otp.get(participantId) ?? []).map((x) => ({ id: x.id, startedOn: x.started_on, endedOn: x.ended_on })),
      useEvents,
      barc10: (byP.barc.get(participantId) ?? []).map((b) => ({ id: b.id, on: b.answered_on, total: b.score! })),
      referrals: (byP.referrals.get(participantId) ?? [])
        .map((r) => {
          const linked = r.linkage_kind === 'appointment_attended' && r.linked_on && r.linked_on <= period.to ? r.linked_on : null;
          return { id: r.id, referredOn: local(r.created_at), status: r.status, firstAttendedOn: attendedOnByReferral.get(r.id) ?? linked };
        })
        .filter((r) => r.referredOn >= period.from && r.referredOn <= period.to),
      federalInterviews: (federalOf.get(participantId) ?? []).map((f) => ({ id: f.id, on: f.conducted_on, kind: f.kind as FederalInterviewFact['kind'] })),
    };
  });
}
