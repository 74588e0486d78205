/** Table types of appointments, reminders and the message outbox (migration 0007-appointments). */
import type { Generated } from 'kysely';

type Flag = 0 | 1;

export interface AppointmentsTable {
  id: string;
  organization_id: string;
  participant_id: string;
  kind: string;
  starts_at: string;
  ends_at: string | null;
  place: string | null;
  directory_service_id: string | null;
  telehealth_url: string | null;
  provider_name: string | null;
  transport_needs: string | null;
  notes: string | null;
  coach_user_id: string | null;
  status: string;
  status_reason: string | null;
  status_changed_at: string | null;
  status_changed_by: string | null;
  rescheduled_from_id: string | null;
  rescheduled_to_id: string | null;
  remind_participant: Flag;
  reminder_names_place: Flag;
  /** The referral this appointment was booked for (migration 0009). */
  referral_id: Generated<string | null>;
  created_by: string;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface OutboxMessagesTable {
  id: string;
  organization_id: string;
  participant_id: string;
  appointment_id: string | null;
  template: string;
  channel: string;
  status: string;
  attempts: Generated<number>;
  next_attempt_at: string | null;
  last_error: string | null;
  provider: string | null;
  provider_message_id: string | null;
  language: string | null;
  body: string | null;
  sent_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface CalendarFeedsTable {
  id: string;
  organization_id: string;
  user_id: string;
  token_hash: string;
  show_names: Flag;
  created_at: string;
  revoked_at: string | null;
}

export interface AppointmentTables {
  appointments: AppointmentsTable;
  outbox_messages: OutboxMessagesTable;
  calendar_feeds: CalendarFeedsTable;
}
