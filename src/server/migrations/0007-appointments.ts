/**
 * Appointments, reminders and the message outbox (SMS and email through pluggable providers), and private calendar feed tokens.
 */
import type { Kysely } from 'kysely';
import { columnTypes } from '../platform/db/columns.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('appointments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('starts_at', t.timestamp, (c) => c.notNull())
    .addColumn('ends_at', t.timestamp)
    .addColumn('place', 'text')
    // A directory service, as a plain reference: the directory may change under it.
    .addColumn('directory_service_id', 'text')
    .addColumn('telehealth_url', 'text')
    .addColumn('provider_name', 'text')
    .addColumn('transport_needs', 'text')
    .addColumn('notes', t.text)
    // Whose calendar and today list it is on.
    .addColumn('coach_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('status', 'text', (c) => c.notNull()) // scheduled | attended | missed | cancelled | rescheduled
    .addColumn('status_reason', 'text')
    .addColumn('status_changed_at', t.timestamp)
    .addColumn('status_changed_by', 'text', (c) => c.references('users.id'))
    .addColumn('rescheduled_from_id', 'text', (c) => c.references('appointments.id'))
    .addColumn('rescheduled_to_id', 'text', (c) => c.references('appointments.id'))
    .addColumn('remind_participant', 'integer', (c) => c.notNull().defaultTo(0))
    // The participant agreed that the reminder may name the place.
    .addColumn('reminder_names_place', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('appointments_participant').on('appointments').columns(['organization_id', 'participant_id', 'starts_at']).execute();
  await db.schema.createIndex('appointments_participant_created').on('appointments').columns(['organization_id', 'participant_id', 'created_at']).execute();
  await db.schema.createIndex('appointments_participant_status').on('appointments').columns(['organization_id', 'participant_id', 'status_changed_at']).execute();
  await db.schema.createIndex('appointments_coach').on('appointments').columns(['organization_id', 'coach_user_id', 'starts_at']).execute();

  // Messages to participants: written in the same transaction as what caused them, sent by the
  // worker (status pending → sending → sent, or back to pending with a later next_attempt_at,
  // or failed after the last retry). The text is rendered when it is sent.
  await db.schema
    .createTable('outbox_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('appointment_id', 'text', (c) => c.references('appointments.id'))
    .addColumn('template', 'text', (c) => c.notNull()) // appointment_reminder
    .addColumn('channel', 'text', (c) => c.notNull()) // sms | email
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', t.timestamp)
    .addColumn('last_error', 'text') // a code, never the address or the text
    .addColumn('provider', 'text')
    .addColumn('provider_message_id', 'text')
    .addColumn('language', 'text')
    .addColumn('body', t.text) // as sent
    .addColumn('sent_at', t.timestamp)
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('outbox_due').on('outbox_messages').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('outbox_organization').on('outbox_messages').columns(['organization_id', 'status', 'created_at']).execute();
  await db.schema.createIndex('outbox_appointment').on('outbox_messages').columns(['appointment_id']).execute();

  await db.schema
    .createTable('calendar_feeds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique()) // SHA-256 of the secret in the address
    .addColumn('show_names', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('revoked_at', t.timestamp)
    .execute();
  await db.schema.createIndex('calendar_feeds_user').on('calendar_feeds').columns(['organization_id', 'user_id', 'revoked_at']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('calendar_feeds').ifExists().execute();
  await db.schema.dropTable('outbox_messages').ifExists().execute();
  await db.schema.dropTable('appointments').ifExists().execute();
}
