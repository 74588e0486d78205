/**
 * External ids of imported records (issue 7, "Importing program history"): a program's history
 * arrives from spreadsheets and other systems, each record with the id it had there. Keeping the
 * pair (kind, external id) → Lodestar id per organization lets a second import of the same file
 * update the records the first one made instead of adding them again.
 */
import type { Kysely } from 'kysely';
import { columnTypes } from '../platform/db/columns.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('import_external_ids')
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // participant | episode | encounter | life_event | referral | appointment | moud_fill | otp_period | questionnaire_response
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('import_external_ids_pk', ['organization_id', 'kind', 'external_id'])
    .execute();
  await db.schema.createIndex('import_external_ids_record').on('import_external_ids').columns(['organization_id', 'record_id']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('import_external_ids').ifExists().execute();
}
