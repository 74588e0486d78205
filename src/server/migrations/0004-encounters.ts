/**
 * Encounters (one record per participant, a group encounter shares a group id), their addenda,
 * the ED bedside visit with its post-overdose details, and what the outreach rules read: each
 * program's follow-up schedule, contact cadence and unreachable rule, each episode's cadence
 * override and last successful contact, the participant's safe contact window, and each coach's
 * credential (billing needs the credential at the time of the encounter).
 */
import type { Kysely } from 'kysely';
import { columnTypes } from '../platform/db/columns.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  const t = columnTypes(db);

  // Hours after the ED encounter for each outreach to-do (24 h, 72 h, 7, 14 and 30 days).
  await db.schema.alterTable('programs').addColumn('follow_up_schedule', 'text', (c) => c.notNull().defaultTo('[24,72,168,336,720]')).execute();
  await db.schema.alterTable('programs').addColumn('cadence_days', 'integer', (c) => c.notNull().defaultTo(7)).execute();
  // Propose "unreachable" after this many failed attempts over at least this many channels within this many days.
  await db.schema.alterTable('programs').addColumn('unreachable_attempts', 'integer', (c) => c.notNull().defaultTo(3)).execute();
  await db.schema.alterTable('programs').addColumn('unreachable_channels', 'integer', (c) => c.notNull().defaultTo(2)).execute();
  await db.schema.alterTable('programs').addColumn('unreachable_days', 'integer', (c) => c.notNull().defaultTo(14)).execute();
  // Encounter types whose notes always go to supervisor review (JSON array).
  await db.schema.alterTable('programs').addColumn('review_types', 'text', (c) => c.notNull().defaultTo('["crisis"]')).execute();

  await db.schema.alterTable('episodes').addColumn('cadence_days', 'integer').execute();
  await db.schema.alterTable('episodes').addColumn('last_contact_at', t.timestamp).execute();
  await db.schema.alterTable('episodes').addColumn('unreachable_reason', 'text').execute();

  // The participant's safe window for contact (local HH:MM); outreach is scheduled inside it.
  await db.schema.alterTable('participants').addColumn('contact_window_start', 'text').execute();
  await db.schema.alterTable('participants').addColumn('contact_window_end', 'text').execute();

  await db.schema.alterTable('users').addColumn('credential', 'text').execute();

  await db.schema
    .createTable('encounters')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('episode_id', 'text', (c) => c.references('episodes.id'))
    .addColumn('group_id', 'text') // shared by the records of one group encounter
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('setting', 'text', (c) => c.notNull())
    .addColumn('place_of_service', 'text') // CMS place-of-service code
    .addColumn('started_at', t.timestamp, (c) => c.notNull())
    .addColumn('ended_at', t.timestamp)
    .addColumn('duration_minutes', 'integer')
    .addColumn('reached', 'integer', (c) => c.notNull())
    .addColumn('attempt_outcome', 'text') // no_answer | voicemail_left | not_in_service | message_sent | declined
    .addColumn('services', 'text', (c) => c.notNull().defaultTo('[]')) // JSON array
    .addColumn('participant_words', t.text)
    .addColumn('note', t.text)
    .addColumn('note_flags', 'text', (c) => c.notNull().defaultTo('[]')) // JSON: wording the note aid flagged
    .addColumn('author_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('author_credential', 'text')
    .addColumn('status', 'text', (c) => c.notNull()) // draft | signed
    .addColumn('signed_at', t.timestamp)
    .addColumn('review_status', 'text', (c) => c.notNull().defaultTo('none')) // none | pending | cosigned | returned
    .addColumn('review_reason', 'text') // coach | note_aid | program_rule
    .addColumn('review_comment', 'text')
    .addColumn('reviewed_by', 'text', (c) => c.references('users.id'))
    .addColumn('reviewed_at', t.timestamp)
    .addColumn('todo_id', 'text', (c) => c.references('todos.id')) // the to-do this contact answered
    .addColumn('life_event_id', 'text', (c) => c.references('life_events.id')) // the ED visit of a bedside encounter
    .addColumn('deleted_at', t.timestamp)
    .addColumn('deleted_by', 'text', (c) => c.references('users.id'))
    .addColumn('deletion_reason', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  // Covering for the outreach rules (last bedside, last successful contact, attempts by channel).
  await db.schema
    .createIndex('encounters_participant')
    .on('encounters')
    .columns(['organization_id', 'participant_id', 'started_at', 'type', 'reached', 'deleted_at'])
    .execute();
  // Covering for the supervisor view's attempts and successful contacts per coach.
  await db.schema.createIndex('encounters_author').on('encounters').columns(['organization_id', 'author_user_id', 'started_at', 'reached', 'deleted_at']).execute();
  // Encounters of one type for given people (the supervisor view's ED bedside contacts).
  await db.schema.createIndex('encounters_type').on('encounters').columns(['organization_id', 'type', 'participant_id', 'started_at', 'deleted_at']).execute();
  await db.schema.createIndex('encounters_review').on('encounters').columns(['organization_id', 'review_status', 'started_at']).execute();
  await db.schema.createIndex('encounters_group').on('encounters').columns(['organization_id', 'group_id']).execute();

  // Later changes to a signed note: kept and shown as addenda, never silent edits.
  await db.schema
    .createTable('encounter_addenda')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('encounter_id', 'text', (c) => c.notNull().references('encounters.id'))
    .addColumn('author_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('text', t.text, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('encounter_addenda_encounter').on('encounter_addenda').columns(['organization_id', 'encounter_id', 'created_at']).execute();

  // The ED bedside visit: attached to the ED-visit life event and its bedside encounter.
  await db.schema
    .createTable('ed_visits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('life_event_id', 'text', (c) => c.notNull().references('life_events.id'))
    .addColumn('encounter_id', 'text', (c) => c.references('encounters.id'))
    .addColumn('site_id', 'text', (c) => c.references('sites.id'))
    .addColumn('ed_arrived_at', t.timestamp)
    .addColumn('peer_requested_at', t.timestamp)
    .addColumn('peer_arrived_at', t.timestamp)
    .addColumn('overdose', 'integer')
    .addColumn('substance', 'text')
    .addColumn('naloxone_administered', 'integer')
    .addColumn('naloxone_kit_given', 'integer')
    .addColumn('moud_started', 'text') // none | buprenorphine | methadone | naltrexone (clinician-reported)
    .addColumn('referral_offered', 'integer')
    .addColumn('referral_accepted', 'integer')
    .addColumn('warm_handoff_to', 'text')
    .addColumn('consent_to_follow_up', 'integer')
    .addColumn('best_contact_method', 'text')
    .addColumn('best_contact_time', 'text')
    .addColumn('discharged_at', t.timestamp)
    .addColumn('status', 'text', (c) => c.notNull()) // open | completed
    .addColumn('completed_at', t.timestamp)
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('ed_visits_participant').on('ed_visits').columns(['organization_id', 'participant_id', 'created_at']).execute();
  await db.schema.createIndex('ed_visits_life_event').on('ed_visits').columns(['life_event_id']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const table of ['ed_visits', 'encounter_addenda', 'encounters']) await db.schema.dropTable(table).execute();
  for (const [table, column] of [
    ['users', 'credential'],
    ['participants', 'contact_window_end'],
    ['participants', 'contact_window_start'],
    ['episodes', 'unreachable_reason'],
    ['episodes', 'last_contact_at'],
    ['episodes', 'cadence_days'],
    ['programs', 'review_types'],
    ['programs', 'unreachable_days'],
    ['programs', 'unreachable_channels'],
    ['programs', 'unreachable_attempts'],
    ['programs', 'cadence_days'],
    ['programs', 'follow_up_schedule'],
  ] as const) {
    await db.schema.alterTable(table).dropColumn(column).execute();
  }
}
