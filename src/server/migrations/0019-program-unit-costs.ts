/**
 * The cost model's settings of a program (issue 7, measure 9): the unit costs a program sets —
 * an ED visit, an inpatient day and an hour of peer support, in cents — and the 30-day ED revisit
 * rate it compares its own with (a baseline, in whole percent). All empty by default: until a
 * program sets them the cost model shows no estimate. The ranges are checked by the database too
 * (0 to 100,000,000 cents, i.e. one million; 0 to 100 percent).
 */
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

const COSTS = ['ed_visit_cost_cents', 'inpatient_day_cost_cents', 'peer_hour_cost_cents'] as const;

export async function up(db: AnyDb): Promise<void> {
  for (const column of COSTS) {
    await db.schema
      .alterTable('programs')
      .addColumn(column, 'integer', (c) => c.check(sql`${sql.ref(column)} between 0 and 100000000`))
      .execute();
  }
  await db.schema
    .alterTable('programs')
    .addColumn('baseline_ed_revisit_percent', 'integer', (c) => c.check(sql`baseline_ed_revisit_percent between 0 and 100`))
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('programs').dropColumn('baseline_ed_revisit_percent').execute();
  for (const column of [...COSTS].reverse()) await db.schema.alterTable('programs').dropColumn(column).execute();
}
