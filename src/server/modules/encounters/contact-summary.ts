/**
 * The participant's contact summary, kept on the participant row so the supervisor view reads one
 * row per person instead of walking encounters and life events (migration 0005):
 *  - `last_ed_at`: the latest ED moment — a bedside encounter's start, or the last instant of the
 *    local day of an ED-visit life event (known by its date only, so the same day's bedside never
 *    counts as its follow-up);
 *  - `last_follow_up_at`: the latest successful contact that is not a bedside encounter.
 * Adding a contact moves them forward with one conditional UPDATE (`advance…`); anything that can
 * move them back (a deletion, an edit of a draft, an edited life event, a merge) recomputes them
 * from the history (`refreshContactSummary`), which also recomputes the open episodes' last
 * successful contact (`episodes.last_contact_at`). Derived columns: writing them never bumps the
 * participant's version, so nobody's edit conflicts with a contact being logged.
 */
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import { endOfLocalDay, startOfLocalDay } from '../care/local-time.js';
import { findOrganization } from '../organizations/organizations.repository.js';

type Column = 'last_ed_at' | 'last_follow_up_at';

async function advance(db: Executor, organizationId: string, participantId: string, column: Column, at: string): Promise<void> {
  await db
    .updateTable('participants')
    .set({ [column]: at })
    .where('organization_id', '=', organizationId)
    .where('id', '=', participantId)
    .where((eb) => eb.or([eb(column, 'is', null), eb(column, '<', at)]))
    .execute();
}

/** A new contact: a bedside encounter moves the ED moment, a reached other contact the follow-up. */
export async function advanceContactSummary(db: Executor, organizationId: string, participantId: string, e: { type: string; reached: boolean; startedAt: string }): Promise<void> {
  if (e.type === 'ed_bedside') await advance(db, organizationId, participantId, 'last_ed_at', e.startedAt);
  else if (e.reached) await advance(db, organizationId, participantId, 'last_follow_up_at', e.startedAt);
}

/** A new ED-visit life event (a date in the organization's time zone). */
export async function advanceEdVisit(db: Executor, organizationId: string, participantId: string, occurredOn: string, timeZone: string): Promise<void> {
  await advance(db, organizationId, participantId, 'last_ed_at', endOfLocalDay(occurredOn, timeZone).toISOString());
}

/** A timestamp as either driver returns it (PostgreSQL: a Date; SQLite: the ISO text). */
const instant = (v: unknown): string | null => (v instanceof Date ? v.toISOString() : typeof v === 'string' ? v : null);
const dateOf = (v: unknown): string | null => (v instanceof Date ? v.toISOString().slice(0, 10) : typeof v === 'string' ? v.slice(0, 10) : null);

/**
 * Recompute the participant's summary and the open episodes' last successful contact from the
 * history: after a deletion, an edit that may move a contact back, an edited ED visit, or a
 * merge. A few index probes on (organization_id, participant_id, …).
 */
export async function refreshContactSummary(db: Executor, organizationId: string, participantId: string, timeZone: string): Promise<void> {
  await refreshParticipantSummary(db, organizationId, participantId, timeZone);
  // Each open episode's last successful contact since it started (a re-enrolled person's old
  // contacts do not count for the new episode's cadence), as the writes record it: a contact's
  // start, a bedside visit's end (ed.usecases completeEdVisit).
  const episodes = await db
    .selectFrom('episodes')
    .select(['id', 'start_date'])
    .where('organization_id', '=', organizationId)
    .where('participant_id', '=', participantId)
    .where('status', '<>', 'discharged')
    .execute();
  for (const e of episodes) {
    const since = startOfLocalDay(dateOf(e.start_date)!, timeZone).toISOString();
    const last = await db
      .selectFrom('encounters')
      .select(sql<unknown>`max(case when type = 'ed_bedside' then coalesce(ended_at, started_at) else started_at end)`.as('at'))
      .where('organization_id', '=', organizationId)
      .where('participant_id', '=', participantId)
      .where('deleted_at', 'is', null)
      .where('reached', '=', 1)
      .where('started_at', '>=', since)
      .executeTakeFirst();
    await db.updateTable('episodes').set({ last_contact_at: instant(last?.at) }).where('organization_id', '=', organizationId).where('id', '=', e.id).execute();
  }
}

/** The participant's `last_ed_at` and `last_follow_up_at`, from the history. */
export async function refreshParticipantSummary(db: Executor, organizationId: string, participantId: string, timeZone: string): Promise<void> {
  const latest = (bedside: boolean) => {
    let q = db
      .selectFrom('encounters')
      .select('started_at')
      .where('organization_id', '=', organizationId)
      .where('participant_id', '=', participantId)
      .where('deleted_at', 'is', null)
      .where('type', bedside ? '=' : '<>', 'ed_bedside');
    if (!bedside) q = q.where('reached', '=', 1);
    return q.orderBy('started_at', 'desc').limit(1).executeTakeFirst();
  };
  const [bedside, followUp, visit] = await Promise.all([
    latest(true),
    latest(false),
    db
      .selectFrom('life_events')
      .select('occurred_on')
      .where('organization_id', '=', organizationId)
      .where('participant_id', '=', participantId)
      .where('kind', '=', 'ed_visit')
      .orderBy('occurred_on', 'desc')
      .limit(1)
      .executeTakeFirst(),
  ]);
  const bedsideAt = instant(bedside?.started_at);
  const visitOn = dateOf(visit?.occurred_on);
  const visitAt = visitOn ? endOfLocalDay(visitOn, timeZone).toISOString() : null;
  const lastEd = [bedsideAt, visitAt].filter((x): x is string => x !== null).sort().at(-1) ?? null;
  await db
    .updateTable('participants')
    .set({ last_ed_at: lastEd, last_follow_up_at: instant(followUp?.started_at) })
    .where('organization_id', '=', organizationId)
    .where('id', '=', participantId)
    .execute();
}

/** The organization's time zone (the summary's dates are local to it). */
export async function organizationZone(db: Executor, organizationId: string): Promise<string> {
  return (await findOrganization(db, organizationId))?.timeZone ?? 'UTC';
}
