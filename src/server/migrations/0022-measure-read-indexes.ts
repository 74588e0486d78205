/**
 * Reading the measures' facts fast (issue 7, "Scale"): the loader reads each table by
 * organization and a batch of participant ids (measures.loader.ts). Its per-participant indexes
 * found the rows but not what the loader reads, so every row cost a lookup in the table, in
 * random order: on a year of encounters, wide rows (notes) scattered through a large table. Each
 * index is replaced by one with the same leading columns (so every query that used it still can)
 * followed by the columns the loader reads: the loader's queries are answered from the index
 * alone, and there is no extra index to keep up to date on writes.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

interface Replaced {
  name: string;
  table: string;
  before: string[];
  after: string[];
}

const REPLACED: Replaced[] = [
  {
    name: 'encounters_participant',
    table: 'encounters',
    before: ['organization_id', 'participant_id', 'started_at', 'type', 'reached', 'deleted_at'],
    after: ['organization_id', 'participant_id', 'started_at', 'type', 'reached', 'deleted_at', 'duration_minutes', 'life_event_id', 'id'],
  },
  {
    name: 'appointments_participant',
    table: 'appointments',
    before: ['organization_id', 'participant_id', 'starts_at'],
    after: ['organization_id', 'participant_id', 'starts_at', 'kind', 'status', 'referral_id', 'directory_service_id', 'id'],
  },
  {
    name: 'episodes_participant',
    table: 'episodes',
    before: ['organization_id', 'participant_id'],
    after: ['organization_id', 'participant_id', 'start_date', 'discharge_date', 'discharge_reason', 'program_id', 'site_id', 'assigned_coach_user_id', 'id'],
  },
  {
    name: 'life_events_participant',
    table: 'life_events',
    before: ['organization_id', 'participant_id', 'occurred_on'],
    after: ['organization_id', 'participant_id', 'occurred_on', 'kind', 'id'],
  },
  {
    name: 'moud_fills_participant',
    table: 'moud_fills',
    before: ['organization_id', 'participant_id', 'medication', 'filled_on'],
    after: ['organization_id', 'participant_id', 'medication', 'filled_on', 'days_supply', 'course_id', 'id'],
  },
  {
    name: 'referrals_participant',
    table: 'referrals',
    before: ['organization_id', 'participant_id', 'created_at'],
    after: ['organization_id', 'participant_id', 'created_at', 'status', 'linkage_kind', 'linked_on', 'id'],
  },
];

async function replace(db: AnyDb, which: 'before' | 'after'): Promise<void> {
  for (const r of REPLACED) {
    await db.schema.dropIndex(r.name).execute();
    await db.schema.createIndex(r.name).on(r.table).columns(r[which]).execute();
  }
}

export async function up(db: AnyDb): Promise<void> {
  await replace(db, 'after');
}

export async function down(db: AnyDb): Promise<void> {
  await replace(db, 'before');
}
