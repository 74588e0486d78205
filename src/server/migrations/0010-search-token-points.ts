/**
 * Directory search: each search token carries its row's coordinates, so that free text with a
 * distance reads the nearest matches from one index range (`organization_id, token, latitude,
 * longitude, row_id`) instead of looking up every matching row. Filled here for existing rows;
 * `refreshSearchRows` writes them from now on.
 */
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

const DOUBLE = sql`double precision`;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('directory_search_tokens').addColumn('latitude', DOUBLE).execute();
  await db.schema.alterTable('directory_search_tokens').addColumn('longitude', DOUBLE).execute();
  await sql`
    update directory_search_tokens set
      latitude = (select r.latitude from directory_search_rows r where r.id = directory_search_tokens.row_id),
      longitude = (select r.longitude from directory_search_rows r where r.id = directory_search_tokens.row_id)
  `.execute(db);
  await db.schema.createIndex('directory_search_tokens_geo').on('directory_search_tokens').columns(['organization_id', 'token', 'latitude', 'longitude', 'row_id']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('directory_search_tokens_geo').execute();
  await db.schema.alterTable('directory_search_tokens').dropColumn('longitude').execute();
  await db.schema.alterTable('directory_search_tokens').dropColumn('latitude').execute();
}
