/**
 * Rules for appointments, their reminders and calendar feeds. Everything about a participant
 * passes `requireParticipant` first (another organization's: 404; out of scope: 403). Reads of
 * participant data are audited with ids only; writes are audited in their transaction.
 */
import type { z } from 'zod';
import type {
  AppointmentList,
  AppointmentStatusBody,
  CalendarFeed,
  CreateAppointmentBody,
  OutboxList,
  OutboxQuery,
  RescheduleAppointmentBody,
  TodayAppointment,
  UpdateAppointmentBody,
} from '../../../contracts/appointments.js';
import type { Ctx } from '../../platform/http/context.js';
import { AppError, errors } from '../../platform/errors.js';
import { hashToken, newToken } from '../../platform/ids.js';
import { localDate } from '../../platform/time.js';
import { cancelAppointmentMessages, enqueueMessage, retryMessage } from '../../platform/messaging/outbox.js';
import { findUserById, rolesIn } from '../users/users.repository.js';
import { idsInScope } from '../participants/participants.repository.js';
import { requireParticipant, requireParticipantAccess, scopeOf } from '../participants/participants.access.js';
import { staffNames } from '../care/care.repository.js';
import { addTodo } from '../care/care.usecases.js';
import { nextDate, startOfLocalDay } from '../care/local-time.js';
import * as repo from './appointments.repository.js';
import { linkageFromAppointment } from '../referrals/referrals.usecases.js';
import { presentAppointment, presentMessage, type AppointmentView } from './appointments.presenters.js';
import { REMINDER_TEMPLATE, reminderChannel, reminderSendAt } from './appointments.reminders.js';

type Presented = ReturnType<typeof presentAppointment>;
type NoneReason = AppointmentView['none'];

/** How many past appointments a participant's list shows. */
export const PAST_LIMIT = 100;

async function requireAppointment(ctx: Ctx, id: string): Promise<{ appointment: repo.AppointmentRecord; grantId?: string }> {
  const appointment = await repo.findAppointment(ctx.db, ctx.actor.organizationId, id);
  if (!appointment) throw errors.notFound('appointment');
  const { grantId } = await requireParticipantAccess(ctx, appointment.participantId);
  return { appointment, ...(grantId && { grantId }) };
}

async function views(ctx: Ctx, records: repo.AppointmentRecord[]): Promise<Presented[]> {
  if (records.length === 0) return [];
  const organizationId = ctx.actor.organizationId;
  const [messages, names] = await Promise.all([
    repo.latestMessages(ctx.db, organizationId, records.map((r) => r.id)),
    staffNames(ctx.db, records.flatMap((r) => [r.coachUserId, r.statusChangedBy].filter((x): x is string => !!x))),
  ]);
  const facts = new Map<string, repo.ContactFacts | undefined>();
  for (const pid of new Set(records.map((r) => r.participantId))) facts.set(pid, await repo.contactFacts(ctx.db, organizationId, pid));
  const now = ctx.clock.now().getTime();
  return records.map((record) => {
    let none: NoneReason = null;
    if (!messages.has(record.id)) {
      const f = facts.get(record.participantId);
      const allowed = f ? reminderChannel(f) : { none: 'no_channel' as const };
      none = !record.remindParticipant ? 'not_requested' : 'none' in allowed ? allowed.none : Date.parse(record.startsAt) <= now ? 'in_the_past' : null;
    }
    return presentAppointment({ record, message: messages.get(record.id), none, names });
  });
}

const viewOf = async (ctx: Ctx, r: repo.AppointmentRecord): Promise<Presented> => (await views(ctx, [r]))[0]!;

/** The coach the appointment goes to: named (a coach or supervisor here, active), else the participant's coach, else the caller when they coach. */
async function coachFor(ctx: Ctx, participantId: string, named: string | undefined): Promise<string | null> {
  if (named) {
    const roles = await rolesIn(ctx.db, named, ctx.actor.organizationId);
    if (!roles.includes('coach') && !roles.includes('supervisor')) throw errors.invalid('coachUserId', 'Choose a coach or supervisor of this organization');
    if ((await findUserById(ctx.db, named))?.status !== 'active') throw errors.invalid('coachUserId', 'This person’s account is disabled. Choose someone active');
    return named;
  }
  const assigned = await repo.assignedCoach(ctx.db, ctx.actor.organizationId, participantId);
  if (assigned) return assigned;
  return ctx.actor.roles.includes('coach') || ctx.actor.roles.includes('supervisor') ? ctx.actor.userId : null;
}

/** Queue the participant's reminder when asked for and their rules allow it (none for an appointment already begun). */
async function queueReminder(ctx: Ctx, a: repo.AppointmentRecord): Promise<void> {
  if (!a.remindParticipant || a.status !== 'scheduled') return;
  const now = ctx.clock.now();
  if (Date.parse(a.startsAt) <= now.getTime()) return;
  const facts = await repo.contactFacts(ctx.db, ctx.actor.organizationId, a.participantId);
  if (!facts) return;
  const allowed = reminderChannel(facts);
  if ('none' in allowed) return;
  await enqueueMessage(ctx.db, {
    organizationId: ctx.actor.organizationId,
    participantId: a.participantId,
    appointmentId: a.id,
    template: REMINDER_TEMPLATE,
    channel: allowed.channel,
    sendAt: reminderSendAt(a.startsAt, now),
    createdBy: ctx.actor.userId,
    now: now.toISOString(),
  });
}

const canonical = (instant: string | null | undefined): string | null | undefined => (instant ? new Date(instant).toISOString() : instant);

const reloaded = async (ctx: Ctx, id: string): Promise<repo.AppointmentRecord> => (await repo.findAppointment(ctx.db, ctx.actor.organizationId, id))!;

const conflict = async (ctx: Ctx, id: string) => {
  const current = await reloaded(ctx, id);
  return errors.conflict(await viewOf(ctx, current), current.version);
};

const notScheduled = (a: repo.AppointmentRecord) =>
  new AppError('record.conflict', `This appointment is already ${a.status}. Reschedule or add a new one instead.`, { details: { status: a.status, version: a.version } });

// ---- appointments

export async function createAppointment(ctx: Ctx, participantId: string, input: z.output<typeof CreateAppointmentBody>): Promise<Presented> {
  await requireParticipant(ctx, participantId);
  const now = ctx.clock.now().toISOString();
  const values: repo.AppointmentValues = {
    kind: input.kind,
    startsAt: canonical(input.startsAt)!,
    endsAt: canonical(input.endsAt) ?? null,
    place: input.place ?? null,
    directoryServiceId: input.directoryServiceId ?? null,
    telehealthUrl: input.telehealthUrl ?? null,
    providerName: input.providerName ?? null,
    transportNeeds: input.transportNeeds ?? null,
    notes: input.notes ?? null,
    coachUserId: await coachFor(ctx, participantId, input.coachUserId),
    remindParticipant: input.remindParticipant ?? false,
    reminderNamesPlace: input.reminderNamesPlace ?? false,
  };
  const id = await repo.insertAppointment(ctx.db, { ...values, organizationId: ctx.actor.organizationId, participantId, rescheduledFromId: null, createdBy: ctx.actor.userId, now });
  const created = await reloaded(ctx, id);
  await queueReminder(ctx, created);
  await ctx.audit({ action: 'appointment.create', targetType: 'appointment', targetIds: [id, participantId], details: { kind: values.kind, remind: values.remindParticipant } });
  return viewOf(ctx, created);
}

export async function listAppointments(ctx: Ctx, participantId: string): Promise<z.output<typeof AppointmentList>> {
  const { grantId } = await requireParticipantAccess(ctx, participantId);
  const rows = await repo.listForParticipant(ctx.db, ctx.actor.organizationId, participantId);
  await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: [participantId], details: { part: 'appointments', ...(grantId && { breakGlassGrantId: grantId }) } });
  // Scheduled ones stay in the first list until someone marks them (attended, missed…), even after their time.
  const upcoming = rows.filter((r) => r.status === 'scheduled').reverse();
  const past = rows.filter((r) => r.status !== 'scheduled').slice(0, PAST_LIMIT);
  const all = await views(ctx, [...upcoming, ...past]);
  return { upcoming: all.slice(0, upcoming.length), past: all.slice(upcoming.length) };
}

export async function getAppointment(ctx: Ctx, id: string): Promise<Presented> {
  const { appointment, grantId } = await requireAppointment(ctx, id);
  await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: [appointment.participantId], details: { part: 'appointment', appointmentId: id, ...(grantId && { breakGlassGrantId: grantId }) } });
  return viewOf(ctx, appointment);
}

export async function updateAppointment(ctx: Ctx, id: string, input: z.output<typeof UpdateAppointmentBody>): Promise<Presented> {
  const { appointment: current } = await requireAppointment(ctx, id);
  const { version, ...rest } = input;
  const patch = Object.fromEntries(
    Object.entries({ ...rest, startsAt: canonical(rest.startsAt), endsAt: canonical(rest.endsAt) }).filter(([, v]) => v !== undefined),
  ) as Partial<repo.AppointmentValues>;
  if (input.coachUserId !== undefined) patch.coachUserId = await coachFor(ctx, current.participantId, input.coachUserId);
  const starts = patch.startsAt ?? current.startsAt;
  const ends = patch.endsAt === undefined ? current.endsAt : patch.endsAt;
  if (ends && Date.parse(ends) <= Date.parse(starts)) throw errors.invalid(patch.endsAt !== undefined ? 'endsAt' : 'startsAt', 'Enter an end after the start');
  if (current.version !== version) throw await conflict(ctx, id);
  if (patch.startsAt !== undefined && current.status !== 'scheduled') throw notScheduled(current);
  if (!(await repo.updateAppointment(ctx.db, ctx.actor.organizationId, id, version, patch, ctx.clock.now().toISOString()))) throw await conflict(ctx, id);
  const updated = await reloaded(ctx, id);
  // A new time, or a changed wish to be reminded: the queued reminder is replaced.
  if ((patch.startsAt !== undefined && patch.startsAt !== current.startsAt) || (patch.remindParticipant !== undefined && patch.remindParticipant !== current.remindParticipant)) {
    await cancelAppointmentMessages(ctx.db, ctx.actor.organizationId, id, 'appointment_changed', ctx.clock.now().toISOString());
    await queueReminder(ctx, updated);
  }
  await ctx.audit({ action: 'appointment.update', targetType: 'appointment', targetIds: [id, current.participantId], details: { fields: Object.keys(patch) } });
  return viewOf(ctx, updated);
}

/** Attended, missed or cancelled, with who, when and why. A missed one puts a follow-up on the coach's list. */
export async function changeStatus(ctx: Ctx, id: string, input: z.output<typeof AppointmentStatusBody>): Promise<Presented> {
  const { appointment: current } = await requireAppointment(ctx, id);
  if (current.version !== input.version) throw await conflict(ctx, id);
  if (current.status !== 'scheduled') throw notScheduled(current);
  const now = ctx.clock.now();
  if (input.status !== 'cancelled' && Date.parse(current.startsAt) > now.getTime()) {
    throw errors.invalid('status', 'This appointment has not started yet. Mark it attended or missed once it has');
  }
  if (!(await repo.setStatus(ctx.db, ctx.actor.organizationId, id, input.version, { status: input.status, reason: input.reason ?? null, by: ctx.actor.userId, now: now.toISOString() }))) {
    throw await conflict(ctx, id);
  }
  await cancelAppointmentMessages(ctx.db, ctx.actor.organizationId, id, `appointment_${input.status}`, now.toISOString());
  let todoId: string | undefined;
  if (input.status === 'missed') {
    const tz = await repo.organizationTimeZone(ctx.db, ctx.actor.organizationId);
    const todo = await addTodo(ctx, {
      participantId: current.participantId,
      kind: 'follow_up',
      ownerUserId: current.coachUserId ?? ctx.actor.userId,
      dueOn: localDate(now, tz),
      dueTime: null,
      severity: 'high',
      title: 'Reach out about the missed appointment and offer to reschedule',
      note: null,
      clearsOn: 'contact_reached',
      source: { type: 'appointment', id },
    });
    todoId = todo.id;
  }
  await ctx.audit({ action: 'appointment.status', targetType: 'appointment', targetIds: [id, current.participantId], details: { from: current.status, to: input.status, ...(todoId && { todoId }) } });
  // An appointment booked for a referral, attended: that is linkage, and it closes the referral.
  if (input.status === 'attended') await linkageFromAppointment(ctx, id, current.startsAt);
  return viewOf(ctx, await reloaded(ctx, id));
}

/** The old appointment stays, as `rescheduled`, linked to the new one (same details, new time). */
export async function reschedule(ctx: Ctx, id: string, input: z.output<typeof RescheduleAppointmentBody>): Promise<{ previous: Presented; appointment: Presented }> {
  const { appointment: current } = await requireAppointment(ctx, id);
  if (current.version !== input.version) throw await conflict(ctx, id);
  if (current.status !== 'scheduled' && current.status !== 'missed') throw notScheduled(current);
  const now = ctx.clock.now().toISOString();
  const newId = await repo.insertAppointment(ctx.db, {
    ...current,
    startsAt: canonical(input.startsAt)!,
    endsAt: canonical(input.endsAt) ?? null,
    organizationId: ctx.actor.organizationId,
    rescheduledFromId: id,
    createdBy: ctx.actor.userId,
    now,
  });
  // A missed appointment keeps its status (it was missed); a scheduled one becomes rescheduled.
  const ok =
    current.status === 'scheduled'
      ? await repo.setStatus(ctx.db, ctx.actor.organizationId, id, input.version, { status: 'rescheduled', reason: input.reason ?? null, by: ctx.actor.userId, rescheduledToId: newId, now })
      : await linkOnly(ctx, id, input.version, newId, now);
  if (!ok) throw await conflict(ctx, id);
  await cancelAppointmentMessages(ctx.db, ctx.actor.organizationId, id, 'appointment_rescheduled', now);
  const created = await reloaded(ctx, newId);
  await queueReminder(ctx, created);
  await ctx.audit({ action: 'appointment.reschedule', targetType: 'appointment', targetIds: [id, newId, current.participantId], details: { from: current.status } });
  const [previous, appointment] = await views(ctx, [await reloaded(ctx, id), created]);
  return { previous: previous!, appointment: appointment! };
}

async function linkOnly(ctx: Ctx, id: string, version: number, newId: string, now: string): Promise<boolean> {
  const r = await ctx.db
    .updateTable('appointments')
    .set((eb) => ({ rescheduled_to_id: newId, updated_at: now, version: eb('version', '+', 1) }))
    .where('organization_id', '=', ctx.actor.organizationId)
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** One appointment as an iCalendar file (no participant name in it). */
export async function appointmentIcs(ctx: Ctx, id: string): Promise<repo.AppointmentRecord> {
  const { appointment, grantId } = await requireAppointment(ctx, id);
  await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: [appointment.participantId], details: { part: 'appointment_ics', appointmentId: id, ...(grantId && { breakGlassGrantId: grantId }) } });
  return appointment;
}

// ---- today

/** The caller's appointments starting today (organization's local date), for `GET /api/v1/today`. */
export async function todayAppointments(ctx: Ctx, day: string, tz: string): Promise<z.output<typeof TodayAppointment>[]> {
  const rows = await repo.coachAppointments(ctx.db, ctx.actor.organizationId, ctx.actor.userId, startOfLocalDay(day, tz).toISOString(), startOfLocalDay(nextDate(day), tz).toISOString(), 100);
  const shown = rows.filter((r) => r.status !== 'rescheduled' && r.status !== 'cancelled');
  const visible = await idsInScope(ctx.db, scopeOf(ctx), [...new Set(shown.map((r) => r.participantId))]);
  if (visible.size) await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: [...visible], details: { part: 'today_appointments' } });
  return shown.map((r) => ({
    appointmentId: r.id,
    participantId: r.participantId,
    participantName: visible.has(r.participantId) ? r.participantName : null,
    kind: r.kind,
    startsAt: r.startsAt,
    endsAt: r.endsAt,
    place: visible.has(r.participantId) ? r.place : null,
    telehealthUrl: visible.has(r.participantId) ? r.telehealthUrl : null,
    transportNeeds: visible.has(r.participantId) ? r.transportNeeds : null,
    status: r.status,
    version: r.version,
  }));
}

// ---- calendar feeds

/** The feed shows from this many days back to this many ahead. */
export const FEED_PAST_DAYS = 30;
export const FEED_AHEAD_DAYS = 180;

export async function myFeed(ctx: Ctx): Promise<z.output<typeof CalendarFeed>> {
  const f = await repo.activeFeed(ctx.db, ctx.actor.organizationId, ctx.actor.userId);
  return { active: !!f, showNames: f?.showNames ?? false, createdAt: f?.createdAt ?? null, url: null };
}

/** A new secret address (the old one stops working). The token is returned once and stored hashed. */
export async function createFeed(ctx: Ctx, input: { showNames: boolean }, publicUrl: string): Promise<z.output<typeof CalendarFeed>> {
  const now = ctx.clock.now().toISOString();
  await repo.revokeFeeds(ctx.db, ctx.actor.organizationId, ctx.actor.userId, now);
  const token = newToken();
  const id = await repo.insertFeed(ctx.db, { organizationId: ctx.actor.organizationId, userId: ctx.actor.userId, tokenHash: hashToken(token), showNames: input.showNames, now });
  await ctx.audit({ action: 'calendar_feed.create', targetType: 'calendar_feed', targetIds: [id], details: { showNames: input.showNames } });
  return { active: true, showNames: input.showNames, createdAt: now, url: `${publicUrl.replace(/\/$/, '')}/api/v1/calendar-feeds/${token}` };
}

export async function revokeFeed(ctx: Ctx): Promise<z.output<typeof CalendarFeed>> {
  const n = await repo.revokeFeeds(ctx.db, ctx.actor.organizationId, ctx.actor.userId, ctx.clock.now().toISOString());
  if (n) await ctx.audit({ action: 'calendar_feed.revoke', targetType: 'user', targetIds: [ctx.actor.userId] });
  return { active: false, showNames: false, createdAt: null, url: null };
}

// ---- the outbox

export const OUTBOX_LIMIT = 200;

export async function listOutbox(ctx: Ctx, q: z.output<typeof OutboxQuery>): Promise<z.output<typeof OutboxList>> {
  const rows = await repo.listMessages(ctx.db, ctx.actor.organizationId, q.status, OUTBOX_LIMIT + 1);
  const shown = rows.slice(0, OUTBOX_LIMIT);
  const ids = [...new Set(shown.map((m) => m.participantId))];
  if (ids.length) await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: ids, details: { part: 'outbox', status: q.status } });
  return { messages: shown.map(presentMessage), truncated: rows.length > OUTBOX_LIMIT };
}

export async function retryOutboxMessage(ctx: Ctx, id: string): Promise<ReturnType<typeof presentMessage>> {
  const m = await repo.findMessage(ctx.db, ctx.actor.organizationId, id);
  if (!m) throw errors.notFound('message');
  if (m.status !== 'failed') throw new AppError('record.conflict', 'Only a message that failed can be tried again.', { details: { status: m.status } });
  await retryMessage(ctx.db, ctx.actor.organizationId, id, ctx.clock.now().toISOString());
  await ctx.audit({ action: 'outbox.retry', targetType: 'outbox_message', targetIds: [id, m.participantId] });
  return presentMessage((await repo.findMessage(ctx.db, ctx.actor.organizationId, id))!);
}

/**
 * The public feed (by its secret token): the owner's appointments from 30 days back to 180 ahead,
 * with names only when they chose so. Audited as a read by the feed's owner. Undefined: no live feed.
 */
export async function feedCalendar(
  db: Ctx['db'],
  now: Date,
  token: string,
  audit: (e: { organizationId: string; actorUserId: string; targetIds: string[]; details: Record<string, unknown> }) => void,
): Promise<{ events: { appointment: repo.AppointmentRecord; participantName: string | null }[] } | undefined> {
  const feed = await repo.feedByTokenHash(db, hashToken(token));
  if (!feed) return undefined;
  const from = new Date(now.getTime() - FEED_PAST_DAYS * 86_400_000).toISOString();
  const to = new Date(now.getTime() + FEED_AHEAD_DAYS * 86_400_000).toISOString();
  const rows = await repo.coachAppointments(db, feed.organizationId, feed.userId, from, to, 1000);
  const ids = [...new Set(rows.map((r) => r.participantId))];
  audit({ organizationId: feed.organizationId, actorUserId: feed.userId, targetIds: ids, details: { part: 'calendar_feed', feedId: feed.id, names: feed.showNames } });
  return { events: rows.map((r) => ({ appointment: r, participantName: feed.showNames ? r.participantName : null })) };
}
