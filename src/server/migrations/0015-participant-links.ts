/**
 * One-time links for participants (issue 6): answer a questionnaire or a check-in on their own
 * phone, or read their own coping or safety plan, without an account. Only the secret's hash is
 * kept (`token_hash`); a link sent as a message gets its secret when the message is sent, so the
 * hash stays empty until then. Also seeds the social-needs screen in Spanish (SHIPPED_IN_0015).
 */
import type { Kysely } from 'kysely';
import { columnTypes } from '../platform/db/columns.js';
import { SHIPPED_IN_0015, seedShipped } from '../modules/questionnaires/questionnaires.shipped.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

const SEEDED_AT = '2026-11-28T00:00:00.000Z';

export async function up(db: AnyDb): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('participant_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('purpose', 'text', (c) => c.notNull()) // questionnaire | check_in | coping_plan | safety_plan
    .addColumn('definition_id', 'text', (c) => c.references('questionnaire_definitions.id')) // the exact version asked
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('delivery', 'text', (c) => c.notNull()) // message | code
    .addColumn('outbox_message_id', 'text', (c) => c.references('outbox_messages.id'))
    .addColumn('token_hash', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .addColumn('opened_at', t.timestamp)
    .addColumn('used_at', t.timestamp)
    .addColumn('revoked_at', t.timestamp)
    .addColumn('revoked_by', 'text', (c) => c.references('users.id'))
    .addColumn('result_type', 'text') // questionnaire_response | check_in
    .addColumn('result_id', 'text')
    .execute();
  await db.schema.createIndex('participant_links_token').on('participant_links').column('token_hash').unique().execute();
  await db.schema.createIndex('participant_links_participant').on('participant_links').columns(['organization_id', 'participant_id', 'created_at']).execute();
  await db.schema.createIndex('participant_links_message').on('participant_links').column('outbox_message_id').execute();

  await seedShipped(db, SHIPPED_IN_0015, SEEDED_AT);
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('participant_links').ifExists().execute();
  await db.deleteFrom('questionnaire_definitions').where('id', 'in', SHIPPED_IN_0015.map((d) => d.id)).execute();
}
