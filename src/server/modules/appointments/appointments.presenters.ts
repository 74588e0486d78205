/** Appointment records → the API shape (contracts/appointments.ts). */
import type { z } from 'zod';
import type { Appointment, OutboxMessage } from '../../../contracts/appointments.js';
import type { AppointmentRecord, MessageRow } from './appointments.repository.js';

export interface AppointmentView {
  record: AppointmentRecord;
  message: MessageRow | undefined;
  /** Why no reminder is queued, when none is. */
  none: z.output<typeof Appointment>['reminder']['none'];
  names: ReadonlyMap<string, string>;
}

export function presentAppointment(v: AppointmentView): z.output<typeof Appointment> {
  const a = v.record;
  const m = v.message;
  return {
    id: a.id,
    participantId: a.participantId,
    kind: a.kind,
    startsAt: a.startsAt,
    endsAt: a.endsAt,
    place: a.place,
    directoryServiceId: a.directoryServiceId,
    telehealthUrl: a.telehealthUrl,
    providerName: a.providerName,
    transportNeeds: a.transportNeeds,
    notes: a.notes,
    coachUserId: a.coachUserId,
    coachName: a.coachUserId ? (v.names.get(a.coachUserId) ?? null) : null,
    status: a.status,
    statusReason: a.statusReason,
    statusChangedAt: a.statusChangedAt,
    statusChangedBy: a.statusChangedBy,
    statusChangedByName: a.statusChangedBy ? (v.names.get(a.statusChangedBy) ?? null) : null,
    rescheduledFromId: a.rescheduledFromId,
    rescheduledToId: a.rescheduledToId,
    remindParticipant: a.remindParticipant,
    reminderNamesPlace: a.reminderNamesPlace,
    reminder: {
      messageId: m?.id ?? null,
      channel: m?.channel ?? null,
      status: m?.status ?? null,
      sendAt: m ? (m.sentAt ?? m.nextAttemptAt) : null,
      attempts: m?.attempts ?? 0,
      none: m ? null : v.none,
    },
    createdAt: a.createdAt,
    createdBy: a.createdBy,
    version: a.version,
  };
}

export const presentMessage = (m: MessageRow): z.output<typeof OutboxMessage> => ({ ...m });
