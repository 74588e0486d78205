/**
 * Reminders to the participant: which channel their safe-contact rules allow, when the reminder
 * is due, and its text — rendered when it is sent, in the participant's language, and never
 * saying what the appointment is for or where it is unless they agreed ("Reminder: your
 * appointment tomorrow at 10:00 AM.").
 */
import type { Executor } from '../../platform/db/database.js';
import type { MessageChannel } from '../../../contracts/appointments.js';
import type { ClaimedMessage, Rendered, Renderer } from '../../platform/messaging/outbox.js';
import { localDate } from '../../platform/time.js';
import { nextDate, zonedToUtc } from '../care/local-time.js';
import { openEpisodeSiteTimeZone } from '../care/care.repository.js';
import { addDays } from '../caseload/dates.js';
import * as repo from './appointments.repository.js';

export const REMINDER_TEMPLATE = 'appointment_reminder';
/** The reminder goes out this long before the appointment (or at once when it is sooner). */
export const REMINDER_LEAD_MS = 24 * 3_600_000;

export type NoReminder = 'do_not_contact' | 'no_channel';

/**
 * The channel the participant's rules allow, or why none: "do not contact" (or a preferred method
 * of `none`) stops every reminder; texts need a number and permission to text; email needs an
 * address. Their preferred method wins when it is allowed; otherwise text before email.
 */
export function reminderChannel(c: repo.ContactFacts): { channel: MessageChannel } | { none: NoReminder } {
  if (c.doNotContact || c.preferredMethod === 'none') return { none: 'do_not_contact' };
  const sms = !!c.phone && c.okText;
  const email = !!c.email;
  if (c.preferredMethod === 'email' && email) return { channel: 'email' };
  if (c.preferredMethod === 'text' && sms) return { channel: 'sms' };
  if (sms) return { channel: 'sms' };
  if (email) return { channel: 'email' };
  return { none: 'no_channel' };
}

/** When the reminder is due: a day before, or now when the appointment is sooner. */
export const reminderSendAt = (startsAt: string, now: Date): string => new Date(Math.max(Date.parse(startsAt) - REMINDER_LEAD_MS, now.getTime())).toISOString();

export const languageOf = (language: string | null): 'en' | 'es' => {
  const l = (language ?? '').trim().toLowerCase();
  return l.startsWith('es') || l.startsWith('span') || l.startsWith('espa') ? 'es' : 'en';
};

const hhmm = (instant: Date, tz: string): string =>
  new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant);

const inWindow = (time: string, start: string, end: string): boolean => (start <= end ? time >= start && time < end : time >= start || time < end);

/**
 * The next moment inside the participant's contact window (local HH:MM, may cross midnight), or
 * `now` when it is inside. No window: now.
 */
export function nextInWindow(now: Date, tz: string, start: string | null, end: string | null): Date {
  if (!start || !end || start === end) return now;
  if (inWindow(hhmm(now, tz), start, end)) return now;
  const today = localDate(now, tz);
  const candidate = zonedToUtc(today, start, tz);
  return candidate > now ? candidate : zonedToUtc(nextDate(today), start, tz);
}

/** The reminder text. Nothing about the kind, the provider or the notes; the place only with consent. */
export function reminderText(a: { startsAt: string; place: string | null; reminderNamesPlace: boolean; telehealthUrl: string | null }, now: Date, tz: string, language: 'en' | 'es'): { subject: string; body: string } {
  const starts = new Date(a.startsAt);
  const day = localDate(starts, tz);
  const today = localDate(now, tz);
  const locale = language === 'es' ? 'es-US' : 'en-US';
  // "10:00 AM" in English, "10:00" (24-hour) in Spanish; plain spaces (ICU uses a narrow no-break space).
  const time = (language === 'es' ? hhmm(starts, tz) : new Intl.DateTimeFormat('en-US', { timeZone: tz, hour: 'numeric', minute: '2-digit' }).format(starts)).replace(/[\u202f\u00a0]/g, ' ');
  const date = new Intl.DateTimeFormat(locale, { timeZone: tz, weekday: 'long', month: 'long', day: 'numeric' }).format(starts);
  const when =
    language === 'es'
      ? day === today
        ? `hoy a las ${time}`
        : day === addDays(today, 1)
          ? `mañana a las ${time}`
          : `el ${date} a las ${time}`
      : day === today
        ? `today at ${time}`
        : day === addDays(today, 1)
          ? `tomorrow at ${time}`
          : `on ${date} at ${time}`;
  const where = a.reminderNamesPlace ? (a.place ?? a.telehealthUrl) : null;
  if (language === 'es') {
    return { subject: 'Recordatorio', body: `Recordatorio: su cita ${when}.${where ? ` Lugar: ${where}.` : ''}` };
  }
  return { subject: 'Reminder', body: `Reminder: your appointment ${when}.${where ? ` Place: ${where}.` : ''}` };
}

export async function reminderTimeZone(db: Executor, organizationId: string, participantId: string): Promise<string> {
  return (await openEpisodeSiteTimeZone(db, organizationId, participantId)) ?? (await repo.organizationTimeZone(db, organizationId));
}

/**
 * Whether a queued message to a participant may go out now, by their rules as they stand at send
 * time: the address on the channel it was queued on (if that channel is still allowed) with their
 * language and zone, or why
 * not, or the moment their contact window opens (cancelled when that is not before `deadline`).
 * Shared by every renderer that writes to participants (reminders, one-time links).
 */
export async function reachableNow(db: Executor, m: ClaimedMessage, now: Date, deadline: number): Promise<{ to: string; language: 'en' | 'es'; tz: string } | Rendered> {
  const c = await repo.contactFacts(db, m.organizationId, m.participantId);
  if (!c) return { cancel: 'no_participant' };
  const allowed = reminderChannel(c);
  if ('none' in allowed) return { cancel: allowed.none };
  // The rules may have changed since it was queued: only the channel it was queued on, if still allowed.
  const to = m.channel === 'sms' ? (c.okText ? c.phone : null) : c.email;
  if (!to) return { cancel: 'no_channel' };
  const tz = await reminderTimeZone(db, m.organizationId, m.participantId);
  const open = nextInWindow(now, tz, c.windowStart, c.windowEnd);
  if (open > now) return open.getTime() < deadline ? { postponeUntil: open.toISOString() } : { cancel: 'outside_contact_window' };
  return { to, language: languageOf(c.language), tz };
}

/**
 * The outbox renderer for appointment reminders, run at send time: the appointment must still be
 * scheduled and ahead, the participant's rules must still allow the channel, and the message waits
 * for their contact window (cancelled when the window opens only after the appointment).
 */
export const renderAppointmentReminder: Renderer = async (db: Executor, m: ClaimedMessage, now: Date): Promise<Rendered> => {
  if (!m.appointmentId) return { cancel: 'no_appointment' };
  const a = await repo.findAppointment(db, m.organizationId, m.appointmentId);
  if (!a) return { cancel: 'no_appointment' };
  if (a.status !== 'scheduled') return { cancel: `appointment_${a.status}` };
  if (Date.parse(a.startsAt) <= now.getTime()) return { cancel: 'in_the_past' };
  const reach = await reachableNow(db, m, now, Date.parse(a.startsAt));
  if (!('to' in reach)) return reach;
  return { send: { to: reach.to, language: reach.language, ...reminderText(a, now, reach.tz, reach.language) } };
};

export const appointmentRenderers: Readonly<Record<string, Renderer>> = { [REMINDER_TEMPLATE]: renderAppointmentReminder };
