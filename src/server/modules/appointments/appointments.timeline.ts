/**
 * What the appointments module adds to a participant's timeline (see src/server/timeline.ts):
 * `appointment.booked` when it was booked (created_at), and its outcome — `appointment.attended`,
 * `.missed`, `.cancelled`, `.rescheduled` — when the status changed. Future appointments are not
 * placed at their future time (the timeline is what happened); they show when booked.
 */
import type { TimelineItem, TimelineProvider } from '../care/timeline.types.js';
import { beforeCursor, newestBefore } from '../care/care.timeline.js';
import { staffNames } from '../care/care.repository.js';

const BOOKED = 'appointment.booked:';
const OUTCOME = 'appointment.outcome:';
const iso = (v: string) => new Date(v).toISOString();
const label = (s: string) => s.replaceAll('_', ' ');

const appointments: TimelineProvider = {
  name: 'appointments',
  kinds: ['appointment'],
  async items(db, q) {
    const { before } = q;
    const base = db
      .selectFrom('appointments')
      .select(['id', 'kind', 'starts_at', 'status', 'created_by', 'created_at', 'status_changed_at', 'status_changed_by', 'rescheduled_to_id', 'rescheduled_from_id'])
      .where('organization_id', '=', q.organizationId)
      .where('participant_id', '=', q.participantId);
    let booked = base;
    if (before) booked = booked.where(beforeCursor('created_at', 'id', BOOKED, before));
    let outcome = base.where('status_changed_at', 'is not', null);
    if (before) outcome = outcome.where(beforeCursor('status_changed_at', 'id', OUTCOME, before));
    const [b, o] = await Promise.all([
      booked.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute(),
      outcome.orderBy('status_changed_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute(),
    ]);
    const names = await staffNames(db, [...b.map((r) => r.created_by), ...o.map((r) => r.status_changed_by ?? '')].filter(Boolean));
    const link = (_id: string): string | null => null; // no page of its own: the participant page lists appointments
    const items: TimelineItem[] = [
      ...b.map(
        (r): TimelineItem => ({
          id: `${BOOKED}${r.id}`,
          kind: 'appointment.booked',
          at: iso(r.created_at),
          dateOnly: false,
          summary: `Appointment booked (${label(r.kind)})${r.rescheduled_from_id ? ', rescheduled from an earlier one' : ''}`,
          details: { appointmentId: r.id, appointmentKind: r.kind, startsAt: iso(r.starts_at), rescheduled: r.rescheduled_from_id !== null, by: names.get(r.created_by) ?? null },
          link: link(r.id),
          actorUserId: r.created_by,
        }),
      ),
      ...o.map(
        (r): TimelineItem => ({
          id: `${OUTCOME}${r.id}`,
          kind: `appointment.${r.status}`,
          at: iso(r.status_changed_at!),
          dateOnly: false,
          summary: `Appointment ${label(r.status)} (${label(r.kind)})`,
          details: { appointmentId: r.id, appointmentKind: r.kind, startsAt: iso(r.starts_at), status: r.status, by: r.status_changed_by ? (names.get(r.status_changed_by) ?? null) : null },
          link: link(r.id),
          actorUserId: r.status_changed_by,
        }),
      ),
    ];
    return newestBefore(items, q);
  },
};

export const appointmentsTimelineProviders: readonly TimelineProvider[] = [appointments];
