/**
 * Column types that differ between dialects, for migrations. Everything else in a migration is
 * written once for both.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { PostgresAdapter } from 'kysely';

export function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

export function columnTypes(db: Kysely<unknown>): {
  /** An instant, stored as ISO-8601 UTC. */
  timestamp: RawBuilder<unknown>;
  /** A calendar date YYYY-MM-DD. */
  date: RawBuilder<unknown>;
  /** Large text / JSON documents. */
  text: RawBuilder<unknown>;
} {
  const pg = isPostgres(db);
  return {
    timestamp: pg ? sql`timestamptz` : sql`text`,
    date: pg ? sql`date` : sql`text`,
    text: sql`text`,
  };
}
