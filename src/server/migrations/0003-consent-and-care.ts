/**
 * 42 CFR Part 2 consent (consents, their signatures, restriction requests, the accounting of
 * disclosures), break-the-glass access grants and the notices they send, and the shared care
 * mechanisms later capabilities plug into: life events and to-dos. Also the organization's
 * rule for minors (§2.14) and who merged a participant record.
 */
import type { Kysely } from 'kysely';
import { columnTypes } from '../platform/db/columns.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  const t = columnTypes(db);

  // §2.14: where state law lets a minor consent to treatment ('minor_consents'), the minor's own
  // consent governs; otherwise ('parent_required') a parent or guardian signs as well.
  await db.schema.alterTable('organizations').addColumn('minor_consent_rule', 'text', (c) => c.notNull().defaultTo('minor_consents')).execute();

  await db.schema.alterTable('participants').addColumn('merged_at', t.timestamp).execute();
  // A user id, without a foreign key: SQLite cannot drop a column that references another table.
  await db.schema.alterTable('participants').addColumn('merged_by', 'text').execute();
  // Why the records were merged, for whoever reviews it (shown only to those who see the record).
  await db.schema.alterTable('participants').addColumn('merge_reason', 'text').execute();

  await db.schema
    .createTable('consents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // participation | disclosure_tpo | disclosure_specific
    .addColumn('discloser', 'text', (c) => c.notNull()) // name or designation of who discloses
    .addColumn('categories', 'text', (c) => c.notNull()) // JSON array of information categories
    .addColumn('recipients', 'text', (c) => c.notNull()) // JSON array of recipients (named or TPO class)
    .addColumn('purposes', 'text', (c) => c.notNull()) // JSON array of purposes
    .addColumn('expires_on', t.date)
    .addColumn('expiration_event', 'text')
    .addColumn('right_to_revoke_explained', 'integer', (c) => c.notNull().defaultTo(0))
    // A TPO consent also states that records may be redisclosed under HIPAA, and what refusing means.
    .addColumn('redisclosure_statement_given', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('refusal_consequences_explained', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('form_language', 'text', (c) => c.notNull().defaultTo('en'))
    .addColumn('signed_on', t.date, (c) => c.notNull())
    .addColumn('revoked_at', t.timestamp)
    .addColumn('revoked_on', t.date)
    .addColumn('revocation_method', 'text')
    .addColumn('revocation_note', 'text')
    .addColumn('revoked_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('consents_participant').on('consents').columns(['organization_id', 'participant_id', 'kind']).execute();
  await db.schema.createIndex('consents_expiry').on('consents').columns(['organization_id', 'expires_on']).execute();

  // One or two per consent: the participant, or a parent, guardian or personal representative
  // (with the legal basis), or both for a minor where a parent must sign too.
  await db.schema
    .createTable('consent_signatures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('consent_id', 'text', (c) => c.notNull().references('consents.id'))
    .addColumn('signer_role', 'text', (c) => c.notNull()) // participant | parent | guardian | personal_representative
    .addColumn('signer_name', 'text', (c) => c.notNull())
    .addColumn('legal_basis', 'text')
    .addColumn('method', 'text', (c) => c.notNull()) // drawn | typed | verbal
    .addColumn('signature_data', t.text) // drawn: SVG path data; typed: the typed name
    .addColumn('attested', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('witness_name', 'text') // verbal consent only
    .addColumn('signed_at', t.timestamp, (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull().references('users.id'))
    .execute();
  await db.schema.createIndex('consent_signatures_consent').on('consent_signatures').columns(['consent_id']).execute();

  await db.schema
    .createTable('restriction_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('requested_on', t.date, (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text') // JSON recipient the restriction is toward (null: anyone)
    .addColumn('categories', 'text', (c) => c.notNull()) // JSON array (empty: all)
    .addColumn('purposes', 'text', (c) => c.notNull()) // JSON array (empty: all)
    .addColumn('paid_out_of_pocket', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull()) // pending | agreed | declined | ended
    .addColumn('decision_reason', 'text')
    .addColumn('decided_at', t.timestamp)
    .addColumn('decided_by', 'text', (c) => c.references('users.id'))
    .addColumn('ended_at', t.timestamp)
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('restriction_requests_participant').on('restriction_requests').columns(['organization_id', 'participant_id']).execute();

  // The accounting of disclosures: one row per disclosure, with a frozen copy of what was sent.
  // Never updated or deleted (kept at least six years).
  await db.schema
    .createTable('disclosures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('disclosed_at', t.timestamp, (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull()) // JSON
    .addColumn('categories', 'text', (c) => c.notNull()) // JSON array
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('purpose_of_use', 'text', (c) => c.notNull()) // FHIR v3 PurposeOfUse code
    .addColumn('consent_id', 'text', (c) => c.references('consents.id'))
    .addColumn('legal_basis', 'text', (c) => c.notNull()) // consent | medical_emergency | court_order | audit_evaluation | research
    .addColumn('legal_basis_detail', 'text')
    .addColumn('payload', t.text, (c) => c.notNull()) // JSON, exactly what was sent
    .addColumn('notice', t.text, (c) => c.notNull()) // the §2.32 notice stamped on it
    .addColumn('batch_id', 'text')
    .addColumn('disclosed_by', 'text', (c) => c.notNull().references('users.id'))
    .execute();
  await db.schema.createIndex('disclosures_participant').on('disclosures').columns(['organization_id', 'participant_id', 'disclosed_at']).execute();

  // Break-the-glass: a stated reason opens one record to one person for a short time.
  await db.schema
    .createTable('access_grants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('granted_at', t.timestamp, (c) => c.notNull())
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .addColumn('ended_at', t.timestamp)
    .execute();
  await db.schema.createIndex('access_grants_user').on('access_grants').columns(['user_id', 'participant_id', 'expires_at']).execute();

  // Notices to people inside the organization (e.g. a break-the-glass to the supervisor and the
  // privacy officer). They hold ids, never names: the interface words them.
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('participant_id', 'text', (c) => c.references('participants.id'))
    .addColumn('reference_id', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('read_at', t.timestamp)
    .execute();
  await db.schema.createIndex('notifications_user').on('notifications').columns(['user_id', 'organization_id', 'created_at']).execute();

  await db.schema
    .createTable('life_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // return_to_use | overdose | ed_visit | hospital_admission | incarceration | housing_change
    .addColumn('occurred_on', t.date, (c) => c.notNull())
    .addColumn('occurred_at', t.timestamp)
    .addColumn('source', 'text', (c) => c.notNull()) // participant_reported | staff_observed | clinician_verified | records
    .addColumn('note', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('life_events_participant').on('life_events').columns(['organization_id', 'participant_id', 'occurred_on']).execute();
  await db.schema.createIndex('life_events_kind').on('life_events').columns(['organization_id', 'kind', 'occurred_on']).execute();

  await db.schema
    .createTable('todos')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('participant_id', 'text', (c) => c.references('participants.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // follow_up (later: referral, plan_review, alert, insurance…)
    .addColumn('owner_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('due_on', t.date, (c) => c.notNull()) // local date
    .addColumn('due_time', 'text') // local HH:MM, optional
    .addColumn('due_at', t.timestamp, (c) => c.notNull()) // the same instant in UTC, for ordering
    .addColumn('severity', 'text', (c) => c.notNull()) // low | normal | high | urgent
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('clears_on', 'text', (c) => c.notNull()) // manual | contact_reached | …
    .addColumn('source_type', 'text')
    .addColumn('source_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull()) // open | done | cancelled
    .addColumn('resolution', 'text')
    .addColumn('completed_at', t.timestamp)
    .addColumn('completed_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('todos_owner').on('todos').columns(['organization_id', 'owner_user_id', 'status', 'due_at']).execute();
  await db.schema.createIndex('todos_participant').on('todos').columns(['organization_id', 'participant_id', 'status']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const table of ['todos', 'life_events', 'notifications', 'access_grants', 'disclosures', 'restriction_requests', 'consent_signatures', 'consents']) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.alterTable('participants').dropColumn('merge_reason').execute();
  await db.schema.alterTable('participants').dropColumn('merged_by').execute();
  await db.schema.alterTable('participants').dropColumn('merged_at').execute();
  await db.schema.alterTable('organizations').dropColumn('minor_consent_rule').execute();
}
