/** Requests of the appointments views: a participant's appointments, status, rescheduling, the calendar feed, failed reminders. */
import type { z } from 'zod';
// Types only: the schemas (and zod) stay out of the bundle every phone downloads.
import type {
  Appointment,
  AppointmentList,
  AppointmentStatusBody,
  CalendarFeed,
  CreateAppointmentBody,
  OutboxList,
  OutboxMessage,
  RescheduleAppointmentBody,
  RescheduleResult,
  TodayAppointment,
} from '../../../contracts/appointments';
import { api } from '../../app/api';

export type AppointmentT = z.infer<typeof Appointment>;
export type AppointmentListT = z.infer<typeof AppointmentList>;
export type CalendarFeedT = z.infer<typeof CalendarFeed>;
export type OutboxMessageT = z.infer<typeof OutboxMessage>;
export type TodayAppointmentT = z.infer<typeof TodayAppointment>;

export const appointmentKeys = {
  /** Under the participant's key, so whatever refreshes the participant refreshes these too. */
  list: (participantId: string) => ['participants', participantId, 'appointments'] as const,
  feed: ['appointments', 'calendar-feed'] as const,
  outbox: ['appointments', 'outbox', 'failed'] as const,
};

const enc = encodeURIComponent;

export const listAppointments = (participantId: string) => api.get<AppointmentListT>(`/api/v1/participants/${enc(participantId)}/appointments`);
export const createAppointment = (participantId: string, body: z.input<typeof CreateAppointmentBody>, idempotencyKey: string) =>
  api.post<AppointmentT>(`/api/v1/participants/${enc(participantId)}/appointments`, body, { idempotencyKey });
export const changeStatus = (id: string, body: z.input<typeof AppointmentStatusBody>) => api.post<AppointmentT>(`/api/v1/appointments/${enc(id)}/status`, body);
export const reschedule = (id: string, body: z.input<typeof RescheduleAppointmentBody>, idempotencyKey: string) =>
  api.post<z.infer<typeof RescheduleResult>>(`/api/v1/appointments/${enc(id)}/reschedule`, body, { idempotencyKey });
export const icsUrl = (id: string) => `/api/v1/appointments/${enc(id)}/ics`;

export const getFeed = () => api.get<CalendarFeedT>('/api/v1/calendar-feed');
export const createFeed = (showNames: boolean) => api.post<CalendarFeedT>('/api/v1/calendar-feed', { showNames });
export const turnOffFeed = () => api.delete<CalendarFeedT>('/api/v1/calendar-feed');

export const failedMessages = () => api.get<z.infer<typeof OutboxList>>('/api/v1/outbox?status=failed');
export const retryMessage = (id: string) => api.post<OutboxMessageT>(`/api/v1/outbox/${enc(id)}/retry`);

/** The instant of a local date and time in the browser's zone (the coach's), as ISO with offset. */
export function instantOf(date: string, time: string): string | null {
  const d = new Date(`${date.trim()}T${time.trim()}`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
