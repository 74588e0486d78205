/**
 * Questionnaires: definitions as data (versioned; a program may add its own, `organization_id`
 * set; the shipped ones have none) and the responses, each pointing at the exact definition row it
 * was scored with, so a newer version never changes an older score. Seeds the definitions shipped
 * with this migration (BARC-10 and the social-needs screen, see questionnaires.shipped.ts; a
 * published version is never edited, a new one comes with a new migration).
 */
import type { Kysely } from 'kysely';
import { columnTypes } from '../platform/db/columns.js';
import { SHIPPED_IN_0011, seedShipped } from '../modules/questionnaires/questionnaires.shipped.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

const SEEDED_AT = '2026-11-27T00:00:00.000Z';

export async function up(db: AnyDb): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('questionnaire_definitions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.references('organizations.id')) // NULL: shipped with Lodestar
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('source', t.text)
    .addColumn('items', t.text, (c) => c.notNull()) // JSON: QuestionnaireItem[]
    .addColumn('scoring', t.text, (c) => c.notNull()) // JSON: ScoringRule
    .addColumn('status', 'text', (c) => c.notNull()) // active | retired
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('questionnaire_definitions_key').on('questionnaire_definitions').columns(['key', 'language', 'version', 'organization_id']).execute();

  await db.schema
    .createTable('questionnaire_responses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('definition_id', 'text', (c) => c.notNull().references('questionnaire_definitions.id'))
    // Copied from the definition so a participant's responses to one questionnaire are one index range.
    .addColumn('questionnaire_key', 'text', (c) => c.notNull())
    .addColumn('answered_on', 'text', (c) => c.notNull()) // local date
    .addColumn('answers', t.text, (c) => c.notNull()) // JSON: { itemId: answer }
    .addColumn('score', 'integer')
    .addColumn('flags', t.text, (c) => c.notNull()) // JSON: [{ flag, label }]
    .addColumn('source', 'text', (c) => c.notNull()) // coach | participant_link
    .addColumn('encounter_id', 'text', (c) => c.references('encounters.id'))
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('questionnaire_responses_participant')
    .on('questionnaire_responses')
    .columns(['organization_id', 'participant_id', 'questionnaire_key', 'answered_on', 'id'])
    .execute();
  // The timeline reads a participant's responses by when they were recorded.
  await db.schema.createIndex('questionnaire_responses_timeline').on('questionnaire_responses').columns(['organization_id', 'participant_id', 'created_at', 'id']).execute();

  await seedShipped(db, SHIPPED_IN_0011, SEEDED_AT);
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('questionnaire_responses').ifExists().execute();
  await db.schema.dropTable('questionnaire_definitions').ifExists().execute();
}
