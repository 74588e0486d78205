/**
 * Milestones and check-ins (issue 6): structured check-ins (mood, cravings, MOUD taken, use and
 * overdose since the last one, two short texts), custom milestones a participant reached
 * (housing found, a job…), and the celebrations logged for any milestone (automatic ones are
 * computed from the recovery and MOUD start dates, so only their celebration is stored).
 */
import type { Kysely } from 'kysely';
import { columnTypes } from '../platform/db/columns.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('check_ins')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('encounter_id', 'text', (c) => c.references('encounters.id'))
    .addColumn('checked_in_on', 'text', (c) => c.notNull()) // local date
    .addColumn('mood', 'integer', (c) => c.notNull()) // 1–5
    .addColumn('cravings', 'integer', (c) => c.notNull()) // 0–10
    .addColumn('moud_taken', 'text', (c) => c.notNull()) // yes | no | not_on_moud
    .addColumn('use_since_last', 'integer', (c) => c.notNull()) // 0/1
    .addColumn('overdose_since_last', 'integer', (c) => c.notNull()) // 0/1
    .addColumn('going_well', t.text)
    .addColumn('needs_today', t.text)
    .addColumn('alerts', t.text, (c) => c.notNull()) // JSON: alert reasons raised by this check-in
    .addColumn('source', 'text', (c) => c.notNull()) // coach | participant_link
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('check_ins_participant').on('check_ins').columns(['organization_id', 'participant_id', 'checked_in_on', 'created_at']).execute();
  await db.schema.createIndex('check_ins_timeline').on('check_ins').columns(['organization_id', 'participant_id', 'created_at', 'id']).execute();

  await db.schema
    .createTable('milestones')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // housing_found | job | family_reunited | court_completed | other
    .addColumn('label', t.text)
    .addColumn('reached_on', 'text', (c) => c.notNull()) // local date
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('milestones_participant').on('milestones').columns(['organization_id', 'participant_id', 'reached_on']).execute();

  await db.schema
    .createTable('milestone_celebrations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // recovery | moud | custom
    .addColumn('anchor', 'text', (c) => c.notNull()) // a series step (24h, 7d, 6m, 1y…) or a custom milestone id
    .addColumn('milestone_on', 'text', (c) => c.notNull()) // the milestone's date
    .addColumn('note', t.text)
    .addColumn('celebrated_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('celebrated_at', t.timestamp, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('milestone_celebrations_participant').on('milestone_celebrations').columns(['organization_id', 'participant_id', 'milestone_on']).execute();
  await db.schema.createIndex('milestone_celebrations_timeline').on('milestone_celebrations').columns(['organization_id', 'participant_id', 'created_at', 'id']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('milestone_celebrations').ifExists().execute();
  await db.schema.dropTable('milestones').ifExists().execute();
  await db.schema.dropTable('check_ins').ifExists().execute();
}
