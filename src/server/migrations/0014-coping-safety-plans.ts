/**
 * Coping (cravings-and-triggers) and safety plans: one current plan of each kind per participant
 * (its content as JSON), every saved change kept as a numbered version row (a snapshot). Not unique
 * per participant: a merge may bring two plans of a kind together; the newest saved is the current.
 */
import type { Kysely } from 'kysely';
import { columnTypes } from '../platform/db/columns.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('coping_plans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // coping | safety
    .addColumn('plan_version', 'integer', (c) => c.notNull())
    .addColumn('content', t.text, (c) => c.notNull()) // JSON
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('coping_plans_participant').on('coping_plans').columns(['organization_id', 'participant_id', 'kind']).execute();

  await db.schema
    .createTable('coping_plan_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('plan_id', 'text', (c) => c.notNull().references('coping_plans.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('content', t.text, (c) => c.notNull()) // JSON snapshot
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('coping_plan_versions_number').on('coping_plan_versions').columns(['plan_id', 'number']).unique().execute();
  await db.schema.createIndex('coping_plan_versions_timeline').on('coping_plan_versions').columns(['organization_id', 'participant_id', 'created_at', 'id']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('coping_plan_versions').ifExists().execute();
  await db.schema.dropTable('coping_plans').ifExists().execute();
}
