/**
 * What the supervisor view reads without walking history: each participant's latest ED moment
 * (`last_ed_at`: a bedside encounter's start, or the last instant of the local day of an ED-visit
 * life event) and latest successful follow-up contact (`last_follow_up_at`: a reached encounter
 * that is not a bedside encounter — the bedside is part of the visit, never its follow-up). Both
 * are kept up to date by every write that changes them (modules/encounters/contact-summary.ts);
 * this migration fills them for records that already exist.
 */
import { sql, type Kysely } from 'kysely';
import { columnTypes } from '../platform/db/columns.js';
import { endOfLocalDay } from '../modules/care/local-time.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  const t = columnTypes(db);
  await db.schema.alterTable('participants').addColumn('last_ed_at', t.timestamp).execute();
  await db.schema.alterTable('participants').addColumn('last_follow_up_at', t.timestamp).execute();
  await backfill(db);
}

/** Fill the summary from the history (both dialects; the encounter parts in one statement each). */
export async function backfill(db: AnyDb): Promise<void> {
  await sql`
    update participants set last_follow_up_at = (
      select max(en.started_at) from encounters en
      where en.organization_id = participants.organization_id and en.participant_id = participants.id
        and en.reached = 1 and en.type <> 'ed_bedside' and en.deleted_at is null)
  `.execute(db);
  await sql`
    update participants set last_ed_at = (
      select max(en.started_at) from encounters en
      where en.organization_id = participants.organization_id and en.participant_id = participants.id
        and en.type = 'ed_bedside' and en.deleted_at is null)
  `.execute(db);
  // ED-visit life events are dates in the organization's time zone: converted here, per person.
  const visits = await db
    .selectFrom('life_events as le')
    .innerJoin('organizations as o', 'o.id', 'le.organization_id')
    .innerJoin('participants as p', 'p.id', 'le.participant_id')
    .select(['le.participant_id', 'o.time_zone', 'p.last_ed_at', (eb) => eb.fn.max('le.occurred_on').as('last_on')])
    .where('le.kind', '=', 'ed_visit')
    .groupBy(['le.participant_id', 'o.time_zone', 'p.last_ed_at'])
    .execute();
  for (const v of visits as { participant_id: string; time_zone: string; last_ed_at: unknown; last_on: unknown }[]) {
    const on = v.last_on instanceof Date ? v.last_on.toISOString().slice(0, 10) : String(v.last_on).slice(0, 10);
    const at = endOfLocalDay(on, v.time_zone).toISOString();
    const known = v.last_ed_at instanceof Date ? v.last_ed_at.toISOString() : (v.last_ed_at as string | null);
    if (!known || at > known) await db.updateTable('participants').set({ last_ed_at: at }).where('id', '=', v.participant_id).execute();
  }
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('participants').dropColumn('last_follow_up_at').execute();
  await db.schema.alterTable('participants').dropColumn('last_ed_at').execute();
}
