/**
 * The resource directory (Open Referral HSDS 3.0): organizations, services, locations, service at
 * location, schedules, phones, languages (as codes), the service taxonomy and insurance (as codes on
 * the service), capacity reports, pharmacy stock reports, flags, and where each Lodestar site is on the
 * map. Every row belongs to one Lodestar organization (`organization_id`: each organization keeps its
 * own directory). Rows that come from a file carry `source` + `external_id`, unique per organization
 * when the external id is present, so a re-import updates instead of duplicating.
 *
 * Search reads only the derived tables at the end (`directory_search_rows`, one per service at a
 * location — or per service with no location — with the filterable facts as columns and bit masks;
 * `directory_search_tokens` for free text and languages; `directory_search_hours` for "open now"),
 * rebuilt for a service by `refreshSearchRows` in the directory repository whenever anything that
 * feeds them changes.
 */
import { sql, type Kysely } from 'kysely';
import { columnTypes } from '../platform/db/columns.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

const DOUBLE = sql`double precision`;

async function externalIdIndex(db: AnyDb, table: string): Promise<void> {
  await db.schema
    .createIndex(`${table}_external`)
    .on(table)
    .columns(['organization_id', 'source', 'external_id'])
    .unique()
    .where(sql.ref('external_id'), 'is not', null)
    .execute();
}

export async function up(db: AnyDb): Promise<void> {
  const t = columnTypes(db);

  // HSDS organization. `type` is what the disclosure gate matches TPO-class consents on:
  // treating_provider | health_plan | community_service | other.
  await db.schema
    .createTable('directory_organizations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('manual'))
    .addColumn('external_id', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('alternate_name', 'text')
    .addColumn('description', t.text)
    .addColumn('type', 'text', (c) => c.notNull().defaultTo('other'))
    .addColumn('email', 'text')
    .addColumn('website', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await externalIdIndex(db, 'directory_organizations');
  await db.schema.createIndex('directory_organizations_name').on('directory_organizations').columns(['organization_id', 'name']).execute();

  // HSDS service. service_types / insurance / languages are JSON arrays of codes (contracts/directory.ts).
  await db.schema
    .createTable('directory_services')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('directory_organization_id', 'text', (c) => c.notNull().references('directory_organizations.id'))
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('manual'))
    .addColumn('external_id', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('alternate_name', 'text')
    .addColumn('description', t.text)
    .addColumn('url', 'text')
    .addColumn('email', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active')) // active | inactive | defunct | temporarily closed (HSDS)
    .addColumn('service_types', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('insurance', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('languages', 'text', (c) => c.notNull().defaultTo('[]')) // ISO 639-1 codes
    .addColumn('accepting_new', 'integer') // 0 | 1 | null (unknown)
    .addColumn('telehealth', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('eligibility_description', t.text)
    .addColumn('fees_description', t.text)
    .addColumn('application_process', t.text)
    .addColumn('interpretation_services', 'text')
    .addColumn('minimum_age', 'integer')
    .addColumn('maximum_age', 'integer')
    // Current capacity (the newest directory_capacity_reports row, kept here for reads).
    .addColumn('beds_open', 'integer')
    .addColumn('slots_open', 'integer')
    .addColumn('waitlist_length', 'integer')
    .addColumn('capacity_updated_at', t.timestamp)
    .addColumn('capacity_updated_by', 'text', (c) => c.references('users.id'))
    .addColumn('last_verified_at', t.timestamp)
    .addColumn('last_verified_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await externalIdIndex(db, 'directory_services');
  await db.schema.createIndex('directory_services_org').on('directory_services').columns(['organization_id', 'directory_organization_id']).execute();

  // HSDS location (with its one physical address and accessibility folded in).
  await db.schema
    .createTable('directory_locations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('directory_organization_id', 'text', (c) => c.references('directory_organizations.id'))
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('manual'))
    .addColumn('external_id', 'text')
    .addColumn('location_type', 'text', (c) => c.notNull().defaultTo('physical')) // physical | postal | virtual
    .addColumn('name', 'text')
    .addColumn('description', t.text)
    .addColumn('url', 'text') // e.g. an online meeting's link
    .addColumn('address_1', 'text')
    .addColumn('address_2', 'text')
    .addColumn('city', 'text')
    .addColumn('state_province', 'text')
    .addColumn('postal_code', 'text')
    .addColumn('country', 'text')
    .addColumn('latitude', DOUBLE)
    .addColumn('longitude', DOUBLE)
    .addColumn('transportation', t.text)
    .addColumn('accessibility', t.text) // free description (HSDS accessibility.description)
    .addColumn('wheelchair_accessible', 'integer') // 0 | 1 | null (unknown)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await externalIdIndex(db, 'directory_locations');
  await db.schema.createIndex('directory_locations_org').on('directory_locations').columns(['organization_id', 'directory_organization_id']).execute();

  await db.schema
    .createTable('directory_service_at_location')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('service_id', 'text', (c) => c.notNull().references('directory_services.id'))
    .addColumn('location_id', 'text', (c) => c.notNull().references('directory_locations.id'))
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('manual'))
    .addColumn('external_id', 'text')
    .addColumn('description', t.text)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await externalIdIndex(db, 'directory_service_at_location');
  await db.schema.createIndex('directory_sal_service').on('directory_service_at_location').columns(['service_id', 'location_id']).unique().execute();
  await db.schema.createIndex('directory_sal_location').on('directory_service_at_location').columns(['location_id']).execute();

  // Weekly hours or meeting times: one row per weekday (0 Sunday … 6 Saturday, as Meeting Guide),
  // local HH:MM in the Lodestar organization's time zone; closes_at before opens_at runs past midnight;
  // closes_at null = a meeting with no end time (counted as one hour). Attached to a service at a
  // location, a service, or a location (HSDS precedence in that order).
  await db.schema
    .createTable('directory_schedules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('service_id', 'text', (c) => c.references('directory_services.id'))
    .addColumn('location_id', 'text', (c) => c.references('directory_locations.id'))
    .addColumn('service_at_location_id', 'text', (c) => c.references('directory_service_at_location.id'))
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('manual'))
    .addColumn('external_id', 'text')
    .addColumn('weekday', 'integer', (c) => c.notNull())
    .addColumn('opens_at', 'text', (c) => c.notNull())
    .addColumn('closes_at', 'text')
    .addColumn('attending_type', 'text') // in_person | online | hybrid (HSDS)
    .addColumn('meeting_types', 'text') // JSON array of Meeting Guide type codes, for mutual-aid meetings
    .addColumn('description', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await externalIdIndex(db, 'directory_schedules');
  await db.schema.createIndex('directory_schedules_service').on('directory_schedules').columns(['service_id']).execute();
  await db.schema.createIndex('directory_schedules_location').on('directory_schedules').columns(['location_id']).execute();
  await db.schema.createIndex('directory_schedules_sal').on('directory_schedules').columns(['service_at_location_id']).execute();

  await db.schema
    .createTable('directory_phones')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('directory_organization_id', 'text', (c) => c.references('directory_organizations.id'))
    .addColumn('service_id', 'text', (c) => c.references('directory_services.id'))
    .addColumn('location_id', 'text', (c) => c.references('directory_locations.id'))
    .addColumn('service_at_location_id', 'text', (c) => c.references('directory_service_at_location.id'))
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('manual'))
    .addColumn('external_id', 'text')
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('extension', 'text')
    .addColumn('type', 'text') // text | voice | fax | cell | video | pager | textphone (HSDS)
    .addColumn('description', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await externalIdIndex(db, 'directory_phones');
  await db.schema.createIndex('directory_phones_service').on('directory_phones').columns(['service_id']).execute();
  await db.schema.createIndex('directory_phones_location').on('directory_phones').columns(['location_id']).execute();
  await db.schema.createIndex('directory_phones_org').on('directory_phones').columns(['directory_organization_id']).execute();

  // Capacity as reported (history); the newest is copied onto the service.
  await db.schema
    .createTable('directory_capacity_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('service_id', 'text', (c) => c.notNull().references('directory_services.id'))
    .addColumn('beds_open', 'integer')
    .addColumn('slots_open', 'integer')
    .addColumn('waitlist_length', 'integer')
    .addColumn('note', 'text')
    .addColumn('reported_by', 'text', (c) => c.references('users.id'))
    .addColumn('reported_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('directory_capacity_service').on('directory_capacity_reports').columns(['service_id', 'reported_at']).execute();

  // "Does this pharmacy have buprenorphine?" reports; older than 30 days is stale.
  await db.schema
    .createTable('directory_stock_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('service_id', 'text', (c) => c.notNull().references('directory_services.id'))
    .addColumn('in_stock', 'integer', (c) => c.notNull())
    .addColumn('formulation', 'text') // film | tablet | combination_film | combination_tablet | injection | other
    .addColumn('observed_on', t.date, (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('reported_by', 'text', (c) => c.references('users.id'))
    .addColumn('reported_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('directory_stock_service').on('directory_stock_reports').columns(['service_id', 'observed_on', 'reported_at']).execute();

  // "This entry is wrong": open until someone verifies the entry.
  await db.schema
    .createTable('directory_flags')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('service_id', 'text', (c) => c.notNull().references('directory_services.id'))
    .addColumn('topic', 'text', (c) => c.notNull()) // phone | address | hours | services | insurance | closed | other
    .addColumn('comment', 'text')
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('resolved_at', t.timestamp)
    .addColumn('resolved_by', 'text', (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('directory_flags_service').on('directory_flags').columns(['service_id', 'resolved_at']).execute();
  await db.schema.createIndex('directory_flags_open').on('directory_flags').columns(['organization_id', 'resolved_at', 'created_at']).execute();

  // Where each Lodestar site is, so a coach can search "near my site".
  await db.schema
    .createTable('directory_site_points')
    .addColumn('site_id', 'text', (c) => c.primaryKey().references('sites.id'))
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('latitude', DOUBLE, (c) => c.notNull())
    .addColumn('longitude', DOUBLE, (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.references('users.id'))
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();

  // ---- Derived, for search (rebuilt per service by refreshSearchRows) ----
  // One row per service at a location, or per service without any location (id = the service id).
  await db.schema
    .createTable('directory_search_rows')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('service_id', 'text', (c) => c.notNull())
    .addColumn('location_id', 'text')
    .addColumn('latitude', DOUBLE)
    .addColumn('longitude', DOUBLE)
    .addColumn('sort_name', 'text', (c) => c.notNull())
    .addColumn('types_mask', 'integer', (c) => c.notNull())
    .addColumn('insurance_mask', 'integer', (c) => c.notNull())
    .addColumn('accepting_new', 'integer', (c) => c.notNull()) // 1 only when known to accept
    .addColumn('telehealth', 'integer', (c) => c.notNull())
    .addColumn('has_capacity', 'integer', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull()) // JSON: what a result line shows
    .execute();
  // Covering for the distance search: the box and every filter column are read from the index alone.
  await db.schema
    .createIndex('directory_search_rows_geo')
    .on('directory_search_rows')
    .columns(['organization_id', 'latitude', 'longitude', 'active', 'types_mask', 'insurance_mask', 'accepting_new', 'telehealth', 'has_capacity', 'id'])
    .execute();
  await db.schema.createIndex('directory_search_rows_name').on('directory_search_rows').columns(['organization_id', 'sort_name']).execute();
  await db.schema.createIndex('directory_search_rows_service').on('directory_search_rows').columns(['service_id']).execute();

  // Words of names, descriptions, city and postal code (lower-cased, accents stripped), plus
  // `lang:<code>` for each language; prefix-matched.
  await db.schema
    .createTable('directory_search_tokens')
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('row_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('directory_search_tokens_pk', ['organization_id', 'token', 'row_id'])
    .execute();
  await db.schema.createIndex('directory_search_tokens_row').on('directory_search_tokens').columns(['row_id']).execute();

  // Opening minutes per weekday (0 Sunday), split at midnight: [opens_min, closes_min).
  await db.schema
    .createTable('directory_search_hours')
    .addColumn('row_id', 'text', (c) => c.notNull())
    .addColumn('weekday', 'integer', (c) => c.notNull())
    .addColumn('opens_min', 'integer', (c) => c.notNull())
    .addColumn('closes_min', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('directory_search_hours_row').on('directory_search_hours').columns(['row_id', 'weekday', 'opens_min', 'closes_min']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const table of [
    'directory_search_hours',
    'directory_search_tokens',
    'directory_search_rows',
    'directory_site_points',
    'directory_flags',
    'directory_stock_reports',
    'directory_capacity_reports',
    'directory_phones',
    'directory_schedules',
    'directory_service_at_location',
    'directory_locations',
    'directory_services',
    'directory_organizations',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
