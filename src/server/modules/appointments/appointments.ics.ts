/**
 * iCalendar (RFC 5545) by hand: text escaped (backslash, semicolon, comma, newline), lines folded
 * at 75 octets without splitting a UTF-8 character, CRLF line ends, times in UTC.
 */
import type { AppointmentRecord } from './appointments.repository.js';

export function escapeText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}

/** Fold a content line into 75-octet pieces; continuation lines start with one space. */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const n = Buffer.byteLength(ch, 'utf8');
    const limit = out.length === 0 ? 75 : 74; // the leading space counts
    if (octets + n > limit) {
      out.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += n;
  }
  out.push(current);
  return out.join('\r\n ');
}

const utc = (instant: string): string => new Date(instant).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

const KIND_LABELS: Record<AppointmentRecord['kind'], string> = {
  intake: 'Intake',
  moud_induction: 'Medication start',
  prescriber_follow_up: 'Prescriber follow-up',
  counseling: 'Counseling',
  court: 'Court',
  housing: 'Housing',
  benefits: 'Benefits',
  other: 'Appointment',
};

export interface IcsEvent {
  appointment: AppointmentRecord;
  /** Shown only when the coach chose to show names (feed), or never (single download). */
  participantName: string | null;
}

function vevent(e: IcsEvent, stamp: string): string[] {
  const a = e.appointment;
  const what = KIND_LABELS[a.kind];
  const summary = e.participantName ? `${e.participantName}: ${what}` : `Appointment (${what.toLowerCase()})`;
  const end = a.endsAt ?? new Date(Date.parse(a.startsAt) + 3_600_000).toISOString();
  const lines = [
    'BEGIN:VEVENT',
    `UID:${a.id}@lodestar`,
    `DTSTAMP:${utc(stamp)}`,
    `DTSTART:${utc(a.startsAt)}`,
    `DTEND:${utc(end)}`,
    `SUMMARY:${escapeText(summary)}`,
    `STATUS:${a.status === 'cancelled' || a.status === 'rescheduled' ? 'CANCELLED' : 'CONFIRMED'}`,
    `SEQUENCE:${a.version}`,
  ];
  if (a.place) lines.push(`LOCATION:${escapeText(a.place)}`);
  if (a.telehealthUrl) lines.push(`URL:${a.telehealthUrl.replace(/[\r\n]/g, '')}`);
  if (a.transportNeeds) lines.push(`DESCRIPTION:${escapeText(`Transport: ${a.transportNeeds}`)}`);
  lines.push('END:VEVENT');
  return lines;
}

export function calendar(events: IcsEvent[], stamp: string, name: string): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Lodestar//Appointments//EN', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH', `X-WR-CALNAME:${escapeText(name)}`];
  for (const e of events) lines.push(...vevent(e, stamp));
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
