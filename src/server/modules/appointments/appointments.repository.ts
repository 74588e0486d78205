/** All SQL of appointments, their reminders' outbox rows and calendar feeds; rows never leave this file. */
import type { Selectable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { AppointmentsTable } from '../../platform/db/tables-appointments.js';
import { newId } from '../../platform/ids.js';
import type { AppointmentKind, AppointmentStatus, MessageChannel, MessageStatus } from '../../../contracts/appointments.js';

export interface AppointmentRecord {
  id: string;
  organizationId: string;
  participantId: string;
  kind: AppointmentKind;
  startsAt: string;
  endsAt: string | null;
  place: string | null;
  directoryServiceId: string | null;
  telehealthUrl: string | null;
  providerName: string | null;
  transportNeeds: string | null;
  notes: string | null;
  coachUserId: string | null;
  status: AppointmentStatus;
  statusReason: string | null;
  statusChangedAt: string | null;
  statusChangedBy: string | null;
  rescheduledFromId: string | null;
  rescheduledToId: string | null;
  remindParticipant: boolean;
  reminderNamesPlace: boolean;
  createdBy: string;
  createdAt: string;
  version: number;
}

/** Instants come back as ISO strings from both drivers; normalize SQLite's text to the same form. */
const iso = (v: string | null): string | null => (v === null ? null : new Date(v).toISOString());

export const toRecord = (r: Selectable<AppointmentsTable>): AppointmentRecord => ({
  id: r.id,
  organizationId: r.organization_id,
  participantId: r.participant_id,
  kind: r.kind as AppointmentKind,
  startsAt: iso(r.starts_at)!,
  endsAt: iso(r.ends_at),
  place: r.place,
  directoryServiceId: r.directory_service_id,
  telehealthUrl: r.telehealth_url,
  providerName: r.provider_name,
  transportNeeds: r.transport_needs,
  notes: r.notes,
  coachUserId: r.coach_user_id,
  status: r.status as AppointmentStatus,
  statusReason: r.status_reason,
  statusChangedAt: iso(r.status_changed_at),
  statusChangedBy: r.status_changed_by,
  rescheduledFromId: r.rescheduled_from_id,
  rescheduledToId: r.rescheduled_to_id,
  remindParticipant: Number(r.remind_participant) === 1,
  reminderNamesPlace: Number(r.reminder_names_place) === 1,
  createdBy: r.created_by,
  createdAt: iso(r.created_at)!,
  version: Number(r.version),
});

export interface AppointmentValues {
  kind: AppointmentKind;
  startsAt: string;
  endsAt: string | null;
  place: string | null;
  directoryServiceId: string | null;
  telehealthUrl: string | null;
  providerName: string | null;
  transportNeeds: string | null;
  notes: string | null;
  coachUserId: string | null;
  remindParticipant: boolean;
  reminderNamesPlace: boolean;
}

const COLUMNS = {
  kind: 'kind',
  startsAt: 'starts_at',
  endsAt: 'ends_at',
  place: 'place',
  directoryServiceId: 'directory_service_id',
  telehealthUrl: 'telehealth_url',
  providerName: 'provider_name',
  transportNeeds: 'transport_needs',
  notes: 'notes',
  coachUserId: 'coach_user_id',
  remindParticipant: 'remind_participant',
  reminderNamesPlace: 'reminder_names_place',
} as const satisfies Record<keyof AppointmentValues, keyof AppointmentsTable>;

function columnsOf(v: Partial<AppointmentValues>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, col] of Object.entries(COLUMNS)) {
    const value = v[k as keyof AppointmentValues];
    if (value === undefined) continue;
    out[col] = typeof value === 'boolean' ? (value ? 1 : 0) : value;
  }
  return out;
}

export async function insertAppointment(
  db: Executor,
  a: AppointmentValues & { organizationId: string; participantId: string; rescheduledFromId: string | null; createdBy: string; now: string },
): Promise<string> {
  const id = newId();
  await db
    .insertInto('appointments')
    .values({
      id,
      organization_id: a.organizationId,
      participant_id: a.participantId,
      kind: a.kind,
      starts_at: a.startsAt,
      ends_at: a.endsAt,
      place: a.place,
      directory_service_id: a.directoryServiceId,
      telehealth_url: a.telehealthUrl,
      provider_name: a.providerName,
      transport_needs: a.transportNeeds,
      notes: a.notes,
      coach_user_id: a.coachUserId,
      remind_participant: a.remindParticipant ? 1 : 0,
      reminder_names_place: a.reminderNamesPlace ? 1 : 0,
      status: 'scheduled',
      rescheduled_from_id: a.rescheduledFromId,
      created_by: a.createdBy,
      created_at: a.now,
      updated_at: a.now,
    })
    .execute();
  return id;
}

export async function findAppointment(db: Executor, organizationId: string, id: string): Promise<AppointmentRecord | undefined> {
  const r = await db.selectFrom('appointments').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  return r && toRecord(r);
}

export async function listForParticipant(db: Executor, organizationId: string, participantId: string): Promise<AppointmentRecord[]> {
  const rows = await db
    .selectFrom('appointments')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('participant_id', '=', participantId)
    .orderBy('starts_at', 'desc')
    .orderBy('id', 'desc')
    .limit(500)
    .execute();
  return rows.map(toRecord);
}

/** Applies the change only if the version still matches; false when stale. */
export async function updateAppointment(db: Executor, organizationId: string, id: string, version: number, patch: Partial<AppointmentValues>, now: string): Promise<boolean> {
  const r = await db
    .updateTable('appointments')
    .set((eb) => ({ ...columnsOf(patch), updated_at: now, version: eb('version', '+', 1) }))
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function setStatus(
  db: Executor,
  organizationId: string,
  id: string,
  version: number,
  s: { status: AppointmentStatus; reason: string | null; by: string; rescheduledToId?: string; now: string },
): Promise<boolean> {
  const r = await db
    .updateTable('appointments')
    .set((eb) => ({
      status: s.status,
      status_reason: s.reason,
      status_changed_at: s.now,
      status_changed_by: s.by,
      ...(s.rescheduledToId && { rescheduled_to_id: s.rescheduledToId }),
      updated_at: s.now,
      version: eb('version', '+', 1),
    }))
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export interface MessageRow {
  id: string;
  participantId: string;
  appointmentId: string | null;
  channel: MessageChannel;
  status: MessageStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  provider: string | null;
  sentAt: string | null;
  createdAt: string;
}

const messageColumns = ['id', 'participant_id', 'appointment_id', 'channel', 'status', 'attempts', 'next_attempt_at', 'last_error', 'provider', 'sent_at', 'created_at'] as const;
const toMessage = (r: { id: string; participant_id: string; appointment_id: string | null; channel: string; status: string; attempts: number; next_attempt_at: string | null; last_error: string | null; provider: string | null; sent_at: string | null; created_at: string }): MessageRow => ({
  id: r.id,
  participantId: r.participant_id,
  appointmentId: r.appointment_id,
  channel: r.channel as MessageChannel,
  status: r.status as MessageStatus,
  attempts: Number(r.attempts),
  nextAttemptAt: iso(r.next_attempt_at),
  lastError: r.last_error,
  provider: r.provider,
  sentAt: iso(r.sent_at),
  createdAt: iso(r.created_at)!,
});

/** The newest message of each appointment (its reminder). */
export async function latestMessages(db: Executor, organizationId: string, appointmentIds: readonly string[]): Promise<Map<string, MessageRow>> {
  if (appointmentIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('outbox_messages')
    .select(messageColumns)
    .where('organization_id', '=', organizationId)
    .where('appointment_id', 'in', [...appointmentIds])
    .orderBy('id', 'asc')
    .execute();
  const out = new Map<string, MessageRow>();
  for (const r of rows) if (r.appointment_id) out.set(r.appointment_id, toMessage(r));
  return out;
}

export async function listMessages(db: Executor, organizationId: string, status: MessageStatus, limit: number): Promise<MessageRow[]> {
  const rows = await db
    .selectFrom('outbox_messages')
    .select(messageColumns)
    .where('organization_id', '=', organizationId)
    .where('status', '=', status)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toMessage);
}

export async function findMessage(db: Executor, organizationId: string, id: string): Promise<MessageRow | undefined> {
  const r = await db.selectFrom('outbox_messages').select(messageColumns).where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  return r && toMessage(r);
}

/** How a participant may be reached, as the reminder rules read it. */
export interface ContactFacts {
  doNotContact: boolean;
  preferredMethod: string | null;
  okText: boolean;
  phone: string | null;
  email: string | null;
  language: string | null;
  windowStart: string | null;
  windowEnd: string | null;
}

export async function contactFacts(db: Executor, organizationId: string, participantId: string): Promise<ContactFacts | undefined> {
  const r = await db
    .selectFrom('participants')
    .select(['do_not_contact', 'preferred_contact_method', 'ok_text', 'phone', 'email', 'language', 'contact_window_start', 'contact_window_end'])
    .where('organization_id', '=', organizationId)
    .where('id', '=', participantId)
    .executeTakeFirst();
  return (
    r && {
      doNotContact: Number(r.do_not_contact) === 1,
      preferredMethod: r.preferred_contact_method,
      okText: Number(r.ok_text) === 1,
      phone: r.phone,
      email: r.email,
      language: r.language,
      windowStart: r.contact_window_start,
      windowEnd: r.contact_window_end,
    }
  );
}

/** A coach's appointments starting in [from, to), soonest first, with the participant's name. */
export async function coachAppointments(db: Executor, organizationId: string, coachUserId: string, from: string, to: string, limit = 500): Promise<(AppointmentRecord & { participantName: string })[]> {
  const rows = await db
    .selectFrom('appointments as a')
    .innerJoin('participants as p', 'p.id', 'a.participant_id')
    .selectAll('a')
    .select(['p.first_name', 'p.last_name', 'p.preferred_name', 'p.alias'])
    .where('a.organization_id', '=', organizationId)
    .where('a.coach_user_id', '=', coachUserId)
    .where('a.starts_at', '>=', from)
    .where('a.starts_at', '<', to)
    .where('p.merged_into_id', 'is', null)
    .orderBy('a.starts_at')
    .orderBy('a.id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...toRecord(r), participantName: [r.preferred_name ?? r.first_name ?? r.alias, r.last_name].filter(Boolean).join(' ') }));
}

// ---- calendar feeds

export interface FeedRecord {
  id: string;
  organizationId: string;
  userId: string;
  showNames: boolean;
  createdAt: string;
}

export async function activeFeed(db: Executor, organizationId: string, userId: string): Promise<FeedRecord | undefined> {
  const r = await db
    .selectFrom('calendar_feeds')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return r && { id: r.id, organizationId: r.organization_id, userId: r.user_id, showNames: Number(r.show_names) === 1, createdAt: iso(r.created_at)! };
}

export async function revokeFeeds(db: Executor, organizationId: string, userId: string, now: string): Promise<number> {
  const r = await db
    .updateTable('calendar_feeds')
    .set({ revoked_at: now })
    .where('organization_id', '=', organizationId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function insertFeed(db: Executor, f: { organizationId: string; userId: string; tokenHash: string; showNames: boolean; now: string }): Promise<string> {
  const id = newId();
  await db
    .insertInto('calendar_feeds')
    .values({ id, organization_id: f.organizationId, user_id: f.userId, token_hash: f.tokenHash, show_names: f.showNames ? 1 : 0, created_at: f.now })
    .execute();
  return id;
}

/** The live feed of a token, only while its owner still works there as a coach or supervisor. */
export async function feedByTokenHash(db: Executor, tokenHash: string): Promise<FeedRecord | undefined> {
  const r = await db
    .selectFrom('calendar_feeds as f')
    .innerJoin('users as u', 'u.id', 'f.user_id')
    .selectAll('f')
    .where('f.token_hash', '=', tokenHash)
    .where('f.revoked_at', 'is', null)
    .where('u.status', '=', 'active')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('memberships as m')
          .select('m.id')
          .whereRef('m.user_id', '=', 'f.user_id')
          .whereRef('m.organization_id', '=', 'f.organization_id')
          .where('m.role', 'in', ['coach', 'supervisor']),
      ),
    )
    .executeTakeFirst();
  return r && { id: r.id, organizationId: r.organization_id, userId: r.user_id, showNames: Number(r.show_names) === 1, createdAt: iso(r.created_at)! };
}

export async function organizationTimeZone(db: Executor, organizationId: string): Promise<string> {
  const r = await db.selectFrom('organizations').select('time_zone').where('id', '=', organizationId).executeTakeFirst();
  return r?.time_zone ?? 'UTC';
}

/** The coach of the participant's open episode (the most recently started), if any. */
export async function assignedCoach(db: Executor, organizationId: string, participantId: string): Promise<string | null> {
  const r = await db
    .selectFrom('episodes')
    .select('assigned_coach_user_id')
    .where('organization_id', '=', organizationId)
    .where('participant_id', '=', participantId)
    .where('status', '<>', 'discharged')
    .orderBy('start_date', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return r?.assigned_coach_user_id ?? null;
}
