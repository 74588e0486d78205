/**
 * Two recovery settings of a program (issue 6): the cravings level at or above which a check-in
 * asks the coach to reach out (1–10, default 7), and the days between recovery-plan reviews
 * (14–365, default 90). Existing programs take the defaults, which were the fixed values before.
 * The ranges are checked by the database too, so no write path can store a value the rules
 * cannot use.
 *
 * Each check-in keeps the level it was judged by, so its alert can be explained later even after
 * the program's level changes; check-ins saved before this were all judged at 7.
 */
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('programs')
    .addColumn('cravings_alert_threshold', 'integer', (c) => c.notNull().defaultTo(7).check(sql`cravings_alert_threshold between 1 and 10`))
    .execute();
  await db.schema
    .alterTable('programs')
    .addColumn('plan_review_days', 'integer', (c) => c.notNull().defaultTo(90).check(sql`plan_review_days between 14 and 365`))
    .execute();
  await db.schema.alterTable('check_ins').addColumn('cravings_alert_threshold', 'integer', (c) => c.notNull().defaultTo(7)).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('check_ins').dropColumn('cravings_alert_threshold').execute();
  await db.schema.alterTable('programs').dropColumn('plan_review_days').execute();
  await db.schema.alterTable('programs').dropColumn('cravings_alert_threshold').execute();
}
