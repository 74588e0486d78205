/** Requests of break-the-glass, the review log and notifications. */
import type { z } from 'zod';
// Types only: the schemas (and zod) stay out of the bundle every phone downloads.
import type { AccessGrant, AccessGrantList, BreakGlassResponse, Notification, NotificationList } from '../../../contracts/access';
import { api } from '../../app/api';

export type GrantT = z.infer<typeof AccessGrant>;
export type NotificationT = z.infer<typeof Notification>;
export type NotificationsT = z.infer<typeof NotificationList>;

/** Kept in step with BREAK_GLASS_MINUTES and REASON_MIN/REASON_MAX in contracts/access.ts (not imported: that module pulls in zod). */
export const BREAK_GLASS_MINUTES = 60;
export const REASON_MIN = 10;
export const REASON_MAX = 500;

export const breakGlassKeys = {
  notifications: ['notifications'] as const,
  grants: (from: string, to: string) => ['access-grants', from, to] as const,
};

const enc = encodeURIComponent;

export const breakGlass = (participantId: string, reason: string, idempotencyKey: string) =>
  api.post<z.infer<typeof BreakGlassResponse>>(`/api/v1/participants/${enc(participantId)}/break-glass`, { reason }, { idempotencyKey });

export const getNotifications = () => api.get<NotificationsT>('/api/v1/notifications');
export const markNotificationRead = (id: string) => api.post<NotificationT>(`/api/v1/notifications/${enc(id)}/read`);

/** The period is two dates, not personal data: fine in the address. */
export const listGrants = async (period: { from: string; to: string }) => {
  const q = new URLSearchParams();
  if (period.from) q.set('from', period.from);
  if (period.to) q.set('to', period.to);
  const qs = q.toString();
  return (await api.get<z.infer<typeof AccessGrantList>>(`/api/v1/access-grants${qs ? `?${qs}` : ''}`)).grants;
};
export const endGrant = (id: string) => api.post<GrantT>(`/api/v1/access-grants/${enc(id)}/end`);
