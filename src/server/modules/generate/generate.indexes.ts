/**
 * Bulk loading with secondary indexes built afterwards: keeping a dozen indexes up to date row by
 * row costs more than the rows themselves, and building an index once over the loaded table is a
 * sort. The indexes of the tables the generator fills are read from the schema (SQLite's
 * `sqlite_master`, PostgreSQL's `pg_indexes`), dropped, and created again from their own
 * definitions after loading — exactly as the migrations made them, partial and unique ones
 * included. Indexes that back a constraint (primary keys, inline UNIQUE) stay: the rows are
 * checked against them as they go in.
 */
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import { isPostgres } from '../../platform/db/columns.js';

/** The tables the generator fills in bulk. */
export const GENERATED_TABLES = [
  'participants', 'participant_name_tokens', 'episodes', 'consents', 'consent_signatures', 'life_events', 'todos', 'encounters', 'ed_visits',
  'questionnaire_responses', 'check_ins', 'appointments', 'moud_courses', 'moud_fills', 'moud_otp_enrollments', 'referrals', 'referral_events', 'disclosures',
] as const;

/** Everything loaded in bulk: the generated tables and the audit trail their writes imply (generate.audit.ts). */
export const LOADED_TABLES = [...GENERATED_TABLES, 'audit_events', 'audit_event_targets'] as const;

interface IndexDef {
  name: string;
  definition: string;
}

async function secondaryIndexes(db: Db, tables: readonly string[]): Promise<IndexDef[]> {
  if (isPostgres(db as never)) {
    const r = await sql<{ name: string; definition: string }>`
      select i.indexname as name, i.indexdef as definition from pg_indexes i
      where i.schemaname = current_schema() and i.tablename in (${sql.join(tables)})
        and not exists (select 1 from pg_constraint c where c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)
      order by i.indexname`.execute(db);
    return r.rows;
  }
  const r = await sql<{ name: string; definition: string }>`
    select name, sql as definition from sqlite_master where type = 'index' and sql is not null and tbl_name in (${sql.join(tables)}) order by name`.execute(db);
  return r.rows;
}

/** Runs `load` with the tables' secondary indexes dropped, then builds them again (also when `load` fails). */
export async function withDeferredIndexes(db: Db, tables: readonly string[], load: () => Promise<void>): Promise<{ indexSeconds: number; indexes: number }> {
  const indexes = await secondaryIndexes(db, tables);
  for (const i of indexes) await sql`drop index ${sql.id(i.name)}`.execute(db);
  let started = 0;
  try {
    await load();
  } finally {
    started = performance.now();
    for (const i of indexes) await sql.raw(i.definition).execute(db);
  }
  return { indexSeconds: (performance.now() - started) / 1000, indexes: indexes.length };
}
