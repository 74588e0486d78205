/**
 * Recovery plans: one living plan per episode (its current goals as JSON), every saved change kept
 * as a numbered version row (a snapshot of the goals), the participant's agreement per version,
 * and the plan reviews. The next review is a `plan_review` to-do (todos.source_type
 * 'recovery_plan'), not a column here.
 */
import type { Kysely } from 'kysely';
import { columnTypes } from '../platform/db/columns.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('recovery_plans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('episode_id', 'text', (c) => c.notNull().references('episodes.id'))
    .addColumn('plan_version', 'integer', (c) => c.notNull()) // number of the current content version
    .addColumn('goals', t.text, (c) => c.notNull()) // JSON: Goal[]
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  // One living plan per episode.
  await db.schema.createIndex('recovery_plans_episode').on('recovery_plans').column('episode_id').unique().execute();
  await db.schema.createIndex('recovery_plans_participant').on('recovery_plans').columns(['organization_id', 'participant_id']).execute();

  await db.schema
    .createTable('recovery_plan_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('plan_id', 'text', (c) => c.notNull().references('recovery_plans.id'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('goals', t.text, (c) => c.notNull()) // JSON snapshot: Goal[]
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('recovery_plan_versions_number').on('recovery_plan_versions').columns(['plan_id', 'number']).unique().execute();
  await db.schema.createIndex('recovery_plan_versions_timeline').on('recovery_plan_versions').columns(['organization_id', 'participant_id', 'created_at', 'id']).execute();

  await db.schema
    .createTable('recovery_plan_agreements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('plan_id', 'text', (c) => c.notNull().references('recovery_plans.id'))
    .addColumn('plan_version', 'integer', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull()) // drawn | typed | verbal
    .addColumn('signature_data', t.text)
    .addColumn('attested', 'integer', (c) => c.notNull())
    .addColumn('witness_name', 'text')
    .addColumn('agreed_on', 'text', (c) => c.notNull()) // local date
    .addColumn('recorded_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('recovery_plan_agreements_plan').on('recovery_plan_agreements').columns(['plan_id', 'plan_version']).execute();
  await db.schema.createIndex('recovery_plan_agreements_timeline').on('recovery_plan_agreements').columns(['organization_id', 'participant_id', 'created_at', 'id']).execute();

  await db.schema
    .createTable('recovery_plan_reviews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('plan_id', 'text', (c) => c.notNull().references('recovery_plans.id'))
    .addColumn('plan_version', 'integer', (c) => c.notNull())
    .addColumn('reviewed_on', 'text', (c) => c.notNull()) // local date
    .addColumn('note', t.text)
    .addColumn('next_review_on', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('recovery_plan_reviews_plan').on('recovery_plan_reviews').columns(['plan_id', 'reviewed_on']).execute();
  await db.schema.createIndex('recovery_plan_reviews_timeline').on('recovery_plan_reviews').columns(['organization_id', 'participant_id', 'created_at', 'id']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('recovery_plan_reviews').ifExists().execute();
  await db.schema.dropTable('recovery_plan_agreements').ifExists().execute();
  await db.schema.dropTable('recovery_plan_versions').ifExists().execute();
  await db.schema.dropTable('recovery_plans').ifExists().execute();
}
