/** All SQL of break-the-glass grants and notifications. Every query is filtered by organization. */
import type { Selectable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { AccessGrantsTable, NotificationsTable } from '../../platform/db/tables.js';
import { newId } from '../../platform/ids.js';

export interface AccessGrantRecord {
  id: string;
  organizationId: string;
  userId: string;
  userName: string | null;
  participantId: string;
  reason: string;
  grantedAt: string;
  expiresAt: string;
  endedAt: string | null;
}

const toGrant = (r: Selectable<AccessGrantsTable> & { user_name: string | null }): AccessGrantRecord => ({
  id: r.id,
  organizationId: r.organization_id,
  userId: r.user_id,
  userName: r.user_name,
  participantId: r.participant_id,
  reason: r.reason,
  grantedAt: r.granted_at,
  expiresAt: r.expires_at,
  endedAt: r.ended_at,
});

export async function insertGrant(
  db: Executor,
  g: { organizationId: string; userId: string; participantId: string; reason: string; grantedAt: string; expiresAt: string },
): Promise<string> {
  const id = newId();
  await db
    .insertInto('access_grants')
    .values({
      id,
      organization_id: g.organizationId,
      user_id: g.userId,
      participant_id: g.participantId,
      reason: g.reason,
      granted_at: g.grantedAt,
      expires_at: g.expiresAt,
      ended_at: null,
    })
    .execute();
  return id;
}

const grantQuery = (db: Executor, organizationId: string) =>
  db
    .selectFrom('access_grants')
    .leftJoin('users', 'users.id', 'access_grants.user_id')
    .selectAll('access_grants')
    .select('users.display_name as user_name')
    .where('access_grants.organization_id', '=', organizationId);

export async function findGrant(db: Executor, organizationId: string, id: string): Promise<AccessGrantRecord | undefined> {
  const r = await grantQuery(db, organizationId).where('access_grants.id', '=', id).executeTakeFirst();
  return r ? toGrant(r) : undefined;
}

/** Grants made in [from, to), newest first. */
export async function listGrants(db: Executor, organizationId: string, period: { from?: string | undefined; to?: string | undefined }, limit: number): Promise<AccessGrantRecord[]> {
  let q = grantQuery(db, organizationId);
  if (period.from) q = q.where('access_grants.granted_at', '>=', period.from);
  if (period.to) q = q.where('access_grants.granted_at', '<', period.to);
  const rows = await q.orderBy('access_grants.granted_at', 'desc').orderBy('access_grants.id', 'desc').limit(limit).execute();
  return rows.map(toGrant);
}

/** End a grant that is still open; false when it had already ended. */
export async function endGrant(db: Executor, organizationId: string, id: string, now: string): Promise<boolean> {
  const res = await db
    .updateTable('access_grants')
    .set({ ended_at: now })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/**
 * Who is told of a break-the-glass by `userId`: the supervisors of every team they belong to and
 * every privacy officer of the organization, with active accounts, never the person themself.
 */
export async function breakGlassRecipients(db: Executor, organizationId: string, userId: string): Promise<string[]> {
  const supervisors = await db
    .selectFrom('team_members as tm')
    .innerJoin('teams as t', 't.id', 'tm.team_id')
    .innerJoin('users as u', 'u.id', 't.supervisor_user_id')
    .select('u.id')
    .where('tm.user_id', '=', userId)
    .where('tm.organization_id', '=', organizationId)
    .where('t.organization_id', '=', organizationId)
    .where('u.status', '=', 'active')
    .execute();
  const officers = await db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select('u.id')
    .where('m.organization_id', '=', organizationId)
    .where('m.role', '=', 'privacy_officer')
    .where('u.status', '=', 'active')
    .execute();
  const ids = new Set([...supervisors, ...officers].map((r) => r.id));
  ids.delete(userId);
  return [...ids].sort();
}

export interface NotificationRecord {
  id: string;
  userId: string;
  kind: string;
  actorUserId: string | null;
  actorName: string | null;
  participantId: string | null;
  referenceId: string | null;
  createdAt: string;
  readAt: string | null;
}

const toNotification = (r: Selectable<NotificationsTable> & { actor_name: string | null }): NotificationRecord => ({
  id: r.id,
  userId: r.user_id,
  kind: r.kind,
  actorUserId: r.actor_user_id,
  actorName: r.actor_name,
  participantId: r.participant_id,
  referenceId: r.reference_id,
  createdAt: r.created_at,
  readAt: r.read_at,
});

export async function insertNotifications(
  db: Executor,
  organizationId: string,
  userIds: readonly string[],
  n: { kind: string; actorUserId: string; participantId: string | null; referenceId: string | null; createdAt: string },
): Promise<string[]> {
  if (userIds.length === 0) return [];
  const ids = userIds.map(() => newId());
  await db
    .insertInto('notifications')
    .values(
      userIds.map((userId, i) => ({
        id: ids[i]!,
        organization_id: organizationId,
        user_id: userId,
        kind: n.kind,
        actor_user_id: n.actorUserId,
        participant_id: n.participantId,
        reference_id: n.referenceId,
        created_at: n.createdAt,
        read_at: null,
      })),
    )
    .execute();
  return ids;
}

const notificationQuery = (db: Executor, organizationId: string, userId: string) =>
  db
    .selectFrom('notifications')
    .leftJoin('users as actor', 'actor.id', 'notifications.actor_user_id')
    .selectAll('notifications')
    .select('actor.display_name as actor_name')
    .where('notifications.organization_id', '=', organizationId)
    .where('notifications.user_id', '=', userId);

/** A person's own notices in this organization, newest first. */
export async function listNotifications(db: Executor, organizationId: string, userId: string, limit: number): Promise<NotificationRecord[]> {
  const rows = await notificationQuery(db, organizationId, userId).orderBy('notifications.created_at', 'desc').orderBy('notifications.id', 'desc').limit(limit).execute();
  return rows.map(toNotification);
}

export async function countUnread(db: Executor, organizationId: string, userId: string): Promise<number> {
  const r = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('organization_id', '=', organizationId)
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function findNotification(db: Executor, organizationId: string, userId: string, id: string): Promise<NotificationRecord | undefined> {
  const r = await notificationQuery(db, organizationId, userId).where('notifications.id', '=', id).executeTakeFirst();
  return r ? toNotification(r) : undefined;
}

export async function markRead(db: Executor, organizationId: string, userId: string, id: string, now: string): Promise<boolean> {
  const res = await db
    .updateTable('notifications')
    .set({ read_at: now })
    .where('organization_id', '=', organizationId)
    .where('user_id', '=', userId)
    .where('id', '=', id)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
