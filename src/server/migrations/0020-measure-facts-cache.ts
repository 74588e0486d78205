/**
 * Measures kept up to date (issue 7, "Scale"): what the dashboard reads instead of recomputing.
 *
 * - `measure_versions`: one counter per organization, bumped by the database itself (triggers)
 *   whenever a row the measures loader reads is inserted, changed or deleted.
 * - `measure_dirty`: per participant, the version of their last change. A facts set refreshed
 *   up to version V reloads exactly the participants whose version is above V.
 * - `measure_fact_sets` / `measure_facts`: the loader's facts of each participant (JSON, no
 *   names) for one facts key — the organization's time zone, the period and how far around it
 *   the rules read — since what the loader reads depends on the period. `as_of_version` says up
 *   to which change a set is current.
 * - `measure_results`: a computed response per (organization, scope, filters, period,
 *   parameters, breakdown) with the version it was computed at; any later change misses it.
 *
 * The triggers cover every table the loader reads (measures.loader.ts): participants, episodes,
 * life_events, ed_visits, encounters, appointments, moud_fills, moud_courses (a fill's
 * formulation), moud_otp_enrollments, referrals, questionnaire_responses, federal_interviews, and
 * the service types of directory_services (which appointments are treatment). An update marks
 * both the old and the new participant (a merge moves rows). SQLite: one trigger per table and
 * operation; PostgreSQL: row triggers calling one function. On PostgreSQL the counter row is
 * locked until the writing transaction commits, so versions follow commit order.
 */
import { sql, type Kysely } from 'kysely';
import { columnTypes, isPostgres } from '../platform/db/columns.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/** The tables the loader reads, with the column naming the participant. */
export const MEASURE_SOURCE_TABLES: readonly { table: string; participant: string }[] = [
  { table: 'participants', participant: 'id' },
  { table: 'episodes', participant: 'participant_id' },
  { table: 'life_events', participant: 'participant_id' },
  { table: 'ed_visits', participant: 'participant_id' },
  { table: 'encounters', participant: 'participant_id' },
  { table: 'appointments', participant: 'participant_id' },
  { table: 'moud_fills', participant: 'participant_id' },
  { table: 'moud_courses', participant: 'participant_id' },
  { table: 'moud_otp_enrollments', participant: 'participant_id' },
  { table: 'referrals', participant: 'participant_id' },
  { table: 'questionnaire_responses', participant: 'participant_id' },
  { table: 'federal_interviews', participant: 'participant_id' },
];

async function tableExists(db: AnyDb, table: string): Promise<boolean> {
  const tables = await db.introspection.getTables();
  return tables.some((t) => t.name === table);
}

export async function up(db: AnyDb): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('measure_versions')
    .addColumn('organization_id', 'text', (c) => c.primaryKey())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('measure_dirty')
    .addColumn('participant_id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('measure_dirty_version').on('measure_dirty').columns(['organization_id', 'version']).execute();
  await db.schema
    .createTable('measure_fact_sets')
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('facts_key', 'text', (c) => c.notNull())
    .addColumn('as_of_version', 'bigint', (c) => c.notNull())
    .addColumn('used_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('measure_fact_sets_pk', ['organization_id', 'facts_key'])
    .execute();
  await db.schema
    .createTable('measure_facts')
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('facts_key', 'text', (c) => c.notNull())
    .addColumn('participant_id', 'text', (c) => c.notNull())
    .addColumn('facts', t.text, (c) => c.notNull())
    .addColumn('refreshed_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('measure_facts_pk', ['organization_id', 'facts_key', 'participant_id'])
    .execute();
  await db.schema
    .createTable('measure_results')
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('cache_key', 'text', (c) => c.notNull())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .addColumn('result', t.text, (c) => c.notNull())
    .addColumn('computed_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('measure_results_pk', ['organization_id', 'cache_key'])
    .execute();
  // The directory trigger finds the appointments booked at a service.
  await db.schema.createIndex('appointments_directory_service').on('appointments').columns(['directory_service_id']).execute();

  const sources = [];
  for (const s of MEASURE_SOURCE_TABLES) if (await tableExists(db, s.table)) sources.push(s);
  if (isPostgres(db)) await postgresTriggers(db, sources);
  else await sqliteTriggers(db, sources);
}

async function postgresTriggers(db: AnyDb, sources: readonly { table: string; participant: string }[]): Promise<void> {
  await sql
    .raw(
      `CREATE OR REPLACE FUNCTION lodestar_measure_touch(org text, pid text) RETURNS void AS $$
       DECLARE v bigint;
       BEGIN
         IF org IS NULL OR pid IS NULL THEN RETURN; END IF;
         INSERT INTO measure_versions (organization_id, version) VALUES (org, 1)
           ON CONFLICT (organization_id) DO UPDATE SET version = measure_versions.version + 1
           RETURNING version INTO v;
         INSERT INTO measure_dirty (participant_id, organization_id, version) VALUES (pid, org, v)
           ON CONFLICT (participant_id) DO UPDATE SET version = EXCLUDED.version, organization_id = EXCLUDED.organization_id;
       END $$ LANGUAGE plpgsql`,
    )
    .execute(db);
  // TG_ARGV[0]: the column naming the participant.
  await sql
    .raw(
      `CREATE OR REPLACE FUNCTION lodestar_measure_dirty() RETURNS trigger AS $$
       DECLARE r jsonb;
       BEGIN
         IF TG_OP <> 'DELETE' THEN
           r := to_jsonb(NEW);
           PERFORM lodestar_measure_touch(r->>'organization_id', r->>TG_ARGV[0]);
         END IF;
         IF TG_OP <> 'INSERT' THEN
           r := to_jsonb(OLD);
           PERFORM lodestar_measure_touch(r->>'organization_id', r->>TG_ARGV[0]);
         END IF;
         RETURN NULL;
       END $$ LANGUAGE plpgsql`,
    )
    .execute(db);
  await sql
    .raw(
      `CREATE OR REPLACE FUNCTION lodestar_measure_service() RETURNS trigger AS $$
       BEGIN
         PERFORM lodestar_measure_touch(a.organization_id, a.participant_id)
           FROM (SELECT DISTINCT organization_id, participant_id FROM appointments WHERE directory_service_id = NEW.id) a;
         RETURN NULL;
       END $$ LANGUAGE plpgsql`,
    )
    .execute(db);
  for (const s of sources) {
    await sql.raw(`CREATE TRIGGER ${s.table}_measure_dirty AFTER INSERT OR UPDATE OR DELETE ON ${s.table} FOR EACH ROW EXECUTE FUNCTION lodestar_measure_dirty('${s.participant}')`).execute(db);
  }
  await sql
    .raw(`CREATE TRIGGER directory_services_measure_dirty AFTER UPDATE OF service_types ON directory_services FOR EACH ROW WHEN (OLD.service_types IS DISTINCT FROM NEW.service_types) EXECUTE FUNCTION lodestar_measure_service()`)
    .execute(db);
}

/** SQLite: the statements marking `participant` of `org` (column expressions of NEW or OLD). */
const sqliteTouch = (org: string, participant: string) => `
  INSERT INTO measure_versions (organization_id, version) SELECT ${org}, 1 WHERE ${org} IS NOT NULL AND ${participant} IS NOT NULL
    ON CONFLICT (organization_id) DO UPDATE SET version = measure_versions.version + 1;
  INSERT INTO measure_dirty (participant_id, organization_id, version)
    SELECT ${participant}, ${org}, v.version FROM measure_versions v WHERE v.organization_id = ${org} AND ${participant} IS NOT NULL
    ON CONFLICT (participant_id) DO UPDATE SET version = excluded.version, organization_id = excluded.organization_id;`;

async function sqliteTriggers(db: AnyDb, sources: readonly { table: string; participant: string }[]): Promise<void> {
  for (const s of sources) {
    const touchNew = sqliteTouch('NEW.organization_id', `NEW.${s.participant}`);
    const touchOld = sqliteTouch('OLD.organization_id', `OLD.${s.participant}`);
    await sql.raw(`CREATE TRIGGER ${s.table}_measure_dirty_insert AFTER INSERT ON ${s.table} BEGIN ${touchNew} END`).execute(db);
    await sql.raw(`CREATE TRIGGER ${s.table}_measure_dirty_update AFTER UPDATE ON ${s.table} BEGIN ${touchNew} ${touchOld} END`).execute(db);
    await sql.raw(`CREATE TRIGGER ${s.table}_measure_dirty_delete AFTER DELETE ON ${s.table} BEGIN ${touchOld} END`).execute(db);
  }
  await sql
    .raw(
      `CREATE TRIGGER directory_services_measure_dirty AFTER UPDATE OF service_types ON directory_services
       WHEN OLD.service_types IS NOT NEW.service_types AND EXISTS (SELECT 1 FROM appointments WHERE directory_service_id = NEW.id)
       BEGIN
         INSERT INTO measure_versions (organization_id, version) VALUES (NEW.organization_id, 1)
           ON CONFLICT (organization_id) DO UPDATE SET version = measure_versions.version + 1;
         INSERT INTO measure_dirty (participant_id, organization_id, version)
           SELECT DISTINCT a.participant_id, a.organization_id, v.version FROM appointments a, measure_versions v
           WHERE a.directory_service_id = NEW.id AND v.organization_id = NEW.organization_id
           ON CONFLICT (participant_id) DO UPDATE SET version = excluded.version, organization_id = excluded.organization_id;
       END`,
    )
    .execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  const pg = isPostgres(db);
  for (const s of MEASURE_SOURCE_TABLES) {
    if (pg) await sql.raw(`DROP TRIGGER IF EXISTS ${s.table}_measure_dirty ON ${s.table}`).execute(db);
    else for (const op of ['insert', 'update', 'delete']) await sql.raw(`DROP TRIGGER IF EXISTS ${s.table}_measure_dirty_${op}`).execute(db);
  }
  await sql.raw(pg ? 'DROP TRIGGER IF EXISTS directory_services_measure_dirty ON directory_services' : 'DROP TRIGGER IF EXISTS directory_services_measure_dirty').execute(db);
  if (pg) for (const f of ['lodestar_measure_service', 'lodestar_measure_dirty']) await sql.raw(`DROP FUNCTION IF EXISTS ${f}()`).execute(db);
  if (pg) await sql.raw('DROP FUNCTION IF EXISTS lodestar_measure_touch(text, text)').execute(db);
  await db.schema.dropIndex('appointments_directory_service').execute();
  for (const table of ['measure_results', 'measure_facts', 'measure_fact_sets', 'measure_dirty', 'measure_versions']) await db.schema.dropTable(table).execute();
}
