/**
 * All SQL of the research export. It selects only the columns the de-identified dataset is built
 * from: no name, address, phone, email, member number, note or any other free text is ever read,
 * so none can leave by mistake. Every query is filtered by organization; event rows are read in
 * batches of participants (one query per table per batch, never one per person).
 */
import type { Executor } from '../../platform/db/database.js';

const BATCH = 500;

export interface CohortEpisode {
  id: string;
  participantId: string;
  startDate: string;
  dischargeDate: string | null;
  dischargeReason: string | null;
}

/** Episodes enrolled between `fromDate` and `toDate` (local dates, both included), of participants not merged into another record. */
export async function cohortEpisodes(db: Executor, organizationId: string, fromDate: string, toDate: string): Promise<CohortEpisode[]> {
  const rows = await db
    .selectFrom('episodes as e')
    .innerJoin('participants as p', (j) => j.onRef('p.id', '=', 'e.participant_id').onRef('p.organization_id', '=', 'e.organization_id'))
    .select(['e.id', 'e.participant_id', 'e.start_date', 'e.discharge_date', 'e.discharge_reason'])
    .where('e.organization_id', '=', organizationId)
    .where('e.start_date', '>=', fromDate)
    .where('e.start_date', '<=', toDate)
    .where('p.merged_into_id', 'is', null)
    .execute();
  return rows.map((r) => ({ id: r.id, participantId: r.participant_id, startDate: r.start_date, dischargeDate: r.discharge_date, dischargeReason: r.discharge_reason }));
}

export interface Demographics {
  id: string;
  dateOfBirth: string | null;
  birthYear: number | null;
  sexAtBirth: string | null;
  /** JSON array of race codes as stored. */
  race: string;
  ethnicity: string | null;
  insuranceType: string | null;
  zip: string | null;
}

export async function demographics(db: Executor, organizationId: string, ids: readonly string[]): Promise<Demographics[]> {
  const out: Demographics[] = [];
  for (const batch of batches(ids)) {
    const rows = await db
      .selectFrom('participants')
      .select(['id', 'date_of_birth', 'birth_year', 'sex_at_birth', 'race', 'ethnicity', 'insurance_type', 'zip'])
      .where('organization_id', '=', organizationId)
      .where('id', 'in', batch)
      .execute();
    for (const r of rows) {
      out.push({ id: r.id, dateOfBirth: r.date_of_birth, birthYear: r.birth_year, sexAtBirth: r.sex_at_birth, race: r.race, ethnicity: r.ethnicity, insuranceType: r.insurance_type, zip: r.zip });
    }
  }
  return out;
}

/** What one participant's history holds, as kinds, codes, numbers and dates (local dates, or instants to be made local). */
export interface History {
  lifeEvents: { participantId: string; kind: string; on: string }[];
  encounters: { participantId: string; startedAt: string; type: string; mode: string; reached: boolean }[];
  referrals: { id: string; participantId: string; at: string; status: string; linkedOn: string | null }[];
  appointments: { participantId: string; referralId: string | null; startsAt: string; kind: string; status: string }[];
  moudFills: { participantId: string; filledOn: string; medication: string; daysSupply: number }[];
  barc10: { participantId: string; answeredOn: string; score: number }[];
}

const LIFE_EVENT_KINDS = ['ed_visit', 'hospital_admission', 'overdose', 'return_to_use'];

/**
 * The history of `ids` from `sinceDate` (a local date) and `sinceInstant` (an ISO instant a day or
 * more before it, for timestamped rows whose local date is computed later).
 */
export async function history(db: Executor, organizationId: string, ids: readonly string[], sinceDate: string, sinceInstant: string): Promise<History> {
  const h: History = { lifeEvents: [], encounters: [], referrals: [], appointments: [], moudFills: [], barc10: [] };
  for (const batch of batches(ids)) {
    const life = await db
      .selectFrom('life_events')
      .select(['participant_id', 'kind', 'occurred_on'])
      .where('organization_id', '=', organizationId)
      .where('participant_id', 'in', batch)
      .where('kind', 'in', LIFE_EVENT_KINDS)
      .where('occurred_on', '>=', sinceDate)
      .execute();
    h.lifeEvents.push(...life.map((r) => ({ participantId: r.participant_id, kind: r.kind, on: r.occurred_on })));

    const encounters = await db
      .selectFrom('encounters')
      .select(['participant_id', 'started_at', 'type', 'mode', 'reached'])
      .where('organization_id', '=', organizationId)
      .where('participant_id', 'in', batch)
      .where('deleted_at', 'is', null)
      .where('started_at', '>=', sinceInstant)
      .execute();
    h.encounters.push(...encounters.map((r) => ({ participantId: r.participant_id, startedAt: r.started_at, type: r.type, mode: r.mode, reached: Number(r.reached) === 1 })));

    const referrals = await db
      .selectFrom('referrals')
      .select(['id', 'participant_id', 'requested_at', 'created_at', 'status', 'linked_on'])
      .where('organization_id', '=', organizationId)
      .where('participant_id', 'in', batch)
      .where('created_at', '>=', sinceInstant)
      .execute();
    h.referrals.push(...referrals.map((r) => ({ id: r.id, participantId: r.participant_id, at: r.requested_at ?? r.created_at, status: r.status, linkedOn: r.linked_on })));

    const appointments = await db
      .selectFrom('appointments')
      .select(['participant_id', 'referral_id', 'starts_at', 'kind', 'status'])
      .where('organization_id', '=', organizationId)
      .where('participant_id', 'in', batch)
      .where('starts_at', '>=', sinceInstant)
      .execute();
    h.appointments.push(...appointments.map((r) => ({ participantId: r.participant_id, referralId: r.referral_id, startsAt: r.starts_at, kind: r.kind, status: r.status })));

    const fills = await db
      .selectFrom('moud_fills')
      .select(['participant_id', 'filled_on', 'medication', 'days_supply'])
      .where('organization_id', '=', organizationId)
      .where('participant_id', 'in', batch)
      .where('filled_on', '>=', sinceDate)
      .execute();
    h.moudFills.push(...fills.map((r) => ({ participantId: r.participant_id, filledOn: r.filled_on, medication: r.medication, daysSupply: Number(r.days_supply) })));

    const barc = await db
      .selectFrom('questionnaire_responses')
      .select(['participant_id', 'answered_on', 'score'])
      .where('organization_id', '=', organizationId)
      .where('participant_id', 'in', batch)
      .where('questionnaire_key', '=', 'barc10')
      .where('score', 'is not', null)
      .where('answered_on', '>=', sinceDate)
      .execute();
    h.barc10.push(...barc.map((r) => ({ participantId: r.participant_id, answeredOn: r.answered_on, score: Number(r.score) })));
  }
  return h;
}

function* batches<T>(ids: readonly T[]): Generator<T[]> {
  for (let i = 0; i < ids.length; i += BATCH) yield ids.slice(i, i + BATCH);
}
