/**
 * Coordination of periodic work between several Lodestar processes on one database, with the
 * database itself (no lock server): each piece of housekeeping has a row in `scheduled_tasks`
 * (migration 0021), and a process runs a tick only when its conditional UPDATE moved the row's
 * `next_run_ms` forward (`claimTick`). The UPDATE is atomic on both dialects, so of N processes
 * whose timers fire together exactly one wins each interval; a process that dies after winning
 * simply leaves the next interval to whoever comes first.
 *
 * This only saves repeated work. What must never happen twice is guarded where it is written:
 * audit checkpoints under the chain's row lock and a unique (chain, seq) index, outbox messages by
 * `FOR UPDATE SKIP LOCKED` claims, to-dos by the version checks of the writes that make them.
 */
import type { Db } from './database.js';

/**
 * Claim this interval's run of `name` for `owner`. True when this process should run it now;
 * false when another process already ran it within the last `intervalMs`.
 */
export async function claimTick(db: Db, name: string, owner: string, now: Date, intervalMs: number): Promise<boolean> {
  const at = now.getTime();
  // A slightly early timer still wins the interval it fires for.
  const slack = Math.min(5_000, Math.floor(intervalMs / 10));
  for (let attempt = 0; attempt < 2; attempt++) {
    const r = await db
      .updateTable('scheduled_tasks')
      .set({ next_run_ms: at + intervalMs - slack, claimed_by: owner, claimed_ms: at })
      .where('name', '=', name)
      .where('next_run_ms', '<=', at)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 1) return true;
    const inserted = await db
      .insertInto('scheduled_tasks')
      .values({ name, next_run_ms: at + intervalMs - slack, claimed_by: owner, claimed_ms: at })
      .onConflict((oc) => oc.column('name').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return true;
    // The row exists: another process holds this interval (or made the row a moment ago).
    const row = await db.selectFrom('scheduled_tasks').select('next_run_ms').where('name', '=', name).executeTakeFirst();
    if (row && Number(row.next_run_ms) > at) return false;
  }
  return false;
}
