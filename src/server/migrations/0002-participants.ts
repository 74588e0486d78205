/**
 * Participants (brief and full intake) and their episodes of care, with the history of each
 * episode's reassignments, transfers and status changes.
 */
import { sql, type Kysely } from 'kysely';
import { columnTypes } from '../platform/db/columns.js';

// Migrations take Kysely<any>: they describe the schema before the types exist.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  const t = columnTypes(db);

  let p = db.schema
    .createTable('participants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('intake_level', 'text', (c) => c.notNull().defaultTo('brief'))
    // brief intake
    .addColumn('first_name', 'text')
    .addColumn('last_name', 'text')
    .addColumn('alias', 'text')
    .addColumn('date_of_birth', t.date)
    .addColumn('birth_year', 'integer')
    .addColumn('dob_estimated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('phone', 'text')
    .addColumn('preferred_contact_method', 'text')
    .addColumn('intake_setting', 'text')
    .addColumn('referral_source', 'text')
    .addColumn('consent_to_follow_up', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('consent_to_follow_up_at', t.timestamp)
    // lower-cased, accents stripped: first, last, alias and preferred name (search and duplicates)
    .addColumn('search_name', 'text', (c) => c.notNull())
    // full intake
    .addColumn('preferred_name', 'text')
    .addColumn('pronouns', 'text')
    .addColumn('language', 'text')
    .addColumn('email', 'text')
    .addColumn('ok_voicemail', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('ok_text', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('safe_times', 'text')
    .addColumn('do_not_contact', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('emergency_contact_name', 'text')
    .addColumn('emergency_contact_relationship', 'text')
    .addColumn('emergency_contact_phone', 'text')
    .addColumn('address_line', 'text')
    .addColumn('city', 'text')
    .addColumn('state', 'text')
    .addColumn('zip', 'text')
    .addColumn('housing_status', 'text')
    .addColumn('insurance_type', 'text')
    .addColumn('insurance_member_id', 'text')
    .addColumn('primary_substance', 'text')
    .addColumn('secondary_substance', 'text')
    .addColumn('route_of_use', 'text')
    .addColumn('has_oud', 'integer')
    .addColumn('has_oud_source', 'text')
    .addColumn('current_moud', 'text')
    .addColumn('moud_source', 'text')
    .addColumn('recovery_start_date', t.date)
    .addColumn('employment', 'text')
    .addColumn('justice_involved', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pregnant_or_postpartum', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('youth', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('veteran', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('co_occurring_mental_health', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('race', 'text', (c) => c.notNull().defaultTo('[]')) // JSON array of OMB categories
    .addColumn('ethnicity', 'text')
    .addColumn('sex_at_birth', 'text')
    .addColumn('gender_identity', 'text')
    .addColumn('strengths_and_hopes', 'text');
  p = p
    .addColumn('merged_into_id', 'text', (c) => c.references('participants.id'))
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1));
  await p.execute();
  await db.schema.createIndex('participants_org_name').on('participants').columns(['organization_id', 'last_name', 'first_name']).execute();
  await db.schema.createIndex('participants_org_dob').on('participants').columns(['organization_id', 'date_of_birth']).execute();
  await db.schema.createIndex('participants_org_phone').on('participants').columns(['organization_id', 'phone']).execute();
  // Covering (id included): a name search reads only this index to find its matches.
  await db.schema.createIndex('participants_org_search').on('participants').columns(['organization_id', 'search_name', 'id']).execute();
  await db.schema.createIndex('participants_org_creator').on('participants').columns(['organization_id', 'created_by']).execute();

  await db.schema
    .createTable('episodes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id'))
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
    .addColumn('start_date', t.date, (c) => c.notNull())
    .addColumn('referral_source', 'text')
    .addColumn('assigned_coach_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('discharge_date', t.date)
    .addColumn('discharge_reason', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('episodes_participant').on('episodes').columns(['organization_id', 'participant_id']).execute();
  await db.schema.createIndex('episodes_coach').on('episodes').columns(['organization_id', 'assigned_coach_user_id', 'status']).execute();
  await db.schema.createIndex('episodes_site').on('episodes').columns(['organization_id', 'site_id', 'status']).execute();
  // One open (not discharged) episode per participant per program. The use case checks first and
  // answers 409 episode.active_exists; this index holds under concurrent requests too.
  await sql
    .raw(`CREATE UNIQUE INDEX episodes_one_open ON episodes (participant_id, program_id) WHERE status <> 'discharged'`)
    .execute(db);

  await db.schema
    .createTable('episode_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('episode_id', 'text', (c) => c.notNull().references('episodes.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // reassign | transfer | status
    .addColumn('from_value', 'text')
    .addColumn('to_value', 'text')
    .addColumn('reason', 'text')
    .addColumn('actor_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('occurred_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('episode_events_episode').on('episode_events').columns(['organization_id', 'episode_id', 'occurred_at']).execute();

  // One row per name word (normalized), so a word-prefix search is an index range, not a scan.
  await db.schema
    .createTable('participant_name_tokens')
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('participant_name_tokens_pk', ['organization_id', 'token', 'participant_id'])
    .execute();
  await db.schema.createIndex('participant_name_tokens_participant').on('participant_name_tokens').columns(['participant_id']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const table of ['participant_name_tokens', 'episode_events', 'episodes', 'participants']) {
    await db.schema.dropTable(table).execute();
  }
}
