/**
 * One-time links: first-run setup and password set/reset. The link carries a random token in its
 * fragment (`#token=`), which browsers never send to servers or put in logs; the database keeps
 * only the token's hash. A token works once and expires.
 */
import type { Executor } from '../db/database.js';
import { hashToken, newId, newToken } from '../ids.js';

export type TokenPurpose = 'setup' | 'password_reset';

export const TOKEN_TTL_MS: Record<TokenPurpose, number> = {
  setup: 24 * 3_600_000,
  password_reset: 24 * 3_600_000,
};

export async function issueToken(
  db: Executor,
  args: { purpose: TokenPurpose; userId: string | null; organizationId: string | null; createdBy: string | null; now: Date },
): Promise<{ token: string; expiresAt: string }> {
  const now = args.now.toISOString();
  // A new link replaces any earlier unused one for the same purpose and person.
  let stale = db.updateTable('one_time_tokens').set({ used_at: now }).where('purpose', '=', args.purpose).where('used_at', 'is', null);
  stale = args.userId ? stale.where('user_id', '=', args.userId) : stale.where('user_id', 'is', null);
  await stale.execute();
  const token = newToken();
  const expiresAt = new Date(args.now.getTime() + TOKEN_TTL_MS[args.purpose]).toISOString();
  await db
    .insertInto('one_time_tokens')
    .values({
      id: newId(),
      token_hash: hashToken(token),
      purpose: args.purpose,
      user_id: args.userId,
      organization_id: args.organizationId,
      created_by: args.createdBy,
      created_at: now,
      expires_at: expiresAt,
      used_at: null,
    })
    .execute();
  return { token, expiresAt };
}

/** Use a token: returns its owner when it is valid, and marks it used in the same statement. */
export async function consumeToken(
  db: Executor,
  purpose: TokenPurpose,
  token: string,
  now: Date,
): Promise<{ userId: string | null; organizationId: string | null } | undefined> {
  const nowIso = now.toISOString();
  const row = await db
    .updateTable('one_time_tokens')
    .set({ used_at: nowIso })
    .where('token_hash', '=', hashToken(token))
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', nowIso)
    .returning(['user_id', 'organization_id'])
    .executeTakeFirst();
  return row ? { userId: row.user_id, organizationId: row.organization_id } : undefined;
}

export const linkFor = (publicUrl: string, page: 'setup' | 'reset-password', token: string): string =>
  `${publicUrl}/${page}#token=${token}`;

/** Used or expired links are kept 30 days (for questions about them), then removed. */
export async function purgeOldTokens(db: Executor, now: Date): Promise<void> {
  const cutoff = new Date(now.getTime() - 30 * 24 * 3_600_000).toISOString();
  await db
    .deleteFrom('one_time_tokens')
    .where((eb) => eb.or([eb('used_at', '<', cutoff), eb('expires_at', '<', cutoff)]))
    .execute();
}
