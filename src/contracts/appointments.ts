/**
 * Appointments of a participant (intake, MOUD induction, court…), their status with who, when and
 * why, reminders to the participant through the message outbox, and each coach's private
 * calendar feed. Instants are ISO UTC strings; the interface shows them in local time.
 */
import { z } from 'zod';
import { Id, Version } from './common.js';

export const APPOINTMENT_KINDS = ['intake', 'moud_induction', 'prescriber_follow_up', 'counseling', 'court', 'housing', 'benefits', 'other'] as const;
export const APPOINTMENT_STATUSES = ['scheduled', 'attended', 'missed', 'cancelled', 'rescheduled'] as const;
/** What a person may set the status to; `rescheduled` comes only from rescheduling. */
export const APPOINTMENT_OUTCOMES = ['attended', 'missed', 'cancelled'] as const;
export const MESSAGE_CHANNELS = ['sms', 'email'] as const;
export const MESSAGE_STATUSES = ['pending', 'sending', 'sent', 'failed', 'cancelled'] as const;
/** Why no reminder goes to the participant. */
export const NO_REMINDER_REASONS = ['not_requested', 'do_not_contact', 'no_channel', 'in_the_past'] as const;

export type AppointmentKind = (typeof APPOINTMENT_KINDS)[number];
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];
export type MessageChannel = (typeof MESSAGE_CHANNELS)[number];
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

const choose = <T extends readonly [string, ...string[]]>(values: T, what: string) => z.enum(values, { message: `Choose ${what} from the list` });
const Text = (max: number, what: string) => z.string().trim().min(1, `Enter ${what}, or leave it out`).max(max, `Use at most ${max} characters`);
const Opt = <T extends z.ZodType>(s: T) => s.nullable().optional();
/** An instant with its offset (`2026-12-01T15:00:00Z` or `…-05:00`), stored in UTC. */
const Instant = z.iso.datetime({ offset: true, message: 'Enter a date and time' });
const TelehealthUrl = z
  .string()
  .trim()
  .max(500, 'Use at most 500 characters')
  .refine((u) => /^https?:\/\/[^\s/]+\S*$/i.test(u), 'Enter a link starting with https://');

const AppointmentFields = {
  kind: choose(APPOINTMENT_KINDS, 'a kind of appointment'),
  startsAt: Instant,
  endsAt: Opt(Instant),
  /** Where, as free text (an address, "the clinic on Main St"). */
  place: Opt(Text(300, 'a place')),
  /** A service in the resource directory, when the place is one (a reference, not a link that must exist). */
  directoryServiceId: Opt(Text(100, 'a directory service')),
  telehealthUrl: Opt(TelehealthUrl),
  providerName: Opt(Text(200, 'a provider')),
  transportNeeds: Opt(Text(500, 'transport needs')),
  notes: Opt(Text(2000, 'a note')),
  /** Whose calendar and today list it goes on: the participant's coach by default. */
  coachUserId: Id.optional(),
  /** Send the participant a reminder (by their safe-contact rules) the day before. */
  remindParticipant: z.boolean().optional(),
  /** The participant agreed that the reminder may name the place (otherwise it says only "your appointment"). */
  reminderNamesPlace: z.boolean().optional(),
};

const endAfterStart = (v: { startsAt?: string | undefined; endsAt?: string | null | undefined }, ctx: z.core.$RefinementCtx) => {
  if (v.startsAt && v.endsAt && Date.parse(v.endsAt) <= Date.parse(v.startsAt)) {
    ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'Enter an end after the start' });
  }
};

/** `POST /api/v1/participants/:id/appointments`. */
export const CreateAppointmentBody = z.object(AppointmentFields).superRefine(endAfterStart);

/** `PATCH /api/v1/appointments/:id`: any of the fields, with the version read. */
export const UpdateAppointmentBody = z
  .object({
    version: Version,
    kind: AppointmentFields.kind.optional(),
    startsAt: Instant.optional(),
    endsAt: AppointmentFields.endsAt,
    place: AppointmentFields.place,
    directoryServiceId: AppointmentFields.directoryServiceId,
    telehealthUrl: AppointmentFields.telehealthUrl,
    providerName: AppointmentFields.providerName,
    transportNeeds: AppointmentFields.transportNeeds,
    notes: AppointmentFields.notes,
    coachUserId: AppointmentFields.coachUserId,
    remindParticipant: AppointmentFields.remindParticipant,
    reminderNamesPlace: AppointmentFields.reminderNamesPlace,
  })
  .superRefine(endAfterStart);

/** `POST /api/v1/appointments/:id/status`: attended, missed or cancelled, and why. */
export const AppointmentStatusBody = z.object({
  status: choose(APPOINTMENT_OUTCOMES, 'attended, missed or cancelled'),
  reason: Opt(Text(500, 'a reason')),
  version: Version,
});

/** `POST /api/v1/appointments/:id/reschedule`: the old one stays (status rescheduled) and links the new one. */
export const RescheduleAppointmentBody = z
  .object({
    startsAt: Instant,
    endsAt: Opt(Instant),
    reason: Opt(Text(500, 'a reason')),
    version: Version,
  })
  .superRefine(endAfterStart);

export const Reminder = z.object({
  /** The outbox message, when one was queued. */
  messageId: z.string().nullable(),
  channel: z.enum(MESSAGE_CHANNELS).nullable(),
  status: z.enum(MESSAGE_STATUSES).nullable(),
  /** When it is (or was) due to be sent. */
  sendAt: z.string().nullable(),
  attempts: z.number(),
  /** Why nothing is queued. */
  none: z.enum(NO_REMINDER_REASONS).nullable(),
});

export const Appointment = z.object({
  id: z.string(),
  participantId: z.string(),
  kind: z.enum(APPOINTMENT_KINDS),
  startsAt: z.string(),
  endsAt: z.string().nullable(),
  place: z.string().nullable(),
  directoryServiceId: z.string().nullable(),
  telehealthUrl: z.string().nullable(),
  providerName: z.string().nullable(),
  transportNeeds: z.string().nullable(),
  notes: z.string().nullable(),
  coachUserId: z.string().nullable(),
  coachName: z.string().nullable(),
  status: z.enum(APPOINTMENT_STATUSES),
  statusReason: z.string().nullable(),
  statusChangedAt: z.string().nullable(),
  statusChangedBy: z.string().nullable(),
  statusChangedByName: z.string().nullable(),
  rescheduledFromId: z.string().nullable(),
  rescheduledToId: z.string().nullable(),
  remindParticipant: z.boolean(),
  reminderNamesPlace: z.boolean(),
  reminder: Reminder,
  createdAt: z.string(),
  createdBy: z.string(),
  version: z.number(),
});

export const AppointmentList = z.object({
  /** Scheduled ones (also those whose time has passed and nobody has marked yet), soonest first. */
  upcoming: z.array(Appointment),
  /** Attended, missed, cancelled and rescheduled ones, newest first (at most 100). */
  past: z.array(Appointment),
});

export const RescheduleResult = z.object({ previous: Appointment, appointment: Appointment });

/** One of the coach's appointments of today (on `GET /api/v1/today`). */
export const TodayAppointment = z.object({
  appointmentId: z.string(),
  participantId: z.string(),
  /** Null when the person is no longer in the caller's scope. */
  participantName: z.string().nullable(),
  kind: z.enum(APPOINTMENT_KINDS),
  startsAt: z.string(),
  endsAt: z.string().nullable(),
  place: z.string().nullable(),
  telehealthUrl: z.string().nullable(),
  transportNeeds: z.string().nullable(),
  status: z.enum(APPOINTMENT_STATUSES),
  version: z.number(),
});

/** The caller's calendar feed (the secret link is shown only once, when made). */
export const CalendarFeed = z.object({
  active: z.boolean(),
  showNames: z.boolean(),
  createdAt: z.string().nullable(),
  /** Only in the answer that made it: the private address to paste into a calendar app. */
  url: z.string().nullable(),
});

export const CreateCalendarFeedBody = z.object({
  /** Show participants' names in the calendar (off by default: "Appointment (intake)"). */
  showNames: z.boolean({ message: 'Say whether names are shown' }),
});

export const FeedTokenParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'Not a calendar address') });

export const OutboxMessage = z.object({
  id: z.string(),
  participantId: z.string(),
  appointmentId: z.string().nullable(),
  channel: z.enum(MESSAGE_CHANNELS),
  status: z.enum(MESSAGE_STATUSES),
  attempts: z.number(),
  nextAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  provider: z.string().nullable(),
  sentAt: z.string().nullable(),
  createdAt: z.string(),
});

export const OutboxQuery = z.object({
  status: choose(MESSAGE_STATUSES, 'a status').default('failed'),
});

export const OutboxList = z.object({ messages: z.array(OutboxMessage), truncated: z.boolean() });
