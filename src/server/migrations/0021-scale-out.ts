/**
 * Scaling out on PostgreSQL (issue 8): what several app processes share through the database.
 *
 * - `rate_limits`: one row per rate-limit window (route + client key, hashed), so a limit holds
 *   across every process behind a load balancer. Counted with one atomic upsert per request
 *   (`platform/http/rate-limit-store.ts`); windows that ended are purged hourly.
 * - `scheduled_tasks`: one row per piece of periodic housekeeping (audit checkpoints, purges). A
 *   process runs a tick only after it moved the row's `next_run_at` forward with a conditional
 *   UPDATE, so N processes do the work once per interval, not N times
 *   (`platform/db/coordination.ts`).
 *
 * Times in both are integers (milliseconds since the epoch): they are compared and added in SQL,
 * the same way on both dialects.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('rate_limits')
    .addColumn('key', 'text', (c) => c.primaryKey()) // SHA-256 of route + client key: no address or email at rest
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addColumn('expires_ms', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rate_limits_expires').on('rate_limits').columns(['expires_ms']).execute();

  await db.schema
    .createTable('scheduled_tasks')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('next_run_ms', 'bigint', (c) => c.notNull())
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_ms', 'bigint')
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('scheduled_tasks').execute();
  await db.schema.dropTable('rate_limits').execute();
}
