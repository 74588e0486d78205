/**
 * Closed-loop referrals: the referral (FHIR Task lifecycle), its history of changes, the partner
 * accounts that receive for a directory organization, appointments booked for a referral, and
 * the organization's follow-up setting.
 */
import type { Kysely } from 'kysely';
import { columnTypes } from '../platform/db/columns.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  const t = columnTypes(db);

  // Days after a referral is requested with no outcome before a follow-up to-do is due.
  await db.schema.alterTable('organizations').addColumn('referral_follow_up_days', 'integer', (c) => c.notNull().defaultTo(7)).execute();

  await db.schema
    .createTable('referrals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    // The receiver: a directory service (and its organization, copied so the partner inbox is
    // one index range), or an organization outside the directory named by the coach.
    .addColumn('directory_service_id', 'text')
    .addColumn('directory_organization_id', 'text')
    .addColumn('receiver_name', 'text', (c) => c.notNull())
    .addColumn('receiver_type', 'text', (c) => c.notNull())
    .addColumn('service_name', 'text')
    .addColumn('receiver_contact', 'text')
    .addColumn('mode', 'text', (c) => c.notNull()) // logged | sent
    .addColumn('reason', t.text, (c) => c.notNull())
    .addColumn('urgency', 'text', (c) => c.notNull())
    .addColumn('notes_for_receiver', t.text)
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_reason', 'text')
    .addColumn('status_changed_at', t.timestamp)
    .addColumn('status_changed_by', 'text', (c) => c.references('users.id'))
    .addColumn('requested_at', t.timestamp)
    // Sent referrals: the accounting row holding the frozen copy, and the consent it went under.
    .addColumn('disclosure_id', 'text', (c) => c.references('disclosures.id'))
    .addColumn('consent_id', 'text', (c) => c.references('consents.id'))
    .addColumn('sent_at', t.timestamp)
    // The first visit booked for it, and linkage when the person attended or started MOUD.
    .addColumn('appointment_id', 'text', (c) => c.references('appointments.id'))
    .addColumn('linkage_kind', 'text')
    .addColumn('linked_on', 'text') // local date
    .addColumn('linkage_source', 'text')
    .addColumn('linkage_recorded_at', t.timestamp)
    .addColumn('linkage_recorded_by', 'text', (c) => c.references('users.id'))
    // Whose list the follow-up goes on, when, and the to-do itself.
    .addColumn('coach_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('follow_up_on', 'text') // local date
    .addColumn('follow_up_todo_id', 'text', (c) => c.references('todos.id'))
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('referrals_participant').on('referrals').columns(['organization_id', 'participant_id', 'created_at']).execute();
  // The partner inbox: a receiving organization's sent referrals, newest first (id is UUIDv7).
  await db.schema.createIndex('referrals_receiver').on('referrals').columns(['organization_id', 'directory_organization_id', 'mode', 'id']).execute();
  // Its open ones (few) and the counts by status.
  await db.schema.createIndex('referrals_receiver_status').on('referrals').columns(['organization_id', 'directory_organization_id', 'status', 'id']).execute();

  // Every change: created, sent, each status move, booking, attendance, linkage — who, when, why.
  await db.schema
    .createTable('referral_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('referral_id', 'text', (c) => c.notNull().references('referrals.id'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // created | sent | status | scheduled | attendance | linked
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text')
    .addColumn('reason', 'text')
    .addColumn('actor_kind', 'text', (c) => c.notNull()) // staff | partner
    .addColumn('actor_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('occurred_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('referral_events_referral').on('referral_events').columns(['referral_id', 'occurred_at']).execute();
  await db.schema.createIndex('referral_events_participant').on('referral_events').columns(['organization_id', 'participant_id', 'occurred_at']).execute();

  // A partner account receives for one directory organization of this Lodestar organization.
  await db.schema
    .createTable('partner_links')
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('directory_organization_id', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('partner_links_pk', ['organization_id', 'user_id'])
    .execute();

  // An appointment booked for a referral (by the partner or the coach).
  await db.schema.alterTable('appointments').addColumn('referral_id', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('appointments').dropColumn('referral_id').execute();
  await db.schema.dropTable('partner_links').ifExists().execute();
  await db.schema.dropTable('referral_events').ifExists().execute();
  await db.schema.dropTable('referrals').ifExists().execute();
  await db.schema.alterTable('organizations').dropColumn('referral_follow_up_days').execute();
}
