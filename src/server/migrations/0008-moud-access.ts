/**
 * MOUD access (medications and formulations, prescriber or OTP, pharmacy, fills with days supply, OTP enrollment periods, barriers) and insurance navigation tasks.
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
