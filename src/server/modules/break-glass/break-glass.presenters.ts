/** Records → API shapes (contracts/access.ts). Notices carry ids and the actor's name, never a participant's name or a reason. */
import type { z } from 'zod';
import type { AccessGrant, Notification } from '../../../contracts/access.js';
import type { AccessGrantRecord, NotificationRecord } from './break-glass.repository.js';

export const presentGrant = (g: AccessGrantRecord, now: Date): z.output<typeof AccessGrant> => ({
  id: g.id,
  userId: g.userId,
  userName: g.userName,
  participantId: g.participantId,
  reason: g.reason,
  grantedAt: g.grantedAt,
  expiresAt: g.expiresAt,
  endedAt: g.endedAt,
  active: g.endedAt === null && g.expiresAt > now.toISOString(),
});

export const presentNotification = (n: NotificationRecord): z.output<typeof Notification> => ({
  id: n.id,
  kind: n.kind,
  actorUserId: n.actorUserId,
  actorName: n.actorName,
  participantId: n.participantId,
  referenceId: n.referenceId,
  createdAt: n.createdAt,
  readAt: n.readAt,
});
