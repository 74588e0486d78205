/**
 * MOUD access (medications and formulations, prescriber or OTP, pharmacy, fills with days supply, OTP enrollment periods, barriers) and insurance navigation tasks.
 *
 * One `moud_courses` row per medication and prescriber or program; its fills (buprenorphine,
 * naltrexone) or OTP enrollment periods (methadone); barriers; insurance navigation tasks. A
 * course keeps `covered_through` and `next_refill_due`, recomputed from every fill of the
 * participant's same medication whenever a fill or course changes, so the caseload's `refill_due`
 * signal is one index range per batch. Directory references (`*_service_id`) are plain text: the
 * directory may not hold the service, and a deleted entry must not take the history with it.
 */
import type { Kysely } from 'kysely';
import { columnTypes } from '../platform/db/columns.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('moud_courses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('medication', 'text', (c) => c.notNull()) // buprenorphine | methadone | naltrexone
    .addColumn('formulation', 'text', (c) => c.notNull())
    .addColumn('prescriber', 'text') // prescriber or opioid treatment program, free text
    .addColumn('prescriber_service_id', 'text') // a directory service, when picked
    .addColumn('pharmacy', 'text')
    .addColumn('pharmacy_service_id', 'text')
    .addColumn('started_on', t.date)
    .addColumn('status', 'text', (c) => c.notNull()) // starting | active | stopped
    .addColumn('stopped_on', t.date)
    .addColumn('source', 'text', (c) => c.notNull()) // participant_reported | verified
    .addColumn('verified_by', 'text', (c) => c.references('users.id'))
    .addColumn('covered_through', t.date) // derived from the fills of the same medication
    .addColumn('next_refill_due', t.date) // covered_through + 1; null for methadone
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  // The participant's courses; the refill signal reads (participant, status, next_refill_due).
  await db.schema.createIndex('moud_courses_participant').on('moud_courses').columns(['organization_id', 'participant_id', 'status', 'next_refill_due']).execute();

  await db.schema
    .createTable('moud_fills')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('course_id', 'text', (c) => c.notNull().references('moud_courses.id'))
    .addColumn('medication', 'text', (c) => c.notNull()) // the course's, for the coverage rules (same medication)
    .addColumn('filled_on', t.date, (c) => c.notNull())
    .addColumn('days_supply', 'integer', (c) => c.notNull())
    .addColumn('days_supply_defaulted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('quantity', 'real')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('verified_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('moud_fills_participant').on('moud_fills').columns(['organization_id', 'participant_id', 'medication', 'filled_on']).execute();

  await db.schema
    .createTable('moud_otp_enrollments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('course_id', 'text', (c) => c.notNull().references('moud_courses.id'))
    .addColumn('started_on', t.date, (c) => c.notNull())
    .addColumn('ended_on', t.date)
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('verified_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('moud_otp_enrollments_participant').on('moud_otp_enrollments').columns(['organization_id', 'participant_id', 'started_on']).execute();

  await db.schema
    .createTable('moud_barriers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('course_id', 'text', (c) => c.references('moud_courses.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('status', 'text', (c) => c.notNull()) // open | resolved
    .addColumn('noted_on', t.date, (c) => c.notNull())
    .addColumn('resolved_on', t.date)
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('verified_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('moud_barriers_participant').on('moud_barriers').columns(['organization_id', 'participant_id', 'noted_on']).execute();

  await db.schema
    .createTable('insurance_tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('status', 'text', (c) => c.notNull()) // open | in_progress | done | cancelled
    .addColumn('due_on', t.date)
    .addColumn('todo_id', 'text', (c) => c.references('todos.id')) // the coach's to-do while due
    .addColumn('completed_at', t.timestamp)
    .addColumn('completed_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('insurance_tasks_participant').on('insurance_tasks').columns(['organization_id', 'participant_id', 'status']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const table of ['insurance_tasks', 'moud_barriers', 'moud_otp_enrollments', 'moud_fills', 'moud_courses']) {
    await db.schema.dropTable(table).execute();
  }
}
