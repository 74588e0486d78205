/** Removing what authentication no longer needs. Sign-ins themselves stay in the audit trail. */
import type { Executor } from '../db/database.js';

const DAY_MS = 24 * 3_600_000;

/** Sessions ended (revoked or expired) more than 30 days ago: the account page and investigations no longer need them. */
export async function purgeOldSessions(db: Executor, now: Date): Promise<void> {
  const cutoff = new Date(now.getTime() - 30 * DAY_MS).toISOString();
  await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('revoked_at', '<', cutoff), eb('expires_at', '<', cutoff)]))
    .execute();
}
