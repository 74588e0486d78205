/**
 * The resource directory (Open Referral HSDS 3.0): organizations, services, locations, service at location, taxonomy, attributes, capacity, pharmacy stock reports, flags, import runs.
 */
import type { Kysely } from 'kysely';
import { columnTypes } from '../platform/db/columns.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  const t = columnTypes(db);
  void t;
}

export async function down(db: AnyDb): Promise<void> {
  void db;
}
