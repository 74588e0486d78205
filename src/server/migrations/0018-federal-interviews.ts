/**
 * Federal (SAMHSA GPRA-style) interviews (issue 7, measure 8): the intake, the 6-month follow-up
 * and the discharge interview a program conducts with a participant, one row per interview
 * conducted (on a local date of the organization). Corrections bump `version`; a row recorded in
 * error is removed by setting `deleted_at` (kept, audited), never deleted.
 */
import type { Kysely } from 'kysely';
import { columnTypes } from '../platform/db/columns.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('federal_interviews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('episode_id', 'text', (c) => c.references('episodes.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // intake | six_month_follow_up | discharge
    .addColumn('conducted_on', 'text', (c) => c.notNull()) // local date
    .addColumn('recorded_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('deleted_at', t.timestamp)
    .addColumn('deleted_by', 'text', (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('federal_interviews_participant').on('federal_interviews').columns(['organization_id', 'participant_id']).execute();
  await db.schema.createIndex('federal_interviews_kind_date').on('federal_interviews').columns(['organization_id', 'kind', 'conducted_on']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('federal_interviews').ifExists().execute();
}
